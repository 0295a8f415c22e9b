//! `masker mask --tab` against the local MariaDB (issue 4): a scratch
//! database with tricky content (escapes, tabs and newlines inside values,
//! NULL vs empty vs the strings `NULL` and `\N`, Japanese and emoji, a latin1
//! column, a blob with every byte value, a generated column) is dumped with
//! `mariadb-dump --tab`.
//!
//! 1. Empty rules: every output file equals its input, byte for byte.
//! 2. Rules (hash an email, null a memo): the masked `.txt` files are loaded
//!    with `LOAD DATA INFILE ... CHARACTER SET binary` into a scratch copy,
//!    and the same database is dumped as SQL, masked with `masker mask` and
//!    loaded into another scratch copy: the tables are equal, row by row,
//!    and the masked columns did change.

mod util;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use util::*;

const SCHEMA: &str = r#"
CREATE TABLE users (
  id INT NOT NULL PRIMARY KEY,
  email VARCHAR(255) NULL,
  memo TEXT NULL,
  name VARCHAR(100) CHARACTER SET utf8mb4 NULL,
  city VARCHAR(100) CHARACTER SET latin1 NULL,
  domain VARCHAR(255) AS (SUBSTRING_INDEX(email, '@', -1)) VIRTUAL,
  score DECIMAL(10,2) NULL
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE blobs (
  id INT NOT NULL PRIMARY KEY,
  data BLOB NULL,
  tag VARBINARY(16) NULL
);
CREATE TABLE `odd name` (
  `k` INT NOT NULL PRIMARY KEY,
  `v` VARCHAR(20) NULL
);
"#;

const ROWS: &str = r#"
INSERT INTO users (id, email, memo, name, city, score) VALUES
 (1, 'ann@example.com', 'tab\there\nnewline\rcr \\ backslash', '山田 太郎', 'café', 1.50),
 (2, 'bob@example.org', '', 'Bob 🎉', 'Zürich', NULL),
 (3, NULL, NULL, NULL, NULL, -2.25),
 (4, 'carol@example.net', 'NULL', '\\N', 'naïve', 0),
 (5, 'dave@example.com', 'nul \0 and ^Z \Z and "quotes" ''single''', '\t', '', 3),
 (6, 'eve@example.com', 'ends with backslash \\', 'multi\nline\nname', 'x\ty', 4),
 (7, 'ann@example.com', '\\N', 'N', 'NULL', 5);
INSERT INTO `odd name` VALUES (1, 'a\tb'), (2, NULL), (3, '');
"#;

/// Every column of every table as hex (NULL as the word), ordered by key.
fn table_rows(db: &str, table: &str) -> String {
    let cols = sql(
        None,
        &format!(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '{db}' AND TABLE_NAME = '{table}' ORDER BY ORDINAL_POSITION"
        ),
    );
    let exprs: Vec<String> = cols
        .lines()
        .map(|c| format!("IFNULL(HEX(`{c}`), 'NULL')"))
        .collect();
    let first = cols.lines().next().expect("a column");
    sql(
        Some(db),
        &format!(
            "SELECT CONCAT_WS(',', {}) FROM `{table}` ORDER BY `{first}`",
            exprs.join(", ")
        ),
    )
}

fn make_world_accessible(dir: &Path) {
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).unwrap();
}

