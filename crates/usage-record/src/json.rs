//! A small JSON reader (RFC 8259) that keeps where every value is, so findings can point at
//! it, keeps object members in order with duplicates (apel's Python takes the last one), and
//! bounds nesting depth. Numbers keep their text: integers and floats are told apart the way
//! JSON Schema does (`1.0` is an integer).

use std::borrow::Cow;

/// A JSON value with the byte range it came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Json<'a> {
    pub(crate) value: JsonValue<'a>,
    pub(crate) start: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum JsonValue<'a> {
    Null,
    Bool(bool),
    /// The number's text (RFC 8259 §6 grammar, already checked).
    Number(&'a str),
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    /// Members in document order; a key may repeat.
    Object(Vec<(Cow<'a, str>, usize, Json<'a>)>),
}

/// Why the text is not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonError {
    pub(crate) offset: usize,
    pub(crate) message: String,
    /// The nesting limit was hit (a limit, not a syntax error).
    pub(crate) too_deep: bool,
}

impl<'a> Json<'a> {
    /// The member `key` of an object (the last one, as Python's `json` keeps).
    pub(crate) fn get(&self, key: &str) -> Option<&Json<'a>> {
        match &self.value {
            JsonValue::Object(members) => members
                .iter()
                .rev()
                .find(|(k, _, _)| k == key)
                .map(|(_, _, v)| v),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            JsonValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The JSON Schema type name of the value.
    pub(crate) fn type_name(&self) -> &'static str {
        match &self.value {
            JsonValue::Null => "null",
            JsonValue::Bool(_) => "boolean",
            JsonValue::Number(n) if number_as_int(n).is_some() => "integer",
            JsonValue::Number(_) => "number",
            JsonValue::String(_) => "string",
            JsonValue::Array(_) => "array",
            JsonValue::Object(_) => "object",
        }
    }
}

/// An integer value of a number text, counting `1.0` and `1e2` as integers as JSON Schema does;
/// `None` for a fraction or a value outside 64 bits.
pub(crate) fn number_as_int(text: &str) -> Option<i64> {
    if let Ok(i) = text.parse::<i64>() {
        return Some(i);
    }
    let x: f64 = text.parse().ok()?;
    // 2^63 is exactly representable; anything at or beyond it does not fit.
    (x.fract() == 0.0 && x.abs() < 2f64.powi(63)).then_some(x as i64)
}

/// Parses one JSON document (surrounding white space allowed).
pub(crate) fn parse(text: &str, max_depth: usize) -> Result<Json<'_>, JsonError> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        pos: 0,
        max_depth,
    };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.pos != p.s.len() {
        return Err(p.err("extra data after the JSON value"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    max_depth: usize,
}

impl<'a> Parser<'a> {
    fn err(&self, message: &str) -> JsonError {
        JsonError {
            offset: self.pos,
            message: message.to_owned(),
            too_deep: false,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn literal(&mut self, word: &str, value: JsonValue<'a>) -> Result<Json<'a>, JsonError> {
        let start = self.pos;
        if self.s.get(start..start + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(Json { value, start })
        } else {
            Err(self.err("expecting a value"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json<'a>, JsonError> {
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let start = self.pos;
                let s = self.string()?;
                Ok(Json {
                    value: JsonValue::String(s),
                    start,
                })
            }
            Some(b't') => self.literal("true", JsonValue::Bool(true)),
            Some(b'f') => self.literal("false", JsonValue::Bool(false)),
            Some(b'n') => self.literal("null", JsonValue::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.err("expecting a value")),
        }
    }

    fn enter(&self, depth: usize) -> Result<usize, JsonError> {
        if depth >= self.max_depth {
            let mut e = self.err(&format!("nesting deeper than {} levels", self.max_depth));
            e.too_deep = true;
            return Err(e);
        }
        Ok(depth + 1)
    }

    fn object(&mut self, depth: usize) -> Result<Json<'a>, JsonError> {
        let depth = self.enter(depth)?;
        let start = self.pos;
        self.pos += 1;
        let mut members = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json {
                value: JsonValue::Object(members),
                start,
            });
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expecting a property name in double quotes"));
            }
            let key_at = self.pos;
            let key = self.string()?;
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.err("expecting ':'"));
            }
            self.pos += 1;
            self.ws();
            let v = self.value(depth)?;
            members.push((key, key_at, v));
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json {
                        value: JsonValue::Object(members),
                        start,
                    });
                }
                _ => return Err(self.err("expecting ',' or '}'")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json<'a>, JsonError> {
        let depth = self.enter(depth)?;
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json {
                value: JsonValue::Array(items),
                start,
            });
        }
        loop {
            self.ws();
            items.push(self.value(depth)?);
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json {
                        value: JsonValue::Array(items),
                        start,
                    });
                }
                _ => return Err(self.err("expecting ',' or ']'")),
            }
        }
    }

    fn number(&mut self) -> Result<Json<'a>, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                while matches!(self.peek(), Some(b'0'..=b'9')) {
                    self.pos += 1;
                }
            }
            _ => return Err(self.err("expecting a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("expecting a digit after '.'"));
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("expecting a digit in the exponent"));
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
        }
        Ok(Json {
            value: JsonValue::Number(self.text.get(start..self.pos).unwrap_or_default()),
            start,
        })
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self
            .s
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.err("invalid \\u escape"))?;
        let mut v = 0u32;
        for &d in digits {
            v = v * 16
                + char::from(d)
                    .to_digit(16)
                    .ok_or_else(|| self.err("invalid \\u escape"))?;
        }
        self.pos += 4;
        Ok(v)
    }

    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.pos += 1;
        let start = self.pos;
        // Fast path: no escape before the closing quote.
        while let Some(c) = self.peek() {
            match c {
                b'"' => {
                    let s = self.text.get(start..self.pos).unwrap_or_default();
                    self.pos += 1;
                    return Ok(Cow::Borrowed(s));
                }
                b'\\' => break,
                0..=0x1f => return Err(self.err("control character in a string")),
                _ => self.pos += 1,
            }
        }
        let mut out = String::from(self.text.get(start..self.pos).unwrap_or_default());
        loop {
            let Some(c) = self.peek() else {
                return Err(self.err("unterminated string"));
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    self.pos += 1;
                    let e = self.peek().ok_or_else(|| self.err("unterminated string"))?;
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let first = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&first) {
                                if self.s.get(self.pos..self.pos + 2) != Some(b"\\u") {
                                    return Err(self.err("lone surrogate in \\u escape"));
                                }
                                self.pos += 2;
                                let second = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&second) {
                                    return Err(self.err("lone surrogate in \\u escape"));
                                }
                                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                            } else {
                                first
                            };
                            out.push(
                                char::from_u32(code)
                                    .ok_or_else(|| self.err("lone surrogate in \\u escape"))?,
                            );
                        }
                        _ => return Err(self.err("invalid escape")),
                    }
                }
                0..=0x1f => return Err(self.err("control character in a string")),
                _ => {
                    // Copy the run up to the next quote or backslash at once.
                    let run_start = self.pos;
                    while matches!(self.peek(), Some(c) if c != b'"' && c != b'\\' && c >= 0x20) {
                        self.pos += 1;
                    }
                    out.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
                }
            }
        }
    }
}

