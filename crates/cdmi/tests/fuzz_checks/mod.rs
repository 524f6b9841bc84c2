//! The properties the `cdmi_*` fuzz targets check, shared with `cargo test`, which replays
//! the corpora (`tests/fuzz_corpus.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cdmi::object::{Encoding, Mode, Object};
use cdmi::objectid::inspect;
use cdmi::query::{Dialect, Selection};
use cdmi::value::stream_value;
use cdmi::{ObjectId, ObjectType};

/// Object IDs: no panic; the strict parser accepts exactly what inspection finds valid, and
/// what it accepts renders and parses back to the same ID (upper case).
pub(crate) fn cdmi_objectid(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let strict = text.parse::<ObjectId>();
    let i = inspect(text);
    assert_eq!(strict.is_ok(), i.is_valid(), "{text:?}: {:?}", i.problems);
    if let Ok(id) = strict {
        assert_eq!(id.to_string(), text.to_ascii_uppercase());
        assert_eq!(ObjectId::from_bytes(id.as_bytes()).unwrap(), id);
        assert_eq!(i.id(), Some(id));
    }
}

/// Bodies: the first byte picks the object type and the mode; no panic; what parses renders
/// to JSON that parses, strictly, to the same object.
pub(crate) fn cdmi_body(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let t = ObjectType::ALL
        .get(usize::from(first) % ObjectType::ALL.len())
        .copied()
        .unwrap_or(ObjectType::DataObject);
    let mode = if first & 0x80 != 0 {
        Mode::Lenient
    } else {
        Mode::Strict
    };
    let Ok(parsed) = Object::parse(text, t, mode) else {
        return;
    };
    let json = parsed.object.to_json();
    let again = Object::parse(&json, t, mode)
        .unwrap_or_else(|e| panic!("our rendering does not parse: {e}\n{json}"));
    assert_eq!(again.object, parsed.object, "{json}");
}

/// Queries: no panic; what parses renders in either dialect and parses back the same.
pub(crate) fn cdmi_query(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for (dialect, lenient) in [
        (Dialect::V1, false),
        (Dialect::V2, false),
        (Dialect::V2, true),
    ] {
        let Ok(s) = Selection::parse(text, dialect, lenient) else {
            continue;
        };
        for out in [Dialect::V1, Dialect::V2] {
            let rendered = s.render(out);
            let back = Selection::parse(&rendered, out, false)
                .unwrap_or_else(|e| panic!("{rendered:?}: {e}"));
            assert_eq!(back, s, "{rendered:?}");
        }
    }
}

/// Streamed values: the first byte picks the read size and the mode; no panic; when both the
/// streaming reader and the whole-body parser accept a body whose value is a string, the
/// bytes written are the value's.
pub(crate) fn cdmi_value_stream(data: &[u8]) {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    let mode = if first & 0x80 != 0 {
        Mode::Lenient
    } else {
        Mode::Strict
    };
    let size = usize::from(first & 0x3F) + 1;
    let mut out = Vec::new();
    let streamed = stream_value(
        std::io::BufReader::with_capacity(size, body),
        &mut out,
        Encoding::Utf8,
        mode,
    );
    let Ok(text) = std::str::from_utf8(body) else {
        return;
    };
    let (Ok(s), Ok(whole)) = (streamed, Object::parse(text, ObjectType::DataObject, mode)) else {
        return;
    };
    let cdmi::object::Body::DataObject(d) = &whole.object.body else {
        return;
    };
    if let Some(v @ cdmi::object::Value::Text(_)) = &d.value {
        let encoding = d.valuetransferencoding.unwrap_or(Encoding::Utf8);
        if let Ok(bytes) = cdmi::value::decode(v, encoding) {
            assert_eq!(out, bytes);
            assert_eq!(s.bytes, bytes.len() as u64);
        }
    }
}

