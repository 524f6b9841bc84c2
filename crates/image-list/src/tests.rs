use super::*;
use fedcloud_core::UtcTime;
use proptest::prelude::*;
use serde_json::{Value, json};

fn image(id: &str) -> Value {
    json!({"hv:image": {
        "dc:identifier": id, "dc:title": "t", "dc:description": "d",
        "hv:size": 1024, "sl:checksum:sha512": "ab".repeat(64), "sl:arch": "x86_64",
        "hv:uri": "https://example.org/i.qcow2", "sl:os": "Linux", "sl:osversion": "9",
        "sl:comments": "", "hv:hypervisor": "KVM", "hv:version": "1",
        "ad:mpuri": "https://appdb.egi.eu/store/vo/image/x:1/"
    }})
}

fn list(images: Vec<Value>) -> Value {
    json!({"hv:imagelist": {
        "dc:date:created": "2026-12-01T00:00:00Z", "dc:date:expires": "2027-01-01T00:00:00Z",
        "dc:identifier": "76fdee70-8119-5d33-aaaa-3c57e1c60df1", "dc:title": "t",
        "dc:description": "d", "dc:source": "s", "hv:version": "1.0.10", "hv:uri": "u",
        "ad:vo": "vo.example.org",
        "hv:endorser": {"hv:x509": {"dc:creator": "c", "hv:ca": "/CN=CA", "hv:dn": "/CN=me",
                                    "hv:email": "me@example.org"}},
        "hv:images": images
    }})
}

fn text(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

fn codes(p: &[Problem]) -> Vec<(&'static str, Severity)> {
    p.iter().map(|p| (p.code.as_str(), p.severity)).collect()
}

#[test]
fn a_list_reads_with_its_extensions() {
    let id = "c0482bc2-bf41-5d49-aaaa-a750174a186b";
    let parsed = parse(
        text(&list(vec![image(id)])).as_bytes(),
        &Options::new(Profile::Strict),
    )
    .unwrap();
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let l = &parsed.list;
    assert_eq!(l.vo(), Some("vo.example.org"));
    assert_eq!(l.images[0].identifier, id);
    assert_eq!(l.images[0].size, Count::new(1024));
    assert_eq!(
        l.images[0].mpuri(),
        Some("https://appdb.egi.eu/store/vo/image/x:1/")
    );
    assert_eq!(l.images[0].sha512_bytes().unwrap()[0], 0xAB);
    let now: UtcTime = "2026-12-07T00:00:00Z".parse().unwrap();
    assert_eq!(l.check_validity(now), Ok(()));
    assert_eq!(
        l.check_validity("2026-11-30T23:59:59Z".parse().unwrap()),
        Err(33)
    );
    assert_eq!(
        l.check_validity("2027-01-01T00:00:01Z".parse().unwrap()),
        Err(34)
    );
}

#[test]
fn every_problem_is_reported_with_its_pointer_and_position() {
    let mut v = list(vec![image("a"), image("b")]);
    let l = v.get_mut("hv:imagelist").unwrap();
    l.as_object_mut().unwrap().remove("dc:title");
    l["dc:date:created"] = json!("2026-12-01 00:00:00");
    let images = l["hv:images"].as_array_mut().unwrap();
    images[0]["hv:image"]["hv:size"] = json!(-1);
    images[1]["hv:image"]
        .as_object_mut()
        .unwrap()
        .remove("sl:arch");
    images[1]["hv:image"]["sl:checksum:sha512"] = json!("xyz");
    let body = text(&v);
    let err = parse(body.as_bytes(), &Options::default()).unwrap_err();
    let errors: Vec<_> = err
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| (p.code.as_str(), p.pointer.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            ("missing-key", "/hv:imagelist"),
            ("bad-timestamp", "/hv:imagelist/dc:date:created"),
            ("bad-number", "/hv:imagelist/hv:images/0/hv:image/hv:size"),
            ("missing-key", "/hv:imagelist/hv:images/1/hv:image"),
            (
                "bad-checksum",
                "/hv:imagelist/hv:images/1/hv:image/sl:checksum:sha512"
            ),
        ],
        "{err:?}"
    );
    // Positions point at the values in the text.
    let size = &err
        .problems
        .iter()
        .find(|p| p.code == Code::BadNumber)
        .unwrap();
    assert!(body[size.position.offset..].starts_with("-1"));
    let line = body.lines().nth(size.position.line - 1).unwrap();
    assert!(line.contains("\"hv:size\": -1"), "{line}");
    assert_eq!(err.vmcatcher_code(), 38);
    assert!(err.to_string().contains("missing-key"), "{err}");
}

