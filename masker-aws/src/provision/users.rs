//! The admin and application users of the local database: their config
//! section, the `init/users.sql` that creates them, the init script that
//! fills in their passwords, and the `.env` that holds the passwords.
//!
//! Owns user validation and password generation (OS RNG). Passwords appear
//! only in `.env` (git-ignored), never in `users.sql`, an error or a
//! message. It does not write files (the caller does).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;
use thiserror::Error;

/// The users section of the provisioning config (TOML):
///
/// ```toml
/// [[user]]
/// name = "app"
/// host = "%"
/// [[user.grant]]
/// privileges = ["SELECT", "INSERT", "UPDATE", "DELETE"]
/// on = "app.*"
/// ```
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct UsersConfig {
    /// The users.
    #[serde(default, rename = "user")]
    pub users: Vec<UserConfig>,
}

/// One user.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    /// The user name (letters, digits, `_`; at most 32 characters).
    pub name: String,
    /// The host part (default `%`).
    #[serde(default = "any_host")]
    pub host: String,
    /// The grants.
    #[serde(default, rename = "grant")]
    pub grants: Vec<GrantConfig>,
}

fn any_host() -> String {
    "%".into()
}

/// One `GRANT`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GrantConfig {
    /// Privileges, e.g. `SELECT`, `ALL PRIVILEGES`.
    pub privileges: Vec<String>,
    /// What they apply to: `*.*`, `db.*` or `db.table`.
    pub on: String,
    /// `WITH GRANT OPTION`.
    #[serde(default)]
    pub with_grant_option: bool,
}

/// Problems in the users config; every one is listed, by its config path.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum UsersError {
    /// Not valid TOML or unknown keys.
    #[error("{path}: {source}")]
    Toml {
        /// The file.
        path: String,
        /// The TOML error (with line and column).
        source: toml::de::Error,
    },
    /// Invalid entries.
    #[error("{path}: {}", .problems.join("; "))]
    Invalid {
        /// The file.
        path: String,
        /// One message per problem, each starting with its config path.
        problems: Vec<String>,
    },
    /// The OS random number generator failed.
    #[error("generating a password: {0}")]
    Rng(getrandom::Error),
}

const PRIVILEGES: &[&str] = &[
    "ALL",
    "ALL PRIVILEGES",
    "ALTER",
    "ALTER ROUTINE",
    "CREATE",
    "CREATE ROUTINE",
    "CREATE TEMPORARY TABLES",
    "CREATE USER",
    "CREATE VIEW",
    "DELETE",
    "DROP",
    "EVENT",
    "EXECUTE",
    "FILE",
    "INDEX",
    "INSERT",
    "LOCK TABLES",
    "PROCESS",
    "REFERENCES",
    "RELOAD",
    "REPLICATION CLIENT",
    "REPLICATION SLAVE",
    "SELECT",
    "SHOW DATABASES",
    "SHOW VIEW",
    "SHUTDOWN",
    "TRIGGER",
    "UPDATE",
];

/// A validated user, ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    name: String,
    host: String,
    grants: Vec<(Vec<String>, String, bool)>,
}

impl User {
    /// The variable in `.env` that holds this user's password.
    pub fn password_variable(&self) -> String {
        format!("MASKER_PASSWORD_{}", self.name.to_ascii_uppercase())
    }

    fn placeholder(&self) -> String {
        format!("@@{}@@", self.password_variable())
    }
}

fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
}

/// `db.*`, `*.*` or `db.table` -> the quoted SQL form.
fn grant_target(on: &str) -> Option<String> {
    let (db, table) = on.split_once('.')?;
    let quote = |part: &str| match part {
        "*" => Some("*".to_owned()),
        p if is_ident(p) => Some(format!("`{p}`")),
        _ => None,
    };
    if db == "*" && table != "*" {
        return None;
    }
    Some(format!("{}.{}", quote(db)?, quote(table)?))
}

impl UsersConfig {
    /// Parses the TOML text of `path` (named in errors).
    pub fn from_toml(path: &str, text: &str) -> Result<UsersConfig, UsersError> {
        toml::from_str(text).map_err(|source| UsersError::Toml {
            path: path.to_owned(),
            source,
        })
    }

