//! One regression test per defect of the protocol review (numbered as in the review), each
//! asserting the status, headers and body GFD.223 / GFD.185 prescribe.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use common::{COMPUTE, request, text};
use http::{Method, Response, StatusCode};
use occi_model::{AttributeValue, Model, OcciVersion};
use occi_render_http::protocol::{MemoryBackend, RouterOptions, handle, read_message};
use occi_render_http::{Mode, Parser};

const INFRA: &str = "http://schemas.ogf.org/occi/infrastructure#";

fn backend() -> MemoryBackend {
    MemoryBackend::new(
        Model::infrastructure(OcciVersion::V1_2)
            .with_crtp()
            .with_egi_extensions(),
    )
}

fn call_with(
    b: &mut MemoryBackend,
    options: &RouterOptions,
    method: Method,
    uri: &str,
    headers: &[(&str, &[u8])],
    body: &str,
) -> Response<Vec<u8>> {
    let r = handle(b, &request(method, uri, headers, body.as_bytes()), options);
    assert_eq!(
        r.headers()["server"],
        "OCCI/1.2",
        "Server on every response"
    );
    r
}

fn call(
    b: &mut MemoryBackend,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Response<Vec<u8>> {
    let headers: Vec<(&str, &[u8])> = headers.iter().map(|(n, v)| (*n, v.as_bytes())).collect();
    call_with(b, &RouterOptions::default(), method, uri, &headers, body)
}

fn create(b: &mut MemoryBackend, body: &str) -> String {
    let r = call(b, Method::POST, "/compute/", &[], body);
    assert_eq!(r.status(), StatusCode::CREATED, "{}", text(&r));
    r.headers()["location"].to_str().unwrap().to_owned()
}

/// What our own reader makes of a response (the client's path).
fn read_back(r: &Response<Vec<u8>>) -> occi_render_http::Message {
    read_message(&Parser::new(Mode::Strict12), r.headers(), r.body())
        .unwrap()
        .message
}

// ---- 1: header values are UTF-8, not only visible ASCII -------------------------------------

#[test]
fn item01_non_ascii_header_values_survive() {
    let mut b = backend();
    // A text/occi request with an accented title, in one comma-joined field.
    let r = call_with(
        &mut b,
        &RouterOptions::default(),
        Method::POST,
        "/compute/",
        &[
            ("content-type", b"text/occi"),
            (
                "category",
                format!("compute; scheme=\"{INFRA}\"; class=\"kind\"").as_bytes(),
            ),
            (
                "x-occi-attribute",
                "occi.core.title=\"Café Zürich\", occi.compute.cores=2".as_bytes(),
            ),
        ],
        "",
    );
    assert_eq!(r.status(), StatusCode::CREATED, "{}", text(&r));
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    let stored = &b.entities()[&loc];
    assert_eq!(
        stored.attribute("occi.core.title"),
        Some(&AttributeValue::String("Café Zürich".into()))
    );
    assert_eq!(
        stored.attribute("occi.compute.cores"),
        Some(&AttributeValue::Integer(2))
    );
    // Our text/occi answer carries it in a header field, and our reader gets it back.
    let r = call(&mut b, Method::GET, &loc, &[("accept", "text/occi")], "");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/occi");
    assert_eq!(text(&r), "OK\n");
    let m = read_back(&r);
    assert_eq!(
        m.attribute("occi.core.title"),
        Some(&AttributeValue::String("Café Zürich".into()))
    );
    assert_eq!(
        m.attribute("occi.compute.cores"),
        Some(&AttributeValue::Integer(2))
    );
    // A header value that is not UTF-8 is a 400, not a silently dropped field.
    let r = call_with(
        &mut b,
        &RouterOptions::default(),
        Method::POST,
        &loc,
        &[
            ("content-type", b"text/occi"),
            ("x-occi-attribute", b"occi.core.title=\"caf\xe9\""),
        ],
        "",
    );
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(text(&r), "the x-occi-attribute header field is not UTF-8\n");
    assert_eq!(
        b.entities()[&loc].attribute("occi.core.title"),
        Some(&AttributeValue::String("Café Zürich".into()))
    );
}

// ---- 2: filters in header fields of a GET without Content-Type ------------------------------

#[test]
fn item02_header_filters_without_content_type() {
    let mut b = backend();
    create(&mut b, COMPUTE);
    let second = create(&mut b, &COMPUTE.replace("vm1", "vm2"));
    // Collection filter by attribute, as header fields, no Content-Type, no body.
    let r = call(
        &mut b,
        Method::GET,
        "/compute/",
        &[("x-occi-attribute", "occi.core.title=\"vm2\"")],
        "",
    );
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(text(&r), format!("X-OCCI-Location: {second}\n"));
    // Query interface filter by category.
    let r = call(
        &mut b,
        Method::GET,
        "/-/",
        &[(
            "category",
            &format!("network; scheme=\"{INFRA}\"; class=\"kind\""),
        )],
        "",
    );
    assert_eq!(r.status(), StatusCode::OK);
    let m = read_back(&r);
    assert_eq!(m.categories.len(), 1, "{}", text(&r));
    assert_eq!(m.categories[0].term, "network");
    assert_eq!(m.categories[0].location.as_deref(), Some("/network/"));
    // Without filter fields, everything.
    let r = call(&mut b, Method::GET, "/compute/", &[], "");
    assert_eq!(text(&r).lines().count(), 2);
}

// ---- 3: a client-supplied occi.core.id is one path segment -----------------------------------

#[test]
fn item03_client_ids_become_one_path_segment() {
    let mut b = backend();
    let json = |id: &str| {
        serde_json::json!({
            "kind": format!("{INFRA}compute"),
            "id": id,
            "attributes": { "occi.core.title": "x" }
        })
        .to_string()
    };
    let ct = [("content-type", "application/occi+json")];
    // Separators, white space, a query, a fragment and a newline are percent-encoded.
    let r = call(
        &mut b,
        Method::POST,
        "/compute/",
        &ct,
        &json("a,b c/d?e#f\n%"),
    );
    assert_eq!(r.status(), StatusCode::CREATED, "{}", text(&r));
    let odd = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(odd, "/compute/a%2Cb%20c%2Fd%3Fe%23f%0A%25");
    let r = call(
        &mut b,
        Method::GET,
        &odd,
        &[("accept", "application/occi+json")],
        "",
    );
    assert_eq!(r.status(), StatusCode::OK);
    let v: serde_json::Value = serde_json::from_slice(r.body()).unwrap();
    assert_eq!(v["id"], "a,b c/d?e#f\n%");
    // A urn:uuid id stays readable.
    let uuid = "urn:uuid:2d3bd62c-7a3c-4e0f-a1b4-0c7c2d0b5c11";
    let r = call(&mut b, Method::POST, "/compute/", &ct, &json(uuid));
    assert_eq!(r.headers()["location"], format!("/compute/{uuid}").as_str());
    // The comma-joined text/occi listing splits back into the two locations.
    let r = call(
        &mut b,
        Method::GET,
        "/compute/",
        &[("accept", "text/occi")],
        "",
    );
    assert_eq!(r.status(), StatusCode::OK);
    let mut got = read_back(&r).locations;
    got.sort();
    assert_eq!(got, vec![odd.clone(), format!("/compute/{uuid}")]);
    // Ids that cannot name a location are refused, and nothing is stored.
    for id in ["", ".", ".."] {
        let r = call(&mut b, Method::POST, "/compute/", &ct, &json(id));
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{id:?}");
        assert_eq!(
            text(&r),
            format!("occi.core.id {id:?} cannot name a location\n")
        );
    }
    assert_eq!(b.entities().len(), 2);
}

// ---- 4: only user mixins can be removed; provider mixins answer 403 ---------------------------

#[test]
fn item04_provider_mixins_cannot_be_removed() {
    let mut b = backend();
    let count = |b: &mut MemoryBackend| {
        read_back(&call(b, Method::GET, "/-/", &[], ""))
            .categories
            .len()
    };
    let before = count(&mut b);
    for (term, scheme) in [
        ("os_tpl", INFRA),
        (
            "availability_zone",
            "http://fedcloud.egi.eu/occi/infrastructure#",
        ),
        (
            "public_key",
            "http://schemas.openstack.org/instance/credentials#",
        ),
    ] {
        let mixin = format!("Category: {term}; scheme=\"{scheme}\"; class=\"mixin\"\n");
        let r = call(&mut b, Method::DELETE, "/-/", &[], &mixin);
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{term}: {}", text(&r));
        assert_eq!(
            text(&r),
            format!("{scheme}{term} is defined by the provider\n")
        );
        // Still published.
        let r = call(&mut b, Method::GET, "/-/", &[], &mixin);
        assert_eq!(read_back(&r).categories.len(), 1, "{term}");
    }
    assert_eq!(count(&mut b), before);
    // A user mixin is removed (200); in one request with a provider mixin nothing is.
    let tag = "Category: prod; scheme=\"http://example.org/tags#\"; class=\"mixin\"; location=\"/tags/prod/\"\n";
    assert_eq!(
        call(&mut b, Method::POST, "/-/", &[], tag).status(),
        StatusCode::OK
    );
    let both = format!("{tag}Category: os_tpl; scheme=\"{INFRA}\"; class=\"mixin\"\n");
    assert_eq!(
        call(&mut b, Method::DELETE, "/-/", &[], &both).status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(count(&mut b), before + 1);
    assert_eq!(
        call(&mut b, Method::DELETE, "/-/", &[], tag).status(),
        StatusCode::OK
    );
    assert_eq!(count(&mut b), before);
    assert_eq!(
        call(&mut b, Method::DELETE, "/-/", &[], tag).status(),
        StatusCode::NOT_FOUND
    );
}

// ---- 6: text/uri-list outside a listing is 400 (GFD.185 §3.6.6) -------------------------------

#[test]
fn item06_uri_list_outside_a_listing_is_400() {
    let mut b = backend();
    let loc = create(&mut b, COMPUTE);
    for (path, method) in [(loc.as_str(), Method::GET), ("/-/", Method::GET)] {
        let r = call(&mut b, method, path, &[("accept", "text/uri-list")], "");
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(
            text(&r),
            "text/uri-list is only for listings of a collection\n"
        );
    }
    // With another acceptable type, that one is used.
    let r = call(
        &mut b,
        Method::GET,
        &loc,
        &[("accept", "text/uri-list, text/occi;q=0.1")],
        "",
    );
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/occi");
    // A listing in text/uri-list.
    let r = call(
        &mut b,
        Method::GET,
        "/compute/",
        &[("accept", "text/uri-list")],
        "",
    );
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/uri-list");
    assert_eq!(text(&r), format!("{loc}\r\n"));
}

// ---- 12: q=0 excludes a type; the most specific range decides (RFC 7231 §5.3.2) --------------

#[test]
fn item12_accept_quality_zero_and_specificity() {
    let mut b = backend();
    let loc = create(&mut b, COMPUTE);
    let served = |b: &mut MemoryBackend, accept: &str| {
        let r = call(b, Method::GET, &loc, &[("accept", accept)], "");
        (
            r.status(),
            r.headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned()),
        )
    };
    let ok = |ct: &str| (StatusCode::OK, Some(ct.to_owned()));
    assert_eq!(served(&mut b, "text/plain;q=0, */*"), ok("text/occi"));
    assert_eq!(
        served(&mut b, "text/plain;q=0, text/occi;q=0, */*"),
        ok("application/occi+json")
    );
    assert_eq!(
        served(&mut b, "text/*;q=0, */*;q=0.1"),
        ok("application/occi+json")
    );
    assert_eq!(
        served(&mut b, "*/*;q=0.1, text/plain;q=0.5"),
        ok("text/plain")
    );
    assert_eq!(served(&mut b, "text/*, text/plain;q=0.2"), ok("text/occi"));
    assert_eq!(served(&mut b, "application/*"), ok("application/occi+json"));
    assert_eq!(served(&mut b, "*/*"), ok("text/plain"));
    let (status, _) = served(&mut b, "text/plain;q=0");
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    let (status, _) = served(&mut b, "*/*;q=0");
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
}

// ---- 7: content a rendering cannot carry is 406, not 500 (GFD.185 §3.6.6) --------------------

#[test]
fn item07_unrepresentable_content_is_406() {
    let mut b = backend();
    let body = serde_json::json!({
        "kind": format!("{INFRA}compute"),
        "id": "ctl",
        "attributes": { "occi.core.title": "bell \u{7} and\nnewline" }
    })
    .to_string();
    let r = call(
        &mut b,
        Method::POST,
        "/compute/",
        &[("content-type", "application/occi+json")],
        &body,
    );
    assert_eq!(r.status(), StatusCode::CREATED);
    for accept in ["text/plain", "text/occi"] {
        let r = call(
            &mut b,
            Method::GET,
            "/compute/ctl",
            &[("accept", accept)],
            "",
        );
        assert_eq!(r.status(), StatusCode::NOT_ACCEPTABLE, "{accept}");
        assert_eq!(
            text(&r),
            format!(
                "{accept}: cannot be rendered: a control character in a quoted-string at line 1, column 1\n"
            )
        );
        assert!(r.headers().get("x-occi-attribute").is_none());
    }
    // JSON carries it.
    let r = call(
        &mut b,
        Method::GET,
        "/compute/ctl",
        &[("accept", "application/occi+json")],
        "",
    );
    assert_eq!(r.status(), StatusCode::OK);
    let v: serde_json::Value = serde_json::from_slice(r.body()).unwrap();
    assert_eq!(
        v["attributes"]["occi.core.title"],
        "bell \u{7} and\nnewline"
    );
}

// ---- 8: actions and associations answer with renderings; unavailable actions are 400 --------

const STOP: &str = "Category: stop; scheme=\"http://schemas.ogf.org/occi/infrastructure/compute/action#\"; class=\"action\"\nX-OCCI-Attribute: method=\"graceful\"\n";
const UP: &str = "Category: up; scheme=\"http://schemas.ogf.org/occi/infrastructure/network/action#\"; class=\"action\"\n";
const TAG: &str = "Category: prod; scheme=\"http://example.org/tags#\"; class=\"mixin\"; location=\"/tags/prod/\"\n";

#[test]
fn item08_actions_and_associations_render_and_check_availability() {
    let mut b = backend();
    let vm = create(&mut b, COMPUTE);
    // An action on an entity answers with the entity's rendering (GFD.223 §10.3.2).
    let r = call(
        &mut b,
        Method::POST,
        &format!("{vm}?action=stop"),
        &[],
        STOP,
    );
    assert_eq!(r.status(), StatusCode::OK, "{}", text(&r));
    assert_eq!(r.headers()["content-type"], "text/plain");
    let m = read_back(&r);
    assert_eq!(m.kind().unwrap().term, "compute");
    assert_eq!(
        m.attribute("occi.core.title"),
        Some(&AttributeValue::String("vm1".into()))
    );
    // An action the entity's kind does not define is a Bad Request (GFD.185 §3.4.4).
    let r = call(&mut b, Method::POST, &format!("{vm}?action=up"), &[], UP);
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        text(&r),
        format!(
            "action http://schemas.ogf.org/occi/infrastructure/network/action#up is not available on {vm}\n"
        )
    );
    // On a kind collection: the collection rendering.
    let r = call(&mut b, Method::POST, "/compute/?action=stop", &[], STOP);
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(text(&r), format!("X-OCCI-Location: {vm}\n"));
    let r = call(&mut b, Method::POST, "/compute/?action=up", &[], UP);
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = call(&mut b, Method::POST, "/network/?action=up", &[], UP);
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "empty network collection: the kind's own action"
    );
    assert_eq!(text(&r), "");
    // Mixin association answers with the mixin's collection (GFD.223 §11.3.2, §11.2).
    assert_eq!(
        call(&mut b, Method::POST, "/-/", &[], TAG).status(),
        StatusCode::OK
    );
    let other = create(&mut b, &COMPUTE.replace("vm1", "vm2"));
    let r = call(
        &mut b,
        Method::POST,
        "/tags/prod/",
        &[],
        &format!("X-OCCI-Location: {vm}\n"),
    );
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(text(&r), format!("X-OCCI-Location: {vm}\n"));
    let r = call(
        &mut b,
        Method::PUT,
        "/tags/prod/",
        &[],
        &format!("X-OCCI-Location: {other}\n"),
    );
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(text(&r), format!("X-OCCI-Location: {other}\n"));
    // An action on a mixin collection reaches its members (it answered 404).
    let r = call(&mut b, Method::POST, "/tags/prod/?action=stop", &[], STOP);
    assert_eq!(r.status(), StatusCode::OK, "{}", text(&r));
    assert_eq!(text(&r), format!("X-OCCI-Location: {other}\n"));
    let r = call(&mut b, Method::POST, "/tags/prod/?action=up", &[], UP);
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

