//! occi-render-http over rOCCI's fixtures: text/plain parsing to typed messages (lenient mode,
//! values typed through the Infrastructure 1.2 + CRTP + EGI model and entities validated
//! against it; `parse_typed_only` without the validation), canonical rendering,
//! OCCI 1.2 JSON parsing (whole and, for the model listing, streamed) and rendering, and the
//! latency of a 404-byte network-interface link
//! (`rocci-server/integration-data/dummy/networkinterface.plain`, the one input every peer
//! parser accepts). Skips with a notice when the corpus is absent.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fedcloud_conformance::corpus_area;
use occi_model::{Model, OcciVersion};
use occi_render_http::{JsonCollectionReader, Mode, Parser, render_json, render_plain};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let Some(root) = corpus_area("occi").unwrap() else {
        println!("skipped: occi corpus not found");
        return;
    };
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
    let model = Model::infrastructure(OcciVersion::V1_2)
        .with_crtp()
        .with_egi_extensions();
    let parser = Parser::new(Mode::Lenient).with_model(&model);
    let typing = parser.with_validation(false);

    let mut g = c.benchmark_group("occi_text_plain");
    for name in ["instance.txt", "model.txt"] {
        let body = read(&format!("rocci-core/v5-examples-rendering/{name}"));
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_function(format!("parse_typed/{name}"), |b| {
            b.iter(|| parser.parse_plain(black_box(&body)).unwrap());
        });
        g.bench_function(format!("parse_typed_only/{name}"), |b| {
            b.iter(|| typing.parse_plain(black_box(&body)).unwrap());
        });
        let m = parser.parse_plain(&body).unwrap().message;
        let out = render_plain(&m).unwrap();
        g.throughput(Throughput::Bytes(out.len() as u64));
        g.bench_function(format!("render/{name}"), |b| {
            b.iter(|| render_plain(black_box(&m)).unwrap());
        });
    }
    g.finish();

    let mut g = c.benchmark_group("occi_json");
    for name in ["instance.json", "model.json"] {
        let body = read(&format!("rocci-core/v5-examples-rendering/{name}"));
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_function(format!("parse_typed/{name}"), |b| {
            b.iter(|| parser.parse_json(black_box(&body)).unwrap());
        });
        g.bench_function(format!("parse_typed_only/{name}"), |b| {
            b.iter(|| typing.parse_json(black_box(&body)).unwrap());
        });
        if name == "model.json" {
            g.bench_function(format!("stream_typed/{name}"), |b| {
                b.iter(|| {
                    JsonCollectionReader::new(&parser, black_box(body.as_bytes()))
                        .map(Result::unwrap)
                        .count()
                });
            });
        }
        let m = parser.parse_json(&body).unwrap().message;
        let out = render_json(&m, Some(&model)).unwrap();
        g.throughput(Throughput::Bytes(out.len() as u64));
        g.bench_function(format!("render/{name}"), |b| {
            b.iter(|| render_json(black_box(&m), Some(&model)).unwrap());
        });
    }
    g.finish();

    let mut g = c.benchmark_group("occi_link");
    let body = read("rocci-server/integration-data/dummy/networkinterface.plain");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("parse_typed/networkinterface.plain", |b| {
        b.iter(|| parser.parse_plain(black_box(&body)).unwrap());
    });
    g.bench_function("parse_typed_only/networkinterface.plain", |b| {
        b.iter(|| typing.parse_plain(black_box(&body)).unwrap());
    });
    g.bench_function("parse_typed_to_entity/networkinterface.plain", |b| {
        b.iter(|| {
            parser
                .parse_plain(black_box(&body))
                .unwrap()
                .message
                .to_entity()
                .unwrap()
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
