//! `masker monitor`: a server's tables, sizes, auto-increment headroom,
//! status, statement digests, schema drift and rules staleness as DogStatsD
//! metrics for Datadog.
//!
//! - [`collect`]: what is read from the server (catalog and status only).
//! - [`headroom`]: how much of an integer key's range is used.
//! - [`drift`]: the state file and the differences between two runs.
//! - [`metrics`]: metric names, tags and sending them with `cadence`.
//!
//! This module runs one monitoring pass; it owns no flag parsing and never
//! reads a row of a user table unless exact row counts are asked for.

pub mod collect;
pub mod drift;
pub mod headroom;
pub mod metrics;

use std::panic::RefUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use cadence::{MetricSink, StatsdClient};
use masker_core::engine::Catalog;
use masker_core::rules::Rules;

use crate::catalog;
use crate::connect::{Connector, Names};
use crate::error::{Error, Result};
use collect::{CollectOptions, Observation};
use drift::{ColumnState, Drift, State};
use metrics::{Emitter, RulesFindings};

/// What one monitoring pass does.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct MonitorOptions {
    /// Which tables, exact row counts, how many digests.
    pub collect: CollectOptions,
    /// Rules whose staleness is measured (`--rules`; the key is not needed).
    pub rules: Option<Arc<Rules>>,
    /// The state file of the last run (`--state`): drift is measured against it.
    pub state: Option<PathBuf>,
    /// Write this run's schema to the state file (off for `--dry-run`).
    pub save_state: bool,
    /// Tags added to every metric (`--tags`), already cleaned.
    pub tags: Vec<(String, String)>,
}

/// What a pass saw and sent.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MonitorReport {
    /// What was read.
    pub observation: Observation,
    /// Drift since the last run; `None` without `--state` or on the first run.
    pub drift: Option<Drift>,
    /// The rules findings (with `--rules`).
    pub rules: Option<RulesFindings>,
    /// Metrics handed to the sink.
    pub metrics: u64,
    /// Metrics the sink failed to send (the state file is then not written).
    pub send_errors: u64,
    /// The last send error's reason.
    pub last_send_error: Option<String>,
}

/// One pass: read the server, compare with the state file, bind the rules,
/// send every metric through `sink` (flushed at the end), then replace the
/// state file (with `save_state`, and only when every metric was sent).
pub fn monitor<S>(connector: &Connector, opts: &MonitorOptions, sink: S) -> Result<MonitorReport>
where
    S: MetricSink + Send + Sync + RefUnwindSafe + 'static,
{
    let mut conn = connector.connect(Names::Utf8mb4)?;
    let mut observation = collect::observe(&mut conn, &opts.collect)?;
    let mut notes = Vec::new();

    let rules = match &opts.rules {
        Some(rules) => {
            let mut catalog = Catalog::new(rules);
            let mut findings = RulesFindings::default();
            for t in &observation.tables {
                let (db, table) = (t.info.database.clone(), t.info.name.clone());
                // A table whose CREATE TABLE cannot be read or parsed (or
                // that was dropped meanwhile) is one rule problem and a
                // note; the other tables are still measured.
                let ddl = match catalog::table_ddl(&mut conn, &t.info) {
                    Ok(ddl) => ddl,
                    Err(e @ (Error::Table { .. } | Error::Server { .. })) => {
                        notes.push(format!("rules not measured on this table: {e}"));
                        findings.tables.push((db, table, 0, 1));
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                let unclassified = rules.unclassified_columns(&ddl.schema).len() as u64;
                let problems = catalog
                    .define(ddl.schema, true)
                    .err()
                    .map_or(0, |p| p.len());
                findings
                    .tables
                    .push((db, table, unclassified, problems as u64));
            }
            findings.missing_tables = catalog.missing_tables().len() as u64;
            Some(findings)
        }
        None => None,
    };

    observation.notes.extend(notes);

    let mut now = State::new();
    for t in &observation.tables {
        let columns = t
            .columns
            .iter()
            .map(|c| ColumnState {
                name: c.name.clone(),
                column_type: c.column_type.clone(),
            })
            .collect();
        now.insert(&t.info.database, &t.info.name, columns);
    }
    let (drift, next_state) = match &opts.state {
        Some(path) => {
            let before = State::load(path)?;
            let drift = before
                .as_ref()
                .map(|b| drift::diff(&b.selected(&opts.collect.filter), &now));
            let mut next = before.unwrap_or_default();
            next.version = drift::STATE_VERSION;
            next.replace_selected(now, &opts.collect.filter);
            (drift, Some((path, next)))
        }
        None => (None, None),
    };

    let errors = Arc::new(AtomicU64::new(0));
    let last_error = Arc::new(Mutex::new(None::<String>));
    let mut builder = StatsdClient::builder(metrics::PREFIX, sink);
    {
        let errors = errors.clone();
        let last_error = last_error.clone();
        builder = builder.with_error_handler(move |e| {
            errors.fetch_add(1, Ordering::Relaxed);
            if let Ok(mut last) = last_error.lock() {
                *last = Some(e.to_string());
            }
        });
    }
    for (k, v) in &opts.tags {
        builder = builder.with_tag(k, v);
    }
    let client = builder.build();
    let mut emitter = Emitter::new(&client);
    emitter.observation(&observation);
    if let Some(d) = &drift {
        emitter.drift(d);
    }
    if let Some(r) = &rules {
        emitter.rules(r);
    }
    let sent = emitter.sent();
    if let Err(e) = client.flush() {
        errors.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut last) = last_error.lock() {
            *last = Some(e.to_string());
        }
    }
    let last_send_error = last_error.lock().ok().and_then(|l| l.clone());
    let send_errors = errors.load(Ordering::Relaxed);
    // The state advances only when this run's drift reached the agent:
    // otherwise the next run reports it again.
    if let (Some((path, next)), true, 0) = (next_state, opts.save_state, send_errors) {
        next.save(path)?;
    }
    Ok(MonitorReport {
        observation,
        drift,
        rules,
        metrics: sent,
        send_errors,
        last_send_error,
    })
}
