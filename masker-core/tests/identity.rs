//! Whole-pipeline tests on every fixture in `testdata/`:
//!
//! - empty rules are the identity, byte for byte, on every dump masker accepts
//!   but the one with rows of `mysql.column_stats`, which are never written
//!   (and every dump in `testdata/bad/` is rejected);
//! - the output does not depend on the thread count, the chunk size (tiny
//!   chunks cut between almost every pair of tuples) or on how the reader
//!   delivers bytes (one byte per `read()`), with empty rules and with keyed
//!   masking rules; a failing dump fails at the same position every way.

#[allow(dead_code)]
#[path = "../../fuzz/src/checks.rs"]
mod checks;
mod common;

use std::io::Read;
use std::sync::OnceLock;

use masker_core::rules::{Rules, RulesBuilder};
use masker_core::{mask_reader, ErrorKind, MaskOptions};

use checks::run;
use common::{fixtures, is_bad, name};

const THREADS: [usize; 3] = [1, 2, 4];
const CHUNK_SIZES: [usize; 4] = [7, 64, 4096, 1 << 20];

/// Rules that mask the `users` tables of the fixtures with keyed transforms.
/// Tables named here but missing from a dump are allowed by [`run`].
fn masking_rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        RulesBuilder::new()
            .toml(
                r#"
[key]
env = "MASKER_KEY"

[tables.users]
email = { transform = "hash", format = "email" }
"#,
                "identity.toml",
            )
            .key(b"k")
            .build()
            .expect("rules build")
    })
}

#[test]
fn empty_rules_are_the_identity_on_every_accepted_fixture() {
    let mut accepted = 0;
    for (path, data) in fixtures() {
        let mut out = Vec::new();
        let opts = MaskOptions {
            threads: 1,
            ..MaskOptions::default()
        };
        match mask_reader(&Rules::empty(), &data[..], &mut out, &opts) {
            Ok(summary) => {
                assert!(!is_bad(path), "{}: a bad dump was accepted", name(path));
                // Rows of `mysql.column_stats` (original values) are never
                // written: tests/system_tables.rs checks that dump.
                if summary.dropped.is_empty() {
                    assert!(out == *data, "{}: empty rules changed the dump", name(path));
                } else {
                    assert_eq!(name(path), "mariadb/system_stats.sql");
                }
                accepted += 1;
            }
            Err(e) => assert!(is_bad(path), "{}: rejected: {e}", name(path)),
        }
    }
    assert!(accepted >= 20, "only {accepted} fixtures accepted");
}

/// Check that every thread count and chunk size gives the output (and error
/// position) of one thread with 1 MiB chunks.
fn assert_invariant(rules: &Rules, what: &str) {
    for (path, data) in fixtures() {
        let want = run(rules, data, 1, 1 << 20);
        for threads in THREADS {
            for chunk in CHUNK_SIZES {
                let got = run(rules, data, threads, chunk);
                assert_eq!(
                    got.1,
                    want.1,
                    "{} ({what}): error differs at threads {threads}, chunk {chunk}",
                    name(path)
                );
                if want.1.is_none() {
                    assert!(
                        got.0 == want.0,
                        "{} ({what}): output differs at threads {threads}, chunk {chunk}",
                        name(path)
                    );
                }
            }
        }
    }
}

#[test]
fn empty_rules_output_is_the_same_for_every_thread_count_and_chunk_size() {
    assert_invariant(&Rules::empty(), "empty rules");
}

#[test]
fn masked_output_is_the_same_for_every_thread_count_and_chunk_size() {
    assert_invariant(masking_rules(), "hash rules");
}

#[test]
fn masking_rules_change_the_users_tables() {
    let mut masked = 0;
    for (path, data) in fixtures() {
        if is_bad(path) || !data.windows(13).any(|w| w == b"INSERT INTO `") {
            continue;
        }
        let mut out = Vec::new();
        let opts = MaskOptions {
            threads: 1,
            chunk_size: 4096,
            allow_missing: true,
            allow_incomplete: false,
        };
        match mask_reader(masking_rules(), &data[..], &mut out, &opts) {
            Ok(summary) if summary.masked.keys().any(|k| k.ends_with("users.email")) => {
                assert!(
                    out != *data,
                    "{}: masked values but output equals input",
                    name(path)
                );
                masked += 1;
            }
            Ok(_) => {}
            // A dump without the users table's CREATE TABLE cannot be masked by column name.
            Err(e) if matches!(e.kind(), ErrorKind::Plan { .. }) => {}
            Err(e) => panic!("{}: masking failed: {e}", name(path)),
        }
    }
    assert!(masked >= 5, "only {masked} fixtures had users.email masked");
}

/// A reader that returns one byte per `read()` call.
struct OneByte<'a>(&'a [u8]);

impl Read for OneByte<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match (self.0.split_first(), buf.first_mut()) {
            (Some((&b, rest)), Some(slot)) => {
                *slot = b;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

#[test]
fn a_reader_that_returns_one_byte_per_read_gives_the_same_output() {
    for rules in [&Rules::empty(), masking_rules()] {
        for (path, data) in fixtures() {
            let want = run(rules, data, 1, 1 << 20);
            for (threads, chunk) in [(1, 1 << 20), (2, 64), (1, 7)] {
                let mut out = Vec::new();
                let opts = MaskOptions {
                    threads,
                    chunk_size: chunk,
                    allow_missing: true,
                    allow_incomplete: false,
                };
                let got = mask_reader(rules, OneByte(data), &mut out, &opts);
                let err = got.err().map(|e| checks::error_tag(&e));
                assert_eq!(
                    err,
                    want.1,
                    "{}: error differs (threads {threads}, chunk {chunk})",
                    name(path)
                );
                if want.1.is_none() {
                    assert!(out == want.0, "{}: output differs with a 1-byte reader (threads {threads}, chunk {chunk})", name(path));
                }
            }
        }
    }
}

/// Push mode ([`masker_core::Masker`]) runs the same path: for every fixture,
/// pushed in pieces of any size, its output and its verdict equal a
/// threaded run's.
#[test]
fn push_mode_equals_the_threaded_run_on_every_fixture() {
    let opts = MaskOptions {
        threads: 1,
        chunk_size: 64,
        allow_missing: true,
        allow_incomplete: false,
    };
    for (path, data) in fixtures() {
        for rules in [&Rules::empty(), masking_rules()] {
            let (want, want_err) = run(rules, data, 2, 4096);
            for piece in [1, 13, 4096] {
                let mut masker = masker_core::Masker::with_options(rules, &opts).unwrap();
                let mut out = Vec::new();
                let mut err = None;
                for p in data.chunks(piece) {
                    if let Err(e) = masker.push(p, &mut out) {
                        err = Some(checks::error_tag(&e));
                        break;
                    }
                }
                if err.is_none() {
                    err = masker.finish(&mut out).err().map(|e| checks::error_tag(&e));
                }
                assert_eq!(err, want_err, "{} (pieces of {piece})", name(path));
                if err.is_none() {
                    assert!(
                        out == want,
                        "{} (pieces of {piece}): output differs",
                        name(path)
                    );
                }
            }
        }
    }
}
