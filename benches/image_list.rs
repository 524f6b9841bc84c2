//! image-list: read and write AppDB-shaped lists — the unsigned list of cloudkeeper's test
//! data when the corpus is present, and generated lists of 20 and 2,000 images (the 2.8 MB
//! size of the notes' peer figures), under the default `Compatible` profile.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fedcloud_conformance::corpus_area;
use image_list::{ImageVerifier, Options, Policy, Subscription, parse, update};
use std::fmt::Write as _;
use std::hint::black_box;

/// A VO-wide list as AppDB writes it: three-space indentation, counts as strings, the `ad:*`
/// keys, a per-image expiry.
pub fn appdb_list(images: usize) -> String {
    let mut s = String::from(
        "{\n   \"hv:imagelist\": {\n      \"dc:date:created\": \"2026-12-01T00:00:00Z\",\n      \"dc:date:expires\": \"2499-12-31T22:00:00Z\",\n      \"dc:description\": \"A VO-wide image list.\",\n      \"dc:identifier\": \"76fdee70-8119-5d33-aaaa-3c57e1c60df1\",\n      \"dc:source\": \"https://appdb.egi.eu/\",\n      \"dc:title\": \"Image list for fedcloud.egi.eu\",\n      \"ad:vo\": \"fedcloud.egi.eu\",\n      \"hv:endorser\": {\"hv:x509\": {\"dc:creator\": \"EGI Applications Database\", \"hv:ca\": \"/DC=ORG/DC=SEE-GRID/CN=SEE-GRID CA 2013\", \"hv:dn\": \"/DC=EU/DC=EGI/C=NL/O=Hosts/O=EGI.eu/CN=appdb.egi.eu\", \"hv:email\": \"appdb-support@iasa.gr\"}},\n      \"hv:images\": [\n",
    );
    for i in 0..images {
        let sep = if i + 1 == images { "" } else { "," };
        let sum = format!("{:0128x}", i * 7919 + 1);
        let _ = write!(
            s,
            "         {{\"hv:image\": {{\n            \"dc:description\": \"CentOS 7 with cloud-init, contextualised for the EGI Federated Cloud; image {i} of the list, kept up to date by the VO managers.\",\n            \"dc:identifier\": \"c0482bc2-bf41-5d49-{i:04x}-a750174a186b\",\n            \"ad:mpuri\": \"https://appdb.egi.eu/store/vo/image/c0482bc2-bf41-5d49-{i:04x}-a750174a186b:{i}/\",\n            \"dc:title\": \"Image for EGI CentOS 7 [CentOS/7/KVM] {i}\",\n            \"ad:group\": \"General group\",\n            \"hv:hypervisor\": \"KVM\",\n            \"hv:format\": \"QCOW2\",\n            \"hv:ram_minimum\": \"512\",\n            \"ad:ram_recommended\": \"1024\",\n            \"hv:core_minimum\": \"1\",\n            \"ad:core_recommended\": \"4\",\n            \"hv:size\": \"{size}\",\n            \"hv:uri\": \"https://appdb-pi.egi.eu/images/base/egi-centos7/{i}/centos-7.qcow2\",\n            \"hv:version\": \"2026.12.{i}\",\n            \"dc:date:expires\": \"2499-12-31T22:00:00Z\",\n            \"sl:arch\": \"x86_64\",\n            \"sl:checksum:sha512\": \"{sum}\",\n            \"sl:comments\": \"\",\n            \"sl:os\": \"Linux\",\n            \"sl:osname\": \"CentOS\",\n            \"sl:osversion\": \"7\",\n            \"ad:user:fullname\": \"Jane Doe\",\n            \"ad:user:guid\": \"9d9dd6cf-b61a-aaaa-b1df-b5731adf717c\",\n            \"ad:user:uri\": \"https://appdb.egi.eu/store/person/jane.doe\"\n         }}}}{sep}\n",
            size = 1_073_741_824 + i,
        );
    }
    s.push_str("      ],\n      \"hv:uri\": \"https://vmcaster.appdb.egi.eu/store/vo/fedcloud.egi.eu/image.list\",\n      \"hv:version\": \"20261201000000\"\n   }\n}\n");
    s
}

