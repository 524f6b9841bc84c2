//! APEL text messages: a header line `<Type>: v<version>`, then records of `Key: Value` lines
//! separated by `%%` lines.
//!
//! ```text
//! APEL-cloud-message: v0.4
//! VMUUID: 2013-11-14 19:15:21+00:00 CESNET vm-1
//! SiteName: CESNET
//! %%
//! ```

mod json_message;
mod message;
mod record;
mod schema;
mod stream;
mod summary;
mod value;
mod xml_message;
pub(crate) mod xml_records;

pub use json_message::{MAX_JSON_RECORDS, parse_json_message, render_json_message};
pub(crate) use message::decode_input;
pub use message::{
    Entry, Limits, Message, Options, Profile, Summary, for_each_record, parse_message,
};
pub use record::{Record, RenderError, UnknownField};
pub use schema::RecordType;
pub use stream::{ReaderSummary, validate_reader};
pub use summary::summarise_cloud;
pub use value::{BadBenchmarkName, Benchmarks, Value};
pub use xml_message::{AUR_NS, CAR_NS, STAR_NS, parse_xml_message};

/// Parses and validates a message of any encoding apel loads: XML (CAR, StAR) when the first
/// non-blank byte is `<`, JSON when it is `{`, APEL text otherwise.
#[must_use]
pub fn parse_any<'a>(input: &'a [u8], options: &Options) -> Message<'a> {
    match input.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<') => parse_xml_message(input, options),
        Some(b'{') => parse_json_message(input, options),
        _ => parse_message(input, options),
    }
}

