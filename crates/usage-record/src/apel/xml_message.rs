//! XML accounting documents as apel 2.5.0 loads them: EMI CAR (job records) and EMI StAR
//! (storage records, with their group attributes). apel refuses AUR documents and any other
//! namespace.
//!
//! The `apel` profile reproduces apel's element look-ups (first matching descendant,
//! namespace-qualified attributes, direct text children, CDATA ignored, values unstripped), its
//! ISO 8601 duration and timestamp readers, and its single check pass. The `strict` profile
//! validates the document against the built-in schema of its format ([`crate::xsd`]: UR 1.0,
//! CAR 1.1/1.2, AUR 1.1/1.2, UR 2.0) and checks CAR and StAR records by the record rules; it
//! also reads UR 1.0, AUR and UR 2.0 records (for [`crate::convert`]).

use super::message::{Collect, Mark, Message, Options, Profile, RecordBuilder, decode_input};
use super::schema::RecordType;
use super::value::{Value, iso2seconds, parse_timestamp};
use super::xml_records::{Reader, aur_record, to_kib, ur1_record, ur2_record, ur2_record_type};
use crate::finding::{Code, Finding, Severity};
use crate::xml::{self, Element};
use crate::xsd::{self, Format};
use fedcloud_core::{LineIndex, Position};

/// The EMI CAR 1.2 namespace.
pub const CAR_NS: &str = "http://eu-emi.eu/namespaces/2012/11/computerecord";
/// The EMI AUR (aggregated CAR) namespace.
pub const AUR_NS: &str = "http://eu-emi.eu/namespaces/2012/11/aggregatedcomputerecord";
/// The EMI StAR namespace.
pub const STAR_NS: &str = "http://eu-emi.eu/namespaces/2011/02/storagerecord";

fn message_error(code: Code, at: Position, message: String, apel: Option<&str>) -> Finding {
    let mut f = Finding::new(None, at, None, code, Severity::Error, message);
    f.apel_message = apel.map(str::to_owned);
    f
}

/// Parses a CAR or StAR document and validates its records as apel's loader does.
#[must_use]
pub fn parse_xml_message<'a>(input: &'a [u8], options: &Options) -> Message<'a> {
    let mut msg = Message::empty(options.profile);
    let text = match decode_input(input, &options.limits, "document") {
        Ok(t) => t,
        Err(f) => {
            msg.findings.push(f);
            return msg;
        }
    };
    // UR 1.0, AUR and UR 2.0 under `strict`: the schema pass is the whole check; the records
    // are then read (for conversion) from the tree.
    let schema_only = (options.profile == Profile::Strict)
        .then(|| xsd::detect_format(input).filter(|f| f.is_schema_only()))
        .flatten();
    if schema_only.is_some() {
        msg.findings = xsd::validate_document(input, &options.limits).findings;
        if msg
            .findings
            .iter()
            .any(|f| f.record.is_none() && f.is_error())
        {
            return msg;
        }
    }
    let root = match xml::parse(text, options.limits.max_depth) {
        Ok(r) => r,
        Err(e) => {
            let code = if e.too_deep {
                Code::LimitExceeded
            } else {
                Code::XmlSyntax
            };
            msg.findings.push(message_error(
                code,
                Position::at(input, e.offset),
                e.message,
                None,
            ));
            return msg;
        }
    };
    let doc = Doc {
        text,
        index: LineIndex::new(input),
    };
    let at = doc.position(root.offset);
    let mut sink = Collect {
        records: Vec::new(),
        findings: Vec::new(),
    };
    if let Some(format) = schema_only {
        schema_only_records(&doc, &root, format, &mut msg);
        return msg;
    }
    if options.profile == Profile::Strict {
        strict_document(input, &doc, &root, at, options, &mut msg, &mut sink);
        return msg;
    }
    match root.ns.as_deref() {
        Some(CAR_NS) => {
            msg.record_type = Some(RecordType::Job);
            for r in records_of(&root, CAR_NS, "UsageRecord", at, "car", &mut msg) {
                car_record(&doc, r, CAR_NS, options, &mut sink);
            }
        }
        Some(STAR_NS) => {
            msg.record_type = Some(RecordType::Storage);
            for r in records_of(&root, STAR_NS, "StorageUsageRecord", at, "StAR", &mut msg) {
                star_record(&doc, r, options, &mut sink);
            }
        }
        Some(AUR_NS) => msg.findings.push(message_error(
            Code::UnsupportedFormat,
            at,
            "apel does not load aggregated usage records (AUR)".into(),
            Some("Aggregated usage record not yet supported."),
        )),
        other => msg.findings.push(message_error(
            Code::UnknownMessageType,
            at,
            format!("root element in namespace {other:?}: neither CAR nor StAR"),
            Some("XML format not recognised."),
        )),
    }
    msg.records = sink.records;
    msg.findings.append(&mut sink.findings);
    msg
}

