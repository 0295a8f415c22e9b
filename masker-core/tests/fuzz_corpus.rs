//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) and every crash
//! input saved in `fuzz/regressions/` through the same checks as the cargo-fuzz
//! targets, so stable CI without nightly or cargo-fuzz still runs them.
//!
//! A file in `fuzz/regressions/` may sit at the top (then it goes through every
//! check) or in a folder named after its target (then through that one).

#[allow(dead_code)]
#[path = "../../fuzz/src/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

type Check = fn(&[u8]);

const TARGETS: &[(&str, Check)] = &[
    ("tokenize_sql", checks::tokenize_sql),
    ("tokenize_values", checks::tokenize_values),
    ("mask_identity", checks::mask_identity),
    ("rules_config", checks::rules_config),
    ("create_table", checks::create_table),
    ("split_invariance", checks::split_invariance),
    ("mask_tsv", checks::mask_tsv),
    ("export", checks::export),
    ("condition", checks::condition),
    ("mask_json", checks::mask_json),
    ("leak_tokens", checks::leak_tokens),
];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// Files of `dir` (not recursive), sorted, without dot files.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    v.sort();
    v
}

fn replay(check: Check, target: &str, path: &Path) {
    let data = std::fs::read(path).unwrap();
    let r = std::panic::catch_unwind(|| check(&data));
    assert!(r.is_ok(), "{target} fails on {}", path.display());
}

#[test]
fn corpus_replays_through_every_target() {
    let mut n = 0;
    for (target, check) in TARGETS {
        let dir = fuzz_dir().join("corpus").join(target);
        let files = files(&dir);
        assert!(!files.is_empty(), "no seed corpus in {}", dir.display());
        for f in files {
            replay(*check, target, &f);
            n += 1;
        }
    }
    assert!(n >= 50, "only {n} corpus files");
}

#[test]
fn regressions_replay() {
    let root = fuzz_dir().join("regressions");
    assert!(root.is_dir(), "fuzz/regressions/ is missing");
    for f in files(&root) {
        for (target, check) in TARGETS {
            replay(*check, target, &f);
        }
    }
    for (target, check) in TARGETS {
        for f in files(&root.join(target)) {
            replay(*check, target, &f);
        }
    }
}
