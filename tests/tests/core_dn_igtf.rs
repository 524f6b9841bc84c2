//! Every CA subject DN of the IGTF trust-anchor snapshot (`.signing_policy` `access_id_CA` and
//! `.namespaces` `TO Issuer` lines) parses in the one-line form, renders back to the same text,
//! and survives the RFC 4514 round trip.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use fedcloud_conformance::{Outcome, corpus_area, files_below, ratchet};
use fedcloud_core::Dn;

/// The quoted DN strings of a signing_policy or namespaces file, with the file format's own
/// `\'` / `\"` quote escapes undone.
fn quoted_dns(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let (quote, rest) = if let Some(rest) = line.strip_prefix("access_id_CA") {
            ('\'', rest)
        } else if let Some(rest) = line.strip_prefix("TO Issuer") {
            ('"', rest)
        } else {
            continue;
        };
        let Some(start) = rest.find(quote) else {
            continue;
        };
        let mut value = String::new();
        let mut chars = rest[start + 1..].chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(q) if q == quote => value.push(q),
                    Some(other) => {
                        value.push('\\');
                        value.push(other);
                    }
                    None => value.push('\\'),
                },
                c if c == quote => break,
                c => value.push(c),
            }
        }
        out.push(value);
    }
    out
}

fn check(text: &str) -> Result<(), String> {
    let dn = Dn::parse_oneline(text).map_err(|e| format!("parse: {e}"))?;
    if dn.to_oneline() != text {
        return Err(format!("renders as {}", dn.to_oneline()));
    }
    let rfc = dn.to_rfc4514();
    let back = Dn::parse_rfc4514(&rfc).map_err(|e| format!("RFC 4514 {rfc}: {e}"))?;
    if back != dn {
        return Err(format!("RFC 4514 round trip changed it: {rfc}"));
    }
    Ok(())
}

#[test]
fn igtf_ca_subjects() -> Result<(), Box<dyn std::error::Error>> {
    let Some(voms) = corpus_area("voms")? else {
        return Ok(());
    };
    let base = voms.join("canl-java/namespaces");
    let mut outcomes = Vec::new();
    for dir in ["eugridpma-globus", "eugridpma-namespaces"] {
        let files = files_below(&base.join(dir), &|p| {
            p.extension()
                .is_some_and(|e| e == "signing_policy" || e == "namespaces")
        })?;
        assert!(!files.is_empty(), "no files in {dir}");
        for file in files {
            let text = std::fs::read_to_string(&file)?;
            let rel = file.strip_prefix(&voms)?.display().to_string();
            for (i, dn) in quoted_dns(&text).iter().enumerate() {
                outcomes.push(Outcome {
                    id: format!("voms/{rel}#{i}"),
                    result: check(dn),
                });
            }
        }
    }
    assert!(outcomes.len() > 500, "only {} DNs found", outcomes.len());
    ratchet("core-dn-igtf", &outcomes)?;
    Ok(())
}
