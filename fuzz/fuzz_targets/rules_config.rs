//! Fuzz target `rules_config`: see `masker_fuzz::checks::rules_config`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| masker_fuzz::checks::rules_config(data));