/// The `strict` profile: the document against the built-in schema of its format
/// ([`crate::xsd`]), then, for CAR, each record's values against the EGI job-record rules (as
/// the APEL text job records are checked). StAR has no public schema: its records get the
/// record rules and a warning that element order and facets were not checked. (UR 1.0, AUR and
/// UR 2.0 never get here: `parse_xml_message` gives them `schema_only_records`.)
fn strict_document<'a>(
    input: &'a [u8],
    doc: &Doc<'a>,
    root: &Element,
    at: Position,
    options: &Options,
    msg: &mut Message<'a>,
    sink: &mut Collect<'a>,
) {
    let ns = root.ns.as_deref().unwrap_or_default();
    if ns == STAR_NS {
        msg.record_type = Some(RecordType::Storage);
        msg.findings.push(Finding::new(
            None,
            at,
            None,
            Code::UnsupportedFormat,
            Severity::Warning,
            "no StAR schema is public: element order, cardinalities and facets are not checked, only the storage-record rules".into(),
        ));
        for r in records_of(root, STAR_NS, "StorageUsageRecord", at, "StAR", msg) {
            star_record(doc, r, options, sink);
        }
    } else {
        // CAR (or a namespace without a schema, which the schema pass reports).
        let report = xsd::validate_document(input, &options.limits);
        let car = matches!(report.format, Some(Format::Car11 | Format::Car12));
        msg.findings.extend(report.findings);
        if car {
            msg.record_type = Some(RecordType::Job);
            for r in records_of(root, ns, "UsageRecord", at, "car", msg) {
                car_record(doc, r, ns, options, sink);
            }
        }
    }
    // A record any error concerns is not valid.
    let bad: Vec<usize> = msg
        .findings
        .iter()
        .chain(&sink.findings)
        .filter(|f| f.is_error())
        .filter_map(|f| f.record)
        .collect();
    for e in &mut sink.records {
        if bad.contains(&e.index) {
            e.valid = false;
        }
    }
    msg.records = std::mem::take(&mut sink.records);
    msg.findings.append(&mut sink.findings);
    msg.findings.sort_by_key(|f| (f.position.offset, f.record));
}

/// UR 1.0, AUR and UR 2.0 records, read without the APEL record rules (the schema pass has
/// checked them): UR 1.0 as job records, AUR as summary records, UR 2.0 as job, cloud or storage
/// records by the blocks present.
fn schema_only_records(doc: &Doc<'_>, root: &Element, format: Format, msg: &mut Message<'_>) {
    let ns = format.namespace();
    let (record_type, names): (RecordType, &[&str]) = match format {
        Format::Ur1 => (RecordType::Job, &["UsageRecord", "JobUsageRecord"]),
        Format::Ur2 => (RecordType::Job, &["UsageRecord"]),
        _ => (RecordType::Summary, &["SummaryRecord"]),
    };
    let car = if format == Format::Aur11 {
        xsd::schemas::CAR11_NS
    } else {
        CAR_NS
    };
    let records = std::iter::once(root)
        .chain(root.all_descendants())
        .filter(|e| e.ns.as_deref() == Some(ns) && names.contains(&e.local.as_str()));
    for (i, r) in records.enumerate() {
        let record_type = if format == Format::Ur2 {
            ur2_record_type(r)
        } else {
            record_type
        };
        msg.record_type.get_or_insert(record_type);
        let mut reader = Reader::new(doc.text, &doc.index, record_type, i);
        match format {
            Format::Ur1 => ur1_record(r, &mut reader),
            Format::Ur2 => ur2_record(r, &mut reader),
            _ => aur_record(r, ns, car, &mut reader),
        }
        let at = doc.position(r.offset);
        reader.finish(at, msg);
    }
    if msg.record_type.is_none() {
        msg.record_type = Some(record_type);
    }
    msg.findings.sort_by_key(|f| (f.position.offset, f.record));
}

