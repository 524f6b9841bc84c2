//! The JSON rendering (application/occi+json, OCCI 1.2, GFD.225): the writer here, the
//! readers of whole bodies in [`read`] (over the positioned tree of [`tree`]) and of
//! collections, member by member, in [`stream`].

pub(crate) mod read;
pub(crate) mod stream;
mod tree;

use occi_model::AttributeValue;
use serde_json::Value;

/// An attribute value from JSON (`null` has none).
pub(crate) fn value_from_json(v: &Value) -> Option<AttributeValue> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => AttributeValue::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => AttributeValue::Integer(i),
            None => AttributeValue::Number(n.as_f64()?),
        },
        Value::String(s) => AttributeValue::String(s.clone()),
        Value::Array(items) => {
            AttributeValue::Array(items.iter().filter_map(value_from_json).collect())
        }
        Value::Object(map) => AttributeValue::Object(
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), value_from_json(v)?)))
                .collect(),
        ),
    })
}

/// An attribute value as JSON (a non-finite number becomes `null`).
pub(crate) fn value_to_json(v: &AttributeValue) -> Value {
    match v {
        AttributeValue::Boolean(b) => Value::Bool(*b),
        AttributeValue::Integer(i) => Value::from(*i),
        AttributeValue::Number(f) => {
            serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
        }
        AttributeValue::String(s) => Value::String(s.clone()),
        AttributeValue::Array(items) => Value::Array(items.iter().map(value_to_json).collect()),
        AttributeValue::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), value_to_json(v)))
                .collect(),
        ),
        _ => Value::Null,
    }
}

use crate::error::at;
use crate::media::Loss;
use crate::message::{CategoryRendering, Composition, LinkRendering, Message};
use crate::{Error, ErrorKind};
use occi_model::fedcloud_core::Position;
use occi_model::{CategoryClass, Model};
use serde_json::Map;

pub(crate) use crate::entity::{
    ID as CORE_ID, SOURCE as CORE_SOURCE, SUMMARY as CORE_SUMMARY, TARGET as CORE_TARGET,
    TITLE as CORE_TITLE,
};

// ---- rendering -------------------------------------------------------------------------------

/// Renders `message` as application/occi+json (OCCI 1.2, GFD.225), pretty-printed.
///
/// The composition ([`Message::composition`]) picks the JSON form: a resource or link object,
/// an action invocation, `{"kinds": […], "mixins": […], "actions": […]}` (type identifiers
/// only when every category is a bare reference), a JSON array of locations, or
/// `{"resources": […], "links": […]}`. Attribute types of category definitions come from the
/// message, else from `model`, else `string`.
///
/// ```
/// use occi_render_http::{Mode, Parser, render_json};
/// let body = "Category: suspend; scheme=\"http://schemas.ogf.org/occi/infrastructure/compute/action#\"; class=\"action\"\n\
///             X-OCCI-Attribute: method=\"suspend\"\n";
/// let m = Parser::new(Mode::Strict12).parse_plain(body)?.message;
/// let json = render_json(&m, None)?;
/// assert_eq!(serde_json::from_str::<serde_json::Value>(&json).unwrap(), serde_json::json!({
///     "action": "http://schemas.ogf.org/occi/infrastructure/compute/action#suspend",
///     "attributes": { "method": "suspend" }
/// }));
/// assert_eq!(Parser::new(Mode::Strict12).parse_json(&json)?.message, m);
/// # Ok::<(), occi_render_http::Error>(())
/// ```
///
/// # Errors
/// `Unrepresentable` for a class-less category or a non-finite number.
pub fn render_json(message: &Message, model: Option<&Model>) -> Result<String, Error> {
    let v = render_json_value(message, model)?;
    serde_json::to_string_pretty(&v)
        .map_err(|e| at(ErrorKind::Json(e.to_string()), Position::START))
}