#[test]
fn profiles_decide_what_real_producers_emit() {
    let mut v = list(vec![image("c0482bc2-bf41-5d49-aaaa-a750174a186b")]);
    let l = v.get_mut("hv:imagelist").unwrap();
    l["hv:images"][0]["hv:image"]["hv:size"] = json!("121243136");
    let endorser = l["hv:endorser"].clone();
    l["hv:endorser"] = json!([endorser]);
    let body = text(&v);
    let strict = parse(body.as_bytes(), &Options::new(Profile::Strict)).unwrap_err();
    assert_eq!(
        codes(&strict.problems),
        [
            ("endorser-array", Severity::Error),
            ("number-as-string", Severity::Error)
        ]
    );
    let ok = parse(body.as_bytes(), &Options::default()).unwrap();
    assert_eq!(
        codes(&ok.warnings),
        [
            ("endorser-array", Severity::Warning),
            ("number-as-string", Severity::Warning)
        ]
    );
    assert_eq!(ok.list.images[0].size.value, 121_243_136);
    let mut two = v.clone();
    two["hv:imagelist"]["hv:images"][0]["hv:image"]["hv:ram_minimum"] = json!("512");
    two["hv:imagelist"]["hv:images"][0]["hv:image"]["hv:core_minimum"] = json!("2");
    let three = parse(text(&two).as_bytes(), &Options::default()).unwrap();
    let once: Vec<_> = three
        .warnings
        .iter()
        .filter(|w| w.code == Code::NumberAsString)
        .collect();
    assert_eq!(once.len(), 1);
    assert!(
        once[0]
            .message
            .ends_with("and so 2 more counts of the list"),
        "{}",
        once[0]
    );
    assert!(once[0].pointer.ends_with("/hv:size"));
    assert!(ok.list.form.endorser_array);
    // Written back as read.
    let again = parse(ok.list.to_json().as_bytes(), &Options::default()).unwrap();
    assert_eq!(again.list, ok.list);
    assert!(ok.list.to_json().contains("\"hv:size\": \"121243136\""));

    // Timestamps with an offset: only the tolerant profile reads them.
    let mut v = list(vec![]);
    v["hv:imagelist"]["dc:date:expires"] = json!("2027-01-01T01:00:00.5+01:00");
    let body = text(&v);
    let err = parse(body.as_bytes(), &Options::default()).unwrap_err();
    assert_eq!(codes(&err.problems), [("bad-timestamp", Severity::Error)]);
    let ok = parse(body.as_bytes(), &Options::new(Profile::Tolerant)).unwrap();
    assert_eq!(
        codes(&ok.warnings),
        [("timestamp-not-zulu", Severity::Warning)]
    );
    assert_eq!(ok.list.expires, "2027-01-01T00:00:00Z".parse().unwrap());

    // The legacy form without the wrapper.
    let inner = list(vec![])["hv:imagelist"].clone();
    let body = text(&inner);
    let ok = parse(body.as_bytes(), &Options::default()).unwrap();
    assert_eq!(
        codes(&ok.warnings),
        [("legacy-unwrapped", Severity::Warning)]
    );
    assert!(ok.list.form.unwrapped);
    let err = parse(body.as_bytes(), &Options::new(Profile::Strict)).unwrap_err();
    assert_eq!(err.first().unwrap().code, Code::LegacyUnwrapped);
}

#[test]
fn documents_that_are_no_list() {
    let cases: [(&[u8], Code, u8); 6] = [
        (b"{\"hv:imagelist\": ", Code::NotJson, 37),
        (b"\xff{}", Code::NotJson, 37),
        (b"[1]", Code::NotAnImageList, 38),
        (b"{\"images\": []}", Code::NotAnImageList, 38),
        (b"{\"hv:imagelist\": []}", Code::NotAnImageList, 38),
        (
            b"{\"hv:imagelist\": {}, \"x\": 1}",
            Code::NotAnImageList,
            38,
        ),
    ];
    for (body, code, vmcatcher) in cases {
        let err = parse(body, &Options::default()).unwrap_err();
        assert_eq!(err.first().unwrap().code, code, "{body:?}");
        assert_eq!(err.vmcatcher_code(), vmcatcher);
    }
    let err = parse(b"{\n  \"hv:imagelist\": {,}}", &Options::default()).unwrap_err();
    let p = err.first().unwrap();
    assert_eq!((p.position.line, p.position.column), (2, 20), "{p}");
}

