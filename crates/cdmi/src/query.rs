//! Field selection in the query string of a request (1.1.1 §8.4.3, §9.4.3, …; 2.0.0 "Read a
//! … object"): which fields a read returns, which metadata (by name prefix), which byte ranges
//! of a value, which children or queue values.
//!
//! ```text
//! 1.x:  query = selector *( ";" selector )     selector = field / field ":" argument
//! 2.x:  query = selector *( "&" selector )     selector = field / field "=" argument
//! argument = range / metadata-prefix           ; metadata:cdmi_ / metadata=%40user
//! range    = first "-" last / first            ; inclusive (RFC 2616 §14.35.1); the single
//!                                              ; form for queue `values`
//! ```
//!
//! Names and prefixes are percent-decoded (RFC 3986 §2.1: `%40user` is `@user`).

use crate::{Error, ErrorKind};
use std::fmt;

/// The query syntax of a CDMI edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Dialect {
    /// 1.0.2 and 1.1.1: `;` between selectors, `:` before an argument.
    V1,
    /// 2.0.0: `&` and `=`, as HTML forms.
    V2,
}

impl Dialect {
    const fn separator(self) -> char {
        match self {
            Self::V1 => ';',
            Self::V2 => '&',
        }
    }

    pub(crate) const fn assign(self) -> char {
        match self {
            Self::V1 => ':',
            Self::V2 => '=',
        }
    }
}

/// An inclusive range of bytes, children or queue values (`0-10` is eleven).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Range {
    /// The first.
    pub first: u64,
    /// The last, not less than `first`.
    pub last: u64,
}

impl Range {
    /// The range `first-last`.
    ///
    /// # Errors
    /// `RangeOrder` when `last < first`.
    pub fn new(first: u64, last: u64) -> Result<Self, Error> {
        if last < first {
            return Err(Error::new(
                ErrorKind::RangeOrder,
                fedcloud_core::Position::START,
            ));
        }
        Ok(Self { first, last })
    }

    /// How many items it covers (`last - first + 1`, saturating).
    #[must_use]
    pub const fn count(self) -> u64 {
        (self.last - self.first).saturating_add(1)
    }

    /// Parses `first-last`, or `first` alone when `single` (queue values).
    ///
    /// # Errors
    /// `RangeSyntax` at the offending character, `RangeOrder`.
    pub fn parse(s: &str, single: bool) -> Result<Self, Error> {
        let b = s.as_bytes();
        let number = |part: &str, at: usize| -> Result<u64, Error> {
            if part.is_empty() || !part.bytes().all(|c| c.is_ascii_digit()) {
                let bad = part.bytes().position(|c| !c.is_ascii_digit()).unwrap_or(0);
                return Err(Error::at(ErrorKind::RangeSyntax, b, at + bad));
            }
            part.parse()
                .map_err(|_| Error::at(ErrorKind::RangeSyntax, b, at))
        };
        match s.split_once('-') {
            Some((a, z)) => {
                let first = number(a, 0)?;
                let last = number(z, a.len() + 1)?;
                if last < first {
                    return Err(Error::at(ErrorKind::RangeOrder, b, a.len() + 1));
                }
                Ok(Self { first, last })
            }
            None if single => {
                let n = number(s, 0)?;
                Ok(Self { first: n, last: n })
            }
            None => Err(Error::at(ErrorKind::RangeSyntax, b, s.len())),
        }
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.first, self.last)
    }
}

/// One selector of a query.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Selector {
    /// A field by name (`objectName`, `metadata`, `value`, `children`, `exports`, …).
    Field(String),
    /// The metadata items whose names start with the prefix.
    Metadata(String),
    /// Bytes of a data object's value (decoded bytes), or a queue's values by index in 1.x's
    /// `value:0-4` spelling of queues.
    Value(Range),
    /// A queue's values by index (`values:10-19`, `values=2`).
    Values(Range),
    /// Children by index.
    Children(Range),
}

/// A parsed query string, selectors in order.
///
/// ```
/// use cdmi::query::{Dialect, Range, Selection, Selector};
/// let q = Selection::parse("objectName;metadata:%40user;value:0-10;children:0-2", Dialect::V1, false)?;
/// assert_eq!(q.selectors[1], Selector::Metadata("@user".into()));
/// assert_eq!(q.selectors[2], Selector::Value(Range::new(0, 10)?));
/// assert_eq!(q.render(Dialect::V2), "objectName&metadata=%40user&value=0-10&children=0-2");
/// // 2.0.0's own examples still write `value:0-4`: lenient mode reads either syntax.
/// assert!(Selection::parse("value:0-4", Dialect::V2, false).is_err());
/// assert!(Selection::parse("value:0-4", Dialect::V2, true).is_ok());
/// # Ok::<(), cdmi::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Selection {
    /// The selectors.
    pub selectors: Vec<Selector>,
}

