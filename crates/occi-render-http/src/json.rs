//! The JSON rendering (application/occi+json, OCCI 1.2, GFD.225) and the reader of the
//! pre-1.2 rOCCI dialect.

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
use crate::message::{AttributeSpec, CategoryRendering, Composition, LinkRendering, Message};
use crate::text::{Parsed, Parser, Positions, lenient};
use crate::typing::type_message;
use crate::{Error, ErrorKind, Leniency, Mode, Warning};
use occi_model::fedcloud_core::Position;
use occi_model::{AttributeName, CategoryClass, CategoryId, Model};
use serde_json::Map;
use std::fmt;

const CORE_ID: &str = "occi.core.id";
const CORE_TITLE: &str = "occi.core.title";
const CORE_SUMMARY: &str = "occi.core.summary";
const CORE_SOURCE: &str = "occi.core.source";
const CORE_TARGET: &str = "occi.core.target";

fn shape(what: impl Into<String>) -> Error {
    at(ErrorKind::JsonShape(what.into()), Position::START)
}

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
    if let Some(id) = string_attr(&l.attributes, CORE_ID) {
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

impl Parser<'_> {
    /// Parses application/occi+json: the OCCI 1.2 rendering (GFD.225) in every mode, and in
    /// lenient mode also the pre-1.2 rOCCI dialect (nested attribute objects,
    /// [`Leniency::LegacyJson`]) and the members real servers add.
    ///
    /// The whole body is parsed into a `serde_json::Value` first: memory is bounded by
    /// [`Limits::max_body_bytes`](crate::Limits::max_body_bytes) (checked before parsing) times
    /// a small constant, nesting by [`Limits::max_depth`](crate::Limits::max_depth). Errors of
    /// the JSON syntax carry line and column; shape errors carry the member path in their
    /// text and the start of the input as position.
    ///
    /// # Errors
    /// Malformed JSON, a wrong shape, a limit, a strict-mode violation, a type mismatch.
    pub fn parse_json(&self, body: &str) -> Result<Parsed, Error> {
        self.check_body_size(body.len())?;
        let v: Value = serde_json::from_str(body).map_err(|e| {
            let p = Position::new(Position::START.offset, e.line().max(1), e.column().max(1));
            at(ErrorKind::Json(json_message(&e)), p)
        })?;
        if depth(&v, self.limits.max_depth + 1) > self.limits.max_depth {
            return Err(at(
                ErrorKind::TooDeep {
                    limit: self.limits.max_depth,
                },
                Position::START,
            ));
        }
        let mut r = JsonReader {
            mode: self.mode,
            warnings: Vec::new(),
            max_attributes: self.limits.max_attributes,
            legacy_reported: false,
        };
        let mut message = r.document(&v)?;
        if let Some(model) = self.model {
            let positions = Positions::default();
            type_message(model, self.mode, &mut message, &positions, &mut r.warnings)?;
            for e in &mut message.entities {
                type_message(model, self.mode, e, &positions, &mut r.warnings)?;
            }
        }
        Ok(Parsed {
            message,
            warnings: r.warnings,
        })
    }
}

fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s.get(..i).unwrap_or_default().to_owned(),
        None => s,
    }
}

/// The nesting depth of `v`, counting no further than `cap`.
fn depth(v: &Value, cap: usize) -> usize {
    if cap == 0 {
        return 0;
    }
    match v {
        Value::Array(a) => 1 + a.iter().map(|x| depth(x, cap - 1)).max().unwrap_or(0),
        Value::Object(o) => 1 + o.values().map(|x| depth(x, cap - 1)).max().unwrap_or(0),
        _ => 0,
    }
}

/// A JSON pointer built only when an error needs it.
struct Join<'a>(&'a dyn fmt::Display, &'a dyn fmt::Display);

impl fmt::Display for Join<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.0, self.1)
    }
}

struct JsonReader {
    mode: Mode,
    warnings: Vec<Warning>,
    max_attributes: usize,
    legacy_reported: bool,
}

fn split_type_id(id: &str) -> (String, String) {
    match id.rfind('#') {
        Some(i) => (
            id.get(..=i).unwrap_or_default().to_owned(),
            id.get(i + 1..).unwrap_or_default().to_owned(),
        ),
        None => (String::new(), id.to_owned()),
    }
}

impl JsonReader {
    fn lenient(&mut self, l: Leniency) -> Result<(), Error> {
        lenient(self.mode, &mut self.warnings, l, Position::START)
    }

