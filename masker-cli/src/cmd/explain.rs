//! `masker explain`: print the keyed function (`[key] prf`, and the key's
//! fingerprint when the key is set) and each table's plan (column ->
//! transform) so a reviewer sees exactly what passes through unchanged.

use std::path::PathBuf;

use clap::Args;
use masker_core::engine::Catalog;

use crate::report::{Failure, EXIT_PLAN};

/// Flags of `masker explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rules file (TOML).
    #[arg(long, short = 'r', value_name = "RULES.toml")]
    rules: PathBuf,
    /// The dump (or a schema-only dump) whose tables are explained.
    #[arg(value_name = "DUMP")]
    dump: PathBuf,
}

pub fn run(args: ExplainArgs) -> Result<std::process::ExitCode, Failure> {
    let rules = super::load_rules(&args.rules, false)?;
    let schemas = super::check::read(&args.dump)?;
    let mut problems = Vec::new();
    let mut catalog = Catalog::new(&rules);
    // Which function makes every pseudonym: a different PRF (or key) gives
    // different pseudonyms, so a reviewer checks it beside the plan.
    match rules.key_fingerprint() {
        Some(fp) => println!(
            "[key] prf = {:?} (key fingerprint {fp})",
            rules.prf().name()
        ),
        None => println!("[key] prf = {:?}", rules.prf().name()),
    }
    for schema in schemas {
        println!("{}", schema.name);
        match catalog.define(schema, true) {
            Err(p) => {
                println!("  (rules do not fit this table; see below)");
                problems.extend(p);
            }
            Ok(table) => {
                let columns = &table.schema().columns;
                let width = columns.iter().map(|c| c.name.len()).max().unwrap_or(0);
                for (i, col) in columns.iter().enumerate() {
                    println!("  {:width$}  {}", col.name, table.describe(i));
                }
                if table.filters_rows() {
                    println!("  rows: {}", table.describe_rows());
                }
            }
        }
    }
    for w in catalog.row_policy_warnings() {
        println!("warning: {w}");
    }
    if problems.is_empty() {
        Ok(std::process::ExitCode::SUCCESS)
    } else {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        Err(Failure::new(EXIT_PLAN, lines.join("\n  ")))
    }
}
