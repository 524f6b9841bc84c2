//! APEL JSON messages: accelerator v0.1 and its summary (apel PR #459 schemas), public IP v0.2
//! (caso's output). `{"Type": …, "Version": …, "UsageRecords": [ {…}, … ]}`.
//!
//! Validation follows the JSON schemas (draft-07 semantics: `1.0` is an integer, booleans are
//! not numbers, no additional-properties restriction) and, under the `apel` profile, the
//! behaviour of apel's PR #459 record factory: unknown keys and NULL spellings in mandatory
//! fields reject the message; the accelerator summary is always rejected (its schema's `Type`
//! constant names the record message, a bug of the PR); public IP messages are not supported.
//! Findings carry a JSON Pointer to the value (`/UsageRecords/3/Count`) as their field.

use super::message::{Entry, Message, Options, Profile, decode_input};
use super::record::Record;
use super::schema::RecordType;
use super::value::{Value, is_null};
use crate::finding::{Code, Finding, Severity};
use crate::json::{self, Json, JsonValue, number_as_int, pointer_token};
use fedcloud_core::{LineIndex, UtcTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JType {
    Str,
    Int,
    Num,
}

/// The JSON schema of one field.
struct JField {
    name: &'static str,
    jtype: JType,
    required: bool,
    nullable: bool,
    allowed: &'static [&'static str],
    min: Option<i64>,
    max: Option<i64>,
    /// The maximum is the current year (the schema evaluates `date.today().year`).
    max_this_year: bool,
}

const fn jf(name: &'static str, jtype: JType, required: bool) -> JField {
    JField {
        name,
        jtype,
        required,
        nullable: false,
        allowed: &[],
        min: None,
        max: None,
        max_this_year: false,
    }
}
const fn nullable(f: JField) -> JField {
    JField {
        nullable: true,
        ..f
    }
}
const fn one_of(f: JField, allowed: &'static [&'static str]) -> JField {
    JField { allowed, ..f }
}
const fn range(f: JField, min: i64, max: i64) -> JField {
    JField {
        min: Some(min),
        max: Some(max),
        ..f
    }
}
const fn year(f: JField) -> JField {
    JField {
        min: Some(2000),
        max_this_year: true,
        ..f
    }
}

use JType::{Int, Num, Str};

static ACCELERATOR: &[JField] = &[
    range(jf("MeasurementMonth", Int, true), 1, 12),
    year(jf("MeasurementYear", Int, true)),
    one_of(jf("AssociatedRecordType", Str, true), &["cloud", "job"]),
    jf("AssociatedRecord", Str, true),
    nullable(jf("GlobalUserName", Str, false)),
    jf("FQAN", Str, true),
    jf("SiteName", Str, true),
    jf("Count", Num, true),
    nullable(jf("Cores", Int, false)),
    nullable(jf("ActiveDuration", Int, false)),
    jf("AvailableDuration", Int, true),
    nullable(jf("BenchmarkType", Str, false)),
    nullable(jf("Benchmark", Num, false)),
    one_of(jf("Type", Str, true), &["GPU", "FPGA", "Other"]),
    jf("Model", Str, false),
];

static ACCELERATOR_SUMMARY: &[JField] = &[
    range(jf("Month", Int, true), 1, 12),
    year(jf("Year", Int, true)),
    one_of(jf("AssociatedRecordType", Str, true), &["cloud", "job"]),
    nullable(jf("GlobalUserName", Str, false)),
    jf("FQAN", Str, false),
    jf("SiteName", Str, true),
    jf("Count", Num, true),
    nullable(jf("Cores", Int, false)),
    jf("AvailableDuration", Int, true),
    nullable(jf("ActiveDuration", Int, false)),
    nullable(jf("BenchmarkType", Str, false)),
    nullable(jf("Benchmark", Num, false)),
    one_of(jf("Type", Str, true), &["Accelerator", "FPGA", "Other"]),
    jf("Model", Str, false),
    range(jf("NumberOfRecords", Int, true), 1, i64::MAX),
];

