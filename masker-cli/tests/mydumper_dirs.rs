//! mydumper output directories as input (`masker mask DIR -o OUT`, `check
//! DIR`, `explain DIR`), on the real output of Debian's mydumper 0.10
//! committed in testdata/mydumper/ (plain, chunked with several INSERTs per
//! file, gzipped; made by testdata/mydumper/refresh.sh from shop.sql).
//!
//! - Masked with testdata/mydumper/rules.toml, no original value of a masked
//!   column is left in any output file (each is found in the input first),
//!   and every other file is copied byte for byte; empty rules give every
//!   file back unchanged (compressed ones compressed again, same content).
//! - latin1 text (written as latin1 bytes under `SET NAMES binary`) gets
//!   the pseudonyms the same text gets in a utf8mb4 SQL dump, in latin1.
//! - Generated columns: mydumper leaves them out; a data file with values
//!   for them gets `DEFAULT` where they derive from masked columns.
//! - `check` and `explain` refuse what `mask` refuses, with the file named.
//! - Output paths: never the input, inside it or around it; a failure
//!   leaves nothing.
//! - Live (MariaDB and myloader): mydumper -> masker mask -> myloader into a
//!   fresh database: the same row counts, no original value.

mod util;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use util::*;

const KEY: &str = "mydumper-test-key-0123456789";
const VARIANTS: [&str; 3] = ["plain", "chunked", "compressed"];

fn rules() -> PathBuf {
    testdata("mydumper/rules.toml")
}

/// A file's bytes, gunzipped when it is gzip.
fn content(path: &Path) -> Vec<u8> {
    let raw = std::fs::read(path).unwrap();
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .unwrap();
        out
    } else {
        raw
    }
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// `masker ARGS...` with the key set.
fn masker_with(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let mut c = masker();
    c.env("MASKER_KEY", KEY).args(args);
    run(&mut c, None)
}

fn mask_dir(rules: &Path, input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "mask".as_ref(),
        "--rules".as_ref(),
        rules.as_os_str(),
        input.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ];
    args.extend(extra.iter().map(|s| std::ffi::OsStr::new(*s)));
    masker_with(&args)
}

fn check_dir(rules: &Path, input: &Path, extra: &[&str]) -> std::process::Output {
    let mut c = masker();
    c.args(["check", "--rules"])
        .arg(rules)
        .arg(input)
        .args(extra);
    run(&mut c, None)
}

fn explain_dir(rules: &Path, input: &Path, extra: &[&str]) -> std::process::Output {
    let mut c = masker();
    c.args(["explain", "--rules"])
        .arg(rules)
        .arg(input)
        .args(extra);
    run(&mut c, None)
}

/// The original values of every masked column of shop.sql, as their bytes
/// appear in mydumper's files (escaped as mydumper escapes; latin1 as latin1).
fn originals() -> Vec<Vec<u8>> {
    let text = [
        // users.email, name, phone
        "alice.liddell@wonder.example",
        "bob.builder@construct.example",
        "chiyo.yamada@nihon.example",
        "dora.nullphone@nowhere.example",
        "wonder.example",
        "construct.example",
        "Alice Liddell",
        "Bob Builder",
        "山田千代",
        "Dora Explorer",
        "090-1111-2222",
        "080-3333-4444",
        "070-5555-6666",
        // users.profile's owner.email
        "alice.private@mail.example",
        "bob.private@mail.example",
        "dora.private@mail.example",
        // users.note
        "line one\\nline two",
        "tabbed, with \\'quotes\\'",
        "メモ: 予約あり",
        // users.created_at
        "2024-02-03 04:05:06",
        "2024-03-04 05:06:07",
        "2024-04-05 06:07:08",
        "2024-05-06 07:08:09",
        // orders.ship_to
        "1 Rabbit Hole Lane",
        "2 Scaffold Street",
        "3-3 Sakura Dori",
        "4 Looking Glass Road",
        "5 Hammer Way",
        "7-7 Fuji Chome",
    ];
    let mut v: Vec<Vec<u8>> = text.iter().map(|s| s.as_bytes().to_vec()).collect();
    // customers_latin1 as mydumper writes it: latin1 bytes.
    for s in [
        &b"J\xfcrgen M\xfcllerhof"[..],
        b"Z\xfcrichsee",
        b"Fran\xe7ois L\xe9g\xe8ret\xe9",
        b"Besan\xe7on",
        b"\xc5sa \xd8resund",
        // users.avatar: 0x00FF0A0D1A275C22 and a PNG signature, escaped.
        b"\\0\xff\\n\\r\\Z\\'\\\\\\\"",
        b"\x89PNG\\r\\n\\Z\\n",
    ] {
        v.push(s.to_vec());
    }
    v
}

