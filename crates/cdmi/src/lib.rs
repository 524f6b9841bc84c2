#![doc = include_str!("../README.md")]

pub mod acl;
pub mod capabilities;
#[cfg(feature = "client")]
pub mod client;
pub mod crc;
mod error;
pub mod exports;
pub mod http;
pub mod media;
pub mod metadata;
pub mod multipart;
pub mod object;
pub mod objectid;
pub mod query;
#[cfg(feature = "server")]
pub mod server;
pub mod time;
pub mod value;
pub mod version;

pub use error::{Error, ErrorKind};
pub use fedcloud_core;
pub use media::ObjectType;
pub use objectid::ObjectId;
pub use version::Version;
