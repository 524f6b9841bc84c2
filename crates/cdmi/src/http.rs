//! CDMI over HTTP on the `http` crate's types: what a request asks for, and the responses a
//! server builds (1.1.1 clauses 5.13 and 8–13, 2.0.0 "Data object", "Container object", …,
//! and their "using HTTP" twins).
//!
//! An [`Endpoint`] is one CDMI root: a 1.x root, where every CDMI request carries
//! `X-CDMI-Specification-Version` and the server answers with the highest common version, or
//! a 2.x root (`/cdmi/2.0.0/`), where the header is not sent and the root names the version.
//! [`Endpoint::head`] reads a request's method, path, query and headers into a [`Head`]: the
//! [`Address`] (a path, an object ID, the ID collection), the [`Operation`], the negotiated
//! version, the field selection, `X-CDMI-Partial` and the `Range` of a plain-HTTP read.
//! [`Head::read_body`] then reads a CDMI body as the object type of its `Content-Type`.
//!
//! Which requests are CDMI requests and which are plain HTTP ("non-CDMI") ones:
//!
//! | Method | CDMI when | otherwise |
//! |---|---|---|
//! | GET | `Accept` names a CDMI type; on a 1.x root also when the version header is sent | the value's bytes, `Range` honoured |
//! | PUT | `Content-Type` is a CDMI type | the body is the value, its type the `mimetype`; a body-less PUT of `…/` creates a container |
//! | PATCH | always (2.x update; on a 1.x root refused with 405 in strict mode) | — |
//! | POST | `Content-Type` is a CDMI type (create in a container, create by ID, enqueue) | a data object named by the server |
//! | DELETE | on a 1.x root when the version header is sent | the same deletion |
//!
//! ```
//! use cdmi::http::{Address, Endpoint, Operation};
//! use cdmi::{ObjectType, Version};
//! let endpoint = Endpoint::v1("/", &[Version::V1_0_2, Version::V1_1_1]);
//! let req = http::Request::get("/MyContainer/MyDataObject.txt?value:0-10;metadata:cdmi_")
//!     .header("Accept", "application/cdmi-object")
//!     .header("X-CDMI-Specification-Version", "1.0.2, 1.1")
//!     .body(())
//!     .unwrap();
//! let head = endpoint.head(&req.into_parts().0)?;
//! assert_eq!(head.operation, Operation::Read);
//! assert_eq!(head.version.map(|v| v.to_string()).as_deref(), Some("1.1"));
//! let Address::Path(p) = &head.address else { unreachable!() };
//! assert_eq!(p.segments, ["MyContainer", "MyDataObject.txt"]);
//! assert!(!p.container);
//! assert_eq!(head.selection.unwrap().selectors.len(), 2);
//! # Ok::<(), cdmi::Error>(())
//! ```

use crate::media::parse_media_type;
use crate::object::{Id, Limits, Mode, Object, Parsed};
use crate::objectid::inspect;
use crate::query::{Dialect, Selection};
use crate::version::{VERSION_HEADER, negotiate};
use crate::{Error, ErrorKind, ObjectId, ObjectType, Version};
use ::http::{HeaderMap, HeaderValue, Method, Response, StatusCode, header};
use fedcloud_core::Position;
use std::fmt;

/// `X-CDMI-Partial`: `true` on a create or update says more updates follow, and the object's
/// `completionStatus` stays `Processing` until one without it.
pub const PARTIAL_HEADER: &str = "X-CDMI-Partial";

/// The path segment of access by ID (`<root>/cdmi_objectid/<ID>`).
pub const OBJECT_ID_SEGMENT: &str = "cdmi_objectid";

/// The editions a root speaks.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Edition {
    /// 1.x: these versions, negotiated with `X-CDMI-Specification-Version`.
    V1(Vec<Version>),
    /// 2.x: this version, named by the root URI; no version header.
    V2(Version),
}

