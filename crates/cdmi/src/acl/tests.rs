#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;
use proptest::prelude::*;
use serde_json::json;

fn ace(t: &str, who: &str, flags: &str, mask: &str) -> Json {
    json!({"acetype": t, "identifier": who, "aceflags": flags, "acemask": mask})
}

fn one(v: Json, mode: Mode) -> Result<Ace, Error> {
    Acl::from_json(&json!([v]), mode).map(|mut a| a.0.remove(0))
}

fn problem(e: &Error) -> (Option<usize>, AclProblem) {
    match e.kind() {
        ErrorKind::Acl { ace, problem } => (*ace, problem.clone()),
        k => panic!("not an ACL error: {k:?}"),
    }
}

#[test]
fn hex_and_symbolic_forms_read_to_the_same_bits() {
    let hex = one(ace("0x00", "EVERYONE@", "0x03", "0x00020089"), Mode::Strict).unwrap();
    let sym = one(
        ace(
            "ALLOW",
            "EVERYONE@",
            "OBJECT_INHERIT, CONTAINER_INHERIT",
            "READ_OBJECT, READ_METADATA, READ_ATTRIBUTES, READ_ACL",
        ),
        Mode::Strict,
    )
    .unwrap();
    assert_eq!(hex, sym);
    assert_eq!(hex.ace_type, AceType::Allow);
    assert_eq!(hex.flags, AceFlags(0x03));
    assert_eq!(hex.mask, Mask(0x0002_0089));
}

#[test]
fn both_separators_mixed_names_and_numbers_and_every_constant_spelling() {
    let a = one(
        ace(
            "CDMI_ACE_ACCESS_DENIED_TYPE",
            "bob",
            "CDMI_ACE_OBJECT_INHERIT_ACE|CDMI_ACE_FLAGS_CONTAINER_INHERIT_ACE | 0x40",
            "CDMI_ACE_READ_OBJECT | WRITE_OBJECT, 0x00010000",
        ),
        Mode::Strict,
    )
    .unwrap();
    assert_eq!(a.ace_type, AceType::Deny);
    assert_eq!(a.flags, AceFlags(0x43));
    assert_eq!(a.mask, Mask(0x0001_0003));
    assert_eq!(
        one(
            ace("CDMI_ACE_SYSTEM_AUDIT", "x", "NO_FLAGS", "ALL_PERMS"),
            Mode::Strict
        )
        .unwrap()
        .ace_type,
        AceType::Audit
    );
}

#[test]
fn table_values_win_over_the_grammar() {
    // EXECUTE: 0x20 in the table, 0x80000 in the grammar.
    let m = |s: &str| one(ace("ALLOW", "x", "0x0", s), Mode::Strict).unwrap().mask;
    assert_eq!(m("CDMI_ACE_EXECUTE"), Mask::EXECUTE);
    assert_eq!(m("EXECUTE"), Mask(0x20));
    // SET_RETENTION exists only in the grammar (0x10000000): the table's WRITE_RETENTION.
    assert_eq!(m("CDMI_ACE_SET_RETENTION"), Mask::WRITE_RETENTION);
    // RW_ALL: the table's 0x0006006F, not the worked example's 0x000601DF.
    assert_eq!(m("RW_ALL"), Mask(0x0006_006F));
    assert_eq!(m("ALL_PERMS"), Mask(0x001F_07FF));
    // The worked example 2: 0x001F07FF is ALL_PERMS.
    assert_eq!(Mask(0x001F_07FF).to_symbolic(Kind::Object), "ALL_PERMS");
    // The worked example 1 with its correct result.
    assert_eq!(m("READ_ALL | 0x02"), Mask(0x0B));
}

