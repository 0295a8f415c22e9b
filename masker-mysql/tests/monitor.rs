//! `masker monitor` against the local MariaDB: the metrics a DogStatsD
//! listener receives (names, values, tags), schema drift and unclassified
//! columns across runs, and a monitoring user without SELECT (the monitor
//! reads no row unless exact counts are asked for).

mod common;

use std::net::UdpSocket;
use std::sync::Arc;
use std::time::Duration;

use common::{conn, connector, exec, TestDb};
use masker_core::rules::RulesBuilder;
use masker_mysql::catalog::TableFilter;
use masker_mysql::monitor::collect::CollectOptions;
use masker_mysql::monitor::{self, metrics, MonitorOptions, MonitorReport};
use masker_mysql::{ConnectOptions, Connector};
use mysql::prelude::Queryable;

/// A DogStatsD stand-in on 127.0.0.1:0.
struct Listener {
    socket: UdpSocket,
}

impl Listener {
    fn new() -> Listener {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("bind a UDP listener");
        socket
            .set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        Listener { socket }
    }

    fn addr(&self) -> String {
        self.socket.local_addr().unwrap().to_string()
    }

    /// Every metric line received until the sender goes quiet.
    fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut buf = vec![0u8; 65536];
        while let Ok(n) = self.socket.recv(&mut buf) {
            let text = std::str::from_utf8(&buf[..n]).expect("datagrams are UTF-8");
            out.extend(text.lines().filter(|l| !l.is_empty()).map(str::to_owned));
        }
        out
    }
}

fn options(db: &str) -> MonitorOptions {
    let mut collect = CollectOptions::default();
    collect.filter = TableFilter::new();
    collect.filter.databases = vec![db.to_owned()];
    collect.top_digests = 10;
    let mut o = MonitorOptions::default();
    o.collect = collect;
    o.tags = vec![("env".into(), "test".into())];
    o
}

/// Run one pass as `who` and collect what the listener received.
fn run_as(who: &Connector, opts: &MonitorOptions) -> (MonitorReport, Vec<String>) {
    let listener = Listener::new();
    let sink = metrics::udp_sink(&listener.addr()).expect("udp sink");
    let report = monitor::monitor(who, opts, sink).expect("monitor pass");
    let lines = listener.lines();
    assert_eq!(report.send_errors, 0, "{:?}", report.last_send_error);
    assert_eq!(
        lines.len() as u64,
        report.metrics,
        "every metric arrives: {lines:#?}"
    );
    (report, lines)
}

fn run(opts: &MonitorOptions) -> (MonitorReport, Vec<String>) {
    run_as(&connector(), opts)
}

/// The value of gauge `masker.<name>` whose tags include every one of `tags`.
fn gauge(lines: &[String], name: &str, tags: &[&str]) -> Option<f64> {
    let prefix = format!("masker.{name}:");
    let found: Vec<f64> = lines
        .iter()
        .filter_map(|l| {
            let rest = l.strip_prefix(&prefix)?;
            let (value, rest) = rest.split_once("|g")?;
            let line_tags: Vec<&str> = rest.trim_start_matches("|#").split(',').collect();
            tags.iter()
                .all(|t| line_tags.contains(t))
                .then(|| value.parse().expect("numeric gauge"))
        })
        .collect();
    assert!(found.len() <= 1, "{name} {tags:?} sent twice: {lines:#?}");
    found.first().copied()
}

fn count(db: &str, table: &str) -> f64 {
    conn()
        .query_first::<u64, _>(format!("SELECT COUNT(*) FROM `{db}`.`{table}`"))
        .unwrap()
        .unwrap() as f64
}

