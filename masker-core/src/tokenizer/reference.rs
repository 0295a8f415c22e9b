//! A slow, obviously correct statement splitter: the test oracle for
//! [`super::sql::Splitter`].
//!
//! It sees the whole input at once and uses look-ahead instead of resumable
//! states, so it shares no structure with the fast splitter. Property tests
//! and fuzz targets check that both report the same events at the same
//! offsets, however the input is cut into pieces.

use super::sql::Event;

/// Split a whole dump; return every event with its absolute offset, or the
/// offset of the first error.
pub fn split_all(input: &[u8]) -> Result<Vec<(Event, u64)>, u64> {
    let mut events = Vec::new();
    let mut delim: Vec<u8> = b";".to_vec();
    let mut i = 0usize;
    let n = input.len();
    let at = |i: usize| input.get(i).copied();
    'statements: loop {
        // Between statements: whitespace and comments.
        loop {
            match at(i) {
                None => return Ok(events),
                // The delimiter wins over a comment (as in the mysql client).
                Some(_) if input[i..].starts_with(&delim) => break,
                Some(b) if b.is_ascii_whitespace() => i += 1,
                Some(b'#') => i = line_end(input, i),
                Some(b'-') if at(i + 1) == Some(b'-') && at(i + 2).is_none_or(|c| c <= b' ') => {
                    i = line_end(input, i)
                }
                Some(b'/')
                    if at(i + 1) == Some(b'*')
                        && at(i + 2) != Some(b'!')
                        && !(at(i + 2) == Some(b'M') && at(i + 3) == Some(b'!')) =>
                {
                    match find(input, i + 2, b"*/") {
                        Some(e) => i = e + 2,
                        None => return Err(n as u64),
                    }
                }
                Some(_) => break,
            }
        }
        // The first word decides the statement kind.
        let word_end = (i..n)
            .find(|&k| !is_word(input[k]) || input[k] == delim[0])
            .unwrap_or(n);
        let word = input[i..word_end].to_ascii_uppercase();
        if word == b"DELIMITER" && matches!(at(word_end), Some(b' ' | b'\t')) {
            let end = match input[word_end..].iter().position(|&b| b == b'\n') {
                Some(k) => word_end + k,
                None => n,
            };
            // The first word of the rest of the line, as the mysql client takes it.
            let arg = input[word_end..end]
                .split(|b| b.is_ascii_whitespace())
                .find(|w| !w.is_empty())
                .unwrap_or_default();
            if arg.is_empty()
                || arg.len() > 16
                || arg.contains(&b'\\')
                || !super::delimiter_supported(arg)
            {
                return Err(end as u64);
            }
            delim = arg.to_vec();
            i = (end + 1).min(n);
            if end < n {
                events.push((Event::StatementEnd, i as u64));
            }
            continue 'statements;
        }
        let insert = word == b"INSERT" || word == b"REPLACE";
        let mut in_values = false;
        let mut header_done = !insert;
        let mut depth = 0u32;
        let mut cond = false;
        let mut seen_tuple = false;
        let mut k = if insert { word_end } else { i };
        loop {
            let Some(b) = at(k) else {
                return Err(n as u64);
            };
            if input[k..].starts_with(&delim) {
                if cond || in_values && depth > 0 {
                    return Err(k as u64);
                }
                k += delim.len();
                events.push((Event::StatementEnd, k as u64));
                i = k;
                continue 'statements;
            }
            if !header_done && is_word(b) && b != delim[0] {
                let e = (k..n)
                    .find(|&j| !is_word(input[j]) || input[j] == delim[0])
                    .unwrap_or(n);
                let w = input[k..e].to_ascii_uppercase();
                if e < n && (w == b"VALUES" || w == b"VALUE") {
                    events.push((Event::ValuesStart, e as u64));
                    in_values = true;
                    header_done = true;
                } else if e < n && (w == b"SELECT" || w == b"SET") {
                    header_done = true;
                }
                k = e;
                continue;
            }
            if in_values && depth == 0 {
                match b {
                    b'(' => {
                        depth = 1;
                        k += 1;
                    }
                    b',' | b' ' | b'\t' | b'\n' | b'\r' => k += 1,
                    _ if b.is_ascii_alphabetic() && seen_tuple => in_values = false,
                    _ => return Err(k as u64),
                }
                continue;
            }
            match b {
                b'\'' | b'"' | b'`' => k = string_end(input, k).ok_or(n as u64)?,
                b'(' if in_values => {
                    depth += 1;
                    k += 1;
                }
                b')' if in_values => {
                    depth -= 1;
                    k += 1;
                    if depth == 0 {
                        seen_tuple = true;
                        events.push((Event::TupleEnd, k as u64));
                    }
                }
                b'#' if !in_values => k = line_end(input, k),
                b'-' if !in_values
                    && at(k + 1) == Some(b'-')
                    && at(k + 2).is_none_or(|c| c <= b' ') =>
                {
                    k = line_end(input, k)
                }
                b'/' if !in_values && at(k + 1) == Some(b'*') => {
                    if at(k + 2) == Some(b'!') {
                        cond = true;
                        k += 3;
                    } else if at(k + 2) == Some(b'M') && at(k + 3) == Some(b'!') {
                        cond = true;
                        k += 4;
                    } else {
                        k = find(input, k + 2, b"*/").ok_or(n as u64)? + 2;
                    }
                }
                b'*' if cond && !in_values && at(k + 1) == Some(b'/') => {
                    cond = false;
                    k += 2;
                }
                _ => k += 1,
            }
        }
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

fn line_end(input: &[u8], from: usize) -> usize {
    input[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(input.len(), |k| from + k + 1)
}

fn find(input: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from > input.len() {
        return None;
    }
    input[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|k| from + k)
}

/// The offset after the closing quote of the quoted token starting at `start`.
fn string_end(input: &[u8], start: usize) -> Option<usize> {
    let q = input[start];
    let mut k = start + 1;
    loop {
        let b = *input.get(k)?;
        if b == b'\\' && q != b'`' {
            k += 2;
        } else if b == q {
            if input.get(k + 1) == Some(&q) {
                k += 2;
            } else {
                return Some(k + 1);
            }
        } else {
            k += 1;
        }
    }
}
