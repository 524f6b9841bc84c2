//! The OCCI HTTP protocol (GFD.223 for 1.2, the protocol half of GFD.185 for 1.1) on the
//! `http` crate's types: content negotiation, versioning, the query interface, entity and
//! collection operations, filters, paging, and a router that maps an `http::Request` to an
//! `http::Response` for any [`Backend`] — mountable in any HTTP framework.

use crate::message::{AttributeSpec, CategoryRendering, Composition, Message};
use crate::{Error, ErrorKind};
use crate::{HeaderBudget, HeaderRendering, render_headers, render_plain, render_uri_list};
use crate::{MediaType, Mode, Parsed, Parser, render_json};
use ::http::header::{ACCEPT, CONTENT_TYPE, LOCATION, SERVER, USER_AGENT};
use ::http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use occi_model::fedcloud_core::Position;
use occi_model::{
    AttributeDefinition, AttributeName, AttributeType, AttributeValue, Category, CategoryClass,
    CategoryId, Model, OcciVersion, Pattern,
};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// The product token a server sends in `Server` and a client in `User-Agent` (GFD.223 §3.8).
pub const PRODUCT_TOKEN: &str = "OCCI/1.2";

/// The path of the query interface (GFD.223 §3.3: MUST).
pub const QUERY_INTERFACE: &str = "/-/";

/// The well-known alias of the query interface (GFD.223 §3.3: MAY; RFC 5785).
pub const WELL_KNOWN_QUERY_INTERFACE: &str = "/.well-known/org/ogf/occi/-/";

/// An HTTP-level failure: the status code GFD.223 §3.7 prescribes and a message for the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    /// The status code.
    pub status: StatusCode,
    /// A human-readable reason.
    pub message: String,
}

impl HttpError {
    /// An error with `status` and `message`.
    #[must_use]
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    /// 404 Not Found.
    #[must_use]
    pub fn not_found(what: impl fmt::Display) -> Self {
        Self::new(StatusCode::NOT_FOUND, format!("{what} not found"))
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status, self.message)
    }
}

impl std::error::Error for HttpError {}

/// A parse error of a request: 413 for a [`Limits`](crate::Limits) bound (GFD.223 §5.4: the
/// request is larger than the server is willing to process), 400 for anything else.
impl From<crate::Error> for HttpError {
    fn from(e: crate::Error) -> Self {
        use crate::ErrorKind as K;
        let status = match e.kind() {
            K::LineTooLong { .. }
            | K::TooManyLines { .. }
            | K::TooManyAttributes { .. }
            | K::BodyTooLarge { .. }
            | K::TooDeep { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::BAD_REQUEST,
        };
        Self::new(status, e.to_string())
    }
}

// ---- negotiation and versioning ----------------------------------------------------------

/// The media type of a request body from `Content-Type` (none: text/plain, GFD.223 §3.1).
///
/// # Errors
/// 400 for a media type OCCI does not define.
pub fn request_media_type(headers: &HeaderMap) -> Result<MediaType, HttpError> {
    match headers.get(CONTENT_TYPE).map(HeaderValue::to_str) {
        None => Ok(MediaType::TextPlain),
        Some(Ok(ct)) => ct.parse().map_err(|_| {
            HttpError::new(
                StatusCode::BAD_REQUEST,
                format!("unsupported Content-Type {ct}"),
            )
        }),
        Some(Err(_)) => Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            "unreadable Content-Type",
        )),
    }
}

/// The response media type for `Accept` (GFD.223 §3.1): the acceptable type with the highest
/// quality among text/plain, text/occi, application/occi+json and (only for `listing`s of
/// locations) text/uri-list; none, `*/*` or `text/*` give text/plain.
///
/// Each type gets the quality of the most specific range that matches it (RFC 7231 §5.3.2),
/// so `text/plain;q=0, */*` excludes text/plain and answers text/occi; ties go to text/plain,
/// then text/occi, application/occi+json, text/uri-list.
///
/// ```
/// use http::{HeaderMap, HeaderValue, header::ACCEPT};
/// use occi_render_http::{MediaType, protocol::negotiate};
/// let mut h = HeaderMap::new();
/// h.insert(ACCEPT, HeaderValue::from_static("text/occi;q=0.5, application/occi+json"));
/// assert_eq!(negotiate(&h, false), Ok(MediaType::Json));
/// h.insert(ACCEPT, HeaderValue::from_static("text/plain;q=0, */*"));
/// assert_eq!(negotiate(&h, false), Ok(MediaType::TextOcci));
/// h.insert(ACCEPT, HeaderValue::from_static("text/uri-list"));
/// assert_eq!(negotiate(&h, true), Ok(MediaType::UriList));
/// // GFD.185 §3.6.6: text/uri-list outside a listing is a Bad Request.
/// assert_eq!(negotiate(&h, false).unwrap_err().status, http::StatusCode::BAD_REQUEST);
/// h.insert(ACCEPT, HeaderValue::from_static("image/png"));
/// assert_eq!(negotiate(&h, false).unwrap_err().status, http::StatusCode::NOT_ACCEPTABLE);
/// ```
///
/// # Errors
/// 400 when text/uri-list is the only acceptable type of a request that is not a listing
/// (GFD.185 §3.6.6: MUST); 406 when nothing acceptable can be rendered.
pub fn negotiate(headers: &HeaderMap, listing: bool) -> Result<MediaType, HttpError> {
    // (media range, quality in thousandths)
    let mut ranges: Vec<(String, u16)> = Vec::new();
    for value in headers.get_all(ACCEPT) {
        let Ok(value) = value.to_str() else { continue };
        for range in value.split(',') {
            let mut parts = range.split(';');
            let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            if essence.is_empty() {
                continue;
            }
            let mut q = 1000u16;
            for p in parts {
                if let Some(v) = p.trim().strip_prefix("q=") {
                    q = v.trim().parse::<f32>().map_or(0, |f| {
                        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                        let q = (f.clamp(0.0, 1.0) * 1000.0) as u16;
                        q
                    });
                }
            }
            ranges.push((essence, q));
        }
    }
    if ranges.is_empty() {
        return Ok(MediaType::TextPlain);
    }
    let mut best: Option<(u16, MediaType)> = None;
    for (media, names) in CANDIDATES {
        if media == MediaType::UriList && !listing {
            continue;
        }
        if let Some(q) = quality(&ranges, names)
            && q > 0
            && best.is_none_or(|(bq, _)| q > bq)
        {
            best = Some((q, media));
        }
    }
    match best {
        Some((_, m)) => Ok(m),
        None if quality(&ranges, &["text/uri-list"]).is_some_and(|q| q > 0) => Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            "text/uri-list is only for listings of a collection",
        )),
        None => Err(HttpError::new(
            StatusCode::NOT_ACCEPTABLE,
            "no acceptable OCCI rendering",
        )),
    }
}

