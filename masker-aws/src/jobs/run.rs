//! One backup or mask job as an explicit list of steps over a typed state:
//! preflight, copy, restore, instance, password, dump, restore test; then
//! the cleanup, which always runs (success, failure at any step, or the
//! shutdown future resolving on SIGINT/SIGTERM). Each step is written to the
//! audit log and measured. This module owns the order and the state; the AWS
//! calls live in [`super::cloud`], dumping, loading and verifying in
//! masker-mysql (run on blocking threads). It never logs the password.

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use masker_mysql::dump::{DumpOptions, Progress};
use masker_mysql::load::{LoadOptions, LoadProgress};
use masker_mysql::manifest::Format;
use masker_mysql::store::S3Dump;
use masker_mysql::verify::VerifyOptions;
use masker_mysql::{ConnectOptions, Connector};
use serde_json::{json, Map, Value};

use super::audit::{AuditError, AuditLog, Entry};
use super::cloud::{self, Aws, Deleted, Kind, Restored, Snapshot};
use super::config::{JobConfig, JobKind};
use super::metrics::Metrics;
use super::names::{rfc3339, RunNames, Secret};

/// The steps of a job, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Caller identity, snapshot, KMS keys.
    Preflight,
    /// Copy the snapshot under the platform's key.
    CopySnapshot,
    /// Restore the copy into a new cluster.
    RestoreCluster,
    /// Create the cluster's instance.
    CreateInstance,
    /// Set a random master password.
    SetPassword,
    /// Dump (masked for the mask job) to S3.
    Dump,
    /// Load into a scratch database and verify against the manifest.
    RestoreTest,
    /// Mask job with `[staging]`: the masked data loaded back over the
    /// restored cluster, snapshotted and shared.
    StagingSnapshot,
}

/// Every step, in the order they run (`StagingSnapshot` only with `[staging]`).
pub const STEPS: [Step; 8] = [
    Step::Preflight,
    Step::CopySnapshot,
    Step::RestoreCluster,
    Step::CreateInstance,
    Step::SetPassword,
    Step::Dump,
    Step::RestoreTest,
    Step::StagingSnapshot,
];

/// The steps a job file asks for.
pub fn steps_for(cfg: &JobConfig) -> Vec<Step> {
    STEPS
        .into_iter()
        .filter(|s| *s != Step::StagingSnapshot || cfg.staging.is_some())
        .collect()
}

impl Step {
    /// The step's name (audit log, metrics, `testing.fail_after`).
    pub fn name(self) -> &'static str {
        match self {
            Step::Preflight => "preflight",
            Step::CopySnapshot => "copy-snapshot",
            Step::RestoreCluster => "restore-cluster",
            Step::CreateInstance => "create-instance",
            Step::SetPassword => "set-password",
            Step::Dump => "dump",
            Step::RestoreTest => "restore-test",
            Step::StagingSnapshot => "staging-snapshot",
        }
    }

    /// The actions the step performs (audit records of failed steps).
    pub fn action(self) -> &'static str {
        match self {
            Step::Preflight => "sts:GetCallerIdentity,rds:DescribeDBClusterSnapshots,kms:DescribeKey",
            Step::CopySnapshot => "rds:CopyDBClusterSnapshot",
            Step::RestoreCluster => "rds:RestoreDBClusterFromSnapshot",
            Step::CreateInstance => "rds:CreateDBInstance",
            Step::SetPassword => "rds:ModifyDBCluster",
            Step::Dump => "masker-mysql:dump",
            Step::RestoreTest => "masker-mysql:load+verify",
            Step::StagingSnapshot => {
                "masker-mysql:load+verify,rds:CreateDBClusterSnapshot,rds:ModifyDBClusterSnapshotAttribute"
            }
        }
    }
}

