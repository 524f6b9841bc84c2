//! Access control lists (1.1.1 clause 16.1, 2.0.0 "Access control"): the `cdmi_acl` metadata
//! item, its access control entries (ACEs) in hexadecimal and symbolic forms, the canonical
//! decomposition of masks into names, inheritance from parent containers, and the evaluation
//! of a request against an ACL.
//!
//! ```text
//! ACL      = "[" ACE *("," ACE) "]"                        ; a JSON array, in evaluation order
//! ACE      = { "acetype": type, "identifier": who, "aceflags": bits, "acemask": bits
//!              [, "expiration": time] }                    ; expiration: the expire_ace annex
//! type     = hex / type-name                               ; ALLOW, DENY, AUDIT or a constant
//! bits     = item *(sep item)
//! item     = hex / name
//! sep      = *WSP ("," / "|") *WSP                         ; both separators, and mixed
//! hex      = "0x" 1*8HEXDIG                                ; always with the leading 0x
//! ```
//!
//! The documents contradict themselves on ACLs; each point is resolved here, in favour of the
//! clause's tables where the grammar and the tables disagree:
//!
//! | Point | The documents | Here |
//! |---|---|---|
//! | separator | the prose says comma-delimited and the examples write `"OBJECT_INHERIT, CONTAINER_INHERIT"`; the grammar joins with `\|` | both read, mixed too; `, ` written |
//! | names | tables: `ALLOW`, `READ_OBJECT` and constants `CDMI_ACE_ACCESS_ALLOW`; grammar: `CDMI_ACE_ACCESS_ALLOWED_TYPE`, `CDMI_ACE_OBJECT_INHERIT_ACE` | every spelling read; the short form written |
//! | `EXECUTE` | table 0x20, grammar 0x80000 (the table's `WRITE_OWNER`) | 0x20 |
//! | `CDMI_ACE_SET_RETENTION` | grammar only, 0x10000000 | the table's `WRITE_RETENTION`, 0x200 |
//! | `RW_ALL` | table 0x0006006F, worked example 0x000601DF | 0x0006006F |
//! | `READ_ALL` | only in a worked example, as 0x09 (whose result, `0x09 \| 0x02 == 0x0`, is wrong) | 0x09, read only |
//! | `READ` | in the default ACL, no value given | 0x00020089 (read object, metadata, attributes, ACL: the mask of the clause's example ACL), read only |
//! | evaluation | "the mask m … is XORed with the mask from the ACE" | OR: a bit allowed twice stays allowed |
//! | `CONTAINER_INHERIT` | "both INHERIT_ONLY and CONTAINER_INHERIT are cleared on the child container" | INHERIT_ONLY cleared, CONTAINER_INHERIT kept: clearing it would leave the grandchildren of the default root ACL with no ACL at all, against NFSv4 (RFC 3530 §5.11.4), which the clause adopts |
//! | decomposition order | "from greatest to least"; its example `"ALL_PERMS, WRITE_OWNER"` cannot arise (ALL_PERMS holds WRITE_OWNER) | numeric order, greatest first |
//!
//! Masks are written canonically by the clause's decomposition: repeatedly the greatest named
//! mask wholly inside what is left (`ALL_PERMS`, `RW_ALL`, `RW` and the single bits, under the
//! object or the container name of each bit), then any bits no name covers, in hexadecimal.
//!
//! ```
//! use cdmi::acl::{Acl, Form, Kind, Mask};
//! use cdmi::object::Mode;
//! let json = serde_json::json!([
//!     {"acetype": "0x00", "identifier": "EVERYONE@", "aceflags": "0x00", "acemask": "0x00020089"},
//! ]);
//! let acl = Acl::from_json(&json, Mode::Strict)?;
//! assert_eq!(acl.0[0].mask, Mask(0x0002_0089));
//! assert_eq!(acl.0[0].mask.to_symbolic(Kind::Object), "READ_ACL, READ_ATTRIBUTES, READ_METADATA, READ_OBJECT");
//! assert_eq!(acl.to_json(Form::Symbolic, Kind::Object)[0]["acetype"], "ALLOW");
//! # Ok::<(), cdmi::Error>(())
//! ```

use crate::object::Mode;
use crate::time::Time;
use crate::{Error, ErrorKind};
use fedcloud_core::Position;
use serde_json::{Map, Value as Json};
use std::fmt;

/// Whether names are chosen for a data object (or queue) or for a container (or domain): the
/// same mask bit has an object name and a container name (`READ_OBJECT` / `LIST_CONTAINER`).
/// When the kind is unknown, the clause says to use the object names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Kind {
    /// A data object or queue (the default).
    #[default]
    Object,
    /// A container or domain.
    Container,
}

/// How ACE fields are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Form {
    /// `"0x…"` strings (the JSON format the clause prescribes for transmission; the default).
    #[default]
    Hex,
    /// Names, by the canonical decomposition.
    Symbolic,
}

