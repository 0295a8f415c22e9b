//! Fuzz target `tokenize_values`: see `masker_fuzz::checks::tokenize_values`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| masker_fuzz::checks::tokenize_values(data));
