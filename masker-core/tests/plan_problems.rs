//! Issue 15: the problems of the rules with a dump come back typed from a
//! whole run (kind, table, column, rule path), every one at once, and print
//! as the lines `masker check` shows.

use masker_core::rules::RulesBuilder;
use masker_core::schema::TableName;
use masker_core::{mask_slice, ErrorKind, PlanProblem, PlanProblemKind};

fn problems(rules: &str, dump: &[u8]) -> Vec<PlanProblem> {
    let rules = RulesBuilder::new()
        .toml(rules, "rules.toml")
        .key(b"plan-problems-test-key")
        .build()
        .unwrap();
    let err = mask_slice(&rules, dump).unwrap_err();
    match err.into_kind() {
        ErrorKind::Plan { problems, .. } => problems,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_run_reports_every_plan_problem_typed() {
    let dump = b"USE `shop`;\n\
        CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(99));\n\
        CREATE TABLE `items` (`id` int NOT NULL);\n\
        INSERT INTO `items` (`id`, `nick`) VALUES (1,'x');\n\
        INSERT INTO `orders` VALUES (1);\n";
    let got = problems(
        "[tables.users]\nemial = \"hash\"\n[tables.orders]\nnote = \"null\"\n[tables.ghost]\nx = \"keep\"\n",
        dump,
    );
    let want = [
        (
            Some(TableName::new(Some("shop"), "users")),
            Some("emial"),
            Some("tables.users.emial"),
            PlanProblemKind::NoSuchColumn,
            "shop.users.emial: no such column (tables.users.emial)",
        ),
        (
            Some(TableName::new(Some("shop"), "items")),
            Some("nick"),
            None,
            PlanProblemKind::NoSuchColumn,
            "shop.items.nick: the INSERT names this column, which its CREATE TABLE does not have",
        ),
        (
            Some(TableName::new(Some("shop"), "orders")),
            None,
            None,
            PlanProblemKind::UnknownColumns,
            "shop.orders: rows come before (or without) its CREATE TABLE, so its columns are unknown",
        ),
        (
            Some(TableName::new(None, "ghost")),
            None,
            Some("tables.ghost"),
            PlanProblemKind::NoSuchTable,
            "ghost: no such table in the dump (tables.ghost)",
        ),
    ];
    assert_eq!(got.len(), want.len(), "{got:#?}");
    for (p, (table, column, rule_path, kind, text)) in got.iter().zip(want) {
        assert_eq!(p.table, table, "{p:?}");
        assert_eq!(p.column.as_deref(), column, "{p:?}");
        assert_eq!(p.rule_path.as_deref(), rule_path, "{p:?}");
        assert_eq!(p.kind, kind, "{p:?}");
        assert_eq!(p.to_string(), text);
    }
}

/// Regression (QA): an INSERT's problem was told once per statement (a
/// `--skip-extended-insert` dump repeats it for every row); each is told once.
#[test]
fn regression_a_problem_repeated_by_every_insert_is_told_once() {
    let dump = b"CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(99));\n\
        INSERT INTO `users` (`id`, `email`, `nick`) VALUES (1,'a@example.com','a');\n\
        INSERT INTO `users` (`id`, `email`, `nick`) VALUES (2,'b@example.com','b');\n";
    let got = problems("[tables.users]\nemail = \"null\"\n", dump);
    let columns: Vec<_> = got.iter().map(|p| p.column.as_deref()).collect();
    assert_eq!(columns, [Some("nick")], "{got:?}");
    assert_eq!(got[0].kind, PlanProblemKind::NoSuchColumn);
}

/// `row_start` and `row_end` named last by an INSERT of a table that is
/// not system-versioned are columns it lacks, and the message says what
/// they would be.
#[test]
fn history_columns_of_a_table_without_versioning_are_refused() {
    let dump = b"CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(99));\n\
        INSERT INTO `users` (`id`, `email`, row_start, row_end) VALUES (1,'a@example.com','2026-01-01 00:00:00.000000','2038-01-19 03:14:07.999999');\n";
    let got = problems("[tables.users]\nemail = \"null\"\n", dump);
    let columns: Vec<_> = got.iter().map(|p| p.column.as_deref()).collect();
    assert_eq!(columns, [Some("row_start"), Some("row_end")], "{got:?}");
    assert!(
        got.iter()
            .all(|p| p.message.contains("WITH SYSTEM VERSIONING")),
        "{got:?}"
    );
}
