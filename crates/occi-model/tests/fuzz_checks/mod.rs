//! The properties the fuzz targets check, shared with the corpus replay test
//! (`tests/fuzz_corpus.rs`) so that every corpus and artifact file runs in `cargo test`.
//! The fuzz targets include this file by path.

use occi_model::{AttributeName, CategoryId, CategoryRef, EntityId, OcciVersion, Pattern, Term};

/// Identifiers: no parser panics; whatever parses renders to the same text and parses again
/// to an equal value; what the 1.1 grammar accepts, the 1.2 grammar accepts.
pub(crate) fn occi_identifiers(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for version in [OcciVersion::V1_1, OcciVersion::V1_2] {
        if let Ok(id) = CategoryId::parse(text, version) {
            assert_eq!(id.to_string(), text);
            let again = CategoryId::from_parts(id.scheme(), id.term(), version)
                .unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(again, id);
            let r = CategoryRef::parse(text, version).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(r.into_owned(), id);
            if version == OcciVersion::V1_1 {
                assert!(
                    CategoryId::parse(text, OcciVersion::V1_2).is_ok(),
                    "{text:?}"
                );
            }
        }
        if let Ok(name) = AttributeName::parse(text, version) {
            assert_eq!(name.as_str(), text);
            if version == OcciVersion::V1_1 {
                assert!(
                    AttributeName::parse(text, OcciVersion::V1_2).is_ok(),
                    "{text:?}"
                );
            }
        }
        if let Ok(term) = Term::parse(text, version) {
            assert_eq!(term.as_str(), text);
        }
    }
    if let Ok(id) = text.parse::<EntityId>() {
        assert_eq!(id.as_str(), text);
    }
    if text.len() <= 256
        && let Ok(p) = text.parse::<Pattern>()
    {
        let _ = p.is_match(text);
    }
}
