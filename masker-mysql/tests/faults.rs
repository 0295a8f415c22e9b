//! Faults: a corrupted chunk file, a wrong password, an unfinished dump.

mod common;

use common::{connector, TestDb};
use masker_mysql::dump::{self, DumpOptions, Progress};
use masker_mysql::load::{self, LoadOptions, LoadProgress};
use masker_mysql::verify::{self, VerifyOptions};
use masker_mysql::ConnectOptions;

fn small_db(db: &str) {
    let mut c = common::conn();
    common::exec(
        &mut c,
        &format!(
            "CREATE DATABASE `{db}`;\nCREATE TABLE `{db}`.t (id INT PRIMARY KEY, s VARCHAR(20));\n\
             INSERT INTO `{db}`.t VALUES (1, 'a'), (2, NULL), (3, 'c')"
        ),
    );
}

fn dump_small(db: &str, out: &std::path::Path) -> masker_mysql::manifest::Manifest {
    let mut o = DumpOptions::default();
    o.filter.databases = vec![db.to_owned()];
    dump::dump(&connector(), out, &o, &Progress::default())
        .expect("dump")
        .manifest
}

#[test]
fn corrupted_chunk_file_fails_verify_naming_it() {
    let db = TestDb::new("corrupt");
    small_db(&db.name);
    let dir = tempfile::tempdir().unwrap();
    let m = dump_small(&db.name, dir.path());
    let chunk = &m.tables[0].chunks[0].file.file;
    let path = dir.path().join(chunk);
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    std::fs::write(&path, bytes).unwrap();
    let report = verify::verify(&connector(), dir.path(), &VerifyOptions::default()).unwrap();
    assert!(!report.ok());
    assert_eq!(report.file_problems.len(), 1);
    assert_eq!(&report.file_problems[0].file, chunk);
    assert!(report.file_problems[0].problem.contains("SHA-256"));
    // The rows on the server are intact: the table itself checks out.
    assert!(report.tables.iter().all(|t| t.ok));
}

#[test]
fn changed_rows_fail_verify_for_that_table() {
    let db = TestDb::new("changed");
    small_db(&db.name);
    let dir = tempfile::tempdir().unwrap();
    dump_small(&db.name, dir.path());
    let mut c = common::conn();
    common::exec(
        &mut c,
        &format!("UPDATE `{}`.t SET s = '' WHERE id = 2", db.name),
    );
    let report = verify::verify(&connector(), dir.path(), &VerifyOptions::default()).unwrap();
    assert!(!report.ok());
    let t = &report.tables[0];
    assert!(
        !t.ok && t.problem.as_deref().unwrap().contains("digest"),
        "{t:?}"
    );
    assert_eq!(t.actual_rows, Some(3));
}

#[test]
fn wrong_password_is_a_clear_error_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "not-the-Pa55word-xyzzy";
    let pw = dir.path().join("pw");
    std::fs::write(&pw, format!("{secret}\n")).unwrap();
    // A user of our own, so the outcome does not depend on root's auth plugin.
    let user = format!("masker_t_{}", std::process::id());
    let mut c = common::conn();
    common::exec(
        &mut c,
        &format!(
            "DROP USER IF EXISTS '{user}'@'%';\nCREATE USER '{user}'@'%' IDENTIFIED BY 'right-one'"
        ),
    );
    let mut o = ConnectOptions::new();
    o.url = Some("mysql://127.0.0.1:3306/".into());
    o.user = Some(user.clone());
    o.password_file = Some(pw);
    let err = o
        .resolve()
        .unwrap()
        .connect(masker_mysql::connect::Names::Binary)
        .unwrap_err()
        .to_string();
    common::exec(&mut c, &format!("DROP USER IF EXISTS '{user}'@'%'"));
    assert!(err.contains("cannot connect to 127.0.0.1:3306"), "{err}");
    assert!(err.contains("Access denied"), "{err}");
    assert!(!err.contains(secret), "{err}");
}

#[test]
fn a_dump_without_manifest_is_refused_by_load_and_verify() {
    let db = TestDb::new("nomanifest");
    small_db(&db.name);
    let dir = tempfile::tempdir().unwrap();
    dump_small(&db.name, dir.path());
    std::fs::remove_file(dir.path().join("manifest.json")).unwrap();
    let e = load::load(
        &connector(),
        dir.path(),
        &LoadOptions::default(),
        &LoadProgress::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("no manifest.json"), "{e}");
    let e = verify::verify(&connector(), dir.path(), &VerifyOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("did not finish"), "{e}");
}

#[test]
fn dump_refuses_a_non_empty_directory() {
    let db = TestDb::new("nonempty");
    small_db(&db.name);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("manifest.json"), b"{}").unwrap();
    let mut o = DumpOptions::default();
    o.filter.databases = vec![db.name.clone()];
    let e = dump::dump(&connector(), dir.path(), &o, &Progress::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("not empty"), "{e}");
}