/// One CDMI root of a server, and how strictly its requests are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    root: String,
    edition: Edition,
    mode: Mode,
    limits: Limits,
}

impl Endpoint {
    /// A 1.x root at `root` (a path; a missing trailing `/` is added) speaking `versions`.
    #[must_use]
    pub fn v1(root: &str, versions: &[Version]) -> Self {
        Self::new(root, Edition::V1(versions.to_vec()))
    }

    /// A 2.x root at the conventional `/cdmi/<version>/`.
    #[must_use]
    pub fn v2(version: Version) -> Self {
        Self::new(&version.root(), Edition::V2(version))
    }

    /// A root at `root` speaking `edition`, in strict mode with the default limits.
    #[must_use]
    pub fn new(root: &str, edition: Edition) -> Self {
        let mut root = root.to_owned();
        if !root.starts_with('/') {
            root.insert(0, '/');
        }
        if !root.ends_with('/') {
            root.push('/');
        }
        Self {
            root,
            edition,
            mode: Mode::Strict,
            limits: Limits::default(),
        }
    }

    /// This endpoint reading requests in `mode`: lenient mode also reads the 1.x query syntax
    /// on a 2.x root and the other way round, ignores a version header sent to a 2.x root,
    /// reads PATCH on a 1.x root, and reads bodies leniently.
    #[must_use]
    pub fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// This endpoint with other body limits.
    #[must_use]
    pub const fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The root path, with its trailing `/`.
    #[must_use]
    pub fn root(&self) -> &str {
        &self.root
    }

    /// The edition.
    #[must_use]
    pub const fn edition(&self) -> &Edition {
        &self.edition
    }

    /// The mode.
    #[must_use]
    pub const fn mode(&self) -> Mode {
        self.mode
    }

    /// The body limits.
    #[must_use]
    pub const fn limits(&self) -> Limits {
        self.limits
    }

    /// The query syntax of this root.
    #[must_use]
    pub const fn dialect(&self) -> Dialect {
        match self.edition {
            Edition::V1(_) => Dialect::V1,
            Edition::V2(_) => Dialect::V2,
        }
    }

    /// The URI of `address` below this root, percent-encoded.
    #[must_use]
    pub fn uri(&self, address: &Address) -> String {
        format!("{}{address}", self.root)
    }

