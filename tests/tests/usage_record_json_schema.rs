//! Interoperability with the reference JSON Schema validator: Python `jsonschema` (Debian
//! `python3-jsonschema`) and the accelerator message schemas of the corpus give the same verdict
//! as our `strict` profile on messages that differ only in what the schema checks, and accept
//! what `render_json_message` writes. Skips with a notice when the tool is absent.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use fedcloud_conformance::{Outcome, corpus_area, ratchet};
use fedcloud_core::FixedClock;
use std::io::Write;
use std::process::{Command, Stdio};
use usage_record::apel::{Options, Profile, parse_json_message, render_json_message};

const RECORD: &str = r#"{"MeasurementMonth": 9, "MeasurementYear": 2018, "AssociatedRecordType": "cloud", "AssociatedRecord": "vm-1", "GlobalUserName": "u", "FQAN": "/ops", "SiteName": "S", "Count": 0.5, "Cores": 64, "ActiveDuration": 600, "AvailableDuration": 6000, "BenchmarkType": "b", "Benchmark": 1005, "Type": "GPU", "Model": "m"}"#;

fn message(record: &str) -> String {
    format!(
        r#"{{"Type": "APEL-accelerator-message", "Version": "0.1", "UsageRecords": [{record}]}}"#
    )
}

/// `valid` / `invalid` per document, from jsonschema; `None` when the tool is not there.
fn jsonschema_verdicts(schema: &std::path::Path, docs: &[String]) -> Option<Vec<bool>> {
    let python = std::path::Path::new("/usr/bin/python3");
    let probe = Command::new(python)
        .args(["-c", "import jsonschema"])
        .output()
        .ok()?;
    if !probe.status.success() {
        println!("skipped: python3-jsonschema not installed");
        return None;
    }
    let script = "import json, sys, jsonschema\n\
        s = json.load(open(sys.argv[1]))\n\
        v = jsonschema.validators.validator_for(s)(s)\n\
        for line in sys.stdin:\n\
        \x20   print('valid' if v.is_valid(json.loads(line)) else 'invalid')\n";
    let mut child = Command::new(python)
        .args(["-c", script])
        .arg(schema)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    {
        let mut stdin = child.stdin.take().unwrap();
        for d in docs {
            // One document per line.
            writeln!(stdin, "{}", d.replace('\n', " ")).unwrap();
        }
    }
    let out = child.wait_with_output().ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| l == "valid")
            .collect(),
    )
}

#[test]
fn strict_profile_agrees_with_jsonschema() -> Result<(), Box<dyn std::error::Error>> {
    let Some(dir) = corpus_area("usage-record")? else {
        return Ok(());
    };
    let schema = dir.join("schemas/apel-json/accelerator-message.schema.json");
    // The schema's maximum year was evaluated as 2026 when it was dumped.
    let options = Options::new(
        Profile::Strict,
        &FixedClock("2026-11-21T00:00:00Z".parse()?),
    );
    let mut cases: Vec<(String, String)> = vec![
        ("valid".into(), message(RECORD)),
        (
            "corpus-file".into(),
            std::fs::read_to_string(dir.join("apel-pr459/accelerator-message-v0.1.json"))?,
        ),
        (
            "count-as-string".into(),
            message(&RECORD.replace("\"Count\": 0.5", "\"Count\": \"0.5\"")),
        ),
        (
            "count-as-bool".into(),
            message(&RECORD.replace("\"Count\": 0.5", "\"Count\": true")),
        ),
        (
            "month-13".into(),
            message(&RECORD.replace("\"MeasurementMonth\": 9", "\"MeasurementMonth\": 13")),
        ),
        (
            "month-float-integral".into(),
            message(&RECORD.replace("\"MeasurementMonth\": 9", "\"MeasurementMonth\": 9.0")),
        ),
        (
            "month-fraction".into(),
            message(&RECORD.replace("\"MeasurementMonth\": 9", "\"MeasurementMonth\": 9.5")),
        ),
        ("year-1999".into(), message(&RECORD.replace("2018", "1999"))),
        ("year-2027".into(), message(&RECORD.replace("2018", "2027"))),
        (
            "type-tpu".into(),
            message(&RECORD.replace("\"GPU\"", "\"TPU\"")),
        ),
        (
            "association-vm".into(),
            message(&RECORD.replace("\"cloud\"", "\"vm\"")),
        ),
        (
            "cores-null".into(),
            message(&RECORD.replace("\"Cores\": 64", "\"Cores\": null")),
        ),
        (
            "model-null".into(),
            message(&RECORD.replace("\"Model\": \"m\"", "\"Model\": null")),
        ),
        (
            "missing-fqan".into(),
            message(&RECORD.replace("\"FQAN\": \"/ops\", ", "")),
        ),
        (
            "missing-count".into(),
            message(&RECORD.replace("\"Count\": 0.5, ", "")),
        ),
        (
            "version-0.2".into(),
            message(RECORD).replace("\"0.1\"", "\"0.2\""),
        ),
        ("no-records".into(), message("")),
        ("record-not-object".into(), message("[1]")),
        (
            "two-records".into(),
            message(&format!("{RECORD}, {RECORD}")),
        ),
    ];
    let valid_text = message(RECORD);
    let parsed = parse_json_message(valid_text.as_bytes(), &options);
    let records: Vec<_> = parsed.records.into_iter().map(|e| e.record).collect();
    cases.push(("rendered".into(), render_json_message(&records)?));
    let docs: Vec<String> = cases.iter().map(|(_, d)| d.clone()).collect();
    let Some(theirs) = jsonschema_verdicts(&schema, &docs) else {
        return Ok(());
    };
    let mut outcomes = Vec::new();
    for ((name, doc), their_valid) in cases.iter().zip(theirs) {
        let ours = parse_json_message(doc.as_bytes(), &options);
        let our_valid = ours.is_valid();
        outcomes.push(if our_valid == their_valid {
            Outcome::pass(name.clone())
        } else {
            Outcome::fail(
                name.clone(),
                format!(
                    "ours {our_valid}, jsonschema {their_valid}: {:?}",
                    ours.findings.first().map(ToString::to_string)
                ),
            )
        });
    }
    ratchet("usage-record-json-schema", &outcomes)?;
    Ok(())
}
