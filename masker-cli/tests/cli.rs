//! The `masker` command line: rules errors and their exit codes, the key,
//! `check`, `explain`, `check --scaffold`, broken pipes, the summary, and
//! identical output for every thread count.

mod util;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use util::*;

const KEY: &str = "cli-test-key-Zq8w3Lr5-do-not-print";

fn shop() -> PathBuf {
    testdata("example/shop.sql")
}

fn rules(name: &str) -> PathBuf {
    testdata(&format!("rules/{name}"))
}

/// Tables and their columns, in order, from the CREATE TABLEs of a dump.
fn dump_columns(dump: &[u8]) -> BTreeMap<String, Vec<String>> {
    let text = String::from_utf8_lossy(dump);
    let mut out = BTreeMap::new();
    let mut current: Option<(String, Vec<String>)> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("CREATE TABLE `") {
            let name = rest.split('`').next().unwrap().to_owned();
            current = Some((name, Vec::new()));
        } else if let Some((_, cols)) = current.as_mut() {
            let t = line.trim_start();
            if let Some(rest) = t.strip_prefix('`') {
                cols.push(rest.split('`').next().unwrap().to_owned());
            } else if t.starts_with(')') {
                let (n, c) = current.take().unwrap();
                out.insert(n, c);
            }
        }
    }
    out
}

fn masker_with_key(key: Option<&str>) -> Command {
    let mut c = masker();
    if let Some(k) = key {
        c.env("MASKER_KEY", k);
    }
    c
}

// ---------------------------------------------------------------------------
// Invalid rules files
// ---------------------------------------------------------------------------

/// Runs `masker mask` (with `-o`) and `masker check` for an invalid rules file
/// against shop.sql; both must fail with `code`, name every `needle`, never
/// print the key, and leave no output file.
fn invalid_case(
    file: &str,
    key: Option<&str>,
    mask_code: i32,
    check_code: Option<i32>,
    needles: &[&str],
) {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("masked.sql");
    let out = run(
        masker_with_key(key)
            .args(["mask", "--rules"])
            .arg(rules(file))
            .arg(shop())
            .arg("-o")
            .arg(&out_path),
        None,
    );
    let err = stderr(&out);
    assert_eq!(code(&out), mask_code, "mask --rules {file}: stderr {err}");
    for n in needles {
        assert!(
            err.contains(n),
            "mask --rules {file}: stderr does not name {n:?}:\n{err}"
        );
    }
    assert!(!err.contains(KEY), "the key was printed: {err}");
    assert!(
        !out_path.exists(),
        "mask --rules {file}: output file left behind"
    );
    assert!(
        files_in(dir.path(), "").is_empty(),
        "temporary files left behind"
    );
    // Without -o: a config error (2) stops before any byte of the dump moves.
    if mask_code == 2 {
        let out = run(
            masker_with_key(key)
                .args(["mask", "--rules"])
                .arg(rules(file))
                .arg(shop()),
            None,
        );
        assert_eq!(code(&out), 2);
        assert!(
            out.stdout.is_empty(),
            "mask --rules {file} wrote {} bytes before failing",
            out.stdout.len()
        );
    }
    if let Some(cc) = check_code {
        let out = run(
            masker_with_key(key)
                .args(["check", "--rules"])
                .arg(rules(file))
                .arg(shop()),
            None,
        );
        let err = stderr(&out) + &stdout_str(&out);
        assert_eq!(code(&out), cc, "check --rules {file}: {err}");
        for n in needles {
            assert!(
                err.contains(n),
                "check --rules {file}: does not name {n:?}:\n{err}"
            );
        }
        assert!(!err.contains(KEY), "the key was printed: {err}");
    }
}

#[test]
fn invalid_unknown_transform() {
    invalid_case(
        "invalid_unknown_transform.toml",
        Some(KEY),
        2,
        Some(2),
        &["tables.users.phone", "fpee"],
    );
}