/// The record elements of a document (the root itself may be one), as apel's
/// `getElementsByTagNameNS` on the document finds them; a finding when there is none.
fn records_of<'e>(
    root: &'e Element,
    ns: &'e str,
    local: &'e str,
    at: Position,
    what: &str,
    msg: &mut Message<'_>,
) -> Vec<&'e Element> {
    let records: Vec<&Element> = std::iter::once(root)
        .filter(|r| r.local == local)
        .chain(root.descendants(ns, local))
        .collect();
    if records.is_empty() {
        msg.findings.push(message_error(
            Code::MissingField,
            at,
            format!("the document holds no {local}"),
            Some(&format!("File does not contain {what} records!")),
        ));
    }
    records
}

/// The document and its line index (built once: positions are looked up per field).
struct Doc<'a> {
    text: &'a str,
    index: LineIndex,
}

impl Doc<'_> {
    fn mark(&self, e: &Element) -> Mark {
        Mark::at(&self.index, e.offset)
    }

    fn position(&self, offset: usize) -> Position {
        self.index.position(self.text.as_bytes(), offset)
    }
}

/// The first `GroupAttribute` whose type attribute (`attr`) is `value`.
fn group_attribute<'e>(
    r: &'e Element,
    ns: &'e str,
    attr: &str,
    value: &str,
) -> Option<&'e Element> {
    r.descendants(ns, "GroupAttribute")
        .find(|g| g.attr(Some(ns), attr) == Some(value))
}

/// A timestamp element or attribute, read with apel's `parse_timestamp`.
fn timestamp(b: &mut RecordBuilder<'_, '_>, field: &str, raw: &str, at: Mark) {
    match parse_timestamp(raw) {
        Ok(t) => b.xml_typed(field, Value::Time(t), at),
        Err(e) if e.starts_with("OverflowError") => b.xml_error(
            at,
            field,
            Code::ApelLoaderCrash,
            format!("apel's loader stops on this time with {e}; it gives no verdict"),
            e,
        ),
        Err(e) => b.xml_error(
            at,
            field,
            Code::InvalidDateTime,
            format!("{raw:?} is not an ISO 8601 time: {e}"),
            format!("Message header is incorrect: {e}"),
        ),
    }
}

