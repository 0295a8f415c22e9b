//! The single-chunk rewriter: masks the rows of one chunk. This is what each
//! worker thread runs.
//!
//! A [`Chunk`] is a run of whole statements and/or whole row tuples, cut by the
//! chunker, with [`Piece`]s saying which byte ranges are verbatim and which
//! are tuple lists of which table. The rewriter tokenizes every tuple list
//! with [`TupleReader`] (so garbage in a value is always caught), masks the
//! values whose column has a transform, and copies every other byte. When
//! nothing in a chunk is masked, its output is its input, shared, not copied.
//!
//! It owns no I/O and no threads; it never allocates per value (scratch
//! buffers live in [`Scratch`] and are reused).

use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;

use crate::export::{self, ExportOptions};
use crate::rules::TablePlan;
use crate::schema::{ColumnType, TableName, TableSchema};
use crate::tokenizer::literal::{self, Style};
use crate::tokenizer::values::{Token, TupleReader, Value, ValueKind};
use crate::transform::{Cell, Transform};

/// How the values of a tuple map to the table's columns.
#[derive(Debug)]
pub(crate) struct InsertTarget {
    /// The table, for messages.
    pub table: TableName,
    /// Per value position, when every column has a value (MariaDB, or a
    /// column list): the column index and its transform.
    pub full: Vec<Slot>,
    /// Per value position when generated columns are left out (MySQL's
    /// mysqldump); `None` when the table has no generated columns or the
    /// INSERT has a column list.
    pub stored: Option<Vec<Slot>>,
    /// False when the table's schema is unknown (no `CREATE TABLE` seen and no
    /// rule for it): values are checked for syntax only.
    pub schema_known: bool,
    /// True when some slot has a transform.
    pub masks: bool,
    /// Rows of this table are also exported as TSV.
    pub export: Option<Arc<ExportTarget>>,
}

/// A table whose rows are exported (see [`crate::export`]).
#[derive(Debug)]
pub(crate) struct ExportTarget {
    /// The export's table id (order of `begin_table` calls).
    pub id: usize,
    /// The table's columns, for typing each field.
    pub schema: Arc<TableSchema>,
    /// How fields are written.
    pub options: Arc<ExportOptions>,
}

/// One value position of a tuple.
#[derive(Debug, Clone)]
pub(crate) struct Slot {
    /// Global index of `table.column` in the summary's counters.
    pub counter: usize,
    /// The column's name, for messages.
    pub column: Arc<str>,
    /// The column's index in the table.
    pub col: usize,
    /// The column's type, to write masked values that fit.
    pub ty: ColumnType,
    /// The transform, if the column is masked.
    pub transform: Option<Arc<dyn Transform>>,
    /// The column is generated, and the table has masked columns: its value
    /// (computed from columns that are now masked) is written as `DEFAULT`,
    /// which MySQL and MariaDB recompute on load.
    pub regenerate: bool,
}

impl InsertTarget {
    /// A target for a table whose columns are unknown and unmasked.
    pub fn passthrough(table: TableName) -> Self {
        InsertTarget {
            table,
            full: Vec::new(),
            stored: None,
            schema_known: false,
            masks: false,
            export: None,
        }
    }

    /// Build the target for an INSERT into a table with a known schema and plan.
    pub fn new(
        table: TableName,
        columns: &[(Arc<str>, ColumnType, bool)],
        listed: Option<&[usize]>,
        plan: Option<&TablePlan>,
        counter_base: usize,
    ) -> Self {
        let masks = plan.is_some_and(|p| p.columns.iter().any(Option::is_some));
        let slot = |c: usize| Slot {
            counter: counter_base + c,
            column: columns[c].0.clone(),
            col: c,
            ty: columns[c].1.clone(),
            transform: plan.and_then(|p| p.columns.get(c).cloned().flatten()),
            regenerate: masks && columns[c].2,
        };
        let (full, stored) = match listed {
            Some(cols) => (cols.iter().map(|&c| slot(c)).collect::<Vec<_>>(), None),
            None => {
                let full: Vec<Slot> = (0..columns.len()).map(slot).collect();
                let has_generated = columns.iter().any(|c| c.2);
                let stored = has_generated.then(|| {
                    (0..columns.len())
                        .filter(|&c| !columns[c].2)
                        .map(slot)
                        .collect()
                });
                (full, stored)
            }
        };
        InsertTarget {
            table,
            full,
            stored,
            schema_known: true,
            masks,
            export: None,
        }
    }
}

