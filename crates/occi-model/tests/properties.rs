//! Property tests: identifiers round-trip through their text; random provider models register
//! and verify; validation of random entities against them finds exactly the planted problems.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use occi_model::{
    AttributeDefinition, AttributeName, AttributeType, AttributeValue, CategoryId, Code, Entity,
    Kind, Mixin, Model, OcciVersion, Operation, Resource, Term, ValidationOptions, ids,
};
use proptest::prelude::*;
use std::collections::BTreeSet;

proptest! {
    #[test]
    fn terms_of_1_1_are_terms_of_1_2(t in "[a-z][a-z0-9_-]{0,20}") {
        let a = Term::parse(&t, OcciVersion::V1_1).unwrap();
        let b = Term::parse(&t, OcciVersion::V1_2).unwrap();
        prop_assert_eq!(a.as_str(), t.as_str());
        prop_assert_eq!(a, b);
    }

    #[test]
    fn category_ids_round_trip(
        host in "[a-z]{1,10}",
        path in "(/[a-z0-9]{1,6}){0,3}",
        term in "[A-Za-z0-9][A-Za-z0-9._-]{0,20}",
    ) {
        let text = format!("http://{host}.example{path}#{term}");
        let id: CategoryId = text.parse().unwrap();
        prop_assert_eq!(id.to_string(), text.clone());
        prop_assert_eq!(id.term(), term.as_str());
        prop_assert_eq!(id.as_ref().into_owned(), id.clone());
        let again = CategoryId::from_parts(id.scheme(), id.term(), OcciVersion::V1_2).unwrap();
        prop_assert_eq!(again, id);
    }

    #[test]
    fn attribute_names_of_1_1_are_names_of_1_2(n in "[a-z][a-z0-9_-]{0,6}(\\.[a-z][a-z0-9_-]{0,6}){0,4}") {
        let a = AttributeName::parse(&n, OcciVersion::V1_1).unwrap();
        prop_assert_eq!(a.as_str(), n.as_str());
        prop_assert!(AttributeName::parse(&n, OcciVersion::V1_2).is_ok());
    }

    #[test]
    fn identifier_parsers_never_panic(s in "\\PC{0,40}") {
        for v in [OcciVersion::V1_1, OcciVersion::V1_2] {
            let _ = CategoryId::parse(&s, v);
            let _ = AttributeName::parse(&s, v);
            let _ = Term::parse(&s, v);
        }
        let _ = s.parse::<occi_model::EntityId>();
        let _ = s.parse::<occi_model::Scheme>();
    }
}

/// One attribute of a random provider model.
#[derive(Debug, Clone)]
struct AttrSpec {
    ty: u8,
    required: bool,
    mutable: bool,
    with_default: bool,
    /// 0: absent, 1: a valid value, 2: a value of the wrong type.
    given: u8,
}

fn type_of(ty: u8) -> AttributeType {
    match ty % 6 {
        0 => AttributeType::String,
        1 => AttributeType::Integer,
        2 => AttributeType::Number,
        3 => AttributeType::Boolean,
        4 => AttributeType::enumeration(&["a", "b"]),
        _ => AttributeType::Array,
    }
}

fn valid_value(ty: u8) -> AttributeValue {
    match ty % 6 {
        0 => "text".into(),
        1 => 7.into(),
        2 => 1.5.into(),
        3 => true.into(),
        4 => "b".into(),
        _ => AttributeValue::Array(vec![1.into()]),
    }
}

fn wrong_value(ty: u8) -> AttributeValue {
    match ty % 6 {
        0 | 4 | 5 => true.into(),
        _ => "text".into(),
    }
}

fn spec() -> impl Strategy<Value = AttrSpec> {
    (0u8..6, any::<bool>(), any::<bool>(), any::<bool>(), 0u8..3).prop_map(
        |(ty, required, mutable, with_default, given)| AttrSpec {
            ty,
            required,
            mutable,
            with_default,
            given,
        },
    )
}

