//! The `serde` feature: owned model types round-trip through JSON, identifiers as strings and
//! attribute values as their JSON values.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use occi_model::{Entity, Kind, Link, Model, OcciVersion, Resource, StateMachine, ids};

#[test]
fn entities_round_trip() {
    let vm: Entity = Resource::new(ids::COMPUTE.parse().unwrap())
        .with_title("vm")
        .with_attribute("occi.compute.cores".parse().unwrap(), 2)
        .with_attribute("occi.compute.memory".parse().unwrap(), 1.5)
        .with_link(Link::new(
            ids::STORAGELINK.parse().unwrap(),
            "/compute/1".parse().unwrap(),
            "/storage/1".parse().unwrap(),
        ))
        .into();
    let json = serde_json::to_string(&vm).unwrap();
    assert!(json.contains("\"occi.compute.cores\":2"), "{json}");
    assert!(
        json.contains(&format!("\"kind\":\"{}\"", ids::COMPUTE)),
        "{json}"
    );
    let back: Entity = serde_json::from_str(&json).unwrap();
    assert_eq!(back, vm);
}

#[test]
fn categories_round_trip_and_identifiers_are_checked() {
    let model = Model::infrastructure(OcciVersion::V1_2).with_crtp();
    for k in model.kinds() {
        let json = serde_json::to_string(k).unwrap();
        assert_eq!(&serde_json::from_str::<Kind>(&json).unwrap(), k);
    }
    for m in model.mixins() {
        let json = serde_json::to_string(m).unwrap();
        assert_eq!(
            &serde_json::from_str::<occi_model::Mixin>(&json).unwrap(),
            m
        );
    }
    let sm = model.state_machine(ids::COMPUTE).unwrap();
    let json = serde_json::to_string(sm).unwrap();
    assert_eq!(&serde_json::from_str::<StateMachine>(&json).unwrap(), sm);
    // A malformed identifier is refused at deserialisation.
    let bad = r#"{"id":"no hash","title":null,"parent":null,"attributes":[],"actions":[],"location":null}"#;
    assert!(serde_json::from_str::<Kind>(bad).is_err());
}
