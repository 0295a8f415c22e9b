//! `masker load`: a dump (a directory, or any [`DumpSource`]: files are
//! streamed from where they are) into a server. Databases and table
//! schemas first (one connection), then every chunk on N connections
//! (`LOAD DATA LOCAL INFILE` fed by the driver's local-infile handler for
//! TSV, the file's statements for SQL), then views, triggers, routines and
//! events. `into_database` loads a one-database dump under another name (a
//! scratch copy for a restore test). Each chunk's loaded row count is
//! checked against the manifest. With a progress log ([`crate::resume`]),
//! each chunk loads in one transaction between a `start` and a `done` line,
//! so a killed load resumes and redoes only what did not finish. This module
//! owns the load order and its workers; it does not check digests (that is
//! [`crate::verify`]).

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use mysql::prelude::Queryable;
use mysql::{Conn, LocalInfileHandler};

use crate::connect::{Connector, Names};
use crate::dump::{OBJECT_END, OBJECT_MARK};
use crate::error::{Error, Result};
use crate::files;
use crate::manifest::{Format, Manifest, TableEntry};
use crate::resume::{reconcile, ProgressLog, Step};
use crate::source::{DirSource, DumpSource};
use crate::sql::{ident, qualified};

/// How to load.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LoadOptions {
    /// Connections (and worker threads).
    pub threads: usize,
    /// Load a one-database dump into this database instead.
    pub into_database: Option<String>,
    /// The progress log that makes the load resumable (`None`: no log).
    pub progress_log: Option<PathBuf>,
    /// Load rows under `STRICT_ALL_TABLES` (a value the server would have
    /// to truncate or convert is an error, not a warning) and fail the load
    /// when the server reports any warning: the proof that a (masked) dump
    /// fits its tables exactly. Used by restore tests.
    pub strict: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            threads: 2,
            into_database: None,
            progress_log: None,
            strict: false,
        }
    }
}

/// Counters a progress display samples.
#[derive(Debug, Default)]
pub struct LoadProgress {
    /// Chunks loaded.
    pub chunks_done: AtomicU64,
    /// Rows loaded.
    pub rows: AtomicU64,
    /// Bytes of chunk files read (as on disk).
    pub bytes: AtomicU64,
}

/// What a load did.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct LoadSummary {
    /// Tables created.
    pub tables: usize,
    /// Chunks loaded.
    pub chunks: usize,
    /// Rows loaded.
    pub rows: u64,
    /// Views, triggers, routines and events created.
    pub objects: usize,
    /// Sequences created (each at its dumped next value).
    pub sequences: usize,
    /// Warnings the server reported while loading rows.
    pub warnings: u64,
    /// Steps skipped because an earlier, interrupted run finished them.
    pub resumed_steps: usize,
}

/// Where each dumped database goes.
#[derive(Debug, Clone)]
pub struct DatabaseMap {
    into: Option<String>,
}

impl DatabaseMap {
    /// Check `into` against the manifest: a rename needs a one-database dump.
    pub fn new(m: &Manifest, into: Option<&str>, dir: &Path) -> Result<Self> {
        if into.is_some() && m.databases.len() != 1 {
            return Err(Error::Dump {
                path: dir.to_owned(),
                cause: format!(
                    "--into-database needs a dump of one database; this one has {}",
                    m.databases.len()
                ),
            });
        }
        Ok(DatabaseMap {
            into: into.map(str::to_owned),
        })
    }

    /// The target name of dumped database `db`.
    pub fn target<'a>(&'a self, db: &'a str) -> &'a str {
        self.into.as_deref().unwrap_or(db)
    }
}

/// Load the dump in `dir`.
pub fn load(
    connector: &Connector,
    dir: &Path,
    opts: &LoadOptions,
    progress: &LoadProgress,
) -> Result<LoadSummary> {
    load_from(connector, &DirSource::new(dir), opts, progress)
}

