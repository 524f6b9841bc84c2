//! usage-record: parse + validate APEL text messages of 20,000 records (the size the spec's
//! peer figures use): caso-shaped cloud v0.4 records and job v0.4 records with benchmark
//! dictionaries (also with a different FQAN on every record), in both profiles.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fedcloud_core::FixedClock;
use std::fmt::Write as _;
use std::hint::black_box;
use usage_record::apel::{
    Limits, Options, Profile, for_each_record, parse_message, parse_xml_message, validate_reader,
};
use usage_record::xsd::validate_document;

const RECORDS: usize = 20_000;

/// Cloud v0.4 records as caso 5.2.2 writes them (keys sorted, epoch times).
pub fn cloud_message() -> String {
    let mut s = String::from("APEL-cloud-message: v0.4\n");
    for i in 0..RECORDS {
        let _ = write!(
            s,
            "BenchmarkType: HEPSPEC06\nBenchmark: 10.5\nCloudComputeService: cloud-svc\nCloudType: caso/5.2.2 (OpenStack)\n\
             CpuCount: 2\nCpuDuration: 7912\nDisk: 20\nEndTime: 1684710700\nFQAN: /fedcloud.egi.eu/Role=NULL/Capability=NULL\n\
             GlobalUserName: /DC=eu/DC=egi/CN=user{i}\nImageId: https://appdb.egi.eu/store/vo/image/{i:08x}/\n\
             LocalGroupId: project-{g}\nLocalUserId: user-{i}\nMachineName: vm-{i}\nMemory: 4096\nPublicIPCount: 1\n\
             SiteName: TEST-SITE\nStartTime: 1684616400\nStatus: completed\nSuspendDuration: 0\n\
             VMUUID: 3f6d5e2a-{i:04x}-4b7c-9d8e-0a1b2c3d4e5f\nWallDuration: 94300\n%%\n",
            g = i % 50
        );
    }
    s
}

/// Job v0.4 records with `ServiceLevel` dictionaries, as ARC's publisher writes them.
pub fn job_message() -> String {
    let mut s = String::from("APEL-individual-job-message: v0.4\n");
    for i in 0..RECORDS {
        let _ = write!(
            s,
            "Site: SOME-SITE\nSubmitHost: ce01.example.org:2811/nordugrid-Condor-grid\nMachineName: wn{m}.example.org\n\
             Queue: grid\nLocalJobId: {i}\nLocalUserId: atlas{u:03}\nGlobalUserName: /DC=ch/DC=cern/OU=Users/CN=user{u}\n\
             FQAN: /atlas/Role=production/Capability=NULL\nWallDuration: 47248\nCpuDuration: 46871\nProcessors: 8\n\
             NodeCount: 1\nStartTime: 1684616400\nEndTime: 1684663648\nInfrastructureDescription: APEL-ARC-HTCONDOR\n\
             InfrastructureType: grid\nMemoryReal: 2000000\nMemoryVirtual: 4000000\n\
             ServiceLevel: {{hepspec: 11.4, HEPscore23: 15.3}}\n%%\n",
            m = i % 500,
            u = i % 100
        );
    }
    s
}

/// [`job_message`] with a different FQAN (VO and group) on every record: the strict profile's
/// FQAN check cannot reuse the verdict of the record before.
pub fn job_message_distinct_fqans() -> String {
    let mut n = 0;
    job_message()
        .lines()
        .map(|line| {
            if line.starts_with("FQAN: ") {
                n += 1;
                format!(
                    "FQAN: /vo{n}.example.org/group{}/Role=production/Capability=NULL\n",
                    n % 7
                )
            } else {
                format!("{line}\n")
            }
        })
        .collect()
}

/// CAR 1.2 job records in a `UsageRecords` document, as ARC's JURA writes them.
pub fn car_document() -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?>\n<UsageRecords xmlns=\"http://eu-emi.eu/namespaces/2012/11/computerecord\" xmlns:urf=\"http://eu-emi.eu/namespaces/2012/11/computerecord\">\n",
    );
    for i in 0..RECORDS {
        let _ = writeln!(
            s,
            "<UsageRecord><RecordIdentity urf:createTime=\"2013-02-09T15:39:16Z\" urf:recordId=\"ur-{i}\"/>\
             <JobIdentity><GlobalJobId>gsiftp://ce.example.org:2811/jobs/{i}</GlobalJobId><LocalJobId>{i}</LocalJobId></JobIdentity>\
             <UserIdentity><GlobalUserName urf:type=\"opensslCompat\">/DC=eu/DC=KnowARC/CN=user{u}</GlobalUserName>\
             <GroupAttribute urf:type=\"FQAN\">/atlas/Role=production</GroupAttribute><LocalUserId>user{u}</LocalUserId></UserIdentity>\
             <Status>completed</Status><Infrastructure urf:description=\"pbs\" urf:type=\"grid\"/>\
             <WallDuration>PT4S</WallDuration><CpuDuration urf:usageType=\"user\">PT1S</CpuDuration><CpuDuration urf:usageType=\"all\">PT3S</CpuDuration>\
             <ServiceLevel urf:type=\"HEPSPEC\">10.0</ServiceLevel><NodeCount>2</NodeCount><Processors>8</Processors>\
             <EndTime>2013-02-09T15:11:41Z</EndTime><StartTime>2013-02-09T15:09:16Z</StartTime>\
             <MachineName>wn{m}.example.org</MachineName><SubmitHost>ce.example.org</SubmitHost><Queue>grid</Queue><Site>SITE</Site></UsageRecord>",
            u = i % 100,
            m = i % 500
        );
    }
    s.push_str("</UsageRecords>\n");
    s
}

