//! `multipart/mixed` bodies (RFC 2046 §5.1; 2.0.0 "Data object", 1.1.1 §8.2–8.4): the CDMI
//! JSON in the first part, the value's bytes — or byte ranges of it — in the others, without
//! the cost of base64 in JSON.
//!
//! [`read`] reads a request or answer body: the first part's object, and each further part as
//! a [`ValuePart`] with its place in the value (its `Content-Range`, or right after the
//! previous part when it has none, the first at offset 0). Parts may state a `Content-Length`
//! (then the body is exactly that long, whatever it holds) and a `Content-Transfer-Encoding`
//! (`binary`, `8bit` and `7bit` as they are, `base64` decoded). [`write()`] builds one.
//!
//! Strict mode wants CRLF line ends as RFC 2046 says; lenient mode also reads bare LF (as the
//! specification's examples print them). The examples of 2.0.0 "Data object" have two errata
//! this reader does not bend for: the boundary of the header of EXAMPLE 4 lacks the last
//! character of the one its parts use, and EXAMPLE 5 of the read clause ends in an em dash
//! where `--` closes the body.

use crate::object::{Limits, Mode, Object, Parsed};
use crate::query::Range;
use crate::{Error, ErrorKind, ObjectType};
use base64::Engine as _;
use std::fmt::Write as _;

/// One value part: where it goes and its bytes (decoded from its transfer encoding).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValuePart {
    /// The part's `Content-Type` (the object's `mimetype`), if it has one.
    pub content_type: Option<String>,
    /// The bytes of the value it holds.
    pub range: Range,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl ValuePart {
    /// A part of `bytes` at `range` of the value.
    #[must_use]
    pub const fn new(content_type: Option<String>, range: Range, bytes: Vec<u8>) -> Self {
        Self {
            content_type,
            range,
            bytes,
        }
    }
}

/// A `multipart/mixed` CDMI body, read.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Multipart {
    /// The first part's object.
    pub object: Parsed,
    /// The value parts, in order (at least one).
    pub values: Vec<ValuePart>,
}

fn bad(msg: impl Into<String>, body: &[u8], at: usize) -> Error {
    Error::at(ErrorKind::Multipart(msg.into()), body, at.min(body.len()))
}

/// The `boundary` parameter of a `multipart/mixed` media type (1–70 characters, RFC 2046
/// §5.1.1), quoted or not.
///
/// # Errors
/// `Multipart` for another media type or a missing or malformed boundary.
pub fn boundary(content_type: &str) -> Result<String, Error> {
    let mut params = content_type.split(';');
    let essence = params.next().unwrap_or_default().trim();
    let text = content_type.as_bytes();
    if !essence.eq_ignore_ascii_case("multipart/mixed") {
        return Err(bad("not multipart/mixed", text, 0));
    }
    for p in params {
        let Some((name, value)) = p.split_once('=') else {
            continue;
        };
        if !name.trim().eq_ignore_ascii_case("boundary") {
            continue;
        }
        let v = value.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|q| q.strip_suffix('"'))
            .unwrap_or(v);
        let ok_char = |c: char| c.is_ascii_alphanumeric() || "'()+_,-./:=? ".contains(c);
        if v.is_empty() || v.len() > 70 || !v.chars().all(ok_char) || v.ends_with(' ') {
            return Err(bad("a boundary of 1 to 70 characters of RFC 2046", text, 0));
        }
        return Ok(v.to_owned());
    }
    Err(bad("no boundary parameter", text, 0))
}

/// A part as it is in the body.
struct RawPart<'a> {
    headers: Vec<(&'a str, &'a str)>,
    body: &'a [u8],
    at: usize,
}

impl RawPart<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, v)| v)
    }
}

/// The end of the line starting at `from` (the index of its `\n`), and the length of the line
/// ending (1 or 2).
fn line_end(body: &[u8], from: usize, mode: Mode) -> Option<(usize, usize)> {
    let i = from + memchr::memchr(b'\n', body.get(from..)?)?;
    if i > from && body.get(i - 1) == Some(&b'\r') {
        Some((i - 1, 2))
    } else if mode == Mode::Lenient {
        Some((i, 1))
    } else {
        None
    }
}

