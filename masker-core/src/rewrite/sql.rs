//! The SQL codec: rows as tuples of literals (`(1,'a',NULL),(2,...)`).
//!
//! Each tuple's values are tokenized (so garbage in any value is caught),
//! decoded into the row masker when the table's actions (or the export) need
//! them, masked, and encoded back: a changed value is written in the style
//! of the literal it replaces (bare number, quoted string with its
//! introducer, `0x..`, `b'..'`), a NULL that became a value in the column
//! type's style, a regenerated generated column as `DEFAULT`.

use std::ops::Range;

use super::{
    rewrite_row, wants_all, InsertTarget, Out, PieceError, RowCells, RowHook,
    Scratch as ChunkScratch,
};
use crate::engine::Cell;
use crate::schema::Column;
use crate::tokenizer::literal;
use crate::tokenizer::values::{TupleReader, Value, ValueKind};

/// The current tuple's values (reused from tuple to tuple).
#[derive(Debug, Default)]
pub(super) struct Scratch {
    values: Vec<Value>,
}

/// Tokenize, mask and rewrite the tuples in `data[range]` (`offset`:
/// absolute offset of `data[0]`), handing each row to `hook` if any;
/// returns the rows seen.
///
/// Rows the table's row policy drops are removed with one separator: the
/// `,` after them while no row of the statement is kept yet, else the `,`
/// before them. `statement` (the whole INSERT, for tables with a row
/// policy) is removed whole when none of its rows is kept, so the output
/// never holds an INSERT without rows.
#[allow(clippy::too_many_arguments)]
pub(super) fn rows(
    offset: u64,
    data: &[u8],
    range: Range<usize>,
    target: &InsertTarget,
    continuation: bool,
    statement: Option<Range<usize>>,
    out: &mut Out<'_>,
    scratch: &mut ChunkScratch,
    hook: &mut Option<RowHook<'_>>,
) -> Result<u64, PieceError> {
    let base = range.start;
    let slice = &data[range];
    let mut reader = TupleReader::resume(slice, continuation);
    let syntax =
        |e: crate::tokenizer::values::ValuesError| (base + e.offset, true, e.message.to_owned());
    let rewrites = target.rewrites(wants_all(hook, target));
    let ChunkScratch {
        rows: masker,
        sql: Scratch { values },
        exports,
        offsets,
        encoded,
        ..
    } = scratch;
    let mut rows = 0;
    // Dropping rows: the end of the previous tuple (chunk offset), the start
    // of the first dropped tuple while none is kept, and whether one is.
    let mut prev_end = base;
    let mut first_dropped: Option<usize> = None;
    let mut kept_any = false;
    // A tuple's values are kept only when the row is rewritten.
    values.clear();
    while let Some(tuple) = reader.tuple(values, rewrites).map_err(syntax)? {
        rows += 1;
        if target.table.is_some() {
            let at = tuple.first;
            let layout = target
                .layout(tuple.values, "values")
                .map_err(|m| (base + at, false, m))?;
            let end = base + reader.offset();
            // Tuple boundaries matter only where rows may be dropped.
            let start = match statement {
                Some(_) => tuple_start(data, prev_end),
                None => base + at,
            };
            let kept = !rewrites || {
                let cells = SqlRow {
                    slice,
                    base,
                    offset,
                    values,
                };
                let pending = &mut first_dropped;
                rewrite_row(
                    target,
                    layout,
                    &cells,
                    masker,
                    out,
                    exports,
                    offsets,
                    encoded,
                    hook,
                    |out| {
                        // The first kept row: remove the dropped
                        // rows before it, and the `,` after them.
                        if let Some(p) = pending.take() {
                            out.replace(p..start, |_| {});
                        }
                    },
                )
                .map_err(|(at, m)| (at, false, m))?
            };
            if kept {
                kept_any = true;
            } else if statement.is_none() {
                return Err((
                    start,
                    false,
                    format!(
                        "a row of {} was dropped in a cut INSERT (a bug in the chunker)",
                        target.name
                    ),
                ));
            } else if kept_any {
                out.replace(prev_end..end, |_| {});
            } else {
                first_dropped.get_or_insert(start);
            }
            prev_end = end;
        }
        values.clear();
    }
    if let Some(counter) = target.drop_rows {
        masker.count_dropped(counter, rows);
    }
    if let Some(stmt) = statement {
        if !kept_any {
            out.replace(stmt, |_| {});
        }
    }
    Ok(rows)
}

/// Where the tuple after `from` (the end of the previous tuple, or the
/// start of the tuple list) starts: its `(`, past whitespace and the `,`.
/// The tuple reader has already checked what lies between.
fn tuple_start(data: &[u8], from: usize) -> usize {
    from + data[from..]
        .iter()
        .position(|&b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b','))
        .unwrap_or(data.len() - from)
}

/// The values of one tuple; spans relative to `slice`, which starts at
/// chunk offset `base` (the chunk's first byte is at absolute `offset`).
struct SqlRow<'a> {
    slice: &'a [u8],
    base: usize,
    offset: u64,
    values: &'a [Value],
}

impl RowCells for SqlRow<'_> {
    fn len(&self) -> usize {
        self.values.len()
    }

    fn decode(&self, i: usize, buf: &mut Vec<u8>) -> bool {
        literal::decode_into(self.slice, &self.values[i], buf)
    }

    fn start(&self, i: usize) -> usize {
        self.base + self.values.get(i).map_or(0, |v| v.span.start)
    }

    fn absolute(&self, i: usize) -> u64 {
        self.offset + self.start(i) as u64
    }

    /// A bare word (`DEFAULT`, `TRUE`, `FALSE`) is no value to visit.
    fn visitable(&self, i: usize) -> bool {
        self.values[i].kind != ValueKind::Word
    }

    fn rewrite(
        &self,
        i: usize,
        cell: Cell<'_>,
        column: &Column,
        out: &mut Out<'_>,
    ) -> Result<(), String> {
        let v = &self.values[i];
        let span = self.base + v.span.start..self.base + v.span.end;
        match cell {
            Cell::Same => {}
            Cell::Null => out.replace(span, |b| b.extend_from_slice(b"NULL")),
            // `DEFAULT` (or `TRUE`/`FALSE`) already asks nothing of the data.
            Cell::Regenerated if v.kind == ValueKind::Word => {}
            Cell::Regenerated => out.replace(span, |b| b.extend_from_slice(b"DEFAULT")),
            Cell::Value(raw) => {
                // A value that replaced NULL takes the column type's style.
                let style = if v.kind == ValueKind::Null {
                    crate::engine::sql_style(&column.ty)
                } else {
                    literal::style_of(v)
                };
                let introducer = v.introducer.clone().map(|r| &self.slice[r]);
                out.replace(span, |b| literal::encode_into(raw, style, introducer, b));
            }
        }
        Ok(())
    }
}
