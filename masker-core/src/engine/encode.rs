//! Encoding a raw value for a column when there is no original literal to
//! imitate: a value that replaced NULL, or every value of a row read from a
//! live server. Dump literals that already exist keep their own style
//! ([`crate::tokenizer::literal::style_of`]).

use crate::schema::{Column, ColumnType};
use crate::tokenizer::literal::{self, Style};
use crate::tokenizer::tsv::{encode_field, TsvDialect};

/// The literal style mysqldump uses for a column of type `ty`: bare numbers,
/// `0x..` for binary data (like `--hex-blob`, safe in any connection
/// charset), `b'..'` for BIT, quoted strings otherwise.
pub(crate) fn sql_style(ty: &ColumnType) -> Style {
    match ty {
        _ if ty.is_numeric() => Style::Number,
        ColumnType::Year => Style::Number,
        ColumnType::Bit { .. } => Style::Bits,
        ColumnType::Binary { .. } | ColumnType::Blob { .. } => Style::Hex,
        ty if ty.is_binary() => Style::Hex,
        _ => Style::Quoted,
    }
}

/// Append `raw` (`None`: NULL) as an SQL literal for `column`.
pub fn write_sql_value(raw: Option<&[u8]>, column: &Column, out: &mut Vec<u8>) {
    match raw {
        None => out.extend_from_slice(b"NULL"),
        Some(v) if v.is_empty() && sql_style(&column.ty) == Style::Hex => {
            out.extend_from_slice(b"''")
        }
        Some(v) => literal::encode_into(v, sql_style(&column.ty), None, out),
    }
}

/// Append `raw` (`None`: NULL) as one `LOAD DATA` field of `column` in
/// dialect `d` (enclosed when the dialect encloses every field, or this
/// column's fields when it encloses optionally). The error says why the
/// dialect cannot express the value, never the value.
pub fn write_tsv_value(
    d: &TsvDialect,
    raw: Option<&[u8]>,
    column: &Column,
    out: &mut Vec<u8>,
) -> Result<(), &'static str> {
    let enclose = d.enclosure().is_some() && !(d.optionally_enclosed() && column.ty.is_numeric());
    encode_field(d, raw, enclose, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_values_by_type() {
        let mut out = Vec::new();
        let int = Column::new(
            "i",
            ColumnType::Integer {
                bytes: 4,
                unsigned: false,
            },
        );
        let blob = Column::new("b", ColumnType::Blob { max_bytes: 65535 });
        let text = Column::new("t", ColumnType::Text { max_bytes: 65535 });
        write_sql_value(Some(b"-12"), &int, &mut out);
        out.push(b',');
        write_sql_value(Some(b"\x00'"), &blob, &mut out);
        out.push(b',');
        write_sql_value(Some(b""), &blob, &mut out);
        out.push(b',');
        write_sql_value(Some(b"it's"), &text, &mut out);
        out.push(b',');
        write_sql_value(None, &text, &mut out);
        assert_eq!(out, b"-12,0x0027,'','it\\'s',NULL");
    }
}
