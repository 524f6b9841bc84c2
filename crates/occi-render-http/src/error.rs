//! The one error type of the crate: a kind and where it happened.

use crate::Leniency;
use occi_model::fedcloud_core::Position;
use std::fmt;

/// A parse or render error: what went wrong ([`ErrorKind`]) and where (byte offset, line,
/// column of the input; the start of the input for errors that have no place).
///
/// ```
/// use occi_render_http::{Mode, Parser};
/// let err = Parser::new(Mode::Strict12).parse_plain("Category: compute; scheme=\"x\nFoo")
///     .unwrap_err();
/// assert_eq!(err.to_string(), "unterminated quoted-string at line 1, column 27");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    kind: ErrorKind,
    position: Position,
}

impl Error {
    /// An error of `kind` at `position`.
    #[must_use]
    pub const fn new(kind: ErrorKind, position: Position) -> Self {
        Self { kind, position }
    }

    /// What went wrong.
    #[must_use]
    pub const fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Where it happened.
    #[must_use]
    pub const fn position(&self) -> Position {
        self.position
    }

    /// This error with its position, and those of the violations it holds, mapped by `f`
    /// (a JSON reader resolves offsets to lines and columns only for what it reports).
    pub(crate) fn map_positions(mut self, f: impl Fn(Position) -> Position) -> Self {
        self.position = f(self.position);
        if let ErrorKind::Invalid(violations) = &mut self.kind {
            for v in violations {
                v.position = f(v.position);
            }
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.kind, self.position)
    }
}

impl std::error::Error for Error {}

