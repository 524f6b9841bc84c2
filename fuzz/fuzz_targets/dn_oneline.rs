#![no_main]
//! Fuzz target `dn_oneline`: see `crates/fedcloud-core/tests/fuzz_checks/mod.rs` for the property.

#[path = "../../crates/fedcloud-core/tests/fuzz_checks/mod.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::dn_oneline(data));
