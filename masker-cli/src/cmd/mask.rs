//! `masker mask`: stream a dump through the rules.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use masker_core::export::ExportOptions;
use masker_core::leak::{CollectedPart, Collector, LeakKey, OriginalSet};
use masker_core::pipeline::visit::mask_reader_visiting;
use masker_core::rules::Rules;
use masker_core::schema::TableSchema;
use masker_core::{mask_reader_with_export, ExportConfig, ExportSink, MaskOptions};

use crate::export_files::ExportFiles;
use crate::progress::Progress;

use crate::io::out_dir::StagedDir;
use crate::io::{open_input, open_output, Compression};
use crate::report::{Failure, EXIT_IO};

/// Flags of `masker mask`.
#[derive(Debug, Args)]
pub struct MaskArgs {
    /// Rules file (TOML). A file with no tables gives the identity.
    #[arg(long, short = 'r', value_name = "RULES.toml")]
    rules: PathBuf,
    /// Input dump: a path, or `-` for stdin (gzip and zstd are detected), or
    /// a mydumper output directory (masked into the directory given with -o).
    #[arg(value_name = "INPUT", default_value = "-")]
    input: PathBuf,
    /// Output path (default stdout). `.gz` / `.zst` compress. A file is
    /// written to a temporary file and renamed only on success; a device or
    /// FIFO is written straight into.
    #[arg(long, short = 'o', value_name = "OUTPUT")]
    output: Option<PathBuf>,
    /// Replace a non-empty output directory (`--tab -o DIR`, a mydumper
    /// directory's `-o DIR`, `--out-dir DIR`) whole, once the run has succeeded.
    #[arg(long)]
    force: bool,
    /// Compression of the output (default: from the output's extension).
    #[arg(long, value_enum)]
    compress: Option<Compression>,
    /// Worker threads (default: all cores). Output is identical for every value.
    #[arg(long, short = 't')]
    threads: Option<usize>,
    /// Do not fail when a rule names a table that is not in the dump.
    #[arg(long)]
    allow_missing: bool,
    /// Accept a mysqldump / mariadb-dump file without its `-- Dump completed`
    /// last line (otherwise it is refused as truncated), or a mydumper
    /// directory whose `metadata` lacks `Finished dump at`.
    #[arg(long)]
    allow_incomplete: bool,
    /// Show a progress bar even when stderr is not a terminal.
    #[arg(long)]
    progress: bool,
    /// No progress bar and no summary.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// After masking, check that no original value of a masked column
    /// survives anywhere in the output (SQL input, -o FILE only): the
    /// originals are collected as the masking runs, then the written output
    /// is read back. Exit 5 when one did.
    #[arg(long)]
    leak_check: bool,
    #[command(flatten)]
    leak: super::leaks::Tuning,
    #[command(flatten)]
    export: ExportArgs,
    #[command(flatten)]
    tsv: Box<super::tsv_in::TsvInArgs>,
}

/// Flags of the TSV export for BigQuery.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Also (or, without -o, only) write the masked rows as TSV files for
    /// BigQuery: one `db.table.tsv` and `db.table.schema.json` per table.
    #[arg(long, value_enum, value_name = "FORMAT")]
    to: Option<ExportFormat>,
    /// Directory for the export's files (created on success; a non-empty
    /// one needs --force).
    #[arg(long, value_name = "DIR", requires = "to")]
    out_dir: Option<PathBuf>,
    /// Export only these tables (`table` or `db.table`, comma-separated).
    #[arg(long, value_delimiter = ',', requires = "to")]
    tables: Vec<String>,
    /// Never export these tables (`table` or `db.table`, comma-separated).
    #[arg(long, value_delimiter = ',', requires = "to")]
    exclude_tables: Vec<String>,
    /// Compress the export's files (BigQuery loads gzip, not zstd).
    #[arg(long, value_enum, default_value = "none", requires = "to")]
    export_compress: Compression,
    /// Split each table's export into parts of about this many MB (fractions
    /// allowed: 0.5).
    #[arg(long = "split-mb", value_name = "MB", requires = "to", value_parser = parse_split_mb)]
    split_bytes: Option<u64>,
    /// No header line in the export's files.
    #[arg(long, requires = "to")]
    no_header: bool,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Tab-separated values in the dialect `bq load --source_format=CSV` reads.
    Tsv,
}

