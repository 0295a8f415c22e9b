//! SIGINT, SIGTERM and SIGHUP during a run remove every temporary file and
//! directory, say what was interrupted, exit 130 / 143 / 129, and leave an
//! old output untouched (issue 11). The input is a FIFO that the test keeps
//! open after writing part of a dump, so the run blocks mid-way.

mod util;

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use util::*;

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Start `masker mask --rules EMPTY FIFO ARGS`, feed the FIFO the first
/// 3000 bytes of shop.sql (cut inside a statement) and keep it open.
fn start_blocked(dir: &Path, args: &[&str]) -> (Child, File) {
    let fifo = dir.join("in.sql");
    let out = run(Command::new("mkfifo").arg(&fifo), None);
    assert!(out.status.success(), "mkfifo failed: {}", stderr(&out));
    let mut child = masker()
        .args(["mask", "--rules"])
        .arg(empty_rules())
        .arg(&fifo)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Opening a FIFO for writing waits for its reader: do it aside, with a limit.
    let (tx, rx) = mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(File::options().write(true).open(&path));
    });
    let mut writer = match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(w) => w.unwrap(),
        Err(_) => {
            let _ = child.kill();
            let mut err = String::new();
            let _ = child.stderr.take().unwrap().read_to_string(&mut err);
            panic!("masker never opened its input: {err}");
        }
    };
    let dump = std::fs::read(testdata("example/shop.sql")).unwrap();
    writer.write_all(&dump[..3000]).unwrap();
    writer.flush().unwrap();
    (child, writer)
}

/// Wait until a name containing `.masker-tmp-` appears in `dir`.
fn wait_for_temporary(dir: &Path, child: &mut Child) {
    let start = Instant::now();
    while !names(dir).iter().any(|n| n.contains(".masker-tmp-")) {
        if let Some(st) = child.try_wait().unwrap() {
            let mut err = String::new();
            let _ = child.stderr.take().unwrap().read_to_string(&mut err);
            panic!("masker ended ({st}) before creating its temporary output: {err}");
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no temporary output appeared in {}: {:?}",
            dir.display(),
            names(dir)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Send `sig` (`TERM`, ...) and return the exit code and stderr.
fn interrupt(child: &mut Child, sig: &str) -> (i32, String) {
    let out = run(
        Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(child.id().to_string()),
        None,
    );
    assert!(out.status.success(), "kill failed: {}", stderr(&out));
    let status = wait_timeout(child, Duration::from_secs(30))
        .unwrap_or_else(|| panic!("masker did not exit on SIG{sig}"));
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let code = status
        .code()
        .unwrap_or_else(|| panic!("masker died of SIG{sig} instead of exiting: {status}"));
    (code, err)
}

fn interrupted_file_output(sig: &str, expected: i32) {
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("out.sql.gz");
    std::fs::write(&out, b"old").unwrap();
    let (mut child, writer) = start_blocked(dir.path(), &["-o", "out.sql.gz"]);
    wait_for_temporary(dir.path(), &mut child);
    let (code, err) = interrupt(&mut child, sig);
    drop(writer);
    assert_eq!(code, expected, "{err}");
    assert!(
        err.contains(&format!(
            "masker: interrupted by SIG{sig}; nothing written to out.sql.gz (its unfinished copy removed)"
        )),
        "{err}"
    );
    assert_eq!(names(dir.path()), ["in.sql", "out.sql.gz"]);
    assert_eq!(std::fs::read(&out).unwrap(), b"old");
}

#[test]
fn sigterm_removes_partial_output_and_exits_143() {
    interrupted_file_output("TERM", 143);
}

#[test]
fn sigint_removes_partial_output_and_exits_130() {
    interrupted_file_output("INT", 130);
}

#[test]
fn sighup_removes_partial_output_and_exits_129() {
    interrupted_file_output("HUP", 129);
}

#[test]
fn sigterm_during_export_removes_the_temporary_directory() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    std::fs::create_dir(&export).unwrap();
    std::fs::write(export.join("old.tsv"), b"old").unwrap();
    let (mut child, writer) = start_blocked(
        dir.path(),
        &["--to", "tsv", "--out-dir", "export", "--force"],
    );
    wait_for_temporary(dir.path(), &mut child);
    let (code, err) = interrupt(&mut child, "TERM");
    drop(writer);
    assert_eq!(code, 143, "{err}");
    assert!(
        err.contains("masker: interrupted by SIGTERM; nothing written to export"),
        "{err}"
    );
    assert_eq!(names(dir.path()), ["export", "in.sql"]);
    assert_eq!(names(&export), ["old.tsv"]);
}
