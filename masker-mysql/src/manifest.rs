//! `manifest.json`: what a dump holds, written last so that a directory
//! without it is an incomplete dump. Tool and server versions, snapshot
//! position, options, the rules file's SHA-256 and the key's fingerprint
//! (never the key), and per table its files with rows, bytes, SHA-256 and
//! the order-independent row digest. This module owns the file format and
//! file naming; it does no server I/O.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::chunk::Strategy;
use crate::error::{Error, Result};
use crate::snapshot::Position;

/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";
/// The format version written; readers refuse others.
pub const FORMAT_VERSION: u32 = 1;

/// Chunk file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// mysqldump-compatible extended INSERTs, one statement per line.
    Sql,
    /// `LOAD DATA` text: tab-separated, `\N` for NULL, `\` escapes, `CHARACTER SET binary`.
    Tsv,
}

impl Format {
    /// File extension (`sql`, `tsv`).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Sql => "sql",
            Format::Tsv => "tsv",
        }
    }
}

/// Compression of chunk files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    /// Plain files.
    None,
    /// zstd frames (`.zst`).
    Zstd,
}

/// The whole dump.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// `masker <version>`.
    pub tool: String,
    /// The source server's `VERSION()`.
    pub server_version: String,
    /// Seconds since the Unix epoch when the snapshot was taken.
    pub snapshot_time: u64,
    /// Where the snapshot stands.
    pub snapshot: Position,
    /// Options that shaped the files.
    pub options: DumpedOptions,
    /// SHA-256 of the rules file, when the rows were masked.
    pub rules_sha256: Option<String>,
    /// Fingerprint of the masking key (never the key), when masked.
    pub key_fingerprint: Option<String>,
    /// The databases, with their objects file.
    pub databases: Vec<DatabaseEntry>,
    /// The tables, largest first.
    pub tables: Vec<TableEntry>,
}

/// Options recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DumpedOptions {
    /// Chunk file format.
    pub format: Format,
    /// Chunk file compression.
    pub compression: Compression,
    /// Connections used.
    pub threads: usize,
    /// Target chunk size in bytes.
    pub chunk_bytes: u64,
    /// The BigQuery export's settings, when the dump wrote one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bigquery: Option<BigQueryExport>,
}

/// How the BigQuery export was written (what `bq load` must be told).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BigQueryExport {
    /// `--null_marker` (UTF-8, lossy).
    pub null_marker: String,
    /// Binary columns: `base64` (BYTES) or `hex` (STRING).
    pub binary: String,
    /// Each file starts with a header line (`--skip_leading_rows=1`).
    pub header: bool,
}

impl BigQueryExport {
    /// The record of `opts`.
    pub fn from_options(opts: &masker_core::export::ExportOptions) -> Self {
        BigQueryExport {
            null_marker: String::from_utf8_lossy(&opts.null_marker).into_owned(),
            binary: opts.binary.to_string(),
            header: opts.header,
        }
    }
}

/// One database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseEntry {
    /// Name.
    pub name: String,
    /// Default character set.
    pub charset: String,
    /// Default collation.
    pub collation: String,
    /// `<db>.objects.sql` (views, triggers, routines, events), when there are any.
    pub objects: Option<FileEntry>,
}

/// One table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TableEntry {
    /// Database.
    pub database: String,
    /// Table name.
    pub name: String,
    /// The stored (non-generated) columns written, in order.
    pub columns: Vec<String>,
    /// `<db>@<table>.sql`: the `CREATE TABLE`.
    pub schema: FileEntry,
    /// How the table was cut.
    pub chunking: Strategy,
    /// Rows in all chunks.
    pub rows: u64,
    /// Order-independent digest of all rows as written (32 hex digits).
    pub digest: String,
    /// The chunks, in key order.
    pub chunks: Vec<ChunkEntry>,
    /// `<db>@<table>.bq.json`: the BigQuery schema of the export, when the
    /// dump wrote one (`--bigquery`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bigquery_schema: Option<FileEntry>,
}

impl TableEntry {
    /// `db.table`.
    pub fn display_name(&self) -> String {
        format!("{}.{}", self.database, self.name)
    }
}

/// A file of the dump.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Name inside the dump directory.
    pub file: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the file, hex.
    pub sha256: String,
}

/// One chunk of a table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChunkEntry {
    /// The data file.
    #[serde(flatten)]
    pub file: FileEntry,
    /// Rows written.
    pub rows: u64,
    /// Digest of the chunk's rows (32 hex digits).
    pub digest: String,
    /// `<db>@<table>@<n>.bq.tsv[.zst]`: the same rows in BigQuery's
    /// tab-separated CSV dialect, when the dump wrote an export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bigquery: Option<FileEntry>,
}

