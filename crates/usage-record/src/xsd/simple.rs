//! The XML Schema 1.0 simple types the record schemas use (XSD Part 2 §3.2–3.3), with the
//! facets they apply: enumeration, pattern, maxLength, minInclusive/maxInclusive.
//!
//! Each check works on the lexical form after the type's white-space facet (Part 2 §4.3.6):
//! `string` keeps the text as it is, every other built-in type used here collapses runs of white
//! space and trims.

use super::lex::same_name;
use std::borrow::Cow;

/// A built-in primitive or derived type (XSD Part 2 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Builtin {
    String,
    Token,
    AnyUri,
    /// `xsd:ID` (an NCName; uniqueness across the document is not checked).
    Id,
    Int,
    Integer,
    PositiveInteger,
    NonNegativeInteger,
    Decimal,
    Float,
    Boolean,
    Duration,
    DateTime,
    Base64Binary,
}

/// A `pattern` facet of the record schemas, each written out by hand (no regular-expression
/// engine is needed for the two patterns that occur).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// `urf:domainNameType` (GFD.98 and CAR):
    /// `([a-zA-Z0-9][a-zA-Z0-9'\-']*[a-zA-Z0-9]\.)*([a-zA-Z0-9][a-zA-Z0-9'\-']*[a-zA-Z0-9])?`
    DomainName,
    /// `\d\d\d\d` (the AUR `Year`).
    FourDigits,
}

/// A simple type: a built-in base with the facets of its restriction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SimpleType {
    pub(crate) base: Builtin,
    pub(crate) enumeration: &'static [&'static str],
    pub(crate) pattern: Option<Pattern>,
    pub(crate) max_length: Option<usize>,
    pub(crate) min_inclusive: Option<i64>,
    pub(crate) max_inclusive: Option<i64>,
}

impl SimpleType {
    pub(crate) const fn of(base: Builtin) -> Self {
        Self {
            base,
            enumeration: &[],
            pattern: None,
            max_length: None,
            min_inclusive: None,
            max_inclusive: None,
        }
    }

    pub(crate) const fn enumeration(base: Builtin, values: &'static [&'static str]) -> Self {
        let mut t = Self::of(base);
        t.enumeration = values;
        t
    }

    /// Why `raw` is not a valid value of this type, if it is not.
    pub(crate) fn check(&self, raw: &str) -> Result<(), String> {
        let value = white_space(self.base, raw);
        let v = value.as_ref();
        if !lexical_ok(self.base, v) {
            return Err(format!(
                "'{v}' is not a valid value of xsd:{}",
                self.base.name()
            ));
        }
        // A value of at most `max` bytes has at most `max` characters.
        if let Some(max) = self.max_length
            && v.len() > max
            && v.chars().count() > max
        {
            return Err(format!("'{v}' is longer than {max} characters"));
        }
        if let Some(p) = self.pattern
            && !p.matches(v)
        {
            return Err(format!("'{v}' does not match the pattern {}", p.source()));
        }
        if !self.enumeration.is_empty() && !self.enumeration.iter().any(|e| same_name(e, v)) {
            return Err(format!(
                "'{v}' is not one of the enumerated values {{{}}}",
                self.enumeration.join(", ")
            ));
        }
        if self.min_inclusive.is_some() || self.max_inclusive.is_some() {
            // Range facets occur only on integer types, whose lexical form was checked above.
            let n = v.trim_start_matches('+').parse::<i64>().ok();
            let below = matches!((n, self.min_inclusive), (Some(n), Some(m)) if n < m);
            let above = matches!((n, self.max_inclusive), (Some(n), Some(m)) if n > m);
            if below || above || n.is_none() {
                return Err(format!(
                    "'{v}' is outside the range {}..={}",
                    self.min_inclusive.unwrap_or(i64::MIN),
                    self.max_inclusive.unwrap_or(i64::MAX)
                ));
            }
        }
        Ok(())
    }
}

