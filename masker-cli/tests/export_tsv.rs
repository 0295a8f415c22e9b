//! `masker mask --to tsv`: the BigQuery export, end to end. The files parse
//! back with a strict CSV reader (tab, `"` quotes), headers match the schema
//! JSON, row counts match the tables, NULL and '' are told apart, multi-line
//! text survives, and the exported values equal the masked SQL's values.

mod util;

use std::collections::BTreeMap;
use std::path::Path;

use util::*;

/// Parse one export file: (header, rows).
fn read_tsv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quote(b'"')
        .double_quote(true)
        .flexible(false)
        .has_headers(true)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = rdr.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = rdr
        .records()
        .map(|r| r.unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .map(|r| r.iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// The `"name"` entries of a schema JSON file, in order.
fn schema_names(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.match_indices("\"name\": \"")
        .map(|(i, m)| {
            let rest = &text[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

#[test]
fn export_parses_back_and_matches_the_masked_sql() {
    require_mariadb();
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("export");
    let masked_sql = dir.path().join("masked.sql");
    let out = mask_file(
        &testdata("example/rules.toml"),
        &testdata("example/shop.sql"),
        &[
            "--to",
            "tsv",
            "--out-dir",
            out_dir.to_str().unwrap(),
            "-o",
            masked_sql.to_str().unwrap(),
        ],
        Some("export-test-key"),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("bq load"), "{}", stderr(&out));

    // Load the masked SQL to read its values back.
    let db = ScratchDb::create(&db_name("export", ""));
    let loaded = load_bytes(Some(db.name()), &std::fs::read(&masked_sql).unwrap(), &[]);
    assert!(loaded.status.success(), "{}", stderr(&loaded));

    for table in ["users", "orders"] {
        let tsv = out_dir.join(format!("{table}.tsv"));
        let (header, rows) = read_tsv(&tsv);
        assert_eq!(
            header,
            schema_names(&out_dir.join(format!("{table}.schema.json")))
        );
        let count: usize = sql(Some(db.name()), &format!("SELECT COUNT(*) FROM `{table}`"))
            .trim()
            .parse()
            .unwrap();
        assert_eq!(rows.len(), count, "{table}: row count");
    }

    // Masked values are the same in the export and in the SQL output.
    let (header, rows) = read_tsv(&out_dir.join("users.tsv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let from_sql: BTreeMap<String, (String, String, String, String)> = sql(
        Some(db.name()),
        "SELECT id, email, name, IFNULL(phone, 'SQL-NULL'), IFNULL(memo, 'SQL-NULL') FROM users",
    )
    .lines()
    .map(|l| {
        // NULL is the export's marker `\N`.
        let f: Vec<&str> = l
            .split('\t')
            .map(|v| if v == "SQL-NULL" { "\\N" } else { v })
            .collect();
        (
            f[0].to_owned(),
            (f[1].into(), f[2].into(), f[3].into(), f[4].into()),
        )
    })
    .collect();
    assert_eq!(from_sql.len(), rows.len());
    for r in &rows {
        let (email, name, phone, memo) = &from_sql[&r[col("id")]];
        assert_eq!(&r[col("email")], email);
        assert_eq!(&r[col("name")], name);
        assert_eq!(&r[col("phone")], phone);
        // `memo` is masked to NULL: the marker, never an empty string.
        assert_eq!(memo, "\\N");
        assert_eq!(&r[col("memo")], "\\N");
    }
    // No original value reaches the export.
    let export = std::fs::read(out_dir.join("users.tsv")).unwrap();
    for original in ["taro.yamada@example.jp", "山田 太郎", "090-1234-5678"] {
        assert!(!contains(&export, original.as_bytes()), "{original} leaked");
    }
}

#[test]
fn export_of_tricky_dump_keeps_nulls_empty_strings_and_newlines() {
    let dump = testdata("mariadb/dumps/default.sql");
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("x");
    let out = mask_file(
        &empty_rules(),
        &dump,
        &["--to", "tsv", "--out-dir", out_dir.to_str().unwrap()],
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // Without -o, no SQL is written.
    assert!(out.stdout.is_empty());
    let files = files_in(&out_dir, ".tsv");
    assert!(!files.is_empty());
    let mut saw_multiline = false;
    let mut saw_empty = false;
    let mut saw_null = false;
    for f in &files {
        let (header, rows) = read_tsv(f);
        let json = f.with_file_name(
            f.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .replace(".tsv", ".schema.json"),
        );
        assert_eq!(header, schema_names(&json), "{}", f.display());
        for r in rows {
            saw_multiline |= r.iter().any(|v| v.contains('\n'));
            saw_empty |= r.iter().any(String::is_empty);
            saw_null |= r.iter().any(|v| v == "\\N");
        }
    }
    assert!(saw_multiline && saw_empty && saw_null);
}

#[test]
fn tables_and_exclude_tables_choose_what_is_exported() {
    let dir = tempfile::tempdir().unwrap();
    let only = dir.path().join("only");
    let out = mask_file(
        &testdata("example/rules.toml"),
        &testdata("example/shop.sql"),
        &[
            "--to",
            "tsv",
            "--out-dir",
            only.to_str().unwrap(),
            "--tables",
            "users",
        ],
        Some("k"),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(only.join("users.tsv").exists());
    assert!(!only.join("orders.tsv").exists());
    let except = dir.path().join("except");
    let out = mask_file(
        &testdata("example/rules.toml"),
        &testdata("example/shop.sql"),
        &[
            "--to",
            "tsv",
            "--out-dir",
            except.to_str().unwrap(),
            "--exclude-tables",
            "users",
        ],
        Some("k"),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!except.join("users.tsv").exists());
    assert!(except.join("orders.tsv").exists());
}

/// Regression: a dump that defines a table twice (concatenated dumps), both
/// definitions in one chunk. The run failed with "export table users
/// already ended" (the first definition's rows came after its end), and
/// the `bq load` hint named the second table `DATASET.2`.
#[test]
fn a_table_defined_twice_exports_both_and_names_them_for_bq() {
    let dir = tempfile::tempdir().unwrap();
    let create =
        "CREATE TABLE `users` (\n  `id` int NOT NULL,\n  `email` varchar(64) NOT NULL\n);\n";
    let dump = dir.path().join("twice.sql");
    std::fs::write(
        &dump,
        format!(
            "{create}INSERT INTO `users` VALUES (1,'a@example.com');\n{create}INSERT INTO `users` VALUES (2,'b@example.com'),(3,'c@example.com');\n"
        ),
    )
    .unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, "[tables.users]\nemail = \"hash\"\n").unwrap();
    let out_dir = dir.path().join("bq");
    let out = mask_file(
        &rules,
        &dump,
        &["--to", "tsv", "--out-dir", out_dir.to_str().unwrap()],
        Some("k"),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(read_tsv(&out_dir.join("users.tsv")).1.len(), 1);
    assert_eq!(read_tsv(&out_dir.join("users.2.tsv")).1.len(), 2);
    // The files themselves hold no original email.
    for f in files_in(&out_dir, "") {
        let text = std::fs::read(&f).unwrap();
        assert!(!contains(&text, b"example.com"), "{}", f.display());
    }
    let err = stderr(&out);
    assert!(err.contains("'DATASET.users' "), "{err}");
    assert!(err.contains("'DATASET.users_2' "), "{err}");
    assert!(!err.contains("example.com"), "{err}");
}
