//! Cutting a table into chunks so that one big table keeps every connection
//! busy. An integer primary key (or unique NOT NULL integer key) is cut into
//! key ranges sized from the catalog's average row length; another primary
//! or unique NOT NULL key of comparable types is cut by keyset pagination
//! (boundary keys found by walking the index in the snapshot); a table with
//! neither is one chunk. A chunk is a `WHERE` clause: chunks never overlap
//! and together cover the table, whatever the estimates say. This module
//! reads only key values; boundary values are written as literals that
//! compare under the column's own collation.

use masker_core::schema::{ColumnType, TableSchema};
use masker_core::tokenizer::literal::{encode_hex_into, escape_into, is_plain_number};
use mysql::Conn;

use crate::catalog::TableInfo;
use crate::error::{Error, Result};
use crate::sql::{self, ident, qualified};

/// How a table was cut.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Strategy {
    /// One chunk: no usable key, or a small table.
    Single,
    /// Ranges of an integer key column.
    IntegerRange {
        /// The key column.
        column: String,
    },
    /// Keyset pagination over a primary or unique NOT NULL key.
    Keyset {
        /// The key columns, in key order.
        columns: Vec<String>,
    },
}

/// A table's chunks: the `WHERE` clause of each (`None`: the whole table).
#[derive(Debug, Clone)]
pub struct ChunkPlan {
    /// How the table was cut.
    pub strategy: Strategy,
    /// One condition per chunk, in key order.
    pub conditions: Vec<Option<String>>,
}

/// Cut `table` into chunks of about `chunk_bytes`.
pub fn plan(
    conn: &mut Conn,
    table: &TableInfo,
    schema: &TableSchema,
    chunk_bytes: u64,
) -> Result<ChunkPlan> {
    let single = ChunkPlan {
        strategy: Strategy::Single,
        conditions: vec![None],
    };
    let rows_per_chunk = (chunk_bytes / table.avg_row_length.max(1)).max(1);
    if table.rows_estimate <= rows_per_chunk {
        return Ok(single);
    }
    let Some(key) = choose_key(schema) else {
        return Ok(single);
    };
    let chunks_wanted = table.rows_estimate.div_ceil(rows_per_chunk);
    match key {
        Key::Integer(col) => integer_ranges(conn, table, &col, chunks_wanted),
        Key::Keyset(cols) => keyset(conn, table, schema, &cols, rows_per_chunk),
    }
}

enum Key {
    Integer(String),
    Keyset(Vec<String>),
}

/// The key to cut along: the primary key, else the first unique key whose
/// columns are all NOT NULL; an integer one-column key gets ranges, a key of
/// comparable types keyset pagination.
fn choose_key(schema: &TableSchema) -> Option<Key> {
    let not_null = |c: &String| {
        schema
            .column_index(c)
            .is_some_and(|i| schema.columns[i].not_null)
    };
    let candidates = std::iter::once(&schema.primary_key)
        .filter(|k| !k.is_empty())
        .chain(
            schema
                .unique_keys
                .iter()
                .filter(|k| !k.is_empty() && k.iter().all(not_null)),
        );
    for key in candidates {
        let types: Option<Vec<&ColumnType>> = key
            .iter()
            .map(|c| schema.column_index(c).map(|i| &schema.columns[i].ty))
            .collect();
        let Some(types) = types else { continue };
        if let [ColumnType::Integer { .. }] = types.as_slice() {
            return Some(Key::Integer(key[0].clone()));
        }
        if types.iter().all(|t| keyset_comparable(t)) {
            return Some(Key::Keyset(key.clone()));
        }
    }
    None
}

/// Types whose `ORDER BY` order is the order `<`/`>` against a literal give.
/// (ENUM sorts by member index but compares as text; floats and BIT are left
/// out as keys.)
fn keyset_comparable(t: &ColumnType) -> bool {
    matches!(
        t,
        ColumnType::Integer { .. }
            | ColumnType::Decimal { .. }
            | ColumnType::Char { .. }
            | ColumnType::Binary { .. }
            | ColumnType::Date
            | ColumnType::DateTime
            | ColumnType::Timestamp
            | ColumnType::Time
            | ColumnType::Year
    )
}

fn integer_ranges(
    conn: &mut Conn,
    table: &TableInfo,
    column: &str,
    chunks_wanted: u64,
) -> Result<ChunkPlan> {
    let place = format!("finding the key range of {}", table.display_name());
    let q = format!(
        "SELECT MIN({c}), MAX({c}) FROM {t}",
        c = ident(column),
        t = qualified(&table.database, &table.name)
    );
    let rows = sql::rows(conn, &q, &place)?;
    let bound = |i| -> Option<i128> {
        rows.first()
            .and_then(|r| sql::text(r, i))
            .and_then(|s| s.parse().ok())
    };
    let (Some(min), Some(max)) = (bound(0), bound(1)) else {
        return Ok(ChunkPlan {
            strategy: Strategy::Single,
            conditions: vec![None],
        });
    };
    let span = max - min + 1;
    let n = (chunks_wanted as i128).clamp(1, span);
    let step = (span + n - 1) / n;
    let c = ident(column);
    let mut conditions = Vec::new();
    let mut lo = min;
    while lo <= max {
        let hi = lo + step;
        let cond = match (lo == min, hi > max) {
            (true, true) => None,
            (true, false) => Some(format!("{c} < {hi}")),
            (false, true) => Some(format!("{c} >= {lo}")),
            (false, false) => Some(format!("{c} >= {lo} AND {c} < {hi}")),
        };
        conditions.push(cond);
        lo = hi;
    }
    Ok(ChunkPlan {
        strategy: Strategy::IntegerRange {
            column: column.to_owned(),
        },
        conditions,
    })
}

