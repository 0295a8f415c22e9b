//! Tests of rules compilation and binding: config errors by path, key handling, strict mode.

use super::*;
use crate::schema::{Column, ColumnType, TableName, TableSchema};
use crate::transform::Cell;

const KEY: &str = "test-key-0123456789";

/// The rules, or their problems as printed.
fn build(text: &str) -> Result<Rules, Vec<String>> {
    build_typed(text).map_err(|ps| ps.iter().map(ToString::to_string).collect())
}

/// The rules, or their problems.
fn build_typed(text: &str) -> Result<Rules, Vec<ConfigProblem>> {
    RulesBuilder::new()
        .toml(text, "rules.toml")
        .key_from_env_lookup(|n| (n == "MASKER_KEY").then(|| KEY.into()))
        .build()
        .map_err(|e| match e.into_kind() {
            ErrorKind::Config(v) => v,
            other => panic!("{other:?}"),
        })
}

/// The problems of binding `rules` to `schema`, as printed.
fn bind_errs(rules: &Rules, schema: &TableSchema) -> Vec<String> {
    let problems = rules.bind(schema).unwrap_err();
    problems.iter().map(ToString::to_string).collect()
}

fn col(name: &str, ty: ColumnType, not_null: bool) -> Column {
    Column {
        name: name.into(),
        ty,
        not_null,
        generated: false,
        charset: None,
        collation: None,
    }
}

fn vc(n: u32) -> ColumnType {
    ColumnType::Char {
        max_chars: n,
        fixed: false,
    }
}

fn users(db: Option<&str>) -> TableSchema {
    TableSchema {
        name: TableName::new(db, "users"),
        columns: vec![
            col(
                "id",
                ColumnType::Integer {
                    bytes: 4,
                    unsigned: true,
                },
                true,
            ),
            col("email", vc(255), true),
            col("name", vc(100), false),
            col("phone", vc(20), false),
            col("memo", ColumnType::Text { max_bytes: 65535 }, false),
            col("tiny", vc(3), false),
        ],
        primary_key: vec!["id".into()],
        unique_keys: vec![vec!["email".into()]],
        default_charset: Some("utf8mb4".into()),
        default_collation: None,
        foreign_keys: Vec::new(),
    }
}

fn apply(plan: &TablePlan, i: usize, v: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    match plan.columns[i]
        .as_ref()
        .unwrap()
        .apply(Some(v), &mut out)
        .unwrap()
    {
        Cell::Null => None,
        Cell::Value => Some(out),
    }
}

#[test]
fn issue_example_compiles_and_binds() {
    let rules = build(
        r#"
strict = true
[key]
env = "MASKER_KEY"
[tables.users]
email = "hash"
name  = { transform = "fake", kind = "name", locale = "ja_JP" }
phone = "fpe"
memo  = "null"
id    = "keep"
tiny  = { transform = "partial", keep_first = 1, keep_last = 0 }
[tables."shop.orders"]
contact_email = { transform = "hash", format = "email" }
"#,
    )
    .unwrap();
    assert!(rules.strict());
    let plan = rules.bind(&users(None)).unwrap().unwrap();
    assert!(plan.columns[0].is_none(), "keep is None");
    assert_eq!(apply(&plan, 4, b"secret"), None);
    let phone = apply(&plan, 3, b"090-1234-5678").unwrap();
    assert_eq!(phone.len(), 13);
    assert_eq!(phone[3], b'-');
    assert_eq!(apply(&plan, 5, "abc".as_bytes()).unwrap(), b"a**");
    assert_eq!(
        plan.columns[2].as_ref().unwrap().describe(),
        "fake name ja_JP (folded: case-insensitive, pad space per utf8mb4_general_ci; accents not folded)"
    );
}

#[test]
fn hash_lines_up_across_tables() {
    let rules =
        build("[tables.users]\nemail = \"hash\"\n[tables.orders]\nemail = \"hash\"\n").unwrap();
    let mut orders = users(None);
    orders.name = TableName::new(Some("shop"), "orders");
    let a = rules.bind(&users(None)).unwrap().unwrap();
    let b = rules.bind(&orders).unwrap().unwrap();
    assert_eq!(apply(&a, 1, b"x@y.z"), apply(&b, 1, b"x@y.z"));
    let salted = build("[tables.users]\nemail = { transform = \"hash\", salt = \"s\" }\n").unwrap();
    let c = salted.bind(&users(None)).unwrap().unwrap();
    assert_ne!(apply(&a, 1, b"x@y.z"), apply(&c, 1, b"x@y.z"));
}

