//! The JSON lexer: strict RFC 8259 tokens over bytes, and the JSON string
//! writer.
//!
//! This module owns the byte-level grammar (whitespace, strings with their
//! escapes and UTF-8, numbers, literals) and the escaping of strings we
//! write. It allocates nothing: string bodies come back as spans of the
//! caller's document, unescaped only on request into a caller's buffer.
//! Errors carry the byte offset within the document and say what was
//! expected, never a byte of the document's text.

/// A JSON syntax error: the byte offset within the value and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub at: usize,
    pub what: &'static str,
}

pub(crate) type Result<T> = std::result::Result<T, SyntaxError>;

pub(crate) fn err<T>(at: usize, what: &'static str) -> Result<T> {
    Err(SyntaxError { at, what })
}

/// A string token: the body between the quotes, `[start, end)`, and whether
/// it holds a backslash escape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Str {
    pub start: usize,
    pub end: usize,
    pub escaped: bool,
}

/// Bytes that stop the plain-byte run of a string: `"`, `\` and controls.
static STRING_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// The index of the first byte at or after `i` that is not JSON whitespace.
#[inline]
pub(crate) fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// Scan a string whose opening quote is at `s[i]`. Returns the token and
/// the index after the closing quote. Checks escapes (surrogates paired)
/// and that the body is UTF-8.
pub(crate) fn string(s: &[u8], i: usize) -> Result<(Str, usize)> {
    debug_assert_eq!(s[i], b'"');
    let start = i + 1;
    let mut j = start;
    let mut escaped = false;
    // The OR of every byte: below 0x80, the body is ASCII and needs no
    // UTF-8 check.
    let mut high = 0u8;
    loop {
        while j < s.len() && !STRING_STOP[s[j] as usize] {
            high |= s[j];
            j += 1;
        }
        match s.get(j) {
            None => return err(j, "a closing `\"` (the string is not terminated)"),
            Some(b'"') => break,
            Some(b'\\') => {
                escaped = true;
                j = escape(s, j)?.1;
            }
            Some(_) => return err(j, "no raw control character inside a string (escape it)"),
        }
    }
    if high >= 0x80 {
        if let Err(e) = std::str::from_utf8(&s[start..j]) {
            return err(start + e.valid_up_to(), "UTF-8 text inside a string");
        }
    }
    Ok((
        Str {
            start,
            end: j,
            escaped,
        },
        j + 1,
    ))
}

/// Decode the escape starting at the backslash `s[i]`: the code point (a
/// whole surrogate pair as one) and the index after it.
fn escape(s: &[u8], i: usize) -> Result<(u32, usize)> {
    let c = match s.get(i + 1) {
        Some(b'"') => b'"',
        Some(b'\\') => b'\\',
        Some(b'/') => b'/',
        Some(b'b') => 0x08,
        Some(b'f') => 0x0c,
        Some(b'n') => b'\n',
        Some(b'r') => b'\r',
        Some(b't') => b'\t',
        Some(b'u') => {
            let hi = hex4(s, i + 2)?;
            if (0xDC00..0xE000).contains(&hi) {
                return err(i, "a high surrogate before a low one (\\uDC00-\\uDFFF)");
            }
            if (0xD800..0xDC00).contains(&hi) {
                if s.get(i + 6) != Some(&b'\\') || s.get(i + 7) != Some(&b'u') {
                    return err(i + 6, "a low surrogate \\uDC00-\\uDFFF after a high one");
                }
                let lo = hex4(s, i + 8)?;
                if !(0xDC00..0xE000).contains(&lo) {
                    return err(i + 6, "a low surrogate \\uDC00-\\uDFFF after a high one");
                }
                return Ok((0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00), i + 12));
            }
            return Ok((hi, i + 6));
        }
        _ => {
            return err(
                i,
                "a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
            )
        }
    };
    Ok((c as u32, i + 2))
}

fn hex4(s: &[u8], i: usize) -> Result<u32> {
    let mut v = 0u32;
    for k in 0..4 {
        let d = match s.get(i + k) {
            Some(c @ b'0'..=b'9') => c - b'0',
            Some(c @ b'a'..=b'f') => c - b'a' + 10,
            Some(c @ b'A'..=b'F') => c - b'A' + 10,
            _ => return err(i + k, "four hex digits after \\u"),
        };
        v = v * 16 + d as u32;
    }
    Ok(v)
}

/// Append the unescaped body of a string token (already checked by [`string`]).
pub(crate) fn unescape(s: &[u8], t: Str, out: &mut Vec<u8>) {
    let body = &s[t.start..t.end];
    if !t.escaped {
        out.extend_from_slice(body);
        return;
    }
    let mut i = t.start;
    while i < t.end {
        match memchr::memchr(b'\\', &s[i..t.end]) {
            None => {
                out.extend_from_slice(&s[i..t.end]);
                break;
            }
            Some(k) => {
                out.extend_from_slice(&s[i..i + k]);
                let (cp, next) = escape(s, i + k).expect("checked by string()");
                let ch = char::from_u32(cp).expect("surrogates were paired");
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                i = next;
            }
        }
    }
}

