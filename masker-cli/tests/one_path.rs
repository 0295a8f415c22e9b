//! Regressions of the one-masking-path issue (#15) and the honest-reports
//! items of #11: every path masks derived columns alike, `check` refuses what
//! `mask` refuses, every plan problem at once, the export's table lifecycle,
//! broken pipes with an export, truncated dumps, filters and counts. The
//! output files themselves are searched for original values.

mod util;

use std::io::Read;
use std::path::Path;
use std::process::Stdio;

use util::*;

const KEY: &str = "one-path-test-key-0123";

const PEOPLE_DDL: &str = "CREATE TABLE `people` (\n  `id` int(11) NOT NULL,\n  `first` varchar(40) DEFAULT NULL,\n  `last` varchar(40) DEFAULT NULL,\n  `email` varchar(80) DEFAULT NULL,\n  `full_name` varchar(81) GENERATED ALWAYS AS (concat(`first`,' ',`last`)) STORED,\n  `email_lc` varchar(80) GENERATED ALWAYS AS (lcase(`email`)) VIRTUAL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n";

const PEOPLE_RULES: &str = "[tables.people]\nfirst = { transform = \"fake\", kind = \"first_name\" }\nlast = { transform = \"fake\", kind = \"last_name\" }\nemail = { transform = \"hash\", format = \"email\" }\n";

/// Originals that must not survive anywhere.
const ORIGINALS: &[&str] = &[
    "Hanako",
    "Yamada",
    "Hanako Yamada",
    "Hanako.Yamada@Example.JP",
    "hanako.yamada@example.jp",
    "Taro",
    "Suzuki",
    "Taro Suzuki",
    "taro@corp.example",
];

fn write(dir: &Path, name: &str, data: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p
}

/// Every file under `dir`, decompressed when gzip or zstd.
fn all_output(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(all_output(&p));
            continue;
        }
        let raw = std::fs::read(&p).unwrap();
        let data = if raw.starts_with(&[0x1f, 0x8b]) {
            let mut v = Vec::new();
            flate2::read::MultiGzDecoder::new(&raw[..])
                .read_to_end(&mut v)
                .unwrap();
            v
        } else if raw.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            zstd::decode_all(&raw[..]).unwrap()
        } else {
            raw
        };
        out.push((p.display().to_string(), data));
    }
    out
}

fn assert_no_originals(files: &[(String, Vec<u8>)]) {
    assert!(!files.is_empty());
    for (name, data) in files {
        for o in ORIGINALS {
            assert!(
                !contains(data, o.as_bytes()),
                "{name} still holds an original value ({o})"
            );
        }
    }
}

fn masker_in(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut c = masker();
    c.current_dir(dir).env("MASKER_KEY", KEY).args(args);
    run(&mut c, None)
}

/// Issue 15: `--tab` output kept the original names and emails in generated
/// columns; every path (SQL, `--tab`, one TSV stream, the export, compressed
/// outputs) must write no original value of a masked column anywhere.
#[test]
fn generated_columns_never_leak_on_any_path() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "rules.toml", PEOPLE_RULES.as_bytes());
    // MariaDB style: a value for every column, generated ones included.
    let dump = format!(
        "-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB\nUSE `shop`;\n{PEOPLE_DDL}INSERT INTO `people` VALUES (1,'Hanako','Yamada','Hanako.Yamada@Example.JP','Hanako Yamada','hanako.yamada@example.jp'),\n(2,'Taro','Suzuki','taro@corp.example','Taro Suzuki','taro@corp.example');\n-- Dump completed on 2026-11-27 10:00:00\n"
    );
    write(d, "dump.sql", dump.as_bytes());
    std::fs::create_dir(d.join("tab")).unwrap();
    write(d, "tab/people.sql", PEOPLE_DDL.as_bytes());
    let txt = "1\tHanako\tYamada\tHanako.Yamada@Example.JP\tHanako Yamada\thanako.yamada@example.jp\n2\tTaro\tSuzuki\ttaro@corp.example\tTaro Suzuki\ttaro@corp.example\n";
    write(d, "tab/people.txt", txt.as_bytes());
    std::fs::create_dir(d.join("out")).unwrap();

    for (what, args) in [
        (
            "sql",
            vec![
                "mask",
                "-r",
                "rules.toml",
                "dump.sql",
                "-o",
                "out/masked.sql",
            ],
        ),
        (
            "sql.gz",
            vec![
                "mask",
                "-r",
                "rules.toml",
                "dump.sql",
                "-o",
                "out/masked.sql.gz",
            ],
        ),
        (
            "sql.zst",
            vec![
                "mask",
                "-r",
                "rules.toml",
                "dump.sql",
                "-o",
                "out/masked.sql.zst",
            ],
        ),
        (
            "export",
            vec![
                "mask",
                "-r",
                "rules.toml",
                "dump.sql",
                "--to",
                "tsv",
                "--out-dir",
                "out/export",
                "--export-compress",
                "gzip",
            ],
        ),
        (
            "tab",
            vec!["mask", "-r", "rules.toml", "--tab", "tab", "-o", "out/tab"],
        ),
        (
            "tsv stream",
            vec![
                "mask",
                "-r",
                "rules.toml",
                "--format",
                "tsv",
                "--schema",
                "tab/people.sql",
                "tab/people.txt",
                "-o",
                "out/people.txt",
            ],
        ),
    ] {
        let o = masker_in(d, &args);
        assert_eq!(code(&o), 0, "{what}: {}", stderr(&o));
    }
    assert_no_originals(&all_output(&d.join("out")));
    // The SQL writes DEFAULT for the generated columns, the TSV \N.
    let sql = std::fs::read_to_string(d.join("out/masked.sql")).unwrap();
    assert!(sql.contains(",DEFAULT,DEFAULT)"), "{sql}");
    let tsv = std::fs::read_to_string(d.join("out/tab/people.txt")).unwrap();
    assert!(tsv.lines().all(|l| l.ends_with("\t\\N\t\\N")), "{tsv}");
}

