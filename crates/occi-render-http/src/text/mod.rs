//! The text renderings: the grammar of their header lines (GFD.185 §3.5, GFD.229 §4), read
//! and written here, shared by text/plain bodies ([`plain`]) and text/occi header fields
//! ([`occi`]).
//!
//! ```text
//! Category: term; scheme="…"; class="kind" [; title="…"] [; rel="…"] [; location="…"]
//!           [; attributes="…"] [; actions="…"]
//! Link: <URI-Reference>; rel="…" [; self="…"] [; category="…" *( ; name=value )]
//! X-OCCI-Attribute: name=value      ; value = quoted-string / int / float / bool
//! X-OCCI-Location: URI-Reference
//! ```

pub(crate) mod occi;
pub(crate) mod plain;
mod quoted;

use crate::error::at;
use crate::media::Loss;
use crate::message::{AttributeSpec, CategoryRendering, LinkRendering, Message};
use crate::options::lenient;
use crate::typing::{Positions, type_message};
use crate::validate::validate_message;
use crate::{Error, ErrorKind, Leniency, Mode, Parsed, Parser, Warning};
use occi_model::fedcloud_core::Position;
use occi_model::{AttributeName, AttributeValue, CategoryClass, EntityId, OcciVersion};
use occi_model::{CategoryId, CategoryRef, Term};
use quoted::{push_quoted, quotable, split_commas};
use std::borrow::Cow;
use std::fmt::Write as _;

/// The header a line or header field carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Header {
    Category,
    Link,
    Attribute,
    Location,
}

/// The header a name stands for, and whether it is spelled canonically.
pub(crate) fn header_of(name: &str) -> Option<(Header, Option<Leniency>)> {
    const CANON: [(&str, Header); 4] = [
        ("Category", Header::Category),
        ("Link", Header::Link),
        ("X-OCCI-Attribute", Header::Attribute),
        ("X-OCCI-Location", Header::Location),
    ];
    for (canon, h) in CANON {
        if name == canon {
            return Some((h, None));
        }
        if name.eq_ignore_ascii_case(canon) {
            return Some((h, Some(Leniency::HeaderNameCase)));
        }
    }
    if name.eq_ignore_ascii_case("X-OCCI-Category") {
        return Some((Header::Category, Some(Leniency::PrefixedHeaderName)));
    }
    if name.eq_ignore_ascii_case("X-OCCI-Link") {
        return Some((Header::Link, Some(Leniency::PrefixedHeaderName)));
    }
    None
}

/// Whether a header name is in the `X-OCCI-` namespace of the OCCI headers, known or not.
fn occi_prefixed(name: &str) -> bool {
    name.get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("X-OCCI-"))
}

/// Whether a header field named `name` belongs to the OCCI rendering: one of its headers
/// ([`header_of`]) or another name in the `X-OCCI-` namespace (which [`State::line`]
/// refuses, or ignores with a warning). Every other header field (`Server`, `X-Runtime`,
/// `X-XSS-Protection`, …) is HTTP's, and the text/occi readers ignore it in every mode.
pub(crate) fn is_occi_header(name: &str) -> bool {
    header_of(name).is_some() || occi_prefixed(name)
}

/// The header name of a line `Name: value` after any leading white space, when the line
/// has that shape (a token before the colon); `None` for anything else (a continuation).
pub(crate) fn field_name(line: &str) -> Option<&str> {
    let rest = line.trim_start_matches([' ', '\t']);
    let colon = memchr::memchr(b':', rest.as_bytes())?;
    let name = rest.get(..colon)?.trim_end_matches([' ', '\t']);
    (!name.is_empty() && name.bytes().all(is_tchar)).then_some(name)
}

pub(crate) struct State<'p, 'm> {
    p: &'p Parser<'m>,
    msg: Message,
    pos: Positions,
    warnings: Vec<Warning>,
    lines: usize,
}

impl<'p, 'm> State<'p, 'm> {
    fn new(p: &'p Parser<'m>) -> Self {
        Self {
            p,
            msg: Message::default(),
            pos: Positions::default(),
            warnings: Vec::new(),
            lines: 0,
        }
    }

    fn count_line(&mut self, base: Position) -> Result<(), Error> {
        self.lines += 1;
        if self.lines > self.p.limits.max_lines {
            return Err(at(
                ErrorKind::TooManyLines {
                    limit: self.p.limits.max_lines,
                },
                base,
            ));
        }
        Ok(())
    }

    fn lenient(&mut self, leniency: Leniency, position: Position) -> Result<(), Error> {
        lenient(self.p.mode, &mut self.warnings, leniency, position)
    }

