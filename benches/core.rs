//! fedcloud-core parsers over real DNs: the CA subjects of the IGTF snapshot in the conformance
//! corpus (falls back to a small built-in set when the corpus is absent).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fedcloud_core::{Dn, Fqan, UtcTime};
use std::hint::black_box;

fn igtf_dns() -> Vec<String> {
    let dir =
        fedcloud_conformance::corpus_dir().join("voms/canl-java/namespaces/eugridpma-namespaces");
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let Ok(text) = std::fs::read_to_string(e.path()) else {
                continue;
            };
            for line in text.lines() {
                if let Some(rest) = line.trim().strip_prefix("TO Issuer \"")
                    && let Some(end) = rest.find('"')
                {
                    out.push(rest[..end].to_owned());
                }
            }
        }
    }
    if out.is_empty() {
        out = [
            "/C=DE/O=GermanGrid/CN=GridKa-CA",
            "/DC=org/DC=terena/DC=tcs/C=NL/O=Nikhef/CN=Jane Doe jdoe@nikhef.nl",
            "/DC=ch/DC=cern/OU=Organic Units/OU=Users/CN=jdoe/CN=123456/CN=Jane Doe",
            "/C=IT/O=INFN/OU=Host/L=CNAF/CN=voms.cnaf.infn.it",
        ]
        .map(String::from)
        .to_vec();
    }
    out.sort();
    out
}

fn dn(c: &mut Criterion) {
    let oneline = igtf_dns();
    let parsed: Vec<Dn> = oneline
        .iter()
        .map(|s| Dn::parse_oneline(s).unwrap())
        .collect();
    let rfc: Vec<String> = parsed.iter().map(Dn::to_rfc4514).collect();
    let bytes: usize = oneline.iter().map(String::len).sum();

    let mut g = c.benchmark_group("dn");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function(format!("parse_oneline/{}_igtf_dns", oneline.len()), |b| {
        b.iter(|| {
            for s in &oneline {
                black_box(Dn::parse_oneline(black_box(s)).unwrap());
            }
        });
    });
    g.bench_function(format!("parse_rfc4514/{}_igtf_dns", rfc.len()), |b| {
        b.iter(|| {
            for s in &rfc {
                black_box(Dn::parse_rfc4514(black_box(s)).unwrap());
            }
        });
    });
    g.bench_function(format!("to_oneline/{}_igtf_dns", parsed.len()), |b| {
        b.iter(|| {
            for d in &parsed {
                black_box(d.to_oneline());
            }
        });
    });
    g.bench_function(format!("eq_folded/{}_igtf_dns", parsed.len()), |b| {
        b.iter(|| {
            for (a, b2) in parsed.iter().zip(parsed.iter().rev()) {
                black_box(a.eq_folded(b2));
            }
        });
    });
    g.finish();
}

fn fqan_and_time(c: &mut Criterion) {
    let mut g = c.benchmark_group("fqan");
    let f = "/atlas/production/Role=pilot/Capability=NULL";
    g.throughput(Throughput::Elements(1));
    g.bench_function("parse", |b| {
        b.iter(|| black_box(Fqan::parse(black_box(f)).unwrap()))
    });
    g.finish();

    let mut g = c.benchmark_group("time");
    g.throughput(Throughput::Elements(1));
    g.bench_function("parse_strict", |b| {
        b.iter(|| black_box(UtcTime::parse_strict(black_box("2023-05-21T23:11:40Z")).unwrap()))
    });
    g.bench_function("parse_lenient_offset", |b| {
        b.iter(|| {
            black_box(UtcTime::parse_lenient(black_box("2023-05-22T01:11:40+02:00")).unwrap())
        })
    });
    g.bench_function("parse_epoch", |b| {
        b.iter(|| black_box(UtcTime::parse_epoch(black_box("1684710700")).unwrap()))
    });
    let t = UtcTime::parse_strict("2023-05-21T23:11:40Z").unwrap();
    g.bench_function("render", |b| b.iter(|| black_box(black_box(t).to_string())));
    g.finish();
}

criterion_group!(benches, dn, fqan_and_time);
criterion_main!(benches);
