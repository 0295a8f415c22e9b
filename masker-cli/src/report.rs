//! How failures reach the user: one message on stderr and a documented exit code.

use std::process::ExitCode;

use masker_core::{Error, ErrorKind};

/// A failed command: a message and its exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }

    /// Print and return the exit code. Broken pipes are silent successes.
    pub fn report(self) -> ExitCode {
        if self.code != 0 {
            eprintln!("masker: error: {}", self.message);
        }
        ExitCode::from(self.code)
    }
}

/// Exit code for an invalid input or a value that cannot be masked.
pub const EXIT_INPUT: u8 = 1;
/// Exit code for usage and rules-file errors.
pub const EXIT_CONFIG: u8 = 2;
/// Exit code for rules that do not match the dump.
pub const EXIT_PLAN: u8 = 3;
/// Exit code for I/O errors.
pub const EXIT_IO: u8 = 4;
/// Exit code when `scan --rules` finds personal data the rules keep or leave
/// unclassified, or the leak check finds an original value that survived.
pub const EXIT_FOUND: u8 = 5;

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        if e.is_broken_pipe() {
            return Failure::new(0, "");
        }
        // A cut or corrupt compressed input is an invalid input, not an I/O error.
        if let ErrorKind::Io(io) = e.kind() {
            if let Some(d) = crate::io::input::DecodeError::find(io) {
                return Failure::new(EXIT_INPUT, d.to_string());
            }
        }
        let code = match e.kind() {
            ErrorKind::Config(_) => EXIT_CONFIG,
            ErrorKind::Plan { .. } => EXIT_PLAN,
            ErrorKind::Io(_) => EXIT_IO,
            _ => EXIT_INPUT,
        };
        Failure::new(code, e.to_string())
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        let broken = e
            .chain()
            .filter_map(|c| c.downcast_ref::<std::io::Error>())
            .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe);
        if broken {
            return Failure::new(0, "");
        }
        let decode = e
            .chain()
            .filter_map(|c| c.downcast_ref::<std::io::Error>())
            .find_map(crate::io::input::DecodeError::find);
        if let Some(d) = decode {
            return Failure::new(EXIT_INPUT, d.to_string());
        }
        Failure::new(EXIT_IO, format!("{e:#}"))
    }
}

/// A failure to finish the output: a broken pipe is a quiet success (the
/// reader went away), anything else an I/O error.
pub fn output_failure(e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Failure::new(0, "")
    } else if let Some(d) = crate::io::input::DecodeError::find(&e) {
        Failure::new(EXIT_INPUT, d.to_string())
    } else {
        Failure::new(EXIT_IO, format!("cannot finish the output: {e}"))
    }
}

/// Write a report to stdout; a reader that went away (broken pipe) is a
/// quiet success, as everywhere else.
pub fn print_out(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(output_failure)
}

/// Human-readable byte counts.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < UNITS.len() {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.2} {}", UNITS[u])
    }
}

/// The end-of-run summary on stderr: sizes, counts, speed, and masked values
/// per `table.column` (counts only, never values).
pub fn print_summary(s: &masker_core::Summary, took: std::time::Duration) {
    let secs = took.as_secs_f64().max(1e-9);
    let statements = if s.statements > 0 {
        format!("{} statements, ", s.statements)
    } else {
        String::new()
    };
    let out = if s.bytes_out > 0 || s.bytes_in == 0 {
        format!("{} out", bytes(s.bytes_out))
    } else {
        "no SQL written".to_owned()
    };
    eprintln!(
        "masker: {} in, {out}, {statements}{} rows, {} tables in {:.2} s ({}/s)",
        bytes(s.bytes_in),
        s.rows,
        s.tables,
        secs,
        bytes((s.bytes_in as f64 / secs) as u64)
    );
    for (col, n) in &s.small_domain {
        eprintln!(
            "masker: warning: fpe on {col}: {n} values had fewer than 1,000,000 possible outputs each, so a few known pairs reveal others; consider hash for this column"
        );
    }
    if !s.masked.is_empty() {
        eprintln!("masked values:");
        let width = s.masked.keys().map(String::len).max().unwrap_or(0);
        for (col, n) in &s.masked {
            eprintln!("  {col:width$}  {n}");
        }
    }
    let dropped: Vec<(String, u64)> = s.dropped.iter().map(|(t, n)| (t.clone(), *n)).collect();
    print_row_policies(&dropped, &s.warnings);
}

/// Rows dropped by row policies per table, and the run's warnings (foreign
/// keys pointing at tables whose rows are dropped or filtered).
pub fn print_row_policies(dropped: &[(String, u64)], warnings: &[String]) {
    for w in warnings {
        eprintln!("masker: warning: {w}");
    }
    if !dropped.is_empty() {
        eprintln!(
            "rows dropped (table rules `rows`, and system tables that hold original values):"
        );
        let width = dropped.iter().map(|(t, _)| t.len()).max().unwrap_or(0);
        for (table, n) in dropped {
            eprintln!("  {table:width$}  {n}");
        }
    }
}

/// The summary of a directory run (`--tab`, mydumper): a line per table,
/// then the totals as [`print_summary`] prints them.
pub fn print_dir_summary(s: &crate::file_jobs::DirSummary, took: std::time::Duration) {
    for (table, t) in &s.tables {
        eprintln!(
            "masker: {table}: {} rows, {} in, {} out",
            t.rows,
            bytes(t.bytes_in),
            bytes(t.bytes_out)
        );
    }
    print_summary(&s.total(), took);
}

/// A SQL input of no bytes at all is no dump (mysqldump writes a header
/// even for an empty database): what an upstream dump that failed leaves
/// behind. Masking it would "succeed" with an empty output, so `mask` and
/// `check` both refuse it (exit 1), whatever the rules.
pub fn refuse_empty_input(input: &std::path::Path, bytes_in: u64) -> Result<(), Failure> {
    if bytes_in > 0 {
        return Ok(());
    }
    let name = if input.as_os_str() == "-" {
        "standard input".to_owned()
    } else {
        input.display().to_string()
    };
    Err(Failure::new(
        EXIT_INPUT,
        format!("{name}: the input is empty (0 bytes): no dump to mask (did the dump that made it fail?)"),
    ))
}
