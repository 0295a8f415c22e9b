//! SQL literals: decoding a dump's literal to raw bytes, and encoding raw bytes
//! back as a literal in the same style (quoted with mysqldump's escapes, hex,
//! bit, bare number).
//!
//! Decoding follows MySQL's string-literal rules: `\0 \' \" \b \n \r \t \Z \\`
//! map to their bytes, `\%` and `\_` keep the backslash (they are LIKE
//! escapes), any other `\x` is `x`, and a doubled quote is one quote. Encoding
//! writes what `mysqldump` writes (`mysql_real_escape_string`): NUL, `\n`,
//! `\r`, `\`, `'`, `"` and 0x1A escaped, every other byte as is.

use super::values::{Value, ValueKind};

/// Append the raw bytes of a quoted literal's `body` (between the quotes) to `out`.
pub fn unescape_into(body: &[u8], quote: u8, out: &mut Vec<u8>) {
    let mut i = 0;
    while i < body.len() {
        let rest = &body[i..];
        let k = memchr::memchr2(b'\\', quote, rest).unwrap_or(rest.len());
        out.extend_from_slice(&rest[..k]);
        i += k;
        if i >= body.len() {
            break;
        }
        if body[i] == quote {
            // A doubled quote is one quote (a lone one, which tokenizers do
            // not produce, is kept as it is).
            out.push(quote);
            i += if body.get(i + 1) == Some(&quote) {
                2
            } else {
                1
            };
            continue;
        }
        let Some(&e) = body.get(i + 1) else {
            out.push(b'\\');
            break;
        };
        match e {
            b'0' => out.push(0),
            b'b' => out.push(8),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'Z' => out.push(0x1A),
            b'%' | b'_' => out.extend_from_slice(&[b'\\', e]),
            other => out.push(other),
        }
        i += 2;
    }
}

/// Append `raw` as a single-quoted literal with mysqldump's escapes.
///
/// Masked values rarely need an escape, so sixteen bytes are tested at once
/// ([`needs_escape16`]) and clean runs copied whole; only the flagged
/// bytes of a block are looked at.
pub fn escape_into(raw: &[u8], out: &mut Vec<u8>) {
    out.reserve(raw.len() + 2);
    out.push(b'\'');
    let mut start = 0;
    let mut blocks = raw.chunks_exact(16);
    let mut at = 0;
    for block in blocks.by_ref() {
        let mut flagged = needs_escape16(block.try_into().expect("16 bytes"));
        while flagged != 0 {
            let i = flagged.trailing_zeros() as usize;
            escape_byte(raw, at + i, block[i], &mut start, out);
            flagged &= flagged - 1;
        }
        at += 16;
    }
    for (i, &b) in blocks.remainder().iter().enumerate() {
        escape_byte(raw, at + i, b, &mut start, out);
    }
    out.extend_from_slice(&raw[start..]);
    out.push(b'\'');
}

/// If `b` (at `raw[i]`) needs a backslash, write what precedes it since
/// `start`, then the escape.
#[inline]
fn escape_byte(raw: &[u8], i: usize, b: u8, start: &mut usize, out: &mut Vec<u8>) {
    let esc = match b {
        0 => b'0',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\\' => b'\\',
        b'\'' => b'\'',
        b'"' => b'"',
        0x1A => b'Z',
        _ => return,
    };
    out.extend_from_slice(&raw[*start..i]);
    out.push(b'\\');
    out.push(esc);
    *start = i + 1;
}

/// Bit `j` set when `block[j]` may need an escape: a byte below 0x20
/// (NUL, `\n`, `\r`, 0x1A and the other controls: a false alarm only costs
/// a closer look) or `"`, `'`, `\`. SSE2 on x86 (part of the x86_64
/// baseline; `safe_arch`'s safe wrappers), [`needs_escape16_portable`]
/// elsewhere.
#[inline(always)]
fn needs_escape16(block: &[u8; 16]) -> u32 {
    #[cfg(all(
        any(target_arch = "x86_64", target_arch = "x86"),
        target_feature = "sse2"
    ))]
    {
        use safe_arch::{
            bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, min_u8_m128i,
            move_mask_i8_m128i, set_splat_i8_m128i,
        };
        let v = load_unaligned_m128i(block);
        let eq = |b: u8| cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(b as i8));
        // min(v, 0x1F) == v exactly for the bytes up to 0x1F.
        let control = cmp_eq_mask_i8_m128i(min_u8_m128i(v, set_splat_i8_m128i(0x1F)), v);
        let special = bitor_m128i(bitor_m128i(eq(b'"'), eq(b'\'')), eq(b'\\'));
        move_mask_i8_m128i(bitor_m128i(control, special)) as u32
    }
    #[cfg(not(all(
        any(target_arch = "x86_64", target_arch = "x86"),
        target_feature = "sse2"
    )))]
    {
        needs_escape16_portable(block)
    }
}

