//! Masked live dumps go through masker-core's one masking path: the same
//! rules and key give the same pseudonyms as `mariadb-dump | masker mask`.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;

use common::{connector, sorted_rows, TestDb};
use masker_core::rules::RulesBuilder;
use masker_mysql::dump::{self, DumpOptions, Progress};
use masker_mysql::load::{self, LoadOptions, LoadProgress};
use masker_mysql::manifest::Format;
use masker_mysql::verify::{self, VerifyOptions};

const RULES: &str = r#"
[tables.users]
email = { transform = "hash", format = "email" }
name  = { transform = "fake", kind = "name" }
memo  = "null"
"#;

/// `mariadb-dump SRC TABLE | mask` with `rules`, loaded into a new
/// database `into` with the mariadb client: the file path to compare with.
fn load_masked_mariadb_dump(rules: &masker_core::rules::Rules, src: &str, table: &str, into: &str) {
    let dumped = Command::new("mariadb-dump")
        .args([
            "-uroot",
            "-h127.0.0.1",
            "-P3306",
            "--skip-comments",
            src,
            table,
        ])
        .output()
        .expect("run mariadb-dump");
    assert!(dumped.status.success());
    let masked = masker_core::mask_slice(rules, &dumped.stdout).unwrap();
    common::exec(&mut common::conn(), &format!("CREATE DATABASE `{into}`"));
    let mut client = Command::new("mariadb")
        .args(["-uroot", "-h127.0.0.1", "-P3306", into])
        .stdin(Stdio::piped())
        .spawn()
        .expect("run mariadb");
    client.stdin.take().unwrap().write_all(&masked).unwrap();
    assert!(client.wait().unwrap().success());
}

fn rules() -> masker_core::rules::Rules {
    RulesBuilder::new()
        .toml(RULES, "rules.toml")
        .key(b"test key for live dumps")
        .build()
        .expect("rules compile")
}

fn source(db: &str) {
    let mut c = common::conn();
    common::exec(
        &mut c,
        &format!(
            "CREATE DATABASE `{db}`;\nUSE `{db}`;\n\
             CREATE TABLE users (id INT NOT NULL PRIMARY KEY, email VARCHAR(100), name VARCHAR(100), \
             memo TEXT, email_len INT AS (LENGTH(email)) VIRTUAL, score DECIMAL(5,2))"
        ),
    );
    let rows: Vec<String> = (0..300)
        .map(|i| match i % 10 {
            0 => format!("({i}, NULL, NULL, NULL, NULL)"),
            _ => format!("({i}, 'user{i}@example.com', 'Name {i}', 'secret memo {i}', {i}.25)"),
        })
        .collect();
    common::exec(
        &mut c,
        &format!(
            "INSERT INTO `{db}`.users (id, email, name, memo, score) VALUES {};\nANALYZE TABLE `{db}`.users",
            rows.join(",")
        ),
    );
}

#[test]
fn masked_dump_equals_mariadb_dump_piped_through_mask() {
    let src = TestDb::new("mask_src");
    source(&src.name);
    let rules = Arc::new(rules());

    for format in [Format::Sql, Format::Tsv] {
        // Live: masked dump (small chunks, 2 threads), loaded into A.
        let dir = tempfile::tempdir().unwrap();
        let mut o = DumpOptions::default();
        o.filter.databases = vec![src.name.clone()];
        o.rules = Some(rules.clone());
        o.rules_sha256 = Some("00".repeat(32));
        o.chunk_bytes = 2048;
        o.format = format;
        let outcome = dump::dump(&connector(), dir.path(), &o, &Progress::default()).unwrap();
        assert!(outcome.manifest.tables[0].chunks.len() > 1);
        assert_eq!(outcome.manifest.rules_sha256, o.rules_sha256);
        // Which key masked it is recorded, never the key itself.
        assert_eq!(outcome.manifest.key_fingerprint, rules.key_fingerprint());
        assert!(outcome.manifest.key_fingerprint.is_some());
        let count = |col: &str| {
            outcome
                .masked
                .iter()
                .find(|(n, _)| n == &format!("{}.users.{col}", src.name))
                .map(|(_, n)| *n)
        };
        assert_eq!(count("email"), Some(270));
        assert_eq!(count("memo"), Some(270));
        assert_eq!(count("id"), None);
        for f in std::fs::read_dir(dir.path()).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e == "zst") {
                let text = zstd::decode_all(std::fs::File::open(&f).unwrap()).unwrap();
                let text = String::from_utf8_lossy(&text);
                assert!(!text.contains("user1@") && !text.contains("secret memo"));
            }
        }
        let a = TestDb::new("mask_a");
        let mut lo = LoadOptions::default();
        lo.into_database = Some(a.name.clone());
        load::load(&connector(), dir.path(), &lo, &LoadProgress::default()).unwrap();
        let mut vo = VerifyOptions::default();
        vo.into_database = Some(a.name.clone());
        assert!(verify::verify(&connector(), dir.path(), &vo).unwrap().ok());

        // Files: mariadb-dump | mask, loaded into B with the client.
        let b = TestDb::new("mask_b");
        load_masked_mariadb_dump(&rules, &src.name, "users", &b.name);

        let live = sorted_rows(&a.name, "users");
        assert_eq!(live, sorted_rows(&b.name, "users"), "{format:?}");
        assert_ne!(live, sorted_rows(&src.name, "users"));
    }
}