#[test]
fn every_config_problem_reported_with_path() {
    let errs = build(
        r#"
strictt = true
[tables.users]
phone = "fpee"
name = { transform = "fake", kind = "nmae" }
email = { transform = "hash", colour = "red" }
memo = { transform = "fpe", salt = "x" }
c = { transform = "constant" }
"#,
    )
    .unwrap_err();
    let all = errs.join("\n");
    for want in [
        "strictt: unknown key",
        "tables.users.phone: unknown transform \"fpee\"",
        "tables.users.name.kind: unknown kind \"nmae\"",
        "tables.users.email.colour: unknown option for hash",
        "tables.users.memo.salt: unknown option for fpe",
        "tables.users.c: constant needs value",
    ] {
        assert!(all.contains(want), "missing {want:?} in\n{all}");
    }
    assert_eq!(errs.len(), 6, "{all}");
    let errs = build("[tables.users\n").unwrap_err();
    assert!(errs[0].starts_with("rules.toml:"), "{errs:?}");
    let errs = build("[key]\nenv = \"A\"\nfile = \"b\"\nx = 1\n").unwrap_err();
    assert_eq!(errs.len(), 2, "{errs:?}");
}

#[test]
fn missing_key_is_a_config_error_and_key_never_shown() {
    let text = "[tables.users]\nemail = \"hash\"\n";
    let e = RulesBuilder::new()
        .toml(text, "r")
        .key_from_env_lookup(|_| None)
        .build()
        .unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("MASKER_KEY is not set"), "{msg}");
    // Unkeyed rules need no key.
    assert!(RulesBuilder::new()
        .toml("[tables.users]\nmemo = \"null\"\n", "r")
        .build()
        .is_ok());
    // Key from a named variable.
    let r = RulesBuilder::new()
        .toml(
            "[key]\nenv = \"OTHER\"\n[tables.users]\nemail = \"hash\"\n",
            "r",
        )
        .key_from_env_lookup(|n| (n == "OTHER").then(|| KEY.into()))
        .build()
        .unwrap();
    let dbg = format!("{r:?}");
    assert!(!dbg.contains(KEY) && dbg.contains("redacted"), "{dbg}");
    // Check-only rules bind (with a placeholder key, for dry runs) but
    // every function that writes masked output refuses them.
    let r = RulesBuilder::new()
        .toml(text, "r")
        .allow_missing_key(true)
        .build()
        .unwrap();
    assert!(r.is_check_only());
    assert!(r.bind(&users(None)).unwrap().is_some());
    let dump = b"CREATE TABLE `users` (`id` int, `email` varchar(64), `name` varchar(64), `phone` varchar(32));\n";
    let e = crate::mask_slice(&r, dump).unwrap_err();
    assert!(e.to_string().contains("check only"), "{e}");
    let opts = crate::MaskOptions {
        allow_missing: true,
        ..crate::MaskOptions::default()
    };
    assert!(crate::check_reader(&r, &dump[..], &opts).is_ok());
}

#[test]
fn key_file_source() {
    let dir = std::env::temp_dir().join(format!("masker-key-test-{}", std::process::id()));
    std::fs::write(&dir, format!("{KEY}\n")).unwrap();
    let text = format!(
        "[key]\nfile = {:?}\n[tables.users]\nemail = \"hash\"\n",
        dir.display().to_string()
    );
    let from_file = RulesBuilder::new().toml(&text, "r").build().unwrap();
    let from_env = build("[tables.users]\nemail = \"hash\"\n").unwrap();
    let a = from_file.bind(&users(None)).unwrap().unwrap();
    let b = from_env.bind(&users(None)).unwrap().unwrap();
    assert_eq!(apply(&a, 1, b"v"), apply(&b, 1, b"v"));
    std::fs::remove_file(&dir).unwrap();
    let e = RulesBuilder::new()
        .toml(&text, "r")
        .build()
        .unwrap_err()
        .to_string();
    assert!(e.contains("key.file: cannot read key file"), "{e}");
}

