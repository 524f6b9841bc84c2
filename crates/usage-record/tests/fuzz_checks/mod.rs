//! The properties the usage-record fuzz targets check, shared with the corpus replay test
//! (`tests/fuzz_corpus.rs`). The fuzz target includes this file by path.

use fedcloud_core::{FixedClock, UtcTime};
use usage_record::apel::{
    Limits, Options, Profile, for_each_record, parse_message, render_message, validate_reader,
};

/// Never panics in either profile; streaming and collecting agree; the valid records of an
/// apel-profile parse render to text that parses back to the same records.
pub(crate) fn apel_text(data: &[u8]) {
    let clock = FixedClock(UtcTime::UNIX_EPOCH);
    for profile in [Profile::Apel, Profile::Strict] {
        let options = Options::new(profile, &clock);
        let msg = parse_message(data, &options);
        let mut streamed = 0;
        let summary = for_each_record(data, &options, |_, _| streamed += 1);
        assert_eq!(summary.records, msg.records.len());
        assert_eq!(summary.is_valid(), msg.is_valid());
        if profile == Profile::Apel {
            let valid: Vec<_> = msg.valid_records().cloned().collect();
            if let Ok(text) = render_message(&valid) {
                let again = parse_message(text.as_bytes(), &options);
                let back: Vec<_> = again.records.into_iter().map(|e| e.record).collect();
                assert_eq!(back, valid, "{text}");
            }
        }
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
        let (head, rest) = self.text.split_at(n);
        buf.get_mut(..n).unwrap_or_default().copy_from_slice(head);
        self.text = rest;
        Ok(n)
    }
}

/// The streaming reader (`validate_reader`), in batches and reads of sizes taken from the
/// first two bytes and with a line limit from the third: never panics, and on UTF-8 input
/// (with a header line within the limit) hands over the records, findings and verdict of
/// the whole-message parse.
pub(crate) fn apel_text_reader(data: &[u8]) {
    let [batch, block, line, text @ ..] = data else {
        return;
    };
    let limits = Limits::default()
        .with_batch_bytes(usize::from(*batch))
        .with_max_line_bytes(36 + usize::from(*line % 64));
    let options = Options::new(Profile::Apel, &FixedClock(UtcTime::UNIX_EPOCH)).with_limits(limits);
    let reader = std::io::BufReader::with_capacity(
        usize::from(*block).max(1),
        Trickle {
            text,
            block: usize::from(*block).max(1),
        },
    );
    let mut streamed = Vec::new();
    let mut entries = Vec::new();
    let summary = validate_reader(reader, &options, |e, f| {
        streamed.extend_from_slice(f);
        entries.push((e.index, e.position, e.valid));
    })
    .unwrap_or_else(|e| panic!("a slice reader failed: {e}"));
    assert_eq!(summary.records, entries.len());
    // Bytes that are not UTF-8 invalidate their record only, and a header line over the
    // limit is reported without its length (the reader does not hold it): both documented.
    let long_header = summary
        .findings
        .iter()
        .any(|f| f.message.starts_with("header line longer"));
    if std::str::from_utf8(text).is_err() || long_header {
        return;
    }
    let whole = parse_message(text, &options);
    streamed.extend(summary.findings.iter().cloned());
    let key = |f: &usage_record::Finding| (f.position.offset, f.record, f.code as u32);
    streamed.sort_by_key(key);
    let mut expected = whole.findings.clone();
    expected.sort_by_key(key);
    assert_eq!(streamed, expected);
    let records: Vec<_> = whole
        .records
        .iter()
        .map(|e| (e.index, e.position, e.valid))
        .collect();
    assert_eq!(entries, records);
    assert_eq!(summary.is_valid(), whole.is_valid());
}

/// JSON messages: never panics in either profile; valid records render to a JSON message that
/// parses back to the same records.
pub(crate) fn apel_json(data: &[u8]) {
    let clock = FixedClock(UtcTime::UNIX_EPOCH);
    for profile in [Profile::Apel, Profile::Strict] {
        let options = Options::new(profile, &clock);
        let msg = usage_record::apel::parse_json_message(data, &options);
        let valid: Vec<_> = msg.valid_records().cloned().collect();
        if profile == Profile::Strict && !valid.is_empty() {
            let text = usage_record::apel::render_json_message(&valid).unwrap_or_default();
            let again = usage_record::apel::parse_json_message(text.as_bytes(), &options);
            let back: Vec<_> = again.records.into_iter().map(|e| e.record).collect();
            assert_eq!(back, valid, "{text}");
        }
    }
}

/// XML documents: never panics in either profile, and a document apel accepts gives at least
/// one record.
pub(crate) fn apel_xml(data: &[u8]) {
    let clock = FixedClock(UtcTime::UNIX_EPOCH);
    for profile in [Profile::Apel, Profile::Strict] {
        let options = Options::new(profile, &clock);
        let msg = usage_record::apel::parse_xml_message(data, &options);
        // apel refuses a document without records; under strict, an empty UR 1.0, AUR or
        // UR 2.0 container is schema-valid.
        if msg.is_valid() && profile == Profile::Apel {
            assert!(!msg.records.is_empty());
        }
    }
}

/// Built-in XML Schema validation: never panics; counts are consistent; a valid verdict names a
/// format; every finding of a record points inside the input; a document our tokenizer reads
/// to the end as well-formed is read to the end by quick-xml too (the reader of the record
/// parser), so validation never lets through what parsing then refuses.
pub(crate) fn xml_schema(data: &[u8]) {
    let limits = usage_record::apel::Limits::default().with_max_depth(256);
    let r = usage_record::xsd::validate_document(data, &limits);
    assert!(r.valid_records <= r.records);
    if r.is_valid() {
        assert!(r.format.is_some());
        assert_eq!(r.valid_records, r.records);
    }
    for f in &r.findings {
        assert!(f.position.offset <= data.len(), "{f:?}");
    }
    let read_whole = r.format.is_some()
        && !r.findings.iter().any(|f| {
            matches!(
                f.code,
                usage_record::Code::XmlSyntax | usage_record::Code::LimitExceeded
            )
        });
    if read_whole && let Ok(text) = std::str::from_utf8(data) {
        let mut reader = quick_xml::NsReader::from_str(text);
        reader.config_mut().check_end_names = true;
        reader.config_mut().check_comments = true;
        loop {
            match reader.read_resolved_event() {
                Ok((_, quick_xml::events::Event::Eof)) => break,
                Ok((
                    _,
                    quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e),
                )) => {
                    for a in e.attributes() {
                        assert!(a.is_ok(), "quick-xml refuses an attribute we accept: {a:?}");
                    }
                }
                Ok(_) => {}
                Err(e) => panic!("quick-xml refuses what we read as well-formed: {e}"),
            }
        }
    }
}

/// Conversion: reading any input and converting it to every target never panics; every loss
/// names a record of the input and every finding on the output points inside it.
pub(crate) fn convert(data: &[u8]) {
    use usage_record::convert::{Target, convert};
    let clock =
        FixedClock(UtcTime::from_epoch_seconds(1_795_000_000).unwrap_or(UtcTime::UNIX_EPOCH));
    let options = Options::new(Profile::Strict, &clock);
    for target in Target::ALL {
        let Ok((msg, c)) = convert(data, target, &options) else {
            continue;
        };
        for l in &c.losses {
            assert!(l.first_record < msg.records.len(), "{l:?}");
            assert!(l.count >= 1);
        }
        for f in &c.output_findings {
            assert!(f.position.offset <= c.output.len(), "{f:?}");
        }
    }
}