static PUBLIC_IP: &[JField] = &[
    jf("MeasurementTime", Int, true),
    jf("SiteName", Str, true),
    jf("CloudType", Str, true),
    jf("LocalUser", Str, true),
    jf("LocalGroup", Str, true),
    jf("GlobalUserName", Str, true),
    jf("FQAN", Str, true),
    one_of(jf("IPVersion", Int, true), &["4", "6"]),
    range(jf("IPCount", Int, true), 0, i64::MAX),
];

fn schema(t: RecordType) -> (&'static [JField], &'static str) {
    match t {
        RecordType::AcceleratorSummary => (ACCELERATOR_SUMMARY, "0.1"),
        RecordType::PublicIp => (PUBLIC_IP, "0.2"),
        _ => (ACCELERATOR, "0.1"),
    }
}

/// The most records a JSON message may hold (the schemas' `maxItems`).
pub const MAX_JSON_RECORDS: usize = 1000;

struct Ctx<'i> {
    input: &'i [u8],
    index: LineIndex,
    findings: Vec<Finding>,
    profile: Profile,
}

impl Ctx<'_> {
    /// A finding about record `at.0` (or the message) at byte `at.1`.
    fn finding(
        &mut self,
        (record, offset): (Option<usize>, usize),
        pointer: &str,
        code: Code,
        severity: Severity,
        message: String,
        apel: Option<String>,
    ) {
        let mut f = Finding::new(
            record,
            self.index.position(self.input, offset),
            (!pointer.is_empty()).then_some(pointer),
            code,
            severity,
            message,
        );
        f.apel_message = apel;
        self.findings.push(f);
    }

    fn schema_error(
        &mut self,
        record: Option<usize>,
        offset: usize,
        pointer: &str,
        code: Code,
        message: String,
    ) {
        let apel =
            format!("JSON message invalid against APEL-accelerator-message schema: {message}");
        self.finding(
            (record, offset),
            pointer,
            code,
            Severity::Error,
            message,
            Some(apel),
        );
    }
}

/// Parses and validates an APEL JSON message (accelerator v0.1, accelerator summary v0.1,
/// public IP v0.2). Never panics; findings point at the JSON value (line, column and JSON
/// Pointer).
#[must_use]
pub fn parse_json_message<'a>(input: &'a [u8], options: &Options) -> Message<'a> {
    let mut msg = Message::empty(options.profile);
    let text = match decode_input(input, &options.limits, "message") {
        Ok(t) => t,
        Err(f) => {
            msg.findings.push(f);
            return msg;
        }
    };
    let mut ctx = Ctx {
        input,
        index: LineIndex::new(input),
        findings: Vec::new(),
        profile: options.profile,
    };
    let doc = match json::parse(text, options.limits.max_depth) {
        Ok(d) => d,
        Err(e) => {
            let code = if e.too_deep {
                Code::LimitExceeded
            } else {
                Code::JsonSyntax
            };
            let apel = format!("Malformed JSON: {}", e.message);
            ctx.finding(
                (None, e.offset),
                "",
                code,
                Severity::Error,
                e.message,
                Some(apel),
            );
            msg.findings = ctx.findings;
            return msg;
        }
    };
    if let Some(record_type) = check_envelope(&doc, options, &mut ctx) {
        msg.record_type = Some(record_type);
        msg.records = check_records(&doc, record_type, options, &mut ctx);
    }
    msg.findings = ctx.findings;
    msg
}