#[test]
fn bind_errors_name_table_column() {
    let rules = build(
        r#"
[tables.users]
nope = "hash"
id = "null"
tiny = { transform = "hash", format = "email" }
email = { transform = "constant", value = "toolong" }
"#,
    )
    .unwrap();
    let mut schema = users(None);
    schema.columns[1].ty = vc(3);
    let errs = bind_errs(&rules, &schema);
    let all = errs.join("\n");
    assert_eq!(errs.len(), 4, "{all}");
    assert!(
        all.contains("users.nope: no such column (tables.users.nope)"),
        "{all}"
    );
    assert!(all.contains("users.id: null on a NOT NULL column"), "{all}");
    assert!(
        all.contains("users.tiny: column too short for a hashed email"),
        "{all}"
    );
    assert!(all.contains("users.email: constant is longer"), "{all}");
}

#[test]
fn generated_columns() {
    let rules = build("[tables.users]\nname = \"hash\"\nemail = \"keep\"\n").unwrap();
    let mut schema = users(None);
    schema.columns[2].generated = true;
    schema.columns[1].generated = true;
    let errs = bind_errs(&rules, &schema);
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].contains("users.name: generated column cannot be masked; mask its inputs"),
        "{errs:?}"
    );
}

#[test]
fn strict_lists_every_unclassified_column() {
    let rules = build("strict = true\n[tables.users]\nemail = \"hash\"\nid = \"keep\"\n").unwrap();
    let errs = bind_errs(&rules, &users(None));
    let names: Vec<&str> = errs.iter().map(|e| e.split(':').next().unwrap()).collect();
    assert_eq!(
        names,
        ["users.name", "users.phone", "users.memo", "users.tiny"]
    );
    assert!(errs[0].contains("not classified"));
    // A table no rule names is entirely unclassified in strict mode.
    let mut other = users(Some("db"));
    other.name = TableName::new(Some("db"), "other");
    assert!(rules.names_table(&other.name));
    assert_eq!(bind_errs(&rules, &other).len(), 6);
    // Not strict: untouched.
    let lax = build("[tables.users]\nemail = \"hash\"\n").unwrap();
    assert!(!lax.names_table(&other.name));
    assert!(lax.bind(&other).unwrap().is_none());
    // Strict override from the builder.
    let r = RulesBuilder::new()
        .toml("[tables.users]\nid = \"keep\"\n", "r")
        .strict(true)
        .build()
        .unwrap();
    assert!(r.strict());
}

#[test]
fn dotted_keys_and_missing_tables() {
    let rules = build("[tables.users]\nmemo = \"null\"\n[tables.\"shop.users\"]\nname = \"null\"\n[tables.ghost]\nx = \"keep\"\n").unwrap();
    // shop.users uses the dotted rule only.
    let plan = rules.bind(&users(Some("shop"))).unwrap().unwrap();
    assert!(plan.columns[4].is_none() && plan.columns[2].is_some());
    let plan = rules.bind(&users(Some("app"))).unwrap().unwrap();
    assert!(plan.columns[4].is_some() && plan.columns[2].is_none());
    let missing = rules.missing_tables(&[TableName::new(Some("shop"), "users")]);
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0].kind, PlanProblemKind::NoSuchTable);
    assert_eq!(missing[0].table, Some(TableName::new(None, "ghost")));
    assert_eq!(missing[0].rule_path.as_deref(), Some("tables.ghost"));
    assert_eq!(
        missing[0].to_string(),
        "ghost: no such table in the dump (tables.ghost)"
    );
    let missing = rules.missing_tables(&[TableName::new(Some("app"), "users")]);
    assert_eq!(missing.len(), 2, "{missing:?}");
    // A dotted key names its database, and its path quotes the key.
    assert_eq!(
        missing[1].table,
        Some(TableName::new(Some("shop"), "users"))
    );
    assert_eq!(
        missing[1].rule_path.as_deref(),
        Some("tables.\"shop.users\"")
    );
    assert_eq!(rules.table_rule_names(), ["ghost", "shop.users", "users"]);
}

