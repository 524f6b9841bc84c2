//! Replays every file of the `occi_text`, `occi_headers`, `occi_json`, `occi_uri_list`,
//! `occi_plain_stream`, `occi_uri_list_stream` and `occi_protocol` fuzz corpora and crash artifacts through the fuzz targets' checks, so
//! fuzzing finds stay regression tests of `cargo test`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod fuzz_checks;

use fedcloud_conformance::replay_fuzz_corpus;

#[test]
fn occi_text() {
    assert!(replay_fuzz_corpus("occi_text", fuzz_checks::occi_text).unwrap() > 0);
}

#[test]
fn occi_headers() {
    assert!(replay_fuzz_corpus("occi_headers", fuzz_checks::occi_headers).unwrap() > 0);
}

#[test]
fn occi_json() {
    assert!(replay_fuzz_corpus("occi_json", fuzz_checks::occi_json).unwrap() > 0);
}

#[test]
fn occi_uri_list() {
    assert!(replay_fuzz_corpus("occi_uri_list", fuzz_checks::occi_uri_list).unwrap() > 0);
}

#[test]
fn occi_protocol() {
    assert!(replay_fuzz_corpus("occi_protocol", fuzz_checks::occi_protocol).unwrap() > 0);
}

#[test]
fn occi_plain_stream() {
    assert!(replay_fuzz_corpus("occi_plain_stream", fuzz_checks::occi_plain_stream).unwrap() > 0);
}

#[test]
fn occi_uri_list_stream() {
    assert!(
        replay_fuzz_corpus("occi_uri_list_stream", fuzz_checks::occi_uri_list_stream).unwrap() > 0
    );
}
