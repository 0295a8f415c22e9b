//! What an output path names, and whether masker may replace it.
//!
//! Symlinks are followed to their final target (the target is replaced, the
//! link stays). A regular file is replaced only when the user could write it:
//! not when it has no write permission bit (even for root, who could) and
//! not when `access(2)` says we may not write it. Character devices and
//! FIFOs are written straight into. This module only looks; it never
//! creates, writes or removes anything.

use std::fs::Metadata;
use std::io;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Symlinks followed before giving up (as the kernel's ELOOP limit).
const MAX_LINKS: usize = 40;

/// What an output path names, after following symlinks.
#[derive(Debug)]
pub enum OutKind {
    /// Nothing yet.
    Missing,
    /// A regular file (its metadata, for its permissions).
    Regular(Metadata),
    /// A directory.
    Directory,
    /// A character device or a FIFO: written into, never replaced.
    Stream,
    /// Anything else (block device, socket): never written.
    Other(&'static str),
}

/// An output path resolved.
#[derive(Debug)]
pub struct Resolved {
    /// The path after following symlinks (equal to the given one without).
    pub target: PathBuf,
    /// What is there.
    pub kind: OutKind,
}

/// Follow `path`'s symlinks and say what is at the end.
pub fn resolve(path: &Path) -> io::Result<Resolved> {
    let mut p = path.to_owned();
    for _ in 0..MAX_LINKS {
        let meta = match p.symlink_metadata() {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(Resolved {
                    target: p,
                    kind: OutKind::Missing,
                })
            }
            Err(e) => return Err(e),
        };
        let t = meta.file_type();
        if t.is_symlink() {
            let link = std::fs::read_link(&p)?;
            p = match p.parent() {
                Some(dir) if link.is_relative() => dir.join(link),
                _ => link,
            };
            continue;
        }
        let kind = if t.is_file() {
            OutKind::Regular(meta)
        } else if t.is_dir() {
            OutKind::Directory
        } else if t.is_char_device() || t.is_fifo() {
            OutKind::Stream
        } else if t.is_block_device() {
            OutKind::Other("a block device")
        } else {
            OutKind::Other("a socket")
        };
        return Ok(Resolved { target: p, kind });
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        "too many levels of symbolic links",
    ))
}

/// Why an existing regular file must not be replaced, if it must not.
pub fn refuse_replacing(target: &Path, meta: &Metadata) -> Option<String> {
    let mode = meta.permissions().mode();
    if mode & 0o222 == 0 {
        return Some(format!(
            "it is read-only (mode {:04o}); make it writable or remove it first",
            mode & 0o7777
        ));
    }
    if rustix::fs::access(target, rustix::fs::Access::WRITE_OK).is_err() {
        return Some("you may not write it (permission denied)".to_owned());
    }
    None
}

/// Why `output` must not be written, when it is the file `input` names
/// (through any path or symlink): masking in place would replace the
/// original with the masked copy, and a failure would leave neither.
/// Stdin, stdout and paths that do not exist yet are never the same file.
pub fn refuse_input_as_output(input: &Path, output: Option<&Path>) -> Option<String> {
    let output = output.filter(|o| o.as_os_str() != "-")?;
    if input.as_os_str() == "-" {
        return None;
    }
    let (Ok(i), Ok(o)) = (std::fs::metadata(input), std::fs::metadata(output)) else {
        return None;
    };
    (i.dev() == o.dev() && i.ino() == o.ino() && o.file_type().is_file()).then(|| {
        format!(
            "-o {} is the input file {}: masking in place would replace the original; write the masked copy elsewhere",
            output.display(),
            input.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_relative_symlink_chains() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.sql");
        std::fs::write(&real, b"x").unwrap();
        std::os::unix::fs::symlink("real.sql", dir.path().join("a")).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        let r = resolve(&dir.path().join("b")).unwrap();
        assert_eq!(r.target, real);
        assert!(matches!(r.kind, OutKind::Regular(_)));
        // A dangling link resolves to the path it would create.
        std::os::unix::fs::symlink("new.sql", dir.path().join("c")).unwrap();
        let r = resolve(&dir.path().join("c")).unwrap();
        assert_eq!(r.target, dir.path().join("new.sql"));
        assert!(matches!(r.kind, OutKind::Missing));
    }

    #[test]
    fn symlink_loop_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("y", dir.path().join("x")).unwrap();
        std::os::unix::fs::symlink("x", dir.path().join("y")).unwrap();
        assert!(resolve(&dir.path().join("x")).is_err());
    }

    #[test]
    fn input_as_output_is_refused_through_any_path() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("dump.sql");
        std::fs::write(&f, b"x").unwrap();
        let link = dir.path().join("link.sql");
        std::os::unix::fs::symlink(&f, &link).unwrap();
        let other = dir.path().join("other.sql");
        std::fs::write(&other, b"x").unwrap();
        assert!(refuse_input_as_output(&f, Some(&f)).is_some());
        assert!(refuse_input_as_output(&f, Some(&link)).is_some());
        assert!(refuse_input_as_output(&f, Some(&dir.path().join("./dump.sql"))).is_some());
        assert!(refuse_input_as_output(&f, Some(&other)).is_none());
        assert!(refuse_input_as_output(&f, Some(Path::new("-"))).is_none());
        assert!(refuse_input_as_output(Path::new("-"), Some(&f)).is_none());
        assert!(refuse_input_as_output(&f, Some(&dir.path().join("new.sql"))).is_none());
        assert!(refuse_input_as_output(&f, None).is_none());
    }

    #[test]
    fn read_only_file_is_refused_even_for_root() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("ro.sql");
        std::fs::write(&f, b"x").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o444)).unwrap();
        let meta = f.metadata().unwrap();
        let why = refuse_replacing(&f, &meta).unwrap();
        assert!(why.contains("read-only (mode 0444)"), "{why}");
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(refuse_replacing(&f, &f.metadata().unwrap()).is_none());
    }
}
