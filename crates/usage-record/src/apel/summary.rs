//! Cloud summary records from individual cloud records, as apel's server builds them
//! (`ReplaceCloudRecord` and `SummariseVMs` of its cloud schema).
//!
//! * Each record is filed under a month: a `completed` VM under its EndTime, any other under
//!   RecordCreateTime, else StartTime + SuspendDuration + WallDuration; without those, month 0 of
//!   year 0 (as the database's zero date does).
//! * One record per VM and month is kept: the one that comes last (apel's `REPLACE INTO`).
//!   VMUUIDs, like every text key, compare case-insensitively (the database collation).
//! * WallDuration, CpuDuration and the network counters are cumulative per VM: a month counts
//!   the difference with the VM's previous kept record (none before month 0), never clamped.
//!   Memory and Disk are summed as they are.
//! * Groups: site, cloud compute service, month, year, user DN, VO, VO group, VO role (from the
//!   FQAN), status, image, CpuCount, benchmark type and benchmark (CpuCount and Benchmark
//!   default to 0 and are rounded to 3 decimals, half away from zero). CloudType is taken from
//!   the first record of the group.
//! * Output: one cloud summary record per group with Earliest/LatestStartTime, the sums and
//!   NumberOfVMs, ordered by year, month and the keys (apel gives no order).

use super::record::Record;
use super::schema::RecordType;
use super::value::Value;
use fedcloud_core::UtcTime;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A record's month as apel files it: `(year, month)`, `(0, 0)` for the zero date.
fn measurement(r: &Record<'_>) -> (Option<UtcTime>, (i64, i64)) {
    let completed = r
        .text("Status")
        .is_some_and(|s| s.eq_ignore_ascii_case("completed"));
    let time = if completed {
        r.time("EndTime")
    } else if let Some(t) = r.time("RecordCreateTime") {
        Some(t)
    } else {
        r.time("StartTime").and_then(|s| {
            let extra = r.int("SuspendDuration").unwrap_or(0) + r.int("WallDuration").unwrap_or(0);
            s.checked_add_seconds(extra)
        })
    };
    let ym = time.map_or((0, 0), |t| {
        let p = t.parts();
        (i64::from(p.year), i64::from(p.month))
    });
    (time, ym)
}

/// Rounds to 3 decimals, half away from zero (MySQL DECIMAL(10,3) on insert).
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The grouping key: case-folded texts, rounded decimals (as bits, for ordering).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct GroupKey {
    year: i64,
    month: i64,
    texts: [Option<String>; 9],
    cpu_count: i64,
    benchmark: i64,
}

#[derive(Debug, Default)]
struct Group {
    /// The first record's spellings of the text keys, and its CloudType.
    first: Option<[Option<String>; 10]>,
    earliest: Option<UtcTime>,
    latest: Option<UtcTime>,
    sums: [Option<i128>; 6],
    vms: i64,
    cpu_count: f64,
    benchmark: f64,
}

const DELTA_FIELDS: [&str; 4] = [
    "WallDuration",
    "CpuDuration",
    "NetworkInbound",
    "NetworkOutbound",
];
const SUM_FIELDS: [&str; 2] = ["Memory", "Disk"];

/// A kept record: its load order, its measurement time, the record.
type Kept<'r, 'a> = (usize, Option<UtcTime>, &'r Record<'a>);

/// Builds cloud summary records from cloud records given in the order apel would load them.
/// Records of other types are skipped.
#[must_use]
pub fn summarise_cloud<'r, 'a: 'r>(
    records: impl IntoIterator<Item = &'r Record<'a>>,
) -> Vec<Record<'static>> {
    // 1. Keep the last record per VM and month.
    let mut kept: BTreeMap<(String, (i64, i64)), Kept<'r, 'a>> = BTreeMap::new();
    for (order, r) in records
        .into_iter()
        .filter(|r| r.record_type() == RecordType::Cloud)
        .enumerate()
    {
        let Some(vm) = r.text("VMUUID") else { continue };
        let (time, ym) = measurement(r);
        kept.insert((vm.to_lowercase(), ym), (order, time, r));
    }
    // 2. Per VM, in measurement order, the previous kept record gives the deltas.
    let mut by_vm: BTreeMap<&str, Vec<&Kept<'r, 'a>>> = BTreeMap::new();
    let mut months: BTreeMap<(&str, usize), (i64, i64)> = BTreeMap::new();
    for ((vm, ym), entry) in &kept {
        by_vm.entry(vm.as_str()).or_default().push(entry);
        months.insert((vm.as_str(), entry.0), *ym);
    }
    let mut groups: BTreeMap<GroupKey, Group> = BTreeMap::new();
    for (vm, mut rows) in by_vm {
        rows.sort_by_key(|(order, time, _)| (*time, *order));
        let mut prev: Option<&Record<'a>> = None;
        for (order, _, r) in rows {
            let ym = months.get(&(vm, *order)).copied().unwrap_or((0, 0));
            add(&mut groups, r, ym, prev);
            // A month-0 record is never a predecessor.
            prev = (ym != (0, 0)).then_some(*r);
        }
    }
    // Equal keys met in scan order: the first record (in load order) gives the spellings.
    groups.into_iter().map(|(key, g)| emit(&key, &g)).collect()
}