/// The type of an ACE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AceType {
    /// 0x0: grants the bits of the mask.
    Allow,
    /// 0x1: denies the bits of the mask.
    Deny,
    /// 0x2: asks for an audit record when the bits are exercised; neither grants nor denies.
    Audit,
    /// Another value (RFC 3530 has ALARM, 0x3): kept, read in lenient mode only, ignored in
    /// evaluation.
    Other(u32),
}

impl AceType {
    /// The numeric value.
    #[must_use]
    pub const fn bits(self) -> u32 {
        match self {
            Self::Allow => 0,
            Self::Deny => 1,
            Self::Audit => 2,
            Self::Other(v) => v,
        }
    }

    /// The type of a numeric value.
    #[must_use]
    pub const fn from_bits(v: u32) -> Self {
        match v {
            0 => Self::Allow,
            1 => Self::Deny,
            2 => Self::Audit,
            v => Self::Other(v),
        }
    }
}

const TYPE_NAMES: &[(&str, u32)] = &[
    ("ALLOW", 0),
    ("CDMI_ACE_ACCESS_ALLOW", 0),
    ("CDMI_ACE_ACCESS_ALLOWED_TYPE", 0),
    ("DENY", 1),
    ("CDMI_ACE_ACCESS_DENY", 1),
    ("CDMI_ACE_ACCESS_DENIED_TYPE", 1),
    ("AUDIT", 2),
    ("CDMI_ACE_SYSTEM_AUDIT", 2),
    ("CDMI_ACE_SYSTEM_AUDIT_TYPE", 2),
];

/// The flags of an ACE (inheritance and the kind of identifier).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AceFlags(pub u32);

impl AceFlags {
    /// `NO_FLAGS`.
    pub const NONE: Self = Self(0);
    /// `OBJECT_INHERIT`: inherited by new data objects and queues.
    pub const OBJECT_INHERIT: Self = Self(0x01);
    /// `CONTAINER_INHERIT`: inherited by new containers.
    pub const CONTAINER_INHERIT: Self = Self(0x02);
    /// `NO_PROPAGATE`: applies to this container only, never inherited.
    pub const NO_PROPAGATE: Self = Self(0x04);
    /// `INHERIT_ONLY`: only for inheritance, ignored in evaluation.
    pub const INHERIT_ONLY: Self = Self(0x08);
    /// `IDENTIFIER_GROUP`: the identifier names a group.
    pub const IDENTIFIER_GROUP: Self = Self(0x40);
    /// `INHERITED`: the ACE came from a parent container.
    pub const INHERITED: Self = Self(0x80);

    /// Whether every bit of `other` is set.
    #[must_use]
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// The flags written canonically (`NO_FLAGS` for none).
    #[must_use]
    pub fn to_symbolic(self) -> String {
        if self.0 == 0 {
            return "NO_FLAGS".into();
        }
        decompose(self.0, FLAG_CANON)
    }
}

