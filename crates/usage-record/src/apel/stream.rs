//! Validating an APEL text message from a reader, one record at a time, in memory bounded by
//! the longest record (and the line limit), whatever the size of the input.

use super::RecordType;
use super::message::{Entry, Options, Sink, run};
use crate::finding::{Code, Finding, Severity};
use fedcloud_core::Position;
use std::io::{BufRead, Read};

/// The most bytes read from the input at once.
const READ_BYTES: usize = 1 << 18;

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
    /// records that holds no record (bytes that are not UTF-8).
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
/// The input is read in blocks and validated in batches of whole records
/// ([`Limits::batch_bytes`], 1 MiB by default; a longer record is held whole), each as the
/// message `header + records`, so memory stays flat whatever the size of the input. A line
/// longer than [`Limits::max_line_bytes`] is not held: it is reported as the whole-message
/// parse reports it and its bytes are skipped. Two
/// differences from the whole-message parse, both from never holding the whole input: bytes
/// that are not UTF-8 invalidate the record they are in (not the whole message), and records
/// before a broken message-size limit have already been handed over.
///
/// # Errors
/// An I/O error of the reader.
///
/// [`Limits::max_line_bytes`]: super::Limits
/// [`Limits::batch_bytes`]: super::Limits
pub fn validate_reader<R: BufRead>(
    mut reader: R,
    options: &Options,
    mut on_record: impl FnMut(&Entry<'_>, &[Finding]),
) -> std::io::Result<ReaderSummary> {
    let limits = options.limits;
    let batch_bytes = limits.batch_bytes.max(1);
    let mut summary = ReaderSummary {
        header: None,
        record_type: None,
        records: 0,
        invalid_records: 0,
        findings: Vec::new(),
    };
    let mut lines = LineReader {
        reader: &mut reader,
        line_no: 0,
        offset: 0,
        max_line: limits.max_line_bytes,
    };
    // The header: the first line that is not blank.
    let mut header: Vec<u8> = Vec::new();
    let mut header_pos = Position::START;
    while let Some(line) = lines.next_line()? {
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
        // Blank as the parser strips it (Python's white space, vertical tab included).
        let blank = std::str::from_utf8(&line.bytes)
            .is_ok_and(|l| l.chars().all(super::value::is_py_space));
        if !blank {
            header_pos = Position::new(line.offset, line.line, 1);
            header = line.bytes;
            break;
        }
    }
    let (mut total, next_line) = (lines.offset, lines.line_no + 1);
    // Without its line feed only: the parser keeps a carriage return in the header.
    let header_line = header.strip_suffix(b"\n").unwrap_or(&header);
    let mut batch = Batch::new(header_line, header_pos, total, next_line, batch_bytes);
    let mut first = true;
    loop {
        // Read straight into the batch (a `BufReader` with an empty buffer passes a read this
        // large to its reader), one byte past the size limit at most.
        let room = limits.max_message_bytes.saturating_sub(total);
        let want = READ_BYTES.min(room.saturating_add(1));
        let from = batch.text.len();
        batch.text.reserve(want);
        let n = (&mut reader)
            .take(u64::try_from(want).unwrap_or(u64::MAX))
            .read_to_end(&mut batch.text)?;
        let eof = n == 0;
        let over = n > room;
        batch.text.truncate(from + n.min(room));
        batch.appended(from, &limits);
        total += n;
        if over {
            // Hand over the records that end before the limit, then stop.
            if let Some(cut) = batch.last_separator_end() {
                batch.flush(cut, &mut summary, &mut first, options, &mut on_record);
            }
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
        if eof {
            batch.end_of_input();
        } else if batch.body_len() < batch_bytes {
            continue;
        }
        let cut = if eof {
            batch.body_len()
        } else {
            match batch.last_separator_end() {
                Some(cut) => cut,
                None => continue,
            }
        };
        if batch.flush(cut, &mut summary, &mut first, options, &mut on_record) || eof {
            return Ok(summary);
        }
    }
}

/// A line over the limit: where it starts in the batch body, how long it was (without its
/// line break), how many of its last bytes are white space (and whether the parser strips
/// them, at the end of the message), and how many filler bytes stand for it there.
#[derive(Debug, Clone, Copy)]
struct Gap {
    at: usize,
    len: usize,
    trailing: usize,
    stripped: bool,
    kept: usize,
}

impl Gap {
    /// Adds skipped bytes of the line.
    fn extend(&mut self, bytes: &[u8]) {
        self.len += bytes.len();
        self.trailing = match bytes.iter().rposition(|&c| !is_space(c)) {
            Some(i) => bytes.len() - i - 1,
            None => self.trailing + bytes.len(),
        };
    }
}

/// The ASCII bytes the parser strips as white space (Python's `str.strip`).
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1f)
}

