//! The job commands of `masker-aws`: `backup`, `mask`, `sweep`, `audit
//! verify`, the sharded run (`plan`, `run-shard`, `finish`, `cleanup`) and
//! `state-machine`. This module owns the flags, the tokio runtime and the
//! signal handling at the edge; the jobs themselves are library calls into
//! `masker_aws::jobs`.

use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use masker_aws::jobs::audit::{self, AuditLog};
use masker_aws::jobs::audit_cloudwatch;
use masker_aws::jobs::cloud::{self, Aws};
use masker_aws::jobs::config::{AuditSection, AwsSection, JobConfig, JobKind};
use masker_aws::jobs::names::RunNames;
use masker_aws::jobs::run::{self, run_job, sweep};
use masker_aws::jobs::shards::shard_index;
use masker_aws::jobs::state_machine::{definition, StateMachineOptions};

/// Flags of `backup` and `mask`.
#[derive(Debug, Args)]
pub struct JobArgs {
    /// The job file (job.toml).
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
}

/// Flags of `plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The job file (job.toml).
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
    /// Deal the tables' chunks to at most N shards.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10000))]
    shards: u32,
    /// `backup` or `mask` [default: mask when `[dump] rules` is set].
    #[arg(long, value_name = "JOB")]
    job: Option<String>,
    /// Where to write the plan (an s3:// prefix)
    /// [default: <output.s3>/_plans/<run id>].
    #[arg(long, value_name = "URL")]
    plan: Option<String>,
}

/// Flags of `run-shard`, `finish` and `cleanup`.
#[derive(Debug, Args)]
pub struct PlanRunArgs {
    /// The job file (job.toml): the same as `plan` had.
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
    /// The plan's s3:// prefix, as `plan` printed it.
    #[arg(long, value_name = "URL")]
    plan: String,
}

/// Flags of `run-shard`.
#[derive(Debug, Args)]
pub struct RunShardArgs {
    #[command(flatten)]
    run: PlanRunArgs,
    /// The shard to run, I/N (default: AWS_BATCH_JOB_ARRAY_INDEX with N
    /// from the plan).
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
}

/// Flags of `state-machine`.
#[derive(Debug, Args)]
pub struct StateMachineArgs {
    /// The job file (job.toml).
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
    /// Shards of each run.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10000))]
    shards: u32,
    /// AWS Batch job queue the tasks run in.
    #[arg(long, value_name = "QUEUE")]
    job_queue: String,
    /// AWS Batch job definition of the masker image (see the Dockerfile).
    #[arg(long, value_name = "DEFINITION")]
    job_definition: String,
    /// The job file's path inside the image [default: the --config path].
    #[arg(long, value_name = "PATH")]
    config_in_image: Option<String>,
    /// Shards running at once.
    #[arg(long, value_name = "N", default_value_t = 8)]
    max_concurrency: usize,
}

/// Flags of `sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// AWS API endpoint (default: AWS's for the configured region).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    /// Region (default: from the AWS environment).
    #[arg(long)]
    region: Option<String>,
    /// The audit log the deletions are appended to.
    #[arg(long, value_name = "FILE")]
    audit: PathBuf,
}

/// `audit` subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain of an audit log: an edited, inserted or removed
    /// record is reported with its line (or CloudWatch Logs event) number.
    Verify(VerifyArgs),
}

/// Flags of `audit verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The audit log (JSON lines): a file, or the s3:// URL of a copy.
    #[arg(value_name = "FILE|S3_URL", required_unless_present = "log_group")]
    file: Option<PathBuf>,
    /// Read the log from this CloudWatch Logs log group instead
    /// (`[audit] cloudwatch_log_group`).
    #[arg(
        long,
        value_name = "GROUP",
        requires = "log_stream",
        conflicts_with = "file"
    )]
    log_group: Option<String>,
    /// The stream of --log-group: `<run id>/<command>`.
    #[arg(long, value_name = "STREAM", requires = "log_group")]
    log_stream: Option<String>,
    /// AWS API endpoint for --log-group (default: AWS's for the region).
    #[arg(long, value_name = "URL", requires = "log_group")]
    endpoint_url: Option<String>,
    /// Region for --log-group (default: from the AWS environment).
    #[arg(long, requires = "log_group")]
    region: Option<String>,
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Where a command's audit log is copied when it ends: `[audit]` and the
/// `[aws]` its CloudWatch Logs client uses.
struct AuditCopies {
    audit: AuditSection,
    aws: AwsSection,
}

