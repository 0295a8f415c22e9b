//! Sampling: the schemas of a dump with the first rows of each table, decoded.
//! `masker check --scaffold` uses it to suggest rules from values as well as
//! from column names. Single-threaded; stops tokenizing a table's rows once it
//! has enough of them (the rest of the dump is still split and checked).

use std::collections::HashMap;
use std::io::Read;

use super::chunker::{Chunker, ChunkerConfig};
use crate::error::{Error, Result};
use crate::rewrite::{choose_slots, count_newlines, Piece};
use crate::rules::Rules;
use crate::schema::{TableName, TableSchema};
use crate::tokenizer::literal;
use crate::tokenizer::values::{Token, TupleReader};

/// A table's schema and its first rows: per row, per column, the raw value
/// (`None` for NULL or when the INSERT left the column out).
#[derive(Debug, Clone)]
pub struct TableSample {
    /// The table.
    pub schema: TableSchema,
    /// Up to the requested number of rows, in dump order.
    pub rows: Vec<Vec<Option<Vec<u8>>>>,
}

/// Read every `CREATE TABLE` of a dump and up to `rows` rows of each table.
pub fn sample_rows<R: Read>(input: R, rows: usize) -> Result<Vec<TableSample>> {
    let rules = Rules::empty();
    let cfg = ChunkerConfig {
        chunk_size: 1 << 20,
        read_size: 1 << 20,
    };
    let mut chunker = Chunker::new(input, &rules, cfg);
    let mut samples: HashMap<TableName, Vec<Vec<Option<Vec<u8>>>>> = HashMap::new();
    let mut line = 1;
    let mut raw = Vec::new();
    loop {
        let chunk = match chunker.next_chunk() {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => return Err(e.into_error(line)),
        };
        for piece in &chunk.pieces {
            let Piece::Rows {
                range,
                target,
                continuation,
            } = piece
            else {
                continue;
            };
            if !target.schema_known {
                continue;
            }
            let taken = samples.entry(target.table.clone()).or_default();
            if taken.len() >= rows {
                continue;
            }
            let data = &chunk.data[range.clone()];
            let mut reader = TupleReader::resume(data, *continuation);
            let ncols = target.full.iter().map(|s| s.col + 1).max().unwrap_or(0);
            let mut row: Vec<Option<Vec<u8>>> = vec![None; ncols];
            let mut slots = &target.full[..];
            let mut index = 0;
            let position = |offset: usize| crate::Position {
                byte: chunk.offset + (range.start + offset) as u64,
                line: line + count_newlines(&chunk.data[..range.start + offset]),
            };
            while taken.len() < rows {
                let token = reader
                    .next_token()
                    .map_err(|e| Error::syntax(position(e.offset), e.message))?;
                match token {
                    Token::Value(v) => {
                        if index == 0 {
                            slots = choose_slots(target, &reader)
                                .map_err(|m| Error::syntax(position(v.span.start), m))?;
                        }
                        if let Some(slot) = slots.get(index) {
                            raw.clear();
                            if literal::decode_into(data, &v, &mut raw) {
                                row[slot.col] = Some(raw.clone());
                            }
                        }
                        index += 1;
                    }
                    Token::TupleEnd(_) => {
                        taken.push(std::mem::replace(&mut row, vec![None; ncols]));
                        index = 0;
                    }
                    Token::End => break,
                }
            }
        }
        line += count_newlines(&chunk.data);
    }
    Ok(chunker
        .schemas()
        .into_iter()
        .map(|schema| TableSample {
            rows: samples.remove(&schema.name).unwrap_or_default(),
            schema,
        })
        .collect())
}
