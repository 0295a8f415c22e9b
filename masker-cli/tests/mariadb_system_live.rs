//! Against the local MariaDB: what MariaDB's own dump options write, as a
//! new user makes them. `mariadb-dump --system=stats` (persistent
//! statistics, whose `mysql.column_stats` holds each analysed column's
//! smallest and largest original value), `--no-create-info` (rows without
//! their `CREATE TABLE`) and `--dump-history` (the history rows of
//! system-versioned tables).

mod util;

use util::*;

fn originals() -> [&'static str; 4] {
    [
        "ann.lee@example.com",
        "carol.king@example.net",
        "Ann Lee",
        "Carol King",
    ]
}

fn analysed_source(tag: &str) -> ScratchDb {
    let db = ScratchDb::create(&db_name("sysstats", tag));
    sql(
        Some(db.name()),
        "CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100), name VARCHAR(100));
         INSERT INTO users VALUES (1,'ann.lee@example.com','Ann Lee'),
           (2,'bob.stone@example.org','Bob Stone'),(3,'carol.king@example.net','Carol King');
         ANALYZE TABLE users PERSISTENT FOR ALL;",
    );
    db
}

/// Regression (QA): `check --scaffold` on a `--system=stats` dump failed with
/// "would be refused by `masker mask` (please report this)", and with
/// non-strict rules `mask` wrote `mysql.column_stats` as it was: the
/// original emails and names as the columns' min and max.
#[test]
fn regression_system_stats_dump_scaffolds_and_masks_without_originals() {
    require_mariadb();
    let src = analysed_source("stats");
    let dir = tempfile::tempdir().unwrap();
    let dump_path = dir.path().join("stats.sql");
    std::fs::write(
        &dump_path,
        dump(&["--system=stats", "--skip-dump-date", src.name()]),
    )
    .unwrap();
    let raw = String::from_utf8_lossy(&std::fs::read(&dump_path).unwrap()).into_owned();
    assert!(
        raw.contains("REPLACE INTO `column_stats`") && raw.contains("ann.lee@example.com','"),
        "the server wrote no column statistics: the test proves nothing"
    );

    let out = run(
        masker().arg("check").arg("--scaffold").arg(&dump_path),
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        stdout_str(&out).replace("name = \"keep\"", "name = \"null\""),
    )
    .unwrap();

    let masked = dir.path().join("masked.sql");
    let out = mask_file(
        &rules,
        &dump_path,
        &["-o", masked.to_str().unwrap()],
        Some("system stats live test key"),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("mysql.column_stats: its rows were not written"),
        "{}",
        stderr(&out)
    );
    let text = String::from_utf8_lossy(&std::fs::read(&masked).unwrap()).into_owned();
    for original in originals() {
        assert!(!text.contains(original), "{original} survived in the file");
    }
    assert!(text.contains("REPLACE INTO `innodb_table_stats` VALUES"));

    // The masked users table loads (the statistics rows are the server's
    // own: not loaded here).
    let dst = ScratchDb::create(&db_name("sysstats", "dst"));
    let users_only = text.split("USE mysql;").next().unwrap();
    let loaded = load_bytes(Some(dst.name()), users_only.as_bytes(), &[]);
    assert!(loaded.status.success(), "{}", stderr(&loaded));
    let rows = sql(
        Some(dst.name()),
        "SELECT email, name FROM users ORDER BY id",
    );
    assert_eq!(rows.lines().count(), 3, "{rows}");
    for original in originals() {
        assert!(!rows.contains(original), "{original} loaded back");
    }
}

/// Regression (QA): `check --scaffold` on a `--no-create-info` dump said
/// "please report this"; no scaffold can classify columns it never sees.
#[test]
fn regression_scaffold_of_a_dump_without_create_table_says_why() {
    require_mariadb();
    let src = analysed_source("nci");
    let dir = tempfile::tempdir().unwrap();
    let dump_path = dir.path().join("data.sql");
    std::fs::write(&dump_path, dump(&["--no-create-info", src.name()])).unwrap();
    let out = run(
        masker().arg("check").arg("--scaffold").arg(&dump_path),
        None,
    );
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("rows of users come without their CREATE TABLE")
            && !err.contains("please report"),
        "{err}"
    );
    assert!(stdout_str(&out).is_empty());
}

/// QA: `--dump-history` was refused. The masked dump loads back with its
/// history (periods as they were), and no original is in the file or in
/// any version of a row.
#[test]
fn dump_history_masks_every_version_and_loads_back() {
    require_mariadb();
    let src = ScratchDb::create(&db_name("sysver", "src"));
    sql(
        Some(src.name()),
        "CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100), name VARCHAR(100)) WITH SYSTEM VERSIONING;
         INSERT INTO users VALUES (1,'ann.lee@example.com','Ann Lee'),(2,'bob.stone@example.org','Bob Stone');
         UPDATE users SET email = 'ann.new@example.com', name = 'Ann New' WHERE id = 1;
         DELETE FROM users WHERE id = 2;",
    );
    let originals = [
        "ann.lee@example.com",
        "ann.new@example.com",
        "bob.stone@example.org",
        "Ann Lee",
        "Ann New",
        "Bob Stone",
    ];
    let dir = tempfile::tempdir().unwrap();
    let dump_path = dir.path().join("history.sql");
    std::fs::write(&dump_path, dump(&["--dump-history", src.name()])).unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "strict = true\n[key]\nenv = \"MASKER_KEY\"\n[tables.users]\nid = \"keep\"\n\
         email = { transform = \"hash\", format = \"email\" }\nname = { transform = \"fake\", kind = \"name\" }\n",
    )
    .unwrap();
    let masked = dir.path().join("masked.sql");
    let out = mask_file(
        &rules,
        &dump_path,
        &["-o", masked.to_str().unwrap()],
        Some("dump history live test key"),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = std::fs::read(&masked).unwrap();
    for original in originals {
        assert!(
            !contains(&text, original.as_bytes()),
            "{original} survived in the file"
        );
    }
    let dst = ScratchDb::create(&db_name("sysver", "dst"));
    let loaded = load_bytes(Some(dst.name()), &text, &[]);
    assert!(loaded.status.success(), "{}", stderr(&loaded));
    let versions = |db: &str| {
        sql(
            Some(db),
            "SELECT id, row_start, row_end FROM users FOR SYSTEM_TIME ALL ORDER BY row_start, id",
        )
    };
    assert_eq!(versions(dst.name()), versions(src.name()));
    let all = sql(
        Some(dst.name()),
        "SELECT email, name FROM users FOR SYSTEM_TIME ALL",
    );
    assert_eq!(all.lines().count(), 3, "{all}");
    for original in originals {
        assert!(!all.contains(original), "{original} loaded back");
    }
}
