//! What of a value is looked up in the leak check: the whole value, the
//! emails and phone numbers inside it, and its long words.
//!
//! [`tokens`] is the fast path the collector and the checker both run over
//! every value, so that an original and its copy always give the same
//! tokens; [`tokens_reference`] is the slow, obvious version the tests
//! compare it with. Neither allocates nor keeps anything: they report byte
//! ranges of the value.

use std::ops::Range;

use super::LeakOptions;
use crate::scan::detect;

/// Which tokens inside a value to look for. The checker looks only for the
/// kinds some original token has: with no phone number among the originals,
/// no phone number inside a value can be one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Kinds(u8);

impl Kinds {
    /// Email addresses.
    pub const EMAILS: Kinds = Kinds(1);
    /// Phone numbers.
    pub const PHONES: Kinds = Kinds(2);
    /// Words of at least `min_word` bytes.
    pub const WORDS: Kinds = Kinds(4);
    /// Every kind.
    pub const ALL: Kinds = Kinds(7);
    /// Not a kind: marks the whole value in [`scan`]'s calls (with
    /// [`Kinds::EMAILS`] when the whole value is an email address), so that
    /// no one checks it for an email again.
    pub(super) const WHOLE: Kinds = Kinds(8);

    /// A whole value's mark for [`scan`]'s callback: [`Kinds::WHOLE`], with
    /// [`Kinds::EMAILS`] when it is an email address.
    #[inline]
    pub(super) fn whole(v: &[u8]) -> Kinds {
        Kinds::whole_given(v, memchr::memchr(b'@', v).is_some())
    }

    /// [`Kinds::whole`] when whether `v` holds an `@` is known.
    #[inline]
    fn whole_given(v: &[u8], at: bool) -> Kinds {
        if at && detect::email(v) {
            Kinds(Kinds::WHOLE.0 | Kinds::EMAILS.0)
        } else {
            Kinds::WHOLE
        }
    }

    /// True when `self` has any kind of `other`.
    #[inline]
    pub fn has(self, other: Kinds) -> bool {
        self.0 & other.0 != 0
    }

    /// Add the kinds of `other`.
    #[inline]
    pub fn add(&mut self, other: Kinds) {
        self.0 |= other.0;
    }

    /// The kinds a token (of any origin: a whole value too) could be found
    /// as inside another value.
    pub fn of(t: &[u8], opts: &LeakOptions) -> Kinds {
        Kinds::of_whole(t, opts, Kinds::whole(t))
    }

    /// [`Kinds::of`] of a whole value whose [`Kinds::whole`] mark is known.
    #[inline]
    pub(super) fn of_whole(t: &[u8], opts: &LeakOptions, whole: Kinds) -> Kinds {
        let mut k = Kinds::default();
        if whole.has(Kinds::EMAILS) {
            k.add(Kinds::EMAILS);
        }
        if detect::phone(t) {
            k.add(Kinds::PHONES);
        }
        if t.len() >= opts.min_word && t.iter().all(|&b| b.is_ascii_alphanumeric() || b >= 0x80) {
            k.add(Kinds::WORDS);
        }
        k
    }
}

/// Call `f` with every token of `v`: the whole value (when at least
/// `min_value` bytes), each email and phone number inside it, and each word
/// of at least `min_word` bytes (letters and digits of any script in UTF-8
/// text, ASCII ones in binary values; words split at ASCII punctuation and
/// white space). A token equal to the whole value is given once. Only the
/// inner tokens of `kinds` are looked for; phone numbers only in text (in
/// binary data, runs of digits are noise).
///
/// Words are found by probing every `min_word`-th byte: a word at least
/// that long must cover a probe, so runs of punctuation, short words and
/// binary noise are mostly skipped without looking at each byte.
#[inline]
pub fn tokens(v: &[u8], opts: &LeakOptions, kinds: Kinds, mut f: impl FnMut(Range<usize>)) {
    scan(v, opts, kinds, |r, _| f(r));
}