impl Builtin {
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Builtin::String => "string",
            Builtin::Token => "token",
            Builtin::AnyUri => "anyURI",
            Builtin::Id => "ID",
            Builtin::Int => "int",
            Builtin::Integer => "integer",
            Builtin::PositiveInteger => "positiveInteger",
            Builtin::NonNegativeInteger => "nonNegativeInteger",
            Builtin::Decimal => "decimal",
            Builtin::Float => "float",
            Builtin::Boolean => "boolean",
            Builtin::Duration => "duration",
            Builtin::DateTime => "dateTime",
            Builtin::Base64Binary => "base64Binary",
        }
    }
}

impl Pattern {
    fn source(self) -> &'static str {
        match self {
            Pattern::DomainName => {
                r"([a-zA-Z0-9][a-zA-Z0-9'\-']*[a-zA-Z0-9]\.)*([a-zA-Z0-9][a-zA-Z0-9'\-']*[a-zA-Z0-9])?"
            }
            Pattern::FourDigits => r"\d\d\d\d",
        }
    }

    fn matches(self, v: &str) -> bool {
        match self {
            // `\d` is any Unicode decimal digit, but the pattern only ever restricts `xsd:int`,
            // whose lexical space already admits ASCII digits alone.
            Pattern::FourDigits => v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit()),
            Pattern::DomainName => domain_name(v),
        }
    }
}

/// `(label \.)* label?` where a label is an alphanumeric, then `[alnum ' -]*`, then an
/// alphanumeric (so at least two characters). The empty string matches.
fn domain_name(v: &str) -> bool {
    let inner = |c: char| c.is_ascii_alphanumeric() || c == '\'' || c == '-';
    let label = |l: &str| {
        let b = l.as_bytes();
        b.len() >= 2
            && b.first().is_some_and(u8::is_ascii_alphanumeric)
            && b.last().is_some_and(u8::is_ascii_alphanumeric)
            && l.chars().all(inner)
    };
    if v.is_empty() {
        return true;
    }
    // A trailing dot ends the last repeated group with nothing after it: the optional final
    // label is absent.
    let labels = v.strip_suffix('.').unwrap_or(v);
    !labels.is_empty() && labels.split('.').all(label)
}

fn white_space(base: Builtin, raw: &str) -> Cow<'_, str> {
    let is_ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    match base {
        Builtin::String => Cow::Borrowed(raw),
        // Most values hold no byte up to the space: nothing to replace, collapse or trim.
        _ if raw.bytes().all(|b| b > b' ') => Cow::Borrowed(raw),
        _ => {
            // The white-space characters are ASCII, and no byte of a multi-byte UTF-8 sequence
            // is: the checks run over bytes.
            let ws = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
            let trimmed = raw.trim_matches(is_ws);
            let mut prev_ws = false;
            let needs_work = trimmed.bytes().any(|b| {
                let bad = ws(b) && (b != b' ' || prev_ws);
                prev_ws = ws(b);
                bad
            });
            if !needs_work {
                return Cow::Borrowed(trimmed);
            }
            let mut out = String::with_capacity(trimmed.len());
            let mut in_ws = false;
            for c in trimmed.chars() {
                if is_ws(c) {
                    if !in_ws {
                        out.push(' ');
                    }
                    in_ws = true;
                } else {
                    out.push(c);
                    in_ws = false;
                }
            }
            Cow::Owned(out)
        }
    }
}

