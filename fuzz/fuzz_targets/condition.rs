//! Fuzz target `condition`: see `masker_fuzz::checks::condition`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| masker_fuzz::checks::condition(data));
