//! Conversions between the accounting formats, with a loss report.
//!
//! [`convert`] reads a document in any format the crate reads (APEL text, APEL JSON, CAR, AUR,
//! StAR, UR 1.0, UR 2.0), renders its valid records in the target format, and reports
//! everything that did not carry over exactly:
//!
//! - [`LossKind::Dropped`]: a value of the input that the target has no place for (a CAR
//!   `Charge`, a benchmark dictionary's second entry in an AUR record, …);
//! - [`LossKind::Missing`]: something the target requires that the record lacks (a CAR record
//!   needs a `MachineName`); the output is then not valid in the target format;
//! - [`LossKind::Assumed`]: a value the converter wrote although the input did not state it (a
//!   CAR record's `Status` is `completed`, since APEL job records describe finished jobs; a record
//!   identity).
//!
//! The output is then read back in the target format with the `strict` profile, and what that
//! finds is reported as [`Conversion::output_findings`]: a conversion never claims validity it
//! does not have.
//!
//! | target | record types it carries |
//! |---|---|
//! | `apel` | every APEL text type (job, summary, normalised summary, sync, cloud, cloud summary) |
//! | `car` | job records (v0.1–v0.4), as CAR 1.2 |
//! | `aur` | summary and normalised summary records, as AUR 1.2 |
//! | `star` | storage records with their group attributes |
//! | `ur1` | job records, as OGF UR 1.0 |
//! | `ur2` | job, cloud and storage records, as OGF UR 2.0 |
//! | `json` | public IP, accelerator and accelerator summary records |

use crate::apel::xml_records::{UR1_RESOURCE_FIELDS, UR2_STORAGE_DETAILS, ur2_names};
use crate::apel::{
    self, AUR_NS, CAR_NS, Message, Options, Profile, Record, RecordType, RenderError, STAR_NS,
    Value,
};
use crate::finding::Finding;
use crate::xml::{self, Element};
use crate::xsd::schemas::{CAR11_NS, UR1_NS};
use crate::xsd::{self, Format};
use fedcloud_core::{LineIndex, Position, UtcTime};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::str::FromStr;

/// The format to convert to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Target {
    /// APEL text message.
    Apel,
    /// EMI CAR 1.2.
    Car,
    /// EMI AUR 1.2 (aggregated CAR).
    Aur,
    /// EMI StAR.
    Star,
    /// OGF UR 1.0 (GFD.98).
    Ur1,
    /// OGF UR 2.0 (GFD.204).
    Ur2,
    /// APEL JSON message.
    Json,
}

impl Target {
    /// Every target.
    pub const ALL: [Target; 7] = [
        Target::Apel,
        Target::Car,
        Target::Aur,
        Target::Star,
        Target::Ur1,
        Target::Ur2,
        Target::Json,
    ];

    /// The name the command line uses: `apel`, `car`, `aur`, `star`, `ur1`, `ur2`, `json`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Target::Apel => "apel",
            Target::Car => "car",
            Target::Aur => "aur",
            Target::Star => "star",
            Target::Ur1 => "ur1",
            Target::Ur2 => "ur2",
            Target::Json => "json",
        }
    }

    /// Whether the target can carry records of this type.
    #[must_use]
    pub fn carries(self, t: RecordType) -> bool {
        use RecordType as R;
        match self {
            Target::Apel => t.is_text(),
            Target::Car | Target::Ur1 => matches!(t, R::Job | R::Job04),
            Target::Aur => matches!(
                t,
                R::Summary | R::Summary04 | R::NormalisedSummary | R::NormalisedSummary04
            ),
            Target::Star => matches!(t, R::Storage | R::GroupAttribute),
            Target::Ur2 => matches!(
                t,
                R::Job | R::Job04 | R::Cloud | R::Storage | R::GroupAttribute
            ),
            Target::Json => t.is_json(),
        }
    }
}

/// A target name that is not one of [`Target::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown target format {0:?} (apel, car, aur, star, ur1, ur2, json)")]
pub struct UnknownTarget(pub String);

impl FromStr for Target {
    type Err = UnknownTarget;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Target::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownTarget(s.to_owned()))
    }
}

/// What kind of difference a [`Loss`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum LossKind {
    /// A value of the input that the target cannot carry.
    Dropped,
    /// A value the target requires and the record lacks: the output is not valid there.
    Missing,
    /// A value the converter supplied.
    Assumed,
}

impl LossKind {
    /// `"dropped"`, `"missing"` or `"assumed"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            LossKind::Dropped => "dropped",
            LossKind::Missing => "missing",
            LossKind::Assumed => "assumed",
        }
    }
}

/// One difference between input and output, counted over the records it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    /// The kind of difference.
    pub kind: LossKind,
    /// The field (APEL name) or element concerned.
    pub field: String,
    /// What happened.
    pub message: String,
    /// The first record (0-based index in the input) it concerns.
    pub first_record: usize,
    /// Where in the input it was first seen, when the input is a document it came from.
    pub position: Option<Position>,
    /// How many records it concerns.
    pub count: usize,
}

/// The result of a conversion.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversion {
    /// The target.
    pub target: Target,
    /// The rendered document.
    pub output: String,
    /// How many records the output holds.
    pub records: usize,
    /// Every difference between input and output, in order of first appearance.
    pub losses: Vec<Loss>,
    /// What reading the output back in the target format (profile `strict`) finds.
    pub output_findings: Vec<Finding>,
}

impl Conversion {
    /// Whether the output is valid in the target format.
    #[must_use]
    pub fn output_valid(&self) -> bool {
        !self.output_findings.iter().any(Finding::is_error)
    }

    /// Whether nothing was dropped, missing or assumed.
    #[must_use]
    pub fn is_lossless(&self) -> bool {
        self.losses.is_empty()
    }
}

/// Why a conversion could not be made at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ConvertError {
    /// The target has no form for this record type.
    #[error("{} cannot carry {record_type:?} records", target.as_str())]
    NoForm {
        /// The record type.
        record_type: RecordType,
        /// The target.
        target: Target,
    },
    /// The input holds no valid record.
    #[error("the input holds no valid record to convert")]
    NothingToConvert,
    /// A value the target's writer refuses.
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// Collects losses, one entry per (kind, field, message).
#[derive(Default)]
struct Log {
    losses: Vec<Loss>,
    seen: HashMap<(LossKind, String, String), usize>,
}

impl Log {
    fn add(
        &mut self,
        kind: LossKind,
        field: &str,
        message: String,
        record: usize,
        at: Option<Position>,
    ) {
        let key = (kind, field.to_owned(), message);
        if let Some(&i) = self.seen.get(&key)
            && let Some(l) = self.losses.get_mut(i)
        {
            l.count += 1;
            return;
        }
        let (kind, field, message) = key.clone();
        self.seen.insert(key, self.losses.len());
        self.losses.push(Loss {
            kind,
            field,
            message,
            first_record: record,
            position: at,
            count: 1,
        });
    }
}

/// Reads `input` (any format, auto-detected; UR 1.0 and AUR need the `strict` profile, which
/// is the one that reads them), then converts its valid records to `target`. The message is
/// returned with the conversion so that callers can report the input's findings.
///
/// # Errors
/// [`ConvertError`] when the target cannot carry the records or the input has none.
pub fn convert<'a>(
    input: &'a [u8],
    target: Target,
    options: &Options,
) -> Result<(Message<'a>, Conversion), ConvertError> {
    let msg = read(input, options);
    let mut log = Log::default();
    input_losses(input, &msg, options, &mut log);
    let indices: Vec<usize> = msg
        .records
        .iter()
        .filter(|e| e.valid)
        .map(|e| e.index)
        .collect();
    let records: Vec<Record<'_>> = msg.valid_records().cloned().collect();
    if records.is_empty() {
        return Err(ConvertError::NothingToConvert);
    }
    let mut conversion = render_logged(&records, &indices, target, options, &mut log)?;
    conversion.losses = log.losses;
    Ok((msg, conversion))
}

