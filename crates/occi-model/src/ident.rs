//! Identifiers: scheme, term, category type identifiers, attribute names and entity ids.
//!
//! Every identifier is a newtype over its text, built only through a parser that enforces the
//! grammar of the OCCI version in force. The 1.1 grammars are subsets of the 1.2 ones, so
//! `FromStr` (which uses 1.2) accepts every identifier valid in either version; use the
//! `parse(_, OcciVersion::V1_1)` constructors to hold input to the stricter 1.1 rules.

use crate::{Error, ErrorKind, OcciVersion};
use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// The longest identifier accepted, in bytes: the 8190-byte request line limit of Apache
/// (`LimitRequestFieldSize`), which no OCCI header can exceed in practice.
pub const MAX_IDENTIFIER_BYTES: usize = 8190;

/// The base of the schemes reserved for the OCCI documents (GFD.221 §4.2.1).
pub const RESERVED_SCHEME_BASE: &str = "http://schemas.ogf.org/occi/";

fn check_len(input: &str) -> Result<(), Error> {
    if input.len() > MAX_IDENTIFIER_BYTES {
        return Err(Error::in_text(
            ErrorKind::TooLong {
                limit: MAX_IDENTIFIER_BYTES,
                actual: input.len(),
            },
            input,
            0,
        ));
    }
    Ok(())
}

/// The first character of `s` at byte `offset` (for error reports).
fn char_at(s: &str, offset: usize) -> char {
    s.get(offset..)
        .and_then(|r| r.chars().next())
        .unwrap_or('\0')
}

/// Checks the characters of a URI or URI reference (RFC 3986 §2: unreserved, reserved and
/// percent-encoded octets). Returns the offset of the first offending byte.
fn check_uri_chars(s: &str) -> Result<(), usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => {}
            b'-' | b'.' | b'_' | b'~' => {}
            b':' | b'/' | b'?' | b'#' | b'[' | b']' | b'@' => {}
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' => {}
            b'%' => {
                let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
                if !(hex(i + 1) && hex(i + 2)) {
                    return Err(i);
                }
                i += 2;
            }
            _ => return Err(i),
        }
        i += 1;
    }
    Ok(())
}

/// Checks a term against the grammar of `version`; returns the offset of the offending byte.
fn check_term(s: &str, version: OcciVersion) -> Result<(), Option<usize>> {
    let mut bytes = s.bytes().enumerate();
    let Some((_, first)) = bytes.next() else {
        return Err(None);
    };
    let first_ok = match version {
        OcciVersion::V1_1 => first.is_ascii_lowercase(),
        OcciVersion::V1_2 => first.is_ascii_alphanumeric(),
    };
    if !first_ok {
        return Err(Some(0));
    }
    for (i, b) in bytes {
        let ok = match version {
            OcciVersion::V1_1 => {
                b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
            }
            OcciVersion::V1_2 => b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'),
        };
        if !ok {
            return Err(Some(i));
        }
    }
    Ok(())
}

fn term_error(input: &str, base: usize, e: Option<usize>, version: OcciVersion) -> Error {
    match e {
        None => Error::in_text(ErrorKind::EmptyTerm, input, base),
        Some(i) => Error::in_text(
            ErrorKind::TermCharacter {
                ch: char_at(input, base + i),
                version,
            },
            input,
            base + i,
        ),
    }
}

/// Checks a scheme: an absolute URI (RFC 3986 §3.1 `scheme ":"`, then URI characters).
fn check_scheme(input: &str, s: &str) -> Result<(), Error> {
    if s.is_empty() {
        return Err(Error::in_text(ErrorKind::EmptyScheme, input, 0));
    }
    let colon = s.find(':');
    let valid_prefix = colon.is_some_and(|c| {
        let name = s.as_bytes().get(..c).unwrap_or_default();
        name.first().is_some_and(u8::is_ascii_alphabetic)
            && name
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    });
    check_uri_chars(s)
        .map_err(|i| Error::in_text(ErrorKind::UriCharacter(char_at(s, i)), input, i))?;
    if !valid_prefix {
        return Err(Error::in_text(ErrorKind::SchemeNotAbsolute, input, 0));
    }
    Ok(())
}

macro_rules! string_newtype {
    ($name:ident) => {
        impl $name {
            /// The identifier's text.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(s: String) -> Result<Self, Error> {
                s.parse()
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }
    };
}

