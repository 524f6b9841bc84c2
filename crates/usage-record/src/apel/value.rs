//! Field values and the conversions of the two profiles: apel's (Python `int()`, `float()`,
//! `utcfromtimestamp`, `strptime`) and the strict one.

use fedcloud_core::{DateTimeParts, UtcTime};
use std::borrow::Cow;
use std::fmt;

/// A typed field value. Text borrows from the message where it can.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Value<'a> {
    /// Text, as written (surrounding white space removed).
    Text(Cow<'a, str>),
    /// An integer.
    Int(i64),
    /// An integer outside 64 bits, kept as its digits (apel accepts these; its database does not).
    BigInt(Cow<'a, str>),
    /// A decimal number.
    Float(f64),
    /// A time (UTC).
    Time(UtcTime),
    /// A v0.4 benchmark dictionary.
    Benchmarks(Benchmarks<'a>),
}

impl PartialEq for Value<'_> {
    fn eq(&self, other: &Self) -> bool {
        // Floats compare by bits so that NaN equals itself and parse(render(x)) == x holds.
        match (self, other) {
            (Value::Text(a), Value::Text(b)) | (Value::BigInt(a), Value::BigInt(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
            (Value::Time(a), Value::Time(b)) => a == b,
            (Value::Benchmarks(a), Value::Benchmarks(b)) => a == b,
            _ => false,
        }
    }
}

impl Value<'_> {
    /// The same value owning its text.
    #[must_use]
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Text(t) => Value::Text(Cow::Owned(t.into_owned())),
            Value::BigInt(t) => Value::BigInt(Cow::Owned(t.into_owned())),
            Value::Int(i) => Value::Int(i),
            Value::Float(x) => Value::Float(x),
            Value::Time(t) => Value::Time(t),
            Value::Benchmarks(b) => Value::Benchmarks(Benchmarks {
                text: Cow::Owned(b.text.into_owned()),
            }),
        }
    }
}

/// A v0.4 benchmark dictionary such as `{hepspec: 11.4, HEPscore23: 15.3}`: benchmark names
/// and values, in the order written. It keeps the text it was read from (no allocation on the
/// parse path) and reads the entries from it on demand; equality compares the entries.
#[derive(Debug, Clone)]
pub struct Benchmarks<'a> {
    /// Validated dictionary text (braces optional, as apel reads it).
    text: Cow<'a, str>,
}

/// Why [`Benchmarks::from_entries`] refused its input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "benchmark name {0:?} cannot be written in a dictionary (empty, padded, or with , : {{ }} or a line break)"
)]
pub struct BadBenchmarkName(pub String);

impl<'a> Benchmarks<'a> {
    /// Text the parser has validated (see `split_entry`).
    pub(crate) fn validated(text: &'a str) -> Self {
        Self {
            text: Cow::Borrowed(text),
        }
    }

    /// A dictionary of the given entries.
    ///
    /// # Errors
    /// A name that could not be read back (empty, surrounding white space, or one of `,` `:`
    /// `{` `}` or a line break).
    pub fn from_entries<'k>(
        entries: impl IntoIterator<Item = (&'k str, f64)>,
    ) -> Result<Benchmarks<'static>, BadBenchmarkName> {
        let mut text = String::from("{");
        for (i, (k, v)) in entries.into_iter().enumerate() {
            if k.is_empty() || k.contains([',', ':', '{', '}', '\n', '\r']) || py_strip(k) != k {
                return Err(BadBenchmarkName(k.to_owned()));
            }
            if i > 0 {
                text.push_str(", ");
            }
            text.push_str(k);
            text.push_str(": ");
            text.push_str(&PyFloat(v).to_string());
        }
        text.push('}');
        Ok(Benchmarks {
            text: Cow::Owned(text),
        })
    }

    /// The entries, in the order written.
    pub fn entries(&self) -> impl Iterator<Item = (&str, f64)> + '_ {
        super::message::strip_braces(&self.text)
            .split(',')
            .filter_map(|item| split_entry(item).ok())
    }
}

impl PartialEq for Benchmarks<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.entries()
            .map(|(k, v)| (k, v.to_bits()))
            .eq(other.entries().map(|(k, v)| (k, v.to_bits())))
    }
}

impl fmt::Display for Benchmarks<'_> {
    /// The canonical form `{name: value, ...}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, (k, v)) in self.entries().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{k}: {}", PyFloat(v))?;
        }
        f.write_str("}")
    }
}