#[test]
fn decomposition_is_greatest_first_with_object_or_container_names() {
    assert_eq!(
        Mask(0x0002_0089).to_symbolic(Kind::Object),
        "READ_ACL, READ_ATTRIBUTES, READ_METADATA, READ_OBJECT"
    );
    assert_eq!(Mask(0x1F).to_symbolic(Kind::Object), "RW");
    assert_eq!(
        Mask(0x0000_0067).to_symbolic(Kind::Container),
        "DELETE_SUBCONTAINER, TRAVERSE_CONTAINER, ADD_SUBCONTAINER, ADD_OBJECT, LIST_CONTAINER"
    );
    assert_eq!(
        Mask(0x000E_006F).to_symbolic(Kind::Object),
        "WRITE_OWNER, RW_ALL"
    );
    // Bits no name covers: kept, written last in hexadecimal.
    assert_eq!(
        Mask(0x1000_0001).to_symbolic(Kind::Object),
        "READ_OBJECT, 0x10000000"
    );
    assert_eq!(Mask(0).to_symbolic(Kind::Object), "0x00000000");
    assert_eq!(AceFlags(0).to_symbolic(), "NO_FLAGS");
    assert_eq!(
        AceFlags(0x83).to_symbolic(),
        "INHERITED, CONTAINER_INHERIT, OBJECT_INHERIT"
    );
}

#[test]
fn json_rendering_in_both_forms_round_trips() {
    let acl = Acl(vec![
        Ace::new(AceType::Deny, "mallory", AceFlags::NONE, Mask::WRITE_ACL),
        Ace::new(
            AceType::Allow,
            "staff",
            AceFlags::IDENTIFIER_GROUP | AceFlags::CONTAINER_INHERIT,
            Mask(0x0002_0089 | 0x4000_0000),
        ),
    ]);
    for form in [Form::Hex, Form::Symbolic] {
        for kind in [Kind::Object, Kind::Container] {
            let j = acl.to_json(form, kind);
            assert_eq!(
                Acl::from_json(&j, Mode::Strict).unwrap(),
                acl,
                "{form:?} {kind:?}: {j}"
            );
        }
    }
    let hex = acl.to_json(Form::Hex, Kind::Object);
    assert_eq!(
        hex[1],
        json!({"acetype": "0x00", "identifier": "staff", "aceflags": "0x42", "acemask": "0x40020089"})
    );
    let sym = acl.to_json(Form::Symbolic, Kind::Container);
    assert_eq!(sym[0]["acetype"], "DENY");
    assert_eq!(sym[1]["aceflags"], "IDENTIFIER_GROUP, CONTAINER_INHERIT");
}

#[test]
fn unknown_members_and_expiration_are_kept() {
    let v = json!({"acetype": "ALLOW", "identifier": "x", "aceflags": "0x0", "acemask": "0x1",
                   "expiration": "2030-01-01T00:00:00.000000Z", "acetime": "0x5", "vendor": [1, 2]});
    let a = one(v.clone(), Mode::Strict).unwrap();
    assert_eq!(
        a.expiration.unwrap().to_string(),
        "2030-01-01T00:00:00.000000Z"
    );
    assert_eq!(a.other.len(), 2);
    let back = a.to_json(Form::Hex, Kind::Object);
    assert_eq!(back["acetime"], "0x5");
    assert_eq!(back["vendor"], json!([1, 2]));
    assert_eq!(back["expiration"], v["expiration"]);
}

