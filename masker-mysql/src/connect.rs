//! Connection options: which server, which user, and where the password
//! comes from (`MYSQL_PWD`, a password file, or the `[client]` section of an
//! option file; never the command line). This module owns turning those
//! options into connections with the session settings every dump, load and
//! verify needs, encrypted with TLS when asked ([`TlsMode`], `--ssl-ca`). It must never print, log or store the password: the
//! [`Connector`]'s `Debug` leaves it out and errors name only the target.

use std::path::{Path, PathBuf};

use mysql::prelude::Queryable;
use mysql::{Conn, Opts, OptsBuilder, SslOpts};

use crate::error::{Error, Result};

/// Connection options as the user typed them.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ConnectOptions {
    /// `mysql://user@host:port/` (a password in the URL is refused).
    pub url: Option<String>,
    /// A Unix socket path (instead of the URL's host and port).
    pub socket: Option<PathBuf>,
    /// The user name (overrides the URL's and the option file's).
    pub user: Option<String>,
    /// A file whose first line is the password.
    pub password_file: Option<PathBuf>,
    /// An option file whose `[client]` section gives user, password, host,
    /// port, socket, `ssl-ca` or `ssl-mode`.
    pub defaults_file: Option<PathBuf>,
    /// Whether and how to encrypt (default: [`TlsMode::VerifyCa`] when a CA
    /// file is given, else [`TlsMode::Disabled`]).
    pub ssl_mode: Option<TlsMode>,
    /// PEM (or DER) file of the certificate authorities to trust (an RDS
    /// bundle, a private CA). Without it, verifying modes trust the
    /// Mozilla roots.
    pub ssl_ca: Option<PathBuf>,
}

/// TLS on the connection, named as the mysql client's `--ssl-mode` names it.
/// There is no `PREFERRED`: a connection is encrypted or it is not, never
/// "encrypted if the server happens to offer it".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain TCP (or a Unix socket).
    Disabled,
    /// Encrypted, the certificate not checked (protects against a passive
    /// listener only).
    Required,
    /// Encrypted, the certificate chain checked against the CA, the host
    /// name not (private CAs whose certificates name another host).
    VerifyCa,
    /// Encrypted, chain and host name checked (the right choice for RDS and
    /// Aurora with AWS's CA bundle).
    VerifyIdentity,
}

impl TlsMode {
    /// The `--ssl-mode` spelling (`disabled`, `required`, `verify-ca`,
    /// `verify-identity`; case and `_` ignored).
    pub fn parse(text: &str) -> Option<TlsMode> {
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "disabled" => Some(TlsMode::Disabled),
            "required" => Some(TlsMode::Required),
            "verify-ca" => Some(TlsMode::VerifyCa),
            "verify-identity" => Some(TlsMode::VerifyIdentity),
            _ => None,
        }
    }

    /// The `--ssl-mode` spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TlsMode::Disabled => "disabled",
            TlsMode::Required => "required",
            TlsMode::VerifyCa => "verify-ca",
            TlsMode::VerifyIdentity => "verify-identity",
        }
    }
}

impl ConnectOptions {
    /// Empty options: the server on 127.0.0.1:3306, user from the option file or `root`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Resolve the options (read the password from its source) into a [`Connector`].
    pub fn resolve(&self) -> Result<Connector> {
        self.resolve_with_env(std::env::var("MYSQL_PWD").ok())
    }

    /// Resolve the options with a password held in memory by the caller (a
    /// generated master password): used unless a password file or option
    /// file gives one. The password is never printed.
    pub fn resolve_with_password(&self, password: String) -> Result<Connector> {
        self.resolve_with_env(Some(password))
    }

