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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tree(src: &str, dups: Duplicates) -> Result<Tree<'_>, Error> {
        parse(src, 0, 64, dups, &Lines::new(src, Position::START))
    }

    fn value(src: &str) -> Result<Val<'_>, Error> {
        tree(src, Duplicates::Refuse).map(|t| t.root.v)
    }

    fn fails_at(src: &str) -> (usize, usize, String) {
        let e = tree(src, Duplicates::Refuse).unwrap_err();
        (e.position().line, e.position().column, e.kind().to_string())
    }

    /// As `serde_json` sees it, to compare the two readers.
    fn to_serde(n: &Node<'_>) -> serde_json::Value {
        match &n.v {
            Val::Null => serde_json::Value::Null,
            Val::Bool(b) => (*b).into(),
            Val::Int(i) => (*i).into(),
            Val::Float(f) => (*f).into(),
            Val::Str(s) => s.to_string().into(),
            Val::Array(a) => a.iter().map(to_serde).collect(),
            Val::Object(o) => o
                .iter()
                .map(|m| (m.key.to_string(), to_serde(&m.value)))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(value("0").unwrap(), Val::Int(0));
        assert_eq!(value("-0").unwrap(), Val::Int(0));
        assert_eq!(value("9223372036854775807").unwrap(), Val::Int(i64::MAX));
        assert_eq!(value("-9223372036854775808").unwrap(), Val::Int(i64::MIN));
        assert_eq!(
            value("9223372036854775808").unwrap(),
            Val::Float(9_223_372_036_854_775_808.0)
        );
        assert_eq!(value("1.5e2").unwrap(), Val::Float(150.0));
        assert_eq!(value("1E-2").unwrap(), Val::Float(0.01));
        assert_eq!(value("2.0").unwrap(), Val::Float(2.0));
        for bad in [
            "01", "1.", ".5", "-", "1e", "1e+", "+1", "0x10", "NaN", "Infinity",
        ] {
            assert!(value(bad).is_err(), "{bad}");
        }
        let (_, column, kind) = fails_at("[1, 1e400]");
        assert_eq!(
            (column, kind.as_str()),
            (5, "malformed JSON: a number within the range of a double")
        );
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(
            value(r#""plain""#).unwrap(),
            Val::Str(Cow::Borrowed("plain"))
        );
        assert!(matches!(
            value(r#""plain""#).unwrap(),
            Val::Str(Cow::Borrowed(_))
        ));
        assert_eq!(
            value(r#""a\"b\\c\/d\b\f\n\r\t""#).unwrap(),
            Val::Str("a\"b\\c/d\u{8}\u{c}\n\r\t".into())
        );
        assert_eq!(value(r#""\u00e9\u20AC""#).unwrap(), Val::Str("é€".into()));
        assert_eq!(value(r#""\ud83d\ude00""#).unwrap(), Val::Str("😀".into()));
        assert_eq!(value("\"né\"").unwrap(), Val::Str("né".into()));
        for bad in [
            r#""\ud83d""#,
            r#""\ud83dx""#,
            r#""\ud83d\u0041""#,
            r#""\ude00""#,
            r#""\x""#,
            r#""\u12""#,
            "\"tab\there\"",
            "\"open",
            "\"open\\",
        ] {
            assert!(value(bad).is_err(), "{bad}");
        }
        assert_eq!(fails_at("{\"a\":\n \"x\u{1}\"}").0, 2);
        assert_eq!(fails_at("{\"a\":\n \"x\u{1}\"}").1, 4);
    }

    #[test]
    fn structure_errors_point_at_the_byte() {
        assert_eq!(fails_at("{\"a\" 1}").1, 6);
        assert_eq!(fails_at("[1 2]").1, 4);
        assert_eq!(fails_at("{\"a\":1,}").1, 8);
        assert_eq!(fails_at("[1,]").1, 4);
        assert_eq!(fails_at("{} x").1, 4);
        assert_eq!(
            fails_at("").2,
            "malformed JSON: a JSON value, not the end of the input"
        );
        assert_eq!(fails_at("\n\n  tru").0, 3);
        assert_eq!(fails_at("{1:2}").1, 2);
    }

    #[test]
    fn depth_is_limited_while_reading() {
        let lines = Lines::new("", Position::START);
        let ok = format!("{}{}", "[".repeat(3), "]".repeat(3));
        assert!(parse(&ok, 0, 3, Duplicates::Refuse, &lines).is_ok());
        let e = parse(&ok, 1, 3, Duplicates::Refuse, &lines).unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::TooDeep { limit: 3 });
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = parse(
            &deep,
            0,
            64,
            Duplicates::Refuse,
            &Lines::new(&deep, Position::START),
        )
        .unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::TooDeep { limit: 64 });
        assert_eq!(e.position().column, 65);
    }

    #[test]
    fn duplicate_members() {
        let src = "{\"a\": 1,\n \"b\": 2,\n \"a\": 3}";
        let e = tree(src, Duplicates::Refuse).unwrap_err();
        assert_eq!(
            e.kind(),
            &ErrorKind::JsonShape("member \"a\" given twice".into())
        );
        assert_eq!((e.position().line, e.position().column), (3, 2));
        let t = tree(src, Duplicates::LastWins).unwrap();
        assert_eq!(t.duplicates, [src.rfind("\"a\"").unwrap()]);
        assert_eq!(to_serde(&t.root), serde_json::json!({"b": 2, "a": 3}));
        let keys: Vec<&str> = t
            .root
            .as_object()
            .unwrap()
            .iter()
            .map(|m| &*m.key)
            .collect();
        assert_eq!(keys, ["b", "a"]);
        // Past 16 members the names are sorted to find duplicates.
        let many: Vec<String> = (0..40).map(|i| format!("\"k{}\": {i}", i % 30)).collect();
        let src = format!("{{{}}}", many.join(","));
        assert!(tree(&src, Duplicates::Refuse).is_err());
        let t = tree(&src, Duplicates::LastWins).unwrap();
        assert_eq!(t.duplicates.len(), 10);
        assert_eq!(t.root.as_object().unwrap().len(), 30);
        assert_eq!(
            to_serde(&t.root),
            serde_json::from_str::<serde_json::Value>(&src).unwrap()
        );
        let unique: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        assert!(tree(&format!("{{{}}}", unique.join(",")), Duplicates::Refuse).is_ok());
    }

    #[test]
    fn lines_count_characters_from_a_base() {
        let src = "ab\néé\nx";
        let l = Lines::new(src, Position::START);
        assert_eq!(l.position(0), Position::new(0, 1, 1));
        assert_eq!(l.position(3), Position::new(3, 2, 1));
        assert_eq!(l.position(7), Position::new(7, 2, 3));
        assert_eq!(l.position(8), Position::new(8, 3, 1));
        let l = Lines::new(src, Position::new(100, 5, 10));
        assert_eq!(l.position(1), Position::new(101, 5, 11));
        assert_eq!(l.position(8), Position::new(108, 7, 1));
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(Into::into),
            // (Integers past i64::MAX become doubles here, unlike serde_json: see `numbers`.)
            any::<i64>().prop_map(Into::into),
            (-1e300f64..1e300).prop_map(Into::into),
            any::<String>().prop_map(Into::into),
        ];
        leaf.prop_recursive(6, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Into::into),
                prop::collection::btree_map(any::<String>(), inner, 0..8)
                    .prop_map(|m| m.into_iter().collect::<serde_json::Map<_, _>>().into()),
            ]
        })
    }

    proptest! {
        /// Whatever serde_json writes, compact or pretty, reads back to the same value.
        #[test]
        fn reads_what_serde_json_writes(v in json_value()) {
            for text in [v.to_string(), serde_json::to_string_pretty(&v).unwrap()] {
                let t = tree(&text, Duplicates::Refuse).unwrap();
                prop_assert_eq!(&to_serde(&t.root), &v);
            }
        }

        /// On arbitrary JSON-like text both readers accept the same inputs.
        #[test]
        fn accepts_what_serde_json_accepts(s in "[\\[\\]{}\",:0-9eE.+\\-truefalsn\\\\/u ]{0,24}") {
            let ours = tree(&s, Duplicates::LastWins).is_ok();
            let theirs = serde_json::from_str::<serde_json::Value>(&s).is_ok();
            prop_assert_eq!(ours, theirs, "{:?}", s);
        }
    }
}
