//! `masker`: mask mysqldump and TSV dumps at disk speed.
//!
//! Exit codes (also in `masker --help`):
//! - 0: success (also when the reader of our output went away: broken pipe)
//! - 1: the input is not a valid dump (syntax error, truncated input, a cut
//!   or corrupt gzip/zstd stream), or a value could not be masked
//! - 2: usage error or invalid rules file (including a missing key); also a
//!   non-empty output directory without `--force`
//! - 3: the rules do not match the dump (unknown column, unclassified column
//!   in strict mode, a rule for a table the dump does not have)
//! - 4: I/O error (cannot read the input or write the output), including an
//!   output masker refuses to replace: a directory given as `-o FILE`, a
//!   read-only file, a block device
//! - 5: a check found a problem: `masker verify` (the loaded copy differs
//!   from the dump), `scan --rules` (personal data the rules keep or leave
//!   unclassified), the leak check (an original value of a masked column
//!   survived in the masked output)
//! - 129, 130, 143: interrupted by SIGHUP, SIGINT, SIGTERM (partial outputs
//!   removed)

mod bq_hint;
mod cmd;
mod export_dir;
mod export_files;
mod file_jobs;
mod io;
mod mydumper_dir;
mod progress;
mod report;
mod tab_dir;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

const EXIT_CODES: &str = "Exit codes:
  0  success (also when the reader of the output goes away: broken pipe)
  1  invalid input (syntax error, truncated dump or gzip/zstd stream) or a value that cannot be masked
  2  usage error (also a non-empty output directory without --force) or invalid rules file
  3  rules do not match the dump (unknown column, unclassified column in strict mode, missing table)
  4  I/O error (also an output masker refuses to replace: a directory, a read-only file)
  5  a check found a problem: verify (the copy differs), scan --rules (personal data kept
     or unclassified), leak check (an original value survived)
  129, 130, 143  interrupted by SIGHUP, SIGINT, SIGTERM (partial outputs removed)";

/// Mask production MySQL/MariaDB dumps into safe copies.
#[derive(Debug, Parser)]
#[command(name = "masker", version, about, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Mask a dump: read SQL (optionally gzip/zstd), write masked SQL; or a mydumper or `--tab` directory into another.
    Mask(cmd::mask::MaskArgs),
    /// Dry run of `mask`: mask every row of a dump (a schema-only dump, a mydumper or `--tab` directory), write nothing, report every problem.
    Check(cmd::check::CheckArgs),
    /// Print each table's plan: which transform each column gets.
    Explain(cmd::explain::ExplainArgs),
    /// Dump a live server in parallel (masked with --rules) into a directory.
    Dump(cmd::dump::DumpArgs),
    /// Load a `masker dump` directory into a server in parallel.
    Load(cmd::load::LoadArgs),
    /// Prove a loaded copy equal to a dump (exit 5 when it differs).
    Verify(cmd::verify::VerifyArgs),
    /// Send table sizes, headroom, schema drift and rules staleness to Datadog (DogStatsD).
    Monitor(cmd::monitor::MonitorArgs),
    /// Find columns that look like personal data (names and sampled values).
    Scan(cmd::scan::ScanArgs),
    /// Check that no original value of a masked column survives in a masked copy.
    VerifyLeaks(cmd::leaks::VerifyArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = io::signals::install() {
        eprintln!("masker: warning: cannot watch for interrupts: {e}");
    }
    let result = match cli.command {
        Command::Mask(args) => cmd::mask::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Explain(args) => cmd::explain::run(args),
        Command::Dump(args) => cmd::dump::run(args),
        Command::Load(args) => cmd::load::run(args),
        Command::Verify(args) => cmd::verify::run(args),
        Command::Monitor(args) => cmd::monitor::run(args),
        Command::Scan(args) => cmd::scan::run(args),
        Command::VerifyLeaks(args) => cmd::leaks::run(args),
    };
    match result {
        Ok(code) => code,
        Err(failure) => failure.report(),
    }
}