/// A categorisation scheme: an absolute URI, conventionally ending in `#`.
///
/// ```text
/// scheme = URI                                  ; GFD.185 §3.5.1, GFD.229 §4.1 (RFC 3986)
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "String", into = "String")
)]
pub struct Scheme(String);

string_newtype!(Scheme);

impl Scheme {
    /// Whether the scheme lies under the base reserved for OCCI (`http://schemas.ogf.org/occi/`,
    /// GFD.221 §4.2.1).
    #[must_use]
    pub fn is_reserved(&self) -> bool {
        self.0.starts_with(RESERVED_SCHEME_BASE)
    }
}

impl FromStr for Scheme {
    type Err = Error;

    /// # Errors
    /// The text is too long, empty, not an absolute URI, or has a character outside RFC 3986.
    fn from_str(s: &str) -> Result<Self, Error> {
        check_len(s)?;
        check_scheme(s, s)?;
        Ok(Self(s.to_owned()))
    }
}

/// A category term, unique within its scheme.
///
/// ```text
/// term = LOALPHA *( LOALPHA / DIGIT / "-" / "_" )              ; OCCI 1.1, GFD.185 §3.5.1
/// term = ( ALPHA / DIGIT ) *( ALPHA / DIGIT / "-" / "_" / "." ) ; OCCI 1.2, GFD.229 §4.1
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "String", into = "String")
)]
pub struct Term(String);

string_newtype!(Term);

impl Term {
    /// Parses a term with the grammar of `version`.
    ///
    /// # Errors
    /// The text is too long, empty, or has a character the grammar does not allow where it is.
    pub fn parse(s: &str, version: OcciVersion) -> Result<Self, Error> {
        check_len(s)?;
        check_term(s, version).map_err(|e| term_error(s, 0, e, version))?;
        Ok(Self(s.to_owned()))
    }
}

impl FromStr for Term {
    type Err = Error;

    /// Parses with the OCCI 1.2 grammar, which accepts every 1.1 term.
    ///
    /// # Errors
    /// As [`Term::parse`].
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s, OcciVersion::V1_2)
    }
}

/// The type identifier of a category (kind, mixin or action): scheme ‖ term.
///
/// ```text
/// type-identifier = scheme term                 ; GFD.185 §3.5.1, GFD.229 §4.1
/// ```
///
/// Two identifiers are equal when their concatenations are equal (GFD.221 §4.2.1: "uniquely
/// identified by concatenating the categorization scheme with the category term"), and an
/// identifier can be looked up by its text (`Borrow<str>`). Text is split after its last `#`.
///
/// ```
/// use occi_model::CategoryId;
/// let id: CategoryId = "http://schemas.ogf.org/occi/infrastructure#compute".parse()?;
/// assert_eq!(id.scheme(), "http://schemas.ogf.org/occi/infrastructure#");
/// assert_eq!(id.term(), "compute");
/// # Ok::<(), occi_model::Error>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "String", into = "String")
)]
pub struct CategoryId {
    id: String,
    split: usize,
}

impl CategoryId {
    /// An identifier from a constant of this crate (checked by the registry's tests, not here).
    pub(crate) fn known(s: &str) -> Self {
        let split = s.rfind('#').map_or(s.len(), |i| i + 1);
        Self {
            id: s.to_owned(),
            split,
        }
    }

    /// Joins a scheme and a term.
    #[must_use]
    pub fn new(scheme: &Scheme, term: &Term) -> Self {
        Self {
            id: format!("{scheme}{term}"),
            split: scheme.as_str().len(),
        }
    }

    /// Parses `scheme ‖ term`, splitting after the last `#`, with the term grammar of
    /// `version`.
    ///
    /// # Errors
    /// No `#`, an invalid scheme or an invalid term; the position points into `s`.
    pub fn parse(s: &str, version: OcciVersion) -> Result<Self, Error> {
        CategoryRef::parse(s, version).map(CategoryRef::into_owned)
    }

    /// Builds from the two parts, checking both.
    ///
    /// # Errors
    /// An invalid scheme or term (positions are in the concatenation).
    pub fn from_parts(scheme: &str, term: &str, version: OcciVersion) -> Result<Self, Error> {
        let id = format!("{scheme}{term}");
        check_len(&id)?;
        check_scheme(&id, scheme)?;
        check_term(term, version).map_err(|e| term_error(&id, scheme.len(), e, version))?;
        Ok(Self {
            id,
            split: scheme.len(),
        })
    }

    /// The categorisation scheme.
    #[must_use]
    pub fn scheme(&self) -> &str {
        self.id.get(..self.split).unwrap_or_default()
    }