#[test]
fn all_keep_binds_to_none_and_empty_is_identity() {
    let rules = build("[tables.users]\nid = \"keep\"\n").unwrap();
    assert!(rules.bind(&users(None)).unwrap().is_none());
    assert!(Rules::empty().bind(&users(None)).unwrap().is_none());
    assert!(!Rules::empty().names_table(&TableName::new(None, "users")));
}

#[test]
fn transforms_that_can_collide_are_refused_on_unique_columns() {
    // Regression: fake/constant/partial on a unique key, or a hash squeezed
    // into a narrow unique column, produced dumps that failed to load.
    for (rule, refused) in [
        ("email = { transform = \"fake\", kind = \"email\" }", true),
        (
            "email = { transform = \"constant\", value = \"x@example.com\" }",
            true,
        ),
        ("email = \"partial\"", true),
        ("id = \"hash\"", true),
        (
            "email = { transform = \"hash\", format = \"email\" }",
            false,
        ),
        ("id = \"fpe\"", false),
        ("name = { transform = \"fake\", kind = \"name\" }", false),
    ] {
        let rules = build(&format!("[tables.users]\n{rule}\n")).unwrap();
        let got = rules.bind(&users(None));
        assert_eq!(got.is_err(), refused, "{rule}: {got:?}");
        if let Err(e) = got {
            assert_eq!(e[0].kind, PlanProblemKind::NotUnique, "{e:?}");
            assert!(e[0].message.contains("unique key"), "{e:?}");
        }
    }
}

#[test]
fn toml_key_round_trips_through_toml() {
    for name in [
        "users",
        "shop.orders",
        "we`ird name",
        "a\"b\\c",
        "tab\there",
        "日本語",
        "",
    ] {
        let text = format!("{} = 1\n", toml_key(name));
        let table: toml::Table = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(table.contains_key(name), "{text}");
    }
}

#[test]
fn pseudonyms_follow_the_column_collation() {
    // Regression (issue 11): under a case-insensitive collation
    // `User@Gmail.com` and `user@gmail.com` are one value, but they hashed
    // to different pseudonyms and joins stopped matching.
    let rules = build(
        "[tables.users]\nemail = \"hash\"\nname = { transform = \"fake\", kind = \"name\" }\nphone = \"fpe\"\n",
    )
    .unwrap();
    let plan = rules.bind(&users(None)).unwrap().unwrap();
    assert_eq!(
        apply(&plan, 1, b"User@Gmail.com"),
        apply(&plan, 1, b"user@gmail.com  ")
    );
    assert_eq!(apply(&plan, 2, b"Tanaka"), apply(&plan, 2, b"TANAKA"));
    let a = apply(&plan, 3, b"Tel 090").unwrap();
    let b = apply(&plan, 3, b"tel 090 ").unwrap();
    assert_eq!(a.to_ascii_lowercase(), b.trim_ascii_end());
    assert!(plan.columns[1]
        .as_ref()
        .unwrap()
        .describe()
        .starts_with("hash hex(64) (folded: case-insensitive, pad space per utf8mb4_general_ci"));

    // A binary collation on the column: case counts.
    let mut bin = users(None);
    bin.columns[1].collation = Some("utf8mb4_bin".into());
    let plan = rules.bind(&bin).unwrap().unwrap();
    assert_ne!(
        apply(&plan, 1, b"User@Gmail.com"),
        apply(&plan, 1, b"user@gmail.com")
    );
    assert_eq!(
        apply(&plan, 1, b"user@gmail.com "),
        apply(&plan, 1, b"user@gmail.com")
    );

    // `collation = "exact"`, top-level or per column, turns it off.
    for text in [
        "collation = \"exact\"\n[tables.users]\nemail = \"hash\"\n",
        "[tables.users]\nemail = { transform = \"hash\", collation = \"exact\" }\n",
        "collation = \"column\"\n[tables.users]\nemail = { transform = \"hash\", collation = \"bytes\" }\n",
    ] {
        let plan = build(text).unwrap().bind(&users(None)).unwrap().unwrap();
        assert_ne!(
            apply(&plan, 1, b"User@Gmail.com"),
            apply(&plan, 1, b"user@gmail.com"),
            "{text}"
        );
        assert_eq!(
            plan.columns[1].as_ref().unwrap().describe(),
            "hash hex(64) (exact bytes: collation = \"exact\")"
        );
    }
    // A per-column "column" wins over a top-level "exact".
    let plan = build(
        "collation = \"exact\"\n[tables.users]\nemail = { transform = \"hash\", collation = \"follow\" }\n",
    )
    .unwrap()
    .bind(&users(None))
    .unwrap()
    .unwrap();
    assert_eq!(
        apply(&plan, 1, b"User@Gmail.com"),
        apply(&plan, 1, b"user@gmail.com")
    );
}