impl std::ops::BitOr for AceFlags {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

const FLAG_CANON: &[(u32, &str)] = &[
    (0x80, "INHERITED"),
    (0x40, "IDENTIFIER_GROUP"),
    (0x08, "INHERIT_ONLY"),
    (0x04, "NO_PROPAGATE"),
    (0x02, "CONTAINER_INHERIT"),
    (0x01, "OBJECT_INHERIT"),
];

const FLAG_NAMES: &[(&str, u32)] = &[
    ("NO_FLAGS", 0),
    ("CDMI_ACE_FLAGS_NONE", 0),
    ("OBJECT_INHERIT", 0x01),
    ("CDMI_ACE_FLAGS_OBJECT_INHERIT_ACE", 0x01),
    ("CDMI_ACE_OBJECT_INHERIT_ACE", 0x01),
    ("CONTAINER_INHERIT", 0x02),
    ("CDMI_ACE_FLAGS_CONTAINER_INHERIT_ACE", 0x02),
    ("CDMI_ACE_CONTAINER_INHERIT_ACE", 0x02),
    ("NO_PROPAGATE", 0x04),
    ("CDMI_ACE_FLAGS_NO_PROPAGATE_ACE", 0x04),
    ("CDMI_ACE_NO_PROPAGATE_INHERIT_ACE", 0x04),
    ("INHERIT_ONLY", 0x08),
    ("CDMI_ACE_FLAGS_INHERIT_ONLY_ACE", 0x08),
    ("CDMI_ACE_INHERIT_ONLY_ACE", 0x08),
    ("IDENTIFIER_GROUP", 0x40),
    ("CDMI_ACE_FLAGS_IDENTIFIER_GROUP", 0x40),
    ("INHERITED", 0x80),
    ("CDMI_ACE_FLAGS_INHERITED_ACE", 0x80),
];

/// The access mask of an ACE, or the access a request needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Mask(pub u32);

impl Mask {
    /// `READ_OBJECT` (objects) / `LIST_CONTAINER` (containers).
    pub const READ_OBJECT: Self = Self(0x0000_0001);
    /// `LIST_CONTAINER`, the container name of bit 0x1.
    pub const LIST_CONTAINER: Self = Self(0x0000_0001);
    /// `WRITE_OBJECT` / `ADD_OBJECT`.
    pub const WRITE_OBJECT: Self = Self(0x0000_0002);
    /// `ADD_OBJECT`, the container name of bit 0x2.
    pub const ADD_OBJECT: Self = Self(0x0000_0002);
    /// `APPEND_DATA` / `ADD_SUBCONTAINER`.
    pub const APPEND_DATA: Self = Self(0x0000_0004);
    /// `ADD_SUBCONTAINER`, the container name of bit 0x4.
    pub const ADD_SUBCONTAINER: Self = Self(0x0000_0004);
    /// `READ_METADATA`.
    pub const READ_METADATA: Self = Self(0x0000_0008);
    /// `WRITE_METADATA`.
    pub const WRITE_METADATA: Self = Self(0x0000_0010);
    /// `EXECUTE` / `TRAVERSE_CONTAINER` (the table's value, 0x20).
    pub const EXECUTE: Self = Self(0x0000_0020);
    /// `TRAVERSE_CONTAINER`, the container name of bit 0x20.
    pub const TRAVERSE_CONTAINER: Self = Self(0x0000_0020);
    /// `DELETE_OBJECT` / `DELETE_SUBCONTAINER`: delete a child.
    pub const DELETE_OBJECT: Self = Self(0x0000_0040);
    /// `DELETE_SUBCONTAINER`, the container name of bit 0x40.
    pub const DELETE_SUBCONTAINER: Self = Self(0x0000_0040);
    /// `READ_ATTRIBUTES`: the fields other than value, children and metadata.
    pub const READ_ATTRIBUTES: Self = Self(0x0000_0080);
    /// `WRITE_ATTRIBUTES`.
    pub const WRITE_ATTRIBUTES: Self = Self(0x0000_0100);
    /// `WRITE_RETENTION`.
    pub const WRITE_RETENTION: Self = Self(0x0000_0200);
    /// `WRITE_RETENTION_HOLD`.
    pub const WRITE_RETENTION_HOLD: Self = Self(0x0000_0400);
    /// `DELETE`: delete the object itself.
    pub const DELETE: Self = Self(0x0001_0000);
    /// `READ_ACL`.
    pub const READ_ACL: Self = Self(0x0002_0000);
    /// `WRITE_ACL`.
    pub const WRITE_ACL: Self = Self(0x0004_0000);
    /// `WRITE_OWNER`.
    pub const WRITE_OWNER: Self = Self(0x0008_0000);
    /// `SYNCHRONIZE`.
    pub const SYNCHRONIZE: Self = Self(0x0010_0000);
    /// `ALL_PERMS`: every bit above.
    pub const ALL_PERMS: Self = Self(0x001F_07FF);
    /// `RW_ALL` (the table's value).
    pub const RW_ALL: Self = Self(0x0006_006F);
    /// `RW`: read, write, append, read and write metadata.
    pub const RW: Self = Self(0x0000_001F);
    /// `READ_ALL` (read only; the worked example's 0x09).
    pub const READ_ALL: Self = Self(0x0000_0009);
    /// `READ` (read only; the default ACL names it without a value: read object, metadata,
    /// attributes and ACL).
    pub const READ: Self = Self(0x0002_0089);

