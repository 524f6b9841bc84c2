//! Entity instances: [`Resource`] and [`Link`], and action invocations.

use crate::{AttributeName, AttributeValue, CategoryId, EntityId};
use std::collections::BTreeMap;

/// The attributes of an entity instance or an action invocation, by name.
///
/// The `occi.core.*` attributes of the core model (`id`, `title`, `summary`, `source`,
/// `target`) are fields of [`Resource`] and [`Link`], not entries of this map.
pub type Attributes = BTreeMap<AttributeName, AttributeValue>;

/// A resource instance (GFD.221 §4.5.2): an entity with a summary and links.
///
/// ```text
/// Entity:   id URI 1; title String 0..1; kind Kind 1; mixins Mixin 0..*   ; GFD.221 table 6
/// Resource: links Link 0..*; summary String 0..1                          ; GFD.221 table 7
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Resource {
    /// The identifier (`occi.core.id`).
    pub id: EntityId,
    /// The kind (fixed for the instance's lifetime).
    pub kind: CategoryId,
    /// The associated mixins, in association order.
    pub mixins: Vec<CategoryId>,
    /// The display name (`occi.core.title`).
    pub title: Option<String>,
    /// The summary (`occi.core.summary`).
    pub summary: Option<String>,
    /// The other attributes.
    pub attributes: Attributes,
    /// The links whose source is this resource.
    pub links: Vec<Link>,
}

impl Resource {
    /// A resource of `kind` with a new `urn:uuid:` identifier.
    #[must_use]
    pub fn new(kind: CategoryId) -> Self {
        Self::with_id(EntityId::new_uuid(), kind)
    }

    /// A resource of `kind` with the given identifier.
    #[must_use]
    pub const fn with_id(id: EntityId, kind: CategoryId) -> Self {
        Self {
            id,
            kind,
            mixins: Vec::new(),
            title: None,
            summary: None,
            attributes: BTreeMap::new(),
            links: Vec::new(),
        }
    }

    /// Adds a mixin.
    #[must_use]
    pub fn with_mixin(mut self, mixin: CategoryId) -> Self {
        self.mixins.push(mixin);
        self
    }

    /// Sets an attribute.
    #[must_use]
    pub fn with_attribute(mut self, name: AttributeName, value: impl Into<AttributeValue>) -> Self {
        self.attributes.insert(name, value.into());
        self
    }

    /// Sets the title.
    #[must_use]
    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Sets the summary.
    #[must_use]
    pub fn with_summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = Some(summary.into());
        self
    }

    /// Adds a link.
    #[must_use]
    pub fn with_link(mut self, link: Link) -> Self {
        self.links.push(link);
        self
    }
}

/// A link instance (GFD.221 §4.5.3): an entity from a source resource to a target.
///
/// ```text
/// Link: source Resource 1; target URI 1; target.kind Kind 0..1            ; GFD.221 table 8
/// ```
///
/// `source_kind` is the JSON rendering's `source.kind` (GFD.225); `target_kind` is new in 1.2.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Link {
    /// The identifier (`occi.core.id`).
    pub id: EntityId,
    /// The kind (fixed for the instance's lifetime).
    pub kind: CategoryId,
    /// The associated mixins.
    pub mixins: Vec<CategoryId>,
    /// The display name (`occi.core.title`).
    pub title: Option<String>,
    /// The other attributes.
    pub attributes: Attributes,
    /// The source resource (`occi.core.source`), a local resource's location.
    pub source: EntityId,
    /// The kind of the source, if given.
    pub source_kind: Option<CategoryId>,
    /// The target (`occi.core.target`), local or remote.
    pub target: EntityId,
    /// The kind of the target (`occi.core.target.kind`), if given.
    pub target_kind: Option<CategoryId>,
}

impl Link {
    /// A link of `kind` from `source` to `target`, with a new `urn:uuid:` identifier.
    #[must_use]
    pub fn new(kind: CategoryId, source: EntityId, target: EntityId) -> Self {
        Self::identified(EntityId::new_uuid(), kind, source, target)
    }

