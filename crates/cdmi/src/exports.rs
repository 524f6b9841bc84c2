//! Container exports (1.1.1 clause 14, 2.0.0 "Exported protocols"): a container made
//! available over NFS, SMB/CIFS, iSCSI, WebDAV or to OCCI compute resources — the link
//! between CDMI storage and OCCI virtual machines — and the user and group name maps of the
//! foreign protocols.
//!
//! ```text
//! mapping  = name operator name                  ; a JSON array of three strings
//! operator = "<--" / "-->" / "<-->"              ; into CDMI / out of CDMI / both
//! name     = utf8-name / utf8-name "*" / "*"     ; "*" at the end matches any suffix
//! ```
//!
//! Two deviations of the documents are resolved here: their examples write the operators
//! `<-` and `->` where the grammar has `<--` and `-->` (read in lenient mode, written in the
//! grammar's form), and write the mapping entries as `{ "a", "<-->", "b" }`, which is no JSON:
//! entries are arrays.

use crate::object::{Members, Mode};
use crate::{Error, ErrorKind, ObjectId};
use fedcloud_core::Position;
use serde_json::Value as Json;

/// The direction of a name mapping entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Direction {
    /// `<--`: a foreign name (right) maps to the CDMI name (left).
    IntoCdmi,
    /// `-->`: a CDMI name (left) maps to the foreign name (right).
    OutOfCdmi,
    /// `<-->`: both ways.
    Both,
}

impl Direction {
    /// The operator as the grammar writes it.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::IntoCdmi => "<--",
            Self::OutOfCdmi => "-->",
            Self::Both => "<-->",
        }
    }
}

/// One entry of a user or group name map.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mapping {
    /// The CDMI-side name or pattern.
    pub cdmi: String,
    /// The direction.
    pub direction: Direction,
    /// The foreign-protocol name or pattern.
    pub foreign: String,
}

/// A user or group name map: the entries in order, the first match wins.
///
/// ```
/// use cdmi::exports::NameMap;
/// use cdmi::object::Mode;
/// let map = NameMap::from_json(&serde_json::json!([["nobody", "<-", "root"], ["*", "<-->", "*"]]), Mode::Lenient)?;
/// assert_eq!(map.to_cdmi("root"), Some("nobody".into()));
/// assert_eq!(map.to_cdmi("alice"), Some("alice".into()));
/// assert_eq!(map.to_foreign("alice"), Some("alice".into()));
/// # Ok::<(), cdmi::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameMap(pub Vec<Mapping>);

impl NameMap {
    /// Reads a map from its JSON array of `[name, operator, name]` arrays.
    ///
    /// # Errors
    /// `Export` for another shape, an unknown operator, or a name holding one of the
    /// characters the grammar excludes (`"`, `'`, `\`, `/`, `:`, `?`, or `*` other than last).
    pub fn from_json(v: &Json, mode: Mode) -> Result<Self, Error> {
        let fail = |what: String| Error::new(ErrorKind::Export(what), Position::START);
        let Some(items) = v.as_array() else {
            return Err(fail(
                "a name map is an array of [name, operator, name] arrays".into(),
            ));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let parts: Option<Vec<&str>> = item
                .as_array()
                .map(|a| a.iter().filter_map(Json::as_str).collect())
                .filter(|p: &Vec<&str>| {
                    p.len() == 3 && item.as_array().is_some_and(|a| a.len() == 3)
                });
            let Some(&[cdmi, op, foreign]) = parts.as_deref() else {
                return Err(fail(format!("entry {i}: not an array of three strings")));
            };
            let direction = match (op, mode) {
                ("<--", _) | ("<-", Mode::Lenient) => Direction::IntoCdmi,
                ("-->", _) | ("->", Mode::Lenient) => Direction::OutOfCdmi,
                ("<-->", _) => Direction::Both,
                _ => return Err(fail(format!("entry {i}: {op:?} is none of <--, -->, <-->"))),
            };
            for name in [cdmi, foreign] {
                check_name(name)
                    .map_err(|c| fail(format!("entry {i}: {c:?} in the name {name:?}")))?;
            }
            out.push(Mapping {
                cdmi: cdmi.to_owned(),
                direction,
                foreign: foreign.to_owned(),
            });
        }
        Ok(Self(out))
    }

    /// The JSON array, operators in the grammar's form.
    #[must_use]
    pub fn to_json(&self) -> Json {
        Json::Array(
            self.0
                .iter()
                .map(|m| serde_json::json!([m.cdmi, m.direction.as_str(), m.foreign]))
                .collect(),
        )
    }

    /// The CDMI name a foreign `name` maps to (entries `<--` and `<-->`), by the first entry
    /// whose foreign side matches; a pattern on both sides keeps the matched suffix.
    #[must_use]
    pub fn to_cdmi(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .filter(|m| m.direction != Direction::OutOfCdmi)
            .find_map(|m| translate(&m.foreign, &m.cdmi, name))
    }