    fn line(&mut self, line: &str, base: Position) -> Result<(), Error> {
        self.count_line(base)?;
        if line.len() > self.p.limits.max_line_bytes {
            return Err(at(
                ErrorKind::LineTooLong {
                    limit: self.p.limits.max_line_bytes,
                    actual: line.len(),
                },
                base,
            ));
        }
        let Some(colon) = memchr::memchr(b':', line.as_bytes()) else {
            return Err(at(ErrorKind::MissingColon, base));
        };
        let name = line.get(..colon).unwrap_or_default();
        let indent = name.len() - name.trim_start_matches([' ', '\t']).len();
        if indent > 0 {
            self.lenient(Leniency::IndentedLine, base)?;
        }
        let name = name.trim_matches([' ', '\t']);
        let Some((header, spelling)) = header_of(name) else {
            if occi_prefixed(name) && self.p.mode.is_lenient() {
                return self.lenient(Leniency::UnknownOcciHeader, base);
            }
            return Err(at(ErrorKind::UnknownHeader(name.to_owned()), base));
        };
        if let Some(l) = spelling {
            self.lenient(l, base)?;
        }
        let value_start = colon + 1;
        let ascii = line.is_ascii();
        let value = line.get(value_start..).unwrap_or_default();
        for (s, e) in split_commas(value) {
            let element = value.get(s..e).unwrap_or_default();
            let mut cur = Cursor {
                s: element,
                i: 0,
                line,
                ascii,
                off: value_start + s,
                base,
            };
            match header {
                Header::Category => {
                    let at = cur.here();
                    let c = self.category(&mut cur)?;
                    if self.msg.categories.is_empty() {
                        self.pos.start = at;
                    }
                    self.msg.categories.push(c);
                    self.pos.categories.push(at);
                }
                Header::Link => {
                    let at = cur.here();
                    let (l, positions) = self.link(&mut cur)?;
                    self.msg.links.push(l);
                    self.pos.links.push(positions);
                    self.pos.link_starts.push(at);
                }
                Header::Attribute => {
                    let start = cur.here();
                    let (name, value) = self.attribute(&mut cur)?;
                    cur.skip_ows();
                    if cur.peek() == Some(b';') {
                        let semi = cur.here();
                        cur.i += 1;
                        cur.skip_ows();
                        if cur.at_end() {
                            self.lenient(Leniency::TrailingSemicolon, semi)?;
                        }
                    }
                    if !cur.at_end() {
                        return Err(at(ErrorKind::Syntax("end of attribute"), cur.here()));
                    }
                    self.push_attribute(name, value, start)?;
                }
                Header::Location => {
                    let loc = element.trim();
                    check_uri(loc, cur.here())?;
                    self.msg.locations.push(loc.to_owned());
                }
            }
        }
        Ok(())
    }

    fn push_attribute(
        &mut self,
        name: String,
        value: AttributeValue,
        start: Position,
    ) -> Result<(), Error> {
        if let Some(i) = self.msg.attributes.iter().position(|(n, _)| *n == name) {
            self.lenient(Leniency::DuplicateAttribute, start)?;
            if let Some(slot) = self.msg.attributes.get_mut(i) {
                slot.1 = value;
            }
            return Ok(());
        }
        if self.msg.attributes.len() >= self.p.limits.max_attributes {
            return Err(at(
                ErrorKind::TooManyAttributes {
                    limit: self.p.limits.max_attributes,
                },
                start,
            ));
        }
        self.msg.attributes.push((name, value));
        self.pos.attributes.push(start);
        Ok(())
    }

    /// Whether nothing has been read yet.
    fn is_empty(&self) -> bool {
        self.msg.categories.is_empty()
            && self.msg.links.is_empty()
            && self.msg.attributes.is_empty()
            && self.msg.locations.is_empty()
    }

    fn finish(mut self) -> Result<Parsed, Error> {
        let mut findings = Vec::new();
        if let Some(model) = self.p.model {
            type_message(
                model,
                self.p.mode,
                &mut self.msg,
                &self.pos,
                &mut self.warnings,
            )?;
            if self.p.validate {
                validate_message(
                    model,
                    self.p.mode,
                    self.p.unknown,
                    &self.msg,
                    &self.pos,
                    &mut findings,
                )?;
            }
        }
        Ok(Parsed {
            message: self.msg,
            warnings: self.warnings,
            findings,
        })
    }

    // ---- Category -------------------------------------------------------------------------