#[test]
fn tab_directory_round_trip() {
    require_mariadb();
    let src = ScratchDb::create(&db_name("tab", "src"));
    let via_tab = ScratchDb::create(&db_name("tab", "tsv"));
    let via_sql = ScratchDb::create(&db_name("tab", "sql"));
    sql(Some(src.name()), SCHEMA);
    sql(Some(src.name()), ROWS);
    // A blob with every byte value, twice over.
    let all: String = (0..=255u8).map(|b| format!("{b:02X}")).collect();
    sql(
        Some(src.name()),
        &format!(
            "INSERT INTO blobs VALUES (1, UNHEX('{all}{all}'), UNHEX('00090A0D5C4E')), (2, '', NULL), (3, NULL, 0x5C);"
        ),
    );

    let tmp = tempfile::tempdir().unwrap();
    make_world_accessible(tmp.path());
    let tab = tmp.path().join("tab");
    std::fs::create_dir(&tab).unwrap();
    make_world_accessible(&tab);
    dump(&[&format!("--tab={}", tab.display()), src.name()]);
    let txt = files_in(&tab, ".txt");
    assert_eq!(txt.len(), 3, "data files: {txt:?}");

    // 1. Empty rules: the identity, byte for byte, at 1 and 3 threads.
    for threads in ["1", "3"] {
        let out = tmp.path().join(format!("identity{threads}"));
        let run_out = run(
            masker()
                .args(["mask", "--rules"])
                .arg(empty_rules())
                .arg("--tab")
                .arg(&tab)
                .arg("-o")
                .arg(&out)
                .args(["--threads", threads, "--quiet"]),
            None,
        );
        assert_eq!(code(&run_out), 0, "identity: {}", stderr(&run_out));
        let inputs = files_in(&tab, "");
        assert_eq!(files_in(&out, "").len(), inputs.len());
        for f in inputs {
            let name = f.file_name().unwrap();
            assert_same_bytes(
                &name.to_string_lossy(),
                &std::fs::read(&f).unwrap(),
                &std::fs::read(out.join(name)).unwrap(),
            );
        }
    }

    // 2. Masking: the TSV path and the SQL path load to the same tables.
    let rules = tmp.path().join("rules.toml");
    std::fs::write(
        &rules,
        "[tables.users]\nemail = { transform = \"hash\", format = \"email\" }\nmemo = \"null\"\n\n[tables.blobs]\ntag = \"null\"\n",
    )
    .unwrap();
    let key = "tab round trip key";
    let masked_dir = tmp.path().join("masked");
    let run_out = run(
        masker()
            .env("MASKER_KEY", key)
            .args(["mask", "--rules"])
            .arg(&rules)
            .arg("--tab")
            .arg(&tab)
            .arg("-o")
            .arg(&masked_dir)
            .args(["--threads", "2"]),
        None,
    );
    assert_eq!(code(&run_out), 0, "mask --tab: {}", stderr(&run_out));
    make_world_accessible(&masked_dir);
    for f in files_in(&masked_dir, "") {
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    for sql_file in files_in(&masked_dir, ".sql") {
        let out = load_bytes(
            Some(via_tab.name()),
            &std::fs::read(&sql_file).unwrap(),
            &[],
        );
        assert!(
            out.status.success(),
            "{}: {}",
            sql_file.display(),
            stderr(&out)
        );
    }
    // mariadb-dump encodes odd characters of table names in file names.
    for (table, file, columns) in [
        (
            "users",
            "users",
            "(id, email, memo, name, city, @domain, score)",
        ),
        ("blobs", "blobs", ""),
        ("odd name", "odd@0020name", ""),
    ] {
        let file = masked_dir.join(format!("{file}.txt"));
        sql(
            Some(via_tab.name()),
            &format!(
                "LOAD DATA INFILE '{}' INTO TABLE `{table}` CHARACTER SET binary {columns};",
                file.display()
            ),
        );
    }

    let sql_dump = tmp.path().join("dump.sql");
    std::fs::write(&sql_dump, dump(&[src.name()])).unwrap();
    let masked_sql = mask_ok(&rules, &sql_dump, &["--quiet"], Some(key));
    let out = load_bytes(Some(via_sql.name()), &masked_sql, &[]);
    assert!(out.status.success(), "load masked SQL: {}", stderr(&out));

    for table in ["users", "blobs", "odd name"] {
        let a = table_rows(via_tab.name(), table);
        let b = table_rows(via_sql.name(), table);
        assert_eq!(a, b, "{table}: TSV path and SQL path differ");
        assert_eq!(
            a.lines().count(),
            table_rows(src.name(), table).lines().count()
        );
    }
    assert_ne!(
        table_rows(via_tab.name(), "users"),
        table_rows(src.name(), "users"),
        "users was masked"
    );
    assert_eq!(
        table_rows(via_tab.name(), "odd name"),
        table_rows(src.name(), "odd name"),
        "an unmasked table loads back unchanged"
    );
    let memos = sql(
        Some(via_tab.name()),
        "SELECT COUNT(*) FROM users WHERE memo IS NOT NULL",
    );
    assert_eq!(memos.trim(), "0");
}