/// Type, Version and the UsageRecords array; the record type when the message can be read on.
fn check_envelope(doc: &Json<'_>, options: &Options, ctx: &mut Ctx<'_>) -> Option<RecordType> {
    if !matches!(doc.value, JsonValue::Object(_)) {
        ctx.schema_error(
            None,
            doc.start,
            "",
            Code::JsonSchema,
            format!("the message is a JSON {}, not an object", doc.type_name()),
        );
        return None;
    }
    let Some(type_value) = doc.get("Type") else {
        ctx.finding(
            (None, doc.start),
            "/Type",
            Code::UnknownMessageType,
            Severity::Error,
            "the message has no \"Type\"".into(),
            Some("Type of JSON message not provided.".into()),
        );
        return None;
    };
    let type_text = type_value.as_str().unwrap_or_default();
    let record_type = match type_text {
        "APEL-accelerator-message" => Some(RecordType::Accelerator),
        "APEL-accelerator-summary-message" => Some(RecordType::AcceleratorSummary),
        "APEL Public IP message" if options.profile == Profile::Strict => {
            Some(RecordType::PublicIp)
        }
        _ => None,
    };
    let Some(record_type) = record_type else {
        let shown = match &type_value.value {
            JsonValue::String(s) => s.to_string(),
            JsonValue::Null => "None".into(),
            other => format!("{other:?}"),
        };
        let message = if type_text == "APEL Public IP message" {
            "apel has no loader for public IP messages (use the strict profile to validate them)"
                .to_owned()
        } else {
            format!("unknown JSON message type {shown:?}")
        };
        ctx.finding(
            (None, type_value.start),
            "/Type",
            Code::UnknownMessageType,
            Severity::Error,
            message,
            Some(format!("Unsupported JSON message type: {shown}")),
        );
        return None;
    };
    if record_type == RecordType::AcceleratorSummary && options.profile == Profile::Apel {
        // PR #459 validates summaries against a schema whose Type constant is the record
        // message's, so apel rejects every summary message.
        ctx.schema_error(
            None,
            type_value.start,
            "/Type",
            Code::JsonSchema,
            "'APEL-accelerator-message' was expected".into(),
        );
    }
    let (_, version) = schema(record_type);
    match doc.get("Version") {
        None => ctx.schema_error(
            None,
            doc.start,
            "/Version",
            Code::JsonSchema,
            "'Version' is a required property".into(),
        ),
        Some(v) => {
            let text = v.as_str();
            let ok = match text {
                Some(t) => {
                    t == version
                        || (options.lenient_json_version && t.strip_prefix('v') == Some(version))
                }
                None => false,
            };
            if !ok {
                ctx.schema_error(
                    None,
                    v.start,
                    "/Version",
                    Code::JsonSchema,
                    format!("{} is not one of ['{version}']", py_show(v)),
                );
            }
        }
    }
    match doc.get("UsageRecords") {
        None => {
            ctx.schema_error(
                None,
                doc.start,
                "/UsageRecords",
                Code::JsonSchema,
                "'UsageRecords' is a required property".into(),
            );
            None
        }
        Some(records) => match &records.value {
            JsonValue::Array(items) => {
                if items.is_empty() {
                    ctx.schema_error(
                        None,
                        records.start,
                        "/UsageRecords",
                        Code::JsonSchema,
                        "[] should be non-empty".into(),
                    );
                } else if items.len() > MAX_JSON_RECORDS.min(options.limits.max_records) {
                    ctx.finding((None, records.start),
                        "/UsageRecords",
                        Code::LimitExceeded,
                        Severity::Error,
                        format!("{} records, more than the {} a message may hold", items.len(), MAX_JSON_RECORDS.min(options.limits.max_records)),
                        Some(format!("JSON message invalid against APEL-accelerator-message schema: {} is too long", "[...]")),
                    );
                }
                Some(record_type)
            }
            _ => {
                ctx.schema_error(
                    None,
                    records.start,
                    "/UsageRecords",
                    Code::JsonSchema,
                    format!("{} is not of type 'array'", py_show(records)),
                );
                None
            }
        },
    }
}

