//! The job commands of `masker-aws`: `backup`, `mask`, `sweep` and
//! `audit verify`. This module owns the flags, the tokio runtime and the
//! signal handling at the edge; the jobs themselves are library calls into
//! `masker_aws::jobs`.

use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use masker_aws::jobs::audit::{self, AuditLog};
use masker_aws::jobs::cloud::Aws;
use masker_aws::jobs::config::{AwsSection, JobConfig, JobKind};
use masker_aws::jobs::names::RunNames;
use masker_aws::jobs::run::{run_job, sweep};

/// Flags of `backup` and `mask`.
#[derive(Debug, Args)]
pub struct JobArgs {
    /// The job file (job.toml).
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
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
    let rt = runtime()?;
    let result = rt.block_on(run_job(cfg, kind, shutdown_signal()));
    // After a signal the dump or load thread may still run: do not wait for it.
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    let report = result?;
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