impl AuditCopies {
    fn of(cfg: &JobConfig) -> AuditCopies {
        AuditCopies {
            audit: cfg.audit.clone(),
            aws: cfg.aws.clone(),
        }
    }
}

/// With `[audit] s3` and/or `[audit] cloudwatch_log_group`, copy the whole
/// audit log (its chain from the first record, so `audit verify` checks the
/// copy) to `<s3>/<run id>/<command>.jsonl` and to the log group's stream
/// `<run id>/<command>` once the command has ended, whatever its outcome
/// (read under the writers' lock: other shards may be appending). Runs
/// outside the job's async runtime (which has been shut down). A job's own
/// error wins over a failed copy, which is then printed; a failed copy
/// fails a command that succeeded.
fn ship_audit<T>(copies: &AuditCopies, command: &str, result: Result<T>) -> Result<T> {
    let a = &copies.audit;
    if a.s3.is_none() && a.cloudwatch_log_group.is_none() {
        return result;
    }
    let Some(run_id) = audit::last_run_id(&a.path) else {
        return result;
    };
    let mut failures: Vec<anyhow::Error> = Vec::new();
    match audit::read_locked(&a.path) {
        Err(e) => failures.push(anyhow::Error::from(e).context("copying the audit log")),
        Ok(bytes) => {
            if let Some(url) = &a.s3 {
                let shipped = masker_mysql::store::S3Dump::open(&format!(
                    "{}/{run_id}",
                    url.trim_end_matches('/')
                ))
                .and_then(|s3| s3.put(&format!("{command}.jsonl"), bytes.clone()))
                .with_context(|| format!("copying the audit log to {url}"));
                if let Err(e) = shipped {
                    failures.push(e);
                }
            }
            if let Some(group) = &a.cloudwatch_log_group {
                let shipped = ship_to_cloudwatch(&copies.aws, group, &run_id, command, &bytes)
                    .with_context(|| {
                        format!("copying the audit log to CloudWatch Logs log group {group}")
                    });
                match shipped {
                    Ok(s) => eprintln!(
                        "masker-aws: audit log copied to CloudWatch Logs log group {} stream {} \
                         ({} records)",
                        s.group, s.stream, s.records
                    ),
                    Err(e) => failures.push(e),
                }
            }
        }
    }
    let last = failures.pop();
    for e in &failures {
        eprintln!("masker-aws: {e:#}");
    }
    match (result, last) {
        (Ok(v), None) => Ok(v),
        (Ok(_), Some(e)) => Err(e),
        (Err(e), None) => Err(e),
        (Err(e), Some(ship)) => {
            eprintln!("masker-aws: {ship:#}");
            Err(e)
        }
    }
}

/// Copy the log's `bytes` to a new stream of `group` (its own runtime).
fn ship_to_cloudwatch(
    aws: &AwsSection,
    group: &str,
    run_id: &str,
    command: &str,
    bytes: &[u8],
) -> Result<audit_cloudwatch::Shipped> {
    let text = std::str::from_utf8(bytes).context("the audit log is not UTF-8 text")?;
    let rt = runtime()?;
    let shipped = rt.block_on(async {
        let client = audit_cloudwatch::client(&cloud::sdk_config(aws).await);
        audit_cloudwatch::ship(&client, group, run_id, command, text, SystemTime::now()).await
    })?;
    Ok(shipped)
}

/// Resolves on the first SIGINT or SIGTERM.
async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        // Without handlers the default action (exit) applies; never resolve.
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}

/// `masker-aws backup|mask --config FILE`.
pub fn job(kind: JobKind, args: JobArgs) -> Result<()> {
    let cfg = JobConfig::read(&args.config, kind)?;
    let audit = AuditCopies::of(&cfg);
    let rt = runtime()?;
    let result = rt.block_on(run_job(cfg, kind, shutdown_signal()));
    // After a signal the dump or load thread may still run: do not wait for it.
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    let report = ship_audit(&audit, kind.name(), result.map_err(Into::into))?;
    println!(
        "masker-aws: {} job {} done: {} tables, {} rows in {}; audit head {}",
        kind.name(),
        report.run_id,
        report.tables,
        report.rows,
        report.dump_url,
        report.audit_head
    );
    Ok(())
}

