//! Library tests of TSV masking ([`mask_tsv`], [`mask_tab_dir`]): empty rules
//! are the identity in every dialect, chunk size and thread count; masked
//! values are decoded, transformed and re-encoded so that they read back;
//! output is identical for every thread count; wrong field counts, truncated
//! input and bad headers are errors with a position and never a value.

use masker_core::rules::{Rules, RulesBuilder};
use masker_core::schema::{parse_create_table, TableName, TableSchema};
use masker_core::tokenizer::tsv::{split_all, unescape_into, TsvDialect};
use masker_core::tsv::{mask_tsv, text_schema, TsvOptions};
use masker_core::{ErrorKind, PlanProblemKind, Summary};

const CREATE: &str = "CREATE TABLE `users` (\n  `id` int NOT NULL,\n  `email` varchar(255) DEFAULT NULL,\n  `memo` text,\n  `name` varchar(50) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;";

fn schema() -> TableSchema {
    parse_create_table(CREATE.as_bytes()).expect("valid CREATE TABLE")
}

fn rules(toml: &str) -> Rules {
    RulesBuilder::new()
        .toml(toml, "test.toml")
        .key(b"test key, not secret")
        .build()
        .unwrap()
}

const RULES: &str = "[tables.users]\nemail = { transform = \"hash\", format = \"email\" }\nmemo = \"null\"\nname = { transform = \"constant\", value = \"a\\tb\\nc\\\\d\" }\n";

fn run(
    rules: &Rules,
    schema: &TableSchema,
    d: &TsvDialect,
    input: &[u8],
    threads: usize,
    chunk: usize,
    header: bool,
) -> masker_core::Result<(Vec<u8>, Summary)> {
    let mut out = Vec::new();
    let opts = TsvOptions {
        threads,
        chunk_size: chunk,
        header,
        allow_missing: false,
    };
    let s = mask_tsv(rules, schema, d, input, &mut out, &opts)?;
    Ok((out, s))
}

/// Rows of decoded values.
fn rows(d: &TsvDialect, data: &[u8]) -> Vec<Vec<Option<Vec<u8>>>> {
    let mut rows = vec![Vec::new()];
    for f in split_all(d, data).unwrap() {
        let v = (!f.null).then(|| {
            let mut v = Vec::new();
            unescape_into(
                d,
                &data[f.span.start as usize..f.span.end as usize],
                f.enclosed,
                &mut v,
            );
            v
        });
        rows.last_mut().unwrap().push(v);
        if f.row_end {
            rows.push(Vec::new());
        }
    }
    rows.pop();
    rows
}

fn sample(n: usize) -> Vec<u8> {
    let mut s = Vec::new();
    for i in 0..n {
        s.extend_from_slice(
            format!(
                "{i}\tuser{i}@example.com\tline one\\\nline\\ttwo \\\\ {i}\t\\N\n{}\tu{i}@x.jp\t\t日本語 {i}\n",
                i + 100_000
            )
            .as_bytes(),
        );
    }
    s
}

#[test]
fn empty_rules_are_the_identity() {
    let input = sample(300);
    for threads in [1, 2, 4] {
        for chunk in [1, 7, 100, 1 << 20] {
            let (out, s) = run(
                &Rules::empty(),
                &schema(),
                &TsvDialect::default(),
                &input,
                threads,
                chunk,
                false,
            )
            .unwrap();
            assert_eq!(out, input, "threads {threads}, chunk {chunk}");
            assert_eq!(s.rows, 600);
            assert_eq!(s.bytes_in, input.len() as u64);
            assert!(s.masked.is_empty());
        }
    }
}