#[test]
fn invalid_unknown_option() {
    invalid_case(
        "invalid_unknown_option.toml",
        Some(KEY),
        2,
        Some(2),
        &["tables.users.email", "fromat"],
    );
}

#[test]
fn invalid_unknown_top_level_key() {
    invalid_case(
        "invalid_unknown_top_level_key.toml",
        Some(KEY),
        2,
        Some(2),
        &["stirct"],
    );
}

#[test]
fn invalid_toml_syntax() {
    invalid_case(
        "invalid_toml_syntax.toml",
        Some(KEY),
        2,
        Some(2),
        &["line 5"],
    );
}

#[test]
fn invalid_many_errors_all_reported() {
    invalid_case(
        "invalid_many_errors.toml",
        Some(KEY),
        2,
        Some(2),
        &[
            "tables.users.phone",
            "fpee",
            "tables.users.email",
            "fromat",
            "tables.users.name",
            "nmae",
            "tables.orders.note",
        ],
    );
}

#[test]
fn invalid_missing_column() {
    invalid_case(
        "invalid_missing_column.toml",
        Some(KEY),
        3,
        Some(3),
        &["users", "e_mail"],
    );
}

#[test]
fn invalid_null_on_not_null() {
    invalid_case(
        "invalid_null_on_not_null.toml",
        Some(KEY),
        3,
        Some(3),
        &["users", "email", "NOT NULL"],
    );
}

