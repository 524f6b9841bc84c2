//! Property tests: parse(render(m)) == m for every message the renderer accepts, in both
//! strict modes where the identifiers allow, and parse → render → parse is a fixpoint.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use occi_model::{AttributeValue, CategoryClass};
use occi_render_http::{
    AttributeSpec, CategoryRendering, HeaderBudget, HeaderRendering, LinkRendering, Message, Mode,
    Parser, render_headers, render_plain,
};
use proptest::prelude::*;

/// Any text a quoted-string can carry: no controls but HTAB; heavy on the separators and
/// escapes that break other parsers.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just('"'),
            Just('\\'),
            Just(';'),
            Just(','),
            Just('<'),
            Just('>'),
            Just('='),
            Just(' '),
            Just('\t'),
            Just('é'),
            Just('€'),
            Just('𝄞'),
            any::<char>().prop_filter("no controls", |c| !c.is_control()),
        ],
        0..24,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn value() -> impl Strategy<Value = AttributeValue> {
    prop_oneof![
        text().prop_map(AttributeValue::String),
        (0..i64::MAX).prop_map(AttributeValue::Integer),
        (0.0..1e15f64).prop_map(AttributeValue::Number),
        any::<bool>().prop_map(AttributeValue::Boolean),
    ]
}

fn name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_-]{0,6}(\\.[a-z][a-z0-9_-]{0,6}){0,3}"
}

fn uri() -> impl Strategy<Value = String> {
    "(/[a-z0-9._~-]{1,8}){1,3}/?(\\?action=[a-z]{1,6})?"
}

fn type_id() -> impl Strategy<Value = String> {
    "http://[a-z]{1,8}\\.org/[a-z]{1,6}#[a-z][a-z0-9_-]{0,8}"
}

fn attributes() -> impl Strategy<Value = Vec<(String, AttributeValue)>> {
    prop::collection::btree_map(name(), value(), 0..6).prop_map(|m| m.into_iter().collect())
}

fn category() -> impl Strategy<Value = CategoryRendering> {
    (
        "[a-z][a-z0-9_-]{0,8}",
        "http://[a-z]{1,8}\\.org/[a-z/]{0,8}#",
        prop_oneof![
            Just(CategoryClass::Kind),
            Just(CategoryClass::Mixin),
            Just(CategoryClass::Action)
        ],
        prop::option::of(text()),
        prop::collection::vec(type_id(), 0..3),
        prop::option::of(uri()),
        prop::collection::vec((name(), any::<bool>(), any::<bool>()), 0..4),
        prop::collection::vec(type_id(), 0..3),
    )
        .prop_map(
            |(term, scheme, class, title, rel, location, attrs, actions)| {
                let mut c = CategoryRendering::new(term, scheme, class);
                c.title = title;
                c.rel = rel;
                c.location = location;
                c.attributes = attrs
                    .into_iter()
                    .map(|(n, i, r)| AttributeSpec::new(n, i, r))
                    .collect();
                c.actions = actions;
                c
            },
        )
}

fn link() -> impl Strategy<Value = LinkRendering> {
    (
        uri(),
        prop::collection::vec(type_id(), 1..3),
        prop::option::of(uri()),
        prop::collection::vec(type_id(), 0..3),
        attributes(),
    )
        .prop_map(|(target, rel, self_location, categories, attributes)| {
            let mut l = LinkRendering::default();
            l.target = target;
            l.rel = rel;
            l.self_location = self_location;
            l.categories = categories;
            l.attributes = attributes;
            l
        })
}

fn message() -> impl Strategy<Value = Message> {
    (
        prop::collection::vec(category(), 0..4),
        prop::collection::vec(link(), 0..3),
        attributes(),
        prop::collection::vec(uri(), 0..3),
    )
        .prop_map(|(categories, links, attributes, locations)| {
            let mut m = Message::new();
            m.categories = categories;
            m.links = links;
            m.attributes = attributes;
            m.locations = locations;
            m
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn plain_round_trip(m in message()) {
        let text = render_plain(&m).unwrap();
        for mode in [Mode::Strict11, Mode::Strict12, Mode::Lenient] {
            let parsed = Parser::new(mode).parse_plain(&text).unwrap();
            prop_assert_eq!(&parsed.message, &m);
            prop_assert!(parsed.warnings.is_empty());
        }
    }

    #[test]
    fn headers_round_trip(m in message()) {
        let HeaderRendering::Headers(fields) = render_headers(&m, &HeaderBudget::new(300, 1 << 20)).unwrap() else {
            // Only a value longer than a line falls back; the body is the text/plain one.
            return Ok(());
        };
        let parsed = Parser::new(Mode::Strict12)
            .parse_headers(fields.iter().map(|(n, v)| (*n, v.as_str())))
            .unwrap();
        prop_assert_eq!(parsed.message, m);
    }

    /// Whatever lenient mode accepts re-renders to a strict fixpoint.
    #[test]
    fn lenient_parse_render_fixpoint(s in "[ -~é\"\\\\;,<>=\n]{0,200}") {
        let mut body = String::from("X-OCCI-Attribute: a.b=");
        body.push_str(&s);
        if let Ok(p) = Parser::new(Mode::Lenient).parse_plain(&body) {
            let once = render_plain(&p.message).unwrap();
            let again = Parser::new(Mode::Strict12).parse_plain(&once).unwrap();
            prop_assert_eq!(&again.message, &p.message);
            prop_assert_eq!(render_plain(&again.message).unwrap(), once);
        }
    }
}