    /// Reads the head of a request (method, URI, headers).
    ///
    /// # Errors
    /// `Http` with the [`HttpProblem`] (each maps to its status by [`status_of`]); `QuerySyntax`,
    /// `RangeSyntax`, `TooManySelectors` for the query; `VersionSyntax`, `NoCommonVersion` for
    /// the version header; `MediaType` for a legacy CDMI type in strict mode.
    pub fn head(&self, parts: &::http::request::Parts) -> Result<Head, Error> {
        let lenient = self.mode == Mode::Lenient;
        let path = parts.uri.path();
        let address = self.address(path)?;
        let headers = &parts.headers;
        let content = match text_header(headers, header::CONTENT_TYPE)? {
            None => None,
            Some(t) => Some(content_of(t, lenient)?),
        };
        let accept = accept_of(text_header(headers, header::ACCEPT)?, lenient);
        let version_header = text_header(headers, VERSION_HEADER)?;
        let version = match (&self.edition, version_header) {
            (Edition::V1(supported), Some(v)) => Some(negotiate(v, supported)?),
            (Edition::V1(_), None) => None,
            (Edition::V2(_), Some(_)) if !lenient => {
                return Err(http_error(HttpProblem::VersionHeaderOn2x));
            }
            (Edition::V2(v), _) => Some(*v),
        };
        let v1_header = matches!(self.edition, Edition::V1(_)) && version_header.is_some();
        let cdmi_content = matches!(content, Some(Content::Cdmi(_)));
        let method = parts.method.clone();
        let operation = match method {
            Method::GET | Method::HEAD if !accept.types.is_empty() || v1_header => Operation::Read,
            Method::GET | Method::HEAD => Operation::ReadValue,
            Method::PUT => match &content {
                Some(Content::Cdmi(t)) => Operation::Put(*t),
                None if address.is_container() && body_absent(headers) => Operation::PutContainer,
                _ => Operation::PutValue,
            },
            Method::PATCH => match (&self.edition, &content) {
                (Edition::V1(_), _) if !lenient => {
                    return Err(http_error(HttpProblem::Method(method.to_string())));
                }
                (_, Some(Content::Cdmi(t))) => Operation::Patch(*t),
                _ => return Err(http_error(HttpProblem::ContentType)),
            },
            Method::POST => match &content {
                Some(Content::Cdmi(t)) => Operation::Post(*t),
                _ => Operation::PostValue,
            },
            Method::DELETE => Operation::Delete {
                cdmi: v1_header || matches!(self.edition, Edition::V2(_)),
            },
            _ => return Err(http_error(HttpProblem::Method(method.to_string()))),
        };
        // 1.x: a CDMI request without the version header is refused (1.1.1 §5.13.2).
        let cdmi = operation.is_cdmi() || cdmi_content;
        if cdmi && version.is_none() {
            return Err(http_error(HttpProblem::MissingVersion));
        }
        let selection = match parts.uri.query() {
            Some(q) if !q.is_empty() => Some(Selection::parse(q, self.dialect(), lenient)?),
            _ => None,
        };
        let partial = match text_header(headers, PARTIAL_HEADER)? {
            None => false,
            Some(v) if v.trim().eq_ignore_ascii_case("true") => true,
            Some(v) if v.trim().eq_ignore_ascii_case("false") => false,
            Some(_) => return Err(http_error(HttpProblem::Partial)),
        };
        let range = match (operation, text_header(headers, header::RANGE)?) {
            (Operation::ReadValue, Some(r)) => Some(ByteRanges::parse(r)?),
            _ => None,
        };
        Ok(Head {
            method,
            address,
            operation,
            content,
            accept,
            version,
            selection,
            partial,
            range,
            mode: self.mode,
            limits: self.limits,
        })
    }

    /// The address of a request path.
    ///
    /// # Errors
    /// `Http` with `OutsideRoot` or `Path`.
    pub fn address(&self, path: &str) -> Result<Address, Error> {
        let rest = match path.strip_prefix(self.root.as_str()) {
            Some(r) => r,
            // The root without its slash is the root container.
            None if path == self.root.trim_end_matches('/') => "",
            None => return Err(http_error(HttpProblem::OutsideRoot)),
        };
        let container = rest.is_empty() || rest.ends_with('/');
        let trimmed = rest.strip_suffix('/').unwrap_or(rest);
        let mut raw = if trimmed.is_empty() {
            Vec::new()
        } else {
            trimmed.split('/').collect()
        };
        if raw.first() == Some(&OBJECT_ID_SEGMENT) {
            let Some(&text) = raw.get(1) else {
                return Ok(Address::ObjectIds);
            };
            let id = self.object_id(text)?;
            raw.drain(..2);
            return Ok(Address::Id {
                id,
                below: Path::from_raw(&raw, container)?,
            });
        }
        Ok(Address::Path(Path::from_raw(&raw, container)?))
    }

    fn object_id(&self, text: &str) -> Result<Id, Error> {
        let bad = |_| http_error(HttpProblem::Path("the object ID is no base16 ID".into()));
        match text.parse::<ObjectId>() {
            Ok(id) => Ok(Id::Valid(id)),
            Err(e) if self.mode == Mode::Strict => Err(bad(e)),
            Err(e) => {
                let i = inspect(text);
                if i.problems.iter().all(|p| p.tolerated()) && !i.problems.is_empty() {
                    Ok(Id::Tolerated {
                        text: text.to_owned(),
                        problems: i.problems,
                    })
                } else {
                    Err(bad(e))
                }
            }
        }
    }
}

