//! The header of an `INSERT`/`REPLACE` statement: which table, which columns.

use super::ident::parse_identifier;

/// What an `INSERT ... VALUES` header names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsertHeader {
    /// The database, when the table name is qualified (`` `db`.`t` ``).
    pub database: Option<String>,
    /// The table.
    pub table: String,
    /// The column list (`--complete-insert`), if any.
    pub columns: Option<Vec<String>>,
}

/// Parse the text of an INSERT statement from its first keyword up to and
/// including `VALUES` (the keyword may be left out). Returns a short reason on failure.
pub fn parse_insert_header(text: &[u8]) -> Result<InsertHeader, &'static str> {
    let mut rest = skip_ws(text);
    let (first, used) = word(rest).ok_or("expected INSERT or REPLACE")?;
    rest = &rest[used..];
    let insert = first.eq_ignore_ascii_case(b"INSERT");
    if !insert && !first.eq_ignore_ascii_case(b"REPLACE") {
        return Err("expected INSERT or REPLACE");
    }
    // Modifiers, then an optional INTO.
    loop {
        rest = skip_ws(rest);
        let Some((w, used)) = word(rest) else { break };
        let known = [
            &b"LOW_PRIORITY"[..],
            b"DELAYED",
            b"HIGH_PRIORITY",
            b"IGNORE",
            b"INTO",
        ];
        if known.iter().any(|k| w.eq_ignore_ascii_case(k)) {
            rest = &rest[used..];
            if w.eq_ignore_ascii_case(b"INTO") {
                break;
            }
        } else {
            break;
        }
    }
    let (mut table, used) = parse_identifier(rest).ok_or("expected a table name")?;
    rest = &rest[used..];
    let mut database = None;
    if rest.first() == Some(&b'.') {
        let (t, used) = parse_identifier(&rest[1..]).ok_or("expected a table name after `.`")?;
        database = Some(std::mem::replace(&mut table, t));
        rest = &rest[1 + used..];
    }
    rest = skip_ws(rest);
    // Optional PARTITION (p0, p1): skip it.
    if let Some((w, used)) = word(rest) {
        if w.eq_ignore_ascii_case(b"PARTITION") {
            rest = skip_ws(&rest[used..]);
            let close = rest
                .iter()
                .position(|&b| b == b')')
                .ok_or("unclosed PARTITION list")?;
            rest = skip_ws(&rest[close + 1..]);
        }
    }
    let mut columns = None;
    if rest.first() == Some(&b'(') {
        let mut cols = Vec::new();
        rest = &rest[1..];
        loop {
            let (c, used) = parse_identifier(rest).ok_or("expected a column name")?;
            cols.push(c);
            rest = skip_ws(&rest[used..]);
            match rest.first() {
                Some(b',') => rest = &rest[1..],
                Some(b')') => {
                    rest = &rest[1..];
                    break;
                }
                _ => return Err("expected `,` or `)` in the column list"),
            }
        }
        columns = Some(cols);
    }
    rest = skip_ws(rest);
    if let Some((w, used)) = word(rest) {
        if w.eq_ignore_ascii_case(b"VALUES") || w.eq_ignore_ascii_case(b"VALUE") {
            rest = skip_ws(&rest[used..]);
        }
    }
    if !rest.is_empty() {
        return Err("unexpected text before VALUES");
    }
    Ok(InsertHeader {
        database,
        table,
        columns,
    })
}

fn skip_ws(s: &[u8]) -> &[u8] {
    let k = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    &s[k..]
}

fn word(s: &[u8]) -> Option<(&[u8], usize)> {
    let n = s
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
        .unwrap_or(s.len());
    (n > 0).then(|| (&s[..n], n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_qualified() {
        let h = parse_insert_header(b"INSERT INTO `users` VALUES").unwrap();
        assert_eq!(
            (h.database, h.table.as_str(), h.columns),
            (None, "users", None)
        );
        let h = parse_insert_header(b"REPLACE  INTO `s`.`o``x` (`a`, `b c`) ").unwrap();
        assert_eq!(h.database.as_deref(), Some("s"));
        assert_eq!(h.table, "o`x");
        assert_eq!(h.columns.unwrap(), vec!["a", "b c"]);
        let h = parse_insert_header(b"insert  ignore into t1(id)").unwrap();
        assert_eq!(h.table, "t1");
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_insert_header(b"INSERT INTO t SELECT").is_err());
        assert!(parse_insert_header(b"UPDATE t").is_err());
        assert!(parse_insert_header(b"INSERT INTO (").is_err());
    }
}
