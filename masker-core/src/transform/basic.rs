//! The unkeyed transforms: `null`, `constant`, `partial` and `keep`.
//!
//! This module owns their column checks (NOT NULL, length, charset) and their
//! per-value work. None of them uses the key.

use super::fit::{self, TextFit};
use super::{Cell, MaskError, Transform};
use crate::schema::{Column, ColumnType};

/// `keep`: the value passes through. Plans use `None` instead of this.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeepTransform;

impl Transform for KeepTransform {
    fn apply(&self, input: Option<&[u8]>, out: &mut Vec<u8>) -> Result<Cell, MaskError> {
        match input {
            None => Ok(Cell::Null),
            Some(v) => {
                out.extend_from_slice(v);
                Ok(Cell::Value)
            }
        }
    }
    fn describe(&self) -> String {
        "keep".to_owned()
    }
    fn is_identity(&self) -> bool {
        true
    }
}

/// `null`: every value becomes SQL `NULL`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NullTransform;

impl NullTransform {
    /// Bind `null` to `column`: refused on a NOT NULL column.
    pub fn new(column: &Column) -> Result<NullTransform, String> {
        if column.not_null {
            return Err(
                "null on a NOT NULL column (the dump would not load); use constant or hash".into(),
            );
        }
        Ok(NullTransform)
    }
}

impl Transform for NullTransform {
    fn apply(&self, _input: Option<&[u8]>, _out: &mut Vec<u8>) -> Result<Cell, MaskError> {
        Ok(Cell::Null)
    }
    fn describe(&self) -> String {
        "null".to_owned()
    }
}

/// `constant`: every value, `NULL` included, becomes the same literal.
#[derive(Debug, Clone)]
pub struct ConstantTransform {
    value: Vec<u8>,
}

impl ConstantTransform {
    /// Bind `constant` to `column`, checking the literal fits: length for text,
    /// range for integers, membership for ENUM, a number for numeric columns.
    pub fn new(
        value: &str,
        column: &Column,
        table_charset: Option<&str>,
    ) -> Result<ConstantTransform, String> {
        let v = value.as_bytes();
        if let Some(fit) = TextFit::for_column(column, table_charset) {
            if fit.measure(v) > fit.max {
                return Err(format!(
                    "constant is longer than the column ({} {})",
                    fit.max,
                    unit_name(&fit)
                ));
            }
            if fit.ascii_only && !value.is_ascii() {
                return Err(
                    "constant is not ASCII but the column's charset cannot hold Unicode".into(),
                );
            }
        }
        match &column.ty {
            ColumnType::Integer { bytes, unsigned } => {
                let (min, max) = fit::int_range(*bytes, *unsigned);
                match value.parse::<i128>() {
                    Ok(n) if n >= min && n <= max => {}
                    _ => return Err(format!("constant is not an integer in {min}..={max}")),
                }
            }
            ColumnType::Decimal { .. } | ColumnType::Float if value.parse::<f64>().is_err() => {
                return Err("constant is not a number".into());
            }
            ColumnType::Enum { members } if !members.iter().any(|m| m == v) => {
                return Err("constant is not a member of the ENUM".into());
            }
            _ => {}
        }
        Ok(ConstantTransform { value: v.to_vec() })
    }
}

fn unit_name(fit: &TextFit) -> &'static str {
    match fit.unit {
        fit::Unit::Chars => "characters",
        fit::Unit::Bytes => "bytes",
    }
}

impl Transform for ConstantTransform {
    fn apply(&self, _input: Option<&[u8]>, out: &mut Vec<u8>) -> Result<Cell, MaskError> {
        out.extend_from_slice(&self.value);
        Ok(Cell::Value)
    }
    fn describe(&self) -> String {
        "constant".to_owned()
    }
}

/// `partial`: keep the first and last characters, replace the others by a mask character.
#[derive(Debug, Clone)]
pub struct PartialTransform {
    keep_first: usize,
    keep_last: usize,
    mask: Vec<u8>,
}

