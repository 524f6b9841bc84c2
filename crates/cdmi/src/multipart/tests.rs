#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use super::*;
use crate::object::Body;

const CT: &str = "multipart/mixed; boundary=gc0p4Jq0M2Yt08j34c0p";

fn example(nl: &str) -> Vec<u8> {
    // The shape of 2.0.0 "Data object", create EXAMPLE 3.
    [
        "--gc0p4Jq0M2Yt08j34c0p",
        "Content-Type: application/cdmi-object",
        "",
        r#"{ "domainURI": "/cdmi_domains/MyDomain/", "metadata": { "colour": "blue" } }"#,
        "--gc0p4Jq0M2Yt08j34c0p",
        "Content-Type: application/octet-stream",
        "Content-Transfer-Encoding: binary",
        "",
        "\u{0}binary\r\n--not the boundary",
        "--gc0p4Jq0M2Yt08j34c0p--",
        "",
    ]
    .join(nl)
    .into_bytes()
}

#[test]
fn reads_the_documents_shape() {
    let m = read(
        &example("\r\n"),
        CT,
        ObjectType::DataObject,
        Mode::Strict,
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(
        m.object.object.metadata.as_ref().unwrap().get_str("colour"),
        Some("blue")
    );
    assert_eq!(m.values.len(), 1);
    assert_eq!(m.values[0].bytes, b"\0binary\r\n--not the boundary");
    assert_eq!(
        m.values[0].content_type.as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!((m.values[0].range.first, m.values[0].range.last), (0, 26));
}

#[test]
fn bare_lf_only_in_lenient_mode() {
    let body = example("\n");
    assert!(matches!(
        read(
            &body,
            CT,
            ObjectType::DataObject,
            Mode::Strict,
            &Limits::default()
        )
        .unwrap_err()
        .kind(),
        ErrorKind::Multipart(_)
    ));
    let m = read(
        &body,
        CT,
        ObjectType::DataObject,
        Mode::Lenient,
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(m.values[0].bytes, b"\0binary\r\n--not the boundary");
}

#[test]
fn ranges_content_lengths_and_base64() {
    let body = b"preamble\r\n--b\r\nContent-Type: application/cdmi-object\r\nContent-Length: 2\r\n\r\n{}\r\n--b\r\nContent-Range: bytes 10-12/20\r\n\r\nabc\r\n--b\r\n\r\nde\r\n--b\r\nContent-Transfer-Encoding: BASE64\r\nContent-Length: 4\r\n\r\nZmc=\r\n--b--\r\nepilogue";
    let m = read(
        body,
        "multipart/mixed; boundary=\"b\"",
        ObjectType::DataObject,
        Mode::Strict,
        &Limits::default(),
    )
    .unwrap();
    let got: Vec<_> = m
        .values
        .iter()
        .map(|v| (v.range.first, v.range.last, v.bytes.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (10, 12, b"abc".to_vec()),
            (13, 14, b"de".to_vec()),
            (15, 16, b"fg".to_vec())
        ]
    );
}

#[test]
fn refusals_say_where() {
    let lim = Limits::default();
    let t = ObjectType::DataObject;
    for (ct, body, why) in [
        ("text/plain", &b""[..], "not multipart"),
        ("multipart/mixed", b"", "no boundary"),
        ("multipart/mixed; boundary=", b"", "empty boundary"),
        (CT, b"no delimiter here", "no delimiter"),
        (CT, b"--gc0p4Jq0M2Yt08j34c0p\r\nContent-Type: application/cdmi-object\r\n\r\n{}\r\n--gc0p4Jq0M2Yt08j34c0p--", "one part"),
        (CT, b"--gc0p4Jq0M2Yt08j34c0p\r\nContent-Type: application/cdmi-container\r\n\r\n{}\r\n--gc0p4Jq0M2Yt08j34c0p\r\n\r\nx\r\n--gc0p4Jq0M2Yt08j34c0p--", "first part type"),
        (CT, b"--gc0p4Jq0M2Yt08j34c0p\r\nContent-Type: application/cdmi-object\r\n\r\n{}\r\n--gc0p4Jq0M2Yt08j34c0p\r\nContent-Length: 9\r\n\r\nx\r\n--gc0p4Jq0M2Yt08j34c0p--", "Content-Length past the delimiter"),
        (CT, b"--gc0p4Jq0M2Yt08j34c0p\r\nContent-Type: application/cdmi-object\r\n\r\n{}\r\n--gc0p4Jq0M2Yt08j34c0p\r\nContent-Range: bytes 0-5/9\r\n\r\nx\r\n--gc0p4Jq0M2Yt08j34c0p--", "range size"),
        (CT, b"--gc0p4Jq0M2Yt08j34c0p\r\nContent-Type: application/cdmi-object\r\n\r\n{}\r\n--gc0p4Jq0M2Yt08j34c0p\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nx\r\n--gc0p4Jq0M2Yt08j34c0p--", "encoding"),
        (CT, b"--gc0p4Jq0M2Yt08j34c0p\r\nContent-Type: application/cdmi-object\r\n\r\n{}\r\n--gc0p4Jq0M2Yt08j34c0p\r\n\r\nnever closed", "unterminated"),
    ] {
        let e = read(body, ct, t, Mode::Strict, &lim).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Multipart(_)), "{why}: {e}");
    }
    // A malformed first part is the JSON error, at its place in the whole body.
    let body = b"--b\r\nContent-Type: application/cdmi-object\r\n\r\n{\"mimetype\": 3}\r\n--b\r\n\r\nx\r\n--b--";
    let e = read(body, "multipart/mixed; boundary=b", t, Mode::Strict, &lim).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Field(_)), "{e}");
    assert_eq!(e.position().line, 4);
}

#[test]
fn the_part_limit_holds() {
    let mut body = b"--b\r\nContent-Type: application/cdmi-object\r\n\r\n{}".to_vec();
    for _ in 0..5 {
        body.extend_from_slice(b"\r\n--b\r\n\r\nx");
    }
    body.extend_from_slice(b"\r\n--b--");
    let lim = Limits::default().with_max_items(3);
    let e = read(
        &body,
        "multipart/mixed; boundary=b",
        ObjectType::DataObject,
        Mode::Strict,
        &lim,
    )
    .unwrap_err();
    assert!(e.to_string().contains("more than 3 parts"), "{e}");
    assert!(
        read(
            &body,
            "multipart/mixed; boundary=b",
            ObjectType::DataObject,
            Mode::Strict,
            &Limits::default()
        )
        .is_ok()
    );
}

#[test]
fn write_reads_back_even_when_a_value_holds_the_first_boundary() {
    let mut o = Object::new(ObjectType::DataObject);
    o.object_name = Some("x.bin".into());
    let tricky = b"\r\n--cdmi-part-0000000000000000-boundary--\r\n".to_vec();
    let values = [
        ValuePart {
            content_type: Some("application/octet-stream".into()),
            range: Range {
                first: 0,
                last: tricky.len() as u64 - 1,
            },
            bytes: tricky.clone(),
        },
        ValuePart {
            content_type: None,
            range: Range {
                first: 100,
                last: 101,
            },
            bytes: b"zz".to_vec(),
        },
    ];
    let (ct, body) = write(&o, &values, 200, true);
    assert!(!ct.contains("0000000000000000"), "{ct}");
    let m = read(
        &body,
        &ct,
        ObjectType::DataObject,
        Mode::Strict,
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(m.object.object, o);
    assert_eq!(m.values, values);
    let Body::DataObject(_) = &m.object.object.body else {
        panic!()
    };
}
