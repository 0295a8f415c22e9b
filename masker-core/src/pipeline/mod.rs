//! The pipeline: reader -> chunker -> N workers -> ordered writer.
//!
//! This module owns the threads. The chunker (on the calling thread) cuts the
//! input into chunks at statement or row-tuple boundaries; workers mask chunks
//! in parallel (the crate's `rewrite` module); a writer thread receives the results in
//! submission order through a bounded queue of one-shot channels (two per
//! worker), so output order never depends on scheduling and memory stays
//! bounded: at most `2 x threads` chunks are in flight. With one thread,
//! the same chunks are processed inline, in the same order, by the same code,
//! so the output is byte-identical for every thread count.
//!
//! I/O is the caller's: any [`Read`] in, any [`Write`] out. Decompression,
//! files and progress bars belong to the CLI.

mod chunker;
pub(crate) mod ordered;
mod push;
pub(crate) mod read_buf;
mod sample;
mod table_rows;
pub mod visit;

pub use push::Masker;

pub use sample::{sample_rows, TableSample};
pub use table_rows::{check_table_rows, mask_table_rows, TableRows, ValueBytes};

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::thread;

use crate::engine::Catalog;
use crate::error::{Error, ErrorKind, PlanProblem, PlanProblemKind, Position, Result};
use crate::rewrite::{self, Chunk, ChunkError, ChunkOutput, Scratch};
use crate::rules::Rules;
use crate::schema::{TableName, TableSchema};
use chunker::{Chunker, ChunkerConfig};
pub(crate) use chunker::{ChunkerError, ChunkerErrorKind};

/// Options of a masking run.
#[derive(Debug, Clone)]
pub struct MaskOptions {
    /// Worker threads; `1` runs everything on the calling thread.
    pub threads: usize,
    /// Preferred chunk size in bytes (work unit of a worker).
    pub chunk_size: usize,
    /// Do not fail when a rule names a table that never appears in the dump.
    pub allow_missing: bool,
    /// Accept a dump whose header names mysqldump or mariadb-dump but whose
    /// `-- Dump completed` last line is missing (otherwise: a truncated dump).
    pub allow_incomplete: bool,
}

impl Default for MaskOptions {
    fn default() -> Self {
        MaskOptions {
            threads: thread::available_parallelism().map_or(1, |n| n.get()),
            chunk_size: 1 << 20,
            allow_missing: false,
            allow_incomplete: false,
        }
    }
}

/// Which tables to export as TSV (for BigQuery) while masking, and how.
#[derive(Debug, Clone, Default)]
pub struct ExportConfig {
    /// How fields are written.
    pub options: crate::export::ExportOptions,
    /// Export only these tables (`table` or `db.table`); empty: every table.
    pub tables: Vec<String>,
    /// Never export these tables (`table` or `db.table`).
    pub exclude_tables: Vec<String>,
}

impl ExportConfig {
    /// Filter entries (`--tables`, `--exclude-tables`) that match no table
    /// of the run: a typo must not export nothing silently.
    pub fn unmatched(&self, seen: &[TableName]) -> Vec<PlanProblem> {
        let matches = |n: &String| seen.iter().any(|t| *n == t.table || *n == t.to_string());
        let mut out = Vec::new();
        for (flag, names) in [
            ("--tables", &self.tables),
            ("--exclude-tables", &self.exclude_tables),
        ] {
            for n in names.iter().filter(|n| !matches(n)) {
                let table = match n.split_once('.') {
                    Some((db, t)) => TableName::new(Some(db), t),
                    None => TableName::new(None, n),
                };
                out.push(PlanProblem::new(
                    table,
                    PlanProblemKind::NoSuchTable,
                    format!("no such table in the input ({flag})"),
                ));
            }
        }
        out
    }

    /// True when the export includes `table`.
    pub fn selects(&self, table: &TableName) -> bool {
        let qualified = table.to_string();
        let hit = |names: &[String]| names.iter().any(|n| n == &table.table || *n == qualified);
        (self.tables.is_empty() || hit(&self.tables)) && !hit(&self.exclude_tables)
    }
}