    /// The term.
    #[must_use]
    pub fn term(&self) -> &str {
        self.id.get(self.split..).unwrap_or_default()
    }

    /// The whole type identifier.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.id
    }

    /// A borrowed view.
    #[must_use]
    pub fn as_ref(&self) -> CategoryRef<'_> {
        CategoryRef {
            scheme: self.scheme(),
            term: self.term(),
        }
    }

    /// Whether the scheme lies under the base reserved for OCCI.
    #[must_use]
    pub fn is_reserved(&self) -> bool {
        self.id.starts_with(RESERVED_SCHEME_BASE)
    }
}

impl PartialEq for CategoryId {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for CategoryId {}

impl PartialOrd for CategoryId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for CategoryId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.id.cmp(&other.id)
    }
}

// Hashes exactly as the `str` it borrows as, so maps keyed by `CategoryId` answer `&str` look-ups.
impl Hash for CategoryId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.as_str().hash(state);
    }
}

impl Borrow<str> for CategoryId {
    fn borrow(&self) -> &str {
        &self.id
    }
}

impl AsRef<str> for CategoryId {
    fn as_ref(&self) -> &str {
        &self.id
    }
}

impl PartialEq<str> for CategoryId {
    fn eq(&self, other: &str) -> bool {
        self.id == other
    }
}

impl PartialEq<&str> for CategoryId {
    fn eq(&self, other: &&str) -> bool {
        self.id == *other
    }
}

impl fmt::Display for CategoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

impl FromStr for CategoryId {
    type Err = Error;

    /// Parses with the OCCI 1.2 term grammar, which accepts every 1.1 term.
    ///
    /// # Errors
    /// As [`CategoryId::parse`].
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s, OcciVersion::V1_2)
    }
}

impl TryFrom<String> for CategoryId {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        s.parse()
    }
}

impl From<CategoryId> for String {
    fn from(v: CategoryId) -> String {
        v.id
    }
}

/// A borrowed, validated view of a type identifier: what a parser of renderings hands to the
/// registry without allocating ([`Model::category_by_parts`](crate::Model::category_by_parts)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CategoryRef<'a> {
    scheme: &'a str,
    term: &'a str,
}

impl<'a> CategoryRef<'a> {
    /// Validates `scheme ‖ term` given as one text, splitting after the last `#`.
    ///
    /// # Errors
    /// As [`CategoryId::parse`].
    pub fn parse(s: &'a str, version: OcciVersion) -> Result<Self, Error> {
        check_len(s)?;
        let Some(hash) = s.rfind('#') else {
            return Err(Error::in_text(ErrorKind::MissingHash, s, s.len()));
        };
        let (scheme, term) = s.split_at(hash + 1);
        check_scheme(s, scheme)?;
        check_term(term, version).map_err(|e| term_error(s, scheme.len(), e, version))?;
        Ok(Self { scheme, term })
    }

    /// Validates a scheme and a term given separately (as in a `Category:` header).
    ///
    /// # Errors
    /// An invalid scheme or term; positions are in the scheme or the term respectively.
    pub fn from_parts(scheme: &'a str, term: &'a str, version: OcciVersion) -> Result<Self, Error> {
        if scheme.len().saturating_add(term.len()) > MAX_IDENTIFIER_BYTES {
            return Err(Error::in_text(
                ErrorKind::TooLong {
                    limit: MAX_IDENTIFIER_BYTES,
                    actual: scheme.len().saturating_add(term.len()),
                },
                scheme,
                0,
            ));
        }
        check_scheme(scheme, scheme)?;
        check_term(term, version).map_err(|e| term_error(term, 0, e, version))?;
        Ok(Self { scheme, term })
    }

    /// The scheme.
    #[must_use]
    pub const fn scheme(&self) -> &'a str {
        self.scheme
    }

    /// The term.
    #[must_use]
    pub const fn term(&self) -> &'a str {
        self.term
    }

    /// The owned identifier.
    #[must_use]
    pub fn into_owned(self) -> CategoryId {
        CategoryId {
            id: format!("{}{}", self.scheme, self.term),
            split: self.scheme.len(),
        }
    }
}

impl fmt::Display for CategoryRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.scheme, self.term)
    }
}

/// The name of an attribute (of an entity, or a parameter of an action).
///
/// ```text
/// attribute-name = attr-component *( "." attr-component )          ; OCCI 1.1, GFD.185 §3.5.3
/// attr-component = LOALPHA *( LOALPHA / DIGIT / "-" / "_" )
/// attribute-name = ( ALPHA / DIGIT ) *( ALPHA / DIGIT / "-" / "_" / "." ) ; OCCI 1.2, GFD.229 §4.4
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "String", into = "String")
)]
pub struct AttributeName(String);

