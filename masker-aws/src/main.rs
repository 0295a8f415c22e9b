//! `masker-aws`: platform jobs around masker on AWS.
//!
//! Exit codes: 0 success; 1 the parameter groups cannot be rendered (every
//! problem is listed), a job failed (after its cleanup), or an audit log's
//! chain is broken; 2 usage error, invalid input (parameter JSON, users
//! config, engine version), RDS API or git failure; 4 I/O error.

mod cli;
mod jobs_cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("masker-aws: {e:#}");
            ExitCode::from(cli::exit_code(&e))
        }
    }
}
