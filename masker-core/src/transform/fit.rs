//! Fitting masked values to a column: length limits, character sets, number
//! ranges and date formats.
//!
//! This module owns the rules about what a column can hold; transforms ask it
//! at bind time (to refuse a column they cannot fit) and in the hot loop (to
//! truncate at a character boundary, write numbers and dates without `format!`).
//! It knows nothing about rules files or dumps.

use crate::schema::{Column, ColumnType};

/// How a length limit is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// Characters (UTF-8 in the dump).
    Chars,
    /// Bytes.
    Bytes,
}

/// The limit of a text-like column, as far as masked output is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TextFit {
    /// Maximum length in `unit`s.
    pub max: usize,
    /// How `max` is counted.
    pub unit: Unit,
    /// The column's charset cannot hold arbitrary Unicode (latin1, ascii, ...):
    /// only ASCII output is safe.
    pub ascii_only: bool,
}

/// True for charsets that can hold Japanese text (and so any output of ours
/// that is not plain ASCII). Unknown (`None`) means the server default, utf8mb4.
pub(crate) fn charset_holds_japanese(charset: Option<&str>) -> bool {
    match charset {
        None => true,
        Some(cs) => {
            let cs = cs.to_ascii_lowercase();
            cs.starts_with("utf8")
                || cs.starts_with("utf16")
                || cs.starts_with("utf32")
                || cs == "ucs2"
                || matches!(cs.as_str(), "cp932" | "sjis" | "ujis" | "eucjpms")
        }
    }
}

impl TextFit {
    /// The text limit of `col`, when it is a column that holds text or bytes
    /// (CHAR/VARCHAR, TEXT, BINARY/VARBINARY, BLOB). `None` for other types.
    pub(crate) fn for_column(col: &Column, table_charset: Option<&str>) -> Option<TextFit> {
        let charset = col.charset.as_deref().or(table_charset);
        let ascii_only = !charset_holds_japanese(charset);
        let clamp = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        Some(match &col.ty {
            ColumnType::Char { max_chars, .. } => TextFit {
                max: *max_chars as usize,
                unit: Unit::Chars,
                ascii_only,
            },
            ColumnType::Text { max_bytes } => TextFit {
                // Counted in UTF-8 bytes: never more than the column charset's bytes
                // for anything we write (cp932 needs at most as many).
                max: clamp(*max_bytes),
                unit: Unit::Bytes,
                ascii_only,
            },
            ColumnType::Binary { max_bytes, .. } => TextFit {
                max: *max_bytes as usize,
                unit: Unit::Bytes,
                ascii_only: false,
            },
            ColumnType::Blob { max_bytes } => TextFit {
                max: clamp(*max_bytes),
                unit: Unit::Bytes,
                ascii_only: false,
            },
            _ => return None,
        })
    }

    /// Length of `s` in this limit's unit.
    pub(crate) fn measure(&self, s: &[u8]) -> usize {
        match self.unit {
            Unit::Bytes => s.len(),
            Unit::Chars => char_count(s),
        }
    }

    /// The name of this limit's unit, for messages.
    pub(crate) fn unit_name(&self) -> &'static str {
        match self.unit {
            Unit::Chars => "characters",
            Unit::Bytes => "bytes",
        }
    }

    /// An error when `out[start..]` does not fit (for transforms whose
    /// output length depends on the value: lists, replacements, documents).
    pub(crate) fn check(&self, out: &[u8], start: usize) -> Result<(), super::MaskError> {
        let n = self.measure(&out[start..]);
        if n > self.max {
            return Err(super::MaskError(format!(
                "the masked value does not fit the column ({n} > {} {})",
                self.max,
                self.unit_name()
            )));
        }
        Ok(())
    }

    /// Truncate `out[start..]` so it fits, cutting at a character boundary.
    pub(crate) fn truncate(&self, out: &mut Vec<u8>, start: usize) {
        let end = match self.unit {
            Unit::Bytes => {
                if out.len() - start <= self.max {
                    return;
                }
                let mut end = start + self.max;
                while end > start && is_continuation(out[end]) {
                    end -= 1;
                }
                end
            }
            Unit::Chars => match nth_char_start(&out[start..], self.max) {
                Some(i) => start + i,
                None => return,
            },
        };
        out.truncate(end);
    }
}

