//! The input: a path or `-` (stdin), with gzip and zstd undone.
//!
//! Compression is detected by the magic bytes, whatever the file is called.
//! Read errors name the path the user typed. A compressed stream that ends
//! early, or holds corrupt data, fails with a [`DecodeError`] inside the
//! `io::Error` (see [`DecodeError::find`]): it names the path, the codec and
//! how many decompressed bytes were read, and is reported as an invalid
//! input, not an I/O error. This module does not parse what it reads.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::report::{Failure, EXIT_INPUT, EXIT_IO};

/// What went wrong decoding a compressed input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeCause {
    /// The stream ends before its end marker (a cut file).
    Truncated,
    /// The decoder rejected the data (its message).
    Corrupt(String),
}

/// A compressed input that could not be decoded to its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The input as the user typed it (`<stdin>` for `-`).
    pub path: String,
    /// `gzip` or `zstd`.
    pub codec: &'static str,
    /// Decompressed bytes read before the failure.
    pub offset: u64,
    /// What happened.
    pub cause: DecodeCause,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.cause {
            DecodeCause::Truncated => write!(
                f,
                "{}: truncated input: the {} stream ends early after {} decompressed bytes",
                self.path, self.codec, self.offset
            ),
            DecodeCause::Corrupt(m) => write!(
                f,
                "{}: corrupt {} data after {} decompressed bytes: {m}",
                self.path, self.codec, self.offset
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

impl DecodeError {
    /// The decode error carried by an `io::Error`, if it carries one.
    pub fn find(e: &io::Error) -> Option<&DecodeError> {
        e.get_ref()?.downcast_ref::<DecodeError>()
    }
}

/// Raw reads: counts bytes (for progress) and names the input in errors.
struct RawReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
    name: Arc<str>,
}

impl<R: Read> Read for RawReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.count.fetch_add(n as u64, Ordering::Relaxed);
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => Err(io::Error::new(
                e.kind(),
                RawReadError {
                    name: self.name.clone(),
                    source: e,
                },
            )),
        }
    }
}

/// A read error of the input itself (not of a decoder), naming the input.
#[derive(Debug)]
struct RawReadError {
    name: Arc<str>,
    source: io::Error,
}

impl std::fmt::Display for RawReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot read {}: {}", self.name, self.source)
    }
}

impl std::error::Error for RawReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A decoder's output: counts decompressed bytes and turns the decoder's
/// own errors into a [`DecodeError`]. Errors of the raw reader beneath
/// (already named) pass through.
struct Decoded<D> {
    inner: D,
    codec: &'static str,
    name: Arc<str>,
    offset: u64,
}

impl<D: Read> Read for Decoded<D> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.offset += n as u64;
                Ok(n)
            }
            Err(e) => Err(self.decode_error(e)),
        }
    }
}

