//! A `mysqldump --tab` directory: one `X.sql` (schema) and one `X.txt`
//! (data) per table. This is the only file handling in masker-core, a
//! library convenience over [`super::mask_tsv`]: it lists, reads and writes
//! files (temporary name, renamed on success) and nothing else.
//!
//! Everything is checked before anything is written: every schema is read
//! and every table bound to the rules, and rules for tables the directory
//! does not have are an error (unless `allow_missing`). Then large files
//! (16 MiB and up) are masked one at a time with `opts.threads` workers,
//! and smaller ones side by side, one thread each; results and errors are
//! reported in name order. `.sql` files without data (views) are copied
//! unchanged; other files are ignored.

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};

use super::{mask_tsv, visit_tsv, TsvOptions};
use crate::engine::Catalog;
use crate::error::{Error, ErrorKind, Result};
use crate::pipeline::visit::RowVisitor;
use crate::pipeline::{read_schemas, Summary};
use crate::rules::Rules;
use crate::schema::{TableName, TableSchema};
use crate::tokenizer::tsv::TsvDialect;

/// What [`mask_tab_dir`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TabSummary {
    /// Per masked table, in the order processed.
    pub tables: Vec<(TableName, Summary)>,
    /// `.sql` files copied without a data file (views), by file name.
    pub schema_only: Vec<String>,
    /// Warnings about the directory's tables as a whole (foreign keys that
    /// point at a table whose rows are dropped or filtered).
    pub warnings: Vec<String>,
}

impl TabSummary {
    /// The tables' summaries added up.
    pub fn total(&self) -> Summary {
        let mut t = Summary::default();
        for (_, s) in &self.tables {
            t.bytes_in += s.bytes_in;
            t.bytes_out += s.bytes_out;
            t.rows += s.rows;
            t.tables += 1;
            for (k, v) in &s.masked {
                *t.masked.entry(k.clone()).or_default() += v;
            }
            for (k, v) in &s.small_domain {
                *t.small_domain.entry(k.clone()).or_default() += v;
            }
            for (k, v) in &s.dropped {
                *t.dropped.entry(k.clone()).or_default() += v;
            }
            t.table_names.extend(s.table_names.iter().cloned());
        }
        t.warnings = self.warnings.clone();
        t
    }
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::from(std::io::Error::new(
        e.kind(),
        format!("{what} {}: {e}", path.display()),
    ))
}

/// Mask every table of a `--tab` directory `in_dir` into `out_dir` (created
/// when missing; must be another directory). `database` qualifies the table
/// names (rules keyed `db.table` need it). See the module docs.
pub fn mask_tab_dir(
    rules: &Rules,
    in_dir: &Path,
    out_dir: &Path,
    dialect: &TsvDialect,
    opts: &TsvOptions,
    database: Option<&str>,
) -> Result<TabSummary> {
    rules.require_key()?;
    let (sql, txt) = list_dir(in_dir)?;
    std::fs::create_dir_all(out_dir).map_err(|e| io_error("cannot create", out_dir, e))?;
    let same = match (in_dir.canonicalize(), out_dir.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(Error::from(std::io::Error::other(
            "the output directory must differ from the input directory",
        )));
    }
    let (tables, warnings) = compile(rules, in_dir, &sql, &txt, database, opts.allow_missing)?;

    let mut summary = TabSummary {
        warnings,
        ..TabSummary::default()
    };
    let table_opts = TsvOptions {
        allow_missing: true,
        ..opts.clone()
    };
    // Large files one at a time, each cut into chunks for every thread; small
    // files (where chunking gains little) side by side, one thread each.
    let threads = opts.threads.max(1);
    let sizes: Vec<u64> = tables
        .iter()
        .map(|(stem, _)| {
            std::fs::metadata(in_dir.join(format!("{stem}.txt"))).map_or(0, |m| m.len())
        })
        .collect();
    const SMALL_FILE: u64 = 16 << 20;
    let is_big = |i: usize| threads == 1 || sizes[i] >= SMALL_FILE;
    let mut results: Vec<Option<Result<Summary>>> = (0..tables.len()).map(|_| None).collect();
    let one = |i: usize, opts: &TsvOptions| {
        let (stem, schema) = &tables[i];
        mask_table_file(rules, schema, dialect, in_dir, out_dir, stem, opts)
    };
    for i in (0..tables.len()).filter(|&i| is_big(i)) {
        let r = one(i, &table_opts);
        let failed = r.is_err();
        results[i] = Some(r);
        if failed {
            break;
        }
    }
    let small: Vec<usize> = (0..tables.len()).filter(|&i| !is_big(i)).collect();
    if results.iter().all(|r| !matches!(r, Some(Err(_)))) && !small.is_empty() {
        let single = TsvOptions {
            threads: 1,
            ..table_opts.clone()
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| {
                Error::from(std::io::Error::other(format!(
                    "cannot start worker threads: {e}"
                )))
            })?;
        let done: Vec<(usize, Result<Summary>)> = pool.install(|| {
            use rayon::prelude::*;
            small
                .into_par_iter()
                .map(|i| (i, one(i, &single)))
                .collect()
        });
        for (i, r) in done {
            results[i] = Some(r);
        }
    }
    // Report in table order: the first failure, or every table's summary.
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Some(Ok(s)) => summary.tables.push((tables[i].1.name.clone(), s)),
            Some(Err(e)) => return Err(e),
            None => {}
        }
    }
    for stem in sql.iter().filter(|s| !txt.contains(s)) {
        copy_file(&in_dir.join(format!("{stem}.sql")), out_dir)?;
        summary.schema_only.push(format!("{stem}.sql"));
    }
    Ok(summary)
}

