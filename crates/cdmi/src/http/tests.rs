#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;
use crate::object::Body;
use proptest::prelude::*;

fn v1() -> Endpoint {
    Endpoint::v1("/", &[Version::V1_0_2, Version::V1_1_1])
}

fn v2() -> Endpoint {
    Endpoint::v2(Version::V2_0_0)
}

fn req(method: &str, uri: &str, headers: &[(&str, &str)]) -> ::http::request::Parts {
    let mut b = ::http::Request::builder().method(method).uri(uri);
    for (n, v) in headers {
        b = b.header(*n, *v);
    }
    b.body(()).unwrap().into_parts().0
}

fn problem(e: &Error) -> HttpProblem {
    match e.kind() {
        ErrorKind::Http(p) => p.clone(),
        k => panic!("not an HTTP problem: {k:?}"),
    }
}

const VER: (&str, &str) = ("X-CDMI-Specification-Version", "1.1.1");

/// A request (method, URI, headers) and the operation it is.
type Case<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>, Operation);

#[test]
fn operations_by_method_content_type_accept_and_version_header() {
    let e = v1();
    let cases: Vec<Case<'_>> = vec![
        (
            "GET",
            "/a/b.txt",
            vec![("Accept", "application/cdmi-object"), VER],
            Operation::Read,
        ),
        ("GET", "/a/b.txt", vec![VER], Operation::Read),
        ("GET", "/a/b.txt", vec![], Operation::ReadValue),
        (
            "GET",
            "/a/b.txt",
            vec![("Accept", "*/*")],
            Operation::ReadValue,
        ),
        ("HEAD", "/a/", vec![VER], Operation::Read),
        (
            "PUT",
            "/a/b.txt",
            vec![("Content-Type", "application/cdmi-object"), VER],
            Operation::Put(ObjectType::DataObject),
        ),
        (
            "PUT",
            "/a/",
            vec![
                ("Content-Type", "application/cdmi-container; charset=utf-8"),
                VER,
            ],
            Operation::Put(ObjectType::Container),
        ),
        (
            "PUT",
            "/a/b.txt",
            vec![("Content-Type", "text/plain")],
            Operation::PutValue,
        ),
        ("PUT", "/a/", vec![], Operation::PutContainer),
        (
            "PUT",
            "/a/",
            vec![("Content-Length", "0")],
            Operation::PutContainer,
        ),
        (
            "PUT",
            "/a/",
            vec![("Content-Length", "5")],
            Operation::PutValue,
        ),
        (
            "POST",
            "/cdmi_objectid/",
            vec![("Content-Type", "application/cdmi-object"), VER],
            Operation::Post(ObjectType::DataObject),
        ),
        (
            "POST",
            "/a/",
            vec![("Content-Type", "image/png")],
            Operation::PostValue,
        ),
        (
            "DELETE",
            "/a/b.txt",
            vec![VER],
            Operation::Delete { cdmi: true },
        ),
        (
            "DELETE",
            "/a/b.txt",
            vec![],
            Operation::Delete { cdmi: false },
        ),
    ];
    for (m, uri, h, want) in cases {
        let head = e
            .head(&req(m, uri, &h))
            .unwrap_or_else(|e| panic!("{m} {uri} {h:?}: {e}"));
        assert_eq!(head.operation, want, "{m} {uri} {h:?}");
    }
}

