//! The TSV codec: rows of `LOAD DATA` text (`mysqldump --tab`, `SELECT ...
//! INTO OUTFILE`) in any dialect.
//!
//! Every field is tokenized (so a wrong field count is always caught); the
//! fields the masking (or the export) needs are decoded into the row masker,
//! masked, and encoded back in the same dialect: a changed value keeps its
//! field's enclosure, a value that replaced NULL is enclosed as the dialect
//! encloses the column, and a regenerated generated column is written as
//! NULL (its original value was derived from data now masked).

use std::ops::Range;

use super::{
    export_row, visit_row, wants_all, InsertTarget, Out, PieceError, RowHook,
    Scratch as ChunkScratch,
};
use crate::engine::{write_tsv_value, Cell, RowMasker};
use crate::tokenizer::tsv::{encode_field, unescape_into, Event, Field, Tokenizer, TsvDialect};

/// The current row's fields (reused from row to row).
#[derive(Debug, Default)]
pub(super) struct Scratch {
    fields: Vec<Field>,
}

/// Tokenize, mask and rewrite the whole rows in `data[range]` (`offset`:
/// absolute offset of `data[0]`), handing each row to `hook` if any;
/// returns the rows seen.
#[allow(clippy::too_many_arguments)]
pub(super) fn rows(
    d: &TsvDialect,
    offset: u64,
    data: &[u8],
    range: Range<usize>,
    target: &InsertTarget,
    out: &mut Out<'_>,
    scratch: &mut ChunkScratch,
    hook: &mut Option<RowHook<'_>>,
) -> Result<u64, PieceError> {
    let local = |abs: u64| (abs - offset) as usize;
    let rewrites = target.rewrites(wants_all(hook));
    let ChunkScratch {
        rows: masker,
        tsv: Scratch { fields },
        exports,
        offsets,
        ..
    } = scratch;
    fields.clear();
    let mut tok = Tokenizer::with_offset(d, offset + range.start as u64);
    let slice = &data[range.clone()];
    let mut at = 0usize;
    let mut rows = 0u64;
    let mut row_start = range.start;
    loop {
        let (event, used) = tok.feed(&slice[at..], true).map_err(|e| {
            (
                local(e.offset),
                true,
                format!("input ends inside {}", e.message),
            )
        })?;
        at += used;
        let f = match event {
            Event::Field(f) => f,
            Event::End => return Ok(rows),
            Event::NeedMore => unreachable!("the tokenizer never needs more at the end of input"),
        };
        let row_end = f.row_end;
        let next = local(f.next);
        fields.push(f);
        if !row_end {
            continue;
        }
        rows += 1;
        let layout = target
            .layout(fields.len(), "fields")
            .map_err(|m| (row_start, false, m))?;
        if rewrites {
            let sinks = Sinks {
                out: &mut *out,
                exports: &mut *exports,
                offsets: &mut *offsets,
                hook: &mut *hook,
            };
            rewrite_row(d, data, &local, target, layout, fields, masker, sinks)
                .map_err(|(at, m)| (at, false, m))?;
        }
        fields.clear();
        row_start = next;
    }
}

#[allow(clippy::too_many_arguments)]
fn rewrite_row(
    d: &TsvDialect,
    data: &[u8],
    local: &impl Fn(u64) -> usize,
    target: &InsertTarget,
    layout: &[usize],
    fields: &[Field],
    masker: &mut RowMasker,
    sinks: Sinks<'_, '_, '_>,
) -> Result<(), (usize, String)> {
    let Sinks {
        out,
        exports,
        offsets,
        hook,
    } = sinks;
    let table = target
        .table
        .as_deref()
        .expect("rows are rewritten for bound tables");
    let all = target.export.is_some() || wants_all(hook);
    masker.begin(table);
    for (f, &col) in fields.iter().zip(layout) {
        if !(all || table.needs_input(col)) {
            masker.set_present(col);
            continue;
        }
        let span = local(f.span.start)..local(f.span.end);
        masker.decode(col, |buf| {
            if f.null {
                false
            } else {
                if f.escaped {
                    unescape_into(d, &data[span], f.enclosed, buf);
                } else {
                    buf.extend_from_slice(&data[span]);
                }
                true
            }
        });
    }
    let row = masker.mask(table).map_err(|e| {
        let at = layout
            .iter()
            .position(|&c| c == e.column)
            .map_or(local(fields[0].span.start), |i| {
                local(fields[i].extent().start)
            });
        (at, e.message)
    })?;
    for (f, &col) in fields.iter().zip(layout) {
        let value = match row.cell(col) {
            Cell::Same => continue,
            Cell::Null | Cell::Regenerated => None,
            Cell::Value(raw) => Some(raw),
        };
        let extent = f.extent();
        let span = local(extent.start)..local(extent.end);
        let column = &table.schema().columns[col];
        let mut failed = None;
        out.replace(span.clone(), |b| {
            let written = if f.null {
                // No enclosure to imitate: enclose as the dialect encloses this column.
                write_tsv_value(d, value, column, b)
            } else {
                encode_field(d, value, f.enclosed, b)
            };
            failed = written.err();
        });
        if let Some(e) = failed {
            return Err((
                span.start,
                format!("cannot write {}.{}: {e}", table.name(), column.name),
            ));
        }
    }
    if let Some(x) = &target.export {
        export_row(x, &row, exports);
    }
    visit_row(hook, table, &row, layout, offsets, |i| fields[i].span.start);
    Ok(())
}

/// Where a row's results go: the output, the export, the visitor.
struct Sinks<'a, 'o, 'h> {
    out: &'a mut Out<'o>,
    exports: &'a mut Vec<(usize, Vec<u8>)>,
    offsets: &'a mut Vec<u64>,
    hook: &'a mut Option<RowHook<'h>>,
}
