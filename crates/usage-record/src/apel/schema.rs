//! The record types of the APEL text messages: their fields, in the order of apel's database
//! procedures, with types, mandatory flags, ignored keys and database column sizes.

use std::sync::OnceLock;

/// The record type a message carries, as apel's record factory selects it from the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum RecordType {
    /// Individual job record, `APEL-individual-job-message` v0.1–v0.3 (one field set).
    Job,
    /// Individual job record v0.4: `ServiceLevel` is a benchmark dictionary.
    Job04,
    /// Summary, `APEL-summary-job-message: v0.2`.
    Summary,
    /// Summary v0.4, `APEL-summary-job-message: v0.4` (benchmark dictionary).
    Summary04,
    /// Normalised summary, `APEL-summary-job-message: v0.3` (sic: same type name as v0.2).
    NormalisedSummary,
    /// Normalised summary v0.4, `APEL-normalised-summary-message: v0.4`.
    NormalisedSummary04,
    /// Sync record, `APEL-sync-message: v0.1`.
    Sync,
    /// Cloud record, `APEL-cloud-message` v0.2 / v0.4.
    Cloud,
    /// Cloud summary record, `APEL-cloud-summary-message: v0.4`.
    CloudSummary,
    /// Accelerator (GPU, FPGA) record, JSON `APEL-accelerator-message` v0.1.
    Accelerator,
    /// Accelerator summary record, JSON `APEL-accelerator-summary-message` v0.1.
    AcceleratorSummary,
    /// Public IP record, JSON `APEL Public IP message` v0.2.
    PublicIp,
    /// Storage record, EMI StAR XML.
    Storage,
    /// A StAR `GroupAttribute` other than subgroup and role, kept as its own record by apel.
    GroupAttribute,
}

/// How a field's value is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text; the number is the database column size (VARCHAR).
    Text(usize),
    /// Integer stored in a 32-bit INT column.
    Int32,
    /// Integer stored in a 64-bit BIGINT column.
    Int64,
    /// Decimal (DECIMAL(10,3) in the database).
    Float,
    /// A time: epoch seconds or ISO 8601 `…Z`.
    DateTime,
    /// v0.4 benchmark dictionary `{hepspec: 11.4, HEPscore23: 15.3}`; `true` when the chosen
    /// value is stored as an integer (normalised durations).
    Benchmark { integer: bool },
}

/// One field of a record type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    /// Mandatory in apel 2.5.0.
    pub(crate) mandatory: bool,
    /// Mandatory only in the strict profile (the EGI record definitions ask for it).
    pub(crate) strict_mandatory: bool,
    /// Counts and durations: negative values are an error in the strict profile.
    pub(crate) non_negative: bool,
}

const fn f(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        mandatory: false,
        strict_mandatory: false,
        non_negative: false,
    }
}
const fn m(name: &'static str, kind: Kind) -> Field {
    Field {
        mandatory: true,
        strict_mandatory: true,
        ..f(name, kind)
    }
}
/// Mandatory by the EGI documentation but not by apel.
const fn doc_m(name: &'static str, kind: Kind) -> Field {
    Field {
        strict_mandatory: true,
        ..f(name, kind)
    }
}
const fn nn(field: Field) -> Field {
    Field {
        non_negative: true,
        ..field
    }
}

use Kind::{DateTime as D, Float as F, Int32 as I, Int64 as L};
const T: Kind = Kind::Text(255);
const BENCH: Kind = Kind::Benchmark { integer: false };
const BENCH_INT: Kind = Kind::Benchmark { integer: true };

const T50: Kind = Kind::Text(50);

const JOB_FIELDS: [Field; 23] = [
    m("Site", T),
    doc_m("SubmitHost", T),
    f("MachineName", T),
    f("Queue", Kind::Text(100)),
    m("LocalJobId", T),
    f("LocalUserId", T),
    f("GlobalUserName", T),
    f("FQAN", T),
    f("VO", T),
    f("VOGroup", T),
    f("VORole", T),
    nn(m("WallDuration", I)),
    nn(m("CpuDuration", I)),
    nn(f("Processors", I)),
    nn(f("NodeCount", I)),
    m("StartTime", D),
    m("EndTime", D),
    f("InfrastructureDescription", Kind::Text(100)),
    f("InfrastructureType", Kind::Text(20)),
    nn(f("MemoryReal", I)),
    nn(f("MemoryVirtual", I)),
    doc_m("ServiceLevelType", Kind::Text(50)),
    doc_m("ServiceLevel", F),
];
static JOB: &[Field] = &JOB_FIELDS;