/// Issue 15: in strict mode `check` skipped a CREATE TABLE it could not
/// parse and said "rules OK" while `mask` exited 3 on the same dump.
#[test]
fn check_refuses_what_mask_refuses_unreadable_create_table() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "rules.toml",
        b"strict = true\n[tables.t]\nid = \"keep\"\n",
    );
    write(
        d,
        "dump.sql",
        b"CREATE TABLE `t` (`id` int);\nCREATE TABLE `u` (`x` varchar);\nINSERT INTO `t` VALUES (1);\n",
    );
    let check = masker_in(d, &["check", "-r", "rules.toml", "dump.sql"]);
    let mask = masker_in(d, &["mask", "-r", "rules.toml", "dump.sql"]);
    assert_eq!(code(&mask), 3, "{}", stderr(&mask));
    assert_eq!(code(&check), 3, "{}", stderr(&check));
    assert!(
        stderr(&check).contains("u: cannot read its CREATE TABLE"),
        "{}",
        stderr(&check)
    );
}

/// `check` also refuses the bad inputs `mask` refuses, with the same exit code.
#[test]
fn check_and_mask_agree_on_every_bad_input() {
    let rules = testdata("example/rules.toml");
    for path in files_in(&testdata("bad"), ".sql") {
        let mask = mask_file(&rules, &path, &["--allow-missing"], Some(KEY));
        let mut c = masker();
        c.env("MASKER_KEY", KEY)
            .arg("check")
            .arg("--rules")
            .arg(&rules)
            .arg("--allow-missing")
            .arg(&path);
        let check = run(&mut c, None);
        assert_eq!(
            code(&check),
            code(&mask),
            "{}: check says {}, mask says {}",
            path.display(),
            stderr(&check),
            stderr(&mask)
        );
    }
}

/// Issue 15: strict mode in `mask` stopped at the first table with
/// unclassified columns; every problem must be reported at once.
#[test]
fn strict_mode_reports_every_unclassified_column_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "rules.toml",
        b"strict = true\n[tables.a]\nid = \"keep\"\n[tables.gone]\nx = \"null\"\n",
    );
    write(
        d,
        "dump.sql",
        b"CREATE TABLE `a` (`id` int, `email` text);\nINSERT INTO `a` VALUES (1,'x');\nCREATE TABLE `b` (`phone` text);\nINSERT INTO `b` VALUES ('1');\n",
    );
    for cmd in ["mask", "check"] {
        let o = masker_in(d, &[cmd, "-r", "rules.toml", "dump.sql"]);
        let err = stderr(&o);
        assert_eq!(code(&o), 3, "{cmd}: {err}");
        for want in [
            "a.email: not classified",
            "b.phone: not classified",
            "gone: no such table in the dump (tables.gone)",
        ] {
            assert!(err.contains(want), "{cmd}: {want} missing from {err}");
        }
        assert!(o.stdout.is_empty(), "{cmd} wrote output");
    }
}

