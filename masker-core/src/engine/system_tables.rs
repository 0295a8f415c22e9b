//! MariaDB's system tables whose rows a dump can hold without their
//! `CREATE TABLE`: what the catalog does with them whatever the rules.
//!
//! `mariadb-dump --system=stats` (and `--system=all`) writes `REPLACE INTO`
//! statements for the persistent statistics in the `mysql` database after
//! `USE mysql`, and `--system=timezones` those of the time zone tables,
//! relying on the server to have the tables. Their columns are fixed by the
//! server, so masker knows what they hold:
//! - `mysql.column_stats` (engine-independent statistics, `ANALYZE TABLE ...
//!   PERSISTENT FOR ...`) holds each analysed column's smallest and largest
//!   value and a histogram of them (bucket bounds as text with
//!   `JSON_HB`): the original data. Its rows are never written (found by QA:
//!   the `min_value`/`max_value` of `users.email` came through a masked dump
//!   as they were). The copy's statistics come back with `ANALYZE TABLE`.
//! - `mysql.user` and `mysql.global_priv` (a dump of the `mysql` database)
//!   hold database accounts and their password hashes: masked by the rules
//!   like any table, with a warning in the summary; so are the statements
//!   that give an account its password (`--system=users`).
//! - the others hold names of databases, tables, indexes and columns,
//!   counts, ratios and time zone data, never a value of a column: their
//!   rows pass through (checked for syntax), in strict mode too.
//!
//! This module owns that list and the warnings; the catalog applies them
//! ([`super::Catalog`]).

use crate::schema::TableName;

/// What a known system table's rows become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SystemTable {
    /// Rows hold values of other tables' columns: never written.
    ValueStatistics,
    /// Rows hold no value of any column: written as they are.
    NoValues,
    /// Rows hold database accounts and their password hashes (`mysql.user`,
    /// `mysql.global_priv`, in a dump of the `mysql` database): masked by
    /// the rules as any table, and the summary warns.
    Accounts,
}

/// Tables of the `mysql` database whose rows hold no column value.
const NO_VALUES: &[&str] = &[
    "innodb_index_stats",
    "innodb_table_stats",
    "table_stats",
    "index_stats",
    "time_zone",
    "time_zone_leap_second",
    "time_zone_name",
    "time_zone_transition",
    "time_zone_transition_type",
];

/// Tables of the `mysql` database whose rows hold password hashes.
const ACCOUNTS: &[&str] = &["user", "global_priv"];

/// The table whose rows hold minimum, maximum and histogram values.
const VALUE_STATISTICS: &str = "column_stats";

impl SystemTable {
    /// What `name` is, when it is one of the known system tables (in the
    /// `mysql` database; names compare as the server does on Linux:
    /// database and table names are case-sensitive).
    pub(crate) fn of(name: &TableName) -> Option<SystemTable> {
        if name.database.as_deref() != Some("mysql") {
            return None;
        }
        if name.table == VALUE_STATISTICS {
            Some(SystemTable::ValueStatistics)
        } else if ACCOUNTS.contains(&name.table.as_str()) {
            Some(SystemTable::Accounts)
        } else if NO_VALUES.contains(&name.table.as_str()) {
            Some(SystemTable::NoValues)
        } else {
            None
        }
    }

    /// The summary's warning when rows of `name` were not written.
    pub(crate) fn dropped_warning(name: &TableName) -> String {
        format!(
            "{name}: its rows were not written: they hold the smallest and largest values and histograms of analysed columns, taken from the original data (`mariadb-dump --system=stats`, or a dump of the `mysql` database); run `ANALYZE TABLE ... PERSISTENT FOR ALL` on the loaded copy to rebuild them"
        )
    }

    /// The summary's warning when rows of `name` ([`SystemTable::Accounts`])
    /// were read.
    pub(crate) fn accounts_warning(name: &TableName) -> String {
        format!(
            "{name}: its rows hold database accounts and their password hashes; unless the rules mask them, they are written as they are: leave the `mysql` database out of a copy for others"
        )
    }
}

/// The summary's warning about `n` statements that give database accounts
/// their passwords or password hashes.
pub(crate) fn credentials_warning(n: u64) -> String {
    format!(
        "{n} statements give database accounts their passwords or password hashes (CREATE USER, ALTER USER or GRANT ... IDENTIFIED, SET PASSWORD: `mariadb-dump --system=users`); they are written as they are: leave them out of a copy for others"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(db: Option<&str>, t: &str) -> TableName {
        TableName::new(db, t)
    }

    #[test]
    fn only_tables_of_the_mysql_database_are_system_tables() {
        assert_eq!(
            SystemTable::of(&name(Some("mysql"), "column_stats")),
            Some(SystemTable::ValueStatistics)
        );
        assert_eq!(
            SystemTable::of(&name(Some("mysql"), "innodb_index_stats")),
            Some(SystemTable::NoValues)
        );
        assert_eq!(SystemTable::of(&name(Some("shop"), "column_stats")), None);
        assert_eq!(SystemTable::of(&name(None, "column_stats")), None);
        assert_eq!(
            SystemTable::of(&name(Some("mysql"), "global_priv")),
            Some(SystemTable::Accounts)
        );
        assert_eq!(SystemTable::of(&name(Some("mysql"), "proc")), None);
        assert_eq!(SystemTable::of(&name(Some("MYSQL"), "column_stats")), None);
    }
}
