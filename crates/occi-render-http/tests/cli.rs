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
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
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
