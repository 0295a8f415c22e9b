//! `masker check`: a dry run of `masker mask`. The dump (or a schema-only
//! dump) goes through exactly the code a real run goes through, every row
//! masked and the output discarded, so `check` refuses exactly what `mask`
//! refuses, and reports every problem of the rules with the dump at once.
//! Without the key in the environment, keyed transforms use a placeholder
//! key (the values are checked, never written). `--scaffold` writes a rules
//! file that classifies every column.

use std::fmt::Write as _;
use std::path::PathBuf;

use aho_corasick::{AhoCorasick, MatchKind};
use clap::Args;
use masker_core::rules::toml_key;
use masker_core::schema::{Column, ColumnType, TableSchema};
use masker_core::{check_reader, read_schemas, sample_rows, MaskOptions, TableSample};

use crate::io::open_input;
use crate::report::{Failure, EXIT_CONFIG, EXIT_PLAN};

/// Flags of `masker check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Rules file to check (not needed with --scaffold).
    #[arg(long, short = 'r', value_name = "RULES.toml")]
    rules: Option<PathBuf>,
    /// The dump whose CREATE TABLE statements are checked (gzip/zstd detected).
    #[arg(value_name = "DUMP", conflicts_with = "schema")]
    dump: Option<PathBuf>,
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
    /// Accept a mysqldump / mariadb-dump file without its last line.
    #[arg(long)]
    allow_incomplete: bool,
    /// Worker threads (default: all cores).
    #[arg(long, short = 't')]
    threads: Option<usize>,
}