/// A database or table name made safe for a file name: bytes other than
/// ASCII letters, digits, `_`, `-` and `$` become `%XX` (so `@` and `/`
/// never appear).
pub fn file_component(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'$') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `<db>@<table>.sql`.
pub fn schema_file(db: &str, table: &str) -> String {
    format!("{}@{}.sql", file_component(db), file_component(table))
}

/// `<db>@<table>@<n>.<ext>[.zst]`.
pub fn chunk_file(db: &str, table: &str, n: usize, format: Format, c: Compression) -> String {
    let z = if c == Compression::Zstd { ".zst" } else { "" };
    format!(
        "{}@{}@{n}.{}{z}",
        file_component(db),
        file_component(table),
        format.extension()
    )
}

/// `<db>@<table>@<n>.bq.tsv[.zst]`: a chunk's BigQuery export.
pub fn bigquery_file(db: &str, table: &str, n: usize, c: Compression) -> String {
    let z = if c == Compression::Zstd { ".zst" } else { "" };
    format!(
        "{}@{}@{n}.bq.tsv{z}",
        file_component(db),
        file_component(table)
    )
}

/// `<db>@<table>.bq.json`: a table's BigQuery schema.
pub fn bigquery_schema_file(db: &str, table: &str) -> String {
    format!("{}@{}.bq.json", file_component(db), file_component(table))
}

/// `<db>.objects.sql`.
pub fn objects_file(db: &str) -> String {
    format!("{}.objects.sql", file_component(db))
}

impl Manifest {
    /// Write `manifest.json` into `dir` atomically (a temporary file renamed),
    /// after syncing it: once it exists, it is whole.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let tmp = dir.join(".manifest.json.tmp");
        let text = serde_json::to_vec_pretty(self).map_err(|e| Error::Dump {
            path: tmp.clone(),
            cause: format!("cannot encode the manifest: {e}"),
        })?;
        let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        f.write_all(&text)
            .and_then(|_| f.write_all(b"\n"))
            .and_then(|_| f.sync_all())
            .map_err(|e| Error::io(&tmp, e))?;
        let path = dir.join(MANIFEST);
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
    }

    /// Read `dir/manifest.json`. A missing manifest means an incomplete dump.
    pub fn read(dir: &Path) -> Result<Manifest> {
        Ok(Manifest::read_from(&crate::source::DirSource::new(dir))?.0)
    }

    /// Read the manifest of the dump `source` holds, with its bytes (for
    /// its SHA-256). A missing manifest means an incomplete dump.
    pub fn read_from(source: &dyn crate::source::DumpSource) -> Result<(Manifest, Vec<u8>)> {
        let text = match source.read(MANIFEST) {
            Ok(t) => t,
            Err(e) if crate::source::is_not_found(&e) => {
                return Err(Error::Dump {
                    path: source.location(""),
                    cause: format!(
                        "no {MANIFEST}: not a masker dump, or a dump that did not finish"
                    ),
                })
            }
            Err(e) => return Err(e),
        };
        let path = source.location(MANIFEST);
        let m: Manifest = serde_json::from_slice(&text).map_err(|e| Error::Dump {
            path: path.clone(),
            cause: format!("invalid manifest: {e}"),
        })?;
        if m.format_version != FORMAT_VERSION {
            return Err(Error::Dump {
                path,
                cause: format!(
                    "manifest format {} is not supported (this masker reads {FORMAT_VERSION})",
                    m.format_version
                ),
            });
        }
        Ok((m, text))
    }
}

/// Why shard manifests cannot be merged into one dump's manifest.
fn merge_problem(what: String) -> Error {
    Error::Dump {
        path: MANIFEST.into(),
        cause: format!("cannot merge the shard manifests: {what}"),
    }
}

