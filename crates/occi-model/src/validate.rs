//! Validation of entity instances against a [`Model`]: a report with every finding.

use crate::attribute::ValueProblem;
use crate::{AttributeName, AttributeValue, CategoryId, Entity, Model, TemplateFamily, ids};
use std::borrow::Cow;
use std::fmt;

/// What the entity being validated is.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Operation<'a> {
    /// A client's creation request: required attributes must be given unless the server
    /// supplies them (immutable) or a default is in force; immutable attributes must not be
    /// given (GFD.221 §4.1).
    Create,
    /// The full state of an existing instance (a server's rendering): every required attribute
    /// must be present.
    Instance,
    /// The new state of an instance after a client's update of `previous`: the kind and id
    /// must not change, nor any immutable attribute; required attributes as for `Create`.
    Update {
        /// The state before the update.
        previous: &'a Entity,
    },
    /// An entity whose direction is not known: a rendering being read, which may be a
    /// client's request or a server's answer, or a partial update (GFD.223 §10.3, POST on
    /// an entity). What holds for every operation is checked — the kind, the mixins, every
    /// attribute's definition and value — and neither required nor immutable attributes.
    Any,
}

/// What to do with categories and attributes the model does not define.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum UnknownCategories {
    /// They are errors (strict, the default).
    #[default]
    Reject,
    /// They are kept untouched and reported as notices: for middleware that passes entities
    /// through to a server with a richer model.
    Preserve,
    /// Those under the namespace reserved for the OCCI documents (categories whose scheme
    /// lies under `http://schemas.ogf.org/occi/`, attributes named `occi.…`, parameters of
    /// such actions) are errors, since the documents define all of them; the others are
    /// preserved as notices: for a registry that holds the OCCI documents but not a
    /// provider's extensions (a client reading any server's renderings).
    RejectReserved,
}

/// Options of [`Model::validate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ValidationOptions {
    /// Unknown kinds, mixins, target kinds and attributes: rejected or preserved.
    pub unknown_categories: UnknownCategories,
}

impl ValidationOptions {
    /// Sets the unknown-category policy.
    #[must_use]
    pub const fn with_unknown_categories(mut self, policy: UnknownCategories) -> Self {
        self.unknown_categories = policy;
        self
    }
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Severity {
    /// The entity is invalid.
    Error,
    /// Allowed, but probably not what was meant.
    Warning,
    /// For information (something preserved without validation).
    Notice,
}

/// The stable code of a finding. [`Code::as_str`] gives its kebab-case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// The kind is not registered.
    UnknownKind,
    /// The kind is `core#entity`, which cannot be instantiated (GFD.221 §4.5.1).
    AbstractKind,
    /// A resource with a link kind or a link with a resource kind.
    WrongEntityType,
    /// A mixin is not registered.
    UnknownMixin,
    /// A mixin is listed twice.
    DuplicateMixin,
    /// A mixin's `applies` excludes the entity's kind (GFD.221 §4.2.4).
    MixinNotApplicable,
    /// More than one template of the same family (GFD.224 §3.5; GFD.222 R0302).
    TemplateConflict,
    /// An attribute no category of the entity defines.
    UnknownAttribute,
    /// A required attribute is missing.
    MissingRequiredAttribute,
    /// A value of the wrong type.
    TypeMismatch,
    /// A string outside its enumeration.
    NotInEnumeration,
    /// A string that does not match its pattern.
    PatternMismatch,
    /// A number outside its range, or not finite.
    OutOfRange,
    /// A string that is not the URI or address its type requires.
    InvalidFormat,
    /// A client gave an immutable attribute at creation (GFD.221 §4.1).
    ImmutableAttributeSet,
    /// An update changed an immutable attribute (GFD.221 §4.1).
    ImmutableAttributeChanged,
    /// An update changed the kind (GFD.221 §4.2.3: the association is for life).
    KindChanged,
    /// An update changed the identifier.
    IdChanged,
    /// A link's target kind is not registered.
    UnknownTargetKind,
    /// The action of an invocation is not registered.
    UnknownAction,
    /// An unknown category kept under [`UnknownCategories::Preserve`].
    PreservedCategory,
    /// An unknown attribute kept under [`UnknownCategories::Preserve`].
    PreservedAttribute,
}

impl Code {
    /// The code's stable name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::UnknownKind => "unknown-kind",
            Self::AbstractKind => "abstract-kind",
            Self::WrongEntityType => "wrong-entity-type",
            Self::UnknownMixin => "unknown-mixin",
            Self::DuplicateMixin => "duplicate-mixin",
            Self::MixinNotApplicable => "mixin-not-applicable",
            Self::TemplateConflict => "template-conflict",
            Self::UnknownAttribute => "unknown-attribute",
            Self::MissingRequiredAttribute => "missing-required-attribute",
            Self::TypeMismatch => "type-mismatch",
            Self::NotInEnumeration => "not-in-enumeration",
            Self::PatternMismatch => "pattern-mismatch",
            Self::OutOfRange => "out-of-range",
            Self::InvalidFormat => "invalid-format",
            Self::ImmutableAttributeSet => "immutable-attribute-set",
            Self::ImmutableAttributeChanged => "immutable-attribute-changed",
            Self::KindChanged => "kind-changed",
            Self::IdChanged => "id-changed",
            Self::UnknownTargetKind => "unknown-target-kind",
            Self::UnknownAction => "unknown-action",
            Self::PreservedCategory => "preserved-category",
            Self::PreservedAttribute => "preserved-attribute",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding of a validation.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Finding {
    /// What was found.
    pub code: Code,
    /// How bad it is.
    pub severity: Severity,
    /// Where in the entity: empty for the entity itself, `/links/N` for its N-th link.
    pub path: String,
    /// The category concerned (the kind, a mixin, or the category defining the attribute).
    pub category: Option<CategoryId>,
    /// The attribute concerned.
    pub attribute: Option<AttributeName>,
    /// A human-readable explanation.
    pub message: String,
}

impl Finding {
    /// Whether this finding makes the entity invalid.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(a) = &self.attribute {
            write!(f, " (attribute {a})")?;
        } else if let Some(c) = &self.category {
            write!(f, " (category {c})")?;
        }
        if !self.path.is_empty() {
            write!(f, " at {}", self.path)?;
        }
        Ok(())
    }
}

