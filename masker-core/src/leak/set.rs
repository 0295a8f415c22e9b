//! The set of original values: what the collector gathers
//! ([`CollectedPart`]), and what it is built into ([`OriginalSet`]): the
//! token lengths seen, a blocked Bloom filter over the quick hashes, and the
//! sorted exact keyed hashes that confirm a filter hit.
//!
//! It holds hashes only, never a value.

use super::tokens::Kinds;
use super::LeakOptions;

/// Distinct (exact, quick) hash pairs, partitioned into 256 buckets by the
/// exact hash's top byte (keyed PRF outputs: evenly spread), each kept
/// sorted and deduplicated a few thousand pairs at a time, in cache. Read in
/// bucket order, the pairs are sorted by exact hash. A bucket holds at most
/// half as many duplicates as distinct pairs (plus [`COMPACT_SLACK`]).
#[derive(Debug, Clone)]
struct Distinct {
    buckets: Vec<Bucket>,
}

#[derive(Debug, Clone, Default)]
struct Bucket {
    pairs: Vec<(u64, u64)>,
    /// How many of `pairs` are sorted and distinct.
    sorted: usize,
}

/// Pairs a part gathers before it deduplicates them (a chunk's part rarely
/// reaches it).
const PART_PAIRS: usize = 1 << 16;

/// Pairs a bucket may gather unsorted beyond half its sorted ones.
const COMPACT_SLACK: usize = 2048;

impl Bucket {
    /// Sort the new pairs, then merge them into the sorted ones: the
    /// standard library's stable sort finds the two runs and merges them
    /// in one linear pass (sorting the whole bucket again cost the
    /// collector a tenth of its time).
    fn compact(&mut self) {
        let tail = &mut self.pairs[self.sorted..];
        tail.sort_unstable_by_key(|p| p.0);
        self.pairs.sort_by_key(|p| p.0);
        self.pairs.dedup_by_key(|p| p.0);
        self.sorted = self.pairs.len();
    }
}

impl Default for Distinct {
    /// Empty, with no bucket allocated (a chunk's part rarely needs one).
    fn default() -> Self {
        Distinct {
            buckets: Vec::new(),
        }
    }
}

impl Distinct {
    #[inline]
    fn extend(&mut self, pairs: &[(u64, u64)]) {
        if self.buckets.is_empty() && !pairs.is_empty() {
            self.buckets = vec![Bucket::default(); 256];
        }
        for &p in pairs {
            let b = &mut self.buckets[(p.0 >> 56) as usize];
            b.pairs.push(p);
            if b.pairs.len() >= b.sorted + b.sorted / 2 + COMPACT_SLACK {
                b.compact();
            }
        }
    }

    /// Sort and deduplicate every bucket; the number of distinct pairs.
    fn compact_all(&mut self) -> usize {
        self.buckets.iter_mut().for_each(Bucket::compact);
        self.buckets.iter().map(|b| b.pairs.len()).sum()
    }

    /// Hand every pair to `f` in bucket order (after [`Distinct::compact_all`]:
    /// distinct, by exact hash), freeing each bucket once handed over, so
    /// that the pairs are never held twice.
    fn drain(self, mut f: impl FnMut(u64, u64)) {
        for b in self.buckets {
            for (e, q) in b.pairs {
                f(e, q);
            }
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.buckets.iter().map(|b| b.pairs.len()).sum()
    }
}

/// The lengths of tokens seen: one bit per length, lengths of 255 bytes
/// and more share the last bit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Lengths([u64; 4]);

impl Lengths {
    #[inline]
    fn bit(len: usize) -> (usize, u64) {
        let l = len.min(255);
        (l / 64, 1 << (l % 64))
    }

    #[inline]
    pub(super) fn insert(&mut self, len: usize) {
        let (w, b) = Self::bit(len);
        self.0[w] |= b;
    }

