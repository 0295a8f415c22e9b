//! `masker dump`: a live server's tables, dumped in parallel from one
//! consistent snapshot, masked through the same engine as `masker mask`,
//! into a directory of chunk files with `manifest.json` written last. Also
//! holds what `load` and `verify` share: connection flags, the mapping of
//! live-server errors to exit codes, and the progress line.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use masker_core::export::ExportOptions;
use masker_mysql::catalog::TableFilter;
use masker_mysql::dump::{self, DumpOptions, Progress};
use masker_mysql::manifest::{Compression, Format};
use masker_mysql::source::{DirSource, DumpSource};
use masker_mysql::{ConnectOptions, Connector, TlsMode};

use crate::io::temp::TempPath;
use crate::report::{bytes, Failure, EXIT_CONFIG, EXIT_INPUT, EXIT_IO, EXIT_PLAN};

/// How to reach the server. The password is never a flag: `MYSQL_PWD`,
/// `--password-file` or the `[client]` section of `--defaults-file`.
#[derive(Debug, Args)]
pub struct ConnArgs {
    /// Server: `mysql://user@host:port/` (a password in it is refused).
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Unix socket instead of host and port.
    #[arg(long, value_name = "PATH", conflicts_with = "url")]
    socket: Option<PathBuf>,
    /// User name (default: from the URL or option file, else root).
    #[arg(long)]
    user: Option<String>,
    /// File whose first line is the password (else `MYSQL_PWD`).
    #[arg(long, value_name = "FILE")]
    password_file: Option<PathBuf>,
    /// Option file whose `[client]` section gives user, password, host, port,
    /// socket, ssl-ca, ssl-mode.
    #[arg(long, value_name = "FILE")]
    defaults_file: Option<PathBuf>,
    /// TLS: `disabled`, `required` (encrypted, certificate unchecked),
    /// `verify-ca`, `verify-identity` (chain and host name: use it for RDS).
    /// Default: verify-ca with --ssl-ca, else disabled.
    #[arg(long, value_enum, value_name = "MODE")]
    ssl_mode: Option<SslModeArg>,
    /// CA certificates (PEM) to trust, e.g. AWS's RDS bundle
    /// (without it, verifying modes trust the Mozilla roots).
    #[arg(long, value_name = "FILE")]
    ssl_ca: Option<PathBuf>,
}

/// `--ssl-mode` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum SslModeArg {
    Disabled,
    Required,
    VerifyCa,
    VerifyIdentity,
}

impl ConnArgs {
    /// True when a server was named (`--url`, `--socket` or `--defaults-file`).
    pub fn given(&self) -> bool {
        self.url.is_some() || self.socket.is_some() || self.defaults_file.is_some()
    }

    /// Resolve the flags into a connector (reads the password).
    pub fn connector(&self) -> Result<Connector, Failure> {
        let mut o = ConnectOptions::new();
        o.url = self.url.clone();
        o.socket = self.socket.clone();
        o.user = self.user.clone();
        o.password_file = self.password_file.clone();
        o.defaults_file = self.defaults_file.clone();
        o.ssl_ca = self.ssl_ca.clone();
        o.ssl_mode = self.ssl_mode.map(|m| match m {
            SslModeArg::Disabled => TlsMode::Disabled,
            SslModeArg::Required => TlsMode::Required,
            SslModeArg::VerifyCa => TlsMode::VerifyCa,
            SslModeArg::VerifyIdentity => TlsMode::VerifyIdentity,
        });
        o.resolve().map_err(live_failure)
    }
}

/// Exit code of `masker verify` when the copy differs from the dump.
pub const EXIT_DIFFERS: u8 = 5;

/// A live-server error as a failure with its exit code.
pub fn live_failure(e: masker_mysql::Error) -> Failure {
    use masker_mysql::Error as E;
    let code = match &e {
        E::Options(_) => EXIT_CONFIG,
        E::Rules(_) => EXIT_PLAN,
        E::Table { .. } | E::Dump { .. } => EXIT_INPUT,
        _ => EXIT_IO,
    };
    Failure::new(code, e.to_string())
}

