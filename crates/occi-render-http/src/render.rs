//! The canonical text renderer: text/plain bodies and text/occi header fields.

use crate::message::{CategoryRendering, LinkRendering, Message};
use crate::quoted::push_quoted;
use crate::{Error, ErrorKind};
use occi_model::AttributeValue;
use occi_model::fedcloud_core::Position;
use std::fmt::Write as _;

fn err(kind: ErrorKind) -> Error {
    Error::new(kind, Position::START)
}

/// Renders `message` as a text/plain body in the canonical form: categories, links,
/// attributes, locations, one per line; parameters in the order of GFD.229 §4.3, `"; "`
/// between them, every string quoted with `"` and `\` escaped (RFC 7230 §3.2.6).
///
/// ```
/// use occi_render_http::{Message, Mode, Parser, render_plain};
/// let body = "Category: compute;scheme=\"http://schemas.ogf.org/occi/infrastructure#\";class=kind;\n\
///             X-OCCI-Attribute: occi.core.title=\"a \\\"quoted\\\" title; with, separators\"\n";
/// let parsed = Parser::new(Mode::Lenient).parse_plain(body)?;
/// let canonical = render_plain(&parsed.message)?;
/// assert_eq!(canonical, "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\n\
///                        X-OCCI-Attribute: occi.core.title=\"a \\\"quoted\\\" title; with, separators\"\n");
/// // The canonical form is strict 1.2 and a fixpoint.
/// let again = Parser::new(occi_render_http::Mode::Strict12).parse_plain(&canonical)?;
/// assert_eq!(again.message, parsed.message);
/// # Ok::<(), occi_render_http::Error>(())
/// ```
///
/// # Errors
/// `Unrepresentable`: a string with a control character other than HTAB, a non-finite
/// number.
pub fn render_plain(message: &Message) -> Result<String, Error> {
    let mut out = String::with_capacity(256);
    for (name, value) in header_values(message)? {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(&value);
        out.push('\n');
    }
    Ok(out)
}

/// Each header field of the rendering, one value per field, in canonical order.
///
/// # Errors
/// As [`render_plain`].
pub fn header_values(message: &Message) -> Result<Vec<(&'static str, String)>, Error> {
    let mut out = Vec::with_capacity(
        message.categories.len()
            + message.links.len()
            + message.attributes.len()
            + message.locations.len(),
    );
    for c in &message.categories {
        out.push(("Category", category(c)?));
    }
    for l in &message.links {
        out.push(("Link", link(l)?));
    }
    for (n, v) in &message.attributes {
        let mut s = String::with_capacity(n.len() + 16);
        attribute(&mut s, n, v)?;
        out.push(("X-OCCI-Attribute", s));
    }
    for l in &message.locations {
        out.push(("X-OCCI-Location", l.clone()));
    }
    Ok(out)
}

fn category(c: &CategoryRendering) -> Result<String, Error> {
    let mut s = String::with_capacity(64 + c.scheme.len());
    s.push_str(&c.term);
    s.push_str("; scheme=");
    push_quoted(&mut s, &c.scheme).map_err(err)?;
    if let Some(class) = c.class {
        s.push_str("; class=\"");
        s.push_str(class.as_str());
        s.push('"');
    }
    if let Some(t) = &c.title {
        s.push_str("; title=");
        push_quoted(&mut s, t).map_err(err)?;
    }
    if !c.rel.is_empty() {
        s.push_str("; rel=");
        push_quoted(&mut s, &c.rel.join(" ")).map_err(err)?;
    }
    if let Some(l) = &c.location {
        s.push_str("; location=");
        push_quoted(&mut s, l).map_err(err)?;
    }
    if !c.attributes.is_empty() {
        let mut specs = String::new();
        for (i, a) in c.attributes.iter().enumerate() {
            if i > 0 {
                specs.push(' ');
            }
            specs.push_str(&a.name);
            match (a.immutable, a.required) {
                (true, true) => specs.push_str("{immutable required}"),
                (true, false) => specs.push_str("{immutable}"),
                (false, true) => specs.push_str("{required}"),
                (false, false) => {}
            }
        }
        s.push_str("; attributes=");
        push_quoted(&mut s, &specs).map_err(err)?;
    }
    if !c.actions.is_empty() {
        s.push_str("; actions=");
        push_quoted(&mut s, &c.actions.join(" ")).map_err(err)?;
    }
    Ok(s)
}

fn link(l: &LinkRendering) -> Result<String, Error> {
    let mut s = String::with_capacity(128);
    s.push('<');
    s.push_str(&l.target);
    s.push_str(">; rel=");
    push_quoted(&mut s, &l.rel.join(" ")).map_err(err)?;
    if let Some(x) = &l.self_location {
        s.push_str("; self=");
        push_quoted(&mut s, x).map_err(err)?;
    }
    if !l.categories.is_empty() {
        s.push_str("; category=");
        push_quoted(&mut s, &l.categories.join(" ")).map_err(err)?;
    }
    for (n, v) in &l.attributes {
        s.push_str("; ");
        attribute(&mut s, n, v)?;
    }
    Ok(s)
}

/// `name=value`: strings quoted, integers and booleans bare, numbers with a `.` and never an
/// exponent (the grammar has none), arrays and objects as JSON in a quoted-string.
pub(crate) fn attribute(s: &mut String, name: &str, v: &AttributeValue) -> Result<(), Error> {
    s.push_str(name);
    s.push('=');
    match v {
        AttributeValue::String(x) => push_quoted(s, x).map_err(err)?,
        AttributeValue::Integer(i) => {
            let _ = write!(s, "{i}");
        }
        AttributeValue::Boolean(b) => s.push_str(if *b { "true" } else { "false" }),
        AttributeValue::Number(f) => {
            if !f.is_finite() {
                return Err(err(ErrorKind::Unrepresentable("a non-finite number")));
            }
            let start = s.len();
            let _ = write!(s, "{f}");
            if !s.get(start..).unwrap_or_default().contains('.') {
                s.push_str(".0");
            }
        }
        other => {
            let json = crate::json::value_to_json(other).to_string();
            push_quoted(s, &json).map_err(err)?;
        }
    }
    Ok(())
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