    /// Whether every bit of `other` is set.
    #[must_use]
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether no bit is set.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The mask written canonically for `kind`: the clause's decomposition, greatest named mask
    /// first, joined by `", "`; bits no name covers last, as one hexadecimal item; `0x00000000`
    /// for no bits.
    #[must_use]
    pub fn to_symbolic(self, kind: Kind) -> String {
        if self.0 == 0 {
            return "0x00000000".into();
        }
        decompose(
            self.0,
            match kind {
                Kind::Object => MASK_CANON_OBJECT,
                Kind::Container => MASK_CANON_CONTAINER,
            },
        )
    }
}

impl std::ops::BitOr for Mask {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

/// The decomposition tables, greatest first.
const MASK_CANON_OBJECT: &[(u32, &str)] = &[
    (0x001F_07FF, "ALL_PERMS"),
    (0x0010_0000, "SYNCHRONIZE"),
    (0x0008_0000, "WRITE_OWNER"),
    (0x0006_006F, "RW_ALL"),
    (0x0004_0000, "WRITE_ACL"),
    (0x0002_0000, "READ_ACL"),
    (0x0001_0000, "DELETE"),
    (0x0000_0400, "WRITE_RETENTION_HOLD"),
    (0x0000_0200, "WRITE_RETENTION"),
    (0x0000_0100, "WRITE_ATTRIBUTES"),
    (0x0000_0080, "READ_ATTRIBUTES"),
    (0x0000_0040, "DELETE_OBJECT"),
    (0x0000_0020, "EXECUTE"),
    (0x0000_001F, "RW"),
    (0x0000_0010, "WRITE_METADATA"),
    (0x0000_0008, "READ_METADATA"),
    (0x0000_0004, "APPEND_DATA"),
    (0x0000_0002, "WRITE_OBJECT"),
    (0x0000_0001, "READ_OBJECT"),
];

const MASK_CANON_CONTAINER: &[(u32, &str)] = &[
    (0x001F_07FF, "ALL_PERMS"),
    (0x0010_0000, "SYNCHRONIZE"),
    (0x0008_0000, "WRITE_OWNER"),
    (0x0006_006F, "RW_ALL"),
    (0x0004_0000, "WRITE_ACL"),
    (0x0002_0000, "READ_ACL"),
    (0x0001_0000, "DELETE"),
    (0x0000_0400, "WRITE_RETENTION_HOLD"),
    (0x0000_0200, "WRITE_RETENTION"),
    (0x0000_0100, "WRITE_ATTRIBUTES"),
    (0x0000_0080, "READ_ATTRIBUTES"),
    (0x0000_0040, "DELETE_SUBCONTAINER"),
    (0x0000_0020, "TRAVERSE_CONTAINER"),
    (0x0000_001F, "RW"),
    (0x0000_0010, "WRITE_METADATA"),
    (0x0000_0008, "READ_METADATA"),
    (0x0000_0004, "ADD_SUBCONTAINER"),
    (0x0000_0002, "ADD_OBJECT"),
    (0x0000_0001, "LIST_CONTAINER"),
];

/// Every name a mask item may have: the short forms of both kinds, the table's constants, the
/// grammar's constants, and the two names the table lacks.
const MASK_NAMES: &[(&str, u32)] = &[
    ("READ_OBJECT", 0x01),
    ("LIST_CONTAINER", 0x01),
    ("WRITE_OBJECT", 0x02),
    ("ADD_OBJECT", 0x02),
    ("APPEND_DATA", 0x04),
    ("ADD_SUBCONTAINER", 0x04),
    ("READ_METADATA", 0x08),
    ("WRITE_METADATA", 0x10),
    ("EXECUTE", 0x20),
    ("TRAVERSE_CONTAINER", 0x20),
    ("DELETE_OBJECT", 0x40),
    ("DELETE_SUBCONTAINER", 0x40),
    ("READ_ATTRIBUTES", 0x80),
    ("WRITE_ATTRIBUTES", 0x100),
    ("WRITE_RETENTION", 0x200),
    ("SET_RETENTION", 0x200),
    ("WRITE_RETENTION_HOLD", 0x400),
    ("DELETE", 0x1_0000),
    ("READ_ACL", 0x2_0000),
    ("WRITE_ACL", 0x4_0000),
    ("WRITE_OWNER", 0x8_0000),
    ("SYNCHRONIZE", 0x10_0000),
    ("ALL_PERMS", 0x001F_07FF),
    ("RW_ALL", 0x0006_006F),
    ("RW", 0x1F),
    ("READ_ALL", 0x09),
    ("READ", 0x0002_0089),
];

/// `bits` by the greatest-first decomposition of `table`, the uncovered rest in hexadecimal.
fn decompose(mut bits: u32, table: &[(u32, &str)]) -> String {
    let mut out = String::new();
    for &(m, name) in table {
        if bits == 0 {
            break;
        }
        if bits & m == m {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(name);
            bits ^= m;
        }
    }
    if bits != 0 {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&format!("0x{bits:08X}"));
    }
    out
}

/// A special identifier (the clause's "who" table), or a named user or group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Who<'a> {
    /// `OWNER@`: the owner of the object.
    Owner,
    /// `GROUP@`: the group of the object.
    Group,
    /// `EVERYONE@`: anyone.
    Everyone,
    /// `ANONYMOUS@`: a request without authentication.
    Anonymous,
    /// `AUTHENTICATED@`: any authenticated requester.
    Authenticated,
    /// `ADMINISTRATOR@`: a requester with administrative status.
    Administrator,
    /// `ADMINUSERS@`: a member of the administrative group.
    AdminUsers,
    /// A user, or a group when the ACE has `IDENTIFIER_GROUP`.
    Named(&'a str),
}

impl<'a> Who<'a> {
    /// The special identifier `s` names, or [`Who::Named`].
    #[must_use]
    pub fn of(s: &'a str) -> Self {
        match s {
            "OWNER@" => Self::Owner,
            "GROUP@" => Self::Group,
            "EVERYONE@" => Self::Everyone,
            "ANONYMOUS@" => Self::Anonymous,
            "AUTHENTICATED@" => Self::Authenticated,
            "ADMINISTRATOR@" => Self::Administrator,
            "ADMINUSERS@" => Self::AdminUsers,
            s => Self::Named(s),
        }
    }
}

/// One access control entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Ace {
    /// Allow, deny or audit.
    pub ace_type: AceType,
    /// The principal: a special identifier (`OWNER@`, …; see [`Who`]) or a user or group name.
    pub identifier: String,
    /// Inheritance and identifier flags.
    pub flags: AceFlags,
    /// The access bits.
    pub mask: Mask,
    /// When the ACE stops counting (the expire_ace annex of 2.0.0); absent for most ACEs.
    pub expiration: Option<Time>,
    /// Members of the ACE object this crate does not know (`acetime`, vendor fields), kept in
    /// their order and written back.
    pub other: Vec<(String, Json)>,
}

