//! The `usage-record` command line: exit codes, the three report formats, `--at`, stdin.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::Write;
use std::process::{Command, Stdio};

const VALID: &str = "APEL-cloud-message: v0.4\nVMUUID: a\nSiteName: S\nMachineName: m\n%%\nVMUUID: b\nSiteName: S\nMachineName: n\n%%\n";
const INVALID: &str = "APEL-cloud-message: v0.4\nVMUUID: a\nSiteName: S\nMemory: 1.5\n%%\nVMUUID: b\nSiteName: S\n%%\n";
const SUMMARY_2026_12: &str = "APEL-summary-job-message: v0.2\nSite: s\nMonth: 12\nYear: 2026\nWallDuration: 1\nCpuDuration: 1\nNumberOfJobs: 1\n%%\n";

fn file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("usage-record-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_usage-record"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn exit_codes() {
    let valid = file("valid.apel", VALID);
    let invalid = file("invalid.apel", INVALID);
    let v = valid.to_str().unwrap();
    let i = invalid.to_str().unwrap();
    assert_eq!(run(&["validate", v], None).0, 0);
    assert_eq!(run(&["validate", "--profile", "strict", v], None).0, 0);
    assert_eq!(run(&["validate", v, i], None).0, 1);
    assert_eq!(run(&["validate", "/nonexistent/file"], None).0, 2);
    assert_eq!(run(&["validate", "--profile", "nope", v], None).0, 2);
    assert_eq!(run(&["validate", "--at", "yesterday", v], None).0, 2);
    assert_eq!(run(&["frobnicate"], None).0, 2);
    let acc = file(
        "acc.json",
        r#"{"Type": "APEL-accelerator-message", "Version": "0.1", "UsageRecords": [{"MeasurementMonth": 9, "MeasurementYear": 2018, "AssociatedRecordType": "cloud", "AssociatedRecord": "vm", "FQAN": "/ops", "SiteName": "S", "Count": 1, "AvailableDuration": 1, "Type": "GPU"}]}"#,
    );
    assert_eq!(run(&["validate", acc.to_str().unwrap()], None).0, 0);
    let (code, out, _) = run(
        &["validate", "--output", "json"],
        Some(
            r#"{"Type": "APEL-accelerator-message", "Version": "0.1", "UsageRecords": [{"Count": "1"}]}"#,
        ),
    );
    assert_eq!(code, 1);
    assert!(out.contains("\"field\":\"/UsageRecords/0/Count\""), "{out}");
    let xml = file("car.xml", "<UsageRecord/>");
    let (code, out, _) = run(&["validate", xml.to_str().unwrap()], None);
    assert_eq!(code, 1);
    assert!(out.contains("XML format not recognised"), "{out}");
    let car = file(
        "good.xml",
        r#"<UsageRecord xmlns="http://eu-emi.eu/namespaces/2012/11/computerecord"><Site>S</Site><LocalJobId>1</LocalJobId><WallDuration>PT1S</WallDuration><CpuDuration>PT1S</CpuDuration><StartTime>2020-01-01T00:00:00Z</StartTime><EndTime>2020-01-01T00:00:01Z</EndTime></UsageRecord>"#,
    );
    assert_eq!(run(&["validate", car.to_str().unwrap()], None).0, 0);
    assert_eq!(
        run(
            &["validate", "--profile", "strict", car.to_str().unwrap()],
            None
        )
        .0,
        1
    );
    assert_eq!(run(&["--help"], None).0, 0);
}

#[test]
fn human_report_is_positioned() {
    let invalid = file("invalid-h.apel", INVALID);
    let (code, out, _) = run(&["validate", invalid.to_str().unwrap()], None);
    assert_eq!(code, 1);
    assert!(
        out.contains(":4:9: error[invalid-integer] record 0 Memory:"),
        "{out}"
    );
    assert!(out.contains("INVALID (2 records, 1 valid)"), "{out}");
}

#[test]
fn json_report_shape() {
    let (code, out, _) = run(&["validate", "--output", "json", "-"], Some(INVALID));
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &doc["files"][0];
    assert_eq!(f["path"], "-");
    assert_eq!(f["format"], "apel-text");
    assert_eq!(f["records"], 2);
    assert_eq!(f["valid_records"], 1);
    assert_eq!(f["valid"], false);
    let finding = &f["findings"][0];
    assert_eq!(finding["record"], 0);
    assert_eq!(finding["line"], 4);
    assert_eq!(finding["column"], 9);
    assert_eq!(finding["field"], "Memory");
    assert_eq!(finding["code"], "invalid-integer");
    assert_eq!(finding["severity"], "error");
    assert!(finding["message"].as_str().unwrap().contains("1.5"));
}

#[test]
fn sarif_report_shape() {
    let (code, out, _) = run(&["validate", "--output", "sarif"], Some(INVALID));
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let run0 = &doc["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "usage-record");
    let result = &run0["results"][0];
    assert_eq!(result["ruleId"], "invalid-integer");
    assert_eq!(result["level"], "error");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(4), Some(9))
    );
    let rule = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(
        run0["tool"]["driver"]["rules"][rule]["id"],
        "invalid-integer"
    );
}