/// The renderings in the order ties are broken, with the media types naming each.
const CANDIDATES: [(MediaType, &[&str]); 4] = [
    (MediaType::TextPlain, &["text/plain", "text/occi+plain"]),
    (MediaType::TextOcci, &["text/occi"]),
    (
        MediaType::Json,
        &["application/occi+json", "application/json"],
    ),
    (MediaType::UriList, &["text/uri-list"]),
];

/// The quality `ranges` give a rendering called `names` (all of one top-level type): that of
/// the most specific matching range (exact, then `type/*`, then `*/*`), the highest if a
/// range is repeated; `None` when no range matches.
fn quality(ranges: &[(String, u16)], names: &[&str]) -> Option<u16> {
    let major = names.first()?.split('/').next()?;
    let mut best: Option<(u8, u16)> = None;
    for (range, q) in ranges {
        let specificity = if names.contains(&range.as_str()) {
            2
        } else if range.strip_suffix("/*") == Some(major) {
            1
        } else if range == "*/*" {
            0
        } else {
            continue;
        };
        best = match best {
            Some((s, bq)) if s > specificity || (s == specificity && bq >= *q) => Some((s, bq)),
            _ => Some((specificity, *q)),
        };
    }
    best.map(|(_, q)| q)
}

/// The OCCI version a client announces in `User-Agent` (`OCCI/1.1`; `OCCI/2` is 2.0), if any.
#[must_use]
pub fn client_version(headers: &HeaderMap) -> Option<(u32, u32)> {
    let ua = headers.get(USER_AGENT)?.to_str().ok()?;
    ua.split_ascii_whitespace().find_map(|token| {
        let v = token.strip_prefix("OCCI/")?;
        // `OCCI/2` names version 2.0: a missing minor version is 0.
        let (major, minor) = v.split_once('.').unwrap_or((v, "0"));
        Some((major.parse().ok()?, minor.parse().ok()?))
    })
}

/// Refuses a client that speaks a newer OCCI than 1.2 (GFD.223 §3.8: 501).
///
/// # Errors
/// 501 Not Implemented.
pub fn check_version(headers: &HeaderMap) -> Result<(), HttpError> {
    match client_version(headers) {
        Some(v) if v > (1, 2) => Err(HttpError::new(
            StatusCode::NOT_IMPLEMENTED,
            format!(
                "OCCI/{}.{} is not supported; this server speaks {PRODUCT_TOKEN}",
                v.0, v.1
            ),
        )),
        _ => Ok(()),
    }
}

// ---- bodies ----------------------------------------------------------------------------------

/// Reads the OCCI content of a request or response: from the header fields for text/occi,
/// from the body otherwise. A request without `Content-Type` and without a body (the usual
/// GET) also has its OCCI header fields read, because GFD.185 §3.4.1 has clients send
/// filters in the text/occi rendering.
///
/// Header values are decoded as UTF-8 (what [`write_message`] writes), not only visible
/// ASCII, so a non-ASCII title survives the round trip.
///
/// # Errors
/// 400 with the positioned parse error, or for a header value that is not UTF-8.
pub fn read_message(
    parser: &Parser<'_>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Parsed, HttpError> {
    let media = request_media_type(headers)?;
    let blank = body.iter().all(u8::is_ascii_whitespace);
    let in_fields = media == MediaType::TextOcci || (blank && !headers.contains_key(CONTENT_TYPE));
    if in_fields {
        let mut fields: Vec<(&str, &str)> = Vec::new();
        for (n, v) in headers {
            if crate::text::header_of(n.as_str()).is_none() {
                continue;
            }
            let v = std::str::from_utf8(v.as_bytes()).map_err(|_| {
                HttpError::new(
                    StatusCode::BAD_REQUEST,
                    format!("the {n} header field is not UTF-8"),
                )
            })?;
            fields.push((n.as_str(), v));
        }
        if media == MediaType::TextOcci || !fields.is_empty() {
            return Ok(parser.parse_headers(canonical_names(&fields))?);
        }
    }
    if blank {
        return Ok(Parsed::default());
    }
    Ok(parser.parse(media, body)?)
}

/// `http` lower-cases header names; give the parser the canonical spelling so that strict
/// mode does not count the transport's normalisation as a leniency.
fn canonical_names<'a>(
    fields: &'a [(&'a str, &'a str)],
) -> impl Iterator<Item = (&'a str, &'a str)> {
    fields.iter().map(|&(n, v)| {
        let canon = match n {
            "category" => "Category",
            "link" => "Link",
            "x-occi-attribute" => "X-OCCI-Attribute",
            "x-occi-location" => "X-OCCI-Location",
            other => other,
        };
        (canon, v)
    })
}