/// Renders `message` as a JSON value (see [`render_json`]).
///
/// # Errors
/// As [`render_json`].
pub fn render_json_value(message: &Message, model: Option<&Model>) -> Result<Value, Error> {
    Ok(match message.composition() {
        Composition::Empty => Value::Object(Map::new()),
        Composition::Locations => Value::Array(
            message
                .locations
                .iter()
                .cloned()
                .map(Value::String)
                .collect(),
        ),
        Composition::Resource => resource(message)?,
        Composition::Link => standalone_link(message)?,
        // An invocation names its action by type identifier, which cannot carry a scheme
        // with an inner `#`; without attributes it is the same as a one-category collection.
        Composition::ActionInvocation
            if message.attributes.is_empty()
                && message.categories.iter().any(|c| !splittable(c)) =>
        {
            categories(&message.categories, model)?
        }
        Composition::ActionInvocation => invocation(message)?,
        Composition::Categories => categories(&message.categories, model)?,
        Composition::Entities => {
            let mut resources = Vec::new();
            let mut links = Vec::new();
            let mut other = Vec::new();
            for e in &message.entities {
                match e.entity_composition() {
                    Composition::Link => links.push(standalone_link(e)?),
                    Composition::Resource => resources.push(resource(e)?),
                    Composition::ActionInvocation => other.push(invocation(e)?),
                    _ => other.push(render_json_value(e, model)?),
                }
            }
            let mut o = match categories(&message.categories, model)? {
                Value::Object(o) => o,
                _ => Map::new(),
            };
            if !resources.is_empty() {
                o.insert("resources".into(), Value::Array(resources));
            }
            if !links.is_empty() {
                o.insert("links".into(), Value::Array(links));
            }
            if other.len() > 1 {
                return Err(at(
                    ErrorKind::Unrepresentable("more than one action invocation in a collection"),
                    Position::START,
                ));
            }
            if let Some(first) = other.into_iter().next() {
                o.insert("action".into(), first);
            }
            Value::Object(o)
        }
    })
}

/// Renders an entity collection as GFD.225 §3.3 has it: the resource renderings in the array
/// of a `resources` member, the link renderings in that of a `links` member. An empty
/// collection is `{"resources": []}`, or `{"links": []}` when `links` says it is a
/// collection of links; a collection holding both kinds of entity has both members.
///
/// # Errors
/// `Unrepresentable` for a member that is neither a resource nor a link; as [`render_json`].
pub fn render_json_collection(entities: &[Message], links: bool) -> Result<String, Error> {
    let mut resource_values = Vec::new();
    let mut link_values = Vec::new();
    for e in entities {
        match e.entity_composition() {
            Composition::Link => link_values.push(standalone_link(e)?),
            Composition::Resource => resource_values.push(resource(e)?),
            _ => {
                return Err(at(
                    ErrorKind::Unrepresentable(
                        "a member of an entity collection that is no entity",
                    ),
                    Position::START,
                ));
            }
        }
    }
    let mut o = Map::new();
    let empty = resource_values.is_empty() && link_values.is_empty();
    if !resource_values.is_empty() || (empty && !links) {
        o.insert("resources".into(), Value::Array(resource_values));
    }
    if !link_values.is_empty() || (empty && links) {
        o.insert("links".into(), Value::Array(link_values));
    }
    serde_json::to_string_pretty(&Value::Object(o))
        .map_err(|e| at(ErrorKind::Json(e.to_string()), Position::START))
}

/// Whether the type identifier of `c` splits back into its scheme and term (at the last `#`).
fn splittable(c: &CategoryRendering) -> bool {
    c.scheme.ends_with('#') && !c.term.contains('#')
}

fn invocation(message: &Message) -> Result<Value, Error> {
    let mut o = Map::new();
    if let Some(a) = message.categories.first() {
        if !splittable(a) {
            return Err(at(
                ErrorKind::Unrepresentable("an action whose type identifier does not split back"),
                Position::START,
            ));
        }
        o.insert("action".into(), Value::String(a.type_id()));
    }
    o.insert("attributes".into(), attributes(&message.attributes)?);
    Ok(Value::Object(o))
}

fn attributes(attrs: &[(String, AttributeValue)]) -> Result<Value, Error> {
    let mut o = Map::new();
    for (n, v) in attrs {
        if let AttributeValue::Number(f) = v
            && !f.is_finite()
        {
            return Err(at(
                ErrorKind::Unrepresentable("a non-finite number"),
                Position::START,
            ));
        }
        o.insert(n.clone(), value_to_json(v));
    }
    Ok(Value::Object(o))
}

fn string_attr(attrs: &[(String, AttributeValue)], name: &str) -> Option<Value> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| Value::String(v.to_string()))
}

fn kind_and_mixins(o: &mut Map<String, Value>, kind: Option<String>, mixins: Vec<String>) {
    if let Some(k) = kind {
        o.insert("kind".into(), Value::String(k));
    }
    if !mixins.is_empty() {
        o.insert(
            "mixins".into(),
            Value::Array(mixins.into_iter().map(Value::String).collect()),
        );
    }
}

/// An entity's kind and mixins, by type identifier.
fn entity_categories(o: &mut Map<String, Value>, m: &Message) {
    let kind = m.kind().map(CategoryRendering::type_id);
    let mixins = m
        .categories
        .iter()
        .filter(|c| c.class == Some(CategoryClass::Mixin))
        .map(CategoryRendering::type_id)
        .collect();
    kind_and_mixins(o, kind, mixins);
}

