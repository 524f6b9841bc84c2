//! The properties the `occi_*` fuzz targets check, shared with `cargo test`, which replays
//! the corpora (`tests/fuzz_corpus.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use occi_render_http::occi_model::{Model, OcciVersion};
use occi_render_http::protocol::{self, MemoryBackend, RouterOptions};
use occi_render_http::{
    ErrorKind, Item, JsonCollectionReader, Leniency, Limits, MediaType, Message, Mode, Parser,
    PlainReader, UriListReader, Warning, parse_uri_list, render_json, render_plain,
};

fn small_limits() -> Limits {
    Limits::default()
        .with_max_body_bytes(1 << 16)
        .with_max_lines(2_000)
}

/// The leniencies a canonical rendering may still need: the renderer writes negative
/// numbers (`NumberSyntax`), class-less categories (`ClasslessCategory`) and what lenient
/// identifiers hold (`IdentifierGrammar`) as they are, and strict 1.2 refuses them.
const RENDERED_LENIENCIES: [Leniency; 3] = [
    Leniency::NumberSyntax,
    Leniency::ClasslessCategory,
    Leniency::IdentifierGrammar,
];

/// text/plain: no panic in any mode; whatever parses re-renders canonically, and the
/// rendering parses in strict 1.2 to the same message — a fixpoint. Only a message read in
/// lenient mode may hold a construct strict 1.2 refuses (one of [`RENDERED_LENIENCIES`]);
/// then the rendering must parse in lenient mode to the same message instead.
pub(crate) fn occi_text(data: &[u8]) {
    for mode in [Mode::Strict11, Mode::Strict12, Mode::Lenient] {
        let p = Parser::new(mode).with_limits(small_limits());
        let Ok(parsed) = p.parse_plain_bytes(data) else {
            continue;
        };
        let Ok(text) = render_plain(&parsed.message) else {
            continue;
        };
        let again = match Parser::new(Mode::Strict12).parse_plain(&text) {
            Ok(again) => again,
            Err(e) => {
                assert!(
                    mode.is_lenient(),
                    "the rendering of a {mode} message is not strict 1.2: {e}\n{text}"
                );
                assert!(
                    matches!(e.kind(), ErrorKind::Strict(l) if RENDERED_LENIENCIES.contains(l))
                        || matches!(e.kind(), ErrorKind::Identifier(_)),
                    "strict 1.2 refuses our rendering for {e}\n{text}"
                );
                Parser::new(Mode::Lenient)
                    .parse_plain(&text)
                    .unwrap_or_else(|e| panic!("our rendering does not parse: {e}\n{text}"))
            }
        };
        assert_eq!(again.message, parsed.message, "{text}");
        assert_eq!(render_plain(&again.message).unwrap(), text);
    }
}

/// text/occi: the input's lines as header fields; no panic; what parses round-trips through
/// the header renderer's comma-joined fields. The same lines as an `http::HeaderMap` (the
/// transport's lower-cased names, values as bytes, non-ASCII included) go through
/// `protocol::read_message`, which must agree with the parser and read back what
/// `protocol::write_message` writes.
pub(crate) fn occi_headers(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let fields: Vec<(&str, &str)> = text
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n, v.trim_start()))
        .collect();
    let p = Parser::new(Mode::Lenient).with_limits(small_limits());
    let direct = p.parse_headers(fields.iter().copied());
    occi_header_map(&fields, direct.as_ref().ok());
    let Ok(parsed) = direct else {
        return;
    };
    let Ok(occi_render_http::HeaderRendering::Headers(out)) = occi_render_http::render_headers(
        &parsed.message,
        &occi_render_http::HeaderBudget::default(),
    ) else {
        return;
    };
    let again = Parser::new(Mode::Lenient)
        .parse_headers(out.iter().map(|(n, v)| (*n, v.as_str())))
        .unwrap_or_else(|e| panic!("our headers do not parse: {e}"));
    assert_eq!(again.message, parsed.message);
}

