//! The order-independent digest of a table's rows: each row's values are
//! encoded canonically (per value: `0xFF` for NULL, else `0x00`, the length
//! as 8 little-endian bytes, and the bytes; so NULL differs from `''` and
//! value boundaries cannot shift), hashed with XXH3-128, and the hashes are
//! summed modulo 2^128. The same rows in any order, cut into any chunks, give
//! the same digest. This module owns only that arithmetic; it is not a
//! cryptographic commitment (it detects accidents, not forgeries: the
//! files' SHA-256 covers those).

use twox_hash::XxHash3_128;

/// A running digest: row count and the wrapping sum of row hashes.
#[derive(Debug, Clone, Default)]
pub struct RowDigest {
    rows: u64,
    sum: u128,
    buf: Vec<u8>,
}

impl RowDigest {
    /// An empty digest (no rows).
    pub fn new() -> Self {
        Self::default()
    }

    /// Add one row (`None`: NULL).
    pub fn add_row<'a>(&mut self, values: impl IntoIterator<Item = Option<&'a [u8]>>) {
        self.buf.clear();
        for v in values {
            match v {
                None => self.buf.push(0xFF),
                Some(b) => {
                    self.buf.push(0);
                    self.buf.extend_from_slice(&(b.len() as u64).to_le_bytes());
                    self.buf.extend_from_slice(b);
                }
            }
        }
        self.sum = self.sum.wrapping_add(XxHash3_128::oneshot(&self.buf));
        self.rows += 1;
    }

    /// Add another digest's rows.
    pub fn merge(&mut self, other: &RowDigest) {
        self.rows += other.rows;
        self.sum = self.sum.wrapping_add(other.sum);
    }

    /// Rows added.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The digest as 32 lower-case hex digits (as the manifest stores it).
    pub fn hex(&self) -> String {
        format!("{:032x}", self.sum)
    }

    /// Parse [`RowDigest::hex`] back into a sum with `rows` rows.
    pub fn from_hex(hex: &str, rows: u64) -> Option<Self> {
        Some(RowDigest {
            rows,
            sum: u128::from_str_radix(hex, 16).ok()?,
            buf: Vec::new(),
        })
    }
}

impl PartialEq for RowDigest {
    fn eq(&self, other: &Self) -> bool {
        self.rows == other.rows && self.sum == other.sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(rows: &[Vec<Option<&[u8]>>]) -> RowDigest {
        let mut d = RowDigest::new();
        for r in rows {
            d.add_row(r.iter().copied());
        }
        d
    }

    #[test]
    fn order_and_chunking_do_not_matter() {
        let a: Vec<Option<&[u8]>> = vec![Some(b"1"), None];
        let b: Vec<Option<&[u8]>> = vec![Some(b"2"), Some(b"x")];
        let whole = digest(&[a.clone(), b.clone()]);
        assert_eq!(whole, digest(&[b.clone(), a.clone()]));
        let mut merged = digest(&[a]);
        merged.merge(&digest(&[b]));
        assert_eq!(merged, whole);
        assert_eq!(RowDigest::from_hex(&whole.hex(), 2).unwrap(), whole);
    }

    #[test]
    fn null_differs_from_empty_and_boundaries_cannot_shift() {
        assert_ne!(digest(&[vec![None]]), digest(&[vec![Some(b"")]]));
        assert_ne!(
            digest(&[vec![Some(b"ab"), Some(b"c")]]),
            digest(&[vec![Some(b"a"), Some(b"bc")]])
        );
    }
}