#[test]
fn at_pins_now() {
    let path = file("summary.apel", SUMMARY_2026_12);
    let p = path.to_str().unwrap();
    assert_eq!(
        run(&["validate", "--at", "2026-12-01T00:00:00Z", p], None).0,
        0
    );
    let (code, out, _) = run(&["validate", "--at", "2026-11-30T23:59:59Z", p], None);
    assert_eq!(code, 1);
    assert!(out.contains("in-future"), "{out}");
    assert_eq!(
        run(&["validate", "--at", "2026-12-01T01:00:00+01:00", p], None).0,
        0
    );
}

#[test]
fn large_input_streams() {
    let mut text = String::from("APEL-sync-message: v0.1\n");
    for i in 0..50_000 {
        text.push_str(&format!(
            "Site: s{i}\nSubmitHost: h\nNumberOfJobs: {i}\nMonth: 1\nYear: 2020\n%%\n"
        ));
    }
    text.push_str("Site: broken\nNumberOfJobs: x\nMonth: 1\nYear: 2020\n%%\n");
    let path = file("big.apel", &text);
    let (code, out, _) = run(
        &["validate", "--output", "json", path.to_str().unwrap()],
        None,
    );
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["files"][0]["records"], 50_001);
    assert_eq!(doc["files"][0]["findings"][0]["line"], 300_003);
    assert_eq!(doc["files"][0]["findings"][0]["record"], 50_000);
}

#[test]
fn summarise_cloud_records() {
    let jan = "APEL-cloud-message: v0.4\nVMUUID: a\nSiteName: S\nStatus: completed\nEndTime: 1704153600\nMemory: 1024\n%%\nVMUUID: b\nSiteName: S\nStatus: completed\nEndTime: 1704153600\nMemory: 2048\n%%\n";
    let path = file("cloud.apel", jan);
    let (code, out, err) = run(&["summarise", path.to_str().unwrap()], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("APEL-cloud-summary-message: v0.4\n"),
        "{out}"
    );
    assert!(out.contains("Memory: 3072\n"), "{out}");
    assert!(out.contains("NumberOfVMs: 2\n"), "{out}");
    let summary = file("summary.apel", &out);
    assert_eq!(
        run(
            &[
                "validate",
                "--profile",
                "strict",
                "--at",
                "2026-11-21T00:00:00Z",
                summary.to_str().unwrap()
            ],
            None
        )
        .0,
        0
    );
    let (code, _, err) = run(&["summarise"], Some("APEL-sync-message: v0.1\nSite: s\n"));
    assert_eq!(code, 2, "{err}");
}