/// Writes `message` into a response (or request) in `media`: text/occi as header fields
/// with the body `OK` (falling back to a text/plain body when the fields exceed `budget`),
/// the others as the body, with `Content-Type`.
///
/// # Errors
/// 406 when the content cannot be carried by `media` (`Unrepresentable`, such as a control
/// character in a text quoted-string: GFD.185 §3.6.6, a type that would give an incomplete
/// or faulty rendering MUST be answered 406); 400 for text/uri-list of anything but
/// locations (GFD.185 §3.6.6); 500 for any other rendering failure.
pub fn write_message(
    headers: &mut HeaderMap,
    media: MediaType,
    message: &Message,
    model: Option<&Model>,
    budget: &HeaderBudget,
) -> Result<Vec<u8>, HttpError> {
    let unrenderable = |e| unrenderable(media, e);
    let (content_type, body) = match media {
        MediaType::TextOcci => match render_headers(message, budget).map_err(unrenderable)? {
            HeaderRendering::Headers(fields) => {
                for (n, v) in fields {
                    let v = HeaderValue::from_str(&v).map_err(|_| {
                        HttpError::new(
                            StatusCode::NOT_ACCEPTABLE,
                            format!("text/occi: {n} cannot be a header field value"),
                        )
                    })?;
                    headers.append(n, v);
                }
                ("text/occi", b"OK\n".to_vec())
            }
            HeaderRendering::Body { body, .. } => ("text/plain", body.into_bytes()),
        },
        MediaType::TextPlain => (
            "text/plain",
            render_plain(message).map_err(unrenderable)?.into_bytes(),
        ),
        MediaType::Json => (
            "application/occi+json",
            render_json(message, model)
                .map_err(unrenderable)?
                .into_bytes(),
        ),
        MediaType::UriList => {
            if !matches!(
                message.composition(),
                Composition::Locations | Composition::Empty
            ) {
                return Err(HttpError::new(
                    StatusCode::BAD_REQUEST,
                    "text/uri-list carries only collections of locations",
                ));
            }
            (
                "text/uri-list",
                render_uri_list(&message.locations)
                    .map_err(unrenderable)?
                    .into_bytes(),
            )
        }
    };
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    Ok(body)
}

// ---- the model as categories -----------------------------------------------------------------

/// A registered category as the query interface renders it.
#[must_use]
pub fn category_rendering(category: Category<'_>) -> CategoryRendering {
    let id = category.id();
    let mut c = CategoryRendering::new(id.term(), id.scheme(), category.class());
    c.title = category.title().map(str::to_owned);
    c.attributes = category
        .attributes()
        .iter()
        .map(|a| {
            let mut s = AttributeSpec::new(a.name.as_str(), !a.mutable, a.required);
            s.attr_type = Some(a.attr_type.json_type().to_owned());
            s.default = a.default.clone();
            s.description = a.description.clone();
            s
        })
        .collect();
    match category {
        Category::Kind(k) => {
            c.rel = k.parent.iter().map(ToString::to_string).collect();
            c.location = k.location.clone();
            c.actions = k.actions.iter().map(ToString::to_string).collect();
        }
        Category::Mixin(m) => {
            c.rel = m.depends.iter().map(ToString::to_string).collect();
            c.applies = m.applies.iter().map(ToString::to_string).collect();
            c.location = m.location.clone();
            c.actions = m.actions.iter().map(ToString::to_string).collect();
        }
        _ => {}
    }
    c
}

/// The registry a server's query-interface rendering describes (GFD.223 §3.3: its kinds,
/// mixins and actions) — the inverse of [`query_interface`], for clients and tools that
/// validate against what a server offers rather than the built-in registry.
///
/// The registry starts from OCCI Core (`entity`, `resource`, `link`), which a listing may
/// omit or repeat; every other category of `listing` is registered as it is declared,
/// actions first, parents before children and dependencies before dependants, whatever
/// their order (a category listed twice counts once).
/// A kind named in a mixin's `rel` is taken as an `applies` (rOCCI's text renderings list them
/// there; a mixin depends on mixins only). Attribute declarations keep what the rendering
/// carries: JSON gives types, defaults and
/// patterns (a JSON Schema `{"pattern": …}` object or a string); text gives none (GFD.229
/// §4.3), so an `occi.` attribute takes the definition of OCCI Infrastructure `version`,
/// and any other attribute is typed [`AttributeType::Any`].
///
/// ```
/// use occi_render_http::occi_model::OcciVersion;
/// use occi_render_http::protocol::{model_from_query_interface, query_interface};
/// use occi_render_http::{Message, occi_model::Model};
/// let server = Model::infrastructure(OcciVersion::V1_2).with_crtp();
/// let listing = query_interface(&server, &Message::new());
/// let model = model_from_query_interface(&listing, OcciVersion::V1_2)?;
/// assert_eq!(model.len(), server.len());
/// # Ok::<(), occi_render_http::Error>(())
/// ```
///
/// # Errors
/// `InvalidModel` (at the start of the input) for a category without class, a parent,
/// dependency or action that is not in the listing, an unknown JSON type, a pattern that
/// is no regular expression, or a declaration `occi-model` refuses.
pub fn model_from_query_interface(listing: &Message, version: OcciVersion) -> Result<Model, Error> {
    let invalid = |what: String| Error::new(ErrorKind::InvalidModel(what), Position::START);
    let documents = Model::infrastructure(version);
    let mut model = Model::core(version).allow_reserved_namespace(true);
    let listed: HashMap<String, &CategoryRendering> = listing
        .categories
        .iter()
        .map(|c| (c.type_id(), c))
        .filter(|(id, _)| model.category(id).is_none())
        .collect();
    // Actions first (kinds and mixins name them), then every kind and mixin after what it
    // names: a depth-first walk with an explicit stack, so a long chain costs no recursion.
    let mut order: Vec<&CategoryRendering> = Vec::with_capacity(listed.len());
    let mut seen: HashSet<String> = HashSet::new();
    for c in &listing.categories {
        if c.class == Some(CategoryClass::Action) && seen.insert(c.type_id()) {
            order.push(c);
        }
    }
    for c in &listing.categories {
        let mut stack = vec![(c, false)];
        while let Some((c, named_done)) = stack.pop() {
            let id = c.type_id();
            if named_done {
                order.push(c);
                continue;
            }
            if !listed.contains_key(&id) || !seen.insert(id) {
                continue;
            }
            stack.push((c, true));
            for named in c.rel.iter().chain(&c.applies) {
                if let Some(d) = listed.get(named.as_str()) {
                    stack.push((d, false));
                }
            }
        }
    }
    for c in order {
        register(&mut model, &documents, c).map_err(invalid)?;
    }
    Ok(model.allow_reserved_namespace(false))
}