#[test]
fn a_2x_root_has_no_version_header_and_patches() {
    let e = v2();
    assert_eq!(e.root(), "/cdmi/2.0.0/");
    let h = e
        .head(&req(
            "PATCH",
            "/cdmi/2.0.0/a/b.txt",
            &[("Content-Type", "application/cdmi-object+json")],
        ))
        .unwrap();
    assert_eq!(h.operation, Operation::Patch(ObjectType::DataObject));
    assert_eq!(h.version, Some(Version::V2_0_0));
    let h = e
        .head(&req(
            "GET",
            "/cdmi/2.0.0/a/b.txt?value=0-10&metadata=cdmi_",
            &[("Accept", "application/cdmi-object")],
        ))
        .unwrap();
    assert_eq!(h.operation, Operation::Read);
    assert_eq!(h.selection.unwrap().selectors.len(), 2);
    // The root without its slash is the root container.
    let h = e
        .head(&req(
            "GET",
            "/cdmi/2.0.0",
            &[("Accept", "application/cdmi-container")],
        ))
        .unwrap();
    assert_eq!(
        h.address,
        Address::Path(Path {
            segments: vec![],
            container: true
        })
    );
    // Clients must not send the version header to a 2.x root.
    let err = e.head(&req("GET", "/cdmi/2.0.0/a", &[VER])).unwrap_err();
    assert_eq!(problem(&err), HttpProblem::VersionHeaderOn2x);
    assert!(
        e.clone()
            .with_mode(Mode::Lenient)
            .head(&req("GET", "/cdmi/2.0.0/a", &[VER]))
            .is_ok()
    );
    // 1.x query syntax on a 2.x root: strict refuses, lenient reads.
    assert!(
        e.head(&req(
            "GET",
            "/cdmi/2.0.0/a?value:0-4",
            &[("Accept", "application/cdmi-object")]
        ))
        .is_err()
    );
    // Outside the root.
    let err = e.head(&req("GET", "/other/a", &[])).unwrap_err();
    assert_eq!(
        (problem(&err), status_of(&err)),
        (HttpProblem::OutsideRoot, StatusCode::NOT_FOUND)
    );
}

#[test]
fn version_negotiation_and_its_errors() {
    let e = v1();
    let h = e
        .head(&req(
            "GET",
            "/a",
            &[("X-CDMI-Specification-Version", "1.0.2, 1.1, 2.0")],
        ))
        .unwrap();
    assert_eq!(h.version.unwrap().to_string(), "1.1");
    let err = e
        .head(&req(
            "GET",
            "/a",
            &[("X-CDMI-Specification-Version", "1.5, 2.0")],
        ))
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NoCommonVersion(_)));
    assert_eq!(status_of(&err), StatusCode::BAD_REQUEST);
    // A CDMI request without the header on a 1.x root.
    let err = e
        .head(&req(
            "PUT",
            "/a",
            &[("Content-Type", "application/cdmi-object")],
        ))
        .unwrap_err();
    assert_eq!(problem(&err), HttpProblem::MissingVersion);
    let err = e
        .head(&req("GET", "/a", &[("Accept", "application/cdmi-object")]))
        .unwrap_err();
    assert_eq!(problem(&err), HttpProblem::MissingVersion);
    // PATCH is 2.x.
    let err = e
        .head(&req(
            "PATCH",
            "/a",
            &[("Content-Type", "application/cdmi-object"), VER],
        ))
        .unwrap_err();
    assert_eq!(status_of(&err), StatusCode::METHOD_NOT_ALLOWED);
    let err = e.head(&req("TRACE", "/a", &[])).unwrap_err();
    assert_eq!(problem(&err), HttpProblem::Method("TRACE".into()));
}

