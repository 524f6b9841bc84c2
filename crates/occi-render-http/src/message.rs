//! The content of an OCCI message, as every rendering carries it.

use occi_model::{AttributeValue, CategoryClass};

/// One category as the text rendering writes it (GFD.229 §4.3) and the JSON rendering's
/// kind, mixin or action (GFD.225 §3).
///
/// ```text
/// Category: term; scheme="…"; class="kind|mixin|action" [; title="…"] [; rel="type-id …"]
///           [; location="URI"] [; attributes="attr-def …"] [; actions="action-id …"]
/// attr-def = attribute-name [ "{" prop *( SP prop ) "}" ]   ; prop = "immutable" / "required"
/// ```
///
/// Identifiers are kept as the text gave them (checked by the parser against the grammar of
/// the mode in force), so that lenient input keeps every value.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct CategoryRendering {
    /// The term.
    pub term: String,
    /// The scheme (ends in `#` by convention).
    pub scheme: String,
    /// The class; `None` only for a class-less filter category (lenient mode).
    pub class: Option<CategoryClass>,
    /// The title.
    pub title: Option<String>,
    /// `rel`: a kind's parent (1.1 `related`) or a mixin's `depends`, as type identifiers.
    pub rel: Vec<String>,
    /// The collection's location.
    pub location: Option<String>,
    /// The attribute declarations.
    pub attributes: Vec<AttributeSpec>,
    /// The actions, as type identifiers.
    pub actions: Vec<String>,
    /// A mixin's `applies` (JSON only; the text rendering cannot carry it).
    pub applies: Vec<String>,
}

impl CategoryRendering {
    /// A category with term, scheme and class and nothing else (the short form entity
    /// requests use).
    #[must_use]
    pub fn new(term: impl Into<String>, scheme: impl Into<String>, class: CategoryClass) -> Self {
        Self {
            term: term.into(),
            scheme: scheme.into(),
            class: Some(class),
            ..Self::default()
        }
    }

    /// The type identifier, scheme ‖ term.
    #[must_use]
    pub fn type_id(&self) -> String {
        let mut s = String::with_capacity(self.scheme.len() + self.term.len());
        s.push_str(&self.scheme);
        s.push_str(&self.term);
        s
    }

    /// Whether only term, scheme and class are set (an entity's reference to its kind or a
    /// mixin, rather than a category definition).
    #[must_use]
    pub fn is_reference(&self) -> bool {
        self.title.is_none()
            && self.rel.is_empty()
            && self.location.is_none()
            && self.attributes.is_empty()
            && self.actions.is_empty()
            && self.applies.is_empty()
    }
}

/// One attribute declaration of a category: in text `name{immutable required}`, in JSON
/// an `AttrDesc` (GFD.225 §3), whose type, default, pattern and description the text
/// rendering cannot carry.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct AttributeSpec {
    /// The attribute name.
    pub name: String,
    /// `{immutable}` (JSON: `"mutable": false`).
    pub immutable: bool,
    /// `{required}`.
    pub required: bool,
    /// The JSON `type` (`string`, `number`, `integer`, `boolean`, `array`, `object`), if given.
    pub attr_type: Option<String>,
    /// The `default`, if given.
    pub default: Option<AttributeValue>,
    /// The `pattern` (a JSON Schema object, or a string from rOCCI), if given.
    pub pattern: Option<AttributeValue>,
    /// The `description`, if given.
    pub description: Option<String>,
}

impl AttributeSpec {
    /// A declaration of `name` with the given properties.
    #[must_use]
    pub fn new(name: impl Into<String>, immutable: bool, required: bool) -> Self {
        Self {
            name: name.into(),
            immutable,
            required,
            ..Self::default()
        }
    }
}

/// One `Link` line: an inline link of a resource or an action link (GFD.229 §4.4).
///
/// ```text
/// Link: <URI-Reference>; rel="resource-type …" [; self="link-instance"]
///       [; category="link-type …" *( ; attribute-name=value )]
/// action link: <URI?action=term>; rel="action-type"
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct LinkRendering {
    /// The target (an action link's target is `location?action=term`).
    pub target: String,
    /// `rel`: the target's kind(s), or the action's type identifier.
    pub rel: Vec<String>,
    /// `self`: the link's own location.
    pub self_location: Option<String>,
    /// `category`: the link's kind and mixins, as type identifiers.
    pub categories: Vec<String>,
    /// The link's attributes, in order.
    pub attributes: Vec<(String, AttributeValue)>,
}

impl LinkRendering {
    /// Whether this is an action link (`?action=` in the target and no category).
    #[must_use]
    pub fn is_action(&self) -> bool {
        self.categories.is_empty() && self.target.contains("?action=")
    }
}