#[test]
fn collation_option_errors_name_their_path() {
    let errs = build(
        "collation = \"ci\"\n[tables.users]\nemail = { transform = \"hash\", collation = 1 }\nmemo = { transform = \"null\", collation = \"exact\" }\n",
    )
    .unwrap_err();
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(
        errs[0].starts_with("collation: unknown collation mode \"ci\""),
        "{errs:?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.starts_with("tables.users.email.collation: expected")),
        "{errs:?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.starts_with("tables.users.memo.collation: unknown option for null")),
        "{errs:?}"
    );
}

#[test]
fn fpe_refused_on_tiny_domains() {
    // Regression (issue 11): fpe on a 1- or 2-character code is a lookup
    // table that a few known pairs reveal.
    let rules = build("[tables.users]\ntiny = \"fpe\"\n").unwrap();
    let errs = bind_errs(&rules, &users(None));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("users.tiny: fpe on a VARCHAR(3) column: at most 17,576"),
        "{errs:?}"
    );
    assert!(
        errs[0].contains("use hash") && errs[0].ends_with("(tables.users.tiny)"),
        "{errs:?}"
    );
}

#[test]
fn short_key_warns_without_showing_it() {
    let rules = RulesBuilder::new()
        .toml("[tables.users]\nemail = \"hash\"\n", "rules.toml")
        .key(b"hunter2")
        .build()
        .unwrap();
    assert_eq!(rules.warnings().len(), 1);
    let w = &rules.warnings()[0];
    assert!(w.contains("7 bytes") && w.contains("16"), "{w}");
    assert!(!w.contains("hunter2"), "{w}");
    assert!(!format!("{rules:?}").contains("hunter2"));
    assert!(build("[tables.users]\nemail = \"hash\"\n")
        .unwrap()
        .warnings()
        .is_empty());
    // No keyed rule, no key: nothing to warn about.
    assert!(build("[tables.users]\nmemo = \"null\"\n")
        .unwrap()
        .warnings()
        .is_empty());
}

#[test]
fn collation_read_from_create_table_reaches_the_transforms() {
    // As mariadb-dump writes it: the table's collation, one column's own.
    let schema = crate::schema::parse_create_table(
        b"CREATE TABLE `users` (\n  `id` int(11) NOT NULL,\n  `email` varchar(255) NOT NULL,\n  \
          `login` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,\n  \
          `code` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,\n  \
          PRIMARY KEY (`id`),\n  UNIQUE KEY `email` (`email`)\n\
          ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;",
    )
    .unwrap();
    let rules =
        build("[tables.users]\nemail = \"hash\"\nlogin = \"hash\"\ncode = \"hash\"\n").unwrap();
    let plan = rules.bind(&schema).unwrap().unwrap();
    assert_eq!(apply(&plan, 1, b"A@B.jp "), apply(&plan, 1, b"a@b.jp"));
    assert_ne!(apply(&plan, 2, b"Admin"), apply(&plan, 2, b"admin"));
    assert_eq!(apply(&plan, 2, b"admin "), apply(&plan, 2, b"admin"));
    assert_ne!(apply(&plan, 3, b"x1 "), apply(&plan, 3, b"x1"));
    let describe = |i: usize| plan.columns[i].as_ref().unwrap().describe();
    assert!(
        describe(1).contains("per utf8mb4_general_ci"),
        "{}",
        describe(1)
    );
    assert!(
        describe(2).ends_with("(folded: pad space per utf8mb4_bin)"),
        "{}",
        describe(2)
    );
    assert_eq!(describe(3), "hash hex(64)");
}

#[test]
fn unclassified_columns_are_those_no_rule_names() {
    let rules = build("[tables.users]\nemail = \"hash\"\nID = \"keep\"\n").unwrap();
    let mut schema = users(None);
    schema.columns[2].generated = true;
    assert_eq!(
        rules.unclassified_columns(&schema),
        ["phone", "memo", "tiny"]
    );
    let mut other = users(Some("db"));
    other.name = TableName::new(Some("db"), "other");
    assert_eq!(rules.unclassified_columns(&other).len(), 6);
}

