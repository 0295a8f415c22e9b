//! The leak check: `masker verify-leaks` (an original and its masked copy)
//! and the check after `masker mask --leak-check`. Originals of masked
//! columns are collected by a [`Collector`] visitor, the masked output is
//! looked up by a [`Checker`] visitor (both on the one masking path, see
//! [`masker_core::leak`]); this module reads flags and prints the report:
//! counts and byte offsets per `table.column`, never a value. Both inputs
//! of `verify-leaks` are read in one way: two SQL dumps, or two `--tab`
//! directories in the dialect of the `--fields-*` / `--lines-*` flags.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use masker_core::leak::{Checker, CollectedPart, LeakKey, LeakOptions, LeakReport, OriginalSet};
use masker_core::pipeline::visit::visit_reader;
use masker_core::rules::Rules;
use masker_core::tokenizer::tsv::TsvDialect;
use masker_core::tsv::TsvOptions;

use super::tsv_in::{dir_dialect, refuse_mydumper_dir, refuse_no_tables, DialectArgs};
use crate::tab_dir::visit_tab_dir;
use masker_core::MaskOptions;

use crate::io::open_input;
use crate::report::{Failure, EXIT_CONFIG, EXIT_FOUND};

/// Flags of `masker verify-leaks`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The rules the masked copy was made with (which columns are masked).
    #[arg(long, short = 'r', value_name = "RULES.toml")]
    rules: PathBuf,
    /// The original dump (SQL, gzip/zstd detected) or `--tab` directory.
    #[arg(value_name = "ORIGINAL")]
    original: PathBuf,
    /// The masked dump or `--tab` directory.
    #[arg(value_name = "MASKED")]
    masked: PathBuf,
    /// The dialect of both `--tab` directories' data files (the flags
    /// `masker mask --tab` was given).
    #[command(flatten)]
    dialect: DialectArgs,
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

/// Run `visitor` over a SQL dump or a `--tab` directory (its data files in
/// `dialect`).
fn visit<V: masker_core::pipeline::visit::RowVisitor>(
    rules: &Rules,
    path: &Path,
    dialect: &TsvDialect,
    threads: usize,
    visitor: &V,
    merge: impl FnMut(V::Part) + Send,
) -> Result<(), Failure> {
    if path.is_dir() {
        let opts = TsvOptions {
            threads,
            ..TsvOptions::default()
        };
        refuse_mydumper_dir(path, "verify-leaks")?;
        let tables = visit_tab_dir(rules, path, dialect, &opts, None, visitor, merge)?;
        refuse_no_tables(path, tables.len())?;
    } else {
        let input = open_input(path)?;
        let opts = MaskOptions {
            threads,
            allow_incomplete: true,
            allow_missing: true,
            ..MaskOptions::default()
        };
        visit_reader(rules, input.reader, &opts, visitor, merge)?;
    }
    Ok(())
}

/// Look every value of `masked` (a SQL dump, or a `--tab` directory whose
/// data files are in `dialect`) up in `set`.
pub fn check(
    set: &OriginalSet,
    key: LeakKey,
    opts: LeakOptions,
    masked: &Path,
    dialect: &TsvDialect,
    threads: usize,
) -> Result<LeakReport, Failure> {
    let checker = Checker::new(set, key, opts);
    let mut report = LeakReport::default();
    visit(&Rules::empty(), masked, dialect, threads, &checker, |p| {
        report.merge(p)
    })?;
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

pub fn run(args: VerifyArgs) -> Result<ExitCode, Failure> {
    if args.original.is_dir() != args.masked.is_dir() {
        return Err(Failure::new(
            EXIT_CONFIG,
            "ORIGINAL and MASKED must both be SQL dumps or both --tab directories",
        ));
    }
    let dialect = dir_dialect(
        &args.dialect,
        args.original.is_dir(),
        "ORIGINAL and MASKED that are not directories",
    )?;
    let rules = super::load_rules(&args.rules, false)?;
    let threads = threads(args.threads)?;
    let opts = args.tuning.options();
    let key = LeakKey::for_rules(&rules);
    let collector = masker_core::leak::Collector::new(key.clone(), opts);
    let mut hashes = CollectedPart::default();
    visit(
        &rules,
        &args.original,
        &dialect,
        threads,
        &collector,
        |mut p| hashes.append(&mut p),
    )?;
    let set = OriginalSet::build(hashes, opts.bits_per_value);
    let report = check(&set, key, opts, &args.masked, &dialect, threads)?;
    print(&report, &set, &args.masked, args.json)
}