/// Receives the export's tables and rows, in input order, from the writer
/// thread, with a lifecycle: `begin_table`, `write_rows`..., `end_table`.
/// After an error nothing more is called, so a sink that commits its files
/// only when its owner finishes it leaves nothing behind.
pub trait ExportSink: Send {
    /// A table whose rows will be exported begins (before any of its rows);
    /// returns the sink's id for it.
    fn begin_table(&mut self, schema: &TableSchema) -> std::io::Result<usize>;
    /// Append encoded rows (whole rows, header excluded) to a table begun
    /// earlier. Rows of several tables may alternate (concatenated dumps).
    fn write_rows(&mut self, table: usize, rows: &[u8]) -> std::io::Result<()>;
    /// No more rows will come for `table`: at the end of a well-formed input,
    /// or when the table is defined again. After an error, never called.
    fn end_table(&mut self, table: usize) -> std::io::Result<()>;
}

/// What a masking run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary {
    /// Bytes read (after decompression).
    pub bytes_in: u64,
    /// Bytes written (before compression).
    pub bytes_out: u64,
    /// Statements seen.
    pub statements: u64,
    /// Row tuples seen.
    pub rows: u64,
    /// Tables seen (created or inserted into).
    pub tables: u64,
    /// Values actually changed per `table.column` (only columns with at
    /// least one), added up over every definition of the table.
    pub masked: BTreeMap<String, u64>,
    /// The tables seen, in order of first appearance.
    pub table_names: Vec<TableName>,
    /// Per `table.column` masked with `fpe`: values whose own domain was
    /// below 1,000,000 (a few known pairs would reveal the rest; warn).
    pub small_domain: BTreeMap<String, u64>,
    /// Rows dropped by row policies (`rows = "none"`, `rows = { where }`)
    /// per table (only tables with at least one).
    pub dropped: BTreeMap<String, u64>,
    /// Problems that did not stop the run, one line each, for the caller to
    /// print: foreign keys that point at a table whose rows are dropped or
    /// filtered, and `json` paths that matched no document.
    pub warnings: Vec<String>,
}

/// Mask a whole dump held in memory; returns the masked dump.
///
/// ```
/// use masker_core::{mask_slice, rules::Rules};
/// let dump = b"INSERT INTO `t` VALUES (1,'a'),(2,'b');\n";
/// let out = mask_slice(&Rules::empty(), dump).unwrap();
/// assert_eq!(out, dump);
/// ```
pub fn mask_slice(rules: &Rules, input: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len());
    let opts = MaskOptions {
        threads: 1,
        ..MaskOptions::default()
    };
    mask_reader(rules, input, &mut out, &opts)?;
    Ok(out)
}

/// Mask a dump from `input` to `output`, streaming, with `opts.threads` workers.
///
/// On error, the output holds a prefix of the masked dump (whole chunks);
/// callers writing to a file should write to a temporary name and rename
/// only on success (the CLI does).
pub fn mask_reader<R: Read + Send, W: Write + Send>(
    rules: &Rules,
    input: R,
    output: W,
    opts: &MaskOptions,
) -> Result<Summary> {
    mask_reader_with_export(rules, input, output, opts, None)
}

/// [`mask_reader`] that also exports the selected tables' masked rows to
/// `export`'s sink, in the same pass: the values in the SQL output and in the
/// export are the same. Pass `std::io::sink()` as `output` for an export only.
pub fn mask_reader_with_export<R: Read + Send, W: Write + Send>(
    rules: &Rules,
    input: R,
    output: W,
    opts: &MaskOptions,
    export: Option<(&ExportConfig, &mut dyn ExportSink)>,
) -> Result<Summary> {
    rules.require_key()?;
    let (export_config, sink) = match export {
        Some((c, s)) => (Some(c), Some(s)),
        None => (None, None),
    };
    let chunker = Chunker::new(input, rules, ChunkerConfig::for_chunks(opts.chunk_size))
        .with_export(export_config)
        .allow_incomplete(opts.allow_incomplete);
    let summary = run(chunker, output, opts, sink, visit::no_visit())?;
    if let Some(config) = export_config {
        let unmatched = config.unmatched(&summary.table_names);
        if !unmatched.is_empty() {
            return Err(Error::new(ErrorKind::Plan {
                pos: None,
                problems: unmatched,
            }));
        }
    }
    Ok(summary)
}

