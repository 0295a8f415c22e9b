//! `hash`: the keyed PRF of the value (BLAKE3 or HMAC-SHA256, see
//! [`super::Prf`]), shaped to the column.
//!
//! The same input gives the same output in every table and column of the same
//! shape, so joins still line up; `salt` makes a column independent. Shapes:
//! strings get lowercase hex (up to 64 digits, cut to the column's length);
//! `format = "email"` gives `<hex>@example.com` (the RFC 2606 domain, so a
//! masked address can never reach a real mailbox); integers get a value in the
//! type's range; DECIMAL gets digits fitting precision/scale; binary columns get
//! raw digest bytes; ENUM/SET get a member chosen by the digest; dates get a
//! valid date; JSON gets a JSON string of hex. BIT and unknown types are refused.
//!
//! On a column whose collation ignores case or trailing spaces, the value is
//! folded first ([`super::Folding`]), so values the database treats as equal
//! keep one pseudonym and joins still match.

use super::collation::Folding;
use super::fit::{self, DateShape, TextFit};
use super::key::{Key, KeyedHash};
use super::{Cell, MaskError, Transform};
use crate::schema::{Column, ColumnType};

/// The domain of `format = "email"` outputs.
pub const EMAIL_DOMAIN: &str = "example.com";

/// Fewest hex digits an email's local part may be cut to.
const MIN_EMAIL_LOCAL: usize = 8;

/// Output format requested by the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashFormat {
    /// Shaped by the column type alone.
    Auto,
    /// `<hex>@example.com`.
    Email,
}

#[derive(Debug, Clone)]
enum Shape {
    Hex { len: usize },
    Email { local: usize },
    Json,
    Raw { len: usize },
    Int { min: i128, max: i128 },
    Decimal { int_digits: u32, scale: u32 },
    Float,
    Member { members: Vec<Vec<u8>> },
    Date(DateShape),
}

/// The `hash` transform bound to one column.
#[derive(Debug, Clone)]
pub struct HashTransform {
    state: KeyedHash,
    shape: Shape,
    salted: bool,
    folding: Folding,
}

impl HashTransform {
    /// Bind `hash` to `column`. Errors (without the column name; the caller adds
    /// it) when the column cannot hold a hash of the requested format.
    pub fn new(
        key: &Key,
        format: HashFormat,
        salt: Option<&str>,
        column: &Column,
        table_charset: Option<&str>,
    ) -> Result<HashTransform, String> {
        let state = match salt {
            Some(s) => key.derive(&[b"hash", s.as_bytes()]),
            None => key.derive(&[b"hash"]),
        };
        let shape = if format == HashFormat::Email {
            let Some(limit) = TextFit::for_column(column, table_charset) else {
                return Err("format = \"email\" needs a text column".to_owned());
            };
            let room = limit.max.saturating_sub(1 + EMAIL_DOMAIN.len());
            if room < MIN_EMAIL_LOCAL {
                return Err(format!(
                    "column too short for a hashed email (needs at least {} characters)",
                    MIN_EMAIL_LOCAL + 1 + EMAIL_DOMAIN.len()
                ));
            }
            Shape::Email {
                local: room.min(64),
            }
        } else {
            match &column.ty {
                ColumnType::Char { .. } | ColumnType::Text { .. } => {
                    let limit = TextFit::for_column(column, table_charset).expect("text column");
                    if limit.max == 0 {
                        return Err("column has length 0".to_owned());
                    }
                    Shape::Hex {
                        len: limit.max.min(64),
                    }
                }
                ColumnType::Binary { max_bytes, .. } => {
                    if *max_bytes == 0 {
                        return Err("column has length 0".to_owned());
                    }
                    Shape::Raw {
                        len: (*max_bytes as usize).min(32),
                    }
                }
                ColumnType::Blob { max_bytes } => Shape::Raw {
                    len: (*max_bytes).min(32) as usize,
                },
                ColumnType::Json => Shape::Json,
                ColumnType::Integer { bytes, unsigned } => {
                    let (min, max) = fit::int_range(*bytes, *unsigned);
                    Shape::Int { min, max }
                }
                ColumnType::Decimal { precision, scale } => {
                    if *precision == 0 {
                        return Err("DECIMAL with precision 0".to_owned());
                    }
                    Shape::Decimal {
                        int_digits: precision.saturating_sub(*scale),
                        scale: *scale,
                    }
                }
                ColumnType::Float => Shape::Float,
                ColumnType::Enum { members } | ColumnType::Set { members } => {
                    if members.is_empty() {
                        return Err("ENUM/SET without members".to_owned());
                    }
                    Shape::Member {
                        members: members.clone(),
                    }
                }
                ColumnType::Bit { .. } => return Err("hash cannot mask a BIT column".to_owned()),
                ColumnType::Other { name } => {
                    return Err(format!("hash cannot mask a column of type {name}"))
                }
                ty => Shape::Date(DateShape::for_type(ty).expect("temporal type")),
            }
        };
        Ok(HashTransform {
            state,
            shape,
            salted: salt.is_some(),
            folding: Folding::exact(),
        })
    }

