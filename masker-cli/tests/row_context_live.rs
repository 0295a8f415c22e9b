//! Row context on the live path (`masker dump` from a server, rows through
//! `RowMasker::mask_row`'s path): templates, conditions and row policies,
//! then `load` and `verify` (the manifest counts only the rows written).

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

#[test]
fn live_dump_applies_templates_conditions_and_row_policies() {
    require_mariadb();
    let src = ScratchDb::create(&db_name("rowctx_live", "src"));
    let dst = db_name("rowctx_live", "dst");
    let _dst = ScratchDb::adopt(&[&dst]);
    sql(
        Some(src.name()),
        "CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(80) NOT NULL, is_test TINYINT NOT NULL);
         INSERT INTO users SELECT seq, CONCAT('person', seq, '@corp.example'), seq % 3 = 0 FROM seq_1_to_3000;
         CREATE TABLE logs (id INT PRIMARY KEY, user_id INT, msg TEXT);
         INSERT INTO logs SELECT seq, seq, 'hello' FROM seq_1_to_500;
         ANALYZE TABLE users, logs;",
    );
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("dump");
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "[tables.users]\n\
         email = { template = \"user{id}@example.com\", when = \"is_test = 0\" }\n\
         rows = { where = \"id <= 1000 OR is_test = 0\" }\n\
         [tables.logs]\nrows = \"none\"\n",
    )
    .unwrap();
    let out = run(
        masker()
            .env("MASKER_KEY", "live row context key 0123")
            .args(["dump", "--url", &url(), "--databases", src.name()])
            .args(["--format", "sql", "--chunk-mb", "0.02", "--threads", "2"])
            .arg("--rules")
            .arg(&rules)
            .arg("--out")
            .arg(&out_dir),
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    // 2000 users above 1000, a third of them test users.
    assert!(err.contains("rows dropped"), "{err}");
    assert!(err.contains(&format!("{}.users  667", src.name())), "{err}");

    let out = run(
        masker()
            .args(["load", "--url", &url(), "--into-database", &dst])
            .arg(&out_dir),
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let q = |s: &str| sql(Some(&dst), s).trim().to_owned();
    assert_eq!(q("SELECT COUNT(*) FROM users"), (3000 - 667).to_string());
    assert_eq!(
        q("SELECT COUNT(*) FROM users WHERE id > 1000 AND is_test = 1"),
        "0"
    );
    assert_eq!(
        q("SELECT COUNT(*) FROM users WHERE is_test = 0 AND email <> CONCAT('user', id, '@example.com')"),
        "0"
    );
    assert_eq!(
        q("SELECT COUNT(*) FROM users WHERE is_test = 1 AND email <> CONCAT('person', id, '@corp.example')"),
        "0"
    );
    assert_eq!(q("SELECT COUNT(*) FROM logs"), "0");
    let out = run(
        masker()
            .args(["verify", "--url", &url(), "--into-database", &dst])
            .arg(&out_dir),
        None,
    );
    assert_eq!(code(&out), 0, "{}{}", stdout_str(&out), stderr(&out));
}