/// Reads a document of any format: XML (CAR, AUR, StAR, UR 1.0, UR 2.0), JSON, or APEL text.
/// The same as [`apel::parse_any`].
#[must_use]
pub fn read<'a>(input: &'a [u8], options: &Options) -> Message<'a> {
    apel::parse_any(input, options)
}

/// Renders `records` in `target`, with the loss report and the output's own verdict.
///
/// # Errors
/// [`ConvertError`] when the target cannot carry the records, or there are none.
pub fn render(
    records: &[Record<'_>],
    target: Target,
    options: &Options,
) -> Result<Conversion, ConvertError> {
    let mut log = Log::default();
    let indices: Vec<usize> = (0..records.len()).collect();
    let mut c = render_logged(records, &indices, target, options, &mut log)?;
    c.losses = log.losses;
    Ok(c)
}

fn render_logged(
    records: &[Record<'_>],
    indices: &[usize],
    target: Target,
    options: &Options,
    log: &mut Log,
) -> Result<Conversion, ConvertError> {
    let Some(first) = records.first() else {
        return Err(ConvertError::NothingToConvert);
    };
    if let Some(r) = records.iter().find(|r| !target.carries(r.record_type())) {
        return Err(ConvertError::NoForm {
            record_type: r.record_type(),
            target,
        });
    }
    let mut w = Writer {
        target: target.as_str(),
        indices,
        log,
        created: options.now,
    };
    let output = match target {
        Target::Apel => apel::render_message(records)?,
        Target::Json => apel::render_json_message(records)?,
        Target::Car => w.car(records),
        Target::Ur1 => w.ur1(records),
        Target::Aur => w.aur(records, first.record_type()),
        Target::Star => w.star(records),
        Target::Ur2 => w.ur2(records),
    };
    let strict = Options {
        profile: Profile::Strict,
        ..*options
    };
    let back = read(output.as_bytes(), &strict);
    let count = back.records.len();
    Ok(Conversion {
        target,
        records: count,
        output_findings: back.findings,
        output,
        losses: Vec::new(),
    })
}

/// Whether XML 1.0 can carry the character.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes text for element content (`attr`: for an attribute value).
fn escape(s: &str, attr: bool, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attr => out.push_str("&#9;"),
            '\n' if attr => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
}

/// An `xsd:float` / `xsd:decimal`-compatible rendering of a float.
fn xsd_float(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "INF" } else { "-INF" }.into()
    } else {
        format!("{x:?}")
    }
}

/// `xsd:duration` of whole seconds.
fn duration(secs: i64) -> String {
    if secs < 0 {
        format!("-PT{}S", secs.unsigned_abs())
    } else {
        format!("PT{secs}S")
    }
}

fn time(t: UtcTime) -> String {
    t.to_string()
}

/// The XML text of a value (times as `xsd:dateTime`, numbers as written in XML).
fn xml_value(v: &Value<'_>) -> String {
    match v {
        Value::Time(t) => time(*t),
        Value::Float(x) => xsd_float(*x),
        other => other.to_string(),
    }
}

/// Writes the documents.
struct Writer<'l> {
    /// The target's name, for messages.
    target: &'static str,
    /// The input index of each record.
    indices: &'l [usize],
    log: &'l mut Log,
    created: UtcTime,
}

/// One element being written.
struct El<'o> {
    out: &'o mut String,
}

