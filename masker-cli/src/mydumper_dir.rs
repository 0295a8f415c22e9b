//! A mydumper output directory: `metadata`, `db-schema-create.sql`, per
//! table `db.table-schema.sql` (its `CREATE TABLE`) and its data as SQL
//! INSERTs in `db.table.sql` or numbered chunks `db.table.00000.sql`, ...;
//! views (`db.v-schema.sql`, a stand-in table, beside `db.v-schema-view.sql`),
//! triggers (`-schema-triggers.sql`), routines and events
//! (`db-schema-post.sql`); any of them gzipped (`.gz`, `--compress`) or
//! zstd-compressed (`.zst`). This module owns the files of such a directory:
//! recognising the layout, reading each schema, masking each data file with
//! masker-core's [`mask_table_rows`] (the SQL path, bound to the table's
//! schema), and writing the masked directory; the core does no file handling.
//!
//! Everything is checked before anything is written, and every problem is
//! listed at once: each file must be one mydumper writes (data files of
//! `--load-data` / `--csv`, and anything unknown, are refused: nothing is
//! copied unread), each data file must have its table's schema, each schema
//! must be readable, the rules must bind to every table (rules for tables
//! the directory lacks are an error unless `allow_missing`), and `metadata`
//! must say the dump finished (unless `allow_incomplete`). Then each data
//! file is masked into the same name in the output, compressed the same
//! way; every other file is copied byte for byte. The output directory is
//! the caller's staging directory (committed whole on success).
//!
//! mydumper writes data under `SET NAMES binary` (each value is its column's
//! own bytes), so text of latin1, cp932, ... columns is converted around
//! masking ([`ValueBytes::ColumnCharsets`]); a file that says `SET NAMES
//! utf8mb4` is read as UTF-8, any other charset is refused. Generated
//! columns: mydumper leaves them out of its column lists (the server
//! recomputes them from the masked columns on load); a data file that has
//! values for them gets `DEFAULT` where they derive from masked columns, as
//! in a SQL dump.
//!
//! `check` (no output directory) runs exactly this code with every masked
//! row thrown away, and `explain` the same layout and binding.

use std::fs::File;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use masker_core::engine::{BoundTable, Catalog};
use masker_core::error::{Error, ErrorKind};
use masker_core::pipeline::{
    check_table_rows, mask_table_rows, read_schemas, MaskOptions, Summary, TableRows, ValueBytes,
};
use masker_core::rules::Rules;
use masker_core::schema::{TableName, TableSchema};

use crate::file_jobs::{add_summary, copy_file, in_file, run_files, DirSummary};
use crate::io::output::compressor;
use crate::io::{open_input, Compression};
use crate::report::{Failure, EXIT_INPUT, EXIT_IO};

/// True when `dir` looks like mydumper's output: a directory with a
/// `metadata` file and at least one `*-schema.sql` (or `-schema-create`)
/// file, compressed or not.
pub fn is_mydumper_dir(dir: &Path) -> bool {
    if !dir.join("metadata").is_file() {
        return false;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        let (stem, _) = split_compression(&name);
        stem.strip_suffix(".sql")
            .is_some_and(|s| s.ends_with("-schema") || s.ends_with("-schema-create"))
    })
}

/// How the run goes.
#[derive(Debug, Clone, Copy)]
pub struct DirOptions {
    /// Worker threads.
    pub threads: usize,
    /// Rules for tables the directory lacks are not an error.
    pub allow_missing: bool,
    /// Accept a `metadata` without mydumper's `Finished dump at` line.
    pub allow_incomplete: bool,
}

/// A file's name without its compression suffix, and the compression that
/// suffix names.
pub(crate) fn split_compression(name: &str) -> (&str, Compression) {
    if let Some(s) = name.strip_suffix(".gz") {
        (s, Compression::Gzip)
    } else if let Some(s) = name.strip_suffix(".zst") {
        (s, Compression::Zstd)
    } else {
        (name, Compression::None)
    }
}

/// One data file of a table.
#[derive(Debug, Clone)]
struct DataFile {
    name: String,
    compression: Compression,
    size: u64,
}

