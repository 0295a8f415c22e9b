//! A table's BigQuery schema file (`bq load ... SCHEMA_FILE`) and the column
//! names it shares with the header line.

use super::bigquery::bigquery_type_for;
use super::{BinaryEncoding, ExportOptions};
use crate::schema::{ColumnType, TableSchema};

/// Column-name prefixes BigQuery reserves (compared ASCII case-insensitively).
const RESERVED_PREFIXES: &[&str] = &[
    "_table_",
    "_file_",
    "_partition",
    "_row_timestamp",
    "__root__",
    "_colidentifier",
    "_change_sequence_number",
    "_change_type",
    "_change_timestamp",
];

/// BigQuery's longest column name.
const MAX_NAME: usize = 300;

/// The column names used in the header line and the schema JSON, in column
/// order: each MySQL name made valid for BigQuery's classic rules, and
/// unique.
///
/// BigQuery's classic column names are ASCII letters, digits and `_`,
/// starting with a letter or `_`, at most 300 characters, unique ignoring
/// case, and not starting with a reserved prefix (`_TABLE_`, `_FILE_`,
/// `_PARTITION`, `_ROW_TIMESTAMP`, `__ROOT__`, `_COLIDENTIFIER`, `_CHANGE_*`).
/// Newer "flexible" names allow more, but not every BigQuery API and tool
/// handles them, so the export keeps to the classic rules:
///
/// - every other character (space, `-`, `.`, non-ASCII) becomes `_`;
/// - a name left with no ASCII letter or digit (`氏名`) becomes `col_N`, `N`
///   being the column's 1-based position;
/// - a leading digit gets a `_` in front, a reserved prefix a `c` in front;
/// - names are cut to 300 characters;
/// - a name taken already (ignoring case) gets `_2`, `_3`, ... Names that were
///   valid as they were keep them; only changed names get suffixes.
///
/// The schema JSON gives each changed name a `description` with the MySQL name.
pub fn bigquery_column_names(schema: &TableSchema) -> Vec<String> {
    let mut names: Vec<Option<String>> = Vec::with_capacity(schema.columns.len());
    let mut taken = std::collections::HashSet::new();
    // Pass 1: names valid as they are keep them (first come, first served).
    for c in &schema.columns {
        let lower = c.name.to_ascii_lowercase();
        if is_valid_name(&c.name) && !taken.contains(&lower) {
            taken.insert(lower);
            names.push(Some(c.name.clone()));
        } else {
            names.push(None);
        }
    }
    // Pass 2: everything else is sanitized, then made unique.
    for (i, c) in schema.columns.iter().enumerate() {
        if names[i].is_some() {
            continue;
        }
        let base = sanitize(&c.name, i);
        let mut name = base.clone();
        let mut n = 2usize;
        while taken.contains(&name.to_ascii_lowercase()) {
            let suffix = format!("_{n}");
            let keep = base.len().min(MAX_NAME - suffix.len());
            name = format!("{}{suffix}", &base[..keep]);
            n += 1;
        }
        taken.insert(name.to_ascii_lowercase());
        names[i] = Some(name);
    }
    names.into_iter().map(|n| n.unwrap_or_default()).collect()
}

fn is_valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= MAX_NAME
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_')
        && !has_reserved_prefix(name)
}

fn has_reserved_prefix(name: &str) -> bool {
    RESERVED_PREFIXES.iter().any(|p| {
        name.len() >= p.len() && name.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
    })
}

/// A valid (maybe not unique) name for column `index` called `name`.
fn sanitize(name: &str, index: usize) -> String {
    let mut s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !s.bytes().any(|b| b.is_ascii_alphanumeric()) {
        s = format!("col_{}", index + 1);
    }
    if s.as_bytes()[0].is_ascii_digit() {
        s.insert(0, '_');
    }
    if has_reserved_prefix(&s) {
        s.insert(0, 'c');
    }
    s.truncate(MAX_NAME);
    s
}

/// The schema file for `bq load` (a JSON array of
/// `{"name", "type", "mode"[, "description"]}`), with binary columns as
/// BYTES (base64). See [`bigquery_schema_json_with`].
pub fn bigquery_schema_json(schema: &TableSchema) -> String {
    bigquery_schema_json_with(schema, &ExportOptions::default())
}