impl Writer<'_> {
    fn record_index(&self, i: usize) -> usize {
        self.indices.get(i).copied().unwrap_or(i)
    }

    fn loss(&mut self, i: usize, kind: LossKind, field: &str, message: String) {
        let r = self.record_index(i);
        self.log.add(kind, field, message, r, None);
    }

    /// A value XML 1.0 can carry, else a loss.
    fn checked(&mut self, i: usize, field: &str, s: String) -> Option<String> {
        if s.chars().all(xml_char) {
            Some(s)
        } else {
            self.loss(
                i,
                LossKind::Dropped,
                field,
                "the value holds a character XML 1.0 cannot carry".into(),
            );
            None
        }
    }

    /// `<name attrs>text</name>` for field `field` of the record, if it has a value.
    fn leaf(
        &mut self,
        out: &mut String,
        i: usize,
        r: &Record<'_>,
        field: &str,
        name: &str,
        attrs: &[(&str, &str)],
    ) -> bool {
        let Some(v) = r.get(field) else { return false };
        let Some(text) = self.checked(i, field, xml_value(v)) else {
            return false;
        };
        El { out }.leaf(name, attrs, &text);
        true
    }

    /// Like [`Writer::leaf`], with a [`LossKind::Missing`] when the field has no value.
    fn required(
        &mut self,
        out: &mut String,
        i: usize,
        r: &Record<'_>,
        field: &str,
        name: &str,
        attrs: &[(&str, &str)],
    ) {
        let target = self.target;
        if !self.leaf(out, i, r, field, name, attrs) {
            self.loss(
                i,
                LossKind::Missing,
                field,
                format!("{target} requires {name}; the record has none"),
            );
        }
    }

    fn duration_leaf(
        &mut self,
        out: &mut String,
        i: usize,
        r: &Record<'_>,
        field: &str,
        name: &str,
        attrs: &[(&str, &str)],
    ) {
        let target = self.target;
        match r.int(field) {
            Some(s) => El { out }.leaf(name, attrs, &duration(s)),
            None => self.loss(
                i,
                LossKind::Missing,
                field,
                format!("{target} requires {name}; the record has none"),
            ),
        }
    }

    /// The record identity: `prefix:RecordIdentity` with a generated id and the conversion
    /// time (assumed values).
    fn record_identity(&mut self, out: &mut String, i: usize, prefix: &str, id_parts: &[String]) {
        let id = self.generated_id(i, "RecordIdentity", id_parts);
        let created = time(self.created);
        El { out }.empty(
            &format!("{prefix}:RecordIdentity"),
            &[
                (&format!("{prefix}:recordId"), &id),
                (&format!("{prefix}:createTime"), &created),
            ],
        );
        self.loss(
            i,
            LossKind::Assumed,
            "RecordIdentity",
            "the record identity is generated (site, job id and end time) and createTime is the conversion time".into(),
        );
    }

    /// A record id built from `parts` (white space collapsed); an id XML cannot carry is
    /// reported under `field` and replaced by the record's index.
    fn generated_id(&mut self, i: usize, field: &str, parts: &[String]) -> String {
        let id = parts
            .iter()
            .flat_map(|p| p.split_whitespace())
            .collect::<Vec<_>>()
            .join(" ");
        self.checked(i, field, id)
            .unwrap_or_else(|| format!("record-{}", self.record_index(i)))
    }

    /// The empty CAR-typed `Infrastructure` element (CAR, AUR): the description and the type
    /// (`type_field`: InfrastructureType, or a normalised summary's Infrastructure) as
    /// attributes.
    fn infrastructure(
        &mut self,
        out: &mut String,
        i: usize,
        r: &Record<'_>,
        element: &str,
        type_field: &str,
    ) {
        let mut attrs = Vec::new();
        for (field, a) in [
            ("InfrastructureDescription", "urf:description"),
            (type_field, "urf:type"),
        ] {
            if let Some(v) = r.text(field)
                && let Some(v) = self.checked(i, field, v.to_owned())
            {
                attrs.push((a, v));
            }
        }
        let attrs: Vec<(&str, &str)> = attrs.iter().map(|(a, v)| (*a, v.as_str())).collect();
        El { out }.empty(element, &attrs);
    }

    /// The group attributes StAR keeps as records of their own (`extra`: type and value),
    /// written back as `element`s typed by `type_attr` (StAR, UR 2.0).
    fn group_attribute_records(
        &mut self,
        out: &mut String,
        i: usize,
        extra: &[(&str, &str)],
        element: &str,
        type_attr: &str,
    ) {
        for (kind, value) in extra {
            if let (Some(k), Some(v)) = (
                self.checked(i, "AttributeType", (*kind).to_owned()),
                self.checked(i, "AttributeValue", (*value).to_owned()),
            ) {
                El { out: &mut *out }.leaf(element, &[(type_attr, &k)], &v);
            }
        }
    }

    /// Service levels: one element per benchmark of a v0.4 dictionary.
    fn service_levels(
        &mut self,
        out: &mut String,
        i: usize,
        r: &Record<'_>,
        name: &str,
        type_attr: &str,
        single: bool,
    ) {
        let target = self.target;
        let mut levels: Vec<(String, f64)> = match r.get("ServiceLevel") {
            Some(Value::Benchmarks(b)) => b.entries().map(|(k, v)| (k.to_owned(), v)).collect(),
            Some(Value::Float(x)) => {
                match r.text("ServiceLevelType") {
                    Some(t) => vec![(t.to_owned(), *x)],
                    None => {
                        self.loss(
                        i,
                        LossKind::Missing,
                        "ServiceLevelType",
                        format!("{target} requires the type of the service level; the record has none"),
                    );
                        Vec::new()
                    }
                }
            }
            _ => Vec::new(),
        };
        if single && levels.len() > 1 {
            // The benchmark apel chooses goes first.
            if let Some((chosen, _)) = r.benchmark("ServiceLevel")
                && let Some(p) = levels
                    .iter()
                    .position(|(k, _)| k.eq_ignore_ascii_case(chosen))
            {
                levels.swap(0, p);
            }
            for (k, _) in levels.drain(1..) {
                self.loss(
                    i,
                    LossKind::Dropped,
                    "ServiceLevel",
                    format!("{target} holds one service level; benchmark {k} is not written"),
                );
            }
        }
        if levels.is_empty() {
            self.loss(
                i,
                LossKind::Missing,
                "ServiceLevel",
                format!("{target} requires a service level; the record has none"),
            );
        }
        for (k, v) in levels {
            if let Some(k) = self.checked(i, "ServiceLevelType", k) {
                El { out: &mut *out }.leaf(name, &[(type_attr, &k)], &xsd_float(v));
            }
        }
    }

    fn memory(&mut self, out: &mut String, r: &Record<'_>, p: &str) {
        for (field, kind) in [("MemoryReal", "Physical"), ("MemoryVirtual", "Virtual")] {
            if let Some(k) = r.int(field) {
                El { out: &mut *out }.leaf(
                    &format!("{p}:Memory"),
                    &[
                        (&format!("{p}:storageUnit"), "KB"),
                        (&format!("{p}:type"), kind),
                    ],
                    &k.to_string(),
                );
            }
        }
    }

    fn status_completed(&mut self, out: &mut String, i: usize, p: &str) {
        El { out }.leaf(&format!("{p}:Status"), &[], "completed");
        self.loss(
            i,
            LossKind::Assumed,
            "Status",
            "APEL job records describe finished jobs: Status is written as completed".into(),
        );
    }

    fn id_parts(r: &Record<'_>) -> Vec<String> {
        ["Site", "LocalJobId", "EndTime"]
            .into_iter()
            .filter_map(|f| r.get(f).map(xml_value))
            .collect()
    }

    /// EMI CAR 1.2 (`car_v1.2`): job records.
    fn car(&mut self, records: &[Record<'_>]) -> String {
        const T: &str = "CAR";
        self.target = T;
        let mut out = String::with_capacity(records.len() * 1500 + 200);
        let _ = writeln!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urf:UsageRecords xmlns:urf=\"{CAR_NS}\">"
        );
        for (i, r) in records.iter().enumerate() {
            out.push_str("<urf:UsageRecord>");
            self.record_identity(&mut out, i, "urf", &Self::id_parts(r));
            out.push_str("<urf:JobIdentity>");
            self.required(&mut out, i, r, "LocalJobId", "urf:LocalJobId", &[]);
            out.push_str("</urf:JobIdentity><urf:UserIdentity>");
            self.leaf(&mut out, i, r, "GlobalUserName", "urf:GlobalUserName", &[]);
            self.leaf(&mut out, i, r, "VO", "urf:Group", &[]);
            for (field, kind) in [
                ("FQAN", "FQAN"),
                ("VOGroup", "vo-group"),
                ("VORole", "vo-role"),
            ] {
                self.leaf(
                    &mut out,
                    i,
                    r,
                    field,
                    "urf:GroupAttribute",
                    &[("urf:type", kind)],
                );
            }
            self.required(&mut out, i, r, "LocalUserId", "urf:LocalUserId", &[]);
            out.push_str("</urf:UserIdentity>");
            self.status_completed(&mut out, i, "urf");
            self.infrastructure(&mut out, i, r, "urf:Infrastructure", "InfrastructureType");
            self.duration_leaf(&mut out, i, r, "WallDuration", "urf:WallDuration", &[]);
            self.duration_leaf(
                &mut out,
                i,
                r,
                "CpuDuration",
                "urf:CpuDuration",
                &[("urf:usageType", "all")],
            );
            self.service_levels(&mut out, i, r, "urf:ServiceLevel", "urf:type", false);
            self.memory(&mut out, r, "urf");
            self.leaf(&mut out, i, r, "NodeCount", "urf:NodeCount", &[]);
            self.leaf(&mut out, i, r, "Processors", "urf:Processors", &[]);
            self.required(&mut out, i, r, "EndTime", "urf:EndTime", &[]);
            self.required(&mut out, i, r, "StartTime", "urf:StartTime", &[]);
            self.required(&mut out, i, r, "MachineName", "urf:MachineName", &[]);
            self.leaf(&mut out, i, r, "SubmitHost", "urf:SubmitHost", &[]);
            self.required(&mut out, i, r, "Queue", "urf:Queue", &[]);
            self.required(&mut out, i, r, "Site", "urf:Site", &[]);
            out.push_str("</urf:UsageRecord>\n");
        }
        out.push_str("</urf:UsageRecords>\n");
        out
    }

    /// OGF UR 1.0: job records. The APEL fields UR 1.0 has no element for go into
    /// `urf:Resource` elements named by `urf:description`.
    fn ur1(&mut self, records: &[Record<'_>]) -> String {
        const T: &str = "UR 1.0";
        self.target = T;
        let mut out = String::with_capacity(records.len() * 1500 + 200);
        let _ = writeln!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urf:UsageRecords xmlns:urf=\"{UR1_NS}\">"
        );
        for (i, r) in records.iter().enumerate() {
            out.push_str("<urf:UsageRecord>");
            self.record_identity(&mut out, i, "urf", &Self::id_parts(r));
            if r.get("LocalJobId").is_some() {
                out.push_str("<urf:JobIdentity>");
                self.leaf(&mut out, i, r, "LocalJobId", "urf:LocalJobId", &[]);
                out.push_str("</urf:JobIdentity>");
            }
            if r.get("LocalUserId").is_some() || r.get("GlobalUserName").is_some() {
                out.push_str("<urf:UserIdentity>");
                self.leaf(&mut out, i, r, "LocalUserId", "urf:LocalUserId", &[]);
                self.leaf(&mut out, i, r, "GlobalUserName", "urf:GlobalUserName", &[]);
                out.push_str("</urf:UserIdentity>");
            }
            self.status_completed(&mut out, i, "urf");
            self.memory(&mut out, r, "urf");
            if r.get("ServiceLevel").is_some() {
                self.service_levels(&mut out, i, r, "urf:ServiceLevel", "urf:type", false);
            }
            if let Some(s) = r.int("WallDuration") {
                El { out: &mut out }.leaf("urf:WallDuration", &[], &duration(s));
            }
            if let Some(s) = r.int("CpuDuration") {
                El { out: &mut out }.leaf("urf:CpuDuration", &[], &duration(s));
            }
            for (field, name) in [
                ("NodeCount", "urf:NodeCount"),
                ("Processors", "urf:Processors"),
                ("EndTime", "urf:EndTime"),
                ("StartTime", "urf:StartTime"),
                ("MachineName", "urf:MachineName"),
                ("SubmitHost", "urf:SubmitHost"),
                ("Queue", "urf:Queue"),
            ] {
                self.leaf(&mut out, i, r, field, name, &[]);
            }
            for field in UR1_RESOURCE_FIELDS {
                self.leaf(
                    &mut out,
                    i,
                    r,
                    field,
                    "urf:Resource",
                    &[("urf:description", field)],
                );
            }
            out.push_str("</urf:UsageRecord>\n");
        }
        out.push_str("</urf:UsageRecords>\n");
        out
    }

    /// EMI AUR 1.2: summary and normalised summary records.
    fn aur(&mut self, records: &[Record<'_>], t: RecordType) -> String {
        const T: &str = "AUR";
        self.target = T;
        let normalised = matches!(
            t,
            RecordType::NormalisedSummary | RecordType::NormalisedSummary04
        );
        let mut out = String::with_capacity(records.len() * 1200 + 200);
        let _ = writeln!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<aur:SummaryRecords xmlns:aur=\"{AUR_NS}\" xmlns:urf=\"{CAR_NS}\">"
        );
        for (i, r) in records.iter().enumerate() {
            out.push_str("<aur:SummaryRecord>");
            self.required(&mut out, i, r, "Site", "aur:Site", &[]);
            self.required(&mut out, i, r, "Month", "aur:Month", &[]);
            self.required(&mut out, i, r, "Year", "aur:Year", &[]);
            out.push_str("<aur:UserIdentity>");
            self.leaf(&mut out, i, r, "GlobalUserName", "urf:GlobalUserName", &[]);
            self.leaf(&mut out, i, r, "VO", "urf:Group", &[]);
            for (field, kind) in [("VOGroup", "vo-group"), ("VORole", "vo-role")] {
                self.leaf(
                    &mut out,
                    i,
                    r,
                    field,
                    "urf:GroupAttribute",
                    &[("urf:type", kind)],
                );
            }
            out.push_str("</aur:UserIdentity>");
            self.leaf(&mut out, i, r, "SubmitHost", "aur:SubmitHost", &[]);
            let type_field = if normalised {
                "Infrastructure"
            } else {
                "InfrastructureType"
            };
            self.infrastructure(&mut out, i, r, "aur:Infrastructure", type_field);
            self.required(
                &mut out,
                i,
                r,
                "EarliestEndTime",
                "aur:EarliestEndTime",
                &[],
            );
            self.required(&mut out, i, r, "LatestEndTime", "aur:LatestEndTime", &[]);
            self.duration_leaf(&mut out, i, r, "WallDuration", "aur:WallDuration", &[]);
            self.duration_leaf(&mut out, i, r, "CpuDuration", "aur:CpuDuration", &[]);
            if normalised {
                for field in ["NormalisedWallDuration", "NormalisedCpuDuration"] {
                    if r.get(field).is_some() {
                        self.loss(
                            i,
                            LossKind::Dropped,
                            field,
                            "AUR has no normalised durations".into(),
                        );
                    }
                }
                if r.get("ServiceLevelType").is_some() {
                    self.loss(
                        i,
                        LossKind::Dropped,
                        "ServiceLevelType",
                        "a normalised summary has no service level value for AUR's ServiceLevel"
                            .into(),
                    );
                }
                self.loss(
                    i,
                    LossKind::Missing,
                    "ServiceLevel",
                    "AUR requires a service level; a normalised summary has none".into(),
                );
            } else {
                self.service_levels(&mut out, i, r, "aur:ServiceLevel", "urf:type", true);
            }
            self.required(&mut out, i, r, "NumberOfJobs", "aur:NumberOfJobs", &[]);
            self.leaf(&mut out, i, r, "NodeCount", "aur:NodeCount", &[]);
            self.leaf(&mut out, i, r, "Processors", "aur:Processors", &[]);
            out.push_str("</aur:SummaryRecord>\n");
        }
        out.push_str("</aur:SummaryRecords>\n");
        out
    }

    /// The group attributes (side records) of each storage record, by record id; those whose
    /// storage record is not in the input are reported.
    fn group_attributes<'r>(
        &mut self,
        records: &'r [Record<'r>],
    ) -> HashMap<&'r str, Vec<(&'r str, &'r str)>> {
        let ids: std::collections::HashSet<&str> = records
            .iter()
            .filter(|r| r.record_type() == RecordType::Storage)
            .filter_map(|r| r.text("RecordId"))
            .collect();
        let mut map: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
        for (i, r) in records.iter().enumerate() {
            if r.record_type() != RecordType::GroupAttribute {
                continue;
            }
            let id = r.text("StarRecordID").unwrap_or_default();
            if ids.contains(&id) {
                map.entry(id).or_default().push((
                    r.text("AttributeType").unwrap_or_default(),
                    r.text("AttributeValue").unwrap_or_default(),
                ));
            } else {
                self.loss(
                    i,
                    LossKind::Dropped,
                    "StarRecordID",
                    "a group attribute whose storage record is not converted".into(),
                );
            }
        }
        map
    }

    /// EMI StAR: storage records and their group attributes.
    fn star(&mut self, records: &[Record<'_>]) -> String {
        const T: &str = "StAR";
        self.target = T;
        let groups = self.group_attributes(records);
        let mut out = String::with_capacity(records.len() * 1200 + 200);
        let _ = writeln!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sr:StorageUsageRecords xmlns:sr=\"{STAR_NS}\">"
        );
        for (i, r) in records.iter().enumerate() {
            if r.record_type() != RecordType::Storage {
                continue;
            }
            out.push_str("<sr:StorageUsageRecord>");
            let id = r.text("RecordId").unwrap_or_default();
            let created = r.time("CreateTime").map(time).unwrap_or_default();
            match (
                self.checked(i, "RecordId", id.to_owned()),
                created.is_empty(),
            ) {
                (Some(id), false) => El { out: &mut out }.empty(
                    "sr:RecordIdentity",
                    &[("sr:createTime", &created), ("sr:recordId", &id)],
                ),
                _ => self.loss(
                    i,
                    LossKind::Missing,
                    "RecordId",
                    "StAR requires RecordIdentity with recordId and createTime".into(),
                ),
            }
            self.required(&mut out, i, r, "StorageSystem", "sr:StorageSystem", &[]);
            for field in [
                "Site",
                "StorageShare",
                "StorageMedia",
                "StorageClass",
                "FileCount",
                "DirectoryPath",
            ] {
                self.leaf(&mut out, i, r, field, &format!("sr:{field}"), &[]);
            }
            let extra = groups.get(id).map(Vec::as_slice).unwrap_or_default();
            let subject = [
                "LocalUser",
                "LocalGroup",
                "UserIdentity",
                "Group",
                "SubGroup",
                "Role",
            ];
            if subject.iter().any(|f| r.get(f).is_some()) || !extra.is_empty() {
                out.push_str("<sr:SubjectIdentity>");
                for field in ["LocalUser", "LocalGroup", "UserIdentity", "Group"] {
                    self.leaf(&mut out, i, r, field, &format!("sr:{field}"), &[]);
                }
                for (field, kind) in [("SubGroup", "subgroup"), ("Role", "role")] {
                    self.leaf(
                        &mut out,
                        i,
                        r,
                        field,
                        "sr:GroupAttribute",
                        &[("sr:attributeType", kind)],
                    );
                }
                self.group_attribute_records(
                    &mut out,
                    i,
                    extra,
                    "sr:GroupAttribute",
                    "sr:attributeType",
                );
                out.push_str("</sr:SubjectIdentity>");
            }
            self.required(&mut out, i, r, "StartTime", "sr:StartTime", &[]);
            self.required(&mut out, i, r, "EndTime", "sr:EndTime", &[]);
            self.required(
                &mut out,
                i,
                r,
                "ResourceCapacityUsed",
                "sr:ResourceCapacityUsed",
                &[],
            );
            for field in ["LogicalCapacityUsed", "ResourceCapacityAllocated"] {
                self.leaf(&mut out, i, r, field, &format!("sr:{field}"), &[]);
            }
            out.push_str("</sr:StorageUsageRecord>\n");
        }
        out.push_str("</sr:StorageUsageRecords>\n");
        out
    }
}

