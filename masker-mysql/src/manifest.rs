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
    /// `<db>.sequences.sql` (`CREATE SEQUENCE` and the next value of each,
    /// loaded before the tables, whose defaults may call them), when there
    /// are any. Absent from manifests written before sequences were dumped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequences: Option<FileEntry>,
}

impl DatabaseEntry {
    /// The database's own files (sequences, objects).
    pub fn files(&self) -> impl Iterator<Item = &FileEntry> {
        self.sequences.iter().chain(self.objects.iter())
    }
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
    /// Only in a shard's manifest: the table's chunks this part holds (the
    /// others are in other shards' manifests). A dump's manifest never has
    /// it: [`Manifest::merge`] joins the parts into the whole table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<TablePart>,
}

/// Which of a table's chunks a shard's manifest holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TablePart {
    /// The numbers of the chunks held (`<db>@<table>@<n>...`), ascending,
    /// one per entry of [`TableEntry::chunks`].
    pub chunks: Vec<usize>,
    /// How many chunks the table was cut into.
    pub of: usize,
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

/// `<db>.sequences.sql`.
pub fn sequences_file(db: &str) -> String {
    format!("{}.sequences.sql", file_component(db))
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
        if let Some(t) = m.tables.iter().find(|t| t.part.is_some()) {
            return Err(Error::Dump {
                path,
                cause: format!(
                    "table {} holds only some of its chunks: this is one shard's manifest, \
                     not a whole dump's (masker-aws finish merges them)",
                    t.display_name()
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
    /// Merge the manifests of shards of one dump (each dumped whole tables,
    /// or some chunks of a table cut the same way in every shard, of the
    /// same server with the same options and rules) into the manifest a
    /// one-process dump of all those tables would have written: a table in
    /// parts is joined, its chunks in chunk order, its rows added up and its
    /// digests merged (they are order-independent sums). Tables are ordered
    /// as `order` lists them (`db.table`; tables it does not name come last,
    /// in shard order). Refused: no part, parts that disagree on the tool,
    /// server, snapshot position, options, rules, key or databases, a whole
    /// table in two parts, parts of a table that disagree on its schema or
    /// cut, and a chunk in two parts or in none.
    pub fn merge(parts: Vec<Manifest>, order: &[String]) -> Result<Manifest> {
        let mut parts = parts.into_iter();
        let mut merged = parts
            .next()
            .ok_or_else(|| merge_problem("there are none".into()))?;
        // Each table's entries, in the order tables first appear.
        let mut tables: Vec<Vec<TableEntry>> = Vec::new();
        let mut add = |t: TableEntry| match tables
            .iter_mut()
            .find(|g| g[0].database == t.database && g[0].name == t.name)
        {
            Some(g) => g.push(t),
            None => tables.push(vec![t]),
        };
        for t in std::mem::take(&mut merged.tables) {
            add(t);
        }
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
                add(t);
            }
        }
        merged.tables = tables.into_iter().map(join_parts).collect::<Result<_>>()?;
        let rank = |t: &TableEntry| {
            let name = t.display_name();
            order.iter().position(|o| *o == name).unwrap_or(order.len())
        };
        merged.tables.sort_by_key(rank);
        Ok(merged)
    }
}

/// One table from its entries in the shard manifests: a whole table alone,
/// or parts that together hold each of its chunks once.
fn join_parts(entries: Vec<TableEntry>) -> Result<TableEntry> {
    let mut entries = entries.into_iter();
    let Some(mut whole) = entries.next() else {
        return Err(merge_problem("internal: a table without entries".into()));
    };
    let name = whole.display_name();
    let rest: Vec<TableEntry> = entries.collect();
    let Some(first_part) = whole.part.take() else {
        if rest.is_empty() {
            return Ok(whole);
        }
        return Err(merge_problem(format!(
            "table {name} is in more than one shard"
        )));
    };
    let of = first_part.of;
    let mut chunks: Vec<(usize, ChunkEntry)> = Vec::with_capacity(of);
    let mut take = |part: &TablePart, entries: Vec<ChunkEntry>| -> Result<()> {
        if part.chunks.len() != entries.len()
            || part.of != of
            || part.chunks.iter().any(|&n| n >= of)
        {
            return Err(merge_problem(format!(
                "the parts of table {name} disagree on its chunks"
            )));
        }
        chunks.extend(part.chunks.iter().copied().zip(entries));
        Ok(())
    };
    take(&first_part, std::mem::take(&mut whole.chunks))?;
    for mut t in rest {
        let Some(part) = t.part.take() else {
            return Err(merge_problem(format!(
                "table {name} is in more than one shard"
            )));
        };
        if t.columns != whole.columns
            || t.schema != whole.schema
            || t.chunking != whole.chunking
            || t.bigquery_schema != whole.bigquery_schema
        {
            return Err(merge_problem(format!(
                "the parts of table {name} differ in its columns, schema or chunking"
            )));
        }
        take(&part, t.chunks)?;
    }
    chunks.sort_by_key(|(n, _)| *n);
    if let Some(w) = chunks.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(merge_problem(format!(
            "chunk {} of table {name} is in more than one shard",
            w[0].0
        )));
    }
    let missing: Vec<String> = (0..of)
        .filter(|n| chunks.binary_search_by_key(n, |(k, _)| *k).is_err())
        .map(|n| n.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(merge_problem(format!(
            "table {name}: chunk(s) {} of {of} are in no shard",
            missing.join(", ")
        )));
    }
    let mut digest = crate::digest::RowDigest::new();
    for (n, c) in &chunks {
        let d = crate::digest::RowDigest::from_hex(&c.digest, c.rows)
            .ok_or_else(|| merge_problem(format!("table {name}: chunk {n}'s digest is not hex")))?;
        digest.merge(&d);
    }
    whole.rows = digest.rows();
    whole.digest = digest.hex();
    whole.chunks = chunks.into_iter().map(|(_, c)| c).collect();
    Ok(whole)
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
            part: None,
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
                sequences: None,
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

    /// Table `t` cut into `rows.len()` chunks of that many rows each, whole.
    fn cut_table(rows: &[u64]) -> TableEntry {
        let mut whole = crate::digest::RowDigest::new();
        let mut chunks = Vec::new();
        for (n, &r) in rows.iter().enumerate() {
            let mut d = crate::digest::RowDigest::new();
            for i in 0..r {
                d.add_row([Some(format!("{n}-{i}").as_bytes())]);
            }
            whole.merge(&d);
            chunks.push(ChunkEntry {
                file: FileEntry {
                    file: chunk_file("db", "t", n, Format::Sql, Compression::Zstd),
                    bytes: r * 10,
                    sha256: format!("{n:02}"),
                },
                rows: r,
                digest: d.hex(),
                bigquery: None,
            });
        }
        TableEntry {
            chunking: Strategy::IntegerRange {
                column: "id".into(),
            },
            rows: whole.rows(),
            digest: whole.hex(),
            chunks,
            ..table("t", 0)
        }
    }

    /// The part of `whole` holding chunks `keep`.
    fn part_of(whole: &TableEntry, keep: &[usize]) -> TableEntry {
        let mut t = whole.clone();
        t.chunks = keep.iter().map(|&n| whole.chunks[n].clone()).collect();
        t.part = Some(TablePart {
            chunks: keep.to_vec(),
            of: whole.chunks.len(),
        });
        // What a shard writes: its own rows and digest.
        let mut d = crate::digest::RowDigest::new();
        for c in &t.chunks {
            d.merge(&crate::digest::RowDigest::from_hex(&c.digest, c.rows).unwrap());
        }
        t.rows = d.rows();
        t.digest = d.hex();
        t
    }

    #[test]
    fn the_parts_of_a_table_join_into_the_whole_table() {
        let whole = cut_table(&[3, 1, 4, 1, 5]);
        let order = ["db.big".to_string(), "db.t".into(), "db.small".into()];
        let one_process = part(vec![table("big", 9), whole.clone(), table("small", 1)], 10);
        let a = part(vec![table("big", 9), part_of(&whole, &[0, 3])], 10);
        let b = part(vec![part_of(&whole, &[1, 4])], 12);
        let c = part(vec![table("small", 1), part_of(&whole, &[2])], 11);
        for parts in [
            vec![a.clone(), b.clone(), c.clone()],
            vec![c.clone(), b.clone(), a.clone()],
        ] {
            let m = Manifest::merge(parts, &order).unwrap();
            assert_eq!(
                serde_json::to_string(&m).unwrap(),
                serde_json::to_string(&one_process).unwrap()
            );
            assert!(!serde_json::to_string(&m).unwrap().contains("\"part\""));
        }
        // A table all of whose chunks are in one part is whole too.
        let m =
            Manifest::merge(vec![part(vec![part_of(&whole, &[0, 1, 2, 3, 4])], 1)], &[]).unwrap();
        assert_eq!(m.tables[0].digest, whole.digest);
        assert_eq!(m.tables[0].part, None);
    }

    #[test]
    fn a_chunk_in_no_part_or_in_two_is_refused() {
        let whole = cut_table(&[2, 2, 2, 2]);
        let merge = |keep: &[&[usize]]| {
            let parts = keep
                .iter()
                .map(|k| part(vec![part_of(&whole, k)], 1))
                .collect();
            Manifest::merge(parts, &[]).unwrap_err().to_string()
        };
        let e = merge(&[&[0, 1], &[3]]);
        assert!(
            e.contains("table db.t: chunk(s) 2 of 4 are in no shard"),
            "{e}"
        );
        let e = merge(&[&[0, 1, 2], &[2, 3]]);
        assert!(
            e.contains("chunk 2 of table db.t is in more than one shard"),
            "{e}"
        );
        // A whole table beside a part of it.
        let e = Manifest::merge(
            vec![
                part(vec![whole.clone()], 1),
                part(vec![part_of(&whole, &[1])], 1),
            ],
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("table db.t is in more than one shard"), "{e}");
        // Parts cut differently.
        let mut other = part_of(&whole, &[2, 3]);
        other.chunking = Strategy::Single;
        let e = Manifest::merge(
            vec![
                part(vec![part_of(&whole, &[0, 1])], 1),
                part(vec![other], 1),
            ],
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("differ in its columns, schema or chunking"),
            "{e}"
        );
        let mut other = part_of(&whole, &[2, 3]);
        other.part.as_mut().unwrap().of = 5;
        let e = Manifest::merge(
            vec![
                part(vec![part_of(&whole, &[0, 1])], 1),
                part(vec![other], 1),
            ],
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("disagree on its chunks"), "{e}");
    }

    #[test]
    fn a_shards_manifest_is_not_read_as_a_dump() {
        let dir = tempfile::tempdir().unwrap();
        let whole = cut_table(&[1, 1]);
        part(vec![part_of(&whole, &[1])], 1)
            .write(dir.path())
            .unwrap();
        let e = Manifest::read(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("table db.t holds only some of its chunks"),
            "{e}"
        );
        part(vec![whole], 1).write(dir.path()).unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap().tables[0].rows, 2);
    }
}
