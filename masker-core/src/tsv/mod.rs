//! Masking TSV data: `mysqldump --tab` / `SELECT ... INTO OUTFILE` files.
//!
//! This module owns the TSV masking path: [`mask_tsv`] masks one table's data
//! stream, [`mask_tab_dir`] a whole `--tab` directory (in `dir`, the only part
//! that touches files). The format itself (dialect, tokenizer, escapes) lives
//! in [`crate::tokenizer::tsv`]; rules and transforms are the SQL path's.
//!
//! The pipeline mirrors the SQL one: a chunker on the calling thread runs the
//! TSV tokenizer over every byte (rows only) and cuts ~`chunk_size` chunks at
//! row ends; workers re-tokenize their chunk field by field, mask the values
//! of masked columns (decode the TSV escapes, apply the transform, encode in
//! the same dialect) and copy every other byte; the ordered parallel map
//! (the pipeline's ordered map) writes the chunks in input order, so the
//! output is byte-identical for every thread count. A chunk with nothing
//! masked is written as it was read (no copy).
//!
//! Values map to columns by position: `--tab` output has a value for every
//! column, generated ones included. A row with another number of fields is an
//! error naming its line and byte offset (never a value).

mod chunker;
mod dir;
mod worker;

use std::io::{Read, Write};
use std::sync::Arc;

pub use dir::{mask_tab_dir, TabSummary};

use crate::error::{Error, ErrorKind, Position, Result};
use crate::pipeline::ordered::ordered_map;
use crate::pipeline::Summary;
use crate::rules::Rules;
use crate::schema::{ColumnType, TableName, TableSchema};
use crate::tokenizer::tsv::TsvDialect;
use crate::transform::Transform;

/// Options of a TSV masking run.
#[derive(Debug, Clone)]
pub struct TsvOptions {
    /// Worker threads; `1` runs everything on the calling thread.
    pub threads: usize,
    /// Preferred chunk size in bytes.
    pub chunk_size: usize,
    /// The first line names the columns: it is checked against the schema,
    /// maps fields to columns, and is written unchanged. With a schema that
    /// has no columns, the header defines them (as `TEXT`).
    pub header: bool,
    /// Do not fail when a rule names a table that is not masked in this run.
    pub allow_missing: bool,
}

impl Default for TsvOptions {
    fn default() -> Self {
        TsvOptions {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            chunk_size: 1 << 20,
            header: false,
            allow_missing: false,
        }
    }
}

/// How the fields of a row map to columns and transforms (built once per stream).
#[derive(Debug)]
pub(crate) struct Target {
    pub table: TableName,
    /// One per field position.
    pub slots: Vec<Slot>,
    /// Some slot has a transform.
    pub masks: bool,
}

/// One field position.
#[derive(Debug)]
pub(crate) struct Slot {
    /// `table.column`, the summary's counter name.
    pub counter: String,
    /// The column's name, for messages.
    pub column: String,
    /// Numeric columns are not enclosed by `OPTIONALLY ENCLOSED BY`.
    pub numeric: bool,
    pub transform: Option<Arc<dyn Transform>>,
}

impl Target {
    /// Bind `rules` to `schema`; `order`: the column index of each field
    /// position (`None`: schema order).
    pub(crate) fn bind(
        rules: &Rules,
        schema: &TableSchema,
        order: Option<&[usize]>,
    ) -> Result<Target> {
        let plan = rules.bind(schema).map_err(|problems| {
            Error::new(ErrorKind::Plan {
                pos: None,
                problems,
            })
        })?;
        let all: Vec<usize>;
        let order = match order {
            Some(o) => o,
            None => {
                all = (0..schema.columns.len()).collect();
                &all
            }
        };
        let slots: Vec<Slot> = order
            .iter()
            .map(|&c| {
                let col = &schema.columns[c];
                Slot {
                    counter: format!("{}.{}", schema.name, col.name),
                    column: col.name.clone(),
                    numeric: col.ty.is_numeric(),
                    transform: plan
                        .as_ref()
                        .and_then(|p| p.columns.get(c).cloned().flatten())
                        .filter(|t| !t.is_identity()),
                }
            })
            .collect();
        Ok(Target {
            table: schema.name.clone(),
            masks: slots.iter().any(|s| s.transform.is_some()),
            slots,
        })
    }
}

