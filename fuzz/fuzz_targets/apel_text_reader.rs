#![no_main]
//! Fuzz target `apel_text_reader`: see `crates/usage-record/tests/fuzz_checks/mod.rs` for the property.

#[path = "../../crates/usage-record/tests/fuzz_checks/mod.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::apel_text_reader(data));
