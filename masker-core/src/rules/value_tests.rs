//! Tests of the value-level rules through the rules file: syntax, every
//! config error at once with its path, binding to columns, and whole dumps.

use super::*;
use crate::schema::{Column, ColumnType, TableName, TableSchema};
use crate::transform::Cell;

const KEY: &str = "value-rules-test-key-0123";

/// The rules, or their problems as printed.
fn build_with_key(text: &str, key: &str) -> Result<Rules, Vec<String>> {
    let key = key.to_owned();
    RulesBuilder::new()
        .toml(text, "rules.toml")
        .key_from_env_lookup(move |n| (n == "MASKER_KEY").then(|| key.clone().into()))
        .build()
        .map_err(|e| match e.into_kind() {
            ErrorKind::Config(v) => v.iter().map(ToString::to_string).collect(),
            other => panic!("{other:?}"),
        })
}

fn build(text: &str) -> Result<Rules, Vec<String>> {
    build_with_key(text, KEY)
}

fn table(columns: Vec<Column>) -> TableSchema {
    TableSchema {
        name: TableName::new(None, "t"),
        columns,
        primary_key: vec![],
        unique_keys: vec![],
        default_charset: Some("utf8mb4".into()),
        default_collation: None,
        foreign_keys: vec![],
    }
}

fn vc(name: &str, n: u32) -> Column {
    Column::new(
        name,
        ColumnType::Char {
            max_chars: n,
            fixed: false,
        },
    )
}

/// Bind `rules` to `schema` and mask `v` in column `i`.
fn mask(rules: &Rules, schema: &TableSchema, i: usize, v: &str) -> Result<Option<String>, String> {
    let plan = rules
        .bind(schema)
        .map_err(|e| {
            let lines: Vec<String> = e.iter().map(ToString::to_string).collect();
            lines.join("\n")
        })?
        .expect("a plan");
    let mut out = Vec::new();
    match plan.columns[i]
        .as_ref()
        .expect("masked")
        .apply(Some(v.as_bytes()), &mut out)
        .map_err(|e| e.0)?
    {
        Cell::Null => Ok(None),
        Cell::Value => Ok(Some(String::from_utf8(out).unwrap())),
    }
}

const JSON_RULES: &str = r#"
[tables.t]
profile = { json = { "owner.email" = { transform = "hash", format = "email" }, "tags[]" = "null", "contacts[].phone" = "fpe", "age" = { noise = { absolute = 3 } }, "born" = { date_shift = { max_days = 30 } } } }
"#;

#[test]
fn the_issue_example_masks_inside_json() {
    let rules = build(JSON_RULES).unwrap();
    let schema = table(vec![Column::new("profile", ColumnType::Json)]);
    let doc = r#"{"owner": {"email": "ann@corp.jp", "name": "Ann"}, "tags": ["a", "b"],
 "contacts": [{"phone": "090-1234-5678", "kind": "mobile"}], "age": 40, "born": "1984-05-06"}"#;
    let out = mask(&rules, &schema, 0, doc).unwrap().unwrap();
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let email = v["owner"]["email"].as_str().unwrap();
    assert!(
        email.ends_with("@example.com") && email != "ann@corp.jp",
        "{email}"
    );
    assert_eq!(v["owner"]["name"], "Ann");
    assert_eq!(v["tags"], serde_json::json!([null, null]));
    let phone = v["contacts"][0]["phone"].as_str().unwrap();
    assert_eq!(phone.len(), 13);
    assert_ne!(phone, "090-1234-5678");
    assert_eq!(&phone[..1], "0");
    assert_eq!(v["contacts"][0]["kind"], "mobile");
    let age = v["age"].as_i64().expect("noise keeps a number a number");
    assert!((37..=43).contains(&age), "{age}");
    assert_ne!(v["born"], "1984-05-06");
    // Untouched bytes stay: the newline and spacing around "contacts".
    assert!(out.contains("],\n \"contacts\": [{\"phone\": \""), "{out}");
    // The same key gives the same document; another key another one.
    assert_eq!(mask(&rules, &schema, 0, doc).unwrap().unwrap(), out);
    let other = build_with_key(JSON_RULES, "another-key-0123456789").unwrap();
    assert_ne!(mask(&other, &schema, 0, doc).unwrap().unwrap(), out);
    // Invalid JSON is an error, never passed through, and never quoted.
    let e = mask(&rules, &schema, 0, r#"{"owner": "secret"#).unwrap_err();
    assert!(
        e.starts_with("invalid JSON at byte 17 of the value: expected a closing"),
        "{e}"
    );
    assert!(!e.contains("secret"));
    let plan = rules.bind(&schema).unwrap().unwrap();
    let d = plan.columns[0].as_ref().unwrap().describe();
    assert!(
        d.starts_with("json { age -> noise within ±3, keyed; born -> date_shift by 1 to 30 days"),
        "{d}"
    );
    assert!(d.contains("owner.email -> hash format=email"), "{d}");
}

