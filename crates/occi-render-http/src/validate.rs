//! The entities a parser reads, validated against the model registry (GFD.221 §4 through
//! [`occi_model::Model::validate`]): strict modes refuse what the model forbids, lenient
//! mode reads it and reports each finding, both with the position of what it is about.
//!
//! A rendering may be a client's request or a server's answer, so entities are validated
//! as [`Operation::Any`]: the kind, the mixins and every attribute's definition and value,
//! not required or immutable attributes (which only the operation decides). Action
//! invocations are validated on their own ([`occi_model::Model::validate_invocation`]).

use crate::entity::{ID, SOURCE, SUMMARY, TARGET, TARGET_KIND, TITLE};
use crate::error::at;
use crate::message::LinkRendering;
use crate::message::{Composition, Message};
use crate::typing::Positions;
use crate::{Error, ErrorKind, Mode};
use occi_model::fedcloud_core::Position;
use occi_model::{
    AttributeValue, EntityView, Finding, Model, Operation, UnknownCategories, ValidationOptions,
};
use std::borrow::Cow;
use std::fmt;

/// A finding of the model's validation of a parsed entity or action invocation, with the
/// position in the input of what it is about (the attribute, else the category, else the
/// entity or link).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Violation {
    /// What the model says (code, severity, path, category, attribute, message).
    pub finding: Finding,
    /// Where.
    pub position: Position,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.finding, self.position)
    }
}

/// Validates `msg` (an entity or an action invocation; anything else has nothing to
/// validate) against `model`. Strict modes: the error findings are an
/// [`ErrorKind::Invalid`] at the position of the first; the other findings go to `out`.
/// Lenient mode: every finding goes to `out`.
///
/// The entity is validated as the message holds it ([`MessageView`]), without building an
/// [`occi_model::Entity`]; an invocation that cannot be built (an identifier `occi-model`
/// refuses, which only lenient mode lets through, with its warning) is not validated.
pub(crate) fn validate_message(
    model: &Model,
    mode: Mode,
    unknown: UnknownCategories,
    msg: &Message,
    pos: &Positions,
    out: &mut Vec<Violation>,
) -> Result<(), Error> {
    let options = ValidationOptions::default().with_unknown_categories(unknown);
    let (report, links) = match msg.composition() {
        c @ (Composition::Resource | Composition::Link) => {
            let view = MessageView::new(msg, c == Composition::Link);
            let report = model.validate_view(&view, Operation::Any, &options);
            (report, view.links.iter().map(|l| l.index).collect())
        }
        Composition::ActionInvocation => {
            let Ok(invocation) = msg.to_action_invocation() else {
                return Ok(());
            };
            (model.validate_invocation(&invocation, &options), Vec::new())
        }
        _ => return Ok(()),
    };
    let mut errors = Vec::new();
    for finding in report.findings {
        let position = position_of(&finding, msg, pos, &links);
        let v = Violation { finding, position };
        if v.finding.is_error() && !mode.is_lenient() {
            errors.push(v);
        } else {
            out.push(v);
        }
    }
    match errors.first().map(|first| first.position) {
        Some(position) => Err(at(ErrorKind::Invalid(errors), position)),
        None => Ok(()),
    }
}

/// The core attributes of a resource and of a link (GFD.221 §4.5), which a message carries
/// among its attributes and an entity as fields.
fn core_names(link: bool) -> &'static [&'static str] {
    if link {
        &[ID, TITLE, SOURCE, TARGET, TARGET_KIND]
    } else {
        &[ID, TITLE, SUMMARY]
    }
}

fn value<'a>(attributes: &'a [(String, AttributeValue)], name: &str) -> Option<&'a AttributeValue> {
    attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

/// A message that is a resource or a link, as the model's validation reads it.
struct MessageView<'a> {
    msg: &'a Message,
    link: bool,
    /// The kind's type identifier, then the mixins'.
    categories: Vec<String>,
    /// The inline links validation looks at: not action links, and with a category.
    links: Vec<InlineView<'a>>,
}

