//! `fpe`: keyed, format-preserving masking that is a bijection.
//!
//! Every ASCII digit stays a digit and every ASCII letter a letter of the same
//! case; all other bytes (punctuation, spaces, non-ASCII UTF-8) are kept where
//! they are, so the output has the same length in bytes and characters. The
//! first digit of a value keeps its kind: a leading `0` stays `0` (a phone
//! number `06-4657-3286` keeps its trunk prefix) and any other first digit
//! stays non-zero, so values with a leading zero and values without are each
//! permuted among themselves.
//!
//! # Construction
//!
//! The changeable positions form a mixed-radix number (10 for a digit, 9 for
//! a non-zero first digit, 26 for a letter). It is enciphered with an
//! 8-round alternating Feistel network (as many rounds as FF3-1) over the two
//! halves of the positions: each round adds, per position and modulo its
//! radix, a pseudo-random function of the other half. The round function is
//! SipHash-2-4 ([`SipKey`], over the tweak, the position and the half packed
//! into words) under one of eight round sub-keys derived from the masking
//! key with its PRF ([`super::Prf`]) when the column is bound. The tweak is a keyed
//! hash of the value's *format*: its length and which byte positions are
//! digits, first digits, upper- or lower-case letters. Each round is
//! invertible, so the whole is a permutation of the strings of one format:
//! distinct inputs stay distinct. A single changeable position uses a keyed
//! shuffle of its alphabet instead.
//!
//! Numeric columns (integer, DECIMAL, FLOAT): only digits change, and a
//! lone leading zero (`0`, `0.5`) stays, so the number keeps its digit count
//! and numeric equality matches string equality; integers are cycle-walked
//! until the result is inside the type's range, which keeps the bijection on
//! the in-range values.
//!
//! # Speed
//!
//! A short value's eight rounds are eight SipHash calls of three words. What
//! does not depend on the value is done before: the round keys' SipHash
//! set-up at bind time ([`SipKey`]); the tweak and each round's state after
//! absorbing (tweak, j) once per value *format* ([`Prepared`]), kept per
//! thread for the last formats met (a column of phone numbers has a handful),
//! so a round hashes only the other half and the final block. Symbols,
//! radixes and packed halves live on the stack or in registers; nothing is
//! allocated per value. None of this changes an output: tests hold the
//! outputs recorded before (`blake3_outputs_unchanged_by_issue_9_speed_work`,
//! `hmac_outputs_unchanged_since_before_issue_9`).
//!
//! # Limits
//!
//! This is not NIST FF1 or FF3-1 (AES round functions); it follows their
//! structure with a faster keyed PRF. Like them it is only as strong as its
//! domain is large: the *per-value domain* is the product of the radixes of
//! the enciphered characters (`090-1234-5678`: 10^10; a two-letter code:
//! 26^2 = 676). NIST SP 800-38G asks for a domain of at least 1,000,000
//! ([`MIN_FPE_DOMAIN`]): on a smaller one a few known input/output pairs
//! reveal much of the table. So a column whose type can never hold such a
//! value (CHAR/VARCHAR/BINARY of 4 or fewer characters, TINYINT, SMALLINT,
//! DECIMAL of 6 or fewer digits, ENUM/SET) is refused at bind time with a
//! hint to use `hash`, and values masked with a smaller domain are counted
//! ([`Transform::small_domain_values`]) so the run's summary can warn.
//! Values without any letter or digit pass unchanged and are not counted.
//! A value holding a letter or digit outside ASCII (kanji, kana, an accented
//! or a full-width character) is refused with an error naming the column:
//! `fpe` would keep those characters, so most of a Japanese name or address,
//! or a phone number in full-width digits, would survive. Symbols (`〒`,
//! `－`) are kept like ASCII punctuation.
//!
//! # Collations
//!
//! On a text column whose collation ignores case or trailing spaces
//! ([`Folding`]), the folded value (lower case, trailing spaces dropped) is
//! enciphered, then each output letter takes the case of the input letter in
//! the same position and the trailing spaces are put back: values equal
//! under the collation give outputs equal under it (they differ only in case
//! and trailing spaces). Distinct case patterns stay distinct, so the map is
//! still injective. Non-ASCII characters are kept as they are (with their
//! case); the rare one that folds to an ASCII letter (KELVIN SIGN, long s) is
//! written as that ASCII letter, enciphered.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use super::collation::{for_each_unit, Folding};
use super::fit;
use super::key::{Key, SipKey, SipState};
use super::{Cell, MaskError, Transform};
use crate::schema::{Column, ColumnType};

const ROUNDS: usize = 8;

/// Why a value holding letters or digits outside ASCII is refused: `fpe`
/// would keep them, i.e. most of a Japanese name or address, or a whole
/// phone number written in full-width digits.
const OTHER_SCRIPT: &str = "fpe changes ASCII letters and digits only, and this value holds letters or digits outside ASCII (kanji, kana, accented or full-width characters), which it would keep as they are: use `fake` or `hash` for this column";

/// The smallest per-value domain NIST SP 800-38G accepts for format-preserving
/// encryption: fewer possible values than this and `fpe` is refused (column
/// types) or counted (values, see [`Transform::small_domain_values`]).
pub const MIN_FPE_DOMAIN: u64 = 1_000_000;

/// How a byte position is enciphered: the class tag that stands for it in
/// the tweak, the first byte of its alphabet and the alphabet's size (the
/// radix). [`Class::KEPT`] (tag 0) is a byte kept as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Class {
    tag: u8,
    base: u8,
    radix: u8,
}

impl Class {
    const KEPT: Class = Class {
        tag: 0,
        base: 0,
        radix: 0,
    };
    const DIGIT: Class = Class {
        tag: b'd',
        base: b'0',
        radix: 10,
    };
    /// The first digit of a number, non-zero: 1..=9.
    const LEAD_DIGIT: Class = Class {
        tag: b'n',
        base: b'1',
        radix: 9,
    };
    const UPPER: Class = Class {
        tag: b'U',
        base: b'A',
        radix: 26,
    };
    const LOWER: Class = Class {
        tag: b'l',
        base: b'a',
        radix: 26,
    };
}

/// The class of every byte value in a text column, before the leading-digit
/// rule.
const TEXT_CLASSES: [Class; 256] = class_table(false);
/// The same in a numeric column: only digits change.
const NUMERIC_CLASSES: [Class; 256] = class_table(true);

const fn class_table(numeric: bool) -> [Class; 256] {
    let mut t = [Class::KEPT; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b'0'..=b'9' => Class::DIGIT,
            b'A'..=b'Z' if !numeric => Class::UPPER,
            b'a'..=b'z' if !numeric => Class::LOWER,
            _ => Class::KEPT,
        };
        b += 1;
    }
    t
}

/// The class of each byte of one value: the column's table, and the
/// leading-digit rule at the value's first digit.
struct Classes {
    table: &'static [Class; 256],
    /// The position of the value's first digit (`usize::MAX`: none).
    lead: usize,
}

impl Classes {
    fn new(numeric: bool, v: &[u8]) -> Classes {
        Classes {
            table: if numeric {
                &NUMERIC_CLASSES
            } else {
                &TEXT_CLASSES
            },
            lead: v.iter().position(u8::is_ascii_digit).unwrap_or(usize::MAX),
        }
    }

