//! `masker dump`, `masker load` and `masker verify` against the local
//! MariaDB: a round trip through the CLI, exit codes, an interrupted dump
//! that leaves no manifest, and a password that never shows.

mod util;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use util::*;

fn url() -> String {
    format!(
        "mysql://{}@{}:{}/",
        std::env::var("MYSQL_USER").unwrap_or_else(|_| "root".into()),
        std::env::var("MYSQL_HOST").unwrap_or_else(|_| "127.0.0.1".into()),
        std::env::var("MYSQL_PORT").unwrap_or_else(|_| "3306".into())
    )
}

/// A database with `rows` rows in `t` (and a view over it).
fn source(name: &str, rows: u32) -> ScratchDb {
    let g = ScratchDb::create(name);
    sql(
        Some(name),
        &format!(
            "CREATE TABLE t (id INT PRIMARY KEY, email VARCHAR(80), note TEXT);
             INSERT INTO t SELECT seq, CONCAT('user', seq, '@corp.example'), REPEAT('n', seq % 50) FROM seq_1_to_{rows};
             CREATE VIEW v AS SELECT id FROM t WHERE id < 10;
             ANALYZE TABLE t;"
        ),
    );
    g
}

#[test]
fn dump_load_verify_through_the_cli() {
    require_mariadb();
    let src = source(&db_name("live_cli", "src"), 5000);
    let dst = db_name("live_cli", "dst");
    let _dst = ScratchDb::adopt(&[&dst]);
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("dump");
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "[key]\nenv = \"MASKER_KEY\"\n[tables.t]\nemail = { transform = \"hash\", format = \"email\" }\n",
    )
    .unwrap();
    let out = run(
        masker()
            .env("MASKER_KEY", "cli test key")
            .args(["dump", "--url", &url(), "--databases", src.name()])
            .args(["--format", "tsv", "--chunk-mb", "0.02", "--threads", "2"])
            .arg("--bigquery")
            .arg("--rules")
            .arg(&rules)
            .arg("--out")
            .arg(&out_dir),
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // The BigQuery export of the same masked rows, beside the chunks.
    let mut exported = 0;
    for f in std::fs::read_dir(&out_dir).unwrap() {
        let f = f.unwrap().path();
        if f.to_string_lossy().ends_with(".bq.tsv") {
            let text = std::fs::read_to_string(&f).unwrap();
            assert!(text.starts_with("id\temail\tnote\n"), "{text}");
            assert!(!text.contains("@corp.example"), "an original survived");
            exported += text.lines().count() - 1;
        }
    }
    assert_eq!(exported, 5000);
    let err = stderr(&out);
    assert!(
        err.contains("dumped 1 tables") && err.contains("5000 rows"),
        "{err}"
    );
    assert!(err.contains(&format!("{}.t.email", src.name())), "{err}");
    let manifest = std::fs::read_to_string(out_dir.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"rules_sha256\": \""), "{manifest}");

    let out = run(
        masker()
            .args(["load", "--url", &url(), "--into-database", &dst])
            .arg(&out_dir),
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(sql(Some(&dst), "SELECT COUNT(*) FROM v").trim(), "9");
    assert_eq!(
        sql(
            Some(&dst),
            "SELECT COUNT(*) FROM t WHERE email LIKE 'user%'"
        )
        .trim(),
        "0"
    );

    let verify = |db: &str| {
        run(
            masker()
                .args(["verify", "--url", &url(), "--into-database", db])
                .arg(&out_dir),
            None,
        )
    };
    let out = verify(&dst);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout_str(&out).starts_with("ok "), "{}", stdout_str(&out));

    // The source still holds the original emails: it is not the masked copy.
    let out = verify(src.name());
    assert_eq!(code(&out), 5, "{}", stdout_str(&out));
    assert!(stdout_str(&out).contains("DIFFERS"), "{}", stdout_str(&out));

    // A corrupted chunk file is named.
    let chunk = files_in(&out_dir, ".tsv.zst").pop().unwrap();
    let mut bytes = std::fs::read(&chunk).unwrap();
    bytes[0] ^= 0xFF;
    std::fs::write(&chunk, bytes).unwrap();
    let out = verify(&dst);
    assert_eq!(code(&out), 5);
    let name = chunk.file_name().unwrap().to_str().unwrap();
    assert!(
        stdout_str(&out).contains(&format!("DIFFERS file {name}")),
        "{}",
        stdout_str(&out)
    );
}