impl Writer<'_> {
    /// An amount in `unit`-sized units as bytes (UR 2.0 capacities are in bytes).
    fn bytes_leaf(
        &mut self,
        out: &mut String,
        i: usize,
        r: &Record<'_>,
        field: &str,
        name: &str,
        unit: i64,
    ) {
        if let Some(v) = r.int(field) {
            match v.checked_mul(unit) {
                Some(b) if b >= 0 => El { out }.leaf(name, &[], &b.to_string()),
                _ => self.loss(
                    i,
                    LossKind::Dropped,
                    field,
                    "the value in bytes is negative or beyond 64 bits".into(),
                ),
            }
        }
    }

    /// OGF UR 2.0 (GFD.204): job, cloud and storage records as usage blocks.
    fn ur2(&mut self, records: &[Record<'_>]) -> String {
        use crate::apel::xml_records::{GIB, KIB, MIB};
        const T: &str = "UR 2.0";
        self.target = T;
        let ns = crate::xsd::schemas::UR2_NS;
        let groups = self.group_attributes(records);
        let mut out = String::with_capacity(records.len() * 1500 + 200);
        let _ = writeln!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urf:UsageRecords xmlns:urf=\"{ns}\">"
        );
        for (i, r) in records.iter().enumerate() {
            let t = r.record_type();
            if t == RecordType::GroupAttribute {
                continue;
            }
            let names = ur2_names(t);
            let (cloud, storage) = (t == RecordType::Cloud, t == RecordType::Storage);
            out.push_str("<urf:UsageRecord><urf:RecordIdentityBlock>");
            if storage {
                self.required(&mut out, i, r, "RecordId", "urf:RecordId", &[]);
                self.required(&mut out, i, r, "CreateTime", "urf:CreateTime", &[]);
            } else {
                let parts: Vec<String> = if cloud {
                    ["SiteName", "VMUUID", "EndTime"]
                        .into_iter()
                        .filter_map(|f| r.get(f).map(xml_value))
                        .collect()
                } else {
                    Self::id_parts(r)
                };
                let id = self.generated_id(i, "RecordId", &parts);
                El { out: &mut out }.leaf("urf:RecordId", &[], &id);
                let created = (cloud)
                    .then(|| r.time("RecordCreateTime"))
                    .flatten()
                    .unwrap_or(self.created);
                El { out: &mut out }.leaf("urf:CreateTime", &[], &time(created));
                self.loss(
                    i,
                    LossKind::Assumed,
                    "RecordId",
                    "the record id is generated (site, job or VM id, end time)".into(),
                );
                if !(cloud && r.time("RecordCreateTime").is_some()) {
                    self.loss(
                        i,
                        LossKind::Assumed,
                        "CreateTime",
                        "CreateTime is the conversion time".into(),
                    );
                }
            }
            self.leaf(&mut out, i, r, names.site, "urf:Site", &[]);
            let (text_field, description_field) = if cloud {
                ("CloudComputeService", "CloudType")
            } else {
                ("InfrastructureType", "InfrastructureDescription")
            };
            if r.get(text_field).is_some() || r.get(description_field).is_some() {
                let description = r
                    .text(description_field)
                    .and_then(|d| self.checked(i, description_field, d.to_owned()));
                let text = r
                    .text(text_field)
                    .and_then(|d| self.checked(i, text_field, d.to_owned()))
                    .unwrap_or_default();
                let attrs: Vec<(&str, &str)> = description
                    .iter()
                    .map(|d| ("urf:description", d.as_str()))
                    .collect();
                El { out: &mut out }.leaf("urf:Infrastructure", &attrs, &text);
            }
            out.push_str("</urf:RecordIdentityBlock>");
            // Subject identity.
            let id_of = r.text("RecordId").unwrap_or_default();
            let extra = if storage {
                groups.get(id_of).map(Vec::as_slice).unwrap_or_default()
            } else {
                &[]
            };
            let subject = [
                names.local_user,
                names.local_group,
                names.global_user,
                names.group,
            ];
            if subject.iter().any(|f| r.get(f).is_some())
                || names.attributes.iter().any(|(f, _)| r.get(f).is_some())
                || !extra.is_empty()
            {
                out.push_str("<urf:SubjectIdentityBlock>");
                for (f, l) in subject.into_iter().zip([
                    "urf:LocalUserId",
                    "urf:LocalGroupId",
                    "urf:GlobalUserId",
                    "urf:GlobalGroupId",
                ]) {
                    self.leaf(&mut out, i, r, f, l, &[]);
                }
                for (f, kind) in names.attributes {
                    self.leaf(
                        &mut out,
                        i,
                        r,
                        f,
                        "urf:GlobalGroupAttribute",
                        &[("urf:type", kind)],
                    );
                }
                self.group_attribute_records(
                    &mut out,
                    i,
                    extra,
                    "urf:GlobalGroupAttribute",
                    "urf:type",
                );
                out.push_str("</urf:SubjectIdentityBlock>");
            }
            if !storage {
                out.push_str("<urf:ComputeUsageBlock>");
                self.duration_leaf(&mut out, i, r, "CpuDuration", "urf:CpuDuration", &[]);
                self.duration_leaf(&mut out, i, r, "WallDuration", "urf:WallDuration", &[]);
                self.required(&mut out, i, r, "StartTime", "urf:StartTime", &[]);
                self.required(&mut out, i, r, "EndTime", "urf:EndTime", &[]);
                self.ur2_benchmark(&mut out, i, r, cloud);
                if cloud {
                    match r.float("CpuCount") {
                        Some(x) if x >= 1.0 && x.fract() == 0.0 && x < 2f64.powi(53) => {
                            El { out: &mut out }.leaf("urf:Processors", &[], &format!("{x:.0}"));
                        }
                        Some(_) => self.loss(
                            i,
                            LossKind::Dropped,
                            "CpuCount",
                            "UR 2.0 Processors is a positive integer; the CPU count is not".into(),
                        ),
                        None => {}
                    }
                } else {
                    self.leaf(&mut out, i, r, "Processors", "urf:Processors", &[]);
                    self.leaf(&mut out, i, r, "NodeCount", "urf:NodeCount", &[]);
                }
                out.push_str("</urf:ComputeUsageBlock>");
            }
            if !cloud && !storage {
                out.push_str("<urf:JobUsageBlock>");
                for (f, l) in [
                    ("LocalJobId", "urf:LocalJobId"),
                    ("MachineName", "urf:MachineName"),
                    ("SubmitHost", "urf:SubmitHost"),
                    ("Queue", "urf:Queue"),
                ] {
                    self.leaf(&mut out, i, r, f, l, &[]);
                }
                El { out: &mut out }.leaf("urf:Status", &[], "completed");
                self.loss(
                    i,
                    LossKind::Assumed,
                    "Status",
                    "APEL job records describe finished jobs: Status is written as completed"
                        .into(),
                );
                out.push_str("</urf:JobUsageBlock>");
                for (f, class) in [("MemoryReal", "Physical"), ("MemoryVirtual", "Virtual")] {
                    if r.get(f).is_some() {
                        out.push_str("<urf:MemoryUsageBlock>");
                        El { out: &mut out }.leaf("urf:MemoryClass", &[], class);
                        self.bytes_leaf(&mut out, i, r, f, "urf:MemoryResourceCapacityUsed", KIB);
                        self.required(&mut out, i, r, "StartTime", "urf:StartTime", &[]);
                        self.required(&mut out, i, r, "EndTime", "urf:EndTime", &[]);
                        out.push_str("</urf:MemoryUsageBlock>");
                    }
                }
            }
            if cloud {
                if r.get("Memory").is_some() {
                    out.push_str("<urf:MemoryUsageBlock>");
                    El { out: &mut out }.leaf("urf:MemoryClass", &[], "Physical");
                    self.bytes_leaf(
                        &mut out,
                        i,
                        r,
                        "Memory",
                        "urf:MemoryResourceCapacityUsed",
                        MIB,
                    );
                    self.bytes_leaf(
                        &mut out,
                        i,
                        r,
                        "Memory",
                        "urf:MemoryResourceCapacityAllocated",
                        MIB,
                    );
                    self.loss(
                        i,
                        LossKind::Assumed,
                        "Memory",
                        "APEL cloud Memory is the memory allocated; UR 2.0 requires the memory used, written as the same amount".into(),
                    );
                    self.required(&mut out, i, r, "StartTime", "urf:StartTime", &[]);
                    self.required(&mut out, i, r, "EndTime", "urf:EndTime", &[]);
                    out.push_str("</urf:MemoryUsageBlock>");
                }
                if r.get("Disk").is_some() {
                    out.push_str("<urf:StorageUsageBlock>");
                    self.bytes_leaf(
                        &mut out,
                        i,
                        r,
                        "Disk",
                        "urf:StorageResourceCapacityUsed",
                        GIB,
                    );
                    self.bytes_leaf(
                        &mut out,
                        i,
                        r,
                        "Disk",
                        "urf:StorageResourceCapacityAllocated",
                        GIB,
                    );
                    self.loss(
                        i,
                        LossKind::Assumed,
                        "Disk",
                        "APEL cloud Disk is the disk allocated; UR 2.0 requires the capacity used, written as the same amount".into(),
                    );
                    self.required(&mut out, i, r, "StartTime", "urf:StartTime", &[]);
                    self.required(&mut out, i, r, "EndTime", "urf:EndTime", &[]);
                    out.push_str("</urf:StorageUsageBlock>");
                }
                out.push_str("<urf:CloudUsageBlock>");
                self.leaf(&mut out, i, r, "VMUUID", "urf:GlobalVirtualMachineId", &[]);
                self.required(&mut out, i, r, "Status", "urf:Status", &[]);
                if let Some(s) = r.int("SuspendDuration") {
                    El { out: &mut out }.leaf("urf:SuspendDuration", &[], &duration(s));
                }
                self.leaf(&mut out, i, r, "ImageId", "urf:ImageId", &[]);
                self.leaf(&mut out, i, r, "MachineName", "urf:MachineName", &[]);
                out.push_str("</urf:CloudUsageBlock>");
                let network = ["NetworkType", "NetworkInbound", "NetworkOutbound"];
                if network.iter().any(|f| r.get(f).is_some()) {
                    out.push_str("<urf:NetworkUsageBlock>");
                    self.required(&mut out, i, r, "NetworkType", "urf:NetworkClass", &[]);
                    for (f, l) in [
                        ("NetworkInbound", "urf:NetworkInboundUsed"),
                        ("NetworkOutbound", "urf:NetworkOutboundUsed"),
                    ] {
                        if r.get(f).is_some() {
                            self.bytes_leaf(&mut out, i, r, f, l, GIB);
                        } else {
                            self.loss(
                                i,
                                LossKind::Missing,
                                f,
                                format!("{T} requires {l}; the record has none"),
                            );
                        }
                    }
                    out.push_str("</urf:NetworkUsageBlock>");
                }
                for f in ["PublicIPCount", "StorageRecordId"] {
                    if r.get(f).is_some() {
                        self.loss(
                            i,
                            LossKind::Dropped,
                            f,
                            "UR 2.0 has no element for it".into(),
                        );
                    }
                }
            }
            if storage {
                out.push_str("<urf:StorageUsageBlock>");
                for f in UR2_STORAGE_DETAILS {
                    self.leaf(&mut out, i, r, f, &format!("urf:{f}"), &[]);
                }
                self.required(
                    &mut out,
                    i,
                    r,
                    "ResourceCapacityUsed",
                    "urf:StorageResourceCapacityUsed",
                    &[],
                );
                self.leaf(
                    &mut out,
                    i,
                    r,
                    "LogicalCapacityUsed",
                    "urf:StorageLogicalCapacityUsed",
                    &[],
                );
                self.leaf(
                    &mut out,
                    i,
                    r,
                    "ResourceCapacityAllocated",
                    "urf:StorageResourceCapacityAllocated",
                    &[],
                );
                self.required(&mut out, i, r, "StartTime", "urf:StartTime", &[]);
                self.required(&mut out, i, r, "EndTime", "urf:EndTime", &[]);
                self.leaf(&mut out, i, r, "StorageSystem", "urf:Host", &[]);
                out.push_str("</urf:StorageUsageBlock>");
            }
            out.push_str("</urf:UsageRecord>\n");
        }
        out.push_str("</urf:UsageRecords>\n");
        out
    }

    /// The benchmark of a job (service level) or cloud record, on the execution host: UR 2.0
    /// carries benchmarks there (GFD.204 §5.5.3), so it needs the machine name as host name.
    fn ur2_benchmark(&mut self, out: &mut String, i: usize, r: &Record<'_>, cloud: bool) {
        let (type_field, value_field) = if cloud {
            ("BenchmarkType", "Benchmark")
        } else {
            ("ServiceLevelType", "ServiceLevel")
        };
        let levels: Vec<(String, f64)> = match (r.get(value_field), r.text(type_field)) {
            (Some(Value::Benchmarks(b)), _) => {
                b.entries().map(|(k, v)| (k.to_owned(), v)).collect()
            }
            (Some(Value::Float(x)), Some(k)) => vec![(k.to_owned(), *x)],
            (Some(_), None) => {
                self.loss(
                    i,
                    LossKind::Dropped,
                    value_field,
                    "a benchmark without its type".into(),
                );
                Vec::new()
            }
            _ => Vec::new(),
        };
        if levels.is_empty() {
            return;
        }
        let Some(host) = r
            .text("MachineName")
            .and_then(|h| self.checked(i, "MachineName", h.to_owned()))
        else {
            self.loss(
                i,
                LossKind::Dropped,
                value_field,
                "UR 2.0 carries benchmarks on the execution host; the record has no MachineName"
                    .into(),
            );
            return;
        };
        out.push_str("<urf:ExecutionHost>");
        El { out: &mut *out }.leaf("urf:Hostname", &[], &host);
        for (k, v) in levels {
            if let Some(k) = self.checked(i, type_field, k) {
                El { out: &mut *out }.leaf("urf:Benchmark", &[("urf:type", &k)], &xsd_float(v));
            }
        }
        out.push_str("</urf:ExecutionHost>");
    }
}

