//! The rendered `my.cnf` starts a real MariaDB server and every setting in it
//! takes effect.
//!
//! The main test renders `testdata/rds/mariadb-10.11-instance.json` for the
//! local `mariadbd` version, initialises a throw-away data directory
//! (`mariadb-install-db`), loads the one time zone the fixture names (as the
//! container images do at first start), starts
//! `mariadbd --defaults-file=<rendered>` on its own port and socket, and
//! compares `SHOW GLOBAL VARIABLES` with every rendered setting. A file the
//! server refuses fails the test (a second test shows that a refused option
//! is caught). The rendered users script then runs against that server
//! and the application user logs in with its generated password.
//! The tests need the MariaDB server binaries and fail with a clear message
//! when they are missing.

use std::collections::HashMap;
use std::fs;
use std::io::Write as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use masker_aws::provision::engine::{Family, Server, Version};
use masker_aws::provision::formula::Budget;
use masker_aws::provision::knowledge::absent_options;
use masker_aws::provision::params::{Level, ParameterGroup};
use masker_aws::provision::render::{render_my_cnf, MyCnf, RenderInput, Setting};
use masker_aws::provision::users::{env_file, users_script, users_sql, UsersConfig};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/rds")
        .join(name)
}

fn require_mariadb() {
    for tool in [
        "mariadbd",
        "mariadb-install-db",
        "mariadb",
        "mariadb-admin",
        "mariadb-tzinfo-to-sql",
    ] {
        // Looked up on the PATH, never run: regression
        // (require_mariadb_ran_install_db_on_the_system_datadir) running
        // `mariadb-install-db --version` initialises the default data
        // directory, the system server's.
        let found = std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()));
        assert!(
            found,
            "`{tool}` is not installed: this test needs the MariaDB server binaries \
             (mariadbd, mariadb-install-db, mariadb, mariadb-admin, mariadb-tzinfo-to-sql); \
             on Debian: apt-get install mariadb-server"
        );
    }
}

