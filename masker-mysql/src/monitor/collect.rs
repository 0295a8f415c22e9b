//! What the monitor reads from a server: the selected base tables (through
//! [`crate::catalog::list_tables`]), their columns from
//! `information_schema.COLUMNS`, the server's version and status, and the
//! top statement digests from `performance_schema` when it is on. It reads
//! catalog and status only, never a row of a user table, except `COUNT(*)`
//! when exact row counts are asked for. It never reads a statement's SQL
//! text (only the digest id) and never formats a data value.

use std::collections::HashMap;

use mysql::Conn;

use crate::catalog::{self, TableFilter, TableInfo, SYSTEM_SCHEMAS};
use crate::error::Result;
use crate::sql::{self, qualified, string_literal};

/// One column as `information_schema.COLUMNS` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnInfo {
    /// Column name.
    pub name: String,
    /// `COLUMN_TYPE` (`int(10) unsigned`, `varchar(255)`, ...).
    pub column_type: String,
    /// `EXTRA` says `auto_increment`.
    pub auto_increment: bool,
}

/// A base table: the catalog's numbers and its columns.
#[derive(Debug, Clone)]
pub struct TableObservation {
    /// Name and size estimates.
    pub info: TableInfo,
    /// Columns in declaration order.
    pub columns: Vec<ColumnInfo>,
    /// `COUNT(*)`, when exact row counts were asked for.
    pub exact_rows: Option<u64>,
}

impl TableObservation {
    /// The auto-increment column, if the table has one.
    pub fn auto_increment_column(&self) -> Option<&ColumnInfo> {
        self.columns.iter().find(|c| c.auto_increment)
    }
}

/// Server-wide numbers.
#[derive(Debug, Clone, Default)]
pub struct ServerStatus {
    /// `VERSION()`.
    pub version: String,
    /// `Uptime` (seconds).
    pub uptime_seconds: u64,
    /// `Threads_connected`: open connections now.
    pub threads_connected: u64,
    /// `Max_used_connections` since the server started.
    pub max_used_connections: u64,
    /// `@@max_connections`.
    pub max_connections: u64,
    /// `@@performance_schema` is on.
    pub performance_schema: bool,
}

/// One statement digest from `performance_schema` (never its SQL text).
#[derive(Debug, Clone, PartialEq)]
pub struct Digest {
    /// The digest id (a hash of the normalized statement).
    pub digest: String,
    /// The default database of the statements, if any.
    pub database: Option<String>,
    /// `COUNT_STAR`: executions.
    pub calls: u64,
    /// `SUM_TIMER_WAIT` in seconds.
    pub total_seconds: f64,
}

/// Everything one run read from the server.
#[derive(Debug, Clone, Default)]
pub struct Observation {
    /// Version and status.
    pub server: ServerStatus,
    /// The selected base tables, largest first.
    pub tables: Vec<TableObservation>,
    /// The top statement digests by total time (empty without performance_schema).
    pub digests: Vec<Digest>,
    /// Things the run could not read, said once each (not errors).
    pub notes: Vec<String>,
}

/// What to read.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CollectOptions {
    /// Which tables.
    pub filter: TableFilter,
    /// Count rows with `COUNT(*)` (reads every row) instead of the estimate.
    pub exact_rows: bool,
    /// How many statement digests to read (0: none).
    pub top_digests: usize,
}

/// Read the catalog, the status and (when on) the digests.
pub fn observe(conn: &mut Conn, opts: &CollectOptions) -> Result<Observation> {
    let mut notes = Vec::new();
    let server = server_status(conn, &mut notes)?;
    let mut columns = columns(conn, &opts.filter)?;
    let mut tables = Vec::new();
    for info in catalog::list_tables(conn, &opts.filter)? {
        let exact_rows = if opts.exact_rows {
            Some(count_rows(conn, &info)?)
        } else {
            None
        };
        let cols = columns
            .remove(&(info.database.clone(), info.name.clone()))
            .unwrap_or_default();
        tables.push(TableObservation {
            info,
            columns: cols,
            exact_rows,
        });
    }
    let digests = if server.performance_schema && opts.top_digests > 0 {
        digests(conn, opts.top_digests, &mut notes)
    } else {
        if !server.performance_schema && opts.top_digests > 0 {
            notes.push(
                "performance_schema is off on this server: no statement digest metrics".into(),
            );
        }
        Vec::new()
    };
    Ok(Observation {
        server,
        tables,
        digests,
        notes,
    })
}