#[test]
fn sends_rows_sizes_headroom_and_server_metrics() {
    let db = TestDb::new("mon");
    let name = db.name.as_str();
    let mut c = conn();
    exec(
        &mut c,
        &format!(
            "CREATE DATABASE `{name}`;\nUSE `{name}`;\n\
             CREATE TABLE orders (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, note VARCHAR(40));\n\
             CREATE TABLE near_max (id TINYINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, v INT);\n\
             CREATE TABLE big_signed (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY) AUTO_INCREMENT = 2147483000;\n\
             CREATE TABLE plain (k VARCHAR(10) PRIMARY KEY, v INT)"
        ),
    );
    exec(
        &mut c,
        "INSERT INTO orders (note) SELECT 'secret-value-42' FROM seq_1_to_300;\n\
         INSERT INTO near_max (id, v) SELECT seq, seq FROM seq_1_to_250;\n\
         INSERT INTO big_signed VALUES (NULL), (NULL);\n\
         INSERT INTO plain VALUES ('a', 1), ('b', 2)",
    );
    let mut opts = options(name);
    opts.collect.exact_rows = true;
    let (report, lines) = run(&opts);

    let db_tag = format!("database:{name}");
    for (table, columns) in [
        ("orders", 2.0),
        ("near_max", 2.0),
        ("big_signed", 1.0),
        ("plain", 2.0),
    ] {
        let t = format!("table:{table}");
        let tags = [db_tag.as_str(), t.as_str()];
        let rows = gauge(
            &lines,
            "table.rows",
            &[tags[0], tags[1], "count:exact", "env:test"],
        );
        assert_eq!(rows, Some(count(name, table)), "{table}");
        assert!(
            gauge(&lines, "table.data_bytes", &tags).unwrap() > 0.0,
            "{table}"
        );
        assert!(
            gauge(&lines, "table.index_bytes", &tags).is_some(),
            "{table}"
        );
        assert!(
            gauge(&lines, "table.free_bytes", &tags).is_some(),
            "{table}"
        );
        assert_eq!(
            gauge(&lines, "table.columns", &tags),
            Some(columns),
            "{table}"
        );
    }
    let used = |table: &str| {
        let t = format!("table:{table}");
        gauge(&lines, "table.auto_increment.used", &[&db_tag, &t])
    };
    let near = used("near_max").unwrap();
    assert!((near - 250.0 / 255.0).abs() < 1e-6, "near_max {near}");
    let big = used("big_signed").unwrap();
    assert!(
        (big - 2_147_483_001.0 / 2_147_483_647.0).abs() < 1e-6,
        "big_signed {big}"
    );
    assert!(used("orders").unwrap() < 1e-6);
    assert_eq!(used("plain"), None, "no auto-increment column, no headroom");
    assert_eq!(gauge(&lines, "database.tables", &[&db_tag]), Some(4.0));

    let version: String = conn().query_first("SELECT VERSION()").unwrap().unwrap();
    let version_tag = format!("version:{}", metrics::clean_tag(&version));
    assert_eq!(gauge(&lines, "server.info", &[&version_tag]), Some(1.0));
    assert!(gauge(&lines, "server.uptime_seconds", &[]).unwrap() > 0.0);
    assert!(gauge(&lines, "server.connections", &[]).unwrap() >= 1.0);
    let pfs: u64 = conn()
        .query_first("SELECT @@performance_schema")
        .unwrap()
        .unwrap();
    assert_eq!(
        gauge(&lines, "server.performance_schema", &[]),
        Some(pfs as f64)
    );
    let pfs_notes = report
        .observation
        .notes
        .iter()
        .filter(|n| n.contains("performance_schema"))
        .count();
    assert_eq!(
        pfs_notes,
        usize::from(pfs == 0),
        "{:?}",
        report.observation.notes
    );

    for l in &lines {
        assert!(l.contains("env:test"), "global tag missing: {l}");
        assert!(
            !l.contains("secret-value-42"),
            "a data value in a metric: {l}"
        );
    }
    // No --state, no --rules: no drift and no rules metrics.
    assert!(report.drift.is_none());
    assert!(!lines
        .iter()
        .any(|l| l.starts_with("masker.drift.") || l.starts_with("masker.rules.")));
}

const RULES: &str = r#"
[tables.users]
id = "keep"
email = { transform = "hash", format = "email" }
name = "keep"
[tables.orders]
id = "keep"
"#;