/// JSON names an entity's kind and mixins by type identifier.
fn check_splittable(m: &Message) -> Result<(), Error> {
    if m.categories.iter().all(splittable) {
        Ok(())
    } else {
        Err(at(
            ErrorKind::Unrepresentable("a category whose type identifier does not split back"),
            Position::START,
        ))
    }
}

fn resource(m: &Message) -> Result<Value, Error> {
    check_splittable(m)?;
    let mut o = Map::new();
    entity_categories(&mut o, m);
    o.insert("attributes".into(), attributes(&m.attributes)?);
    let actions: Vec<Value> = m
        .links
        .iter()
        .filter(|l| l.is_action())
        .filter_map(|l| l.rel.first().cloned().map(Value::String))
        .collect();
    if !actions.is_empty() {
        o.insert("actions".into(), Value::Array(actions));
    }
    if let Some(id) = string_attr(&m.attributes, CORE_ID) {
        o.insert("id".into(), id);
    }
    let links = m
        .links
        .iter()
        .filter(|l| !l.is_action())
        .map(|l| inline_link(l, m))
        .collect::<Result<Vec<_>, _>>()?;
    if !links.is_empty() {
        o.insert("links".into(), Value::Array(links));
    }
    if let Some(s) = string_attr(&m.attributes, CORE_SUMMARY) {
        o.insert("summary".into(), s);
    }
    if let Some(t) = string_attr(&m.attributes, CORE_TITLE) {
        o.insert("title".into(), t);
    }
    Ok(Value::Object(o))
}

fn kinded(location: Option<Value>, kind: Option<&String>) -> Value {
    let mut o = Map::new();
    o.insert(
        "location".into(),
        location.unwrap_or(Value::String(String::new())),
    );
    if let Some(k) = kind {
        o.insert("kind".into(), Value::String(k.clone()));
    }
    Value::Object(o)
}

fn inline_link(l: &LinkRendering, owner: &Message) -> Result<Value, Error> {
    let mut o = Map::new();
    let mut cats = l.categories.iter().cloned();
    kind_and_mixins(&mut o, cats.next(), cats.collect());
    o.insert("attributes".into(), attributes(&l.attributes)?);
    // GFD.225 gives a link no location: without occi.core.id, its `self` location is the
    // identifier (as `Message::to_entity` takes it).
    let id =
        string_attr(&l.attributes, CORE_ID).or_else(|| l.self_location.clone().map(Value::String));
    if let Some(id) = id {
        o.insert("id".into(), id);
    }
    let source = string_attr(&l.attributes, CORE_SOURCE);
    o.insert(
        "source".into(),
        kinded(
            source,
            owner.kind().map(CategoryRendering::type_id).as_ref(),
        ),
    );
    let target = string_attr(&l.attributes, CORE_TARGET).unwrap_or(Value::String(l.target.clone()));
    o.insert("target".into(), kinded(Some(target), l.rel.first()));
    if let Some(t) = string_attr(&l.attributes, CORE_TITLE) {
        o.insert("title".into(), t);
    }
    Ok(Value::Object(o))
}

fn standalone_link(m: &Message) -> Result<Value, Error> {
    check_splittable(m)?;
    if !m.links.is_empty() {
        return Err(at(
            ErrorKind::Unrepresentable("a link entity with links of its own"),
            Position::START,
        ));
    }
    let mut o = Map::new();
    entity_categories(&mut o, m);
    o.insert("attributes".into(), attributes(&m.attributes)?);
    if let Some(id) = string_attr(&m.attributes, CORE_ID) {
        o.insert("id".into(), id);
    }
    let target_kind = m
        .attribute("occi.core.target.kind")
        .map(ToString::to_string);
    o.insert(
        "source".into(),
        kinded(string_attr(&m.attributes, CORE_SOURCE), None),
    );
    o.insert(
        "target".into(),
        kinded(
            string_attr(&m.attributes, CORE_TARGET),
            target_kind.as_ref(),
        ),
    );
    if let Some(t) = string_attr(&m.attributes, CORE_TITLE) {
        o.insert("title".into(), t);
    }
    Ok(Value::Object(o))
}

