//! A streaming reader of application/occi+json collections: one entity or category at a
//! time from a [`BufRead`], so a listing of any length is read in the memory of its largest
//! member.

use super::read::{Document, collection_class};
use super::tree::{self, Duplicates, Lines};
use crate::error::at;
use crate::stream::{Item, Steps, next_item};
use crate::{Error, ErrorKind, Leniency, Parser, Violation, Warning};
use occi_model::CategoryClass;
use occi_model::fedcloud_core::Position;
use std::collections::VecDeque;
use std::io::BufRead;

/// The members of an application/occi+json collection, read one at a time from a
/// [`BufRead`]: the entities of `resources` and `links` (GFD.225 §3.3) as
/// [`Item::Entity`], the categories of a model listing (`kinds`, `mixins`, `actions`) as
/// [`Item::Category`], and the strings of a location array as [`Item::Location`].
///
/// Each member is read whole and checked, typed and positioned exactly as
/// [`Parser::parse_json`] does it, so the items are the entities and categories
/// `parse_json` returns for the same body. Memory is bounded by the largest member:
/// [`Limits::max_body_bytes`](crate::Limits::max_body_bytes) caps each member (and each other
/// top-level member), not the body, and [`Limits::max_depth`](crate::Limits::max_depth)
/// counts from the top of the document.
///
/// The document is read as a collection: a top-level `kind` (an entity rendering) or a
/// top-level `action` naming a type identifier (an action invocation) is an error; read
/// those with `parse_json`. A
/// top-level member given twice is refused in strict modes; in lenient mode both are read
/// (a streamed member cannot be taken back), with a [`Leniency::DuplicateAttribute`] warning.
///
/// ```
/// use occi_render_http::{Item, Mode, Parser, JsonCollectionReader};
/// let body = r#"{"resources": [
///   {"kind": "http://schemas.ogf.org/occi/infrastructure#compute", "id": "a"},
///   {"kind": "http://schemas.ogf.org/occi/infrastructure#storage", "id": "b"}
/// ]}"#;
/// let parser = Parser::new(Mode::Strict12);
/// let mut ids = Vec::new();
/// for item in JsonCollectionReader::new(&parser, body.as_bytes()) {
///     if let Item::Entity(e) = item? {
///         ids.push(e.attribute("occi.core.id").unwrap().to_string());
///     }
/// }
/// assert_eq!(ids, ["a", "b"]);
/// # Ok::<(), occi_render_http::Error>(())
/// ```
#[derive(Debug)]
pub struct JsonCollectionReader<'p, 'm, R> {
    parser: &'p Parser<'m>,
    reader: R,
    /// Where the next unread byte is.
    here: Position,
    state: State,
    buf: Vec<u8>,
    seen: Vec<String>,
    pending: VecDeque<Item>,
    warnings: Vec<Warning>,
    findings: Vec<Violation>,
    done: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    /// Inside the top-level object, before a member (`first`: no `,` expected).
    Members {
        first: bool,
    },
    /// Inside an array under a top-level member.
    Array {
        of: Of,
        first: bool,
    },
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Of {
    Locations,
    Entities,
    Categories(CategoryClass),
}

impl<'p, 'm, R: BufRead> JsonCollectionReader<'p, 'm, R> {
    /// A reader of `reader` with the mode, model and limits of `parser`.
    pub fn new(parser: &'p Parser<'m>, reader: R) -> Self {
        Self {
            parser,
            reader,
            here: Position::START,
            state: State::Start,
            buf: Vec::new(),
            seen: Vec::new(),
            pending: VecDeque::new(),
            warnings: Vec::new(),
            findings: Vec::new(),
            done: false,
        }
    }

    /// The leniencies used so far.
    #[must_use]
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// What the model's validation found in the members read so far (see
    /// [`Parsed::findings`](crate::Parsed::findings)).
    #[must_use]
    pub fn findings(&self) -> &[Violation] {
        &self.findings
    }

    fn syntax(&self, what: &str) -> Error {
        at(ErrorKind::Json(what.to_owned()), self.here)
    }

    fn io(&self) -> Error {
        at(ErrorKind::Syntax("readable input"), self.here)
    }

    fn peek(&mut self) -> Result<Option<u8>, Error> {
        match self.reader.fill_buf() {
            Ok(b) => Ok(b.first().copied()),
            Err(_) => Err(self.io()),
        }
    }

    fn bump(&mut self, b: u8) {
        self.reader.consume(1);
        self.here = advance(self.here, &[b]);
    }

    fn skip_ws(&mut self) -> Result<Option<u8>, Error> {
        loop {
            let Ok(chunk) = self.reader.fill_buf() else {
                return Err(self.io());
            };
            let n = chunk
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(chunk.len());
            let next = chunk.get(n).copied();
            let here = advance(self.here, chunk.get(..n).unwrap_or_default());
            let end = chunk.is_empty();
            self.reader.consume(n);
            self.here = here;
            if next.is_some() || end {
                return Ok(next);
            }
        }
    }

