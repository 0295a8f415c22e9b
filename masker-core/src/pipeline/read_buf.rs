//! The chunker's input buffer: bytes read and not yet cut into chunks, in
//! arenas that are zeroed once, when allocated, and then reused.
//!
//! Safe Rust reads only into initialised bytes. A buffer whose length is
//! reset after each use (a `BytesMut` reclaimed, a cleared `Vec`) must be
//! zeroed again before every read: one byte written per input byte, on the
//! chunker's thread, the one sequential stage of the pipeline. Here an
//! arena keeps its full length for life, so its bytes stay initialised
//! and a read goes straight into them.
//!
//! Chunks are cut without copying: a chunk is a [`Bytes`] that shares its
//! arena. An arena with chunks in flight is not written again; the bytes
//! still pending (the start of the next statement or tuple, a few bytes
//! as a rule, since the chunker cuts once all it read is scanned) move to
//! an arena nobody else holds, taken from the pool of spent ones (free
//! again once their chunks are written) or else newly allocated.

use std::ops::Deref;
use std::sync::Arc;

use bytes::Bytes;

/// Spent arenas kept for reuse at most (more are dropped when free).
const POOL: usize = 16;

/// The input bytes pending in the chunker. See the module docs.
#[derive(Debug)]
pub(crate) struct ReadBuf {
    /// The arena the pending bytes are in; written only while unshared.
    arena: Arc<Vec<u8>>,
    /// `arena[start..filled]` is pending.
    start: usize,
    filled: usize,
    /// Bytes per arena (more when one pending run needs more).
    size: usize,
    /// Arenas that had chunks cut from them: free once those are dropped.
    pool: Vec<Arc<Vec<u8>>>,
}

/// A chunk's bytes: a range of an arena, which it keeps alive.
struct ArenaSlice {
    arena: Arc<Vec<u8>>,
    start: usize,
    end: usize,
}

impl AsRef<[u8]> for ArenaSlice {
    fn as_ref(&self) -> &[u8] {
        &self.arena[self.start..self.end]
    }
}

impl ReadBuf {
    /// An empty buffer whose arenas hold `size` bytes.
    pub(crate) fn new(size: usize) -> Self {
        ReadBuf {
            arena: Arc::new(Vec::new()),
            start: 0,
            filled: 0,
            size: size.max(1),
            pool: Vec::new(),
        }
    }

    /// `need` writable bytes right after the pending ones, for a read; what
    /// was read there becomes pending with [`ReadBuf::commit`].
    pub(crate) fn space(&mut self, need: usize) -> &mut [u8] {
        let pending = self.filled - self.start;
        let writable = Arc::get_mut(&mut self.arena).is_some();
        if !(writable && self.arena.len() - self.filled >= need) {
            if writable && self.arena.len() >= pending + need {
                // Ours alone, with room once the pending bytes move to the front.
                let arena = Arc::get_mut(&mut self.arena).expect("unshared");
                arena.copy_within(self.start..self.filled, 0);
            } else {
                // A run longer than an arena (a statement the chunker cannot
                // cut) doubles it, so the run is copied O(log n) times.
                let mut next = self.take_arena(pending + need, 2 * pending);
                Arc::get_mut(&mut next).expect("a free arena")[..pending]
                    .copy_from_slice(&self.arena[self.start..self.filled]);
                let spent = std::mem::replace(&mut self.arena, next);
                // Only arenas of the usual size come back: a bigger one (a
                // long run's) is freed with its last chunk.
                if spent.len() == self.size {
                    self.pool.push(spent);
                }
            }
            self.start = 0;
            self.filled = pending;
        }
        let filled = self.filled;
        let arena = Arc::get_mut(&mut self.arena).expect("unshared after the checks above");
        &mut arena[filled..filled + need]
    }

    /// The first `n` bytes of the last [`ReadBuf::space`] were read: they
    /// are pending now.
    pub(crate) fn commit(&mut self, n: usize) {
        debug_assert!(self.filled + n <= self.arena.len());
        self.filled += n;
    }

    /// Cut the first `len` pending bytes off as a chunk, without copying.
    pub(crate) fn split_to(&mut self, len: usize) -> Bytes {
        assert!(
            len <= self.filled - self.start,
            "split_to past the pending bytes"
        );
        let chunk = Bytes::from_owner(ArenaSlice {
            arena: self.arena.clone(),
            start: self.start,
            end: self.start + len,
        });
        self.start += len;
        chunk
    }