/// Registers one category of a listing; the error says why it cannot be.
fn register(model: &mut Model, documents: &Model, c: &CategoryRendering) -> Result<(), String> {
    let invalid = |e: occi_model::Error| e.to_string();
    let id: CategoryId = c.type_id().parse().map_err(invalid)?;
    let ids = |list: &[String]| {
        list.iter()
            .map(|s| s.parse::<CategoryId>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(invalid)
    };
    let documented = documents.category(id.as_str());
    let attributes = c
        .attributes
        .iter()
        .map(|a| definition(documents, documented, a))
        .collect::<Result<Vec<_>, _>>()?;
    let actions = ids(&c.actions)?;
    let result = match c.class {
        Some(CategoryClass::Kind) => {
            let mut k = occi_model::Kind::new(id);
            k.title.clone_from(&c.title);
            k.location.clone_from(&c.location);
            k.parent = ids(&c.rel)?.into_iter().next();
            k.attributes = attributes;
            k.actions = actions;
            model.register_kind(k)
        }
        Some(CategoryClass::Mixin) => {
            let mut m = occi_model::Mixin::new(id);
            m.title.clone_from(&c.title);
            m.location.clone_from(&c.location);
            // rOCCI's text renderings put the kinds a mixin applies to in `rel` with its
            // dependencies; a mixin depends on mixins only, so a kind there is an applies.
            for r in ids(&c.rel)? {
                if model.kind(r.as_str()).is_some() {
                    m.applies.push(r);
                } else {
                    m.depends.push(r);
                }
            }
            m.applies.extend(ids(&c.applies)?);
            m.attributes = attributes;
            m.actions = actions;
            model.register_mixin(m)
        }
        Some(CategoryClass::Action) => {
            let mut a = occi_model::Action::new(id);
            a.title.clone_from(&c.title);
            a.attributes = attributes;
            model.register_action(a)
        }
        _ => return Err(format!("{}{} has no class", c.scheme, c.term)),
    };
    result.map_err(invalid)
}

/// An attribute declaration of a listing as a definition: JSON's type, default and pattern,
/// or, where text gave no type, the OCCI documents' definition — the category's own when the
/// documents define the category (an action's `method`), else any of an `occi.` name.
fn definition(
    documents: &Model,
    category: Option<Category<'_>>,
    a: &AttributeSpec,
) -> Result<AttributeDefinition, String> {
    let invalid = |what: String| format!("attribute {}: {what}", a.name);
    let name: AttributeName = a
        .name
        .parse()
        .map_err(|e: occi_model::Error| invalid(e.to_string()))?;
    let Some(ty) = &a.attr_type else {
        let own = category.and_then(|c| c.attributes().iter().find(|d| d.name == name));
        let occi = || {
            documents
                .kinds()
                .flat_map(|k| k.attributes.iter())
                .chain(documents.mixins().flat_map(|m| m.attributes.iter()))
                .find(|d| d.name == name && name.is_reserved())
        };
        let documented = own.or_else(occi);
        let def = documented
            .cloned()
            .unwrap_or_else(|| AttributeDefinition::new(name.clone(), AttributeType::Any));
        return Ok(def.with_mutable(!a.immutable).with_required(a.required));
    };
    let attr_type = match ty.as_str() {
        "string" => AttributeType::String,
        "number" => AttributeType::Number,
        "integer" => AttributeType::Integer,
        "boolean" => AttributeType::Boolean,
        "array" => AttributeType::Array,
        "object" => AttributeType::Object,
        other => return Err(invalid(format!("unknown type {other:?}"))),
    };
    let mut def = AttributeDefinition::new(name, attr_type)
        .with_mutable(!a.immutable)
        .with_required(a.required);
    if let Some(d) = &a.default {
        def = def.with_default(d.clone());
    }
    if let Some(s) = &a.description {
        def = def.with_description(s.clone());
    }
    let regex = match &a.pattern {
        Some(AttributeValue::String(s)) => Some(s.as_str()),
        Some(AttributeValue::Object(o)) => o.get("pattern").and_then(AttributeValue::as_str),
        _ => None,
    };
    if let Some(r) = regex {
        let p: Pattern = r
            .parse()
            .map_err(|e: occi_model::Error| invalid(e.to_string()))?;
        def = def.with_pattern(p);
    }
    Ok(def)
}

/// The query interface's listing of `model`, filtered by the categories of `filter` (by
/// scheme and term; none: everything).
#[must_use]
pub fn query_interface(model: &Model, filter: &Message) -> Message {
    let mut m = Message::new();
    let wanted: Vec<String> = filter
        .categories
        .iter()
        .map(CategoryRendering::type_id)
        .collect();
    let all = model
        .kinds()
        .map(Category::Kind)
        .chain(model.mixins().map(Category::Mixin))
        .chain(model.actions().map(Category::Action));
    for c in all {
        if wanted.is_empty() || wanted.iter().any(|w| *w == c.id().as_str()) {
            m.categories.push(category_rendering(c));
        }
    }
    m
}

// ---- the backend and the router --------------------------------------------------------------

/// Paging of a collection (`?page=&number=`, GFD.223 §3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// The page, from 0.
    pub page: usize,
    /// The number of entries per page.
    pub number: usize,
}

