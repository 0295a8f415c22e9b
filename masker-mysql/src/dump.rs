//! `masker dump`: a consistent snapshot on N connections, tables cut into
//! chunks, rows streamed with the text protocol, encoded per chunk and
//! written (zstd by default) with their SHA-256 and row digest, then
//! `manifest.json` last. This module owns the order of those steps and the
//! worker threads; catalog, chunking, encoding and files live in their own
//! modules. Every row goes through masker-core's one masking path
//! ([`masker_core::engine`]): each table's `SHOW CREATE TABLE` is bound to
//! the rules, and a per-thread [`RowMasker`] gives the final values that are
//! digested and encoded. A dump that fails or is killed leaves no manifest.
//! A dump can also take its tables' chunks cut beforehand ([`plan_chunks`])
//! and write only some of them ([`DumpOptions::preset`]): one shard of a
//! sharded run, whose files and chunk numbers are those of a whole dump.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use masker_core::engine::{BoundTable, Catalog, Cell, RowMasker};
use masker_core::export::{self, ExportOptions, FieldOutcome};
use masker_core::rules::Rules;
use masker_core::schema::TableSchema;

use mysql::prelude::Queryable;
use mysql::Conn;

use crate::catalog::{self, ObjectDdl, SequenceDdl, TableDdl, TableFilter, TableInfo};
use crate::chunk::{self, Strategy};
use crate::connect::Connector;
use crate::digest::RowDigest;
use crate::encode::ChunkEncoder;
use crate::error::{Error, Result};
use crate::files::{OutFile, StreamedObject};
use crate::manifest::{
    self, BigQueryExport, ChunkEntry, Compression, DatabaseEntry, DumpedOptions, FileEntry, Format,
    Manifest, TableEntry, TablePart,
};
use crate::snapshot;
use crate::sql::{self, ident, qualified};
use crate::transcode::{self, ColumnCharsets};

/// What to dump and how.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DumpOptions {
    /// Connections (and worker threads).
    pub threads: usize,
    /// Target chunk size in bytes (estimated from the catalog).
    pub chunk_bytes: u64,
    /// Chunk file format.
    pub format: Format,
    /// Chunk file compression.
    pub compression: Compression,
    /// Take the global read lock for a consistent start (`false`: `--no-lock`).
    pub lock: bool,
    /// Which tables.
    pub filter: TableFilter,
    /// The tool name and version written to the manifest.
    pub tool: String,
    /// Masking rules (`None`: rows are written as read).
    pub rules: Option<Arc<Rules>>,
    /// SHA-256 of the rules file, recorded in the manifest.
    pub rules_sha256: Option<String>,
    /// Where finished files go (`None`: they stay in the output directory,
    /// else the output directory is only a staging area: each file is
    /// published as soon as it is complete, then removed; the manifest last).
    pub publish: Option<Arc<dyn Publish>>,
    /// Also write each chunk's rows (as masked) in BigQuery's tab-separated
    /// CSV dialect, `<db>@<table>@<n>.bq.tsv` (uncompressed: `bq load`
    /// reads plain files in parallel, and no zstd), with a
    /// `<db>@<table>.bq.json` schema per table: the export of `masker mask
    /// --to bigquery`, from the same rows in the same pass.
    pub bigquery: Option<ExportOptions>,
    /// Chunks decided before the dump ([`plan_chunks`], a sharded run's
    /// plan) and which of them this dump writes; `None`: every selected
    /// table is cut as it is dumped and all its chunks are written. With
    /// it, every selected table must be in it and every table in it must
    /// be found; a table of which only some chunks are written gets a
    /// manifest entry that says which ([`crate::manifest::TablePart`]).
    pub preset: Option<Arc<Vec<ChunkSelection>>>,
}

/// A table's chunks, cut before the dump (see [`plan_chunks`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TableChunks {
    /// Database.
    pub database: String,
    /// Table name.
    pub name: String,
    /// The catalog's estimate of the table's size (data and indexes).
    pub bytes: u64,
    /// How the table was cut.
    pub chunking: Strategy,
    /// One `WHERE` condition per chunk, in key order (`None`: no condition).
    /// Boundary key values are literals of the source's own key values.
    pub conditions: Vec<Option<String>>,
}