/// Whether the headers say there is no body (no `Content-Length`, or 0, and no
/// `Transfer-Encoding`).
fn body_absent(h: &HeaderMap) -> bool {
    !h.contains_key(header::TRANSFER_ENCODING)
        && h.get(header::CONTENT_LENGTH)
            .is_none_or(|v| v.to_str().is_ok_and(|s| s.trim() == "0"))
}

/// The header's value, which must be visible ASCII (RFC 9110 §5.5).
fn text_header(h: &HeaderMap, name: impl header::AsHeaderName) -> Result<Option<&str>, Error> {
    match h.get(name) {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .map(Some)
            .map_err(|_| http_error(HttpProblem::HeaderNotText)),
    }
}

fn content_of(t: &str, lenient: bool) -> Result<Content, Error> {
    let essence = t.split(';').next().unwrap_or_default().trim();
    if essence.is_empty() {
        return Err(http_error(HttpProblem::ContentType));
    }
    match parse_media_type(t, lenient) {
        Ok((ot, _)) => Ok(Content::Cdmi(ot)),
        // A draft-era CDMI type is a CDMI type in the wrong spelling, not plain data.
        Err(e) if parse_media_type(t, true).is_ok() => Err(e),
        Err(_) => Ok(Content::Other(t.trim().to_owned())),
    }
}

fn accept_of(a: Option<&str>, lenient: bool) -> Accept {
    let mut out = Accept::default();
    let Some(a) = a else {
        out.any = true;
        return out;
    };
    for element in a.split(',') {
        let essence = element.split(';').next().unwrap_or_default().trim();
        if essence.is_empty() {
            continue;
        }
        if essence == "*/*" || essence.eq_ignore_ascii_case("application/*") {
            out.any = true;
        } else if let Ok((t, _)) = parse_media_type(essence, lenient) {
            if !out.types.contains(&t) {
                out.types.push(t);
            }
        } else {
            out.other.push(essence.to_ascii_lowercase());
        }
    }
    out
}

/// What a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// GET (or HEAD) of the CDMI representation, fields as selected.
    Read,
    /// GET (or HEAD) of the value's bytes (plain HTTP), `Range` honoured.
    ReadValue,
    /// PUT of a CDMI body: create, or (1.x) update, an object of this type.
    Put(ObjectType),
    /// PUT of plain bytes: create or replace a data object's value; `Content-Type` becomes
    /// its `mimetype`.
    PutValue,
    /// PUT of `…/` with no body and no `Content-Type`: create a container (plain HTTP).
    PutContainer,
    /// PATCH of a CDMI body: update (2.x).
    Patch(ObjectType),
    /// POST of a CDMI body: create in a container with a server-chosen name, create by ID
    /// (`/cdmi_objectid/`), or enqueue to a queue.
    Post(ObjectType),
    /// POST of plain bytes: a data object the server names; the answer's `Location` says
    /// where.
    PostValue,
    /// DELETE; `cdmi` when it was sent as a CDMI request.
    Delete {
        /// Sent as a CDMI request (1.x: with the version header).
        cdmi: bool,
    },
}

impl Operation {
    /// Whether this is a CDMI request (CDMI bodies or representations).
    #[must_use]
    pub const fn is_cdmi(self) -> bool {
        matches!(
            self,
            Self::Read
                | Self::Put(_)
                | Self::Patch(_)
                | Self::Post(_)
                | Self::Delete { cdmi: true }
        )
    }
}

/// A request's `Content-Type`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Content {
    /// One of the five CDMI types.
    Cdmi(ObjectType),
    /// Anything else, as sent (the `mimetype` of a plain-HTTP value).
    Other(String),
}

/// What a request's `Accept` allows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Accept {
    /// The CDMI types it names, in order.
    pub types: Vec<ObjectType>,
    /// Whether it allows anything (`*/*`, `application/*`, or no `Accept` at all).
    pub any: bool,
    /// The other media types it names, lower-cased, without parameters.
    pub other: Vec<String>,
}

