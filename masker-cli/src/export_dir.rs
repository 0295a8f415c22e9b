//! An export directory read back: what `masker mask --to tsv --out-dir DIR`
//! wrote ([`crate::export_files`]), visited row by row for the leak check
//! (`masker verify-leaks ORIGINAL DIR`), the files of that marketing or
//! analytics copy being exactly what must be proven clean.
//!
//! This module owns the files: recognising an export directory by its own
//! marker files (an `X.schema.json` per table), listing each table's data
//! files (`X.tsv`, or parts `X-00000.tsv`, ..., each maybe `.gz` / `.zst`),
//! telling whether they begin with the export's header, and matching each
//! table to its table of the original dump, whose schema (column names and
//! types, in the order the export writes them) reads its rows. The rows
//! themselves go through [`masker_core::tsv::visit_export`], the one TSV
//! path, in the export's dialect ([`masker_core::export`]).
//!
//! What the directory does not say is taken from where it is written down:
//! - the table of each file: the original's table whose name the export
//!   makes into that file name ([`crate::export_files::file_base`]; `X.2`,
//!   `X.3`, ... are further tables or definitions whose names made `X`),
//!   with the same column names in `X.schema.json`; an export table that
//!   matches no table of the original is refused (the export was not made
//!   from it);
//! - the binary encoding: `X.schema.json` types binary columns `BYTES`
//!   (base64) or `STRING` (hex);
//! - the NULL marker: the rules' `[export]` section, as `mask` took it;
//! - the header line (`--no-header` leaves it out, and nothing records
//!   that): every data file of a run with headers starts with its table's
//!   header, even an empty table's, so the directory has headers when every
//!   data file starts with its table's header line, and none otherwise.
//!   Only an export without headers whose every file begins with a row
//!   holding exactly its column names is misread: that row of column names
//!   is then not looked at.

use std::io::Read;
use std::path::{Path, PathBuf};

use masker_core::export::{bigquery_column_names, bigquery_type, write_header};
use masker_core::export::{BinaryEncoding, ExportOptions};
use masker_core::pipeline::visit::RowVisitor;
use masker_core::rules::Rules;
use masker_core::schema::TableSchema;
use masker_core::tsv::{visit_export, TsvOptions};

use crate::export_files::file_base;
use crate::file_jobs::in_file;
use crate::io::open_input;
use crate::report::{Failure, EXIT_INPUT, EXIT_IO};

/// The marker of an export's table: its schema file for `bq load`.
const SCHEMA_SUFFIX: &str = ".schema.json";

/// The data file extensions the export writes, per compression.
const DATA_EXTENSIONS: [&str; 3] = [".tsv", ".tsv.gz", ".tsv.zst"];

/// True when `dir` holds an export's marker file (an `X.schema.json`): it
/// is then read as an export, never as a `--tab` directory.
pub fn is_export_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.ends_with(SCHEMA_SUFFIX) && e.path().is_file())
        })
    })
}

/// One table of an export directory: its file base, schema file and data
/// files (parts in order).
#[derive(Debug, Clone, PartialEq, Eq)]
struct ExportTable {
    base: String,
    schema_json: PathBuf,
    data: Vec<PathBuf>,
}

