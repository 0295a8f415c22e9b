//! Value detectors: does one raw value look like a kind of personal data?
//!
//! Each detector is a pure function of the bytes (no I/O, no allocation
//! beyond small scratch), conservative on purpose: a scan reports a column
//! only when a share of its sampled values match, so a detector must rarely
//! match non-personal values (ids, amounts, timestamps, hashes). This module
//! must never keep or print a value.

use std::net::{Ipv4Addr, Ipv6Addr};

/// Byte classes of the email and phone detectors, one table lookup per
/// byte: the leak check runs them over every value of a dump.
mod class {
    /// ASCII letters and digits.
    pub const ALNUM: u8 = 1;
    /// What an email's local part may hold besides letters and digits.
    pub const LOCAL: u8 = 2;
    /// What an email found inside text may hold before its `@`: letters,
    /// digits and `._%+-`.
    pub const WORD: u8 = 4;
    /// A domain's bytes: letters, digits, `.` and `-`.
    pub const DOMAIN: u8 = 8;
    /// A phone number's separators (`allowed` of the Japanese form).
    pub const PHONE_SEP: u8 = 16;
    /// ASCII letters.
    pub const ALPHA: u8 = 32;
    /// ASCII digits.
    pub const DIGIT: u8 = 64;

    const fn build() -> [u8; 256] {
        let mut t = [0u8; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            let mut k = 0;
            if c.is_ascii_alphanumeric() {
                k |= ALNUM | WORD | DOMAIN;
            }
            if c.is_ascii_alphabetic() {
                k |= ALPHA;
            }
            if c.is_ascii_digit() {
                k |= DIGIT;
            }
            let mut i = 0;
            let local = b"._%+-!#$&'*/=?^`{|}~";
            while i < local.len() {
                if local[i] == c {
                    k |= LOCAL;
                }
                i += 1;
            }
            if matches!(c, b'.' | b'_' | b'%' | b'+' | b'-') {
                k |= WORD;
            }
            if matches!(c, b'.' | b'-') {
                k |= DOMAIN;
            }
            if matches!(c, b' ' | b'-' | b'(' | b')' | b'+') {
                k |= PHONE_SEP;
            }
            t[b] = k;
            b += 1;
        }
        t
    }

    /// The classes of every byte.
    pub static OF: [u8; 256] = build();

    /// True when byte `b` is of any class in `k`.
    #[inline]
    pub fn is(b: u8, k: u8) -> bool {
        OF[b as usize] & k != 0
    }
}

/// True when `v` is a whole email address (`local@domain.tld`).
pub fn email(v: &[u8]) -> bool {
    let Some(at) = memchr::memchr(b'@', v) else {
        return false;
    };
    let (local, domain) = (&v[..at], &v[at + 1..]);
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .iter()
            .all(|&b| class::is(b, class::ALNUM | class::LOCAL));
    local_ok && domain_ok(domain)
}

/// At least two dot-separated labels of letters, digits and `-` (not
/// first), the last one of two letters or more. No allocation: the leak
/// check calls this for every token holding an `@`.
fn domain_ok(d: &[u8]) -> bool {
    let mut labels = 0;
    // The current label's start, and whether it is letters only so far.
    let mut start = 0;
    let mut alpha = true;
    for (i, &b) in d.iter().enumerate() {
        if b == b'.' {
            if i == start {
                return false;
            }
            labels += 1;
            start = i + 1;
            alpha = true;
            continue;
        }
        if !class::is(b, class::DOMAIN) || (b == b'-' && i == start) {
            return false;
        }
        alpha &= class::is(b, class::ALPHA);
    }
    // The last label: not empty, two letters or more.
    labels >= 1 && d.len() >= start + 2 && alpha
}

/// Emails inside a longer value (free text, JSON): byte ranges.
pub fn emails_in(v: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    memchr::memchr_iter(b'@', v).filter_map(move |at| {
        let mut s = at;
        while s > 0 && class::is(v[s - 1], class::WORD) {
            s -= 1;
        }
        let mut e = at + 1;
        while e < v.len() && class::is(v[e], class::DOMAIN) {
            e += 1;
        }
        // A sentence's full stop is not part of the domain.
        while e > at + 1 && v[e - 1] == b'.' {
            e -= 1;
        }
        while s < at && v[s] == b'.' {
            s += 1;
        }
        email(&v[s..e]).then_some(s..e)
    })
}