/// [`tokens`], telling `f` what each inner token was found as (the whole
/// value: [`Kinds::whole`], it may be anything).
#[inline]
pub(super) fn scan(
    v: &[u8],
    opts: &LeakOptions,
    kinds: Kinds,
    mut f: impl FnMut(Range<usize>, Kinds),
) {
    let n = v.len();
    let at = memchr::memchr(b'@', v).is_some();
    if n >= opts.min_value {
        f(0..n, Kinds::whole_given(v, at));
    }
    if n < opts.min_word.min(6) {
        return;
    }
    if kinds.has(Kinds::EMAILS) && at {
        for r in detect::emails_in(v) {
            if r.len() != n {
                f(r, Kinds::EMAILS);
            }
        }
    }
    if !kinds.has(Kinds(Kinds::PHONES.0 | Kinds::WORDS.0)) {
        return;
    }
    // Letters of other scripts count only in text: in binary data (a blob)
    // runs of high bytes are noise, not words.
    let text = v.is_ascii() || std::str::from_utf8(v).is_ok();
    if text && kinds.has(Kinds::PHONES) && detect::may_hold_phone(v) {
        for r in detect::phones_in(v) {
            if r.len() != n {
                f(r, Kinds::PHONES);
            }
        }
    }
    if !kinds.has(Kinds::WORDS) {
        return;
    }
    let mask = if text {
        WORD_ASCII | WORD_TEXT
    } else {
        WORD_ASCII
    };
    let word = |b: u8| WORD[b as usize] & mask != 0;
    let m = opts.min_word.max(1);
    let mut p = m - 1;
    while p < n {
        if !word(v[p]) {
            p += m;
            continue;
        }
        // The probe before this one was no word byte: the run starts after it.
        let mut s = p;
        while s > 0 && word(v[s - 1]) {
            s -= 1;
        }
        let mut e = p + 1;
        while e < n && word(v[e]) {
            e += 1;
        }
        if e - s >= m && e - s != n {
            f(s..e, Kinds::WORDS);
        }
        // The next word starts at e + 1 or later and covers e + m if long enough.
        p = e + m;
    }
}

/// [`WORD`]: an ASCII letter or digit.
const WORD_ASCII: u8 = 1;
/// [`WORD`]: a byte of a non-ASCII character (a letter of another script,
/// in text).
const WORD_TEXT: u8 = 2;

/// What each byte is to a word, one table lookup per byte.
static WORD: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() {
            WORD_ASCII
        } else if c >= 0x80 {
            WORD_TEXT
        } else {
            0
        };
        b += 1;
    }
    t
};

