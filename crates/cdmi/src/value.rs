//! The values of data objects and queues: the transfer encodings (1.1.1 §8.2.7: `utf-8`,
//! `base64`; 2.0.0 adds `json`), `valuerange` over the decoded bytes (1.1.1 §8.4.6), and a
//! streaming reader that takes the `value` of a body straight to a writer, so that a large
//! value is never held in memory.

use crate::object::{Body, Encoding, Limits, Mode, Object, Value};
use crate::query::Range;
use crate::{Error, ErrorKind, ObjectType};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use fedcloud_core::Position;
use std::io::{BufRead, Write};

/// The bytes a value stands for.
///
/// ```
/// use cdmi::object::{Encoding, Value};
/// use cdmi::value::{decode, encode};
/// let v = encode(b"\x00\xffbinary", Encoding::Base64)?;
/// assert_eq!(v, Value::Text("AP9iaW5hcnk=".into()));
/// assert_eq!(decode(&v, Encoding::Base64)?, b"\x00\xffbinary");
/// assert!(encode(b"\xff", Encoding::Utf8).is_err());
/// # Ok::<(), cdmi::Error>(())
/// ```
///
/// # Errors
/// `Base64` for text that is not RFC 4648 base64 (a server answers 400, 1.1.1 §8.2.7), at the
/// offending character; `ValueEncoding` when the value's form does not suit the encoding.
pub fn decode(value: &Value, encoding: Encoding) -> Result<Vec<u8>, Error> {
    match (value, encoding) {
        (Value::Text(s), Encoding::Utf8) => Ok(s.as_bytes().to_vec()),
        (Value::Text(s), Encoding::Base64) => STANDARD
            .decode(s)
            .map_err(|e| base64_error(&e, s.as_bytes(), 0)),
        (Value::Json(o), Encoding::Json) => serde_json::to_vec(o)
            .map_err(|e| Error::new(ErrorKind::ValueEncoding(e.to_string()), Position::START)),
        _ => Err(Error::new(
            ErrorKind::ValueEncoding(format!(
                "a {} value needs a {}",
                encoding.as_str(),
                if encoding == Encoding::Json {
                    "JSON object"
                } else {
                    "string"
                }
            )),
            Position::START,
        )),
    }
}

/// The value of `bytes` in `encoding`.
///
/// # Errors
/// `ValueEncoding` for bytes that are not UTF-8 (`utf-8`) or not a JSON object (`json`).
pub fn encode(bytes: &[u8], encoding: Encoding) -> Result<Value, Error> {
    let bad = |what: String| Error::new(ErrorKind::ValueEncoding(what), Position::START);
    match encoding {
        Encoding::Utf8 => std::str::from_utf8(bytes)
            .map(|s| Value::Text(s.to_owned()))
            .map_err(|e| bad(format!("not UTF-8 at byte {}: use base64", e.valid_up_to()))),
        Encoding::Base64 => Ok(Value::Text(STANDARD.encode(bytes))),
        Encoding::Json => match serde_json::from_slice::<serde_json::Value>(bytes) {
            Ok(serde_json::Value::Object(o)) => Ok(Value::Json(o)),
            _ => Err(bad("the json encoding carries a JSON object".into())),
        },
    }
}

/// The part of a value of `size` bytes that a request for `requested` gets (1.1.1 §8.4.6: the
/// range shrinks at the end of the value): `None` when it starts at or after the end.
///
/// ```
/// use cdmi::query::Range;
/// use cdmi::value::clamp;
/// assert_eq!(clamp(Range::new(0, 10)?, 37), Some(Range::new(0, 10)?));
/// assert_eq!(clamp(Range::new(30, 99)?, 37), Some(Range::new(30, 36)?));
/// assert_eq!(clamp(Range::new(37, 40)?, 37), None);
/// # Ok::<(), cdmi::Error>(())
/// ```
#[must_use]
pub fn clamp(requested: Range, size: u64) -> Option<Range> {
    (requested.first < size).then(|| Range {
        first: requested.first,
        last: requested.last.min(size - 1),
    })
}

/// The bytes of `bytes` in `range` (clamped to their end; empty past it).
#[must_use]
pub fn slice(bytes: &[u8], range: Range) -> &[u8] {
    match clamp(range, bytes.len() as u64) {
        Some(r) => {
            let (Ok(a), Ok(z)) = (usize::try_from(r.first), usize::try_from(r.last)) else {
                return &[];
            };
            bytes.get(a..=z).unwrap_or_default()
        }
        None => &[],
    }
}