    /// The class of byte `b` at position `i`.
    #[inline(always)]
    fn at(&self, i: usize, b: u8) -> Class {
        if i == self.lead {
            // A leading zero stays: "0", "0.5", and the trunk prefix of
            // "06-4657-3286"; any other first digit stays non-zero.
            return if b == b'0' {
                Class::KEPT
            } else {
                Class::LEAD_DIGIT
            };
        }
        self.table[b as usize]
    }

    /// The class word of `v`'s bytes `8 * w_index..` (at most 8): the tag of
    /// byte `k` in bits `8k..8k + 8`, 0 for a byte kept as is. Calls `each`
    /// with every changeable byte and its class, in order.
    #[inline(always)]
    fn word(&self, w_index: usize, chunk: &[u8], mut each: impl FnMut(u8, Class)) -> u64 {
        let mut w = 0u64;
        for (k, &b) in chunk.iter().enumerate() {
            let c = self.at(8 * w_index + k, b);
            if c.tag != 0 {
                w |= (c.tag as u64) << (8 * k);
                each(b, c);
            }
        }
        w
    }
}

/// The most symbols in a half that packs into one word: halves this short
/// take [`FpeTransform::feistel_short`].
const SHORT_HALF: usize = 12;

/// What the rounds of every value of one format share, found once per value
/// (not once per round or per call): the tweak, and for each round key the
/// SipHash state with the round function's common prefix, (tweak, j),
/// absorbed, for the first two blocks of six symbols (j = 0 and 6; only
/// those the format's halves reach are filled).
#[derive(Clone, Copy)]
struct Prepared {
    tweak: u64,
    heads: [[SipState; 2]; ROUNDS],
}

/// One block of a round: add to (or, with `DECRYPT`, subtract from) each
/// symbol, modulo its radix, ten bits of the round function's output
/// `block` (the bias of 1024 mod 26 is under 1%); the new symbols are
/// packed onto `word`, which is returned.
#[inline(always)]
fn update_block<const DECRYPT: bool>(
    target: &mut [u8],
    radix: &[u8],
    mut block: u64,
    mut word: u64,
) -> u64 {
    for (t, &r) in target.iter_mut().zip(radix) {
        let f = reduce(block as u32 & 0x3ff, r);
        block >>= 10;
        let (v, r) = (*t as u32, r as u32);
        // v and f are both below r: one conditional step mod r.
        let s = if DECRYPT {
            if v >= f {
                v - f
            } else {
                v + r - f
            }
        } else if v + f >= r {
            v + f - r
        } else {
            v + f
        };
        *t = s as u8;
        word = word << 5 | s as u64;
    }
    word
}

/// A half of at most twelve symbols packed: 5 bits per symbol.
#[inline(always)]
fn pack_word(half: &[u8]) -> u64 {
    half.iter().fold(0u64, |w, &s| w << 5 | s as u64)
}

/// Pack `half` for the round function into `words`: 5 bits per symbol, 12
/// symbols per word, at most 8 words (see [`put_packed`]). Returns the
/// number of words.
#[inline(always)]
fn pack(half: &[u8], words: &mut [u64; 8]) -> usize {
    let mut n = 0;
    for (idx, chunk) in half.chunks(12).enumerate() {
        n = put_packed(words, idx, pack_word(chunk));
    }
    n
}

/// Put packed word `idx` (in order from 0) into `words`: stored while there
/// is room, folded into word `idx % 8` after that (very long halves).
/// Returns the number of words in use.
#[inline(always)]
fn put_packed(words: &mut [u64; 8], idx: usize, w: u64) -> usize {
    if idx < words.len() {
        words[idx] = w;
    } else {
        words[idx % words.len()] ^= w.rotate_left(idx as u32);
    }
    (idx + 1).min(words.len())
}

/// `ceil(2^16 / r)` for every radix `r` below 32 (0 for 0).
const RECIPROCAL: [u32; 32] = {
    let mut t = [0u32; 32];
    let mut r = 1;
    while r < 32 {
        t[r] = 65_536u32.div_ceil(r as u32);
        r += 1;
    }
    t
};

/// `x % r` for `x < 1024` and a radix `r` in `1..=26`, with a multiplication
/// by [`RECIPROCAL`] instead of a division: with `ceil(2^16 / r) = (2^16 +
/// e) / r` and `e < r`, the quotient is exact while `x * e < 2^16`, which
/// holds for `x < 1024, e < 26` (and is checked for all of them in a test).
#[inline(always)]
fn reduce(x: u32, r: u8) -> u32 {
    let r = r as u32;
    x - ((x * RECIPROCAL[r as usize & 31]) >> 16) * r
}

/// Values of at most this many symbols are enciphered on the stack.
const INLINE: usize = 64;

/// Class words in a short value's tweak input (values up to 48 bytes).
const SHORT_WORDS: usize = 6;

/// Formats whose prepared rounds each thread keeps.
const CACHE_SLOTS: usize = 8;

/// Where the next [`FpeTransform`] takes its id: 0 is no transform's.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A value format under one transform: everything [`Prepared`] depends on.
/// `words` are the class words of a value of at most `8 * SHORT_WORDS`
/// bytes, zero past its length.
#[derive(Clone, Copy, PartialEq, Eq)]
struct FormatKey {
    transform: u64,
    len: u64,
    words: [u64; SHORT_WORDS],
}

impl FormatKey {
    /// A hash of the key, compared before the key itself.
    #[inline(always)]
    fn fingerprint(&self) -> u64 {
        self.words
            .iter()
            .fold(self.transform ^ self.len << 32, |h, &w| {
                (h ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            })
    }
}

/// A thread's prepared rounds of the last [`CACHE_SLOTS`] formats met,
/// replaced in turn.
struct PreparedCache {
    fingerprints: [u64; CACHE_SLOTS],
    keys: [FormatKey; CACHE_SLOTS],
    prepared: [Prepared; CACHE_SLOTS],
    next: usize,
}

impl PreparedCache {
    /// No format: transform 0 is no transform's.
    const EMPTY: PreparedCache = PreparedCache {
        fingerprints: [0; CACHE_SLOTS],
        keys: [FormatKey {
            transform: 0,
            len: 0,
            words: [0; SHORT_WORDS],
        }; CACHE_SLOTS],
        prepared: [Prepared {
            tweak: 0,
            heads: [[SipState::EMPTY; 2]; ROUNDS],
        }; CACHE_SLOTS],
        next: 0,
    };

