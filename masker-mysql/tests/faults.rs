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

/// Load with a progress log, then pretend the run was killed around chunk
/// `victim`: its `done` line is gone, and (`rows_gone`) its rows too.
fn interrupted_load(rows_gone: bool) {
    let src = TestDb::new("resume_src");
    let mut c = common::conn();
    common::exec(
        &mut c,
        &format!(
            "CREATE DATABASE `{db}`;\nUSE `{db}`;\nCREATE TABLE t (id INT PRIMARY KEY, s VARCHAR(200));\n\
             INSERT INTO `{db}`.t SELECT seq, REPEAT('x', 150) FROM seq_1_to_3000;\n\
             ANALYZE TABLE `{db}`.t",
            db = src.name
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let mut o = DumpOptions::default();
    o.filter.databases = vec![src.name.clone()];
    o.chunk_bytes = 32 << 10;
    let m = dump::dump(&connector(), dir.path(), &o, &Progress::default())
        .unwrap()
        .manifest;
    assert!(m.tables[0].chunks.len() > 3);
    let dst = TestDb::new("resume_dst");
    let log = dir.path().join("progress.log");
    let mut lo = LoadOptions::default();
    lo.into_database = Some(dst.name.clone());
    lo.progress_log = Some(log.clone());
    load::load(&connector(), dir.path(), &lo, &LoadProgress::default()).unwrap();

    // Forget that chunk 2 finished (killed between COMMIT and the log line).
    let text = std::fs::read_to_string(&log).unwrap();
    let victim = format!("done [\"chunk\",\"{}\",\"t\",\"2\"]", dst.name);
    assert!(text.contains(&victim), "{text}");
    let text: String = text
        .lines()
        .filter(|l| *l != victim)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&log, text).unwrap();
    if rows_gone {
        // ... or killed before COMMIT: the chunk's rows were rolled back.
        assert!(matches!(
            m.tables[0].chunking,
            masker_mysql::chunk::Strategy::IntegerRange { .. }
        ));
        let ids: Vec<String> = common::sorted_rows(&dst.name, "t")
            .into_iter()
            .map(|r| String::from_utf8(r[0].clone().unwrap()).unwrap())
            .collect();
        let n = m.tables[0].chunks[2].rows as usize;
        // Chunks are key ranges in key order: chunk 2 holds the rows after
        // chunks 0 and 1.
        let skip = (m.tables[0].chunks[0].rows + m.tables[0].chunks[1].rows) as usize;
        let mut numeric: Vec<u64> = ids.iter().map(|s| s.parse().unwrap()).collect();
        numeric.sort();
        let gone: Vec<String> = numeric[skip..skip + n]
            .iter()
            .map(|i| i.to_string())
            .collect();
        common::exec(
            &mut c,
            &format!(
                "DELETE FROM `{}`.t WHERE id IN ({})",
                dst.name,
                gone.join(",")
            ),
        );
    }
    let s = load::load(&connector(), dir.path(), &lo, &LoadProgress::default()).unwrap();
    assert!(s.resumed_steps > 3);
    let mut vo = VerifyOptions::default();
    vo.into_database = Some(dst.name.clone());
    let report = verify::verify(&connector(), dir.path(), &vo).unwrap();
    assert!(report.ok(), "{:?}", report.tables);
}

#[test]
fn resumed_load_keeps_a_chunk_committed_before_the_kill() {
    interrupted_load(false);
}

#[test]
fn resumed_load_redoes_a_chunk_rolled_back_by_the_kill() {
    interrupted_load(true);
}

#[test]
fn progress_log_of_another_target_stops_the_resume() {
    let db = TestDb::new("resume_other");
    small_db(&db.name);
    let dir = tempfile::tempdir().unwrap();
    dump_small(&db.name, dir.path());
    let log = dir.path().join("p.log");
    std::fs::write(
        &log,
        "masker-load 1 manifest-sha256=00 target=elsewhere:3306 into=-\n",
    )
    .unwrap();
    let dst = TestDb::new("resume_other_dst");
    let mut lo = LoadOptions::default();
    lo.into_database = Some(dst.name.clone());
    lo.progress_log = Some(log);
    let e = load::load(&connector(), dir.path(), &lo, &LoadProgress::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("another dump or another target"), "{e}");
}

#[test]
fn unknown_database_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut o = DumpOptions::default();
    o.filter.databases = vec!["masker_t_surely_absent_db".into()];
    let e = dump::dump(&connector(), dir.path(), &o, &Progress::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("masker_t_surely_absent_db does not exist"),
        "{e}"
    );
    assert!(!dir.path().join("manifest.json").exists());
}

