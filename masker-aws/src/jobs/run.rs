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

use masker_mysql::dump::{ChunkSelection, DumpOptions, Progress};
use masker_mysql::load::{LoadOptions, LoadProgress};
use masker_mysql::manifest::{Format, Manifest, MANIFEST};
use masker_mysql::store::S3Dump;
use masker_mysql::verify::VerifyOptions;
use masker_mysql::{ConnectOptions, Connector};
use serde_json::{json, Map, Value};

use super::audit::{AuditError, AuditLog, Entry};
use super::cloud::{self, Aws, Deleted, Kind, Restored, Snapshot};
use super::config::{JobConfig, JobKind};
use super::dump_objects;
use super::metrics::Metrics;
use super::names::{self, rfc3339, RunNames, Secret};
use super::plan_objects;
use super::shards::{self, Plan};

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
    /// `plan`: the tables dealt to shards, the plan written to S3.
    Plan,
    /// `finish`: the shards' manifests merged into the dump's manifest.
    Merge,
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

/// The steps of `masker-aws plan`: up to the password, then the plan.
pub const PLAN_STEPS: [Step; 6] = [
    Step::Preflight,
    Step::CopySnapshot,
    Step::RestoreCluster,
    Step::CreateInstance,
    Step::SetPassword,
    Step::Plan,
];

