//! Special-byte bitmasks of 64-byte blocks, for the splitter's tuple fast
//! path ([`super::sql::Splitter`]).
//!
//! One pass over a block finds every byte the tuple scanner must look at
//! (quotes, backslashes, parentheses, backticks, the delimiter's first
//! byte) and returns them as bitmasks, bit `j` for `block[j]`; the scanner
//! then visits only those bytes (`trailing_zeros`), skipping plain bytes,
//! string contents and digits in bulk. This is the approach of simdjson's
//! first stage, without its prefix-XOR string masks: MySQL has two quote
//! characters and doubled quotes, so strings are followed bit by bit.
//!
//! On x86_64 (and 32-bit x86 with SSE2) the masks come from SSE2 compares,
//! through the `safe_arch` crate's safe wrappers (SSE2 is part of the
//! x86_64 baseline, so every such CPU has it); elsewhere from a portable
//! loop that gives the same masks. The tests check the two against each
//! other. The workspace still forbids `unsafe` code.

/// The special bytes of one 64-byte block; bit `j` stands for `block[j]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Masks {
    /// `'`
    pub single: u64,
    /// `"`
    pub double: u64,
    /// `\`
    pub backslash: u64,
    /// Every byte that matters outside strings inside a tuple: both quotes,
    /// `` ` ``, `(`, `)` and the delimiter's first byte.
    pub code: u64,
}

/// The block size the masks cover.
pub(crate) const BLOCK: usize = 64;

/// The masks of `block`, whose statement delimiter starts with `delim0`.
#[inline]
pub(crate) fn masks(block: &[u8; BLOCK], delim0: u8) -> Masks {
    #[cfg(all(
        any(target_arch = "x86_64", target_arch = "x86"),
        target_feature = "sse2"
    ))]
    {
        sse2::masks(block, delim0)
    }
    #[cfg(not(all(
        any(target_arch = "x86_64", target_arch = "x86"),
        target_feature = "sse2"
    )))]
    {
        portable(block, delim0)
    }
}

/// The same masks without SIMD: the oracle of the SSE2 version, and the
/// implementation on other targets.
#[cfg_attr(
    all(
        any(target_arch = "x86_64", target_arch = "x86"),
        target_feature = "sse2"
    ),
    allow(dead_code)
)]
pub(crate) fn portable(block: &[u8; BLOCK], delim0: u8) -> Masks {
    let mut m = Masks::default();
    for (lane, part) in block.chunks_exact(16).enumerate() {
        let (mut s, mut d, mut b, mut o) = (0u16, 0u16, 0u16, 0u16);
        for (j, &c) in part.iter().enumerate() {
            s |= u16::from(c == b'\'') << j;
            d |= u16::from(c == b'"') << j;
            b |= u16::from(c == b'\\') << j;
            o |= u16::from(c == b'`' || c == b'(' || c == b')' || c == delim0) << j;
        }
        let shift = 16 * lane;
        m.single |= u64::from(s) << shift;
        m.double |= u64::from(d) << shift;
        m.backslash |= u64::from(b) << shift;
        m.code |= u64::from(s | d | o) << shift;
    }
    m
}

/// The bytes escaped by a backslash: bit `j` set when `block[j]` follows
/// an odd run of backslashes. `carry` says the block's first byte is
/// escaped (a run ended the previous block) and is set for the next block.
/// simdjson's `find_escaped`: runs starting on odd bits are separated from
/// those starting on even bits with one addition.
#[inline]
pub(crate) fn escaped(backslash: u64, carry: &mut bool) -> u64 {
    const EVEN: u64 = 0x5555_5555_5555_5555;
    let prev = u64::from(*carry);
    let backslash = backslash & !prev;
    let follows = (backslash << 1) | prev;
    let odd_starts = backslash & !EVEN & !follows;
    let (even_starts, overflow) = odd_starts.overflowing_add(backslash);
    *carry = overflow;
    (EVEN ^ (even_starts << 1)) & follows
}

