//! UTC instants in the forms grid records carry, and an injectable clock.
//!
//! ```text
//! strict   = date-fullyear "-" date-month "-" date-mday "T" time-hour ":" time-minute ":"
//!            time-second [ "." 1*9DIGIT ] "Z"            ; RFC 3339 §5.6 restricted to UTC
//! epoch    = [ "-" / "+" ] 1*DIGIT                        ; seconds since 1970-01-01T00:00:00Z
//! lenient  = RFC 3339 date-time with "T", "t" or " ", "Z"/"z" or an offset ±hh:mm, ±hhmm, ±hh
//!            (converted to UTC), "." or "," before the fraction
//! ```
//!
//! Nothing here reads the machine's time zone: a `Z` time is UTC, an offset is subtracted, and
//! "now" comes from a [`Clock`] that tests and command-line tools can pin with [`FixedClock`].
//! Years are 0000–9999 (what the strict form can write); leap seconds (`:60`) are rejected
//! because a count of seconds since the epoch cannot hold them.

use crate::{Error, ErrorKind, Position};
use std::fmt;
use std::str::FromStr;

/// An instant in UTC with nanosecond precision, between 0000-01-01T00:00:00Z and
/// 9999-12-31T23:59:59.999999999Z.
///
/// ```
/// use fedcloud_core::UtcTime;
/// let t: UtcTime = "2023-05-21T23:11:40Z".parse()?;
/// assert_eq!(t.epoch_seconds(), 1_684_710_700);
/// assert_eq!(UtcTime::parse_lenient("2023-05-22T01:11:40+02:00")?, t);
/// assert_eq!(UtcTime::parse_epoch("1684710700")?, t);
/// assert_eq!(t.to_string(), "2023-05-21T23:11:40Z");
/// # Ok::<(), fedcloud_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcTime {
    secs: i64,
    nanos: u32,
}

/// Seconds from 1970 to 0000-01-01T00:00:00Z.
const MIN_SECS: i64 = -62_167_219_200;
/// Seconds from 1970 to 9999-12-31T23:59:59Z.
const MAX_SECS: i64 = 253_402_300_799;

/// The calendar parts of a [`UtcTime`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DateTimeParts {
    /// 0–9999.
    pub year: i32,
    /// 1–12.
    pub month: u8,
    /// 1–31.
    pub day: u8,
    /// 0–23.
    pub hour: u8,
    /// 0–59.
    pub minute: u8,
    /// 0–59.
    pub second: u8,
    /// 0–999 999 999.
    pub nanosecond: u32,
}

impl UtcTime {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: UtcTime = UtcTime { secs: 0, nanos: 0 };

    /// The instant `secs` seconds after the Unix epoch (negative: before).
    ///
    /// # Errors
    /// [`ErrorKind::TimeOutOfRange`] outside the years 0000–9999.
    pub fn from_epoch_seconds(secs: i64) -> Result<Self, Error> {
        Self::from_epoch(secs, 0)
    }

    /// The instant `secs` seconds and `nanos` nanoseconds after the Unix epoch.
    ///
    /// # Errors
    /// [`ErrorKind::TimeFieldRange`] for `nanos` ≥ 10⁹, [`ErrorKind::TimeOutOfRange`] outside
    /// the years 0000–9999.
    pub fn from_epoch(secs: i64, nanos: u32) -> Result<Self, Error> {
        if nanos >= 1_000_000_000 {
            return Err(Error::new(
                ErrorKind::TimeFieldRange("nanosecond"),
                Position::START,
            ));
        }
        if !(MIN_SECS..=MAX_SECS).contains(&secs) {
            return Err(Error::new(ErrorKind::TimeOutOfRange, Position::START));
        }
        Ok(Self { secs, nanos })
    }

