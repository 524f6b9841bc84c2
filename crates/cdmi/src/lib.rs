#![doc = include_str!("../README.md")]

pub mod crc;
mod error;
pub mod objectid;

pub use error::{Error, ErrorKind};
pub use fedcloud_core;
pub use objectid::ObjectId;