impl TableChunks {
    /// `db.table`.
    pub fn display_name(&self) -> String {
        format!("{}.{}", self.database, self.name)
    }
}

/// Which chunks of a table cut beforehand a dump writes.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ChunkSelection {
    /// The table and its chunks.
    pub table: TableChunks,
    /// The numbers of the chunks to write (indexes into `conditions`).
    pub chunks: Vec<usize>,
}

impl ChunkSelection {
    /// Write chunks `chunks` of `table`.
    pub fn new(table: TableChunks, chunks: Vec<usize>) -> Self {
        ChunkSelection { table, chunks }
    }
}

/// A destination for finished dump files (S3, ...).
pub trait Publish: Send + Sync + std::fmt::Debug {
    /// Store the complete local file `local` under `name`.
    fn publish(&self, local: &Path, name: &str) -> Result<()>;

    /// An object to stream file `name` into as it is written (no local
    /// copy), or `None` to stage it locally and [`Publish::publish`] it.
    fn stream(&self, _name: &str) -> Result<Option<Box<dyn StreamedObject>>> {
        Ok(None)
    }
}

impl Default for DumpOptions {
    fn default() -> Self {
        DumpOptions {
            threads: 2,
            chunk_bytes: 64 << 20,
            format: Format::Sql,
            compression: Compression::Zstd,
            lock: true,
            filter: TableFilter::default(),
            tool: format!("masker-mysql {}", env!("CARGO_PKG_VERSION")),
            rules: None,
            rules_sha256: None,
            publish: None,
            bigquery: None,
            preset: None,
        }
    }
}

/// Counters a progress display samples (the workers only add to them).
#[derive(Debug, Default)]
pub struct Progress {
    /// Tables planned.
    pub tables: AtomicU64,
    /// Chunks planned.
    pub chunks_total: AtomicU64,
    /// Chunks finished.
    pub chunks_done: AtomicU64,
    /// Rows processed.
    pub rows: AtomicU64,
    /// Bytes of rows processed (uncompressed, as encoded).
    pub bytes: AtomicU64,
    /// Values the BigQuery export could not write exactly: written NULL
    /// (zero dates, TIME beyond a day) or with U+FFFD for bytes their
    /// charset cannot decode.
    pub export_inexact: AtomicU64,
}

/// A table ready for its chunks to be dumped.
struct PlannedTable {
    info: TableInfo,
    ddl: TableDdl,
    /// The schema bound to the rules.
    bound: Arc<BoundTable>,
    /// Indexes of the stored (non-generated) columns.
    stored: Vec<usize>,
    strategy: Strategy,
    chunks: Vec<Option<String>>,
    /// The numbers of the chunks this dump writes (all, unless preset).
    selected: Vec<usize>,
    schema_file: FileEntry,
    /// Codecs of the masked text columns whose charset is not UTF-8.
    charsets: ColumnCharsets,
    /// The stored columns as a schema, and its BigQuery schema file, when
    /// the dump writes the export.
    bigquery: Option<(TableSchema, FileEntry)>,
}

struct Job {
    table: usize,
    chunk: usize,
}

/// What a dump did.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DumpOutcome {
    /// The manifest written.
    pub manifest: Manifest,
    /// Values changed by masking per `db.table.column` (counts, never values).
    pub masked: Vec<(String, u64)>,
    /// Rows dropped by a `rows = { where = ... }` policy per `db.table`
    /// (tables with `rows = "none"` are not read at all, so not counted).
    pub dropped: Vec<(String, u64)>,
    /// Problems that did not stop the dump (foreign keys that point at a
    /// table whose rows are dropped or filtered), one line each.
    pub warnings: Vec<String>,
}