/// A field table with the kind (and strict-mandatory flag) of one field replaced: the v0.4
/// types differ from their predecessors only in their benchmark fields. Used only in constant
/// initialisers, where an index out of range fails the build instead of panicking.
#[allow(clippy::indexing_slicing)]
const fn with<const N: usize>(
    mut fields: [Field; N],
    index: usize,
    kind: Kind,
    strict_mandatory: bool,
) -> [Field; N] {
    fields[index].kind = kind;
    fields[index].strict_mandatory = strict_mandatory;
    fields
}

static JOB04: &[Field] = &with(with(JOB_FIELDS, 21, T50, false), 22, BENCH, true);

const SUMMARY_FIELDS: [Field; 19] = [
    m("Site", T),
    m("Month", I),
    m("Year", I),
    f("GlobalUserName", T),
    f("VO", T),
    f("VOGroup", T),
    f("VORole", T),
    f("SubmitHost", T),
    f("InfrastructureType", Kind::Text(50)),
    f("InfrastructureDescription", Kind::Text(100)),
    f("ServiceLevelType", Kind::Text(50)),
    f("ServiceLevel", F),
    nn(f("NodeCount", I)),
    nn(f("Processors", I)),
    f("EarliestEndTime", D),
    f("LatestEndTime", D),
    nn(m("WallDuration", L)),
    nn(m("CpuDuration", L)),
    nn(m("NumberOfJobs", I)),
];
static SUMMARY: &[Field] = &SUMMARY_FIELDS;

static SUMMARY04: &[Field] = &with(SUMMARY_FIELDS, 11, BENCH, false);

const NORMALISED_FIELDS: [Field; 20] = [
    m("Site", T),
    m("Month", I),
    m("Year", I),
    f("GlobalUserName", T),
    f("VO", T),
    f("VOGroup", T),
    f("VORole", T),
    f("SubmitHost", T),
    f("Infrastructure", Kind::Text(50)),
    f("InfrastructureDescription", Kind::Text(100)),
    f("ServiceLevelType", Kind::Text(50)),
    nn(f("NodeCount", I)),
    nn(f("Processors", I)),
    f("EarliestEndTime", D),
    f("LatestEndTime", D),
    nn(m("WallDuration", L)),
    nn(m("CpuDuration", L)),
    nn(m("NormalisedWallDuration", L)),
    nn(m("NormalisedCpuDuration", L)),
    nn(m("NumberOfJobs", I)),
];
static NORMALISED: &[Field] = &NORMALISED_FIELDS;

static NORMALISED04: &[Field] = &with(
    with(NORMALISED_FIELDS, 17, BENCH_INT, true),
    18,
    BENCH_INT,
    true,
);

static SYNC: &[Field] = &[
    m("Site", T),
    doc_m("SubmitHost", T),
    nn(m("NumberOfJobs", I)),
    m("Month", I),
    m("Year", I),
];

static CLOUD: &[Field] = &[
    f("RecordCreateTime", D),
    m("VMUUID", T),
    m("SiteName", T),
    f("CloudComputeService", T),
    doc_m("MachineName", T),
    f("LocalUserId", T),
    f("LocalGroupId", T),
    f("GlobalUserName", T),
    f("FQAN", T),
    f("VO", T),
    f("VOGroup", T),
    f("VORole", T),
    f("Status", T),
    f("StartTime", D),
    f("EndTime", D),
    nn(f("SuspendDuration", L)),
    nn(f("WallDuration", L)),
    nn(f("CpuDuration", L)),
    nn(f("CpuCount", F)),
    f("NetworkType", T),
    nn(f("NetworkInbound", L)),
    nn(f("NetworkOutbound", L)),
    nn(f("PublicIPCount", I)),
    nn(f("Memory", L)),
    nn(f("Disk", L)),
    f("BenchmarkType", Kind::Text(50)),
    f("Benchmark", F),
    f("StorageRecordId", T),
    f("ImageId", T),
    f("CloudType", T),
];

static CLOUD_SUMMARY: &[Field] = &[
    m("SiteName", T),
    f("CloudComputeService", T),
    m("Month", I),
    m("Year", I),
    f("GlobalUserName", T),
    f("VO", T),
    f("VOGroup", T),
    f("VORole", T),
    f("Status", T),
    f("CloudType", T),
    f("ImageId", T),
    f("EarliestStartTime", D),
    f("LatestStartTime", D),
    nn(f("WallDuration", L)),
    nn(f("CpuDuration", L)),
    nn(f("CpuCount", F)),
    nn(f("NetworkInbound", L)),
    nn(f("NetworkOutbound", L)),
    nn(f("Memory", L)),
    nn(f("Disk", L)),
    f("BenchmarkType", Kind::Text(50)),
    f("Benchmark", F),
    nn(m("NumberOfVMs", L)),
];

