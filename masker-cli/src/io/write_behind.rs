//! Write-behind: a file being written is flushed to disk in the background
//! as it grows, so that the flush before the final rename waits only for the
//! last stretch of the output, not for all of it.
//!
//! The writer ([`Ticker`]) counts the bytes it writes and, every
//! [`EVERY`] bytes, asks a thread of this module to `fdatasync` a clone of
//! the file. A request made while a flush is still running is dropped (the
//! next one covers those bytes too), so the writer never waits. The flusher
//! ends when the writer is dropped; [`Flusher::finish`] hands back the file,
//! or the first flush error (then the output must not be committed: the
//! disk may not hold what was written).
//!
//! [`BehindFile`] puts both in one writer, for files written and synced by
//! one owner (the files of an output directory): its thread starts only
//! once the file has grown past [`EVERY`] bytes, so small files cost none.

use std::fs::File;
use std::io::{self, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::thread::{self, JoinHandle};

/// Bytes written between two background flushes.
pub const EVERY: u64 = 64 << 20;

/// The writer's side: counts bytes and asks for flushes.
pub struct Ticker {
    tx: SyncSender<()>,
    every: u64,
    pending: u64,
}

/// The flushing thread.
pub struct Flusher {
    thread: JoinHandle<io::Result<File>>,
}

/// Start flushing `file` (a clone of the handle being written) every
/// `every` bytes.
pub fn start(file: File, every: u64) -> io::Result<(Ticker, Flusher)> {
    let (tx, rx) = sync_channel(1);
    let thread = thread::Builder::new()
        .name("masker-flush".into())
        .spawn(move || flush_on_request(file, rx))?;
    Ok((
        Ticker {
            tx,
            every: every.max(1),
            pending: 0,
        },
        Flusher { thread },
    ))
}

fn flush_on_request(file: File, rx: Receiver<()>) -> io::Result<File> {
    for () in rx {
        file.sync_data()?;
    }
    Ok(file)
}

impl Ticker {
    /// `n` more bytes were written.
    #[inline]
    pub fn wrote(&mut self, n: u64) {
        self.pending += n;
        if self.pending >= self.every {
            self.pending = 0;
            match self.tx.try_send(()) {
                // Full: a flush is still to run, and covers these bytes too.
                // Disconnected: the flusher failed; `finish` reports why.
                Ok(()) | Err(TrySendError::Full(())) | Err(TrySendError::Disconnected(())) => {}
            }
        }
    }
}

impl Flusher {
    /// Wait for the flushes asked for (the [`Ticker`] must be dropped
    /// first), and hand back the file, or the first flush error.
    pub fn finish(self) -> io::Result<File> {
        self.thread
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the flushing thread panicked")))
    }
}

/// A file written front to back and flushed to disk behind its writer
/// (see the module docs); [`BehindFile::sync_all`] ends with the whole file
/// on disk.
pub struct BehindFile {
    file: File,
    every: u64,
    written: u64,
    behind: Option<(Ticker, Flusher)>,
}

impl BehindFile {
    /// Write `file`, flushing it behind every [`EVERY`] bytes.
    pub fn new(file: File) -> Self {
        Self::with_every(file, EVERY)
    }

    fn with_every(file: File, every: u64) -> Self {
        BehindFile {
            file,
            every: every.max(1),
            written: 0,
            behind: None,
        }
    }

    /// Wait for the background flushes, then flush the rest: the file is
    /// on disk. Hands the file back.
    pub fn sync_all(self) -> io::Result<File> {
        if let Some((ticker, flusher)) = self.behind {
            drop(ticker);
            flusher.finish()?;
        }
        self.file.sync_all()?;
        Ok(self.file)
    }
}

impl Write for BehindFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        match &mut self.behind {
            Some((ticker, _)) => ticker.wrote(n as u64),
            None if self.written >= self.every => {
                // Without a thread (none could be started), the flush at
                // the end does all of it, as it would for a small file.
                match self.file.try_clone().and_then(|f| start(f, self.every)) {
                    Ok((mut ticker, flusher)) => {
                        ticker.wrote(self.written);
                        self.behind = Some((ticker, flusher));
                    }
                    Err(_) => self.every = u64::MAX,
                }
            }
            None => {}
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn flushes_in_the_background_and_hands_the_file_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        let mut f = File::create(&path).unwrap();
        let (mut ticker, flusher) = start(f.try_clone().unwrap(), 1000).unwrap();
        let block = [b'x'; 700];
        for _ in 0..50 {
            f.write_all(&block).unwrap();
            ticker.wrote(block.len() as u64);
        }
        drop(ticker);
        flusher.finish().unwrap().sync_all().unwrap();
        let mut s = String::new();
        File::open(&path).unwrap().read_to_string(&mut s).unwrap();
        assert_eq!(s.len(), 50 * 700);
    }

    #[test]
    fn a_behind_file_starts_flushing_only_once_it_is_big() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("small");
        let mut f = BehindFile::with_every(File::create(&small).unwrap(), 1000);
        f.write_all(&[b'a'; 999]).unwrap();
        assert!(f.behind.is_none(), "no thread for a small file");
        f.sync_all().unwrap();
        let big = dir.path().join("big");
        let mut f = BehindFile::with_every(File::create(&big).unwrap(), 1000);
        for _ in 0..30 {
            f.write_all(&[b'b'; 300]).unwrap();
        }
        assert!(f.behind.is_some());
        f.sync_all().unwrap();
        assert_eq!(std::fs::read(&small).unwrap(), vec![b'a'; 999]);
        assert_eq!(std::fs::read(&big).unwrap(), vec![b'b'; 9000]);
    }

    #[test]
    fn a_gone_flusher_never_blocks_nor_fails_the_writer() {
        let (tx, rx) = sync_channel::<()>(1);
        drop(rx);
        let mut t = Ticker {
            tx,
            every: 1,
            pending: 0,
        };
        t.wrote(10);
        t.wrote(10);
        assert_eq!(t.pending, 0);
    }
}
