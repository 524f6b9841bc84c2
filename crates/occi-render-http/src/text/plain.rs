//! text/plain (1.2 also text/occi+plain): the header lines of GFD.229 §4 in the body, one
//! `Name: value` line each; the whole-body reader, the streaming reader and the writer.

use super::{State, header_values};
use crate::error::at;
use crate::message::Message;
use crate::parser::utf8;
use crate::stream::{Item, Steps, next_item, next_line};
use crate::{Error, ErrorKind, Parsed, Parser, Warning};
use occi_model::fedcloud_core::Position;
use std::collections::VecDeque;
use std::io::BufRead;

impl Parser<'_> {
    /// Parses a text/plain body (also text/occi+plain): one `Name: value` line per header.
    /// Blank lines are skipped; values may also be comma-joined lists.
    ///
    /// # Errors
    /// The first syntax error, limit, strict-mode violation or type mismatch, with its
    /// position.
    pub fn parse_plain(&self, body: &str) -> Result<Parsed, Error> {
        self.check_body_size(body.len())?;
        let mut state = State::new(self);
        let mut offset = 0;
        for (line_no, raw) in (1..).zip(body.split_inclusive('\n')) {
            let line = raw
                .strip_suffix('\n')
                .map_or(raw, |l| l.strip_suffix('\r').unwrap_or(l));
            let base = Position::new(offset, line_no, 1);
            if !line.trim().is_empty() {
                state.line(line, base)?;
            }
            offset += raw.len();
        }
        state.finish()
    }

    /// Parses a text/plain body given as bytes.
    ///
    /// # Errors
    /// `NotUtf8` (at the first invalid byte), and as [`Parser::parse_plain`].
    pub fn parse_plain_bytes(&self, body: &[u8]) -> Result<Parsed, Error> {
        self.parse_plain(utf8(body)?)
    }

    /// Parses one element (a single category, link, attribute or location) of a header
    /// value, without typing; used by the streaming reader.
    pub(crate) fn parse_line_items(
        &self,
        line: &str,
        base: Position,
        warnings: &mut Vec<Warning>,
    ) -> Result<Message, Error> {
        let mut state = State::new(self);
        state.line(line, base)?;
        warnings.append(&mut state.warnings);
        Ok(state.msg)
    }
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
            let Some(taken) = next_line(
                &mut self.reader,
                &mut self.buf,
                self.parser.limits.max_line_bytes,
                pos,
            )?
            else {
                return Ok(false);
            };
            self.line += 1;
            let base = pos;
            // The bytes taken, line ends as they were (a CRLF is two).
            self.offset += taken;
            if self.offset > self.parser.limits.max_body_bytes {
                return Err(at(
                    ErrorKind::BodyTooLarge {
                        limit: self.parser.limits.max_body_bytes,
                        actual: self.offset,
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

#[cfg(test)]
mod tests;