fn job_kind(flag: Option<&str>) -> Result<Option<JobKind>> {
    flag.map(|j| JobKind::parse(j).with_context(|| format!("--job {j}: backup or mask")))
        .transpose()
}

/// `masker-aws plan`.
pub fn plan(args: PlanArgs) -> Result<()> {
    let (cfg, kind) = match job_kind(args.job.as_deref())? {
        Some(kind) => (JobConfig::read(&args.config, kind)?, kind),
        None => JobConfig::read_inferring_kind(&args.config)?,
    };
    if let Some(p) = &args.plan {
        if !p.starts_with("s3://") {
            bail!("--plan {p}: must be an s3:// prefix");
        }
    }
    let audit = AuditCopies::of(&cfg);
    let rt = runtime()?;
    let result = rt.block_on(run::plan_job(
        cfg,
        kind,
        args.shards as usize,
        args.plan,
        shutdown_signal(),
    ));
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    let r = ship_audit(&audit, "plan", result.map_err(Into::into))?;
    eprintln!(
        "masker-aws: {} run {} planned: {} tables ({} chunks) in {} shard(s); the cluster \
         stays up for run-shard, then finish (or cleanup)",
        kind.name(),
        r.run_id,
        r.tables,
        r.chunks,
        r.shards
    );
    println!("{}", r.plan_url);
    Ok(())
}

