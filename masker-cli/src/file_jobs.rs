//! What the directory inputs (`--tab` in [`crate::tab_dir`], mydumper in
//! [`crate::mydumper_dir`]) share: running one job per file on the thread
//! budget, writing a file of the staging directory, naming the file a
//! positioned core error comes from, and their summary. It knows nothing of
//! either layout.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use masker_core::error::{Error, ErrorKind, Result};
use masker_core::pipeline::Summary;
use masker_core::schema::TableName;

use crate::io::write_behind::BehindFile;

/// What masking a directory did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DirSummary {
    /// Per masked table, in the order processed.
    pub tables: Vec<(TableName, Summary)>,
    /// Schema files copied without a data file (views), by file name.
    pub schema_only: Vec<String>,
    /// Warnings about the directory's tables as a whole (foreign keys that
    /// point at a table whose rows are dropped or filtered).
    pub warnings: Vec<String>,
}

/// Add the counts of `s` to `into` (one more table when `count_table`).
pub fn add_summary(into: &mut Summary, s: &Summary, count_table: bool) {
    into.bytes_in += s.bytes_in;
    into.bytes_out += s.bytes_out;
    into.statements += s.statements;
    into.rows += s.rows;
    if count_table {
        into.tables += 1;
    }
    for (k, v) in &s.masked {
        *into.masked.entry(k.clone()).or_default() += v;
    }
    for (k, v) in &s.small_domain {
        *into.small_domain.entry(k.clone()).or_default() += v;
    }
    for (k, v) in &s.dropped {
        *into.dropped.entry(k.clone()).or_default() += v;
    }
    for n in &s.table_names {
        if !into.table_names.contains(n) {
            into.table_names.push(n.clone());
        }
    }
    for w in &s.warnings {
        if !into.warnings.contains(w) {
            into.warnings.push(w.clone());
        }
    }
}

impl DirSummary {
    /// The tables' summaries added up.
    pub fn total(&self) -> Summary {
        let mut t = Summary::default();
        t.warnings = self.warnings.clone();
        for (_, s) in &self.tables {
            add_summary(&mut t, s, true);
        }
        t
    }
}

pub fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::from(std::io::Error::new(
        e.kind(),
        format!("{what} {}: {e}", path.display()),
    ))
}

/// Files of 16 MiB and more are masked one at a time, cut into chunks for
/// every thread; smaller ones side by side, one thread each.
const SMALL_FILE: u64 = 16 << 20;

/// Run `one(i, threads)` for each file `i` of `sizes` (their byte sizes):
/// large files (16 MiB and up, or every file with one thread) one at a time
/// with `threads` workers, then the small ones side by side on a pool of
/// `threads`, one worker each (40 tables of 4 MB: 1.01 s with one thread,
/// 0.46 s with two). The first failure of a large file stops the run.
/// Results in file order; `None`: not run.
pub fn run_files<T: Send, E: Send + From<Error>>(
    sizes: &[u64],
    threads: usize,
    one: impl Fn(usize, usize) -> std::result::Result<T, E> + Sync,
) -> std::result::Result<Vec<Option<std::result::Result<T, E>>>, E> {
    let threads = threads.max(1);
    let is_big = |i: usize| threads == 1 || sizes[i] >= SMALL_FILE;
    let mut results: Vec<Option<std::result::Result<T, E>>> =
        (0..sizes.len()).map(|_| None).collect();
    for i in (0..sizes.len()).filter(|&i| is_big(i)) {
        let r = one(i, threads);
        let failed = r.is_err();
        results[i] = Some(r);
        if failed {
            return Ok(results);
        }
    }
    let small: Vec<usize> = (0..sizes.len()).filter(|&i| !is_big(i)).collect();
    if small.is_empty() {
        return Ok(results);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| {
            E::from(Error::from(std::io::Error::other(format!(
                "cannot start worker threads: {e}"
            ))))
        })?;
    let done: Vec<(usize, std::result::Result<T, E>)> = pool.install(|| {
        use rayon::prelude::*;
        small.into_par_iter().map(|i| (i, one(i, 1))).collect()
    });
    for (i, r) in done {
        results[i] = Some(r);
    }
    Ok(results)
}

/// Run `write` into a new file `path` (in the staging directory), synced
/// to disk on success (flushed behind the writer as it grows:
/// [`BehindFile`]); a failed file is removed.
pub fn write_file<T>(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<BehindFile>) -> Result<T>,
) -> Result<T> {
    let f = File::create(path).map_err(|e| io_error("cannot create", path, e))?;
    let mut w = BufWriter::with_capacity(1 << 20, BehindFile::new(f));
    let result = write(&mut w).and_then(|v| {
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        Ok(v)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(path);
    }
    result
}

/// Copy `from` into `out_dir` under its own name, byte for byte.
pub fn copy_file(from: &Path, out_dir: &Path) -> Result<()> {
    let to = out_dir.join(from.file_name().expect("a file name"));
    write_file(&to, |w| {
        let mut f = File::open(from).map_err(|e| io_error("cannot open", from, e))?;
        std::io::copy(&mut f, w)?;
        Ok(())
    })
}

/// A positioned error of `input`'s data, naming the file.
pub fn in_file(e: Error, input: &Path) -> Error {
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
        ErrorKind::Plan { pos, problems } => Error::new(ErrorKind::Plan {
            pos,
            problems: problems
                .into_iter()
                .map(|mut p| {
                    p.message = format!("{}: {}", input.display(), p.message);
                    p
                })
                .collect(),
        }),
        other => Error::new(other),
    }
}

/// `path` made absolute with symlinks resolved, for a path that may not
/// exist yet: its nearest existing ancestor is resolved, the rest appended.
fn resolved(path: &Path) -> std::io::Result<std::path::PathBuf> {
    let abs = std::path::absolute(path)?;
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        match existing.canonicalize() {
            Ok(c) => {
                let mut out = c;
                for part in rest.iter().rev() {
                    out.push(part);
                }
                return Ok(out);
            }
            Err(e) => {
                let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
                    return Err(e);
                };
                rest.push(name.to_owned());
                existing = parent;
            }
        }
    }
}

/// The output directory of a directory input (`what`: `--tab`, `mydumper`)
/// must be neither the input, nor inside it (the staging directory would
/// land among the input's files), nor around it (`--force` would replace
/// the input with it).
pub fn check_out_dir(
    input: &Path,
    output: &Path,
    what: &str,
) -> Result<(), crate::report::Failure> {
    use crate::report::{Failure, EXIT_CONFIG};
    let (Ok(i), Ok(o)) = (resolved(input), resolved(output)) else {
        // Not resolvable: opening them reports why.
        return Ok(());
    };
    let problem = if i == o {
        format!("the output directory must differ from the {what} input directory")
    } else if o.starts_with(&i) {
        format!(
            "the output directory {} is inside the {what} input directory {}: write it elsewhere",
            output.display(),
            input.display()
        )
    } else if i.starts_with(&o) {
        format!(
            "the {what} input directory {} is inside the output directory {}: replacing that would delete the input",
            input.display(),
            output.display()
        )
    } else {
        return Ok(());
    };
    Err(Failure::new(EXIT_CONFIG, problem))
}