/// What `masker mask` does; each mode takes only its own flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A SQL dump to masked SQL.
    Sql,
    /// A SQL dump to the BigQuery export (and masked SQL with -o).
    SqlExport,
    /// One table's TSV stream.
    TsvStream,
    /// A `mysqldump --tab` directory.
    TabDir,
    /// A mydumper output directory (INPUT is a directory).
    MydumperDir,
}

/// A file named like a SQL dump (`.sql`, `.sql.gz`, `.sql.zst`).
fn looks_like_sql(input: &std::path::Path) -> bool {
    let name = input
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase());
    name.is_some_and(|n| {
        [".sql", ".sql.gz", ".sql.zst"]
            .iter()
            .any(|e| n.ends_with(e))
    })
}

impl Mode {
    /// The mode the flags ask for; a flag that would do nothing in it is a
    /// usage error, never silently ignored.
    fn of(args: &MaskArgs) -> Result<Mode, Failure> {
        let tsv = super::tsv_in::wants_tsv(&args.tsv);
        let mode = match (args.tsv.tab.is_some(), tsv, args.export.to.is_some()) {
            (true, _, _) => Mode::TabDir,
            (false, _, _) if args.input.is_dir() => Mode::MydumperDir,
            (false, true, _) => Mode::TsvStream,
            (false, false, true) => Mode::SqlExport,
            (false, false, false) => Mode::Sql,
        };
        if mode == Mode::TsvStream && args.tsv.format.is_none() && looks_like_sql(&args.input) {
            return Err(Failure::new(
                2,
                format!(
                    "{} looks like a SQL dump, but the TSV flags given (--schema, --table, ...) make masker read it as one TSV stream; a SQL dump needs none of them (a --no-create-info dump masks with its schema in front: cat schema.sql data.sql | masker mask --rules RULES); if it really is TSV, say --format tsv",
                    args.input.display()
                ),
            ));
        }
        let mut idle: Vec<&str> = Vec::new();
        let mut flag = |on: bool, name: &'static str| {
            if on {
                idle.push(name);
            }
        };
        let to = args.export.to.is_some();
        flag(args.leak_check && mode != Mode::Sql, "--leak-check");
        match mode {
            Mode::TabDir => {
                flag(to, "--to");
                flag(args.compress.is_some(), "--compress");
                flag(args.allow_incomplete, "--allow-incomplete");
                flag(args.progress, "--progress");
            }
            Mode::TsvStream => {
                flag(to, "--to");
                flag(args.force, "--force");
                flag(args.allow_incomplete, "--allow-incomplete");
                // One stream is one table: rules for others never count as missing.
                flag(args.allow_missing, "--allow-missing");
            }
            Mode::MydumperDir => {
                flag(to, "--to");
                flag(args.compress.is_some(), "--compress");
                flag(args.progress, "--progress");
                // The directory names its tables, databases and format.
                flag(tsv, "TSV options (--format, --table, --schema, --columns, --header, --database, --fields-*, --lines-*)");
            }
            Mode::Sql => flag(args.force, "--force"),
            Mode::SqlExport => {}
        }
        if idle.is_empty() {
            return Ok(mode);
        }
        let what = match mode {
            Mode::TabDir => "a --tab directory",
            Mode::MydumperDir => "a mydumper directory (its data files keep their own compression)",
            Mode::TsvStream => "one TSV stream",
            Mode::Sql => "SQL output to a file or stdout (--force replaces output directories)",
            Mode::SqlExport => "an export",
        };
        if idle == ["--leak-check"] {
            let how = if mode == Mode::TabDir {
                "check the masked directory with `masker verify-leaks --rules RULES IN_DIR OUT_DIR` (and the same --fields-* / --lines-* flags, if any)"
            } else {
                "check a --tab directory or an export with `masker verify-leaks`"
            };
            return Err(Failure::new(
                2,
                format!("--leak-check is for a SQL dump masked to -o FILE, not {what}; {how}"),
            ));
        }
        Err(Failure::new(
            2,
            format!(
                "{} {} nothing with {what}",
                idle.join(", "),
                if idle.len() == 1 { "does" } else { "do" }
            ),
        ))
    }
}