    /// Hash the value folded as the column's collation says, so values equal
    /// under it get the same output. A value already in folded form (lower
    /// case, no trailing space) hashes as without folding.
    pub fn with_folding(mut self, folding: Folding) -> HashTransform {
        self.folding = folding;
        self
    }
}

impl Transform for HashTransform {
    fn apply(&self, input: Option<&[u8]>, out: &mut Vec<u8>) -> Result<Cell, MaskError> {
        let Some(v) = input else {
            return Ok(Cell::Null);
        };
        let d = self.state.mac_folded(&self.folding, v);
        let word = u64::from_le_bytes(d[0..8].try_into().expect("8 bytes"));
        match &self.shape {
            Shape::Hex { len } => fit::write_hex(out, &d, *len),
            Shape::Email { local } => {
                fit::write_hex(out, &d, *local);
                out.push(b'@');
                out.extend_from_slice(EMAIL_DOMAIN.as_bytes());
            }
            Shape::Json => {
                out.push(b'"');
                fit::write_hex(out, &d, 64);
                out.push(b'"');
            }
            Shape::Raw { len } => out.extend_from_slice(&d[..*len]),
            Shape::Int { min, max } => {
                let span = (max - min + 1) as u128;
                let r = u128::from_le_bytes(d[0..16].try_into().expect("16 bytes"));
                fit::write_int(out, min + (r % span) as i128);
            }
            Shape::Decimal { int_digits, scale } => {
                // One digit per digest byte; more digits than 32 reuse the digest
                // shifted (precision is at most 65).
                let digit =
                    |i: u32| b'0' + d[(i as usize) % 32].wrapping_add((i / 32) as u8 * 7) % 10;
                let mut started = false;
                for i in 0..*int_digits {
                    let c = digit(i);
                    if started || c != b'0' {
                        started = true;
                        out.push(c);
                    }
                }
                if !started {
                    out.push(b'0');
                }
                if *scale > 0 {
                    out.push(b'.');
                    for i in 0..*scale {
                        out.push(digit(int_digits + i));
                    }
                }
            }
            Shape::Float => fit::write_uint(out, (word % 1_000_000) as u128),
            Shape::Member { members } => {
                out.extend_from_slice(&members[(word % members.len() as u64) as usize])
            }
            Shape::Date(shape) => shape.write(word, out),
        }
        Ok(Cell::Value)
    }

