//! Helpers shared by the integration tests: where the `masker` binary and the
//! test data are, running it, talking to the local MariaDB with the
//! command-line clients, and scratch databases that are dropped even when a
//! test fails.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Path of the `masker` binary built for these tests.
pub fn masker_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("masker")
}

/// A `Command` for `masker` with a clean environment for the key variables.
pub fn masker() -> Command {
    let mut c = Command::new(masker_bin());
    c.env_remove("MASKER_KEY");
    c.env_remove("MASKER_TEST_UNSET_KEY");
    c
}

/// The workspace root (parent of masker-cli).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// A path under `testdata/`.
pub fn testdata(rel: &str) -> PathBuf {
    root().join("testdata").join(rel)
}

/// The rules file that has no tables (identity).
pub fn empty_rules() -> PathBuf {
    testdata("example/empty-rules.toml")
}

/// Sorted files in a directory whose names end with `suffix` ("" for all).
pub fn files_in(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .filter(|p| p.to_string_lossy().ends_with(suffix))
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

/// Run a command with optional stdin bytes; return its output.
pub fn run(cmd: &mut Command, stdin: Option<&[u8]>) -> Output {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let writer = stdin.map(|data| {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        let data = data.to_vec();
        std::thread::spawn(move || {
            // The child may exit early (an error); a broken pipe here is fine.
            let _ = pipe.write_all(&data);
        })
    });
    let out = child.wait_with_output().expect("wait for child");
    if let Some(w) = writer {
        let _ = w.join();
    }
    out
}

/// Exit code of a finished process (panics on death by signal).
pub fn code(out: &Output) -> i32 {
    out.status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {:?}\n{}", out.status, stderr(out)))
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout_str(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Wait for a child at most `limit`; kill it and return None if it is still running.
pub fn wait_timeout(
    child: &mut std::process::Child,
    limit: Duration,
) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    loop {
        if let Some(st) = child.try_wait().expect("try_wait") {
            return Some(st);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `masker mask --rules RULES INPUT` with extra args; returns the output.
pub fn mask_file(rules: &Path, input: &Path, extra: &[&str], key: Option<&str>) -> Output {
    let mut c = masker();
    c.arg("mask")
        .arg("--rules")
        .arg(rules)
        .arg(input)
        .args(extra);
    if let Some(k) = key {
        c.env("MASKER_KEY", k);
    }
    run(&mut c, None)
}

/// `masker mask --rules RULES --tab DIR -o OUT EXTRA...` with `MASKER_KEY`
/// set to `key`.
pub fn mask_tab(key: &str, rules: &Path, dir: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut c = masker();
    c.env("MASKER_KEY", key)
        .args(["mask", "--rules"])
        .arg(rules)
        .arg("--tab")
        .arg(dir)
        .arg("-o")
        .arg(out)
        .args(extra);
    run(&mut c, None)
}

/// `table.column` of one finding of `masker scan --json`.
pub fn finding_column(f: &serde_json::Value) -> String {
    format!(
        "{}.{}",
        f["table"].as_str().unwrap(),
        f["column"].as_str().unwrap()
    )
}

/// Like `mask_file`, but asserts success and returns stdout.
pub fn mask_ok(rules: &Path, input: &Path, extra: &[&str], key: Option<&str>) -> Vec<u8> {
    let out = mask_file(rules, input, extra, key);
    assert_eq!(
        code(&out),
        0,
        "masker mask --rules {} {} {:?} failed:\n{}",
        rules.display(),
        input.display(),
        extra,
        stderr(&out)
    );
    out.stdout
}

/// Position of the first difference of two byte strings, for messages.
pub fn first_diff(a: &[u8], b: &[u8]) -> Option<usize> {
    if a == b {
        return None;
    }
    Some(
        a.iter()
            .zip(b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len())),
    )
}

/// Assert two dumps are equal byte for byte, with a readable message.
pub fn assert_same_bytes(what: &str, expected: &[u8], actual: &[u8]) {
    if let Some(at) = first_diff(expected, actual) {
        let lo = at.saturating_sub(60);
        let ctx = |s: &[u8]| {
            String::from_utf8_lossy(&s[lo.min(s.len())..(at + 60).min(s.len())]).into_owned()
        };
        panic!(
            "{what}: output differs from the expected bytes at offset {at} (expected {} bytes, got {})\nexpected: {:?}\nactual:   {:?}",
            expected.len(),
            actual.len(),
            ctx(expected),
            ctx(actual)
        );
    }
}

/// Does `hay` contain `needle`?
pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Run an external tool (gzip, zstd, ...) on bytes; return stdout, panic on failure.
pub fn tool(program: &str, args: &[&str], input: &[u8]) -> Vec<u8> {
    let out = run(Command::new(program).args(args), Some(input));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        stderr(&out)
    );
    out.stdout
}

// ---------------------------------------------------------------------------
// MariaDB
// ---------------------------------------------------------------------------

/// Connection arguments for the `mariadb` / `mariadb-dump` clients.
pub fn conn_args() -> Vec<String> {
    vec![
        "-h".into(),
        std::env::var("MYSQL_HOST").unwrap_or_else(|_| "127.0.0.1".into()),
        "-P".into(),
        std::env::var("MYSQL_PORT").unwrap_or_else(|_| "3306".into()),
        "-u".into(),
        std::env::var("MYSQL_USER").unwrap_or_else(|_| "root".into()),
    ]
}

/// Panics with a clear message if MariaDB is not reachable.
pub fn require_mariadb() {
    let out = run(
        Command::new("mariadb")
            .args(conn_args())
            .args(["-N", "-e", "SELECT 1"]),
        None,
    );
    assert!(
        out.status.success(),
        "these tests need the local MariaDB (127.0.0.1:3306, root, empty password): {}",
        stderr(&out)
    );
}

/// Run SQL (no database selected unless `db`), utf8mb4 connection, batch mode
/// without column names. Panics on failure; returns stdout.
pub fn sql(db: Option<&str>, statements: &str) -> String {
    let out = sql_raw(db, statements, &[]);
    assert!(
        out.status.success(),
        "SQL failed: {}\n--- statements:\n{}",
        stderr(&out),
        truncate(statements, 2000)
    );
    stdout_str(&out)
}

/// Run SQL from stdin with extra client args; returns the raw output.
pub fn sql_raw(db: Option<&str>, statements: &str, extra: &[&str]) -> Output {
    load_bytes(
        db,
        statements.as_bytes(),
        &["-N", "-B"]
            .iter()
            .chain(extra)
            .copied()
            .collect::<Vec<_>>(),
    )
}

/// Feed bytes (a dump) to `mariadb --default-character-set=utf8mb4 [extra] [db]`.
pub fn load_bytes(db: Option<&str>, data: &[u8], extra: &[&str]) -> Output {
    let mut c = Command::new("mariadb");
    c.args(conn_args())
        .arg("--default-character-set=utf8mb4")
        .args(extra);
    if let Some(db) = db {
        c.arg(db);
    }
    run(&mut c, Some(data))
}

/// `mariadb-dump [args]`; panics on failure; returns the dump.
pub fn dump(args: &[&str]) -> Vec<u8> {
    let out = run(
        Command::new("mariadb-dump").args(conn_args()).args(args),
        None,
    );
    assert!(
        out.status.success(),
        "mariadb-dump {args:?} failed: {}",
        stderr(&out)
    );
    out.stdout
}

pub fn truncate(s: &str, n: usize) -> String {
    if s.len() <= n {
        s.to_owned()
    } else {
        let mut end = n;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &s[..end])
    }
}

/// A database name of our own: `masker_t_<test>_<pid>[_suffix]`.
pub fn db_name(test: &str, suffix: &str) -> String {
    let mut n = format!("masker_t_{test}_{}", std::process::id());
    if !suffix.is_empty() {
        n.push('_');
        n.push_str(suffix);
    }
    assert!(n.len() <= 64, "database name too long: {n}");
    n
}

/// Scratch databases, dropped when the guard goes out of scope (also on panic).
pub struct ScratchDb {
    names: Vec<String>,
}

impl ScratchDb {
    /// Create (after dropping any leftover) one empty utf8mb4 database.
    pub fn create(name: &str) -> ScratchDb {
        let g = ScratchDb::adopt(&[name]);
        sql(
            None,
            &format!(
                "DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;"
            ),
        );
        g
    }

    /// Take responsibility for dropping databases created by someone else
    /// (a script), without creating them.
    pub fn adopt(names: &[&str]) -> ScratchDb {
        for n in names {
            assert!(
                n.starts_with("masker_t_") && !n.contains('`'),
                "refusing to manage database {n}"
            );
        }
        ScratchDb {
            names: names.iter().map(|s| s.to_string()).collect(),
        }
    }

    pub fn name(&self) -> &str {
        &self.names[0]
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        let stmts: String = self
            .names
            .iter()
            .map(|n| format!("DROP DATABASE IF EXISTS `{n}`;"))
            .collect();
        // Never panic in drop (we may already be unwinding).
        let out = sql_raw(None, &stmts, &[]);
        if !out.status.success() {
            eprintln!("warning: could not drop {:?}: {}", self.names, stderr(&out));
        }
    }
}

/// Names of the base tables of a database, sorted.
pub fn base_tables(db: &str) -> Vec<String> {
    let out = sql(
        None,
        &format!(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{db}' AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME"
        ),
    );
    out.lines().map(|l| l.to_owned()).collect()
}

/// `CHECKSUM TABLE db.t` value.
pub fn checksum(db: &str, table: &str) -> String {
    let t = table.replace('`', "``");
    let out = sql(None, &format!("CHECKSUM TABLE `{db}`.`{t}`"));
    out.trim_end()
        .rsplit('\t')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Decode an upper- or lower-case hex string.
pub fn unhex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd hex length: {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex digit"))
        .collect()
}