    /// The instant of the given calendar parts (UTC).
    ///
    /// # Errors
    /// [`ErrorKind::TimeFieldRange`] for a field out of range (including 30 February),
    /// [`ErrorKind::TimeOutOfRange`] for a year outside 0000–9999.
    pub fn from_parts(p: DateTimeParts) -> Result<Self, Error> {
        let at = |kind| Error::new(kind, Position::START);
        if !(0..=9999).contains(&p.year) {
            return Err(at(ErrorKind::TimeOutOfRange));
        }
        if !(1..=12).contains(&p.month) {
            return Err(at(ErrorKind::TimeFieldRange("month")));
        }
        if p.day < 1 || p.day > days_in_month(p.year, p.month) {
            return Err(at(ErrorKind::TimeFieldRange("day")));
        }
        if p.hour > 23 {
            return Err(at(ErrorKind::TimeFieldRange("hour")));
        }
        if p.minute > 59 {
            return Err(at(ErrorKind::TimeFieldRange("minute")));
        }
        if p.second > 59 {
            return Err(at(ErrorKind::TimeFieldRange("second")));
        }
        let days = days_from_civil(p.year, p.month, p.day);
        let secs = days * 86_400
            + i64::from(p.hour) * 3600
            + i64::from(p.minute) * 60
            + i64::from(p.second);
        Self::from_epoch(secs, p.nanosecond)
    }

    /// Seconds since the Unix epoch (floor: the nanoseconds are in [`UtcTime::nanos`]).
    #[must_use]
    pub const fn epoch_seconds(self) -> i64 {
        self.secs
    }

    /// The nanoseconds past [`UtcTime::epoch_seconds`].
    #[must_use]
    pub const fn nanos(self) -> u32 {
        self.nanos
    }

    /// The calendar parts.
    #[must_use]
    pub fn parts(self) -> DateTimeParts {
        let days = self.secs.div_euclid(86_400);
        let rem = self.secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        // rem < 86 400, so the casts below cannot truncate.
        let hour = u8::try_from(rem / 3600).unwrap_or(0);
        let minute = u8::try_from(rem % 3600 / 60).unwrap_or(0);
        let second = u8::try_from(rem % 60).unwrap_or(0);
        DateTimeParts {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanosecond: self.nanos,
        }
    }

    /// This instant moved by `secs` seconds, or `None` outside the years 0000–9999.
    #[must_use]
    pub fn checked_add_seconds(self, secs: i64) -> Option<Self> {
        let s = self.secs.checked_add(secs)?;
        (MIN_SECS..=MAX_SECS).contains(&s).then_some(Self {
            secs: s,
            nanos: self.nanos,
        })
    }

    /// Whole seconds from `earlier` to `self` (negative if `earlier` is later), ignoring
    /// nanoseconds.
    #[must_use]
    pub const fn seconds_since(self, earlier: UtcTime) -> i64 {
        // Both lie within ±3×10¹¹, so the difference cannot overflow.
        self.secs - earlier.secs
    }

    /// Parses the strict form `YYYY-MM-DDThh:mm:ss[.fraction]Z`.
    ///
    /// # Errors
    /// [`ErrorKind::TimeSyntax`] for any other shape, [`ErrorKind::TimeFieldRange`] for a field
    /// out of range, [`ErrorKind::TimeFractionTooLong`] for more than 9 fraction digits.
    pub fn parse_strict(s: &str) -> Result<Self, Error> {
        parse_datetime(s, false)
    }

    /// Parses an RFC 3339 date-time leniently (see the module docs) and converts it to UTC.
    ///
    /// # Errors
    /// As [`UtcTime::parse_strict`], plus an offset out of range (hours ≤ 23, minutes ≤ 59).
    pub fn parse_lenient(s: &str) -> Result<Self, Error> {
        parse_datetime(s, true)
    }