fn local_mariadb() -> Server {
    let out = Command::new("mariadbd").arg("--version").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    // "mariadbd  Ver 10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64"
    let version = text
        .split_whitespace()
        .skip_while(|w| *w != "Ver")
        .nth(1)
        .and_then(Version::parse_prefix)
        .unwrap_or_else(|| panic!("cannot read the version from `mariadbd --version`: {text}"));
    Server {
        family: Family::Mariadb,
        version,
        image: format!("mariadb:{version}"),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// A throw-away server directory: data directory, socket, port, logs.
struct Instance {
    dir: tempfile::TempDir,
    port: u16,
}

impl Instance {
    fn datadir(&self) -> PathBuf {
        self.dir.path().join("data")
    }
    fn socket(&self) -> PathBuf {
        self.dir.path().join("mysqld.sock")
    }
    fn error_log(&self) -> PathBuf {
        self.dir.path().join("error.log")
    }

    /// Initialises the data directory and loads the `Asia/Tokyo` zone.
    fn init() -> Instance {
        let inst = Instance {
            dir: tempfile::tempdir().unwrap(),
            port: free_port(),
        };
        let mut install = Command::new("mariadb-install-db");
        install
            .arg("--no-defaults")
            .arg(format!("--datadir={}", inst.datadir().display()))
            .args(["--auth-root-authentication-method=normal", "--skip-test-db"]);
        if is_root() {
            install.arg("--user=root");
        }
        run(&mut install, "mariadb-install-db");

        let tz = run(
            Command::new("mariadb-tzinfo-to-sql")
                .args(["/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo"]),
            "mariadb-tzinfo-to-sql",
        );
        let boot_log = inst.dir.path().join("bootstrap.err");
        let mut bootstrap = Command::new("mariadbd");
        bootstrap
            .arg("--no-defaults")
            .arg("--bootstrap")
            .arg(format!("--datadir={}", inst.datadir().display()))
            .arg(format!("--log-error={}", boot_log.display()))
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
            stdin.write_all(tz.as_bytes()).unwrap();
        }
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "loading the time zone: {}{}",
            String::from_utf8_lossy(&out.stderr),
            fs::read_to_string(boot_log).unwrap_or_default()
        );
        inst
    }

    /// `--set` settings that put the server on this instance's own endpoint.
    fn endpoint(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = vec![
            ("datadir".into(), self.datadir().display().to_string()),
            ("socket".into(), self.socket().display().to_string()),
            ("port".into(), self.port.to_string()),
            ("bind_address".into(), "127.0.0.1".into()),
            (
                "pid_file".into(),
                self.dir.path().join("mysqld.pid").display().to_string(),
            ),
            ("log_error".into(), self.error_log().display().to_string()),
        ];
        if is_root() {
            v.push(("user".into(), "root".into()));
        }
        v
    }

    fn client(&self) -> Command {
        let mut c = Command::new("mariadb");
        c.arg("--no-defaults")
            .arg(format!("--socket={}", self.socket().display()))
            .args(["-uroot", "--batch", "--skip-column-names"]);
        c
    }

    /// Starts `mariadbd --defaults-file=cnf`; `Err` with the error log when
    /// the server exits instead of answering.
    fn start(&self, cnf: &str) -> Result<Running, String> {
        let path = self.dir.path().join("my.cnf");
        fs::write(&path, cnf).unwrap();
        let mut running = Running(Some(
            Command::new("mariadbd")
                .arg(format!("--defaults-file={}", path.display()))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        ));
        let started = Instant::now();
        loop {
            if let Some(status) = running.0.as_mut().unwrap().try_wait().unwrap() {
                running.0 = None;
                return Err(format!(
                    "mariadbd exited with {status}:\n{}",
                    fs::read_to_string(self.error_log()).unwrap_or_default()
                ));
            }
            if self
                .client()
                .arg("-e")
                .arg("SELECT 1")
                .output()
                .is_ok_and(|o| o.status.success())
            {
                return Ok(running);
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "mariadbd did not answer within 60 s"
            );
            sleep(Duration::from_millis(200));
        }
    }

    fn stop(&self, mut running: Running) {
        run(
            Command::new("mariadb-admin")
                .arg("--no-defaults")
                .arg(format!("--socket={}", self.socket().display()))
                .args(["-uroot", "shutdown"]),
            "mariadb-admin shutdown",
        );
        let mut child = running.0.take().unwrap();
        let status = child.wait().unwrap();
        assert!(
            status.success(),
            "mariadbd exited with {status} after shutdown"
        );
    }
}