/// Every finding of one validation.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Report {
    /// The findings, in the order they were made.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Whether no finding is an error.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        !self.findings.iter().any(Finding::is_error)
    }

    /// The error findings.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_error())
    }

    /// Whether some finding has `code`.
    #[must_use]
    pub fn has(&self, code: Code) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }

    /// The codes of the findings, in order.
    #[must_use]
    pub fn codes(&self) -> Vec<Code> {
        self.findings.iter().map(|f| f.code).collect()
    }
}

struct Ctx<'a> {
    path: String,
    options: &'a ValidationOptions,
    findings: &'a mut Vec<Finding>,
}

impl Ctx<'_> {
    /// Records a finding; `category` and `attribute` are parsed into identifiers (a name
    /// that is none, which only a lenient parser lets through, is left out).
    fn push(
        &mut self,
        code: Code,
        severity: Severity,
        category: Option<&str>,
        attribute: Option<&str>,
        message: String,
    ) {
        self.findings.push(Finding {
            code,
            severity,
            path: self.path.clone(),
            category: category.and_then(|c| c.parse().ok()),
            attribute: attribute.and_then(|a| a.parse().ok()),
            message,
        });
    }

    /// The code and severity of something unknown; `reserved` when it lies in the OCCI
    /// documents' namespace.
    fn unknown(&self, reject: Code, preserve: Code, reserved: bool) -> (Code, Severity) {
        unknown(self.options, reject, preserve, reserved)
    }
}

fn unknown(
    options: &ValidationOptions,
    reject: Code,
    preserve: Code,
    reserved: bool,
) -> (Code, Severity) {
    match options.unknown_categories {
        UnknownCategories::Reject => (reject, Severity::Error),
        UnknownCategories::RejectReserved if reserved => (reject, Severity::Error),
        UnknownCategories::Preserve | UnknownCategories::RejectReserved => {
            (preserve, Severity::Notice)
        }
    }
}

/// Whether a type identifier lies in the namespace reserved for the OCCI documents.
fn reserved_category(id: &str) -> bool {
    id.starts_with(crate::RESERVED_SCHEME_BASE)
}

/// Whether an attribute name has the prefix reserved for the OCCI documents.
fn reserved_attribute(name: &str) -> bool {
    name.starts_with("occi.")
}

/// An entity as [`Model::validate_view`] reads it, borrowed from whatever holds it: an
/// [`Entity`], or a parser's own representation of a rendering, which is then validated
/// without being converted. Identifiers are plain strings here (a lenient parser may hold
/// names that are no identifiers; they are simply unknown to the model).
pub trait EntityView {
    /// `occi.core.id`, when there is one (a creation request may have none).
    fn id(&self) -> Option<&str>;
    /// The kind's type identifier.
    fn kind(&self) -> &str;
    /// The mixins' type identifiers, in order.
    fn mixins(&self) -> impl Iterator<Item = &str>;
    /// The attributes other than the core ones [`EntityView::core`] gives, in order.
    fn attributes(&self) -> impl Iterator<Item = (&str, &AttributeValue)>;
    /// The value of one of [`EntityView::attributes`].
    fn attribute(&self, name: &str) -> Option<&AttributeValue> {
        self.attributes().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
    /// A core attribute: `None` when `name` is not one of this entity type
    /// (`occi.core.id`, `title`; a resource's `summary`; a link's `source`, `target`,
    /// `target.kind`), else its value if it has one.
    fn core(&self, name: &str) -> Option<Option<Cow<'_, AttributeValue>>>;
    /// Whether this is a link.
    fn is_link(&self) -> bool;
    /// A link's `occi.core.target.kind`.
    fn target_kind(&self) -> Option<&str>;
    /// A resource's links (none for a link).
    fn links(&self) -> impl Iterator<Item = impl EntityView + '_>;
}

impl EntityView for Entity {
    fn id(&self) -> Option<&str> {
        Some(Entity::id(self).as_str())
    }

    fn kind(&self) -> &str {
        Entity::kind(self).as_str()
    }

    fn mixins(&self) -> impl Iterator<Item = &str> {
        let mixins = match self {
            Self::Resource(r) => &r.mixins,
            Self::Link(l) => &l.mixins,
        };
        mixins.iter().map(CategoryId::as_str)
    }