fn definition(name: &str, s: &AttrSpec) -> AttributeDefinition {
    let mut d = AttributeDefinition::new(name.parse().unwrap(), type_of(s.ty))
        .with_required(s.required)
        .with_mutable(s.mutable);
    if s.with_default {
        d = d.with_default(valid_value(s.ty));
    }
    d
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A random kind (with random attributes) and a random mixin (with more) register and
    /// verify; an entity that gives some attributes valid values, some wrong-typed values and
    /// leaves some out gets exactly one type finding per wrong value and one missing-required
    /// finding per absent required attribute (Instance), and filling defaults removes the
    /// missing findings of attributes that have one.
    #[test]
    fn validation_finds_exactly_the_planted_problems(
        kind_attrs in proptest::collection::vec(spec(), 0..8),
        mixin_attrs in proptest::collection::vec(spec(), 0..5),
        use_mixin in any::<bool>(),
        version in prop_oneof![Just(OcciVersion::V1_1), Just(OcciVersion::V1_2)],
    ) {
        let mut model = Model::infrastructure(version);
        let kind_id: CategoryId = "http://example.com/occi#vm".parse().unwrap();
        let mixin_id: CategoryId = "http://example.com/occi#extra".parse().unwrap();
        let kind_names: Vec<String> = (0..kind_attrs.len()).map(|i| format!("com.example.k{i}")).collect();
        let mixin_names: Vec<String> = (0..mixin_attrs.len()).map(|i| format!("com.example.m{i}")).collect();
        let mut kind = Kind::new(kind_id.clone()).with_parent(ids::COMPUTE.parse().unwrap());
        for (n, s) in kind_names.iter().zip(&kind_attrs) {
            kind = kind.with_attribute(definition(n, s));
        }
        model.register_kind(kind).unwrap();
        let mut mixin = Mixin::new(mixin_id.clone()).with_applies(kind_id.clone());
        for (n, s) in mixin_names.iter().zip(&mixin_attrs) {
            mixin = mixin.with_attribute(definition(n, s));
        }
        model.register_mixin(mixin).unwrap();
        model.verify().unwrap();

        let mut r = Resource::new(kind_id)
            .with_attribute("occi.compute.state".parse().unwrap(), "inactive");
        let mut planted_wrong = BTreeSet::new();
        let mut planted_missing = BTreeSet::new();
        let mut missing_with_default = BTreeSet::new();
        let active_mixin = if use_mixin { mixin_attrs.as_slice() } else { &[] };
        if use_mixin {
            r = r.with_mixin(mixin_id);
        }
        let all = kind_names.iter().zip(&kind_attrs).chain(mixin_names.iter().zip(active_mixin));
        for (n, s) in all {
            match s.given {
                1 => r = r.with_attribute(n.parse().unwrap(), valid_value(s.ty)),
                2 => {
                    r = r.with_attribute(n.parse().unwrap(), wrong_value(s.ty));
                    planted_wrong.insert(n.clone());
                }
                _ => {
                    if s.required {
                        planted_missing.insert(n.clone());
                        if s.with_default {
                            missing_with_default.insert(n.clone());
                        }
                    }
                }
            }
        }
        let mut entity: Entity = r.into();
        let options = ValidationOptions::default();
        let report = model.validate(&entity, Operation::Instance, &options);
        let found = |code: Code, report: &occi_model::Report| -> BTreeSet<String> {
            report
                .findings
                .iter()
                .filter(|f| f.code == code)
                .filter_map(|f| f.attribute.as_ref().map(|a| a.to_string()))
                .collect()
        };
        prop_assert_eq!(found(Code::TypeMismatch, &report), planted_wrong.clone());
        prop_assert_eq!(found(Code::MissingRequiredAttribute, &report), planted_missing.clone());
        prop_assert_eq!(report.is_valid(), planted_wrong.is_empty() && planted_missing.is_empty());
        prop_assert_eq!(report.findings.len(), planted_wrong.len() + planted_missing.len());

        model.apply_defaults(&mut entity);
        let after = model.validate(&entity, Operation::Instance, &options);
        let still_missing: BTreeSet<String> =
            planted_missing.difference(&missing_with_default).cloned().collect();
        prop_assert_eq!(found(Code::MissingRequiredAttribute, &after), still_missing);

        // An update that changes nothing is always free of immutability findings.
        let update = model.validate(&entity, Operation::Update { previous: &entity }, &options);
        prop_assert!(!update.has(Code::ImmutableAttributeChanged));
    }
}
