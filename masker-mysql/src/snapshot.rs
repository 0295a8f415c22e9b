//! One consistent view of the server on N connections. With the lock: a
//! short `FLUSH TABLES WITH READ LOCK` while every connection opens
//! `START TRANSACTION WITH CONSISTENT SNAPSHOT`, the binlog/GTID position
//! read under the lock, then `UNLOCK TABLES`. Without it (`--no-lock`, for a
//! server with no writers such as a restored snapshot, or one that refuses
//! the lock such as RDS) the transactions are opened one after another and
//! are only consistent if nothing writes. This module owns the connections'
//! transaction state; it reads no rows.

use mysql::prelude::Queryable;
use mysql::Conn;

use crate::connect::{Connector, Names};
use crate::error::{Error, Result};
use crate::sql;

/// Where the snapshot stands in the server's history.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Position {
    /// True when the global read lock was taken (the snapshot is consistent
    /// across connections even with writers).
    pub locked: bool,
    /// Binary log file, when binary logging is on.
    pub binlog_file: Option<String>,
    /// Binary log position.
    pub binlog_position: Option<u64>,
    /// GTID position (`gtid_binlog_pos` on MariaDB, `gtid_executed` on MySQL).
    pub gtid: Option<String>,
}

/// N connections inside transactions that see the same data.
pub struct Snapshot {
    /// The connections, each in its transaction.
    pub conns: Vec<Conn>,
    /// The recorded position.
    pub position: Position,
    /// `SELECT VERSION()`.
    pub server_version: String,
}

/// Open `n` (at least 1) connections that see one consistent snapshot.
pub fn open(connector: &Connector, n: usize, lock: bool) -> Result<Snapshot> {
    let mut conns = Vec::with_capacity(n.max(1));
    for _ in 0..n.max(1) {
        conns.push(connector.connect(Names::Binary)?);
    }
    let target = connector.target().to_owned();
    let run = |conn: &mut Conn, q: &str| -> Result<()> {
        conn.query_drop(q)
            .map_err(|e| Error::server(format!("{target}: {q}"), e))
    };
    if lock {
        run(&mut conns[0], "FLUSH TABLES WITH READ LOCK")?;
    }
    for conn in conns.iter_mut() {
        run(
            conn,
            "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
        )?;
        run(conn, "START TRANSACTION WITH CONSISTENT SNAPSHOT")?;
    }
    let mut position = read_position(&mut conns[0]);
    position.locked = lock;
    if lock {
        run(&mut conns[0], "UNLOCK TABLES")?;
    }
    let server_version = sql::rows(
        &mut conns[0],
        "SELECT VERSION()",
        "reading the server version",
    )?
    .first()
    .and_then(|r| sql::text(r, 0))
    .unwrap_or_default();
    Ok(Snapshot {
        conns,
        position,
        server_version,
    })
}

/// The binlog and GTID position, as far as the server tells it (missing
/// pieces stay `None`: binary logging may be off, privileges may lack).
fn read_position(conn: &mut Conn) -> Position {
    let mut p = Position::default();
    // MariaDB: the position matching this very transaction's snapshot.
    if let Ok(rows) = conn.query::<mysql::Row, _>("SHOW STATUS LIKE 'binlog_snapshot_%'") {
        for r in &rows {
            match sql::text(r, 0).as_deref() {
                Some("Binlog_snapshot_file") => {
                    p.binlog_file = sql::text(r, 1).filter(|s| !s.is_empty())
                }
                Some("Binlog_snapshot_position") if p.binlog_file.is_some() => {
                    p.binlog_position = sql::text(r, 1).and_then(|s| s.parse().ok())
                }
                _ => {}
            }
        }
    }
    if p.binlog_file.is_none() {
        if let Ok(rows) = conn.query::<mysql::Row, _>("SHOW MASTER STATUS") {
            if let Some(r) = rows.first() {
                p.binlog_file = sql::text(r, 0);
                p.binlog_position = sql::text(r, 1).and_then(|s| s.parse().ok());
            }
        }
    }
    for q in [
        "SELECT @@global.gtid_binlog_pos",
        "SELECT @@global.gtid_executed",
    ] {
        if let Ok(rows) = conn.query::<mysql::Row, _>(q) {
            p.gtid = rows
                .first()
                .and_then(|r| sql::text(r, 0))
                .filter(|s| !s.is_empty());
            break;
        }
    }
    p
}
