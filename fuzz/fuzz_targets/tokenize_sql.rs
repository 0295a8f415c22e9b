//! Fuzz target `tokenize_sql`: see `masker_fuzz::checks::tokenize_sql`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| masker_fuzz::checks::tokenize_sql(data));
