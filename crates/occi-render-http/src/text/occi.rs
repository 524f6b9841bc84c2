//! text/occi: the header lines of GFD.229 §4 as HTTP header fields (GFD.229 §3.2), body `OK`;
//! the readers of header fields and of a message written out as text, and the writer within
//! a header budget.

use super::{State, header_of, header_values};
use crate::error::at;
use crate::message::Message;
use crate::{Error, ErrorKind, Parsed, Parser, render_plain};
use occi_model::fedcloud_core::Position;

impl Parser<'_> {
    /// Parses text/occi header fields, given as `(name, value)` pairs in order; header
    /// fields that are not OCCI headers are ignored, repeated fields and comma-joined values
    /// are both read (GFD.229 §3.2). Positions count field `i` as line `i + 1` written
    /// `Name: value`.
    ///
    /// # Errors
    /// As [`Parser::parse_plain`].
    pub fn parse_headers<'a, I>(&self, headers: I) -> Result<Parsed, Error>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let mut state = State::new(self);
        let mut line = String::new();
        let mut offset = 0;
        for (i, (name, value)) in headers.into_iter().enumerate() {
            line.clear();
            line.push_str(name);
            line.push_str(": ");
            line.push_str(value);
            let base = Position::new(offset, i + 1, 1);
            offset += line.len() + 1;
            if header_of(name).is_some() || name.starts_with(['X', 'x']) {
                state.line(&line, base)?;
            } else {
                state.count_line(base)?;
            }
        }
        state.finish()
    }

    /// Parses a text/occi message written out as text: an optional HTTP status line, header
    /// lines `Name: value`, then optionally a blank line and a body (ignored; GFD.229 asks
    /// for `OK`). Header fields that are not OCCI headers are ignored.
    ///
    /// # Errors
    /// As [`Parser::parse_plain`].
    pub fn parse_occi_message(&self, text: &str) -> Result<Parsed, Error> {
        self.check_body_size(text.len())?;
        let mut state = State::new(self);
        let mut offset = 0;
        for (i, raw) in text.split_inclusive('\n').enumerate() {
            let line = raw
                .strip_suffix('\n')
                .map_or(raw, |l| l.strip_suffix('\r').unwrap_or(l));
            let base = Position::new(offset, i + 1, 1);
            offset += raw.len();
            if line.trim().is_empty() {
                break;
            }
            if i == 0 && line.starts_with("HTTP/") {
                continue;
            }
            let name = line.split(':').next().unwrap_or_default();
            if header_of(name).is_some() || name.starts_with(['X', 'x']) {
                state.line(line, base)?;
            } else if !line.contains(':') {
                return Err(at(ErrorKind::MissingColon, base));
            } else {
                state.count_line(base)?;
            }
        }
        state.finish()
    }
}

/// Limits on a text/occi rendering: real servers cap a header line near 8 KB (Apache
/// `LimitRequestFieldSize` 8190) and the whole header block near that times a small number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct HeaderBudget {
    /// The longest header line, `Name: value` without CRLF, in bytes (default 8190).
    pub max_line_bytes: usize,
    /// The most bytes of all OCCI header lines together, counting `Name: value` and CRLF
    /// (default 32 KiB, nginx's 4 × 8 KB).
    pub max_total_bytes: usize,
    /// The most header fields (default 100, Apache's `LimitRequestFields`).
    pub max_fields: usize,
}

impl Default for HeaderBudget {
    fn default() -> Self {
        Self {
            max_line_bytes: 8190,
            max_total_bytes: 32 * 1024,
            max_fields: 100,
        }
    }
}

impl HeaderBudget {
    /// A budget with the given per-line and total limits and the default field count.
    #[must_use]
    pub fn new(max_line_bytes: usize, max_total_bytes: usize) -> Self {
        Self {
            max_line_bytes,
            max_total_bytes,
            ..Self::default()
        }
    }
}

