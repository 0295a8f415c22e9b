//! `masker explain`: print the keyed function (`[key] prf`, and the key's
//! fingerprint when the key is set) and each table's plan (column ->
//! transform) so a reviewer sees exactly what passes through unchanged.

use std::path::PathBuf;

use clap::Args;
use masker_core::engine::{BoundTable, Catalog};

use crate::report::{Failure, EXIT_PLAN};

/// Flags of `masker explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rules file (TOML).
    #[arg(long, short = 'r', value_name = "RULES.toml")]
    rules: PathBuf,
    /// The dump (or a schema-only dump) whose tables are explained, or a
    /// mydumper directory.
    #[arg(value_name = "DUMP")]
    dump: PathBuf,
    /// A mydumper directory: do not fail when a rule names a table the
    /// directory does not have (as `masker mask --allow-missing`).
    #[arg(long)]
    allow_missing: bool,
}

/// Which function makes every pseudonym: a different PRF (or key) gives
/// different pseudonyms, so a reviewer checks it beside the plan.
fn print_key(rules: &masker_core::rules::Rules) {
    match rules.key_fingerprint() {
        Some(fp) => println!(
            "[key] prf = {:?} (key fingerprint {fp})",
            rules.prf().name()
        ),
        None => println!("[key] prf = {:?}", rules.prf().name()),
    }
}

/// A table's plan: each column and what it gets, and the row policy.
fn print_table(table: &BoundTable) {
    let columns = &table.schema().columns;
    let width = columns.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for (i, col) in columns.iter().enumerate() {
        println!("  {:width$}  {}", col.name, table.describe(i));
    }
    if table.filters_rows() {
        println!("  rows: {}", table.describe_rows());
    }
}

pub fn run(args: ExplainArgs) -> Result<std::process::ExitCode, Failure> {
    let rules = super::load_rules(&args.rules, false)?;
    if args.dump.is_dir() {
        // The layout checks and binding of `masker mask DIR`: what it
        // refuses before reading a row, this refuses too.
        super::mydumper_in::require_layout(&args.dump, "masker mask --tab {dir}")?;
        let (tables, warnings) =
            crate::mydumper_dir::bound_tables(&rules, &args.dump, args.allow_missing)?;
        print_key(&rules);
        for table in tables {
            println!("{}", table.name());
            print_table(&table);
        }
        for w in warnings {
            println!("warning: {w}");
        }
        return Ok(std::process::ExitCode::SUCCESS);
    }
    if args.allow_missing {
        return Err(Failure::new(
            2,
            "--allow-missing is for a mydumper directory; `explain` of a dump does not look for missing tables",
        ));
    }
    let schemas = super::check::read(&args.dump)?;
    let mut problems = Vec::new();
    let mut catalog = Catalog::new(&rules);
    print_key(&rules);
    for schema in schemas {
        println!("{}", schema.name);
        match catalog.define(schema, true) {
            Err(p) => {
                println!("  (rules do not fit this table; see below)");
                problems.extend(p);
            }
            Ok(table) => print_table(&table),
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
