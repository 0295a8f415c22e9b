//! Engines and versions: which local server (MySQL or MariaDB, which
//! version, which container image) stands in for an RDS engine version.
//!
//! Owns the Aurora-to-MySQL version table. It does not know parameters
//! (that is `knowledge`) and never guesses a version it has no row for.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// The RDS engine a parameter group belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Aurora MySQL (`aurora-mysql`): cluster and instance groups.
    AuroraMysql,
    /// RDS for MySQL (`mysql`): one instance group.
    Mysql,
    /// RDS for MariaDB (`mariadb`): one instance group.
    Mariadb,
}

impl Engine {
    /// The name RDS uses (`aurora-mysql`, `mysql`, `mariadb`).
    pub fn rds_name(self) -> &'static str {
        match self {
            Engine::AuroraMysql => "aurora-mysql",
            Engine::Mysql => "mysql",
            Engine::Mariadb => "mariadb",
        }
    }
}

impl FromStr for Engine {
    type Err = EngineError;
    fn from_str(s: &str) -> Result<Self, EngineError> {
        match s {
            "aurora-mysql" => Ok(Engine::AuroraMysql),
            "mysql" => Ok(Engine::Mysql),
            "mariadb" => Ok(Engine::Mariadb),
            _ => Err(EngineError::UnknownEngine(s.to_owned())),
        }
    }
}

/// The family of the local server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Oracle MySQL.
    Mysql,
    /// MariaDB.
    Mariadb,
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Family::Mysql => "MySQL",
            Family::Mariadb => "MariaDB",
        })
    }
}

/// A `major.minor.patch` server version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u32, pub u32, pub u32);

impl Version {
    /// Parses the leading `major.minor[.patch]` of `text` (anything after
    /// the numbers, such as `-MariaDB` or `.mysql_aurora.3.05.2`, is ignored).
    pub fn parse_prefix(text: &str) -> Option<Version> {
        let mut parts = text.split(['.', '-']);
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        let patch = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        Some(Version(major, minor, patch))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// The local server that runs the rendered configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// MySQL or MariaDB.
    pub family: Family,
    /// The server version the knowledge table is checked against.
    pub version: Version,
    /// The container image, e.g. `mysql:8.0.32`.
    pub image: String,
}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} (image {})", self.family, self.version, self.image)
    }
}

/// An engine or version this tool cannot map to a local server.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum EngineError {
    /// Not one of `aurora-mysql`, `mysql`, `mariadb`.
    #[error("unknown engine `{0}` (expected aurora-mysql, mysql or mariadb)")]
    UnknownEngine(String),
    /// The version text does not have the expected shape.
    #[error("engine version `{version}` of {engine}: expected {expected}")]
    BadVersion {
        /// The engine.
        engine: &'static str,
        /// The version as given.
        version: String,
        /// The expected shape.
        expected: &'static str,
    },
    /// An Aurora MySQL 3 minor this tool has no MySQL version for.
    #[error(
        "Aurora MySQL `{0}`: no known MySQL 8.0 version for this Aurora minor \
         (add it to AURORA3_MYSQL in masker-aws/src/provision/engine.rs)"
    )]
    UnknownAuroraMinor(String),
}

/// Aurora MySQL 3 minor -> the MySQL 8.0 version it is compatible with
/// (from the Aurora MySQL release notes).
const AURORA3_MYSQL: &[(&str, Version)] = &[
    ("3.01", Version(8, 0, 23)),
    ("3.02", Version(8, 0, 23)),
    ("3.03", Version(8, 0, 26)),
    ("3.04", Version(8, 0, 28)),
    ("3.05", Version(8, 0, 32)),
    ("3.06", Version(8, 0, 34)),
    ("3.07", Version(8, 0, 36)),
    ("3.08", Version(8, 0, 39)),
    ("3.09", Version(8, 0, 40)),
    ("3.10", Version(8, 0, 42)),
    ("3.12", Version(8, 0, 44)),
];

/// `mysql:5.7` is the last 5.7 release; Aurora MySQL 2 runs on it locally.
const MYSQL_57_LAST: Version = Version(5, 7, 44);