/// [`needs_escape16`] without SIMD.
#[cfg_attr(
    all(
        any(target_arch = "x86_64", target_arch = "x86"),
        target_feature = "sse2"
    ),
    allow(dead_code)
)]
fn needs_escape16_portable(block: &[u8; 16]) -> u32 {
    block.iter().enumerate().fold(0, |bits, (j, &b)| {
        bits | u32::from(b < 0x20 || matches!(b, b'"' | b'\'' | b'\\')) << j
    })
}

fn hex_val(d: u8) -> u8 {
    match d {
        b'0'..=b'9' => d - b'0',
        b'a'..=b'f' => d - b'a' + 10,
        _ => d.wrapping_sub(b'A').wrapping_add(10) & 0x0F,
    }
}

/// Append the bytes of a hex literal's digits (`0x` form may have an odd count).
pub fn decode_hex_into(digits: &[u8], out: &mut Vec<u8>) {
    let mut d = digits;
    if d.len() % 2 == 1 {
        out.push(hex_val(d[0]));
        d = &d[1..];
    }
    for pair in d.chunks_exact(2) {
        out.push(hex_val(pair[0]) << 4 | hex_val(pair[1]));
    }
}

/// Append `0x` and the upper-case hex digits of `raw` (as `mysqldump --hex-blob` writes).
/// An empty value is written as `''` since `0x` alone is not a literal.
pub fn encode_hex_into(raw: &[u8], out: &mut Vec<u8>) {
    if raw.is_empty() {
        out.extend_from_slice(b"''");
        return;
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.reserve(2 + raw.len() * 2);
    out.extend_from_slice(b"0x");
    for &b in raw {
        out.push(HEX[(b >> 4) as usize]);
        out.push(HEX[(b & 15) as usize]);
    }
}

/// Append the bytes of a bit literal's binary digits, big-endian, left-padded.
pub fn decode_bits_into(digits: &[u8], out: &mut Vec<u8>) {
    let nbytes = digits.len().div_ceil(8);
    let pad = nbytes * 8 - digits.len();
    let mut byte = 0u8;
    let mut bits = 0;
    for &d in std::iter::repeat_n(&b'0', pad).chain(digits) {
        byte = byte << 1 | (d == b'1') as u8;
        bits += 1;
        if bits == 8 {
            out.push(byte);
            byte = 0;
            bits = 0;
        }
    }
}

/// Append `b'...'` with the bits of `raw`.
pub fn encode_bits_into(raw: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(b"b'");
    if raw.is_empty() {
        out.push(b'0');
    }
    for &b in raw {
        for k in (0..8).rev() {
            out.push(if b >> k & 1 == 1 { b'1' } else { b'0' });
        }
    }
    out.push(b'\'');
}

/// Append the raw bytes of `value` (a literal inside `data`) to `out`.
/// Returns `false` for `NULL` (nothing appended).
pub fn decode_into(data: &[u8], value: &Value, out: &mut Vec<u8>) -> bool {
    let body = &data[value.body.clone()];
    match value.kind {
        ValueKind::Null => return false,
        ValueKind::String if value.escaped => unescape_into(body, value.quote, out),
        ValueKind::Hex => decode_hex_into(body, out),
        ValueKind::Bit => decode_bits_into(body, out),
        ValueKind::String | ValueKind::Number | ValueKind::Word => out.extend_from_slice(body),
    }
    true
}

/// How to write a masked value back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A bare number (integers, decimals).
    Number,
    /// A quoted string with mysqldump's escapes.
    Quoted,
    /// `0x...` hex.
    Hex,
    /// `b'...'`.
    Bits,
}

/// The style in which `value` was written, so a masked value can be written alike.
pub fn style_of(value: &Value) -> Style {
    match value.kind {
        ValueKind::Number => Style::Number,
        ValueKind::Hex => Style::Hex,
        ValueKind::Bit => Style::Bits,
        _ => Style::Quoted,
    }
}

