//! The per-table files of `--to tsv --out-dir DIR`: one tab-separated file
//! per table for BigQuery (optionally gzip/zstd, optionally split into parts),
//! plus its schema JSON.
//!
//! This module owns file names, compression and the commit of the export
//! directory; the core's [`masker_core::export`] owns what goes *in* the
//! files (fields, header, schema JSON). Rows reach [`ExportFiles::write_rows`]
//! already encoded, as whole rows.
//!
//! Files, for a table `db.t` (the name from `CREATE TABLE`, with `/`, `\` and
//! other characters that are not portable in file names replaced by `_`):
//! - `db.t.tsv` (`.tsv.gz`, `.tsv.zst`), or with a split size
//!   `db.t-00000.tsv`, `db.t-00001.tsv`, ... each part with its own header,
//!   so `bq load ... 'gs://bucket/db.t-*.tsv.gz'` loads them all with
//!   `--skip_leading_rows=1`;
//! - `db.t.schema.json`, for `bq load`'s schema argument.
//!
//! A table met twice (the same name in two `CREATE TABLE`s) gets `db.t.2.*`.
//! The split size counts uncompressed bytes, header included; a part is cut
//! only between two `write_rows` calls, since a quoted field may hold a
//! newline, so a part can exceed it by one call's rows. BigQuery loads gzip
//! CSV (at most 4 GB a file) but not zstd.
//!
//! Files are written under their final names into the directory given,
//! which is a staging directory ([`crate::io::out_dir::StagedDir`]) renamed
//! into place only when the whole run succeeded: a failed run leaves nothing,
//! so this module needs no temporary names of its own. A table's file stays
//! open until [`ExportFiles::end_table`], [`ExportFiles::suspend`] (closed
//! until its next rows, which append a new compressed stream: callers whose
//! tables' rows alternate suspend the previous table to bound open files and
//! memory) or `finish`.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use masker_core::export::{self, ExportOptions};
use masker_core::schema::TableSchema;

use crate::io::write_behind::BehindFile;
use crate::io::Compression;

/// Longest table part of a file name, in bytes (file systems allow 255).
const MAX_BASE: usize = 200;

/// The per-table file sink of an export run.
pub struct ExportFiles {
    out_dir: PathBuf,
    compression: Compression,
    split_bytes: Option<u64>,
    opts: ExportOptions,
    tables: Vec<Table>,
    /// Bases in use, lower-cased (for case-insensitive file systems).
    bases: HashSet<String>,
    /// Files complete (or being written), in order.
    done: Vec<PathBuf>,
}

struct Table {
    base: String,
    header: Vec<u8>,
    /// Parts started so far.
    parts: u32,
    current: Option<Part>,
    /// The current part, closed to bound open files while other tables'
    /// rows are written; reopened (appended to) when this table's rows come
    /// again.
    suspended: Option<Suspended>,
    ended: bool,
}

/// A part whose file is closed but not complete.
struct Suspended {
    path: PathBuf,
    bytes: u64,
    has_rows: bool,
}

struct Part {
    path: PathBuf,
    enc: Encoder,
    /// Uncompressed bytes written, header included.
    bytes: u64,
    /// Rows were written after the header.
    has_rows: bool,
}

impl ExportFiles {
    /// An export into the existing directory `out_dir`, compressed with
    /// `compression`, split into parts of about `split_bytes` uncompressed
    /// bytes when given, with values written per `opts`.
    pub fn new(
        out_dir: &Path,
        compression: Compression,
        split_bytes: Option<u64>,
        opts: ExportOptions,
    ) -> io::Result<Self> {
        Ok(ExportFiles {
            out_dir: out_dir.to_owned(),
            compression,
            split_bytes: split_bytes.filter(|&n| n > 0),
            opts,
            tables: Vec::new(),
            bases: HashSet::new(),
            done: Vec::new(),
        })
    }

