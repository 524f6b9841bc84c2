//! cdmi: object-ID parse + verify (the specification's example ID and a 40-byte one), typed
//! parses of example bodies of the 2.0.0 specification (a data object read answer, a
//! container create request, a capability object, a queue read answer; read in place from the
//! corpus), their rendering, and the streaming base64 value path over a 64 MiB value.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use base64::Engine as _;
use cdmi::object::{Encoding, Limits, Mode, Object};
use cdmi::objectid::inspect;
use cdmi::value::stream_value;
use cdmi::{ObjectId, ObjectType};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fedcloud_conformance::corpus_area;
use std::hint::black_box;

fn body(text: &str) -> &str {
    let start = text
        .split_inclusive('\n')
        .scan(0, |offset, line| {
            *offset += line.len();
            Some((*offset, line.trim().is_empty()))
        })
        .find(|(_, blank)| *blank)
        .map_or(0, |(o, _)| o);
    text.get(start..).unwrap_or_default().trim_end()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("cdmi_objectid");
    let example = "00006FFD001001CCE3B2B4F602032653";
    let long = ObjectId::new(0x00FF_FFFF, &[0xA5; 32]).unwrap().to_string();
    for (name, id) in [("16 bytes", example), ("40 bytes", long.as_str())] {
        g.bench_function(format!("parse_verify/{name}"), |b| {
            b.iter(|| black_box(id).parse::<ObjectId>().unwrap());
        });
        g.bench_function(format!("inspect/{name}"), |b| {
            b.iter(|| inspect(black_box(id)))
        });
    }
    let id: ObjectId = example.parse().unwrap();
    g.bench_function("new_and_hex/16 bytes", |b| {
        b.iter(|| {
            ObjectId::new(black_box(28669), black_box(id.opaque()))
                .unwrap()
                .to_hex()
        });
    });
    g.finish();

    if let Some(root) = corpus_area("cdmi").unwrap() {
        let mut g = c.benchmark_group("cdmi_body");
        for (file, t) in [
            (
                "cdmi_core/cdmi_data_object/read-01.response.http",
                ObjectType::DataObject,
            ),
            (
                "cdmi_core/cdmi_container_object/read-02.response.http",
                ObjectType::Container,
            ),
            (
                "cdmi_advanced/cdmi_capability_object-02.response.http",
                ObjectType::Capability,
            ),
            (
                "cdmi_advanced/cdmi_queue_object-04.response.http",
                ObjectType::Queue,
            ),
        ] {
            let text = std::fs::read_to_string(root.join("snia-cdmi-2.0.0").join(file)).unwrap();
            let json = body(&text).to_owned();
            let name = file.rsplit('/').next().unwrap();
            g.throughput(Throughput::Bytes(json.len() as u64));
            g.bench_function(format!("parse/{name} ({} B)", json.len()), |b| {
                b.iter(|| Object::parse(black_box(&json), t, Mode::Strict).unwrap());
            });
            let o = Object::parse(&json, t, Mode::Strict).unwrap().object;
            g.bench_function(format!("render/{name}"), |b| {
                b.iter(|| black_box(&o).to_json())
            });
        }
        g.finish();
    } else {
        println!("skipped: cdmi corpus not found");
    }

    let mut g = c.benchmark_group("cdmi_value");
    let bytes: Vec<u8> = (0..64u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
    let body = format!(
        r#"{{"mimetype": "application/octet-stream", "valuetransferencoding": "base64", "value": "{encoded}"}}"#
    );
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.sample_size(10);
    g.bench_function("stream_base64/64 MiB", |b| {
        b.iter(|| {
            let s = stream_value(
                black_box(body.as_bytes()),
                std::io::sink(),
                Encoding::Utf8,
                Mode::Strict,
            )
            .unwrap();
            assert_eq!(s.bytes, bytes.len() as u64);
        });
    });
    g.bench_function("whole_body_parse_and_decode/64 MiB", |b| {
        b.iter(|| {
            let limits = Limits::default().with_max_body_bytes(usize::MAX);
            let o = Object::parse_with_limits(
                black_box(&body),
                ObjectType::DataObject,
                Mode::Strict,
                &limits,
            )
            .unwrap()
            .object;
            let cdmi::object::Body::DataObject(d) = o.body else {
                unreachable!()
            };
            cdmi::value::decode(d.value.as_ref().unwrap(), Encoding::Base64)
                .unwrap()
                .len()
        });
    });
    g.finish();
}

/// ACLs: reading the default root ACL in symbolic form and a four-ACE ACL in hexadecimal,
/// writing masks canonically, and evaluating a request; the registry: looking a name up.
fn acl(c: &mut Criterion) {
    use cdmi::acl::{Acl, Evaluator, Form, Kind, Mask, Requester, Target};
    let mut g = c.benchmark_group("cdmi_acl");
    let symbolic = Acl::default_root().to_json(Form::Symbolic, Kind::Container);
    let hex = serde_json::json!([
        {"acetype": "0x01", "identifier": "mallory", "aceflags": "0x00", "acemask": "0x00000002"},
        {"acetype": "0x00", "identifier": "OWNER@", "aceflags": "0x03", "acemask": "0x001F07FF"},
        {"acetype": "0x00", "identifier": "staff", "aceflags": "0x40", "acemask": "0x00020089"},
        {"acetype": "0x00", "identifier": "AUTHENTICATED@", "aceflags": "0x00", "acemask": "0x00000009"},
    ]);
    g.bench_function("read/default root, symbolic", |b| {
        b.iter(|| Acl::from_json(black_box(&symbolic), Mode::Strict).unwrap());
    });
    g.bench_function("read/4 ACEs, hex", |b| {
        b.iter(|| Acl::from_json(black_box(&hex), Mode::Strict).unwrap());
    });
    g.bench_function("mask_to_symbolic/0x000E006F", |b| {
        b.iter(|| black_box(Mask(0x000E_006F)).to_symbolic(Kind::Object));
    });
    let parsed = Acl::from_json(&hex, Mode::Strict).unwrap();
    let groups = ["staff", "ops"];
    let who = Requester {
        name: "sam",
        groups: &groups,
        authenticated: true,
        ..Requester::default()
    };
    let on = Target {
        owner: Some("olga"),
        ..Target::default()
    };
    g.bench_function("evaluate/4 ACEs, allowed by the last two", |b| {
        b.iter(|| {
            Evaluator::default().evaluate(
                Some(black_box(&parsed)),
                &who,
                &on,
                Mask::READ_OBJECT | Mask::READ_METADATA | Mask::READ_ACL,
            )
        });
    });
    g.bench_function("registry/entries(cdmi_size)", |b| {
        b.iter(|| cdmi::metadata::entries(black_box("cdmi_size")).len());
    });
    g.finish();
}

/// Runs a future of the in-memory server, which never waits.
fn ready<F: std::future::Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// The server core on the in-memory store: whole requests in, answers out (no HTTP I/O).
fn server(c: &mut Criterion) {
    use cdmi::http::Endpoint;
    use cdmi::server::{Config, MemoryStorage, Principal, Server};
    let mut config = Config::new(Endpoint::v2(cdmi::Version::V2_0_0), 53_063);
    config.root_owner = "alice".into();
    let server = Server::new(MemoryStorage::new(), config).unwrap();
    let alice = Principal::user("alice");
    let put = |path: &str, t: &str, body: &str| {
        http::Request::put(format!("/cdmi/2.0.0/{path}"))
            .header("Content-Type", t)
            .body(body.as_bytes().to_vec())
            .unwrap()
    };
    let get = |path: &str, accept: &str| {
        http::Request::get(format!("/cdmi/2.0.0/{path}"))
            .header("Accept", accept)
            .body(Vec::new())
            .unwrap()
    };
    let r = ready(server.handle(&alice, put("c/", "application/cdmi-container", "{}")));
    assert_eq!(r.status(), 201);
    let value = "x".repeat(1024);
    let body =
        format!(r#"{{"mimetype":"text/plain","metadata":{{"colour":"blue"}},"value":"{value}"}}"#);
    let r = ready(server.handle(&alice, put("c/obj.txt", "application/cdmi-object", &body)));
    assert_eq!(r.status(), 201);
    for i in 0..100 {
        ready(server.handle(
            &alice,
            put(&format!("c/n{i:03}"), "application/cdmi-object", "{}"),
        ));
    }
    // A data object answer with 20 more metadata items.
    let r = ready(server.handle(&alice, get("c/obj.txt", "application/cdmi-object")));
    let plain = String::from_utf8(r.body().to_vec()).unwrap();
    let mut two_kb: serde_json::Value = serde_json::from_slice(r.body()).unwrap();
    let metadata = two_kb
        .get_mut("metadata")
        .and_then(serde_json::Value::as_object_mut)
        .unwrap();
    for i in 0..20 {
        metadata.insert(
            format!("user_item_{i:02}"),
            format!("value number {i}").into(),
        );
    }
    let two_kb = serde_json::to_string_pretty(&two_kb).unwrap();
    let mut g = c.benchmark_group("cdmi_body");
    g.throughput(Throughput::Bytes(two_kb.len() as u64));
    g.bench_function(
        format!("parse/data object answer ({} B)", two_kb.len()),
        |b| {
            b.iter(|| {
                Object::parse(black_box(&two_kb), ObjectType::DataObject, Mode::Strict).unwrap()
            });
        },
    );
    // The answer as the server sends it: the standard metadata, an ACL, the value.
    g.bench_function(
        format!("parse/data object answer ({} B)", plain.len()),
        |b| {
            b.iter(|| {
                Object::parse(black_box(&plain), ObjectType::DataObject, Mode::Strict).unwrap()
            });
        },
    );
    // The same body to an untyped `serde_json::Value`, for comparison.
    g.bench_function("serde_json::Value (untyped) of the same body", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&two_kb)).unwrap());
    });
    g.finish();
    let mut g = c.benchmark_group("cdmi_server");
    g.bench_function("read data object (1 KiB value, CDMI)", |b| {
        b.iter(|| {
            let r = ready(server.handle(&alice, get("c/obj.txt", "application/cdmi-object")));
            assert_eq!(r.status(), 200);
            black_box(r)
        });
    });
    g.bench_function("read value (1 KiB, plain HTTP)", |b| {
        b.iter(|| black_box(ready(server.handle(&alice, get("c/obj.txt", "*/*")))));
    });
    g.bench_function("list container (102 children)", |b| {
        b.iter(|| {
            black_box(ready(
                server.handle(&alice, get("c/", "application/cdmi-container")),
            ))
        });
    });
    g.bench_function("update value (1 KiB, PUT)", |b| {
        b.iter(|| {
            let r = ready(server.handle(&alice, put("c/obj.txt", "text/plain", &value)));
            assert_eq!(r.status(), 204);
        });
    });
    let mut n = 0u64;
    g.bench_function("create + delete data object", |b| {
        b.iter(|| {
            n += 1;
            let path = format!("c/tmp{n}");
            let r = ready(server.handle(
                &alice,
                put(&path, "application/cdmi-object", r#"{"value":"v"}"#),
            ));
            assert_eq!(r.status(), 201);
            let del = http::Request::delete(format!("/cdmi/2.0.0/{path}"))
                .body(Vec::new())
                .unwrap();
            assert_eq!(ready(server.handle(&alice, del)).status(), 204);
        });
    });
    g.finish();
}

criterion_group!(benches, bench, acl, server);
criterion_main!(benches);
