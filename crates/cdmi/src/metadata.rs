//! Metadata and capability names (1.1.1 clauses 12 and 16, 2.0.0 "Metadata" and "Capability
//! objects"): the registry of every `cdmi_*` name, and the checks of metadata and capability
//! members against it.
//!
//! Three kinds of metadata share an object's `metadata` member:
//! - user metadata, whose names must not start with `cdmi_`;
//! - data-system metadata, the quality of service a client asks for (`cdmi_data_redundancy`,
//!   `cdmi_geographic_placement`, retention, …), and the `…_provided` items the server answers
//!   with;
//! - storage-system metadata, which the server keeps (`cdmi_size`, `cdmi_ctime`, `cdmi_owner`,
//!   `cdmi_acl`, …).
//!
//! Values are JSON strings, numbers included (`"cdmi_size": "37"`); times are CDMI
//! timestamps ([`crate::time`]); `cdmi_acl` is an ACL ([`crate::acl`]). Capabilities are
//! JSON strings too (`"cdmi_size": "true"`, `"cdmi_list_children_range": "true"`).
//!
//! The registry holds the 318 distinct names of the 2.0.0 tables (263) and of the 2.x
//! extensions (55, marked [`Entry::extension`]); a name that is both a capability and a
//! metadata item has an entry of each kind. The type of each is read from its definition,
//! since the tables' type column says "JSON string" for nearly every item: "if present and
//! true" gives [`ValueType::Boolean`], counts, sizes and durations give
//! [`ValueType::Number`]. Where the definition and the type column disagree the definition
//! wins (`cdmi_version_oldest` and `cdmi_version_children` capabilities, typed as arrays but
//! defined as present-and-true, are booleans). The spec's misspellings (`cdmi_data_redundency`
//! in an extension, `cdmi_cabilities` in a URI, `cdmi_privileges` for
//! `cdmi_member_privileges`) are not names here.
//!
//! ```
//! use cdmi::metadata::{self, Kind, ValueType};
//! let size = metadata::entry("cdmi_size", Kind::StorageSystem).unwrap();
//! assert_eq!(size.value, ValueType::Number);
//! assert!(metadata::entry("cdmi_size", Kind::Capability).is_some());
//! assert!(metadata::entries("cdmi_no_such_thing").is_empty());
//! ```

mod registry;

use crate::acl::Acl;
use crate::object::{Members, Mode};
use crate::time::{Interval, Time};
use serde_json::Value as Json;
use std::fmt;

/// What a `cdmi_*` name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A capability of a capability object.
    Capability,
    /// Data-system metadata (requested or provided quality of service).
    DataSystem,
    /// Storage-system metadata (kept by the server).
    StorageSystem,
    /// Any other reserved name: path segments (`cdmi_objectid`, `cdmi_capabilities`), domain
    /// summaries and members, notification and query-queue fields, job fields.
    Other,
}

/// The type of a value, as a JSON string unless said otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValueType {
    /// Free text (a URI, an identifier, a method name).
    Text,
    /// A decimal number in a JSON string: `"37"`, `"0.5"`.
    Number,
    /// `"true"` or `"false"`.
    Boolean,
    /// A CDMI timestamp.
    Time,
    /// A CDMI interval, `start/end`.
    Interval,
    /// A JSON array.
    Array,
    /// A JSON object.
    Object,
    /// An ACL (`cdmi_acl`).
    Acl,
    /// No value: a path segment or a reserved name.
    Unspecified,
}

/// A set of capability objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Objects(u8);

impl Objects {
    /// None (metadata names).
    pub const NONE: Self = Self(0);
    /// The system-wide capabilities (`/cdmi_capabilities/`).
    pub const SYSTEM: Self = Self(1);
    /// `/cdmi_capabilities/dataobject/`.
    pub const DATA_OBJECT: Self = Self(2);
    /// `/cdmi_capabilities/container/`.
    pub const CONTAINER: Self = Self(4);
    /// `/cdmi_capabilities/domain/`.
    pub const DOMAIN: Self = Self(8);
    /// `/cdmi_capabilities/queue/`.
    pub const QUEUE: Self = Self(16);

