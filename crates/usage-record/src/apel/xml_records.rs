//! Records read from the XML formats apel does not load: OGF UR 1.0 job records (as APEL job
//! records), EMI AUR summary records (as APEL summary records) and OGF UR 2.0 records (as job,
//! cloud or storage records). The `strict` profile reads them after the schema pass, for
//! conversion; their values are typed but the APEL record rules are not applied (a UR 1.0
//! record need not carry what an APEL record must): converting to APEL text checks those.
//!
//! What a record holds that no field of its APEL record type can carry is reported by
//! [`crate::convert`] as a loss, never silently dropped.

use super::message::{Entry, Message};
use super::schema::{Kind, RecordType};
use super::value::{Value, iso2seconds, parse_timestamp, py_float};
use crate::finding::{Code, Finding, Severity};
use crate::xml::Element;
use fedcloud_core::{LineIndex, Position};
use std::borrow::Cow;

use crate::xsd::schemas::{UR1_NS, UR2_NS};

/// The APEL job fields a UR 1.0 record carries as `urf:Resource` elements, their
/// `urf:description` naming the field: UR 1.0 has no element for them.
pub(crate) const UR1_RESOURCE_FIELDS: [&str; 7] = [
    "Site",
    "VO",
    "VOGroup",
    "VORole",
    "FQAN",
    "InfrastructureDescription",
    "InfrastructureType",
];

/// Bytes per `storageUnit` (GFD.98 §, the CAR and UR 2.0 schemas reuse it). `None` for a unit
/// that is not a whole number of bytes per unit (bits are handled by the caller).
pub(crate) fn unit_bits(unit: &str) -> Option<u128> {
    Some(match unit {
        "b" => 1,
        "B" => 8,
        "Kb" => 1 << 10,
        "KB" => 8 << 10,
        "Mb" => 1 << 20,
        "MB" => 8 << 20,
        "Gb" => 1 << 30,
        "GB" => 8 << 30,
        "TB" => 8 << 40,
        "Tb" => 1 << 40,
        "Pb" => 1 << 50,
        "PB" => 8 << 50,
        "Eb" => 1 << 60,
        "EB" => 8 << 60,
        _ => return None,
    })
}

/// `amount` `unit` in KiB (the unit of APEL's job memory fields), when it is a whole number.
pub(crate) fn to_kib(amount: &str, unit: &str) -> Option<i64> {
    let n: u128 = amount.trim().parse().ok()?;
    let bits = n.checked_mul(unit_bits(unit)?)?;
    (bits % 8192 == 0)
        .then_some(bits / 8192)
        .and_then(|k| i64::try_from(k).ok())
}

/// Reads the values of one record element into a record, without the record rules.
pub(crate) struct Reader<'d> {
    pub(crate) text: &'d str,
    pub(crate) index: &'d LineIndex,
    pub(crate) record: super::Record<'static>,
    pub(crate) record_index: usize,
    pub(crate) findings: Vec<Finding>,
}

impl<'d> Reader<'d> {
    pub(crate) fn new(
        text: &'d str,
        index: &'d LineIndex,
        record_type: RecordType,
        record_index: usize,
    ) -> Self {
        Self {
            text,
            index,
            record: super::Record::new(record_type),
            record_index,
            findings: Vec::new(),
        }
    }

    pub(crate) fn position(&self, offset: usize) -> Position {
        self.index.position(self.text.as_bytes(), offset)
    }

    fn error(&mut self, at: &Element, field: &str, code: Code, message: String) {
        self.findings.push(Finding::new(
            Some(self.record_index),
            self.position(at.offset),
            Some(field),
            code,
            Severity::Error,
            message,
        ));
    }

    /// Stores a typed value.
    pub(crate) fn typed(&mut self, field: &str, value: Value<'static>) {
        // Every caller names a field of the record type.
        let _ = self.record.set(field, Some(value));
    }

    /// Types `raw` (trimmed) by the field's kind and stores it; a finding when it does not fit.
    pub(crate) fn value(&mut self, field: &str, raw: &str, at: &Element) {
        let raw = raw.trim();
        let Some(kind) = self
            .record
            .record_type()
            .field_index(field)
            .and_then(|i| self.record.record_type().fields().get(i))
            .map(|f| f.kind)
        else {
            return;
        };
        let value = match kind {
            Kind::Text(_) => Ok(Value::Text(Cow::Owned(raw.to_owned()))),
            Kind::Int32 | Kind::Int64 => raw.parse::<i64>().map(Value::Int).map_err(|_| {
                (
                    Code::IntegerOutOfRange,
                    format!("{raw:?} is not an integer of 64 bits"),
                )
            }),
            Kind::Float | Kind::Benchmark { .. } => py_float(raw, false)
                .filter(|x| x.is_finite())
                .map(Value::Float)
                .ok_or_else(|| {
                    (
                        Code::InvalidFloat,
                        format!("{raw:?} is not a finite number"),
                    )
                }),
            Kind::DateTime => parse_timestamp(raw)
                .map(Value::Time)
                .map_err(|e| (Code::InvalidDateTime, e)),
        };
        match value {
            Ok(v) => self.typed(field, v),
            Err((code, message)) => self.error(at, field, code, message),
        }
    }

