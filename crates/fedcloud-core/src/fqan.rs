//! VOMS fully qualified attribute names (FQANs) and the Argus FQAN patterns that match them.
//!
//! ```text
//! fqan       = group [ "/Role=" name ] [ "/Capability=" name ]      -- VOMS credential format
//! group      = "/" vo *( "/" name )
//! name       = 1*( ALPHA / DIGIT / "_" )              ; strict
//!            / 1*( ALPHA / DIGIT / "_" / "." / "-" )  ; lenient: test.vo, vo.racf.bnl.gov, VO-Admin
//! ```
//!
//! VOMS servers write absent qualifiers as `NULL` (`/vo/Role=NULL/Capability=NULL`); such an FQAN
//! is normalised to `/vo`, and [`Fqan::to_long_form`] writes the `NULL`s back. The grammar of the
//! VOMS documents is narrower than what real VOs use, so [`FqanSyntax::Lenient`] is a named
//! option: it accepts `.` and `-` in names and any letter case in the `Role=` / `Capability=`
//! keywords (`/calet.org/ROLE=SoftwareManager`).

use crate::{Error, ErrorKind, Position, TextLimits};
use std::fmt;
use std::str::FromStr;

/// Which FQAN grammar to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum FqanSyntax {
    /// The grammar of the VOMS documents: names of letters, digits and `_`; keywords exactly
    /// `Role=` and `Capability=`.
    #[default]
    Strict,
    /// Also `.` and `-` in names and keywords in any case, as real VO names and older tools need.
    Lenient,
}

/// A VOMS FQAN: a group path starting with the VO, an optional role and an optional capability.
///
/// ```
/// use fedcloud_core::Fqan;
/// let f: Fqan = "/atlas/production/Role=pilot/Capability=NULL".parse()?;
/// assert_eq!(f.vo(), "atlas");
/// assert_eq!(f.group(), "/atlas/production");
/// assert_eq!(f.role(), Some("pilot"));
/// assert_eq!(f.capability(), None);
/// assert_eq!(f.to_string(), "/atlas/production/Role=pilot");
/// assert_eq!(f.to_long_form(), "/atlas/production/Role=pilot/Capability=NULL");
///
/// let real = Fqan::parse_lenient("/vo.racf.bnl.gov/Role=VO-Admin")?;
/// assert_eq!(real.vo(), "vo.racf.bnl.gov");
/// # Ok::<(), fedcloud_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fqan {
    /// `/vo/sub/...`.
    group: String,
    role: Option<String>,
    capability: Option<String>,
}

/// An FQAN pattern of the Argus grid authorisation profile: an FQAN whose group path may end in
/// `/*` (the group and every subgroup) and whose role or capability may be `*` (any, including
/// none). A role or capability left out of the pattern matches only an FQAN without one (the
/// `NULL` default).
///
/// ```
/// use fedcloud_core::{Fqan, FqanPattern};
/// let p: FqanPattern = "/atlas/*/Role=*".parse()?;
/// assert!(p.matches(&"/atlas".parse()?));
/// assert!(p.matches(&"/atlas/de/Role=pilot".parse()?));
/// assert!(!p.matches(&"/atlasx".parse()?));
/// let q: FqanPattern = "/atlas/*".parse()?;
/// assert!(!q.matches(&"/atlas/Role=pilot".parse()?));
/// # Ok::<(), fedcloud_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FqanPattern {
    /// The group path without the trailing `/*` (empty for `/*`, which matches every VO).
    group: String,
    subgroups: bool,
    role: Qualifier,
    capability: Qualifier,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Qualifier {
    Null,
    Any,
    Is(String),
}

impl Qualifier {
    fn matches(&self, value: Option<&str>) -> bool {
        match self {
            Qualifier::Null => value.is_none(),
            Qualifier::Any => true,
            Qualifier::Is(v) => value == Some(v.as_str()),
        }
    }