/// Digits of `v` when it holds only digits and bytes that are `sep`.
#[inline]
fn digits_of(v: &[u8], sep: impl Fn(u8) -> bool, out: &mut [u8; 24]) -> Option<usize> {
    let mut n = 0;
    for &b in v {
        if class::is(b, class::DIGIT) {
            if n == out.len() {
                return None;
            }
            out[n] = b;
            n += 1;
        } else if !sep(b) {
            return None;
        }
    }
    Some(n)
}

/// A Japanese phone number as text: `03-1234-5678`, `090-1234-5678`,
/// `09012345678`, `(03)1234-5678`, `+81 90 1234 5678`, `+81-3-...`.
pub fn phone_ja(v: &[u8]) -> bool {
    let mut d = [0u8; 24];
    let Some(n) = digits_of(v, |b| class::is(b, class::PHONE_SEP), &mut d) else {
        return false;
    };
    let d = &d[..n];
    if v.first() == Some(&b'+') {
        // +81, then the number without its leading 0.
        return d.starts_with(b"81") && (n == 11 || n == 12) && d[2] != b'0';
    }
    let separated = v.iter().any(|b| !b.is_ascii_digit());
    d.first() == Some(&b'0')
        && d.get(1).is_some_and(|&b| b != b'0')
        && (n == 10 || n == 11)
        // Without separators, only mobile / IP-phone / free-dial prefixes:
        // other 10-digit strings starting with 0 are as often codes.
        && (separated || (n == 11 && matches!(&d[..3], b"090" | b"080" | b"070" | b"050")))
}

/// An international phone number: `+` then 8 to 15 digits, with optional
/// spaces, dashes, dots and parentheses; or a North American `(555) 123-4567`.
pub fn phone_intl(v: &[u8]) -> bool {
    let mut d = [0u8; 24];
    let Some(n) = digits_of(v, |b| b == b'.' || class::is(b, class::PHONE_SEP), &mut d) else {
        return false;
    };
    let pluses = v.iter().filter(|&&b| b == b'+').count();
    if v.first() == Some(&b'+') && pluses == 1 {
        return (8..=15).contains(&n) && d[0] != b'0';
    }
    // (NPA) NXX-XXXX
    pluses == 0
        && n == 10
        && v.first() == Some(&b'(')
        && v.get(4) == Some(&b')')
        && (b'2'..=b'9').contains(&d[0])
}

/// A phone number stored as an integer (its leading 0 lost): a Japanese
/// mobile number (`9012345678`) or one with the country code
/// (`819012345678`). Millisecond timestamps (13 digits) and second
/// timestamps (10 digits starting with 1) are not phones.
pub fn phone_integer(v: &[u8]) -> bool {
    if !v.iter().all(u8::is_ascii_digit) {
        return false;
    }
    match v.len() {
        10 => matches!(&v[..2], b"90" | b"80" | b"70"),
        11 | 12 => v.starts_with(b"81") && v[2] != b'0' && v[2] != b'1',
        _ => false,
    }
}

/// Any phone number written as text.
pub fn phone(v: &[u8]) -> bool {
    phone_ja(v) || phone_intl(v)
}

/// True when `v` may hold a phone number ([`phones_in`] finds none
/// otherwise): some run of digits and separators (` -()+`) holds 8 digits
/// or more, the fewest any phone number has. One table lookup per byte:
/// the leak check asks this of every text value.
#[inline]
pub fn may_hold_phone(v: &[u8]) -> bool {
    // Without a branch per byte (digits and other bytes alternate in the
    // JSON and text it reads): the run's digit count is kept across digits
    // and separators and cleared by anything else; checked every 16 bytes.
    let mut digits = 0u32;
    let mut most = 0u32;
    for block in v.chunks(16) {
        for &b in block {
            let c = class::OF[b as usize];
            let keep = 0u32.wrapping_sub(u32::from(c & (class::DIGIT | class::PHONE_SEP) != 0));
            digits = (digits & keep) + u32::from(c & class::DIGIT != 0);
            most = most.max(digits);
        }
        if most >= 8 {
            return true;
        }
    }
    false
}