/// What a PUT did.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Put {
    /// A new entity at this location (201 + `Location`).
    Created(String),
    /// The entity was replaced; its new state (200 + rendering).
    Replaced(Message),
}

/// The storage and logic behind an OCCI server. Paths are request paths (`/compute/1`);
/// collections are the locations of kinds and mixins in [`Backend::model`]. Every method
/// returns the [`HttpError`] to answer with (404, 405, 409, …).
pub trait Backend {
    /// The registry: kinds, mixins (including user mixins) and actions.
    fn model(&self) -> &Model;

    /// The largest page a client may ask for (GFD.223 §3.5: more is 413).
    fn max_page_size(&self) -> usize {
        1000
    }

    /// Adds user mixins (POST on the query interface).
    ///
    /// # Errors
    /// 400 for an invalid mixin, 409 for an existing one.
    fn add_mixins(&mut self, mixins: Vec<CategoryRendering>) -> Result<(), HttpError>;

    /// Removes user mixins (DELETE on the query interface) and their associations.
    ///
    /// # Errors
    /// 404 for an unknown one, 403 for one the provider defines (GFD.185 §3.4.1: MUST),
    /// 409 for one another mixin depends on.
    fn remove_mixins(&mut self, mixins: &[String]) -> Result<(), HttpError>;

    /// The entity at `path`.
    ///
    /// # Errors
    /// 404.
    fn get(&self, path: &str) -> Result<Message, HttpError>;

    /// Creates or replaces the entity at `path` (links are kept on replace).
    ///
    /// # Errors
    /// 400, 409.
    fn put(&mut self, path: &str, entity: Message) -> Result<Put, HttpError>;

    /// Updates the entity at `path` with the attributes and mixins of `partial`; returns the
    /// new state.
    ///
    /// # Errors
    /// 404, 400.
    fn update(&mut self, path: &str, partial: Message) -> Result<Message, HttpError>;

    /// Deletes the entity at `path`.
    ///
    /// # Errors
    /// 404.
    fn delete(&mut self, path: &str) -> Result<(), HttpError>;

    /// Triggers an action on the entity at `path`, or on every member of the collection at
    /// `path`.
    ///
    /// # Errors
    /// 404, 400 (unknown action or parameters), 409 (not allowed in this state).
    fn trigger(&mut self, path: &str, invocation: Message) -> Result<(), HttpError>;

    /// The locations of the members of the collection of `category` (a kind's collection
    /// includes its sub-kinds' members) matching `filter` (its categories and attributes).
    ///
    /// # Errors
    /// 404.
    fn list(&self, category: &str, filter: &Message) -> Result<Vec<String>, HttpError>;

    /// Creates an entity in the collection of kind `category`; returns its location, which
    /// must be a valid `Location` header value (else [`handle`] deletes the entity again and
    /// answers 500).
    ///
    /// # Errors
    /// 400, 409.
    fn create(&mut self, category: &str, entity: Message) -> Result<String, HttpError>;

    /// Associates the entities at `locations` with mixin `category` (POST on a mixin
    /// collection), or with exactly them when `replace` (PUT).
    ///
    /// # Errors
    /// 404, 400.
    fn associate(
        &mut self,
        category: &str,
        locations: &[String],
        replace: bool,
    ) -> Result<(), HttpError>;

    /// Removes the entities at `locations` from mixin `category`'s collection, or deletes
    /// the members of kind `category`'s collection (all of them when `locations` is empty).
    ///
    /// # Errors
    /// 404.
    fn remove_from_collection(
        &mut self,
        category: &str,
        locations: &[String],
    ) -> Result<(), HttpError>;
}

/// Options of [`handle`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct RouterOptions {
    /// How request bodies are read (default lenient: servers accept what clients send).
    pub mode: Mode,
    /// The budget of text/occi responses.
    pub budget: HeaderBudget,
    /// The limits on request bodies.
    pub limits: crate::Limits,
}

impl RouterOptions {
    /// These options with another parsing mode.
    #[must_use]
    pub const fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// These options with another header budget.
    #[must_use]
    pub const fn with_budget(mut self, budget: HeaderBudget) -> Self {
        self.budget = budget;
        self
    }

    /// These options with other request limits.
    #[must_use]
    pub const fn with_limits(mut self, limits: crate::Limits) -> Self {
        self.limits = limits;
        self
    }
}

impl Default for RouterOptions {
    fn default() -> Self {
        Self {
            mode: Mode::Lenient,
            budget: HeaderBudget::default(),
            limits: crate::Limits::default(),
        }
    }
}

/// Answers one OCCI request with `backend`: checks the version (501), negotiates the
/// response type (406), reads the request content (400), routes by path and method (the
/// query interface, collections at kind and mixin locations, entities elsewhere; 405 for
/// other methods) and renders the answer with `Server: OCCI/1.2`.
///
/// Any body type that is `AsRef<[u8]>` works (`Vec<u8>`, `bytes::Bytes`, `String`), so the
/// function mounts in any framework that gives `http::Request`s.
pub fn handle<B: Backend, T: AsRef<[u8]>>(
    backend: &mut B,
    request: &Request<T>,
    options: &RouterOptions,
) -> Response<Vec<u8>> {
    let mut response = Response::new(Vec::new());
    response
        .headers_mut()
        .insert(SERVER, HeaderValue::from_static(PRODUCT_TOKEN));
    match route(backend, request, options, &mut response) {
        Ok(()) => response,
        Err(e) => error_response(e),
    }
}

