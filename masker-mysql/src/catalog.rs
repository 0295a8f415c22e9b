//! What there is to dump: base tables (system-versioned ones too) from
//! `information_schema` (all non-system schemas, or the ones asked for),
//! largest first, with the size
//! estimates chunking needs; each table's `SHOW CREATE TABLE` parsed by
//! masker-core; the DDL of views, triggers, routines and events; and
//! sequences with their next value. It never reads a table's rows.

use masker_core::schema::{parse_create_table, TableName, TableSchema};
use mysql::Conn;

use crate::error::{Error, Result};
use crate::sql::{self, qualified, string_literal};

/// Schemas that are never dumped.
pub const SYSTEM_SCHEMAS: [&str; 4] = ["mysql", "information_schema", "performance_schema", "sys"];

/// Which tables to dump.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct TableFilter {
    /// Only these databases (empty: every non-system database).
    pub databases: Vec<String>,
    /// Only these tables: `db.table`, or `table` in any selected database (empty: all).
    pub tables: Vec<String>,
    /// Never these tables: `db.table` or `table`.
    pub exclude_tables: Vec<String>,
}

impl TableFilter {
    /// Every table of every non-system database.
    pub fn new() -> Self {
        Self::default()
    }

    fn matches(list: &[String], db: &str, table: &str) -> bool {
        list.iter().any(|t| match t.split_once('.') {
            Some((d, n)) => d == db && n == table,
            None => t == table,
        })
    }

    /// True when `db`.`table` is selected.
    pub fn selects(&self, db: &str, table: &str) -> bool {
        (self.databases.is_empty() || self.databases.iter().any(|d| d == db))
            && (self.tables.is_empty() || Self::matches(&self.tables, db, table))
            && !Self::matches(&self.exclude_tables, db, table)
    }
}

/// A base table and the catalog's size estimates.
#[derive(Debug, Clone)]
pub struct TableInfo {
    /// Database name.
    pub database: String,
    /// Table name.
    pub name: String,
    /// `DATA_LENGTH` (bytes, an estimate).
    pub data_length: u64,
    /// `TABLE_ROWS` (an estimate).
    pub rows_estimate: u64,
    /// `AVG_ROW_LENGTH` (bytes, an estimate).
    pub avg_row_length: u64,
    /// `INDEX_LENGTH` (bytes, an estimate).
    pub index_length: u64,
    /// `DATA_FREE` (bytes allocated but unused).
    pub data_free: u64,
    /// `AUTO_INCREMENT`: the next auto-increment value, if the table has one.
    pub auto_increment: Option<u64>,
}

impl TableInfo {
    /// `db.table`, as errors and reports name it.
    pub fn display_name(&self) -> String {
        format!("{}.{}", self.database, self.name)
    }
}

/// A database's default character set and collation.
#[derive(Debug, Clone)]
pub struct DatabaseInfo {
    /// Name.
    pub name: String,
    /// Default character set.
    pub charset: String,
    /// Default collation.
    pub collation: String,
}

/// The selected base tables, largest first by `data_length`. MariaDB's
/// system-versioned tables are base tables too (`TABLE_TYPE` `SYSTEM
/// VERSIONED`): their current rows are dumped, as `mariadb-dump` does
/// without `--dump-history`, and their `CREATE TABLE` keeps `WITH SYSTEM
/// VERSIONING`.
pub fn list_tables(conn: &mut Conn, filter: &TableFilter) -> Result<Vec<TableInfo>> {
    let excluded = SYSTEM_SCHEMAS.map(string_literal).join(",");
    let q = format!(
        "SELECT TABLE_SCHEMA, TABLE_NAME, COALESCE(DATA_LENGTH,0), COALESCE(TABLE_ROWS,0), \
         COALESCE(AVG_ROW_LENGTH,0), COALESCE(INDEX_LENGTH,0), COALESCE(DATA_FREE,0), \
         AUTO_INCREMENT FROM information_schema.TABLES \
         WHERE TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') AND TABLE_SCHEMA NOT IN ({excluded}) \
         ORDER BY DATA_LENGTH DESC, TABLE_SCHEMA, TABLE_NAME"
    );
    let mut out = Vec::new();
    for row in sql::rows(conn, &q, "listing tables")? {
        let (Some(database), Some(name)) = (sql::text(&row, 0), sql::text(&row, 1)) else {
            continue;
        };
        if !filter.selects(&database, &name) {
            continue;
        }
        out.push(TableInfo {
            database,
            name,
            data_length: sql::number(&row, 2),
            rows_estimate: sql::number(&row, 3),
            avg_row_length: sql::number(&row, 4),
            index_length: sql::number(&row, 5),
            data_free: sql::number(&row, 6),
            auto_increment: sql::text(&row, 7).and_then(|v| v.parse().ok()),
        });
    }
    Ok(out)
}