#[test]
fn addresses_paths_and_ids() {
    let e = v1();
    let a = e.address("/My%20Container/sub/").unwrap();
    assert_eq!(
        a,
        Address::Path(Path {
            segments: vec!["My Container".into(), "sub".into()],
            container: true
        })
    );
    assert_eq!(e.uri(&a), "/My%20Container/sub/");
    assert_eq!(
        e.address("/").unwrap(),
        Address::Path(Path {
            segments: vec![],
            container: true
        })
    );
    let id = "00006FFD001001CCE3B2B4F602032653";
    let a = e.address(&format!("/cdmi_objectid/{id}")).unwrap();
    let Address::Id {
        id: Id::Valid(got),
        below,
    } = &a
    else {
        panic!("{a:?}")
    };
    assert_eq!(got.to_string(), id);
    assert!(below.segments.is_empty() && !below.container);
    assert_eq!(e.uri(&a), format!("/cdmi_objectid/{id}"));
    let a = e.address(&format!("/cdmi_objectid/{id}/")).unwrap();
    assert!(a.is_container());
    assert_eq!(e.uri(&a), format!("/cdmi_objectid/{id}/"));
    let a = e
        .address(&format!("/cdmi_objectid/{id}/MyDataObject.txt"))
        .unwrap();
    let Address::Id { below, .. } = &a else {
        panic!()
    };
    assert_eq!(below.segments, ["MyDataObject.txt"]);
    assert_eq!(e.uri(&a), format!("/cdmi_objectid/{id}/MyDataObject.txt"));
    assert_eq!(e.address("/cdmi_objectid/").unwrap(), Address::ObjectIds);
    assert_eq!(e.address("/cdmi_objectid").unwrap(), Address::ObjectIds);
    // A bad ID, strictly; Onedata's length-byte bug is tolerated leniently.
    let onedata = "00006FFD0008A1B2E3B2B4F602032653";
    assert!(e.address(&format!("/cdmi_objectid/{onedata}")).is_err());
    let lenient = e.clone().with_mode(Mode::Lenient);
    let Ok(Address::Id { id, .. }) = lenient.address(&format!("/cdmi_objectid/{onedata}")) else {
        panic!("Onedata's ID refused leniently");
    };
    assert!(id.valid().is_none());
    assert_eq!(id.to_string(), onedata);
    assert!(lenient.address("/cdmi_objectid/XYZ").is_err());
    // Paths a CDMI server must not resolve.
    for bad in [
        "/a//b", "/a/../b", "/a/./b", "/a%2Fb", "/a%3Fb", "/a%ZZ", "/a%00b", "/%C3%28",
    ] {
        let err = e.address(bad).unwrap_err();
        assert!(matches!(problem(&err), HttpProblem::Path(_)), "{bad}");
        assert_eq!(status_of(&err), StatusCode::BAD_REQUEST);
    }
}

#[test]
fn path_helpers() {
    let p = Path {
        segments: vec!["a".into(), "b".into()],
        container: true,
    };
    assert_eq!(p.name().as_deref(), Some("b/"));
    assert_eq!(p.parent().unwrap().to_string(), "a/");
    assert_eq!(p.child("c d.txt", false).to_string(), "a/b/c%20d.txt");
    assert!(Path::default().parent().is_none());
}

#[test]
fn headers_partial_range_accept_content_type() {
    let e = v1();
    let h = e
        .head(&req(
            "PUT",
            "/a.txt",
            &[
                ("Content-Type", "application/cdmi-object"),
                VER,
                ("X-CDMI-Partial", "true"),
            ],
        ))
        .unwrap();
    assert!(h.partial);
    let err = e
        .head(&req(
            "PUT",
            "/a.txt",
            &[
                ("Content-Type", "application/cdmi-object"),
                VER,
                ("X-CDMI-Partial", "yes"),
            ],
        ))
        .unwrap_err();
    assert_eq!(problem(&err), HttpProblem::Partial);
    let h = e
        .head(&req("GET", "/a.txt", &[("Range", "bytes=0-9")]))
        .unwrap();
    assert_eq!(
        h.range,
        Some(ByteRanges(vec![ByteRange::From {
            first: 0,
            last: Some(9)
        }]))
    );
    // Range only matters for plain-HTTP reads.
    let h = e
        .head(&req("GET", "/a.txt", &[VER, ("Range", "bytes=0-9")]))
        .unwrap();
    assert_eq!(h.range, None);
    let err = e
        .head(&req("GET", "/a.txt", &[("Range", "lines=1-2")]))
        .unwrap_err();
    assert_eq!(problem(&err), HttpProblem::Range);
    let h = e
        .head(&req(
            "GET",
            "/a/",
            &[
                VER,
                (
                    "Accept",
                    "application/cdmi-container;q=0.9, text/html, */*;q=0.1",
                ),
            ],
        ))
        .unwrap();
    assert_eq!(h.accept.types, [ObjectType::Container]);
    assert!(h.accept.any && h.accept.allows(ObjectType::DataObject));
    assert_eq!(h.accept.other, ["text/html"]);
    let h = e
        .head(&req(
            "GET",
            "/a/",
            &[VER, ("Accept", "application/cdmi-container")],
        ))
        .unwrap();
    assert!(!h.accept.allows(ObjectType::DataObject));
    // The 2010 draft type: strictly refused, leniently a CDMI type.
    let draft = [
        (
            "Content-Type",
            "application/vnd.org.snia.cdmi.container+json",
        ),
        VER,
    ];
    assert!(matches!(
        e.head(&req("PUT", "/a/", &draft)).unwrap_err().kind(),
        ErrorKind::MediaType(_)
    ));
    let h = e
        .clone()
        .with_mode(Mode::Lenient)
        .head(&req("PUT", "/a/", &draft))
        .unwrap();
    assert_eq!(h.operation, Operation::Put(ObjectType::Container));
    let err = e
        .head(&req("PUT", "/a", &[("Content-Type", " ; x=y")]))
        .unwrap_err();
    assert_eq!(problem(&err), HttpProblem::ContentType);
}

