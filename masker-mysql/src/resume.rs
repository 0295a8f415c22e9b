//! The load's progress log: one line when a step starts and one when it is
//! done (schema of a table, a chunk, a database's objects), synced to disk,
//! so that a killed load resumes and redoes only what did not finish. The
//! first line names the dump (its manifest's SHA-256) and the target; a log
//! for another dump or target stops the resume. This module owns the log's
//! format; [`crate::load`] decides what a step is and how to redo it.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// A step of a load, as the log names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Step(String);

impl Step {
    /// Creating table `db.table`.
    pub fn schema(db: &str, table: &str) -> Step {
        Step::from_parts(&["schema", db, table])
    }

    /// Loading chunk `n` of `db.table`.
    pub fn chunk(db: &str, table: &str, n: usize) -> Step {
        Step::from_parts(&["chunk", db, table, &n.to_string()])
    }

    /// Creating the objects of `db`.
    pub fn objects(db: &str) -> Step {
        Step::from_parts(&["objects", db])
    }

    /// Creating the sequences of `db`.
    pub fn sequences(db: &str) -> Step {
        Step::from_parts(&["sequences", db])
    }

    fn from_parts(parts: &[&str]) -> Step {
        // JSON: names with spaces, tabs or quotes stay one unambiguous token.
        Step(serde_json::to_string(parts).unwrap_or_default())
    }
}

/// An append-only progress log.
#[derive(Debug)]
pub struct ProgressLog {
    path: PathBuf,
    file: Mutex<File>,
    started: HashSet<Step>,
    done: HashSet<Step>,
}

impl ProgressLog {
    /// Open the log at `path` for a load described by `header`: a new log
    /// is created; an existing one must carry the same header (the same dump
    /// into the same target), and its finished steps are skipped.
    pub fn open(path: &Path, header: &str) -> Result<ProgressLog> {
        let mut started = HashSet::new();
        let mut done = HashSet::new();
        let exists = path.exists();
        if exists {
            let f = File::open(path).map_err(|e| Error::io(path, e))?;
            let mut lines = BufReader::new(f).lines();
            let first = lines
                .next()
                .transpose()
                .map_err(|e| Error::io(path, e))?
                .unwrap_or_default();
            if first != header {
                return Err(Error::Dump {
                    path: path.to_owned(),
                    cause: "this progress log belongs to another dump or another target \
                            (remove it to load from scratch, or give another --progress-log)"
                        .into(),
                });
            }
            for line in lines {
                let line = line.map_err(|e| Error::io(path, e))?;
                // A torn last line (killed while writing) is simply ignored:
                // its step is redone.
                if let Some(s) = line.strip_prefix("start ") {
                    started.insert(Step(s.to_owned()));
                } else if let Some(s) = line.strip_prefix("done ") {
                    done.insert(Step(s.to_owned()));
                }
            }
        }
        let mut file = File::options()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| Error::io(path, e))?;
        if !exists {
            file.write_all(format!("{header}\n").as_bytes())
                .and_then(|_| file.sync_data())
                .map_err(|e| Error::io(path, e))?;
        }
        Ok(ProgressLog {
            path: path.to_owned(),
            file: Mutex::new(file),
            started,
            done,
        })
    }

    /// True when the step finished in an earlier run.
    pub fn is_done(&self, step: &Step) -> bool {
        self.done.contains(step)
    }

    /// True when an earlier run started the step and did not record its end
    /// (it may or may not have taken effect).
    pub fn was_interrupted(&self, step: &Step) -> bool {
        self.started.contains(step) && !self.done.contains(step)
    }

    /// Record that `step` starts.
    pub fn start(&self, step: &Step) -> Result<()> {
        self.append("start", step)
    }

    /// Record that `step` is done (synced before returning).
    pub fn finish(&self, step: &Step) -> Result<()> {
        self.append("done", step)
    }

    fn append(&self, what: &str, step: &Step) -> Result<()> {
        let mut f = self.file.lock().unwrap_or_else(|p| p.into_inner());
        f.write_all(format!("{what} {}\n", step.0).as_bytes())
            .and_then(|_| f.sync_data())
            .map_err(|e| Error::io(&self.path, e))
    }
}

/// What to do with the chunks of one table that an earlier run started but
/// did not record as done, given the table's row count now: with
/// `remaining = count - rows of done chunks`, none of them took effect
/// (`remaining == 0`: redo them all) or all did (`remaining` equals their
/// rows: mark them done). Anything else cannot be told apart.
pub fn reconcile(count: u64, done_rows: u64, interrupted_rows: &[u64]) -> Option<bool> {
    let remaining = count.checked_sub(done_rows)?;
    if remaining == 0 {
        Some(false)
    } else if remaining == interrupted_rows.iter().sum::<u64>() {
        Some(true)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_survives_reopen_and_refuses_another_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.log");
        let a = Step::chunk("d", "t a", 0);
        let b = Step::chunk("d", "t a", 1);
        {
            let log = ProgressLog::open(&path, "h1").unwrap();
            log.start(&a).unwrap();
            log.finish(&a).unwrap();
            log.start(&b).unwrap();
        }
        // A torn line from a kill mid-write is ignored.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"don")
            .unwrap();
        let log = ProgressLog::open(&path, "h1").unwrap();
        assert!(log.is_done(&a) && !log.was_interrupted(&a));
        assert!(!log.is_done(&b) && log.was_interrupted(&b));
        assert!(!log.was_interrupted(&Step::schema("d", "t a")));
        let e = ProgressLog::open(&path, "h2").unwrap_err().to_string();
        assert!(e.contains("another dump or another target"), "{e}");
    }

    #[test]
    fn interrupted_chunks_are_redone_or_kept_only_when_certain() {
        assert_eq!(reconcile(100, 100, &[10, 20]), Some(false));
        assert_eq!(reconcile(130, 100, &[10, 20]), Some(true));
        assert_eq!(reconcile(110, 100, &[10, 20]), None);
        assert_eq!(reconcile(90, 100, &[10]), None);
    }
}
