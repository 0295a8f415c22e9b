//! Fuzz target `mask_json`: see `masker_fuzz::checks::mask_json`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| masker_fuzz::checks::mask_json(data));
