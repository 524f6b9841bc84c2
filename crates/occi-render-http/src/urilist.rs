//! text/uri-list (RFC 2483): locations only (GFD.223 §3.1); the streaming reader, the
//! whole-body reader and the writer.

use crate::error::at;
use crate::parser::utf8;
use crate::stream::next_line;
use crate::text::safe_location;
use crate::{Error, ErrorKind, Limits};
use occi_model::EntityId;
use occi_model::fedcloud_core::Position;
use std::io::BufRead;

/// The URIs of a text/uri-list body (RFC 2483 §5: one URI per line, `#` comment lines,
/// CRLF or LF), read line by line.
///
/// ```
/// use occi_render_http::{Limits, UriListReader};
/// let body = "# compute\r\n/compute/1\r\n/compute/2\r\n";
/// let uris: Vec<String> = UriListReader::new(body.as_bytes(), Limits::default()).collect::<Result<_, _>>()?;
/// assert_eq!(uris, ["/compute/1", "/compute/2"]);
/// # Ok::<(), occi_render_http::Error>(())
/// ```
#[derive(Debug)]
pub struct UriListReader<R> {
    reader: R,
    limits: Limits,
    buf: Vec<u8>,
    line: usize,
    offset: usize,
    done: bool,
}

impl<R: BufRead> UriListReader<R> {
    /// A reader of `reader` within `limits` (line length, line count, body size).
    pub fn new(reader: R, limits: Limits) -> Self {
        Self {
            reader,
            limits,
            buf: Vec::new(),
            line: 0,
            offset: 0,
            done: false,
        }
    }

    fn step(&mut self) -> Result<Option<String>, Error> {
        loop {
            let pos = Position::new(self.offset, self.line + 1, 1);
            let Some(taken) = next_line(
                &mut self.reader,
                &mut self.buf,
                self.limits.max_line_bytes,
                pos,
            )?
            else {
                return Ok(None);
            };
            self.line += 1;
            self.offset += taken;
            if self.line > self.limits.max_lines {
                return Err(at(
                    ErrorKind::TooManyLines {
                        limit: self.limits.max_lines,
                    },
                    pos,
                ));
            }
            if self.offset > self.limits.max_body_bytes {
                return Err(at(
                    ErrorKind::BodyTooLarge {
                        limit: self.limits.max_body_bytes,
                        actual: self.offset,
                    },
                    pos,
                ));
            }
            let line = utf8(&self.buf)?.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            line.parse::<EntityId>().map_err(|e| {
                let inner = e.position().unwrap_or(Position::START);
                at(
                    ErrorKind::Identifier(e.kind().to_string()),
                    Position::new(pos.offset + inner.offset, pos.line, inner.column),
                )
            })?;
            return Ok(Some(line.to_owned()));
        }
    }
}

impl<R: BufRead> Iterator for UriListReader<R> {
    type Item = Result<String, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let r = self.step().transpose();
        if !matches!(r, Some(Ok(_))) {
            self.done = true;
        }
        r
    }
}

/// Parses a whole text/uri-list body.
///
/// # Errors
/// A line that is not a URI reference, or a limit, with its position.
pub fn parse_uri_list(body: &str, limits: Limits) -> Result<Vec<String>, Error> {
    UriListReader::new(body.as_bytes(), limits).collect()
}

/// Renders locations as text/uri-list (RFC 2483: CRLF after each URI). A byte that RFC 3986
/// does not allow in a URI reference is percent-encoded, so that no location can end its
/// line early or read back as something else.
///
/// ```
/// use occi_render_http::render_uri_list;
/// assert_eq!(render_uri_list(&["/compute/1", "/storage/a b\r\n"])?, "/compute/1\r\n/storage/a%20b%0D%0A\r\n");
/// # Ok::<(), occi_render_http::Error>(())
/// ```
///
/// # Errors
/// `Unrepresentable` for an empty location (an empty line is no URI, RFC 2483 §5).
pub fn render_uri_list<S: AsRef<str>>(locations: &[S]) -> Result<String, Error> {
    let mut out = String::with_capacity(locations.iter().map(|l| l.as_ref().len() + 2).sum());
    for l in locations {
        out.push_str(&safe_location(l.as_ref(), false)?);
        out.push_str("\r\n");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_list() {
        let uris = ["/compute/1", "http://example.org/storage/2"];
        let body = render_uri_list(&uris).unwrap();
        assert_eq!(body, "/compute/1\r\nhttp://example.org/storage/2\r\n");
        assert_eq!(parse_uri_list(&body, Limits::default()).unwrap(), uris);
        assert_eq!(
            parse_uri_list("# a comment\n\n/a\n", Limits::default()).unwrap(),
            ["/a"]
        );
        let e = parse_uri_list("/a\n/b c\n", Limits::default()).unwrap_err();
        assert_eq!((e.position().line, e.position().column), (2, 3));
        let e = parse_uri_list("/a\n/b\n/c\n", Limits::default().with_max_lines(2)).unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::TooManyLines { limit: 2 });
        let e = parse_uri_list("/a\n/b\n", Limits::default().with_max_body_bytes(3)).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::BodyTooLarge { .. }));
        let e = UriListReader::new(
            "/aaaaaaaaaa\n".as_bytes(),
            Limits::default().with_max_line_bytes(4),
        )
        .next()
        .unwrap()
        .unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::LineTooLong { limit: 4, .. }));
    }
}