fn split_parts<'a>(
    body: &'a [u8],
    boundary: &str,
    mode: Mode,
    max_parts: usize,
) -> Result<Vec<RawPart<'a>>, Error> {
    let delimiter = format!("--{boundary}");
    let d = delimiter.as_bytes();
    let finder = memchr::memmem::Finder::new(d);
    // The first delimiter: at the start or after a line end (the preamble is ignored).
    let mut pos = None;
    for i in finder.find_iter(body) {
        if i == 0 || body.get(i - 1) == Some(&b'\n') {
            pos = Some(i);
            break;
        }
    }
    let Some(mut pos) = pos else {
        return Err(bad("no boundary delimiter", body, 0));
    };
    let mut parts = Vec::new();
    loop {
        let after = pos + d.len();
        if body.get(after..after + 2) == Some(b"--") {
            return Ok(parts); // the close delimiter; the epilogue is ignored
        }
        // Transport padding (spaces, tabs), then the line end.
        let mut p = after;
        while matches!(body.get(p), Some(b' ' | b'\t')) {
            p += 1;
        }
        let Some((end, nl)) = line_end(body, p, mode).filter(|&(e, _)| e == p) else {
            return Err(bad("a delimiter line must end after the boundary", body, p));
        };
        if parts.len() == max_parts {
            return Err(bad(format!("more than {max_parts} parts"), body, pos));
        }
        let mut cur = end + nl;
        let part_at = cur;
        let mut headers = Vec::new();
        loop {
            let Some((e, n)) = line_end(body, cur, mode) else {
                return Err(bad("a part's header lines end with a line end", body, cur));
            };
            if e == cur {
                cur = e + n;
                break;
            }
            let line = std::str::from_utf8(body.get(cur..e).unwrap_or_default())
                .map_err(|_| bad("a header line that is not UTF-8", body, cur))?;
            let Some((name, value)) = line.split_once(':') else {
                return Err(bad("a header line without a colon", body, cur));
            };
            headers.push((name.trim(), value.trim()));
            cur = e + n;
        }
        let start = cur;
        let declared = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map(|&(_, v)| v);
        let (part_end, next) = if let Some(len) = declared {
            let len: usize = len
                .parse()
                .map_err(|_| bad("Content-Length is not a number", body, part_at))?;
            let end = start
                .checked_add(len)
                .filter(|&e| e <= body.len())
                .ok_or_else(|| {
                    bad(
                        "the body is shorter than the part's Content-Length",
                        body,
                        start,
                    )
                })?;
            // After the stated bytes: optional whitespace lines, then the delimiter.
            let mut q = end;
            while matches!(body.get(q), Some(b' ' | b'\t' | b'\r' | b'\n')) {
                q += 1;
            }
            if body.get(q..q + d.len()) != Some(d) {
                return Err(bad(
                    "the part's Content-Length does not end at a delimiter",
                    body,
                    end,
                ));
            }
            (end, q)
        } else {
            // The delimiter is the line end before `--boundary`.
            let mut found = None;
            for i in finder.find_iter(body.get(start..).unwrap_or_default()) {
                let i = start + i;
                if i >= start + 2 && body.get(i - 2..i) == Some(b"\r\n") {
                    found = Some((i - 2, i));
                    break;
                }
                if mode == Mode::Lenient && i > start && body.get(i - 1) == Some(&b'\n') {
                    found = Some((i - 1, i));
                    break;
                }
                if i == start {
                    found = Some((i, i));
                    break;
                }
            }
            found.ok_or_else(|| bad("a part without the delimiter that ends it", body, start))?
        };
        parts.push(RawPart {
            headers,
            body: body.get(start..part_end).unwrap_or_default(),
            at: start,
        });
        pos = next;
    }
}