/// Why a job failed.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// A step failed.
    #[error("step {step}: {cause}")]
    Step {
        /// The step.
        step: &'static str,
        /// Why (names places, never values or secrets).
        cause: String,
    },
    /// SIGINT or SIGTERM.
    #[error("interrupted during step {step}")]
    Interrupted {
        /// The step that was running.
        step: &'static str,
    },
    /// The audit log could not be written: the job stops.
    #[error(transparent)]
    Audit(#[from] AuditError),
    /// Cleanup left resources behind (listed by identifier).
    #[error("cleanup left {} resource(s): {}", .0.len(), .0.join(", "))]
    Leftovers(Vec<String>),
}

/// What a successful job produced.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct JobReport {
    /// The run id (tags, S3 path).
    pub run_id: String,
    /// Where the dump is.
    pub dump_url: String,
    /// Tables dumped and verified.
    pub tables: usize,
    /// Rows dumped.
    pub rows: u64,
    /// The audit log's last hash.
    pub audit_head: String,
}

/// What the steps have learned and created so far.
#[derive(Debug, Default)]
struct State {
    account: Option<String>,
    snapshot: Option<Snapshot>,
    copy_arn: Option<String>,
    cluster: Option<Restored>,
    instance_arn: Option<String>,
    password: Option<Arc<Secret>>,
    dump_url: Option<String>,
    tables: usize,
    rows: u64,
}

/// Everything a step needs.
struct Ctx {
    cfg: JobConfig,
    kind: JobKind,
    aws: Aws,
    run: RunNames,
    audit: AuditLog,
    metrics: Metrics,
    state: State,
}

/// What a step did, for its audit record.
struct Done {
    action: String,
    resources: Vec<String>,
    details: Map<String, Value>,
}

fn done(action: &str, resources: Vec<String>) -> Done {
    Done {
        action: action.to_owned(),
        resources,
        details: Map::new(),
    }
}

/// Run a job of `kind` with `cfg`; `shutdown` resolves on SIGINT/SIGTERM.
/// The cleanup runs whatever happens; the audit log records every step.
pub async fn run_job(
    cfg: JobConfig,
    kind: JobKind,
    shutdown: impl Future<Output = ()>,
) -> Result<JobReport, JobError> {
    let run = RunNames::new(SystemTime::now(), cfg.restore.ttl_hours);
    let audit = AuditLog::open(&cfg.audit.path, &run.run_id, kind.name())?;
    // The snapshot's cluster replaces this once preflight has found it.
    let cluster_tag = cfg
        .source
        .latest_for_cluster
        .clone()
        .unwrap_or_else(|| "unknown".into());
    let metrics = match &cfg.metrics {
        Some(m) => Metrics::udp(&m.statsd, &m.prefix, kind.name(), &cluster_tag).map_err(|e| {
            JobError::Step {
                step: "preflight",
                cause: e.to_string(),
            }
        })?,
        None => Metrics::none(),
    };
    let aws = Aws::new(&cfg.aws).await;
    let mut ctx = Ctx {
        cfg,
        kind,
        aws,
        run,
        audit,
        metrics,
        state: State::default(),
    };
    // The index in STEPS of the running step (read when a signal arrives).
    let current = AtomicUsize::new(0);
    let list = steps_for(&ctx.cfg);
    let outcome = tokio::select! {
        r = steps(&mut ctx, &list, &current) => r,
        () = shutdown => Err(JobError::Interrupted {
            step: list[current.load(Ordering::Relaxed)].name(),
        }),
    };
    if let Err(JobError::Interrupted { step }) = &outcome {
        ctx.audit.append(&Entry {
            step: (*step).to_owned(),
            action: "signal".into(),
            resources: vec![],
            outcome: "interrupted".into(),
            error: Some("SIGINT or SIGTERM".into()),
            started: rfc3339(SystemTime::now()),
            duration_ms: 0,
            details: Map::new(),
        })?;
    }
    let cleaned = cleanup(&mut ctx, outcome.is_err()).await;
    let ok = outcome.is_ok() && cleaned.is_ok();
    ctx.metrics.job_result(ok);
    let report = outcome?;
    cleaned?;
    Ok(JobReport {
        audit_head: ctx.audit.head().to_owned(),
        ..report
    })
}

