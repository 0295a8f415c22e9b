//! Bad input (testdata/bad/*): exit code 1, a message naming `line N, byte
//! offset M` that points into the file, no cell value in the message, and no
//! output file left behind with `-o`.

mod util;

use std::path::Path;

use util::*;

/// Quoted string literals of the data part of a dump (after the first
/// `INSERT`), without their quotes; an unterminated one runs to the end.
fn string_literals(data: &[u8]) -> Vec<Vec<u8>> {
    let start = data.windows(6).position(|w| w == b"INSERT").unwrap_or(0);
    let mut out = Vec::new();
    let mut i = start;
    while i < data.len() {
        if data[i] == b'\'' {
            let mut j = i + 1;
            let mut lit = Vec::new();
            while j < data.len() {
                match data[j] {
                    b'\\' if j + 1 < data.len() => {
                        lit.push(data[j + 1]);
                        j += 2;
                        continue;
                    }
                    b'\'' if data.get(j + 1) == Some(&b'\'') => {
                        lit.push(b'\'');
                        j += 2;
                        continue;
                    }
                    b'\'' => break,
                    b => lit.push(b),
                }
                j += 1;
            }
            out.push(lit);
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// Parse every `line N, byte offset M` in a message.
fn locations(msg: &str) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    let mut rest = msg;
    while let Some(p) = rest.find("line ") {
        rest = &rest[p + 5..];
        let n: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let after = &rest[n.len()..];
        if let (Ok(n), Some(tail)) = (n.parse::<usize>(), after.strip_prefix(", byte offset ")) {
            let m: String = tail.chars().take_while(|c| c.is_ascii_digit()).collect();
            if let Ok(m) = m.parse::<usize>() {
                v.push((n, m));
            }
        }
    }
    v
}

/// Secrets that must never appear in an error message about `data`.
fn secrets(data: &[u8]) -> Vec<Vec<u8>> {
    let mut s: Vec<Vec<u8>> = string_literals(data)
        .into_iter()
        .filter(|l| l.len() >= 4)
        .collect();
    // From testdata/bad/README.md: these are treated as secrets.
    s.push(b"example.com".to_vec());
    s.push(b"b@exam".to_vec());
    s
}

fn check_bad(file: &str) {
    let path = testdata(&format!("bad/{file}"));
    let data = std::fs::read(&path).unwrap();
    let lock = data
        .windows(11)
        .position(|w| w == b"LOCK TABLES")
        .expect("every bad fixture shares the valid start with LOCK TABLES");
    let total_lines = data.iter().filter(|&&b| b == b'\n').count() + 1;

    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("input.sql.gz");
    std::fs::write(&gz, tool("gzip", &["-c"], &data)).unwrap();

    let mut problems = Vec::new();
    for (input, threads) in [
        (path.as_path(), "1"),
        (path.as_path(), "4"),
        (gz.as_path(), "2"),
    ] {
        let what = format!("{file} ({}, --threads {threads})", input.display());
        let out_path = dir.path().join("out.sql");
        let out = mask_file(
            &empty_rules(),
            input,
            &["--threads", threads, "-o", out_path.to_str().unwrap()],
            None,
        );
        let err = stderr(&out);
        if code(&out) != 1 {
            problems.push(format!(
                "{what}: exit code {} (expected 1); stderr: {err:?}",
                code(&out)
            ));
            continue;
        }
        let locs = locations(&err);
        if locs.is_empty() {
            problems.push(format!("{what}: no `line N, byte offset M` in {err:?}"));
        }
        for (n, m) in locs {
            if m > data.len() {
                problems.push(format!(
                    "{what}: byte offset {m} beyond the file ({} bytes)",
                    data.len()
                ));
                continue;
            }
            if m < lock {
                problems.push(format!(
                    "{what}: byte offset {m} is in the valid start of the file (the break is after byte {lock})"
                ));
            }
            let expect_line = data[..m].iter().filter(|&&b| b == b'\n').count() + 1;
            if n != expect_line || n > total_lines {
                problems.push(format!(
                    "{what}: line {n} does not hold byte offset {m} (that is line {expect_line})"
                ));
            }
        }
        for s in secrets(&data) {
            if contains(&out.stderr, &s) {
                problems.push(format!(
                    "{what}: stderr shows cell content {:?}: {err:?}",
                    String::from_utf8_lossy(&s)
                ));
            }
        }
        if contains(&out.stderr, &[0xff, 0xfe]) {
            problems.push(format!("{what}: stderr echoes raw garbage bytes"));
        }
        let left = files_in(dir.path(), "");
        let left: Vec<_> = left.iter().filter(|p| **p != gz).collect();
        if !left.is_empty() {
            problems.push(format!(
                "{what}: files left behind after the failure: {left:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

macro_rules! bad_cases {
    ($($name:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $name() {
                check_bad($file);
            }
        )*

        const LISTED: &[&str] = &[$($file),*];
    };
}

bad_cases! {
    binary_garbage_value => "binary_garbage_value.sql",
    garbage_value => "garbage_value.sql",
    missing_comma_between_tuples => "missing_comma_between_tuples.sql",
    truncated_after_backslash => "truncated_after_backslash.sql",
    truncated_between_tuples => "truncated_between_tuples.sql",
    truncated_in_create_table => "truncated_in_create_table.sql",
    truncated_in_statement => "truncated_in_statement.sql",
    truncated_in_string => "truncated_in_string.sql",
    truncated_in_tuple => "truncated_in_tuple.sql",
    unbalanced_paren => "unbalanced_paren.sql",
    unterminated_comment => "unterminated_comment.sql",
    unterminated_conditional_comment => "unterminated_conditional_comment.sql",
    wrong_value_count => "wrong_value_count.sql",
}

/// A new file in testdata/bad must get its own test above.
#[test]
fn every_bad_fixture_is_tested() {
    let files = files_in(&testdata("bad"), ".sql");
    assert!(!files.is_empty());
    for f in files {
        let n = f.file_name().unwrap().to_str().unwrap();
        assert!(
            LISTED.contains(&n),
            "testdata/bad/{n} has no test in bad.rs"
        );
    }
}

/// The helpers themselves: the fixture secrets are found.
#[test]
fn secret_extraction_finds_literals() {
    let data = std::fs::read(testdata("bad/truncated_in_string.sql")).unwrap();
    let s = secrets(&data);
    assert!(s.iter().any(|l| l == b"a@example.com"), "{s:?}");
    assert!(s.iter().any(|l| l == b"b@exam"), "{s:?}");
    assert_eq!(locations("x line 3, byte offset 44: y"), vec![(3, 44)]);
}

/// A valid dump cut anywhere inside an INSERT statement must fail with
/// exit code 1, never succeed with a partial output.
#[test]
fn valid_dump_cut_inside_insert_fails() {
    let data = std::fs::read(testdata("example/shop.sql")).unwrap();
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(p) = data[from..].windows(11).position(|w| w == b"INSERT INTO") {
        let start = from + p;
        let end = start
            + data[start..]
                .windows(3)
                .position(|w| w == b");\n")
                .expect("INSERT ends with );")
            + 1; // index of ';'
        spans.push((start, end));
        from = end;
    }
    assert!(spans.len() >= 2, "shop.sql has INSERTs for two tables");
    let dir = tempfile::tempdir().unwrap();
    let cut_path = dir.path().join("cut.sql");
    let mut failures = Vec::new();
    for (start, end) in spans {
        // 12 cut points spread over the statement, the last one just before `;`.
        for k in 1..=12 {
            let cut = start + (end - start) * k / 12;
            std::fs::write(&cut_path, &data[..cut]).unwrap();
            let out = mask_file(&empty_rules(), &cut_path, &["--threads", "2"], None);
            if code(&out) != 1 {
                failures.push(format!(
                    "cut at byte {cut} (INSERT at {start}..{end}): exit {} stderr {:?}",
                    code(&out),
                    stderr(&out)
                ));
            } else if !locations(&stderr(&out)).iter().any(|&(_, m)| m <= cut) {
                failures.push(format!(
                    "cut at byte {cut}: no plausible location in {:?}",
                    stderr(&out)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A compressed stream that is cut short is an error, never a partial success.
#[test]
fn truncated_compressed_input_fails() {
    let data = std::fs::read(testdata("example/shop.sql")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (codec, args) in [("gzip", vec!["-c"]), ("zstd", vec!["-q", "-c"])] {
        let z = tool(codec, &args, &data);
        let p = dir.path().join(format!("cut.{codec}"));
        std::fs::write(&p, &z[..z.len() / 2]).unwrap();
        let out_path = dir.path().join("out.sql");
        let out = mask_file(
            &empty_rules(),
            &p,
            &["-o", out_path.to_str().unwrap()],
            None,
        );
        assert_ne!(
            code(&out),
            0,
            "half a {codec} stream was accepted: {}",
            stderr(&out)
        );
        assert!(
            !Path::new(&out_path).exists(),
            "{codec}: out.sql left behind"
        );
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
}
