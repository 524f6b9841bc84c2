//! An in-memory [`Backend`]: the reference implementation of the trait, used by the tests
//! and the examples, and a starting point for real middleware.

use super::{Backend, HttpError, Put};
use crate::message::{CategoryRendering, Message};
use ::http::{HeaderValue, StatusCode};
use occi_model::{AttributeValue, CategoryClass, CategoryId, Mixin, Model};
use std::collections::{BTreeMap, BTreeSet};

/// Entities kept in a map from location to [`Message`], over a [`Model`] to which user mixins
/// are added. Locations of created entities are the kind's location followed by a counter
/// (or the request's `occi.core.id`, percent-encoded into one path segment).
#[derive(Debug, Clone)]
pub struct MemoryBackend {
    model: Model,
    entities: BTreeMap<String, Message>,
    /// The mixins added through the query interface: the only ones a client may remove.
    user_mixins: BTreeSet<String>,
    next: u64,
    max_page_size: usize,
}

fn bad(message: impl Into<String>) -> HttpError {
    HttpError::new(StatusCode::BAD_REQUEST, message)
}

impl MemoryBackend {
    /// An empty store over `model`.
    #[must_use]
    pub fn new(model: Model) -> Self {
        Self {
            model,
            entities: BTreeMap::new(),
            user_mixins: BTreeSet::new(),
            next: 1,
            max_page_size: 1000,
        }
    }

    /// This store with another page-size limit.
    #[must_use]
    pub const fn with_max_page_size(mut self, n: usize) -> Self {
        self.max_page_size = n;
        self
    }

    /// The stored entities, by location.
    #[must_use]
    pub const fn entities(&self) -> &BTreeMap<String, Message> {
        &self.entities
    }

    fn in_collection(&self, m: &Message, category: &str) -> bool {
        m.categories.iter().any(|c| {
            let id = c.type_id();
            id == category
                || (c.class == Some(CategoryClass::Kind) && self.model.is_kind_of(&id, category))
        })
    }

    /// The location of a new user mixin: an absolute URL becomes its path (GFD.185's example
    /// has `http://example.com/my_stuff/`, but requests are routed by path); it must be a
    /// path ending in `/` (a collection, GFD.223 §4) and must not be the location of another
    /// kind or mixin, the query interface or an entity (409: it would shadow or be shadowed).
    fn user_mixin_location(
        &self,
        model: &Model,
        location: Option<&str>,
    ) -> Result<String, HttpError> {
        let given = location.ok_or_else(|| bad("a user mixin needs a location"))?;
        let path = super::location_path(given)
            .ok_or_else(|| bad(format!("mixin location {given:?} is not a URL path")))?;
        if !path.ends_with('/') {
            return Err(bad(format!(
                "mixin location {given:?} must end in '/', as a collection does"
            )));
        }
        let taken = path == super::QUERY_INTERFACE
            || path == super::WELL_KNOWN_QUERY_INTERFACE
            || self.entities.contains_key(path)
            || model.kinds().any(|k| k.location.as_deref() == Some(path))
            || model.mixins().any(|m| m.location.as_deref() == Some(path));
        if taken {
            return Err(HttpError::new(
                StatusCode::CONFLICT,
                format!("{path} is already in use"),
            ));
        }
        Ok(path.to_owned())
    }

    /// Whether entity `m` offers `action`: its kind (or an ancestor) or one of its mixins
    /// (or a mixin these depend on) defines it.
    fn offers(&self, m: &Message, action: &str) -> bool {
        m.categories
            .iter()
            .any(|c| self.category_offers(&c.type_id(), action))
    }

    /// Whether kind or mixin `category` defines `action` (kinds: inherited ones included;
    /// mixins: with their dependencies).
    fn category_offers(&self, category: &str, action: &str) -> bool {
        self.model
            .kind_actions(category)
            .iter()
            .any(|a| a.as_str() == action)
            || self
                .model
                .mixin_closure([category])
                .iter()
                .any(|m| m.actions.iter().any(|a| a.as_str() == action))
    }

    fn matches(m: &Message, filter: &Message) -> bool {
        let cats_ok = filter.categories.iter().all(|f| {
            let id = f.type_id();
            m.categories.iter().any(|c| c.type_id() == id)
        });
        let attrs_ok = filter.attributes.iter().all(|(n, v)| {
            m.attribute(n)
                .is_some_and(|x| x == v || x.to_string() == v.to_string())
        });
        cats_ok && attrs_ok
    }
}

/// `occi.core.id` as one path segment (RFC 3986 §3.3): RFC 3986 unreserved characters, `:`
/// and `@` as they are, every other byte percent-encoded, so that no id can add a segment,
/// a query or a fragment, or a `,` that would split a comma-joined `X-OCCI-Location` field.
/// The empty id and the dot segments are refused.
fn path_segment(id: &str) -> Result<String, HttpError> {
    if matches!(id, "" | "." | "..") {
        return Err(bad(format!("occi.core.id {id:?} cannot name a location")));
    }
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':' | b'@') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(out)
}