impl Accept {
    /// Whether a CDMI representation of type `t` may be sent: the type is named, or anything
    /// is allowed.
    #[must_use]
    pub fn allows(&self, t: ObjectType) -> bool {
        self.any || self.types.contains(&t)
    }
}

/// A path below a root: percent-decoded segments, and whether it names a container (ends in
/// `/`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Path {
    /// The names, outermost first (none for the root container).
    pub segments: Vec<String>,
    /// Whether the path ends in `/` (a container or domain).
    pub container: bool,
}

impl Path {
    fn from_raw(raw: &[&str], container: bool) -> Result<Self, Error> {
        let mut segments = Vec::with_capacity(raw.len());
        for &s in raw {
            let bad = |why: &str| http_error(HttpProblem::Path(format!("segment {s:?}: {why}")));
            if s.is_empty() {
                return Err(bad("empty (a doubled /)"));
            }
            let name = crate::query::decode(s).map_err(|_| bad("a bad percent-escape"))?;
            if name == "." || name == ".." {
                return Err(bad("a dot segment"));
            }
            if name.contains(['/', '?']) || name.chars().any(char::is_control) {
                return Err(bad("/, ? and control characters are not allowed in names"));
            }
            segments.push(name);
        }
        Ok(Self {
            segments,
            container,
        })
    }

    /// The last name (the object's `objectName`; a container's ends in `/`), none for the
    /// root.
    #[must_use]
    pub fn name(&self) -> Option<String> {
        self.segments.last().map(|n| {
            if self.container {
                format!("{n}/")
            } else {
                n.clone()
            }
        })
    }

    /// The parent container's path, none for the root.
    #[must_use]
    pub fn parent(&self) -> Option<Self> {
        let (_, rest) = self.segments.split_last()?;
        Some(Self {
            segments: rest.to_vec(),
            container: true,
        })
    }

    /// A child of this container.
    #[must_use]
    pub fn child(&self, name: &str, container: bool) -> Self {
        let mut segments = self.segments.clone();
        segments.push(name.to_owned());
        Self {
            segments,
            container,
        }
    }
}

impl fmt::Display for Path {
    /// The percent-encoded relative path (`MyContainer/My%20File.txt`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.segments.iter().enumerate() {
            if i > 0 {
                f.write_str("/")?;
            }
            for &c in s.as_bytes() {
                if c.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&c) {
                    write!(f, "{}", char::from(c))?;
                } else {
                    write!(f, "%{c:02X}")?;
                }
            }
        }
        if self.container && !self.segments.is_empty() {
            f.write_str("/")?;
        }
        Ok(())
    }
}

/// What a request path names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Address {
    /// A path below the root.
    Path(Path),
    /// `cdmi_objectid/<ID>` (a data object or queue), `cdmi_objectid/<ID>/` (a container),
    /// and paths below a container reached by ID (`cdmi_objectid/<ID>/MyObject.txt`):
    /// `below` is the part after the ID.
    Id {
        /// The ID.
        id: Id,
        /// The path after the ID (no segments for the object itself; `container` when the
        /// URI ends in `/`).
        below: Path,
    },
    /// `cdmi_objectid/` itself: POST creates an object with an ID and no name.
    ObjectIds,
}

impl Address {
    /// Whether the URI ends in `/`.
    #[must_use]
    pub const fn is_container(&self) -> bool {
        match self {
            Self::Path(p) | Self::Id { below: p, .. } => p.container,
            Self::ObjectIds => true,
        }
    }
}

impl fmt::Display for Address {
    /// The percent-encoded path relative to the root.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Path(p) => write!(f, "{p}"),
            Self::Id { id, below } if below.segments.is_empty() => {
                write!(f, "{OBJECT_ID_SEGMENT}/{id}")?;
                if below.container {
                    f.write_str("/")?;
                }
                Ok(())
            }
            Self::Id { id, below } => write!(f, "{OBJECT_ID_SEGMENT}/{id}/{below}"),
            Self::ObjectIds => write!(f, "{OBJECT_ID_SEGMENT}/"),
        }
    }
}