/// The schema file for `bq load`, matching files written with `opts`: names
/// from [`bigquery_column_names`], types from
/// [`bigquery_type_for`](super::bigquery_type_for).
///
/// `mode` is `REQUIRED` for `NOT NULL` columns, except where the export may
/// write NULL for a non-NULL value (DATE, DATETIME, TIMESTAMP and TIME columns,
/// see [`write_field`](super::write_field)) and for generated columns (mysqldump
/// leaves their values out of INSERTs): those are `NULLABLE`, like every
/// other column.
pub fn bigquery_schema_json_with(schema: &TableSchema, opts: &ExportOptions) -> String {
    let names = bigquery_column_names(schema);
    let binary: BinaryEncoding = opts.binary;
    let mut out = String::from("[");
    for (i, (c, name)) in schema.columns.iter().zip(&names).enumerate() {
        out.push_str(if i == 0 { "\n  " } else { ",\n  " });
        out.push_str("{\"name\": ");
        json_string(name, &mut out);
        out.push_str(", \"type\": ");
        json_string(bigquery_type_for(c, binary), &mut out);
        let may_null = c.generated
            || matches!(
                c.ty,
                ColumnType::Date | ColumnType::DateTime | ColumnType::Timestamp | ColumnType::Time
            );
        out.push_str(if c.not_null && !may_null {
            ", \"mode\": \"REQUIRED\""
        } else {
            ", \"mode\": \"NULLABLE\""
        });
        if *name != c.name {
            out.push_str(", \"description\": ");
            json_string(&format!("MySQL column: {}", c.name), &mut out);
        }
        out.push('}');
    }
    out.push_str(if names.is_empty() { "]\n" } else { "\n]\n" });
    out
}

/// Append `s` as a JSON string literal.
fn json_string(s: &str, out: &mut String) {
    out.push_str(&serde_json::to_string(s).expect("a string always serializes"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, TableName};

    fn schema(names: &[&str]) -> TableSchema {
        TableSchema {
            name: TableName::new(Some("db"), "t"),
            columns: names
                .iter()
                .map(|n| Column {
                    name: (*n).into(),
                    ty: ColumnType::Json,
                    not_null: false,
                    generated: false,
                    charset: None,
                    collation: None,
                })
                .collect(),
            primary_key: vec![],
            unique_keys: vec![],
            default_charset: None,
            default_collation: None,
            foreign_keys: Vec::new(),
        }
    }

    #[test]
    fn names_are_sanitized_and_unique() {
        let s = schema(&[
            "id",
            "first name",
            "first_name",
            "ID",
            "2fa",
            "氏名",
            "_TABLE_x",
            "__root__",
            "",
            "e-mail.addr",
            "first-name",
        ]);
        assert_eq!(
            bigquery_column_names(&s),
            [
                "id",
                "first_name_2",
                "first_name",
                "ID_2",
                "_2fa",
                "col_6",
                "c_TABLE_x",
                "c__root__",
                "col_9",
                "e_mail_addr",
                "first_name_3",
            ]
        );
    }

    #[test]
    fn long_names_are_cut_and_stay_unique() {
        let long_a = "a".repeat(400);
        let long_b = format!("{}-", "a".repeat(400));
        let names = bigquery_column_names(&schema(&[&long_a, &long_b]));
        assert_eq!(names[0].len(), 300);
        assert_eq!(names[1].len(), 300);
        assert_ne!(names[0].to_lowercase(), names[1].to_lowercase());
    }

    #[test]
    fn json_escapes() {
        let mut s = String::new();
        json_string("a\"b\\c\n\u{1}日", &mut s);
        assert_eq!(s, "\"a\\\"b\\\\c\\n\\u0001日\"");
        assert_eq!(bigquery_schema_json(&schema(&[])), "[]\n");
        assert_eq!(
            bigquery_schema_json(&schema(&["a b"])),
            "[\n  {\"name\": \"a_b\", \"type\": \"JSON\", \"mode\": \"NULLABLE\", \
             \"description\": \"MySQL column: a b\"}\n]\n"
        );
    }
}