/// Issue 15: INSERTs of table A, then B, then A again failed the export
/// with "export table a already ended".
#[test]
fn export_of_interleaved_tables_a_b_a() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "rules.toml", b"[tables.a]\nv = \"null\"\n");
    let mut dump =
        String::from("CREATE TABLE `a` (`id` int, `v` text);\nCREATE TABLE `b` (`id` int);\n");
    for i in 0..300 {
        dump +=
            &format!("INSERT INTO `a` VALUES ({i},'secret{i}');\nINSERT INTO `b` VALUES ({i});\n");
    }
    write(d, "dump.sql", dump.as_bytes());
    for compress in ["none", "gzip", "zstd"] {
        let dir = format!("x-{compress}");
        let o = masker_in(
            d,
            &[
                "mask",
                "-r",
                "rules.toml",
                "dump.sql",
                "--to",
                "tsv",
                "--out-dir",
                &dir,
                "--export-compress",
                compress,
                "-t",
                "2",
            ],
        );
        assert_eq!(code(&o), 0, "{compress}: {}", stderr(&o));
        let files = all_output(&d.join(&dir));
        let a = files
            .iter()
            .find(|(n, _)| n.contains("/a.tsv"))
            .expect("a.tsv");
        let b = files
            .iter()
            .find(|(n, _)| n.contains("/b.tsv"))
            .expect("b.tsv");
        let a_rows: Vec<&str> = std::str::from_utf8(&a.1).unwrap().lines().collect();
        assert_eq!(a_rows.len(), 301, "{compress}: header + 300 rows");
        assert_eq!(a_rows[1], "0\t\\N");
        assert_eq!(a_rows[300], "299\t\\N");
        assert_eq!(std::str::from_utf8(&b.1).unwrap().lines().count(), 301);
    }
}

/// Issue 15: a broken pipe on stdout exited 0 and silently dropped a
/// `--to tsv` export written in the same run.
#[test]
fn broken_pipe_with_an_export_fails_loudly() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut dump = String::from("CREATE TABLE `t` (`id` int, `v` text);\n");
    for i in 0..20_000 {
        dump += &format!("INSERT INTO `t` VALUES ({i},'some text to make the dump large {i}');\n");
    }
    write(d, "dump.sql", dump.as_bytes());
    let mut child = masker()
        .current_dir(d)
        .args(["mask", "-r"])
        .arg(empty_rules())
        .args([
            "dump.sql",
            "-o",
            "-",
            "--to",
            "tsv",
            "--out-dir",
            "export",
            "-q",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(code(&out), 4, "{err}");
    assert!(
        err.contains("export") && err.contains("not finished"),
        "{err}"
    );
    assert!(!d.join("export").exists(), "no export may look complete");
}

/// Issue 11: a mysqldump cut between two statements passed as complete.
#[test]
fn dump_cut_between_statements_is_truncated() {
    let tmp = tempfile::tempdir().unwrap();
    let full = std::fs::read(testdata("example/shop.sql")).unwrap();
    assert!(contains(&full, b"-- Dump completed"));
    let cut = full
        .windows(2)
        .rposition(|w| w == b";\n")
        .map(|i| &full[..i + 2])
        .unwrap();
    let mut cuts = vec![cut.to_vec()];
    // Every statement end before the last INSERT, too.
    let mut at = 0;
    while let Some(i) = full[at..].windows(2).position(|w| w == b";\n") {
        at += i + 2;
        if at < full.len() - 100 && full[..at].ends_with(b");\n") {
            cuts.push(full[..at].to_vec());
        }
    }
    for (n, data) in cuts.iter().enumerate() {
        let p = tmp.path().join(format!("cut{n}.sql"));
        std::fs::write(&p, data).unwrap();
        let o = mask_file(&empty_rules(), &p, &[], None);
        assert_eq!(code(&o), 1, "cut {n}: {}", stderr(&o));
        assert!(stderr(&o).contains("Dump completed"), "{}", stderr(&o));
        let o = mask_file(&empty_rules(), &p, &["--allow-incomplete"], None);
        assert_eq!(code(&o), 0, "cut {n}: {}", stderr(&o));
        assert_eq!(o.stdout, *data);
    }
}

/// Issue 11: `--tables usres` exported nothing with exit 0.
#[test]
fn export_filter_matching_nothing_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let shop = testdata("example/shop.sql");
    let shop = shop.to_str().unwrap();
    for (flag, name) in [
        ("--tables", "usres"),
        ("--exclude-tables", "nc_shop.orders"),
    ] {
        let o = masker_in(
            d,
            &[
                "mask",
                "-r",
                empty_rules().to_str().unwrap(),
                shop,
                "--to",
                "tsv",
                "--out-dir",
                "x",
                flag,
                name,
            ],
        );
        assert_eq!(code(&o), 3, "{}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("{name}: no such table in the input ({flag})")),
            "{}",
            stderr(&o)
        );
        assert!(!d.join("x").exists());
    }
}