fn check_records<'a>(
    doc: &Json<'a>,
    record_type: RecordType,
    options: &Options,
    ctx: &mut Ctx<'_>,
) -> Vec<Entry<'a>> {
    let Some(Json {
        value: JsonValue::Array(items),
        ..
    }) = doc.get("UsageRecords")
    else {
        return Vec::new();
    };
    let (fields, _) = schema(record_type);
    let this_year = i64::from(options.now.parts().year);
    let mut entries = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let base = format!("/UsageRecords/{index}");
        let before = ctx.findings.len();
        let mut record = Record::new(record_type);
        let JsonValue::Object(members) = &item.value else {
            ctx.schema_error(
                Some(index),
                item.start,
                &base,
                Code::JsonSchema,
                format!("{} is not of type 'object'", py_show(item)),
            );
            entries.push(Entry {
                index,
                position: ctx.index.position(ctx.input, item.start),
                record,
                valid: false,
            });
            continue;
        };
        for field in fields {
            if field.required && !members.iter().any(|(k, _, _)| k == field.name) {
                ctx.schema_error(
                    Some(index),
                    item.start,
                    &format!("{base}/{}", field.name),
                    Code::MissingField,
                    format!("'{}' is a required property", field.name),
                );
            }
        }
        let mut seen: Vec<&str> = Vec::new();
        for (key, key_at, value) in members {
            let pointer = format!("{base}/{}", pointer_token(key));
            if seen.contains(&key.as_ref()) {
                let sev = if ctx.profile == Profile::Apel {
                    Severity::Warning
                } else {
                    Severity::Error
                };
                ctx.finding(
                    (Some(index), *key_at),
                    &pointer,
                    Code::DuplicateField,
                    sev,
                    format!("{key} is given more than once; the last value is used"),
                    None,
                );
            }
            seen.push(key);
            let Some(field) = fields.iter().find(|f| f.name == key.as_ref()) else {
                if record_type.ignored().contains(&key.as_ref()) {
                    ctx.finding(
                        (Some(index), *key_at),
                        &pointer,
                        Code::IgnoredField,
                        Severity::Warning,
                        format!("{key} is accepted and not stored"),
                        None,
                    );
                } else {
                    let sev = if ctx.profile == Profile::Apel {
                        Severity::Error
                    } else {
                        Severity::Warning
                    };
                    ctx.finding(
                        (Some(index), *key_at),
                        &pointer,
                        Code::UnknownField,
                        sev,
                        format!(
                            "unknown field {key:?} for {} records",
                            record_type.apel_class()
                        ),
                        Some(format!("Unknown field: {key}")),
                    );
                }
                continue;
            };
            if let Some(v) = check_value(field, value, &pointer, index, this_year, ctx) {
                let _ = record.set(field.name, v);
            }
        }
        let valid = !ctx
            .findings
            .get(before..)
            .unwrap_or_default()
            .iter()
            .any(Finding::is_error);
        entries.push(Entry {
            index,
            position: ctx.index.position(ctx.input, item.start),
            record,
            valid,
        });
    }
    entries
}

