//! Issue 13's value-level rules through the CLI: `explain` in words, and
//! the database test: a real mariadb-dump
//! with a JSON column (and lists, free text, dates, amounts, a dictionary),
//! masked at 1 and 4 threads (byte-identical), loaded back with warnings
//! shown, then compared with the original in SQL: every document
//! `JSON_VALID`, untouched paths equal by `JSON_EXTRACT`, masked paths
//! changed, shifted dates and noisy amounts within their windows.

mod util;

use util::*;

const KEY: &str = "value-rules-db-test-key-51c2";

const RULES: &str = r#"
[tables.people]
id      = "keep"
profile = { json = { "owner.email" = { transform = "hash", format = "email" }, "tags[]" = "null", "contacts[].phone" = "fpe", "age" = { noise = { absolute = 3 } }, "secret" = "null" } }
emails  = { transform = "hash", format = "email", separator = "," }
note    = { transform = "regex_replace", pattern = '[\w.+-]+@[\w-]+\.[\w.]+', with = { transform = "hash", format = "email" } }
born    = { date_shift = { max_days = 180 } }
amount  = { noise = { relative = 0.1 } }
city    = { dictionary = { values = { tokyo = "osaka", kyoto = "nara" }, unlisted = "keep" } }
"#;

const ROWS: usize = 300;