/// A table (or a view's stand-in) of the directory.
#[derive(Debug)]
struct Table {
    /// `db.table`, as in the file names.
    prefix: String,
    /// `prefix-schema.sql[.gz|.zst]`.
    schema_file: String,
    /// A `prefix-schema-view.sql` is beside it: a view, with no rows.
    view: bool,
    /// Data files in name order (chunk order).
    data: Vec<DataFile>,
}

/// The files of a mydumper directory, sorted into their roles.
#[derive(Debug)]
struct Layout {
    dir: PathBuf,
    tables: Vec<Table>,
    /// Every file that is not a data file: copied unchanged.
    copies: Vec<String>,
    /// What is wrong with the directory (every problem, in name order).
    problems: Vec<String>,
}

/// The compression a file's first bytes show.
fn magic(path: &Path) -> std::io::Result<Compression> {
    let mut head = [0u8; 4];
    let mut f = File::open(path)?;
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(if head[..n].starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head[..n].starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    })
}

fn codec_name(c: Compression) -> &'static str {
    match c {
        Compression::None => "uncompressed",
        Compression::Gzip => "gzip",
        Compression::Zstd => "zstd",
    }
}

impl Layout {
    /// List `dir` and sort its files; problems are collected, not returned
    /// early (only a directory that cannot be listed fails here).
    fn read(dir: &Path) -> Result<Layout, Failure> {
        let cannot = |e: std::io::Error| {
            Failure::new(EXIT_IO, format!("cannot list {}: {e}", dir.display()))
        };
        let mut names = Vec::new();
        let mut problems = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(cannot)? {
            let entry = entry.map_err(cannot)?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            match std::fs::metadata(&path) {
                Ok(m) if m.is_file() => names.push((name, m.len())),
                Ok(_) => problems.push(format!(
                    "{name}: not a regular file (mydumper writes none; masker copies nothing it has not read)"
                )),
                Err(e) => problems.push(format!("{name}: {e}")),
            }
        }
        names.sort();
        let mut tables: Vec<Table> = Vec::new();
        let mut views: Vec<String> = Vec::new();
        let mut copies = Vec::new();
        let mut data: Vec<(String, String, Compression, u64)> = Vec::new();
        let mut has_metadata = false;
        for (name, size) in &names {
            let (stem, compression) = split_compression(name);
            if name == "metadata" {
                has_metadata = true;
                copies.push(name.clone());
                continue;
            }
            // The suffix must tell the truth: the output is compressed the same way.
            match magic(&dir.join(name)) {
                Ok(found) if found != compression => {
                    problems.push(format!(
                        "{name}: its name says {} but its bytes are {}",
                        codec_name(compression),
                        codec_name(found)
                    ));
                    continue;
                }
                Ok(_) => {}
                Err(e) => {
                    problems.push(format!("{name}: cannot read: {e}"));
                    continue;
                }
            }
            if stem.ends_with(".dat") || stem.ends_with(".csv") {
                problems.push(format!(
                    "{name}: a LOAD DATA / CSV data file (mydumper --load-data or --csv) is not supported; dump with INSERT statements (mydumper's default)"
                ));
                continue;
            }
            let Some(base) = stem.strip_suffix(".sql") else {
                problems.push(format!(
                    "{name}: not a file mydumper writes (masker copies nothing it has not read)"
                ));
                continue;
            };
            if base.ends_with("-schema-create")
                || base.ends_with("-schema-triggers")
                || base.ends_with("-schema-post")
            {
                copies.push(name.clone());
            } else if let Some(prefix) = base.strip_suffix("-schema-view") {
                views.push(prefix.to_owned());
                copies.push(name.clone());
            } else if let Some(prefix) = base.strip_suffix("-schema") {
                if tables.iter().any(|t| t.prefix == prefix) {
                    problems.push(format!(
                        "{name}: a second schema file for {prefix} (one compressed, one not?)"
                    ));
                    continue;
                }
                tables.push(Table {
                    prefix: prefix.to_owned(),
                    schema_file: name.clone(),
                    view: false,
                    data: Vec::new(),
                });
                copies.push(name.clone());
            } else {
                data.push((name.clone(), base.to_owned(), compression, *size));
            }
        }
        if !has_metadata {
            problems
                .push("metadata: missing (mydumper writes it in every dump directory)".to_owned());
        }
        for t in &mut tables {
            t.view = views.contains(&t.prefix);
        }
        for (name, base, compression, size) in data {
            // `db.table` or `db.table.00001`.
            let chunk = base
                .rsplit_once('.')
                .filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                .map(|(p, _)| p);
            let known = |p: &str| tables.iter().any(|t| t.prefix == p);
            let prefix = if known(&base) {
                Some(base.clone())
            } else {
                chunk.filter(|p| known(p)).map(str::to_owned)
            };
            let Some(prefix) = prefix else {
                problems.push(format!(
                    "{name}: no schema file ({}-schema.sql) for this data file: its columns are unknown (dumped with --no-schemas?)",
                    chunk.unwrap_or(&base)
                ));
                continue;
            };
            let Some(t) = tables.iter_mut().find(|t| t.prefix == prefix) else {
                continue;
            };
            if t.view {
                problems.push(format!(
                    "{name}: data for {prefix}, which is a view ({prefix}-schema-view.sql)"
                ));
                continue;
            }
            t.data.push(DataFile {
                name,
                compression,
                size,
            });
        }
        Ok(Layout {
            dir: dir.to_owned(),
            tables,
            copies,
            problems,
        })
    }
}

