//! The subscription life cycle as a pure function: from the last accepted list, the new one
//! and a policy to a verdict and the events a subscriber acts on (vmcatcher's rules and codes;
//! no database, no downloads, no hooks).

use crate::model::{Image, ImageList};
use crate::version::compare_versions;
use fedcloud_core::UtcTime;
use std::cmp::Ordering;
use std::collections::HashMap;

/// What the subscriber decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Policy {
    /// "Now", for the list's validity window and the images' own expiry.
    pub now: UtcTime,
    /// Take images that appear in an update (vmcatcher `updateMode` bit 1); otherwise they
    /// are refused with a warning. The images of a first subscription are always taken.
    pub accept_new_images: bool,
}

impl Policy {
    /// The policy at `now`, refusing images new in an update.
    #[must_use]
    pub const fn new(now: UtcTime) -> Self {
        Self {
            now,
            accept_new_images: false,
        }
    }
}

/// What the subscriber holds: the last accepted list of this subscription (with its bytes),
/// and the lists of its other subscriptions (which own their images' identifiers).
#[derive(Debug, Clone, Copy, Default)]
pub struct Subscription<'a> {
    /// The last accepted list and the bytes it was read from.
    pub previous: Option<(&'a ImageList, &'a [u8])>,
    /// The current lists of the other subscriptions.
    pub others: &'a [&'a ImageList],
}

/// Why an update is refused as a whole, with vmcatcher's exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// Another `dc:identifier` than the subscription's (31).
    ListIdentifier {
        /// The subscription's.
        expected: String,
        /// The new list's.
        found: String,
    },
    /// `dc:date:created` after now (33).
    CreatedInFuture,
    /// `dc:date:expires` before now (34).
    Expired,
    /// `hv:version` lower than the accepted one (17).
    VersionDecreased {
        /// The accepted version.
        accepted: String,
        /// The new one.
        found: String,
    },
}

impl Refusal {
    /// vmcatcher's exit code.
    #[must_use]
    pub const fn vmcatcher_code(&self) -> u8 {
        match self {
            Self::ListIdentifier { .. } => 31,
            Self::CreatedInFuture => 33,
            Self::Expired => 34,
            Self::VersionDecreased { .. } => 17,
        }
    }
}

/// Something that happened to one image.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// An image to offer that the subscription did not hold.
    New {
        /// Its `dc:identifier`.
        identifier: String,
    },
    /// An image held before and absent now: expire it.
    Removed {
        /// Its `dc:identifier`.
        identifier: String,
    },
    /// What would be downloaded changed (`hv:uri`, `sl:checksum:sha512`, `hv:size` or
    /// `hv:version`, cloudkeeper's image digest): download again.
    PayloadChanged {
        /// Its `dc:identifier`.
        identifier: String,
    },
    /// Only the description changed (title, OS, `ad:*`, …): update the metadata.
    MetadataChanged {
        /// Its `dc:identifier`.
        identifier: String,
    },
    /// The image's own `dc:date:expires` has passed: not offered (expired if it was).
    ImageExpired {
        /// Its `dc:identifier`.
        identifier: String,
    },
    /// Another subscription's list owns this identifier: ignored (vmcatcher calls it
    /// hostile; code 32).
    Clash {
        /// Its `dc:identifier`.
        identifier: String,
        /// The other list's `dc:identifier`.
        owner: String,
    },
    /// New in an update and the policy does not take new images: ignored (code 32).
    NotAccepted {
        /// Its `dc:identifier`.
        identifier: String,
    },
}

/// The outcome of an update.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// The same bytes as the accepted list: nothing to do.
    Identical,
    /// Taken; `events` says what changed. `same_version` is vmcatcher's warning 16: the
    /// content changed without a new `hv:version`.
    Accepted {
        /// What happened to the images, in list order (removals last).
        events: Vec<Event>,
        /// The version equals the accepted one.
        same_version: bool,
    },
    /// Refused as a whole: keep the accepted list.
    Refused(Refusal),
}

/// Decides an update: `new` (read from `bytes`) against what the subscription holds. The
/// signature and the endorser are checked before this, by the caller.
#[must_use]
pub fn update(bytes: &[u8], new: &ImageList, sub: &Subscription<'_>, policy: &Policy) -> Verdict {
    if let Some((_, old_bytes)) = sub.previous
        && old_bytes == bytes
    {
        return Verdict::Identical;
    }
    if let Some((old, _)) = sub.previous
        && old.identifier != new.identifier
    {
        return Verdict::Refused(Refusal::ListIdentifier {
            expected: old.identifier.clone(),
            found: new.identifier.clone(),
        });
    }
    match new.check_validity(policy.now) {
        Err(33) => return Verdict::Refused(Refusal::CreatedInFuture),
        Err(_) => return Verdict::Refused(Refusal::Expired),
        Ok(()) => {}
    }
    let mut same_version = false;
    if let Some((old, _)) = sub.previous {
        match compare_versions(&new.version, &old.version) {
            Ordering::Less => {
                return Verdict::Refused(Refusal::VersionDecreased {
                    accepted: old.version.clone(),
                    found: new.version.clone(),
                });
            }
            Ordering::Equal => same_version = true,
            Ordering::Greater => {}
        }
    }
    let owners: HashMap<&str, &str> = sub
        .others
        .iter()
        .filter(|l| l.identifier != new.identifier)
        .flat_map(|l| {
            l.images
                .iter()
                .map(|i| (i.identifier.as_str(), l.identifier.as_str()))
        })
        .collect();
    let held: HashMap<&str, &Image> = sub
        .previous
        .map(|(old, _)| {
            old.images
                .iter()
                .map(|i| (i.identifier.as_str(), i))
                .collect()
        })
        .unwrap_or_default();
    let mut events = Vec::new();
    for image in &new.images {
        let identifier = image.identifier.clone();
        if let Some(owner) = owners.get(image.identifier.as_str()) {
            events.push(Event::Clash {
                identifier,
                owner: (*owner).to_owned(),
            });
            continue;
        }
        let before = held.get(image.identifier.as_str());
        if image.expires.is_some_and(|e| e < policy.now) {
            events.push(Event::ImageExpired { identifier });
            continue;
        }
        match before {
            None if sub.previous.is_some() && !policy.accept_new_images => {
                events.push(Event::NotAccepted { identifier });
            }
            None => events.push(Event::New { identifier }),
            Some(old) if !same_payload(old, image) => {
                events.push(Event::PayloadChanged { identifier });
            }
            Some(old) if *old != image => events.push(Event::MetadataChanged { identifier }),
            Some(_) => {}
        }
    }
    if let Some((old, _)) = sub.previous {
        let now: std::collections::HashSet<&str> =
            new.images.iter().map(|i| i.identifier.as_str()).collect();
        for image in &old.images {
            if !now.contains(image.identifier.as_str()) {
                events.push(Event::Removed {
                    identifier: image.identifier.clone(),
                });
            }
        }
    }
    Verdict::Accepted {
        events,
        same_version,
    }
}

/// Whether a download would fetch and check the same thing.
fn same_payload(a: &Image, b: &Image) -> bool {
    a.uri == b.uri
        && a.sha512.eq_ignore_ascii_case(&b.sha512)
        && a.size.value == b.size.value
        && a.version == b.version
}
