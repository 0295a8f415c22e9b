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
mod sample;

pub use sample::{sample_rows, TableSample};

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::thread;

use crate::error::{Error, ErrorKind, Position, Result};
use crate::rewrite::{self, Chunk, ChunkError, ChunkOutput, Scratch};
use crate::rules::Rules;
use crate::schema::{TableName, TableSchema};
use chunker::{Chunker, ChunkerConfig, ChunkerError};

/// Options of a masking run.
#[derive(Debug, Clone)]
pub struct MaskOptions {
    /// Worker threads; `1` runs everything on the calling thread.
    pub threads: usize,
    /// Preferred chunk size in bytes (work unit of a worker).
    pub chunk_size: usize,
    /// Do not fail when a rule names a table that never appears in the dump.
    pub allow_missing: bool,
}

impl Default for MaskOptions {
    fn default() -> Self {
        MaskOptions {
            threads: thread::available_parallelism().map_or(1, |n| n.get()),
            chunk_size: 1 << 20,
            allow_missing: false,
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
    /// True when the export includes `table`.
    pub fn selects(&self, table: &TableName) -> bool {
        let qualified = table.to_string();
        let hit = |names: &[String]| names.iter().any(|n| n == &table.table || *n == qualified);
        (self.tables.is_empty() || hit(&self.tables)) && !hit(&self.exclude_tables)
    }
}

/// Receives the export's tables and rows, in input order, from the writer thread.
pub trait ExportSink: Send {
    /// A table whose rows will be exported begins (before any of its rows);
    /// returns the sink's id for it.
    fn begin_table(&mut self, schema: &TableSchema) -> std::io::Result<usize>;
    /// Append encoded rows (whole rows, header excluded) to a table begun earlier.
    fn write_rows(&mut self, table: usize, rows: &[u8]) -> std::io::Result<()>;
}

/// What a masking run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    /// Masked values per `table.column` (only columns with at least one).
    pub masked: BTreeMap<String, u64>,
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
    let (export_config, sink) = match export {
        Some((c, s)) => (Some(c), Some(s)),
        None => (None, None),
    };
    let cfg = ChunkerConfig {
        chunk_size: opts.chunk_size.max(1),
        read_size: (opts.chunk_size / 2).clamp(1, 1 << 20),
    };
    let mut chunker = Chunker::new(input, rules, cfg).with_export(export_config);
    let mut writer = OrderedWriter::new(output, sink);
    let next = crate::pipeline::ordered::until_error(|| chunker.next_chunk());
    let work = |job: std::result::Result<Chunk, ChunkerError>, scratch: &mut Scratch| match job {
        Ok(chunk) => Item::Done(rewrite::process(chunk, scratch)),
        Err(e) => Item::Chunker(e),
    };
    ordered::ordered_map(opts.threads, next, work, |item| writer.accept(item))?;
    writer.output.flush()?;
    let mut summary = writer.summary;
    summary.statements = chunker.statements();
    summary.tables = chunker.tables_seen().len() as u64;
    let names = chunker.counter_names();
    summary.masked = writer
        .masked
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(i, &n)| (names[i].clone(), n))
        .collect();
    if !opts.allow_missing {
        let missing = rules.missing_tables(chunker.tables_seen());
        if !missing.is_empty() {
            return Err(Error::new(ErrorKind::Plan {
                pos: None,
                problems: missing,
            }));
        }
    }
    Ok(summary)
}

/// Read every `CREATE TABLE` of a dump (rows are split but not tokenized).
/// Used by `masker check` and `masker explain`.
pub fn read_schemas<R: Read>(input: R) -> Result<Vec<crate::schema::TableSchema>> {
    let rules = Rules::empty();
    let cfg = ChunkerConfig {
        chunk_size: 1 << 20,
        read_size: 1 << 20,
    };
    let mut chunker = Chunker::new(input, &rules, cfg);
    let mut line = 1;
    loop {
        match chunker.next_chunk() {
            Ok(Some(chunk)) => line += rewrite::count_newlines(&chunk.data),
            Ok(None) => return Ok(chunker.schemas()),
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
    /// Line number of the first byte not yet written (1-based).
    line: u64,
    summary: Summary,
    masked: Vec<u64>,
}

impl<'s, W: Write> OrderedWriter<'s, W> {
    fn new(output: W, export: Option<&'s mut dyn ExportSink>) -> Self {
        OrderedWriter {
            output,
            export,
            export_ids: Vec::new(),
            line: 1,
            summary: Summary::default(),
            masked: Vec::new(),
        }
    }

    fn accept(&mut self, item: Item) -> Result<()> {
        match item {
            Item::Done(Ok(out)) => {
                if let Some(sink) = self.export.as_deref_mut() {
                    for x in &out.defines {
                        let id = sink.begin_table(&x.schema)?;
                        debug_assert_eq!(self.export_ids.len(), x.id);
                        self.export_ids.push(id);
                    }
                    for (table, rows) in &out.exports {
                        sink.write_rows(self.export_ids[*table], rows)?;
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
}
