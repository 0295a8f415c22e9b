//! Small helpers for building statements and reading text-protocol rows:
//! identifier quoting, string literals for catalog look-ups, and raw cell
//! access. This module owns no connection and never formats a row value
//! into an error.

use masker_core::tokenizer::literal::escape_into;
use mysql::prelude::Queryable;
use mysql::{Conn, Row, Value};

use crate::error::{Error, Result};

/// `name` as a backtick-quoted identifier (embedded backticks doubled).
pub fn ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// `db`.`table`.
pub fn qualified(db: &str, table: &str) -> String {
    format!("{}.{}", ident(db), ident(table))
}

/// A quoted string literal for a catalog look-up (names are UTF-8).
pub fn string_literal(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len() + 2);
    escape_into(s.as_bytes(), &mut out);
    // Escaping only inserts ASCII backslashes before ASCII bytes: still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// The raw bytes of cell `i` of a text-protocol row; `None` for NULL.
pub fn cell(row: &Row, i: usize) -> Option<&[u8]> {
    match row.as_ref(i) {
        Some(Value::Bytes(b)) => Some(b),
        _ => None,
    }
}

/// Cell `i` as UTF-8 text (catalog columns); NULL and non-UTF-8 give `None`.
pub fn text(row: &Row, i: usize) -> Option<String> {
    cell(row, i).and_then(|b| std::str::from_utf8(b).ok().map(str::to_owned))
}

/// Cell `i` as an unsigned number (catalog columns); NULL or junk give 0.
pub fn number(row: &Row, i: usize) -> u64 {
    text(row, i).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// Run a catalog query and collect its rows; errors keep the server's message.
pub fn rows(conn: &mut Conn, sql: &str, place: &str) -> Result<Vec<Row>> {
    conn.query(sql).map_err(|e| Error::server(place, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_double_backticks() {
        assert_eq!(ident("a`b"), "`a``b`");
        assert_eq!(qualified("d", "t"), "`d`.`t`");
    }

    #[test]
    fn string_literals_escape_quotes() {
        assert_eq!(string_literal("it's"), r"'it\'s'");
    }
}