/// The kind of a full entity instance rendering, which creating and replacing need (GFD.223
/// §10.2, §11.3.1): exactly one kind category, and no locations or entity collection.
fn entity_kind(entity: &Message) -> Result<&CategoryRendering, HttpError> {
    let kinds = entity
        .categories
        .iter()
        .filter(|c| c.class == Some(CategoryClass::Kind))
        .count();
    match entity.kind() {
        Some(k) if entity.locations.is_empty() && entity.entities.is_empty() => Ok(k),
        _ => Err(bad(format!(
            "an entity instance rendering with exactly one kind is needed (got {kinds} kinds{})",
            if entity.locations.is_empty() && entity.entities.is_empty() {
                ""
            } else {
                " and a collection"
            }
        ))),
    }
}

fn id_of(s: &str) -> Result<CategoryId, HttpError> {
    s.parse().map_err(|e: occi_model::Error| bad(e.to_string()))
}

impl Backend for MemoryBackend {
    fn model(&self) -> &Model {
        &self.model
    }

    fn max_page_size(&self) -> usize {
        self.max_page_size
    }

    fn add_mixins(&mut self, mixins: Vec<CategoryRendering>) -> Result<(), HttpError> {
        // All or nothing: registered on a copy of the registry, kept when every mixin is in.
        let mut model = self.model.clone();
        let mut added = Vec::with_capacity(mixins.len());
        for c in mixins {
            let id = id_of(&c.type_id())?;
            if model.category(id.as_str()).is_some() {
                return Err(HttpError::new(StatusCode::CONFLICT, format!("{id} exists")));
            }
            let location = self.user_mixin_location(&model, c.location.as_deref())?;
            let key = id.to_string();
            let mut m = Mixin::new(id).with_location(location);
            if let Some(t) = c.title {
                m = m.with_title(t);
            }
            for d in &c.rel {
                m = m.with_depends(id_of(d)?);
            }
            for a in &c.applies {
                m = m.with_applies(id_of(a)?);
            }
            model.register_mixin(m).map_err(|e| bad(e.to_string()))?;
            added.push(key);
        }
        self.model = model;
        self.user_mixins.extend(added);
        Ok(())
    }

    fn remove_mixins(&mut self, mixins: &[String]) -> Result<(), HttpError> {
        // All or nothing: the registry is changed on a copy and kept only when every mixin
        // could be removed.
        let mut model = self.model.clone();
        for id in mixins {
            if model.mixin(id).is_none() {
                return Err(HttpError::not_found(id));
            }
            if !self.user_mixins.contains(id) {
                // GFD.185 §3.4.1: removing a provider-defined mixin MUST answer 403.
                return Err(HttpError::new(
                    StatusCode::FORBIDDEN,
                    format!("{id} is defined by the provider"),
                ));
            }
            model
                .unregister_mixin(id)
                .map_err(|e| HttpError::new(StatusCode::CONFLICT, e.to_string()))?;
        }
        self.model = model;
        for id in mixins {
            self.user_mixins.remove(id);
            for m in self.entities.values_mut() {
                m.categories.retain(|c| c.type_id() != *id);
            }
        }
        Ok(())
    }

    fn get(&self, path: &str) -> Result<Message, HttpError> {
        self.entities
            .get(path)
            .cloned()
            .ok_or_else(|| HttpError::not_found(path))
    }

    fn put(&mut self, path: &str, entity: Message) -> Result<Put, HttpError> {
        entity_kind(&entity)?;
        match self.entities.get_mut(path) {
            Some(existing) => {
                // GFD.223 §3.4.2: links are kept when a resource is replaced.
                let links = std::mem::take(&mut existing.links);
                *existing = entity;
                if existing.links.is_empty() {
                    existing.links = links;
                }
                Ok(Put::Replaced(existing.clone()))
            }
            None => {
                self.entities.insert(path.to_owned(), entity);
                Ok(Put::Created(path.to_owned()))
            }
        }
    }

    fn update(&mut self, path: &str, partial: Message) -> Result<Message, HttpError> {
        let m = self
            .entities
            .get_mut(path)
            .ok_or_else(|| HttpError::not_found(path))?;
        for c in partial.categories {
            if c.class == Some(CategoryClass::Kind) {
                if m.kind().map(CategoryRendering::type_id) != Some(c.type_id()) {
                    return Err(bad("the kind of an entity cannot change"));
                }
            } else if !m.categories.iter().any(|x| x.type_id() == c.type_id()) {
                m.categories.push(c);
            }
        }
        for (n, v) in partial.attributes {
            match m.attributes.iter_mut().find(|(x, _)| *x == n) {
                Some(slot) => slot.1 = v,
                None => m.attributes.push((n, v)),
            }
        }
        Ok(m.clone())
    }

