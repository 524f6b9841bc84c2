#![doc = include_str!("../README.md")]

mod locate;
mod model;
mod parse;
mod problem;
mod render;
mod subscription;
mod verify;
mod version;

pub use fedcloud_core;
pub use model::{Count, Endorser, Form, Image, ImageList};
pub use parse::{Limits, Options, Parsed, Profile, parse};
pub use problem::{Code, Error, Problem, Severity};
pub use subscription::{Event, Policy, Refusal, Subscription, Verdict, update};
pub use verify::{ImageVerifier, Mismatch};
pub use version::compare_versions;

#[cfg(test)]
mod tests;
