//! Our built-in OCCI registry (`Model::infrastructure(1.2)` with CRTP and the EGI extensions)
//! against rOCCI-core 5's YAML model definitions (`occi/rocci-core/v5-warehouse`): every kind,
//! mixin and action file must name a category of ours with the same class, parent, applies,
//! depends, location, attribute names and actions; every attribute file must match our
//! definition of that attribute in its category (type, required, mutable, default, pattern).
//!
//! Equivalences applied (not counted as differences): a Ruby `String` whose pattern is
//! `^(a|b|…)$` is our enumeration of those values; `IPAddr` is our IP address or CIDR type; the
//! patterns `^.*$` and `^.+$`, which rOCCI puts on free-text strings, count as no pattern.
//! Titles and descriptions are prose and not compared. Differences are listed, each with its
//! reason, in `tests/expected/occi-model-warehouse.txt`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use fedcloud_conformance::{Outcome, case_id, corpus_area, files_below, ratchet};
use occi_model::{
    AttributeDefinition, AttributeType, AttributeValue, Category, Model, OcciVersion,
};
use serde_yaml_ng::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A YAML value without its Ruby tag (`!ruby/class String` → `String`).
fn untag(v: &Value) -> &Value {
    match v {
        Value::Tagged(t) => &t.value,
        other => other,
    }
}

fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match untag(v) {
        Value::Mapping(m) => m.get(key).map(untag).filter(|v| !v.is_null()),
        _ => None,
    }
}

fn text(v: &Value, key: &str) -> Option<String> {
    get(v, key).and_then(|v| v.as_str()).map(str::to_owned)
}

