#![no_main]
//! Fuzz target `image_list_json`: see `crates/image-list/tests/fuzz_checks/mod.rs` for the property.

#[path = "../../crates/image-list/tests/fuzz_checks/mod.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::image_list_json(data));
