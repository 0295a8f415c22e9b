//! Collation folding: which inputs a keyed transform must treat as one value.
//!
//! Under MariaDB/MySQL case-insensitive collations (`*_ci`) `User@Gmail.com`
//! and `user@gmail.com` are the same value (a join or a UNIQUE key says so),
//! and under PAD SPACE collations (every MariaDB collation except the
//! `*_nopad_*` ones, MySQL's except the `*_0900_*` ones) trailing spaces do
//! not count. A [`Folding`] says what a column's collation ignores; `hash`
//! and `fake` derive their randomness from the folded value, and `fpe`
//! enciphers it, so values equal under the collation stay equal after masking.
//!
//! This module owns the reading of collation names and the folding itself.
//! It does not find a column's collation (that is
//! [`crate::schema::TableSchema::column_collation`]) nor read rules.
//!
//! Case folding is Unicode *simple* folding of each character (one character
//! to one character: `ß` stays, `ſ` and `ς` fold like `s` and `σ`), which is
//! what the collations' case-insensitivity amounts to for almost all text.
//! Accent-insensitivity (`_ai_`, and `é` = `e` under `utf8mb4_general_ci`),
//! expansions (`ß` = `ss` under `utf8mb4_unicode_ci`) and other language
//! rules of a collation are NOT folded: such pairs may get different
//! pseudonyms. Bytes that are not UTF-8 are kept as they are.

use crate::schema::{Column, ColumnType};

/// What the rules file asks for a keyed column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CollationMode {
    /// Follow the column's collation (the default).
    #[default]
    Column,
    /// Mask the exact bytes: values equal under the collation may get
    /// different outputs.
    Exact,
}

impl CollationMode {
    /// The mode named `name` in a rules file: `column` (or `follow`), `exact` (or `bytes`).
    pub fn from_name(name: &str) -> Option<CollationMode> {
        match name {
            "column" | "follow" => Some(CollationMode::Column),
            "exact" | "bytes" => Some(CollationMode::Exact),
            _ => None,
        }
    }
}

/// What a column's collation ignores, as far as keyed transforms care.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Folding {
    /// Letter case is ignored (`*_ci`).
    case: bool,
    /// Trailing spaces are ignored (PAD SPACE).
    pad_space: bool,
    /// The collation the folding came from (for `describe`).
    collation: Option<String>,
    /// The collation folds, but the rules said `collation = "exact"`.
    turned_off: bool,
}

impl Folding {
    /// No folding: the exact bytes are masked.
    pub fn exact() -> Folding {
        Folding::default()
    }

    /// The folding of a collation name (lower-cased, as the schema gives it):
    /// `*_ci` folds case; every collation but `binary`, the MariaDB
    /// `*_nopad_*` ones and MySQL's `*_0900_*` ones is PAD SPACE.
    pub fn for_collation(name: &str) -> Folding {
        let name = name.to_ascii_lowercase();
        let pad_space = name != "binary" && !name.contains("_nopad_") && !name.contains("_0900_");
        Folding {
            case: name.ends_with("_ci"),
            pad_space,
            collation: Some(name),
            turned_off: false,
        }
    }

    /// The folding for `column` whose collation is `collation` (from
    /// [`crate::schema::TableSchema::column_collation`]). Only text columns
    /// (CHAR/VARCHAR/TEXT) fold: binary strings, numbers, dates, ENUM/SET
    /// (dumped as their canonical member) and JSON are compared as bytes.
    /// An unknown collation (`None`) does not fold. `mode` is the rules
    /// file's choice.
    pub fn for_column(column: &Column, collation: Option<&str>, mode: CollationMode) -> Folding {
        let text = matches!(column.ty, ColumnType::Char { .. } | ColumnType::Text { .. });
        let Some(name) = collation.filter(|_| text) else {
            return Folding::exact();
        };
        let folding = Folding::for_collation(name);
        if mode == CollationMode::Exact && !folding.is_exact() {
            return Folding {
                turned_off: true,
                ..Folding::exact()
            };
        }
        folding
    }

    /// True when nothing is folded.
    pub fn is_exact(&self) -> bool {
        !self.case && !self.pad_space
    }

    /// True when letter case is folded.
    pub fn folds_case(&self) -> bool {
        self.case
    }