/// The `Range` of a plain-HTTP read (RFC 9110 §14.1.2): `bytes=` and one or more ranges.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ByteRanges(pub Vec<ByteRange>);

/// One range of a `Range` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ByteRange {
    /// `first-` or `first-last` (inclusive).
    From {
        /// The first byte.
        first: u64,
        /// The last byte, if given.
        last: Option<u64>,
    },
    /// `-n`: the last `n` bytes.
    Suffix(u64),
}

/// The most ranges a `Range` header may hold (more is refused: a bound on hostile input).
pub const MAX_RANGES: usize = 64;

impl ByteRanges {
    /// Parses the value of a `Range` header.
    ///
    /// # Errors
    /// `Http` with `Range` for another unit, syntax, a range whose last byte is before its
    /// first, or more than [`MAX_RANGES`] ranges.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let bad = || http_error(HttpProblem::Range);
        let set = s.trim().strip_prefix("bytes=").ok_or_else(bad)?;
        let mut out = Vec::new();
        for spec in set.split(',') {
            let spec = spec.trim();
            if spec.is_empty() {
                continue;
            }
            if out.len() == MAX_RANGES {
                return Err(bad());
            }
            let (a, z) = spec.split_once('-').ok_or_else(bad)?;
            let num = |t: &str| -> Result<u64, Error> {
                if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad());
                }
                t.parse().map_err(|_| bad())
            };
            out.push(if a.is_empty() {
                ByteRange::Suffix(num(z)?)
            } else {
                let first = num(a)?;
                let last = if z.is_empty() { None } else { Some(num(z)?) };
                if last.is_some_and(|l| l < first) {
                    return Err(bad());
                }
                ByteRange::From { first, last }
            });
        }
        if out.is_empty() {
            return Err(bad());
        }
        Ok(Self(out))
    }

    /// What to answer for a value of `len` bytes: with one range, its satisfiable part
    /// (inclusive first and last byte) or `Unsatisfiable`; with several, `Whole` (a server
    /// may ignore `Range`, RFC 9110 §14.2, and multipart/byteranges is not built here).
    #[must_use]
    pub fn resolve(&self, len: u64) -> RangeAnswer {
        let [one] = self.0.as_slice() else {
            return RangeAnswer::Whole;
        };
        match *one {
            ByteRange::From { first, .. } if first >= len => RangeAnswer::Unsatisfiable,
            ByteRange::From { first, last } => RangeAnswer::Part {
                first,
                last: last.map_or(len - 1, |l| l.min(len - 1)),
            },
            ByteRange::Suffix(0) => RangeAnswer::Unsatisfiable,
            ByteRange::Suffix(_) if len == 0 => RangeAnswer::Unsatisfiable,
            ByteRange::Suffix(n) => RangeAnswer::Part {
                first: len.saturating_sub(n),
                last: len - 1,
            },
        }
    }
}

/// How a `Range` applies to a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RangeAnswer {
    /// 200 with the whole value.
    Whole,
    /// 206 with bytes `first..=last`.
    Part {
        /// The first byte.
        first: u64,
        /// The last byte.
        last: u64,
    },
    /// 416.
    Unsatisfiable,
}

/// The head of a request, read by [`Endpoint::head`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Head {
    /// The method.
    pub method: Method,
    /// What the path names.
    pub address: Address,
    /// What the request is for.
    pub operation: Operation,
    /// The `Content-Type`.
    pub content: Option<Content>,
    /// The `Accept`.
    pub accept: Accept,
    /// The version: negotiated on a 1.x root (none for plain HTTP without the header), the
    /// root's on a 2.x root.
    pub version: Option<Version>,
    /// The field selection of the query string.
    pub selection: Option<Selection>,
    /// `X-CDMI-Partial: true`.
    pub partial: bool,
    /// The `Range` of a plain-HTTP read.
    pub range: Option<ByteRanges>,
    mode: Mode,
    limits: Limits,
}