/// Issue 7: a dump's manifest records which key masked it, never the key.
#[test]
fn key_fingerprint_is_stable_per_key_and_hides_it() {
    let with = |key: &[u8]| {
        RulesBuilder::new()
            .toml("[tables.users]\nemail = \"hash\"\n", "r")
            .key(key)
            .build()
            .unwrap()
    };
    let a = with(b"fingerprint-key-one-0123").key_fingerprint().unwrap();
    let b = with(b"fingerprint-key-one-0123").key_fingerprint().unwrap();
    let c = with(b"fingerprint-key-two-0123").key_fingerprint().unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert!(
        a.starts_with("blake3:") && a.len() == "blake3:".len() + 16,
        "{a}"
    );
    // The PRF is part of the fingerprint: same key, other PRF, other pseudonyms.
    let hmac = RulesBuilder::new()
        .toml(
            "[key]\nprf = \"hmac-sha256\"\n[tables.users]\nemail = \"hash\"\n",
            "r",
        )
        .key(b"fingerprint-key-one-0123")
        .build()
        .unwrap()
        .key_fingerprint()
        .unwrap();
    assert!(
        hmac.starts_with("hmac-sha256:") && hmac.len() == "hmac-sha256:".len() + 16,
        "{hmac}"
    );
    assert_ne!(hmac[hmac.len() - 16..], a[a.len() - 16..]);
    assert!(!a.contains("fingerprint-key"));
    assert!(Rules::empty().key_fingerprint().is_none());
    let check_only = RulesBuilder::new()
        .toml("[tables.users]\nemail = \"hash\"\n", "r")
        .allow_missing_key(true)
        .build()
        .unwrap();
    assert!(check_only.key_fingerprint().is_none());
}

#[test]
fn row_context_rules_parse_and_report_every_problem_with_its_path() {
    let errs = build(
        r#"
[tables.users]
email = { template = "user{id@x" }
name = { transform = "hash", when = "id = = 1" }
phone = { transform = "keep", when = "id = 1" }
memo = { transform = "null", when = 3 }
tiny = { transform = "template" }
rows = { where = "id >" , limit = 3 }
[tables.orders]
rows = { where = 5 }
"#,
    )
    .unwrap_err();
    let want = [
        "tables.users.email.template: at byte 4",
        "tables.users.name.when: at byte 5",
        "tables.users.phone.when: keep with a condition does nothing",
        "tables.users.memo.when: expected a string",
        "tables.users.tiny: template needs template",
        "tables.users.rows.limit: unknown option",
        "tables.users.rows.where: at byte 4",
        "tables.orders.rows.where: expected a string",
    ];
    for w in want {
        assert!(
            errs.iter().any(|e| e.starts_with(w)),
            "{w} not in {errs:#?}"
        );
    }
    assert_eq!(errs.len(), want.len(), "{errs:#?}");
}

#[test]
fn row_context_rules_bind_to_columns_with_paths() {
    let rules = build(
        r#"
[tables.users]
name = { template = "{id}-{email}" }
phone = { transform = "hash", when = "nope = 1" }
memo = { template = "x{id}", when = "tiny IS NULL" }
email = "hash"
rows = { where = "missing > 0" }
"#,
    )
    .unwrap();
    let errs = bind_errs(&rules, &users(None));
    let want = [
        "users.name: template names `email`, which the rules mask",
        "users.phone: no column `nope` in table users (tables.users.phone.when)",
        "users: no column `missing` in table users (tables.users.rows.where)",
    ];
    for w in want {
        assert!(
            errs.iter().any(|e| e.starts_with(w)),
            "{w} not in {errs:#?}"
        );
    }
    assert_eq!(errs.len(), want.len(), "{errs:#?}");
    let ok = build(
        "[tables.users]\nmemo = { template = \"x{id}\", when = \"tiny IS NULL\" }\nrows = \"none\"\n",
    )
    .unwrap();
    let plan = ok.bind(&users(None)).unwrap().unwrap();
    assert!(plan.templates[4].is_some() && plan.when[4].is_some());
    assert!(matches!(plan.rows, BoundRowPolicy::None));
    // A row policy alone makes a plan; a table key `rows` with a transform is a column.
    let only_rows = build("[tables.users]\nrows = \"all\"\n").unwrap();
    assert!(only_rows.bind(&users(None)).unwrap().is_none());
    let column = build("[tables.t]\nrows = \"hash\"\n").unwrap();
    assert!(column
        .spec_for(&TableName::new(None, "t"), "rows")
        .is_some_and(|s| s.is_keyed()));
}