/// The tables of a directory bound to the rules: per table of
/// [`Layout::tables`] that is not a view, its bound table.
struct Compiled {
    tables: Vec<(usize, Arc<BoundTable>)>,
    warnings: Vec<String>,
}

/// Read every schema file and bind every table to the rules in one
/// catalog (views as stand-ins that take no rule); every problem at once,
/// the layout's included. Layout problems make it an invalid input (exit
/// 1), rule problems alone a plan error (exit 3).
fn compile(rules: &Rules, layout: &Layout, allow_missing: bool) -> Result<Compiled, Failure> {
    let mut problems = layout.problems.clone();
    let mut input_problems = !problems.is_empty();
    let mut plan = Vec::new();
    let mut catalog = Catalog::new(rules);
    let mut tables = Vec::new();
    for (i, t) in layout.tables.iter().enumerate() {
        let path = layout.dir.join(&t.schema_file);
        let schemas = open_input(&path)
            .map_err(|f| Error::from(std::io::Error::other(f.message)))
            .and_then(|input| read_schemas(input.reader));
        let schemas = match schemas {
            Ok(s) => s,
            Err(e) => {
                input_problems = true;
                problems.push(in_file(e, &path).to_string());
                continue;
            }
        };
        // The file is named `db.table`: the CREATE TABLE names the table.
        let found = schemas.into_iter().find(|s| {
            t.prefix
                .strip_suffix(&s.name.table)
                .is_some_and(|db| db.ends_with('.') && db.len() > 1)
        });
        let Some(mut schema) = found else {
            if t.view {
                // A view's stand-in masker cannot read holds no rows: copied as is.
                continue;
            }
            input_problems = true;
            problems.push(format!(
                "{}: no CREATE TABLE that masker can read for the table this file is named after ({})",
                t.schema_file, t.prefix
            ));
            continue;
        };
        let db = &t.prefix[..t.prefix.len() - schema.name.table.len() - 1];
        schema.name = TableName::new(Some(db), &schema.name.table);
        match catalog.define(schema, !t.view) {
            Ok(bound) if !t.view => tables.push((i, bound)),
            Ok(_) => {}
            Err(p) => plan.extend(p),
        }
    }
    if !allow_missing {
        plan.extend(catalog.missing_tables());
    }
    problems.extend(plan.iter().map(|p| p.to_string()));
    if problems.is_empty() {
        return Ok(Compiled {
            tables,
            warnings: catalog.row_policy_warnings(),
        });
    }
    if input_problems {
        return Err(Failure::new(
            EXIT_INPUT,
            format!(
                "{} is not a mydumper directory masker can mask:\n  {}",
                layout.dir.display(),
                problems.join("\n  ")
            ),
        ));
    }
    Err(Error::new(ErrorKind::Plan {
        pos: None,
        problems: plan,
    })
    .into())
}

