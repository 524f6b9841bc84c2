//! Media types and dispatch to the parser and renderer of each.

use crate::message::Composition;
use crate::{Error, ErrorKind, Message, render_json};
use crate::{HeaderBudget, HeaderRendering, render_headers, render_plain, render_uri_list};
use occi_model::Model;
use occi_model::fedcloud_core::Position;
use std::fmt;
use std::str::FromStr;

/// A rendering of OCCI content (GFD.229 §3, GFD.225, RFC 2483).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MediaType {
    /// `text/plain` (1.2 also `text/occi+plain`): the header lines in the body.
    TextPlain,
    /// `text/occi`: the same lines as HTTP header fields, body `OK`.
    TextOcci,
    /// `text/uri-list`: locations only.
    UriList,
    /// `application/occi+json` (also `application/json`): OCCI 1.2 JSON.
    Json,
}

impl MediaType {
    /// The canonical name (`text/plain`, `text/occi`, `text/uri-list`,
    /// `application/occi+json`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::TextPlain => "text/plain",
            Self::TextOcci => "text/occi",
            Self::UriList => "text/uri-list",
            Self::Json => "application/occi+json",
        }
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MediaType {
    type Err = Error;

    /// Parses a media type, ignoring parameters (`; charset=utf-8`) and letter case.
    ///
    /// # Errors
    /// `UnsupportedMediaType`.
    fn from_str(s: &str) -> Result<Self, Error> {
        let essence = s
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        Ok(match essence.as_str() {
            "text/plain" | "text/occi+plain" => Self::TextPlain,
            "text/occi" => Self::TextOcci,
            "text/uri-list" => Self::UriList,
            "application/occi+json" | "application/json" => Self::Json,
            _ => {
                return Err(Error::new(
                    ErrorKind::UnsupportedMediaType(s.to_owned()),
                    Position::START,
                ));
            }
        })
    }
}

/// Something of a message that a rendering cannot carry, found by [`losses`] before it is
/// rendered: the renderers drop it (GFD.229 and GFD.225 have no place for it), so a caller
/// that converts should say so.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Loss {
    /// Where in the message: `/categories/N`, `/categories/N/attributes/NAME`,
    /// `/links/N`, `/entities/N/links/M`.
    pub path: String,
    /// What is lost.
    pub what: String,
}

impl Loss {
    pub(crate) const fn new(path: String, what: String) -> Self {
        Self { path, what }
    }
}

impl fmt::Display for Loss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.what, self.path)
    }
}

/// What rendering `message` in `media` loses, in message order; empty when the rendering
/// carries everything. text/plain and text/occi lose a mixin's `applies` and attribute
/// types, patterns, defaults and descriptions; JSON loses an inline link's `self` location
/// unless the link's id or its kind's location (from `model`) followed by the id gives it.
///
/// ```
/// use occi_render_http::{MediaType, Mode, Parser, losses};
/// let text = "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\n\
///             Link: </network/1>; rel=\"http://schemas.ogf.org/occi/infrastructure#network\"; self=\"/links/a\"; \
///             category=\"http://schemas.ogf.org/occi/infrastructure#networkinterface\"; occi.core.id=\"b\"\n";
/// let m = Parser::new(Mode::Strict12).parse_plain(text)?.message;
/// let lost = losses(MediaType::Json, &m, None);
/// assert_eq!(lost[0].path, "/links/0");
/// assert!(losses(MediaType::TextOcci, &m, None).is_empty());
/// # Ok::<(), occi_render_http::Error>(())
/// ```
#[must_use]
pub fn losses(media: MediaType, message: &Message, model: Option<&Model>) -> Vec<Loss> {
    match media {
        MediaType::TextPlain | MediaType::TextOcci => crate::text::losses(message),
        MediaType::Json => crate::json::losses(message, model),
        // Only locations are rendered, and the renderer refuses anything else.
        MediaType::UriList => Vec::new(),
    }
}

/// Renders `message` in `media`: text/occi as header lines, a blank line and `OK` (or, when
/// the headers exceed the default [`HeaderBudget`], the text/plain body); text/uri-list only
/// for a collection of locations.
///
/// # Errors
/// `NotALocationList` for text/uri-list of anything but locations; as the renderer.
pub fn render(media: MediaType, message: &Message, model: Option<&Model>) -> Result<String, Error> {
    match media {
        MediaType::TextPlain => render_plain(message),
        MediaType::Json => render_json(message, model),
        MediaType::UriList => match message.composition() {
            Composition::Locations | Composition::Empty => render_uri_list(&message.locations),
            _ => Err(Error::new(ErrorKind::NotALocationList, Position::START)),
        },
        MediaType::TextOcci => match render_headers(message, &HeaderBudget::default())? {
            HeaderRendering::Headers(fields) => {
                let mut out = String::new();
                for (n, v) in fields {
                    out.push_str(n);
                    out.push_str(": ");
                    out.push_str(&v);
                    out.push('\n');
                }
                out.push_str("\nOK\n");
                Ok(out)
            }
            HeaderRendering::Body { body, .. } => Ok(body),
        },
    }
}
