//! The model registry: every kind, mixin and action a server exposes, and the queries that
//! OCCI semantics need (inheritance, mixin closure, applicability, effective attributes,
//! templates, the query-interface listing).

use crate::state::StateMachine;
use crate::{
    Action, AttributeDefinition, AttributeName, AttributeValue, Category, CategoryId, CategoryRef,
    Entity, Error, ErrorKind, Kind, Mixin, OcciVersion, Term, ids,
};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Kind(usize),
    Mixin(usize),
    Action(usize),
}

/// The registry of kinds, mixins and actions of one OCCI version.
///
/// Build one from the built-in definitions ([`Model::core`], [`Model::infrastructure`],
/// [`Model::with_crtp`], [`Model::with_egi_extensions`]) and add a provider's own categories
/// with [`Model::register_kind`], [`Model::register_mixin`] and [`Model::register_action`],
/// which check every reference and the reserved namespaces. Look-ups take the type identifier
/// as text, or scheme and term separately without allocating.
///
/// ```
/// use occi_model::{Model, OcciVersion, ids};
/// let model = Model::infrastructure(OcciVersion::V1_2);
/// let compute = model.kind(ids::COMPUTE).ok_or("no compute")?;
/// assert_eq!(compute.parent.as_ref().map(|p| p.as_str()), Some(ids::RESOURCE));
/// assert!(model.is_kind_of(ids::COMPUTE, ids::ENTITY));
/// let names: Vec<_> = model.kind_attributes(ids::COMPUTE).iter().map(|a| a.name.as_str()).collect();
/// assert!(names.contains(&"occi.compute.share"));      // new in 1.2
/// assert!(!names.contains(&"occi.compute.speed"));     // removed in 1.2
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Model {
    version: OcciVersion,
    allow_reserved: bool,
    kinds: Vec<Kind>,
    mixins: Vec<Mixin>,
    actions: Vec<Action>,
    index: HashMap<CategoryId, Slot>,
    by_scheme: HashMap<String, HashMap<String, Slot>>,
    pub(crate) machines: Vec<StateMachine>,
}

/// Which template family a mixin belongs to (GFD.224 §3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TemplateFamily {
    /// Depends (transitively) on `infrastructure#os_tpl`.
    Os,
    /// Depends (transitively) on `infrastructure#resource_tpl`.
    Resource,
}

impl TemplateFamily {
    /// `os_tpl` or `resource_tpl`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Os => "os_tpl",
            Self::Resource => "resource_tpl",
        }
    }
}

/// One attribute an entity of a given kind and mixins can carry, with where it comes from and
/// the default that applies (a mixin's default overrides its kind's, GFD.221 §4.3).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct EffectiveAttribute<'a> {
    /// The definition (the kind's, when a mixin only gives a default for it).
    pub definition: &'a AttributeDefinition,
    /// The kind or mixin whose definition this is.
    pub defined_by: &'a CategoryId,
    /// The default in force, and the category that gives it.
    pub default: Option<(&'a AttributeValue, &'a CategoryId)>,
}

/// What [`Model::associate_mixin`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Association {
    /// Whether the mixin was added (false if it was already associated).
    pub added: bool,
    /// Templates of the same family that the new one replaced (OCCI 1.2).
    pub replaced: Vec<CategoryId>,
}

/// The query interface's listing: every category, or those asked for (GFD.223 §3.4.1).
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct QueryInterface<'a> {
    /// The kinds, in registration order.
    pub kinds: Vec<&'a Kind>,
    /// The mixins, in registration order.
    pub mixins: Vec<&'a Mixin>,
    /// The actions, in registration order.
    pub actions: Vec<&'a Action>,
}