    fn resolve_with_env(&self, env_password: Option<String>) -> Result<Connector> {
        let client = match &self.defaults_file {
            Some(path) => read_client_section(path)?,
            None => ClientSection::default(),
        };
        let mut builder = OptsBuilder::new()
            .ip_or_hostname(client.host.clone().or(Some("127.0.0.1".into())))
            .tcp_port(client.port.unwrap_or(3306));
        let mut user = client.user.clone();
        let mut socket = client.socket.clone();
        if let Some(url) = &self.url {
            let opts = Opts::from_url(url).map_err(|e| {
                // The URL error may quote the URL; a password in it is refused
                // below, but never echo the URL itself.
                Error::Options(format!(
                    "--url is not a valid mysql:// URL ({})",
                    url_error_kind(&e)
                ))
            })?;
            if opts.get_pass().is_some() {
                return Err(Error::Options(
                    "--url holds a password: give it with MYSQL_PWD, --password-file or --defaults-file instead".into(),
                ));
            }
            if opts.get_user().is_some() {
                user = opts.get_user().map(str::to_owned);
            }
            builder = builder
                .ip_or_hostname(Some(opts.get_ip_or_hostname().into_owned()))
                .tcp_port(opts.get_tcp_port());
            socket = None;
        }
        if let Some(s) = &self.socket {
            socket = Some(s.display().to_string());
        }
        if self.user.is_some() {
            user = self.user.clone();
        }
        let password = match &self.password_file {
            Some(path) => Some(read_password_file(path)?),
            None => client.password.clone().or(env_password),
        };
        let ssl_ca = self
            .ssl_ca
            .clone()
            .or_else(|| client.ssl_ca.as_ref().map(PathBuf::from));
        let mode = match self.ssl_mode.or(client.ssl_mode) {
            Some(mode) => mode,
            None if ssl_ca.is_some() => TlsMode::VerifyCa,
            None => TlsMode::Disabled,
        };
        let tls = tls_options(mode, ssl_ca.as_deref(), socket.is_some())?;
        let target = match &socket {
            Some(s) => format!("socket {s}"),
            None => {
                let o = Opts::from(builder.clone());
                let tls = match mode {
                    TlsMode::Disabled => String::new(),
                    m => format!(" (TLS {})", m.as_str()),
                };
                format!("{}:{}{tls}", o.get_ip_or_hostname(), o.get_tcp_port())
            }
        };
        builder = builder
            .ssl_opts(tls)
            .socket(socket)
            .user(Some(user.unwrap_or_else(|| "root".into())))
            .pass(password)
            .prefer_socket(false)
            .tcp_nodelay(true);
        Ok(Connector {
            opts: builder.into(),
            target,
        })
    }
}

/// The driver's TLS settings for `mode`. A CA file is checked here (it
/// exists and holds a certificate), so a typo is a clear error before any
/// connection is tried.
fn tls_options(mode: TlsMode, ca: Option<&Path>, socket: bool) -> Result<Option<SslOpts>> {
    if mode == TlsMode::Disabled {
        return Ok(None);
    }
    if socket {
        return Err(Error::Options(format!(
            "--ssl-mode {} needs a TCP connection (--url), not a Unix socket",
            mode.as_str()
        )));
    }
    if let Some(path) = ca {
        let text = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let pem = text
            .windows(b"-----BEGIN CERTIFICATE-----".len())
            .any(|w| w == b"-----BEGIN CERTIFICATE-----");
        // A DER certificate starts with a SEQUENCE tag.
        if !pem && text.first() != Some(&0x30) {
            return Err(Error::Options(format!(
                "--ssl-ca {}: no certificate in it (PEM or DER expected)",
                path.display()
            )));
        }
    }
    let opts = SslOpts::default()
        .with_root_cert_path(ca.map(|p| p.to_path_buf()))
        .with_danger_accept_invalid_certs(mode == TlsMode::Required)
        .with_danger_skip_domain_validation(mode != TlsMode::VerifyIdentity);
    Ok(Some(opts))
}

fn url_error_kind(e: &mysql::UrlError) -> &'static str {
    match e {
        mysql::UrlError::ParseError(_) => "cannot parse it",
        mysql::UrlError::UnsupportedScheme { .. } => "the scheme must be mysql://",
        mysql::UrlError::FeatureRequired { .. } => "it asks for a feature this build lacks",
        mysql::UrlError::InvalidValue(..) => "a parameter has an invalid value",
        mysql::UrlError::UnknownParameter(_) => "unknown parameter",
        _ => "invalid",
    }
}

fn read_password_file(path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    Ok(text.lines().next().unwrap_or_default().to_owned())
}

/// What a `[client]` section may give.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct ClientSection {
    user: Option<String>,
    password: Option<String>,
    host: Option<String>,
    port: Option<u16>,
    socket: Option<String>,
    ssl_ca: Option<String>,
    ssl_mode: Option<TlsMode>,
}

fn read_client_section(path: &Path) -> Result<ClientSection> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_client_section(&text).map_err(|cause| Error::Dump {
        path: path.to_owned(),
        cause,
    })
}

