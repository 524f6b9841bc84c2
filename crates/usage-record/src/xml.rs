//! A small namespace-resolved element tree over quick-xml, with byte offsets, for the record
//! documents (one record is a few dozen elements). No DTD is processed: a document type
//! declaration is an error, and only the five predefined entities and character references are
//! expanded.

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

/// An element: namespace URI, local name, attributes, children, and where its start tag begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    pub(crate) ns: Option<String>,
    pub(crate) local: String,
    /// `(namespace URI, local name, value)`; unprefixed attributes have no namespace.
    pub(crate) attrs: Vec<(Option<String>, String, String)>,
    pub(crate) children: Vec<Node>,
    pub(crate) offset: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Element(Element),
    /// Character data with entities expanded.
    Text(String),
    /// A CDATA section (kept apart: apel's minidom text reader skips it).
    CData(String),
}

/// Why the document is not well-formed (or is over a limit), and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlError {
    pub(crate) offset: usize,
    pub(crate) message: String,
    /// The nesting limit was hit (a limit, not a syntax error).
    pub(crate) too_deep: bool,
}

impl Element {
    /// Every descendant element (document order) in namespace `ns` named `local`, like DOM
    /// `getElementsByTagNameNS`.
    pub(crate) fn descendants<'e>(
        &'e self,
        ns: &'e str,
        local: &'e str,
    ) -> impl Iterator<Item = &'e Element> + 'e {
        self.all_descendants()
            .filter(move |e| e.ns.as_deref() == Some(ns) && e.local == local)
    }

    /// Every descendant element, in document order.
    pub(crate) fn all_descendants(&self) -> impl Iterator<Item = &Element> + '_ {
        let mut stack: Vec<std::slice::Iter<'_, Node>> = vec![self.children.iter()];
        std::iter::from_fn(move || {
            while let Some(top) = stack.last_mut() {
                match top.next() {
                    Some(Node::Element(e)) => {
                        stack.push(e.children.iter());
                        return Some(e);
                    }
                    Some(_) => {}
                    None => {
                        stack.pop();
                    }
                }
            }
            None
        })
    }

    /// The first descendant element `ns:local`.
    pub(crate) fn first<'e>(&'e self, ns: &'e str, local: &'e str) -> Option<&'e Element> {
        self.descendants(ns, local).next()
    }

    /// The text of the direct text children (CDATA and child elements skipped), as apel's
    /// `getText` builds it.
    pub(crate) fn text(&self) -> String {
        let mut s = String::new();
        for c in &self.children {
            if let Node::Text(t) = c {
                s.push_str(t);
            }
        }
        s
    }

    /// The attribute `ns:local` (namespace-qualified, as apel reads attributes).
    pub(crate) fn attr(&self, ns: Option<&str>, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, l, _)| n.as_deref() == ns && l == local)
            .map(|(_, _, v)| v.as_str())
    }
}

/// Parses a document into its root element.
pub(crate) fn parse(text: &str, max_depth: usize) -> Result<Element, XmlError> {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = true;
    reader.config_mut().check_comments = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_resolved_event();
        let (resolved, event) = match event {
            Ok(e) => e,
            Err(e) => {
                return Err(XmlError {
                    offset: usize::try_from(reader.error_position()).unwrap_or(before),
                    message: e.to_string(),
                    too_deep: false,
                });
            }
        };
        let kind = match &event {
            Event::Empty(_) => Kind::Empty,
            _ => Kind::Other,
        };
        let ns = match resolved {
            ResolveResult::Bound(n) => Some(n.as_ref().to_owned()),
            ResolveResult::Unbound => None,
            ResolveResult::Unknown(p) => {
                return Err(XmlError {
                    offset: before,
                    message: format!("unbound prefix {p:?}"),
                    too_deep: false,
                });
            }
        };
        let err = |message: String| XmlError {
            offset: before,
            message,
            too_deep: false,
        };
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(kind, Kind::Empty);
                let local = e.local_name().as_ref().to_owned();
                let mut attrs = Vec::new();
                for a in e.attributes() {
                    let a = a.map_err(|x| err(x.to_string()))?;
                    if a.key.as_namespace_binding().is_some() {
                        continue;
                    }
                    let (res, name) = reader.resolver().resolve_attribute(a.key);
                    let ans = match res {
                        ResolveResult::Bound(n) => Some(n.as_ref().to_owned()),
                        ResolveResult::Unbound => None,
                        ResolveResult::Unknown(p) => {
                            return Err(err(format!("unbound prefix {p:?}")));
                        }
                    };
                    let value = a
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map_err(|x| err(x.to_string()))?;
                    attrs.push((ans, name.as_ref().to_owned(), value.into_owned()));
                }
                stack.push(Element {
                    ns,
                    local,
                    attrs,
                    children: Vec::new(),
                    offset: before,
                });
                if stack.len() > max_depth {
                    let mut e = err(format!("nesting deeper than {max_depth} levels"));
                    e.too_deep = true;
                    return Err(e);
                }
                if empty {
                    close(&mut stack, &mut root, before)?;
                }
            }
            Event::End(_) => close(&mut stack, &mut root, before)?,
            Event::Text(t) => {
                let content = t.xml10_content();
                push_text(&mut stack, &root, &content, before)?;
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|x| err(x.to_string()))? {
                    Some(c) => c.to_string(),
                    None => match r.as_ref() {
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "amp" => "&".into(),
                        "apos" => "'".into(),
                        "quot" => "\"".into(),
                        other => return Err(err(format!("undefined entity &{other};"))),
                    },
                };
                push_text(&mut stack, &root, &c, before)?;
            }
            Event::CData(c) => {
                let content = c.xml10_content().into_owned();
                match stack.last_mut() {
                    Some(top) => top.children.push(Node::CData(content)),
                    None => return Err(err("character data outside the root element".into())),
                }
            }
            Event::DocType(_) => {
                return Err(err("document type declarations are not accepted".into()));
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(XmlError {
            offset: text.len(),
            message: format!("element <{}> is not closed", open.local),
            too_deep: false,
        });
    }
    root.ok_or(XmlError {
        offset: text.len(),
        message: "no root element".into(),
        too_deep: false,
    })
}