/// The header, a line break, and the body bytes read and not yet validated.
struct Batch {
    text: Vec<u8>,
    body_start: usize,
    header_pos: Position,
    /// Input offset and line number of the body's first byte.
    offset: usize,
    line: usize,
    gaps: Vec<Gap>,
    /// Where the last, unfinished line starts in `text`.
    tail: usize,
    /// A line over the limit being skipped.
    skipping: Option<Gap>,
    /// No separator line starts in the body before this offset.
    clean: usize,
}

impl Batch {
    fn new(
        header: &[u8],
        header_pos: Position,
        offset: usize,
        line: usize,
        batch_bytes: usize,
    ) -> Self {
        let mut text = Vec::with_capacity(header.len() + 1 + batch_bytes.min(1 << 20) + READ_BYTES);
        text.extend_from_slice(header);
        text.push(b'\n');
        let body_start = text.len();
        Self {
            text,
            body_start,
            header_pos,
            offset,
            line,
            gaps: Vec::new(),
            tail: body_start,
            skipping: None,
            clean: 0,
        }
    }

    fn body_len(&self) -> usize {
        self.text.len() - self.body_start
    }

    /// Takes in the bytes of the input appended to `text` from `from`. A line that grows
    /// past `max_line_bytes` (and a carriage return) is replaced by `max_line_bytes + 1`
    /// filler bytes, which the parser reports as a line over the limit, and the rest of it
    /// is dropped as it comes.
    fn appended(&mut self, mut from: usize, limits: &super::Limits) {
        let max = limits.max_line_bytes;
        while from < self.text.len() {
            let new = self.text.get(from..).unwrap_or_default();
            if let Some(mut gap) = self.skipping.take() {
                let Some(i) = memchr::memchr(b'\n', new) else {
                    gap.extend(new);
                    self.text.truncate(from);
                    self.skipping = Some(gap);
                    return;
                };
                gap.extend(new.get(..i).unwrap_or_default());
                self.gaps.push(gap);
                self.text.drain(from..from + i);
                from += 1;
                self.tail = from;
                continue;
            }
            if let Some(i) = memchr::memrchr(b'\n', new) {
                self.tail = from + i + 1;
            }
            let held = self.text.len() - self.tail;
            if held > max.saturating_add(1) {
                let mut gap = Gap {
                    at: self.tail - self.body_start,
                    len: 0,
                    trailing: 0,
                    stripped: false,
                    kept: max + 1,
                };
                gap.extend(self.text.get(self.tail..).unwrap_or_default());
                self.text.truncate(self.tail);
                self.text.resize(self.tail + max + 1, b'x');
                self.skipping = Some(gap);
            }
            return;
        }
    }

    /// Closes a line being skipped at the end of the input. The parser strips the white
    /// space at the end of a message, so a skipped line with only white space after it loses
    /// its own trailing white space from its length.
    fn end_of_input(&mut self) {
        if let Some(gap) = self.skipping.take() {
            self.gaps.push(gap);
        }
        if let Some(last) = self.gaps.last_mut() {
            let after = self
                .text
                .get(self.body_start + last.at + last.kept..)
                .unwrap_or_default();
            last.stripped = after.iter().all(|&c| is_space(c));
        }
    }