/// The local server for `engine` at RDS `engine_version`:
/// Aurora MySQL 2 -> `mysql:5.7`, Aurora MySQL 3.0x -> the MySQL 8.0 minor
/// it is based on, RDS MySQL and MariaDB -> the same version.
pub fn local_server(engine: Engine, engine_version: &str) -> Result<Server, EngineError> {
    let bad = |expected| EngineError::BadVersion {
        engine: engine.rds_name(),
        version: engine_version.to_owned(),
        expected,
    };
    match engine {
        Engine::AuroraMysql => {
            const SHAPE: &str = "`5.7.mysql_aurora.2.x.y` or `8.0.mysql_aurora.3.0x.y`";
            let aurora = engine_version
                .split_once(".mysql_aurora.")
                .map(|(_, a)| a)
                .ok_or_else(|| bad(SHAPE))?;
            if aurora.starts_with("2.") {
                return Ok(Server {
                    family: Family::Mysql,
                    version: MYSQL_57_LAST,
                    image: "mysql:5.7".into(),
                });
            }
            let minor = aurora.get(..4).ok_or_else(|| bad(SHAPE))?;
            let version = AURORA3_MYSQL
                .iter()
                .find(|(m, _)| *m == minor)
                .map(|(_, v)| *v)
                .ok_or_else(|| EngineError::UnknownAuroraMinor(engine_version.to_owned()))?;
            Ok(Server {
                family: Family::Mysql,
                version,
                image: format!("mysql:{version}"),
            })
        }
        Engine::Mysql | Engine::Mariadb => {
            let version = exact_version(engine_version)
                .ok_or_else(|| bad("`major.minor.patch`, e.g. 8.0.35"))?;
            let (family, repo) = if engine == Engine::Mysql {
                (Family::Mysql, "mysql")
            } else {
                (Family::Mariadb, "mariadb")
            };
            Ok(Server {
                family,
                version,
                image: format!("{repo}:{version}"),
            })
        }
    }
}

fn exact_version(text: &str) -> Option<Version> {
    let mut parts = text.split('.');
    let v = Version(
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
    );
    parts.next().is_none().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_per_engine_and_version() {
        let cases = [
            (
                Engine::AuroraMysql,
                "5.7.mysql_aurora.2.11.2",
                "mysql:5.7",
                Family::Mysql,
            ),
            (
                Engine::AuroraMysql,
                "8.0.mysql_aurora.3.05.2",
                "mysql:8.0.32",
                Family::Mysql,
            ),
            (
                Engine::AuroraMysql,
                "8.0.mysql_aurora.3.04.0",
                "mysql:8.0.28",
                Family::Mysql,
            ),
            (Engine::Mysql, "8.0.35", "mysql:8.0.35", Family::Mysql),
            (
                Engine::Mariadb,
                "10.11.6",
                "mariadb:10.11.6",
                Family::Mariadb,
            ),
        ];
        for (engine, v, image, family) in cases {
            let s = local_server(engine, v).unwrap();
            assert_eq!((s.image.as_str(), s.family), (image, family), "{v}");
        }
    }

    #[test]
    fn unknown_versions_are_refused_not_guessed() {
        assert_eq!(
            local_server(Engine::AuroraMysql, "8.0.mysql_aurora.3.99.0"),
            Err(EngineError::UnknownAuroraMinor(
                "8.0.mysql_aurora.3.99.0".into()
            ))
        );
        assert!(matches!(
            local_server(Engine::AuroraMysql, "8.0.35"),
            Err(EngineError::BadVersion { .. })
        ));
        assert!(matches!(
            local_server(Engine::Mysql, "8.0"),
            Err(EngineError::BadVersion { .. })
        ));
        assert!("postgres".parse::<Engine>().is_err());
    }

    #[test]
    fn version_prefix() {
        assert_eq!(
            Version::parse_prefix("10.11.19-MariaDB-0+deb12u1"),
            Some(Version(10, 11, 19))
        );
        assert!(Version(10, 6, 0) < Version(10, 11, 0));
    }
}
