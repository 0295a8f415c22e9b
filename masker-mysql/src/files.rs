//! Dump files: writing a file through optional zstd while its SHA-256 and
//! size are computed over the bytes that land on disk (or in the object
//! store, for a file streamed there as it is written: [`StreamedObject`]),
//! and reading one back (decompressed) or re-hashing it. This module owns
//! file creation and compression; it knows nothing of rows or SQL.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::manifest::{Compression, FileEntry};

/// zstd level of chunk files: fast, as mydumper and MySQL Shell default to.
const ZSTD_LEVEL: i32 = 3;

/// Counts and hashes the bytes written through it.
struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// An object being written to a store as it is produced (S3 multipart
/// parts uploaded as they fill). Dropped without [`StreamedObject::complete`],
/// it is abandoned: nothing becomes visible under its name.
pub trait StreamedObject: Write + Send {
    /// Make the object visible under its name, whole.
    fn complete(self: Box<Self>) -> Result<()>;
    /// Where it goes (`s3://bucket/prefix/name`), for errors.
    fn location(&self) -> String;
}

/// Where a file's bytes go.
enum Target {
    Local(File),
    Streamed(Box<dyn StreamedObject>),
}

impl Write for Target {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Target::Local(f) => f.write(buf),
            Target::Streamed(o) => o.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Target::Local(f) => f.flush(),
            Target::Streamed(o) => o.flush(),
        }
    }
}

type Disk = BufWriter<HashingWriter<Target>>;

enum Sink {
    Plain(Disk),
    Zstd(zstd::Encoder<'static, Disk>),
}

/// A dump file being written. Call [`OutFile::finish`]: a file dropped
/// without it is incomplete (and no manifest will list it).
pub struct OutFile {
    path: PathBuf,
    name: String,
    sink: Sink,
}

impl OutFile {
    /// Create `dir/name` (refusing to overwrite), compressed as asked.
    pub fn create(dir: &Path, name: &str, compression: Compression) -> Result<OutFile> {
        let path = dir.join(name);
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        Self::with_target(path, name, compression, Target::Local(file))
    }

    /// A file streamed to `object` as it is written (nothing on local disk).
    pub fn streamed(
        object: Box<dyn StreamedObject>,
        name: &str,
        compression: Compression,
    ) -> Result<OutFile> {
        let path = PathBuf::from(object.location());
        Self::with_target(path, name, compression, Target::Streamed(object))
    }

    /// True when the file goes to an object store, not to local disk.
    pub fn is_streamed(&self) -> bool {
        let hw = match &self.sink {
            Sink::Plain(w) => w.get_ref(),
            Sink::Zstd(w) => w.get_ref().get_ref(),
        };
        matches!(hw.inner, Target::Streamed(_))
    }

    fn with_target(
        path: PathBuf,
        name: &str,
        compression: Compression,
        target: Target,
    ) -> Result<OutFile> {
        let disk = BufWriter::with_capacity(
            1 << 17,
            HashingWriter {
                inner: target,
                hasher: Sha256::new(),
                bytes: 0,
            },
        );
        let sink = match compression {
            Compression::None => Sink::Plain(disk),
            Compression::Zstd => {
                Sink::Zstd(zstd::Encoder::new(disk, ZSTD_LEVEL).map_err(|e| Error::io(&path, e))?)
            }
        };
        Ok(OutFile {
            path,
            name: name.to_owned(),
            sink,
        })
    }

    /// Write all of `buf`; errors name the file.
    pub fn put(&mut self, buf: &[u8]) -> Result<()> {
        let r = match &mut self.sink {
            Sink::Plain(w) => w.write_all(buf),
            Sink::Zstd(w) => w.write_all(buf),
        };
        r.map_err(|e| Error::io(&self.path, e))
    }

    /// End the compression frame, flush, sync to disk, and describe the file.
    pub fn finish(self) -> Result<FileEntry> {
        let path = self.path;
        let disk = match self.sink {
            Sink::Plain(w) => w,
            Sink::Zstd(w) => w.finish().map_err(|e| Error::io(&path, e))?,
        };
        let hw = disk
            .into_inner()
            .map_err(|e| Error::io(&path, e.into_error()))?;
        match hw.inner {
            Target::Local(f) => f.sync_all().map_err(|e| Error::io(&path, e))?,
            Target::Streamed(o) => o.complete()?,
        }
        Ok(FileEntry {
            file: self.name,
            bytes: hw.bytes,
            sha256: hex(&hw.hasher.finalize()),
        })
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Size and SHA-256 of a file.
pub fn hash_file(path: &Path) -> Result<(u64, String)> {
    let f = File::open(path).map_err(|e| Error::io(path, e))?;
    hash_reader(f, path)
}

/// Size and SHA-256 of everything `r` yields (`path` names it in errors).
pub fn hash_reader(mut r: impl Read, path: &Path) -> Result<(u64, String)> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0u64;
    loop {
        let k = r.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((n, hex(&h.finalize())))
}

/// Open a dump file for reading, decompressed.
pub fn open(path: &Path, compression: Compression) -> Result<Box<dyn BufRead + Send>> {
    let f = File::open(path).map_err(|e| Error::io(path, e))?;
    decompress(Box::new(f), compression, path)
}

/// A dump file's stored bytes `r`, decompressed (`path` names it in errors).
pub fn decompress(
    r: Box<dyn Read + Send>,
    compression: Compression,
    path: &Path,
) -> Result<Box<dyn BufRead + Send>> {
    Ok(match compression {
        Compression::None => Box::new(BufReader::with_capacity(1 << 17, r)),
        Compression::Zstd => Box::new(BufReader::with_capacity(
            1 << 17,
            zstd::Decoder::new(r).map_err(|e| Error::io(path, e))?,
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_covers_the_bytes_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        for c in [Compression::None, Compression::Zstd] {
            let name = format!("f{c:?}");
            let mut f = OutFile::create(dir.path(), &name, c).unwrap();
            f.put(b"hello\n").unwrap();
            let entry = f.finish().unwrap();
            let (bytes, sha) = hash_file(&dir.path().join(&name)).unwrap();
            assert_eq!((entry.bytes, entry.sha256), (bytes, sha));
            let mut back = String::new();
            open(&dir.path().join(&name), c)
                .unwrap()
                .read_to_string(&mut back)
                .unwrap();
            assert_eq!(back, "hello\n");
        }
    }

    #[test]
    fn existing_files_are_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x"), b"keep").unwrap();
        assert!(OutFile::create(dir.path(), "x", Compression::None).is_err());
    }
}
