//! A JSON tree (RFC 8259) over a borrowed input, every node with its byte offset, for the
//! application/occi+json reader: strings without escapes are borrowed, members keep their
//! order, nesting is limited while reading, duplicate member names are found.
//!
//! `serde_json::Value` gave none of the offsets (so every shape and typing error pointed to
//! the start of the body), sorted members, silently kept the last of two equal names and
//! copied every string.

use crate::error::at;
use crate::{Error, ErrorKind};
use occi_model::fedcloud_core::Position;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashSet;

/// A JSON value and the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node<'a> {
    pub(crate) at: usize,
    pub(crate) v: Val<'a>,
}

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val<'a> {
    Null,
    Bool(bool),
    /// A number without fraction or exponent that fits an `i64`.
    Int(i64),
    /// Any other (finite) number.
    Float(f64),
    Str(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    /// The members in document order, names unique (see [`Tree::duplicates`]).
    Object(Vec<Member<'a>>),
}

/// One member of an object.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Member<'a> {
    pub(crate) key: Cow<'a, str>,
    pub(crate) key_at: usize,
    pub(crate) value: Node<'a>,
}

impl<'a> Node<'a> {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.v {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_array(&self) -> Option<&[Node<'a>]> {
        match &self.v {
            Val::Array(a) => Some(a),
            _ => None,
        }
    }

    pub(crate) fn as_object(&self) -> Option<&[Member<'a>]> {
        match &self.v {
            Val::Object(o) => Some(o),
            _ => None,
        }
    }

    pub(crate) const fn as_bool(&self) -> Option<bool> {
        match self.v {
            Val::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub(crate) const fn is_string(&self) -> bool {
        matches!(self.v, Val::Str(_))
    }

    pub(crate) const fn is_object(&self) -> bool {
        matches!(self.v, Val::Object(_))
    }
}

/// Whether `members` has one named `key`.
pub(crate) fn has(members: &[Member<'_>], key: &str) -> bool {
    members.iter().any(|m| m.key == key)
}

/// What the reader does with a member name given twice in one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Duplicates {
    /// An error at the second name.
    Refuse,
    /// The last one stays (as `serde_json` and most readers do); the offsets of the later
    /// names are collected in [`Tree::duplicates`].
    LastWins,
}

/// A parsed document.
#[derive(Debug)]
pub(crate) struct Tree<'a> {
    pub(crate) root: Node<'a>,
    /// Offsets of member names that replaced an earlier equal one ([`Duplicates::LastWins`]).
    pub(crate) duplicates: Vec<usize>,
}

/// Parses `src` as one JSON text that sits `outer` arrays and objects deep in its document:
/// nesting deeper than `max_depth` in all is [`ErrorKind::TooDeep`], malformed JSON
/// [`ErrorKind::Json`], both at the offending byte.
pub(crate) fn parse<'a>(
    src: &'a str,
    outer: usize,
    max_depth: usize,
    duplicates: Duplicates,
    lines: &Lines<'_>,
) -> Result<Tree<'a>, Error> {
    let mut p = TreeParser {
        s: src.as_bytes(),
        src,
        i: 0,
        depth: outer,
        max_depth,
        dup_mode: duplicates,
        duplicates: Vec::new(),
        items: Vec::new(),
        members: Vec::new(),
    };
    let root = p
        .ws_value()
        .and_then(|root| {
            p.ws();
            if p.i < p.s.len() {
                Err((
                    p.i,
                    Fail::Syntax("trailing characters after the JSON value"),
                ))
            } else {
                Ok(root)
            }
        })
        .map_err(|(offset, fail)| fail.into_error(offset, lines))?;
    Ok(Tree {
        root,
        duplicates: p.duplicates,
    })
}

/// The bytes that end a run of plain string content: `"`, `\` and the control characters.
#[expect(
    clippy::indexing_slicing,
    reason = "evaluated at compile time: an index out of bounds fails the build, it cannot panic"
)]
static STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

fn stops(b: u8) -> bool {
    STOP.get(usize::from(b)).copied().unwrap_or(true)
}

/// Why parsing failed (turned into an [`Error`] with a position at the end).
enum Fail {
    Syntax(&'static str),
    TooDeep(usize),
    Duplicate(String),
}

impl Fail {
    fn into_error(self, offset: usize, lines: &Lines<'_>) -> Error {
        let kind = match self {
            Self::Syntax(s) => ErrorKind::Json(s.to_owned()),
            Self::TooDeep(limit) => ErrorKind::TooDeep { limit },
            Self::Duplicate(k) => ErrorKind::JsonShape(format!("member {k:?} given twice")),
        };
        at(kind, lines.position(offset))
    }
}

type R<T> = Result<T, (usize, Fail)>;

struct TreeParser<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
    depth: usize,
    max_depth: usize,
    dup_mode: Duplicates,
    duplicates: Vec<usize>,
    /// Scratch stacks: the items and members of the containers being read, moved into a
    /// vector of the exact size when their container closes.
    items: Vec<Node<'a>>,
    members: Vec<Member<'a>>,
}