async fn steps(ctx: &mut Ctx, list: &[Step], current: &AtomicUsize) -> Result<JobReport, JobError> {
    for (i, &step) in list.iter().enumerate() {
        current.store(i, Ordering::Relaxed);
        let started_at = SystemTime::now();
        let t = Instant::now();
        let result = match run_step(ctx, step).await {
            Ok(d) if ctx.testing_fail_after(step) => {
                Err((d.action, "injected failure (testing.fail_after)".to_owned()))
            }
            other => other.map_err(|e| (step.action().to_owned(), e)),
        };
        let ms = t.elapsed().as_millis() as u64;
        let outcome = if result.is_ok() { "ok" } else { "failed" };
        ctx.metrics.step(step.name(), outcome, ms);
        match result {
            Ok(d) => {
                ctx.audit.append(&Entry {
                    step: step.name().into(),
                    action: d.action,
                    resources: d.resources,
                    outcome: outcome.into(),
                    error: None,
                    started: rfc3339(started_at),
                    duration_ms: ms,
                    details: d.details,
                })?;
            }
            Err((action, cause)) => {
                ctx.audit.append(&Entry {
                    step: step.name().into(),
                    action,
                    resources: vec![],
                    outcome: outcome.into(),
                    error: Some(cause.clone()),
                    started: rfc3339(started_at),
                    duration_ms: ms,
                    details: Map::new(),
                })?;
                return Err(JobError::Step {
                    step: step.name(),
                    cause,
                });
            }
        }
        if let Some(t) = &ctx.cfg.testing {
            if t.pause_step.as_deref() == Some(step.name()) {
                tokio::time::sleep(std::time::Duration::from_secs(t.pause_seconds.unwrap_or(0)))
                    .await;
            }
        }
    }
    Ok(JobReport {
        run_id: ctx.run.run_id.clone(),
        dump_url: ctx.state.dump_url.clone().unwrap_or_default(),
        tables: ctx.state.tables,
        rows: ctx.state.rows,
        audit_head: String::new(),
    })
}

impl Ctx {
    fn testing_fail_after(&self, step: Step) -> bool {
        self.cfg
            .testing
            .as_ref()
            .and_then(|t| t.fail_after.as_deref())
            == Some(step.name())
    }
}

async fn run_step(ctx: &mut Ctx, step: Step) -> Result<Done, String> {
    let kind = ctx.kind.name();
    match step {
        Step::Preflight => {
            let (account, arn) = ctx.aws.caller().await.map_err(|e| e.to_string())?;
            ctx.audit.set_caller(&arn);
            let snap = cloud::find_snapshot(&ctx.aws, &ctx.cfg.source)
                .await
                .map_err(|e| e.to_string())?;
            cloud::check_keys(&ctx.aws, &snap, &ctx.cfg.restore)
                .await
                .map_err(|e| e.to_string())?;
            let mut d = done(
                Step::Preflight.action(),
                vec![snap.arn.clone(), ctx.cfg.restore.kms_key_id.clone()],
            );
            d.details.insert("account".into(), json!(account));
            d.details
                .insert("source_cluster".into(), json!(snap.cluster));
            d.details
                .insert("engine_version".into(), json!(snap.engine_version));
            d.details.insert("expires".into(), json!(ctx.run.expires));
            ctx.state.account = Some(account);
            ctx.metrics.set_cluster(&snap.cluster);
            ctx.state.snapshot = Some(snap);
            Ok(d)
        }
        Step::CopySnapshot => {
            let snap = ctx.state.snapshot.clone().ok_or("no source snapshot")?;
            let arn = cloud::copy_snapshot(&ctx.aws, &snap, &ctx.cfg.restore, &ctx.run, kind)
                .await
                .map_err(|e| e.to_string())?;
            ctx.state.copy_arn = Some(arn.clone());
            Ok(done("rds:CopyDBClusterSnapshot", vec![snap.arn, arn]))
        }
        Step::RestoreCluster => {
            let c = cloud::restore_cluster(&ctx.aws, &ctx.cfg.restore, &ctx.run, kind)
                .await
                .map_err(|e| e.to_string())?;
            let d = done("rds:RestoreDBClusterFromSnapshot", vec![c.arn.clone()]);
            ctx.state.cluster = Some(c);
            Ok(d)
        }
        Step::CreateInstance => {
            let arn = cloud::create_instance(&ctx.aws, &ctx.cfg.restore, &ctx.run, kind)
                .await
                .map_err(|e| e.to_string())?;
            ctx.state.instance_arn = Some(arn.clone());
            Ok(done("rds:CreateDBInstance", vec![arn]))
        }
        Step::SetPassword => {
            let secret = Secret::generate().map_err(|e| format!("the OS RNG failed: {e}"))?;
            cloud::set_password(&ctx.aws, &ctx.run, &secret)
                .await
                .map_err(|e| e.to_string())?;
            ctx.state.password = Some(Arc::new(secret));
            let arn = ctx.state.cluster.as_ref().map(|c| c.arn.clone());
            Ok(done("rds:ModifyDBCluster", arn.into_iter().collect()))
        }
        Step::Dump => dump_step(ctx).await,
        Step::RestoreTest => restore_test_step(ctx).await,
        Step::StagingSnapshot => staging_step(ctx).await,
    }
}

