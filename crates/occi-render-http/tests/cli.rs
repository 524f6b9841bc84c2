//! The `occi` binary: exit codes, positioned errors, conversions.
#![cfg(feature = "cli")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn occi(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_occi"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that does not read its input may exit before it is written.
    let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

const BODY: &str = "Category: compute;scheme=\"http://schemas.ogf.org/occi/infrastructure#\";class=\"kind\"\nX-OCCI-Attribute: occi.core.id=\"1\"\nX-OCCI-Attribute: occi.compute.cores=\"2\"\n";

#[test]
fn parse_exit_codes_and_output() {
    // Strict: a positioned error, as JSON on stdout.
    let o = occi(&["parse", "--type", "text/plain", "-"], BODY);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"]["line"], 1);
    assert_eq!(v["error"]["column"], 18);
    assert_eq!(
        v["error"]["message"],
        "not allowed in strict mode: separator-spacing"
    );
    // As text on stderr.
    let o = occi(
        &["parse", "--type", "text/plain", "--output", "text", "-"],
        BODY,
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(o.stderr).unwrap(),
        "error: not allowed in strict mode: separator-spacing at line 1, column 18\n"
    );
    // Lenient: OCCI 1.2 JSON, values typed through the model, warnings on stderr.
    let o = occi(
        &["parse", "--type", "text/plain", "--mode", "lenient", "-"],
        BODY,
    );
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["kind"],
        "http://schemas.ogf.org/occi/infrastructure#compute"
    );
    assert_eq!(v["attributes"]["occi.compute.cores"], 2);
    assert_eq!(v["id"], "1");
    let warnings = String::from_utf8(o.stderr).unwrap();
    assert!(
        warnings.contains("warning: quoted-number at line 3, column 19"),
        "{warnings}"
    );
    // Usage errors.
    assert_eq!(
        occi(&["parse", "--type", "image/png", "-"], "")
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        occi(
            &["parse", "--type", "text/plain", "--mode", "sloppy", "-"],
            ""
        )
        .status
        .code(),
        Some(2)
    );
    assert_eq!(occi(&["parse", "-"], "").status.code(), Some(2));
    assert_eq!(
        occi(&["parse", "--type", "text/plain", "/nonexistent/file"], "")
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn text_occi_input_and_conversions() {
    let msg = "HTTP/1.1 201 Created\nCategory: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\nX-OCCI-Attribute: occi.core.id=\"1\", occi.compute.cores=2\n\nOK\n";
    let o = occi(
        &["convert", "--from", "text/occi", "--to", "text/plain", "-"],
        msg,
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\nX-OCCI-Attribute: occi.core.id=\"1\"\nX-OCCI-Attribute: occi.compute.cores=2\n"
    );
    let o = occi(
        &["convert", "--from", "text/plain", "--to", "text/occi", "-"],
        "X-OCCI-Location: /a\nX-OCCI-Location: /b\n",
    );
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "X-OCCI-Location: /a, /b\n\nOK\n"
    );
    let o = occi(
        &[
            "convert",
            "--from",
            "application/occi+json",
            "--to",
            "text/uri-list",
            "-",
        ],
        "[\"/a\", \"/b\"]",
    );
    assert_eq!(String::from_utf8(o.stdout).unwrap(), "/a\r\n/b\r\n");
    // text/uri-list carries only locations.
    let o = occi(
        &[
            "convert",
            "--from",
            "text/occi",
            "--to",
            "text/uri-list",
            "-",
        ],
        msg,
    );
    assert_eq!(o.status.code(), Some(1));
}