#[test]
fn drift_and_unclassified_columns_follow_the_schema() {
    let db = TestDb::new("drift");
    let name = db.name.as_str();
    let dir = tempfile::tempdir().unwrap();
    let mut c = conn();
    exec(
        &mut c,
        &format!(
            "CREATE DATABASE `{name}`;\nUSE `{name}`;\n\
             CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100), name VARCHAR(50));\n\
             CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(10,2))"
        ),
    );
    let rules = RulesBuilder::new()
        .toml(RULES, "rules.toml")
        .allow_missing_key(true)
        .build()
        .expect("rules");
    let mut opts = options(name);
    opts.rules = Some(Arc::new(rules));
    opts.state = Some(dir.path().join("state.json"));
    opts.save_state = true;
    let dbt = format!("database:{name}");
    let unclassified = |lines: &[String], table: &str| {
        gauge(
            lines,
            "rules.unclassified_columns",
            &[&dbt, &format!("table:{table}")],
        )
    };

    // First run: the baseline. No drift, the state file is written.
    let (report, lines) = run(&opts);
    assert!(report.drift.is_none());
    assert!(
        !lines.iter().any(|l| l.starts_with("masker.drift.")),
        "{lines:#?}"
    );
    assert!(dir.path().join("state.json").exists());
    assert_eq!(unclassified(&lines, "users"), Some(0.0));
    assert_eq!(unclassified(&lines, "orders"), Some(1.0));
    assert_eq!(gauge(&lines, "rules.missing_tables", &[]), Some(0.0));

    // A column and a table are added.
    exec(
        &mut c,
        &format!(
            "USE `{name}`;\nALTER TABLE users ADD COLUMN phone VARCHAR(20);\n\
             CREATE TABLE payments (id INT PRIMARY KEY, card VARCHAR(20))"
        ),
    );
    let (report, lines) = run(&opts);
    assert_eq!(gauge(&lines, "drift.tables_added", &[&dbt]), Some(1.0));
    assert_eq!(gauge(&lines, "drift.tables_removed", &[&dbt]), Some(0.0));
    assert_eq!(gauge(&lines, "drift.columns_added", &[&dbt]), Some(1.0));
    assert_eq!(gauge(&lines, "drift.columns_removed", &[&dbt]), Some(0.0));
    assert_eq!(gauge(&lines, "drift.columns_changed", &[&dbt]), Some(0.0));
    assert_eq!(
        gauge(&lines, "drift.table.added", &[&dbt, "table:payments"]),
        Some(1.0)
    );
    assert_eq!(
        gauge(
            &lines,
            "drift.table.columns_changed",
            &[&dbt, "table:users"]
        ),
        Some(1.0)
    );
    assert_eq!(unclassified(&lines, "users"), Some(1.0));
    assert_eq!(unclassified(&lines, "payments"), Some(2.0));
    assert_eq!(report.drift.unwrap().tables_changed[0].added, ["phone"]);

    // Nothing changed: zeros, no per-table drift.
    let (_, lines) = run(&opts);
    assert_eq!(gauge(&lines, "drift.tables_added", &[&dbt]), Some(0.0));
    assert_eq!(gauge(&lines, "drift.columns_added", &[&dbt]), Some(0.0));
    assert!(
        !lines.iter().any(|l| l.starts_with("masker.drift.table.")),
        "{lines:#?}"
    );

    // A table the rules name is dropped, a column is retyped.
    exec(
        &mut c,
        &format!("USE `{name}`;\nDROP TABLE orders;\nALTER TABLE users MODIFY name VARCHAR(200)"),
    );
    let (report, lines) = run(&opts);
    assert_eq!(gauge(&lines, "drift.tables_removed", &[&dbt]), Some(1.0));
    assert_eq!(
        gauge(&lines, "drift.table.removed", &[&dbt, "table:orders"]),
        Some(1.0)
    );
    assert_eq!(gauge(&lines, "drift.columns_changed", &[&dbt]), Some(1.0));
    assert_eq!(gauge(&lines, "drift.tables_added", &[&dbt]), Some(0.0));
    assert_eq!(unclassified(&lines, "orders"), None);
    assert_eq!(gauge(&lines, "rules.missing_tables", &[]), Some(1.0));
    let drift = report.drift.unwrap();
    assert_eq!(
        drift.tables_removed,
        [(name.to_owned(), "orders".to_owned())]
    );
}

#[test]
fn dry_run_leaves_the_state_file_alone() {
    let db = TestDb::new("dry");
    let name = db.name.as_str();
    let dir = tempfile::tempdir().unwrap();
    exec(
        &mut conn(),
        &format!("CREATE DATABASE `{name}`;\nCREATE TABLE `{name}`.t (id INT PRIMARY KEY)"),
    );
    let mut opts = options(name);
    opts.state = Some(dir.path().join("state.json"));
    opts.save_state = false;
    run(&opts);
    assert!(!dir.path().join("state.json").exists());
}

/// Drops the test user when the test ends, however it ends.
struct TestUser(String);

