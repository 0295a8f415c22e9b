//! Statement digests from `performance_schema`: the local MariaDB has it
//! off, so this test starts its own private `mariadbd` (a fresh data
//! directory in a temporary directory, a free port, `--performance-schema=ON`)
//! and stops it afterwards. It fails with a clear message when
//! `mariadb-install-db` or `mariadbd` cannot be run.

use std::net::{TcpListener, UdpSocket};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use masker_mysql::connect::Names;
use masker_mysql::monitor::collect::CollectOptions;
use masker_mysql::monitor::{self, metrics, MonitorOptions};
use masker_mysql::ConnectOptions;
use mysql::prelude::Queryable;

/// A private server, killed when dropped.
struct PrivateServer {
    child: Child,
    _dir: tempfile::TempDir,
    port: u16,
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn current_user() -> String {
    let out = Command::new("id")
        .arg("-un")
        .output()
        .expect("run `id -un`");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn start_server() -> PrivateServer {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let user = current_user();
    let install = Command::new("mariadb-install-db")
        .arg("--no-defaults")
        .arg(format!("--datadir={}", data.display()))
        .arg(format!("--user={user}"))
        .arg("--auth-root-authentication-method=normal")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap_or_else(|e| panic!("this test needs mariadb-install-db on PATH: {e}"));
    assert!(
        install.status.success(),
        "mariadb-install-db failed: {}",
        String::from_utf8_lossy(&install.stderr)
    );
    // A free port: bind port 0, note it, release it.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("mariadbd")
        .arg("--no-defaults")
        .arg(format!("--datadir={}", data.display()))
        .arg(format!("--socket={}", dir.path().join("sock").display()))
        .arg(format!("--port={port}"))
        .arg("--bind-address=127.0.0.1")
        .arg("--performance-schema=ON")
        .arg("--skip-log-bin")
        .arg(format!("--user={user}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("this test needs mariadbd on PATH: {e}"));
    let server = PrivateServer {
        child,
        _dir: dir,
        port,
    };
    wait_ready(&server, &server._dir.path().join("data"));
    server
}

fn connector(port: u16) -> masker_mysql::Connector {
    let mut o = ConnectOptions::new();
    o.url = Some(format!("mysql://root@127.0.0.1:{port}/"));
    o.resolve().unwrap()
}

fn wait_ready(server: &PrivateServer, data: &Path) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if connector(server.port).connect(Names::Utf8mb4).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!(
        "the private mariadbd on port {} (data {}) did not accept connections within 60 s",
        server.port,
        data.display()
    );
}

#[test]
fn top_digests_are_sent_by_id_without_statement_text() {
    let server = start_server();
    let c = connector(server.port);
    let mut conn = c.connect(Names::Utf8mb4).unwrap();
    assert_eq!(
        conn.query_first::<u64, _>("SELECT @@performance_schema")
            .unwrap(),
        Some(1)
    );
    conn.query_drop("CREATE DATABASE shop").unwrap();
    conn.query_drop("CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(20))")
        .unwrap();
    conn.query_drop("INSERT INTO shop.t VALUES (1, 'secret-literal-7'), (2, 'x')")
        .unwrap();
    conn.query_drop("USE shop").unwrap();
    for _ in 0..5 {
        conn.query_drop("SELECT * FROM t WHERE v = 'secret-literal-7'")
            .unwrap();
    }

    let listener = UdpSocket::bind("127.0.0.1:0").unwrap();
    listener
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut collect = CollectOptions::default();
    collect.top_digests = 50;
    let mut opts = MonitorOptions::default();
    opts.collect = collect;
    let sink = metrics::udp_sink(&listener.local_addr().unwrap().to_string()).unwrap();
    let report = monitor::monitor(&c, &opts, sink).unwrap();
    assert!(
        report.observation.notes.is_empty(),
        "{:?}",
        report.observation.notes
    );
    let mut lines = Vec::new();
    let mut buf = vec![0u8; 65536];
    while let Ok(n) = listener.recv(&mut buf) {
        lines.extend(
            std::str::from_utf8(&buf[..n])
                .unwrap()
                .lines()
                .map(str::to_owned),
        );
    }
    assert_eq!(lines.len() as u64, report.metrics);
    assert!(
        lines.contains(&"masker.server.performance_schema:1|g".to_owned()),
        "{lines:#?}"
    );
    let calls: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with("masker.digest.calls:"))
        .collect();
    assert!(!calls.is_empty(), "{lines:#?}");
    // The SELECT ran 5 times in database shop: one digest says so.
    assert!(
        calls
            .iter()
            .any(|l| l.starts_with("masker.digest.calls:5|g|#digest:")
                && l.ends_with(",database:shop")),
        "{calls:#?}"
    );
    for l in &lines {
        assert!(
            !l.contains("secret-literal-7") && !l.contains("SELECT"),
            "{l}"
        );
        if let Some(rest) = l.split("digest:").nth(1) {
            let id = rest.split(',').next().unwrap();
            assert!(
                id.len() >= 32 && id.chars().all(|c| c.is_ascii_hexdigit()),
                "{l}"
            );
        }
    }
    let seconds = lines
        .iter()
        .filter(|l| l.starts_with("masker.digest.total_seconds:"))
        .count();
    assert_eq!(seconds, calls.len());
}