/// `masker-aws run-shard`.
pub fn run_shard(args: RunShardArgs) -> Result<()> {
    let env = std::env::var("AWS_BATCH_JOB_ARRAY_INDEX").ok();
    let (index, n) =
        shard_index(args.shard.as_deref(), env.as_deref()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let rt = runtime()?;
    let plan = rt.block_on(run::read_plan(&args.run.plan))?;
    if let Some(n) = n {
        if n != plan.requested {
            bail!(
                "--shard {index}/{n}: the plan has {} shards",
                plan.requested
            );
        }
    }
    let kind = plan.kind().map_err(|e| anyhow::anyhow!("{e}"))?;
    let cfg = JobConfig::read(&args.run.config, kind)?;
    let audit = AuditCopies::of(&cfg);
    let result = rt.block_on(run::run_shard(
        cfg,
        &args.run.plan,
        plan,
        index,
        shutdown_signal(),
    ));
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    let r = ship_audit(
        &audit,
        &format!("shard-{index}"),
        result.map_err(Into::into),
    )?;
    if r.tables == 0 {
        println!(
            "masker-aws: shard {index}: nothing to do (the plan has fewer chunks than shards)"
        );
    } else {
        println!(
            "masker-aws: shard {index} done: {} tables ({} chunks), {} rows",
            r.tables, r.chunks, r.rows
        );
    }
    Ok(())
}

/// `masker-aws finish`.
pub fn finish(args: PlanRunArgs) -> Result<()> {
    let rt = runtime()?;
    let plan = rt.block_on(run::read_plan(&args.plan))?;
    let kind = plan.kind().map_err(|e| anyhow::anyhow!("{e}"))?;
    let cfg = JobConfig::read(&args.config, kind)?;
    let audit = AuditCopies::of(&cfg);
    let result = rt.block_on(run::finish(cfg, &args.plan, plan, shutdown_signal()));
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    let report = ship_audit(&audit, "finish", result.map_err(Into::into))?;
    println!(
        "masker-aws: {} job {} done: {} tables, {} rows in {}; audit head {}",
        kind.name(),
        report.run_id,
        report.tables,
        report.rows,
        report.dump_url,
        report.audit_head
    );
    Ok(())
}

/// `masker-aws cleanup`.
pub fn cleanup(args: PlanRunArgs) -> Result<()> {
    let rt = runtime()?;
    let Some(plan) = rt.block_on(run::find_plan(&args.plan))? else {
        println!(
            "masker-aws: no plan at {}: nothing to clean up (sweep deletes what a crashed plan left)",
            args.plan
        );
        return Ok(());
    };
    let kind = plan.kind().map_err(|e| anyhow::anyhow!("{e}"))?;
    let cfg = JobConfig::read(&args.config, kind)?;
    let audit = AuditCopies::of(&cfg);
    let run_id = plan.run_id.clone();
    let result = rt.block_on(run::cleanup_run(cfg, &args.plan, plan));
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    ship_audit(&audit, "cleanup", result.map_err(Into::into))?;
    println!("masker-aws: run {run_id} cleaned up");
    Ok(())
}

/// `masker-aws state-machine`.
pub fn state_machine(args: StateMachineArgs) -> Result<()> {
    let (cfg, kind) = JobConfig::read_inferring_kind(&args.config)?;
    let o = StateMachineOptions {
        shards: args.shards as usize,
        job: kind.name().to_owned(),
        config_in_image: args
            .config_in_image
            .unwrap_or_else(|| args.config.display().to_string()),
        output_s3: cfg.output.s3.clone(),
        job_queue: args.job_queue,
        job_definition: args.job_definition,
        max_concurrency: args.max_concurrency.max(1),
    };
    let text = serde_json::to_string_pretty(&definition(&o)).context("encoding the definition")?;
    println!("{text}");
    Ok(())
}

/// `masker-aws sweep`.
pub fn sweep_cmd(args: SweepArgs) -> Result<()> {
    let rt = runtime()?;
    let section = AwsSection {
        region: args.region,
        endpoint_url: args.endpoint_url,
    };
    let now = SystemTime::now();
    let run = RunNames::new(now, 1);
    let mut log = AuditLog::open(&args.audit, &run.run_id, "sweep")?;
    let swept = rt.block_on(async {
        let aws = Aws::new(&section).await;
        sweep(&aws, &mut log, now).await
    })?;
    if swept.resources.is_empty() && swept.plan_objects.is_empty() {
        println!(
            "masker-aws: sweep deleted 0 expired resource(s) and 0 plan object(s): \
             nothing expired is left"
        );
        return Ok(());
    }
    println!(
        "masker-aws: sweep deleted {} expired resource(s) and {} plan object version(s)",
        swept.resources.len(),
        swept.plan_objects.len()
    );
    for what in swept.resources.iter().chain(&swept.plan_objects) {
        println!("  {what}");
    }
    Ok(())
}

/// `masker-aws audit verify FILE|S3_URL` or `--log-group G --log-stream S`.
pub fn audit_cmd(cmd: AuditCommand) -> Result<()> {
    let AuditCommand::Verify(args) = cmd;
    let (place, (n, head)) = match (&args.file, &args.log_group, &args.log_stream) {
        (_, Some(group), Some(stream)) => {
            let section = AwsSection {
                region: args.region.clone(),
                endpoint_url: args.endpoint_url.clone(),
            };
            let rt = runtime()?;
            let checked = rt.block_on(async {
                let client = audit_cloudwatch::client(&cloud::sdk_config(&section).await);
                audit_cloudwatch::verify(&client, group, stream).await
            });
            // Unwrapped so that a broken chain exits 1 (an `AuditError`)
            // and a failed read 2 (an AWS API failure).
            let checked = match checked {
                Ok(c) => c,
                Err(audit_cloudwatch::VerifyError::Chain(e)) => return Err(e.into()),
                Err(audit_cloudwatch::VerifyError::Read(e)) => return Err(e.into()),
            };
            (
                format!("CloudWatch Logs log group {group} stream {stream}"),
                checked,
            )
        }
        (Some(file), _, _) => match file.to_str().filter(|f| f.starts_with("s3://")) {
            Some(url) => {
                let (dir, name) = url
                    .rsplit_once('/')
                    .filter(|(dir, name)| dir.len() > "s3:/".len() && !name.is_empty())
                    .with_context(|| format!("{url}: name an object (s3://BUCKET/KEY)"))?;
                let bytes = masker_mysql::store::S3Dump::open(dir)
                    .and_then(|s3| s3.get(name))
                    .with_context(|| format!("reading {url}"))?
                    .with_context(|| format!("{url}: no such object"))?;
                (url.to_owned(), audit::verify_bytes(url, &bytes)?)
            }
            None => (file.display().to_string(), audit::verify(file)?),
        },
        _ => bail!("give the audit log FILE (or s3:// URL), or --log-group and --log-stream"),
    };
    println!("{place}: {n} records, chain intact, head {head}");
    Ok(())
}
