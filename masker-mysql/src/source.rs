//! Where a dump is read from: a local directory ([`DirSource`]) or an
//! object store (`store::S3Dump`), behind one trait so that `load` and
//! `verify` stream each file from where it is, without a local copy of the
//! whole dump. This module owns naming files for errors and telling a
//! missing file from one that cannot be read; it knows nothing of rows.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A dump's files, read by name.
pub trait DumpSource: Send + Sync {
    /// `DIR/name` or `s3://bucket/prefix/name`: what errors name.
    fn location(&self, name: &str) -> PathBuf;

    /// A reader of file `name`'s bytes as stored (compressed or not). A
    /// missing file is an [`Error::Io`] of kind `NotFound`.
    fn open(&self, name: &str) -> Result<Box<dyn Read + Send>>;

    /// The whole of file `name` (manifest, schemas, objects).
    fn read(&self, name: &str) -> Result<Vec<u8>> {
        let mut r = self.open(name)?;
        let mut buf = Vec::new();
        r.read_to_end(&mut buf)
            .map_err(|e| Error::io(self.location(name), e))?;
        Ok(buf)
    }

    /// File `name` as UTF-8 text.
    fn read_text(&self, name: &str) -> Result<String> {
        String::from_utf8(self.read(name)?).map_err(|_| Error::Dump {
            path: self.location(name),
            cause: "not UTF-8 text (not a masker dump file)".into(),
        })
    }
}

/// A dump in a local directory.
#[derive(Debug, Clone)]
pub struct DirSource {
    dir: PathBuf,
}

impl DirSource {
    /// The dump in `dir`.
    pub fn new(dir: &Path) -> Self {
        DirSource {
            dir: dir.to_owned(),
        }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl DumpSource for DirSource {
    fn location(&self, name: &str) -> PathBuf {
        if name.is_empty() {
            self.dir.clone()
        } else {
            self.dir.join(name)
        }
    }

    fn open(&self, name: &str) -> Result<Box<dyn Read + Send>> {
        let path = self.location(name);
        let f = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
        Ok(Box::new(f))
    }
}

/// True when `e` says the file does not exist.
pub fn is_not_found(e: &Error) -> bool {
    matches!(e, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
}