    /// Reads one JSON value (whose first byte is next) into `buf`, without interpreting
    /// it: strings, escapes and nesting are followed only to find where it ends. Returns
    /// where it starts.
    fn take_value(&mut self) -> Result<Position, Error> {
        let start = self.here;
        let limit = self.parser.limits.max_body_bytes;
        self.buf.clear();
        let (mut depth, mut in_str, mut esc) = (0usize, false, false);
        loop {
            let Ok(chunk) = self.reader.fill_buf() else {
                return Err(self.io());
            };
            if chunk.is_empty() {
                if depth == 0 && !in_str && !self.buf.is_empty() {
                    return Ok(start);
                }
                return Err(self.syntax("the rest of the value, not the end of the input"));
            }
            let mut n = 0;
            let mut done = false;
            for &b in chunk {
                if in_str {
                    n += 1;
                    if esc {
                        esc = false;
                    } else if b == b'\\' {
                        esc = true;
                    } else if b == b'"' {
                        in_str = false;
                        if depth == 0 {
                            done = true;
                            break;
                        }
                    }
                    continue;
                }
                match b {
                    b'"' => in_str = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth > 0 => {
                        depth -= 1;
                        if depth == 0 {
                            n += 1;
                            done = true;
                            break;
                        }
                    }
                    // The end of a number or literal: the byte is not part of it.
                    b'}' | b']' | b',' | b' ' | b'\t' | b'\n' | b'\r' if depth == 0 => {
                        done = true;
                        break;
                    }
                    _ => {}
                }
                n += 1;
            }
            let taken = chunk.get(..n).unwrap_or_default();
            if self.buf.len() + taken.len() > limit {
                return Err(at(
                    ErrorKind::BodyTooLarge {
                        limit,
                        actual: self.buf.len() + taken.len(),
                    },
                    start,
                ));
            }
            self.here = advance(self.here, taken);
            self.buf.extend_from_slice(taken);
            self.reader.consume(n);
            if done {
                return Ok(start);
            }
        }
    }

    /// The value in `buf` as text.
    fn text(&self, start: Position) -> Result<&str, Error> {
        std::str::from_utf8(&self.buf).map_err(|e| {
            let ok = self.buf.get(..e.valid_up_to()).unwrap_or_default();
            at(ErrorKind::NotUtf8, advance(start, ok))
        })
    }

    /// The string value in `buf` (a member name or a location).
    fn string(&self, start: Position, what: &str) -> Result<String, Error> {
        let src = self.text(start)?;
        let lines = Lines::new(src, start);
        let tree = tree::parse(
            src,
            1,
            self.parser.limits.max_depth,
            Duplicates::Refuse,
            &lines,
        )?;
        tree.root
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| at(ErrorKind::JsonShape(what.to_owned()), start))
    }

    /// The member in `buf`, read as `expect`, at `outer` levels deep.
    fn member(&mut self, start: Position, expect: Document, outer: usize) -> Result<(), Error> {
        let src = self.text(start)?;
        let lines = Lines::new(src, start);
        let (read, warnings, findings) = self.parser.read_json(src, &lines, outer, expect)?;
        self.warnings.extend(warnings);
        self.findings.extend(findings);
        let mut m = read.message;
        match expect {
            Document::Category(_) => self
                .pending
                .extend(m.categories.drain(..).map(Item::Category)),
            _ => self.pending.push_back(Item::Entity(m)),
        }
        Ok(())
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), Error> {
        match self.skip_ws()? {
            Some(b) if b == byte => {
                self.bump(b);
                Ok(())
            }
            _ => Err(self.syntax(what)),
        }
    }
}

impl<R: BufRead> Steps for JsonCollectionReader<'_, '_, R> {
    fn queue(&mut self) -> (&mut VecDeque<Item>, &mut bool) {
        (&mut self.pending, &mut self.done)
    }

