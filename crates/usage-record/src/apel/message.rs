//! Parsing and validating an APEL text message: the header line, records separated by `%%`
//! lines, `Key: Value` lines.

use super::record::{BenchmarkChoice, Record};
use super::schema::{Field, Kind, RecordType};
use super::value::{
    Benchmarks, PyInt, TimeError, Value, apel_datetime, is_null, is_py_space, py_float, py_int,
    py_lower_eq, py_strip, split_entry, strict_datetime,
};
use crate::finding::{Code, Finding, Severity};
use fedcloud_core::{Clock, Position, UtcTime};
use std::borrow::Cow;

/// Which rules validation applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Profile {
    /// Accept and reject exactly what apel 2.5.0's loader does (its NULL spellings, ignored
    /// keys, last-duplicate-wins, benchmark rules and known quirks), reporting every problem
    /// with its place. Where apel's loader would crash, the record is rejected with
    /// [`Code::ApelLoaderCrash`]. See the crate documentation for the list of decisions.
    #[default]
    Apel,
    /// The published EGI record definitions: the fields they make mandatory, strict number and
    /// time syntax, column sizes and integer ranges as errors, no duplicate keys, the cloud
    /// status enumeration, non-negative counts and durations.
    Strict,
}

/// Size limits. Every one has a default far above real messages (apel's unloader writes at
/// most 1000 records per message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The largest message, in bytes (default 1 GiB).
    pub max_message_bytes: usize,
    /// The longest line, in bytes (default 1 MiB).
    pub max_line_bytes: usize,
    /// The most records in one message (default 10 000 000; JSON messages hold at most 1000
    /// by their schema).
    pub max_records: usize,
    /// The deepest nesting of a JSON message (default 64; the schemas need 3).
    pub max_depth: usize,
    /// The record text [`validate_reader`](super::validate_reader) validates at once, in
    /// bytes (default 1 MiB): its memory besides one record (a longer record is held whole).
    pub batch_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_message_bytes: 1 << 30,
            max_line_bytes: 1 << 20,
            max_records: 10_000_000,
            max_depth: 64,
            batch_bytes: 1 << 20,
        }
    }
}

impl Limits {
    /// These limits with `max_message_bytes` replaced.
    #[must_use]
    pub const fn with_max_message_bytes(mut self, n: usize) -> Self {
        self.max_message_bytes = n;
        self
    }

    /// These limits with `max_line_bytes` replaced.
    #[must_use]
    pub const fn with_max_line_bytes(mut self, n: usize) -> Self {
        self.max_line_bytes = n;
        self
    }

    /// These limits with `max_depth` replaced.
    #[must_use]
    pub const fn with_max_depth(mut self, n: usize) -> Self {
        self.max_depth = n;
        self
    }

    /// These limits with `batch_bytes` replaced (at least one byte is used).
    #[must_use]
    pub const fn with_batch_bytes(mut self, n: usize) -> Self {
        self.batch_bytes = n;
        self
    }

    /// These limits with `max_records` replaced.
    #[must_use]
    pub const fn with_max_records(mut self, n: usize) -> Self {
        self.max_records = n;
        self
    }
}

/// How to validate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// The rules.
    pub profile: Profile,
    /// "Now", for the checks that look at it (job EndTime ≤ now + 2 days, summary month not in
    /// the future). Take it from a [`Clock`] so tests and tools can pin it.
    pub now: UtcTime,
    /// Size limits.
    pub limits: Limits,
    /// Leniency for JSON messages: accept the version with a `v` prefix (`"v0.2"`, as apel's
    /// 2020 public IP schema wrote it) as well as without (`"0.2"`, as caso sends it).
    pub lenient_json_version: bool,
}

impl Options {
    /// Options with the given profile, "now" from `clock`, and default limits.
    #[must_use]
    pub fn new(profile: Profile, clock: &dyn Clock) -> Self {
        Self {
            profile,
            now: clock.now(),
            limits: Limits::default(),
            lenient_json_version: false,
        }
    }

    /// These options with the JSON version leniency on or off.
    #[must_use]
    pub const fn with_lenient_json_version(mut self, on: bool) -> Self {
        self.lenient_json_version = on;
        self
    }

    /// These options with other limits.
    #[must_use]
    pub const fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}

/// One record of a message with where it starts and whether it passed.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'a> {
    /// 0-based index in the message.
    pub index: usize,
    /// The start of its first line.
    pub position: Position,
    /// The values as read (values that failed conversion are absent).
    pub record: Record<'a>,
    /// Whether no error concerns this record.
    pub valid: bool,
}

/// A parsed and validated APEL text message.
#[derive(Debug, Clone, PartialEq)]
pub struct Message<'a> {
    /// The profile it was validated with.
    pub profile: Profile,
    /// The header line as written.
    pub header: Option<&'a str>,
    /// The record type the header selects.
    pub record_type: Option<RecordType>,
    /// Every record read, valid or not.
    pub records: Vec<Entry<'a>>,
    /// Every finding, in document order.
    pub findings: Vec<Finding>,
}

impl<'a> Message<'a> {
    /// A message with nothing read yet.
    pub(super) fn empty(profile: Profile) -> Self {
        Self {
            profile,
            header: None,
            record_type: None,
            records: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// The message-level verdict: valid when there is no error. (apel rejects a whole message
    /// for one bad record; so does this verdict, in both profiles, while [`Message::valid_records`]
    /// still gives the good ones.)
    #[must_use]
    pub fn is_valid(&self) -> bool {
        !self.findings.iter().any(Finding::is_error)
    }

    /// The records without errors.
    pub fn valid_records(&self) -> impl Iterator<Item = &Record<'a>> {
        self.records.iter().filter(|e| e.valid).map(|e| &e.record)
    }

    /// The error apel would report for this message (the first it meets), if any.
    #[must_use]
    pub fn apel_error(&self) -> Option<&Finding> {
        let errors = || self.findings.iter().filter(|f| f.is_error());
        errors()
            .find(|f| f.apel_pass == 0)
            .or_else(|| errors().next())
    }
}

/// Parses and validates an APEL text message, keeping every record.
///
/// Never panics; every problem becomes a [`Finding`] with its record index, position and
/// field. Records that parse are returned even when others fail. For large inputs that need not
/// be kept, [`for_each_record`] validates with constant memory per record.
#[must_use]
pub fn parse_message<'a>(input: &'a [u8], options: &Options) -> Message<'a> {
    let mut sink = Collect {
        records: Vec::with_capacity(input.len() / 512),
        findings: Vec::new(),
    };
    let (header, record_type) = run(input, options, &mut sink);
    Message {
        profile: options.profile,
        header,
        record_type,
        records: sink.records,
        findings: sink.findings,
    }
}

/// What [`for_each_record`] reports about the message as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary<'a> {
    /// The header line as written.
    pub header: Option<&'a str>,
    /// The record type the header selects.
    pub record_type: Option<RecordType>,
    /// Records read.
    pub records: usize,
    /// Records with at least one error.
    pub invalid_records: usize,
    /// The findings about the message itself (header, encoding, limits), not about a record.
    pub findings: Vec<Finding>,
}

impl Summary<'_> {
    /// The message-level verdict: no invalid record and no message-level error.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.invalid_records == 0 && !self.findings.iter().any(Finding::is_error)
    }
}