/// Why a text/occi rendering fell back to a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OverBudget {
    /// One value alone makes a header line longer than the per-line budget.
    Line {
        /// The header name.
        header: &'static str,
        /// The line's length.
        bytes: usize,
        /// The budget.
        limit: usize,
    },
    /// The header lines together exceed the total budget.
    Total {
        /// Their length.
        bytes: usize,
        /// The budget.
        limit: usize,
    },
    /// More header fields than the budget allows.
    Fields {
        /// How many were needed.
        fields: usize,
        /// The budget.
        limit: usize,
    },
}

impl std::fmt::Display for OverBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Line {
                header,
                bytes,
                limit,
            } => write!(
                f,
                "a {header} header line of {bytes} bytes exceeds the per-line budget of {limit} bytes"
            ),
            Self::Total { bytes, limit } => write!(
                f,
                "{bytes} bytes of headers exceed the total budget of {limit} bytes"
            ),
            Self::Fields { fields, limit } => {
                write!(f, "{fields} header fields exceed the budget of {limit}")
            }
        }
    }
}

/// A text/occi rendering: header fields with the body `OK` (GFD.229 §3.2), or, when the
/// headers would not fit the [`HeaderBudget`], a text/plain body and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderRendering {
    /// The header fields (values comma-joined per header while they fit a line).
    Headers(Vec<(&'static str, String)>),
    /// The content as a text/plain body, because the headers did not fit.
    Body {
        /// Why.
        reason: OverBudget,
        /// The text/plain body.
        body: String,
    },
}

/// Renders `message` as text/occi header fields within `budget`: values of one header are
/// comma-joined (RECOMMENDED by GFD.229 §3.2) into as few fields as the per-line budget
/// allows; when a single value is too long for a line, or the fields exceed the total or
/// count budget, the rendering falls back to a text/plain body and says why (truncation is
/// never an option, GFD.229 §3.2).
///
/// ```
/// use occi_render_http::{HeaderBudget, HeaderRendering, Message, render_headers};
/// use occi_model::AttributeValue;
/// let mut m = Message::new();
/// m.attributes.push(("occi.compute.userdata".into(), AttributeValue::String("x".repeat(10_000))));
/// let HeaderRendering::Body { reason, body } = render_headers(&m, &HeaderBudget::default())?
/// else { return Err("expected the fallback".into()) };
/// assert!(reason.to_string().contains("per-line budget of 8190 bytes"));
/// assert!(body.starts_with("X-OCCI-Attribute: occi.compute.userdata=\"xxx"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`render_plain`].
pub fn render_headers(message: &Message, budget: &HeaderBudget) -> Result<HeaderRendering, Error> {
    let values = header_values(message)?;
    let mut fields: Vec<(&'static str, String)> = Vec::new();
    let mut over = None;
    for (name, value) in values {
        let alone = name.len() + 2 + value.len();
        if alone > budget.max_line_bytes {
            over = Some(OverBudget::Line {
                header: name,
                bytes: alone,
                limit: budget.max_line_bytes,
            });
            break;
        }
        match fields.last_mut() {
            Some((n, v))
                if *n == name
                    && name.len() + 2 + v.len() + 2 + value.len() <= budget.max_line_bytes =>
            {
                v.push_str(", ");
                v.push_str(&value);
            }
            _ => fields.push((name, value)),
        }
    }
    if over.is_none() {
        let total: usize = fields.iter().map(|(n, v)| n.len() + 2 + v.len() + 2).sum();
        if total > budget.max_total_bytes {
            over = Some(OverBudget::Total {
                bytes: total,
                limit: budget.max_total_bytes,
            });
        } else if fields.len() > budget.max_fields {
            over = Some(OverBudget::Fields {
                fields: fields.len(),
                limit: budget.max_fields,
            });
        }
    }
    match over {
        None => Ok(HeaderRendering::Headers(fields)),
        Some(reason) => Ok(HeaderRendering::Body {
            reason,
            body: render_plain(message)?,
        }),
    }
}
