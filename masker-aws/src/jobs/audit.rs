//! The audit log: one JSON line per step (caller, action, resource ARNs,
//! outcome, timings), each chained to the one before by SHA-256, so that an
//! edited, inserted or removed line is found by [`verify`]. This module owns
//! the record format and the chain; callers must only pass identifiers,
//! ARNs and counts: never a password, a key or a value from the data.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::names::hex;

/// The `prev` of a log's first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Audit log errors.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The file cannot be read or written.
    #[error("audit log {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The chain is broken.
    #[error("audit log {log}: {unit} {index}: {problem}")]
    Broken {
        /// Where the log is (file, S3 URL, CloudWatch Logs stream).
        log: String,
        /// What `index` counts: `line` (file, S3) or `event` (CloudWatch Logs).
        unit: &'static str,
        /// 1-based line or event number.
        index: usize,
        /// What is wrong.
        problem: String,
    },
}

/// One step's record, before it is chained.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The step (`preflight`, `dump`, ...).
    pub step: String,
    /// The AWS or database action (`rds:CopyDBClusterSnapshot`, ...).
    pub action: String,
    /// ARNs or URLs of the resources touched.
    pub resources: Vec<String>,
    /// `ok`, `failed`, `interrupted`, ...
    pub outcome: String,
    /// Why it failed (an error message: names places, never values).
    pub error: Option<String>,
    /// Start (RFC 3339).
    pub started: String,
    /// Duration in milliseconds.
    pub duration_ms: u64,
    /// Extra counts and identifiers.
    pub details: Map<String, Value>,
}

/// An append-only, hash-chained JSON-lines file.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    file: File,
    prev: String,
    seq: u64,
    run_id: String,
    job: String,
    caller: Option<String>,
    echo: bool,
}

impl AuditLog {
    /// Open `path` for appending; an existing log is verified first and the
    /// chain continues from its last record.
    pub fn open(path: &Path, run_id: &str, job: &str) -> Result<AuditLog, AuditError> {
        let io = |source| AuditError::Io {
            path: path.to_owned(),
            source,
        };
        let file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)
            .map_err(io)?;
        // Other processes of the run (shards on one machine) append under
        // the same lock: the file holds whole lines while it is held.
        file.lock().map_err(io)?;
        let checked = verify(path);
        let _ = file.unlock();
        let (n, prev) = checked?;
        let seq = n as u64;
        Ok(AuditLog {
            path: path.to_owned(),
            file,
            prev,
            seq,
            run_id: run_id.to_owned(),
            job: job.to_owned(),
            caller: None,
            echo: false,
        })
    }

    /// Also print each record to stdout, as written, once it is synced.
    pub fn echo_to_stdout(&mut self, on: bool) {
        self.echo = on;
    }

    /// The caller's ARN (from STS), written into every later record.
    pub fn set_caller(&mut self, arn: &str) {
        self.caller = Some(arn.to_owned());
    }

    /// The hash of the last record written (anchor it elsewhere to detect
    /// a truncated log).
    pub fn head(&self) -> &str {
        &self.prev
    }

    /// Append one record, chained to the file's last record (another
    /// process may have appended since this one did), and sync it; under
    /// an exclusive lock on the file.
    pub fn append(&mut self, e: &Entry) -> Result<(), AuditError> {
        let io = |source| AuditError::Io {
            path: self.path.clone(),
            source,
        };
        self.file.lock().map_err(io)?;
        let r = self.append_locked(e);
        let _ = self.file.unlock();
        r
    }

    fn append_locked(&mut self, e: &Entry) -> Result<(), AuditError> {
        if let Some((prev, seq)) = last_record(&mut self.file).map_err(|source| AuditError::Io {
            path: self.path.clone(),
            source,
        })? {
            self.prev = prev;
            self.seq = seq + 1;
        }
        let mut rec = Map::new();
        rec.insert("seq".into(), json!(self.seq));
        rec.insert("run_id".into(), json!(self.run_id));
        rec.insert("job".into(), json!(self.job));
        rec.insert("caller".into(), json!(self.caller));
        rec.insert("step".into(), json!(e.step));
        rec.insert("action".into(), json!(e.action));
        rec.insert("resources".into(), json!(e.resources));
        rec.insert("outcome".into(), json!(e.outcome));
        if let Some(err) = &e.error {
            rec.insert("error".into(), json!(err));
        }
        rec.insert("started".into(), json!(e.started));
        rec.insert("duration_ms".into(), json!(e.duration_ms));
        if !e.details.is_empty() {
            rec.insert("details".into(), Value::Object(e.details.clone()));
        }
        rec.insert("prev".into(), json!(self.prev));
        let hash = chain_hash(&rec);
        rec.insert("hash".into(), json!(hash));
        let line = Value::Object(rec).to_string();
        let io = |source| AuditError::Io {
            path: self.path.clone(),
            source,
        };
        writeln!(self.file, "{line}").map_err(io)?;
        self.file.sync_data().map_err(io)?;
        if self.echo {
            // A closed stdout must not stop the job: the file is the record.
            let _ = writeln!(std::io::stdout().lock(), "{line}");
        }
        self.prev = hash;
        self.seq += 1;
        Ok(())
    }
}