/// Load the dump `source` holds, each file streamed from it.
pub fn load_from(
    connector: &Connector,
    source: &dyn DumpSource,
    opts: &LoadOptions,
    progress: &LoadProgress,
) -> Result<LoadSummary> {
    let (m, manifest_bytes) = Manifest::read_from(source)?;
    let dir_name = source.location("");
    let map = DatabaseMap::new(&m, opts.into_database.as_deref(), &dir_name)?;
    let log = match &opts.progress_log {
        Some(path) => {
            let (_, sha) = files::hash_reader(&manifest_bytes[..], &dir_name)?;
            let header = format!(
                "masker-load 1 manifest-sha256={sha} target={} into={}",
                connector.target(),
                opts.into_database.as_deref().unwrap_or("-")
            );
            Some(ProgressLog::open(path, &header)?)
        }
        None => None,
    };
    let log = log.as_ref();
    let mut resumed_steps = 0;
    let mut ddl = connector.connect(Names::Utf8mb4)?;
    run(
        &mut ddl,
        "SET SESSION foreign_key_checks = 0",
        "preparing the load",
    )?;
    for db in &m.databases {
        let target = map.target(&db.name);
        let mut q = format!("CREATE DATABASE IF NOT EXISTS {}", ident(target));
        if !db.charset.is_empty() {
            q.push_str(&format!(" CHARACTER SET {}", db.charset));
        }
        if !db.collation.is_empty() {
            q.push_str(&format!(" COLLATE {}", db.collation));
        }
        run(&mut ddl, &q, &format!("creating database {target}"))?;
    }
    // Sequences first: a table's DEFAULT may call NEXTVAL on one.
    let mut sequences = 0;
    for db in &m.databases {
        if let Some(f) = &db.sequences {
            let target = map.target(&db.name);
            match load_database_file(
                &mut ddl,
                source,
                log,
                target,
                &f.file,
                Step::sequences(target),
            )? {
                // Two statements per sequence: CREATE SEQUENCE, SETVAL.
                Some(n) => sequences += n / 2,
                None => resumed_steps += 1,
            }
        }
    }
    for t in &m.tables {
        let target = map.target(&t.database);
        let step = Step::schema(target, &t.name);
        if log.is_some_and(|l| l.is_done(&step)) {
            resumed_steps += 1;
            continue;
        }
        let text = source.read_text(&t.schema.file)?;
        run(
            &mut ddl,
            &format!("USE {}", ident(target)),
            &format!("using database {target}"),
        )?;
        if let Some(l) = log {
            l.start(&step)?;
        }
        let interrupted = log.is_some_and(|l| l.was_interrupted(&step));
        if !(interrupted && table_rows(&mut ddl, target, &t.name)? == Some(0)) {
            run(
                &mut ddl,
                schema_statement(&text),
                &format!(
                    "creating {target}.{} from {}",
                    t.name,
                    source.location(&t.schema.file).display()
                ),
            )?;
        }
        if let Some(l) = log {
            l.finish(&step)?;
        }
    }

    let mut jobs = Vec::new();
    for t in &m.tables {
        let target = map.target(&t.database);
        let mut interrupted = Vec::new();
        let mut done_rows = 0;
        for (n, c) in t.chunks.iter().enumerate() {
            let step = Step::chunk(target, &t.name, n);
            match log {
                Some(l) if l.is_done(&step) => {
                    done_rows += c.rows;
                    resumed_steps += 1;
                }
                Some(l) if l.was_interrupted(&step) => interrupted.push(n),
                _ => jobs.push((t, n)),
            }
        }
        if interrupted.is_empty() {
            continue;
        }
        let count = table_rows(&mut ddl, target, &t.name)?.unwrap_or(0);
        let rows: Vec<u64> = interrupted.iter().map(|&n| t.chunks[n].rows).collect();
        match reconcile(count, done_rows, &rows) {
            Some(false) => jobs.extend(interrupted.iter().map(|&n| (t, n))),
            Some(true) => {
                for &n in &interrupted {
                    if let Some(l) = log {
                        l.finish(&Step::chunk(target, &t.name, n))?;
                    }
                    resumed_steps += 1;
                }
            }
            None => {
                return Err(Error::Table {
                    table: format!("{target}.{}", t.name),
                    cause: format!(
                        "after the interrupted load it holds {count} rows, which matches no set of                          finished chunks; drop the table and remove the progress log to load it again"
                    ),
                })
            }
        }
    }
    let warnings = load_chunks(
        connector,
        source,
        &m,
        &map,
        &jobs,
        log,
        opts.threads.max(1),
        opts.strict,
        progress,
    )?;
    if opts.strict && warnings > 0 {
        return Err(Error::Dump {
            path: dir_name.clone(),
            cause: format!(
                "the server reported {warnings} warnings while loading rows under STRICT_ALL_TABLES \
                 (a value did not fit its column exactly)"
            ),
        });
    }

    let mut objects = 0;
    for db in &m.databases {
        if let Some(f) = &db.objects {
            let target = map.target(&db.name);
            match load_database_file(
                &mut ddl,
                source,
                log,
                target,
                &f.file,
                Step::objects(target),
            )? {
                Some(n) => objects += n,
                None => resumed_steps += 1,
            }
        }
    }
    Ok(LoadSummary {
        tables: m.tables.len(),
        chunks: m.tables.iter().map(|t| t.chunks.len()).sum(),
        rows: m.tables.iter().map(|t| t.rows).sum(),
        objects,
        sequences,
        warnings,
        resumed_steps,
    })
}