/// Phone numbers inside a longer value: byte ranges of runs of digits and
/// separators that are phone numbers.
pub fn phones_in(v: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < v.len() {
            if !(class::is(v[i], class::DIGIT) || v[i] == b'+' || v[i] == b'(') {
                i += 1;
                continue;
            }
            // Not inside a longer word or number.
            let glued = i > 0 && (class::is(v[i - 1], class::ALNUM) || v[i - 1] == b'.');
            let s = i;
            while i < v.len() && class::is(v[i], class::DIGIT | class::PHONE_SEP) {
                i += 1;
            }
            let mut e = i;
            while e > s && !class::is(v[e - 1], class::DIGIT) {
                e -= 1;
            }
            let tail_glued = e < v.len() && class::is(v[e], class::ALPHA);
            if !glued && !tail_glued && e > s && phone(&v[s..e]) {
                return Some(s..e);
            }
        }
        None
    })
}

/// A postal code: Japanese `123-4567` / `〒123-4567`, US ZIP+4 `12345-6789`.
pub fn postal_code(v: &[u8]) -> bool {
    let v = v.strip_prefix("〒".as_bytes()).unwrap_or(v);
    let v = v.trim_ascii();
    let shape = |v: &[u8], a: usize, b: usize| {
        v.len() == a + 1 + b
            && v[a] == b'-'
            && v[..a].iter().all(u8::is_ascii_digit)
            && v[a + 1..].iter().all(u8::is_ascii_digit)
    };
    shape(v, 3, 4) || shape(v, 5, 4)
}

/// A payment card number: 13 to 19 digits (spaces or dashes allowed), an
/// issuer prefix (Visa, Mastercard, Amex, Discover, JCB, Diners) and a valid
/// Luhn check digit.
pub fn card_number(v: &[u8]) -> bool {
    let mut d = [0u8; 24];
    let Some(n) = digits_of(v, |b| b == b' ' || b == b'-', &mut d) else {
        return false;
    };
    let d = &d[..n];
    if !(13..=19).contains(&n) {
        return false;
    }
    let prefix = matches!(d[0], b'4' | b'6')
        || (d[0] == b'5' && (b'1'..=b'5').contains(&d[1]))
        || (d[0] == b'2' && (b'2'..=b'7').contains(&d[1]))
        || (d[0] == b'3' && matches!(d[1], b'4' | b'7' | b'5' | b'0' | b'6' | b'8'));
    prefix && luhn(d)
}

/// The Luhn checksum of ASCII digits.
pub fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &c)| {
            let x = u32::from(c - b'0');
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 {
                    y - 9
                } else {
                    y
                }
            } else {
                x
            }
        })
        .sum();
    sum % 10 == 0
}

/// An IPv4 or IPv6 address (text).
pub fn ip_address(v: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(v) else {
        return false;
    };
    if s.contains(':') {
        // `::` alone or a time (`12:30`) are not addresses worth reporting.
        return s.len() > 2 && s.parse::<Ipv6Addr>().is_ok_and(|a| !a.is_unspecified());
    }
    s.parse::<Ipv4Addr>().is_ok()
}