impl QueryInterface<'_> {
    /// The number of categories listed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.kinds.len() + self.mixins.len() + self.actions.len()
    }

    /// Whether nothing is listed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Model {
    /// An empty registry for `version` (not even the core kinds).
    #[must_use]
    pub fn empty(version: OcciVersion) -> Self {
        Self {
            version,
            allow_reserved: false,
            kinds: Vec::new(),
            mixins: Vec::new(),
            actions: Vec::new(),
            index: HashMap::new(),
            by_scheme: HashMap::new(),
            machines: Vec::new(),
        }
    }

    /// The OCCI version whose grammar and semantics this registry follows.
    #[must_use]
    pub const fn version(&self) -> OcciVersion {
        self.version
    }

    /// Lets the `register_*` functions accept categories under the reserved
    /// `http://schemas.ogf.org/occi/` scheme base and new `occi.` attributes: for loading
    /// model definitions that come from the OCCI documents (such as another implementation's
    /// catalogue), never for a provider's own extensions. Off by default.
    #[must_use]
    pub const fn allow_reserved_namespace(mut self, allow: bool) -> Self {
        self.allow_reserved = allow;
        self
    }

    // ---- registration ----------------------------------------------------------------------

    fn slot_insert(&mut self, id: &CategoryId, slot: Slot) {
        self.index.insert(id.clone(), slot);
        self.by_scheme
            .entry(id.scheme().to_owned())
            .or_default()
            .insert(id.term().to_owned(), slot);
    }

    /// Adds a built-in kind without checks (the built-in sets are verified by tests).
    pub(crate) fn insert_kind(&mut self, kind: Kind) {
        if self.index.contains_key(&kind.id) {
            return;
        }
        let slot = Slot::Kind(self.kinds.len());
        self.slot_insert(&kind.id, slot);
        self.kinds.push(kind);
    }

    pub(crate) fn kind_mut(&mut self, id: &str) -> Option<&mut Kind> {
        match self.index.get(id) {
            Some(Slot::Kind(i)) => self.kinds.get_mut(*i),
            _ => None,
        }
    }

    pub(crate) fn insert_mixin(&mut self, mixin: Mixin) {
        if self.index.contains_key(&mixin.id) {
            return;
        }
        let slot = Slot::Mixin(self.mixins.len());
        self.slot_insert(&mixin.id, slot);
        self.mixins.push(mixin);
    }

    pub(crate) fn insert_action(&mut self, action: Action) {
        if self.index.contains_key(&action.id) {
            return;
        }
        let slot = Slot::Action(self.actions.len());
        self.slot_insert(&action.id, slot);
        self.actions.push(action);
    }

    fn check_identity(&self, id: &CategoryId) -> Result<(), Error> {
        if self.index.contains_key(id) {
            return Err(Error::at_category(ErrorKind::DuplicateCategory, id));
        }
        if id.is_reserved() && !self.allow_reserved {
            return Err(Error::at_category(ErrorKind::ReservedScheme, id));
        }
        Term::parse(id.term(), self.version)
            .map_err(|e| Error::at_category(e.kind().clone(), id))?;
        Ok(())
    }

    /// Checks attribute definitions: grammar, duplicates, reserved names, defaults.
    /// `reserved_rule`: entity attributes may use `occi.` only for names the model already
    /// defines (template defaults); action parameters are exempt (GFD.221 §4.2.5).
    fn check_attributes(
        &self,
        id: &CategoryId,
        attributes: &[AttributeDefinition],
        reserved_rule: bool,
    ) -> Result<(), Error> {
        let mut seen = HashSet::new();
        for a in attributes {
            let at = |kind| Error::at_attribute(kind, id, &a.name);
            AttributeName::parse(a.name.as_str(), self.version)
                .map_err(|e| at(e.kind().clone()))?;
            if !seen.insert(a.name.as_str()) {
                return Err(at(ErrorKind::DuplicateAttribute));
            }
            if reserved_rule
                && a.name.is_reserved()
                && !self.allow_reserved
                && !self.defines_attribute(a.name.as_str())
            {
                return Err(at(ErrorKind::ReservedAttributeName));
            }
            if let Some(d) = &a.default {
                a.check(d)
                    .map_err(|p| at(ErrorKind::InvalidDefault(p.to_string())))?;
            }
        }
        Ok(())
    }

    fn defines_attribute(&self, name: &str) -> bool {
        self.kinds.iter().any(|k| k.attribute(name).is_some())
            || self.mixins.iter().any(|m| m.attribute(name).is_some())
    }

    fn check_actions(&self, id: &CategoryId, actions: &[CategoryId]) -> Result<(), Error> {
        for a in actions {
            if self.action(a.as_str()).is_none() {
                return Err(Error::at_category(
                    ErrorKind::UnknownAction(a.to_string()),
                    id,
                ));
            }
        }
        Ok(())
    }

    /// Registers a provider kind.
    ///
    /// # Errors
    /// `DuplicateCategory`; `ReservedScheme` (unless [`Model::allow_reserved_namespace`]);
    /// a term or attribute name outside the version's grammar; `MissingParent` or
    /// `UnknownKind` for the parent, `NotSubtypable` when it descends from neither
    /// `core#resource` nor `core#link`; `UnknownAction`; `DuplicateAttribute`;
    /// `ReservedAttributeName` for a new `occi.` attribute; `InvalidDefault`.
    pub fn register_kind(&mut self, kind: Kind) -> Result<(), Error> {
        self.check_identity(&kind.id)?;
        let Some(parent) = &kind.parent else {
            return Err(Error::at_category(ErrorKind::MissingParent, &kind.id));
        };
        if self.kind(parent.as_str()).is_none() {
            return Err(Error::at_category(
                ErrorKind::UnknownKind(parent.to_string()),
                &kind.id,
            ));
        }
        if !self.is_kind_of(parent.as_str(), ids::RESOURCE)
            && !self.is_kind_of(parent.as_str(), ids::LINK)
        {
            return Err(Error::at_category(ErrorKind::NotSubtypable, &kind.id));
        }
        self.check_attributes(&kind.id, &kind.attributes, true)?;
        self.check_actions(&kind.id, &kind.actions)?;
        self.insert_kind(kind);
        Ok(())
    }

    /// Registers a provider mixin (also a user's tag, created through the query interface).
    ///
    /// A mixin may give defaults for `occi.` attributes the model already defines (that is
    /// how templates work), but may not invent new ones.
    ///
    /// # Errors
    /// As [`Model::register_kind`], plus `UnknownMixin` for a `depends` entry, `UnknownKind`
    /// for an `applies` entry, and `DependencyCycle` when the mixin depends on itself (a
    /// longer cycle cannot form: dependencies must be registered first).
    pub fn register_mixin(&mut self, mixin: Mixin) -> Result<(), Error> {
        self.check_identity(&mixin.id)?;
        for d in &mixin.depends {
            if d == &mixin.id {
                return Err(Error::at_category(ErrorKind::DependencyCycle, &mixin.id));
            }
            if self.mixin(d.as_str()).is_none() {
                return Err(Error::at_category(
                    ErrorKind::UnknownMixin(d.to_string()),
                    &mixin.id,
                ));
            }
        }
        for k in &mixin.applies {
            if self.kind(k.as_str()).is_none() {
                return Err(Error::at_category(
                    ErrorKind::UnknownKind(k.to_string()),
                    &mixin.id,
                ));
            }
        }
        self.check_attributes(&mixin.id, &mixin.attributes, true)?;
        self.check_actions(&mixin.id, &mixin.actions)?;
        self.insert_mixin(mixin);
        Ok(())
    }

    /// Registers a provider action. Its parameters are exempt from the attribute namespace
    /// rules (GFD.221 §4.2.5).
    ///
    /// # Errors
    /// `DuplicateCategory`, `ReservedScheme`, a term or parameter name outside the version's
    /// grammar, `DuplicateAttribute`, `InvalidDefault`.
    pub fn register_action(&mut self, action: Action) -> Result<(), Error> {
        self.check_identity(&action.id)?;
        self.check_attributes(&action.id, &action.attributes, false)?;
        self.insert_action(action);
        Ok(())
    }

    /// Removes a user or provider mixin (the query interface's `DELETE`).
    ///
    /// # Errors
    /// `UnknownMixin`; `MixinInUse` when another mixin depends on it or it is one of the
    /// reserved OCCI mixins.
    pub fn unregister_mixin(&mut self, id: &str) -> Result<Mixin, Error> {
        let Some(Slot::Mixin(i)) = self.index.get(id).copied() else {
            return Err(Error::at_category(
                ErrorKind::UnknownMixin(id.to_owned()),
                id,
            ));
        };
        if id.starts_with(crate::RESERVED_SCHEME_BASE) && !self.allow_reserved {
            return Err(Error::at_category(
                ErrorKind::MixinInUse("reserved OCCI mixin".to_owned()),
                id,
            ));
        }
        if let Some(user) = self
            .mixins
            .iter()
            .find(|m| m.depends.iter().any(|d| d == id))
        {
            return Err(Error::at_category(
                ErrorKind::MixinInUse(format!("{} depends on it", user.id)),
                id,
            ));
        }
        if i >= self.mixins.len() {
            return Err(Error::at_category(
                ErrorKind::UnknownMixin(id.to_owned()),
                id,
            ));
        }
        let removed = self.mixins.remove(i);
        self.reindex();
        Ok(removed)
    }

    fn reindex(&mut self) {
        self.index.clear();
        self.by_scheme.clear();
        let kinds: Vec<CategoryId> = self.kinds.iter().map(|k| k.id.clone()).collect();
        let mixins: Vec<CategoryId> = self.mixins.iter().map(|m| m.id.clone()).collect();
        let actions: Vec<CategoryId> = self.actions.iter().map(|a| a.id.clone()).collect();
        for (i, id) in kinds.iter().enumerate() {
            self.slot_insert(id, Slot::Kind(i));
        }
        for (i, id) in mixins.iter().enumerate() {
            self.slot_insert(id, Slot::Mixin(i));
        }
        for (i, id) in actions.iter().enumerate() {
            self.slot_insert(id, Slot::Action(i));
        }
    }

    /// Checks the whole registry: every reference resolves, every kind but `core#entity`
    /// has a parent, every default satisfies its definition, every state machine fits its kind.
    /// The built-in sets pass it.
    ///
    /// # Errors
    /// The first inconsistency found.
    pub fn verify(&self) -> Result<(), Error> {
        for k in &self.kinds {
            match &k.parent {
                None if k.id != ids::ENTITY => {
                    return Err(Error::at_category(ErrorKind::MissingParent, &k.id));
                }
                Some(p) if self.kind(p.as_str()).is_none() => {
                    return Err(Error::at_category(
                        ErrorKind::UnknownKind(p.to_string()),
                        &k.id,
                    ));
                }
                _ => {}
            }
            self.verify_attributes(&k.id, &k.attributes)?;
            self.check_actions(&k.id, &k.actions)?;
        }
        for m in &self.mixins {
            for d in &m.depends {
                if self.mixin(d.as_str()).is_none() || d == &m.id {
                    return Err(Error::at_category(
                        ErrorKind::UnknownMixin(d.to_string()),
                        &m.id,
                    ));
                }
            }
            for a in &m.applies {
                if self.kind(a.as_str()).is_none() {
                    return Err(Error::at_category(
                        ErrorKind::UnknownKind(a.to_string()),
                        &m.id,
                    ));
                }
            }
            self.verify_attributes(&m.id, &m.attributes)?;
            self.check_actions(&m.id, &m.actions)?;
        }
        for a in &self.actions {
            self.verify_attributes(&a.id, &a.attributes)?;
        }
        for m in &self.machines {
            self.check_state_machine(m)?;
        }
        for k in self
            .kinds
            .iter()
            .map(|k| &k.id)
            .chain(self.mixins.iter().map(|m| &m.id))
        {
            Term::parse(k.term(), self.version)
                .map_err(|e| Error::at_category(e.kind().clone(), k))?;
        }
        Ok(())
    }

    fn verify_attributes(
        &self,
        id: &CategoryId,
        attrs: &[AttributeDefinition],
    ) -> Result<(), Error> {
        for a in attrs {
            AttributeName::parse(a.name.as_str(), self.version)
                .map_err(|e| Error::at_attribute(e.kind().clone(), id, &a.name))?;
            if let Some(d) = &a.default {
                a.check(d).map_err(|p| {
                    Error::at_attribute(ErrorKind::InvalidDefault(p.to_string()), id, &a.name)
                })?;
            }
        }
        Ok(())
    }

    // ---- look-ups --------------------------------------------------------------------------

    fn resolve(&self, slot: Slot) -> Option<Category<'_>> {
        match slot {
            Slot::Kind(i) => self.kinds.get(i).map(Category::Kind),
            Slot::Mixin(i) => self.mixins.get(i).map(Category::Mixin),
            Slot::Action(i) => self.actions.get(i).map(Category::Action),
        }
    }

    /// The category with type identifier `id`, of any class.
    #[must_use]
    pub fn category(&self, id: &str) -> Option<Category<'_>> {
        self.index.get(id).and_then(|s| self.resolve(*s))
    }

    /// The category with this scheme and term, without building the identifier.
    #[must_use]
    pub fn category_by_parts(&self, scheme: &str, term: &str) -> Option<Category<'_>> {
        self.by_scheme
            .get(scheme)
            .and_then(|t| t.get(term))
            .and_then(|s| self.resolve(*s))
    }

    /// The category a borrowed identifier names.
    #[must_use]
    pub fn category_ref(&self, id: CategoryRef<'_>) -> Option<Category<'_>> {
        self.category_by_parts(id.scheme(), id.term())
    }

    /// The kind `id`.
    #[must_use]
    pub fn kind(&self, id: &str) -> Option<&Kind> {
        match self.index.get(id) {
            Some(Slot::Kind(i)) => self.kinds.get(*i),
            _ => None,
        }
    }

    /// The mixin `id`.
    #[must_use]
    pub fn mixin(&self, id: &str) -> Option<&Mixin> {
        match self.index.get(id) {
            Some(Slot::Mixin(i)) => self.mixins.get(*i),
            _ => None,
        }
    }

    /// The action `id`.
    #[must_use]
    pub fn action(&self, id: &str) -> Option<&Action> {
        match self.index.get(id) {
            Some(Slot::Action(i)) => self.actions.get(*i),
            _ => None,
        }
    }

    /// Every kind, in registration order.
    pub fn kinds(&self) -> impl ExactSizeIterator<Item = &Kind> {
        self.kinds.iter()
    }

    /// Every mixin, in registration order.
    pub fn mixins(&self) -> impl ExactSizeIterator<Item = &Mixin> {
        self.mixins.iter()
    }

    /// Every action, in registration order.
    pub fn actions(&self) -> impl ExactSizeIterator<Item = &Action> {
        self.actions.iter()
    }

    /// The number of registered categories.
    #[must_use]
    pub fn len(&self) -> usize {
        self.kinds.len() + self.mixins.len() + self.actions.len()
    }

    /// Whether nothing is registered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    // ---- kinds -----------------------------------------------------------------------------

    /// The kind `id` and its ancestors, nearest first (`compute`, `resource`, `entity`).
    pub fn ancestors<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Kind> + 'a {
        let mut next = self.kind(id);
        // Parents are registered before children, so there is no cycle; the bound only guards
        // against a registry built some other way.
        let mut budget = self.kinds.len();
        std::iter::from_fn(move || {
            let k = next.take()?;
            budget = budget.checked_sub(1)?;
            next = k.parent.as_ref().and_then(|p| self.kind(p.as_str()));
            Some(k)
        })
    }

    /// Whether kind `id` is `ancestor` or inherits from it.
    #[must_use]
    pub fn is_kind_of(&self, id: &str, ancestor: &str) -> bool {
        self.ancestors(id).any(|k| k.id == ancestor)
    }

    /// Every attribute a kind defines or inherits; a sub-kind's definition of a name replaces
    /// its parent's. Root attributes come first.
    #[must_use]
    pub fn kind_attributes(&self, id: &str) -> Vec<&AttributeDefinition> {
        self.effective_attributes::<&str>(id, &[])
            .into_iter()
            .map(|e| e.definition)
            .collect()
    }

    /// Every action the kind defines or inherits.
    #[must_use]
    pub fn kind_actions(&self, id: &str) -> Vec<&CategoryId> {
        let chain: Vec<&Kind> = self.ancestors(id).collect();
        chain.iter().rev().flat_map(|k| k.actions.iter()).collect()
    }

    // ---- mixins ----------------------------------------------------------------------------

    /// The given mixins and everything they depend on, transitively, each once, in
    /// breadth-first order (GFD.221 §4.2.4: capabilities of dependencies are combined).
    /// Unknown identifiers are skipped.
    #[must_use]
    pub fn mixin_closure<I, S>(&self, mixins: I) -> Vec<&Mixin>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out: Vec<&Mixin> = Vec::new();
        for m in mixins {
            if let Some(mixin) = self.mixin(m.as_ref())
                && !out.iter().any(|o| o.id == mixin.id)
            {
                out.push(mixin);
            }
        }
        let mut i = 0;
        while let Some(m) = out.get(i).copied() {
            for d in &m.depends {
                if let Some(dep) = self.mixin(d.as_str())
                    && !out.iter().any(|o| o.id == dep.id)
                {
                    out.push(dep);
                }
            }
            i += 1;
        }
        out
    }

    /// Whether mixin `mixin` may be associated with an entity of kind `kind`: every mixin of
    /// its dependency closure that restricts `applies` admits the kind or one of its
    /// ancestors (an empty `applies` admits every kind).
    #[must_use]
    pub fn mixin_applies_to(&self, mixin: &str, kind: &str) -> bool {
        self.mixin_closure([mixin]).iter().all(|m| {
            m.applies.is_empty() || m.applies.iter().any(|a| self.is_kind_of(kind, a.as_str()))
        })
    }

    /// The template family of a mixin: `Os` if it is or depends on `infrastructure#os_tpl`,
    /// `Resource` for `infrastructure#resource_tpl`.
    #[must_use]
    pub fn template_family(&self, mixin: &str) -> Option<TemplateFamily> {
        let closure = self.mixin_closure([mixin]);
        if closure.iter().any(|m| m.id == ids::OS_TPL) {
            Some(TemplateFamily::Os)
        } else if closure.iter().any(|m| m.id == ids::RESOURCE_TPL) {
            Some(TemplateFamily::Resource)
        } else {
            None
        }
    }

    /// The attributes an entity of `kind` with `mixins` can carry: the kind's own and
    /// inherited ones, then those of the mixins' closure. A mixin that re-defines a kind
    /// attribute supplies its default (templates) but does not change its type or
    /// mutability.
    #[must_use]
    pub fn effective_attributes<'a, S: AsRef<str>>(
        &'a self,
        kind: &str,
        mixins: &[S],
    ) -> Vec<EffectiveAttribute<'a>> {
        let mut out: Vec<EffectiveAttribute<'a>> = Vec::new();
        let chain: Vec<&Kind> = self.ancestors(kind).collect();
        for k in chain.iter().rev() {
            for a in &k.attributes {
                let e = EffectiveAttribute {
                    definition: a,
                    defined_by: &k.id,
                    default: a.default.as_ref().map(|d| (d, &k.id)),
                };
                match out.iter_mut().find(|o| o.definition.name == a.name) {
                    Some(slot) => *slot = e,
                    None => out.push(e),
                }
            }
        }
        if mixins.is_empty() {
            return out;
        }
        // Dependencies first, so that the mixin the entity names wins over what it depends on.
        let closure = self.mixin_closure(mixins.iter().map(AsRef::as_ref));
        for m in closure.iter().rev() {
            for a in &m.attributes {
                match out.iter_mut().find(|o| o.definition.name == a.name) {
                    Some(slot) => {
                        if let Some(d) = &a.default {
                            slot.default = Some((d, &m.id));
                        }
                    }
                    None => out.push(EffectiveAttribute {
                        definition: a,
                        defined_by: &m.id,
                        default: a.default.as_ref().map(|d| (d, &m.id)),
                    }),
                }
            }
        }
        out
    }

    /// Associates `mixin` with `entity`, with the replacement semantics of templates: in
    /// OCCI 1.2 a new OS or resource template replaces the one of the same family already
    /// associated (GFD.224 §3.5.1, §3.5.2); OCCI 1.1 defines no replacement.
    ///
    /// # Errors
    /// `UnknownMixin`; `MixinNotApplicable` when its `applies` excludes the entity's kind;
    /// `TemplateAlreadyAssociated` in OCCI 1.1 when a template of the same family is there.
    pub fn associate_mixin(&self, entity: &mut Entity, mixin: &str) -> Result<Association, Error> {
        let Some(m) = self.mixin(mixin) else {
            return Err(Error::new(
                ErrorKind::UnknownMixin(mixin.to_owned()),
                crate::Location::Entity(entity.id().to_string()),
            ));
        };
        if !self.mixin_applies_to(mixin, entity.kind().as_str()) {
            return Err(Error::at_category(
                ErrorKind::MixinNotApplicable(entity.kind().to_string()),
                mixin,
            ));
        }
        if entity.mixins().iter().any(|x| x == mixin) {
            return Ok(Association::default());
        }
        let mut replaced = Vec::new();
        if let Some(family) = self.template_family(mixin) {
            let same: Vec<CategoryId> = entity
                .mixins()
                .iter()
                .filter(|x| self.template_family(x.as_str()) == Some(family))
                // The family's root mixin itself (os_tpl) is not a template instance.
                .filter(|x| *x != ids::OS_TPL && *x != ids::RESOURCE_TPL)
                .cloned()
                .collect();
            if !same.is_empty() && self.version == OcciVersion::V1_1 {
                return Err(Error::new(
                    ErrorKind::TemplateAlreadyAssociated(family.as_str()),
                    crate::Location::Entity(entity.id().to_string()),
                ));
            }
            entity.mixins_mut().retain(|x| !same.contains(x));
            replaced = same;
        }
        entity.mixins_mut().push(m.id.clone());
        Ok(Association {
            added: true,
            replaced,
        })
    }

    /// Fills in every attribute the entity lacks that has a default in force (a mixin's
    /// default over its kind's). Returns the names filled.
    pub fn apply_defaults(&self, entity: &mut Entity) -> Vec<AttributeName> {
        let effective = self.effective_attributes(entity.kind().as_str(), entity.mixins());
        let mut filled = Vec::new();
        let missing: Vec<(AttributeName, AttributeValue)> = effective
            .iter()
            .filter(|e| !entity.attributes().contains_key(e.definition.name.as_str()))
            .filter_map(|e| {
                e.default
                    .map(|(d, _)| (e.definition.name.clone(), d.clone()))
            })
            .collect();
        for (name, value) in missing {
            filled.push(name.clone());
            entity.attributes_mut().insert(name, value);
        }
        filled
    }

    // ---- the query interface ---------------------------------------------------------------

    /// Every registered category: the body of `GET /-/` (GFD.223 §3.4.1).
    #[must_use]
    pub fn query_interface(&self) -> QueryInterface<'_> {
        QueryInterface {
            kinds: self.kinds.iter().collect(),
            mixins: self.mixins.iter().collect(),
            actions: self.actions.iter().collect(),
        }
    }

    /// The categories named by a filter (`GET /-/` with `Category:` filters): each listed
    /// identifier that is registered, in registration order.
    #[must_use]
    pub fn query_interface_filtered<S: AsRef<str>>(&self, filter: &[S]) -> QueryInterface<'_> {
        let wanted: HashSet<&str> = filter.iter().map(AsRef::as_ref).collect();
        QueryInterface {
            kinds: self
                .kinds
                .iter()
                .filter(|k| wanted.contains(k.id.as_str()))
                .collect(),
            mixins: self
                .mixins
                .iter()
                .filter(|m| wanted.contains(m.id.as_str()))
                .collect(),
            actions: self
                .actions
                .iter()
                .filter(|a| wanted.contains(a.id.as_str()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AttributeType, Resource};
    use OcciVersion::{V1_1, V1_2};

    fn id(s: &str) -> CategoryId {
        s.parse().unwrap()
    }

    fn attr(name: &str) -> AttributeDefinition {
        AttributeDefinition::new(name.parse().unwrap(), AttributeType::String).with_mutable(true)
    }

    #[test]
    fn registration_errors() {
        let base = || Model::infrastructure(V1_2);
        let p = "http://example.com/occi#";
        let kind = |t: &str| Kind::new(id(&format!("{p}{t}"))).with_parent(id(ids::RESOURCE));
        let mixin = |t: &str| Mixin::new(id(&format!("{p}{t}")));
        // (case, result)
        let cases: Vec<(&str, Result<(), Error>)> = vec![
            (
                "provider kind",
                base().register_kind(kind("vm").with_attribute(attr("com.example.x"))),
            ),
            ("duplicate", {
                let mut m = base();
                m.register_kind(kind("vm")).unwrap();
                m.register_kind(kind("vm"))
            }),
            (
                "reserved scheme",
                base().register_kind(
                    Kind::new(id("http://schemas.ogf.org/occi/infrastructure#vm"))
                        .with_parent(id(ids::RESOURCE)),
                ),
            ),
            (
                "no parent",
                base().register_kind(Kind::new(id(&format!("{p}vm")))),
            ),
            (
                "unknown parent",
                base().register_kind(kind("vm").with_parent(id(&format!("{p}nope")))),
            ),
            (
                "entity parent",
                base().register_kind(kind("vm").with_parent(id(ids::ENTITY))),
            ),
            (
                "link parent",
                base().register_kind(kind("vm").with_parent(id(ids::STORAGELINK))),
            ),
            (
                "reserved attribute",
                base().register_kind(kind("vm").with_attribute(attr("occi.vm.x"))),
            ),
            (
                "duplicate attribute",
                base().register_kind(
                    kind("vm")
                        .with_attribute(attr("com.x"))
                        .with_attribute(attr("com.x")),
                ),
            ),
            (
                "unknown action",
                base().register_kind(kind("vm").with_action(id(&format!("{p}go")))),
            ),
            (
                "bad default",
                base().register_kind(
                    kind("vm").with_attribute(
                        AttributeDefinition::new("com.x".parse().unwrap(), AttributeType::Integer)
                            .with_default("one"),
                    ),
                ),
            ),
            (
                "template default for occi attribute",
                base().register_mixin(
                    mixin("tiny")
                        .with_depends(id(ids::RESOURCE_TPL))
                        .with_attribute(
                            AttributeDefinition::new(
                                "occi.compute.cores".parse().unwrap(),
                                AttributeType::Integer,
                            )
                            .with_default(1),
                        ),
                ),
            ),
            (
                "self dependency",
                base().register_mixin(mixin("m").with_depends(id(&format!("{p}m")))),
            ),
            (
                "unknown dependency",
                base().register_mixin(mixin("m").with_depends(id(&format!("{p}x")))),
            ),
            (
                "unknown applies",
                base().register_mixin(mixin("m").with_applies(id(&format!("{p}x")))),
            ),
            (
                "1.1 term",
                Model::infrastructure(V1_1).register_mixin(mixin("Big")),
            ),
            (
                "1.1 attribute",
                Model::infrastructure(V1_1)
                    .register_mixin(mixin("big").with_attribute(attr("com.example.Big"))),
            ),
            (
                "action parameter names are free",
                base().register_action(
                    Action::new(id(&format!("{p}go"))).with_attribute(attr("occi.like")),
                ),
            ),
        ];
        let expected: &[(&str, Option<ErrorKind>)] = &[
            ("provider kind", None),
            ("duplicate", Some(ErrorKind::DuplicateCategory)),
            ("reserved scheme", Some(ErrorKind::ReservedScheme)),
            ("no parent", Some(ErrorKind::MissingParent)),
            (
                "unknown parent",
                Some(ErrorKind::UnknownKind(
                    "http://example.com/occi#nope".into(),
                )),
            ),
            ("entity parent", Some(ErrorKind::NotSubtypable)),
            ("link parent", None),
            ("reserved attribute", Some(ErrorKind::ReservedAttributeName)),
            ("duplicate attribute", Some(ErrorKind::DuplicateAttribute)),
            (
                "unknown action",
                Some(ErrorKind::UnknownAction(
                    "http://example.com/occi#go".into(),
                )),
            ),
            (
                "bad default",
                Some(ErrorKind::InvalidDefault(
                    "expected a value of type integer".into(),
                )),
            ),
            ("template default for occi attribute", None),
            ("self dependency", Some(ErrorKind::DependencyCycle)),
            (
                "unknown dependency",
                Some(ErrorKind::UnknownMixin("http://example.com/occi#x".into())),
            ),
            (
                "unknown applies",
                Some(ErrorKind::UnknownKind("http://example.com/occi#x".into())),
            ),
            (
                "1.1 term",
                Some(ErrorKind::TermCharacter {
                    ch: 'B',
                    version: V1_1,
                }),
            ),
            (
                "1.1 attribute",
                Some(ErrorKind::AttributeNameCharacter {
                    ch: 'B',
                    version: V1_1,
                }),
            ),
            ("action parameter names are free", None),
        ];
        assert_eq!(cases.len(), expected.len());
        for ((name, result), (name2, want)) in cases.iter().zip(expected) {
            assert_eq!(name, name2);
            assert_eq!(
                result.as_ref().err().map(|e| e.kind().clone()),
                *want,
                "{name}: {result:?}"
            );
        }
        let e = base()
            .register_kind(kind("vm").with_attribute(attr("occi.vm.x")))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "the attribute prefix 'occi.' is reserved for OCCI at attribute occi.vm.x of http://example.com/occi#vm"
        );
    }

    #[test]
    fn reserved_namespace_option() {
        let k = Kind::new(id("http://schemas.ogf.org/occi/infrastructure#vm"))
            .with_parent(id(ids::RESOURCE))
            .with_attribute(attr("occi.vm.x"));
        assert!(
            Model::infrastructure(V1_2)
                .register_kind(k.clone())
                .is_err()
        );
        let mut m = Model::infrastructure(V1_2).allow_reserved_namespace(true);
        m.register_kind(k).unwrap();
        assert!(
            m.kind("http://schemas.ogf.org/occi/infrastructure#vm")
                .is_some()
        );
    }

    #[test]
    fn lookups_and_inheritance() {
        let m = Model::infrastructure(V1_2).with_crtp();
        assert!(m.category(ids::COMPUTE).is_some());
        assert!(m.mixin(ids::COMPUTE).is_none());
        assert!(m.kind(ids::OS_TPL).is_none());
        let r = CategoryRef::parse(ids::COMPUTE_STOP, V1_2).unwrap();
        assert_eq!(
            m.category_ref(r).map(|c| c.class().as_str()),
            Some("action")
        );
        let chain: Vec<&str> = m.ancestors(ids::STORAGELINK).map(|k| k.id.term()).collect();
        assert_eq!(chain, ["storagelink", "link", "entity"]);
        assert!(m.ancestors("http://nope#x").next().is_none());
        let names: Vec<&str> = m
            .kind_attributes(ids::LINK)
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "occi.core.id",
                "occi.core.title",
                "occi.core.source",
                "occi.core.target",
                "occi.core.target.kind"
            ]
        );
        assert_eq!(m.kind_actions(ids::COMPUTE).len(), 5);
        assert_eq!(
            m.len(),
            m.kinds().len() + m.mixins().len() + m.actions().len()
        );
        assert!(!m.is_empty() && Model::empty(V1_1).is_empty());
    }

    #[test]
    fn mixin_closure_and_applies() {
        let mut m = Model::infrastructure(V1_2);
        let p = "http://example.com/tpl#";
        m.register_mixin(
            Mixin::new(id(&format!("{p}ubuntu")))
                .with_depends(id(ids::OS_TPL))
                .with_applies(id(ids::COMPUTE)),
        )
        .unwrap();
        m.register_mixin(
            Mixin::new(id(&format!("{p}ubuntu_gpu"))).with_depends(id(&format!("{p}ubuntu"))),
        )
        .unwrap();
        let closure: Vec<&str> = m
            .mixin_closure([format!("{p}ubuntu_gpu")])
            .iter()
            .map(|x| x.id.term())
            .collect();
        assert_eq!(closure, ["ubuntu_gpu", "ubuntu", "os_tpl"]);
        // The dependency's `applies` restricts the dependent mixin too.
        assert!(m.mixin_applies_to(&format!("{p}ubuntu_gpu"), ids::COMPUTE));
        assert!(!m.mixin_applies_to(&format!("{p}ubuntu_gpu"), ids::NETWORK));
        assert_eq!(
            m.template_family(&format!("{p}ubuntu_gpu")),
            Some(TemplateFamily::Os)
        );
        assert_eq!(m.template_family(ids::IPNETWORK), None);
        // Removal: refused while depended upon, and for reserved mixins.
        assert!(matches!(
            m.unregister_mixin(&format!("{p}ubuntu"))
                .unwrap_err()
                .kind(),
            ErrorKind::MixinInUse(_)
        ));
        assert!(matches!(
            m.unregister_mixin(ids::OS_TPL).unwrap_err().kind(),
            ErrorKind::MixinInUse(_)
        ));
        assert!(m.unregister_mixin(&format!("{p}ubuntu_gpu")).is_ok());
        assert!(m.unregister_mixin(&format!("{p}ubuntu")).is_ok());
        assert!(m.mixin(&format!("{p}ubuntu")).is_none());
        assert!(m.category_by_parts(p, "ubuntu").is_none());
        assert!(m.kind(ids::COMPUTE).is_some() && m.action(ids::COMPUTE_SAVE).is_some());
        m.verify().unwrap();
    }

    #[test]
    fn template_replacement() {
        let p = "http://example.com/tpl#";
        for v in [V1_1, V1_2] {
            let mut m = Model::infrastructure(v).with_crtp();
            for t in ["ubuntu", "debian"] {
                m.register_mixin(Mixin::new(id(&format!("{p}{t}"))).with_depends(id(ids::OS_TPL)))
                    .unwrap();
            }
            let mut e: Entity = Resource::new(id(ids::COMPUTE)).into();
            let a = m.associate_mixin(&mut e, &format!("{p}ubuntu")).unwrap();
            assert_eq!((a.added, a.replaced.len()), (true, 0));
            assert!(
                !m.associate_mixin(&mut e, &format!("{p}ubuntu"))
                    .unwrap()
                    .added
            );
            let small = format!("{}small", ids::CRTP_SCHEME);
            m.associate_mixin(&mut e, &small).unwrap();
            let second = m.associate_mixin(&mut e, &format!("{p}debian"));
            match v {
                V1_1 => {
                    assert_eq!(
                        second.unwrap_err().kind(),
                        &ErrorKind::TemplateAlreadyAssociated("os_tpl")
                    );
                }
                _ => {
                    assert_eq!(second.unwrap().replaced, [id(&format!("{p}ubuntu"))]);
                    let terms: Vec<&str> = e.mixins().iter().map(CategoryId::term).collect();
                    assert_eq!(terms, ["small", "debian"]);
                }
            }
            let mut net: Entity = Resource::new(id(ids::NETWORK)).into();
            assert!(matches!(
                m.associate_mixin(&mut net, &small).unwrap_err().kind(),
                ErrorKind::MixinNotApplicable(_)
            ));
            assert!(m.associate_mixin(&mut net, "http://nope#x").is_err());
        }
    }

    #[test]
    fn defaults() {
        let m = Model::infrastructure(V1_2).with_crtp();
        let mut e: Entity = Resource::new(id(ids::COMPUTE))
            .with_mixin(id(&format!("{}large", ids::CRTP_SCHEME)))
            .with_attribute("occi.compute.memory".parse().unwrap(), 3.0)
            .into();
        let filled = m.apply_defaults(&mut e);
        let names: Vec<&str> = filled.iter().map(AttributeName::as_str).collect();
        assert_eq!(
            names,
            [
                "occi.compute.cores",
                "occi.compute.state",
                "occi.compute.ephemeral_storage.size"
            ]
        );
        assert_eq!(
            e.attributes().get("occi.compute.cores"),
            Some(&AttributeValue::Integer(4))
        );
        // Given values are kept.
        assert_eq!(
            e.attributes().get("occi.compute.memory"),
            Some(&AttributeValue::Number(3.0))
        );
    }

    #[test]
    fn query_interface() {
        let m = Model::infrastructure(V1_2)
            .with_crtp()
            .with_egi_extensions();
        let all = m.query_interface();
        assert_eq!(all.len(), m.len());
        assert_eq!(all.kinds.first().map(|k| k.id.as_str()), Some(ids::ENTITY));
        let some = m.query_interface_filtered(&[
            ids::COMPUTE,
            ids::SSH_KEY,
            ids::COMPUTE_STOP,
            "http://nope#x",
        ]);
        assert_eq!(
            (some.kinds.len(), some.mixins.len(), some.actions.len()),
            (1, 1, 1)
        );
        assert!(m.query_interface_filtered::<&str>(&[]).is_empty());
    }
}