/// How to reach the restored cluster: its endpoint with the master user and
/// the generated password, or the `[testing]` stand-in.
fn connector(ctx: &Ctx) -> Result<Connector, String> {
    let mut o = ConnectOptions::new();
    if let Some(addr) = ctx
        .cfg
        .testing
        .as_ref()
        .and_then(|t| t.database_address.clone())
    {
        o.url = Some(format!("mysql://{addr}/"));
        o.user = Some(
            ctx.cfg
                .testing
                .as_ref()
                .and_then(|t| t.database_user.clone())
                .unwrap_or_else(|| "root".into()),
        );
        return o
            .resolve_with_password(String::new())
            .map_err(|e| e.to_string());
    }
    let c = ctx.state.cluster.as_ref().ok_or("no restored cluster")?;
    let password = ctx.state.password.as_ref().ok_or("no master password")?;
    o.url = Some(format!("mysql://{}:{}/", c.endpoint, c.port));
    o.user = Some(ctx.cfg.restore.master_user.clone());
    o.resolve_with_password(password.expose().to_owned())
        .map_err(|e| e.to_string())
}

fn staging(what: &str, run: &RunNames) -> PathBuf {
    std::env::temp_dir().join(format!("masker-aws-{what}-{}", run.run_id))
}

async fn dump_step(ctx: &mut Ctx) -> Result<Done, String> {
    let snap = ctx.state.snapshot.as_ref().ok_or("no source snapshot")?;
    let url = format!(
        "{}/{}/{}/{}",
        ctx.cfg.output.s3.trim_end_matches('/'),
        snap.cluster,
        ctx.run.date,
        ctx.run.run_id
    );
    let connector = connector(ctx)?;
    let mut opts = DumpOptions::default();
    opts.lock = false;
    opts.threads = ctx.cfg.dump.threads.unwrap_or(2);
    if let Some(mb) = ctx.cfg.dump.chunk_mb {
        opts.chunk_bytes = (mb * 1_048_576.0) as u64;
    }
    if ctx.cfg.dump.format.as_deref() == Some("tsv") {
        opts.format = Format::Tsv;
    }
    opts.filter.databases = vec![ctx.cfg.database.name.clone()];
    opts.tool = format!("masker-aws {}", env!("CARGO_PKG_VERSION"));
    let rules_path = ctx.cfg.dump.rules.clone();
    let dir = staging("dump", &ctx.run);
    let url2 = url.clone();
    let outcome = tokio::task::spawn_blocking(move || -> Result<_, String> {
        if let Some(path) = &rules_path {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("dump.rules {}: {e}", path.display()))?;
            let rules = masker_core::rules::RulesBuilder::new()
                .toml(&text, &path.display().to_string())
                .key_from_env()
                .build()
                .map_err(|e| format!("dump.rules {}: {e}", path.display()))?;
            let (_, sha) = masker_mysql::files::hash_file(path).map_err(|e| e.to_string())?;
            opts.rules = Some(Arc::new(rules));
            opts.rules_sha256 = Some(sha);
        }
        let s3 = S3Dump::open(&url2).map_err(|e| e.to_string())?;
        s3.check_no_manifest().map_err(|e| e.to_string())?;
        opts.publish = Some(Arc::new(s3));
        let r = masker_mysql::dump::dump(&connector, &dir, &opts, &Progress::default());
        let _ = std::fs::remove_dir_all(&dir);
        r.map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| format!("the dump thread failed: {e}"))??;
    let m = &outcome.manifest;
    let mut tables = Vec::new();
    for t in &m.tables {
        let bytes: u64 = t.chunks.iter().map(|c| c.file.bytes).sum();
        ctx.metrics.table(&t.display_name(), t.rows, bytes);
        tables.push(json!({"table": t.display_name(), "rows": t.rows, "bytes": bytes}));
    }
    ctx.state.tables = m.tables.len();
    ctx.state.rows = m.tables.iter().map(|t| t.rows).sum();
    ctx.state.dump_url = Some(url.clone());
    let mut d = done("masker-mysql:dump", vec![url]);
    d.details.insert("tables".into(), Value::Array(tables));
    d.details
        .insert("rules_sha256".into(), json!(m.rules_sha256));
    d.details.insert(
        "masked_columns".into(),
        json!(outcome
            .masked
            .iter()
            .map(|(c, n)| json!({"column": c, "values": n}))
            .collect::<Vec<_>>()),
    );
    Ok(d)
}

