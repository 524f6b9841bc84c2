//! What is wrong with a list, where, and how the subscribers of the field would number it.

use fedcloud_core::Position;
use std::fmt;

/// The kind of a problem. Stable: tools may match on [`Code::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// The bytes are not JSON (RFC 8259), or not UTF-8 (vmcatcher 37).
    NotJson,
    /// JSON, but not an image list: no `hv:imagelist` object (vmcatcher 38).
    NotAnImageList,
    /// A required key is absent.
    MissingKey,
    /// A key holds a value of the wrong JSON type.
    WrongType,
    /// A timestamp that is not `YYYY-MM-DDThh:mm:ssZ`.
    BadTimestamp,
    /// A size or count that is not a non-negative integer.
    BadNumber,
    /// `sl:checksum:sha512` that is not 128 hexadecimal digits.
    BadChecksum,
    /// Two images with one `dc:identifier` (and `hv:version`) in one list.
    DuplicateImage,
    /// The document holds more than a limit allows.
    LimitExceeded,
    /// The list without its `hv:imagelist` wrapper (the 2011-03 form); read with a warning.
    LegacyUnwrapped,
    /// A number written as a JSON string (`"121243136"`, as AppDB writes sizes); reported
    /// once per list, at the first, with the number of others in the message.
    NumberAsString,
    /// A timestamp with an offset or a fraction (`+00:00`), read as UTC in the tolerant profile.
    TimestampNotZulu,
    /// `hv:endorser` as an array of `hv:x509` objects (vmcaster, several endorsers).
    EndorserArray,
    /// An identifier that is not an RFC 4122 UUID (a recommendation only).
    IdentifierNotUuid,
}

impl Code {
    /// The stable name (`missing-key`, …).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NotJson => "not-json",
            Self::NotAnImageList => "not-an-image-list",
            Self::MissingKey => "missing-key",
            Self::WrongType => "wrong-type",
            Self::BadTimestamp => "bad-timestamp",
            Self::BadNumber => "bad-number",
            Self::BadChecksum => "bad-checksum",
            Self::DuplicateImage => "duplicate-image",
            Self::LimitExceeded => "limit-exceeded",
            Self::LegacyUnwrapped => "legacy-unwrapped",
            Self::NumberAsString => "number-as-string",
            Self::TimestampNotZulu => "timestamp-not-zulu",
            Self::EndorserArray => "endorser-array",
            Self::IdentifierNotUuid => "identifier-not-uuid",
        }
    }

    /// vmcatcher's exit code for this problem, where it has one (37 not JSON, 38 not an image
    /// list); every other refusal of a list's content is its 38 as well.
    #[must_use]
    pub const fn vmcatcher_code(self) -> Option<u8> {
        match self {
            Self::NotJson => Some(37),
            Self::NotAnImageList
            | Self::MissingKey
            | Self::WrongType
            | Self::BadTimestamp
            | Self::BadNumber
            | Self::BadChecksum
            | Self::DuplicateImage
            | Self::LimitExceeded => Some(38),
            _ => None,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a problem matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Severity {
    /// Read, but a deviation from the format (or a lint).
    Warning,
    /// The list is refused.
    Error,
}

/// One problem: its kind, severity, the JSON pointer (RFC 6901) of the value it is about, the
/// position of that value in the bytes, and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Problem {
    /// The kind.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// Where in the document structure (`/hv:imagelist/hv:images/0/hv:image/hv:size`); for a
    /// missing key, the object that lacks it.
    pub pointer: String,
    /// Where in the bytes: the start of the value the pointer names (of the whole document
    /// when it cannot be located).
    pub position: Position,
    /// What is wrong, for people.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}: {level} [{}] {}",
            self.position.line, self.position.column, self.code, self.message
        )?;
        if !self.pointer.is_empty() {
            write!(f, " (at {})", self.pointer)?;
        }
        Ok(())
    }
}

/// Why a list was refused: every error found (at least one), and the warnings beside them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .problems.first().map(ToString::to_string).unwrap_or_default())]
pub struct Error {
    /// The problems, in document order; at least one is an error.
    pub problems: Vec<Problem>,
}

impl Error {
    /// The first error.
    #[must_use]
    pub fn first(&self) -> Option<&Problem> {
        self.problems.iter().find(|p| p.severity == Severity::Error)
    }

    /// vmcatcher's exit code for the refusal (37 or 38).
    #[must_use]
    pub fn vmcatcher_code(&self) -> u8 {
        self.first()
            .and_then(|p| p.code.vmcatcher_code())
            .unwrap_or(38)
    }
}