// ---- 9: JSON entity collections are {"resources": […]} / {"links": […]} (GFD.225 §3.3) --------

#[test]
fn item09_json_collections() {
    let mut b = backend();
    let json = [("accept", "application/occi+json")];
    let get = |b: &mut MemoryBackend, path: &str| {
        let r = call(b, Method::GET, path, &json, "");
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(r.headers()["content-type"], "application/occi+json");
        serde_json::from_slice::<serde_json::Value>(r.body()).unwrap()
    };
    assert_eq!(
        get(&mut b, "/compute/"),
        serde_json::json!({ "resources": [] })
    );
    assert_eq!(
        get(&mut b, "/networkinterface/"),
        serde_json::json!({ "links": [] })
    );
    let vm = create(&mut b, COMPUTE);
    let v = get(&mut b, "/compute/");
    assert_eq!(v.as_object().unwrap().len(), 1, "{v}");
    let members = v["resources"].as_array().unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0]["kind"], format!("{INFRA}compute"));
    assert_eq!(members[0]["id"], "1");
    assert_eq!(members[0]["attributes"]["occi.compute.cores"], 2);
    // Paging past the end: an empty collection, still an object.
    assert_eq!(
        get(&mut b, "/compute/?page=3&number=1"),
        serde_json::json!({ "resources": [] })
    );
    // Our own JSON reader takes the collection back as entities.
    let r = call(&mut b, Method::GET, "/compute/", &json, "");
    let m = read_back(&r);
    assert_eq!(m.entities.len(), 1);
    assert_eq!(
        m.entities[0].attribute("occi.core.id"),
        Some(&AttributeValue::String("1".into()))
    );
    // A 201 in JSON carries the new entity (its location is in Location).
    let r = call(
        &mut b,
        Method::POST,
        "/compute/",
        &[("accept", "application/occi+json")],
        &COMPUTE.replace("vm1", "vm2"),
    );
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.headers()["location"], "/compute/2");
    let v: serde_json::Value = serde_json::from_slice(r.body()).unwrap();
    assert_eq!(v["id"], "2");
    assert_eq!(v["attributes"]["occi.core.title"], "vm2");
    assert!(vm.ends_with('1'));
}