    fn category(&mut self, cur: &mut Cursor<'_>) -> Result<CategoryRendering, Error> {
        let term_pos = cur.here();
        let term = cur.take_while(|b| !matches!(b, b';' | b' ' | b'\t' | b'"' | b'='));
        if term.is_empty() {
            return Err(at(ErrorKind::Syntax("a term"), term_pos));
        }
        self.check_term(term, term_pos)?;
        let mut c = CategoryRendering {
            term: term.to_owned(),
            ..CategoryRendering::default()
        };
        let mut seen: u8 = 0;
        let mut last_rank = 0;
        while self.separator(cur)? {
            let name_pos = cur.here();
            let name = cur.take_while(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !cur.eat(b'=') {
                return Err(at(
                    ErrorKind::Syntax("'=' after a parameter name"),
                    cur.here(),
                ));
            }
            let rank: u8 = match name {
                "scheme" => 1,
                "class" => 2,
                "title" => 3,
                "rel" => 4,
                "location" => 5,
                "attributes" => 6,
                "actions" => 7,
                other => {
                    return Err(at(ErrorKind::UnknownParameter(other.to_owned()), name_pos));
                }
            };
            if seen & (1 << rank) != 0 {
                return Err(at(ErrorKind::DuplicateParameter(name.to_owned()), name_pos));
            }
            seen |= 1 << rank;
            if rank < last_rank {
                self.lenient(Leniency::ParameterOrder, name_pos)?;
            }
            last_rank = rank;
            let value_pos = cur.here();
            if rank == 2 {
                let class = if cur.peek() == Some(b'"') {
                    self.quoted(cur)?
                } else {
                    self.lenient(Leniency::UnquotedClass, value_pos)?;
                    cur.take_while(|b| b.is_ascii_alphanumeric()).to_owned()
                };
                c.class = Some(match class.as_str() {
                    "kind" => CategoryClass::Kind,
                    "mixin" => CategoryClass::Mixin,
                    "action" => CategoryClass::Action,
                    _ => return Err(at(ErrorKind::UnknownClass(class), value_pos)),
                });
                continue;
            }
            if cur.peek() != Some(b'"') {
                return Err(at(ErrorKind::Syntax("a quoted-string"), value_pos));
            }
            let v = self.quoted(cur)?;
            match rank {
                1 => {
                    // The scheme rules without allocating a `Scheme` (a one-letter term
                    // cannot fail).
                    CategoryRef::from_parts(&v, "x", OcciVersion::V1_2)
                        .map_err(|e| ident(&e, value_pos))?;
                    if !splittable_scheme(&v) {
                        // rOCCI 4 and jOCCI publish `…/network/action#up` as the scheme of `down`.
                        if self.p.mode.is_lenient() {
                            self.lenient(Leniency::IdentifierGrammar, value_pos)?;
                        } else {
                            return Err(at(
                                ErrorKind::Identifier("a scheme must end in its only '#'".into()),
                                value_pos,
                            ));
                        }
                    }
                    c.scheme = v;
                }
                3 => c.title = Some(v),
                4 => c.rel = self.type_ids(&v, value_pos)?,
                5 => {
                    check_uri(&v, value_pos)?;
                    c.location = Some(v);
                }
                6 => c.attributes = self.attribute_specs(&v, value_pos)?,
                _ => c.actions = self.type_ids(&v, value_pos)?,
            }
        }
        if seen & (1 << 1) == 0 {
            return Err(at(ErrorKind::MissingScheme, cur.here()));
        }
        if c.class.is_none() {
            self.lenient(Leniency::ClasslessCategory, term_pos)?;
        }
        Ok(c)
    }

    /// Consumes `;` and the space after it; `false` at the end of the element.
    fn separator(&mut self, cur: &mut Cursor<'_>) -> Result<bool, Error> {
        let before = cur.here();
        let ws_before = cur.skip_ows();
        if cur.at_end() {
            return Ok(false);
        }
        if !cur.eat(b';') {
            return Err(at(ErrorKind::Syntax("';'"), cur.here()));
        }
        let after = cur.skip_ows();
        if cur.at_end() {
            self.lenient(Leniency::TrailingSemicolon, before)?;
            return Ok(false);
        }
        if ws_before != 0 || after != 1 {
            self.lenient(Leniency::SeparatorSpacing, before)?;
        }
        Ok(true)
    }

    fn check_term(&mut self, term: &str, pos: Position) -> Result<(), Error> {
        if fast_term(term, self.p.mode.version()) {
            return Ok(());
        }
        match Term::parse(term, self.p.mode.version()) {
            Ok(_) => Ok(()),
            Err(e) => {
                if self.p.mode.is_lenient() && term.bytes().all(is_tchar) {
                    self.lenient(Leniency::IdentifierGrammar, pos)
                } else if self.p.mode == Mode::Strict11
                    && Term::parse(term, OcciVersion::V1_2).is_ok()
                {
                    Err(at(ErrorKind::Strict(Leniency::IdentifierGrammar), pos))
                } else {
                    Err(ident(&e, pos))
                }
            }
        }
    }

    fn check_attribute_name(&mut self, name: &str, pos: Position) -> Result<(), Error> {
        if fast_attribute_name(name, self.p.mode.version()) {
            return Ok(());
        }
        match AttributeName::parse(name, self.p.mode.version()) {
            Ok(_) => Ok(()),
            Err(e) => {
                if self.p.mode.is_lenient() && !name.is_empty() && name.bytes().all(is_tchar) {
                    self.lenient(Leniency::IdentifierGrammar, pos)
                } else if self.p.mode == Mode::Strict11
                    && AttributeName::parse(name, OcciVersion::V1_2).is_ok()
                {
                    Err(at(ErrorKind::Strict(Leniency::IdentifierGrammar), pos))
                } else {
                    Err(ident(&e, pos))
                }
            }
        }
    }

    /// A space-separated list of type identifiers.
    fn type_ids(&mut self, v: &str, pos: Position) -> Result<Vec<String>, Error> {
        let mut out = Vec::new();
        for id in v.split_ascii_whitespace() {
            if let Err(e) = CategoryRef::parse(id, self.p.mode.version()) {
                if self.p.mode.is_lenient() && loose_type_id(id) {
                    self.lenient(Leniency::IdentifierGrammar, pos)?;
                } else if self.p.mode == Mode::Strict11
                    && CategoryId::parse(id, OcciVersion::V1_2).is_ok()
                {
                    return Err(at(ErrorKind::Strict(Leniency::IdentifierGrammar), pos));
                } else {
                    return Err(ident(&e, pos));
                }
            }
            out.push(id.to_owned());
        }
        Ok(out)
    }

    /// `attr-def *( SP attr-def )`, `attr-def = name [ "{" prop *( SP prop ) "}" ]`.
    fn attribute_specs(&mut self, v: &str, pos: Position) -> Result<Vec<AttributeSpec>, Error> {
        let mut out = Vec::new();
        let mut rest = v.trim_start();
        while !rest.is_empty() {
            let end = rest.find([' ', '{']).unwrap_or(rest.len());
            let name = rest.get(..end).unwrap_or_default();
            self.check_attribute_name(name, pos)?;
            let mut spec = AttributeSpec::new(name, false, false);
            rest = rest.get(end..).unwrap_or_default();
            if let Some(props) = rest.strip_prefix('{') {
                let Some(close) = props.find('}') else {
                    return Err(at(ErrorKind::Syntax("'}' closing the properties"), pos));
                };
                for prop in props
                    .get(..close)
                    .unwrap_or_default()
                    .split_ascii_whitespace()
                {
                    match prop {
                        "immutable" => spec.immutable = true,
                        "required" => spec.required = true,
                        _ => return Err(at(ErrorKind::Syntax("'immutable' or 'required'"), pos)),
                    }
                }
                rest = props.get(close + 1..).unwrap_or_default();
            }
            out.push(spec);
            rest = rest.trim_start();
        }
        Ok(out)
    }

    // ---- Link -----------------------------------------------------------------------------

    fn link(&mut self, cur: &mut Cursor<'_>) -> Result<(LinkRendering, Vec<Position>), Error> {
        let start = cur.here();
        if !cur.eat(b'<') {
            return Err(at(ErrorKind::Syntax("'<' opening the link target"), start));
        }
        let target = cur.take_while(|b| b != b'>');
        if !cur.eat(b'>') {
            return Err(at(
                ErrorKind::Syntax("'>' closing the link target"),
                cur.here(),
            ));
        }
        check_uri(target, start)?;
        let mut l = LinkRendering {
            target: target.to_owned(),
            ..LinkRendering::default()
        };
        let mut positions = Vec::new();
        let mut has_rel = false;
        let mut space_separated = false;
        loop {
            if !space_separated && !self.separator(cur)? {
                break;
            }
            space_separated = false;
            let name_pos = cur.here();
            let name = cur.take_while(|b| !matches!(b, b'=' | b';' | b' ' | b'\t' | b'"'));
            match name {
                "rel" | "self" | "category" => {
                    if !cur.eat(b'=') {
                        return Err(at(ErrorKind::Syntax("'='"), cur.here()));
                    }
                    let vpos = cur.here();
                    let v = if cur.peek() == Some(b'"') {
                        self.quoted(cur)?
                    } else {
                        cur.take_while(|b| !matches!(b, b';' | b' ' | b'\t'))
                            .to_owned()
                    };
                    match name {
                        "rel" => {
                            if has_rel {
                                return Err(at(
                                    ErrorKind::DuplicateParameter("rel".into()),
                                    name_pos,
                                ));
                            }
                            has_rel = true;
                            l.rel = self.type_ids(&v, vpos)?;
                        }
                        "self" => {
                            check_uri(&v, vpos)?;
                            l.self_location = Some(v);
                        }
                        _ => l.categories = self.type_ids(&v, vpos)?,
                    }
                }
                _ => {
                    cur.i -= name.len();
                    let (n, v) = self.attribute(cur)?;
                    if let Some(i) = l.attributes.iter().position(|(x, _)| *x == n) {
                        self.lenient(Leniency::DuplicateAttribute, name_pos)?;
                        if let Some(slot) = l.attributes.get_mut(i) {
                            slot.1 = v;
                        }
                    } else {
                        if l.attributes.len() >= self.p.limits.max_attributes {
                            return Err(at(
                                ErrorKind::TooManyAttributes {
                                    limit: self.p.limits.max_attributes,
                                },
                                name_pos,
                            ));
                        }
                        l.attributes.push((n, v));
                        positions.push(name_pos);
                    }
                }
            }
            // Old rOCCI: `a="x" b="y"` — attributes separated by spaces only.
            let save = cur.i;
            let ws = cur.skip_ows();
            if ws > 0 && !cur.at_end() && cur.peek() != Some(b';') {
                self.lenient(Leniency::SpaceSeparatedLinkAttributes, cur.here())?;
                space_separated = true;
            } else {
                cur.i = save;
            }
        }
        if !has_rel {
            return Err(at(ErrorKind::Syntax("rel=\"…\" in the link"), start));
        }
        Ok((l, positions))
    }

    // ---- attributes -----------------------------------------------------------------------

    /// `name=value` with the value typed by its syntax.
    fn attribute(&mut self, cur: &mut Cursor<'_>) -> Result<(String, AttributeValue), Error> {
        let name_pos = cur.here();
        let name = cur.take_while(|b| !matches!(b, b'=' | b';' | b' ' | b'\t' | b'"'));
        self.check_attribute_name(name, name_pos)?;
        if !cur.eat(b'=') {
            return Err(at(
                ErrorKind::Syntax("'=' after the attribute name"),
                cur.here(),
            ));
        }
        let vpos = cur.here();
        if cur.peek() == Some(b'"') {
            let v = self.quoted(cur)?;
            return Ok((name.to_owned(), AttributeValue::String(v)));
        }
        let token = cur.take_while(|b| !matches!(b, b';' | b' ' | b'\t'));
        let value = self.bare_value(token, vpos)?;
        Ok((name.to_owned(), value))
    }

    fn bare_value(&mut self, token: &str, pos: Position) -> Result<AttributeValue, Error> {
        match token {
            "" => return Err(at(ErrorKind::InvalidValue, pos)),
            "true" => return Ok(AttributeValue::Boolean(true)),
            "false" => return Ok(AttributeValue::Boolean(false)),
            _ => {}
        }
        let bytes = token.as_bytes();
        let dots = bytes.iter().filter(|&&b| b == b'.').count();
        let plain =
            dots <= 1 && bytes.iter().all(|&b| b.is_ascii_digit() || b == b'.') && token != ".";
        if plain {
            if dots == 0
                && let Ok(i) = token.parse::<i64>()
            {
                return Ok(AttributeValue::Integer(i));
            }
            return match token.parse::<f64>() {
                Ok(f) if f.is_finite() => Ok(AttributeValue::Number(f)),
                _ => Err(at(ErrorKind::InvalidValue, pos)),
            };
        }
        if let Ok(i) = token.parse::<i64>() {
            self.lenient(Leniency::NumberSyntax, pos)?;
            return Ok(AttributeValue::Integer(i));
        }
        if let Ok(f) = token.parse::<f64>()
            && f.is_finite()
            && token.bytes().any(|b| b.is_ascii_digit())
        {
            self.lenient(Leniency::NumberSyntax, pos)?;
            return Ok(AttributeValue::Number(f));
        }
        if token.chars().all(|c| quotable(c) && c != '"' && c != '\\') {
            self.lenient(Leniency::BareToken, pos)?;
            return Ok(AttributeValue::String(token.to_owned()));
        }
        Err(at(ErrorKind::InvalidValue, pos))
    }

    /// A quoted-string at the cursor, unescaped.
    fn quoted(&mut self, cur: &mut Cursor<'_>) -> Result<String, Error> {
        let open = cur.here();
        cur.i += 1;
        // The common case: no escape, one exact allocation.
        if let Some(j) = memchr::memchr2(b'"', b'\\', cur.rest().as_bytes())
            && cur.rest().as_bytes().get(j) == Some(&b'"')
        {
            let chunk = cur.rest().get(..j).unwrap_or_default();
            if !chunk.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
                cur.i += j + 1;
                return Ok(chunk.to_owned());
            }
        }
        let mut out = String::new();
        loop {
            let rest = cur.rest();
            let Some(j) = memchr::memchr2(b'"', b'\\', rest.as_bytes()) else {
                return Err(at(ErrorKind::UnterminatedQuote, open));
            };
            let chunk = rest.get(..j).unwrap_or_default();
            // Controls are ASCII, so a byte scan finds them (multi-byte UTF-8 never looks like one).
            if let Some(k) = chunk
                .bytes()
                .position(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
            {
                cur.i += k;
                let c = char::from(chunk.as_bytes().get(k).copied().unwrap_or_default());
                return Err(at(ErrorKind::QuotedCharacter(c), cur.here()));
            }
            out.push_str(chunk);
            cur.i += j;
            if cur.peek() == Some(b'"') {
                cur.i += 1;
                return Ok(out);
            }
            let bs = cur.here();
            cur.i += 1;
            let Some(c) = cur.rest().chars().next() else {
                return Err(at(ErrorKind::UnterminatedQuote, open));
            };
            if !quotable(c) {
                return Err(at(ErrorKind::QuotedCharacter(c), cur.here()));
            }
            if c != '"' && c != '\\' {
                self.lenient(Leniency::LiteralBackslash, bs)?;
                out.push('\\');
            }
            out.push(c);
            cur.i += c.len_utf8();
        }
    }
}

/// A check that implies the term grammar of `version` without allocating (GFD.185 §3.5 /
/// GFD.229 §4: 1.1 `LOALPHA *(LOALPHA / DIGIT / "-" / "_")`, 1.2 `(ALPHA / DIGIT) *(ALPHA /
/// DIGIT / "-" / "_" / ".")`); `false` sends the caller to `occi-model` for the exact error.
fn fast_term(s: &str, version: OcciVersion) -> bool {
    let b = s.as_bytes();
    let Some((&first, rest)) = b.split_first() else {
        return false;
    };
    if b.len() > occi_model::MAX_IDENTIFIER_BYTES {
        return false;
    }
    match version {
        OcciVersion::V1_1 => {
            first.is_ascii_lowercase()
                && rest.iter().all(|&c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'_'
                })
        }
        _ => {
            first.is_ascii_alphanumeric()
                && rest
                    .iter()
                    .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        }
    }
}