impl<D> Decoded<D> {
    fn decode_error(&self, e: io::Error) -> io::Error {
        // A read error of the input itself is not the decoder's.
        if e.kind() == io::ErrorKind::Interrupted
            || e.get_ref().is_some_and(|i| i.is::<RawReadError>())
        {
            return e;
        }
        let cause = match e.kind() {
            // Both decoders say UnexpectedEof for a stream cut short.
            io::ErrorKind::UnexpectedEof => DecodeCause::Truncated,
            _ => DecodeCause::Corrupt(e.to_string()),
        };
        io::Error::new(
            io::ErrorKind::InvalidData,
            DecodeError {
                path: self.name.to_string(),
                codec: self.codec,
                offset: self.offset,
                cause,
            },
        )
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

/// Formats a dump is often kept in that masker does not decompress: (magic,
/// name, the command that decompresses to stdout). Read as SQL, they would
/// fail somewhere inside with a misleading syntax error.
const OTHER_FORMATS: &[(&[u8], &str, &str)] = &[
    (
        &[0xfd, b'7', b'z', b'X', b'Z', 0x00],
        "xz-compressed",
        "xz -dc",
    ),
    (&[0x04, 0x22, 0x4d, 0x18], "lz4-compressed", "lz4 -dc"),
    (
        &[0x5d, 0x00, 0x00],
        "lzma-compressed",
        "xz --format=lzma -dc",
    ),
    (b"PK\x03\x04", "a zip archive", "unzip -p"),
    (
        &[b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c],
        "a 7-Zip archive",
        "7z e -so",
    ),
];

/// `BZh`, the block size `1`-`9`, then a block's or the stream end's magic
/// (text can start with `BZh`; not with these ten bytes).
fn is_bzip2(head: &[u8]) -> bool {
    head.len() >= 10
        && head.starts_with(b"BZh")
        && (b'1'..=b'9').contains(&head[3])
        && (head[4..10] == *b"1AY&SY" || head[4..10] == [0x17, 0x72, 0x45, 0x38, 0x50, 0x90])
}

/// The refusal of an input in one of [`OTHER_FORMATS`] or bzip2, with how to pipe it in.
fn other_format(head: &[u8], name: &str) -> Option<Failure> {
    let (what, command) = match OTHER_FORMATS.iter().find(|(m, _, _)| head.starts_with(m)) {
        Some((_, what, command)) => (*what, *command),
        None if is_bzip2(head) => ("bzip2-compressed", "bzip2 -dc"),
        None => return None,
    };
    Some(Failure::new(
        EXIT_INPUT,
        format!(
            "{name} is {what}, which masker does not read (it reads SQL and TSV, plain, gzip or zstd): decompress it into masker's standard input, as in `{command} {name} | masker mask --rules RULES - -o OUT`"
        ),
    ))
}

/// Open a path (or `-` for stdin) and undo gzip/zstd compression.
pub fn open_input(path: &Path) -> Result<Input, Failure> {
    let count = Arc::new(AtomicU64::new(0));
    let (raw, size, name): (Box<dyn Read + Send>, _, Arc<str>) = if path.as_os_str() == "-" {
        (Box::new(io::stdin()), None, "<stdin>".into())
    } else {
        let f = File::open(path)
            .map_err(|e| Failure::new(EXIT_IO, format!("cannot open {}: {e}", path.display())))?;
        let size = f.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
        (Box::new(f), size, path.display().to_string().into())
    };
    let raw = RawReader {
        inner: raw,
        count: count.clone(),
        name: name.clone(),
    };
    // Small: the chunker reads large blocks, which then bypass this buffer
    // (no extra copy); it serves the magic-byte peek and the decoders.
    let mut buffered = BufReader::with_capacity(64 << 10, raw);
    let head = buffered
        .fill_buf()
        .map_err(|e| Failure::new(EXIT_IO, e.to_string()))?;
    if let Some(refused) = other_format(head, &name) {
        return Err(refused);
    }
    let reader: Box<dyn Read + Send> = if head.starts_with(GZIP_MAGIC) {
        Box::new(Decoded {
            inner: flate2::bufread::MultiGzDecoder::new(buffered),
            codec: "gzip",
            name,
            offset: 0,
        })
    } else if head.starts_with(ZSTD_MAGIC) {
        let d = zstd::stream::read::Decoder::with_buffer(buffered).map_err(|e| {
            Failure::new(
                EXIT_IO,
                format!("{name}: cannot start the zstd decoder: {e}"),
            )
        })?;
        Box::new(Decoded {
            inner: d,
            codec: "zstd",
            name,
            offset: 0,
        })
    } else {
        Box::new(buffered)
    };
    Ok(Input {
        reader,
        raw_count: count,
        size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn read_all(path: &Path) -> io::Result<Vec<u8>> {
        let mut input = open_input(path).map_err(|f| io::Error::other(f.message))?;
        let mut out = Vec::new();
        input.reader.read_to_end(&mut out)?;
        Ok(out)
    }

    /// Regression (QA): an `.sql.xz` or `.sql.bz2` dump was read as SQL and
    /// failed with "input ends inside a quoted string (truncated dump?)".
    #[test]
    fn regression_xz_and_bzip2_dumps_are_refused_with_the_command_to_pipe_them() {
        let dir = tempfile::tempdir().unwrap();
        // The first bytes of `xz -k d.sql` and `bzip2 -k d.sql`.
        let heads: [(&str, &[u8], &str); 2] = [
            (
                "xz",
                b"\xfd7zXZ\x00\x00\x04\xe6\xd6\xb4\x46",
                "xz-compressed",
            ),
            ("bz2", b"BZh91AY&SY\x8a\x01\x19\x24", "bzip2-compressed"),
        ];
        for (ext, head, what) in heads {
            let p = dir.path().join(format!("d.sql.{ext}"));
            std::fs::write(&p, head).unwrap();
            let e = open_input(&p).err().expect("refused");
            assert_eq!(e.code, EXIT_INPUT);
            assert!(e.message.contains(what), "{}", e.message);
            assert!(e.message.contains(" -dc "), "{}", e.message);
        }
        // Text that starts like bzip2's magic is text.
        let p = dir.path().join("bzh.tsv");
        std::fs::write(&p, b"BZh is a word\t1\n").unwrap();
        assert_eq!(read_all(&p).unwrap(), b"BZh is a word\t1\n");
    }

    #[test]
    fn cut_gzip_and_zstd_name_the_file_and_the_offset() {
        let data: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let dir = tempfile::tempdir().unwrap();
        for (codec, z) in [
            ("gzip", gzip(&data)),
            ("zstd", zstd::encode_all(&data[..], 3).unwrap()),
        ] {
            let p = dir.path().join(format!("cut.{codec}"));
            std::fs::write(&p, &z[..z.len() / 2]).unwrap();
            let e = read_all(&p).unwrap_err();
            let d = DecodeError::find(&e).unwrap_or_else(|| panic!("{codec}: {e}"));
            assert_eq!(d.cause, DecodeCause::Truncated);
            assert_eq!(d.codec, codec);
            assert_eq!(d.path, p.display().to_string());
            assert!(d.offset > 0 && d.offset < data.len() as u64, "{d}");
            // Whole: read back unchanged.
            std::fs::write(&p, &z).unwrap();
            assert_eq!(read_all(&p).unwrap(), data);
        }
    }

    #[test]
    fn corrupt_gzip_is_a_decode_error() {
        let mut z = gzip(b"hello hello hello hello");
        // A wrong CRC in the trailer.
        let n = z.len();
        z[n - 8] ^= 0xff;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.gz");
        std::fs::write(&p, &z).unwrap();
        let e = read_all(&p).unwrap_err();
        let d = DecodeError::find(&e).unwrap_or_else(|| panic!("{e}"));
        assert!(matches!(d.cause, DecodeCause::Corrupt(_)), "{d}");
    }
}