/// The tables of the export directory `dir`, by file base. A data file
/// without its schema file, and a schema file without data, are refused
/// (the export writes both for every table, even an empty one).
fn list(dir: &Path) -> Result<Vec<ExportTable>, Failure> {
    let cannot =
        |e: std::io::Error| Failure::new(EXIT_IO, format!("cannot list {}: {e}", dir.display()));
    let mut bases = Vec::new();
    // (stem, part number, path); the stem is `X` or `X-NNNNN`.
    let mut data: Vec<(String, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(cannot)? {
        let entry = entry.map_err(cannot)?;
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        if !path.is_file() {
            continue;
        }
        if let Some(base) = name.strip_suffix(SCHEMA_SUFFIX) {
            bases.push(base.to_owned());
        } else if let Some(stem) = DATA_EXTENSIONS
            .iter()
            .find_map(|ext| name.strip_suffix(ext))
        {
            data.push((stem.to_owned(), path));
        }
    }
    bases.sort();
    let mut tables: Vec<ExportTable> = bases
        .into_iter()
        .map(|base| ExportTable {
            schema_json: dir.join(format!("{base}{SCHEMA_SUFFIX}")),
            base,
            data: Vec::new(),
        })
        .collect();
    // (table, part number or None for a whole file, path)
    let mut placed: Vec<(usize, Option<u64>, PathBuf)> = Vec::new();
    for (stem, path) in data {
        let whole = tables.iter().position(|t| t.base == stem);
        let part = || {
            let (base, n) = stem.rsplit_once('-')?;
            if n.len() < 5 || !n.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let t = tables.iter().position(|t| t.base == base)?;
            Some((t, n.parse::<u64>().ok()?))
        };
        match (whole, part()) {
            (Some(t), _) => placed.push((t, None, path)),
            (None, Some((t, n))) => placed.push((t, Some(n), path)),
            (None, None) => {
                return Err(Failure::new(
                    EXIT_INPUT,
                    format!(
                        "{}: no {stem}{SCHEMA_SUFFIX} (or, for a part, its table's) beside it: its columns are unknown",
                        path.display()
                    ),
                ))
            }
        }
    }
    placed.sort();
    for (t, _, path) in placed {
        tables[t].data.push(path);
    }
    for t in &tables {
        if t.data.is_empty() {
            return Err(Failure::new(
                EXIT_INPUT,
                format!(
                    "{} has no data file beside it ({}.tsv, or parts {}-00000.tsv, ...; maybe .gz or .zst): the export is incomplete",
                    t.schema_json.display(),
                    t.base,
                    t.base
                ),
            ));
        }
    }
    Ok(tables)
}

/// A column of a `bq load` schema file (other members are ignored).
#[derive(serde::Deserialize)]
struct JsonColumn {
    name: String,
    #[serde(rename = "type")]
    ty: String,
}

/// The columns of a schema file: (name, BigQuery type).
fn read_schema_json(path: &Path) -> Result<Vec<JsonColumn>, Failure> {
    let text = std::fs::read(path)
        .map_err(|e| Failure::new(EXIT_IO, format!("cannot read {}: {e}", path.display())))?;
    // serde's messages may quote what they read: say only where.
    serde_json::from_slice(&text).map_err(|e| {
        Failure::new(
            EXIT_INPUT,
            format!(
                "{}: not a BigQuery schema file (a JSON array of {{\"name\", \"type\", ...}}): invalid at line {}, column {}",
                path.display(),
                e.line(),
                e.column()
            ),
        )
    })
}

/// The table of `original` an export table holds: one whose name the export
/// makes into `base` (or into `base` without a `.N` suffix the export adds
/// to names already taken), with the columns the schema file lists.
fn original_of<'a>(
    t: &ExportTable,
    columns: &[JsonColumn],
    originals: &'a [TableSchema],
    original_path: &Path,
) -> Result<&'a TableSchema, Failure> {
    let stripped = t
        .base
        .rsplit_once('.')
        .filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .map(|(b, _)| b);
    let named = |base: &str| -> Vec<&'a TableSchema> {
        originals
            .iter()
            .filter(|s| file_base(&s.name.to_string()) == base)
            .collect()
    };
    let mut candidates = named(&t.base);
    if let Some(b) = stripped {
        candidates.extend(named(b));
    }
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    if let Some(s) = candidates
        .iter()
        .find(|s| bigquery_column_names(s) == names)
    {
        return Ok(s);
    }
    let why = match candidates.first() {
        None => format!(
            "no table of {} is exported under this name",
            original_path.display()
        ),
        Some(s) => format!(
            "its columns are not those of table `{}` of {} (it lists {} columns, the table has {}, or their names differ)",
            s.name,
            original_path.display(),
            names.len(),
            s.columns.len()
        ),
    };
    Err(Failure::new(
        EXIT_INPUT,
        format!(
            "{}: {why}: was the export made from {}?",
            t.schema_json.display(),
            original_path.display()
        ),
    ))
}