impl<'a> MessageView<'a> {
    fn new(msg: &'a Message, link: bool) -> Self {
        let kind = msg.kind().map(crate::CategoryRendering::type_id);
        let mixins = msg
            .categories
            .iter()
            .filter(|c| c.class == Some(occi_model::CategoryClass::Mixin))
            .map(crate::CategoryRendering::type_id);
        let owner = value(&msg.attributes, ID).and_then(AttributeValue::as_str);
        let links = if link {
            Vec::new()
        } else {
            msg.links
                .iter()
                .enumerate()
                .filter(|(_, l)| !l.is_action() && !l.categories.is_empty())
                .map(|(index, l)| InlineView { l, index, owner })
                .collect()
        };
        Self {
            msg,
            link,
            categories: kind.into_iter().chain(mixins).collect(),
            links,
        }
    }
}

impl EntityView for MessageView<'_> {
    fn id(&self) -> Option<&str> {
        value(&self.msg.attributes, ID).and_then(AttributeValue::as_str)
    }

    fn kind(&self) -> &str {
        self.categories.first().map_or("", String::as_str)
    }

    fn mixins(&self) -> impl Iterator<Item = &str> {
        self.categories.iter().skip(1).map(String::as_str)
    }

    fn attributes(&self) -> impl Iterator<Item = (&str, &AttributeValue)> {
        let core = core_names(self.link);
        self.msg
            .attributes
            .iter()
            .filter(move |(n, _)| !core.contains(&n.as_str()))
            .map(|(n, v)| (n.as_str(), v))
    }

    fn core(&self, name: &str) -> Option<Option<Cow<'_, AttributeValue>>> {
        core_names(self.link)
            .contains(&name)
            .then(|| value(&self.msg.attributes, name).map(Cow::Borrowed))
    }

    fn is_link(&self) -> bool {
        self.link
    }

    fn target_kind(&self) -> Option<&str> {
        if !self.link {
            return None;
        }
        value(&self.msg.attributes, TARGET_KIND).and_then(AttributeValue::as_str)
    }

    fn links(&self) -> impl Iterator<Item = impl EntityView + '_> {
        self.links.iter()
    }
}

/// An inline link of a resource message (GFD.229 §4.4): its categories are type
/// identifiers, its target the `<…>`, its source the resource, its id the `self` location
/// where it has no `occi.core.id` (as `Message::to_entity` has it).
struct InlineView<'a> {
    l: &'a LinkRendering,
    /// Where it is in `Message::links`.
    index: usize,
    /// The resource's `occi.core.id`.
    owner: Option<&'a str>,
}

fn owned(s: &str) -> Cow<'static, AttributeValue> {
    Cow::Owned(AttributeValue::String(s.to_owned()))
}

impl EntityView for &InlineView<'_> {
    fn id(&self) -> Option<&str> {
        value(&self.l.attributes, ID)
            .and_then(AttributeValue::as_str)
            .or(self.l.self_location.as_deref())
    }

    fn kind(&self) -> &str {
        self.l.categories.first().map_or("", String::as_str)
    }

    fn mixins(&self) -> impl Iterator<Item = &str> {
        self.l.categories.iter().skip(1).map(String::as_str)
    }

    fn attributes(&self) -> impl Iterator<Item = (&str, &AttributeValue)> {
        let core = core_names(true);
        self.l
            .attributes
            .iter()
            .filter(move |(n, _)| !core.contains(&n.as_str()))
            .map(|(n, v)| (n.as_str(), v))
    }

    fn core(&self, name: &str) -> Option<Option<Cow<'_, AttributeValue>>> {
        let given = value(&self.l.attributes, name).map(Cow::Borrowed);
        Some(match name {
            ID => given.or_else(|| self.l.self_location.as_deref().map(owned)),
            TITLE => given,
            SOURCE => given.or_else(|| self.owner.map(owned)),
            TARGET => given.or_else(|| Some(owned(&self.l.target))),
            TARGET_KIND => given.or_else(|| self.l.rel.first().map(|k| owned(k))),
            _ => return None,
        })
    }

    fn is_link(&self) -> bool {
        true
    }

    fn target_kind(&self) -> Option<&str> {
        value(&self.l.attributes, TARGET_KIND)
            .and_then(AttributeValue::as_str)
            .or(self.l.rel.first().map(String::as_str))
    }

    fn links(&self) -> impl Iterator<Item = impl EntityView + '_> {
        std::iter::empty::<&InlineView<'_>>()
    }
}

