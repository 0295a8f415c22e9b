//! Masking TSV data: `mysqldump --tab` / `SELECT ... INTO OUTFILE` files.
//!
//! This module owns the TSV masking path: [`mask_tsv`] masks one table's data
//! stream ([`check_tsv`] is its dry run, [`visit_tsv`] visits its rows, and
//! [`visit_export`] visits the rows of a file of a BigQuery export); the
//! files of a `--tab` directory or an export are the caller's (masker-cli's
//! `tab_dir` and `export_dir`).
//! The format itself (dialect, tokenizer, escapes) lives in
//! [`crate::tokenizer::tsv`]; rules and transforms are the SQL path's.
//!
//! It is the SQL path with another chunker: a chunker on the calling thread
//! runs the TSV tokenizer over every byte (rows only) and cuts ~`chunk_size`
//! chunks at row ends; the same workers, row masker, ordered writer and
//! summary as SQL input then mask each row (the TSV codec decodes escapes and
//! encodes in the same dialect) and copy every other byte, so the output is
//! byte-identical for every thread count. Generated columns of a table with
//! masked columns are written as NULL: their values were derived from the
//! original data.
//!
//! Values map to columns by position: `--tab` output has a value for every
//! column, generated ones included. A row with another number of fields is an
//! error naming its line and byte offset (never a value).

mod chunker;

use std::io::{Read, Write};

use crate::error::Result;
use crate::export::ExportOptions;
use crate::pipeline::visit::RowVisitor;
use crate::pipeline::{MaskOptions, Summary};
use crate::rules::Rules;
use crate::schema::{ColumnType, TableName, TableSchema};
use crate::tokenizer::tsv::TsvDialect;

/// Options of a TSV masking run.
#[derive(Debug, Clone)]
pub struct TsvOptions {
    /// Worker threads; `1` runs everything on the calling thread.
    pub threads: usize,
    /// Preferred chunk size in bytes.
    pub chunk_size: usize,
    /// The first line names the columns: it is checked against the schema,
    /// maps fields to columns, and is written unchanged. With a schema that
    /// has no columns, the header defines them (as `TEXT`).
    pub header: bool,
    /// For a `--tab` directory: do not fail when a rule names a table the
    /// directory does not have. (One stream is one table: rules for other
    /// tables never count as missing there.)
    pub allow_missing: bool,
}

impl Default for TsvOptions {
    fn default() -> Self {
        let sql = MaskOptions::default();
        TsvOptions {
            threads: sql.threads,
            chunk_size: sql.chunk_size,
            header: false,
            allow_missing: false,
        }
    }
}

/// A schema for a table known only by its column names (`--columns`, a
/// header line): every column is `TEXT`.
pub fn text_schema(name: TableName, columns: &[String]) -> TableSchema {
    TableSchema {
        name,
        columns: columns
            .iter()
            .map(|c| crate::schema::Column {
                name: c.clone(),
                ty: ColumnType::Text {
                    max_bytes: u16::MAX as u64,
                },
                not_null: false,
                generated: false,
                charset: None,
                collation: None,
            })
            .collect(),
        primary_key: Vec::new(),
        unique_keys: Vec::new(),
        default_charset: None,
        default_collation: None,
        foreign_keys: Vec::new(),
    }
}

/// Mask one table's TSV data from `input` to `output` (streaming, with
/// `opts.threads` workers, byte-identical output for any thread count).
///
/// Masked fields are decoded, transformed and encoded again in `dialect`;
/// every other byte is copied. Empty rules give the input unchanged. On
/// error the output holds a prefix of the result (whole chunks): write to a
/// temporary file and rename on success.
///
/// ```
/// use masker_core::{rules::Rules, schema::TableName, tokenizer::tsv::TsvDialect};
/// use masker_core::tsv::{mask_tsv, text_schema, TsvOptions};
/// let schema = text_schema(TableName::new(None, "t"), &["id".into(), "memo".into()]);
/// let data = b"1\ta\\tb\n2\t\\N\n";
/// let mut out = Vec::new();
/// let opts = TsvOptions { threads: 1, ..TsvOptions::default() };
/// mask_tsv(&Rules::empty(), &schema, &TsvDialect::default(), &data[..], &mut out, &opts).unwrap();
/// assert_eq!(out, data);
/// ```
pub fn mask_tsv<R: Read + Send, W: Write + Send>(
    rules: &Rules,
    schema: &TableSchema,
    dialect: &TsvDialect,
    input: R,
    output: W,
    opts: &TsvOptions,
) -> Result<Summary> {
    rules.require_key()?;
    run_tsv(rules, schema, dialect, input, output, opts)
}

/// The dry run of [`mask_tsv`] (as [`crate::check_reader`] is of
/// [`crate::mask_reader`]): every row read, bound and masked by the same
/// code, the masked bytes thrown away; rules built without a key (a
/// placeholder key) are accepted.
///
/// ```
/// use masker_core::{rules::RulesBuilder, schema::TableName, tokenizer::tsv::TsvDialect};
/// use masker_core::tsv::{check_tsv, text_schema, TsvOptions};
/// let rules = RulesBuilder::new()
///     .toml("[tables.t]\nmemo = \"null\"\n", "rules.toml")
///     .allow_missing_key(true)
///     .build()
///     .unwrap();
/// let schema = text_schema(TableName::new(None, "t"), &["id".into(), "memo".into()]);
/// let opts = TsvOptions { threads: 1, ..TsvOptions::default() };
/// let s = check_tsv(&rules, &schema, &TsvDialect::default(), &b"1\ta\n2\tb\n"[..], &opts).unwrap();
/// assert_eq!(s.rows, 2);
/// // A row with a field too many is refused, as `mask_tsv` refuses it.
/// assert!(check_tsv(&rules, &schema, &TsvDialect::default(), &b"1\ta\tx\n"[..], &opts).is_err());
/// ```
pub fn check_tsv<R: Read + Send>(
    rules: &Rules,
    schema: &TableSchema,
    dialect: &TsvDialect,
    input: R,
    opts: &TsvOptions,
) -> Result<Summary> {
    run_tsv(rules, schema, dialect, input, std::io::sink(), opts)
}