// ---- 10: creating needs one full entity rendering (GFD.223 §11.3.1) -------------------------

#[test]
fn item10_create_needs_one_entity_with_one_kind() {
    let mut b = backend();
    let two_kinds = format!("{COMPUTE}Category: network; scheme=\"{INFRA}\"; class=\"kind\"\n");
    for (headers, body, why) in [
        (vec![], String::new(), "0 kinds"),
        (
            vec![("content-type", "text/uri-list")],
            "/compute/9\r\n".to_owned(),
            "0 kinds and a collection",
        ),
        (
            vec![],
            "X-OCCI-Attribute: occi.core.title=\"x\"\n".to_owned(),
            "0 kinds",
        ),
        (vec![], two_kinds.clone(), "2 kinds"),
    ] {
        let r = call(&mut b, Method::POST, "/compute/", &headers, &body);
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{body:?}");
        assert_eq!(
            text(&r),
            format!("an entity instance rendering with exactly one kind is needed (got {why})\n")
        );
    }
    let r = call(&mut b, Method::PUT, "/compute/x", &[], &two_kinds);
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(b.entities().is_empty(), "{:?}", b.entities().keys());
    // The kind must be the collection's.
    let r = call(&mut b, Method::POST, "/network/", &[], COMPUTE);
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(text(&r), "the entity's kind is not the collection's\n");
    assert!(b.entities().is_empty());
    assert_eq!(create(&mut b, COMPUTE), "/compute/1");
}

