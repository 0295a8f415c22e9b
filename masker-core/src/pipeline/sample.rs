//! Sampling: the schemas of a dump with the first rows of each table, decoded.
//! `masker check --scaffold` uses it to suggest rules from values as well as
//! from column names. Single-threaded; stops tokenizing a table's rows once it
//! has enough of them (the rest of the dump is still split and checked).

use std::collections::HashMap;
use std::io::Read;

use super::chunker::{Chunker, ChunkerConfig};
use crate::error::{Error, Result};
use crate::rewrite::{count_newlines, Piece, RowFormat};
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
                format: RowFormat::Sql { continuation },
            } = piece
            else {
                continue;
            };
            let Some(table) = &target.table else {
                continue;
            };
            let taken = samples.entry(target.name.clone()).or_default();
            if taken.len() >= rows {
                continue;
            }
            let data = &chunk.data[range.clone()];
            let mut reader = TupleReader::resume(data, *continuation);
            let ncols = table.schema().columns.len();
            let position = |offset: usize| crate::Position {
                byte: chunk.offset + (range.start + offset) as u64,
                line: line + count_newlines(&chunk.data[..range.start + offset]),
            };
            let mut values = Vec::new();
            while taken.len() < rows {
                let token = reader
                    .next_token()
                    .map_err(|e| Error::syntax(position(e.offset), e.message))?;
                match token {
                    Token::Value(v) => values.push(v),
                    Token::TupleEnd(n) => {
                        let at = values
                            .first()
                            .map_or(0, |v: &crate::tokenizer::values::Value| v.span.start);
                        let layout = target
                            .layout(n, "values")
                            .map_err(|m| Error::syntax(position(at), m))?;
                        let mut row: Vec<Option<Vec<u8>>> = vec![None; ncols];
                        for (v, &col) in values.iter().zip(layout) {
                            raw.clear();
                            if literal::decode_into(data, v, &mut raw) {
                                row[col] = Some(raw.clone());
                            }
                        }
                        taken.push(row);
                        values.clear();
                    }
                    Token::End => break,
                }
            }
        }
        line += count_newlines(&chunk.data);
    }
    Ok(chunker
        .catalog()
        .schemas()
        .into_iter()
        .map(|schema| TableSample {
            rows: samples.remove(&schema.name).unwrap_or_default(),
            schema,
        })
        .collect())
}
