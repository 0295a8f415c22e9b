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
    export_row, visit_row, wants_all, InsertTarget, Out, PieceError, RowHook,
    Scratch as ChunkScratch,
};
use crate::engine::{Cell, RowMasker};
use crate::tokenizer::literal;
use crate::tokenizer::values::{Token, TupleReader, Value, ValueKind};

/// The current tuple's values (reused from tuple to tuple).
#[derive(Debug, Default)]
pub(super) struct Scratch {
    values: Vec<Value>,
}

/// Tokenize, mask and rewrite the tuples in `data[range]` (`offset`:
/// absolute offset of `data[0]`), handing each row to `hook` if any;
/// returns the rows seen.
#[allow(clippy::too_many_arguments)]
pub(super) fn rows(
    offset: u64,
    data: &[u8],
    range: Range<usize>,
    target: &InsertTarget,
    continuation: bool,
    out: &mut Out<'_>,
    scratch: &mut ChunkScratch,
    hook: &mut Option<RowHook<'_>>,
) -> Result<u64, PieceError> {
    let base = range.start;
    let slice = &data[range];
    let mut reader = TupleReader::resume(slice, continuation);
    let syntax =
        |e: crate::tokenizer::values::ValuesError| (base + e.offset, true, e.message.to_owned());
    let rewrites = target.rewrites(wants_all(hook));
    let ChunkScratch {
        rows: masker,
        sql: Scratch { values },
        exports,
        offsets,
        ..
    } = scratch;
    let mut rows = 0;
    values.clear();
    loop {
        match reader.next_token().map_err(syntax)? {
            Token::Value(v) => values.push(v),
            Token::TupleEnd(n) => {
                rows += 1;
                if target.table.is_some() {
                    let at = values.first().map_or(reader.offset(), |v| v.span.start);
                    let layout = target
                        .layout(n, "values")
                        .map_err(|m| (base + at, false, m))?;
                    if rewrites {
                        let row = Row {
                            slice,
                            base,
                            offset,
                            layout,
                            values,
                        };
                        rewrite_row(&row, target, masker, out, exports, offsets, hook)
                            .map_err(|(at, m)| (at, false, m))?;
                    }
                }
                values.clear();
            }
            Token::End => return Ok(rows),
        }
    }
}

/// One tuple: its values in `slice` (at `base` in the chunk, whose first
/// byte is at absolute `offset`) and their columns.
struct Row<'a> {
    slice: &'a [u8],
    base: usize,
    offset: u64,
    layout: &'a [usize],
    values: &'a [Value],
}

fn rewrite_row(
    r: &Row<'_>,
    target: &InsertTarget,
    masker: &mut RowMasker,
    out: &mut Out<'_>,
    exports: &mut Vec<(usize, Vec<u8>)>,
    offsets: &mut Vec<u64>,
    hook: &mut Option<RowHook<'_>>,
) -> Result<(), (usize, String)> {
    let Row {
        slice,
        base,
        offset,
        layout,
        values,
    } = *r;
    let table = target
        .table
        .as_deref()
        .expect("rows are rewritten for bound tables");
    let export = target.export.is_some();
    masker.begin(table);
    for (v, &col) in values.iter().zip(layout) {
        // A visitor gets every value; a bare word (`DEFAULT`) is none.
        let visit = wants_all(hook) && v.kind != ValueKind::Word;
        let wanted = export || visit || table.needs_input(col);
        if wanted {
            masker.decode(col, |buf| literal::decode_into(slice, v, buf));
        } else {
            masker.set_present(col);
        }
    }
    let row = masker.mask(table).map_err(|e| {
        let at = layout
            .iter()
            .position(|&c| c == e.column)
            .map_or(values[0].span.start, |i| values[i].span.start);
        (base + at, e.message)
    })?;
    for (v, &col) in values.iter().zip(layout) {
        let span = base + v.span.start..base + v.span.end;
        match row.cell(col) {
            Cell::Same => {}
            Cell::Null => out.replace(span, |b| b.extend_from_slice(b"NULL")),
            Cell::Regenerated => {
                if v.kind != ValueKind::Word {
                    out.replace(span, |b| b.extend_from_slice(b"DEFAULT"));
                }
            }
            Cell::Value(raw) => {
                let style = if v.kind == ValueKind::Null {
                    crate::engine::sql_style(&table.schema().columns[col].ty)
                } else {
                    literal::style_of(v)
                };
                let introducer = v.introducer.clone().map(|r| &slice[r]);
                out.replace(span, |b| literal::encode_into(raw, style, introducer, b));
            }
        }
    }
    if let Some(x) = &target.export {
        export_row(x, &row, exports);
    }
    visit_row(hook, table, &row, layout, offsets, |i| {
        offset + (base + values[i].span.start) as u64
    });
    Ok(())
}
