//! The record schemas, written out as declarations for the validator in [`super`].
//!
//! - OGF UR 1.0 — GFD.98 `urf.xsd` (namespace `http://schema.ogf.org/urf/2003/09/urf`) with the
//!   `ds:KeyInfo` subtree of XML-DSig (`xmldsig-core-schema.xsd`) it imports.
//! - EMI CAR 1.1 — `car_v1.1.xsd` (namespace `…/2012/10/computerecord`).
//! - EMI AUR 1.1 — `car_aggregated_v1.1.xsd` (namespace `…/2012/10/aggregatedcomputerecord`).
//! - EMI CAR 1.2 / AUR 1.2 (namespaces `…/2012/11/…`): no XSD of 1.2 is public. The 1.2 models
//!   are the 1.1 ones with the two changes 1.2 documents and its producers rely on: the
//!   `GlobalUserName` `type` attribute (`opensslCompat` | `rfc2253`) and no second, mandatory
//!   `Charge` after the usage elements (an artefact of the 1.1 XSD that every 1.2 document,
//!   including the minimal instance generated from `car_v1.2.xsd`, lacks).
//!
//! Every declaration below cites the schema construct it mirrors; the interoperability suite
//! runs `xmllint --schema` over the same documents to confirm equal verdicts.

use super::simple::{Builtin as B, Pattern, SimpleType};
use super::{AttrDecl, Content, ElementDecl, Particle, QName, SchemaDef, Term, Wildcard};

/// OGF UR 1.0 (GFD.98).
pub(crate) const UR1_NS: &str = "http://schema.ogf.org/urf/2003/09/urf";
/// XML-DSig.
pub(crate) const DS_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// EMI CAR 1.1 (the namespace of `car_v1.1.xsd`).
pub(crate) const CAR11_NS: &str = "http://eu-emi.eu/namespaces/2012/10/computerecord";
/// EMI AUR 1.1.
pub(crate) const AUR11_NS: &str = "http://eu-emi.eu/namespaces/2012/10/aggregatedcomputerecord";
/// EMI CAR 1.2.
pub(crate) const CAR12_NS: &str = "http://eu-emi.eu/namespaces/2012/11/computerecord";
/// EMI AUR 1.2.
pub(crate) const AUR12_NS: &str = "http://eu-emi.eu/namespaces/2012/11/aggregatedcomputerecord";
/// OGF UR 2.0 (GFD.204).
pub(crate) const UR2_NS: &str = "http://schema.ogf.org/urf/2013/04/urf";

/// An XML record format, told by the namespace of the root element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// OGF Usage Record 1.0 (GFD.98).
    Ur1,
    /// EMI Compute Accounting Record 1.1 (namespace `2012/10`).
    Car11,
    /// EMI Compute Accounting Record 1.2 (namespace `2012/11`).
    Car12,
    /// EMI Aggregated CAR 1.1 (namespace `2012/10`).
    Aur11,
    /// EMI Aggregated CAR 1.2 (namespace `2012/11`).
    Aur12,
    /// OGF Usage Record 2.0 (GFD.204, namespace `2013/04`). No XSD file is public; the model is
    /// GFD.204's block structure as the Taverna JAXB binding encodes it.
    Ur2,
}

impl Format {
    /// A short stable name (`ur1`, `car-1.1`, …).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Ur1 => "ur1",
            Format::Car11 => "car-1.1",
            Format::Car12 => "car-1.2",
            Format::Aur11 => "aur-1.1",
            Format::Aur12 => "aur-1.2",
            Format::Ur2 => "ur2",
        }
    }

    /// The namespace of the format's elements.
    #[must_use]
    pub const fn namespace(self) -> &'static str {
        match self {
            Format::Ur1 => UR1_NS,
            Format::Car11 => CAR11_NS,
            Format::Car12 => CAR12_NS,
            Format::Aur11 => AUR11_NS,
            Format::Aur12 => AUR12_NS,
            Format::Ur2 => UR2_NS,
        }
    }

    /// Whether the built-in schema is all there is to check: no APEL records are read from the
    /// format (UR 1.0 and AUR), so `strict` validation is the schema pass alone.
    #[must_use]
    pub const fn is_schema_only(self) -> bool {
        matches!(
            self,
            Format::Ur1 | Format::Aur11 | Format::Aur12 | Format::Ur2
        )
    }

    /// All formats with a built-in schema.
    pub const ALL: &'static [Format] = &[
        Format::Ur1,
        Format::Car11,
        Format::Car12,
        Format::Aur11,
        Format::Aur12,
        Format::Ur2,
    ];

    pub(crate) fn schema(self) -> SchemaDef {
        match self {
            Format::Ur1 => ur1(),
            Format::Car11 => car(CAR11_NS, false).with_records(CAR_RECORDS_11),
            Format::Car12 => car(CAR12_NS, true).with_records(CAR_RECORDS_12),
            Format::Aur11 => aur(AUR11_NS, CAR11_NS, false),
            Format::Aur12 => aur(AUR12_NS, CAR12_NS, true),
            Format::Ur2 => ur2(),
        }
    }
}

