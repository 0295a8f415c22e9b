//! `masker check`: a dry run of `masker mask`. The dump (or a schema-only
//! dump, a mydumper directory, a `mysqldump --tab` directory with `--tab`)
//! goes through exactly the code a real run goes through, every row masked
//! and the output discarded, so `check` refuses exactly what `mask`
//! refuses, and reports every problem of the rules with the dump at once.
//! Without the key in the environment, keyed transforms use a placeholder
//! key (the values are checked, never written). `--scaffold` writes a rules
//! file that classifies every column, from the PII scan (`masker scan`),
//! each suggestion bound to its column through the real catalog and the
//! whole file dry-run over the dump before it is printed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use masker_core::error::{ErrorKind, PlanProblem, PlanProblemKind};
use masker_core::rules::{toml_key, RulesBuilder};
use masker_core::scan::{suggest, Finding};
use masker_core::schema::TableSchema;
use masker_core::{check_reader, read_schemas, MaskOptions};

use crate::file_jobs::DirSummary;
use crate::io::open_input;
use crate::report::{Failure, EXIT_CONFIG, EXIT_PLAN};

use super::tsv_in::DialectArgs;

/// Flags of `masker check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Rules file to check (not needed with --scaffold).
    #[arg(long, short = 'r', value_name = "RULES.toml")]
    rules: Option<PathBuf>,
    /// The dump whose CREATE TABLE statements are checked (gzip/zstd
    /// detected), or a mydumper directory (every data file checked).
    #[arg(value_name = "DUMP", conflicts_with = "schema")]
    dump: Option<PathBuf>,
    /// A `mysqldump --tab` directory (X.sql + X.txt per table): every data
    /// file masked as `masker mask --tab IN_DIR -o OUT_DIR` masks it,
    /// nothing written.
    #[arg(long, value_name = "IN_DIR")]
    tab: Option<PathBuf>,
    /// With --tab: the database of the tables (for rules keyed `db.table`).
    #[arg(long, value_name = "NAME")]
    database: Option<String>,
    #[command(flatten)]
    dialect: DialectArgs,
    /// A schema-only dump (`mysqldump --no-data`) instead of a full dump.
    #[arg(long, value_name = "SCHEMA.sql")]
    schema: Option<PathBuf>,
    /// Print a rules file that classifies every column (keep by default, with
    /// suggestions where a column looks like personal data).
    #[arg(long)]
    scaffold: bool,
    /// Do not report rules for tables that are not in the dump.
    #[arg(long)]
    allow_missing: bool,
    /// Accept a mysqldump / mariadb-dump file without its last line (or a
    /// mydumper directory whose `metadata` lacks `Finished dump at`).
    #[arg(long)]
    allow_incomplete: bool,
    /// Worker threads (default: all cores).
    #[arg(long, short = 't')]
    threads: Option<usize>,
    /// No summary on success (errors are still printed), as `masker mask -q`.
    #[arg(long, short = 'q')]
    quiet: bool,
}

pub fn run(args: CheckArgs) -> Result<std::process::ExitCode, Failure> {
    if let Some(dir) = &args.tab {
        return check_tab(&args, dir);
    }
    if args.database.is_some() || args.dialect.any() {
        return Err(Failure::new(
            EXIT_CONFIG,
            "--database, --fields-* and --lines-* are for a `mysqldump --tab` directory: give it with --tab DIR",
        ));
    }
    let source = args.schema.as_ref().or(args.dump.as_ref()).ok_or_else(|| {
        Failure::new(
            EXIT_CONFIG,
            "give a DUMP or --schema SCHEMA.sql to check against",
        )
    })?;
    if source.is_dir() {
        return check_mydumper(&args, source);
    }
    if args.scaffold {
        crate::report::print_out(&scaffold(source, args.threads)?)?;
        return Ok(std::process::ExitCode::SUCCESS);
    }
    let rules_path = args
        .rules
        .as_ref()
        .ok_or_else(|| Failure::new(EXIT_CONFIG, "--rules is required (or use --scaffold)"))?;
    let rules = super::load_rules(rules_path, false)?;
    let mut opts = MaskOptions {
        allow_missing: args.allow_missing,
        allow_incomplete: args.allow_incomplete,
        ..MaskOptions::default()
    };
    if let Some(t) = args.threads {
        if t == 0 {
            return Err(Failure::new(EXIT_CONFIG, "--threads must be at least 1"));
        }
        opts.threads = t;
    }
    placeholder_note(&rules, args.quiet);
    let input = open_input(source)?;
    let summary = check_reader(&rules, input.reader, &opts)
        .map_err(|e| name_rules(rules_path, Failure::from(e)))?;
    crate::report::refuse_empty_input(source, summary.bytes_in)?;
    if args.quiet {
        return Ok(std::process::ExitCode::SUCCESS);
    }
    eprintln!(
        "masker: rules OK: {} tables, {} rows checked against {} (masked as `masker mask` would, nothing written)",
        summary.tables,
        summary.rows,
        source.display()
    );
    let dropped: Vec<(String, u64)> = summary
        .dropped
        .iter()
        .map(|(t, n)| (t.clone(), *n))
        .collect();
    crate::report::print_row_policies(&dropped, &summary.warnings);
    Ok(std::process::ExitCode::SUCCESS)
}