impl PartialTransform {
    /// Bind `partial` to `column`: only text and binary columns; the output has
    /// as many characters as the input, so it fits wherever the input did,
    /// except that a multi-byte mask character needs a column counted in characters.
    pub fn new(
        keep_first: usize,
        keep_last: usize,
        mask: char,
        column: &Column,
        table_charset: Option<&str>,
    ) -> Result<PartialTransform, String> {
        let Some(fit) = TextFit::for_column(column, table_charset) else {
            return Err("partial needs a text column (CHAR, VARCHAR, TEXT, BINARY, BLOB)".into());
        };
        if !mask.is_ascii() && (fit.unit == fit::Unit::Bytes || fit.ascii_only) {
            return Err(
                "a non-ASCII mask_char needs a Unicode column counted in characters".into(),
            );
        }
        let mut buf = [0u8; 4];
        Ok(PartialTransform {
            keep_first,
            keep_last,
            mask: mask.encode_utf8(&mut buf).as_bytes().to_vec(),
        })
    }
}

impl Transform for PartialTransform {
    fn apply(&self, input: Option<&[u8]>, out: &mut Vec<u8>) -> Result<Cell, MaskError> {
        let Some(v) = input else {
            return Ok(Cell::Null);
        };
        let n = fit::char_count(v);
        if self.keep_first + self.keep_last >= n {
            // Too short to hide anything while keeping both ends: mask all but the first `keep_first`
            // characters that leave at least one masked, so no short value passes through whole.
            let keep = self.keep_first.min(n.saturating_sub(1));
            let cut = fit::nth_char_start(v, keep).unwrap_or(v.len());
            out.extend_from_slice(&v[..cut]);
            for _ in keep..n {
                out.extend_from_slice(&self.mask);
            }
            return Ok(Cell::Value);
        }
        let a = fit::nth_char_start(v, self.keep_first).unwrap_or(v.len());
        let b = fit::nth_char_start(v, n - self.keep_last).unwrap_or(v.len());
        out.extend_from_slice(&v[..a]);
        for _ in self.keep_first..n - self.keep_last {
            out.extend_from_slice(&self.mask);
        }
        out.extend_from_slice(&v[b..]);
        Ok(Cell::Value)
    }
    fn describe(&self) -> String {
        format!(
            "partial keep_first={} keep_last={}",
            self.keep_first, self.keep_last
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(ty: ColumnType, not_null: bool) -> Column {
        Column {
            name: "c".into(),
            ty,
            not_null,
            generated: false,
            charset: None,
            collation: None,
        }
    }

    fn run(t: &dyn Transform, v: Option<&[u8]>) -> (Cell, Vec<u8>) {
        let mut out = Vec::new();
        let c = t.apply(v, &mut out).unwrap();
        (c, out)
    }

    #[test]
    fn null_and_constant() {
        let vc = ColumnType::Char {
            max_chars: 5,
            fixed: false,
        };
        assert!(NullTransform::new(&col(vc.clone(), true)).is_err());
        let t = NullTransform::new(&col(vc.clone(), false)).unwrap();
        assert_eq!(run(&t, Some(b"x")).0, Cell::Null);
        let t = ConstantTransform::new("ab", &col(vc.clone(), true), None).unwrap();
        assert_eq!(run(&t, None), (Cell::Value, b"ab".to_vec()));
        assert!(ConstantTransform::new("abcdef", &col(vc, true), None).is_err());
        let int = ColumnType::Integer {
            bytes: 1,
            unsigned: true,
        };
        assert!(ConstantTransform::new("256", &col(int.clone(), true), None).is_err());
        assert!(ConstantTransform::new("255", &col(int, true), None).is_ok());
    }

    #[test]
    fn partial_masks_middle_in_chars() {
        let vc = col(
            ColumnType::Char {
                max_chars: 20,
                fixed: false,
            },
            false,
        );
        let t = PartialTransform::new(2, 2, '*', &vc, None).unwrap();
        assert_eq!(run(&t, Some("090-1234".as_bytes())).1, b"09****34");
        assert_eq!(
            run(&t, Some("山田太郎さん".as_bytes())).1,
            "山田**さん".as_bytes()
        );
        assert_eq!(run(&t, Some(b"abc")).1, b"ab*");
        assert_eq!(run(&t, None).0, Cell::Null);
        let t = PartialTransform::new(0, 0, '●', &vc, None).unwrap();
        assert_eq!(run(&t, Some(b"ab")).1, "●●".as_bytes());
        let text = col(ColumnType::Text { max_bytes: 255 }, false);
        assert!(PartialTransform::new(0, 0, '●', &text, None).is_err());
        assert!(PartialTransform::new(0, 0, '*', &col(ColumnType::Date, false), None).is_err());
    }
}