#[test]
fn rules_that_do_not_fit_are_reported_before_any_row() {
    let src = TestDb::new("mask_bad");
    source(&src.name);
    let bad = RulesBuilder::new()
        .toml(
            "[tables.users]\nnope = \"null\"\nalso_missing = \"null\"\n",
            "bad.toml",
        )
        .key(b"k")
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut o = DumpOptions::default();
    o.filter.databases = vec![src.name.clone()];
    o.rules = Some(Arc::new(bad));
    let e = dump::dump(&connector(), dir.path(), &o, &Progress::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("nope") && e.contains("also_missing"), "{e}");
    assert!(!dir.path().join("manifest.json").exists());
}

/// Rules over every kind of column the every-type database has that a
/// transform can take (never a key column).
const EVERY_TYPE_RULES: &str = r#"
[tables.ints]
i  = "fpe"
iu = "fpe"
b  = "fpe"
[tables.nums]
d  = "null"
[tables.misc]
txt = "hash"
vc  = { transform = "hash", format = "email" }
j   = "null"
[tables.bytes]
vb  = "hash"
bl  = "null"
[tables.latin1_t]
name = { transform = "fake", kind = "name" }
note = "hash"
[tables.cp932_t]
name = { transform = "fake", kind = "name", locale = "ja_JP" }
note = { transform = "fake", kind = "address", locale = "ja_JP" }
[tables.big]
pad = { transform = "fake", kind = "address" }
[tables.strpk]
pad = "hash"
[tables.ukey]
pad = { transform = "partial", keep_first = 2 }
"#;

#[test]
fn masked_every_type_dump_loads_under_strict_all_tables_without_warnings() {
    let src = TestDb::new("strict_src");
    common::create_every_type(&src.name);
    // The one value a strict server refuses whatever the tool: an ENUM's
    // invalid '' (index 0), stored under a permissive sql_mode. mysqldump's
    // output fails the same way.
    common::exec(
        &mut common::conn(),
        &format!("UPDATE `{}`.misc SET e = NULL WHERE e = ''", src.name),
    );
    let rules = Arc::new(
        RulesBuilder::new()
            .toml(EVERY_TYPE_RULES, "every.toml")
            .key(b"strict load key")
            .build()
            .expect("rules compile"),
    );
    for format in [Format::Sql, Format::Tsv] {
        let dir = tempfile::tempdir().unwrap();
        let mut o = DumpOptions::default();
        o.filter.databases = vec![src.name.clone()];
        o.rules = Some(rules.clone());
        o.chunk_bytes = 16 * 1024;
        o.format = format;
        dump::dump(&connector(), dir.path(), &o, &Progress::default()).unwrap();
        let into = TestDb::new("strict_into");
        let mut lo = LoadOptions::default();
        lo.into_database = Some(into.name.clone());
        lo.strict = true;
        let s = load::load(&connector(), dir.path(), &lo, &LoadProgress::default())
            .unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert_eq!(s.warnings, 0, "{format:?}");
        let mut vo = VerifyOptions::default();
        vo.into_database = Some(into.name.clone());
        assert!(verify::verify(&connector(), dir.path(), &vo).unwrap().ok());
        assert_ne!(
            sorted_rows(&into.name, "latin1_t"),
            sorted_rows(&src.name, "latin1_t")
        );
    }
}