fn base64_error(e: &base64::DecodeError, text: &[u8], base: usize) -> Error {
    let offset = match e {
        base64::DecodeError::InvalidByte(i, _) | base64::DecodeError::InvalidLastSymbol(i, _) => *i,
        _ => text.len(),
    };
    Error::new(
        ErrorKind::Base64(e.to_string()),
        Position::new(base + offset, 1, base + offset + 1),
    )
}

// ---- streaming -------------------------------------------------------------------------------

/// What [`stream_value`] read: the body without its value, and the value's decoded size.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Streamed {
    /// The object, every member but `value` (which went to the writer).
    pub object: Object,
    /// The number of decoded bytes written.
    pub bytes: u64,
}

/// The most bytes of the members other than `value` that [`stream_value`] collects.
pub const MAX_OTHER_MEMBERS: usize = 1 << 20;

/// Reads a data object body from `body` and writes the decoded bytes of its `value` to `out`
/// as they are read — base64 decoded in chunks, utf-8 strings unescaped — so that memory stays
/// bounded by the chunk size and the other members ([`MAX_OTHER_MEMBERS`]), whatever the size
/// of the value. The other members are parsed as [`Object::parse`] does; the encoding is the
/// body's `valuetransferencoding` if it comes before `value`, else `encoding`.
///
/// ```
/// use cdmi::object::{Encoding, Mode};
/// use cdmi::value::stream_value;
/// let body = r#"{"mimetype": "application/octet-stream", "valuetransferencoding": "base64", "value": "AP9iaW5hcnk="}"#;
/// let mut out = Vec::new();
/// let s = stream_value(body.as_bytes(), &mut out, Encoding::Utf8, Mode::Strict)?;
/// assert_eq!((out.as_slice(), s.bytes), (&b"\x00\xffbinary"[..], 8));
/// # Ok::<(), cdmi::Error>(())
/// ```
///
/// # Errors
/// As [`Object::parse`] for the other members; `Json` for a body that is no JSON object or
/// that gives `value` twice (in either mode: the first one is written when the second comes),
/// `Base64` for a value that is not base64, `ValueEncoding` for a `json` value (an object,
/// which this reader does not stream), `BodyTooLarge` for other members over the bound, `Io`
/// for a failing reader or writer; positions are byte offsets of the body.
pub fn stream_value<R: BufRead, W: Write>(
    mut body: R,
    mut out: W,
    encoding: Encoding,
    mode: Mode,
) -> Result<Streamed, Error> {
    let mut r = Scanner {
        input: &mut body,
        offset: 0,
        line: 1,
        line_start: 0,
    };
    let mut others = String::from("{");
    let mut encoding = encoding;
    let mut written = 0u64;
    r.skip_ws()?;
    if r.next()? != Some(b'{') {
        return Err(r.error(ErrorKind::Json("expected a JSON object".into())));
    }
    let mut first = true;
    let mut seen_value = false;
    loop {
        r.skip_ws()?;
        match r.peek()? {
            Some(b'}') => {
                r.next()?;
                break;
            }
            Some(b',') if !first => {
                r.next()?;
                r.skip_ws()?;
            }
            Some(_) if first => {}
            _ => return Err(r.error(ErrorKind::Json("expected ',' or '}'".into()))),
        }
        first = false;
        let key_start = others.len();
        r.copy_string(&mut others)?;
        let key: String = serde_json::from_str(others.get(key_start..).unwrap_or_default())
            .map_err(|e| r.error(ErrorKind::Json(e.to_string())))?;
        r.skip_ws()?;
        if r.next()? != Some(b':') {
            return Err(r.error(ErrorKind::Json("expected ':'".into())));
        }
        r.skip_ws()?;
        if key == "value" && r.peek()? == Some(b'"') {
            if seen_value {
                // The bytes of the first one are written: neither can be taken back.
                return Err(r.error(ErrorKind::Json(
                    "member \"value\" given twice in a streamed body".into(),
                )));
            }
            seen_value = true;
            others.truncate(key_start);
            written = match encoding {
                Encoding::Base64 => r.stream_base64(&mut out, mode)?,
                Encoding::Utf8 => r.stream_text(&mut out)?,
                Encoding::Json => {
                    return Err(r.error(ErrorKind::ValueEncoding(
                        "a json value is an object, not a string".into(),
                    )));
                }
            };
        } else {
            others.push(':');
            let value_start = others.len();
            r.copy_value(&mut others, 0)?;
            if key == "valuetransferencoding"
                && let Ok(s) =
                    serde_json::from_str::<String>(others.get(value_start..).unwrap_or_default())
            {
                encoding = match s.as_str() {
                    "base64" => Encoding::Base64,
                    "json" => Encoding::Json,
                    _ => Encoding::Utf8,
                };
            }
            others.push(',');
        }
        if others.len() > MAX_OTHER_MEMBERS {
            return Err(r.error(ErrorKind::BodyTooLarge {
                limit: MAX_OTHER_MEMBERS,
                actual: others.len(),
            }));
        }
    }
    r.skip_ws()?;
    if r.peek()?.is_some() {
        return Err(r.error(ErrorKind::Json("trailing characters".into())));
    }
    if others.ends_with(',') {
        others.pop();
    }
    others.push('}');
    out.flush()
        .map_err(|e| r.error(ErrorKind::Io(e.to_string())))?;
    let mut object =
        Object::parse_with_limits(&others, ObjectType::DataObject, mode, &Limits::default())?
            .object;
    if let Body::DataObject(d) = &mut object.body {
        d.value = None;
    }
    Ok(Streamed {
        object,
        bytes: written,
    })
}

