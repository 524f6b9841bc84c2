//! The `occi_server` example on 127.0.0.1:0 driven by the `occi_client` example's session, in
//! each request media type.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../occi_server.rs"]
mod server;

#[path = "../occi_client.rs"]
mod client_session;

use occi_render_http::MediaType;
use occi_render_http::client::Client;

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
        assert!(log[0].starts_with("the server publishes "), "{log:?}");
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
