#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sas_fuzz_targets::spec_generate(data));