#[test]
fn two_images_of_one_identifier_and_version_are_refused() {
    let body = text(&list(vec![image("a"), image("a")]));
    let err = parse(body.as_bytes(), &Options::default()).unwrap_err();
    let dup = err.first().unwrap();
    assert_eq!(dup.code, Code::DuplicateImage);
    assert_eq!(
        dup.pointer,
        "/hv:imagelist/hv:images/1/hv:image/dc:identifier"
    );
    let mut other = image("a");
    other["hv:image"]["hv:version"] = json!("2");
    let body = text(&list(vec![image("a"), other]));
    assert!(parse(body.as_bytes(), &Options::default()).is_ok());
}

#[test]
fn each_limit_is_enforced() {
    let body = text(&list(vec![image("a"), image("b")]));
    let ok = Limits::default();
    let opts = |l: Limits| Options::default().with_limits(l);
    assert!(parse(body.as_bytes(), &opts(ok)).is_ok());
    for (limits, what) in [
        (ok.with_max_bytes(100), "bytes"),
        (ok.with_max_images(1), "images"),
        (ok.with_max_depth(4), "nesting"),
    ] {
        let err = parse(body.as_bytes(), &opts(limits)).unwrap_err();
        assert_eq!(err.first().unwrap().code, Code::LimitExceeded, "{what}");
    }
    assert!(parse(body.as_bytes(), &opts(ok.with_max_depth(5))).is_ok());
    // Brackets inside strings are no nesting.
    let mut v = list(vec![]);
    v["hv:imagelist"]["dc:title"] = json!("[[[[[[[[[[");
    assert!(parse(text(&v).as_bytes(), &opts(ok.with_max_depth(5))).is_ok());
}

fn arb_count() -> impl Strategy<Value = Count> {
    (any::<u64>(), any::<bool>()).prop_map(|(value, as_string)| Count { value, as_string })
}

fn arb_time() -> impl Strategy<Value = UtcTime> {
    (0i64..253_402_300_799).prop_map(|s| UtcTime::from_epoch_seconds(s).unwrap())
}

fn arb_image() -> impl Strategy<Value = Image> {
    (
        "[a-z0-9-]{1,12}",
        "\\PC{0,12}",
        arb_count(),
        "[0-9a-f]{128}",
        proptest::option::of(arb_count()),
        proptest::option::of(arb_time()),
        proptest::option::of("[A-Za-z0-9.]{1,6}"),
        proptest::option::of("\\PC{0,8}"),
    )
        .prop_map(
            |(identifier, title, size, sha512, ram, expires, format, group)| {
                let mut extra = serde_json::Map::new();
                if let Some(g) = group {
                    extra.insert("ad:group".into(), Value::String(g));
                }
                Image {
                    identifier,
                    title,
                    description: "d".into(),
                    size,
                    sha512,
                    arch: "x86_64".into(),
                    uri: "https://example.org/i".into(),
                    os: "Linux".into(),
                    os_version: "9".into(),
                    comments: String::new(),
                    hypervisor: "KVM".into(),
                    version: "1".into(),
                    format,
                    core_minimum: None,
                    ram_minimum: ram,
                    expires,
                    extra,
                }
            },
        )
}

proptest! {
    #[test]
    fn written_lists_read_back_equal(
        images in proptest::collection::vec(arb_image(), 0..5),
        created in arb_time(),
        expires in arb_time(),
        version in "[0-9.]{1,8}",
        endorsers in 1usize..3,
        array in any::<bool>(),
    ) {
        let mut seen = std::collections::HashSet::new();
        let images: Vec<Image> = images.into_iter().filter(|i| seen.insert(i.identifier.clone())).collect();
        let list = ImageList {
            created,
            expires,
            identifier: "76fdee70-8119-5d33-aaaa-3c57e1c60df1".into(),
            title: "t".into(),
            description: "d".into(),
            source: "s".into(),
            version,
            uri: "u".into(),
            endorsers: (0..endorsers).map(|i| Endorser::new("c", "/CN=CA", &format!("/CN=e{i}"), "e@x")).collect(),
            images,
            extra: serde_json::Map::new(),
            form: Form { unwrapped: false, endorser_array: array || endorsers > 1 },
        };
        let text = list.to_json();
        let back = parse(text.as_bytes(), &Options::new(Profile::Tolerant));
        prop_assert!(back.is_ok(), "{:?}\n{}", back.err(), text);
        prop_assert_eq!(back.unwrap().list, list);
    }
}

fn read(v: &Value) -> (String, ImageList) {
    let t = text(v);
    let list = parse(t.as_bytes(), &Options::default()).unwrap().list;
    (t, list)
}