/// A plan failure names the rules file.
fn name_rules(rules_path: &Path, f: Failure) -> Failure {
    if f.code == EXIT_PLAN {
        Failure::new(
            EXIT_PLAN,
            format!("{}: {}", rules_path.display(), f.message),
        )
    } else {
        f
    }
}

/// `masker check --rules R DIR` for a mydumper directory: the code of
/// `masker mask DIR -o OUT` with every masked row thrown away.
fn check_mydumper(args: &CheckArgs, dir: &Path) -> Result<std::process::ExitCode, Failure> {
    if args.scaffold {
        return Err(Failure::new(
            EXIT_CONFIG,
            format!(
                "--scaffold reads a SQL dump, not a directory ({}): scaffold from a mysqldump of the same database, or write the rules by hand",
                dir.display()
            ),
        ));
    }
    super::mydumper_in::require_layout(dir, "masker check --rules RULES --tab {dir}")?;
    let rules_path = args
        .rules
        .as_ref()
        .ok_or_else(|| Failure::new(EXIT_CONFIG, "--rules is required"))?;
    let rules = super::load_rules(rules_path, false)?;
    placeholder_note(&rules, args.quiet);
    let opts =
        super::mydumper_in::options(args.threads, args.allow_missing, args.allow_incomplete)?;
    let s = crate::mydumper_dir::mask_mydumper_dir(&rules, dir, None, opts)
        .map_err(|f| name_rules(rules_path, f))?;
    dir_ok(&s, dir, args.quiet);
    Ok(std::process::ExitCode::SUCCESS)
}

/// `masker check --rules R --tab DIR` for a `mysqldump --tab` directory:
/// the code of `masker mask --tab DIR -o OUT` ([`super::tsv_in::tab_dir`])
/// with every masked byte thrown away. Flags that do nothing there are
/// refused as `mask` refuses them.
fn check_tab(args: &CheckArgs, dir: &Path) -> Result<std::process::ExitCode, Failure> {
    let usage = |m: &str| Failure::new(EXIT_CONFIG, m.to_owned());
    if args.dump.is_some() {
        return Err(usage(super::tsv_in::TAB_AND_INPUT));
    }
    if args.schema.is_some() {
        return Err(usage(
            "--schema does nothing with a --tab directory: each table's X.sql beside its X.txt is its schema",
        ));
    }
    if args.scaffold {
        return Err(Failure::new(
            EXIT_CONFIG,
            format!(
                "--scaffold reads a SQL dump, not a --tab directory ({}): scaffold from a mysqldump of the same database, or write the rules by hand",
                dir.display()
            ),
        ));
    }
    if args.allow_incomplete {
        return Err(usage(
            "--allow-incomplete does nothing with a --tab directory",
        ));
    }
    let rules_path = args
        .rules
        .as_ref()
        .ok_or_else(|| usage("--rules is required"))?;
    let rules = super::load_rules(rules_path, false)?;
    let dialect = super::tsv_in::dialect(&args.dialect)?;
    let opts = super::tsv_in::options(args.threads, args.allow_missing, false)?;
    placeholder_note(&rules, args.quiet);
    let s = super::tsv_in::tab_dir(&rules, dir, None, &dialect, &opts, args.database.as_deref())
        .map_err(|f| name_rules(rules_path, f))?;
    dir_ok(&s, dir, args.quiet);
    Ok(std::process::ExitCode::SUCCESS)
}

/// Say that keyed transforms run with a placeholder key (unless `quiet`).
fn placeholder_note(rules: &masker_core::rules::Rules, quiet: bool) {
    if rules.is_check_only() && !quiet {
        eprintln!(
            "masker: note: no masking key in the environment; checking with a placeholder key"
        );
    }
}

/// The success report of a directory check (nothing when `quiet`).
fn dir_ok(s: &DirSummary, dir: &Path, quiet: bool) {
    if quiet {
        return;
    }
    let total = s.total();
    eprintln!(
        "masker: rules OK: {} tables, {} rows checked against {} (masked as `masker mask` would, nothing written)",
        total.tables,
        total.rows,
        dir.display()
    );
    let dropped: Vec<(String, u64)> = total.dropped.iter().map(|(t, n)| (t.clone(), *n)).collect();
    crate::report::print_row_policies(&dropped, &total.warnings);
}

