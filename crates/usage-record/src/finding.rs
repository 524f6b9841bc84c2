//! Findings: what validation says about a message, each with its place and a stable code.

use fedcloud_core::Position;
use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Severity {
    /// Accepted, but worth knowing (an ignored key, a value the database would truncate).
    Warning,
    /// The record (or the message) is invalid in the profile in force.
    Error,
}

impl Severity {
    /// `"warning"` or `"error"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A stable identifier of a rule. The string form (`Code::as_str`) is what JSON and SARIF output
/// carry; it never changes meaning once published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Code {
    /// The input is not UTF-8.
    InvalidUtf8,
    /// The input, a line or the record count is over a configured limit.
    LimitExceeded,
    /// The message is empty (apel's loader crashes on it).
    EmptyMessage,
    /// The first line is not `<Type>: v<version>`.
    HeaderSyntax,
    /// The header names no known message type (or, strict, no known version of it).
    UnknownMessageType,
    /// A line inside a record is blank or has no `:`.
    LineWithoutKey,
    /// `%%` inside a line: apel splits records on it anywhere, so it corrupts the message.
    SeparatorInValue,
    /// A key the record type does not define.
    UnknownField,
    /// A key the record type accepts and drops.
    IgnoredField,
    /// A key given twice in one record.
    DuplicateField,
    /// A mandatory field is absent.
    MissingField,
    /// A mandatory field is NULL.
    NullField,
    /// Not an integer.
    InvalidInteger,
    /// An integer outside the range of the database column (or of 64 bits).
    IntegerOutOfRange,
    /// Not a decimal number.
    InvalidFloat,
    /// `nan` or `inf`.
    NonFiniteFloat,
    /// Not a time in an accepted form.
    InvalidDateTime,
    /// A time outside the years the format can hold.
    DateTimeOutOfRange,
    /// A text longer than its database column.
    TextTooLong,
    /// A negative count or duration.
    NegativeValue,
    /// A value outside the enumeration the profile allows.
    InvalidEnumeration,
    /// An FQAN that is not `/vo[/group…][/Role=r][/Capability=c]`.
    InvalidFqan,
    /// A v0.4 benchmark field that is not a `{type: value, ...}` dictionary.
    BenchmarkSyntax,
    /// A benchmark dictionary without si2k, hepspec or hepscore23.
    BenchmarkMissingType,
    /// Two benchmark types in one record.
    BenchmarkMixture,
    /// ServiceLevelType without ServiceLevel, or the reverse.
    BenchmarkIncomplete,
    /// A ServiceLevelType outside si2k, hepspec, hepscore23.
    BenchmarkInvalidType,
    /// EndTime before StartTime.
    EndBeforeStart,
    /// A time or month in the future (by the injected clock).
    InFuture,
    /// Month or year invalid.
    InvalidMonth,
    /// Earliest/Latest end time outside the stated month.
    OutsideMonth,
    /// LatestEndTime before EarliestEndTime.
    LatestBeforeEarliest,
    /// apel's loader would stop with an uncaught exception on this record: it gives no verdict.
    ApelLoaderCrash,
    /// Not JSON (RFC 8259).
    JsonSyntax,
    /// JSON that breaks the message's JSON schema (type, required member, …).
    JsonSchema,
    /// Not well-formed XML (or a document type declaration, which is refused).
    XmlSyntax,
    /// An XML document that breaks its schema (content model, attribute, simple-type facet:
    /// XML Schema 1.0 Part 1 §3.3.4 / §3.4.4 "Element Locally Valid", Part 2 facets).
    XmlSchema,
    /// A format or profile this version (or apel) does not read.
    UnsupportedFormat,
}