/// Parses and validates an APEL text message, handing each record and its findings to
/// `on_record` as soon as it is complete; nothing is kept, so memory does not grow with the
/// number of records.
pub fn for_each_record<'a>(
    input: &'a [u8],
    options: &Options,
    on_record: impl FnMut(&Entry<'a>, &[Finding]),
) -> Summary<'a> {
    let mut sink = Stream {
        on_record,
        records: 0,
        invalid: 0,
        findings: Vec::new(),
    };
    let (header, record_type) = run(input, options, &mut sink);
    Summary {
        header,
        record_type,
        records: sink.records,
        invalid_records: sink.invalid,
        findings: sink.findings,
    }
}

/// Where finished records and message-level findings go.
pub(super) trait Sink<'a> {
    fn finding(&mut self, finding: Finding);
    /// Receives a finished record; may take it (leaving any record in its place).
    fn record(&mut self, entry: &mut Entry<'a>, findings: &mut Vec<Finding>);
    /// Records of the input before the next one: the next record's index, and what the
    /// record limit counts (a sink fed part of an input counts the records before it too).
    fn count(&self) -> usize;
}

pub(super) struct Collect<'a> {
    pub(super) records: Vec<Entry<'a>>,
    pub(super) findings: Vec<Finding>,
}

impl<'a> Sink<'a> for Collect<'a> {
    fn finding(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    fn record(&mut self, entry: &mut Entry<'a>, findings: &mut Vec<Finding>) {
        let placeholder = Record::placeholder(entry.record.record_type());
        let record = std::mem::replace(&mut entry.record, placeholder);
        self.records.push(Entry {
            index: entry.index,
            position: entry.position,
            record,
            valid: entry.valid,
        });
        self.findings.append(findings);
    }

    fn count(&self) -> usize {
        self.records.len()
    }
}

struct Stream<F> {
    on_record: F,
    records: usize,
    invalid: usize,
    findings: Vec<Finding>,
}

impl<'a, F: FnMut(&Entry<'a>, &[Finding])> Sink<'a> for Stream<F> {
    fn finding(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    fn record(&mut self, entry: &mut Entry<'a>, findings: &mut Vec<Finding>) {
        self.records += 1;
        if !entry.valid {
            self.invalid += 1;
        }
        (self.on_record)(entry, findings);
        findings.clear();
    }

    fn count(&self) -> usize {
        self.records
    }
}

/// The checks every encoding starts with: the size limit and UTF-8. `what` names the input in
/// the message ("message", "document").
pub(crate) fn decode_input<'a>(
    input: &'a [u8],
    limits: &Limits,
    what: &str,
) -> Result<&'a str, Finding> {
    if input.len() > limits.max_message_bytes {
        return Err(message_finding(
            Code::LimitExceeded,
            Position::START,
            format!(
                "{what} of {} bytes exceeds the limit of {} bytes",
                input.len(),
                limits.max_message_bytes
            ),
        ));
    }
    std::str::from_utf8(input).map_err(|e| {
        message_finding(
            Code::InvalidUtf8,
            Position::at(input, e.valid_up_to()),
            format!("the {what} is not valid UTF-8"),
        )
    })
}

/// The message of a finding about a record line over the limit.
pub(super) fn long_line(len: usize, limit: usize) -> String {
    format!("line of {len} bytes exceeds the limit of {limit} bytes")
}

pub(super) fn message_finding(code: Code, at: Position, message: String) -> Finding {
    Finding::new(None, at, None, code, Severity::Error, message)
}

/// The parser proper: header, then records to `sink`.
pub(super) fn run<'a>(
    input: &'a [u8],
    options: &Options,
    sink: &mut impl Sink<'a>,
) -> (Option<&'a str>, Option<RecordType>) {
    let limits = &options.limits;
    let text = match decode_input(input, limits, "message") {
        Ok(t) => t,
        Err(f) => {
            sink.finding(f);
            return (None, None);
        }
    };
    let lead = text.len() - text.trim_start_matches(is_py_space).len();
    let body = py_strip(text);
    if body.is_empty() {
        sink.finding(
            message_finding(
                Code::EmptyMessage,
                Position::START,
                "the message is empty (apel's loader crashes on it: IndexError)".into(),
            )
            .with_apel("IndexError: pop from empty list"),
        );
        return (None, None);
    }
    let start = Position::at(input, lead);
    let mut lines = Lines {
        rest: body,
        offset: lead,
        line: start.line,
    };
    let Some(header) = lines.next() else {
        return (None, None);
    };
    if header.text.len() > limits.max_line_bytes {
        sink.finding(message_finding(
            Code::LimitExceeded,
            header.start(),
            format!(
                "header line of {} bytes exceeds the limit of {} bytes",
                header.text.len(),
                limits.max_line_bytes
            ),
        ));
        return (None, None);
    }
    let mut header_findings = Vec::new();
    let found = header_type(header.text, options.profile, start, &mut header_findings);
    for f in header_findings {
        sink.finding(f);
    }
    let Some(record_type) = found else {
        return (Some(header.text), None);
    };
    let mut builder = RecordBuilder::new(text, record_type, options);
    let too_many = |at: Position| {
        message_finding(
            Code::LimitExceeded,
            at,
            format!("more than {} records", limits.max_records),
        )
    };
    for line in lines {
        if line.text.len() > limits.max_line_bytes {
            builder.begin(line.start(), sink.count());
            let index = builder.index;
            builder.findings.push(Finding::new(
                Some(index),
                line.start(),
                None,
                Code::LimitExceeded,
                Severity::Error,
                long_line(line.text.len(), limits.max_line_bytes),
            ));
            continue;
        }
        // A line that starts with a letter is neither a separator nor blank: skip the strip.
        let plain = line
            .text
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphabetic);
        let stripped = if plain {
            line.text
        } else {
            py_strip(line.text)
        };
        if stripped == "%%" {
            if builder.started {
                if sink.count() >= limits.max_records {
                    sink.finding(too_many(line.start()));
                    return (Some(header.text), Some(record_type));
                }
                builder.finish(sink);
            }
            continue;
        }
        if stripped.is_empty() {
            builder.blank(line.start());
            continue;
        }
        if !builder.started {
            builder.begin(line.start(), sink.count());
        }
        builder.line(&line);
    }
    if builder.started {
        if sink.count() >= limits.max_records {
            sink.finding(too_many(Position::at(input, input.len())));
        } else {
            builder.finish(sink);
        }
    }
    (Some(header.text), Some(record_type))
}

/// One line of the message with where it starts.
struct Line<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    /// Whether the line has a `%` (found while looking for its end).
    has_percent: bool,
}

/// A place recorded cheaply on the hot path (byte offsets only); the column is counted when a
/// finding needs it.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Mark {
    line_start: usize,
    line: usize,
    offset: usize,
}

impl Mark {
    /// The mark of byte `offset`, from the line index of the text.
    pub(super) fn at(index: &fedcloud_core::LineIndex, offset: usize) -> Self {
        let (line, line_start) = index.line_of(offset);
        Self {
            line_start,
            line,
            offset,
        }
    }

    fn resolve(self, text: &str) -> Position {
        let prefix = text.get(self.line_start..self.offset).unwrap_or_default();
        Position::new(self.offset, self.line, prefix.chars().count() + 1)
    }
}