/// What went wrong. Each kind names the rule of the OCCI documents (or the configured limit)
/// it enforces.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    // ---- limits ----------------------------------------------------------------------------
    /// A line (text/plain) or header value (text/occi) is longer than
    /// [`Limits::max_line_bytes`](crate::Limits::max_line_bytes).
    #[error("line of {actual} bytes exceeds the limit of {limit} bytes")]
    LineTooLong {
        /// The limit.
        limit: usize,
        /// The length of the line.
        actual: usize,
    },
    /// More lines or header fields than [`Limits::max_lines`](crate::Limits::max_lines).
    #[error("more than {limit} lines or header fields")]
    TooManyLines {
        /// The limit.
        limit: usize,
    },
    /// An entity, link or action invocation has more attributes than
    /// [`Limits::max_attributes`](crate::Limits::max_attributes).
    #[error("more than {limit} attributes in one entity")]
    TooManyAttributes {
        /// The limit.
        limit: usize,
    },
    /// The body is larger than [`Limits::max_body_bytes`](crate::Limits::max_body_bytes).
    #[error("body of {actual} bytes exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// The limit.
        limit: usize,
        /// The size of the body (at least; a stream stops counting at the limit).
        actual: usize,
    },
    /// JSON nested deeper than [`Limits::max_depth`](crate::Limits::max_depth).
    #[error("JSON nested deeper than {limit} levels")]
    TooDeep {
        /// The limit.
        limit: usize,
    },

    // ---- lexical ---------------------------------------------------------------------------
    /// The input is not UTF-8 (the renderings are UTF-8 text, GFD.229 §3).
    #[error("input is not UTF-8")]
    NotUtf8,
    /// A line has no `:` after its header name (GFD.229 §3: every line is `Name: value`).
    #[error("expected 'Name: value'")]
    MissingColon,
    /// A header name that is none of `Category`, `Link`, `X-OCCI-Attribute`,
    /// `X-OCCI-Location` (GFD.229 §3): any other name in a text/plain body, a name in the
    /// `X-OCCI-` namespace outside lenient mode in text/occi (other text/occi fields are
    /// HTTP's and ignored).
    #[error("unknown OCCI header {0:?}")]
    UnknownHeader(String),
    /// A line that starts with white space and continues the OCCI header field before it
    /// (obs-fold, RFC 7230 §3.2.4, deprecated): not unfolded, since the positions of
    /// everything after the fold would no longer be those of the input.
    #[error("obs-fold continuation of an OCCI header field")]
    FoldedLine,
    /// A quoted-string without its closing `"` (RFC 7230 §3.2.6).
    #[error("unterminated quoted-string")]
    UnterminatedQuote,
    /// A character that RFC 7230 §3.2.6 does not allow in a quoted-string or after a `\`
    /// (controls other than HTAB).
    #[error("character {0:?} is not allowed in a quoted-string")]
    QuotedCharacter(char),
    /// A construct the grammar does not allow here; the text says what was expected
    /// (GFD.185 §3.5, GFD.229 §4 ABNF).
    #[error("syntax error: expected {0}")]
    Syntax(&'static str),
    /// A construct only lenient mode accepts (see [`Leniency`] for the rule each one breaks).
    #[error("not allowed in strict mode: {0}")]
    Strict(Leniency),

    // ---- categories, links, attributes -----------------------------------------------------
    /// An invalid OCCI identifier (term, scheme, type identifier, attribute name, URI); the
    /// text is the `occi-model` error.
    #[error("invalid identifier: {0}")]
    Identifier(String),
    /// A category parameter appears twice (GFD.229 §4.3).
    #[error("parameter {0:?} given twice")]
    DuplicateParameter(String),
    /// A category parameter that GFD.229 §4.3 does not define.
    #[error("unknown category parameter {0:?}")]
    UnknownParameter(String),
    /// A category without `scheme` (GFD.229 §4.3: `scheme` is required).
    #[error("category without scheme")]
    MissingScheme,
    /// A category without `class` (GFD.229 §4.3: `class` is required; only a filter category
    /// may omit it, in lenient mode).
    #[error("category without class")]
    MissingClass,
    /// A class other than `kind`, `mixin`, `action` (GFD.229 §4.3).
    #[error("unknown category class {0:?}")]
    UnknownClass(String),
    /// An attribute value outside `quoted-string / int / float / bool` (GFD.229 §4.5).
    #[error("invalid attribute value")]
    InvalidValue,
    /// An attribute value whose type disagrees with its definition in the model (GFD.221
    /// §4.2.2); strict mode does not coerce quoted numbers or booleans.
    #[error("attribute {name} needs a value of type {expected}")]
    TypeMismatch {
        /// The attribute.
        name: String,
        /// The JSON type of its definition.
        expected: &'static str,
    },
    /// The lines do not form one of the compositions of GFD.229 §3 (resource, link, action
    /// invocation, category collection, location collection); the text says why.
    #[error("invalid composition: {0}")]
    Composition(&'static str),
    /// Entities or an action invocation that the model forbids (GFD.221 §4: unknown
    /// categories, mixins that do not apply, values outside their type, enumeration, pattern
    /// or range): every error finding of the model's validation, each with its position;
    /// the error's position is the first one's. Only strict modes refuse them; lenient mode
    /// reports them in [`Parsed::findings`](crate::Parsed::findings).
    #[error("{}", invalid(.0))]
    Invalid(Vec<crate::Violation>),
    /// Categories that do not form a registry (a query-interface listing read as a model:
    /// [`model_from_query_interface`](crate::protocol::model_from_query_interface)); the
    /// text says which and why.
    #[error("the categories do not form a model: {0}")]
    InvalidModel(String),
    /// A value that the target rendering cannot carry (a control character in text, a
    /// non-finite number).
    #[error("cannot be rendered: {0}")]
    Unrepresentable(&'static str),

    // ---- JSON ------------------------------------------------------------------------------
    /// Malformed JSON (RFC 8259); the text is the JSON parser's message.
    #[error("malformed JSON: {0}")]
    Json(String),
    /// JSON that does not have the shape GFD.225 gives the rendering; the text names the
    /// member and what was expected.
    #[error("invalid OCCI JSON: {0}")]
    JsonShape(String),

    // ---- media types -----------------------------------------------------------------------
    /// A media type this crate does not render.
    #[error("unsupported media type {0:?}")]
    UnsupportedMediaType(String),
    /// text/uri-list can only carry a collection of locations (GFD.223 §3.1: otherwise 400).
    #[error("text/uri-list carries only location collections")]
    NotALocationList,
}

fn invalid(violations: &[crate::Violation]) -> String {
    let first = violations
        .first()
        .map_or_else(String::new, |v| v.finding.to_string());
    match violations.len() {
        0 | 1 => format!("not valid in the model: {first}"),
        n => format!("not valid in the model: {first} (and {} more)", n - 1),
    }
}

pub(crate) fn at(kind: ErrorKind, position: Position) -> Error {
    Error::new(kind, position)
}
