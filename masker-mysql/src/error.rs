//! Errors of live-server work: each names the place (server, table, chunk,
//! file) and the cause. This module owns the error type and the rule that a
//! server message is only shown where it cannot hold a cell value; it must
//! never format a password, a key or a row value.

use std::path::PathBuf;

use masker_core::PlanProblem;

/// A failed live-server operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The connection options are wrong (bad URL, unreadable password file, ...).
    #[error("connection options: {0}")]
    Options(String),
    /// The server refused or dropped the connection.
    #[error("cannot connect to {target}: {cause}")]
    Connect {
        /// `host:port` or the socket path (never a password).
        target: String,
        /// The driver's or server's reason.
        cause: String,
    },
    /// A statement failed on the server.
    #[error("{place}: {cause}")]
    Server {
        /// What was being done (`listing tables`, `dumping db.t chunk 3`, ...).
        place: String,
        /// The server's error code and state, and its message where it cannot
        /// hold a row value.
        cause: String,
        /// The server's error number, when the server reported one.
        code: Option<u16>,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The dump directory or its manifest is not what was expected.
    #[error("{}: {cause}", path.display())]
    Dump {
        /// The file or directory.
        path: PathBuf,
        /// What is wrong.
        cause: String,
    },
    /// The rules do not fit the server's tables (every problem at once).
    #[error("the rules do not match the tables:{}", lines(.0))]
    Rules(Vec<PlanProblem>),
    /// A table cannot be dumped as asked (unparsable schema, masking failure, ...).
    #[error("table {table}: {cause}")]
    Table {
        /// `db.table`.
        table: String,
        /// What is wrong (never a cell value).
        cause: String,
    },
}

/// Each problem on its own indented line.
fn lines(problems: &[PlanProblem]) -> String {
    problems.iter().map(|p| format!("\n  {p}")).collect()
}

/// Result of live-server operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// A failed statement whose server message cannot hold row values
    /// (catalog queries, DDL): the message is kept.
    pub fn server(place: impl Into<String>, e: mysql::Error) -> Self {
        Error::Server {
            place: place.into(),
            code: server_code(&e),
            cause: e.to_string(),
        }
    }

    /// True for a deadlock or a lock wait timeout: the server rolled the
    /// transaction back (or may retry it), so redoing it is safe.
    pub fn is_transient(&self) -> bool {
        // ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT
        matches!(
            self,
            Error::Server {
                code: Some(1213 | 1205),
                ..
            }
        )
    }

    /// A failed statement over row data: server messages such as
    /// `Duplicate entry '...'` quote values, so only the error code, the
    /// SQL state and the error name are kept.
    pub fn data(place: impl Into<String>, e: mysql::Error) -> Self {
        let cause = match &e {
            mysql::Error::MySqlError(m) => format!(
                "server error {} (SQLSTATE {}); the server's message is not shown because it may quote row values",
                m.code, m.state
            ),
            other => other.to_string(),
        };
        Error::Server {
            place: place.into(),
            code: server_code(&e),
            cause,
        }
    }
}

fn server_code(e: &mysql::Error) -> Option<u16> {
    match e {
        mysql::Error::MySqlError(m) => Some(m.code),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_errors_drop_the_server_message() {
        let e = mysql::Error::MySqlError(mysql::MySqlError {
            state: "23000".into(),
            message: "Duplicate entry 'secret@example.com' for key 'email'".into(),
            code: 1062,
        });
        let shown = Error::data("loading db.t chunk 2", e).to_string();
        assert!(shown.contains("1062") && shown.contains("db.t chunk 2"));
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn deadlocks_are_transient_other_errors_not() {
        let err = |code| {
            Error::data(
                "x",
                mysql::Error::MySqlError(mysql::MySqlError {
                    state: "40001".into(),
                    message: String::new(),
                    code,
                }),
            )
        };
        assert!(err(1213).is_transient() && err(1205).is_transient());
        assert!(!err(1062).is_transient());
    }
}