/// Dump the selected tables into `out` (created; it must be empty).
pub fn dump(
    connector: &Connector,
    out: &Path,
    opts: &DumpOptions,
    progress: &Progress,
) -> Result<DumpOutcome> {
    prepare_dir(out)?;
    let empty = Rules::empty();
    let rules = opts.rules.as_deref().unwrap_or(&empty);
    let mut masking = Catalog::new(rules);
    let threads = opts.threads.max(1);
    let mut snap = snapshot::open(connector, threads, opts.lock)?;
    let snapshot_time = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let conn0 = &mut snap.conns[0];
    let tables = catalog::list_tables(conn0, &opts.filter)?;
    if let Some(preset) = &opts.preset {
        if let Some(missing) = preset.iter().find(|p| {
            !tables
                .iter()
                .any(|t| t.database == p.table.database && t.name == p.table.name)
        }) {
            return Err(Error::Table {
                table: missing.table.display_name(),
                cause: "the table whose chunks were planned is not on the server \
                        (or not selected)"
                    .into(),
            });
        }
    }
    // Bind every table first: all rule problems are reported at once,
    // before a row is read.
    let mut problems = Vec::new();
    let mut bound_tables = Vec::with_capacity(tables.len());
    for info in tables {
        let ddl = catalog::table_ddl(conn0, &info)?;
        match masking.define(ddl.schema.clone(), true) {
            Ok(bound) => bound_tables.push((info, ddl, bound)),
            Err(p) => problems.extend(p),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Rules(problems));
    }
    let mut planned = Vec::with_capacity(bound_tables.len());
    for (info, ddl, bound) in bound_tables {
        let schema_file = write_schema_file(out, &info, &ddl.create)?;
        publish(out, opts, &schema_file.file)?;
        let (plan, selected) = match &opts.preset {
            None => {
                let plan = chunk::plan(conn0, &info, &ddl.schema, opts.chunk_bytes)?;
                let all = (0..plan.conditions.len()).collect();
                (plan, all)
            }
            Some(preset) => preset_chunks(preset, &info)?,
        };
        let stored: Vec<usize> = (0..ddl.schema.columns.len())
            .filter(|&i| !ddl.schema.columns[i].generated)
            .collect();
        let bigquery = match &opts.bigquery {
            Some(eo) => {
                let schema = stored_schema(&ddl.schema, &stored);
                let f = write_bigquery_schema(out, &info, &schema, eo)?;
                publish(out, opts, &f.file)?;
                Some((schema, f))
            }
            None => None,
        };
        progress.tables.fetch_add(1, Ordering::Relaxed);
        progress
            .chunks_total
            .fetch_add(selected.len() as u64, Ordering::Relaxed);
        planned.push(PlannedTable {
            charsets: ColumnCharsets::of(&bound),
            info,
            ddl,
            bound,
            stored,
            strategy: plan.strategy,
            chunks: plan.conditions,
            selected,
            schema_file,
            bigquery,
        });
    }
    let mut db_names: Vec<String> = if opts.filter.databases.is_empty() {
        planned.iter().map(|t| t.info.database.clone()).collect()
    } else {
        opts.filter.databases.clone()
    };
    db_names.sort();
    db_names.dedup();
    let mut databases = Vec::new();
    for db in catalog::database_info(conn0, &db_names)? {
        let sequences = catalog::sequences(conn0, &db.name, &opts.filter)?;
        let sequences = if sequences.is_empty() {
            None
        } else {
            let f = write_sequences_file(out, &db.name, &sequences)?;
            publish(out, opts, &f.file)?;
            Some(f)
        };
        let objects = catalog::objects(conn0, &db.name)?;
        let objects = if objects.is_empty() {
            None
        } else {
            let f = write_objects_file(out, &db.name, &objects)?;
            publish(out, opts, &f.file)?;
            Some(f)
        };
        databases.push(DatabaseEntry {
            name: db.name,
            charset: db.charset,
            collation: db.collation,
            objects,
            sequences,
        });
    }

    let (results, counts, dropped_counts) =
        run_chunks(&mut snap.conns, &planned, out, opts, progress)?;
    let add_up = |names: &[String], counts: Vec<u64>| {
        let mut out: Vec<(String, u64)> = Vec::new();
        for (name, n) in names.iter().zip(counts) {
            if n > 0 {
                match out.iter_mut().find(|(m, _)| m == name) {
                    Some((_, total)) => *total += n,
                    None => out.push((name.clone(), n)),
                }
            }
        }
        out
    };
    let masked = add_up(masking.counter_names(), counts);
    let dropped = add_up(masking.table_counter_names(), dropped_counts);
    let warnings = masking.row_policy_warnings();
    let mut table_entries = Vec::with_capacity(planned.len());
    let mut by_table: Vec<Vec<(usize, ChunkEntry)>> = vec![Vec::new(); planned.len()];
    for (job, entry) in results {
        by_table[job.table].push((job.chunk, entry));
    }
    for (t, mut chunks) in planned.into_iter().zip(by_table) {
        chunks.sort_by_key(|(n, _)| *n);
        let part = (t.selected.len() < t.chunks.len()).then(|| TablePart {
            chunks: chunks.iter().map(|(n, _)| *n).collect(),
            of: t.chunks.len(),
        });
        let mut digest = RowDigest::new();
        for (_, c) in &chunks {
            let d = RowDigest::from_hex(&c.digest, c.rows).ok_or_else(|| Error::Table {
                table: t.info.display_name(),
                cause: "internal: chunk digest is not hex".into(),
            })?;
            digest.merge(&d);
        }
        table_entries.push(TableEntry {
            columns: t
                .stored
                .iter()
                .map(|&i| t.ddl.schema.columns[i].name.clone())
                .collect(),
            database: t.info.database,
            name: t.info.name,
            schema: t.schema_file,
            chunking: t.strategy,
            rows: digest.rows(),
            digest: digest.hex(),
            chunks: chunks.into_iter().map(|(_, c)| c).collect(),
            bigquery_schema: t.bigquery.map(|(_, f)| f),
            part,
        });
    }
    let m = Manifest {
        format_version: manifest::FORMAT_VERSION,
        tool: opts.tool.clone(),
        server_version: snap.server_version.clone(),
        snapshot_time,
        snapshot: snap.position.clone(),
        options: DumpedOptions {
            format: opts.format,
            compression: opts.compression,
            threads,
            chunk_bytes: opts.chunk_bytes,
            bigquery: opts.bigquery.as_ref().map(BigQueryExport::from_options),
        },
        rules_sha256: opts.rules_sha256.clone(),
        key_fingerprint: opts.rules.as_deref().and_then(|r| r.key_fingerprint()),
        databases,
        tables: table_entries,
    };
    // End the read-only transactions before declaring the dump complete.
    for c in snap.conns.iter_mut() {
        c.query_drop("COMMIT")
            .map_err(|e| Error::server("ending the snapshot", e))?;
    }
    m.write(out)?;
    publish(out, opts, manifest::MANIFEST)?;
    Ok(DumpOutcome {
        manifest: m,
        masked,
        dropped,
        warnings,
    })
}

