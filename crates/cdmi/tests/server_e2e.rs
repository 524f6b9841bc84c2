//! The server core end to end: the client talks HTTP to the server (axum on loopback) on the
//! in-memory, filesystem and object_store backends, through a 1.x root and a 2.x root.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cdmi::acl::{Ace, AceFlags, AceType, Acl, Mask};
use cdmi::client::{Client, ClientError};
use cdmi::http::Endpoint;
use cdmi::multipart::ValuePart;
use cdmi::object::{Body, Mode, Object, Value};
use cdmi::query::Range;
use cdmi::query::{Dialect, Selection};
use cdmi::server::fs::FsStorage;
use cdmi::server::object_store::ObjectStoreStorage;
use cdmi::server::{Config, MemoryStorage, Principal, Server, Storage};
use cdmi::{ObjectType, Version};
use http::StatusCode;
use std::sync::Arc;

const USER_HEADER: &str = "x-test-user";

async fn serve<S: Storage>(
    axum::extract::State(server): axum::extract::State<Arc<Server<S>>>,
    req: axum::extract::Request,
) -> axum::response::Response {
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 24).await else {
        return axum::response::Response::builder()
            .status(413)
            .body(axum::body::Body::empty())
            .unwrap();
    };
    let who = parts
        .headers
        .get(USER_HEADER)
        .and_then(|v| v.to_str().ok())
        .map_or_else(Principal::anonymous, Principal::user);
    let answer = server
        .handle(&who, http::Request::from_parts(parts, bytes.to_vec()))
        .await;
    answer.map(axum::body::Body::from)
}

fn config(endpoint: Endpoint) -> Config {
    let mut c = Config::new(endpoint, 53_063);
    c.root_owner = "alice".into();
    // The default root ACL, and traversal for every authenticated user.
    let mut acl = Acl::default_root();
    acl.0.push(Ace::new(
        AceType::Allow,
        "AUTHENTICATED@",
        AceFlags::OBJECT_INHERIT | AceFlags::CONTAINER_INHERIT,
        Mask::TRAVERSE_CONTAINER,
    ));
    c.root_acl = acl;
    c
}

/// Starts a server on loopback; the base URL of its root.
async fn start<S: Storage>(storage: S, endpoint: Endpoint) -> (String, Arc<Server<S>>) {
    let root = endpoint.root().to_owned();
    let server = Arc::new(Server::new(storage, config(endpoint)).unwrap());
    let app = axum::Router::new()
        .fallback(serve::<S>)
        .with_state(Arc::clone(&server));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}{root}"), server)
}

fn client(base: &str, version: Version, user: Option<&str>) -> Client {
    let mut headers = http::HeaderMap::new();
    if let Some(u) = user {
        headers.insert(USER_HEADER, u.parse().unwrap());
    }
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap();
    Client::with_client(http, base, version)
}

fn obj(json: &str, t: ObjectType) -> Object {
    Object::parse(json, t, Mode::Strict).unwrap().object
}

fn sel(q: &str, version: Version) -> Selection {
    let d = if version.is_v2() {
        Dialect::V2
    } else {
        Dialect::V1
    };
    Selection::parse(q, d, false).unwrap()
}

fn value_of(o: &Object) -> String {
    let Body::DataObject(d) = &o.body else {
        panic!("not a data object")
    };
    match d.value.as_ref().unwrap() {
        Value::Text(t) => t.clone(),
        Value::Json(j) => serde_json::to_string(j).unwrap(),
        other => panic!("{other:?}"),
    }
}

fn children_of(o: &Object) -> Vec<String> {
    let Body::Container(c) = &o.body else {
        panic!("not a container")
    };
    c.children.clone().unwrap()
}

fn meta<'a>(o: &'a Object, name: &str) -> Option<&'a str> {
    o.metadata.as_ref()?.get_str(name)
}

fn status(e: ClientError) -> StatusCode {
    match e {
        ClientError::Status { status, .. } => status,
        other => panic!("expected an error status, got {other}"),
    }
}