#[test]
fn every_config_error_at_once_with_its_path() {
    let errs = build(
        r#"
[tables.t]
a = { json = { "owner..email" = "hash", "ok" = "hsah", "x" = { json = { "y" = "null" } } } }
b = { transform = "json" }
c = { transform = "regex_replace", pattern = "(" , value = "x" }
d = { transform = "regex_replace", pattern = "a" }
e = { transform = "dictionary" }
f = { date_shift = { } }
g = { noise = { relative = 0.1, absolute = 2 } }
h = { transform = "null", separator = "," }
i = { transform = "hash", separator = "" }
j = { noise = { relative = -1 } }
k = { transform = "regex_replace", pattern = "a", with = "keep" }
l = { date_shift = { max_days = 0 } }
m = { transform = "dictionary", values = { a = 1 } }
"#,
    )
    .unwrap_err();
    let want = [
        "tables.t.a.json.\"owner..email\": invalid JSON path: empty member name at byte 6",
        "tables.t.a.json.ok: unknown transform \"hsah\"",
        "tables.t.a.json.x: json cannot be nested in json",
        "tables.t.b: json needs paths",
        "tables.t.c.pattern: invalid regular expression",
        "tables.t.d: regex_replace needs with (a rule for each match) or value (a constant)",
        "tables.t.e: dictionary needs values",
        "tables.t.f.date_shift: date_shift needs max_days",
        "tables.t.g.noise: give either relative or absolute, not both",
        "tables.t.h.separator: only for transforms that write each element",
        "tables.t.i.separator: expected a non-empty string",
        "tables.t.j.noise.relative: expected a positive number",
        "tables.t.k.with: with must write a value (not keep, null or json)",
        "tables.t.l.date_shift.max_days: expected a whole number of days, 1 to 36500",
        "tables.t.m.values.a: expected a string",
    ];
    for w in want {
        assert!(
            errs.iter().any(|e| e.starts_with(w)),
            "missing {w:?} in:\n{}",
            errs.join("\n")
        );
    }
    assert_eq!(errs.len(), want.len(), "{}", errs.join("\n"));
}

#[test]
fn separator_masks_each_element() {
    let rules = build(
        r#"
[tables.t]
emails = { transform = "hash", format = "email", separator = "," }
cities = { dictionary = { values = { tokyo = "osaka", kyoto = "nara" } }, separator = ";" }
"#,
    )
    .unwrap();
    let schema = table(vec![vc("emails", 255), vc("cities", 40)]);
    let out = mask(&rules, &schema, 0, "a@x.com, b@y.com")
        .unwrap()
        .unwrap();
    let parts: Vec<&str> = out.split(", ").collect();
    assert_eq!(parts.len(), 2, "{out}");
    assert!(parts.iter().all(|p| p.ends_with("@example.com")), "{out}");
    // The same element gets the same pseudonym as alone.
    let alone = mask(&rules, &schema, 0, "a@x.com").unwrap().unwrap();
    assert_eq!(parts[0], alone);
    assert_eq!(
        mask(&rules, &schema, 1, "tokyo;kyoto").unwrap().unwrap(),
        "osaka;nara"
    );
    let e = mask(&rules, &schema, 1, "tokyo;sapporo").unwrap_err();
    assert!(
        e.contains("not in the dictionary") && !e.contains("sapporo"),
        "{e}"
    );
    // Too many elements for the column: an error, never a cut value.
    let e = mask(&rules, &schema, 0, "a@b.c,d@e.f,g@h.i,j@k.l").unwrap_err();
    assert!(e.contains("does not fit the column"), "{e}");
}