    /// Both sets.
    #[must_use]
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether every object of `other` is in this set.
    #[must_use]
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

/// One name of the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Entry {
    /// The name.
    pub name: &'static str,
    /// What it is.
    pub kind: Kind,
    /// For capabilities, the capability objects that carry it.
    pub objects: Objects,
    /// The type of its value.
    pub value: ValueType,
    /// Whether it comes from a 2.x extension rather than the 2.0.0 document.
    pub extension: bool,
    /// The file of the 2.0.0 sources whose table defines it.
    pub source: &'static str,
}

/// Every name, sorted by name (bytes) and kind.
#[must_use]
pub const fn registry() -> &'static [Entry] {
    registry::REGISTRY
}

/// The entries of `name` (one per kind it has; none for an unknown name).
#[must_use]
pub fn entries(name: &str) -> &'static [Entry] {
    let r = registry::REGISTRY;
    let start = r.partition_point(|e| e.name.as_bytes() < name.as_bytes());
    let rest = r.get(start..).unwrap_or_default();
    rest.get(..rest.partition_point(|e| e.name == name))
        .unwrap_or_default()
}

/// The entry of `name` of `kind`.
#[must_use]
pub fn entry(name: &str, kind: Kind) -> Option<&'static Entry> {
    entries(name).iter().find(|e| e.kind == kind)
}

/// Whether `name` is reserved for the system (starts with `cdmi_`).
#[must_use]
pub fn is_reserved(name: &str) -> bool {
    name.starts_with("cdmi_")
}

/// A member of `metadata` or `capabilities` that does not follow the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// The member's name.
    pub name: String,
    /// What is wrong with it.
    pub problem: Problem,
}

/// What is wrong with a metadata or capability member.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// A `cdmi_` name the registry does not have for this member (`metadata`: only a
    /// capability or nothing; `capabilities`: no capability entry). User metadata must not
    /// start with `cdmi_`.
    UnknownReservedName,
    /// A value of another JSON type than the registry's.
    WrongType(ValueType),
    /// A number as a JSON number: numbers travel as strings (read in lenient mode).
    NumberNotString,
    /// A string that is not a decimal number.
    NotANumber,
    /// A string that is neither `"true"` nor `"false"`.
    NotABoolean,
    /// A timestamp or interval that is not CDMI's; the text is the time reader's.
    Time(String),
    /// A timestamp in another RFC 3339 form, read in lenient mode (Onedata writes seconds).
    TimeForm,
    /// A `cdmi_acl` that is no ACL; the text is the ACL reader's.
    Acl(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownReservedName => f.write_str("a cdmi_ name the registry does not have"),
            Self::WrongType(t) => write!(f, "not {t:?}"),
            Self::NumberNotString => f.write_str("a number that is not a JSON string"),
            Self::NotANumber => f.write_str("not a decimal number"),
            Self::NotABoolean => f.write_str("neither \"true\" nor \"false\""),
            Self::Time(e) => write!(f, "time: {e}"),
            Self::TimeForm => f.write_str("a timestamp in another form than CDMI's"),
            Self::Acl(e) => write!(f, "ACL: {e}"),
        }
    }
}

impl Problem {
    /// Whether lenient mode accepts it (a deviation real servers have, the value kept).
    #[must_use]
    pub const fn tolerated(&self) -> bool {
        matches!(self, Self::NumberNotString | Self::TimeForm)
    }
}

/// Checks the members of a `metadata` object: user names (not `cdmi_`) pass; a `cdmi_` name
/// must be data-system or storage-system metadata of the registry, or one of its other
/// reserved names (query and notification queues carry `cdmi_queue_type`,
/// `cdmi_scope_specification`, … in their metadata), with a value of its type.
/// In lenient mode the [`Problem::tolerated`] deviations are not reported.
#[must_use]
pub fn check_metadata(metadata: &Members, mode: Mode) -> Vec<Finding> {
    let mut out = Vec::new();
    for (name, v) in &metadata.0 {
        if !is_reserved(name) {
            continue;
        }
        let entry = entries(name).iter().find(|e| e.kind != Kind::Capability);
        let problem = match entry {
            None => Some(Problem::UnknownReservedName),
            Some(e) => check_value(e.value, v),
        };
        push(&mut out, name, problem, mode);
    }
    out
}