/// One `name: value` item of a dictionary, as apel's `_clean_up_dict` reads it; the error is
/// apel's text.
pub(crate) fn split_entry(item: &str) -> Result<(&str, f64), String> {
    // Items are short: a plain scan beats a vectorised search's set-up.
    let Some(colon) = item.bytes().position(|b| b == b':') else {
        return Err("not enough values to unpack (expected 2, got 1)".into());
    };
    let (k, v) = (
        item.get(..colon).unwrap_or_default(),
        item.get(colon + 1..).unwrap_or_default(),
    );
    if v.bytes().any(|b| b == b':') {
        return Err("too many values to unpack (expected 2)".into());
    }
    let (k, v) = (py_strip(k), py_strip(v));
    let x = py_float(v, true)
        .ok_or_else(|| format!("could not convert string to float: {}", py_repr(v)))?;
    Ok((k, x))
}

/// Renders a float so that both Python `float()` and this crate read it back to the same bits.
pub(crate) struct PyFloat(pub(crate) f64);

impl fmt::Display for PyFloat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.0;
        if x.is_nan() {
            f.write_str("nan")
        } else if x.is_infinite() {
            f.write_str(if x > 0.0 { "inf" } else { "-inf" })
        } else {
            write!(f, "{x:?}")
        }
    }
}

impl fmt::Display for Value<'_> {
    /// The APEL text form of the value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(t) | Value::BigInt(t) => f.write_str(t),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{}", PyFloat(*x)),
            Value::Time(t) => write!(f, "{}", t.epoch_seconds()),
            Value::Benchmarks(b) => write!(f, "{b}"),
        }
    }
}

/// Python's `str.strip()` white space: also U+001C–U+001F, which `char::is_whitespace` lacks.
pub(crate) fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

pub(crate) fn py_strip(s: &str) -> &str {
    // Fast path over ASCII edges (nearly every value); fall back to the Unicode rule only when a
    // non-ASCII character sits at an edge.
    let b = s.as_bytes();
    let ascii_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1f);
    let start = b.iter().position(|&c| !ascii_space(c)).unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|&c| !ascii_space(c))
        .map_or(start, |i| i + 1);
    let inner = s.get(start..end).unwrap_or_default();
    match (inner.as_bytes().first(), inner.as_bytes().last()) {
        (Some(f), Some(l)) if f.is_ascii() && l.is_ascii() => inner,
        (None, _) | (_, None) => inner,
        _ => inner.trim_matches(is_py_space),
    }
}

/// Python's `s.lower() == word` for a lower-case ASCII `word`. The only non-ASCII character
/// whose lower case is ASCII is the Kelvin sign (three bytes, lower-cased to `k`): a string of
/// the word's length matches by ASCII case folding, a longer one only through that sign.
pub(crate) fn py_lower_eq(s: &str, word: &str) -> bool {
    if s.len() == word.len() {
        s.eq_ignore_ascii_case(word)
    } else {
        // Each Kelvin sign is two bytes longer than the `k` it lowers to.
        s.len() > word.len()
            && (s.len() - word.len()).is_multiple_of(2)
            && word.contains('k')
            && !s.is_ascii()
            && s.contains('\u{212A}')
            && s.to_lowercase() == word
    }
}

/// apel's NULL spellings: `none`, `null` or empty, in any case.
pub(crate) fn is_null(s: &str) -> bool {
    s.is_empty()
        || (s.len() == 4 && (s.eq_ignore_ascii_case("none") || s.eq_ignore_ascii_case("null")))
}

/// An integer as Python's `int()` reads it (ASCII digits): an optional sign, digits, single
/// underscores between digits.
pub(crate) enum PyInt {
    Small(i64),
    Big,
}

pub(crate) fn py_int(s: &str, underscores: bool) -> Option<PyInt> {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..).unwrap_or_default()),
        Some(b'+') => (false, s.get(1..).unwrap_or_default()),
        _ => (false, s),
    };
    let bytes = digits.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    // One pass checks the syntax and accumulates the value (negatively, so that i64::MIN fits);
    // `None` once it no longer fits 64 bits.
    let mut value: Option<i64> = Some(0);
    let mut prev_digit = false;
    for &b in bytes {
        match b {
            b'0'..=b'9' => {
                prev_digit = true;
                let d = i64::from(b - b'0');
                value = value
                    .and_then(|v| v.checked_mul(10))
                    .and_then(|v| v.checked_sub(d));
            }
            b'_' if underscores && prev_digit => prev_digit = false,
            _ => return None,
        }
    }
    if !prev_digit {
        return None;
    }
    let value = if negative {
        value
    } else {
        value.and_then(i64::checked_neg)
    };
    Some(value.map_or(PyInt::Big, PyInt::Small))
}

