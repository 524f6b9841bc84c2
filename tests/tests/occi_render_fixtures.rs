//! Every rOCCI and jOCCI rendering in `occi/` through `occi-render-http`: parsed in lenient
//! mode, re-rendered canonically, and the canonical rendering must parse to the same message
//! without any syntactic leniency (only content ones: a wrong scheme, a name outside the 1.2
//! grammar, a negative number) and render to the same text again (a fixpoint). JSON fixtures: parsed
//! leniently, rendered as OCCI 1.2 JSON, re-parsed to the same message. The text/plain and
//! JSON twins of `rocci-server/integration-data` must parse to equal messages. Every JSON
//! collection fixture streams (`JsonCollectionReader`) to the members `parse_json` reads.
//!
//! Where a file holds header values (jOCCI `*_occi_*` and `*_headers_*`) they are read as
//! text/occi fields of the header the file name gives; the VCR cassettes contribute every
//! non-empty request and response body. Expected failures, each with its reason, are listed
//! in `tests/expected/occi-render-text.txt` and `tests/expected/occi-render-json.txt`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use fedcloud_conformance::{Outcome, case_id, corpus_area, files_below, ratchet};
use occi_model::{Model, OcciVersion};
use occi_render_http::{
    Item, JsonCollectionReader, Leniency, Message, Mode, Parsed, Parser, parse_uri_list,
    render_json, render_plain,
};
use serde_yaml_ng::Value;
use std::path::Path;

fn model() -> Model {
    Model::infrastructure(OcciVersion::V1_2)
        .with_crtp()
        .with_egi_extensions()
}

/// The leniencies a canonical rendering still carries because they are in the content, not
/// the syntax: a wrong scheme (rOCCI's `…/action#up` for `down`), a name outside the 1.2
/// grammar, a negative number.
const KEPT: [Leniency; 2] = [Leniency::IdentifierGrammar, Leniency::NumberSyntax];

/// Lenient parse, canonical render, re-parse to the same message (with no syntactic
/// leniency left), same render.
fn text_fixpoint(
    parsed: Result<Parsed, occi_render_http::Error>,
    lines: usize,
) -> Result<(), String> {
    let parsed = parsed.map_err(|e| format!("lenient parse: {e}"))?;
    let m = parsed.message;
    let items = m.categories.len() + m.links.len() + m.attributes.len() + m.locations.len();
    if items < lines {
        return Err(format!("{lines} lines gave only {items} items"));
    }
    let once = render_plain(&m).map_err(|e| format!("render: {e}"))?;
    let again = Parser::new(Mode::Lenient)
        .parse_plain(&once)
        .map_err(|e| format!("re-parse of our rendering: {e}"))?;
    if !again.warnings.iter().all(|w| KEPT.contains(&w.leniency)) {
        return Err(format!(
            "our rendering needs leniencies: {:?}",
            again.warnings
        ));
    }
    if again.message != m {
        return Err("re-parse differs".into());
    }
    if render_plain(&again.message).map_err(|e| e.to_string())? != once {
        return Err("second rendering differs".into());
    }
    Ok(())
}

fn json_fixpoint(body: &str) -> Result<(), String> {
    let model = model();
    let p = Parser::new(Mode::Lenient).with_model(&model);
    let m = p
        .parse_json(body)
        .map_err(|e| format!("lenient parse: {e}"))?
        .message;
    let json = render_json(&m, Some(&model)).map_err(|e| format!("render: {e}"))?;
    let again = p
        .parse_json(&json)
        .map_err(|e| format!("re-parse of our JSON: {e}"))?
        .message;
    if again.normalized() != m.clone().normalized() {
        return Err("re-parse differs".into());
    }
    Ok(())
}

fn header_for(stem: &str) -> &'static str {
    if stem.contains("attribute") {
        "X-OCCI-Attribute"
    } else if stem.contains("model")
        || stem.contains("categor")
        || stem.contains("kind")
        || stem.contains("mixin")
    {
        "Category"
    } else {
        "Link"
    }
}

fn nonblank(s: &str) -> usize {
    s.lines().filter(|l| !l.trim().is_empty()).count()
}

