//! Every example exchange of the CDMI 2.0.0 and 1.1.1 specifications
//! (`cdmi/snia-cdmi-*`, split into `*.request.http` / `*.response.http`, each body labelled by
//! `index.json`) through `cdmi::object`:
//!
//! * a `valid-json` body parses strictly as the object type of its `Content-Type`, renders
//!   back to the same JSON (as JSON values: nothing dropped, nothing added), and the
//!   rendering parses to the same object;
//! * an `invalid-json` body (an erratum of the specification) is refused as malformed JSON on
//!   the line the corpus names;
//! * an `elided` body (`...` placeholders) is refused.
//!
//! Expected failures, each with its reason, are in `tests/expected/cdmi-examples.txt`.
//!
//! The second suite, `cdmi-registry`, checks the `metadata` and `capabilities` of every body
//! that parses against the `cdmi_*` registry (names, value types, `cdmi_acl` as an ACL); its
//! expected failures are in `tests/expected/cdmi-registry.txt`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use cdmi::ErrorKind;
use cdmi::media::parse_media_type;
use cdmi::metadata::{check_capabilities, check_metadata};
use cdmi::object::{Body, Mode, Object};
use fedcloud_conformance::{Outcome, corpus_area, ratchet};
use serde_json::Value;
use std::path::Path;

/// The header lines and the body of an exchange file: the body starts after the first line
/// that is blank or white space only.
fn split(text: &str) -> (Vec<&str>, &str) {
    let mut offset = 0;
    let mut headers = Vec::new();
    for line in text.split_inclusive('\n') {
        offset += line.len();
        if line.trim().is_empty() {
            return (headers, text.get(offset..).unwrap_or_default());
        }
        headers.push(line.trim_end());
    }
    (headers, "")
}

fn content_type<'a>(headers: &[&'a str]) -> Option<&'a str> {
    headers.iter().find_map(|h| {
        let (n, v) = h.split_once(':')?;
        n.trim()
            .eq_ignore_ascii_case("content-type")
            .then(|| v.trim())
    })
}

/// The outcome for one body of `verdict`.
fn check(file: &Path, verdict: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let (headers, body) = split(&text);
    let body = body.trim_end();
    let media = content_type(&headers).ok_or("no Content-Type")?;
    let (t, _) = parse_media_type(media, false).map_err(|e| format!("{e}"))?;
    let strict = Object::parse(body, t, Mode::Strict);
    if let Some(rest) = verdict.strip_prefix("invalid-json") {
        // "invalid-json: Expecting ',' delimiter: line 5 column 3 (char 92)"
        let line: usize = rest
            .split("line ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        return match strict {
            Ok(_) => Err("an erratum accepted".into()),
            Err(e) if matches!(e.kind(), ErrorKind::Json(_)) && e.position().line == line => Ok(()),
            Err(e) => Err(format!(
                "refused, but not as the corpus says (line {line}): {e}"
            )),
        };
    }
    if verdict.starts_with("elided") {
        return match strict {
            Ok(_) => Err("an elided body accepted".into()),
            Err(_) => Ok(()),
        };
    }
    let parsed = strict.map_err(|e| {
        let lenient = Object::parse(body, t, Mode::Lenient)
            .map(|p| format!("lenient mode reads it with {:?}", p.deviations))
            .unwrap_or_else(|e| format!("lenient mode refuses it too: {e}"));
        format!("{e}; {lenient}")
    })?;
    let rendered = parsed.object.to_json();
    let original: Value = serde_json::from_str(body).map_err(|e| e.to_string())?;
    let ours: Value = serde_json::from_str(&rendered).map_err(|e| e.to_string())?;
    if original != ours {
        return Err(format!("the rendering differs:\n{rendered}"));
    }
    let again =
        Object::parse(&rendered, t, Mode::Strict).map_err(|e| format!("our rendering: {e}"))?;
    if again.object != parsed.object {
        return Err("the rendering reads back differently".into());
    }
    Ok(())
}

/// The registry findings for one body that parses (strictly, else leniently); `None` for a
/// body that does not parse at all.
fn registry_findings(file: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(file).ok()?;
    let (headers, body) = split(&text);
    let (t, _) = parse_media_type(content_type(&headers)?, true).ok()?;
    let o = Object::parse(body.trim_end(), t, Mode::Strict)
        .or_else(|_| Object::parse(body.trim_end(), t, Mode::Lenient))
        .ok()?
        .object;
    let mut findings: Vec<String> = Vec::new();
    if let Some(m) = &o.metadata {
        findings.extend(
            check_metadata(m, Mode::Strict)
                .into_iter()
                .map(|f| format!("metadata {}: {}", f.name, f.problem)),
        );
    }
    if let Body::Capability(c) = &o.body
        && let Some(caps) = &c.capabilities
    {
        findings.extend(
            check_capabilities(caps, Mode::Strict)
                .into_iter()
                .map(|f| format!("capability {}: {}", f.name, f.problem)),
        );
    }
    Some(findings)
}

/// Every body of the corpus with a JSON verdict other than `non-json-body`: (id, file,
/// verdict).
fn bodies(root: &Path) -> Vec<(String, std::path::PathBuf, String)> {
    let mut out = Vec::new();
    for (edition, key) in [
        ("snia-cdmi-2.0.0", "blocks"),
        ("snia-cdmi-1.1.1", "exchanges"),
    ] {
        let dir = root.join(edition);
        let index: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap())
                .unwrap();
        for block in index[key].as_array().unwrap() {
            for side in ["request", "response"] {
                let Some(verdict) = block[side]["body"].as_str() else {
                    continue;
                };
                if verdict.starts_with("non-json-body") {
                    continue;
                }
                let file = block[side]["file"].as_str().unwrap();
                out.push((
                    format!("{edition}/{file}"),
                    dir.join(file),
                    verdict.to_owned(),
                ));
            }
        }
    }
    out
}

#[test]
fn metadata_and_capabilities_of_the_examples() {
    let Some(root) = corpus_area("cdmi").unwrap() else {
        return;
    };
    let mut outcomes = Vec::new();
    for (id, file, _) in bodies(&root) {
        let Some(findings) = registry_findings(&file) else {
            continue;
        };
        outcomes.push(if findings.is_empty() {
            Outcome::pass(id)
        } else {
            Outcome::fail(id, findings.join("; "))
        });
    }
    for o in &outcomes {
        println!("{o:?}");
    }
    assert!(outcomes.len() > 100, "{} bodies", outcomes.len());
    ratchet("cdmi-registry", &outcomes).unwrap();
}

#[test]
fn specification_examples() {
    let Some(root) = corpus_area("cdmi").unwrap() else {
        return;
    };
    let mut outcomes = Vec::new();
    for (id, file, verdict) in bodies(&root) {
        outcomes.push(match check(&file, &verdict) {
            Ok(()) => Outcome::pass(id),
            Err(why) => Outcome::fail(id, why.replace('\n', " ")),
        });
    }
    for o in &outcomes {
        println!("{o:?}");
    }
    assert!(outcomes.len() > 150, "{} bodies", outcomes.len());
    ratchet("cdmi-examples", &outcomes).unwrap();
}
