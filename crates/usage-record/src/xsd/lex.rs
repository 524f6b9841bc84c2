//! An XML 1.0 tokenizer with namespaces, made for schema validation.
//!
//! It reads a whole document held in memory and hands out start tags (namespace resolved,
//! attributes normalised), end tags and character data (references resolved, line ends
//! normalised, CDATA sections included), checking the well-formedness constraints of XML 1.0
//! (fifth edition) and Namespaces in XML 1.0 on the way: names, matching end tags, unique
//! attributes, legal characters, references, comments, processing instructions, the XML
//! declaration, one root element, declared prefixes. Document type declarations are refused
//! (the record formats have none, and refusing them rules out entity expansion).
//!
//! It exists for speed: validation needs no event objects, no owned names and no second pass
//! over the text, and the text of an element is borrowed from the input whenever it holds no
//! reference and no carriage return.

use super::NotWellFormed;
use std::borrow::Cow;

/// The namespace bound to the `xml` prefix (Namespaces in XML 1.0 §3).
pub(crate) const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace of namespace declarations, which no prefix may be bound to.
const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// What the tokenizer read next.
#[derive(Debug)]
pub(crate) enum Token<'a, 'i> {
    /// A start tag or an empty-element tag.
    Start(StartTag<'a, 'i>),
    /// An end tag (its name matched the open element's).
    End,
    /// Character data inside the root element, with its offset: never empty.
    Text(Cow<'i, str>, usize),
    /// The end of a well-formed document.
    Eof,
}

/// A start tag, its namespace resolved.
#[derive(Debug)]
pub(crate) struct StartTag<'a, 'i> {
    /// The element's namespace name (empty for none); one of the `known` names given to
    /// [`Lexer::new`] (the same pointer) when it is one of them.
    pub(crate) ns: &'a str,
    pub(crate) local: &'i str,
    /// Offset of the `<`.
    pub(crate) at: usize,
    /// An empty-element tag (`<x/>`): no [`Token::End`] follows for it.
    pub(crate) empty: bool,
    attrs: &'a [Attr<'i>],
    bindings: &'a [Binding<'i>],
}

impl<'a, 'i> StartTag<'a, 'i> {
    /// The attributes, namespace declarations left out: (namespace, local name, value).
    pub(crate) fn attributes(&self) -> impl Iterator<Item = (&'a str, &'i str, &'a str)> + '_ {
        self.attrs.iter().filter(|a| !a.declares).map(|a| {
            let ns = a
                .binding
                .and_then(|b| self.bindings.get(b))
                .map_or("", |b| b.ns.as_ref());
            (ns, a.local, a.value.as_ref())
        })
    }
}

#[derive(Debug)]
struct Attr<'i> {
    qname: &'i str,
    /// The prefix (empty for none; `xmlns` for a namespace declaration).
    prefix: &'i str,
    /// The local part (for `xmlns:p`, the declared prefix `p`; empty for `xmlns`).
    local: &'i str,
    value: Cow<'i, str>,
    at: usize,
    /// The binding of its prefix (`None`: no prefix, no namespace).
    binding: Option<usize>,
    /// `xmlns` or `xmlns:p`.
    declares: bool,
}

/// A qualified name as read.
struct QName<'i> {
    name: &'i str,
    prefix: &'i str,
    local: &'i str,
    end: usize,
}

/// A namespace declaration in scope (`prefix` empty for the default namespace; `ns` empty
/// when the default namespace is undeclared).
#[derive(Debug)]
struct Binding<'i> {
    prefix: &'i str,
    ns: Cow<'i, str>,
}

#[derive(Debug)]
struct Open<'i> {
    qname: &'i str,
    /// How many bindings were in scope before this element's own.
    bindings: usize,
}

/// The tokenizer over one document.
pub(crate) struct Lexer<'i, 's> {
    text: &'i str,
    pos: usize,
    /// Where the document proper starts (after a byte-order mark).
    start: usize,
    known: &'s [&'static str],
    open: Vec<Open<'i>>,
    bindings: Vec<Binding<'i>>,
    attrs: Vec<Attr<'i>>,
    max_depth: usize,
    seen_root: bool,
    /// The last token was an empty-element tag: its scope closes before the next one.
    close_pending: bool,
}

fn error(offset: usize, message: impl Into<String>) -> NotWellFormed {
    NotWellFormed {
        offset,
        message: message.into(),
        too_deep: false,
    }
}

/// Two names are equal. Names are short and often the very same string (interned namespace
/// names), so this compares in place instead of calling `memcmp`, whose call costs more than the
/// comparison here.
#[inline]
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a.bytes().zip(b.bytes()).all(|(x, y)| x == y))
}

/// Byte classes, one bit each (see [`CLASS`]).
const NAME: u8 = 1;
const COLON: u8 = 2;
/// A name character that may not start a name (`0-9`, `-`, `.`).
const NOT_FIRST: u8 = 4;
/// A byte of a multi-byte character (a name holding one is checked character by character).
const WIDE: u8 = 8;
/// Ends a plain run of character data.
const TEXT_STOP: u8 = 16;
/// Ends a plain run of an attribute value.
const VALUE_STOP: u8 = 32;
const SPACE: u8 = 64;