// ---- 11: user mixin locations are paths of collections that shadow nothing --------------------

#[test]
fn item11_user_mixin_locations() {
    let mut b = backend();
    let vm = create(&mut b, COMPUTE);
    let mixin = |term: &str, location: &str| {
        format!(
            "Category: {term}; scheme=\"http://example.org/tags#\"; class=\"mixin\"; location=\"{location}\"\n"
        )
    };
    for (location, status, message) in [
        (
            "/compute/",
            StatusCode::CONFLICT,
            "/compute/ is already in use",
        ),
        ("/-/", StatusCode::CONFLICT, "/-/ is already in use"),
        (
            "/.well-known/org/ogf/occi/-/",
            StatusCode::CONFLICT,
            "/.well-known/org/ogf/occi/-/ is already in use",
        ),
        (
            "/my_stuff",
            StatusCode::BAD_REQUEST,
            "mixin location \"/my_stuff\" must end in '/', as a collection does",
        ),
        (
            "my_stuff/",
            StatusCode::BAD_REQUEST,
            "mixin location \"my_stuff/\" is not a URL path",
        ),
        (
            "/my_stuff/?x#y",
            StatusCode::BAD_REQUEST,
            "mixin location \"/my_stuff/?x#y\" is not a URL path",
        ),
    ] {
        let r = call(&mut b, Method::POST, "/-/", &[], &mixin("t", location));
        assert_eq!(r.status(), status, "{location}");
        assert_eq!(text(&r), format!("{message}\n"));
    }
    // An entity's path (PUT made one ending in '/').
    assert_eq!(
        call(&mut b, Method::PUT, "/odd/", &[], COMPUTE).status(),
        StatusCode::CREATED
    );
    let r = call(&mut b, Method::POST, "/-/", &[], &mixin("t", "/odd/"));
    assert_eq!(r.status(), StatusCode::CONFLICT);
    // Two new mixins at one location: the second conflicts, and neither is added.
    let both = format!("{}{}", mixin("a", "/same/"), mixin("b", "/same/"));
    let r = call(&mut b, Method::POST, "/-/", &[], &both);
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(text(&r), "/same/ is already in use\n");
    let r = call(&mut b, Method::GET, "/same/", &[], "");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // An absolute location (GFD.185's example) is bound to its path, which then routes.
    let r = call(
        &mut b,
        Method::POST,
        "/-/",
        &[],
        &mixin("my_stuff", "http://example.com/my_stuff/"),
    );
    assert_eq!(r.status(), StatusCode::OK, "{}", text(&r));
    let r = call(
        &mut b,
        Method::GET,
        "/-/",
        &[],
        &mixin("my_stuff", "http://example.com/my_stuff/"),
    );
    assert_eq!(
        read_back(&r).categories[0].location.as_deref(),
        Some("/my_stuff/")
    );
    let r = call(
        &mut b,
        Method::POST,
        "/my_stuff/",
        &[],
        &format!("X-OCCI-Location: {vm}\n"),
    );
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(text(&r), format!("X-OCCI-Location: {vm}\n"));
    // The compute collection is still the compute collection.
    let r = call(&mut b, Method::GET, "/compute/", &[], "");
    assert_eq!(
        text(&r),
        format!("X-OCCI-Location: {vm}\nX-OCCI-Location: /odd/\n")
    );
}