#[test]
fn strict_load_fails_on_a_value_that_does_not_fit() {
    // A chunk edited after the dump so that a value is too long: the
    // permissive load would truncate it with a warning; strict refuses.
    let src = TestDb::new("strict_bad");
    source(&src.name);
    let dir = tempfile::tempdir().unwrap();
    let mut o = DumpOptions::default();
    o.filter.databases = vec![src.name.clone()];
    o.format = Format::Tsv;
    o.compression = masker_mysql::manifest::Compression::None;
    let outcome = dump::dump(&connector(), dir.path(), &o, &Progress::default()).unwrap();
    let chunk = dir
        .path()
        .join(&outcome.manifest.tables[0].chunks[0].file.file);
    let text = std::fs::read_to_string(&chunk).unwrap();
    let long = "x".repeat(150);
    std::fs::write(&chunk, text.replacen("Name 1\t", &format!("{long}\t"), 1)).unwrap();
    let into = TestDb::new("strict_bad_into");
    let mut lo = LoadOptions::default();
    lo.into_database = Some(into.name.clone());
    lo.strict = true;
    let e = load::load(&connector(), dir.path(), &lo, &LoadProgress::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("users"), "{e}");
    assert!(!e.contains(&long), "{e}");
}

const CP932_RULES: &str = r#"
[tables.jp]
name = { transform = "fake", kind = "name", locale = "ja_JP" }
kana = { transform = "hash" }
addr = { transform = "fake", kind = "address", locale = "ja_JP" }
"#;

fn cp932_rules() -> Arc<masker_core::rules::Rules> {
    Arc::new(
        RulesBuilder::new()
            .toml(CP932_RULES, "cp932.toml")
            .key(b"cp932 key")
            .build()
            .unwrap(),
    )
}

fn cp932_source(db: &str) {
    let mut c = common::conn();
    common::exec(
        &mut c,
        &format!(
            "CREATE DATABASE `{db}`;\nUSE `{db}`;\n\
             CREATE TABLE jp (id INT PRIMARY KEY, name VARCHAR(40), kana VARCHAR(80), addr TEXT, \
             memo VARCHAR(40)) CHARACTER SET cp932"
        ),
    );
    let rows: Vec<String> = (0..120)
        .map(|i| format!("({i}, '表ソ能予{i}', 'ヒョウ{i}', '東京都港区{i}', '＼～①{i}')"))
        .collect();
    common::exec(
        &mut c,
        &format!("INSERT INTO `{db}`.jp VALUES {}", rows.join(",")),
    );
}

/// Regression (cp932_masked_values_were_written_as_utf8_bytes): a live
/// dump masked a cp932 column on its raw cp932 bytes and wrote the UTF-8
/// fake name into it as bytes: different pseudonyms from `mariadb-dump |
/// masker mask`, and values the server rejects under a strict sql_mode
/// (or mangles without one).
#[test]
fn regression_cp932_masked_values_were_written_as_utf8_bytes() {
    let src = TestDb::new("cp932_src");
    cp932_source(&src.name);
    let rules = cp932_rules();
    for format in [Format::Sql, Format::Tsv] {
        let dir = tempfile::tempdir().unwrap();
        let mut o = DumpOptions::default();
        o.filter.databases = vec![src.name.clone()];
        o.rules = Some(rules.clone());
        o.format = format;
        dump::dump(&connector(), dir.path(), &o, &Progress::default()).unwrap();
        let a = TestDb::new("cp932_a");
        let mut lo = LoadOptions::default();
        lo.into_database = Some(a.name.clone());
        lo.strict = true;
        load::load(&connector(), dir.path(), &lo, &LoadProgress::default())
            .unwrap_or_else(|e| panic!("{format:?}: {e}"));

        let b = TestDb::new("cp932_b");
        load_masked_mariadb_dump(&rules, &src.name, "jp", &b.name);

        let live = sorted_rows(&a.name, "jp");
        assert_eq!(live, sorted_rows(&b.name, "jp"), "{format:?}");
        let original = sorted_rows(&src.name, "jp");
        assert_ne!(live, original);
        // The unmasked cp932 column is byte for byte the original.
        for (l, o) in live.iter().zip(&original) {
            assert_eq!(l[4], o[4]);
        }
    }
}

