//! Interoperability with OpenSSL: for every certificate of the VOMS and JGlobus test PKIs, the
//! subject and issuer read from DER render exactly as `openssl x509 -nameopt compat` prints them,
//! and equal (structurally) what `-nameopt RFC2253` prints. Skips with a notice when openssl is
//! not installed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use der::DecodePem;
use fedcloud_conformance::{Outcome, corpus_area, files_below, ratchet, reference_tool};
use fedcloud_core::Dn;
use std::path::Path;
use std::process::Command;
use x509_cert::Certificate;

fn openssl_name(openssl: &Path, file: &Path, which: &str, nameopt: &str) -> Result<String, String> {
    let out = Command::new(openssl)
        .args(["x509", "-noout", which, "-nameopt", nameopt, "-in"])
        .arg(file)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8(out.stdout).map_err(|e| e.to_string())?;
    let line = text.trim_end_matches('\n');
    let prefix = format!("{}=", &which[1..]);
    Ok(line.strip_prefix(&prefix).unwrap_or(line).to_owned())
}

fn check(openssl: &Path, file: &Path, cert: &Certificate) -> Result<(), String> {
    let tbs = cert.tbs_certificate();
    for (which, name) in [("-subject", tbs.subject()), ("-issuer", tbs.issuer())] {
        let dn = Dn::from_der_name(name).map_err(|e| format!("{which}: {e}"))?;
        let compat = openssl_name(openssl, file, which, "compat")?;
        if dn.to_oneline() != compat {
            return Err(format!(
                "{which}: ours {} openssl {compat}",
                dn.to_oneline()
            ));
        }
        let rfc2253 = openssl_name(openssl, file, which, "RFC2253")?;
        let theirs = Dn::parse_rfc4514(&rfc2253).map_err(|e| format!("{which} {rfc2253}: {e}"))?;
        if theirs != dn {
            return Err(format!(
                "{which}: RFC 2253 {rfc2253} differs from {}",
                dn.to_rfc4514()
            ));
        }
        // Our DER encoding reads back to the same name.
        let again =
            Dn::from_der(&dn.to_der().map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
        if again != dn {
            return Err(format!(
                "{which}: DER round trip changed {}",
                dn.to_oneline()
            ));
        }
    }
    Ok(())
}

#[test]
fn openssl_renders_the_same_names() -> Result<(), Box<dyn std::error::Error>> {
    let Some(voms) = corpus_area("voms")? else {
        return Ok(());
    };
    let Some(openssl) = reference_tool("openssl") else {
        return Ok(());
    };
    let files = files_below(&voms, &|p| {
        std::fs::read(p).is_ok_and(|b| b.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----"))
    })?;
    let mut outcomes = Vec::new();
    for file in files {
        let id = format!("voms/{}", file.strip_prefix(&voms)?.display());
        let pem = std::fs::read_to_string(&file)?;
        // The first certificate of the file is what `openssl x509` reads.
        let start = pem.find("-----BEGIN CERTIFICATE-----").unwrap_or(0);
        let end = pem[start..]
            .find("-----END CERTIFICATE-----")
            .map_or(pem.len(), |e| start + e + "-----END CERTIFICATE-----".len());
        let result = match Certificate::from_pem(&pem[start..end]) {
            Ok(cert) => check(&openssl, &file, &cert),
            Err(e) => Err(format!("x509-cert cannot read it: {e}")),
        };
        outcomes.push(Outcome { id, result });
    }
    assert!(outcomes.len() >= 50, "only {} certificates", outcomes.len());
    ratchet("core-dn-openssl", &outcomes)?;
    Ok(())
}