    /// An ISO 8601 duration in whole seconds.
    pub(crate) fn duration(&mut self, field: &str, at: &Element) {
        match iso2seconds(at.text().trim()) {
            Some(s) => self.typed(field, Value::Int(s)),
            None => self.error(
                at,
                field,
                Code::InvalidInteger,
                format!("{:?} is not a duration of 64-bit seconds", at.text().trim()),
            ),
        }
    }

    /// A memory amount with its `storageUnit`, in KiB.
    pub(crate) fn memory(&mut self, field: &str, at: &Element, unit: Option<&str>) {
        match unit.and_then(|u| to_kib(&at.text(), u)) {
            Some(k) => self.typed(field, Value::Int(k)),
            None => self.error(
                at,
                field,
                Code::InvalidInteger,
                format!(
                    "{} {} is not a whole number of KiB (a storageUnit is needed)",
                    at.text().trim(),
                    unit.unwrap_or("(no storageUnit)")
                ),
            ),
        }
    }

    /// The record as an entry of the message: valid when no error concerns it.
    pub(crate) fn finish(self, position: Position, msg: &mut Message<'_>) {
        let valid = !self.findings.iter().any(Finding::is_error)
            && !msg
                .findings
                .iter()
                .any(|f| f.is_error() && f.record == Some(self.record_index));
        msg.findings.extend(self.findings);
        msg.records.push(Entry {
            index: self.record_index,
            position,
            record: self.record,
            valid,
        });
    }
}

/// The direct child elements of `e` in namespace `ns` named `local`.
pub(crate) fn children<'e>(
    e: &'e Element,
    ns: &'e str,
    local: &'e str,
) -> impl Iterator<Item = &'e Element> + 'e {
    e.children.iter().filter_map(move |c| match c {
        crate::xml::Node::Element(c) if c.ns.as_deref() == Some(ns) && c.local == local => Some(c),
        _ => None,
    })
}

/// The first direct child `ns:local`.
pub(crate) fn child<'e>(e: &'e Element, ns: &'e str, local: &'e str) -> Option<&'e Element> {
    children(e, ns, local).next()
}

/// One UR 1.0 `UsageRecord` / `JobUsageRecord` as an APEL job record.
pub(crate) fn ur1_record(r: &Element, reader: &mut Reader<'_>) {
    let ns = UR1_NS;
    if let Some(j) = child(r, ns, "JobIdentity")
        && let Some(e) = child(j, ns, "LocalJobId")
    {
        reader.value("LocalJobId", &e.text(), e);
    }
    if let Some(u) = child(r, ns, "UserIdentity") {
        for name in ["LocalUserId", "GlobalUserName"] {
            if let Some(e) = child(u, ns, name) {
                reader.value(name, &e.text(), e);
            }
        }
    }
    if let Some(e) = child(r, ns, "WallDuration") {
        reader.duration("WallDuration", e);
    }
    cpu_duration(r, ns, &["all"], reader);
    for name in [
        "NodeCount",
        "Processors",
        "StartTime",
        "EndTime",
        "MachineName",
        "SubmitHost",
        "Queue",
    ] {
        if let Some(e) = child(r, ns, name) {
            reader.value(name, &e.text(), e);
        }
    }
    memory(r, ns, reader);
    if let Some(e) = child(r, ns, "ServiceLevel") {
        reader.value("ServiceLevel", &e.text(), e);
        if let Some(t) = e.attr(Some(ns), "type") {
            reader.value("ServiceLevelType", t, e);
        }
    }
    for e in children(r, ns, "Resource") {
        if let Some(field) = e
            .attr(Some(ns), "description")
            .and_then(|d| UR1_RESOURCE_FIELDS.iter().find(|f| **f == d))
        {
            reader.value(field, &e.text(), e);
        }
    }
}