    /// Start a table: write its schema JSON, open its (first) data file and
    /// write the header. Returns the id to pass to [`ExportFiles::write_rows`].
    pub fn begin_table(&mut self, schema: &TableSchema) -> io::Result<usize> {
        let base = self.unique_base(&schema.name.to_string());
        let json = export::bigquery_schema_json_with(schema, &self.opts);
        let path = self.out_dir.join(format!("{base}.schema.json"));
        File::create_new(&path)
            .and_then(|mut f| f.write_all(json.as_bytes()))
            .map_err(|e| named(&path, e))?;
        self.done.push(path);

        let mut header = Vec::new();
        if self.opts.header {
            export::write_header(schema, &mut header);
        }
        self.tables.push(Table {
            base,
            header,
            parts: 0,
            current: None,
            suspended: None,
            ended: false,
        });
        let id = self.tables.len() - 1;
        self.open_part(id)?;
        Ok(id)
    }

    /// Append `rows` (whole rows, each ending in `\n`, as written by
    /// [`masker_core::export::write_field`] and `write_row_end`) to a table's
    /// file. With a split size, a new part is started first when these rows
    /// would take the current part past it (a part always gets at least one
    /// call's rows).
    pub fn write_rows(&mut self, table: usize, rows: &[u8]) -> io::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let t = self
            .tables
            .get(table)
            .ok_or_else(|| invalid(format!("no export table {table}")))?;
        if t.ended {
            return Err(invalid(format!("export table {} already ended", t.base)));
        }
        if t.current.is_none() && t.suspended.is_some() {
            self.resume(table)?;
        }
        let t = &self.tables[table];
        let roll = match (&t.current, self.split_bytes) {
            (Some(p), Some(limit)) => p.has_rows && p.bytes + rows.len() as u64 > limit,
            (None, _) => true,
            _ => false,
        };
        if roll {
            self.close_part(table)?;
            self.open_part(table)?;
        }
        let p = self.tables[table].current.as_mut().expect("a part is open");
        p.enc.write_all(rows).map_err(|e| named(&p.path, e))?;
        p.bytes += rows.len() as u64;
        p.has_rows = true;
        Ok(())
    }

    /// Finish a table's current file (compression trailer, flush, close).
    /// Later `write_rows` for it are an error. Optional: `finish` ends every
    /// table still open.
    pub fn end_table(&mut self, table: usize) -> io::Result<()> {
        let t = self
            .tables
            .get_mut(table)
            .ok_or_else(|| invalid(format!("no export table {table}")))?;
        t.ended = true;
        t.suspended = None;
        self.close_part(table)
    }

    /// Close a table's current file for now, complete as it stands (its
    /// compression stream ends here); its next rows reopen it and append a
    /// new stream, which gzip and zstd readers read as one.
    pub fn suspend(&mut self, table: usize) -> io::Result<()> {
        let t = self
            .tables
            .get_mut(table)
            .ok_or_else(|| invalid(format!("no export table {table}")))?;
        if let Some(p) = t.current.take() {
            let Part {
                path,
                enc,
                bytes,
                has_rows,
            } = p;
            enc.finish().map_err(|e| named(&path, e))?;
            t.suspended = Some(Suspended {
                path,
                bytes,
                has_rows,
            });
        }
        Ok(())
    }

    fn resume(&mut self, table: usize) -> io::Result<()> {
        let t = &mut self.tables[table];
        let Some(s) = t.suspended.take() else {
            return Ok(());
        };
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(&s.path)
            .map_err(|e| named(&s.path, e))?;
        t.current = Some(Part {
            enc: Encoder::new(file, self.compression)?,
            path: s.path,
            bytes: s.bytes,
            has_rows: s.has_rows,
        });
        Ok(())
    }

    /// End every table. Returns the files' paths, in the order they were
    /// started (per table: schema JSON, then data parts in order).
    pub fn finish(mut self) -> io::Result<Vec<PathBuf>> {
        for id in 0..self.tables.len() {
            self.end_table(id)?;
        }
        Ok(self.done)
    }

    fn unique_base(&mut self, name: &str) -> String {
        let base = file_base(name);
        let mut candidate = base.clone();
        let mut n = 2;
        while !self.bases.insert(candidate.to_lowercase()) {
            candidate = format!("{base}.{n}");
            n += 1;
        }
        candidate
    }

    fn open_part(&mut self, table: usize) -> io::Result<()> {
        let ext = match self.compression {
            Compression::None => "tsv",
            Compression::Gzip => "tsv.gz",
            Compression::Zstd => "tsv.zst",
        };
        let t = &mut self.tables[table];
        let name = match self.split_bytes {
            Some(_) => format!("{}-{:05}.{ext}", t.base, t.parts),
            None if t.parts == 0 => format!("{}.{ext}", t.base),
            // Unsplit tables have one file; a second is a caller bug.
            None => return Err(invalid(format!("export table {} reopened", t.base))),
        };
        let path = self.out_dir.join(name);
        let file = File::create_new(&path).map_err(|e| named(&path, e))?;
        self.done.push(path.clone());
        let mut part = Part {
            path,
            enc: Encoder::new(file, self.compression)?,
            bytes: 0,
            has_rows: false,
        };
        part.enc
            .write_all(&t.header)
            .map_err(|e| named(&part.path, e))?;
        part.bytes = t.header.len() as u64;
        t.parts += 1;
        t.current = Some(part);
        Ok(())
    }

    fn close_part(&mut self, table: usize) -> io::Result<()> {
        if let Some(p) = self.tables[table].current.take() {
            let Part { path, enc, .. } = p;
            enc.finish().map_err(|e| named(&path, e))?;
        }
        Ok(())
    }
}