/// `metadata` must end the dump: mydumper writes `Finished dump at` last.
fn check_finished(layout: &Layout, allow_incomplete: bool) -> Result<(), Failure> {
    let path = layout.dir.join("metadata");
    if allow_incomplete || !path.is_file() {
        return Ok(());
    }
    let text = std::fs::read(&path)
        .map_err(|e| Failure::new(EXIT_IO, format!("cannot read {}: {e}", path.display())))?;
    let finished = text
        .split(|&b| b == b'\n')
        .any(|l| l.trim_ascii_start().starts_with(b"Finished dump at"));
    if finished {
        return Ok(());
    }
    Err(Failure::new(
        EXIT_INPUT,
        format!(
            "{}: no `Finished dump at` line: mydumper did not finish this dump (still running, or stopped), so data files may be missing or cut; --allow-incomplete accepts it knowingly",
            path.display()
        ),
    ))
}

/// The connection charset a data file's header sets (`SET NAMES x`), if
/// any, before its first INSERT.
fn set_names(head: &[u8]) -> Option<String> {
    let upto = find(head, b"INSERT").unwrap_or(head.len());
    let head = &head[..upto];
    let at = (0..head.len().saturating_sub(9))
        .find(|&i| head[i..i + 9].eq_ignore_ascii_case(b"SET NAMES"))?;
    let rest = head[at + 9..].trim_ascii_start();
    let word: Vec<u8> = rest
        .iter()
        .copied()
        .skip_while(|&b| b == b'\'' || b == b'"')
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .collect();
    Some(String::from_utf8_lossy(&word).to_ascii_lowercase())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// How a data file's values are encoded, from its header.
fn value_bytes(name: &str, head: &[u8]) -> Result<ValueBytes, String> {
    match set_names(head).as_deref() {
        // mydumper's own connection is binary; 0.10 always says so.
        None | Some("binary") => Ok(ValueBytes::ColumnCharsets),
        Some("utf8mb4" | "utf8" | "utf8mb3") => Ok(ValueBytes::Utf8),
        Some(other) => Err(format!(
            "{name}: SET NAMES {other}: masker reads mydumper data written with SET NAMES binary (the default) or utf8mb4"
        )),
    }
}

/// Bytes of a data file's start read to find its `SET NAMES`.
const HEAD: usize = 4096;

/// Mask (or, without `out_dir`, check) one data file of `schema`'s table.
fn mask_data_file(
    rules: &Rules,
    schema: &TableSchema,
    dir: &Path,
    out_dir: Option<&Path>,
    file: &DataFile,
    threads: usize,
) -> Result<Summary, Failure> {
    let input = dir.join(&file.name);
    // Positions in a compressed file count its decompressed bytes.
    let shown = match file.compression {
        Compression::None => input.clone(),
        c => PathBuf::from(format!(
            "{} ({} decompressed)",
            input.display(),
            codec_name(c)
        )),
    };
    let named = |e: Error| Failure::from(in_file(e, &shown));
    let mut opened = open_input(&input)?;
    let mut head = Vec::with_capacity(HEAD);
    (&mut opened.reader)
        .take(HEAD as u64)
        .read_to_end(&mut head)
        .map_err(|e| named(e.into()))?;
    let values = value_bytes(&file.name, &head).map_err(|m| Failure::new(EXIT_INPUT, m))?;
    let reader = Cursor::new(head).chain(opened.reader);
    let table = TableRows { schema, values };
    let opts = MaskOptions {
        threads,
        ..MaskOptions::default()
    };
    let Some(out_dir) = out_dir else {
        return check_table_rows(rules, table, reader, &opts).map_err(named);
    };
    let output = out_dir.join(&file.name);
    let result = (|| {
        let f = File::create(&output).map_err(|e| {
            Failure::new(EXIT_IO, format!("cannot create {}: {e}", output.display()))
        })?;
        let buffered = std::io::BufWriter::with_capacity(1 << 20, f);
        let mut w = compressor(buffered, file.compression).map_err(|e| {
            Failure::new(EXIT_IO, format!("cannot create {}: {e}", output.display()))
        })?;
        let s = mask_table_rows(rules, table, reader, &mut w, &opts).map_err(named)?;
        let done = w.flush().and_then(|()| w.finish_box());
        done.and_then(|()| File::open(&output)?.sync_all())
            .map_err(|e| {
                Failure::new(EXIT_IO, format!("cannot write {}: {e}", output.display()))
            })?;
        Ok(s)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&output);
    }
    result
}

/// Mask the mydumper directory `dir` into `out_dir` (an existing, empty
/// staging directory that the caller commits or removes), or with `None`
/// check it: every row masked and thrown away, nothing written. See the
/// module docs.
pub fn mask_mydumper_dir(
    rules: &Rules,
    dir: &Path,
    out_dir: Option<&Path>,
    opts: DirOptions,
) -> Result<DirSummary, Failure> {
    let layout = Layout::read(dir)?;
    let compiled = compile(rules, &layout, opts.allow_missing)?;
    check_finished(&layout, opts.allow_incomplete)?;
    // Every data file, with the table it belongs to.
    let jobs: Vec<(usize, &DataFile)> = compiled
        .tables
        .iter()
        .enumerate()
        .flat_map(|(k, (i, _))| layout.tables[*i].data.iter().map(move |d| (k, d)))
        .collect();
    let sizes: Vec<u64> = jobs.iter().map(|(_, d)| d.size).collect();
    let results = run_files(&sizes, opts.threads, |j, threads| {
        let (k, file) = jobs[j];
        let schema = compiled.tables[k].1.schema();
        mask_data_file(rules, schema, dir, out_dir, file, threads)
    })?;
    let mut summary = DirSummary {
        warnings: compiled.warnings.clone(),
        ..DirSummary::default()
    };
    let mut per_table: Vec<Summary> = vec![Summary::default(); compiled.tables.len()];
    for (j, r) in results.into_iter().enumerate() {
        match r {
            Some(Ok(s)) => add_summary(&mut per_table[jobs[j].0], &s, false),
            Some(Err(e)) => return Err(e),
            None => {}
        }
    }
    for ((_, bound), mut s) in compiled.tables.iter().zip(per_table) {
        s.tables = 1;
        if !s.table_names.contains(bound.name()) {
            s.table_names.push(bound.name().clone());
        }
        summary.tables.push((bound.name().clone(), s));
    }
    for t in layout.tables.iter().filter(|t| t.data.is_empty()) {
        summary.schema_only.push(t.schema_file.clone());
    }
    if let Some(out_dir) = out_dir {
        for name in &layout.copies {
            copy_file(&dir.join(name), out_dir).map_err(Failure::from)?;
        }
    }
    Ok(summary)
}

/// The directory's tables bound to the rules, for `masker explain`: the
/// same layout checks and binding as [`mask_mydumper_dir`], no row read.
pub fn bound_tables(
    rules: &Rules,
    dir: &Path,
    allow_missing: bool,
) -> Result<(Vec<Arc<BoundTable>>, Vec<String>), Failure> {
    let layout = Layout::read(dir)?;
    let compiled = compile(rules, &layout, allow_missing)?;
    Ok((
        compiled.tables.into_iter().map(|(_, t)| t).collect(),
        compiled.warnings,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_names_is_read_from_the_header_only() {
        assert_eq!(
            set_names(
                b"/*!40101 SET NAMES binary*/;\n/*!40014 SET FOREIGN_KEY_CHECKS=0*/;\nINSERT"
            ),
            Some("binary".into())
        );
        assert_eq!(set_names(b"SET NAMES 'utf8mb4';\n"), Some("utf8mb4".into()));
        assert_eq!(
            set_names(b"INSERT INTO t VALUES ('SET NAMES latin1');"),
            None
        );
        assert!(value_bytes("f", b"/*!40101 SET NAMES latin1*/;").is_err());
        assert_eq!(
            value_bytes("f", b"SET NAMES utf8mb4;").unwrap(),
            ValueBytes::Utf8
        );
        assert_eq!(value_bytes("f", b"").unwrap(), ValueBytes::ColumnCharsets);
    }

    #[test]
    fn compression_suffixes() {
        assert_eq!(split_compression("a.b.sql.gz").0, "a.b.sql");
        assert_eq!(split_compression("a.b.sql.zst").1, Compression::Zstd);
        assert_eq!(split_compression("metadata").1, Compression::None);
    }
}