/// The CPU time: the one `CpuDuration` whose `usageType` is one of `total_types` or absent, else
/// the sum of the `user` and `system` ones.
pub(crate) fn cpu_duration(r: &Element, ns: &str, total_types: &[&str], reader: &mut Reader<'_>) {
    let all: Vec<&Element> = children(r, ns, "CpuDuration").collect();
    let total = all.iter().find(|c| {
        c.attr(Some(ns), "usageType")
            .is_none_or(|t| total_types.contains(&t))
    });
    if let Some(e) = total {
        reader.duration("CpuDuration", e);
        return;
    }
    let parts: Vec<Option<i64>> = all.iter().map(|c| iso2seconds(c.text().trim())).collect();
    if let Some(first) = all.first() {
        match parts.iter().try_fold(0i64, |a, p| a.checked_add((*p)?)) {
            Some(sum) => reader.typed("CpuDuration", Value::Int(sum)),
            None => reader.error(
                first,
                "CpuDuration",
                Code::InvalidInteger,
                "the user and system CPU durations do not add up to 64-bit seconds".into(),
            ),
        }
    }
}

/// `Memory` elements typed `Physical` and `Virtual`: `MemoryReal` and `MemoryVirtual`, in KiB.
pub(crate) fn memory(r: &Element, ns: &str, reader: &mut Reader<'_>) {
    for (field, kind) in [("MemoryReal", "Physical"), ("MemoryVirtual", "Virtual")] {
        if let Some(e) = children(r, ns, "Memory").find(|m| m.attr(Some(ns), "type") == Some(kind))
        {
            reader.memory(field, e, e.attr(Some(ns), "storageUnit"));
        }
    }
}

/// One AUR `SummaryRecord` as an APEL summary record. `aur` is the AUR namespace, `car` the
/// CAR namespace of its imported types (the user identity and the attributes).
pub(crate) fn aur_record(r: &Element, aur: &str, car: &str, reader: &mut Reader<'_>) {
    for name in ["Site", "Month", "Year", "SubmitHost"] {
        if let Some(e) = child(r, aur, name) {
            reader.value(name, &e.text(), e);
        }
    }
    if let Some(u) = child(r, aur, "UserIdentity") {
        if let Some(e) = child(u, car, "GlobalUserName") {
            reader.value("GlobalUserName", &e.text(), e);
        }
        if let Some(e) = child(u, car, "Group") {
            reader.value("VO", &e.text(), e);
        }
        for (field, kind) in [("VOGroup", "vo-group"), ("VORole", "vo-role")] {
            if let Some(e) =
                children(u, car, "GroupAttribute").find(|g| g.attr(Some(car), "type") == Some(kind))
            {
                reader.value(field, &e.text(), e);
            }
        }
    }
    if let Some(e) = child(r, aur, "Infrastructure") {
        if let Some(t) = e.attr(Some(car), "type") {
            reader.value("InfrastructureType", t, e);
        }
        if let Some(d) = e.attr(Some(car), "description") {
            reader.value("InfrastructureDescription", d, e);
        }
    }
    for name in ["EarliestEndTime", "LatestEndTime"] {
        if let Some(e) = child(r, aur, name) {
            reader.value(name, &e.text(), e);
        }
    }
    for name in ["WallDuration", "CpuDuration"] {
        if let Some(e) = child(r, aur, name) {
            reader.duration(name, e);
        }
    }
    if let Some(e) = child(r, aur, "ServiceLevel") {
        reader.value("ServiceLevel", &e.text(), e);
        if let Some(t) = e.attr(Some(car), "type") {
            reader.value("ServiceLevelType", t, e);
        }
    }
    for name in ["NumberOfJobs", "NodeCount", "Processors"] {
        if let Some(e) = child(r, aur, name) {
            reader.value(name, &e.text(), e);
        }
    }
}

/// The APEL record type a UR 2.0 record reads as: cloud with a `CloudUsageBlock`, storage with
/// a `StorageUsageBlock` and no compute or job block, job otherwise.
pub(crate) fn ur2_record_type(r: &Element) -> RecordType {
    let ns = UR2_NS;
    if child(r, ns, "CloudUsageBlock").is_some() {
        RecordType::Cloud
    } else if child(r, ns, "StorageUsageBlock").is_some()
        && child(r, ns, "ComputeUsageBlock").is_none()
        && child(r, ns, "JobUsageBlock").is_none()
    {
        RecordType::Storage
    } else {
        RecordType::Job
    }
}

/// Bytes per KiB, MiB and GiB: the units of APEL's job memory (KiB), cloud memory (MiB) and
/// cloud disk and network (GiB). UR 2.0 capacities are in bytes.
pub(crate) const KIB: i64 = 1 << 10;
/// See [`KIB`].
pub(crate) const MIB: i64 = 1 << 20;
/// See [`KIB`].
pub(crate) const GIB: i64 = 1 << 30;

