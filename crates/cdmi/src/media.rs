//! The CDMI media types (RFC 6208; 1.1.1 §12), their `+json` forms (RFC 6839, which 2.0.0
//! requires servers to accept) and the 2010 draft names that still circulate.

use crate::{Error, ErrorKind};
use fedcloud_core::Position;
use std::fmt;

/// The five CDMI object types, which are also its media types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ObjectType {
    /// `application/cdmi-object`: a data object.
    DataObject,
    /// `application/cdmi-container`.
    Container,
    /// `application/cdmi-capability`.
    Capability,
    /// `application/cdmi-domain`.
    Domain,
    /// `application/cdmi-queue`.
    Queue,
}

impl ObjectType {
    /// Every object type.
    pub const ALL: [Self; 5] = [
        Self::DataObject,
        Self::Container,
        Self::Capability,
        Self::Domain,
        Self::Queue,
    ];

    /// The media type (`application/cdmi-object`).
    #[must_use]
    pub const fn media_type(self) -> &'static str {
        match self {
            Self::DataObject => "application/cdmi-object",
            Self::Container => "application/cdmi-container",
            Self::Capability => "application/cdmi-capability",
            Self::Domain => "application/cdmi-domain",
            Self::Queue => "application/cdmi-queue",
        }
    }

    /// The `+json` form (`application/cdmi-object+json`, 2.0.0).
    #[must_use]
    pub const fn json_media_type(self) -> &'static str {
        match self {
            Self::DataObject => "application/cdmi-object+json",
            Self::Container => "application/cdmi-container+json",
            Self::Capability => "application/cdmi-capability+json",
            Self::Domain => "application/cdmi-domain+json",
            Self::Queue => "application/cdmi-queue+json",
        }
    }

    /// The name after `application/cdmi-` (`object`, `container`, …).
    const fn suffix(self) -> &'static str {
        match self {
            Self::DataObject => "object",
            Self::Container => "container",
            Self::Capability => "capability",
            Self::Domain => "domain",
            Self::Queue => "queue",
        }
    }
}

impl fmt::Display for ObjectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.media_type())
    }
}

/// How a media type was spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Spelling {
    /// `application/cdmi-object` (RFC 6208).
    Plain,
    /// `application/cdmi-object+json` (RFC 6839; 2.0.0).
    Json,
    /// `application/vnd.org.snia.cdmi.object+json` (the 2010 drafts; one 1.1.1 example, the
    /// reference implementation and cdmi-serve still use it). Lenient only.
    LegacyDraft,
}

/// Parses a `Content-Type` or `Accept` element as a CDMI media type, ignoring parameters
/// (`; charset=utf-8`) and letter case. `lenient` also accepts the draft names.
///
/// ```
/// use cdmi::media::{ObjectType, Spelling, parse_media_type};
/// assert_eq!(parse_media_type("application/cdmi-container; charset=utf-8", false)?, (ObjectType::Container, Spelling::Plain));
/// assert_eq!(parse_media_type("application/cdmi-object+json", false)?.0, ObjectType::DataObject);
/// assert!(parse_media_type("application/vnd.org.snia.cdmi.container+json", false).is_err());
/// assert_eq!(parse_media_type("application/vnd.org.snia.cdmi.container+json", true)?.1, Spelling::LegacyDraft);
/// # Ok::<(), cdmi::Error>(())
/// ```
///
/// # Errors
/// `MediaType` for anything else.
pub fn parse_media_type(s: &str, lenient: bool) -> Result<(ObjectType, Spelling), Error> {
    let essence = s
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let fail = || Error::new(ErrorKind::MediaType(s.trim().to_owned()), Position::START);
    let (name, spelling) = if let Some(rest) = essence.strip_prefix("application/cdmi-") {
        match rest.strip_suffix("+json") {
            Some(name) => (name, Spelling::Json),
            None => (rest, Spelling::Plain),
        }
    } else if let Some(rest) = essence.strip_prefix("application/vnd.org.snia.cdmi.") {
        if !lenient {
            return Err(fail());
        }
        (
            rest.strip_suffix("+json").unwrap_or(rest),
            Spelling::LegacyDraft,
        )
    } else {
        return Err(fail());
    };
    ObjectType::ALL
        .into_iter()
        .find(|t| t.suffix() == name)
        .map(|t| (t, spelling))
        .ok_or_else(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_in_every_spelling() {
        for t in ObjectType::ALL {
            assert_eq!(
                parse_media_type(t.media_type(), false).unwrap(),
                (t, Spelling::Plain)
            );
            assert_eq!(
                parse_media_type(&t.json_media_type().to_uppercase(), false).unwrap(),
                (t, Spelling::Json)
            );
            let draft = format!("application/vnd.org.snia.cdmi.{}+json", t.suffix());
            assert!(parse_media_type(&draft, false).is_err());
            assert_eq!(
                parse_media_type(&draft, true).unwrap(),
                (t, Spelling::LegacyDraft)
            );
        }
        for bad in [
            "application/json",
            "application/cdmi-objects",
            "application/cdmi-",
            "text/plain",
            "",
        ] {
            assert!(
                matches!(
                    parse_media_type(bad, true).unwrap_err().kind(),
                    ErrorKind::MediaType(_)
                ),
                "{bad}"
            );
        }
    }
}
