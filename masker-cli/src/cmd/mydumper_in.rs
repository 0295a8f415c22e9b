//! What `masker mask`, `check` and `explain` share for a mydumper
//! directory given as their input: recognising it (or saying why a
//! directory is not one) and the run's options. The directory itself is
//! [`crate::mydumper_dir`].

use std::path::Path;

use crate::mydumper_dir::{is_mydumper_dir, DirOptions};
use crate::report::{Failure, EXIT_CONFIG};

/// `dir` (a directory given as INPUT) must be mydumper's output.
pub fn require_layout(dir: &Path) -> Result<(), Failure> {
    if is_mydumper_dir(dir) {
        return Ok(());
    }
    Err(Failure::new(
        EXIT_CONFIG,
        format!(
            "{} is a directory but not a mydumper directory (a `metadata` file beside `db.table-schema.sql` files); for a `mysqldump --tab` directory use `masker mask --tab {}`",
            dir.display(),
            dir.display()
        ),
    ))
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