#[inline]
fn is_continuation(b: u8) -> bool {
    (b & 0xC0) == 0x80
}

/// Number of characters of (possibly invalid) UTF-8: every byte that is not a
/// continuation byte starts one.
#[inline]
pub(crate) fn char_count(s: &[u8]) -> usize {
    s.iter().filter(|&&b| !is_continuation(b)).count()
}

/// Byte offset where character number `n` (0-based) starts, if `s` has more
/// than `n` characters.
pub(crate) fn nth_char_start(s: &[u8], n: usize) -> Option<usize> {
    let mut seen = 0usize;
    for (i, &b) in s.iter().enumerate() {
        if !is_continuation(b) {
            if seen == n {
                return Some(i);
            }
            seen += 1;
        }
    }
    None
}

/// The value range of an integer column: (min, max).
pub(crate) fn int_range(bytes: u8, unsigned: bool) -> (i128, i128) {
    let bits = 8 * bytes.clamp(1, 8) as u32;
    if unsigned {
        (0, (1i128 << bits) - 1)
    } else {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    }
}

/// Append the decimal digits of `v`.
pub(crate) fn write_int(out: &mut Vec<u8>, v: i128) {
    if v < 0 {
        out.push(b'-');
    }
    write_uint(out, v.unsigned_abs());
}

/// Append the decimal digits of `v`.
pub(crate) fn write_uint(out: &mut Vec<u8>, mut v: u128) {
    let mut buf = [0u8; 40];
    let mut i = buf.len();
    // 128-bit division (a library call) only while `v` is wider than 64
    // bits; the rest, all of most numbers, divides in 64 bits.
    while v > u64::MAX as u128 {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    let mut low = v as u64;
    loop {
        i -= 1;
        buf[i] = b'0' + (low % 10) as u8;
        low /= 10;
        if low == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Append `v` as exactly `width` digits (zero-padded).
pub(crate) fn write_padded(out: &mut Vec<u8>, v: u32, width: usize) {
    let mut buf = [b'0'; 10];
    let mut v = v;
    for slot in buf[..width].iter_mut().rev() {
        *slot = b'0' + (v % 10) as u8;
        v /= 10;
    }
    out.extend_from_slice(&buf[..width]);
}

/// Lowercase hex digits.
pub(crate) const HEX: &[u8; 16] = b"0123456789abcdef";

/// Append the first `n` hex digits of `bytes` (at most `2 * bytes.len()`),
/// sixteen bytes at a time ([`hex16`]); only the bytes whose digits are
/// kept are converted. Every block appends its 32 digits whole (a copy of
/// a fixed size, done in registers) and the surplus is cut once at the
/// end: a copy of a variable length per block was a `memcpy` call per hash.
pub(crate) fn write_hex(out: &mut Vec<u8>, bytes: &[u8], n: usize) {
    let n = n.min(bytes.len() * 2);
    let end = out.len() + n;
    let used = &bytes[..n.div_ceil(2)];
    out.reserve(used.len().div_ceil(16) * 32);
    let mut blocks = used.chunks_exact(16);
    for block in blocks.by_ref() {
        out.extend_from_slice(&hex16(block.try_into().expect("16 bytes")));
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        let mut last = [0u8; 16];
        for (l, &b) in last.iter_mut().zip(rest) {
            *l = b;
        }
        out.extend_from_slice(&hex16(&last));
    }
    out.truncate(end);
}

/// The 32 lowercase hex digits of 16 bytes: SSE2 on x86 (part of the
/// x86_64 baseline; `safe_arch`'s safe wrappers), a table elsewhere.
#[inline]
fn hex16(bytes: &[u8; 16]) -> [u8; 32] {
    #[cfg(all(
        any(target_arch = "x86_64", target_arch = "x86"),
        target_feature = "sse2"
    ))]
    {
        use safe_arch::{
            add_i8_m128i, bitand_m128i, cmp_gt_mask_i8_m128i, load_unaligned_m128i, m128i,
            set_splat_i8_m128i, shr_imm_u16_m128i, store_unaligned_m128i, unpack_high_i8_m128i,
            unpack_low_i8_m128i,
        };
        let splat = |b: u8| set_splat_i8_m128i(b as i8);
        let v = load_unaligned_m128i(bytes);
        let hi = bitand_m128i(shr_imm_u16_m128i::<4>(v), splat(0x0f));
        let lo = bitand_m128i(v, splat(0x0f));
        // A nibble x is b'0' + x, plus 39 more (to b'a') above 9.
        let digit = |x: m128i| {
            let letters = bitand_m128i(cmp_gt_mask_i8_m128i(x, splat(9)), splat(39));
            add_i8_m128i(add_i8_m128i(x, splat(b'0')), letters)
        };
        let mut out = [0u8; 32];
        let (first, second) = out.split_at_mut(16);
        store_unaligned_m128i(
            first.try_into().expect("16 bytes"),
            digit(unpack_low_i8_m128i(hi, lo)),
        );
        store_unaligned_m128i(
            second.try_into().expect("16 bytes"),
            digit(unpack_high_i8_m128i(hi, lo)),
        );
        out
    }
    #[cfg(not(all(
        any(target_arch = "x86_64", target_arch = "x86"),
        target_feature = "sse2"
    )))]
    {
        hex16_portable(bytes)
    }
}

