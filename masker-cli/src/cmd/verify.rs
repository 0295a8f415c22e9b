//! `masker verify`: the restore test. Files against their SHA-256, and each
//! table's row count and row digest recomputed from the server, compared
//! with the dump's manifest. Prints a per-table report; exits 5 on any
//! difference.

use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use masker_mysql::verify::{self, VerifyOptions};

use super::dump::{live_failure, ConnArgs, EXIT_DIFFERS};
use crate::report::{Failure, EXIT_CONFIG};

/// Flags of `masker verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    conn: ConnArgs,
    /// The dump: a directory or `s3://bucket/prefix` (written by `masker dump`).
    #[arg(value_name = "FROM")]
    from: String,
    /// Connections (tables are read in parallel).
    #[arg(long, short = 't', default_value_t = 2)]
    threads: usize,
    /// The dump was loaded into this database (`masker load --into-database`).
    #[arg(long, value_name = "NAME")]
    into_database: Option<String>,
}

pub fn run(args: VerifyArgs) -> Result<ExitCode, Failure> {
    if args.threads == 0 {
        return Err(Failure::new(EXIT_CONFIG, "--threads must be at least 1"));
    }
    let connector = args.conn.connector()?;
    let mut opts = VerifyOptions::default();
    opts.threads = args.threads;
    opts.into_database = args.into_database;
    let started = Instant::now();
    let source = super::dump::dump_source(&args.from)?;
    let report = verify::verify_from(&connector, source.as_ref(), &opts);
    let report = report.map_err(live_failure)?;
    let width = report
        .tables
        .iter()
        .map(|t| t.table.len())
        .max()
        .unwrap_or(0);
    for t in &report.tables {
        match &t.problem {
            None => println!("ok      {:width$}  {} rows", t.table, t.expected_rows),
            Some(p) => println!("DIFFERS {:width$}  {p}", t.table),
        }
    }
    for f in &report.file_problems {
        println!("DIFFERS file {}  {}", f.file, f.problem);
    }
    let bad_tables = report.tables.iter().filter(|t| !t.ok).count();
    eprintln!(
        "masker: verified {} tables and {} files in {:.2} s: {}",
        report.tables.len(),
        report.files_checked,
        started.elapsed().as_secs_f64(),
        if report.ok() {
            "the copy matches the dump".to_owned()
        } else {
            format!(
                "{bad_tables} table(s) and {} file(s) differ",
                report.file_problems.len()
            )
        }
    );
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_DIFFERS)
    })
}