/// apel's `CarParser.parse_car`.
fn car_record<'a>(
    doc: &Doc<'a>,
    r: &Element,
    car_ns: &str,
    options: &Options,
    sink: &mut Collect<'a>,
) {
    let text = doc.text;
    let mut b = RecordBuilder::new(text, RecordType::Job, options);
    b.xml = true;
    b.begin(doc.position(r.offset), sink.records.len());
    for name in [
        "Site",
        "SubmitHost",
        "MachineName",
        "Queue",
        "LocalJobId",
        "LocalUserId",
        "GlobalUserName",
    ] {
        if let Some(e) = r.first(car_ns, name) {
            b.xml_value(name, &e.text(), doc.mark(e));
        }
    }
    if let Some(e) = group_attribute(r, car_ns, "type", "FQAN") {
        b.xml_value("FQAN", &e.text(), doc.mark(e));
    }
    if let Some(e) = r.first(car_ns, "Group") {
        b.xml_value("VO", &e.text(), doc.mark(e));
    }
    // apel reads the types `group` and `role` (apel #252); CAR 1.2 names them `vo-group` and
    // `vo-role`, which `strict` reads first.
    let strict = options.profile == Profile::Strict;
    for (field, apel_kind, car_kind) in [
        ("VOGroup", "group", "vo-group"),
        ("VORole", "role", "vo-role"),
    ] {
        let documented = strict
            .then(|| group_attribute(r, car_ns, "type", car_kind))
            .flatten();
        if let Some(e) = documented.or_else(|| group_attribute(r, car_ns, "type", apel_kind)) {
            b.xml_value(field, &e.text(), doc.mark(e));
        }
    }
    if let Some(e) = r.first(car_ns, "WallDuration")
        && let Some(secs) = iso2seconds(&e.text())
    {
        b.xml_typed("WallDuration", Value::Int(secs), doc.mark(e));
    }
    // retrieve_cpu: the one CpuDuration with usageType "all", else the first; two "all" make it
    // absent.
    let all: Vec<&Element> = r
        .descendants(car_ns, "CpuDuration")
        .filter(|c| c.attr(Some(car_ns), "usageType") == Some("all"))
        .collect();
    let cpu = match all.as_slice() {
        [one] => Some((one.text(), *one)),
        [] => r.first(car_ns, "CpuDuration").map(|c| (c.text(), c)),
        _ => None,
    };
    if let Some((t, e)) = cpu
        && let Some(secs) = iso2seconds(&t)
    {
        b.xml_typed("CpuDuration", Value::Int(secs), doc.mark(e));
    }
    for name in ["Processors", "NodeCount"] {
        if let Some(e) = r.first(car_ns, name) {
            b.xml_value(name, &e.text(), doc.mark(e));
        }
    }
    for name in ["StartTime", "EndTime"] {
        if let Some(e) = r.first(car_ns, name) {
            timestamp(&mut b, name, &e.text(), doc.mark(e));
        }
    }
    if let Some(e) = r.first(car_ns, "Infrastructure") {
        let m = doc.mark(e);
        b.xml_value(
            "InfrastructureDescription",
            e.attr(Some(car_ns), "description").unwrap_or_default(),
            m,
        );
        b.xml_value(
            "InfrastructureType",
            e.attr(Some(car_ns), "type").unwrap_or_default(),
            m,
        );
    }
    // apel does not read Memory; `strict` reads the Physical and Virtual ones in KiB.
    if strict {
        for (field, kind) in [("MemoryReal", "Physical"), ("MemoryVirtual", "Virtual")] {
            let Some(e) = r
                .descendants(car_ns, "Memory")
                .find(|m| m.attr(Some(car_ns), "type") == Some(kind))
            else {
                continue;
            };
            let unit = e.attr(Some(car_ns), "storageUnit");
            match unit.and_then(|u| to_kib(&e.text(), u)) {
                Some(k) => b.xml_typed(field, Value::Int(k), doc.mark(e)),
                None => b.xml_error(
                    doc.mark(e),
                    field,
                    Code::InvalidInteger,
                    format!(
                        "{} {} is not a whole number of KiB (a storageUnit is needed)",
                        e.text().trim(),
                        unit.unwrap_or("(no storageUnit)")
                    ),
                    String::new(),
                ),
            }
        }
    }
    if let Some(e) = r.first(car_ns, "ServiceLevel") {
        let m = doc.mark(e);
        b.xml_value(
            "ServiceLevelType",
            e.attr(Some(car_ns), "type").unwrap_or_default(),
            m,
        );
        b.xml_value("ServiceLevel", &e.text(), m);
    }
    b.finish(sink);
}