#[test]
fn bad_aces_are_refused_with_the_ace_and_the_offset() {
    let cases: Vec<(Json, AclProblem)> = vec![
        (json!({"a": 1}), AclProblem::NotArray),
        (json!([1]), AclProblem::NotObject),
        (
            json!([{"acetype": "ALLOW", "identifier": "x", "aceflags": "0x0"}]),
            AclProblem::Missing("acemask"),
        ),
        (
            json!([ace("ALLOW", "x", "0x0", "0x1"), {"acetype": 0, "identifier": "x", "aceflags": "0x0", "acemask": "0x1"}]),
            AclProblem::WrongType("acetype"),
        ),
        (
            json!([ace("ALLOW", "x", "0x0", "READ_OBJECT,, WRITE_OBJECT")]),
            AclProblem::EmptyItem {
                field: "acemask",
                offset: 12,
            },
        ),
        (
            json!([ace("ALLOW", "x", "0x0", "READ_OBJECT | FLY")]),
            AclProblem::UnknownName {
                field: "acemask",
                offset: 14,
                name: "FLY".into(),
            },
        ),
        (
            json!([ace("ALLOW", "x", "0x0", "0x123456789")]),
            AclProblem::BadHex {
                field: "acemask",
                offset: 0,
            },
        ),
        (
            json!([ace("ALLOW", "x", "0x0", "17")]),
            AclProblem::BadHex {
                field: "acemask",
                offset: 0,
            },
        ),
        (
            json!([ace("ALLOW", "x", "0x", "0x1")]),
            AclProblem::BadHex {
                field: "aceflags",
                offset: 0,
            },
        ),
        (
            json!([ace("ALLOW, DENY", "x", "0x0", "0x1")]),
            AclProblem::TypeList,
        ),
        (
            json!([ace("0x03", "x", "0x0", "0x1")]),
            AclProblem::UnknownType(3),
        ),
        (
            json!([ace("ALLOW", "x", "0x0", "")]),
            AclProblem::EmptyItem {
                field: "acemask",
                offset: 0,
            },
        ),
        // The mask names are not flag names, nor the reverse.
        (
            json!([ace("ALLOW", "x", "READ_OBJECT", "0x1")]),
            AclProblem::UnknownName {
                field: "aceflags",
                offset: 0,
                name: "READ_OBJECT".into(),
            },
        ),
        // Strict names are case-sensitive.
        (
            json!([ace("allow", "x", "0x0", "0x1")]),
            AclProblem::UnknownName {
                field: "acetype",
                offset: 0,
                name: "allow".into(),
            },
        ),
    ];
    for (v, want) in cases {
        let e = Acl::from_json(&v, Mode::Strict).unwrap_err();
        let (index, got) = problem(&e);
        assert_eq!(got, want, "{v}");
        if !matches!(want, AclProblem::NotArray) {
            assert!(index.is_some(), "{v}");
        }
        assert!(!e.to_string().is_empty());
    }
    let e = Acl::from_json(&json!([ace("ALLOW", "x", "0x0", "0x1"), 7]), Mode::Strict).unwrap_err();
    assert_eq!(problem(&e), (Some(1), AclProblem::NotObject));
    let e = one(
        json!({"acetype": "ALLOW", "identifier": "x", "aceflags": "0x0", "acemask": "0x1", "expiration": "2030-01-01"}),
        Mode::Strict,
    )
    .unwrap_err();
    assert!(matches!(problem(&e).1, AclProblem::Expiration(_)));
}

#[test]
fn lenient_reads_case_numbers_quotes_and_unknown_types() {
    let a = one(
        json!({"acetype": 1, "identifier": "x", "aceflags": "object_inherit", "acemask": "\"READ_ALL\" | 0X02"}),
        Mode::Lenient,
    )
    .unwrap();
    assert_eq!(a.ace_type, AceType::Deny);
    assert_eq!(a.flags, AceFlags::OBJECT_INHERIT);
    assert_eq!(a.mask, Mask(0x0B));
    let a = one(
        ace("0x03", "x", "0x0", "cdmi_ace_read_object"),
        Mode::Lenient,
    )
    .unwrap();
    assert_eq!(a.ace_type, AceType::Other(3));
    assert_eq!(a.mask, Mask::READ_OBJECT);
    // Still refused leniently: numbers beyond 32 bits, a numeric identifier.
    assert!(
        one(
            json!({"acetype": 0, "identifier": "x", "aceflags": 0, "acemask": 4_294_967_296_u64}),
            Mode::Lenient
        )
        .is_err()
    );
    assert!(
        one(
            json!({"acetype": 0, "identifier": 7, "aceflags": 0, "acemask": 1}),
            Mode::Lenient
        )
        .is_err()
    );
}

#[test]
fn the_ace_limit_is_configurable() {
    let v = Json::Array(vec![ace("ALLOW", "x", "0x0", "0x1"); 3]);
    assert_eq!(
        Acl::from_json_with_limit(&v, Mode::Strict, 3)
            .unwrap()
            .0
            .len(),
        3
    );
    let e = Acl::from_json_with_limit(&v, Mode::Strict, 2).unwrap_err();
    assert_eq!(problem(&e), (None, AclProblem::TooManyAces(2)));
}