    /// The prepared rounds of `key`, made by `prepare` when they are not here.
    #[inline(always)]
    fn get(&mut self, key: &FormatKey, prepare: impl FnOnce() -> Prepared) -> &Prepared {
        let fingerprint = key.fingerprint();
        let found =
            (0..CACHE_SLOTS).find(|&i| self.fingerprints[i] == fingerprint && self.keys[i] == *key);
        let i = match found {
            Some(i) => i,
            None => {
                let i = self.next;
                self.next = (i + 1) % CACHE_SLOTS;
                self.prepared[i] = prepare();
                self.keys[i] = *key;
                self.fingerprints[i] = fingerprint;
                i
            }
        };
        &self.prepared[i]
    }
}

thread_local! {
    /// Per thread, the prepared rounds of the value formats met last: a
    /// column of phone numbers or amounts has a few formats, so most values
    /// skip the tweak and the round keys' set-up. An entry is keyed by the
    /// transform's id (unique per construction, shared by its clones, which
    /// have the same keys) and the value's whole tweak input, so it is only
    /// ever used for values whose rounds it is.
    static PREPARED: RefCell<PreparedCache> = const { RefCell::new(PreparedCache::EMPTY) };

    /// Per thread, the symbols and radixes of values longer than [`INLINE`].
    static LONG_SYMBOLS: RefCell<(Vec<u8>, Vec<u8>)> =
        const { RefCell::new((Vec::new(), Vec::new())) };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Text,
    Numeric,
    Integer { min: i128, max: i128 },
}

/// The `fpe` transform bound to one column.
pub struct FpeTransform {
    /// Unique to this transform and its clones (see [`FormatKey`]).
    id: u64,
    rounds: [SipKey; ROUNDS],
    tweak_key: SipKey,
    mode: Mode,
    folding: Folding,
    /// Values masked so far whose domain was below [`MIN_FPE_DOMAIN`].
    small_domain: AtomicU64,
}

impl Clone for FpeTransform {
    /// A copy with the same key and column; its count of small-domain values
    /// starts from this one's current count.
    fn clone(&self) -> Self {
        FpeTransform {
            id: self.id,
            rounds: self.rounds,
            tweak_key: self.tweak_key,
            mode: self.mode,
            folding: self.folding.clone(),
            small_domain: AtomicU64::new(self.small_domain.load(Ordering::Relaxed)),
        }
    }
}

impl std::fmt::Debug for FpeTransform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FpeTransform")
            .field("mode", &self.mode)
            .field("folding", &self.folding)
            .finish_non_exhaustive()
    }
}

thread_local! {
    /// Per-thread buffers for folded values and their encipherment: no
    /// allocation per value.
    static SCRATCH: std::cell::RefCell<(Vec<u8>, Vec<u8>)> = const {
        std::cell::RefCell::new((Vec::new(), Vec::new()))
    };
}

/// The largest per-value domain a column of type `ty` can hold under `fpe`
/// (26 per letter, 10 per digit, 9 for a first digit), with its SQL name,
/// when that is below [`MIN_FPE_DOMAIN`].
fn tiny_domain(ty: &ColumnType) -> Option<(String, u64)> {
    let digits = |n: u32| 9 * 10u64.pow(n.saturating_sub(1));
    let (name, max) = match ty {
        ColumnType::Char { max_chars, fixed } => (
            format!("{}({max_chars})", if *fixed { "CHAR" } else { "VARCHAR" }),
            26u64.saturating_pow(*max_chars),
        ),
        ColumnType::Binary { max_bytes, fixed } => (
            format!(
                "{}({max_bytes})",
                if *fixed { "BINARY" } else { "VARBINARY" }
            ),
            26u64.saturating_pow(*max_bytes),
        ),
        ColumnType::Integer { bytes, unsigned } => {
            let (min, max) = fit::int_range(*bytes, *unsigned);
            let widest = (-min).max(max).to_string().len() as u32;
            let name = match bytes {
                1 => "TINYINT",
                2 => "SMALLINT",
                3 => "MEDIUMINT",
                4 => "INT",
                _ => "BIGINT",
            };
            (name.to_owned(), digits(widest))
        }
        ColumnType::Decimal { precision, scale } => (
            format!("DECIMAL({precision},{scale})"),
            digits((*precision).min(20)),
        ),
        _ => return None,
    };
    (max < MIN_FPE_DOMAIN).then_some((name, max))
}

impl FpeTransform {
    /// Bind `fpe` to `column`. Refuses types whose values would stop being
    /// valid after changing digits or letters (dates, ENUM/SET, JSON, BIT),
    /// and types whose values can never have a domain of
    /// [`MIN_FPE_DOMAIN`] values (CHAR(4), SMALLINT, ...).
    pub fn new(key: &Key, column: &Column) -> Result<FpeTransform, String> {
        if let Some((name, max)) = tiny_domain(&column.ty) {
            return Err(format!(
                "fpe on a {name} column: at most {} possible values per value, below the \
                 {} that format-preserving encryption needs (NIST SP 800-38G), so a few \
                 known pairs would reveal the rest; use hash",
                thousands(max),
                thousands(MIN_FPE_DOMAIN)
            ));
        }
        let mode = match &column.ty {
            ColumnType::Char { .. }
            | ColumnType::Text { .. }
            | ColumnType::Binary { .. }
            | ColumnType::Blob { .. } => Mode::Text,
            ColumnType::Decimal { .. } | ColumnType::Float => Mode::Numeric,
            ColumnType::Integer { bytes, unsigned } => {
                let (min, max) = fit::int_range(*bytes, *unsigned);
                Mode::Integer { min, max }
            }
            ColumnType::Enum { .. } | ColumnType::Set { .. } => {
                return Err("fpe cannot mask an ENUM/SET column (use hash to pick a member)".into())
            }
            ColumnType::Json => return Err("fpe cannot mask a JSON column".into()),
            ColumnType::Bit { .. } => return Err("fpe cannot mask a BIT column".into()),
            ColumnType::Other { name } => {
                return Err(format!("fpe cannot mask a column of type {name}"))
            }
            _ => {
                return Err(
                    "fpe cannot mask a date/time column (use fake with kind = \"date\")".into(),
                )
            }
        };
        Ok(FpeTransform::with_mode(key, mode))
    }

    fn with_mode(key: &Key, mode: Mode) -> FpeTransform {
        let rounds =
            std::array::from_fn(|i| SipKey::from_bytes(&key.derive_bytes(&[b"fpe", &[i as u8]])));
        let tweak_key = SipKey::from_bytes(&key.derive_bytes(&[b"fpe", b"tweak"]));
        FpeTransform {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            rounds,
            tweak_key,
            mode,
            folding: Folding::exact(),
            small_domain: AtomicU64::new(0),
        }
    }

    /// Encipher text values folded as the column's collation says, so values
    /// equal under it give outputs equal under it (see the module docs).
    /// Numeric columns ignore it.
    pub fn with_folding(mut self, folding: Folding) -> FpeTransform {
        if self.mode == Mode::Text {
            self.folding = folding;
        }
        self
    }

    /// The tweak: a keyed hash of the value's format, its length `len` and
    /// its class words (the class tag of each byte position, 0 for a byte
    /// kept as is, eight positions to a word: [`Classes::word`]). One SipHash
    /// call over the words, 0 and the length for values up to 40 bytes;
    /// longer ones are chained six words at a time (the 0 becomes the hash of
    /// the previous six), so each format gets its own permutation.
    #[inline]
    fn tweak(&self, len: usize, words: impl Iterator<Item = u64>) -> u64 {
        const CHAIN: usize = 6;
        let key = &self.tweak_key;
        let mut acc = 0u64;
        let mut state = key.start();
        let mut full = 0;
        for w in words {
            state = state.absorb(w);
            full += 1;
            if full == CHAIN {
                acc = state.absorb(acc).finish();
                state = key.start();
                full = 0;
            }
        }
        state.absorb(acc).absorb(len as u64).finish()
    }

