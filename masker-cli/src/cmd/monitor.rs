//! `masker monitor`: a server's tables, sizes, auto-increment headroom,
//! status, statement digests, schema drift and rules staleness sent as
//! DogStatsD metrics (or printed with `--dry-run`). Parses the flags, runs
//! one pass of `masker_mysql::monitor`, and reports notes, drift and a
//! summary on stderr; it reads no rows unless `--exact-rows`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use masker_mysql::catalog::TableFilter;
use masker_mysql::monitor::collect::CollectOptions;
use masker_mysql::monitor::{self, metrics, MonitorOptions, MonitorReport};

use super::dump::{live_failure, ConnArgs};
use crate::report::{Failure, EXIT_CONFIG, EXIT_IO};

/// Flags of `masker monitor`.
#[derive(Debug, Args)]
pub struct MonitorArgs {
    #[command(flatten)]
    conn: ConnArgs,
    /// The DogStatsD agent (UDP), e.g. 127.0.0.1:8125.
    #[arg(long, value_name = "HOST:PORT", required_unless_present = "dry_run")]
    statsd: Option<String>,
    /// Only these databases (comma-separated; default: all but the system ones).
    #[arg(long, value_delimiter = ',')]
    databases: Vec<String>,
    /// Only these tables (`table` or `db.table`, comma-separated).
    #[arg(long, value_delimiter = ',')]
    tables: Vec<String>,
    /// Never these tables (`table` or `db.table`, comma-separated).
    #[arg(long, value_delimiter = ',')]
    exclude_tables: Vec<String>,
    /// Tags added to every metric: `key:value,...` (e.g. `env:prod`).
    #[arg(long, value_name = "K:V,...")]
    tags: Option<String>,
    /// Count rows with `SELECT COUNT(*)` (reads every row) instead of the estimate.
    #[arg(long)]
    exact_rows: bool,
    /// Rules file: count the columns no rule classifies (no key needed).
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
    /// State file (JSON) of the last run: schema drift is measured against it, then it is replaced.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Statement digests to send, by total time (0: none).
    #[arg(long, value_name = "N", default_value_t = 10)]
    top_digests: usize,
    /// Print the datagrams on stdout instead of sending them (the state file is not written).
    #[arg(long)]
    dry_run: bool,
}

pub fn run(args: MonitorArgs) -> Result<ExitCode, Failure> {
    let tags = match &args.tags {
        Some(t) => metrics::parse_tags(t).map_err(|e| Failure::new(EXIT_CONFIG, e))?,
        None => Vec::new(),
    };
    let rules = match &args.rules {
        Some(path) => Some(Arc::new(super::load_rules(path, false)?)),
        None => None,
    };
    let connector = args.conn.connector()?;
    let mut filter = TableFilter::new();
    filter.databases = args.databases;
    filter.tables = args.tables;
    filter.exclude_tables = args.exclude_tables;
    let mut collect = CollectOptions::default();
    collect.filter = filter;
    collect.exact_rows = args.exact_rows;
    collect.top_digests = args.top_digests;
    let mut opts = MonitorOptions::default();
    opts.collect = collect;
    opts.rules = rules;
    let state = args.state;
    opts.state = state.clone();
    opts.save_state = !args.dry_run;
    opts.tags = tags;

    let (report, destination) = if args.dry_run {
        let report = monitor::monitor(&connector, &opts, metrics::PrintSink);
        (report, "printed (dry run)".to_owned())
    } else {
        let statsd = args.statsd.as_deref().ok_or_else(|| {
            Failure::new(EXIT_CONFIG, "--statsd HOST:PORT is required (or --dry-run)")
        })?;
        let sink = metrics::udp_sink(statsd).map_err(|e| match e {
            // Not a connection option: say only what is wrong with --statsd.
            masker_mysql::Error::Options(m) => Failure::new(EXIT_CONFIG, m),
            other => live_failure(other),
        })?;
        let report = monitor::monitor(&connector, &opts, sink);
        (report, format!("sent to {statsd}"))
    };
    let report = report.map_err(live_failure)?;
    print_report(&report, state.as_deref(), args.dry_run);
    if report.send_errors > 0 {
        return Err(Failure::new(
            EXIT_IO,
            format!(
                "{} of {} metrics could not be {destination}: {}",
                report.send_errors,
                report.metrics,
                report.last_send_error.as_deref().unwrap_or("unknown cause")
            ),
        ));
    }
    let databases: std::collections::BTreeSet<&str> = report
        .observation
        .tables
        .iter()
        .map(|t| t.info.database.as_str())
        .collect();
    eprintln!(
        "masker: monitored {} table(s) in {} database(s): {} metrics {destination}",
        report.observation.tables.len(),
        databases.len(),
        report.metrics,
    );
    Ok(ExitCode::SUCCESS)
}

/// Notes, drift and unclassified columns on stderr.
fn print_report(report: &MonitorReport, state: Option<&Path>, dry_run: bool) {
    for note in &report.observation.notes {
        eprintln!("masker: note: {note}");
    }
    if let (Some(path), None) = (state, &report.drift) {
        let what = if dry_run {
            "would be written"
        } else {
            "written"
        };
        eprintln!(
            "masker: note: {} held no earlier state: no drift this run; the baseline {what}",
            path.display()
        );
    }
    if let Some(d) = &report.drift {
        for (db, t) in &d.tables_added {
            eprintln!("masker: drift: table {db}.{t} added");
        }
        for (db, t) in &d.tables_removed {
            eprintln!("masker: drift: table {db}.{t} removed");
        }
        for c in &d.tables_changed {
            let mut parts = Vec::new();
            for (what, cols) in [
                ("added", &c.added),
                ("removed", &c.removed),
                ("retyped", &c.changed),
            ] {
                if !cols.is_empty() {
                    parts.push(format!("{what} {}", cols.join(", ")));
                }
            }
            eprintln!(
                "masker: drift: table {}.{}: columns {}",
                c.database,
                c.table,
                parts.join("; ")
            );
        }
    }
    if let Some(r) = &report.rules {
        let (cols, tables) = r
            .tables
            .iter()
            .filter(|t| t.2 > 0)
            .fold((0, 0), |(c, n), t| (c + t.2, n + 1));
        if cols > 0 {
            eprintln!(
                "masker: rules: {cols} column(s) in {tables} table(s) are classified by no rule"
            );
        }
    }
}