#[test]
fn regex_replace_masks_matches_in_free_text() {
    let rules = build(
        r#"
[tables.t]
note = { transform = "regex_replace", pattern = '[\w.+-]+@[\w-]+\.[\w.]+', with = { transform = "hash", format = "email" } }
memo = { transform = "regex_replace", pattern = '0\d{1,4}-\d{1,4}-\d{4}', value = "[phone]" }
"#,
    )
    .unwrap();
    let text = ColumnType::Text { max_bytes: 65535 };
    let schema = table(vec![
        Column::new("note", text.clone()),
        Column::new("memo", text),
    ]);
    let out = mask(&rules, &schema, 0, "連絡先: ann@corp.jp まで")
        .unwrap()
        .unwrap();
    assert!(
        out.starts_with("連絡先: ") && out.ends_with("@example.com まで"),
        "{out}"
    );
    assert!(!out.contains("ann@corp.jp"));
    assert_eq!(
        mask(&rules, &schema, 1, "call 090-1234-5678 or 03-1234-5678")
            .unwrap()
            .unwrap(),
        "call [phone] or [phone]"
    );
}

#[test]
fn dictionary_unlisted_and_column_checks() {
    let rules = build(
        r#"
[tables.t]
city = { transform = "dictionary", values = { tokyo = "osaka" }, unlisted = { transform = "hash" } }
kept = { transform = "dictionary", values = { tokyo = "osaka" }, unlisted = "keep" }
nul  = { transform = "dictionary", values = { tokyo = "osaka" }, unlisted = "null" }
"#,
    )
    .unwrap();
    let schema = table(vec![vc("city", 10), vc("kept", 10), vc("nul", 10)]);
    assert_eq!(mask(&rules, &schema, 0, "tokyo").unwrap().unwrap(), "osaka");
    assert_eq!(
        mask(&rules, &schema, 0, "kyoto").unwrap().unwrap().len(),
        10
    );
    assert_eq!(mask(&rules, &schema, 1, "kyoto").unwrap().unwrap(), "kyoto");
    assert_eq!(mask(&rules, &schema, 2, "kyoto").unwrap(), None);
    // A mapped value too long for the column is refused at bind time.
    let rules = build(
        "[tables.t]\ncity = { transform = \"dictionary\", values = { tokyo = \"a-very-long-city\" } }\n",
    )
    .unwrap();
    let e = rules.bind(&table(vec![vc("city", 5)])).unwrap_err();
    assert_eq!(e[0].kind, PlanProblemKind::DoesNotFit);
    assert!(
        e[0].to_string()
            .contains("t.city: dictionary value for tokyo: constant is longer than the column"),
        "{e:?}"
    );
}

#[test]
fn bind_refuses_columns_that_cannot_hold_the_result() {
    let rules = build(
        r#"
[tables.t]
n = { json = { "a" = "hash" } }
d = { noise = { relative = 0.1 } }
x = { date_shift = { max_days = 10 } }
j = { json = { "a" = "partial", "b" = { transform = "constant", value = "x" } } }
"#,
    )
    .unwrap();
    let schema = table(vec![
        Column::new(
            "n",
            ColumnType::Integer {
                bytes: 4,
                unsigned: false,
            },
        ),
        Column::new("d", ColumnType::Date),
        Column::new("x", ColumnType::Year),
        Column::new("j", ColumnType::Json),
    ]);
    let e: Vec<String> = rules
        .bind(&schema)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        e,
        vec![
            "t.d: noise needs a numeric or text column (tables.t.d)",
            "t.n: json needs a JSON or text column (tables.t.n)",
            "t.x: date_shift needs a DATE, DATETIME, TIMESTAMP or text column (tables.t.x)",
        ]
    );
}