/// Scan a number starting at `s[i]` (`-` or a digit); returns the index after it.
pub(crate) fn number(s: &[u8], i: usize) -> Result<usize> {
    let mut j = i;
    if s.get(j) == Some(&b'-') {
        j += 1;
    }
    match s.get(j) {
        Some(b'0') => j += 1,
        Some(b'1'..=b'9') => {
            while s.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
        }
        _ => return err(j, "a digit"),
    }
    if s.get(j) == Some(&b'.') {
        j += 1;
        if !s.get(j).is_some_and(u8::is_ascii_digit) {
            return err(j, "a digit after the decimal point");
        }
        while s.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
    }
    if matches!(s.get(j), Some(b'e' | b'E')) {
        j += 1;
        if matches!(s.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if !s.get(j).is_some_and(u8::is_ascii_digit) {
            return err(j, "a digit in the exponent");
        }
        while s.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
    }
    Ok(j)
}

/// True when `v` is exactly one JSON number.
pub(crate) fn is_number(v: &[u8]) -> bool {
    matches!(v.first(), Some(b'-' | b'0'..=b'9')) && number(v, 0) == Ok(v.len())
}

/// Scan `true`, `false` or `null` at `s[i]`; returns the index after it.
pub(crate) fn literal(s: &[u8], i: usize) -> Result<usize> {
    for word in [&b"true"[..], b"false", b"null"] {
        if s[i..].starts_with(word) {
            return Ok(i + word.len());
        }
    }
    err(
        i,
        "a JSON value (object, array, string, number, true, false or null)",
    )
}

/// Append `v` as a JSON string: quoted, with `"`, `\` and control
/// characters escaped, everything else (UTF-8) as it is. `Err` when `v` is
/// not UTF-8 (a JSON string cannot hold it).
pub(crate) fn write_string(v: &[u8], out: &mut Vec<u8>) -> std::result::Result<(), ()> {
    if std::str::from_utf8(v).is_err() {
        return Err(());
    }
    out.push(b'"');
    let mut from = 0;
    for (i, &c) in v.iter().enumerate() {
        if !STRING_STOP[c as usize] {
            continue;
        }
        out.extend_from_slice(&v[from..i]);
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => {
                out.extend_from_slice(b"\\u00");
                out.push(crate::transform::fit::HEX[(c >> 4) as usize]);
                out.push(crate::transform::fit::HEX[(c & 15) as usize]);
            }
        }
        from = i + 1;
    }
    out.extend_from_slice(&v[from..]);
    out.push(b'"');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unesc(doc: &str) -> Result<String> {
        let s = doc.as_bytes();
        let (t, end) = string(s, 0)?;
        assert_eq!(end, s.len());
        let mut out = Vec::new();
        unescape(s, t, &mut out);
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(unesc(r#""abc""#).unwrap(), "abc");
        assert_eq!(
            unesc(r#""a\"b\\c\/d\b\f\n\r\t""#).unwrap(),
            "a\"b\\c/d\u{8}\u{c}\n\r\t"
        );
        assert_eq!(unesc(r#""\u00e9\u3042""#).unwrap(), "éあ");
        assert_eq!(unesc(r#""\ud83d\ude00x""#).unwrap(), "😀x");
        assert_eq!(unesc("\"山田\"").unwrap(), "山田");
        for bad in [
            "\"abc",
            "\"a\\x\"",
            "\"a\\u12\"",
            "\"\\ud83d\"",
            "\"\\ud83d\\u0041\"",
            "\"\\ude00\"",
            "\"a\nb\"",
            "\"\\",
        ] {
            assert!(unesc(bad).is_err(), "{bad:?}");
        }
        assert!(string(b"\"\xff\"", 0).is_err());
    }

    #[test]
    fn numbers() {
        for ok in [
            "0",
            "-0",
            "12",
            "-1.5",
            "1e5",
            "1E+5",
            "1.0e-7",
            "123456789012345678901234567890",
        ] {
            assert!(is_number(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "", "-", "01", "1.", ".5", "1e", "+1", "1e+", "0x1", "1 ", "NaN", "--1",
        ] {
            assert!(!is_number(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn written_strings_read_back() {
        for v in [
            "plain",
            "q\"b\\s",
            "nl\ncr\rtab\t\u{1}\u{1f}\u{7f}",
            "日本語",
            "",
        ] {
            let mut out = Vec::new();
            write_string(v.as_bytes(), &mut out).unwrap();
            let back: String = serde_json::from_slice(&out).unwrap();
            assert_eq!(back, v);
            assert_eq!(unesc(std::str::from_utf8(&out).unwrap()).unwrap(), v);
        }
        assert!(write_string(b"\xff", &mut Vec::new()).is_err());
    }
}