/// [`hex16`] without SIMD.
#[cfg_attr(
    all(
        any(target_arch = "x86_64", target_arch = "x86"),
        target_feature = "sse2"
    ),
    allow(dead_code)
)]
fn hex16_portable(bytes: &[u8; 16]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
        pair[0] = HEX[(b >> 4) as usize];
        pair[1] = HEX[(b & 0x0f) as usize];
    }
    out
}

/// What kind of temporal value a column takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateShape {
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM-DD HH:MM:SS` for DATETIME.
    DateTime,
    /// `YYYY-MM-DD HH:MM:SS` within the TIMESTAMP range (1970..2038, UTC).
    Timestamp,
    /// `HH:MM:SS`.
    Time,
    /// `YYYY`.
    Year,
}

impl DateShape {
    /// The shape for a temporal column type; `None` for other types.
    pub(crate) fn for_type(ty: &ColumnType) -> Option<DateShape> {
        Some(match ty {
            ColumnType::Date => DateShape::Date,
            ColumnType::DateTime => DateShape::DateTime,
            ColumnType::Timestamp => DateShape::Timestamp,
            ColumnType::Time => DateShape::Time,
            ColumnType::Year => DateShape::Year,
            _ => return None,
        })
    }

    /// Write a value of this shape chosen by `r` (uniform-ish random bits).
    /// Dates fall in 1950..2009 (1971..2036 for TIMESTAMP and YEAR), always valid.
    pub(crate) fn write(self, r: u64, out: &mut Vec<u8>) {
        let (first_year, years) = match self {
            DateShape::Timestamp | DateShape::Year => (1971, 66),
            _ => (1950, 60),
        };
        let days_span =
            days_from_civil(first_year + years, 1, 1) - days_from_civil(first_year, 1, 1);
        let day = days_from_civil(first_year, 1, 1) + (r % days_span as u64) as i64;
        let secs = ((r >> 32) % 86_400) as u32;
        let (y, m, d) = civil_from_days(day);
        match self {
            DateShape::Year => write_padded(out, y as u32, 4),
            DateShape::Time => write_time(out, secs),
            DateShape::Date => write_date(out, y, m, d),
            DateShape::DateTime | DateShape::Timestamp => {
                write_date(out, y, m, d);
                out.push(b' ');
                write_time(out, secs);
            }
        }
    }
}

pub(crate) fn write_date(out: &mut Vec<u8>, y: i64, m: u32, d: u32) {
    write_padded(out, y as u32, 4);
    out.push(b'-');
    write_padded(out, m, 2);
    out.push(b'-');
    write_padded(out, d, 2);
}

fn write_time(out: &mut Vec<u8>, secs: u32) {
    write_padded(out, secs / 3600, 2);
    out.push(b':');
    write_padded(out, secs / 60 % 60, 2);
    out.push(b':');
    write_padded(out, secs % 60, 2);
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_uint_is_display() {
        let mut values = vec![0u128, 1, 9, 10, 99, 100, u64::MAX as u128, u128::MAX];
        for p in 0..39 {
            let t = 10u128.pow(p);
            values.extend([t - 1, t, t + 1]);
        }
        values.extend([
            u64::MAX as u128 + 1,
            (u64::MAX as u128) * 10,
            (u64::MAX as u128) * 10 + 9,
        ]);
        for v in values {
            let mut out = b"x".to_vec();
            write_uint(&mut out, v);
            assert_eq!(out, format!("x{v}").into_bytes());
        }
    }

    #[test]
    fn write_hex_agrees_with_format() {
        let bytes: Vec<u8> = (0..=255u8).map(|i| i.wrapping_mul(37) ^ 0xa5).collect();
        for len in [0, 1, 15, 16, 17, 31, 32, 33, 70, 256] {
            let naive: String = bytes[..len].iter().map(|b| format!("{b:02x}")).collect();
            for n in [
                0, 1, 5, 31, 32, 33, 63, 64, 65, 139, 140, 200, 511, 512, 600,
            ] {
                let mut out = b"x".to_vec();
                write_hex(&mut out, &bytes[..len], n);
                let want = &naive[..n.min(naive.len())];
                assert_eq!(&out[1..], want.as_bytes(), "len {len} n {n}");
            }
        }
    }

    #[test]
    fn both_hex_encoders_agree_on_every_byte() {
        for start in (0..=255u8).step_by(16) {
            let block: [u8; 16] = std::array::from_fn(|i| start + i as u8);
            assert_eq!(hex16(&block), hex16_portable(&block));
        }
    }

    #[test]
    fn civil_round_trip() {
        for z in -30_000..30_000 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }

    #[test]
    fn truncate_at_char_boundary() {
        let f = TextFit {
            max: 3,
            unit: Unit::Chars,
            ascii_only: false,
        };
        let mut v = "xあいうえ".as_bytes().to_vec();
        f.truncate(&mut v, 1);
        assert_eq!(v, "xあいう".as_bytes());
        let f = TextFit {
            max: 4,
            unit: Unit::Bytes,
            ascii_only: false,
        };
        let mut v = "あいう".as_bytes().to_vec();
        f.truncate(&mut v, 0);
        assert_eq!(v, "あ".as_bytes());
    }

    #[test]
    fn dates_are_valid() {
        for r in [0u64, 1, u64::MAX, 0x1234_5678_9abc_def0] {
            for s in [
                DateShape::Date,
                DateShape::DateTime,
                DateShape::Timestamp,
                DateShape::Time,
                DateShape::Year,
            ] {
                let mut out = Vec::new();
                s.write(r, &mut out);
                let t = String::from_utf8(out).unwrap();
                let want = match s {
                    DateShape::Date => 10,
                    DateShape::DateTime | DateShape::Timestamp => 19,
                    DateShape::Time => 8,
                    DateShape::Year => 4,
                };
                assert_eq!(t.len(), want, "{t}");
            }
        }
    }
}