    /// What every value of one format shares (see [`Prepared`]).
    fn prepare(&self, tweak: u64, symbols: usize) -> Prepared {
        let blocks = symbols.div_ceil(2).div_ceil(6).min(2);
        let mut heads = [[SipState::EMPTY; 2]; ROUNDS];
        if symbols > 1 {
            for (key, head) in self.rounds.iter().zip(&mut heads) {
                let after_tweak = key.start().absorb(tweak);
                for (c, state) in head.iter_mut().enumerate().take(blocks) {
                    *state = after_tweak.absorb(6 * c as u64);
                }
            }
        }
        Prepared { tweak, heads }
    }

    /// Encipher (or, with `DECRYPT`, decipher) the symbols in place.
    fn permute<const DECRYPT: bool>(&self, sym: &mut [u8], radix: &[u8], p: &Prepared) {
        match sym.len() {
            0 => {}
            1 => self.shuffle::<DECRYPT>(&mut sym[0], radix[0], p.tweak),
            n if n <= 2 * SHORT_HALF => self.feistel_short::<DECRYPT>(sym, radix, p),
            _ => self.feistel_long::<DECRYPT>(sym, radix, p),
        }
    }

    /// A single symbol: a keyed shuffle of its alphabet (Fisher-Yates
    /// driven by SipHash).
    fn shuffle<const DECRYPT: bool>(&self, sym: &mut u8, radix: u8, tweak: u64) {
        let r = radix as usize;
        let mut perm: [u8; 26] = std::array::from_fn(|i| i as u8);
        let mut x = self.rounds[0].hash_words(&[tweak, u64::MAX]);
        for i in (1..r).rev() {
            let j = (x % (i as u64 + 1)) as usize;
            x = x.rotate_left(7).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (i as u64);
            perm.swap(i, j);
        }
        *sym = if DECRYPT {
            perm[..r].iter().position(|&p| p == *sym).expect("in range") as u8
        } else {
            perm[*sym as usize]
        };
    }

    /// The Feistel network for halves of at most [`SHORT_HALF`] symbols
    /// (phone numbers, codes, most numbers): each half packs into one word,
    /// kept in a register, and a round is at most two SipHash calls, both
    /// continued from a prepared state. The same network as
    /// [`FpeTransform::feistel_long`], which the tests check.
    #[inline(always)]
    fn feistel_short<const DECRYPT: bool>(&self, sym: &mut [u8], radix: &[u8], p: &Prepared) {
        let h = sym.len() / 2;
        let (left, right) = sym.split_at_mut(h);
        let (left_radix, right_radix) = radix.split_at(h);
        let mut packed = [pack_word(left), pack_word(right)];
        for k in 0..ROUNDS {
            let round = if DECRYPT { ROUNDS - 1 - k } else { k };
            // Even rounds change the left half from the right, odd rounds the reverse.
            let side = round % 2;
            let (target, target_radix) = if side == 0 {
                (&mut *left, left_radix)
            } else {
                (&mut *right, right_radix)
            };
            let source = packed[1 - side];
            let [first, second] = &p.heads[round];
            // Symbols 0..6 from the first call, 6..12 from the second.
            let split = target.len().min(6);
            let (t0, t1) = target.split_at_mut(split);
            let (r0, r1) = target_radix.split_at(split);
            let mut word = update_block::<DECRYPT>(t0, r0, first.absorb(source).finish(), 0);
            if !t1.is_empty() {
                word = update_block::<DECRYPT>(t1, r1, second.absorb(source).finish(), word);
            }
            packed[side] = word;
        }
    }

    /// The Feistel network for any length: halves packed into up to eight
    /// words (see [`put_packed`]), a SipHash call per six symbols.
    fn feistel_long<const DECRYPT: bool>(&self, sym: &mut [u8], radix: &[u8], p: &Prepared) {
        let h = sym.len() / 2;
        let (left, right) = sym.split_at_mut(h);
        let (left_radix, right_radix) = radix.split_at(h);
        let mut packed = [[0u64; 8]; 2];
        let mut words = [pack(left, &mut packed[0]), pack(right, &mut packed[1])];
        for k in 0..ROUNDS {
            let round = if DECRYPT { ROUNDS - 1 - k } else { k };
            let side = round % 2;
            let (target, target_radix) = if side == 0 {
                (&mut *left, left_radix)
            } else {
                (&mut *right, right_radix)
            };
            let source = packed[1 - side];
            let source = &source[..words[1 - side]];
            let chunks = target.len().div_ceil(6);
            let mut word = 0u64;
            for (c, (ts, rs)) in target.chunks_mut(6).zip(target_radix.chunks(6)).enumerate() {
                let head = match p.heads[round].get(c) {
                    Some(head) => *head,
                    None => self.rounds[round]
                        .start()
                        .absorb(p.tweak)
                        .absorb(6 * c as u64),
                };
                let block = source.iter().fold(head, |s, &w| s.absorb(w)).finish();
                word = update_block::<DECRYPT>(ts, rs, block, word);
                // Two calls' symbols make one packed word of twelve.
                if c % 2 == 1 || c + 1 == chunks {
                    words[side] = put_packed(&mut packed[side], c / 2, word);
                    word = 0;
                }
            }
        }
    }

    /// Encipher (or, with `DECRYPT`, decipher) `v` exactly as given,
    /// appending the result to `out`. Returns the value's domain (the product
    /// of the radixes of its enciphered characters, saturating), `None` when
    /// nothing was enciphered.
    fn run<const DECRYPT: bool>(
        &self,
        v: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<Option<u64>, MaskError> {
        let range = match self.mode {
            Mode::Integer { min, max } => {
                let neg = v.first() == Some(&b'-');
                let digits = if neg { &v[1..] } else { v };
                if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) || digits.len() > 30
                {
                    return Err(MaskError(
                        "fpe: integer column value is not an integer".into(),
                    ));
                }
                Some(if neg { (-min) as u128 } else { max as u128 })
            }
            _ => None,
        };
        let start = out.len();
        out.extend_from_slice(v);
        let out = &mut out[start..];
        // The symbols and their radixes (at most one per byte): on the stack
        // for ordinary values, in a per-thread buffer for longer ones, so
        // nothing is allocated per value.
        if v.len() <= INLINE {
            let (mut sym, mut radix) = ([0u8; INLINE], [0u8; INLINE]);
            self.encipher::<DECRYPT>(v, out, range, &mut sym, &mut radix)
        } else {
            LONG_SYMBOLS.with_borrow_mut(|(sym, radix)| {
                sym.resize(v.len(), 0);
                radix.resize(v.len(), 0);
                self.encipher::<DECRYPT>(v, out, range, sym, radix)
            })
        }
    }