struct Scanner<'r, R> {
    input: &'r mut R,
    /// The bytes read so far.
    offset: usize,
    /// The line of the next byte, and where that line starts.
    line: usize,
    line_start: usize,
}

/// `p` moved `n` bytes on within its line.
const fn here_at(p: Position, n: usize) -> Position {
    Position::new(p.offset + n, p.line, p.column + n)
}

/// How many base64 characters are decoded at a time (a multiple of 4).
const CHUNK: usize = 64 * 1024;

impl<R: BufRead> Scanner<'_, R> {
    /// The position of the byte at `offset` of the current line (columns in bytes).
    fn at(&self, offset: usize) -> Position {
        Position::new(
            offset,
            self.line,
            offset.saturating_sub(self.line_start) + 1,
        )
    }

    fn error(&self, kind: ErrorKind) -> Error {
        Error::new(kind, self.at(self.offset))
    }

    /// Consumes `n` bytes of the buffer that hold no line end.
    fn consume(&mut self, n: usize) {
        self.input.consume(n);
        self.offset += n;
    }

    fn peek(&mut self) -> Result<Option<u8>, Error> {
        match self.input.fill_buf() {
            Ok(b) => Ok(b.first().copied()),
            Err(e) => Err(self.error(ErrorKind::Io(e.to_string()))),
        }
    }

    fn next(&mut self) -> Result<Option<u8>, Error> {
        let b = self.peek()?;
        if b.is_some() {
            self.consume(1);
        }
        if b == Some(b'\n') {
            self.line += 1;
            self.line_start = self.offset;
        }
        Ok(b)
    }

    fn skip_ws(&mut self) -> Result<(), Error> {
        while matches!(self.peek()?, Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.next()?;
        }
        Ok(())
    }

    /// Copies a JSON string, quotes and escapes included.
    fn copy_string(&mut self, out: &mut String) -> Result<(), Error> {
        if self.next()? != Some(b'"') {
            return Err(self.error(ErrorKind::Json("expected a string".into())));
        }
        let mut bytes = vec![b'"'];
        loop {
            match self.next()? {
                None => return Err(self.error(ErrorKind::Json("unterminated string".into()))),
                Some(b'\\') => {
                    bytes.push(b'\\');
                    let e = self
                        .next()?
                        .ok_or_else(|| self.error(ErrorKind::Json("unterminated string".into())))?;
                    bytes.push(e);
                }
                Some(b'"') => {
                    bytes.push(b'"');
                    break;
                }
                Some(b) => bytes.push(b),
            }
            if bytes.len() > MAX_OTHER_MEMBERS {
                return Err(self.error(ErrorKind::BodyTooLarge {
                    limit: MAX_OTHER_MEMBERS,
                    actual: bytes.len(),
                }));
            }
        }
        let s = String::from_utf8(bytes)
            .map_err(|_| self.error(ErrorKind::Json("not UTF-8".into())))?;
        out.push_str(&s);
        Ok(())
    }

    /// Copies one JSON value as text (checked later by the JSON reader).
    fn copy_value(&mut self, out: &mut String, depth: usize) -> Result<(), Error> {
        if depth > Limits::default().max_depth {
            return Err(self.error(ErrorKind::TooDeep {
                limit: Limits::default().max_depth,
            }));
        }
        match self.peek()? {
            Some(b'"') => self.copy_string(out),
            Some(open @ (b'{' | b'[')) => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.next()?;
                out.push(char::from(open));
                loop {
                    self.skip_ws()?;
                    match self.peek()? {
                        Some(c) if c == close => {
                            self.next()?;
                            out.push(char::from(close));
                            return Ok(());
                        }
                        Some(b',' | b':') => {
                            let c = self.next()?.unwrap_or_default();
                            out.push(char::from(c));
                        }
                        Some(_) => self.copy_value(out, depth + 1)?,
                        None => {
                            return Err(self.error(ErrorKind::Json("unterminated value".into())));
                        }
                    }
                    if out.len() > MAX_OTHER_MEMBERS {
                        return Err(self.error(ErrorKind::BodyTooLarge {
                            limit: MAX_OTHER_MEMBERS,
                            actual: out.len(),
                        }));
                    }
                }
            }
            Some(_) => {
                let start = out.len();
                while let Some(c) = self.peek()? {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r' | b':') {
                        break;
                    }
                    if !c.is_ascii() {
                        return Err(self.error(ErrorKind::Json("unexpected character".into())));
                    }
                    self.next()?;
                    out.push(char::from(c));
                    if out.len() > MAX_OTHER_MEMBERS {
                        return Err(self.error(ErrorKind::BodyTooLarge {
                            limit: MAX_OTHER_MEMBERS,
                            actual: out.len(),
                        }));
                    }
                }
                // A closing bracket of the wrong kind, or nothing a value starts with.
                if out.len() == start {
                    return Err(self.error(ErrorKind::Json("expected a value".into())));
                }
                Ok(())
            }
            None => Err(self.error(ErrorKind::Json("expected a value".into()))),
        }
    }

    /// Decodes the base64 of a JSON string to `out`, a chunk at a time; `\/` is a `/`, and
    /// lenient mode skips escaped line ends (line-wrapped base64, a specification erratum).
    fn stream_base64<W: Write>(&mut self, out: &mut W, mode: Mode) -> Result<u64, Error> {
        self.next()?; // the opening quote
        let mut chunk: Vec<u8> = Vec::with_capacity(CHUNK + 4);
        let mut decoded = vec![0u8; CHUNK / 4 * 3 + 3];
        let mut written = 0u64;
        let mut chunk_start = self.offset;
        loop {
            // Take as much of the buffered input as possible at once.
            let (take, done) = {
                let here = self.at(self.offset);
                let buf = self
                    .input
                    .fill_buf()
                    .map_err(|e| Error::new(ErrorKind::Io(e.to_string()), here))?;
                if buf.is_empty() {
                    return Err(self.error(ErrorKind::Json("unterminated string".into())));
                }
                let room = CHUNK - chunk.len();
                // Look no further than the chunk's room: the whole buffer may be the body.
                let window = buf.get(..room.min(buf.len())).unwrap_or_default();
                let end = memchr::memchr2(b'"', b'\\', window).unwrap_or(window.len());
                chunk.extend_from_slice(buf.get(..end).unwrap_or_default());
                (end, buf.get(end).copied())
            };
            self.consume(take);
            match done {
                Some(b'"') => {
                    self.next()?;
                    written += self.flush_base64(&chunk, &mut decoded, out, chunk_start, true)?;
                    return Ok(written);
                }
                Some(b'\\') => {
                    self.next()?;
                    match self.next()? {
                        Some(b'/') => chunk.push(b'/'),
                        Some(b'n' | b'r') if mode == Mode::Lenient => {}
                        _ => {
                            return Err(Error::new(
                                ErrorKind::Base64(
                                    "an escape other than \\/ in a base64 value".into(),
                                ),
                                self.at(self.offset.saturating_sub(2)),
                            ));
                        }
                    }
                }
                _ => {}
            }
            if chunk.len() >= CHUNK {
                // Decode whole quanta; keep the rest for the next chunk.
                let keep = chunk.len() % 4;
                let whole = chunk.len() - keep;
                let quanta = chunk.get(..whole).unwrap_or_default().to_vec();
                written += self.flush_base64(&quanta, &mut decoded, out, chunk_start, false)?;
                chunk.drain(..whole);
                chunk_start += whole;
            }
        }
    }

    fn flush_base64<W: Write>(
        &self,
        text: &[u8],
        decoded: &mut Vec<u8>,
        out: &mut W,
        base: usize,
        last: bool,
    ) -> Result<u64, Error> {
        if text.is_empty() {
            return Ok(0);
        }
        if !last && text.contains(&b'=') {
            let i = memchr::memchr(b'=', text).unwrap_or(0);
            return Err(Error::new(
                ErrorKind::Base64("padding before the end of the value".into()),
                self.at(base + i),
            ));
        }
        decoded.resize(text.len() / 4 * 3 + 3, 0);
        let n = STANDARD.decode_slice(text, decoded).map_err(|e| match e {
            base64::DecodeSliceError::DecodeError(e) => {
                let offset = match e {
                    base64::DecodeError::InvalidByte(i, _)
                    | base64::DecodeError::InvalidLastSymbol(i, _) => base + i,
                    _ => base + text.len(),
                };
                Error::new(ErrorKind::Base64(e.to_string()), self.at(offset))
            }
            base64::DecodeSliceError::OutputSliceTooSmall => {
                Error::new(ErrorKind::Base64("output too small".into()), self.at(base))
            }
        })?;
        out.write_all(decoded.get(..n).unwrap_or_default())
            .map_err(|e| self.error(ErrorKind::Io(e.to_string())))?;
        Ok(n as u64)
    }

    /// Unescapes a JSON string to `out` as UTF-8.
    fn stream_text<W: Write>(&mut self, out: &mut W) -> Result<u64, Error> {
        self.next()?;
        let mut written = 0u64;
        let mut pending = [0u8; 4];
        loop {
            let (take, stop) = {
                let here = self.at(self.offset);
                let buf = self
                    .input
                    .fill_buf()
                    .map_err(|e| Error::new(ErrorKind::Io(e.to_string()), here))?;
                if buf.is_empty() {
                    return Err(self.error(ErrorKind::Json("unterminated string".into())));
                }
                let end = memchr::memchr2(b'"', b'\\', buf).unwrap_or(buf.len());
                let text = buf.get(..end).unwrap_or_default();
                if let Some(i) = text.iter().position(|&c| c < 0x20) {
                    return Err(Error::new(
                        ErrorKind::Json("a control character in a string".into()),
                        here_at(here, i),
                    ));
                }
                out.write_all(text)
                    .map_err(|e| Error::new(ErrorKind::Io(e.to_string()), here))?;
                (end, buf.get(end).copied())
            };
            written += take as u64;
            self.consume(take);
            match stop {
                Some(b'"') => {
                    self.next()?;
                    return Ok(written);
                }
                Some(b'\\') => {
                    self.next()?;
                    let c = match self.next()? {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        _ => return Err(self.error(ErrorKind::Json("invalid escape".into()))),
                    };
                    let s = c.encode_utf8(&mut pending);
                    out.write_all(s.as_bytes())
                        .map_err(|e| self.error(ErrorKind::Io(e.to_string())))?;
                    written += s.len() as u64;
                }
                _ => {}
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = self
                .next()?
                .and_then(|c| char::from(c).to_digit(16))
                .ok_or_else(|| self.error(ErrorKind::Json("invalid \\u escape".into())))?;
            v = v * 16 + d;
        }
        Ok(v)
    }

    fn unicode_escape(&mut self) -> Result<char, Error> {
        let hi = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&hi) {
            if self.next()? != Some(b'\\') || self.next()? != Some(b'u') {
                return Err(self.error(ErrorKind::Json("an unpaired surrogate".into())));
            }
            let lo = self.hex4()?;
            if !(0xDC00..0xE000).contains(&lo) {
                return Err(self.error(ErrorKind::Json("an unpaired surrogate".into())));
            }
            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
        } else {
            hi
        };
        char::from_u32(code)
            .ok_or_else(|| self.error(ErrorKind::Json("an unpaired surrogate".into())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::BufReader;

    #[test]
    fn encodings() {
        assert_eq!(
            decode(&Value::Text("é".into()), Encoding::Utf8).unwrap(),
            "é".as_bytes()
        );
        let e = decode(&Value::Text("AP9i!Q==".into()), Encoding::Base64).unwrap_err();
        assert_eq!(
            (
                matches!(e.kind(), ErrorKind::Base64(_)),
                e.position().offset
            ),
            (true, 4)
        );
        let json = encode(br#"{"a":1}"#, Encoding::Json).unwrap();
        assert_eq!(decode(&json, Encoding::Json).unwrap(), br#"{"a":1}"#);
        assert!(encode(b"[1]", Encoding::Json).is_err());
        assert!(decode(&Value::Text("x".into()), Encoding::Json).is_err());
        assert_eq!(
            slice(b"This is the value", Range::new(0, 10).unwrap()),
            b"This is the"
        );
        assert_eq!(slice(b"abc", Range::new(5, 9).unwrap()), b"");
    }

    #[test]
    fn streaming_values() {
        // The base64 value, the encoding after the value (then the default applies), escapes.
        let mut out = Vec::new();
        let body = r#"{"value": "aGVsbG8\/d29ybGQ=", "metadata": {"a": [1, {"b": null}]}}"#;
        let s = stream_value(body.as_bytes(), &mut out, Encoding::Base64, Mode::Strict).unwrap();
        assert_eq!(out, b"hello?world");
        assert_eq!(s.object.metadata.unwrap().len(), 1);
        let mut out = Vec::new();
        let body =
            r#"{"value": "caf\u00e9 \ud83c\udf75\n\"q\"", "valuetransferencoding": "utf-8"}"#;
        let s = stream_value(body.as_bytes(), &mut out, Encoding::Utf8, Mode::Strict).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "café 🍵\n\"q\"");
        assert_eq!(s.bytes, "café 🍵\n\"q\"".len() as u64);
        // Errors.
        for (body, says) in [
            (
                r#"{"valuetransferencoding": "base64", "value": "a!=="}"#,
                "base64",
            ),
            (
                r#"{"valuetransferencoding": "base64", "value": "aGVs\nbG8="}"#,
                "base64",
            ),
            (r#"{"value": "abc"#, "unterminated"),
            (r#"["value"]"#, "JSON object"),
            (r#"{"value": "a" "b"}"#, "expected"),
            (r#"{"value": "a"} x"#, "trailing"),
            (
                r#"{"valuetransferencoding": "json", "value": "x"}"#,
                "json value",
            ),
            (r#"{"value": "\ud800x"}"#, "surrogate"),
            (r#"{"percentComplete": 7, "value": "x"}"#, "percentComplete"),
            // Regression (cdmi_value_stream): two values were both written, in lenient mode too.
            (r#"{"value": "a", "value": "b"}"#, "given twice"),
            // Regression (a cdmi_value_stream timeout): a bracket of the wrong kind looped.
            (
                r#"{"metadata":{"a":[1,2:"x"}, "value": "x"}"#,
                "expected a value",
            ),
        ] {
            let e = stream_value(
                body.as_bytes(),
                std::io::sink(),
                Encoding::Utf8,
                Mode::Strict,
            )
            .unwrap_err();
            assert!(e.to_string().contains(says), "{body}: {e}");
        }
        // Line-wrapped base64 (an erratum of the examples) only in lenient mode.
        let wrapped = r#"{"valuetransferencoding": "base64", "value": "aGVs\nbG8="}"#;
        let mut out = Vec::new();
        stream_value(wrapped.as_bytes(), &mut out, Encoding::Utf8, Mode::Lenient).unwrap();
        assert_eq!(out, b"hello");
    }

    proptest! {
        /// Any bytes, in a body read through buffers of any size, come out as they went in,
        /// and as the whole-body path decodes them.
        #[test]
        fn streamed_base64_is_the_value(bytes in prop::collection::vec(any::<u8>(), 0..60_000), capacity in 1usize..5000) {
            let body = format!(r#"{{"mimetype": "application/octet-stream", "valuetransferencoding": "base64", "value": "{}"}}"#, STANDARD.encode(&bytes));
            let mut out = Vec::new();
            let s = stream_value(BufReader::with_capacity(capacity, body.as_bytes()), &mut out, Encoding::Utf8, Mode::Strict).unwrap();
            prop_assert_eq!(s.bytes, bytes.len() as u64);
            prop_assert_eq!(&out, &bytes);
            let whole = Object::parse(&body, ObjectType::DataObject, Mode::Strict).unwrap().object;
            let Body::DataObject(d) = whole.body else { unreachable!() };
            prop_assert_eq!(decode(d.value.as_ref().unwrap(), Encoding::Base64).unwrap(), bytes);
        }

        #[test]
        fn streamed_text_is_the_value(text in "\\PC{0,300}", capacity in 1usize..64) {
            let body = format!(r#"{{"value": {}}}"#, serde_json::to_string(&text).unwrap());
            let mut out = Vec::new();
            stream_value(BufReader::with_capacity(capacity, body.as_bytes()), &mut out, Encoding::Utf8, Mode::Strict).unwrap();
            prop_assert_eq!(String::from_utf8(out).unwrap(), text);
        }
    }
}
