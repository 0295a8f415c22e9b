//! The temporary files and directories of this run: their names, their
//! exclusive creation, and one process-wide registry of them, so that an
//! interrupt ([`super::signals`]) can remove every one.
//!
//! A [`TempPath`] removes its path when dropped uncommitted;
//! [`TempPath::commit`] runs the final rename while holding the registry's
//! lock, so an interrupt sees either the temporary path (and removes it) or
//! the committed output (and leaves it), never a half-renamed state. This
//! module does not decide what is renamed where: its callers do.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// One registered temporary path.
struct Entry {
    id: u64,
    path: PathBuf,
    dir: bool,
    /// The output the user named, when this path is a partial output (for
    /// the interrupt message); `None` for leftovers such as an old directory
    /// being removed.
    user: Option<PathBuf>,
}

struct Registry {
    next: u64,
    entries: Vec<Entry>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    next: 0,
    entries: Vec::new(),
});

fn lock() -> MutexGuard<'static, Registry> {
    // A panic elsewhere must not stop the cleanup.
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// How many names [`TempPath`] tries before giving up (others may be left
/// by a crashed run with the same process id).
const NAME_TRIES: u32 = 100;

/// The temporary sibling of `target` for this process: `.NAME.masker-tmp-PID`
/// (`-PID-N` for later tries).
pub fn sibling_name(target: &Path, tag: &str, attempt: u32) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let pid = std::process::id();
    let suffix = if attempt == 0 {
        format!("{pid}")
    } else {
        format!("{pid}-{attempt}")
    };
    target.with_file_name(format!(".{name}.masker-{tag}-{suffix}"))
}

/// A registered temporary file or directory, removed on drop unless committed.
#[derive(Debug)]
pub struct TempPath {
    id: u64,
    path: PathBuf,
    dir: bool,
    committed: bool,
}

impl TempPath {
    /// Create a new file beside `target` (exclusively: never an existing
    /// one), registered as the partial output `user`. The error is the
    /// creation's, without the temporary name.
    pub fn create_file(target: &Path, user: &Path) -> io::Result<(TempPath, File)> {
        let mut reg = lock();
        for attempt in 0..NAME_TRIES {
            let path = sibling_name(target, "tmp", attempt);
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(f) => return Ok((register(&mut reg, path, false, Some(user)), f)),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(too_many(target))
    }

    /// Create a new directory beside `target` (never an existing one),
    /// registered as the partial output `user`.
    pub fn create_dir(target: &Path, user: &Path) -> io::Result<TempPath> {
        let mut reg = lock();
        for attempt in 0..NAME_TRIES {
            let path = sibling_name(target, "tmp", attempt);
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(register(&mut reg, path, true, Some(user))),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(too_many(target))
    }

    /// The temporary path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run `finish` (the rename into place) under the registry's lock; on
    /// success the path is no longer temporary. On error it stays
    /// registered and is removed when dropped.
    pub fn commit<T>(mut self, finish: impl FnOnce(&Path) -> io::Result<T>) -> io::Result<T> {
        let mut reg = lock();
        let v = finish(&self.path)?;
        reg.entries.retain(|e| e.id != self.id);
        self.committed = true;
        Ok(v)
    }

    /// Rename this directory over `target`, under the registry's lock. An
    /// existing empty `target` is replaced; a non-empty one only when
    /// `replace_non_empty`, by moving it aside first (to `.NAME.masker-old-PID`,
    /// put back if the second rename fails). Returns the old directory, still
    /// registered, for the caller to [`TempPath::remove`].
    pub fn commit_dir_over(
        mut self,
        target: &Path,
        replace_non_empty: bool,
    ) -> io::Result<Option<TempPath>> {
        let mut reg = lock();
        let old = match std::fs::rename(&self.path, target) {
            Ok(()) => None,
            Err(e) if is_not_empty(&e) && replace_non_empty => {
                let aside = (0..NAME_TRIES)
                    .map(|n| sibling_name(target, "old", n))
                    .find(|p| p.symlink_metadata().is_err())
                    .ok_or_else(|| too_many(target))?;
                std::fs::rename(target, &aside)?;
                if let Err(e) = std::fs::rename(&self.path, target) {
                    let _ = std::fs::rename(&aside, target);
                    return Err(e);
                }
                Some(register(&mut reg, aside, true, None))
            }
            Err(e) if is_not_empty(&e) => {
                return Err(io::Error::new(
                    e.kind(),
                    "it is not empty (use --force to replace it)",
                ))
            }
            Err(e) => return Err(e),
        };
        reg.entries.retain(|e| e.id != self.id);
        self.committed = true;
        Ok(old)
    }

    /// Remove the path now.
    pub fn remove(mut self) -> io::Result<()> {
        let mut reg = lock();
        remove_path(&self.path, self.dir)?;
        reg.entries.retain(|e| e.id != self.id);
        self.committed = true;
        Ok(())
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        let mut reg = lock();
        let _ = remove_path(&self.path, self.dir);
        reg.entries.retain(|e| e.id != self.id);
    }
}

fn register(reg: &mut Registry, path: PathBuf, dir: bool, user: Option<&Path>) -> TempPath {
    let id = reg.next;
    reg.next += 1;
    reg.entries.push(Entry {
        id,
        path: path.clone(),
        dir,
        user: user.map(Path::to_owned),
    });
    TempPath {
        id,
        path,
        dir,
        committed: false,
    }
}

fn too_many(target: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "{NAME_TRIES} temporary names beside {} are taken (left by crashed runs?)",
            target.display()
        ),
    )
}