#[test]
fn fpe_with_a_condition_on_a_unique_key_is_refused() {
    let mut schema = users(None);
    schema.unique_keys.push(vec!["phone".into()]);
    schema.columns[3].ty = vc(30);
    let rules =
        build("[tables.users]\nphone = { transform = \"fpe\", when = \"id > 3\" }\n").unwrap();
    let errs = bind_errs(&rules, &schema);
    assert!(errs[0].contains("unique key"), "{errs:?}");
}

/// Issue 9: `[key] prf` picks the keyed function of every keyed transform.
#[test]
fn prf_is_chosen_by_the_rules_file() {
    let text = |prf: &str| {
        format!(
            "[key]\nenv = \"MASKER_KEY\"\n{prf}\n[tables.users]\nemail = \"hash\"\n\
             name = {{ transform = \"fake\", kind = \"name\" }}\nphone = \"fpe\"\n"
        )
    };
    let default = build(&text("")).unwrap();
    let blake3 = build(&text("prf = \"blake3\"")).unwrap();
    let hmac = build(&text("prf = \"hmac-sha256\"")).unwrap();
    assert_eq!(default.prf(), Prf::Blake3);
    assert_eq!(blake3.prf(), Prf::Blake3);
    assert_eq!(hmac.prf(), Prf::HmacSha256);
    let (d, b, h) = (
        default.bind(&users(None)).unwrap().unwrap(),
        blake3.bind(&users(None)).unwrap().unwrap(),
        hmac.bind(&users(None)).unwrap().unwrap(),
    );
    // email (hash), name (fake), phone (fpe): the same under the default and
    // an explicit blake3, different under hmac-sha256.
    for (i, v) in [(1, &b"x@y.z"[..]), (2, b"Taro"), (3, b"090-1234-5678")] {
        assert_eq!(apply(&d, i, v), apply(&b, i, v), "column {i}");
        assert_ne!(apply(&b, i, v), apply(&h, i, v), "column {i}");
    }
    // A check-only build binds with the chosen PRF too (no key needed).
    let check = RulesBuilder::new()
        .toml(&text("prf = \"hmac-sha256\""), "r")
        .key_from_env_lookup(|_| None)
        .allow_missing_key(true)
        .build()
        .unwrap();
    assert_eq!(check.prf(), Prf::HmacSha256);
}

#[test]
fn unknown_prf_is_a_config_error_with_its_path() {
    let errs =
        build("[key]\nprf = \"sha1\"\nsalt = 1\n[tables.users]\nemail = \"hsah\"\n").unwrap_err();
    let all = errs.join("\n");
    for want in [
        "key.prf: unknown PRF \"sha1\" (expected \"blake3\" or \"hmac-sha256\")",
        "key.salt: unknown key (expected env, file or prf)",
        "tables.users.email: unknown transform \"hsah\"",
    ] {
        assert!(all.contains(want), "missing {want:?} in\n{all}");
    }
    let errs = build("[key]\nprf = 3\n").unwrap_err();
    assert_eq!(
        errs,
        vec!["key.prf: expected \"blake3\" or \"hmac-sha256\"".to_owned()]
    );
}

