#![no_main]
//! Fuzz target `cdmi_server`: see `crates/cdmi/tests/fuzz_checks/server.rs` for the property.

#[path = "../../crates/cdmi/tests/fuzz_checks/server.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::cdmi_server(data));