/// `fields` in an `http::HeaderMap` through `read_message` and back through
/// `write_message`.
fn occi_header_map(fields: &[(&str, &str)], direct: Option<&occi_render_http::Parsed>) {
    use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
    let mut map = http::HeaderMap::new();
    let mut kept = Vec::new();
    for &(n, v) in fields {
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(n.as_bytes()),
            HeaderValue::from_bytes(v.as_bytes()),
        ) else {
            continue;
        };
        if name == CONTENT_TYPE {
            continue;
        }
        kept.push((n, v));
        map.append(name, value);
    }
    map.insert(CONTENT_TYPE, HeaderValue::from_static("text/occi"));
    let p = Parser::new(Mode::Lenient).with_limits(small_limits());
    let Ok(read) = protocol::read_message(&p, &map, b"OK\n") else {
        return;
    };
    // When the map kept every field, and kept them in order (a `HeaderMap` groups the
    // values of one name, so each name must come in one run), the two readings agree.
    let mut runs: Vec<String> = Vec::new();
    let mut in_order = true;
    for (n, _) in &kept {
        let n = n.to_ascii_lowercase();
        if runs.last() != Some(&n) {
            in_order &= !runs.contains(&n);
            runs.push(n);
        }
    }
    if in_order
        && kept.len() == fields.len()
        && let Some(direct) = direct
    {
        assert_eq!(read.message, direct.message);
    }
    let mut written = http::HeaderMap::new();
    let Ok(body) = protocol::write_message(
        &mut written,
        MediaType::TextOcci,
        &read.message,
        None,
        &occi_render_http::HeaderBudget::default(),
    ) else {
        return;
    };
    let back = protocol::read_message(&Parser::new(Mode::Lenient), &written, &body)
        .unwrap_or_else(|e| panic!("write_message output does not read back: {e}"));
    assert_eq!(back.message, read.message);
}

/// The Infrastructure 1.2 + CRTP + EGI model that types values, built once.
fn model() -> &'static Model {
    static MODEL: std::sync::OnceLock<Model> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        Model::infrastructure(OcciVersion::V1_2)
            .with_crtp()
            .with_egi_extensions()
    })
}

/// application/occi+json: no panic in strict 1.2 or lenient mode, with and without the
/// model; what parses renders to JSON that parses, in the same mode and with the same
/// model, to the same message (after normalisation, as JSON objects are unordered).
pub(crate) fn occi_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for mode in [Mode::Strict12, Mode::Lenient] {
        for typed in [None, Some(model())] {
            let mut p = Parser::new(mode).with_limits(small_limits());
            if let Some(m) = typed {
                p = p.with_model(m);
            }
            let whole = p.parse_json(text);
            stream_agrees(&p, data, &whole);
            let Ok(parsed) = whole else {
                continue;
            };
            let Ok(json) = render_json(&parsed.message, typed) else {
                continue;
            };
            let again = p.parse_json(&json).unwrap_or_else(|e| {
                panic!(
                    "our JSON does not parse ({mode}, model: {}): {e}\n{json}",
                    typed.is_some()
                )
            });
            assert_eq!(
                again.message.normalized(),
                parsed.message.clone().normalized(),
                "{json}"
            );
        }
    }
}

/// The streaming reader, over reads of 1 to 16 bytes (the first byte of the input picks the
/// size), gives the entities, categories and locations `parse_json` gives, whenever the
/// body is a collection that `parse_json` reads; and what it reads, `parse_json` reads.
fn stream_agrees(
    p: &Parser<'_>,
    data: &[u8],
    whole: &Result<occi_render_http::Parsed, occi_render_http::Error>,
) {
    let capacity = usize::from(data.first().copied().unwrap_or(0) % 16) + 1;
    let reader = std::io::BufReader::with_capacity(capacity, data);
    let mut r = JsonCollectionReader::new(p, reader);
    let streamed: Result<Vec<Item>, _> = r.by_ref().collect();
    let duplicates = r
        .warnings()
        .iter()
        .any(|w| w.leniency == Leniency::DuplicateAttribute);
    let (Ok(whole), Ok(items)) = (whole, &streamed) else {
        if let (Err(e), Ok(items)) = (whole, &streamed) {
            panic!(
                "streamed ({items:?}) but parse_json refuses it ({e}): {:?}",
                String::from_utf8_lossy(data)
            );
        }
        return;
    };
    let m = &whole.message;
    if duplicates || !m.attributes.is_empty() || !m.links.is_empty() {
        return;
    }
    let mut categories = Vec::new();
    let mut entities = Vec::new();
    let mut locations = Vec::new();
    for item in items.iter().cloned() {
        match item {
            Item::Category(c) => categories.push(c),
            Item::Entity(e) => entities.push(e),
            Item::Location(l) => locations.push(l),
            other => panic!("unexpected item {other:?}"),
        }
    }
    assert_eq!(categories, m.categories);
    assert_eq!(entities, m.entities);
    assert_eq!(locations, m.locations);
}

