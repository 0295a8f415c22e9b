//! `masker explain`: print each table's plan (column -> transform) so a
//! reviewer sees exactly what passes through unchanged.

use std::path::PathBuf;

use clap::Args;

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
    for schema in &schemas {
        println!("{}", schema.name);
        match rules.bind(schema) {
            Err(p) => {
                println!("  (rules do not fit this table; see below)");
                problems.extend(p);
            }
            Ok(plan) => {
                let width = schema
                    .columns
                    .iter()
                    .map(|c| c.name.len())
                    .max()
                    .unwrap_or(0);
                for (i, col) in schema.columns.iter().enumerate() {
                    let what = plan
                        .as_ref()
                        .and_then(|p| p.columns.get(i).cloned().flatten())
                        .map(|t| t.describe())
                        .unwrap_or_else(|| match (col.generated, plan.is_some()) {
                            (true, true) => "DEFAULT (generated: recomputed on load)".to_owned(),
                            (true, false) => "keep (generated)".to_owned(),
                            _ => "keep".to_owned(),
                        });
                    println!("  {:width$}  {what}", col.name);
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(std::process::ExitCode::SUCCESS)
    } else {
        Err(Failure::new(EXIT_PLAN, problems.join("\n  ")))
    }
}
