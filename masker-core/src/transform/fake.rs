//! `fake`: realistic values seeded from the keyed hash of the input.
//!
//! Each fake draws its choices from a small generator (`ValueRng`,
//! xoshiro256++) seeded with one call of the keyed PRF on the value, so the
//! same input always gets the same fake, on any thread, and nothing uses a
//! global RNG; setting the generator up is copying the 32-byte PRF output. Word lists come from the `fake` crate's locale data (`EN`, `JA_JP`)
//! and are assembled here without `format!`, straight into the output buffer.
//! `fake`'s `ja_JP` has no Japanese addresses or emails, so [`super::ja`]
//! supplies prefecture/city/town lists, `NNN-NNNN` postal codes and romaji
//! emails at `example.jp` domains. English emails use `example.{com,net,org}`.
//!
//! Fitting: text output is cut at a character boundary to the column's limit;
//! an email is shortened in its local part so it keeps `local@domain`, and a
//! column too short for the longest domain is refused at bind. Japanese text
//! into a column whose charset cannot hold it (latin1, ascii, ...) is refused.
//! `date` follows the column type; `ipv4` also fits 4-byte unsigned/8-byte
//! integers (as a number) and binary columns of 4+ bytes (raw octets).
//!
//! On a column whose collation ignores case or trailing spaces, the seed is
//! the PRF of the folded value ([`super::Folding`]): values equal under the
//! collation get the same fake.

use fake::locales::{Data, EN, JA_JP};
use rand::Rng;

use super::collation::Folding;
use super::fit::{self, DateShape, TextFit};
use super::ja;
use super::key::{Key, KeyedHash, ValueRng};
use super::{Cell, MaskError, Transform};
use crate::schema::{Column, ColumnType};

/// What kind of fake value to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FakeKind {
    /// A full name.
    Name,
    /// A given name.
    FirstName,
    /// A family name.
    LastName,
    /// An email address at an example domain.
    Email,
    /// A phone number in the locale's format.
    Phone,
    /// A street address.
    Address,
    /// A city.
    City,
    /// A postal (zip) code.
    PostalCode,
    /// A company name.
    Company,
    /// A user name.
    Username,
    /// An IPv4 address.
    Ipv4,
    /// A date (or date-time) in the column's own format.
    Date,
}

impl FakeKind {
    /// Every kind with its rules-file name.
    pub const ALL: &'static [(&'static str, FakeKind)] = &[
        ("name", FakeKind::Name),
        ("first_name", FakeKind::FirstName),
        ("last_name", FakeKind::LastName),
        ("email", FakeKind::Email),
        ("phone", FakeKind::Phone),
        ("address", FakeKind::Address),
        ("city", FakeKind::City),
        ("postal_code", FakeKind::PostalCode),
        ("company", FakeKind::Company),
        ("username", FakeKind::Username),
        ("ipv4", FakeKind::Ipv4),
        ("date", FakeKind::Date),
    ];

    /// The kind named `name` in a rules file.
    pub fn from_name(name: &str) -> Option<FakeKind> {
        FakeKind::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, k)| *k)
    }

    /// The kind's rules-file name.
    pub fn name(self) -> &'static str {
        FakeKind::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map(|(n, _)| *n)
            .expect("listed")
    }

    /// True when the output may contain non-ASCII text in this locale.
    fn non_ascii(self, locale: Locale) -> bool {
        locale == Locale::JaJp
            && matches!(
                self,
                FakeKind::Name
                    | FakeKind::FirstName
                    | FakeKind::LastName
                    | FakeKind::Address
                    | FakeKind::City
                    | FakeKind::Company
            )
    }
}

/// The locale of fake values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    /// English (US).
    En,
    /// Japanese.
    JaJp,
}

