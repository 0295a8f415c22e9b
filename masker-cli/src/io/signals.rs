//! SIGINT, SIGTERM and SIGHUP: a thread waits for them, removes every
//! temporary path of the run ([`super::temp`]), aborts the S3 multipart
//! uploads in progress, says what was interrupted and exits with 128 + the
//! signal number (130, 143, 129), as shells expect.
//!
//! This module owns the signal dispositions and the exit on a signal; it
//! does not know which files exist (the registry does).

use std::io::Write;
use std::path::PathBuf;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// Start the thread that handles interrupts. Call once, early in `main`.
pub fn install() -> std::io::Result<()> {
    let mut signals = Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("masker-signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                let removed = super::temp::remove_all_and_hold();
                // S3 keeps (and bills) the parts of an upload nobody ends.
                masker_mysql::store::abort_open_uploads();
                eprintln!("{}", message(sig, &removed));
                let _ = std::io::stderr().flush();
                std::process::exit(128 + sig);
            }
        })?;
    Ok(())
}

fn name(sig: i32) -> &'static str {
    match sig {
        SIGINT => "SIGINT",
        SIGTERM => "SIGTERM",
        SIGHUP => "SIGHUP",
        _ => "a signal",
    }
}

/// `masker: interrupted by SIGTERM; nothing written to out.sql (its unfinished copy removed)`:
/// an output that existed before is as it was, a new one does not exist.
fn message(sig: i32, removed: &[PathBuf]) -> String {
    let mut m = format!("masker: interrupted by {}", name(sig));
    if !removed.is_empty() {
        let list: Vec<String> = removed.iter().map(|p| p.display().to_string()).collect();
        m.push_str("; nothing written to ");
        m.push_str(&list.join(", "));
        m.push_str(if list.len() == 1 {
            " (its unfinished copy removed)"
        } else {
            " (their unfinished copies removed)"
        });
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_the_signal_and_the_outputs() {
        assert_eq!(message(SIGINT, &[]), "masker: interrupted by SIGINT");
        assert_eq!(
            message(SIGTERM, &[PathBuf::from("a.sql"), PathBuf::from("out")]),
            "masker: interrupted by SIGTERM; nothing written to a.sql, out (their unfinished copies removed)"
        );
    }
}