/// The non-empty bodies of a VCR cassette: (`#i/side`, Content-Type, body, request URI).
fn cassette_bodies(path: &Path) -> Vec<(String, String, String, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let doc: Value = serde_yaml_ng::from_str(&text).unwrap();
    let mut out = Vec::new();
    let Some(items) = doc.get("http_interactions").and_then(Value::as_sequence) else {
        return out;
    };
    for (i, it) in items.iter().enumerate() {
        for side in ["request", "response"] {
            let body = it
                .get(side)
                .and_then(|s| s.get("body"))
                .and_then(|b| b.get("string"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            let content_type = it
                .get(side)
                .and_then(|s| s.get("headers"))
                .and_then(|h| h.get("Content-Type"))
                .and_then(|c| c.get(0))
                .and_then(Value::as_str)
                .unwrap_or("text/plain");
            let uri = it
                .get("request")
                .and_then(|r| r.get("uri"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !body.trim().is_empty() {
                out.push((
                    format!("#{i}/{side}"),
                    content_type.to_owned(),
                    body.to_owned(),
                    uri.to_owned(),
                ));
            }
        }
    }
    out
}

#[test]
fn text_fixtures() {
    let Some(root) = corpus_area("occi").unwrap() else {
        return;
    };
    let files = files_below(&root, &|p| {
        let s = p.to_string_lossy();
        !s.contains("v5-json-schema")
            && !s.contains("v5-warehouse")
            && !s.ends_with(".json")
            && !s.contains("MANIFEST")
    })
    .unwrap();
    let lenient = Parser::new(Mode::Lenient);
    let mut outcomes = Vec::new();
    for path in files {
        let id = case_id(&root, &path);
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if id.ends_with(".yml") {
            for (suffix, content_type, body, _) in cassette_bodies(&path) {
                let lines = nonblank(&body);
                let r = if content_type.starts_with("text/uri-list") {
                    parse_uri_list(&body, occi_render_http::Limits::default())
                        .map(|_| ())
                        .map_err(|e| format!("uri-list: {e}"))
                } else {
                    text_fixpoint(lenient.parse_plain(&body), lines)
                };
                outcomes.push(match r {
                    Ok(()) => Outcome::pass(format!("{id}{suffix}")),
                    Err(why) => Outcome::fail(format!("{id}{suffix}"), why),
                });
            }
            continue;
        }
        let body = std::fs::read_to_string(&path).unwrap();
        let result = if stem.ends_with("uri-list") {
            parse_uri_list(&body, occi_render_http::Limits::default())
                .map(|_| ())
                .map_err(|e| format!("uri-list: {e}"))
        } else if id.starts_with("jocci-core/parser") && stem.contains("_occi_") {
            let header = header_for(&stem);
            text_fixpoint(lenient.parse_headers([(header, body.trim_end())]), 0)
        } else if id.starts_with("jocci-core/rendering") && stem.contains("_headers") {
            let header = header_for(&stem);
            let lines: Vec<&str> = body.lines().filter(|l| !l.trim().is_empty()).collect();
            text_fixpoint(
                lenient.parse_headers(lines.iter().map(|l| (header, *l))),
                lines.len(),
            )
        } else {
            text_fixpoint(lenient.parse_plain(&body), nonblank(&body))
        };
        outcomes.push(match result {
            Ok(()) => Outcome::pass(id),
            Err(why) => Outcome::fail(id, why),
        });
    }
    for o in &outcomes {
        println!("{o:?}");
    }
    ratchet("occi-render-text", &outcomes).unwrap();
}

#[test]
fn json_fixtures() {
    let Some(root) = corpus_area("occi").unwrap() else {
        return;
    };
    let files = files_below(&root, &|p| {
        let s = p.to_string_lossy();
        s.ends_with(".json") && !s.contains("v5-json-schema") && !s.contains("v5-warehouse")
    })
    .unwrap();
    let mut outcomes = Vec::new();
    for path in files {
        let id = case_id(&root, &path);
        let body = std::fs::read_to_string(&path).unwrap();
        outcomes.push(match json_fixpoint(&body) {
            Ok(()) => Outcome::pass(id),
            Err(why) => Outcome::fail(id, why),
        });
    }
    for o in &outcomes {
        println!("{o:?}");
    }
    ratchet("occi-render-json", &outcomes).unwrap();
}

#[test]
fn json_collections_stream_to_what_parse_json_reads() {
    let Some(root) = corpus_area("occi").unwrap() else {
        return;
    };
    let model = model();
    let p = Parser::new(Mode::Lenient).with_model(&model);
    let mut collections = 0;
    for path in files_below(&root, &|p| p.extension().is_some_and(|e| e == "json")).unwrap() {
        let body = std::fs::read_to_string(&path).unwrap();
        let Ok(whole) = p.parse_json(&body) else {
            continue;
        };
        let m = whole.message;
        if m.entities.is_empty() && (m.categories.is_empty() || !m.attributes.is_empty()) {
            continue;
        }
        collections += 1;
        let reader = std::io::BufReader::with_capacity(97, body.as_bytes());
        let items: Vec<Item> = JsonCollectionReader::new(&p, reader)
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (mut categories, mut entities) = (Vec::new(), Vec::new());
        for item in items {
            match item {
                Item::Category(c) => categories.push(c),
                Item::Entity(e) => entities.push(e),
                other => panic!("{}: {other:?}", path.display()),
            }
        }
        assert_eq!(categories, m.categories, "{}", path.display());
        assert_eq!(entities, m.entities, "{}", path.display());
    }
    assert!(collections >= 5, "{collections} collections");
}

#[test]
fn plain_and_json_twins_are_equal() {
    let Some(root) = corpus_area("occi").unwrap() else {
        return;
    };
    let model = model();
    let p = Parser::new(Mode::Lenient).with_model(&model);
    let mut pairs = 0;
    for path in files_below(&root.join("rocci-server/integration-data"), &|p| {
        p.extension().is_some_and(|e| e == "plain")
    })
    .unwrap()
    {
        let plain = std::fs::read_to_string(&path).unwrap();
        let json = std::fs::read_to_string(path.with_extension("json")).unwrap();
        let a: Message = p.parse_plain(&plain).unwrap().message.normalized();
        let b: Message = p.parse_json(&json).unwrap().message.normalized();
        assert_eq!(a, b, "{}", path.display());
        pairs += 1;
    }
    assert_eq!(pairs, 13);
}

/// The registry a fixture set was written against: OCCI 1.1 for rOCCI 4, the 2013 cassettes
/// and jOCCI (whose fixtures carry 1.1's `occi.compute.speed` and storage backup), 1.2 for
/// rOCCI 5 and rOCCI-server 2.
fn version_of(id: &str) -> OcciVersion {
    if id.starts_with("rocci-core/v4.3.x")
        || id.starts_with("rocci-core/vcr-cassettes")
        || id.starts_with("jocci-core")
    {
        OcciVersion::V1_1
    } else {
        OcciVersion::V1_2
    }
}

/// The error findings of validating `parsed` (lenient, so every finding is in it), as a
/// failure reason; `Ok` when there is none.
fn no_errors(parsed: Result<Parsed, occi_render_http::Error>) -> Result<(), String> {
    let parsed = parsed.map_err(|e| format!("lenient parse: {e}"))?;
    let errors: Vec<String> = parsed
        .findings
        .iter()
        .filter(|v| v.finding.is_error())
        .map(ToString::to_string)
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}

/// Whether a message holds an entity or action invocation (what validation looks at).
fn has_entities(m: &Message) -> bool {
    use occi_render_http::Composition as C;
    matches!(
        m.composition(),
        C::Resource | C::Link | C::ActionInvocation | C::Entities
    )
}

/// Every entity and action invocation of the fixtures validated as strict modes validate
/// them: against OCCI Core + Infrastructure of the set's version with the CRTP and EGI
/// extensions, where only the OCCI documents' namespace counts (a provider's mixins are
/// notices); every query-interface listing (rOCCI 5's text and JSON models, jOCCI's model
/// bodies, the `/-/` answer of each cassette) read as a registry
/// (`model_from_query_interface`); and the entities of rOCCI 5's examples and of each
/// cassette validated against their own server's listing, where everything unknown counts.
#[test]
fn fixtures_against_the_model() {
    use occi_model::UnknownCategories;
    use occi_render_http::protocol::model_from_query_interface;
    let Some(root) = corpus_area("occi").unwrap() else {
        return;
    };
    let files = files_below(&root, &|p| {
        let s = p.to_string_lossy();
        !s.contains("v5-json-schema") && !s.contains("v5-warehouse") && !s.contains("MANIFEST")
    })
    .unwrap();
    let builtin = |v: OcciVersion| Model::infrastructure(v).with_crtp().with_egi_extensions();
    let (m11, m12) = (builtin(OcciVersion::V1_1), builtin(OcciVersion::V1_2));
    let reading = |model| {
        Parser::new(Mode::Lenient)
            .with_model(model)
            .with_unknown_categories(UnknownCategories::RejectReserved)
    };
    let listing = |body: &str, json: bool, v: OcciVersion| -> Result<Model, String> {
        let p = Parser::new(Mode::Lenient);
        let m = if json {
            p.parse_json(body)
        } else {
            p.parse_plain(body)
        }
        .map_err(|e| format!("lenient parse: {e}"))?
        .message;
        model_from_query_interface(&m, v).map_err(|e| e.to_string())
    };
    let mut outcomes = Vec::new();
    let mut push = |id: String, r: Result<(), String>| {
        outcomes.push(match r {
            Ok(()) => Outcome::pass(id),
            Err(why) => Outcome::fail(id, why),
        });
    };
    for path in &files {
        let id = case_id(&root, path);
        let v = version_of(&id);
        let p = reading(if v == OcciVersion::V1_1 { &m11 } else { &m12 });
        if id.ends_with(".yml") {
            let bodies = cassette_bodies(path);
            let server = bodies
                .iter()
                .find(|(s, _, _, uri)| s.ends_with("/response") && uri.ends_with("/-/"))
                .map(|(_, _, body, _)| listing(body, false, v));
            if let Some(server) = &server {
                push(
                    format!("{id}#/-/#as-listing"),
                    server.as_ref().map(|_| ()).map_err(Clone::clone),
                );
            }
            for (suffix, content_type, body, _) in &bodies {
                if content_type.starts_with("text/uri-list") {
                    continue;
                }
                let Ok(m) = Parser::new(Mode::Lenient).parse_plain(body) else {
                    continue;
                };
                if !has_entities(&m.message) {
                    continue;
                }
                push(format!("{id}{suffix}"), no_errors(p.parse_plain(body)));
                if let Some(Ok(server)) = &server {
                    let own = Parser::new(Mode::Lenient).with_model(server);
                    push(
                        format!("{id}{suffix}#own-listing"),
                        no_errors(own.parse_plain(body)),
                    );
                }
            }
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let body = std::fs::read_to_string(path).unwrap();
        let json = id.ends_with(".json");
        if stem.ends_with("uri-list") || stem.contains("_occi_") || stem.contains("_headers") {
            continue;
        }
        if stem.starts_with("model") {
            push(
                format!("{id}#as-listing"),
                listing(&body, json, v).map(|_| ()),
            );
        }
        let Ok(m) = (if json {
            Parser::new(Mode::Lenient).parse_json(&body)
        } else {
            Parser::new(Mode::Lenient).parse_plain(&body)
        }) else {
            continue;
        };
        if !has_entities(&m.message) {
            continue;
        }
        push(
            id.clone(),
            no_errors(if json {
                p.parse_json(&body)
            } else {
                p.parse_plain(&body)
            }),
        );
        // rOCCI 5's examples against the model listing in the same rendering.
        if id.starts_with("rocci-core/v5-examples-rendering/") {
            let listing_file = path.with_file_name(if json { "model.json" } else { "model.txt" });
            let server = listing(&std::fs::read_to_string(listing_file).unwrap(), json, v);
            push(
                format!("{id}#own-listing"),
                server.and_then(|server| {
                    let own = Parser::new(Mode::Lenient).with_model(&server);
                    no_errors(if json {
                        own.parse_json(&body)
                    } else {
                        own.parse_plain(&body)
                    })
                }),
            );
        }
    }
    for o in &outcomes {
        println!("{o:?}");
    }
    assert!(outcomes.len() > 40, "{} cases", outcomes.len());
    ratchet("occi-render-model", &outcomes).unwrap();
}
