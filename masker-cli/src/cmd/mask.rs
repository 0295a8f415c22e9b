//! `masker mask`: stream a dump through the rules.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use clap::Args;
use masker_core::{mask_reader, MaskOptions, Summary};

use crate::io::{open_input, open_output, Compression};
use crate::report::{bytes, Failure, EXIT_IO};

/// Flags of `masker mask`.
#[derive(Debug, Args)]
pub struct MaskArgs {
    /// Rules file (TOML). A file with no tables gives the identity.
    #[arg(long, short = 'r', value_name = "RULES.toml")]
    rules: PathBuf,
    /// Input dump: a path, or `-` for stdin (gzip and zstd are detected).
    #[arg(value_name = "INPUT", default_value = "-")]
    input: PathBuf,
    /// Output path (default stdout). `.gz` / `.zst` compress. Written to a
    /// temporary file and renamed only on success.
    #[arg(long, short = 'o', value_name = "OUTPUT")]
    output: Option<PathBuf>,
    /// Compression of the output (default: from the output's extension).
    #[arg(long, value_enum)]
    compress: Option<Compression>,
    /// Worker threads (default: all cores). Output is identical for every value.
    #[arg(long, short = 't')]
    threads: Option<usize>,
    /// Do not fail when a rule names a table that is not in the dump.
    #[arg(long)]
    allow_missing: bool,
    /// Show a progress bar even when stderr is not a terminal.
    #[arg(long)]
    progress: bool,
    /// No progress bar and no summary.
    #[arg(long, short = 'q')]
    quiet: bool,
}

pub fn run(args: MaskArgs) -> Result<std::process::ExitCode, Failure> {
    let rules = super::load_rules(&args.rules, true)?;
    let input = open_input(&args.input)?;
    let mut output = open_output(args.output.as_deref(), args.compress)?;
    let mut opts = MaskOptions {
        allow_missing: args.allow_missing,
        ..MaskOptions::default()
    };
    if let Some(t) = args.threads {
        if t == 0 {
            return Err(Failure::new(2, "--threads must be at least 1"));
        }
        opts.threads = t;
    }
    let show_progress = !args.quiet && (args.progress || std::io::stderr().is_terminal());
    let progress = show_progress.then(|| Progress::start(input.size, input.raw_count.clone()));
    let started = Instant::now();
    let result = mask_reader(&rules, input.reader, output.writer(), &opts);
    if let Some(p) = progress {
        p.stop();
    }
    let summary = result?;
    output.commit().map_err(|e| {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::new(0, "")
        } else {
            Failure::new(EXIT_IO, format!("cannot finish the output: {e}"))
        }
    })?;
    if !args.quiet {
        print_summary(&summary, started.elapsed());
    }
    Ok(std::process::ExitCode::SUCCESS)
}

fn print_summary(s: &Summary, took: Duration) {
    let secs = took.as_secs_f64().max(1e-9);
    eprintln!(
        "masker: {} in, {} out, {} statements, {} rows, {} tables in {:.2} s ({}/s)",
        bytes(s.bytes_in),
        bytes(s.bytes_out),
        s.statements,
        s.rows,
        s.tables,
        secs,
        bytes((s.bytes_in as f64 / secs) as u64)
    );
    if !s.masked.is_empty() {
        eprintln!("masked values:");
        let width = s.masked.keys().map(String::len).max().unwrap_or(0);
        for (col, n) in &s.masked {
            eprintln!("  {col:width$}  {n}");
        }
    }
}

/// A progress bar on stderr, fed by a thread that samples the byte counter.
struct Progress {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    handle: std::thread::JoinHandle<()>,
}

impl Progress {
    fn start(size: Option<u64>, count: std::sync::Arc<std::sync::atomic::AtomicU64>) -> Self {
        use indicatif::{ProgressBar, ProgressStyle};
        let bar = match size {
            Some(n) => ProgressBar::new(n).with_style(
                ProgressStyle::with_template(
                    "{bar:40} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}",
                )
                .expect("valid template"),
            ),
            None => ProgressBar::new_spinner().with_style(
                ProgressStyle::with_template("{spinner} {bytes} {binary_bytes_per_sec}")
                    .expect("valid template"),
            ),
        };
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                bar.set_position(count.load(Ordering::Relaxed));
                bar.tick();
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        });
        Progress { stop, handle }
    }

    fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.handle.join();
    }
}