    /// Reads until at least one item is pending or the document ends (`Ok(false)`).
    fn step(&mut self) -> Result<bool, Error> {
        let max_depth = self.parser.limits.max_depth;
        loop {
            match self.state {
                State::Start => {
                    match self.skip_ws()? {
                        Some(b @ b'{') => {
                            self.state = State::Members { first: true };
                            self.bump(b);
                        }
                        Some(b @ b'[') => {
                            self.state = State::Array {
                                of: Of::Locations,
                                first: true,
                            };
                            self.bump(b);
                        }
                        None => return Err(self.syntax("a JSON value, not the end of the input")),
                        Some(_) => {
                            return Err(at(
                                ErrorKind::JsonShape(
                                    "the document must be an object or an array".into(),
                                ),
                                self.here,
                            ));
                        }
                    }
                    if max_depth == 0 {
                        return Err(at(ErrorKind::TooDeep { limit: max_depth }, self.here));
                    }
                }
                State::Members { first } => {
                    let Some(b) = self.skip_ws()? else {
                        return Err(self.syntax("',' or '}'"));
                    };
                    if b == b'}' {
                        self.bump(b);
                        self.state = State::End;
                        continue;
                    }
                    if !first {
                        self.expect(b',', "',' or '}'")?;
                    }
                    if self.skip_ws()? != Some(b'"') {
                        return Err(self.syntax("a member name (a string)"));
                    }
                    let key_at = self.take_value()?;
                    let key = self.string(key_at, "a member name")?;
                    self.expect(b':', "':'")?;
                    self.skip_ws()?;
                    self.state = State::Members { first: false };
                    if self.seen.contains(&key) {
                        crate::options::lenient(
                            self.parser.mode,
                            &mut self.warnings,
                            Leniency::DuplicateAttribute,
                            key_at,
                        )
                        .map_err(|_| {
                            at(
                                ErrorKind::JsonShape(format!("member {key:?} given twice")),
                                key_at,
                            )
                        })?;
                    } else {
                        self.seen.push(key.clone());
                    }
                    let of = match key.as_str() {
                        "resources" | "links" => Of::Entities,
                        "kinds" | "mixins" | "actions" => Of::Categories(collection_class(&key)),
                        "kind" => {
                            return Err(at(
                                ErrorKind::JsonShape(
                                    "/kind: an entity rendering, not a collection".into(),
                                ),
                                key_at,
                            ));
                        }
                        "term" | "scheme" => {
                            return Err(at(
                                ErrorKind::JsonShape(format!(
                                    "/{key}: a category rendering, not a collection"
                                )),
                                key_at,
                            ));
                        }
                        "action" if self.peek()? == Some(b'"') => {
                            return Err(at(
                                ErrorKind::JsonShape(
                                    "/action: an action invocation, not a collection".into(),
                                ),
                                key_at,
                            ));
                        }
                        "action" => {
                            let start = self.take_value()?;
                            self.member(start, Document::Invocation, 1)?;
                            return Ok(true);
                        }
                        _ => {
                            crate::options::lenient(
                                self.parser.mode,
                                &mut self.warnings,
                                Leniency::UnknownJsonMember,
                                key_at,
                            )
                            .map_err(|_| {
                                at(
                                    ErrorKind::JsonShape(format!("unknown member /{key}")),
                                    key_at,
                                )
                            })?;
                            // Read (and check) the value, then drop it.
                            let start = self.take_value()?;
                            let src = self.text(start)?;
                            let lines = Lines::new(src, start);
                            tree::parse(src, 1, max_depth, Duplicates::LastWins, &lines)?;
                            continue;
                        }
                    };
                    if self.peek()? != Some(b'[') {
                        return Err(at(
                            ErrorKind::JsonShape(format!("/{key} must be an array")),
                            self.here,
                        ));
                    }
                    if max_depth < 2 {
                        return Err(at(ErrorKind::TooDeep { limit: max_depth }, self.here));
                    }
                    self.bump(b'[');
                    self.state = State::Array { of, first: true };
                }
                State::Array { of, first } => {
                    let Some(b) = self.skip_ws()? else {
                        return Err(self.syntax("',' or ']'"));
                    };
                    let outer = if of == Of::Locations { 1 } else { 2 };
                    if b == b']' {
                        self.bump(b);
                        self.state = if of == Of::Locations {
                            State::End
                        } else {
                            State::Members { first: false }
                        };
                        continue;
                    }
                    if !first {
                        self.expect(b',', "',' or ']'")?;
                        self.skip_ws()?;
                    }
                    self.state = State::Array { of, first: false };
                    let start = self.take_value()?;
                    match of {
                        Of::Locations => {
                            let location = self.string(start, "a location must be a string")?;
                            self.pending.push_back(Item::Location(location));
                        }
                        Of::Entities => self.member(start, Document::Entity, outer)?,
                        Of::Categories(class) => {
                            self.member(start, Document::Category(class), outer)?;
                        }
                    }
                    return Ok(true);
                }
                State::End => {
                    return match self.skip_ws()? {
                        None => Ok(false),
                        Some(_) => Err(self.syntax("trailing characters after the JSON value")),
                    };
                }
            }
        }
    }
}

/// `p` moved over `bytes` (columns count characters).
fn advance(mut p: Position, bytes: &[u8]) -> Position {
    p.offset += bytes.len();
    match memchr::memrchr(b'\n', bytes) {
        Some(last) => {
            p.line += memchr::memchr_iter(b'\n', bytes).count();
            p.column = 1 + chars(bytes.get(last + 1..).unwrap_or_default());
        }
        None => p.column += chars(bytes),
    }
    p
}

/// The number of characters in `bytes` (UTF-8 continuation bytes are not counted).
fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

impl<R: BufRead> Iterator for JsonCollectionReader<'_, '_, R> {
    type Item = Result<Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        next_item(self)
    }
}

#[cfg(test)]
mod tests;