/// The hash and sequence number of the file's last record, read from its
/// end (`None`: empty, or a last line that is not a record, which
/// [`verify`] reports).
fn last_record(file: &mut File) -> std::io::Result<Option<(String, u64)>> {
    use std::io::{Read, Seek, SeekFrom};
    let len = file.seek(SeekFrom::End(0))?;
    let mut tail: Vec<u8> = Vec::new();
    let mut pos = len;
    // Read backwards until the start of the last line is in `tail`.
    loop {
        let trimmed = tail.strip_suffix(b"\n").unwrap_or(&tail);
        if trimmed.contains(&b'\n') || pos == 0 {
            break;
        }
        let step = pos.min(8192);
        pos -= step;
        file.seek(SeekFrom::Start(pos))?;
        let mut block = vec![0u8; step as usize];
        file.read_exact(&mut block)?;
        block.extend_from_slice(&tail);
        tail = block;
    }
    let trimmed = tail.strip_suffix(b"\n").unwrap_or(&tail);
    let line = match trimmed.iter().rposition(|&b| b == b'\n') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    };
    if line.is_empty() {
        return Ok(None);
    }
    let Ok(rec) = serde_json::from_slice::<Map<String, Value>>(line) else {
        return Ok(None);
    };
    Ok(
        match (
            rec.get("hash").and_then(Value::as_str),
            rec.get("seq").and_then(Value::as_u64),
        ) {
            (Some(h), Some(n)) => Some((h.to_owned(), n)),
            _ => None,
        },
    )
}

/// The log's bytes as they stand between two appends (read under the
/// writers' lock, so it ends with a whole record).
pub fn read_locked(path: &Path) -> Result<Vec<u8>, AuditError> {
    use std::io::Read;
    let io = |source| AuditError::Io {
        path: path.to_owned(),
        source,
    };
    let mut f = File::open(path).map_err(io)?;
    f.lock_shared().map_err(io)?;
    let mut bytes = Vec::new();
    let r = f.read_to_end(&mut bytes);
    let _ = f.unlock();
    r.map_err(io)?;
    Ok(bytes)
}

/// The run id of the log's last record (the run a command just wrote).
pub fn last_run_id(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let last = text.lines().rev().find(|l| !l.trim().is_empty())?;
    let rec: Map<String, Value> = serde_json::from_str(last).ok()?;
    rec.get("run_id")?.as_str().map(str::to_owned)
}

/// SHA-256 over the record's JSON without its `hash` field (serde_json
/// keeps object keys sorted, so the text is canonical).
fn chain_hash(rec: &Map<String, Value>) -> String {
    let mut r = rec.clone();
    r.remove("hash");
    hex(&Sha256::digest(Value::Object(r).to_string().as_bytes()))
}

/// Check the chain of the log at `path`: every line's hash, its link to the
/// line before and its sequence number. Returns the number of records and
/// the last hash.
pub fn verify(path: &Path) -> Result<(usize, String), AuditError> {
    let io = |source| AuditError::Io {
        path: path.to_owned(),
        source,
    };
    let f = File::open(path).map_err(io)?;
    let lines = BufReader::new(f)
        .lines()
        .enumerate()
        .map(|(i, l)| l.map(|l| (i + 1, l)).map_err(io));
    verify_records(&path.display().to_string(), "line", lines)
}

/// Check the chain of a log held in memory (an S3 copy), named `log` in
/// errors.
pub fn verify_bytes(log: &str, bytes: &[u8]) -> Result<(usize, String), AuditError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        AuditError::Broken {
            log: log.to_owned(),
            unit: "line",
            index: line + 1,
            problem: "not UTF-8 text".into(),
        }
    })?;
    verify_records(
        log,
        "line",
        text.lines()
            .enumerate()
            .map(|(i, l)| Ok((i + 1, l.to_owned()))),
    )
}