#[test]
fn connection_killed_mid_dump_fails_and_leaves_no_manifest() {
    use mysql::prelude::Queryable;
    let db = TestDb::new("killed");
    let mut c = common::conn();
    common::exec(
        &mut c,
        &format!(
            "CREATE DATABASE `{db}`;\nUSE `{db}`;\nCREATE TABLE t (id INT PRIMARY KEY, s VARCHAR(250));\n\
             INSERT INTO t SELECT seq, REPEAT('k', 240) FROM seq_1_to_200000",
            db = db.name
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_owned();
    let name = db.name.clone();
    let dumper = std::thread::spawn(move || {
        let mut o = DumpOptions::default();
        o.threads = 1;
        o.filter.databases = vec![name];
        dump::dump(&connector(), &out, &o, &Progress::default())
    });
    // Kill the dump's connection while it streams the table (the server
    // going away looks the same to the dump).
    let pattern = format!("SELECT%FROM `{}`.`t`%", db.name);
    let started = std::time::Instant::now();
    let mut killed = false;
    while !dumper.is_finished() && started.elapsed() < std::time::Duration::from_secs(60) {
        let ids: Vec<u64> = c
            .query(format!(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO LIKE '{pattern}'"
            ))
            .unwrap();
        if let Some(id) = ids.first() {
            let _ = c.query_drop(format!("KILL CONNECTION {id}"));
            killed = true;
            break;
        }
    }
    let result = dumper.join().unwrap();
    assert!(
        killed,
        "the dump finished before its connection could be killed"
    );
    let e = result.unwrap_err().to_string();
    // Killed while streaming (the usual case), or just after the server sent
    // the last row: either way the error says what was being done.
    assert!(
        e.contains(&format!("dumping {}.t chunk 0", db.name)) || e.contains("ending the snapshot"),
        "{e}"
    );
    assert!(!dir.path().join("manifest.json").exists());
}

/// Regression: a chunk's transaction can lose a deadlock (error 1213), seen
/// when another dump's global read lock (FTWRL, as every locked dump takes)
/// meets the load's open chunk transactions; a chunk that loses is rolled
/// back whole and must be redone, not fail the load.
#[test]
fn regression_concurrent_chunk_loads_deadlock() {
    let src = TestDb::new("deadlock_src");
    let mut c = common::conn();
    common::exec(
        &mut c,
        &format!(
            "CREATE DATABASE `{db}`;\nUSE `{db}`;\n\
             CREATE TABLE u (id INT, code VARCHAR(30) CHARACTER SET latin1 NOT NULL, pad VARCHAR(200), UNIQUE KEY (code));\n\
             INSERT INTO u SELECT seq, CONCAT('c\u{f4}de', seq), REPEAT('p', 200) FROM seq_1_to_4000;\n\
             ANALYZE TABLE u",
            db = src.name
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let mut o = DumpOptions::default();
    o.filter.databases = vec![src.name.clone()];
    o.chunk_bytes = 16 << 10;
    let m = dump::dump(&connector(), dir.path(), &o, &Progress::default())
        .unwrap()
        .manifest;
    assert!(m.tables[0].chunks.len() > 10);
    // Another client taking the global read lock over and over, as
    // concurrent locked dumps do.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    let locker = std::thread::spawn(move || {
        use mysql::prelude::Queryable;
        let mut c = common::conn();
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            let _ = c.query_drop("FLUSH TABLES WITH READ LOCK");
            let _ = c.query_drop("UNLOCK TABLES");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    });
    for round in 0..4 {
        let dst = TestDb::new(&format!("deadlock_dst{round}"));
        let mut lo = LoadOptions::default();
        lo.threads = 2 + round % 3;
        lo.into_database = Some(dst.name.clone());
        load::load(&connector(), dir.path(), &lo, &LoadProgress::default()).unwrap();
        let mut vo = VerifyOptions::default();
        vo.into_database = Some(dst.name.clone());
        assert!(verify::verify(&connector(), dir.path(), &vo).unwrap().ok());
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    locker.join().unwrap();
}
