//! The image lists of cloudkeeper's test data (`image-list/cloudkeeper`) through `image-list`:
//!
//! * the unsigned list and the JSON content of every signed list (the first part of the
//!   `multipart/signed` message, taken as bytes; signatures are not checked here) parse under
//!   the `Compatible` profile, write back and read again equal; under `Strict` they are
//!   refused for their string counts only;
//! * each of cloudkeeper's expected structures (`structures/*.json`) is decided by the table
//!   below: an image or endorser put into a list reads and is written back key for key; a list structure parses (or is refused with exactly the keys it lacks); the
//!   structures that are cloudkeeper's own intermediate records, not the format, are named with
//!   that reason. A file the table does not name fails the suite.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use fedcloud_conformance::corpus_area;
use image_list::{Code, ImageList, Options, Profile, Severity, parse};
use serde_json::{Value, json};
use std::path::Path;

/// The content of a detached S/MIME message: the bytes between the first boundary line and
/// the next (OpenSSL writes the content without part headers).
fn content(message: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(message);
    let boundary = text
        .split("boundary=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a boundary");
    let marker = format!("--{boundary}");
    let start = text.find(&marker).unwrap() + marker.len();
    let rest = &text[start..];
    let rest = rest
        .strip_prefix("\r\n")
        .or(rest.strip_prefix('\n'))
        .unwrap();
    let end = rest
        .find(&format!("\r\n{marker}"))
        .or(rest.find(&format!("\n{marker}")))
        .unwrap();
    rest.as_bytes()[..end].to_vec()
}

fn lists(dir: &Path) -> Vec<(String, ImageList)> {
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("imagelist"))
        .collect();
    names.sort();
    for name in names {
        let bytes = std::fs::read(dir.join(&name)).unwrap();
        let body = if name.ends_with(".signed") {
            content(&bytes)
        } else {
            bytes
        };
        let parsed = parse(&body, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        for w in &parsed.warnings {
            let expected = match w.code {
                Code::NumberAsString => true,
                // imagelist04's list identifier holds "gggg".
                Code::IdentifierNotUuid => name == "imagelist04.signed",
                _ => false,
            };
            assert!(expected, "{name}: unexpected warning {w}");
        }
        let strict = parse(&body, &Options::new(Profile::Strict)).unwrap_err();
        assert!(
            strict
                .problems
                .iter()
                .filter(|p| p.severity == Severity::Error)
                .all(|p| p.code == Code::NumberAsString),
            "{name}: {strict:?}"
        );
        let again = parse(parsed.list.to_json().as_bytes(), &Options::default()).unwrap();
        assert_eq!(again.list, parsed.list, "{name}");
        out.push((name, parsed.list));
    }
    out
}

/// `list` with `key` replaced by `value`, parsed and written again: the list object written.
fn within(list: &ImageList, key: &str, value: Value) -> Value {
    let mut doc = list.to_value();
    doc["hv:imagelist"][key] = value;
    let parsed = parse(doc.to_string().as_bytes(), &Options::default())
        .unwrap_or_else(|e| panic!("{key}: {e:?}"));
    parsed.list.to_value()["hv:imagelist"].clone()
}

enum Expect {
    /// An `hv:image` (wrapped or bare) that, inside a list, reads and is written back key for
    /// key.
    Image,
    /// An `hv:x509` that, as a list's endorser, reads and is written back key for key.
    Endorser,
    /// A list (wrapped, or unwrapped under Compatible) that parses.
    List,
    /// A list refused for exactly these missing keys.
    ListMissing(&'static [&'static str]),
    /// An image refused (inside a list) for exactly these missing keys.
    ImageMissing(&'static [&'static str]),
    /// Not a document of the format: cloudkeeper's own record.
    NotTheFormat(&'static str),
}

