//! The three kinds of category: [`Kind`], [`Mixin`] and [`Action`].

use crate::{AttributeDefinition, CategoryId};

/// A kind: the type identifier of one entity sub-type (GFD.221 §4.2.3).
///
/// ```text
/// Kind: term, scheme, title 0..1, attributes 0..*, actions 0..*, parent 0..1  ; GFD.221 table 3
/// Kind JSON: { term, scheme, title?, attributes?, actions?, parent?, location? } ; GFD.225 §3
/// ```
///
/// `parent` was called `related` in OCCI 1.1 (GFD.183 §5.2).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Kind {
    /// The type identifier.
    pub id: CategoryId,
    /// The display name.
    pub title: Option<String>,
    /// The kind this one inherits from (every kind but `core#entity` has one).
    pub parent: Option<CategoryId>,
    /// The attributes this kind defines (inherited ones are not repeated).
    pub attributes: Vec<AttributeDefinition>,
    /// The actions this kind defines.
    pub actions: Vec<CategoryId>,
    /// The collection's path on a server (`None` for `core#entity`, which cannot be
    /// instantiated).
    pub location: Option<String>,
}

impl Kind {
    /// A kind with nothing but its identifier.
    #[must_use]
    pub const fn new(id: CategoryId) -> Self {
        Self {
            id,
            title: None,
            parent: None,
            attributes: Vec::new(),
            actions: Vec::new(),
            location: None,
        }
    }

    /// Sets the title.
    #[must_use]
    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Sets the parent kind.
    #[must_use]
    pub fn with_parent(mut self, parent: CategoryId) -> Self {
        self.parent = Some(parent);
        self
    }

    /// Adds an attribute definition.
    #[must_use]
    pub fn with_attribute(mut self, attribute: AttributeDefinition) -> Self {
        self.attributes.push(attribute);
        self
    }

    /// Adds an action.
    #[must_use]
    pub fn with_action(mut self, action: CategoryId) -> Self {
        self.actions.push(action);
        self
    }

    /// Sets the location.
    #[must_use]
    pub fn with_location(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// The definition of attribute `name` given by this kind itself.
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<&AttributeDefinition> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

/// A mixin: capabilities (attributes, actions) added to entity instances, a tag, or a
/// template (GFD.221 §4.2.4).
///
/// ```text
/// Mixin: term, scheme, title 0..1, attributes 0..*, actions 0..*,
///        depends 0..* (1.1: related), applies 0..*                        ; GFD.221 table 4
/// Mixin JSON: { term, scheme, title?, attributes?, actions?, depends?, applies?, location }
/// ```
///
/// An empty `applies` means the mixin may be associated with any entity.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Mixin {
    /// The type identifier.
    pub id: CategoryId,
    /// The display name.
    pub title: Option<String>,
    /// The mixins whose capabilities this one includes.
    pub depends: Vec<CategoryId>,
    /// The kinds (and their sub-kinds) this mixin may be associated with.
    pub applies: Vec<CategoryId>,
    /// The attributes this mixin defines or gives defaults for.
    pub attributes: Vec<AttributeDefinition>,
    /// The actions this mixin defines.
    pub actions: Vec<CategoryId>,
    /// The collection's path on a server.
    pub location: Option<String>,
}

impl Mixin {
    /// A mixin with nothing but its identifier (a tag).
    #[must_use]
    pub const fn new(id: CategoryId) -> Self {
        Self {
            id,
            title: None,
            depends: Vec::new(),
            applies: Vec::new(),
            attributes: Vec::new(),
            actions: Vec::new(),
            location: None,
        }
    }

    /// Sets the title.
    #[must_use]
    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Adds a mixin this one depends on.
    #[must_use]
    pub fn with_depends(mut self, mixin: CategoryId) -> Self {
        self.depends.push(mixin);
        self
    }

    /// Adds a kind this mixin applies to.
    #[must_use]
    pub fn with_applies(mut self, kind: CategoryId) -> Self {
        self.applies.push(kind);
        self
    }

    /// Adds an attribute definition.
    #[must_use]
    pub fn with_attribute(mut self, attribute: AttributeDefinition) -> Self {
        self.attributes.push(attribute);
        self
    }

    /// Adds an action.
    #[must_use]
    pub fn with_action(mut self, action: CategoryId) -> Self {
        self.actions.push(action);
        self
    }

    /// Sets the location.
    #[must_use]
    pub fn with_location(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// The definition of attribute `name` given by this mixin itself.
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<&AttributeDefinition> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

/// An action: the identifier of an operation, bound to a kind or mixin; its attributes are
/// the operation's parameters (GFD.221 §4.2.5).
///
/// ```text
/// Action: term, scheme, title 0..1, attributes 0..*                      ; GFD.221 §4.2.5
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Action {
    /// The type identifier.
    pub id: CategoryId,
    /// The display name.
    pub title: Option<String>,
    /// The parameters.
    pub attributes: Vec<AttributeDefinition>,
}

impl Action {
    /// An action without parameters.
    #[must_use]
    pub const fn new(id: CategoryId) -> Self {
        Self {
            id,
            title: None,
            attributes: Vec::new(),
        }
    }

    /// Sets the title.
    #[must_use]
    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Adds a parameter.
    #[must_use]
    pub fn with_attribute(mut self, attribute: AttributeDefinition) -> Self {
        self.attributes.push(attribute);
        self
    }

    /// The definition of parameter `name`.
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<&AttributeDefinition> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

/// The class of a category, as the text rendering's `class=` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CategoryClass {
    /// A [`Kind`].
    Kind,
    /// A [`Mixin`].
    Mixin,
    /// An [`Action`].
    Action,
}

impl CategoryClass {
    /// `kind`, `mixin` or `action`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Kind => "kind",
            Self::Mixin => "mixin",
            Self::Action => "action",
        }
    }
}

/// A registered category of any class, borrowed from a [`Model`](crate::Model).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Category<'a> {
    /// A kind.
    Kind(&'a Kind),
    /// A mixin.
    Mixin(&'a Mixin),
    /// An action.
    Action(&'a Action),
}

impl<'a> Category<'a> {
    /// The type identifier.
    #[must_use]
    pub const fn id(&self) -> &'a CategoryId {
        match self {
            Self::Kind(k) => &k.id,
            Self::Mixin(m) => &m.id,
            Self::Action(a) => &a.id,
        }
    }

    /// The class.
    #[must_use]
    pub const fn class(&self) -> CategoryClass {
        match self {
            Self::Kind(_) => CategoryClass::Kind,
            Self::Mixin(_) => CategoryClass::Mixin,
            Self::Action(_) => CategoryClass::Action,
        }
    }

    /// The title.
    #[must_use]
    pub fn title(&self) -> Option<&'a str> {
        match self {
            Self::Kind(k) => k.title.as_deref(),
            Self::Mixin(m) => m.title.as_deref(),
            Self::Action(a) => a.title.as_deref(),
        }
    }

    /// The attributes the category itself defines.
    #[must_use]
    pub fn attributes(&self) -> &'a [AttributeDefinition] {
        match self {
            Self::Kind(k) => &k.attributes,
            Self::Mixin(m) => &m.attributes,
            Self::Action(a) => &a.attributes,
        }
    }
}