    /// [`FpeTransform::run`] once `out` holds a copy of `v`: enciphers its
    /// changeable bytes in place, with `sym` and `radix` (at least as long
    /// as `v`) for the symbols.
    #[inline(always)]
    fn encipher<const DECRYPT: bool>(
        &self,
        v: &[u8],
        out: &mut [u8],
        range: Option<u128>,
        sym: &mut [u8],
        radix: &mut [u8],
    ) -> Result<Option<u64>, MaskError> {
        // One pass finds the symbols and keeps the class words of a value
        // short enough for them to be its whole tweak input.
        let numeric = self.mode != Mode::Text;
        let mut words = [0u64; SHORT_WORDS];
        let classes = Classes::new(numeric, v);
        let mut m = 0;
        for (w_index, chunk) in v.chunks(8).enumerate() {
            let w = classes.word(w_index, chunk, |b, c| {
                sym[m] = b - c.base;
                radix[m] = c.radix;
                m += 1;
            });
            if let Some(slot) = words.get_mut(w_index) {
                *slot = w;
            }
        }
        if m == 0 {
            return Ok(None);
        }
        let (sym, radix) = (&mut sym[..m], &radix[..m]);
        // An integer's digits: a first digit (radix 9) is stored minus one.
        let magnitude = |sym: &[u8]| {
            sym.iter()
                .zip(radix)
                .fold(0u128, |m, (&s, &r)| m * 10 + (s + 10 - r) as u128)
        };
        if let Some(limit) = range {
            if magnitude(sym) > limit {
                return Err(MaskError(
                    "fpe: integer value outside its column's range".into(),
                ));
            }
        }
        // Encipher, and for an integer column walk the cycle until the
        // result is in the type's range.
        let mut walk = |p: &Prepared| {
            let mut walks = 0;
            loop {
                self.permute::<DECRYPT>(sym, radix, p);
                match range {
                    Some(limit) if magnitude(sym) > limit => {
                        walks += 1;
                        if walks > 100_000 {
                            return Err(MaskError("fpe: no in-range value found".into()));
                        }
                    }
                    _ => return Ok(()),
                }
            }
        };
        if v.len() <= 8 * SHORT_WORDS {
            self.with_prepared(v.len(), &words, m, walk)?;
        } else {
            // Rare: the class words again, from a second walk over the value.
            let words = v
                .chunks(8)
                .enumerate()
                .map(|(w_index, chunk)| classes.word(w_index, chunk, |_, _| {}));
            walk(&self.prepare(self.tweak(v.len(), words), m))?;
        }
        // Write the symbols back into the changeable positions.
        let mut k = 0;
        for (i, (o, &b)) in out.iter_mut().zip(v).enumerate() {
            let c = classes.at(i, b);
            if c.tag != 0 {
                *o = sym[k] + c.base;
                k += 1;
            }
        }
        let domain = radix.iter().fold(1u64, |d, &r| d.saturating_mul(r as u64));
        Ok(Some(domain))
    }

    /// Call `f` with the prepared rounds of the format `(len, words)` (a
    /// value of at most `8 * SHORT_WORDS` bytes, with `symbols` symbols):
    /// from this thread's cache, or prepared and cached.
    #[inline(always)]
    fn with_prepared<R>(
        &self,
        len: usize,
        words: &[u64; SHORT_WORDS],
        symbols: usize,
        f: impl FnOnce(&Prepared) -> R,
    ) -> R {
        let key = FormatKey {
            transform: self.id,
            len: len as u64,
            words: *words,
        };
        PREPARED.with_borrow_mut(|cache| {
            f(cache.get(&key, || {
                let tweak = self.tweak(len, words[..len.div_ceil(8)].iter().copied());
                self.prepare(tweak, symbols)
            }))
        })
    }

    /// Encipher `v` folded as the column's collation says: the folded value
    /// is enciphered, then each output character takes back the case of the
    /// input character in its position, and the trailing spaces are restored.
    fn run_folded(&self, v: &[u8], out: &mut Vec<u8>) -> Result<Option<u64>, MaskError> {
        let body = self.folding.trim(v);
        let pad = &v[body.len()..];
        if !self.folding.case_changes(body) {
            let domain = self.run::<false>(body, out)?;
            out.extend_from_slice(pad);
            return Ok(domain);
        }
        SCRATCH
            .with_borrow_mut(|(folded, enc)| {
                folded.clear();
                enc.clear();
                self.recased(body, folded, enc, out)
            })
            .inspect(|_| out.extend_from_slice(pad))
    }

    /// Fold `body` into `folded`, encipher it into `enc`, and append to `out`
    /// the enciphered value with `body`'s letter case.
    fn recased(
        &self,
        body: &[u8],
        folded: &mut Vec<u8>,
        enc: &mut Vec<u8>,
        out: &mut Vec<u8>,
    ) -> Result<Option<u64>, MaskError> {
        self.folding.fold_into(body, folded);
        let domain = self.run::<false>(folded, enc)?;
        // Walk the input's characters and their folds (one character each)
        // along the enciphered folded value.
        let mut pos = 0;
        for_each_unit(body, |unit, ch| {
            let Some((c, f)) = ch else {
                out.extend_from_slice(unit);
                pos += unit.len();
                return;
            };
            let e = &enc[pos..pos + f.len_utf8()];
            pos += f.len_utf8();
            match e {
                [b] if b.is_ascii_alphanumeric() && c.is_uppercase() => {
                    out.push(b.to_ascii_uppercase())
                }
                [b] if b.is_ascii_alphanumeric() => out.push(*b),
                _ => out.extend_from_slice(unit),
            }
        });
        Ok(domain)
    }

    /// The cipher on one value, letters and digits outside ASCII kept as
    /// they are ([`Transform::apply`] refuses such values first; the tests
    /// check the cipher on every byte string).
    fn mask_value(&self, v: &[u8], out: &mut Vec<u8>) -> Result<Cell, MaskError> {
        let domain = if self.folding.is_exact() {
            self.run::<false>(v, out)?
        } else {
            self.run_folded(v, out)?
        };
        if domain.is_some_and(|d| d < MIN_FPE_DOMAIN) {
            self.small_domain.fetch_add(1, Ordering::Relaxed);
        }
        Ok(Cell::Value)
    }

    #[cfg(test)]
    fn decrypt(&self, v: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        self.run::<true>(v, &mut out).unwrap();
        out
    }
}

impl Transform for FpeTransform {
    fn apply(&self, input: Option<&[u8]>, out: &mut Vec<u8>) -> Result<Cell, MaskError> {
        let Some(v) = input else {
            return Ok(Cell::Null);
        };
        if super::holds_other_script(v) {
            return Err(MaskError(OTHER_SCRIPT.into()));
        }
        self.mask_value(v, out)
    }

    fn describe(&self) -> String {
        format!("fpe{}", self.folding.describe())
    }

    fn small_domain_values(&self) -> u64 {
        self.small_domain.load(Ordering::Relaxed)
    }
}

