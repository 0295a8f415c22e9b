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
#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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
}
