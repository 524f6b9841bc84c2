//! The one error type of this crate: what went wrong ([`ErrorKind`]) and where ([`Location`]).

use crate::OcciVersion;
use fedcloud_core::Position;
use std::fmt;

/// An error of an identifier parser, of the model registry, or of an action check.
///
/// Its `Display` reads "`<what>` at `<where>`": a line and column for text that was parsed, the
/// type identifier of a category, or an attribute of a category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    location: Location,
}

impl Error {
    /// Builds an error of `kind` at `location`.
    #[must_use]
    pub const fn new(kind: ErrorKind, location: Location) -> Self {
        Self { kind, location }
    }

    /// An error at byte `offset` of the parsed `input`.
    pub(crate) fn in_text(kind: ErrorKind, input: &str, offset: usize) -> Self {
        Self::new(kind, Location::Text(Position::at(input.as_bytes(), offset)))
    }

    /// An error about the category `id`.
    pub(crate) fn at_category(kind: ErrorKind, id: impl fmt::Display) -> Self {
        Self::new(kind, Location::Category(id.to_string()))
    }

    /// An error about attribute `name` of the category `id`.
    pub(crate) fn at_attribute(
        kind: ErrorKind,
        id: impl fmt::Display,
        name: impl fmt::Display,
    ) -> Self {
        Self::new(
            kind,
            Location::Attribute {
                category: id.to_string(),
                name: name.to_string(),
            },
        )
    }

    /// What went wrong.
    #[must_use]
    pub const fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Where it went wrong.
    #[must_use]
    pub const fn location(&self) -> &Location {
        &self.location
    }

    /// The position in the parsed text, for errors of the identifier parsers.
    #[must_use]
    pub const fn position(&self) -> Option<Position> {
        match self.location {
            Location::Text(p) => Some(p),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.kind, self.location)
    }
}

impl std::error::Error for Error {}

/// Where an [`Error`] happened.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// A place in the text handed to a parser (identifiers are one line: the column is the
    /// character position).
    Text(Position),
    /// A category, by its type identifier (scheme ‖ term).
    Category(String),
    /// An attribute of a category (or a parameter of an action).
    Attribute {
        /// The type identifier of the category.
        category: String,
        /// The attribute name.
        name: String,
    },
    /// An entity instance, by its identifier.
    Entity(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(p) => write!(f, "{p}"),
            Self::Category(id) => write!(f, "category {id}"),
            Self::Attribute { category, name } => write!(f, "attribute {name} of {category}"),
            Self::Entity(id) => write!(f, "entity {id}"),
        }
    }
}

