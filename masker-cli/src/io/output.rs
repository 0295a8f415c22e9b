//! Where a masked stream goes (`-o FILE` or stdout) and its compression.
//!
//! - stdout (no `-o`, or `-o -`);
//! - a regular file, or a path that does not exist yet: written to a
//!   temporary file beside it (created exclusively, registered for removal on
//!   an interrupt) and renamed over it by [`Output::commit`] only when the
//!   whole run succeeded, keeping the old file's permissions; a symlink is
//!   followed, so its target is replaced and the link stays;
//! - a character device or a FIFO: written straight into (no temporary file,
//!   no rename, so `/dev/null` stays a device and a FIFO's reader gets the
//!   data);
//! - a directory, a read-only file, a block device or a socket: refused.
//!
//! Every error names the path the user typed, never the temporary name.
//! This module does not decide the compression of the export's files
//! (`export_files`) nor handle directories ([`super::out_dir`]).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::out_path::{refuse_replacing, resolve, OutKind};
use super::temp::TempPath;
use super::write_behind;
use super::Compression;
use crate::report::{Failure, EXIT_IO};

/// A writer whose end must be written explicitly (compression trailers).
pub trait FinishWrite: Write + Send {
    /// Write trailers and flush.
    fn finish_box(self: Box<Self>) -> io::Result<()>;
}

impl<W: Write + Send> FinishWrite for flate2::write::GzEncoder<W> {
    fn finish_box(self: Box<Self>) -> io::Result<()> {
        self.finish()?.flush()
    }
}

impl<W: Write + Send> FinishWrite for zstd::stream::write::Encoder<'static, W> {
    fn finish_box(self: Box<Self>) -> io::Result<()> {
        self.finish()?.flush()
    }
}

/// No compression.
pub struct Plain<W>(pub W);

impl<W: Write> Write for Plain<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl<W: Write + Send> FinishWrite for Plain<W> {
    fn finish_box(mut self: Box<Self>) -> io::Result<()> {
        self.0.flush()
    }
}

/// A file whose write errors name the path the user typed (a full disk says
/// which output filled it). The error kind is kept, so a broken pipe is
/// still recognised as one.
///
/// A file replaced on commit also asks for background flushes as it grows
/// ([`write_behind`]).
struct NamedFile {
    file: File,
    user: PathBuf,
    ticker: Option<write_behind::Ticker>,
}

impl NamedFile {
    fn named(&self, e: io::Error) -> io::Error {
        if e.kind() == io::ErrorKind::Interrupted {
            return e;
        }
        io::Error::new(
            e.kind(),
            format!("cannot write {}: {e}", self.user.display()),
        )
    }
}

impl Write for NamedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf).map_err(|e| self.named(e))?;
        if let Some(t) = &mut self.ticker {
            t.wrote(n as u64);
        }
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.flush().map_err(|e| self.named(e))
    }
}

pub(crate) fn compressor<W: Write + Send + 'static>(
    w: W,
    c: Compression,
) -> io::Result<Box<dyn FinishWrite>> {
    Ok(match c {
        Compression::None => Box::new(Plain(w)),
        Compression::Gzip => Box::new(flate2::write::GzEncoder::new(
            w,
            flate2::Compression::default(),
        )),
        Compression::Zstd => {
            let mut e = zstd::stream::write::Encoder::new(w, 3)?;
            let workers = std::thread::available_parallelism().map_or(1, |n| n.get()) as u32;
            // Multi-threaded compression when the library has it; fine without.
            let _ = e.multithread(workers);
            // Small jobs keep the compressor's memory near a few MB per thread.
            let _ = e.set_parameter(zstd::stream::raw::CParameter::JobSize(1 << 20));
            Box::new(e)
        }
    })
}

/// Where the bytes end up.
enum Dest {
    Stdout,
    /// A device or FIFO, written in place.
    Direct,
    /// A temporary file renamed over `target` on commit; `flusher` flushes
    /// the same file to disk as it is written, and hands it back to be
    /// flushed a last time before the rename.
    Replace {
        temp: TempPath,
        target: PathBuf,
        flusher: write_behind::Flusher,
    },
}

/// An opened output; see the module docs.
pub struct Output {
    writer: Option<Box<dyn FinishWrite>>,
    dest: Dest,
    /// The path the user typed (`-` for stdout).
    user: PathBuf,
}

fn io_failure(user: &Path, what: &str, e: impl std::fmt::Display) -> Failure {
    Failure::new(EXIT_IO, format!("cannot {what} {}: {e}", user.display()))
}