async fn restore_test_step(ctx: &mut Ctx) -> Result<Done, String> {
    let url = ctx.state.dump_url.clone().ok_or("no dump")?;
    let connector = connector(ctx)?;
    let scratch = ctx.run.scratch_database();
    let dir = staging("fetch", &ctx.run);
    let threads = ctx.cfg.dump.threads.unwrap_or(2);
    let scratch2 = scratch.clone();
    let url2 = url.clone();
    let result =
        tokio::task::spawn_blocking(move || -> Result<(usize, bool, Vec<String>), String> {
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            let run = || -> Result<(usize, bool, Vec<String>), String> {
                let s3 = S3Dump::open(&url2).map_err(|e| e.to_string())?;
                s3.fetch_all(&dir).map_err(|e| e.to_string())?;
                let mut lo = LoadOptions::default();
                lo.threads = threads;
                lo.into_database = Some(scratch2.clone());
                masker_mysql::load::load(&connector, &dir, &lo, &LoadProgress::default())
                    .map_err(|e| e.to_string())?;
                let mut vo = VerifyOptions::default();
                vo.threads = threads;
                vo.into_database = Some(scratch2.clone());
                let report = masker_mysql::verify::verify(&connector, &dir, &vo)
                    .map_err(|e| e.to_string())?;
                let mut problems: Vec<String> = report
                    .tables
                    .iter()
                    .filter(|t| !t.ok)
                    .map(|t| format!("{}: {}", t.table, t.problem.clone().unwrap_or_default()))
                    .collect();
                problems.extend(
                    report
                        .file_problems
                        .iter()
                        .map(|f| format!("{}: {}", f.file, f.problem)),
                );
                Ok((report.tables.len(), report.ok(), problems))
            };
            let r = run();
            let _ = std::fs::remove_dir_all(&dir);
            let dropped = drop_database(&connector, &scratch2);
            let r = r?;
            dropped?;
            Ok(r)
        })
        .await
        .map_err(|e| format!("the restore-test thread failed: {e}"))?;
    let ok = matches!(&result, Ok((_, true, _)));
    ctx.metrics.restore_test(ok);
    let (tables, passed, problems) = result?;
    if !passed {
        return Err(format!("the restore test failed: {}", problems.join("; ")));
    }
    let mut d = done("masker-mysql:load+verify", vec![url]);
    d.details.insert("scratch_database".into(), json!(scratch));
    d.details.insert("tables_verified".into(), json!(tables));
    Ok(d)
}

