//! The JSON reader's positions and duplicate members, and the streaming collection reader:
//! it gives what `parse_json` gives, over any read size, with global positions and limits
//! per member.

use crate::{ErrorKind, Item, JsonCollectionReader, Leniency, Limits, Message, Mode, Parser};
use occi_model::{AttributeValue, CategoryClass, Model, OcciVersion};
use proptest::prelude::*;
use std::io::BufReader;

const COMPUTE: &str = "http://schemas.ogf.org/occi/infrastructure#compute";

fn model() -> Model {
    Model::infrastructure(OcciVersion::V1_2)
}

fn compute(id: &str, cores: &str) -> String {
    format!(
        r#"{{"kind": "{COMPUTE}", "id": "{id}",
 "attributes": {{"occi.compute.cores": {cores}, "occi.core.title": "vm \"{id}\" é"}}}}"#
    )
}

fn link(id: &str) -> String {
    format!(
        r#"{{"kind": "http://schemas.ogf.org/occi/infrastructure#storagelink", "id": "{id}",
 "source": {{"location": "/compute/1"}}, "target": {{"location": "/storage/{id}", "kind": "http://schemas.ogf.org/occi/infrastructure#storage"}}}}"#
    )
}

fn stream(p: &Parser<'_>, body: &str, capacity: usize) -> Result<Vec<Item>, crate::Error> {
    JsonCollectionReader::new(p, BufReader::with_capacity(capacity, body.as_bytes())).collect()
}

fn entities(items: Vec<Item>) -> Vec<Message> {
    items
        .into_iter()
        .map(|i| match i {
            Item::Entity(e) => e,
            other => panic!("not an entity: {other:?}"),
        })
        .collect()
}

#[test]
fn errors_and_warnings_point_at_their_member() {
    let m = model();
    // A strict typing error names the value's own line and column.
    let body = format!(
        "{{\n  \"kind\": \"{COMPUTE}\",\n  \"id\": \"1\",\n  \"attributes\": {{\n    \"occi.compute.cores\": \"2\"\n  }}\n}}"
    );
    let e = Parser::new(Mode::Strict12)
        .with_model(&m)
        .parse_json(&body)
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::TypeMismatch { .. }));
    assert_eq!((e.position().line, e.position().column), (5, 27));
    assert_eq!(e.position().offset, body.find("\"2\"").unwrap());
    // Lenient mode converts it and says where.
    let p = Parser::new(Mode::Lenient)
        .with_model(&m)
        .parse_json(&body)
        .unwrap();
    assert_eq!(
        p.message.attribute("occi.compute.cores"),
        Some(&AttributeValue::Integer(2))
    );
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(p.warnings[0].leniency, Leniency::QuotedNumber);
    assert_eq!(
        (p.warnings[0].position.line, p.warnings[0].position.column),
        (5, 27)
    );
    // An entity without id: the warning is at its kind.
    let p = Parser::new(Mode::Lenient)
        .parse_json(&format!(
            "{{\"attributes\": {{}},\n \"kind\": \"{COMPUTE}\"}}"
        ))
        .unwrap();
    assert_eq!(p.warnings[0].leniency, Leniency::MissingId);
    assert_eq!(
        (p.warnings[0].position.line, p.warnings[0].position.column),
        (2, 10)
    );
    // Shape errors inside a collection: the member's position, its JSON pointer in the text.
    let body = format!(
        "{{\"resources\": [\n{},\n{{\"kind\": 7}}]}}",
        compute("a", "1")
    );
    let e = Parser::new(Mode::Lenient).parse_json(&body).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid OCCI JSON: /resources/1/kind must be a string at line 4, column 10"
    );
    // An unknown member in strict mode: at its name.
    let e = Parser::new(Mode::Strict12)
        .parse_json(&format!(
            "{{\"kind\": \"{COMPUTE}\", \"id\": \"1\",\n   \"location\": \"/x\"}}"
        ))
        .unwrap_err();
    assert_eq!((e.position().line, e.position().column), (2, 4));
    // Non-ASCII before the error counts as one column per character.
    let body = format!("{{\"kind\": \"{COMPUTE}\", \"title\": \"ééé\", \"id\": 1}}");
    let e = Parser::new(Mode::Strict12).parse_json(&body).unwrap_err();
    let at = body.rfind('1').unwrap();
    assert_eq!(e.position().offset, at);
    assert_eq!(e.position().column, body[..at].chars().count() + 1);
    assert_eq!(e.position().column + 3, at + 1);
}

#[test]
fn duplicate_members_strict_refuses_lenient_keeps_the_last() {
    let body =
        format!("{{\"kind\": \"{COMPUTE}\", \"id\": \"1\", \"title\": \"a\",\n \"title\": \"b\"}}");
    let e = Parser::new(Mode::Strict12).parse_json(&body).unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::JsonShape("member \"title\" given twice".into())
    );
    assert_eq!((e.position().line, e.position().column), (2, 2));
    let p = Parser::new(Mode::Lenient).parse_json(&body).unwrap();
    assert_eq!(
        p.message
            .attribute("occi.core.title")
            .and_then(|v| v.as_str()),
        Some("b")
    );
    assert_eq!(p.warnings[0].leniency, Leniency::DuplicateAttribute);
    assert_eq!(p.warnings[0].position.line, 2);
}

