//! MariaDB's system tables in a dump (`mariadb-dump --system=stats`): rows of
//! `mysql.column_stats` hold the original minimum and maximum of each analysed
//! column and are never written; the other statistics tables hold no value
//! and pass through, in strict mode too, without a `CREATE TABLE`.
//!
//! The fixture is real output: `mariadb-dump --system=stats --skip-dump-date
//! shop` (MariaDB 10.11) after `ANALYZE TABLE users PERSISTENT FOR ALL`.
//! Also: accounts and password hashes (warned about), and the history rows
//! of a system-versioned table (`--dump-history`, real output too).

use masker_core::rules::RulesBuilder;
use masker_core::schema::TableName;
use masker_core::{mask_reader, ErrorKind, MaskOptions, PlanProblemKind, Summary};

const DUMP: &[u8] = include_bytes!("../../testdata/mariadb/system_stats.sql");

/// The originals of `shop.users` (also in `mysql.column_stats` as min/max).
const ORIGINALS: &[&str] = &[
    "ann.lee@example.com",
    "carol.king@example.net",
    "Ann Lee",
    "Carol King",
];

fn rules(text: &str) -> masker_core::rules::Rules {
    RulesBuilder::new()
        .toml(text, "rules.toml")
        .key(b"system tables test key")
        .build()
        .unwrap()
}

fn mask(rules: &masker_core::rules::Rules) -> masker_core::Result<(String, Summary)> {
    let mut out = Vec::new();
    let summary = mask_reader(rules, DUMP, &mut out, &MaskOptions::default())?;
    Ok((String::from_utf8_lossy(&out).into_owned(), summary))
}

const STRICT: &str = "strict = true\n[tables.users]\nid = \"keep\"\n\
                      email = { transform = \"hash\", format = \"email\" }\nname = \"null\"\n";

/// Regression (QA): the `min_value`/`max_value` of `users.email` and
/// `users.name` in `mysql.column_stats` came through a masked dump as they
/// were (non-strict rules), and strict rules refused the dump outright.
#[test]
fn regression_system_stats_dump_kept_column_min_and_max_values() {
    for text in [
        STRICT,
        "[tables.users]\nemail = \"null\"\nname = \"null\"\n",
    ] {
        let (out, summary) = mask(&rules(text)).unwrap();
        for original in ORIGINALS {
            assert!(!out.contains(original), "{original} survived:\n{out}");
        }
        assert!(!out.contains("REPLACE INTO `column_stats`"), "{out}");
        // The table's LOCK/UNLOCK and comments stay: only the rows go.
        assert!(out.contains("LOCK TABLES `column_stats` WRITE;"), "{out}");
        for kept in [
            "innodb_index_stats",
            "innodb_table_stats",
            "table_stats",
            "index_stats",
        ] {
            assert!(
                out.contains(&format!("REPLACE INTO `{kept}` VALUES")),
                "{kept} rows were dropped:\n{out}"
            );
        }
        assert_eq!(
            summary.dropped.get("mysql.column_stats"),
            Some(&3),
            "{:?}",
            summary.dropped
        );
        assert!(
            summary
                .warnings
                .iter()
                .any(|w| w.starts_with("mysql.column_stats: its rows were not written")),
            "{:?}",
            summary.warnings
        );
    }
}

#[test]
fn rules_for_a_system_table_without_its_create_table_are_refused() {
    let text = format!("{STRICT}[tables.\"mysql.innodb_table_stats\"]\nn_rows = \"null\"\n");
    let err = mask(&rules(&text)).unwrap_err();
    let ErrorKind::Plan { problems, .. } = err.kind() else {
        panic!("{err}");
    };
    assert!(
        problems
            .iter()
            .any(|p| p.kind == PlanProblemKind::UnknownColumns
                && p.table == Some(TableName::new(Some("mysql"), "innodb_table_stats"))),
        "{problems:?}"
    );
}

#[test]
fn a_user_table_named_like_a_system_table_is_masked_as_usual() {
    let dump = b"CREATE TABLE `column_stats` (`id` int, `email` varchar(99));\n\
                 INSERT INTO `column_stats` VALUES (1,'ann.lee@example.com');\n";
    let r = rules("[tables.column_stats]\nemail = \"null\"\n");
    let mut out = Vec::new();
    let summary = mask_reader(&r, &dump[..], &mut out, &MaskOptions::default()).unwrap();
    assert!(String::from_utf8_lossy(&out).contains("VALUES (1,NULL)"));
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    assert!(summary.dropped.is_empty(), "{:?}", summary.dropped);
}