#[test]
fn interrupted_dump_leaves_no_manifest() {
    require_mariadb();
    let src = source(&db_name("live_int", "src"), 40000);
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("dump");
    let mut child = masker()
        .args(["dump", "--url", &url(), "--databases", src.name()])
        .args(["--chunk-mb", "0.005", "--threads", "1"])
        .arg("--out")
        .arg(&out_dir)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    // Wait until chunks are being written, then interrupt.
    while files_in(&out_dir, ".sql.zst").len() < 3 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no chunk appeared"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the dump ended too soon to interrupt"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let st = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let status = child.wait().unwrap();
    assert!(!status.success());
    assert!(!out_dir.join("manifest.json").exists());
    // And nothing loads it as if it were complete.
    let out = run(masker().args(["load", "--url", &url()]).arg(&out_dir), None);
    assert_ne!(code(&out), 0);
    assert!(
        stderr(&out).contains("no manifest.json"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn wrong_password_never_shows() {
    require_mariadb();
    let secret = "Wr0ng-pa55-for-the-test";
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        masker()
            .env("MYSQL_PWD", secret)
            .args(["dump", "--url", &url(), "--out"])
            .arg(dir.path().join("d")),
        None,
    );
    // root with a wrong password over TCP is refused; the password is not echoed.
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(stderr(&out).contains("Access denied"), "{}", stderr(&out));
    assert!(!stderr(&out).contains(secret) && !stdout_str(&out).contains(secret));
    assert!(!dir.path().join("d/manifest.json").exists());
    let out = run(
        masker().args([
            "dump",
            "--url",
            &format!("mysql://root:{secret}@127.0.0.1:3306/"),
            "--out",
            "/nonexistent/x",
        ]),
        None,
    );
    assert_eq!(code(&out), 2);
    assert!(!stderr(&out).contains(secret), "{}", stderr(&out));
}

#[test]
fn killed_load_resumes_and_verifies() {
    require_mariadb();
    let src = source(&db_name("live_res", "src"), 40000);
    let dst = db_name("live_res", "dst");
    let _dst = ScratchDb::adopt(&[&dst]);
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("dump");
    let out = run(
        masker()
            .args(["dump", "--url", &url(), "--databases", src.name()])
            .args(["--chunk-mb", "0.005", "--format", "sql"])
            .arg("--out")
            .arg(&out_dir),
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let log = out_dir.join("load-progress.log");
    let mut child = masker()
        .args([
            "load",
            "--url",
            &url(),
            "--threads",
            "1",
            "--into-database",
            &dst,
        ])
        .arg(&out_dir)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let done_lines = || {
        std::fs::read_to_string(&log)
            .map(|t| {
                t.lines()
                    .filter(|l| l.starts_with("done [\"chunk\""))
                    .count()
            })
            .unwrap_or(0)
    };
    while done_lines() < 5 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no chunk loaded"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the load ended too soon to kill"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    let out = run(
        masker()
            .args(["load", "--url", &url(), "--into-database", &dst])
            .arg(&out_dir),
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("resumed:"), "{}", stderr(&out));
    let out = run(
        masker()
            .args(["verify", "--url", &url(), "--into-database", &dst])
            .arg(&out_dir),
        None,
    );
    assert_eq!(code(&out), 0, "{}", stdout_str(&out));
}

#[test]
fn tls_flags_are_checked_before_connecting() {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, "not a certificate\n").unwrap();
    let out = run(
        masker()
            .args(["dump", "--url", "mysql://root@127.0.0.1:1/", "--ssl-ca"])
            .arg(&ca)
            .arg("--out")
            .arg(dir.path().join("d")),
        None,
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("no certificate"), "{}", stderr(&out));
    let out = run(
        masker().args([
            "load",
            "--socket",
            "/tmp/none.sock",
            "--ssl-mode",
            "required",
            "/nonexistent",
        ]),
        None,
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("Unix socket"), "{}", stderr(&out));
}

/// A small tmpfs, unmounted on drop: a disk that fills up.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "this test mounts a small tmpfs to fill the disk, which needs root (or \
             CAP_SYS_ADMIN): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk { dir }
    }

    fn path(&self) -> &std::path::Path {
        self.dir.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
fn a_full_disk_fails_the_dump_and_the_mask_cleanly() {
    require_mariadb();
    let src = source(&db_name("live_full", "src"), 20000);
    let disk = SmallDisk::mount("256k");
    let out_dir = disk.path().join("dump");
    let out = run(
        masker()
            .args(["dump", "--url", &url(), "--databases", src.name()])
            .args(["--compress", "none", "--chunk-mb", "0.1"])
            .arg("--out")
            .arg(&out_dir),
        None,
    );
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("No space left"), "{err}");
    assert!(err.contains(&out_dir.display().to_string()), "{err}");
    assert!(
        !out_dir.join("manifest.json").exists(),
        "a failed dump must not look complete"
    );

    // `masker mask -o` onto the full disk leaves nothing at the output path.
    for f in std::fs::read_dir(&out_dir).unwrap() {
        std::fs::remove_file(f.unwrap().path()).unwrap();
    }
    let dumped = dump(&["--databases", src.name()]);
    let input = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(input.path(), &dumped).unwrap();
    let target = disk.path().join("masked.sql");
    let out = run(
        masker()
            .args(["mask", "--rules"])
            .arg(empty_rules())
            .arg(input.path())
            .arg("-o")
            .arg(&target),
        None,
    );
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(stderr(&out).contains("No space left"), "{}", stderr(&out));
    assert!(!target.exists(), "a partial output was left at the path");
    let left: Vec<_> = std::fs::read_dir(disk.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "temporary files left behind: {left:?}");
}
