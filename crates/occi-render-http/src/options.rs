//! Parser modes, the named leniencies, warnings and input limits.

use crate::error::at;
use crate::{Error, ErrorKind};
use occi_model::OcciVersion;
use occi_model::fedcloud_core::Position;
use std::fmt;
use std::str::FromStr;

/// How strictly a parser reads its input.
///
/// * `Strict11` and `Strict12` accept exactly the grammar of GFD.185 (OCCI 1.1) or GFD.229 /
///   GFD.225 (OCCI 1.2): terms and attribute names in that version's grammar, every
///   construct of [`Leniency`] refused with [`ErrorKind::Strict`](crate::ErrorKind::Strict).
/// * `Lenient` accepts what real producers emit; each construct outside the grammar is a
///   [`Leniency`], reported as a [`Warning`] with its position. Identifiers follow the 1.2
///   grammar, a superset of 1.1's.
///
/// The default is `Strict12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Mode {
    /// OCCI 1.1 (GFD.185).
    Strict11,
    /// OCCI 1.2 (GFD.229, GFD.225).
    #[default]
    Strict12,
    /// Every [`Leniency`], with warnings.
    Lenient,
}

impl Mode {
    /// The identifier grammar in force (lenient mode reads the 1.2 grammar, which accepts
    /// every 1.1 identifier).
    #[must_use]
    pub const fn version(self) -> OcciVersion {
        match self {
            Self::Strict11 => OcciVersion::V1_1,
            Self::Strict12 | Self::Lenient => OcciVersion::V1_2,
        }
    }

    /// Whether this is [`Mode::Lenient`].
    #[must_use]
    pub const fn is_lenient(self) -> bool {
        matches!(self, Self::Lenient)
    }

    /// `strict-1.1`, `strict-1.2` or `lenient`, as the CLI spells them.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Strict11 => "strict-1.1",
            Self::Strict12 => "strict-1.2",
            Self::Lenient => "lenient",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "strict-1.1" => Ok(Self::Strict11),
            "strict-1.2" => Ok(Self::Strict12),
            "lenient" => Ok(Self::Lenient),
            _ => Err(format!(
                "unknown mode {s:?} (strict-1.1, strict-1.2 or lenient)"
            )),
        }
    }
}

