//! `masker load`: a `masker dump` directory into a server, on N connections.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use masker_mysql::load::{self, LoadOptions, LoadProgress};

use super::dump::{live_failure, rate, show_progress, ConnArgs, ProgressLine};
use crate::report::{bytes, Failure, EXIT_CONFIG};

/// Flags of `masker load`.
#[derive(Debug, Args)]
pub struct LoadArgs {
    #[command(flatten)]
    conn: ConnArgs,
    /// The dump: a directory or `s3://bucket/prefix` (written by `masker dump`).
    #[arg(value_name = "FROM")]
    from: String,
    /// Connections, each loading chunks in parallel.
    #[arg(long, short = 't', default_value_t = 2)]
    threads: usize,
    /// Load a one-database dump into this database instead (a scratch copy).
    #[arg(long, value_name = "NAME")]
    into_database: Option<String>,
    /// Progress log that lets a killed load resume (default: FROM/load-progress.log;
    /// none for an S3 dump unless given).
    #[arg(long, value_name = "FILE", conflicts_with = "no_progress_log")]
    progress_log: Option<PathBuf>,
    /// Keep no progress log (a killed load cannot resume).
    #[arg(long)]
    no_progress_log: bool,
    /// Load rows under STRICT_ALL_TABLES and fail on any server warning:
    /// proves every (masked) value fits its column exactly.
    #[arg(long)]
    strict: bool,
    /// Show progress even when stderr is not a terminal.
    #[arg(long)]
    progress: bool,
    /// No progress and no summary.
    #[arg(long, short = 'q')]
    quiet: bool,
}

pub fn run(args: LoadArgs) -> Result<std::process::ExitCode, Failure> {
    if args.threads == 0 {
        return Err(Failure::new(EXIT_CONFIG, "--threads must be at least 1"));
    }
    let connector = args.conn.connector()?;
    let from_s3 = masker_mysql::store::is_s3(&args.from);
    let source = super::dump::dump_source(&args.from)?;
    let mut opts = LoadOptions::default();
    opts.threads = args.threads;
    opts.into_database = args.into_database;
    opts.strict = args.strict;
    opts.progress_log = match (&args.progress_log, args.no_progress_log, from_s3) {
        (_, true, _) => None,
        (Some(p), _, _) => Some(p.clone()),
        (None, _, false) => Some(Path::new(&args.from).join("load-progress.log")),
        (None, _, true) => None,
    };
    let progress = Arc::new(LoadProgress::default());
    let p = progress.clone();
    let line = ProgressLine::start(show_progress(args.progress, args.quiet), move |t| {
        let b = p.bytes.load(Ordering::Relaxed);
        format!(
            "load: {} chunks, {} rows, {} read ({}/s)",
            p.chunks_done.load(Ordering::Relaxed),
            p.rows.load(Ordering::Relaxed),
            bytes(b),
            rate(b, t)
        )
    });
    let started = Instant::now();
    let result = load::load_from(&connector, source.as_ref(), &opts, &progress);
    line.stop();
    let s = result.map_err(live_failure)?;
    if !args.quiet {
        let took = started.elapsed();
        let read = progress.bytes.load(Ordering::Relaxed);
        eprintln!(
            "masker: loaded {} tables ({} chunks, {} rows, {} read), {} objects, {} sequences in {:.2} s ({}/s); {} server warnings{}",
            s.tables,
            s.chunks,
            s.rows,
            bytes(read),
            s.objects,
            s.sequences,
            took.as_secs_f64(),
            rate(read, took),
            s.warnings,
            if s.resumed_steps > 0 {
                format!("; resumed: {} steps were already done", s.resumed_steps)
            } else {
                String::new()
            }
        );
    }
    Ok(std::process::ExitCode::SUCCESS)
}