/// 10⁰ to 10¹⁵, each an exact double.
const POWERS_OF_TEN: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// A float as Python's `float()` reads it (ASCII): decimal literals with optional exponent and
/// underscores between digits, or `inf`, `infinity`, `nan` in any case, with a sign.
pub(crate) fn py_float(s: &str, underscores: bool) -> Option<f64> {
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let special = |word: &str| unsigned.eq_ignore_ascii_case(word);
    let letter = unsigned
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_alphabetic);
    if letter && (special("inf") || special("infinity") || special("nan")) {
        let v = if special("nan") {
            f64::NAN
        } else {
            f64::INFINITY
        };
        return Some(if s.starts_with('-') { -v } else { v });
    }
    let b = unsigned.as_bytes();
    let mut i = 0;
    // The digits read: as one integer (exact while there are at most 19), how many, and
    // whether an underscore separated them.
    #[derive(Default)]
    struct Digits {
        value: u64,
        count: usize,
        underscore: bool,
    }
    let digits = |i: &mut usize, seen: &mut Digits| -> Option<usize> {
        let start = *i;
        let mut prev_digit = false;
        while let Some(&c) = b.get(*i) {
            match c {
                b'0'..=b'9' => {
                    prev_digit = true;
                    seen.value = seen
                        .value
                        .wrapping_mul(10)
                        .wrapping_add(u64::from(c - b'0'));
                    seen.count += 1;
                }
                b'_' if underscores && prev_digit => {
                    prev_digit = false;
                    seen.underscore = true;
                }
                _ => break,
            }
            *i += 1;
        }
        if *i > start && !prev_digit {
            return None;
        }
        Some(*i - start)
    };
    let mut mantissa = Digits::default();
    let int_len = digits(&mut i, &mut mantissa)?;
    let int_digits = mantissa.count;
    let mut frac_len = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        if b.get(i) == Some(&b'_') {
            return None;
        }
        frac_len = digits(&mut i, &mut mantissa)?;
    }
    if int_len + frac_len == 0 {
        return None;
    }
    if i == b.len()
        && mantissa.count <= 15
        && let Some(&scale) = POWERS_OF_TEN.get(mantissa.count - int_digits)
    {
        // Fifteen digits or fewer and no exponent: the digits and the power of ten are both
        // exact doubles, and one IEEE division rounds their quotient correctly (Clinger's fast
        // path), the value `str::parse` returns too.
        #[expect(clippy::cast_precision_loss, reason = "below 10^15 < 2^53: exact")]
        let x = mantissa.value as f64 / scale;
        return Some(if s.starts_with('-') { -x } else { x });
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i, &mut Digits::default())? == 0 {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    if mantissa.underscore {
        s.replace('_', "").parse::<f64>().ok()
    } else {
        s.parse::<f64>().ok()
    }
}

/// How a datetime field failed, with apel's text for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TimeError {
    /// Not a time at all.
    Syntax(String),
    /// A number of seconds outside 0001–9999.
    Range(String),
}

/// Seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, apel's (Python `datetime`'s) range.
const APEL_MIN: i64 = -62_135_596_800;
const APEL_MAX: i64 = 253_402_300_799;

/// The proleptic Gregorian year of epoch second `secs` (astronomical numbering), for apel's
/// out-of-range messages.
fn year_of(secs: i128) -> i128 {
    let days = secs.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i128::from(month <= 2)
}

/// apel's datetime conversion: an integer epoch (through `utcfromtimestamp`), else
/// `strptime('%Y-%m-%dT%H:%M:%S%Z')` after `Z` → `UTC`, read as UTC (apel reads it as local time;
/// we assume the loader runs with TZ=UTC, as its results are only right then).
pub(crate) fn apel_datetime(s: &str) -> Result<UtcTime, TimeError> {
    if let Some(n) = py_int(s, true) {
        let n: i128 = match n {
            PyInt::Small(v) => i128::from(v),
            PyInt::Big => {
                return Err(TimeError::Range(
                    "timestamp out of range for platform time_t".into(),
                ));
            }
        };
        if (i128::from(APEL_MIN)..=i128::from(APEL_MAX)).contains(&n) {
            let secs = i64::try_from(n).unwrap_or(0);
            return UtcTime::from_epoch_seconds(secs)
                .map_err(|_| TimeError::Range(format!("year {} is out of range", year_of(n))));
        }
        let year = year_of(n);
        if year - 1900 > i128::from(i32::MAX) || year - 1900 < i128::from(i32::MIN) {
            return Err(TimeError::Range(
                "[Errno 75] Value too large for defined data type".into(),
            ));
        }
        // Python formats the year after it went through a C int.
        let wrapped = year as i32;
        return Err(TimeError::Range(format!("year {wrapped} is out of range")));
    }
    strptime_utc(s).ok_or_else(|| TimeError::Syntax(format!("Unknown datetime format!: {s}")))
}