/// As [`fast_term`] for attribute names (1.1: dot-separated 1.1 terms; 1.2: a 1.2 term).
pub(crate) fn fast_attribute_name(s: &str, version: OcciVersion) -> bool {
    match version {
        OcciVersion::V1_1 => {
            s.len() <= occi_model::MAX_IDENTIFIER_BYTES
                && s.split('.').all(|c| fast_term(c, version))
        }
        _ => fast_term(s, version),
    }
}

/// What lenient mode takes as a type identifier it cannot check: a `#` with something on
/// both sides.
pub(crate) fn loose_type_id(s: &str) -> bool {
    s.rfind('#').is_some_and(|i| i > 0 && i + 1 < s.len())
}

/// Whether scheme ‖ term splits back at its `#` into this scheme: the scheme ends in its only
/// `#` (GFD.221 §4.2.1 makes it a convention; `occi-model`'s type identifiers, rendered in
/// JSON and in `rel`, `actions` and `category=`, need it).
pub(crate) fn splittable_scheme(scheme: &str) -> bool {
    scheme.find('#').is_some_and(|i| i + 1 == scheme.len())
}

/// `tchar` of RFC 7230 §3.2.6: what a lenient identifier may hold, so that it never contains
/// a separator that changes how a rendering splits.
const fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
        )
}