/// Escapes a JSON Pointer token (RFC 6901 §3).
pub(crate) fn pointer_token(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Writes `s` as a JSON string.
pub(crate) fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn values_and_positions() {
        let j = parse(
            r#" {"a": [1, 2.5, -0, 1e3, true, null], "b": "x\"y\u00e9\ud83d\ude00", "a": {}} "#,
            8,
        )
        .unwrap();
        assert_eq!(j.start, 1);
        let JsonValue::Object(m) = &j.value else {
            panic!()
        };
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].1, 2);
        assert_eq!(j.get("a").unwrap().type_name(), "object");
        assert_eq!(j.get("b").unwrap().as_str(), Some("x\"yé😀"));
        let JsonValue::Array(items) = &m[0].2.value else {
            panic!()
        };
        let types: Vec<_> = items.iter().map(Json::type_name).collect();
        assert_eq!(
            types,
            ["integer", "number", "integer", "integer", "boolean", "null"]
        );
        assert_eq!(number_as_int("1.0"), Some(1));
        assert_eq!(number_as_int("1.5"), None);
        assert_eq!(number_as_int("1e300"), None);
    }

    #[test]
    fn errors_have_offsets() {
        let cases = [
            ("", 0),
            ("{", 1),
            ("{\"a\" 1}", 5),
            ("[1,]", 3),
            ("[1 2]", 3),
            ("\"a\nb\"", 2),
            ("01", 1),
            ("1.", 2),
            ("\"\\x\"", 3),
            ("\"\\ud800\"", 7),
            ("nul", 0),
            ("{} x", 3),
            ("{'a': 1}", 1),
        ];
        for (text, offset) in cases {
            let e = parse(text, 8).unwrap_err();
            assert_eq!(e.offset, offset, "{text:?}: {}", e.message);
        }
        let deep = "[".repeat(10) + &"]".repeat(10);
        assert!(parse(&deep, 10).is_ok());
        assert!(parse(&deep, 9).unwrap_err().message.contains("nesting"));
    }

    #[test]
    fn pointer_escapes() {
        assert_eq!(pointer_token("a/b~c"), "a~1b~0c");
        let mut s = String::new();
        write_string(&mut s, "a\"\\\n\u{1}");
        assert_eq!(s, r#""a\"\\\n\u0001""#);
    }

    proptest! {
        #[test]
        fn strings_round_trip(s in "\\PC{0,20}|[\"\\\\\n\t\u{1}]{0,5}") {
            let mut text = String::new();
            write_string(&mut text, &s);
            let j = parse(&text, 4).unwrap();
            prop_assert_eq!(j.as_str(), Some(s.as_str()));
        }

        #[test]
        fn agrees_with_serde_json_on_validity(s in "[\\[\\]{}\",:0-9a-z .eE+-]{0,16}") {
            // serde_json accepts exactly RFC 8259 documents, as we do (without a depth limit here).
            let ours = parse(&s, 1000).is_ok();
            let theirs = serde_json::from_str::<serde_json::Value>(&s).is_ok();
            prop_assert_eq!(ours, theirs, "{:?}", s);
        }
    }
}
