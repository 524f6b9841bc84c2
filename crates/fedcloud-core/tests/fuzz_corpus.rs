//! Replays every file of the fuzz corpora and crash artifacts (`fuzz/corpus/<target>`,
//! `fuzz/artifacts/<target>`) through the fuzz targets' checks, so a regression found by fuzzing
//! stays a regression test of ordinary `cargo test`.
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
            if path.is_file() && !path.file_name().unwrap().to_string_lossy().starts_with('.') {
                check(&std::fs::read(&path).unwrap());
                count += 1;
            }
        }
    }
    count
}

#[test]
fn dn_oneline() {
    assert!(
        replay("dn_oneline", fuzz_checks::dn_oneline) > 0,
        "no seed corpus"
    );
}

#[test]
fn dn_rfc4514() {
    assert!(
        replay("dn_rfc4514", fuzz_checks::dn_rfc4514) > 0,
        "no seed corpus"
    );
}

#[test]
fn fqan() {
    assert!(replay("fqan", fuzz_checks::fqan) > 0, "no seed corpus");
}

#[test]
fn time() {
    assert!(replay("time", fuzz_checks::time) > 0, "no seed corpus");
}
