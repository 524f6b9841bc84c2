//! The application/occi+json reader (OCCI 1.2, GFD.225, and the pre-1.2 rOCCI dialect) over
//! the positioned tree of [`super::tree`]: every shape, strict-mode and typing error and
//! every warning carries the position of the member or value it is about.

use super::tree::{self, Duplicates, Lines, Member, Node, Val, has};
use super::{CORE_ID, CORE_SOURCE, CORE_SUMMARY, CORE_TARGET, CORE_TITLE};
use crate::error::at;
use crate::message::{AttributeSpec, CategoryRendering, Composition, LinkRendering, Message};
use crate::options::lenient;
use crate::typing::{Positions, type_message};
use crate::validate::{Violation, validate_message};
use crate::{Error, ErrorKind, Leniency, Mode, Warning};
use crate::{Parsed, Parser};
use occi_model::fedcloud_core::Position;
use occi_model::{AttributeName, AttributeValue, CategoryClass, CategoryRef};
use std::borrow::Cow;
use std::fmt;

impl Parser<'_> {
    /// Parses application/occi+json: the OCCI 1.2 rendering (GFD.225) in every mode, and in
    /// lenient mode also the pre-1.2 rOCCI dialect (nested attribute objects,
    /// [`Leniency::LegacyJson`]) and the members real servers add.
    ///
    /// The body is read into a tree that borrows its strings from `body`: memory is bounded
    /// by [`Limits::max_body_bytes`](crate::Limits::max_body_bytes) (checked before parsing)
    /// times a small constant, nesting by [`Limits::max_depth`](crate::Limits::max_depth)
    /// (checked while reading). Every error and warning carries the position of the member
    /// or value it is about; shape errors also name the member by its JSON pointer. A member
    /// name given twice in one object is an error in strict modes (RFC 8259 §4: names SHOULD
    /// be unique) and in lenient mode the last one wins ([`Leniency::DuplicateAttribute`]).
    /// Members keep their document order. For large collections, see
    /// [`JsonCollectionReader`](crate::JsonCollectionReader).
    ///
    /// ```
    /// use occi_render_http::{ErrorKind, Mode, Parser};
    /// let body = "{\n  \"kind\": \"http://schemas.ogf.org/occi/infrastructure#compute\",\n  \"id\": 7\n}";
    /// let err = Parser::new(Mode::Strict12).parse_json(body).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::JsonShape(_)));
    /// assert_eq!((err.position().line, err.position().column), (3, 9));
    /// ```
    ///
    /// # Errors
    /// Malformed JSON, a wrong shape, a limit, a strict-mode violation, a type mismatch.
    pub fn parse_json(&self, body: &str) -> Result<Parsed, Error> {
        self.check_body_size(body.len())?;
        let lines = Lines::new(body, Position::START);
        let (read, warnings, findings) = self.read_json(body, &lines, 0, Document::Any)?;
        let mut message = read.message;
        if read.collection {
            message.entities = read.entities.into_iter().map(|(e, _)| e).collect();
        }
        Ok(Parsed {
            message,
            warnings,
            findings,
        })
    }

    /// Reads one JSON text into a message (and, for a collection, its entities), types it
    /// through the model and validates it there.
    pub(crate) fn read_json<'b>(
        &self,
        src: &'b str,
        lines: &Lines<'b>,
        outer: usize,
        expect: Document,
    ) -> Result<(Read, Vec<Warning>, Vec<Violation>), Error> {
        let dups = if self.mode.is_lenient() {
            Duplicates::LastWins
        } else {
            Duplicates::Refuse
        };
        let tree = tree::parse(src, outer, self.limits.max_depth, dups, lines)?;
        let mut r = JsonReader {
            mode: self.mode,
            warnings: Vec::new(),
            max_attributes: self.limits.max_attributes,
            legacy_reported: false,
            lines,
            valid_ids: Vec::new(),
        };
        for offset in tree.duplicates {
            r.lenient(Leniency::DuplicateAttribute, offset)?;
        }
        let mut read = match expect {
            Document::Any => r.document(&tree.root)?,
            Document::Entity => {
                let Some(o) = tree.root.as_object() else {
                    return Err(r.shape(tree.root.at, "an entity must be an object"));
                };
                let (m, p) = r.entity(o, &"")?;
                Read::single(m, p)
            }
            Document::Invocation => {
                let Some(o) = tree.root.as_object() else {
                    return Err(r.shape(tree.root.at, "/action must be an object"));
                };
                r.legacy(tree.root.at)?;
                let (m, p) = r.action_invocation(o, &"/action")?;
                Read::single(m, p)
            }
            Document::Category(class) => {
                let c = r.listed_category(&tree.root, class, &"")?;
                let mut m = Message::new();
                m.categories.push(c);
                Read::single(m, Positions::default())
            }
        };
        let mut warnings = r.warnings;
        let mut findings = Vec::new();
        if let Some(model) = self.model {
            // Attribute positions are offsets until something needs their line and column.
            let resolve = |p: Position| {
                if p.line == 0 {
                    lines.position(p.offset)
                } else {
                    p
                }
            };
            let mut typed = |m: &mut Message, p: &Positions| {
                type_message(model, self.mode, m, p, &mut warnings)
                    .map_err(|e| e.map_positions(resolve))
            };
            typed(&mut read.message, &read.positions)?;
            for (e, p) in &mut read.entities {
                typed(e, p)?;
            }
            for w in &mut warnings {
                w.position = resolve(w.position);
            }
            let members = std::iter::once((&read.message, &read.positions))
                .chain(read.entities.iter().map(|(m, p)| (m, p)));
            for (m, p) in members.filter(|_| self.validate) {
                validate_message(model, self.mode, self.unknown, m, p, &mut findings)
                    .map_err(|e| e.map_positions(resolve))?;
            }
            for f in &mut findings {
                f.position = resolve(f.position);
            }
        }
        Ok((read, warnings, findings))
    }
}