/// Issue 15: config problems are typed: a kind and a config path, and the
/// printed line is `path: message`.
#[test]
fn config_problems_have_kinds_and_paths() {
    let problems = build_typed(
        r#"
strict = "yes"
colour = 1
[key]
env = "A"
file = "b"
[tables.users]
email = "hsah"
name = { transform = "partial", keep_first = "2" }
phone = { transform = "partial", keep_last = -1 }
memo = { transform = "constant" }
"#,
    )
    .unwrap_err();
    let got: Vec<(&str, ConfigProblemKind)> =
        problems.iter().map(|p| (p.path.as_str(), p.kind)).collect();
    for want in [
        ("strict", ConfigProblemKind::WrongType),
        ("colour", ConfigProblemKind::UnknownKey),
        ("key", ConfigProblemKind::Conflict),
        ("tables.users.email", ConfigProblemKind::InvalidValue),
        ("tables.users.name.keep_first", ConfigProblemKind::WrongType),
        (
            "tables.users.phone.keep_last",
            ConfigProblemKind::InvalidValue,
        ),
        ("tables.users.memo", ConfigProblemKind::Missing),
    ] {
        assert!(got.contains(&want), "{want:?} not in {got:?}");
    }
    assert_eq!(got.len(), 7, "{problems:#?}");
    for p in &problems {
        assert_eq!(p.to_string(), format!("{}: {}", p.path, p.message));
    }
    let hsah = problems
        .iter()
        .find(|p| p.path == "tables.users.email")
        .unwrap();
    assert!(
        hsah.message
            .starts_with("unknown transform \"hsah\" (expected one of"),
        "{hsah:?}"
    );
    // Keys of the path are written as in the file.
    let dotted = build_typed("[tables.\"shop.users\"]\n\"e-mail x\" = 3\n").unwrap_err();
    assert_eq!(dotted[0].path, "tables.\"shop.users\".\"e-mail x\"");
    assert_eq!(dotted[0].kind, ConfigProblemKind::WrongType);
    // Not TOML: the problem is the file's, named by its origin.
    let syntax = build_typed("[tables.users\n").unwrap_err();
    assert_eq!(syntax.len(), 1);
    assert_eq!(
        (syntax[0].path.as_str(), syntax[0].kind),
        ("rules.toml", ConfigProblemKind::Syntax)
    );
}

#[test]
fn a_missing_key_is_a_key_problem() {
    let e = RulesBuilder::new()
        .toml("[tables.users]\nemail = \"hash\"\n", "r")
        .key_from_env_lookup(|_| None)
        .build()
        .unwrap_err();
    let ErrorKind::Config(problems) = e.kind() else {
        panic!("{e}");
    };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].kind, ConfigProblemKind::Key);
    assert_eq!(problems[0].path, "key");
    assert_eq!(
        problems[0].to_string(),
        "key: no masking key: environment variable MASKER_KEY is not set"
    );
}

/// Issue 15: plan problems name the table, the column and the rule's path.
#[test]
fn plan_problems_name_table_column_rule_and_kind() {
    let rules = build(
        r#"
strict = true
[tables.users]
emial = "hash"
id = "null"
email = { transform = "constant", value = "x" }
phone = { transform = "hash", when = "nope = 1" }
memo = "keep"
"#,
    )
    .unwrap();
    let schema = users(Some("app"));
    let problems = rules.bind(&schema).unwrap_err();
    let got: Vec<(Option<&str>, Option<&str>, PlanProblemKind)> = problems
        .iter()
        .map(|p| (p.column.as_deref(), p.rule_path.as_deref(), p.kind))
        .collect();
    for want in [
        (
            Some("emial"),
            Some("tables.users.emial"),
            PlanProblemKind::NoSuchColumn,
        ),
        (
            Some("id"),
            Some("tables.users.id"),
            PlanProblemKind::DoesNotFit,
        ),
        (
            Some("email"),
            Some("tables.users.email"),
            PlanProblemKind::NotUnique,
        ),
        (
            Some("phone"),
            Some("tables.users.phone.when"),
            PlanProblemKind::NoSuchColumn,
        ),
        (Some("name"), None, PlanProblemKind::Unclassified),
        (Some("tiny"), None, PlanProblemKind::Unclassified),
    ] {
        assert!(got.contains(&want), "{want:?} not in {got:?}");
    }
    assert_eq!(got.len(), 6, "{problems:#?}");
    assert!(problems
        .iter()
        .all(|p| p.table.as_ref() == Some(&schema.name)));
    let emial = problems
        .iter()
        .find(|p| p.kind == PlanProblemKind::NoSuchColumn)
        .unwrap();
    assert_eq!(emial.message, "no such column");
    assert_eq!(
        emial.to_string(),
        "app.users.emial: no such column (tables.users.emial)"
    );
}