    fn from_value(v: Option<String>) -> Self {
        match v {
            None => Qualifier::Null,
            Some(s) if s == "*" => Qualifier::Any,
            Some(s) => Qualifier::Is(s),
        }
    }
}

impl Fqan {
    /// Parses with [`FqanSyntax::Strict`] and the default limits.
    ///
    /// # Errors
    /// See [`Fqan::parse_with`].
    pub fn parse(s: &str) -> Result<Self, Error> {
        Self::parse_with(s, FqanSyntax::Strict, &TextLimits::default())
    }

    /// Parses with [`FqanSyntax::Lenient`] and the default limits.
    ///
    /// # Errors
    /// See [`Fqan::parse_with`].
    pub fn parse_lenient(s: &str) -> Result<Self, Error> {
        Self::parse_with(s, FqanSyntax::Lenient, &TextLimits::default())
    }

    /// Parses an FQAN with the given grammar and limits.
    ///
    /// # Errors
    /// Input over the limits; no leading `/<vo>`; an empty group or qualifier; a character
    /// outside the grammar; `Role=` / `Capability=` out of place or repeated.
    pub fn parse_with(s: &str, syntax: FqanSyntax, limits: &TextLimits) -> Result<Self, Error> {
        let raw = parse_parts(s, syntax, limits, false)?;
        Ok(Fqan {
            group: raw.group.to_owned(),
            role: raw.role.filter(|r| !is_null(r, syntax)).map(str::to_owned),
            capability: raw
                .capability
                .filter(|c| !is_null(c, syntax))
                .map(str::to_owned),
        })
    }

    /// Checks an FQAN as [`Fqan::parse_with`] does, without building it (no allocation).
    ///
    /// # Errors
    /// The same errors as [`Fqan::parse_with`].
    pub fn check(s: &str, syntax: FqanSyntax, limits: &TextLimits) -> Result<(), Error> {
        parse_parts(s, syntax, limits, false).map(|_| ())
    }

    /// Builds an FQAN from a VO name alone (`/vo`).
    ///
    /// # Errors
    /// A VO name that is not a valid name in `syntax`.
    pub fn from_vo(vo: &str, syntax: FqanSyntax) -> Result<Self, Error> {
        if vo.contains('/') {
            return Err(Error::new(
                ErrorKind::FqanBadCharacter('/'),
                Position::START,
            ));
        }
        Self::parse_with(&format!("/{vo}"), syntax, &TextLimits::default())
            .map_err(|e| Error::new(e.kind().clone(), Position::START))
    }

    /// The VO: the first group name.
    #[must_use]
    pub fn vo(&self) -> &str {
        let rest = self.group.get(1..).unwrap_or_default();
        rest.split('/').next().unwrap_or_default()
    }

    /// The group path, `/vo[/sub...]`.
    #[must_use]
    pub fn group(&self) -> &str {
        &self.group
    }

    /// The group names from the VO down (`["atlas", "production"]`).
    pub fn group_names(&self) -> impl Iterator<Item = &str> {
        self.group.get(1..).unwrap_or_default().split('/')
    }

    /// The role, `None` when absent or `NULL`.
    #[must_use]
    pub fn role(&self) -> Option<&str> {
        self.role.as_deref()
    }

    /// The capability, `None` when absent or `NULL`.
    #[must_use]
    pub fn capability(&self) -> Option<&str> {
        self.capability.as_deref()
    }

    /// The form VOMS servers issue, with `NULL` written out: `/vo/Role=NULL/Capability=NULL`.
    #[must_use]
    pub fn to_long_form(&self) -> String {
        format!(
            "{}/Role={}/Capability={}",
            self.group,
            self.role.as_deref().unwrap_or("NULL"),
            self.capability.as_deref().unwrap_or("NULL")
        )
    }
}

impl FromStr for Fqan {
    type Err = Error;

    /// As [`Fqan::parse`] (strict grammar).
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s)
    }
}