impl Line<'_> {
    fn mark(&self, at: usize) -> Mark {
        Mark {
            line_start: self.offset,
            line: self.line,
            offset: self.offset + at,
        }
    }

    fn start(&self) -> Position {
        Position::new(self.offset, self.line, 1)
    }

    /// The position of byte `at` of the line.
    fn at(&self, at: usize) -> Position {
        let column = self.text.get(..at).map_or(at, |s| s.chars().count()) + 1;
        Position::new(self.offset + at, self.line, column)
    }
}

struct Lines<'a> {
    rest: &'a str,
    offset: usize,
    line: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    // Inlined: a line handed back through memory was copied with wide loads over the narrow
    // stores that built it, which the processor cannot forward (a stall on every line).
    #[inline(always)]
    fn next(&mut self) -> Option<Line<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        // One scan finds the end of the line and tells whether it holds a '%'.
        let bytes = self.rest.as_bytes();
        let mut has_percent = false;
        let mut from = 0;
        let end = loop {
            match memchr::memchr2(b'\n', b'%', bytes.get(from..).unwrap_or_default()) {
                Some(i) if bytes.get(from + i) == Some(&b'%') => {
                    has_percent = true;
                    from += i + 1;
                }
                Some(i) => break Some(from + i),
                None => break None,
            }
        };
        let (text, consumed) = match end {
            Some(i) => (self.rest.get(..i).unwrap_or_default(), i + 1),
            None => (self.rest, self.rest.len()),
        };
        let line = Line {
            text,
            offset: self.offset,
            line: self.line,
            has_percent,
        };
        self.rest = self.rest.get(consumed..).unwrap_or_default();
        self.offset += consumed;
        self.line += 1;
        Some(line)
    }
}

/// apel's `value.strip('{}')`.
pub(crate) fn strip_braces(value: &str) -> &str {
    let b = value.as_bytes();
    let start = b
        .iter()
        .position(|&c| c != b'{' && c != b'}')
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|&c| c != b'{' && c != b'}')
        .map_or(start, |i| i + 1);
    value.get(start..end).unwrap_or_default()
}

/// `text.split(',')`, by a plain scan: dictionaries are short and read on every v0.4 record.
fn split_commas(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.bytes().position(|b| b == b',') {
            Some(i) => {
                rest = current.get(i + 1..);
                current.get(..i)
            }
            None => rest.take(),
        }
    })
}

/// The name part of a dictionary item (`name: value`).
fn dict_key(item: &str) -> &str {
    let end = memchr::memchr(b':', item.as_bytes()).unwrap_or(item.len());
    py_strip(item.get(..end).unwrap_or_default())
}

/// `py_strip` for a key, with the common case (a letter first, no space before the colon) fast.
fn strip_key(raw: &str) -> &str {
    let b = raw.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if f.is_ascii_alphabetic() && l.is_ascii_alphanumeric() => raw,
        _ => py_strip(raw),
    }
}

/// `py_strip` for a value, with the common case (one space after the colon, nothing trailing)
/// fast.
fn strip_value(raw: &str) -> &str {
    let b = raw.as_bytes();
    match (b.first(), b.get(1), b.last()) {
        (Some(b' '), Some(second), Some(last))
            if second.is_ascii_graphic() && last.is_ascii_graphic() =>
        {
            raw.get(1..).unwrap_or(raw)
        }
        _ => py_strip(raw),
    }
}

/// apel's record factory header rules (apel profile) or the list of published headers (strict).
fn header_type(
    header: &str,
    profile: Profile,
    at: Position,
    findings: &mut Vec<Finding>,
) -> Option<RecordType> {
    let Some(colon) = header.find(':') else {
        findings.push(
            Finding::new(
                None,
                at,
                None,
                Code::HeaderSyntax,
                Severity::Error,
                "the header line must be '<message type>: v<version>'".into(),
            )
            .with_apel("Message header is incorrect: substring not found"),
        );
        return None;
    };
    let kind = py_strip(header.get(..colon).unwrap_or_default());
    let version = header
        .get(colon..)
        .unwrap_or_default()
        .trim_matches([':', ' ']);
    let whole = py_strip(header);
    let found = match profile {
        Profile::Apel => apel_header(kind, version, whole),
        Profile::Strict => strict_header(kind, version),
    };
    if found.is_none() {
        let message = match profile {
            Profile::Apel => format!("unknown message type {header:?}"),
            Profile::Strict => format!(
                "{header:?} is not one of the published APEL message headers (type and version)"
            ),
        };
        findings.push(
            Finding::new(
                None,
                at,
                None,
                Code::UnknownMessageType,
                Severity::Error,
                message,
            )
            .with_apel(format!("Message type {header} not recognised.")),
        );
    }
    found
}

fn apel_header(kind: &str, version: &str, whole: &str) -> Option<RecordType> {
    let v04 = version == "v0.4";
    let by_kind = match kind {
        "APEL-individual-job-message" => Some(if v04 {
            RecordType::Job04
        } else {
            RecordType::Job
        }),
        "APEL-sync-message" => Some(RecordType::Sync),
        "APEL-cloud-message" => Some(RecordType::Cloud),
        "APEL-cloud-summary-message" => Some(RecordType::CloudSummary),
        _ => None,
    };
    by_kind.or(match (whole, v04) {
        ("APEL-summary-job-message: v0.4", true) => Some(RecordType::Summary04),
        ("APEL-normalised-summary-message: v0.4", true) => Some(RecordType::NormalisedSummary04),
        ("APEL-summary-job-message: v0.2", false) => Some(RecordType::Summary),
        ("APEL-summary-job-message: v0.3", false) => Some(RecordType::NormalisedSummary),
        _ => None,
    })
}

fn strict_header(kind: &str, version: &str) -> Option<RecordType> {
    Some(match (kind, version) {
        ("APEL-individual-job-message", "v0.1" | "v0.2" | "v0.3") => RecordType::Job,
        ("APEL-individual-job-message", "v0.4") => RecordType::Job04,
        ("APEL-summary-job-message", "v0.2") => RecordType::Summary,
        ("APEL-summary-job-message", "v0.3") => RecordType::NormalisedSummary,
        ("APEL-summary-job-message", "v0.4") => RecordType::Summary04,
        ("APEL-normalised-summary-message", "v0.4") => RecordType::NormalisedSummary04,
        ("APEL-sync-message", "v0.1") => RecordType::Sync,
        ("APEL-cloud-message", "v0.2" | "v0.4") => RecordType::Cloud,
        ("APEL-cloud-summary-message", "v0.4") => RecordType::CloudSummary,
        _ => return None,
    })
}

