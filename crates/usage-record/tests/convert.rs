//! Conversions: round trips through every target that can carry a record type, the loss
//! report, and the output's own verdict.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use proptest::prelude::*;
use std::borrow::Cow;
use usage_record::apel::{Options, Profile, Record, RecordType, Value, parse_any};
use usage_record::convert::{self, ConvertError, LossKind, Target};
use usage_record::fedcloud_core::{FixedClock, UtcTime};

fn options() -> Options {
    let now = UtcTime::parse_strict("2026-11-21T00:00:00Z").unwrap_or(UtcTime::UNIX_EPOCH);
    Options::new(Profile::Strict, &FixedClock(now))
}

fn text(s: &str) -> Option<Value<'static>> {
    Some(Value::Text(Cow::Owned(s.to_owned())))
}

fn time(epoch: i64) -> Option<Value<'static>> {
    UtcTime::from_epoch_seconds(epoch).ok().map(Value::Time)
}

fn set(r: &mut Record<'static>, field: &str, v: Option<Value<'static>>) {
    assert!(
        r.set(field, v).is_ok(),
        "{field} is a field of {:?}",
        r.record_type()
    );
}

/// A word that every format carries unchanged: no white space at the ends, no NULL spelling.
fn word() -> impl Strategy<Value = String> {
    "[a-zA-Z][a-zA-Z0-9_.@=/-]{0,20}".prop_filter("not a NULL spelling", |s| {
        !matches!(s.to_ascii_lowercase().as_str(), "none" | "null")
    })
}

/// A VOMS FQAN component.
fn name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9.-]{0,10}"
}

/// A host name matching UR 1.0's `domainNameType`.
fn host() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,7}[a-z0-9](\\.[a-z][a-z0-9]{0,7}[a-z0-9]){0,3}"
}

#[derive(Debug, Clone)]
struct Job {
    site: String,
    machine: String,
    submit: String,
    queue: String,
    job_id: String,
    user: String,
    dn: String,
    vo: (String, String, String),
    wall: i64,
    cpu: i64,
    processors: i64,
    nodes: i64,
    start: i64,
    length: i64,
    infra: (String, bool),
    memory: (i64, i64),
    level: f64,
}

fn job() -> impl Strategy<Value = Job> {
    (
        (word(), host(), host(), word(), word(), word(), word()),
        (name(), name(), name()),
        (0i64..10_000_000, 0i64..10_000_000, 1i64..512, 1i64..64),
        (1_000_000_000i64..1_700_000_000, 0i64..10_000_000),
        (word(), any::<bool>()),
        (1i64..1 << 31, 1i64..1 << 31),
        (1u32..100_000).prop_map(|x| f64::from(x) / 100.0),
    )
        .prop_map(
            |(
                (site, machine, submit, queue, job_id, user, dn),
                vo,
                (wall, cpu, processors, nodes),
                (start, length),
                infra,
                memory,
                level,
            )| Job {
                site,
                machine,
                submit,
                queue,
                job_id,
                user,
                dn: format!("/DC=org/CN={dn}"),
                vo: (vo.0.clone(), format!("/{}", vo.1), format!("Role={}", vo.2)),
                wall,
                cpu,
                processors,
                nodes,
                start,
                length,
                infra,
                memory,
                level,
            },
        )
}

