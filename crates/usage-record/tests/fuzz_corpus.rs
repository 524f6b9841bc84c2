//! Replays every file of the `apel_text`, `apel_text_reader`, `apel_json`, `apel_xml`, `xml_schema` and `convert` fuzz corpora and crash artifacts
//! through the fuzz targets' checks, so fuzzing finds stay regression tests of `cargo test`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod fuzz_checks;

use fedcloud_conformance::replay_fuzz_corpus;

#[test]
fn apel_text() {
    assert!(replay_fuzz_corpus("apel_text", fuzz_checks::apel_text).unwrap() > 0);
}

#[test]
fn apel_text_reader() {
    assert!(replay_fuzz_corpus("apel_text_reader", fuzz_checks::apel_text_reader).unwrap() > 0);
}

#[test]
fn apel_json() {
    assert!(replay_fuzz_corpus("apel_json", fuzz_checks::apel_json).unwrap() > 0);
}

#[test]
fn apel_xml() {
    assert!(replay_fuzz_corpus("apel_xml", fuzz_checks::apel_xml).unwrap() > 0);
}

#[test]
fn xml_schema() {
    assert!(replay_fuzz_corpus("xml_schema", fuzz_checks::xml_schema).unwrap() > 0);
}

#[test]
fn convert() {
    assert!(replay_fuzz_corpus("convert", fuzz_checks::convert).unwrap() > 0);
}