impl Head {
    /// Reads the body of a CDMI PUT, PATCH or POST as the object type of its `Content-Type`;
    /// `None` for other operations, whose body (if any) is the value's bytes.
    ///
    /// # Errors
    /// `Http` with `BodyNotUtf8`; the body errors of [`Object::parse_with_limits`].
    pub fn read_body(&self, body: &[u8]) -> Result<Option<Parsed>, Error> {
        let t = match self.operation {
            Operation::Put(t) | Operation::Patch(t) | Operation::Post(t) => t,
            _ => return Ok(None),
        };
        let text = std::str::from_utf8(body).map_err(|e| {
            Error::at(
                ErrorKind::Http(HttpProblem::BodyNotUtf8),
                body,
                e.valid_up_to(),
            )
        })?;
        // An empty body is an object with no fields (a create with all defaults).
        let text = if text.trim().is_empty() { "{}" } else { text };
        Object::parse_with_limits(text, t, self.mode, &self.limits).map(Some)
    }
}

/// What is wrong with a request's head, each with its status ([`HttpProblem::status`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HttpProblem {
    /// The path is not below the endpoint's root (404).
    OutsideRoot,
    /// A path that names nothing a CDMI server can hold: the text says why (400).
    Path(String),
    /// A method CDMI does not use here (405).
    Method(String),
    /// A CDMI request on a 1.x root without `X-CDMI-Specification-Version` (400).
    MissingVersion,
    /// `X-CDMI-Specification-Version` sent to a 2.x root, whose clients must not send it
    /// (400; ignored in lenient mode).
    VersionHeaderOn2x,
    /// A body whose `Content-Type` is missing or does not suit the operation (400).
    ContentType,
    /// A header value that is not visible ASCII (400).
    HeaderNotText,
    /// `X-CDMI-Partial` other than `true` or `false` (400).
    Partial,
    /// A `Range` header that is not `bytes=` ranges (400; RFC 9110 lets a server ignore it,
    /// but a malformed one is a client bug worth reporting).
    Range,
    /// A CDMI body that is not UTF-8 (400).
    BodyNotUtf8,
}

impl HttpProblem {
    /// The status of the answer.
    #[must_use]
    pub const fn status(&self) -> StatusCode {
        match self {
            Self::OutsideRoot => StatusCode::NOT_FOUND,
            Self::Method(_) => StatusCode::METHOD_NOT_ALLOWED,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

impl fmt::Display for HttpProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OutsideRoot => f.write_str("the path is not below the CDMI root"),
            Self::Path(why) => write!(f, "path: {why}"),
            Self::Method(m) => write!(f, "method {m} is not allowed"),
            Self::MissingVersion => write!(f, "a CDMI request without {VERSION_HEADER}"),
            Self::VersionHeaderOn2x => {
                write!(
                    f,
                    "{VERSION_HEADER} sent to a 2.x root (2.x clients do not send it)"
                )
            }
            Self::ContentType => {
                f.write_str("no Content-Type, or one that does not suit the operation")
            }
            Self::HeaderNotText => f.write_str("a header value that is not visible ASCII"),
            Self::Partial => write!(f, "{PARTIAL_HEADER} is neither true nor false"),
            Self::Range => {
                f.write_str("Range is not bytes= and ranges first-last, first- or -suffix")
            }
            Self::BodyNotUtf8 => f.write_str("a CDMI body that is not UTF-8"),
        }
    }
}

fn http_error(p: HttpProblem) -> Error {
    Error::new(ErrorKind::Http(p), Position::START)
}

