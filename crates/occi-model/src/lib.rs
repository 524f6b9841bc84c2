#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod attribute;
mod builtin;
mod category;
mod entity;
mod error;
mod ident;
mod model;
mod state;
mod validate;

pub use attribute::{AttributeDefinition, AttributeType, AttributeValue, Pattern, ValueProblem};
pub use builtin::ids;
pub use category::{Action, Category, CategoryClass, Kind, Mixin};
pub use entity::{ActionInvocation, Attributes, Entity, Link, Resource};
pub use error::{Error, ErrorKind, Location};
pub use fedcloud_core;
pub use ident::{
    AttributeName, CategoryId, CategoryRef, EntityId, MAX_IDENTIFIER_BYTES, RESERVED_SCHEME_BASE,
    Scheme, Term,
};
pub use model::{Association, EffectiveAttribute, Model, QueryInterface, TemplateFamily};
pub use state::{
    ActionPlan, RestartMethod, SaveMethod, StateMachine, StopMethod, SuspendMethod, Transition,
};
pub use validate::{
    Code, EntityView, Finding, Operation, Report, Severity, UnknownCategories, ValidationOptions,
};

use std::fmt;
use std::str::FromStr;

/// The OCCI version whose grammar and model a registry follows.
///
/// | | OCCI 1.1 (2011) | OCCI 1.2 (2016) |
/// |---|---|---|
/// | Core | GFD.183 | GFD.221 |
/// | Infrastructure | GFD.184 | GFD.224 |
/// | text rendering / protocol | GFD.185 | GFD.229 / GFD.223 |
/// | term | `LOALPHA *(LOALPHA / DIGIT / "-" / "_")` | `(ALPHA / DIGIT) *(ALPHA / DIGIT / "-" / "_" / ".")` |
/// | attribute name | dot-separated 1.1 terms | a 1.2 term |
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum OcciVersion {
    /// OCCI 1.1.
    #[cfg_attr(feature = "serde", serde(rename = "1.1"))]
    V1_1,
    /// OCCI 1.2.
    #[default]
    #[cfg_attr(feature = "serde", serde(rename = "1.2"))]
    V1_2,
}

impl OcciVersion {
    /// `1.1` or `1.2`, as in the `OCCI/1.2` product token.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::V1_1 => "1.1",
            Self::V1_2 => "1.2",
        }
    }
}

impl fmt::Display for OcciVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OcciVersion {
    type Err = Error;

    /// # Errors
    /// Anything but `1.1` or `1.2` (`UnknownVersion`).
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "1.1" => Ok(Self::V1_1),
            "1.2" => Ok(Self::V1_2),
            _ => Err(Error::new(
                ErrorKind::UnknownVersion,
                Location::Text(fedcloud_core::Position::START),
            )),
        }
    }
}