/// What a server answers, HTTP headers and all, parses in every mode.
#[test]
fn real_responses_parse() {
    let msg = "HTTP/1.1 200 OK\r\nServer: Apache/2.4 OCCI/1.2\r\nX-Runtime: 0.012\r\nX-XSS-Protection: 1; mode=block\r\nCategory: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\r\nX-OCCI-Attribute: occi.core.id=\"1\"\r\n\r\nOK\r\n";
    for mode in ["strict-1.1", "strict-1.2", "lenient"] {
        let o = occi(&["parse", "--type", "text/occi", "--mode", mode, "-"], msg);
        assert_eq!(o.status.code(), Some(0), "{mode}: {o:?}");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["id"], "1");
    }
    // Indented lines: a warning in lenient mode, an error in strict mode.
    let indented = "  Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\n";
    let o = occi(
        &["parse", "--type", "text/occi", "--mode", "lenient", "-"],
        indented,
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(
        String::from_utf8(o.stderr)
            .unwrap()
            .contains("warning: indented-line at line 1, column 1")
    );
    let o = occi(&["parse", "--type", "text/occi", "-"], indented);
    assert_eq!(o.status.code(), Some(1));
}

/// Strict modes validate against the registry and list every violation with its position;
/// lenient mode warns; a provider's categories are notices unless `--model` names the
/// server's registry.
#[test]
fn validation_against_the_registry() {
    let body = "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\n\
                Category: ubuntu; scheme=\"http://example.org/os#\"; class=\"mixin\"\n\
                X-OCCI-Attribute: occi.compute.architecture=\"arm64\"\n";
    let o = occi(&["parse", "--type", "text/plain", "-"], body);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let violations = v["error"]["violations"].as_array().unwrap();
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0]["code"], "not-in-enumeration");
    assert_eq!(
        (
            violations[0]["line"].as_u64(),
            violations[0]["column"].as_u64()
        ),
        (Some(3), Some(19))
    );
    assert_eq!(violations[0]["attribute"], "occi.compute.architecture");
    let o = occi(
        &["parse", "--type", "text/plain", "--mode", "lenient", "-"],
        body,
    );
    assert_eq!(o.status.code(), Some(0));
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert!(stderr.contains("notice: preserved-category"), "{stderr}");
    assert!(stderr.contains("warning: not-in-enumeration"), "{stderr}");
    // The server's own listing: its compute kind and no ubuntu mixin.
    let dir = std::env::temp_dir().join(format!("occi-cli-model-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let listing = dir.join("model.txt");
    std::fs::write(
        &listing,
        "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"; rel=\"http://schemas.ogf.org/occi/core#resource\"; location=\"/compute/\"; attributes=\"occi.compute.architecture occi.compute.cores\"\n",
    )
    .unwrap();
    let ok = "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\nX-OCCI-Attribute: occi.compute.cores=2\n";
    let model = listing.to_str().unwrap();
    let o = occi(
        &["parse", "--type", "text/plain", "--model", model, "-"],
        ok,
    );
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let o = occi(
        &[
            "parse",
            "--type",
            "text/plain",
            "--model",
            model,
            "--output",
            "text",
            "-",
        ],
        body,
    );
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert!(stderr.contains("error: unknown-mixin"), "{stderr}");
    assert!(stderr.contains("error: not-in-enumeration"), "{stderr}");
    // A model file that is no registry is a usage error.
    std::fs::write(
        &listing,
        "Category: k; scheme=\"http://example.org/x#\"; class=\"kind\"\n",
    )
    .unwrap();
    let o = occi(
        &["parse", "--type", "text/plain", "--model", model, "-"],
        ok,
    );
    assert_eq!(o.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A conversion says what the target rendering cannot carry.
#[test]
fn conversions_report_losses() {
    let text = "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\n\
                X-OCCI-Attribute: occi.core.id=\"c\"\n\
                Link: </storage/1>; rel=\"http://schemas.ogf.org/occi/infrastructure#storage\"; self=\"/disks/x\"; category=\"http://schemas.ogf.org/occi/infrastructure#storagelink\"; occi.core.id=\"x\"\n";
    let o = occi(
        &[
            "convert",
            "--from",
            "text/plain",
            "--to",
            "application/occi+json",
            "-",
        ],
        text,
    );
    assert_eq!(o.status.code(), Some(0));
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert!(
        stderr.contains(
            "warning: application/occi+json cannot carry the link's self location \"/disks/x\""
        ),
        "{stderr}"
    );
}