    /// The foreign name a CDMI `name` maps to (entries `-->` and `<-->`).
    #[must_use]
    pub fn to_foreign(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .filter(|m| m.direction != Direction::IntoCdmi)
            .find_map(|m| translate(&m.cdmi, &m.foreign, name))
    }
}

/// The character of `name` the grammar excludes, if any.
fn check_name(name: &str) -> Result<(), char> {
    let body = name.strip_suffix('*').unwrap_or(name);
    match body
        .chars()
        .find(|c| matches!(c, '"' | '\'' | '\\' | '/' | ':' | '*' | '?'))
    {
        Some(c) => Err(c),
        None => Ok(()),
    }
}

/// `name` matched against `from` (a prefix pattern when it ends in `*`), written as `to`.
fn translate(from: &str, to: &str, name: &str) -> Option<String> {
    match from.strip_suffix('*') {
        Some(prefix) => {
            let rest = name.strip_prefix(prefix)?;
            if rest.chars().any(char::is_whitespace) {
                return None;
            }
            Some(match to.strip_suffix('*') {
                Some(p) => format!("{p}{rest}"),
                None => to.to_owned(),
            })
        }
        None => (from == name).then(|| to.to_owned()),
    }
}

/// The protocol of an export.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// NFS (`type: nfs`, 1.x key `Network/NFSv4`).
    Nfs,
    /// SMB / CIFS.
    Smb,
    /// iSCSI.
    Iscsi,
    /// WebDAV.
    WebDav,
    /// An OCCI export (`OCCI/iSCSI`, `OCCI/NFSv4`): the container as OCCI storage of the
    /// compute resources in its permissions; the text after `OCCI/`.
    Occi(String),
    /// Anything else, as named.
    Other(String),
}

impl Protocol {
    fn of(name: &str) -> Self {
        let lower = name.to_ascii_lowercase();
        let base = lower.strip_prefix("network/").unwrap_or(&lower);
        if let Some(p) = name
            .strip_prefix("OCCI/")
            .or_else(|| name.strip_prefix("occi/"))
        {
            return Self::Occi(p.to_owned());
        }
        if base.starts_with("nfs") {
            Self::Nfs
        } else if base.starts_with("smb") || base.starts_with("cifs") {
            Self::Smb
        } else if base.starts_with("iscsi") {
            Self::Iscsi
        } else if base.starts_with("webdav") {
            Self::WebDav
        } else {
            Self::Other(name.to_owned())
        }
    }
}

/// One export of a container, as typed as the documents make it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Export {
    /// Its name in the `exports` object (1.x: the protocol, `Network/NFSv4`; 2.0: any, the
    /// protocol in `type`).
    pub name: String,
    /// The protocol, from `type`, else from the name.
    pub protocol: Protocol,
    /// `identifier`: for OCCI exports, the container's object ID.
    pub identifier: Option<String>,
    /// `permissions`: for OCCI exports, the URIs of the compute resources that may use it;
    /// for iSCSI the initiators' IQNs.
    pub permissions: Vec<String>,
    /// `usermap`.
    pub usermap: Option<NameMap>,
    /// `groupmap`.
    pub groupmap: Option<NameMap>,
    /// Every member, typed ones included, as sent.
    pub members: Members,
}

impl Export {
    /// The container's object ID of an OCCI export.
    #[must_use]
    pub fn occi_container(&self) -> Option<ObjectId> {
        self.identifier.as_deref()?.parse().ok()
    }
}