/// Where `finding` points in the input: its attribute, else its category (of the entity),
/// else the entity or the link its path names.
fn position_of(finding: &Finding, msg: &Message, pos: &Positions, links: &[usize]) -> Position {
    let link = finding
        .path
        .strip_prefix("/links/")
        .and_then(|n| n.parse::<usize>().ok())
        .and_then(|n| links.get(n).copied());
    let (attributes, attribute_at, start) = match link {
        Some(i) => (
            msg.links.get(i).map_or(&[][..], |l| &l.attributes[..]),
            pos.links.get(i).map_or(&[][..], |p| &p[..]),
            pos.link_starts.get(i).copied().unwrap_or(pos.start),
        ),
        None => (&msg.attributes[..], &pos.attributes[..], pos.start),
    };
    if let Some(name) = &finding.attribute
        && let Some(i) = attributes.iter().position(|(n, _)| n == name.as_str())
        && let Some(p) = attribute_at.get(i)
    {
        return *p;
    }
    if link.is_none()
        && let Some(c) = &finding.category
        && let Some(i) = msg.categories.iter().position(|x| {
            c.as_str().len() == x.scheme.len() + x.term.len()
                && c.as_str().starts_with(&x.scheme)
                && c.as_str().ends_with(&x.term)
        })
        && let Some(p) = pos.categories.get(i)
    {
        return *p;
    }
    start
}

#[cfg(test)]
mod tests {
    use crate::{ErrorKind, JsonCollectionReader, Mode, Parser, Violation};
    use occi_model::{Model, OcciVersion, Severity, UnknownCategories};

    const INFRA: &str = "http://schemas.ogf.org/occi/infrastructure#";

    fn model() -> Model {
        Model::infrastructure(OcciVersion::V1_2)
            .with_crtp()
            .with_egi_extensions()
    }

    /// (code, line, column) of each violation.
    fn where_(v: &[Violation]) -> Vec<(&'static str, usize, usize)> {
        v.iter()
            .map(|v| (v.finding.code.as_str(), v.position.line, v.position.column))
            .collect()
    }

    fn strict_violations(body: &str, json: bool) -> Vec<(&'static str, usize, usize)> {
        let m = model();
        let p = Parser::new(Mode::Strict12).with_model(&m);
        let e = if json {
            p.parse_json(body)
        } else {
            p.parse_plain(body)
        }
        .unwrap_err();
        let ErrorKind::Invalid(v) = e.kind() else {
            panic!("{e}");
        };
        assert_eq!(e.position(), v[0].position);
        where_(v)
    }

    fn lenient_findings(body: &str, json: bool) -> Vec<(&'static str, usize, usize)> {
        let m = model();
        let p = Parser::new(Mode::Lenient).with_model(&m);
        let parsed = if json {
            p.parse_json(body)
        } else {
            p.parse_plain(body)
        }
        .unwrap();
        where_(&parsed.findings)
    }

