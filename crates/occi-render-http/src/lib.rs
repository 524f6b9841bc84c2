#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod client;
mod entity;
mod error;
mod json;
mod jsonread;
mod jsonstream;
mod jsontree;
mod media;
mod message;
mod options;
pub mod protocol;
mod quoted;
mod render;
mod stream;
mod text;
mod typing;

pub use error::{Error, ErrorKind};
pub use json::{render_json, render_json_collection, render_json_value};
pub use jsonstream::JsonCollectionReader;
pub use media::{MediaType, render};
pub use message::{AttributeSpec, CategoryRendering, Composition, LinkRendering, Message};
pub use occi_model;
pub use options::{Leniency, Limits, Mode, Warning};
pub use render::{
    HeaderBudget, HeaderRendering, OverBudget, header_values, render_headers, render_plain,
};
pub use stream::{Item, PlainReader, UriListReader, parse_uri_list, render_uri_list};
pub use text::{Parsed, Parser};
