#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod dn;
mod error;
mod fqan;
mod limits;
mod position;
mod time;

pub use dn::{AttributeType, AttributeValue, Ava, Dn, Rdn};
pub use error::{Error, ErrorKind};
pub use fqan::{Fqan, FqanPattern, FqanSyntax};
pub use limits::TextLimits;
pub use position::{LineIndex, Position, Span};
pub use time::{Clock, DateTimeParts, FixedClock, SystemClock, UtcTime};

#[cfg(feature = "der")]
pub use der;
#[cfg(feature = "der")]
pub use x509_cert;
