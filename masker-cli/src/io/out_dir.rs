//! Directory outputs (`mask --tab IN -o DIR`, `--to tsv --out-dir DIR`),
//! all or nothing.
//!
//! Everything is written into a temporary sibling directory
//! (`.DIR.masker-tmp-PID`) that [`StagedDir::commit`] renames into place
//! only when the run succeeded; a failed or interrupted run removes it and
//! leaves any old `DIR` untouched. An existing non-empty `DIR` is refused
//! unless `--force`; with it, the old directory is replaced whole, and only
//! after success (renamed aside, the new one renamed in, the old one
//! removed), so pseudonyms from two keys never mix in one folder. A symlink
//! to a directory is followed (its target is replaced, the link stays).
//! This module does not know what goes into the directory.

use std::path::{Path, PathBuf};

use super::out_path::{resolve, OutKind};
use super::temp::TempPath;
use crate::report::{Failure, EXIT_CONFIG, EXIT_IO};

/// A directory output being built; see the module docs.
#[derive(Debug)]
pub struct StagedDir {
    temp: TempPath,
    /// The directory replaced on commit (symlinks followed).
    target: PathBuf,
    /// The path the user typed.
    user: PathBuf,
    force: bool,
}

fn failure(user: &Path, what: &str, e: impl std::fmt::Display) -> Failure {
    Failure::new(EXIT_IO, format!("cannot {what} {}: {e}", user.display()))
}

impl StagedDir {
    /// Check `user` (missing, or an empty directory, or a non-empty one with
    /// `force`) and create the temporary sibling. Missing parent directories
    /// are created. A non-empty directory without `force` is a usage error.
    pub fn create(user: &Path, force: bool) -> Result<StagedDir, Failure> {
        let resolved = resolve(user).map_err(|e| failure(user, "write", e))?;
        match resolved.kind {
            OutKind::Missing => {
                if let Some(parent) = resolved.target.parent() {
                    if !parent.as_os_str().is_empty() {
                        std::fs::create_dir_all(parent).map_err(|e| failure(user, "create", e))?;
                    }
                }
            }
            OutKind::Directory => {
                let mut entries =
                    std::fs::read_dir(&resolved.target).map_err(|e| failure(user, "read", e))?;
                if entries.next().is_some() && !force {
                    return Err(Failure::new(
                        EXIT_CONFIG,
                        format!(
                            "{} exists and is not empty: masker writes a whole new directory; \
                             give another one, or --force to replace it (only after a successful run)",
                            user.display()
                        ),
                    ));
                }
            }
            _ => {
                return Err(Failure::new(
                    EXIT_IO,
                    format!(
                        "cannot write {}: it exists and is not a directory",
                        user.display()
                    ),
                ))
            }
        }
        let temp =
            TempPath::create_dir(&resolved.target, user).map_err(|e| failure(user, "create", e))?;
        Ok(StagedDir {
            temp,
            target: resolved.target,
            user: user.to_owned(),
            force,
        })
    }

    /// Where to write now (the temporary directory).
    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    /// The directory as the user typed it.
    pub fn user(&self) -> &Path {
        &self.user
    }

    /// A message with the temporary directory's name replaced by the user's
    /// (for errors of code that wrote into [`StagedDir::path`]).
    pub fn hide_temp(&self, message: &str) -> String {
        message.replace(
            &self.temp.path().display().to_string(),
            &self.user.display().to_string(),
        )
    }

    /// [`StagedDir::hide_temp`] for a failure.
    pub fn hide_temp_in(&self, f: Failure) -> Failure {
        Failure::new(f.code, self.hide_temp(&f.message))
    }

    /// Rename the finished directory into place (see the module docs).
    pub fn commit(self) -> Result<(), Failure> {
        let StagedDir {
            temp,
            target,
            user,
            force,
        } = self;
        let old = temp
            .commit_dir_over(&target, force)
            .map_err(|e| failure(&user, "replace", e))?;
        if let Some(old) = old {
            let aside = old.path().to_owned();
            if let Err(e) = old.remove() {
                eprintln!(
                    "masker: warning: the new {} is in place, but the old one (moved to {}) could not be removed: {e}",
                    user.display(),
                    aside.display()
                );
            }
        }
        Ok(())
    }
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
    fn non_empty_dir_refused_without_force_replaced_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("old.txt"), b"old").unwrap();
        let f = StagedDir::create(&out, false).unwrap_err();
        assert_eq!(f.code, EXIT_CONFIG);
        assert!(f.message.contains("--force"), "{}", f.message);
        assert_eq!(listing(dir.path()), ["out"]);

        let s = StagedDir::create(&out, true).unwrap();
        std::fs::write(s.path().join("new.txt"), b"new").unwrap();
        // Until commit, the old directory is untouched.
        assert_eq!(listing(&out), ["old.txt"]);
        let msg = format!("cannot create {}/t.txt", s.path().display());
        assert_eq!(
            s.hide_temp(&msg),
            format!("cannot create {}/t.txt", out.display())
        );
        s.commit().unwrap();
        assert_eq!(listing(&out), ["new.txt"]);
        assert_eq!(listing(dir.path()), ["out"]);
    }

    #[test]
    fn dropped_stage_leaves_old_dir_and_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("old.txt"), b"old").unwrap();
        let s = StagedDir::create(&out, true).unwrap();
        std::fs::write(s.path().join("new.txt"), b"new").unwrap();
        drop(s);
        assert_eq!(listing(dir.path()), ["out"]);
        assert_eq!(listing(&out), ["old.txt"]);
    }

    #[test]
    fn missing_parents_are_created_and_a_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a/b/out");
        StagedDir::create(&out, false).unwrap().commit().unwrap();
        assert!(out.is_dir());
        let file = dir.path().join("f");
        std::fs::write(&file, b"x").unwrap();
        let f = StagedDir::create(&file, true).unwrap_err();
        assert!(f.message.contains("not a directory"), "{}", f.message);
    }
}