/// Reads a `multipart/mixed` CDMI body whose `Content-Type` is `content_type`: the first part
/// a body of type `t` (its `Content-Type` must say so), the others the value.
///
/// # Errors
/// `Multipart` (with the offset) for a missing boundary, a malformed part, fewer than two
/// parts, a first part of another type, an unknown transfer encoding, a `Content-Range`
/// that is malformed or does not hold the part's bytes, more than `limits.max_items` parts; the
/// errors of [`Object::parse_with_limits`] for the first part.
pub fn read(
    body: &[u8],
    content_type: &str,
    t: ObjectType,
    mode: Mode,
    limits: &Limits,
) -> Result<Multipart, Error> {
    let boundary = boundary(content_type)?;
    if body.len() > limits.max_body_bytes {
        return Err(Error::new(
            ErrorKind::BodyTooLarge {
                limit: limits.max_body_bytes,
                actual: body.len(),
            },
            fedcloud_core::Position::START,
        ));
    }
    let parts = split_parts(body, &boundary, mode, limits.max_items)?;
    let Some((first, rest)) = parts.split_first() else {
        return Err(bad("no part", body, 0));
    };
    if rest.is_empty() {
        return Err(bad(
            "at least two parts: the object and its value",
            body,
            body.len(),
        ));
    }
    let ct = first.header("content-type").unwrap_or_default();
    let essence = ct.split(';').next().unwrap_or_default().trim();
    if crate::media::parse_media_type(essence, mode == Mode::Lenient).map(|(x, _)| x) != Ok(t) {
        return Err(bad(
            format!("the first part must be {}", t.media_type()),
            body,
            first.at,
        ));
    }
    let text = std::str::from_utf8(first.body).map_err(|e| {
        bad(
            "the first part is not UTF-8",
            body,
            first.at + e.valid_up_to(),
        )
    })?;
    let object = Object::parse_with_limits(text, t, mode, limits).map_err(|e| {
        let p = e.position();
        Error::at(e.kind().clone(), body, first.at + p.offset)
    })?;
    let mut values = Vec::with_capacity(rest.len());
    let mut next = 0u64;
    for part in rest {
        let bytes = match part
            .header("content-transfer-encoding")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("binary" | "8bit" | "7bit") => part.body.to_vec(),
            Some("base64") => {
                let clean: Vec<u8> = part
                    .body
                    .iter()
                    .copied()
                    .filter(|b| !b.is_ascii_whitespace())
                    .collect();
                base64::engine::general_purpose::STANDARD
                    .decode(clean)
                    .map_err(|_| bad("a base64 part that is not base64", body, part.at))?
            }
            Some(other) => {
                return Err(bad(format!("transfer encoding {other:?}"), body, part.at));
            }
        };
        let range = match part.header("content-range") {
            Some(cr) => {
                let span = cr
                    .trim()
                    .strip_prefix("bytes ")
                    .and_then(|r| r.split('/').next())
                    .and_then(|r| Range::parse(r.trim(), false).ok())
                    .ok_or_else(|| {
                        bad(
                            "Content-Range is not bytes first-last/length",
                            body,
                            part.at,
                        )
                    })?;
                if span.count() != bytes.len() as u64 {
                    return Err(bad(
                        format!(
                            "Content-Range {span} holds {} bytes, the part {}",
                            span.count(),
                            bytes.len()
                        ),
                        body,
                        part.at,
                    ));
                }
                span
            }
            None if bytes.is_empty() => Range {
                first: next,
                last: next,
            },
            None => Range {
                first: next,
                last: next + bytes.len() as u64 - 1,
            },
        };
        if !bytes.is_empty() {
            next = range.last + 1;
        }
        values.push(ValuePart {
            content_type: part.header("content-type").map(str::to_owned),
            range,
            bytes,
        });
    }
    Ok(Multipart { object, values })
}

/// A `multipart/mixed` body: `object` in the first part, then each value part (binary, with
/// its `Content-Type` and, when `with_ranges` and it is not empty, its `Content-Range` of a
/// value of `total` bytes); returns the `Content-Type` (with the boundary) and the body. The boundary is chosen
/// so that it occurs in no part.
#[must_use]
pub fn write(
    object: &Object,
    values: &[ValuePart],
    total: u64,
    with_ranges: bool,
) -> (String, Vec<u8>) {
    let json = object.to_json();
    let mut n = 0u64;
    let boundary = loop {
        let b = format!("cdmi-part-{n:016x}-boundary");
        let d = format!("--{b}");
        let clash = memchr::memmem::find(json.as_bytes(), d.as_bytes()).is_some()
            || values
                .iter()
                .any(|v| memchr::memmem::find(&v.bytes, d.as_bytes()).is_some());
        if !clash {
            break b;
        }
        n += 1;
    };
    let mut out = Vec::with_capacity(
        json.len() + values.iter().map(|v| v.bytes.len() + 128).sum::<usize>() + 128,
    );
    let mut head = String::new();
    let _ = write!(
        head,
        "--{boundary}\r\nContent-Type: {}\r\n\r\n",
        object.object_type.media_type()
    );
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(json.as_bytes());
    for v in values {
        let mut h = format!("\r\n--{boundary}\r\n");
        if let Some(ct) = &v.content_type {
            let _ = write!(h, "Content-Type: {ct}\r\n");
        }
        h.push_str("Content-Transfer-Encoding: binary\r\n");
        // An empty part has no range to state (a range holds at least one byte).
        if with_ranges && !v.bytes.is_empty() {
            let _ = write!(
                h,
                "Content-Range: bytes {}-{}/{total}\r\n",
                v.range.first, v.range.last
            );
        }
        let _ = write!(h, "Content-Length: {}\r\n\r\n", v.bytes.len());
        out.extend_from_slice(h.as_bytes());
        out.extend_from_slice(&v.bytes);
    }
    out.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/mixed; boundary={boundary}"), out)
}

#[cfg(test)]
mod tests;