    fn describe(&self) -> String {
        let mut s = String::from("hash");
        match &self.shape {
            Shape::Email { .. } => s.push_str(" format=email"),
            Shape::Hex { len } => s.push_str(&format!(" hex({len})")),
            _ => {}
        }
        if self.salted {
            s.push_str(" salted");
        }
        s.push_str(&self.folding.describe());
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transform::Folding;

    pub(crate) fn col(ty: ColumnType) -> Column {
        Column::new("c", ty)
    }

    fn run(t: &HashTransform, v: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        assert_eq!(t.apply(Some(v), &mut out).unwrap(), Cell::Value);
        out
    }

    fn vchar(n: u32) -> Column {
        col(ColumnType::Char {
            max_chars: n,
            fixed: false,
        })
    }

    #[test]
    fn deterministic_and_key_sensitive() {
        let k1 = Key::new(b"k1").unwrap();
        let k2 = Key::new(b"k2").unwrap();
        let a = HashTransform::new(&k1, HashFormat::Auto, None, &vchar(64), None).unwrap();
        let a2 = HashTransform::new(&k1, HashFormat::Auto, None, &vchar(64), None).unwrap();
        let b = HashTransform::new(&k2, HashFormat::Auto, None, &vchar(64), None).unwrap();
        assert_eq!(run(&a, b"alice"), run(&a2, b"alice"));
        assert_ne!(run(&a, b"alice"), run(&b, b"alice"));
        assert_ne!(run(&a, b"alice"), run(&a, b"bob"));
        assert_eq!(run(&a, b"alice").len(), 64);
        let mut out = Vec::new();
        assert_eq!(a.apply(None, &mut out).unwrap(), Cell::Null);
    }

    #[test]
    fn same_output_across_columns_unless_salted() {
        let k = Key::new(b"k").unwrap();
        let a = HashTransform::new(&k, HashFormat::Email, None, &vchar(100), None).unwrap();
        let b = HashTransform::new(&k, HashFormat::Email, None, &vchar(255), None).unwrap();
        let c = HashTransform::new(&k, HashFormat::Email, Some("x"), &vchar(255), None).unwrap();
        let e = b"someone@example.org";
        assert_eq!(run(&a, e), run(&b, e));
        assert_ne!(run(&a, e), run(&c, e));
        let out = String::from_utf8(run(&a, e)).unwrap();
        assert!(out.ends_with("@example.com"), "{out}");
    }

    #[test]
    fn fits_columns() {
        let k = Key::new(b"k").unwrap();
        let t = HashTransform::new(&k, HashFormat::Auto, None, &vchar(5), None).unwrap();
        assert_eq!(run(&t, b"anything").len(), 5);
        let t = HashTransform::new(&k, HashFormat::Email, None, &vchar(25), None).unwrap();
        assert_eq!(run(&t, b"a@b.c").len(), 25);
        assert!(HashTransform::new(&k, HashFormat::Email, None, &vchar(3), None).is_err());
        assert!(
            HashTransform::new(&k, HashFormat::Email, None, &col(ColumnType::Date), None).is_err()
        );
        for bytes in [1u8, 2, 3, 4, 8] {
            for unsigned in [false, true] {
                let t = HashTransform::new(
                    &k,
                    HashFormat::Auto,
                    None,
                    &col(ColumnType::Integer { bytes, unsigned }),
                    None,
                )
                .unwrap();
                let (min, max) = fit::int_range(bytes, unsigned);
                for v in 0..200u32 {
                    let o = run(&t, &v.to_le_bytes());
                    let n: i128 = std::str::from_utf8(&o).unwrap().parse().unwrap();
                    assert!(n >= min && n <= max);
                }
            }
        }
        let t = HashTransform::new(
            &k,
            HashFormat::Auto,
            None,
            &col(ColumnType::Decimal {
                precision: 5,
                scale: 2,
            }),
            None,
        )
        .unwrap();
        for v in 0..100u32 {
            let o = String::from_utf8(run(&t, &v.to_le_bytes())).unwrap();
            let (i, f) = o.split_once('.').unwrap();
            assert!(i.len() <= 3 && f.len() == 2, "{o}");
        }
        let t = HashTransform::new(
            &k,
            HashFormat::Auto,
            None,
            &col(ColumnType::Binary {
                max_bytes: 16,
                fixed: true,
            }),
            None,
        )
        .unwrap();
        assert_eq!(run(&t, b"x").len(), 16);
        let members = vec![b"a".to_vec(), b"b".to_vec()];
        let t = HashTransform::new(
            &k,
            HashFormat::Auto,
            None,
            &col(ColumnType::Enum {
                members: members.clone(),
            }),
            None,
        )
        .unwrap();
        assert!(members.contains(&run(&t, b"zz")));
        assert!(HashTransform::new(
            &k,
            HashFormat::Auto,
            None,
            &col(ColumnType::Bit { bits: 1 }),
            None
        )
        .is_err());
    }

    #[test]
    fn folded_as_the_collation_says() {
        let k = Key::new(b"k").unwrap();
        let exact = HashTransform::new(&k, HashFormat::Email, None, &vchar(100), None).unwrap();
        let ci = exact
            .clone()
            .with_folding(Folding::for_collation("utf8mb4_general_ci"));
        assert_eq!(run(&ci, b"User@Gmail.com  "), run(&ci, b"user@gmail.com"));
        // A value already folded hashes as without folding: pseudonyms of
        // lower-case data do not change.
        assert_eq!(run(&ci, b"user@gmail.com"), run(&exact, b"user@gmail.com"));
        assert_ne!(
            run(&exact, b"User@Gmail.com"),
            run(&exact, b"user@gmail.com")
        );
        assert_eq!(
            ci.describe(),
            "hash format=email (folded: case-insensitive, pad space per utf8mb4_general_ci; accents not folded)"
        );
        let nopad = exact
            .clone()
            .with_folding(Folding::for_collation("utf8mb4_0900_ai_ci"));
        assert_eq!(run(&nopad, b"A@B.C"), run(&nopad, b"a@b.c"));
        assert_ne!(run(&nopad, b"a@b.c "), run(&nopad, b"a@b.c"));
    }

    mod prop {
        use super::*;
        use crate::transform::collation::testing::ci_pair;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(200))]

            #[test]
            fn equal_under_collation_in_equal_out((s, t) in ci_pair()) {
                let k = Key::new(b"k").unwrap();
                let h = HashTransform::new(&k, HashFormat::Auto, None, &vchar(64), None)
                    .unwrap()
                    .with_folding(Folding::for_collation("latin1_swedish_ci"));
                let a = run(&h, s.as_bytes());
                prop_assert_eq!(&a, &run(&h, t.as_bytes()));
                prop_assert_eq!(&a, &run(&h, s.as_bytes()), "deterministic");
            }
        }
    }
}
