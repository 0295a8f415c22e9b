//! The SQL codec: rows as tuples of literals (`(1,'a',NULL),(2,...)`).
//!
//! Each tuple's values are tokenized (so garbage in any value is caught),
//! decoded into the row masker when the table's actions (or the export) need
//! them, masked, and encoded back: a changed value is written in the style
//! of the literal it replaces (bare number, quoted string with its
//! introducer, `0x..`, `b'..'`), a NULL that became a value in the column
//! type's style, a regenerated generated column as `DEFAULT`.

use std::ops::Range;

use super::{export_row, InsertTarget, Out, PieceError, Scratch as ChunkScratch};
use crate::engine::{Cell, RowMasker};
use crate::tokenizer::literal;
use crate::tokenizer::values::{Token, TupleReader, Value, ValueKind};

/// The current tuple's values (reused from tuple to tuple).
#[derive(Debug, Default)]
pub(super) struct Scratch {
    values: Vec<Value>,
}

/// Tokenize, mask and rewrite the tuples in `data[range]`; returns the rows seen.
pub(super) fn rows(
    data: &[u8],
    range: Range<usize>,
    target: &InsertTarget,
    continuation: bool,
    out: &mut Out<'_>,
    scratch: &mut ChunkScratch,
) -> Result<u64, PieceError> {
    let base = range.start;
    let slice = &data[range];
    let mut reader = TupleReader::resume(slice, continuation);
    let syntax =
        |e: crate::tokenizer::values::ValuesError| (base + e.offset, true, e.message.to_owned());
    let rewrites = target.rewrites();
    let ChunkScratch {
        rows: masker,
        sql: Scratch { values },
        exports,
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
                        rewrite_row(slice, base, target, layout, values, masker, out, exports)
                            .map_err(|(at, m)| (at, false, m))?;
                    }
                }
                values.clear();
            }
            Token::End => return Ok(rows),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn rewrite_row(
    slice: &[u8],
    base: usize,
    target: &InsertTarget,
    layout: &[usize],
    values: &[Value],
    masker: &mut RowMasker,
    out: &mut Out<'_>,
    exports: &mut Vec<(usize, Vec<u8>)>,
) -> Result<(), (usize, String)> {
    let table = target
        .table
        .as_deref()
        .expect("rows are rewritten for bound tables");
    let all = target.export.is_some();
    masker.begin(table);
    for (v, &col) in values.iter().zip(layout) {
        if all || table.needs_input(col) {
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
    Ok(())
}