/// How the binary columns of `schema` were written, from their types in
/// the schema file (`BYTES`: base64, `STRING`: hex); `default` when the
/// table has none.
fn binary_encoding(
    t: &ExportTable,
    schema: &TableSchema,
    columns: &[JsonColumn],
    default: BinaryEncoding,
) -> Result<BinaryEncoding, Failure> {
    let mut found = None;
    for (c, j) in schema.columns.iter().zip(columns) {
        // `BYTES` when written as base64: the binary columns.
        if bigquery_type(c) != "BYTES" {
            continue;
        }
        let enc = match j.ty.as_str() {
            "BYTES" => BinaryEncoding::Base64,
            "STRING" => BinaryEncoding::Hex,
            _ => {
                return Err(Failure::new(
                    EXIT_INPUT,
                    format!(
                        "{}: binary column `{}` is neither BYTES (base64) nor STRING (hex)",
                        t.schema_json.display(),
                        j.name
                    ),
                ))
            }
        };
        if found.is_some_and(|f| f != enc) {
            return Err(Failure::new(
                EXIT_INPUT,
                format!(
                    "{}: binary columns are typed both BYTES and STRING: not written by one export run",
                    t.schema_json.display()
                ),
            ));
        }
        found = Some(enc);
    }
    Ok(found.unwrap_or(default))
}

/// True when the data file `path` starts with `header`.
fn starts_with(path: &Path, header: &[u8]) -> Result<bool, Failure> {
    let mut input = open_input(path)?;
    let mut head = Vec::with_capacity(header.len());
    input
        .reader
        .by_ref()
        .take(header.len() as u64)
        .read_to_end(&mut head)
        .map_err(|e| Failure::from(masker_core::error::Error::from(e)))?;
    Ok(head == header)
}