impl fmt::Display for Fqan {
    /// The short canonical form: `NULL` qualifiers left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.group)?;
        if let Some(r) = &self.role {
            write!(f, "/Role={r}")?;
        }
        if let Some(c) = &self.capability {
            write!(f, "/Capability={c}")?;
        }
        Ok(())
    }
}

impl FqanPattern {
    /// Parses a pattern with [`FqanSyntax::Strict`] names.
    ///
    /// # Errors
    /// As [`Fqan::parse_with`], and a `*` group anywhere but last.
    pub fn parse(s: &str) -> Result<Self, Error> {
        Self::parse_with(s, FqanSyntax::Strict, &TextLimits::default())
    }

    /// Parses a pattern with the given grammar and limits.
    ///
    /// # Errors
    /// As [`Fqan::parse_with`], and a `*` group anywhere but last.
    pub fn parse_with(s: &str, syntax: FqanSyntax, limits: &TextLimits) -> Result<Self, Error> {
        let raw = parse_parts(s, syntax, limits, true)?;
        let (group, subgroups) = match raw.group.strip_suffix("/*") {
            Some(prefix) => (prefix, true),
            None => (raw.group, false),
        };
        Ok(FqanPattern {
            group: group.to_owned(),
            subgroups,
            role: Qualifier::from_value(
                raw.role.filter(|r| !is_null(r, syntax)).map(str::to_owned),
            ),
            capability: Qualifier::from_value(
                raw.capability
                    .filter(|c| !is_null(c, syntax))
                    .map(str::to_owned),
            ),
        })
    }

    /// Whether `fqan` matches: the group equal (or, with `/*`, equal or below), and role and
    /// capability equal, `*`, or both absent.
    #[must_use]
    pub fn matches(&self, fqan: &Fqan) -> bool {
        let group_ok = if self.subgroups {
            fqan.group == self.group
                || fqan
                    .group
                    .strip_prefix(self.group.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        } else {
            fqan.group == self.group
        };
        group_ok && self.role.matches(fqan.role()) && self.capability.matches(fqan.capability())
    }
}

impl FromStr for FqanPattern {
    type Err = Error;

    /// As [`FqanPattern::parse`].
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s)
    }
}

impl fmt::Display for FqanPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.group)?;
        if self.subgroups {
            f.write_str("/*")?;
        }
        for (key, q) in [("Role", &self.role), ("Capability", &self.capability)] {
            match q {
                Qualifier::Null => {}
                Qualifier::Any => write!(f, "/{key}=*")?,
                Qualifier::Is(v) => write!(f, "/{key}={v}")?,
            }
        }
        Ok(())
    }
}

fn is_null(value: &str, syntax: FqanSyntax) -> bool {
    match syntax {
        FqanSyntax::Strict => value == "NULL",
        FqanSyntax::Lenient => value.eq_ignore_ascii_case("NULL"),
    }
}

/// The parts of an FQAN as slices of the input: the group is always a prefix of it (the
/// qualifiers can only follow the last group name).
struct RawFqan<'a> {
    group: &'a str,
    role: Option<&'a str>,
    capability: Option<&'a str>,
}

fn keyword_value<'a>(component: &'a str, keyword: &str, syntax: FqanSyntax) -> Option<&'a str> {
    let head = component.get(..keyword.len())?;
    let matched = match syntax {
        FqanSyntax::Strict => head == keyword,
        FqanSyntax::Lenient => head.eq_ignore_ascii_case(keyword),
    };
    matched.then(|| component.get(keyword.len()..).unwrap_or_default())
}

/// [`NAME_BYTES`] flag: allowed in a name in both syntaxes (ASCII letters, digits, `_`).
const NAME_STRICT: u8 = 1;
/// [`NAME_BYTES`] flag: allowed in a name in the lenient syntax (also `.` and `-`).
const NAME_LENIENT: u8 = 2;