    fn attributes(&self) -> impl Iterator<Item = (&str, &AttributeValue)> {
        Entity::attributes(self)
            .iter()
            .map(|(n, v)| (n.as_str(), v))
    }

    fn attribute(&self, name: &str) -> Option<&AttributeValue> {
        Entity::attributes(self).get(name)
    }

    fn core(&self, name: &str) -> Option<Option<Cow<'_, AttributeValue>>> {
        match self {
            Self::Resource(r) => r.core(name),
            Self::Link(l) => l.core(name),
        }
    }

    fn is_link(&self) -> bool {
        matches!(self, Self::Link(_))
    }

    fn target_kind(&self) -> Option<&str> {
        match self {
            Self::Link(l) => l.target_kind(),
            Self::Resource(_) => None,
        }
    }

    fn links(&self) -> impl Iterator<Item = impl EntityView + '_> {
        let links = match self {
            Self::Resource(r) => &r.links[..],
            Self::Link(_) => &[],
        };
        links.iter()
    }
}

/// A string attribute value, borrowed by a view as an owned value.
fn text_value(s: &str) -> Option<Cow<'static, AttributeValue>> {
    Some(Cow::Owned(AttributeValue::String(s.to_owned())))
}

impl crate::Resource {
    fn core(&self, name: &str) -> Option<Option<Cow<'_, AttributeValue>>> {
        Some(match name {
            "occi.core.id" => text_value(self.id.as_str()),
            "occi.core.title" => self.title.as_deref().and_then(text_value),
            "occi.core.summary" => self.summary.as_deref().and_then(text_value),
            _ => return None,
        })
    }
}

impl crate::Link {
    fn core(&self, name: &str) -> Option<Option<Cow<'_, AttributeValue>>> {
        Some(match name {
            "occi.core.id" => text_value(self.id.as_str()),
            "occi.core.title" => self.title.as_deref().and_then(text_value),
            "occi.core.source" => text_value(self.source.as_str()),
            "occi.core.target" => text_value(self.target.as_str()),
            "occi.core.target.kind" => self
                .target_kind
                .as_ref()
                .and_then(|k| text_value(k.as_str())),
            _ => return None,
        })
    }

    fn target_kind(&self) -> Option<&str> {
        self.target_kind.as_ref().map(CategoryId::as_str)
    }
}

impl EntityView for &crate::Link {
    fn id(&self) -> Option<&str> {
        Some(self.id.as_str())
    }

    fn kind(&self) -> &str {
        self.kind.as_str()
    }

    fn mixins(&self) -> impl Iterator<Item = &str> {
        self.mixins.iter().map(CategoryId::as_str)
    }

    fn attributes(&self) -> impl Iterator<Item = (&str, &AttributeValue)> {
        self.attributes.iter().map(|(n, v)| (n.as_str(), v))
    }

    fn attribute(&self, name: &str) -> Option<&AttributeValue> {
        self.attributes.get(name)
    }

    fn core(&self, name: &str) -> Option<Option<Cow<'_, AttributeValue>>> {
        crate::Link::core(self, name)
    }

    fn is_link(&self) -> bool {
        true
    }

    fn target_kind(&self) -> Option<&str> {
        crate::Link::target_kind(self)
    }

    fn links(&self) -> impl Iterator<Item = impl EntityView + '_> {
        std::iter::empty::<&crate::Link>()
    }
}

fn problem_code(p: &ValueProblem) -> Code {
    match p {
        ValueProblem::Type(_) => Code::TypeMismatch,
        ValueProblem::NotInEnumeration => Code::NotInEnumeration,
        ValueProblem::Pattern => Code::PatternMismatch,
        ValueProblem::Range => Code::OutOfRange,
        ValueProblem::Format(_) => Code::InvalidFormat,
    }
}