/// The whole suite against one root; `root` is its path (`/` or `/cdmi/2.0.0/`).
async fn suite(base: &str, root: &str, version: Version) {
    let alice = client(base, version, Some("alice"));
    let bob = client(base, version, Some("bob"));
    let nobody = client(base, version, None);
    let update_sel = None;

    // A container with metadata.
    let made = alice
        .put(
            "c/",
            &obj(r#"{"metadata":{"project":"egi"}}"#, ObjectType::Container),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(made.object_name.as_deref(), Some("c/"));
    assert_eq!(made.parent_uri.as_deref(), Some(root));
    assert_eq!(meta(&made, "project"), Some("egi"));
    assert_eq!(meta(&made, "cdmi_owner"), Some("alice"));

    // A data object; its value, size and metadata read back.
    let a = obj(
        r#"{"mimetype":"text/plain","metadata":{"colour":"blue"},"value":"hello world"}"#,
        ObjectType::DataObject,
    );
    let created = alice.put("c/a.txt", &a).await.unwrap().unwrap();
    let id = created.object_id.clone().unwrap().to_string();
    let read = alice
        .read("c/a.txt", ObjectType::DataObject, None)
        .await
        .unwrap();
    assert_eq!(value_of(&read), "hello world");
    assert_eq!(meta(&read, "cdmi_size"), Some("11"));
    assert_eq!(meta(&read, "colour"), Some("blue"));
    assert_eq!(
        read.parent_uri.as_deref(),
        Some(format!("{root}c/").as_str())
    );
    assert!(
        read.metadata
            .as_ref()
            .unwrap()
            .get("cdmi_acl")
            .is_some_and(serde_json::Value::is_array)
    );

    // Field selection: a part of the value, metadata by prefix.
    let part = alice
        .read(
            "c/a.txt",
            ObjectType::DataObject,
            Some(&sel(
                if version.is_v2() {
                    "value=0-4&metadata=cdmi_size"
                } else {
                    "value:0-4;metadata:cdmi_size"
                },
                version,
            )),
        )
        .await
        .unwrap();
    assert_eq!(value_of(&part), "hello");
    assert_eq!(part.metadata.as_ref().unwrap().len(), 1);
    assert!(part.object_name.is_none(), "not selected");

    // An update of part of the value, and of the metadata (merged on 2.x, replaced on 1.x).
    alice
        .update(
            "c/a.txt",
            &obj(
                r#"{"valuerange":"6-10","value":"WORLD","metadata":{"size":"L"}}"#,
                ObjectType::DataObject,
            ),
            update_sel,
        )
        .await
        .unwrap();
    let read = alice
        .read("c/a.txt", ObjectType::DataObject, None)
        .await
        .unwrap();
    assert_eq!(value_of(&read), "hello WORLD");
    assert_eq!(meta(&read, "size"), Some("L"));
    assert_eq!(meta(&read, "colour"), version.is_v2().then_some("blue"));
    assert_eq!(meta(&read, "cdmi_mcount"), Some("1"));

    // Plain HTTP: ranges, binary values.
    let v = alice.get_value("c/a.txt", Some((0, 4))).await.unwrap();
    assert_eq!(v.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(v.bytes, b"hello");
    assert_eq!(v.content_range.as_deref(), Some("bytes 0-4/11"));
    let e = alice
        .get_value("c/a.txt", Some((20, 30)))
        .await
        .unwrap_err();
    assert_eq!(status(e), StatusCode::RANGE_NOT_SATISFIABLE);
    let binary = vec![0u8, 0xFF, 0x80, 7];
    let s = alice
        .put_value("c/b.bin", binary.clone(), "application/octet-stream", None)
        .await
        .unwrap();
    assert_eq!(s, StatusCode::CREATED);
    let s = alice
        .put_value(
            "c/b.bin",
            vec![9, 9],
            "application/octet-stream",
            Some((4, 5)),
        )
        .await
        .unwrap();
    assert_eq!(s, StatusCode::NO_CONTENT);
    let v = alice.get_value("c/b.bin", None).await.unwrap();
    assert_eq!(v.bytes, [0, 0xFF, 0x80, 7, 9, 9]);
    assert_eq!(v.mimetype.as_deref(), Some("application/octet-stream"));
    let b = alice
        .read("c/b.bin", ObjectType::DataObject, None)
        .await
        .unwrap();
    assert_eq!(value_of(&b), "AP+ABwkJ");
    let Body::DataObject(d) = &b.body else {
        unreachable!()
    };
    assert_eq!(d.valuetransferencoding.map(|e| e.as_str()), Some("base64"));

    // Children, and a range of them.
    let c = alice.read("c/", ObjectType::Container, None).await.unwrap();
    assert_eq!(children_of(&c), ["a.txt", "b.bin"]);
    let first = alice
        .read(
            "c/",
            ObjectType::Container,
            Some(&sel(
                if version.is_v2() {
                    "children=0-0"
                } else {
                    "children:0-0"
                },
                version,
            )),
        )
        .await
        .unwrap();
    assert_eq!(children_of(&first), ["a.txt"]);

    // Access by ID.
    let by_id = alice
        .read(&format!("cdmi_objectid/{id}"), ObjectType::DataObject, None)
        .await
        .unwrap();
    assert_eq!(by_id.object_name.as_deref(), Some("a.txt"));
    assert_eq!(value_of(&by_id), "hello WORLD");

    // multipart/mixed: the object and its binary value; then a part of it; read back.
    let part = |ct: Option<&str>, first: u64, bytes: &[u8]| {
        ValuePart::new(
            ct.map(str::to_owned),
            Range {
                first,
                last: first + bytes.len() as u64 - 1,
            },
            bytes.to_vec(),
        )
    };
    let s = alice
        .put_multipart(
            "c/m.bin",
            &obj(r#"{"metadata":{"kind":"mp"}}"#, ObjectType::DataObject),
            &[part(Some("application/x-m"), 0, &[1, 2, 3, 4])],
            4,
            false,
        )
        .await
        .unwrap();
    assert_eq!(s, StatusCode::CREATED);
    let s = alice
        .put_multipart(
            "c/m.bin",
            &obj("{}", ObjectType::DataObject),
            &[part(None, 6, &[9])],
            7,
            true,
        )
        .await
        .unwrap();
    assert_eq!(s, StatusCode::NO_CONTENT);
    let v = alice.get_value("c/m.bin", None).await.unwrap();
    assert_eq!(v.bytes, [1, 2, 3, 4, 0, 0, 9]);
    assert_eq!(v.mimetype.as_deref(), Some("application/x-m"));
    let m = alice.read_multipart("c/m.bin", None).await.unwrap();
    assert_eq!(m.values[0].bytes, [1, 2, 3, 4, 0, 0, 9]);
    assert_eq!(meta(&m.object.object, "kind"), Some("mp"));
    let q = if version.is_v2() {
        "value=1-2"
    } else {
        "value:1-2"
    };
    let m = alice
        .read_multipart("c/m.bin", Some(&sel(q, version)))
        .await
        .unwrap();
    assert_eq!(
        (m.values[0].bytes.as_slice(), m.values[0].range.first),
        (&[2u8, 3][..], 1)
    );
    alice.delete("c/m.bin").await.unwrap();

    // POST: a child the server names, an object with no name.
    let (location, posted) = alice
        .post("c/", &obj(r#"{"value":"posted"}"#, ObjectType::DataObject))
        .await
        .unwrap();
    let posted_id = posted.object_id.clone().unwrap().to_string();
    assert_eq!(location, format!("{root}c/{posted_id}"));
    assert_eq!(posted.object_name.as_deref(), Some(posted_id.as_str()));
    let (location, _) = alice
        .post(
            "cdmi_objectid/",
            &obj(r#"{"value":"unnamed"}"#, ObjectType::DataObject),
        )
        .await
        .unwrap();
    assert!(
        location.starts_with(&format!("{root}cdmi_objectid/")),
        "{location}"
    );
    let rel = location.strip_prefix(root).unwrap();
    let unnamed = alice.read(rel, ObjectType::DataObject, None).await.unwrap();
    assert_eq!(value_of(&unnamed), "unnamed");
    assert!(unnamed.object_name.is_none());
    let loc = alice
        .post_value("c/", b"raw".to_vec(), "text/x-raw")
        .await
        .unwrap()
        .unwrap();
    let v = alice
        .get_value(loc.strip_prefix(root).unwrap(), None)
        .await
        .unwrap();
    assert_eq!(
        (v.bytes.as_slice(), v.mimetype.as_deref()),
        (&b"raw"[..], Some("text/x-raw"))
    );

    // Reference, copy, move.
    let target = format!("{root}c/a.txt");
    alice
        .put(
            "c/ref",
            &obj(
                &format!(r#"{{"reference":"{target}"}}"#),
                ObjectType::DataObject,
            ),
        )
        .await
        .unwrap();
    match alice.read("c/ref", ObjectType::DataObject, None).await {
        Err(ClientError::Redirect(to)) => assert_eq!(to, target),
        other => panic!("a reference redirects: {other:?}"),
    }
    alice
        .put(
            "c/copy.txt",
            &obj(&format!(r#"{{"copy":"{target}"}}"#), ObjectType::DataObject),
        )
        .await
        .unwrap();
    let copy = alice
        .read("c/copy.txt", ObjectType::DataObject, None)
        .await
        .unwrap();
    assert_eq!(value_of(&copy), "hello WORLD");
    assert_ne!(copy.object_id, by_id.object_id);
    alice
        .put(
            "c/moved.txt",
            &obj(
                &format!(r#"{{"move":"{root}c/copy.txt"}}"#),
                ObjectType::DataObject,
            ),
        )
        .await
        .unwrap();
    let moved = alice
        .read("c/moved.txt", ObjectType::DataObject, None)
        .await
        .unwrap();
    assert_eq!(moved.object_id, copy.object_id, "a move keeps the ID");
    let e = alice
        .read("c/copy.txt", ObjectType::DataObject, None)
        .await
        .unwrap_err();
    assert_eq!(status(e), StatusCode::NOT_FOUND);

    // Queues: enqueue, read values, dequeue.
    alice
        .put("c/q", &obj("{}", ObjectType::Queue))
        .await
        .unwrap();
    alice
        .enqueue("c/q", &obj(r#"{"value":"first"}"#, ObjectType::DataObject))
        .await
        .unwrap();
    alice
        .enqueue("c/q", &obj(r#"{"value":"second"}"#, ObjectType::DataObject))
        .await
        .unwrap();
    let values = if version.is_v2() {
        "values=0-1&queueValues"
    } else {
        "values:0-1;queueValues"
    };
    let q = alice
        .read("c/q", ObjectType::Queue, Some(&sel(values, version)))
        .await
        .unwrap();
    let Body::Queue(qf) = &q.body else { panic!() };
    assert_eq!(
        qf.value.as_ref().unwrap(),
        &[Value::Text("first".into()), Value::Text("second".into())]
    );
    alice.dequeue("c/q", 0, 0).await.unwrap();
    let q = alice
        .read("c/q", ObjectType::Queue, Some(&sel(values, version)))
        .await
        .unwrap();
    let Body::Queue(qf) = &q.body else { panic!() };
    assert_eq!(qf.value.as_ref().unwrap(), &[Value::Text("second".into())]);
    assert_eq!(
        qf.queue_values.map(|r| r.to_string()).as_deref(),
        Some("0-0")
    );

    // Conflicts and missing objects.
    let e = alice
        .put("c/a.txt/", &obj("{}", ObjectType::Container))
        .await
        .unwrap_err();
    assert_eq!(status(e), StatusCode::CONFLICT);
    let e = alice
        .put("c/a.txt", &obj("{}", ObjectType::Container))
        .await
        .unwrap_err();
    assert_eq!(status(e), StatusCode::CONFLICT);
    let e = alice
        .read("c/none", ObjectType::DataObject, None)
        .await
        .unwrap_err();
    assert_eq!(status(e), StatusCode::NOT_FOUND);
    let e = alice
        .read("c/a.txt", ObjectType::Container, None)
        .await
        .unwrap_err();
    assert_eq!(status(e), StatusCode::NOT_ACCEPTABLE);

    // ACLs: bob may read (inherited AUTHENTICATED@ READ), not write or delete; the
    // anonymous may do nothing.
    let read = bob
        .read("c/a.txt", ObjectType::DataObject, None)
        .await
        .unwrap();
    assert_eq!(value_of(&read), "hello WORLD");
    let e = bob
        .update(
            "c/a.txt",
            &obj(r#"{"value":"mine"}"#, ObjectType::DataObject),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(status(e), StatusCode::FORBIDDEN);
    let e = bob
        .put("c/bob.txt", &obj("{}", ObjectType::DataObject))
        .await
        .unwrap_err();
    assert_eq!(status(e), StatusCode::FORBIDDEN);
    let e = bob.delete("c/a.txt").await.unwrap_err();
    assert_eq!(status(e), StatusCode::FORBIDDEN);
    let e = nobody
        .read("c/a.txt", ObjectType::DataObject, None)
        .await
        .unwrap_err();
    assert_eq!(status(e), StatusCode::UNAUTHORIZED);
    // alice lets bob write a.txt.
    alice
        .update(
            "c/a.txt",
            &obj(
                r#"{"metadata":{"cdmi_acl":[
                    {"acetype":"ALLOW","identifier":"OWNER@","aceflags":"NO_FLAGS","acemask":"ALL_PERMS"},
                    {"acetype":"ALLOW","identifier":"bob","aceflags":"NO_FLAGS","acemask":"READ_OBJECT, WRITE_OBJECT"}]}}"#,
                ObjectType::DataObject,
            ),
            None,
        )
        .await
        .unwrap();
    bob.update(
        "c/a.txt",
        &obj(r#"{"value":"bob was here"}"#, ObjectType::DataObject),
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        alice.get_value("c/a.txt", None).await.unwrap().bytes,
        b"bob was here"
    );

    // Capabilities.
    let caps = alice
        .read("cdmi_capabilities/", ObjectType::Capability, None)
        .await
        .unwrap();
    assert_eq!(caps.object_name.as_deref(), Some("cdmi_capabilities/"));

    // Delete the tree; the rest is gone.
    alice.delete("c/").await.unwrap();
    let e = alice
        .read("c/a.txt", ObjectType::DataObject, None)
        .await
        .unwrap_err();
    assert_eq!(status(e), StatusCode::NOT_FOUND);
    let e = alice
        .read(&format!("cdmi_objectid/{id}"), ObjectType::DataObject, None)
        .await
        .unwrap_err();
    assert_eq!(status(e), StatusCode::NOT_FOUND);
    let e = alice.read(rel, ObjectType::DataObject, None).await.unwrap();
    assert_eq!(
        value_of(&e),
        "unnamed",
        "an object without a name is outside the tree"
    );
    alice.delete(rel).await.unwrap();
    let root_obj = alice.read("", ObjectType::Container, None).await.unwrap();
    assert!(children_of(&root_obj).is_empty());
}

#[tokio::test]
async fn memory_v1_and_v2() {
    for endpoint in [
        Endpoint::v1("/", &[Version::V1_0_2, Version::V1_1_1]),
        Endpoint::v2(Version::V2_0_0),
    ] {
        let root = endpoint.root().to_owned();
        let version = match endpoint.edition() {
            cdmi::http::Edition::V2(v) => *v,
            _ => Version::V1_1_1,
        };
        let (base, server) = start(MemoryStorage::new(), endpoint).await;
        suite(&base, &root, version).await;
        // Nothing is left behind but the root's record.
        assert_eq!(server.storage().len(), 1, "{root}");
    }
}

#[tokio::test]
async fn filesystem_v1_and_v2() {
    for endpoint in [
        Endpoint::v1("/", &[Version::V1_1_1]),
        Endpoint::v2(Version::V2_0_0),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let root = endpoint.root().to_owned();
        let version = match endpoint.edition() {
            cdmi::http::Edition::V2(v) => *v,
            _ => Version::V1_1_1,
        };
        let (base, _server) = start(FsStorage::new(dir.path()).unwrap(), endpoint).await;
        suite(&base, &root, version).await;
        let files: Vec<_> = walk(dir.path());
        assert_eq!(files.len(), 1, "only the root's record is left: {files:?}");
    }
}

#[tokio::test]
async fn object_store_in_memory() {
    let store = Arc::new(object_store::memory::InMemory::new());
    let storage = ObjectStoreStorage::new(store, "cdmi");
    let endpoint = Endpoint::v2(Version::V2_0_0);
    let (base, _server) = start(storage, endpoint).await;
    suite(&base, "/cdmi/2.0.0/", Version::V2_0_0).await;
}

#[tokio::test]
async fn filesystem_objects_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let endpoint = Endpoint::v2(Version::V2_0_0);
    let (base, _s) = start(FsStorage::new(dir.path()).unwrap(), endpoint.clone()).await;
    let alice = client(&base, Version::V2_0_0, Some("alice"));
    alice
        .put(
            "kept.txt",
            &obj(r#"{"value":"still here"}"#, ObjectType::DataObject),
        )
        .await
        .unwrap();
    let (base, _s) = start(FsStorage::new(dir.path()).unwrap(), endpoint).await;
    let alice = client(&base, Version::V2_0_0, Some("alice"));
    assert_eq!(
        alice.get_value("kept.txt", None).await.unwrap().bytes,
        b"still here"
    );
}

#[tokio::test]
async fn limits_are_enforced() {
    let mut c = config(Endpoint::v2(Version::V2_0_0));
    c.max_value_bytes = 8;
    c.max_queue_values = 1;
    c.max_children = 2;
    let server = Server::new(MemoryStorage::new(), c).unwrap();
    let alice = Principal::user("alice");
    let req = |m: &str, path: &str, t: Option<&str>, body: &str| {
        let mut b = http::Request::builder()
            .method(m)
            .uri(format!("/cdmi/2.0.0/{path}"));
        if let Some(t) = t {
            b = b.header("Content-Type", t).header("Accept", t);
        }
        b.body(body.as_bytes().to_vec()).unwrap()
    };
    let r = server
        .handle(
            &alice,
            req(
                "PUT",
                "big",
                Some("application/cdmi-object"),
                r#"{"value":"123456789"}"#,
            ),
        )
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let r = server
        .handle(
            &alice,
            req("PUT", "q", Some("application/cdmi-queue"), "{}"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = server
        .handle(
            &alice,
            req(
                "POST",
                "q",
                Some("application/cdmi-object"),
                r#"{"value":"1"}"#,
            ),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = server
        .handle(
            &alice,
            req(
                "POST",
                "q",
                Some("application/cdmi-object"),
                r#"{"value":"2"}"#,
            ),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    for n in ["a", "b", "c"] {
        let r = server
            .handle(&alice, req("PUT", n, Some("application/cdmi-object"), "{}"))
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let r = server
        .handle(
            &alice,
            req("GET", "", Some("application/cdmi-container"), ""),
        )
        .await;
    let o = Object::parse(
        std::str::from_utf8(r.body()).unwrap(),
        ObjectType::Container,
        Mode::Strict,
    )
    .unwrap()
    .object;
    let Body::Container(cf) = &o.body else {
        panic!()
    };
    assert_eq!(cf.children.as_ref().unwrap().len(), 2);
    assert_eq!(
        cf.childrenrange.map(|r| r.to_string()).as_deref(),
        Some("0-1")
    );
    // A path deeper than the limit.
    let deep = "x/".repeat(65);
    let r = server
        .handle(
            &alice,
            req("GET", &deep, Some("application/cdmi-container"), ""),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