/// Checks the members of a `capabilities` object: each `cdmi_` name must be a capability of
/// the registry, with a value of its type. Names without the prefix are vendor capabilities
/// and pass.
#[must_use]
pub fn check_capabilities(capabilities: &Members, mode: Mode) -> Vec<Finding> {
    let mut out = Vec::new();
    for (name, v) in &capabilities.0 {
        if !is_reserved(name) {
            continue;
        }
        let problem = match entry(name, Kind::Capability) {
            None => Some(Problem::UnknownReservedName),
            Some(e) => check_value(e.value, v),
        };
        push(&mut out, name, problem, mode);
    }
    out
}

fn push(out: &mut Vec<Finding>, name: &str, problem: Option<Problem>, mode: Mode) {
    if let Some(p) = problem
        && !(mode == Mode::Lenient && p.tolerated())
    {
        out.push(Finding {
            name: name.to_owned(),
            problem: p,
        });
    }
}

/// The problem of `v` as a value of type `t`, if any.
#[must_use]
pub fn check_value(t: ValueType, v: &Json) -> Option<Problem> {
    match (t, v) {
        (ValueType::Number, Json::String(s)) => (!is_decimal(s)).then_some(Problem::NotANumber),
        (ValueType::Number, Json::Number(_)) => Some(Problem::NumberNotString),
        (ValueType::Boolean, Json::String(s)) => {
            (s != "true" && s != "false").then_some(Problem::NotABoolean)
        }
        (ValueType::Time, Json::String(s)) => match s.parse::<Time>() {
            Ok(_) => None,
            Err(e) => Some(if Time::parse_lenient(s).is_ok() {
                Problem::TimeForm
            } else {
                Problem::Time(e.kind().to_string())
            }),
        },
        (ValueType::Interval, Json::String(s)) => s
            .parse::<Interval>()
            .err()
            .map(|e| Problem::Time(e.kind().to_string())),
        (ValueType::Acl, v @ Json::Array(_)) => Acl::from_json(v, Mode::Strict)
            .err()
            .map(|e| Problem::Acl(e.kind().to_string())),
        (ValueType::Text | ValueType::Unspecified, Json::String(_))
        | (ValueType::Array, Json::Array(_))
        | (ValueType::Object, Json::Object(_)) => None,
        (t, _) => Some(Problem::WrongType(t)),
    }
}