/// The exports of a container's `exports` member.
///
/// ```
/// use cdmi::exports::{Protocol, exports};
/// use cdmi::object::{Members, Mode};
/// let v: serde_json::Value = serde_json::json!({
///     "OCCI/iSCSI": {"identifier": "00006FFD001001CCE3B2B4F602032653",
///                    "permissions": ["https://cloud.example.com/compute/123"]}
/// });
/// let members = Members(v.as_object().unwrap().clone().into_iter().collect());
/// let e = &exports(&members, Mode::Strict)?[0];
/// assert_eq!(e.protocol, Protocol::Occi("iSCSI".into()));
/// assert_eq!(e.occi_container().map(|id| id.enterprise()), Some(28669));
/// assert_eq!(e.permissions, ["https://cloud.example.com/compute/123"]);
/// # Ok::<(), cdmi::Error>(())
/// ```
///
/// # Errors
/// `Export` for an export that is no JSON object, a `type`, `identifier` or `permissions` of
/// the wrong JSON type, an OCCI export whose identifier is no object ID, or a name map that
/// [`NameMap::from_json`] refuses.
pub fn exports(members: &Members, mode: Mode) -> Result<Vec<Export>, Error> {
    let fail = |what: String| Error::new(ErrorKind::Export(what), Position::START);
    let mut out = Vec::with_capacity(members.len());
    for (name, v) in &members.0 {
        let Some(o) = v.as_object() else {
            return Err(fail(format!("{name}: an export is a JSON object")));
        };
        let text = |k: &str| -> Result<Option<String>, Error> {
            match o.get(k) {
                None => Ok(None),
                Some(Json::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(fail(format!("{name}/{k}: a string"))),
            }
        };
        let protocol = match text("type")? {
            Some(t) => Protocol::of(&t),
            None => Protocol::of(name),
        };
        let identifier = text("identifier")?;
        let permissions = match o.get("permissions") {
            None => Vec::new(),
            Some(Json::Array(a)) => a
                .iter()
                .map(|x| x.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| fail(format!("{name}/permissions: an array of strings")))?,
            Some(Json::String(s)) => vec![s.clone()],
            Some(_) => return Err(fail(format!("{name}/permissions: an array of strings"))),
        };
        if let (Protocol::Occi(_), Some(id)) = (&protocol, &identifier)
            && id.parse::<ObjectId>().is_err()
            && mode == Mode::Strict
        {
            return Err(fail(format!(
                "{name}/identifier: {id:?} is not the container's object ID"
            )));
        }
        let map = |k: &str| -> Result<Option<NameMap>, Error> {
            o.get(k).map(|m| NameMap::from_json(m, mode)).transpose()
        };
        out.push(Export {
            name: name.clone(),
            protocol,
            identifier,
            permissions,
            usermap: map("usermap")?,
            groupmap: map("groupmap")?,
            members: Members(o.clone().into_iter().collect()),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn name_maps() {
        let map = NameMap::from_json(
            &json!([
                ["jim*", "<-->", "j*"],
                ["admins", "<--", "wheel"],
                ["*", "<-->", "*"]
            ]),
            Mode::Strict,
        )
        .unwrap();
        assert_eq!(map.to_cdmi("jsmith"), Some("jimsmith".into()));
        assert_eq!(map.to_foreign("jimsmith"), Some("jsmith".into()));
        assert_eq!(map.to_cdmi("wheel"), Some("admins".into()));
        assert_eq!(map.to_foreign("admins"), Some("admins".into()));
        assert_eq!(map.to_cdmi("a b"), None);
        assert_eq!(
            NameMap::from_json(&map.to_json(), Mode::Strict).unwrap(),
            map
        );
        for bad in [
            json!([["a", "<-", "b"]]),
            json!([["a", "=", "b"]]),
            json!([["a", "<--"]]),
            json!([["a/b", "<--", "c"]]),
            json!([["a*b", "<--", "c"]]),
            json!({"a": 1}),
            json!([[1, "<--", "b"]]),
        ] {
            assert!(NameMap::from_json(&bad, Mode::Strict).is_err(), "{bad}");
        }
        assert_eq!(
            NameMap::from_json(&json!([["a", "->", "b"]]), Mode::Lenient)
                .unwrap()
                .0[0]
                .direction,
            Direction::OutOfCdmi
        );
    }

    #[test]
    fn export_kinds() {
        let v = json!({
            "Network/NFSv4": {"identifier": "/users", "permissions": "domain"},
            "1": {"type": "nfs", "protocol": "NFSv4", "path": "/x", "usermap": [["*", "<-->", "*"]]},
            "2": {"type": "smb", "sharename": "s"},
            "Network/iSCSI": {"portals": ["10.0.0.1:3260"], "permissions": ["iqn.2001-04.com.example:x"]},
            "3": {"type": "WebDAV"},
            "OCCI/NFSv4": {"identifier": "00006FFD001001CCE3B2B4F602032653", "permissions": ["/compute/1"]},
            "x": {"type": "s3"}
        });
        let members = Members(v.as_object().unwrap().clone().into_iter().collect());
        let e = exports(&members, Mode::Strict).unwrap();
        let kinds: Vec<Protocol> = e.iter().map(|x| x.protocol.clone()).collect();
        assert!(
            kinds.contains(&Protocol::Nfs)
                && kinds.contains(&Protocol::Smb)
                && kinds.contains(&Protocol::Iscsi)
                && kinds.contains(&Protocol::WebDav)
        );
        assert!(
            kinds.contains(&Protocol::Occi("NFSv4".into()))
                && kinds.contains(&Protocol::Other("s3".into()))
        );
        let bad = Members(vec![("OCCI/iSCSI".into(), json!({"identifier": "nope"}))]);
        assert!(exports(&bad, Mode::Strict).is_err());
        assert!(exports(&bad, Mode::Lenient).is_ok());
        assert!(exports(&Members(vec![("a".into(), json!(1))]), Mode::Lenient).is_err());
    }
}