/// For each byte, the syntaxes whose names may hold it: a table look-up per byte, since FQANs
/// are checked on every record of an accounting message.
#[expect(
    clippy::indexing_slicing,
    reason = "compile-time table: the index runs over 0..256"
)]
const NAME_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0u8;
    loop {
        table[b as usize] = if b.is_ascii_alphanumeric() || b == b'_' {
            NAME_STRICT | NAME_LENIENT
        } else if b == b'.' || b == b'-' {
            NAME_LENIENT
        } else {
            0
        };
        if b == u8::MAX {
            break table;
        }
        b += 1;
    }
};

fn check_name(
    input: &str,
    start: usize,
    name: &str,
    syntax: FqanSyntax,
    wildcard_ok: bool,
) -> Result<(), Error> {
    if name.is_empty() {
        return Err(Error::at(
            ErrorKind::FqanEmptyComponent,
            input.as_bytes(),
            start,
        ));
    }
    if wildcard_ok && name == "*" {
        return Ok(());
    }
    let allowed = match syntax {
        FqanSyntax::Strict => NAME_STRICT,
        FqanSyntax::Lenient => NAME_LENIENT,
    };
    let bad = name
        .bytes()
        .position(|b| NAME_BYTES.get(usize::from(b)).copied().unwrap_or(0) & allowed == 0);
    // Every byte before the first bad one is ASCII, so `i` starts a character.
    match bad.and_then(|i| Some((i, name.get(i..)?.chars().next()?))) {
        Some((i, c)) => Err(Error::at(
            ErrorKind::FqanBadCharacter(c),
            input.as_bytes(),
            start + i,
        )),
        None => Ok(()),
    }
}

