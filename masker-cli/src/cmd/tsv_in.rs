//! `masker mask` with TSV input: a `mysqldump --tab` directory (`--tab`), or
//! one table's TSV stream (`--format tsv`); and `masker check --tab`, which
//! runs the `--tab` path with nothing written. This module owns the TSV
//! flags (flattened into `masker mask`; the dialect flags also into `masker
//! check`, `masker scan` and `masker verify-leaks`), turning them into a
//! [`TsvDialect`] and a table schema, and the files; masking itself is
//! [`masker_core::tsv::mask_tsv`] / [`crate::tab_dir::mask_tab_dir`].
//!
//! Flag values take the escapes mysqldump's `--fields-*` options take (they
//! are SQL string contents): `\t`, `\n`, `\r`, `\\`, `\0`, `\b`, `\Z`, `\'`,
//! `\"`; any other `\x` is `x`.

use std::fs::File;
use std::io::BufReader;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, ValueEnum};
use masker_core::read_schemas;
use masker_core::rules::Rules;
use masker_core::schema::{TableName, TableSchema};
use masker_core::tokenizer::tsv::TsvDialect;
use masker_core::tsv::{mask_tsv, text_schema, TsvOptions};

use crate::tab_dir::{mask_tab_dir, TabSummary};

use crate::io::out_dir::StagedDir;
use crate::io::{open_input, open_output};
use crate::report::{Failure, EXIT_CONFIG, EXIT_IO};

/// The input format of `masker mask`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// A mysqldump / mariadb-dump SQL file (the default).
    Sql,
    /// One table's data in LOAD DATA's text format (needs --table with --schema or --columns, or --header).
    Tsv,
}

/// TSV input flags of `masker mask`.
#[derive(Debug, Clone, Default, Args)]
pub struct TsvInArgs {
    /// Mask a `mysqldump --tab` directory (X.sql + X.txt per table) into the
    /// directory given with -o (built aside and renamed into place on
    /// success; a non-empty one needs --force).
    #[arg(long, value_name = "IN_DIR")]
    pub tab: Option<std::path::PathBuf>,
    /// Input format (default sql; `--tab` implies tsv).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<InputFormat>,
    /// The table a TSV stream belongs to (names it for the rules).
    #[arg(long, value_name = "NAME")]
    pub table: Option<String>,
    /// The table's CREATE TABLE (the `.sql` of `mysqldump --tab`) for a TSV stream.
    #[arg(long, value_name = "SCHEMA.sql", conflicts_with = "columns")]
    pub schema: Option<std::path::PathBuf>,
    /// The TSV stream's column names, in order (every column is then TEXT).
    #[arg(long, value_name = "a,b,c", value_delimiter = ',')]
    pub columns: Option<Vec<String>>,
    /// The TSV stream's first line names the columns (written unchanged).
    #[arg(long)]
    pub header: bool,
    /// The database of the tables (for rules keyed `db.table`).
    #[arg(long, value_name = "NAME")]
    pub database: Option<String>,
    #[command(flatten)]
    pub dialect: DialectArgs,
}

/// The `LOAD DATA` dialect flags (mysqldump's own `--fields-*` and
/// `--lines-*`), shared by `masker mask`, `masker check --tab`, `masker
/// scan` and `masker verify-leaks`.
#[derive(Debug, Clone, Default, Args)]
pub struct DialectArgs {
    /// FIELDS TERMINATED BY (default `\t`).
    #[arg(long, value_name = "STRING", allow_hyphen_values = true)]
    pub fields_terminated_by: Option<String>,
    /// FIELDS ENCLOSED BY (one character; default none).
    #[arg(
        long,
        value_name = "CHAR",
        conflicts_with = "fields_optionally_enclosed_by"
    )]
    pub fields_enclosed_by: Option<String>,
    /// FIELDS OPTIONALLY ENCLOSED BY (one character).
    #[arg(long, value_name = "CHAR")]
    pub fields_optionally_enclosed_by: Option<String>,
    /// FIELDS ESCAPED BY (one character, or '' for none; default `\\`).
    #[arg(long, value_name = "CHAR")]
    pub fields_escaped_by: Option<String>,
    /// LINES TERMINATED BY (default `\n`).
    #[arg(long, value_name = "STRING", allow_hyphen_values = true)]
    pub lines_terminated_by: Option<String>,
}

