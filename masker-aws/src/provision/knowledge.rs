//! What an RDS parameter means on a local server: written (under which
//! option-file name, checked under which variable name) or left out (and
//! why).
//!
//! Owns the tables: RDS/Aurora-only names, settings of the RDS host
//! (paths, replication, storage, TLS), renamed options, and options a
//! given server version does not know. It does not read values or
//! evaluate formulas (that is `render`). Names not in any table are
//! written as they are: the real-server test shows whether the server
//! accepts them.

use super::engine::{Family, Server, Version};

/// What to do with a parameter locally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disposition {
    /// Write it.
    Write {
        /// The option-file name.
        option: &'static str,
        /// The name `SHOW VARIABLES` reports it under.
        variable: &'static str,
    },
    /// Write it under its own name (no renaming needed).
    WriteAsIs,
    /// Leave it out, with the reason (for the comment).
    LeaveOut(String),
}

const AURORA_ONLY: &str = "Aurora-only: no meaning outside Aurora";
const RDS_ONLY: &str = "RDS-only: no meaning outside RDS";
const AWS_INTEGRATION: &str = "AWS integration (IAM roles, S3, Lambda): no meaning locally";
const HOST_PATH: &str = "a path or endpoint of the RDS host; the local server uses its own";
const REPLICATION: &str =
    "replication and binary logging: the local server is a stand-alone, writable primary";
const STORAGE: &str = "tuned for RDS storage, not for a local disk";
const TLS: &str = "TLS: the local server has no certificates";
const AUDIT: &str = "audit plugin: not loaded on the local server";
const SESSION: &str =
    "a session setting, not a server option: each client sets it (SET NAMES / its connector)";
const OS_LIMIT: &str = "an operating-system limit of the RDS host";

/// Exact names that have no local meaning, with the reason.
const LEAVE_OUT: &[(&str, &str)] = &[
    // Paths and endpoint of the RDS host.
    ("basedir", HOST_PATH),
    ("datadir", HOST_PATH),
    ("tmpdir", HOST_PATH),
    ("socket", HOST_PATH),
    ("port", HOST_PATH),
    ("bind_address", HOST_PATH),
    ("pid_file", HOST_PATH),
    ("log_error", HOST_PATH),
    ("general_log_file", HOST_PATH),
    ("slow_query_log_file", HOST_PATH),
    ("log_slow_query_file", HOST_PATH),
    ("innodb_data_home_dir", HOST_PATH),
    ("innodb_log_group_home_dir", HOST_PATH),
    ("innodb_undo_directory", HOST_PATH),
    ("innodb_tmpdir", HOST_PATH),
    ("innodb_temp_data_file_path", HOST_PATH),
    ("secure_file_priv", HOST_PATH),
    ("plugin_dir", HOST_PATH),
    ("character_sets_dir", HOST_PATH),
    ("lc_messages_dir", HOST_PATH),
    ("plugin_load", HOST_PATH),
    ("plugin_load_add", HOST_PATH),
    // Replication and binary logging.
    ("server_id", REPLICATION),
    ("log_bin", REPLICATION),
    ("log_bin_basename", REPLICATION),
    ("log_bin_index", REPLICATION),
    ("log_bin_use_v1_row_events", REPLICATION),
    ("log_slave_updates", REPLICATION),
    ("log_replica_updates", REPLICATION),
    ("enforce_gtid_consistency", REPLICATION),
    ("expire_logs_days", REPLICATION),
    ("max_binlog_size", REPLICATION),
    ("max_binlog_cache_size", REPLICATION),
    ("max_binlog_stmt_cache_size", REPLICATION),
    ("sync_binlog", REPLICATION),
    ("sync_master_info", REPLICATION),
    ("sync_relay_log", REPLICATION),
    ("sync_relay_log_info", REPLICATION),
    ("master_info_repository", REPLICATION),
    ("relay_log_info_repository", REPLICATION),
    ("read_only", REPLICATION),
    ("super_read_only", REPLICATION),
    ("skip_slave_start", REPLICATION),
    ("skip_replica_start", REPLICATION),
    ("report_host", REPLICATION),
    // Storage tuned for RDS volumes.
    ("innodb_flush_method", STORAGE),
    ("innodb_data_file_path", STORAGE),
    ("innodb_use_native_aio", STORAGE),
    ("innodb_doublewrite", STORAGE),
    ("innodb_io_capacity", STORAGE),
    ("innodb_io_capacity_max", STORAGE),
    ("innodb_flush_neighbors", STORAGE),
    // TLS.
    ("require_secure_transport", TLS),
    ("tls_version", TLS),
    // Session-only.
    ("character_set_client", SESSION),
    ("character_set_connection", SESSION),
    ("character_set_results", SESSION),
    ("collation_connection", SESSION),
    // Host limits.
    ("open_files_limit", OS_LIMIT),
    ("core_file", OS_LIMIT),
    ("core-file", OS_LIMIT),
];