/// The status a server answers an error of this crate with: the problem's own for `Http`,
/// 400 for every other kind (they are all faults of the request's text or body), 413 for a
/// body over the limit.
#[must_use]
pub fn status_of(e: &Error) -> StatusCode {
    match e.kind() {
        ErrorKind::Http(p) => p.status(),
        ErrorKind::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// Sets the CDMI headers of an answer: `Content-Type` for `t` and, for a 1.x version, the
/// version header.
fn cdmi_headers(h: &mut HeaderMap, t: ObjectType, version: Option<Version>) {
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(t.media_type()),
    );
    version_header(h, version);
}

/// Sets the version header for a 1.x version (2.x answers carry none).
fn version_header(h: &mut HeaderMap, version: Option<Version>) {
    if let Some(v) = version.filter(|v| !v.is_v2())
        && let Ok(value) = HeaderValue::from_str(&v.to_string())
    {
        h.insert(VERSION_HEADER, value);
    }
}

/// A CDMI answer: `status`, the object's JSON, `Content-Type` of its type, and the version
/// header when `version` is a 1.x version.
#[must_use]
pub fn object_response(
    object: &Object,
    version: Option<Version>,
    status: StatusCode,
) -> Response<Vec<u8>> {
    let mut r = Response::new(object.to_json().into_bytes());
    *r.status_mut() = status;
    cdmi_headers(r.headers_mut(), object.object_type, version);
    r
}

/// 201 Created for a POST: the object, and `Location` with its URI.
#[must_use]
pub fn created_response(
    object: &Object,
    location: &str,
    version: Option<Version>,
) -> Response<Vec<u8>> {
    let mut r = object_response(object, version, StatusCode::CREATED);
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// 302 Found for a reference: `Location` names the object it refers to (1.1.1 §8.2.7).
#[must_use]
pub fn redirect_response(location: &str, version: Option<Version>) -> Response<Vec<u8>> {
    let mut r = Response::new(Vec::new());
    *r.status_mut() = StatusCode::FOUND;
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    version_header(r.headers_mut(), version);
    r
}

/// An answer without a body (`204 No Content` after an update or delete, `202 Accepted`
/// for a partial create), with the version header for 1.x.
#[must_use]
pub fn empty_response(status: StatusCode, version: Option<Version>) -> Response<Vec<u8>> {
    let mut r = Response::new(Vec::new());
    *r.status_mut() = status;
    version_header(r.headers_mut(), version);
    r
}

/// The answer to an error: its status ([`status_of`]) and the error's text, as `text/plain`.
#[must_use]
pub fn error_response(e: &Error) -> Response<Vec<u8>> {
    let mut r = Response::new(format!("{e}\n").into_bytes());
    *r.status_mut() = status_of(e);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// A plain-HTTP read of a value: 200 with the whole value, 206 with `Content-Range` for one
/// satisfiable range, 416 with `Content-Range: bytes */len` otherwise; `Content-Type` is the
/// object's `mimetype`; `Accept-Ranges: bytes` always.
#[must_use]
pub fn value_response(
    value: &[u8],
    mimetype: &str,
    range: Option<&ByteRanges>,
) -> Response<Vec<u8>> {
    let len = value.len() as u64;
    let answer = range.map_or(RangeAnswer::Whole, |r| r.resolve(len));
    let (status, body, content_range) = match answer {
        RangeAnswer::Whole => (StatusCode::OK, value.to_vec(), None),
        RangeAnswer::Part { first, last } => {
            let part = usize::try_from(first)
                .ok()
                .zip(usize::try_from(last).ok())
                .and_then(|(a, z)| value.get(a..=z))
                .unwrap_or_default();
            (
                StatusCode::PARTIAL_CONTENT,
                part.to_vec(),
                Some(format!("bytes {first}-{last}/{len}")),
            )
        }
        RangeAnswer::Unsatisfiable => (
            StatusCode::RANGE_NOT_SATISFIABLE,
            Vec::new(),
            Some(format!("bytes */{len}")),
        ),
    };
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(mimetype) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Some(cr) = content_range.and_then(|c| HeaderValue::from_str(&c).ok()) {
        h.insert(header::CONTENT_RANGE, cr);
    }
    r
}

#[cfg(test)]
mod tests;