fn job_record(j: &Job) -> Record<'static> {
    let mut r = Record::new(RecordType::Job);
    set(&mut r, "Site", text(&j.site));
    set(&mut r, "SubmitHost", text(&j.submit));
    set(&mut r, "MachineName", text(&j.machine));
    set(&mut r, "Queue", text(&j.queue));
    set(&mut r, "LocalJobId", text(&j.job_id));
    set(&mut r, "LocalUserId", text(&j.user));
    set(&mut r, "GlobalUserName", text(&j.dn));
    set(
        &mut r,
        "FQAN",
        text(&format!("/{}{}/{}", j.vo.0, j.vo.1, j.vo.2)),
    );
    set(&mut r, "VO", text(&j.vo.0));
    set(&mut r, "VOGroup", text(&j.vo.1));
    set(&mut r, "VORole", text(&j.vo.2));
    set(&mut r, "WallDuration", Some(Value::Int(j.wall)));
    set(&mut r, "CpuDuration", Some(Value::Int(j.cpu)));
    set(&mut r, "Processors", Some(Value::Int(j.processors)));
    set(&mut r, "NodeCount", Some(Value::Int(j.nodes)));
    set(&mut r, "StartTime", time(j.start));
    set(&mut r, "EndTime", time(j.start + j.length));
    set(&mut r, "InfrastructureDescription", text(&j.infra.0));
    set(
        &mut r,
        "InfrastructureType",
        text(if j.infra.1 { "grid" } else { "local" }),
    );
    set(&mut r, "MemoryReal", Some(Value::Int(j.memory.0)));
    set(&mut r, "MemoryVirtual", Some(Value::Int(j.memory.1)));
    set(&mut r, "ServiceLevelType", text("HEPSPEC"));
    set(&mut r, "ServiceLevel", Some(Value::Float(j.level)));
    r
}