/// The `[client]` section of an option file (`my.cnf` syntax).
fn parse_client_section(text: &str) -> std::result::Result<ClientSection, String> {
    let mut out = ClientSection::default();
    let mut in_client = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[') {
            in_client = section.trim_end_matches(']').trim() == "client";
            continue;
        }
        if !in_client {
            continue;
        }
        let (key, value) = match line.split_once('=') {
            Some((k, v)) => (k.trim(), unquote(v.trim())),
            None => (line, String::new()),
        };
        match key.replace('_', "-").as_str() {
            "user" => out.user = Some(value),
            "password" => out.password = Some(value),
            "host" => out.host = Some(value),
            "socket" => out.socket = Some(value),
            "ssl-ca" => out.ssl_ca = Some(value),
            "ssl-mode" => {
                out.ssl_mode = Some(TlsMode::parse(&value).ok_or_else(|| {
                    format!(
                        "line {}: [client] ssl-mode must be disabled, required, verify-ca or verify-identity",
                        n + 1
                    )
                })?)
            }
            "port" => {
                out.port =
                    Some(value.parse().map_err(|_| {
                        format!("line {}: [client] port is not a port number", n + 1)
                    })?)
            }
            _ => {}
        }
    }
    Ok(out)
}

fn unquote(v: &str) -> String {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return v[1..v.len() - 1].to_owned();
        }
    }
    v.to_owned()
}

/// Resolved options that open connections. Its `Debug` never shows the password.
#[derive(Clone)]
pub struct Connector {
    opts: Opts,
    target: String,
}

impl std::fmt::Debug for Connector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connector")
            .field("target", &self.target)
            .field("user", &self.opts.get_user())
            .finish_non_exhaustive()
    }
}

/// The character set a session exchanges with the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    /// `SET NAMES binary`: values travel as the bytes each column holds (rows).
    Binary,
    /// `SET NAMES utf8mb4`: DDL and metadata.
    Utf8mb4,
}

impl Names {
    /// The `SET NAMES` statement.
    pub fn statement(self) -> &'static str {
        match self {
            Names::Binary => "SET NAMES binary",
            Names::Utf8mb4 => "SET NAMES utf8mb4",
        }
    }
}

impl Connector {
    /// `host:port` or `socket PATH`: what errors and reports name.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Open a connection with the session settings of masker's dumps: UTC
    /// time zone (TIMESTAMP values are written as UTC), the permissive
    /// `NO_AUTO_VALUE_ON_ZERO` sql_mode of mysqldump (zero dates and id 0
    /// load back), and `names`.
    pub fn connect(&self, names: Names) -> Result<Conn> {
        let mut conn = Conn::new(self.opts.clone()).map_err(|e| Error::Connect {
            target: self.target.clone(),
            cause: connect_cause(e),
        })?;
        let settings = [
            names.statement(),
            "SET SESSION time_zone = '+00:00'",
            "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'",
        ];
        for s in settings {
            conn.query_drop(s)
                .map_err(|e| Error::server(format!("{}: {s}", self.target), e))?;
        }
        Ok(conn)
    }
}

/// The reason a connection failed, without anything from the options.
fn connect_cause(e: mysql::Error) -> String {
    match e {
        // "Access denied for user 'u'@'h' (using password: YES)": no password in it.
        mysql::Error::MySqlError(m) => format!("server error {}: {}", m.code, m.message),
        mysql::Error::IoError(io) => format!("I/O error: {io}"),
        mysql::Error::DriverError(d) => format!("driver error: {d}"),
        other => format!("{other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_section_is_read_and_others_ignored() {
        let text = "[mysqld]\npassword=nope\n[client]\nuser = app\npassword=\"s3 cret\"\nport=3307\n# c\n[mysql]\nuser=other\n";
        let c = parse_client_section(text).unwrap();
        assert_eq!(c.user.as_deref(), Some("app"));
        assert_eq!(c.password.as_deref(), Some("s3 cret"));
        assert_eq!(c.port, Some(3307));
        assert_eq!(c.host, None);
    }

    #[test]
    fn bad_port_names_the_line_not_the_value() {
        let err = parse_client_section("[client]\nport=abc\n").unwrap_err();
        assert!(err.contains("line 2") && !err.contains("abc"), "{err}");
    }

    #[test]
    fn url_with_password_is_refused_without_echoing_it() {
        let o = ConnectOptions {
            url: Some("mysql://root:hunter2@127.0.0.1:3306/".into()),
            ..Default::default()
        };
        let err = o.resolve_with_env(None).unwrap_err().to_string();
        assert!(
            err.contains("password") && !err.contains("hunter2"),
            "{err}"
        );
    }

    #[test]
    fn debug_never_shows_the_password() {
        let o = ConnectOptions {
            url: Some("mysql://app@db.example:3307/".into()),
            ..Default::default()
        };
        let c = o.resolve_with_env(Some("hunter2".into())).unwrap();
        assert_eq!(c.target(), "db.example:3307");
        let shown = format!("{c:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