    /// An arena of at least `at_least` bytes that nobody else holds: a free
    /// one from the pool, or a new one (zeroed this once) of the usual size,
    /// or `grow_to` bytes if more.
    fn take_arena(&mut self, at_least: usize, grow_to: usize) -> Arc<Vec<u8>> {
        if let Some(i) = self
            .pool
            .iter()
            .position(|a| Arc::strong_count(a) == 1 && a.len() >= at_least)
        {
            return self.pool.swap_remove(i);
        }
        if self.pool.len() >= POOL {
            // Keep the pool bounded: drop the free arenas (too small ones).
            self.pool.retain(|a| Arc::strong_count(a) > 1);
        }
        Arc::new(vec![0; self.size.max(at_least).max(grow_to)])
    }
}

impl Deref for ReadBuf {
    type Target = [u8];

    /// The pending bytes.
    fn deref(&self) -> &[u8] {
        &self.arena[self.start..self.filled]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push(buf: &mut ReadBuf, bytes: &[u8]) {
        buf.space(bytes.len()).copy_from_slice(bytes);
        buf.commit(bytes.len());
    }

    #[test]
    fn chunks_keep_their_bytes_while_the_buffer_moves_on() {
        let mut buf = ReadBuf::new(8);
        push(&mut buf, b"abcdef");
        let first = buf.split_to(4);
        // The arena is shared now: the pending "ef" moves, "first" stays.
        push(&mut buf, b"ghijklmn");
        assert_eq!(&*buf, b"efghijklmn");
        let second = buf.split_to(10);
        push(&mut buf, b"xyz");
        assert_eq!(&first[..], b"abcd");
        assert_eq!(&second[..], b"efghijklmn");
        assert_eq!(&*buf, b"xyz");
    }

    #[test]
    fn arenas_are_reused_once_their_chunks_are_dropped() {
        let mut buf = ReadBuf::new(16);
        let mut arenas = std::collections::HashSet::new();
        for round in 0..100u8 {
            push(&mut buf, &[round; 10]);
            arenas.insert(Arc::as_ptr(&buf.arena) as usize);
            let chunk = buf.split_to(10);
            assert_eq!(&chunk[..], &[round; 10]);
            // Chunks dropped in order, as the writer does.
        }
        assert!(arenas.len() <= 2, "{} arenas for 100 chunks", arenas.len());
    }

    #[test]
    fn a_run_longer_than_an_arena_gets_a_bigger_one() {
        let mut buf = ReadBuf::new(4);
        let data: Vec<u8> = (0..100).collect();
        for piece in data.chunks(3) {
            push(&mut buf, piece);
        }
        assert_eq!(&*buf, &data[..]);
        let held = buf.split_to(50);
        push(&mut buf, b"!");
        assert_eq!(&held[..], &data[..50]);
        assert_eq!(buf.len(), 51);
    }

    /// A run that is never cut (a statement bigger than any chunk) grows
    /// its arena geometrically, not by one read at a time.
    #[test]
    fn a_long_uncut_run_is_copied_a_logarithmic_number_of_times() {
        let mut buf = ReadBuf::new(64);
        let mut arenas = std::collections::HashSet::new();
        for i in 0..20_000u32 {
            push(&mut buf, &i.to_le_bytes());
            arenas.insert((Arc::as_ptr(&buf.arena) as usize, buf.arena.len()));
        }
        assert_eq!(buf.len(), 80_000);
        assert!(arenas.len() < 20, "{} arenas", arenas.len());
        assert_eq!(&buf[4 * 12_345..4 * 12_346], &12_345u32.to_le_bytes());
        // The outgrown arenas were not kept.
        assert!(
            buf.pool.iter().all(|a| a.len() == 64),
            "{:?}",
            buf.pool.len()
        );
    }

    #[test]
    fn the_pool_stays_bounded_while_chunks_are_held() {
        let mut buf = ReadBuf::new(8);
        let mut held = Vec::new();
        for i in 0..200u8 {
            push(&mut buf, &[i; 5]);
            held.push(buf.split_to(5));
            if held.len() > 4 {
                held.remove(0);
            }
            assert!(buf.pool.len() <= POOL + 1);
        }
        for (k, chunk) in held.iter().enumerate() {
            assert_eq!(&chunk[..], &[196 + k as u8; 5]);
        }
    }
}
