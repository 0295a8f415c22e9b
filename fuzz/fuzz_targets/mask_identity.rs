//! Fuzz target `mask_identity`: see `masker_fuzz::checks::mask_identity`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| masker_fuzz::checks::mask_identity(data));