/// Table `info`'s chunks from `preset` (it must be there), and the numbers
/// of those to write (in range; ascending, each once).
fn preset_chunks(
    preset: &[ChunkSelection],
    info: &TableInfo,
) -> Result<(chunk::ChunkPlan, Vec<usize>)> {
    let problem = |cause: String| Error::Table {
        table: info.display_name(),
        cause,
    };
    let sel = preset
        .iter()
        .find(|p| p.table.database == info.database && p.table.name == info.name)
        .ok_or_else(|| problem("the table is selected but its chunks were not planned".into()))?;
    let n = sel.table.conditions.len();
    let mut selected = sel.chunks.clone();
    selected.sort_unstable();
    selected.dedup();
    if n == 0
        || selected.is_empty()
        || selected.len() != sel.chunks.len()
        || selected[selected.len() - 1] >= n
    {
        return Err(problem(format!(
            "the chunks to write ({:?}) are not distinct chunks of the {n} planned",
            sel.chunks
        )));
    }
    Ok((
        chunk::ChunkPlan {
            strategy: sel.table.chunking.clone(),
            conditions: sel.table.conditions.clone(),
        },
        selected,
    ))
}

/// Cut the tables `filter` selects into chunks of about `chunk_bytes`, as
/// [`dump`] would (same connection settings, catalog order: largest
/// first), without dumping them: a sharded run's plan, whose shards then
/// dump chunks of the same cut ([`DumpOptions::preset`]). Reads the catalog
/// and key values only, in one snapshot taken without the lock (as
/// `--no-lock` does): the shards' later snapshots see the same rows only
/// if nobody writes to the server (a restored snapshot).
pub fn plan_chunks(
    connector: &Connector,
    filter: &TableFilter,
    chunk_bytes: u64,
) -> Result<Vec<TableChunks>> {
    // The dump's connection settings (binary: boundary literals are the
    // key columns' own bytes).
    let mut snap = snapshot::open(connector, 1, false)?;
    let conn = &mut snap.conns[0];
    let mut out = Vec::new();
    for info in catalog::list_tables(conn, filter)? {
        let ddl = catalog::table_ddl(conn, &info)?;
        let plan = chunk::plan(conn, &info, &ddl.schema, chunk_bytes)?;
        out.push(TableChunks {
            bytes: info.data_length + info.index_length,
            database: info.database,
            name: info.name,
            chunking: plan.strategy,
            conditions: plan.conditions,
        });
    }
    conn.query_drop("COMMIT")
        .map_err(|e| Error::server("ending the snapshot", e))?;
    Ok(out)
}