    /// True when trailing spaces are ignored.
    pub fn pads_space(&self) -> bool {
        self.pad_space
    }

    /// The note `describe()` appends: ` (folded: case-insensitive, pad space
    /// per utf8mb4_general_ci)`, ` (exact: collation = "exact")`, or nothing.
    pub fn describe(&self) -> String {
        if self.turned_off {
            return " (exact bytes: collation = \"exact\")".to_owned();
        }
        if self.is_exact() {
            return String::new();
        }
        let mut s = String::from(" (folded: ");
        if self.case {
            s.push_str("case-insensitive");
            if self.pad_space {
                s.push_str(", ");
            }
        }
        if self.pad_space {
            s.push_str("pad space");
        }
        if let Some(c) = &self.collation {
            s.push_str(" per ");
            s.push_str(c);
            // Case-insensitive collations ignore accents too, unless `_as_`.
            if self.case && !c.contains("_as_") {
                s.push_str("; accents not folded");
            }
        }
        s.push(')');
        s
    }

    /// `v` without the trailing spaces the collation ignores.
    #[inline]
    pub(crate) fn trim<'v>(&self, v: &'v [u8]) -> &'v [u8] {
        if !self.pad_space {
            return v;
        }
        let end = v.iter().rposition(|&b| b != b' ').map_or(0, |i| i + 1);
        &v[..end]
    }

    /// True when case folding would change `v` (see [`Folding::changes_at`]).
    #[inline]
    pub(crate) fn case_changes(&self, v: &[u8]) -> bool {
        self.changes_at(v).is_some()
    }

    /// Where case folding first changes `v`: the start of the first ASCII
    /// capital or character whose fold differs from it, `None` when the
    /// fold of `v` is `v` itself (always when case is not folded). Text with
    /// no case (Japanese, Chinese: the CJK block U+3000..U+9FFF) is stepped
    /// over three bytes at a time without decoding, so such values, the
    /// bulk of Japanese names and addresses, are hashed as they are.
    #[inline]
    pub(crate) fn changes_at(&self, v: &[u8]) -> Option<usize> {
        if !self.case {
            return None;
        }
        // Most values (emails, lower-case codes) have neither a capital nor
        // a non-ASCII byte: found out eight bytes at a time.
        let mut i = first_upper_or_non_ascii(v)?;
        while let Some(&b) = v.get(i) {
            if b < 0x80 {
                if b.is_ascii_uppercase() {
                    return Some(i);
                }
                i += 1;
            } else if let Some(width) = caseless_cjk(&v[i..]) {
                i += width;
            } else {
                let (unit, c) = next_unit(&v[i..]);
                if c.is_some_and(|c| fold_char(c) != c) {
                    return Some(i);
                }
                i += unit.len();
            }
        }
        None
    }

    /// Feed the folded form of `v` to `sink`, in pieces, without allocating.
    pub(crate) fn feed(&self, v: &[u8], sink: impl FnMut(&[u8])) {
        let v = self.trim(v);
        match self.changes_at(v) {
            None => {
                let mut sink = sink;
                sink(v)
            }
            Some(at) => Folding::feed_from(v, at, sink),
        }
    }

    /// Feed the folded form of `v` to `sink` when folding first changes it
    /// at `at` ([`Folding::changes_at`]): `v[..at]` is its own fold.
    pub(crate) fn feed_from(v: &[u8], at: usize, mut sink: impl FnMut(&[u8])) {
        sink(&v[..at]);
        let mut buf = [0u8; 128];
        let mut n = 0;
        let mut rest = &v[at..];
        while let Some(&b) = rest.first() {
            if n + 4 > buf.len() {
                sink(&buf[..n]);
                n = 0;
            }
            if b.is_ascii() {
                buf[n] = b.to_ascii_lowercase();
                n += 1;
                rest = &rest[1..];
                continue;
            }
            if let Some(width) = caseless_cjk(rest) {
                buf[n..n + width].copy_from_slice(&rest[..width]);
                n += width;
                rest = &rest[width..];
                continue;
            }
            let (unit, c) = next_unit(rest);
            match c {
                Some(c) => n += fold_char(c).encode_utf8(&mut buf[n..]).len(),
                None => {
                    buf[n] = b;
                    n += 1;
                }
            }
            rest = &rest[unit.len()..];
        }
        sink(&buf[..n]);
    }

    /// Append the folded form of `v` to `out`.
    pub(crate) fn fold_into(&self, v: &[u8], out: &mut Vec<u8>) {
        self.feed(v, |piece| out.extend_from_slice(piece));
    }
}

