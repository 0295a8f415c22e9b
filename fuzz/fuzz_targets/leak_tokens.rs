//! Fuzz target `leak_tokens`: see `masker_fuzz::checks::leak_tokens`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| masker_fuzz::checks::leak_tokens(data));