/// ACLs: the first byte picks the mode; the rest is JSON. No panic; what reads renders in both
/// forms, for both kinds, and reads back (strictly) to the same ACL; evaluation of it never
/// panics.
pub(crate) fn cdmi_acl(data: &[u8]) {
    use cdmi::acl::{Acl, Evaluator, Form, Kind, Mask, Requester, Target};
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(rest) else {
        return;
    };
    let mode = if first & 1 == 0 {
        Mode::Strict
    } else {
        Mode::Lenient
    };
    let Ok(acl) = Acl::from_json(&v, mode) else {
        return;
    };
    for form in [Form::Hex, Form::Symbolic] {
        for kind in [Kind::Object, Kind::Container] {
            let back = acl.to_json(form, kind);
            let again = Acl::from_json(&back, mode)
                .unwrap_or_else(|e| panic!("our rendering does not read: {e}\n{back}"));
            assert_eq!(again, acl, "{back}");
        }
    }
    let groups = ["staff"];
    let who = Requester {
        name: "alice",
        groups: &groups,
        authenticated: first & 2 != 0,
        administrator: first & 4 != 0,
        admin_user: false,
    };
    let on = Target {
        owner: Some("alice"),
        group: Some("staff"),
        root_container: first & 8 != 0,
    };
    let decision =
        Evaluator::default().evaluate(Some(&acl), &who, &on, Mask(u32::from(first) << 4));
    let _ = decision.is_allowed();
    let _ = acl.inherited(Kind::Container).inherited(Kind::Object);
}

/// Request heads: the first line is `METHOD URI`, each further line `Name: value`. No panic;
/// on 1.x and 2.x roots in both modes, a head is read or refused with a client-error status,
/// and an accepted address renders to a URI that reads back to it.
pub(crate) fn cdmi_http_head(data: &[u8]) {
    use cdmi::Version;
    use cdmi::http::{Endpoint, status_of};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.lines();
    let Some((method, uri)) = lines.next().and_then(|l| l.split_once(' ')) else {
        return;
    };
    let mut b = http::Request::builder().method(method).uri(uri);
    for line in lines {
        if let Some((n, v)) = line.split_once(':') {
            b = b.header(n.trim(), v.trim());
        }
    }
    let Ok(req) = b.body(()) else {
        return;
    };
    let parts = req.into_parts().0;
    for mode in [Mode::Strict, Mode::Lenient] {
        for e in [
            Endpoint::v1("/", &[Version::V1_0_2, Version::V1_1_1]).with_mode(mode),
            Endpoint::v2(Version::V2_0_0).with_mode(mode),
        ] {
            match e.head(&parts) {
                Ok(h) => {
                    let again = e.address(&e.uri(&h.address)).unwrap();
                    assert_eq!(again, h.address);
                    let _ = h.read_body(data);
                }
                Err(err) => assert!(status_of(&err).is_client_error(), "{err}"),
            }
        }
    }
}

/// `multipart/mixed` bodies with the boundary `b`; the first byte picks the mode: no panic;
/// what reads writes back (ranges kept) to a body that reads the same.
pub(crate) fn cdmi_multipart(data: &[u8]) {
    use cdmi::multipart::{read, write};
    use cdmi::object::Limits;
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    let mode = if first & 1 == 0 {
        Mode::Strict
    } else {
        Mode::Lenient
    };
    let limits = Limits::default().with_max_items(64);
    let Ok(m) = read(
        body,
        "multipart/mixed; boundary=b",
        ObjectType::DataObject,
        mode,
        &limits,
    ) else {
        return;
    };
    let total = m.values.iter().map(|v| v.range.last + 1).max().unwrap_or(0);
    let (ct, again) = write(&m.object.object, &m.values, total, true);
    let back = read(&again, &ct, ObjectType::DataObject, Mode::Strict, &limits).unwrap();
    assert_eq!(back.object.object, m.object.object);
    assert_eq!(back.values, m.values);
}