/// What set ServiceLevelType so far, for apel's v0.4 "mixture" rule.
#[derive(Debug, Clone, PartialEq)]
enum Slt {
    Absent,
    Explicit(Option<String>),
    Derived(&'static str),
}

const VALID_UNITS: [&str; 3] = ["si2k", "hepspec", "hepscore23"];

/// apel's `unit.lower() in VALID_UNITS`.
fn valid_unit(unit: &str) -> bool {
    VALID_UNITS.iter().any(|u| py_lower_eq(unit, u))
}

/// The indices of the fields read by the record-level checks of every record, looked up once
/// per message rather than by name per record.
#[derive(Debug, Clone, Copy)]
struct Slots {
    service_level: Option<usize>,
    service_level_type: Option<usize>,
    start_time: Option<usize>,
    end_time: Option<usize>,
    fqan: Option<usize>,
    status: Option<usize>,
}

impl Slots {
    fn of(record_type: RecordType) -> Self {
        let at = |name| record_type.field_index(name);
        Self {
            service_level: at("ServiceLevel"),
            service_level_type: at("ServiceLevelType"),
            start_time: at("StartTime"),
            end_time: at("EndTime"),
            fqan: at("FQAN"),
            status: at("Status"),
        }
    }
}

pub(super) struct RecordBuilder<'a, 'o> {
    text: &'a str,
    record_type: RecordType,
    options: &'o Options,
    started: bool,
    index: usize,
    position: Position,
    record: Record<'a>,
    /// Fields seen (bit per field index; no type has more than 64).
    seen: u64,
    /// Fields whose value failed conversion.
    failed: u64,
    /// Where each field's value was, for record-level findings.
    value_at: Vec<Mark>,
    blank: Option<Position>,
    has_lines: bool,
    slt: Slt,
    findings: Vec<Finding>,
    /// For each field (and, at the end, the record start), the field that followed it last.
    next_guess: Vec<u8>,
    /// The previous field of this record (the record start before the first).
    prev: usize,
    /// Where the fields the record-level checks read are in this record type.
    slots: Slots,
    /// The fields a record of this type must have in this profile (bit per field index).
    required: u64,
    /// The last first FQAN the strict check passed: producers repeat one FQAN record after
    /// record, and the verdict depends on the text alone.
    fqan_passed: String,
    /// Values come from XML: numbers are stripped, and apel checks the record once (its
    /// second check pass runs for text messages only).
    pub(super) xml: bool,
}

impl<'a, 'o> RecordBuilder<'a, 'o> {
    pub(super) fn new(text: &'a str, record_type: RecordType, options: &'o Options) -> Self {
        Self {
            text,
            record_type,
            options,
            started: false,
            index: 0,
            position: Position::START,
            record: Record::new(record_type),
            seen: 0,
            failed: 0,
            value_at: vec![Mark::default(); record_type.fields().len()],
            blank: None,
            has_lines: false,
            slt: Slt::Absent,
            findings: Vec::new(),
            next_guess: vec![u8::MAX; record_type.fields().len() + 1],
            prev: record_type.fields().len(),
            slots: Slots::of(record_type),
            required: record_type
                .fields()
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    f.mandatory || (f.strict_mandatory && options.profile == Profile::Strict)
                })
                .fold(0, |mask, (i, _)| mask | 1 << i),
            fqan_passed: String::new(),
            xml: false,
        }
    }

    fn apel(&self) -> bool {
        self.options.profile == Profile::Apel
    }

    pub(super) fn begin(&mut self, at: Position, index: usize) {
        if !self.started {
            self.started = true;
            self.position = at;
            self.index = index;
        }
    }

    fn blank(&mut self, at: Position) {
        if self.has_lines && self.blank.is_none() {
            self.blank = Some(at);
        }
    }

    fn push(&mut self, at: Position, field: Option<&str>, code: Code, sev: Severity, msg: String) {
        self.findings
            .push(Finding::new(Some(self.index), at, field, code, sev, msg));
    }

    fn error(&mut self, at: Position, field: Option<&str>, code: Code, msg: String, apel: String) {
        let mut f = Finding::new(Some(self.index), at, field, code, Severity::Error, msg);
        // Empty for the rules apel does not have (strict-only reading of CAR and StAR).
        if !apel.is_empty() {
            f = f.with_apel(apel);
        }
        self.findings.push(f);
    }

    /// The strict profile's rule for counts and durations.
    fn negative(&mut self, at: Position, name: &str) {
        self.push(
            at,
            Some(name),
            Code::NegativeValue,
            Severity::Error,
            format!("{name} must not be negative"),
        );
    }

    /// Error in strict, warning under apel.
    fn strict_error(&mut self, at: Position, field: &str, code: Code, msg: String) {
        let sev = if self.apel() {
            Severity::Warning
        } else {
            Severity::Error
        };
        self.push(at, Some(field), code, sev, msg);
    }

    fn line(&mut self, line: &Line<'a>) {
        if let Some(blank) = self.blank.take() {
            self.error(
                blank,
                None,
                Code::LineWithoutKey,
                "blank line inside a record (records are separated by a '%%' line)".into(),
                "Message header is incorrect: not enough values to unpack (expected 2, got 1)"
                    .into(),
            );
        }
        self.has_lines = true;
        // Most lines have no '%' at all: the line splitter already said so.
        let separator = line
            .has_percent
            .then(|| memchr::memmem::find(line.text.as_bytes(), b"%%"))
            .flatten();
        if let Some(i) = separator {
            self.error(
                line.at(i),
                None,
                Code::SeparatorInValue,
                "'%%' inside a line: apel splits records at it wherever it stands".into(),
                "Message header is incorrect: not enough values to unpack (expected 2, got 1)"
                    .into(),
            );
        }
        // Producers write fields in the same order record after record: the line most likely
        // starts with the name of the field that followed the previous one last time. When it
        // does and a ':' follows the name, that is the line's first ':' (names have none) and
        // the key needs no stripping: no search and no table look-up.
        let guess = self.next_guess.get(self.prev).copied().unwrap_or(u8::MAX);
        let expected = self
            .record_type
            .fields()
            .get(usize::from(guess))
            .map_or("", |f| f.name);
        let bytes = line.text.as_bytes();
        let fast = !expected.is_empty()
            && bytes.get(expected.len()) == Some(&b':')
            && bytes
                .get(..expected.len())
                .is_some_and(|k| super::schema::same_bytes(k, expected.as_bytes()));
        let colon = if fast {
            expected.len()
        } else if let Some(colon) = memchr::memchr(b':', bytes) {
            colon
        } else {
            let lead = line.text.len() - line.text.trim_start_matches(is_py_space).len();
            self.error(
                line.at(lead),
                None,
                Code::LineWithoutKey,
                "line without 'Key: value'".into(),
                "Message header is incorrect: not enough values to unpack (expected 2, got 1)"
                    .into(),
            );
            return;
        };
        let raw_key = line.text.get(..colon).unwrap_or_default();
        let raw_value = line.text.get(colon + 1..).unwrap_or_default();
        let key = if fast { raw_key } else { strip_key(raw_key) };
        let value = strip_value(raw_value);
        // `key` and `value` are slices of the line: their offsets come from the pointers.
        let offset_in_line = |part: &str| part.as_ptr() as usize - line.text.as_ptr() as usize;
        let key_mark = line.mark(offset_in_line(key));
        let value_mark = line.mark(offset_in_line(value));
        let found = if fast || (!expected.is_empty() && super::schema::same(expected, key)) {
            Some(usize::from(guess))
        } else {
            self.record_type.field_index(key)
        };
        if let (Some(slot), Some(i)) = (
            self.next_guess.get_mut(self.prev),
            found.and_then(|i| u8::try_from(i).ok()),
        ) {
            *slot = i;
        }
        let Some(index) = found else {
            if self.record_type.ignored().contains(&key) {
                self.push(
                    key_mark.resolve(self.text),
                    Some(key),
                    Code::IgnoredField,
                    Severity::Warning,
                    format!("{key} is accepted and not stored"),
                );
            } else {
                self.error(
                    key_mark.resolve(self.text),
                    Some(key),
                    Code::UnknownField,
                    format!(
                        "unknown field {key:?} for {} records",
                        self.record_type.apel_class()
                    ),
                    format!("Unknown field: {key}"),
                );
            }
            return;
        };
        self.prev = index;
        let Some(&field) = self.record_type.fields().get(index) else {
            return;
        };
        let bit = 1u64 << index;
        if self.seen & bit != 0 {
            self.strict_error(
                key_mark.resolve(self.text),
                field.name,
                Code::DuplicateField,
                format!(
                    "{} is given more than once; the last value is used",
                    field.name
                ),
            );
        }
        // The record's values are lent out while the value is converted into its slot.
        let mut values = std::mem::take(self.record.values_mut());
        let converted = match values.get_mut(index) {
            Some(slot) => self.convert(field, value, value_mark, slot),
            None => Err(()),
        };
        *self.record.values_mut() = values;
        self.store(index, converted, value_mark);
    }

    /// Records the outcome of converting field `index`, whose value is already in the record
    /// when `converted` is `Ok`.
    #[inline(always)]
    fn store(&mut self, index: usize, converted: Result<(), ()>, mark: Mark) {
        let bit = 1u64 << index;
        self.seen |= bit;
        self.failed &= !bit;
        if let Some(slot) = self.value_at.get_mut(index) {
            *slot = mark;
        }
        match converted {
            Ok(()) => {
                if Some(index) == self.slots.service_level_type {
                    self.slt = Slt::Explicit(match self.record.value(index) {
                        Some(Value::Text(t)) => Some(t.to_string()),
                        _ => None,
                    });
                }
            }
            Err(()) => {
                self.failed |= bit;
                if let Some(slot) = self.record.slot_mut(index) {
                    *slot = None;
                }
            }
        }
    }

    /// A value read from an XML element (apel's XML parsers hand it over unstripped; Python's
    /// `int()` and `float()` still ignore the white space around numbers).
    pub(super) fn xml_value(&mut self, name: &str, raw: &str, mark: Mark) {
        let Some(index) = self.record_type.field_index(name) else {
            return;
        };
        let Some(&field) = self.record_type.fields().get(index) else {
            return;
        };
        let mut out = None;
        let converted = self.convert(field, raw, mark, &mut out);
        if converted.is_ok()
            && let Some(slot) = self.record.slot_mut(index)
        {
            *slot = out.map(Value::into_owned);
        }
        self.store(index, converted, mark);
    }

    /// A value the XML reader has already typed (a time or a duration).
    pub(super) fn xml_typed(&mut self, name: &str, value: Value<'static>, mark: Mark) {
        if let Some(index) = self.record_type.field_index(name)
            && let Some(slot) = self.record.slot_mut(index)
        {
            *slot = Some(value);
            self.store(index, Ok(()), mark);
        }
    }

    /// An error found while reading the XML of this record.
    pub(super) fn xml_error(
        &mut self,
        mark: Mark,
        field: &str,
        code: Code,
        message: String,
        apel: String,
    ) {
        let at = mark.resolve(self.text);
        self.error(at, Some(field), code, message, apel);
        if let Some(index) = self.record_type.field_index(field) {
            self.failed |= 1u64 << index;
        }
    }

    /// Converts one value into `out` (left as it is on failure, when the finding is already
    /// pushed). The value is built in its place: returning it made the processor reload it,
    /// as wide loads over the narrow stores that had just built it, on every line.
    #[inline(always)]
    fn convert<'v>(
        &mut self,
        field: Field,
        value: &'v str,
        mark: Mark,
        out: &mut Option<Value<'v>>,
    ) -> Result<(), ()> {
        let text = self.text;
        let at = move || mark.resolve(text);
        let name = field.name;
        if is_null(value) {
            if field.mandatory {
                self.error(
                    at(),
                    Some(name),
                    Code::NullField,
                    format!("mandatory field {name} is NULL"),
                    format!("NULL in mandatory field: {name}"),
                );
                return Err(());
            }
            if field.strict_mandatory && !self.apel() {
                self.push(
                    at(),
                    Some(name),
                    Code::NullField,
                    Severity::Error,
                    format!("{name} is mandatory in the EGI record definition and is NULL"),
                );
                return Err(());
            }
            *out = None;
            return Ok(());
        }
        let apel = self.apel();
        match field.kind {
            Kind::Text(max) => {
                // A value of at most `max` bytes has at most `max` characters.
                let chars = if value.len() <= max {
                    value.len()
                } else {
                    value.chars().count()
                };
                if chars > max {
                    self.strict_error(
                        at(),
                        name,
                        Code::TextTooLong,
                        format!("{chars} characters, more than the {max} of its database column"),
                    );
                    if !apel {
                        return Err(());
                    }
                }
                *out = Some(Value::Text(Cow::Borrowed(value)));
                Ok(())
            }
            Kind::Int32 | Kind::Int64 => {
                match py_int(if self.xml { py_strip(value) } else { value }, apel) {
                    Some(PyInt::Small(v)) => {
                        if field.kind == Kind::Int32 && i32::try_from(v).is_err() {
                            self.strict_error(
                                at(),
                                name,
                                Code::IntegerOutOfRange,
                                format!("{v} does not fit the 32-bit INT column of {name}"),
                            );
                            if !apel {
                                return Err(());
                            }
                        }
                        if v < 0 && field.non_negative && !apel {
                            self.negative(at(), name);
                            return Err(());
                        }
                        *out = Some(Value::Int(v));
                        Ok(())
                    }
                    Some(PyInt::Big) => {
                        self.strict_error(
                            at(),
                            name,
                            Code::IntegerOutOfRange,
                            format!(
                                "{value} is outside 64-bit integers (the database column overflows)"
                            ),
                        );
                        if apel {
                            *out = Some(Value::BigInt(Cow::Borrowed(value)));
                            Ok(())
                        } else {
                            Err(())
                        }
                    }
                    None => {
                        self.error(
                            at(),
                            Some(name),
                            Code::InvalidInteger,
                            format!("{value:?} is not an integer"),
                            format!("Invalid int value {value} in field {name}"),
                        );
                        Err(())
                    }
                }
            }
            Kind::Float => match py_float(if self.xml { py_strip(value) } else { value }, apel) {
                Some(x) => {
                    if !x.is_finite() && !apel {
                        self.push(
                            at(),
                            Some(name),
                            Code::NonFiniteFloat,
                            Severity::Error,
                            format!("{value} is not a finite number"),
                        );
                        return Err(());
                    }
                    if x < 0.0 && field.non_negative && !apel {
                        self.negative(at(), name);
                        return Err(());
                    }
                    *out = Some(Value::Float(x));
                    Ok(())
                }
                None => {
                    self.error(
                        at(),
                        Some(name),
                        Code::InvalidFloat,
                        format!("{value:?} is not a decimal number"),
                        format!("Invalid float value {value} in field {name}"),
                    );
                    Err(())
                }
            },
            Kind::DateTime => {
                let parsed = if apel {
                    apel_datetime(value)
                } else {
                    strict_datetime(value)
                };
                match parsed {
                    Ok(t) => {
                        *out = Some(Value::Time(t));
                        Ok(())
                    }
                    Err(TimeError::Syntax(apel_text)) => {
                        let msg = if apel {
                            format!("{value:?} is neither epoch seconds nor YYYY-MM-DDThh:mm:ssZ")
                        } else {
                            format!(
                                "{value:?} is neither epoch seconds nor strict ISO 8601 UTC ({apel_text})"
                            )
                        };
                        self.error(at(), Some(name), Code::InvalidDateTime, msg, apel_text);
                        Err(())
                    }
                    Err(TimeError::Range(apel_text)) => {
                        self.error(
                            at(),
                            Some(name),
                            Code::DateTimeOutOfRange,
                            format!("{value} is outside the years 0001-9999 ({apel_text})"),
                            apel_text,
                        );
                        Err(())
                    }
                }
            }
            Kind::Benchmark { integer } => self.benchmark(field, value, mark, integer, out),
        }
    }

    /// apel's v0.4 dictionary rules (`_clean_up_dict`, `_extract_benchmark_dict`).
    fn benchmark<'v>(
        &mut self,
        field: Field,
        value: &'v str,
        mark: Mark,
        integer: bool,
        out: &mut Option<Value<'v>>,
    ) -> Result<(), ()> {
        let text = self.text;
        let at = move || mark.resolve(text);
        let name = field.name;
        let inner = strip_braces(value);
        let mut problem: Option<String> = None;
        let mut choice = BenchmarkChoice::default();
        // Validate without collecting: dictionaries hold one to three entries, so the duplicate
        // check compares each key with the keys before it, kept here for the first few.
        let mut keys = [""; 4];
        for (n, item) in split_commas(inner).enumerate() {
            match split_entry(item) {
                Err(p) => {
                    problem = Some(p);
                    break;
                }
                Ok((k, x)) => {
                    let duplicate = match keys.get(..n) {
                        Some(earlier) => earlier.contains(&k),
                        None => split_commas(inner)
                            .take(n)
                            .any(|earlier| dict_key(earlier) == k),
                    };
                    if let Some(slot) = keys.get_mut(n) {
                        *slot = k;
                    }
                    if duplicate {
                        problem = Some(format!("Duplicate keys found in {value}"));
                        break;
                    }
                    choice.note(k, x);
                }
            }
        }
        if let Some(p) = problem {
            self.error(
                at(),
                Some(name),
                Code::BenchmarkSyntax,
                format!("{name} must be a dictionary such as {{hepspec: 10.5}}: {p}"),
                format!("Expecting dictionary-like value. {p}"),
            );
            return Err(());
        }
        let dict = Benchmarks::validated(value);
        let Some((chosen, x)) = choice.chosen() else {
            self.error(
                at(),
                Some(name),
                Code::BenchmarkMissingType,
                format!("{name} names none of si2k, hepspec, hepscore23"),
                "No valid benchmark type found".into(),
            );
            return Err(());
        };
        let mixture = match &self.slt {
            Slt::Absent => false,
            Slt::Explicit(Some(s)) => s != chosen,
            Slt::Explicit(None) => true,
            Slt::Derived(d) => *d != chosen,
        };
        if mixture {
            self.error(
                at(),
                Some(name),
                Code::BenchmarkMixture,
                format!("{name} uses {chosen}, another benchmark type than the record's"),
                "Mixture of benchmark types detected".into(),
            );
            return Err(());
        }
        if self.slt == Slt::Absent {
            self.slt = Slt::Derived(chosen);
        }
        if integer {
            if x.is_nan() {
                self.error(
                    at(),
                    Some(name),
                    Code::InvalidInteger,
                    format!("{name}: nan is not a duration"),
                    format!("Invalid int value nan in field {name}"),
                );
                return Err(());
            }
            if x.is_infinite() {
                self.crash(
                    at(),
                    name,
                    "OverflowError: cannot convert float infinity to integer",
                    Code::NonFiniteFloat,
                );
                return Err(());
            }
        }
        if x < 0.0 && field.non_negative && !self.apel() {
            self.negative(at(), name);
            return Err(());
        }
        if !integer && !x.is_finite() && !self.apel() {
            self.push(
                at(),
                Some(name),
                Code::NonFiniteFloat,
                Severity::Error,
                format!("{name}: {x} is not a finite number"),
            );
            return Err(());
        }
        *out = Some(Value::Benchmarks(dict));
        Ok(())
    }

    /// A record on which apel's loader stops with an uncaught exception. Under the apel profile
    /// it is rejected with [`Code::ApelLoaderCrash`]; under the strict profile with `strict_code`.
    fn crash(&mut self, at: Position, name: &str, what: &str, strict_code: Code) {
        let f = if self.apel() {
            Finding::new(
                Some(self.index),
                at,
                Some(name),
                Code::ApelLoaderCrash,
                Severity::Error,
                format!("apel's loader stops on this record with {what}; it gives no verdict"),
            )
            .with_apel(what.to_owned())
        } else {
            Finding::new(
                Some(self.index),
                at,
                Some(name),
                strict_code,
                Severity::Error,
                format!("{name} is invalid ({what} in apel)"),
            )
        };
        self.findings.push(f);
    }

    fn failed(&self, name: &str) -> bool {
        self.failed_at(self.record_type.field_index(name))
    }

    /// Whether the value of the field at `slot` failed conversion.
    fn failed_at(&self, slot: Option<usize>) -> bool {
        slot.is_some_and(|i| self.failed & (1 << i) != 0)
    }

    /// The time in the field at `slot`.
    fn time_at(&self, slot: Option<usize>) -> Option<UtcTime> {
        match self.record.value(slot?)? {
            Value::Time(t) => Some(*t),
            _ => None,
        }
    }

    /// The text in the field at `slot`.
    fn text_at(&self, slot: Option<usize>) -> Option<&str> {
        match self.record.value(slot?)? {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    fn at(&self, name: &str) -> Position {
        self.record_type
            .field_index(name)
            .filter(|i| self.seen & (1 << i) != 0)
            .and_then(|i| self.value_at.get(i).copied())
            .map_or(self.position, |m| m.resolve(self.text))
    }

    /// Runs the record-level checks, hands the record over, and makes the builder ready for the
    /// next record (keeping its allocations).
    pub(super) fn finish(&mut self, sink: &mut impl Sink<'a>) {
        self.check_mandatory();
        match self.record_type {
            RecordType::Job => self.check_job_factor(),
            RecordType::Job04 => self.check_job04_factor(),
            _ => {}
        }
        if self.record_type.is_job() {
            self.check_job_times();
        }
        // apel does not look at FQAN syntax; the strict profile does.
        if self.record_type.has_fqan() && !self.apel() {
            self.check_fqan();
        }
        if self.record_type.is_job_summary() {
            self.check_summary();
        }
        match self.record_type {
            RecordType::Sync | RecordType::CloudSummary if !self.apel() => {
                self.check_month_strict()
            }
            RecordType::Cloud if !self.apel() => self.check_cloud_strict(),
            _ => {}
        }
        if self.record_type == RecordType::CloudSummary && !self.apel() {
            let slots = (
                self.record_type.field_index("EarliestStartTime"),
                self.record_type.field_index("LatestStartTime"),
            );
            self.check_order(("EarliestStartTime", "LatestStartTime"), slots);
        }
        let valid = !self.findings.iter().any(Finding::is_error);
        let mut entry = Entry {
            index: self.index,
            position: self.position,
            record: std::mem::replace(&mut self.record, Record::placeholder(self.record_type)),
            valid,
        };
        sink.record(&mut entry, &mut self.findings);
        self.record = entry.record;
        self.record.clear(self.seen);
        self.findings.clear();
        self.started = false;
        self.seen = 0;
        self.failed = 0;
        self.blank = None;
        self.has_lines = false;
        self.slt = Slt::Absent;
        self.prev = self.record_type.fields().len();
    }

    fn check_mandatory(&mut self) {
        if self.seen & self.required == self.required {
            return;
        }
        let apel = self.apel();
        for (i, field) in self.record_type.fields().iter().enumerate() {
            if self.seen & (1 << i) != 0 {
                continue;
            }
            if field.mandatory {
                self.error(
                    self.position,
                    Some(field.name),
                    Code::MissingField,
                    format!("mandatory field {} is missing", field.name),
                    format!("Mandatory field {} not specified.", field.name),
                );
            } else if field.strict_mandatory && !apel {
                self.push(
                    self.position,
                    Some(field.name),
                    Code::MissingField,
                    Severity::Error,
                    format!("{} is mandatory in the EGI record definition", field.name),
                );
            }
        }
    }

    /// JobRecord `_check_factor`, including the second check pass that rejects the `custom`
    /// default apel itself puts in.
    fn check_job_factor(&mut self) {
        if self.failed("ServiceLevel") || self.failed("ServiceLevelType") {
            return;
        }
        // Only an invalid unit is copied out of the record (for its finding).
        let slt = self
            .record
            .text("ServiceLevelType")
            .map(|t| (!valid_unit(t)).then(|| t.to_owned()));
        let sl = self.record.float("ServiceLevel");
        let at = |b: &Self| b.at("ServiceLevel");
        match (slt, sl) {
            (None, None) => {
                // A CAR record is checked once: apel stores 'custom' / 1 and keeps it.
                if self.apel() && !self.xml {
                    let f = Finding::new(
                        Some(self.index),
                        at(self),
                        Some("ServiceLevel"),
                        Code::BenchmarkIncomplete,
                        Severity::Error,
                        "no ServiceLevel and ServiceLevelType: apel stores 'custom' and then rejects it".into(),
                    )
                    .with_apel("ScalingFactorUnit custom not valid.")
                    .in_apel_pass(1);
                    self.findings.push(f);
                }
                // strict: reported as missing mandatory fields already.
            }
            (Some(_), None) | (None, Some(_)) => self.error(
                at(self),
                Some("ServiceLevel"),
                Code::BenchmarkIncomplete,
                "ServiceLevelType and ServiceLevel must be given together".into(),
                "Unit but not value supplied for ScalingFactor.".into(),
            ),
            (Some(Some(invalid)), Some(_)) => self.check_unit(&invalid),
            (Some(None), Some(_)) => {}
        }
    }

    fn check_unit(&mut self, unit: &str) {
        if !valid_unit(unit) {
            let at = self.at("ServiceLevelType");
            self.error(
                at,
                Some("ServiceLevelType"),
                Code::BenchmarkInvalidType,
                format!("ServiceLevelType {unit:?} is not si2k, hepspec or hepscore23"),
                format!("ScalingFactorUnit {unit} not valid."),
            );
        }
    }

    fn check_job04_factor(&mut self) {
        let slots = self.slots;
        if self.failed_at(slots.service_level) || self.failed_at(slots.service_level_type) {
            return;
        }
        let has_sl = slots
            .service_level
            .and_then(|i| self.record.value(i))
            .is_some();
        // Positions are resolved only for a finding; `finish` resets `slt` after the checks.
        let at = |b: &Self| b.at("ServiceLevel");
        match (std::mem::replace(&mut self.slt, Slt::Absent), has_sl) {
            (Slt::Absent, false) => {
                if self.apel() {
                    self.crash(
                        at(self),
                        "ServiceLevel",
                        "KeyError: 'ServiceLevelType'",
                        Code::MissingField,
                    );
                }
                // strict: the missing ServiceLevel is already reported.
            }
            (Slt::Explicit(None), true) => {
                if self.apel() {
                    self.crash(
                        self.at("ServiceLevelType"),
                        "ServiceLevelType",
                        "AttributeError: 'NoneType' object has no attribute 'lower'",
                        Code::BenchmarkIncomplete,
                    );
                } else {
                    self.push(
                        self.at("ServiceLevelType"),
                        Some("ServiceLevelType"),
                        Code::BenchmarkIncomplete,
                        Severity::Error,
                        "ServiceLevelType is NULL after a ServiceLevel dictionary".into(),
                    );
                }
            }
            (Slt::Explicit(_), false) => self.error(
                at(self),
                Some("ServiceLevel"),
                Code::BenchmarkIncomplete,
                "ServiceLevelType without a ServiceLevel dictionary".into(),
                "Unit but not value supplied for ScalingFactor.".into(),
            ),
            (Slt::Explicit(Some(t)), true) => self.check_unit(&t),
            (Slt::Derived(_) | Slt::Absent, _) => {}
        }
    }

    fn check_job_times(&mut self) {
        let (Some(start), Some(end)) = (
            self.time_at(self.slots.start_time),
            self.time_at(self.slots.end_time),
        ) else {
            return;
        };
        if end < start {
            self.error(
                self.at("EndTime"),
                Some("EndTime"),
                Code::EndBeforeStart,
                format!("EndTime {end} is before StartTime {start}"),
                "EndTime is before StartTime.".into(),
            );
        }
        let limit = self.options.now.checked_add_seconds(2 * 86_400);
        if limit.is_some_and(|l| end > l) {
            let p = end.parts();
            self.error(
                self.at("EndTime"),
                Some("EndTime"),
                Code::InFuture,
                format!(
                    "EndTime {end} is more than 2 days after now ({})",
                    self.options.now
                ),
                // Python's str(datetime): microseconds only when there are some (XML times).
                format!(
                    "Epoch time {:04}-{:02}-{:02} {:02}:{:02}:{:02}{} is in the future.",
                    p.year,
                    p.month,
                    p.day,
                    p.hour,
                    p.minute,
                    p.second,
                    if p.nanosecond >= 1000 {
                        format!(".{:06}", p.nanosecond / 1000)
                    } else {
                        String::new()
                    }
                ),
            );
        }
    }

    fn check_fqan(&mut self) {
        // As `Record::primary_fqan`, checked without building the FQAN.
        // (The record is borrowed directly: `fqan_passed` changes while `first` is held.)
        let Some(Value::Text(text)) = self.slots.fqan.and_then(|i| self.record.value(i)) else {
            return;
        };
        let first = super::record::first_of(text);
        // (An empty first FQAN never passes, so the empty start value remembers nothing.)
        if !first.is_empty() && super::schema::same(first, &self.fqan_passed) {
            return;
        }
        let checked = fedcloud_core::Fqan::check(
            first,
            fedcloud_core::FqanSyntax::Lenient,
            &fedcloud_core::TextLimits::default(),
        );
        if checked.is_ok() {
            self.fqan_passed.clear();
            self.fqan_passed.push_str(first);
        }
        if let Err(e) = checked {
            let at = self.at("FQAN");
            let fqan = self.record.text("FQAN").unwrap_or_default().to_owned();
            self.push(
                e.position().within(at),
                Some("FQAN"),
                Code::InvalidFqan,
                Severity::Error,
                format!("FQAN {fqan:?} is not a VOMS FQAN: {}", e.kind()),
            );
        }
    }

    /// The month of a summary: `Some((start, end))`, the first second of the month and of the
    /// next; `None` (with a finding) when Month/Year do not make a date.
    fn month_bounds(&mut self) -> Option<(UtcTime, UtcTime)> {
        let (Some(month), Some(year)) = (self.record.int("Month"), self.record.int("Year")) else {
            return None;
        };
        let bounds = month_start(year, month).and_then(|s| {
            let (ny, nm) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
            Some((s, month_start(ny, nm)?))
        });
        if bounds.is_none() {
            self.error(
                self.at("Month"),
                Some("Month"),
                Code::InvalidMonth,
                format!("Month {month} / Year {year} is not a month of the years 1-9999"),
                "Invalid values for month and/or year.".into(),
            );
        }
        bounds
    }

    fn check_summary(&mut self) {
        let Some((start, end)) = self.month_bounds() else {
            return;
        };
        let eet = self.record.time("EarliestEndTime");
        let let_ = self.record.time("LatestEndTime");
        if let Some(e) = eet {
            if !(start <= e && e <= end) {
                self.error(
                    self.at("EarliestEndTime"),
                    Some("EarliestEndTime"),
                    Code::OutsideMonth,
                    format!("EarliestEndTime {e} is outside the stated month {start} .. {end}"),
                    "EarliestEndTime is not within stated month.".into(),
                );
            }
            if let Some(l) = let_ {
                if !(start <= l && l <= end) {
                    self.error(
                        self.at("LatestEndTime"),
                        Some("LatestEndTime"),
                        Code::OutsideMonth,
                        format!("LatestEndTime {l} is outside the stated month {start} .. {end}"),
                        "LatestEndTime is not within stated month.".into(),
                    );
                }
                if e > l {
                    self.error(
                        self.at("LatestEndTime"),
                        Some("LatestEndTime"),
                        Code::LatestBeforeEarliest,
                        format!("LatestEndTime {l} is before EarliestEndTime {e}"),
                        "LatestEndTime is earlier than EarliestEndTime.".into(),
                    );
                }
            }
        } else if let (Some(l), false) = (let_, self.apel()) {
            // apel skips the check when EarliestEndTime is absent; the strict profile does not.
            if !(start <= l && l <= end) {
                self.push(
                    self.at("LatestEndTime"),
                    Some("LatestEndTime"),
                    Code::OutsideMonth,
                    Severity::Error,
                    format!("LatestEndTime {l} is outside the stated month {start} .. {end}"),
                );
            }
        }
        if start > self.options.now {
            self.error(
                self.at("Month"),
                Some("Month"),
                Code::InFuture,
                format!(
                    "the month starting {start} is after now ({})",
                    self.options.now
                ),
                "Month specified in record is in the future.".into(),
            );
        }
        if self.apel() {
            self.apel_negative_durations();
        }
    }

    /// apel's summary checks of negative durations, with its wording (including the v0.2/v0.4
    /// summary reporting a negative CpuDuration as "Negative WallDuration").
    fn apel_negative_durations(&mut self) {
        let normalised = matches!(
            self.record_type,
            RecordType::NormalisedSummary | RecordType::NormalisedSummary04
        );
        let mut checks = vec![
            ("WallDuration", "WallDuration"),
            (
                "CpuDuration",
                if normalised {
                    "CpuDuration"
                } else {
                    "WallDuration"
                },
            ),
        ];
        if normalised {
            checks.push(("NormalisedWallDuration", "NormalisedWallDuration"));
            checks.push(("NormalisedCpuDuration", "NormalisedCpuDuration"));
        }
        for (field, said) in checks {
            let value = match self.record.get(field) {
                Some(Value::Int(v)) => *v < 0,
                Some(Value::BigInt(t)) => t.starts_with('-'),
                Some(Value::Benchmarks(_)) => self
                    .record
                    .benchmark(field)
                    .is_some_and(|(_, x)| x.trunc() < 0.0),
                _ => false,
            };
            if value {
                self.error(
                    self.at(field),
                    Some(field),
                    Code::NegativeValue,
                    format!("{field} is negative"),
                    format!("Negative {said}"),
                );
            }
        }
    }

    fn check_month_strict(&mut self) {
        let (Some(month), Some(year)) = (self.record.int("Month"), self.record.int("Year")) else {
            return;
        };
        match month_start(year, month) {
            None => self.push(
                self.at("Month"),
                Some("Month"),
                Code::InvalidMonth,
                Severity::Error,
                format!("Month {month} / Year {year} is not a month of the years 1-9999"),
            ),
            Some(start) if start > self.options.now => self.push(
                self.at("Month"),
                Some("Month"),
                Code::InFuture,
                Severity::Error,
                format!(
                    "the month starting {start} is after now ({})",
                    self.options.now
                ),
            ),
            Some(_) => {}
        }
    }

    fn check_cloud_strict(&mut self) {
        if let Some(status) = self.text_at(self.slots.status)
            && !["completed", "started", "suspended"].contains(&status)
        {
            let status = status.to_owned();
            self.push(
                    self.at("Status"),
                    Some("Status"),
                    Code::InvalidEnumeration,
                    Severity::Error,
                    format!(
                        "Status {status:?} is not one of completed, started, suspended (EGI cloud record v0.4)"
                    ),
                );
        }
        let slots = (self.slots.start_time, self.slots.end_time);
        self.check_order(("StartTime", "EndTime"), slots);
        if let Some(end) = self.time_at(self.slots.end_time)
            && self
                .options
                .now
                .checked_add_seconds(2 * 86_400)
                .is_some_and(|l| end > l)
        {
            self.push(
                self.at("EndTime"),
                Some("EndTime"),
                Code::InFuture,
                Severity::Error,
                format!(
                    "EndTime {end} is more than 2 days after now ({})",
                    self.options.now
                ),
            );
        }
    }

    /// `second` (at `slots.1`) is not before `first` (at `slots.0`).
    fn check_order(
        &mut self,
        (first, second): (&'static str, &'static str),
        slots: (Option<usize>, Option<usize>),
    ) {
        if let (Some(a), Some(b)) = (self.time_at(slots.0), self.time_at(slots.1))
            && b < a
        {
            self.push(
                self.at(second),
                Some(second),
                Code::EndBeforeStart,
                Severity::Error,
                format!("{second} {b} is before {first} {a}"),
            );
        }
    }
}

fn month_start(year: i64, month: i64) -> Option<UtcTime> {
    if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    let mut p = UtcTime::UNIX_EPOCH.parts();
    p.year = i32::try_from(year).ok()?;
    p.month = u8::try_from(month).ok()?;
    p.day = 1;
    UtcTime::from_parts(p).ok()
}