/// The most selectors a query may hold (a bound on hostile input; real queries have a few).
pub const MAX_SELECTORS: usize = 256;

impl Selection {
    /// Parses the query string (without the `?`) in `dialect`; `lenient` also reads the other
    /// edition's separators.
    ///
    /// # Errors
    /// `QuerySyntax` (an empty selector, a separator of the other dialect, a bad
    /// percent-escape, an argument to a field that takes none), `RangeSyntax`, `RangeOrder`,
    /// `TooManySelectors` — each at its character.
    pub fn parse(query: &str, dialect: Dialect, lenient: bool) -> Result<Self, Error> {
        Self::parse_with_limit(query, dialect, lenient, MAX_SELECTORS)
    }

    /// [`Selection::parse`] with another bound on the number of selectors.
    ///
    /// # Errors
    /// As [`Selection::parse`].
    pub fn parse_with_limit(
        query: &str,
        dialect: Dialect,
        lenient: bool,
        limit: usize,
    ) -> Result<Self, Error> {
        let b = query.as_bytes();
        let mut out = Self::default();
        if query.is_empty() {
            return Ok(out);
        }
        let other = match dialect {
            Dialect::V1 => Dialect::V2,
            Dialect::V2 => Dialect::V1,
        };
        let separators: &[char] = if lenient {
            &[';', '&']
        } else {
            &[dialect.separator()]
        };
        let mut offset = 0;
        for part in query.split(separators) {
            let here = offset;
            offset += part.len() + 1;
            if out.selectors.len() >= limit {
                return Err(Error::at(ErrorKind::TooManySelectors(limit), b, here));
            }
            if part.is_empty() {
                return Err(Error::at(ErrorKind::QuerySyntax("a selector"), b, here));
            }
            if !lenient && let Some(i) = part.find([other.separator(), other.assign()]) {
                return Err(Error::at(
                    ErrorKind::QuerySyntax("the separators of this CDMI edition"),
                    b,
                    here + i,
                ));
            }
            let assigns: &[char] = if lenient {
                &[':', '=']
            } else {
                &[dialect.assign()]
            };
            let (name, argument) = match part.find(assigns) {
                Some(i) => (
                    part.get(..i).unwrap_or_default(),
                    Some((i + 1, part.get(i + 1..).unwrap_or_default())),
                ),
                None => (part, None),
            };
            let name = decode(name).map_err(|i| {
                Error::at(
                    ErrorKind::QuerySyntax("a percent-escape %XX of UTF-8"),
                    b,
                    here + i,
                )
            })?;
            let shift = |e: Error, at: usize| {
                let p = e.position();
                Error::at(e.kind().clone(), b, here + at + p.offset)
            };
            let selector = match (name.as_str(), argument) {
                (_, None) => Selector::Field(name),
                ("metadata", Some((at, prefix))) => {
                    Selector::Metadata(decode(prefix).map_err(|i| {
                        Error::at(
                            ErrorKind::QuerySyntax("a percent-escape %XX of UTF-8"),
                            b,
                            here + at + i,
                        )
                    })?)
                }
                ("value", Some((at, r))) => {
                    Selector::Value(Range::parse(r, true).map_err(|e| shift(e, at))?)
                }
                ("values", Some((at, r))) => {
                    Selector::Values(Range::parse(r, true).map_err(|e| shift(e, at))?)
                }
                ("children", Some((at, r))) => {
                    Selector::Children(Range::parse(r, false).map_err(|e| shift(e, at))?)
                }
                (_, Some((at, _))) => {
                    return Err(Error::at(
                        ErrorKind::QuerySyntax(
                            "no argument: only metadata, value, values and children take one",
                        ),
                        b,
                        here + at - 1,
                    ));
                }
            };
            out.selectors.push(selector);
        }
        Ok(out)
    }