fn q(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn profile(i: usize) -> String {
    let tags = match i % 3 {
        0 => "[]".to_owned(),
        1 => format!("[\"t{i}\", \"vip\"]"),
        _ => format!("[\"a\\\"q\", {i}, true]"),
    };
    format!(
        "{{\"owner\": {{\"email\": \"user{i}@corp.example.jp\", \"name\": \"名前 {i} \\u00e9\"}},\
         \n  \"tags\": {tags}, \"contacts\": [{{\"phone\": \"090-{:04}-{:04}\", \"kind\": \"mobile\"}}, \
         {{\"phone\": \"03-1234-{:04}\", \"kind\": \"home\", \"n\": {}}}],\
         \"age\": {}, \"big\": 123456789012345678901234567890, \"secret\": {{\"pin\": {i}}}, \"deep\": [[[{{\"x\": \"\\ud83d\\ude00\"}}]]]}}",
        i,
        9999 - i,
        i,
        i as f64 / 7.0,
        20 + i % 50
    )
}

fn populate(db: &str) {
    let mut s = String::from(
        "SET NAMES utf8mb4;
CREATE TABLE people (
  id int unsigned NOT NULL PRIMARY KEY,
  profile json DEFAULT NULL,
  emails varchar(255) DEFAULT NULL,
  note text DEFAULT NULL,
  born date DEFAULT NULL,
  amount decimal(10,2) DEFAULT NULL,
  city varchar(20) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO people VALUES\n",
    );
    for i in 1..=ROWS {
        let prof = if i % 25 == 0 {
            "NULL".to_owned()
        } else {
            q(&profile(i))
        };
        s.push_str(&format!(
            "({i},{prof},{},{},'{}-{:02}-{:02}',{}.{:02},{}){}\n",
            q(&format!("a{i}@x.example, b{i}@y.example")),
            q(&format!("call me at c{i}@mail.example or later; it's fine")),
            1950 + i % 60,
            1 + i % 12,
            1 + i % 28,
            100 + i * 7,
            i % 100,
            q(["tokyo", "kyoto", "sapporo"][i % 3]),
            if i == ROWS { ";" } else { "," }
        ));
    }
    sql(Some(db), &s);
}

/// One number from a query.
fn count(query: &str) -> i64 {
    sql(None, query)
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("{query}"))
}

#[test]
fn value_rules_mask_a_real_dump_that_loads_back() {
    require_mariadb();
    let src_db = ScratchDb::create(&db_name("vrules", "src"));
    let dst_db = ScratchDb::create(&db_name("vrules", "dst"));
    let (src, dst) = (src_db.name(), dst_db.name());
    populate(src);
    let dir = tempfile::tempdir().unwrap();
    let dump_bytes = dump(&["--default-character-set=utf8mb4", "--skip-dump-date", src]);
    let dump_path = dir.path().join("dump.sql");
    std::fs::write(&dump_path, &dump_bytes).unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, RULES).unwrap();

    let masked = mask_ok(&rules, &dump_path, &["-q", "--threads", "1"], Some(KEY));
    let masked4 = mask_ok(&rules, &dump_path, &["-q", "--threads", "4"], Some(KEY));
    assert_same_bytes("--threads 1 vs --threads 4", &masked, &masked4);
    let again = mask_ok(&rules, &dump_path, &["-q", "--threads", "2"], Some(KEY));
    assert_same_bytes("a second run", &masked, &again);
    let other = mask_ok(&rules, &dump_path, &["-q"], Some("another-key-0123456789"));
    assert_ne!(masked, other, "another key masks differently");

    let out = load_bytes(Some(dst), &masked, &["--show-warnings"]);
    let log = stdout_str(&out) + &stderr(&out);
    assert!(
        out.status.success(),
        "load failed:\n{}",
        truncate(&log, 3000)
    );
    assert!(
        !log.contains("Warning"),
        "load warned:\n{}",
        truncate(&log, 3000)
    );

    let join = format!("FROM `{src}`.people s JOIN `{dst}`.people d USING (id)");
    assert_eq!(count(&format!("SELECT COUNT(*) {join}")), ROWS as i64);
    // Every masked document is valid JSON, and NULL stayed NULL.
    assert_eq!(
        count(&format!(
            "SELECT COUNT(*) {join} WHERE d.profile IS NOT NULL AND JSON_VALID(d.profile) = 1"
        )),
        (ROWS - ROWS / 25) as i64
    );
    assert_eq!(
        count(&format!(
            "SELECT COUNT(*) {join} WHERE (s.profile IS NULL) <> (d.profile IS NULL)"
        )),
        0
    );
    // Untouched paths compare equal, byte for byte. (MariaDB 10.11's `<=>`
    // on two JSON_EXTRACT results holding an escape says they differ even
    // when their bytes are the same, so the bytes are compared.)
    for path in [
        "$.owner.name",
        "$.contacts[0].kind",
        "$.contacts[1].kind",
        "$.contacts[1].n",
        "$.big",
        "$.deep",
    ] {
        assert_eq!(
            count(&format!(
                "SELECT COUNT(*) {join} WHERE s.profile IS NOT NULL AND NOT \
                 (HEX(JSON_EXTRACT(s.profile, '{path}')) <=> HEX(JSON_EXTRACT(d.profile, '{path}')))"
            )),
            0,
            "{path} changed"
        );
    }
    // Masked paths changed, with the documented shapes.
    let changed = |path: &str| {
        count(&format!(
            "SELECT COUNT(*) {join} WHERE s.profile IS NOT NULL AND \
             HEX(JSON_EXTRACT(s.profile, '{path}')) <=> HEX(JSON_EXTRACT(d.profile, '{path}'))"
        ))
    };
    for path in [
        "$.owner.email",
        "$.contacts[0].phone",
        "$.contacts[1].phone",
        "$.secret",
    ] {
        assert_eq!(changed(path), 0, "{path} kept its value somewhere");
    }
    assert_eq!(
        count(&format!(
            "SELECT COUNT(*) {join} WHERE d.profile IS NOT NULL AND \
             JSON_UNQUOTE(JSON_EXTRACT(d.profile, '$.owner.email')) NOT LIKE '%@example.com'"
        )),
        0
    );
    assert_eq!(
        count(&format!(
            "SELECT COUNT(*) {join} WHERE JSON_TYPE(JSON_EXTRACT(d.profile, '$.secret')) <> 'NULL'"
        )),
        0
    );
    assert_eq!(
        count(&format!(
            "SELECT COUNT(*) {join} WHERE JSON_LENGTH(s.profile, '$.tags') <> JSON_LENGTH(d.profile, '$.tags') \
             OR JSON_EXTRACT(d.profile, '$.tags') NOT REGEXP '^\\\\[(null)?( *, *null)*\\\\]$'"
        )),
        0,
        "tags[] must become nulls, as many as before"
    );
    assert_eq!(
        count(&format!(
            "SELECT COUNT(*) {join} WHERE JSON_TYPE(JSON_EXTRACT(d.profile, '$.age')) <> 'INTEGER' \
             OR ABS(JSON_EXTRACT(d.profile, '$.age') - JSON_EXTRACT(s.profile, '$.age')) > 3"
        )),
        0,
        "age stays an integer within ±3"
    );
    assert!(
        changed("$.age") < (ROWS / 2) as i64,
        "noise moved most ages"
    );
    // The other value rules.
    assert_eq!(
        count(&format!(
            "SELECT COUNT(*) {join} WHERE d.emails = s.emails OR d.emails NOT LIKE '%@example.com, %@example.com'"
        )),
        0
    );
    assert_eq!(
        count(&format!(
            "SELECT COUNT(*) {join} WHERE d.note NOT LIKE 'call me at %@example.com or later; it''s fine' \
             OR d.note LIKE '%mail.example%'"
        )),
        0
    );
    assert_eq!(
        count(&format!(
            "SELECT COUNT(*) {join} WHERE d.born = s.born OR ABS(DATEDIFF(d.born, s.born)) > 180"
        )),
        0
    );
    assert_eq!(
        count(&format!(
            "SELECT COUNT(*) {join} WHERE ABS(d.amount - s.amount) > s.amount * 0.1 + 0.01"
        )),
        0
    );
    assert!(
        count(&format!("SELECT COUNT(*) {join} WHERE d.amount = s.amount")) < (ROWS / 10) as i64
    );
    assert_eq!(
        count(&format!(
            "SELECT COUNT(*) {join} WHERE NOT (d.city <=> CASE s.city WHEN 'tokyo' THEN 'osaka' \
             WHEN 'kyoto' THEN 'nara' ELSE s.city END)"
        )),
        0
    );
}