/// A table name made into a portable file name part (also how
/// [`crate::export_dir`] finds a file's table).
pub(crate) fn file_base(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    if s.is_empty() || s.starts_with('.') {
        s.insert(0, '_');
    }
    if s.len() > MAX_BASE {
        let mut cut = MAX_BASE;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

/// An error naming the file it happened on (a full disk says which file).
fn named(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()))
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

/// A data file's writer: buffered, maybe compressed.
enum Encoder {
    Plain(BufWriter<BehindFile>),
    Gzip(flate2::write::GzEncoder<BufWriter<BehindFile>>),
    Zstd(zstd::stream::write::Encoder<'static, BufWriter<BehindFile>>),
}

impl Encoder {
    fn new(file: File, c: Compression) -> io::Result<Self> {
        let w = BufWriter::with_capacity(256 << 10, BehindFile::new(file));
        Ok(match c {
            Compression::None => Encoder::Plain(w),
            Compression::Gzip => Encoder::Gzip(flate2::write::GzEncoder::new(
                w,
                flate2::Compression::default(),
            )),
            // Single-threaded: many tables may be open at once.
            Compression::Zstd => Encoder::Zstd(zstd::stream::write::Encoder::new(w, 3)?),
        })
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Encoder::Plain(w) => w.write_all(buf),
            Encoder::Gzip(w) => w.write_all(buf),
            Encoder::Zstd(w) => w.write_all(buf),
        }
    }

    /// Write the compression trailer and flush everything to the file.
    fn finish(self) -> io::Result<()> {
        let w = match self {
            Encoder::Plain(w) => w,
            Encoder::Gzip(e) => e.finish()?,
            Encoder::Zstd(e) => e.finish()?,
        };
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use masker_core::schema::parse_create_table;
    use std::io::Read;

    fn schema(sql: &str) -> TableSchema {
        parse_create_table(sql.as_bytes()).unwrap()
    }

    fn row(schema: &TableSchema, values: &[Option<&str>], opts: &ExportOptions) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, (v, c)) in values.iter().zip(&schema.columns).enumerate() {
            if i > 0 {
                out.push(b'\t');
            }
            export::write_field(v.map(str::as_bytes), c, None, opts, &mut out);
        }
        export::write_row_end(&mut out);
        out
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    fn read(path: &Path) -> Vec<u8> {
        let raw = std::fs::read(path).unwrap();
        let mut out = Vec::new();
        if path.extension().is_some_and(|e| e == "gz") {
            flate2::read::MultiGzDecoder::new(&raw[..])
                .read_to_end(&mut out)
                .unwrap();
        } else if path.extension().is_some_and(|e| e == "zst") {
            out = zstd::decode_all(&raw[..]).unwrap();
        } else {
            out = raw;
        }
        out
    }

    #[test]
    fn one_file_per_table_with_header_and_schema() {
        let dir = tempfile::tempdir().unwrap();
        let opts = ExportOptions::default();
        let users = schema("CREATE TABLE `shop`.`users` (`id` int NOT NULL, `name` text)");
        let mut ex = ExportFiles::new(dir.path(), Compression::None, None, opts.clone()).unwrap();
        let t = ex.begin_table(&users).unwrap();
        ex.write_rows(t, &row(&users, &[Some("1"), Some("a\nb")], &opts))
            .unwrap();
        ex.write_rows(t, &row(&users, &[Some("2"), None], &opts))
            .unwrap();
        let paths = ex.finish().unwrap();
        assert_eq!(paths.len(), 2);
        assert_eq!(
            listing(dir.path()),
            ["shop.users.schema.json", "shop.users.tsv"]
        );
        assert_eq!(
            read(&dir.path().join("shop.users.tsv")),
            b"id\tname\n1\t\"a\nb\"\n2\t\\N\n"
        );
        let json = std::fs::read_to_string(dir.path().join("shop.users.schema.json")).unwrap();
        assert!(json.contains("\"name\": \"id\", \"type\": \"INT64\", \"mode\": \"REQUIRED\""));
    }

    #[test]
    fn split_parts_each_with_header_compressed() {
        for (c, ext) in [
            (Compression::Gzip, "tsv.gz"),
            (Compression::Zstd, "tsv.zst"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let opts = ExportOptions::default();
            let s = schema("CREATE TABLE `t` (`v` varchar(10))");
            let mut ex = ExportFiles::new(dir.path(), c, Some(20), opts.clone()).unwrap();
            let t = ex.begin_table(&s).unwrap();
            for i in 0..5 {
                // 2 header bytes + 6-byte rows: 3 rows fit in 20 bytes.
                ex.write_rows(t, format!("row{i:02}\n").as_bytes()).unwrap();
            }
            ex.finish().unwrap();
            assert_eq!(
                listing(dir.path()),
                [
                    "t-00000.".to_owned() + ext,
                    "t-00001.".to_owned() + ext,
                    "t.schema.json".to_owned()
                ]
            );
            assert_eq!(
                read(&dir.path().join(format!("t-00000.{ext}"))),
                b"v\nrow00\nrow01\nrow02\n"
            );
            assert_eq!(
                read(&dir.path().join(format!("t-00001.{ext}"))),
                b"v\nrow03\nrow04\n"
            );
        }
    }

    #[test]
    fn a_call_bigger_than_the_split_still_gets_written() {
        let dir = tempfile::tempdir().unwrap();
        let s = schema("CREATE TABLE `t` (`v` text)");
        let mut ex = ExportFiles::new(
            dir.path(),
            Compression::None,
            Some(4),
            ExportOptions::default(),
        )
        .unwrap();
        let t = ex.begin_table(&s).unwrap();
        ex.write_rows(t, b"long row\n").unwrap();
        ex.write_rows(t, b"another\n").unwrap();
        ex.finish().unwrap();
        assert_eq!(read(&dir.path().join("t-00000.tsv")), b"v\nlong row\n");
        assert_eq!(read(&dir.path().join("t-00001.tsv")), b"v\nanother\n");
    }

    #[test]
    fn names_are_made_safe_and_unique() {
        let dir = tempfile::tempdir().unwrap();
        let mut ex = ExportFiles::new(
            dir.path(),
            Compression::None,
            None,
            ExportOptions {
                header: false,
                ..ExportOptions::default()
            },
        )
        .unwrap();
        let a = schema("CREATE TABLE `../x`.`a/b` (`v` int)");
        let t1 = ex.begin_table(&a).unwrap();
        let t2 = ex.begin_table(&a).unwrap();
        let dot = schema("CREATE TABLE `.hidden` (`v` int)");
        ex.begin_table(&dot).unwrap();
        ex.write_rows(t1, b"1\n").unwrap();
        ex.end_table(t1).unwrap();
        assert!(ex.write_rows(t1, b"2\n").is_err());
        ex.write_rows(t2, b"3\n").unwrap();
        ex.finish().unwrap();
        assert_eq!(
            listing(dir.path()),
            [
                "_.._x.a_b.2.schema.json",
                "_.._x.a_b.2.tsv",
                "_.._x.a_b.schema.json",
                "_.._x.a_b.tsv",
                "_.hidden.schema.json",
                "_.hidden.tsv",
            ]
        );
        // No header: an empty table is an empty file.
        assert_eq!(read(&dir.path().join("_.hidden.tsv")), b"");
        assert_eq!(read(&dir.path().join("_.._x.a_b.2.tsv")), b"3\n");
    }
}
