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

use std::fs::File;
use std::io;
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
    pub fn wrote(&mut self, n: usize) {
        self.pending += n as u64;
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
            ticker.wrote(block.len());
        }
        drop(ticker);
        flusher.finish().unwrap().sync_all().unwrap();
        let mut s = String::new();
        File::open(&path).unwrap().read_to_string(&mut s).unwrap();
        assert_eq!(s.len(), 50 * 700);
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