fn categories(cats: &[CategoryRendering], model: Option<&Model>) -> Result<Value, Error> {
    // The identifier form splits back only where the scheme ends in its only `#`.
    let identifiers = cats.iter().all(|c| c.is_reference() && splittable(c));
    let mut kinds = Vec::new();
    let mut mixins = Vec::new();
    let mut actions = Vec::new();
    for c in cats {
        let v = if identifiers {
            Value::String(c.type_id())
        } else {
            category(c, model)
        };
        match c.class {
            Some(CategoryClass::Kind) => kinds.push(v),
            Some(CategoryClass::Mixin) => mixins.push(v),
            Some(CategoryClass::Action) => actions.push(v),
            _ => {
                return Err(at(
                    ErrorKind::Unrepresentable("a category without class has no JSON form"),
                    Position::START,
                ));
            }
        }
    }
    let mut o = Map::new();
    for (k, v) in [("kinds", kinds), ("mixins", mixins), ("actions", actions)] {
        if !v.is_empty() {
            o.insert(k.into(), Value::Array(v));
        }
    }
    Ok(Value::Object(o))
}

fn category(c: &CategoryRendering, model: Option<&Model>) -> Value {
    let mut o = Map::new();
    o.insert("term".into(), Value::String(c.term.clone()));
    o.insert("scheme".into(), Value::String(c.scheme.clone()));
    if let Some(t) = &c.title {
        o.insert("title".into(), Value::String(t.clone()));
    }
    if !c.attributes.is_empty() {
        let id = c.type_id();
        let defined = model.and_then(|m| m.category(&id));
        let mut defs = Map::new();
        for a in &c.attributes {
            let mut d = Map::new();
            d.insert("mutable".into(), Value::Bool(!a.immutable));
            d.insert("required".into(), Value::Bool(a.required));
            let ty = a.attr_type.clone().unwrap_or_else(|| {
                defined
                    .and_then(|cat| cat.attributes().iter().find(|x| x.name == *a.name))
                    .or_else(|| model.and_then(|m| any_definition(m, &a.name)))
                    .map_or("string", |x| x.attr_type.json_type())
                    .to_owned()
            });
            d.insert("type".into(), Value::String(ty));
            if let Some(p) = &a.pattern {
                d.insert("pattern".into(), value_to_json(p));
            }
            if let Some(v) = &a.default {
                d.insert("default".into(), value_to_json(v));
            }
            if let Some(s) = &a.description {
                d.insert("description".into(), Value::String(s.clone()));
            }
            defs.insert(a.name.clone(), Value::Object(d));
        }
        o.insert("attributes".into(), Value::Object(defs));
    }
    if !c.actions.is_empty() && c.class != Some(CategoryClass::Action) {
        o.insert("actions".into(), strings(&c.actions));
    }
    match c.class {
        Some(CategoryClass::Kind) => {
            if let Some(p) = c.rel.first() {
                o.insert("parent".into(), Value::String(p.clone()));
            }
        }
        Some(CategoryClass::Mixin) => {
            if !c.rel.is_empty() {
                o.insert("depends".into(), strings(&c.rel));
            }
            if !c.applies.is_empty() {
                o.insert("applies".into(), strings(&c.applies));
            }
        }
        _ => {}
    }
    if c.class != Some(CategoryClass::Action)
        && let Some(l) = &c.location
    {
        o.insert("location".into(), Value::String(l.clone()));
    }
    Value::Object(o)
}

/// What the JSON rendering of `message` cannot carry: an inline link's `self` location
/// when it is neither the link's `id` nor the location of its kind followed by the id (the
/// usual server convention, `/storagelink/` + id; known only with `model`).
pub(crate) fn losses(message: &Message, model: Option<&Model>) -> Vec<Loss> {
    let mut out = Vec::new();
    let entities = message.entities.iter().enumerate();
    let all = std::iter::once((String::new(), message))
        .chain(entities.map(|(n, e)| (format!("/entities/{n}"), e)));
    for (prefix, m) in all {
        for (i, l) in m.links.iter().enumerate() {
            let Some(own) = &l.self_location else {
                continue;
            };
            let Some(id) = string_attr(&l.attributes, CORE_ID) else {
                continue;
            };
            let id = id.as_str().unwrap_or_default().to_owned();
            let kind_location = l
                .categories
                .first()
                .and_then(|k| model?.kind(k)?.location.clone());
            let derived = kind_location.is_some_and(|loc| *own == format!("{loc}{id}"));
            if *own != id && !derived {
                out.push(Loss::new(
                    format!("{prefix}/links/{i}"),
                    format!("the link's self location {own:?} (JSON has its id {id:?} only)"),
                ));
            }
        }
    }
    out
}

fn any_definition<'m>(m: &'m Model, name: &str) -> Option<&'m occi_model::AttributeDefinition> {
    m.kinds()
        .flat_map(|k| k.attributes.iter())
        .chain(m.mixins().flat_map(|x| x.attributes.iter()))
        .find(|a| a.name == *name)
}

fn strings(v: &[String]) -> Value {
    Value::Array(v.iter().cloned().map(Value::String).collect())
}

// ---- parsing ---------------------------------------------------------------------------------

#[cfg(test)]
mod tests;