const STRUCTURES: [(&str, Expect); 12] = [
    (
        "appliance01.json",
        Expect::NotTheFormat(
            "cloudkeeper's merged appliance record (image and list keys in one object)",
        ),
    ),
    (
        "appliance02.json",
        Expect::NotTheFormat("cloudkeeper's merged appliance record"),
    ),
    ("image_list01.json", Expect::Image),
    ("image_list02.json", Expect::Endorser),
    ("image_list03.json", Expect::Image),
    (
        "image_list04.json",
        Expect::NotTheFormat(
            "cloudkeeper's endorser record with its own vo and image_list_identifier keys",
        ),
    ),
    (
        "image_list05.json",
        Expect::ListMissing(&["hv:version", "hv:uri", "hv:endorser", "hv:images"]),
    ),
    (
        "image_list06.json",
        Expect::ListMissing(&[
            "dc:source",
            "hv:version",
            "hv:uri",
            "hv:endorser",
            "hv:images",
        ]),
    ),
    ("image_list07.json", Expect::List),
    ("image_list10.json", Expect::List),
    ("image_list13.json", Expect::Image),
    (
        "image_list14.json",
        Expect::ImageMissing(&["dc:identifier"]),
    ),
];

fn missing(err: &image_list::Error) -> Vec<String> {
    err.problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| {
            assert_eq!(p.code, Code::MissingKey, "{p}");
            p.message
                .trim_start_matches("the required key ")
                .trim_end_matches(" is missing")
                .to_owned()
        })
        .collect()
}

#[test]
fn cloudkeeper_lists_and_structures() {
    let Some(dir) = corpus_area("image-list").unwrap() else {
        return;
    };
    let dir = dir.join("cloudkeeper");
    let lists = lists(&dir);
    assert_eq!(
        lists.len(),
        6,
        "{:?}",
        lists.iter().map(|l| &l.0).collect::<Vec<_>>()
    );
    let mut files: Vec<_> = std::fs::read_dir(dir.join("structures"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    let named: Vec<_> = STRUCTURES.iter().map(|(n, _)| (*n).to_owned()).collect();
    assert_eq!(files, named, "every structure is decided by the table");
    for (name, expect) in &STRUCTURES {
        let v: Value =
            serde_json::from_slice(&std::fs::read(dir.join("structures").join(name)).unwrap())
                .unwrap();
        match expect {
            Expect::Image => {
                let image = v.get("hv:image").unwrap_or(&v).clone();
                let back = within(&lists[0].1, "hv:images", json!([{"hv:image": image}]));
                assert_eq!(back["hv:images"][0]["hv:image"], image, "{name}");
            }
            Expect::Endorser => {
                let x = v["hv:x509"].clone();
                let back = within(&lists[0].1, "hv:endorser", json!({"hv:x509": x}));
                assert_eq!(back["hv:endorser"]["hv:x509"], x, "{name}");
            }
            Expect::List => {
                let parsed = parse(v.to_string().as_bytes(), &Options::default())
                    .unwrap_or_else(|e| panic!("{name}: {e:?}"));
                let again = parse(parsed.list.to_json().as_bytes(), &Options::default()).unwrap();
                assert_eq!(again.list, parsed.list, "{name}");
            }
            Expect::ListMissing(keys) => {
                let err = parse(v.to_string().as_bytes(), &Options::default());
                // Without hv:images it is not recognised as a legacy list: wrap it.
                let err = match err {
                    Err(e) if e.first().unwrap().code == Code::NotAnImageList => parse(
                        json!({"hv:imagelist": v}).to_string().as_bytes(),
                        &Options::default(),
                    )
                    .unwrap_err(),
                    other => other.unwrap_err(),
                };
                assert_eq!(missing(&err), *keys, "{name}");
            }
            Expect::ImageMissing(keys) => {
                let (_, list) = &lists[0];
                let mut doc = list.to_value();
                doc["hv:imagelist"]["hv:images"] = json!([{"hv:image": v}]);
                let err = parse(doc.to_string().as_bytes(), &Options::default()).unwrap_err();
                assert_eq!(missing(&err), *keys, "{name}");
                assert_eq!(
                    err.first().unwrap().pointer,
                    "/hv:imagelist/hv:images/0/hv:image"
                );
            }
            Expect::NotTheFormat(why) => assert!(!why.is_empty()),
        }
    }
}