    #[inline]
    pub(super) fn contains(&self, len: usize) -> bool {
        let (w, b) = Self::bit(len);
        self.0[w] & b != 0
    }

    /// True when some length in `from..to` is in the set.
    #[inline]
    pub(super) fn any_in(&self, from: usize, to: usize) -> bool {
        (from..to.min(256)).any(|l| self.contains(l))
    }

    fn union(&mut self, other: &Lengths) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a |= b;
        }
    }
}

/// The shapes of the tokens seen, as far as numeric and temporal columns
/// care: a column of such a type only holds values of one shape, so it
/// needs no look-up when no original has that shape.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Shapes(u8);

impl Shapes {
    /// Digits only, an optional sign first: what an integer column holds.
    pub(super) const DIGITS: u8 = 1;
    /// Digits with one `.`, an optional sign first: a decimal.
    pub(super) const DECIMAL: u8 = 2;
    /// Starts like a date (`dddd-dd-dd`) or a time (`d:dd`, `dd:dd`).
    pub(super) const TEMPORAL: u8 = 4;

    /// The shape bits of one token.
    pub(super) fn of(t: &[u8]) -> u8 {
        let Some(&first) = t.first() else { return 0 };
        if !(first.is_ascii_digit() || first == b'-' || first == b'+') {
            return 0;
        }
        let body = if first.is_ascii_digit() { t } else { &t[1..] };
        let digits = body.iter().filter(|b| b.is_ascii_digit()).count();
        let dots = body.iter().filter(|&&b| b == b'.').count();
        let mut shape = 0;
        if digits > 0 && digits == body.len() {
            shape |= Self::DIGITS;
        } else if digits > 0 && dots == 1 && digits + 1 == body.len() {
            shape |= Self::DECIMAL;
        }
        let d = |i: usize| body.get(i).is_some_and(u8::is_ascii_digit);
        let at = |i: usize, c: u8| body.get(i) == Some(&c);
        let date = (0..4).all(d) && at(4, b'-') && d(5) && d(6) && at(7, b'-') && d(8) && d(9);
        let time = d(0) && ((at(1, b':') && d(2) && d(3)) || (d(1) && at(2, b':') && d(3) && d(4)));
        if date
            || time
            || (digits > 0 && body.iter().all(|&b| b.is_ascii_digit() || b == b':'))
                && body.contains(&b':')
        {
            shape |= Self::TEMPORAL;
        }
        shape
    }

    #[inline]
    pub(super) fn contains(&self, bits: u8) -> bool {
        self.0 & bits != 0
    }
}

/// The lengths of the original tokens that a numeric column's value could
/// hold: its whole value is digits or a decimal, and its only inner tokens
/// are runs of digits (words, phone numbers). A value matching none of
/// these lengths holds no original: it is not hashed at all (an id column
/// of short numbers, when every original number is a long one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct NumberLengths {
    /// Tokens of digits ([`Shapes::DIGITS`]).
    digits: Lengths,
    /// Decimals ([`Shapes::DECIMAL`]).
    decimals: Lengths,
}

impl NumberLengths {
    fn insert(&mut self, len: usize, shape: u8) {
        if shape & Shapes::DIGITS != 0 {
            self.digits.insert(len);
        }
        if shape & Shapes::DECIMAL != 0 {
            self.decimals.insert(len);
        }
    }

    fn union(&mut self, other: &NumberLengths) {
        self.digits.union(&other.digits);
        self.decimals.union(&other.decimals);
    }

    /// True when `v`, a value of a numeric column (digits, or a decimal,
    /// with an optional sign), could hold an original: whole, or as a run
    /// of digits of at least `shortest` bytes inside it (shorter than `v`).
    #[inline]
    pub(super) fn may_hold(&self, v: &[u8], shortest: usize) -> bool {
        let whole = if v.contains(&b'.') {
            &self.decimals
        } else {
            &self.digits
        };
        whole.contains(v.len()) || self.digits.any_in(shortest, v.len())
    }
}