    /// Parses integer seconds since the Unix epoch, with an optional sign.
    ///
    /// # Errors
    /// [`ErrorKind::TimeSyntax`] for anything but an optional sign and digits,
    /// [`ErrorKind::TimeOutOfRange`] outside the years 0000–9999.
    pub fn parse_epoch(s: &str) -> Result<Self, Error> {
        let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            let bad = s
                .bytes()
                .enumerate()
                .find(|&(i, b)| !(b.is_ascii_digit() || (i == 0 && (b == b'-' || b == b'+'))))
                .map_or(s.len(), |(i, _)| i);
            return Err(Error::at(
                ErrorKind::TimeSyntax("seconds since the epoch (digits with an optional sign)"),
                s.as_bytes(),
                bad,
            ));
        }
        let secs: i64 = s
            .parse()
            .map_err(|_| Error::new(ErrorKind::TimeOutOfRange, Position::START))?;
        Self::from_epoch_seconds(secs)
    }
}

impl FromStr for UtcTime {
    type Err = Error;

    /// As [`UtcTime::parse_strict`].
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse_strict(s)
    }
}

impl fmt::Display for UtcTime {
    /// The strict form; the fraction only when non-zero, without trailing zeros.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.parts();
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            p.year, p.month, p.day, p.hour, p.minute, p.second
        )?;
        if self.nanos != 0 {
            let frac = format!("{:09}", self.nanos);
            write!(f, ".{}", frac.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

/// A source of the current time. Every check of the workspace that depends on "now" takes one,
/// so tests and command-line tools (`--at`) can pin it.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> UtcTime;
}

/// The machine's clock (`std::time::SystemTime`), clamped to the representable years.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> UtcTime {
        let (secs, nanos) = match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)
        {
            Ok(d) => (
                i64::try_from(d.as_secs()).unwrap_or(MAX_SECS),
                d.subsec_nanos(),
            ),
            Err(before) => {
                let d = before.duration();
                let secs = i64::try_from(d.as_secs()).map_or(MIN_SECS, |s| -s);
                if d.subsec_nanos() == 0 {
                    (secs, 0)
                } else {
                    (secs - 1, 1_000_000_000 - d.subsec_nanos())
                }
            }
        };
        UtcTime {
            secs: secs.clamp(MIN_SECS, MAX_SECS),
            nanos,
        }
    }
}

/// A clock that always answers the same instant.
///
/// ```
/// use fedcloud_core::{Clock, FixedClock, UtcTime};
/// let clock = FixedClock("2026-11-21T00:00:00Z".parse()?);
/// assert_eq!(clock.now().to_string(), "2026-11-21T00:00:00Z");
/// # Ok::<(), fedcloud_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock(pub UtcTime);

impl Clock for FixedClock {
    fn now(&self) -> UtcTime {
        self.0
    }
}

impl<C: Clock + ?Sized> Clock for &C {
    fn now(&self) -> UtcTime {
        (**self).now()
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12) of `year`.
#[must_use]
pub(crate) fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        i32::try_from(year).unwrap_or(0),
        u8::try_from(month).unwrap_or(1),
        u8::try_from(day).unwrap_or(1),
    )
}

struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn err(&self, kind: ErrorKind) -> Error {
        Error::at(kind, self.s, self.pos)
    }

    fn digits(&mut self, n: usize, what: &'static str) -> Result<u32, Error> {
        let mut v = 0u32;
        for _ in 0..n {
            match self.s.get(self.pos) {
                Some(b) if b.is_ascii_digit() => {
                    v = v * 10 + u32::from(b - b'0');
                    self.pos += 1;
                }
                _ => return Err(self.err(ErrorKind::TimeSyntax(what))),
            }
        }
        Ok(v)
    }

    fn expect(&mut self, accepted: &[u8], what: &'static str) -> Result<u8, Error> {
        match self.s.get(self.pos) {
            Some(b) if accepted.contains(b) => {
                self.pos += 1;
                Ok(*b)
            }
            _ => Err(self.err(ErrorKind::TimeSyntax(what))),
        }
    }

    fn field<T: TryFrom<u32>>(
        &mut self,
        n: usize,
        what: &'static str,
        max: u32,
        min: u32,
    ) -> Result<T, Error> {
        let start = self.pos;
        let v = self.digits(n, what)?;
        if v < min || v > max {
            return Err(Error::at(ErrorKind::TimeFieldRange(what), self.s, start));
        }
        T::try_from(v).map_err(|_| Error::at(ErrorKind::TimeFieldRange(what), self.s, start))
    }
}

