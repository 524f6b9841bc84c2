//! Streaming readers over a [`BufRead`]: text/plain bodies item by item, and text/uri-list
//! (JSON collections: [`crate::JsonCollectionReader`]).
//!
//! Memory stays bounded by one line ([`Limits::max_line_bytes`]) plus the items of that line,
//! whatever the size of the body, so a model listing or a collection of millions of
//! locations is read without buffering the body.

use crate::error::at;
use crate::message::{CategoryRendering, LinkRendering, Message};
use crate::text::utf8;
use crate::{Error, ErrorKind, Limits, Parser, Warning};
use occi_model::fedcloud_core::Position;
use occi_model::{AttributeValue, EntityId};
use std::collections::VecDeque;
use std::io::{BufRead, Read};

/// One item of a text/plain body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Item {
    /// A `Category` (one element of the line).
    Category(CategoryRendering),
    /// A `Link`.
    Link(LinkRendering),
    /// An `X-OCCI-Attribute` (typed by its syntax only: typing needs the whole entity).
    Attribute(String, AttributeValue),
    /// An `X-OCCI-Location` (or a string of a JSON location array).
    Location(String),
    /// A whole entity of a JSON collection ([`JsonCollectionReader`](crate::JsonCollectionReader)),
    /// typed through the model.
    Entity(Message),
}

/// Reads one line of at most `limit` bytes (plus the newline) into `buf`; `Ok(false)` at the
/// end of input.
fn next_line<R: BufRead>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    limit: usize,
    pos: Position,
) -> Result<bool, Error> {
    buf.clear();
    let n = reader
        .by_ref()
        .take(limit as u64 + 2)
        .read_until(b'\n', buf)
        .map_err(|_| at(ErrorKind::Syntax("readable input"), pos))?;
    if n == 0 {
        return Ok(false);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    }
    if buf.len() > limit {
        return Err(at(
            ErrorKind::LineTooLong {
                limit,
                actual: buf.len(),
            },
            pos,
        ));
    }
    Ok(true)
}

/// The items of a text/plain body, read line by line from a [`BufRead`].
///
/// ```
/// use occi_render_http::{Item, Mode, PlainReader, Parser};
/// let body = "X-OCCI-Location: /compute/1\nX-OCCI-Location: /compute/2, /compute/3\n";
/// let parser = Parser::new(Mode::Strict12);
/// let locations: Vec<Item> = PlainReader::new(&parser, body.as_bytes()).collect::<Result<_, _>>()?;
/// assert_eq!(locations.len(), 3);
/// assert_eq!(locations[2], Item::Location("/compute/3".into()));
/// # Ok::<(), occi_render_http::Error>(())
/// ```
#[derive(Debug)]
pub struct PlainReader<'p, 'm, R> {
    parser: &'p Parser<'m>,
    reader: R,
    buf: Vec<u8>,
    line: usize,
    offset: usize,
    pending: VecDeque<Item>,
    warnings: Vec<Warning>,
    done: bool,
}

impl<'p, 'm, R: BufRead> PlainReader<'p, 'm, R> {
    /// A reader of `reader` with the mode and limits of `parser`.
    pub fn new(parser: &'p Parser<'m>, reader: R) -> Self {
        Self {
            parser,
            reader,
            buf: Vec::new(),
            line: 0,
            offset: 0,
            pending: VecDeque::new(),
            warnings: Vec::new(),
            done: false,
        }
    }

    /// The leniencies used so far.
    #[must_use]
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    fn fill(&mut self) -> Result<bool, Error> {
        loop {
            let pos = Position::new(self.offset, self.line + 1, 1);
            if !next_line(
                &mut self.reader,
                &mut self.buf,
                self.parser.limits.max_line_bytes,
                pos,
            )? {
                return Ok(false);
            }
            self.line += 1;
            let base = pos;
            self.offset += self.buf.len() + 1;
            if self.offset > self.parser.limits.max_body_bytes.saturating_add(1) {
                return Err(at(
                    ErrorKind::BodyTooLarge {
                        limit: self.parser.limits.max_body_bytes,
                        actual: self.offset - 1,
                    },
                    base,
                ));
            }
            if self.line > self.parser.limits.max_lines {
                return Err(at(
                    ErrorKind::TooManyLines {
                        limit: self.parser.limits.max_lines,
                    },
                    base,
                ));
            }
            let line = utf8(&self.buf).map_err(|e| {
                let p = e.position();
                at(
                    ErrorKind::NotUtf8,
                    Position::new(base.offset + p.offset, base.line, p.column),
                )
            })?;
            if line.trim().is_empty() {
                continue;
            }
            let m = self
                .parser
                .parse_line_items(line, base, &mut self.warnings)?;
            self.pending
                .extend(m.categories.into_iter().map(Item::Category));
            self.pending.extend(m.links.into_iter().map(Item::Link));
            self.pending
                .extend(m.attributes.into_iter().map(|(n, v)| Item::Attribute(n, v)));
            self.pending
                .extend(m.locations.into_iter().map(Item::Location));
            return Ok(true);
        }
    }
}

/// A reader that reads its input a step at a time into a queue of items.
pub(crate) trait Steps {
    /// The items read and not yet handed out, and whether the reader has finished.
    fn queue(&mut self) -> (&mut VecDeque<Item>, &mut bool);
    /// Reads until an item is queued (`Ok(true)`) or the input ends (`Ok(false)`).
    fn step(&mut self) -> Result<bool, Error>;
}

/// The next item of `reader`: from its queue, else after another step; nothing after the
/// end or the first error.
pub(crate) fn next_item<S: Steps>(reader: &mut S) -> Option<Result<Item, Error>> {
    loop {
        let (pending, done) = reader.queue();
        if let Some(item) = pending.pop_front() {
            return Some(Ok(item));
        }
        if *done {
            return None;
        }
        let r = reader.step();
        if !matches!(r, Ok(true)) {
            *reader.queue().1 = true;
        }
        if let Err(e) = r {
            return Some(Err(e));
        }
    }
}

impl<R: BufRead> Steps for PlainReader<'_, '_, R> {
    fn queue(&mut self) -> (&mut VecDeque<Item>, &mut bool) {
        (&mut self.pending, &mut self.done)
    }

    fn step(&mut self) -> Result<bool, Error> {
        self.fill()
    }
}

impl<R: BufRead> Iterator for PlainReader<'_, '_, R> {
    type Item = Result<Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        next_item(self)
    }
}

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
            if !next_line(
                &mut self.reader,
                &mut self.buf,
                self.limits.max_line_bytes,
                pos,
            )? {
                return Ok(None);
            }
            self.line += 1;
            self.offset += self.buf.len() + 1;
            if self.line > self.limits.max_lines {
                return Err(at(
                    ErrorKind::TooManyLines {
                        limit: self.limits.max_lines,
                    },
                    pos,
                ));
            }
            if self.offset > self.limits.max_body_bytes.saturating_add(1) {
                return Err(at(
                    ErrorKind::BodyTooLarge {
                        limit: self.limits.max_body_bytes,
                        actual: self.offset - 1,
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

/// Renders locations as text/uri-list (RFC 2483: CRLF after each URI).
#[must_use]
pub fn render_uri_list<S: AsRef<str>>(locations: &[S]) -> String {
    let mut out = String::with_capacity(locations.iter().map(|l| l.as_ref().len() + 2).sum());
    for l in locations {
        out.push_str(l.as_ref());
        out.push_str("\r\n");
    }
    out
}