    /// A link with the identifier `id` (a link read from a rendering, which has one: no
    /// identifier is generated only to be replaced).
    #[must_use]
    pub fn identified(id: EntityId, kind: CategoryId, source: EntityId, target: EntityId) -> Self {
        Self {
            id,
            kind,
            mixins: Vec::new(),
            title: None,
            attributes: BTreeMap::new(),
            source,
            source_kind: None,
            target,
            target_kind: None,
        }
    }

    /// Replaces the identifier.
    #[must_use]
    pub fn with_id(mut self, id: EntityId) -> Self {
        self.id = id;
        self
    }

    /// Adds a mixin.
    #[must_use]
    pub fn with_mixin(mut self, mixin: CategoryId) -> Self {
        self.mixins.push(mixin);
        self
    }

    /// Sets an attribute.
    #[must_use]
    pub fn with_attribute(mut self, name: AttributeName, value: impl Into<AttributeValue>) -> Self {
        self.attributes.insert(name, value.into());
        self
    }

    /// Sets the target's kind.
    #[must_use]
    pub fn with_target_kind(mut self, kind: CategoryId) -> Self {
        self.target_kind = Some(kind);
        self
    }
}

/// An entity instance: a resource or a link.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Entity {
    /// A resource.
    Resource(Resource),
    /// A link.
    Link(Link),
}

impl Entity {
    /// The identifier.
    #[must_use]
    pub const fn id(&self) -> &EntityId {
        match self {
            Self::Resource(r) => &r.id,
            Self::Link(l) => &l.id,
        }
    }

    /// The kind.
    #[must_use]
    pub const fn kind(&self) -> &CategoryId {
        match self {
            Self::Resource(r) => &r.kind,
            Self::Link(l) => &l.kind,
        }
    }

    /// The mixins.
    #[must_use]
    pub fn mixins(&self) -> &[CategoryId] {
        match self {
            Self::Resource(r) => &r.mixins,
            Self::Link(l) => &l.mixins,
        }
    }

    /// The mixins, to change.
    pub const fn mixins_mut(&mut self) -> &mut Vec<CategoryId> {
        match self {
            Self::Resource(r) => &mut r.mixins,
            Self::Link(l) => &mut l.mixins,
        }
    }

    /// The title.
    #[must_use]
    pub fn title(&self) -> Option<&str> {
        match self {
            Self::Resource(r) => r.title.as_deref(),
            Self::Link(l) => l.title.as_deref(),
        }
    }

    /// The attributes other than the `occi.core.*` fields.
    #[must_use]
    pub const fn attributes(&self) -> &Attributes {
        match self {
            Self::Resource(r) => &r.attributes,
            Self::Link(l) => &l.attributes,
        }
    }

    /// The attributes, to change.
    pub const fn attributes_mut(&mut self) -> &mut Attributes {
        match self {
            Self::Resource(r) => &mut r.attributes,
            Self::Link(l) => &mut l.attributes,
        }
    }

    /// Whether this is a link.
    #[must_use]
    pub const fn is_link(&self) -> bool {
        matches!(self, Self::Link(_))
    }
}

impl From<Resource> for Entity {
    fn from(r: Resource) -> Self {
        Self::Resource(r)
    }
}

impl From<Link> for Entity {
    fn from(l: Link) -> Self {
        Self::Link(l)
    }
}

/// A request to perform an action on an entity (or a collection): the action and its
/// parameters.
///
/// ```text
/// action invocation = 1 Category (class action) *Attribute        ; GFD.229 §3, GFD.225 §3
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ActionInvocation {
    /// The action.
    pub action: CategoryId,
    /// The parameters.
    pub attributes: Attributes,
}

impl ActionInvocation {
    /// An invocation of `action` without parameters.
    #[must_use]
    pub const fn new(action: CategoryId) -> Self {
        Self {
            action,
            attributes: BTreeMap::new(),
        }
    }

    /// Adds a parameter.
    #[must_use]
    pub fn with_attribute(mut self, name: AttributeName, value: impl Into<AttributeValue>) -> Self {
        self.attributes.insert(name, value.into());
        self
    }
}