/// A byte range of a chunk and what it holds.
#[derive(Debug, Clone)]
pub(crate) enum Piece {
    /// Bytes written as they are.
    Verbatim(Range<usize>),
    /// A tuple list (or a part of one) of an INSERT into `target`.
    Rows {
        range: Range<usize>,
        target: Arc<InsertTarget>,
        /// The range starts with the `,` after a previous chunk's last tuple.
        continuation: bool,
    },
}

/// A unit of parallel work.
#[derive(Debug)]
pub(crate) struct Chunk {
    /// The bytes, shared with nobody else.
    pub data: Bytes,
    /// Absolute offset of `data[0]` in the input.
    pub offset: u64,
    /// What the bytes hold, in order, covering all of `data`.
    pub pieces: Vec<Piece>,
    /// Exported tables whose `CREATE TABLE` is in this chunk (or before it).
    pub defines: Vec<Arc<ExportTarget>>,
}

/// The output of one chunk.
#[derive(Debug)]
pub(crate) struct ChunkOutput {
    /// The bytes to write (the input itself when nothing was masked).
    pub data: Bytes,
    /// Input bytes.
    pub bytes_in: u64,
    /// Newlines in the input chunk (for line numbers in later errors).
    pub newlines: u64,
    /// Rows seen.
    pub rows: u64,
    /// Masked values: (counter, count).
    pub masked: Vec<(usize, u64)>,
    /// Exported tables defined in this chunk, to begin before any rows.
    pub defines: Vec<Arc<ExportTarget>>,
    /// Exported rows: (export table id, encoded rows).
    pub exports: Vec<(usize, Vec<u8>)>,
}

/// An error inside a chunk, before the writer knows the line number base.
#[derive(Debug)]
pub(crate) struct ChunkError {
    /// Absolute byte offset.
    pub byte: u64,
    /// Newlines in the chunk before `byte`.
    pub lines_before: u64,
    /// `true`: a syntax error; `false`: a masking error.
    pub syntax: bool,
    /// The message (never cell data).
    pub message: String,
}

/// Reusable buffers for one worker.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    raw: Vec<u8>,
    masked: Vec<u8>,
    counts: Vec<(usize, u64)>,
    /// The current row's final values, for the export.
    row: Vec<u8>,
    fields: Vec<Field>,
    exports: Vec<(usize, Vec<u8>)>,
}

/// One field of the row being exported: a range of `Scratch::row`, or NULL.
#[derive(Debug, Clone, Copy, Default)]
enum Field {
    /// No value (a generated column left out, or recomputed on load).
    #[default]
    Null,
    Bytes(u32, u32),
}

/// Lazily built output: stays `None` until the first masked value.
struct Out<'a> {
    input: &'a [u8],
    buf: Option<Vec<u8>>,
    copied: usize,
}

impl Out<'_> {
    /// Copy the input not yet copied up to `to`, then return the buffer so
    /// the caller can append the replacement of the bytes from `to` on.
    fn replace_from(&mut self, to: usize) -> &mut Vec<u8> {
        let input = self.input;
        let buf = self
            .buf
            .get_or_insert_with(|| Vec::with_capacity(input.len() + input.len() / 8 + 64));
        buf.extend_from_slice(&input[self.copied..to]);
        buf
    }
}