#[test]
fn keyed_value_rules_need_the_key() {
    let r = RulesBuilder::new()
        .toml(
            "[tables.t]\nj = { json = { a = \"hash\" } }\n",
            "rules.toml",
        )
        .key_from_env_lookup(|_| None)
        .build();
    let e = r.unwrap_err().to_string();
    assert!(e.contains("no masking key"), "{e}");
    // Unkeyed nested rules need none.
    assert!(RulesBuilder::new()
        .toml(
            "[tables.t]\nj = { json = { a = \"null\" } }\n",
            "rules.toml"
        )
        .key_from_env_lookup(|_| None)
        .build()
        .is_ok());
}

#[test]
fn invalid_json_in_a_dump_names_table_column_and_line() {
    let rules = build("[tables.t]\nj = { json = { a = \"hash\" } }\n").unwrap();
    let dump = b"CREATE TABLE `t` (`id` int, `j` json);\n\
INSERT INTO `t` VALUES (1,'{\\\"a\\\":\\\"x\\\"}');\n\
INSERT INTO `t` VALUES (2,'{\\\"a\\\": secret}');\n";
    let e = crate::mask_slice(&rules, dump).unwrap_err().to_string();
    assert!(e.contains("line 3"), "{e}");
    assert!(e.contains("cannot mask t.j: invalid JSON at byte 6"), "{e}");
    assert!(!e.contains("secret"), "{e}");
    let second = dump.windows(5).position(|w| w == b"(2,'{").unwrap();
    let ok = crate::mask_slice(&rules, &dump[..second - 23]).unwrap();
    let text = String::from_utf8(ok).unwrap();
    assert!(text.contains("(1,'{\\\"a\\\":\\\""), "{text}");
}

#[test]
fn json_members_compare_exactly() {
    // A JSON column's collation never folds its members: JSON compares
    // strings exactly, so "A " and "a" keep distinct pseudonyms.
    let rules = build("[tables.t]\nj = { json = { a = \"hash\" } }\n").unwrap();
    let mut col = Column::new("j", ColumnType::Text { max_bytes: 1 << 20 });
    col.collation = Some("utf8mb4_general_ci".into());
    let schema = table(vec![col]);
    let m = |v: &str| mask(&rules, &schema, 0, v).unwrap().unwrap();
    assert_ne!(m(r#"{"a":"A "}"#), m(r#"{"a":"a"}"#));
    let plan = rules.bind(&schema).unwrap().unwrap();
    assert_eq!(
        plan.columns[0].as_ref().unwrap().describe(),
        "json { a -> hash hex(64) }"
    );
}

#[test]
fn small_fpe_domains_inside_values_are_counted() {
    let rules = build(
        "[tables.t]\nj = { json = { a = \"fpe\" } }\nl = { transform = \"fpe\", separator = \",\" }\n",
    )
    .unwrap();
    let schema = table(vec![Column::new("j", ColumnType::Json), vc("l", 100)]);
    let plan = rules.bind(&schema).unwrap().unwrap();
    let mut out = Vec::new();
    let j = plan.columns[0].as_ref().unwrap();
    j.apply(Some(br#"{"a":"ab","b":"cd"}"#), &mut out).unwrap();
    assert_eq!(j.small_domain_values(), 1);
    let l = plan.columns[1].as_ref().unwrap();
    l.apply(Some(b"ab,cd,0901234567"), &mut out).unwrap();
    assert_eq!(l.small_domain_values(), 2);
}