/// The format whose namespace `ns` is.
pub(crate) fn detect(ns: &str) -> Option<Format> {
    Format::ALL.iter().copied().find(|f| f.namespace() == ns)
}

impl SchemaDef {
    fn with_records(mut self, records: &'static [QName]) -> Self {
        self.records = records;
        self
    }

    fn merge(mut self, other: SchemaDef) -> Self {
        self.globals.extend(other.globals);
        self
    }
}

const fn q(ns: &'static str, local: &'static str) -> QName {
    QName { ns, local }
}

const fn t(base: B) -> SimpleType {
    SimpleType::of(base)
}

fn el(name: QName, content: Content, attrs: Vec<AttrDecl>) -> ElementDecl {
    ElementDecl {
        name,
        content,
        attrs,
        is_abstract: false,
        substitutes: None,
    }
}

fn simple(ty: SimpleType) -> Content {
    Content::Simple(ty)
}

fn elements(particle: Particle) -> Content {
    Content::Elements {
        particle,
        mixed: false,
    }
}

fn opt_attr(name: QName, ty: SimpleType) -> AttrDecl {
    AttrDecl {
        name,
        ty,
        required: false,
    }
}

fn req_attr(name: QName, ty: SimpleType) -> AttrDecl {
    AttrDecl {
        name,
        ty,
        required: true,
    }
}

impl Particle {
    fn once(term: Term) -> Self {
        Particle {
            term,
            min: 1,
            max: Some(1),
        }
    }

    fn occurs(mut self, min: u32, max: Option<u32>) -> Self {
        self.min = min;
        self.max = max;
        self
    }

    /// `minOccurs="0"`.
    fn opt(self) -> Self {
        self.occurs(0, Some(1))
    }

    /// `minOccurs="0" maxOccurs="unbounded"`.
    fn any_number(self) -> Self {
        self.occurs(0, None)
    }

    /// `maxOccurs="unbounded"`.
    fn one_or_more(self) -> Self {
        self.occurs(1, None)
    }
}

fn r(name: QName) -> Particle {
    Particle::once(Term::Ref(name))
}

fn local(decl: ElementDecl) -> Particle {
    Particle::once(Term::Local(Box::new(decl)))
}

fn seq(items: Vec<Particle>) -> Particle {
    Particle::once(Term::Seq(items))
}

fn choice(items: Vec<Particle>) -> Particle {
    Particle::once(Term::Choice(items))
}

fn any_other(tns: &'static str) -> Particle {
    Particle::once(Term::Any(Wildcard {
        other_than: Some(tns),
    }))
}

/// `urf:domainNameType`: a host name by pattern, at most 255 characters.
const DOMAIN_NAME: SimpleType = SimpleType {
    base: B::String,
    enumeration: &[],
    pattern: Some(Pattern::DomainName),
    max_length: Some(255),
    min_inclusive: None,
    max_inclusive: None,
};

/// The `storageUnit` enumeration of GFD.98 and CAR (no TB).
const STORAGE_UNITS: &[&str] = &[
    "b", "B", "KB", "MB", "GB", "PB", "EB", "Kb", "Mb", "Gb", "Pb", "Eb",
];

/// The global attributes shared by UR 1.0 and CAR (`urf:description`, `urf:metric`, …).
struct UrAttrs {
    ns: &'static str,
}

impl UrAttrs {
    fn description(&self) -> AttrDecl {
        opt_attr(q(self.ns, "description"), t(B::String))
    }
    fn metric(&self) -> AttrDecl {
        opt_attr(q(self.ns, "metric"), t(B::Token))
    }
    fn type_(&self, required: bool) -> AttrDecl {
        AttrDecl {
            name: q(self.ns, "type"),
            ty: t(B::Token),
            required,
        }
    }
    fn unit(&self) -> AttrDecl {
        opt_attr(q(self.ns, "unit"), t(B::Token))
    }
    /// `attributeGroup intervallicVolume`: storageUnit, phaseUnit.
    fn intervallic_volume(&self) -> [AttrDecl; 2] {
        [
            opt_attr(
                q(self.ns, "storageUnit"),
                SimpleType::enumeration(B::Token, STORAGE_UNITS),
            ),
            opt_attr(q(self.ns, "phaseUnit"), t(B::Duration)),
        ]
    }
}

