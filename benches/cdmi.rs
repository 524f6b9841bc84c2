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

criterion_group!(benches, bench, acl);
criterion_main!(benches);