/// Everything one OCCI message carries, whatever the rendering: categories, links,
/// attributes and locations, in the order given.
///
/// The compositions of GFD.229 §3 are shapes of this type: a resource is one kind category,
/// mixin categories, links and attributes; an action invocation is one action category and
/// attributes; a category collection is categories only; a location collection is locations
/// only. [`Message::composition`] names the shape.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Message {
    /// The categories.
    pub categories: Vec<CategoryRendering>,
    /// The links.
    pub links: Vec<LinkRendering>,
    /// The attributes (`occi.core.id`, `occi.core.title`, … included), in order.
    pub attributes: Vec<(String, AttributeValue)>,
    /// The locations.
    pub locations: Vec<String>,
    /// Entities of a JSON collection (`{"resources": […], "links": […]}`); text renderings
    /// have none.
    pub entities: Vec<Message>,
}

/// The composition a [`Message`] has (GFD.229 §3, GFD.225 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Composition {
    /// Nothing at all.
    Empty,
    /// A resource instance.
    Resource,
    /// A link instance.
    Link,
    /// An action invocation.
    ActionInvocation,
    /// A collection of categories (the query interface, a filter).
    Categories,
    /// A collection of locations.
    Locations,
    /// A collection of entities (JSON only).
    Entities,
}

impl Message {
    /// An empty message.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of attribute `name`, if set.
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<&AttributeValue> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// The kind category, if there is exactly one.
    #[must_use]
    pub fn kind(&self) -> Option<&CategoryRendering> {
        let mut kinds = self
            .categories
            .iter()
            .filter(|c| c.class == Some(CategoryClass::Kind));
        let first = kinds.next()?;
        kinds.next().is_none().then_some(first)
    }

    /// The shape of the message.
    ///
    /// A message with one kind category and attributes or links is an entity, a link when it has `occi.core.source` or `occi.core.target`
    /// or it has no Link lines and its kind's term is `networkinterface` or ends in `link`; one
    /// action category with nothing else but attributes is an action invocation, unless the
    /// category carries a definition (title, attributes) and there are no attributes.
    #[must_use]
    pub fn composition(&self) -> Composition {
        if !self.entities.is_empty() {
            return Composition::Entities;
        }
        if self.categories.is_empty() && self.links.is_empty() && self.attributes.is_empty() {
            return if self.locations.is_empty() {
                Composition::Empty
            } else {
                Composition::Locations
            };
        }
        if let [only] = self.categories.as_slice()
            && only.class == Some(CategoryClass::Action)
            && self.links.is_empty()
            && (!self.attributes.is_empty() || only.is_reference())
        {
            return Composition::ActionInvocation;
        }
        let entity_like = !self.attributes.is_empty() || !self.links.is_empty();
        if entity_like {
            return self.entity_composition();
        }
        Composition::Categories
    }

    /// The composition of a message taken as an entity (a member of a JSON collection):
    /// `Link` or `Resource` when it has exactly one kind; otherwise as
    /// [`Message::composition`] for a message without attributes and links, else
    /// `Categories`.
    #[must_use]
    pub fn entity_composition(&self) -> Composition {
        if let Some(kind) = self.kind() {
            // A message with Link lines is a resource (links have no links of their own).
            let link = self.attribute("occi.core.source").is_some()
                || self.attribute("occi.core.target").is_some()
                || (self.links.is_empty()
                    && (kind.term.ends_with("link") || kind.term == "networkinterface"));
            return if link {
                Composition::Link
            } else {
                Composition::Resource
            };
        }
        if self.attributes.is_empty() && self.links.is_empty() {
            return self.composition();
        }
        Composition::Categories
    }
}

impl Message {
    /// The message in a canonical order for comparing renderings that order things
    /// differently: the kind category first, then the other categories by type identifier,
    /// each with its attribute definitions by name;
    /// links in their order but action links last (JSON keeps them apart); attributes (of
    /// the message and of each link) by name; locations as given; the entities of a
    /// collection in their order, but resources before links before anything else (a JSON
    /// collection keeps them in separate members, whose order carries no meaning).
    #[must_use]
    pub fn normalized(mut self) -> Self {
        self.categories.sort_by(|a, b| {
            let ka = a.class != Some(CategoryClass::Kind);
            let kb = b.class != Some(CategoryClass::Kind);
            (ka, a.type_id()).cmp(&(kb, b.type_id()))
        });
        for c in &mut self.categories {
            c.attributes.sort_by(|a, b| a.name.cmp(&b.name));
        }
        self.attributes.sort_by(|a, b| a.0.cmp(&b.0));
        self.links.sort_by_key(LinkRendering::is_action);
        for l in &mut self.links {
            l.attributes.sort_by(|a, b| a.0.cmp(&b.0));
        }
        self.entities.sort_by_key(|e| match e.entity_composition() {
            Composition::Resource => 0,
            Composition::Link => 1,
            _ => 2,
        });
        self.entities = self.entities.into_iter().map(Self::normalized).collect();
        self
    }
}