impl Reader<'_> {
    /// A byte count stored in `unit`-sized units, when it is a whole number of them.
    fn bytes_in(&mut self, field: &str, at: &Element, unit: i64) {
        let raw = at.text();
        match raw.trim().parse::<i64>() {
            Ok(b) if b % unit == 0 => self.typed(field, Value::Int(b / unit)),
            _ => self.error(
                at,
                field,
                Code::InvalidInteger,
                format!(
                    "{:?} bytes is not a whole number of the field's unit ({unit} bytes)",
                    raw.trim()
                ),
            ),
        }
    }
}

/// The fields a UR 2.0 record takes from each APEL record type: the site, the subject identity
/// (local user and group, global user and group) and the group attributes by type. The reader
/// and the writer (`crate::convert`) share it, so the two directions cannot drift apart.
pub(crate) struct Ur2Names {
    pub(crate) site: &'static str,
    pub(crate) local_user: &'static str,
    pub(crate) local_group: &'static str,
    pub(crate) global_user: &'static str,
    pub(crate) group: &'static str,
    pub(crate) attributes: &'static [(&'static str, &'static str)],
}

const UR2_JOB: Ur2Names = Ur2Names {
    site: "Site",
    local_user: "LocalUserId",
    local_group: "LocalGroupId",
    global_user: "GlobalUserName",
    group: "VO",
    attributes: &[
        ("FQAN", "FQAN"),
        ("VOGroup", "vo-group"),
        ("VORole", "vo-role"),
    ],
};
const UR2_CLOUD: Ur2Names = Ur2Names {
    site: "SiteName",
    ..UR2_JOB
};
const UR2_STORAGE: Ur2Names = Ur2Names {
    site: "Site",
    local_user: "LocalUser",
    local_group: "LocalGroup",
    global_user: "UserIdentity",
    group: "Group",
    attributes: &[("SubGroup", "subgroup"), ("Role", "role")],
};

/// The names of record type `t`.
pub(crate) fn ur2_names(t: RecordType) -> &'static Ur2Names {
    match t {
        RecordType::Cloud => &UR2_CLOUD,
        RecordType::Storage => &UR2_STORAGE,
        _ => &UR2_JOB,
    }
}

/// The optional storage details UR 2.0's StorageUsageBlock and StAR share by name.
pub(crate) const UR2_STORAGE_DETAILS: [&str; 5] = [
    "StorageShare",
    "StorageMedia",
    "StorageClass",
    "DirectoryPath",
    "FileCount",
];