    /// The end (body-relative, after its line break) of the last whole separator line. The
    /// lines searched in vain are not searched again (a record longer than a batch is read
    /// in many blocks).
    fn last_separator_end(&mut self) -> Option<usize> {
        let body = self.text.get(self.body_start..self.tail)?;
        let mut end = body.len();
        while let Some(p) = memchr::memrchr(b'%', body.get(self.clean..end)?) {
            let p = self.clean + p;
            let start = memchr::memrchr(b'\n', body.get(..p)?).map_or(0, |i| i + 1);
            let stop = p + memchr::memchr(b'\n', body.get(p..)?)?;
            if is_separator(body.get(start..stop)?) {
                return Some(stop + 1);
            }
            end = start.max(self.clean);
            if start < self.clean {
                break;
            }
        }
        self.clean = body.len();
        None
    }

    /// Validates the body up to `cut` and keeps the rest; `true` when reading must stop
    /// (an unknown header, or the record limit).
    fn flush(
        &mut self,
        cut: usize,
        summary: &mut ReaderSummary,
        first: &mut bool,
        options: &Options,
        on_record: &mut impl FnMut(&Entry<'_>, &[Finding]),
    ) -> bool {
        let body = self
            .text
            .get(self.body_start..self.body_start + cut)
            .unwrap_or_default();
        let frame = Frame {
            body_start: self.body_start,
            header_pos: self.header_pos,
            offset: self.offset,
            line: self.line,
            gaps: &self.gaps,
            max_line: options.limits.max_line_bytes,
        };
        let mut stop = false;
        if *first || has_content(body) {
            let text = self.text.get(..self.body_start + cut).unwrap_or_default();
            let part = validate_part(text, &frame, summary, *first, true, options, on_record);
            stop = match part {
                Part::Done(stop) => stop,
                Part::NotUtf8 => {
                    // Record by record, so that the bytes invalidate only their record.
                    let header = self.text.get(..self.body_start).unwrap_or_default();
                    by_record(header, body, &frame, summary, *first, options, on_record)
                }
            };
            *first = false;
        }
        // Keep the rest, with its place in the input.
        let removed: usize = self
            .gaps
            .iter()
            .filter(|g| g.at < cut)
            .map(|g| g.len - g.kept)
            .sum();
        self.offset += cut + removed;
        self.line += count_lines(body);
        self.gaps.retain(|g| g.at >= cut);
        for g in &mut self.gaps {
            g.at -= cut;
        }
        if let Some(gap) = &mut self.skipping {
            gap.at -= cut;
        }
        self.text.drain(self.body_start..self.body_start + cut);
        self.clean = 0;
        // (At the end of the input the cut may pass the start of the last line.)
        self.tail = self.tail.saturating_sub(cut).max(self.body_start);
        stop
    }
}

/// How positions in a batch's text map to the input.
struct Frame<'g> {
    body_start: usize,
    header_pos: Position,
    offset: usize,
    line: usize,
    gaps: &'g [Gap],
    max_line: usize,
}

impl Frame<'_> {
    fn position(&self, p: Position) -> Position {
        if p.offset < self.body_start {
            return Position::new(
                self.header_pos.offset + p.offset,
                self.header_pos.line + p.line - 1,
                p.column,
            );
        }
        let at = p.offset - self.body_start;
        let skipped: usize = self
            .gaps
            .iter()
            .take_while(|g| g.at < at)
            .map(|g| g.len - g.kept)
            .sum();
        Position::new(
            self.offset + at + skipped,
            self.line + (p.line - 2),
            p.column,
        )
    }

    fn finding(&self, f: &mut Finding) {
        if f.code == Code::LimitExceeded
            && let Some(at) = f.position.offset.checked_sub(self.body_start)
            && let Some(g) = self.gaps.iter().find(|g| g.at == at)
        {
            // The parser saw the filler; say how long the line was.
            let len = if g.stripped {
                g.len - g.trailing
            } else {
                g.len
            };
            f.message = super::message::long_line(len, self.max_line);
        }
        f.position = self.position(f.position);
    }

    /// The frame of the part of the body from `start`.
    fn from(&self, body: &[u8], start: usize) -> (usize, usize, Vec<Gap>) {
        let before = body.get(..start).unwrap_or_default();
        let removed: usize = self
            .gaps
            .iter()
            .filter(|g| g.at < start)
            .map(|g| g.len - g.kept)
            .sum();
        let gaps = self
            .gaps
            .iter()
            .filter(|g| g.at >= start)
            .map(|g| Gap {
                at: g.at - start,
                ..*g
            })
            .collect();
        (
            self.offset + start + removed,
            self.line + count_lines(before),
            gaps,
        )
    }
}

