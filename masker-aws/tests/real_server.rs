//! The rendered `my.cnf` starts a real MariaDB server and every setting in it
//! takes effect.
//!
//! The test renders `testdata/rds/mariadb-10.11-instance.json` for the local
//! `mariadbd` version, initialises a throw-away data directory
//! (`mariadb-install-db`), loads the one time zone the fixture names (as the
//! container images do at first start), starts
//! `mariadbd --defaults-file=<rendered>` on its own port and socket, and
//! compares `SHOW GLOBAL VARIABLES` with every rendered setting. A file the
//! server refuses fails the test. It needs the MariaDB server binaries and
//! fails with a clear message when they are missing.

use std::fs;
use std::io::Write as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use masker_aws::provision::engine::{Family, Server, Version};
use masker_aws::provision::formula::Budget;
use masker_aws::provision::params::{Level, ParameterGroup};
use masker_aws::provision::render::{render_my_cnf, RenderInput, Setting};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/rds")
        .join(name)
}

fn require(tool: &str) {
    let found = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "`{tool}` is not installed: this test needs the MariaDB server binaries \
         (mariadbd, mariadb-install-db, mariadb, mariadb-admin, mariadb-tzinfo-to-sql); \
         on Debian: apt-get install mariadb-server"
    );
}

fn local_mariadb_version() -> Version {
    let out = Command::new("mariadbd").arg("--version").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    // "mariadbd  Ver 10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64"
    text.split_whitespace()
        .skip_while(|w| *w != "Ver")
        .nth(1)
        .and_then(Version::parse_prefix)
        .unwrap_or_else(|| panic!("cannot read the version from `mariadbd --version`: {text}"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn run(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Kills the server if the test panics before shutting it down.
struct ServerGuard(Option<Child>);

impl Drop for ServerGuard {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

fn client(socket: &Path) -> Command {
    let mut c = Command::new("mariadb");
    c.arg("--no-defaults")
        .arg(format!("--socket={}", socket.display()))
        .args(["-uroot", "--batch", "--skip-column-names"]);
    c
}

/// `value` as the server reports it, for comparison: booleans as 1/0,
/// numbers as numbers, comma lists as sorted sets, paths without a
/// trailing slash, case folded.
fn normalise(value: &str) -> String {
    let v = value.trim().trim_end_matches('/').to_ascii_uppercase();
    let v = match v.as_str() {
        "ON" | "TRUE" => "1".to_owned(),
        "OFF" | "FALSE" => "0".to_owned(),
        _ => v,
    };
    if let Ok(n) = v.parse::<f64>() {
        return format!("{n}");
    }
    let mut parts: Vec<&str> = v.split(',').collect();
    parts.sort_unstable();
    parts.join(",")
}

#[test]
fn rendered_my_cnf_starts_mariadb_and_every_setting_takes_effect() {
    for tool in [
        "mariadbd",
        "mariadb-install-db",
        "mariadb",
        "mariadb-admin",
        "mariadb-tzinfo-to-sql",
    ] {
        require(tool);
    }
    let version = local_mariadb_version();
    let dir = tempfile::tempdir().unwrap();
    let datadir = dir.path().join("data");
    let socket = dir.path().join("mysqld.sock");
    let port = free_port();

    // Throw-away data directory.
    let mut install = Command::new("mariadb-install-db");
    install
        .arg("--no-defaults")
        .arg(format!("--datadir={}", datadir.display()))
        .args(["--auth-root-authentication-method=normal", "--skip-test-db"]);
    if is_root() {
        install.arg("--user=root");
    }
    run(&mut install, "mariadb-install-db");

    // The fixture's time zone needs the zone tables, as in the images.
    let tz = Command::new("mariadb-tzinfo-to-sql")
        .args(["/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo"])
        .output()
        .unwrap();
    assert!(
        tz.status.success(),
        "mariadb-tzinfo-to-sql: {}",
        String::from_utf8_lossy(&tz.stderr)
    );
    let mut bootstrap = Command::new("mariadbd");
    bootstrap
        .arg("--no-defaults")
        .arg("--bootstrap")
        .arg(format!("--datadir={}", datadir.display()))
        .arg(format!(
            "--log-error={}",
            dir.path().join("bootstrap.err").display()
        ))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if is_root() {
        bootstrap.arg("--user=root");
    }
    let mut child = bootstrap.spawn().unwrap();
    {
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"USE mysql;\n").unwrap();
        stdin.write_all(&tz.stdout).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "loading the time zone: {}{}",
        String::from_utf8_lossy(&out.stderr),
        fs::read_to_string(dir.path().join("bootstrap.err")).unwrap_or_default()
    );

    // Render the fixture for this server, with the test's own endpoint.
    let json = fs::read_to_string(fixture("mariadb-10.11-instance.json")).unwrap();
    let group = ParameterGroup::from_json("prod-mariadb", Level::Instance, &json).unwrap();
    let server = Server {
        family: Family::Mariadb,
        version,
        image: format!("mariadb:{version}"),
    };
    let error_log = dir.path().join("error.log");
    let mut overrides: Vec<(String, String)> = vec![
        ("datadir".into(), datadir.display().to_string()),
        ("socket".into(), socket.display().to_string()),
        ("port".into(), port.to_string()),
        ("bind_address".into(), "127.0.0.1".into()),
        (
            "pid_file".into(),
            dir.path().join("mysqld.pid").display().to_string(),
        ),
        ("log_error".into(), error_log.display().to_string()),
    ];
    if is_root() {
        overrides.push(("user".into(), "root".into()));
    }
    let cnf = render_my_cnf(&RenderInput {
        server: &server,
        engine_label: &format!("mariadb {version}"),
        cluster: None,
        instance: Some(&group),
        budget: Budget::new(512 << 20, 2),
        overrides: &overrides,
    })
    .unwrap();
    assert!(
        cnf.settings.len() > 30,
        "the fixture should render most settings"
    );
    let cnf_path = dir.path().join("my.cnf");
    fs::write(&cnf_path, &cnf.text).unwrap();

    // Start it; a refused option stops the server, which fails the test.
    let mut guard = ServerGuard(Some(
        Command::new("mariadbd")
            .arg(format!("--defaults-file={}", cnf_path.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    ));
    let started = Instant::now();
    loop {
        if let Some(status) = guard.0.as_mut().unwrap().try_wait().unwrap() {
            panic!(
                "mariadbd refused the rendered my.cnf ({status}):\n{}\n--- my.cnf ---\n{}",
                fs::read_to_string(&error_log).unwrap_or_default(),
                cnf.text
            );
        }
        if client(&socket)
            .arg("-e")
            .arg("SELECT 1")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "mariadbd did not answer within 60 s"
        );
        sleep(Duration::from_millis(200));
    }

    // Every rendered setting took effect.
    let out = client(&socket)
        .arg("-e")
        .arg("SHOW GLOBAL VARIABLES")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let variables: std::collections::HashMap<&str, &str> =
        text.lines().filter_map(|l| l.split_once('\t')).collect();
    let mut wrong = Vec::new();
    let checked: Vec<&Setting> = cnf
        .settings
        .iter()
        .filter(|s| s.option != "user") // the process owner, not a variable
        .collect();
    for s in &checked {
        match variables.get(s.variable.as_str()) {
            None => wrong.push(format!(
                "{} (option {}): no such variable",
                s.variable, s.option
            )),
            Some(actual) if normalise(actual) != normalise(&s.value) => wrong.push(format!(
                "{} (option {}): rendered {:?}, server has {:?}",
                s.variable, s.option, s.value, actual
            )),
            Some(_) => {}
        }
    }
    assert!(
        wrong.is_empty(),
        "settings that did not take effect:\n{}",
        wrong.join("\n")
    );
    // The values that matter most for behaving like production.
    assert_eq!(variables["time_zone"], "Asia/Tokyo");
    assert_eq!(variables["character_set_server"], "utf8mb4");
    assert_eq!(variables["max_connections"], "42"); // {DBInstanceClassMemory/12582880} for 512 MiB
    assert_eq!(variables["port"], port.to_string());

    // Stop it.
    run(
        Command::new("mariadb-admin")
            .arg("--no-defaults")
            .arg(format!("--socket={}", socket.display()))
            .args(["-uroot", "shutdown"]),
        "mariadb-admin shutdown",
    );
    let mut child = guard.0.take().unwrap();
    let status = child.wait().unwrap();
    assert!(
        status.success(),
        "mariadbd exited with {status} after shutdown"
    );
    eprintln!(
        "checked {} settings against SHOW GLOBAL VARIABLES",
        checked.len()
    );
}