/// QA: `mariadb-dump --system=users` writes the accounts with their password
/// hashes, and a dump of the `mysql` database their rows; both pass through
/// (they are not rows of a dumped table's columns), and the summary says so.
#[test]
fn accounts_and_their_password_hashes_are_named_in_the_warnings() {
    let dump = b"CREATE USER `app`@`%` IDENTIFIED BY PASSWORD '*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9';\n\
        CREATE USER `ro`@`%`;\n\
        CREATE OR REPLACE USER `etl`@`%` IDENTIFIED BY PASSWORD '*0D3CED9BEC10A777AEC23CCC353A8C08A633045E';\n\
        CREATE OR REPLACE VIEW `v` AS SELECT 'IDENTIFIED' AS `x`;\n\
        GRANT SELECT ON `shop`.* TO `app`@`%`;\n\
        /*M!100401 ALTER USER `ro`@`%` IDENTIFIED VIA mysql_native_password USING '*0D3CED9BEC10A777AEC23CCC353A8C08A633045E' */;\n\
        SET PASSWORD FOR `app`@`%` = '*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9';\n\
        USE mysql;\n\
        INSERT INTO `global_priv` VALUES ('%','app','{\"authentication_string\":\"*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9\"}');\n";
    let mut out = Vec::new();
    let summary = mask_reader(&rules(""), &dump[..], &mut out, &MaskOptions::default()).unwrap();
    assert_eq!(out, dump);
    assert!(
        summary
            .warnings
            .iter()
            .any(|w| w.starts_with("4 statements give database accounts")),
        "{:?}",
        summary.warnings
    );
    assert!(
        summary
            .warnings
            .iter()
            .any(|w| w.starts_with("mysql.global_priv: its rows hold database accounts")),
        "{:?}",
        summary.warnings
    );
    // Strict rules cannot pass rows of secrets whose columns are unknown.
    let strict = rules("strict = true\n");
    let mut out = Vec::new();
    let e = mask_reader(&strict, &dump[..], &mut out, &MaskOptions::default()).unwrap_err();
    let ErrorKind::Plan { problems, .. } = e.kind() else {
        panic!("{e}");
    };
    assert!(
        problems
            .iter()
            .any(|p| p.kind == PlanProblemKind::UnknownColumns
                && p.table == Some(TableName::new(Some("mysql"), "global_priv"))),
        "{problems:?}"
    );
}

/// Real `mariadb-dump --dump-history --skip-dump-date shop` of a
/// system-versioned table whose row 1 was updated and row 2 deleted: the
/// history rows name the implicit `row_start` and `row_end` last.
const HISTORY: &[u8] = include_bytes!("../../testdata/mariadb/dump_history.sql");

/// QA: `--dump-history` was refused ("the INSERT names this column, which
/// its CREATE TABLE does not have"). History rows hold the old values, so
/// they are masked like the others; `row_start` and `row_end` are kept.
#[test]
fn history_rows_are_masked_and_their_periods_kept() {
    let r = rules(&format!(
        "{STRICT}[tables.plain]\nid = \"keep\"\nnote = \"keep\"\n"
    ));
    let mut out = Vec::new();
    let summary = mask_reader(&r, HISTORY, &mut out, &MaskOptions::default()).unwrap();
    let out = String::from_utf8(out).unwrap();
    for original in [
        "ann.lee@example.com",
        "ann.new@example.com",
        "bob.stone@example.org",
        "Ann Lee",
        "Ann New",
        "Bob Stone",
    ] {
        assert!(!out.contains(original), "{original} survived:\n{out}");
    }
    assert_eq!(summary.masked.get("users.name"), Some(&3));
    // Every period is written as read.
    let periods = |text: &str| -> Vec<String> {
        text.split('\'')
            .filter(|s| s.len() == 26 && s.as_bytes()[4] == b'-' && s.as_bytes()[19] == b'.')
            .map(str::to_owned)
            .collect()
    };
    let input = String::from_utf8_lossy(HISTORY);
    assert_eq!(periods(&out), periods(&input));
    assert_eq!(periods(&out).len(), 6, "{out}");
}