enum Part {
    /// Validated; `true` when reading must stop.
    Done(bool),
    /// The text is not UTF-8: nothing was handed over.
    NotUtf8,
}

/// Hands finished records over with the positions of the whole input; counting from the
/// records before the part, so that the parser gives indices and applies the record limit
/// as for the whole input.
struct Shift<'f, 'g, F> {
    frame: &'f Frame<'g>,
    /// Records of the input before this part.
    before: usize,
    on_record: &'f mut F,
    records: usize,
    invalid: usize,
    findings: Vec<Finding>,
}

impl<'a, F: FnMut(&Entry<'_>, &[Finding])> Sink<'a> for Shift<'_, '_, F> {
    fn finding(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    fn record(&mut self, entry: &mut Entry<'a>, findings: &mut Vec<Finding>) {
        for f in findings.iter_mut() {
            self.frame.finding(f);
        }
        entry.position = self.frame.position(entry.position);
        self.records += 1;
        if !entry.valid {
            self.invalid += 1;
        }
        (self.on_record)(entry, findings);
        findings.clear();
    }

    fn count(&self) -> usize {
        self.before + self.records
    }
}

/// Validates a body that is not UTF-8 record by record (each chunk between separator
/// lines as its own message); `true` when reading must stop.
fn by_record(
    header: &[u8],
    body: &[u8],
    frame: &Frame<'_>,
    summary: &mut ReaderSummary,
    mut first: bool,
    options: &Options,
    on_record: &mut impl FnMut(&Entry<'_>, &[Finding]),
) -> bool {
    let mut start = 0;
    while start < body.len() || first {
        let rest = body.get(start..).unwrap_or_default();
        let end = start + first_separator_end(rest).unwrap_or(rest.len());
        let chunk = body.get(start..end).unwrap_or_default();
        if first || has_content(chunk) {
            let mut text = header.to_vec();
            text.extend_from_slice(chunk);
            let (offset, line, gaps) = frame.from(body, start);
            let sub = Frame {
                offset,
                line,
                gaps: &gaps,
                ..*frame
            };
            let part = validate_part(&text, &sub, summary, first, false, options, on_record);
            if matches!(part, Part::Done(true)) {
                return true;
            }
            first = false;
        }
        if end == start {
            break;
        }
        start = end;
    }
    false
}

/// The end (after its line break) of the first whole separator line of `body`.
fn first_separator_end(body: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'%', body.get(from..)?) {
        let p = from + i;
        let start = memchr::memrchr(b'\n', body.get(..p)?).map_or(0, |i| i + 1);
        let stop = p + memchr::memchr(b'\n', body.get(p..)?)?;
        if is_separator(body.get(start..stop)?) {
            return Some(stop + 1);
        }
        from = stop + 1;
    }
    None
}

fn has_content(body: &[u8]) -> bool {
    body.iter().any(|b| !b.is_ascii_whitespace())
}