fn is_not_empty(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::DirectoryNotEmpty | io::ErrorKind::AlreadyExists
    )
}

fn remove_path(path: &Path, dir: bool) -> io::Result<()> {
    let r = if dir {
        // Workers may still be adding files: retry a few times.
        let mut r = std::fs::remove_dir_all(path);
        for _ in 0..5 {
            if r.is_ok() || path.symlink_metadata().is_err() {
                return Ok(());
            }
            r = std::fs::remove_dir_all(path);
        }
        r
    } else {
        std::fs::remove_file(path)
    };
    match r {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Remove every registered path and keep the registry locked for good (the
/// process is about to exit: no new temporary path may appear, no commit may
/// run). Returns the outputs the user named whose partial files were removed.
pub fn remove_all_and_hold() -> Vec<PathBuf> {
    let reg = lock();
    let mut removed = Vec::new();
    for e in &reg.entries {
        let _ = remove_path(&e.path, e.dir);
        if let Some(u) = &e.user {
            if !removed.contains(u) {
                removed.push(u.clone());
            }
        }
    }
    // Held until the process exits.
    std::mem::forget(reg);
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn temp_file_is_exclusive_and_removed_unless_committed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.sql");
        // A leftover with this process's first name is skipped, never reused.
        let stale = sibling_name(&target, "tmp", 0);
        std::fs::write(&stale, b"stale").unwrap();
        let (t, _f) = TempPath::create_file(&target, &target).unwrap();
        assert_ne!(t.path(), stale);
        assert_eq!(std::fs::read(&stale).unwrap(), b"stale");
        assert!(t.path().exists());
        let p = t.path().to_owned();
        drop(t);
        assert!(!p.exists());

        let (t, _f) = TempPath::create_file(&target, &target).unwrap();
        t.commit(|tmp| std::fs::rename(tmp, &target)).unwrap();
        assert!(target.exists());
        std::fs::remove_file(&stale).unwrap();
        assert_eq!(listing(dir.path()), ["out.sql"]);
    }

    #[test]
    fn temp_dir_is_removed_whole_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let t = TempPath::create_dir(&target, &target).unwrap();
        std::fs::write(t.path().join("a.txt"), b"x").unwrap();
        drop(t);
        assert!(listing(dir.path()).is_empty());
    }

    #[test]
    fn dir_commit_replaces_empty_and_non_empty_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        std::fs::create_dir(&target).unwrap();
        let t = TempPath::create_dir(&target, &target).unwrap();
        std::fs::write(t.path().join("new.txt"), b"1").unwrap();
        assert!(t.commit_dir_over(&target, false).unwrap().is_none());
        assert_eq!(listing(&target), ["new.txt"]);

        let t = TempPath::create_dir(&target, &target).unwrap();
        std::fs::write(t.path().join("newer.txt"), b"2").unwrap();
        let e = t.commit_dir_over(&target, false).unwrap_err();
        assert!(e.to_string().contains("--force"), "{e}");
        assert_eq!(listing(&target), ["new.txt"]);
        assert_eq!(listing(dir.path()), ["out"]);

        let t = TempPath::create_dir(&target, &target).unwrap();
        std::fs::write(t.path().join("newer.txt"), b"2").unwrap();
        let old = t.commit_dir_over(&target, true).unwrap().unwrap();
        assert_eq!(listing(old.path()), ["new.txt"]);
        old.remove().unwrap();
        assert_eq!(listing(&target), ["newer.txt"]);
        assert_eq!(listing(dir.path()), ["out"]);
    }
}
