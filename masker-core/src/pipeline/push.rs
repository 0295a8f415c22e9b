//! Push mode: the masking path without threads or I/O. The caller pushes
//! bytes as they come (from a socket, an async stream, a decompressor of its
//! own) and gets masked bytes back, in order, as soon as whole statements or
//! rows are complete. It runs the same chunker, worker and writer as
//! [`super::mask_reader`], on the calling thread, so the output is
//! byte-identical to a threaded run's.
//!
//! The masker keeps the bytes of the statement (or row) not yet complete:
//! memory is bounded by the chunk size plus the largest single row.

use std::io::Read;

use super::chunker::{Chunker, ChunkerConfig, ChunkerErrorKind};
use super::{summarize, Item, MaskOptions, OrderedWriter, Summary};
use crate::error::Result;
use crate::rewrite::{self, Scratch};
use crate::rules::Rules;

/// Bytes pushed and not yet read by the chunker.
#[derive(Debug, Default)]
struct Feed {
    data: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl Read for Feed {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let rest = &self.data[self.pos..];
        if rest.is_empty() {
            self.data.clear();
            self.pos = 0;
            return if self.eof {
                Ok(0)
            } else {
                Err(std::io::ErrorKind::WouldBlock.into())
            };
        }
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.pos += n;
        Ok(n)
    }
}

/// A push-mode masker: [`Masker::push`] input as it comes, then
/// [`Masker::finish`].
///
/// ```
/// use masker_core::{Masker, rules::Rules};
/// let dump = b"INSERT INTO `t` VALUES (1,'a'),(2,'b');\n";
/// let rules = Rules::empty();
/// let mut masker = Masker::new(&rules).unwrap();
/// let mut out = Vec::new();
/// for piece in dump.chunks(5) {
///     masker.push(piece, &mut out).unwrap();
/// }
/// let summary = masker.finish(&mut out).unwrap();
/// assert_eq!(out, dump);
/// assert_eq!(summary.rows, 2);
/// ```
pub struct Masker<'r> {
    chunker: Chunker<'r, Feed>,
    writer: OrderedWriter<'static, Vec<u8>>,
    scratch: Scratch,
    opts: MaskOptions,
}

impl std::fmt::Debug for Masker<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Masker").finish_non_exhaustive()
    }
}

impl<'r> Masker<'r> {
    /// A masker with default options (`chunk_size` 1 MiB). Rules built
    /// without a key (check only) are refused.
    pub fn new(rules: &'r Rules) -> Result<Self> {
        Masker::with_options(rules, &MaskOptions::default())
    }

    /// A masker with `opts` (`threads` is ignored: push mode runs on the
    /// calling thread).
    pub fn with_options(rules: &'r Rules, opts: &MaskOptions) -> Result<Self> {
        rules.require_key()?;
        let chunker = Chunker::new(
            Feed::default(),
            rules,
            ChunkerConfig::for_chunks(opts.chunk_size),
        )
        .allow_incomplete(opts.allow_incomplete);
        Ok(Masker {
            chunker,
            writer: OrderedWriter::new(Vec::new(), None),
            scratch: Scratch::default(),
            opts: opts.clone(),
        })
    }

    /// Take `input` and append to `out` the masked bytes of every statement
    /// and row that is now complete.
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<()> {
        self.chunker.reader_mut().data.extend_from_slice(input);
        self.drain(out)
    }

    /// The input is complete: append the rest of the masked output to `out`
    /// and return the run's summary (or the error a threaded run would give).
    pub fn finish(mut self, out: &mut Vec<u8>) -> Result<Summary> {
        self.chunker.reader_mut().eof = true;
        let result = self.drain(out);
        summarize(result, self.writer, &self.chunker, &self.opts)
    }

    fn drain(&mut self, out: &mut Vec<u8>) -> Result<()> {
        loop {
            let item = match self.chunker.next_chunk() {
                Ok(Some(chunk)) => Item::Done(rewrite::process(chunk, &mut self.scratch, None)),
                Ok(None) => return Ok(()),
                Err(e) if matches!(e.kind, ChunkerErrorKind::NeedInput) => return Ok(()),
                Err(e) => Item::Chunker(e),
            };
            let accepted = self.writer.accept(item);
            out.append(&mut self.writer.output);
            accepted?;
        }
    }
}