// ---- 13: OCCI/2 without a minor version is newer than 1.2 (GFD.223 §5.3: 501) ------------------

#[test]
fn item13_major_only_versions() {
    let mut b = backend();
    for (ua, status) in [
        ("OCCI/2", StatusCode::NOT_IMPLEMENTED),
        ("occi-cli/1.0 OCCI/2", StatusCode::NOT_IMPLEMENTED),
        ("OCCI/1", StatusCode::OK),
        ("OCCI/1.2", StatusCode::OK),
        ("OCCI/1.3", StatusCode::NOT_IMPLEMENTED),
    ] {
        let r = call(&mut b, Method::GET, "/-/", &[("user-agent", ua)], "");
        assert_eq!(r.status(), status, "{ua}");
    }
    let r = call(&mut b, Method::GET, "/-/", &[("user-agent", "OCCI/2")], "");
    assert_eq!(
        text(&r),
        "OCCI/2.0 is not supported; this server speaks OCCI/1.2\n"
    );
}

// ---- 15: number=0 is a Bad Request, not an endless empty page --------------------------------

#[test]
fn item15_page_size_zero_is_400() {
    let mut b = backend();
    create(&mut b, COMPUTE);
    let r = call(&mut b, Method::GET, "/compute/?page=0&number=0", &[], "");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(text(&r), "number must be at least 1\n");
    let r = call(&mut b, Method::GET, "/compute/?page=0&number=1", &[], "");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(text(&r), "X-OCCI-Location: /compute/1\n");
}

