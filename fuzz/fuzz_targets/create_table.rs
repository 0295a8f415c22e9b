//! Fuzz target `create_table`: see `masker_fuzz::checks::create_table`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| masker_fuzz::checks::create_table(data));
