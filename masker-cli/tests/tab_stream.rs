//! `masker mask --format tsv`: one table's TSV stream on stdin or from a
//! file, with its columns from `--schema`, `--columns` or `--header`; dialect
//! flags with mysqldump's escapes; errors with exit codes and positions,
//! never values.

mod util;

use util::*;

const DATA: &[u8] = b"1\tann@example.com\tsecret memo\\\nline two\n2\t\\N\t\n";

fn mask_stream(args: &[&str], stdin: &[u8]) -> std::process::Output {
    let rules = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        rules.path(),
        "[tables.users]\nemail = { transform = \"hash\", format = \"email\" }\nmemo = \"null\"\n",
    )
    .unwrap();
    let mut c = masker();
    c.env("MASKER_KEY", "stream test key")
        .args(["mask", "--rules"])
        .arg(rules.path())
        .args(["--format", "tsv", "--quiet"])
        .args(args);
    run(&mut c, Some(stdin))
}

#[test]
fn columns_flag_masks_by_position() {
    let out = mask_stream(&["--table", "users", "--columns", "id,email,memo"], DATA);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text:?}");
    assert!(lines[0].starts_with("1\t"));
    assert!(!text.contains("ann@example.com") && !text.contains("secret"));
    assert!(lines[0].ends_with("\t\\N"), "{text:?}");
    assert_eq!(lines[1], "2\t\\N\t\\N");
}

#[test]
fn header_and_schema_file() {
    let mut with_header = b"memo\temail\tid\n".to_vec();
    with_header.extend_from_slice(b"m\tbob@example.org\t7\n");
    let out = mask_stream(&["--table", "users", "--header"], &with_header);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(out.stdout.starts_with(b"memo\temail\tid\n\\N\t"));

    let schema = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        schema.path(),
        "CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(255), `memo` text);\n",
    )
    .unwrap();
    let s = schema.path().to_str().unwrap();
    let out = mask_stream(&["--schema", s], DATA);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!contains(&out.stdout, b"ann@example.com"));
}

#[test]
fn dialect_flags_take_escapes() {
    let csv = b"1,\"ann@example.com\",\"a, b\"\r\n";
    let out = mask_stream(
        &[
            "--table",
            "users",
            "--columns",
            "id,email,memo",
            "--fields-terminated-by",
            ",",
            "--fields-optionally-enclosed-by",
            "\"",
            "--lines-terminated-by",
            "\\r\\n",
        ],
        csv,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        out.stdout.starts_with(b"1,\""),
        "{:?}",
        out.stdout.escape_ascii().to_string()
    );
    assert!(out.stdout.ends_with(b",\\N\r\n"));
}

#[test]
fn errors_name_positions_not_values() {
    let out = mask_stream(
        &["--table", "users", "--columns", "id,email,memo"],
        b"1\ta@b.c\tm\n2\tsecret@example.com\tsecret\textra\n",
    );
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains("line 2") && err.contains("byte offset 10"),
        "{err}"
    );
    assert!(!err.contains("secret"), "{err}");

    let out = mask_stream(
        &["--table", "users", "--columns", "id,email,memo"],
        b"1\ta\tb\\",
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));

    let out = mask_stream(&["--table", "users"], DATA);
    assert_eq!(code(&out), 2, "no columns: {}", stderr(&out));

    // The rules name a column the stream does not have.
    let out = mask_stream(&["--table", "users", "--columns", "id,email"], DATA);
    assert_eq!(code(&out), 3, "{}", stderr(&out));

    let out = mask_stream(
        &[
            "--table",
            "users",
            "--columns",
            "id,email,memo",
            "--fields-escaped-by",
            "ab",
        ],
        DATA,
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
}

/// QA: `mariadb-dump --tab` writes a table's triggers after the `-- Dump
/// completed` line of its `table.sql`; such a directory was refused as a
/// truncated dump (and the error did not say which file).
#[test]
fn tab_dump_with_trigger_after_dump_completed_is_complete() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for f in [
        "people.sql",
        "people.txt",
        "people_log.sql",
        "people_log.txt",
    ] {
        let from = testdata(&format!("mariadb/tab_trigger/{f}"));
        std::fs::copy(from, input.join(f)).unwrap();
    }
    let people_sql = std::fs::read(input.join("people.sql")).unwrap();
    let completed = people_sql
        .windows(17)
        .position(|w| w == b"-- Dump completed")
        .expect("the real dump has its last line");
    assert!(
        contains(&people_sql[completed..], b"TRIGGER"),
        "the fixture's trigger comes after `-- Dump completed`"
    );
    let rules = tmp.path().join("rules.toml");
    std::fs::write(
        &rules,
        "[tables.people]\nemail = { transform = \"hash\", format = \"email\" }\nname = \"null\"\n[tables.people_log]\nemail = { transform = \"hash\", format = \"email\" }\n",
    )
    .unwrap();
    let mask_to = |out: &std::path::Path| {
        run(
            masker()
                .env("MASKER_KEY", "tab trigger test key")
                .args(["mask", "-q", "--rules"])
                .arg(&rules)
                .arg("--tab")
                .arg(&input)
                .arg("-o")
                .arg(out),
            None,
        )
    };
    let out = tmp.path().join("out");
    let o = mask_to(&out);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(std::fs::read(out.join("people.sql")).unwrap(), people_sql);
    for f in ["people.txt", "people_log.txt"] {
        let data = std::fs::read(out.join(f)).unwrap();
        assert!(!contains(&data, b"hanako@example.jp"), "{f} leaks");
        assert!(!contains(&data, b"Hanako"), "{f} leaks");
    }

    // Cut before its last line, the schema is still refused, naming the file.
    std::fs::write(input.join("people.sql"), &people_sql[..completed]).unwrap();
    let o = mask_to(&tmp.path().join("out2"));
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("people.sql"), "{}", stderr(&o));
    assert!(stderr(&o).contains("Dump completed"), "{}", stderr(&o));
    assert!(!tmp.path().join("out2").exists());
}
