//! Tokenizers: byte-level state machines over caller buffers. They own no I/O.
//!
//! - [`sql::Splitter`] finds statement and row-tuple boundaries in a stream
//!   pushed in pieces of any size (the pipeline's chunker runs it).
//! - [`values::TupleReader`] walks a complete run of row tuples and yields
//!   every value's span and kind (the workers run it).
//! - [`literal`] decodes and encodes SQL literals (escapes, hex, bit).
//! - [`reference`](mod@reference) is a slow, obviously correct splitter used as a test oracle.
//! - [`tsv`] splits `LOAD DATA` / `mysqldump --tab` text into fields and rows
//!   (dialect, push tokenizer, field decoding and encoding, reference splitter).

mod blocks;
pub mod literal;
pub mod reference;
pub mod sql;
pub mod tsv;
pub mod values;

/// True for a `DELIMITER` both splitters support. Real dumps use `;;`, `$$`
/// or `//`; bytes that could open a quote or a comment would make a partial
/// match ambiguous, so they are refused (with a clear error) rather than
/// guessed: no quotes, backticks, parentheses, `#` or `-`, and no `/` or `*`
/// after the first byte.
pub(crate) fn delimiter_supported(delim: &[u8]) -> bool {
    let never = |b: &u8| matches!(b, b'\'' | b'"' | b'`' | b'(' | b')' | b'#' | b'-');
    match delim.split_first() {
        None => false,
        Some((first, rest)) => {
            !never(first) && !rest.iter().any(|b| never(b) || matches!(b, b'/' | b'*'))
        }
    }
}

/// Find the first `quote` or backslash in `hay`.
///
/// Values in dumps are short (tens of bytes), where `memchr2`'s set-up costs
/// more than it saves: the first 64 bytes are searched 16 at a time
/// ([`quote_or_backslash16`]), `memchr2` takes over for long strings, and
/// the last bytes of `hay` (fewer than 16) are looked at one by one.
#[inline]
pub(crate) fn find_quote_end(hay: &[u8], quote: u8) -> Option<usize> {
    const SHORT: usize = 64;
    let mut i = 0;
    while let Some(block) = hay.get(i..i + 16) {
        let hits = quote_or_backslash16(block.try_into().expect("16 bytes"), quote);
        if hits != 0 {
            return Some(i + hits.trailing_zeros() as usize);
        }
        i += 16;
        if i == SHORT {
            return memchr::memchr2(quote, b'\\', &hay[i..]).map(|k| k + i);
        }
    }
    hay[i..]
        .iter()
        .position(|&c| c == quote || c == b'\\')
        .map(|k| k + i)
}

/// Bit `j` set when `block[j]` is `quote` or a backslash (bits above the
/// lowest may be wrong: only the lowest is used): two SSE2 compares on x86
/// (part of the x86_64 baseline; `safe_arch`'s safe wrappers),
/// [`quote_or_backslash16_portable`] elsewhere.
#[inline(always)]
fn quote_or_backslash16(block: &[u8; 16], quote: u8) -> u32 {
    #[cfg(all(
        any(target_arch = "x86_64", target_arch = "x86"),
        target_feature = "sse2"
    ))]
    {
        use safe_arch::{
            bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i,
            set_splat_i8_m128i,
        };
        let v = load_unaligned_m128i(block);
        let q = cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(quote as i8));
        let b = cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(b'\\' as i8));
        move_mask_i8_m128i(bitor_m128i(q, b)) as u32
    }
    #[cfg(not(all(
        any(target_arch = "x86_64", target_arch = "x86"),
        target_feature = "sse2"
    )))]
    {
        quote_or_backslash16_portable(block, quote)
    }
}

/// [`quote_or_backslash16`] without SIMD: the "has zero byte" trick on two
/// words, which always gets the lowest hit right.
#[cfg_attr(
    all(
        any(target_arch = "x86_64", target_arch = "x86"),
        target_feature = "sse2"
    ),
    allow(dead_code)
)]
fn quote_or_backslash16_portable(block: &[u8; 16], quote: u8) -> u32 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let word = |half: &[u8]| {
        let w = u64::from_le_bytes(half.try_into().expect("8 bytes"));
        let (a, b) = (w ^ (LO * quote as u64), w ^ (LO * b'\\' as u64));
        let hits = (a.wrapping_sub(LO) & !a | b.wrapping_sub(LO) & !b) & HI;
        (0..8).fold(0u32, |bits, j| {
            bits | (((hits >> (8 * j + 7)) & 1) as u32) << j
        })
    };
    let (lo, hi) = (word(&block[..8]), word(&block[8..]));
    if lo != 0 {
        lo
    } else {
        hi << 8
    }
}

#[cfg(test)]
mod tests {
    use super::find_quote_end;

    fn naive(hay: &[u8], q: u8) -> Option<usize> {
        hay.iter().position(|&c| c == q || c == b'\\')
    }

    #[test]
    fn both_16_byte_searches_find_the_first_hit() {
        let alphabet = [b'a', b'\'', b'\\', b'"', 0x27 ^ 0x80, 0x5c ^ 0x01, 0, 0xff];
        let mut state = 99u32;
        for _ in 0..20_000 {
            let mut block = [b'x'; 16];
            for b in block.iter_mut() {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let r = (state >> 16) as usize;
                if r % 5 == 0 {
                    *b = alphabet[r % alphabet.len()];
                }
            }
            for q in [b'\'', b'"'] {
                let want = naive(&block, q).map_or(16, |k| k as u32);
                let lowest = |bits: u32| bits.trailing_zeros().min(16);
                assert_eq!(lowest(super::quote_or_backslash16(&block, q)), want);
                assert_eq!(
                    lowest(super::quote_or_backslash16_portable(&block, q)),
                    want
                );
            }
        }
    }

    #[test]
    fn find_quote_end_agrees_with_naive() {
        let alphabet = [b'a', b'\'', b'\\', b'"', 0x27 ^ 0x80, 0x5c ^ 0x01, 0, 0xff];
        let mut state = 12345u32;
        for len in 0..100 {
            for _ in 0..50 {
                let hay: Vec<u8> = (0..len)
                    .map(|_| {
                        state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                        let r = (state >> 16) as usize;
                        if r % 7 == 0 {
                            alphabet[r % alphabet.len()]
                        } else {
                            b'x'
                        }
                    })
                    .collect();
                for q in [b'\'', b'"'] {
                    assert_eq!(find_quote_end(&hay, q), naive(&hay, q), "{hay:?}");
                }
            }
        }
    }
}