/// Visit every row of every table of the export directory `dir` (see the
/// module docs), tables in name order, each file with `threads` workers.
/// `originals`: the tables of the dump the export was made from (`original`
/// names it in messages); `export`: the options of the rules' `[export]`
/// section (the NULL marker).
#[allow(clippy::too_many_arguments)]
pub fn visit_export_dir<V: RowVisitor>(
    rules: &Rules,
    dir: &Path,
    originals: &[TableSchema],
    original: &Path,
    export: &ExportOptions,
    threads: usize,
    visitor: &V,
    mut merge: impl FnMut(V::Part) + Send,
) -> Result<(), Failure> {
    if let Some(stem) = crate::tab_dir::tab_pair(dir) {
        return Err(Failure::new(
            crate::report::EXIT_CONFIG,
            format!(
                "{} holds both an export's X.schema.json files and a `mysqldump --tab` directory's {stem}.sql + {stem}.txt: it cannot be read as either",
                dir.display()
            ),
        ));
    }
    let tables = list(dir)?;
    // Everything is matched and checked before a row is read.
    let mut plans = Vec::with_capacity(tables.len());
    for t in &tables {
        let columns = read_schema_json(&t.schema_json)?;
        let schema = original_of(t, &columns, originals, original)?;
        let binary = binary_encoding(t, schema, &columns, export.binary)?;
        let mut header = Vec::new();
        write_header(schema, &mut header);
        plans.push((t, schema, binary, header));
    }
    let mut with_header = true;
    'files: for (t, _, _, header) in &plans {
        for path in &t.data {
            if !starts_with(path, header)? {
                with_header = false;
                break 'files;
            }
        }
    }
    let opts = TsvOptions {
        threads,
        ..TsvOptions::default()
    };
    for (t, schema, binary, _) in &plans {
        let options = ExportOptions {
            binary: *binary,
            header: with_header,
            ..export.clone()
        };
        for path in &t.data {
            let input = open_input(path)?;
            visit_export(
                rules,
                schema,
                &options,
                input.reader,
                &opts,
                visitor,
                &mut merge,
            )
            .map_err(|e| Failure::from(in_file(e, path)))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use masker_core::schema::parse_create_table;

    fn touch(dir: &Path, names: &[&str]) {
        for n in names {
            std::fs::write(dir.join(n), b"").unwrap();
        }
    }

    #[test]
    fn tables_whole_and_in_parts() {
        let dir = tempfile::tempdir().unwrap();
        touch(
            dir.path(),
            &[
                "shop.users.schema.json",
                "shop.users-00001.tsv.gz",
                "shop.users-00000.tsv.gz",
                "t-00000.schema.json",
                "t-00000.tsv",
                "notes.txt",
            ],
        );
        assert!(is_export_dir(dir.path()));
        let t = list(dir.path()).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].base, "shop.users");
        assert_eq!(
            t[0].data,
            [
                dir.path().join("shop.users-00000.tsv.gz"),
                dir.path().join("shop.users-00001.tsv.gz")
            ]
        );
        // A table whose name looks like a part is a whole file.
        assert_eq!(t[1].base, "t-00000");
        assert_eq!(t[1].data, [dir.path().join("t-00000.tsv")]);
    }

    #[test]
    fn orphans_either_way_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), &["a.schema.json", "a.tsv", "b.tsv.zst"]);
        let e = list(dir.path()).unwrap_err();
        assert!(
            e.message.contains("b.tsv.zst: no b.schema.json"),
            "{}",
            e.message
        );
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), &["a.schema.json"]);
        let e = list(dir.path()).unwrap_err();
        assert!(
            e.message.contains("the export is incomplete"),
            "{}",
            e.message
        );
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), &["a.sql", "a.txt"]);
        assert!(!is_export_dir(dir.path()));
    }

    fn json(names: &[(&str, &str)]) -> Vec<JsonColumn> {
        names
            .iter()
            .map(|(n, t)| JsonColumn {
                name: (*n).into(),
                ty: (*t).into(),
            })
            .collect()
    }

    fn table(base: &str) -> ExportTable {
        ExportTable {
            base: base.into(),
            schema_json: PathBuf::from(format!("{base}.schema.json")),
            data: Vec::new(),
        }
    }

    #[test]
    fn export_tables_match_their_original_by_file_name_and_columns() {
        let originals: Vec<TableSchema> = [
            "CREATE TABLE `shop`.`a/b` (`id` int, `first name` text)",
            "CREATE TABLE `shop`.`a_b` (`id` int, `v` blob)",
            "CREATE TABLE `users` (`id` int)",
        ]
        .iter()
        .map(|s| parse_create_table(s.as_bytes()).unwrap())
        .collect();
        let orig = Path::new("dump.sql");
        let cols = json(&[("id", "INT64"), ("first_name", "STRING")]);
        let s = original_of(&table("shop.a_b"), &cols, &originals, orig).unwrap();
        assert_eq!(s.name.table, "a/b");
        let cols = json(&[("id", "INT64"), ("v", "STRING")]);
        let s = original_of(&table("shop.a_b.2"), &cols, &originals, orig).unwrap();
        assert_eq!(s.name.table, "a_b");
        assert_eq!(
            binary_encoding(&table("x"), s, &cols, BinaryEncoding::Base64).unwrap(),
            BinaryEncoding::Hex
        );
        let e = original_of(&table("orders"), &cols, &originals, orig).unwrap_err();
        assert!(
            e.message
                .contains("no table of dump.sql is exported under this name: was the export made from dump.sql?"),
            "{}",
            e.message
        );
        let e = original_of(&table("users"), &cols, &originals, orig).unwrap_err();
        assert!(
            e.message
                .contains("its columns are not those of table `users`"),
            "{}",
            e.message
        );
    }
}
