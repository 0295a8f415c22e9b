//! Strict mode and MySQL 5.x view stand-ins: `/*!50001 CREATE TABLE v (...)*/`
//! holds no rows, so strict rules need not classify it; a real table that no
//! rule classifies still stops the run.

use masker_core::rules::RulesBuilder;
use masker_core::schema::TableName;
use masker_core::{mask_slice, ErrorKind, PlanProblemKind};

fn rules(text: &str) -> masker_core::rules::Rules {
    RulesBuilder::new()
        .toml(text, "rules.toml")
        .key(b"k")
        .build()
        .unwrap()
}

#[test]
fn view_stand_in_needs_no_rule_in_strict_mode() {
    let dump = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../testdata/formats/mysql57_view_stand_in.sql"
    ))
    .unwrap();
    let strict = rules("strict = true\n[tables.t]\nid = \"keep\"\n");
    assert_eq!(mask_slice(&strict, &dump).unwrap(), dump);
}

#[test]
fn unclassified_real_table_still_stops_strict_mode() {
    let dump = b"CREATE TABLE `t` (`id` int NOT NULL);\nCREATE TABLE `u` (`email` varchar(99));\n";
    let strict = rules("strict = true\n[tables.t]\nid = \"keep\"\n");
    let err = mask_slice(&strict, dump).unwrap_err();
    let ErrorKind::Plan { problems, .. } = err.kind() else {
        panic!("{err}");
    };
    assert!(
        problems
            .iter()
            .any(|p| p.kind == PlanProblemKind::Unclassified
                && p.table == Some(TableName::new(None, "u"))
                && p.column.as_deref() == Some("email")
                && p.to_string().contains("u.email")),
        "{problems:?}"
    );
}

#[test]
fn qualified_create_and_unqualified_insert_are_the_same_table() {
    // phpMyAdmin-style: `CREATE TABLE db.t` without `USE db`, then `INSERT INTO t`.
    let dump = b"CREATE TABLE IF NOT EXISTS `shop`.`t` (`id` int NOT NULL, `email` varchar(99));\nINSERT INTO `t` VALUES (1,'a@example.com');\n";
    let r = rules("[tables.t]\nemail = \"null\"\n");
    let out = mask_slice(&r, dump).unwrap();
    assert!(String::from_utf8_lossy(&out).contains("VALUES (1,NULL)"));
}