    /// The issue's three cases, in text and in JSON: strict refuses each at its position,
    /// lenient reads the entity and reports the same findings there.
    #[test]
    fn what_the_model_forbids_is_positioned() {
        let text = format!(
            "Category: compute; scheme=\"{INFRA}\"; class=\"kind\"\n\
             Category: ipnetwork; scheme=\"http://schemas.ogf.org/occi/infrastructure/network#\"; class=\"mixin\"\n\
             X-OCCI-Attribute: occi.compute.architecture=\"arm64\"\n"
        );
        let want = vec![
            ("mixin-not-applicable", 2, 11),
            ("not-in-enumeration", 3, 19),
        ];
        assert_eq!(strict_violations(&text, false), want);
        assert_eq!(lenient_findings(&text, false), want);
        let json = format!(
            "{{\"kind\": \"{INFRA}compute\", \"id\": \"1\",\n \"mixins\": [\"http://schemas.ogf.org/occi/infrastructure/network#ipnetwork\"],\n \"attributes\": {{\"occi.compute.architecture\": \"arm64\"}}}}"
        );
        let want = vec![
            ("mixin-not-applicable", 2, 13),
            ("not-in-enumeration", 3, 46),
        ];
        assert_eq!(strict_violations(&json, true), want);
        assert_eq!(lenient_findings(&json, true), want);
        let unknown = format!(
            "Category: computer; scheme=\"{INFRA}\"; class=\"kind\"\nX-OCCI-Attribute: occi.core.title=\"x\"\n"
        );
        assert_eq!(
            strict_violations(&unknown, false),
            [("unknown-kind", 1, 11)]
        );
        let json = format!("{{\"kind\": \"{INFRA}computer\", \"id\": \"1\"}}");
        assert_eq!(strict_violations(&json, true), [("unknown-kind", 1, 10)]);
    }

    /// A rendering may be a request or an answer: neither a missing required attribute nor
    /// a server-set immutable one is a violation; links and invocations are checked too.
    #[test]
    fn requests_answers_links_and_invocations() {
        let m = model();
        let p = Parser::new(Mode::Strict12).with_model(&m);
        // A creation request without id or size, and an answer with its state.
        for body in [
            format!(
                "Category: storage; scheme=\"{INFRA}\"; class=\"kind\"\nX-OCCI-Attribute: occi.core.title=\"disk\"\n"
            ),
            format!(
                "Category: compute; scheme=\"{INFRA}\"; class=\"kind\"\nX-OCCI-Attribute: occi.core.id=\"1\", occi.compute.state=\"active\"\n"
            ),
        ] {
            let parsed = p.parse_plain(&body).unwrap();
            assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
        }
        // An inline link's attribute is positioned on the Link line.
        let body = format!(
            "Category: compute; scheme=\"{INFRA}\"; class=\"kind\"\nX-OCCI-Attribute: occi.core.id=\"1\"\n\
             Link: </network/1>; rel=\"{INFRA}network\"; category=\"{INFRA}networkinterface\"; occi.networkinterface.state=\"broken\"\n"
        );
        let v = strict_violations(&body, false);
        assert_eq!(v, [("not-in-enumeration", 3, 151)]);
        // An action invocation: its parameters against the action's definitions.
        let body = "Category: stop; scheme=\"http://schemas.ogf.org/occi/infrastructure/compute/action#\"; class=\"action\"\nX-OCCI-Attribute: method=\"yank\"\n";
        assert_eq!(
            strict_violations(body, false),
            [("not-in-enumeration", 2, 19)]
        );
        let json =
            r#"{"action": "http://schemas.ogf.org/occi/infrastructure/compute/action#explode"}"#;
        assert_eq!(strict_violations(json, true), [("unknown-action", 1, 12)]);
        // Category collections (a query interface) are not entities.
        let listing = "Category: thing; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"; location=\"/thing/\"\n";
        assert!(p.parse_plain(listing).unwrap().findings.is_empty());
    }

