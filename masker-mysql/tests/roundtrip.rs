//! Dump a generated database with every column type, load it into another
//! database, and prove the copy equal (real MariaDB; each test makes and
//! drops its own databases).

mod common;

use std::path::Path;

use common::{connector, create_every_type, sorted_rows, TestDb, TABLES};
use masker_mysql::catalog::TableFilter;
use masker_mysql::chunk::Strategy;
use masker_mysql::dump::{self, DumpOptions, Progress};
use masker_mysql::load::{self, LoadOptions, LoadProgress};
use masker_mysql::manifest::{Compression, Format, Manifest};
use masker_mysql::verify::{self, VerifyOptions};

const CHUNK_BYTES: u64 = 16 << 10;

fn dump_db(db: &str, out: &Path, threads: usize, format: Format) -> Manifest {
    let mut o = DumpOptions::default();
    o.threads = threads;
    o.format = format;
    o.chunk_bytes = CHUNK_BYTES;
    o.filter = TableFilter::new();
    o.filter.databases = vec![db.to_owned()];
    o.lock = threads % 2 == 0; // both modes run
    dump::dump(&connector(), out, &o, &Progress::default())
        .expect("dump")
        .manifest
}

fn load_into(dir: &Path, into: &str, threads: usize) {
    let mut o = LoadOptions::default();
    o.threads = threads;
    o.into_database = Some(into.to_owned());
    load::load(&connector(), dir, &o, &LoadProgress::default()).expect("load");
}

fn verify_ok(dir: &Path, into: &str) {
    let mut o = VerifyOptions::default();
    o.into_database = Some(into.to_owned());
    let report = verify::verify(&connector(), dir, &o).expect("verify");
    for t in &report.tables {
        assert!(t.ok, "{}: {:?}", t.table, t.problem);
    }
    assert!(
        report.file_problems.is_empty(),
        "{:?}",
        report.file_problems
    );
    assert!(report.ok());
}