    /// Validates every user and grant, reporting all problems at once.
    pub fn compile(&self, path: &str) -> Result<Vec<User>, UsersError> {
        let mut problems = Vec::new();
        let mut users = Vec::new();
        let mut seen = BTreeMap::new();
        for (i, u) in self.users.iter().enumerate() {
            let at = format!("user[{i}]");
            if !(is_ident(&u.name) && !u.name.contains('$') && u.name.len() <= 32) {
                problems.push(format!(
                    "{at}.name: use 1 to 32 letters, digits or `_` (found {:?})",
                    u.name.escape_debug().to_string()
                ));
            } else if let Some(prev) = seen.insert(u.name.to_ascii_uppercase(), i) {
                problems.push(format!(
                    "{at}.name: `{}` is also user[{prev}] (names must differ ignoring case: each has its own password variable)",
                    u.name
                ));
            }
            if u.host.is_empty()
                || !u.host.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'%' | b'_' | b'-' | b':')
                })
            {
                problems.push(format!(
                    "{at}.host: use letters, digits, `.`, `%`, `_`, `-`, `:`"
                ));
            }
            let mut grants = Vec::new();
            for (j, g) in u.grants.iter().enumerate() {
                let gat = format!("{at}.grant[{j}]");
                let mut privileges = Vec::new();
                if g.privileges.is_empty() {
                    problems.push(format!("{gat}.privileges: empty"));
                }
                for (k, p) in g.privileges.iter().enumerate() {
                    let norm = p
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .to_ascii_uppercase();
                    if PRIVILEGES.contains(&norm.as_str()) {
                        privileges.push(norm);
                    } else {
                        problems.push(format!(
                            "{gat}.privileges[{k}]: unknown privilege {:?}",
                            p.escape_debug().to_string()
                        ));
                    }
                }
                match grant_target(&g.on) {
                    Some(on) => grants.push((privileges, on, g.with_grant_option)),
                    None => problems.push(format!(
                        "{gat}.on: expected `*.*`, `db.*` or `db.table` (found {:?})",
                        g.on.escape_debug().to_string()
                    )),
                }
            }
            users.push(User {
                name: u.name.clone(),
                host: u.host.clone(),
                grants,
            });
        }
        if problems.is_empty() {
            Ok(users)
        } else {
            Err(UsersError::Invalid {
                path: path.to_owned(),
                problems,
            })
        }
    }
}

/// `init/users.sql`: creates the users and grants; passwords are
/// placeholders that `init/00-users.sh` replaces from the environment.
pub fn users_sql(users: &[User]) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "-- Rendered by `masker-aws my-cnf`; do not edit by hand."
    );
    let _ = writeln!(
        t,
        "-- Passwords are placeholders: init/00-users.sh fills them in from .env."
    );
    for u in users {
        let _ = writeln!(
            t,
            "CREATE USER IF NOT EXISTS '{}'@'{}' IDENTIFIED BY '{}';",
            u.name,
            u.host,
            u.placeholder()
        );
        for (privileges, on, grant_option) in &u.grants {
            let _ = writeln!(
                t,
                "GRANT {} ON {on} TO '{}'@'{}'{};",
                privileges.join(", "),
                u.name,
                u.host,
                if *grant_option {
                    " WITH GRANT OPTION"
                } else {
                    ""
                }
            );
        }
    }
    t
}

/// Where `users.sql` is mounted in the container.
pub const USERS_SQL_IN_CONTAINER: &str = "/masker/users.sql";

/// `init/00-users.sh`: sourced by the image's entrypoint on first start;
/// runs `users.sql` with the passwords from the environment (`.env`).
pub fn users_script(users: &[User]) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "# Rendered by `masker-aws my-cnf`; do not edit by hand.");
    let _ = writeln!(
        t,
        "# Sourced (not executed) by the image's entrypoint on first start: runs"
    );
    let _ = writeln!(
        t,
        "# users.sql with the passwords that docker-compose passes from .env."
    );
    let _ = write!(t, "sed");
    for u in users {
        // Passwords are generated alphanumeric, so they are safe in sed and SQL.
        let _ = write!(
            t,
            " -e \"s/{}/${{{}}}/g\"",
            u.placeholder(),
            u.password_variable()
        );
    }
    let _ = writeln!(
        t,
        " \"${{MASKER_USERS_SQL:-{USERS_SQL_IN_CONTAINER}}}\" | docker_process_sql"
    );
    t
}

/// Generates a 24-character alphanumeric password from the OS RNG.
pub fn generate_password() -> Result<String, UsersError> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(24);
    let mut buf = [0u8; 64];
    while out.len() < 24 {
        getrandom::getrandom(&mut buf).map_err(UsersError::Rng)?;
        // Rejection sampling keeps every character equally likely.
        for b in buf {
            if usize::from(b) < 248 && out.len() < 24 {
                out.push(char::from(ALPHABET[usize::from(b) % 62]));
            }
        }
    }
    Ok(out)
}

