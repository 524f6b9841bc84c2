//! Messages as typed `occi-model` entities and back.

use crate::error::at;
use crate::message::{CategoryRendering, Composition, LinkRendering, Message};
use crate::{Error, ErrorKind};
use occi_model::fedcloud_core::Position;
use occi_model::{
    ActionInvocation, AttributeName, AttributeValue, CategoryClass, CategoryId, Entity, EntityId,
    Link, Resource,
};

// The core attributes (GFD.221 §4.5), which a message carries among its attributes and an
// entity as fields.
pub(crate) const ID: &str = "occi.core.id";
pub(crate) const TITLE: &str = "occi.core.title";
pub(crate) const SUMMARY: &str = "occi.core.summary";
pub(crate) const SOURCE: &str = "occi.core.source";
pub(crate) const TARGET: &str = "occi.core.target";
pub(crate) const TARGET_KIND: &str = "occi.core.target.kind";

fn composition(what: &'static str) -> Error {
    at(ErrorKind::Composition(what), Position::START)
}

fn ident(e: &occi_model::Error) -> Error {
    at(ErrorKind::Identifier(e.to_string()), Position::START)
}

fn category_id(s: &str) -> Result<CategoryId, Error> {
    s.parse().map_err(|e| ident(&e))
}

fn entity_id(v: Option<&AttributeValue>, what: &'static str) -> Result<EntityId, Error> {
    let s = v.ok_or_else(|| composition(what))?.to_string();
    s.parse().map_err(|e| ident(&e))
}

/// Splits the core attributes off; the rest become typed attributes.
fn rest(attrs: &[(String, AttributeValue)]) -> Result<occi_model::Attributes, Error> {
    let mut out = occi_model::Attributes::new();
    for (n, v) in attrs {
        if matches!(
            n.as_str(),
            ID | TITLE | SUMMARY | SOURCE | TARGET | TARGET_KIND
        ) {
            continue;
        }
        let name: AttributeName = n.parse().map_err(|e| ident(&e))?;
        out.insert(name, v.clone());
    }
    Ok(out)
}

fn text(attrs: &[(String, AttributeValue)], name: &str) -> Option<String> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.to_string())
}

impl Message {
    /// The message as a typed entity (a resource with its inline links, or a link).
    ///
    /// Core attributes become fields (`occi.core.id` → `id`, …); action links are dropped (an
    /// entity's actions follow from its kind, mixins and state in `occi-model`). An inline
    /// link without `occi.core.id` takes its `self` location as id, or else a new `urn:uuid:`.
    ///
    /// # Errors
    /// `Composition` when the message is not a resource or link, or lacks `occi.core.id`
    /// (or a link's source or target); `Identifier` for an identifier `occi-model` rejects.
    pub fn to_entity(&self) -> Result<Entity, Error> {
        let kind = self
            .kind()
            .ok_or_else(|| composition("an entity needs exactly one kind"))?;
        let kind = category_id(&kind.type_id())?;
        let mixins = self
            .categories
            .iter()
            .filter(|c| c.class == Some(CategoryClass::Mixin))
            .map(|c| category_id(&c.type_id()))
            .collect::<Result<Vec<_>, _>>()?;
        let id = entity_id(self.attribute(ID), "an entity needs occi.core.id")?;
        match self.composition() {
            Composition::Resource => {
                let mut r = Resource::with_id(id.clone(), kind);
                r.mixins = mixins;
                r.title = text(&self.attributes, TITLE);
                r.summary = text(&self.attributes, SUMMARY);
                r.attributes = rest(&self.attributes)?;
                for l in self.links.iter().filter(|l| !l.is_action()) {
                    r.links.push(inline_link(l, &id)?);
                }
                Ok(Entity::Resource(r))
            }
            Composition::Link => {
                let source = entity_id(self.attribute(SOURCE), "a link needs occi.core.source")?;
                let target = entity_id(self.attribute(TARGET), "a link needs occi.core.target")?;
                let mut l = Link::identified(id, kind, source, target);
                l.mixins = mixins;
                l.title = text(&self.attributes, TITLE);
                l.attributes = rest(&self.attributes)?;
                if let Some(k) = text(&self.attributes, TARGET_KIND) {
                    l.target_kind = Some(category_id(&k)?);
                }
                Ok(Entity::Link(l))
            }
            _ => Err(composition("not a resource or link")),
        }
    }