fn keyset(
    conn: &mut Conn,
    table: &TableInfo,
    schema: &TableSchema,
    columns: &[String],
    rows_per_chunk: u64,
) -> Result<ChunkPlan> {
    let place = format!("finding chunk boundaries of {}", table.display_name());
    let cols: Vec<String> = columns.iter().map(|c| ident(c)).collect();
    let list = cols.join(", ");
    let from = qualified(&table.database, &table.name);
    let mut conditions = Vec::new();
    let mut prev: Option<Vec<String>> = None;
    loop {
        let after = prev.as_ref().map(|p| compare(&cols, p, ">", ">"));
        let q = format!(
            "SELECT {list} FROM {from}{w} ORDER BY {list} LIMIT 1 OFFSET {off}",
            w = after
                .as_ref()
                .map(|a| format!(" WHERE {a}"))
                .unwrap_or_default(),
            off = rows_per_chunk - 1
        );
        let rows = sql::rows(conn, &q, &place)?;
        let Some(row) = rows.first() else {
            conditions.push(after);
            break;
        };
        let mut bound = Vec::with_capacity(cols.len());
        for (i, name) in columns.iter().enumerate() {
            let col = schema
                .column_index(name)
                .map(|j| &schema.columns[j])
                .ok_or_else(|| Error::Table {
                    table: table.display_name(),
                    cause: format!("key column {name} is not in the table"),
                })?;
            let charset = col
                .charset
                .as_deref()
                .or(schema.default_charset.as_deref())
                .unwrap_or("utf8mb4");
            let raw = sql::cell(row, i).ok_or_else(|| Error::Table {
                table: table.display_name(),
                cause: format!("key column {name} holds NULL"),
            })?;
            bound.push(literal(&col.ty, charset, raw));
        }
        let upto = compare(&cols, &bound, "<", "<=");
        conditions.push(Some(match after {
            Some(a) => format!("({a}) AND ({upto})"),
            None => upto,
        }));
        prev = Some(bound);
    }
    Ok(ChunkPlan {
        strategy: Strategy::Keyset {
            columns: columns.to_vec(),
        },
        conditions,
    })
}

/// `(c1, c2, ...) OP (v1, v2, ...)` in lexicographic order, spelled out so
/// the range optimizer uses the index: `strict` between earlier columns,
/// `last` on the last one (`>`,`>` for "after"; `<`,`<=` for "up to").
fn compare(cols: &[String], vals: &[String], strict: &str, last: &str) -> String {
    let mut terms = Vec::with_capacity(cols.len());
    for i in 0..cols.len() {
        let mut parts: Vec<String> = (0..i)
            .map(|j| format!("{} = {}", cols[j], vals[j]))
            .collect();
        let op = if i + 1 == cols.len() { last } else { strict };
        parts.push(format!("{} {op} {}", cols[i], vals[i]));
        terms.push(parts.join(" AND "));
    }
    if terms.len() == 1 {
        terms.pop().unwrap_or_default()
    } else {
        terms
            .iter()
            .map(|t| format!("({t})"))
            .collect::<Vec<_>>()
            .join(" OR ")
    }
}

/// A boundary value as a literal that compares under the column's collation:
/// numbers bare, text as hex with the column's charset introducer (the bytes
/// stay the column's own), binary as `_binary` hex, dates quoted.
fn literal(ty: &ColumnType, charset: &str, raw: &[u8]) -> String {
    let mut out = Vec::new();
    match ty {
        ColumnType::Integer { .. } | ColumnType::Decimal { .. } if is_plain_number(raw) => {
            out.extend_from_slice(raw)
        }
        ColumnType::Char { .. } => {
            out.extend_from_slice(format!("_{charset} ").as_bytes());
            encode_hex_into(raw, &mut out);
        }
        ColumnType::Binary { .. } => {
            out.extend_from_slice(b"_binary ");
            encode_hex_into(raw, &mut out);
        }
        _ => escape_into(raw, &mut out),
    }
    // All ASCII: bare numbers, hex, and the server's own date and time text.
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_spells_out_lexicographic_order() {
        let cols = vec!["`a`".to_string(), "`b`".to_string()];
        let vals = vec!["1".to_string(), "'x'".to_string()];
        assert_eq!(
            compare(&cols, &vals, ">", ">"),
            "(`a` > 1) OR (`a` = 1 AND `b` > 'x')"
        );
        assert_eq!(compare(&cols[..1], &vals[..1], "<", "<="), "`a` <= 1");
    }

    #[test]
    fn text_boundaries_keep_their_charset() {
        let ty = ColumnType::Char {
            max_chars: 10,
            fixed: false,
        };
        assert_eq!(literal(&ty, "latin1", b"\xe9a"), "_latin1 0xE961");
        assert_eq!(literal(&ty, "cp932", b""), "_cp932 ''");
        let int = ColumnType::Integer {
            bytes: 4,
            unsigned: false,
        };
        assert_eq!(literal(&int, "x", b"-12"), "-12");
        assert_eq!(
            literal(&ColumnType::Date, "x", b"2020-01-01"),
            "'2020-01-01'"
        );
    }
}
