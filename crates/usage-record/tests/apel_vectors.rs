//! apel 2.5.0's observed verdicts on crafted messages (TZ=UTC), reproduced by the `apel`
//! profile: accept, or reject with apel's exact text. `CRASH` marks inputs on which apel's
//! loader stops without a verdict; we reject them with `apel-loader-crash`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use fedcloud_core::FixedClock;
use usage_record::Code;
use usage_record::apel::{Options, Profile, parse_message};

const H3: &str = "APEL-individual-job-message: v0.3";
const H4: &str = "APEL-individual-job-message: v0.4";
const J: &str =
    "Site: s\nLocalJobId: 1\nWallDuration: 10\nCpuDuration: 5\nStartTime: 1000\nEndTime: 2000";
const SL: &str = "ServiceLevelType: HEPSPEC\nServiceLevel: 10";
const SUM: &str = "APEL-summary-job-message: v0.2\nSite: s\nMonth: 3\nYear: 2020\nWallDuration: 10\nCpuDuration: 5\nNumberOfJobs: 3";

fn options() -> Options {
    Options::new(
        Profile::Apel,
        &FixedClock("2026-11-21T00:00:00Z".parse().unwrap()),
    )
}

/// `None` = accept; `Some(text)` = reject with that apel text (or a crash description).
fn verdict(input: &str) -> Option<String> {
    let msg = parse_message(input.as_bytes(), &options());
    if msg.is_valid() {
        return None;
    }
    let f = msg.apel_error().expect("an error");
    Some(if f.code == Code::ApelLoaderCrash {
        "CRASH".to_owned()
    } else {
        f.apel_message
            .clone()
            .unwrap_or_else(|| format!("<no apel text: {f}>"))
    })
}

fn job(header: &str, extra: &[&str]) -> String {
    let mut s = format!("{header}\n{J}");
    for e in extra {
        s.push('\n');
        s.push_str(e);
    }
    s.push('\n');
    s
}