/// The slow, obvious [`tokens`]: every byte looked at. For tests.
#[doc(hidden)]
pub fn tokens_reference(
    v: &[u8],
    opts: &LeakOptions,
    kinds: Kinds,
    mut f: impl FnMut(Range<usize>),
) {
    if v.len() >= opts.min_value {
        f(0..v.len());
    }
    if v.len() < opts.min_word.min(6) {
        return;
    }
    for r in detect::emails_in(v).filter(|_| kinds.has(Kinds::EMAILS)) {
        if r.len() != v.len() {
            f(r);
        }
    }
    let text = std::str::from_utf8(v).is_ok();
    if text && kinds.has(Kinds::PHONES) && v.iter().filter(|b| b.is_ascii_digit()).count() >= 7 {
        for r in detect::phones_in(v) {
            if r.len() != v.len() {
                f(r);
            }
        }
    }
    if !kinds.has(Kinds::WORDS) {
        return;
    }
    let mut start = None;
    for (i, &b) in v.iter().enumerate() {
        let word = b.is_ascii_alphanumeric() || (text && b >= 0x80);
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if i - s >= opts.min_word && i - s != v.len() {
                    f(s..i);
                }
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        if v.len() - s >= opts.min_word && s != 0 {
            f(s..v.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn toks(v: &str) -> Vec<String> {
        let mut out = Vec::new();
        tokens(v.as_bytes(), &LeakOptions::default(), Kinds::ALL, |r| {
            out.push(String::from_utf8_lossy(&v.as_bytes()[r]).into_owned())
        });
        out
    }

    #[test]
    fn tokens_of_values() {
        let cases: &[(&str, &[&str])] = &[
            ("Y", &[]),
            ("abcd", &["abcd"]),
            (
                "mail taro@example.com or 090-1234-5678",
                &[
                    "mail taro@example.com or 090-1234-5678",
                    "taro@example.com",
                    "090-1234-5678",
                ],
            ),
            (
                r#"{"note":"Springfield"}"#,
                &[r#"{"note":"Springfield"}"#, "Springfield"],
            ),
            ("short words only", &["short words only"]),
            (
                "東京都千代田区 1-1",
                &["東京都千代田区 1-1", "東京都千代田区"],
            ),
            ("abcdefgh", &["abcdefgh"]),
            (
                "abcdefgh ijklmnop",
                &["abcdefgh ijklmnop", "abcdefgh", "ijklmnop"],
            ),
        ];
        for (v, want) in cases {
            assert_eq!(toks(v), *want, "{v}");
        }
        // Binary: high bytes are no letters; ASCII words still count.
        let mut got = Vec::new();
        let v = b"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7 ABCDEFGHIJ";
        tokens(v, &LeakOptions::default(), Kinds::ALL, |r| {
            got.push(v[r].to_vec())
        });
        assert_eq!(got, [v.to_vec(), b"ABCDEFGHIJ".to_vec()]);
    }

    fn both(v: &[u8], opts: &LeakOptions, kinds: Kinds) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
        let (mut fast, mut slow) = (Vec::new(), Vec::new());
        tokens(v, opts, kinds, |r| fast.push(r));
        tokens_reference(v, opts, kinds, |r| slow.push(r));
        (fast, slow)
    }

    #[test]
    fn only_the_kinds_asked_for() {
        let v = b"mail taro@example.com or 090-1234-5678 Springfield";
        let opts = LeakOptions::default();
        let mut got = Vec::new();
        tokens(v, &opts, Kinds::PHONES, |r| got.push(v[r].to_vec()));
        assert_eq!(got, [v.to_vec(), b"090-1234-5678".to_vec()]);
        assert_eq!(Kinds::of(b"taro@example.com", &opts), Kinds::EMAILS);
        assert_eq!(Kinds::of(b"090-1234-5678", &opts), Kinds::PHONES);
        assert_eq!(Kinds::of("東京都千代田区".as_bytes(), &opts), Kinds::WORDS);
        assert_eq!(Kinds::of(b"short", &opts), Kinds::default());
    }

    proptest! {
        /// The probing word scan finds exactly the words the byte-by-byte one does.
        #[test]
        fn fast_tokens_equal_the_reference(
            v in proptest::collection::vec(
                prop_oneof![
                    Just(b'a'), Just(b'Z'), Just(b'7'), Just(b' '), Just(b'-'), Just(b'@'),
                    Just(b'.'), Just(0xe3), Just(0x81), Just(0x82), Just(0xff), any::<u8>()
                ],
                0..80,
            ),
            min_word in 1usize..12,
            min_value in 1usize..8,
            kinds in 0u8..8,
        ) {
            let opts = LeakOptions { min_word, min_value, ..LeakOptions::default() };
            let (fast, slow) = both(&v, &opts, Kinds(kinds));
            prop_assert_eq!(fast, slow);
        }

        #[test]
        fn fast_tokens_equal_the_reference_on_text(s in "[a-zA-Z0-9 .@+()\\-東京ü]{0,60}") {
            let (fast, slow) = both(s.as_bytes(), &LeakOptions::default(), Kinds::ALL);
            prop_assert_eq!(fast, slow);
        }
    }
}