#[test]
fn members_keep_document_order() {
    let body = format!(
        "{{\"kind\": \"{COMPUTE}\", \"id\": \"1\", \"attributes\": {{\"z.b\": 1, \"a.c\": 2, \"m.d\": 3}}}}"
    );
    let p = Parser::new(Mode::Strict12).parse_json(&body).unwrap();
    let names: Vec<&str> = p
        .message
        .attributes
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(names, ["z.b", "a.c", "m.d", "occi.core.id"]);
}

#[test]
fn stream_gives_what_parse_json_gives() {
    let m = model();
    let body = format!(
        "{{\n\"kinds\": [\"{COMPUTE}\", {{\"term\": \"t\", \"scheme\": \"http://e.org/s#\", \"title\": \"T\"}}],\n\"mixins\": [\"http://e.org/tpl#small\"],\n\"resources\": [{}, {}],\n\"links\": [{}]\n}}",
        compute("a", "1"),
        compute("b", "2"),
        link("c")
    );
    for mode in [Mode::Strict12, Mode::Lenient] {
        let p = Parser::new(mode).with_model(&m);
        let whole = p.parse_json(&body).unwrap().message;
        for capacity in [1, 2, 3, 7, 64, 8192] {
            let items = stream(&p, &body, capacity).unwrap();
            let cats: Vec<_> = items
                .iter()
                .filter_map(|i| match i {
                    Item::Category(c) => Some(c.clone()),
                    _ => None,
                })
                .collect();
            assert_eq!(cats, whole.categories);
            assert_eq!(cats[2].class, Some(CategoryClass::Mixin));
            let es: Vec<_> = entities(
                items
                    .into_iter()
                    .filter(|i| matches!(i, Item::Entity(_)))
                    .collect(),
            );
            assert_eq!(es, whole.entities, "{mode} {capacity}");
            assert_eq!(es.len(), 3);
        }
    }
    // A location array.
    let p = Parser::new(Mode::Strict12);
    let items = stream(&p, " [\"/compute/1\", \"/compute/\\u0032\"] ", 1).unwrap();
    assert_eq!(
        items,
        [
            Item::Location("/compute/1".into()),
            Item::Location("/compute/2".into())
        ]
    );
    assert!(stream(&p, "{}", 1).unwrap().is_empty());
    assert!(stream(&p, "[]", 1).unwrap().is_empty());
}

#[test]
fn stream_errors_are_positioned_in_the_whole_body() {
    let m = model();
    let p = Parser::new(Mode::Strict12).with_model(&m);
    let body = format!(
        "{{\"resources\": [\n{},\n{}\n]}}",
        compute("a", "1"),
        compute("b", "\"2\"")
    );
    let whole = p.parse_json(&body).unwrap_err();
    let mut r = JsonCollectionReader::new(&p, BufReader::with_capacity(5, body.as_bytes()));
    assert!(matches!(r.next(), Some(Ok(Item::Entity(_)))));
    let e = r.next().unwrap().unwrap_err();
    assert!(r.next().is_none());
    assert_eq!(e, whole);
    assert_eq!(e.position().line, 5);
    // Syntax, trailing text, truncation, invalid UTF-8.
    let cases: [(&[u8], usize, usize); 6] = [
        (b"{\"resources\": [1 2]}", 1, 16),
        (b"{\"links\": []} x", 1, 15),
        (b"{\"links\": [", 1, 12),
        (b"{\"links\":\n [{\"kind\": \"\xff\"}]}", 2, 13),
        (b"{\"resources\": {}}", 1, 15),
        (b"\n  7", 2, 3),
    ];
    for (body, line, column) in cases {
        let r = JsonCollectionReader::new(&p, body);
        let e = r.collect::<Result<Vec<_>, _>>().unwrap_err();
        assert_eq!(
            (e.position().line, e.position().column),
            (line, column),
            "{e} in {:?}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn stream_refuses_documents_that_are_no_collection() {
    let p = Parser::new(Mode::Lenient);
    let e = stream(&p, &compute("a", "1"), 16).unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::JsonShape("/kind: an entity rendering, not a collection".into())
    );
    let e = stream(
        &p,
        "{\"action\": \"http://schemas.ogf.org/occi/infrastructure/compute/action#stop\"}",
        16,
    )
    .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::JsonShape(_)));
    // The rOCCI 4 collection's invocation object is read, in lenient mode.
    let items = stream(&p, "{\"action\": {\"action\": \"http://schemas.ogf.org/occi/infrastructure/compute/action#stop\"}}", 16).unwrap();
    assert_eq!(items.len(), 1);
    assert!(
        stream(
            &Parser::new(Mode::Strict12),
            "{\"action\": {\"action\": \"http://a.org/b#c\"}}",
            16
        )
        .is_err()
    );
}

