//! The `LOAD DATA` dialect of a `mysqldump --tab` directory in the commands
//! that read one besides `mask --tab` and `check --tab`: `scan` and
//! `verify-leaks` take the same `--fields-*` / `--lines-*` flags and read
//! every directory input in that dialect (the flags with no directory input
//! are refused, never ignored); without them a directory in another dialect
//! is an error that says so, never a clean report. And `explain --tab DIR`
//! prints the plan `mask --tab` binds, the same as for a SQL dump.
//!
//! The directory is `testdata/mariadb/tab_csv`, made by `mariadb-dump --tab
//! --fields-terminated-by=, --fields-enclosed-by='"'` (see
//! `refresh_tab_csv.sh`): emails in `customers.email`, inside the free text
//! of `customers.note`, and copied into `orders.contact`; values with
//! commas, quotes, a newline and NULLs.

mod util;

use std::path::{Path, PathBuf};
use std::process::Output;

use util::*;

const KEY: &str = "tab-dialect-test-key-0123";

/// The dialect the directory was dumped in.
const DIALECT: &[&str] = &["--fields-terminated-by", ",", "--fields-enclosed-by", "\""];

/// Masks only `customers.email`: the copies in `customers.note` and
/// `orders.contact` survive.
const PARTIAL: &str = "[tables.customers]\nemail = { transform = \"hash\", format = \"email\" }\n";

/// Masks every column that holds an email or a name.
const COMPLETE: &str = "[tables.customers]\n\
email = { transform = \"hash\", format = \"email\" }\n\
name = \"null\"\n\
note = \"null\"\n\
[tables.orders]\n\
contact = { transform = \"hash\", format = \"email\" }\n";

/// A scratch copy of the directory (`csv`) and the two rules files.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&testdata("mariadb/tab_csv"), &dir.path().join("csv"));
        std::fs::write(dir.path().join("partial.toml"), PARTIAL).unwrap();
        std::fs::write(dir.path().join("complete.toml"), COMPLETE).unwrap();
        Fixture { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// Copy the files of `from` into a new directory `to`.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for f in files_in(from, "") {
        std::fs::copy(&f, to.join(f.file_name().unwrap())).unwrap();
    }
}

fn scan(dir: &Path, extra: &[&str]) -> Output {
    let mut c = masker();
    c.args(["scan", "--json"]).args(extra).arg(dir);
    run(&mut c, None)
}

/// (column, kind) of each finding of `scan --json`, and the whole report.
fn findings(out: &Output) -> (Vec<(String, String)>, serde_json::Value) {
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout_str(out)));
    let list = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (finding_column(f), f["kind"].as_str().unwrap().to_owned()))
        .collect();
    (list, v)
}

fn verify(rules: &Path, original: &Path, masked: &Path, extra: &[&str]) -> Output {
    let mut c = masker();
    c.env("MASKER_KEY", KEY)
        .args(["verify-leaks", "--json", "--rules"])
        .arg(rules)
        .arg(original)
        .arg(masked)
        .args(extra);
    run(&mut c, None)
}

/// The columns `verify-leaks --json` reports survivors in.
fn survivors(out: &Output) -> Vec<String> {
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout_str(out)));
    v["survivors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["column"].as_str().unwrap().to_owned())
        .collect()
}

fn mask_tab(rules: &Path, dir: &Path, out: &Path, extra: &[&str]) -> Output {
    util::mask_tab(KEY, rules, dir, out, &[&["-q"], extra].concat())
}

fn explain(args: &[&std::ffi::OsStr]) -> Output {
    let mut c = masker();
    c.arg("explain").args(args);
    run(&mut c, None)
}

/// What a comma-separated directory read as tab-separated fails with: the
/// first data file, its first row, and the dialect named; nothing on stdout.
fn assert_wrong_dialect_error(what: &str, out: &Output) {
    assert_eq!(code(out), 1, "{what}: {}", stderr(out));
    let err = stderr(out);
    for want in [
        "line 1, byte offset 0",
        "customers.txt: a row of `customers` has 1 fields but 4 were expected",
        "the row holds no field terminator `\\t`: if the file was written with other FIELDS or LINES options, read it with the same ones",
    ] {
        assert!(err.contains(want), "{what}: {want:?} not in {err}");
    }
    assert!(!err.contains("correo-example"), "{what}: a value in {err}");
    assert_eq!(stdout_str(out), "", "{what}: no report");
}