#[test]
fn strict_xml_names_the_format_and_counts_records() {
    let ur = r#"<urf:UsageRecords xmlns:urf="http://schema.ogf.org/urf/2003/09/urf"><urf:UsageRecord><urf:RecordIdentity urf:recordId="a"/><urf:Status>Completed</urf:Status></urf:UsageRecord><urf:UsageRecord><urf:RecordIdentity urf:recordId="b"/><urf:Status>x</urf:Status><urf:Memory>0</urf:Memory></urf:UsageRecord></urf:UsageRecords>"#;
    let path = file("ur1-two.xml", ur);
    let p = path.to_str().unwrap();
    let (code, out, _) = run(
        &["validate", "--profile", "strict", "--output", "json", p],
        None,
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &v["files"][0];
    assert_eq!(f["format"], "ur1");
    assert_eq!(
        (f["records"].as_u64(), f["valid_records"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(f["findings"][0]["code"], "xml-schema");
    assert_eq!(f["findings"][0]["record"], 1);
    // The apel profile refuses UR 1.0, as apel does.
    let (code, out, _) = run(&["validate", "--output", "json", p], None);
    assert_eq!(code, 1);
    assert!(out.contains("unknown-message-type"), "{out}");
}

const JOB: &str = "APEL-individual-job-message: v0.3\nSite: S\nSubmitHost: ce.example.org\nMachineName: wn.example.org\nQueue: q\nLocalJobId: 1\nLocalUserId: u\nWallDuration: 10\nCpuDuration: 5\nStartTime: 1600000000\nEndTime: 1600000010\nInfrastructureType: grid\nServiceLevelType: HEPSPEC\nServiceLevel: 10.0\n%%\n";

#[test]
fn convert_writes_the_target_and_reports_differences() {
    let path = file("job.apel", JOB);
    let p = path.to_str().unwrap();
    let at = "2026-11-21T00:00:00Z";
    let (code, car, err) = run(&["convert", "--to", "car", "--at", at, p], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        car.contains("<urf:MachineName>wn.example.org</urf:MachineName>"),
        "{car}"
    );
    assert!(
        car.contains("urf:createTime=\"2026-11-21T00:00:00Z\""),
        "{car}"
    );
    // Values the converter supplied are reported, each once, with the number of records.
    assert!(err.contains("assumed[Status] record 0 (1 record)"), "{err}");
    // Back to APEL text through --output: the same record.
    let car_path = file("job.car.xml", &car);
    let out =
        std::env::temp_dir().join(format!("usage-record-cli-{}/back.apel", std::process::id()));
    let o = out.to_str().unwrap();
    let (code, stdout, err) = run(
        &[
            "convert",
            "--to",
            "apel",
            "--at",
            at,
            "--output",
            o,
            car_path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(stdout.is_empty());
    let back = std::fs::read_to_string(&out).unwrap();
    let mut a: Vec<&str> = JOB.lines().skip(1).collect();
    let mut b: Vec<&str> = back.lines().skip(1).collect();
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(a, b);
    // A target that cannot carry job records, an unknown target: usage errors.
    assert_eq!(run(&["convert", "--to", "star", p], None).0, 2);
    assert_eq!(run(&["convert", "--to", "xml", p], None).0, 2);
    assert_eq!(run(&["convert", "--to", "car", "/nonexistent"], None).0, 2);
    // Output the target judges invalid (no MachineName): written, reported, exit 1.
    let gap = file(
        "gap.apel",
        &JOB.replace("MachineName: wn.example.org\n", ""),
    );
    let (code, out, err) = run(
        &["convert", "--to", "car", "--at", at, gap.to_str().unwrap()],
        None,
    );
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("<urf:UsageRecord>"));
    assert!(err.contains("missing[MachineName]"), "{err}");
    assert!(err.contains("error[xml-schema]"), "{err}");
    // Input without a valid record: exit 1, nothing written.
    let (code, out, _) = run(&["convert", "--to", "car", "-"], Some(INVALID));
    assert_eq!((code, out.as_str()), (1, ""));
}

#[test]
fn summarise_splits_into_messages() {
    let mut cloud = String::from("APEL-cloud-message: v0.4\n");
    for i in 0..5 {
        cloud.push_str(&format!(
            "VMUUID: vm-{i}\nSiteName: S\nStatus: completed\nEndTime: 1704153600\nImageId: img-{i}\n%%\n"
        ));
    }
    let path = file("cloud5.apel", &cloud);
    let dir = std::env::temp_dir().join(format!("usage-record-cli-{}/split", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (code, out, err) = run(
        &[
            "summarise",
            "--output-dir",
            dir.to_str().unwrap(),
            "--records-per-message",
            "2",
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "cloud-summary-00001.apel",
            "cloud-summary-00002.apel",
            "cloud-summary-00003.apel"
        ]
    );
    let counts: Vec<usize> = names
        .iter()
        .map(|n| {
            std::fs::read_to_string(dir.join(n))
                .unwrap()
                .matches("%%")
                .count()
        })
        .collect();
    assert_eq!(counts, [2, 2, 1]);
    assert_eq!(
        run(
            &[
                "summarise",
                "--output-dir",
                dir.to_str().unwrap(),
                "--records-per-message",
                "0",
                path.to_str().unwrap()
            ],
            None
        )
        .0,
        2
    );
}