/// What went wrong. Each kind names the rule of the OCCI documents it enforces.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    // ---- identifiers -----------------------------------------------------------------------
    /// The identifier is longer than [`MAX_IDENTIFIER_BYTES`](crate::MAX_IDENTIFIER_BYTES).
    #[error("identifier of {actual} bytes exceeds the limit of {limit} bytes")]
    TooLong {
        /// The limit.
        limit: usize,
        /// The length of the input.
        actual: usize,
    },
    /// A term is empty (GFD.185 §3.5 / GFD.229 §4: `term` has at least one character).
    #[error("empty term")]
    EmptyTerm,
    /// A character outside the term grammar of the version in force (1.1: `LOALPHA
    /// *(LOALPHA / DIGIT / "-" / "_")`; 1.2: `(ALPHA / DIGIT) *(ALPHA / DIGIT / "-" / "_" /
    /// ".")`).
    #[error("character {ch:?} is not allowed here in an OCCI {version} term")]
    TermCharacter {
        /// The offending character.
        ch: char,
        /// The grammar in force.
        version: OcciVersion,
    },
    /// A scheme is empty (GFD.221 §4.2.1: `scheme` is a URI, required).
    #[error("empty scheme")]
    EmptyScheme,
    /// A scheme is not an absolute URI (`ALPHA *(ALPHA / DIGIT / "+" / "-" / ".") ":"`,
    /// RFC 3986 §3.1).
    #[error("a scheme must be an absolute URI")]
    SchemeNotAbsolute,
    /// A character that RFC 3986 does not allow in a URI (space, quote, `<`, `>`, control,
    /// non-ASCII, ...).
    #[error("character {0:?} is not allowed in a URI")]
    UriCharacter(char),
    /// A type identifier without `#`: it cannot be split into scheme and term (OCCI schemes
    /// end in `#` by convention, GFD.221 §4.2.1).
    #[error("a type identifier must contain '#' between scheme and term")]
    MissingHash,
    /// An attribute name is empty or has an empty component.
    #[error("empty attribute name or name component")]
    EmptyAttributeName,
    /// A character outside the attribute-name grammar in force (1.1: `attr-component *("."
    /// attr-component)`, `attr-component = LOALPHA *(LOALPHA / DIGIT / "-" / "_")`; 1.2:
    /// the term grammar).
    #[error("character {ch:?} is not allowed here in an OCCI {version} attribute name")]
    AttributeNameCharacter {
        /// The offending character.
        ch: char,
        /// The grammar in force.
        version: OcciVersion,
    },
    /// An entity identifier is empty (GFD.221 §4.5.1: `id` is a URI, required).
    #[error("empty entity identifier")]
    EmptyEntityId,
    /// A pattern is not a regular expression this crate can evaluate (POSIX ERE in text,
    /// JSON Schema / ECMA 262 in JSON; both evaluated with Rust `regex` syntax).
    #[error("invalid pattern: {0}")]
    InvalidPattern(String),
    /// A text that names an OCCI version is neither `1.1` nor `1.2`.
    #[error("unknown OCCI version")]
    UnknownVersion,
    /// A text that names a method parameter of an Infrastructure action is not one of its
    /// values (GFD.224 §3.1, table 3).
    #[error("unknown action method")]
    UnknownMethod,

    // ---- the registry ----------------------------------------------------------------------
    /// A category with this type identifier is already registered (GFD.221 §4.2.1: the type
    /// identifier is unique).
    #[error("a category with this identifier is already registered")]
    DuplicateCategory,
    /// A provider category uses the reserved `http://schemas.ogf.org/occi/` base (GFD.221
    /// §4.2.1, §4.6.1).
    #[error("the scheme base http://schemas.ogf.org/occi/ is reserved for OCCI")]
    ReservedScheme,
    /// A provider attribute uses the reserved `occi.` prefix (GFD.221 §4.2.2, §4.6.1).
    #[error("the attribute prefix 'occi.' is reserved for OCCI")]
    ReservedAttributeName,
    /// A kind other than `core#entity` has no parent (GFD.221 §4.2.3: every kind descends
    /// from the entity kind).
    #[error("a kind must have a parent kind")]
    MissingParent,
    /// A provider kind's parent is not `core#resource`, `core#link` or one of their
    /// sub-kinds (GFD.221 §4.6.2: only Resource and Link may be sub-typed).
    #[error("a provider kind must descend from core#resource or core#link")]
    NotSubtypable,
    /// A referenced kind (parent, applies, target kind) is not registered.
    #[error("unknown kind {0}")]
    UnknownKind(String),
    /// A referenced mixin (depends, an entity's mixin) is not registered.
    #[error("unknown mixin {0}")]
    UnknownMixin(String),
    /// A referenced action is not registered, or not defined by the entity's kind or mixins
    /// (GFD.221 §4.2.5: an action is bound to a kind or mixin).
    #[error("unknown action {0}")]
    UnknownAction(String),
    /// A mixin depends on itself, directly (GFD.221 §4.2.4, `depends`).
    #[error("a mixin cannot depend on itself")]
    DependencyCycle,
    /// Attribute defined twice in one category.
    #[error("attribute defined twice")]
    DuplicateAttribute,
    /// A default value does not satisfy its own attribute definition.
    #[error("default value does not satisfy the definition: {0}")]
    InvalidDefault(String),
    /// The mixin is still the target of another mixin's `depends`, or is a built-in one.
    #[error("mixin is in use and cannot be removed: {0}")]
    MixinInUse(String),
    /// A state machine names a state or action that its kind does not define.
    #[error("invalid state machine: {0}")]
    InvalidStateMachine(String),

    // ---- entities and actions --------------------------------------------------------------
    /// The mixin does not apply to the entity's kind (GFD.221 §4.2.4, `applies`).
    #[error("mixin does not apply to kind {0}")]
    MixinNotApplicable(String),
    /// OCCI 1.1 defines no replacement of templates: a second template of the same family
    /// cannot be associated (GFD.224 §3.5 defines replacement for 1.2).
    #[error("a {0} template is already associated and OCCI 1.1 defines no replacement")]
    TemplateAlreadyAssociated(&'static str),
    /// The action is not allowed in the entity's current state (GFD.224 state diagrams).
    #[error("action {action} is not allowed in state {state}")]
    ActionNotAllowed {
        /// The action's type identifier.
        action: String,
        /// The current state.
        state: String,
    },
    /// The entity's state attribute holds a value its kind's state machine does not know.
    #[error("unknown state {0}")]
    UnknownState(String),
    /// An action parameter is unknown, missing, or has a value its definition rejects
    /// (GFD.221 §4.2.5: action attributes are the operation's parameters).
    #[error("invalid action parameter: {0}")]
    InvalidParameter(String),
}