    /// The query string in `dialect`, names and prefixes percent-encoded where RFC 3986 needs
    /// it.
    #[must_use]
    pub fn render(&self, dialect: Dialect) -> String {
        let a = dialect.assign();
        self.selectors
            .iter()
            .map(|s| match s {
                Selector::Field(n) => encode(n),
                Selector::Metadata(p) => format!("metadata{a}{}", encode(p)),
                Selector::Value(r) => format!("value{a}{}", compact(*r)),
                Selector::Values(r) => format!("values{a}{}", compact(*r)),
                Selector::Children(r) => format!("children{a}{r}"),
            })
            .collect::<Vec<_>>()
            .join(&dialect.separator().to_string())
    }

    /// Whether the field `name` is selected (by name, or by one of its arguments: `value:0-10`
    /// selects `value`); with no selector at all, every field is.
    #[must_use]
    pub fn selects(&self, name: &str) -> bool {
        self.selectors.is_empty()
            || self.selectors.iter().any(|s| match s {
                Selector::Field(n) => n == name,
                Selector::Metadata(_) => name == "metadata",
                Selector::Value(_) => name == "value",
                Selector::Values(_) => name == "value" || name == "values",
                Selector::Children(_) => name == "children",
            })
    }
}

/// A range of one written as its index (`values:2`), as the specification's queue examples
/// do; ranges of children always have both ends.
fn compact(r: Range) -> String {
    if r.first == r.last {
        r.first.to_string()
    } else {
        r.to_string()
    }
}

/// Percent-decodes `s`; the error is the offset of a bad escape or of invalid UTF-8.
pub(crate) fn decode(s: &str) -> Result<String, usize> {
    if !s.contains('%') {
        return Ok(s.to_owned());
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            let Some(v) = hex else { return Err(i) };
            out.push(v);
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|e| e.utf8_error().valid_up_to())
}

/// Percent-encodes what RFC 3986 keeps out of a query component, and the separators of both
/// dialects.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        if c.is_ascii_alphanumeric() || b"-._~!$'()*+,/?".contains(&c) {
            out.push(char::from(c));
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v1(q: &str) -> Result<Selection, Error> {
        Selection::parse(q, Dialect::V1, false)
    }

    #[test]
    fn the_specifications_queries() {
        // Every query of the 1.1.1 and 2.0.0 examples, in its dialect.
        for q in [
            "objectName;metadata:%40user",
            "childrenrange;children:0-2",
            "parentURI;children",
            "metadata;value:0-10;value:21-24",
            "value;mimetype",
            "valuerange;value:0-10",
            "mimetype;valuerange;values:2",
            "value:0-4",
            "value;queueValues",
            "values:10",
            "values:10-19",
            "capabilities;children",
        ] {
            let s = v1(q).unwrap();
            assert_eq!(s.render(Dialect::V1), q);
            let two = s.render(Dialect::V2);
            assert_eq!(
                Selection::parse(&two, Dialect::V2, false).unwrap(),
                s,
                "{two}"
            );
        }
        let q = v1("metadata;value:0-10;value:21-24").unwrap();
        assert!(q.selects("value") && q.selects("metadata") && !q.selects("objectName"));
        assert!(Selection::default().selects("anything"));
    }

    #[test]
    fn errors_are_positioned() {
        // (query, dialect, lenient, column)
        for (q, d, lenient, column) in [
            ("objectName;;value", Dialect::V1, false, 12),
            ("objectName&value", Dialect::V1, false, 11),
            ("value=0-4", Dialect::V1, false, 6),
            ("value:0-x", Dialect::V1, false, 9),
            ("value:10-2", Dialect::V1, false, 10),
            ("children:3", Dialect::V1, false, 11),
            ("objectName:x", Dialect::V1, false, 11),
            ("metadata:%4", Dialect::V1, false, 10),
            ("metadata:%FF", Dialect::V1, false, 10),
            // A sign is no hexadecimal digit (from_str_radix would take "+1").
            ("metadata:%+1", Dialect::V1, false, 10),
            ("value&&x", Dialect::V2, true, 7),
        ] {
            let e = Selection::parse(q, d, lenient).unwrap_err();
            assert_eq!(e.position().column, column, "{q}: {e}");
        }
        let many = ["a"; 5].join(";");
        let e = Selection::parse_with_limit(&many, Dialect::V1, false, 4).unwrap_err();
        assert_eq!(
            (e.kind(), e.position().column),
            (&ErrorKind::TooManySelectors(4), 9)
        );
        assert!(Selection::parse_with_limit(&many, Dialect::V1, false, 5).is_ok());
        assert_eq!(Range::parse("5", true).unwrap().count(), 1);
        assert_eq!(Range::new(0, u64::MAX).unwrap().count(), u64::MAX);
        assert!(Range::new(2, 1).is_err());
    }
}