fn ident(e: &occi_model::Error, pos: Position) -> Error {
    let inner = e.position().unwrap_or(Position::START);
    let p = Position::new(
        pos.offset + inner.offset,
        pos.line,
        pos.column + inner.column - 1,
    );
    at(ErrorKind::Identifier(e.kind().to_string()), p)
}

fn check_uri(s: &str, pos: Position) -> Result<(), Error> {
    // Unreserved and reserved characters of RFC 3986 only: valid without allocating an
    // `EntityId`; anything else (including `%`, whose two hex digits need checking) goes to
    // `occi-model` for the exact verdict and error.
    let fast = !s.is_empty()
        && s.len() <= occi_model::MAX_IDENTIFIER_BYTES
        && s.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'.'
                        | b'_'
                        | b'~'
                        | b':'
                        | b'/'
                        | b'?'
                        | b'#'
                        | b'['
                        | b']'
                        | b'@'
                        | b'!'
                        | b'$'
                        | b'&'
                        | b'\''
                        | b'('
                        | b')'
                        | b'*'
                        | b'+'
                        | b','
                        | b';'
                        | b'='
                )
        });
    if fast {
        return Ok(());
    }
    s.parse::<EntityId>()
        .map(|_| ())
        .map_err(|e| ident(&e, pos))
}