#[test]
fn invalid_json_in_a_masked_column_stops_the_run_with_its_place() {
    require_mariadb();
    let dir = tempfile::tempdir().unwrap();
    let dump_path = dir.path().join("bad.sql");
    std::fs::write(
        &dump_path,
        "CREATE TABLE `people` (`id` int NOT NULL, `profile` text);\n\
         INSERT INTO `people` VALUES (1,'{\\\"owner\\\":{\\\"email\\\":\\\"a@b.c\\\"}}');\n\
         INSERT INTO `people` VALUES (2,'{\\\"owner\\\": private-data}');\n",
    )
    .unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "[tables.people]\nprofile = { json = { \"owner.email\" = \"hash\" } }\n",
    )
    .unwrap();
    let out = mask_file(&rules, &dump_path, &["-q"], Some(KEY));
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("line 3"), "{err}");
    assert!(
        err.contains("cannot mask people.profile: invalid JSON at byte 10 of the value"),
        "{err}"
    );
    assert!(!err.contains("private-data"), "{err}");
}

#[test]
fn explain_shows_value_rules_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let dump_path = dir.path().join("schema.sql");
    std::fs::write(
        &dump_path,
        "CREATE TABLE `people` (`id` int unsigned NOT NULL, `profile` json, \
         `emails` varchar(255), `note` text, `born` date, `amount` decimal(10,2), \
         `city` varchar(20), PRIMARY KEY (`id`));\n",
    )
    .unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, RULES).unwrap();
    let out = run(
        masker()
            .args(["explain", "--rules"])
            .arg(&rules)
            .arg(&dump_path)
            .env("MASKER_KEY", KEY),
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout_str(&out);
    for want in [
        "profile  json { age -> noise within ±3, keyed; contacts[].phone -> fpe; \
         owner.email -> hash format=email; secret -> null; tags[] -> null }",
        "emails   hash format=email on each element separated by \",\"",
        "note     regex_replace /[\\w.+-]+@[\\w-]+\\.[\\w.]+/ -> hash format=email",
        "born     date_shift by 1 to 180 days, keyed per value",
        "amount   noise within ±10% of the value, keyed",
        "city     dictionary of 2 values; others: kept",
    ] {
        assert!(text.contains(want), "explain lacks {want:?}:\n{text}");
    }
}
