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
            Composition::Locations | Composition::Empty => Ok(render_uri_list(&message.locations)),
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
