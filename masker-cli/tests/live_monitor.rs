//! `masker monitor` through the CLI against the local MariaDB: `--dry-run`
//! prints the datagrams (with the `--tags`), the state file is written by
//! a real run (sent to a UDP listener) and drift is reported on stderr,
//! and bad flags exit 2.

mod util;

use std::net::UdpSocket;
use std::time::Duration;

use util::*;

fn url() -> String {
    format!(
        "mysql://{}@{}:{}/",
        std::env::var("MYSQL_USER").unwrap_or_else(|_| "root".into()),
        std::env::var("MYSQL_HOST").unwrap_or_else(|_| "127.0.0.1".into()),
        std::env::var("MYSQL_PORT").unwrap_or_else(|_| "3306".into())
    )
}

#[test]
fn dry_run_prints_datagrams_and_a_real_run_sends_them_and_tracks_drift() {
    require_mariadb();
    let db = ScratchDb::create(&db_name("monitor_cli", "src"));
    sql(
        Some(db.name()),
        "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(80));
         INSERT INTO t (email) VALUES ('a@corp.example'), ('b@corp.example');",
    );
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let base = |extra: &[&str]| {
        let mut cmd = masker();
        cmd.args(["monitor", "--url", &url(), "--databases", db.name()])
            .arg("--state")
            .arg(&state)
            .args(extra);
        cmd
    };

    let out = run(&mut base(&["--dry-run", "--tags", "env:ci"]), None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let printed = stdout_str(&out);
    let want = format!(
        "masker.table.rows:2|g|#env:ci,database:{},table:t,count:estimate",
        db.name()
    );
    assert!(printed.lines().any(|l| l == want), "{printed}");
    assert!(
        printed
            .lines()
            .all(|l| l.starts_with("masker.") && l.contains("|g|#env:ci")),
        "{printed}"
    );
    assert!(
        !printed.contains("corp.example"),
        "a data value was printed: {printed}"
    );
    assert!(!state.exists(), "--dry-run wrote the state file");

    let listener = UdpSocket::bind("127.0.0.1:0").unwrap();
    listener
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let statsd = listener.local_addr().unwrap().to_string();
    let out = run(&mut base(&["--statsd", &statsd]), None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("metrics sent to {statsd}")),
        "{}",
        stderr(&out)
    );
    let mut buf = vec![0u8; 65536];
    let n = listener.recv(&mut buf).expect("a datagram arrives");
    assert!(std::str::from_utf8(&buf[..n])
        .unwrap()
        .starts_with("masker."));
    assert!(state.exists());

    sql(
        Some(db.name()),
        "ALTER TABLE t ADD COLUMN phone VARCHAR(20); CREATE TABLE t2 (x INT);",
    );
    let out = run(&mut base(&["--dry-run"]), None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("drift: table {}.t2 added", db.name())),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "drift: table {}.t: columns added phone",
            db.name()
        )),
        "{err}"
    );
    let printed = stdout_str(&out);
    let want = format!("masker.drift.tables_added:1|g|#database:{}", db.name());
    assert!(printed.lines().any(|l| l == want), "{printed}");
}

#[test]
fn bad_flags_exit_2() {
    let out = run(masker().args(["monitor", "--url", &url()]), None);
    assert_eq!(code(&out), 2, "--statsd is required without --dry-run");
    let out = run(
        masker().args(["monitor", "--url", &url(), "--dry-run", "--tags", "env"]),
        None,
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--tags"), "{}", stderr(&out));
    let out = run(
        masker().args([
            "monitor",
            "--url",
            &url(),
            "--statsd",
            "no-such-host.invalid:8125",
        ]),
        None,
    );
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("--statsd no-such-host.invalid:8125") && !err.contains("connection options"),
        "{err}"
    );
}