/// customers_latin1's values as UTF-8: not in mydumper's files (they hold
/// latin1), and must not be in a masked one either.
fn latin1_as_utf8() -> Vec<Vec<u8>> {
    [
        "Jürgen Müllerhof",
        "Zürichsee",
        "François Légèreté",
        "Besançon",
        "Åsa Øresund",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

/// Each original, and the files (of `dir`) that hold it.
fn leaks(dir: &Path, originals: &[Vec<u8>]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for name in names(dir) {
        let bytes = content(&dir.join(&name));
        for o in originals {
            if contains(&bytes, o) {
                found.push((name.clone(), String::from_utf8_lossy(o).into_owned()));
            }
        }
    }
    found
}

fn is_data_file(name: &str) -> bool {
    name != "metadata" && !name.contains("-schema")
}

/// Masked with the committed rules, no original value of a masked column
/// is left in any file of any variant, while every original is in the
/// input; the other files are copied byte for byte, and unmasked values
/// stay.
#[test]
fn committed_dumps_mask_without_leaks() {
    let originals = originals();
    for variant in VARIANTS {
        let input = testdata(&format!("mydumper/{variant}"));
        // The test can fail: each original is in the input.
        let mut all_input = Vec::new();
        for name in names(&input) {
            all_input.extend(content(&input.join(name)));
        }
        for o in &originals {
            assert!(
                contains(&all_input, o),
                "{variant}: {:?} is not in the input",
                String::from_utf8_lossy(o)
            );
        }
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("masked");
        let r = mask_dir(&rules(), &input, &out, &[]);
        assert_eq!(code(&r), 0, "{variant}: {}", stderr(&r));
        assert_eq!(names(&out), names(&input), "{variant}: the same files");
        let mut found = leaks(&out, &originals);
        found.extend(leaks(&out, &latin1_as_utf8()));
        assert!(found.is_empty(), "{variant}: originals survived: {found:?}");
        for name in names(&input) {
            let (a, b) = (input.join(&name), out.join(&name));
            if is_data_file(&name) {
                // Compressed the same way.
                let raw = std::fs::read(&b).unwrap();
                assert_eq!(
                    name.ends_with(".gz"),
                    raw.starts_with(&[0x1f, 0x8b]),
                    "{variant}: {name}"
                );
            } else {
                assert_same_bytes(
                    &format!("{variant}: {name}"),
                    &std::fs::read(&a).unwrap(),
                    &std::fs::read(&b).unwrap(),
                );
            }
        }
        // Unmasked values and mydumper's statements are still there.
        let mut all_output = Vec::new();
        for name in names(&out).iter().filter(|n| is_data_file(n)) {
            let bytes = content(&out.join(name));
            assert!(
                bytes.starts_with(b"/*!40101 SET NAMES binary*/;\n"),
                "{variant}: {name}"
            );
            all_output.extend(bytes);
        }
        for kept in [
            &b"(1,1,10.50,"[..],
            b"(6,4,60.10,NULL)",
            b"(7,3,70.70,",
            b"'[note]'",
            b"INSERT INTO `users` (`id`,`email`,`name`,`phone`,`profile`,`avatar`,`note`,`created_at`) VALUES",
            // The JSON document's other bytes (masked values are written
            // in single quotes, mydumper's escapes kept).
            b"'{\\\"owner\\\": {\\\"email\\\": \\\"",
            b"@example.com\\\"}, \\\"tags\\\": [\\\"vip\\\"]}'",
        ] {
            assert!(
                contains(&all_output, kept),
                "{variant}: {:?} is gone",
                String::from_utf8_lossy(kept)
            );
        }
        let err = stderr(&r);
        assert!(
            err.contains("masker_mydumper.users: 4 rows"),
            "{variant}: {err}"
        );
    }
}

/// Empty rules: every file comes back with the same content (compressed
/// files compressed again by masker, with the same bytes inside).
#[test]
fn empty_rules_give_every_file_back() {
    for variant in VARIANTS {
        let input = testdata(&format!("mydumper/{variant}"));
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("same");
        let r = mask_dir(&empty_rules(), &input, &out, &["-q", "--threads", "1"]);
        assert_eq!(code(&r), 0, "{variant}: {}", stderr(&r));
        assert_eq!(names(&out), names(&input));
        for name in names(&input) {
            assert_same_bytes(
                &format!("{variant}: {name}"),
                &content(&input.join(&name)),
                &content(&out.join(&name)),
            );
        }
    }
}

/// The output is the same for every thread count.
#[test]
fn thread_counts_give_the_same_bytes() {
    let input = testdata("mydumper/chunked");
    let tmp = tempfile::tempdir().unwrap();
    let (one, four) = (tmp.path().join("one"), tmp.path().join("four"));
    assert_eq!(code(&mask_dir(&rules(), &input, &one, &["-t", "1"])), 0);
    assert_eq!(code(&mask_dir(&rules(), &input, &four, &["-t", "4"])), 0);
    for name in names(&input) {
        assert_same_bytes(
            &name,
            &std::fs::read(one.join(&name)).unwrap(),
            &std::fs::read(four.join(&name)).unwrap(),
        );
    }
}

/// The values of one column from `INSERT ... VALUES (1,"a","b"),...` text:
/// the `n`th quoted string of each tuple (no escapes in these values).
fn quoted(text: &[u8], n: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for line in text.split(|&b| b == b'\n').filter(|l| l.starts_with(b"(")) {
        let parts: Vec<&[u8]> = line.split(|&b| b == b'"' || b == b'\'').collect();
        if let Some(v) = parts.get(2 * n + 1) {
            out.push(v.to_vec());
        }
    }
    out
}

/// latin1 text comes as latin1 bytes (`SET NAMES binary`): masked, it gets
/// the pseudonyms the same text gets in a utf8mb4 SQL dump, written back in
/// latin1.
#[test]
fn latin1_values_get_the_pseudonyms_of_their_text() {
    let input = testdata("mydumper/plain");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("masked");
    let r = mask_dir(&rules(), &input, &out, &[]);
    assert_eq!(code(&r), 0, "{}", stderr(&r));
    let masked = std::fs::read(out.join("masker_mydumper.customers_latin1.sql")).unwrap();
    // The same rows as a utf8mb4 SQL dump of the same table.
    let sql = "CREATE TABLE `customers_latin1` (\n  `id` int(11) NOT NULL,\n  `name` varchar(60) NOT NULL,\n  `city` varchar(60) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=latin1;\n\
        INSERT INTO `customers_latin1` VALUES\n(1,'Jürgen Müllerhof','Zürichsee'),\n(2,'François Légèreté','Besançon'),\n(3,'Åsa Øresund',NULL);\n";
    let dump = tmp.path().join("latin1.sql");
    std::fs::write(&dump, sql).unwrap();
    let utf8 = mask_ok(&rules(), &dump, &["--allow-missing", "-q"], Some(KEY));
    for col in 0..2 {
        let from_dir: Vec<String> = quoted(&masked, col)
            .iter()
            .map(|v| {
                // Every byte is latin1; decode it as latin1 (cp1252).
                v.iter().map(|&b| char::from(b)).collect()
            })
            .collect();
        let from_sql: Vec<String> = quoted(&utf8, col)
            .iter()
            .map(|v| String::from_utf8(v.clone()).expect("UTF-8 SQL output"))
            .collect();
        assert_eq!(from_dir, from_sql, "column {col}");
        assert!(!from_sql.is_empty());
    }
}

/// Copy a committed variant into a scratch directory to change it.
fn copy_variant(variant: &str, to: &Path) -> PathBuf {
    let from = testdata(&format!("mydumper/{variant}"));
    std::fs::create_dir_all(to).unwrap();
    for name in names(&from) {
        std::fs::copy(from.join(&name), to.join(&name)).unwrap();
    }
    to.to_path_buf()
}

/// A data file with a value for every column (no column list), generated
/// ones included: those derived from masked columns become `DEFAULT`, so
/// the server recomputes them from the masked values.
#[test]
fn generated_column_values_become_default() {
    let tmp = tempfile::tempdir().unwrap();
    let input = copy_variant("plain", &tmp.path().join("in"));
    std::fs::write(
        input.join("masker_mydumper.users.sql"),
        "/*!40101 SET NAMES binary*/;\n/*!40014 SET FOREIGN_KEY_CHECKS=0*/;\n/*!40103 SET TIME_ZONE='+00:00' */;\n\
         INSERT INTO `users` VALUES\n(1,\"alice.liddell@wonder.example\",\"Alice Liddell\",\"090-1111-2222\",\"wonder.example\",\"ALICE LIDDELL\",NULL,NULL,NULL,\"2024-02-03 04:05:06\");\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let r = mask_dir(&rules(), &input, &out, &[]);
    assert_eq!(code(&r), 0, "{}", stderr(&r));
    let text = std::fs::read_to_string(out.join("masker_mydumper.users.sql")).unwrap();
    assert!(text.contains(",DEFAULT,DEFAULT,NULL,NULL,"), "{text}");
    for original in ["wonder.example", "ALICE LIDDELL", "Alice Liddell"] {
        assert!(!text.contains(original), "{original} in {text}");
    }
}

/// `mask`, `check` and `explain` on one broken directory: every one fails
/// with `code` and names `what`; `mask` writes nothing. `rows`: the problem
/// is in a row (`explain` reads none, so it passes).
fn refused_by_all(input: &Path, rules: &Path, code_expected: i32, what: &[&str], rows: bool) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let m = mask_dir(rules, input, &out, &[]);
    let c = check_dir(rules, input, &[]);
    let e = explain_dir(rules, input, &[]);
    let mut runs = vec![("mask", &m), ("check", &c)];
    if !rows {
        runs.push(("explain", &e));
    } else {
        assert_eq!(code(&e), 0, "explain reads no row: {}", stderr(&e));
    }
    for (cmd, r) in runs {
        assert_eq!(code(r), code_expected, "{cmd}: {}", stderr(r));
        for w in what {
            assert!(stderr(r).contains(w), "{cmd}: {w:?} not in {}", stderr(r));
        }
    }
    assert_eq!(names(tmp.path()), Vec::<String>::new(), "nothing written");
}

#[test]
fn check_and_explain_refuse_what_mask_refuses() {
    let tmp = tempfile::tempdir().unwrap();
    let rules_text = std::fs::read_to_string(rules()).unwrap();

    // An unclassified column under strict rules (exit 3), listed with a
    // rule for a table the directory does not have.
    let input = copy_variant("plain", &tmp.path().join("strict"));
    let strict = tmp.path().join("strict.toml");
    std::fs::write(
        &strict,
        rules_text.replace(
            "note = { transform = \"constant\", value = \"[note]\" }\n",
            "",
        ) + "\n[tables.invoices]\nemail = \"hash\"\n",
    )
    .unwrap();
    refused_by_all(&input, &strict, 3, &["note", "invoices"], false);
    // --allow-missing drops only the missing table.
    let m = mask_dir(&strict, &input, &tmp.path().join("o"), &["--allow-missing"]);
    assert_eq!(code(&m), 3, "{}", stderr(&m));
    assert!(!stderr(&m).contains("invoices"), "{}", stderr(&m));

    // A schema file that cannot be parsed (exit 1), and a data file whose
    // schema file is gone, both listed at once.
    let input = copy_variant("chunked", &tmp.path().join("schema"));
    std::fs::write(
        input.join("masker_mydumper.users-schema.sql"),
        "/*!40101 SET NAMES binary*/;\nCREATE TABLE `users` (\n  `id` int(11) NOT NULL,\n  `email` varchar(255",
    )
    .unwrap();
    std::fs::remove_file(input.join("masker_mydumper.orders-schema.sql")).unwrap();
    refused_by_all(
        &input,
        &rules(),
        1,
        &[
            "masker_mydumper.users-schema.sql",
            "masker_mydumper.orders.00001.sql: no schema file (masker_mydumper.orders-schema.sql)",
        ],
        false,
    );

    // mydumper --load-data / --csv files, and files mydumper never writes.
    let input = copy_variant("plain", &tmp.path().join("csv"));
    std::fs::write(input.join("masker_mydumper.users.00000.dat"), "1\ta\n").unwrap();
    std::fs::write(input.join("notes.txt"), "x").unwrap();
    refused_by_all(
        &input,
        &rules(),
        1,
        &[
            "masker_mydumper.users.00000.dat: a LOAD DATA / CSV data file",
            "notes.txt: not a file mydumper writes",
        ],
        false,
    );

    // A row cut in the middle: the file, its line and byte offset.
    let input = copy_variant("plain", &tmp.path().join("cut"));
    let data = input.join("masker_mydumper.orders.sql");
    let text = std::fs::read(&data).unwrap();
    std::fs::write(&data, &text[..text.len() - 30]).unwrap();
    refused_by_all(
        &input,
        &rules(),
        1,
        &["masker_mydumper.orders.sql", "line"],
        true,
    );

    // A rule whose values latin1 cannot hold: refused when the table is
    // bound (exit 3), before any row is read.
    let input = copy_variant("plain", &tmp.path().join("latin1"));
    let kanji = tmp.path().join("kanji.toml");
    std::fs::write(
        &kanji,
        rules_text.replace(
            "[tables.customers_latin1]\nid = \"keep\"\nname = { transform = \"fake\", kind = \"name\" }",
            "[tables.customers_latin1]\nid = \"keep\"\nname = { transform = \"fake\", kind = \"name\", locale = \"ja_JP\" }",
        ),
    )
    .unwrap();
    assert_ne!(std::fs::read_to_string(&kanji).unwrap(), rules_text);
    refused_by_all(
        &input,
        &kanji,
        3,
        &["masker_mydumper.customers_latin1.name", "cannot hold"],
        false,
    );

    // A dump mydumper did not finish: refused unless --allow-incomplete.
    let input = copy_variant("plain", &tmp.path().join("unfinished"));
    std::fs::write(
        input.join("metadata"),
        "Started dump at: 2026-11-27 19:50:12\n",
    )
    .unwrap();
    let out = tmp.path().join("unfinished-out");
    let m = mask_dir(&rules(), &input, &out, &[]);
    assert_eq!(code(&m), 1, "{}", stderr(&m));
    assert!(stderr(&m).contains("Finished dump at"), "{}", stderr(&m));
    assert!(!out.exists());
    let c = check_dir(&rules(), &input, &[]);
    assert_eq!(code(&c), 1, "{}", stderr(&c));
    let c = check_dir(&rules(), &input, &["--allow-incomplete"]);
    assert_eq!(code(&c), 0, "{}", stderr(&c));
    let m = mask_dir(&rules(), &input, &out, &["--allow-incomplete"]);
    assert_eq!(code(&m), 0, "{}", stderr(&m));

    // The committed directories pass all three, without the key for check.
    for variant in VARIANTS {
        let input = testdata(&format!("mydumper/{variant}"));
        let c = check_dir(&rules(), &input, &[]);
        assert_eq!(code(&c), 0, "{}", stderr(&c));
        assert!(
            stderr(&c).contains("rules OK: 4 tables, 14 rows"),
            "{}",
            stderr(&c)
        );
        let e = explain_dir(&rules(), &input, &[]);
        assert_eq!(code(&e), 0, "{}", stderr(&e));
        let plan = stdout_str(&e);
        assert!(plan.contains("masker_mydumper.users\n"), "{plan}");
        assert!(plan.contains("hash format=email"), "{plan}");
    }
}

/// Flags that do nothing with a mydumper directory are refused, and so is
/// a directory that is not one.
#[test]
fn idle_flags_and_other_directories_are_refused() {
    let input = testdata("mydumper/plain");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for flag in [
        &["--compress", "gzip"][..],
        &["--table", "users"],
        &["--to", "tsv", "--out-dir", "x"],
    ] {
        let r = mask_dir(&rules(), &input, &out, flag);
        assert_eq!(code(&r), 2, "{flag:?}: {}", stderr(&r));
        assert!(
            stderr(&r).contains("nothing with a mydumper directory"),
            "{}",
            stderr(&r)
        );
    }
    let r = masker_with(&[
        "mask".as_ref(),
        "--rules".as_ref(),
        rules().as_os_str(),
        input.as_os_str(),
    ]);
    assert_eq!(code(&r), 2, "{}", stderr(&r));
    assert!(stderr(&r).contains("give -o OUT_DIR"), "{}", stderr(&r));
    let other = testdata("rules");
    let r = mask_dir(&rules(), &other, &out, &[]);
    assert_eq!(code(&r), 2, "{}", stderr(&r));
    assert!(
        stderr(&r).contains("not a mydumper directory"),
        "{}",
        stderr(&r)
    );
    let c = check_dir(&rules(), &other, &[]);
    assert_eq!(code(&c), 2, "{}", stderr(&c));
    assert!(!out.exists());
}

/// Output paths as for `--tab` directories: never the input, inside it, or
/// around it; a non-empty one only with --force, replaced whole after
/// success; a failure leaves the old one and no temporary directory.
#[test]
fn output_paths_are_safe() {
    let tmp = tempfile::tempdir().unwrap();
    let input = copy_variant("plain", &tmp.path().join("dump"));
    let before = names(&input);
    for (out, extra) in [
        (input.clone(), &["--force"][..]),
        (input.join("masked"), &[]),
        (tmp.path().to_path_buf(), &["--force"]),
    ] {
        let r = mask_dir(&rules(), &input, &out, extra);
        assert_eq!(code(&r), 2, "{}: {}", out.display(), stderr(&r));
        assert_eq!(names(&input), before, "the input is untouched");
    }
    // The same check guards `--tab` directories.
    let mut c = masker();
    c.args(["mask", "--rules"])
        .arg(empty_rules())
        .arg("--tab")
        .arg(&input)
        .arg("-o")
        .arg(input.join("masked"));
    let r = run(&mut c, None);
    assert_eq!(code(&r), 2, "{}", stderr(&r));
    assert!(
        stderr(&r).contains("inside the --tab input directory"),
        "{}",
        stderr(&r)
    );
    assert_eq!(names(&input), before);
    // A non-empty output needs --force; a failed run keeps the old one.
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("old.txt"), "old key").unwrap();
    let r = mask_dir(&rules(), &input, &out, &[]);
    assert_eq!(code(&r), 2, "{}", stderr(&r));
    let data = input.join("masker_mydumper.users.sql");
    let good = std::fs::read(&data).unwrap();
    std::fs::write(&data, &good[..good.len() / 2]).unwrap();
    let r = mask_dir(&rules(), &input, &out, &["--force"]);
    assert_eq!(code(&r), 1, "{}", stderr(&r));
    assert!(!stderr(&r).contains("masker-tmp"), "{}", stderr(&r));
    assert_eq!(names(&out), ["old.txt"]);
    assert_eq!(
        names(tmp.path()),
        ["dump", "out"],
        "no temporary directory left"
    );
    std::fs::write(&data, &good).unwrap();
    let r = mask_dir(&rules(), &input, &out, &["--force"]);
    assert_eq!(code(&r), 0, "{}", stderr(&r));
    assert_eq!(names(&out), before);
}

// ---------------------------------------------------------------------------
// Live: mydumper -> masker mask -> myloader
// ---------------------------------------------------------------------------

fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn row_count(db: &str, table: &str) -> u64 {
    sql(None, &format!("SELECT COUNT(*) FROM `{db}`.`{table}`"))
        .trim()
        .parse()
        .unwrap()
}

/// Every value of every column of `db`'s base tables, as bytes.
fn all_values(db: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for t in base_tables(db) {
        let cols = sql(
            None,
            &format!(
                "SELECT GROUP_CONCAT(CONCAT('IFNULL(HEX(CAST(`', COLUMN_NAME, '` AS BINARY)),''N'')') ORDER BY ORDINAL_POSITION SEPARATOR ',') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '{db}' AND TABLE_NAME = '{t}'"
            ),
        );
        let rows = sql(
            None,
            &format!("SELECT CONCAT_WS(' ', {}) FROM `{db}`.`{t}`", cols.trim()),
        );
        for field in rows.split(|c: char| c.is_whitespace()) {
            if field != "N" && !field.is_empty() {
                out.extend(unhex(field));
                out.push(b'\n');
            }
        }
    }
    out
}

/// mydumper dumps a scratch copy of shop.sql, masker masks the directory,
/// myloader loads it into a fresh database: the same tables and row counts,
/// no original value anywhere (generated columns recomputed from masked
/// values), and the unmasked columns equal.
#[test]
fn live_mydumper_mask_myloader_round_trip() {
    require_mariadb();
    if !have("mydumper") || !have("myloader") {
        eprintln!(
            "SKIPPED live_mydumper_mask_myloader_round_trip: mydumper or myloader is not installed (apt-get install mydumper)"
        );
        return;
    }
    let src = ScratchDb::create(&db_name("mydumper", "src"));
    let copy = ScratchDb::create(&db_name("mydumper", "copy"));
    let shop = std::fs::read(testdata("mydumper/shop.sql")).unwrap();
    let out = load_bytes(Some(src.name()), &shop, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let tmp = tempfile::tempdir().unwrap();
    let dumped = tmp.path().join("dump");
    let conn = conn_args();
    let r = run(
        Command::new("mydumper")
            .args(&conn)
            .args(["-B", src.name(), "-G", "--rows", "2", "--compress", "-o"])
            .arg(&dumped),
        None,
    );
    assert!(r.status.success(), "mydumper: {}", stderr(&r));
    // Rules keyed by table name only: the scratch database has its own name.
    let rules_path = tmp.path().join("rules.toml");
    std::fs::write(
        &rules_path,
        std::fs::read_to_string(rules())
            .unwrap()
            .replace("[tables.\"masker_mydumper.orders\"]", "[tables.orders]"),
    )
    .unwrap();
    let masked = tmp.path().join("masked");
    let r = mask_dir(&rules_path, &dumped, &masked, &["-q"]);
    assert_eq!(code(&r), 0, "{}", stderr(&r));
    let r = run(
        Command::new("myloader")
            .args(&conn)
            .args(["-s", src.name(), "-B", copy.name(), "-o", "-d"])
            .arg(&masked),
        None,
    );
    assert!(r.status.success(), "myloader: {}", stderr(&r));
    let tables = base_tables(src.name());
    assert_eq!(base_tables(copy.name()), tables);
    assert_eq!(tables.len(), 4, "{tables:?}");
    for t in &tables {
        assert_eq!(row_count(copy.name(), t), row_count(src.name(), t), "{t}");
    }
    let loaded = all_values(copy.name());
    let mut found = Vec::new();
    for o in originals().iter().chain(&latin1_as_utf8()) {
        // The escaped forms are files' bytes; look for the raw values too.
        if contains(&loaded, o) {
            found.push(String::from_utf8_lossy(o).into_owned());
        }
    }
    for raw in [
        &b"\x00\xff\n\r\x1a'\\\""[..],
        b"\x89PNG\r\n\x1a\n",
        b"line one\nline two",
        b"ALICE LIDDELL",
    ] {
        if contains(&loaded, raw) {
            found.push(String::from_utf8_lossy(raw).into_owned());
        }
    }
    assert!(found.is_empty(), "originals in the loaded copy: {found:?}");
    // Unmasked columns are equal.
    for q in [
        "SELECT GROUP_CONCAT(id, ':', user_id, ':', amount ORDER BY id) FROM orders",
        "SELECT GROUP_CONCAT(id ORDER BY id) FROM users",
    ] {
        let a = sql(Some(src.name()), q);
        let b = sql(Some(copy.name()), q);
        assert_eq!(a, b, "{q}");
    }
    // The generated column was recomputed from the masked email.
    let domains = sql(
        Some(copy.name()),
        "SELECT GROUP_CONCAT(email_domain = SUBSTRING_INDEX(email, '@', -1)) FROM users",
    );
    assert_eq!(domains.trim(), "1,1,1,1");
}

/// Regression (QA): a directory of `mydumper --no-schemas` (metadata and data
/// files, no schema files) was called "not a mydumper directory"; it is one,
/// without the schemas no rule can apply to.
#[test]
fn regression_a_no_schemas_directory_says_what_it_lacks() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("no-schemas");
    std::fs::create_dir(&input).unwrap();
    for entry in std::fs::read_dir(testdata("mydumper/plain")).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.contains("-schema") {
            std::fs::copy(entry.path(), input.join(&name)).unwrap();
        }
    }
    let out = tmp.path().join("out");
    let r = mask_dir(&rules(), &input, &out, &[]);
    let c = check_dir(&rules(), &input, &[]);
    for o in [&r, &c] {
        assert_eq!(code(o), 2, "{}", stderr(o));
        assert!(
            stderr(o).contains("no `db.table-schema.sql` file (dumped with --no-schemas?)"),
            "{}",
            stderr(o)
        );
    }
    assert!(!out.exists());
}
