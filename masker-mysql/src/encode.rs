//! Rows to chunk-file bytes: mysqldump-compatible extended INSERTs (one
//! statement per line, a new statement after about 1 MB) or `LOAD DATA`
//! text. Values are final (already masked) raw bytes; every literal and
//! field is written by masker-core's engine encoders, never escaped here.
//! SQL files are UTF-8 throughout (the driver sends statements as UTF-8
//! text): a literal that would not be UTF-8 (latin1 or cp932 text) is
//! written as a hex literal instead, and under `SET NAMES binary` every
//! value reaches its column as the exact bytes. This module owns the file
//! layout; it does no I/O.

use masker_core::engine::{write_sql_value, write_tsv_value};
use masker_core::schema::{Column, TableSchema};
use masker_core::tokenizer::literal::encode_hex_into;
use masker_core::tokenizer::tsv::TsvDialect;

use crate::manifest::Format;
use crate::sql::ident;

/// Statements are cut after this many bytes (mysqldump's `net_buffer_length`).
pub const STATEMENT_BYTES: usize = 1 << 20;

/// Session settings at the top of every SQL chunk file (as mysqldump writes
/// them, plus `NAMES binary`: values are the columns' own bytes).
pub const SQL_DATA_HEADER: &str = "/*!40101 SET NAMES binary */;\n\
/*!40103 SET TIME_ZONE='+00:00' */;\n\
/*!40101 SET SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n\
/*!40014 SET FOREIGN_KEY_CHECKS=0, UNIQUE_CHECKS=0 */;\n";

/// Encodes the rows of one chunk into a caller-drained buffer.
pub struct ChunkEncoder {
    format: Format,
    insert: Vec<u8>,
    columns: Vec<Column>,
    dialect: TsvDialect,
    /// Bytes ready to be written; drain with [`ChunkEncoder::take`].
    buf: Vec<u8>,
    in_statement: bool,
}

impl ChunkEncoder {
    /// An encoder for the stored columns of `schema` (`columns`: their
    /// indexes in `schema.columns`), writing `table` (unqualified) in SQL.
    pub fn new(format: Format, table: &str, schema: &TableSchema, columns: &[usize]) -> Self {
        let names: Vec<String> = columns
            .iter()
            .map(|&i| ident(&schema.columns[i].name))
            .collect();
        let insert = format!("INSERT INTO {} ({}) VALUES ", ident(table), names.join(","));
        let mut buf = Vec::with_capacity(STATEMENT_BYTES + (1 << 16));
        if format == Format::Sql {
            buf.extend_from_slice(SQL_DATA_HEADER.as_bytes());
        }
        ChunkEncoder {
            format,
            insert: insert.into_bytes(),
            columns: columns.iter().map(|&i| schema.columns[i].clone()).collect(),
            dialect: TsvDialect::default(),
            buf,
            in_statement: false,
        }
    }

    /// Append one row (`None`: NULL), one value per stored column.
    /// Fails only when the TSV dialect cannot express a value (the reason,
    /// never the value).
    pub fn row(&mut self, values: &[Option<&[u8]>]) -> Result<(), &'static str> {
        match self.format {
            Format::Sql => {
                if self.in_statement {
                    self.buf.push(b',');
                } else {
                    self.buf.extend_from_slice(&self.insert);
                    self.in_statement = true;
                }
                self.buf.push(b'(');
                for (i, (v, col)) in values.iter().zip(&self.columns).enumerate() {
                    if i > 0 {
                        self.buf.push(b',');
                    }
                    let start = self.buf.len();
                    write_sql_value(*v, col, &mut self.buf);
                    if std::str::from_utf8(&self.buf[start..]).is_err() {
                        self.buf.truncate(start);
                        if let Some(raw) = v {
                            encode_hex_into(raw, &mut self.buf);
                        }
                    }
                }
                self.buf.push(b')');
                if self.buf.len() >= STATEMENT_BYTES {
                    self.end_statement();
                }
            }
            Format::Tsv => {
                for (i, (v, col)) in values.iter().zip(&self.columns).enumerate() {
                    if i > 0 {
                        self.buf.push(b'\t');
                    }
                    write_tsv_value(&self.dialect, *v, col, &mut self.buf)?;
                }
                self.buf.push(b'\n');
            }
        }
        Ok(())
    }

    fn end_statement(&mut self) {
        if self.in_statement {
            self.buf.extend_from_slice(b";\n");
            self.in_statement = false;
        }
    }

    /// Bytes buffered so far.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// The buffered bytes, to be written; `last` ends the open statement first.
    pub fn take(&mut self, last: bool) -> &[u8] {
        if last {
            self.end_statement();
        }
        &self.buf
    }

    /// Forget the bytes returned by [`ChunkEncoder::take`] once written.
    pub fn clear(&mut self) {
        self.buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use masker_core::schema::parse_create_table;

    fn schema() -> TableSchema {
        parse_create_table(
            b"CREATE TABLE `t` (`id` int NOT NULL, `b` bit(8), `s` varchar(10), `v` int AS (id*2) VIRTUAL)",
        )
        .unwrap()
    }

    #[test]
    fn sql_rows_are_one_utf8_statement_per_line() {
        let s = schema();
        let mut e = ChunkEncoder::new(Format::Sql, "t", &s, &[0, 1, 2]);
        e.row(&[Some(b"1"), Some(b"\x15"), Some(b"a'\n")]).unwrap();
        e.row(&[Some(b"2"), None, Some(b"\xe9")]).unwrap();
        let out = String::from_utf8(e.take(true).to_vec()).unwrap();
        let body = out.strip_prefix(SQL_DATA_HEADER).unwrap();
        assert_eq!(
            body,
            "INSERT INTO `t` (`id`,`b`,`s`) VALUES (1,b'00010101','a\\'\\n'),(2,NULL,0xE9);\n"
        );
    }

    #[test]
    fn tsv_rows_use_the_load_data_defaults() {
        let s = schema();
        let mut e = ChunkEncoder::new(Format::Tsv, "t", &s, &[0, 2]);
        e.row(&[Some(b"1"), Some(b"a\tb\\")]).unwrap();
        e.row(&[Some(b"2"), None]).unwrap();
        assert_eq!(e.take(true), b"1\ta\\\tb\\\\\n2\t\\N\n");
    }
}
