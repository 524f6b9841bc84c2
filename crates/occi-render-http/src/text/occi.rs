//! text/occi: the header lines of GFD.229 §4 as HTTP header fields (GFD.229 §3.2), body `OK`;
//! the readers of header fields and of a message written out as text, and the writer within
//! a header budget.

use super::{State, field_name, header_values, is_occi_header};
use crate::error::at;
use crate::message::Message;
use crate::{Error, ErrorKind, Leniency, Parsed, Parser, render_plain};
use occi_model::fedcloud_core::Position;

impl Parser<'_> {
    /// Parses text/occi header fields, given as `(name, value)` pairs in order; header
    /// fields that are not OCCI headers (`Server`, `X-Runtime`, …) are ignored in every mode,
    /// repeated fields and comma-joined values are both read (GFD.229 §3.2). Positions count
    /// field `i` as line `i + 1` written `Name: value`.
    ///
    /// # Errors
    /// As [`Parser::parse_plain`]; `UnknownHeader` for a name in the `X-OCCI-` namespace
    /// that GFD.229 does not define (lenient mode ignores it with a warning).
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
            if is_occi_header(name) {
                state.line(&line, base)?;
            } else {
                state.count_line(base)?;
            }
        }
        state.finish()
    }

    /// Parses a text/occi message written out as text: an optional HTTP status line, header
    /// lines `Name: value`, then optionally a blank line and a body, which GFD.229 §3.2 asks
    /// to be `OK`. Header fields that are not OCCI headers are ignored in every mode.
    ///
    /// What real producers do beyond that is read in lenient mode, each with its warning:
    /// indented header lines ([`Leniency::IndentedLine`]), the rendering in the body
    /// ([`Leniency::BodyRendering`]), and blank lines before the header fields
    /// ([`Leniency::LeadingBlankLine`]; HTTP ends the header section there, so the header
    /// lines after them are a rendering in the body). The OCCI lines of the body are read as
    /// text/plain, its other lines skipped, when the header fields carry no OCCI content;
    /// otherwise the body is ignored (with the warning). Strict modes refuse each at its
    /// position; a body without OCCI lines is ignored in every mode.
    ///
    /// # Errors
    /// As [`Parser::parse_headers`]; `FoldedLine` for an obs-fold continuation of an OCCI
    /// header field (one of another field is ignored with it).
    pub fn parse_occi_message(&self, text: &str) -> Result<Parsed, Error> {
        self.check_body_size(text.len())?;
        let mut state = State::new(self);
        let mut lines = Lines::new(text);
        let mut fields = false;
        let mut status_allowed = true;
        let mut previous_occi = false;
        let mut leading_blank = None;
        for (line, base) in lines.by_ref() {
            if line.trim().is_empty() {
                // A blank line ends the header section, even before any field (HTTP reads
                // what follows as the body, where producers' stray blank lines put their
                // header lines).
                if !fields {
                    leading_blank = Some(base);
                }
                break;
            }
            if std::mem::take(&mut status_allowed) && line.starts_with("HTTP/") {
                continue;
            }
            fields = true;
            // An indented line of the shape `Name: value` is taken as an indented header
            // field (what producers mean), not as a continuation (which it is to HTTP).
            match field_name(line) {
                Some(name) => {
                    previous_occi = is_occi_header(name);
                    if previous_occi {
                        state.line(line, base)?;
                    } else {
                        state.count_line(base)?;
                    }
                }
                // An obs-fold continuation (RFC 7230 §3.2.4) of the field before.
                None if line.starts_with([' ', '\t']) => {
                    if previous_occi {
                        return Err(at(ErrorKind::FoldedLine, base));
                    }
                    state.count_line(base)?;
                }
                None if line.contains(':') => {
                    return Err(at(
                        ErrorKind::Syntax("a header field: a token, ':' and the value"),
                        base,
                    ));
                }
                None => return Err(at(ErrorKind::MissingColon, base)),
            }
        }
        // The body: GFD.229 §3.2 asks for `OK`; a rendering there is a producer's mistake.
        let carried = !state.is_empty();
        let mut body_read = false;
        for (line, base) in lines {
            let Some(name) = field_name(line) else {
                continue;
            };
            if !is_occi_header(name) {
                continue;
            }
            if !body_read {
                body_read = true;
                match leading_blank {
                    Some(blank) => state.lenient(Leniency::LeadingBlankLine, blank)?,
                    None => state.lenient(Leniency::BodyRendering, base)?,
                }
                if carried {
                    break;
                }
            }
            state.line(line, base)?;
        }
        state.finish()
    }
}

/// The lines of a text, each without its line end (LF or CRLF) and with its position.
struct Lines<'a> {
    rest: &'a str,
    offset: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    const fn new(text: &'a str) -> Self {
        Self {
            rest: text,
            offset: 0,
            line: 0,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (&'a str, Position);

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', self.rest.as_bytes()).map_or(self.rest.len(), |i| i + 1);
        let raw = self.rest.get(..end).unwrap_or_default();
        self.rest = self.rest.get(end..).unwrap_or_default();
        self.line += 1;
        let base = Position::new(self.offset, self.line, 1);
        self.offset += raw.len();
        let line = raw
            .strip_suffix('\n')
            .map_or(raw, |l| l.strip_suffix('\r').unwrap_or(l));
        Some((line, base))
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