/// Name prefixes with no local meaning.
const LEAVE_OUT_PREFIX: &[(&str, &str)] = &[
    ("aurora", AURORA_ONLY),
    ("rds.", RDS_ONLY),
    ("rds_", RDS_ONLY),
    ("aws_", AWS_INTEGRATION),
    ("binlog_", REPLICATION),
    ("gtid_", REPLICATION),
    ("relay_log", REPLICATION),
    ("slave_", REPLICATION),
    ("replica_", REPLICATION),
    ("rpl_", REPLICATION),
    ("ssl_", TLS),
    ("server_audit_", AUDIT),
];

/// RDS parameter names whose option-file name or variable name differs.
/// `(rds name, option, variable on MySQL, variable on MariaDB before 11.1,
/// variable on MariaDB 11.1+)`.
const RENAMES: &[(&str, &str, &str, &str, &str)] = &[
    // `time_zone=` is refused in an option file; `default_time_zone` sets it.
    (
        "time_zone",
        "default_time_zone",
        "time_zone",
        "time_zone",
        "time_zone",
    ),
    (
        "tx_isolation",
        "transaction_isolation",
        "transaction_isolation",
        "tx_isolation",
        "transaction_isolation",
    ),
    (
        "transaction_isolation",
        "transaction_isolation",
        "transaction_isolation",
        "tx_isolation",
        "transaction_isolation",
    ),
    (
        "tx_read_only",
        "transaction_read_only",
        "transaction_read_only",
        "tx_read_only",
        "transaction_read_only",
    ),
    (
        "transaction_read_only",
        "transaction_read_only",
        "transaction_read_only",
        "tx_read_only",
        "transaction_read_only",
    ),
];

const MARIADB_TRANSACTION_VARS: Version = Version(11, 1, 1);

/// An option that a server family does not know from `from` on (up to,
/// not including, `until`).
struct Absent {
    name: &'static str,
    family: Family,
    from: Version,
    until: Option<Version>,
    why: &'static str,
}

const fn absent(name: &'static str, family: Family, from: Version, why: &'static str) -> Absent {
    Absent {
        name,
        family,
        from,
        until: None,
        why,
    }
}

const ALWAYS: Version = Version(0, 0, 0);
const MYSQL_ONLY: &str = "a MySQL-only option (MariaDB refuses it or ignores it)";
const MARIADB_ONLY: &str = "a MariaDB-only option";