#[test]
fn invalid_missing_table() {
    invalid_case(
        "invalid_missing_table.toml",
        Some(KEY),
        3,
        Some(3),
        &["customers"],
    );
    // --allow-missing accepts it, and the output is the identity (no rule applies).
    let out = run(
        masker_with_key(Some(KEY))
            .args(["mask", "--allow-missing", "--rules"])
            .arg(rules("invalid_missing_table.toml"))
            .arg(shop()),
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_same_bytes(
        "--allow-missing",
        &std::fs::read(shop()).unwrap(),
        &out.stdout,
    );
    let out = run(
        masker_with_key(None)
            .args(["check", "--allow-missing", "--rules"])
            .arg(rules("invalid_missing_table.toml"))
            .arg(shop()),
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn invalid_strict_unclassified_lists_columns() {
    let cols = dump_columns(&std::fs::read(shop()).unwrap());
    assert_eq!(cols.len(), 2, "shop.sql tables: {cols:?}");
    // The rules classify users.{id,email,name,memo}; every other column is unclassified.
    let classified = ["id", "email", "name", "memo"];
    let mut unclassified = Vec::new();
    for (t, cs) in &cols {
        for c in cs {
            if !(t == "users" && classified.contains(&c.as_str())) {
                unclassified.push(format!("{t}.{c}"));
            }
        }
    }
    assert!(unclassified.len() > 5);
    // mask stops (it may stop at the first table whose schema it sees).
    invalid_case(
        "invalid_strict_unclassified.toml",
        Some(KEY),
        3,
        None,
        &["strict"],
    );
    // check lists every unclassified column of every table, at once.
    let out = run(
        masker_with_key(None)
            .args(["check", "--rules"])
            .arg(rules("invalid_strict_unclassified.toml"))
            .arg(shop()),
        None,
    );
    let all = stderr(&out) + &stdout_str(&out);
    assert_eq!(code(&out), 3, "{all}");
    for u in &unclassified {
        assert!(all.contains(u.as_str()), "check does not list {u}:\n{all}");
    }
    for c in classified {
        assert!(
            !all.contains(&format!("users.{c}:")),
            "users.{c} is classified:\n{all}"
        );
    }
}

#[test]
fn invalid_missing_key_env() {
    invalid_case(
        "invalid_missing_key.toml",
        None,
        2,
        None,
        &["MASKER_TEST_UNSET_KEY"],
    );
    // check does not need the key.
    let out = run(
        masker_with_key(None)
            .args(["check", "--rules"])
            .arg(rules("invalid_missing_key.toml"))
            .arg(shop()),
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn invalid_no_key_section_needs_masker_key() {
    invalid_case(
        "invalid_no_key_section.toml",
        None,
        2,
        None,
        &["MASKER_KEY"],
    );
    // With the key set, the same file is valid and masks.
    let out = mask_file(
        &rules("invalid_no_key_section.toml"),
        &shop(),
        &[],
        Some(KEY),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_ne!(
        out.stdout,
        std::fs::read(shop()).unwrap(),
        "phone was not masked"
    );
    assert!(!contains(&out.stdout, KEY.as_bytes()) && !stderr(&out).contains(KEY));
}

#[test]
fn missing_key_file_is_a_config_error() {
    let out = mask_file(&rules("valid_key_file.toml"), &shop(), &[], None);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("/run/secrets/masker_key"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
}

/// The key check happens before the input is opened or read: a missing input
/// file is not what fails, and a stdin that never ends does not block it.
#[test]
fn missing_key_fails_before_reading_input() {
    let out = run(
        masker_with_key(None)
            .args(["mask", "--rules"])
            .arg(rules("invalid_missing_key.toml"))
            .arg("/nonexistent/masker/input.sql"),
        None,
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("MASKER_TEST_UNSET_KEY"),
        "{}",
        stderr(&out)
    );

    let mut child = masker_with_key(None)
        .args(["mask", "--rules"])
        .arg(rules("invalid_missing_key.toml"))
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Write a little (not a whole dump) and keep the pipe open.
    let _ = stdin.write_all(b"-- a dump that never ends\n");
    let status = wait_timeout(&mut child, Duration::from_secs(30));
    drop(stdin);
    let status = status.expect("masker waited for input instead of failing on the missing key");
    assert_eq!(status.code(), Some(2));
}

#[test]
fn valid_rules_pass_check() {
    // A dump of no tables (a 0-byte file is refused as no dump at all).
    let empty = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(empty.path(), b"-- a dump of no tables\n").unwrap();
    for (file, dump, extra) in [
        ("valid_empty.toml", shop(), vec![]),
        ("valid_strict_example.toml", shop(), vec![]),
        ("valid_key_file.toml", shop(), vec![]),
        // Compile-only fixture: its tables are not those of any dump.
        (
            "valid_full.toml",
            empty.path().to_path_buf(),
            vec!["--allow-missing"],
        ),
    ] {
        let out = run(
            masker_with_key(None)
                .arg("check")
                .args(&extra)
                .arg("--rules")
                .arg(rules(file))
                .arg(&dump),
            None,
        );
        assert_eq!(code(&out), 0, "check --rules {file}: {}", stderr(&out));
    }
    // valid_strict_example masks shop.sql in strict mode.
    let out = mask_file(
        &rules("valid_strict_example.toml"),
        &shop(),
        &["-q"],
        Some(KEY),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

// ---------------------------------------------------------------------------
// explain and scaffold
// ---------------------------------------------------------------------------

#[test]
fn explain_prints_column_to_transform() {
    let out = run(
        masker_with_key(None)
            .args(["explain", "--rules"])
            .arg(testdata("example/rules.toml"))
            .arg(shop()),
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout_str(&out);
    // Split the output into tables: a line without indentation starts a table.
    let mut plan: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut current = String::new();
    for line in text.lines() {
        if line.is_empty() {
            continue;
        }
        if !line.starts_with(' ') {
            current = line.trim().trim_matches('`').to_owned();
            plan.entry(current.clone()).or_default();
        } else {
            let mut parts = line.split_whitespace();
            let col = parts.next().unwrap().to_owned();
            let what: Vec<&str> = parts.collect();
            plan.get_mut(&current)
                .unwrap_or_else(|| panic!("column line before any table: {line}"))
                .insert(col, what.join(" "));
        }
    }
    let cols = dump_columns(&std::fs::read(shop()).unwrap());
    let expected: BTreeMap<(&str, &str), &str> = [
        (("users", "id"), "keep"),
        (("users", "email"), "hash"),
        (("users", "name"), "fake"),
        (("users", "phone"), "fpe"),
        (("users", "address"), "fake"),
        (("users", "memo"), "null"),
        (("orders", "contact_email"), "hash"),
    ]
    .into_iter()
    .collect();
    for (t, cs) in &cols {
        let p = plan
            .get(t.as_str())
            .unwrap_or_else(|| panic!("explain does not show table {t}:\n{text}"));
        for c in cs {
            let what = p
                .get(c.as_str())
                .unwrap_or_else(|| panic!("explain does not show {t}.{c}:\n{text}"));
            let want = expected
                .get(&(t.as_str(), c.as_str()))
                .copied()
                .unwrap_or("keep");
            assert!(
                what.split_whitespace().next() == Some(want),
                "{t}.{c}: explain says {what:?}, rules say {want}:\n{text}"
            );
        }
    }
    assert!(plan["users"]["name"].contains("ja_JP"), "{text}");
    assert!(plan["users"]["email"].contains("email"), "{text}");
    // The keyed function comes first: BLAKE3 unless the rules say otherwise.
    assert!(text.starts_with("[key] prf = \"blake3\"\n"), "{text}");

    // A rule that does not fit: non-zero (3) and the problem is named.
    let out = run(
        masker_with_key(None)
            .args(["explain", "--rules"])
            .arg(rules("invalid_missing_column.toml"))
            .arg(shop()),
        None,
    );
    assert_eq!(code(&out), 3);
    assert!(stderr(&out).contains("e_mail"), "{}", stderr(&out));
}

fn scaffold(dump: &Path) -> String {
    let out = run(
        masker_with_key(None)
            .args(["check", "--scaffold"])
            .arg(dump),
        None,
    );
    assert_eq!(
        code(&out),
        0,
        "scaffold {}: {}",
        dump.display(),
        stderr(&out)
    );
    stdout_str(&out)
}

fn check_rules_text(rules_text: &str, dump: &Path) -> std::process::Output {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(rules_text.as_bytes()).unwrap();
    run(
        masker_with_key(None)
            .args(["check", "--rules"])
            .arg(f.path())
            .arg(dump),
        None,
    )
}

#[test]
fn scaffold_is_a_strict_rules_file_that_check_accepts() {
    let mut dumps = vec![shop()];
    // Committed mariadb-dump variants that carry CREATE TABLEs.
    dumps.extend(
        files_in(&testdata("mariadb/dumps"), ".sql")
            .into_iter()
            .filter(|p| !p.ends_with("no-create-info.sql")),
    );
    for dump in dumps {
        let text = scaffold(&dump);
        assert!(
            text.lines()
                .any(|l| l.trim().replace(' ', "") == "strict=true"),
            "scaffold of {} is not strict:\n{text}",
            dump.display()
        );
        let out = check_rules_text(&text, &dump);
        assert_eq!(
            code(&out),
            0,
            "check rejects the scaffold of {}: {}\n{text}",
            dump.display(),
            stderr(&out)
        );
        // And the scaffold masks the dump in strict mode.
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        let out = mask_file(f.path(), &dump, &["-q"], Some(KEY));
        assert_eq!(
            code(&out),
            0,
            "mask with the scaffold of {}: {}",
            dump.display(),
            stderr(&out)
        );
    }
}

#[test]
fn scaffold_suggests_masking_for_personal_data_and_strict_catches_a_gap() {
    let text = scaffold(&shop());
    let cols = dump_columns(&std::fs::read(shop()).unwrap());
    // Every column is classified, with a transform other than keep for email and phone.
    for (t, cs) in &cols {
        assert!(
            text.contains(&format!("[tables.{t}]")) || text.contains(&format!("[tables.\"{t}\"]")),
            "{t}:\n{text}"
        );
        for c in cs {
            assert!(
                text.lines()
                    .any(|l| l.starts_with(&format!("{c} ="))
                        || l.starts_with(&format!("\"{c}\" ="))),
                "{t}.{c} not classified:\n{text}"
            );
        }
    }
    for pii in ["email", "phone", "contact_email"] {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{pii} =")))
            .unwrap();
        assert!(
            !line.contains("\"keep\""),
            "{pii} should get a masking suggestion: {line}"
        );
    }
    // Drop the line classifying users.phone: strict check must name it.
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("phone ="))
        .map(|l| format!("{l}\n"))
        .collect();
    let out = check_rules_text(&without, &shop());
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(stderr(&out).contains("users.phone"), "{}", stderr(&out));
}

// ---------------------------------------------------------------------------
// Streaming behaviour on a generated multi-MB dump
// ---------------------------------------------------------------------------

const GEN_RULES: &str = r#"
[key]
env = "MASKER_KEY"

[tables.users]
id    = "keep"
email = { transform = "hash", format = "email" }
name  = { transform = "fake", kind = "name", locale = "ja_JP" }
phone = "fpe"
memo  = "null"
"#;

/// A MariaDB-style dump of `rows` users in INSERTs of `per_insert` tuples.
fn generated_dump(rows: usize, per_insert: usize) -> Vec<u8> {
    let mut d = Vec::new();
    d.extend_from_slice(
        b"/*!40101 SET NAMES utf8mb4 */;\n\
          DROP TABLE IF EXISTS `users`;\n\
          CREATE TABLE `users` (\n  `id` int(11) NOT NULL,\n  `email` varchar(255) NOT NULL,\n  \
          `name` varchar(100) NOT NULL,\n  `phone` varchar(32) DEFAULT NULL,\n  `memo` text DEFAULT NULL,\n  \
          `score` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `uq` (`email`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\
          LOCK TABLES `users` WRITE;\n",
    );
    let memos = [
        "plain memo",
        "it\\'s quoted \\\"twice\\\"",
        "line1\\nline2\\r\\n\\ttab",
        "back\\\\slash; ),( not a tuple",
        "日本語のメモ 🍣",
    ];
    for i in 0..rows {
        if i % per_insert == 0 {
            d.extend_from_slice(b"INSERT INTO `users` VALUES\n");
        }
        let last = i % per_insert == per_insert - 1 || i == rows - 1;
        let phone = if i % 7 == 0 {
            "NULL".to_owned()
        } else {
            format!(
                "'0{}0-{:04}-{:04}'",
                7 + i % 3,
                i % 10000,
                (i * 7919) % 10000
            )
        };
        let row = format!(
            "({i},'user{i}.o\\'neil@example{}.com','User {i} O\\'Brien',{phone},'{} #{i}',{}){}\n",
            i % 13,
            memos[i % memos.len()],
            i % 1000,
            if last { ";" } else { "," }
        );
        d.extend_from_slice(row.as_bytes());
    }
    d.extend_from_slice(b"UNLOCK TABLES;\n-- Dump completed\n");
    d
}

fn write_generated(dir: &Path, rows: usize) -> (PathBuf, PathBuf, Vec<u8>) {
    let data = generated_dump(rows, 1000);
    let dump = dir.join("big.sql");
    std::fs::write(&dump, &data).unwrap();
    let rules = dir.join("rules.toml");
    std::fs::write(&rules, GEN_RULES).unwrap();
    (dump, rules, data)
}

#[test]
fn threads_1_2_4_give_identical_masked_output() {
    let dir = tempfile::tempdir().unwrap();
    let (dump, rules, data) = write_generated(dir.path(), 40_000);
    assert!(
        data.len() > 4_000_000,
        "generated dump is {} bytes",
        data.len()
    );
    let one = mask_ok(&rules, &dump, &["-q", "--threads", "1"], Some(KEY));
    for t in ["2", "4"] {
        let other = mask_ok(&rules, &dump, &["-q", "--threads", t], Some(KEY));
        assert_same_bytes(&format!("--threads {t} vs --threads 1"), &one, &other);
    }
    // Masking happened everywhere, also in the last INSERT of the table.
    assert_ne!(one, data);
    for i in [0usize, 999, 1000, 20_000, 39_999] {
        let email = format!("user{i}.o\\'neil@example");
        assert!(
            !contains(&one, email.as_bytes()),
            "row {i}: email left unmasked"
        );
        let name = format!("User {i} O\\'Brien");
        assert!(
            !contains(&one, name.as_bytes()),
            "row {i}: name left unmasked"
        );
    }
    assert!(
        !contains(&one, "日本語のメモ".as_bytes()),
        "memo left unmasked"
    );
    // Same number of rows (the tuple-ending lines) in and out.
    let count = |d: &[u8]| d.windows(2).filter(|w| w == b")," || w == b");").count();
    assert!(count(&one) >= 40_000);
    // gzip'ed input, 4 threads, .zst output: the same bytes again.
    let gz = dir.path().join("big.sql.gz");
    std::fs::write(&gz, tool("gzip", &["-1", "-c"], &data)).unwrap();
    let zout = dir.path().join("masked.sql.zst");
    let out = mask_file(
        &rules,
        &gz,
        &["-q", "--threads", "4", "-o", zout.to_str().unwrap()],
        Some(KEY),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let plain = tool("zstd", &["-dc"], &std::fs::read(&zout).unwrap());
    assert_same_bytes("gz in, zst out, 4 threads", &one, &plain);
}

#[test]
fn same_key_same_output_other_key_other_output() {
    let dir = tempfile::tempdir().unwrap();
    let (dump, rules, _) = write_generated(dir.path(), 3000);
    let a = mask_ok(&rules, &dump, &["-q"], Some(KEY));
    let b = mask_ok(&rules, &dump, &["-q"], Some(KEY));
    assert_same_bytes("two runs with the same key", &a, &b);
    let c = mask_ok(&rules, &dump, &["-q"], Some("another-key"));
    assert_ne!(a, c, "another key gives the same output");
    assert!(
        !contains(&a, KEY.as_bytes()),
        "the key appears in the output"
    );
}

#[test]
fn broken_pipe_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let (dump, rules, data) = write_generated(dir.path(), 40_000);
    assert!(data.len() > 4_000_000);
    for (r, threads) in [
        (empty_rules(), "1"),
        (rules.clone(), "4"),
        (empty_rules(), "4"),
    ] {
        let script = format!(
            "\"$0\" mask --rules \"$1\" --threads {threads} \"$2\" 2>\"$3\" | head -c 10 >/dev/null; exit ${{PIPESTATUS[0]}}"
        );
        let errf = dir.path().join("err.txt");
        let out = run(
            Command::new("bash")
                .arg("-c")
                .arg(&script)
                .arg(masker_bin())
                .arg(&r)
                .arg(&dump)
                .arg(&errf)
                .env("MASKER_KEY", KEY),
            None,
        );
        let err = std::fs::read_to_string(&errf).unwrap_or_default();
        assert_eq!(
            out.status.code(),
            Some(0),
            "masker | head -c 10 ({} , {threads} threads): exit {:?}, stderr {err:?}",
            r.display(),
            out.status
        );
        let lower = err.to_lowercase();
        for bad in ["error", "broken pipe", "panick", "os error"] {
            assert!(!lower.contains(bad), "stderr after a broken pipe: {err:?}");
        }
    }
}

#[test]
fn summary_on_stderr_not_stdout() {
    let data = std::fs::read(shop()).unwrap();
    let text = String::from_utf8_lossy(&data);
    let rows = text.lines().filter(|l| l.starts_with('(')).count();
    let tables = text
        .lines()
        .filter(|l| l.starts_with("CREATE TABLE"))
        .count();
    let user_rows = {
        let start = text.find("INSERT INTO `users`").unwrap();
        text[start..]
            .lines()
            .skip(1)
            .take_while(|l| l.starts_with('('))
            .count()
    };
    let out = mask_file(&testdata("example/rules.toml"), &shop(), &[], Some(KEY));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{rows} rows")),
        "summary lacks the row count {rows}: {err}"
    );
    assert!(
        err.contains(&format!("{tables} tables")),
        "summary lacks the table count: {err}"
    );
    assert!(
        err.contains(" in,") && err.contains(" out"),
        "summary lacks bytes in/out: {err}"
    );
    assert!(err.contains("/s"), "summary lacks a rate: {err}");
    // Masked values per table.column.
    let line = err
        .lines()
        .find(|l| l.trim_start().starts_with("users.email"))
        .unwrap_or_else(|| panic!("no per-column count for users.email: {err}"));
    assert_eq!(
        line.split_whitespace().last(),
        Some(user_rows.to_string().as_str()),
        "{line}"
    );
    assert!(!err.contains(KEY));
    // stdout is the dump only.
    assert!(
        !contains(&out.stdout, b" rows, "),
        "the summary went to stdout"
    );
    assert!(out.stdout.starts_with(&data[..20]));
    // -q: no summary.
    let out = mask_file(&testdata("example/rules.toml"), &shop(), &["-q"], Some(KEY));
    assert_eq!(code(&out), 0);
    assert!(stderr(&out).is_empty(), "-q printed: {}", stderr(&out));
    // Identity with empty rules also reports the rows.
    let out = mask_file(&empty_rules(), &shop(), &[], None);
    assert!(
        stderr(&out).contains(&format!("{rows} rows")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn threads_zero_is_a_usage_error() {
    let out = mask_file(&empty_rules(), &shop(), &["--threads", "0"], None);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[test]
fn unreadable_input_is_an_io_error() {
    let out = mask_file(
        &empty_rules(),
        Path::new("/nonexistent/dump.sql"),
        &[],
        None,
    );
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("/nonexistent/dump.sql"),
        "{}",
        stderr(&out)
    );
}

/// QA finding: `mask --schema S dump.sql` silently read the SQL dump as one
/// TSV stream and failed with a confusing field-count error. A SQL-named
/// input with TSV flags and no `--format` is refused with a hint.
#[test]
fn tsv_flags_on_a_sql_dump_are_refused_with_a_hint() {
    let out = run(
        masker_with_key(Some("cli-test-key-0123456789"))
            .args(["mask", "--rules"])
            .arg(testdata("example/empty-rules.toml"))
            .arg("--schema")
            .arg(testdata("example/shop.sql"))
            .arg(testdata("example/shop.sql")),
        None,
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("looks like a SQL dump") && err.contains("--format tsv"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

/// QA finding: `fpe` kept letters and digits outside ASCII, so a phone
/// number in full-width digits (or a name in kanji under `fpe`) came out
/// unchanged. `mask` and `check` now refuse such a value alike: same exit
/// code, the place and the column named, never the value, no output left.
#[test]
fn fpe_refuses_values_with_letters_or_digits_outside_ascii() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.sql");
    let value = "０９０-１２３４-５６７８";
    std::fs::write(
        &dump,
        format!(
            "CREATE TABLE `users` (`id` int NOT NULL, `phone` varchar(32) DEFAULT NULL, PRIMARY KEY (`id`));\n\
INSERT INTO `users` VALUES (1,'090-1234-5678'),(2,'{value}');\n-- Dump completed\n"
        ),
    )
    .unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, "[tables.users]\nid = \"keep\"\nphone = \"fpe\"\n").unwrap();
    let out = dir.path().join("out.sql");
    let masked = mask_file(&rules, &dump, &["-o", out.to_str().unwrap()], Some("k"));
    let checked = run(
        masker().arg("check").arg("--rules").arg(&rules).arg(&dump),
        None,
    );
    for (what, o) in [("mask", &masked), ("check", &checked)] {
        let err = stderr(o);
        assert_eq!(code(o), 1, "{what}: {err}");
        assert!(
            err.contains("users.phone") && err.contains("outside ASCII"),
            "{what}: {err}"
        );
        assert!(err.contains("line 2, byte offset"), "{what}: {err}");
        assert!(
            !err.contains(value) && !err.contains("１２３４"),
            "{what}: {err}"
        );
    }
    assert!(!out.exists(), "no output left behind");
}