/// Checks one value against its field schema; the typed value (or `None` for null) on success.
fn check_value<'a>(
    field: &JField,
    value: &Json<'a>,
    pointer: &str,
    index: usize,
    this_year: i64,
    ctx: &mut Ctx<'_>,
) -> Option<Option<Value<'a>>> {
    let at = value.start;
    let wrong_type = |ctx: &mut Ctx<'_>, expected: &str| {
        ctx.schema_error(
            Some(index),
            at,
            pointer,
            Code::JsonSchema,
            format!("{} is not of type '{expected}'", py_show(value)),
        );
    };
    let typed = match (&value.value, field.jtype) {
        (JsonValue::Null, _) if field.nullable => return Some(None),
        (JsonValue::String(s), Str) => {
            if field.required && is_null(s) {
                ctx.finding(
                    (Some(index), at),
                    pointer,
                    Code::NullField,
                    Severity::Error,
                    format!("mandatory field {} is NULL ({s:?})", field.name),
                    Some(format!("NULL in mandatory field: {}", field.name)),
                );
                return None;
            }
            if !field.allowed.is_empty() && !field.allowed.contains(&s.as_ref()) {
                ctx.schema_error(
                    Some(index),
                    at,
                    pointer,
                    Code::InvalidEnumeration,
                    format!("{} is not one of {:?}", py_show(value), field.allowed),
                );
                return None;
            }
            Value::Text(s.clone())
        }
        (JsonValue::Number(n), Int) => {
            let Some(i) = number_as_int(n) else {
                wrong_type(ctx, "integer");
                return None;
            };
            if !field.allowed.is_empty() && !field.allowed.contains(&i.to_string().as_str()) {
                ctx.schema_error(
                    Some(index),
                    at,
                    pointer,
                    Code::InvalidEnumeration,
                    format!("{i} is not one of {:?}", field.allowed),
                );
                return None;
            }
            if let Some(min) = field.min
                && i < min
            {
                ctx.schema_error(
                    Some(index),
                    at,
                    pointer,
                    Code::IntegerOutOfRange,
                    format!("{i} is less than the minimum of {min}"),
                );
                return None;
            }
            let max = if field.max_this_year {
                Some(this_year)
            } else {
                field.max
            };
            if let Some(max) = max
                && i > max
            {
                ctx.schema_error(
                    Some(index),
                    at,
                    pointer,
                    Code::IntegerOutOfRange,
                    format!("{i} is greater than the maximum of {max}"),
                );
                return None;
            }
            if field.name == "MeasurementTime" {
                match UtcTime::from_epoch_seconds(i) {
                    Ok(t) => return Some(Some(Value::Time(t))),
                    Err(_) => {
                        ctx.schema_error(
                            Some(index),
                            at,
                            pointer,
                            Code::DateTimeOutOfRange,
                            format!("{i} is outside the years 0000-9999"),
                        );
                        return None;
                    }
                }
            }
            Value::Int(i)
        }
        (JsonValue::Number(n), Num) => match n.parse::<f64>() {
            Ok(x) if x.is_finite() => Value::Float(x),
            _ => {
                ctx.schema_error(
                    Some(index),
                    at,
                    pointer,
                    Code::NonFiniteFloat,
                    format!("{n} is not a finite number"),
                );
                return None;
            }
        },
        (_, Str) => {
            wrong_type(ctx, "string");
            return None;
        }
        (_, Int) => {
            wrong_type(ctx, "integer");
            return None;
        }
        (_, Num) => {
            wrong_type(ctx, "number");
            return None;
        }
    };
    Some(Some(typed))
}

/// A value as Python's `repr` shows it in jsonschema's messages (strings quoted, null as None).
fn py_show(v: &Json<'_>) -> String {
    match &v.value {
        JsonValue::Null => "None".into(),
        JsonValue::Bool(b) => if *b { "True" } else { "False" }.into(),
        JsonValue::Number(n) => (*n).to_owned(),
        JsonValue::String(s) => super::value::py_repr(s),
        JsonValue::Array(_) => "[...]".into(),
        JsonValue::Object(_) => "{...}".into(),
    }
}