impl El<'_> {
    fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (a, v) in attrs {
            self.out.push(' ');
            self.out.push_str(a);
            self.out.push_str("=\"");
            escape(v, true, self.out);
            self.out.push('"');
        }
    }

    fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start(name, attrs);
        self.out.push('>');
        escape(text, false, self.out);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start(name, attrs);
        self.out.push_str("/>");
    }
}

/// What the XML input holds that its records do not carry: every element (and the record
/// identity) of a record that the reader of its format does not map to a field.
fn input_losses(input: &[u8], msg: &Message<'_>, options: &Options, log: &mut Log) {
    if input.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'<') {
        return;
    }
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    let Ok(root) = xml::parse(text, options.limits.max_depth) else {
        return;
    };
    let index = LineIndex::new(input);
    let at = |e: &Element| index.position(input, e.offset);
    // The entry of each record element, in document order (StAR group attributes are entries
    // of their own, not elements).
    let entries: Vec<(usize, bool)> = msg
        .records
        .iter()
        .filter(|e| e.record.record_type() != RecordType::GroupAttribute)
        .map(|e| (e.index, e.valid))
        .collect();
    let ns = root.ns.clone().unwrap_or_default();
    let format = xsd::detect_format(input);
    let (record_names, mapped): (&[&str], MapFn<'_>) = match format {
        Some(Format::Car11 | Format::Car12) => (&["UsageRecord"], &car_mapping),
        Some(Format::Ur1) => (&["UsageRecord", "JobUsageRecord"], &ur1_mapping),
        Some(Format::Aur11 | Format::Aur12) => (&["SummaryRecord"], &aur_mapping),
        Some(Format::Ur2) => (&["UsageRecord"], &car_mapping),
        _ if ns == STAR_NS => (&["StorageUsageRecord"], &star_mapping),
        _ => return,
    };
    let records = std::iter::once(&root)
        .chain(root.all_descendants())
        .filter(|e| {
            e.ns.as_deref() == Some(ns.as_str()) && record_names.contains(&e.local.as_str())
        });
    for (r, &(i, valid)) in records.zip(&entries) {
        if !valid {
            continue;
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        // UR 2.0 maps by record type; the record element is the parent the mapping sees, so
        // that the type is known from its blocks.
        let ur2_type = crate::apel::xml_records::ur2_record_type(r);
        let typed = |e: &Element, parent: &str, ns: &str| {
            if format == Some(Format::Ur2) {
                ur2_mapping_for(ur2_type, e, parent, ns)
            } else {
                mapped(e, parent, ns)
            }
        };
        walk(r, &ns, &mut seen, &typed, &mut |e, why| {
            log.add(LossKind::Dropped, &e.local, why, i, Some(at(e)));
        });
    }
}