/// The response [`handle`] gives for `error`: its status, `Server: OCCI/1.2` (GFD.223 §5.3:
/// on each response) and the message as a text/plain body. For answers a server gives
/// before it reaches [`handle`], such as a body over
/// [`Limits::max_body_bytes`](crate::Limits::max_body_bytes) refused while reading it.
#[must_use]
pub fn error_response(error: HttpError) -> Response<Vec<u8>> {
    let mut body = error.message.into_bytes();
    body.push(b'\n');
    let mut response = Response::new(body);
    *response.status_mut() = error.status;
    let headers = response.headers_mut();
    headers.insert(SERVER, HeaderValue::from_static(PRODUCT_TOKEN));
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    response
}

fn query_param<'a>(query: Option<&'a str>, name: &str) -> Option<&'a str> {
    query?
        .split('&')
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
}

/// The path of a location given as an absolute URL (`http://example.com/my_stuff/` gives
/// `/my_stuff/`) or an absolute path; `None` for anything else, or for a location with a
/// query, a fragment, white space or control characters (RFC 3986 §3.3 path-absolute).
///
/// ```
/// use occi_render_http::protocol::location_path;
/// assert_eq!(location_path("http://example.com/my_stuff/"), Some("/my_stuff/"));
/// assert_eq!(location_path("/tags/prod/"), Some("/tags/prod/"));
/// assert_eq!(location_path("tags/"), None);
/// assert_eq!(location_path("/a b/"), None);
/// ```
#[must_use]
pub fn location_path(location: &str) -> Option<&str> {
    let path = match location.split_once("://") {
        Some((scheme, rest))
            if !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) =>
        {
            rest.find('/').and_then(|i| rest.get(i..))?
        }
        Some(_) => return None,
        None => location,
    };
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && path
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'?' && b != b'#');
    ok.then_some(path)
}

fn collection_of(model: &Model, path: &str) -> Option<String> {
    model
        .kinds()
        .filter_map(|k| Some((k.location.as_deref()?, &k.id)))
        .chain(
            model
                .mixins()
                .filter_map(|m| Some((m.location.as_deref()?, &m.id))),
        )
        .find(|(loc, _)| *loc == path)
        .map(|(_, id)| id.to_string())
}

fn route<B: Backend, T: AsRef<[u8]>>(
    backend: &mut B,
    request: &Request<T>,
    options: &RouterOptions,
    response: &mut Response<Vec<u8>>,
) -> Result<(), HttpError> {
    let headers = request.headers();
    check_version(headers)?;
    let path = request.uri().path().to_owned();
    let query = request.uri().query();
    let method = request.method().clone();
    let is_query_interface = path == QUERY_INTERFACE || path == WELL_KNOWN_QUERY_INTERFACE;
    let collection = if is_query_interface {
        None
    } else {
        collection_of(backend.model(), &path)
    };
    let listing = collection.is_some() && method == Method::GET;
    let media = negotiate(headers, listing)?;
    let parser = Parser::new(options.mode).with_limits(options.limits);
    let content = {
        let model = backend.model();
        let parser = parser.with_model(model);
        read_message(&parser, headers, request.body().as_ref())?.message
    };
    let mut out = Answer::Message(Message::new());
    let mut status = StatusCode::OK;
    if is_query_interface {
        match method {
            Method::GET => out = Answer::Message(query_interface(backend.model(), &content)),
            Method::POST => {
                let mixins: Vec<CategoryRendering> = content
                    .categories
                    .into_iter()
                    .filter(|c| c.class == Some(CategoryClass::Mixin))
                    .collect();
                if mixins.is_empty() {
                    return Err(HttpError::new(StatusCode::BAD_REQUEST, "no mixin to add"));
                }
                backend.add_mixins(mixins)?;
            }
            Method::DELETE => {
                let ids: Vec<String> = content
                    .categories
                    .iter()
                    .map(CategoryRendering::type_id)
                    .collect();
                if ids.is_empty() {
                    return Err(HttpError::new(
                        StatusCode::BAD_REQUEST,
                        "no mixin to remove",
                    ));
                }
                backend.remove_mixins(&ids)?;
            }
            _ => {
                return Err(HttpError::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "GET, POST or DELETE",
                ));
            }
        }
    } else if let Some(category) = collection {
        let is_mixin = backend.model().mixin(&category).is_some();
        match method {
            Method::GET => {
                let all = backend.list(&category, &content)?;
                let page = match (query_param(query, "page"), query_param(query, "number")) {
                    (None, None) => None,
                    (p, n) => {
                        let bad = || {
                            HttpError::new(StatusCode::BAD_REQUEST, "page and number are numbers")
                        };
                        let page = p.map_or(Ok(0), |p| p.parse().map_err(|_| bad()))?;
                        let number = n.map_or(Ok(backend.max_page_size()), |n| {
                            n.parse().map_err(|_| bad())
                        })?;
                        // A page of no entries would be empty forever.
                        if number == 0 {
                            return Err(HttpError::new(
                                StatusCode::BAD_REQUEST,
                                "number must be at least 1",
                            ));
                        }
                        Some(Page { page, number })
                    }
                };
                let locations = match page {
                    None => all,
                    Some(p) => {
                        if p.number > backend.max_page_size() {
                            return Err(HttpError::new(
                                StatusCode::PAYLOAD_TOO_LARGE,
                                format!("at most {} entries per page", backend.max_page_size()),
                            ));
                        }
                        all.into_iter()
                            .skip(p.page.saturating_mul(p.number))
                            .take(p.number)
                            .collect()
                    }
                };
                out = Answer::Collection(category, locations);
            }
            // GFD.223 §11.3.3: the answer to an action on a collection, and to an association
            // (§11.3.2, §11.2), is an entity collection rendering: the collection afterwards.
            Method::POST if query_param(query, "action").is_some() => {
                check_action(&content, query)?;
                backend.trigger(&path, content)?;
                out =
                    Answer::Collection(category.clone(), backend.list(&category, &Message::new())?);
            }
            Method::POST | Method::PUT if is_mixin => {
                backend.associate(&category, &content.locations, method == Method::PUT)?;
                out =
                    Answer::Collection(category.clone(), backend.list(&category, &Message::new())?);
            }
            Method::POST => {
                let location = backend.create(&category, content)?;
                status = StatusCode::CREATED;
                insert_location(backend, response, &location)?;
                out = Answer::Created(location);
            }
            Method::DELETE => backend.remove_from_collection(&category, &content.locations)?,
            _ => {
                return Err(HttpError::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "not allowed on a collection",
                ));
            }
        }
    } else {
        match method {
            Method::GET => out = Answer::Message(backend.get(&path)?),
            Method::PUT => match backend.put(&path, content)? {
                Put::Created(location) => {
                    status = StatusCode::CREATED;
                    insert_location(backend, response, &location)?;
                    out = Answer::Created(location);
                }
                Put::Replaced(m) => out = Answer::Message(m),
            },
            // GFD.223 §10.3.2: the answer to an action on an entity is its rendering afterwards.
            Method::POST if query_param(query, "action").is_some() => {
                check_action(&content, query)?;
                backend.trigger(&path, content)?;
                out = Answer::Message(backend.get(&path)?);
            }
            Method::POST => out = Answer::Message(backend.update(&path, content)?),
            Method::DELETE => backend.delete(&path)?,
            _ => {
                return Err(HttpError::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "not allowed on an entity",
                ));
            }
        }
    }
    *response.status_mut() = status;
    let body = answer(backend, response.headers_mut(), media, out, options)?;
    *response.body_mut() = body;
    Ok(())
}