enum Kind {
    Empty,
    Other,
}

/// Closes the innermost open element, attaching it to its parent (or making it the root).
fn close(stack: &mut Vec<Element>, root: &mut Option<Element>, at: usize) -> Result<(), XmlError> {
    let Some(done) = stack.pop() else {
        return Err(XmlError {
            offset: at,
            message: "end tag without a start tag".into(),
            too_deep: false,
        });
    };
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Element(done)),
        None => {
            if root.is_some() {
                return Err(XmlError {
                    offset: at,
                    message: "junk after document element".into(),
                    too_deep: false,
                });
            }
            *root = Some(done);
        }
    }
    Ok(())
}

/// Appends character data to the open element; outside the root only white space may stand.
fn push_text(
    stack: &mut [Element],
    _root: &Option<Element>,
    content: &str,
    at: usize,
) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(top) => {
            if let Some(Node::Text(prev)) = top.children.last_mut() {
                prev.push_str(content);
            } else {
                top.children.push(Node::Text(content.to_owned()));
            }
            Ok(())
        }
        None if content
            .chars()
            .all(|c| matches!(c, ' ' | '\t' | '\r' | '\n')) =>
        {
            Ok(())
        }
        None => Err(XmlError {
            offset: at,
            message: "character data outside the root element".into(),
            too_deep: false,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = "urn:x";

    #[test]
    fn tree_text_and_attributes() {
        let doc = r#"<?xml version="1.0"?>
<!-- c --><r:Root xmlns:r="urn:x" r:id="1" plain="p"><r:A>x &amp; y &#65;<![CDATA[skip]]><r:B/>z</r:A><r:A>second</r:A></r:Root>"#;
        let root = parse(doc, 16).unwrap();
        assert_eq!(
            (root.ns.as_deref(), root.local.as_str()),
            (Some(NS), "Root")
        );
        assert_eq!(root.attr(Some(NS), "id"), Some("1"));
        assert_eq!(root.attr(None, "plain"), Some("p"));
        assert_eq!(root.attr(Some(NS), "plain"), None);
        let a = root.first(NS, "A").unwrap();
        assert_eq!(a.text(), "x & y Az");
        assert_eq!(root.descendants(NS, "A").count(), 2);
        assert_eq!(root.descendants(NS, "B").count(), 1);
        assert_eq!(root.offset, 32);
    }

    #[test]
    fn errors() {
        let cases = [
            ("<a><b></a>", "expected `</b>`"),
            ("<a>", "not closed"),
            ("<x:a/>", "prefix"),
            ("<a/><b/>", "junk"),
            ("<!DOCTYPE a><a/>", "document type"),
            ("<a>&foo;</a>", "undefined entity"),
            ("text", "root"),
            ("", "no root"),
        ];
        for (doc, expect) in cases {
            let e = parse(doc, 16).unwrap_err();
            assert!(
                e.message.to_lowercase().contains(expect),
                "{doc}: {}",
                e.message
            );
        }
        let deep = "<a>".repeat(20) + &"</a>".repeat(20);
        assert!(parse(&deep, 20).is_ok());
        assert!(parse(&deep, 19).unwrap_err().message.contains("nesting"));
    }
}
