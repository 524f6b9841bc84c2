//! The HTTP protocol (GFD.223) through `protocol::handle` and the in-memory backend.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use common::{COMPUTE, request, text};
use http::{Method, Request, Response, StatusCode};
use occi_model::{Model, OcciVersion};
use occi_render_http::protocol::{MemoryBackend, RouterOptions, handle};
use occi_render_http::{Mode, Parser};

fn backend() -> MemoryBackend {
    MemoryBackend::new(Model::infrastructure(OcciVersion::V1_2)).with_max_page_size(2)
}

fn call(
    b: &mut MemoryBackend,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Response<Vec<u8>> {
    let headers: Vec<(&str, &[u8])> = headers.iter().map(|(n, v)| (*n, v.as_bytes())).collect();
    handle(
        b,
        &request(method, uri, &headers, body.as_bytes()),
        &RouterOptions::default(),
    )
}

#[test]
fn query_interface_and_user_mixins() {
    let mut b = backend();
    for path in ["/-/", "/.well-known/org/ogf/occi/-/"] {
        let r = call(&mut b, Method::GET, path, &[], "");
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["server"], "OCCI/1.2");
        assert_eq!(r.headers()["content-type"], "text/plain");
        let m = Parser::new(Mode::Strict12)
            .parse_plain(&text(&r))
            .unwrap()
            .message;
        assert!(m.categories.len() > 20, "{}", m.categories.len());
    }
    // Filtered by a class-less category (occi-wg's 1.1 tests do this).
    let r = call(
        &mut b,
        Method::GET,
        "/-/",
        &[],
        "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"\n",
    );
    let m = Parser::new(Mode::Strict12)
        .parse_plain(&text(&r))
        .unwrap()
        .message;
    assert_eq!(m.categories.len(), 1);
    assert_eq!(m.categories[0].location.as_deref(), Some("/compute/"));
    // JSON.
    let r = call(
        &mut b,
        Method::GET,
        "/-/",
        &[("accept", "application/occi+json")],
        "",
    );
    let v: serde_json::Value = serde_json::from_slice(r.body()).unwrap();
    assert!(v["kinds"].as_array().unwrap().len() >= 8);
    // A user mixin, then its collection.
    let tag = "Category: prod; scheme=\"http://example.org/tags#\"; class=\"mixin\"; location=\"/tags/prod/\"\n";
    assert_eq!(
        call(&mut b, Method::POST, "/-/", &[], tag).status(),
        StatusCode::OK
    );
    assert_eq!(
        call(&mut b, Method::POST, "/-/", &[], tag).status(),
        StatusCode::CONFLICT
    );
    let created = call(&mut b, Method::POST, "/compute/", &[], COMPUTE);
    let loc = created.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        call(
            &mut b,
            Method::POST,
            "/tags/prod/",
            &[],
            &format!("X-OCCI-Location: {loc}\n")
        )
        .status(),
        StatusCode::OK
    );
    let r = call(
        &mut b,
        Method::GET,
        "/tags/prod/",
        &[("accept", "text/uri-list")],
        "",
    );
    assert_eq!(text(&r), format!("{loc}\r\n"));
    assert_eq!(
        call(&mut b, Method::DELETE, "/-/", &[], tag).status(),
        StatusCode::OK
    );
    assert_eq!(
        call(&mut b, Method::GET, "/tags/prod/", &[], "").status(),
        StatusCode::NOT_FOUND
    );
}

