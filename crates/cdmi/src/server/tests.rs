#![allow(clippy::unwrap_used, clippy::panic)]

use super::*;

#[tokio::test]
async fn memory_storage_semantics() {
    let s = MemoryStorage::new();
    assert!(s.create("names/A/x", b"1".to_vec()).await.unwrap());
    assert!(
        !s.create("names/A/x", b"2".to_vec()).await.unwrap(),
        "create does not overwrite"
    );
    assert_eq!(s.get("names/A/x").await.unwrap().unwrap(), b"1");
    s.put("names/A/y", b"22".to_vec()).await.unwrap();
    s.put("names/A/y/deeper", b"3".to_vec()).await.unwrap();
    s.put("names/AB/z", b"4".to_vec()).await.unwrap();
    assert_eq!(
        s.list("names/A").await.unwrap(),
        ["x", "y"],
        "direct children only"
    );
    assert_eq!(s.get_range("names/A/y", 1..9).await.unwrap().unwrap(), b"2");
    assert_eq!(s.get_range("gone", 0..1).await.unwrap(), None);
    s.delete("names/A/x").await.unwrap();
    s.delete("names/A/x").await.unwrap();
    assert_eq!(s.get("names/A/x").await.unwrap(), None);
}

fn status_of_fail(f: Fail) -> StatusCode {
    match f {
        Fail::Status(s, _) => s,
        _ => panic!("not a status"),
    }
}

#[test]
fn splice_writes_in_place_grows_and_checks() {
    let mut v = b"hello world".to_vec();
    splice(&mut v, Some(Range { first: 6, last: 10 }), b"WORLD", 100)
        .map_err(|_| ())
        .unwrap();
    assert_eq!(v, b"hello WORLD");
    splice(
        &mut v,
        Some(Range {
            first: 13,
            last: 13,
        }),
        b"!",
        100,
    )
    .map_err(|_| ())
    .unwrap();
    assert_eq!(v, b"hello WORLD\0\0!", "a gap is zeros");
    let e = splice(&mut v, Some(Range { first: 0, last: 3 }), b"ab", 100).unwrap_err();
    assert_eq!(status_of_fail(e), StatusCode::BAD_REQUEST);
    let e = splice(
        &mut v,
        Some(Range {
            first: 100,
            last: 100,
        }),
        b"a",
        100,
    )
    .unwrap_err();
    assert_eq!(status_of_fail(e), StatusCode::PAYLOAD_TOO_LARGE);
    let e = splice(&mut v, None, &[0; 101], 100).unwrap_err();
    assert_eq!(status_of_fail(e), StatusCode::PAYLOAD_TOO_LARGE);
    splice(&mut v, None, b"new", 100).map_err(|_| ()).unwrap();
    assert_eq!(v, b"new");
}

#[test]
fn content_range_of_a_put() {
    let r = parse_content_range("bytes 2-4/*", 3)
        .map_err(|_| ())
        .unwrap();
    assert_eq!((r.first, r.last), (2, 4));
    assert!(parse_content_range("bytes 2-4/10", 3).is_ok());
    for bad in ["bytes 2-4", "items 2-4/*", "bytes 4-2/*", "bytes x-4/*"] {
        assert_eq!(
            status_of_fail(parse_content_range(bad, 3).unwrap_err()),
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
    assert_eq!(
        status_of_fail(parse_content_range("bytes 0-9/*", 3).unwrap_err()),
        StatusCode::BAD_REQUEST
    );
}

#[test]
fn values_are_sent_in_the_encoding_that_fits() {
    assert_eq!(
        encode_value(b"text", None, false),
        (Encoding::Utf8, Value::Text("text".into()))
    );
    assert_eq!(
        encode_value(b"text", Some("base64"), false).0,
        Encoding::Base64
    );
    assert_eq!(
        encode_value(b"\xff", Some("utf-8"), false).0,
        Encoding::Base64
    );
    assert_eq!(
        encode_value(br#"{"a":1}"#, Some("json"), false).0,
        Encoding::Json
    );
    assert_eq!(
        encode_value(br#"{"a":1}"#, Some("json"), true).0,
        Encoding::Utf8,
        "a part is no object"
    );
}

#[tokio::test]
async fn a_reference_and_a_traversal_denial() {
    let mut c = Config::new(Endpoint::v2(crate::Version::V2_0_0), 53_063);
    c.root_owner = "alice".into();
    let server = Server::new(MemoryStorage::new(), c).unwrap();
    let put = |path: &str, body: &str| {
        Request::put(format!("/cdmi/2.0.0/{path}"))
            .header("Content-Type", "application/cdmi-container")
            .body(body.as_bytes().to_vec())
            .unwrap()
    };
    let alice = Principal::user("alice");
    assert_eq!(
        server.handle(&alice, put("d/", "{}")).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        server.handle(&alice, put("d/e/", "{}")).await.status(),
        StatusCode::CREATED
    );
    // bob may read the root (AUTHENTICATED@ READ) but not traverse it.
    let get = Request::get("/cdmi/2.0.0/d/e/")
        .header("Accept", "application/cdmi-container")
        .body(Vec::new())
        .unwrap();
    let r = server.handle(&Principal::user("bob"), get).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(String::from_utf8_lossy(r.body()).contains("traverse"));
    // The same without traversal checks.
    let mut c = Config::new(Endpoint::v2(crate::Version::V2_0_0), 53_063);
    c.check_traverse = false;
    c.enforce_acls = false;
    let open = Server::new(MemoryStorage::new(), c).unwrap();
    assert_eq!(
        open.handle(&alice, put("d/", "{}")).await.status(),
        StatusCode::CREATED
    );
    let r = open
        .handle(&alice, put("r/", r#"{"reference":"/elsewhere/x/"}"#))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let get = Request::get("/cdmi/2.0.0/r/below/it")
        .body(Vec::new())
        .unwrap();
    let r = open.handle(&alice, get).await;
    assert_eq!(r.status(), StatusCode::FOUND);
    assert_eq!(r.headers()["location"], "/elsewhere/x/below/it");
}

#[test]
fn an_enterprise_number_ids_cannot_hold_is_refused() {
    let c = Config::new(Endpoint::v2(crate::Version::V2_0_0), 0);
    assert!(Server::new(MemoryStorage::new(), c).is_err());
}