/// Create dump file `name`: streamed to the publisher when it streams,
/// else in the output directory.
fn create_file(out: &Path, opts: &DumpOptions, name: &str, c: Compression) -> Result<OutFile> {
    if let Some(p) = &opts.publish {
        if let Some(object) = p.stream(name)? {
            return OutFile::streamed(object, name, c);
        }
    }
    OutFile::create(out, name, c)
}

/// Finish a file from [`create_file`] and publish it when it was staged.
fn finish_file(f: OutFile, out: &Path, opts: &DumpOptions) -> Result<FileEntry> {
    let streamed = f.is_streamed();
    let entry = f.finish()?;
    if !streamed {
        publish(out, opts, &entry.file)?;
    }
    Ok(entry)
}

/// Hand the finished file `name` to the publisher, if any, and drop the staged copy.
fn publish(out: &Path, opts: &DumpOptions, name: &str) -> Result<()> {
    if let Some(p) = &opts.publish {
        let local = out.join(name);
        p.publish(&local, name)?;
        std::fs::remove_file(&local).map_err(|e| Error::io(&local, e))?;
    }
    Ok(())
}

/// Create `out`, which must not exist or be empty (a stale manifest must
/// never make a new, unfinished dump look complete).
fn prepare_dir(out: &Path) -> Result<()> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let mut entries = std::fs::read_dir(out).map_err(|e| Error::io(out, e))?;
    if entries.next().is_some() {
        return Err(Error::Dump {
            path: out.to_owned(),
            cause: "the output directory is not empty".into(),
        });
    }
    Ok(())
}

/// The first line of every `<db>@<table>.sql` schema file.
pub const SCHEMA_HEADER: &str = "/*!40101 SET NAMES utf8mb4 */;\n";

fn write_schema_file(out: &Path, info: &TableInfo, create: &str) -> Result<FileEntry> {
    let name = manifest::schema_file(&info.database, &info.name);
    let mut f = OutFile::create(out, &name, Compression::None)?;
    f.put(format!("{SCHEMA_HEADER}{create};\n").as_bytes())?;
    f.finish()
}

/// The stored columns of `schema` (what the chunks hold), for the export.
fn stored_schema(schema: &TableSchema, stored: &[usize]) -> TableSchema {
    let mut s = schema.clone();
    s.columns = stored.iter().map(|&i| schema.columns[i].clone()).collect();
    s
}

fn write_bigquery_schema(
    out: &Path,
    info: &TableInfo,
    schema: &TableSchema,
    eo: &ExportOptions,
) -> Result<FileEntry> {
    let name = manifest::bigquery_schema_file(&info.database, &info.name);
    let mut f = OutFile::create(out, &name, Compression::None)?;
    f.put(export::bigquery_schema_json_with(schema, eo).as_bytes())?;
    f.finish()
}

