//! Replays every file of the `occi_identifiers` fuzz corpus and crash artifacts through the fuzz
//! target's check, so fuzzing finds stay regression tests of `cargo test`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod fuzz_checks;

use fedcloud_conformance::replay_fuzz_corpus;

#[test]
fn occi_identifiers() {
    assert!(replay_fuzz_corpus("occi_identifiers", fuzz_checks::occi_identifiers).unwrap() > 0);
}