/// A schema for a table known only by its column names (`--columns`, a
/// header line): every column is `TEXT`.
pub fn text_schema(name: TableName, columns: &[String]) -> TableSchema {
    TableSchema {
        name,
        columns: columns
            .iter()
            .map(|c| crate::schema::Column {
                name: c.clone(),
                ty: ColumnType::Text {
                    max_bytes: u16::MAX as u64,
                },
                not_null: false,
                generated: false,
                charset: None,
                collation: None,
            })
            .collect(),
        primary_key: Vec::new(),
        unique_keys: Vec::new(),
        default_charset: None,
        default_collation: None,
    }
}

/// Mask one table's TSV data from `input` to `output` (streaming, with
/// `opts.threads` workers, byte-identical output for any thread count).
///
/// Masked fields are decoded, transformed and encoded again in `dialect`;
/// every other byte is copied. Empty rules give the input unchanged. On
/// error the output holds a prefix of the result (whole chunks): write to a
/// temporary file and rename on success.
///
/// ```
/// use masker_core::{rules::Rules, schema::TableName, tokenizer::tsv::TsvDialect};
/// use masker_core::tsv::{mask_tsv, text_schema, TsvOptions};
/// let schema = text_schema(TableName::new(None, "t"), &["id".into(), "memo".into()]);
/// let data = b"1\ta\\tb\n2\t\\N\n";
/// let mut out = Vec::new();
/// let opts = TsvOptions { threads: 1, ..TsvOptions::default() };
/// mask_tsv(&Rules::empty(), &schema, &TsvDialect::default(), &data[..], &mut out, &opts).unwrap();
/// assert_eq!(out, data);
/// ```
pub fn mask_tsv<R: Read + Send, W: Write + Send>(
    rules: &Rules,
    schema: &TableSchema,
    dialect: &TsvDialect,
    input: R,
    mut output: W,
    opts: &TsvOptions,
) -> Result<Summary> {
    if !opts.allow_missing {
        let missing = rules.missing_tables(std::slice::from_ref(&schema.name));
        if !missing.is_empty() {
            return Err(Error::new(ErrorKind::Plan {
                pos: None,
                problems: missing,
            }));
        }
    }
    let mut chunker = chunker::Chunker::new(input, rules, schema, dialect, opts)?;
    let next = crate::pipeline::ordered::until_error(|| chunker.next_chunk());
    let work = |job: std::result::Result<chunker::Chunk, chunker::ChunkerError>,
                scratch: &mut worker::Scratch| {
        job.map(|chunk| worker::process(dialect, chunk, scratch))
    };
    let mut line = 1u64;
    let mut summary = Summary::default();
    let mut masked: Vec<u64> = Vec::new();
    let mut target: Option<Arc<Target>> = None;
    ordered_map(opts.threads, next, work, |item| {
        let out = match item {
            Ok(Ok(out)) => out,
            Ok(Err(e)) => {
                let pos = Position {
                    byte: e.byte,
                    line: line + e.lines_before,
                };
                return Err(if e.syntax {
                    Error::syntax(pos, e.message)
                } else {
                    Error::new(ErrorKind::Mask {
                        pos,
                        message: e.message,
                    })
                });
            }
            Err(e) => return Err(e.into_error(line)),
        };
        output.write_all(&out.data)?;
        line += out.newlines;
        summary.bytes_in += out.bytes_in;
        summary.bytes_out += out.data.len() as u64;
        summary.rows += out.rows;
        for (slot, n) in out.masked {
            if masked.len() <= slot {
                masked.resize(slot + 1, 0);
            }
            masked[slot] += n;
        }
        if target.is_none() {
            target = out.target;
        }
        Ok(())
    })?;
    output.flush()?;
    summary.tables = 1;
    if let Some(t) = &target {
        summary.masked = masked
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(i, &n)| (t.slots[i].counter.clone(), n))
            .collect();
    }
    Ok(summary)
}