#[test]
fn updates_are_decided_as_vmcatcher_decides_them() {
    let now: UtcTime = "2026-12-07T00:00:00Z".parse().unwrap();
    let policy = Policy::new(now);
    let ids = [
        "c0482bc2-bf41-5d49-aaaa-a750174a1801",
        "c0482bc2-bf41-5d49-aaaa-a750174a1802",
    ];
    let (t1, first) = read(&list(vec![image(ids[0]), image(ids[1])]));
    // A first subscription takes every image.
    let v = update(t1.as_bytes(), &first, &Subscription::default(), &policy);
    let new = |i: &str| Event::New {
        identifier: i.into(),
    };
    assert_eq!(
        v,
        Verdict::Accepted {
            events: vec![new(ids[0]), new(ids[1])],
            same_version: false
        }
    );
    let held = Subscription {
        previous: Some((&first, t1.as_bytes())),
        others: &[],
    };
    assert_eq!(
        update(t1.as_bytes(), &first, &held, &policy),
        Verdict::Identical
    );

    // The next version: one image's checksum, the other's title; a third image is new.
    let mut next = list(vec![
        image(ids[0]),
        image(ids[1]),
        image("c0482bc2-bf41-5d49-aaaa-a750174a1803"),
    ]);
    next["hv:imagelist"]["hv:version"] = json!("1.0.11");
    next["hv:imagelist"]["hv:images"][0]["hv:image"]["sl:checksum:sha512"] = json!("cd".repeat(64));
    next["hv:imagelist"]["hv:images"][1]["hv:image"]["dc:title"] = json!("renamed");
    let (t2, second) = read(&next);
    let Verdict::Accepted {
        events,
        same_version,
    } = update(t2.as_bytes(), &second, &held, &policy)
    else {
        panic!("refused")
    };
    assert!(!same_version);
    assert_eq!(
        events,
        [
            Event::PayloadChanged {
                identifier: ids[0].into()
            },
            Event::MetadataChanged {
                identifier: ids[1].into()
            },
            Event::NotAccepted {
                identifier: "c0482bc2-bf41-5d49-aaaa-a750174a1803".into()
            },
        ]
    );
    let open = Policy {
        accept_new_images: true,
        ..policy
    };
    let Verdict::Accepted { events, .. } = update(t2.as_bytes(), &second, &held, &open) else {
        panic!("refused")
    };
    assert_eq!(events[2], new("c0482bc2-bf41-5d49-aaaa-a750174a1803"));

    // An image removed, one expired by its own date, one owned by another list.
    let mut next = list(vec![
        image(ids[0]),
        image("c0482bc2-bf41-5d49-aaaa-a750174a1809"),
    ]);
    next["hv:imagelist"]["hv:images"][0]["hv:image"]["dc:date:expires"] =
        json!("2026-01-01T00:00:00Z");
    let (t3, third) = read(&next);
    let mut other = list(vec![image("c0482bc2-bf41-5d49-aaaa-a750174a1809")]);
    other["hv:imagelist"]["dc:identifier"] = json!("another-list");
    let (_, other) = read(&other);
    let others = [&other];
    let sub = Subscription {
        previous: Some((&first, t1.as_bytes())),
        others: &others,
    };
    let Verdict::Accepted {
        events,
        same_version,
    } = update(t3.as_bytes(), &third, &sub, &policy)
    else {
        panic!("refused")
    };
    assert!(same_version, "1.0.10 again: vmcatcher's warning 16");
    assert_eq!(
        events,
        [
            Event::ImageExpired {
                identifier: ids[0].into()
            },
            Event::Clash {
                identifier: "c0482bc2-bf41-5d49-aaaa-a750174a1809".into(),
                owner: "another-list".into()
            },
            Event::Removed {
                identifier: ids[1].into()
            },
        ]
    );

    // Refusals, with vmcatcher's codes.
    let refused =
        |v: Value, policy: &Policy| match update(text(&v).as_bytes(), &read(&v).1, &held, policy) {
            Verdict::Refused(r) => r.vmcatcher_code(),
            other => panic!("{other:?}"),
        };
    let mut older = list(vec![]);
    older["hv:imagelist"]["hv:version"] = json!("1.0.9");
    assert_eq!(refused(older, &policy), 17);
    let mut renamed = list(vec![]);
    renamed["hv:imagelist"]["dc:identifier"] = json!("76fdee70-8119-5d33-aaaa-000000000000");
    assert_eq!(refused(renamed, &policy), 31);
    let early = Policy::new("2026-11-01T00:00:00Z".parse().unwrap());
    assert_eq!(refused(list(vec![]), &early), 33);
    let late = Policy::new("2027-02-01T00:00:00Z".parse().unwrap());
    assert_eq!(refused(list(vec![]), &late), 34);
}