/// A dry run: mask the whole dump exactly as [`mask_reader`] would, and
/// write nothing. This is `masker check`: it refuses exactly what a real run
/// refuses (rules that do not fit a table, every unclassified column in
/// strict mode, syntax errors, values that cannot be masked, rules for
/// tables that never appear), every plan problem at once. Rules built
/// without a key ([`crate::rules::RulesBuilder::allow_missing_key`]) are
/// accepted here: keyed transforms then use a placeholder key.
pub fn check_reader<R: Read + Send>(
    rules: &Rules,
    input: R,
    opts: &MaskOptions,
) -> Result<Summary> {
    let chunker = Chunker::new(input, rules, ChunkerConfig::for_chunks(opts.chunk_size))
        .allow_incomplete(opts.allow_incomplete);
    run(chunker, std::io::sink(), opts, None, visit::no_visit())
}

/// Where a run's chunks come from: the SQL chunker or the TSV chunker.
pub(crate) trait ChunkSource<'r> {
    /// The next chunk, or `None` at the end of a well-formed input.
    fn next_chunk(&mut self) -> std::result::Result<Option<Chunk>, ChunkerError>;
    /// The run's tables.
    fn catalog(&self) -> &Catalog<'r>;
    /// Statements seen (SQL), or 0.
    fn statements(&self) -> u64;
}

impl<'r, T: ChunkSource<'r>> ChunkSource<'r> for &mut T {
    fn next_chunk(&mut self) -> std::result::Result<Option<Chunk>, ChunkerError> {
        (**self).next_chunk()
    }
    fn catalog(&self) -> &Catalog<'r> {
        (**self).catalog()
    }
    fn statements(&self) -> u64 {
        (**self).statements()
    }
}

/// Run chunks from `source` through the workers and the ordered writer: the
/// one driver of every masking run, whatever the input format. With a
/// `visit`or, every row is also handed to it (see [`visit`]).
pub(crate) fn run<'r, W: Write + Send, V: visit::RowVisitor>(
    mut source: impl ChunkSource<'r> + Send,
    output: W,
    opts: &MaskOptions,
    sink: Option<&mut dyn ExportSink>,
    visit: Option<visit::Visit<'_, V>>,
) -> Result<Summary> {
    let mut writer = OrderedWriter::new(output, sink);
    let (visitor, mut merge) = match visit {
        Some((v, m)) => (Some(v), Some(m)),
        None => (None, None),
    };
    let result = {
        let next = ordered::until_error(|| source.next_chunk());
        let work = |job: std::result::Result<Chunk, ChunkerError>, scratch: &mut Scratch| {
            let mut part = V::Part::default();
            let item = match job {
                Ok(chunk) => Item::Done(match visitor {
                    Some(v) => {
                        let hook = rewrite::RowHook {
                            visit: &mut |r| v.row(&mut part, r),
                            all: V::ALL_COLUMNS,
                            reads: &|t, c| v.reads(t, c),
                        };
                        rewrite::process(chunk, scratch, Some(hook))
                    }
                    None => rewrite::process(chunk, scratch, None),
                }),
                Err(e) => Item::Chunker(e),
            };
            (item, part)
        };
        ordered::ordered_map(opts.threads, next, work, |(item, part)| {
            writer.accept(item)?;
            if let Some(merge) = merge.as_mut() {
                merge(part);
            }
            Ok(())
        })
    };
    summarize(result, writer, &source, opts)
}

