//! Validating an APEL text message from a reader, one record at a time, in memory bounded by
//! the longest record (and the line limit), whatever the size of the input.

use super::RecordType;
use super::message::{Entry, Options, for_each_record};
use crate::finding::{Code, Finding, Severity};
use fedcloud_core::Position;
use std::io::BufRead;

/// Where a record chunk sits in the whole input.
struct Chunk {
    text: Vec<u8>,
    first_line: usize,
    first_offset: usize,
}

/// What [`validate_reader`] reports about the message as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderSummary {
    /// The header line as written.
    pub header: Option<String>,
    /// The record type the header selects.
    pub record_type: Option<RecordType>,
    /// Records read.
    pub records: usize,
    /// Records with at least one error.
    pub invalid_records: usize,
    /// Findings not handed over with a record: about the header, limits, or text between
    /// records that holds no record (a cut line, bytes that are not UTF-8).
    pub findings: Vec<Finding>,
}

impl ReaderSummary {
    /// The message-level verdict: no invalid record and no error among [`Self::findings`].
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.invalid_records == 0 && !self.findings.iter().any(Finding::is_error)
    }
}

/// Reads an APEL text message from `reader` and validates it record by record, calling
/// `on_record` for each; positions and record indices are those of the whole input, exactly as
/// [`parse_message`](super::parse_message) would give them.
///
/// Memory holds one record (plus one line, cut at [`Limits::max_line_bytes`]); a longer line is
/// skipped and reported. Two differences from the whole-message parse, both from never holding
/// the whole input: bytes that are not UTF-8 invalidate the record they are in (not the whole
/// message), and records before a broken message-size limit have already been handed over.
///
/// # Errors
/// An I/O error of the reader.
///
/// [`Limits::max_line_bytes`]: super::Limits
pub fn validate_reader<R: BufRead>(
    mut reader: R,
    options: &Options,
    mut on_record: impl FnMut(&Entry<'_>, &[Finding]),
) -> std::io::Result<ReaderSummary> {
    let limits = options.limits;
    let mut summary = ReaderSummary {
        header: None,
        record_type: None,
        records: 0,
        invalid_records: 0,
        findings: Vec::new(),
    };
    let mut reader = LineReader {
        reader: &mut reader,
        line_no: 0,
        offset: 0,
        max_line: limits.max_line_bytes,
        total: 0,
    };
    // The header: the first line that is not blank.
    let mut header: Vec<u8> = Vec::new();
    let mut header_pos = Position::START;
    while let Some(line) = reader.next_line()? {
        if line.too_long {
            summary.findings.push(Finding::new(
                None,
                Position::new(line.offset, line.line, 1),
                None,
                Code::LimitExceeded,
                Severity::Error,
                format!(
                    "header line longer than the limit of {} bytes",
                    limits.max_line_bytes
                ),
            ));
            return Ok(summary);
        }
        if !line.bytes.iter().all(u8::is_ascii_whitespace) {
            header_pos = Position::new(line.offset, line.line, 1);
            header = line.bytes;
            break;
        }
    }
    let header_line = trim_newline(&header).to_vec();
    let mut chunk = Chunk {
        text: Vec::new(),
        first_line: 0,
        first_offset: 0,
    };
    let mut first = true;
    let mut cut_lines: Vec<Finding> = Vec::new();
    loop {
        let line = reader.next_line()?;
        let end = match &line {
            None => true,
            Some(l) => is_separator(&l.bytes),
        };
        if let Some(l) = &line
            && !end
        {
            if chunk.text.is_empty() {
                chunk.first_line = l.line;
                chunk.first_offset = l.offset;
            }
            if l.too_long {
                cut_lines.push(Finding::new(
                    Some(summary.records),
                    Position::new(l.offset, l.line, 1),
                    None,
                    Code::LimitExceeded,
                    Severity::Error,
                    format!(
                        "line longer than the limit of {} bytes",
                        limits.max_line_bytes
                    ),
                ));
                // Keep the line count right: the record text gets an empty line instead.
                chunk.text.push(b'\n');
            } else {
                chunk.text.extend_from_slice(&l.bytes);
            }
            if reader.total > limits.max_message_bytes {
                summary.findings.push(Finding::new(
                    None,
                    Position::START,
                    None,
                    Code::LimitExceeded,
                    Severity::Error,
                    format!(
                        "message exceeds the limit of {} bytes",
                        limits.max_message_bytes
                    ),
                ));
                return Ok(summary);
            }
            continue;
        }
        let has_record =
            !cut_lines.is_empty() || chunk.text.iter().any(|b| !b.is_ascii_whitespace());
        if first || has_record {
            if has_record && summary.records >= limits.max_records {
                summary.findings.push(Finding::new(
                    None,
                    Position::new(chunk.first_offset, chunk.first_line, 1),
                    None,
                    Code::LimitExceeded,
                    Severity::Error,
                    format!("more than {} records", limits.max_records),
                ));
                return Ok(summary);
            }
            let part = validate_chunk(
                &header_line,
                header_pos,
                &chunk,
                summary.records,
                std::mem::take(&mut cut_lines),
                options,
                &mut on_record,
            );
            if first {
                summary.header = Some(String::from_utf8_lossy(&header_line).into_owned());
                summary.record_type = part.record_type;
                first = false;
            }
            summary.findings.extend(part.findings);
            summary.records += part.records;
            summary.invalid_records += part.invalid_records;
            if summary.record_type.is_none() {
                return Ok(summary);
            }
        }
        chunk.text.clear();
        if line.is_none() {
            return Ok(summary);
        }
    }
}

struct PartSummary {
    record_type: Option<RecordType>,
    records: usize,
    invalid_records: usize,
    findings: Vec<Finding>,
}

/// Validates one record as the message `header + record`, translating positions and indices.
fn validate_chunk(
    header: &[u8],
    header_pos: Position,
    chunk: &Chunk,
    index_base: usize,
    cut_lines: Vec<Finding>,
    options: &Options,
    on_record: &mut impl FnMut(&Entry<'_>, &[Finding]),
) -> PartSummary {
    let mut text = Vec::with_capacity(header.len() + 1 + chunk.text.len());
    text.extend_from_slice(header);
    text.push(b'\n');
    let body_start = text.len();
    text.extend_from_slice(&chunk.text);
    let translate = |p: Position| -> Position {
        if p.offset < body_start {
            Position::new(
                header_pos.offset + p.offset,
                header_pos.line + p.line - 1,
                p.column,
            )
        } else {
            Position::new(
                chunk.first_offset + (p.offset - body_start),
                chunk.first_line + (p.line - 2),
                p.column,
            )
        }
    };
    let mut records = 0;
    let mut invalid = 0;
    let mut cut_lines = Some(cut_lines);
    let summary = for_each_record(&text, options, |entry, findings| {
        let mut findings: Vec<Finding> = findings
            .iter()
            .cloned()
            .map(|mut f| {
                f.position = translate(f.position);
                f.record = f.record.map(|r| r + index_base);
                f
            })
            .collect();
        if let Some(mut cut) = cut_lines.take().filter(|c| !c.is_empty()) {
            findings.append(&mut cut);
            findings.sort_by_key(|f| f.position.offset);
        }
        let valid = entry.valid && !findings.iter().any(Finding::is_error);
        let translated = Entry {
            index: entry.index + index_base,
            position: translate(entry.position),
            record: entry.record.clone(),
            valid,
        };
        records += 1;
        if !valid {
            invalid += 1;
        }
        on_record(&translated, &findings);
    });
    // Message-level findings of a later chunk concern that chunk's text; cut lines of a chunk
    // without a record were not handed over.
    let findings: Vec<Finding> = summary
        .findings
        .into_iter()
        .filter(|f| index_base == 0 || f.code != Code::UnknownMessageType)
        .map(|mut f| {
            f.position = translate(f.position);
            f
        })
        .collect();
    // A record made only of cut lines is still a record, and an invalid one.
    if let (Some(cut), Some(record_type)) =
        (cut_lines.filter(|c| !c.is_empty()), summary.record_type)
    {
        let position = cut.first().map_or(Position::START, |f| f.position);
        let entry = Entry {
            index: index_base,
            position,
            record: super::Record::new(record_type),
            valid: false,
        };
        on_record(&entry, &cut);
        records += 1;
        invalid += 1;
    }
    PartSummary {
        record_type: summary.record_type,
        records,
        invalid_records: invalid,
        findings,
    }
}

fn trim_newline(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn is_separator(line: &[u8]) -> bool {
    line.trim_ascii() == b"%%"
}

struct RawLine {
    bytes: Vec<u8>,
    line: usize,
    offset: usize,
    too_long: bool,
}

struct LineReader<'r, R> {
    reader: &'r mut R,
    line_no: usize,
    offset: usize,
    max_line: usize,
    total: usize,
}

impl<R: BufRead> LineReader<'_, R> {
    /// The next line with its newline, or `None` at the end. A line over the limit is consumed
    /// and returned empty with `too_long` set.
    fn next_line(&mut self) -> std::io::Result<Option<RawLine>> {
        let mut bytes = Vec::new();
        let mut too_long = false;
        let start = self.offset;
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                break;
            }
            let (take, done) = match memchr::memchr(b'\n', available) {
                Some(i) => (i + 1, true),
                None => (available.len(), false),
            };
            if !too_long {
                if bytes.len() + take > self.max_line.saturating_add(2) {
                    too_long = true;
                    bytes.clear();
                } else {
                    bytes.extend_from_slice(available.get(..take).unwrap_or_default());
                }
            }
            self.reader.consume(take);
            self.offset += take;
            if done {
                break;
            }
        }
        if self.offset == start {
            return Ok(None);
        }
        self.total = self.offset;
        self.line_no += 1;
        // The limit counts the line without its line break.
        if !too_long && trim_newline(&bytes).len() > self.max_line {
            too_long = true;
            bytes.clear();
        }
        Ok(Some(RawLine {
            bytes,
            line: self.line_no,
            offset: start,
            too_long,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Limits, Profile, parse_message};
    use super::*;
    use fedcloud_core::{FixedClock, UtcTime};
    use proptest::prelude::*;

    fn both(text: &str, options: &Options) -> (Vec<Finding>, Vec<Finding>, bool, bool) {
        let whole = parse_message(text.as_bytes(), options);
        let mut streamed = Vec::new();
        let summary = validate_reader(text.as_bytes(), options, |_, f| {
            streamed.extend_from_slice(f);
        })
        .unwrap();
        let mut all = summary.findings.clone();
        all.extend(streamed);
        let valid = whole.is_valid();
        (whole.findings, all, valid, summary.is_valid())
    }

    proptest! {
        #[test]
        fn agrees_with_whole_message_parse(
            lines in proptest::collection::vec(prop_oneof![
                Just("VMUUID: vm".to_owned()),
                Just("SiteName: Jiří".to_owned()),
                Just("Memory: x".to_owned()),
                Just("Memory: 12".to_owned()),
                Just("Foo: 1".to_owned()),
                Just("%%".to_owned()),
                Just("  %%  ".to_owned()),
                Just(String::new()),
                Just("no colon".to_owned()),
                Just("ImageId: a%%b".to_owned()),
                Just("\tStatus: completed\r".to_owned()),
            ], 0..14),
            profile in prop_oneof![Just(Profile::Apel), Just(Profile::Strict)],
            lead in prop_oneof![Just(""), Just("\n\n")],
        ) {
            let text = format!("{lead}APEL-cloud-message: v0.4\n{}\n", lines.join("\n"));
            let options = Options::new(profile, &FixedClock(UtcTime::UNIX_EPOCH));
            let (whole, streamed, v1, v2) = both(&text, &options);
            prop_assert_eq!(streamed, whole, "{}", text);
            prop_assert_eq!(v1, v2);
        }
    }

    #[test]
    fn header_problems_and_limits() {
        let options = Options::new(Profile::Apel, &FixedClock(UtcTime::UNIX_EPOCH));
        let (whole, streamed, _, valid) = both("APEL-foo: v1\nSite: x\n%%\nSite: y\n", &options);
        assert_eq!(streamed, whole);
        assert!(!valid);
        let limited = options.with_limits(Limits::default().with_max_line_bytes(16));
        let text = format!(
            "APEL-sync-message: v0.1\nSite: {}\n%%\nSite: s\n",
            "x".repeat(100)
        );
        let mut findings = Vec::new();
        let summary = validate_reader(text.as_bytes(), &limited, |_, f| {
            findings.extend_from_slice(f)
        });
        let summary = summary.unwrap();
        // The header itself is over 16 bytes.
        assert_eq!(summary.findings[0].code, Code::LimitExceeded);
        let limited = options.with_limits(Limits::default().with_max_line_bytes(30));
        findings.clear();
        let summary = validate_reader(text.as_bytes(), &limited, |_, f| {
            findings.extend_from_slice(f)
        })
        .unwrap();
        assert_eq!(summary.records, 2);
        assert!(
            findings.iter().any(|f| f.code == Code::LimitExceeded
                && f.record == Some(0)
                && f.position.line == 2)
        );
        let few = options.with_limits(Limits::default().with_max_records(1));
        let summary = validate_reader(text.as_bytes(), &few, |_, _| {}).unwrap();
        assert!(
            summary
                .findings
                .iter()
                .any(|f| f.code == Code::LimitExceeded)
        );
    }
}