/// Converts, checks the output is valid and that only assumed values differ, reads the output
/// back and returns its records.
fn round_trip(records: &[Record<'static>], target: Target) -> Vec<Record<'static>> {
    let c = match convert::render(records, target, &options()) {
        Ok(c) => c,
        Err(e) => panic!("{target:?}: {e}"),
    };
    assert!(
        c.output_valid(),
        "{target:?} output invalid: {:?}",
        c.output_findings
            .iter()
            .map(|f| format!("{:?} {}", f.field, f.message))
            .collect::<Vec<_>>()
    );
    let not_assumed: Vec<_> = c
        .losses
        .iter()
        .filter(|l| l.kind != LossKind::Assumed)
        .collect();
    assert!(not_assumed.is_empty(), "{target:?}: {not_assumed:#?}");
    let back = parse_any(c.output.as_bytes(), &options());
    assert!(back.is_valid(), "{target:?}: {:#?}", back.findings);
    back.records
        .into_iter()
        .map(|e| e.record.into_owned())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A job record survives CAR 1.2, UR 1.0 and UR 2.0 unchanged (record identity and status
    /// are the only values supplied).
    #[test]
    fn job_records_round_trip(jobs in prop::collection::vec(job(), 1..4)) {
        let records: Vec<Record<'static>> = jobs.iter().map(job_record).collect();
        for target in [Target::Car, Target::Ur1, Target::Ur2, Target::Apel] {
            let back = round_trip(&records, target);
            prop_assert_eq!(&back, &records, "{:?}", target);
        }
    }

    /// A summary record survives AUR 1.2.
    #[test]
    fn summary_records_round_trip(jobs in prop::collection::vec(job(), 1..4), month in 1i64..13, n in 1i64..100_000) {
        let records: Vec<Record<'static>> = jobs.iter().map(|j| {
            let mut r = Record::new(RecordType::Summary);
            set(&mut r, "Site", text(&j.site));
            set(&mut r, "Month", Some(Value::Int(month)));
            set(&mut r, "Year", Some(Value::Int(2020)));
            set(&mut r, "GlobalUserName", text(&j.dn));
            set(&mut r, "VO", text(&j.vo.0));
            set(&mut r, "VOGroup", text(&j.vo.1));
            set(&mut r, "VORole", text(&j.vo.2));
            set(&mut r, "SubmitHost", text(&j.submit));
            set(&mut r, "InfrastructureType", text(if j.infra.1 { "grid" } else { "local" }));
            set(&mut r, "InfrastructureDescription", text(&j.infra.0));
            set(&mut r, "ServiceLevelType", text("HEPSPEC"));
            set(&mut r, "ServiceLevel", Some(Value::Float(j.level)));
            set(&mut r, "NodeCount", Some(Value::Int(j.nodes)));
            set(&mut r, "Processors", Some(Value::Int(j.processors)));
            let start = UtcTime::parse_strict(&format!("2020-{month:02}-01T00:00:00Z")).unwrap_or(UtcTime::UNIX_EPOCH);
            set(&mut r, "EarliestEndTime", Some(Value::Time(start)));
            set(&mut r, "LatestEndTime", start.checked_add_seconds(86_400).map(Value::Time));
            set(&mut r, "WallDuration", Some(Value::Int(j.wall)));
            set(&mut r, "CpuDuration", Some(Value::Int(j.cpu)));
            set(&mut r, "NumberOfJobs", Some(Value::Int(n)));
            r
        }).collect();
        for target in [Target::Aur, Target::Apel] {
            let back = round_trip(&records, target);
            prop_assert_eq!(&back, &records, "{:?}", target);
        }
    }

    /// A storage record with its group attributes survives StAR and UR 2.0 (UR 2.0 carries
    /// only the subgroup and role).
    #[test]
    fn storage_records_round_trip(jobs in prop::collection::vec(job(), 1..4), used in 0i64..1 << 50) {
        let records: Vec<Record<'static>> = jobs.iter().enumerate().map(|(i, j)| {
            let mut r = Record::new(RecordType::Storage);
            set(&mut r, "RecordId", text(&format!("{}-{i}", j.job_id)));
            set(&mut r, "CreateTime", time(j.start + j.length));
            set(&mut r, "StorageSystem", text(&j.machine));
            set(&mut r, "Site", text(&j.site));
            set(&mut r, "StorageShare", text(&j.queue));
            set(&mut r, "StorageMedia", text("disk"));
            set(&mut r, "FileCount", Some(Value::Int(j.processors)));
            set(&mut r, "DirectoryPath", text(&format!("/data/{}", j.user)));
            set(&mut r, "LocalUser", text(&j.user));
            set(&mut r, "LocalGroup", text(&j.vo.0));
            set(&mut r, "UserIdentity", text(&j.dn));
            set(&mut r, "Group", text(&j.vo.0));
            set(&mut r, "SubGroup", text(&j.vo.1));
            set(&mut r, "Role", text(&j.vo.2));
            set(&mut r, "StartTime", time(j.start));
            set(&mut r, "EndTime", time(j.start + j.length));
            set(&mut r, "ResourceCapacityUsed", Some(Value::Int(used)));
            set(&mut r, "LogicalCapacityUsed", Some(Value::Int(used / 2)));
            set(&mut r, "ResourceCapacityAllocated", Some(Value::Int(used.saturating_mul(2))));
            r
        }).collect();
        for target in [Target::Star, Target::Ur2] {
            let back = round_trip(&records, target);
            prop_assert_eq!(&back, &records, "{:?}", target);
        }
    }

    /// A cloud record survives UR 2.0 (memory, disk and network in whole MiB / GiB).
    #[test]
    fn cloud_records_round_trip(jobs in prop::collection::vec(job(), 1..4), cpus in 1u32..256) {
        let records: Vec<Record<'static>> = jobs.iter().map(|j| {
            let mut r = Record::new(RecordType::Cloud);
            set(&mut r, "RecordCreateTime", time(j.start + j.length));
            set(&mut r, "VMUUID", text(&format!("{} {}", j.job_id, j.site)));
            set(&mut r, "SiteName", text(&j.site));
            set(&mut r, "CloudComputeService", text(&j.queue));
            set(&mut r, "MachineName", text(&j.machine));
            set(&mut r, "LocalUserId", text(&j.user));
            set(&mut r, "LocalGroupId", text(&j.vo.0));
            set(&mut r, "GlobalUserName", text(&j.dn));
            set(&mut r, "FQAN", text(&format!("/{}{}/{}", j.vo.0, j.vo.1, j.vo.2)));
            set(&mut r, "Status", text("completed"));
            set(&mut r, "StartTime", time(j.start));
            set(&mut r, "EndTime", time(j.start + j.length));
            set(&mut r, "SuspendDuration", Some(Value::Int(j.nodes)));
            set(&mut r, "WallDuration", Some(Value::Int(j.wall)));
            set(&mut r, "CpuDuration", Some(Value::Int(j.cpu)));
            set(&mut r, "CpuCount", Some(Value::Float(f64::from(cpus))));
            set(&mut r, "NetworkType", text("public"));
            set(&mut r, "NetworkInbound", Some(Value::Int(j.memory.0 >> 20)));
            set(&mut r, "NetworkOutbound", Some(Value::Int(j.memory.1 >> 20)));
            set(&mut r, "Memory", Some(Value::Int(j.memory.0 >> 10)));
            set(&mut r, "Disk", Some(Value::Int(j.nodes)));
            set(&mut r, "BenchmarkType", text("HEPSPEC"));
            set(&mut r, "Benchmark", Some(Value::Float(j.level)));
            set(&mut r, "ImageId", text(&j.infra.0));
            set(&mut r, "CloudType", text("OpenStack"));
            r
        }).collect();
        for target in [Target::Ur2, Target::Apel] {
            let back = round_trip(&records, target);
            prop_assert_eq!(&back, &records, "{:?}", target);
        }
    }
}