fn parse_parts<'a>(
    s: &'a str,
    syntax: FqanSyntax,
    limits: &TextLimits,
    pattern: bool,
) -> Result<RawFqan<'a>, Error> {
    limits.check_len(s)?;
    let Some(body) = s.strip_prefix('/') else {
        return Err(Error::at(ErrorKind::FqanMissingVo, s.as_bytes(), 0));
    };
    let mut group_end = 0;
    let mut role: Option<&str> = None;
    let mut capability: Option<&str> = None;
    let mut wildcard_at: Option<usize> = None;
    let mut offset = 1;
    // `body.split('/')` by a plain scan: components are short.
    let mut rest = Some(body);
    let components = std::iter::from_fn(|| {
        let current = rest?;
        match current.bytes().position(|b| b == b'/') {
            Some(i) => {
                rest = current.get(i + 1..);
                current.get(..i)
            }
            None => rest.take(),
        }
    });
    // The limit counts group names, as documented: the qualifiers, at most one of each, come
    // on top (so the long form of an FQAN within the limit is within it too).
    let mut groups = 0;
    for (index, component) in components.enumerate() {
        if let Some(value) = keyword_value(component, "Role=", syntax) {
            if index == 0 {
                return Err(Error::at(ErrorKind::FqanMissingVo, s.as_bytes(), offset));
            }
            if role.is_some() || capability.is_some() {
                return Err(Error::at(
                    ErrorKind::FqanMisplacedQualifier,
                    s.as_bytes(),
                    offset,
                ));
            }
            check_name(s, offset + 5, value, syntax, pattern)?;
            role = Some(value);
        } else if let Some(value) = keyword_value(component, "Capability=", syntax) {
            if index == 0 {
                return Err(Error::at(ErrorKind::FqanMissingVo, s.as_bytes(), offset));
            }
            if capability.is_some() {
                return Err(Error::at(
                    ErrorKind::FqanMisplacedQualifier,
                    s.as_bytes(),
                    offset,
                ));
            }
            check_name(s, offset + 11, value, syntax, pattern)?;
            capability = Some(value);
        } else {
            if role.is_some() || capability.is_some() {
                return Err(Error::at(
                    ErrorKind::FqanMisplacedQualifier,
                    s.as_bytes(),
                    offset,
                ));
            }
            if wildcard_at.is_some() {
                return Err(Error::at(
                    ErrorKind::FqanMisplacedWildcard,
                    s.as_bytes(),
                    wildcard_at.unwrap_or(0),
                ));
            }
            if index == 0 && component.is_empty() {
                return Err(Error::at(ErrorKind::FqanMissingVo, s.as_bytes(), offset));
            }
            groups += 1;
            if groups > limits.max_components {
                return Err(Error::new(
                    ErrorKind::TooManyComponents {
                        limit: limits.max_components,
                    },
                    Position::START,
                ));
            }
            check_name(s, offset, component, syntax, pattern)?;
            if component == "*" {
                wildcard_at = Some(offset);
            }
            group_end = offset + component.len();
        }
        offset += component.len() + 1;
    }
    Ok(RawFqan {
        group: s.get(..group_end).unwrap_or_default(),
        role,
        capability,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_table() {
        // input, syntax, (group, role, capability), canonical
        type Parts = (&'static str, Option<&'static str>, Option<&'static str>);
        let cases: &[(&str, FqanSyntax, Parts, &str)] = &[
            (
                "/atlas",
                FqanSyntax::Strict,
                ("/atlas", None, None),
                "/atlas",
            ),
            (
                "/atlas/production/Role=pilot",
                FqanSyntax::Strict,
                ("/atlas/production", Some("pilot"), None),
                "/atlas/production/Role=pilot",
            ),
            (
                "/cms/Role=NULL/Capability=NULL",
                FqanSyntax::Strict,
                ("/cms", None, None),
                "/cms",
            ),
            (
                "/cms/Capability=cap_1",
                FqanSyntax::Strict,
                ("/cms", None, Some("cap_1")),
                "/cms/Capability=cap_1",
            ),
            (
                "/vo.racf.bnl.gov/usatlas/Role=VO-Admin",
                FqanSyntax::Lenient,
                ("/vo.racf.bnl.gov/usatlas", Some("VO-Admin"), None),
                "/vo.racf.bnl.gov/usatlas/Role=VO-Admin",
            ),
            (
                "/calet.org/ROLE=SoftwareManager",
                FqanSyntax::Lenient,
                ("/calet.org", Some("SoftwareManager"), None),
                "/calet.org/Role=SoftwareManager",
            ),
            (
                "/fedcloud.egi.eu/role=null/capability=Null",
                FqanSyntax::Lenient,
                ("/fedcloud.egi.eu", None, None),
                "/fedcloud.egi.eu",
            ),
        ];
        for &(input, syntax, (group, role, capability), canonical) in cases {
            let f = Fqan::parse_with(input, syntax, &TextLimits::default())
                .unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(
                (f.group(), f.role(), f.capability()),
                (group, role, capability),
                "{input}"
            );
            assert_eq!(f.to_string(), canonical);
            assert_eq!(f.vo(), group.split('/').nth(1).unwrap());
        }
    }

    #[test]
    fn invalid_table() {
        let cases: &[(&str, FqanSyntax, ErrorKind, usize)] = &[
            ("atlas", FqanSyntax::Strict, ErrorKind::FqanMissingVo, 0),
            ("", FqanSyntax::Strict, ErrorKind::FqanMissingVo, 0),
            ("/", FqanSyntax::Strict, ErrorKind::FqanMissingVo, 1),
            ("/Role=x", FqanSyntax::Strict, ErrorKind::FqanMissingVo, 1),
            (
                "/atlas//x",
                FqanSyntax::Strict,
                ErrorKind::FqanEmptyComponent,
                7,
            ),
            (
                "/atlas/",
                FqanSyntax::Strict,
                ErrorKind::FqanEmptyComponent,
                7,
            ),
            (
                "/vo.racf.bnl.gov",
                FqanSyntax::Strict,
                ErrorKind::FqanBadCharacter('.'),
                3,
            ),
            (
                "/atlas/Role=VO-Admin",
                FqanSyntax::Strict,
                ErrorKind::FqanBadCharacter('-'),
                14,
            ),
            (
                "/atlas/ROLE=x",
                FqanSyntax::Strict,
                ErrorKind::FqanBadCharacter('='),
                11,
            ),
            (
                "/atlas/Role=",
                FqanSyntax::Strict,
                ErrorKind::FqanEmptyComponent,
                12,
            ),
            (
                "/atlas/Role=a/sub",
                FqanSyntax::Strict,
                ErrorKind::FqanMisplacedQualifier,
                14,
            ),
            (
                "/atlas/Capability=a/Role=b",
                FqanSyntax::Strict,
                ErrorKind::FqanMisplacedQualifier,
                20,
            ),
            (
                "/atlas/Role=a/Role=b",
                FqanSyntax::Strict,
                ErrorKind::FqanMisplacedQualifier,
                14,
            ),
            (
                "/a b",
                FqanSyntax::Lenient,
                ErrorKind::FqanBadCharacter(' '),
                2,
            ),
            (
                "/atlas/*",
                FqanSyntax::Strict,
                ErrorKind::FqanBadCharacter('*'),
                7,
            ),
            (
                "/é",
                FqanSyntax::Lenient,
                ErrorKind::FqanBadCharacter('é'),
                1,
            ),
        ];
        for (input, syntax, kind, offset) in cases {
            let err = Fqan::parse_with(input, *syntax, &TextLimits::default()).expect_err(input);
            assert_eq!(
                (err.kind(), err.position().offset),
                (kind, *offset),
                "{input}"
            );
            assert_eq!(
                Fqan::check(input, *syntax, &TextLimits::default()),
                Err(err),
                "{input}"
            );
        }
    }

    #[test]
    fn long_form_and_from_vo() {
        let f = Fqan::from_vo("dteam", FqanSyntax::Strict).unwrap();
        assert_eq!(f.to_long_form(), "/dteam/Role=NULL/Capability=NULL");
        assert_eq!(Fqan::parse(&f.to_long_form()).unwrap(), f);
        assert!(Fqan::from_vo("a/b", FqanSyntax::Lenient).is_err());
        assert!(Fqan::from_vo("test.vo", FqanSyntax::Strict).is_err());
        assert_eq!(
            Fqan::parse("/a/b/c")
                .unwrap()
                .group_names()
                .collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
    }

    /// The byte table against the rule it encodes, for every byte in every position.
    #[test]
    fn name_bytes() {
        for b in 0..=u8::MAX {
            let c = char::from(b);
            // '/' is the separator.
            if c == '/' {
                continue;
            }
            let strict = b.is_ascii_alphanumeric() || b == b'_';
            let lenient = strict || b == b'.' || b == b'-';
            for (syntax, allowed) in [(FqanSyntax::Strict, strict), (FqanSyntax::Lenient, lenient)]
            {
                for text in [
                    format!("/{c}"),
                    format!("/vo/a{c}"),
                    format!("/vo/Role={c}x"),
                ] {
                    assert_eq!(
                        Fqan::check(&text, syntax, &TextLimits::default()).is_ok(),
                        allowed,
                        "{text:?} {syntax:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn limits() {
        let limits = TextLimits {
            max_bytes: 64,
            max_components: 3,
        };
        assert!(Fqan::parse_with("/a/b/Role=c", FqanSyntax::Strict, &limits).is_ok());
        // Three groups and both qualifiers: the limit counts groups, so the long form of an
        // FQAN within it is within it too.
        let full = Fqan::parse_with("/a/b/c/Role=r/Capability=x", FqanSyntax::Strict, &limits);
        assert!(full.is_ok());
        let short = Fqan::parse_with("/a/b/c", FqanSyntax::Strict, &limits).unwrap();
        assert!(Fqan::parse_with(&short.to_long_form(), FqanSyntax::Strict, &limits).is_ok());
        assert!(matches!(
            Fqan::parse_with("/a/b/c/d", FqanSyntax::Strict, &limits)
                .unwrap_err()
                .kind(),
            ErrorKind::TooManyComponents { limit: 3 }
        ));
        let long = format!("/{}", "a".repeat(64));
        assert!(matches!(
            Fqan::parse_with(&long, FqanSyntax::Strict, &limits)
                .unwrap_err()
                .kind(),
            ErrorKind::TooLong {
                limit: 64,
                actual: 65
            }
        ));
    }

    #[test]
    fn pattern_table() {
        // pattern, fqan, matches
        let cases: &[(&str, &str, bool)] = &[
            ("/atlas", "/atlas", true),
            ("/atlas", "/atlas/Role=NULL", true),
            ("/atlas", "/atlas/Role=pilot", false),
            ("/atlas", "/atlas/sub", false),
            ("/atlas/*", "/atlas", true),
            ("/atlas/*", "/atlas/sub/deeper", true),
            ("/atlas/*", "/atlasx", false),
            ("/atlas/*", "/atlas/sub/Role=pilot", false),
            ("/atlas/*/Role=*", "/atlas/sub/Role=pilot", true),
            ("/atlas/Role=pilot", "/atlas/Role=pilot", true),
            ("/atlas/Role=pilot", "/atlas/Role=pilot/Capability=c", false),
            (
                "/atlas/Role=pilot/Capability=*",
                "/atlas/Role=pilot/Capability=c",
                true,
            ),
            ("/atlas/Role=pilot", "/atlas/Role=prod", false),
            ("/*", "/cms/x", true),
            ("/*/Role=*", "/cms/x/Role=y", true),
        ];
        for &(pattern, fqan, expected) in cases {
            let p: FqanPattern = pattern.parse().unwrap();
            let f: Fqan = fqan.parse().unwrap();
            assert_eq!(p.matches(&f), expected, "{pattern} ~ {fqan}");
            assert_eq!(p.to_string().parse::<FqanPattern>().unwrap(), p);
        }
        let err = "/atlas/*/sub".parse::<FqanPattern>().unwrap_err();
        assert_eq!(
            (err.kind(), err.position().offset),
            (&ErrorKind::FqanMisplacedWildcard, 7)
        );
        let err = "/atlas/x*".parse::<FqanPattern>().unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::FqanBadCharacter('*'));
    }

    fn arb_fqan() -> impl Strategy<Value = Fqan> {
        (
            proptest::collection::vec("[A-Za-z0-9_.-]{1,8}", 1..5),
            proptest::option::of("[A-Za-z0-9_.-]{1,8}"),
            proptest::option::of("[A-Za-z0-9_.-]{1,8}"),
        )
            .prop_filter_map("no NULL / keyword look-alikes", |(groups, role, cap)| {
                let text = format!(
                    "/{}{}{}",
                    groups.join("/"),
                    role.map(|r| format!("/Role={r}")).unwrap_or_default(),
                    cap.map(|c| format!("/Capability={c}")).unwrap_or_default()
                );
                Fqan::parse_lenient(&text).ok()
            })
    }

    proptest! {
        #[test]
        fn round_trip(f in arb_fqan()) {
            prop_assert_eq!(Fqan::parse_lenient(&f.to_string()).unwrap(), f.clone());
            prop_assert_eq!(Fqan::parse_lenient(&f.to_long_form()).unwrap(), f.clone());
        }

        #[test]
        fn exact_pattern_matches_itself(f in arb_fqan()) {
            let p = FqanPattern::parse_with(&f.to_string(), FqanSyntax::Lenient, &TextLimits::default()).unwrap();
            prop_assert!(p.matches(&f));
            let vo_wide = FqanPattern::parse_with(&format!("/{}/*/Role=*/Capability=*", f.vo()), FqanSyntax::Lenient, &TextLimits::default()).unwrap();
            prop_assert!(vo_wide.matches(&f));
        }

        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let parsed = Fqan::parse_lenient(&s);
            // The allocation-free check agrees with the parser on every input.
            prop_assert_eq!(
                Fqan::check(&s, FqanSyntax::Lenient, &TextLimits::default()),
                parsed.map(|_| ())
            );
            let _ = FqanPattern::parse(&s);
        }
    }
}