impl Ace {
    /// An ACE with no expiration and no other members.
    #[must_use]
    pub fn new(
        ace_type: AceType,
        identifier: impl Into<String>,
        flags: AceFlags,
        mask: Mask,
    ) -> Self {
        Self {
            ace_type,
            identifier: identifier.into(),
            flags,
            mask,
            expiration: None,
            other: Vec::new(),
        }
    }

    /// The ACE as a JSON object in `form`, mask names chosen for `kind`.
    #[must_use]
    pub fn to_json(&self, form: Form, kind: Kind) -> Json {
        let mut m = Map::new();
        let (t, f, k) = match form {
            Form::Hex => (
                format!("0x{:02X}", self.ace_type.bits()),
                format!("0x{:02X}", self.flags.0),
                format!("0x{:08X}", self.mask.0),
            ),
            Form::Symbolic => (
                match self.ace_type {
                    AceType::Allow => "ALLOW".into(),
                    AceType::Deny => "DENY".into(),
                    AceType::Audit => "AUDIT".into(),
                    AceType::Other(v) => format!("0x{v:02X}"),
                },
                self.flags.to_symbolic(),
                self.mask.to_symbolic(kind),
            ),
        };
        m.insert("acetype".into(), t.into());
        m.insert("identifier".into(), self.identifier.clone().into());
        m.insert("aceflags".into(), f.into());
        m.insert("acemask".into(), k.into());
        if let Some(e) = self.expiration {
            m.insert("expiration".into(), e.to_string().into());
        }
        for (name, v) in &self.other {
            m.insert(name.clone(), v.clone());
        }
        Json::Object(m)
    }

    /// Whether this ACE refers to `who` for an object owned by `on`.
    fn refers_to(&self, who: &Requester<'_>, on: &Target<'_>) -> bool {
        match Who::of(&self.identifier) {
            Who::Owner => on.owner.is_some_and(|o| o == who.name),
            Who::Group => on.group.is_some_and(|g| who.groups.contains(&g)),
            Who::Everyone => true,
            Who::Anonymous => !who.authenticated,
            Who::Authenticated => who.authenticated,
            Who::Administrator => who.administrator,
            Who::AdminUsers => who.admin_user,
            Who::Named(n) if self.flags.contains(AceFlags::IDENTIFIER_GROUP) => {
                who.groups.contains(&n)
            }
            Who::Named(n) => who.name == n,
        }
    }
}

/// Why an ACL or ACE was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AclProblem {
    /// `cdmi_acl` is not a JSON array.
    NotArray,
    /// An ACE that is not a JSON object.
    NotObject,
    /// An ACE without one of its four members.
    Missing(&'static str),
    /// A member of the wrong JSON type (a number is read only in lenient mode).
    WrongType(&'static str),
    /// A field whose text is empty, or an empty item between separators, at `offset` in the
    /// member's text.
    EmptyItem {
        /// The member.
        field: &'static str,
        /// The byte offset in its text.
        offset: usize,
    },
    /// A name none of the tables has, at `offset`.
    UnknownName {
        /// The member.
        field: &'static str,
        /// The byte offset in its text.
        offset: usize,
        /// The name.
        name: String,
    },
    /// A hexadecimal item that is not `0x` and one to eight hexadecimal digits, at `offset`.
    BadHex {
        /// The member.
        field: &'static str,
        /// The byte offset in its text.
        offset: usize,
    },
    /// An `acetype` that is more than one item.
    TypeList,
    /// An `acetype` value the clause does not define (read in lenient mode).
    UnknownType(u32),
    /// An `expiration` that is no CDMI time; the text is the time reader's.
    Expiration(String),
    /// More ACEs than the limit.
    TooManyAces(usize),
}

impl fmt::Display for AclProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotArray => f.write_str("cdmi_acl is not an array of ACEs"),
            Self::NotObject => f.write_str("not an ACE object"),
            Self::Missing(m) => write!(f, "no {m}"),
            Self::WrongType(m) => write!(f, "{m} is not a string"),
            Self::EmptyItem { field, offset } => {
                write!(f, "{field}: empty item at offset {offset}")
            }
            Self::UnknownName {
                field,
                offset,
                name,
            } => write!(f, "{field}: unknown name {name:?} at offset {offset}"),
            Self::BadHex { field, offset } => {
                write!(
                    f,
                    "{field}: not 0x and 1 to 8 hexadecimal digits at offset {offset}"
                )
            }
            Self::TypeList => f.write_str("acetype holds more than one item"),
            Self::UnknownType(v) => write!(f, "acetype 0x{v:02X} is none of ALLOW, DENY, AUDIT"),
            Self::Expiration(e) => write!(f, "expiration: {e}"),
            Self::TooManyAces(n) => write!(f, "more than {n} ACEs"),
        }
    }
}