/// OGF UR 1.0 job records in a `UsageRecords` document, the shape SGAS and ARC write.
pub fn ur1_document() -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?>\n<urf:UsageRecords xmlns:urf=\"http://schema.ogf.org/urf/2003/09/urf\">\n",
    );
    for i in 0..RECORDS {
        let _ = writeln!(
            s,
            "<urf:JobUsageRecord><urf:RecordIdentity urf:recordId=\"ce.example.org:{i}\" urf:createTime=\"2024-01-02T03:04:05Z\"/>\
             <urf:JobIdentity><urf:GlobalJobId>gsiftp://ce.example.org/jobs/{i}</urf:GlobalJobId><urf:LocalJobId>{i}</urf:LocalJobId></urf:JobIdentity>\
             <urf:UserIdentity><urf:LocalUserId>user{u}</urf:LocalUserId><urf:GlobalUserName>/DC=org/DC=example/CN=user{u}</urf:GlobalUserName></urf:UserIdentity>\
             <urf:JobName>job-{i}</urf:JobName><urf:Status>Completed</urf:Status>\
             <urf:Memory urf:storageUnit=\"KB\" urf:metric=\"max\">2368</urf:Memory><urf:ServiceLevel urf:type=\"si2k\">1000</urf:ServiceLevel>\
             <urf:WallDuration>PT3600S</urf:WallDuration><urf:CpuDuration urf:usageType=\"user\">PT3000S</urf:CpuDuration>\
             <urf:NodeCount>1</urf:NodeCount><urf:Processors>4</urf:Processors>\
             <urf:StartTime>2024-01-01T01:00:00Z</urf:StartTime><urf:EndTime>2024-01-01T02:00:00Z</urf:EndTime>\
             <urf:MachineName>ce.example.org</urf:MachineName><urf:SubmitHost>ui.example.org</urf:SubmitHost><urf:Queue>long</urf:Queue>\
             <urf:Host urf:primary=\"true\">wn{m}.example.org</urf:Host></urf:JobUsageRecord>",
            u = i % 100,
            m = i % 500
        );
    }
    s.push_str("</urf:UsageRecords>\n");
    s
}

/// Built-in XML Schema validation (`usage_record::xsd`), the `strict` profile's first step.
fn bench_xml_schema(c: &mut Criterion) {
    let mut g = c.benchmark_group("xml_schema");
    g.sample_size(10);
    for (name, doc) in [("ur1", ur1_document()), ("car-1.2", car_document())] {
        let report = validate_document(doc.as_bytes(), &Limits::default());
        assert!(report.is_valid(), "{name}: {:?}", report.findings.first());
        assert_eq!(report.records, RECORDS);
        g.throughput(Throughput::Bytes(doc.len() as u64));
        g.bench_function(format!("{name}/20000_records_{}_bytes", doc.len()), |b| {
            b.iter(|| {
                black_box(validate_document(
                    black_box(doc.as_bytes()),
                    &Limits::default(),
                ))
            });
        });
    }
    g.finish();
}

fn bench_xml(c: &mut Criterion) {
    let clock = FixedClock("2026-11-21T00:00:00Z".parse().unwrap());
    let doc = car_document();
    let opts = Options::new(Profile::Apel, &clock);
    let check = parse_xml_message(doc.as_bytes(), &opts);
    assert!(check.is_valid(), "{:?}", check.findings.first());
    assert_eq!(check.records.len(), RECORDS);
    let mut g = c.benchmark_group("car_xml");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(doc.len() as u64));
    g.bench_function(format!("Apel/20000_records_{}_bytes", doc.len()), |b| {
        b.iter(|| black_box(parse_xml_message(black_box(doc.as_bytes()), &opts)));
    });
    g.finish();
}

