//! The `cdmi` binary: exit codes and outputs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn cdmi(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cdmi"))
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

#[test]
fn objectid_check_and_new() {
    let o = cdmi(
        &[
            "objectid",
            "check",
            "--output",
            "json",
            "00006FFD001001CCE3B2B4F602032653",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["valid"], true);
    assert_eq!(
        (v["enterprise"].as_u64(), v["length"].as_u64()),
        (Some(28669), Some(16))
    );
    assert_eq!(
        (v["crc"].as_str(), v["crc_expected"].as_str()),
        (Some("01CC"), Some("01CC"))
    );
    assert_eq!(v["opaque"], "E3B2B4F602032653");
    assert_eq!(v["problems"], serde_json::json!([]));
    // The opaque-length byte: invalid, tolerated with --lenient.
    let bug = "00006FFD0008A1B2E3B2B4F602032653";
    let o = cdmi(&["objectid", "check", "--output", "json", bug], "");
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["problems"][0]["code"], "length-is-opaque-length");
    assert_eq!(
        cdmi(&["objectid", "check", "--lenient", bug], "")
            .status
            .code(),
        Some(0)
    );
    let o = cdmi(
        &["objectid", "check", "00006FFD001001CDE3B2B4F602032653"],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .contains("crc-mismatch")
    );
    // new
    let o = cdmi(
        &[
            "objectid",
            "new",
            "--enterprise",
            "28669",
            "--opaque",
            "E3B2B4F602032653",
        ],
        "",
    );
    assert_eq!(
        String::from_utf8(o.stdout).unwrap().trim(),
        "00006FFD001001CCE3B2B4F602032653"
    );
    let o = cdmi(&["objectid", "new", "--enterprise", "28669"], "");
    let id = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        cdmi(&["objectid", "check", id.trim()], "").status.code(),
        Some(0)
    );
    assert_eq!(
        cdmi(&["objectid", "new", "--enterprise", "0"], "")
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        cdmi(
            &["objectid", "new", "--enterprise", "1", "--opaque", "xyz"],
            ""
        )
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn parse_bodies() {
    let body = r#"{"objectName": "a", "metadata": {"cdmi_size": "3"}, "value": "abc"}"#;
    let o = cdmi(&["parse", "--type", "application/cdmi-object", "-"], body);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v, serde_json::from_str::<serde_json::Value>(body).unwrap());
    let o = cdmi(
        &["parse", "--type", "application/cdmi-object", "-"],
        "{\n\"a\": 1\n\"b\": 2}",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8(o.stderr)
            .unwrap()
            .contains("line 3, column 1")
    );
    let o = cdmi(
        &[
            "parse",
            "--type",
            "application/cdmi-container",
            "--lenient",
            "-",
        ],
        r#"{"childrenrange": ""}"#,
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(
        String::from_utf8(o.stderr)
            .unwrap()
            .contains("warning: childrenrange")
    );
    assert_eq!(
        cdmi(&["parse", "--type", "text/plain", "-"], "{}")
            .status
            .code(),
        Some(2)
    );
}