/// A position inside one element of one line.
struct Cursor<'a> {
    s: &'a str,
    i: usize,
    line: &'a str,
    /// Whether `line` is ASCII (columns are then byte offsets).
    ascii: bool,
    off: usize,
    base: Position,
}

impl<'a> Cursor<'a> {
    fn here(&self) -> Position {
        let upto = self.off + self.i;
        let cols = if self.ascii {
            upto
        } else {
            self.line.get(..upto).map_or(upto, |p| p.chars().count())
        };
        Position::new(
            self.base.offset + upto,
            self.base.line,
            self.base.column + cols,
        )
    }

    fn rest(&self) -> &'a str {
        self.s.get(self.i..).unwrap_or_default()
    }

    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.i).copied()
    }

    fn at_end(&self) -> bool {
        self.i >= self.s.len()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn skip_ows(&mut self) -> usize {
        let start = self.i;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
        self.i - start
    }

    /// Takes bytes while `f` holds; stops only at ASCII bytes, so the slice is on a char
    /// boundary.
    fn take_while(&mut self, f: impl Fn(u8) -> bool) -> &'a str {
        let start = self.i;
        let bytes = self.s.as_bytes();
        while let Some(&b) = bytes.get(self.i) {
            if !f(b) {
                break;
            }
            self.i += 1;
        }
        while !self.s.is_char_boundary(self.i) {
            self.i += 1;
        }
        self.s.get(start..self.i).unwrap_or_default()
    }
}

