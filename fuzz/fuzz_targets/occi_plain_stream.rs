#![no_main]
//! Fuzz target `occi_plain_stream`: see `crates/occi-render-http/tests/fuzz_checks/mod.rs` for the
//! property.

#[path = "../../crates/occi-render-http/tests/fuzz_checks/mod.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::occi_plain_stream(data));