#[test]
fn identity_in_other_dialects_and_without_final_newline() {
    let csv = TsvDialect::builder()
        .fields_terminated_by(b",")
        .fields_optionally_enclosed_by(b"\"")
        .lines_terminated_by(b"\r\n")
        .build()
        .unwrap();
    let input = b"1,\"a,\"\"b\"\"\",NULL,\"x\r\ny\"\r\n2,\"\",\\N,\"\\\"\"";
    for chunk in [1, 3, 1000] {
        let (out, s) = run(&Rules::empty(), &schema(), &csv, input, 2, chunk, false).unwrap();
        assert_eq!(out, input);
        assert_eq!(s.rows, 2);
    }
    let input = b"1\ta\tb\tc";
    let (out, s) = run(
        &Rules::empty(),
        &schema(),
        &TsvDialect::default(),
        input,
        1,
        2,
        false,
    )
    .unwrap();
    assert_eq!(out, input);
    assert_eq!(s.rows, 1);
}

#[test]
fn masks_and_reencodes() {
    let d = TsvDialect::default();
    let input = sample(50);
    let r = rules(RULES);
    let (out, s) = run(&r, &schema(), &d, &input, 2, 64, false).unwrap();
    let before = rows(&d, &input);
    let after = rows(&d, &out);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(a[0], b[0], "id kept");
        let email = a[1].as_ref().unwrap();
        assert_ne!(Some(email), b[1].as_ref());
        assert!(email.contains(&b'@'));
        assert_eq!(a[2], None, "memo nulled");
        assert_eq!(a[3].as_deref(), Some(&b"a\tb\nc\\d"[..]));
    }
    assert_eq!(s.masked.get("users.email"), Some(&100));
    assert_eq!(s.masked.get("users.memo"), Some(&100));
    // Deterministic: the same email gives the same pseudonym wherever it is.
    let again = run(&r, &schema(), &d, &input, 1, 1 << 20, false).unwrap().0;
    assert_eq!(again, out);
}

#[test]
fn output_is_identical_for_every_thread_count_and_chunk_size() {
    let d = TsvDialect::default();
    let input = sample(2000);
    let r = rules(RULES);
    let (want, _) = run(&r, &schema(), &d, &input, 1, 1 << 20, false).unwrap();
    for threads in [2, 3, 4] {
        for chunk in [1, 1000, 4096] {
            let (got, _) = run(&r, &schema(), &d, &input, threads, chunk, false).unwrap();
            assert!(got == want, "threads {threads}, chunk {chunk}");
        }
    }
}

#[test]
fn enclosed_dialect_masks_inside_the_enclosure() {
    let d = TsvDialect::builder()
        .fields_terminated_by(b",")
        .fields_enclosed_by(b"\"")
        .build()
        .unwrap();
    let input = b"\"1\",\"a@b.c\",\"memo, with comma\",\"n\"\n\"2\",\\N,\"x\",\"y\"\n";
    let (out, _) = run(&rules(RULES), &schema(), &d, input, 1, 8, false).unwrap();
    let after = rows(&d, &out);
    assert_eq!(after.len(), 2);
    assert_eq!(after[0][0].as_deref(), Some(&b"1"[..]));
    assert_eq!(after[0][2], None);
    assert_eq!(after[1][1], None, "hash keeps NULL");
    assert_eq!(after[1][3].as_deref(), Some(&b"a\tb\nc\\d"[..]));
    assert!(out.starts_with(b"\"1\",\""), "{}", out.escape_ascii());
}

#[test]
fn wrong_field_count_is_an_error_with_its_position() {
    let d = TsvDialect::default();
    let mut input = sample(20);
    let at = input.len();
    input.extend_from_slice(b"99\tsecret@example.com\tsecret memo\n");
    for (threads, chunk) in [(1, 1 << 20), (2, 10)] {
        for r in [Rules::empty(), rules(RULES)] {
            let e = run(&r, &schema(), &d, &input, threads, chunk, false).unwrap_err();
            let pos = e.position().expect("positioned");
            assert_eq!(pos.byte, at as u64);
            assert_eq!(
                pos.line,
                20 * 3 + 1,
                "lines: two rows of 20, one with a newline"
            );
            let msg = e.to_string();
            assert!(msg.contains("3 fields but 4"), "{msg}");
            assert!(!msg.contains("secret"), "{msg}");
        }
    }
}

