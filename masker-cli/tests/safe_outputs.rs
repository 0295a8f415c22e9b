//! `-o FILE` never destroys what is at the path (issue 11): devices and
//! FIFOs are written into, symlinks followed, read-only files and
//! directories refused, and errors name the path the user typed. Device
//! nodes and FIFOs are made in a temporary folder, never the real `/dev`.

mod util;

use std::io::Read;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use util::*;

fn shop() -> PathBuf {
    testdata("example/shop.sql")
}

/// Every name in a directory, sorted (hidden ones too: temporaries start with `.`).
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// `masker mask` of shop.sql with the identity rules into `out`.
fn mask_into(out: &Path) -> std::process::Output {
    mask_file(
        &empty_rules(),
        &shop(),
        &["-o", out.to_str().unwrap()],
        None,
    )
}

/// `mknod PATH c MAJOR MINOR`, or why it is not permitted here.
fn mknod(path: &Path, major: u32, minor: u32) -> Result<(), String> {
    let out = run(
        Command::new("mknod")
            .arg(path)
            .arg("c")
            .arg(major.to_string())
            .arg(minor.to_string()),
        None,
    );
    if out.status.success() {
        Ok(())
    } else {
        Err(stderr(&out))
    }
}

fn mkfifo(path: &Path) {
    let out = run(Command::new("mkfifo").arg(path), None);
    assert!(out.status.success(), "mkfifo failed: {}", stderr(&out));
}

#[test]
fn output_to_a_device_node_keeps_the_device() {
    let dir = tempfile::tempdir().unwrap();
    let null = dir.path().join("null");
    if let Err(why) = mknod(&null, 1, 3) {
        eprintln!("skipped: mknod is not permitted here: {why}");
        return;
    }
    let out = mask_into(&null);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let meta = null.symlink_metadata().unwrap();
    assert!(
        meta.file_type().is_char_device(),
        "the device node was replaced by a {:?}",
        meta.file_type()
    );
    assert_eq!(names(dir.path()), ["null"]);
}

#[test]
fn output_to_a_full_device_names_the_path_and_keeps_the_device() {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full");
    if let Err(why) = mknod(&full, 1, 7) {
        eprintln!("skipped: mknod is not permitted here: {why}");
        return;
    }
    let out = mask_into(&full);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("cannot write {}", full.display())) && err.contains("No space left"),
        "{err}"
    );
    assert!(!err.contains("masker-tmp"), "{err}");
    assert!(full
        .symlink_metadata()
        .unwrap()
        .file_type()
        .is_char_device());
    assert_eq!(names(dir.path()), ["full"]);
}

#[test]
fn output_to_a_fifo_reaches_its_reader() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let (tx, rx) = mpsc::channel();
    let reader_path = fifo.clone();
    std::thread::spawn(move || {
        let mut got = Vec::new();
        let r = std::fs::File::open(&reader_path).and_then(|mut f| f.read_to_end(&mut got));
        let _ = tx.send(r.map(|_| got));
    });
    let mut child = masker()
        .args(["mask", "--rules"])
        .arg(empty_rules())
        .arg(shop())
        .arg("-o")
        .arg(&fifo)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_timeout(&mut child, Duration::from_secs(30)).expect("masker hung");
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    let got = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the FIFO's reader got nothing (was the FIFO replaced?)")
        .unwrap();
    assert_same_bytes("FIFO output", &std::fs::read(shop()).unwrap(), &got);
    assert!(fifo.symlink_metadata().unwrap().file_type().is_fifo());
    assert_eq!(names(dir.path()), ["pipe"]);
}

#[test]
fn output_through_a_symlink_replaces_the_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let real = elsewhere.path().join("real.sql");
    std::fs::write(&real, b"old").unwrap();
    let link = dir.path().join("link.sql");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = mask_into(&link);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_link(&link).unwrap(), real);
    assert_same_bytes(
        "symlink target",
        &std::fs::read(shop()).unwrap(),
        &std::fs::read(&real).unwrap(),
    );
    // The temporary file was made beside the target, and is gone.
    assert_eq!(names(dir.path()), ["link.sql"]);
    assert_eq!(names(elsewhere.path()), ["real.sql"]);
}

/// QA finding: `-o` naming the input file (directly or through a symlink)
/// masked the dump in place with exit 0, destroying the original.
#[test]
fn output_that_is_the_input_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.sql");
    std::fs::copy(shop(), &dump).unwrap();
    let link = dir.path().join("link.sql");
    std::os::unix::fs::symlink(&dump, &link).unwrap();
    let original = std::fs::read(&dump).unwrap();
    for out in [&dump, &link] {
        let o = mask_file(
            &testdata("example/rules.toml"),
            &dump,
            &["-o", out.to_str().unwrap()],
            Some("safe-outputs-test-key-0123"),
        );
        assert_eq!(code(&o), 2, "{}", stderr(&o));
        assert!(stderr(&o).contains("is the input file"), "{}", stderr(&o));
        assert_eq!(std::fs::read(&dump).unwrap(), original);
    }
    assert_eq!(names(dir.path()), ["dump.sql", "link.sql"]);
}

#[test]
fn output_to_a_read_only_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("ro.sql");
    std::fs::write(&ro, b"keep me").unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = mask_into(&ro);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("refusing to replace {}", ro.display())) && err.contains("read-only"),
        "{err}"
    );
    assert_eq!(std::fs::read(&ro).unwrap(), b"keep me");
    assert_eq!(ro.metadata().unwrap().permissions().mode() & 0o7777, 0o444);
    assert_eq!(names(dir.path()), ["ro.sql"]);
}

#[test]
fn output_to_a_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    std::fs::create_dir(&d).unwrap();
    let out = mask_into(&d);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(stderr(&out).contains("is a directory"), "{}", stderr(&out));
    assert!(d.is_dir());
    assert!(names(&d).is_empty());
    assert_eq!(names(dir.path()), ["d"]);
}

#[test]
fn replaced_file_keeps_its_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("out.sql");
    std::fs::write(&f, b"old").unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = mask_into(&f);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(f.metadata().unwrap().permissions().mode() & 0o7777, 0o640);
    assert_eq!(std::fs::read(&f).unwrap(), std::fs::read(shop()).unwrap());
}

#[test]
fn output_error_names_the_typed_path_not_the_temporary_name() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/dir/out.sql");
    let out = mask_into(&missing);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&missing.display().to_string()), "{err}");
    assert!(!err.contains("masker-tmp"), "{err}");
}

#[test]
fn failed_run_leaves_the_old_output_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("out.sql");
    std::fs::write(&f, b"old").unwrap();
    let out = mask_file(
        &empty_rules(),
        &testdata("bad/truncated_in_tuple.sql"),
        &["-o", f.to_str().unwrap()],
        None,
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(std::fs::read(&f).unwrap(), b"old");
    assert_eq!(names(dir.path()), ["out.sql"]);
}

#[test]
fn unreadable_input_error_names_the_input() {
    // A file that opens but cannot be read: a process's own memory at
    // offset 0 (unmapped) fails with EIO. (A directory is no longer such an
    // input: it is read as a mydumper directory, tests/mydumper_dirs.rs.)
    let input = std::path::Path::new("/proc/self/mem");
    let out = mask_file(&empty_rules(), input, &[], None);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot read /proc/self/mem"),
        "{}",
        stderr(&out)
    );
}