/// Renders records as a canonical JSON message of their type (fields in canonical order,
/// absent fields left out).
///
/// # Errors
/// Records of an APEL text type, or of different types.
pub fn render_json_message(records: &[Record<'_>]) -> Result<String, super::RenderError> {
    let Some(first) = records.first() else {
        return Ok(String::new());
    };
    let t = first.record_type();
    if !t.is_json() {
        return Err(super::RenderError::TextOnly);
    }
    let (_, version) = schema(t);
    let mut out = String::from("{\"Type\": ");
    json::write_string(&mut out, t.header());
    out.push_str(", \"Version\": ");
    json::write_string(&mut out, version);
    out.push_str(", \"UsageRecords\": [");
    for (i, r) in records.iter().enumerate() {
        if r.record_type() != t {
            return Err(super::RenderError::MixedTypes);
        }
        out.push_str(if i == 0 { "\n  {" } else { ",\n  {" });
        for (j, (name, value)) in r.iter().enumerate() {
            if j > 0 {
                out.push_str(", ");
            }
            json::write_string(&mut out, name);
            out.push_str(": ");
            match value {
                Value::Text(s) | Value::BigInt(s) => json::write_string(&mut out, s),
                Value::Int(n) => out.push_str(&n.to_string()),
                Value::Float(x) if x.is_finite() => out.push_str(&format!("{x:?}")),
                Value::Time(t) => out.push_str(&t.epoch_seconds().to_string()),
                _ => return Err(super::RenderError::WrongType { field: name }),
            }
        }
        out.push('}');
    }
    out.push_str("\n]}\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fedcloud_core::FixedClock;

    fn opts(profile: Profile) -> Options {
        Options::new(
            profile,
            &FixedClock("2026-11-21T00:00:00Z".parse().unwrap()),
        )
    }

    const ACC: &str = r#"{"Type": "APEL-accelerator-message", "Version": "0.1", "UsageRecords": [
        {"MeasurementMonth": 9, "MeasurementYear": 2018, "AssociatedRecordType": "cloud",
         "AssociatedRecord": "vm", "FQAN": "/ops", "SiteName": "S", "Count": 0.5,
         "AvailableDuration": 6000, "Type": "GPU", "Cores": null}]}"#;

    fn codes(text: &str, profile: Profile) -> Vec<(Code, Option<String>)> {
        parse_json_message(text.as_bytes(), &opts(profile))
            .findings
            .into_iter()
            .filter(Finding::is_error)
            .map(|f| (f.code, f.field))
            .collect()
    }

    #[test]
    fn valid_accelerator() {
        for p in [Profile::Apel, Profile::Strict] {
            let m = parse_json_message(ACC.as_bytes(), &opts(p));
            assert!(m.is_valid(), "{:?}", m.findings);
            assert_eq!(m.record_type, Some(RecordType::Accelerator));
            let r = &m.records[0].record;
            assert_eq!(r.float("Count"), Some(0.5));
            assert_eq!(r.int("MeasurementYear"), Some(2018));
            assert_eq!(r.get("Cores"), None);
            assert_eq!(m.records[0].position.line, 2);
        }
    }

    #[test]
    fn schema_violations_point_at_values() {
        let bad = ACC
            .replace("\"Count\": 0.5", "\"Count\": \"1\"")
            .replace("\"MeasurementMonth\": 9", "\"MeasurementMonth\": 13")
            .replace("\"GPU\"", "\"TPU\"")
            .replace("\"FQAN\": \"/ops\"", "\"FQAN\": \"None\"");
        let m = parse_json_message(bad.as_bytes(), &opts(Profile::Apel));
        let got: Vec<_> = m
            .findings
            .iter()
            .map(|f| (f.code, f.field.clone().unwrap_or_default(), f.position.line))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Code::IntegerOutOfRange,
                    "/UsageRecords/0/MeasurementMonth".to_owned(),
                    2
                ),
                (Code::NullField, "/UsageRecords/0/FQAN".to_owned(), 3),
                (Code::JsonSchema, "/UsageRecords/0/Count".to_owned(), 3),
                (
                    Code::InvalidEnumeration,
                    "/UsageRecords/0/Type".to_owned(),
                    4
                ),
            ]
        );
        assert_eq!(m.findings[2].message, "'1' is not of type 'number'");
        assert!(!m.records[0].valid);
    }

    #[test]
    fn envelope_rules() {
        assert_eq!(codes("[]", Profile::Apel), [(Code::JsonSchema, None)]);
        assert_eq!(
            codes("{}", Profile::Apel),
            [(Code::UnknownMessageType, Some("/Type".into()))]
        );
        assert_eq!(
            codes("{\"a\": }", Profile::Apel),
            [(Code::JsonSyntax, None)]
        );
        let v = ACC.replace("\"0.1\"", "\"v0.1\"");
        assert_eq!(
            codes(&v, Profile::Strict),
            [(Code::JsonSchema, Some("/Version".into()))]
        );
        let mut lenient = opts(Profile::Strict);
        lenient.lenient_json_version = true;
        assert!(parse_json_message(v.as_bytes(), &lenient).is_valid());
        let empty = r#"{"Type": "APEL-accelerator-message", "Version": "0.1", "UsageRecords": []}"#;
        assert_eq!(
            codes(empty, Profile::Apel),
            [(Code::JsonSchema, Some("/UsageRecords".into()))]
        );
        let future = ACC.replace("2018", "2027");
        assert_eq!(
            codes(&future, Profile::Strict),
            [(
                Code::IntegerOutOfRange,
                Some("/UsageRecords/0/MeasurementYear".into())
            )]
        );
        let unknown = ACC.replace(
            "\"Cores\": null",
            "\"Cores\": null, \"Colour\": \"red\", \"CloudType\": \"x\"",
        );
        assert_eq!(
            codes(&unknown, Profile::Apel),
            [(Code::UnknownField, Some("/UsageRecords/0/Colour".into()))]
        );
        assert_eq!(codes(&unknown, Profile::Strict), []);
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(codes(&deep, Profile::Apel), [(Code::LimitExceeded, None)]);
    }

    #[test]
    fn summary_and_public_ip() {
        let summary = r#"{"Type": "APEL-accelerator-summary-message", "Version": "0.1", "UsageRecords": [
            {"Month": 9, "Year": 2018, "AssociatedRecordType": "job", "SiteName": "S", "Count": 2,
             "AvailableDuration": 60, "Type": "FPGA", "NumberOfRecords": 3}]}"#;
        assert!(parse_json_message(summary.as_bytes(), &opts(Profile::Strict)).is_valid());
        let apel = parse_json_message(summary.as_bytes(), &opts(Profile::Apel));
        assert_eq!(
            apel.apel_error()
                .and_then(|f| f.apel_message.clone())
                .as_deref(),
            Some(
                "JSON message invalid against APEL-accelerator-message schema: 'APEL-accelerator-message' was expected"
            )
        );
        let ip = r#"{"Type": "APEL Public IP message", "Version": "0.2", "UsageRecords": [
            {"MeasurementTime": 1684710700, "SiteName": "S", "CloudType": "OpenStack", "LocalUser": "u",
             "LocalGroup": "g", "GlobalUserName": "/DC=eu/CN=x", "FQAN": "/ops", "IPVersion": 4, "IPCount": 2}]}"#;
        let m = parse_json_message(ip.as_bytes(), &opts(Profile::Strict));
        assert!(m.is_valid(), "{:?}", m.findings);
        assert_eq!(
            m.records[0]
                .record
                .time("MeasurementTime")
                .map(UtcTime::epoch_seconds),
            Some(1_684_710_700)
        );
        assert_eq!(
            codes(
                &ip.replace("\"IPVersion\": 4", "\"IPVersion\": 5"),
                Profile::Strict
            ),
            [(
                Code::InvalidEnumeration,
                Some("/UsageRecords/0/IPVersion".into())
            )]
        );
        assert_eq!(
            codes(ip, Profile::Apel),
            [(Code::UnknownMessageType, Some("/Type".into()))]
        );
    }

    #[test]
    fn render_round_trip() {
        let m = parse_json_message(ACC.as_bytes(), &opts(Profile::Strict));
        let records: Vec<_> = m.records.iter().map(|e| e.record.clone()).collect();
        let text = render_json_message(&records).unwrap();
        let again = parse_json_message(text.as_bytes(), &opts(Profile::Strict));
        assert!(again.is_valid(), "{text}");
        let back: Vec<_> = again.records.into_iter().map(|e| e.record).collect();
        assert_eq!(back, records);
        assert_eq!(
            render_json_message(&[Record::new(RecordType::Cloud)]),
            Err(super::super::RenderError::TextOnly)
        );
    }

    #[test]
    fn too_many_records() {
        let item = r#"{"MeasurementMonth": 9, "MeasurementYear": 2018, "AssociatedRecordType": "cloud", "AssociatedRecord": "vm", "FQAN": "/ops", "SiteName": "S", "Count": 1, "AvailableDuration": 1, "Type": "GPU"}"#;
        let items = vec![item; 1001].join(",");
        let text = format!(
            r#"{{"Type": "APEL-accelerator-message", "Version": "0.1", "UsageRecords": [{items}]}}"#
        );
        let m = parse_json_message(text.as_bytes(), &opts(Profile::Strict));
        assert_eq!(m.findings[0].code, Code::LimitExceeded);
    }
}