/// What a JSON text is expected to be.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Document {
    /// Whatever its members say (an entity, an invocation, a collection, a location list).
    Any,
    /// A resource or link entity (a member of `resources` or `links`).
    Entity,
    /// A member of `kinds`, `mixins` or `actions`.
    Category(CategoryClass),
    /// The `action` member of an rOCCI 4 collection.
    Invocation,
}

/// A message read from JSON, with the positions of its attribute values.
#[derive(Debug)]
pub(crate) struct Read {
    pub(crate) message: Message,
    pub(crate) positions: Positions,
    /// The members of a collection, each with its positions.
    pub(crate) entities: Vec<(Message, Positions)>,
    /// Whether the document was a collection (its entities belong in `message.entities`).
    pub(crate) collection: bool,
}

impl Read {
    const fn single(message: Message, positions: Positions) -> Self {
        Self {
            message,
            positions,
            entities: Vec::new(),
            collection: false,
        }
    }
}

/// An attribute value from JSON (`null` has none).
fn value_of(v: &Node<'_>) -> Option<AttributeValue> {
    Some(match &v.v {
        Val::Null => return None,
        Val::Bool(b) => AttributeValue::Boolean(*b),
        Val::Int(i) => AttributeValue::Integer(*i),
        Val::Float(f) => AttributeValue::Number(*f),
        Val::Str(s) => AttributeValue::String(s.to_string()),
        Val::Array(items) => AttributeValue::Array(items.iter().filter_map(value_of).collect()),
        Val::Object(members) => AttributeValue::Object(
            members
                .iter()
                .filter_map(|m| Some((m.key.to_string(), value_of(&m.value)?)))
                .collect(),
        ),
    })
}

/// A JSON pointer built only when an error needs it.
struct Join<'a>(&'a dyn fmt::Display, &'a dyn fmt::Display);

impl fmt::Display for Join<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.0, self.1)
    }
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

/// The position of the byte at `offset`, with line and column left for later (line 0):
/// attribute positions are only needed when typing reports an error or a warning.
const fn unresolved(offset: usize) -> Position {
    Position::new(offset, 0, 0)
}