/// The `CREATE TABLE` of a schema file (its `SET NAMES utf8mb4` header is
/// the DDL connection's setting already). One statement is sent at a time:
/// the driver reports errors of later statements of a batch poorly.
fn schema_statement(text: &str) -> &str {
    let body = text
        .strip_prefix(crate::dump::SCHEMA_HEADER)
        .unwrap_or(text)
        .trim_end();
    body.strip_suffix(';').unwrap_or(body)
}

/// Rows in `db.table`, or `None` when the table does not exist.
fn table_rows(conn: &mut Conn, db: &str, table: &str) -> Result<Option<u64>> {
    let q = format!("SELECT COUNT(*) FROM {}", qualified(db, table));
    match conn.query_first::<u64, _>(q) {
        Ok(n) => Ok(n),
        // ER_NO_SUCH_TABLE
        Err(mysql::Error::MySqlError(e)) if e.code == 1146 => Ok(None),
        Err(e) => Err(Error::server(
            format!("counting the rows of {db}.{table}"),
            e,
        )),
    }
}

fn run(conn: &mut Conn, q: &str, place: &str) -> Result<()> {
    conn.query_drop(q).map_err(|e| Error::server(place, e))
}

/// Load `jobs` (table, chunk) on `threads` connections; returns the
/// server's warning count.
#[allow(clippy::too_many_arguments)]
fn load_chunks(
    connector: &Connector,
    source: &dyn DumpSource,
    m: &Manifest,
    map: &DatabaseMap,
    jobs: &[(&TableEntry, usize)],
    log: Option<&ProgressLog>,
    threads: usize,
    strict: bool,
    progress: &LoadProgress,
) -> Result<u64> {
    let (tx, rx) = crossbeam_channel::unbounded();
    for &(t, n) in jobs {
        let _ = tx.send((t, n));
    }
    drop(tx);
    let mut conns = Vec::with_capacity(threads);
    for _ in 0..threads {
        let mut c = connector.connect(Names::Binary)?;
        run(
            &mut c,
            "SET SESSION foreign_key_checks = 0, unique_checks = 0",
            "preparing the load",
        )?;
        if strict {
            run(&mut c, STRICT_SQL_MODE, "preparing the strict load")?;
        }
        conns.push(c);
    }
    let failed = AtomicBool::new(false);
    let warnings = AtomicU64::new(0);
    let first_error = Mutex::new(None);
    std::thread::scope(|s| {
        for conn in conns.iter_mut() {
            let rx = rx.clone();
            let (failed, warnings, first_error) = (&failed, &warnings, &first_error);
            s.spawn(move || {
                for (t, n) in rx.iter() {
                    if failed.load(Ordering::Relaxed) {
                        return;
                    }
                    match load_chunk(conn, source, m, map, t, n, log, strict, progress) {
                        Ok(w) => {
                            warnings.fetch_add(w, Ordering::Relaxed);
                            progress.chunks_done.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => {
                            failed.store(true, Ordering::Relaxed);
                            first_error
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .get_or_insert(e);
                            return;
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = first_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    Ok(warnings.into_inner())
}

/// Load chunk `n` of `t`; returns the server's warning count.
/// Attempts per chunk when the server reports a deadlock or lock wait timeout.
const DEADLOCK_RETRIES: u64 = 5;

#[allow(clippy::too_many_arguments)]
fn load_chunk(
    conn: &mut Conn,
    source: &dyn DumpSource,
    m: &Manifest,
    map: &DatabaseMap,
    t: &TableEntry,
    n: usize,
    log: Option<&ProgressLog>,
    strict: bool,
    progress: &LoadProgress,
) -> Result<u64> {
    let chunk = &t.chunks[n];
    let path = source.location(&chunk.file.file);
    let target = map.target(&t.database);
    let place = format!("loading {} into {target}.{}", path.display(), t.name);
    let step = Step::chunk(target, &t.name, n);
    if let Some(l) = log {
        l.start(&step)?;
    }
    // One transaction per chunk: a killed load leaves whole chunks only,
    // and a chunk that loses a deadlock (concurrent inserts into one table)
    // is rolled back whole and simply redone.
    let mut attempt = 0;
    let (rows, warnings) = loop {
        attempt += 1;
        run(conn, "START TRANSACTION", &place)?;
        let loaded = match m.options.format {
            Format::Tsv => load_tsv(conn, source, &chunk.file.file, m, t, target, strict, &place),
            Format::Sql => load_sql(conn, source, &chunk.file.file, m, target, strict, &place),
        };
        match loaded {
            Ok(done) => break done,
            Err(e) if e.is_transient() && attempt < DEADLOCK_RETRIES => {
                run(conn, "ROLLBACK", &place)?;
                std::thread::sleep(std::time::Duration::from_millis(50 * attempt));
            }
            Err(e) => return Err(e),
        }
    };
    if rows != chunk.rows {
        return Err(Error::Dump {
            path,
            cause: format!(
                "loaded {rows} rows into {target}.{}, the manifest lists {}",
                t.name, chunk.rows
            ),
        });
    }
    run(conn, "COMMIT", &place)?;
    if let Some(l) = log {
        l.finish(&step)?;
    }
    progress.rows.fetch_add(rows, Ordering::Relaxed);
    progress
        .bytes
        .fetch_add(chunk.file.bytes, Ordering::Relaxed);
    Ok(warnings)
}

#[allow(clippy::too_many_arguments)]
fn load_tsv(
    conn: &mut Conn,
    source: &dyn DumpSource,
    name: &str,
    m: &Manifest,
    t: &TableEntry,
    target: &str,
    strict: bool,
    place: &str,
) -> Result<(u64, u64)> {
    let path = &source.location(name);
    let reader = files::decompress(source.open(name)?, m.options.compression, path)?;
    let slot = Arc::new(Mutex::new(Some(reader)));
    let read_error: Arc<Mutex<Option<std::io::Error>>> = Arc::new(Mutex::new(None));
    let (handler_slot, handler_error) = (slot.clone(), read_error.clone());
    conn.set_local_infile_handler(Some(LocalInfileHandler::new(move |_, out| {
        let taken = handler_slot.lock().ok().and_then(|mut s| s.take());
        if let Some(mut r) = taken {
            if let Err(e) = std::io::copy(&mut r, out) {
                let kind = e.kind();
                if let Ok(mut slot) = handler_error.lock() {
                    *slot = Some(e);
                }
                return Err(std::io::Error::new(kind, "cannot read the chunk file"));
            }
        }
        Ok(())
    })));
    let cols: Vec<String> = t.columns.iter().map(|c| ident(c)).collect();
    let q = format!(
        "LOAD DATA LOCAL INFILE 'masker-chunk' INTO TABLE {} CHARACTER SET binary ({})",
        qualified(target, &t.name),
        cols.join(",")
    );
    let result = conn.query_drop(q);
    conn.set_local_infile_handler(None);
    if let Some(e) = read_error.lock().ok().and_then(|mut s| s.take()) {
        return Err(Error::io(path, e));
    }
    result.map_err(|e| Error::data(place, e))?;
    let loaded = (conn.affected_rows(), u64::from(conn.warnings()));
    if strict {
        refuse_warnings(conn, path, place)?;
    }
    Ok(loaded)
}

/// The session's sql_mode under `--strict`.
const STRICT_SQL_MODE: &str = "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO'";

/// Under `--strict`, a statement that left warnings fails the load. The
/// error names the file, what was being loaded, and each warning's code,
/// column and row, never its message text (which can quote the value:
/// "Incorrect integer value: '...'").
fn refuse_warnings(conn: &mut Conn, path: &Path, place: &str) -> Result<()> {
    if conn.warnings() == 0 {
        return Ok(());
    }
    let shown: Vec<(String, u32, String)> = conn
        .query("SHOW WARNINGS LIMIT 5")
        .map_err(|e| Error::server(place, e))?;
    let what: Vec<String> = shown
        .iter()
        .map(|(level, code, message)| describe_warning(level, *code, message))
        .collect();
    Err(Error::Dump {
        path: path.to_owned(),
        cause: format!(
            "{place}: {} warnings under STRICT_ALL_TABLES (a value does not fit its column exactly): {}",
            conn.warnings(),
            what.join("; ")
        ),
    })
}

/// `Warning 1406 (data too long) column 'name' row 3`: the code, its
/// meaning, and the column and row the message names; nothing else of the
/// message.
fn describe_warning(level: &str, code: u32, message: &str) -> String {
    let meaning = match code {
        1048 => "NULL in a NOT NULL column",
        1261 | 1262 => "wrong number of fields",
        1264 => "out of range",
        1265 => "data truncated",
        1292 => "incorrect date or time",
        1366 => "incorrect value for the type",
        1406 => "data too long",
        _ => "see the server's documentation",
    };
    let mut out = format!("{level} {code} ({meaning})");
    if let Some(rest) = message.split("column '").nth(1) {
        if let Some(col) = rest.split('\'').next() {
            out.push_str(&format!(" column '{col}'"));
        }
    }
    if let Some(rest) = message
        .rsplit(" at row ")
        .next()
        .filter(|_| message.contains(" at row "))
    {
        let row: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if !row.is_empty() {
            out.push_str(&format!(" row {row}"));
        }
    }
    out
}

fn load_sql(
    conn: &mut Conn,
    source: &dyn DumpSource,
    name: &str,
    m: &Manifest,
    target: &str,
    strict: bool,
    place: &str,
) -> Result<(u64, u64)> {
    run(conn, &format!("USE {}", ident(target)), place)?;
    let path = &source.location(name);
    let mut reader = files::decompress(source.open(name)?, m.options.compression, path)?;
    let mut line = Vec::new();
    let (mut rows, mut warnings) = (0u64, 0u64);
    let mut number = 0u64;
    loop {
        line.clear();
        let k = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(path, e))?;
        if k == 0 {
            break;
        }
        number += 1;
        let text = std::str::from_utf8(&line).map_err(|_| Error::Dump {
            path: PathBuf::from(path),
            cause: format!("line {number} is not UTF-8 (not a masker dump file)"),
        })?;
        let stmt = text.trim_end();
        if stmt.is_empty() {
            continue;
        }
        // The file's own header sets mysqldump's permissive sql_mode;
        // under --strict the session keeps the strict one.
        let stmt = if strict && stmt.contains("SET SQL_MODE=") {
            STRICT_SQL_MODE
        } else {
            stmt
        };
        conn.query_drop(stmt)
            .map_err(|e| Error::data(format!("{place}, line {number}"), e))?;
        if stmt.starts_with("INSERT") {
            rows += conn.affected_rows();
            warnings += u64::from(conn.warnings());
            if strict {
                refuse_warnings(conn, path, &format!("{place}, line {number}"))?;
            }
        }
    }
    Ok((rows, warnings))
}

/// Run a database's file of statements (`<db>.sequences.sql`,
/// `<db>.objects.sql`) in `target` as the resumable step `step`: the
/// statements run, or `None` when an interrupted earlier load finished it.
fn load_database_file(
    ddl: &mut Conn,
    source: &dyn DumpSource,
    log: Option<&ProgressLog>,
    target: &str,
    file: &str,
    step: Step,
) -> Result<Option<usize>> {
    if log.is_some_and(|l| l.is_done(&step)) {
        return Ok(None);
    }
    run(
        ddl,
        &format!("USE {}", ident(target)),
        &format!("using database {target}"),
    )?;
    let replace = log.is_some_and(|l| l.was_interrupted(&step));
    if let Some(l) = log {
        l.start(&step)?;
    }
    let n = load_objects(ddl, source, file, replace)?;
    if let Some(l) = log {
        l.finish(&step)?;
    }
    Ok(Some(n))
}

/// Statements of an objects file: `(kind and name, statement)`.
fn object_statements(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut label = String::new();
    let mut body = String::new();
    let mut inside = false;
    for line in text.lines() {
        if !inside {
            if line == "DELIMITER ;;" {
                inside = true;
            }
            continue;
        }
        if line == "DELIMITER ;" {
            break;
        }
        if let Some(l) = line.strip_prefix(OBJECT_MARK) {
            if body.is_empty() {
                label = l.to_owned();
                continue;
            }
        }
        if line == OBJECT_END {
            out.push((std::mem::take(&mut label), std::mem::take(&mut body)));
            continue;
        }
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str(line);
    }
    out
}

/// Create the objects of one database (or its sequences). Views may depend
/// on views created later, so statements that fail are retried while some
/// succeed.
fn load_objects(
    conn: &mut Conn,
    source: &dyn DumpSource,
    name: &str,
    replace: bool,
) -> Result<usize> {
    let text = source.read_text(name)?;
    let path = source.location(name);
    let mut pending = object_statements(&text);
    if replace {
        // An interrupted earlier run may have created some of them.
        for (label, _) in &pending {
            // `setval` (of a sequence file) creates nothing to drop.
            if let Some((kind, name)) = label.split_once(' ').filter(|(k, _)| *k != "setval") {
                let q = format!("DROP {} IF EXISTS {name}", kind.to_uppercase());
                run(conn, &q, &format!("{}: replacing {label}", path.display()))?;
            }
        }
    }
    let total = pending.len();
    loop {
        let mut failed = Vec::new();
        let mut last_error = None;
        let before = pending.len();
        for (label, stmt) in pending {
            if let Err(e) = conn.query_drop(&stmt) {
                last_error = Some(Error::server(
                    format!("{}: creating {label}", path.display()),
                    e,
                ));
                failed.push((label, stmt));
            }
        }
        if failed.is_empty() {
            return Ok(total);
        }
        if failed.len() == before {
            return Err(last_error.unwrap_or_else(|| Error::Dump {
                path: path.to_owned(),
                cause: "objects could not be created".into(),
            }));
        }
        pending = failed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_are_described_without_the_value() {
        let d = describe_warning(
            "Warning",
            1366,
            "Incorrect integer value: 'alice@example.com' for column `db`.`t`.`n` at row 7",
        );
        assert!(!d.contains("alice"), "{d}");
        assert!(d.contains("1366") && d.contains("row 7"), "{d}");
        let d = describe_warning("Warning", 1406, "Data too long for column 'name' at row 3");
        assert_eq!(d, "Warning 1406 (data too long) column 'name' row 3");
    }

    #[test]
    fn schema_file_gives_its_create_statement() {
        let text = format!(
            "{}CREATE TABLE `t` (\n  `a` int\n);\n",
            crate::dump::SCHEMA_HEADER
        );
        assert_eq!(schema_statement(&text), "CREATE TABLE `t` (\n  `a` int\n)");
    }

    #[test]
    fn objects_file_splits_on_its_own_end_lines() {
        let text = "/*!40101 SET NAMES utf8mb4 */;\nDELIMITER ;;\n-- masker: view `v`\nCREATE VIEW v AS SELECT 1\n;;\n-- masker: trigger `t`\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN\n  SET NEW.a = 1;\nEND\n;;\nDELIMITER ;\n";
        let s = object_statements(text);
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0],
            ("view `v`".into(), "CREATE VIEW v AS SELECT 1".into())
        );
        assert!(s[1].1.ends_with("SET NEW.a = 1;\nEND"));
    }
}
