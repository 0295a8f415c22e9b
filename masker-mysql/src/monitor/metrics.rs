//! DogStatsD metrics: their names, their tags, and sending an
//! [`Observation`], a [`Drift`] and the rules findings through a `cadence`
//! client. Tags are low-cardinality names (database, table, digest id,
//! server version, the user's `--tags`), cleaned for the DogStatsD format;
//! this module never puts a data value or a statement's SQL text in a
//! metric, and reads no server.

use std::io::Write;
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};

use cadence::prelude::*;
use cadence::{BufferedUdpMetricSink, MetricSink, StatsdClient};

use super::collect::Observation;
use super::drift::Drift;
use super::headroom;
use crate::error::{Error, Result};

/// Every metric name starts with `masker.`.
pub const PREFIX: &str = "masker";

/// Every metric: name (without the prefix), tags, meaning. The README's
/// table documents the same list (a test checks that it names each one).
pub const METRICS: &[(&str, &str, &str)] = &[
    ("table.rows", "database, table, count", "rows: `count:estimate` from `TABLE_ROWS`, `count:exact` from `COUNT(*)` with `--exact-rows`"),
    ("table.data_bytes", "database, table", "`DATA_LENGTH`"),
    ("table.index_bytes", "database, table", "`INDEX_LENGTH`"),
    ("table.free_bytes", "database, table", "`DATA_FREE` (allocated, unused)"),
    ("table.columns", "database, table", "number of columns"),
    ("table.auto_increment.used", "database, table", "fraction (0 to 1) of the auto-increment column's type maximum used (`unsigned` respected); integer auto-increment columns only"),
    ("database.tables", "database", "base tables in the database"),
    ("server.info", "version", "always 1; the server version is the tag"),
    ("server.uptime_seconds", "", "`Uptime`"),
    ("server.connections", "", "`Threads_connected`"),
    ("server.max_used_connections", "", "`Max_used_connections`"),
    ("server.max_connections", "", "`@@max_connections`"),
    ("server.performance_schema", "", "1 when performance_schema is on, else 0"),
    ("digest.total_seconds", "digest, database", "total execution time of a top statement digest (by total time)"),
    ("digest.calls", "digest, database", "executions of a top statement digest"),
    ("drift.tables_added", "database", "tables added since the last run (with `--state`)"),
    ("drift.tables_removed", "database", "tables removed since the last run"),
    ("drift.columns_added", "database", "columns added to tables present in both runs"),
    ("drift.columns_removed", "database", "columns removed from tables present in both runs"),
    ("drift.columns_changed", "database", "columns whose type changed"),
    ("drift.table.added", "database, table", "1 for each table added since the last run"),
    ("drift.table.removed", "database, table", "1 for each table removed since the last run"),
    ("drift.table.columns_changed", "database, table", "columns added, removed or retyped in this table (tables with changes only)"),
    ("rules.unclassified_columns", "database, table", "stored columns no rule names, not even `keep` (with `--rules`)"),
    ("rules.problems", "database, table", "rules that do not fit the table (unknown column, ...; in strict mode each unclassified column too; 1 when its `CREATE TABLE` cannot be read, with a note)"),
    ("rules.missing_tables", "", "rule sections that name no watched table (with `--databases`, also rules for other databases)"),
];

/// What the rules say about each table (`--rules`).
#[derive(Debug, Clone, Default)]
pub struct RulesFindings {
    /// Per table: database, table, unclassified columns, rule problems.
    pub tables: Vec<(String, String, u64, u64)>,
    /// Rule sections that name no table on the server.
    pub missing_tables: u64,
}

/// A tag value (or key) in the characters DogStatsD and Datadog keep:
/// letters, digits, `_ - . / :`; anything else becomes `_`; at most 200 characters.
pub fn clean_tag(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || "_-./:".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(200)
        .collect()
}

/// `--tags env:prod,team:data` as (key, value) pairs, cleaned.
pub fn parse_tags(text: &str) -> std::result::Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((k, v)) = part.split_once(':') else {
            return Err(format!("--tags: `{part}` is not key:value"));
        };
        if k.trim().is_empty() || v.trim().is_empty() {
            return Err(format!("--tags: `{part}` needs a key and a value"));
        }
        out.push((clean_tag(k.trim()), clean_tag(v.trim())));
    }
    Ok(out)
}

/// A UDP sink to a DogStatsD agent at `host:port` (metrics are batched into
/// datagrams; flush the client at the end).
pub fn udp_sink(statsd: &str) -> Result<BufferedUdpMetricSink> {
    let addr: SocketAddr = statsd
        .to_socket_addrs()
        .map_err(|e| Error::Options(format!("--statsd {statsd}: {e}")))?
        .next()
        .ok_or_else(|| Error::Options(format!("--statsd {statsd}: no address")))?;
    let local = if addr.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    };
    let socket = UdpSocket::bind(local)
        .map_err(|e| Error::Options(format!("--statsd {statsd}: cannot open a UDP socket: {e}")))?;
    BufferedUdpMetricSink::from(addr, socket)
        .map_err(|e| Error::Options(format!("--statsd {statsd}: {e}")))
}

