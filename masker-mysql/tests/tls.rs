//! TLS against a real server: a throw-away `mariadbd` with its own data
//! directory, a private CA and `require_secure_transport`, so a connection
//! that is not encrypted is refused by the server itself. Checks each
//! `--ssl-mode`, a wrong CA, a host name the certificate does not name, and
//! a dump over TLS. Needs `mariadbd`, `mariadb-install-db` and `openssl`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use masker_mysql::connect::Names;
use masker_mysql::dump::{self, DumpOptions, Progress};
use masker_mysql::{ConnectOptions, TlsMode};
use mysql::prelude::Queryable;

const PASSWORD: &str = "tls-test-pw-8f3a91";

/// Fails with a clear message when `tool` is not on the PATH. Looked up,
/// never run: `mariadb-install-db` run without a data directory would
/// touch the system server's.
fn require(tool: &str) {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()));
    assert!(
        found,
        "`{tool}` is not installed: the TLS test needs mariadbd, mariadb-install-db, \
         mariadb and openssl (Debian: apt-get install mariadb-server openssl)"
    );
}

fn run(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A CA (`NAME-ca.pem`) and, when `server_dns` is given, a server
/// certificate for that DNS name signed by it.
fn make_ca(dir: &Path, name: &str) -> PathBuf {
    let key = dir.join(format!("{name}-ca.key"));
    let cert = dir.join(format!("{name}-ca.pem"));
    run(
        Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
            ])
            .arg(format!("/CN=masker test CA {name}"))
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert),
        "openssl req (CA)",
    );
    cert
}

fn make_server_cert(dir: &Path, ca: &str, dns: &str) -> (PathBuf, PathBuf) {
    let key = dir.join("server.key");
    let csr = dir.join("server.csr");
    let cert = dir.join("server.pem");
    let ext = dir.join("server.ext");
    std::fs::write(&ext, format!("subjectAltName=DNS:{dns}\n")).unwrap();
    run(
        Command::new("openssl")
            .args(["req", "-newkey", "rsa:2048", "-nodes", "-subj"])
            .arg(format!("/CN={dns}"))
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&csr),
        "openssl req (server)",
    );
    run(
        Command::new("openssl")
            .args(["x509", "-req", "-days", "2", "-CAcreateserial", "-in"])
            .arg(&csr)
            .arg("-CA")
            .arg(dir.join(format!("{ca}-ca.pem")))
            .arg("-CAkey")
            .arg(dir.join(format!("{ca}-ca.key")))
            .arg("-extfile")
            .arg(&ext)
            .arg("-out")
            .arg(&cert),
        "openssl x509 (server)",
    );
    (cert, key)
}

