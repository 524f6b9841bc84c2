//! The one error type of this crate: what went wrong ([`ErrorKind`]) and where ([`Position`]).

use crate::Position;
use std::fmt;

/// An error of one of this crate's parsers or conversions.
///
/// Its `Display` reads "`<what>` at line L, column C"; [`Error::position`] gives the place in the
/// text that was parsed, which callers embedding a field in a larger document translate with
/// [`Position::within`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    position: Position,
}

impl Error {
    /// Builds an error of `kind` at `position`.
    #[must_use]
    pub const fn new(kind: ErrorKind, position: Position) -> Self {
        Self { kind, position }
    }

    /// An error of `kind` at byte `offset` of `input`.
    #[must_use]
    pub(crate) fn at(kind: ErrorKind, input: &[u8], offset: usize) -> Self {
        Self::new(kind, Position::at(input, offset))
    }

    /// What went wrong.
    #[must_use]
    pub const fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Where it went wrong, in the text that was parsed.
    #[must_use]
    pub const fn position(&self) -> Position {
        self.position
    }

    /// The same error with its position translated into an enclosing input whose piece started
    /// at `base` (see [`Position::within`]).
    #[must_use]
    pub fn within(self, base: Position) -> Self {
        Self {
            kind: self.kind,
            position: self.position.within(base),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.kind, self.position)
    }
}

impl std::error::Error for Error {}

/// What went wrong. Each kind names the rule it enforces.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is longer than the configured [`TextLimits::max_bytes`](crate::TextLimits).
    #[error("input of {actual} bytes exceeds the limit of {limit} bytes")]
    TooLong {
        /// The configured limit.
        limit: usize,
        /// The size of the input.
        actual: usize,
    },
    /// The input has more components (RDNs and attribute values of a DN, groups of an FQAN)
    /// than the configured [`TextLimits::max_components`](crate::TextLimits).
    #[error("more than {limit} components")]
    TooManyComponents {
        /// The configured limit.
        limit: usize,
    },

    // ---- distinguished names -------------------------------------------------------------
    /// An OpenSSL one-line DN must start with `/` (`X509_NAME_oneline`).
    #[error("a one-line DN must start with '/'")]
    DnMissingLeadingSlash,
    /// An attribute type must be a keyword (`ALPHA *(ALPHA / DIGIT / "-")`) or a dotted numeric
    /// OID (RFC 4514 §3, `attributeType`).
    #[error("expected an attribute type (a keyword or a dotted OID)")]
    DnBadAttributeType,
    /// Every attribute type is followed by `=` (RFC 4514 §3, `attributeTypeAndValue`).
    #[error("expected '=' after the attribute type")]
    DnMissingEquals,
    /// A `\` escape is incomplete or names no escapable character (RFC 4514 §3 `pair`;
    /// OpenSSL `\xHH`).
    #[error("invalid escape sequence")]
    DnBadEscape,
    /// A character that RFC 4514 §3 requires to be escaped appears bare (`"`, `+`, `,`, `;`,
    /// `<`, `>`, `\`, a leading `#` or space, or NUL).
    #[error("character {0:?} must be escaped")]
    DnUnescapedCharacter(char),
    /// A `#hexstring` value (RFC 4514 §2.4) is not an even number of hex digits or not one BER
    /// TLV.
    #[error("invalid #hex attribute value")]
    DnBadHexValue,
    /// A quoted value (RFC 2253 §4 / RFC 1779) is not closed, or is followed by something other
    /// than a separator.
    #[error("unterminated or misplaced quoted value")]
    DnBadQuotedValue,
    /// The decoded bytes of a value are not UTF-8 (values are `DirectoryString`s rendered as
    /// UTF-8, RFC 4514 §2.4).
    #[error("attribute value is not valid UTF-8")]
    DnInvalidUtf8,
    /// An RDN or attribute value is missing where the grammar needs one (an empty component
    /// between separators).
    #[error("empty relative distinguished name")]
    DnEmptyRdn,
    /// The DER `Name` could not be built or read (RFC 5280 §4.1.2.4).
    #[error("DER Name conversion failed: {0}")]
    DnDer(String),

    // ---- FQANs ---------------------------------------------------------------------------
    /// An FQAN starts with `/` followed by the VO name (VOMS FQAN syntax).
    #[error("an FQAN must start with '/<vo>'")]
    FqanMissingVo,
    /// A group, role or capability name has a character outside the grammar in force
    /// (`[A-Za-z0-9_]` strict, plus `.` and `-` lenient).
    #[error("invalid character {0:?} in an FQAN name")]
    FqanBadCharacter(char),
    /// An empty group name (`//`) or an empty `Role=` / `Capability=` value.
    #[error("empty FQAN component")]
    FqanEmptyComponent,
    /// `Role=` and `Capability=` come last, in that order, at most once each.
    #[error("Role= and Capability= must come last, in that order, once each")]
    FqanMisplacedQualifier,
    /// A `/*` group wildcard is allowed only as the last group of a pattern (Argus grid
    /// profile).
    #[error("the '/*' group wildcard is allowed only at the end of the group path of a pattern")]
    FqanMisplacedWildcard,

    // ---- time ----------------------------------------------------------------------------
    /// The text does not have the shape the time format requires (`YYYY-MM-DDThh:mm:ss[.f]Z`
    /// for the strict form, ISO 8601 / RFC 3339 §5.6).
    #[error("expected {0}")]
    TimeSyntax(&'static str),
    /// A field is out of its range (month 1–12, day within the month, hour 0–23, minute 0–59,
    /// second 0–59; leap seconds are not representable).
    #[error("{0} out of range")]
    TimeFieldRange(&'static str),
    /// More than nine fraction digits: sub-nanosecond precision cannot be kept.
    #[error("more than 9 fraction digits")]
    TimeFractionTooLong,
    /// The instant lies outside the representable years 0000–9999.
    #[error("time outside the years 0000-9999")]
    TimeOutOfRange,
}
