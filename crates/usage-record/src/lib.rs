#![doc = include_str!("../README.md")]

pub mod apel;
pub mod convert;
mod finding;
mod json;
mod xml;
pub mod xsd;

pub use fedcloud_core;
pub use finding::{Code, Finding, Severity};