/// One UR 2.0 `UsageRecord` as a job, cloud or storage record (see [`ur2_record_type`]). The
/// mapping is the inverse of what [`crate::convert`] writes; what it does not read is reported
/// there as lost.
pub(crate) fn ur2_record(r: &Element, reader: &mut Reader<'_>) {
    let ns = UR2_NS;
    let t = reader.record.record_type();
    let names = ur2_names(t);
    if let Some(b) = child(r, ns, "RecordIdentityBlock") {
        match t {
            RecordType::Storage => {
                for (f, l) in [("RecordId", "RecordId"), ("CreateTime", "CreateTime")] {
                    if let Some(e) = child(b, ns, l) {
                        reader.value(f, &e.text(), e);
                    }
                }
            }
            RecordType::Cloud => {
                if let Some(e) = child(b, ns, "CreateTime") {
                    reader.value("RecordCreateTime", &e.text(), e);
                }
            }
            _ => {}
        }
        if let Some(e) = child(b, ns, "Site") {
            reader.value(names.site, &e.text(), e);
        }
        if let Some(e) = child(b, ns, "Infrastructure") {
            let (text_field, description_field) = match t {
                RecordType::Cloud => ("CloudComputeService", "CloudType"),
                _ => ("InfrastructureType", "InfrastructureDescription"),
            };
            if !e.text().trim().is_empty() {
                reader.value(text_field, &e.text(), e);
            }
            if let Some(d) = e.attr(Some(ns), "description") {
                reader.value(description_field, d, e);
            }
        }
    }
    if let Some(b) = child(r, ns, "SubjectIdentityBlock") {
        for (f, l) in [
            (names.local_user, "LocalUserId"),
            (names.local_group, "LocalGroupId"),
            (names.global_user, "GlobalUserId"),
            (names.group, "GlobalGroupId"),
        ] {
            if let Some(e) = child(b, ns, l) {
                reader.value(f, &e.text(), e);
            }
        }
        for (f, kind) in names.attributes {
            if let Some(e) = children(b, ns, "GlobalGroupAttribute")
                .find(|g| g.attr(Some(ns), "type") == Some(kind))
            {
                reader.value(f, &e.text(), e);
            }
        }
    }
    if let Some(b) = child(r, ns, "ComputeUsageBlock") {
        for f in ["CpuDuration", "WallDuration"] {
            if let Some(e) = child(b, ns, f) {
                reader.duration(f, e);
            }
        }
        for f in ["StartTime", "EndTime", "NodeCount"] {
            if let Some(e) = child(b, ns, f) {
                reader.value(f, &e.text(), e);
            }
        }
        if let Some(e) = child(b, ns, "Processors") {
            let f = if t == RecordType::Cloud {
                "CpuCount"
            } else {
                "Processors"
            };
            reader.value(f, &e.text(), e);
        }
        if let Some(e) = child(b, ns, "ExecutionHost").and_then(|h| child(h, ns, "Benchmark")) {
            let (type_field, value_field) = if t == RecordType::Cloud {
                ("BenchmarkType", "Benchmark")
            } else {
                ("ServiceLevelType", "ServiceLevel")
            };
            reader.value(value_field, &e.text(), e);
            if let Some(k) = e.attr(Some(ns), "type") {
                reader.value(type_field, k, e);
            }
        }
    }
    if t == RecordType::Job
        && let Some(b) = child(r, ns, "JobUsageBlock")
    {
        for f in ["LocalJobId", "MachineName", "SubmitHost", "Queue"] {
            if let Some(e) = child(b, ns, f) {
                reader.value(f, &e.text(), e);
            }
        }
    }
    if t == RecordType::Cloud
        && let Some(b) = child(r, ns, "CloudUsageBlock")
    {
        for (f, l) in [
            ("VMUUID", "GlobalVirtualMachineId"),
            ("Status", "Status"),
            ("ImageId", "ImageId"),
            ("MachineName", "MachineName"),
        ] {
            if let Some(e) = child(b, ns, l) {
                reader.value(f, &e.text(), e);
            }
        }
        if let Some(e) = child(b, ns, "SuspendDuration") {
            reader.duration("SuspendDuration", e);
        }
    }
    for b in children(r, ns, "MemoryUsageBlock") {
        let class = child(b, ns, "MemoryClass").map(|c| c.text());
        let (field, element, unit) = match (t, class.as_deref().map(str::trim)) {
            (RecordType::Cloud, _) => ("Memory", "MemoryResourceCapacityAllocated", MIB),
            (_, Some("Physical")) => ("MemoryReal", "MemoryResourceCapacityUsed", KIB),
            (_, Some("Virtual")) => ("MemoryVirtual", "MemoryResourceCapacityUsed", KIB),
            _ => continue,
        };
        if reader.record.get(field).is_some() {
            continue;
        }
        if let Some(e) = child(b, ns, element) {
            reader.bytes_in(field, e, unit);
        }
    }
    if let Some(b) = child(r, ns, "StorageUsageBlock") {
        if t == RecordType::Storage {
            for f in UR2_STORAGE_DETAILS
                .into_iter()
                .chain(["StartTime", "EndTime"])
            {
                if let Some(e) = child(b, ns, f) {
                    reader.value(f, &e.text(), e);
                }
            }
            for (f, l) in [
                ("ResourceCapacityUsed", "StorageResourceCapacityUsed"),
                ("LogicalCapacityUsed", "StorageLogicalCapacityUsed"),
                (
                    "ResourceCapacityAllocated",
                    "StorageResourceCapacityAllocated",
                ),
            ] {
                if let Some(e) = child(b, ns, l) {
                    reader.value(f, &e.text(), e);
                }
            }
            if let Some(e) = child(b, ns, "Host") {
                reader.value("StorageSystem", &e.text(), e);
            }
        } else if t == RecordType::Cloud
            && let Some(e) = child(b, ns, "StorageResourceCapacityAllocated")
        {
            reader.bytes_in("Disk", e, GIB);
        }
    }
    if t == RecordType::Cloud
        && let Some(b) = child(r, ns, "NetworkUsageBlock")
    {
        if let Some(e) = child(b, ns, "NetworkClass") {
            reader.value("NetworkType", &e.text(), e);
        }
        for (f, l) in [
            ("NetworkInbound", "NetworkInboundUsed"),
            ("NetworkOutbound", "NetworkOutboundUsed"),
        ] {
            if let Some(e) = child(b, ns, l) {
                reader.bytes_in(f, e, GIB);
            }
        }
    }
}