/// True when the TSV path should run: `--tab`, `--format tsv`, or any
/// TSV-only flag (so that a stray one is reported, never ignored).
pub fn wants_tsv(a: &TsvInArgs) -> bool {
    a.tab.is_some()
        || a.format == Some(InputFormat::Tsv)
        || a.table.is_some()
        || a.schema.is_some()
        || a.columns.is_some()
        || a.header
        || a.database.is_some()
        || a.dialect.any()
}

impl DialectArgs {
    /// True when any dialect flag is given.
    pub fn any(&self) -> bool {
        !self.given().is_empty()
    }

    /// The dialect flags given, by name.
    pub fn given(&self) -> Vec<&'static str> {
        [
            (
                self.fields_terminated_by.is_some(),
                "--fields-terminated-by",
            ),
            (self.fields_enclosed_by.is_some(), "--fields-enclosed-by"),
            (
                self.fields_optionally_enclosed_by.is_some(),
                "--fields-optionally-enclosed-by",
            ),
            (self.fields_escaped_by.is_some(), "--fields-escaped-by"),
            (self.lines_terminated_by.is_some(), "--lines-terminated-by"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect()
    }
}

/// Undo the escapes of a flag value (see the module docs).
pub fn parse_flag_escapes(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            out.push(match b[i + 1] {
                b't' => b'\t',
                b'n' => b'\n',
                b'r' => b'\r',
                b'0' => 0,
                b'b' => 8,
                b'Z' => 0x1A,
                other => other,
            });
            i += 2;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// The dialect the flags describe.
pub fn dialect(a: &DialectArgs) -> Result<TsvDialect, Failure> {
    let mut b = TsvDialect::builder();
    if let Some(v) = &a.fields_terminated_by {
        b = b.fields_terminated_by(&parse_flag_escapes(v));
    }
    if let Some(v) = &a.fields_enclosed_by {
        b = b.fields_enclosed_by(&parse_flag_escapes(v));
    }
    if let Some(v) = &a.fields_optionally_enclosed_by {
        b = b.fields_optionally_enclosed_by(&parse_flag_escapes(v));
    }
    if let Some(v) = &a.fields_escaped_by {
        b = b.fields_escaped_by(&parse_flag_escapes(v));
    }
    if let Some(v) = &a.lines_terminated_by {
        b = b.lines_terminated_by(&parse_flag_escapes(v));
    }
    b.build()
        .map_err(|e| Failure::new(EXIT_CONFIG, format!("invalid TSV options: {e}")))
}

/// The dialect of the `--tab` directories a command reads beside SQL
/// dumps (`masker scan`, `masker verify-leaks`). `dirs`: whether its input
/// is a directory; when it is not, a dialect flag would do nothing and is
/// refused, never ignored, saying what the input is (`inputs`).
pub fn dir_dialect(a: &DialectArgs, dirs: bool, inputs: &str) -> Result<TsvDialect, Failure> {
    let given = a.given();
    if !dirs && !given.is_empty() {
        return Err(usage(format!(
            "{} {} nothing with {inputs}: the --fields-* and --lines-* flags describe the data files of a `mysqldump --tab` directory",
            given.join(", "),
            if given.len() == 1 { "does" } else { "do" }
        )));
    }
    dialect(a)
}

/// Before `masker scan` or `verify-leaks` (`command`) reads `dir` as a
/// `mysqldump --tab` directory: a mydumper directory is refused (neither
/// reads one): read as a `--tab` directory it has no table, and the report
/// would be clean having read nothing.
pub fn refuse_mydumper_dir(dir: &Path, command: &str) -> Result<(), Failure> {
    if crate::mydumper_dir::is_mydumper_dir(dir) {
        return Err(usage(format!(
            "{} is a mydumper directory: `masker {command}` reads SQL dumps and `mysqldump --tab` directories (X.sql + X.txt per table), not mydumper directories",
            dir.display()
        )));
    }
    Ok(())
}

/// After `masker scan` or `verify-leaks` read `dir` as a `mysqldump --tab`
/// directory: one that gave no table with data (`tables`) was not what the
/// user meant (a directory of other files, or of views only), and is
/// refused rather than reported clean.
pub fn refuse_no_tables(dir: &Path, tables: usize) -> Result<(), Failure> {
    if tables == 0 {
        return Err(Failure::new(
            crate::report::EXIT_INPUT,
            format!(
                "{} has no table with data (an X.txt beside its X.sql, as `mysqldump --tab` writes them): nothing was read",
                dir.display()
            ),
        ));
    }
    Ok(())
}

fn usage(msg: impl Into<String>) -> Failure {
    Failure::new(EXIT_CONFIG, msg)
}

/// The options of a TSV run from the general flags.
pub fn options(
    threads: Option<usize>,
    allow_missing: bool,
    header: bool,
) -> Result<TsvOptions, Failure> {
    let mut opts = TsvOptions {
        header,
        allow_missing,
        ..TsvOptions::default()
    };
    if let Some(t) = threads {
        if t == 0 {
            return Err(usage("--threads must be at least 1"));
        }
        opts.threads = t;
    }
    Ok(opts)
}

/// The refusal of an INPUT given beside `--tab` (by `mask` and `check`).
pub const TAB_AND_INPUT: &str = "--tab reads the directory it names; do not give an INPUT as well";

/// A `--tab` directory through [`mask_tab_dir`]: masked into `output`
/// (`Some((dir, force))`: built aside and renamed into place on success;
/// `force` replaces a non-empty one), or with `None` checked (`masker check
/// --tab`): the same code, every masked byte thrown away, nothing written.
pub fn tab_dir(
    rules: &Rules,
    dir: &Path,
    output: Option<(&Path, bool)>,
    dialect: &TsvDialect,
    opts: &TsvOptions,
    database: Option<&str>,
) -> Result<TabSummary, Failure> {
    let Some((out_dir, force)) = output else {
        return Ok(mask_tab_dir(rules, dir, None, dialect, opts, database)?);
    };
    crate::file_jobs::check_out_dir(dir, out_dir, "--tab")?;
    let staged = StagedDir::create(out_dir, force)?;
    let s = mask_tab_dir(rules, dir, Some(staged.path()), dialect, opts, database)
        .map_err(|e| staged.hide_temp_in(e.into()))?;
    staged.commit()?;
    Ok(s)
}

/// The general flags of `masker mask` that apply to TSV input.
#[derive(Debug, Clone, Copy)]
pub struct RunFlags {
    pub threads: Option<usize>,
    pub allow_missing: bool,
    pub quiet: bool,
    pub force: bool,
    /// Compression of a stream's output (default: from its extension).
    pub compress: Option<crate::io::Compression>,
}

/// Run `masker mask` on TSV input. `input`: the INPUT argument (`None` or
/// `-` for stdin); `output`: `-o` (the output directory with `--tab`, built
/// aside and renamed into place on success; `force` replaces a non-empty one).
pub fn run(
    rules: &Rules,
    tsv: &TsvInArgs,
    input: Option<&Path>,
    output: Option<&Path>,
    flags: RunFlags,
) -> Result<ExitCode, Failure> {
    let RunFlags {
        threads,
        allow_missing,
        quiet,
        force,
        compress,
    } = flags;
    if tsv.format == Some(InputFormat::Sql) {
        return Err(usage(
            "TSV options (--tab, --table, --schema, --columns, --header, --database, --fields-*, --lines-*) do not apply to --format sql",
        ));
    }
    let d = dialect(&tsv.dialect)?;
    let opts = options(threads, allow_missing, tsv.header)?;
    let input = input.filter(|p| p.as_os_str() != "-");
    let started = Instant::now();
    if let Some(dir) = &tsv.tab {
        if input.is_some() {
            return Err(usage(TAB_AND_INPUT));
        }
        if tsv.table.is_some() || tsv.schema.is_some() || tsv.columns.is_some() || tsv.header {
            return Err(usage(
                "--table, --schema, --columns and --header are for a single TSV stream (--format tsv), not --tab",
            ));
        }
        let Some(out_dir) = output.filter(|p| p.as_os_str() != "-") else {
            return Err(usage("--tab needs -o OUT_DIR (the masked directory)"));
        };
        let s = tab_dir(
            rules,
            dir,
            Some((out_dir, force)),
            &d,
            &opts,
            tsv.database.as_deref(),
        )?;
        if !quiet {
            crate::report::print_dir_summary(&s, started.elapsed());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let schema = stream_schema(tsv)?;
    let input = input.unwrap_or(Path::new("-"));
    if let Some(why) = crate::io::out_path::refuse_input_as_output(input, output) {
        return Err(Failure::new(2, why));
    }
    let opened = open_input(input)?;
    let mut out = open_output(output, compress)?;
    // A progress bar on a terminal, as for SQL input.
    let progress = (!quiet && std::io::stderr().is_terminal())
        .then(|| crate::progress::Progress::start(opened.size, opened.raw_count.clone()));
    let result = mask_tsv(rules, &schema, &d, opened.reader, out.writer(), &opts);
    if let Some(p) = progress {
        p.stop();
    }
    let summary = result?;
    out.commit().map_err(crate::report::output_failure)?;
    if !quiet {
        crate::report::print_summary(&summary, started.elapsed());
    }
    Ok(ExitCode::SUCCESS)
}

/// The schema of a single TSV stream: from `--schema`, `--columns` or the header.
fn stream_schema(tsv: &TsvInArgs) -> Result<TableSchema, Failure> {
    let db = tsv.database.as_deref();
    let mut schema = if let Some(path) = &tsv.schema {
        let f = File::open(path)
            .map_err(|e| Failure::new(EXIT_IO, format!("cannot open {}: {e}", path.display())))?;
        let schemas =
            read_schemas(BufReader::new(f)).map_err(|e| crate::file_jobs::in_file(e, path))?;
        let found = match &tsv.table {
            Some(t) => schemas.into_iter().find(|s| s.name.table == *t),
            None if schemas.len() == 1 => schemas.into_iter().next(),
            None => {
                return Err(usage(format!(
                    "{} has {} CREATE TABLE statements: choose one with --table",
                    path.display(),
                    schemas.len()
                )))
            }
        };
        found.ok_or_else(|| {
            usage(format!(
                "{} has no CREATE TABLE for the table given with --table",
                path.display()
            ))
        })?
    } else {
        let Some(table) = &tsv.table else {
            return Err(usage(
                "a TSV stream needs --table NAME (with --columns or --header), or --schema SCHEMA.sql",
            ));
        };
        let name = TableName::new(None, table);
        match &tsv.columns {
            Some(cols) => text_schema(name, cols),
            None if tsv.header => text_schema(name, &[]),
            None => return Err(usage(
                "a TSV stream needs its columns: --schema SCHEMA.sql, --columns a,b,c or --header",
            )),
        }
    };
    if db.is_some() {
        schema.name.database = db.map(str::to_owned);
    }
    Ok(schema)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_escapes() {
        assert_eq!(parse_flag_escapes("\\t"), b"\t");
        assert_eq!(parse_flag_escapes("\\r\\n"), b"\r\n");
        assert_eq!(parse_flag_escapes("\\\\"), b"\\");
        assert_eq!(parse_flag_escapes("\\"), b"\\");
        assert_eq!(parse_flag_escapes(""), b"");
        assert_eq!(parse_flag_escapes("||"), b"||");
    }

    #[test]
    fn wants_tsv_on_any_tsv_flag() {
        assert!(!wants_tsv(&TsvInArgs::default()));
        let a = TsvInArgs {
            header: true,
            ..TsvInArgs::default()
        };
        assert!(wants_tsv(&a));
    }

    #[test]
    fn dialect_flags_without_a_directory_are_refused() {
        let a = DialectArgs {
            fields_terminated_by: Some(",".into()),
            lines_terminated_by: Some("\\r\\n".into()),
            ..DialectArgs::default()
        };
        assert_eq!(
            a.given(),
            ["--fields-terminated-by", "--lines-terminated-by"]
        );
        let e = dir_dialect(&a, false, "x.sql (not a directory)").unwrap_err();
        assert_eq!(e.code, EXIT_CONFIG);
        assert!(
            e.message
                .starts_with("--fields-terminated-by, --lines-terminated-by do nothing with x.sql (not a directory)"),
            "{}",
            e.message
        );
        let d = dir_dialect(&a, true, "x.sql (not a directory)").unwrap();
        assert_eq!(d, dialect(&a).unwrap());
        // No flag: the default dialect, whatever the input.
        let none = DialectArgs::default();
        assert_eq!(
            dir_dialect(&none, false, "x").unwrap(),
            TsvDialect::default()
        );
    }
}