impl Code {
    /// The stable string form.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::InvalidUtf8 => "invalid-utf8",
            Code::LimitExceeded => "limit-exceeded",
            Code::EmptyMessage => "empty-message",
            Code::HeaderSyntax => "header-syntax",
            Code::UnknownMessageType => "unknown-message-type",
            Code::LineWithoutKey => "line-without-key",
            Code::SeparatorInValue => "separator-in-value",
            Code::UnknownField => "unknown-field",
            Code::IgnoredField => "ignored-field",
            Code::DuplicateField => "duplicate-field",
            Code::MissingField => "missing-field",
            Code::NullField => "null-field",
            Code::InvalidInteger => "invalid-integer",
            Code::IntegerOutOfRange => "integer-out-of-range",
            Code::InvalidFloat => "invalid-float",
            Code::NonFiniteFloat => "non-finite-float",
            Code::InvalidDateTime => "invalid-datetime",
            Code::DateTimeOutOfRange => "datetime-out-of-range",
            Code::TextTooLong => "text-too-long",
            Code::NegativeValue => "negative-value",
            Code::InvalidEnumeration => "invalid-enumeration",
            Code::InvalidFqan => "invalid-fqan",
            Code::BenchmarkSyntax => "benchmark-syntax",
            Code::BenchmarkMissingType => "benchmark-missing-type",
            Code::BenchmarkMixture => "benchmark-mixture",
            Code::BenchmarkIncomplete => "benchmark-incomplete",
            Code::BenchmarkInvalidType => "benchmark-invalid-type",
            Code::EndBeforeStart => "end-before-start",
            Code::InFuture => "in-future",
            Code::InvalidMonth => "invalid-month",
            Code::OutsideMonth => "outside-month",
            Code::LatestBeforeEarliest => "latest-before-earliest",
            Code::ApelLoaderCrash => "apel-loader-crash",
            Code::JsonSyntax => "json-syntax",
            Code::JsonSchema => "json-schema",
            Code::XmlSyntax => "xml-syntax",
            Code::XmlSchema => "xml-schema",
            Code::UnsupportedFormat => "unsupported-format",
        }
    }

    /// Every code, for documentation and tests.
    pub const ALL: &'static [Code] = &[
        Code::InvalidUtf8,
        Code::LimitExceeded,
        Code::EmptyMessage,
        Code::HeaderSyntax,
        Code::UnknownMessageType,
        Code::LineWithoutKey,
        Code::SeparatorInValue,
        Code::UnknownField,
        Code::IgnoredField,
        Code::DuplicateField,
        Code::MissingField,
        Code::NullField,
        Code::InvalidInteger,
        Code::IntegerOutOfRange,
        Code::InvalidFloat,
        Code::NonFiniteFloat,
        Code::InvalidDateTime,
        Code::DateTimeOutOfRange,
        Code::TextTooLong,
        Code::NegativeValue,
        Code::InvalidEnumeration,
        Code::InvalidFqan,
        Code::BenchmarkSyntax,
        Code::BenchmarkMissingType,
        Code::BenchmarkMixture,
        Code::BenchmarkIncomplete,
        Code::BenchmarkInvalidType,
        Code::EndBeforeStart,
        Code::InFuture,
        Code::InvalidMonth,
        Code::OutsideMonth,
        Code::LatestBeforeEarliest,
        Code::ApelLoaderCrash,
        Code::JsonSyntax,
        Code::JsonSchema,
        Code::XmlSyntax,
        Code::XmlSchema,
        Code::UnsupportedFormat,
    ];
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing validation found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The 0-based index of the record in the message, `None` for the message itself (header,
    /// encoding, limits).
    pub record: Option<usize>,
    /// Where: the key or value the finding is about (the record start for record-level checks).
    pub position: Position,
    /// The field, when the finding is about one.
    pub field: Option<String>,
    /// The rule.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// A sentence for people.
    pub message: String,
    /// In the `apel` profile, the exact text apel 2.5.0 gives for this rejection (without its
    /// `Parsing unsuccessful: ` prefix), when it is one apel reports.
    pub apel_message: Option<String>,
    /// The order in which apel would meet this error: 0 while building records, 1 in the second
    /// check pass it runs when storing them. Used to pick the error apel reports.
    pub(crate) apel_pass: u8,
}

impl Finding {
    pub(crate) fn new(
        record: Option<usize>,
        position: Position,
        field: Option<&str>,
        code: Code,
        severity: Severity,
        message: String,
    ) -> Self {
        Self {
            record,
            position,
            field: field.map(str::to_owned),
            code,
            severity,
            message,
            apel_message: None,
            apel_pass: 0,
        }
    }

    pub(crate) fn with_apel(mut self, text: impl Into<String>) -> Self {
        self.apel_message = Some(text.into());
        self
    }

    pub(crate) fn in_apel_pass(mut self, pass: u8) -> Self {
        self.apel_pass = pass;
        self
    }

    /// Whether this finding makes its record (or message) invalid.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.severity.as_str())?;
        if let Some(r) = self.record {
            write!(f, "record {r}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        write!(f, "{} [{}] at {}", self.message, self.code, self.position)
    }
}
