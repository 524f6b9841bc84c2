//! Messages to typed occi-model entities and back.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use occi_model::{AttributeValue, Entity, Model, OcciVersion, Operation, ValidationOptions};
use occi_render_http::{Message, Mode, Parser, render_plain};

const INSTANCE: &str = "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\n\
Link: </compute/1?action=stop>; rel=\"http://schemas.ogf.org/occi/infrastructure/compute/action#stop\"\n\
Link: </network/2>; rel=\"http://schemas.ogf.org/occi/infrastructure#network\"; self=\"/networkinterface/n0\"; category=\"http://schemas.ogf.org/occi/infrastructure#networkinterface\"; occi.core.id=\"n0\"; occi.core.source=\"/compute/1\"; occi.core.target=\"/network/2\"; occi.networkinterface.interface=\"eth0\"; occi.networkinterface.mac=\"02:00:93:e4:f2:a3\"; occi.networkinterface.state=\"active\"\n\
X-OCCI-Attribute: occi.core.id=\"/compute/1\"\n\
X-OCCI-Attribute: occi.core.title=\"vm\"\n\
X-OCCI-Attribute: occi.compute.cores=\"2\"\n\
X-OCCI-Attribute: occi.compute.memory=2\n\
X-OCCI-Attribute: occi.compute.state=\"active\"\n";

#[test]
fn text_to_typed_entity_and_back() {
    let model = Model::infrastructure(OcciVersion::V1_2);
    let m = Parser::new(Mode::Lenient)
        .with_model(&model)
        .parse_plain(INSTANCE)
        .unwrap()
        .message;
    let Entity::Resource(r) = m.to_entity().unwrap() else {
        panic!("a resource")
    };
    assert_eq!(r.id.as_str(), "/compute/1");
    assert_eq!(r.title.as_deref(), Some("vm"));
    assert_eq!(
        r.attributes.get("occi.compute.cores"),
        Some(&AttributeValue::Integer(2))
    );
    assert_eq!(
        r.attributes.get("occi.compute.memory"),
        Some(&AttributeValue::Number(2.0))
    );
    assert_eq!(r.links.len(), 1);
    assert_eq!(r.links[0].id.as_str(), "n0");
    assert_eq!(r.links[0].target_kind.as_ref().unwrap().term(), "network");
    let entity = Entity::Resource(r);
    let report = model.validate(&entity, Operation::Instance, &ValidationOptions::default());
    assert!(report.is_valid(), "{:?}", report.findings);
    // Back to text, and again to the same entity.
    let text = render_plain(&Message::from_entity(&entity)).unwrap();
    let again = Parser::new(Mode::Strict12)
        .with_model(&model)
        .parse_plain(&text)
        .unwrap()
        .message;
    assert_eq!(again.to_entity().unwrap(), entity);
}

#[test]
fn links_and_actions() {
    let link = "Category: networkinterface; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\n\
X-OCCI-Attribute: occi.core.id=\"n0\"\nX-OCCI-Attribute: occi.core.source=\"/compute/1\"\nX-OCCI-Attribute: occi.core.target=\"/network/2\"\n";
    let m = Parser::new(Mode::Strict12)
        .parse_plain(link)
        .unwrap()
        .message;
    let Entity::Link(l) = m.to_entity().unwrap() else {
        panic!("a link")
    };
    assert_eq!(l.source.as_str(), "/compute/1");
    assert_eq!(
        Message::from_entity(&Entity::Link(l)).to_entity().unwrap(),
        m.to_entity().unwrap()
    );
    let action = "Category: stop; scheme=\"http://schemas.ogf.org/occi/infrastructure/compute/action#\"; class=\"action\"\nX-OCCI-Attribute: method=\"graceful\"\n";
    let m = Parser::new(Mode::Strict12)
        .parse_plain(action)
        .unwrap()
        .message;
    let a = m.to_action_invocation().unwrap();
    assert_eq!(a.action.term(), "stop");
    assert!(m.to_entity().is_err());
    let no_id = "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\nX-OCCI-Attribute: occi.compute.cores=1\n";
    let e = Parser::new(Mode::Strict12)
        .parse_plain(no_id)
        .unwrap()
        .message
        .to_entity()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid composition: an entity needs occi.core.id at line 1, column 1"
    );
}