/// Mask one chunk.
pub(crate) fn process(chunk: Chunk, scratch: &mut Scratch) -> Result<ChunkOutput, ChunkError> {
    let data = &chunk.data[..];
    scratch.exports.clear();
    let mut out = Out {
        input: data,
        buf: None,
        copied: 0,
    };
    let mut rows = 0u64;
    scratch.counts.clear();
    for piece in &chunk.pieces {
        let Piece::Rows {
            range,
            target,
            continuation,
        } = piece
        else {
            continue;
        };
        rows += rows_in(
            data,
            range.clone(),
            target,
            *continuation,
            &mut out,
            scratch,
        )
        .map_err(|(at, syntax, message)| ChunkError {
            byte: chunk.offset + at as u64,
            lines_before: count_newlines(&data[..at]),
            syntax,
            message,
        })?;
    }
    let newlines = count_newlines(data);
    let bytes_in = data.len() as u64;
    let data = match out.buf {
        None => chunk.data,
        Some(mut buf) => {
            buf.extend_from_slice(&data[out.copied..]);
            Bytes::from(buf)
        }
    };
    let mut masked = std::mem::take(&mut scratch.counts);
    masked.retain(|c| c.1 > 0);
    Ok(ChunkOutput {
        data,
        bytes_in,
        newlines,
        rows,
        masked,
        defines: chunk.defines,
        exports: std::mem::take(&mut scratch.exports),
    })
}

/// Count newlines (SIMD via `bytecount`; needed for line numbers in errors).
pub(crate) fn count_newlines(data: &[u8]) -> u64 {
    bytecount::count(data, b'\n') as u64
}

type PieceError = (usize, bool, String);

fn rows_in(
    data: &[u8],
    range: Range<usize>,
    target: &InsertTarget,
    continuation: bool,
    out: &mut Out<'_>,
    scratch: &mut Scratch,
) -> Result<u64, PieceError> {
    let base = range.start;
    let slice = &data[range];
    let mut reader = TupleReader::resume(slice, continuation);
    let syntax = |reader_err: crate::tokenizer::values::ValuesError| {
        (
            base + reader_err.offset,
            true,
            reader_err.message.to_owned(),
        )
    };
    let mut rows = 0;
    let mut slots: &[Slot] = &target.full;
    let mut index = 0usize;
    let mut tuple_start = 0usize;
    let exporting = target.export.is_some();
    if let Some(x) = &target.export {
        scratch.fields.clear();
        scratch.fields.resize(x.schema.columns.len(), Field::Null);
        scratch.row.clear();
    }
    loop {
        let token = reader.next_token().map_err(syntax)?;
        match token {
            Token::Value(v) => {
                if index == 0 && target.schema_known {
                    tuple_start = v.span.start;
                    slots = choose_slots(target, &reader)
                        .map_err(|m| (base + v.span.start, false, m))?;
                }
                let mut exported = false;
                if target.masks {
                    if let Some(slot) = slots.get(index) {
                        if let Some(t) = &slot.transform {
                            let cell = mask_value(
                                data,
                                base,
                                &v,
                                &target.table,
                                slot,
                                t.as_ref(),
                                (out, scratch),
                            )?;
                            if exporting {
                                let start = scratch.row.len();
                                scratch.fields[slot.col] = match cell {
                                    Cell::Null => Field::Null,
                                    Cell::Value => {
                                        scratch.row.extend_from_slice(&scratch.masked);
                                        Field::Bytes(start as u32, scratch.row.len() as u32)
                                    }
                                };
                                exported = true;
                            }
                        } else if slot.regenerate {
                            // A generated column's value is derived from the
                            // original data: let the server compute it again
                            // (and export it as NULL).
                            exported = true;
                            if v.kind != ValueKind::Word {
                                let span = base + v.span.start..base + v.span.end;
                                out.replace_from(span.start).extend_from_slice(b"DEFAULT");
                                out.copied = span.end;
                                count_masked(scratch, slot.counter);
                            }
                        }
                    }
                }
                if exporting && !exported {
                    if let Some(slot) = slots.get(index) {
                        let shifted = shift(&v, base);
                        let start = scratch.row.len();
                        scratch.fields[slot.col] =
                            if literal::decode_into(data, &shifted, &mut scratch.row) {
                                Field::Bytes(start as u32, scratch.row.len() as u32)
                            } else {
                                Field::Null
                            };
                    }
                }
                index += 1;
            }
            Token::TupleEnd(n) => {
                if target.schema_known && n != slots.len() {
                    let at = if n == 0 { reader.offset() } else { tuple_start };
                    return Err((
                        base + at,
                        false,
                        format!(
                            "a row of `{}` has {n} values but the table has {} columns",
                            target.table,
                            target.full.len()
                        ),
                    ));
                }
                rows += 1;
                index = 0;
                if let Some(x) = &target.export {
                    export_row(x, scratch);
                }
            }
            Token::End => return Ok(rows),
        }
    }
}

