//! libFuzzer entry point for `gawahi_fuzz::jsonl_import` (see src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gawahi_fuzz::jsonl_import(data));