/// apel's `StarParser.parse_record` and its group-attribute side records.
fn star_record<'a>(doc: &Doc<'a>, r: &Element, options: &Options, sink: &mut Collect<'a>) {
    let text = doc.text;
    let mut b = RecordBuilder::new(text, RecordType::Storage, options);
    b.xml = true;
    b.begin(doc.position(r.offset), sink.records.len());
    let identity = r.first(STAR_NS, "RecordIdentity");
    let record_id = identity.map(|i| {
        i.attr(Some(STAR_NS), "recordId")
            .unwrap_or_default()
            .to_owned()
    });
    if let (Some(i), Some(id)) = (identity, &record_id) {
        let m = doc.mark(i);
        b.xml_value("RecordId", id, m);
        timestamp(
            &mut b,
            "CreateTime",
            i.attr(Some(STAR_NS), "createTime").unwrap_or_default(),
            m,
        );
    }
    for name in [
        "StorageSystem",
        "Site",
        "StorageShare",
        "StorageMedia",
        "StorageClass",
        "FileCount",
        "DirectoryPath",
        "LocalUser",
        "LocalGroup",
        "UserIdentity",
        "Group",
    ] {
        if let Some(e) = r.first(STAR_NS, name) {
            b.xml_value(name, &e.text(), doc.mark(e));
        }
    }
    for (field, kind) in [("SubGroup", "subgroup"), ("Role", "role")] {
        if let Some(e) = group_attribute(r, STAR_NS, "attributeType", kind) {
            b.xml_value(field, &e.text(), doc.mark(e));
        }
    }
    for name in ["StartTime", "EndTime"] {
        if let Some(e) = r.first(STAR_NS, name) {
            timestamp(&mut b, name, &e.text(), doc.mark(e));
        }
    }
    // The 2011 StAR draft (and SGAS) write MeasureTime and ValidDuration instead: `strict`
    // reads them as the period [MeasureTime, MeasureTime + ValidDuration]. apel requires
    // StartTime and EndTime.
    if options.profile == Profile::Strict
        && r.first(STAR_NS, "StartTime").is_none()
        && let Some(m) = r.first(STAR_NS, "MeasureTime")
    {
        let mark = doc.mark(m);
        timestamp(&mut b, "StartTime", &m.text(), mark);
        let end = r
            .first(STAR_NS, "ValidDuration")
            .map_or(Some(0), |d| iso2seconds(d.text().trim()));
        match (parse_timestamp(m.text().trim()), end) {
            (Ok(t), Some(secs)) if r.first(STAR_NS, "EndTime").is_none() => {
                if let Some(end) = t.checked_add_seconds(secs) {
                    b.xml_typed("EndTime", Value::Time(end), mark);
                }
            }
            (_, None) => b.xml_error(
                mark,
                "EndTime",
                Code::InvalidDateTime,
                "ValidDuration is not an ISO 8601 duration".into(),
                String::new(),
            ),
            _ => {}
        }
    }
    for name in [
        "ResourceCapacityUsed",
        "LogicalCapacityUsed",
        "ResourceCapacityAllocated",
    ] {
        if let Some(e) = r.first(STAR_NS, name) {
            b.xml_value(name, &e.text(), doc.mark(e));
        }
    }
    b.finish(sink);
    // Every other GroupAttribute becomes a record of its own, keyed by the RecordId.
    for g in r.descendants(STAR_NS, "GroupAttribute") {
        let kind = g.attr(Some(STAR_NS), "attributeType").unwrap_or_default();
        if kind == "subgroup" || kind == "role" {
            continue;
        }
        let m = doc.mark(g);
        let mut ga = RecordBuilder::new(text, RecordType::GroupAttribute, options);
        ga.xml = true;
        ga.begin(doc.position(g.offset), sink.records.len());
        match &record_id {
            Some(id) => ga.xml_value("StarRecordID", id, m),
            None => ga.xml_error(
                m,
                "StarRecordID",
                Code::MissingField,
                "a group attribute of a storage record without RecordIdentity".into(),
                "Missing mandatory field: RecordId".into(),
            ),
        }
        ga.xml_value("AttributeType", kind, m);
        ga.xml_value("AttributeValue", &g.text(), m);
        ga.finish(sink);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fedcloud_core::FixedClock;

    fn opts() -> Options {
        Options::new(
            Profile::Apel,
            &FixedClock("2026-11-21T00:00:00Z".parse().unwrap()),
        )
    }

    fn car(body: &str) -> String {
        format!(
            r#"<urf:UsageRecord xmlns:urf="{CAR_NS}"><urf:RecordIdentity urf:recordId="r" urf:createTime="2020-01-01T00:00:00Z"/>{body}</urf:UsageRecord>"#
        )
    }

    const MINIMAL: &str = "<urf:Site>S</urf:Site><urf:LocalJobId>1</urf:LocalJobId><urf:WallDuration>PT10S</urf:WallDuration><urf:CpuDuration>PT5S</urf:CpuDuration><urf:StartTime>2020-01-01T00:00:00Z</urf:StartTime><urf:EndTime>2020-01-01T00:01:00Z</urf:EndTime>";

    fn verdict(doc: &str) -> Option<String> {
        let m = parse_xml_message(doc.as_bytes(), &opts());
        if m.is_valid() {
            None
        } else {
            Some(
                m.apel_error()
                    .and_then(|f| f.apel_message.clone())
                    .unwrap_or_else(|| format!("{:?}", m.findings)),
            )
        }
    }

    #[test]
    fn apel_observed_car_verdicts() {
        // Verdicts apel 2.5.0 gives on these documents.
        let cases: Vec<(String, Option<&str>)> = vec![
            (car(MINIMAL), None),
            (
                car(&format!("{MINIMAL}<urf:ServiceLevel>10</urf:ServiceLevel>")),
                Some("Unit but not value supplied for ScalingFactor."),
            ),
            (
                car(&MINIMAL.replace("PT10S", "10")),
                Some("Mandatory field WallDuration not specified."),
            ),
            (
                car(&MINIMAL.replace(
                    "<urf:StartTime>2020-01-01T00:00:00Z",
                    "<urf:StartTime>garbage",
                )),
                Some("Message header is incorrect: Unable to parse date string 'garbage'"),
            ),
            (
                car(&MINIMAL.replace(
                    "<urf:StartTime>2020-01-01T00:00:00Z",
                    "<urf:StartTime>2020-13-01T00:00:00Z",
                )),
                Some("Message header is incorrect: month must be in 1..12"),
            ),
            (
                car(&MINIMAL.replace("<urf:Site>S", "<urf:Site><![CDATA[X]]>")),
                Some("NULL in mandatory field: Site"),
            ),
            (
                format!(r#"<UsageRecord xmlns="{AUR_NS}"/>"#),
                Some("Aggregated usage record not yet supported."),
            ),
            (
                r#"<UsageRecord xmlns="urn:other"/>"#.into(),
                Some("XML format not recognised."),
            ),
            (
                r#"<UsageRecord/>"#.into(),
                Some("XML format not recognised."),
            ),
        ];
        for (doc, expected) in &cases {
            assert_eq!(verdict(doc).as_deref(), *expected, "{doc}");
        }
        let doc = car(MINIMAL);
        let m = parse_xml_message(doc.as_bytes(), &opts());
        let r = &m.records[0].record;
        assert_eq!(
            (r.int("WallDuration"), r.int("CpuDuration")),
            (Some(10), Some(5))
        );
    }

    #[test]
    fn star_records_and_group_attributes() {
        let doc = format!(
            r#"<sr:StorageUsageRecords xmlns:sr="{STAR_NS}"><sr:StorageUsageRecord>
            <sr:RecordIdentity sr:createTime="2012-10-30T17:20:04Z" sr:recordId="rid"/>
            <sr:StorageSystem>s</sr:StorageSystem>
            <sr:SubjectIdentity><sr:Group>cms</sr:Group>
              <sr:GroupAttribute sr:attributeType="subgroup">sub</sr:GroupAttribute>
              <sr:GroupAttribute sr:attributeType="custom">c</sr:GroupAttribute></sr:SubjectIdentity>
            <sr:StartTime>2012-10-30T17:10:04Z</sr:StartTime><sr:EndTime>2012-10-30T17:20:04Z</sr:EndTime>
            <sr:ResourceCapacityUsed> 693064064 </sr:ResourceCapacityUsed>
            </sr:StorageUsageRecord></sr:StorageUsageRecords>"#
        );
        let m = parse_xml_message(doc.as_bytes(), &opts());
        assert!(m.is_valid(), "{:?}", m.findings);
        let types: Vec<_> = m.records.iter().map(|e| e.record.record_type()).collect();
        assert_eq!(types, [RecordType::Storage, RecordType::GroupAttribute]);
        assert_eq!(m.records[0].record.text("SubGroup"), Some("sub"));
        assert_eq!(
            m.records[0].record.int("ResourceCapacityUsed"),
            Some(693_064_064)
        );
        assert_eq!(m.records[1].record.text("AttributeValue"), Some("c"));
        assert_eq!(m.records[1].record.text("StarRecordID"), Some("rid"));
        let no_id = doc.replace(
            r#"<sr:RecordIdentity sr:createTime="2012-10-30T17:20:04Z" sr:recordId="rid"/>"#,
            "",
        );
        assert_eq!(
            verdict(&no_id).as_deref(),
            Some("Mandatory field RecordId not specified.")
        );
        let no_time = doc.replace(r#"sr:createTime="2012-10-30T17:20:04Z" "#, "");
        assert_eq!(
            verdict(&no_time).as_deref(),
            Some("Message header is incorrect: Unable to parse date string ''")
        );
        let empty = format!(r#"<sr:StorageUsageRecords xmlns:sr="{STAR_NS}"/>"#);
        assert_eq!(
            verdict(&empty).as_deref(),
            Some("File does not contain StAR records!")
        );
    }

    #[test]
    fn malformed_and_strict() {
        let m = parse_xml_message(b"<a><b></a>", &opts());
        assert_eq!(m.findings[0].code, Code::XmlSyntax);
        let strict = Options::new(
            Profile::Strict,
            &FixedClock("2026-11-21T00:00:00Z".parse().unwrap()),
        );
        // MINIMAL lacks what the CAR schema requires (JobIdentity, UserIdentity, Status, …).
        let doc = car(MINIMAL);
        let m = parse_xml_message(doc.as_bytes(), &strict);
        assert!(!m.is_valid());
        assert_eq!(
            m.findings
                .iter()
                .filter(|f| f.code == Code::XmlSchema)
                .count(),
            1,
            "one content-model error per element: {:?}",
            m.findings
        );
        assert!(!m.records[0].valid);
        // A schema-valid CAR 1.2 record.
        let full = format!(
            r#"<urf:UsageRecord xmlns:urf="{CAR_NS}"><urf:RecordIdentity urf:recordId="r" urf:createTime="2020-01-01T00:00:00Z"/><urf:JobIdentity><urf:LocalJobId>1</urf:LocalJobId></urf:JobIdentity><urf:UserIdentity><urf:GlobalUserName urf:type="opensslCompat">/CN=a</urf:GlobalUserName><urf:LocalUserId>u</urf:LocalUserId></urf:UserIdentity><urf:Status>completed</urf:Status><urf:Infrastructure urf:type="grid"/><urf:WallDuration>PT10S</urf:WallDuration><urf:CpuDuration>PT5S</urf:CpuDuration><urf:ServiceLevel urf:type="HEPSPEC">10</urf:ServiceLevel><urf:EndTime>2020-01-01T00:01:00Z</urf:EndTime><urf:StartTime>2020-01-01T00:00:00Z</urf:StartTime><urf:MachineName>ce.example.org</urf:MachineName><urf:SubmitHost>ce.example.org</urf:SubmitHost><urf:Queue>q</urf:Queue><urf:Site>S</urf:Site></urf:UsageRecord>"#
        );
        let m = parse_xml_message(full.as_bytes(), &strict);
        assert!(m.is_valid(), "{:?}", m.findings);
        assert_eq!(m.records.len(), 1);
        // The same record with a host name the schema's pattern refuses.
        let bad = full.replace(
            "<urf:MachineName>ce.example.org",
            "<urf:MachineName>ce:2119",
        );
        let m = parse_xml_message(bad.as_bytes(), &strict);
        let f = &m.findings[0];
        assert_eq!(
            (f.code, f.record, f.field.as_deref()),
            (Code::XmlSchema, Some(0), Some("MachineName"))
        );
        // StAR: record rules and a warning.
        let star = format!(
            r#"<sr:StorageUsageRecord xmlns:sr="{STAR_NS}"><sr:RecordIdentity sr:createTime="2012-10-30T17:20:04Z" sr:recordId="rid"/><sr:StorageSystem>s</sr:StorageSystem><sr:StartTime>2012-10-30T17:10:04Z</sr:StartTime><sr:EndTime>2012-10-30T17:20:04Z</sr:EndTime><sr:ResourceCapacityUsed>1</sr:ResourceCapacityUsed></sr:StorageUsageRecord>"#
        );
        let m = parse_xml_message(star.as_bytes(), &strict);
        assert!(m.is_valid(), "{:?}", m.findings);
        assert_eq!(m.findings[0].severity, Severity::Warning);
    }
}