fn server_status(conn: &mut Conn, notes: &mut Vec<String>) -> Result<ServerStatus> {
    let place = "reading the server version and status";
    let mut s = ServerStatus::default();
    if let Some(row) = sql::rows(conn, "SELECT VERSION(), @@max_connections", place)?.first() {
        s.version = sql::text(row, 0).unwrap_or_default();
        s.max_connections = sql::number(row, 1);
    }
    let status = "SHOW GLOBAL STATUS WHERE Variable_name IN \
                  ('Uptime', 'Threads_connected', 'Max_used_connections')";
    for row in sql::rows(conn, status, place)? {
        let value = sql::number(&row, 1);
        match sql::text(&row, 0).unwrap_or_default().as_str() {
            "Uptime" => s.uptime_seconds = value,
            "Threads_connected" => s.threads_connected = value,
            "Max_used_connections" => s.max_used_connections = value,
            _ => {}
        }
    }
    match sql::rows(conn, "SELECT @@performance_schema", place) {
        Ok(rows) => s.performance_schema = rows.first().is_some_and(|r| sql::number(r, 0) == 1),
        Err(e) => notes.push(format!(
            "this server has no performance_schema ({e}): no statement digest metrics"
        )),
    }
    Ok(s)
}

/// Columns of the selected schemas, by (database, table), in declaration order.
fn columns(
    conn: &mut Conn,
    filter: &TableFilter,
) -> Result<HashMap<(String, String), Vec<ColumnInfo>>> {
    let excluded = SYSTEM_SCHEMAS.map(string_literal).join(",");
    let only = if filter.databases.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = filter.databases.iter().map(|d| string_literal(d)).collect();
        format!(" AND TABLE_SCHEMA IN ({})", list.join(","))
    };
    let q = format!(
        "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, EXTRA \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA NOT IN ({excluded}){only} \
         ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION"
    );
    let mut out: HashMap<(String, String), Vec<ColumnInfo>> = HashMap::new();
    for row in sql::rows(conn, &q, "listing columns")? {
        let (Some(db), Some(table), Some(name)) =
            (sql::text(&row, 0), sql::text(&row, 1), sql::text(&row, 2))
        else {
            continue;
        };
        if !filter.selects(&db, &table) {
            continue;
        }
        let extra = sql::text(&row, 4).unwrap_or_default().to_ascii_lowercase();
        out.entry((db, table)).or_default().push(ColumnInfo {
            name,
            column_type: sql::text(&row, 3).unwrap_or_default(),
            auto_increment: extra.contains("auto_increment"),
        });
    }
    Ok(out)
}

fn count_rows(conn: &mut Conn, table: &TableInfo) -> Result<u64> {
    let place = format!(
        "counting the rows of {} (--exact-rows)",
        table.display_name()
    );
    let q = format!(
        "SELECT COUNT(*) FROM {}",
        qualified(&table.database, &table.name)
    );
    let rows = sql::rows(conn, &q, &place)?;
    Ok(rows.first().map_or(0, |r| sql::number(r, 0)))
}

/// The top `n` digests by total time. A failure (no privilege on
/// performance_schema, digests disabled) is a note, not an error.
fn digests(conn: &mut Conn, n: usize, notes: &mut Vec<String>) -> Vec<Digest> {
    let q = format!(
        "SELECT DIGEST, SCHEMA_NAME, COUNT_STAR, SUM_TIMER_WAIT \
         FROM performance_schema.events_statements_summary_by_digest \
         WHERE DIGEST IS NOT NULL ORDER BY SUM_TIMER_WAIT DESC LIMIT {n}"
    );
    match sql::rows(conn, &q, "reading statement digests") {
        Ok(rows) => rows
            .iter()
            .filter_map(|r| {
                Some(Digest {
                    digest: sql::text(r, 0)?,
                    database: sql::text(r, 1),
                    calls: sql::number(r, 2),
                    // SUM_TIMER_WAIT is in picoseconds.
                    total_seconds: sql::number(r, 3) as f64 / 1e12,
                })
            })
            .collect(),
        Err(e) => {
            notes.push(format!(
                "cannot read performance_schema statement digests ({e}): no digest metrics"
            ));
            Vec::new()
        }
    }
}
