//! SQL identifiers as mysqldump writes them: `` `quoted` `` (backticks doubled
//! inside), `"ansi quoted"`, or bare.

/// Parse one identifier at the start of `input` (leading ASCII whitespace is
/// skipped). Returns the unquoted name and the number of bytes consumed, or
/// `None` when no identifier starts there or a quoted one is unterminated.
/// Names are decoded as UTF-8 lossily: they are used for matching rules, not
/// written back.
pub fn parse_identifier(input: &[u8]) -> Option<(String, usize)> {
    let start = input.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = &input[start..];
    match rest[0] {
        q @ (b'`' | b'"') => {
            let mut name = Vec::new();
            let mut i = 1;
            loop {
                let b = *rest.get(i)?;
                if b == q {
                    if rest.get(i + 1) == Some(&q) {
                        name.push(q);
                        i += 2;
                        continue;
                    }
                    return Some((String::from_utf8_lossy(&name).into_owned(), start + i + 1));
                }
                name.push(b);
                i += 1;
            }
        }
        _ => {
            let len = rest
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80))
                .unwrap_or(rest.len());
            if len == 0 {
                return None;
            }
            Some((
                String::from_utf8_lossy(&rest[..len]).into_owned(),
                start + len,
            ))
        }
    }
}

/// Unquote a whole identifier (`` `a``b` `` -> ``a`b``); bare names are returned as is.
pub fn unquote_identifier(input: &[u8]) -> String {
    match parse_identifier(input) {
        Some((name, used)) if input[used..].iter().all(u8::is_ascii_whitespace) => name,
        _ => String::from_utf8_lossy(input).trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backticks_with_embedded_backtick_and_space() {
        assert_eq!(
            parse_identifier(b" `we``ird name` x"),
            Some(("we`ird name".to_owned(), 15))
        );
    }

    #[test]
    fn bare_and_unterminated() {
        assert_eq!(parse_identifier(b"users("), Some(("users".to_owned(), 5)));
        assert_eq!(parse_identifier(b"`open"), None);
        assert_eq!(parse_identifier(b"(x"), None);
    }
}
