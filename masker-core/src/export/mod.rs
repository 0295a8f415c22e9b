//! Exports of masked tables for other systems: today, tab-separated files that
//! BigQuery loads (`bq load --source_format=CSV --field_delimiter=tab`).
//!
//! This module owns the *encoding* of one value, one header line and one
//! table's schema in BigQuery's dialect, and the `bq load` command line that
//! matches them. It owns no I/O: callers append rows to their own buffers and
//! write them wherever they like (the CLI writes one file per table, see
//! `masker-cli/src/export_files.rs`). It does not mask anything either: the
//! values it is given are the ones already written to the masked SQL dump, so
//! both outputs hold the same pseudonyms.
//!
//! # The dialect
//!
//! - Fields are separated by a tab, rows end with `\n`, the first line is a
//!   header (column names as in the schema JSON) unless
//!   [`ExportOptions::header`] is off.
//! - A field is enclosed in double quotes, with quotes doubled, when it
//!   contains a tab, `\n`, `\r` or `"`, when it is empty, or when it equals
//!   the NULL marker. BigQuery needs `--allow_quoted_newlines` for the first.
//! - `NULL` is written as the NULL marker ([`ExportOptions::null_marker`],
//!   `\N` by default), unquoted. With a custom marker, BigQuery reads an empty
//!   field in a STRING or BYTES column as an empty value, so NULL and `''`
//!   stay apart. A *text* value equal to the marker cannot be told from NULL
//!   by BigQuery even when quoted: it is quoted (strict CSV readers keep it)
//!   and reported as [`FieldOutcome::NullMarkerCollision`]; pick a marker that
//!   no value equals.
//! - Everything is UTF-8, without a byte order mark. Binary columns (BINARY,
//!   VARBINARY, BLOBs, spatial types) are base64 (BigQuery's BYTES load
//!   format) or lowercase hex (loaded as STRING), per [`BinaryEncoding`].
//!
//! See [`write_field`] for the per-type rules (zero dates, TIME ranges,
//! charsets) and [`bigquery_type`] for the type mapping. Reading the files
//! back (the leak check of an export) is [`crate::tsv::visit_export`], in
//! [`tsv_dialect`], binary fields decoded by [`read_binary_field`].

mod bigquery;
mod schema_json;

pub(crate) use bigquery::written_as_binary;

pub use bigquery::{
    bigquery_type, bigquery_type_for, read_binary_field, write_field, write_header, write_row_end,
    write_stored_field,
};
pub use schema_json::{bigquery_column_names, bigquery_schema_json, bigquery_schema_json_with};

/// The export's files as `LOAD DATA` options, to read them back (see
/// [`crate::tsv::visit_export`]): fields terminated by a tab and optionally
/// enclosed by `"` (a doubled quote inside is one quote), no escape
/// character, lines terminated by `\n`. The NULL marker and binary columns
/// are not `LOAD DATA`'s: [`crate::tsv::visit_export`] reads them per
/// [`ExportOptions`].
pub fn tsv_dialect() -> crate::tokenizer::tsv::TsvDialect {
    crate::tokenizer::tsv::TsvDialect::builder()
        .fields_optionally_enclosed_by(b"\"")
        .fields_escaped_by(b"")
        .build()
        .expect("the export's dialect is valid")
}

/// How the export writes values, shared by every table of a run.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The bytes written for SQL `NULL` (`\N` by default); passed to
    /// `bq load --null_marker`. Must not be empty (an empty field is an empty
    /// string) and should not contain a tab, newline or quote.
    pub null_marker: Vec<u8>,
    /// How binary columns are written (base64 by default).
    pub binary: BinaryEncoding,
    /// Write a header line with the column names first (on by default; the
    /// `bq load` command then skips one leading row).
    pub header: bool,
}

impl ExportOptions {
    /// Check the options before anything is written: the NULL marker must be
    /// non-empty (an empty field is an empty string) and hold no tab, `\n`,
    /// `\r` or `"` (it is written unquoted). The message names the option,
    /// not its value.
    pub fn validate(&self) -> Result<(), String> {
        if self.null_marker.is_empty() {
            return Err("null marker: must not be empty".into());
        }
        if self
            .null_marker
            .iter()
            .any(|b| matches!(b, b'\t' | b'\n' | b'\r' | b'"'))
        {
            return Err("null marker: must not contain a tab, newline or double quote".into());
        }
        Ok(())
    }
}

impl ExportOptions {
    /// The defaults with a rules file's `[export]` section applied
    /// (`binary`, `null_marker`), validated. The error names the option.
    pub fn from_rules(section: &crate::rules::ExportRules) -> Result<Self, String> {
        let mut o = ExportOptions::default();
        if let Some(b) = &section.binary {
            o.binary = b.parse().map_err(|e| format!("export.binary: {e}"))?;
        }
        if let Some(m) = &section.null_marker {
            o.null_marker = m.as_bytes().to_vec();
        }
        o.validate().map_err(|e| format!("export: {e}"))?;
        Ok(o)
    }
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            null_marker: b"\\N".to_vec(),
            binary: BinaryEncoding::Base64,
            header: true,
        }
    }
}

/// How binary values are written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryEncoding {
    /// Standard base64 with padding (RFC 4648), which BigQuery loads into
    /// `BYTES` columns.
    Base64,
    /// Lowercase hex digits, two per byte, loaded into `STRING` columns
    /// (BigQuery reads BYTES from CSV as base64 only).
    Hex,
}

impl std::str::FromStr for BinaryEncoding {
    type Err = String;

    /// `base64` or `hex` (ASCII case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("base64") {
            Ok(BinaryEncoding::Base64)
        } else if s.eq_ignore_ascii_case("hex") {
            Ok(BinaryEncoding::Hex)
        } else {
            Err(format!(
                "unknown binary encoding \"{s}\" (expected \"base64\" or \"hex\")"
            ))
        }
    }
}

impl std::fmt::Display for BinaryEncoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BinaryEncoding::Base64 => "base64",
            BinaryEncoding::Hex => "hex",
        })
    }
}

/// What [`write_field`] did with a value, so callers can count what was not
/// written exactly (and report counts, never values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldOutcome {
    /// Written as given, or re-encoded without loss (NULL, base64/hex,
    /// latin1 to UTF-8, BIT to a number).
    Exact,
    /// Text that was not valid UTF-8 (and not in a latin1 column): each
    /// invalid sequence was replaced with U+FFFD.
    Replaced,
    /// A value BigQuery cannot hold was written as NULL: a zero or otherwise
    /// invalid date (`0000-00-00`, `2020-02-30`), a TIME outside
    /// `00:00:00..24:00:00`, an empty value in a numeric or date column.
    Nulled,
    /// A text value equal to the NULL marker: written quoted, but BigQuery
    /// will load it as NULL.
    NullMarkerCollision,
}