/// Pick the value-to-column mapping for the tuple the reader is in (after its
/// first value): all columns, or only the stored ones when the tuple has as
/// many values as the table has non-generated columns.
pub(crate) fn choose_slots<'t>(
    target: &'t InsertTarget,
    reader: &TupleReader<'_>,
) -> Result<&'t [Slot], String> {
    let Some(stored) = &target.stored else {
        return Ok(&target.full);
    };
    // Count this tuple's values with a copy of the reader (cheap; only for
    // tables with generated columns).
    let mut ahead = reader.clone();
    let mut n = 1;
    while let Ok(Token::Value(_)) = ahead.next_token() {
        n += 1;
    }
    if n == target.full.len() {
        Ok(&target.full)
    } else if n == stored.len() {
        Ok(stored)
    } else {
        Err(format!(
            "a row of `{}` has {n} values but the table has {} columns ({} not generated)",
            target.table,
            target.full.len(),
            stored.len()
        ))
    }
}

fn mask_value(
    data: &[u8],
    base: usize,
    v: &Value,
    table: &TableName,
    slot: &Slot,
    t: &dyn Transform,
    (out, scratch): (&mut Out<'_>, &mut Scratch),
) -> Result<Cell, PieceError> {
    let shifted = shift(v, base);
    let span = shifted.span.clone();
    scratch.raw.clear();
    let present = literal::decode_into(data, &shifted, &mut scratch.raw);
    scratch.masked.clear();
    let input = present.then_some(&scratch.raw[..]);
    let cell = t.apply(input, &mut scratch.masked).map_err(|e| {
        (
            span.start,
            false,
            format!("cannot mask {table}.{}: {e}", slot.column),
        )
    })?;
    let style = if v.kind == ValueKind::Null {
        default_style(&slot.ty)
    } else {
        literal::style_of(v)
    };
    let introducer = shifted.introducer.clone().map(|r| &data[r]);
    let buf = out.replace_from(span.start);
    match cell {
        Cell::Null => buf.extend_from_slice(b"NULL"),
        Cell::Value => literal::encode_into(&scratch.masked, style, introducer, buf),
    }
    out.copied = span.end;
    count_masked(scratch, slot.counter);
    Ok(cell)
}

/// `v` with its ranges moved by `base` (from piece-relative to chunk-relative).
fn shift(v: &Value, base: usize) -> Value {
    let mv = |r: &Range<usize>| base + r.start..base + r.end;
    Value {
        span: mv(&v.span),
        body: mv(&v.body),
        introducer: v.introducer.as_ref().map(mv),
        ..v.clone()
    }
}

/// Encode the collected row for the export and reset the row.
fn export_row(x: &ExportTarget, scratch: &mut Scratch) {
    let buf = match scratch.exports.iter().position(|e| e.0 == x.id) {
        Some(i) => &mut scratch.exports[i].1,
        None => {
            scratch.exports.push((x.id, Vec::new()));
            &mut scratch.exports.last_mut().expect("pushed").1
        }
    };
    let charset = x.schema.default_charset.as_deref();
    for (i, (field, column)) in scratch.fields.iter_mut().zip(&x.schema.columns).enumerate() {
        if i > 0 {
            buf.push(b'\t');
        }
        let raw = match *field {
            Field::Null => None,
            Field::Bytes(a, b) => Some(&scratch.row[a as usize..b as usize]),
        };
        export::write_field(raw, column, charset, &x.options, buf);
        *field = Field::Null;
    }
    export::write_row_end(buf);
    scratch.row.clear();
}

fn count_masked(scratch: &mut Scratch, counter: usize) {
    match scratch.counts.iter_mut().find(|c| c.0 == counter) {
        Some(c) => c.1 += 1,
        None => scratch.counts.push((counter, 1)),
    }
}

/// How to write a value that replaces `NULL` (only `constant` does that).
fn default_style(ty: &ColumnType) -> Style {
    if ty.is_numeric() {
        Style::Number
    } else {
        Style::Quoted
    }
}
