//! What `masker mask`, `check` and `explain` share for a mydumper
//! directory given as their input: recognising it (or saying why a
//! directory is not one) and the run's options. The directory itself is
//! [`crate::mydumper_dir`].

use std::path::Path;

use crate::mydumper_dir::{is_mydumper_dir, DirOptions};
use crate::report::{Failure, EXIT_CONFIG};

/// `dir` (a directory given as INPUT) must be mydumper's output. A
/// `mysqldump --tab` directory is named as one, with `tab_usage`: how this
/// command takes it, `{dir}` standing for the directory (`masker check
/// --rules RULES --tab {dir}`).
pub fn require_layout(dir: &Path, tab_usage: &str) -> Result<(), Failure> {
    if is_mydumper_dir(dir) {
        return Ok(());
    }
    let usage = tab_usage.replace("{dir}", &dir.display().to_string());
    let data_without_schemas = dir.join("metadata").is_file()
        && std::fs::read_dir(dir).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                crate::mydumper_dir::split_compression(&name)
                    .0
                    .ends_with(".sql")
            })
        });
    let message = match crate::tab_dir::tab_pair(dir) {
        _ if data_without_schemas => format!(
            "{} holds mydumper's `metadata` and data files but no `db.table-schema.sql` file (dumped with --no-schemas?): the columns of its tables are unknown, so no rule can apply; dump it with the schemas",
            dir.display()
        ),
        Some(stem) => format!(
            "{} is a `mysqldump --tab` directory ({stem}.sql + {stem}.txt), not a mydumper directory: give it with --tab: `{usage}`",
            dir.display()
        ),
        None => format!(
            "{} is a directory but not a mydumper directory (a `metadata` file beside `db.table-schema.sql` files); for a `mysqldump --tab` directory use `{usage}`",
            dir.display()
        ),
    };
    Err(Failure::new(EXIT_CONFIG, message))
}

/// The run's options from the flags.
pub fn options(
    threads: Option<usize>,
    allow_missing: bool,
    allow_incomplete: bool,
) -> Result<DirOptions, Failure> {
    let threads = match threads {
        Some(0) => return Err(Failure::new(EXIT_CONFIG, "--threads must be at least 1")),
        Some(t) => t,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    Ok(DirOptions {
        threads,
        allow_missing,
        allow_incomplete,
    })
}