fn lexical_ok(base: Builtin, v: &str) -> bool {
    match base {
        Builtin::String | Builtin::Token | Builtin::AnyUri => true,
        Builtin::Id => ncname(v),
        Builtin::Integer => integer(v).is_some(),
        Builtin::Int => integer(v).is_some_and(|(neg, digits)| {
            let d = digits.trim_start_matches('0');
            let d = if d.is_empty() { "0" } else { d };
            d.len() <= 10
                && d.parse::<i64>().is_ok_and(|n| {
                    let n = if neg { -n } else { n };
                    (i64::from(i32::MIN)..=i64::from(i32::MAX)).contains(&n)
                })
        }),
        Builtin::PositiveInteger => {
            integer(v).is_some_and(|(neg, digits)| !neg && digits.bytes().any(|b| b != b'0'))
        }
        Builtin::NonNegativeInteger => {
            integer(v).is_some_and(|(neg, digits)| !neg || digits.bytes().all(|b| b == b'0'))
        }
        Builtin::Decimal => decimal(v),
        Builtin::Float => matches!(v, "INF" | "-INF" | "NaN") || float(v),
        Builtin::Boolean => matches!(v, "true" | "false" | "1" | "0"),
        Builtin::Duration => duration(v),
        Builtin::DateTime => date_time(v),
        Builtin::Base64Binary => base64(v),
    }
}

/// `[+-]? [0-9]+`: the sign and the digits.
fn integer(v: &str) -> Option<(bool, &str)> {
    let (neg, digits) = match v.as_bytes().first() {
        Some(b'-') => (true, v.get(1..)?),
        Some(b'+') => (false, v.get(1..)?),
        _ => (false, v),
    };
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some((neg, digits))
}

/// `[+-]? (digits ('.' digits?)? | '.' digits)`.
fn decimal(v: &str) -> bool {
    let body = v.strip_prefix(['+', '-']).unwrap_or(v);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    digits(int)
        && frac.is_none_or(digits)
        && (!int.is_empty() || frac.is_some_and(|f| !f.is_empty()))
}

/// A decimal mantissa with an optional `[eE][+-]?digits` exponent.
fn float(v: &str) -> bool {
    match v.split_once(['e', 'E']) {
        Some((m, e)) => decimal(m) && integer(e).is_some(),
        None => decimal(v),
    }
}

fn ncname(v: &str) -> bool {
    let mut chars = v.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\u{B7}'))
}

/// `-?P(nY)?(nM)?(nD)?(T(nH)?(nM)?(n(.n)?S)?)?` with at least one component, and at least one
/// after a `T` (Part 2 §3.2.6).
fn duration(v: &str) -> bool {
    let body = v.strip_prefix('-').unwrap_or(v);
    let Some(body) = body.strip_prefix('P') else {
        return false;
    };
    let (date, time) = match body.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (body, None),
    };
    let mut any = false;
    let Some(()) = components(date, &['Y', 'M', 'D'], false, &mut any) else {
        return false;
    };
    if let Some(t) = time {
        let mut any_time = false;
        let Some(()) = components(t, &['H', 'M', 'S'], true, &mut any_time) else {
            return false;
        };
        if !any_time {
            return false;
        }
        any = true;
    }
    any
}

/// Reads `digits designator` pairs in the order of `designators`; the last one may carry a
/// fraction when `fraction_last`.
fn components(
    mut s: &str,
    designators: &[char],
    fraction_last: bool,
    any: &mut bool,
) -> Option<()> {
    let mut next = 0;
    while !s.is_empty() {
        let end = s.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let (num, rest) = s.split_at(end);
        let d = rest.chars().next()?;
        let idx = designators.iter().position(|x| *x == d)?;
        if idx < next || num.is_empty() {
            return None;
        }
        let last = idx + 1 == designators.len();
        let ok_num = if fraction_last && last {
            match num.split_once('.') {
                Some((i, f)) => {
                    !i.is_empty()
                        && !f.is_empty()
                        && (i.bytes().chain(f.bytes())).all(|b| b.is_ascii_digit())
                }
                None => num.bytes().all(|b| b.is_ascii_digit()),
            }
        } else {
            num.bytes().all(|b| b.is_ascii_digit())
        };
        if !ok_num {
            return None;
        }
        *any = true;
        next = idx + 1;
        s = rest.get(d.len_utf8()..)?;
    }
    Some(())
}