pub fn run(args: MaskArgs) -> Result<std::process::ExitCode, Failure> {
    let mode = Mode::of(&args)?;
    let rules = super::load_rules(&args.rules, true)?;
    if mode == Mode::MydumperDir {
        return mask_mydumper(&rules, &args);
    }
    if matches!(mode, Mode::TabDir | Mode::TsvStream) {
        return super::tsv_in::run(
            &rules,
            &args.tsv,
            Some(&args.input),
            args.output.as_deref(),
            super::tsv_in::RunFlags {
                threads: args.threads,
                allow_missing: args.allow_missing,
                quiet: args.quiet,
                force: args.force,
                compress: args.compress,
            },
        );
    }
    if let Some(why) =
        crate::io::out_path::refuse_input_as_output(&args.input, args.output.as_deref())
    {
        return Err(Failure::new(2, why));
    }
    if args.leak_check {
        leak_check_output(args.output.as_deref())?;
    }
    let export = export_setup(&args.export, &rules, args.force)?;
    let input = open_input(&args.input)?;
    // With an export and no -o, the SQL output is not wanted.
    let sql_wanted = export.is_none() || args.output.is_some();
    let output_discarded = !sql_wanted;
    let mut output = if sql_wanted {
        Some(open_output(args.output.as_deref(), args.compress)?)
    } else {
        None
    };
    let mut opts = MaskOptions {
        allow_missing: args.allow_missing,
        allow_incomplete: args.allow_incomplete,
        ..MaskOptions::default()
    };
    if let Some(t) = args.threads {
        if t == 0 {
            return Err(Failure::new(2, "--threads must be at least 1"));
        }
        opts.threads = t;
    }
    let show_progress = !args.quiet && (args.progress || std::io::stderr().is_terminal());
    let progress = show_progress.then(|| Progress::start(input.size, input.raw_count.clone()));
    let started = Instant::now();
    let (export, staged) = match export {
        Some((config, files, staged)) => (Some((config, files)), Some(staged)),
        None => (None, None),
    };
    // Errors of writes into the staging directory name the user's directory.
    let hide = |f: Failure| match &staged {
        Some(s) => s.hide_temp_in(f),
        None => f,
    };
    let mut sink = export.map(|(config, files)| {
        (
            config,
            FilesSink {
                files,
                current: None,
            },
        )
    });
    let export_arg = sink
        .as_mut()
        .map(|(config, s)| (&*config, s as &mut dyn ExportSink));
    let leak_opts = args.leak.options();
    let leak_key = LeakKey::for_rules(&rules);
    let mut originals = CollectedPart::default();
    let result = match output.as_mut() {
        Some(out) if args.leak_check => {
            let collector = Collector::new(leak_key.clone(), leak_opts);
            mask_reader_visiting(
                &rules,
                input.reader,
                out.writer(),
                &opts,
                &collector,
                |mut p| originals.append(&mut p),
            )
        }
        Some(out) => mask_reader_with_export(&rules, input.reader, out.writer(), &opts, export_arg),
        None => mask_reader_with_export(&rules, input.reader, std::io::sink(), &opts, export_arg),
    };
    if let Some(p) = progress {
        p.stop();
    }
    let exporting = sink.is_some();
    // A broken pipe on stdout is a quiet success, unless an export is being
    // written in the same run: then it would be dropped silently.
    let broken_export = |what: &str| {
        Failure::new(
            EXIT_IO,
            format!(
                "the reader of the masked SQL went away ({what}); the export to {} was not finished and nothing of it was kept",
                args.export
                    .out_dir
                    .as_deref()
                    .unwrap_or(std::path::Path::new("."))
                    .display()
            ),
        )
    };
    let summary = match result {
        Err(e) if exporting && e.is_broken_pipe() => return Err(broken_export("broken pipe")),
        r => r.map_err(|e| hide(Failure::from(e)))?,
    };
    crate::report::refuse_empty_input(&args.input, summary.bytes_in).map_err(&hide)?;
    if let Some(output) = output {
        output.commit().map_err(|e| {
            if exporting && e.kind() == std::io::ErrorKind::BrokenPipe {
                broken_export("broken pipe")
            } else {
                crate::report::output_failure(e)
            }
        })?;
    }
    let exported = match (sink, staged) {
        (Some((config, s)), Some(staged)) => {
            let files = s.files.finish().map_err(|e| {
                staged.hide_temp_in(Failure::new(
                    EXIT_IO,
                    format!("cannot finish the export: {e}"),
                ))
            })?;
            let dir = staged.user().to_owned();
            staged.commit()?;
            // The files' names, in the directory the user named.
            let paths: Vec<PathBuf> = files
                .iter()
                .filter_map(|p| p.file_name())
                .map(|n| dir.join(n))
                .collect();
            Some((config, paths))
        }
        _ => None,
    };
    let mut summary = summary;
    if output_discarded {
        // Only the export was written: report no SQL bytes "out".
        summary.bytes_out = 0;
    }
    let masked_in = started.elapsed();
    if !args.quiet {
        crate::report::print_summary(&summary, masked_in);
    }
    if let (true, Some(path)) = (args.leak_check, args.output.as_deref()) {
        let started = Instant::now();
        let set = OriginalSet::build(originals, leak_opts.bits_per_value);
        // `path` is the SQL output (`--leak-check` is refused for the
        // TSV modes): no TSV dialect is read.
        let how = super::leaks::Reading {
            dialect: masker_core::tokenizer::tsv::TsvDialect::default(),
            database: None,
            threads: opts.threads,
        };
        let report = super::leaks::check(&set, leak_key, leak_opts, path, &how, None)?;
        let code = super::leaks::print(&report, &set, path, false)?;
        if !args.quiet {
            eprintln!(
                "masker: leak check took {:.2} s after {:.2} s of masking (+{:.0}%)",
                started.elapsed().as_secs_f64(),
                masked_in.as_secs_f64(),
                100.0 * started.elapsed().as_secs_f64() / masked_in.as_secs_f64().max(1e-9)
            );
        }
        return Ok(code);
    }
    if !args.quiet {
        if let Some((config, paths)) = exported {
            let dir = args
                .export
                .out_dir
                .as_deref()
                .unwrap_or(std::path::Path::new("."));
            eprintln!(
                "export: {} files in {}; load each table with:",
                paths.len(),
                dir.display()
            );
            let mut tables: Vec<String> = paths
                .iter()
                .filter_map(|p| p.file_name()?.to_str())
                .filter_map(|n| n.strip_suffix(".schema.json"))
                .map(str::to_owned)
                .collect();
            tables.sort();
            for t in &tables {
                // One file, or numbered parts when split.
                let whole = paths.iter().find(|p| {
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n.strip_prefix(t.as_str())
                            .is_some_and(|r| r.starts_with(".tsv"))
                    })
                });
                let data = match whole {
                    Some(p) => p.clone(),
                    None => dir.join(format!("{t}-*.tsv*")),
                };
                let schema = dir.join(format!("{t}.schema.json"));
                eprintln!(
                    "  {}",
                    crate::bq_hint::bq_load_command(
                        &format!("DATASET.{}", crate::bq_hint::bq_table_name(t, &tables)),
                        &data.display().to_string(),
                        &schema.display().to_string(),
                        &config.options
                    )
                );
            }
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// `masker mask DIR -o OUT_DIR` for a mydumper directory.
fn mask_mydumper(rules: &Rules, args: &MaskArgs) -> Result<std::process::ExitCode, Failure> {
    let dir = &args.input;
    super::mydumper_in::require_layout(dir, "masker mask --rules RULES --tab {dir} -o OUT_DIR")?;
    let Some(out_dir) = args.output.as_deref().filter(|p| p.as_os_str() != "-") else {
        return Err(Failure::new(
            2,
            format!(
                "{} is a mydumper directory: give -o OUT_DIR for the masked directory",
                dir.display()
            ),
        ));
    };
    crate::file_jobs::check_out_dir(dir, out_dir, "mydumper")?;
    let opts =
        super::mydumper_in::options(args.threads, args.allow_missing, args.allow_incomplete)?;
    let started = Instant::now();
    let staged = StagedDir::create(out_dir, args.force)?;
    let s = crate::mydumper_dir::mask_mydumper_dir(rules, dir, Some(staged.path()), opts)
        .map_err(|f| staged.hide_temp_in(f))?;
    staged.commit()?;
    if !args.quiet {
        crate::report::print_dir_summary(&s, started.elapsed());
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// `--leak-check` reads the output back: it must be a file, not stdout, a
/// device or a FIFO.
fn leak_check_output(output: Option<&std::path::Path>) -> Result<(), Failure> {
    let Some(path) = output.filter(|p| p.as_os_str() != "-") else {
        return Err(Failure::new(
            2,
            "--leak-check reads the masked output back, which is not possible on stdout: give -o FILE (or run `masker verify-leaks` on a saved copy)",
        ));
    };
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => Err(Failure::new(
            2,
            format!(
                "--leak-check reads the masked output back: {} is not a regular file",
                path.display()
            ),
        )),
        _ => Ok(()),
    }
}

/// Build the export's configuration and files from the flags and the rules'
/// `[export]` section.
fn export_setup(
    args: &ExportArgs,
    rules: &Rules,
    force: bool,
) -> Result<Option<(ExportConfig, ExportFiles, StagedDir)>, Failure> {
    let Some(ExportFormat::Tsv) = args.to else {
        return Ok(None);
    };
    let dir = args
        .out_dir
        .as_deref()
        .ok_or_else(|| Failure::new(2, "--to tsv needs --out-dir DIR"))?;
    let options = ExportOptions {
        header: !args.no_header,
        ..ExportOptions::from_rules(rules.export()).map_err(|e| Failure::new(2, e))?
    };
    if args.export_compress == Compression::Zstd {
        eprintln!("masker: note: BigQuery loads gzip or uncompressed files, not zstd");
    }
    let staged = StagedDir::create(dir, force)?;
    let files = ExportFiles::new(
        staged.path(),
        args.export_compress,
        args.split_bytes,
        options.clone(),
    )
    .map_err(|e| Failure::new(EXIT_IO, format!("cannot create {}: {e}", dir.display())))?;
    let config = ExportConfig {
        options,
        tables: args.tables.clone(),
        exclude_tables: args.exclude_tables.clone(),
    };
    Ok(Some((config, files, staged)))
}

/// `--split-mb`: a positive number of MB (10^6 bytes), fractions allowed;
/// the part size in bytes.
fn parse_split_mb(s: &str) -> Result<u64, String> {
    let mb: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of MB (e.g. 100 or 0.5)"))?;
    if !mb.is_finite() || mb <= 0.0 {
        return Err(format!("{s:?}: the part size must be more than 0 MB"));
    }
    let bytes = (mb * 1_000_000.0).round();
    if bytes < 1.0 || bytes > u64::MAX as f64 {
        return Err(format!("{s:?}: the part size is out of range"));
    }
    Ok(bytes as u64)
}

/// Export files as the core's sink. A table's file is suspended (closed,
/// to be appended to) when rows of another table arrive, so only one
/// compressor at a time holds memory even when tables' rows alternate.
struct FilesSink {
    files: ExportFiles,
    current: Option<usize>,
}

impl ExportSink for FilesSink {
    fn begin_table(&mut self, schema: &TableSchema) -> std::io::Result<usize> {
        self.files.begin_table(schema)
    }

    fn write_rows(&mut self, table: usize, rows: &[u8]) -> std::io::Result<()> {
        if self.current != Some(table) {
            if let Some(prev) = self.current.replace(table) {
                self.files.suspend(prev)?;
            }
        }
        self.files.write_rows(table, rows)
    }

    fn end_table(&mut self, table: usize) -> std::io::Result<()> {
        if self.current == Some(table) {
            self.current = None;
        }
        self.files.end_table(table)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_split_mb;

    #[test]
    fn split_mb_accepts_fractions() {
        assert_eq!(parse_split_mb("0.5"), Ok(500_000));
        assert_eq!(parse_split_mb("2"), Ok(2_000_000));
        assert_eq!(parse_split_mb("0.000001"), Ok(1));
        for bad in ["0", "-1", "abc", "nan", "inf", "0.0000001"] {
            assert!(parse_split_mb(bad).is_err(), "{bad}");
        }
    }
}