impl Manifest {
    /// Merge the manifests of shards of one dump (each dumped a disjoint
    /// set of tables of the same server, with the same options and rules)
    /// into the manifest a one-process dump of all those tables would have
    /// written. Tables are ordered as `order` lists them (`db.table`; tables
    /// it does not name come last, in shard order). Refused: no part, parts
    /// that disagree on the tool, server, snapshot position, options, rules,
    /// key or databases, and a table in two parts.
    pub fn merge(parts: Vec<Manifest>, order: &[String]) -> Result<Manifest> {
        let mut parts = parts.into_iter();
        let mut merged = parts
            .next()
            .ok_or_else(|| merge_problem("there are none".into()))?;
        for (i, p) in parts.enumerate() {
            let n = i + 1;
            let differs = |what: &str| merge_problem(format!("shard part {n} differs in {what}"));
            if p.format_version != merged.format_version {
                return Err(differs("format version"));
            }
            if p.tool != merged.tool {
                return Err(differs("the tool"));
            }
            if p.server_version != merged.server_version {
                return Err(differs("the server version"));
            }
            if p.snapshot != merged.snapshot {
                return Err(differs(
                    "the snapshot position (the source changed between shards)",
                ));
            }
            if p.options != merged.options {
                return Err(differs("the dump options"));
            }
            if p.rules_sha256 != merged.rules_sha256 {
                return Err(differs("the rules file"));
            }
            if p.key_fingerprint != merged.key_fingerprint {
                return Err(differs("the masking key"));
            }
            if p.databases != merged.databases {
                return Err(differs("the databases or their objects"));
            }
            merged.snapshot_time = merged.snapshot_time.min(p.snapshot_time);
            for t in p.tables {
                if merged
                    .tables
                    .iter()
                    .any(|m| m.database == t.database && m.name == t.name)
                {
                    return Err(merge_problem(format!(
                        "table {} is in more than one shard",
                        t.display_name()
                    )));
                }
                merged.tables.push(t);
            }
        }
        let rank = |t: &TableEntry| {
            let name = t.display_name();
            order.iter().position(|o| *o == name).unwrap_or(order.len())
        };
        merged.tables.sort_by_key(rank);
        Ok(merged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_escape_separators() {
        assert_eq!(file_component("a@b/c.d é"), "a%40b%2Fc%2Ed%20%C3%A9");
        assert_eq!(schema_file("db", "t"), "db@t.sql");
        assert_eq!(
            chunk_file("db", "t", 3, Format::Tsv, Compression::Zstd),
            "db@t@3.tsv.zst"
        );
        assert_eq!(
            chunk_file("db", "t", 0, Format::Sql, Compression::None),
            "db@t@0.sql"
        );
        assert_eq!(
            bigquery_file("d b", "t", 2, Compression::Zstd),
            "d%20b@t@2.bq.tsv.zst"
        );
        assert_eq!(bigquery_schema_file("db", "t"), "db@t.bq.json");
    }

    fn table(name: &str, rows: u64) -> TableEntry {
        TableEntry {
            database: "db".into(),
            name: name.into(),
            columns: vec!["id".into()],
            schema: FileEntry {
                file: schema_file("db", name),
                bytes: 10,
                sha256: "00".into(),
            },
            chunking: Strategy::Single,
            rows,
            digest: format!("{rows:032x}"),
            chunks: vec![],
            bigquery_schema: None,
        }
    }

    fn part(tables: Vec<TableEntry>, time: u64) -> Manifest {
        Manifest {
            format_version: FORMAT_VERSION,
            tool: "masker-aws 0".into(),
            server_version: "10.11".into(),
            snapshot_time: time,
            snapshot: Position::default(),
            options: DumpedOptions {
                format: Format::Sql,
                compression: Compression::Zstd,
                threads: 2,
                chunk_bytes: 1 << 20,
                bigquery: None,
            },
            rules_sha256: None,
            key_fingerprint: None,
            databases: vec![DatabaseEntry {
                name: "db".into(),
                charset: "utf8mb4".into(),
                collation: "utf8mb4_general_ci".into(),
                objects: None,
            }],
            tables,
        }
    }

    #[test]
    fn merged_parts_hold_every_table_in_the_given_order() {
        let a = part(vec![table("big", 9), table("small", 1)], 20);
        let b = part(vec![table("mid", 5)], 10);
        let order = ["db.big".to_string(), "db.mid".into(), "db.small".into()];
        let m = Manifest::merge(vec![a, b], &order).unwrap();
        let names: Vec<&str> = m.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["big", "mid", "small"]);
        assert_eq!(m.snapshot_time, 10);
        assert_eq!(m.tables[1].rows, 5);
    }

    #[test]
    fn a_table_in_two_parts_is_refused() {
        let e = Manifest::merge(
            vec![part(vec![table("t", 1)], 1), part(vec![table("t", 1)], 1)],
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("table db.t is in more than one shard"), "{e}");
    }

    #[test]
    fn parts_that_disagree_are_refused() {
        let mut b = part(vec![table("u", 1)], 1);
        b.rules_sha256 = Some("ab".into());
        let e = Manifest::merge(vec![part(vec![table("t", 1)], 1), b], &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("shard part 1 differs in the rules file"), "{e}");
        let mut c = part(vec![table("u", 1)], 1);
        c.snapshot.gtid = Some("0-1-5".into());
        let e = Manifest::merge(vec![part(vec![], 1), c], &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("snapshot position"), "{e}");
        assert!(Manifest::merge(vec![], &[]).is_err());
    }
}