/// `scan` with the directory's flags splits and unquotes the fields: the
/// emails are whole values of `customers.email` and `orders.contact`
/// (not text holding an email), and inside the notes. Without the flags
/// every row is one field: an error naming the file and the dialect, not
/// an empty report.
#[test]
fn scan_reads_a_tab_directory_in_the_dialect_of_its_flags() {
    let fx = Fixture::new();
    let out = scan(&fx.path("csv"), DIALECT);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let (got, report) = findings(&out);
    let want = [
        ("customers.email", "email"),
        ("customers.name", "person_name"),
        ("customers.note", "email"),
        ("orders.contact", "email"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(c, k)| (c.to_string(), k.to_string()))
        .collect();
    assert_eq!(got, want);
    // Every email is a whole value once the enclosure is taken off.
    let evidence = |col: &str| {
        report
            .as_array()
            .unwrap()
            .iter()
            .find(|f| finding_column(f) == col)
            .unwrap()["evidence"]
            .clone()
    };
    let email = serde_json::json!({"detector": "email", "matched": 24, "sampled": 24});
    assert!(
        evidence("customers.email")
            .as_array()
            .unwrap()
            .contains(&email),
        "{}",
        evidence("customers.email")
    );
    let contact = serde_json::json!({"detector": "email", "matched": 20, "sampled": 20});
    assert!(
        evidence("orders.contact")
            .as_array()
            .unwrap()
            .contains(&contact),
        "{}",
        evidence("orders.contact")
    );
    assert!(!stdout_str(&out).contains("correo-example"));

    let out = scan(&fx.path("csv"), &[]);
    assert_wrong_dialect_error("scan without the flags", &out);
}

/// `verify-leaks` with the directory's flags: an unmasked copy reports the
/// copies of the masked emails (exit 5); a copy made by `mask --tab` with
/// the same flags reports exactly what its rules leave (nothing for
/// complete rules). Without the flags: an error, never "no original value
/// survived".
#[test]
fn verify_leaks_reads_tab_directories_in_the_dialect_of_their_flags() {
    let fx = Fixture::new();
    let original = fx.path("csv");
    let copy = fx.path("copy");
    copy_dir(&original, &copy);
    let leaked = vec!["customers.note".to_owned(), "orders.contact".to_owned()];

    let out = verify(&fx.path("partial.toml"), &original, &copy, DIALECT);
    assert_eq!(code(&out), 5, "unmasked copy: {}", stderr(&out));
    assert_eq!(survivors(&out), leaked, "unmasked copy");
    assert!(!stdout_str(&out).contains("correo-example"));

    for (rules, want) in [("partial.toml", leaked.clone()), ("complete.toml", vec![])] {
        let masked = fx.path(&format!("{rules}.masked"));
        let m = mask_tab(&fx.path(rules), &original, &masked, DIALECT);
        assert_eq!(code(&m), 0, "{rules}: mask: {}", stderr(&m));
        // Written in the same dialect.
        let text = std::fs::read_to_string(masked.join("orders.txt")).unwrap();
        assert!(text.starts_with("\"101\",\"1\",\""), "{rules}: {text}");
        let out = verify(&fx.path(rules), &original, &masked, DIALECT);
        let expect = if want.is_empty() { 0 } else { 5 };
        assert_eq!(code(&out), expect, "{rules}: {}", stderr(&out));
        assert_eq!(survivors(&out), want, "{rules}");
        if want.is_empty() {
            assert!(
                stderr(&out).contains("no original value survived"),
                "{}",
                stderr(&out)
            );
        }
    }

    let out = verify(&fx.path("partial.toml"), &original, &copy, &[]);
    assert_wrong_dialect_error("verify-leaks without the flags", &out);
}

/// A dialect flag where no input is a directory would do nothing: `scan`
/// of a SQL dump or a live server, `verify-leaks` of two SQL dumps refuse
/// it (exit 2) and name the flags. `mask --leak-check --tab` (refused)
/// points at `verify-leaks` with the same flags.
#[test]
fn dialect_flags_without_a_directory_are_refused() {
    let fx = Fixture::new();
    let dump = testdata("example/shop.sql");
    let out = scan(&dump, DIALECT);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let want = format!(
        "--fields-terminated-by, --fields-enclosed-by do nothing with {} (not a directory): the --fields-* and --lines-* flags describe the data files of a `mysqldump --tab` directory",
        dump.display()
    );
    assert!(stderr(&out).contains(&want), "{}", stderr(&out));
    assert_eq!(stdout_str(&out), "");

    // Refused before any connection is tried.
    let mut c = masker();
    c.args([
        "scan",
        "--url",
        "mysql://nobody@127.0.0.1:1/",
        "--lines-terminated-by",
        "\\r\\n",
    ]);
    let out = run(&mut c, None);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--lines-terminated-by does nothing with a live server"),
        "{}",
        stderr(&out)
    );

    let out = verify(
        &testdata("example/rules.toml"),
        &dump,
        &dump,
        &["--fields-escaped-by", ""],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "--fields-escaped-by does nothing with ORIGINAL and MASKED that are not directories"
        ),
        "{}",
        stderr(&out)
    );

    let mut extra = vec!["--leak-check"];
    extra.extend_from_slice(DIALECT);
    let out = mask_tab(
        &fx.path("complete.toml"),
        &fx.path("csv"),
        &fx.path("o"),
        &extra,
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`masker verify-leaks --rules RULES IN_DIR OUT_DIR` (and the same --fields-* / --lines-* flags, if any)"),
        "{}",
        stderr(&out)
    );
    assert!(!fx.path("o").exists());
}