/// The end of a run: every plan problem at once (rules for tables that
/// never appeared added to those found in the input), or the summary.
fn summarize<'r, W: Write>(
    result: Result<()>,
    mut writer: OrderedWriter<'_, W>,
    source: &impl ChunkSource<'r>,
    opts: &MaskOptions,
) -> Result<Summary> {
    let catalog = source.catalog();
    let missing = if opts.allow_missing {
        Vec::new()
    } else {
        catalog.missing_tables()
    };
    if let Err(mut e) = result {
        if let ErrorKind::Plan { problems, .. } = e.kind_mut() {
            problems.extend(missing);
        }
        return Err(e);
    }
    if !missing.is_empty() {
        return Err(Error::new(ErrorKind::Plan {
            pos: None,
            problems: missing,
        }));
    }
    writer.finish()?;
    let mut summary = writer.summary;
    summary.statements = source.statements();
    summary.tables = catalog.seen().len() as u64;
    summary.table_names = catalog.seen().to_vec();
    summary.small_domain = catalog.small_domain_values();
    summary.warnings = catalog.row_policy_warnings();
    summary.warnings.extend(catalog.unmatched_rules());
    let names = catalog.counter_names();
    for (i, &n) in writer.masked.iter().enumerate() {
        if n > 0 {
            *summary.masked.entry(names[i].clone()).or_default() += n;
        }
    }
    let names = catalog.table_counter_names();
    for (i, &n) in writer.dropped.iter().enumerate() {
        if n > 0 {
            *summary.dropped.entry(names[i].clone()).or_default() += n;
        }
    }
    Ok(summary)
}

/// Read every `CREATE TABLE` of a dump (rows are split but not tokenized).
/// Used by `masker explain` and the scaffold.
pub fn read_schemas<R: Read>(input: R) -> Result<Vec<crate::schema::TableSchema>> {
    let rules = Rules::empty();
    let mut chunker = Chunker::new(input, &rules, ChunkerConfig::for_chunks(1 << 20));
    let mut line = 1;
    loop {
        match chunker.next_chunk() {
            Ok(Some(chunk)) => line += rewrite::count_newlines(&chunk.data),
            Ok(None) => return Ok(chunker.catalog().schemas()),
            Err(e) => return Err(e.into_error(line)),
        }
    }
}

/// A result in submission order.
enum Item {
    Done(std::result::Result<ChunkOutput, ChunkError>),
    Chunker(ChunkerError),
}

/// Writes chunk outputs in order; turns chunk-relative errors into positioned errors.
struct OrderedWriter<'s, W> {
    output: W,
    export: Option<&'s mut dyn ExportSink>,
    /// The sink's id per export table id.
    export_ids: Vec<usize>,
    /// Export tables begun and not ended: (name, export table id).
    open: Vec<(TableName, usize)>,
    /// Line number of the first byte not yet written (1-based).
    line: u64,
    summary: Summary,
    masked: Vec<u64>,
    dropped: Vec<u64>,
}

impl<'s, W: Write> OrderedWriter<'s, W> {
    fn new(output: W, export: Option<&'s mut dyn ExportSink>) -> Self {
        OrderedWriter {
            output,
            export,
            export_ids: Vec::new(),
            open: Vec::new(),
            line: 1,
            summary: Summary::default(),
            masked: Vec::new(),
            dropped: Vec::new(),
        }
    }