/// How a reader treats an element of a record.
enum Mapping {
    /// Read into a field (the first `n` occurrences; later ones are dropped).
    Read(usize),
    /// A container: its children are looked at.
    Container,
    /// A container of which only the first `n` are read (per parent).
    Block(usize),
    /// Not read, with the reason.
    Dropped(&'static str),
}

type MapFn<'m> = &'m dyn Fn(&Element, &str, &str) -> Mapping;

fn walk(
    e: &Element,
    ns: &str,
    seen: &mut HashMap<String, usize>,
    mapped: MapFn<'_>,
    report: &mut dyn FnMut(&Element, String),
) {
    for c in &e.children {
        let xml::Node::Element(c) = c else { continue };
        match mapped(c, &e.local, ns) {
            Mapping::Container => walk(c, ns, seen, mapped, report),
            Mapping::Block(n) => {
                let count = seen.entry(format!("{}@{}", c.local, e.offset)).or_insert(0);
                *count += 1;
                if *count > n {
                    report(
                        c,
                        format!(
                            "only the first {n} {} is read; this one is not carried",
                            c.local
                        ),
                    );
                } else {
                    walk(c, ns, seen, mapped, report);
                }
            }
            Mapping::Read(n) => {
                // Group attributes, memory and resources are read once per type (or
                // description), the rest once per parent.
                let kind = matches!(
                    c.local.as_str(),
                    "GroupAttribute" | "GlobalGroupAttribute" | "Memory" | "Resource"
                )
                .then(|| {
                    c.attrs
                        .iter()
                        .find(|(_, l, _)| l == "type" || l == "description")
                })
                .flatten()
                .map(|(_, _, v)| v.as_str())
                .unwrap_or_default();
                let key = format!("{}@{}|{kind}", c.local, e.offset);
                let count = seen.entry(key).or_insert(0);
                *count += 1;
                if *count > n {
                    report(
                        c,
                        format!(
                            "only the first {} is read; this one is not carried",
                            c.local
                        ),
                    );
                }
            }
            Mapping::Dropped(why) => report(c, why.to_owned()),
        }
    }
}

const NO_FIELD: &str = "no field of the APEL record carries it";

fn car_mapping(e: &Element, _parent: &str, ns: &str) -> Mapping {
    let type_attr = e.attr(Some(ns), "type");
    match e.local.as_str() {
        "JobIdentity" | "UserIdentity" => Mapping::Container,
        "RecordIdentity" => Mapping::Dropped("the record identity has no APEL field"),
        "LocalJobId" | "GlobalUserName" | "Group" | "LocalUserId" | "Infrastructure"
        | "WallDuration" | "EndTime" | "StartTime" | "MachineName" | "SubmitHost" | "Queue"
        | "Site" | "NodeCount" | "Processors" | "ServiceLevel" => Mapping::Read(1),
        "CpuDuration" => match e.attr(Some(ns), "usageType") {
            Some("all") | None => Mapping::Read(1),
            _ => Mapping::Dropped("APEL keeps the total CPU time only"),
        },
        "Status" if e.text().trim() == "completed" => Mapping::Read(1),
        "Status" => {
            Mapping::Dropped("APEL job records describe completed jobs; the status is not carried")
        }
        "GroupAttribute" => match type_attr {
            Some("FQAN" | "vo-group" | "vo-role" | "group" | "role") => Mapping::Read(1),
            _ => Mapping::Dropped("a group attribute of this type has no APEL field"),
        },
        "Memory" => match type_attr {
            Some("Physical" | "Virtual") => Mapping::Read(1),
            _ => Mapping::Dropped("only Physical and Virtual memory have APEL fields"),
        },
        _ => Mapping::Dropped(NO_FIELD),
    }
}

fn ur1_mapping(e: &Element, parent: &str, ns: &str) -> Mapping {
    match e.local.as_str() {
        "Resource" => match e.attr(Some(ns), "description") {
            Some(d) if UR1_RESOURCE_FIELDS.contains(&d) => Mapping::Read(1),
            _ => Mapping::Dropped(NO_FIELD),
        },
        "Group" => Mapping::Dropped(NO_FIELD),
        "Infrastructure" => Mapping::Dropped(NO_FIELD),
        "CpuDuration" => Mapping::Read(2),
        "ServiceLevel" => match e.attr(Some(ns), "type") {
            Some(_) => Mapping::Read(1),
            None => Mapping::Dropped("a service level without a type has no APEL field"),
        },
        "GroupAttribute" | "Site" => Mapping::Dropped(NO_FIELD),
        _ => car_mapping(e, parent, ns),
    }
}

fn aur_mapping(e: &Element, _parent: &str, ns: &str) -> Mapping {
    let car = if ns == crate::xsd::schemas::AUR11_NS {
        CAR11_NS
    } else {
        CAR_NS
    };
    match e.local.as_str() {
        "UserIdentity" => Mapping::Container,
        "Site" | "Month" | "Year" | "SubmitHost" | "Infrastructure" | "EarliestEndTime"
        | "LatestEndTime" | "WallDuration" | "CpuDuration" | "ServiceLevel" | "NumberOfJobs"
        | "NodeCount" | "Processors" | "GlobalUserName" | "Group" => Mapping::Read(1),
        "GroupAttribute" => match e.attr(Some(car), "type") {
            Some("vo-group" | "vo-role") => Mapping::Read(1),
            _ => Mapping::Dropped("a group attribute of this type has no APEL summary field"),
        },
        _ => Mapping::Dropped(NO_FIELD),
    }
}

fn star_mapping(e: &Element, _parent: &str, _ns: &str) -> Mapping {
    match e.local.as_str() {
        "SubjectIdentity" => Mapping::Container,
        "RecordIdentity"
        | "StorageSystem"
        | "Site"
        | "StorageShare"
        | "StorageMedia"
        | "StorageClass"
        | "FileCount"
        | "DirectoryPath"
        | "LocalUser"
        | "LocalGroup"
        | "UserIdentity"
        | "Group"
        | "StartTime"
        | "EndTime"
        | "ResourceCapacityUsed"
        | "LogicalCapacityUsed"
        | "ResourceCapacityAllocated"
        | "MeasureTime"
        | "ValidDuration" => Mapping::Read(1),
        // Group attributes are all carried: subgroup and role as fields, the others as
        // group-attribute records.
        "GroupAttribute" => Mapping::Read(usize::MAX),
        _ => Mapping::Dropped(NO_FIELD),
    }
}

/// What the UR 2.0 reader reads of a record of type `t` (see `xml_records::ur2_record`).
fn ur2_mapping_for(t: RecordType, e: &Element, parent: &str, ns: &str) -> Mapping {
    let job = matches!(t, RecordType::Job);
    let cloud = t == RecordType::Cloud;
    let storage = t == RecordType::Storage;
    let read = |yes: bool| {
        if yes {
            Mapping::Read(1)
        } else {
            Mapping::Dropped(NO_FIELD)
        }
    };
    let first = |yes: bool, n: usize| {
        if yes {
            Mapping::Block(n)
        } else {
            Mapping::Dropped("no field of this record type carries this block")
        }
    };
    let block = |yes: bool| first(yes, 1);
    match (parent, e.local.as_str()) {
        (_, "RecordIdentityBlock" | "SubjectIdentityBlock") => Mapping::Container,
        (_, "ComputeUsageBlock") => first(!storage, 1),
        (_, "JobUsageBlock") => block(job),
        (_, "MemoryUsageBlock") => {
            let class = crate::apel::xml_records::child(e, ns, "MemoryClass").map(|c| c.text());
            let known = matches!(
                class.as_deref().map(str::trim),
                Some("Physical" | "Virtual")
            );
            first(cloud || (job && known), if cloud { 1 } else { 2 })
        }
        (_, "StorageUsageBlock") => first(!job, 1),
        (_, "CloudUsageBlock") => block(cloud),
        (_, "NetworkUsageBlock") => first(cloud, 1),
        ("ComputeUsageBlock", "ExecutionHost") => Mapping::Block(1),
        ("ExecutionHost", "Hostname" | "Benchmark") => Mapping::Read(1),
        ("RecordIdentityBlock", "RecordId") => match t {
            RecordType::Storage => Mapping::Read(1),
            _ => Mapping::Dropped("the record id has no field in this record type"),
        },
        ("RecordIdentityBlock", "CreateTime") => read(!job),
        ("RecordIdentityBlock", "Site" | "Infrastructure") => Mapping::Read(1),
        ("SubjectIdentityBlock", "LocalUserId" | "GlobalUserId" | "GlobalGroupId") => {
            Mapping::Read(1)
        }
        ("SubjectIdentityBlock", "LocalGroupId") => read(!job),
        ("SubjectIdentityBlock", "GlobalGroupAttribute") => {
            let kinds: &[&str] = if storage {
                &["subgroup", "role"]
            } else {
                &["FQAN", "vo-group", "vo-role"]
            };
            read(e.attr(Some(ns), "type").is_some_and(|k| kinds.contains(&k)))
        }
        ("ComputeUsageBlock", "CpuDuration" | "WallDuration" | "StartTime" | "EndTime") => {
            Mapping::Read(1)
        }
        ("ComputeUsageBlock", "Processors") => Mapping::Read(1),
        ("ComputeUsageBlock", "NodeCount") => read(job),
        ("JobUsageBlock", "LocalJobId" | "MachineName" | "SubmitHost" | "Queue") => {
            Mapping::Read(1)
        }
        ("JobUsageBlock", "Status") if e.text().trim() == "completed" => Mapping::Read(1),
        ("JobUsageBlock", "Status") => {
            Mapping::Dropped("APEL job records describe completed jobs; the status is not carried")
        }
        ("MemoryUsageBlock", "MemoryClass" | "StartTime" | "EndTime") => Mapping::Read(1),
        ("MemoryUsageBlock", "MemoryResourceCapacityUsed") => Mapping::Read(1),
        ("MemoryUsageBlock", "MemoryResourceCapacityAllocated") => read(cloud),
        (
            "StorageUsageBlock",
            "StorageResourceCapacityUsed"
            | "StorageResourceCapacityAllocated"
            | "StartTime"
            | "EndTime",
        ) => Mapping::Read(1),
        (
            "StorageUsageBlock",
            "StorageShare"
            | "StorageMedia"
            | "StorageClass"
            | "DirectoryPath"
            | "FileCount"
            | "StorageLogicalCapacityUsed"
            | "Host",
        ) => read(storage),
        (
            "CloudUsageBlock",
            "GlobalVirtualMachineId" | "Status" | "SuspendDuration" | "ImageId" | "MachineName",
        ) => Mapping::Read(1),
        ("NetworkUsageBlock", "NetworkClass" | "NetworkInboundUsed" | "NetworkOutboundUsed") => {
            Mapping::Read(1)
        }
        _ => Mapping::Dropped(NO_FIELD),
    }
}