/// A MariaDB sequence: its `SHOW CREATE SEQUENCE` text and the value its
/// next `NEXTVAL` gives (`NEXT_NOT_CACHED_VALUE`: values the server had
/// cached but not handed out are skipped, as after a restart).
#[derive(Debug, Clone)]
pub struct SequenceDdl {
    /// Its name.
    pub name: String,
    /// `CREATE SEQUENCE ...`.
    pub create: String,
    /// The next value, as the server writes it (an integer).
    pub next: String,
}

/// The selected sequences of `db` (`TABLE_TYPE` `SEQUENCE`), in name order,
/// read on `conn` (the dump's snapshot connection). The connection's default
/// database is not changed.
pub fn sequences(conn: &mut Conn, db: &str, filter: &TableFilter) -> Result<Vec<SequenceDdl>> {
    let q = format!(
        "SELECT TABLE_NAME FROM information_schema.TABLES \
         WHERE TABLE_TYPE = 'SEQUENCE' AND TABLE_SCHEMA = {} ORDER BY TABLE_NAME",
        string_literal(db)
    );
    let place = format!("listing the sequences of database {db}");
    let mut out = Vec::new();
    for row in sql::rows(conn, &q, &place)? {
        let Some(name) = sql::text(&row, 0) else {
            continue;
        };
        if !filter.selects(db, &name) {
            continue;
        }
        let place = format!("SHOW CREATE SEQUENCE {db}.{name}");
        let missing = || Error::Server {
            code: None,
            place: place.clone(),
            cause: "no definition returned (missing privileges?)".into(),
        };
        let rows = sql::rows(
            conn,
            &format!("SHOW CREATE SEQUENCE {}", qualified(db, &name)),
            &place,
        )?;
        let create = rows
            .first()
            .and_then(|r| sql::text(r, 1))
            .ok_or_else(missing)?;
        let rows = sql::rows(
            conn,
            &format!("SELECT NEXT_NOT_CACHED_VALUE FROM {}", qualified(db, &name)),
            &place,
        )?;
        let next = rows
            .first()
            .and_then(|r| sql::text(r, 0))
            .filter(|v| {
                let digits = v.strip_prefix('-').unwrap_or(v);
                !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
            })
            .ok_or_else(missing)?;
        out.push(SequenceDdl { name, create, next });
    }
    Ok(out)
}