/// What the text renderings of `message` cannot carry: a mixin's `applies` and the parts of
/// an attribute definition other than its name, `immutable` and `required` (type, pattern,
/// default, description), which only JSON has (GFD.229 §4.3).
pub(crate) fn losses(message: &Message) -> Vec<Loss> {
    let mut out = Vec::new();
    for (i, c) in message.categories.iter().enumerate() {
        if !c.applies.is_empty() {
            out.push(Loss::new(
                format!("/categories/{i}"),
                format!("the applies of {}{}", c.scheme, c.term),
            ));
        }
        for a in &c.attributes {
            let parts: Vec<&str> = [
                (
                    a.attr_type.as_deref().is_some_and(|t| t != "string"),
                    "type",
                ),
                (a.pattern.is_some(), "pattern"),
                (a.default.is_some(), "default"),
                (a.description.is_some(), "description"),
            ]
            .into_iter()
            .filter_map(|(has, part)| has.then_some(part))
            .collect();
            if !parts.is_empty() {
                out.push(Loss::new(
                    format!("/categories/{i}/attributes/{}", a.name),
                    format!("the {} of {}", parts.join(", "), a.name),
                ));
            }
        }
    }
    out
}

// ---- the writer ----------------------------------------------------------------------------

fn err(kind: ErrorKind) -> Error {
    Error::new(kind, Position::START)
}

/// Each header field of the rendering, one value per field, in canonical order.
///
/// # Errors
/// As [`render_plain`](crate::render_plain).
pub fn header_values(message: &Message) -> Result<Vec<(&'static str, String)>, Error> {
    let mut out = Vec::with_capacity(
        message.categories.len()
            + message.links.len()
            + message.attributes.len()
            + message.locations.len(),
    );
    for c in &message.categories {
        out.push(("Category", category(c)?));
    }
    for l in &message.links {
        out.push(("Link", link(l)?));
    }
    for (n, v) in &message.attributes {
        let mut s = String::with_capacity(n.len() + 16);
        attribute(&mut s, n, v)?;
        out.push(("X-OCCI-Attribute", s));
    }
    for l in &message.locations {
        out.push(("X-OCCI-Location", safe_location(l, true)?.into_owned()));
    }
    Ok(out)
}