/// The answer to content that `media` cannot render: 406 when the rendering cannot carry it
/// (GFD.185 §3.6.6), else 500.
fn unrenderable(media: MediaType, e: crate::Error) -> HttpError {
    let status = if matches!(e.kind(), crate::ErrorKind::Unrepresentable(_)) {
        StatusCode::NOT_ACCEPTABLE
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    };
    HttpError::new(status, format!("{media}: {e}"))
}

/// What a request is answered with, before rendering.
enum Answer {
    /// A message (an entity, the query interface, nothing).
    Message(Message),
    /// The collection of a kind or mixin (its type identifier) with these members.
    Collection(String, Vec<String>),
    /// A new entity at this location (201).
    Created(String),
}

/// Renders `out` in `media`. Collections are entity collection renderings: locations in the
/// text renderings (GFD.229 §3.3), the entities themselves in JSON (GFD.225 §3.3:
/// `{"resources": […]}` / `{"links": […]}`), where an entity has no location to list. The
/// body of a 201 is the new location in text, the new entity in JSON.
fn answer<B: Backend>(
    backend: &B,
    headers: &mut HeaderMap,
    media: MediaType,
    out: Answer,
    options: &RouterOptions,
) -> Result<Vec<u8>, HttpError> {
    let model = backend.model();
    let message = match (out, media) {
        (Answer::Message(m), _) => m,
        (Answer::Collection(category, locations), MediaType::Json) => {
            let entities = locations
                .iter()
                .map(|l| backend.get(l))
                .collect::<Result<Vec<_>, _>>()?;
            let links = model.is_kind_of(&category, LINK_KIND);
            let body = crate::render_json_collection(&entities, links)
                .map_err(|e| unrenderable(media, e))?;
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static(MediaType::Json.as_str()),
            );
            return Ok(body.into_bytes());
        }
        (Answer::Created(location), MediaType::Json) => backend.get(&location)?,
        (Answer::Collection(_, locations), _) => {
            let mut m = Message::new();
            m.locations = locations;
            m
        }
        (Answer::Created(location), _) => {
            let mut m = Message::new();
            m.locations.push(location);
            m
        }
    };
    write_message(headers, media, &message, Some(model), &options.budget)
}

/// The type identifier of the OCCI Core link kind.
const LINK_KIND: &str = "http://schemas.ogf.org/occi/core#link";

/// Sets `Location` to a new entity's location; when the backend gave one that cannot be a
/// header value, the entity is deleted again before the 500, as GFD.185 §3.6.8 asks a server
/// to roll back partial changes on an internal error.
fn insert_location<B: Backend>(
    backend: &mut B,
    response: &mut Response<Vec<u8>>,
    location: &str,
) -> Result<(), HttpError> {
    match HeaderValue::from_str(location) {
        Ok(v) => {
            response.headers_mut().insert(LOCATION, v);
            Ok(())
        }
        Err(_) => {
            // The delete is best effort: the 500 is the answer either way.
            let _ = backend.delete(location);
            Err(HttpError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the backend gave {location:?} as a location, which is no header value"),
            ))
        }
    }
}

/// The body of `?action=term` must be an invocation of an action with that term.
fn check_action(content: &Message, query: Option<&str>) -> Result<(), HttpError> {
    let term = query_param(query, "action").unwrap_or_default();
    match content.composition() {
        Composition::ActionInvocation
            if content.categories.first().is_some_and(|c| c.term == term) =>
        {
            Ok(())
        }
        _ => Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            format!("?action={term} needs an invocation of that action in the body"),
        )),
    }
}

mod memory;
pub use memory::MemoryBackend;

#[cfg(test)]
mod tests {
    use super::{model_from_query_interface, query_interface};
    use crate::{ErrorKind, Message, Mode, Parser, render_json, render_plain};
    use occi_model::{AttributeType, Model, OcciVersion};

    fn server() -> Model {
        Model::infrastructure(OcciVersion::V1_2)
            .with_crtp()
            .with_egi_extensions()
    }

    fn definition(m: &Model, kind_or_mixin: &str, name: &str) -> AttributeType {
        m.category(kind_or_mixin)
            .and_then(|c| c.attributes().iter().find(|a| a.name == *name).cloned())
            .map(|a| a.attr_type)
            .unwrap()
    }

