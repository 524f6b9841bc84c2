//! The properties the fuzz targets check, shared with the corpus replay test
//! (`tests/fuzz_corpus.rs`) so that every corpus and artifact file runs in `cargo test`.
//! The fuzz targets include this file by path.

use fedcloud_core::{Dn, Fqan, FqanPattern, FqanSyntax, TextLimits, UtcTime};

/// One-line DN: never panics; whatever parses renders to a fixpoint and converts to RFC 4514
/// and back unchanged.
pub(crate) fn dn_oneline(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(dn) = Dn::parse_oneline(text) else {
        return;
    };
    let rendered = dn.to_oneline();
    let again = Dn::parse_oneline(&rendered).unwrap_or_else(|e| panic!("{rendered:?}: {e}"));
    assert_eq!(again, dn, "{rendered:?}");
    assert_eq!(again.to_oneline(), rendered);
    let rfc = dn.to_rfc4514();
    let from_rfc = Dn::parse_rfc4514(&rfc).unwrap_or_else(|e| panic!("{rfc:?}: {e}"));
    assert_eq!(from_rfc, dn, "{rfc:?}");
}

/// RFC 4514 DN: never panics; whatever parses renders to a fixpoint.
pub(crate) fn dn_rfc4514(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(dn) = Dn::parse_rfc4514(text) else {
        return;
    };
    let rendered = dn.to_rfc4514();
    let again = Dn::parse_rfc4514(&rendered).unwrap_or_else(|e| panic!("{rendered:?}: {e}"));
    assert_eq!(again, dn, "{rendered:?}");
    assert_eq!(again.to_rfc4514(), rendered);
    assert!(dn.eq_folded(&again));
}

/// FQAN and pattern: never panic; an FQAN renders to a fixpoint in both forms and matches
/// itself as a pattern.
pub(crate) fn fqan(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = TextLimits::default();
    for syntax in [FqanSyntax::Strict, FqanSyntax::Lenient] {
        if let Ok(f) = Fqan::parse_with(text, syntax, &limits) {
            let short = f.to_string();
            assert_eq!(
                Fqan::parse_with(&short, syntax, &limits).ok(),
                Some(f.clone()),
                "{short:?}"
            );
            // The long form adds up to 26 bytes, which can cross the byte limit; the group
            // limit cannot be crossed (it counts groups only).
            let long = f.to_long_form();
            if long.len() <= limits.max_bytes {
                assert_eq!(
                    Fqan::parse_with(&long, syntax, &limits).ok(),
                    Some(f.clone()),
                    "{long:?}"
                );
            }
            let p = FqanPattern::parse_with(&short, syntax, &limits)
                .unwrap_or_else(|e| panic!("{short:?}: {e}"));
            assert!(p.matches(&f), "{short:?}");
        }
        if let Ok(p) = FqanPattern::parse_with(text, syntax, &limits) {
            let rendered = p.to_string();
            assert_eq!(
                FqanPattern::parse_with(&rendered, syntax, &limits).ok(),
                Some(p),
                "{rendered:?}"
            );
        }
    }
}

/// Time: never panics; strict renders to a fixpoint; whatever the lenient parser accepts, the
/// strict one accepts in its rendering.
pub(crate) fn time(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for t in [
        UtcTime::parse_strict(text),
        UtcTime::parse_lenient(text),
        UtcTime::parse_epoch(text),
    ]
    .into_iter()
    .flatten()
    {
        let rendered = t.to_string();
        assert_eq!(
            UtcTime::parse_strict(&rendered).ok(),
            Some(t),
            "{rendered:?}"
        );
        assert_eq!(UtcTime::from_parts(t.parts()).ok(), Some(t));
    }
}