const TABLE_SIZE: usize = 128;

/// Byte equality of two short names, in line (a call to `memcmp` costs more than the compare).
pub(crate) fn same(a: &str, b: &str) -> bool {
    same_bytes(a.as_bytes(), b.as_bytes())
}

/// [`same`] on bytes.
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    // Eight bytes at a time, then the tail.
    let word = |c: &[u8]| u64::from_ne_bytes(<[u8; 8]>::try_from(c).unwrap_or_default());
    let (mut wa, mut wb) = (a.chunks_exact(8), b.chunks_exact(8));
    (&mut wa).zip(&mut wb).all(|(x, y)| word(x) == word(y))
        && wa
            .remainder()
            .iter()
            .zip(wb.remainder())
            .all(|(x, y)| x == y)
}

/// A cheap hash of a key: its length and three of its bytes.
fn slot_of(key: &str) -> usize {
    let b = key.as_bytes();
    let at = |i: usize| usize::from(b.get(i).copied().unwrap_or(0));
    (b.len() * 31 + at(0) * 7 + at(b.len().saturating_sub(1)) * 3 + at(b.len() / 2)) % TABLE_SIZE
}

static ACCELERATOR: &[Field] = &[
    m("MeasurementMonth", I),
    m("MeasurementYear", I),
    m("AssociatedRecordType", T),
    m("AssociatedRecord", T),
    f("GlobalUserName", T),
    m("FQAN", T),
    m("SiteName", T),
    nn(m("Count", F)),
    nn(f("Cores", I)),
    nn(f("ActiveDuration", L)),
    nn(m("AvailableDuration", L)),
    f("BenchmarkType", Kind::Text(50)),
    f("Benchmark", F),
    m("Type", T),
    f("Model", T),
];

static ACCELERATOR_SUMMARY: &[Field] = &[
    m("Month", I),
    m("Year", I),
    m("AssociatedRecordType", T),
    f("GlobalUserName", T),
    f("FQAN", T),
    m("SiteName", T),
    nn(m("Count", F)),
    nn(f("Cores", I)),
    nn(m("AvailableDuration", L)),
    nn(f("ActiveDuration", L)),
    f("BenchmarkType", Kind::Text(50)),
    f("Benchmark", F),
    m("Type", T),
    f("Model", T),
    nn(m("NumberOfRecords", L)),
];

static PUBLIC_IP: &[Field] = &[
    m("MeasurementTime", D),
    m("SiteName", T),
    m("CloudType", T),
    m("LocalUser", T),
    m("LocalGroup", T),
    m("GlobalUserName", T),
    m("FQAN", T),
    m("IPVersion", I),
    nn(m("IPCount", I)),
];

static STORAGE: &[Field] = &[
    m("RecordId", T),
    m("CreateTime", D),
    m("StorageSystem", T),
    f("Site", T),
    f("StorageShare", T),
    f("StorageMedia", T),
    f("StorageClass", T),
    nn(f("FileCount", I)),
    f("DirectoryPath", T),
    f("LocalUser", T),
    f("LocalGroup", T),
    f("UserIdentity", T),
    f("Group", T),
    f("SubGroup", T),
    f("Role", T),
    m("StartTime", D),
    m("EndTime", D),
    nn(m("ResourceCapacityUsed", L)),
    nn(f("LogicalCapacityUsed", L)),
    nn(f("ResourceCapacityAllocated", L)),
];

static GROUP_ATTRIBUTE: &[Field] = &[
    m("StarRecordID", T),
    f("AttributeType", T),
    f("AttributeValue", T),
];

