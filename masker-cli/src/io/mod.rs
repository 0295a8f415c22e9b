//! Files, stdin/stdout, compression and interrupts: everything the core does
//! not touch.
//!
//! - [`input`]: a path or `-`; gzip and zstd detected by their magic bytes;
//!   read and decode errors name the path the user typed.
//! - [`output`]: `-o FILE` or stdout. A regular file is written to a
//!   temporary file beside it and renamed only on success; character devices
//!   and FIFOs are written straight into; see [`out_path`] for what the path
//!   may name.
//! - [`out_dir`]: directory outputs (`--tab -o DIR`, `--out-dir DIR`), built
//!   in a temporary sibling and renamed into place only on success.
//! - [`write_behind`]: such a temporary file, and every file of an output
//!   directory, is flushed to disk in the background as it grows, so the
//!   flush before the rename is short.
//! - [`temp`] and [`signals`]: every temporary path of the run is registered,
//!   removed when it is dropped uncommitted or when SIGINT, SIGTERM or SIGHUP
//!   arrives.

pub mod input;
pub mod out_dir;
pub mod out_path;
pub mod output;
pub mod signals;
pub mod temp;
pub mod write_behind;

use std::path::Path;

pub use input::open_input;
pub use output::open_output;

/// Output compression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Compression {
    /// No compression.
    None,
    /// gzip (level 6).
    Gzip,
    /// zstd (level 3, multi-threaded).
    Zstd,
}

impl Compression {
    /// Compression implied by a file name's extension.
    pub fn from_path(path: &Path) -> Compression {
        match path.extension().and_then(|e| e.to_str()) {
            Some("gz") => Compression::Gzip,
            Some("zst" | "zstd") => Compression::Zstd,
            _ => Compression::None,
        }
    }
}
