//! The properties the usage-record fuzz targets check, shared with the corpus replay test
//! (`tests/fuzz_corpus.rs`). The fuzz target includes this file by path.

use fedcloud_core::{FixedClock, UtcTime};
use usage_record::apel::{Options, Profile, for_each_record, parse_message, render_message};

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
