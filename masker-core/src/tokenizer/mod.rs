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
/// more than it saves: the first 32 bytes are searched 8 at a time in a
/// `u64` (the classic "has zero byte" trick, which always gets the lowest
/// match right), and `memchr2` takes over for long strings.
#[inline]
pub(crate) fn find_quote_end(hay: &[u8], quote: u8) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    const SHORT: usize = 32;
    let q = LO * quote as u64;
    let bs = LO * b'\\' as u64;
    let mut i = 0;
    let head = hay.len().min(SHORT);
    while i + 8 <= head {
        let mut word = [0u8; 8];
        word.copy_from_slice(&hay[i..i + 8]);
        let w = u64::from_le_bytes(word);
        let a = w ^ q;
        let b = w ^ bs;
        let hits = (a.wrapping_sub(LO) & !a | b.wrapping_sub(LO) & !b) & HI;
        if hits != 0 {
            return Some(i + (hits.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    if i < head {
        if let Some(k) = hay[i..head].iter().position(|&c| c == quote || c == b'\\') {
            return Some(i + k);
        }
    }
    if head == hay.len() {
        return None;
    }
    memchr::memchr2(quote, b'\\', &hay[head..]).map(|k| k + head)
}

#[cfg(test)]
mod tests {
    use super::find_quote_end;

    fn naive(hay: &[u8], q: u8) -> Option<usize> {
        hay.iter().position(|&c| c == q || c == b'\\')
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