/// The `.env` text: `variables` (name -> password), keeping passwords an
/// earlier `.env` (`previous`) already has so the local database keeps
/// working; new variables get generated passwords.
pub fn env_file(previous: Option<&str>, variables: &[String]) -> Result<String, UsersError> {
    let old: BTreeMap<&str, &str> = previous
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .filter(|(_, v)| !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric()))
        .collect();
    let mut t = String::from(
        "# Generated by `masker-aws my-cnf`: local passwords. Never commit this file.\n",
    );
    for var in variables {
        let value = match old.get(var.as_str()) {
            Some(v) => (*v).to_owned(),
            None => generate_password()?,
        };
        let _ = writeln!(t, "{var}={value}");
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"
[[user]]
name = "admin"
[[user.grant]]
privileges = ["all privileges"]
on = "*.*"
with_grant_option = true

[[user]]
name = "app"
host = "10.0.%"
[[user.grant]]
privileges = ["SELECT", "INSERT", "UPDATE", "DELETE"]
on = "app.*"
[[user.grant]]
privileges = ["SELECT"]
on = "audit.events"
"#;

    #[test]
    fn renders_users_and_grants_without_passwords() {
        let users = UsersConfig::from_toml("u.toml", CONFIG)
            .unwrap()
            .compile("u.toml")
            .unwrap();
        let sql = users_sql(&users);
        assert!(sql.contains("CREATE USER IF NOT EXISTS 'admin'@'%' IDENTIFIED BY '@@MASKER_PASSWORD_ADMIN@@';\nGRANT ALL PRIVILEGES ON *.* TO 'admin'@'%' WITH GRANT OPTION;\n"), "{sql}");
        assert!(
            sql.contains("GRANT SELECT, INSERT, UPDATE, DELETE ON `app`.* TO 'app'@'10.0.%';\n"),
            "{sql}"
        );
        assert!(
            sql.contains("GRANT SELECT ON `audit`.`events` TO 'app'@'10.0.%';\n"),
            "{sql}"
        );
        let sh = users_script(&users);
        assert!(sh.contains(
            "sed -e \"s/@@MASKER_PASSWORD_ADMIN@@/${MASKER_PASSWORD_ADMIN}/g\" -e \"s/@@MASKER_PASSWORD_APP@@/${MASKER_PASSWORD_APP}/g\" \"${MASKER_USERS_SQL:-/masker/users.sql}\" | docker_process_sql\n"
        ), "{sh}");
    }

    #[test]
    fn every_problem_is_listed_with_its_path() {
        let bad = r#"
[[user]]
name = "bad name'"
host = "x'y"
[[user.grant]]
privileges = ["SELEC", "SELECT"]
on = "app"
[[user]]
name = "APP"
[[user]]
name = "app"
"#;
        let e = UsersConfig::from_toml("u.toml", bad)
            .unwrap()
            .compile("u.toml")
            .unwrap_err()
            .to_string();
        for part in [
            "u.toml: user[0].name: use 1 to 32 letters",
            "user[0].host: use letters",
            "user[0].grant[0].privileges[0]: unknown privilege \"SELEC\"",
            "user[0].grant[0].on: expected",
            "user[2].name: `app` is also user[1]",
        ] {
            assert!(e.contains(part), "missing {part:?} in {e}");
        }
        let e = UsersConfig::from_toml("u.toml", "[[user]]\nname='a'\npassword='x'\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("u.toml: ") && e.contains("unknown field `password`"),
            "{e}"
        );
    }

    #[test]
    fn passwords_are_random_alphanumeric_and_kept_across_runs() {
        let a = generate_password().unwrap();
        let b = generate_password().unwrap();
        assert_eq!(a.len(), 24);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
        let vars = [
            "MYSQL_ROOT_PASSWORD".to_owned(),
            "MASKER_PASSWORD_APP".to_owned(),
        ];
        let first = env_file(None, &vars[..1]).unwrap();
        let second = env_file(Some(&first), &vars).unwrap();
        let root = |t: &str| {
            t.lines()
                .find(|l| l.starts_with("MYSQL_ROOT_PASSWORD="))
                .unwrap()
                .to_owned()
        };
        assert_eq!(root(&first), root(&second));
        assert!(second.contains("\nMASKER_PASSWORD_APP="));
    }
}