    fn legacy(&mut self) -> Result<(), Error> {
        if self.legacy_reported {
            return Ok(());
        }
        self.legacy_reported = true;
        self.lenient(Leniency::LegacyJson)
    }

    fn unknown(&mut self, path: &dyn fmt::Display, key: &str) -> Result<(), Error> {
        lenient(
            self.mode,
            &mut self.warnings,
            Leniency::UnknownJsonMember,
            Position::START,
        )
        .map_err(|_| shape(format!("unknown member {path}/{key}")))
    }

    fn type_id(&mut self, v: &Value, path: &dyn fmt::Display) -> Result<String, Error> {
        let Some(s) = v.as_str() else {
            return Err(shape(format!("{path} must be a string")));
        };
        if CategoryId::parse(s, self.mode.version()).is_err() {
            if self.mode.is_lenient() && crate::text::loose_type_id(s) {
                self.lenient(Leniency::IdentifierGrammar)?;
            } else {
                return Err(shape(format!("{path}: {s:?} is not a type identifier")));
            }
        }
        Ok(s.to_owned())
    }

    fn type_ids(&mut self, v: &Value, path: &dyn fmt::Display) -> Result<Vec<String>, Error> {
        let Some(items) = v.as_array() else {
            return Err(shape(format!("{path} must be an array")));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, x)| self.type_id(x, &Join(path, &i)))
            .collect()
    }

    fn document(&mut self, v: &Value) -> Result<Message, Error> {
        match v {
            Value::Array(items) => {
                let mut m = Message::new();
                for (i, x) in items.iter().enumerate() {
                    let Some(s) = x.as_str() else {
                        return Err(shape(format!("/{i} must be a location string")));
                    };
                    m.locations.push(s.to_owned());
                }
                Ok(m)
            }
            Value::Object(o) => {
                if o.contains_key("kind") {
                    return self.entity(o, &"");
                }
                if o.contains_key("action")
                    && !o.contains_key("kinds")
                    && !o.contains_key("resources")
                {
                    return self.action_invocation(o, &"");
                }
                let mut m = Message::new();
                for (k, x) in o {
                    let path = Join(&"", k);
                    match k.as_str() {
                        "kinds" | "mixins" | "actions" => {
                            let class = match k.as_str() {
                                "kinds" => CategoryClass::Kind,
                                "mixins" => CategoryClass::Mixin,
                                _ => CategoryClass::Action,
                            };
                            let Some(items) = x.as_array() else {
                                return Err(shape(format!("{path} must be an array")));
                            };
                            for (i, c) in items.iter().enumerate() {
                                let p = Join(&path, &i);
                                let cat = if c.is_string() {
                                    let id = self.type_id(c, &p)?;
                                    let (scheme, term) = split_type_id(&id);
                                    CategoryRendering::new(term, scheme, class)
                                } else {
                                    self.category(c, class, &p)?
                                };
                                m.categories.push(cat);
                            }
                        }
                        "resources" | "links" => {
                            let Some(items) = x.as_array() else {
                                return Err(shape(format!("{path} must be an array")));
                            };
                            for (i, e) in items.iter().enumerate() {
                                let p = Join(&path, &i);
                                let Some(eo) = e.as_object() else {
                                    return Err(shape(format!("{p} must be an object")));
                                };
                                m.entities.push(self.entity(eo, &p)?);
                            }
                        }
                        "action" => {
                            // The rOCCI 4 collection carries one action invocation.
                            self.legacy()?;
                            let Some(ao) = x.as_object() else {
                                return Err(shape(format!("{path} must be an object")));
                            };
                            m.entities.push(self.action_invocation(ao, &path)?);
                        }
                        _ => self.unknown(&"", k)?,
                    }
                }
                Ok(m)
            }
            _ => Err(shape("the document must be an object or an array")),
        }
    }

    fn action_invocation(
        &mut self,
        o: &Map<String, Value>,
        path: &dyn fmt::Display,
    ) -> Result<Message, Error> {
        let mut m = Message::new();
        for (k, x) in o {
            match k.as_str() {
                "action" => {
                    let id = self.type_id(x, &Join(path, &"action"))?;
                    let (scheme, term) = split_type_id(&id);
                    m.categories
                        .push(CategoryRendering::new(term, scheme, CategoryClass::Action));
                }
                "attributes" => {
                    m.attributes = self.attribute_values(x, &Join(path, &"attributes"))?
                }
                _ => self.unknown(path, k)?,
            }
        }
        Ok(m)
    }

    /// An `attributes` object of an entity: flat dotted names (1.2) or the nested pre-1.2
    /// dialect.
    fn attribute_values(
        &mut self,
        v: &Value,
        path: &dyn fmt::Display,
    ) -> Result<Vec<(String, AttributeValue)>, Error> {
        let Some(o) = v.as_object() else {
            return Err(shape(format!("{path} must be an object")));
        };
        let mut out = Vec::new();
        for (k, x) in o {
            if !k.contains('.') && x.is_object() {
                self.legacy()?;
                self.flatten(k, x, &mut out)?;
            } else {
                self.push_value(k, x, &mut out, path)?;
            }
        }
        if out.len() > self.max_attributes {
            return Err(at(
                ErrorKind::TooManyAttributes {
                    limit: self.max_attributes,
                },
                Position::START,
            ));
        }
        Ok(out)
    }

    fn flatten(
        &mut self,
        prefix: &str,
        v: &Value,
        out: &mut Vec<(String, AttributeValue)>,
    ) -> Result<(), Error> {
        match v {
            Value::Object(o) => {
                for (k, x) in o {
                    self.flatten(&format!("{prefix}.{k}"), x, out)?;
                }
                Ok(())
            }
            other => self.push_value(prefix, other, out, &""),
        }
    }

    fn push_value(
        &mut self,
        name: &str,
        v: &Value,
        out: &mut Vec<(String, AttributeValue)>,
        path: &dyn fmt::Display,
    ) -> Result<(), Error> {
        self.attribute_name(name, path)?;
        if let Some(value) = value_from_json(v) {
            if out.len() >= self.max_attributes {
                return Err(at(
                    ErrorKind::TooManyAttributes {
                        limit: self.max_attributes,
                    },
                    Position::START,
                ));
            }
            out.push((name.to_owned(), value));
        }
        Ok(())
    }

    fn attribute_name(&mut self, name: &str, path: &dyn fmt::Display) -> Result<(), Error> {
        if AttributeName::parse(name, self.mode.version()).is_err() {
            if self.mode.is_lenient() && !name.is_empty() && !name.contains(char::is_whitespace) {
                self.lenient(Leniency::IdentifierGrammar)?;
            } else {
                return Err(shape(format!("{path}/{name}: not an attribute name")));
            }
        }
        Ok(())
    }

    fn kinded(
        &mut self,
        v: &Value,
        path: &dyn fmt::Display,
    ) -> Result<(Option<String>, Option<String>), Error> {
        match v {
            Value::String(s) => {
                self.legacy()?;
                Ok((Some(s.clone()), None))
            }
            Value::Object(o) => {
                let mut loc = None;
                let mut kind = None;
                for (k, x) in o {
                    match k.as_str() {
                        // Our renderer writes "" where the location is unknown.
                        "location" => loc = x.as_str().filter(|l| !l.is_empty()).map(str::to_owned),
                        "kind" => kind = Some(self.type_id(x, &Join(path, &"kind"))?),
                        _ => self.unknown(path, k)?,
                    }
                }
                Ok((loc, kind))
            }
            _ => Err(shape(format!("{path} must be an object"))),
        }
    }

    fn entity(
        &mut self,
        o: &Map<String, Value>,
        path: &dyn fmt::Display,
    ) -> Result<Message, Error> {
        let mut m = Message::new();
        let mut id = None;
        let mut title = None;
        let mut summary = None;
        let mut source = None;
        let mut target = None;
        let mut links = Vec::new();
        let mut actions = Vec::new();
        let mut mixins = Vec::new();
        for (k, x) in o {
            let p = Join(path, k);
            match k.as_str() {
                "kind" => {
                    let id = self.type_id(x, &p)?;
                    let (scheme, term) = split_type_id(&id);
                    m.categories
                        .insert(0, CategoryRendering::new(term, scheme, CategoryClass::Kind));
                }
                "mixins" => mixins = self.type_ids(x, &p)?,
                "attributes" => m.attributes = self.attribute_values(x, &p)?,
                "actions" => actions = self.type_ids(x, &p)?,
                "id" => id = Some(self.string(x, &p)?),
                "title" => title = Some(self.string(x, &p)?),
                "summary" => summary = Some(self.string(x, &p)?),
                "source" => source = Some(self.kinded(x, &p)?),
                "target" => target = Some(self.kinded(x, &p)?),
                "links" => {
                    let Some(items) = x.as_array() else {
                        return Err(shape(format!("{p} must be an array")));
                    };
                    for (i, l) in items.iter().enumerate() {
                        let lp = Join(&p, &i);
                        let Some(lo) = l.as_object() else {
                            return Err(shape(format!("{lp} must be an object")));
                        };
                        links.push(self.entity(lo, &lp)?);
                    }
                }
                "rel" => {
                    // rOCCI 4 links name their target's kind here.
                    self.legacy()?;
                    let kind = self.type_id(x, &p)?;
                    target = Some((
                        target.and_then(|t: (Option<String>, Option<String>)| t.0),
                        Some(kind),
                    ));
                }
                _ => self.unknown(path, k)?,
            }
        }
        for mx in mixins {
            let (scheme, term) = split_type_id(&mx);
            m.categories
                .push(CategoryRendering::new(term, scheme, CategoryClass::Mixin));
        }
        if m.kind().is_none() {
            return Err(shape(format!("{path}/kind is required")));
        }
        for (name, v) in [
            (CORE_ID, &id),
            (CORE_TITLE, &title),
            (CORE_SUMMARY, &summary),
        ] {
            self.merge(&mut m, name, v.clone(), path)?;
        }
        if m.attribute(CORE_ID).is_none() {
            self.lenient(Leniency::MissingId)
                .map_err(|_| shape(format!("{path}/id is required")))?;
        }
        let mut target_kind = None;
        if let Some((loc, _kind)) = source {
            self.merge(&mut m, CORE_SOURCE, loc, path)?;
        }
        if let Some((loc, kind)) = target {
            self.merge(&mut m, CORE_TARGET, loc, path)?;
            target_kind = kind;
        }
        for l in links {
            m.links.push(to_inline(l));
        }
        let location = m
            .attribute(CORE_ID)
            .map(ToString::to_string)
            .unwrap_or_default();
        for a in actions {
            let (_, term) = split_type_id(&a);
            m.links.push(LinkRendering {
                target: format!("{location}?action={term}"),
                rel: vec![a],
                ..LinkRendering::default()
            });
        }
        self.merge(&mut m, "occi.core.target.kind", target_kind, path)?;
        Ok(m)
    }
}

