//! Replays every file of the `apel_text` and `apel_json` fuzz corpora and crash artifacts
//! through the fuzz targets' checks, so fuzzing finds stay regression tests of `cargo test`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod fuzz_checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut count = 0;
    for kind in ["corpus", "artifacts"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(kind).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_file() {
                check(&std::fs::read(&path).unwrap());
                count += 1;
            }
        }
    }
    count
}

#[test]
fn apel_text() {
    assert!(
        replay("apel_text", fuzz_checks::apel_text) > 0,
        "no seed corpus"
    );
}

#[test]
fn apel_json() {
    assert!(
        replay("apel_json", fuzz_checks::apel_json) > 0,
        "no seed corpus"
    );
}
