//! The capabilities tree a server publishes under `/cdmi_capabilities/` (1.1.1 clause 12,
//! 2.0.0 "Capability objects"), and a builder that checks each capability against the
//! registry.
//!
//! The tree has the system-wide capabilities at its root and one child per object type
//! (`container/`, `dataobject/`, `domain/`, `queue/`); below those, servers publish classes of
//! service (`container/permanent/`, QoS classes in INDIGO-DataCloud's style), which objects
//! name in their `capabilitiesURI`.
//!
//! ```
//! use cdmi::capabilities::Capabilities;
//! let caps = Capabilities::new()
//!     .with("", "cdmi_object_access_by_ID", "true")?
//!     .with("container/", "cdmi_list_children", "true")?
//!     .with_class("container/", "gold")?
//!     .with("container/gold/", "cdmi_data_redundancy", "3")?;
//! assert_eq!(caps.children(""), ["container/", "dataobject/", "domain/", "queue/"]);
//! assert_eq!(caps.children("container/"), ["gold/"]);
//! // A name the registry has, but not for this object: refused.
//! assert!(caps.clone().with("dataobject/", "cdmi_list_children", "true").is_err());
//! // A value of the wrong type: refused.
//! assert!(caps.with("container/", "cdmi_list_children", "yes").is_err());
//! # Ok::<(), cdmi::Error>(())
//! ```

use crate::metadata::{self, Kind, Objects};
use crate::object::{Body, CapabilityFields, Members, Object};
use crate::query::Range;
use crate::{Error, ErrorKind, ObjectType};
use fedcloud_core::Position;
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// The path of the capabilities tree below a root.
pub const CAPABILITIES_SEGMENT: &str = "cdmi_capabilities";

/// A capabilities tree: node paths (`""` for the system-wide node, `"container/"`,
/// `"container/gold/"`, …) to their capabilities.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Capabilities {
    nodes: BTreeMap<String, Members>,
}

/// The node of an object type's capabilities (`container/`, …).
#[must_use]
pub const fn node_of(t: ObjectType) -> &'static str {
    match t {
        ObjectType::Container => "container/",
        ObjectType::DataObject => "dataobject/",
        ObjectType::Domain => "domain/",
        ObjectType::Queue => "queue/",
        ObjectType::Capability => "",
    }
}

impl Capabilities {
    /// A tree with the system-wide node and the four object-type nodes, all empty.
    #[must_use]
    pub fn new() -> Self {
        let mut nodes = BTreeMap::new();
        for n in ["", "container/", "dataobject/", "domain/", "queue/"] {
            nodes.insert(n.to_owned(), Members::default());
        }
        Self { nodes }
    }

    /// The capability objects a node's capabilities apply to.
    fn objects_of(node: &str) -> Objects {
        match node.split('/').next().unwrap_or_default() {
            "" => Objects::SYSTEM,
            "container" => Objects::CONTAINER,
            "dataobject" => Objects::DATA_OBJECT,
            "domain" => Objects::DOMAIN,
            "queue" => Objects::QUEUE,
            _ => Objects::NONE,
        }
    }

    /// This tree with capability `name` set to `value` on `node`. A `cdmi_` name must be a
    /// capability of the registry for the node's object type, with a value of its type
    /// (JSON strings: `"true"`, `"4096"`); other names are vendor capabilities and pass.
    ///
    /// # Errors
    /// `Capability` for an unknown node, a name the registry does not have for the node, or
    /// a value of the wrong type.
    pub fn with(mut self, node: &str, name: &str, value: impl Into<Json>) -> Result<Self, Error> {
        let value = value.into();
        let objects = Self::objects_of(node);
        let fail = |why: String| Error::new(ErrorKind::Capability(why), Position::START);
        if !self.nodes.contains_key(node) {
            return Err(fail(format!("no node {node:?}")));
        }
        if metadata::is_reserved(name) {
            let Some(e) = metadata::entry(name, Kind::Capability) else {
                return Err(fail(format!("{name} is no capability")));
            };
            if !e.objects.contains(objects) {
                return Err(fail(format!("{name} is no capability of {node:?}")));
            }
            if let Some(p) = metadata::check_value(e.value, &value) {
                return Err(fail(format!("{name}: {p}")));
            }
        }
        if let Some(m) = self.nodes.get_mut(node) {
            m.insert(name, value);
        }
        Ok(self)
    }

    /// This tree with a child class `name` below `parent` (`"container/"` → `"container/gold/"`),
    /// inheriting nothing: its capabilities are set with [`Capabilities::with`].
    ///
    /// # Errors
    /// `Capability` for an unknown parent, the system node as parent, or a name with `/`,
    /// `?` or nothing in it.
    pub fn with_class(mut self, parent: &str, name: &str) -> Result<Self, Error> {
        let fail = |why: String| Error::new(ErrorKind::Capability(why), Position::START);
        if parent.is_empty() || !self.nodes.contains_key(parent) {
            return Err(fail(format!("no class parent {parent:?}")));
        }
        if name.is_empty() || name.contains(['/', '?']) {
            return Err(fail(format!("{name:?} is no class name")));
        }
        self.nodes.entry(format!("{parent}{name}/")).or_default();
        Ok(self)
    }