/// The largest ACL [`Acl::from_json`] reads (1024 ACEs); see [`Acl::from_json_with_limit`].
pub const MAX_ACES: usize = 1024;

/// An access control list: ACEs in evaluation order (the server keeps the client's order).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Acl(pub Vec<Ace>);

impl Acl {
    /// The ACL a server places on a new root container given none (the clause's default):
    /// the owner may do everything, authenticated users may read; both inherited by objects
    /// and containers.
    #[must_use]
    pub fn default_root() -> Self {
        let inherit = AceFlags::OBJECT_INHERIT | AceFlags::CONTAINER_INHERIT;
        Self(vec![
            Ace::new(AceType::Allow, "OWNER@", inherit, Mask::ALL_PERMS),
            Ace::new(AceType::Allow, "AUTHENTICATED@", inherit, Mask::READ),
        ])
    }

    /// The ACL a server places on a new object given none and inheriting none: the owner
    /// may do everything.
    #[must_use]
    pub fn default_object() -> Self {
        let inherit = AceFlags::OBJECT_INHERIT | AceFlags::CONTAINER_INHERIT;
        Self(vec![Ace::new(
            AceType::Allow,
            "OWNER@",
            inherit,
            Mask::ALL_PERMS,
        )])
    }

    /// Reads `cdmi_acl` (at most [`MAX_ACES`] entries).
    ///
    /// Strict mode reads the clause's forms: strings, names of any of the tables, either
    /// separator, `0x` hexadecimal. Lenient mode also reads names in any letter case, JSON
    /// numbers, `0X`, items in double quotes (as the worked examples write them), and
    /// `acetype` values the clause does not define.
    ///
    /// # Errors
    /// `Acl` with the index of the ACE and the [`AclProblem`].
    pub fn from_json(v: &Json, mode: Mode) -> Result<Self, Error> {
        Self::from_json_with_limit(v, mode, MAX_ACES)
    }

    /// [`Acl::from_json`] with another limit on the number of ACEs.
    ///
    /// # Errors
    /// As [`Acl::from_json`]; `TooManyAces` beyond `max_aces`.
    pub fn from_json_with_limit(v: &Json, mode: Mode, max_aces: usize) -> Result<Self, Error> {
        let fail = |ace: Option<usize>, problem| {
            Error::new(ErrorKind::Acl { ace, problem }, Position::START)
        };
        let Some(items) = v.as_array() else {
            return Err(fail(None, AclProblem::NotArray));
        };
        if items.len() > max_aces {
            return Err(fail(None, AclProblem::TooManyAces(max_aces)));
        }
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(read_ace(item, mode).map_err(|p| fail(Some(i), p))?);
        }
        Ok(Self(out))
    }

    /// The JSON array in `form`, mask names chosen for `kind`.
    #[must_use]
    pub fn to_json(&self, form: Form, kind: Kind) -> Json {
        Json::Array(self.0.iter().map(|a| a.to_json(form, kind)).collect())
    }

    /// The ACL a new child of this container inherits (`kind` is the child's):
    /// - a data object or queue gets each ACE with `OBJECT_INHERIT` as an effective ACE, its
    ///   inheritance flags cleared;
    /// - a container gets each ACE with `CONTAINER_INHERIT` as an effective ACE that keeps
    ///   inheriting (`INHERIT_ONLY` cleared), and each ACE with only `OBJECT_INHERIT` as an
    ///   inherit-only ACE that passes it on to the container's objects;
    /// - ACEs with `NO_PROPAGATE` are never inherited;
    /// - every inherited ACE is flagged `INHERITED`.
    ///
    /// An empty result means the child inherits nothing (the server then places
    /// [`Acl::default_object`]).
    #[must_use]
    pub fn inherited(&self, kind: Kind) -> Self {
        let (oi, ci, np, io) = (0x01, 0x02, 0x04, 0x08);
        let mut out = Vec::new();
        for ace in &self.0 {
            let f = ace.flags.0;
            if f & np != 0 {
                continue;
            }
            let flags = match kind {
                Kind::Object if f & oi != 0 => f & !(oi | ci | io),
                Kind::Object => continue,
                Kind::Container if f & ci != 0 => f & !io,
                Kind::Container if f & oi != 0 => f | io,
                Kind::Container => continue,
            };
            let mut child = ace.clone();
            child.flags = AceFlags(flags | AceFlags::INHERITED.0);
            out.push(child);
        }
        Self(out)
    }
}

