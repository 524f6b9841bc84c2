//! Replays every file of the fuzz corpora and crash artifacts (`fuzz/corpus/<target>`,
//! `fuzz/artifacts/<target>`) through the fuzz targets' checks, so a regression found by fuzzing
//! stays a regression test of ordinary `cargo test`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod fuzz_checks;

use fedcloud_conformance::replay_fuzz_corpus;

#[test]
fn dn_oneline() {
    assert!(replay_fuzz_corpus("dn_oneline", fuzz_checks::dn_oneline).unwrap() > 0);
}

#[test]
fn dn_rfc4514() {
    assert!(replay_fuzz_corpus("dn_rfc4514", fuzz_checks::dn_rfc4514).unwrap() > 0);
}

#[test]
fn fqan() {
    assert!(replay_fuzz_corpus("fqan", fuzz_checks::fqan).unwrap() > 0);
}

#[test]
fn time() {
    assert!(replay_fuzz_corpus("time", fuzz_checks::time).unwrap() > 0);
}