#[test]
fn entity_lifecycle() {
    let mut b = backend();
    let r = call(&mut b, Method::POST, "/compute/", &[], COMPUTE);
    assert_eq!(r.status(), StatusCode::CREATED);
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(loc, "/compute/1");
    // GET in each rendering.
    let r = call(&mut b, Method::GET, &loc, &[], "");
    assert!(text(&r).contains("X-OCCI-Attribute: occi.compute.cores=2"));
    let r = call(&mut b, Method::GET, &loc, &[("accept", "text/occi")], "");
    assert_eq!(r.headers()["content-type"], "text/occi");
    assert_eq!(text(&r), "OK\n");
    assert!(
        r.headers()["x-occi-attribute"]
            .to_str()
            .unwrap()
            .contains("occi.compute.cores=2")
    );
    let r = call(
        &mut b,
        Method::GET,
        &loc,
        &[("accept", "application/occi+json")],
        "",
    );
    let v: serde_json::Value = serde_json::from_slice(r.body()).unwrap();
    assert_eq!(v["attributes"]["occi.compute.cores"], 2);
    assert_eq!(
        call(
            &mut b,
            Method::GET,
            &loc,
            &[("accept", "text/uri-list")],
            ""
        )
        .status(),
        StatusCode::BAD_REQUEST
    );
    // Partial update (POST), sent as text/occi headers.
    let r = call(
        &mut b,
        Method::POST,
        &loc,
        &[
            ("content-type", "text/occi"),
            (
                "x-occi-attribute",
                "occi.compute.cores=4, occi.core.title=\"a, b\"",
            ),
        ],
        "",
    );
    assert_eq!(r.status(), StatusCode::OK, "{}", text(&r));
    assert!(text(&r).contains("occi.compute.cores=4"));
    assert!(text(&r).contains("occi.core.title=\"a, b\""));
    // An action.
    let stop = "Category: stop; scheme=\"http://schemas.ogf.org/occi/infrastructure/compute/action#\"; class=\"action\"\nX-OCCI-Attribute: method=\"graceful\"\n";
    let r = call(
        &mut b,
        Method::POST,
        &format!("{loc}?action=stop"),
        &[],
        stop,
    );
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/plain");
    // The answer is the entity's rendering (GFD.223 §10.3.2).
    let m = Parser::new(Mode::Strict12)
        .parse_plain(&text(&r))
        .unwrap()
        .message;
    assert_eq!(m.kind().unwrap().term, "compute");
    assert_eq!(
        m.attribute("occi.compute.cores"),
        Some(&occi_model::AttributeValue::Integer(4))
    );
    assert_eq!(
        call(
            &mut b,
            Method::POST,
            &format!("{loc}?action=start"),
            &[],
            stop
        )
        .status(),
        StatusCode::BAD_REQUEST
    );
    // PUT creates at a path and replaces.
    let r = call(&mut b, Method::PUT, "/compute/mine", &[], COMPUTE);
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.headers()["location"], "/compute/mine");
    let r = call(&mut b, Method::PUT, "/compute/mine", &[], COMPUTE);
    assert_eq!(r.status(), StatusCode::OK);
    // DELETE.
    assert_eq!(
        call(&mut b, Method::DELETE, &loc, &[], "").status(),
        StatusCode::OK
    );
    assert_eq!(
        call(&mut b, Method::GET, &loc, &[], "").status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(&mut b, Method::PATCH, "/compute/mine", &[], "").status(),
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[test]
fn collections_filters_paging() {
    let mut b = backend();
    for i in 0..3 {
        let body = COMPUTE.replace("vm1", &format!("vm{i}"));
        assert_eq!(
            call(&mut b, Method::POST, "/compute/", &[], &body).status(),
            StatusCode::CREATED
        );
    }
    let r = call(&mut b, Method::GET, "/compute/", &[], "");
    assert_eq!(
        text(&r),
        "X-OCCI-Location: /compute/1\nX-OCCI-Location: /compute/2\nX-OCCI-Location: /compute/3\n"
    );
    // The resource kind's collection includes its sub-kinds' members.
    let r = call(
        &mut b,
        Method::GET,
        "/resource/",
        &[("accept", "application/occi+json")],
        "",
    );
    let v: serde_json::Value = serde_json::from_slice(r.body()).unwrap();
    let titles: Vec<&str> = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["attributes"]["occi.core.title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["vm0", "vm1", "vm2"]);
    // Attribute filter.
    let r = call(
        &mut b,
        Method::GET,
        "/compute/",
        &[],
        "X-OCCI-Attribute: occi.core.title=\"vm2\"\n",
    );
    assert_eq!(text(&r), "X-OCCI-Location: /compute/3\n");
    // Paging: past the end is empty, too large a page is 413.
    let r = call(
        &mut b,
        Method::GET,
        "/compute/?page=1&number=2",
        &[("accept", "text/uri-list")],
        "",
    );
    assert_eq!(text(&r), "/compute/3\r\n");
    let r = call(
        &mut b,
        Method::GET,
        "/compute/?page=5&number=2",
        &[("accept", "text/uri-list")],
        "",
    );
    assert_eq!(text(&r), "");
    let r = call(&mut b, Method::GET, "/compute/?number=3", &[], "");
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // DELETE on a kind's collection deletes its members.
    assert_eq!(
        call(&mut b, Method::DELETE, "/compute/", &[], "").status(),
        StatusCode::OK
    );
    assert_eq!(text(&call(&mut b, Method::GET, "/compute/", &[], "")), "");
}

#[test]
fn versioning_negotiation_and_errors() {
    let mut b = backend();
    let r = call(
        &mut b,
        Method::GET,
        "/-/",
        &[("user-agent", "occi-cli/2 OCCI/1.3")],
        "",
    );
    assert_eq!(r.status(), StatusCode::NOT_IMPLEMENTED);
    assert_eq!(r.headers()["server"], "OCCI/1.2");
    assert_eq!(
        call(
            &mut b,
            Method::GET,
            "/-/",
            &[("user-agent", "OCCI/1.1")],
            ""
        )
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        call(&mut b, Method::GET, "/-/", &[("accept", "image/png")], "").status(),
        StatusCode::NOT_ACCEPTABLE
    );
    assert_eq!(
        call(&mut b, Method::GET, "/-/", &[("accept", "*/*")], "").headers()["content-type"],
        "text/plain"
    );
    let r = call(
        &mut b,
        Method::POST,
        "/compute/",
        &[],
        "Category: compute; scheme=\"http://x",
    );
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        text(&r),
        "unterminated quoted-string at line 1, column 27\n"
    );
    let r = call(
        &mut b,
        Method::POST,
        "/compute/",
        &[("content-type", "application/xml")],
        "<x/>",
    );
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // Strict servers refuse what lenient ones accept.
    let strict = RouterOptions::default().with_mode(Mode::Strict12);
    let req = Request::builder()
        .method(Method::POST)
        .uri("/compute/")
        .body(COMPUTE.replace("; ", ";").into_bytes())
        .unwrap();
    let r = handle(&mut b, &req, &strict);
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        text(&r),
        "not allowed in strict mode: separator-spacing at line 1, column 18\n"
    );
    assert!(b.entities().is_empty());
    // The same request to a lenient server creates the entity.
    let r = handle(&mut b, &req, &RouterOptions::default());
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.headers()["location"], "/compute/1");
    assert_eq!(b.entities().len(), 1);
}