pub fn run(args: CheckArgs) -> Result<std::process::ExitCode, Failure> {
    let source = args.schema.as_ref().or(args.dump.as_ref()).ok_or_else(|| {
        Failure::new(
            EXIT_CONFIG,
            "give a DUMP or --schema SCHEMA.sql to check against",
        )
    })?;
    if args.scaffold {
        let input = open_input(source)?;
        let samples = sample_rows(input.reader, SAMPLE_ROWS)?;
        print!("{}", scaffold(&samples));
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
    if rules.is_check_only() {
        eprintln!(
            "masker: note: no masking key in the environment; checking with a placeholder key"
        );
    }
    let input = open_input(source)?;
    let summary = check_reader(&rules, input.reader, &opts).map_err(|e| {
        let f = Failure::from(e);
        if f.code == EXIT_PLAN {
            Failure::new(
                EXIT_PLAN,
                format!("{}: {}", rules_path.display(), f.message),
            )
        } else {
            f
        }
    })?;
    eprintln!(
        "masker: rules OK: {} tables, {} rows checked against {} (masked as `masker mask` would, nothing written)",
        summary.tables,
        summary.rows,
        source.display()
    );
    Ok(std::process::ExitCode::SUCCESS)
}

pub(super) fn read(path: &std::path::Path) -> Result<Vec<TableSchema>, Failure> {
    let input = open_input(path)?;
    Ok(read_schemas(input.reader)?)
}

/// Column-name fragments that suggest personal data, with the rule to suggest.
const SUGGESTIONS: &[(&str, &str, &str)] = &[
    (
        "email",
        "{ transform = \"hash\", format = \"email\" }",
        "email address",
    ),
    (
        "mail",
        "{ transform = \"hash\", format = \"email\" }",
        "email address",
    ),
    ("phone", "\"fpe\"", "phone number"),
    ("mobile", "\"fpe\"", "phone number"),
    ("tel", "\"fpe\"", "phone number"),
    ("fax", "\"fpe\"", "phone number"),
    (
        "first_name",
        "{ transform = \"fake\", kind = \"first_name\" }",
        "person name",
    ),
    (
        "last_name",
        "{ transform = \"fake\", kind = \"last_name\" }",
        "person name",
    ),
    (
        "name",
        "{ transform = \"fake\", kind = \"name\" }",
        "person name",
    ),
    (
        "address",
        "{ transform = \"fake\", kind = \"address\" }",
        "address",
    ),
    (
        "addr",
        "{ transform = \"fake\", kind = \"address\" }",
        "address",
    ),
    (
        "street",
        "{ transform = \"fake\", kind = \"address\" }",
        "address",
    ),
    (
        "city",
        "{ transform = \"fake\", kind = \"city\" }",
        "address",
    ),
    (
        "zip",
        "{ transform = \"fake\", kind = \"postal_code\" }",
        "postal code",
    ),
    (
        "postal",
        "{ transform = \"fake\", kind = \"postal_code\" }",
        "postal code",
    ),
    (
        "birth",
        "{ transform = \"fake\", kind = \"date\" }",
        "birth date",
    ),
    (
        "dob",
        "{ transform = \"fake\", kind = \"date\" }",
        "birth date",
    ),
    ("card", "\"fpe\"", "card number"),
    ("ssn", "\"fpe\"", "national id"),
    ("passport", "\"fpe\"", "national id"),
    (
        "ip_addr",
        "{ transform = \"fake\", kind = \"ipv4\" }",
        "IP address",
    ),
    ("login", "\"hash\"", "user name"),
    (
        "username",
        "{ transform = \"fake\", kind = \"username\" }",
        "user name",
    ),
];

/// Rows per table whose values are looked at by `--scaffold`.
const SAMPLE_ROWS: usize = 200;

/// A kind of personal data recognised in values: (what, test, suggested rule).
type ValueKind = (&'static str, fn(&[u8]) -> bool, &'static str);

/// What sampled values can reveal, with the rule to suggest.
const VALUE_KINDS: &[ValueKind] = &[
    (
        "email addresses",
        looks_like_email,
        "{ transform = \"hash\", format = \"email\" }",
    ),
    ("card numbers", looks_like_card, "\"fpe\""),
    ("phone numbers", looks_like_phone, "\"fpe\""),
    (
        "IP addresses",
        looks_like_ipv4,
        "{ transform = \"fake\", kind = \"ipv4\" }",
    ),
    (
        "Japanese addresses",
        looks_like_ja_address,
        "{ transform = \"fake\", kind = \"address\", locale = \"ja_JP\" }",
    ),
];

/// The value kind most samples of column `c` have (at least 60% of the non-NULL ones).
fn sampled_kind(rows: &[Vec<Option<Vec<u8>>>], c: usize) -> Option<(&'static str, &'static str)> {
    let values: Vec<&[u8]> = rows
        .iter()
        .filter_map(|r| r.get(c)?.as_deref())
        .filter(|v| !v.is_empty())
        .collect();
    if values.len() < 3 {
        return None;
    }
    VALUE_KINDS.iter().find_map(|(what, test, rule)| {
        let hits = values.iter().filter(|v| test(v)).count();
        (hits * 10 >= values.len() * 6).then_some((*what, *rule))
    })
}

fn looks_like_email(v: &[u8]) -> bool {
    let Some(at) = v.iter().position(|&b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&v[..at], &v[at + 1..]);
    !local.is_empty()
        && domain.contains(&b'.')
        && !domain.contains(&b'@')
        && !v.iter().any(u8::is_ascii_whitespace)
}

fn digits(v: &[u8], allowed: &[u8]) -> Option<Vec<u8>> {
    v.iter()
        .all(|b| b.is_ascii_digit() || allowed.contains(b))
        .then(|| v.iter().copied().filter(u8::is_ascii_digit).collect())
}

fn looks_like_phone(v: &[u8]) -> bool {
    // Not a date or time written as text (`2024-01-02`, `12:30:00`).
    let date_like = v.len() == 10 && v[4] == b'-' && v[7] == b'-';
    !date_like
        && digits(v, b" -+().").is_some_and(|d| (7..=15).contains(&d.len()))
        && v.iter().any(|b| !b.is_ascii_digit() || v.len() >= 10)
}

fn looks_like_card(v: &[u8]) -> bool {
    let Some(d) = digits(v, b" -") else {
        return false;
    };
    if !(13..=19).contains(&d.len()) {
        return false;
    }
    // Luhn checksum.
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &c)| {
            let x = (c - b'0') as u32;
            if i % 2 == 1 {
                if x * 2 > 9 {
                    x * 2 - 9
                } else {
                    x * 2
                }
            } else {
                x
            }
        })
        .sum();
    sum % 10 == 0
}