/// Append `raw` as a literal of `style`, with `introducer` (e.g. `_binary`)
/// in front when given. A `Number` style whose bytes are not a plain number
/// is quoted instead, so the output is always a valid literal.
pub fn encode_into(raw: &[u8], style: Style, introducer: Option<&[u8]>, out: &mut Vec<u8>) {
    match style {
        Style::Number if is_plain_number(raw) => out.extend_from_slice(raw),
        Style::Hex => {
            if let Some(i) = introducer {
                out.extend_from_slice(i);
                out.push(b' ');
            }
            encode_hex_into(raw, out)
        }
        Style::Bits => encode_bits_into(raw, out),
        _ => {
            if let Some(i) = introducer {
                out.extend_from_slice(i);
                if i.len() > 1 {
                    out.push(b' ');
                }
            }
            escape_into(raw, out)
        }
    }
}

/// True for `-?digits(.digits)?`: bytes that can be written unquoted.
pub fn is_plain_number(raw: &[u8]) -> bool {
    let digits = raw.strip_prefix(b"-").unwrap_or(raw);
    let mut parts = digits.splitn(2, |&b| b == b'.');
    let int = parts.next().unwrap_or_default();
    let frac = parts.next();
    !int.is_empty()
        && int.iter().all(u8::is_ascii_digit)
        && frac.is_none_or(|f| !f.is_empty() && f.iter().all(u8::is_ascii_digit))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The block-at-a-time escaper against the obvious byte loop, on
    /// random bytes biased towards the escaped ones, at every length and
    /// alignment around the 16-byte blocks.
    #[test]
    fn escape_into_agrees_with_a_byte_loop() {
        fn naive(raw: &[u8]) -> Vec<u8> {
            let mut out = vec![b'\''];
            for &b in raw {
                match b {
                    0 => out.extend_from_slice(b"\\0"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\'' => out.extend_from_slice(b"\\'"),
                    b'"' => out.extend_from_slice(b"\\\""),
                    0x1A => out.extend_from_slice(b"\\Z"),
                    _ => out.push(b),
                }
            }
            out.push(b'\'');
            out
        }
        let special = [
            0u8, b'\n', b'\r', b'\\', b'\'', b'"', 0x1A, 0x1F, 0x20, 0x21, 0x5B, 0xA2, 0xDC, 0xFF,
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for len in 0..70 {
            for _ in 0..60 {
                let raw: Vec<u8> = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        if state % 5 == 0 {
                            special[(state >> 8) as usize % special.len()]
                        } else {
                            (state >> 16) as u8
                        }
                    })
                    .collect();
                let mut got = Vec::new();
                escape_into(&raw, &mut got);
                assert_eq!(got, naive(&raw), "{raw:?}");
            }
        }
    }

    #[test]
    fn both_escape_searches_flag_the_same_bytes() {
        for b in 0..=255u8 {
            for j in [0, 7, 15] {
                let mut block = [b'a'; 16];
                block[j] = b;
                let want = needs_escape16_portable(&block);
                assert_eq!(needs_escape16(&block), want, "{b:#x} at {j}");
                assert_eq!(want != 0, b < 0x20 || matches!(b, b'"' | b'\'' | b'\\'));
            }
        }
    }

    #[test]
    fn escapes_round_trip_every_byte() {
        let raw: Vec<u8> = (0..=255u8).collect();
        let mut lit = Vec::new();
        escape_into(&raw, &mut lit);
        let mut back = Vec::new();
        unescape_into(&lit[1..lit.len() - 1], b'\'', &mut back);
        assert_eq!(back, raw);
    }

    #[test]
    fn mysql_escape_rules() {
        let mut out = Vec::new();
        unescape_into(br"a\0\b\n\r\t\Z\\\%\_\x''", b'\'', &mut out);
        assert_eq!(out, b"a\0\x08\n\r\t\x1a\\\\%\\_x'");
    }

    #[test]
    fn hex_and_bits() {
        let mut out = Vec::new();
        decode_hex_into(b"ABC", &mut out);
        assert_eq!(out, [0x0A, 0xBC]);
        out.clear();
        decode_bits_into(b"101", &mut out);
        assert_eq!(out, [5]);
        out.clear();
        encode_bits_into(&[5], &mut out);
        assert_eq!(out, b"b'00000101'");
        out.clear();
        encode_hex_into(&[0xAB, 1], &mut out);
        assert_eq!(out, b"0xAB01");
    }

    #[test]
    fn numbers() {
        assert!(is_plain_number(b"-12.50"));
        assert!(!is_plain_number(b"1e5"));
        assert!(!is_plain_number(b"12."));
        assert!(!is_plain_number(b""));
        let mut out = Vec::new();
        encode_into(b"abc", Style::Number, None, &mut out);
        assert_eq!(out, b"'abc'");
    }
}