/// The declarations UR 1.0 and CAR share verbatim (same content, same attributes).
fn shared_ur_elements(ns: &'static str) -> Vec<ElementDecl> {
    let a = UrAttrs { ns };
    let n = |l| q(ns, l);
    let described = |base| simple(t(base));
    let consumable = |extra: Option<AttrDecl>| {
        let mut attrs = vec![opt_attr(n("units"), t(B::String)), a.description()];
        attrs.extend(extra);
        attrs
    };
    let [storage_unit, phase_unit] = a.intervallic_volume();
    vec![
        el(
            n("Network"),
            simple(t(B::PositiveInteger)),
            vec![a.description(), storage_unit, phase_unit, a.metric()],
        ),
        el(
            n("TimeDuration"),
            described(B::Duration),
            vec![a.type_(false)],
        ),
        el(
            n("TimeInstant"),
            described(B::DateTime),
            vec![a.type_(false)],
        ),
        el(
            n("WallDuration"),
            described(B::Duration),
            vec![a.description()],
        ),
        el(n("EndTime"), described(B::DateTime), vec![a.description()]),
        el(
            n("StartTime"),
            described(B::DateTime),
            vec![a.description()],
        ),
        el(n("JobName"), described(B::String), vec![a.description()]),
        el(
            n("ProjectName"),
            described(B::String),
            vec![a.description()],
        ),
        el(
            n("Charge"),
            described(B::Float),
            vec![
                a.description(),
                a.unit(),
                opt_attr(n("formula"), t(B::String)),
            ],
        ),
        el(n("Resource"), described(B::String), vec![a.description()]),
        el(
            n("ConsumableResource"),
            described(B::Float),
            consumable(None),
        ),
        el(
            n("PhaseResource"),
            described(B::Float),
            consumable(Some(phase_unit)),
        ),
        el(
            n("VolumeResource"),
            described(B::Float),
            consumable(Some(storage_unit)),
        ),
    ]
}

/// GFD.98 `urf.xsd`.
fn ur1() -> SchemaDef {
    let ns = UR1_NS;
    let n = |l| q(ns, l);
    let a = UrAttrs { ns };
    let [storage_unit, phase_unit] = a.intervallic_volume();
    let volume = |typed: bool| {
        let mut attrs = vec![a.description(), storage_unit, phase_unit, a.metric()];
        if typed {
            attrs.push(a.type_(false));
        }
        attrs
    };
    // complexType UsageRecordType.
    let usage_record_type = || {
        elements(seq(vec![
            r(n("RecordIdentity")),
            r(n("JobIdentity")).opt(),
            r(n("UserIdentity")).any_number(),
            r(n("JobName")).opt(),
            r(n("Charge")).opt(),
            r(n("Status")),
            choice(
                [
                    "Disk",
                    "Memory",
                    "Swap",
                    "Network",
                    "TimeDuration",
                    "TimeInstant",
                    "ServiceLevel",
                ]
                .into_iter()
                .map(|l| r(n(l)))
                .collect(),
            )
            .any_number(),
            choice(vec![
                r(n("WallDuration")).opt(),
                seq(vec![r(n("CpuDuration")).occurs(0, Some(2))]).opt(),
                r(n("NodeCount")).opt(),
                r(n("Processors")).opt(),
                r(n("EndTime")).opt(),
                r(n("StartTime")).opt(),
                r(n("MachineName")).opt(),
                r(n("SubmitHost")).opt(),
                r(n("Queue")).opt(),
                seq(vec![r(n("ProjectName")).any_number()]).opt(),
                seq(vec![r(n("Host")).any_number()]).opt(),
                seq(vec![resources(ns).any_number()]).opt(),
            ])
            .any_number(),
        ]))
    };
    let host_type = |extra: Vec<AttrDecl>| {
        let mut attrs = vec![a.description()];
        attrs.extend(extra);
        attrs
    };
    let mut globals = usage_group(ns, &["UsageRecord", "JobUsageRecord"], usage_record_type);
    globals.extend([
        el(n("Disk"), simple(t(B::PositiveInteger)), volume(true)),
        el(n("Memory"), simple(t(B::PositiveInteger)), volume(true)),
        el(n("Swap"), simple(t(B::PositiveInteger)), volume(true)),
        el(
            n("NodeCount"),
            simple(t(B::PositiveInteger)),
            vec![a.description(), a.metric()],
        ),
        el(
            n("Processors"),
            simple(t(B::PositiveInteger)),
            vec![
                a.description(),
                a.metric(),
                opt_attr(n("consumptionRate"), t(B::Float)),
            ],
        ),
        el(n("ServiceLevel"), simple(t(B::Token)), vec![a.type_(false)]),
        cpu_duration(ns, &["user", "system"]),
        el(n("MachineName"), simple(DOMAIN_NAME), host_type(vec![])),
        el(n("SubmitHost"), simple(DOMAIN_NAME), host_type(vec![])),
        el(
            n("Host"),
            simple(DOMAIN_NAME),
            host_type(vec![opt_attr(n("primary"), t(B::Boolean))]),
        ),
        el(n("Queue"), simple(t(B::String)), vec![a.description()]),
        el(n("Status"), simple(t(B::Token)), vec![a.description()]),
        el(
            n("JobIdentity"),
            elements(seq(vec![
                local(el(n("GlobalJobId"), simple(t(B::String)), vec![])).opt(),
                local(el(n("LocalJobId"), simple(t(B::String)), vec![])).opt(),
                seq(vec![
                    local(el(n("ProcessId"), simple(t(B::String)), vec![])).any_number(),
                ]),
            ])),
            vec![],
        ),
        el(
            n("UserIdentity"),
            elements(seq(vec![
                local(el(n("LocalUserId"), simple(t(B::String)), vec![])).opt(),
                local(el(n("GlobalUserName"), simple(t(B::String)), vec![])).opt(),
                r(q(DS_NS, "KeyInfo")).opt(),
            ])),
            vec![],
        ),
        el(
            n("RecordIdentity"),
            elements(seq(vec![r(q(DS_NS, "KeyInfo"))]).opt()),
            vec![
                req_attr(n("recordId"), t(B::Token)),
                opt_attr(n("createTime"), t(B::DateTime)),
            ],
        ),
    ]);
    globals.extend(shared_ur_elements(ns));
    SchemaDef {
        globals,
        records: UR1_RECORDS,
    }
    .merge(dsig_key_info())
}

