//! The `apel` profile reproduces apel 2.5.0's verdicts (`usage-record/expected/apel-verdicts.json`)
//! file by file: accept or reject, the number and class of records, and apel's error text.
//! Record bodies under `apel/records/<class>/` get the header of their class. Formats not yet
//! implemented (XML, JSON) are listed in `tests/expected/usage-record-apel.txt`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use fedcloud_conformance::{Outcome, corpus_area, ratchet};
use fedcloud_core::FixedClock;
use std::collections::BTreeMap;
use usage_record::apel::{Options, Profile, parse_message};

/// The verdicts file is JSON; this suite needs only a few string fields of it, so it reads them
/// with a tiny purpose-made scanner rather than pulling a JSON library into the harness.
fn verdicts(text: &str) -> BTreeMap<String, (String, Option<String>, Option<usize>, Vec<String>)> {
    let mut out = BTreeMap::new();
    // Entries look like: "path": {"verdict": "...", ["error": "...",] ["records": N, "types": [...]]}
    let mut rest = text;
    while let Some(i) = rest.find("\"verdict\"") {
        let before = &rest[..i];
        let key_end = before.rfind("\": {").unwrap();
        let key_start = before[..key_end].rfind('"').unwrap() + 1;
        let key = before[key_start..key_end].to_owned();
        let entry_end = rest[i..].find('}').unwrap() + i;
        let entry = &rest[i..entry_end];
        let string_of = |name: &str| -> Option<String> {
            let at = entry.find(&format!("\"{name}\": \""))? + name.len() + 5;
            let mut s = String::new();
            let mut chars = entry[at..].chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => s.push(chars.next().unwrap()),
                    '"' => break,
                    c => s.push(c),
                }
            }
            Some(s)
        };
        let records = entry.find("\"records\": ").map(|at| {
            entry[at + 11..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap()
        });
        let types = entry
            .find("\"types\": [")
            .map(|at| {
                let list = &entry[at + 10..];
                let list = &list[..list.find(']').unwrap()];
                list.split(',')
                    .map(|t| t.trim().trim_matches('"').to_owned())
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        out.insert(
            key,
            (
                string_of("verdict").unwrap(),
                string_of("error"),
                records,
                types,
            ),
        );
        rest = &rest[entry_end..];
    }
    out
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
    )?);
    assert!(
        expected.len() >= 50,
        "only {} verdicts read",
        expected.len()
    );
    // apel ran on 2026-11-21; its month checks compare with that date.
    let options = Options::new(Profile::Apel, &FixedClock("2026-11-21T12:00:00Z".parse()?));
    let mut outcomes = Vec::new();
    for (path, (verdict, error, records, types)) in &expected {
        let bytes = std::fs::read(dir.join(path))?;
        let text = match header_for(path) {
            Some(h) => [h.as_bytes(), b"\n", &bytes].concat(),
            None => bytes,
        };
        let msg = parse_message(&text, &options);
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
            if let Some(n) = records {
                if msg.records.len() != *n {
                    problems.push(format!("{} records (apel: {n})", msg.records.len()));
                }
            }
            let class = msg.record_type.map(|t| t.apel_class().to_owned());
            if !types.is_empty() && class.as_ref() != types.first() {
                problems.push(format!("class {class:?} (apel: {types:?})"));
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
