//! occi-model: validating a compute instance against the registry, registry look-ups, the
//! query-interface listing, action checks and building the built-in model. The model is the
//! EGI-style one: Infrastructure 1.2, CRTP, the EGI extensions and 60 provider OS templates
//! (rOCCI's `model.txt` example publishes 56).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use occi_model::{
    ActionInvocation, CategoryId, Entity, Link, Mixin, Model, OcciVersion, Operation, Resource,
    StopMethod, ValidationOptions, ids,
};
use std::hint::black_box;

fn id(s: &str) -> CategoryId {
    s.parse().unwrap()
}

fn model() -> Model {
    let mut m = Model::infrastructure(OcciVersion::V1_2)
        .with_crtp()
        .with_egi_extensions();
    for i in 0..60 {
        m.register_mixin(
            Mixin::new(id(&format!(
                "http://occi.example.org/occi/infrastructure/os_tpl#image_{i}"
            )))
            .with_title(format!("Image {i}"))
            .with_depends(id(ids::OS_TPL))
            .with_applies(id(ids::COMPUTE))
            .with_location(format!("/mixin/os_tpl/image_{i}/")),
        )
        .unwrap();
    }
    m
}

fn name(s: &str) -> occi_model::AttributeName {
    s.parse().unwrap()
}

/// A compute instance as a server holds it: OS and resource templates, ssh key, five
/// attributes, a storage link and a network interface with an IP.
fn compute() -> Entity {
    let vm_id: occi_model::EntityId = "urn:uuid:de7335a7-07e0-4487-9cbd-ed51be7f2ce4"
        .parse()
        .unwrap();
    Resource::with_id(vm_id, id(ids::COMPUTE))
        .with_title("worker-1")
        .with_mixin(id(
            "http://occi.example.org/occi/infrastructure/os_tpl#image_7",
        ))
        .with_mixin(id(&format!("{}medium", ids::CRTP_SCHEME)))
        .with_mixin(id(ids::SSH_KEY))
        .with_attribute(name("occi.compute.cores"), 2)
        .with_attribute(name("occi.compute.memory"), 2.0)
        .with_attribute(name("occi.compute.architecture"), "x64")
        .with_attribute(name("occi.compute.hostname"), "worker-1.example.org")
        .with_attribute(name("occi.compute.state"), "active")
        .with_attribute(
            name("occi.credentials.ssh.publickey"),
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI",
        )
        .with_attribute(name("occi.compute.ephemeral_storage.size"), 20.0)
        .with_link(
            Link::new(
                id(ids::STORAGELINK),
                "/compute/1".parse().unwrap(),
                "/storage/1".parse().unwrap(),
            )
            .with_attribute(name("occi.storagelink.deviceid"), "/dev/vdb")
            .with_attribute(name("occi.storagelink.state"), "active"),
        )
        .with_link(
            Link::new(
                id(ids::NETWORKINTERFACE),
                "/compute/1".parse().unwrap(),
                "/network/public".parse().unwrap(),
            )
            .with_mixin(id(ids::IPNETWORKINTERFACE))
            .with_attribute(name("occi.networkinterface.interface"), "eth0")
            .with_attribute(name("occi.networkinterface.mac"), "fa:16:3e:00:00:01")
            .with_attribute(name("occi.networkinterface.address"), "192.0.2.10")
            .with_attribute(name("occi.networkinterface.allocation"), "dynamic")
            .with_attribute(name("occi.networkinterface.state"), "active"),
        )
        .into()
}

fn benches(c: &mut Criterion) {
    let model = model();
    let vm = compute();
    let options = ValidationOptions::default();
    assert!(
        model
            .validate(&vm, Operation::Instance, &options)
            .is_valid()
    );

    let mut g = c.benchmark_group("occi_model");
    g.throughput(Throughput::Elements(1));
    g.bench_function("validate/compute_with_2_links", |b| {
        b.iter(|| black_box(model.validate(black_box(&vm), Operation::Instance, &options)));
    });
    let stop = ActionInvocation::new(id(ids::COMPUTE_STOP))
        .with_attribute(name("method"), StopMethod::Graceful);
    g.bench_function("check_action/compute_stop", |b| {
        b.iter(|| {
            black_box(
                model
                    .check_action(black_box(&vm), black_box(&stop))
                    .unwrap(),
            )
        });
    });
    g.bench_function("allowed_actions/compute", |b| {
        b.iter(|| black_box(model.allowed_actions(black_box(&vm))));
    });

    let all: Vec<String> = model
        .kinds()
        .map(|k| k.id.to_string())
        .chain(model.mixins().map(|m| m.id.to_string()))
        .chain(model.actions().map(|a| a.id.to_string()))
        .collect();
    let parts: Vec<(String, String)> = all
        .iter()
        .map(|s| {
            let i = s.rfind('#').unwrap() + 1;
            (s[..i].to_owned(), s[i..].to_owned())
        })
        .collect();
    g.throughput(Throughput::Elements(all.len() as u64));
    g.bench_function(format!("lookup_by_id/{}_categories", all.len()), |b| {
        b.iter(|| {
            for s in &all {
                black_box(model.category(black_box(s)).unwrap());
            }
        });
    });
    g.bench_function(format!("lookup_by_parts/{}_categories", all.len()), |b| {
        b.iter(|| {
            for (scheme, term) in &parts {
                black_box(
                    model
                        .category_by_parts(black_box(scheme), black_box(term))
                        .unwrap(),
                );
            }
        });
    });
    g.bench_function(format!("query_interface/{}_categories", all.len()), |b| {
        b.iter(|| black_box(model.query_interface()));
    });
    g.throughput(Throughput::Elements(1));
    g.bench_function("build/infrastructure_crtp_egi", |b| {
        b.iter(|| {
            black_box(
                Model::infrastructure(OcciVersion::V1_2)
                    .with_crtp()
                    .with_egi_extensions(),
            )
        });
    });
    g.finish();
}

criterion_group!(occi, benches);
criterion_main!(occi);
