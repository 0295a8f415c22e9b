//! The leak check: `masker verify-leaks` (an original and its masked copy)
//! and the check after `masker mask --leak-check`. Originals of masked
//! columns are collected by a [`Collector`] visitor, the masked output is
//! looked up by a [`Checker`] visitor (both on the one masking path, see
//! [`masker_core::leak`]); this module reads flags and prints the report:
//! counts and byte offsets per `table.column`, never a value.
//!
//! The inputs of `verify-leaks`: two SQL dumps, or two `--tab` directories
//! (read in the dialect of the `--fields-*` / `--lines-*` flags, their
//! tables in the database `--database` names), or a SQL dump or `--tab`
//! directory and the export `masker mask --to tsv` made of it (an
//! [`crate::export_dir`], whose tables are read with the original's
//! schemas). Rules for tables ORIGINAL does not have are accepted, and
//! noted.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use masker_core::export::ExportOptions;
use masker_core::leak::{
    Checker, CollectedPart, Collector, LeakKey, LeakOptions, LeakReport, OriginalSet,
};
use masker_core::pipeline::visit::{visit_reader, RowVisitor};
use masker_core::rules::Rules;
use masker_core::schema::TableSchema;
use masker_core::tokenizer::tsv::TsvDialect;
use masker_core::tsv::TsvOptions;

use super::tsv_in::{dir_dialect, refuse_mydumper_dir, refuse_no_tables, DialectArgs};
use crate::export_dir::{is_export_dir, visit_export_dir};
use crate::tab_dir::visit_tab_dir;
use masker_core::MaskOptions;

use crate::io::open_input;
use crate::report::{Failure, EXIT_CONFIG, EXIT_FOUND};

/// Flags of `masker verify-leaks`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The rules the masked copy was made with (which columns are masked;
    /// for an export, also its `[export]` NULL marker).
    #[arg(long, short = 'r', value_name = "RULES.toml")]
    rules: PathBuf,
    /// The original dump (SQL, gzip/zstd detected) or `--tab` directory.
    #[arg(value_name = "ORIGINAL")]
    original: PathBuf,
    /// The masked dump or `--tab` directory, or the export directory
    /// `masker mask --to tsv --out-dir` wrote from ORIGINAL.
    #[arg(value_name = "MASKED")]
    masked: PathBuf,
    /// The dialect of the `--tab` directories' data files (the flags
    /// `masker mask --tab` was given).
    #[command(flatten)]
    dialect: DialectArgs,
    /// The database of the `--tab` directories' tables (for rules keyed
    /// `db.table`), as `masker mask --tab` was given it.
    #[arg(long, value_name = "NAME")]
    database: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Worker threads (default: all cores).
    #[arg(long, short = 't')]
    threads: Option<usize>,
    #[command(flatten)]
    tuning: Tuning,
}

/// Tunables of the leak check.
#[derive(Debug, Clone, Args)]
pub struct Tuning {
    /// Words (tokens inside values) shorter than this many bytes are not checked.
    #[arg(long, value_name = "BYTES", default_value_t = LeakOptions::default().min_word)]
    pub min_word: usize,
    /// Bloom filter bits per original value (false hits are confirmed against exact hashes).
    #[arg(long, value_name = "BITS", default_value_t = LeakOptions::default().bits_per_value)]
    pub bloom_bits: usize,
}

impl Tuning {
    pub fn options(&self) -> LeakOptions {
        LeakOptions {
            min_word: self.min_word.max(1),
            bits_per_value: self.bloom_bits.max(1),
            ..LeakOptions::default()
        }
    }
}

fn threads(t: Option<usize>) -> Result<usize, Failure> {
    match t {
        Some(0) => Err(Failure::new(EXIT_CONFIG, "--threads must be at least 1")),
        Some(t) => Ok(t),
        None => Ok(MaskOptions::default().threads),
    }
}

/// What an input of `verify-leaks` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A SQL dump (a file, maybe compressed).
    Sql,
    /// A `mysqldump --tab` directory.
    Tab,
    /// An export directory (`mask --to tsv`), known by its X.schema.json files.
    Export,
}

impl Kind {
    fn of(path: &Path) -> Kind {
        if !path.is_dir() {
            Kind::Sql
        } else if is_export_dir(path) {
            Kind::Export
        } else {
            Kind::Tab
        }
    }
}