/// A location as a rendering can carry it: a byte that RFC 3986 does not allow in a URI
/// reference (a control, a space, `"`, `<`, a non-ASCII byte, a `%` without two hex digits)
/// percent-encoded, and, where `comma` (X-OCCI-Location, a comma-separated list, GFD.229
/// §3.2), a `,` too, so that a backend's location can neither split the list nor break the
/// line. A location that is already a URI reference without those bytes is borrowed as it is.
///
/// # Errors
/// `Unrepresentable` for the empty location, which no rendering can carry.
pub(crate) fn safe_location(location: &str, comma: bool) -> Result<Cow<'_, str>, Error> {
    if location.is_empty() {
        return Err(err(ErrorKind::Unrepresentable("an empty location")));
    }
    let bytes = location.as_bytes();
    let keeps = |i: usize, b: u8| match b {
        b',' => !comma,
        b'%' => {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            hex(i + 1) && hex(i + 2)
        }
        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => true,
        _ => b"-._~:/?#[]@!$&'()*+;=".contains(&b),
    };
    if bytes.iter().enumerate().all(|(i, &b)| keeps(i, b)) {
        return Ok(Cow::Borrowed(location));
    }
    let mut out = String::with_capacity(location.len() + 8);
    for (i, &b) in bytes.iter().enumerate() {
        if keeps(i, b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    Ok(Cow::Owned(out))
}

fn category(c: &CategoryRendering) -> Result<String, Error> {
    let mut s = String::with_capacity(64 + c.scheme.len());
    s.push_str(&c.term);
    s.push_str("; scheme=");
    push_quoted(&mut s, &c.scheme).map_err(err)?;
    if let Some(class) = c.class {
        s.push_str("; class=\"");
        s.push_str(class.as_str());
        s.push('"');
    }
    if let Some(t) = &c.title {
        s.push_str("; title=");
        push_quoted(&mut s, t).map_err(err)?;
    }
    if !c.rel.is_empty() {
        s.push_str("; rel=");
        push_quoted(&mut s, &c.rel.join(" ")).map_err(err)?;
    }
    if let Some(l) = &c.location {
        s.push_str("; location=");
        push_quoted(&mut s, l).map_err(err)?;
    }
    if !c.attributes.is_empty() {
        let mut specs = String::new();
        for (i, a) in c.attributes.iter().enumerate() {
            if i > 0 {
                specs.push(' ');
            }
            specs.push_str(&a.name);
            match (a.immutable, a.required) {
                (true, true) => specs.push_str("{immutable required}"),
                (true, false) => specs.push_str("{immutable}"),
                (false, true) => specs.push_str("{required}"),
                (false, false) => {}
            }
        }
        s.push_str("; attributes=");
        push_quoted(&mut s, &specs).map_err(err)?;
    }
    if !c.actions.is_empty() {
        s.push_str("; actions=");
        push_quoted(&mut s, &c.actions.join(" ")).map_err(err)?;
    }
    Ok(s)
}

fn link(l: &LinkRendering) -> Result<String, Error> {
    let mut s = String::with_capacity(128);
    s.push('<');
    s.push_str(&l.target);
    s.push_str(">; rel=");
    push_quoted(&mut s, &l.rel.join(" ")).map_err(err)?;
    if let Some(x) = &l.self_location {
        s.push_str("; self=");
        push_quoted(&mut s, x).map_err(err)?;
    }
    if !l.categories.is_empty() {
        s.push_str("; category=");
        push_quoted(&mut s, &l.categories.join(" ")).map_err(err)?;
    }
    for (n, v) in &l.attributes {
        s.push_str("; ");
        attribute(&mut s, n, v)?;
    }
    Ok(s)
}

/// `name=value`: strings quoted, integers and booleans bare, numbers with a `.` and never an
/// exponent (the grammar has none), arrays and objects as JSON in a quoted-string.
pub(crate) fn attribute(s: &mut String, name: &str, v: &AttributeValue) -> Result<(), Error> {
    s.push_str(name);
    s.push('=');
    match v {
        AttributeValue::String(x) => push_quoted(s, x).map_err(err)?,
        AttributeValue::Integer(i) => {
            let _ = write!(s, "{i}");
        }
        AttributeValue::Boolean(b) => s.push_str(if *b { "true" } else { "false" }),
        AttributeValue::Number(f) => {
            if !f.is_finite() {
                return Err(err(ErrorKind::Unrepresentable("a non-finite number")));
            }
            let start = s.len();
            let _ = write!(s, "{f}");
            if !s.get(start..).unwrap_or_default().contains('.') {
                s.push_str(".0");
            }
        }
        other => {
            let json = crate::json::value_to_json(other).to_string();
            push_quoted(s, &json).map_err(err)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