/// Options a target server does not know: writing one stops the server.
const ABSENT: &[Absent] = &[
    // MySQL-only options.
    absent(
        "default_authentication_plugin",
        Family::Mariadb,
        ALWAYS,
        MYSQL_ONLY,
    ),
    absent("authentication_policy", Family::Mariadb, ALWAYS, MYSQL_ONLY),
    absent(
        "innodb_dedicated_server",
        Family::Mariadb,
        ALWAYS,
        MYSQL_ONLY,
    ),
    absent(
        "innodb_redo_log_capacity",
        Family::Mariadb,
        ALWAYS,
        MYSQL_ONLY,
    ),
    absent(
        "information_schema_stats_expiry",
        Family::Mariadb,
        ALWAYS,
        MYSQL_ONLY,
    ),
    absent("log_timestamps", Family::Mariadb, ALWAYS, MYSQL_ONLY),
    absent("max_execution_time", Family::Mariadb, ALWAYS, MYSQL_ONLY),
    absent(
        "sql_require_primary_key",
        Family::Mariadb,
        ALWAYS,
        MYSQL_ONLY,
    ),
    absent("show_compatibility_56", Family::Mariadb, ALWAYS, MYSQL_ONLY),
    absent("temptable_max_ram", Family::Mariadb, ALWAYS, MYSQL_ONLY),
    absent("temptable_max_mmap", Family::Mariadb, ALWAYS, MYSQL_ONLY),
    absent("temptable_use_mmap", Family::Mariadb, ALWAYS, MYSQL_ONLY),
    absent(
        "internal_tmp_mem_storage_engine",
        Family::Mariadb,
        ALWAYS,
        MYSQL_ONLY,
    ),
    absent(
        "activate_all_roles_on_login",
        Family::Mariadb,
        ALWAYS,
        MYSQL_ONLY,
    ),
    absent("mandatory_roles", Family::Mariadb, ALWAYS, MYSQL_ONLY),
    absent("partial_revokes", Family::Mariadb, ALWAYS, MYSQL_ONLY),
    absent("password_history", Family::Mariadb, ALWAYS, MYSQL_ONLY),
    absent(
        "password_reuse_interval",
        Family::Mariadb,
        ALWAYS,
        MYSQL_ONLY,
    ),
    absent(
        "password_require_current",
        Family::Mariadb,
        ALWAYS,
        MYSQL_ONLY,
    ),
    absent(
        "cte_max_recursion_depth",
        Family::Mariadb,
        ALWAYS,
        MYSQL_ONLY,
    ),
    absent("regexp_time_limit", Family::Mariadb, ALWAYS, MYSQL_ONLY),
    absent("regexp_stack_limit", Family::Mariadb, ALWAYS, MYSQL_ONLY),
    absent(
        "innodb_parallel_read_threads",
        Family::Mariadb,
        ALWAYS,
        MYSQL_ONLY,
    ),
    absent(
        "transaction_write_set_extraction",
        Family::Mariadb,
        ALWAYS,
        MYSQL_ONLY,
    ),
    // MariaDB-only options.
    absent("max_statement_time", Family::Mysql, ALWAYS, MARIADB_ONLY),
    absent(
        "innodb_force_primary_key",
        Family::Mysql,
        ALWAYS,
        MARIADB_ONLY,
    ),
    absent("userstat", Family::Mysql, ALWAYS, MARIADB_ONLY),
    absent("log_slow_verbosity", Family::Mysql, ALWAYS, MARIADB_ONLY),
    absent(
        "aria_pagecache_buffer_size",
        Family::Mysql,
        ALWAYS,
        MARIADB_ONLY,
    ),
    // Removed from MariaDB.
    absent(
        "innodb_large_prefix",
        Family::Mariadb,
        Version(10, 3, 1),
        "removed in MariaDB 10.3",
    ),
    absent(
        "innodb_file_format",
        Family::Mariadb,
        Version(10, 3, 1),
        "removed in MariaDB 10.3",
    ),
    absent(
        "innodb_support_xa",
        Family::Mariadb,
        Version(10, 3, 0),
        "removed in MariaDB 10.3",
    ),
    absent(
        "innodb_locks_unsafe_for_binlog",
        Family::Mariadb,
        Version(10, 5, 0),
        "removed in MariaDB 10.5",
    ),
    absent(
        "innodb_buffer_pool_instances",
        Family::Mariadb,
        Version(10, 6, 0),
        "removed in MariaDB 10.6",
    ),
    absent(
        "innodb_page_cleaners",
        Family::Mariadb,
        Version(10, 6, 0),
        "removed in MariaDB 10.6",
    ),
    absent(
        "innodb_log_files_in_group",
        Family::Mariadb,
        Version(10, 6, 0),
        "removed in MariaDB 10.6",
    ),
    absent(
        "innodb_thread_concurrency",
        Family::Mariadb,
        Version(10, 6, 0),
        "removed in MariaDB 10.6",
    ),
    absent(
        "innodb_commit_concurrency",
        Family::Mariadb,
        Version(10, 6, 0),
        "removed in MariaDB 10.6",
    ),
    absent(
        "innodb_undo_logs",
        Family::Mariadb,
        Version(10, 6, 0),
        "removed in MariaDB 10.6",
    ),
    absent(
        "innodb_checksums",
        Family::Mariadb,
        Version(10, 6, 0),
        "removed in MariaDB 10.6",
    ),
    // Removed from MySQL 8.0.
    absent(
        "query_cache_type",
        Family::Mysql,
        Version(8, 0, 3),
        "removed in MySQL 8.0",
    ),
    absent(
        "query_cache_size",
        Family::Mysql,
        Version(8, 0, 3),
        "removed in MySQL 8.0",
    ),
    absent(
        "query_cache_limit",
        Family::Mysql,
        Version(8, 0, 3),
        "removed in MySQL 8.0",
    ),
    absent(
        "query_cache_min_res_unit",
        Family::Mysql,
        Version(8, 0, 3),
        "removed in MySQL 8.0",
    ),
    absent(
        "query_cache_wlock_invalidate",
        Family::Mysql,
        Version(8, 0, 3),
        "removed in MySQL 8.0",
    ),
    absent(
        "innodb_large_prefix",
        Family::Mysql,
        Version(8, 0, 0),
        "removed in MySQL 8.0",
    ),
    absent(
        "innodb_file_format",
        Family::Mysql,
        Version(8, 0, 0),
        "removed in MySQL 8.0",
    ),
    absent(
        "innodb_support_xa",
        Family::Mysql,
        Version(8, 0, 0),
        "removed in MySQL 8.0",
    ),
    absent(
        "innodb_undo_logs",
        Family::Mysql,
        Version(8, 0, 2),
        "removed in MySQL 8.0",
    ),
    absent(
        "show_compatibility_56",
        Family::Mysql,
        Version(8, 0, 1),
        "removed in MySQL 8.0",
    ),
    absent(
        "log_warnings",
        Family::Mysql,
        Version(8, 0, 3),
        "removed in MySQL 8.0",
    ),
    absent(
        "sync_frm",
        Family::Mysql,
        Version(8, 0, 0),
        "removed in MySQL 8.0",
    ),
    absent(
        "secure_auth",
        Family::Mysql,
        Version(8, 0, 3),
        "removed in MySQL 8.0",
    ),
    absent(
        "old_passwords",
        Family::Mysql,
        Version(8, 0, 11),
        "removed in MySQL 8.0",
    ),
    absent(
        "internal_tmp_disk_storage_engine",
        Family::Mysql,
        Version(8, 0, 16),
        "removed in MySQL 8.0.16",
    ),
    absent(
        "max_tmp_tables",
        Family::Mysql,
        Version(8, 0, 3),
        "removed in MySQL 8.0",
    ),
    absent(
        "metadata_locks_cache_size",
        Family::Mysql,
        Version(8, 0, 1),
        "removed in MySQL 8.0",
    ),
    absent(
        "metadata_locks_hash_instances",
        Family::Mysql,
        Version(8, 0, 1),
        "removed in MySQL 8.0",
    ),
    absent(
        "ignore_db_dirs",
        Family::Mysql,
        Version(8, 0, 0),
        "removed in MySQL 8.0",
    ),
    absent(
        "date_format",
        Family::Mysql,
        Version(8, 0, 3),
        "removed in MySQL 8.0",
    ),
    absent(
        "datetime_format",
        Family::Mysql,
        Version(8, 0, 3),
        "removed in MySQL 8.0",
    ),
    absent(
        "time_format",
        Family::Mysql,
        Version(8, 0, 3),
        "removed in MySQL 8.0",
    ),
    absent(
        "multi_range_count",
        Family::Mysql,
        Version(8, 0, 3),
        "removed in MySQL 8.0",
    ),
    // Added to MySQL 8.0 (unknown to 5.7).
    absent(
        "innodb_dedicated_server",
        Family::Mysql,
        ALWAYS,
        "added in MySQL 8.0.3",
    )
    .until(Version(8, 0, 3)),
    absent(
        "innodb_redo_log_capacity",
        Family::Mysql,
        ALWAYS,
        "added in MySQL 8.0.30",
    )
    .until(Version(8, 0, 30)),
    absent(
        "information_schema_stats_expiry",
        Family::Mysql,
        ALWAYS,
        "added in MySQL 8.0.3",
    )
    .until(Version(8, 0, 3)),
    absent(
        "sql_require_primary_key",
        Family::Mysql,
        ALWAYS,
        "added in MySQL 8.0.13",
    )
    .until(Version(8, 0, 13)),
    absent(
        "temptable_max_ram",
        Family::Mysql,
        ALWAYS,
        "added in MySQL 8.0.2",
    )
    .until(Version(8, 0, 2)),
    absent(
        "activate_all_roles_on_login",
        Family::Mysql,
        ALWAYS,
        "added in MySQL 8.0.2",
    )
    .until(Version(8, 0, 2)),
    absent(
        "cte_max_recursion_depth",
        Family::Mysql,
        ALWAYS,
        "added in MySQL 8.0.3",
    )
    .until(Version(8, 0, 3)),
];