    fn accept(&mut self, item: Item) -> Result<()> {
        match item {
            Item::Done(Ok(out)) => {
                if let Some(sink) = self.export.as_deref_mut() {
                    let mut written = vec![false; out.exports.len()];
                    for x in &out.defines {
                        // A table defined again: its earlier rows (some may
                        // be in this chunk, before the new definition) are
                        // complete.
                        if let Some(i) = self.open.iter().position(|(n, _)| *n == x.schema.name) {
                            let (_, old) = self.open.remove(i);
                            for (k, (table, rows)) in out.exports.iter().enumerate() {
                                if *table == old && !written[k] {
                                    written[k] = true;
                                    sink.write_rows(self.export_ids[old], rows)?;
                                }
                            }
                            sink.end_table(self.export_ids[old])?;
                        }
                        let id = sink.begin_table(&x.schema)?;
                        debug_assert_eq!(self.export_ids.len(), x.id);
                        self.export_ids.push(id);
                        self.open.push((x.schema.name.clone(), x.id));
                    }
                    for (k, (table, rows)) in out.exports.iter().enumerate() {
                        if !written[k] {
                            sink.write_rows(self.export_ids[*table], rows)?;
                        }
                    }
                }
                self.output.write_all(&out.data)?;
                self.line += out.newlines;
                self.summary.bytes_in += out.bytes_in;
                self.summary.bytes_out += out.data.len() as u64;
                self.summary.rows += out.rows;
                for (counter, n) in out.masked {
                    if self.masked.len() <= counter {
                        self.masked.resize(counter + 1, 0);
                    }
                    self.masked[counter] += n;
                }
                for (counter, n) in out.dropped {
                    if self.dropped.len() <= counter {
                        self.dropped.resize(counter + 1, 0);
                    }
                    self.dropped[counter] += n;
                }
                Ok(())
            }
            Item::Done(Err(e)) => {
                let pos = Position {
                    byte: e.byte,
                    line: self.line + e.lines_before,
                };
                Err(if e.syntax {
                    Error::syntax(pos, e.message)
                } else {
                    Error::new(ErrorKind::Mask {
                        pos,
                        message: e.message,
                    })
                })
            }
            Item::Chunker(e) => Err(e.into_error(self.line)),
        }
    }