/// A file written with `FIELDS TERMINATED BY ','` read as tab-separated:
/// every row is one field. The error says the row holds no terminator and
/// that the file must be read in the dialect it was written in (no value).
#[test]
fn a_comma_separated_file_read_as_tsv_names_the_dialect() {
    let input = b"1,\"secret@example.com\",\"memo, 1\",\"n\"\n";
    for r in [Rules::empty(), rules(RULES)] {
        let e = run(
            &r,
            &schema(),
            &TsvDialect::default(),
            input,
            1,
            1 << 20,
            false,
        )
        .unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("has 1 fields but 4"), "{msg}");
        assert!(
            msg.contains("the row holds no field terminator `\\t`: if the file was written with other FIELDS or LINES options, read it with the same ones"),
            "{msg}"
        );
        assert!(!msg.contains("secret"), "{msg}");
    }
    // Another wrong count says nothing of the dialect.
    let e = run(
        &rules(RULES),
        &schema(),
        &TsvDialect::default(),
        b"1\t2\n",
        1,
        1 << 20,
        false,
    )
    .unwrap_err();
    assert!(!e.to_string().contains("field terminator"), "{e}");
}

/// QA finding: `mysqldump --tab` writes BIT values unescaped, so a BIT
/// value holding a newline byte (`b'1000001010'` is 0x02 0x0A) cuts its row.
/// The file cannot be read reliably: the error says why and what to do.
#[test]
fn a_bit_value_with_a_newline_byte_is_explained() {
    let schema = parse_create_table(
        b"CREATE TABLE `t` (`id` int NOT NULL, `flags` bit(10), `email` varchar(64), PRIMARY KEY (`id`))",
    )
    .unwrap();
    let input = b"1\t\x02\n\tsecret@example.com\n";
    let r = rules("[tables.t]\nemail = \"hash\"\n");
    let e = run(
        &r,
        &schema,
        &TsvDialect::default(),
        input,
        1,
        1 << 20,
        false,
    )
    .unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("has BIT columns"), "{msg}");
    assert!(msg.contains("without --tab"), "{msg}");
    assert!(!msg.contains("secret"), "{msg}");
    // A table without BIT columns gets no such hint.
    let e = run(
        &r,
        &schema_without_bits(),
        &TsvDialect::default(),
        b"1\tx\n",
        1,
        1 << 20,
        false,
    )
    .unwrap_err();
    assert!(!e.to_string().contains("BIT"), "{e}");
}

fn schema_without_bits() -> TableSchema {
    parse_create_table(b"CREATE TABLE `t` (`id` int NOT NULL, `a` int, `email` varchar(64))")
        .unwrap()
}

/// Regression (fuzz, `mask_tsv`): a row with a wrong field count before a
/// stream that ends inside an escape. With one big chunk the chunker failed
/// on the end before handing over the rows before it, so the later error
/// was reported; with small chunks, the first. The first in input order is
/// reported now, whatever the chunk size and thread count.
#[test]
fn the_first_error_is_reported_whatever_the_chunk_size() {
    let d = TsvDialect::default();
    let mut input = sample(5);
    let at = input.len();
    input.extend_from_slice(b"99\tonly two fields\n");
    input.extend_from_slice(&sample(5));
    input.extend_from_slice(b"7\tx\\");
    for (threads, chunk) in [(1, 1 << 20), (2, 1 << 20), (1, 7), (2, 10)] {
        for r in [Rules::empty(), rules(RULES)] {
            let e = run(&r, &schema(), &d, &input, threads, chunk, false).unwrap_err();
            let msg = e.to_string();
            assert_eq!(e.position().map(|p| p.byte), Some(at as u64), "{msg}");
            assert!(msg.contains("2 fields but 4"), "{msg}");
        }
    }
}