/// `-?yyyy-mm-ddThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?` (Part 2 §3.2.7), with the calendar checked.
fn date_time(v: &str) -> bool {
    let body = v.strip_prefix('-').unwrap_or(v);
    let Some((date, time)) = body.split_once('T') else {
        return false;
    };
    let mut d = date.rsplitn(3, '-');
    let (Some(day), Some(month), Some(year)) = (d.next(), d.next(), d.next()) else {
        return false;
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(year) || year.len() < 4 || (year.len() > 4 && year.starts_with('0')) {
        return false;
    }
    if year.bytes().all(|b| b == b'0') {
        return false;
    }
    if day.len() != 2 || month.len() != 2 || !all_digits(day) || !all_digits(month) {
        return false;
    }
    let (Ok(y), Ok(m), Ok(dd)) = (
        year.parse::<u64>().map(|y| y % 400),
        month.parse::<u32>(),
        day.parse::<u32>(),
    ) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if dd == 0 || dd > days {
        return false;
    }
    // Split off the zone.
    let (clock, zone) = if let Some(c) = time.strip_suffix('Z') {
        (c, None)
    } else if let Some(i) = time.rfind(['+', '-']) {
        (time.get(..i).unwrap_or(""), time.get(i..))
    } else {
        (time, None)
    };
    if let Some(z) = zone {
        let ok = z.len() == 6
            && z.get(3..4) == Some(":")
            && z.get(1..3).is_some_and(all_digits)
            && z.get(4..6).is_some_and(all_digits);
        if !ok {
            return false;
        }
        let hh: u32 = z.get(1..3).and_then(|s| s.parse().ok()).unwrap_or(99);
        let mm: u32 = z.get(4..6).and_then(|s| s.parse().ok()).unwrap_or(99);
        if mm > 59 || hh > 14 || (hh == 14 && mm != 0) {
            return false;
        }
    }
    let (hms, frac) = match clock.split_once('.') {
        Some((a, f)) => (a, Some(f)),
        None => (clock, None),
    };
    if frac.is_some_and(|f| !all_digits(f)) {
        return false;
    }
    let mut parts = hms.split(':');
    let (Some(h), Some(mi), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    if [h, mi, s].iter().any(|p| p.len() != 2 || !all_digits(p)) {
        return false;
    }
    let num = |p: &str| p.parse::<u32>().unwrap_or(99);
    let (h, mi, s) = (num(h), num(mi), num(s));
    if h == 24 {
        return mi == 0 && s == 0 && frac.is_none_or(|f| f.bytes().all(|b| b == b'0'));
    }
    h < 24 && mi < 60 && s < 60
}

/// Base64 in the canonical alphabet, white space allowed between characters, length a multiple
/// of four, padding only at the end (Part 2 §3.2.16).
fn base64(v: &str) -> bool {
    let chars = || v.bytes().filter(|b| *b != b' ');
    if !chars().count().is_multiple_of(4) {
        return false;
    }
    let pad = v
        .bytes()
        .rev()
        .filter(|b| *b != b' ')
        .take_while(|b| *b == b'=')
        .count();
    if pad > 2 {
        return false;
    }
    let body_len = chars().count() - pad;
    if !chars()
        .take(body_len)
        .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
    {
        return false;
    }
    // The last character before padding must leave the unused bits zero.
    match (pad, chars().take(body_len).last().as_ref()) {
        (1, Some(c)) => b"AEIMQUYcgkosw048".contains(c),
        (2, Some(c)) => b"AQgw".contains(c),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_spaces() {
        let cases: &[(Builtin, &str, bool)] = &[
            (Builtin::PositiveInteger, "1", true),
            (Builtin::PositiveInteger, "+007", true),
            (Builtin::PositiveInteger, " 12 ", true),
            (Builtin::PositiveInteger, "0", false),
            (Builtin::PositiveInteger, "-1", false),
            (Builtin::PositiveInteger, "1.0", false),
            (Builtin::NonNegativeInteger, "0", true),
            (Builtin::NonNegativeInteger, "-0", true),
            (Builtin::NonNegativeInteger, "+12", true),
            (Builtin::NonNegativeInteger, "-1", false),
            (Builtin::NonNegativeInteger, "1e3", false),
            (Builtin::Decimal, "-1.50", true),
            (Builtin::Decimal, ".5", true),
            (Builtin::Decimal, "1e3", false),
            (Builtin::Decimal, "INF", false),
            (Builtin::PositiveInteger, "", false),
            (Builtin::Int, "2147483647", true),
            (Builtin::Int, "2147483648", false),
            (Builtin::Int, "-2147483648", true),
            (Builtin::Int, "000000000000001", true),
            (Builtin::Int, "0", true),
            (Builtin::Int, "-000", true),
            (Builtin::Float, "1.5e3", true),
            (Builtin::Float, ".5", true),
            (Builtin::Float, "5.", true),
            (Builtin::Float, "INF", true),
            (Builtin::Float, "+INF", false),
            (Builtin::Float, "1e", false),
            (Builtin::Float, "abc", false),
            (Builtin::Boolean, "1", true),
            (Builtin::Boolean, "True", false),
            (Builtin::Duration, "P1D", true),
            (Builtin::Duration, "PT36.5S", true),
            (Builtin::Duration, "-P1Y2M3DT4H5M6S", true),
            (Builtin::Duration, "P", false),
            (Builtin::Duration, "PT", false),
            (Builtin::Duration, "P1DT", false),
            (Builtin::Duration, "P1S", false),
            (Builtin::Duration, "PT1.5H", false),
            (Builtin::Duration, "P1M1Y", false),
            (Builtin::DateTime, "2012-02-29T10:00:00Z", true),
            (Builtin::DateTime, "2011-02-29T10:00:00Z", false),
            (Builtin::DateTime, "2012-01-01T24:00:00", true),
            (Builtin::DateTime, "2012-01-01T24:00:01", false),
            (Builtin::DateTime, "2012-01-01T10:00:00.123+02:00", true),
            (Builtin::DateTime, "2012-01-01T10:00:00+15:00", false),
            (Builtin::DateTime, "2012-01-01 10:00:00Z", false),
            (Builtin::DateTime, "0000-01-01T00:00:00Z", false),
            (Builtin::DateTime, "12012-01-01T00:00:00Z", true),
            (Builtin::Base64Binary, "QUJD", true),
            (Builtin::Base64Binary, "QUI=", true),
            (Builtin::Base64Binary, "QUJ", false),
            (Builtin::Id, "a-1", true),
            (Builtin::Id, "1a", false),
        ];
        for (b, v, ok) in cases {
            assert_eq!(SimpleType::of(*b).check(v).is_ok(), *ok, "{b:?} {v:?}");
        }
    }

    #[test]
    fn facets() {
        let host = SimpleType {
            pattern: Some(Pattern::DomainName),
            max_length: Some(255),
            ..SimpleType::of(Builtin::String)
        };
        for (v, ok) in [
            ("ce.example.org", true),
            ("", true),
            ("a", false),
            ("host:2119/jobmanager", false),
            ("ab.", true),
            ("x'y-z.org", true),
            (" ce.example.org", false),
        ] {
            assert_eq!(host.check(v).is_ok(), ok, "{v:?}");
        }
        assert!(host.check(&"ab".repeat(200)).is_err());
        let status = SimpleType::enumeration(Builtin::Token, &["completed", "started"]);
        assert!(status.check("  completed ").is_ok());
        assert!(status.check("Completed").is_err());
        let grid = SimpleType::enumeration(Builtin::String, &["grid", "local"]);
        assert!(grid.check(" grid").is_err());
        let month = SimpleType {
            min_inclusive: Some(1),
            max_inclusive: Some(12),
            ..SimpleType::of(Builtin::Int)
        };
        assert!(month.check("12").is_ok());
        assert!(month.check("13").is_err());
        assert!(month.check("0").is_err());
        let year = SimpleType {
            pattern: Some(Pattern::FourDigits),
            ..SimpleType::of(Builtin::Int)
        };
        assert!(year.check("2026").is_ok());
        assert!(year.check("+2026").is_err());
        assert!(year.check("026").is_err());
    }
}
