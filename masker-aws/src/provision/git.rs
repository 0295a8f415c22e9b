//! `--git-commit`: commit the rendered files when they changed, with a
//! message listing the parameters that changed (old -> new), so a daily
//! run leaves a reviewable history.
//!
//! Owns the `git` invocations (it shells out to `git`) and the change
//! summary. It commits only the paths it is given, never `.env`, and never
//! touches other staged or unstaged changes in the repository.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use thiserror::Error;

use super::render::written_options;

/// A git step that failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum GitError {
    /// `git` could not be run.
    #[error("running git in {}: {source}", repo.display())]
    Spawn {
        /// The repository.
        repo: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A git command failed.
    #[error("`git {args}` in {}: {stderr}", repo.display())]
    Failed {
        /// The repository.
        repo: PathBuf,
        /// The arguments.
        args: String,
        /// git's message.
        stderr: String,
    },
    /// The output directory is not inside the repository.
    #[error("{} is not inside the git repository {}", dir.display(), repo.display())]
    Outside {
        /// The output directory.
        dir: PathBuf,
        /// The repository.
        repo: PathBuf,
    },
}

/// What `commit_if_changed` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing changed; no commit.
    Unchanged,
    /// A commit was made with this message.
    Committed(String),
}

fn git(repo: &Path, args: &[&str]) -> Result<std::process::Output, GitError> {
    Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .map_err(|source| GitError::Spawn {
            repo: repo.to_owned(),
            source,
        })
}

fn git_ok(repo: &Path, args: &[&str]) -> Result<String, GitError> {
    let out = git(repo, args)?;
    if !out.status.success() {
        return Err(GitError::Failed {
            repo: repo.to_owned(),
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The top directory of the repository that holds `repo`, and `dir`
/// relative to it (`/`-separated, empty for the top).
pub fn locate(repo: &Path, dir: &Path) -> Result<(PathBuf, String), GitError> {
    let top = PathBuf::from(git_ok(repo, &["rev-parse", "--show-toplevel"])?.trim_end());
    let outside = || GitError::Outside {
        dir: dir.to_owned(),
        repo: repo.to_owned(),
    };
    let dir_abs = dir.canonicalize().map_err(|_| outside())?;
    let top_abs = top.canonicalize().map_err(|_| outside())?;
    let rel = dir_abs.strip_prefix(&top_abs).map_err(|_| outside())?;
    let rel = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    Ok((top_abs, rel))
}

fn join(rel_dir: &str, file: &str) -> String {
    if rel_dir.is_empty() {
        file.to_owned()
    } else {
        format!("{rel_dir}/{file}")
    }
}

/// The committed text of `rel_dir/file` at `HEAD`, if any.
pub fn committed_file(top: &Path, rel_dir: &str, file: &str) -> Option<String> {
    let spec = format!("HEAD:{}", join(rel_dir, file));
    git_ok(top, &["show", &spec]).ok()
}

/// The parameters that differ between two rendered `my.cnf` texts, one line
/// each: `name: old -> new`, `name: (unset) -> new`, `name: old -> (unset)`.
pub fn changed_parameters(old: &str, new: &str) -> Vec<String> {
    let old: BTreeMap<String, String> = written_options(old).into_iter().collect();
    let new: BTreeMap<String, String> = written_options(new).into_iter().collect();
    let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|n| old.get(*n) != new.get(*n))
        .map(|n| {
            let show = |v: Option<&String>| v.cloned().unwrap_or_else(|| "(unset)".into());
            format!("{n}: {} -> {}", show(old.get(n)), show(new.get(n)))
        })
        .collect()
}

/// Whether `path` (relative to the top) is tracked at `HEAD`.
fn tracked(top: &Path, path: &str) -> Result<bool, GitError> {
    Ok(!git_ok(top, &["ls-files", "--", path])?.trim().is_empty())
}

/// Stages `files` (relative to `rel_dir` in the repository at `top`) and
/// the removal of `removed` files that git tracks, and commits them alone
/// when they differ from `HEAD`. `old_cnf` is the committed `my.cnf` before
/// this run (for the message), `new_cnf` the one just written.
pub fn commit_if_changed(
    top: &Path,
    rel_dir: &str,
    files: &[&str],
    removed: &[&str],
    old_cnf: Option<&str>,
    new_cnf: &str,
) -> Result<Outcome, GitError> {
    let mut paths: Vec<String> = files.iter().map(|f| join(rel_dir, f)).collect();
    for r in removed {
        let path = join(rel_dir, r);
        if tracked(top, &path)? {
            paths.push(path);
        }
    }
    let mut add = vec!["add", "--"];
    add.extend(paths.iter().map(String::as_str));
    git_ok(top, &add)?;
    let mut diff = vec!["diff", "--cached", "--quiet", "--"];
    diff.extend(paths.iter().map(String::as_str));
    let has_head = git(top, &["rev-parse", "--verify", "--quiet", "HEAD"])?
        .status
        .success();
    if has_head && git(top, &diff)?.status.success() {
        return Ok(Outcome::Unchanged);
    }
    let message = match old_cnf {
        None => format!(
            "masker-aws my-cnf: first render{}\n\n{} parameter(s) written to my.cnf.\n",
            if rel_dir.is_empty() {
                String::new()
            } else {
                format!(" of {rel_dir}")
            },
            written_options(new_cnf).len()
        ),
        Some(old) => {
            let changed = changed_parameters(old, new_cnf);
            if changed.is_empty() {
                "masker-aws my-cnf: local database files changed (no parameter changed)\n"
                    .to_owned()
            } else {
                format!(
                    "masker-aws my-cnf: {} parameter(s) changed\n\n{}\n",
                    changed.len(),
                    changed.join("\n")
                )
            }
        }
    };
    let mut commit = vec!["commit", "--quiet", "-m", &message, "--"];
    commit.extend(paths.iter().map(String::as_str));
    git_ok(top, &commit)?;
    Ok(Outcome::Committed(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_changed_added_and_removed_parameters() {
        let old = "[mysqld]\n# x\nmax_connections = 100\nsql_mode = A\nwait_timeout = 10\n";
        let new = "[mysqld]\n# y\nmax_connections = 200\nsql_mode = A\nlong_query_time = 1\n";
        assert_eq!(
            changed_parameters(old, new),
            [
                "long_query_time: (unset) -> 1",
                "max_connections: 100 -> 200",
                "wait_timeout: 10 -> (unset)",
            ]
        );
        assert!(changed_parameters(old, old).is_empty());
    }
}