/// Mask `in_dir/stem.txt` into `out_dir/stem.txt` (atomically) and copy `stem.sql`.
fn mask_table_file(
    rules: &Rules,
    schema: &TableSchema,
    dialect: &TsvDialect,
    in_dir: &Path,
    out_dir: &Path,
    stem: &str,
    opts: &TsvOptions,
) -> Result<Summary> {
    let input = in_dir.join(format!("{stem}.txt"));
    let output = out_dir.join(format!("{stem}.txt"));
    let s = write_atomically(&output, |w| {
        let f = File::open(&input).map_err(|e| io_error("cannot open", &input, e))?;
        // Say which file a positioned error is in.
        mask_tsv(rules, schema, dialect, f, w, opts).map_err(|e| in_file(e, &input))
    })?;
    copy_file(&in_dir.join(format!("{stem}.sql")), out_dir)?;
    Ok(s)
}

/// Run `write` into a temporary file beside `path`; rename it to `path` on success.
fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<T>,
) -> Result<T> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let tmp: PathBuf = path.with_file_name(format!(
        ".{}.masker-tmp-{}",
        name.unwrap_or_default(),
        std::process::id()
    ));
    let f = File::create(&tmp).map_err(|e| io_error("cannot create", &tmp, e))?;
    let mut w = BufWriter::with_capacity(1 << 20, f);
    let result = write(&mut w).and_then(|v| {
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        Ok(v)
    });
    match result {
        Ok(v) => {
            std::fs::rename(&tmp, path).map_err(|e| io_error("cannot rename to", path, e))?;
            Ok(v)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

fn copy_file(from: &Path, out_dir: &Path) -> Result<()> {
    let to = out_dir.join(from.file_name().expect("a file name"));
    write_atomically(&to, |w| {
        let mut f = File::open(from).map_err(|e| io_error("cannot open", from, e))?;
        std::io::copy(&mut f, w)?;
        Ok(())
    })
}

/// The `.sql` and `.txt` stems of a `--tab` directory, sorted; a `.txt`
/// without its `.sql` is an error.
fn list_dir(in_dir: &Path) -> Result<(Vec<String>, Vec<String>)> {
    let mut sql = Vec::new();
    let mut txt = Vec::new();
    let entries = std::fs::read_dir(in_dir).map_err(|e| io_error("cannot list", in_dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io_error("cannot list", in_dir, e))?;
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        match path.extension().and_then(|e| e.to_str()) {
            Some("sql") => sql.push(stem),
            Some("txt") => txt.push(stem),
            _ => {}
        }
    }
    sql.sort();
    txt.sort();
    if let Some(orphan) = txt.iter().find(|t| !sql.contains(t)) {
        return Err(Error::new(ErrorKind::Plan {
            pos: None,
            problems: vec![format!(
                "{orphan}.txt has no {orphan}.sql beside it: its columns are unknown"
            )],
        }));
    }
    Ok((sql, txt))
}

/// Read every schema of the tables with data and bind each to the rules;
/// every problem at once.
/// The tables of a `--tab` directory (file stem, schema) and the warnings
/// about them as a whole.
type Compiled = (Vec<(String, TableSchema)>, Vec<String>);

fn compile(
    rules: &Rules,
    in_dir: &Path,
    sql: &[String],
    txt: &[String],
    database: Option<&str>,
    allow_missing: bool,
) -> Result<Compiled> {
    let mut tables: Vec<(String, TableSchema)> = Vec::new();
    let mut problems = Vec::new();
    let mut catalog = Catalog::new(rules);
    for stem in sql.iter().filter(|s| txt.contains(s)) {
        let path = in_dir.join(format!("{stem}.sql"));
        let f = File::open(&path).map_err(|e| io_error("cannot open", &path, e))?;
        let schemas = read_schemas(BufReader::new(f))?;
        let schema = match schemas.iter().position(|s| s.name.table == *stem) {
            Some(i) => schemas[i].clone(),
            None if schemas.len() == 1 => schemas[0].clone(),
            None => {
                problems.push(format!(
                    "{stem}.sql: no CREATE TABLE for table `{stem}` (found {})",
                    schemas.len()
                ));
                continue;
            }
        };
        let mut schema = schema;
        if let Some(db) = database {
            schema.name.database = Some(db.to_owned());
        }
        if let Err(p) = catalog.define(schema.clone(), true) {
            problems.extend(p);
        }
        tables.push((stem.clone(), schema));
    }
    if !allow_missing {
        problems.extend(catalog.missing_tables());
    }
    if !problems.is_empty() {
        return Err(Error::new(ErrorKind::Plan {
            pos: None,
            problems,
        }));
    }
    Ok((tables, catalog.row_policy_warnings()))
}

/// A positioned error of `input`'s data, naming the file.
fn in_file(e: Error, input: &Path) -> Error {
    match e.into_kind() {
        ErrorKind::Syntax { pos, message } => {
            Error::syntax(pos, format!("{}: {message}", input.display()))
        }
        ErrorKind::Mask { pos, message } => Error::new(ErrorKind::Mask {
            pos,
            message: format!("{}: {message}", input.display()),
        }),
        ErrorKind::UnexpectedEof { pos, inside } => Error::syntax(
            pos,
            format!(
                "{}: input ends inside {inside} (truncated file?)",
                input.display()
            ),
        ),
        other => Error::new(other),
    }
}

/// Visit every row of every table of a `--tab` directory, writing nothing
/// (see [`crate::pipeline::visit`]): tables one after the other in name
/// order, each with `opts.threads` workers. `merge` receives each chunk's
/// part. Returns each table's schema and summary.
pub fn visit_tab_dir<V: RowVisitor>(
    rules: &Rules,
    in_dir: &Path,
    dialect: &TsvDialect,
    opts: &TsvOptions,
    database: Option<&str>,
    visitor: &V,
    mut merge: impl FnMut(V::Part) + Send,
) -> Result<Vec<(TableSchema, Summary)>> {
    let (sql, txt) = list_dir(in_dir)?;
    let (tables, _) = compile(rules, in_dir, &sql, &txt, database, opts.allow_missing)?;
    let mut out = Vec::with_capacity(tables.len());
    for (stem, schema) in &tables {
        let input = in_dir.join(format!("{stem}.txt"));
        let f = File::open(&input).map_err(|e| io_error("cannot open", &input, e))?;
        let table_opts = TsvOptions {
            allow_missing: true,
            ..opts.clone()
        };
        let s = visit_tsv(
            rules,
            schema,
            dialect,
            BufReader::with_capacity(1 << 20, f),
            &table_opts,
            visitor,
            &mut merge,
        )
        .map_err(|e| in_file(e, &input))?;
        out.push((schema.clone(), s));
    }
    Ok(out)
}
