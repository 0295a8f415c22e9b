//! Bounded samples of a live table's rows, for the PII scan: a big table
//! costs a few index range reads of at most `rows` rows in all, never a
//! full scan, so a scan of a large server takes seconds per table.
//!
//! The method ([`sample_table`]):
//! - a table with a one-column integer key (the primary key, or a unique
//!   NOT NULL key) is read in [`WINDOWS`] windows that start at random key
//!   values between the key's `MIN` and `MAX` (two index look-ups); window
//!   `i` reads `WHERE k >= start_i AND k < start_i+1 ORDER BY k LIMIT
//!   rows / WINDOWS`, the last one up to the end of the key. Windows never
//!   overlap, so no row is read twice; if they return fewer rows than asked
//!   (sparse keys), the rows before the first start fill the rest.
//! - any other table: `SELECT ... LIMIT rows` (the first rows in the
//!   server's order: a scan stopped after `rows` rows).
//!
//! This module reads rows and hands each to the caller; it never keeps,
//! prints or logs a value.

use masker_core::schema::{ColumnType, TableSchema};
use mysql::prelude::Queryable;
use mysql::Conn;

use crate::catalog::TableInfo;
use crate::error::{Error, Result};
use crate::sql::{self, ident, qualified};

/// Windows a keyed table's sample is spread over.
pub const WINDOWS: u64 = 4;

/// How a table was sampled (for the report).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "method")]
pub enum Method {
    /// Windows at random key values of an integer key column.
    KeyWindows {
        /// The key column.
        column: String,
        /// The windows read.
        windows: u64,
    },
    /// The first rows (`LIMIT`): no integer key.
    FirstRows,
}

/// A table's sample: how it was taken and how many rows it has.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Sampled {
    /// `db.table`.
    pub table: String,
    /// The method.
    #[serde(flatten)]
    pub method: Method,
    /// Rows read.
    pub rows: u64,
}

/// The one-column integer key to sample along: the primary key, else a
/// unique key on a NOT NULL column.
fn integer_key(schema: &TableSchema) -> Option<&str> {
    let is_int = |c: &String| {
        schema.column_index(c).is_some_and(|i| {
            matches!(schema.columns[i].ty, ColumnType::Integer { .. }) && schema.columns[i].not_null
        })
    };
    std::iter::once(&schema.primary_key)
        .chain(schema.unique_keys.iter())
        .find(|k| k.len() == 1 && is_int(&k[0]))
        .map(|k| k[0].as_str())
}

/// Random starts in `min..=max`, sorted and distinct, the first at `min`
/// or later.
fn window_starts(min: i128, max: i128, n: u64) -> Vec<i128> {
    let span = (max - min + 1).max(1) as u128;
    let mut starts: Vec<i128> = (0..n)
        .map(|_| min + (rand::random::<u64>() as u128 % span) as i128)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// Read up to `rows` rows of `table` (its stored columns `stored`, in that
/// order) as described in the module docs, handing each row's raw cells
/// (`None`: NULL) to `f`.
pub fn sample_table(
    conn: &mut Conn,
    table: &TableInfo,
    schema: &TableSchema,
    stored: &[usize],
    rows: u64,
    mut f: impl FnMut(&[Option<&[u8]>]),
) -> Result<Sampled> {
    let place = format!("sampling {}", table.display_name());
    let cols: Vec<String> = stored
        .iter()
        .map(|&i| ident(&schema.columns[i].name))
        .collect();
    let from = format!(
        "SELECT {} FROM {}",
        cols.join(", "),
        qualified(&table.database, &table.name)
    );
    let mut got = 0u64;
    let mut read = |conn: &mut Conn, q: String, got: &mut u64| -> Result<()> {
        let mut result = conn.query_iter(q).map_err(|e| Error::data(&place, e))?;
        for row in result.by_ref() {
            let row = row.map_err(|e| Error::data(&place, e))?;
            let cells: Vec<Option<&[u8]>> = (0..stored.len()).map(|i| sql::cell(&row, i)).collect();
            f(&cells);
            *got += 1;
        }
        Ok(())
    };
    let key = integer_key(schema);
    let bounds = match key {
        Some(k) => {
            let q = format!(
                "SELECT MIN({k}), MAX({k}) FROM {}",
                qualified(&table.database, &table.name),
                k = ident(k)
            );
            let r = sql::rows(conn, &q, &place)?;
            r.first().and_then(|r| {
                let min: i128 = sql::text(r, 0)?.parse().ok()?;
                let max: i128 = sql::text(r, 1)?.parse().ok()?;
                Some((min, max))
            })
        }
        None => None,
    };
    let (Some(k), Some((min, max))) = (key, bounds) else {
        read(conn, format!("{from} LIMIT {rows}"), &mut got)?;
        return Ok(Sampled {
            table: table.display_name(),
            method: match key {
                // A keyed but empty table.
                Some(k) => Method::KeyWindows {
                    column: k.to_owned(),
                    windows: 0,
                },
                None => Method::FirstRows,
            },
            rows: got,
        });
    };
    let kq = ident(k);
    let starts = window_starts(min, max, WINDOWS.min(rows.max(1)));
    let per = rows.div_ceil(starts.len() as u64);
    for (i, s) in starts.iter().enumerate() {
        let want = per.min(rows - got);
        if want == 0 {
            break;
        }
        let upper = starts
            .get(i + 1)
            .map(|e| format!(" AND {kq} < {e}"))
            .unwrap_or_default();
        read(
            conn,
            format!("{from} WHERE {kq} >= {s}{upper} ORDER BY {kq} LIMIT {want}"),
            &mut got,
        )?;
    }
    if got < rows {
        read(
            conn,
            format!(
                "{from} WHERE {kq} < {} ORDER BY {kq} LIMIT {}",
                starts[0],
                rows - got
            ),
            &mut got,
        )?;
    }
    Ok(Sampled {
        table: table.display_name(),
        method: Method::KeyWindows {
            column: k.to_owned(),
            windows: starts.len() as u64,
        },
        rows: got,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use masker_core::schema::parse_create_table;

    #[test]
    fn integer_keys_are_found() {
        let s =
            parse_create_table(b"CREATE TABLE t (id bigint NOT NULL, PRIMARY KEY (id))").unwrap();
        assert_eq!(integer_key(&s), Some("id"));
        let s = parse_create_table(
            b"CREATE TABLE t (e varchar(9) NOT NULL, n int NOT NULL, PRIMARY KEY (e), UNIQUE KEY u (n))",
        )
        .unwrap();
        assert_eq!(integer_key(&s), Some("n"));
        let s = parse_create_table(b"CREATE TABLE t (a int, b int, PRIMARY KEY (a, b))").unwrap();
        assert_eq!(integer_key(&s), None);
    }

    #[test]
    fn window_starts_stay_in_range_and_sorted() {
        for _ in 0..100 {
            let s = window_starts(-5, 5, 4);
            assert!(!s.is_empty() && s.len() <= 4);
            assert!(s.windows(2).all(|w| w[0] < w[1]));
            assert!(s.iter().all(|x| (-5..=5).contains(x)));
        }
        assert_eq!(window_starts(7, 7, 4), vec![7]);
    }
}