/// Character set and collation of each named database.
pub fn database_info(conn: &mut Conn, names: &[String]) -> Result<Vec<DatabaseInfo>> {
    let mut out = Vec::new();
    for name in names {
        let q = format!(
            "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = {}",
            string_literal(name)
        );
        let rows = sql::rows(conn, &q, &format!("reading database {name}"))?;
        let row = rows.first().ok_or_else(|| {
            Error::Options(format!("database {name} does not exist on the server"))
        })?;
        out.push(DatabaseInfo {
            name: name.clone(),
            charset: sql::text(row, 0).unwrap_or_else(|| "utf8mb4".into()),
            collation: sql::text(row, 1).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// A table's `SHOW CREATE TABLE` text and its parsed schema.
#[derive(Debug, Clone)]
pub struct TableDdl {
    /// The statement as the server wrote it (unqualified table name).
    pub create: String,
    /// Its columns and keys, parsed by masker-core.
    pub schema: TableSchema,
}

/// `SHOW CREATE TABLE` for `table`, parsed with masker-core's parser.
pub fn table_ddl(conn: &mut Conn, table: &TableInfo) -> Result<TableDdl> {
    let place = format!("SHOW CREATE TABLE {}", table.display_name());
    let rows = sql::rows(
        conn,
        &format!(
            "SHOW CREATE TABLE {}",
            qualified(&table.database, &table.name)
        ),
        &place,
    )?;
    let create = rows
        .first()
        .and_then(|r| sql::text(r, 1))
        .ok_or_else(|| Error::Table {
            table: table.display_name(),
            cause: "SHOW CREATE TABLE returned no UTF-8 statement".into(),
        })?;
    let mut schema = parse_create_table(create.as_bytes()).map_err(|cause| Error::Table {
        table: table.display_name(),
        cause: format!("cannot parse SHOW CREATE TABLE: {cause}"),
    })?;
    schema.name = TableName::new(Some(&table.database), &table.name);
    Ok(TableDdl { create, schema })
}

/// The kind of a stored object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectKind {
    /// A stored procedure.
    Procedure,
    /// A stored function.
    Function,
    /// A view.
    View,
    /// A trigger.
    Trigger,
    /// A scheduled event.
    Event,
}

impl ObjectKind {
    /// The SQL keyword (`PROCEDURE`, `VIEW`, ...).
    pub fn keyword(self) -> &'static str {
        match self {
            ObjectKind::Procedure => "PROCEDURE",
            ObjectKind::Function => "FUNCTION",
            ObjectKind::View => "VIEW",
            ObjectKind::Trigger => "TRIGGER",
            ObjectKind::Event => "EVENT",
        }
    }

    /// The column of `SHOW CREATE <kind>` holding the statement.
    fn ddl_column(self) -> usize {
        match self {
            ObjectKind::View => 1,
            ObjectKind::Procedure | ObjectKind::Function | ObjectKind::Trigger => 2,
            ObjectKind::Event => 3,
        }
    }
}

/// One view, trigger, routine or event and its DDL.
#[derive(Debug, Clone)]
pub struct ObjectDdl {
    /// What it is.
    pub kind: ObjectKind,
    /// Its name.
    pub name: String,
    /// `SHOW CREATE ...` text.
    pub create: String,
}

/// Routines, views, triggers and events of `db`, in that order (the order
/// they load in). The connection's default database is set to `db` so that
/// view bodies name same-database tables unqualified.
pub fn objects(conn: &mut Conn, db: &str) -> Result<Vec<ObjectDdl>> {
    let lit = string_literal(db);
    let lists = [
        (
            format!("SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = {lit} ORDER BY ROUTINE_TYPE, ROUTINE_NAME"),
            None,
        ),
        (
            format!("SELECT 'VIEW', TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = {lit} ORDER BY TABLE_NAME"),
            Some(ObjectKind::View),
        ),
        (
            format!("SELECT 'TRIGGER', TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = {lit} ORDER BY EVENT_OBJECT_TABLE, ACTION_ORDER, TRIGGER_NAME"),
            Some(ObjectKind::Trigger),
        ),
        (
            format!("SELECT 'EVENT', EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = {lit} ORDER BY EVENT_NAME"),
            Some(ObjectKind::Event),
        ),
    ];
    let place = format!("listing the objects of database {db}");
    let mut found = Vec::new();
    for (q, kind) in lists {
        for row in sql::rows(conn, &q, &place)? {
            let kind = match kind {
                Some(k) => k,
                None if sql::text(&row, 0).as_deref() == Some("FUNCTION") => ObjectKind::Function,
                None => ObjectKind::Procedure,
            };
            if let Some(name) = sql::text(&row, 1) {
                found.push((kind, name));
            }
        }
    }
    if found.is_empty() {
        return Ok(Vec::new());
    }
    sql::rows(conn, &format!("USE {}", sql::ident(db)), &place)?;
    let mut out = Vec::new();
    for (kind, name) in found {
        let place = format!("SHOW CREATE {} {db}.{name}", kind.keyword());
        let rows = sql::rows(
            conn,
            &format!("SHOW CREATE {} {}", kind.keyword(), qualified(db, &name)),
            &place,
        )?;
        let create = rows
            .first()
            .and_then(|r| sql::text(r, kind.ddl_column()))
            .ok_or_else(|| Error::Server {
                code: None,
                place: place.clone(),
                cause: "no definition returned (missing privileges?)".into(),
            })?;
        out.push(ObjectDdl { kind, name, create });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_selects_by_database_table_and_exclusion() {
        let f = TableFilter {
            databases: vec!["a".into()],
            tables: vec![],
            exclude_tables: vec!["a.logs".into(), "tmp".into()],
        };
        assert!(f.selects("a", "users"));
        assert!(!f.selects("b", "users"));
        assert!(!f.selects("a", "logs"));
        assert!(!f.selects("a", "tmp"));
        let g = TableFilter {
            tables: vec!["users".into(), "b.orders".into()],
            ..Default::default()
        };
        assert!(g.selects("x", "users") && g.selects("b", "orders") && !g.selects("a", "orders"));
    }
}