fn parse_datetime(s: &str, lenient: bool) -> Result<UtcTime, Error> {
    let mut c = Cursor {
        s: s.as_bytes(),
        pos: 0,
    };
    let year: i32 = c.field(4, "a four-digit year", 9999, 0)?;
    c.expect(b"-", "'-' after the year")?;
    let month: u8 = c.field(2, "a two-digit month", 12, 1)?;
    c.expect(b"-", "'-' after the month")?;
    let day_start = c.pos;
    let day: u8 = c.field(2, "a two-digit day", 31, 1)?;
    if day > days_in_month(year, month) {
        return Err(Error::at(ErrorKind::TimeFieldRange("day"), c.s, day_start));
    }
    c.expect(
        if lenient { b"Tt " } else { b"T" },
        "'T' between date and time",
    )?;
    let hour: u8 = c.field(2, "a two-digit hour", 23, 0)?;
    c.expect(b":", "':' after the hour")?;
    let minute: u8 = c.field(2, "two-digit minutes", 59, 0)?;
    c.expect(b":", "':' after the minutes")?;
    let second: u8 = c.field(2, "two-digit seconds", 59, 0)?;
    let mut nanos = 0u32;
    if matches!(c.s.get(c.pos), Some(b'.')) || (lenient && matches!(c.s.get(c.pos), Some(b','))) {
        c.pos += 1;
        let start = c.pos;
        let mut digits = 0usize;
        while let Some(b) = c.s.get(c.pos).filter(|b| b.is_ascii_digit()) {
            if digits == 9 {
                return Err(Error::at(ErrorKind::TimeFractionTooLong, c.s, start));
            }
            nanos = nanos * 10 + u32::from(b - b'0');
            digits += 1;
            c.pos += 1;
        }
        if digits == 0 {
            return Err(c.err(ErrorKind::TimeSyntax("fraction digits after '.'")));
        }
        nanos *= 10u32.pow(u32::try_from(9 - digits).unwrap_or(0));
    }
    let offset_secs: i64 = match c.s.get(c.pos) {
        Some(b'Z') => {
            c.pos += 1;
            0
        }
        Some(b'z') if lenient => {
            c.pos += 1;
            0
        }
        Some(&sign @ (b'+' | b'-')) if lenient => {
            c.pos += 1;
            let h: i64 = c.field::<u8>(2, "a two-digit offset hour", 23, 0)?.into();
            let m: i64 = match c.s.get(c.pos) {
                None => 0,
                Some(b':') => {
                    c.pos += 1;
                    c.field::<u8>(2, "two-digit offset minutes", 59, 0)?.into()
                }
                Some(_) => c.field::<u8>(2, "two-digit offset minutes", 59, 0)?.into(),
            };
            let off = h * 3600 + m * 60;
            if sign == b'-' { -off } else { off }
        }
        _ => {
            return Err(c.err(ErrorKind::TimeSyntax(if lenient {
                "'Z' or an offset"
            } else {
                "'Z' (UTC)"
            })));
        }
    };
    if c.pos != c.s.len() {
        return Err(c.err(ErrorKind::TimeSyntax("the end of the time")));
    }
    let local = UtcTime::from_parts(DateTimeParts {
        year,
        month,
        day,
        hour,
        minute,
        second,
        nanosecond: nanos,
    })
    .map_err(|e| Error::new(e.kind().clone(), Position::START))?;
    local
        .checked_add_seconds(-offset_secs)
        .ok_or_else(|| Error::new(ErrorKind::TimeOutOfRange, Position::START))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn strict_valid() {
        let cases: &[(&str, i64, u32, &str)] = &[
            ("1970-01-01T00:00:00Z", 0, 0, "1970-01-01T00:00:00Z"),
            (
                "2023-05-21T23:11:40Z",
                1_684_710_700,
                0,
                "2023-05-21T23:11:40Z",
            ),
            (
                "2000-02-29T12:00:00.5Z",
                951_825_600,
                500_000_000,
                "2000-02-29T12:00:00.5Z",
            ),
            (
                "1969-12-31T23:59:59.000000001Z",
                -1,
                1,
                "1969-12-31T23:59:59.000000001Z",
            ),
            ("0000-01-01T00:00:00Z", MIN_SECS, 0, "0000-01-01T00:00:00Z"),
            ("9999-12-31T23:59:59Z", MAX_SECS, 0, "9999-12-31T23:59:59Z"),
            (
                "2024-01-01T00:00:00.100Z",
                1_704_067_200,
                100_000_000,
                "2024-01-01T00:00:00.1Z",
            ),
        ];
        for &(input, secs, nanos, rendered) in cases {
            let t = UtcTime::parse_strict(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!((t.epoch_seconds(), t.nanos()), (secs, nanos), "{input}");
            assert_eq!(t.to_string(), rendered);
        }
    }

    #[test]
    fn strict_invalid() {
        let cases: &[(&str, usize)] = &[
            ("2023-05-21 23:11:40Z", 10),
            ("2023-05-21T23:11:40", 19),
            ("2023-05-21T23:11:40+00:00", 19),
            ("2023-05-21t23:11:40Z", 10),
            ("2023-5-21T23:11:40Z", 6),
            ("2023-05-21T23:11:40.Z", 20),
            ("2023-05-21T23:11:40ZZ", 20),
            ("2023-13-01T00:00:00Z", 5),
            ("2023-02-29T00:00:00Z", 8),
            ("1900-02-29T00:00:00Z", 8),
            ("2023-04-31T00:00:00Z", 8),
            ("2023-01-01T24:00:00Z", 11),
            ("2023-01-01T00:60:00Z", 14),
            ("2023-01-01T00:00:60Z", 17),
            ("2023-01-01T00:00:00.1234567890Z", 20),
            ("+2023-01-01T00:00:00Z", 0),
            ("", 0),
            ("1684710700", 4),
        ];
        for &(input, offset) in cases {
            let err = UtcTime::parse_strict(input).expect_err(input);
            assert_eq!(err.position().offset, offset, "{input}: {err}");
        }
        assert_eq!(
            UtcTime::parse_strict("2023-01-01T00:00:00.1234567890Z")
                .unwrap_err()
                .kind(),
            &ErrorKind::TimeFractionTooLong
        );
    }

    #[test]
    fn lenient() {
        let t = UtcTime::parse_strict("2023-05-21T23:11:40Z").unwrap();
        for input in [
            "2023-05-21T23:11:40Z",
            "2023-05-21t23:11:40z",
            "2023-05-21 23:11:40Z",
            "2023-05-21T23:11:40+00:00",
            "2023-05-21T23:11:40-00:00",
            "2023-05-22T01:11:40+02:00",
            "2023-05-22T01:11:40+0200",
            "2023-05-22T01:11:40+02",
            "2023-05-21T18:11:40-05:00",
            "2023-05-21T18:41:40-04:30",
        ] {
            assert_eq!(UtcTime::parse_lenient(input).unwrap(), t, "{input}");
        }
        assert_eq!(
            UtcTime::parse_lenient("2023-05-21T23:11:40,25Z")
                .unwrap()
                .nanos(),
            250_000_000
        );
        for bad in [
            "2023-05-21T23:11:40",
            "2023-05-21T23:11:40+24:00",
            "2023-05-21T23:11:40+02:60",
            "2023-05-21T23:11:40+2",
            "0000-01-01T00:00:00+01:00",
        ] {
            assert!(UtcTime::parse_lenient(bad).is_err(), "{bad}");
        }
        assert_eq!(
            UtcTime::parse_lenient("0000-01-01T00:00:00+01:00")
                .unwrap_err()
                .kind(),
            &ErrorKind::TimeOutOfRange
        );
    }

    #[test]
    fn epoch() {
        assert_eq!(UtcTime::parse_epoch("0").unwrap(), UtcTime::UNIX_EPOCH);
        assert_eq!(
            UtcTime::parse_epoch("-1").unwrap().to_string(),
            "1969-12-31T23:59:59Z"
        );
        assert_eq!(UtcTime::parse_epoch("+60").unwrap().epoch_seconds(), 60);
        for (bad, offset) in [
            ("", 0),
            ("-", 1),
            ("1.5", 1),
            ("1e3", 1),
            (" 1", 0),
            ("--1", 1),
        ] {
            let err = UtcTime::parse_epoch(bad).expect_err(bad);
            assert_eq!(err.position().offset, offset, "{bad}");
        }
        for big in ["253402300800", "99999999999999999999999", "-62167219201"] {
            assert_eq!(
                UtcTime::parse_epoch(big).unwrap_err().kind(),
                &ErrorKind::TimeOutOfRange
            );
        }
    }

    #[test]
    fn parts_and_arithmetic() {
        let t = UtcTime::parse_strict("2024-02-29T13:14:15.5Z").unwrap();
        let p = t.parts();
        assert_eq!(
            (p.year, p.month, p.day, p.hour, p.minute, p.second),
            (2024, 2, 29, 13, 14, 15)
        );
        assert_eq!(UtcTime::from_parts(p).unwrap(), t);
        let later = t.checked_add_seconds(2 * 86_400).unwrap();
        assert_eq!(later.to_string(), "2024-03-02T13:14:15.5Z");
        assert_eq!(later.seconds_since(t), 172_800);
        assert_eq!(
            UtcTime::from_epoch_seconds(MAX_SECS)
                .unwrap()
                .checked_add_seconds(1),
            None
        );
        assert!(UtcTime::from_epoch(0, 1_000_000_000).is_err());
        let mut bad = p;
        bad.day = 30;
        assert_eq!(
            UtcTime::from_parts(bad).unwrap_err().kind(),
            &ErrorKind::TimeFieldRange("day")
        );
    }

    #[test]
    fn clocks() {
        let fixed = FixedClock(UtcTime::parse_strict("2026-11-21T00:00:00Z").unwrap());
        assert_eq!(fixed.now(), fixed.0);
        let by_ref: &dyn Clock = &fixed;
        assert_eq!(by_ref.now(), fixed.0);
        // The system clock is after this code was written and inside the representable range.
        assert!(SystemClock.now() > UtcTime::parse_strict("2025-01-01T00:00:00Z").unwrap());
    }

    proptest! {
        #[test]
        fn round_trip(secs in MIN_SECS..=MAX_SECS, nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000]) {
            let t = UtcTime::from_epoch(secs, nanos).unwrap();
            let text = t.to_string();
            prop_assert_eq!(UtcTime::parse_strict(&text).unwrap(), t);
            prop_assert_eq!(UtcTime::parse_lenient(&text).unwrap(), t);
            prop_assert_eq!(UtcTime::from_parts(t.parts()).unwrap(), t);
            if nanos == 0 {
                prop_assert_eq!(UtcTime::parse_epoch(&secs.to_string()).unwrap(), t);
            }
        }

        #[test]
        fn offsets_shift(secs in 0i64..4_000_000_000, off_h in 0i64..24, off_m in 0i64..60, neg: bool) {
            let t = UtcTime::from_epoch_seconds(secs).unwrap();
            let off = (off_h * 3600 + off_m * 60) * if neg { -1 } else { 1 };
            let local = t.checked_add_seconds(off).unwrap();
            let body = local.to_string();
            let body = body.trim_end_matches('Z');
            let text = format!("{body}{}{off_h:02}:{off_m:02}", if neg { '-' } else { '+' });
            prop_assert_eq!(UtcTime::parse_lenient(&text).unwrap(), t);
        }

        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = UtcTime::parse_strict(&s);
            let _ = UtcTime::parse_lenient(&s);
            let _ = UtcTime::parse_epoch(&s);
        }
    }
}
