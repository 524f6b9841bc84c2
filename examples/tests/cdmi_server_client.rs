//! The `cdmi_server` example on 127.0.0.1:0: both roots on one store, bearer tokens, the
//! filesystem backend, driven by `cdmi::client`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../cdmi_server.rs"]
mod server;

use cdmi::client::{Client, ClientError};
use cdmi::object::{Body, Mode, Object, Value};
use cdmi::server::fs::FsStorage;
use cdmi::{ObjectType, Version};
use std::sync::Arc;

fn client(base: &str, version: Version, token: &str) -> Client {
    let mut h = reqwest::header::HeaderMap::new();
    h.insert("Authorization", format!("Bearer {token}").parse().unwrap());
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(h)
        .build()
        .unwrap();
    Client::with_client(http, base, version)
}

#[tokio::test]
async fn both_roots_share_the_objects() {
    let dir = std::env::temp_dir().join(format!("cdmi-example-{}", std::process::id()));
    let storage = Arc::new(FsStorage::new(&dir).unwrap());
    let app = server::app(storage, "alice", server::tokens("t1=alice,t2=bob")).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });

    let v2 = client(&format!("http://{addr}/cdmi/2.0.0/"), Version::V2_0_0, "t1");
    let v1 = client(&format!("http://{addr}/"), Version::V1_1_1, "t1");
    let o = Object::parse(
        r#"{"value":"shared"}"#,
        ObjectType::DataObject,
        Mode::Strict,
    )
    .unwrap()
    .object;
    v2.put("x.txt", &o).await.unwrap();
    let read = v1
        .read("x.txt", ObjectType::DataObject, None)
        .await
        .unwrap();
    let Body::DataObject(d) = &read.body else {
        panic!()
    };
    assert_eq!(d.value, Some(Value::Text("shared".into())));
    assert_eq!(
        read.parent_uri.as_deref(),
        Some("/"),
        "the 1.x root names it below /"
    );

    // bob reads, may not write; a wrong token is the anonymous.
    let bob = client(&format!("http://{addr}/cdmi/2.0.0/"), Version::V2_0_0, "t2");
    assert!(bob.get_value("x.txt", None).await.is_ok());
    match bob.put("y.txt", &o).await {
        Err(ClientError::Status { status, .. }) => assert_eq!(status, 403),
        other => panic!("{other:?}"),
    }
    let stranger = client(
        &format!("http://{addr}/cdmi/2.0.0/"),
        Version::V2_0_0,
        "nope",
    );
    match stranger.get_value("x.txt", None).await {
        Err(ClientError::Status { status, .. }) => assert_eq!(status, 401),
        other => panic!("{other:?}"),
    }
    let caps = v2
        .read(
            "cdmi_capabilities/dataobject/",
            ObjectType::Capability,
            None,
        )
        .await
        .unwrap();
    let Body::Capability(c) = &caps.body else {
        panic!()
    };
    assert!(c.capabilities.as_ref().unwrap().get_str("cdmi_read_value") == Some("true"));
    std::fs::remove_dir_all(&dir).unwrap();
}