    /// The input ended well: flush the output and end every export table.
    fn finish(&mut self) -> Result<()> {
        self.output.flush()?;
        if let Some(sink) = self.export.as_deref_mut() {
            for (_, id) in self.open.drain(..) {
                sink.end_table(self.export_ids[id])?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_dump_is_rejected_with_a_clear_message() {
        let err =
            mask_slice(&Rules::empty(), b"<?xml version=\"1.0\"?>\n<mysqldump>\n").unwrap_err();
        assert!(err.to_string().contains("XML dump"), "{err}");
        assert_eq!(err.position().map(|p| p.byte), Some(0));
    }

    /// A reader that returns at most `step` bytes per read (a pipe), then
    /// fails with `fail` once its data is used up, if set.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
        fail: Option<std::io::ErrorKind>,
        reads: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.reads += 1;
            if self.data.is_empty() {
                if let Some(kind) = self.fail {
                    return Err(std::io::Error::from(kind));
                }
            }
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// Issue 9: short reads (a pipe gives 64 KiB at a time) fill one read
    /// buffer before it is scanned, with the same output; an I/O error after
    /// some bytes still fails the run.
    #[test]
    fn short_reads_fill_the_buffer_and_a_read_error_fails_the_run() {
        let dump = b"CREATE TABLE `t` (`id` int, `s` text);\nINSERT INTO `t` VALUES (1,'a;b'),(2,'c''d');\n";
        for threads in [1, 2] {
            let opts = MaskOptions {
                threads,
                chunk_size: 64,
                ..MaskOptions::default()
            };
            let mut out = Vec::new();
            let mut r = Trickle {
                data: dump,
                step: 7,
                fail: None,
                reads: 0,
            };
            mask_reader(&Rules::empty(), &mut r, &mut out, &opts).unwrap();
            assert_eq!(out, dump);
            assert!(r.reads > dump.len() / 7, "{}", r.reads);
            let mut r = Trickle {
                data: &dump[..50],
                step: 7,
                fail: Some(std::io::ErrorKind::ConnectionReset),
                reads: 0,
            };
            let err = mask_reader(&Rules::empty(), &mut r, Vec::new(), &opts).unwrap_err();
            assert!(matches!(err.kind(), ErrorKind::Io(_)), "{err}");
        }
    }

    #[test]
    fn summary_counts_statements_rows_and_tables() {
        let dump = b"CREATE TABLE `t` (`id` int);\nINSERT INTO `t` VALUES (1),(2);\nINSERT INTO `u` VALUES (3);\n";
        let mut out = Vec::new();
        let opts = MaskOptions {
            threads: 2,
            chunk_size: 8,
            ..MaskOptions::default()
        };
        let s = mask_reader(&Rules::empty(), &dump[..], &mut out, &opts).unwrap();
        assert_eq!(out, dump);
        assert_eq!((s.statements, s.rows, s.tables), (3, 3, 2));
        assert_eq!(
            (s.bytes_in, s.bytes_out),
            (dump.len() as u64, dump.len() as u64)
        );
    }

    /// QA: `mysqldump --tab` writes triggers after the `-- Dump completed`
    /// line of a table's `.sql`; rows or a table after that line are another
    /// dump, which must end with its own.
    #[test]
    fn statements_after_the_last_line_are_complete_only_without_rows() {
        let head = "-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB\nCREATE TABLE `t` (`id` int);\n";
        let trigger = "DELIMITER ;;\nCREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW BEGIN SET @x = 1; END ;;\nDELIMITER ;\n/*!50003 SET sql_mode = @saved_sql_mode */ ;\n";
        let ok = format!(
            "{head}INSERT INTO `t` VALUES (1);\n\n-- Dump completed on 2026-11-27\n{trigger}"
        );
        for chunk_size in [8, 1 << 20] {
            let opts = MaskOptions {
                chunk_size,
                ..MaskOptions::default()
            };
            let mut out = Vec::new();
            mask_reader(&Rules::empty(), ok.as_bytes(), &mut out, &opts).unwrap();
            assert_eq!(out, ok.as_bytes());
            for cut in [
                format!("{head}-- Dump completed on 2026-11-27\nINSERT INTO `t` VALUES (1);\n"),
                format!("{head}-- Dump completed on 2026-11-27\nCREATE TABLE `u` (`id` int);\n"),
                format!(
                    "{head}INSERT INTO `t` VALUES (1);\nSELECT '-- Dump completed';\n{trigger}"
                ),
            ] {
                let err =
                    mask_reader(&Rules::empty(), cut.as_bytes(), Vec::new(), &opts).unwrap_err();
                assert!(err.to_string().contains("Dump completed"), "{err}");
            }
        }
    }

    /// QA: values under `SET NAMES latin1` are latin1 bytes: masked as their
    /// text (the output of a utf8mb4 dump of the same rows, in latin1), and
    /// `SET NAMES cp932` is refused (a trail byte can be `\\`).
    #[test]
    fn set_names_decides_how_values_are_read() {
        let rules = crate::rules::RulesBuilder::new()
            .toml(
                "[tables.t]\ns = { transform = \"partial\", keep_first = 1, keep_last = 1 }\n",
                "rules.toml",
            )
            .key(b"set names test key")
            .build()
            .unwrap();
        let table = "CREATE TABLE `t` (`id` int, `s` varchar(20)) DEFAULT CHARSET=latin1;\n";
        let utf8 =
            format!("SET NAMES utf8mb4;\n{table}INSERT INTO `t` VALUES (1,'\u{e9}t\u{e9}');\n");
        let mut latin1 = format!("SET NAMES latin1;\n{table}").into_bytes();
        latin1.extend_from_slice(b"INSERT INTO `t` VALUES (1,'\xe9t\xe9');\n");
        let mut a = Vec::new();
        mask_reader(&rules, utf8.as_bytes(), &mut a, &MaskOptions::default()).unwrap();
        let mut b = Vec::new();
        mask_reader(&rules, &latin1[..], &mut b, &MaskOptions::default()).unwrap();
        let a = String::from_utf8(a).unwrap();
        assert!(a.contains("(1,'\u{e9}*\u{e9}')"), "{a}");
        assert!(
            contains(&b, b"(1,'\xe9*\xe9')"),
            "{}",
            String::from_utf8_lossy(&b)
        );

        let cp932 = format!("SET NAMES cp932;\n{table}");
        let err = mask_reader(
            &rules,
            cp932.as_bytes(),
            Vec::new(),
            &MaskOptions::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("SET NAMES cp932"), "{err}");
        assert_eq!(err.position().map(|p| p.byte), Some(0));
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }
}