/// A sink that prints each datagram on its own line on stdout (`--dry-run`).
#[derive(Debug, Default, Clone, Copy)]
pub struct PrintSink;

impl MetricSink for PrintSink {
    fn emit(&self, metric: &str) -> std::io::Result<usize> {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{metric}")?;
        Ok(metric.len())
    }
}

/// Sends metrics through a client and counts them.
pub struct Emitter<'c> {
    client: &'c StatsdClient,
    sent: u64,
}

impl<'c> Emitter<'c> {
    /// An emitter on `client` (whose prefix is [`PREFIX`]).
    pub fn new(client: &'c StatsdClient) -> Self {
        Emitter { client, sent: 0 }
    }

    /// Metrics handed to the client so far.
    pub fn sent(&self) -> u64 {
        self.sent
    }

    fn gauge<V>(&mut self, name: &str, value: V, tags: &[(&str, &str)])
    where
        V: cadence::ext::ToGaugeValue,
        StatsdClient: Gauged<V>,
    {
        let cleaned: Vec<(&str, String)> = tags.iter().map(|(k, v)| (*k, clean_tag(v))).collect();
        let mut m = self.client.gauge_with_tags(name, value);
        for (k, v) in &cleaned {
            m = m.with_tag(k, v);
        }
        m.send();
        self.sent += 1;
    }

    /// Server, table, database and digest metrics.
    pub fn observation(&mut self, obs: &Observation) {
        let s = &obs.server;
        self.gauge("server.info", 1u64, &[("version", &s.version)]);
        self.gauge("server.uptime_seconds", s.uptime_seconds, &[]);
        self.gauge("server.connections", s.threads_connected, &[]);
        self.gauge("server.max_used_connections", s.max_used_connections, &[]);
        self.gauge("server.max_connections", s.max_connections, &[]);
        self.gauge(
            "server.performance_schema",
            u64::from(s.performance_schema),
            &[],
        );
        let mut per_db: std::collections::BTreeMap<&str, u64> = Default::default();
        for t in &obs.tables {
            let i = &t.info;
            *per_db.entry(&i.database).or_default() += 1;
            let tags = [
                ("database", i.database.as_str()),
                ("table", i.name.as_str()),
            ];
            let (rows, how) = match t.exact_rows {
                Some(n) => (n, "exact"),
                None => (i.rows_estimate, "estimate"),
            };
            self.gauge("table.rows", rows, &[tags[0], tags[1], ("count", how)]);
            self.gauge("table.data_bytes", i.data_length, &tags);
            self.gauge("table.index_bytes", i.index_length, &tags);
            self.gauge("table.free_bytes", i.data_free, &tags);
            self.gauge("table.columns", t.columns.len() as u64, &tags);
            let max = t
                .auto_increment_column()
                .and_then(|c| headroom::integer_max(&c.column_type));
            if let (Some(max), Some(next)) = (max, i.auto_increment) {
                self.gauge(
                    "table.auto_increment.used",
                    headroom::used_fraction(next, max),
                    &tags,
                );
            }
        }
        for (db, n) in per_db {
            self.gauge("database.tables", n, &[("database", db)]);
        }
        for d in &obs.digests {
            let db = d.database.as_deref().unwrap_or("none");
            let tags = [("digest", d.digest.as_str()), ("database", db)];
            self.gauge("digest.total_seconds", d.total_seconds, &tags);
            self.gauge("digest.calls", d.calls, &tags);
        }
    }

    /// Drift totals per database, and per table where something changed.
    pub fn drift(&mut self, drift: &Drift) {
        for db in &drift.databases {
            let t = drift.totals(db);
            let names = [
                "drift.tables_added",
                "drift.tables_removed",
                "drift.columns_added",
                "drift.columns_removed",
                "drift.columns_changed",
            ];
            for (name, value) in names.iter().zip(t) {
                self.gauge(name, value, &[("database", db)]);
            }
        }
        for (db, table) in &drift.tables_added {
            self.gauge(
                "drift.table.added",
                1u64,
                &[("database", db), ("table", table)],
            );
        }
        for (db, table) in &drift.tables_removed {
            self.gauge(
                "drift.table.removed",
                1u64,
                &[("database", db), ("table", table)],
            );
        }
        for c in &drift.tables_changed {
            let n = (c.added.len() + c.removed.len() + c.changed.len()) as u64;
            self.gauge(
                "drift.table.columns_changed",
                n,
                &[("database", &c.database), ("table", &c.table)],
            );
        }
    }

    /// Unclassified columns and rule problems per table.
    pub fn rules(&mut self, findings: &RulesFindings) {
        for (db, table, unclassified, problems) in &findings.tables {
            let tags = [("database", db.as_str()), ("table", table.as_str())];
            self.gauge("rules.unclassified_columns", *unclassified, &tags);
            self.gauge("rules.problems", *problems, &tags);
        }
        self.gauge("rules.missing_tables", findings.missing_tables, &[]);
    }
}