#[test]
fn the_default_acls_are_the_clauses() {
    let root = Acl::default_root().to_json(Form::Symbolic, Kind::Container);
    assert_eq!(
        root,
        json!([
            {"acetype": "ALLOW", "identifier": "OWNER@", "aceflags": "CONTAINER_INHERIT, OBJECT_INHERIT", "acemask": "ALL_PERMS"},
            {"acetype": "ALLOW", "identifier": "AUTHENTICATED@", "aceflags": "CONTAINER_INHERIT, OBJECT_INHERIT", "acemask": "READ_ACL, READ_ATTRIBUTES, READ_METADATA, LIST_CONTAINER"},
        ])
    );
    // The clause's own spelling of the default ACL reads to the same ACL.
    let spec = json!([
        {"acetype": "ALLOW", "identifier": "OWNER@", "aceflags": "OBJECT_INHERIT, CONTAINER_INHERIT", "acemask": "ALL_PERMS"},
        {"acetype": "ALLOW", "identifier": "AUTHENTICATED@", "aceflags": "OBJECT_INHERIT, CONTAINER_INHERIT", "acemask": "READ"},
    ]);
    assert_eq!(
        Acl::from_json(&spec, Mode::Strict).unwrap(),
        Acl::default_root()
    );
    assert_eq!(Acl::default_object().0.len(), 1);
}

