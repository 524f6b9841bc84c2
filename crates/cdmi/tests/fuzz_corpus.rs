//! Replays every file of the `cdmi_objectid`, `cdmi_body`, `cdmi_query`, `cdmi_acl`,
//! `cdmi_http_head`, `cdmi_value_stream`, `cdmi_multipart` and (feature `server`) `cdmi_server` fuzz corpora and crash artifacts through the fuzz targets' checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod fuzz_checks;
#[cfg(feature = "server")]
#[path = "fuzz_checks/server.rs"]
mod server_checks;

use fedcloud_conformance::replay_fuzz_corpus;

#[test]
fn cdmi_objectid() {
    assert!(replay_fuzz_corpus("cdmi_objectid", fuzz_checks::cdmi_objectid).unwrap() > 0);
}

#[test]
fn cdmi_body() {
    assert!(replay_fuzz_corpus("cdmi_body", fuzz_checks::cdmi_body).unwrap() > 0);
}

#[test]
fn cdmi_query() {
    assert!(replay_fuzz_corpus("cdmi_query", fuzz_checks::cdmi_query).unwrap() > 0);
}

#[test]
fn cdmi_acl() {
    assert!(replay_fuzz_corpus("cdmi_acl", fuzz_checks::cdmi_acl).unwrap() > 0);
}

#[test]
fn cdmi_http_head() {
    assert!(replay_fuzz_corpus("cdmi_http_head", fuzz_checks::cdmi_http_head).unwrap() > 0);
}

#[test]
fn cdmi_value_stream() {
    assert!(replay_fuzz_corpus("cdmi_value_stream", fuzz_checks::cdmi_value_stream).unwrap() > 0);
}

#[cfg(feature = "server")]
#[test]
fn cdmi_server() {
    assert!(replay_fuzz_corpus("cdmi_server", server_checks::cdmi_server).unwrap() > 0);
}

#[test]
fn cdmi_multipart() {
    assert!(replay_fuzz_corpus("cdmi_multipart", fuzz_checks::cdmi_multipart).unwrap() > 0);
}