/// Attribute values being collected, each with the position of its value.
#[derive(Default)]
struct Attrs {
    values: Vec<(String, AttributeValue)>,
    at: Vec<Position>,
}

struct JsonReader<'l, 'b> {
    mode: Mode,
    warnings: Vec<Warning>,
    max_attributes: usize,
    legacy_reported: bool,
    lines: &'l Lines<'b>,
    /// Type identifiers of the input already found valid (at most [`VALID_ID_CACHE`]).
    valid_ids: Vec<&'b str>,
}

/// How many valid type identifiers a reader remembers.
const VALID_ID_CACHE: usize = 32;

impl<'b> JsonReader<'_, 'b> {
    fn pos(&self, offset: usize) -> Position {
        self.lines.position(offset)
    }

    fn shape(&self, offset: usize, what: impl Into<String>) -> Error {
        at(ErrorKind::JsonShape(what.into()), self.pos(offset))
    }

    fn lenient(&mut self, l: Leniency, offset: usize) -> Result<(), Error> {
        let p = self.pos(offset);
        lenient(self.mode, &mut self.warnings, l, p)
    }

    fn legacy(&mut self, offset: usize) -> Result<(), Error> {
        if self.legacy_reported {
            return Ok(());
        }
        self.legacy_reported = true;
        self.lenient(Leniency::LegacyJson, offset)
    }

    fn unknown(&mut self, path: &dyn fmt::Display, m: &Member<'b>) -> Result<(), Error> {
        self.lenient(Leniency::UnknownJsonMember, m.key_at)
            .map_err(|e| {
                at(
                    ErrorKind::JsonShape(format!("unknown member {path}/{}", m.key)),
                    e.position(),
                )
            })
    }

    fn too_many(&self, offset: usize) -> Error {
        at(
            ErrorKind::TooManyAttributes {
                limit: self.max_attributes,
            },
            self.pos(offset),
        )
    }

    fn type_id(&mut self, v: &Node<'b>, path: &dyn fmt::Display) -> Result<String, Error> {
        let Some(s) = v.as_str() else {
            return Err(self.shape(v.at, format!("{path} must be a string")));
        };
        // A document names the same few kinds, mixins and actions again and again.
        if self.valid_ids.contains(&s) {
            return Ok(s.to_owned());
        }
        if CategoryRef::parse(s, self.mode.version()).is_err() {
            if self.mode.is_lenient() && crate::text::loose_type_id(s) {
                self.lenient(Leniency::IdentifierGrammar, v.at)?;
            } else {
                return Err(self.shape(v.at, format!("{path}: {s:?} is not a type identifier")));
            }
        } else if self.valid_ids.len() < VALID_ID_CACHE
            && let Val::Str(Cow::Borrowed(input)) = v.v
        {
            self.valid_ids.push(input);
        }
        Ok(s.to_owned())
    }

    fn type_ids(&mut self, v: &Node<'b>, path: &dyn fmt::Display) -> Result<Vec<String>, Error> {
        let Some(items) = v.as_array() else {
            return Err(self.shape(v.at, format!("{path} must be an array")));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, x)| self.type_id(x, &Join(path, &i)))
            .collect()
    }

    fn document(&mut self, v: &Node<'b>) -> Result<Read, Error> {
        match &v.v {
            Val::Array(items) => {
                let mut m = Message::new();
                for (i, x) in items.iter().enumerate() {
                    m.locations.push(self.location(x, i)?);
                }
                Ok(Read::single(m, Positions::default()))
            }
            Val::Object(o) => {
                if has(o, "kind") {
                    let (m, p) = self.entity(o, &"")?;
                    return Ok(Read::single(m, p));
                }
                // An invocation names its action by type identifier; the rOCCI 4 collection
                // carries an invocation object under the same name.
                if o.iter().any(|m| m.key == "action" && m.value.is_string()) {
                    let (m, p) = self.action_invocation(o, &"")?;
                    return Ok(Read::single(m, p));
                }
                if has(o, "term") && has(o, "scheme") {
                    return self.bare_category(v, o);
                }
                let mut read = Read::single(Message::new(), Positions::default());
                read.collection = true;
                for member in o {
                    let path = Join(&"", &member.key);
                    let x = &member.value;
                    match &*member.key {
                        "kinds" | "mixins" | "actions" => {
                            let class = collection_class(&member.key);
                            let Some(items) = x.as_array() else {
                                return Err(self.shape(x.at, format!("{path} must be an array")));
                            };
                            for (i, c) in items.iter().enumerate() {
                                let cat = self.listed_category(c, class, &Join(&path, &i))?;
                                read.message.categories.push(cat);
                            }
                        }
                        "resources" | "links" => read.entities.extend(self.entities(x, &path)?),
                        "action" => {
                            // The rOCCI 4 collection carries one action invocation.
                            self.legacy(member.key_at)?;
                            let Some(ao) = x.as_object() else {
                                return Err(self.shape(x.at, format!("{path} must be an object")));
                            };
                            read.entities.push(self.action_invocation(ao, &path)?);
                        }
                        _ => self.unknown(&"", member)?,
                    }
                }
                Ok(read)
            }
            _ => Err(self.shape(v.at, "the document must be an object or an array")),
        }
    }

    /// A kind, mixin or action rendering on its own, outside the collection GFD.225 §3.4
    /// puts it in (a mixin POSTed to the query interface as `{"term", "scheme",
    /// "location"}`): its class is inferred from its members (`parent`: a kind; `depends`,
    /// `applies` or `location`: a mixin; none of them: an action).
    fn bare_category(&mut self, v: &Node<'b>, o: &[Member<'b>]) -> Result<Read, Error> {
        let class = if has(o, "parent") {
            CategoryClass::Kind
        } else if has(o, "depends") || has(o, "applies") || has(o, "location") {
            CategoryClass::Mixin
        } else {
            CategoryClass::Action
        };
        self.lenient(Leniency::BareCategory, v.at).map_err(|e| {
            at_error(
                &e,
                "a category rendering outside a kinds, mixins or actions collection".into(),
            )
        })?;
        let c = self.category(v, class, &"")?;
        let mut m = Message::new();
        m.categories.push(c);
        Ok(Read::single(m, Positions::default()))
    }

    /// An array of entity objects (a collection's `resources` or `links`, a resource's
    /// `links`).
    fn entities(
        &mut self,
        x: &Node<'b>,
        path: &dyn fmt::Display,
    ) -> Result<Vec<(Message, Positions)>, Error> {
        let Some(items) = x.as_array() else {
            return Err(self.shape(x.at, format!("{path} must be an array")));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, e) in items.iter().enumerate() {
            let p = Join(path, &i);
            let Some(eo) = e.as_object() else {
                return Err(self.shape(e.at, format!("{p} must be an object")));
            };
            out.push(self.entity(eo, &p)?);
        }
        Ok(out)
    }

    /// The `i`th member of a location array.
    pub(crate) fn location(&self, x: &Node<'b>, i: usize) -> Result<String, Error> {
        x.as_str()
            .map(str::to_owned)
            .ok_or_else(|| self.shape(x.at, format!("/{i} must be a location string")))
    }

    /// A member of `kinds`, `mixins` or `actions`: a type identifier or a category object.
    fn listed_category(
        &mut self,
        c: &Node<'b>,
        class: CategoryClass,
        path: &dyn fmt::Display,
    ) -> Result<CategoryRendering, Error> {
        if c.is_string() {
            let id = self.type_id(c, path)?;
            let (scheme, term) = split_type_id(&id);
            Ok(CategoryRendering::new(term, scheme, class))
        } else {
            self.category(c, class, path)
        }
    }

    fn action_invocation(
        &mut self,
        o: &[Member<'b>],
        path: &dyn fmt::Display,
    ) -> Result<(Message, Positions), Error> {
        let mut m = Message::new();
        let mut attrs = Attrs::default();
        let mut categories = Vec::new();
        for member in o {
            let x = &member.value;
            match &*member.key {
                "action" => {
                    let id = self.type_id(x, &Join(path, &"action"))?;
                    let (scheme, term) = split_type_id(&id);
                    m.categories
                        .push(CategoryRendering::new(term, scheme, CategoryClass::Action));
                    categories.push(unresolved(x.at));
                }
                "attributes" => {
                    self.attribute_values(x, &Join(path, &"attributes"), &mut attrs)?;
                }
                _ => self.unknown(path, member)?,
            }
        }
        m.attributes = attrs.values;
        let start = unresolved(o.first().map_or(0, |f| f.key_at));
        Ok((
            m,
            Positions {
                start,
                categories,
                attributes: attrs.at,
                ..Positions::default()
            },
        ))
    }

    /// An `attributes` object of an entity: flat dotted names (1.2) or the nested pre-1.2
    /// dialect.
    fn attribute_values(
        &mut self,
        v: &Node<'b>,
        path: &dyn fmt::Display,
        out: &mut Attrs,
    ) -> Result<(), Error> {
        let Some(o) = v.as_object() else {
            return Err(self.shape(v.at, format!("{path} must be an object")));
        };
        out.values.reserve(o.len().min(self.max_attributes));
        out.at.reserve(o.len().min(self.max_attributes));
        for member in o {
            let x = &member.value;
            if !member.key.contains('.') && x.is_object() {
                self.legacy(member.key_at)?;
                self.flatten(&member.key, x, out)?;
            } else {
                self.push_value(&member.key, member.key_at, x, out, path)?;
            }
        }
        Ok(())
    }

    fn flatten(&mut self, prefix: &str, v: &Node<'b>, out: &mut Attrs) -> Result<(), Error> {
        match &v.v {
            Val::Object(o) => {
                for member in o {
                    let name = format!("{prefix}.{}", member.key);
                    match &member.value.v {
                        Val::Object(_) => self.flatten(&name, &member.value, out)?,
                        _ => self.push_value(&name, member.key_at, &member.value, out, &"")?,
                    }
                }
                Ok(())
            }
            _ => self.push_value(prefix, v.at, v, out, &""),
        }
    }

    fn push_value(
        &mut self,
        name: &str,
        name_at: usize,
        v: &Node<'b>,
        out: &mut Attrs,
        path: &dyn fmt::Display,
    ) -> Result<(), Error> {
        self.attribute_name(name, name_at, path)?;
        if let Some(value) = value_of(v) {
            if out.values.len() >= self.max_attributes {
                return Err(self.too_many(name_at));
            }
            out.values.push((name.to_owned(), value));
            out.at.push(unresolved(v.at));
        }
        Ok(())
    }

    fn attribute_name(
        &mut self,
        name: &str,
        name_at: usize,
        path: &dyn fmt::Display,
    ) -> Result<(), Error> {
        if !crate::text::fast_attribute_name(name, self.mode.version())
            && AttributeName::parse(name, self.mode.version()).is_err()
        {
            if self.mode.is_lenient() && !name.is_empty() && !name.contains(char::is_whitespace) {
                self.lenient(Leniency::IdentifierGrammar, name_at)?;
            } else {
                return Err(self.shape(name_at, format!("{path}/{name}: not an attribute name")));
            }
        }
        Ok(())
    }

    /// A link's `source` or `target`: the location (with the offset of its value) and kind.
    fn kinded(&mut self, v: &Node<'b>, path: &dyn fmt::Display) -> Result<Kinded, Error> {
        match &v.v {
            Val::Str(s) => {
                self.legacy(v.at)?;
                Ok((Some((s.to_string(), v.at)), None))
            }
            Val::Object(o) => {
                let mut loc = None;
                let mut kind = None;
                for member in o {
                    let x = &member.value;
                    match &*member.key {
                        // Our renderer writes "" where the location is unknown.
                        "location" => {
                            loc = x
                                .as_str()
                                .filter(|l| !l.is_empty())
                                .map(|l| (l.to_owned(), x.at));
                        }
                        "kind" => kind = Some(self.type_id(x, &Join(path, &"kind"))?),
                        _ => self.unknown(path, member)?,
                    }
                }
                Ok((loc, kind))
            }
            _ => Err(self.shape(v.at, format!("{path} must be an object"))),
        }
    }

    fn entity(
        &mut self,
        o: &[Member<'b>],
        path: &dyn fmt::Display,
    ) -> Result<(Message, Positions), Error> {
        let mut m = Message::new();
        let mut attrs = Attrs::default();
        let mut id = None;
        let mut title = None;
        let mut summary = None;
        let mut source = None;
        let mut target: Option<Kinded> = None;
        let mut links = Vec::new();
        let mut actions = Vec::new();
        let mut mixins = Vec::new();
        let mut kind_at = None;
        let mut links_at = None;
        let mut mixins_at = Vec::new();
        for member in o {
            let p = Join(path, &member.key);
            let x = &member.value;
            match &*member.key {
                "kind" => {
                    let id = self.type_id(x, &p)?;
                    let (scheme, term) = split_type_id(&id);
                    kind_at = Some(x.at);
                    m.categories
                        .insert(0, CategoryRendering::new(term, scheme, CategoryClass::Kind));
                }
                "mixins" => {
                    mixins = self.type_ids(x, &p)?;
                    mixins_at = x
                        .as_array()
                        .map(|items| items.iter().map(|i| unresolved(i.at)).collect())
                        .unwrap_or_default();
                }
                "attributes" => self.attribute_values(x, &p, &mut attrs)?,
                "actions" => actions = self.type_ids(x, &p)?,
                "id" => id = Some((self.string(x, &p)?, x.at)),
                "title" => title = Some((self.string(x, &p)?, x.at)),
                "summary" => summary = Some((self.string(x, &p)?, x.at)),
                "source" => source = Some(self.kinded(x, &p)?),
                "target" => target = Some(self.kinded(x, &p)?),
                "links" => {
                    links = self.entities(x, &p)?;
                    links_at = Some(member.key_at);
                }
                "rel" => {
                    // rOCCI 4 links name their target's kind here.
                    self.legacy(member.key_at)?;
                    let kind = self.type_id(x, &p)?;
                    target = Some((target.and_then(|t| t.0), Some(kind)));
                }
                _ => self.unknown(path, member)?,
            }
        }
        for mx in mixins {
            let (scheme, term) = split_type_id(&mx);
            m.categories
                .push(CategoryRendering::new(term, scheme, CategoryClass::Mixin));
        }
        let Some(kind_at) = kind_at else {
            let start = o.first().map_or(0, |f| f.key_at);
            return Err(self.shape(start, format!("{path}/kind is required")));
        };
        m.attributes = attrs.values;
        let mut at = attrs.at;
        for (name, v) in [(CORE_ID, id), (CORE_TITLE, title), (CORE_SUMMARY, summary)] {
            self.merge(&mut m, &mut at, name, v, path)?;
        }
        if m.attribute(CORE_ID).is_none() {
            self.lenient(Leniency::MissingId, kind_at)
                .map_err(|e| at_error(&e, format!("{path}/id is required")))?;
        }
        let mut target_kind = None;
        if let Some((loc, _kind)) = source {
            self.merge(&mut m, &mut at, CORE_SOURCE, loc, path)?;
        }
        if let Some((loc, kind)) = target {
            self.merge(&mut m, &mut at, CORE_TARGET, loc, path)?;
            target_kind = kind;
        }
        if let Some(links_at) = links_at
            && m.entity_composition() == Composition::Link
        {
            // GFD.225 §3.2: a link rendering has no links (a link is no resource).
            self.lenient(Leniency::LinksOnLink, links_at)
                .map_err(|e| at_error(&e, format!("{path}/links: a link has no links")))?;
            links.clear();
        }
        let mut link_at = Vec::with_capacity(links.len() + actions.len());
        let mut link_starts = Vec::with_capacity(links.len() + actions.len());
        for (l, lp) in links {
            link_starts.push(lp.start);
            let (inline, p) = to_inline(l, lp);
            m.links.push(inline);
            link_at.push(p);
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
            link_at.push(Vec::new());
            link_starts.push(unresolved(kind_at));
        }
        self.merge(
            &mut m,
            &mut at,
            "occi.core.target.kind",
            target_kind.map(|k| (k, kind_at)),
            path,
        )?;
        let start = unresolved(kind_at);
        Ok((
            m,
            Positions {
                start,
                categories: std::iter::once(start).chain(mixins_at).collect(),
                attributes: at,
                links: link_at,
                link_starts,
            },
        ))
    }

    fn string(&self, v: &Node<'b>, path: &dyn fmt::Display) -> Result<String, Error> {
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| self.shape(v.at, format!("{path} must be a string")))
    }

    /// Puts a top-level member (`id`, `title`, …) into the attributes, where the text
    /// rendering has it; a conflicting `attributes` entry is an error.
    fn merge(
        &self,
        m: &mut Message,
        at: &mut Vec<Position>,
        name: &str,
        v: Option<(String, usize)>,
        path: &dyn fmt::Display,
    ) -> Result<(), Error> {
        let Some((v, offset)) = v else { return Ok(()) };
        match m.attribute(name) {
            Some(existing) if existing.as_str() == Some(v.as_str()) => Ok(()),
            Some(_) => Err(self.shape(
                offset,
                format!("{path}: the member and attributes/{name} differ"),
            )),
            None => {
                m.attributes
                    .push((name.to_owned(), AttributeValue::String(v)));
                at.push(unresolved(offset));
                Ok(())
            }
        }
    }

    fn category(
        &mut self,
        v: &Node<'b>,
        class: CategoryClass,
        path: &dyn fmt::Display,
    ) -> Result<CategoryRendering, Error> {
        let Some(o) = v.as_object() else {
            return Err(self.shape(
                v.at,
                format!("{path} must be an object or a type identifier"),
            ));
        };
        let mut c = CategoryRendering {
            class: Some(class),
            ..CategoryRendering::default()
        };
        let (mut term_at, mut scheme_at) = (v.at, v.at);
        for member in o {
            let p = Join(path, &member.key);
            let x = &member.value;
            match &*member.key {
                "term" => {
                    c.term = self.string(x, &p)?;
                    term_at = x.at;
                }
                "scheme" => {
                    c.scheme = self.string(x, &p)?;
                    scheme_at = x.at;
                }
                "title" => c.title = Some(self.string(x, &p)?),
                "location" if class != CategoryClass::Action => {
                    c.location = Some(self.string(x, &p)?);
                }
                "parent" if class == CategoryClass::Kind && x.as_str() == Some("") => {
                    // erocci and MartServer write "" for a kind without parent.
                    self.lenient(Leniency::EmptyParent, x.at)
                        .map_err(|e| at_error(&e, format!("{p}: \"\" is not a type identifier")))?;
                }
                "parent" if class == CategoryClass::Kind => {
                    let id = self.type_id(x, &p)?;
                    if !c.rel.contains(&id) {
                        c.rel.insert(0, id);
                    }
                }
                "related" => {
                    self.legacy(member.key_at)?;
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
                _ => self.unknown(path, member)?,
            }
        }
        if c.term.is_empty() || c.scheme.is_empty() {
            return Err(self.shape(v.at, format!("{path}: term and scheme are required")));
        }
        if c.scheme.parse::<occi_model::Scheme>().is_err() {
            // As for type identifiers, lenient mode keeps what it cannot check.
            self.lenient(Leniency::IdentifierGrammar, scheme_at)
                .map_err(|e| {
                    at_error(&e, format!("{path}/scheme: {:?} is not a scheme", c.scheme))
                })?;
        }
        if !crate::text::splittable_scheme(&c.scheme) {
            // rOCCI 4 and jOCCI publish `…/network/action#up` as the scheme of `down`.
            self.lenient(Leniency::IdentifierGrammar, scheme_at)
                .map_err(|e| {
                    at_error(
                        &e,
                        format!("{path}/scheme: {:?} does not end in its only '#'", c.scheme),
                    )
                })?;
        }
        if occi_model::Term::parse(&c.term, self.mode.version()).is_err() {
            if self.mode.is_lenient() {
                self.lenient(Leniency::IdentifierGrammar, term_at)?;
            } else {
                return Err(self.shape(term_at, format!("{path}/term: {:?} is not a term", c.term)));
            }
        }
        Ok(c)
    }

    fn attribute_defs(
        &mut self,
        v: &Node<'b>,
        path: &dyn fmt::Display,
    ) -> Result<Vec<AttributeSpec>, Error> {
        let Some(o) = v.as_object() else {
            return Err(self.shape(v.at, format!("{path} must be an object")));
        };
        let mut out = Vec::new();
        for member in o {
            self.attribute_def(&member.key, member.key_at, &member.value, path, &mut out)?;
        }
        Ok(out)
    }

    fn attribute_def(
        &mut self,
        name: &str,
        name_at: usize,
        v: &Node<'b>,
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
            return Err(self.shape(v.at, format!("{path}/{name} must be an object")));
        };
        let is_def =
            o.is_empty() && name.contains('.') || o.iter().any(|m| KEYS.contains(&&*m.key));
        if !is_def {
            // rOCCI 4 nests definitions like values: {"occi": {"core": {"id": {…}}}}.
            self.legacy(name_at)?;
            for member in o {
                self.attribute_def(
                    &format!("{name}.{}", member.key),
                    member.key_at,
                    &member.value,
                    path,
                    out,
                )?;
            }
            return Ok(());
        }
        self.attribute_name(name, name_at, path)?;
        // GFD.225 §3 AttrDesc defaults: mutable false, required false, type "string".
        let mut spec = AttributeSpec::new(name, true, false);
        spec.attr_type = Some("string".to_owned());
        for member in o {
            let pn = Join(path, &name);
            let p = Join(&pn, &member.key);
            let x = &member.value;
            match &*member.key {
                "mutable" => {
                    spec.immutable = !x
                        .as_bool()
                        .ok_or_else(|| self.shape(x.at, format!("{p} must be a boolean")))?;
                }
                "required" => {
                    spec.required = x
                        .as_bool()
                        .ok_or_else(|| self.shape(x.at, format!("{p} must be a boolean")))?;
                }
                "type" => spec.attr_type = Some(self.string(x, &p)?),
                "description" => spec.description = Some(self.string(x, &p)?),
                "default" => spec.default = value_of(x),
                "pattern" => {
                    if x.is_string() {
                        self.lenient(Leniency::PatternString, x.at)?;
                    }
                    spec.pattern = value_of(x);
                }
                _ => self.unknown(&Join(path, &name), member)?,
            }
        }
        out.push(spec);
        Ok(())
    }
}