string_newtype!(AttributeName);

impl AttributeName {
    /// A name from a constant of this crate (checked by the registry's tests, not here).
    pub(crate) fn known(s: &str) -> Self {
        Self(s.to_owned())
    }

    /// Parses an attribute name with the grammar of `version`.
    ///
    /// # Errors
    /// The text is too long, empty (or has an empty 1.1 component), or has a character the
    /// grammar does not allow where it is.
    pub fn parse(s: &str, version: OcciVersion) -> Result<Self, Error> {
        check_len(s)?;
        match version {
            OcciVersion::V1_2 => check_term(s, version).map_err(|e| match e {
                None => Error::in_text(ErrorKind::EmptyAttributeName, s, 0),
                Some(i) => Error::in_text(
                    ErrorKind::AttributeNameCharacter {
                        ch: char_at(s, i),
                        version,
                    },
                    s,
                    i,
                ),
            })?,
            OcciVersion::V1_1 => {
                let mut base = 0;
                for component in s.split('.') {
                    check_term(component, version).map_err(|e| match e {
                        None => Error::in_text(ErrorKind::EmptyAttributeName, s, base),
                        Some(i) => Error::in_text(
                            ErrorKind::AttributeNameCharacter {
                                ch: char_at(s, base + i),
                                version,
                            },
                            s,
                            base + i,
                        ),
                    })?;
                    base += component.len() + 1;
                }
            }
        }
        Ok(Self(s.to_owned()))
    }

    /// Whether the name uses the prefix reserved for the OCCI documents (`occi.`).
    #[must_use]
    pub fn is_reserved(&self) -> bool {
        self.0.starts_with("occi.")
    }
}

impl FromStr for AttributeName {
    type Err = Error;

    /// Parses with the OCCI 1.2 grammar, which accepts every 1.1 name.
    ///
    /// # Errors
    /// As [`AttributeName::parse`].
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s, OcciVersion::V1_2)
    }
}

/// The identifier of an entity instance: a URI, `urn:uuid:` recommended.
///
/// ```text
/// id = URI-reference              ; GFD.221 §4.5: "MUST be a valid URI", URN RECOMMENDED (RFC 3986)
/// ```
///
/// Real servers use relative references (rOCCI-server: a bare UUID), so any RFC 3986 URI
/// reference is accepted.
///
/// ```
/// use occi_model::EntityId;
/// let id = EntityId::new_uuid();
/// assert!(id.as_str().starts_with("urn:uuid:"));
/// assert!("a262ad95-c093-4814-8c0d-bc6d475bb845".parse::<EntityId>().is_ok());
/// assert!("two words".parse::<EntityId>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "String", into = "String")
)]
pub struct EntityId(String);

string_newtype!(EntityId);

impl EntityId {
    /// A new random identifier, `urn:uuid:` followed by a version 4 UUID (RFC 4122).
    #[must_use]
    pub fn new_uuid() -> Self {
        Self(uuid::Uuid::new_v4().urn().to_string())
    }
}

impl EntityId {
    /// Whether `s` would parse as an `EntityId`, without building one.
    pub(crate) fn is_valid(s: &str) -> bool {
        !s.is_empty() && s.len() <= MAX_IDENTIFIER_BYTES && check_uri_chars(s).is_ok()
    }
}

impl FromStr for EntityId {
    type Err = Error;