/// How the SQL dumps and `--tab` directories of a run are read.
#[derive(Debug, Clone)]
pub struct Reading<'a> {
    /// The dialect of `--tab` directories' data files.
    pub dialect: TsvDialect,
    /// The database of `--tab` directories' tables.
    pub database: Option<&'a str>,
    /// Worker threads.
    pub threads: usize,
}

/// Run `visitor` over a SQL dump or a `--tab` directory (never an export:
/// see [`check`]); returns the schemas of its tables. Rules for tables it
/// does not have are accepted (both kinds alike).
fn visit<V: RowVisitor>(
    rules: &Rules,
    path: &Path,
    how: &Reading<'_>,
    visitor: &V,
    merge: impl FnMut(V::Part) + Send,
) -> Result<Vec<TableSchema>, Failure> {
    if path.is_dir() {
        let opts = TsvOptions {
            threads: how.threads,
            allow_missing: true,
            ..TsvOptions::default()
        };
        refuse_mydumper_dir(path, "verify-leaks")?;
        let tables = visit_tab_dir(
            rules,
            path,
            &how.dialect,
            &opts,
            how.database,
            visitor,
            merge,
        )?;
        refuse_no_tables(path, tables.len())?;
        Ok(tables.into_iter().map(|(s, _)| s).collect())
    } else {
        let input = open_input(path)?;
        let opts = MaskOptions {
            threads: how.threads,
            allow_incomplete: true,
            allow_missing: true,
            ..MaskOptions::default()
        };
        Ok(visit_reader(rules, input.reader, &opts, visitor, merge)?.schemas)
    }
}

/// The export side of a check: the tables of the original (their schemas
/// read the export's files) and the options of the rules' `[export]`.
#[derive(Debug, Clone, Copy)]
pub struct ExportOf<'a> {
    /// The original's path, for messages.
    pub original: &'a Path,
    /// The original's tables.
    pub schemas: &'a [TableSchema],
    /// The export options of the rules (the NULL marker).
    pub options: &'a ExportOptions,
}

/// Look every value of `masked` (a SQL dump, a `--tab` directory, or with
/// `export` an export directory) up in `set`.
pub fn check(
    set: &OriginalSet,
    key: LeakKey,
    opts: LeakOptions,
    masked: &Path,
    how: &Reading<'_>,
    export: Option<ExportOf<'_>>,
) -> Result<LeakReport, Failure> {
    let checker = Checker::new(set, key, opts);
    let mut report = LeakReport::default();
    let empty = Rules::empty();
    match export {
        // An export directory has a table: it is known by a table's file.
        Some(x) => {
            visit_export_dir(
                &empty,
                masked,
                x.schemas,
                x.original,
                x.options,
                how.threads,
                &checker,
                |p| report.merge(p),
            )?;
        }
        None => {
            visit(&empty, masked, how, &checker, |p| report.merge(p))?;
        }
    }
    Ok(report)
}

/// Print the report (stderr for the summary, stdout for the survivors);
/// exit 5 when an original survived.
pub fn print(
    report: &LeakReport,
    set: &OriginalSet,
    masked: &Path,
    json: bool,
) -> Result<ExitCode, Failure> {
    if json {
        let cols: Vec<serde_json::Value> = report
            .columns
            .iter()
            .map(
                |(c, s)| serde_json::json!({"column": c, "values": s.values, "offsets": s.offsets}),
            )
            .collect();
        let coincidences: Vec<serde_json::Value> = report
            .coincidences
            .iter()
            .map(
                |(c, s)| serde_json::json!({"column": c, "values": s.values, "offsets": s.offsets}),
            )
            .collect();
        let doc = serde_json::json!({
            "masked": masked.display().to_string(),
            "originals": set.len(),
            "lookups": report.lookups,
            "bloom_false_hits": report.false_hits,
            "survivors": cols,
            "coincidences_in_masked_columns": coincidences,
        });
        crate::report::print_out(&format!("{doc:#}\n"))?;
    } else {
        let mut text = String::new();
        for (c, s) in &report.columns {
            let offs: Vec<String> = s.offsets.iter().map(u64::to_string).collect();
            text += &format!(
                "{c}: {} value(s) hold an original value of a masked column (byte offsets in {}: {}{})\n",
                s.values,
                masked.display(),
                offs.join(", "),
                if s.values as usize > s.offsets.len() { ", ..." } else { "" }
            );
        }
        crate::report::print_out(&text)?;
    }
    for (c, s) in &report.coincidences {
        eprintln!(
            "masker: note: {c} is masked, but {} of its new values equal (or hold) some original value: a coincidence of the transform (e.g. a fake value from a small list), not a copy",
            s.values
        );
    }
    eprintln!(
        "masker: leak check: {} original values and tokens ({:.1} MB in memory), {} lookups, {} Bloom false hits ({:.4}%) rejected by exact hashes",
        set.len(),
        set.memory() as f64 / 1e6,
        report.lookups,
        report.false_hits,
        100.0 * report.false_hits as f64 / report.lookups.max(1) as f64
    );
    if report.leaked() {
        eprintln!(
            "masker: {} column(s) of {} hold original values of masked columns",
            report.columns.len(),
            masked.display()
        );
        Ok(ExitCode::from(EXIT_FOUND))
    } else {
        eprintln!("masker: leak check: no original value survived");
        Ok(ExitCode::SUCCESS)
    }
}

