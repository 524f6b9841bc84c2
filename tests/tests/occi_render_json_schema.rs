//! Our application/occi+json output against the OCCI 1.2 JSON schema as rOCCI-core 5 ships
//! it (`occi/rocci-core/v5-json-schema/occi-schema.json`, draft-04, stricter than the GFD.225
//! appendix: `location` required on kinds and mixins, `attributes` on entities, non-empty
//! collections), checked with the reference validator, Python `jsonschema` (Debian
//! `python3-jsonschema`). Every text and JSON rendering fixture is parsed leniently, rendered
//! by `render_json`, and validated against the definition of its composition. Skips with a
//! notice when the tool is absent. Expected failures, with reasons, are in
//! `tests/expected/occi-render-json-schema.txt`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use fedcloud_conformance::{Outcome, case_id, corpus_area, files_below, ratchet, reference_tool};
use occi_model::{Model, OcciVersion};
use occi_render_http::{Composition, Message, Mode, Parser, render_json};
use std::io::Write;
use std::process::{Command, Stdio};

const SCRIPT: &str = "import json, sys, glob, os, jsonschema as J\n\
sdir = sys.argv[1]; store = {}\n\
for p in glob.glob(sdir + '/*.json'):\n\
\x20   s = json.load(open(p)); store[os.path.basename(p)] = s\n\
root = store['occi-schema.json']\n\
for line in sys.stdin:\n\
\x20   d, doc = line.rstrip('\\n').split('\\t', 1)\n\
\x20   ref = {'$ref': 'occi-schema.json#/definitions/' + d} if d != 'locations' else store['locations.json']\n\
\x20   V = J.Draft4Validator(ref, resolver=J.RefResolver('occi-schema.json', root, store=store))\n\
\x20   e = min(V.iter_errors(json.loads(doc)), key=str, default=None)\n\
\x20   print('valid' if e is None else 'INVALID: ' + e.message.replace('\\n', ' ')[:200])\n";

fn definition(m: &Message) -> Option<&'static str> {
    Some(match m.composition() {
        Composition::Resource => "resource",
        Composition::Link => "link",
        Composition::ActionInvocation => "action_instance",
        Composition::Locations => "locations",
        Composition::Categories => {
            if m.categories.iter().all(|c| c.is_reference()) {
                "category_identifiers"
            } else {
                "model"
            }
        }
        Composition::Entities if m.categories.is_empty() => "entity_collection",
        _ => return None,
    })
}

#[test]
fn our_json_validates_against_the_occi_schema() {
    let Some(root) = corpus_area("occi").unwrap() else {
        return;
    };
    if reference_tool("python3").is_none() {
        return;
    }
    let python = std::path::Path::new("/usr/bin/python3");
    let probe = Command::new(python)
        .args(["-c", "import jsonschema"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        println!("skipped: python3-jsonschema not installed");
        return;
    }
    let model = Model::infrastructure(OcciVersion::V1_2)
        .with_crtp()
        .with_egi_extensions();
    let parser = Parser::new(Mode::Lenient).with_model(&model);
    let files = files_below(&root, &|p| {
        let s = p.to_string_lossy();
        !s.contains("v5-json-schema")
            && !s.contains("v5-warehouse")
            && !s.contains("vcr-cassettes")
            && !s.contains("MANIFEST")
            && !s.contains("_occi_")
            && !s.contains("_headers")
            && !s.ends_with("uri-list.txt")
    })
    .unwrap();
    let mut docs = Vec::new();
    let mut outcomes = Vec::new();
    for path in files {
        let id = case_id(&root, &path);
        let body = std::fs::read_to_string(&path).unwrap();
        let parsed = if id.ends_with(".json") {
            parser.parse_json(&body)
        } else {
            parser.parse_plain(&body)
        };
        let Ok(parsed) = parsed else {
            continue; // the rendering suites cover what does not parse
        };
        let Some(def) = definition(&parsed.message) else {
            outcomes.push(Outcome::fail(
                id,
                "no single schema definition for this composition",
            ));
            continue;
        };
        let json = render_json(&parsed.message, Some(&model)).unwrap();
        docs.push((id, def, json.replace('\n', " ")));
    }
    let mut child = Command::new(python)
        .args(["-c", SCRIPT])
        .arg(root.join("rocci-core/v5-json-schema"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut stdin = child.stdin.take().unwrap();
        for (_, def, json) in &docs {
            writeln!(stdin, "{def}\t{json}").unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdicts = String::from_utf8(out.stdout).unwrap();
    let verdicts: Vec<&str> = verdicts.lines().collect();
    assert_eq!(verdicts.len(), docs.len());
    for ((id, def, _), v) in docs.iter().zip(verdicts) {
        outcomes.push(if v == "valid" {
            Outcome::pass(id.clone())
        } else {
            Outcome::fail(id.clone(), format!("{def}: {v}"))
        });
    }
    for o in &outcomes {
        println!("{o:?}");
    }
    ratchet("occi-render-json-schema", &outcomes).unwrap();
}
