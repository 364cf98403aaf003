//! libFuzzer entry point for `gawahi_fuzz::bundle_reader` (see src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gawahi_fuzz::bundle_reader(data));
