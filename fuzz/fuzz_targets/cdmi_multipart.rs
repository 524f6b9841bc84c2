#![no_main]
//! Fuzz target `cdmi_multipart`: see `crates/cdmi/tests/fuzz_checks/mod.rs` for the property.

#[path = "../../crates/cdmi/tests/fuzz_checks/mod.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::cdmi_multipart(data));