pub(super) fn read(path: &std::path::Path) -> Result<Vec<TableSchema>, Failure> {
    let input = open_input(path)?;
    Ok(read_schemas(input.reader).map_err(|e| crate::file_jobs::in_file(e, path))?)
}

/// Rows per table whose values `--scaffold` looks at.
const SAMPLE_ROWS: usize = 1000;

/// The scaffold: every stored column classified; a column the scan finds
/// ([`masker_core::scan`]) gets the first rule that binds to it through the
/// real catalog ([`suggest`]). The text is then checked as `mask` would
/// check it (every row of `dump` masked with a placeholder key, nothing
/// written): a scaffold that `mask` refuses is never printed.
fn scaffold(dump: &Path, threads: Option<usize>) -> Result<String, Failure> {
    // `dump` is a SQL dump (a directory is refused before): no TSV dialect.
    let tsv = masker_core::tokenizer::tsv::TsvDialect::default();
    let (schemas, findings) = super::scan::scan(dump, &tsv, SAMPLE_ROWS, threads)?;
    let mut out = String::from(
        "# Generated by `masker check --scaffold`: every column is classified.\n\
         # Review each suggestion; `keep` passes a column through unchanged.\n\
         strict = true\n\n[key]\nenv = \"MASKER_KEY\"\n",
    );
    for schema in &schemas {
        let table = schema.name.to_string();
        let _ = write!(out, "\n[tables.{}]\n", toml_key(&table));
        for col in schema.columns.iter().filter(|c| !c.generated) {
            let key = toml_key(&col.name);
            let found = findings
                .iter()
                .find(|f| f.table == table && f.column == col.name);
            let Some(f) = found else {
                let _ = writeln!(out, "{key} = \"keep\"");
                continue;
            };
            let why = why(f);
            match suggest(schema, f) {
                Some(rule) => {
                    let _ = writeln!(out, "{key} = {rule}  # {why}");
                }
                None => {
                    let _ = writeln!(
                        out,
                        "{key} = \"keep\"  # {why}; no transform fits the column: review"
                    );
                }
            }
        }
    }
    gate(&out, dump, threads)?;
    Ok(out)
}

/// Why a column got its suggestion: the kind and the evidence (counts, never values).
fn why(f: &Finding) -> String {
    let evidence: Vec<String> = f
        .evidence
        .iter()
        .map(|e| match (e.word, e.matched, e.sampled) {
            (Some(w), _, _) => format!("name `{w}`"),
            (None, Some(m), Some(s)) => format!("{} in {m} of {s} values", e.detector),
            _ => e.detector.to_owned(),
        })
        .collect();
    format!(
        "looks like {} ({}; confidence {:.2})",
        f.kind.describe(),
        evidence.join(", "),
        f.confidence
    )
}

/// Run the scaffold through the real masking path over the dump (dry run):
/// if `mask` would refuse it, say so instead of printing it.
fn gate(text: &str, dump: &Path, threads: Option<usize>) -> Result<(), Failure> {
    let refused = |e: String| {
        Failure::new(
            crate::report::EXIT_INPUT,
            format!(
                "the scaffold for {} would be refused by `masker mask` (please report this): {e}",
                dump.display()
            ),
        )
    };
    let rules = RulesBuilder::new()
        .toml(text, "scaffold")
        .key(b"scaffold check key")
        .build()
        .map_err(|e| refused(e.to_string()))?;
    let mut opts = MaskOptions {
        allow_incomplete: true,
        ..MaskOptions::default()
    };
    if let Some(t) = threads {
        opts.threads = t.max(1);
    }
    let input = open_input(dump)?;
    check_reader(&rules, input.reader, &opts).map_err(|e| {
        match unknown_columns(&e) {
            Some(tables) => Failure::new(
                EXIT_PLAN,
                format!(
                    "cannot scaffold rules for {}: rows of {tables} come without their CREATE TABLE, so their columns are unknown (a dump made with --no-create-info?); scaffold from a dump that has the CREATE TABLE statements, then mask this one with --rules",
                    dump.display()
                ),
            ),
            None => refused(e.to_string()),
        }
    })?;
    Ok(())
}

/// The tables of a plan error that only says rows came without their
/// `CREATE TABLE` (no scaffold can classify their columns), as a list.
fn unknown_columns(e: &masker_core::Error) -> Option<String> {
    let ErrorKind::Plan { problems, .. } = e.kind() else {
        return None;
    };
    let unknown = |p: &PlanProblem| p.kind == PlanProblemKind::UnknownColumns && p.table.is_some();
    if problems.is_empty() || !problems.iter().all(unknown) {
        return None;
    }
    let names: Vec<String> = problems
        .iter()
        .filter_map(|p| p.table.as_ref().map(ToString::to_string))
        .collect();
    Some(names.join(", "))
}