// ---- 17: text/occi messages are bounded by max_body_bytes -------------------------------------

#[test]
fn item17_text_occi_message_body_limit() {
    use occi_render_http::{ErrorKind, Limits, MediaType};
    let message = format!("HTTP/1.1 200 OK\n{COMPUTE}\nOK\n");
    let small = Parser::new(Mode::Lenient).with_limits(Limits::default().with_max_body_bytes(64));
    for err in [
        small.parse_occi_message(&message).unwrap_err(),
        small
            .parse(MediaType::TextOcci, message.as_bytes())
            .unwrap_err(),
    ] {
        assert_eq!(
            err.kind(),
            &ErrorKind::BodyTooLarge {
                limit: 64,
                actual: message.len()
            }
        );
    }
    let roomy = Parser::new(Mode::Lenient)
        .with_limits(Limits::default().with_max_body_bytes(message.len()));
    let m = roomy.parse_occi_message(&message).unwrap().message;
    assert_eq!(m.kind().unwrap().term, "compute");
}

// ---- 18: RouterOptions limits and budget reach handle() ---------------------------------------

#[test]
fn item18_router_limits_and_budget() {
    use occi_render_http::{HeaderBudget, Limits};
    let mut b = backend();
    let limited = RouterOptions::default().with_limits(Limits::default().with_max_body_bytes(100));
    // Over the body limit: 413 (GFD.223 §5.4), and nothing is created.
    let r = call_with(&mut b, &limited, Method::POST, "/compute/", &[], COMPUTE);
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        text(&r),
        format!(
            "body of {} bytes exceeds the limit of 100 bytes at line 1, column 1\n",
            COMPUTE.len()
        )
    );
    assert!(b.entities().is_empty());
    // Too many text/occi header fields for max_lines.
    let few = RouterOptions::default().with_limits(Limits::default().with_max_lines(2));
    let category = format!("compute; scheme=\"{INFRA}\"; class=\"kind\"");
    let r = call_with(
        &mut b,
        &few,
        Method::POST,
        "/compute/",
        &[
            ("content-type", b"text/occi"),
            ("category", category.as_bytes()),
            ("x-occi-attribute", b"occi.core.title=\"a\""),
            ("x-occi-attribute", b"occi.compute.cores=1"),
        ],
        "",
    );
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE, "{}", text(&r));
    assert_eq!(
        text(&r),
        "more than 2 lines or header fields at line 3, column 1\n"
    );
    // Under the defaults the same requests succeed.
    let loc = create(&mut b, COMPUTE);
    // A text/occi answer over the header budget falls back to a text/plain body.
    let tight = RouterOptions::default().with_budget(HeaderBudget::new(40, 1000));
    let r = call_with(
        &mut b,
        &tight,
        Method::GET,
        &loc,
        &[("accept", b"text/occi")],
        "",
    );
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/plain");
    assert!(r.headers().get("category").is_none());
    assert!(
        text(&r).starts_with("Category: compute; scheme="),
        "{}",
        text(&r)
    );
    assert_eq!(read_back(&r).kind().unwrap().term, "compute");
    // Within the default budget: header fields and the body OK.
    let r = call(&mut b, Method::GET, &loc, &[("accept", "text/occi")], "");
    assert_eq!(r.headers()["content-type"], "text/occi");
    assert_eq!(text(&r), "OK\n");
}
