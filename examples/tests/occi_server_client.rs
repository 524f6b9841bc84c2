//! The `occi_server` example on 127.0.0.1:0 driven by the `occi_client` example's session, in
//! each request media type.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../occi_server.rs"]
mod server;

#[path = "../occi_client.rs"]
mod client_session;

use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, Response, header};
use occi_render_http::client::Client;
use occi_render_http::occi_model::{AttributeValue, CategoryClass};
use occi_render_http::protocol::{MemoryBackend, RouterOptions, handle};
use occi_render_http::{CategoryRendering, MediaType, Message};
use std::sync::{Arc, Mutex};

/// A compute resource titled `title`.
fn compute(title: &str) -> Message {
    let mut vm = Message::new();
    vm.categories.push(CategoryRendering::new(
        "compute",
        "http://schemas.ogf.org/occi/infrastructure#",
        CategoryClass::Kind,
    ));
    vm.attributes.push((
        "occi.core.title".into(),
        AttributeValue::String(title.into()),
    ));
    vm
}

/// A server like the example's whose `Location` answers are absolute URLs
/// (`http://host:port/compute/1`), as RFC 7231 and GFD.185's examples have them.
async fn absolute_locations(
    State((backend, origin)): State<(Arc<Mutex<MemoryBackend>>, String)>,
    request: Request<Body>,
) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let request = Request::from_parts(parts, bytes);
    let mut response = handle(
        &mut *backend.lock().unwrap(),
        &request,
        &RouterOptions::default(),
    );
    if let Some(l) = response.headers().get(header::LOCATION) {
        let absolute = format!("{origin}{}", l.to_str().unwrap());
        response
            .headers_mut()
            .insert(header::LOCATION, absolute.parse().unwrap());
    }
    response.map(Body::from)
}

#[tokio::test]
async fn client_follows_absolute_locations() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let state = (Arc::new(Mutex::new(server::egi_backend())), origin.clone());
    let app = axum::Router::new()
        .fallback(absolute_locations)
        .with_state(state);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::new(origin.clone());
    let location = client.create("/compute/", &compute("abs")).await.unwrap();
    assert_eq!(location, format!("{origin}/compute/1"));
    let back = client.get(&location).await.unwrap();
    assert_eq!(
        back.attribute("occi.core.title"),
        Some(&AttributeValue::String("abs".into()))
    );
    client.delete(&location).await.unwrap();
    assert!(client.list("/compute/").await.unwrap().is_empty());
    // A base URL that is none is a typed error, not a panic or a transport failure.
    let err = Client::new("no base").get("/-/").await.unwrap_err();
    assert!(err.to_string().starts_with("invalid URL: "), "{err}");
}

#[tokio::test]
async fn server_and_client_examples_talk() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, server::app(server::egi_backend()))
            .await
            .unwrap();
    });
    for media in [MediaType::TextPlain, MediaType::TextOcci, MediaType::Json] {
        let client = Client::new(format!("http://{addr}")).with_media_type(media);
        let log = client_session::session(&client).await.unwrap();
        // The EGI model: Infrastructure 1.2, CRTP and the EGI mixins.
        let published: usize = log[0]
            .strip_prefix("the server publishes ")
            .and_then(|rest| rest.strip_suffix(" categories"))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{log:?}"));
        assert!(published > 30, "{log:?}");
        assert!(log[1].starts_with("created /compute/"), "{log:?}");
        assert_eq!(log[2], "title worker \"1\"; eu, west", "{media}");
        assert_eq!(log[3], "stopped");
        assert_eq!(log[4], "1 in /compute/");
        assert_eq!(log[5], "deleted; 0 left");
    }
    // The server refuses a newer OCCI version.
    let r = reqwest::Client::new()
        .get(format!("http://{addr}/-/"))
        .header("User-Agent", "OCCI/2.0")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 501);
    assert_eq!(r.headers()["server"], "OCCI/1.2");
}

#[tokio::test]
async fn oversized_bodies_get_413_with_the_server_token() {
    use occi_render_http::Limits;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let options = RouterOptions::default().with_limits(Limits::default().with_max_body_bytes(1024));
    tokio::spawn(async move {
        axum::serve(
            listener,
            server::app_with_options(server::egi_backend(), options),
        )
        .await
        .unwrap();
    });
    let post = |body: String| {
        reqwest::Client::new()
            .post(format!("http://{addr}/compute/"))
            .header("Content-Type", "text/plain")
            .body(body)
            .send()
    };
    let big = format!(
        "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\nX-OCCI-Attribute: occi.core.title=\"{}\"\n",
        "x".repeat(2000)
    );
    let r = post(big).await.unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(r.headers()["server"], "OCCI/1.2");
    assert_eq!(r.headers()["content-type"], "text/plain");
    assert_eq!(
        r.text().await.unwrap(),
        "request body larger than 1024 bytes\n"
    );
    let small = "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\nX-OCCI-Attribute: occi.core.title=\"ok\"\n";
    let r = post(small.to_owned()).await.unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["location"], "/compute/1");
}

/// The backend and the `Content-Type`s seen so far.
type Recording = (Arc<Mutex<MemoryBackend>>, Arc<Mutex<Vec<String>>>);

/// A server like the example's that records the `Content-Type` of each request.
async fn recording(
    State((backend, seen)): State<Recording>,
    request: Request<Body>,
) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let request = Request::from_parts(parts, bytes);
    seen.lock().unwrap().push(
        request
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default(),
    );
    let response = handle(
        &mut *backend.lock().unwrap(),
        &request,
        &RouterOptions::default(),
    );
    response.map(Body::from)
}

#[tokio::test]
async fn client_limits_and_budget() {
    use occi_render_http::client::ClientError;
    use occi_render_http::{HeaderBudget, Limits};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = (Arc::new(Mutex::new(server::egi_backend())), seen.clone());
    let app = axum::Router::new().fallback(recording).with_state(state);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    // The answer body is read up to max_body_bytes and no further.
    let small = Client::new(origin.clone()).with_limits(Limits::default().with_max_body_bytes(512));
    match small.query_interface().await {
        Err(ClientError::AnswerTooLarge { limit }) => assert_eq!(limit, 512),
        other => panic!("expected AnswerTooLarge, got {other:?}"),
    }
    // The other limits bound the parse of the answer.
    let few = Client::new(origin.clone()).with_limits(Limits::default().with_max_lines(5));
    match few.query_interface().await {
        Err(ClientError::Content(e)) => {
            assert_eq!(
                e.message,
                "more than 5 lines or header fields at line 6, column 1"
            );
        }
        other => panic!("expected a Content error, got {other:?}"),
    }
    let all = Client::new(origin.clone()).query_interface().await.unwrap();
    assert!(all.categories.len() > 20, "{}", all.categories.len());

    // text/occi requests within the default budget go as header fields; over a tight
    // budget, as a text/plain body.
    let occi = Client::new(origin.clone()).with_media_type(MediaType::TextOcci);
    occi.create("/compute/", &compute("fits")).await.unwrap();
    let tight = occi.clone().with_budget(HeaderBudget::new(40, 1000));
    let location = tight
        .create("/compute/", &compute("does not fit"))
        .await
        .unwrap();
    let back = tight.get(&location).await.unwrap();
    assert_eq!(
        back.attribute("occi.core.title"),
        Some(&AttributeValue::String("does not fit".into()))
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[3], "text/occi", "{seen:?}");
    assert_eq!(seen[4], "text/plain", "{seen:?}");
}