impl Locale {
    /// The locale named `name` in a rules file (`en`, `ja_JP`).
    pub fn from_name(name: &str) -> Option<Locale> {
        match name {
            "en" | "en_US" => Some(Locale::En),
            "ja_JP" | "ja" => Some(Locale::JaJp),
            _ => None,
        }
    }

    /// The locale's rules-file name.
    pub fn name(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::JaJp => "ja_JP",
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Target {
    Text(TextFit),
    Date(DateShape),
    IntIp,
    RawIp,
}

/// The `fake` transform bound to one column.
#[derive(Debug, Clone)]
pub struct FakeTransform {
    state: KeyedHash,
    kind: FakeKind,
    locale: Locale,
    target: Target,
    folding: Folding,
}

/// Longest email domain we may produce.
const MAX_DOMAIN: usize = 13; // "example.co.jp"

impl FakeTransform {
    /// Bind `fake` of `kind` in `locale` to `column`.
    pub fn new(
        key: &Key,
        kind: FakeKind,
        locale: Locale,
        column: &Column,
        table_charset: Option<&str>,
    ) -> Result<FakeTransform, String> {
        let text = TextFit::for_column(column, table_charset);
        let target = match (kind, &column.ty) {
            (FakeKind::Date, ty) if DateShape::for_type(ty).is_some() => Target::Date(DateShape::for_type(ty).expect("temporal")),
            (FakeKind::Date, _) => match text {
                Some(t) if t.max >= 10 => Target::Text(t),
                _ => return Err("fake date needs a DATE/DATETIME/TIMESTAMP/TIME/YEAR column or text of 10+ characters".into()),
            },
            (FakeKind::Ipv4, ColumnType::Integer { bytes: 8, .. } | ColumnType::Integer { bytes: 4, unsigned: true }) => Target::IntIp,
            (FakeKind::Ipv4, ColumnType::Binary { max_bytes, .. }) if *max_bytes >= 4 => Target::RawIp,
            (FakeKind::Ipv4, _) => match text {
                Some(t) if t.max >= 15 => Target::Text(t),
                _ => return Err("fake ipv4 needs a text column of 15+ characters, an INT UNSIGNED/BIGINT or a BINARY(4+)".into()),
            },
            (_, _) => match text {
                Some(t) => {
                    if t.ascii_only && kind.non_ascii(locale) {
                        return Err(format!("fake {} {} writes Japanese text, which the column's charset cannot hold", kind.name(), locale.name()));
                    }
                    if kind == FakeKind::Email && t.max < MAX_DOMAIN + 2 {
                        return Err(format!("column too short for a fake email (needs at least {} characters)", MAX_DOMAIN + 2));
                    }
                    if t.max == 0 {
                        return Err("column has length 0".into());
                    }
                    Target::Text(t)
                }
                None => return Err(format!("fake {} needs a text column", kind.name())),
            },
        };
        Ok(FakeTransform {
            state: key.derive(&[b"fake"]),
            kind,
            locale,
            target,
            folding: Folding::exact(),
        })
    }

    /// Seed from the value folded as the column's collation says, so values
    /// equal under it get the same fake.
    pub fn with_folding(mut self, folding: Folding) -> FakeTransform {
        self.folding = folding;
        self
    }

    /// Write the unfitted fake for `rng` into `out`.
    fn generate(&self, rng: &mut ValueRng, out: &mut Vec<u8>) {
        let ja = self.locale == Locale::JaJp;
        match self.kind {
            FakeKind::Name => {
                if ja {
                    push(out, pick(rng, JA_JP::NAME_LAST_NAME));
                    out.push(b' ');
                    push(out, pick(rng, JA_JP::NAME_FIRST_NAME));
                } else {
                    push(out, pick(rng, EN::NAME_FIRST_NAME));
                    out.push(b' ');
                    push(out, pick(rng, EN::NAME_LAST_NAME));
                }
            }
            FakeKind::FirstName => push(
                out,
                pick(
                    rng,
                    if ja {
                        JA_JP::NAME_FIRST_NAME
                    } else {
                        EN::NAME_FIRST_NAME
                    },
                ),
            ),
            FakeKind::LastName => push(
                out,
                pick(
                    rng,
                    if ja {
                        JA_JP::NAME_LAST_NAME
                    } else {
                        EN::NAME_LAST_NAME
                    },
                ),
            ),
            FakeKind::Email => {
                self.local_part(rng, out, b'.');
                out.push(b'@');
                push(
                    out,
                    pick(
                        rng,
                        if ja {
                            ja::EMAIL_DOMAINS
                        } else {
                            &["example.com", "example.net", "example.org"]
                        },
                    ),
                );
            }
            FakeKind::Username => self.local_part(rng, out, b'_'),
            FakeKind::Phone => {
                let fmt = if ja {
                    if rng.gen_bool(0.6) {
                        pick(rng, JA_JP::PHONE_CELL_NUMBER_FORMATS)
                    } else {
                        pick(rng, JA_JP::PHONE_NUMBER_FORMATS)
                    }
                } else {
                    pick(rng, EN::PHONE_CELL_NUMBER_FORMATS)
                };
                fill_digits(rng, fmt, out);
            }
            FakeKind::PostalCode => fill_digits(rng, if ja { "###-####" } else { "#####" }, out),
            FakeKind::City => {
                if ja {
                    let (p, c) = pick(rng, ja::CITIES);
                    push(out, p);
                    push(out, c);
                } else {
                    push(out, pick(rng, EN::NAME_LAST_NAME));
                    push(out, pick(rng, EN::ADDRESS_CITY_SUFFIX));
                }
            }
            FakeKind::Address => {
                if ja {
                    let (p, c) = pick(rng, ja::CITIES);
                    push(out, p);
                    push(out, c);
                    push(out, pick(rng, ja::TOWNS));
                    fit::write_uint(out, rng.gen_range(1..=9u32) as u128);
                    push(out, "丁目");
                    fit::write_uint(out, rng.gen_range(1..=30u32) as u128);
                    out.push(b'-');
                    fit::write_uint(out, rng.gen_range(1..=20u32) as u128);
                } else {
                    fit::write_uint(out, rng.gen_range(1..=9999u32) as u128);
                    out.push(b' ');
                    push(out, pick(rng, EN::NAME_LAST_NAME));
                    out.push(b' ');
                    push(out, pick(rng, EN::ADDRESS_STREET_SUFFIX));
                }
            }
            FakeKind::Company => {
                if ja {
                    let suffix = pick(rng, JA_JP::COMPANY_SUFFIX);
                    let name = pick(rng, JA_JP::NAME_LAST_NAME);
                    if rng.gen_bool(0.5) {
                        push(out, suffix);
                        push(out, name);
                    } else {
                        push(out, name);
                        push(out, suffix);
                    }
                } else {
                    push(out, pick(rng, EN::NAME_LAST_NAME));
                    if rng.gen_bool(0.3) {
                        push(out, " and ");
                        push(out, pick(rng, EN::NAME_LAST_NAME));
                    }
                    out.push(b' ');
                    push(out, pick(rng, EN::COMPANY_SUFFIX));
                }
            }
            FakeKind::Ipv4 => {
                let ip = ipv4(rng);
                for (i, o) in ip.iter().enumerate() {
                    if i > 0 {
                        out.push(b'.');
                    }
                    fit::write_uint(out, *o as u128);
                }
            }
            FakeKind::Date => DateShape::Date.write(rng.gen(), out),
        }
    }

    /// `first.last42`-style local part, ASCII lower case.
    fn local_part(&self, rng: &mut ValueRng, out: &mut Vec<u8>, sep: u8) {
        let start = out.len();
        if self.locale == Locale::JaJp {
            push(out, pick(rng, ja::ROMAJI_FIRST));
            out.push(sep);
            push(out, pick(rng, ja::ROMAJI_LAST));
        } else {
            push(out, pick(rng, EN::NAME_FIRST_NAME));
            out.push(sep);
            push(out, pick(rng, EN::NAME_LAST_NAME));
        }
        fit::write_uint(out, rng.gen_range(1..1000u32) as u128);
        // English last names hold apostrophes and capitals: keep [a-z0-9._].
        let mut w = start;
        for r in start..out.len() {
            let b = out[r].to_ascii_lowercase();
            if b.is_ascii_alphanumeric() || b == b'.' || b == b'_' {
                out[w] = b;
                w += 1;
            }
        }
        out.truncate(w);
    }

    fn fit_email(limit: &TextFit, out: &mut Vec<u8>, start: usize) {
        let len = out.len() - start;
        if len <= limit.max {
            return;
        }
        // ASCII only, so chars == bytes: shorten the local part.
        let at = start
            + out[start..]
                .iter()
                .position(|&b| b == b'@')
                .expect("email has @");
        let excess = len - limit.max;
        let mut cut_end = at;
        let mut cut_start = at.saturating_sub(excess).max(start + 1);
        while cut_start > start + 1 && matches!(out[cut_start - 1], b'.' | b'_') {
            cut_start -= 1;
        }
        if cut_end < cut_start {
            cut_end = cut_start;
        }
        out.drain(cut_start..cut_end);
    }
}

#[inline]
fn push(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(s.as_bytes());
}

#[inline]
fn pick<T: Copy>(rng: &mut ValueRng, list: &[T]) -> T {
    list[rng.gen_range(0..list.len())]
}

/// `#` becomes a digit, `^` a non-zero digit, everything else is copied.
fn fill_digits(rng: &mut ValueRng, fmt: &str, out: &mut Vec<u8>) {
    for &b in fmt.as_bytes() {
        match b {
            b'#' => out.push(b'0' + rng.gen_range(0..10u8)),
            b'^' => out.push(b'1' + rng.gen_range(0..9u8)),
            _ => out.push(b),
        }
    }
}

/// A public-looking unicast address (first octet 1..=223, not 10 or 127).
fn ipv4(rng: &mut ValueRng) -> [u8; 4] {
    let mut first = rng.gen_range(1..=223u8);
    if first == 10 || first == 127 {
        first += 1;
    }
    [first, rng.gen(), rng.gen(), rng.gen_range(1..=254u8)]
}

impl Transform for FakeTransform {
    fn apply(&self, input: Option<&[u8]>, out: &mut Vec<u8>) -> Result<Cell, MaskError> {
        let Some(v) = input else {
            return Ok(Cell::Null);
        };
        let mut rng = self.state.rng_folded(&self.folding, v);
        let start = out.len();
        match self.target {
            Target::Date(shape) => shape.write(rng.gen(), out),
            Target::IntIp => fit::write_uint(out, u32::from_be_bytes(ipv4(&mut rng)) as u128),
            Target::RawIp => out.extend_from_slice(&ipv4(&mut rng)),
            Target::Text(limit) => {
                self.generate(&mut rng, out);
                if self.kind == FakeKind::Email {
                    FakeTransform::fit_email(&limit, out, start);
                } else if limit.measure(&out[start..]) > limit.max {
                    limit.truncate(out, start);
                }
            }
        }
        Ok(Cell::Value)
    }

    fn describe(&self) -> String {
        let mut s = String::from("fake ");
        s.push_str(self.kind.name());
        s.push(' ');
        s.push_str(self.locale.name());
        s.push_str(&self.folding.describe());
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transform::Folding;

    fn col(ty: ColumnType) -> Column {
        Column::new("c", ty)
    }
    fn vchar(n: u32) -> Column {
        col(ColumnType::Char {
            max_chars: n,
            fixed: false,
        })
    }
    fn run(t: &FakeTransform, v: &[u8]) -> String {
        let mut out = Vec::new();
        assert_eq!(t.apply(Some(v), &mut out).unwrap(), Cell::Value);
        String::from_utf8(out).unwrap()
    }

    /// Issue 9 (speed) must not change a fake: a digest of every kind in
    /// both locales, exact and on a case-insensitive column (mixed-case,
    /// Japanese and padded inputs), recorded before the speed work.
    #[test]
    fn outputs_unchanged_by_issue_9_speed_work() {
        let key = Key::new(b"kat-key-0123456789abcdef").unwrap();
        let inputs: Vec<String> = (0..400)
            .map(|i| match i % 4 {
                0 => format!("User{i}@Example.com"),
                1 => format!("佐藤 太郎{i}"),
                2 => format!("{i} Main Street  "),
                _ => format!("東京都港区{i}丁目 Apt. {}", i % 7),
            })
            .collect();
        let mut d = blake3::Hasher::new();
        for &(_, kind) in FakeKind::ALL {
            for locale in [Locale::En, Locale::JaJp] {
                for folding in [
                    Folding::exact(),
                    Folding::for_collation("utf8mb4_general_ci"),
                ] {
                    let t = FakeTransform::new(&key, kind, locale, &vchar(100), None)
                        .unwrap()
                        .with_folding(folding);
                    for v in &inputs {
                        let mut out = Vec::new();
                        t.apply(Some(v.as_bytes()), &mut out).unwrap();
                        d.update(&(out.len() as u64).to_le_bytes());
                        d.update(&out);
                    }
                }
            }
        }
        assert_eq!(
            &d.finalize().to_hex()[..32],
            "7ada0612d7b6659bbac4f53e09d5646d"
        );
    }

    #[test]
    fn deterministic_key_sensitive_null() {
        let k1 = Key::new(b"k1").unwrap();
        let k2 = Key::new(b"k2").unwrap();
        for &(_, kind) in FakeKind::ALL {
            for locale in [Locale::En, Locale::JaJp] {
                let a = FakeTransform::new(&k1, kind, locale, &vchar(100), None).unwrap();
                let b = FakeTransform::new(&k2, kind, locale, &vchar(100), None).unwrap();
                let outs_a: Vec<String> = (0..20u32).map(|i| run(&a, &i.to_le_bytes())).collect();
                let outs_b: Vec<String> = (0..20u32).map(|i| run(&b, &i.to_le_bytes())).collect();
                assert_eq!(
                    outs_a,
                    (0..20u32)
                        .map(|i| run(&a, &i.to_le_bytes()))
                        .collect::<Vec<_>>()
                );
                assert_ne!(outs_a, outs_b, "{kind:?} {locale:?}");
                assert!(outs_a.iter().all(|s| !s.is_empty()));
                let mut out = Vec::new();
                assert_eq!(a.apply(None, &mut out).unwrap(), Cell::Null);
            }
        }
    }

    #[test]
    fn japanese_shapes() {
        let k = Key::new(b"k").unwrap();
        let t = FakeTransform::new(&k, FakeKind::Address, Locale::JaJp, &vchar(100), None).unwrap();
        let a = run(&t, b"x");
        assert!(
            ja::CITIES.iter().any(|(p, _)| a.starts_with(p)) && a.contains("丁目"),
            "{a}"
        );
        let t =
            FakeTransform::new(&k, FakeKind::PostalCode, Locale::JaJp, &vchar(10), None).unwrap();
        let p = run(&t, b"x");
        assert!(p.len() == 8 && p.as_bytes()[3] == b'-', "{p}");
        let t = FakeTransform::new(&k, FakeKind::Email, Locale::JaJp, &vchar(100), None).unwrap();
        let e = run(&t, b"x");
        assert!(
            e.is_ascii() && e.contains("@example.") && e.ends_with("jp"),
            "{e}"
        );
        let t = FakeTransform::new(&k, FakeKind::Phone, Locale::JaJp, &vchar(20), None).unwrap();
        let p = run(&t, b"x");
        assert!(
            p.starts_with('0') && p.bytes().all(|b| b.is_ascii_digit() || b == b'-'),
            "{p}"
        );
        let t = FakeTransform::new(&k, FakeKind::Name, Locale::JaJp, &vchar(20), None).unwrap();
        assert!(!run(&t, b"x").is_ascii());
    }

    #[test]
    fn fits_columns() {
        let k = Key::new(b"k").unwrap();
        let t = FakeTransform::new(&k, FakeKind::Address, Locale::JaJp, &vchar(6), None).unwrap();
        for i in 0..50u32 {
            assert!(run(&t, &i.to_le_bytes()).chars().count() <= 6);
        }
        let t = FakeTransform::new(&k, FakeKind::Email, Locale::En, &vchar(16), None).unwrap();
        for i in 0..200u32 {
            let e = run(&t, &i.to_le_bytes());
            assert!(
                e.len() <= 16 && e.contains('@') && !e.starts_with('@'),
                "{e}"
            );
        }
        assert!(FakeTransform::new(&k, FakeKind::Email, Locale::En, &vchar(5), None).is_err());
        let mut latin = vchar(50);
        latin.charset = Some("latin1".into());
        assert!(FakeTransform::new(&k, FakeKind::Name, Locale::JaJp, &latin, None).is_err());
        assert!(FakeTransform::new(&k, FakeKind::Name, Locale::En, &latin, None).is_ok());
        let t = FakeTransform::new(
            &k,
            FakeKind::Date,
            Locale::En,
            &col(ColumnType::DateTime),
            None,
        )
        .unwrap();
        assert_eq!(run(&t, b"x").len(), 19);
        let t = FakeTransform::new(&k, FakeKind::Date, Locale::En, &col(ColumnType::Date), None)
            .unwrap();
        assert_eq!(run(&t, b"x").len(), 10);
        assert!(FakeTransform::new(
            &k,
            FakeKind::Name,
            Locale::En,
            &col(ColumnType::Integer {
                bytes: 4,
                unsigned: false
            }),
            None
        )
        .is_err());
        let t = FakeTransform::new(
            &k,
            FakeKind::Ipv4,
            Locale::En,
            &col(ColumnType::Integer {
                bytes: 4,
                unsigned: true,
            }),
            None,
        )
        .unwrap();
        assert!(run(&t, b"x").parse::<u32>().is_ok());
    }

    #[test]
    fn folded_as_the_collation_says() {
        let k = Key::new(b"k").unwrap();
        let exact =
            FakeTransform::new(&k, FakeKind::Name, Locale::JaJp, &vchar(100), None).unwrap();
        let ci = exact
            .clone()
            .with_folding(Folding::for_collation("utf8mb4_unicode_ci"));
        assert_eq!(run(&ci, b"Tanaka Taro "), run(&ci, b"TANAKA taro"));
        assert_eq!(run(&ci, b"tanaka taro"), run(&exact, b"tanaka taro"));
        assert!(ci
            .describe()
            .starts_with("fake name ja_JP (folded: case-insensitive"));
    }

    mod prop {
        use super::*;
        use crate::transform::collation::testing::ci_pair;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(100))]

            #[test]
            fn equal_under_collation_in_equal_out((s, t) in ci_pair()) {
                let k = Key::new(b"k").unwrap();
                let f = FakeTransform::new(&k, FakeKind::Email, Locale::En, &vchar(64), None)
                    .unwrap()
                    .with_folding(Folding::for_collation("utf8mb4_general_ci"));
                let a = run(&f, s.as_bytes());
                prop_assert_eq!(&a, &run(&f, t.as_bytes()));
                prop_assert_eq!(&a, &run(&f, s.as_bytes()), "deterministic");
            }
        }
    }
}