const UR1_RECORDS: &[QName] = &[q(UR1_NS, "UsageRecord"), q(UR1_NS, "JobUsageRecord")];
const CAR_RECORDS_11: &[QName] = &[q(CAR11_NS, "UsageRecord")];
const CAR_RECORDS_12: &[QName] = &[q(CAR12_NS, "UsageRecord")];
const AUR_RECORDS_11: &[QName] = &[q(AUR11_NS, "SummaryRecord")];
const AUR_RECORDS_12: &[QName] = &[q(AUR12_NS, "SummaryRecord")];

/// OGF UR 2.0 (GFD.204 §3–§13): a record is a sequence of usage blocks. Every element is
/// global (one declaration per name, shared by the blocks that use it) and every attribute is
/// qualified.
fn ur2() -> SchemaDef {
    let ns = UR2_NS;
    let n = |l| q(ns, l);
    let plain = |l, base| el(n(l), simple(t(base)), vec![]);
    let with_attr = |l, base, attr, attr_base, required| {
        el(
            n(l),
            simple(t(base)),
            vec![AttrDecl {
                name: n(attr),
                ty: t(attr_base),
                required,
            }],
        )
    };
    let block = |l, items: Vec<Particle>| el(n(l), elements(seq(items)), vec![]);
    let usage_record_type = || {
        elements(seq(vec![
            r(n("RecordIdentityBlock")),
            r(n("SubjectIdentityBlock")).opt(),
            r(n("ComputeUsageBlock")).any_number(),
            r(n("JobUsageBlock")).opt(),
            r(n("MemoryUsageBlock")).any_number(),
            r(n("StorageUsageBlock")).any_number(),
            r(n("CloudUsageBlock")).opt(),
            r(n("NetworkUsageBlock")).any_number(),
        ]))
    };
    let mut globals = usage_group(ns, &["UsageRecord"], usage_record_type);
    for (l, base) in [
        ("RecordId", B::String),
        ("CreateTime", B::DateTime),
        ("Site", B::String),
        ("LocalUserId", B::String),
        ("LocalGroupId", B::String),
        ("GlobalUserId", B::String),
        ("GlobalGroupId", B::String),
        ("CpuDuration", B::Duration),
        ("WallDuration", B::Duration),
        ("StartTime", B::DateTime),
        ("EndTime", B::DateTime),
        ("HostType", B::String),
        ("Processors", B::PositiveInteger),
        ("NodeCount", B::PositiveInteger),
        ("ExitStatus", B::Integer),
        ("Charge", B::Decimal),
        ("ProcessId", B::PositiveInteger),
        ("GlobalJobId", B::String),
        ("LocalJobId", B::String),
        ("JobName", B::String),
        ("MachineName", B::String),
        ("SubmitHost", B::String),
        ("ServiceLevel", B::String),
        ("Status", B::String),
        ("MemoryClass", B::String),
        ("MemoryResourceCapacityUsed", B::NonNegativeInteger),
        ("MemoryResourceCapacityAllocated", B::NonNegativeInteger),
        ("MemoryResourceCapacityRequested", B::NonNegativeInteger),
        ("StorageShare", B::String),
        ("StorageMedia", B::String),
        ("StorageClass", B::String),
        ("DirectoryPath", B::String),
        ("FileCount", B::PositiveInteger),
        ("StorageResourceCapacityUsed", B::NonNegativeInteger),
        ("StorageLogicalCapacityUsed", B::NonNegativeInteger),
        ("StorageResourceCapacityAllocated", B::NonNegativeInteger),
        ("Host", B::String),
        ("LocalVirtualMachineId", B::String),
        ("GlobalVirtualMachineId", B::String),
        ("SuspendDuration", B::Duration),
        ("ImageId", B::String),
    ] {
        globals.push(plain(l, base));
    }
    globals.extend([
        with_attr("Infrastructure", B::String, "description", B::String, false),
        with_attr("GlobalGroupAttribute", B::String, "type", B::String, true),
        with_attr("Hostname", B::String, "primary", B::Boolean, false),
        with_attr("Benchmark", B::Float, "type", B::String, true),
        with_attr("SubmitType", B::String, "description", B::String, false),
        with_attr("Queue", B::String, "description", B::String, false),
        with_attr("TimeInstant", B::DateTime, "type", B::String, false),
        with_attr(
            "NetworkClass",
            B::String,
            "NetworkResourceBandwidth",
            B::PositiveInteger,
            false,
        ),
        with_attr(
            "NetworkInboundUsed",
            B::NonNegativeInteger,
            "SourceAddress",
            B::String,
            false,
        ),
        with_attr(
            "NetworkOutboundUsed",
            B::NonNegativeInteger,
            "DestinationAddress",
            B::String,
            false,
        ),
        block(
            "ExecutionHost",
            vec![
                r(n("Hostname")),
                r(n("ProcessId")).any_number(),
                r(n("Benchmark")).any_number(),
            ],
        ),
        block(
            "RecordIdentityBlock",
            vec![
                r(n("RecordId")),
                r(n("CreateTime")),
                r(n("Site")).opt(),
                r(n("Infrastructure")).opt(),
            ],
        ),
        block(
            "SubjectIdentityBlock",
            vec![
                r(n("LocalUserId")).opt(),
                r(n("LocalGroupId")).opt(),
                r(n("GlobalUserId")).opt(),
                r(n("GlobalGroupId")).opt(),
                r(n("GlobalGroupAttribute")).any_number(),
            ],
        ),
        block(
            "ComputeUsageBlock",
            vec![
                r(n("CpuDuration")),
                r(n("WallDuration")),
                r(n("StartTime")),
                r(n("EndTime")),
                r(n("ExecutionHost")).any_number(),
                r(n("HostType")).opt(),
                r(n("Processors")).opt(),
                r(n("NodeCount")).opt(),
                r(n("ExitStatus")).opt(),
                r(n("Charge")).opt(),
            ],
        ),
        block(
            "JobUsageBlock",
            vec![
                r(n("GlobalJobId")).opt(),
                r(n("LocalJobId")).opt(),
                r(n("JobName")).opt(),
                r(n("MachineName")).opt(),
                r(n("SubmitHost")).opt(),
                r(n("SubmitType")).opt(),
                r(n("Queue")).opt(),
                r(n("TimeInstant")).any_number(),
                r(n("ServiceLevel")).opt(),
                r(n("Status")),
            ],
        ),
        block(
            "MemoryUsageBlock",
            vec![
                r(n("MemoryClass")),
                r(n("MemoryResourceCapacityUsed")),
                r(n("MemoryResourceCapacityAllocated")).opt(),
                r(n("MemoryResourceCapacityRequested")).opt(),
                r(n("StartTime")),
                r(n("EndTime")),
                r(n("ExecutionHost")).opt(),
                r(n("HostType")).opt(),
                r(n("Charge")).opt(),
            ],
        ),
        block(
            "StorageUsageBlock",
            vec![
                r(n("StorageShare")).opt(),
                r(n("StorageMedia")).opt(),
                r(n("StorageClass")).opt(),
                r(n("DirectoryPath")).opt(),
                r(n("FileCount")).opt(),
                r(n("StorageResourceCapacityUsed")),
                r(n("StorageLogicalCapacityUsed")).opt(),
                r(n("StorageResourceCapacityAllocated")).opt(),
                r(n("StartTime")),
                r(n("EndTime")),
                r(n("Host")).opt(),
                r(n("HostType")).opt(),
                r(n("Charge")).opt(),
            ],
        ),
        block(
            "CloudUsageBlock",
            vec![
                r(n("LocalVirtualMachineId")).opt(),
                r(n("GlobalVirtualMachineId")).opt(),
                r(n("Status")),
                r(n("SuspendDuration")).opt(),
                r(n("ImageId")).opt(),
                r(n("MachineName")).opt(),
                r(n("SubmitHost")).opt(),
                r(n("TimeInstant")).any_number(),
                r(n("ServiceLevel")).opt(),
            ],
        ),
        block(
            "NetworkUsageBlock",
            vec![
                r(n("NetworkClass")),
                r(n("NetworkInboundUsed")),
                r(n("NetworkOutboundUsed")),
                r(n("Charge")).opt(),
            ],
        ),
    ]);
    SchemaDef {
        globals,
        records: UR2_RECORDS,
    }
}