#[test]
fn stream_duplicates_and_unknown_members() {
    let body = format!(
        "{{\"resources\": [{}],\n \"x\": {{\"deep\": [1]}},\n \"resources\": [{}]}}",
        compute("a", "1"),
        compute("b", "2")
    );
    let e = stream(&Parser::new(Mode::Strict12), &body, 8).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::JsonShape(_)));
    assert_eq!(e.position().line, 3, "{e}");
    let p = Parser::new(Mode::Lenient);
    let mut r = JsonCollectionReader::new(&p, body.as_bytes());
    let items: Vec<Item> = r.by_ref().collect::<Result<_, _>>().unwrap();
    assert_eq!(items.len(), 2, "both members are read: {items:?}");
    let kinds: Vec<Leniency> = r.warnings().iter().map(|w| w.leniency).collect();
    assert_eq!(
        kinds,
        [Leniency::UnknownJsonMember, Leniency::DuplicateAttribute]
    );
}

#[test]
fn stream_limits_apply_per_member_and_from_the_top() {
    let members: Vec<String> = (0..200).map(|i| compute(&format!("id{i}"), "1")).collect();
    let body = format!("{{\"resources\": [{}]}}", members.join(",\n"));
    let small = Limits::default().with_max_body_bytes(200);
    assert!(body.len() > 20_000);
    let p = Parser::new(Mode::Strict12).with_limits(small);
    assert!(matches!(
        p.parse_json(&body).unwrap_err().kind(),
        ErrorKind::BodyTooLarge { .. }
    ));
    assert_eq!(stream(&p, &body, 64).unwrap().len(), 200);
    let tight = Parser::new(Mode::Strict12).with_limits(Limits::default().with_max_body_bytes(100));
    let e = stream(&tight, &body, 64).unwrap_err();
    assert!(matches!(
        e.kind(),
        ErrorKind::BodyTooLarge { limit: 100, .. }
    ));
    assert_eq!(e.position().column, 16);
    // Depth counts from the top of the document: the object, the array, the entity, its
    // attributes, then the two arrays of the value.
    let body = format!(
        "{{\"resources\": [{{\"kind\": \"{COMPUTE}\", \"id\": \"1\", \"attributes\": {{\"x.y\": [[1]]}}}}]}}"
    );
    for (depth, ok) in [
        (6, true),
        (7, true),
        (5, false),
        (2, false),
        (1, false),
        (0, false),
    ] {
        let p = Parser::new(Mode::Strict12).with_limits(Limits::default().with_max_depth(depth));
        let streamed = stream(&p, &body, 7);
        assert_eq!(streamed.is_ok(), ok, "depth {depth}: {streamed:?}");
        assert_eq!(p.parse_json(&body).is_ok(), ok, "depth {depth}");
        if let Err(e) = streamed {
            assert_eq!(e.kind(), &ErrorKind::TooDeep { limit: depth });
        }
    }
}

fn entity_strategy() -> impl Strategy<Value = String> {
    (0..3u8, "[a-z0-9]{1,8}", 0..64i64, "[ \n\t]{0,3}").prop_map(|(kind, id, cores, ws)| match kind {
        0 => compute(&id, &cores.to_string()).replace(' ', &format!(" {ws}")),
        1 => link(&id).replace(", ", &format!(",{ws}")),
        _ => format!("{{{ws}\"kind\":\"http://schemas.ogf.org/occi/infrastructure#network\",\"id\":\"{id}\",\"attributes\":{{\"occi.network.vlan\":{cores}}}}}"),
    })
}

proptest! {
    /// Any collection, read in any chunk size, streams to what parse_json reads, in both
    /// modes, typed through the model.
    #[test]
    fn streaming_equals_whole_parse(
        resources in prop::collection::vec(entity_strategy(), 0..6),
        links in prop::collection::vec(entity_strategy(), 0..3),
        ws in "[ \n\r\t]{0,4}",
        capacity in 1usize..40,
    ) {
        let m = model();
        let body = format!(
            "{ws}{{{ws}\"resources\"{ws}:{ws}[{}]{ws},\"links\":[{}]{ws}}}{ws}",
            resources.join(&format!("{ws},{ws}")),
            links.join(",")
        );
        for mode in [Mode::Strict12, Mode::Lenient] {
            let p = Parser::new(mode).with_model(&m);
            let whole = p.parse_json(&body);
            let streamed = stream(&p, &body, capacity);
            match (whole, streamed) {
                (Ok(w), Ok(s)) => prop_assert_eq!(entities(s), w.message.entities),
                (Err(w), Err(s)) => prop_assert_eq!(s, w),
                (w, s) => prop_assert!(false, "whole {:?} vs streamed {:?}", w.map(|_| ()), s.map(|_| ())),
            }
        }
    }
}