/// A progress line on stderr (terminals only, unless forced), redrawn by a
/// thread from counters the workers bump.
pub struct ProgressLine {
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl ProgressLine {
    /// Start drawing `line()` every 200 ms when `show`.
    pub fn start(show: bool, line: impl Fn(Duration) -> String + Send + 'static) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let handle = show.then(|| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let started = Instant::now();
                if !std::io::stderr().is_terminal() {
                    // Forced onto a pipe or a log: a plain line every 2 s.
                    let mut last = Instant::now();
                    while !stop.load(Ordering::Relaxed) {
                        if last.elapsed() >= Duration::from_secs(2) {
                            eprintln!("masker: {}", line(started.elapsed()));
                            last = Instant::now();
                        }
                        std::thread::sleep(Duration::from_millis(100));
                    }
                    return;
                }
                let bar = indicatif::ProgressBar::new_spinner();
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                while !stop.load(Ordering::Relaxed) {
                    bar.set_message(line(started.elapsed()));
                    bar.tick();
                    std::thread::sleep(Duration::from_millis(200));
                }
                bar.finish_and_clear();
            })
        });
        ProgressLine { stop, handle }
    }

    /// Stop and clear the line.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// A fresh local directory (under `$TMPDIR`) for files on their way to or
/// from S3: registered as temporary, so it is removed when dropped and on an
/// interrupt.
pub fn staging_dir(what: &str, url: &str) -> Result<TempPath, Failure> {
    let target = std::env::temp_dir().join(format!("masker-{what}"));
    TempPath::create_dir(&target, Path::new(url)).map_err(|e| {
        Failure::new(
            EXIT_IO,
            format!(
                "cannot create a staging directory in {}: {e}",
                target.display()
            ),
        )
    })
}

/// The dump FROM names: a directory, or `s3://bucket/prefix` (files are
/// streamed from S3 as they are read, never copied locally first).
pub fn dump_source(from: &str) -> Result<Box<dyn DumpSource>, Failure> {
    if masker_mysql::store::is_s3(from) {
        let s3 = masker_mysql::store::S3Dump::open(from).map_err(live_failure)?;
        return Ok(Box::new(s3));
    }
    Ok(Box::new(DirSource::new(Path::new(from))))
}

/// Whether to show progress: forced, or stderr is a terminal (never when quiet).
pub fn show_progress(force: bool, quiet: bool) -> bool {
    !quiet && (force || std::io::stderr().is_terminal())
}

