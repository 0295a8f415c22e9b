//! `masker scan`: which columns of a dump or a live server look like
//! personal data, and (with `--rules`) which of them the rules leave
//! unmasked. A dump goes through the one masking path with a [`Scanner`]
//! visitor; a live server's tables are sampled by
//! [`masker_mysql::scan`] (bounded key-range windows per table) into the
//! same scanner. This module only reads the flags and prints the findings
//! (never a value).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use masker_core::pipeline::visit::visit_reader;
use masker_core::rules::{Rules, Spec};
use masker_core::scan::{Finding, ScanResult, Scanner};
use masker_core::schema::TableSchema;
use masker_core::tokenizer::tsv::TsvDialect;
use masker_core::tsv::TsvOptions;

use super::tsv_in::{dir_dialect, refuse_mydumper_dir, refuse_no_tables, DialectArgs};
use crate::tab_dir::visit_tab_dir;
use masker_core::MaskOptions;
use masker_mysql::catalog::TableFilter;
use serde::Serialize;

use crate::io::open_input;
use crate::report::{Failure, EXIT_CONFIG, EXIT_FOUND};

/// Flags of `masker scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The dump (SQL, gzip/zstd detected), or a `mysqldump --tab` directory
    /// (read in the dialect of the --fields-* and --lines-* flags) (or
    /// `--url` for a live server).
    #[arg(value_name = "DUMP", required_unless_present_any = ["url", "socket", "defaults_file"])]
    dump: Option<PathBuf>,
    #[command(flatten)]
    dialect: DialectArgs,
    #[command(flatten)]
    conn: super::dump::ConnArgs,
    /// Live server: only these databases (comma-separated; default: all but the system ones).
    #[arg(long, value_delimiter = ',')]
    databases: Vec<String>,
    /// Live server: only these tables (`table` or `db.table`, comma-separated).
    #[arg(long, value_delimiter = ',')]
    tables: Vec<String>,
    /// Live server: never these tables (`table` or `db.table`, comma-separated).
    #[arg(long, value_delimiter = ',')]
    exclude_tables: Vec<String>,
    /// Mark the findings the rules mask; exit 5 when one is kept or unclassified.
    #[arg(long, short = 'r', value_name = "RULES.toml")]
    rules: Option<PathBuf>,
    /// Print the findings as JSON.
    #[arg(long)]
    json: bool,
    /// Rows sampled per table (a live server reads at most this many per table).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    sample: usize,
    /// Worker threads (default: all cores).
    #[arg(long, short = 't')]
    threads: Option<usize>,
}

/// What the rules do with a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// A transform other than keep.
    Masked,
    /// `keep`: passed through unchanged.
    Kept,
    /// No rule names the column.
    Unclassified,
}

#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    #[serde(skip_serializing_if = "Option::is_none")]
    rules: Option<Coverage>,
}

/// Scan `dump` (a SQL dump, or a `--tab` directory whose data files are in
/// `dialect`): the schemas and the findings.
pub fn scan(
    dump: &std::path::Path,
    dialect: &TsvDialect,
    sample: usize,
    threads: Option<usize>,
) -> Result<(Vec<TableSchema>, Vec<Finding>), Failure> {
    let rules = Rules::empty();
    let scanner = Scanner::new(sample);
    let mut result = ScanResult::new(sample);
    let threads = match threads {
        Some(0) => return Err(Failure::new(EXIT_CONFIG, "--threads must be at least 1")),
        Some(t) => t,
        None => MaskOptions::default().threads,
    };
    let schemas = if dump.is_dir() {
        let opts = TsvOptions {
            threads,
            ..TsvOptions::default()
        };
        refuse_mydumper_dir(dump, "scan")?;
        let tables = visit_tab_dir(&rules, dump, dialect, &opts, None, &scanner, |p| {
            result.merge(p)
        })?;
        refuse_no_tables(dump, tables.len())?;
        tables.into_iter().map(|(s, _)| s).collect()
    } else {
        let input = open_input(dump)?;
        let opts = MaskOptions {
            threads,
            allow_incomplete: true,
            ..MaskOptions::default()
        };
        visit_reader(&rules, input.reader, &opts, &scanner, |p| result.merge(p))?.schemas
    };
    let findings = result.findings(&schemas);
    Ok((schemas, findings))
}