async fn staging_step(ctx: &mut Ctx) -> Result<Done, String> {
    let url = ctx.state.dump_url.clone().ok_or("no dump")?;
    let accounts = ctx
        .cfg
        .staging
        .as_ref()
        .map(|s| s.share_with.clone())
        .unwrap_or_default();
    let connector = connector(ctx)?;
    let name = ctx.cfg.database.name.clone();
    let dir = staging("staging", &ctx.run);
    let threads = ctx.cfg.dump.threads.unwrap_or(2);
    tokio::task::spawn_blocking(move || -> Result<(), String> {
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let run = || -> Result<(), String> {
            let s3 = S3Dump::open(&url).map_err(|e| e.to_string())?;
            s3.fetch_all(&dir).map_err(|e| e.to_string())?;
            // The original (unmasked) database is replaced by the masked one.
            drop_database(&connector, &name)?;
            let mut lo = LoadOptions::default();
            lo.threads = threads;
            masker_mysql::load::load(&connector, &dir, &lo, &LoadProgress::default())
                .map_err(|e| e.to_string())?;
            let mut vo = VerifyOptions::default();
            vo.threads = threads;
            let report =
                masker_mysql::verify::verify(&connector, &dir, &vo).map_err(|e| e.to_string())?;
            if !report.ok() {
                return Err("the masked data loaded back differs from the dump".into());
            }
            Ok(())
        };
        let r = run();
        let _ = std::fs::remove_dir_all(&dir);
        r
    })
    .await
    .map_err(|e| format!("the staging load thread failed: {e}"))??;
    let arn = cloud::staging_snapshot(
        &ctx.aws,
        &ctx.run,
        ctx.kind.name(),
        &accounts,
        ctx.cfg.restore.wait_seconds,
    )
    .await
    .map_err(|e| e.to_string())?;
    let mut d = done(
        "rds:CreateDBClusterSnapshot,rds:ModifyDBClusterSnapshotAttribute",
        vec![arn],
    );
    d.details.insert("shared_with".into(), json!(accounts));
    Ok(d)
}

fn drop_database(connector: &Connector, name: &str) -> Result<(), String> {
    use mysql::prelude::Queryable;
    let mut c = connector
        .connect(masker_mysql::connect::Names::Utf8mb4)
        .map_err(|e| e.to_string())?;
    c.query_drop(format!("DROP DATABASE IF EXISTS `{name}`"))
        .map_err(|e| {
            format!(
                "{}: dropping the scratch database {name}: {e}",
                connector.target()
            )
        })
}

