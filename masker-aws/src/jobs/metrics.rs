//! Job metrics to DogStatsD (the Datadog agent, UDP) through `cadence`:
//! step durations, rows and bytes per table, the restore-test result and the
//! resources left after cleanup. Tags are low-cardinality (`job`, `cluster`,
//! `step`, `outcome`, `table`); this module must never put a data value, a
//! run id or a password into a metric.

use std::net::UdpSocket;

use cadence::prelude::*;
use cadence::{NopMetricSink, StatsdClient, UdpMetricSink};

/// Where metrics go (nowhere when the job file has no `[metrics]`).
pub struct Metrics {
    client: StatsdClient,
    job: String,
    cluster: String,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics")
            .field("job", &self.job)
            .field("cluster", &self.cluster)
            .finish_non_exhaustive()
    }
}

impl Metrics {
    /// Metrics sent to `addr` (`host:port`) with `prefix`, tagged with the
    /// job and the source cluster.
    pub fn udp(addr: &str, prefix: &str, job: &str, cluster: &str) -> std::io::Result<Metrics> {
        let socket = UdpSocket::bind("0.0.0.0:0")?;
        socket.set_nonblocking(true)?;
        let sink = UdpMetricSink::from(addr, socket)
            .map_err(|e| std::io::Error::other(format!("metrics.statsd {addr}: {e}")))?;
        Ok(Metrics {
            // A lost metric must never fail the job: errors are dropped.
            client: StatsdClient::builder(prefix, sink)
                .with_error_handler(|_| {})
                .build(),
            job: job.to_owned(),
            cluster: cluster.to_owned(),
        })
    }

    /// Tag later metrics with the source cluster (known after preflight).
    pub fn set_cluster(&mut self, cluster: &str) {
        self.cluster = cluster.to_owned();
    }

    /// Metrics that go nowhere.
    pub fn none() -> Metrics {
        Metrics {
            client: StatsdClient::builder("", NopMetricSink).build(),
            job: String::new(),
            cluster: String::new(),
        }
    }

    /// `step.duration` (ms), tagged with the step and its outcome.
    pub fn step(&self, step: &str, outcome: &str, ms: u64) {
        self.client
            .time_with_tags("step.duration", ms)
            .with_tag("job", &self.job)
            .with_tag("cluster", &self.cluster)
            .with_tag("step", step)
            .with_tag("outcome", outcome)
            .send();
    }

    /// `table.rows` and `table.bytes` of one dumped table (`db.table`).
    pub fn table(&self, table: &str, rows: u64, bytes: u64) {
        for (name, v) in [("table.rows", rows), ("table.bytes", bytes)] {
            self.client
                .count_with_tags(name, v)
                .with_tag("job", &self.job)
                .with_tag("cluster", &self.cluster)
                .with_tag("table", table)
                .send();
        }
    }

    /// `restore_test.ok`: 1 when the restore test passed, else 0.
    pub fn restore_test(&self, ok: bool) {
        self.client
            .gauge_with_tags("restore_test.ok", u64::from(ok))
            .with_tag("job", &self.job)
            .with_tag("cluster", &self.cluster)
            .send();
    }

    /// `cleanup.resources_left`: what cleanup could not delete.
    pub fn resources_left(&self, n: u64) {
        self.client
            .gauge_with_tags("cleanup.resources_left", n)
            .with_tag("job", &self.job)
            .with_tag("cluster", &self.cluster)
            .send();
    }

    /// `job.result`: 1 for success, 0 for failure.
    pub fn job_result(&self, ok: bool) {
        self.client
            .gauge_with_tags("job.ok", u64::from(ok))
            .with_tag("job", &self.job)
            .with_tag("cluster", &self.cluster)
            .send();
    }
}