/// A construct outside the grammar that real OCCI producers emit, accepted only in
/// [`Mode::Lenient`] (and then reported as a [`Warning`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Leniency {
    /// Category parameters out of the order GFD.229 §4.3 fixes (scheme, class, title, rel,
    /// location, attributes, actions); erocci put `location` after `attributes`.
    ParameterOrder,
    /// `;` not followed by one space (`a;b=…`, rOCCI 5) or with extra white space; the
    /// ABNF writes `";" SP`.
    SeparatorSpacing,
    /// A `;` at the end of a Category or Link line (rOCCI 5 `class="kind";`).
    TrailingSemicolon,
    /// `class=kind` without quotes (GFD.229 §4.3 quotes it).
    UnquotedClass,
    /// A header name in another letter case (`category:`, erocci; `CaTeGoRy:`, pOCCI).
    HeaderNameCase,
    /// `X-OCCI-Category` / `X-OCCI-Link`, which rOCCI 5 renders for `Category` / `Link`.
    PrefixedHeaderName,
    /// A number in a quoted-string for a numeric attribute (`occi.compute.cores="1"`,
    /// OpenNebula); typed through the model.
    QuotedNumber,
    /// `"true"` / `"false"` in a quoted-string for a boolean attribute (ooi).
    QuotedBoolean,
    /// A bare number or boolean for a string attribute (typed through the model: the value
    /// becomes the string).
    UnquotedString,
    /// A bare token that is neither a number nor a boolean as an attribute value
    /// (`state=active`); read as a string.
    BareToken,
    /// A number with a sign or an exponent (`-1`, `1e3`); the grammar has neither.
    NumberSyntax,
    /// Link attributes separated by spaces instead of `;` (old rOCCI / OpenNebula).
    SpaceSeparatedLinkAttributes,
    /// A Category without `class` (occi-wg's 1.1 tests filter with one).
    ClasslessCategory,
    /// A term or attribute name that is valid only in the other version's grammar, or an
    /// identifier rOCCI accepted that neither grammar allows.
    IdentifierGrammar,
    /// A `\` before a character other than `"` or `\` kept as data: RFC 7230 would drop the
    /// backslash, but producers that never escape mean a literal backslash.
    LiteralBackslash,
    /// An attribute given twice in one entity, or a member name twice in one JSON object; the
    /// last value is kept (a streamed JSON collection reads both top-level members).
    DuplicateAttribute,
    /// A JSON member the rendering does not define (MartServer and erocci add `location`);
    /// it is ignored.
    UnknownJsonMember,
    /// An entity without `id` in JSON or text (MartServer fixtures omit the link id).
    MissingId,
    /// A header line that starts with white space (`  Category: …`): HTTP reads it as an
    /// obs-fold continuation of the previous field (RFC 7230 §3.2.4); read as the header it
    /// names.
    IndentedLine,
    /// Blank lines before the header fields of a text/occi message, which HTTP takes as the
    /// end of an empty header section; skipped.
    LeadingBlankLine,
    /// A text/occi message with its rendering in the body instead of the header fields
    /// (rOCCI-server 1.x put new locations there, gwdg/rOCCI#42; GFD.229 §3.2 asks for the
    /// body `OK`): read as text/plain when the header fields carry no OCCI content, else
    /// ignored.
    BodyRendering,
    /// A header in the `X-OCCI-` namespace that GFD.229 does not define
    /// (`X-OCCI-Attributes`); ignored.
    UnknownOcciHeader,
    /// A JSON kind, mixin or action rendering on its own (`{"term": …, "scheme": …,
    /// "location": …}`) instead of inside a `kinds`, `mixins` or `actions` collection
    /// (GFD.225 §3.4); the class is inferred from its members.
    BareCategory,
    /// `"parent": ""` for a kind without parent (GFD.225 §3.4 omits the member); read as no
    /// parent.
    EmptyParent,
    /// A `links` member on a link entity (GFD.225 §3.2 gives links none: a link is no
    /// resource); ignored, with what it holds.
    LinksOnLink,
    /// The pre-1.2 rOCCI JSON dialect (nested attributes `{"occi":{"core":{…}}}`,
    /// `kinds`/`links` arrays with `attributes` objects per entity).
    LegacyJson,
    /// A `pattern` that is a string (rOCCI 5's Ruby regex) instead of a JSON Schema object.
    PatternString,
}

impl Leniency {
    /// Every leniency, in declaration order.
    pub const ALL: [Self; 27] = [
        Self::ParameterOrder,
        Self::SeparatorSpacing,
        Self::TrailingSemicolon,
        Self::UnquotedClass,
        Self::HeaderNameCase,
        Self::PrefixedHeaderName,
        Self::QuotedNumber,
        Self::QuotedBoolean,
        Self::UnquotedString,
        Self::BareToken,
        Self::NumberSyntax,
        Self::SpaceSeparatedLinkAttributes,
        Self::ClasslessCategory,
        Self::IdentifierGrammar,
        Self::LiteralBackslash,
        Self::DuplicateAttribute,
        Self::UnknownJsonMember,
        Self::MissingId,
        Self::IndentedLine,
        Self::LeadingBlankLine,
        Self::BodyRendering,
        Self::UnknownOcciHeader,
        Self::BareCategory,
        Self::EmptyParent,
        Self::LinksOnLink,
        Self::LegacyJson,
        Self::PatternString,
    ];

