//! The TSV codec: rows of `LOAD DATA` text (`mysqldump --tab`, `SELECT ...
//! INTO OUTFILE`) in any dialect.
//!
//! Every field is tokenized (so a wrong field count is always caught); the
//! fields the masking (or the export) needs are decoded into the row masker,
//! masked, and encoded back in the same dialect: a changed value keeps its
//! field's enclosure, a value that replaced NULL is enclosed as the dialect
//! encloses the column, and a regenerated generated column is written as
//! NULL (its original value was derived from data now masked). Rows of a
//! BigQuery export read back ([`InsertTarget::read_export`]) take its NULL
//! marker and its binary encoding besides.

use std::ops::Range;

use super::{
    rewrite_row, wants_all, InsertTarget, Out, PieceError, RowCells, RowHook,
    Scratch as ChunkScratch,
};
use crate::engine::{write_tsv_value, Cell};
use crate::schema::Column;
use crate::tokenizer::tsv::{encode_field, unescape_into, Event, Field, Tokenizer, TsvDialect};

/// The current row's fields (reused from row to row).
#[derive(Debug, Default)]
pub(super) struct Scratch {
    fields: Vec<Field>,
}

/// Said after a wrong field count: a row of one field (where the table has
/// more columns) holds no field terminator at all, so the file was most
/// likely written in another dialect (`FIELDS TERMINATED BY ','` read as
/// tab-separated), and it must be read with the options it was written with.
/// A file written without an escape character cannot be read reliably at all.
fn dialect_hint(d: &TsvDialect, fields: usize) -> String {
    if fields == 1 {
        return format!(
            " (the row holds no field terminator `{}`: if the file was written with other FIELDS or LINES options, read it with the same ones)",
            d.field_terminator().escape_ascii()
        );
    }
    if d.escape().is_none() {
        // Found by QA: `--fields-terminated-by='|' --fields-escaped-by=''`
        // and a BLOB holding `|`.
        return " (the file was written without an escape character, FIELDS ESCAPED BY '': a value holding the field or line terminator cannot be told from one, by masker or by LOAD DATA; dump with an escape character)".to_owned();
    }
    String::new()
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
    let rewrites = target.rewrites(wants_all(hook, target));
    let ChunkScratch {
        rows: masker,
        tsv: Scratch { fields },
        exports,
        offsets,
        encoded,
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
            .map_err(|m| (row_start, false, m + &dialect_hint(d, fields.len())))?;
        if rewrites {
            let cells = TsvRow {
                d,
                data,
                offset,
                fields,
                null_marker: target
                    .read_export
                    .as_deref()
                    .map(|x| x.null_marker.as_slice()),
            };
            let kept = rewrite_row(
                target,
                layout,
                &cells,
                masker,
                out,
                exports,
                offsets,
                encoded,
                hook,
                |_| {},
            )
            .map_err(|(at, m)| (at, false, m))?;
            if !kept {
                // The whole line, its terminator included.
                out.replace(row_start..next, |_| {});
            }
        }
        fields.clear();
        row_start = next;
    }
}

/// The fields of one row; spans absolute, `offset` the chunk's.
struct TsvRow<'a> {
    d: &'a TsvDialect,
    data: &'a [u8],
    offset: u64,
    fields: &'a [Field],
    /// An export's NULL marker: an unenclosed field equal to it is NULL.
    null_marker: Option<&'a [u8]>,
}

impl TsvRow<'_> {
    fn local(&self, abs: u64) -> usize {
        (abs - self.offset) as usize
    }
}

impl RowCells for TsvRow<'_> {
    fn len(&self) -> usize {
        self.fields.len()
    }

    fn decode(&self, i: usize, buf: &mut Vec<u8>) -> bool {
        let f = &self.fields[i];
        let span = self.local(f.span.start)..self.local(f.span.end);
        let null = match self.null_marker {
            // An export's NULL is its marker, unenclosed; the word `NULL`
            // there is a value.
            Some(marker) => !f.enclosed && self.data[span.clone()] == *marker,
            None => f.null,
        };
        if null {
            return false;
        }
        if f.escaped {
            unescape_into(self.d, &self.data[span], f.enclosed, buf);
        } else {
            buf.extend_from_slice(&self.data[span]);
        }
        true
    }

    fn start(&self, i: usize) -> usize {
        self.fields
            .get(i)
            .map_or(0, |f| self.local(f.extent().start))
    }

    fn absolute(&self, i: usize) -> u64 {
        self.offset + self.start(i) as u64
    }

    fn visitable(&self, _: usize) -> bool {
        true
    }

    fn rewrite(
        &self,
        i: usize,
        cell: Cell<'_>,
        column: &Column,
        out: &mut Out<'_>,
    ) -> Result<(), String> {
        let f = &self.fields[i];
        let value = match cell {
            Cell::Same => return Ok(()),
            // A regenerated generated column: NULL, which LOAD DATA ignores there.
            Cell::Null | Cell::Regenerated => None,
            Cell::Value(raw) => Some(raw),
        };
        let extent = f.extent();
        let mut failed = None;
        out.replace(self.local(extent.start)..self.local(extent.end), |b| {
            let written = if f.null {
                // No enclosure to imitate: enclose as the dialect encloses this column.
                write_tsv_value(self.d, value, column, b)
            } else {
                encode_field(self.d, value, f.enclosed, b)
            };
            failed = written.err();
        });
        failed.map_or(Ok(()), |e| Err(e.to_owned()))
    }
}
