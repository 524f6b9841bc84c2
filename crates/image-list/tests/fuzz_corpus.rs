//! Replays every file of the `image_list_json` fuzz corpus and crash artifacts through the fuzz
//! target's check, so fuzzing finds stay regression tests of `cargo test`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod fuzz_checks;

use fedcloud_conformance::replay_fuzz_corpus;

#[test]
fn image_list_json() {
    assert!(replay_fuzz_corpus("image_list_json", fuzz_checks::image_list_json).unwrap() > 0);
}