impl RecordType {
    /// Every record type.
    pub const ALL: &'static [RecordType] = &[
        RecordType::Job,
        RecordType::Job04,
        RecordType::Summary,
        RecordType::Summary04,
        RecordType::NormalisedSummary,
        RecordType::NormalisedSummary04,
        RecordType::Sync,
        RecordType::Cloud,
        RecordType::CloudSummary,
        RecordType::Accelerator,
        RecordType::AcceleratorSummary,
        RecordType::PublicIp,
        RecordType::Storage,
        RecordType::GroupAttribute,
    ];

    pub(crate) fn fields(self) -> &'static [Field] {
        match self {
            RecordType::Job => JOB,
            RecordType::Job04 => JOB04,
            RecordType::Summary => SUMMARY,
            RecordType::Summary04 => SUMMARY04,
            RecordType::NormalisedSummary => NORMALISED,
            RecordType::NormalisedSummary04 => NORMALISED04,
            RecordType::Sync => SYNC,
            RecordType::Cloud => CLOUD,
            RecordType::CloudSummary => CLOUD_SUMMARY,
            RecordType::Accelerator => ACCELERATOR,
            RecordType::AcceleratorSummary => ACCELERATOR_SUMMARY,
            RecordType::PublicIp => PUBLIC_IP,
            RecordType::Storage => STORAGE,
            RecordType::GroupAttribute => GROUP_ATTRIBUTE,
        }
    }

    /// Whether records of this type travel in XML documents only.
    #[must_use]
    pub const fn is_xml(self) -> bool {
        matches!(self, RecordType::Storage | RecordType::GroupAttribute)
    }

    /// Whether records of this type have an APEL text form.
    #[must_use]
    pub const fn is_text(self) -> bool {
        !self.is_json() && !self.is_xml()
    }

    /// Whether records of this type travel in JSON messages (not in APEL text).
    #[must_use]
    pub const fn is_json(self) -> bool {
        matches!(
            self,
            RecordType::Accelerator | RecordType::AcceleratorSummary | RecordType::PublicIp
        )
    }

    /// Keys apel accepts and drops for this type.
    pub(crate) fn ignored(self) -> &'static [&'static str] {
        match self {
            RecordType::Job | RecordType::Job04 => &["SubmitHostType", "UpdateTime"],
            RecordType::Summary
            | RecordType::Summary04
            | RecordType::NormalisedSummary
            | RecordType::NormalisedSummary04
            | RecordType::CloudSummary => &["UpdateTime"],
            RecordType::Sync
            | RecordType::AcceleratorSummary
            | RecordType::PublicIp
            | RecordType::Storage
            | RecordType::GroupAttribute => &[],
            RecordType::Accelerator => &["CloudType", "CloudComputeService"],
            RecordType::Cloud => &[
                "UpdateTime",
                "MeasurementTime",
                "MeasurementMonth",
                "MeasurementYear",
            ],
        }
    }

    /// The index of field `key` (exact, case-sensitive as apel compares keys).
    pub(crate) fn field_index(self, key: &str) -> Option<usize> {
        let table = self.lookup_table();
        let mut slot = slot_of(key);
        // Linear probing over a table at most a quarter full: one or two probes.
        for _ in 0..TABLE_SIZE {
            match table.get(slot).copied().flatten() {
                None => return None,
                Some(i) => {
                    let i = usize::from(i);
                    if self.fields().get(i).is_some_and(|f| same(f.name, key)) {
                        return Some(i);
                    }
                }
            }
            slot = (slot + 1) % TABLE_SIZE;
        }
        None
    }

    /// A small open-addressing table from field name to index, built once per type.
    fn lookup_table(self) -> &'static [Option<u8>; TABLE_SIZE] {
        static TABLES: [OnceLock<[Option<u8>; TABLE_SIZE]>; 14] = [const { OnceLock::new() }; 14];
        let which = self as usize;
        static EMPTY: [Option<u8>; TABLE_SIZE] = [None; TABLE_SIZE];
        let Some(cell) = TABLES.get(which) else {
            return &EMPTY;
        };
        cell.get_or_init(|| {
            let mut table = [None; TABLE_SIZE];
            for (i, f) in self.fields().iter().enumerate() {
                let mut slot = slot_of(f.name);
                while table.get(slot).copied().flatten().is_some() {
                    slot = (slot + 1) % TABLE_SIZE;
                }
                if let (Some(cell), Ok(i)) = (table.get_mut(slot), u8::try_from(i)) {
                    *cell = Some(i);
                }
            }
            table
        })
    }

    /// The canonical header line of messages of this type (the newest version of it); for the
    /// JSON types, the message's `Type`; for the XML types, their namespace.
    #[must_use]
    pub const fn header(self) -> &'static str {
        match self {
            RecordType::Job => "APEL-individual-job-message: v0.3",
            RecordType::Job04 => "APEL-individual-job-message: v0.4",
            RecordType::Summary => "APEL-summary-job-message: v0.2",
            RecordType::Summary04 => "APEL-summary-job-message: v0.4",
            RecordType::NormalisedSummary => "APEL-summary-job-message: v0.3",
            RecordType::NormalisedSummary04 => "APEL-normalised-summary-message: v0.4",
            RecordType::Sync => "APEL-sync-message: v0.1",
            RecordType::Cloud => "APEL-cloud-message: v0.4",
            RecordType::CloudSummary => "APEL-cloud-summary-message: v0.4",
            RecordType::Accelerator => "APEL-accelerator-message",
            RecordType::AcceleratorSummary => "APEL-accelerator-summary-message",
            RecordType::PublicIp => "APEL Public IP message",
            RecordType::Storage | RecordType::GroupAttribute => {
                "http://eu-emi.eu/namespaces/2011/02/storagerecord"
            }
        }
    }

    /// The name of apel's record class (as its verdicts name it).
    #[must_use]
    pub const fn apel_class(self) -> &'static str {
        match self {
            RecordType::Job => "JobRecord",
            RecordType::Job04 => "JobRecord04",
            RecordType::Summary => "SummaryRecord",
            RecordType::Summary04 => "SummaryRecord04",
            RecordType::NormalisedSummary => "NormalisedSummaryRecord",
            RecordType::NormalisedSummary04 => "NormalisedSummaryRecord04",
            RecordType::Sync => "SyncRecord",
            RecordType::Cloud => "CloudRecord",
            RecordType::CloudSummary => "CloudSummaryRecord",
            RecordType::Accelerator => "AcceleratorRecord",
            RecordType::AcceleratorSummary => "AcceleratorSummaryRecord",
            RecordType::PublicIp => "PublicIpRecord",
            RecordType::Storage => "StorageRecord",
            RecordType::GroupAttribute => "GroupAttributeRecord",
        }
    }

    /// The field names of this type, in canonical (database) order.
    pub fn field_names(self) -> impl Iterator<Item = &'static str> {
        self.fields().iter().map(|f| f.name)
    }

    /// Whether the record carries an FQAN from which VO, VOGroup and VORole are derived.
    pub(crate) fn has_fqan(self) -> bool {
        matches!(
            self,
            RecordType::Job | RecordType::Job04 | RecordType::Cloud
        )
    }

    /// Whether this is one of the monthly summary types with Month/Year checks.
    pub(crate) fn is_job_summary(self) -> bool {
        matches!(
            self,
            RecordType::Summary
                | RecordType::Summary04
                | RecordType::NormalisedSummary
                | RecordType::NormalisedSummary04
        )
    }

    pub(crate) fn is_job(self) -> bool {
        matches!(self, RecordType::Job | RecordType::Job04)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_consistent() {
        for &t in RecordType::ALL {
            let names: Vec<_> = t.field_names().collect();
            let mut sorted = names.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), names.len(), "{t:?} has a duplicate field");
            for (i, n) in names.iter().enumerate() {
                assert_eq!(t.field_index(n), Some(i));
            }
            for ig in t.ignored() {
                assert_eq!(
                    t.field_index(ig),
                    None,
                    "{t:?}: {ig} both field and ignored"
                );
            }
        }
        // The v0.4 tables are derived by index from their predecessors: check the indices.
        let kind = |t: RecordType, name: &str| t.fields()[t.field_index(name).unwrap()].kind;
        assert_eq!(kind(RecordType::Job04, "ServiceLevel"), BENCH);
        assert_eq!(kind(RecordType::Job04, "ServiceLevelType"), Kind::Text(50));
        assert_eq!(kind(RecordType::Summary04, "ServiceLevel"), BENCH);
        assert_eq!(
            kind(RecordType::NormalisedSummary04, "NormalisedWallDuration"),
            BENCH_INT
        );
        assert_eq!(
            kind(RecordType::NormalisedSummary04, "NormalisedCpuDuration"),
            BENCH_INT
        );
        for t in [
            RecordType::Job04,
            RecordType::Summary04,
            RecordType::NormalisedSummary04,
        ] {
            let changed = t
                .fields()
                .iter()
                .filter(|f| matches!(f.kind, Kind::Benchmark { .. }))
                .count();
            assert_eq!(
                changed,
                if t == RecordType::NormalisedSummary04 {
                    2
                } else {
                    1
                }
            );
        }
        assert_eq!(RecordType::Cloud.fields().len(), 30);
        assert_eq!(RecordType::Job.fields().len(), 23);
        assert_eq!(RecordType::NormalisedSummary.fields().len(), 20);
        assert_eq!(RecordType::CloudSummary.fields().len(), 23);
    }
}