#[test]
fn inheritance_follows_the_flags_and_reaches_grandchildren() {
    let oi = AceFlags::OBJECT_INHERIT;
    let ci = AceFlags::CONTAINER_INHERIT;
    let parent = Acl(vec![
        Ace::new(AceType::Allow, "a", oi | ci, Mask::RW),
        Ace::new(AceType::Allow, "b", oi, Mask::READ_OBJECT),
        Ace::new(AceType::Allow, "c", ci, Mask::LIST_CONTAINER),
        Ace::new(
            AceType::Allow,
            "d",
            oi | ci | AceFlags::NO_PROPAGATE,
            Mask::DELETE,
        ),
        Ace::new(AceType::Allow, "e", AceFlags::NONE, Mask::DELETE),
    ]);
    let object = parent.inherited(Kind::Object);
    let names: Vec<_> = object
        .0
        .iter()
        .map(|a| (a.identifier.as_str(), a.flags))
        .collect();
    assert_eq!(
        names,
        [("a", AceFlags::INHERITED), ("b", AceFlags::INHERITED)]
    );
    let child = parent.inherited(Kind::Container);
    let names: Vec<_> = child
        .0
        .iter()
        .map(|a| (a.identifier.as_str(), a.flags))
        .collect();
    let inh = AceFlags::INHERITED;
    assert_eq!(
        names,
        [
            ("a", oi | ci | inh),
            ("b", oi | AceFlags::INHERIT_ONLY | inh),
            ("c", ci | inh)
        ]
    );
    // An object two levels down still gets a's and b's ACEs.
    let grand = child.inherited(Kind::Container).inherited(Kind::Object);
    let names: Vec<_> = grand.0.iter().map(|a| a.identifier.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    // b is inherit-only on the container: it does not count there.
    let e = Evaluator::default();
    let b = Requester {
        name: "b",
        ..Requester::default()
    };
    assert_eq!(
        e.evaluate(Some(&child), &b, &Target::default(), Mask::READ_OBJECT),
        Decision::NotAllowed
    );
    assert_eq!(
        e.evaluate(Some(&grand), &b, &Target::default(), Mask::READ_OBJECT),
        Decision::Allowed(1)
    );
}

#[test]
fn evaluation_follows_the_clause() {
    let none = AceFlags::NONE;
    let acl = Acl(vec![
        Ace::new(AceType::Audit, "EVERYONE@", none, Mask::ALL_PERMS),
        Ace::new(AceType::Deny, "mallory", none, Mask::WRITE_OBJECT),
        Ace::new(AceType::Allow, "OWNER@", none, Mask::ALL_PERMS),
        Ace::new(
            AceType::Allow,
            "staff",
            AceFlags::IDENTIFIER_GROUP,
            Mask::READ_OBJECT,
        ),
        Ace::new(AceType::Allow, "staff", none, Mask::WRITE_OBJECT),
        Ace::new(AceType::Allow, "AUTHENTICATED@", none, Mask::READ_METADATA),
        Ace::new(AceType::Allow, "ANONYMOUS@", none, Mask::READ_ATTRIBUTES),
        Ace::new(AceType::Allow, "GROUP@", none, Mask::DELETE),
        Ace::new(AceType::Allow, "ADMINISTRATOR@", none, Mask::WRITE_ACL),
        Ace::new(AceType::Allow, "ADMINUSERS@", none, Mask::WRITE_OWNER),
    ]);
    let on = Target {
        owner: Some("olga"),
        group: Some("ops"),
        root_container: false,
    };
    let e = Evaluator::default();
    let groups = ["staff", "ops"];
    let user = |name| Requester {
        name,
        groups: &groups,
        authenticated: true,
        ..Requester::default()
    };
    let ev = |who: &Requester<'_>, m| e.evaluate(Some(&acl), who, &on, m);
    assert_eq!(ev(&user("olga"), Mask::ALL_PERMS), Decision::Allowed(2));
    assert_eq!(
        ev(&user("mallory"), Mask::WRITE_OBJECT | Mask::READ_OBJECT),
        Decision::Denied(1)
    );
    // The group ACE needs IDENTIFIER_GROUP: a user named "staff" is another principal.
    assert_eq!(ev(&user("sam"), Mask::READ_OBJECT), Decision::Allowed(3));
    assert_eq!(ev(&user("sam"), Mask::WRITE_OBJECT), Decision::NotAllowed);
    // Allowed bits accumulate over ACEs.
    assert_eq!(
        ev(&user("sam"), Mask::READ_OBJECT | Mask::READ_METADATA),
        Decision::Allowed(5)
    );
    assert_eq!(ev(&user("sam"), Mask::DELETE), Decision::Allowed(7));
    let anon = Requester::default();
    assert_eq!(ev(&anon, Mask::READ_ATTRIBUTES), Decision::Allowed(6));
    assert_eq!(ev(&anon, Mask::READ_METADATA), Decision::NotAllowed);
    let admin = Requester {
        administrator: true,
        admin_user: true,
        ..user("root")
    };
    assert_eq!(
        ev(&admin, Mask::WRITE_ACL | Mask::WRITE_OWNER),
        Decision::Allowed(9)
    );
    // No ACL: denied.
    assert_eq!(
        e.evaluate(None, &admin, &on, Mask::READ_OBJECT),
        Decision::NoAcl
    );
    // A root container lets its owner and administrators in when no ACE decides.
    let root = Target {
        root_container: true,
        ..on
    };
    let empty = Acl::default();
    assert_eq!(
        e.evaluate(Some(&empty), &user("olga"), &root, Mask::READ_OBJECT),
        Decision::RootFallback
    );
    assert_eq!(
        e.evaluate(Some(&empty), &admin, &root, Mask::READ_OBJECT),
        Decision::RootFallback
    );
    assert_eq!(
        e.evaluate(Some(&empty), &user("sam"), &root, Mask::READ_OBJECT),
        Decision::NotAllowed
    );
    // But not on other objects.
    assert_eq!(
        e.evaluate(Some(&empty), &admin, &on, Mask::READ_OBJECT),
        Decision::NotAllowed
    );
    assert!(Decision::RootFallback.is_allowed() && !Decision::Denied(0).is_allowed());
}

#[test]
fn deny_rules_differ_only_on_bits_already_allowed() {
    let none = AceFlags::NONE;
    let acl = Acl(vec![
        Ace::new(AceType::Allow, "u", none, Mask::READ_OBJECT),
        Ace::new(AceType::Deny, "u", none, Mask::READ_OBJECT),
        Ace::new(AceType::Allow, "u", none, Mask::WRITE_OBJECT),
    ]);
    let u = Requester {
        name: "u",
        ..Requester::default()
    };
    let want = Mask::READ_OBJECT | Mask::WRITE_OBJECT;
    let cdmi = Evaluator::default();
    let nfs = Evaluator {
        deny: DenyRule::NotYetAllowed,
        ..Evaluator::default()
    };
    assert_eq!(
        cdmi.evaluate(Some(&acl), &u, &Target::default(), want),
        Decision::Denied(1)
    );
    assert_eq!(
        nfs.evaluate(Some(&acl), &u, &Target::default(), want),
        Decision::Allowed(2)
    );
}

#[test]
fn expired_aces_are_skipped_when_a_clock_is_given() {
    let mut a = Ace::new(
        AceType::Allow,
        "EVERYONE@",
        AceFlags::NONE,
        Mask::READ_OBJECT,
    );
    a.expiration = Some("2020-01-01T00:00:00.000000Z".parse().unwrap());
    let acl = Acl(vec![a]);
    let now: Time = "2026-12-07T00:00:00.000000Z".parse().unwrap();
    let before: Time = "2019-12-31T00:00:00.000000Z".parse().unwrap();
    let who = Requester::default();
    let t = Target::default();
    let at = |now| Evaluator {
        now,
        ..Evaluator::default()
    };
    assert_eq!(
        at(Some(now)).evaluate(Some(&acl), &who, &t, Mask::READ_OBJECT),
        Decision::NotAllowed
    );
    assert_eq!(
        at(Some(before)).evaluate(Some(&acl), &who, &t, Mask::READ_OBJECT),
        Decision::Allowed(0)
    );
    assert_eq!(
        at(None).evaluate(Some(&acl), &who, &t, Mask::READ_OBJECT),
        Decision::Allowed(0)
    );
}

#[test]
fn who_recognises_the_special_identifiers_only_exactly() {
    assert_eq!(Who::of("OWNER@"), Who::Owner);
    assert_eq!(Who::of("ADMINUSERS@"), Who::AdminUsers);
    assert_eq!(Who::of("owner@"), Who::Named("owner@"));
    assert_eq!(
        Who::of("alice@example.org"),
        Who::Named("alice@example.org")
    );
}

proptest! {
    #[test]
    fn symbolic_masks_read_back_to_their_bits(bits in any::<u32>(), container in any::<bool>()) {
        let kind = if container { Kind::Container } else { Kind::Object };
        let text = Mask(bits).to_symbolic(kind);
        let v = json!([ace("ALLOW", "x", "NO_FLAGS", &text)]);
        let acl = Acl::from_json(&v, Mode::Strict).unwrap();
        prop_assert_eq!(acl.0[0].mask, Mask(bits));
        // Canonical: every name appears once, and re-rendering changes nothing.
        prop_assert_eq!(acl.0[0].mask.to_symbolic(kind), text);
    }

    #[test]
    fn flags_read_back_to_their_bits(bits in any::<u32>()) {
        let text = AceFlags(bits).to_symbolic();
        let v = json!([ace("ALLOW", "x", &text, "0x1")]);
        prop_assert_eq!(Acl::from_json(&v, Mode::Strict).unwrap().0[0].flags, AceFlags(bits));
    }

    #[test]
    fn any_text_in_any_member_is_read_or_refused_without_panic(
        t in ".{0,24}", f in "[A-Z_ ,|0-9x]{0,40}", m in "[A-Za-z_ ,|0-9x\"]{0,40}", lenient in any::<bool>()
    ) {
        let mode = if lenient { Mode::Lenient } else { Mode::Strict };
        let v = json!([ace(&t, "x", &f, &m)]);
        if let Ok(acl) = Acl::from_json(&v, mode) {
            let back = acl.to_json(Form::Symbolic, Kind::Object);
            prop_assert_eq!(Acl::from_json(&back, mode).unwrap(), acl);
        }
    }
}