/// What a [`super::Collector`] gathers: from one chunk, or appended over a run.
#[derive(Debug, Clone, Default)]
pub struct CollectedPart {
    /// (exact, quick) hash pairs of values and tokens of one chunk,
    /// duplicates included.
    pub(super) hashes: Vec<(u64, u64)>,
    /// Where [`CollectedPart::append`] gathers the chunks' pairs.
    distinct: Distinct,
    /// The lengths of the tokens.
    pub(super) lengths: Lengths,
    /// The shapes of the tokens.
    pub(super) shapes: Shapes,
    /// The lengths of the tokens of digits ([`Shapes::DIGITS`]), and of
    /// those of digits or decimals ([`Shapes::DECIMAL`]).
    pub(super) numbers: NumberLengths,
    /// The kinds of the tokens.
    pub(super) kinds: Kinds,
    /// The masked columns seen (`table.column`).
    pub(super) masked: Vec<String>,
    /// The table of the previous row (its address: a cache key only).
    pub(super) last_table: usize,
}

impl CollectedPart {
    /// Append `other` (a later chunk's part).
    pub fn append(&mut self, other: &mut CollectedPart) {
        self.distinct.extend(&other.hashes);
        other.hashes.clear();
        for b in std::mem::take(&mut other.distinct).buckets {
            self.distinct.extend(&b.pairs);
        }
        self.lengths.union(&other.lengths);
        self.shapes.0 |= other.shapes.0;
        self.numbers.union(&other.numbers);
        self.kinds.add(other.kinds);
        for c in other.masked.drain(..) {
            if !self.masked.contains(&c) {
                self.masked.push(c);
            }
        }
    }

    /// Record a token's length, shape and hashes.
    /// `kind`: what the token was found as inside a value, or
    /// [`Kinds::whole`] for a whole value, whose kinds are then worked out.
    #[inline]
    pub(super) fn push(
        &mut self,
        token: &[u8],
        opts: &LeakOptions,
        kind: Kinds,
        exact: u64,
        quick: u64,
    ) {
        self.lengths.insert(token.len());
        let shape = Shapes::of(token);
        self.shapes.0 |= shape;
        self.numbers.insert(token.len(), shape);
        self.kinds.add(if kind.has(Kinds::WHOLE) {
            Kinds::of_whole(token, opts, kind)
        } else {
            kind
        });
        self.hashes.push((exact, quick));
        if self.hashes.len() >= PART_PAIRS {
            // One part collecting a whole database (a live server's rows)
            // keeps only distinct pairs.
            self.distinct.extend(&self.hashes);
            self.hashes.clear();
        }
    }
}

/// A blocked Bloom filter: each hash sets `K` bits inside one 512-bit block
/// (one cache line).
#[derive(Debug, Clone)]
struct Bloom {
    blocks: Vec<[u64; 8]>,
}

const K: u32 = 7;

impl Bloom {
    fn with_bits(bits: usize) -> Bloom {
        Bloom {
            blocks: vec![[0; 8]; bits.div_ceil(512).max(1)],
        }
    }

    /// The block of hash `h` (its high bits) and the bit positions inside
    /// it (from a remix of `h`: positions correlated with the block would
    /// raise the false-hit rate).
    #[inline]
    fn place(&self, h: u64) -> (usize, u64) {
        let block = ((h as u128 * self.blocks.len() as u128) >> 64) as usize;
        let mut x = h ^ (h >> 33);
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        (block, x)
    }

    fn insert(&mut self, h: u64) {
        let (b, mut bits) = self.place(h);
        let block = &mut self.blocks[b];
        for _ in 0..K {
            let i = (bits & 511) as usize;
            block[i / 64] |= 1 << (i % 64);
            bits = bits.rotate_right(9);
        }
    }

