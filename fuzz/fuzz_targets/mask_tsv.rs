//! Fuzz target `mask_tsv`: see `masker_fuzz::checks::mask_tsv`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| masker_fuzz::checks::mask_tsv(data));