fn add<'a>(
    groups: &mut BTreeMap<GroupKey, Group>,
    r: &Record<'a>,
    (year, month): (i64, i64),
    prev: Option<&Record<'a>>,
) {
    let (vo, group, role) = r.vo_group_role();
    let raw: [Option<String>; 10] = [
        r.text("SiteName").map(str::to_owned),
        r.text("CloudComputeService").map(str::to_owned),
        r.text("GlobalUserName").map(str::to_owned),
        vo,
        group,
        role,
        r.text("Status").map(str::to_owned),
        r.text("ImageId").map(str::to_owned),
        r.text("BenchmarkType").map(str::to_owned),
        r.text("CloudType").map(str::to_owned),
    ];
    let cpu_count = round3(r.float("CpuCount").unwrap_or(0.0));
    let benchmark = round3(r.float("Benchmark").unwrap_or(0.0));
    let key = GroupKey {
        year,
        month,
        texts: std::array::from_fn(|i| raw.get(i).cloned().flatten().map(|s| s.to_lowercase())),
        cpu_count: (cpu_count * 1000.0).round() as i64,
        benchmark: (benchmark * 1000.0).round() as i64,
    };
    let g = groups.entry(key).or_default();
    if g.first.is_none() {
        g.first = Some(raw);
        g.cpu_count = cpu_count;
        g.benchmark = benchmark;
    }
    if let Some(start) = r.time("StartTime") {
        g.earliest = Some(g.earliest.map_or(start, |e| e.min(start)));
        g.latest = Some(g.latest.map_or(start, |l| l.max(start)));
    }
    for (i, name) in DELTA_FIELDS.iter().enumerate() {
        if let Some(this) = r.int(name) {
            let before = prev.and_then(|p| p.int(name)).unwrap_or(0);
            if let Some(sum) = g.sums.get_mut(i) {
                *sum = Some(sum.unwrap_or(0) + i128::from(this) - i128::from(before));
            }
        }
    }
    for (i, name) in SUM_FIELDS.iter().enumerate() {
        if let (Some(v), Some(sum)) = (r.int(name), g.sums.get_mut(DELTA_FIELDS.len() + i)) {
            *sum = Some(sum.unwrap_or(0) + i128::from(v));
        }
    }
    g.vms += 1;
}

