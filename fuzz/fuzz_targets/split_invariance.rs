//! Fuzz target `split_invariance`: see `masker_fuzz::checks::split_invariance`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| masker_fuzz::checks::split_invariance(data));
