//! `masker explain`: print the keyed function (`[key] prf`, and the key's
//! fingerprint when the key is set) and each table's plan (column ->
//! transform) so a reviewer sees exactly what passes through unchanged.
//! The tables come from a dump's `CREATE TABLE` statements, a mydumper
//! directory's schema files, or (`--tab DIR`) the `X.sql` of each table of
//! a `mysqldump --tab` directory, bound as `masker mask` binds them; no row
//! is read.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use masker_core::engine::{BoundTable, Catalog};
use masker_core::rules::Rules;

use crate::report::{Failure, EXIT_CONFIG, EXIT_PLAN};

/// Flags of `masker explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rules file (TOML).
    #[arg(long, short = 'r', value_name = "RULES.toml")]
    rules: PathBuf,
    /// The dump (or a schema-only dump) whose tables are explained, or a
    /// mydumper directory.
    #[arg(value_name = "DUMP", required_unless_present = "tab")]
    dump: Option<PathBuf>,
    /// A `mysqldump --tab` directory (X.sql + X.txt per table): each
    /// table's plan from its X.sql, as `masker mask --tab IN_DIR` binds it.
    #[arg(long, value_name = "IN_DIR")]
    tab: Option<PathBuf>,
    /// With --tab: the database of the tables (for rules keyed `db.table`).
    #[arg(long, value_name = "NAME")]
    database: Option<String>,
    /// A mydumper or --tab directory: do not fail when a rule names a
    /// table the directory does not have (as `masker mask --allow-missing`).
    #[arg(long)]
    allow_missing: bool,
}

/// Which function makes every pseudonym: a different PRF (or key) gives
/// different pseudonyms, so a reviewer checks it beside the plan.
fn print_key(rules: &Rules) {
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

/// The plan of a directory whose tables all bound: the key, each table and
/// the warnings.
fn print_dir(rules: &Rules, tables: &[Arc<BoundTable>], warnings: &[String]) {
    print_key(rules);
    for table in tables {
        println!("{}", table.name());
        print_table(table);
    }
    for w in warnings {
        println!("warning: {w}");
    }
}

pub fn run(args: ExplainArgs) -> Result<std::process::ExitCode, Failure> {
    let usage = |m: &str| Failure::new(EXIT_CONFIG, m.to_owned());
    if let Some(dir) = &args.tab {
        if args.dump.is_some() {
            return Err(usage(super::tsv_in::TAB_AND_INPUT));
        }
        let rules = super::load_rules(&args.rules, false)?;
        return explain_tab(&rules, dir, &args);
    }
    if args.database.is_some() {
        return Err(usage(
            "--database is for a `mysqldump --tab` directory: give it with --tab DIR",
        ));
    }
    let dump = args
        .dump
        .as_deref()
        .ok_or_else(|| usage("give a DUMP or --tab DIR to explain"))?;
    let rules = super::load_rules(&args.rules, false)?;
    if dump.is_dir() {
        // The layout checks and binding of `masker mask DIR`: what it
        // refuses before reading a row, this refuses too.
        super::mydumper_in::require_layout(dump, "masker explain --rules RULES --tab {dir}")?;
        let (tables, warnings) =
            crate::mydumper_dir::bound_tables(&rules, dump, args.allow_missing)?;
        print_dir(&rules, &tables, &warnings);
        return Ok(std::process::ExitCode::SUCCESS);
    }
    if args.allow_missing {
        return Err(Failure::new(
            EXIT_CONFIG,
            "--allow-missing is for a mydumper or --tab directory; `explain` of a dump does not look for missing tables",
        ));
    }
    let schemas = super::check::read(dump)?;
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

/// `masker explain --rules R --tab DIR`: the tables with data files, bound
/// by the code of `masker mask --tab` ([`crate::tab_dir::bound_tables`]):
/// what it refuses before reading a row, this refuses too. Schema-only
/// files (views) are copied by `mask`, not masked, and have no plan.
fn explain_tab(
    rules: &Rules,
    dir: &Path,
    args: &ExplainArgs,
) -> Result<std::process::ExitCode, Failure> {
    let (tables, warnings) =
        crate::tab_dir::bound_tables(rules, dir, args.database.as_deref(), args.allow_missing)?;
    print_dir(rules, &tables, &warnings);
    Ok(std::process::ExitCode::SUCCESS)
}