/// The steps of `masker-aws finish` (`StagingSnapshot` only with `[staging]`).
pub fn finish_steps(cfg: &JobConfig) -> Vec<Step> {
    let mut v = vec![Step::Merge, Step::RestoreTest];
    if cfg.staging.is_some() {
        v.push(Step::StagingSnapshot);
    }
    v
}

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
            Step::Plan => "plan",
            Step::Merge => "merge",
        }
    }

    /// The actions the step performs (audit records of failed steps).
    pub fn action(self) -> &'static str {
        match self {
            Step::Preflight => {
                "sts:GetCallerIdentity,rds:DescribeDBClusterSnapshots,kms:DescribeKey,kms:GetKeyPolicy"
            }
            Step::CopySnapshot => "rds:CopyDBClusterSnapshot",
            Step::RestoreCluster => {
                "rds:CreateDBClusterParameterGroup,rds:ModifyDBClusterParameterGroup,rds:RestoreDBClusterFromSnapshot"
            }
            Step::CreateInstance => "rds:CreateDBInstance",
            Step::SetPassword => "rds:ModifyDBCluster",
            Step::Dump => "masker-mysql:dump",
            Step::RestoreTest => "masker-mysql:load+verify",
            Step::StagingSnapshot => {
                "masker-mysql:load+verify,rds:CreateDBClusterSnapshot,rds:ModifyDBClusterSnapshotAttribute"
            }
            Step::Plan => "masker-mysql:plan-chunks,s3:PutObject",
            Step::Merge => "s3:GetObject,s3:PutObject",
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
    /// Chunks (data files) dumped.
    pub chunks: usize,
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
    chunks: usize,
    rows: u64,
    /// Sharded runs: the password's secret, the plan and its prefix, the
    /// shard count asked for, and (run-shard) this process's shard.
    secret_arn: Option<String>,
    plan: Option<Plan>,
    plan_url: Option<String>,
    requested: usize,
    shard: Option<usize>,
    /// The leak proof found an original value in the uploaded dump: it is
    /// deleted whatever its manifest says.
    dump_leaked: bool,
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

/// Why a step failed, and what it did all the same (its audit record's
/// resources and details: what it deleted, say).
#[derive(Debug, Default)]
struct Failed {
    cause: String,
    resources: Vec<String>,
    details: Map<String, Value>,
}

impl From<String> for Failed {
    fn from(cause: String) -> Failed {
        Failed {
            cause,
            ..Failed::default()
        }
    }
}

impl From<&str> for Failed {
    fn from(cause: &str) -> Failed {
        Failed::from(cause.to_owned())
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
    let mut ctx = Ctx::new(cfg, kind, run, None).await?;
    let list = steps_for(&ctx.cfg);
    let outcome = drive(&mut ctx, &list, shutdown).await;
    finish_with_cleanup(&mut ctx, outcome).await
}

/// The cleanup after `outcome`, the job's metric, and the report.
async fn finish_with_cleanup(
    ctx: &mut Ctx,
    outcome: Result<JobReport, JobError>,
) -> Result<JobReport, JobError> {
    let cleaned = cleanup(ctx, outcome.is_err()).await;
    let ok = outcome.is_ok() && cleaned.is_ok();
    ctx.metrics.job_result(ok);
    let report = outcome?;
    cleaned?;
    Ok(JobReport {
        audit_head: ctx.audit.head().to_owned(),
        ..report
    })
}

/// What `plan` made.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PlanReport {
    /// The run id.
    pub run_id: String,
    /// Where the plan is (`s3://.../`): give it to run-shard, finish, cleanup.
    pub plan_url: String,
    /// Shards with work (at most the number asked for).
    pub shards: usize,
    /// Tables in the plan.
    pub tables: usize,
    /// Chunks in the plan (what is dealt to the shards).
    pub chunks: usize,
}

/// `masker-aws plan`: preflight, copy, restore, instance and password (kept
/// in Secrets Manager for the shards), then the database's tables cut into
/// chunks, the chunks dealt to at most `shards` shards and the plan written
/// to `plan_url` (default `<output>/_plans/<run id>`). On success the
/// restored cluster stays for the shards (tagged with its expiry and the
/// plan URL, so that `sweep` can delete the plan's objects too); on failure
/// or a signal everything is cleaned up. A plan URL that cannot be a tag
/// value, or that names a whole bucket, is refused before any work.
pub async fn plan_job(
    cfg: JobConfig,
    kind: JobKind,
    shards: usize,
    plan_url: Option<String>,
    shutdown: impl Future<Output = ()>,
) -> Result<PlanReport, JobError> {
    let run = RunNames::new(SystemTime::now(), cfg.restore.ttl_hours);
    let plan_url = plan_url.unwrap_or_else(|| {
        format!(
            "{}/_plans/{}",
            cfg.output.s3.trim_end_matches('/'),
            run.run_id
        )
    });
    let plan_url = plan_url.trim_end_matches('/').to_owned();
    plan_objects::split(&plan_url)
        .and_then(|_| {
            names::check_tag_value(&plan_url).map_err(|e| {
                format!(
                    "the plan URL {plan_url} cannot be the value of the tag {} that lets \
                     sweep find the plan: {e}",
                    names::TAG_PLAN
                )
            })
        })
        .map_err(|cause| JobError::Step {
            step: "plan",
            cause,
        })?;
    let mut ctx = Ctx::new(cfg, kind, run, None).await?;
    ctx.state.plan_url = Some(plan_url);
    ctx.state.requested = shards.max(1);
    let outcome = drive(&mut ctx, &PLAN_STEPS, shutdown).await;
    if let Err(e) = outcome {
        ctx.metrics.job_result(false);
        let cleaned = cleanup(&mut ctx, true).await;
        return Err(match cleaned {
            Ok(()) => e,
            Err(JobError::Leftovers(l)) => JobError::Step {
                step: "cleanup",
                cause: format!("{e}; and cleanup left {}", l.join(", ")),
            },
            Err(other) => other,
        });
    }
    let plan = ctx.state.plan.as_ref().ok_or(JobError::Step {
        step: "plan",
        cause: "no plan was made".into(),
    })?;
    Ok(PlanReport {
        run_id: ctx.run.run_id.clone(),
        plan_url: ctx.state.plan_url.clone().unwrap_or_default(),
        shards: plan.shards.len(),
        tables: plan.tables.len(),
        chunks: plan.chunks(),
    })
}

/// Read the plan at `plan_url` (`s3://...`, the prefix `plan` printed);
/// `None` when there is none (a `plan` that failed has cleaned up).
pub async fn find_plan(plan_url: &str) -> Result<Option<Plan>, JobError> {
    let url = plan_url.trim_end_matches('/').to_owned();
    let fail = |cause: String| JobError::Step {
        step: "plan",
        cause,
    };
    let bytes = tokio::task::spawn_blocking(move || -> Result<Option<Vec<u8>>, String> {
        let s3 = S3Dump::open(&url).map_err(|e| e.to_string())?;
        s3.get(shards::PLAN).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| fail(format!("the S3 thread failed: {e}")))?
    .map_err(fail)?;
    match bytes {
        None => Ok(None),
        Some(b) => Plan::from_json(&b)
            .map(Some)
            .map_err(|e| fail(format!("{plan_url}/{}: {e}", shards::PLAN))),
    }
}

/// Read the plan at `plan_url`; a missing plan is an error.
pub async fn read_plan(plan_url: &str) -> Result<Plan, JobError> {
    find_plan(plan_url).await?.ok_or_else(|| JobError::Step {
        step: "plan",
        cause: format!(
            "{}/{}: no plan there",
            plan_url.trim_end_matches('/'),
            shards::PLAN
        ),
    })
}

/// What one shard did.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ShardReport {
    /// The shard's index.
    pub index: usize,
    /// Tables of which it dumped chunks (0: the plan has no work for this
    /// index).
    pub tables: usize,
    /// Chunks dumped.
    pub chunks: usize,
    /// Rows dumped.
    pub rows: u64,
}

/// `masker-aws run-shard`: dump shard `index` of `plan` (its chunks, cut
/// as the plan says, masked for the mask job) into the run's dump
/// location; its manifest goes under the plan prefix as the shard's done
/// marker. Creates no AWS resource and
/// deletes none (the other shards still need the cluster): a failure is
/// audited and returned, and `cleanup` or `finish` removes the run.
pub async fn run_shard(
    cfg: JobConfig,
    plan_url: &str,
    plan: Plan,
    index: usize,
    shutdown: impl Future<Output = ()>,
) -> Result<ShardReport, JobError> {
    if index >= plan.requested {
        return Err(JobError::Step {
            step: "dump",
            cause: format!(
                "shard {index}: the plan has {} shards (0..{})",
                plan.requested, plan.requested
            ),
        });
    }
    if index >= plan.shards.len() {
        return Ok(ShardReport {
            index,
            tables: 0,
            chunks: 0,
            rows: 0,
        });
    }
    let kind = plan.kind().map_err(|cause| JobError::Step {
        step: "dump",
        cause,
    })?;
    let mut ctx = Ctx::new(cfg, kind, plan.run_names(), Some(&plan)).await?;
    ctx.state.plan_url = Some(plan_url.trim_end_matches('/').to_owned());
    ctx.state.shard = Some(index);
    let outcome = drive(&mut ctx, &[Step::Dump], shutdown).await;
    ctx.metrics.job_result(outcome.is_ok());
    let r = outcome?;
    Ok(ShardReport {
        index,
        tables: r.tables,
        chunks: r.chunks,
        rows: r.rows,
    })
}

/// `masker-aws finish`: the shards' manifests merged into the dump's
/// `manifest.json`, the restore test (and the staging snapshot when
/// configured), then the cleanup, which always runs: cluster, instance,
/// copied snapshot, the password's secret and the plan's objects.
pub async fn finish(
    cfg: JobConfig,
    plan_url: &str,
    plan: Plan,
    shutdown: impl Future<Output = ()>,
) -> Result<JobReport, JobError> {
    let kind = plan.kind().map_err(|cause| JobError::Step {
        step: "merge",
        cause,
    })?;
    let mut ctx = Ctx::new(cfg, kind, plan.run_names(), Some(&plan)).await?;
    ctx.state.plan_url = Some(plan_url.trim_end_matches('/').to_owned());
    let list = finish_steps(&ctx.cfg);
    let outcome = drive(&mut ctx, &list, shutdown).await;
    finish_with_cleanup(&mut ctx, outcome).await
}

/// `masker-aws cleanup`: delete everything a planned run created (after a
/// shard failed; the state machine's catch-all). Idempotent.
pub async fn cleanup_run(cfg: JobConfig, plan_url: &str, plan: Plan) -> Result<(), JobError> {
    let kind = plan.kind().map_err(|cause| JobError::Step {
        step: "cleanup",
        cause,
    })?;
    let mut ctx = Ctx::new(cfg, kind, plan.run_names(), Some(&plan)).await?;
    ctx.state.plan_url = Some(plan_url.trim_end_matches('/').to_owned());
    ctx.metrics.job_result(false);
    cleanup(&mut ctx, true).await
}

impl Ctx {
    /// A job's context: its audit log opened (chain checked), metrics,
    /// AWS clients; a sharded run's state taken from its plan.
    async fn new(
        cfg: JobConfig,
        kind: JobKind,
        run: RunNames,
        plan: Option<&Plan>,
    ) -> Result<Ctx, JobError> {
        let mut audit = AuditLog::open(&cfg.audit.path, &run.run_id, kind.name())?;
        audit.echo_to_stdout(cfg.audit.stdout);
        // The snapshot's cluster replaces this once preflight has found it.
        let cluster_tag = match plan {
            Some(p) => p.snapshot.cluster.clone(),
            None => cfg
                .source
                .latest_for_cluster
                .clone()
                .unwrap_or_else(|| "unknown".into()),
        };
        let metrics = match &cfg.metrics {
            Some(m) => {
                Metrics::udp(&m.statsd, &m.prefix, kind.name(), &cluster_tag).map_err(|e| {
                    JobError::Step {
                        step: "preflight",
                        cause: e.to_string(),
                    }
                })?
            }
            None => Metrics::none(),
        };
        let aws = Aws::new(&cfg.aws).await;
        let mut state = State::default();
        if let Some(p) = plan {
            state.snapshot = Some(p.snapshot.clone());
            state.cluster = Some(p.cluster.clone());
            state.secret_arn = Some(p.password_secret.clone());
            state.requested = p.requested;
            state.plan = Some(p.clone());
        }
        Ok(Ctx {
            cfg,
            kind,
            aws,
            run,
            audit,
            metrics,
            state,
        })
    }
}

/// Run `list` in order; a signal (`shutdown`) stops the running step and
/// is audited. No cleanup here: the callers decide.
async fn drive(
    ctx: &mut Ctx,
    list: &[Step],
    shutdown: impl Future<Output = ()>,
) -> Result<JobReport, JobError> {
    // The index in `list` of the running step (read when a signal arrives).
    let current = AtomicUsize::new(0);
    let outcome = tokio::select! {
        r = steps(ctx, list, &current) => r,
        () = shutdown => Err(JobError::Interrupted {
            step: list[current.load(Ordering::Relaxed)].name(),
        }),
    };
    if let Err(JobError::Interrupted { step }) = &outcome {
        // The dump thread may still be uploading: end its multipart uploads
        // (and refuse new ones) so that none is left behind in S3.
        let aborted = tokio::task::spawn_blocking(masker_mysql::store::abort_open_uploads)
            .await
            .unwrap_or(0);
        let mut details = Map::new();
        details.insert("multipart_uploads_aborted".into(), json!(aborted));
        ctx.audit.append(&Entry {
            step: (*step).to_owned(),
            action: "signal".into(),
            resources: vec![],
            outcome: "interrupted".into(),
            error: Some("SIGINT or SIGTERM".into()),
            started: rfc3339(SystemTime::now()),
            duration_ms: 0,
            details,
        })?;
    }
    outcome
}

async fn steps(ctx: &mut Ctx, list: &[Step], current: &AtomicUsize) -> Result<JobReport, JobError> {
    for (i, &step) in list.iter().enumerate() {
        current.store(i, Ordering::Relaxed);
        let started_at = SystemTime::now();
        let t = Instant::now();
        let result = match run_step(ctx, step).await {
            Ok(d) if ctx.testing_fail_after(step) => Err((
                d.action,
                Failed::from("injected failure (testing.fail_after)"),
            )),
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
            Err((action, failed)) => {
                ctx.audit.append(&Entry {
                    step: step.name().into(),
                    action,
                    resources: failed.resources,
                    outcome: outcome.into(),
                    error: Some(failed.cause.clone()),
                    started: rfc3339(started_at),
                    duration_ms: ms,
                    details: failed.details,
                })?;
                return Err(JobError::Step {
                    step: step.name(),
                    cause: failed.cause,
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
        chunks: ctx.state.chunks,
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

async fn run_step(ctx: &mut Ctx, step: Step) -> Result<Done, Failed> {
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
            let share_with = ctx
                .cfg
                .staging
                .as_ref()
                .map(|s| s.share_with.clone())
                .unwrap_or_default();
            if !share_with.is_empty() {
                cloud::check_share_key(&ctx.aws, &ctx.cfg.restore.kms_key_id, &share_with)
                    .await
                    .map_err(|e| e.to_string())?;
            }
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
            // Database auditing from the first minute: the configured group,
            // or one made for this run.
            let mut resources = Vec::new();
            let mut action = "rds:RestoreDBClusterFromSnapshot";
            let group = match &ctx.cfg.restore.parameter_group {
                Some(g) => g.clone(),
                None => {
                    let r = &ctx.cfg.restore;
                    let version = ctx
                        .state
                        .snapshot
                        .as_ref()
                        .map(|s| s.engine_version.clone())
                        .unwrap_or_default();
                    let family = r
                        .parameter_family
                        .clone()
                        .or_else(|| cloud::parameter_family(&r.engine, &version))
                        .ok_or_else(|| {
                            format!(
                                "cannot tell the parameter group family of engine {} version `{version}`: \
                                 set restore.parameter_family (or restore.parameter_group)",
                                r.engine
                            )
                        })?;
                    let arn = cloud::create_audit_group(
                        &ctx.aws,
                        &ctx.run,
                        kind,
                        &family,
                        &r.audit_events,
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                    resources.push(arn);
                    action = "rds:CreateDBClusterParameterGroup,rds:ModifyDBClusterParameterGroup,\
                              rds:RestoreDBClusterFromSnapshot";
                    ctx.run.audit_group_id()
                }
            };
            let c = cloud::restore_cluster(
                &ctx.aws,
                &ctx.cfg.restore,
                &ctx.run,
                kind,
                &group,
                ctx.state.plan_url.as_deref(),
            )
            .await
            .map_err(|e| e.to_string())?;
            resources.push(c.arn.clone());
            let mut d = done(action, resources);
            d.details.insert("parameter_group".into(), json!(group));
            d.details
                .insert("audit_events".into(), json!(ctx.cfg.restore.audit_events));
            d.details
                .insert("cloudwatch_logs_exports".into(), json!(["audit"]));
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
            let mut resources: Vec<String> = ctx
                .state
                .cluster
                .as_ref()
                .map(|c| c.arn.clone())
                .into_iter()
                .collect();
            let mut action = "rds:ModifyDBCluster";
            if ctx.state.plan_url.is_some() || ctx.cfg.restore.password_secret {
                // A sharded run: the shards on other machines read it there.
                let arn = cloud::store_password(
                    &ctx.aws,
                    &ctx.run,
                    kind,
                    &ctx.cfg.restore.kms_key_id,
                    &secret,
                    ctx.state.plan_url.as_deref(),
                )
                .await
                .map_err(|e| e.to_string())?;
                ctx.state.secret_arn = Some(arn.clone());
                resources.push(arn);
                action = "rds:ModifyDBCluster,secretsmanager:CreateSecret";
            }
            ctx.state.password = Some(Arc::new(secret));
            Ok(done(action, resources))
        }
        Step::Dump => Ok(dump_step(ctx).await?),
        Step::RestoreTest => restore_test_step(ctx).await,
        Step::StagingSnapshot => Ok(staging_step(ctx).await?),
        Step::Plan => Ok(plan_step(ctx).await?),
        Step::Merge => Ok(merge_step(ctx).await?),
    }
}

/// A sharded run's later processes read the master password from the
/// secret `plan` stored (the connection needs it; nothing else sees it).
async fn ensure_password(ctx: &mut Ctx) -> Result<(), String> {
    if ctx.state.password.is_none() {
        if let Some(arn) = &ctx.state.secret_arn {
            let secret = cloud::read_password(&ctx.aws, arn)
                .await
                .map_err(|e| e.to_string())?;
            ctx.state.password = Some(Arc::new(secret));
        }
    }
    Ok(())
}

/// Where this run's dump goes: `<output>/<cluster>/<date>/<run id>`.
fn dump_url(ctx: &Ctx) -> Result<String, String> {
    if let Some(p) = &ctx.state.plan {
        return Ok(p.dump_url.clone());
    }
    let snap = ctx.state.snapshot.as_ref().ok_or("no source snapshot")?;
    Ok(format!(
        "{}/{}/{}/{}",
        ctx.cfg.output.s3.trim_end_matches('/'),
        snap.cluster,
        ctx.run.date,
        ctx.run.run_id
    ))
}

/// The chunk size of `[dump] chunk_mb` (or the dump's default), in bytes.
fn chunk_bytes(cfg: &JobConfig) -> u64 {
    match cfg.dump.chunk_mb {
        Some(mb) => (mb * 1_048_576.0) as u64,
        None => DumpOptions::default().chunk_bytes,
    }
}

/// `plan`: cut the database's tables on the restored cluster into chunks
/// (as a one-process dump would), deal the chunks to shards, write
/// `plan.json` (encrypted under the platform's KMS key: chunk conditions
/// hold key values) and `shards.json` under the plan prefix.
async fn plan_step(ctx: &mut Ctx) -> Result<Done, String> {
    let plan_url = ctx.state.plan_url.clone().ok_or("no plan location")?;
    let url = dump_url(ctx)?;
    let connector = connector(ctx)?;
    let db = ctx.cfg.database.name.clone();
    let db2 = db.clone();
    let chunk_bytes = chunk_bytes(&ctx.cfg);
    let tables = tokio::task::spawn_blocking(move || -> Result<_, String> {
        let mut filter = masker_mysql::catalog::TableFilter::new();
        filter.databases = vec![db2];
        masker_mysql::dump::plan_chunks(&connector, &filter, chunk_bytes).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| format!("the catalog thread failed: {e}"))??;
    if tables.is_empty() {
        return Err(format!("database {db} has no tables: nothing to dump"));
    }
    let (snapshot, cluster) = match (&ctx.state.snapshot, &ctx.state.cluster) {
        (Some(s), Some(c)) => (s.clone(), c.clone()),
        _ => return Err("no restored cluster".into()),
    };
    let plan = Plan {
        version: shards::PLAN_VERSION,
        run_id: ctx.run.run_id.clone(),
        job: ctx.kind.name().to_owned(),
        date: ctx.run.date.clone(),
        started: ctx.run.started.clone(),
        expires: ctx.run.expires.clone(),
        snapshot,
        cluster,
        password_secret: ctx.state.secret_arn.clone().ok_or("no password secret")?,
        dump_url: url.clone(),
        database: db,
        chunk_bytes,
        requested: ctx.state.requested,
        shards: shards::deal(&tables, ctx.state.requested),
        tables,
    };
    let text = serde_json::to_vec_pretty(&plan).map_err(|e| e.to_string())?;
    let items = plan.items().to_string().into_bytes();
    let plan_url2 = plan_url.clone();
    let kms_key = ctx.cfg.restore.kms_key_id.clone();
    tokio::task::spawn_blocking(move || -> Result<(), String> {
        let sealed = S3Dump::open_encrypted(&plan_url2, &kms_key).map_err(|e| e.to_string())?;
        sealed.put(shards::PLAN, text).map_err(|e| e.to_string())?;
        // The shard list holds no key value: plain, so that a Distributed
        // Map's role reads it without the key.
        let s3 = S3Dump::open(&plan_url2).map_err(|e| e.to_string())?;
        s3.put(shards::ITEMS, items).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| format!("the S3 thread failed: {e}"))??;
    let mut d = done(
        Step::Plan.action(),
        vec![format!("{plan_url}/{}", shards::PLAN), url],
    );
    // Per shard, its tables and how many of their chunks (no conditions:
    // they hold key values).
    let dealt: Vec<Value> = plan
        .shards
        .iter()
        .map(|pieces| {
            json!(pieces
                .iter()
                .map(|p| json!({"table": p.table, "chunks": p.chunks.len()}))
                .collect::<Vec<_>>())
        })
        .collect();
    d.details.insert("shards".into(), Value::Array(dealt));
    d.details.insert("requested".into(), json!(plan.requested));
    d.details.insert("chunks".into(), json!(plan.chunks()));
    d.details
        .insert("chunk_bytes".into(), json!(plan.chunk_bytes));
    ctx.state.tables = plan.tables.len();
    ctx.state.chunks = plan.chunks();
    ctx.state.plan = Some(plan);
    Ok(d)
}

/// `finish`: every shard's manifest (all must be there), merged and
/// checked against the plan, written as the dump's `manifest.json`.
async fn merge_step(ctx: &mut Ctx) -> Result<Done, String> {
    let plan = ctx.state.plan.clone().ok_or("no plan")?;
    let plan_url = ctx.state.plan_url.clone().ok_or("no plan location")?;
    let order: Vec<String> = plan.tables.iter().map(|t| t.display_name()).collect();
    let cut: Vec<usize> = plan.tables.iter().map(|t| t.conditions.len()).collect();
    let url = plan.dump_url.clone();
    let (n, requested) = (plan.shards.len(), plan.requested);
    let order2 = order.clone();
    let url2 = url.clone();
    let merged = tokio::task::spawn_blocking(move || -> Result<Manifest, String> {
        let store = S3Dump::open(&plan_url).map_err(|e| e.to_string())?;
        let mut parts = Vec::with_capacity(n);
        for i in 0..n {
            let name = shards::shard_manifest(i);
            let bytes = store
                .get(&name)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| {
                    format!("shard {i}/{requested} has not finished (no {plan_url}/{name})")
                })?;
            let m: Manifest = serde_json::from_slice(&bytes)
                .map_err(|e| format!("{plan_url}/{name}: not a dump manifest: {e}"))?;
            parts.push(m);
        }
        let m = Manifest::merge(parts, &order2).map_err(|e| e.to_string())?;
        let got: Vec<String> = m.tables.iter().map(|t| t.display_name()).collect();
        if got != order2 {
            return Err(format!(
                "the shards dumped {} tables, the plan has {}: {}",
                got.len(),
                order2.len(),
                order2
                    .iter()
                    .filter(|t| !got.contains(t))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        // Merge checked each table's parts against each other; here the
        // whole against the plan's cut.
        for (t, n) in m.tables.iter().zip(&cut) {
            if t.chunks.len() != *n {
                return Err(format!(
                    "the shards dumped {} chunks of table {}, the plan cut it into {n}",
                    t.chunks.len(),
                    t.display_name()
                ));
            }
        }
        let dump = S3Dump::open(&url2).map_err(|e| e.to_string())?;
        dump.check_no_manifest().map_err(|e| e.to_string())?;
        let mut text = serde_json::to_vec_pretty(&m).map_err(|e| e.to_string())?;
        text.push(b'\n');
        dump.put(MANIFEST, text).map_err(|e| e.to_string())?;
        Ok(m)
    })
    .await
    .map_err(|e| format!("the merge thread failed: {e}"))??;
    let mut tables = Vec::new();
    for t in &merged.tables {
        let bytes: u64 = t.chunks.iter().map(|c| c.file.bytes).sum();
        tables.push(json!({"table": t.display_name(), "rows": t.rows, "bytes": bytes}));
    }
    ctx.state.tables = merged.tables.len();
    ctx.state.chunks = merged.tables.iter().map(|t| t.chunks.len()).sum();
    ctx.state.rows = merged.tables.iter().map(|t| t.rows).sum();
    ctx.state.dump_url = Some(url.clone());
    let mut d = done(Step::Merge.action(), vec![format!("{url}/{MANIFEST}")]);
    d.details.insert("shards".into(), json!(n));
    d.details.insert("tables".into(), Value::Array(tables));
    Ok(d)
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

/// A shard's files go to the dump's location, its manifest (the shard's
/// done marker, merged by `finish`) under the plan prefix.
#[derive(Debug)]
struct ShardPublish {
    dump: S3Dump,
    plan: S3Dump,
    manifest: String,
}

impl masker_mysql::dump::Publish for ShardPublish {
    fn publish(&self, local: &std::path::Path, name: &str) -> masker_mysql::Result<()> {
        if name == MANIFEST {
            self.plan.upload(local, &self.manifest)
        } else {
            self.dump.upload(local, name)
        }
    }

    /// Chunk files stream to the run's dump prefix as they are written.
    fn stream(
        &self,
        name: &str,
    ) -> masker_mysql::Result<Option<Box<dyn masker_mysql::files::StreamedObject>>> {
        masker_mysql::dump::Publish::stream(&self.dump, name)
    }
}

async fn dump_step(ctx: &mut Ctx) -> Result<Done, String> {
    ensure_password(ctx).await?;
    let url = dump_url(ctx)?;
    let connector = connector(ctx)?;
    // run-shard: only this shard's chunks, cut as the plan says; the
    // manifest to the plan prefix.
    let mut shard = match (ctx.state.shard, &ctx.state.plan, &ctx.state.plan_url) {
        (Some(i), Some(p), Some(plan_url)) => {
            if chunk_bytes(&ctx.cfg) != p.chunk_bytes {
                return Err(format!(
                    "dump.chunk_mb gives chunks of {} bytes, the plan cut the tables for {}: \
                     run the shards with the job file the plan was made with",
                    chunk_bytes(&ctx.cfg),
                    p.chunk_bytes
                ));
            }
            let mut selection = Vec::new();
            for piece in p.shards.get(i).map(Vec::as_slice).unwrap_or_default() {
                let t = p
                    .tables
                    .iter()
                    .find(|t| t.name == piece.table)
                    .ok_or_else(|| {
                        format!("shard {i}: table {} is not in the plan", piece.table)
                    })?;
                selection.push(ChunkSelection::new(t.clone(), piece.chunks.clone()));
            }
            Some((i, selection, plan_url.clone()))
        }
        _ => None,
    };
    let mut opts = DumpOptions::default();
    opts.lock = false;
    opts.threads = ctx.cfg.dump.threads.unwrap_or(2);
    opts.chunk_bytes = chunk_bytes(&ctx.cfg);
    if ctx.cfg.dump.format.as_deref() == Some("tsv") {
        opts.format = Format::Tsv;
    }
    opts.filter.databases = vec![ctx.cfg.database.name.clone()];
    opts.tool = format!("masker-aws {}", env!("CARGO_PKG_VERSION"));
    let rules_path = ctx.cfg.dump.rules.clone();
    let bigquery = ctx.cfg.dump.bigquery;
    let mut dir = staging("dump", &ctx.run);
    if let Some((i, selection, _)) = &mut shard {
        opts.filter.tables = selection.iter().map(|s| s.table.display_name()).collect();
        opts.preset = Some(Arc::new(std::mem::take(selection)));
        dir = staging(&format!("dump-shard-{i}"), &ctx.run);
    }
    let shard_index = shard.as_ref().map(|(i, _, _)| *i);
    let url2 = url.clone();
    let outcome = tokio::task::spawn_blocking(move || -> Result<_, String> {
        if let Some(path) = &rules_path {
            let rules = read_rules(path)?;
            let (_, sha) = masker_mysql::files::hash_file(path).map_err(|e| e.to_string())?;
            opts.rules = Some(Arc::new(rules));
            opts.rules_sha256 = Some(sha);
        }
        if bigquery {
            let options = match opts.rules.as_deref() {
                Some(r) => masker_core::export::ExportOptions::from_rules(r.export()),
                None => Ok(masker_core::export::ExportOptions::default()),
            };
            opts.bigquery = Some(options.map_err(|e| format!("dump.rules {e}"))?);
        }
        let s3 = S3Dump::open(&url2).map_err(|e| e.to_string())?;
        s3.check_no_manifest().map_err(|e| e.to_string())?;
        opts.publish = Some(match shard {
            Some((i, _, plan_url)) => Arc::new(ShardPublish {
                dump: s3,
                plan: S3Dump::open(&plan_url).map_err(|e| e.to_string())?,
                manifest: shards::shard_manifest(i),
            }),
            None => Arc::new(s3),
        });
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
    ctx.state.chunks = m.tables.iter().map(|t| t.chunks.len()).sum();
    ctx.state.rows = m.tables.iter().map(|t| t.rows).sum();
    ctx.state.dump_url = Some(url.clone());
    let mut d = done("masker-mysql:dump", vec![url]);
    if let Some(i) = shard_index {
        d.details.insert("shard".into(), json!(i));
        // The run's dump is complete only after `finish`: no scratch
        // database of this process to drop.
        ctx.state.dump_url = None;
    }
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

/// What the restore test's thread found: tables verified, passed,
/// problems (names and counts, never a value), the leak proof's figures,
/// and whether the proof found an original value in the dump.
type Tested = (usize, bool, Vec<String>, Option<Value>, bool);

async fn restore_test_step(ctx: &mut Ctx) -> Result<Done, Failed> {
    ensure_password(ctx).await?;
    let url = ctx.state.dump_url.clone().ok_or("no dump")?;
    let connector = connector(ctx)?;
    let scratch = ctx.run.scratch_database();
    let threads = ctx.cfg.dump.threads.unwrap_or(2);
    let scratch2 = scratch.clone();
    let url2 = url.clone();
    // The mask job also proves that no original value of a masked column
    // survives in what was uploaded (the loaded copy, shown equal to it).
    let leak_proof = match (&ctx.cfg.dump.rules, ctx.kind) {
        (Some(path), JobKind::Mask) => Some((read_rules(path)?, ctx.cfg.database.name.clone())),
        _ => None,
    };
    let result = tokio::task::spawn_blocking(move || -> Result<Tested, String> {
        // Every file is streamed from S3 as it is loaded and hashed: the
        // platform machine needs no disk for the dump.
        let run = || -> Result<Tested, String> {
            let s3 = S3Dump::open(&url2).map_err(|e| e.to_string())?;
            let mut lo = LoadOptions::default();
            lo.threads = threads;
            lo.into_database = Some(scratch2.clone());
            masker_mysql::load::load_from(&connector, &s3, &lo, &LoadProgress::default())
                .map_err(|e| e.to_string())?;
            let mut vo = VerifyOptions::default();
            vo.threads = threads;
            vo.into_database = Some(scratch2.clone());
            let report = masker_mysql::verify::verify_from(&connector, &s3, &vo)
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
            let mut proof = None;
            let mut leaked = false;
            if let (true, Some((rules, original))) = (report.ok(), &leak_proof) {
                let (leaks, originals) = masker_mysql::leaks::prove(
                    &connector,
                    rules,
                    original,
                    &scratch2,
                    masker_core::leak::LeakOptions::default(),
                )
                .map_err(|e| format!("the leak proof: {e}"))?;
                // Names and counts only, never a value.
                for (column, survivors) in &leaks.columns {
                    problems.push(format!(
                        "{column}: {} value(s) hold an original value of a masked column",
                        survivors.values
                    ));
                }
                leaked = leaks.leaked();
                proof = Some(json!({
                    "originals": originals,
                    "lookups": leaks.lookups,
                    "survivor_columns": leaks.columns.len(),
                }));
            }
            let passed = report.ok() && problems.is_empty();
            Ok((report.tables.len(), passed, problems, proof, leaked))
        };
        let r = run();
        let dropped = drop_database(&connector, &scratch2);
        let r = r?;
        dropped?;
        Ok(r)
    })
    .await
    .map_err(|e| format!("the restore-test thread failed: {e}"))?;
    let ok = matches!(&result, Ok((_, true, _, _, _)));
    ctx.metrics.restore_test(ok);
    let (tables, passed, mut problems, proof, leaked) = result?;
    if leaked {
        // A masked copy that holds personal data is not left where
        // developers and analysts fetch it: every version goes, and the
        // prefix is listed again to show it.
        ctx.state.dump_leaked = true;
        let removed = dump_objects::delete(&ctx.aws, &url, &ctx.run.run_id).await;
        let mut failed = Failed {
            resources: removed.objects(),
            ..Failed::default()
        };
        if let Some(p) = proof {
            failed.details.insert("leak_proof".into(), p);
        }
        failed
            .details
            .insert("dump_objects".into(), removed.details());
        failed.cause = match removed.problem() {
            None => {
                problems.push(format!(
                    "the uploaded dump was deleted ({} version(s) and {} unfinished upload(s), \
                     every version under {url}/): it holds original values",
                    removed.versions.len(),
                    removed.uploads.len()
                ));
                format!("the restore test failed: {}", problems.join("; "))
            }
            // Said first: personal data is still in the bucket.
            Some(problem) => format!(
                "the uploaded dump holds original values and could not be deleted, \
                 it is still in S3: {problem}; the restore test failed: {}",
                problems.join("; ")
            ),
        };
        return Err(failed);
    }
    if !passed {
        return Err(format!("the restore test failed: {}", problems.join("; ")).into());
    }
    let mut d = done("masker-mysql:load+verify", vec![url]);
    d.details.insert("scratch_database".into(), json!(scratch));
    d.details.insert("tables_verified".into(), json!(tables));
    if let Some(p) = proof {
        d.details.insert("leak_proof".into(), p);
    }
    Ok(d)
}

/// The rules file of `[dump] rules`, with its key from the environment.
fn read_rules(path: &std::path::Path) -> Result<masker_core::rules::Rules, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("dump.rules {}: {e}", path.display()))?;
    masker_core::rules::RulesBuilder::new()
        .toml(&text, &path.display().to_string())
        .key_from_env()
        .build()
        .map_err(|e| format!("dump.rules {}: {e}", path.display()))
}

async fn staging_step(ctx: &mut Ctx) -> Result<Done, String> {
    ensure_password(ctx).await?;
    let url = ctx.state.dump_url.clone().ok_or("no dump")?;
    let accounts = ctx
        .cfg
        .staging
        .as_ref()
        .map(|s| s.share_with.clone())
        .unwrap_or_default();
    let connector = connector(ctx)?;
    let name = ctx.cfg.database.name.clone();
    let threads = ctx.cfg.dump.threads.unwrap_or(2);
    tokio::task::spawn_blocking(move || -> Result<(), String> {
        let s3 = S3Dump::open(&url).map_err(|e| e.to_string())?;
        // The original (unmasked) database is replaced by the masked one.
        drop_database(&connector, &name)?;
        let mut lo = LoadOptions::default();
        lo.threads = threads;
        masker_mysql::load::load_from(&connector, &s3, &lo, &LoadProgress::default())
            .map_err(|e| e.to_string())?;
        let mut vo = VerifyOptions::default();
        vo.threads = threads;
        let report =
            masker_mysql::verify::verify_from(&connector, &s3, &vo).map_err(|e| e.to_string())?;
        if !report.ok() {
            return Err("the masked data loaded back differs from the dump".into());
        }
        Ok(())
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
/// the staging snapshot when the job failed; a missing one counts as
/// deleted; a sharded run's plan objects, every version, and its secret;
/// a failed run's dump, every version, when it has no manifest or leaked),
/// recording each delete; then count what is left.
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
    // A sharded run's plan objects (`plan.json` holds original key values):
    // every version, whatever the outcome. If they cannot all be deleted,
    // the run's secret (tagged with the plan URL) is kept, so that `sweep`
    // still finds the run and deletes them once it has expired.
    let mut plan_removed = None;
    if let Some(plan_url) = &ctx.state.plan_url {
        let r = plan_objects::delete(&ctx.aws, plan_url).await;
        deleted.extend(r.objects());
        if let Some(problem) = r.problem() {
            errors.push(format!(
                "{problem} (the run's secret is kept until the plan's objects are gone)"
            ));
        }
        plan_removed = Some(r);
    }
    let keep_secret = plan_removed.as_ref().is_some_and(|r| !r.complete());
    if !keep_secret {
        if let Some(arn) = &ctx.state.secret_arn {
            targets.push((Kind::Secret, arn.clone()));
        } else if ctx.state.plan_url.is_some() || ctx.cfg.restore.password_secret {
            // Failed between creating the secret and recording it.
            targets.push((Kind::Secret, cloud::secret_name(&ctx.run)));
        }
    }
    // After the cluster is gone: the parameter group this run made (never
    // a configured one).
    targets.push((Kind::ParameterGroup, ctx.run.audit_group_id()));
    for (kind, id) in &targets {
        match cloud::delete(&ctx.aws, *kind, id).await {
            Ok(Deleted::Yes) => {
                deleted.push(id.clone());
                // RDS deletes in the background: the cluster cannot go
                // before its instance, nor the group before its cluster.
                if matches!(kind, Kind::Instance | Kind::Cluster) {
                    if let Err(e) =
                        cloud::wait_gone(&ctx.aws, *kind, id, ctx.cfg.restore.wait_seconds).await
                    {
                        errors.push(e.to_string());
                    }
                }
            }
            Ok(Deleted::Missing) => {}
            Err(e) => errors.push(e.to_string()),
        }
    }
    // A failed run's partial dump (files without a manifest: nothing can
    // load them), and a dump the leak proof found original values in (the
    // restore test deleted it; anything left of it goes now): every
    // version and unfinished upload under the run's prefix. A dump with
    // its manifest is kept otherwise, even one whose restore test failed:
    // it is the evidence.
    let mut dump_removed = None;
    if failed {
        if let Ok(url) = dump_url(ctx) {
            let leaked = ctx.state.dump_leaked;
            let url2 = url.clone();
            let kept = tokio::task::spawn_blocking(move || -> Result<bool, String> {
                if leaked {
                    return Ok(false);
                }
                // The current version: a manifest under a delete marker is
                // no manifest.
                let s3 = S3Dump::open(&url2).map_err(|e| e.to_string())?;
                Ok(s3.get(MANIFEST).map_err(|e| e.to_string())?.is_some())
            })
            .await
            .map_err(|e| format!("the cleanup thread failed: {e}"))
            .and_then(|r| r);
            match kept {
                Ok(true) => {}
                Ok(false) => {
                    let r = dump_objects::delete(&ctx.aws, &url, &ctx.run.run_id).await;
                    deleted.extend(r.objects());
                    if let Some(problem) = r.problem() {
                        errors.push(format!("the run's dump: {problem}"));
                    }
                    // Nothing there (a run that failed before its dump):
                    // nothing to record.
                    dump_removed = (!r.is_empty()).then_some(r);
                }
                Err(e) => errors.push(e),
            }
        }
    }
    let mut left: Vec<String> = match cloud::tagged_resources(&ctx.aws).await {
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
    // And any version (or upload) of a plan object or of the deleted dump
    // that the listing after their deletion still found.
    for r in plan_removed.iter().chain(&dump_removed) {
        left.extend(r.left.iter().cloned());
    }
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
    if let Some(r) = &plan_removed {
        details.insert("plan_objects".into(), r.details());
    }
    if let Some(r) = &dump_removed {
        details.insert("dump_objects".into(), r.details());
    }
    let mut action = Vec::new();
    if plan_removed.is_some() || dump_removed.is_some() {
        action.push("s3:AbortMultipartUpload,s3:DeleteObjectVersion");
    }
    action.push(
        "rds:DeleteDBInstance,rds:DeleteDBCluster,rds:DeleteDBClusterSnapshot,\
         rds:DeleteDBClusterParameterGroup",
    );
    if ctx.state.plan_url.is_some() {
        action.push("secretsmanager:DeleteSecret");
    }
    ctx.audit.append(&Entry {
        step: "cleanup".into(),
        action: action.join(","),
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

/// What `sweep` deleted.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Swept {
    /// ARNs of the expired resources deleted.
    pub resources: Vec<String>,
    /// Versions (and delete markers) of expired runs' plan objects deleted,
    /// as `s3://bucket/key version <id>`, and uploads aborted, as
    /// `s3://bucket/key upload <id>`.
    pub plan_objects: Vec<String>,
}

/// `sweep`: delete every resource tagged by a run whose expiry has passed
/// (instances first, then clusters, then snapshots, secrets and parameter
/// groups) and, before them, the plan objects (every version) of each such
/// run whose resources carry a plan tag (a sharded run's cluster and
/// secret); recording all in one audit record. A run whose plan objects
/// cannot all be deleted keeps its secret, so that the next sweep finds it
/// again. Idempotent: what is gone is not found again.
pub async fn sweep(aws: &Aws, audit: &mut AuditLog, now: SystemTime) -> Result<Swept, JobError> {
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
        Kind::Secret => 3,
        Kind::ParameterGroup => 4,
    });
    let mut swept = Swept::default();
    let mut errors = Vec::new();
    // (run id, plan URL) of the expired sharded runs.
    let plans: std::collections::BTreeSet<(String, String)> = expired
        .iter()
        .filter_map(|r| Some((r.run_id.clone(), r.plan_url.clone()?)))
        .collect();
    let mut kept = std::collections::BTreeSet::new();
    let mut plan_details = Vec::new();
    let mut plan_resources = Vec::new();
    for (run_id, url) in &plans {
        let r = plan_objects::delete(aws, url).await;
        swept.plan_objects.extend(
            r.uploads
                .iter()
                .map(|u| format!("{} upload {}", r.url(&u.name), u.upload_id)),
        );
        swept.plan_objects.extend(
            r.versions
                .iter()
                .map(|v| format!("{} version {}", r.url(&v.name), v.version_id)),
        );
        plan_resources.extend(r.objects());
        let mut d = r.details();
        d["run_id"] = json!(run_id);
        d["plan"] = json!(url);
        if let Some(problem) = r.problem() {
            errors.push(format!(
                "run {run_id}: {problem} (its secret is kept until the plan's objects are gone)"
            ));
            kept.insert(run_id.clone());
        }
        plan_details.push(d);
    }
    for r in &expired {
        if r.kind == Kind::Secret && kept.contains(&r.run_id) {
            continue;
        }
        match cloud::delete(aws, r.kind, &r.id).await {
            Ok(Deleted::Yes) => swept.resources.push(r.arn.clone()),
            Ok(Deleted::Missing) => {}
            Err(e) => errors.push(e.to_string()),
        }
    }
    let mut details = Map::new();
    if !plans.is_empty() {
        details.insert("plan_objects".into(), Value::Array(plan_details));
    }
    audit.append(&Entry {
        step: "sweep".into(),
        action: "s3:AbortMultipartUpload,s3:DeleteObjectVersion,rds:DeleteDBInstance,\
                 rds:DeleteDBCluster,rds:DeleteDBClusterSnapshot,secretsmanager:DeleteSecret,\
                 rds:DeleteDBClusterParameterGroup"
            .into(),
        resources: swept
            .resources
            .iter()
            .cloned()
            .chain(plan_resources)
            .collect(),
        outcome: if errors.is_empty() { "ok" } else { "failed" }.into(),
        error: (!errors.is_empty()).then(|| errors.join("; ")),
        started: rfc3339(started_at),
        duration_ms: t.elapsed().as_millis() as u64,
        details,
    })?;
    if errors.is_empty() {
        Ok(swept)
    } else {
        Err(JobError::Step {
            step: "sweep",
            cause: errors.join("; "),
        })
    }
}