    /// Ask the CPU to fetch `h`'s block into the cache ahead of
    /// [`Bloom::contains`] (no effect where there is no prefetch instruction).
    #[inline]
    fn prefetch(&self, h: u64) {
        let block = &self.blocks[self.place(h).0];
        #[cfg(all(
            any(target_arch = "x86_64", target_arch = "x86"),
            target_feature = "sse"
        ))]
        safe_arch::prefetch_t0(block);
        #[cfg(not(all(
            any(target_arch = "x86_64", target_arch = "x86"),
            target_feature = "sse"
        )))]
        let _ = block;
    }

    #[inline]
    fn contains(&self, h: u64) -> bool {
        let (b, mut bits) = self.place(h);
        let block = &self.blocks[b];
        let mut all = true;
        for _ in 0..K {
            let i = (bits & 511) as usize;
            all &= block[i / 64] & (1 << (i % 64)) != 0;
            bits = bits.rotate_right(9);
        }
        all
    }

    fn bytes(&self) -> usize {
        self.blocks.len() * 64
    }
}

/// The set of original values: token lengths, then a Bloom filter over the
/// quick hashes, then the exact keyed hashes.
#[derive(Debug, Clone)]
pub struct OriginalSet {
    /// Exact hashes, sorted, distinct.
    exact: Vec<u64>,
    bloom: Bloom,
    lengths: Lengths,
    pub(super) shapes: Shapes,
    pub(super) numbers: NumberLengths,
    pub(super) kinds: Kinds,
    /// The columns the rules mask (`table.column`).
    pub(super) masked: Vec<String>,
}

/// The result of a lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// No original token has this length: not hashed.
    Skipped,
    /// Not in the filter.
    Miss,
    /// In the filter but not in the exact set: a false hit, not reported.
    FalseHit,
    /// An original value.
    Hit,
}

impl OriginalSet {
    /// Build the set from the collected hashes (the parts appended into
    /// one); the filter gets `bits_per_value` bits per distinct hash.
    pub fn build(collected: CollectedPart, bits_per_value: usize) -> OriginalSet {
        let CollectedPart {
            hashes,
            mut distinct,
            lengths,
            shapes,
            numbers,
            kinds,
            masked,
            ..
        } = collected;
        distinct.extend(&hashes);
        drop(hashes);
        let n = distinct.compact_all();
        let mut bloom = Bloom::with_bits(n * bits_per_value.max(1));
        let mut exact = Vec::with_capacity(n);
        distinct.drain(|e, q| {
            bloom.insert(q);
            exact.push(e);
        });
        OriginalSet {
            exact,
            bloom,
            lengths,
            shapes,
            numbers,
            kinds,
            masked,
        }
    }

    /// The columns the rules mask (`table.column`), as seen in the original.
    pub fn masked_columns(&self) -> &[String] {
        &self.masked
    }

    /// Distinct values and tokens in the set.
    pub fn len(&self) -> usize {
        self.exact.len()
    }

