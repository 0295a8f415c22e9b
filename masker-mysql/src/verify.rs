//! `masker verify`: the restore test. Every file of the dump is re-hashed
//! and compared with its SHA-256 in the manifest; every table's rows are
//! read back from the server (text protocol, the same session settings as
//! the dump) and their count and order-independent digest compared with
//! the manifest. The result is a per-table report; this module never
//! changes the server.

use std::path::Path;
use std::sync::Mutex;

use crate::connect::{Connector, Names};
use crate::digest::RowDigest;
use crate::error::{Error, Result};
use crate::files;
use crate::load::DatabaseMap;
use crate::manifest::{FileEntry, Manifest, TableEntry};
use crate::source::{DirSource, DumpSource};
use crate::sql::{self, ident, qualified};

/// How to verify.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct VerifyOptions {
    /// Connections (tables are checked in parallel).
    pub threads: usize,
    /// The dump was loaded under this database name.
    pub into_database: Option<String>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            threads: 2,
            into_database: None,
        }
    }
}

/// One table's check.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TableCheck {
    /// `db.table` where the rows were read (after `into_database`).
    pub table: String,
    /// Rows in the manifest.
    pub expected_rows: u64,
    /// Rows on the server (`None` when they could not be read).
    pub actual_rows: Option<u64>,
    /// Digests agree and counts agree.
    pub ok: bool,
    /// What went wrong, if anything (never a value).
    pub problem: Option<String>,
}

/// One file that does not match the manifest.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FileProblem {
    /// File name inside the dump.
    pub file: String,
    /// What is wrong.
    pub problem: String,
}

/// The outcome of a verify.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct VerifyReport {
    /// Per table, in manifest order.
    pub tables: Vec<TableCheck>,
    /// Files checked.
    pub files_checked: usize,
    /// Files that differ from the manifest.
    pub file_problems: Vec<FileProblem>,
}

impl VerifyReport {
    /// True when every file and every table matches.
    pub fn ok(&self) -> bool {
        self.file_problems.is_empty() && self.tables.iter().all(|t| t.ok)
    }
}

/// Check the files in `dir` against their manifest (no server needed).
pub fn verify_files(dir: &Path, m: &Manifest) -> (usize, Vec<FileProblem>) {
    verify_files_from(&DirSource::new(dir), m)
}

/// Check the files `source` holds against their manifest, each streamed
/// and hashed where it is (no server needed, no local copy).
pub fn verify_files_from(source: &dyn DumpSource, m: &Manifest) -> (usize, Vec<FileProblem>) {
    let mut entries: Vec<&FileEntry> = Vec::new();
    for d in &m.databases {
        entries.extend(d.files());
    }
    for t in &m.tables {
        entries.push(&t.schema);
        entries.extend(t.chunks.iter().map(|c| &c.file));
        entries.extend(t.bigquery_schema.iter());
        entries.extend(t.chunks.iter().filter_map(|c| c.bigquery.as_ref()));
    }
    let mut problems = Vec::new();
    for e in &entries {
        let hashed = source
            .open(&e.file)
            .and_then(|r| files::hash_reader(r, &source.location(&e.file)));
        let problem = match hashed {
            Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                Some("missing".to_owned())
            }
            Err(err) => Some(format!("cannot read: {err}")),
            Ok((bytes, _)) if bytes != e.bytes => {
                Some(format!("size {bytes} bytes, the manifest says {}", e.bytes))
            }
            Ok((_, sha)) if sha != e.sha256 => {
                Some("SHA-256 differs from the manifest (the file was changed)".to_owned())
            }
            Ok(_) => None,
        };
        if let Some(problem) = problem {
            problems.push(FileProblem {
                file: e.file.clone(),
                problem,
            });
        }
    }
    (entries.len(), problems)
}

/// Verify the dump in `dir` against the server `connector` reaches.
pub fn verify(connector: &Connector, dir: &Path, opts: &VerifyOptions) -> Result<VerifyReport> {
    verify_from(connector, &DirSource::new(dir), opts)
}

/// Verify the dump `source` holds against the server `connector` reaches.
pub fn verify_from(
    connector: &Connector,
    source: &dyn DumpSource,
    opts: &VerifyOptions,
) -> Result<VerifyReport> {
    let (m, _) = Manifest::read_from(source)?;
    let map = DatabaseMap::new(&m, opts.into_database.as_deref(), &source.location(""))?;
    let (files_checked, file_problems) = verify_files_from(source, &m);
    let threads = opts.threads.max(1).min(m.tables.len().max(1));
    let mut conns = Vec::with_capacity(threads);
    for _ in 0..threads {
        conns.push(connector.connect(Names::Binary)?);
    }
    let (tx, rx) = crossbeam_channel::unbounded();
    for (i, t) in m.tables.iter().enumerate() {
        let _ = tx.send((i, t));
    }
    drop(tx);
    let checks = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for conn in conns.iter_mut() {
            let (rx, checks, map) = (rx.clone(), &checks, &map);
            s.spawn(move || {
                for (i, t) in rx.iter() {
                    let c = check_table(conn, t, map);
                    checks
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push((i, c));
                }
            });
        }
    });
    let mut tables = checks.into_inner().unwrap_or_else(|p| p.into_inner());
    tables.sort_by_key(|(i, _)| *i);
    Ok(VerifyReport {
        tables: tables.into_iter().map(|(_, c)| c).collect(),
        files_checked,
        file_problems,
    })
}

fn check_table(conn: &mut mysql::Conn, t: &TableEntry, map: &DatabaseMap) -> TableCheck {
    let target = map.target(&t.database);
    let name = format!("{target}.{}", t.name);
    let fail = |actual_rows, problem: String| TableCheck {
        table: name.clone(),
        expected_rows: t.rows,
        actual_rows,
        ok: false,
        problem: Some(problem),
    };
    let cols: Vec<String> = t.columns.iter().map(|c| ident(c)).collect();
    let q = format!(
        "SELECT {} FROM {}",
        cols.join(", "),
        qualified(target, &t.name)
    );
    let mut digest = RowDigest::new();
    let read = (|| -> std::result::Result<(), mysql::Error> {
        use mysql::prelude::Queryable;
        let mut result = conn.query_iter(q)?;
        for row in result.by_ref() {
            let row = row?;
            digest.add_row((0..cols.len()).map(|i| sql::cell(&row, i)));
        }
        Ok(())
    })();
    if let Err(e) = read {
        return fail(None, Error::data(format!("reading {name}"), e).to_string());
    }
    let Some(expected) = RowDigest::from_hex(&t.digest, t.rows) else {
        return fail(
            Some(digest.rows()),
            "the manifest's digest is not hex".into(),
        );
    };
    if digest.rows() != t.rows {
        return fail(
            Some(digest.rows()),
            format!("{} rows, the manifest lists {}", digest.rows(), t.rows),
        );
    }
    if digest != expected {
        return fail(
            Some(digest.rows()),
            "same row count but the rows differ (digest mismatch)".into(),
        );
    }
    TableCheck {
        table: name,
        expected_rows: t.rows,
        actual_rows: Some(digest.rows()),
        ok: true,
        problem: None,
    }
}