/// The throw-away server; killed on drop.
struct Server {
    child: Child,
    port: u16,
    socket: PathBuf,
    dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start() -> Server {
        for tool in ["mariadbd", "mariadb-install-db", "mariadb", "openssl"] {
            require(tool);
        }
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let ca = make_ca(d, "good");
        make_ca(d, "other");
        // The certificate names a host we never connect to: verify-ca
        // accepts it, verify-identity must not.
        let (cert, key) = make_server_cert(d, "good", "db.internal.example");
        let datadir = d.join("data");
        let mut install = Command::new("mariadb-install-db");
        install
            .arg("--no-defaults")
            .arg(format!("--datadir={}", datadir.display()))
            .args(["--auth-root-authentication-method=normal", "--skip-test-db"]);
        if is_root() {
            install.arg("--user=root");
        }
        run(&mut install, "mariadb-install-db");
        let port = free_port();
        let socket = d.join("mysqld.sock");
        let mut cmd = Command::new("mariadbd");
        cmd.arg("--no-defaults")
            .arg(format!("--datadir={}", datadir.display()))
            .arg(format!("--socket={}", socket.display()))
            .arg(format!("--port={port}"))
            .arg("--bind-address=127.0.0.1")
            .arg(format!("--pid-file={}", d.join("mysqld.pid").display()))
            .arg(format!("--log-error={}", d.join("error.log").display()))
            .arg(format!("--ssl-ca={}", ca.display()))
            .arg(format!("--ssl-cert={}", cert.display()))
            .arg(format!("--ssl-key={}", key.display()))
            .arg("--require-secure-transport=ON")
            .arg("--innodb-buffer-pool-size=16M")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if is_root() {
            cmd.arg("--user=root");
        }
        let child = cmd.spawn().unwrap();
        let mut server = Server {
            child,
            port,
            socket,
            dir,
        };
        let started = Instant::now();
        loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!(
                    "mariadbd exited with {status}:\n{}",
                    std::fs::read_to_string(server.dir.path().join("error.log"))
                        .unwrap_or_default()
                );
            }
            if server.client(&["-e", "SELECT 1"]).status.success() {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "mariadbd did not answer within 60 s"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        let setup = format!(
            "CREATE USER 'tls'@'%' IDENTIFIED BY '{PASSWORD}'; GRANT ALL ON *.* TO 'tls'@'%';\
             CREATE DATABASE shop; CREATE TABLE shop.users (id INT PRIMARY KEY, email VARCHAR(64));\
             INSERT INTO shop.users VALUES (1,'a@example.com'),(2,'b@example.com'),(3,NULL);"
        );
        let out = server.client(&["-e", &setup]);
        assert!(
            out.status.success(),
            "setup: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        server
    }

    /// The mariadb client over the socket (not subject to require_secure_transport).
    fn client(&self, args: &[&str]) -> std::process::Output {
        Command::new("mariadb")
            .arg("--no-defaults")
            .arg(format!("--socket={}", self.socket.display()))
            .arg("-uroot")
            .args(args)
            .output()
            .unwrap()
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn options(&self, host: &str, mode: Option<TlsMode>, ca: Option<&str>) -> ConnectOptions {
        let pw = self.file("password");
        std::fs::write(&pw, format!("{PASSWORD}\n")).unwrap();
        let mut o = ConnectOptions::new();
        o.url = Some(format!("mysql://tls@{host}:{}/", self.port));
        o.password_file = Some(pw);
        o.ssl_mode = mode;
        o.ssl_ca = ca.map(|c| self.file(&format!("{c}-ca.pem")));
        o
    }
}

/// Connect and return the session's cipher, or the error text.
fn cipher(o: &ConnectOptions) -> Result<String, String> {
    let connector = o.resolve().map_err(|e| e.to_string())?;
    let mut conn = connector
        .connect(Names::Utf8mb4)
        .map_err(|e| e.to_string())?;
    let row: Option<(String, String)> = conn
        .query_first("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
        .unwrap();
    Ok(row.map(|r| r.1).unwrap_or_default())
}

#[test]
fn tls_modes_against_a_server_that_requires_secure_transport() {
    let server = Server::start();

    // No TLS: the server refuses, and the error says where, not the password.
    let err = cipher(&server.options("127.0.0.1", None, None)).unwrap_err();
    assert!(err.contains(&format!("127.0.0.1:{}", server.port)), "{err}");
    assert!(!err.contains(PASSWORD), "{err}");

    // --ssl-ca alone means verify-ca: the chain is checked, the host name not.
    let c = cipher(&server.options("127.0.0.1", None, Some("good"))).unwrap();
    assert!(!c.is_empty(), "the session is not encrypted");

    // verify-identity: the certificate names db.internal.example, not 127.0.0.1.
    let err = cipher(&server.options("127.0.0.1", Some(TlsMode::VerifyIdentity), Some("good")))
        .unwrap_err();
    assert!(err.contains("(TLS verify-identity)"), "{err}");
    assert!(!err.contains(PASSWORD), "{err}");

    // A CA that did not sign the certificate fails verify-ca ...
    let err =
        cipher(&server.options("127.0.0.1", Some(TlsMode::VerifyCa), Some("other"))).unwrap_err();
    assert!(!err.contains(PASSWORD), "{err}");
    // ... and is not consulted by required (encrypted, unchecked).
    let c = cipher(&server.options("127.0.0.1", Some(TlsMode::Required), Some("other"))).unwrap();
    assert!(!c.is_empty(), "required mode is not encrypted");

    // A CA file that holds no certificate is an options error before any connection.
    std::fs::write(server.file("bogus-ca.pem"), "not a certificate\n").unwrap();
    let err = server
        .options("127.0.0.1", None, Some("bogus"))
        .resolve()
        .unwrap_err()
        .to_string();
    assert!(err.contains("no certificate"), "{err}");

    // A dump over TLS gets every row.
    let connector = server
        .options("127.0.0.1", Some(TlsMode::VerifyCa), Some("good"))
        .resolve()
        .unwrap();
    let out = server.file("dump");
    let mut opts = DumpOptions::default();
    opts.threads = 2;
    opts.lock = false;
    let outcome = dump::dump(&connector, &out, &opts, &Progress::default()).unwrap();
    let users = outcome
        .manifest
        .tables
        .iter()
        .find(|t| t.name == "users")
        .expect("users dumped");
    assert_eq!(users.rows, 3);
}

#[test]
fn option_file_gives_ssl_settings() {
    let dir = tempfile::tempdir().unwrap();
    let cnf = dir.path().join("my.cnf");
    std::fs::write(
        &cnf,
        "[client]\nssl-mode = VERIFY_IDENTITY\nssl_ca=/nonexistent/ca.pem\n",
    )
    .unwrap();
    let mut o = ConnectOptions::new();
    o.defaults_file = Some(cnf.clone());
    // The CA file named by the option file is read (and missing) before any connection.
    let err = o.resolve().unwrap_err().to_string();
    assert!(err.contains("/nonexistent/ca.pem"), "{err}");

    std::fs::write(&cnf, "[client]\nssl-mode = sometimes\n").unwrap();
    let err = o.resolve().unwrap_err().to_string();
    assert!(err.contains("line 2") && err.contains("ssl-mode"), "{err}");
}