const UR2_RECORDS: &[QName] = &[q(UR2_NS, "UsageRecord")];

/// The abstract `Usage` head, the record elements of its substitution group (all of
/// `UsageRecordType`) and the `UsageRecords` container of UR 1.0 and CAR.
fn usage_group(
    ns: &'static str,
    members: &[&'static str],
    usage_record_type: impl Fn() -> Content,
) -> Vec<ElementDecl> {
    let head = q(ns, "Usage");
    let mut group = vec![ElementDecl {
        is_abstract: true,
        ..el(head, usage_record_type(), vec![])
    }];
    group.extend(members.iter().map(|m| ElementDecl {
        substitutes: Some(head),
        ..el(q(ns, m), usage_record_type(), vec![])
    }));
    group.push(el(
        q(ns, "UsageRecords"),
        elements(seq(vec![r(head).any_number()])),
        vec![],
    ));
    group
}

/// `CpuDuration`: a duration with `description` and a `usageType` enumeration (UR 1.0: user,
/// system; CAR adds all).
fn cpu_duration(ns: &'static str, usage_types: &'static [&'static str]) -> ElementDecl {
    el(
        q(ns, "CpuDuration"),
        simple(t(B::Duration)),
        vec![
            UrAttrs { ns }.description(),
            opt_attr(
                q(ns, "usageType"),
                SimpleType::enumeration(B::Token, usage_types),
            ),
        ],
    )
}

/// `choice(PhaseResource, VolumeResource, Resource, ConsumableResource)`.
fn resources(ns: &'static str) -> Particle {
    choice(
        [
            "PhaseResource",
            "VolumeResource",
            "Resource",
            "ConsumableResource",
        ]
        .into_iter()
        .map(|l| r(q(ns, l)))
        .collect(),
    )
}

/// The CAR simple-content complex types the AUR schema reuses.
struct CarTypes {
    ns: &'static str,
}

impl CarTypes {
    fn a(&self) -> UrAttrs {
        UrAttrs { ns: self.ns }
    }
    /// `SiteType`: string, `urf:type` (string).
    fn site(&self) -> (Content, Vec<AttrDecl>) {
        (
            simple(t(B::String)),
            vec![opt_attr(q(self.ns, "type"), t(B::String))],
        )
    }
    /// `MemoryComplexType` (also Swap): positiveInteger, type required.
    fn memory(&self) -> (Content, Vec<AttrDecl>) {
        let a = self.a();
        let [su, pu] = a.intervallic_volume();
        (
            simple(t(B::PositiveInteger)),
            vec![a.description(), su, pu, a.metric(), a.type_(true)],
        )
    }
    fn node_count(&self) -> (Content, Vec<AttrDecl>) {
        let a = self.a();
        (
            simple(t(B::PositiveInteger)),
            vec![a.description(), a.metric()],
        )
    }
    fn processors(&self) -> (Content, Vec<AttrDecl>) {
        let a = self.a();
        (
            simple(t(B::PositiveInteger)),
            vec![
                a.description(),
                a.metric(),
                opt_attr(q(self.ns, "consumptionRate"), t(B::Float)),
            ],
        )
    }
    /// `ServiceLevelType`: float, type required.
    fn service_level(&self) -> (Content, Vec<AttrDecl>) {
        let a = self.a();
        (simple(t(B::Float)), vec![a.type_(true), a.description()])
    }
    /// `MachineNameComplexType` and `HostBaseType`.
    fn machine_name(&self) -> (Content, Vec<AttrDecl>) {
        (simple(DOMAIN_NAME), vec![self.a().description()])
    }
    fn queue(&self) -> (Content, Vec<AttrDecl>) {
        (simple(t(B::String)), vec![self.a().description()])
    }
    /// `InfrastructureType`: empty, description and type (grid | local, a string enumeration).
    fn infrastructure(&self) -> (Content, Vec<AttrDecl>) {
        (
            Content::Empty,
            vec![
                opt_attr(q(self.ns, "description"), t(B::String)),
                opt_attr(
                    q(self.ns, "type"),
                    SimpleType::enumeration(B::String, &["grid", "local"]),
                ),
            ],
        )
    }
    /// `MiddlewareType`: string; name required, version, description.
    fn middleware(&self) -> (Content, Vec<AttrDecl>) {
        (
            simple(t(B::String)),
            vec![
                req_attr(q(self.ns, "name"), t(B::String)),
                opt_attr(q(self.ns, "version"), t(B::String)),
                opt_attr(q(self.ns, "description"), t(B::String)),
            ],
        )
    }
    /// `UserIdentityBaseType`: GlobalUserName?, Group?, (GroupAttribute*)*. CAR 1.2 gives
    /// GlobalUserName a `type` attribute.
    fn user_identity_base(&self, v12: bool) -> Vec<Particle> {
        let ns = self.ns;
        let gun_attrs = if v12 {
            vec![opt_attr(
                q(ns, "type"),
                SimpleType::enumeration(B::Token, &["opensslCompat", "rfc2253"]),
            )]
        } else {
            vec![]
        };
        vec![
            local(el(q(ns, "GlobalUserName"), simple(t(B::String)), gun_attrs)).opt(),
            local(el(q(ns, "Group"), simple(t(B::String)), vec![])).opt(),
            seq(vec![
                local(el(
                    q(ns, "GroupAttribute"),
                    simple(t(B::String)),
                    vec![opt_attr(q(ns, "type"), t(B::String))],
                ))
                .any_number(),
            ])
            .any_number(),
        ]
    }
}

fn typed(name: QName, (content, attrs): (Content, Vec<AttrDecl>)) -> ElementDecl {
    el(name, content, attrs)
}

/// `car_v1.1.xsd` (and the CAR 1.2 model, `v12`).
fn car(ns: &'static str, v12: bool) -> SchemaDef {
    let n = |l| q(ns, l);
    let ct = CarTypes { ns };
    let usage_record_type = || {
        let mut outer = vec![
            r(n("RecordIdentity")),
            r(n("JobIdentity")),
            r(n("UserIdentity")),
            r(n("JobName")).opt(),
            r(n("Charge")).opt(),
            r(n("Status")),
            local(el(n("ExitStatus"), simple(t(B::Int)), vec![])).opt(),
            r(n("Infrastructure")),
            r(n("Middleware")).any_number(),
            seq(vec![
                r(n("WallDuration")),
                seq(vec![r(n("CpuDuration")).one_or_more()]).one_or_more(),
                r(n("ServiceLevel")).one_or_more(),
                r(n("Memory")).any_number(),
                r(n("Swap")).opt(),
                r(n("TimeInstant")).any_number(),
                r(n("NodeCount")).opt(),
                r(n("Processors")).opt(),
                r(n("EndTime")),
                r(n("StartTime")),
                r(n("MachineName")),
                r(n("SubmitHost")).opt(),
                r(n("Queue")).one_or_more(),
                typed(n("Site"), ct.site()).into_local().one_or_more(),
                seq(vec![r(n("ProjectName")).any_number()]).opt(),
                seq(vec![r(n("Host")).any_number()]).opt(),
                seq(vec![resources(ns).any_number()]).opt(),
            ]),
        ];
        if !v12 {
            // The 1.1 XSD ends the sequence with a second, mandatory Charge.
            outer.push(r(n("Charge")));
        }
        elements(seq(outer))
    };
    let mut user_identity = ct.user_identity_base(v12);
    user_identity.push(seq(vec![
        local(el(n("LocalUserId"), simple(t(B::String)), vec![])),
        local(el(n("LocalGroup"), simple(t(B::String)), vec![])).opt(),
    ]));
    let mut globals = usage_group(ns, &["UsageRecord"], usage_record_type);
    globals.extend([
        typed(n("Memory"), ct.memory()),
        typed(n("Swap"), ct.memory()),
        typed(n("NodeCount"), ct.node_count()),
        typed(n("Processors"), ct.processors()),
        typed(n("ServiceLevel"), ct.service_level()),
        cpu_duration(ns, &["user", "system", "all"]),
        typed(n("MachineName"), ct.machine_name()),
        el(n("SubmitHost"), simple(t(B::String)), vec![]),
        {
            let (c, mut attrs) = ct.machine_name();
            attrs.push(opt_attr(n("primary"), t(B::Boolean)));
            el(n("Host"), c, attrs)
        },
        typed(n("Queue"), ct.queue()),
        el(
            n("Status"),
            simple(SimpleType::enumeration(
                B::Token,
                &[
                    "aborted",
                    "completed",
                    "failed",
                    "held",
                    "queued",
                    "started",
                    "suspended",
                ],
            )),
            vec![],
        ),
        el(
            n("JobIdentity"),
            elements(seq(vec![
                local(el(n("GlobalJobId"), simple(t(B::String)), vec![])).opt(),
                local(el(n("LocalJobId"), simple(t(B::String)), vec![])),
                seq(vec![
                    local(el(n("ProcessId"), simple(t(B::String)), vec![])).any_number(),
                ]),
            ])),
            vec![],
        ),
        el(
            n("RecordIdentity"),
            Content::Empty,
            vec![
                req_attr(n("recordId"), t(B::Token)),
                req_attr(n("createTime"), t(B::DateTime)),
            ],
        ),
        typed(n("Infrastructure"), ct.infrastructure()),
        typed(n("Middleware"), ct.middleware()),
        el(n("UserIdentity"), elements(seq(user_identity)), vec![]),
    ]);
    globals.extend(shared_ur_elements(ns));
    SchemaDef {
        globals,
        records: &[],
    }
}

impl ElementDecl {
    fn into_local(self) -> Particle {
        local(self)
    }
}

/// `car_aggregated_v1.1.xsd` (and the AUR 1.2 model): `aur_ns` for its own elements, `car_ns`
/// for the CAR types it imports. Its local attributes are unqualified (no
/// `attributeFormDefault`), those of the imported CAR types qualified.
fn aur(aur_ns: &'static str, car_ns: &'static str, v12: bool) -> SchemaDef {
    let n = |l| q(aur_ns, l);
    let ct = CarTypes { ns: car_ns };
    let summary_record_type = || {
        let month = SimpleType {
            min_inclusive: Some(1),
            max_inclusive: Some(12),
            ..t(B::Int)
        };
        let year = SimpleType {
            pattern: Some(Pattern::FourDigits),
            ..t(B::Int)
        };
        let plain = |l, base| local(el(n(l), simple(t(base)), vec![]));
        let host = {
            let (c, mut attrs) = ct.machine_name();
            attrs.push(opt_attr(q("", "primary"), t(B::Boolean)));
            el(n("Host"), c, attrs)
        };
        let service_level = typed(n("ServiceLevel"), ct.service_level());
        elements(seq(vec![
            typed(n("Site"), ct.site()).into_local(),
            local(el(n("Month"), simple(month), vec![])),
            local(el(n("Year"), simple(year), vec![])),
            local(el(
                n("UserIdentity"),
                elements(seq(ct.user_identity_base(v12))),
                vec![],
            )),
            typed(n("MachineName"), ct.machine_name())
                .into_local()
                .opt(),
            plain("SubmitHost", B::String).opt(),
            local(host).opt(),
            typed(n("Queue"), ct.queue()).into_local().opt(),
            typed(n("Infrastructure"), ct.infrastructure()).into_local(),
            typed(n("Middleware"), ct.middleware()).into_local().opt(),
            plain("EarliestEndTime", B::DateTime),
            plain("LatestEndTime", B::DateTime),
            plain("WallDuration", B::Duration),
            plain("CpuDuration", B::Duration),
            local(service_level),
            plain("NumberOfJobs", B::Integer),
            typed(n("Memory"), ct.memory()).into_local().any_number(),
            typed(n("Swap"), ct.memory()).into_local().opt(),
            typed(n("NodeCount"), ct.node_count()).into_local().opt(),
            typed(n("Processors"), ct.processors()).into_local().opt(),
        ]))
    };
    let globals = vec![
        el(n("SummaryRecord"), summary_record_type(), vec![]),
        el(
            n("SummaryRecords"),
            elements(seq(vec![
                local(el(n("SummaryRecord"), summary_record_type(), vec![])).any_number(),
            ])),
            vec![],
        ),
    ];
    let records = if aur_ns == AUR11_NS {
        AUR_RECORDS_11
    } else {
        AUR_RECORDS_12
    };
    // The imported CAR schema's global elements are valid roots too.
    let car = car(car_ns, v12);
    SchemaDef { globals, records }.merge(car)
}

/// The `ds:KeyInfo` family of XML-DSig (`xmldsig-core-schema.xsd`), imported by GFD.98. Its
/// attributes are unqualified.
fn dsig_key_info() -> SchemaDef {
    let n = |l| q(DS_NS, l);
    let crypto = |l| local(el(n(l), simple(t(B::Base64Binary)), vec![]));
    let id = || opt_attr(q("", "Id"), t(B::Id));
    let uri = |l| opt_attr(q("", l), t(B::AnyUri));
    let mixed = |particle| Content::Elements {
        particle,
        mixed: true,
    };
    let globals = vec![
        el(
            n("KeyInfo"),
            mixed(
                choice(vec![
                    r(n("KeyName")),
                    r(n("KeyValue")),
                    r(n("RetrievalMethod")),
                    r(n("X509Data")),
                    r(n("PGPData")),
                    r(n("SPKIData")),
                    r(n("MgmtData")),
                    any_other(DS_NS),
                ])
                .one_or_more(),
            ),
            vec![id()],
        ),
        el(n("KeyName"), simple(t(B::String)), vec![]),
        el(n("MgmtData"), simple(t(B::String)), vec![]),
        el(
            n("KeyValue"),
            mixed(choice(vec![
                r(n("DSAKeyValue")),
                r(n("RSAKeyValue")),
                any_other(DS_NS),
            ])),
            vec![],
        ),
        el(
            n("DSAKeyValue"),
            elements(seq(vec![
                seq(vec![crypto("P"), crypto("Q")]).opt(),
                crypto("G").opt(),
                crypto("Y"),
                crypto("J").opt(),
                seq(vec![crypto("Seed"), crypto("PgenCounter")]).opt(),
            ])),
            vec![],
        ),
        el(
            n("RSAKeyValue"),
            elements(seq(vec![crypto("Modulus"), crypto("Exponent")])),
            vec![],
        ),
        el(
            n("RetrievalMethod"),
            elements(seq(vec![r(n("Transforms")).opt()])),
            vec![uri("URI"), uri("Type")],
        ),
        el(
            n("Transforms"),
            elements(seq(vec![r(n("Transform")).one_or_more()])),
            vec![],
        ),
        el(
            n("Transform"),
            mixed(
                choice(vec![
                    any_other(DS_NS),
                    local(el(n("XPath"), simple(t(B::String)), vec![])),
                ])
                .any_number(),
            ),
            vec![req_attr(q("", "Algorithm"), t(B::AnyUri))],
        ),
        el(
            n("X509Data"),
            elements(
                seq(vec![choice(vec![
                    local(el(
                        n("X509IssuerSerial"),
                        elements(seq(vec![
                            local(el(n("X509IssuerName"), simple(t(B::String)), vec![])),
                            local(el(n("X509SerialNumber"), simple(t(B::Integer)), vec![])),
                        ])),
                        vec![],
                    )),
                    crypto("X509SKI"),
                    local(el(n("X509SubjectName"), simple(t(B::String)), vec![])),
                    crypto("X509Certificate"),
                    crypto("X509CRL"),
                    any_other(DS_NS),
                ])])
                .one_or_more(),
            ),
            vec![],
        ),
        el(
            n("PGPData"),
            elements(choice(vec![
                seq(vec![
                    crypto("PGPKeyID"),
                    crypto("PGPKeyPacket").opt(),
                    any_other(DS_NS).any_number(),
                ]),
                seq(vec![crypto("PGPKeyPacket"), any_other(DS_NS).any_number()]),
            ])),
            vec![],
        ),
        el(
            n("SPKIData"),
            elements(seq(vec![crypto("SPKISexp"), any_other(DS_NS).opt()]).one_or_more()),
            vec![],
        ),
    ];
    SchemaDef {
        globals,
        records: &[],
    }
}