#[test]
fn targets_refuse_what_they_cannot_carry() {
    let j = job_record(&Job {
        site: "S".into(),
        machine: "m.example.org".into(),
        submit: "ce.example.org".into(),
        queue: "q".into(),
        job_id: "1".into(),
        user: "u".into(),
        dn: "/CN=u".into(),
        vo: ("vo".into(), "/vo".into(), "Role=NULL".into()),
        wall: 10,
        cpu: 5,
        processors: 1,
        nodes: 1,
        start: 1_600_000_000,
        length: 10,
        infra: ("d".into(), true),
        memory: (1, 1),
        level: 10.0,
    });
    for target in [Target::Aur, Target::Star, Target::Json] {
        assert_eq!(
            convert::render(std::slice::from_ref(&j), target, &options()),
            Err(ConvertError::NoForm {
                record_type: RecordType::Job,
                target
            })
        );
    }
    assert_eq!(
        convert::render(&[], Target::Car, &options()),
        Err(ConvertError::NothingToConvert)
    );
    assert_eq!("ur2".parse::<Target>(), Ok(Target::Ur2));
    assert!("xml".parse::<Target>().is_err());
}

/// A record without what CAR requires converts, with each gap reported as missing and the
/// output reported invalid.
#[test]
fn missing_values_are_reported_and_the_output_is_judged() {
    let input = b"APEL-individual-job-message: v0.2\nSite: S\nSubmitHost: ce.example.org\nLocalJobId: 1\nWallDuration: 10\nCpuDuration: 5\nStartTime: 1600000000\nEndTime: 1600000010\nServiceLevelType: HEPSPEC\nServiceLevel: 10\n%%\n";
    let (msg, c) = match convert::convert(input, Target::Car, &options()) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(msg.records.len(), 1);
    let missing: Vec<&str> = c
        .losses
        .iter()
        .filter(|l| l.kind == LossKind::Missing)
        .map(|l| l.field.as_str())
        .collect();
    assert_eq!(missing, ["LocalUserId", "MachineName", "Queue"]);
    assert!(!c.output_valid());
    assert!(
        c.output_findings
            .iter()
            .any(|f| f.code.as_str() == "xml-schema")
    );
}