/// The options `server` does not know, by the table above (the real-server
/// tests check them against the local `mariadbd`).
pub fn absent_options(server: &Server) -> Vec<&'static str> {
    ABSENT
        .iter()
        .filter(|a| a.applies(a.name, server))
        .map(|a| a.name)
        .collect()
}

impl Absent {
    const fn until(mut self, v: Version) -> Absent {
        self.until = Some(v);
        self
    }

    fn applies(&self, name: &str, server: &Server) -> bool {
        self.name == name
            && self.family == server.family
            && server.version >= self.from
            && self.until.is_none_or(|u| server.version < u)
    }
}

/// What `name` (an RDS parameter name) means on `server`.
pub fn classify(name: &str, server: &Server) -> Disposition {
    if let Some((_, why)) = LEAVE_OUT.iter().find(|(n, _)| *n == name) {
        return Disposition::LeaveOut((*why).to_owned());
    }
    if let Some((_, why)) = LEAVE_OUT_PREFIX.iter().find(|(p, _)| name.starts_with(p)) {
        return Disposition::LeaveOut((*why).to_owned());
    }
    if let Some(a) = ABSENT.iter().find(|a| a.applies(name, server)) {
        return Disposition::LeaveOut(format!(
            "not an option of {} {}: {}",
            server.family, server.version, a.why
        ));
    }
    if let Some(&(_, option, mysql, mariadb_old, mariadb_new)) =
        RENAMES.iter().find(|(n, ..)| *n == name)
    {
        let variable = match server.family {
            Family::Mysql => mysql,
            Family::Mariadb if server.version < MARIADB_TRANSACTION_VARS => mariadb_old,
            Family::Mariadb => mariadb_new,
        };
        return Disposition::Write { option, variable };
    }
    Disposition::WriteAsIs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(family: Family, v: Version) -> Server {
        Server {
            family,
            version: v,
            image: String::new(),
        }
    }

    #[test]
    fn classification() {
        let maria = server(Family::Mariadb, Version(10, 11, 6));
        let mysql8 = server(Family::Mysql, Version(8, 0, 32));
        let mysql57 = server(Family::Mysql, Version(5, 7, 44));
        let out = |d: Disposition| match d {
            Disposition::LeaveOut(why) => why,
            other => panic!("expected LeaveOut, got {other:?}"),
        };
        assert!(out(classify(
            "aurora_binlog_replication_max_yield_seconds",
            &mysql8
        ))
        .contains("Aurora-only"));
        assert!(out(classify("rds.force_ssl", &mysql8)).contains("RDS-only"));
        assert!(out(classify("datadir", &maria)).contains("RDS host"));
        assert!(out(classify("binlog_format", &maria)).contains("replication"));
        assert!(out(classify("character_set_client", &maria)).contains("session"));
        assert_eq!(
            out(classify("default_authentication_plugin", &maria)),
            "not an option of MariaDB 10.11.6: a MySQL-only option (MariaDB refuses it or ignores it)"
        );
        assert!(out(classify("query_cache_type", &mysql8)).contains("removed in MySQL 8.0"));
        assert_eq!(
            classify("query_cache_type", &mysql57),
            Disposition::WriteAsIs
        );
        assert_eq!(classify("query_cache_type", &maria), Disposition::WriteAsIs);
        assert!(out(classify("innodb_buffer_pool_instances", &maria)).contains("10.6"));
        assert_eq!(
            classify(
                "innodb_buffer_pool_instances",
                &server(Family::Mariadb, Version(10, 5, 20))
            ),
            Disposition::WriteAsIs
        );
        assert!(out(classify(
            "innodb_redo_log_capacity",
            &server(Family::Mysql, Version(8, 0, 28))
        ))
        .contains("8.0.30"));
        assert_eq!(
            classify(
                "innodb_redo_log_capacity",
                &server(Family::Mysql, Version(8, 0, 35))
            ),
            Disposition::WriteAsIs
        );
        assert_eq!(
            classify("time_zone", &maria),
            Disposition::Write {
                option: "default_time_zone",
                variable: "time_zone"
            }
        );
        assert_eq!(
            classify("tx_isolation", &maria),
            Disposition::Write {
                option: "transaction_isolation",
                variable: "tx_isolation"
            }
        );
        assert_eq!(
            classify("transaction_isolation", &mysql8),
            Disposition::Write {
                option: "transaction_isolation",
                variable: "transaction_isolation"
            }
        );
        assert_eq!(
            classify("innodb_buffer_pool_size", &maria),
            Disposition::WriteAsIs
        );
    }
}