/// `(\d{4})-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])T(2[0-3]|[01]\d|\d):
/// ([0-5]\d|\d):(6[01]|[0-5]\d|\d)(utc|gmt)`, case-insensitive, whole string, after `Z` → `UTC`.
fn strptime_utc(s: &str) -> Option<UtcTime> {
    let b = s.as_bytes();
    let mut i = 0;
    let two = |i: &mut usize, max: u32, space_ok: bool| -> Option<u32> {
        let first = *b.get(*i)?;
        if space_ok && first == b' ' {
            let d = *b.get(*i + 1)?;
            if (b'1'..=b'9').contains(&d) {
                *i += 2;
                return Some(u32::from(d - b'0'));
            }
            return None;
        }
        if !first.is_ascii_digit() {
            return None;
        }
        if let Some(&second) = b.get(*i + 1).filter(|c| c.is_ascii_digit()) {
            let v = u32::from(first - b'0') * 10 + u32::from(second - b'0');
            if v <= max {
                *i += 2;
                return Some(v);
            }
        }
        *i += 1;
        Some(u32::from(first - b'0'))
    };
    let year_digits = b.get(0..4)?;
    if !year_digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let year = year_digits
        .iter()
        .fold(0i32, |acc, d| acc * 10 + i32::from(d - b'0'));
    i += 4;
    let sep = |i: &mut usize, c: u8| -> Option<()> {
        (b.get(*i).map(u8::to_ascii_uppercase) == Some(c)).then(|| *i += 1)
    };
    sep(&mut i, b'-')?;
    let month = two(&mut i, 12, false)?;
    sep(&mut i, b'-')?;
    let day = two(&mut i, 31, true)?;
    sep(&mut i, b'T')?;
    let hour = two(&mut i, 23, false)?;
    sep(&mut i, b':')?;
    let minute = two(&mut i, 59, false)?;
    sep(&mut i, b':')?;
    let second = two(&mut i, 61, false)?;
    let zone = s.get(i..)?;
    let zone_ok = zone == "Z"
        || zone.eq_ignore_ascii_case("utc")
        || zone.eq_ignore_ascii_case("gmt")
        // `Z` → `UTC` replaces upper-case Z only, so `UTc`-like mixes are fine but `z` is not.
        ;
    if !zone_ok || month == 0 || day == 0 || year == 0 {
        return None;
    }
    // strptime validates the date; mktime then normalises seconds 60 and 61.
    let base = UtcTime::from_parts(date_parts(year, month, day, hour, minute)?).ok()?;
    base.checked_add_seconds(i64::from(second))
        .filter(|t| t.epoch_seconds() <= APEL_MAX)
}