/// What [`mask_tsv`] and [`check_tsv`] run: the TSV chunker into the
/// pipeline, `output` receiving the masked bytes.
fn run_tsv<R: Read + Send, W: Write + Send>(
    rules: &Rules,
    schema: &TableSchema,
    dialect: &TsvDialect,
    input: R,
    output: W,
    opts: &TsvOptions,
) -> Result<Summary> {
    let chunker = chunker::Chunker::new(input, rules, schema, dialect, opts, None)?;
    crate::pipeline::run(
        chunker,
        output,
        &run_options(opts),
        None,
        crate::pipeline::visit::no_visit(),
    )
}

/// The pipeline's options for one TSV stream. One stream is one table:
/// rules for other tables are not missing.
fn run_options(opts: &TsvOptions) -> MaskOptions {
    MaskOptions {
        threads: opts.threads,
        chunk_size: opts.chunk_size,
        allow_missing: true,
        allow_incomplete: false,
    }
}

/// Visit every row of one table's TSV data, writing nothing (see
/// [`crate::pipeline::visit`]): the TSV counterpart of
/// [`crate::pipeline::visit::visit_reader`]. Rules without a key are accepted.
pub fn visit_tsv<R: Read + Send, V: RowVisitor>(
    rules: &Rules,
    schema: &TableSchema,
    dialect: &TsvDialect,
    input: R,
    opts: &TsvOptions,
    visitor: &V,
    mut merge: impl FnMut(V::Part) + Send,
) -> Result<Summary> {
    let chunker = chunker::Chunker::new(input, rules, schema, dialect, opts, None)?;
    visit_chunks(chunker, opts, visitor, &mut merge)
}

/// Run the pipeline over `chunker`'s rows with `visitor`, writing nothing.
fn visit_chunks<R: Read + Send, V: RowVisitor>(
    chunker: chunker::Chunker<'_, R>,
    opts: &TsvOptions,
    visitor: &V,
    merge: &mut (dyn FnMut(V::Part) + Send),
) -> Result<Summary> {
    crate::pipeline::run(
        chunker,
        std::io::sink(),
        &run_options(opts),
        None,
        Some((visitor, merge)),
    )
}

/// Visit every row of one data file of a BigQuery export (`masker mask --to
/// tsv`, written by [`crate::export`] with `export`), writing nothing: what
/// reads an export back (the leak check of what leaves for BigQuery), on the
/// path of [`visit_tsv`]. `schema` is the table's, as the masking run read
/// it (fields map to its columns by position, generated ones included).
///
/// The file is read in [`crate::export::tsv_dialect`]; with
/// [`ExportOptions::header`] its first line must be the export's header (the
/// column names of [`crate::export::bigquery_column_names`], in order),
/// which is skipped. An unenclosed field equal to the NULL marker is NULL,
/// and binary columns' fields are decoded from base64 or hex
/// ([`crate::export::read_binary_field`]), so a visitor sees the values the
/// masking wrote. Other re-encodings of the export are seen as written (BIT
/// as a number, latin1 text as UTF-8, invalid dates as NULL).
/// `opts.header` is not used. Rules without a key are accepted.
///
/// ```
/// use masker_core::export::ExportOptions;
/// use masker_core::pipeline::visit::{RowVisitor, VisitedRow};
/// use masker_core::{rules::Rules, schema::parse_create_table, tsv::{visit_export, TsvOptions}};
///
/// struct Values;
/// impl RowVisitor for Values {
///     type Part = Vec<Option<Vec<u8>>>;
///     fn row(&self, part: &mut Self::Part, row: &VisitedRow<'_>) {
///         part.extend((0..row.len()).map(|c| row.value(c).map(<[u8]>::to_vec)));
///     }
/// }
/// let schema = parse_create_table(b"CREATE TABLE `t` (`s` text, `b` blob, `n` int)").unwrap();
/// let file = b"s\tb\tn\n\"a\tb\"\"\"\taGk=\t\\N\nNULL\t\\N\t7\n";
/// let mut seen = Vec::new();
/// let opts = TsvOptions { threads: 1, ..TsvOptions::default() };
/// visit_export(&Rules::empty(), &schema, &ExportOptions::default(), &file[..], &opts, &Values, |p| seen.extend(p)).unwrap();
/// let v = |s: &str| Some(s.as_bytes().to_vec());
/// assert_eq!(seen, [v("a\tb\""), v("hi"), None, v("NULL"), None, v("7")]);
/// ```
pub fn visit_export<R: Read + Send, V: RowVisitor>(
    rules: &Rules,
    schema: &TableSchema,
    export: &ExportOptions,
    input: R,
    opts: &TsvOptions,
    visitor: &V,
    mut merge: impl FnMut(V::Part) + Send,
) -> Result<Summary> {
    let dialect = crate::export::tsv_dialect();
    let chunker = chunker::Chunker::new(input, rules, schema, &dialect, opts, Some(export))?;
    visit_chunks(chunker, opts, visitor, &mut merge)
}