/// `rate/s` of `n` bytes over `d`.
pub fn rate(n: u64, d: Duration) -> String {
    bytes((n as f64 / d.as_secs_f64().max(1e-9)) as u64)
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FileFormat {
    /// mysqldump-compatible extended INSERTs.
    Sql,
    /// `LOAD DATA` text (faster to load).
    Tsv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ChunkCompression {
    Zstd,
    None,
}

/// Flags of `masker dump`.
#[derive(Debug, Args)]
pub struct DumpArgs {
    #[command(flatten)]
    conn: ConnArgs,
    /// Output directory (created; must be empty), or `s3://bucket/prefix`
    /// (settings and credentials from the AWS environment).
    #[arg(long, value_name = "DIR|s3://BUCKET/PREFIX")]
    out: String,
    /// Masking rules (without: rows are dumped as they are).
    #[arg(long, short = 'r', value_name = "RULES.toml")]
    rules: Option<PathBuf>,
    /// Connections, each dumping chunks in parallel.
    #[arg(long, short = 't', default_value_t = 2)]
    threads: usize,
    /// Target chunk size in MB (decimals allowed).
    #[arg(long, value_name = "MB", default_value_t = 64.0)]
    chunk_mb: f64,
    /// Chunk file format.
    #[arg(long, value_enum, default_value = "sql")]
    format: FileFormat,
    /// Chunk file compression.
    #[arg(long, value_enum, default_value = "zstd")]
    compress: ChunkCompression,
    /// No global read lock: only consistent when nothing writes (a restored
    /// snapshot), or for servers that refuse the lock (RDS, Aurora).
    #[arg(long)]
    no_lock: bool,
    /// Only these databases (comma-separated; default: all but the system ones).
    #[arg(long, value_delimiter = ',')]
    databases: Vec<String>,
    /// Only these tables (`table` or `db.table`, comma-separated).
    #[arg(long, value_delimiter = ',')]
    tables: Vec<String>,
    /// Never these tables (`table` or `db.table`, comma-separated).
    #[arg(long, value_delimiter = ',')]
    exclude_tables: Vec<String>,
    /// Also write each chunk's masked rows for BigQuery (`<db>@<table>@<n>.bq.tsv`,
    /// uncompressed) and each table's schema (`<db>@<table>.bq.json`); the
    /// rules file's `[export]` section sets the NULL marker and binary encoding.
    #[arg(long)]
    bigquery: bool,
    /// Show progress even when stderr is not a terminal.
    #[arg(long)]
    progress: bool,
    /// No progress and no summary.
    #[arg(long, short = 'q')]
    quiet: bool,
}

pub fn run(args: DumpArgs) -> Result<std::process::ExitCode, Failure> {
    if !(args.chunk_mb > 0.0 && args.chunk_mb.is_finite()) {
        return Err(Failure::new(
            EXIT_CONFIG,
            "--chunk-mb must be a positive number",
        ));
    }
    if args.threads == 0 {
        return Err(Failure::new(EXIT_CONFIG, "--threads must be at least 1"));
    }
    let connector = args.conn.connector()?;
    let mut opts = DumpOptions::default();
    opts.threads = args.threads;
    opts.chunk_bytes = ((args.chunk_mb * 1024.0 * 1024.0) as u64).max(1);
    opts.format = match args.format {
        FileFormat::Sql => Format::Sql,
        FileFormat::Tsv => Format::Tsv,
    };
    opts.compression = match args.compress {
        ChunkCompression::Zstd => Compression::Zstd,
        ChunkCompression::None => Compression::None,
    };
    opts.lock = !args.no_lock;
    let mut filter = TableFilter::new();
    filter.databases = args.databases;
    filter.tables = args.tables;
    filter.exclude_tables = args.exclude_tables;
    opts.filter = filter;
    opts.tool = format!("masker {}", env!("CARGO_PKG_VERSION"));
    if let Some(path) = &args.rules {
        let rules = super::load_rules(path, true)?;
        let (_, sha) = masker_mysql::files::hash_file(path).map_err(live_failure)?;
        opts.rules = Some(Arc::new(rules));
        opts.rules_sha256 = Some(sha);
    }
    if args.bigquery {
        let options = match opts.rules.as_deref() {
            Some(r) => ExportOptions::from_rules(r.export()),
            None => Ok(ExportOptions::default()),
        };
        opts.bigquery = Some(options.map_err(|e| Failure::new(EXIT_CONFIG, e))?);
    }
    let progress = Arc::new(Progress::default());
    let p = progress.clone();
    let line = ProgressLine::start(show_progress(args.progress, args.quiet), move |t| {
        let b = p.bytes.load(Ordering::Relaxed);
        format!(
            "dump: {} tables, chunks {}/{}, {} rows, {} ({}/s)",
            p.tables.load(Ordering::Relaxed),
            p.chunks_done.load(Ordering::Relaxed),
            p.chunks_total.load(Ordering::Relaxed),
            p.rows.load(Ordering::Relaxed),
            bytes(b),
            rate(b, t)
        )
    });
    let started = Instant::now();
    // For S3, files are staged in a temporary directory that is removed at
    // the end, on error and on an interrupt.
    let (out_dir, staging) = if masker_mysql::store::is_s3(&args.out) {
        let s3 = masker_mysql::store::S3Dump::open(&args.out).map_err(live_failure)?;
        s3.check_no_manifest().map_err(live_failure)?;
        opts.publish = Some(Arc::new(s3));
        let dir = staging_dir("dump", &args.out)?;
        (dir.path().to_owned(), Some(dir))
    } else {
        (PathBuf::from(&args.out), None)
    };
    let result = dump::dump(&connector, &out_dir, &opts, &progress);
    line.stop();
    drop(staging);
    let outcome = result.map_err(live_failure)?;
    if !args.quiet {
        let m = &outcome.manifest;
        let took = started.elapsed();
        let on_disk: u64 = m
            .tables
            .iter()
            .flat_map(|t| &t.chunks)
            .map(|c| c.file.bytes)
            .sum();
        let encoded = progress.bytes.load(Ordering::Relaxed);
        eprintln!(
            "masker: dumped {} tables ({} chunks, {} rows, {} encoded, {} on disk) in {:.2} s ({}/s) to {}",
            m.tables.len(),
            m.tables.iter().map(|t| t.chunks.len()).sum::<usize>(),
            m.tables.iter().map(|t| t.rows).sum::<u64>(),
            bytes(encoded),
            bytes(on_disk),
            took.as_secs_f64(),
            rate(encoded, took),
            args.out
        );
        let inexact = progress.export_inexact.load(Ordering::Relaxed);
        if inexact > 0 {
            eprintln!(
                "masker: note: the BigQuery export wrote {inexact} values as NULL or with U+FFFD \
                 (zero dates, TIME beyond a day, bytes their charset cannot decode)"
            );
        }
        if !outcome.masked.is_empty() {
            eprintln!("masked values:");
            let width = outcome
                .masked
                .iter()
                .map(|(n, _)| n.len())
                .max()
                .unwrap_or(0);
            for (col, n) in &outcome.masked {
                eprintln!("  {col:width$}  {n}");
            }
        }
        crate::report::print_row_policies(&outcome.dropped, &outcome.warnings);
    }
    Ok(std::process::ExitCode::SUCCESS)
}
