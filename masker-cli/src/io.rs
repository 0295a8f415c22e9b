//! Files, stdin/stdout and compression: everything the core does not touch.
//!
//! Input: a path or `-` (stdin); gzip and zstd are detected by their magic
//! bytes, whatever the file is called. Output: a path or stdout; compression
//! comes from `--compress` or the output's extension (`.gz`, `.zst`). A file
//! output is written to a temporary file beside it and renamed only when the
//! whole run succeeded ([`OutputFile::commit`]), so a failed run never leaves a
//! partial dump under the final name.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::{Context, Result};

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

/// Counts bytes read through it (for progress), shared with the progress thread.
pub struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// An opened input.
pub struct Input {
    /// Decompressed bytes.
    pub reader: Box<dyn Read + Send>,
    /// Raw (compressed) bytes read so far.
    pub raw_count: Arc<AtomicU64>,
    /// Raw size, when known (a regular file).
    pub size: Option<u64>,
}

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];

/// Open a path (or `-` for stdin) and undo gzip/zstd compression.
pub fn open_input(path: &Path) -> Result<Input> {
    let count = Arc::new(AtomicU64::new(0));
    let (raw, size, name): (Box<dyn Read + Send>, _, _) = if path.as_os_str() == "-" {
        (Box::new(io::stdin()), None, "<stdin>".to_owned())
    } else {
        let f = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let size = f.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
        (Box::new(f), size, path.display().to_string())
    };
    let counting = CountingReader {
        inner: raw,
        count: count.clone(),
    };
    // Small: the chunker reads large blocks, which then bypass this buffer
    // (no extra copy); it serves the magic-byte peek and the decoders.
    let mut buffered = BufReader::with_capacity(64 << 10, counting);
    let head = buffered
        .fill_buf()
        .with_context(|| format!("cannot read {name}"))?;
    let reader: Box<dyn Read + Send> = if head.starts_with(GZIP_MAGIC) {
        Box::new(flate2::bufread::MultiGzDecoder::new(buffered))
    } else if head.starts_with(ZSTD_MAGIC) {
        Box::new(
            zstd::stream::read::Decoder::with_buffer(buffered)
                .context("cannot start the zstd decoder")?,
        )
    } else {
        Box::new(buffered)
    };
    Ok(Input {
        reader,
        raw_count: count,
        size,
    })
}

/// Where the masked dump goes: stdout or a temporary file renamed to its
/// final path by [`Output::commit`].
pub struct Output {
    writer: Option<Box<dyn FinishWrite>>,
    /// (temporary path, final path) for a file output.
    file: Option<(PathBuf, PathBuf)>,
}

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

fn compressor<W: Write + Send + 'static>(w: W, c: Compression) -> Result<Box<dyn FinishWrite>> {
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

/// Open the output: stdout (`None` or `-`) or a temporary file beside `path`.
pub fn open_output(path: Option<&Path>, compress: Option<Compression>) -> Result<Output> {
    let path = path.filter(|p| p.as_os_str() != "-");
    let Some(path) = path else {
        let c = compress.unwrap_or(Compression::None);
        return Ok(Output {
            writer: Some(compressor(io::stdout(), c)?),
            file: None,
        });
    };
    let c = compress.unwrap_or_else(|| Compression::from_path(path));
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .with_context(|| format!("{} is not a file name", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.masker-tmp-{}",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let f = File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    let w = io::BufWriter::with_capacity(1 << 20, f);
    Ok(Output {
        writer: Some(compressor(w, c)?),
        file: Some((tmp, path.to_owned())),
    })
}

impl Output {
    /// The writer.
    pub fn writer(&mut self) -> &mut dyn FinishWrite {
        self.writer.as_deref_mut().expect("writer taken")
    }

    /// Finish compression and flush; for a file, rename it over the final path.
    pub fn commit(mut self) -> io::Result<()> {
        let w = self.writer.take().expect("writer taken");
        w.finish_box()?;
        if let Some((tmp, path)) = self.file.take() {
            std::fs::rename(&tmp, &path)?;
        }
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Some((tmp, _)) = self.file.take() {
            // Not committed: remove the partial file.
            self.writer = None;
            let _ = std::fs::remove_file(tmp);
        }
    }
}