impl Model {
    /// Validates an entity (and, for a resource, its links) against the registry, for the
    /// given operation; the report holds every finding.
    ///
    /// Checks: the kind exists, is not abstract and suits the entity type; the mixins exist,
    /// apply to the kind, appear once, and hold at most one template per family; every
    /// attribute is defined by the kind or the mixins' dependency closure, typed and within
    /// its enumeration, pattern and range; required attributes are present; immutable
    /// attributes are neither set on creation nor changed on update; the kind and id do not
    /// change on update.
    ///
    /// ```
    /// use occi_model::{Model, OcciVersion, Operation, Resource, ValidationOptions, ids};
    /// let model = Model::infrastructure(OcciVersion::V1_2);
    /// let vm = Resource::new(ids::COMPUTE.parse()?)
    ///     .with_attribute("occi.compute.cores".parse()?, 2)
    ///     .with_attribute("occi.compute.architecture".parse()?, "arm64");
    /// let report = model.validate(&vm.into(), Operation::Create, &ValidationOptions::default());
    /// assert_eq!(report.codes().iter().map(|c| c.as_str()).collect::<Vec<_>>(), ["not-in-enumeration"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn validate(
        &self,
        entity: &Entity,
        operation: Operation<'_>,
        options: &ValidationOptions,
    ) -> Report {
        self.validate_view(entity, operation, options)
    }

    /// [`Model::validate`] over any [`EntityView`]: the same checks and findings, for an
    /// entity held in another form (a parser validates what it read without building an
    /// [`Entity`]). The previous state of an [`Operation::Update`] is an [`Entity`].
    #[must_use]
    pub fn validate_view<E: EntityView>(
        &self,
        entity: &E,
        operation: Operation<'_>,
        options: &ValidationOptions,
    ) -> Report {
        let mut findings = Vec::new();
        let mut ctx = Ctx {
            path: String::new(),
            options,
            findings: &mut findings,
        };
        let previous = match operation {
            Operation::Update { previous } => Some(previous),
            _ => None,
        };
        self.validate_entity(entity, operation, previous, &mut ctx);
        for (i, link) in entity.links().enumerate() {
            let previous = previous.and_then(|p| p.links().find(|l| l.id() == link.id()));
            // A link new in an update is being created.
            let op = match (operation, previous.is_some()) {
                (Operation::Update { previous: p }, true) => Operation::Update { previous: p },
                (Operation::Instance, _) => Operation::Instance,
                (Operation::Any, _) => Operation::Any,
                _ => Operation::Create,
            };
            let mut ctx = Ctx {
                path: format!("/links/{i}"),
                options,
                findings: &mut findings,
            };
            self.validate_entity(&link, op, previous.as_ref(), &mut ctx);
        }
        Report { findings }
    }

    /// Validates an action invocation (GFD.221 §4.3.3) on its own, without the entity it
    /// is for ([`Model::check_action`] also checks that the entity offers the action in its
    /// state): the action exists; each parameter is one it defines, with a value its
    /// definition accepts; each required parameter without a default is given.
    ///
    /// ```
    /// use occi_model::{ActionInvocation, Model, OcciVersion, ValidationOptions, ids};
    /// let model = Model::infrastructure(OcciVersion::V1_2);
    /// let stop = ActionInvocation::new(ids::COMPUTE_STOP.parse()?)
    ///     .with_attribute("method".parse()?, "pull-the-plug");
    /// let report = model.validate_invocation(&stop, &ValidationOptions::default());
    /// assert_eq!(report.codes().iter().map(|c| c.as_str()).collect::<Vec<_>>(), ["not-in-enumeration"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn validate_invocation(
        &self,
        invocation: &crate::ActionInvocation,
        options: &ValidationOptions,
    ) -> Report {
        let mut findings = Vec::new();
        let mut ctx = Ctx {
            path: String::new(),
            options,
            findings: &mut findings,
        };
        let id = &invocation.action;
        let Some(action) = self.action(id.as_str()) else {
            let (code, severity) = ctx.unknown(
                Code::UnknownAction,
                Code::PreservedCategory,
                id.is_reserved(),
            );
            ctx.push(
                code,
                severity,
                Some(id.as_str()),
                None,
                "action not defined by the model".to_owned(),
            );
            return Report { findings };
        };
        for (name, value) in &invocation.attributes {
            let Some(def) = action.attribute(name.as_str()) else {
                // The documents define every parameter of their actions.
                let (code, severity) = ctx.unknown(
                    Code::UnknownAttribute,
                    Code::PreservedAttribute,
                    id.is_reserved(),
                );
                ctx.push(
                    code,
                    severity,
                    Some(id.as_str()),
                    Some(name.as_str()),
                    "parameter not defined by the action".to_owned(),
                );
                continue;
            };
            if let Err(p) = def.check(value) {
                ctx.push(
                    problem_code(&p),
                    Severity::Error,
                    Some(id.as_str()),
                    Some(name.as_str()),
                    format!("{p}: {value}"),
                );
            }
        }
        for def in &action.attributes {
            if def.required
                && def.default.is_none()
                && !invocation.attributes.contains_key(def.name.as_str())
            {
                ctx.push(
                    Code::MissingRequiredAttribute,
                    Severity::Error,
                    Some(id.as_str()),
                    Some(def.name.as_str()),
                    "required parameter missing".to_owned(),
                );
            }
        }
        Report { findings }
    }

    fn validate_entity<E: EntityView, P: EntityView>(
        &self,
        entity: &E,
        operation: Operation<'_>,
        previous: Option<&P>,
        ctx: &mut Ctx<'_>,
    ) {
        let kind_id = entity.kind();
        let updating = matches!(operation, Operation::Update { .. });
        if let Some(previous) = previous.filter(|_| updating) {
            if previous.kind() != kind_id {
                ctx.push(
                    Code::KindChanged,
                    Severity::Error,
                    Some(kind_id),
                    None,
                    format!("the kind was {} and cannot change", previous.kind()),
                );
            }
            if previous.id() != entity.id() {
                ctx.push(
                    Code::IdChanged,
                    Severity::Error,
                    None,
                    None,
                    format!(
                        "the id was {} and cannot change",
                        previous.id().unwrap_or_default()
                    ),
                );
            }
        }
        let Some(kind) = self.kind(kind_id) else {
            let (code, severity) = ctx.unknown(
                Code::UnknownKind,
                Code::PreservedCategory,
                reserved_category(kind_id),
            );
            ctx.push(
                code,
                severity,
                Some(kind_id),
                None,
                "kind not defined by the model".to_owned(),
            );
            return;
        };
        if kind.id == ids::ENTITY {
            ctx.push(
                Code::AbstractKind,
                Severity::Error,
                Some(kind_id),
                None,
                "the entity kind cannot be instantiated".to_owned(),
            );
        } else {
            let (wanted, what) = if entity.is_link() {
                (ids::LINK, "a link")
            } else {
                (ids::RESOURCE, "a resource")
            };
            if !self.is_kind_of(kind_id, wanted) {
                ctx.push(
                    Code::WrongEntityType,
                    Severity::Error,
                    Some(kind_id),
                    None,
                    format!("kind is not the kind of {what}"),
                );
            }
        }

        // Mixins.
        let mixins: Vec<&str> = entity.mixins().collect();
        let mut known: Vec<&str> = Vec::with_capacity(mixins.len());
        let mut families: Vec<(TemplateFamily, &str)> = Vec::new();
        for (i, &m) in mixins.iter().enumerate() {
            if mixins.get(..i).is_some_and(|before| before.contains(&m)) {
                ctx.push(
                    Code::DuplicateMixin,
                    Severity::Warning,
                    Some(m),
                    None,
                    "mixin listed more than once".to_owned(),
                );
                continue;
            }
            if self.mixin(m).is_none() {
                let (code, severity) = ctx.unknown(
                    Code::UnknownMixin,
                    Code::PreservedCategory,
                    reserved_category(m),
                );
                ctx.push(
                    code,
                    severity,
                    Some(m),
                    None,
                    "mixin not defined by the model".to_owned(),
                );
                continue;
            }
            known.push(m);
            if !self.mixin_applies_to(m, kind_id) {
                ctx.push(
                    Code::MixinNotApplicable,
                    Severity::Error,
                    Some(m),
                    None,
                    format!("mixin does not apply to {kind_id}"),
                );
            }
            if m != ids::OS_TPL
                && m != ids::RESOURCE_TPL
                && let Some(f) = self.template_family(m)
            {
                if let Some((_, first)) = families.iter().find(|(g, _)| *g == f) {
                    ctx.push(
                        Code::TemplateConflict,
                        Severity::Error,
                        Some(m),
                        None,
                        format!("a second {} template besides {first}", f.as_str()),
                    );
                } else {
                    families.push((f, m));
                }
            }
        }

        // Attributes.
        let effective = self.effective_attributes(kind_id, &known);
        for (name, value) in entity.attributes() {
            let Some(e) = effective.iter().find(|e| e.definition.name == *name) else {
                let (code, severity) = ctx.unknown(
                    Code::UnknownAttribute,
                    Code::PreservedAttribute,
                    reserved_attribute(name),
                );
                ctx.push(
                    code,
                    severity,
                    None,
                    Some(name),
                    "attribute not defined by the kind or mixins".to_owned(),
                );
                continue;
            };
            if let Err(p) = e.definition.check(value) {
                ctx.push(
                    problem_code(&p),
                    Severity::Error,
                    Some(e.defined_by.as_str()),
                    Some(name),
                    format!("{p}: {value}"),
                );
            }
            if operation == Operation::Create && !e.definition.mutable {
                ctx.push(
                    Code::ImmutableAttributeSet,
                    Severity::Error,
                    Some(e.defined_by.as_str()),
                    Some(name),
                    "a client cannot set an immutable attribute".to_owned(),
                );
            }
        }
        for e in &effective {
            let name = e.definition.name.as_str();
            let core = entity.core(name);
            let present = match &core {
                Some(v) => v.is_some(),
                None => entity.attribute(name).is_some(),
            };
            if let Some(Some(v)) = &core
                && let Err(p) = e.definition.check(v)
            {
                ctx.push(
                    problem_code(&p),
                    Severity::Error,
                    Some(e.defined_by.as_str()),
                    Some(name),
                    format!("{p}: {v}"),
                );
            }
            if e.definition.required && !present {
                let exempt = match operation {
                    Operation::Instance => false,
                    Operation::Create | Operation::Update { .. } => {
                        !e.definition.mutable || e.default.is_some()
                    }
                    Operation::Any => true,
                };
                if !exempt {
                    ctx.push(
                        Code::MissingRequiredAttribute,
                        Severity::Error,
                        Some(e.defined_by.as_str()),
                        Some(name),
                        "required attribute missing".to_owned(),
                    );
                }
            }
            if let Some(previous) = previous.filter(|_| updating)
                && !e.definition.mutable
                && core.is_none()
            {
                let before = previous.attribute(name);
                let after = entity.attribute(name);
                if after.is_some() && before != after {
                    ctx.push(
                        Code::ImmutableAttributeChanged,
                        Severity::Error,
                        Some(e.defined_by.as_str()),
                        Some(name),
                        "a client cannot change an immutable attribute".to_owned(),
                    );
                }
            }
        }
        if let Some(t) = entity.target_kind()
            && self.kind(t).is_none()
        {
            let (code, severity) = ctx.unknown(
                Code::UnknownTargetKind,
                Code::PreservedCategory,
                reserved_category(t),
            );
            ctx.push(
                code,
                severity,
                Some(t),
                None,
                "target kind not defined by the model".to_owned(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EntityId, Link, Mixin, OcciVersion, Resource};

    fn id(s: &str) -> CategoryId {
        s.parse().unwrap()
    }

    fn name(s: &str) -> AttributeName {
        s.parse().unwrap()
    }

    fn model() -> Model {
        let mut m = Model::infrastructure(OcciVersion::V1_2)
            .with_crtp()
            .with_egi_extensions();
        for t in ["ubuntu", "debian"] {
            m.register_mixin(
                Mixin::new(id(&format!("http://example.com/os#{t}")))
                    .with_depends(id(ids::OS_TPL))
                    .with_applies(id(ids::COMPUTE)),
            )
            .unwrap();
        }
        m
    }

    fn compute() -> Resource {
        Resource::with_id(
            "urn:uuid:de7335a7-07e0-4487-9cbd-ed51be7f2ce4"
                .parse()
                .unwrap(),
            id(ids::COMPUTE),
        )
        .with_title("vm")
    }

    fn codes(report: &Report) -> Vec<&'static str> {
        report.findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn create_table() {
        let m = model();
        let small = id(&format!("{}small", ids::CRTP_SCHEME));
        let large = id(&format!("{}large", ids::CRTP_SCHEME));
        let ubuntu = id("http://example.com/os#ubuntu");
        // (case, entity, expected codes)
        let cases: Vec<(&str, Entity, Vec<&str>)> = vec![
            ("plain compute", compute().into(), vec![]),
            (
                "typed attributes",
                compute()
                    .with_attribute(name("occi.compute.cores"), 2)
                    .with_attribute(name("occi.compute.memory"), 4)
                    .with_attribute(name("occi.compute.architecture"), "x64")
                    .with_attribute(name("occi.compute.hostname"), "vm.example.com")
                    .into(),
                vec![],
            ),
            (
                "every value problem at once",
                compute()
                    .with_attribute(name("occi.compute.cores"), 1.5)
                    .with_attribute(name("occi.compute.architecture"), "arm64")
                    .with_attribute(name("occi.compute.state"), "active")
                    .with_attribute(name("com.example.colour"), "blue")
                    .into(),
                vec![
                    "unknown-attribute",
                    "not-in-enumeration",
                    "type-mismatch",
                    "immutable-attribute-set",
                ],
            ),
            (
                "templates: one of each family",
                compute()
                    .with_mixin(ubuntu.clone())
                    .with_mixin(small.clone())
                    .into(),
                vec![],
            ),
            (
                "two resource templates (GFD.222 R0302)",
                compute().with_mixin(small.clone()).with_mixin(large).into(),
                vec!["template-conflict"],
            ),
            (
                "duplicate mixin",
                compute().with_mixin(small.clone()).with_mixin(small).into(),
                vec!["duplicate-mixin"],
            ),
            (
                "ssh_key needs its key",
                compute().with_mixin(id(ids::SSH_KEY)).into(),
                vec!["missing-required-attribute"],
            ),
            (
                "ssh_key with its key",
                compute()
                    .with_mixin(id(ids::SSH_KEY))
                    .with_attribute(name("occi.credentials.ssh.publickey"), "ssh-ed25519 AAAA")
                    .into(),
                vec![],
            ),
            (
                "attribute of a mixin that is not there",
                compute()
                    .with_attribute(name("occi.credentials.ssh.publickey"), "ssh-ed25519 AAAA")
                    .into(),
                vec!["unknown-attribute"],
            ),
            (
                "mixin for another kind",
                compute().with_mixin(id(ids::IPNETWORK)).into(),
                vec!["mixin-not-applicable"],
            ),
            (
                "unknown mixin",
                compute().with_mixin(id("http://example.com/x#y")).into(),
                vec!["unknown-mixin"],
            ),
            (
                "unknown kind",
                Resource::new(id("http://example.com/x#vm")).into(),
                vec!["unknown-kind"],
            ),
            (
                "abstract kind",
                Resource::new(id(ids::ENTITY)).into(),
                vec!["abstract-kind"],
            ),
            (
                "resource with a link kind",
                Resource::new(id(ids::STORAGELINK)).into(),
                vec![
                    "wrong-entity-type",
                    "missing-required-attribute",
                    "missing-required-attribute",
                ],
            ),
            (
                "storage without size",
                Resource::new(id(ids::STORAGE)).into(),
                vec!["missing-required-attribute"],
            ),
            (
                "network vlan range and label token",
                Resource::new(id(ids::NETWORK))
                    .with_attribute(name("occi.network.vlan"), 5000)
                    .with_attribute(name("occi.network.label"), "two words")
                    .into(),
                vec!["pattern-mismatch", "out-of-range"],
            ),
            (
                "ipnetwork formats",
                Resource::new(id(ids::NETWORK))
                    .with_mixin(id(ids::IPNETWORK))
                    .with_attribute(name("occi.network.address"), "10.0.0.0/8")
                    .with_attribute(name("occi.network.gateway"), "10.0.0.0/8")
                    .into(),
                vec!["invalid-format"],
            ),
            (
                "networkinterface link",
                Link::new(
                    id(ids::NETWORKINTERFACE),
                    "/compute/1".parse().unwrap(),
                    "/network/1".parse().unwrap(),
                )
                .with_mixin(id(ids::IPNETWORKINTERFACE))
                .with_attribute(name("occi.networkinterface.mac"), "00:11:22:33:44:55")
                .with_attribute(name("occi.networkinterface.address"), "10.0.0.7/24")
                .with_attribute(name("occi.networkinterface.allocation"), "dynamic")
                .with_target_kind(id(ids::NETWORK))
                .into(),
                vec![],
            ),
            (
                "link with unknown target kind and bad mac",
                Link::new(
                    id(ids::NETWORKINTERFACE),
                    "/compute/1".parse().unwrap(),
                    "/network/1".parse().unwrap(),
                )
                .with_attribute(name("occi.networkinterface.mac"), "0011")
                .with_target_kind(id("http://example.com/x#net"))
                .into(),
                vec!["pattern-mismatch", "unknown-target-kind"],
            ),
        ];
        for (case, entity, expected) in cases {
            let report = m.validate(&entity, Operation::Create, &ValidationOptions::default());
            assert_eq!(codes(&report), expected, "{case}: {:#?}", report.findings);
            assert_eq!(
                report.is_valid(),
                expected.iter().all(|c| *c == "duplicate-mixin"),
                "{case}"
            );
        }
    }

    #[test]
    fn instance_requires_what_create_does_not() {
        let m = model();
        let vm: Entity = compute().into();
        assert!(
            m.validate(&vm, Operation::Create, &ValidationOptions::default())
                .is_valid()
        );
        let report = m.validate(&vm, Operation::Instance, &ValidationOptions::default());
        assert_eq!(codes(&report), ["missing-required-attribute"]);
        assert_eq!(
            report.findings[0]
                .attribute
                .as_ref()
                .map(AttributeName::as_str),
            Some("occi.compute.state")
        );
        let mut running = compute();
        running
            .attributes
            .insert(name("occi.compute.state"), "active".into());
        assert!(
            m.validate(
                &running.into(),
                Operation::Instance,
                &ValidationOptions::default()
            )
            .is_valid()
        );
    }

    #[test]
    fn update_rules() {
        let m = model();
        let before: Entity = compute()
            .with_attribute(name("occi.compute.state"), "active")
            .with_attribute(name("occi.compute.cores"), 2)
            .into();
        let ok: Entity = compute()
            .with_attribute(name("occi.compute.state"), "active")
            .with_attribute(name("occi.compute.cores"), 4)
            .into();
        let report = m.validate(
            &ok,
            Operation::Update { previous: &before },
            &ValidationOptions::default(),
        );
        assert!(report.findings.is_empty(), "{report:?}");
        let mut bad = Resource::with_id(EntityId::new_uuid(), id(ids::STORAGE))
            .with_attribute(name("occi.storage.size"), 1)
            .with_attribute(name("occi.compute.state"), "inactive");
        bad.attributes
            .insert(name("occi.compute.state"), "inactive".into());
        let report = m.validate(
            &bad.into(),
            Operation::Update { previous: &before },
            &ValidationOptions::default(),
        );
        assert_eq!(&codes(&report)[..2], ["kind-changed", "id-changed"]);
        let changed: Entity = compute()
            .with_attribute(name("occi.compute.state"), "inactive")
            .into();
        let report = m.validate(
            &changed,
            Operation::Update { previous: &before },
            &ValidationOptions::default(),
        );
        assert_eq!(codes(&report), ["immutable-attribute-changed"]);
    }

    #[test]
    fn unknown_categories_policy() {
        let m = model();
        let e: Entity = compute()
            .with_mixin(id("http://example.com/x#tag"))
            .with_attribute(name("com.example.colour"), "blue")
            .into();
        let strict = m.validate(&e, Operation::Create, &ValidationOptions::default());
        assert_eq!(codes(&strict), ["unknown-mixin", "unknown-attribute"]);
        assert!(!strict.is_valid());
        let preserve =
            ValidationOptions::default().with_unknown_categories(UnknownCategories::Preserve);
        let lenient = m.validate(&e, Operation::Create, &preserve);
        assert_eq!(
            codes(&lenient),
            ["preserved-category", "preserved-attribute"]
        );
        assert!(lenient.is_valid());
        assert!(
            lenient
                .findings
                .iter()
                .all(|f| f.severity == Severity::Notice)
        );
        let unknown_kind: Entity = Resource::new(id("http://example.com/x#vm")).into();
        assert!(
            m.validate(&unknown_kind, Operation::Create, &preserve)
                .is_valid()
        );
    }

    #[test]
    fn reject_reserved_policy() {
        let m = model();
        let policy =
            ValidationOptions::default().with_unknown_categories(UnknownCategories::RejectReserved);
        // A provider's mixin and attribute pass as notices; OCCI's namespace is checked.
        let e: Entity = compute()
            .with_mixin(id("http://example.com/x#tag"))
            .with_attribute(name("com.example.colour"), "blue")
            .into();
        let report = m.validate(&e, Operation::Any, &policy);
        assert_eq!(
            codes(&report),
            ["preserved-category", "preserved-attribute"]
        );
        assert!(report.is_valid());
        let e: Entity = compute()
            .with_mixin(id("http://schemas.ogf.org/occi/infrastructure#tag"))
            .with_attribute(name("occi.compute.colour"), "blue")
            .into();
        let report = m.validate(&e, Operation::Any, &policy);
        assert_eq!(codes(&report), ["unknown-mixin", "unknown-attribute"]);
        let unknown_kind: Entity =
            Resource::new(id("http://schemas.ogf.org/occi/infrastructure#computer")).into();
        assert_eq!(
            codes(&m.validate(&unknown_kind, Operation::Any, &policy)),
            ["unknown-kind"]
        );
        let provider_kind: Entity = Resource::new(id("http://example.com/x#vm")).into();
        assert!(
            m.validate(&provider_kind, Operation::Any, &policy)
                .is_valid()
        );
    }

    /// `Any` checks what holds for requests and answers alike, and nothing else.
    #[test]
    fn any_operation_checks_neither_required_nor_immutable() {
        let m = model();
        // A server's answer (immutable state set) and a client's request (no required
        // size) are both fine.
        let answer: Entity = compute()
            .with_attribute(name("occi.compute.state"), "active")
            .into();
        assert!(
            m.validate(&answer, Operation::Any, &ValidationOptions::default())
                .findings
                .is_empty()
        );
        assert!(
            !m.validate(&answer, Operation::Create, &ValidationOptions::default())
                .is_valid()
        );
        let request: Entity = Resource::with_id(EntityId::new_uuid(), id(ids::STORAGE)).into();
        assert!(
            m.validate(&request, Operation::Any, &ValidationOptions::default())
                .findings
                .is_empty()
        );
        assert!(
            !m.validate(&request, Operation::Instance, &ValidationOptions::default())
                .is_valid()
        );
        // Values, applicability and enumerations are still checked.
        let bad: Entity = compute()
            .with_attribute(name("occi.compute.architecture"), "arm64")
            .with_mixin(id(ids::IPNETWORK))
            .into();
        assert_eq!(
            codes(&m.validate(&bad, Operation::Any, &ValidationOptions::default())),
            ["mixin-not-applicable", "not-in-enumeration"]
        );
    }

    #[test]
    fn invocations() {
        let m = model();
        let inv = |action: &str, params: &[(&str, AttributeValue)]| {
            let mut i = crate::ActionInvocation::new(id(action));
            for (n, v) in params {
                i = i.with_attribute(name(n), v.clone());
            }
            i
        };
        let all = ValidationOptions::default();
        let cases: Vec<(crate::ActionInvocation, Vec<&str>)> = vec![
            (inv(ids::COMPUTE_STOP, &[]), vec![]),
            (
                inv(ids::COMPUTE_STOP, &[("method", "poweroff".into())]),
                vec![],
            ),
            (
                inv(ids::COMPUTE_STOP, &[("method", "yank".into())]),
                vec!["not-in-enumeration"],
            ),
            (
                inv(ids::COMPUTE_STOP, &[("method", 1.into())]),
                vec!["type-mismatch"],
            ),
            (
                inv(ids::COMPUTE_STOP, &[("force", true.into())]),
                vec!["unknown-attribute"],
            ),
            (
                inv(
                    "http://schemas.ogf.org/occi/infrastructure/compute/action#explode",
                    &[],
                ),
                vec!["unknown-action"],
            ),
            (
                inv("http://example.com/a#reboot", &[]),
                vec!["unknown-action"],
            ),
        ];
        for (i, want) in cases {
            assert_eq!(
                codes(&m.validate_invocation(&i, &all)),
                want,
                "{}",
                i.action
            );
        }
        let policy =
            ValidationOptions::default().with_unknown_categories(UnknownCategories::RejectReserved);
        assert_eq!(
            codes(&m.validate_invocation(&inv("http://example.com/a#reboot", &[]), &policy)),
            ["preserved-category"]
        );
        assert_eq!(
            codes(
                &m.validate_invocation(&inv(ids::COMPUTE_STOP, &[("force", true.into())]), &policy)
            ),
            ["unknown-attribute"]
        );
        // A required parameter without a default must be given.
        let mut m2 = m.clone();
        m2.register_action(
            crate::Action::new(id("http://example.com/a#resize")).with_attribute(
                crate::AttributeDefinition::new(name("size"), crate::AttributeType::Number)
                    .with_required(true),
            ),
        )
        .unwrap();
        assert_eq!(
            codes(&m2.validate_invocation(&inv("http://example.com/a#resize", &[]), &all)),
            ["missing-required-attribute"]
        );
    }

    #[test]
    fn any_type_takes_every_value() {
        let def = crate::AttributeDefinition::new(name("com.example.x"), crate::AttributeType::Any);
        for v in [
            AttributeValue::from(1),
            "x".into(),
            true.into(),
            AttributeValue::Number(1.5),
        ] {
            assert!(def.check(&v).is_ok());
        }
        assert_eq!(crate::AttributeType::Any.json_type(), "string");
    }

    #[test]
    fn links_inside_resources_have_paths() {
        let m = model();
        let vm = compute().with_link(Link::new(
            id(ids::STORAGELINK),
            "/compute/1".parse().unwrap(),
            "/storage/1".parse().unwrap(),
        ));
        let report = m.validate(&vm.into(), Operation::Create, &ValidationOptions::default());
        assert!(report.findings.is_empty(), "{report:?}");
        let vm = compute().with_link(
            Link::new(
                id(ids::STORAGELINK),
                "/compute/1".parse().unwrap(),
                "/storage/1".parse().unwrap(),
            )
            .with_attribute(name("occi.storagelink.state"), "active"),
        );
        let report = m.validate(&vm.into(), Operation::Create, &ValidationOptions::default());
        assert_eq!(codes(&report), ["immutable-attribute-set"]);
        let f = &report.findings[0];
        assert_eq!(f.path, "/links/0");
        assert_eq!(
            f.to_string(),
            "immutable-attribute-set: a client cannot set an immutable attribute (attribute occi.storagelink.state) at /links/0"
        );
    }
}