fn bench(c: &mut Criterion) {
    let options = Options::default();
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    if let Some(dir) = corpus_area("image-list").unwrap() {
        let bytes = std::fs::read(dir.join("cloudkeeper/imagelist01.unsigned")).unwrap();
        inputs.push(("cloudkeeper_imagelist01".into(), bytes));
    }
    for n in [20, 2000] {
        inputs.push((format!("appdb_{n}_images"), appdb_list(n).into_bytes()));
    }
    // The same 2,000 images with their counts as JSON numbers (no warnings).
    let numbers = appdb_list(2000)
        .replace("\"hv:ram_minimum\": \"512\"", "\"hv:ram_minimum\": 512")
        .replace("\"hv:core_minimum\": \"1\"", "\"hv:core_minimum\": 1");
    let numbers = numbers
        .split("\"hv:size\": \"")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part.to_owned()
            } else {
                part.replacen('"', "", 1)
            }
        })
        .collect::<Vec<_>>()
        .join("\"hv:size\": ");
    assert!(
        parse(numbers.as_bytes(), &options)
            .unwrap()
            .warnings
            .is_empty()
    );
    inputs.push(("appdb_2000_images_numbers".into(), numbers.into_bytes()));
    let mut g = c.benchmark_group("image_list");
    for (name, bytes) in &inputs {
        let parsed = parse(bytes, &options).unwrap();
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(format!("parse/{name}/{}_bytes", bytes.len()), |b| {
            b.iter(|| parse(black_box(bytes), &options).unwrap());
        });
        // The JSON alone, untyped, for comparison.
        g.bench_function(format!("serde_json_value/{name}"), |b| {
            b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(bytes)).unwrap());
        });
        g.bench_function(format!("to_json/{name}"), |b| {
            b.iter(|| black_box(&parsed.list).to_json());
        });
    }
    // An update of the 2,000-image list against the accepted one: a new version where every
    // tenth image has a new checksum and every seventh a new title (vmcatcher: 38.6 s).
    let old_text = appdb_list(2000);
    let old = parse(old_text.as_bytes(), &options).unwrap().list;
    let mut new = old.clone();
    new.version = "20261202000000".into();
    for (i, image) in new.images.iter_mut().enumerate() {
        if i % 10 == 0 {
            image.sha512 = format!("{:0128x}", i + 3);
        }
        if i % 7 == 0 {
            image.title.push_str(" (updated)");
        }
    }
    let new_text = new.to_json();
    let policy = Policy::new("2026-12-07T00:00:00Z".parse().unwrap());
    let sub = Subscription {
        previous: Some((&old, old_text.as_bytes())),
        others: &[],
    };
    let image_list::Verdict::Accepted { events, .. } =
        update(new_text.as_bytes(), &new, &sub, &policy)
    else {
        panic!("the update is refused")
    };
    let payload = events
        .iter()
        .filter(|e| matches!(e, image_list::Event::PayloadChanged { .. }))
        .count();
    assert_eq!((payload, events.len() - payload), (200, 257));
    g.bench_function("update/2000_images", |b| {
        b.iter(|| {
            update(
                black_box(new_text.as_bytes()),
                black_box(&new),
                &sub,
                &policy,
            )
        });
    });
    g.finish();
    // Checking a downloaded image: SHA-512 and size over 64 MiB fed in 1 MiB pieces (the
    // notes: `openssl speed` SHA-512 0.85 GB/s on one core).
    let data: Vec<u8> = (0..64u32 << 20).map(|i| (i % 251) as u8).collect();
    let mut entry = old.images.first().unwrap().clone();
    entry.size = image_list::Count::new(data.len() as u64);
    entry.sha512 = {
        let mut v = ImageVerifier::new(&entry);
        v.update(&data);
        match v.finish() {
            Err(image_list::Mismatch::Checksum { actual, .. }) => actual,
            other => panic!("{other:?}"),
        }
    };
    let mut g = c.benchmark_group("image_list_verify");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.bench_function("sha512_and_size/64_MiB", |b| {
        b.iter(|| {
            let mut v = ImageVerifier::new(&entry);
            for piece in black_box(&data).chunks(1 << 20) {
                v.update(piece);
            }
            v.finish().unwrap();
        });
    });
    g.finish();
    // The 2,000-image list for peers to read (`python3 -c 'import json; json.loads(…)'`).
    let _ = std::fs::write(
        std::env::temp_dir().join("fedcloud-bench-appdb-2000.json"),
        appdb_list(2000),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