/// Call `f` for each unit of `v`: a character with its case fold
/// (`Some((char, fold))`), or one byte that does not start a UTF-8 character
/// (`None`, kept as it is). [`Folding::feed`] writes the same units.
#[inline]
pub(crate) fn for_each_unit(v: &[u8], mut f: impl FnMut(&[u8], Option<(char, char)>)) {
    let mut rest = v;
    while !rest.is_empty() {
        let (unit, c) = next_unit(rest);
        f(unit, c.map(|c| (c, fold_char(c))));
        rest = &rest[unit.len()..];
    }
}

/// The first unit of non-empty `v`: a whole UTF-8 character, or one byte
/// that is not the start of one.
#[inline]
fn next_unit(v: &[u8]) -> (&[u8], Option<char>) {
    let width = match v[0] {
        0x00..=0x7f => return (&v[..1], Some(v[0] as char)),
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => 1,
    };
    match v.get(..width).map(std::str::from_utf8) {
        Some(Ok(s)) => (&v[..width], s.chars().next()),
        _ => (&v[..1], None),
    }
}

/// The position of the first ASCII capital or non-ASCII byte of `v`, eight
/// bytes at a time: in a word of ASCII bytes, `b + 0x3f` has its top bit set
/// when `b >= b'A'` and `b + 0x25` when `b > b'Z'`. A non-ASCII byte sets
/// its own top bit; the carries it may cause only reach later bytes, so the
/// first flagged byte is the answer.
#[inline]
fn first_upper_or_non_ascii(v: &[u8]) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = v.chunks_exact(8);
    for (i, chunk) in chunks.by_ref().enumerate() {
        let w = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let at_least_a = w.wrapping_add(0x3f3f_3f3f_3f3f_3f3f);
        let above_z = w.wrapping_add(0x2525_2525_2525_2525);
        let flags = (w | (at_least_a & !above_z)) & HIGH;
        if flags != 0 {
            return Some(8 * i + flags.trailing_zeros() as usize / 8);
        }
    }
    let done = v.len() - chunks.remainder().len();
    chunks
        .remainder()
        .iter()
        .position(|&b| b.is_ascii_uppercase() || b >= 0x80)
        .map(|p| done + p)
}

/// The width (3) of the character `v` starts with when it is in the CJK
/// block U+3000..=U+9FFF, which has no case ([`fold_char`] keeps it): a lead
/// byte 0xE3..=0xE9 and two continuation bytes, which is always a whole
/// valid character in that block.
#[inline(always)]
fn caseless_cjk(v: &[u8]) -> Option<usize> {
    match v {
        [0xe3..=0xe9, 0x80..=0xbf, 0x80..=0xbf, ..] => Some(3),
        _ => None,
    }
}

/// The simple case fold of `c`: one representative per set of characters
/// that differ only in case (lowercase of the uppercase, when each is a
/// single character).
#[inline]
pub(crate) fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    // CJK symbols, kana, ideographs and Hangul have no case: skip the tables.
    if matches!(c, '\u{3000}'..='\u{9fff}' | '\u{ac00}'..='\u{d7a3}') {
        return c;
    }
    let upper = single(c.to_uppercase()).unwrap_or(c);
    single(upper.to_lowercase()).unwrap_or(c)
}

/// The only item of `it`, if it has exactly one.
#[inline]
fn single(mut it: impl Iterator<Item = char>) -> Option<char> {
    let first = it.next()?;
    it.next().is_none().then_some(first)
}

/// Strategies shared by the transforms' property tests.
#[cfg(test)]
pub(crate) mod testing {
    use proptest::prelude::*;

