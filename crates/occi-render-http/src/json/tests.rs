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
        (
            r#"{"scheme":"http://example.com/occi/tpl#","term":"small","location":"/mixin/small/"}"#.to_owned(),
            Leniency::BareCategory,
        ),
        (
            r#"{"kinds":[{"term":"thing","scheme":"http://example.com/occi#","parent":"","location":"/thing/"}]}"#.to_owned(),
            Leniency::EmptyParent,
        ),
        (
            r#"{"kind":"http://schemas.ogf.org/occi/infrastructure#networkinterface","id":"n","attributes":{},"source":{"location":"/compute/1"},"target":{"location":"/network/1"},"links":[]}"#.to_owned(),
            Leniency::LinksOnLink,
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

/// A category rendering on its own is read with the class its members say; a link's
/// `links` are dropped with the warning; an empty parent is no parent.
#[test]
fn json_producer_shapes() {
    let lenient = Parser::new(Mode::Lenient);
    for (body, class) in [
        (
            r#"{"term":"small","scheme":"http://example.com/tpl#","location":"/small/"}"#,
            occi_model::CategoryClass::Mixin,
        ),
        (
            r#"{"term":"os","scheme":"http://example.com/tpl#","depends":["http://schemas.ogf.org/occi/infrastructure#os_tpl"]}"#,
            occi_model::CategoryClass::Mixin,
        ),
        (
            r#"{"term":"vm","scheme":"http://example.com/k#","parent":"http://schemas.ogf.org/occi/core#resource","location":"/vm/"}"#,
            occi_model::CategoryClass::Kind,
        ),
        (
            r#"{"term":"reboot","scheme":"http://example.com/k/action#","title":"Reboot"}"#,
            occi_model::CategoryClass::Action,
        ),
    ] {
        let p = lenient.parse_json(body).unwrap();
        assert_eq!(p.message.composition(), Composition::Categories, "{body}");
        assert_eq!(p.message.categories[0].class, Some(class), "{body}");
        assert_eq!(p.warnings[0].position.column, 1);
        // What it holds renders as a collection and reads back in strict mode.
        let json = render_json(&p.message, None).unwrap();
        assert_eq!(
            Parser::new(Mode::Strict12)
                .parse_json(&json)
                .unwrap()
                .message,
            p.message
        );
    }
    let with_links = r#"{"kind":"http://schemas.ogf.org/occi/infrastructure#networkinterface","id":"n","attributes":{},
"source":{"location":"/compute/1"},"target":{"location":"/network/1"},
"links":[{"kind":"http://schemas.ogf.org/occi/infrastructure#storagelink","id":"s","source":{"location":"/compute/1"},"target":{"location":"/storage/1"}}]}"#;
    let p = lenient.parse_json(with_links).unwrap();
    assert_eq!(p.message.composition(), Composition::Link);
    assert!(p.message.links.is_empty());
    assert_eq!(
        (p.warnings[0].leniency, p.warnings[0].position.line),
        (Leniency::LinksOnLink, 3)
    );
    assert!(render_json(&p.message, None).is_ok());
    // A resource keeps its links; only a link's are dropped.
    let resource = format!(
        r#"{{"kind":"{COMPUTE}","id":"c","links":[{{"kind":"http://schemas.ogf.org/occi/infrastructure#storagelink","id":"s","source":{{"location":"/compute/c"}},"target":{{"location":"/storage/1"}}}}]}}"#
    );
    let p = Parser::new(Mode::Strict12).parse_json(&resource).unwrap();
    assert_eq!(p.message.links.len(), 1);
    let kind = lenient
        .parse_json(
            r#"{"kinds":[{"term":"t","scheme":"http://a.org/b#","parent":"","location":"/t/"}]}"#,
        )
        .unwrap();
    assert!(kind.message.categories[0].rel.is_empty());
    // The streaming reader points at a category rendering it cannot stream.
    let mut r = crate::JsonCollectionReader::new(
        &lenient,
        r#"{"term":"t","scheme":"http://a.org/b#"}"#.as_bytes(),
    );
    let e = r.next().unwrap().unwrap_err();
    assert!(
        e.to_string()
            .contains("a category rendering, not a collection"),
        "{e}"
    );
}

/// A link's `self` becomes its JSON id when it has no occi.core.id; otherwise JSON cannot
/// carry it, and `losses` says so unless the id or the kind's location gives it.
#[test]
fn link_self_in_json() {
    let model = Model::infrastructure(OcciVersion::V1_2);
    let link = |self_location: &str, id: Option<&str>| {
        format!(
            "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\n\
             X-OCCI-Attribute: occi.core.id=\"c\"\n\
             Link: </storage/1>; rel=\"http://schemas.ogf.org/occi/infrastructure#storage\"; self=\"{self_location}\"; \
             category=\"http://schemas.ogf.org/occi/infrastructure#storagelink\"{}\n",
            id.map(|i| format!("; occi.core.id=\"{i}\""))
                .unwrap_or_default()
        )
    };
    let p = Parser::new(Mode::Strict12);
    let m = p
        .parse_plain(&link("/storagelink/x", None))
        .unwrap()
        .message;
    let v: serde_json::Value = serde_json::from_str(&render_json(&m, None).unwrap()).unwrap();
    assert_eq!(v["links"][0]["id"], "/storagelink/x");
    assert!(crate::losses(crate::MediaType::Json, &m, None).is_empty());
    // rOCCI's convention: self = the kind's location + id.
    let m = p
        .parse_plain(&link("/storagelink/x", Some("x")))
        .unwrap()
        .message;
    assert!(crate::losses(crate::MediaType::Json, &m, Some(&model)).is_empty());
    let lost = crate::losses(crate::MediaType::Json, &m, None);
    assert_eq!(lost.len(), 1);
    assert_eq!(lost[0].path, "/links/0");
    assert!(lost[0].what.contains("/storagelink/x"), "{}", lost[0]);
    let m = p
        .parse_plain(&link("/elsewhere/x", Some("x")))
        .unwrap()
        .message;
    assert_eq!(
        crate::losses(crate::MediaType::Json, &m, Some(&model)).len(),
        1
    );
    // Text carries self; it loses what only JSON definitions have.
    assert!(crate::losses(crate::MediaType::TextPlain, &m, None).is_empty());
    let def = Parser::new(Mode::Strict12)
        .parse_json(r#"{"mixins":[{"term":"t","scheme":"http://a.org/b#","location":"/t/","applies":["http://schemas.ogf.org/occi/infrastructure#compute"],"attributes":{"a.b":{"type":"integer","default":1}}}]}"#)
        .unwrap()
        .message;
    let lost: Vec<String> = crate::losses(crate::MediaType::TextOcci, &def, None)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        lost,
        [
            "the applies of http://a.org/b#t at /categories/0",
            "the type, default of a.b at /categories/0/attributes/a.b"
        ]
    );
}