    /// With the OCCI documents only, a provider's categories are notices and the documents'
    /// namespace stays checked; the default policy (the model is the server's) rejects both.
    #[test]
    fn unknown_category_policies() {
        let m = model();
        let body = format!(
            "Category: compute; scheme=\"{INFRA}\"; class=\"kind\"\n\
             Category: ubuntu; scheme=\"http://example.org/os#\"; class=\"mixin\"\n\
             X-OCCI-Attribute: org.example.colour=\"blue\"\n"
        );
        let reserved = Parser::new(Mode::Strict12)
            .with_model(&m)
            .with_unknown_categories(UnknownCategories::RejectReserved);
        let parsed = reserved.parse_plain(&body).unwrap();
        assert_eq!(
            where_(&parsed.findings),
            [
                ("preserved-category", 2, 11),
                ("preserved-attribute", 3, 19)
            ]
        );
        assert!(
            parsed
                .findings
                .iter()
                .all(|f| f.finding.severity == Severity::Notice)
        );
        let typo = format!(
            "Category: compute; scheme=\"{INFRA}\"; class=\"kind\"\nX-OCCI-Attribute: occi.compute.corez=2\n"
        );
        let e = reserved.parse_plain(&typo).unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::Invalid(v) if v[0].finding.code.as_str() == "unknown-attribute")
        );
        let e = Parser::new(Mode::Strict12)
            .with_model(&m)
            .parse_plain(&body)
            .unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::Invalid(v) if v.len() == 2),
            "{e}"
        );
        assert!(e.to_string().contains("(and 1 more)"), "{e}");
    }

    /// `with_validation(false)` keeps the typing and leaves validation to the caller.
    #[test]
    fn validation_can_be_left_out() {
        let m = model();
        let body = format!(
            "Category: compute; scheme=\"{INFRA}\"; class=\"kind\"\nX-OCCI-Attribute: occi.compute.architecture=\"arm64\", occi.compute.cores=\"2\"\n"
        );
        let p = Parser::new(Mode::Strict12)
            .with_model(&m)
            .with_validation(false);
        // Typing still refuses the quoted number in strict mode ...
        assert!(matches!(
            p.parse_plain(&body).unwrap_err().kind(),
            ErrorKind::TypeMismatch { .. }
        ));
        // ... and converts it in lenient mode, with no finding for the architecture.
        let l = Parser::new(Mode::Lenient)
            .with_model(&m)
            .with_validation(false);
        let parsed = l.parse_plain(&body).unwrap();
        assert!(parsed.findings.is_empty());
        assert_eq!(
            parsed.message.attribute("occi.compute.cores"),
            Some(&2.into())
        );
        let json = format!(
            "{{\"kind\": \"{INFRA}compute\", \"id\": \"1\", \"attributes\": {{\"occi.compute.architecture\": \"arm64\"}}}}"
        );
        assert!(
            Parser::new(Mode::Strict12)
                .with_model(&m)
                .with_validation(false)
                .parse_json(&json)
                .is_ok()
        );
    }

    /// The streaming JSON reader validates each member as `parse_json` does.
    #[test]
    fn streamed_members_are_validated() {
        let m = model();
        let body = format!(
            "{{\"resources\": [\n{{\"kind\": \"{INFRA}compute\", \"id\": \"a\"}},\n{{\"kind\": \"{INFRA}compute\", \"id\": \"b\", \"attributes\": {{\"occi.compute.architecture\": \"arm64\"}}}}]}}"
        );
        let lenient = Parser::new(Mode::Lenient).with_model(&m);
        let mut r = JsonCollectionReader::new(&lenient, body.as_bytes());
        assert_eq!(r.by_ref().count(), 2);
        assert_eq!(where_(r.findings()), [("not-in-enumeration", 3, 119)]);
        assert_eq!(
            where_(&lenient.parse_json(&body).unwrap().findings),
            where_(r.findings())
        );
        let strict = Parser::new(Mode::Strict12).with_model(&m);
        let items: Vec<_> = JsonCollectionReader::new(&strict, body.as_bytes()).collect();
        assert!(items[0].is_ok());
        assert!(matches!(
            items[1].as_ref().unwrap_err().kind(),
            ErrorKind::Invalid(_)
        ));
    }
}