/// `explain --tab DIR` binds each table's `X.sql` as `mask --tab` does and
/// prints the same plan as `explain` of a SQL dump holding the same
/// `CREATE TABLE`s; it refuses what `check --tab` refuses before reading a
/// row, takes `--database` and `--allow-missing` as it does, and a `--tab`
/// directory given without `--tab` is named with the command that explains it.
#[test]
fn explain_tab_prints_the_plan_of_a_sql_dump() {
    let fx = Fixture::new();
    let dir = fx.path("csv");
    let rules = fx.path("complete.toml");
    let out = explain(&[
        "--rules".as_ref(),
        rules.as_ref(),
        "--tab".as_ref(),
        dir.as_ref(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let plan = stdout_str(&out);
    for want in [
        "customers\n  id     keep\n  email  hash format=email",
        "  name   null\n  note   null\norders\n",
        "  contact      hash format=email",
        "  amount       keep\n",
    ] {
        assert!(plan.contains(want), "{want:?} not in {plan}");
    }
    // The same as for a SQL dump of the schema files.
    let mut sql = Vec::new();
    for f in files_in(&dir, ".sql") {
        sql.extend(std::fs::read(f).unwrap());
    }
    let dump = fx.path("schema.sql");
    std::fs::write(&dump, sql).unwrap();
    let out = explain(&["--rules".as_ref(), rules.as_ref(), dump.as_ref()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout_str(&out), plan);

    // Rules that do not fit: the error `check --tab` gives (check names the
    // rules file in front).
    let bad = fx.path("bad.toml");
    std::fs::write(
        &bad,
        "[tables.\"masker_tab_csv.customers\"]\nemail = \"hash\"\nphone = \"null\"\n[tables.ghost]\nx = \"null\"\n",
    )
    .unwrap();
    let db = ["--database", "masker_tab_csv"];
    let mut c = masker();
    c.args(["explain", "--rules"])
        .arg(&bad)
        .arg("--tab")
        .arg(&dir)
        .args(db);
    let e = run(&mut c, None);
    let mut c = masker();
    c.args(["check", "--rules"])
        .arg(&bad)
        .arg("--tab")
        .arg(&dir)
        .args(db)
        .args(DIALECT);
    let k = run(&mut c, None);
    for (cmd, r) in [("explain", &e), ("check", &k)] {
        assert_eq!(code(r), 3, "{cmd}: {}", stderr(r));
        for w in [
            "masker_tab_csv.customers.phone: no such column",
            "ghost: no such table",
        ] {
            assert!(stderr(r).contains(w), "{cmd}: {w:?} not in {}", stderr(r));
        }
    }
    assert_eq!(
        stderr(&e).replace("masker: error: ", ""),
        stderr(&k)
            .lines()
            .filter(|l| !l.starts_with("masker: note:"))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
            .replace(&format!("masker: error: {}: ", bad.display()), "")
    );
    // The fitting part with --allow-missing: tables named with --database.
    std::fs::write(
        &bad,
        "[tables.\"masker_tab_csv.customers\"]\nemail = \"hash\"\n[tables.ghost]\nx = \"null\"\n",
    )
    .unwrap();
    let mut c = masker();
    c.args(["explain", "--rules"])
        .arg(&bad)
        .arg("--tab")
        .arg(&dir)
        .args(db);
    assert_eq!(code(&run(&mut c, None)), 3);
    c.arg("--allow-missing");
    let out = run(&mut c, None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout_str(&out).contains("masker_tab_csv.customers\n  id     keep\n  email  hash hex(64)"),
        "{}",
        stdout_str(&out)
    );

    // The directory as DUMP: named, with the command that explains it.
    let out = explain(&["--rules".as_ref(), rules.as_ref(), dir.as_ref()]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let want = format!(
        "is a `mysqldump --tab` directory (customers.sql + customers.txt), not a mydumper directory: give it with --tab: `masker explain --rules RULES --tab {}`",
        dir.display()
    );
    assert!(stderr(&out).contains(&want), "{}", stderr(&out));
    // Flags that do nothing are refused.
    for (args, says) in [
        (
            vec!["--tab".as_ref(), dir.as_os_str(), dump.as_os_str()],
            "do not give an INPUT as well",
        ),
        (
            vec!["--database".as_ref(), "shop".as_ref(), dump.as_os_str()],
            "--database is for a `mysqldump --tab` directory: give it with --tab DIR",
        ),
    ] {
        let mut all = vec!["--rules".as_ref(), rules.as_os_str()];
        all.extend(args);
        let out = explain(&all);
        assert_eq!(code(&out), 2, "{says}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
}