fn list(v: &Value, key: &str) -> BTreeSet<String> {
    match get(v, key) {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(|i| untag(i).as_str().map(str::to_owned))
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// A Ruby regexp literal `/…/` as its source, or `None` for the free-text patterns.
fn pattern_of(v: &Value) -> Option<String> {
    let p = text(v, "pattern")?;
    let p = p
        .strip_prefix('/')
        .and_then(|p| p.strip_suffix('/'))
        .unwrap_or(&p)
        .to_owned();
    (p != "^.*$" && p != "^.+$").then_some(p)
}

/// `^(a|b|c)$` as its alternatives.
fn enumeration(pattern: &str) -> Option<BTreeSet<String>> {
    let inner = pattern.strip_prefix("^(")?.strip_suffix(")$")?;
    let values: BTreeSet<String> = inner.split('|').map(str::to_owned).collect();
    values
        .iter()
        .all(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        .then_some(values)
}

fn default_text(v: &AttributeValue) -> String {
    v.to_string()
}

fn yaml_scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

/// Differences between a warehouse attribute definition and ours.
fn compare_attribute(theirs: &Value, ours: &AttributeDefinition) -> Vec<String> {
    let mut out = Vec::new();
    let ruby_type = get(theirs, "type")
        .and_then(|t| t.as_str())
        .unwrap_or("?")
        .to_owned();
    let pattern = pattern_of(theirs);
    let their_enum = pattern.as_deref().and_then(enumeration);
    let type_ok = match (ruby_type.as_str(), &ours.attr_type) {
        ("String", AttributeType::Enum(values)) => their_enum
            .as_ref()
            .is_some_and(|e| *e == values.iter().cloned().collect::<BTreeSet<_>>()),
        ("String", AttributeType::String) => their_enum.is_none(),
        ("Integer", AttributeType::Integer)
        | ("Float", AttributeType::Number)
        | ("URI", AttributeType::Uri)
        | ("IPAddr", AttributeType::IpAddress | AttributeType::Cidr)
        | ("Boolean", AttributeType::Boolean)
        | ("Array", AttributeType::Array) => true,
        _ => false,
    };
    if !type_ok {
        let theirs = match &their_enum {
            Some(e) => format!(
                "enum {{{}}}",
                e.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            None => ruby_type,
        };
        let ours = match &ours.attr_type {
            AttributeType::Enum(v) => format!("enum {{{}}}", v.join(", ")),
            t => format!("{t:?}"),
        };
        out.push(format!("type {theirs} vs ours {ours}"));
    }
    let flag = |key: &str| get(theirs, key).and_then(Value::as_bool).unwrap_or(false);
    if flag("required") != ours.required {
        out.push(format!(
            "required {} vs ours {}",
            flag("required"),
            ours.required
        ));
    }
    if flag("mutable") != ours.mutable {
        out.push(format!(
            "mutable {} vs ours {}",
            flag("mutable"),
            ours.mutable
        ));
    }
    let their_default = get(theirs, "default").map(yaml_scalar);
    let our_default = ours.default.as_ref().map(default_text);
    if their_default != our_default {
        out.push(format!("default {their_default:?} vs ours {our_default:?}"));
    }
    if their_enum.is_none() {
        let ours_p = ours.pattern.as_ref().map(|p| p.as_str().to_owned());
        if pattern != ours_p {
            out.push(format!("pattern {pattern:?} vs ours {ours_p:?}"));
        }
    }
    out
}

/// The class directory of a warehouse file: `kinds`, `mixins` or `actions`.
fn class_of(path: &Path) -> Option<&str> {
    let parent = path.parent()?;
    let dir = parent.file_name()?.to_str()?;
    if dir == "attributes" {
        return parent.parent()?.file_name()?.to_str();
    }
    Some(dir)
}

fn compare_category(model: &Model, doc: &Value, class: &str) -> Result<(), String> {
    let id = format!(
        "{}{}",
        text(doc, "schema").unwrap_or_default(),
        text(doc, "term").unwrap_or_default()
    );
    let Some(cat) = model.category(&id) else {
        return Err(format!("{id} is not in our model"));
    };
    let mut problems = Vec::new();
    let set = |ids: &[occi_model::CategoryId]| -> BTreeSet<String> {
        ids.iter().map(ToString::to_string).collect()
    };
    let names = |defs: &[AttributeDefinition]| -> BTreeSet<String> {
        defs.iter().map(|a| a.name.to_string()).collect()
    };
    let mut diff = |what: &str, theirs: BTreeSet<String>, ours: BTreeSet<String>| {
        if theirs != ours {
            let only_theirs: Vec<_> = theirs.difference(&ours).cloned().collect();
            let only_ours: Vec<_> = ours.difference(&theirs).cloned().collect();
            problems.push(format!(
                "{what}: only rOCCI {only_theirs:?}, only ours {only_ours:?}"
            ));
        }
    };
    match (class, cat) {
        ("kinds", Category::Kind(k)) => {
            diff(
                "parent",
                text(doc, "parent").into_iter().collect(),
                k.parent.iter().map(ToString::to_string).collect(),
            );
            diff("attributes", list(doc, "attributes"), names(&k.attributes));
            diff("actions", list(doc, "actions"), set(&k.actions));
            diff(
                "location",
                text(doc, "location").into_iter().collect(),
                k.location.iter().cloned().collect(),
            );
        }
        ("mixins", Category::Mixin(m)) => {
            diff("applies", list(doc, "applies"), set(&m.applies));
            diff("depends", list(doc, "depends"), set(&m.depends));
            diff("attributes", list(doc, "attributes"), names(&m.attributes));
            diff("actions", list(doc, "actions"), set(&m.actions));
            diff(
                "location",
                text(doc, "location").into_iter().collect(),
                m.location.iter().cloned().collect(),
            );
        }
        ("actions", Category::Action(a)) => {
            let theirs: BTreeSet<String> = match get(doc, "attributes") {
                Some(Value::Mapping(m)) => m
                    .keys()
                    .filter_map(|k| k.as_str().map(str::to_owned))
                    .collect(),
                _ => BTreeSet::new(),
            };
            diff("parameters", theirs, names(&a.attributes));
            if let Some(Value::Mapping(params)) = get(doc, "attributes") {
                for (name, def) in params {
                    let name = name.as_str().unwrap_or_default();
                    if let Some(ours) = a.attribute(name) {
                        for p in compare_attribute(def, ours) {
                            problems.push(format!("parameter {name}: {p}"));
                        }
                    }
                }
            }
        }
        (class, other) => {
            problems.push(format!("class {class} vs ours {}", other.class().as_str()))
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[test]
fn rocci_warehouse() -> Result<(), Box<dyn std::error::Error>> {
    let Some(occi) = corpus_area("occi")? else {
        return Ok(());
    };
    let root = occi.join("rocci-core/v5-warehouse");
    let corpus = occi.parent().unwrap_or(&occi).to_path_buf();
    let files = files_below(&root, &|p| p.extension().is_some_and(|e| e == "yml"))?;
    assert!(files.len() >= 80, "only {} warehouse files", files.len());
    let docs: Vec<(PathBuf, Value)> = files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            (p.clone(), serde_yaml_ng::from_str(&text).unwrap())
        })
        .collect();
    let model = Model::infrastructure(OcciVersion::V1_2)
        .with_crtp()
        .with_egi_extensions();
    let mut outcomes = Vec::new();
    let (mut categories, mut attributes) = (0, 0);
    for (path, doc) in &docs {
        let id = case_id(&corpus, path);
        let class = class_of(path).unwrap_or_default();
        let is_attribute = path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|d| d == "attributes");
        let result = if is_attribute {
            attributes += 1;
            // The categories of the same class directory that list this attribute.
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let class_dir = path.parent().and_then(Path::parent).unwrap();
            let owners: Vec<String> = docs
                .iter()
                .filter(|(p, d)| {
                    p.parent() == Some(class_dir) && list(d, "attributes").contains(&name)
                })
                .map(|(_, d)| {
                    format!(
                        "{}{}",
                        text(d, "schema").unwrap_or_default(),
                        text(d, "term").unwrap_or_default()
                    )
                })
                .collect();
            let mut problems = Vec::new();
            if owners.is_empty() {
                problems.push("no warehouse category lists it".to_owned());
            }
            for owner in &owners {
                match model
                    .category(owner)
                    .and_then(|c| c.attributes().iter().find(|a| a.name == name.as_str()))
                {
                    None => problems.push(format!("not defined by our {owner}")),
                    Some(ours) => problems.extend(compare_attribute(doc, ours)),
                }
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.join("; "))
            }
        } else {
            categories += 1;
            compare_category(&model, doc, class)
        };
        outcomes.push(match result {
            Ok(()) => Outcome::pass(id),
            Err(why) => Outcome::fail(id, why),
        });
    }
    let report = ratchet("occi-model-warehouse", &outcomes)?;
    println!(
        "{categories} category files and {attributes} attribute files; {} agree",
        report.passed
    );
    Ok(())
}
