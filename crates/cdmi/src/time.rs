//! CDMI timestamps (1.1.1 §5.14): ISO 8601 `YYYY-MM-DDThh:mm:ss.ssssssZ` — microseconds, a `.`
//! before them, always UTC — and intervals `start/end`.
//!
//! ```text
//! time     = date "T" hh ":" mm ":" ss "." 6DIGIT "Z"     ; hh 00–23 (T24:00 is refused)
//! interval = time "/" time
//! ```

use crate::{Error, ErrorKind};
use fedcloud_core::{Position, UtcTime};
use std::fmt;
use std::str::FromStr;

/// A CDMI timestamp, an instant in UTC with microsecond precision.
///
/// ```
/// use cdmi::time::Time;
/// let t: Time = "2009-07-21T14:12:09.123456Z".parse()?;
/// assert_eq!(t.to_string(), "2009-07-21T14:12:09.123456Z");
/// // Onedata writes seconds only: refused strictly, read leniently and written in full.
/// assert!("2009-07-21T14:12:09Z".parse::<Time>().is_err());
/// assert_eq!(Time::parse_lenient("2009-07-21T14:12:09Z")?.to_string(), "2009-07-21T14:12:09.000000Z");
/// # Ok::<(), cdmi::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(UtcTime);

impl Time {
    /// The instant, truncated to microseconds.
    #[must_use]
    pub fn new(t: UtcTime) -> Self {
        let micros = t.nanos() / 1000 * 1000;
        Self(UtcTime::from_epoch(t.epoch_seconds(), micros).unwrap_or(t))
    }

    /// The instant.
    #[must_use]
    pub const fn utc(self) -> UtcTime {
        self.0
    }

    /// Parses any RFC 3339 date-time (a fraction of any length or none, an offset), as
    /// producers write them; the instant is truncated to microseconds.
    ///
    /// # Errors
    /// `Time` with the position of `fedcloud-core`'s error.
    pub fn parse_lenient(s: &str) -> Result<Self, Error> {
        UtcTime::parse_lenient(s)
            .map(Self::new)
            .map_err(|e| Error::new(ErrorKind::Time(e.kind().to_string()), e.position()))
    }
}

impl FromStr for Time {
    type Err = Error;

    /// Parses the strict form, six fraction digits and `Z`.
    ///
    /// # Errors
    /// `Time` for another shape or a field out of range, at the offending character.
    fn from_str(s: &str) -> Result<Self, Error> {
        let b = s.as_bytes();
        let shape = b.len() == 27
            && b.get(19) == Some(&b'.')
            && b.get(20..26)
                .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
            && b.get(26) == Some(&b'Z');
        if !shape {
            let at = if b.get(19) != Some(&b'.') {
                19.min(b.len())
            } else {
                b.len().min(26)
            };
            return Err(Error::at(
                ErrorKind::Time("YYYY-MM-DDThh:mm:ss.ssssssZ (six fraction digits, UTC)".into()),
                b,
                at,
            ));
        }
        UtcTime::parse_strict(s)
            .map(Self)
            .map_err(|e| Error::new(ErrorKind::Time(e.kind().to_string()), e.position()))
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.0.parts();
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
            p.year,
            p.month,
            p.day,
            p.hour,
            p.minute,
            p.second,
            p.nanosecond / 1000
        )
    }
}

/// A CDMI interval `start/end` (retention periods, hold times, 1.1.1 §16.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Interval {
    /// The start.
    pub start: Time,
    /// The end, not before the start.
    pub end: Time,
}

impl FromStr for Interval {
    type Err = Error;

    /// # Errors
    /// `Time` for either instant (positioned in `s`), `IntervalOrder` when the end is before
    /// the start.
    fn from_str(s: &str) -> Result<Self, Error> {
        let Some((a, b)) = s.split_once('/') else {
            return Err(Error::at(
                ErrorKind::Time("start/end".into()),
                s.as_bytes(),
                s.len(),
            ));
        };
        let start: Time = a.parse()?;
        let end: Time = b.parse().map_err(|e: Error| {
            let p = e.position();
            Error::new(
                e.kind().clone(),
                Position::new(p.offset + a.len() + 1, 1, p.column + a.len() + 1),
            )
        })?;
        if end < start {
            return Err(Error::at(
                ErrorKind::IntervalOrder,
                s.as_bytes(),
                a.len() + 1,
            ));
        }
        Ok(Self { start, end })
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_and_lenient() {
        for (s, ok) in [
            ("2009-07-21T14:12:09.123456Z", true),
            ("2009-07-21T14:12:09.12345Z", false),
            ("2009-07-21T14:12:09.1234567Z", false),
            ("2009-07-21T14:12:09,123456Z", false),
            ("2009-07-21T24:00:00.000000Z", false),
            ("2009-07-21T14:12:09.123456+00:00", false),
            ("2009-02-30T14:12:09.123456Z", false),
        ] {
            assert_eq!(s.parse::<Time>().is_ok(), ok, "{s}");
        }
        let e = "2009-07-21T14:12:09Z".parse::<Time>().unwrap_err();
        assert_eq!(e.position().column, 20);
        let t = Time::parse_lenient("2009-07-21T16:12:09.1234567+02:00").unwrap();
        assert_eq!(t.to_string(), "2009-07-21T14:12:09.123456Z");
        assert!(Time::parse_lenient("yesterday").is_err());
    }

    #[test]
    fn intervals() {
        let i: Interval = "2009-07-21T14:12:09.000000Z/2019-07-21T14:12:09.000000Z"
            .parse()
            .unwrap();
        assert_eq!(
            i.to_string(),
            "2009-07-21T14:12:09.000000Z/2019-07-21T14:12:09.000000Z"
        );
        let e = "2019-07-21T14:12:09.000000Z/2009-07-21T14:12:09.000000Z"
            .parse::<Interval>()
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.position().column),
            (&ErrorKind::IntervalOrder, 29)
        );
        let e = "2009-07-21T14:12:09.000000Z/2019-07-21"
            .parse::<Interval>()
            .unwrap_err();
        assert!(e.position().column > 28, "{e}");
        assert!("2009-07-21T14:12:09.000000Z".parse::<Interval>().is_err());
    }
}