/// text/uri-list: no panic; what parses renders and parses to the same list.
pub(crate) fn occi_uri_list(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(uris) = parse_uri_list(text, small_limits()) else {
        return;
    };
    let body = occi_render_http::render_uri_list(&uris).unwrap();
    assert_eq!(parse_uri_list(&body, Limits::default()).unwrap(), uris);
}

/// The mode and read size a streaming check takes from its input's first byte.
fn stream_setup(data: &[u8]) -> Option<(Mode, usize, &[u8])> {
    let (&first, body) = data.split_first()?;
    let mode = match first % 3 {
        0 => Mode::Strict11,
        1 => Mode::Strict12,
        _ => Mode::Lenient,
    };
    // Read sizes from 1 byte (every line split across reads) to 64.
    Some((mode, usize::from(first / 3 % 64) + 1, body))
}

/// Limits no input of the fuzzer reaches except the ones the readers check alike.
fn stream_limits() -> Limits {
    Limits::default()
        .with_max_body_bytes(1 << 20)
        .with_max_attributes(usize::MAX)
}

/// The content of a reader's items as the message a whole-body parse gives: attributes
/// given twice keep the first place and the last value.
fn collect_items(items: Vec<Item>) -> Message {
    let mut m = Message::new();
    for item in items {
        match item {
            Item::Category(c) => m.categories.push(c),
            Item::Link(l) => m.links.push(l),
            Item::Attribute(n, v) => match m.attributes.iter_mut().find(|(x, _)| *x == n) {
                Some(slot) => slot.1 = v,
                None => m.attributes.push((n, v)),
            },
            Item::Location(l) => m.locations.push(l),
            other => panic!("a text/plain reader gave {other:?}"),
        }
    }
    m
}

/// `PlainReader`: the first byte picks the mode and the read size. No panic; the items
/// are the same whatever the read size, and they are what `parse_plain_bytes` reads from
/// the whole body (both fail or neither; on UTF-8 input with the same error at the same
/// position), with the same warnings but for duplicate attributes, which only the whole
/// body shows across lines (strict modes refuse them there, and only there).
pub(crate) fn occi_plain_stream(data: &[u8]) {
    let Some((mode, size, body)) = stream_setup(data) else {
        return;
    };
    let parser = Parser::new(mode).with_limits(stream_limits());
    let mut chunked = PlainReader::new(&parser, std::io::BufReader::with_capacity(size, body));
    let streamed: Result<Vec<Item>, _> = chunked.by_ref().collect();
    let mut whole = PlainReader::new(&parser, body);
    assert_eq!(streamed, whole.by_ref().collect::<Result<Vec<Item>, _>>());
    assert_eq!(chunked.warnings(), whole.warnings());
    let parsed = parser.parse_plain_bytes(body);
    match (streamed, parsed) {
        (Ok(items), Ok(parsed)) => {
            assert_eq!(collect_items(items), parsed.message);
            let not_dup = |w: &&Warning| w.leniency != Leniency::DuplicateAttribute;
            let a: Vec<_> = chunked.warnings().iter().filter(not_dup).collect();
            let b: Vec<_> = parsed.warnings.iter().filter(not_dup).collect();
            assert_eq!(a, b);
        }
        // An attribute given again on a later line: only the whole body sees both, so the
        // reader goes on and may fail later.
        (Err(a), Err(b)) if b.kind() == &ErrorKind::Strict(Leniency::DuplicateAttribute) => {
            assert!(
                a == b || a.position().offset > b.position().offset,
                "{a} before {b}"
            );
        }
        (Err(a), Err(b)) => {
            if std::str::from_utf8(body).is_ok() {
                assert_eq!(a, b);
            }
        }
        (Ok(items), Err(e)) if e.kind() == &ErrorKind::Strict(Leniency::DuplicateAttribute) => {
            let mut names = std::collections::HashSet::new();
            let repeated = items
                .iter()
                .any(|i| matches!(i, Item::Attribute(n, _) if !names.insert(n.clone())));
            assert!(repeated, "{e} but the reader saw no attribute twice");
        }
        (a, b) => panic!("the reader gave {a:?}, the whole-body parse {b:?}"),
    }
}