/// Scan a live server: bounded samples of every selected table.
fn scan_live(args: &ScanArgs) -> Result<(Vec<TableSchema>, Vec<Finding>), Failure> {
    let connector = args.conn.connector()?;
    let mut filter = TableFilter::new();
    filter.databases = args.databases.clone();
    filter.tables = args.tables.clone();
    filter.exclude_tables = args.exclude_tables.clone();
    let started = std::time::Instant::now();
    let live = masker_mysql::scan::scan(&connector, &filter, args.sample.max(1) as u64)
        .map_err(super::dump::live_failure)?;
    let rows: u64 = live.sampled.iter().map(|s| s.rows).sum();
    let keyed = live
        .sampled
        .iter()
        .filter(|s| matches!(s.method, masker_mysql::sample::Method::KeyWindows { .. }))
        .count();
    eprintln!(
        "masker: scanned {} tables on {} ({} sampled in key windows, {} by their first rows), {rows} rows in {:.2} s",
        live.sampled.len(),
        connector.target(),
        keyed,
        live.sampled.len() - keyed,
        started.elapsed().as_secs_f64()
    );
    Ok((live.schemas, live.findings))
}

pub fn run(args: ScanArgs) -> Result<ExitCode, Failure> {
    let rules = args
        .rules
        .as_ref()
        .map(|p| super::load_rules(p, false))
        .transpose()?;
    let (schemas, findings) = match &args.dump {
        Some(dump) if !args.conn.given() => {
            let what = format!("{} (not a directory)", dump.display());
            let dialect = dir_dialect(&args.dialect, dump.is_dir(), &what)?;
            scan(dump, &dialect, args.sample, args.threads)?
        }
        Some(_) => {
            return Err(Failure::new(
                EXIT_CONFIG,
                "give a DUMP or a live server (--url, --socket, --defaults-file), not both",
            ))
        }
        None => {
            dir_dialect(&args.dialect, false, "a live server")?;
            scan_live(&args)?
        }
    };
    let coverage = |f: &Finding| {
        let rules = rules.as_ref()?;
        let schema = schemas.iter().find(|s| s.name.to_string() == f.table)?;
        Some(match rules.spec_for(&schema.name, &f.column) {
            Some(Spec::Keep) => Coverage::Kept,
            Some(_) => Coverage::Masked,
            None => Coverage::Unclassified,
        })
    };
    let rows: Vec<Row<'_>> = findings
        .iter()
        .map(|f| Row {
            finding: f,
            rules: coverage(f),
        })
        .collect();
    if args.json {
        let text = serde_json::to_string_pretty(&rows)
            .map_err(|e| Failure::new(crate::report::EXIT_IO, format!("cannot write JSON: {e}")))?;
        crate::report::print_out(&format!("{text}\n"))?;
    } else {
        crate::report::print_out(&table(&rows))?;
    }
    let uncovered = rows
        .iter()
        .filter(|r| matches!(r.rules, Some(Coverage::Kept | Coverage::Unclassified)))
        .count();
    if uncovered > 0 {
        eprintln!(
            "masker: {uncovered} column(s) look like personal data but the rules keep them or leave them unclassified"
        );
        return Ok(ExitCode::from(EXIT_FOUND));
    }
    Ok(ExitCode::SUCCESS)
}

fn table(rows: &[Row<'_>]) -> String {
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            let f = r.finding;
            let evidence = f
                .evidence
                .iter()
                .map(|e| match (e.word, e.matched, e.sampled) {
                    (Some(w), _, _) => format!("name `{w}`"),
                    (None, Some(m), Some(s)) => format!("{} {m}/{s}", e.detector),
                    _ => e.detector.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("; ");
            let rules = match r.rules {
                None => String::new(),
                Some(Coverage::Masked) => "masked".into(),
                Some(Coverage::Kept) => "KEPT".into(),
                Some(Coverage::Unclassified) => "UNCLASSIFIED".into(),
            };
            [
                format!("{}.{}", f.table, f.column),
                f.kind.describe().to_owned(),
                format!("{:.2}", f.confidence),
                evidence,
                rules,
            ]
        })
        .collect();
    let header = ["COLUMN", "LOOKS LIKE", "CONF", "EVIDENCE", "RULES"];
    let mut width = header.map(str::len);
    for c in &cells {
        for (w, s) in width.iter_mut().zip(c) {
            *w = (*w).max(s.chars().count());
        }
    }
    let mut text = String::new();
    let mut line = |c: &[String; 5]| {
        let mut out = String::new();
        for (i, s) in c.iter().enumerate() {
            out.push_str(s);
            if i + 1 < c.len() {
                let pad = width[i] - s.chars().count() + 2;
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        text.push_str(out.trim_end());
        text.push('\n');
    };
    line(&header.map(str::to_owned));
    for c in &cells {
        line(c);
    }
    if rows.is_empty() {
        text.push_str("(no column looks like personal data)\n");
    }
    text
}
