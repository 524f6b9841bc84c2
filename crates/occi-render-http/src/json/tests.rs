//! The JSON rendering: leniencies, limits, errors, round trips.

use crate::{Composition, ErrorKind, Leniency, Limits, Mode, Parser, render_json, render_plain};
use occi_model::{AttributeValue, Model, OcciVersion};

const COMPUTE: &str = "http://schemas.ogf.org/occi/infrastructure#compute";

#[test]
fn json_leniencies_only_in_lenient_mode() {
    let cases: &[(String, Leniency)] = &[
        (
            format!(r#"{{"kind":"{COMPUTE}","id":"1","attributes":{{}},"location":"/compute/1"}}"#),
            Leniency::UnknownJsonMember,
        ),
        (
            format!(r#"{{"kind":"{COMPUTE}","attributes":{{"occi.compute.cores":1}}}}"#),
            Leniency::MissingId,
        ),
        (
            format!(r#"{{"kind":"{COMPUTE}","id":"1","attributes":{{"occi":{{"compute":{{"cores":2}}}}}}}}"#),
            Leniency::LegacyJson,
        ),
        (
            r#"{"kinds":[{"term":"x","scheme":"http://a.org/b#","location":"/x/","attributes":{"a.b":{"type":"string","mutable":true,"required":false,"pattern":"^a$"}}}]}"#.to_owned(),
            Leniency::PatternString,
        ),
    ];
    for (body, leniency) in cases {
        for mode in [Mode::Strict11, Mode::Strict12] {
            let e = Parser::new(mode).parse_json(body).unwrap_err();
            assert!(
                matches!(e.kind(), ErrorKind::Strict(l) if l == leniency)
                    || matches!(e.kind(), ErrorKind::JsonShape(_)),
                "{mode} {body}: {e}"
            );
        }
        let p = Parser::new(Mode::Lenient).parse_json(body).unwrap();
        assert_eq!(
            p.warnings.iter().map(|w| w.leniency).collect::<Vec<_>>(),
            [*leniency],
            "{body}"
        );
    }
    // The legacy dialect flattens to dotted names.
    let p = Parser::new(Mode::Lenient).parse_json(&cases[2].0).unwrap();
    assert_eq!(
        p.message.attribute("occi.compute.cores"),
        Some(&AttributeValue::Integer(2))
    );
}

#[test]
fn json_typing_through_the_model() {
    let model = Model::infrastructure(OcciVersion::V1_2);
    let body = format!(
        r#"{{"kind":"{COMPUTE}","id":"1","attributes":{{"occi.compute.cores":"4","occi.compute.memory":2}}}}"#
    );
    let e = Parser::new(Mode::Strict12)
        .with_model(&model)
        .parse_json(&body)
        .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::TypeMismatch { name, .. } if name == "occi.compute.cores")
    );
    let p = Parser::new(Mode::Lenient)
        .with_model(&model)
        .parse_json(&body)
        .unwrap();
    assert_eq!(
        p.message.attribute("occi.compute.cores"),
        Some(&AttributeValue::Integer(4))
    );
    assert_eq!(
        p.message.attribute("occi.compute.memory"),
        Some(&AttributeValue::Number(2.0))
    );
    assert_eq!(p.warnings[0].leniency, Leniency::QuotedNumber);
}

#[test]
fn json_errors_and_limits() {
    let e = Parser::new(Mode::Lenient)
        .parse_json("{\n  \"kind\": ,\n}")
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Json(_)));
    assert_eq!((e.position().line, e.position().column), (2, 11));
    let e = Parser::new(Mode::Lenient).parse_json("42").unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::JsonShape(_)));
    let e = Parser::new(Mode::Lenient)
        .parse_json(r#"{"kind":5}"#)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid OCCI JSON: /kind must be a string at line 1, column 9"
    );
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let e = Parser::new(Mode::Lenient).parse_json(&deep).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooDeep { limit: 64 });
    let e = Parser::new(Mode::Lenient)
        .with_limits(Limits::default().with_max_depth(2))
        .parse_json(r#"{"action":"http://a.org/b#c","attributes":{"x.y":[[1]]}}"#)
        .unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooDeep { limit: 2 });
    let e = Parser::new(Mode::Lenient)
        .with_limits(Limits::default().with_max_body_bytes(8))
        .parse_json(r#"["/a","/b"]"#)
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::BodyTooLarge { limit: 8, .. }));
    let e = Parser::new(Mode::Lenient)
        .with_limits(Limits::default().with_max_attributes(1))
        .parse_json(r#"{"action":"http://a.org/b#c","attributes":{"x.y":1,"x.z":2}}"#)
        .unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooManyAttributes { limit: 1 });
}

