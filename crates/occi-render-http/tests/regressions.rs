//! One test per bug found (by fuzzing or the fixtures), with the smallest input that showed it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use occi_render_http::{Leniency, Mode, Parser, render_json, render_plain};

/// occi_headers crash: a lenient attribute name held `<` and `/`, so the rendering's comma
/// splitting saw an unclosed `<…>` and the re-parse failed. Lenient names are RFC 7230 tchar.
#[test]
fn lenient_names_cannot_hold_separators() {
    let body = "Link: </n/1>; reltb#org/b/</c/1?act)on=stop>; rel=\"http://a.org/b#c\"";
    assert!(Parser::new(Mode::Lenient).parse_plain(body).is_err());
    let ok = Parser::new(Mode::Lenient)
        .parse_plain("X-OCCI-Attribute: _odd!name=1")
        .unwrap();
    assert_eq!(ok.warnings[0].leniency, Leniency::IdentifierGrammar);
    let text = render_plain(&ok.message).unwrap();
    assert_eq!(
        Parser::new(Mode::Lenient)
            .parse_plain(&text)
            .unwrap()
            .message,
        ok.message
    );
}

/// occi_json crash: a resource without attributes inside `{"resources": […]}` was rendered
/// as a category collection and lost.
#[test]
fn attribute_less_entities_in_json_collections_stay_entities() {
    let body =
        r#"{"resources":[{"kind":"http://a.org/b#c","id":"1"},{"kind":"http://a.org/b#d","x":1}]}"#;
    let p = Parser::new(Mode::Lenient);
    let m = p.parse_json(body).unwrap().message;
    assert_eq!(m.entities.len(), 2);
    let again = p
        .parse_json(&render_json(&m, None).unwrap())
        .unwrap()
        .message;
    assert_eq!(again.normalized(), m.normalized());
}

/// occi_json crash: a scheme with a `#` before its end cannot be split back from the type
/// identifier form; such categories render as objects, and only lenient mode accepts them
/// (rOCCI 4 and jOCCI publish `…/network/action#up` as the scheme of `down`).
#[test]
fn schemes_with_an_inner_hash() {
    let text = "Category: down; scheme=\"http://schemas.ogf.org/occi/infrastructure/network/action#up\"; class=\"action\"";
    assert!(Parser::new(Mode::Strict12).parse_plain(text).is_err());
    let m = Parser::new(Mode::Lenient)
        .parse_plain(text)
        .unwrap()
        .message;
    let json = render_json(&m, None).unwrap();
    assert!(json.contains("\"term\": \"down\""), "{json}");
    let back = Parser::new(Mode::Lenient)
        .parse_json(&json)
        .unwrap()
        .message;
    assert_eq!(back.categories[0].term, "down");
    assert_eq!(back.categories[0].scheme, m.categories[0].scheme);
}

/// jOCCI and rOCCI 4 end X-OCCI-Attribute values with `;`.
#[test]
fn trailing_semicolon_after_an_attribute() {
    let text = "X-OCCI-Attribute: occi.networkinterface.interface=\"eth0\";";
    let e = Parser::new(Mode::Strict12).parse_plain(text).unwrap_err();
    assert_eq!(
        e.to_string(),
        "not allowed in strict mode: trailing-semicolon at line 1, column 57"
    );
    let p = Parser::new(Mode::Lenient).parse_plain(text).unwrap();
    assert_eq!(p.warnings[0].leniency, Leniency::TrailingSemicolon);
}