    /// The message as an action invocation.
    ///
    /// # Errors
    /// `Composition` when it is not one; `Identifier` as in [`Message::to_entity`].
    pub fn to_action_invocation(&self) -> Result<ActionInvocation, Error> {
        if self.composition() != Composition::ActionInvocation {
            return Err(composition("not an action invocation"));
        }
        let action = self
            .categories
            .first()
            .ok_or_else(|| composition("not an action invocation"))?;
        let mut a = ActionInvocation::new(category_id(&action.type_id())?);
        a.attributes = rest(&self.attributes)?;
        Ok(a)
    }

    /// A message carrying `entity` (inline links for a resource's links).
    #[must_use]
    pub fn from_entity(entity: &Entity) -> Self {
        let mut m = Message::new();
        let push_cats = |m: &mut Message, kind: &CategoryId, mixins: &[CategoryId]| {
            m.categories.push(CategoryRendering::new(
                kind.term(),
                kind.scheme(),
                CategoryClass::Kind,
            ));
            for x in mixins {
                m.categories.push(CategoryRendering::new(
                    x.term(),
                    x.scheme(),
                    CategoryClass::Mixin,
                ));
            }
        };
        match entity {
            Entity::Resource(r) => {
                push_cats(&mut m, &r.kind, &r.mixins);
                m.attributes = core_attrs(&r.id, r.title.as_ref(), r.summary.as_ref());
                m.attributes.extend(typed(&r.attributes));
                for l in &r.links {
                    let mut lr = LinkRendering {
                        target: l.target.to_string(),
                        categories: std::iter::once(l.kind.to_string())
                            .chain(l.mixins.iter().map(ToString::to_string))
                            .collect(),
                        ..LinkRendering::default()
                    };
                    if let Some(k) = &l.target_kind {
                        lr.rel.push(k.to_string());
                    }
                    lr.attributes = link_attrs(l);
                    m.links.push(lr);
                }
            }
            Entity::Link(l) => {
                push_cats(&mut m, &l.kind, &l.mixins);
                m.attributes = link_attrs(l);
                if let Some(k) = &l.target_kind {
                    m.attributes
                        .push((TARGET_KIND.into(), AttributeValue::String(k.to_string())));
                }
            }
            _ => {}
        }
        m
    }
}

fn core_attrs(
    id: &EntityId,
    title: Option<&String>,
    summary: Option<&String>,
) -> Vec<(String, AttributeValue)> {
    let mut v = vec![(ID.to_owned(), AttributeValue::String(id.to_string()))];
    if let Some(t) = title {
        v.push((TITLE.to_owned(), AttributeValue::String(t.clone())));
    }
    if let Some(s) = summary {
        v.push((SUMMARY.to_owned(), AttributeValue::String(s.clone())));
    }
    v
}

fn typed(a: &occi_model::Attributes) -> impl Iterator<Item = (String, AttributeValue)> + '_ {
    a.iter().map(|(n, v)| (n.to_string(), v.clone()))
}

fn link_attrs(l: &Link) -> Vec<(String, AttributeValue)> {
    let mut v = core_attrs(&l.id, l.title.as_ref(), None);
    v.push((SOURCE.into(), AttributeValue::String(l.source.to_string())));
    v.push((TARGET.into(), AttributeValue::String(l.target.to_string())));
    v.extend(typed(&l.attributes));
    v
}

fn inline_link(l: &LinkRendering, owner: &EntityId) -> Result<Link, Error> {
    let mut cats = l.categories.iter();
    let kind = category_id(
        cats.next()
            .ok_or_else(|| composition("an inline link needs a category"))?,
    )?;
    let mixins = cats
        .map(|c| category_id(c))
        .collect::<Result<Vec<_>, _>>()?;
    let source = match text(&l.attributes, SOURCE) {
        Some(s) => s.parse().map_err(|e| ident(&e))?,
        None => owner.clone(),
    };
    let target = match text(&l.attributes, TARGET) {
        Some(s) => s.parse().map_err(|e| ident(&e))?,
        None => l.target.parse().map_err(|e| ident(&e))?,
    };
    let id = match text(&l.attributes, ID).or_else(|| l.self_location.clone()) {
        Some(id) => id.parse().map_err(|e| ident(&e))?,
        None => EntityId::new_uuid(),
    };
    let mut link = Link::identified(id, kind, source, target);
    link.mixins = mixins;
    link.title = text(&l.attributes, TITLE);
    link.attributes = rest(&l.attributes)?;
    if let Some(k) = l.rel.first() {
        link.target_kind = Some(category_id(k)?);
    }
    Ok(link)
}