/// Refuse the pairs of inputs `verify-leaks` cannot compare.
fn refuse_pair(args: &VerifyArgs, original: Kind, masked: Kind) -> Result<(), Failure> {
    let why = match (original, masked) {
        (Kind::Export, _) => format!(
            "ORIGINAL {} is an export directory (it holds X.schema.json files): give the SQL dump or --tab directory that was masked, and the export as MASKED",
            args.original.display()
        ),
        (Kind::Sql, Kind::Tab) | (Kind::Tab, Kind::Sql) => {
            "ORIGINAL and MASKED must both be SQL dumps or both --tab directories (or MASKED the export directory `mask --to tsv` wrote)".to_owned()
        }
        _ => return Ok(()),
    };
    Err(Failure::new(EXIT_CONFIG, why))
}

/// Note the rules' tables that ORIGINAL does not have: none of their values
/// were collected, so none can be found (accepted, as for every input).
fn note_missing(rules: &Rules, schemas: &[TableSchema], original: &Path, kind: Kind) {
    let seen: Vec<_> = schemas.iter().map(|s| s.name.clone()).collect();
    for p in rules.missing_tables(&seen) {
        let table = p
            .table
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let hint = if kind == Kind::Tab && table.contains('.') {
            " (a --tab directory's tables get their database from --database)"
        } else {
            ""
        };
        eprintln!(
            "masker: note: {}: no table `{table}` in {}{hint}: none of its values were collected, so none can be found",
            p.rule_path.as_deref().unwrap_or("tables"),
            original.display()
        );
    }
}

pub fn run(args: VerifyArgs) -> Result<ExitCode, Failure> {
    let (original, masked) = (Kind::of(&args.original), Kind::of(&args.masked));
    refuse_pair(&args, original, masked)?;
    let tab = original == Kind::Tab || masked == Kind::Tab;
    let what = match masked {
        Kind::Export if original == Kind::Sql => {
            "a SQL dump and an export directory (an export's dialect is its own)"
        }
        _ => "ORIGINAL and MASKED that are not directories",
    };
    let dialect = dir_dialect(&args.dialect, tab, what)?;
    if args.database.is_some() && !tab {
        return Err(Failure::new(
            EXIT_CONFIG,
            format!(
                "--database does nothing with {what}: it names the database of a `mysqldump --tab` directory's tables (a SQL dump names its own)"
            ),
        ));
    }
    let rules = super::load_rules(&args.rules, false)?;
    let export_options = match masked {
        Kind::Export => Some(
            ExportOptions::from_rules(rules.export())
                .map_err(|e| Failure::new(EXIT_CONFIG, format!("{}: {e}", args.rules.display())))?,
        ),
        _ => None,
    };
    let how = Reading {
        dialect,
        database: args.database.as_deref(),
        threads: threads(args.threads)?,
    };
    let opts = args.tuning.options();
    let key = LeakKey::for_rules(&rules);
    let collector = Collector::new(key.clone(), opts);
    let mut hashes = CollectedPart::default();
    let schemas = visit(&rules, &args.original, &how, &collector, |mut p| {
        hashes.append(&mut p)
    })?;
    note_missing(&rules, &schemas, &args.original, original);
    let set = OriginalSet::build(hashes, opts.bits_per_value);
    let export = export_options.as_ref().map(|options| ExportOf {
        original: &args.original,
        schemas: &schemas,
        options,
    });
    let report = check(&set, key, opts, &args.masked, &how, export)?;
    print(&report, &set, &args.masked, args.json)
}
