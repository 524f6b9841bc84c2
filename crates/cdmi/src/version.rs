//! CDMI versions and their negotiation.
//!
//! CDMI 1.x carries the version in `X-CDMI-Specification-Version` on every request and
//! response with a CDMI content type (1.1.1 §5.13.2): the client lists what it speaks
//! (`1.1, 1.5, 2.0`), the server answers with the **highest** version of that list it also
//! speaks, or 400. CDMI 2.x clients do not send the header; the version is in the root URI
//! (`/cdmi/2.0.0/`) by convention.
//!
//! ```text
//! X-CDMI-Specification-Version = 1#( version )          ; comma list, RFC 7230 §7
//! version                      = 1*DIGIT "." 1*DIGIT [ "." 1*DIGIT ]
//! ```

use crate::{Error, ErrorKind};
use fedcloud_core::Position;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// The name of the version header of CDMI 1.x.
pub const VERSION_HEADER: &str = "X-CDMI-Specification-Version";

/// A CDMI version as the header spells it: `1.1` is not `1.1.1` (servers answer with the
/// client's spelling; Onedata's mapping of `1.1` to `1.1.1` is one of its known deviations).
///
/// ```
/// use cdmi::version::{Version, negotiate};
/// let server = [Version::V1_0_2, Version::V1_1_1];
/// assert_eq!(negotiate("1.0.2, 1.1", &server)?.to_string(), "1.1");
/// assert!(negotiate("1.5, 2.0", &server).is_err());
/// # Ok::<(), cdmi::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Version {
    major: u16,
    minor: u16,
    micro: Option<u16>,
}

impl Version {
    /// CDMI 1.0.2 (2012, ISO/IEC 17826:2012).
    pub const V1_0_2: Self = Self::new(1, 0, Some(2));
    /// CDMI 1.1.1 (2015, ISO/IEC 17826:2016).
    pub const V1_1_1: Self = Self::new(1, 1, Some(1));
    /// CDMI 2.0.0 (2020, ISO/IEC 17826:2022).
    pub const V2_0_0: Self = Self::new(2, 0, Some(0));

    /// A version; `micro` is `None` for a two-part spelling.
    #[must_use]
    pub const fn new(major: u16, minor: u16, micro: Option<u16>) -> Self {
        Self {
            major,
            minor,
            micro,
        }
    }

    /// The major version.
    #[must_use]
    pub const fn major(self) -> u16 {
        self.major
    }

    /// The minor version.
    #[must_use]
    pub const fn minor(self) -> u16 {
        self.minor
    }

    /// The micro version, if spelled.
    #[must_use]
    pub const fn micro(self) -> Option<u16> {
        self.micro
    }

    /// Whether this spelling names a version that `other` also names: the same major and
    /// minor, and the same micro where both give one (`1.1` and `1.1.1` do).
    #[must_use]
    pub fn matches(self, other: Self) -> bool {
        self.major == other.major
            && self.minor == other.minor
            && (self.micro.is_none() || other.micro.is_none() || self.micro == other.micro)
    }

    /// Whether this is a 2.x version (no version header, PATCH updates, `&`/`=` queries).
    #[must_use]
    pub const fn is_v2(self) -> bool {
        self.major >= 2
    }

    /// The root URI of the convention of 2.x: `/cdmi/2.0.0/`.
    #[must_use]
    pub fn root(self) -> String {
        format!(
            "/cdmi/{}.{}.{}/",
            self.major,
            self.minor,
            self.micro.unwrap_or_default()
        )
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    /// By major, minor, micro; a missing micro sorts as 0.
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.micro.unwrap_or_default())
            .cmp(&(other.major, other.minor, other.micro.unwrap_or_default()))
            .then(self.micro.is_some().cmp(&other.micro.is_some()))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)?;
        if let Some(m) = self.micro {
            write!(f, ".{m}")?;
        }
        Ok(())
    }
}

impl FromStr for Version {
    type Err = Error;

