//! The TSV worker: masks the rows of one chunk (what each worker thread runs).
//!
//! Every field is tokenized (so a wrong field count is always caught); the
//! fields of masked columns are decoded, transformed and encoded again in the
//! same dialect; every other byte is copied. The output buffer is created at
//! the first masked value: a chunk with nothing masked is passed on as the
//! same `Bytes`. No allocation per value (scratch buffers are reused).

use std::sync::Arc;

use bytes::Bytes;

use super::chunker::Chunk;
use super::Target;
use crate::rewrite::count_newlines;
use crate::tokenizer::tsv::{encode_field, unescape_into, Event, Tokenizer, TsvDialect};
use crate::transform::Cell;

/// Reusable buffers of one worker.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    raw: Vec<u8>,
    masked: Vec<u8>,
    counts: Vec<u64>,
}

/// The output of one chunk.
#[derive(Debug)]
pub(crate) struct ChunkOutput {
    pub data: Bytes,
    pub bytes_in: u64,
    pub newlines: u64,
    pub rows: u64,
    /// Masked values per field position.
    pub masked: Vec<(usize, u64)>,
    pub target: Option<Arc<Target>>,
}

/// An error in a chunk, before the line number base is known.
#[derive(Debug)]
pub(crate) struct ChunkError {
    pub byte: u64,
    pub lines_before: u64,
    pub syntax: bool,
    pub message: String,
}

/// Mask one chunk.
pub(crate) fn process(
    d: &TsvDialect,
    chunk: Chunk,
    scratch: &mut Scratch,
) -> Result<ChunkOutput, ChunkError> {
    let data = &chunk.data[..];
    let newlines = count_newlines(data);
    let bytes_in = data.len() as u64;
    let target = chunk.target.clone();
    if chunk.verbatim {
        return Ok(ChunkOutput {
            data: chunk.data,
            bytes_in,
            newlines,
            rows: 0,
            masked: Vec::new(),
            target: Some(target),
        });
    }
    let base = chunk.offset;
    let local = |abs: u64| (abs - base) as usize;
    let fail = |at: usize, syntax: bool, message: String| ChunkError {
        byte: base + at as u64,
        lines_before: count_newlines(&data[..at]),
        syntax,
        message,
    };
    let Scratch {
        raw,
        masked,
        counts,
    } = scratch;
    counts.clear();
    counts.resize(target.slots.len(), 0);
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0usize;
    let mut tok = Tokenizer::with_offset(d, base);
    let mut at = 0usize;
    let mut index = 0usize;
    let mut row_start = 0usize;
    let mut rows = 0u64;
    loop {
        let (event, used) = tok.feed(&data[at..], true).map_err(|e| {
            fail(
                local(e.offset),
                true,
                format!("input ends inside {}", e.message),
            )
        })?;
        at += used;
        let f = match event {
            Event::Field(f) => f,
            Event::End => break,
            Event::NeedMore => unreachable!("the tokenizer never needs more at the end of input"),
        };
        if target.masks {
            if let Some(slot) = target.slots.get(index) {
                if let Some(t) = &slot.transform {
                    let span = local(f.span.start)..local(f.span.end);
                    let input = if f.null {
                        None
                    } else if f.escaped {
                        raw.clear();
                        unescape_into(d, &data[span.clone()], f.enclosed, raw);
                        Some(&raw[..])
                    } else {
                        Some(&data[span.clone()])
                    };
                    masked.clear();
                    let cell = t.apply(input, masked).map_err(|e| {
                        fail(
                            span.start,
                            false,
                            format!("cannot mask {}.{}: {e}", target.table, slot.column),
                        )
                    })?;
                    let enclose = if f.null {
                        d.enclosure().is_some() && !(d.optionally_enclosed() && slot.numeric)
                    } else {
                        f.enclosed
                    };
                    let extent = f.extent();
                    let (start, end) = (local(extent.start), local(extent.end));
                    let buf = out.get_or_insert_with(|| {
                        Vec::with_capacity(data.len() + data.len() / 8 + 64)
                    });
                    buf.extend_from_slice(&data[copied..start]);
                    let value = match cell {
                        Cell::Null => None,
                        Cell::Value => Some(&masked[..]),
                    };
                    encode_field(d, value, enclose, buf).map_err(|e| {
                        fail(
                            start,
                            false,
                            format!("cannot write {}.{}: {e}", target.table, slot.column),
                        )
                    })?;
                    copied = end;
                    counts[index] += 1;
                }
            }
        }
        index += 1;
        if f.row_end {
            if index != target.slots.len() {
                return Err(fail(
                    row_start,
                    false,
                    format!(
                        "a row of `{}` has {index} fields but {} were expected",
                        target.table,
                        target.slots.len()
                    ),
                ));
            }
            rows += 1;
            index = 0;
            row_start = local(f.next);
        }
    }
    let data = match out {
        None => chunk.data,
        Some(mut buf) => {
            buf.extend_from_slice(&data[copied..]);
            Bytes::from(buf)
        }
    };
    let masked = counts
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(i, &n)| (i, n))
        .collect();
    Ok(ChunkOutput {
        data,
        bytes_in,
        newlines,
        rows,
        masked,
        target: Some(target),
    })
}