    /// A string and a variant equal to it under a `_ci` PAD SPACE
    /// collation: some letters' case flipped, trailing spaces added.
    pub(crate) fn ci_pair() -> impl Strategy<Value = (String, String)> {
        (
            "[a-zA-Z0-9 .@éÉßσΣ-]{0,24}",
            proptest::collection::vec(any::<bool>(), 24),
            0usize..3,
        )
            .prop_map(|(s, flips, pad)| {
                let t: String = s
                    .chars()
                    .zip(flips.iter().chain(std::iter::repeat(&false)))
                    .map(|(c, &f)| {
                        // Only one-character case mappings (`ß` has none).
                        let other: Vec<char> = if c.is_uppercase() {
                            c.to_lowercase().collect()
                        } else {
                            c.to_uppercase().collect()
                        };
                        match other[..] {
                            [o] if f => o,
                            _ => c,
                        }
                    })
                    .collect();
                (s, t + &" ".repeat(pad))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(f: &Folding, v: &str) -> String {
        let mut out = Vec::new();
        f.fold_into(v.as_bytes(), &mut out);
        String::from_utf8(out).unwrap()
    }

    /// The fold as the module docs define it, unit by unit, with no fast
    /// path: the oracle of [`Folding::feed`] and [`Folding::changes_at`].
    fn fold_reference(v: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for_each_unit(v, |unit, c| match c {
            Some((_, f)) => out.extend_from_slice(f.encode_utf8(&mut [0; 4]).as_bytes()),
            None => out.extend_from_slice(unit),
        });
        out
    }

    #[test]
    fn word_scan_at_every_offset() {
        for len in 0..40 {
            let plain = vec![b'z'; len];
            assert_eq!(first_upper_or_non_ascii(&plain), None);
            for at in 0..len {
                for (flag, later) in [(b'A', 0xff), (b'Z', b'@'), (0x80, b'['), (0xff, b'Q')] {
                    let mut v = plain.clone();
                    v[at] = flag;
                    if at + 1 < len {
                        v[at + 1] = later;
                    }
                    assert_eq!(first_upper_or_non_ascii(&v), Some(at), "{v:?}");
                }
                // '@' and '[' (next to 'A' and 'Z') are not capitals.
                let mut v = plain.clone();
                v[at] = if at % 2 == 0 { b'@' } else { b'[' };
                assert_eq!(first_upper_or_non_ascii(&v), None, "{v:?}");
            }
        }
    }

    mod prop {
        use super::*;
        use proptest::prelude::*;

        /// Byte strings made of ASCII, caseless CJK, letters with case
        /// outside ASCII, and bytes that are not UTF-8 (also cutting a
        /// character), so every path of the fold meets every other.
        fn mixed() -> impl Strategy<Value = Vec<u8>> {
            let pieces: Vec<Vec<u8>> = [
                "a", "Z", " ", "7", "佐", "〒", "、", "鿿", "㐀", "Ａ", "ｚ", "Σ", "ς", "É",
                "\u{212a}", "ẞ", "ß", "🍣", "한",
            ]
            .iter()
            .map(|p| p.as_bytes().to_vec())
            .collect();
            proptest::collection::vec(
                prop_oneof![
                    proptest::sample::select(pieces),
                    any::<u8>().prop_map(|b| vec![b]),
                ],
                0..40,
            )
            .prop_map(|p| p.concat())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn word_scan_finds_the_first_capital_or_non_ascii(v in mixed()) {
                prop_assert_eq!(
                    first_upper_or_non_ascii(&v),
                    v.iter().position(|&b| b.is_ascii_uppercase() || b >= 0x80)
                );
            }

            #[test]
            fn fast_fold_is_the_reference_fold(v in mixed()) {
                let ci = Folding::for_collation("utf8mb4_nopad_general_ci");
                let want = fold_reference(&v);
                let mut got = Vec::new();
                ci.fold_into(&v, &mut got);
                prop_assert_eq!(&got, &want);
                prop_assert_eq!(ci.changes_at(&v).is_none(), want == v);
                if let Some(at) = ci.changes_at(&v) {
                    prop_assert_eq!(fold_reference(&v[..at]), &v[..at]);
                    let mut from = Vec::new();
                    Folding::feed_from(&v, at, |p| from.extend_from_slice(p));
                    prop_assert_eq!(from, want);
                }
            }
        }
    }

    #[test]
    fn collation_names() {
        let g = Folding::for_collation("utf8mb4_general_ci");
        assert!(g.folds_case() && g.pads_space());
        let n = Folding::for_collation("utf8mb4_0900_ai_ci");
        assert!(n.folds_case() && !n.pads_space());
        let b = Folding::for_collation("utf8mb4_bin");
        assert!(!b.folds_case() && b.pads_space());
        assert!(Folding::for_collation("binary").is_exact());
        assert!(Folding::for_collation("utf8mb4_nopad_bin").is_exact());
        assert!(Folding::for_collation("utf8mb4_0900_as_cs").is_exact());
        let l = Folding::for_collation("latin1_general_cs");
        assert!(!l.folds_case() && l.pads_space());
        let u = Folding::for_collation("utf8mb4_uca1400_nopad_ai_ci");
        assert!(u.folds_case() && !u.pads_space());
    }

    #[test]
    fn only_text_columns_fold_and_exact_turns_it_off() {
        let text = Column::new("c", ColumnType::Text { max_bytes: 100 });
        let bin = Column::new(
            "c",
            ColumnType::Binary {
                max_bytes: 10,
                fixed: false,
            },
        );
        let ci = Some("utf8mb4_general_ci");
        assert!(Folding::for_column(&text, ci, CollationMode::Column).folds_case());
        assert!(Folding::for_column(&bin, ci, CollationMode::Column).is_exact());
        assert!(Folding::for_column(&text, None, CollationMode::Column).is_exact());
        let off = Folding::for_column(&text, ci, CollationMode::Exact);
        assert!(off.is_exact());
        assert_eq!(off.describe(), " (exact bytes: collation = \"exact\")");
        assert_eq!(
            Folding::for_collation("utf8mb4_general_ci").describe(),
            " (folded: case-insensitive, pad space per utf8mb4_general_ci; accents not folded)"
        );
        assert_eq!(
            Folding::for_collation("utf8mb4_bin").describe(),
            " (folded: pad space per utf8mb4_bin)"
        );
        assert_eq!(Folding::exact().describe(), "");
    }

    #[test]
    fn folds_case_and_trailing_spaces() {
        let f = Folding::for_collation("utf8mb4_general_ci");
        assert_eq!(folded(&f, "User@Gmail.COM  "), "user@gmail.com");
        assert_eq!(folded(&f, "ÉCOLE Straße ΣΊΣΥΦΟΣ"), "école straße σίσυφοσ");
        assert_eq!(folded(&f, "ſ ς K"), "s σ k");
        assert_eq!(folded(&f, "  a b  "), "  a b");
        assert_eq!(folded(&f, "   "), "");
        let long = "AB".repeat(200) + "É";
        assert_eq!(folded(&f, &long), "ab".repeat(200) + "é");
        // Bytes that are not UTF-8 are kept.
        let mut out = Vec::new();
        f.fold_into(b"A\xff\xfeB", &mut out);
        assert_eq!(out, b"a\xff\xfeb");
        let nopad = Folding::for_collation("utf8mb4_0900_ai_ci");
        assert_eq!(folded(&nopad, "Ab "), "ab ");
        assert_eq!(folded(&Folding::exact(), "Ab "), "Ab ");
    }

    #[test]
    fn fold_is_one_representative_per_case_class() {
        // Planes 0 and 1 hold every cased letter.
        for c in (0..0x20000u32).filter_map(char::from_u32) {
            let f = fold_char(c);
            assert_eq!(fold_char(f), f, "{c:?}");
            if let Some(u) = single(c.to_uppercase()) {
                assert_eq!(fold_char(u), f, "{c:?} upper {u:?}");
            }
            if let Some(l) = single(c.to_lowercase()) {
                assert_eq!(fold_char(l), f, "{c:?} lower {l:?}");
            }
        }
    }

    #[test]
    fn caseless_ranges_have_no_case() {
        // `fold_char` skips the case tables for these ranges.
        for c in ('\u{3000}'..='\u{9fff}').chain('\u{ac00}'..='\u{d7a3}') {
            assert!(
                c.to_uppercase().eq([c]) && c.to_lowercase().eq([c]),
                "{c:?}"
            );
        }
    }

    #[test]
    fn mode_names() {
        assert_eq!(
            CollationMode::from_name("exact"),
            Some(CollationMode::Exact)
        );
        assert_eq!(
            CollationMode::from_name("bytes"),
            Some(CollationMode::Exact)
        );
        assert_eq!(
            CollationMode::from_name("column"),
            Some(CollationMode::Column)
        );
        assert_eq!(
            CollationMode::from_name("follow"),
            Some(CollationMode::Column)
        );
        assert_eq!(CollationMode::from_name("ci"), None);
    }
}
