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
use masker_aws::jobs::cloud::Aws;
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
    /// Cut the tables into at most N shards.
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
    /// line is reported with its line number.
    Verify {
        /// The audit log (JSON lines).
        file: PathBuf,
    },
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// With `[audit] s3`, copy the whole audit log (its chain from the first
/// record, so `audit verify` checks the copy) to
/// `<s3>/<run id>/<command>.jsonl` once the command has ended, whatever its
/// outcome (read under the writers' lock: other shards may be appending). Runs outside the async runtime (the S3 client has its own). A
/// job's own error wins over a failed copy, which is then printed.
fn ship_audit<T>(audit: &AuditSection, command: &str, result: Result<T>) -> Result<T> {
    let Some(url) = &audit.s3 else {
        return result;
    };
    let Some(run_id) = audit::last_run_id(&audit.path) else {
        return result;
    };
    let shipped = audit::read_locked(&audit.path)
        .map_err(anyhow::Error::from)
        .and_then(|bytes| {
            masker_mysql::store::S3Dump::open(&format!("{}/{run_id}", url.trim_end_matches('/')))
                .and_then(|s3| s3.put(&format!("{command}.jsonl"), bytes))
                .map_err(anyhow::Error::from)
        })
        .with_context(|| format!("copying the audit log to {url}"));
    match (result, shipped) {
        (Ok(v), Ok(())) => Ok(v),
        (Ok(_), Err(e)) => Err(e),
        (Err(e), Ok(())) => Err(e),
        (Err(e), Err(ship)) => {
            eprintln!("masker-aws: {ship:#}");
            Err(e)
        }
    }
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
    let audit = cfg.audit.clone();
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
    let audit = cfg.audit.clone();
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
        "masker-aws: {} run {} planned: {} tables in {} shard(s); the cluster stays up for \
         run-shard, then finish (or cleanup)",
        kind.name(),
        r.run_id,
        r.tables,
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
    let audit = cfg.audit.clone();
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
            "masker-aws: shard {index}: nothing to do (the plan has fewer tables than shards)"
        );
    } else {
        println!(
            "masker-aws: shard {index} done: {} tables, {} rows",
            r.tables, r.rows
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
    let audit = cfg.audit.clone();
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
    let audit = cfg.audit.clone();
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
    let deleted = rt.block_on(async {
        let aws = Aws::new(&section).await;
        sweep(&aws, &mut log, now).await
    })?;
    println!(
        "masker-aws: sweep deleted {} expired resource(s)",
        deleted.len()
    );
    for arn in deleted {
        println!("  {arn}");
    }
    Ok(())
}

/// `masker-aws audit verify FILE`.
pub fn audit_cmd(cmd: AuditCommand) -> Result<()> {
    match cmd {
        AuditCommand::Verify { file } => {
            let (n, head) = audit::verify(&file)?;
            println!("{}: {n} records, chain intact, head {head}", file.display());
            Ok(())
        }
    }
}