/// Check a chain given as its records in order, each with the 1-based
/// number of the line or event (`unit`) it starts at; the first record
/// must be the chain's first (`seq` 0, `prev` [`GENESIS`]).
pub fn verify_records<I>(
    log: &str,
    unit: &'static str,
    records: I,
) -> Result<(usize, String), AuditError>
where
    I: IntoIterator<Item = Result<(usize, String), AuditError>>,
{
    let broken = |index: usize, problem: String| AuditError::Broken {
        log: log.to_owned(),
        unit,
        index,
        problem,
    };
    let mut prev = GENESIS.to_owned();
    let mut n = 0usize;
    for record in records {
        let (index, line) = record?;
        let rec: Map<String, Value> = serde_json::from_str(&line)
            .map_err(|e| broken(index, format!("not a JSON record ({e})")))?;
        let stated = rec.get("hash").and_then(Value::as_str).unwrap_or_default();
        if chain_hash(&rec) != stated {
            return Err(broken(
                index,
                "edited: its hash does not match its content".into(),
            ));
        }
        if rec.get("prev").and_then(Value::as_str) != Some(prev.as_str()) {
            return Err(broken(
                index,
                format!("a record before it was removed or inserted: it does not chain to the previous {unit}"),
            ));
        }
        if rec.get("seq").and_then(Value::as_u64) != Some(n as u64) {
            return Err(broken(index, format!("sequence number is not {n}")));
        }
        prev = stated.to_owned();
        n += 1;
    }
    Ok((n, prev))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(step: &str) -> Entry {
        Entry {
            step: step.into(),
            action: "rds:Test".into(),
            resources: vec!["arn:aws:rds:us-east-1:1:cluster:x".into()],
            outcome: "ok".into(),
            error: None,
            started: "2026-11-27T15:00:00Z".into(),
            duration_ms: 3,
            details: Map::new(),
        }
    }

    fn write_log(dir: &Path) -> PathBuf {
        let p = dir.join("audit.jsonl");
        let mut log = AuditLog::open(&p, "run", "backup").unwrap();
        log.set_caller("arn:aws:sts::1:user/x");
        for s in ["a", "b", "c"] {
            log.append(&entry(s)).unwrap();
        }
        p
    }

    #[test]
    fn a_written_log_verifies_and_reopening_continues_the_chain() {
        let dir = tempfile::tempdir().unwrap();
        let p = write_log(dir.path());
        assert_eq!(verify(&p).unwrap().0, 3);
        let mut log = AuditLog::open(&p, "run2", "mask").unwrap();
        log.append(&entry("d")).unwrap();
        assert_eq!(verify(&p).unwrap().0, 4);
    }

    #[test]
    fn the_last_records_run_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let p = write_log(dir.path());
        let mut log = AuditLog::open(&p, "run2", "mask").unwrap();
        log.append(&entry("d")).unwrap();
        assert_eq!(last_run_id(&p).as_deref(), Some("run2"));
        assert_eq!(last_run_id(&dir.path().join("none")), None);
    }

    #[test]
    fn two_writers_of_one_file_keep_one_chain() {
        // As two shard processes on one machine: each appends after the other.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("audit.jsonl");
        let mut a = AuditLog::open(&p, "run", "backup").unwrap();
        let mut b = AuditLog::open(&p, "run", "backup").unwrap();
        for i in 0..3 {
            a.append(&entry(&format!("a{i}"))).unwrap();
            b.append(&entry(&format!("b{i}"))).unwrap();
        }
        let mut big = entry("big");
        // A record longer than one read-back block.
        big.details.insert("pad".into(), json!("x".repeat(20_000)));
        a.append(&big).unwrap();
        b.append(&entry("after-big")).unwrap();
        assert_eq!(verify(&p).unwrap().0, 8);
        assert_eq!(b.head(), verify(&p).unwrap().1);
    }

    #[test]
    fn an_edited_line_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let p = write_log(dir.path());
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(
            &p,
            text.replacen("\"outcome\":\"ok\"", "\"outcome\":\"no\"", 2),
        )
        .unwrap();
        let e = verify(&p).unwrap_err().to_string();
        assert!(e.contains("line 1") && e.contains("edited"), "{e}");
    }

    #[test]
    fn a_removed_line_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let p = write_log(dir.path());
        let text = std::fs::read_to_string(&p).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        std::fs::write(&p, format!("{}\n{}\n", lines[0], lines[2])).unwrap();
        let e = verify(&p).unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("removed"), "{e}");
    }

    #[test]
    fn a_copy_in_memory_verifies_like_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = write_log(dir.path());
        let bytes = std::fs::read(&p).unwrap();
        assert_eq!(
            verify_bytes("s3://b/k", &bytes).unwrap(),
            verify(&p).unwrap()
        );
        let text = String::from_utf8(bytes).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let cut = format!("{}\n{}\n", lines[1], lines[2]);
        let e = verify_bytes("s3://b/k", cut.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("audit log s3://b/k: line 1: "), "{e}");
        let e = verify_bytes("s3://b/k", b"\xff\n").unwrap_err().to_string();
        assert!(e.contains("line 1: not UTF-8"), "{e}");
    }
}
