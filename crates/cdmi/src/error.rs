//! The one error type of the crate: a kind and where it happened.

use fedcloud_core::Position;
use std::fmt;

/// A parse or validation error: what went wrong ([`ErrorKind`]) and where (byte offset, line
/// and column of the input; the start of the input for errors that have no place). Errors in
/// JSON bodies also name the member by its JSON pointer in the kind's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    position: Position,
}

impl Error {
    /// An error of `kind` at `position`.
    #[must_use]
    pub const fn new(kind: ErrorKind, position: Position) -> Self {
        Self { kind, position }
    }

    /// An error of `kind` at byte `offset` of `input` (line and column computed).
    #[must_use]
    pub fn at(kind: ErrorKind, input: &[u8], offset: usize) -> Self {
        Self::new(kind, Position::at(input, offset))
    }

    /// What went wrong.
    #[must_use]
    pub const fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Where it happened.
    #[must_use]
    pub const fn position(&self) -> Position {
        self.position
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.kind, self.position)
    }
}

impl std::error::Error for Error {}

/// What went wrong. Each kind names the clause of the CDMI specification it enforces
/// (1.1.1 clause numbers; 2.0.0 has the same clauses under other numbers).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    // ---- object IDs (1.1.1 §5.11) --------------------------------------------------------
    /// A character that is not a hexadecimal digit in the base16 text of an object ID
    /// (RFC 4648 §8).
    #[error("object ID: {0:?} is not a hexadecimal digit")]
    ObjectIdNotHex(char),
    /// An odd number of hexadecimal digits: an object ID is whole bytes.
    #[error("object ID: an odd number of hexadecimal digits")]
    ObjectIdOddLength,
    /// An object ID shorter than 9 bytes (the 8-byte header and at least one opaque byte) or
    /// longer than 40.
    #[error("object ID: {0} bytes (an object ID has 9 to 40)")]
    ObjectIdLength(usize),
    /// A byte of the header that must be zero is not (bytes 0 and 4).
    #[error("object ID: reserved byte {0} is not zero")]
    ObjectIdReserved(usize),
    /// Enterprise number 0, which 1.1.1 §5.11 reserves.
    #[error("object ID: enterprise number 0 is reserved")]
    ObjectIdEnterpriseZero,
    /// An enterprise number that does not fit the 24 bits of the ID.
    #[error("object ID: enterprise number {0} does not fit in 24 bits")]
    ObjectIdEnterpriseRange(u32),
    /// The length byte does not give the length of the whole ID.
    #[error("object ID: the length byte says {stated}, the ID has {actual} bytes")]
    ObjectIdLengthByte {
        /// The length byte.
        stated: u8,
        /// The number of bytes.
        actual: usize,
    },
    /// The CRC field does not hold the CRC-16 of the ID.
    #[error("object ID: CRC {stored:04X}, expected {expected:04X}")]
    ObjectIdCrc {
        /// The CRC field.
        stored: u16,
        /// The CRC-16/ARC of the ID with the field zeroed.
        expected: u16,
    },

    // ---- versions and media types (1.1.1 §5.13, §12; RFC 6208) ---------------------------
    /// A version that is not `major.minor[.micro]` (1.1.1 §5.13.2).
    #[error("not a CDMI version (major.minor[.micro])")]
    VersionSyntax,
    /// None of the requested versions is supported: the server answers 400 (1.1.1 §5.13.2).
    #[error("no supported CDMI version among {0:?}")]
    NoCommonVersion(String),
    /// A timestamp that is not `YYYY-MM-DDThh:mm:ss.ssssssZ` (1.1.1 §5.14); the text says
    /// what was expected or which field is out of range.
    #[error("time: {0}")]
    Time(String),
    /// An interval whose end is before its start.
    #[error("interval ends before it starts")]
    IntervalOrder,
    /// A query string that is no field selection of the edition (1.1.1 §8.4.3, 2.0.0); the
    /// text says what was expected.
    #[error("query: expected {0}")]
    QuerySyntax(&'static str),
    /// More selectors than the limit.
    #[error("query: more than {0} selectors")]
    TooManySelectors(usize),
    /// A range that is not `first-last` of decimal numbers (RFC 2616 §14.35.1).
    #[error("range: expected first-last")]
    RangeSyntax,
    /// A range whose last item is before its first.
    #[error("range: the last is before the first")]
    RangeOrder,
    // ---- bodies (1.1.1 §8–§12) ------------------------------------------------------------
    /// A body larger than the limit.
    #[error("body of {actual} bytes exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// The limit.
        limit: usize,
        /// The size.
        actual: usize,
    },
    /// JSON nested deeper than the limit.
    #[error("JSON nested deeper than {limit} levels")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// An object or array with more members or items than the limit.
    #[error("more than {limit} members or items")]
    TooManyItems {
        /// The limit.
        limit: usize,
    },
    /// Malformed JSON (RFC 8259); the text is the JSON reader's.
    #[error("malformed JSON: {0}")]
    Json(String),
    /// A member of the wrong JSON type or with a value the specification does not allow; the
    /// text names the member.
    #[error("{0}")]
    Field(String),
    /// An `objectType` other than the media type of the exchange (1.1.1 §8.4.6).
    #[error("objectType {0}")]
    TypeMismatch(String),
    /// More than one of copy, move, reference, deserialize, serialize, deserializevalue
    /// (1.1.1 §8.2.7: 400).
    #[error("{0}")]
    Operations(String),
    /// A container export or name map the documents do not allow (1.1.1 clause 14); the text
    /// names the export and what is wrong.
    #[error("export: {0}")]
    Export(String),

    // ---- values (1.1.1 §8.2.7) -----------------------------------------------------------
    /// A base64 value that is not RFC 4648 base64 (1.1.1 §8.2.7: 400).
    #[error("base64: {0}")]
    Base64(String),
    /// A value whose form or bytes do not suit its transfer encoding.
    #[error("value: {0}")]
    ValueEncoding(String),
    /// The reader or writer of a streamed value failed.
    #[error("I/O: {0}")]
    Io(String),
    /// An ACL or ACE that the access-control clause does not allow (1.1.1 §16.1); the ACE by
    /// its index in `cdmi_acl`, the place in a member's text by the problem's offset.
    #[error("cdmi_acl{}: {problem}", ace.map(|i| format!("[{i}]")).unwrap_or_default())]
    Acl {
        /// The index of the ACE, if the problem is in one.
        ace: Option<usize>,
        /// What is wrong.
        problem: crate::acl::AclProblem,
    },
    /// A capability the builder refuses (unknown node, a name the registry does not have for
    /// the node, a value of the wrong type); the text says which.
    #[error("capabilities: {0}")]
    Capability(String),
    /// A request head that a CDMI server refuses; the problem names its status.
    #[error("{0}")]
    Http(crate::http::HttpProblem),
    /// A media type that is not one of CDMI's (RFC 6208).
    #[error("not a CDMI media type: {0:?}")]
    MediaType(String),
    /// A `multipart/mixed` body that RFC 2046 or the CDMI clauses refuse; the text says why.
    #[error("multipart/mixed: {0}")]
    Multipart(String),
}