/// Kills the server if a test panics before stopping it.
struct Running(Option<Child>);

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn render(server: &Server, overrides: &[(String, String)]) -> MyCnf {
    let json = fs::read_to_string(fixture("mariadb-10.11-instance.json")).unwrap();
    let group = ParameterGroup::from_json("prod-mariadb", Level::Instance, &json).unwrap();
    render_my_cnf(&RenderInput {
        server,
        engine_label: &format!("mariadb {}", server.version),
        cluster: None,
        instance: Some(&group),
        budget: Budget::new(512 << 20, 2),
        overrides,
    })
    .unwrap()
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

const USERS: &str = r#"
[[user]]
name = "app"
host = "127.0.0.1"
[[user.grant]]
privileges = ["SELECT", "INSERT", "UPDATE", "DELETE"]
on = "app.*"
"#;

#[test]
fn rendered_my_cnf_starts_mariadb_and_every_setting_takes_effect() {
    require_mariadb();
    let server = local_mariadb();
    let inst = Instance::init();
    let cnf = render(&server, &inst.endpoint());
    assert!(
        cnf.settings.len() > 30,
        "the fixture should render most settings"
    );
    let running = inst.start(&cnf.text).unwrap_or_else(|e| {
        panic!(
            "the server refused the rendered my.cnf: {e}\n--- my.cnf ---\n{}",
            cnf.text
        )
    });

    // Every rendered setting took effect.
    let text = run(
        inst.client().arg("-e").arg("SHOW GLOBAL VARIABLES"),
        "SHOW GLOBAL VARIABLES",
    );
    let variables: HashMap<&str, &str> = text.lines().filter_map(|l| l.split_once('\t')).collect();
    let checked: Vec<&Setting> = cnf
        .settings
        .iter()
        .filter(|s| s.option != "user") // the process owner, not a variable
        .collect();
    let mut wrong = Vec::new();
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
    assert_eq!(variables["tx_isolation"], "READ-COMMITTED");
    assert_eq!(variables["max_connections"], "42"); // {DBInstanceClassMemory/12582880} for 512 MiB
    assert_eq!(variables["table_open_cache"], "455"); // LEAST({DBInstanceClassMemory/1179121},6000)
    assert_eq!(variables["port"], inst.port.to_string());
    eprintln!(
        "checked {} settings against SHOW GLOBAL VARIABLES",
        checked.len()
    );

    // The users script, run the way the image's entrypoint runs it.
    let users = UsersConfig::from_toml("users.toml", USERS)
        .unwrap()
        .compile("users.toml")
        .unwrap();
    let init = inst.dir.path().join("init");
    fs::create_dir(&init).unwrap();
    fs::write(init.join("users.sql"), users_sql(&users)).unwrap();
    fs::write(init.join("00-users.sh"), users_script(&users)).unwrap();
    let env = env_file(None, &[users[0].password_variable()]).unwrap();
    let (var, password) = env.lines().find_map(|l| l.split_once('=')).unwrap();
    let shell = format!(
        "docker_process_sql() {{ mariadb --no-defaults --socket='{}' -uroot; }}; . '{}'",
        inst.socket().display(),
        init.join("00-users.sh").display()
    );
    run(
        Command::new("sh")
            .args(["-c", &shell])
            .env(var, password)
            .env("MASKER_USERS_SQL", init.join("users.sql")),
        "init/00-users.sh",
    );
    let who = run(
        Command::new("mariadb")
            .arg("--no-defaults")
            .args(["-h", "127.0.0.1", "-P", &inst.port.to_string(), "-uapp"])
            .arg(format!("-p{password}"))
            .args([
                "--batch",
                "--skip-column-names",
                "-e",
                "SELECT CURRENT_USER(); SHOW GRANTS",
            ]),
        "logging in as app with its generated password",
    );
    assert!(who.starts_with("app@127.0.0.1\n"), "{who}");
    assert!(
        who.contains("GRANT SELECT, INSERT, UPDATE, DELETE ON `app`.* TO `app`@`127.0.0.1`"),
        "{who}"
    );

    inst.stop(running);
}

#[test]
fn an_option_the_server_does_not_know_stops_it_and_is_caught() {
    require_mariadb();
    let server = local_mariadb();
    let inst = Instance::init();
    // Forced past the knowledge table: a MySQL-only option.
    let mut overrides = inst.endpoint();
    overrides.push(("max_execution_time".into(), "30000".into()));
    let cnf = render(&server, &overrides);
    match inst.start(&cnf.text) {
        Ok(running) => {
            inst.stop(running);
            panic!("mariadbd accepted an option it does not know");
        }
        Err(log) => assert!(
            log.contains("unknown variable 'max_execution_time=30000'"),
            "{log}"
        ),
    }
}

/// What `mariadbd` says about `--name=value` (success, stderr).
fn try_option(name: &str, value: &str) -> (bool, String) {
    let out = Command::new("mariadbd")
        .args([
            "--no-defaults",
            &format!("--{name}={value}"),
            "--verbose",
            "--help",
        ])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn knowledge_table_agrees_with_the_local_server() {
    require_mariadb();
    let server = local_mariadb();
    // Options the table leaves out as unknown to this server: the server
    // refuses them, or accepts them only to ignore them with a warning.
    let absent = absent_options(&server);
    assert!(absent.len() > 20, "{absent:?}");
    let mut taken = Vec::new();
    for name in &absent {
        let (ok, stderr) = try_option(name, "1");
        let refused = !ok && stderr.contains("unknown variable");
        let ignored =
            ok && (stderr.contains("was removed") || stderr.contains("compatible option"));
        if !(refused || ignored) {
            taken.push(format!("{name}: {stderr}"));
        }
    }
    assert!(
        taken.is_empty(),
        "the server knows these options:\n{}",
        taken.join("\n")
    );
    // Renamed because the server refuses the RDS name in an option file.
    let (ok, stderr) = try_option("tx_isolation", "READ-COMMITTED");
    assert!(!ok && stderr.contains("unknown variable"), "{stderr}");
    let (ok, stderr) = try_option("transaction_isolation", "READ-COMMITTED");
    assert!(ok, "{stderr}");
}