fn read_ace(item: &Json, mode: Mode) -> Result<Ace, AclProblem> {
    let Some(obj) = item.as_object() else {
        return Err(AclProblem::NotObject);
    };
    let field = |name: &'static str| -> Result<Field<'_>, AclProblem> {
        match obj.get(name) {
            None => Err(AclProblem::Missing(name)),
            Some(Json::String(s)) => Ok(Field::Text(s)),
            Some(Json::Number(n)) if mode == Mode::Lenient && name != "identifier" => n
                .as_u64()
                .and_then(|v| u32::try_from(v).ok())
                .map(Field::Number)
                .ok_or(AclProblem::WrongType(name)),
            Some(_) => Err(AclProblem::WrongType(name)),
        }
    };
    let ace_type = match field("acetype")? {
        Field::Number(v) => AceType::from_bits(v),
        Field::Text(s) => {
            let (v, items) = parse_bits(s, "acetype", TYPE_NAMES, mode)?;
            if items > 1 {
                return Err(AclProblem::TypeList);
            }
            AceType::from_bits(v)
        }
    };
    if let (AceType::Other(v), Mode::Strict) = (ace_type, mode) {
        return Err(AclProblem::UnknownType(v));
    }
    let Field::Text(identifier) = field("identifier")? else {
        return Err(AclProblem::WrongType("identifier"));
    };
    let bits = |name: &'static str, table| -> Result<u32, AclProblem> {
        match field(name)? {
            Field::Number(v) => Ok(v),
            Field::Text(s) => parse_bits(s, name, table, mode).map(|(v, _)| v),
        }
    };
    let flags = AceFlags(bits("aceflags", FLAG_NAMES)?);
    let mask = Mask(bits("acemask", MASK_NAMES)?);
    let expiration = match obj.get("expiration") {
        None => None,
        Some(Json::String(s)) => Some(
            match mode {
                Mode::Strict => s.parse::<Time>(),
                _ => Time::parse_lenient(s),
            }
            .map_err(|e| AclProblem::Expiration(e.kind().to_string()))?,
        ),
        Some(_) => return Err(AclProblem::WrongType("expiration")),
    };
    let other = obj
        .iter()
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "acetype" | "identifier" | "aceflags" | "acemask" | "expiration"
            )
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(Ace {
        ace_type,
        identifier: identifier.to_owned(),
        flags,
        mask,
        expiration,
        other,
    })
}

enum Field<'a> {
    Text(&'a str),
    Number(u32),
}

/// The bits of `s`, a list of names of `table` and `0x` numbers joined by `,` or `|`, and the
/// number of items.
fn parse_bits(
    s: &str,
    field: &'static str,
    table: &[(&str, u32)],
    mode: Mode,
) -> Result<(u32, usize), AclProblem> {
    let lenient = mode == Mode::Lenient;
    // Only mask constants are spelled as `CDMI_ACE_` and a short name.
    let prefixed = field == "acemask";
    let mut bits = 0u32;
    let mut items = 0usize;
    let mut start = 0usize;
    for raw in s.split([',', '|']) {
        let lead = raw.len() - raw.trim_start_matches([' ', '\t']).len();
        let offset = start + lead;
        start += raw.len() + 1;
        let mut item = raw.trim_matches([' ', '\t']);
        if lenient && item.len() >= 2 && item.starts_with('"') && item.ends_with('"') {
            item = item.get(1..item.len() - 1).unwrap_or(item);
        }
        if item.is_empty() {
            return Err(AclProblem::EmptyItem { field, offset });
        }
        bits |= parse_item(item, table, prefixed, lenient).map_err(|hex| {
            if hex {
                AclProblem::BadHex { field, offset }
            } else {
                AclProblem::UnknownName {
                    field,
                    offset,
                    name: item.to_owned(),
                }
            }
        })?;
        items += 1;
    }
    Ok((bits, items))
}

/// One item: `Err(true)` for a bad number, `Err(false)` for an unknown name.
fn parse_item(
    item: &str,
    table: &[(&str, u32)],
    prefixed: bool,
    lenient: bool,
) -> Result<u32, bool> {
    let digits = item
        .strip_prefix("0x")
        .or_else(|| item.strip_prefix("0X").filter(|_| lenient));
    if let Some(d) = digits {
        if d.is_empty() || d.len() > 8 || !d.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(true);
        }
        return u32::from_str_radix(d, 16).map_err(|_| true);
    }
    if item.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return Err(true);
    }
    let same = |a: &str, b: &str| {
        if lenient {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    let find = |name: &str| table.iter().find(|&&(t, _)| same(t, name)).map(|&(_, v)| v);
    // The mask table lists the short names; its constants are `CDMI_ACE_` and the short name.
    let constant = || {
        let prefix = item.get(..9).filter(|p| same(p, "CDMI_ACE_"))?;
        find(&item[prefix.len()..])
    };
    find(item)
        .or_else(|| if prefixed { constant() } else { None })
        .ok_or(false)
}

/// The requester of an operation, as the server's authentication resolved it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Requester<'a> {
    /// The user name, as ACE identifiers name users.
    pub name: &'a str,
    /// The groups the user is a member of.
    pub groups: &'a [&'a str],
    /// Whether the request was authenticated (`AUTHENTICATED@` versus `ANONYMOUS@`).
    pub authenticated: bool,
    /// Whether the user has administrative status (`ADMINISTRATOR@`).
    pub administrator: bool,
    /// Whether the user is a member of the administrative group (`ADMINUSERS@`).
    pub admin_user: bool,
}

