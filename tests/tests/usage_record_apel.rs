//! The `apel` profile reproduces apel 2.5.0's verdicts (`usage-record/expected/apel-verdicts.json`)
//! file by file: accept or reject, the number and class of records, and apel's error text.
//! Record bodies under `apel/records/<class>/` get the header of their class. Expected failures
//! are listed in `tests/expected/usage-record-apel.txt`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use fedcloud_conformance::{Outcome, corpus_area, ratchet};
use fedcloud_core::FixedClock;
use std::collections::BTreeMap;
use usage_record::apel::{Options, Profile, parse_any};

/// apel's verdict on one file.
struct Verdict {
    verdict: String,
    error: Option<String>,
    records: Option<usize>,
    types: Vec<String>,
}

fn verdicts(text: &str) -> Result<BTreeMap<String, Verdict>, Box<dyn std::error::Error>> {
    let doc: serde_json::Value = serde_json::from_str(text)?;
    let mut out = BTreeMap::new();
    for section in ["main", "pr459_json"] {
        let Some(entries) = doc[section].as_object() else {
            continue;
        };
        for (path, v) in entries {
            out.insert(
                path.clone(),
                Verdict {
                    verdict: v["verdict"].as_str().unwrap_or_default().to_owned(),
                    error: v["error"].as_str().map(str::to_owned),
                    records: v["records"].as_u64().map(|n| n as usize),
                    types: v["types"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|t| t.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default(),
                },
            );
        }
    }
    Ok(out)
}

fn header_for(path: &str) -> Option<&'static str> {
    let class = path.strip_prefix("apel/records/")?.split('/').next()?;
    Some(match class {
        "cloud" => "APEL-cloud-message: v0.4",
        "cloud-summary" => "APEL-cloud-summary-message: v0.4",
        "summary-v0.2" => "APEL-summary-job-message: v0.2",
        "normalised-summary-v0.3" => "APEL-summary-job-message: v0.3",
        "normalised-summary-v0.4" => "APEL-normalised-summary-message: v0.4",
        "sync" => "APEL-sync-message: v0.1",
        _ => return None,
    })
}

#[test]
fn apel_verdicts() -> Result<(), Box<dyn std::error::Error>> {
    let Some(dir) = corpus_area("usage-record")? else {
        return Ok(());
    };
    let expected = verdicts(&std::fs::read_to_string(
        dir.join("expected/apel-verdicts.json"),
    )?)?;
    assert!(
        expected.len() >= 50,
        "only {} verdicts read",
        expected.len()
    );
    // apel ran on 2026-11-21; its month checks compare with that date.
    let options = Options::new(Profile::Apel, &FixedClock("2026-11-21T12:00:00Z".parse()?));
    let mut outcomes = Vec::new();
    for (
        path,
        Verdict {
            verdict,
            error,
            records,
            types,
        },
    ) in &expected
    {
        let bytes = std::fs::read(dir.join(path))?;
        let text = match header_for(path) {
            Some(h) => [h.as_bytes(), b"\n", &bytes].concat(),
            None => bytes,
        };
        let msg = parse_any(&text, &options);
        let ours = if msg.is_valid() { "accept" } else { "reject" };
        let mut problems = Vec::new();
        if ours != verdict {
            problems.push(format!(
                "verdict {ours} (apel: {verdict}); first finding: {:?}",
                msg.findings
                    .iter()
                    .find(|f| f.is_error())
                    .map(ToString::to_string)
            ));
        } else if ours == "accept" {
            if let Some(n) = records
                && msg.records.len() != *n
            {
                problems.push(format!("{} records (apel: {n})", msg.records.len()));
            }
            // apel lists the classes of the records it built, as a sorted set.
            let mut classes: Vec<String> = msg
                .records
                .iter()
                .map(|e| e.record.record_type().apel_class().to_owned())
                .collect();
            classes.sort();
            classes.dedup();
            if msg.records.is_empty() {
                classes.extend(msg.record_type.map(|t| t.apel_class().to_owned()));
            }
            let mut theirs = types.clone();
            theirs.sort();
            if !types.is_empty() && classes != theirs {
                problems.push(format!("classes {classes:?} (apel: {types:?})"));
            }
        } else if let Some(error) = error {
            let theirs = error.split_once(": ").map_or(error.as_str(), |(_, m)| m);
            let ours = msg.apel_error().and_then(|f| f.apel_message.clone());
            if ours.as_deref() != Some(theirs) {
                problems.push(format!("error {ours:?} (apel: {theirs:?})"));
            }
        }
        outcomes.push(if problems.is_empty() {
            Outcome::pass(path.clone())
        } else {
            Outcome::fail(path.clone(), problems.join("; "))
        });
    }
    ratchet("usage-record-apel", &outcomes)?;
    Ok(())
}
