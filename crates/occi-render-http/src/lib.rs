#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod client;
mod entity;
mod error;
mod json;
mod media;
mod message;
mod options;
mod parser;
pub mod protocol;
mod stream;
mod text;
mod typing;
mod urilist;
mod validate;

pub use error::{Error, ErrorKind};
pub use json::stream::JsonCollectionReader;
pub use json::{render_json, render_json_collection, render_json_value};
pub use media::{Loss, MediaType, losses, render};
pub use message::{AttributeSpec, CategoryRendering, Composition, LinkRendering, Message};
pub use occi_model;
pub use options::{Leniency, Limits, Mode, Warning};
pub use parser::{Parsed, Parser};
pub use stream::Item;
pub use text::header_values;
pub use text::occi::{HeaderBudget, HeaderRendering, OverBudget, render_headers};
pub use text::plain::{PlainReader, render_plain};
pub use urilist::{UriListReader, parse_uri_list, render_uri_list};
pub use validate::Violation;
