//! The properties the `occi_*` fuzz targets check, shared with `cargo test`, which replays
//! the corpora (`tests/fuzz_corpus.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use occi_render_http::{Limits, Mode, Parser, parse_uri_list, render_json, render_plain};

fn small_limits() -> Limits {
    Limits::default()
        .with_max_body_bytes(1 << 16)
        .with_max_lines(2_000)
}

/// text/plain: no panic in any mode; whatever parses re-renders canonically, and the
/// rendering parses in strict 1.2 (lenient when it holds a construct only lenient mode
/// reads, such as a negative number) to the same message — a fixpoint.
pub(crate) fn occi_text(data: &[u8]) {
    for mode in [Mode::Strict11, Mode::Strict12, Mode::Lenient] {
        let p = Parser::new(mode).with_limits(small_limits());
        let Ok(parsed) = p.parse_plain_bytes(data) else {
            continue;
        };
        let Ok(text) = render_plain(&parsed.message) else {
            continue;
        };
        let again = Parser::new(Mode::Lenient)
            .with_limits(Limits::default())
            .parse_plain(&text)
            .unwrap_or_else(|e| panic!("our rendering does not parse: {e}\n{text}"));
        assert_eq!(again.message, parsed.message, "{text}");
        assert_eq!(render_plain(&again.message).unwrap(), text);
    }
}

/// text/occi: the input's lines as header fields; no panic; what parses round-trips through
/// the header renderer's comma-joined fields.
pub(crate) fn occi_headers(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let fields: Vec<(&str, &str)> = text
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n, v.trim_start()))
        .collect();
    let p = Parser::new(Mode::Lenient).with_limits(small_limits());
    let Ok(parsed) = p.parse_headers(fields) else {
        return;
    };
    let Ok(occi_render_http::HeaderRendering::Headers(out)) = occi_render_http::render_headers(
        &parsed.message,
        &occi_render_http::HeaderBudget::default(),
    ) else {
        return;
    };
    let again = Parser::new(Mode::Lenient)
        .parse_headers(out.iter().map(|(n, v)| (*n, v.as_str())))
        .unwrap_or_else(|e| panic!("our headers do not parse: {e}"));
    assert_eq!(again.message, parsed.message);
}

/// application/occi+json: no panic; what parses renders to JSON that parses to the same
/// message (after normalisation, as JSON objects are unordered).
pub(crate) fn occi_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let p = Parser::new(Mode::Lenient).with_limits(small_limits());
    let Ok(parsed) = p.parse_json(text) else {
        return;
    };
    let Ok(json) = render_json(&parsed.message, None) else {
        return;
    };
    let again = p
        .parse_json(&json)
        .unwrap_or_else(|e| panic!("our JSON does not parse: {e}\n{json}"));
    assert_eq!(
        again.message.normalized(),
        parsed.message.normalized(),
        "{json}"
    );
}

/// text/uri-list: no panic; what parses renders and parses to the same list.
pub(crate) fn occi_uri_list(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(uris) = parse_uri_list(text, small_limits()) else {
        return;
    };
    let body = occi_render_http::render_uri_list(&uris);
    assert_eq!(parse_uri_list(&body, Limits::default()).unwrap(), uris);
}