impl<'a> TreeParser<'a> {
    fn err<T>(&self, what: &'static str) -> R<T> {
        Err((self.i, Fail::Syntax(what)))
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn ws_value(&mut self) -> R<Node<'a>> {
        self.ws();
        self.value()
    }

    fn literal(&mut self, word: &'static [u8], v: Val<'a>) -> R<Node<'a>> {
        let at = self.i;
        if self.s.get(self.i..self.i + word.len()) == Some(word) {
            self.i += word.len();
            Ok(Node { at, v })
        } else {
            self.err("a JSON value")
        }
    }

    fn value(&mut self) -> R<Node<'a>> {
        let at = self.i;
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => Ok(Node {
                at,
                v: Val::Str(self.string()?),
            }),
            Some(b't') => self.literal(b"true", Val::Bool(true)),
            Some(b'f') => self.literal(b"false", Val::Bool(false)),
            Some(b'n') => self.literal(b"null", Val::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            None => self.err("a JSON value, not the end of the input"),
            Some(_) => self.err("a JSON value"),
        }
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err((self.i, Fail::TooDeep(self.max_depth)));
        }
        self.i += 1;
        Ok(())
    }

    fn array(&mut self) -> R<Node<'a>> {
        let at = self.i;
        self.enter()?;
        let base = self.items.len();
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
        } else {
            loop {
                let item = self.ws_value()?;
                self.items.push(item);
                self.ws();
                match self.peek() {
                    Some(b',') => self.i += 1,
                    Some(b']') => {
                        self.i += 1;
                        break;
                    }
                    _ => return self.err("',' or ']'"),
                }
            }
        }
        self.depth -= 1;
        let items = self.items.drain(base..).collect();
        Ok(Node {
            at,
            v: Val::Array(items),
        })
    }

    fn object(&mut self) -> R<Node<'a>> {
        let at = self.i;
        self.enter()?;
        let base = self.members.len();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
        } else {
            loop {
                if self.peek() != Some(b'"') {
                    return self.err("a member name (a string)");
                }
                let key_at = self.i;
                let key = self.string()?;
                self.ws();
                if self.peek() != Some(b':') {
                    return self.err("':'");
                }
                self.i += 1;
                let value = self.ws_value()?;
                self.members.push(Member { key, key_at, value });
                self.ws();
                match self.peek() {
                    Some(b',') => {
                        self.i += 1;
                        self.ws();
                    }
                    Some(b'}') => {
                        self.i += 1;
                        break;
                    }
                    _ => return self.err("',' or '}'"),
                }
            }
        }
        self.depth -= 1;
        let mut members: Vec<Member<'a>> = self.members.drain(base..).collect();
        if members.len() > 1 {
            self.unique(&mut members)?;
        }
        Ok(Node {
            at,
            v: Val::Object(members),
        })
    }

    /// Finds member names given twice: refused, or all but the last dropped.
    fn unique(&mut self, members: &mut Vec<Member<'a>>) -> R<()> {
        // Index pairs (earlier, later) of equal names, the later in document order.
        let mut later = Vec::new();
        if members.len() <= 16 {
            for j in 1..members.len() {
                if let Some((m, before)) = members.get(..=j).and_then(<[_]>::split_last)
                    && before.iter().any(|b| b.key == m.key)
                {
                    later.push(j);
                }
            }
        } else {
            let mut order: Vec<usize> = (0..members.len()).collect();
            order.sort_by(|&a, &b| {
                let ka = members.get(a).map(|m| &m.key);
                let kb = members.get(b).map(|m| &m.key);
                ka.cmp(&kb).then(a.cmp(&b))
            });
            for w in order.windows(2) {
                if let [a, b] = *w
                    && members.get(a).map(|m| &m.key) == members.get(b).map(|m| &m.key)
                {
                    later.push(b);
                }
            }
            later.sort_unstable();
        }
        let Some(&first) = later.first() else {
            return Ok(());
        };
        if self.dup_mode == Duplicates::Refuse {
            let m = members.get(first);
            return Err((
                m.map_or(self.i, |m| m.key_at),
                Fail::Duplicate(m.map(|m| m.key.to_string()).unwrap_or_default()),
            ));
        }
        self.duplicates.extend(
            later
                .iter()
                .filter_map(|&j| members.get(j).map(|m| m.key_at)),
        );
        // Keep the last of each name: walk backwards, dropping a member whose name is seen.
        let mut seen: HashSet<Cow<'a, str>> = HashSet::with_capacity(members.len());
        let mut kept = Vec::with_capacity(members.len());
        for m in members.drain(..).rev() {
            if seen.insert(m.key.clone()) {
                kept.push(m);
            }
        }
        kept.reverse();
        *members = kept;
        Ok(())
    }

    /// A string starting at the `"` under the cursor; borrowed when it has no escape.
    fn string(&mut self) -> R<Cow<'a, str>> {
        self.i += 1;
        let start = self.i;
        let rest = self.s.get(start..).unwrap_or_default();
        // Most strings are short names and values: a table beats a vector search here.
        let Some(n) = rest.iter().position(|&b| stops(b)) else {
            return self.string_error(start);
        };
        self.i = start + n;
        if rest.get(n) == Some(&b'"') {
            let s = self.src.get(start..self.i).unwrap_or_default();
            self.i += 1;
            return Ok(Cow::Borrowed(s));
        }
        if rest.get(n) != Some(&b'\\') {
            return self.string_error(start);
        }
        let mut out = String::from(self.src.get(start..self.i).unwrap_or_default());
        loop {
            let run = self.i;
            while let Some(b) = self.peek() {
                if stops(b) {
                    break;
                }
                self.i += 1;
            }
            out.push_str(self.src.get(run..self.i).unwrap_or_default());
            match self.peek() {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => return self.err("no control character inside a string"),
                None => return self.err("'\"' closing the string"),
            }
        }
    }

    /// The error of a string from `start` that has a control character or no end.
    fn string_error<T>(&mut self, start: usize) -> R<T> {
        self.i = start;
        while let Some(b) = self.peek() {
            if b < 0x20 {
                return self.err("no control character inside a string");
            }
            self.i += 1;
        }
        self.err("'\"' closing the string")
    }

    /// The escape sequence under the cursor (RFC 8259 §7).
    fn escape(&mut self, out: &mut String) -> R<()> {
        self.i += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let hi = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    if self.s.get(self.i..self.i + 2) != Some(b"\\u") {
                        return self.err("a low surrogate after a high surrogate");
                    }
                    self.i += 1;
                    let lo = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return self.err("a low surrogate after a high surrogate");
                    }
                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                } else if (0xDC00..0xE000).contains(&hi) {
                    return self.err("no lone low surrogate");
                } else {
                    hi
                };
                let Some(c) = char::from_u32(code) else {
                    return self.err("a Unicode scalar value");
                };
                out.push(c);
                return Ok(());
            }
            _ => return self.err("an escape: one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u"),
        };
        self.i += 1;
        out.push(c);
        Ok(())
    }

    /// `uXXXX` with the cursor on the `u`; leaves the cursor after the digits.
    fn hex4(&mut self) -> R<u32> {
        self.i += 1;
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return self.err("four hexadecimal digits after \\u"),
            };
            v = v * 16 + u32::from(d);
            self.i += 1;
        }
        Ok(v)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    /// `-? (0 / [1-9] *DIGIT) [. 1*DIGIT] [(e/E) [+/-] 1*DIGIT]` (RFC 8259 §6).
    fn number(&mut self) -> R<Node<'a>> {
        let at = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return self.err("a digit"),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.i += 1;
            integer = false;
            if self.digits() == 0 {
                return self.err("a digit after '.'");
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            integer = false;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return self.err("a digit in the exponent");
            }
        }
        let text = self.src.get(at..self.i).unwrap_or_default();
        if integer && let Ok(i) = text.parse::<i64>() {
            return Ok(Node { at, v: Val::Int(i) });
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Node {
                at,
                v: Val::Float(f),
            }),
            _ => Err((at, Fail::Syntax("a number within the range of a double"))),
        }
    }
}

/// Turns byte offsets of one input into positions (line and column counted in characters),
/// with an index of line starts built on the first call.
#[derive(Debug)]
pub(crate) struct Lines<'a> {
    src: &'a str,
    base: Position,
    starts: OnceCell<Vec<usize>>,
}

impl<'a> Lines<'a> {
    /// Positions in `src`, which starts at `base` of a larger input.
    pub(crate) const fn new(src: &'a str, base: Position) -> Self {
        Self {
            src,
            base,
            starts: OnceCell::new(),
        }
    }

    pub(crate) fn position(&self, offset: usize) -> Position {
        let starts = self.starts.get_or_init(|| {
            let mut v = vec![0];
            v.extend(memchr::memchr_iter(b'\n', self.src.as_bytes()).map(|i| i + 1));
            v
        });
        let offset = offset.min(self.src.len());
        let line = starts.partition_point(|&s| s <= offset).max(1);
        let start = starts.get(line - 1).copied().unwrap_or(0);
        let column = self
            .src
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        let b = self.base;
        Position::new(
            b.offset + offset,
            b.line + line - 1,
            if line == 1 {
                b.column + column - 1
            } else {
                column
            },
        )
    }
}
