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