    fn delete(&mut self, path: &str) -> Result<(), HttpError> {
        self.entities
            .remove(path)
            .map(|_| ())
            .ok_or_else(|| HttpError::not_found(path))
    }

    fn trigger(&mut self, path: &str, invocation: Message) -> Result<(), HttpError> {
        let action = invocation
            .categories
            .first()
            .map(CategoryRendering::type_id)
            .unwrap_or_default();
        if self.model.action(&action).is_none() {
            return Err(bad(format!("unknown action {action}")));
        }
        // GFD.185 §3.4.4: an action that is not available is a Bad Request. An entity has
        // the actions of its kind (inherited ones included) and of its mixins.
        let unavailable = |on: &str| bad(format!("action {action} is not available on {on}"));
        if let Some(m) = self.entities.get(path) {
            return if self.offers(m, &action) {
                Ok(())
            } else {
                Err(unavailable(path))
            };
        }
        let category = self
            .model
            .kinds()
            .filter_map(|k| Some((k.location.as_deref()?, k.id.to_string())))
            .chain(
                self.model
                    .mixins()
                    .filter_map(|m| Some((m.location.as_deref()?, m.id.to_string()))),
            )
            .find(|(l, _)| *l == path)
            .map(|(_, id)| id)
            .ok_or_else(|| HttpError::not_found(path))?;
        // On a collection the action must be available on every member; on an empty one, it
        // must be the collection's kind's or mixin's own.
        let members = self.list(&category, &Message::new())?;
        let available = if members.is_empty() {
            self.category_offers(&category, &action)
        } else {
            members
                .iter()
                .filter_map(|l| self.entities.get(l))
                .all(|m| self.offers(m, &action))
        };
        if available {
            Ok(())
        } else {
            Err(unavailable(path))
        }
    }

    fn list(&self, category: &str, filter: &Message) -> Result<Vec<String>, HttpError> {
        Ok(self
            .entities
            .iter()
            .filter(|(_, m)| self.in_collection(m, category) && Self::matches(m, filter))
            .map(|(l, _)| l.clone())
            .collect())
    }

    fn create(&mut self, category: &str, mut entity: Message) -> Result<String, HttpError> {
        let kind = self.model.kind(category).ok_or_else(|| {
            HttpError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "create only in a kind's collection",
            )
        })?;
        if entity_kind(&entity)?.type_id() != category {
            return Err(bad("the entity's kind is not the collection's"));
        }
        let base = kind.location.clone().unwrap_or_else(|| "/".to_owned());
        let id = match entity.attribute("occi.core.id") {
            Some(v) => v.to_string(),
            None => {
                let id = self.next.to_string();
                self.next += 1;
                entity.attributes.insert(
                    0,
                    ("occi.core.id".into(), AttributeValue::String(id.clone())),
                );
                id
            }
        };
        let location = format!("{base}{}", path_segment(&id)?);
        // Everything that can fail is checked before the entity is stored, so that no error
        // leaves a partial change behind (GFD.185 §3.6.8: roll back on failure).
        if HeaderValue::from_str(&location).is_err() {
            return Err(bad(format!("{location:?} cannot be a Location")));
        }
        if self.entities.contains_key(&location) {
            return Err(HttpError::new(
                StatusCode::CONFLICT,
                format!("{location} exists"),
            ));
        }
        self.entities.insert(location.clone(), entity);
        Ok(location)
    }

    fn associate(
        &mut self,
        category: &str,
        locations: &[String],
        replace: bool,
    ) -> Result<(), HttpError> {
        let mixin = self
            .model
            .mixin(category)
            .ok_or_else(|| HttpError::not_found(category))?;
        let reference =
            CategoryRendering::new(mixin.id.term(), mixin.id.scheme(), CategoryClass::Mixin);
        for l in locations {
            if !self.entities.contains_key(l) {
                return Err(HttpError::not_found(l));
            }
        }
        for (l, m) in &mut self.entities {
            let member = locations.contains(l);
            let has = m.categories.iter().any(|c| c.type_id() == category);
            if member && !has {
                m.categories.push(reference.clone());
            } else if replace && !member && has {
                m.categories.retain(|c| c.type_id() != category);
            }
        }
        Ok(())
    }

    fn remove_from_collection(
        &mut self,
        category: &str,
        locations: &[String],
    ) -> Result<(), HttpError> {
        if self.model.mixin(category).is_some() {
            for l in locations {
                let m = self
                    .entities
                    .get_mut(l)
                    .ok_or_else(|| HttpError::not_found(l))?;
                m.categories.retain(|c| c.type_id() != category);
            }
            return Ok(());
        }
        let members = self.list(category, &Message::new())?;
        for l in members {
            if locations.is_empty() || locations.contains(&l) {
                self.entities.remove(&l);
            }
        }
        Ok(())
    }
}