/// A link entity read from JSON as an inline link of a resource.
fn to_inline(l: Message) -> LinkRendering {
    let categories = l
        .categories
        .iter()
        .map(CategoryRendering::type_id)
        .collect();
    let mut attrs = l.attributes;
    let mut rel = Vec::new();
    if let Some(i) = attrs.iter().position(|(n, _)| n == "occi.core.target.kind")
        && let (_, AttributeValue::String(k)) = attrs.remove(i)
    {
        rel.push(k);
    }
    let target = attrs
        .iter()
        .find(|(n, _)| n == CORE_TARGET)
        .map(|(_, v)| v.to_string())
        .unwrap_or_default();
    LinkRendering {
        target,
        rel,
        self_location: None,
        categories,
        attributes: attrs,
    }
}

impl JsonReader {
    fn string(&mut self, v: &Value, path: &dyn fmt::Display) -> Result<String, Error> {
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| shape(format!("{path} must be a string")))
    }

    /// Puts a top-level member (`id`, `title`, …) into the attributes, where the text
    /// rendering has it; a conflicting `attributes` entry is an error.
    fn merge(
        &mut self,
        m: &mut Message,
        name: &str,
        v: Option<String>,
        path: &dyn fmt::Display,
    ) -> Result<(), Error> {
        let Some(v) = v else { return Ok(()) };
        match m.attribute(name) {
            Some(existing) if existing.as_str() == Some(v.as_str()) => Ok(()),
            Some(_) => Err(shape(format!(
                "{path}: the member and attributes/{name} differ"
            ))),
            None => {
                m.attributes
                    .push((name.to_owned(), AttributeValue::String(v)));
                Ok(())
            }
        }
    }

    fn category(
        &mut self,
        v: &Value,
        class: CategoryClass,
        path: &dyn fmt::Display,
    ) -> Result<CategoryRendering, Error> {
        let Some(o) = v.as_object() else {
            return Err(shape(format!(
                "{path} must be an object or a type identifier"
            )));
        };
        let mut c = CategoryRendering {
            class: Some(class),
            ..CategoryRendering::default()
        };
        for (k, x) in o {
            let p = Join(path, k);
            match k.as_str() {
                "term" => c.term = self.string(x, &p)?,
                "scheme" => c.scheme = self.string(x, &p)?,
                "title" => c.title = Some(self.string(x, &p)?),
                "location" if class != CategoryClass::Action => {
                    c.location = Some(self.string(x, &p)?)
                }
                "parent" if class == CategoryClass::Kind => {
                    let id = self.type_id(x, &p)?;
                    if !c.rel.contains(&id) {
                        c.rel.insert(0, id);
                    }
                }
                "related" => {
                    self.legacy()?;
                    for id in self.type_ids(x, &p)? {
                        if !c.rel.contains(&id) {
                            c.rel.push(id);
                        }
                    }
                }
                "depends" if class == CategoryClass::Mixin => c.rel = self.type_ids(x, &p)?,
                "applies" if class == CategoryClass::Mixin => c.applies = self.type_ids(x, &p)?,
                "actions" if class != CategoryClass::Action => c.actions = self.type_ids(x, &p)?,
                "attributes" => c.attributes = self.attribute_defs(x, &p)?,
                _ => self.unknown(path, k)?,
            }
        }
        if c.term.is_empty() || c.scheme.is_empty() {
            return Err(shape(format!("{path}: term and scheme are required")));
        }
        if c.scheme.parse::<occi_model::Scheme>().is_err() {
            // As for type identifiers, lenient mode keeps what it cannot check.
            self.lenient(Leniency::IdentifierGrammar)
                .map_err(|_| shape(format!("{path}/scheme: {:?} is not a scheme", c.scheme)))?;
        }
        if !crate::text::splittable_scheme(&c.scheme) {
            // rOCCI 4 and jOCCI publish `…/network/action#up` as the scheme of `down`.
            self.lenient(Leniency::IdentifierGrammar).map_err(|_| {
                shape(format!(
                    "{path}/scheme: {:?} does not end in its only '#'",
                    c.scheme
                ))
            })?;
        }
        if occi_model::Term::parse(&c.term, self.mode.version()).is_err() {
            if self.mode.is_lenient() {
                self.lenient(Leniency::IdentifierGrammar)?;
            } else {
                return Err(shape(format!("{path}/term: {:?} is not a term", c.term)));
            }
        }
        Ok(c)
    }

    fn attribute_defs(
        &mut self,
        v: &Value,
        path: &dyn fmt::Display,
    ) -> Result<Vec<AttributeSpec>, Error> {
        let Some(o) = v.as_object() else {
            return Err(shape(format!("{path} must be an object")));
        };
        let mut out = Vec::new();
        for (k, x) in o {
            self.attribute_def(k, x, path, &mut out)?;
        }
        Ok(out)
    }

    fn attribute_def(
        &mut self,
        name: &str,
        v: &Value,
        path: &dyn fmt::Display,
        out: &mut Vec<AttributeSpec>,
    ) -> Result<(), Error> {
        const KEYS: [&str; 6] = [
            "mutable",
            "required",
            "type",
            "pattern",
            "default",
            "description",
        ];
        let Some(o) = v.as_object() else {
            return Err(shape(format!("{path}/{name} must be an object")));
        };
        let is_def =
            o.is_empty() && name.contains('.') || o.keys().any(|k| KEYS.contains(&k.as_str()));
        if !is_def {
            // rOCCI 4 nests definitions like values: {"occi": {"core": {"id": {…}}}}.
            self.legacy()?;
            for (k, x) in o {
                self.attribute_def(&format!("{name}.{k}"), x, path, out)?;
            }
            return Ok(());
        }
        self.attribute_name(name, path)?;
        // GFD.225 §3 AttrDesc defaults: mutable false, required false, type "string".
        let mut spec = AttributeSpec::new(name, true, false);
        spec.attr_type = Some("string".to_owned());
        for (k, x) in o {
            let pn = Join(path, &name);
            let p = Join(&pn, k);
            match k.as_str() {
                "mutable" => {
                    spec.immutable = !x
                        .as_bool()
                        .ok_or_else(|| shape(format!("{p} must be a boolean")))?
                }
                "required" => {
                    spec.required = x
                        .as_bool()
                        .ok_or_else(|| shape(format!("{p} must be a boolean")))?
                }
                "type" => spec.attr_type = Some(self.string(x, &p)?),
                "description" => spec.description = Some(self.string(x, &p)?),
                "default" => spec.default = value_from_json(x),
                "pattern" => {
                    if x.is_string() {
                        self.lenient(Leniency::PatternString)?;
                    }
                    spec.pattern = value_from_json(x);
                }
                _ => self.unknown(&Join(path, &name), k)?,
            }
        }
        out.push(spec);
        Ok(())
    }
}