    /// True when nothing was collected.
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }

    /// Memory held, in bytes.
    pub fn memory(&self) -> usize {
        self.exact.len() * 8 + self.bloom.bytes()
    }

    /// True when some original token is `len` bytes long (a token of
    /// another length cannot be one: no need to hash it).
    #[inline]
    pub(super) fn has_length(&self, len: usize) -> bool {
        self.lengths.contains(len)
    }

    /// The filter's answer for a quick hash.
    #[inline]
    pub(super) fn maybe(&self, quick: u64) -> bool {
        self.bloom.contains(quick)
    }

    /// Start reading the filter's block for a quick hash, to be asked with
    /// [`OriginalSet::maybe`] a little later.
    #[inline]
    pub(super) fn prefetch(&self, quick: u64) {
        self.bloom.prefetch(quick);
    }

    /// The exact set's answer for an exact hash.
    #[inline]
    pub(super) fn confirmed(&self, exact: u64) -> bool {
        self.exact.binary_search(&exact).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_dedup() {
        let mut l = Lengths::default();
        l.insert(3);
        l.insert(300);
        assert!(l.contains(3) && l.contains(255) && l.contains(1000));
        assert!(!l.contains(4) && !l.contains(0));
        let mut all = CollectedPart::default();
        for _ in 0..5 {
            let mut p = CollectedPart::default();
            for i in 0..1_000_000u64 {
                p.push(
                    b"abcde",
                    &LeakOptions::default(),
                    Kinds::WHOLE,
                    i % 1000,
                    i % 1000,
                );
            }
            all.append(&mut p);
        }
        // Deduplicated on the way: 5 M pairs pushed, at most a bucket's
        // slack of duplicates kept per bucket.
        assert_eq!(all.hashes.len(), 0);
        assert!(
            all.distinct.len() <= 256 * (COMPACT_SLACK + 8),
            "{}",
            all.distinct.len()
        );
        let set = OriginalSet::build(all, 10);
        assert_eq!(set.len(), 1000);
        assert!(set.has_length(5) && !set.has_length(6));
        assert!(!set
            .shapes
            .contains(Shapes::DIGITS | Shapes::DECIMAL | Shapes::TEMPORAL));
    }

    /// Regression: the live leak proof (`masker-aws mask`'s restore test)
    /// collects a whole database into one part, which kept every pair,
    /// duplicates included (930 MB of RSS on the 1 GB benchmark database).
    #[test]
    fn one_part_collecting_a_whole_database_stays_bounded() {
        let mut p = CollectedPart::default();
        for i in 0..3_000_000u64 {
            let h = (i % 5000).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            p.push(b"abcde", &LeakOptions::default(), Kinds::WHOLE, h, h);
        }
        assert!(p.hashes.len() < PART_PAIRS);
        let held = p.hashes.len() + p.distinct.len();
        // Half again the distinct pairs, plus each bucket's slack: not the
        // 3 M pushed.
        assert!(held <= 5000 * 3 / 2 + 256 * COMPACT_SLACK, "{held}");
        assert_eq!(OriginalSet::build(p, 10).len(), 5000);
    }

    #[test]
    fn numbers_may_hold_originals_of_their_lengths() {
        let mut n = NumberLengths::default();
        n.insert(10, Shapes::of(b"9012345678"));
        n.insert(8, Shapes::of(b"12345.67"));
        n.insert(9, Shapes::of(b"abcdefghi"));
        assert!(n.may_hold(b"9012345678", 8));
        assert!(n.may_hold(b"-9012345678", 8), "its digits inside");
        assert!(n.may_hold(b"9012345678.25", 8), "its digits inside");
        assert!(n.may_hold(b"12345.67", 8));
        assert!(!n.may_hold(b"12345678", 8), "no original of 8 digits");
        assert!(!n.may_hold(b"123456789", 8), "9 bytes, but not digits");
        assert!(
            !n.may_hold(b"-90123456", 8),
            "its 8 digits: no original of 8 digits"
        );
        assert!(!n.may_hold(b"12345.678", 8), "a decimal of another length");
    }

    #[test]
    fn shapes_of_tokens() {
        let cases: &[(&str, u8)] = &[
            ("12345", Shapes::DIGITS),
            ("-12", Shapes::DIGITS),
            ("22697.02", Shapes::DECIMAL),
            ("1955-06-20", Shapes::TEMPORAL),
            ("2023-09-10 14:00:02", Shapes::TEMPORAL),
            ("14:00:02", Shapes::TEMPORAL),
            ("838:59:59", Shapes::TEMPORAL),
            ("080-6062-0649", 0),
            ("090-1234-5678", 0),
            ("+81 90 1234 5678", 0),
            ("taro@example.com", 0),
            ("1.2.3.4", 0),
            ("", 0),
        ];
        for (t, want) in cases {
            assert_eq!(Shapes::of(t.as_bytes()), *want, "{t}");
        }
    }
}