#[test]
fn truncated_input_is_an_error() {
    let d = TsvDialect::default();
    let mut input = sample(5);
    input.extend_from_slice(b"7\tx\\");
    let e = run(&Rules::empty(), &schema(), &d, &input, 2, 16, false).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::UnexpectedEof { .. }), "{e}");
    assert_eq!(e.position().unwrap().byte, input.len() as u64);
    let d = TsvDialect::builder()
        .fields_enclosed_by(b"\"")
        .build()
        .unwrap();
    let input = b"1\t\"open\\\"\n";
    let e = run(&Rules::empty(), &schema(), &d, input, 1, 16, false).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::UnexpectedEof { .. }), "{e}");
}

#[test]
fn header_maps_columns_and_passes_through() {
    let d = TsvDialect::default();
    let input = b"name\tid\tmemo\temail\nAnn\t1\tm\ta@b.c\n";
    let (out, s) = run(&rules(RULES), &schema(), &d, input, 1, 4, true).unwrap();
    assert!(out.starts_with(b"name\tid\tmemo\temail\n"));
    let after = rows(&d, &out);
    assert_eq!(after[1][0].as_deref(), Some(&b"a\tb\nc\\d"[..]));
    assert_eq!(after[1][1].as_deref(), Some(&b"1"[..]));
    assert_eq!(after[1][2], None);
    assert_ne!(after[1][3].as_deref(), Some(&b"a@b.c"[..]));
    assert_eq!(s.rows, 1);

    // Columns from the header alone (TEXT).
    let bare = text_schema(TableName::new(None, "users"), &[]);
    let (out2, _) = run(&rules(RULES), &bare, &d, input, 2, 4, true).unwrap();
    assert_eq!(rows(&d, &out2)[1][2], None);

    // An unknown column in the header.
    let bad = b"id\temail\tnope\tname\n1\ta\tb\tc\n";
    let e = run(&rules(RULES), &schema(), &d, bad, 1, 4, true).unwrap_err();
    let ErrorKind::Plan { problems, .. } = e.kind() else {
        panic!("{e}");
    };
    assert_eq!(problems.len(), 1, "{e}");
    assert_eq!(problems[0].kind, PlanProblemKind::NoSuchColumn, "{e}");
    assert_eq!(problems[0].column.as_deref(), Some("nope"), "{e}");
    assert!(e.to_string().contains("nope"), "{e}");
}

/// Issue 11: the README's single-stream example failed with any rules file
/// naming other tables ("no table orders in the dump").
#[test]
fn a_tsv_stream_applies_only_its_own_tables_rules() {
    let d = TsvDialect::default();
    let r = rules("[tables.orders]\nnote = \"null\"\n");
    let (out, _) = run(&r, &schema(), &d, b"1\ta\tb\tc\n", 1, 4, false).unwrap();
    assert_eq!(out, b"1\ta\tb\tc\n");
}

/// Regression (QA): `mysqldump --tab --fields-terminated-by='|'
/// --fields-escaped-by=''` of a BLOB holding `|` gave a bare wrong field
/// count; the error now says why such a file cannot be read, and no value.
#[test]
fn regression_a_file_without_an_escape_character_says_why_it_cannot_be_read() {
    let d = TsvDialect::builder()
        .fields_terminated_by(b"|")
        .fields_escaped_by(b"")
        .build()
        .unwrap();
    let input = b"1|a@example.com|x|y\n2|b@example.com|p|q|r\n";
    let email = rules("[tables.users]\nemail = { transform = \"hash\", format = \"email\" }\n");
    let e = run(&email, &schema(), &d, input, 1, 1 << 20, false).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("has 5 fields"), "{msg}");
    assert!(msg.contains("without an escape character"), "{msg}");
    assert!(!msg.contains("b@example.com"), "{msg}");
}