/// The object an operation is on, as far as its ACL's evaluation needs it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Target<'a> {
    /// `cdmi_owner`.
    pub owner: Option<&'a str>,
    /// The object's group (`GROUP@`).
    pub group: Option<&'a str>,
    /// Whether the object is a root container: when no ACE decides, its owner and the
    /// administrators are let in (and the server logs it).
    pub root_container: bool,
}

/// How a deny ACE is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DenyRule {
    /// The clause's rule (the default): a deny ACE that holds any of the requested bits
    /// denies.
    #[default]
    AnyRequested,
    /// NFSv4's rule (RFC 3530 §5.11.2): a deny ACE denies only bits not yet allowed by an
    /// earlier ACE.
    NotYetAllowed,
}

/// What evaluation decided, and which ACE decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decision {
    /// Allowed: the ACE at this index completed the requested bits.
    Allowed(usize),
    /// Denied by the deny ACE at this index.
    Denied(usize),
    /// Denied: no ACE allowed every requested bit.
    NotAllowed,
    /// Denied: the object has no ACL.
    NoAcl,
    /// Allowed, although no ACE allowed it: the object is a root container and the requester
    /// its owner or an administrator. The clause requires the server to log an event.
    RootFallback,
}

impl Decision {
    /// Whether access is granted.
    #[must_use]
    pub const fn is_allowed(self) -> bool {
        matches!(self, Self::Allowed(_) | Self::RootFallback)
    }
}

/// The evaluation of requests against ACLs: the clause's algorithm, with the instant
/// expiring ACEs are compared with and the rule for deny ACEs.
///
/// ```
/// use cdmi::acl::{Acl, Decision, Evaluator, Mask, Requester, Target};
/// let acl = Acl::default_root().inherited(cdmi::acl::Kind::Object);
/// let alice = Requester { name: "alice", authenticated: true, ..Requester::default() };
/// let object = Target { owner: Some("bob"), ..Target::default() };
/// let e = Evaluator::default();
/// assert_eq!(e.evaluate(Some(&acl), &alice, &object, Mask::READ_OBJECT), Decision::Allowed(1));
/// assert_eq!(e.evaluate(Some(&acl), &alice, &object, Mask::WRITE_OBJECT), Decision::NotAllowed);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Evaluator {
    /// ACEs that expire before this instant are skipped; `None` keeps every ACE.
    pub now: Option<Time>,
    /// How deny ACEs match.
    pub deny: DenyRule,
}

impl Evaluator {
    /// Evaluates whether `who` may do what needs `wanted` on `on`, whose ACL (after
    /// inheritance) is `acl`: the ACEs in order, those that do not refer to `who`, that are
    /// inherit-only, audit ACEs or expired skipped; a matching deny decides; allows
    /// accumulate until they cover `wanted`.
    #[must_use]
    pub fn evaluate(
        &self,
        acl: Option<&Acl>,
        who: &Requester<'_>,
        on: &Target<'_>,
        wanted: Mask,
    ) -> Decision {
        let Some(acl) = acl else {
            return Decision::NoAcl;
        };
        let mut allowed = 0u32;
        for (i, ace) in acl.0.iter().enumerate() {
            if ace.flags.contains(AceFlags::INHERIT_ONLY) || !ace.refers_to(who, on) {
                continue;
            }
            if let (Some(now), Some(exp)) = (self.now, ace.expiration)
                && exp < now
            {
                continue;
            }
            match ace.ace_type {
                AceType::Deny => {
                    let considered = match self.deny {
                        DenyRule::AnyRequested => wanted.0,
                        DenyRule::NotYetAllowed => wanted.0 & !allowed,
                    };
                    if ace.mask.0 & considered != 0 {
                        return Decision::Denied(i);
                    }
                }
                AceType::Allow => {
                    allowed |= ace.mask.0;
                    if allowed & wanted.0 == wanted.0 {
                        return Decision::Allowed(i);
                    }
                }
                AceType::Audit | AceType::Other(_) => {}
            }
        }
        let owner = on.owner.is_some_and(|o| o == who.name);
        if on.root_container && (owner || who.administrator || who.admin_user) {
            return Decision::RootFallback;
        }
        Decision::NotAllowed
    }
}

#[cfg(test)]
mod tests;