/// Issue 11: "masked values" counted NULLs and every visited cell.
#[test]
fn counts_are_values_actually_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "rules.toml", b"[tables.t]\nv = \"null\"\nw = \"hash\"\n");
    // Defined twice: both copies count.
    let table = "CREATE TABLE `t` (`id` int, `v` text, `w` text);\nINSERT INTO `t` VALUES (1,NULL,NULL),(2,'a','x'),(3,NULL,'y');\n";
    write(d, "dump.sql", format!("{table}{table}").as_bytes());
    let o = masker_in(
        d,
        &["mask", "-r", "rules.toml", "dump.sql", "-o", "out.sql"],
    );
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    assert!(err.contains("t.v  2"), "{err}");
    assert!(err.contains("t.w  4"), "{err}");
}

/// Issue 15: a flag that does nothing in the chosen mode was ignored
/// (`--compress gzip` with TSV input wrote plain text).
#[test]
fn flags_that_do_nothing_in_a_mode_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join("tab")).unwrap();
    write(d, "tab/t.sql", b"CREATE TABLE `t` (`id` int, `v` text);\n");
    write(d, "tab/t.txt", b"1\ta\n");
    let rules = empty_rules();
    let rules = rules.to_str().unwrap();
    for (args, flag) in [
        (
            vec!["--tab", "tab", "-o", "out", "--compress", "gzip"],
            "--compress",
        ),
        (
            vec!["--tab", "tab", "-o", "out", "--allow-incomplete"],
            "--allow-incomplete",
        ),
        (
            vec![
                "--format",
                "tsv",
                "--table",
                "t",
                "--columns",
                "id,v",
                "tab/t.txt",
                "--allow-missing",
            ],
            "--allow-missing",
        ),
        (
            vec![
                "--format",
                "tsv",
                "--table",
                "t",
                "--columns",
                "id,v",
                "tab/t.txt",
                "--to",
                "tsv",
                "--out-dir",
                "x",
            ],
            "--to",
        ),
    ] {
        let mut all = vec!["mask", "-r", rules];
        all.extend(args);
        let o = masker_in(d, &all);
        assert_eq!(code(&o), 2, "{all:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(flag), "{}", stderr(&o));
    }
    // --compress now applies to a TSV stream's output.
    let o = masker_in(
        d,
        &[
            "mask",
            "-r",
            rules,
            "--format",
            "tsv",
            "--table",
            "t",
            "--columns",
            "id,v",
            "tab/t.txt",
            "--compress",
            "gzip",
            "-o",
            "t.txt.out",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(std::fs::read(d.join("t.txt.out"))
        .unwrap()
        .starts_with(&[0x1f, 0x8b]));
}

/// Issue 11: fpe on values with tiny domains is a lookup table; the summary
/// warns per column, and a key shorter than 16 bytes is warned about.
#[test]
fn small_fpe_domains_and_short_keys_are_warned_about() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "rules.toml", b"[tables.t]\ncode = \"fpe\"\n");
    write(
        d,
        "dump.sql",
        b"CREATE TABLE `t` (`id` int, `code` varchar(20));\nINSERT INTO `t` VALUES (1,'12'),(2,'AB-1234567'),(3,'7');\n",
    );
    let mut c = masker();
    c.current_dir(d).env("MASKER_KEY", "short").args([
        "mask",
        "-r",
        "rules.toml",
        "dump.sql",
        "-o",
        "out.sql",
    ]);
    let o = run(&mut c, None);
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    assert!(err.contains("fpe on t.code: 2 values"), "{err}");
    assert!(err.contains("warning") && err.contains("16"), "{err}");
    assert!(!err.contains("short"), "the key leaked: {err}");
}

/// Issue 11: `--to tsv` without `-o` reported MB "out" that were not written.
#[test]
fn an_export_alone_reports_no_sql_written() {
    let tmp = tempfile::tempdir().unwrap();
    let shop = testdata("example/shop.sql");
    let o = masker_in(
        tmp.path(),
        &[
            "mask",
            "-r",
            empty_rules().to_str().unwrap(),
            shop.to_str().unwrap(),
            "--to",
            "tsv",
            "--out-dir",
            "x",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("no SQL written"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}