#[test]
fn text_to_json_to_text() {
    let body = "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\n\
                Category: small; scheme=\"http://example.org/tpl#\"; class=\"mixin\"\n\
                Link: </compute/1?action=stop>; rel=\"http://schemas.ogf.org/occi/infrastructure/compute/action#stop\"\n\
                Link: </network/2>; rel=\"http://schemas.ogf.org/occi/infrastructure#network\"; category=\"http://schemas.ogf.org/occi/infrastructure#networkinterface\"; occi.core.id=\"nic0\"; occi.core.source=\"/compute/1\"; occi.core.target=\"/network/2\"\n\
                X-OCCI-Attribute: occi.core.id=\"/compute/1\"\n\
                X-OCCI-Attribute: occi.core.title=\"a \\\"b\\\" é\"\n\
                X-OCCI-Attribute: occi.compute.cores=2\n";
    let p = Parser::new(Mode::Strict12);
    let m = p.parse_plain(body).unwrap().message;
    assert_eq!(m.composition(), Composition::Resource);
    let json = render_json(&m, None).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["id"], "/compute/1");
    assert_eq!(v["title"], "a \"b\" é");
    assert_eq!(
        v["actions"][0],
        "http://schemas.ogf.org/occi/infrastructure/compute/action#stop"
    );
    assert_eq!(
        v["links"][0]["target"]["kind"],
        "http://schemas.ogf.org/occi/infrastructure#network"
    );
    assert_eq!(v["links"][0]["source"]["location"], "/compute/1");
    let back = p.parse_json(&json).unwrap().message;
    assert_eq!(back.clone().normalized(), m.clone().normalized());
    assert_eq!(
        render_plain(&back.normalized()).unwrap(),
        render_plain(&m.normalized()).unwrap()
    );
}

#[test]
fn locations_and_categories() {
    let p = Parser::new(Mode::Strict12);
    let m = p
        .parse_plain("X-OCCI-Location: /a\nX-OCCI-Location: /b\n")
        .unwrap()
        .message;
    assert_eq!(render_json(&m, None).unwrap(), "[\n  \"/a\",\n  \"/b\"\n]");
    let model = Model::infrastructure(OcciVersion::V1_2);
    let kind = "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"; title=\"Compute\"; rel=\"http://schemas.ogf.org/occi/core#resource\"; location=\"/compute/\"; attributes=\"occi.compute.cores occi.compute.state{immutable required}\"";
    let m = p.parse_plain(kind).unwrap().message;
    assert_eq!(m.composition(), Composition::Categories);
    let v: serde_json::Value =
        serde_json::from_str(&render_json(&m, Some(&model)).unwrap()).unwrap();
    let k = &v["kinds"][0];
    assert_eq!(k["parent"], "http://schemas.ogf.org/occi/core#resource");
    assert_eq!(k["attributes"]["occi.compute.cores"]["type"], "integer");
    assert_eq!(k["attributes"]["occi.compute.cores"]["mutable"], true);
    assert_eq!(k["attributes"]["occi.compute.state"]["mutable"], false);
    assert_eq!(k["attributes"]["occi.compute.state"]["required"], true);
    let classless = Parser::new(Mode::Lenient)
        .parse_plain("Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"")
        .unwrap()
        .message;
    assert!(matches!(
        render_json(&classless, None).unwrap_err().kind(),
        ErrorKind::Unrepresentable(_)
    ));
}