/// A link's `source` or `target`: its location with the offset of its value, its kind.
type Kinded = (Option<(String, usize)>, Option<String>);

/// The class of the categories listed under `kinds`, `mixins` or `actions`.
pub(crate) fn collection_class(key: &str) -> CategoryClass {
    match key {
        "kinds" => CategoryClass::Kind,
        "mixins" => CategoryClass::Mixin,
        _ => CategoryClass::Action,
    }
}

/// A shape error with `what` at the position of `e` (a strict-mode refusal).
fn at_error(e: &Error, what: String) -> Error {
    at(ErrorKind::JsonShape(what), e.position())
}

/// A link entity read from JSON as an inline link of a resource, with the positions of the
/// attributes it keeps.
fn to_inline(l: Message, mut pos: Positions) -> (LinkRendering, Vec<Position>) {
    let categories = l
        .categories
        .iter()
        .map(CategoryRendering::type_id)
        .collect();
    let mut attrs = l.attributes;
    let mut rel = Vec::new();
    if let Some(i) = attrs.iter().position(|(n, _)| n == "occi.core.target.kind") {
        if i < pos.attributes.len() {
            pos.attributes.remove(i);
        }
        if let (_, AttributeValue::String(k)) = attrs.remove(i) {
            rel.push(k);
        }
    }
    let target = attrs
        .iter()
        .find(|(n, _)| n == CORE_TARGET)
        .map(|(_, v)| v.to_string())
        .unwrap_or_default();
    (
        LinkRendering {
            target,
            rel,
            self_location: None,
            categories,
            attributes: attrs,
        },
        pos.attributes,
    )
}