#[test]
fn live_dump_writes_the_bigquery_export_from_the_masked_rows() {
    let src = TestDb::new("bq_src");
    cp932_source(&src.name);
    let rules = cp932_rules();
    let dir = tempfile::tempdir().unwrap();
    let mut o = DumpOptions::default();
    o.filter.databases = vec![src.name.clone()];
    o.rules = Some(rules.clone());
    o.format = Format::Tsv;
    o.compression = masker_mysql::manifest::Compression::None;
    o.chunk_bytes = 2048;
    o.bigquery = Some(masker_core::export::ExportOptions::default());
    let outcome = dump::dump(&connector(), dir.path(), &o, &Progress::default()).unwrap();
    let m = &outcome.manifest;
    assert!(m.options.bigquery.as_ref().is_some_and(|b| b.header));
    let t = &m.tables[0];
    let schema = t.bigquery_schema.as_ref().expect("schema file listed");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join(&schema.file)).unwrap()).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 5);
    assert!(t.chunks.len() > 1);
    let mut rows = 0;
    for c in &t.chunks {
        let bq = c.bigquery.as_ref().expect("export file per chunk");
        let text = std::fs::read_to_string(dir.path().join(&bq.file)).expect("UTF-8 export");
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("id\tname\tkana\taddr\tmemo"));
        for line in lines {
            rows += 1;
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 5);
            // The unmasked cp932 column, decoded to UTF-8.
            assert!(f[4].starts_with("＼～①"), "{line}");
            assert_ne!(f[1], format!("表ソ能予{}", f[0]));
            assert_ne!(f[3], format!("東京都港区{}", f[0]));
        }
    }
    assert_eq!(rows, 120);
    // The export's files are part of what verify checks.
    let (checked, problems) = masker_mysql::verify::verify_files(dir.path(), m);
    assert!(problems.is_empty());
    assert_eq!(checked, 1 + 2 * t.chunks.len() + 1);
    let first = dir
        .path()
        .join(&t.chunks[0].bigquery.as_ref().unwrap().file);
    std::fs::write(&first, "tampered\n").unwrap();
    let (_, problems) = masker_mysql::verify::verify_files(dir.path(), m);
    assert_eq!(problems.len(), 1);
}

/// Issue 14: the mask job's leak proof. An email copied into an unmasked
/// `note` survives the masked copy and is found (named by table and column,
/// never shown); with the note masked too the proof is clean.
#[test]
fn leak_proof_finds_an_original_copied_into_an_unmasked_column() {
    let src = TestDb::new("leak_src");
    common::exec(
        &mut common::conn(),
        &format!(
            "CREATE DATABASE `{db}`;\nUSE `{db}`;\n\
             CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100), note TEXT);\n\
             INSERT INTO users VALUES (1, 'alice.original@example.com', 'call alice.original@example.com'),\
             (2, 'bob.original@example.com', 'nothing here'), (3, NULL, NULL)",
            db = src.name
        ),
    );
    for (rules_text, leaks) in [
        ("[tables.users]\nemail = { transform = \"hash\", format = \"email\" }\n", true),
        (
            "[tables.users]\nemail = { transform = \"hash\", format = \"email\" }\nnote = \"null\"\n",
            false,
        ),
    ] {
        let rules = RulesBuilder::new()
            .toml(rules_text, "leak.toml")
            .key(b"leak proof key 0123")
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut o = DumpOptions::default();
        o.filter.databases = vec![src.name.clone()];
        o.rules = Some(Arc::new(rules.clone()));
        dump::dump(&connector(), dir.path(), &o, &Progress::default()).unwrap();
        let copy = TestDb::new("leak_copy");
        let mut lo = LoadOptions::default();
        lo.into_database = Some(copy.name.clone());
        load::load(&connector(), dir.path(), &lo, &LoadProgress::default()).unwrap();
        let (report, originals) = masker_mysql::leaks::prove(
            &connector(),
            &rules,
            &src.name,
            &copy.name,
            masker_core::leak::LeakOptions::default(),
        )
        .unwrap();
        assert!(originals > 0);
        assert_eq!(report.leaked(), leaks, "{:?}", report.columns);
        if leaks {
            let names: Vec<&str> = report.columns.iter().map(|(c, _)| c.as_str()).collect();
            assert_eq!(names, vec![format!("{}.users.note", src.name).as_str()]);
            assert_eq!(report.columns[0].1.values, 1);
        }
    }
}