    /// # Errors
    /// The text is too long, empty, or has a character outside RFC 3986.
    fn from_str(s: &str) -> Result<Self, Error> {
        check_len(s)?;
        if s.is_empty() {
            return Err(Error::in_text(ErrorKind::EmptyEntityId, s, 0));
        }
        check_uri_chars(s)
            .map_err(|i| Error::in_text(ErrorKind::UriCharacter(char_at(s, i)), s, i))?;
        Ok(Self(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OcciVersion::{V1_1, V1_2};

    #[test]
    fn terms() {
        // (input, valid in 1.1, valid in 1.2)
        let cases = [
            ("compute", true, true),
            ("os_tpl", true, true),
            ("mem-small_2", true, true),
            ("m1.small", false, true),
            ("Small", false, true),
            ("2xlarge", false, true),
            ("_x", false, false),
            ("-x", false, false),
            (".x", false, false),
            ("", false, false),
            ("a b", false, false),
            ("a#b", false, false),
            ("café", false, false),
        ];
        for (input, v11, v12) in cases {
            assert_eq!(Term::parse(input, V1_1).is_ok(), v11, "1.1 {input:?}");
            assert_eq!(Term::parse(input, V1_2).is_ok(), v12, "1.2 {input:?}");
        }
    }

    #[test]
    fn attribute_names() {
        let cases = [
            ("occi.compute.state.message", true, true),
            ("eu.egi.fedcloud.compute.default_connectivity", true, true),
            ("method", true, true),
            ("occi.Compute", false, true),
            ("com.example.2nd", false, true),
            ("occi..x", false, true),
            ("occi.x.", false, true),
            (".occi", false, false),
            ("", false, false),
            ("a=b", false, false),
        ];
        for (input, v11, v12) in cases {
            assert_eq!(
                AttributeName::parse(input, V1_1).is_ok(),
                v11,
                "1.1 {input:?}"
            );
            assert_eq!(
                AttributeName::parse(input, V1_2).is_ok(),
                v12,
                "1.2 {input:?}"
            );
        }
    }

    #[test]
    fn error_positions() {
        let e = CategoryId::parse("http://example.com/occi#Small", V1_1).unwrap_err();
        assert_eq!(
            e.to_string(),
            "character 'S' is not allowed here in an OCCI 1.1 term at line 1, column 25"
        );
        let e = CategoryId::parse("http://example.com/occi", V1_2).unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::MissingHash);
        let e = AttributeName::parse("occi.compute.Cores", V1_1).unwrap_err();
        assert_eq!(e.position().map(|p| p.column), Some(14));
        let e = "example.com/x#y".parse::<CategoryId>().unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::SchemeNotAbsolute);
        let e = "http://exa mple#y".parse::<CategoryId>().unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::UriCharacter(' '));
        assert_eq!(e.position().map(|p| p.column), Some(11));
        let e = "x%2".parse::<EntityId>().unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::UriCharacter('%'));
        let long = "a".repeat(MAX_IDENTIFIER_BYTES + 1);
        assert!(matches!(
            long.parse::<EntityId>().unwrap_err().kind(),
            ErrorKind::TooLong { .. }
        ));
    }

    #[test]
    fn category_ids() {
        let id: CategoryId = "http://schemas.ogf.org/occi/infrastructure#compute"
            .parse()
            .unwrap();
        assert!(id.is_reserved());
        assert_eq!(id.as_ref().into_owned(), id);
        // Identity is the concatenation.
        let other = CategoryId::from_parts(
            "http://schemas.ogf.org/occi/infrastructure#",
            "compute",
            V1_1,
        )
        .unwrap();
        assert_eq!(id, other);
        let mut set = std::collections::HashSet::new();
        set.insert(id.clone());
        assert!(set.contains("http://schemas.ogf.org/occi/infrastructure#compute"));
        // A scheme whose last character is not '#' can only be built from parts.
        let odd = CategoryId::from_parts("urn:x:", "y", V1_2).unwrap();
        assert_eq!((odd.scheme(), odd.term()), ("urn:x:", "y"));
        let r = CategoryRef::from_parts("http://a#", "b", V1_2).unwrap();
        assert_eq!(r.to_string(), "http://a#b");
        assert!(CategoryRef::from_parts("http://a#", "B", V1_1).is_err());
    }

    #[test]
    fn schemes_and_entity_ids() {
        assert!(
            "http://schemas.ogf.org/occi/core#"
                .parse::<Scheme>()
                .is_ok()
        );
        assert!(
            "http://schemas.ogf.org/occi/core#"
                .parse::<Scheme>()
                .unwrap()
                .is_reserved()
        );
        assert!("urn:x#".parse::<Scheme>().is_ok());
        assert!("".parse::<Scheme>().is_err());
        assert!("1http://x#".parse::<Scheme>().is_err());
        for ok in [
            "urn:uuid:de7335a7-07e0-4487-9cbd-ed51be7f2ce4",
            "/compute/1",
            "https://h/compute/a%20b",
        ] {
            assert!(ok.parse::<EntityId>().is_ok(), "{ok}");
        }
        for bad in ["", "a\"b", "<x>", "a\nb"] {
            assert!(bad.parse::<EntityId>().is_err(), "{bad:?}");
        }
        let a = EntityId::new_uuid();
        assert_ne!(a, EntityId::new_uuid());
        assert_eq!(a.as_str().parse::<EntityId>().unwrap(), a);
    }
}