fn date_parts(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> Option<DateTimeParts> {
    let mut p = UtcTime::UNIX_EPOCH.parts();
    p.year = year;
    p.month = u8::try_from(month).ok()?;
    p.day = u8::try_from(day).ok()?;
    p.hour = u8::try_from(hour).ok()?;
    p.minute = u8::try_from(minute).ok()?;
    p.second = 0;
    Some(p)
}

/// The strict profile's times: epoch seconds (ASCII digits, optional `-`) or ISO 8601 with `Z`.
pub(crate) fn strict_datetime(s: &str) -> Result<UtcTime, TimeError> {
    let b = s.as_bytes();
    // Up to 18 digits always fit 64 bits: read here, as `parse_epoch` would.
    if (1..=18).contains(&b.len()) && b.iter().all(u8::is_ascii_digit) {
        let secs = b.iter().fold(0i64, |n, &c| n * 10 + i64::from(c - b'0'));
        return UtcTime::from_epoch_seconds(secs).map_err(|e| TimeError::Range(e.to_string()));
    }
    if s.bytes().all(|c| c.is_ascii_digit() || c == b'-') && !s.is_empty() {
        return UtcTime::parse_epoch(s).map_err(|e| TimeError::Range(e.to_string()));
    }
    UtcTime::parse_strict(s).map_err(|e| TimeError::Syntax(e.to_string()))
}

/// apel's `iso2seconds`: an ISO 8601 duration `P[nY][nM][nW][nD][T][nH][nM][n[.f]S]` to
/// seconds, with a year of 365 days and a month of 2,628,000 s (30.4167 days), fractional seconds
/// rounded half to even; `None` when the text does not match (apel then treats the field as
/// absent). The `T` is optional and an `M` before it means months.
pub(crate) fn iso2seconds(s: &str) -> Option<i64> {
    let s = s.strip_suffix('\n').unwrap_or(s);
    let rest = s.strip_prefix('P')?;
    let b = rest.as_bytes();
    let mut i = 0;
    let mut total: i128 = 0;
    // (unit letter, seconds per unit) in the order the pattern allows them.
    let before_t: [(u8, i128); 4] = [
        (b'Y', 31_536_000),
        (b'M', 2_628_000),
        (b'W', 604_800),
        (b'D', 86_400),
    ];
    let after_t: [(u8, i128); 2] = [(b'H', 3600), (b'M', 60)];
    let number = |i: &mut usize| -> Option<(i128, usize)> {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        let digits = rest.get(start..*i)?;
        (!digits.is_empty()).then(|| (digits.parse::<i128>().unwrap_or(i128::MAX / 2), start))
    };
    for (n, units) in [&before_t[..], &after_t[..]].into_iter().enumerate() {
        if n == 1 && b.get(i) == Some(&b'T') {
            i += 1;
        }
        for &(unit, secs) in units {
            let save = i;
            match number(&mut i) {
                Some((n, _)) if b.get(i) == Some(&unit) => {
                    i += 1;
                    total = total.saturating_add(n.saturating_mul(secs));
                }
                _ => i = save,
            }
        }
    }
    // Seconds: digits, optionally '.' or ',' and more digits, then 'S'.
    let save = i;
    if let Some((whole, start)) = number(&mut i) {
        let mut frac_text = "";
        if matches!(b.get(i), Some(b'.' | b',')) {
            let f_start = i + 1;
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            frac_text = rest.get(f_start..i).unwrap_or_default();
        }
        if b.get(i) == Some(&b'S') {
            i += 1;
            let seconds = if frac_text.is_empty()
                && rest
                    .get(start..i - 1)
                    .is_some_and(|t| !t.contains(['.', ',']))
            {
                whole
            } else {
                // Python: int(round(float("W.F"))), rounding half to even.
                let x: f64 = format!("{whole}.{frac_text}0").parse().unwrap_or(0.0);
                x.round_ties_even() as i128
            };
            total = total.saturating_add(seconds);
        } else {
            i = save;
        }
    }
    if i != b.len() {
        return None;
    }
    i64::try_from(total).ok()
}

/// apel's `parse_timestamp` (the `iso8601` package, default zone UTC): `YYYY[-MM[-DD]]` or
/// `YYYYMMDD`, then optionally `T` or space, `hh[[:]mm[[:]ss[.f]]]` and a zone `Z`, `±hh[[:]mm]`.
/// The error is apel's text (`Unable to parse date string '…'`, `month must be in 1..12`, …).
pub(crate) fn parse_timestamp(s: &str) -> Result<UtcTime, String> {
    let unparsable = || format!("Unable to parse date string {}", py_repr(s));
    let t = s.strip_suffix('\n').unwrap_or(s);
    let b = t.as_bytes();
    let digits = |from: usize, n: usize| -> Option<i64> {
        let part = b.get(from..from + n)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0i64, |a, d| a * 10 + i64::from(d - b'0')))
    };
    let year = digits(0, 4).ok_or_else(unparsable)?;
    let mut i = 4;
    let (mut month, mut day) = (1, 1);
    if b.get(i) == Some(&b'-') {
        // -M{1,2}
        let len = if digits(i + 1, 2).is_some() { 2 } else { 1 };
        month = digits(i + 1, len).ok_or_else(unparsable)?;
        i += 1 + len;
        if b.get(i) == Some(&b'-') {
            let len = if digits(i + 1, 2).is_some() { 2 } else { 1 };
            day = digits(i + 1, len).ok_or_else(unparsable)?;
            i += 1 + len;
        }
    } else if let (Some(m), Some(d)) = (digits(4, 2), digits(6, 2)) {
        month = m;
        day = d;
        i = 8;
    } else if i != b.len() {
        return Err(unparsable());
    }
    let (mut hour, mut minute, mut second, mut nanos) = (0, 0, 0, 0u32);
    let mut offset_secs = 0i64;
    if matches!(b.get(i), Some(b'T' | b' ')) {
        i += 1;
        hour = digits(i, 2).ok_or_else(unparsable)?;
        i += 2;
        let colon = |i: &mut usize| {
            if b.get(*i) == Some(&b':') {
                *i += 1;
            }
        };
        let save = i;
        colon(&mut i);
        if let Some(m) = digits(i, 2) {
            minute = m;
            i += 2;
            let save = i;
            colon(&mut i);
            let len = if digits(i, 2).is_some() { 2 } else { 1 };
            if let Some(sec) = digits(i, len) {
                second = sec;
                i += len;
                if matches!(b.get(i), Some(b'.' | b',')) {
                    let start = i + 1;
                    i += 1;
                    while b.get(i).is_some_and(u8::is_ascii_digit) {
                        i += 1;
                    }
                    let frac = t.get(start..i).unwrap_or_default();
                    if frac.is_empty() {
                        return Err(unparsable());
                    }
                    // Microseconds, truncated, as datetime keeps them.
                    let micro: String =
                        frac.chars().chain(std::iter::repeat('0')).take(6).collect();
                    nanos = micro.parse::<u32>().unwrap_or(0) * 1000;
                }
            } else {
                i = save;
            }
        } else {
            i = save;
        }
        match b.get(i) {
            Some(b'Z') => i += 1,
            Some(&sign @ (b'+' | b'-')) => {
                let h = digits(i + 1, 2).ok_or_else(unparsable)?;
                i += 3;
                if b.get(i) == Some(&b':') {
                    i += 1;
                }
                let m = match digits(i, 2) {
                    Some(m) => {
                        i += 2;
                        m
                    }
                    None => 0,
                };
                let off = h * 3600 + m * 60;
                if off >= 86_400 {
                    return Err(format!(
                        "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not {}.",
                        py_timedelta(if sign == b'-' { -off } else { off })
                    ));
                }
                offset_secs = if sign == b'-' { -off } else { off };
            }
            _ => {}
        }
    }
    if i != b.len() {
        return Err(unparsable());
    }
    if year == 0 {
        return Err("year 0 is out of range".into());
    }
    if !(1..=12).contains(&month) {
        return Err("month must be in 1..12".into());
    }
    let mut parts = UtcTime::UNIX_EPOCH.parts();
    parts.year = i32::try_from(year).map_err(|_| unparsable())?;
    parts.month = u8::try_from(month).map_err(|_| unparsable())?;
    parts.day = u8::try_from(day).map_err(|_| "day is out of range for month".to_owned())?;
    if hour > 23 {
        return Err("hour must be in 0..23".into());
    }
    if minute > 59 {
        return Err("minute must be in 0..59".into());
    }
    if second > 59 {
        return Err("second must be in 0..59".into());
    }
    parts.hour = u8::try_from(hour).unwrap_or(0);
    parts.minute = u8::try_from(minute).unwrap_or(0);
    parts.second = u8::try_from(second).unwrap_or(0);
    parts.nanosecond = nanos;
    let local =
        UtcTime::from_parts(parts).map_err(|_| "day is out of range for month".to_owned())?;
    local
        .checked_add_seconds(-offset_secs)
        .filter(|u| u.parts().year >= 1)
        .ok_or_else(|| "OverflowError: date value out of range".to_owned())
}