/// `digits [ "." digits ]`.
fn is_decimal(s: &str) -> bool {
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    digits(int) && digits(frac)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use serde_json::json;

    fn members(v: Json) -> Members {
        Members(v.as_object().unwrap().clone().into_iter().collect())
    }

    #[test]
    fn the_registry_is_sorted_and_every_name_is_reserved() {
        let r = registry();
        assert!(
            r.windows(2)
                .all(|w| (w[0].name.as_bytes(), w[0].kind) < (w[1].name.as_bytes(), w[1].kind))
        );
        assert!(r.iter().all(|e| is_reserved(e.name)));
        let mut names: Vec<_> = r.iter().map(|e| e.name).collect();
        names.dedup();
        assert_eq!(names.len(), 318);
        assert_eq!(
            r.iter()
                .filter(|e| !e.extension)
                .map(|e| e.name)
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            263
        );
        for e in r {
            assert_eq!(
                entries(e.name).iter().filter(|x| x.kind == e.kind).count(),
                1,
                "{}",
                e.name
            );
            assert_eq!(
                e.kind == Kind::Capability,
                e.objects != Objects::NONE,
                "{}",
                e.name
            );
        }
    }

    #[test]
    fn well_known_names_have_their_kinds_and_types() {
        let t = |n, k| entry(n, k).map(|e| e.value);
        assert_eq!(t("cdmi_size", Kind::StorageSystem), Some(ValueType::Number));
        assert_eq!(t("cdmi_ctime", Kind::StorageSystem), Some(ValueType::Time));
        assert_eq!(t("cdmi_acl", Kind::StorageSystem), Some(ValueType::Acl));
        assert_eq!(t("cdmi_owner", Kind::StorageSystem), Some(ValueType::Text));
        assert_eq!(
            t("cdmi_geographic_placement", Kind::DataSystem),
            Some(ValueType::Array)
        );
        assert_eq!(
            t("cdmi_retention_period", Kind::DataSystem),
            Some(ValueType::Interval)
        );
        assert_eq!(
            t("cdmi_data_redundancy", Kind::DataSystem),
            Some(ValueType::Number)
        );
        assert_eq!(t("cdmi_acl", Kind::Capability), Some(ValueType::Boolean));
        assert!(entry("cdmi_objectid", Kind::Other).is_some());
        let caps = entry("cdmi_list_children_range", Kind::Capability).unwrap();
        assert!(caps.objects.contains(Objects::CONTAINER));
        assert!(entries("cdmi_data_redundency").is_empty());
        assert!(entries("").is_empty() && entries("zzz").is_empty() && entries("cdmi_").is_empty());
    }

    #[test]
    fn metadata_is_checked_against_the_registry() {
        let m = members(json!({
            "color": "blue",
            "cdmi_size": "37",
            "cdmi_ctime": "2009-07-21T14:12:09.123456Z",
            "cdmi_mtime": "2009-07-21T14:12:09Z",
            "cdmi_acount": 3,
            "cdmi_mcount": "three",
            "cdmi_retention_autodelete": "yes",
            "cdmi_geographic_placement": "DE",
            "cdmi_acl": [{"acetype": "ALLOW", "identifier": "x", "aceflags": "0x0", "acemask": "FLY"}],
            "cdmi_retention_period": "2009-07-21T14:12:09.000000Z/2009-07-20T14:12:09.000000Z",
            "cdmi_colour": "x",
            "cdmi_list_children": "true",
        }));
        let strict = check_metadata(&m, Mode::Strict);
        let got: Vec<_> = strict
            .iter()
            .map(|f| (f.name.as_str(), &f.problem))
            .collect();
        let names: Vec<_> = got.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "cdmi_acl",
                "cdmi_acount",
                "cdmi_colour",
                "cdmi_geographic_placement",
                "cdmi_list_children",
                "cdmi_mcount",
                "cdmi_mtime",
                "cdmi_retention_autodelete",
                "cdmi_retention_period",
            ]
        );
        let p = |n: &str| &strict.iter().find(|f| f.name == n).unwrap().problem;
        assert_eq!(p("cdmi_acount"), &Problem::NumberNotString);
        assert_eq!(p("cdmi_mcount"), &Problem::NotANumber);
        assert_eq!(p("cdmi_mtime"), &Problem::TimeForm);
        assert_eq!(p("cdmi_retention_autodelete"), &Problem::NotABoolean);
        assert_eq!(
            p("cdmi_geographic_placement"),
            &Problem::WrongType(ValueType::Array)
        );
        assert_eq!(p("cdmi_colour"), &Problem::UnknownReservedName);
        // A capability name is no metadata.
        assert_eq!(p("cdmi_list_children"), &Problem::UnknownReservedName);
        assert!(matches!(p("cdmi_acl"), Problem::Acl(_)));
        assert!(matches!(p("cdmi_retention_period"), Problem::Time(_)));
        let lenient = check_metadata(&m, Mode::Lenient);
        assert_eq!(lenient.len(), strict.len() - 2);
        assert!(lenient.iter().all(|f| !f.problem.tolerated()));
        for f in &strict {
            assert!(!f.problem.to_string().is_empty());
        }
    }

    #[test]
    fn capabilities_are_checked_against_the_registry() {
        let c = members(json!({
            "cdmi_list_children": "true",
            "cdmi_size": "true",
            "cdmi_acl": true,
            "cdmi_nonesuch": "true",
            "vendor_feature": "x",
        }));
        let f = check_capabilities(&c, Mode::Strict);
        let got: Vec<_> = f
            .iter()
            .map(|f| (f.name.as_str(), f.problem.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("cdmi_acl", Problem::WrongType(ValueType::Boolean)),
                ("cdmi_nonesuch", Problem::UnknownReservedName)
            ]
        );
    }

    #[test]
    fn decimal_numbers() {
        for ok in ["0", "37", "0.5", "10.25"] {
            assert!(is_decimal(ok), "{ok}");
        }
        for bad in ["", ".", "1.", ".5", "-1", "1e3", " 1", "0x10"] {
            assert!(!is_decimal(bad), "{bad}");
        }
    }
}