#[test]
fn observed_verdicts() {
    let sum = |extra: &str| format!("{SUM}\n{extra}\n");
    let cases: Vec<(String, Option<&str>)> = vec![
        ("hello".into(), Some("Message header is incorrect: substring not found")),
        (job(H3, &[]), Some("ScalingFactorUnit custom not valid.")),
        (job(H3, &[SL]), None),
        (job("APEL-individual-job-message: v0.1", &[SL]), None),
        (job("APEL-individual-job-message:", &[SL]), None),
        (job(H4, &[]), Some("CRASH")),
        (job(H4, &["ServiceLevel: {hepspec: 10}"]), None),
        (job(H4, &["ServiceLevel: 10"]), Some("Expecting dictionary-like value. not enough values to unpack (expected 2, got 1)")),
        (job(H4, &["ServiceLevelType: HEPSPEC", "ServiceLevel: {HEPSPEC: 10}"]), Some("Mixture of benchmark types detected")),
        (job(H4, &["ServiceLevelType: hepspec", "ServiceLevel: {HEPSPEC: 10}"]), None),
        (job(H4, &["ServiceLevel: {HEPSPEC: 10}", "ServiceLevelType: foo"]), Some("ScalingFactorUnit foo not valid.")),
        (job(H4, &["ServiceLevel: {foo: 10}"]), Some("No valid benchmark type found")),
        (job(H4, &["ServiceLevel: {hepspec: 10, hepspec: 2}"]), Some("Expecting dictionary-like value. Duplicate keys found in {hepspec: 10, hepspec: 2}")),
        (job(H4, &["ServiceLevel: {hepspec: x}"]), Some("Expecting dictionary-like value. could not convert string to float: 'x'")),
        (job(H4, &["ServiceLevel: {hepspec: 1:2}"]), Some("Expecting dictionary-like value. too many values to unpack (expected 2)")),
        (job(H4, &["ServiceLevel: hepspec: 3"]), None),
        (job(H4, &["ServiceLevel: {{hepspec: 1}}}"]), None),
        (job(H4, &["ServiceLevel: {hepspec: inf}"]), None),
        (job(H4, &["ServiceLevel: {hepspec: 1}", "ServiceLevel: {si2k: 1}"]), Some("Mixture of benchmark types detected")),
        (job(H4, &["ServiceLevelType: HEPSPEC"]), Some("Unit but not value supplied for ScalingFactor.")),
        (job(H4, &["ServiceLevel: {Si2K: 1}", "ServiceLevelType: Si2K"]), None),
        (job(H4, &["ServiceLevel: {hepspec: 1}", "ServiceLevelType: null"]), Some("CRASH")),
        (job("APEL-individual-job-message: v0.4\t", &["ServiceLevel: {hepspec: 1}"]), Some("Invalid float value {hepspec: 1} in field ServiceLevel")),
        (format!("{H3}\n{J}\n\n{SL}\n"), Some("Message header is incorrect: not enough values to unpack (expected 2, got 1)")),
        (job(H3, &["Foo: 1", SL]), Some("Unknown field: Foo")),
        (job(H3, &["UpdateTime: x", "SubmitHostType: y", SL]), None),
        (job(H3, &["ServiceLevelType: HEPSPEC"]), Some("Unit but not value supplied for ScalingFactor.")),
        (job(H3, &["ServiceLevel: 3"]), Some("Unit but not value supplied for ScalingFactor.")),
        (job(H3, &["ServiceLevelType: custom", "ServiceLevel: 3"]), Some("ScalingFactorUnit custom not valid.")),
        (job(H3, &["ServiceLevelType: si2k", "ServiceLevel: abc"]), Some("Invalid float value abc in field ServiceLevel")),
        (job(H3, &["ServiceLevelType: si2k", "ServiceLevel: nan"]), None),
        (job(H3, &["Site: NULL", SL]), Some("NULL in mandatory field: Site")),
        (job(H3, &["Site: None", SL]), Some("NULL in mandatory field: Site")),
        (job(H3, &["Site:", SL]), Some("NULL in mandatory field: Site")),
        (format!("{H3}\nLocalJobId: 1\nWallDuration: 10\nCpuDuration: 5\nStartTime: 1000\nEndTime: 2000\n{SL}\n"), Some("Mandatory field Site not specified.")),
        (job(H3, &["WallDuration: 1.5", SL]), Some("Invalid int value 1.5 in field WallDuration")),
        (job(H3, &["WallDuration: -5", SL]), None),
        (job(H3, &["WallDuration: 1_0", SL]), None),
        (job(H3, &["WallDuration: +10", SL]), None),
        (job(H3, &["EndTime: 500", SL]), Some("EndTime is before StartTime.")),
        (job(H3, &["EndTime: 99999999999", SL]), Some("Epoch time 5138-11-16 09:46:39 is in the future.")),
        (job(H3, &["EndTime: 253402300800", SL]), Some("year 10000 is out of range")),
        (job(H3, &["EndTime: 9223372036854775807", SL]), Some("[Errno 75] Value too large for defined data type")),
        (job(H3, &["EndTime: 9223372036854775808", SL]), Some("timestamp out of range for platform time_t")),
        (job(H3, &["StartTime: 0", "EndTime: 2020-01-01T00:00:00Z", SL]), None),
        (job(H3, &["StartTime: 0", "EndTime: 2020-01-01T00:00:00gmt", SL]), None),
        (job(H3, &["StartTime: 0", "EndTime: 2020-1-1T0:0:0Z", SL]), None),
        (job(H3, &["StartTime: 0", "EndTime: 2020-01-01T00:00:61Z", SL]), None),
        (job(H3, &["EndTime: 2020-01-01T00:00:00", SL]), Some("Unknown datetime format!: 2020-01-01T00:00:00")),
        (job(H3, &["EndTime: 2020-01-01T00:00:00z", SL]), Some("Unknown datetime format!: 2020-01-01T00:00:00z")),
        (job(H3, &["EndTime: 2020-02-30T00:00:00Z", SL]), Some("Unknown datetime format!: 2020-02-30T00:00:00Z")),
        (job(H3, &["EndTime: 1e3", SL]), Some("Unknown datetime format!: 1e3")),
        (job(H3, &["EndTime: null", SL]), Some("NULL in mandatory field: EndTime")),
        (format!("{}%%\n{J}\nFoo: 1\n{SL}\n", job(H3, &[SL])), Some("Unknown field: Foo")),
        (format!("{H3}\n"), None),
        (format!("{H3}\n%%\n%%\n"), None),
        ("APEL-foo: v0.3\nSite: x\n".into(), Some("Message type APEL-foo: v0.3 not recognised.")),
        (job(H3, &[SL, "SubmitHost: a%%b"]), Some("Message header is incorrect: not enough values to unpack (expected 2, got 1)")),
        (job(H3, &[SL, "Processors: x", "Processors: 4"]), Some("Invalid int value x in field Processors")),
        ("APEL-summary-job-message:v0.2\nSite: x\n".into(), Some("Message type APEL-summary-job-message:v0.2 not recognised.")),
        ("APEL-normalised-summary-message: v0.3\nSite: x\n".into(), Some("Message type APEL-normalised-summary-message: v0.3 not recognised.")),
        ("APEL-cloud-message: v0.4 extra\nVMUUID: u\nSiteName: s\n".into(), None),
        (sum(""), None),
        (sum("Month: 13"), Some("Invalid values for month and/or year.")),
        (sum("Month: 0"), Some("Invalid values for month and/or year.")),
        (sum("Year: 0"), Some("Invalid values for month and/or year.")),
        (sum("Year: 9999\nMonth: 12"), Some("Invalid values for month and/or year.")),
        (sum("Year: 2099"), Some("Month specified in record is in the future.")),
        (sum("CpuDuration: -1"), Some("Negative WallDuration")),
        (sum("NumberOfJobs: -1"), None),
        (sum("EarliestEndTime: 1583020799\nLatestEndTime: 1585699200"), Some("EarliestEndTime is not within stated month.")),
        (sum("EarliestEndTime: 1583020800\nLatestEndTime: 1585699201"), Some("LatestEndTime is not within stated month.")),
        (sum("EarliestEndTime: 1583020800\nLatestEndTime: 1585699200"), None),
        (sum("LatestEndTime: 1"), None),
        (sum("Infrastructure: x"), Some("Unknown field: Infrastructure")),
        (sum("FQAN: /atlas"), Some("Unknown field: FQAN")),
        ("APEL-summary-job-message: v0.3\nSite: s\nMonth: 3\nYear: 2020\nWallDuration: 10\nCpuDuration: 5\nNormalisedWallDuration: 10\nNormalisedCpuDuration: 5\nNumberOfJobs: 3\nServiceLevel: 3\n".into(), Some("Unknown field: ServiceLevel")),
        ("APEL-summary-job-message: v0.3\nSite: s\nMonth: 3\nYear: 2020\nWallDuration: 10\nCpuDuration: 5\nNormalisedWallDuration: 10\nNormalisedCpuDuration: -1\nNumberOfJobs: 3\n".into(), Some("Negative NormalisedCpuDuration")),
        ("APEL-normalised-summary-message: v0.4\nSite: s\nMonth: 3\nYear: 2020\nWallDuration: 10\nCpuDuration: 5\nNormalisedWallDuration: {hepspec: 100}\nNormalisedCpuDuration: {si2k: 50}\nNumberOfJobs: 3\n".into(), Some("Mixture of benchmark types detected")),
        ("APEL-normalised-summary-message: v0.4\nSite: s\nMonth: 3\nYear: 2020\nWallDuration: 10\nCpuDuration: 5\nNormalisedWallDuration: {hepspec: nan}\nNormalisedCpuDuration: {hepspec: 50}\nNumberOfJobs: 3\n".into(), Some("Invalid int value nan in field NormalisedWallDuration")),
        ("APEL-normalised-summary-message: v0.4\nSite: s\nMonth: 3\nYear: 2020\nWallDuration: 10\nCpuDuration: 5\nNormalisedWallDuration: {hepspec: inf}\nNormalisedCpuDuration: {hepspec: 50}\nNumberOfJobs: 3\n".into(), Some("CRASH")),
        ("APEL-sync-message: v0.1\nSite: s\nMonth: 13\nYear: 2999\nNumberOfJobs: -3\n".into(), None),
        ("APEL-sync-message: v0.1\nSite: s\nMonth: 1\nYear: 2020\nNumberOfJobs: 3\nUpdateTime: x\n".into(), Some("Unknown field: UpdateTime")),
        ("APEL-cloud-message: v0.4\nVMUUID: u\nSiteName: s\n".into(), None),
        ("APEL-cloud-message: v0.4\nVMUUID: u\nSiteName: s\nMemory: 1.5\n".into(), Some("Invalid int value 1.5 in field Memory")),
        ("APEL-cloud-message: v0.4\nSiteName: s\n".into(), Some("Mandatory field VMUUID not specified.")),
        ("".into(), Some("CRASH")),
        (" \n\t ".into(), Some("CRASH")),
    ];
    let mut failures = Vec::new();
    for (input, expected) in &cases {
        let got = verdict(input);
        let got_norm = got.as_deref().map(|g| {
            if g.starts_with("IndexError") {
                "CRASH"
            } else {
                g
            }
        });
        if got_norm != *expected {
            failures.push(format!(
                "{input:?}\n    expected {expected:?}\n    got      {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