    /// Parses `major.minor[.micro]`.
    ///
    /// # Errors
    /// `VersionSyntax` at the offending character.
    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = |offset: usize| Error::at(ErrorKind::VersionSyntax, s.as_bytes(), offset);
        let mut parts = [None; 3];
        let mut offset: usize = 0;
        for (i, part) in s.split('.').enumerate() {
            let Some(slot) = parts.get_mut(i) else {
                return Err(bad(offset.saturating_sub(1)));
            };
            if part.is_empty() || part.len() > 5 || !part.bytes().all(|b| b.is_ascii_digit()) {
                let at = part.bytes().position(|b| !b.is_ascii_digit()).unwrap_or(0);
                return Err(bad(offset + at));
            }
            *slot = Some(part.parse::<u16>().map_err(|_| bad(offset))?);
            offset += part.len() + 1;
        }
        match parts {
            [Some(major), Some(minor), micro] => Ok(Self::new(major, minor, micro)),
            _ => Err(bad(s.len())),
        }
    }
}

/// The version a server answers with: the highest of `requested` (the client's
/// `X-CDMI-Specification-Version`, a comma list) that one of `supported` matches, in the
/// client's spelling. Blank elements of the list are skipped (RFC 7230 §7).
///
/// # Errors
/// `VersionSyntax` for an element that is no version (positioned in `requested`);
/// `NoCommonVersion` when none is supported — a server answers 400 (1.1.1 §5.13.2).
pub fn negotiate(requested: &str, supported: &[Version]) -> Result<Version, Error> {
    let mut best: Option<Version> = None;
    let mut offset = 0;
    for element in requested.split(',') {
        let lead = element.len() - element.trim_start().len();
        let text = element.trim();
        if !text.is_empty() {
            let v: Version = text.parse().map_err(|e: Error| {
                Error::new(
                    e.kind().clone(),
                    Position::new(
                        offset + lead + e.position().offset,
                        1,
                        offset + lead + e.position().column,
                    ),
                )
            })?;
            if supported.iter().any(|s| s.matches(v)) && best.is_none_or(|b| v > b) {
                best = Some(v);
            }
        }
        offset += element.len() + 1;
    }
    best.ok_or_else(|| {
        Error::new(
            ErrorKind::NoCommonVersion(requested.trim().to_owned()),
            Position::START,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_order() {
        for (s, ok) in [
            ("1.0.2", true),
            ("1.1", true),
            ("2.0.0", true),
            ("10.20.30", true),
            ("1", false),
            ("1.", false),
            ("1..2", false),
            ("1.2.3.4", false),
            ("a.b", false),
            ("1.999999", false),
            ("", false),
        ] {
            assert_eq!(s.parse::<Version>().is_ok(), ok, "{s}");
        }
        let e = "1.x".parse::<Version>().unwrap_err();
        assert_eq!(e.position().column, 3);
        let mut v: Vec<Version> = ["2.0.0", "1.1", "1.0.2", "1.1.1", "1.0"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        v.sort();
        let names: Vec<String> = v.iter().map(ToString::to_string).collect();
        assert_eq!(names, ["1.0", "1.0.2", "1.1", "1.1.1", "2.0.0"]);
        assert_eq!(Version::V2_0_0.root(), "/cdmi/2.0.0/");
        assert!(Version::V2_0_0.is_v2() && !Version::V1_1_1.is_v2());
    }

    #[test]
    fn negotiation() {
        let server = [Version::V1_0_2, Version::V1_1_1];
        // (header, answer); the highest common one, in the client's spelling.
        for (header, want) in [
            ("1.1", "1.1"),
            ("1.1.1", "1.1.1"),
            ("1.0.2, 1.1", "1.1"),
            ("1.1, 1.0.2", "1.1"),
            ("1.0, 1.5, 2.0", "1.0"),
            (" 1.0.2 ,, ", "1.0.2"),
        ] {
            assert_eq!(
                negotiate(header, &server).unwrap().to_string(),
                want,
                "{header}"
            );
        }
        let e = negotiate("1.5, 2.0", &server).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::NoCommonVersion(_)));
        assert!(negotiate("", &server).is_err());
        let e = negotiate("1.1, 1.x", &server).unwrap_err();
        assert_eq!(
            (e.kind(), e.position().offset),
            (&ErrorKind::VersionSyntax, 7)
        );
        // 1.0.1 (Droplet's hard-coded version) is not 1.0.2.
        assert!(negotiate("1.0.1", &server).is_err());
    }
}