impl Drop for TestUser {
    fn drop(&mut self) {
        let _ = conn().query_drop(format!("DROP USER IF EXISTS '{}'@'%'", self.0));
    }
}

#[test]
fn a_user_without_select_can_monitor_but_not_count_rows() {
    let db = TestDb::new("nosel");
    let name = db.name.as_str();
    exec(
        &mut conn(),
        &format!(
            "CREATE DATABASE `{name}`;\nCREATE TABLE `{name}`.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10));\n\
             INSERT INTO `{name}`.t (v) VALUES ('x'), ('y'), ('z')"
        ),
    );
    let user = TestUser(format!("masker_mon_{}", std::process::id()));
    let dir = tempfile::tempdir().unwrap();
    let password = format!("pw-{}", std::process::id());
    std::fs::write(dir.path().join("pw"), &password).unwrap();
    exec(
        &mut conn(),
        &format!(
            "DROP USER IF EXISTS '{u}'@'%';\nCREATE USER '{u}'@'%' IDENTIFIED BY '{password}';\n\
             GRANT REFERENCES ON `{name}`.* TO '{u}'@'%'",
            u = user.0
        ),
    );
    // The same server as the tests use, as the metadata-only user.
    let url = std::env::var("MASKER_TEST_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/".into());
    let host = url
        .trim_start_matches("mysql://")
        .rsplit('@')
        .next()
        .unwrap()
        .trim_end_matches('/');
    let mut o = ConnectOptions::new();
    o.url = Some(format!("mysql://{}@{host}/", user.0));
    o.password_file = Some(dir.path().join("pw"));
    let monitor_user = o.resolve().unwrap();
    // The user really cannot read rows.
    let mut as_user = monitor_user
        .connect(masker_mysql::connect::Names::Utf8mb4)
        .unwrap();
    assert!(as_user
        .query_drop(format!("SELECT * FROM `{name}`.t"))
        .is_err());

    let mut opts = options(name);
    opts.rules = Some(Arc::new(
        RulesBuilder::new()
            .toml("[tables.t]\nid = \"keep\"\n", "rules.toml")
            .allow_missing_key(true)
            .build()
            .unwrap(),
    ));
    let (_, lines) = run_as(&monitor_user, &opts);
    let dbt = format!("database:{name}");
    assert!(gauge(&lines, "table.rows", &[&dbt, "table:t", "count:estimate"]).is_some());
    assert!(gauge(&lines, "table.data_bytes", &[&dbt, "table:t"]).unwrap() > 0.0);
    assert!(gauge(&lines, "table.auto_increment.used", &[&dbt, "table:t"]).is_some());
    assert_eq!(
        gauge(&lines, "rules.unclassified_columns", &[&dbt, "table:t"]),
        Some(1.0)
    );

    // Exact counts read rows: refused for this user, and the error says where.
    opts.collect.exact_rows = true;
    let sink = metrics::udp_sink("127.0.0.1:9").unwrap();
    let err = monitor::monitor(&monitor_user, &opts, sink)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("counting the rows of {name}.t")),
        "{err}"
    );
    assert!(err.contains("1142"), "{err}");
    assert!(!err.contains(&password), "{err}");
}

/// A DogStatsD agent that is down: every send fails.
struct FailingSink;

impl cadence::MetricSink for FailingSink {
    fn emit(&self, _metric: &str) -> std::io::Result<usize> {
        Err(std::io::Error::other("agent down"))
    }
}

#[test]
fn failed_sends_are_counted_and_leave_the_state_file_alone() {
    let db = TestDb::new("fail");
    let name = db.name.as_str();
    let dir = tempfile::tempdir().unwrap();
    exec(
        &mut conn(),
        &format!("CREATE DATABASE `{name}`;\nCREATE TABLE `{name}`.t (id INT PRIMARY KEY)"),
    );
    let mut opts = options(name);
    opts.state = Some(dir.path().join("state.json"));
    opts.save_state = true;
    let report = monitor::monitor(&connector(), &opts, FailingSink).expect("the pass itself works");
    assert!(report.metrics > 0);
    assert_eq!(report.send_errors, report.metrics);
    assert!(report.last_send_error.unwrap().contains("agent down"));
    assert!(
        !dir.path().join("state.json").exists(),
        "state advanced although nothing was sent"
    );
    // Once the agent is back, the state is written.
    run(&opts);
    assert!(dir.path().join("state.json").exists());
}