/// Renders records as one APEL text message: the canonical header of their type, each record's
/// fields in canonical order, `%%` after each record.
///
/// # Errors
/// A record whose type differs from the first one's, a record without any value (it would
/// vanish), or a value that cannot be written (see [`RenderError`]).
pub fn render_message(records: &[Record<'_>]) -> Result<String, RenderError> {
    let mut out = String::with_capacity(records.len() * 512 + 64);
    let Some(first) = records.first() else {
        return Ok(out);
    };
    out.push_str(first.record_type().header());
    out.push('\n');
    for r in records {
        if r.record_type() != first.record_type() {
            return Err(RenderError::MixedTypes);
        }
        if !r.record_type().is_text() {
            return Err(RenderError::NotText);
        }
        if r.iter().next().is_none() {
            return Err(RenderError::EmptyRecord);
        }
        r.render_into(&mut out)?;
        out.push_str("%%\n");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::schema::Kind;
    use super::*;
    use fedcloud_core::{FixedClock, UtcTime};
    use proptest::prelude::*;
    use std::borrow::Cow;

    fn text() -> impl Strategy<Value = String> {
        "[A-Za-z0-9/=.@_-][A-Za-z0-9/=.@_ :{}'-]{0,20}[A-Za-z0-9/=.@_'-]"
            .prop_filter("not a NULL spelling", |s| {
                !value::is_null(s) && !s.contains("%%")
            })
    }

    fn value_for(kind: Kind, bench_keys: Vec<&'static str>) -> BoxedStrategy<Value<'static>> {
        match kind {
            Kind::Text(_) => text().prop_map(|s| Value::Text(Cow::Owned(s))).boxed(),
            Kind::Int32 | Kind::Int64 => any::<i64>().prop_map(Value::Int).boxed(),
            Kind::Float => prop_oneof![
                any::<f64>(),
                Just(f64::NAN),
                Just(f64::INFINITY),
                -1e6f64..1e6
            ]
            .prop_map(Value::Float)
            .boxed(),
            Kind::DateTime => (-62_135_596_800i64..=253_402_300_799)
                .prop_map(|s| Value::Time(UtcTime::from_epoch_seconds(s).unwrap()))
                .boxed(),
            Kind::Benchmark { integer } => proptest::collection::vec(
                if integer { -1e9f64..1e9 } else { -1e6f64..1e6 },
                bench_keys.len(),
            )
            .prop_map(move |vals| {
                Value::Benchmarks(
                    Benchmarks::from_entries(
                        bench_keys
                            .iter()
                            .zip(vals)
                            .map(|(k, v)| (*k, if integer { v.trunc() } else { v })),
                    )
                    .unwrap(),
                )
            })
            .boxed(),
        }
    }

    fn record() -> impl Strategy<Value = Record<'static>> {
        (
            proptest::sample::select(
                RecordType::ALL
                    .iter()
                    .copied()
                    .filter(|t| t.is_text())
                    .collect::<Vec<_>>(),
            ),
            proptest::sample::subsequence(vec!["hepspec", "si2k", "HEPscore23", "other"], 1..4),
        )
            .prop_filter("a benchmark key apel knows", |(_, keys)| {
                keys.iter().any(|k| *k != "other")
            })
            .prop_flat_map(|(t, keys)| {
                let fields: Vec<_> = t
                    .fields()
                    .iter()
                    // v0.4 dictionaries decide ServiceLevelType themselves.
                    .filter(|f| {
                        !(f.name == "ServiceLevelType"
                            && t.fields()
                                .iter()
                                .any(|g| matches!(g.kind, Kind::Benchmark { .. })))
                    })
                    .map(|f| {
                        proptest::option::of(value_for(f.kind, keys.clone()))
                            .prop_map(move |v| (f.name, v))
                    })
                    .collect();
                fields.prop_map(move |values| {
                    let mut r = Record::new(t);
                    for (name, v) in values {
                        r.set(name, v).unwrap();
                    }
                    r
                })
            })
    }

    proptest! {
        #[test]
        fn parse_render_round_trip(records in proptest::collection::vec(record(), 1..4)) {
            let t = records[0].record_type();
            let records: Vec<_> = records
                .into_iter()
                .filter(|r| r.record_type() == t && r.iter().next().is_some())
                .collect();
            if records.is_empty() {
                return Ok(());
            }
            let text = render_message(&records).unwrap();
            let opts = Options::new(Profile::Apel, &FixedClock(UtcTime::UNIX_EPOCH));
            let msg = parse_message(text.as_bytes(), &opts);
            prop_assert_eq!(msg.record_type, Some(t));
            let parsed: Vec<_> = msg.records.into_iter().map(|e| e.record).collect();
            // Fields apel would drop on a failed conversion never occur: every rendered value reads back.
            prop_assert_eq!(&parsed, &records, "{}", text);
            prop_assert_eq!(render_message(&parsed).unwrap(), text);
        }

        #[test]
        fn streaming_agrees_with_collecting(records in proptest::collection::vec(record(), 1..4), junk in "(\n|Foo: 1\n|Memory: x\n|%%\n){0,3}") {
            let t = records[0].record_type();
            let records: Vec<_> = records
                .into_iter()
                .filter(|r| r.record_type() == t && r.iter().next().is_some())
                .collect();
            if records.is_empty() {
                return Ok(());
            }
            let text = format!("{}{junk}", render_message(&records).unwrap());
            let opts = Options::new(Profile::Strict, &FixedClock(UtcTime::UNIX_EPOCH));
            let collected = parse_message(text.as_bytes(), &opts);
            let mut streamed = Vec::new();
            let mut findings = Vec::new();
            let summary = for_each_record(text.as_bytes(), &opts, |e, f| {
                streamed.push(e.clone());
                findings.extend_from_slice(f);
            });
            prop_assert_eq!(&streamed, &collected.records);
            let record_findings: Vec<_> = collected.findings.iter().filter(|f| f.record.is_some()).cloned().collect();
            prop_assert_eq!(findings, record_findings);
            prop_assert_eq!(summary.is_valid(), collected.is_valid());
            prop_assert_eq!(summary.records, collected.records.len());
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let opts = Options::new(Profile::Strict, &FixedClock(UtcTime::UNIX_EPOCH));
            let _ = parse_message(&bytes, &opts);
            let opts = Options::new(Profile::Apel, &FixedClock(UtcTime::UNIX_EPOCH));
            let _ = parse_message(&bytes, &opts);
        }
    }

    #[test]
    fn empty_record_is_not_rendered() {
        assert_eq!(
            render_message(&[Record::new(RecordType::Sync)]),
            Err(RenderError::EmptyRecord)
        );
    }

    #[test]
    fn limits() {
        let clock = FixedClock(UtcTime::UNIX_EPOCH);
        let text = b"APEL-sync-message: v0.1\nSite: s\n%%\nSite: t\n%%\n";
        let small = Options::new(Profile::Apel, &clock)
            .with_limits(Limits::default().with_max_message_bytes(10));
        let m = parse_message(text, &small);
        assert_eq!(m.findings[0].code, crate::Code::LimitExceeded);
        let one =
            Options::new(Profile::Apel, &clock).with_limits(Limits::default().with_max_records(1));
        let m = parse_message(text, &one);
        assert_eq!(m.records.len(), 1);
        assert!(
            m.findings
                .iter()
                .any(|f| f.code == crate::Code::LimitExceeded)
        );
        let short = Options::new(Profile::Apel, &clock)
            .with_limits(Limits::default().with_max_line_bytes(24));
        let long_line = b"APEL-sync-message: v0.1\nSite: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n%%\n";
        let m = parse_message(long_line, &short);
        assert!(
            m.findings
                .iter()
                .any(|f| f.code == crate::Code::LimitExceeded && f.record == Some(0))
        );
        assert!(!m.records[0].valid);
        let tiny = Options::new(Profile::Apel, &clock)
            .with_limits(Limits::default().with_max_line_bytes(5));
        let m = parse_message(text, &tiny);
        assert_eq!(
            (m.findings[0].code, m.findings[0].record),
            (crate::Code::LimitExceeded, None)
        );
    }

    /// The parser guesses each line's field from the order of the record before it; lines
    /// that break the order, an empty key, a key with spaces or a name that only starts like
    /// the guessed one must still be read as written.
    #[test]
    fn field_order_guess_never_stands_in_for_the_key() {
        let clock = FixedClock(UtcTime::UNIX_EPOCH);
        let apel = Options::new(Profile::Apel, &clock);
        let text = "APEL-sync-message: v0.1\n\
            Site: a\nSubmitHost: h1\nNumberOfJobs: 1\nMonth: 1\nYear: 2020\n%%\n\
            Site: b\nSubmitHost: h2\nNumberOfJobs: 2\nMonth: 2\nYear: 2020\n%%\n\
            SubmitHost: h3\nSite: c\nYear: 2020\nMonth: 3\nNumberOfJobs: 3\n%%\n\
            Site : d\n: e\nSubmitHostX: f\nSubmitHost:h4\nNumberOfJobs: 4\nMonth: 4\nYear: 2020\n%%\n";
        let m = parse_message(text.as_bytes(), &apel);
        let got: Vec<_> = m
            .records
            .iter()
            .map(|e| {
                (
                    e.record.text("Site").map(str::to_owned),
                    e.record.text("SubmitHost").map(str::to_owned),
                    e.record.int("NumberOfJobs"),
                    e.record.int("Month"),
                )
            })
            .collect();
        let row = |site: &str, host: &str, n: i64| {
            (
                Some(site.to_owned()),
                Some(host.to_owned()),
                Some(n),
                Some(n),
            )
        };
        assert_eq!(
            got,
            vec![
                row("a", "h1", 1),
                row("b", "h2", 2),
                row("c", "h3", 3),
                row("d", "h4", 4)
            ]
        );
        let last: Vec<_> = m
            .findings
            .iter()
            .filter(|f| f.record == Some(3))
            .map(|f| (f.code, f.field.clone(), f.position.line))
            .collect();
        assert_eq!(
            last,
            vec![
                (crate::Code::UnknownField, Some(String::new()), 21),
                (
                    crate::Code::UnknownField,
                    Some("SubmitHostX".to_owned()),
                    22
                ),
            ]
        );
    }

    #[test]
    fn hostile_inputs() {
        let clock = FixedClock(UtcTime::UNIX_EPOCH);
        let apel = Options::new(Profile::Apel, &clock);
        let strict = Options::new(Profile::Strict, &clock);
        let cloud = |extra: &str| {
            format!("APEL-cloud-message: v0.4\nVMUUID: u\nSiteName: s\nMachineName: m\n{extra}\n")
        };
        // 2^70: apel takes it (warning), strict does not.
        let big = cloud("Memory: 1180591620717411303424");
        let m = parse_message(big.as_bytes(), &apel);
        assert!(m.is_valid(), "{:?}", m.findings);
        assert_eq!(m.findings[0].code, crate::Code::IntegerOutOfRange);
        assert!(!parse_message(big.as_bytes(), &strict).is_valid());
        // NaN and inf.
        let nan = cloud("CpuCount: nan\nBenchmark: -inf");
        assert!(parse_message(nan.as_bytes(), &apel).is_valid());
        let m = parse_message(nan.as_bytes(), &strict);
        assert_eq!(
            m.findings
                .iter()
                .filter(|f| f.code == crate::Code::NonFiniteFloat)
                .count(),
            2
        );
        // Invalid UTF-8 is positioned.
        let m = parse_message(b"APEL-cloud-message: v0.4\nVMUUID: \xff\n", &apel);
        assert_eq!(m.findings[0].code, crate::Code::InvalidUtf8);
        assert_eq!(
            (m.findings[0].position.line, m.findings[0].position.column),
            (2, 9)
        );
        // A 10 MB line stays a finding, not a panic, and is counted against the line limit.
        let long = cloud(&format!("ImageId: {}", "x".repeat(10 << 20)));
        let m = parse_message(long.as_bytes(), &apel);
        assert!(
            m.findings
                .iter()
                .any(|f| f.code == crate::Code::LimitExceeded)
        );
        // Blank line in the middle of a record, and '%%' inside a value.
        let broken = cloud("\nStatus: completed\nImageId: a%%b");
        let m = parse_message(broken.as_bytes(), &apel);
        let codes: Vec<_> = m.findings.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            [crate::Code::LineWithoutKey, crate::Code::SeparatorInValue]
        );
        assert_eq!(m.findings[0].position.line, 5);
    }

    #[test]
    fn strict_profile_rules() {
        let clock = FixedClock("2026-11-21T00:00:00Z".parse().unwrap());
        let strict = Options::new(Profile::Strict, &clock);
        let codes = |text: &str| -> Vec<(crate::Code, Option<String>)> {
            parse_message(text.as_bytes(), &strict)
                .findings
                .into_iter()
                .filter(|f| f.is_error())
                .map(|f| (f.code, f.field))
                .collect()
        };
        use crate::Code::*;
        let c = "APEL-cloud-message: v0.4\nVMUUID: u\nSiteName: s\nMachineName: m\n";
        assert_eq!(codes(c), []);
        assert_eq!(
            codes("APEL-cloud-message: v9.9\nVMUUID: u\n"),
            [(UnknownMessageType, None)]
        );
        assert_eq!(
            codes("APEL-cloud-message: v0.4\nVMUUID: u\nSiteName: s\n"),
            [(MissingField, Some("MachineName".into()))]
        );
        assert_eq!(
            codes(&format!("{c}Status: running\n")),
            [(InvalidEnumeration, Some("Status".into()))]
        );
        assert_eq!(
            codes(&format!("{c}Memory: -1\n")),
            [(NegativeValue, Some("Memory".into()))]
        );
        assert_eq!(
            codes(&format!("{c}Memory: 1_0\n")),
            [(InvalidInteger, Some("Memory".into()))]
        );
        assert_eq!(
            codes(&format!("{c}SiteName: t\n")),
            [(DuplicateField, Some("SiteName".into()))]
        );
        assert_eq!(
            codes(&format!("{c}StartTime: 20\nEndTime: 10\n")),
            [(EndBeforeStart, Some("EndTime".into()))]
        );
        assert_eq!(
            codes(&format!("{c}EndTime: 2030-01-01T00:00:00Z\n")),
            [(InFuture, Some("EndTime".into()))]
        );
        assert_eq!(
            codes(&format!("{c}EndTime: 2020-01-01T00:00:00gmt\n")),
            [(InvalidDateTime, Some("EndTime".into()))]
        );
        assert_eq!(
            codes(&format!("{c}FQAN: ops\n")),
            [(InvalidFqan, Some("FQAN".into()))]
        );
        // An empty first FQAN, before any FQAN has passed.
        assert_eq!(
            codes(&format!("{c}FQAN: ;/ops\n")),
            [(InvalidFqan, Some("FQAN".into()))]
        );
        // The check remembers the last FQAN it passed: a different one after it, and the
        // remembered one's prefix, are still checked in full.
        let fqans = [
            "/ops",
            "ops",
            "/ops",
            "/o",
            "/ops/Role=x y",
            "/ops",
            ";/ops",
        ]
        .map(|f| format!("VMUUID: u\nSiteName: s\nMachineName: m\nFQAN: {f}\n"))
        .join("%%\n");
        let text = format!("APEL-cloud-message: v0.4\n{fqans}");
        let m = parse_message(text.as_bytes(), &strict);
        let bad: Vec<_> = m
            .findings
            .iter()
            .map(|f| (f.record, f.code, f.position.line))
            .collect();
        assert_eq!(
            bad,
            [
                (Some(1), InvalidFqan, 10),
                (Some(4), InvalidFqan, 25),
                (Some(6), InvalidFqan, 35)
            ]
        );
        assert_eq!(
            codes(&format!("{c}BenchmarkType: {}\n", "x".repeat(51))),
            [(TextTooLong, Some("BenchmarkType".into()))]
        );
        let s = "APEL-sync-message: v0.1\nSite: s\nSubmitHost: h\nNumberOfJobs: 1\nYear: 2020\n";
        assert_eq!(
            codes(&format!("{s}Month: 13\n")),
            [(InvalidMonth, Some("Month".into()))]
        );
        let j = "APEL-individual-job-message: v0.3\nSite: s\nSubmitHost: h\nLocalJobId: 1\nWallDuration: 10\nCpuDuration: 5\nStartTime: 1000\nEndTime: 2000\n";
        assert_eq!(
            codes(j).len(),
            2,
            "ServiceLevelType and ServiceLevel are mandatory"
        );
        assert_eq!(
            codes(&format!(
                "{j}ServiceLevelType: HEPspec\nServiceLevel: 10\nProcessors: 3000000000\n"
            )),
            [(IntegerOutOfRange, Some("Processors".into()))]
        );
        let sum = "APEL-summary-job-message: v0.2\nSite: s\nMonth: 3\nYear: 2020\nWallDuration: 10\nNumberOfJobs: 3\n";
        assert_eq!(
            codes(&format!("{sum}CpuDuration: -1\n")),
            [(NegativeValue, Some("CpuDuration".into()))]
        );
    }

    proptest! {
        /// Record-level findings do not depend on the records before: each record of a message
        /// gets the error codes it gets alone (the strict FQAN check remembers the last FQAN it
        /// passed, and the builder guesses field order from the record before).
        #[test]
        fn record_verdicts_do_not_depend_on_earlier_records(
            fqans in proptest::collection::vec("[/;a=R ]{0,6}(/Role=[a ]{0,2})?", 1..6),
            profile in prop_oneof![Just(Profile::Apel), Just(Profile::Strict)],
        ) {
            let clock = FixedClock(UtcTime::UNIX_EPOCH);
            let options = Options::new(profile, &clock);
            let record = |f: &str| format!("VMUUID: u\nSiteName: s\nMachineName: m\nFQAN: {f}\n");
            let codes = |text: &str, index: usize| -> Vec<crate::Code> {
                parse_message(text.as_bytes(), &options)
                    .findings
                    .iter()
                    .filter(|f| f.record == Some(index))
                    .map(|f| f.code)
                    .collect()
            };
            let body: Vec<String> = fqans.iter().map(|f| record(f)).collect();
            let whole = format!("APEL-cloud-message: v0.4\n{}", body.join("%%\n"));
            for (i, one) in body.iter().enumerate() {
                let alone = format!("APEL-cloud-message: v0.4\n{one}");
                prop_assert_eq!(codes(&whole, i), codes(&alone, 0), "{}", whole);
            }
        }
    }
}