    /// The capabilities of `node`.
    #[must_use]
    pub fn get(&self, node: &str) -> Option<&Members> {
        self.nodes.get(node)
    }

    /// Whether `name` is set to `"true"` on `node`.
    #[must_use]
    pub fn has(&self, node: &str, name: &str) -> bool {
        self.get(node).and_then(|m| m.get_str(name)) == Some("true")
    }

    /// The direct children of `node`, in order, each ending in `/`.
    #[must_use]
    pub fn children(&self, node: &str) -> Vec<String> {
        self.nodes
            .keys()
            .filter_map(|k| {
                let rest = k.strip_prefix(node)?;
                let name = rest.strip_suffix('/')?;
                (!name.is_empty() && !name.contains('/')).then(|| rest.to_owned())
            })
            .collect()
    }

    /// The capability object of `node`, its URIs below `root` (`/cdmi_capabilities/…`).
    #[must_use]
    pub fn object(&self, node: &str, root: &str) -> Option<Object> {
        let caps = self.nodes.get(node)?;
        let mut o = Object::new(ObjectType::Capability);
        o.declares_type = true;
        let base = format!("{root}{CAPABILITIES_SEGMENT}/");
        let trimmed = node.strip_suffix('/').unwrap_or(node);
        match trimmed.rsplit_once('/') {
            _ if node.is_empty() => {
                o.object_name = Some(format!("{CAPABILITIES_SEGMENT}/"));
                o.parent_uri = Some(root.to_owned());
            }
            Some((parent, name)) => {
                o.object_name = Some(format!("{name}/"));
                o.parent_uri = Some(format!("{base}{parent}/"));
            }
            None => {
                o.object_name = Some(node.to_owned());
                o.parent_uri = Some(base.clone());
            }
        }
        let children = self.children(node);
        let count = children.len() as u64;
        o.body = Body::Capability(CapabilityFields {
            capabilities: Some(caps.clone()),
            childrenrange: (count > 0).then(|| Range {
                first: 0,
                last: count - 1,
            }),
            children: Some(children),
        });
        Some(o)
    }

    /// The URI of the capabilities of objects of type `t` below `root`
    /// (`/cdmi_capabilities/dataobject/`), an object's `capabilitiesURI`.
    #[must_use]
    pub fn uri_of(t: ObjectType, root: &str) -> String {
        format!("{root}{CAPABILITIES_SEGMENT}/{}", node_of(t))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::object::Mode;

    #[test]
    fn capability_objects_render_and_read_back() {
        let caps = Capabilities::new()
            .with("", "cdmi_domains", "true")
            .unwrap()
            .with("dataobject/", "cdmi_read_value", "true")
            .unwrap()
            .with("dataobject/", "x-vendor-speed", "fast")
            .unwrap()
            .with_class("dataobject/", "gold")
            .unwrap();
        let root = caps.object("", "/").unwrap();
        let json = root.to_json();
        let back = Object::parse(&json, ObjectType::Capability, Mode::Strict)
            .unwrap()
            .object;
        assert_eq!(back, root);
        assert_eq!(root.object_name.as_deref(), Some("cdmi_capabilities/"));
        assert_eq!(root.parent_uri.as_deref(), Some("/"));
        let Body::Capability(c) = &root.body else {
            panic!()
        };
        assert_eq!(c.children.as_ref().unwrap().len(), 4);
        assert_eq!(c.childrenrange, Some(Range { first: 0, last: 3 }));
        let d = caps.object("dataobject/", "/cdmi/2.0.0/").unwrap();
        assert_eq!(d.object_name.as_deref(), Some("dataobject/"));
        assert_eq!(
            d.parent_uri.as_deref(),
            Some("/cdmi/2.0.0/cdmi_capabilities/")
        );
        let g = caps.object("dataobject/gold/", "/").unwrap();
        assert_eq!(g.object_name.as_deref(), Some("gold/"));
        assert_eq!(
            g.parent_uri.as_deref(),
            Some("/cdmi_capabilities/dataobject/")
        );
        assert!(caps.has("dataobject/", "cdmi_read_value"));
        assert!(!caps.has("dataobject/", "cdmi_modify_value"));
        assert!(caps.object("nope/", "/").is_none());
        assert_eq!(
            Capabilities::uri_of(ObjectType::Queue, "/"),
            "/cdmi_capabilities/queue/"
        );
    }

    #[test]
    fn the_builder_refuses_what_the_registry_does_not_allow() {
        let c = Capabilities::new();
        for (node, name, value) in [
            ("nope/", "cdmi_read_value", "true"),
            ("", "cdmi_read_value", "true"),
            ("container/", "cdmi_nonesuch", "true"),
            ("container/", "cdmi_list_children", "maybe"),
        ] {
            let e = c.clone().with(node, name, value).unwrap_err();
            assert!(
                matches!(e.kind(), ErrorKind::Capability(_)),
                "{node} {name}"
            );
        }
        assert!(c.clone().with_class("", "x").is_err());
        assert!(c.clone().with_class("container/", "a/b").is_err());
        assert!(c.clone().with_class("container/", "").is_err());
        assert!(c.with_class("nope/", "x").is_err());
    }
}