/// The year of a date value (`YYYY-MM-DD` or `YYYY/MM/DD`, optionally with
/// a midnight time), when it is a plausible calendar date.
pub fn date_year(v: &[u8]) -> Option<u16> {
    let (date, time) = match v.len() {
        10 => (v, &b""[..]),
        19 => (&v[..10], &v[10..]),
        _ => return None,
    };
    if !time.is_empty() && time != b" 00:00:00" {
        return None;
    }
    let sep = date[4];
    if !(sep == b'-' || sep == b'/') || date[7] != sep {
        return None;
    }
    let num = |r: &[u8]| -> Option<u16> {
        r.iter()
            .all(u8::is_ascii_digit)
            .then(|| r.iter().fold(0u16, |a, &b| a * 10 + u16::from(b - b'0')))
    };
    let (y, m, d) = (num(&date[..4])?, num(&date[5..7])?, num(&date[8..10])?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some(y)
}

/// A date that can be a living person's birth date (1900 to 2015).
pub fn birth_date(v: &[u8]) -> bool {
    date_year(v).is_some_and(|y| (1900..=2015).contains(&y))
}

/// Common Japanese family names (kanji) and given names.
const JA_NAMES: &[&str] = &[
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "渡邊",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "清水",
    "斎藤",
    "斉藤",
    "山崎",
    "森",
    "池田",
    "橋本",
    "阿部",
    "石川",
    "山下",
    "中島",
    "石井",
    "小川",
    "前田",
    "岡田",
    "長谷川",
    "藤田",
    "後藤",
    "近藤",
    "村上",
    "遠藤",
    "青木",
    "坂本",
    "斉藤",
    "福田",
    "太田",
    "西村",
    "藤井",
    "金子",
    "岡本",
    "藤原",
    "三浦",
    "中野",
    "中川",
    "原田",
    "松田",
    "竹内",
    "小野",
    "田村",
    "中山",
    "和田",
    "石田",
    "森田",
    "上田",
    "原",
    "内田",
    "柴田",
    "酒井",
    "宮崎",
    "横山",
    "高木",
    "安藤",
    "宮本",
    "大野",
    "小島",
    "工藤",
    "谷口",
    "今井",
    "高田",
    "丸山",
    "増田",
    "杉山",
    "村田",
    "大塚",
    "小山",
    "平野",
    "藤本",
    "久保",
    "松井",
    "千葉",
    "岩崎",
    "桜井",
    "木下",
    "野口",
    "松尾",
    "菊地",
    "野村",
    "新井",
    "渡部",
];

/// Common first names and family names in Latin script (lower case),
/// including romanised Japanese ones.
const LATIN_NAMES: &[&str] = &[
    "james",
    "mary",
    "john",
    "patricia",
    "robert",
    "jennifer",
    "michael",
    "linda",
    "william",
    "elizabeth",
    "david",
    "barbara",
    "richard",
    "susan",
    "joseph",
    "jessica",
    "thomas",
    "sarah",
    "charles",
    "karen",
    "christopher",
    "nancy",
    "daniel",
    "lisa",
    "matthew",
    "betty",
    "anthony",
    "sandra",
    "mark",
    "ashley",
    "paul",
    "emily",
    "steven",
    "donna",
    "andrew",
    "michelle",
    "maria",
    "jose",
    "juan",
    "carlos",
    "luis",
    "ana",
    "anna",
    "marco",
    "giuseppe",
    "hans",
    "peter",
    "pierre",
    "marie",
    "jean",
    "smith",
    "johnson",
    "williams",
    "brown",
    "jones",
    "garcia",
    "miller",
    "davis",
    "rodriguez",
    "martinez",
    "hernandez",
    "lopez",
    "gonzalez",
    "wilson",
    "anderson",
    "taylor",
    "moore",
    "jackson",
    "martin",
    "lee",
    "harris",
    "clark",
    "lewis",
    "walker",
    "allen",
    "wright",
    "scott",
    "adams",
    "nelson",
    "campbell",
    "mitchell",
    "roberts",
    "carter",
    "phillips",
    "evans",
    "turner",
    "rossi",
    "russo",
    "silva",
    "santos",
    "muller",
    "schmidt",
    "schneider",
    "fischer",
    "dubois",
    "sato",
    "suzuki",
    "takahashi",
    "tanaka",
    "watanabe",
    "ito",
    "yamamoto",
    "nakamura",
    "kobayashi",
    "kato",
    "yoshida",
    "yamada",
    "sasaki",
    "yamaguchi",
    "matsumoto",
    "inoue",
    "kimura",
    "hayashi",
    "shimizu",
    "saito",
    "taro",
    "hanako",
    "hiroshi",
    "takashi",
    "yuki",
    "kenji",
    "akira",
    "yui",
    "sakura",
];

/// True when `v` looks like a person's name: one to four words, the first
/// or last of which is a common name (Latin script, any case), or starting
/// with a common Japanese family name. At most 64 bytes, no digits, no `@`.
pub fn person_name(v: &[u8]) -> bool {
    if v.is_empty() || v.len() > 64 || v.iter().any(|b| b.is_ascii_digit() || *b == b'@') {
        return false;
    }
    let Ok(s) = std::str::from_utf8(v) else {
        return false;
    };
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == '\u{3000}')
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || words.len() > 4 {
        return false;
    }
    if JA_NAMES.iter().any(|n| s.starts_with(n)) {
        // A family name, then at most a few more characters of a given name.
        return s.chars().count() <= 8;
    }
    let latin = |w: &str| {
        let w = w.trim_matches(|c: char| c == '.' || c == '\'');
        w.len() >= 2 && LATIN_NAMES.iter().any(|n| n.eq_ignore_ascii_case(w))
    };
    let capitalised = words
        .iter()
        .all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()));
    capitalised && words.len() >= 2 && (latin(words[0]) || latin(words[words.len() - 1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (detector, value, expected) for every detector.
    type Case = (&'static str, fn(&[u8]) -> bool, &'static str, bool);

    const CASES: &[Case] = &[
        ("email", email, "taro.sato+1@example.co.jp", true),
        ("email", email, "a@b.io", true),
        ("email", email, "not an email", false),
        ("email", email, "a@b", false),
        ("email", email, "@example.com", false),
        ("email", email, "a b@example.com", false),
        ("email", email, "a@example.c0m", false),
        ("phone_ja", phone_ja, "090-1234-5678", true),
        ("phone_ja", phone_ja, "03-1234-5678", true),
        ("phone_ja", phone_ja, "(03)1234-5678", true),
        ("phone_ja", phone_ja, "09012345678", true),
        ("phone_ja", phone_ja, "+81 70 1234 5678", true),
        ("phone_ja", phone_ja, "+81-3-1234-5678", true),
        ("phone_ja", phone_ja, "0312345678", false),
        ("phone_ja", phone_ja, "2024-01-02", false),
        ("phone_ja", phone_ja, "123-4567", false),
        ("phone_ja", phone_ja, "00-1234-5678", false),
        ("phone_intl", phone_intl, "+1 (555) 123-4567", true),
        ("phone_intl", phone_intl, "+44 20 7946 0958", true),
        ("phone_intl", phone_intl, "(555) 123-4567", true),
        ("phone_intl", phone_intl, "+123", false),
        ("phone_intl", phone_intl, "1234567890", false),
        ("phone_intl", phone_intl, "+1+2 345 678 901", false),
        ("phone_integer", phone_integer, "9012345678", true),
        ("phone_integer", phone_integer, "819012345678", true),
        ("phone_integer", phone_integer, "1700000000000", false),
        ("phone_integer", phone_integer, "1700000000", false),
        ("phone_integer", phone_integer, "12345", false),
        ("postal_code", postal_code, "123-4567", true),
        ("postal_code", postal_code, "〒150-0001", true),
        ("postal_code", postal_code, "12345-6789", true),
        ("postal_code", postal_code, "12345", false),
        ("postal_code", postal_code, "12-34567", false),
        ("card_number", card_number, "4111 1111 1111 1111", true),
        ("card_number", card_number, "5500-0000-0000-0004", true),
        ("card_number", card_number, "378282246310005", true),
        ("card_number", card_number, "4111111111111112", false),
        ("card_number", card_number, "1234567812345670", false),
        ("card_number", card_number, "4111", false),
        ("ip_address", ip_address, "192.168.0.1", true),
        ("ip_address", ip_address, "2001:db8::1", true),
        ("ip_address", ip_address, "::", false),
        ("ip_address", ip_address, "12:30", false),
        ("ip_address", ip_address, "256.1.1.1", false),
        ("ip_address", ip_address, "1.2.3", false),
        ("birth_date", birth_date, "1985-04-12", true),
        ("birth_date", birth_date, "1985/04/12", true),
        ("birth_date", birth_date, "1985-04-12 00:00:00", true),
        ("birth_date", birth_date, "2023-04-12", false),
        ("birth_date", birth_date, "1985-04-12 13:45:00", false),
        ("birth_date", birth_date, "1985-13-12", false),
        ("person_name", person_name, "佐藤 太郎", true),
        ("person_name", person_name, "佐々木花子", true),
        ("person_name", person_name, "Mary Johnson", true),
        ("person_name", person_name, "John O'Connell", true),
        ("person_name", person_name, "Green Tea Latte", false),
        ("person_name", person_name, "Smith", false),
        (
            "person_name",
            person_name,
            "森のカフェ特製ハンバーグ定食セット",
            false,
        ),
        ("person_name", person_name, "Widget 2000", false),
        ("person_name", person_name, "mary johnson", false),
    ];

    #[test]
    fn every_detector_on_its_table() {
        for (name, f, v, want) in CASES {
            assert_eq!(f(v.as_bytes()), *want, "{name}({v:?})");
        }
    }

    /// (text, emails found, phones found) in free text and JSON.
    const INSIDE: &[(&str, &[&str], &[&str])] = &[
        (
            "contact me at taro@example.com. thanks",
            &["taro@example.com"],
            &[],
        ),
        (
            r#"{"tel":"090-1234-5678","mail":"a.b@x.jp"}"#,
            &["a.b@x.jp"],
            &["090-1234-5678"],
        ),
        ("call +81 3 1234 5678 today", &[], &["+81 3 1234 5678"]),
        ("order 1234567 of 2024-01-02, id 090123", &[], &[]),
        ("version2.090-1234-5678x", &[], &[]),
        ("", &[], &[]),
    ];

    #[test]
    fn emails_and_phones_inside_text() {
        for (text, emails, phones) in INSIDE {
            let t = text.as_bytes();
            let got: Vec<&[u8]> = emails_in(t).map(|r| &t[r]).collect();
            let want: Vec<&[u8]> = emails.iter().map(|s| s.as_bytes()).collect();
            assert_eq!(got, want, "emails in {text:?}");
            let got: Vec<&[u8]> = phones_in(t).map(|r| &t[r]).collect();
            let want: Vec<&[u8]> = phones.iter().map(|s| s.as_bytes()).collect();
            assert_eq!(got, want, "phones in {text:?}");
        }
    }

    #[test]
    fn luhn_reference() {
        assert!(luhn(b"79927398713"));
        assert!(!luhn(b"79927398710"));
    }

    /// The detectors before their byte-class table (issue 8's speed work),
    /// kept as the oracle: the table must not change what is detected.
    mod before_class_table {
        pub fn email(v: &[u8]) -> bool {
            let Some(at) = memchr::memchr(b'@', v) else {
                return false;
            };
            let (local, domain) = (&v[..at], &v[at + 1..]);
            let local_ok = !local.is_empty()
                && local.len() <= 64
                && local
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || b"._%+-!#$&'*/=?^`{|}~".contains(&b));
            local_ok && domain_ok(domain)
        }

        fn domain_ok(d: &[u8]) -> bool {
            let mut labels = 0;
            let mut last: &[u8] = &[];
            for l in d.split(|&b| b == b'.') {
                if l.is_empty()
                    || l[0] == b'-'
                    || !l.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-')
                {
                    return false;
                }
                labels += 1;
                last = l;
            }
            labels >= 2 && last.len() >= 2 && last.iter().all(u8::is_ascii_alphabetic)
        }

        pub fn emails_in(v: &[u8]) -> Vec<std::ops::Range<usize>> {
            memchr::memchr_iter(b'@', v)
                .filter_map(move |at| {
                    let word = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
                    let mut s = at;
                    while s > 0 && word(v[s - 1]) {
                        s -= 1;
                    }
                    let mut e = at + 1;
                    while e < v.len()
                        && (v[e].is_ascii_alphanumeric() || v[e] == b'.' || v[e] == b'-')
                    {
                        e += 1;
                    }
                    while e > at + 1 && v[e - 1] == b'.' {
                        e -= 1;
                    }
                    while s < at && v[s] == b'.' {
                        s += 1;
                    }
                    email(&v[s..e]).then_some(s..e)
                })
                .collect()
        }

        fn digits_of(v: &[u8], allowed: &[u8]) -> Option<Vec<u8>> {
            let mut out = Vec::new();
            for &b in v {
                if b.is_ascii_digit() {
                    if out.len() == 24 {
                        return None;
                    }
                    out.push(b);
                } else if !allowed.contains(&b) {
                    return None;
                }
            }
            Some(out)
        }

        /// `(phone_ja, phone_intl, card digits)` as before.
        pub fn digit_runs(v: &[u8]) -> [Option<Vec<u8>>; 3] {
            [
                digits_of(v, b" -()+"),
                digits_of(v, b" -().+"),
                digits_of(v, b" -"),
            ]
        }

        pub fn phones_in(v: &[u8]) -> Vec<std::ops::Range<usize>> {
            let mut out = Vec::new();
            let mut i = 0;
            while i < v.len() {
                if !(v[i].is_ascii_digit() || v[i] == b'+' || v[i] == b'(') {
                    i += 1;
                    continue;
                }
                let glued = i > 0 && (v[i - 1].is_ascii_alphanumeric() || v[i - 1] == b'.');
                let s = i;
                while i < v.len() && (v[i].is_ascii_digit() || b" -()+".contains(&v[i])) {
                    i += 1;
                }
                let mut e = i;
                while e > s && !v[e - 1].is_ascii_digit() {
                    e -= 1;
                }
                let tail_glued = e < v.len() && v[e].is_ascii_alphabetic();
                if !glued && !tail_glued && e > s && super::super::phone(&v[s..e]) {
                    out.push(s..e);
                }
            }
            out
        }
    }

    mod class_table_changes_nothing {
        use super::super::*;
        use super::before_class_table as before;
        use proptest::prelude::*;

        /// Pieces of emails, domains and phone numbers, and other bytes,
        /// glued at random: many inputs are (or hold) emails and phones.
        fn text() -> impl Strategy<Value = Vec<u8>> {
            let pieces: Vec<&'static [u8]> = vec![
                b"ab",
                b"Zq",
                b"x9",
                b"@",
                b"@",
                b".",
                b".",
                b"com",
                b"jp",
                b"-",
                b"_",
                b"+",
                b"!",
                b"~",
                b" ",
                b"(",
                b")",
                b"03",
                b"090",
                b"1234",
                b"5678",
                b"+81 ",
                b"81",
                b",",
                b";",
                b"\\",
                b"\xc3\xa9",
                b"\x00",
                b"\xff",
                b"1.2",
                b"co.uk",
                b"a.b@ex.com",
                b"@x.co.jp",
                b"090-1234-5678",
                b"(03)1234-5678",
                b"+81 90 1234 5678",
                b"(555) 123-4567",
            ];
            proptest::collection::vec(proptest::sample::select(pieces), 0..16)
                .prop_map(|p| p.concat())
        }

        /// The generator reaches the interesting cases.
        #[test]
        fn the_generator_makes_emails_and_phones() {
            use proptest::strategy::ValueTree;
            let mut runner = proptest::test_runner::TestRunner::deterministic();
            let (mut emails, mut phones) = (0, 0);
            for _ in 0..4000 {
                let v = text().new_tree(&mut runner).unwrap().current();
                emails += usize::from(emails_in(&v).next().is_some());
                phones += usize::from(phones_in(&v).next().is_some());
            }
            assert!(emails > 100 && phones > 100, "{emails} {phones}");
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(4000))]
            #[test]
            fn same_answers(v in text()) {
                prop_assert_eq!(email(&v), before::email(&v));
                prop_assert_eq!(emails_in(&v).collect::<Vec<_>>(), before::emails_in(&v));
                prop_assert_eq!(phones_in(&v).collect::<Vec<_>>(), before::phones_in(&v));
                if !may_hold_phone(&v) {
                    prop_assert_eq!(phones_in(&v).next(), None);
                }
                let (mut run, mut most) = (0, 0);
                for b in &v {
                    if b.is_ascii_digit() {
                        run += 1;
                    } else if !b" -()+".contains(b) {
                        run = 0;
                    }
                    most = most.max(run);
                }
                prop_assert_eq!(may_hold_phone(&v), most >= 8);
                let mut d = [0u8; 24];
                let now = [
                    digits_of(&v, |b| class::is(b, class::PHONE_SEP), &mut d).map(|n| d[..n].to_vec()),
                    digits_of(&v, |b| b == b'.' || class::is(b, class::PHONE_SEP), &mut d).map(|n| d[..n].to_vec()),
                    digits_of(&v, |b| b == b' ' || b == b'-', &mut d).map(|n| d[..n].to_vec()),
                ];
                prop_assert_eq!(now, before::digit_runs(&v));
            }
        }

        #[test]
        fn emails_at_the_edges() {
            for v in [
                &b"a@b.cd"[..],
                b"a@b.c",
                b"a@-b.cd",
                b"a@b-.cd",
                b"a@b..cd",
                b"a@.b.cd",
                b"a@b.cd.",
                b"a@b.c1",
                b"a@bcd",
                b"@b.cd",
                b"a@b.cd@e.fg",
                b"x@1.2.ab",
            ] {
                assert_eq!(email(v), before::email(v), "{}", String::from_utf8_lossy(v));
            }
        }
    }
}
