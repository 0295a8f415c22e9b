//! `masker scan --url` against the local MariaDB: the same findings as the
//! scan of the dump the database was loaded from, a big table read only
//! as far as the sample asks, `--rules` coverage, and the usage errors.

mod util;

use util::*;

fn url() -> String {
    format!(
        "mysql://{}@{}:{}/",
        std::env::var("MYSQL_USER").unwrap_or_else(|_| "root".into()),
        std::env::var("MYSQL_HOST").unwrap_or_else(|_| "127.0.0.1".into()),
        std::env::var("MYSQL_PORT").unwrap_or_else(|_| "3306".into())
    )
}

/// (column, kind) of `masker scan --json`, without the database prefix.
fn findings(out: &std::process::Output) -> Vec<(String, String)> {
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout_str(out)));
    let mut f: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let table = f["table"].as_str().unwrap();
            let table = table.rsplit('.').next().unwrap();
            (
                format!("{table}.{}", f["column"].as_str().unwrap()),
                f["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    f.sort();
    f
}

#[test]
fn live_scan_finds_what_the_dump_scan_finds() {
    require_mariadb();
    let fixture = testdata("scaffold/issue8_scaffold_mistakes.sql");
    let name = db_name("scan_live", "");
    let db = ScratchDb::create(&name);
    let loaded = load_bytes(Some(&name), &std::fs::read(&fixture).unwrap(), &[]);
    assert!(loaded.status.success(), "{}", stderr(&loaded));
    let mut c = masker();
    c.args(["scan", "--json"]).arg(&fixture);
    let from_dump = run(&mut c, None);
    assert_eq!(code(&from_dump), 0, "{}", stderr(&from_dump));
    let mut c = masker();
    c.env("MYSQL_PWD", "")
        .args(["scan", "--json", "--url", &url(), "--databases", &name]);
    let live = run(&mut c, None);
    assert_eq!(code(&live), 0, "{}", stderr(&live));
    let want = findings(&from_dump);
    assert!(want.len() >= 10, "{want:?}");
    assert_eq!(findings(&live), want);
    assert!(
        stderr(&live).contains("scanned 5 tables"),
        "{}",
        stderr(&live)
    );
    // Never a value.
    let text = stdout_str(&live) + &stderr(&live);
    for v in ["correo.example.es", "Secreto000!", "Budi Santoso"] {
        assert!(!text.contains(v), "{v} in the live scan report");
    }
    // --rules marks coverage and gates CI, as for a dump.
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("r.toml");
    std::fs::write(&rules, "[tables.usuarios]\nemail = \"hash\"\n").unwrap();
    let mut c = masker();
    c.args(["scan", "--url", &url(), "--databases", &name, "--rules"])
        .arg(&rules);
    let out = run(&mut c, None);
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(
        stdout_str(&out).contains("UNCLASSIFIED"),
        "{}",
        stdout_str(&out)
    );
    drop(db);
}

/// A big table is read in bounded key windows: `--sample` rows, not the table.
#[test]
fn live_scan_samples_a_big_table_in_key_windows() {
    require_mariadb();
    let name = db_name("scan_live", "big");
    let db = ScratchDb::create(&name);
    sql(
        Some(&name),
        "CREATE TABLE members (id BIGINT NOT NULL PRIMARY KEY, mail VARCHAR(80), note TEXT);
         INSERT INTO members SELECT seq * 3, CONCAT('m', seq, '@big.example'), CONCAT('call 090-', LPAD(seq % 10000, 4, '0'), '-5678 please') FROM seq_1_to_200000;
         CREATE TABLE nokey (a INT, b VARCHAR(20));
         INSERT INTO nokey SELECT seq, 'x' FROM seq_1_to_5000;",
    );
    let mut c = masker();
    c.args([
        "scan",
        "--json",
        "--sample",
        "200",
        "--url",
        &url(),
        "--databases",
        &name,
    ]);
    let out = run(&mut c, None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        findings(&out),
        [
            ("members.mail".to_owned(), "email".to_owned()),
            ("members.note".to_owned(), "phone".to_owned()),
        ]
    );
    let err = stderr(&out);
    assert!(
        err.contains("(1 sampled in key windows, 1 by their first rows), 400 rows"),
        "{err}"
    );
    // Without a server or a dump: a usage error; with both: a config error.
    let mut c = masker();
    c.arg("scan");
    assert_eq!(code(&run(&mut c, None)), 2);
    let mut c = masker();
    c.args(["scan", "--url", &url()])
        .arg(testdata("scaffold/issue8_scaffold_mistakes.sql"));
    let out = run(&mut c, None);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    drop(db);
}
