//! Fuzz targets for masker-core; see `checks` for the properties.
//!
//! One target per entry point (`fuzz_targets/`), each a one-line call into
//! [`checks`], which `masker-core/tests/fuzz_corpus.rs` also includes so the
//! committed corpus and `regressions/` are replayed by stable `cargo test`.
//! Run with `./run.sh SECONDS` (needs nightly and cargo-fuzz).

pub mod checks;