/// `n` with thousands separators (`1,000,000`), for messages.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut s = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            s.push(',');
        }
        s.push(ch);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn fpe(key: &[u8], mode: Mode) -> FpeTransform {
        FpeTransform::with_mode(&Key::new(key).unwrap(), mode)
    }

    fn enc(t: &FpeTransform, v: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        t.mask_value(v, &mut out).unwrap();
        out
    }

    /// QA finding: `fpe` kept letters and digits outside ASCII, so a
    /// Japanese name or address, or a phone number in full-width digits,
    /// passed (nearly) unchanged. Such values are refused, without the value
    /// in the message; symbols outside ASCII are kept like punctuation.
    #[test]
    fn values_with_letters_or_digits_outside_ascii_are_refused() {
        let t = fpe(b"k", Mode::Text);
        for v in [
            "山田 太郎",
            "やまだ",
            "０９０－１２３４－５６７８",
            "José",
            "東京都1-2-3",
        ] {
            let mut out = Vec::new();
            let err = t.apply(Some(v.as_bytes()), &mut out).unwrap_err();
            assert!(err.0.contains("outside ASCII"), "{v}: {}", err.0);
            assert!(!err.0.contains(v));
        }
        // Symbols and punctuation outside ASCII are no letters: kept, the
        // digits enciphered.
        let mut out = Vec::new();
        t.apply(Some("〒123-4567".as_bytes()), &mut out).unwrap();
        assert!(out.starts_with("〒".as_bytes()) && out != "〒123-4567".as_bytes());
        assert_ne!(enc(&t, b"090-1234-5678"), b"090-1234-5678");
    }

    fn all_strings(alphabet: &[u8], len: usize) -> Vec<Vec<u8>> {
        let mut acc = vec![Vec::new()];
        for _ in 0..len {
            acc = acc
                .into_iter()
                .flat_map(|p| alphabet.iter().map(move |&c| [p.clone(), vec![c]].concat()))
                .collect();
        }
        acc
    }

    /// Outputs under HMAC-SHA256 as the code before issue 9 gave them (the
    /// round function moved to the `siphasher` crate and the tweak to a
    /// precomputed class list): `prf = "hmac-sha256"` keeps earlier fpe
    /// pseudonyms. Values up to 62 bytes, so the chained tweak is covered.
    #[test]
    fn hmac_outputs_unchanged_since_before_issue_9() {
        let k = Key::with_prf(
            b"kat-key-0123456789abcdef",
            crate::transform::Prf::HmacSha256,
        )
        .unwrap();
        let col = Column::new(
            "c",
            ColumnType::Char {
                max_chars: 32,
                fixed: false,
            },
        );
        let t = FpeTransform::new(&k, &col).unwrap();
        for (v, want) in [
            ("090-1234-5678", "090-9252-9725"),
            ("Tanaka Taro 42", "Obaisa Acmv 14"),
            ("06-4657-3286", "06-5322-3929"),
            ("a", "f"),
            ("x@Y.jp 0", "j@K.qr 0"),
            (
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                "ODKGHIRBVUZUWRIBNLDHGKQBCKycrgsylpzsumcgkgpraaqxhqyz0732008481",
            ),
        ] {
            assert_eq!(String::from_utf8(enc(&t, v.as_bytes())).unwrap(), want);
        }
        // Under BLAKE3 (the default) the round keys, so the outputs, differ.
        let b = FpeTransform::new(&Key::new(b"kat-key-0123456789abcdef").unwrap(), &col).unwrap();
        assert_ne!(enc(&b, b"090-1234-5678"), b"090-9252-9725");
    }

    /// Values of every shape `fpe` treats differently: phone numbers in the
    /// benchmark dump's formats, names and emails, single symbols, values
    /// whose tweak is chained (over 48 bytes) and whose halves need several
    /// packed words (over 12 symbols) or fold words in (over 96), numbers,
    /// and mixed-case text for the folded path. Deterministic in `seed`.
    fn shaped_values(seed: u64, n: usize) -> Vec<Vec<u8>> {
        // SplitMix64, written out so the values never depend on a crate's version.
        let mut state = seed;
        let mut below = |n: usize| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) % n as u64) as usize
        };
        let alnum = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        (0..n)
            .map(|i| {
                let d4 = below(10_000);
                let d4b = below(10_000);
                match i % 12 {
                    0 => format!("090-{d4:04}-{d4b:04}").into_bytes(),
                    1 => format!("03-{d4:04}-{d4b:04}").into_bytes(),
                    2 => format!("+81 70 {d4:04} {d4b:04}").into_bytes(),
                    3 => format!("({:03}) {d4:03}-{d4b:04}", d4b % 1000).into_bytes(),
                    4 => format!("User{d4}@Example.co.jp").into_bytes(),
                    5 => "Tanaka 田中 Été Taro".as_bytes().to_vec(),
                    6 => vec![alnum[below(alnum.len())]],
                    7 => format!("{}.{:02}", d4 * 7, d4b % 100).into_bytes(),
                    8 => format!("-{d4}{d4b}").into_bytes(),
                    _ => {
                        let len = 2 + below(298);
                        (0..len)
                            .map(|_| match below(8) {
                                0 => b'-',
                                1 => b' ',
                                _ => alnum[below(alnum.len())],
                            })
                            .collect()
                    }
                }
            })
            .collect()
    }

    /// Issue 9 (speed) must not change a pseudonym: a digest of the outputs
    /// of [`shaped_values`] under BLAKE3 (the default PRF) in every mode,
    /// with and without folding, recorded before the round function was
    /// rewritten. Every output must also decrypt back to its input.
    #[test]
    fn blake3_outputs_unchanged_by_issue_9_speed_work() {
        let key = Key::new(b"kat-key-0123456789abcdef").unwrap();
        let (min, max) = fit::int_range(8, false);
        let modes = [
            ("text", FpeTransform::with_mode(&key, Mode::Text)),
            ("numeric", FpeTransform::with_mode(&key, Mode::Numeric)),
            (
                "integer",
                FpeTransform::with_mode(&key, Mode::Integer { min, max }),
            ),
            (
                "text_ci",
                FpeTransform::with_mode(&key, Mode::Text).with_folding(ci()),
            ),
        ];
        let values = shaped_values(9, 3000);
        let mut digests = Vec::new();
        for (name, t) in &modes {
            let mut h = blake3::Hasher::new();
            for v in &values {
                let mut out = Vec::new();
                match t.mask_value(v, &mut out) {
                    Ok(_) => {
                        if t.folding.is_exact() {
                            assert_eq!(t.decrypt(&out), *v, "{name}");
                        }
                        h.update(&(out.len() as u64).to_le_bytes());
                        h.update(&out);
                    }
                    Err(_) => {
                        h.update(b"error");
                    }
                }
            }
            digests.push(format!("{name} {}", &h.finalize().to_hex()[..32]));
        }
        assert_eq!(
            digests,
            [
                "text ac3b9e00723fce87edd1813cf09e9bd6",
                "numeric cfd9c11eb57c5cde9b733c3139408f06",
                "integer 99a3fe52067fe9593eac81724df2f9c2",
                "text_ci d84074ebaf06b549843310a0b14a45cb"
            ]
        );
        let text = FpeTransform::with_mode(&key, Mode::Text);
        let pairs: Vec<String> = [
            "090-1234-5678",
            "+81 70 1234 5678",
            "Tanaka Taro",
            "user.name+tag@example.co.jp",
            "Q",
        ]
        .iter()
        .map(|v| String::from_utf8(enc(&text, v.as_bytes())).unwrap())
        .collect();
        assert_eq!(
            pairs,
            [
                "001-5397-4993",
                "+99 85 5038 8157",
                "Hyjkfu Orty",
                "lowl.luia+nqz@qymmfgn.sk.xa",
                "F"
            ]
        );
    }

    #[test]
    fn reduce_is_the_remainder() {
        for r in 1..=26u8 {
            for x in 0..1024u32 {
                assert_eq!(reduce(x, r), x % r as u32, "{x} % {r}");
            }
        }
    }

    /// The one-word network for short halves is the general one: random
    /// symbols of every radix, every length up to two short halves, both
    /// directions.
    #[test]
    fn short_and_long_networks_agree() {
        let t = fpe(b"key", Mode::Text);
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state >> 33
        };
        for n in 2..=2 * SHORT_HALF {
            for _ in 0..40 {
                let radix: Vec<u8> = (0..n).map(|_| [9, 10, 26][next() as usize % 3]).collect();
                let sym: Vec<u8> = radix.iter().map(|&r| (next() % r as u64) as u8).collect();
                let p = t.prepare(next() << 20 ^ next(), n);
                let mut short = sym.clone();
                t.feistel_short::<false>(&mut short, &radix, &p);
                let mut long = sym.clone();
                t.feistel_long::<false>(&mut long, &radix, &p);
                assert_eq!(short, long, "{n} symbols");
                t.feistel_short::<true>(&mut short, &radix, &p);
                t.feistel_long::<true>(&mut long, &radix, &p);
                assert_eq!(short, sym);
                assert_eq!(long, sym);
            }
        }
    }

    #[test]
    fn bijective_on_small_domains() {
        let t = fpe(b"key", Mode::Text);
        let digits: Vec<u8> = (b'0'..=b'9').collect();
        let lower: Vec<u8> = (b'a'..=b'z').collect();
        for (alpha, len) in [
            (&digits, 1),
            (&digits, 2),
            (&digits, 3),
            (&lower, 1),
            (&lower, 2),
        ] {
            let inputs = all_strings(alpha, len);
            let outs: HashSet<Vec<u8>> = inputs
                .iter()
                .map(|v| {
                    let o = enc(&t, v);
                    assert_eq!(o.len(), v.len());
                    assert!(o.iter().all(|b| alpha.contains(b)));
                    assert_eq!(t.decrypt(&o), *v);
                    o
                })
                .collect();
            assert_eq!(outs.len(), inputs.len(), "collision for len {len}");
        }
        // Mixed: "A1" shapes.
        let mut seen = HashSet::new();
        for a in b'A'..=b'Z' {
            for d in b'0'..=b'9' {
                let o = enc(&t, &[a, b'-', d]);
                assert!(o[0].is_ascii_uppercase() && o[1] == b'-' && o[2].is_ascii_digit());
                assert!(seen.insert(o));
            }
        }
    }

    #[test]
    fn shape_kept_and_deterministic() {
        let t = fpe(b"key", Mode::Text);
        let v = "090-1234-5678 Tanaka様 x@Y.jp".as_bytes();
        let o = enc(&t, v);
        assert_eq!(o, enc(&fpe(b"key", Mode::Text), v));
        assert_ne!(o, enc(&fpe(b"other", Mode::Text), v));
        assert_ne!(o, v);
        assert_eq!(o.len(), v.len());
        for (a, b) in v.iter().zip(&o) {
            assert_eq!(a.is_ascii_digit(), b.is_ascii_digit());
            assert_eq!(a.is_ascii_uppercase(), b.is_ascii_uppercase());
            assert_eq!(a.is_ascii_lowercase(), b.is_ascii_lowercase());
            if !a.is_ascii_alphanumeric() {
                assert_eq!(a, b);
            }
        }
        let mut out = Vec::new();
        assert_eq!(t.apply(None, &mut out).unwrap(), Cell::Null);
    }

    #[test]
    fn integers_stay_in_range_and_distinct() {
        let (min, max) = fit::int_range(1, false);
        let t = fpe(b"key", Mode::Integer { min, max });
        let mut seen = HashSet::new();
        for n in -128i32..=127 {
            let o = enc(&t, n.to_string().as_bytes());
            let m: i32 = std::str::from_utf8(&o).unwrap().parse().unwrap();
            assert!((-128..=127).contains(&m), "{n} -> {m}");
            assert_eq!(m.to_string().len(), n.to_string().len());
            assert!(seen.insert(m));
        }
        assert!(t.apply(Some(b"1000"), &mut Vec::new()).is_err());
        assert!(t.apply(Some(b"abc"), &mut Vec::new()).is_err());
    }

    fn ci() -> Folding {
        Folding::for_collation("utf8mb4_general_ci")
    }

    #[test]
    fn leading_zero_of_phone_numbers_is_kept() {
        // Regression (issue 11): `06-4657-3286` became `86-7007-2728`, which
        // no real Japanese number looks like.
        let t = fpe(b"key", Mode::Text);
        let o = enc(&t, b"06-4657-3286");
        assert!(o.starts_with(b"0") && o != b"06-4657-3286", "{o:?}");
        assert_eq!(t.decrypt(&o), b"06-4657-3286");
        for i in 0..300u32 {
            let zero = format!(
                "0{:02}-{:04}-{:04}",
                i % 100,
                i * 7 % 10_000,
                i * 13 % 10_000
            );
            assert_eq!(enc(&t, zero.as_bytes())[0], b'0', "{zero}");
            // A non-zero first digit stays non-zero, so the two sets of
            // values are each permuted among themselves.
            let other = format!("{}{}", 1 + i % 9, &zero[1..]);
            assert_ne!(enc(&t, other.as_bytes())[0], b'0', "{other}");
        }
        // Letters before the first digit do not change the rule.
        assert_eq!(enc(&t, b"tel 0312345678")[4], b'0');
    }

    #[test]
    fn tiny_domains_refused_at_bind() {
        let k = Key::new(b"key").unwrap();
        let col = |ty| Column::new("c", ty);
        let vchar = |n| ColumnType::Char {
            max_chars: n,
            fixed: false,
        };
        let int = |bytes| ColumnType::Integer {
            bytes,
            unsigned: false,
        };
        let dec = |precision| ColumnType::Decimal {
            precision,
            scale: 2,
        };
        for ty in [
            vchar(2),
            vchar(4),
            ColumnType::Char {
                max_chars: 1,
                fixed: true,
            },
            ColumnType::Binary {
                max_bytes: 3,
                fixed: true,
            },
            int(1),
            int(2),
            dec(6),
        ] {
            let e = FpeTransform::new(&k, &col(ty.clone())).unwrap_err();
            assert!(
                e.contains("1,000,000") && e.contains("use hash"),
                "{ty:?}: {e}"
            );
        }
        let e = FpeTransform::new(&k, &col(vchar(2))).unwrap_err();
        assert!(
            e.starts_with("fpe on a VARCHAR(2) column: at most 676 "),
            "{e}"
        );
        let e = FpeTransform::new(&k, &col(int(2))).unwrap_err();
        assert!(e.contains("SMALLINT") && e.contains("90,000"), "{e}");
        let e = FpeTransform::new(&k, &col(ColumnType::Enum { members: vec![] })).unwrap_err();
        assert!(e.contains("use hash"), "{e}");
        for ty in [
            vchar(5),
            int(3),
            dec(7),
            ColumnType::Float,
            ColumnType::Text { max_bytes: 255 },
        ] {
            assert!(FpeTransform::new(&k, &col(ty.clone())).is_ok(), "{ty:?}");
        }
    }

    #[test]
    fn small_domain_values_are_counted() {
        let t = fpe(b"key", Mode::Text);
        assert_eq!(t.small_domain_values(), 0);
        enc(&t, b"AB"); // 26^2
        enc(&t, b"ab12"); // 26^2 * 9 * 10
        enc(&t, b"090-1234-5678"); // 10^10
        enc(&t, b"abcde"); // 26^5
        enc(&t, b"--"); // nothing enciphered: not counted
        enc(&t, b"0"); // a lone leading zero stays: not counted
        t.apply(None, &mut Vec::new()).unwrap();
        assert_eq!(t.small_domain_values(), 2);
        // Shared across threads, and folded values count too.
        let t = std::sync::Arc::new(fpe(b"key", Mode::Text).with_folding(ci()));
        std::thread::scope(|s| {
            for _ in 0..2 {
                let t = t.clone();
                s.spawn(move || {
                    for _ in 0..100 {
                        enc(&t, b"Ab ");
                    }
                });
            }
        });
        assert_eq!(t.small_domain_values(), 200);
        assert_eq!(t.as_ref().clone().small_domain_values(), 200);
    }

    #[test]
    fn folded_outputs_differ_only_in_case_and_stay_distinct() {
        let t = fpe(b"key", Mode::Text).with_folding(ci());
        assert!(t
            .describe()
            .starts_with("fpe (folded: case-insensitive, pad space"));
        let a = enc(&t, b"User@Gmail.com");
        let b = enc(&t, b"user@gmail.COM  ");
        assert_eq!(
            a.to_ascii_lowercase(),
            b.trim_ascii_end().to_ascii_lowercase()
        );
        assert!(
            a[0].is_ascii_uppercase() && a[5].is_ascii_uppercase(),
            "{a:?}"
        );
        assert!(b.ends_with(b"  ") && b[11].is_ascii_uppercase(), "{b:?}");
        // Already folded: the same as without folding.
        assert_eq!(
            enc(&t, b"user@gmail.com"),
            enc(&fpe(b"key", Mode::Text), b"user@gmail.com")
        );
        // Every case pattern of every short string over a small alphabet: a
        // bijection still.
        let inputs = all_strings(b"aAbB0-", 4);
        let outs: HashSet<Vec<u8>> = inputs.iter().map(|v| enc(&t, v)).collect();
        assert_eq!(outs.len(), inputs.len());
        // Non-ASCII letters keep their case; KELVIN SIGN folds to an ASCII k.
        let o = String::from_utf8(enc(&t, "Été K".as_bytes())).unwrap();
        let p = String::from_utf8(enc(&t, "été k".as_bytes())).unwrap();
        assert!(o.starts_with('É') && p.starts_with('é'), "{o} {p}");
        assert_eq!(o.to_lowercase(), p.to_lowercase());
        // A PAD SPACE binary collation: only trailing spaces are ignored.
        let t = fpe(b"key", Mode::Text).with_folding(Folding::for_collation("utf8mb4_bin"));
        assert_eq!(enc(&t, b"Ab1 "), [enc(&t, b"Ab1"), b" ".to_vec()].concat());
        assert_ne!(enc(&t, b"Ab1").to_ascii_lowercase(), enc(&t, b"ab1"));
        // Numeric columns ignore folding.
        let t = fpe(b"key", Mode::Numeric).with_folding(ci());
        assert_eq!(t.describe(), "fpe");
    }

    mod prop {
        use super::*;
        use crate::transform::collation::testing::ci_pair;
        use proptest::prelude::*;

        fn folded(v: &[u8]) -> Vec<u8> {
            let mut out = Vec::new();
            ci().fold_into(v, &mut out);
            out
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(200))]

            #[test]
            fn equal_under_collation_in_equal_out((s, t) in ci_pair()) {
                let f = fpe(b"key", Mode::Text).with_folding(ci());
                let (a, b) = (enc(&f, s.as_bytes()), enc(&f, t.as_bytes()));
                prop_assert_eq!(folded(&a), folded(&b));
                prop_assert_eq!(a.len(), s.len());
                prop_assert_eq!(b.len(), t.len());
                prop_assert_eq!(&a, &enc(&f, s.as_bytes()), "deterministic");
            }

            #[test]
            fn bijection_and_shape(v in proptest::collection::vec(any::<u8>(), 0..40)) {
                let t = fpe(b"key", Mode::Text);
                let o = enc(&t, &v);
                prop_assert_eq!(t.decrypt(&o), v.clone());
                prop_assert_eq!(o.len(), v.len());
                for (a, b) in v.iter().zip(&o) {
                    prop_assert_eq!(a.is_ascii_digit(), b.is_ascii_digit());
                    prop_assert_eq!(a.is_ascii_uppercase(), b.is_ascii_uppercase());
                    prop_assert_eq!(a.is_ascii_lowercase(), b.is_ascii_lowercase());
                }
                if let Some(i) = v.iter().position(u8::is_ascii_digit) {
                    prop_assert_eq!(v[i] == b'0', o[i] == b'0');
                }
            }
        }
    }

    #[test]
    #[ignore = "timing only: cargo test --release -- --ignored --nocapture"]
    fn timing() {
        // The phone formats of benches/scripts/gen_dump.sh, in turn, on a
        // case-insensitive column as there.
        let t = fpe(b"key", Mode::Text).with_folding(ci());
        let n = 200_000u32;
        let values: Vec<String> = (0..n)
            .map(|i| {
                let (a, b) = (i % 10_000, i * 7 / 10 % 10_000);
                match i % 5 {
                    0 => format!("090-{a:04}-{b:04}"),
                    1 => format!("080-{a:04}-{b:04}"),
                    2 => format!("03-{a:04}-{b:04}"),
                    3 => format!("+81 70 {a:04} {b:04}"),
                    _ => format!("(555) {:03}-{b:04}", a % 1000),
                }
            })
            .collect();
        let start = std::time::Instant::now();
        let mut out = Vec::new();
        for v in &values {
            out.clear();
            t.apply(Some(v.as_bytes()), &mut out).unwrap();
        }
        let per = start.elapsed() / n;
        println!("fpe phone: {per:?} per value");
    }

    #[test]
    fn decimal_keeps_leading_digit_nonzero() {
        let t = fpe(b"key", Mode::Numeric);
        let mut seen = HashSet::new();
        for n in 0..1000u32 {
            let v = format!("{}.{:02}", n / 10, n % 100);
            let o = String::from_utf8(enc(&t, v.as_bytes())).unwrap();
            assert_eq!(o.len(), v.len());
            assert!(!o.starts_with('0') || o.starts_with("0."), "{v} -> {o}");
            seen.insert(o);
        }
        assert_eq!(seen.len(), 1000);
    }
}
