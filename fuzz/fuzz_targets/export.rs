//! Fuzz target `export`: see `masker_fuzz::checks::export`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| masker_fuzz::checks::export(data));
