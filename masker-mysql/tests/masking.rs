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
        let dumped = Command::new("mariadb-dump")
            .args([
                "-uroot",
                "-h127.0.0.1",
                "-P3306",
                "--skip-comments",
                &src.name,
                "users",
            ])
            .output()
            .expect("run mariadb-dump");
        assert!(dumped.status.success());
        let masked = masker_core::mask_slice(&rules, &dumped.stdout).unwrap();
        let mut c = common::conn();
        common::exec(&mut c, &format!("CREATE DATABASE `{}`", b.name));
        let mut client = Command::new("mariadb")
            .args(["-uroot", "-h127.0.0.1", "-P3306", &b.name])
            .stdin(Stdio::piped())
            .spawn()
            .expect("run mariadb");
        client.stdin.take().unwrap().write_all(&masked).unwrap();
        assert!(client.wait().unwrap().success());

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