fn roundtrip(threads: usize, format: Format) {
    let src = TestDb::new("src");
    create_every_type(&src.name);
    let dir = tempfile::tempdir().unwrap();
    let m = dump_db(&src.name, dir.path(), threads, format);
    assert_eq!(m.tables.len(), TABLES.len());
    let chunks = |name: &str| {
        let t = m.tables.iter().find(|t| t.name == name).unwrap();
        (t.chunking.clone(), t.chunks.len())
    };
    let (s, n) = chunks("big");
    assert!(
        matches!(s, Strategy::IntegerRange { .. }) && n > 10,
        "big: {s:?} {n}"
    );
    for keyset in ["composite", "strpk", "ukey"] {
        let (s, n) = chunks(keyset);
        assert!(
            matches!(s, Strategy::Keyset { .. }) && n > 1,
            "{keyset}: {s:?} {n}"
        );
    }
    assert_eq!(chunks("nopk").0, Strategy::Single);
    assert!(m.databases[0].objects.is_some());
    for f in m.tables.iter().flat_map(|t| &t.chunks) {
        let ext = format!(".{}.zst", format.extension());
        assert!(f.file.file.ends_with(&ext), "{}", f.file.file);
    }

    let dst = TestDb::new("dst");
    load_into(dir.path(), &dst.name, threads);
    verify_ok(dir.path(), &dst.name);
    for t in TABLES {
        assert_eq!(
            sorted_rows(&src.name, t),
            sorted_rows(&dst.name, t),
            "table {t} differs after the round trip"
        );
    }
    // The objects came along and work.
    let mut c = common::conn();
    let one: Option<i64> =
        mysql::prelude::Queryable::query_first(&mut c, format!("SELECT `{}`.f_one()", dst.name))
            .unwrap();
    assert_eq!(one, Some(1));
    let v: Option<i64> =
        mysql::prelude::Queryable::query_first(&mut c, format!("SELECT c FROM `{}`.v_v", dst.name))
            .unwrap();
    assert_eq!(v, Some((0..3000).filter(|i| i % 7 == 3).count() as i64));

    // dump -> load -> dump gives the same digests.
    let again = tempfile::tempdir().unwrap();
    let m2 = dump_db(&dst.name, again.path(), threads, format);
    let digests = |m: &Manifest| {
        let mut v: Vec<_> = m
            .tables
            .iter()
            .map(|t| (t.name.clone(), t.rows, t.digest.clone()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(digests(&m), digests(&m2));
}

#[test]
fn sql_one_thread_round_trip() {
    roundtrip(1, Format::Sql);
}

#[test]
fn sql_two_threads_round_trip() {
    roundtrip(2, Format::Sql);
}

#[test]
fn tsv_one_thread_round_trip() {
    roundtrip(1, Format::Tsv);
}

#[test]
fn tsv_two_threads_round_trip() {
    roundtrip(2, Format::Tsv);
}

#[test]
fn uncompressed_sql_chunks_load_with_the_mariadb_client() {
    let src = TestDb::new("cli_src");
    create_every_type(&src.name);
    let dir = tempfile::tempdir().unwrap();
    let mut o = DumpOptions::default();
    o.compression = Compression::None;
    o.chunk_bytes = CHUNK_BYTES;
    o.filter.databases = vec![src.name.clone()];
    let m = dump::dump(&connector(), dir.path(), &o, &Progress::default())
        .unwrap()
        .manifest;
    let dst = TestDb::new("cli_dst");
    let mut c = common::conn();
    common::exec(&mut c, &format!("CREATE DATABASE `{}`", dst.name));
    let client = |file: &str| {
        let f = std::fs::File::open(dir.path().join(file)).unwrap();
        let st = std::process::Command::new("mariadb")
            .args(["-uroot", "-h127.0.0.1", "-P3306", &dst.name])
            .stdin(f)
            .status()
            .expect("run the mariadb client");
        assert!(st.success(), "mariadb < {file}");
    };
    for t in &m.tables {
        client(&t.schema.file);
        for ch in &t.chunks {
            client(&ch.file.file);
        }
    }
    for t in TABLES {
        assert_eq!(sorted_rows(&src.name, t), sorted_rows(&dst.name, t), "{t}");
    }
}

/// Every file of the dump in `dir` but its manifest: name -> bytes.
fn dump_files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name() != "manifest.json")
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn chunks_cut_beforehand_and_dumped_in_parts_merge_into_the_whole_dump() {
    let src = TestDb::new("parts");
    create_every_type(&src.name);
    // Fresh statistics, so that the whole dump and the plan size chunks alike.
    let mut c = common::conn();
    for t in TABLES {
        common::exec(&mut c, &format!("ANALYZE TABLE `{}`.`{t}`", src.name));
    }
    let whole_dir = tempfile::tempdir().unwrap();
    let whole = dump_db(&src.name, whole_dir.path(), 2, Format::Sql);

    let mut filter = TableFilter::new();
    filter.databases = vec![src.name.clone()];
    let plan = dump::plan_chunks(&connector(), &filter, CHUNK_BYTES).unwrap();
    let cut: Vec<_> = plan
        .iter()
        .map(|t| (t.name.clone(), t.chunking.clone(), t.conditions.len()))
        .collect();
    let dumped: Vec<_> = whole
        .tables
        .iter()
        .map(|t| (t.name.clone(), t.chunking.clone(), t.chunks.len()))
        .collect();
    assert_eq!(cut, dumped, "the plan cuts tables as the dump does");

    // Every chunk of every table dealt round-robin to three parts: the big
    // tables are in all three.
    let mut parts: Vec<Vec<dump::ChunkSelection>> = vec![Vec::new(), Vec::new(), Vec::new()];
    let mut k = 0;
    for t in &plan {
        let mut mine = vec![Vec::new(); 3];
        for n in 0..t.conditions.len() {
            mine[k % 3].push(n);
            k += 1;
        }
        for (p, chunks) in mine.into_iter().enumerate() {
            if !chunks.is_empty() {
                parts[p].push(dump::ChunkSelection::new(t.clone(), chunks));
            }
        }
    }
    let mut manifests = Vec::new();
    let mut files = std::collections::BTreeMap::new();
    for (p, sel) in parts.into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let mut o = DumpOptions::default();
        o.threads = 2;
        o.chunk_bytes = CHUNK_BYTES;
        o.lock = true;
        o.filter.databases = vec![src.name.clone()];
        o.filter.tables = sel.iter().map(|s| s.table.name.clone()).collect();
        o.preset = Some(std::sync::Arc::new(sel));
        let m = dump::dump(&connector(), dir.path(), &o, &Progress::default())
            .unwrap_or_else(|e| panic!("part {p}: {e}"))
            .manifest;
        assert!(
            m.tables.iter().any(|t| t.name == "big" && t.part.is_some()),
            "part {p} holds some of big's chunks"
        );
        // A part is not a dump.
        assert!(Manifest::read(dir.path())
            .unwrap_err()
            .to_string()
            .contains("holds only some of its chunks"));
        for (name, bytes) in dump_files(dir.path()) {
            // Schema files are written by every part that has the table: alike.
            if let Some(seen) = files.insert(name.clone(), bytes.clone()) {
                assert_eq!(seen, bytes, "{name} differs between parts");
            }
        }
        manifests.push(m);
    }
    let order: Vec<String> = whole.tables.iter().map(|t| t.display_name()).collect();
    let merged = Manifest::merge(manifests, &order).unwrap();
    assert_eq!(
        serde_json::to_value(&merged.tables).unwrap(),
        serde_json::to_value(&whole.tables).unwrap()
    );
    assert_eq!(merged.databases, whole.databases);
    assert_eq!(
        files,
        dump_files(whole_dir.path()),
        "the same files, byte for byte"
    );

    // A planned table the server does not have, and chunks out of range.
    let mut gone = plan[0].clone();
    gone.name = "no_such_table".into();
    let mut o = DumpOptions::default();
    o.filter.databases = vec![src.name.clone()];
    o.preset = Some(std::sync::Arc::new(vec![dump::ChunkSelection::new(
        gone,
        vec![0],
    )]));
    let e = dump::dump(
        &connector(),
        tempfile::tempdir().unwrap().path(),
        &o,
        &Progress::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("no_such_table") && e.contains("not on the server"),
        "{e}"
    );
    let n = plan[0].conditions.len();
    o.filter.tables = vec![plan[0].name.clone()];
    o.preset = Some(std::sync::Arc::new(vec![dump::ChunkSelection::new(
        plan[0].clone(),
        vec![n],
    )]));
    let e = dump::dump(
        &connector(),
        tempfile::tempdir().unwrap().path(),
        &o,
        &Progress::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("not distinct chunks"), "{e}");
}

/// Regression (QA): MariaDB lists a system-versioned table with `TABLE_TYPE`
/// `SYSTEM VERSIONED`, not `BASE TABLE`, and the dump left it out without a
/// word. Its current rows are dumped (as `mariadb-dump` without
/// `--dump-history`): the copy is versioned, with no history of the
/// original, whose old values may be personal data. Also: sequences were
/// left out (`TABLE_TYPE` `SEQUENCE`), and a table whose default calls one
/// could not load.
#[test]
fn regression_system_versioned_tables_and_sequences_were_left_out() {
    use mysql::prelude::Queryable;
    let src = TestDb::new("versioned");
    let mut c = common::conn();
    common::exec(
        &mut c,
        &format!(
            "CREATE DATABASE `{db}`;\nUSE `{db}`;\n\
             CREATE TABLE v (id INT PRIMARY KEY, email VARCHAR(99), note VARCHAR(20) INVISIBLE) WITH SYSTEM VERSIONING;\n\
             INSERT INTO v (id, email, note) VALUES (1, 'old@example.com', 'n1'), (2, 'two@example.com', 'n2');\n\
             UPDATE v SET email = 'new@example.com' WHERE id = 1;\n\
             CREATE SEQUENCE s START WITH 100 NOCACHE;\n\
             CREATE TABLE plain (id INT PRIMARY KEY DEFAULT NEXTVAL(s));\n\
             INSERT INTO plain VALUES (), ()",
            db = src.name
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let m = dump_db(&src.name, dir.path(), 2, Format::Sql);
    let mut names: Vec<_> = m.tables.iter().map(|t| t.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["plain", "v"]);

    let dst = TestDb::new("versioned_dst");
    load_into(dir.path(), &dst.name, 2);
    verify_ok(dir.path(), &dst.name);
    let rows: Vec<(i64, String, String)> = c
        .query(format!(
            "SELECT id, email, note FROM `{}`.v ORDER BY id",
            dst.name
        ))
        .unwrap();
    assert_eq!(
        rows,
        [
            (1, "new@example.com".into(), "n1".into()),
            (2, "two@example.com".into(), "n2".into())
        ]
    );
    let kind: Option<String> = c
        .query_first(format!(
            "SELECT TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{}' AND TABLE_NAME = 'v'",
            dst.name
        ))
        .unwrap();
    assert_eq!(kind.as_deref(), Some("SYSTEM VERSIONED"));
    let history: Option<i64> = c
        .query_first(format!(
            "SELECT COUNT(*) FROM `{}`.v FOR SYSTEM_TIME ALL WHERE email = 'old@example.com'",
            dst.name
        ))
        .unwrap();
    assert_eq!(history, Some(0), "the original's history came along");
    // The sequence came along (before `plain`, whose default calls it), at
    // the value its next NEXTVAL gives.
    let plain: Vec<i64> = c
        .query(format!("SELECT id FROM `{}`.plain ORDER BY id", dst.name))
        .unwrap();
    assert_eq!(plain, [100, 101]);
    let next: Option<i64> = c
        .query_first(format!("SELECT NEXTVAL(`{}`.s)", dst.name))
        .unwrap();
    assert_eq!(next, Some(102));
}