fn looks_like_ipv4(v: &[u8]) -> bool {
    let parts: Vec<&[u8]> = v.split(|&b| b == b'.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.iter().all(u8::is_ascii_digit)
                && std::str::from_utf8(p)
                    .ok()
                    .and_then(|s| s.parse::<u16>().ok())
                    .is_some_and(|n| n <= 255)
        })
}

fn looks_like_ja_address(v: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(v) else {
        return false;
    };
    s.contains(['都', '道', '府', '県']) && s.contains(['市', '区', '町', '村'])
}

/// A unique column must stay unique after masking: a suggestion that can
/// repeat values (fake, partial) becomes hash (wide text) or fpe.
fn keep_unique(
    rule: &'static str,
    col: &Column,
    schema: &TableSchema,
) -> (&'static str, &'static str) {
    let single = |cols: &Vec<String>| cols.len() == 1 && cols[0].eq_ignore_ascii_case(&col.name);
    let unique = single(&schema.primary_key) || schema.unique_keys.iter().any(single);
    if !unique || !(rule.contains("\"fake\"") || rule.contains("\"partial\"")) {
        return (rule, "");
    }
    let wide = match col.ty {
        ColumnType::Char { max_chars, .. } => max_chars >= 16,
        ColumnType::Text { .. } => true,
        _ => false,
    };
    let rule = if wide { "\"hash\"" } else { "\"fpe\"" };
    (
        rule,
        " (unique key: a transform that keeps values distinct)",
    )
}

fn scaffold(samples: &[TableSample]) -> String {
    let patterns: Vec<&str> = SUGGESTIONS.iter().map(|s| s.0).collect();
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(patterns)
        .expect("static patterns");
    let mut out = String::from(
        "# Generated by `masker check --scaffold`: every column is classified.\n\
         # Review each suggestion; `keep` passes a column through unchanged.\n\
         strict = true\n\n[key]\nenv = \"MASKER_KEY\"\n",
    );
    for TableSample { schema, rows } in samples {
        let _ = write!(out, "\n[tables.{}]\n", toml_key(&schema.name.to_string()));
        for (c, col) in schema
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.generated)
        {
            let key = toml_key(&col.name);
            let textual = matches!(
                col.ty,
                ColumnType::Char { .. } | ColumnType::Text { .. } | ColumnType::Date
            );
            let hit = ac
                .find(&col.name)
                .map(|m| SUGGESTIONS[m.pattern().as_usize()])
                .filter(|_| textual && !schema.primary_key.iter().any(|p| p == &col.name));
            let is_key = schema.primary_key.iter().any(|p| p == &col.name);
            let text_type = matches!(col.ty, ColumnType::Char { .. } | ColumnType::Text { .. });
            let by_values = (text_type && !is_key)
                .then(|| sampled_kind(rows, c))
                .flatten();
            let suggestion = match (hit, by_values) {
                (Some((_, rule, what)), _) => Some((rule, format!("name looks like: {what}"))),
                (None, Some((what, rule))) => Some((rule, format!("values look like: {what}"))),
                (None, None) => None,
            };
            match suggestion {
                Some((rule, why)) => {
                    let (rule, note) = keep_unique(rule, col, schema);
                    let _ = writeln!(out, "{key} = {rule}  # {why}{note}");
                }
                None => {
                    let _ = writeln!(out, "{key} = \"keep\"");
                }
            }
        }
    }
    out
}