/// A chunk's BigQuery export: its file and the row being encoded.
struct ExportChunk<'a> {
    file: OutFile,
    buf: Vec<u8>,
    schema: &'a TableSchema,
    opts: &'a ExportOptions,
    inexact: u64,
}

impl<'a> ExportChunk<'a> {
    fn create(file: OutFile, schema: &'a TableSchema, opts: &'a ExportOptions) -> Result<Self> {
        let mut buf = Vec::with_capacity(1 << 16);
        if opts.header {
            export::write_header(schema, &mut buf);
        }
        Ok(ExportChunk {
            file,
            buf,
            schema,
            opts,
            inexact: 0,
        })
    }

    /// One row of final values, one per stored column.
    fn row(&mut self, values: &[Option<&[u8]>]) -> Result<()> {
        let charset = self.schema.default_charset.as_deref();
        for (i, (v, col)) in values.iter().zip(&self.schema.columns).enumerate() {
            if i > 0 {
                self.buf.push(b'\t');
            }
            let o = export::write_stored_field(*v, col, charset, self.opts, &mut self.buf);
            if matches!(o, FieldOutcome::Nulled | FieldOutcome::Replaced) {
                self.inexact += 1;
            }
        }
        export::write_row_end(&mut self.buf);
        if self.buf.len() >= crate::encode::STATEMENT_BYTES {
            self.file.put(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// The file, with every row written, and the count of inexact values.
    fn end(mut self) -> Result<(OutFile, u64)> {
        self.file.put(&self.buf)?;
        Ok((self.file, self.inexact))
    }
}

/// Marks an object in `<db>.objects.sql`: `-- masker: <kind> <name>`.
pub const OBJECT_MARK: &str = "-- masker: ";
/// Ends each object's statement in `<db>.objects.sql` (a line of its own).
pub const OBJECT_END: &str = ";;";

fn write_objects_file(out: &Path, db: &str, objects: &[ObjectDdl]) -> Result<FileEntry> {
    let statements = objects.iter().map(|o| {
        let label = format!("{} {}", o.kind.keyword().to_lowercase(), ident(&o.name));
        (label, o.create.clone())
    });
    write_ddl_file(out, &manifest::objects_file(db), statements)
}

/// `<db>.sequences.sql`: each sequence's `CREATE SEQUENCE`, then a
/// `SETVAL` to its next value, in the objects file's layout (labels
/// `sequence <name>` and `setval <name>`).
fn write_sequences_file(out: &Path, db: &str, sequences: &[SequenceDdl]) -> Result<FileEntry> {
    let statements = sequences.iter().flat_map(|s| {
        let id = ident(&s.name);
        [
            (format!("sequence {id}"), s.create.clone()),
            (
                format!("setval {id}"),
                format!("SELECT SETVAL({id}, {}, 0)", s.next),
            ),
        ]
    });
    write_ddl_file(out, &manifest::sequences_file(db), statements)
}

/// A file of labelled statements between `DELIMITER ;;` lines, each
/// marked by an [`OBJECT_MARK`] line and ended by an [`OBJECT_END`] line.
fn write_ddl_file(
    out: &Path,
    name: &str,
    statements: impl Iterator<Item = (String, String)>,
) -> Result<FileEntry> {
    let mut text = String::from("/*!40101 SET NAMES utf8mb4 */;\nDELIMITER ;;\n");
    for (label, statement) in statements {
        text.push_str(&format!(
            "{OBJECT_MARK}{label}\n{statement}\n{OBJECT_END}\n"
        ));
    }
    text.push_str("DELIMITER ;\n");
    let mut f = OutFile::create(out, name, Compression::None)?;
    f.put(text.as_bytes())?;
    f.finish()
}

/// Chunks written, changed-value counts per masking counter, and dropped
/// rows per table counter.
type ChunkResults = (Vec<(Job, ChunkEntry)>, Vec<u64>, Vec<u64>);

/// Dump every chunk on the snapshot's connections, largest tables first.
fn run_chunks(
    conns: &mut [Conn],
    tables: &[PlannedTable],
    out: &Path,
    opts: &DumpOptions,
    progress: &Progress,
) -> Result<ChunkResults> {
    let (tx, rx) = crossbeam_channel::unbounded();
    for (t, table) in tables.iter().enumerate() {
        for &chunk in &table.selected {
            let _ = tx.send(Job { table: t, chunk });
        }
    }
    drop(tx);
    let failed = AtomicBool::new(false);
    let done = Mutex::new(Vec::new());
    let counts: Mutex<Vec<u64>> = Mutex::new(Vec::new());
    let dropped: Mutex<Vec<u64>> = Mutex::new(Vec::new());
    let first_error = Mutex::new(None);
    std::thread::scope(|s| {
        for conn in conns.iter_mut() {
            let rx = rx.clone();
            let (failed, done, first_error, counts, dropped) =
                (&failed, &done, &first_error, &counts, &dropped);
            s.spawn(move || {
                let mut masker = RowMasker::new();
                for job in rx.iter() {
                    if failed.load(Ordering::Relaxed) {
                        return;
                    }
                    let table = &tables[job.table];
                    let result =
                        dump_chunk(conn, &mut masker, table, job.chunk, out, opts, progress);
                    for (total, taken) in [
                        (counts, masker.take_counts()),
                        (dropped, masker.take_dropped()),
                    ] {
                        let mut c = lock(total);
                        for (i, n) in taken {
                            if c.len() <= i {
                                c.resize(i + 1, 0);
                            }
                            c[i] += n;
                        }
                    }
                    match result {
                        Ok(entry) => {
                            progress.chunks_done.fetch_add(1, Ordering::Relaxed);
                            lock(done).push((job, entry));
                        }
                        Err(e) => {
                            failed.store(true, Ordering::Relaxed);
                            lock(first_error).get_or_insert(e);
                            return;
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = lock(&first_error).take() {
        return Err(e);
    }
    Ok((
        done.into_inner().unwrap_or_else(|p| p.into_inner()),
        counts.into_inner().unwrap_or_else(|p| p.into_inner()),
        dropped.into_inner().unwrap_or_else(|p| p.into_inner()),
    ))
}

/// Lock a mutex, taking the data even if another worker panicked.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Stream one chunk's rows into its file.
fn dump_chunk(
    conn: &mut Conn,
    masker: &mut RowMasker,
    table: &PlannedTable,
    n: usize,
    out: &Path,
    opts: &DumpOptions,
    progress: &Progress,
) -> Result<ChunkEntry> {
    let info = &table.info;
    let schema = &table.ddl.schema;
    let place = format!("dumping {} chunk {n}", info.display_name());
    let cols: Vec<String> = table
        .stored
        .iter()
        .map(|&i| ident(&schema.columns[i].name))
        .collect();
    let q = format!(
        "SELECT {} FROM {}{}",
        cols.join(", "),
        qualified(&info.database, &info.name),
        table.chunks[n]
            .as_ref()
            .map(|w| format!(" WHERE {w}"))
            .unwrap_or_default()
    );
    let name = manifest::chunk_file(&info.database, &info.name, n, opts.format, opts.compression);
    let mut file = create_file(out, opts, &name, opts.compression)?;
    let mut enc = ChunkEncoder::new(opts.format, &info.name, schema, &table.stored);
    let mut bq = match (&table.bigquery, &opts.bigquery) {
        (Some((bq_schema, _)), Some(eo)) => {
            // Uncompressed: BigQuery loads plain files in parallel, never zstd.
            let name = manifest::bigquery_file(&info.database, &info.name, n, Compression::None);
            let file = create_file(out, opts, &name, Compression::None)?;
            Some(ExportChunk::create(file, bq_schema, eo)?)
        }
        _ => None,
    };
    let mut digest = RowDigest::new();
    // Per row, reused: masked values re-encoded into their column's
    // charset, and each stored column's span in it.
    let mut encoded: Vec<u8> = Vec::new();
    let mut spans: Vec<Option<(usize, usize)>> = Vec::with_capacity(table.stored.len());
    // `rows = "none"`: the table's rows are never read.
    let q = if table.bound.drops_all_rows() {
        format!("{q} LIMIT 0")
    } else {
        q
    };
    let mut result = conn.query_iter(q).map_err(|e| Error::data(&place, e))?;
    for row in result.by_ref() {
        let row = row.map_err(|e| Error::data(&place, e))?;
        let raw: Vec<Option<&[u8]>> = (0..table.stored.len())
            .map(|i| sql::cell(&row, i))
            .collect();
        let bound = &table.bound;
        if bound.masks() {
            masker.begin(bound);
            for (&col, v) in table.stored.iter().zip(&raw) {
                match (v, table.charsets.codec(col)) {
                    (Some(v), Some(codec)) => masker.decode(col, |buf| {
                        transcode::decode_into(codec, v, buf);
                        true
                    }),
                    (Some(v), None) => masker.set_value(col, v),
                    (None, _) => masker.set_null(col),
                }
            }
            let masked = masker.mask(bound).map_err(|e| Error::Table {
                table: info.display_name(),
                cause: format!("chunk {n}: {}", e.message),
            })?;
            // Dropped by the table's row policy.
            let Some(masked) = masked else {
                continue;
            };
            // Masked values of converting columns go back to their charset.
            encoded.clear();
            spans.clear();
            for &col in &table.stored {
                let span = match (masked.cell(col), table.charsets.codec(col)) {
                    (Cell::Value(v), Some(codec)) => {
                        let start = encoded.len();
                        transcode::encode_into(codec, v, &mut encoded).map_err(|e| {
                            Error::Table {
                                table: info.display_name(),
                                cause: format!(
                                    "chunk {n}, column {}: {}",
                                    schema.columns[col].name,
                                    e.reason(codec)
                                ),
                            }
                        })?;
                        Some((start, encoded.len()))
                    }
                    _ => None,
                };
                spans.push(span);
            }
            let values: Vec<Option<&[u8]>> = table
                .stored
                .iter()
                .zip(&raw)
                .zip(&spans)
                .map(|((&col, original), span)| match (masked.cell(col), span) {
                    (_, Some((a, b))) => Some(&encoded[*a..*b]),
                    (Cell::Same, _) => *original,
                    (Cell::Value(v), _) => Some(v),
                    (Cell::Null | Cell::Regenerated, _) => None,
                })
                .collect();
            digest.add_row(values.iter().copied());
            if let Some(bq) = bq.as_mut() {
                bq.row(&values)?;
            }
            enc.row(&values)
        } else {
            digest.add_row(raw.iter().copied());
            if let Some(bq) = bq.as_mut() {
                bq.row(&raw)?;
            }
            enc.row(&raw)
        }
        .map_err(|cause| Error::Table {
            table: info.display_name(),
            cause: format!("chunk {n}: {cause}"),
        })?;
        progress.rows.fetch_add(1, Ordering::Relaxed);
        if enc.buffered() >= crate::encode::STATEMENT_BYTES {
            let bytes = enc.take(false);
            progress
                .bytes
                .fetch_add(bytes.len() as u64, Ordering::Relaxed);
            file.put(bytes)?;
            enc.clear();
        }
    }
    drop(result);
    let bytes = enc.take(true);
    progress
        .bytes
        .fetch_add(bytes.len() as u64, Ordering::Relaxed);
    file.put(bytes)?;
    let entry = finish_file(file, out, opts)?;
    let bigquery = match bq {
        Some(bq) => {
            let (f, inexact) = bq.end()?;
            let f = finish_file(f, out, opts)?;
            progress
                .export_inexact
                .fetch_add(inexact, Ordering::Relaxed);
            Some(f)
        }
        None => None,
    };
    Ok(ChunkEntry {
        file: entry,
        rows: digest.rows(),
        digest: digest.hex(),
        bigquery,
    })
}