#[cfg(test)]
mod tests {
    use super::super::collect::{ColumnInfo, Digest, TableObservation};
    use super::*;
    use crate::catalog::TableInfo;

    fn spy() -> (crossbeam_channel::Receiver<Vec<u8>>, StatsdClient) {
        let (rx, sink) = cadence::SpyMetricSink::new();
        (
            rx,
            StatsdClient::builder(PREFIX, sink)
                .with_tag("env", "test")
                .build(),
        )
    }

    fn lines(rx: &crossbeam_channel::Receiver<Vec<u8>>) -> Vec<String> {
        rx.try_iter()
            .map(|b| String::from_utf8(b).unwrap())
            .collect()
    }

    #[test]
    fn tags_are_cleaned_and_parsed() {
        assert_eq!(clean_tag("my table|#,x"), "my_table___x");
        assert_eq!(clean_tag("10.11.6-MariaDB"), "10.11.6-MariaDB");
        assert_eq!(
            parse_tags("env:prod, team:data eng").unwrap(),
            [
                ("env".into(), "prod".into()),
                ("team".into(), "data_eng".into())
            ]
        );
        assert!(parse_tags("env").unwrap_err().contains("env"));
        assert!(parse_tags(":x").is_err());
    }

    #[test]
    fn observation_becomes_gauges_with_tags() {
        let (rx, client) = spy();
        let mut e = Emitter::new(&client);
        let obs = Observation {
            tables: vec![TableObservation {
                info: TableInfo {
                    database: "shop".into(),
                    name: "orders".into(),
                    data_length: 16384,
                    rows_estimate: 7,
                    avg_row_length: 10,
                    index_length: 0,
                    data_free: 0,
                    auto_increment: Some(251),
                },
                columns: vec![ColumnInfo {
                    name: "id".into(),
                    column_type: "tinyint(3) unsigned".into(),
                    auto_increment: true,
                }],
                exact_rows: Some(9),
            }],
            digests: vec![Digest {
                digest: "abc123".into(),
                database: None,
                calls: 3,
                total_seconds: 1.5,
            }],
            ..Observation::default()
        };
        e.observation(&obs);
        let got = lines(&rx);
        assert_eq!(got.len() as u64, e.sent());
        let has = |want: &str| got.iter().any(|l| l == want);
        assert!(
            has("masker.table.rows:9|g|#env:test,database:shop,table:orders,count:exact"),
            "{got:?}"
        );
        assert!(
            has("masker.table.data_bytes:16384|g|#env:test,database:shop,table:orders"),
            "{got:?}"
        );
        let ai = got
            .iter()
            .find(|l| l.starts_with("masker.table.auto_increment.used:"))
            .unwrap();
        let v: f64 = ai.split(['|', ':']).nth(1).unwrap().parse().unwrap();
        assert!((v - 250.0 / 255.0).abs() < 1e-9, "{ai}");
        assert!(
            has("masker.database.tables:1|g|#env:test,database:shop"),
            "{got:?}"
        );
        assert!(
            has("masker.digest.calls:3|g|#env:test,digest:abc123,database:none"),
            "{got:?}"
        );
        assert!(has("masker.server.info:1|g|#env:test,version:"), "{got:?}");
    }

    #[test]
    fn every_metric_sent_is_documented() {
        let (rx, client) = spy();
        let mut e = Emitter::new(&client);
        let mut before = super::super::drift::State::new();
        before.insert("a", "gone", vec![]);
        before.insert("a", "t", vec![]);
        let mut now = super::super::drift::State::new();
        now.insert(
            "a",
            "t",
            vec![super::super::drift::ColumnState {
                name: "x".into(),
                column_type: "int".into(),
            }],
        );
        now.insert("a", "new", vec![]);
        e.drift(&super::super::drift::diff(&before, &now));
        e.rules(&RulesFindings {
            tables: vec![("a".into(), "t".into(), 1, 0)],
            missing_tables: 0,
        });
        e.observation(&Observation::default());
        for l in lines(&rx) {
            let name = l.split(':').next().unwrap().trim_start_matches("masker.");
            assert!(
                METRICS.iter().any(|m| m.0 == name),
                "{name} is not in METRICS"
            );
        }
    }

    #[test]
    fn readme_and_dashboard_name_every_metric() {
        let readme = include_str!("../../README.md");
        let dashboard = include_str!("../../datadog-dashboard.json");
        for (name, _, _) in METRICS {
            assert!(
                readme.contains(&format!("`{PREFIX}.{name}`")),
                "README lacks {name}"
            );
        }
        let _: serde_json::Value = serde_json::from_str(dashboard).expect("dashboard is JSON");
        for used in dashboard.split("masker.").skip(1) {
            let name: String = used
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '.' || *c == '_')
                .collect();
            let name = name.trim_end_matches('.');
            assert!(
                METRICS.iter().any(|m| m.0 == name),
                "dashboard uses unknown metric {name}"
            );
        }
    }
}