#[test]
fn bodies_are_read_as_the_content_type() {
    let e = v1();
    let h = e
        .head(&req(
            "PUT",
            "/a.txt",
            &[("Content-Type", "application/cdmi-object"), VER],
        ))
        .unwrap();
    let p = h
        .read_body(br#"{"mimetype": "text/plain", "value": "hi"}"#)
        .unwrap()
        .unwrap();
    let Body::DataObject(d) = &p.object.body else {
        panic!()
    };
    assert_eq!(d.mimetype.as_deref(), Some("text/plain"));
    // An empty body: all defaults.
    assert!(h.read_body(b"").unwrap().is_some());
    let err = h.read_body(b"{\"value\": \"\xFF\"}").unwrap_err();
    assert_eq!(problem(&err), HttpProblem::BodyNotUtf8);
    assert_eq!(err.position().offset, 11);
    let err = h.read_body(b"{\"value\": 1,}").unwrap_err();
    assert_eq!(status_of(&err), StatusCode::BAD_REQUEST);
    // Limits apply.
    let small = v1().with_limits(Limits::default().with_max_body_bytes(8));
    let h2 = small
        .head(&req(
            "PUT",
            "/a.txt",
            &[("Content-Type", "application/cdmi-object"), VER],
        ))
        .unwrap();
    let err = h2.read_body(br#"{"value": "0123456789"}"#).unwrap_err();
    assert_eq!(status_of(&err), StatusCode::PAYLOAD_TOO_LARGE);
    // Plain bodies are not read.
    let raw = e
        .head(&req("PUT", "/a.txt", &[("Content-Type", "text/plain")]))
        .unwrap();
    assert!(raw.read_body(b"hello").unwrap().is_none());
}

#[test]
fn byte_ranges_resolve_as_rfc_9110_says() {
    let r = |s: &str| ByteRanges::parse(s).unwrap();
    assert_eq!(
        r("bytes=0-9").resolve(100),
        RangeAnswer::Part { first: 0, last: 9 }
    );
    assert_eq!(
        r("bytes=90-").resolve(100),
        RangeAnswer::Part {
            first: 90,
            last: 99
        }
    );
    assert_eq!(
        r("bytes=90-200").resolve(100),
        RangeAnswer::Part {
            first: 90,
            last: 99
        }
    );
    assert_eq!(
        r("bytes=-10").resolve(100),
        RangeAnswer::Part {
            first: 90,
            last: 99
        }
    );
    assert_eq!(
        r("bytes=-200").resolve(100),
        RangeAnswer::Part { first: 0, last: 99 }
    );
    assert_eq!(r("bytes=100-").resolve(100), RangeAnswer::Unsatisfiable);
    assert_eq!(r("bytes=-0").resolve(100), RangeAnswer::Unsatisfiable);
    assert_eq!(r("bytes=-5").resolve(0), RangeAnswer::Unsatisfiable);
    assert_eq!(r("bytes=0-1, 5-6").resolve(100), RangeAnswer::Whole);
    for bad in [
        "bytes=",
        "bytes=5-1",
        "bytes=a-b",
        "0-1",
        "bytes=1",
        "bytes=--1",
        "bytes=1-2-3",
    ] {
        assert!(ByteRanges::parse(bad).is_err(), "{bad}");
    }
    let many = format!("bytes={}", vec!["0-1"; MAX_RANGES + 1].join(","));
    assert!(ByteRanges::parse(&many).is_err());
    let enough = format!("bytes={}", vec!["0-1"; MAX_RANGES].join(","));
    assert!(ByteRanges::parse(&enough).is_ok());
}

#[test]
fn responses_carry_the_cdmi_headers() {
    let o = Object::parse(r#"{"value": "hi"}"#, ObjectType::DataObject, Mode::Strict)
        .unwrap()
        .object;
    let r = object_response(&o, Some(Version::V1_1_1), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/cdmi-object");
    assert_eq!(r.headers()["x-cdmi-specification-version"], "1.1.1");
    let r = object_response(&o, Some(Version::V2_0_0), StatusCode::OK);
    assert!(r.headers().get(VERSION_HEADER).is_none());
    let r = created_response(&o, "/cdmi_objectid/00006FFD001001CCE3B2B4F602032653", None);
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(
        r.headers()["location"],
        "/cdmi_objectid/00006FFD001001CCE3B2B4F602032653"
    );
    let r = redirect_response("/other/object.txt", Some(Version::V1_1_1));
    assert_eq!(
        (r.status(), &r.headers()["location"]),
        (
            StatusCode::FOUND,
            &HeaderValue::from_static("/other/object.txt")
        )
    );
    let r = empty_response(StatusCode::NO_CONTENT, Some(Version::V1_0_2));
    assert_eq!(r.headers()[VERSION_HEADER], "1.0.2");
    let err = v1().head(&req("TRACE", "/", &[])).unwrap_err();
    let r = error_response(&err);
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(String::from_utf8(r.into_body()).unwrap().contains("TRACE"));
    let value = b"0123456789";
    let whole = value_response(value, "text/plain", None);
    assert_eq!(
        (whole.status(), whole.body().as_slice()),
        (StatusCode::OK, &value[..])
    );
    let part = value_response(
        value,
        "text/plain",
        Some(&ByteRanges::parse("bytes=2-4").unwrap()),
    );
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.body().as_slice(), b"234");
    assert_eq!(part.headers()["content-range"], "bytes 2-4/10");
    let none = value_response(
        value,
        "text/plain",
        Some(&ByteRanges::parse("bytes=10-").unwrap()),
    );
    assert_eq!(none.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(none.headers()["content-range"], "bytes */10");
}

proptest! {
    #[test]
    fn any_head_is_read_or_refused_without_panic(
        method in prop::sample::select(vec!["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD"]),
        path in "(/[a-zA-Z0-9%._~ -]{0,8}){0,4}/?",
        query in "[a-z0-9:;&=%-]{0,16}",
        ct in prop::sample::select(vec!["", "application/cdmi-object", "application/cdmi-container+json", "text/plain"]),
        range in "(bytes=)?[0-9,-]{0,12}",
        version in prop::option::of("[0-9., ]{0,10}"),
        lenient in any::<bool>(),
    ) {
        let mode = if lenient { Mode::Lenient } else { Mode::Strict };
        let path = path.replace(' ', "%20");
        let uri = if query.is_empty() { path.clone() } else { format!("{path}?{query}") };
        let Ok(uri) = uri.parse::<::http::Uri>() else { return Ok(()) };
        let mut b = ::http::Request::builder().method(method).uri(uri);
        if !ct.is_empty() { b = b.header("Content-Type", ct); }
        if !range.is_empty() { b = b.header("Range", range.as_str()); }
        if let Some(v) = &version { b = b.header(VERSION_HEADER, v.as_str()); }
        let parts = b.body(()).unwrap().into_parts().0;
        for e in [v1().with_mode(mode), Endpoint::v2(Version::V2_0_0).with_mode(mode)] {
            match e.head(&parts) {
                Ok(h) => {
                    // The address renders to a URI that reads back to the same address.
                    let again = e.address(&e.uri(&h.address)).unwrap();
                    prop_assert_eq!(again, h.address);
                }
                Err(err) => prop_assert!(status_of(&err).is_client_error()),
            }
        }
    }
}