/// Open the output: stdout (`None` or `-`) or `path` as the module docs say.
/// Compression comes from `compress`, else from `path`'s extension.
pub fn open_output(path: Option<&Path>, compress: Option<Compression>) -> Result<Output, Failure> {
    let path = path.filter(|p| p.as_os_str() != "-");
    let Some(user) = path else {
        let c = compress.unwrap_or(Compression::None);
        return Ok(Output {
            writer: Some(
                compressor(io::stdout(), c).map_err(|e| io_failure(Path::new("-"), "start", e))?,
            ),
            dest: Dest::Stdout,
            user: PathBuf::from("-"),
        });
    };
    let c = compress.unwrap_or_else(|| Compression::from_path(user));
    let resolved = resolve(user).map_err(|e| io_failure(user, "write", e))?;
    let (file, dest, ticker) = match resolved.kind {
        OutKind::Directory => {
            return Err(Failure::new(
                EXIT_IO,
                format!(
                    "cannot write {}: it is a directory (give a file name)",
                    user.display()
                ),
            ))
        }
        OutKind::Other(what) => {
            return Err(Failure::new(
                EXIT_IO,
                format!("cannot write {}: it is {what}", user.display()),
            ))
        }
        OutKind::Stream => {
            // No truncation and no creation: a device or FIFO is used as is.
            let f = OpenOptions::new()
                .write(true)
                .open(&resolved.target)
                .map_err(|e| io_failure(user, "open", e))?;
            (f, Dest::Direct, None)
        }
        OutKind::Regular(ref meta) => {
            if let Some(why) = refuse_replacing(&resolved.target, meta) {
                return Err(Failure::new(
                    EXIT_IO,
                    format!("refusing to replace {}: {why}", user.display()),
                ));
            }
            let (temp, f) = TempPath::create_file(&resolved.target, user)
                .map_err(|e| io_failure(user, "create", e))?;
            // The new file keeps the old one's permissions.
            f.set_permissions(meta.permissions())
                .map_err(|e| io_failure(user, "create", e))?;
            replace(temp, f, resolved.target, user)?
        }
        OutKind::Missing => {
            let (temp, f) = TempPath::create_file(&resolved.target, user)
                .map_err(|e| io_failure(user, "create", e))?;
            replace(temp, f, resolved.target, user)?
        }
    };
    let named = NamedFile {
        file,
        user: user.to_owned(),
        ticker,
    };
    let w = io::BufWriter::with_capacity(1 << 20, named);
    Ok(Output {
        writer: Some(compressor(w, c).map_err(|e| io_failure(user, "start", e))?),
        dest,
        user: user.to_owned(),
    })
}

fn replace(
    temp: TempPath,
    f: File,
    target: PathBuf,
    user: &Path,
) -> Result<(File, Dest, Option<write_behind::Ticker>), Failure> {
    let sync = f.try_clone().map_err(|e| io_failure(user, "create", e))?;
    let (ticker, flusher) = write_behind::start(sync, write_behind::EVERY)
        .map_err(|e| io_failure(user, "create", e))?;
    Ok((
        f,
        Dest::Replace {
            temp,
            target,
            flusher,
        },
        Some(ticker),
    ))
}

impl Output {
    /// The writer.
    pub fn writer(&mut self) -> &mut dyn FinishWrite {
        self.writer.as_deref_mut().expect("writer taken")
    }

    /// Finish compression and flush; for a replaced file, flush it to disk
    /// and rename it over the final path. Errors name the user's path.
    pub fn commit(mut self) -> io::Result<()> {
        let w = self.writer.take().expect("writer taken");
        w.finish_box()?;
        let user = self.user.clone();
        let named = |what: &str, e: io::Error| {
            io::Error::new(e.kind(), format!("cannot {what} {}: {e}", user.display()))
        };
        match std::mem::replace(&mut self.dest, Dest::Stdout) {
            Dest::Stdout | Dest::Direct => Ok(()),
            Dest::Replace {
                temp,
                target,
                flusher,
            } => {
                // The writer (and its ticker) is gone: the flusher ends.
                let sync = flusher.finish().map_err(|e| named("write", e))?;
                sync.sync_all().map_err(|e| named("write", e))?;
                drop(sync);
                temp.commit(|tmp| std::fs::rename(tmp, &target))
                    .map_err(|e| named("replace", e))
            }
        }
    }
}