fn emit(key: &GroupKey, g: &Group) -> Record<'static> {
    let mut out = Record::new(RecordType::CloudSummary);
    let first = g.first.clone().unwrap_or_default();
    let text = |i: usize| -> Option<Value<'static>> {
        first
            .get(i)
            .cloned()
            .flatten()
            .map(|s| Value::Text(Cow::Owned(s)))
    };
    let int = |v: Option<i128>| {
        v.map(|x| match i64::try_from(x) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::BigInt(Cow::Owned(x.to_string())),
        })
    };
    let sum = |i: usize| g.sums.get(i).copied().flatten();
    let fields: [(&str, Option<Value<'static>>); 23] = [
        ("SiteName", text(0)),
        ("CloudComputeService", text(1)),
        ("Month", Some(Value::Int(key.month))),
        ("Year", Some(Value::Int(key.year))),
        ("GlobalUserName", text(2)),
        ("VO", text(3)),
        ("VOGroup", text(4)),
        ("VORole", text(5)),
        ("Status", text(6)),
        ("CloudType", text(9)),
        ("ImageId", text(7)),
        ("EarliestStartTime", g.earliest.map(Value::Time)),
        ("LatestStartTime", g.latest.map(Value::Time)),
        ("WallDuration", int(sum(0))),
        ("CpuDuration", int(sum(1))),
        ("CpuCount", Some(Value::Float(g.cpu_count))),
        ("NetworkInbound", int(sum(2))),
        ("NetworkOutbound", int(sum(3))),
        ("Memory", int(sum(4))),
        ("Disk", int(sum(5))),
        ("BenchmarkType", text(8)),
        ("Benchmark", Some(Value::Float(g.benchmark))),
        ("NumberOfVMs", Some(Value::Int(g.vms))),
    ];
    for (name, value) in fields {
        let _ = out.set(name, value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Options, Profile, parse_message, render_message};
    use super::*;
    use fedcloud_core::FixedClock;

    fn records(text: &str) -> Vec<Record<'static>> {
        let full = format!("APEL-cloud-message: v0.4\n{text}");
        let m = parse_message(
            full.as_bytes(),
            &Options::new(Profile::Apel, &FixedClock(UtcTime::UNIX_EPOCH)),
        );
        assert!(m.is_valid(), "{:?}", m.findings);
        m.records
            .into_iter()
            .map(|e| e.record.into_owned())
            .collect()
    }

    fn vm(id: &str, status: &str, end: i64, extra: &str) -> String {
        format!(
            "VMUUID: {id}\nSiteName: S\nFQAN: /ops/Role=NULL\nStatus: {status}\nStartTime: {}\nEndTime: {end}\nRecordCreateTime: {end}\n{extra}%%\n",
            end - 100
        )
    }

    const JAN: i64 = 1_704_153_600; // 2024-01-02
    const FEB: i64 = 1_706_832_000; // 2024-02-02

    #[test]
    fn groups_sums_and_counts() {
        let recs = records(&format!(
            "{}{}",
            vm("a", "completed", JAN, "Memory: 1024\nWallDuration: 100\n"),
            vm("b", "completed", JAN, "Memory: 2048\nWallDuration: 50\n")
        ));
        let s = summarise_cloud(&recs);
        assert_eq!(s.len(), 1);
        let r = &s[0];
        assert_eq!((r.int("Year"), r.int("Month")), (Some(2024), Some(1)));
        assert_eq!(r.int("Memory"), Some(3072));
        assert_eq!(r.int("WallDuration"), Some(150));
        assert_eq!(r.int("NumberOfVMs"), Some(2));
        assert_eq!(r.text("VO"), Some("ops"));
        assert_eq!(r.text("VOGroup"), Some("/ops"));
        assert_eq!(r.text("VORole"), Some("Role=NULL"));
        assert_eq!(r.float("CpuCount"), Some(0.0));
        assert_eq!(
            r.time("EarliestStartTime").map(UtcTime::epoch_seconds),
            Some(JAN - 100)
        );
        // The summary is a valid cloud summary message.
        let text = render_message(&s).unwrap();
        let back = parse_message(
            text.as_bytes(),
            &Options::new(
                Profile::Strict,
                &FixedClock("2026-11-21T00:00:00Z".parse().unwrap()),
            ),
        );
        assert!(back.is_valid(), "{text}\n{:?}", back.findings);
    }

    #[test]
    fn cumulative_counters_become_monthly_deltas() {
        let recs = records(&format!(
            "{}{}",
            vm("a", "started", JAN, "WallDuration: 1000\nCpuDuration: 10\n"),
            vm("a", "started", FEB, "WallDuration: 2500\nCpuDuration: 5\n")
        ));
        let s = summarise_cloud(&recs);
        let by_month: Vec<_> = s
            .iter()
            .map(|r| (r.int("Month"), r.int("WallDuration"), r.int("CpuDuration")))
            .collect();
        assert_eq!(
            by_month,
            [
                (Some(1), Some(1000), Some(10)),
                (Some(2), Some(1500), Some(-5))
            ]
        );
    }

    #[test]
    fn last_loaded_wins_and_keys_fold_case() {
        let recs = records(&format!(
            "{}{}{}",
            vm("A", "started", JAN, "ImageId: img\n"),
            vm("a", "STARTED", JAN + 10, "ImageId: IMG\nWallDuration: 7\n"),
            vm("b", "Started", JAN, "ImageId: Img\n")
        ));
        let s = summarise_cloud(&recs);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].int("NumberOfVMs"), Some(2));
        assert_eq!(s[0].int("WallDuration"), Some(7));
    }

    #[test]
    fn zero_date_and_rounding() {
        let recs = records(
            "VMUUID: z\nSiteName: S\nStatus: completed\nWallDuration: 100\n%%\n\
             VMUUID: c1\nSiteName: S\nStatus: completed\nEndTime: 1704153600\nCpuCount: 10.0005\n%%\n\
             VMUUID: c2\nSiteName: S\nStatus: completed\nEndTime: 1704153600\nCpuCount: 10.001\n%%\n",
        );
        let s = summarise_cloud(&recs);
        let keys: Vec<_> = s
            .iter()
            .map(|r| {
                (
                    r.int("Year"),
                    r.int("Month"),
                    r.int("NumberOfVMs"),
                    r.float("CpuCount"),
                )
            })
            .collect();
        assert_eq!(
            keys,
            [
                (Some(0), Some(0), Some(1), Some(0.0)),
                (Some(2024), Some(1), Some(2), Some(10.001))
            ]
        );
    }
}