/// The class bits of every byte, looked up once per byte in the hot loops.
#[expect(
    clippy::indexing_slicing,
    reason = "evaluated at compile time: an index out of bounds fails the build, it cannot panic"
)]
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = match c {
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => NAME,
            b':' => NAME | COLON,
            b'0'..=b'9' | b'-' | b'.' => NAME | NOT_FIRST,
            // 0xEF starts U+FFFE and U+FFFF, which are no XML characters.
            0xEF => NAME | WIDE | TEXT_STOP | VALUE_STOP,
            0x80..=0xFF => NAME | WIDE,
            b' ' => SPACE,
            b'\t' | b'\n' => SPACE | VALUE_STOP,
            b'\r' => SPACE | VALUE_STOP | TEXT_STOP,
            // The other C0 controls are no XML characters.
            0..=0x1F => TEXT_STOP | VALUE_STOP,
            b'<' | b'&' => TEXT_STOP | VALUE_STOP,
            b']' => TEXT_STOP,
            b'"' | b'\'' => VALUE_STOP,
            _ => 0,
        };
        b += 1;
    }
    t
};

fn class(b: u8) -> u8 {
    CLASS.get(usize::from(b)).copied().unwrap_or(0)
}

/// The innermost binding of `prefix` among `bindings` (`None` also when the default namespace
/// is undeclared).
fn binding_in(bindings: &[Binding<'_>], prefix: &str) -> Option<usize> {
    let (i, b) = bindings
        .iter()
        .enumerate()
        .rev()
        .find(|(_, b)| same_name(b.prefix, prefix))?;
    (!b.ns.is_empty()).then_some(i)
}

/// White space (`S`, XML 1.0 production 3).
fn is_space(b: u8) -> bool {
    class(b) & SPACE != 0
}

/// `NameStartChar` (XML 1.0 fifth edition, production 4).
fn is_name_start(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

/// `NameChar` (production 4a).
fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// `Char` (production 2): every character but most C0 controls, U+FFFE and U+FFFF (a Rust
/// `char` is never a surrogate).
fn is_xml_char(c: char) -> bool {
    !matches!(c, '\0'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

impl<'i, 's> Lexer<'i, 's> {
    /// A tokenizer over `text`; namespace names equal to one of `known` are handed out as
    /// that very string. Elements nest at most `max_depth` deep.
    pub(crate) fn new(text: &'i str, known: &'s [&'static str], max_depth: usize) -> Self {
        let start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
        Lexer {
            text,
            pos: start,
            start,
            known,
            open: Vec::new(),
            bindings: vec![Binding {
                prefix: "xml",
                ns: Cow::Borrowed(XML_NS),
            }],
            attrs: Vec::new(),
            max_depth,
            seen_root: false,
            close_pending: false,
        }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.text.as_bytes().get(at).copied()
    }

    fn slice(&self, from: usize, to: usize) -> &'i str {
        self.text.get(from..to).unwrap_or("")
    }

    fn skip_space(&self, mut at: usize) -> usize {
        while self.byte(at).is_some_and(is_space) {
            at += 1;
        }
        at
    }

    /// The next token.
    ///
    /// # Errors
    /// Where and why the document is not well-formed (or nests too deep); the tokenizer must
    /// not be used after an error.
    pub(crate) fn next_token(&mut self) -> Result<Token<'_, 'i>, NotWellFormed> {
        if self.close_pending {
            self.close_pending = false;
            self.close_scope();
        }
        loop {
            let Some(b) = self.byte(self.pos) else {
                self.eof()?;
                return Ok(Token::Eof);
            };
            if b != b'<' {
                if self.open.is_empty() {
                    self.misc_space()?;
                    continue;
                }
                let at = self.pos;
                let text = self.char_data()?;
                return Ok(Token::Text(text, at));
            }
            match self.byte(self.pos + 1) {
                Some(b'/') => {
                    self.end_tag()?;
                    return Ok(Token::End);
                }
                Some(b'!') => {
                    if let Some((text, at)) = self.markup_declaration()? {
                        return Ok(Token::Text(text, at));
                    }
                }
                Some(b'?') => self.processing_instruction()?,
                _ => break,
            }
        }
        self.start_tag()
    }

    /// The end of the input: the end of a well-formed document?
    fn eof(&self) -> Result<(), NotWellFormed> {
        let end = self.text.len();
        if let Some(open) = self.open.last() {
            return Err(error(
                end,
                format!("the element <{}> is not closed", open.qname),
            ));
        }
        if !self.seen_root {
            return Err(error(end, "no root element"));
        }
        Ok(())
    }

    fn close_scope(&mut self) {
        if let Some(open) = self.open.pop() {
            self.bindings.truncate(open.bindings);
        }
    }

    /// White space before or after the root element (anything else is an error).
    fn misc_space(&mut self) -> Result<(), NotWellFormed> {
        let end = self.skip_space(self.pos);
        if end == self.pos || self.byte(end).is_some_and(|b| b != b'<') {
            return Err(error(end, "character data outside the root element"));
        }
        self.pos = end;
        Ok(())
    }

    /// Character data up to the next `<` (or the end), references resolved and line ends
    /// normalised (XML 1.0 §2.11).
    fn char_data(&mut self) -> Result<Cow<'i, str>, NotWellFormed> {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let mut i = start;
        let mut owned: Option<String> = None;
        let mut run = start;
        loop {
            while bytes.get(i).is_some_and(|b| class(*b) & TEXT_STOP == 0) {
                i += 1;
            }
            let Some(b) = bytes.get(i).copied() else {
                break;
            };
            match b {
                b'<' => break,
                b']' => {
                    if bytes.get(i + 1..i + 3) == Some(b"]>") {
                        return Err(error(i, "']]>' is not allowed in character data"));
                    }
                    i += 1;
                }
                b'&' => {
                    let out = owned.get_or_insert_with(String::new);
                    out.push_str(self.slice(run, i));
                    i = self.reference(i, out)?;
                    run = i;
                }
                b'\r' => {
                    let out = owned.get_or_insert_with(String::new);
                    out.push_str(self.slice(run, i));
                    out.push('\n');
                    i += 1;
                    if bytes.get(i) == Some(&b'\n') {
                        i += 1;
                    }
                    run = i;
                }
                _ => i = self.special_char(i)?,
            }
        }
        self.pos = i;
        Ok(match owned {
            Some(mut out) => {
                out.push_str(self.slice(run, i));
                Cow::Owned(out)
            }
            None => Cow::Borrowed(self.slice(start, i)),
        })
    }

    /// A byte that stopped a plain run and is not markup: a control character (an error) or
    /// the first byte of a three-byte character, which may be U+FFFE or U+FFFF. The offset
    /// after it.
    fn special_char(&self, i: usize) -> Result<usize, NotWellFormed> {
        let c = self.text.get(i..).and_then(|s| s.chars().next());
        match c {
            Some(c) if is_xml_char(c) => Ok(i + c.len_utf8()),
            Some(c) => Err(error(
                i,
                format!("character U+{:04X} is not allowed in XML", u32::from(c)),
            )),
            None => Ok(i + 1),
        }
    }

    /// Every character of `from..to` is a legal XML character.
    fn check_chars(&self, from: usize, to: usize) -> Result<(), NotWellFormed> {
        let mut i = from;
        let bytes = self.text.as_bytes();
        while i < to {
            match bytes.get(i) {
                Some(b) if *b == 0xEF || (*b < 0x20 && !is_space(*b)) => {
                    i = self.special_char(i)?;
                }
                Some(_) => i += 1,
                None => break,
            }
        }
        Ok(())
    }

    /// The reference starting at `at` (`&name;`, `&#n;`, `&#xh;`), appended to `out`; the
    /// offset after it.
    fn reference(&self, at: usize, out: &mut String) -> Result<usize, NotWellFormed> {
        let rest = self.text.get(at + 1..).unwrap_or("");
        let Some(len) = rest.bytes().take(64).position(|b| b == b';') else {
            return Err(error(at, "'&' starts no reference (write &amp;)"));
        };
        let body = rest.get(..len).unwrap_or("");
        let c = if let Some(num) = body.strip_prefix('#') {
            let code = match num.strip_prefix('x') {
                Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    u32::from_str_radix(hex, 16).ok()
                }
                None if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) => {
                    num.parse::<u32>().ok()
                }
                _ => return Err(error(at, format!("malformed character reference &{body};"))),
            };
            match code.and_then(char::from_u32) {
                Some(c) if is_xml_char(c) => c,
                _ => {
                    return Err(error(
                        at,
                        format!("&{body}; refers to no legal XML character"),
                    ));
                }
            }
        } else {
            match body {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "apos" => '\'',
                "quot" => '"',
                _ => {
                    return Err(error(
                        at,
                        format!("undefined entity &{body}; (no DTD is read)"),
                    ));
                }
            }
        };
        out.push(c);
        Ok(at + len + 2)
    }

    /// A name starting at `at`; the offset after it.
    fn name(&self, at: usize, what: &str) -> Result<(&'i str, usize), NotWellFormed> {
        let (name, end, _) = self.scan_name(at, what)?;
        Ok((name, end))
    }

    /// A name starting at `at`, the offset after it, and where its first colon is (with
    /// `usize::MAX` when there is more than one).
    fn scan_name(
        &self,
        at: usize,
        what: &str,
    ) -> Result<(&'i str, usize, Option<usize>), NotWellFormed> {
        let bytes = self.text.as_bytes();
        let rest = bytes.get(at..).unwrap_or(&[]);
        // The classes of the name's bytes (and of the byte ending it, which has neither WIDE
        // nor COLON).
        let mut seen = 0;
        let len = rest
            .iter()
            .position(|b| {
                let c = class(*b);
                seen |= c;
                c & NAME == 0
            })
            .unwrap_or(rest.len());
        let end = at + len;
        let colon = if seen & COLON == 0 {
            None
        } else {
            let mut colons = rest
                .iter()
                .take(len)
                .enumerate()
                .filter(|(_, b)| **b == b':');
            match (colons.next(), colons.next()) {
                (Some((first, _)), None) => Some(first),
                _ => Some(usize::MAX),
            }
        };
        let name = self.slice(at, end);
        let good = match bytes.get(at).map(|b| class(*b)) {
            _ if end == at => false,
            Some(first) if seen & WIDE == 0 => first & NOT_FIRST == 0,
            _ => {
                let mut chars = name.chars();
                chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
            }
        };
        if !good {
            let shown: String = self.text.get(at..).unwrap_or("").chars().take(16).collect();
            return Err(error(at, format!("expected {what} at {shown:?}")));
        }
        Ok((name, end, colon))
    }

    /// A qualified name starting at `at` (Namespaces in XML 1.0 §4): the name, its prefix
    /// (empty for none), its local part, and the offset after it.
    fn qname(&self, at: usize, what: &str) -> Result<QName<'i>, NotWellFormed> {
        let (name, end, colon) = self.scan_name(at, what)?;
        let (prefix, local) = match colon {
            None => ("", name),
            Some(c) => match (name.get(..c), c.checked_add(1).and_then(|n| name.get(n..))) {
                (Some(p), Some(l)) if !p.is_empty() && !l.is_empty() => (p, l),
                _ => return Err(error(at, format!("{name:?} is not a qualified name"))),
            },
        };
        Ok(QName {
            name,
            prefix,
            local,
            end,
        })
    }

    fn start_tag(&mut self) -> Result<Token<'_, 'i>, NotWellFormed> {
        let at = self.pos;
        if self.open.is_empty() && self.seen_root {
            return Err(error(at, "junk after the document element"));
        }
        if self.open.len() >= self.max_depth {
            return Err(NotWellFormed {
                offset: at,
                message: format!("nesting deeper than {} levels", self.max_depth),
                too_deep: true,
            });
        }
        let tag = self.qname(at + 1, "an element name")?;
        let (qname, mut i) = (tag.name, tag.end);
        self.attrs.clear();
        let empty = loop {
            let after = self.skip_space(i);
            match self.byte(after) {
                Some(b'>') => {
                    i = after + 1;
                    break false;
                }
                Some(b'/') if self.byte(after + 1) == Some(b'>') => {
                    i = after + 2;
                    break true;
                }
                Some(_) if after > i => i = self.attribute(after)?,
                Some(_) => {
                    return Err(error(after, "expected white space, '>' or '/>' in a tag"));
                }
                None => return Err(error(at, format!("the start tag <{qname} is not closed"))),
            }
        };
        self.pos = i;
        let mark = self.bindings.len();
        self.open.push(Open {
            qname,
            bindings: mark,
        });
        self.seen_root = true;
        self.declare_namespaces()?;
        self.resolve_attributes()?;
        let (prefix, local) = (tag.prefix, tag.local);
        if prefix == "xmlns" {
            return Err(error(at + 1, "an element may not have the prefix xmlns"));
        }
        let ns = match self.binding(prefix) {
            Some(b) => self.bindings.get(b).map_or("", |b| b.ns.as_ref()),
            None if prefix.is_empty() => "",
            None => {
                return Err(error(
                    at + 1,
                    format!("the prefix {prefix:?} is not declared"),
                ));
            }
        };
        self.close_pending = empty;
        Ok(Token::Start(StartTag {
            ns,
            local,
            at,
            empty,
            attrs: &self.attrs,
            bindings: &self.bindings,
        }))
    }

    /// One attribute at `at`; the offset after it.
    fn attribute(&mut self, at: usize) -> Result<usize, NotWellFormed> {
        let name = self.qname(at, "an attribute name")?;
        let (qname, i) = (name.name, name.end);
        let i = self.skip_space(i);
        if self.byte(i) != Some(b'=') {
            return Err(error(
                i,
                format!("expected '=' after the attribute {qname}"),
            ));
        }
        let i = self.skip_space(i + 1);
        let quote = match self.byte(i) {
            Some(q @ (b'"' | b'\'')) => q,
            _ => return Err(error(i, format!("the value of {qname} is not quoted"))),
        };
        let (value, end) = self.attribute_value(i + 1, quote)?;
        if self.attrs.iter().any(|a| same_name(a.qname, qname)) {
            return Err(error(at, format!("the attribute {qname} is repeated")));
        }
        // `xmlns` declares the default namespace, `xmlns:p` the prefix `p` (kept as `local`).
        let declares = qname == "xmlns" || name.prefix == "xmlns";
        let (prefix, local) = match (declares, name.prefix) {
            (true, "") => ("xmlns", ""),
            _ => (name.prefix, name.local),
        };
        self.attrs.push(Attr {
            qname,
            prefix,
            local,
            value,
            at,
            binding: None,
            declares,
        });
        Ok(end)
    }

    /// An attribute value starting at `at` (after its quote), normalised (XML 1.0 §3.3.3:
    /// references resolved, each white-space character a space); the offset after the closing
    /// quote.
    fn attribute_value(
        &self,
        at: usize,
        quote: u8,
    ) -> Result<(Cow<'i, str>, usize), NotWellFormed> {
        let bytes = self.text.as_bytes();
        let mut i = at;
        let mut run = at;
        let mut owned: Option<String> = None;
        loop {
            while bytes.get(i).is_some_and(|b| class(*b) & VALUE_STOP == 0) {
                i += 1;
            }
            match bytes.get(i).copied() {
                None => return Err(error(at, "an attribute value is not closed")),
                Some(q) if q == quote => break,
                Some(b'"' | b'\'') => i += 1,
                Some(b'<') => return Err(error(i, "'<' is not allowed in an attribute value")),
                Some(b'&') => {
                    let out = owned.get_or_insert_with(String::new);
                    out.push_str(self.slice(run, i));
                    i = self.reference(i, out)?;
                    run = i;
                }
                Some(b @ (b'\r' | b'\n' | b'\t')) => {
                    let out = owned.get_or_insert_with(String::new);
                    out.push_str(self.slice(run, i));
                    out.push(' ');
                    i += 1;
                    if b == b'\r' && bytes.get(i) == Some(&b'\n') {
                        i += 1;
                    }
                    run = i;
                }
                Some(_) => i = self.special_char(i)?,
            }
        }
        let value = match owned {
            Some(mut out) => {
                out.push_str(self.slice(run, i));
                Cow::Owned(out)
            }
            None => Cow::Borrowed(self.slice(at, i)),
        };
        Ok((value, i + 1))
    }

    /// The namespace declarations among the attributes just read, put in scope.
    fn declare_namespaces(&mut self) -> Result<(), NotWellFormed> {
        for a in self.attrs.iter().filter(|a| a.declares) {
            let prefix = a.local;
            let value = a.value.as_ref();
            let bad = if a.qname == "xmlns" {
                (value == XML_NS || value == XMLNS_NS)
                    .then_some("the default namespace may not be the xml or xmlns namespace")
            } else if prefix.is_empty() || prefix.contains(':') {
                Some("a malformed namespace declaration")
            } else if prefix == "xmlns" {
                Some("the prefix xmlns may not be declared")
            } else if prefix == "xml" {
                (value != XML_NS).then_some("the prefix xml is bound to its own namespace only")
            } else if value.is_empty() {
                Some("a prefix may not be undeclared in XML 1.0")
            } else if value == XML_NS || value == XMLNS_NS {
                Some("only the prefix xml is bound to the xml namespace, none to xmlns")
            } else {
                None
            };
            if let Some(why) = bad {
                return Err(error(a.at, format!("{}: {why}", a.qname)));
            }
            let ns = match self.known.iter().find(|k| **k == value) {
                Some(k) => Cow::Borrowed(*k),
                None => a.value.clone(),
            };
            self.bindings.push(Binding { prefix, ns });
        }
        Ok(())
    }

    /// The innermost binding of `prefix` in scope (`None` also when the default namespace is
    /// undeclared).
    fn binding(&self, prefix: &str) -> Option<usize> {
        binding_in(&self.bindings, prefix)
    }

    /// Prefixed attributes get their namespace; no two attributes may have the same expanded
    /// name (Namespaces in XML 1.0 §6.3).
    fn resolve_attributes(&mut self) -> Result<(), NotWellFormed> {
        let mut prefixed = false;
        for a in self
            .attrs
            .iter_mut()
            .filter(|a| !a.declares && !a.prefix.is_empty())
        {
            let Some(b) = binding_in(&self.bindings, a.prefix) else {
                return Err(error(
                    a.at,
                    format!("the prefix {:?} is not declared", a.prefix),
                ));
            };
            a.binding = Some(b);
            prefixed = true;
        }
        if prefixed {
            self.unique_expanded_names()?;
        }
        Ok(())
    }

    /// No two attributes have the same namespace and local name (pairwise for the few
    /// attributes tags have, by sorting past a handful).
    fn unique_expanded_names(&self) -> Result<(), NotWellFormed> {
        let ns_of = |a: &Attr<'_>| {
            a.binding
                .and_then(|b| self.bindings.get(b))
                .map_or("", |b| b.ns.as_ref())
        };
        let same = |x: &Attr<'_>, y: &Attr<'_>| {
            same_name(x.local, y.local) && same_name(ns_of(x), ns_of(y))
        };
        let attrs = &self.attrs;
        let clash = if attrs.len() <= 8 {
            attrs.iter().enumerate().find_map(|(k, y)| {
                let earlier = attrs.get(..k).unwrap_or(&[]);
                (!y.declares && earlier.iter().any(|x| !x.declares && same(x, y))).then_some(y.at)
            })
        } else {
            let mut names: Vec<(&str, &str, usize)> = attrs
                .iter()
                .filter(|a| !a.declares)
                .map(|a| (ns_of(a), a.local, a.at))
                .collect();
            names.sort_unstable();
            names.windows(2).find_map(|w| match w {
                [x, y] if x.0 == y.0 && x.1 == y.1 => Some(x.2.max(y.2)),
                _ => None,
            })
        };
        match clash {
            Some(at) => Err(error(
                at,
                "two attributes with the same namespace and local name",
            )),
            None => Ok(()),
        }
    }

    /// An end tag: the open element's name, white space, `>`.
    fn end_tag(&mut self) -> Result<(), NotWellFormed> {
        let at = self.pos;
        let name_at = at + 2;
        let Some(open) = self.open.last() else {
            let (qname, _) = self.name(name_at, "an element name")?;
            return Err(error(at, format!("the end tag </{qname}> closes nothing")));
        };
        let end = name_at + open.qname.len();
        let same = self
            .text
            .get(name_at..end)
            .is_some_and(|n| same_name(open.qname, n))
            && self.byte(end).is_none_or(|b| class(b) & NAME == 0);
        if !same {
            let (qname, _) = self.name(name_at, "an element name")?;
            return Err(error(
                at,
                format!("the end tag </{qname}> does not match <{}>", open.qname),
            ));
        }
        let i = self.skip_space(end);
        if self.byte(i) != Some(b'>') {
            return Err(error(
                i,
                format!("the end tag </{} is not closed", open.qname),
            ));
        }
        self.close_scope();
        self.pos = i + 1;
        Ok(())
    }

    /// `<!`: a comment (skipped), a CDATA section (its text), or an error.
    fn markup_declaration(&mut self) -> Result<Option<(Cow<'i, str>, usize)>, NotWellFormed> {
        let at = self.pos;
        let rest = self.text.get(at..).unwrap_or("");
        if rest.starts_with("<!--") {
            let body = at + 4;
            let tail = self.text.as_bytes().get(body..).unwrap_or(b"");
            let Some(dashes) = memchr::memmem::find(tail, b"--") else {
                return Err(error(at, "a comment is not closed"));
            };
            if tail.get(dashes + 2) != Some(&b'>') {
                return Err(error(body + dashes, "'--' is not allowed inside a comment"));
            }
            self.check_chars(body, body + dashes)?;
            self.pos = body + dashes + 3;
            Ok(None)
        } else if rest.starts_with("<![CDATA[") {
            if self.open.is_empty() {
                return Err(error(at, "character data outside the root element"));
            }
            let body = at + 9;
            let tail = self.text.as_bytes().get(body..).unwrap_or(b"");
            let Some(len) = memchr::memmem::find(tail, b"]]>") else {
                return Err(error(at, "a CDATA section is not closed"));
            };
            self.check_chars(body, body + len)?;
            self.pos = body + len + 3;
            let content = self.slice(body, body + len);
            if content.is_empty() {
                return Ok(None);
            }
            let text = if content.contains('\r') {
                Cow::Owned(content.replace("\r\n", "\n").replace('\r', "\n"))
            } else {
                Cow::Borrowed(content)
            };
            Ok(Some((text, at)))
        } else if rest.starts_with("<!DOCTYPE") {
            Err(error(at, "document type declarations are not accepted"))
        } else {
            Err(error(
                at,
                "expected a comment or a CDATA section after '<!'",
            ))
        }
    }

    /// `<?`: the XML declaration at the very start, or a processing instruction (skipped).
    fn processing_instruction(&mut self) -> Result<(), NotWellFormed> {
        let at = self.pos;
        let (target, i) = self.name(at + 2, "a processing instruction target")?;
        let tail = self.text.as_bytes().get(i..).unwrap_or(b"");
        let Some(len) = memchr::memmem::find(tail, b"?>") else {
            return Err(error(at, "a processing instruction is not closed"));
        };
        let end = i + len;
        if len > 0 && !self.byte(i).is_some_and(is_space) {
            return Err(error(i, "expected white space after the target"));
        }
        if target.eq_ignore_ascii_case("xml") {
            if target != "xml" || at != self.start {
                return Err(error(
                    at,
                    "the XML declaration may only stand at the very start (and targets 'xml' are reserved)",
                ));
            }
            self.xml_declaration(i, end)?;
        } else if target.contains(':') {
            return Err(error(
                at + 2,
                "a processing instruction target has no colon",
            ));
        } else {
            self.check_chars(i, end)?;
        }
        self.pos = end + 2;
        Ok(())
    }

    /// The pseudo-attributes of the XML declaration (XML 1.0 productions 23–32) in `from..to`.
    fn xml_declaration(&self, from: usize, to: usize) -> Result<(), NotWellFormed> {
        let mut i = from;
        let mut seen: Vec<&str> = Vec::new();
        loop {
            let after = self.skip_space(i);
            if after >= to {
                break;
            }
            if after == i {
                return Err(error(i, "expected white space in the XML declaration"));
            }
            let (name, j) = self.name(after, "a pseudo-attribute")?;
            let j = self.skip_space(j);
            if self.byte(j) != Some(b'=') {
                return Err(error(j, "expected '=' in the XML declaration"));
            }
            let j = self.skip_space(j + 1);
            let quote = match self.byte(j) {
                Some(q @ (b'"' | b'\'')) => q,
                _ => return Err(error(j, "expected a quoted value in the XML declaration")),
            };
            let tail = self.text.as_bytes().get(j + 1..to).unwrap_or(b"");
            let Some(len) = memchr::memchr(quote, tail) else {
                return Err(error(j, "a value in the XML declaration is not closed"));
            };
            let value = self.slice(j + 1, j + 1 + len);
            let order = ["version", "encoding", "standalone"];
            let rank = order.iter().position(|n| *n == name);
            let last = seen.last().and_then(|s| order.iter().position(|n| n == s));
            let in_order = match (rank, last) {
                (Some(0), None) => true,
                (Some(r), Some(l)) => r > l,
                _ => false,
            };
            if !in_order {
                return Err(error(
                    after,
                    format!(
                        "{name:?} is out of place in the XML declaration (version, encoding, standalone)"
                    ),
                ));
            }
            let ok = match name {
                "version" => value
                    .strip_prefix("1.")
                    .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())),
                "encoding" => self.encoding_ok(value),
                _ => matches!(value, "yes" | "no"),
            };
            if !ok {
                return Err(error(
                    j + 1,
                    format!("{name}=\"{value}\" is not accepted in the XML declaration"),
                ));
            }
            seen.push(name);
            i = j + 2 + len;
        }
        if seen.first() != Some(&"version") {
            return Err(error(from, "the XML declaration has no version"));
        }
        Ok(())
    }

    /// The document is read as UTF-8: a declared encoding must name UTF-8, or be one that
    /// reads a pure-ASCII document the same way.
    fn encoding_ok(&self, name: &str) -> bool {
        let mut bytes = name.bytes();
        let well_formed = bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
            && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if !well_formed {
            return false;
        }
        let upper = name.to_ascii_uppercase();
        if matches!(upper.as_str(), "UTF-8" | "UTF8") {
            return true;
        }
        let wide = [
            "UTF-16", "UTF16", "UTF-32", "UTF32", "UCS-2", "UCS-4", "UCS2", "UCS4",
        ]
        .iter()
        .any(|w| upper.starts_with(w));
        !wide && self.text.is_ascii()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["urn:known"];

    /// The tokens of `doc`, one line each: `<{ns}local a={ns}name=value …` for a start tag
    /// (`/>` when empty), `>` for an end tag, `"text"` for character data; or the error's offset
    /// and message.
    fn tokens(doc: &str) -> Result<Vec<String>, (usize, String)> {
        let mut lexer = Lexer::new(doc, KNOWN, 8);
        let mut out = Vec::new();
        loop {
            match lexer.next_token().map_err(|e| (e.offset, e.message))? {
                Token::Start(tag) => {
                    let mut line = format!("<{{{}}}{}", tag.ns, tag.local);
                    for (ns, local, value) in tag.attributes() {
                        line.push_str(&format!(" {{{ns}}}{local}={value}"));
                    }
                    if tag.empty {
                        line.push_str(" />");
                    }
                    out.push(line);
                }
                Token::End => out.push(">".into()),
                Token::Text(t, _) => out.push(format!("{t:?}")),
                Token::Eof => return Ok(out),
            }
        }
    }

    fn ok(doc: &str) -> Vec<String> {
        tokens(doc).unwrap_or_else(|e| panic!("{doc:?}: {e:?}"))
    }

    fn fails_at(doc: &str, offset: usize, part: &str) {
        match tokens(doc) {
            Ok(t) => panic!("{doc:?} accepted: {t:?}"),
            Err((at, message)) => {
                assert_eq!(at, offset, "{doc:?}: {message}");
                assert!(message.contains(part), "{doc:?}: {message}");
            }
        }
    }

    #[test]
    fn text_is_normalised_and_borrowed_when_it_can_be() {
        assert_eq!(
            ok("<a>x &amp; &#65;&#x42; y</a>"),
            ["<{}a", "\"x & AB y\"", ">"]
        );
        assert_eq!(ok("<a>1\r\n2\r3\n</a>"), ["<{}a", "\"1\\n2\\n3\\n\"", ">"]);
        assert_eq!(
            ok("<a>x<![CDATA[<&]]>y<!-- c -->z<?pi d?></a>"),
            ["<{}a", "\"x\"", "\"<&\"", "\"y\"", "\"z\"", ">"]
        );
        assert_eq!(ok("<a><![CDATA[]]></a>"), ["<{}a", ">"]);
        let doc = "<a>plain text</a>";
        let mut lexer = Lexer::new(doc, KNOWN, 8);
        assert!(matches!(lexer.next_token(), Ok(Token::Start(_))));
        match lexer.next_token() {
            Ok(Token::Text(Cow::Borrowed(t), 3)) => assert_eq!(t, "plain text"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn attribute_values_are_normalised() {
        assert_eq!(
            ok("<a x=\"1\t2\r\n3\n4\" y='&#10;&#9;&lt;' z=\"'\"/>"),
            ["<{}a {}x=1 2 3 4 {}y=\n\t< {}z=' />"]
        );
    }

    #[test]
    fn namespaces_are_scoped_and_interned() {
        let doc = "<r xmlns='urn:known' xmlns:p='urn:p'>\
                   <p:a p:x='1' y='2' xml:lang='en'/>\
                   <b xmlns='' xmlns:p='urn:q'><p:c/></b>\
                   <p:d/></r>";
        assert_eq!(
            ok(doc),
            [
                "<{urn:known}r",
                "<{urn:p}a {urn:p}x=1 {}y=2 {http://www.w3.org/XML/1998/namespace}lang=en />",
                "<{}b",
                "<{urn:q}c />",
                ">",
                "<{urn:p}d />",
                ">"
            ]
        );
        let mut lexer = Lexer::new("<r xmlns='urn:known'/>", KNOWN, 8);
        match lexer.next_token() {
            Ok(Token::Start(tag)) => {
                assert!(std::ptr::eq(tag.ns.as_ptr(), KNOWN[0].as_ptr()));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn prolog_and_epilog() {
        assert_eq!(
            ok(
                "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\" standalone='no'?>\n<!-- c -->\n<?pi?><a/>\n<!-- d --> "
            ),
            ["<{}a />"]
        );
        assert_eq!(ok("<?xml version='1.1'?><a/>"), ["<{}a />"]);
        assert_eq!(
            ok("<?xml version='1.0' encoding='ISO-8859-1'?><a/>"),
            ["<{}a />"]
        );
        fails_at(
            "<?xml version='1.0' encoding='ISO-8859-1'?><a>é</a>",
            30,
            "encoding",
        );
        fails_at(
            "<?xml version='1.0' encoding='UTF-16'?><a/>",
            30,
            "encoding",
        );
        fails_at("<?xml standalone='yes'?><a/>", 6, "out of place");
        fails_at(
            "<?xml version='1.0' standalone='yes' encoding='UTF-8'?><a/>",
            37,
            "out of place",
        );
        fails_at(
            "<?xml version='1.0'?><?xml version='1.0'?><a/>",
            21,
            "very start",
        );
        fails_at("<a/><?xml version='1.0'?>", 4, "very start");
        fails_at("<?xml version=\"1.0\"?>x<a/>", 21, "outside the root");
        fails_at("<a/>&#32;", 4, "outside the root");
        fails_at("<a/><b/>", 4, "junk after");
        fails_at("<!DOCTYPE a><a/>", 0, "document type");
        fails_at("", 0, "no root");
        fails_at("  <!-- only -->", 15, "no root");
        fails_at("<a><b></b>", 10, "not closed");
    }

    #[test]
    fn well_formedness_errors_and_their_offsets() {
        for (doc, offset, part) in [
            ("<a>&#0;</a>", 3, "no legal XML character"),
            ("<a>&#xD800;</a>", 3, "no legal XML character"),
            ("<a>&#x110000;</a>", 3, "no legal XML character"),
            ("<a>&#12a;</a>", 3, "malformed"),
            ("<a>&nbsp;</a>", 3, "undefined entity"),
            ("<a>a & b</a>", 5, "starts no reference"),
            ("<a>a]]>b</a>", 4, "']]>'"),
            ("<a>a\u{1}b</a>", 4, "U+0001"),
            ("<a>a\u{FFFF}b</a>", 4, "U+FFFF"),
            ("<a><!-- a -- b --></a>", 10, "'--'"),
            ("<a><!-- a ---></a>", 10, "'--'"),
            ("<a><!-- a </a>", 3, "not closed"),
            ("<a><![CDATA[x</a>", 3, "not closed"),
            ("<a><![CDATA[\u{2}]]></a>", 12, "U+0002"),
            ("<a><?pi\u{3}?></a>", 7, "white space"),
            ("<a><?p:i x?></a>", 5, "colon"),
            ("<a></b>", 3, "does not match"),
            ("<a></ab>", 3, "does not match"),
            ("<ab></a>", 4, "does not match"),
            ("</a>", 0, "closes nothing"),
            ("<a></a >x", 8, "outside the root"),
            ("<1a/>", 1, "element name"),
            ("<a\u{A0}b/>", 1, "element name"),
            ("<a:b:c xmlns:a='urn:a'/>", 1, "qualified name"),
            ("<a: xmlns:a='urn:a'/>", 1, "qualified name"),
            ("<p:a/>", 1, "not declared"),
            ("<a p:x='1'/>", 3, "not declared"),
            ("<a x='1' x='2'/>", 9, "repeated"),
            (
                "<a xmlns:p='urn:x' xmlns:q='urn:x' p:x='1' q:x='2'/>",
                43,
                "same namespace",
            ),
            ("<a x='1'y='2'/>", 8, "white space"),
            ("<a x=1/>", 5, "not quoted"),
            ("<a x/>", 4, "'='"),
            ("<a x='<'/>", 6, "'<'"),
            ("<a x='&'/>", 6, "starts no reference"),
            ("<a x='1/>", 6, "not closed"),
            ("<a", 0, "not closed"),
            ("<a xmlns:p=''/>", 3, "undeclared"),
            ("<a xmlns:xml='urn:x'/>", 3, "xml"),
            ("<a xmlns:xmlns='urn:x'/>", 3, "xmlns"),
            ("<a xmlns:p='http://www.w3.org/2000/xmlns/'/>", 3, "xmlns"),
            (
                "<a xmlns='http://www.w3.org/XML/1998/namespace'/>",
                3,
                "default",
            ),
            ("<xmlns:a/>", 1, "prefix xmlns"),
        ] {
            fails_at(doc, offset, part);
        }
    }

    #[test]
    fn depth_limit() {
        let doc = format!("{}{}", "<a>".repeat(9), "</a>".repeat(9));
        let mut lexer = Lexer::new(&doc, KNOWN, 8);
        let err = loop {
            match lexer.next_token() {
                Ok(Token::Eof) => panic!("accepted"),
                Ok(_) => {}
                Err(e) => break e,
            }
        };
        assert!(err.too_deep);
        assert_eq!(err.offset, 24);
        assert!(tokens(&format!("{}{}", "<a>".repeat(8), "</a>".repeat(8))).is_ok());
    }

    #[test]
    fn many_attributes_are_checked_for_duplicates_by_sorting() {
        let attrs: String = (0..20).map(|i| format!(" p:a{i}='1'")).collect();
        let good = format!("<a xmlns:p='urn:p'{attrs}/>");
        assert_eq!(ok(&good).len(), 1);
        let bad = format!("<a xmlns:p='urn:p' xmlns:q='urn:p'{attrs} q:a7='2'/>");
        fails_at(&bad, bad.len() - 10, "same namespace");
    }
}