/// Reading a CAR document reports what no APEL field carries, with its position.
#[test]
fn dropped_elements_of_the_input_are_reported_with_positions() {
    let doc = r#"<?xml version="1.0"?>
<urf:UsageRecord xmlns:urf="http://eu-emi.eu/namespaces/2012/11/computerecord">
<urf:RecordIdentity urf:recordId="r1" urf:createTime="2020-01-01T00:00:00Z"/>
<urf:JobIdentity><urf:GlobalJobId>g1</urf:GlobalJobId><urf:LocalJobId>1</urf:LocalJobId></urf:JobIdentity>
<urf:UserIdentity><urf:LocalUserId>u</urf:LocalUserId></urf:UserIdentity>
<urf:JobName>analysis</urf:JobName>
<urf:Status>failed</urf:Status>
<urf:Infrastructure urf:type="grid"/>
<urf:WallDuration>PT10S</urf:WallDuration>
<urf:CpuDuration urf:usageType="all">PT5S</urf:CpuDuration>
<urf:ServiceLevel urf:type="HEPSPEC">10</urf:ServiceLevel>
<urf:EndTime>2020-01-01T00:01:00Z</urf:EndTime>
<urf:StartTime>2020-01-01T00:00:00Z</urf:StartTime>
<urf:MachineName>mm.example.org</urf:MachineName>
<urf:SubmitHost>ce.example.org</urf:SubmitHost>
<urf:Queue>q</urf:Queue>
<urf:Site>S</urf:Site>
</urf:UsageRecord>"#;
    let (_, c) = match convert::convert(doc.as_bytes(), Target::Apel, &options()) {
        Ok(r) => r,
        Err(e) => panic!("{e}: {:?}", parse_any(doc.as_bytes(), &options()).findings),
    };
    let dropped: Vec<(&str, usize)> = c
        .losses
        .iter()
        .filter(|l| l.kind == LossKind::Dropped)
        .map(|l| (l.field.as_str(), l.position.map_or(0, |p| p.line)))
        .collect();
    assert_eq!(
        dropped,
        [
            ("RecordIdentity", 3),
            ("GlobalJobId", 4),
            ("JobName", 6),
            ("Status", 7)
        ]
    );
    assert!(c.output_valid(), "{:#?}", c.output_findings);
    assert!(c.output.contains("MachineName: mm.example.org"));
}

/// The StAR draft's MeasureTime / ValidDuration form reads as the period it describes.
#[test]
fn star_measure_time_form() {
    let doc = r#"<sr:StorageUsageRecords xmlns:sr="http://eu-emi.eu/namespaces/2011/02/storagerecord">
<sr:StorageUsageRecord>
<sr:RecordIdentity sr:createTime="2020-01-02T00:00:00Z" sr:recordId="r1"/>
<sr:StorageSystem>se.example.org</sr:StorageSystem>
<sr:MeasureTime>2020-01-01T00:00:00Z</sr:MeasureTime>
<sr:ValidDuration>PT3600S</sr:ValidDuration>
<sr:ResourceCapacityUsed>42</sr:ResourceCapacityUsed>
</sr:StorageUsageRecord>
</sr:StorageUsageRecords>"#;
    let msg = parse_any(doc.as_bytes(), &options());
    let r = msg.valid_records().next();
    assert_eq!(
        r.and_then(|r| r.time("EndTime")).map(|t| t.to_string()),
        Some("2020-01-01T01:00:00Z".to_owned())
    );
    let apel = Options::new(
        Profile::Apel,
        &FixedClock(UtcTime::from_epoch_seconds(1_700_000_000).unwrap_or(UtcTime::UNIX_EPOCH)),
    );
    assert!(
        !parse_any(doc.as_bytes(), &apel).is_valid(),
        "apel requires StartTime"
    );
}

/// The AUR and UR 1.0 corpus documents read into records under `strict`.
#[test]
fn corpus_aur_documents_read_as_summaries() {
    let Ok(Some(dir)) = fedcloud_conformance::corpus_area("usage-record") else {
        return;
    };
    for name in ["aur1.xml", "aur2.xml"] {
        let Ok(bytes) = std::fs::read(dir.join("apel/xml/aur").join(name)) else {
            panic!("{name} unreadable");
        };
        let msg = parse_any(&bytes, &options());
        assert_eq!(msg.record_type, Some(RecordType::Summary), "{name}");
        assert!(!msg.records.is_empty(), "{name}");
        match convert::convert(&bytes, Target::Apel, &options()) {
            Ok((_, c)) => assert!(c.output.starts_with("APEL-summary-job-message")),
            Err(ConvertError::NothingToConvert) => {
                assert!(
                    !msg.is_valid(),
                    "{name}: valid records but nothing converted"
                );
            }
            Err(e) => panic!("{name}: {e}"),
        }
    }
}