/// Python's `repr(timedelta(seconds=n))`.
fn py_timedelta(n: i64) -> String {
    let days = n.div_euclid(86_400);
    let secs = n.rem_euclid(86_400);
    match (days, secs) {
        (0, s) => format!("datetime.timedelta(seconds={s})"),
        (d, 0) => format!("datetime.timedelta(days={d})"),
        (d, s) => format!("datetime.timedelta(days={d}, seconds={s})"),
    }
}

/// Python's `repr()` of a string, for apel's `could not convert string to float: '…'`.
pub(crate) fn py_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_lower_equality() {
        assert!(py_lower_eq("HEPSPEC", "hepspec"));
        assert!(py_lower_eq("HepScore23", "hepscore23"));
        // Python lower-cases the Kelvin sign to 'k'.
        assert!(py_lower_eq("SI2\u{212A}", "si2k"));
        assert!(!py_lower_eq("hepspec ", "hepspec"));
        assert!(!py_lower_eq("h\u{e9}pspec", "hepspec"));
    }

    #[test]
    fn python_float_without_allocation_paths() {
        assert_eq!(py_float("1_0.5", true), Some(10.5));
        assert_eq!(py_float("1_0.5", false), None);
        assert_eq!(py_float("-InFiNiTy", true), Some(f64::NEG_INFINITY));
        assert!(py_float("NaN", true).is_some_and(f64::is_nan));
        assert_eq!(py_float("in", true), None);
    }

    #[test]
    fn python_int() {
        let ok = [
            ("10", 10),
            ("+10", 10),
            ("-5", -5),
            ("1_0", 10),
            ("010", 10),
        ];
        for (s, v) in ok {
            assert!(
                matches!(py_int(s, true), Some(PyInt::Small(x)) if x == v),
                "{s}"
            );
        }
        for s in [
            "1.5", "1e3", "0x10", "1__0", "_1", "1_", "", "1 2", "++1", "-",
        ] {
            assert!(py_int(s, true).is_none(), "{s}");
        }
        assert!(py_int("1_0", false).is_none());
        assert!(matches!(
            py_int("99999999999999999999999", true),
            Some(PyInt::Big)
        ));
        // The 64-bit edges, both ways.
        for v in [i64::MAX, i64::MIN, 0, -1, 1] {
            assert!(
                matches!(py_int(&v.to_string(), true), Some(PyInt::Small(x)) if x == v),
                "{v}"
            );
        }
        for s in [
            "9223372036854775808",
            "-9223372036854775809",
            "-0_9223372036854775809",
        ] {
            assert!(matches!(py_int(s, true), Some(PyInt::Big)), "{s}");
        }
        assert!(matches!(py_int("-0", true), Some(PyInt::Small(0))));
        assert!(matches!(py_int("0_0_7", true), Some(PyInt::Small(7))));
    }

    proptest::proptest! {
        /// Every i64, written with or without a plus sign and underscores, reads back.
        #[test]
        fn python_int_reads_every_i64(v: i64, plus: bool, split: usize) {
            let digits = v.unsigned_abs().to_string();
            let cut = split % digits.len();
            let body = if cut == 0 {
                digits.clone()
            } else {
                format!("{}_{}", &digits[..cut], &digits[cut..])
            };
            let sign = if v < 0 { "-" } else if plus { "+" } else { "" };
            let text = format!("{sign}{body}");
            proptest::prop_assert!(
                matches!(py_int(&text, true), Some(PyInt::Small(x)) if x == v),
                "{}", text
            );
        }
    }

    proptest::proptest! {
        /// Plain decimals (the fast path takes those of up to fifteen digits) read to the same
        /// bits as `str::parse`, with and without underscores between digits.
        #[test]
        fn python_float_matches_parse(
            sign in "[-+]?",
            int in "[0-9]{0,10}",
            frac in proptest::option::of("[0-9]{0,10}"),
            cut: usize,
        ) {
            let body = match &frac {
                Some(f) => format!("{int}.{f}"),
                None => int.clone(),
            };
            proptest::prop_assume!(body.bytes().any(|b| b.is_ascii_digit()));
            let text = format!("{sign}{body}");
            let expected = text.parse::<f64>().ok().map(f64::to_bits);
            proptest::prop_assert_eq!(py_float(&text, false).map(f64::to_bits), expected);
            // The same digits with one underscore inside the integer part.
            if int.len() >= 2 {
                let at = 1 + cut % (int.len() - 1);
                let split = format!("{sign}{}_{}", &text[sign.len()..sign.len() + at], &text[sign.len() + at..]);
                proptest::prop_assert_eq!(py_float(&split, true).map(f64::to_bits), expected);
            }
        }
    }

    #[test]
    fn python_float() {
        for (s, v) in [
            (".5", 0.5),
            ("5.", 5.0),
            ("1e5", 1e5),
            ("1E+5", 1e5),
            ("1_000.5", 1000.5),
            ("-2", -2.0),
            ("-0.0", -0.0),
            ("0.1", 0.1),
            ("123456789012345", 123_456_789_012_345.0),
            ("0.123456789012345", 0.123_456_789_012_345),
            ("1234567890123456.5", 1_234_567_890_123_456.5),
            ("9007199254740993", 9_007_199_254_740_993.0),
        ] {
            assert_eq!(py_float(s, true), Some(v), "{s}");
        }
        assert!(py_float("nan", true).unwrap().is_nan());
        assert_eq!(py_float("-Infinity", true), Some(f64::NEG_INFINITY));
        assert_eq!(py_float("iNf", true), Some(f64::INFINITY));
        assert_eq!(py_float("1e400", true), Some(f64::INFINITY));
        for s in [
            "1._5", "0x1p3", "1e", "", "1,5", ".", "e5", "1.5.2", "1_", "abc",
        ] {
            assert_eq!(py_float(s, true), None, "{s}");
        }
    }

    #[test]
    fn apel_times() {
        let ok = [
            ("1000", 1000),
            ("-1", -1),
            ("1_000", 1000),
            ("2020-01-01T00:00:00Z", 1_577_836_800),
            ("2020-01-01T00:00:00gmt", 1_577_836_800),
            ("2020-01-01T00:00:00UTC", 1_577_836_800),
            ("2020-1-1T0:0:0Z", 1_577_836_800),
            ("2020-01- 1t00:00:00Z", 1_577_836_800),
            ("2020-01-01T00:00:61Z", 1_577_836_861),
            ("-62135596800", APEL_MIN),
        ];
        for (s, secs) in ok {
            assert_eq!(
                apel_datetime(s).map(UtcTime::epoch_seconds),
                Ok(secs),
                "{s}"
            );
        }
        for s in [
            "2020-01-01T00:00:00",
            "2020-01-01T00:00:00z",
            "2020-01-01T00:00:00.5Z",
            "2020-01-01T00:00:00+00:00",
            "2020-02-30T00:00:00Z",
            "2020-01-01 00:00:00Z",
            "0000-01-01T00:00:00Z",
            "2000.5",
            "1e3",
            "0x10",
        ] {
            assert_eq!(
                apel_datetime(s),
                Err(TimeError::Syntax(format!("Unknown datetime format!: {s}"))),
                "{s}"
            );
        }
        let range = [
            ("253402300800", "year 10000 is out of range"),
            ("-62135596801", "year 0 is out of range"),
            ("1000000000000000", "year 31690708 is out of range"),
            ("-1000000000000", "year -29719 is out of range"),
            (
                "9223372036854775807",
                "[Errno 75] Value too large for defined data type",
            ),
            (
                "9223372036854775808",
                "timestamp out of range for platform time_t",
            ),
        ];
        for (s, msg) in range {
            assert_eq!(apel_datetime(s), Err(TimeError::Range(msg.into())), "{s}");
        }
    }

    #[test]
    fn strict_times() {
        assert_eq!(strict_datetime("1000").unwrap().epoch_seconds(), 1000);
        assert!(strict_datetime("2020-01-01T00:00:00Z").is_ok());
        assert!(strict_datetime("2020-01-01T00:00:00gmt").is_err());
        assert!(strict_datetime("1_000").is_err());
        assert!(strict_datetime("").is_err());
    }

    #[test]
    fn iso_durations() {
        let cases = [
            ("P1D", Some(86_400)),
            ("PT10S", Some(10)),
            ("PT10S\n", Some(10)),
            ("P1M", Some(2_628_000)),
            ("PT1M", Some(60)),
            ("P1H", Some(3600)),
            ("P1M1M", Some(2_628_060)),
            ("P", Some(0)),
            ("PT", Some(0)),
            ("P1Y2M3W4DT5H6M7S", Some(38_970_367)),
            ("PT10.5S", Some(10)),
            ("PT11.5S", Some(12)),
            ("PT10,7S", Some(11)),
            ("PT10.S", Some(10)),
            ("PT.5S", None),
            (" PT1S", None),
            ("-PT1S", None),
            ("10", None),
            ("PT1S ", None),
        ];
        for (text, secs) in cases {
            assert_eq!(iso2seconds(text), secs, "{text:?}");
        }
    }

    #[test]
    fn timestamps_like_iso8601() {
        let ok = [
            ("2020", 1_577_836_800, 0),
            ("2020-01-01", 1_577_836_800, 0),
            ("2020-1-1", 1_577_836_800, 0),
            ("20200101", 1_577_836_800, 0),
            ("2020-01-01 10:00:00", 1_577_872_800, 0),
            ("2020-01-01T10", 1_577_872_800, 0),
            ("2020-01-01T1010", 1_577_873_400, 0),
            ("2020-01-01T10:00:00Z", 1_577_872_800, 0),
            ("2020-01-01T11:00:00+01:00", 1_577_872_800, 0),
            ("2020-01-01T11:00:00+0100", 1_577_872_800, 0),
            ("2020-01-01T11:00:00+01", 1_577_872_800, 0),
            ("2013-02-22T15:58:44.567+01:00", 1_361_545_124, 567_000_000),
            ("2020-01-01T10:00:00.1234567Z", 1_577_872_800, 123_456_000),
        ];
        for (text, secs, nanos) in ok {
            let t = parse_timestamp(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!((t.epoch_seconds(), t.nanos()), (secs, nanos), "{text}");
        }
        let bad = [
            ("garbage", "Unable to parse date string 'garbage'"),
            ("", "Unable to parse date string ''"),
            (" 2020", "Unable to parse date string ' 2020'"),
            ("2020-13-01T00:00:00Z", "month must be in 1..12"),
            ("0000-01-01", "year 0 is out of range"),
            ("2020-01-01T24:00:00Z", "hour must be in 0..23"),
            ("2020-02-30", "day is out of range for month"),
            (
                "0001-01-01T00:00:00+01:00",
                "OverflowError: date value out of range",
            ),
        ];
        for (text, msg) in bad {
            assert_eq!(parse_timestamp(text).unwrap_err(), msg, "{text}");
        }
    }

    #[test]
    fn repr() {
        assert_eq!(py_repr("x"), "'x'");
        assert_eq!(py_repr("it's"), "\"it's\"");
        assert_eq!(py_repr("a'\"b"), "'a\\'\"b'");
        assert_eq!(py_repr("t\tb\\"), "'t\\tb\\\\'");
    }

    #[test]
    fn floats_render_back() {
        for x in [0.1, 1006.3, 1e300, -0.0, 519_728.0, f64::MIN_POSITIVE] {
            let text = PyFloat(x).to_string();
            assert_eq!(
                py_float(&text, false).map(f64::to_bits),
                Some(x.to_bits()),
                "{text}"
            );
        }
        assert_eq!(PyFloat(f64::NAN).to_string(), "nan");
        assert_eq!(PyFloat(f64::NEG_INFINITY).to_string(), "-inf");
    }
}