    /// A server's listing, in text and in JSON, gives back its registry: every category, and
    /// the types each rendering can carry.
    #[test]
    fn listings_give_back_the_registry() {
        let server = server();
        let listing = query_interface(&server, &Message::new());
        let p = Parser::new(Mode::Lenient);
        let from_text = p
            .parse_plain(&render_plain(&listing).unwrap())
            .unwrap()
            .message;
        let from_json = p
            .parse_json(&render_json(&listing, None).unwrap())
            .unwrap()
            .message;
        let user_data = "http://schemas.openstack.org/compute/instance#user_data";
        for (m, provider) in [
            (
                model_from_query_interface(&from_text, OcciVersion::V1_2).unwrap(),
                AttributeType::Any,
            ),
            (
                model_from_query_interface(&from_json, OcciVersion::V1_2).unwrap(),
                AttributeType::String,
            ),
        ] {
            assert_eq!(m.len(), server.len());
            for k in server.kinds() {
                assert_eq!(m.kind(k.id.as_str()).map(|x| &x.parent), Some(&k.parent));
            }
            for x in server.mixins() {
                let got = m.mixin(x.id.as_str()).unwrap();
                assert_eq!((&got.depends, &got.location), (&x.depends, &x.location));
            }
            // occi. names are the documents', typed in both renderings.
            let cores = definition(&m, occi_model::ids::COMPUTE, "occi.compute.cores");
            assert_eq!(cores, AttributeType::Integer);
            // A provider's attribute: only JSON says what it is.
            assert_eq!(
                definition(&m, user_data, "org.openstack.compute.user_data"),
                provider
            );
            m.verify().unwrap();
        }
        // JSON carries applies; text does not.
        let ssh = occi_model::ids::SSH_KEY;
        let json_model = model_from_query_interface(&from_json, OcciVersion::V1_2).unwrap();
        assert_eq!(
            json_model.mixin(ssh).unwrap().applies,
            server.mixin(ssh).unwrap().applies
        );
    }

    /// Listings in any order; rOCCI's text puts the kinds a mixin applies to in `rel`;
    /// what cannot form a registry is an error naming the category.
    #[test]
    fn listing_order_and_mistakes() {
        let p = Parser::new(Mode::Lenient);
        let text = "Category: os; scheme=\"http://example.org/os#\"; class=\"mixin\"; rel=\"http://example.org/tpl#base http://schemas.ogf.org/occi/infrastructure#compute\"; location=\"/os/\"\n\
                    Category: base; scheme=\"http://example.org/tpl#\"; class=\"mixin\"; location=\"/base/\"\n\
                    Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"; rel=\"http://schemas.ogf.org/occi/core#resource\"; location=\"/compute/\"; actions=\"http://schemas.ogf.org/occi/infrastructure/compute/action#start\"\n\
                    Category: start; scheme=\"http://schemas.ogf.org/occi/infrastructure/compute/action#\"; class=\"action\"\n";
        let m =
            model_from_query_interface(&p.parse_plain(text).unwrap().message, OcciVersion::V1_2)
                .unwrap();
        let os = m.mixin("http://example.org/os#os").unwrap();
        assert_eq!(os.depends.len(), 1);
        assert_eq!(os.applies[0].as_str(), occi_model::ids::COMPUTE);
        for (bad, says) in [
            (
                "Category: a; scheme=\"http://example.org/x#\"; class=\"mixin\"; rel=\"http://example.org/x#b\"\nCategory: b; scheme=\"http://example.org/x#\"; class=\"mixin\"; rel=\"http://example.org/x#a\"\n",
                "unknown mixin",
            ),
            (
                "Category: k; scheme=\"http://example.org/x#\"; class=\"kind\"; location=\"/k/\"\n",
                "parent",
            ),
            (
                "Category: k; scheme=\"http://example.org/x#\"; class=\"kind\"; rel=\"http://example.org/x#nowhere\"\n",
                "unknown kind",
            ),
        ] {
            let e =
                model_from_query_interface(&p.parse_plain(bad).unwrap().message, OcciVersion::V1_2)
                    .unwrap_err();
            assert!(
                matches!(e.kind(), ErrorKind::InvalidModel(w) if w.contains(says)),
                "{e}"
            );
        }
        let json = r#"{"mixins":[{"term":"t","scheme":"http://a.org/b#","location":"/t/","attributes":{"a.b":{"type":"date"}}}]}"#;
        let e = model_from_query_interface(&p.parse_json(json).unwrap().message, OcciVersion::V1_2)
            .unwrap_err();
        assert!(e.to_string().contains("unknown type \"date\""), "{e}");
        let json = r#"{"mixins":[{"term":"t","scheme":"http://a.org/b#","location":"/t/","attributes":{"a.b":{"type":"string","pattern":{"type":"string","pattern":"^[a-z]+$"}}}}]}"#;
        let m = model_from_query_interface(&p.parse_json(json).unwrap().message, OcciVersion::V1_2)
            .unwrap();
        let def = m.mixin("http://a.org/b#t").unwrap().attributes[0].clone();
        assert!(def.check(&"abc".into()).is_ok() && def.check(&"ABC".into()).is_err());
        // A chain of many mixins listed backwards registers without recursion.
        let mut long = String::new();
        for i in (0..3000).rev() {
            let rel = if i == 0 {
                String::new()
            } else {
                format!("; rel=\"http://example.org/c#m{}\"", i - 1)
            };
            long.push_str(&format!(
                "Category: m{i}; scheme=\"http://example.org/c#\"; class=\"mixin\"{rel}\n"
            ));
        }
        let m =
            model_from_query_interface(&p.parse_plain(&long).unwrap().message, OcciVersion::V1_2)
                .unwrap();
        assert_eq!(m.mixins().len(), 3000);
    }
}