fn count_lines(body: &[u8]) -> usize {
    // Byte-wide counts over 64-byte blocks, which the compiler turns into vector compares.
    let mut blocks = body.chunks_exact(64);
    let mut n = 0;
    for block in &mut blocks {
        let in_block = block.iter().fold(0u8, |k, &b| k + u8::from(b == b'\n'));
        n += usize::from(in_block);
    }
    n + blocks.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// Validates `text` (the header, a line break, whole records) as one message; with
/// `may_split`, a text that is not UTF-8 is handed back untouched.
fn validate_part(
    text: &[u8],
    frame: &Frame<'_>,
    summary: &mut ReaderSummary,
    first: bool,
    may_split: bool,
    options: &Options,
    on_record: &mut impl FnMut(&Entry<'_>, &[Finding]),
) -> Part {
    let mut sink = Shift {
        frame,
        before: summary.records,
        on_record,
        records: 0,
        invalid: 0,
        findings: Vec::new(),
    };
    let (_, record_type) = run(text, options, &mut sink);
    if may_split
        && record_type.is_none()
        && sink.findings.iter().any(|f| f.code == Code::InvalidUtf8)
    {
        return Part::NotUtf8;
    }
    let mut stop = false;
    for mut f in sink.findings {
        // Only the first part speaks about the header; a message-level limit finding of a
        // later part is the record limit (the line and size limits are the reader's).
        if !first && f.code == Code::UnknownMessageType {
            continue;
        }
        if f.code == Code::LimitExceeded && f.record.is_none() {
            stop = true;
        }
        frame.finding(&mut f);
        summary.findings.push(f);
    }
    if first {
        summary.header = text
            .get(..frame.body_start.saturating_sub(1))
            .map(|h| String::from_utf8_lossy(trim_newline(h)).into_owned());
        summary.record_type = record_type;
    }
    summary.records += sink.records;
    summary.invalid_records += sink.invalid;
    Part::Done(stop || summary.record_type.is_none())
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

/// Reads the lines before the body (the header and blank lines before it).
struct LineReader<'r, R> {
    reader: &'r mut R,
    line_no: usize,
    offset: usize,
    max_line: usize,
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
                if bytes.len() + take > self.max_line.saturating_add(1) {
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
        self.line_no += 1;
        // The limit counts the line without its line feed (as the parser does).
        if !too_long && bytes.strip_suffix(b"\n").unwrap_or(&bytes).len() > self.max_line {
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

    /// A reader that hands over at most `block` bytes per read.
    struct Trickle<'t> {
        text: &'t [u8],
        block: usize,
    }

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(self.block).min(self.text.len());
            buf[..n].copy_from_slice(&self.text[..n]);
            self.text = &self.text[n..];
            Ok(n)
        }
    }

    /// Findings streamed in batches of `batch` bytes from blocks of `block` bytes, with the
    /// entries' (index, position, valid), sorted as the whole-message parse gives them.
    fn in_batches(
        text: &[u8],
        options: &Options,
        batch: usize,
        block: usize,
    ) -> (Vec<Finding>, Vec<(usize, Position, bool)>, ReaderSummary) {
        let reader = std::io::BufReader::with_capacity(block, Trickle { text, block });
        let mut findings = Vec::new();
        let mut entries = Vec::new();
        let options = options.with_limits(options.limits.with_batch_bytes(batch));
        let summary = validate_reader(reader, &options, |e, f| {
            findings.extend_from_slice(f);
            entries.push((e.index, e.position, e.valid));
        })
        .unwrap();
        findings.extend(summary.findings.iter().cloned());
        findings.sort_by_key(|f| (f.position.offset, f.record, f.code as u32));
        (findings, entries, summary)
    }

    fn sorted(mut findings: Vec<Finding>) -> Vec<Finding> {
        findings.sort_by_key(|f| (f.position.offset, f.record, f.code as u32));
        findings
    }

    proptest! {
        #[test]
        fn batches_and_blocks_of_any_size_agree_with_whole_message_parse(
            lines in proptest::collection::vec(prop_oneof![
                Just("VMUUID: vm".to_owned()),
                Just("SiteName: Jiří".to_owned()),
                Just("Memory: x".to_owned()),
                Just("Memory: 12".to_owned()),
                Just("%%".to_owned()),
                Just(" %% ".to_owned()),
                Just(String::new()),
                Just("ImageId: a%%b %".to_owned()),
                Just(format!("ImageId: {}", "é".repeat(20))),
                Just(format!("Status: {}\r", "y".repeat(40))),
            ], 0..24),
            batch in 1usize..120,
            block in 1usize..70,
            max_records in 1usize..8,
            profile in prop_oneof![Just(Profile::Apel), Just(Profile::Strict)],
        ) {
            let text = format!("APEL-cloud-message: v0.4\n{}\n", lines.join("\n"));
            let limits = Limits::default().with_max_line_bytes(32).with_max_records(max_records);
            let options = Options::new(profile, &FixedClock(UtcTime::UNIX_EPOCH)).with_limits(limits);
            let whole = parse_message(text.as_bytes(), &options);
            let (findings, entries, summary) = in_batches(text.as_bytes(), &options, batch, block);
            prop_assert_eq!(findings, sorted(whole.findings.clone()), "{}", text);
            let expected: Vec<_> = whole.records.iter().map(|e| (e.index, e.position, e.valid)).collect();
            prop_assert_eq!(entries, expected);
            prop_assert_eq!(summary.records, whole.records.len());
            prop_assert_eq!(summary.is_valid(), whole.is_valid());
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_invalidate_only_their_record() {
        let options = Options::new(Profile::Apel, &FixedClock(UtcTime::UNIX_EPOCH));
        let mut text = b"APEL-cloud-message: v0.4\nVMUUID: a\nSiteName: s\n%%\nVMUUID: b\nSiteName: \xff\n%%\nVMUUID: c\nSiteName: s\n".to_vec();
        for batch in [1, 40, 1 << 20] {
            let (findings, entries, summary) = in_batches(&text, &options, batch, 7);
            assert_eq!(summary.records, 2, "batch {batch}");
            assert_eq!(entries.len(), 2);
            assert_eq!((entries[0].1.line, entries[1].1.line), (2, 8));
            let bad: Vec<_> = findings
                .iter()
                .filter(|f| f.code == Code::InvalidUtf8)
                .collect();
            assert_eq!(bad.len(), 1, "{findings:?}");
            // The byte itself: line 6, after "SiteName: ".
            assert_eq!((bad[0].position.offset, bad[0].position.line), (70, 6));
        }
        // A header that is not UTF-8 ends the message at once.
        text[0] = 0xC3;
        let (findings, entries, summary) = in_batches(&text, &options, 1, 7);
        assert!(entries.is_empty());
        assert_eq!(summary.record_type, None);
        assert!(findings.iter().any(|f| f.code == Code::InvalidUtf8));
    }

    #[test]
    fn a_line_over_the_limit_is_skipped_and_reported_with_its_length() {
        let limits = Limits::default().with_max_line_bytes(30);
        let options =
            Options::new(Profile::Apel, &FixedClock(UtcTime::UNIX_EPOCH)).with_limits(limits);
        let long = "z".repeat(5_000);
        let text = format!(
            "APEL-cloud-message: v0.4\nVMUUID: a\nImageId: {long}\nMemory: x\n%%\nVMUUID: b\nMemory: y"
        );
        let whole = parse_message(text.as_bytes(), &options);
        for (batch, block) in [(1, 3), (64, 100), (1 << 20, 1 << 16)] {
            let (findings, entries, _) = in_batches(text.as_bytes(), &options, batch, block);
            assert_eq!(findings, sorted(whole.findings.clone()), "{batch} {block}");
            assert_eq!(entries.len(), 2);
            let cut = findings
                .iter()
                .find(|f| f.code == Code::LimitExceeded)
                .unwrap();
            assert_eq!(
                cut.message,
                "line of 5009 bytes exceeds the limit of 30 bytes"
            );
            assert_eq!(cut.position.line, 3);
        }
        // Without a line break at the end of the input.
        let text = format!("APEL-cloud-message: v0.4\nVMUUID: a\nImageId: {long}");
        let whole = parse_message(text.as_bytes(), &options);
        let (findings, _, _) = in_batches(text.as_bytes(), &options, 16, 5);
        assert_eq!(findings, sorted(whole.findings));
    }

    #[test]
    fn records_before_the_message_limit_are_handed_over() {
        let limits = Limits::default().with_max_message_bytes(60);
        let options =
            Options::new(Profile::Apel, &FixedClock(UtcTime::UNIX_EPOCH)).with_limits(limits);
        let text =
            "APEL-cloud-message: v0.4\nVMUUID: a\n%%\nVMUUID: b\n%%\nVMUUID: c\n%%\nVMUUID: d\n";
        let (findings, entries, summary) = in_batches(text.as_bytes(), &options, 1 << 20, 1 << 16);
        assert_eq!(entries.len(), 2, "{findings:?}");
        assert_eq!(summary.records, 2);
        assert!(
            summary
                .findings
                .iter()
                .any(|f| f.code == Code::LimitExceeded)
        );
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