    /// A stable kebab-case name (`trailing-semicolon`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ParameterOrder => "parameter-order",
            Self::SeparatorSpacing => "separator-spacing",
            Self::TrailingSemicolon => "trailing-semicolon",
            Self::UnquotedClass => "unquoted-class",
            Self::HeaderNameCase => "header-name-case",
            Self::PrefixedHeaderName => "prefixed-header-name",
            Self::QuotedNumber => "quoted-number",
            Self::QuotedBoolean => "quoted-boolean",
            Self::UnquotedString => "unquoted-string",
            Self::BareToken => "bare-token",
            Self::NumberSyntax => "number-syntax",
            Self::SpaceSeparatedLinkAttributes => "space-separated-link-attributes",
            Self::ClasslessCategory => "classless-category",
            Self::IdentifierGrammar => "identifier-grammar",
            Self::LiteralBackslash => "literal-backslash",
            Self::DuplicateAttribute => "duplicate-attribute",
            Self::UnknownJsonMember => "unknown-json-member",
            Self::MissingId => "missing-id",
            Self::IndentedLine => "indented-line",
            Self::LeadingBlankLine => "leading-blank-line",
            Self::BodyRendering => "body-rendering",
            Self::UnknownOcciHeader => "unknown-occi-header",
            Self::BareCategory => "bare-category",
            Self::EmptyParent => "empty-parent",
            Self::LinksOnLink => "links-on-link",
            Self::LegacyJson => "legacy-json",
            Self::PatternString => "pattern-string",
        }
    }
}

impl fmt::Display for Leniency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One use of a [`Leniency`] in lenient mode, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Warning {
    /// The construct.
    pub leniency: Leniency,
    /// Where it is.
    pub position: Position,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.leniency, self.position)
    }
}

/// Input limits. Each one is checked before the memory it bounds is used, and each has a test.
///
/// The defaults are far above real messages (rOCCI's whole 1.2 model is 22 KB, 68 lines) and
/// keep hostile input from making a parser allocate much.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The longest line of text/plain or header value of text/occi, in bytes (default 64 KiB;
    /// real servers cap header lines near 8 KB).
    pub max_line_bytes: usize,
    /// The most lines (text/plain, text/uri-list) or header fields (text/occi)
    /// (default 100 000).
    pub max_lines: usize,
    /// The most attributes of one entity, link or action invocation (default 1 000).
    pub max_attributes: usize,
    /// The largest body, in bytes (default 16 MiB).
    pub max_body_bytes: usize,
    /// The deepest JSON nesting (default 64).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_line_bytes: 64 * 1024,
            max_lines: 100_000,
            max_attributes: 1_000,
            max_body_bytes: 16 * 1024 * 1024,
            max_depth: 64,
        }
    }
}

impl Limits {
    /// These limits with `max_line_bytes` replaced.
    #[must_use]
    pub const fn with_max_line_bytes(mut self, v: usize) -> Self {
        self.max_line_bytes = v;
        self
    }

    /// These limits with `max_lines` replaced.
    #[must_use]
    pub const fn with_max_lines(mut self, v: usize) -> Self {
        self.max_lines = v;
        self
    }

    /// These limits with `max_attributes` replaced.
    #[must_use]
    pub const fn with_max_attributes(mut self, v: usize) -> Self {
        self.max_attributes = v;
        self
    }

    /// These limits with `max_body_bytes` replaced.
    #[must_use]
    pub const fn with_max_body_bytes(mut self, v: usize) -> Self {
        self.max_body_bytes = v;
        self
    }

    /// These limits with `max_depth` replaced.
    #[must_use]
    pub const fn with_max_depth(mut self, v: usize) -> Self {
        self.max_depth = v;
        self
    }
}

/// Accepts `leniency` at `position` with a warning in lenient mode; an error in strict modes.
pub(crate) fn lenient(
    mode: Mode,
    warnings: &mut Vec<Warning>,
    leniency: Leniency,
    position: Position,
) -> Result<(), Error> {
    if mode.is_lenient() {
        warnings.push(Warning { leniency, position });
        Ok(())
    } else {
        Err(at(ErrorKind::Strict(leniency), position))
    }
}