/// Delete what this run created (instance, cluster, copied snapshot, and
/// the staging snapshot when the job failed; a missing one counts as deleted), recording each delete; then count what
/// is left.
async fn cleanup(ctx: &mut Ctx, failed: bool) -> Result<(), JobError> {
    let started_at = SystemTime::now();
    let t = Instant::now();
    let mut targets = vec![
        (Kind::Instance, ctx.run.instance_id()),
        (Kind::Cluster, ctx.run.cluster_id()),
        (Kind::Snapshot, ctx.run.copy_id()),
    ];
    if failed {
        // A failed job's staging snapshot is not its product.
        targets.push((Kind::Snapshot, ctx.run.staging_id()));
    }
    let mut deleted = Vec::new();
    let mut errors = Vec::new();
    // The restore test's scratch database (an interrupted test leaves it):
    // dropped before the cluster goes.
    if ctx.state.dump_url.is_some() {
        let scratch = ctx.run.scratch_database();
        let dropped = match connector(ctx) {
            Ok(c) => {
                let name = scratch.clone();
                tokio::task::spawn_blocking(move || drop_database(&c, &name))
                    .await
                    .map_err(|e| format!("the cleanup thread failed: {e}"))
                    .and_then(|r| r)
            }
            Err(e) => Err(e),
        };
        if let Err(e) = dropped {
            errors.push(format!("scratch database {scratch}: {e}"));
        }
    }
    for (kind, id) in &targets {
        match cloud::delete(&ctx.aws, *kind, id).await {
            Ok(Deleted::Yes) => deleted.push(id.clone()),
            Ok(Deleted::Missing) => {}
            Err(e) => errors.push(e.to_string()),
        }
    }
    let left: Vec<String> = match cloud::tagged_resources(&ctx.aws).await {
        Ok(all) => all
            .into_iter()
            .filter(|r| r.run_id == ctx.run.run_id)
            .map(|r| r.id)
            .collect(),
        Err(e) => {
            errors.push(e.to_string());
            targets.iter().map(|(_, id)| id.clone()).collect()
        }
    };
    let ms = t.elapsed().as_millis() as u64;
    ctx.metrics.resources_left(left.len() as u64);
    let outcome = if errors.is_empty() && left.is_empty() {
        "ok"
    } else {
        "failed"
    };
    ctx.metrics.step("cleanup", outcome, ms);
    let mut details = Map::new();
    details.insert("left".into(), json!(left));
    ctx.audit.append(&Entry {
        step: "cleanup".into(),
        action: "rds:DeleteDBInstance,rds:DeleteDBCluster,rds:DeleteDBClusterSnapshot".into(),
        resources: deleted,
        outcome: outcome.into(),
        error: (!errors.is_empty()).then(|| errors.join("; ")),
        started: rfc3339(started_at),
        duration_ms: ms,
        details,
    })?;
    if left.is_empty() {
        Ok(())
    } else {
        Err(JobError::Leftovers(left))
    }
}

/// `sweep`: delete every resource tagged by a run whose expiry has passed
/// (instances first, then clusters, then snapshots), recording each in the
/// audit log. Returns the identifiers deleted.
pub async fn sweep(
    aws: &Aws,
    audit: &mut AuditLog,
    now: SystemTime,
) -> Result<Vec<String>, JobError> {
    let started_at = SystemTime::now();
    let t = Instant::now();
    let all = cloud::tagged_resources(aws)
        .await
        .map_err(|e| JobError::Step {
            step: "sweep",
            cause: e.to_string(),
        })?;
    let mut expired: Vec<_> = all
        .into_iter()
        .filter(|r| r.expires.is_some_and(|e| e <= now))
        .collect();
    expired.sort_by_key(|r| match r.kind {
        Kind::Instance => 0,
        Kind::Cluster => 1,
        Kind::Snapshot => 2,
    });
    let mut deleted = Vec::new();
    let mut errors = Vec::new();
    for r in &expired {
        match cloud::delete(aws, r.kind, &r.id).await {
            Ok(Deleted::Yes) => deleted.push(r.arn.clone()),
            Ok(Deleted::Missing) => {}
            Err(e) => errors.push(e.to_string()),
        }
    }
    audit.append(&Entry {
        step: "sweep".into(),
        action: "rds:DeleteDBInstance,rds:DeleteDBCluster,rds:DeleteDBClusterSnapshot".into(),
        resources: deleted.clone(),
        outcome: if errors.is_empty() { "ok" } else { "failed" }.into(),
        error: (!errors.is_empty()).then(|| errors.join("; ")),
        started: rfc3339(started_at),
        duration_ms: t.elapsed().as_millis() as u64,
        details: Map::new(),
    })?;
    if errors.is_empty() {
        Ok(deleted)
    } else {
        Err(JobError::Step {
            step: "sweep",
            cause: errors.join("; "),
        })
    }
}