/// Bit `j` is the XOR of bits `0..=j`: given the quotes of a block, the
/// bytes from each opening quote up to (not including) its closing one.
#[inline]
pub(crate) fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

#[cfg(all(
    any(target_arch = "x86_64", target_arch = "x86"),
    target_feature = "sse2"
))]
mod sse2 {
    use super::{Masks, BLOCK};
    use safe_arch::{
        bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, m128i, move_mask_i8_m128i,
        set_splat_i8_m128i,
    };

    #[inline]
    pub(super) fn masks(block: &[u8; BLOCK], delim0: u8) -> Masks {
        let splat = |b: u8| set_splat_i8_m128i(b as i8);
        let (single, double, backslash) = (splat(b'\''), splat(b'"'), splat(b'\\'));
        let (tick, open, close, delim) = (splat(b'`'), splat(b'('), splat(b')'), splat(delim0));
        let bits = |v: m128i| u64::from(move_mask_i8_m128i(v) as u16);
        let eq = cmp_eq_mask_i8_m128i;
        let mut m = Masks::default();
        for (lane, part) in block.chunks_exact(16).enumerate() {
            let v = load_unaligned_m128i(part.try_into().expect("16 bytes"));
            let s = eq(v, single);
            let d = eq(v, double);
            let other = bitor_m128i(
                bitor_m128i(eq(v, tick), eq(v, open)),
                bitor_m128i(eq(v, close), eq(v, delim)),
            );
            let shift = 16 * lane as u32;
            m.single |= bits(s) << shift;
            m.double |= bits(d) << shift;
            m.backslash |= bits(eq(v, backslash)) << shift;
            m.code |= bits(bitor_m128i(bitor_m128i(s, d), other)) << shift;
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simd_and_portable_masks_agree() {
        let alphabet = b"'\"\\`();$a0 \n\xff\x80\x27\x5c";
        let mut state = 0x9e37_79b9u32;
        for round in 0..2000 {
            let mut block = [0u8; BLOCK];
            for b in block.iter_mut() {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                *b = if round % 3 == 0 {
                    state as u8
                } else {
                    alphabet[state as usize % alphabet.len()]
                };
            }
            for delim0 in [b';', b'$', b'/'] {
                assert_eq!(masks(&block, delim0), portable(&block, delim0), "{block:?}");
            }
        }
    }

    /// `escaped` against the obvious loop, over random backslash masks and
    /// carries, chained across blocks as the splitter uses it.
    #[test]
    fn escaped_agrees_with_a_loop() {
        let mut state = 0x1234_5678_9abc_def1u64;
        for _ in 0..20_000 {
            let mut carry = false;
            let mut naive_carry = false;
            for _ in 0..3 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                // Dense and sparse backslashes, long runs.
                let bs = state & (state >> 1) | (state & 0xff00_0000_ff00_0000);
                let mut want = 0u64;
                let mut next_escaped = naive_carry;
                for j in 0..64 {
                    if next_escaped {
                        want |= 1 << j;
                        next_escaped = false;
                    } else if bs >> j & 1 == 1 {
                        next_escaped = true;
                    }
                }
                naive_carry = next_escaped;
                assert_eq!(escaped(bs, &mut carry), want, "{bs:064b}");
                assert_eq!(carry, naive_carry);
            }
        }
    }

    #[test]
    fn prefix_xor_marks_string_interiors() {
        assert_eq!(prefix_xor(0b1000_0010), 0b0111_1110);
        assert_eq!(prefix_xor(1 << 63), 1 << 63);
        assert_eq!(prefix_xor(0), 0);
    }

    #[test]
    fn bit_j_is_byte_j() {
        let mut block = [b'x'; BLOCK];
        block[0] = b'\'';
        block[17] = b'"';
        block[33] = b'\\';
        block[63] = b'(';
        block[40] = b';';
        let m = masks(&block, b';');
        assert_eq!(m.single, 1);
        assert_eq!(m.double, 1 << 17);
        assert_eq!(m.backslash, 1 << 33);
        assert_eq!(m.code, 1 | 1 << 17 | 1 << 40 | 1 << 63);
    }
}