fn bench(c: &mut Criterion) {
    let clock = FixedClock("2026-11-21T00:00:00Z".parse().unwrap());
    for (name, text) in [
        ("cloud_v0.4", cloud_message()),
        ("job_v0.4", job_message()),
        ("job_v0.4_distinct_fqans", job_message_distinct_fqans()),
    ] {
        let mut g = c.benchmark_group(format!("apel_text/{name}"));
        g.sample_size(20);
        g.throughput(Throughput::Elements(RECORDS as u64));
        for profile in [Profile::Apel, Profile::Strict] {
            let opts = Options::new(profile, &clock);
            let check = parse_message(text.as_bytes(), &opts);
            assert!(
                check.is_valid(),
                "{name} {profile:?}: {:?}",
                check.findings.first()
            );
            assert_eq!(check.records.len(), RECORDS);
            let id = |mode: &str| format!("{profile:?}/{mode}/20000_records_{}_bytes", text.len());
            g.bench_function(id("collect"), |b| {
                b.iter(|| black_box(parse_message(black_box(text.as_bytes()), &opts)));
            });
            g.bench_function(id("stream"), |b| {
                b.iter(|| {
                    let mut valid = 0usize;
                    let summary = for_each_record(black_box(text.as_bytes()), &opts, |e, _| {
                        valid += usize::from(e.valid);
                    });
                    black_box((summary, valid))
                });
            });
        }
        g.finish();
    }
}

/// The command line's path: the cloud message from a reader (`validate_reader`, in batches)
/// beside the library's in-memory stream, and the `usage-record validate` process itself when
/// its release binary is built (`cargo build --release -p usage-record --features cli`;
/// `USAGE_RECORD_BIN` names another), process start included.
fn bench_cli(c: &mut Criterion) {
    let clock = FixedClock("2026-11-21T00:00:00Z".parse().unwrap());
    let opts = Options::new(Profile::Apel, &clock);
    let text = cloud_message();
    let mut g = c.benchmark_group("cli/cloud_v0.4");
    g.sample_size(20);
    g.throughput(Throughput::Elements(RECORDS as u64));
    let size = text.len();
    g.bench_function(format!("Apel/library_stream/{size}_bytes"), |b| {
        b.iter(|| {
            let mut valid = 0usize;
            let summary = for_each_record(black_box(text.as_bytes()), &opts, |e, _| {
                valid += usize::from(e.valid);
            });
            black_box((summary, valid))
        });
    });
    g.bench_function(format!("Apel/validate_reader/{size}_bytes"), |b| {
        b.iter(|| {
            let reader = std::io::BufReader::with_capacity(1 << 16, black_box(text.as_bytes()));
            let mut valid = 0usize;
            let summary = validate_reader(reader, &opts, |e, _| valid += usize::from(e.valid));
            black_box((summary.unwrap(), valid))
        });
    });
    let bin = std::env::var_os("USAGE_RECORD_BIN")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            let exe = std::env::current_exe().ok()?;
            Some(exe.parent()?.parent()?.join("usage-record"))
        })
        .filter(|p| p.is_file());
    match bin {
        Some(bin) => {
            let file = std::env::temp_dir().join("fedcloud-bench-cloud-v0.4.txt");
            std::fs::write(&file, &text).unwrap();
            g.bench_function(
                format!("Apel/process_validate_output_json/{size}_bytes"),
                |b| {
                    b.iter(|| {
                        let out = std::process::Command::new(&bin)
                            .args(["validate", "--profile", "apel", "--output", "json"])
                            .arg(&file)
                            .output()
                            .unwrap();
                        assert!(out.status.success());
                        black_box(out)
                    });
                },
            );
        }
        None => eprintln!(
            "cli/cloud_v0.4: no usage-record binary beside the benchmark; skipped the process figure"
        ),
    }
    g.finish();
}

/// Conversions (`usage_record::convert`): 20,000 job records to CAR 1.2 and UR 2.0, and the
/// CAR document back to APEL text. Each includes reading the output back to judge it, as the
/// command line does.
fn bench_convert(c: &mut Criterion) {
    use usage_record::convert::{Target, convert, render};
    let clock = FixedClock("2026-11-21T00:00:00Z".parse().unwrap());
    let opts = Options::new(Profile::Strict, &clock);
    let text = job_message();
    let msg = parse_message(text.as_bytes(), &opts);
    let records: Vec<_> = msg.valid_records().cloned().collect();
    assert_eq!(records.len(), RECORDS);
    let mut g = c.benchmark_group("convert");
    g.sample_size(10);
    g.throughput(Throughput::Elements(RECORDS as u64));
    for target in [Target::Car, Target::Ur2] {
        let check = render(&records, target, &opts).unwrap();
        assert!(
            check.output_valid(),
            "{target:?}: {:?}",
            check.output_findings.first()
        );
        g.bench_function(
            format!("job_v0.4_to_{}/20000_records", target.as_str()),
            |b| {
                b.iter(|| black_box(render(black_box(&records), target, &opts)));
            },
        );
    }
    let car = render(&records, Target::Car, &opts).unwrap().output;
    let back = convert(car.as_bytes(), Target::Apel, &opts).unwrap();
    assert!(
        back.1.output_valid(),
        "{:?}",
        back.1.output_findings.first()
    );
    g.bench_function(
        format!("car_to_apel/20000_records_{}_bytes", car.len()),
        |b| {
            b.iter(|| black_box(convert(black_box(car.as_bytes()), Target::Apel, &opts)));
        },
    );
    g.finish();
}

criterion_group!(
    benches,
    bench,
    bench_cli,
    bench_xml,
    bench_xml_schema,
    bench_convert
);
criterion_main!(benches);