/// `UriListReader`: the first byte picks the read size. No panic; the same URIs or the same
/// error whatever the read size; what it reads renders and reads back the same.
pub(crate) fn occi_uri_list_stream(data: &[u8]) {
    let Some((_, size, body)) = stream_setup(data) else {
        return;
    };
    let limits = small_limits();
    let chunked: Result<Vec<String>, _> =
        UriListReader::new(std::io::BufReader::with_capacity(size, body), limits).collect();
    let whole: Result<Vec<String>, _> = UriListReader::new(body, limits).collect();
    assert_eq!(chunked, whole);
    if let Ok(uris) = whole {
        let rendered = occi_render_http::render_uri_list(&uris).unwrap();
        assert_eq!(parse_uri_list(&rendered, Limits::default()).unwrap(), uris);
    }
}

/// A backend over the EGI model holding one compute resource at `/compute/1`, a network at
/// `/network/1` and a user mixin `/tags/prod/`, built once and cloned for each input.
fn seeded_backend() -> MemoryBackend {
    static SEEDED: std::sync::OnceLock<MemoryBackend> = std::sync::OnceLock::new();
    SEEDED
        .get_or_init(|| {
            let mut b = MemoryBackend::new(model().clone());
            for (path, body) in [
                ("/compute/", "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\nX-OCCI-Attribute: occi.core.title=\"vm\"\n"),
                ("/network/", "Category: network; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\nX-OCCI-Attribute: occi.network.vlan=12\n"),
                ("/-/", "Category: prod; scheme=\"http://example.org/tags#\"; class=\"mixin\"; location=\"/tags/prod/\"\n"),
            ] {
                let request = http::Request::post(path).body(body.as_bytes()).unwrap();
                let r = protocol::handle(&mut b, &request, &RouterOptions::default());
                assert!(r.status().is_success(), "{path}: {}", r.status());
            }
            b
        })
        .clone()
}

/// The statuses GFD.223 §5.4 lists that this router answers with; 500 would be a bug.
const STATUSES: [u16; 10] = [200, 201, 400, 403, 404, 405, 406, 409, 413, 501];

/// The HTTP protocol: the input is a request written out as text (`METHOD target`, header
/// lines, a blank line, the body) handled by `protocol::handle` over a seeded
/// `MemoryBackend`, twice (once with small limits and strict 1.2). No panic; every answer
/// carries `Server: OCCI/1.2` and a `Content-Type`, has one of the statuses the router may
/// give (never 500), a `Location` with each 201, and a body our own reader reads back in
/// the answer's media type.
pub(crate) fn occi_protocol(data: &[u8]) {
    let Some(request) = request_of(data) else {
        return;
    };
    let options = [
        RouterOptions::default(),
        RouterOptions::default()
            .with_mode(Mode::Strict12)
            .with_limits(small_limits().with_max_attributes(16).with_max_depth(8)),
    ];
    for o in &options {
        let mut backend = seeded_backend();
        let r = protocol::handle(&mut backend, &request, o);
        let status = r.status().as_u16();
        let body = String::from_utf8_lossy(r.body());
        assert!(STATUSES.contains(&status), "status {status}: {body}");
        assert_eq!(r.headers()["server"], protocol::PRODUCT_TOKEN);
        assert!(r.headers().contains_key("content-type"), "{status}");
        if status == 201 {
            let location = r.headers()["location"].to_str().unwrap();
            assert!(backend.entities().contains_key(location), "{location}");
        }
        if r.status().is_success() {
            protocol::read_message(&Parser::new(Mode::Lenient), r.headers(), r.body())
                .unwrap_or_else(|e| panic!("our answer does not read back: {e}\n{body}"));
        }
    }
}

/// `METHOD target\nName: value\n…\n\nbody` as an `http::Request`; `None` when the request
/// line or a header cannot be one.
fn request_of(data: &[u8]) -> Option<http::Request<Vec<u8>>> {
    let split = data
        .windows(2)
        .position(|w| w == b"\n\n")
        .map_or((data, &[][..]), |i| {
            (
                data.get(..i).unwrap_or_default(),
                data.get(i + 2..).unwrap_or_default(),
            )
        });
    let (head, body) = split;
    let head = std::str::from_utf8(head).ok()?;
    let mut lines = head.lines();
    let (method, target) = lines.next()?.split_once(' ')?;
    let mut builder = http::Request::builder()
        .method(http::Method::from_bytes(method.as_bytes()).ok()?)
        .uri(target);
    for line in lines {
        let (n, v) = line.split_once(':')?;
        builder = builder.header(
            http::header::HeaderName::from_bytes(n.as_bytes()).ok()?,
            http::header::HeaderValue::from_bytes(v.trim_start().as_bytes()).ok()?,
        );
    }
    builder.body(body.to_vec()).ok()
}
