//! Interoperability with the reference XML Schema validator: `xmllint --schema` (Debian
//! `libxml2-utils`) and our built-in validation (`usage_record::xsd`) give the same verdict on
//!
//! - the corpus CAR and AUR documents, moved to the 2012/10 namespace of the v1.1 XSDs;
//! - three seed documents of ours (UR 1.0, CAR 1.1, AUR 1.1) and every single-line mutation of
//!   them (a line deleted, duplicated, swapped with the next, its text or first attribute value
//!   replaced by a value from a list of edge cases) — a few thousand documents that probe each
//!   content model, attribute and simple type;
//! - what `usage_record::convert` renders: the corpus job messages (and a clean one of ours) as
//!   UR 1.0, the corpus summary messages (and one of ours) as AUR (moved to 2012/10), so that the converter's own verdict on its
//!   output is checked against the reference tool too.
//!
//! Verdicts that differ are listed with their reason in `expected/usage-record-xmllint.txt`;
//! a new difference or a listed one that disappears fails the suite. Skips with a notice when
//! xmllint is absent.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use fedcloud_conformance::{Outcome, corpus_area, ratchet, reference_tool};
use std::path::{Path, PathBuf};
use std::process::Command;
use usage_record::apel::Limits;
use usage_record::xsd::validate_document;

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/usage-record-xml");

/// Values put in place of an element's text or an attribute's value.
const EDGE_VALUES: &[&str] = &[
    "",
    "0",
    "-1",
    "+7",
    " 12 ",
    "1.5",
    "1e3",
    "INF",
    "NaN",
    "2147483648",
    "P1D",
    "PT",
    "P1DT",
    "-PT5M",
    "PT1.5H",
    "2012-02-29T10:00:00Z",
    "2013-02-29T10:00:00Z",
    "2013-01-01T24:00:00Z",
    "2013-01-01T10:00:00+14:30",
    "2013-01-01 10:00:00",
    "true",
    "TRUE",
    "host:2119/jobmanager-pbs",
    "wn-01.example.org",
    "a",
    "grid",
    " grid",
    "completed",
    "Completed",
    "all",
    "TB",
    "GB",
    "a b",
];

/// One schema of the corpus and the seed written against it.
struct Case {
    name: &'static str,
    schema: &'static str,
    seed: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "ur1",
        schema: "ogf-ur-1.0/urf-local-dsig-import.xsd",
        seed: "ur1-seed.xml",
    },
    Case {
        name: "car11",
        schema: "emi-car/car_v1.1.xsd",
        seed: "car11-seed.xml",
    },
    Case {
        name: "aur11",
        schema: "emi-car/car_aggregated_v1.1.xsd",
        seed: "aur11-seed.xml",
    },
];

/// Whether a line holds one whole element (the unit of mutation).
fn whole_element(line: &str) -> bool {
    let l = line.trim();
    l.starts_with('<')
        && !l.starts_with("<?")
        && !l.starts_with("</")
        && (l.ends_with("/>") || (l.contains("</") && l.ends_with('>')))
}

/// Every single-line mutation of `seed`, each with a stable id.
fn mutants(seed: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = seed.lines().collect();
    let join = |v: Vec<&str>| v.join("\n") + "\n";
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !whole_element(line) {
            continue;
        }
        let n = i + 1;
        let mut v = lines.clone();
        v.remove(i);
        out.push((format!("L{n}-delete"), join(v)));
        let mut v = lines.clone();
        v.insert(i, line);
        out.push((format!("L{n}-duplicate"), join(v)));
        if i + 1 < lines.len() && whole_element(lines[i + 1]) {
            let mut v = lines.clone();
            v.swap(i, i + 1);
            out.push((format!("L{n}-swap"), join(v)));
        }
        // The text of a simple element: between the first '>' and the last '</'.
        if let (Some(open), Some(close)) = (line.find('>'), line.rfind("</"))
            && open < close
            && !line[open + 1..close].contains('<')
        {
            for (k, value) in EDGE_VALUES.iter().enumerate() {
                let changed = format!("{}{}{}", &line[..=open], value, &line[close..]);
                let mut v = lines.clone();
                v[i] = &changed;
                out.push((format!("L{n}-text{k}"), join(v)));
            }
        }
        // The first attribute value.
        if let Some(eq) = line.find("=\"") {
            let start = eq + 2;
            if let Some(len) = line[start..].find('"') {
                for (k, value) in EDGE_VALUES.iter().enumerate() {
                    let changed = format!("{}{}{}", &line[..start], value, &line[start + len..]);
                    let mut v = lines.clone();
                    v[i] = &changed;
                    out.push((format!("L{n}-attr{k}"), join(v)));
                }
                // The attribute unqualified.
                let name_start = line[..eq].rfind(' ').map_or(0, |p| p + 1);
                if let Some(colon) = line[name_start..eq].find(':') {
                    let changed =
                        format!("{}{}", &line[..name_start], &line[name_start + colon + 1..]);
                    let mut v = lines.clone();
                    v[i] = &changed;
                    out.push((format!("L{n}-unqualify"), join(v)));
                }
            }
        }
    }
    out
}

/// xmllint's verdict (true = validates) for each file, in one run per schema.
fn xmllint(tool: &Path, schema: &Path, files: &[PathBuf]) -> Vec<bool> {
    let mut verdicts = Vec::with_capacity(files.len());
    for chunk in files.chunks(500) {
        let out = Command::new(tool)
            .args(["--noout", "--nonet", "--schema"])
            .arg(schema)
            .args(chunk)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        for f in chunk {
            let name = f.display().to_string();
            let ok = stderr.lines().any(|l| l == format!("{name} validates"));
            let bad = stderr
                .lines()
                .any(|l| l == format!("{name} fails to validate"));
            assert!(
                ok ^ bad,
                "no single verdict from xmllint for {name}:\n{stderr}"
            );
            verdicts.push(ok);
        }
    }
    verdicts
}

fn ours(doc: &[u8]) -> (bool, String) {
    let r = validate_document(doc, &Limits::default());
    let first = r
        .findings
        .first()
        .map(|f| format!("{}: {}", f.code, f.message))
        .unwrap_or_default();
    (r.is_valid(), first)
}

/// The corpus APEL messages the case's format can carry, converted to it.
fn rendered(dir: &Path, case: &str) -> Result<Vec<(String, String)>, Box<dyn std::error::Error>> {
    use usage_record::apel::{Options, Profile, RecordType, parse_any};
    use usage_record::convert::{Target, render};
    use usage_record::fedcloud_core::{FixedClock, UtcTime};
    let (target, types): (Target, &[RecordType]) = match case {
        "ur1" => (Target::Ur1, &[RecordType::Job, RecordType::Job04]),
        "aur11" => (Target::Aur, &[RecordType::Summary, RecordType::Summary04]),
        _ => return Ok(Vec::new()),
    };
    let now = UtcTime::parse_strict("2026-11-21T00:00:00Z")?;
    let options = Options::new(Profile::Apel, &FixedClock(now));
    let mut docs = Vec::new();
    let mut sources: Vec<PathBuf> = std::fs::read_dir(dir.join("apel/messages"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    // And two clean messages of ours whose conversions are valid.
    sources.push(Path::new(SEEDS).join("convert-job.apel"));
    sources.push(Path::new(SEEDS).join("convert-summary.apel"));
    sources.sort();
    let mut valid = 0;
    for p in sources {
        let bytes = std::fs::read(&p)?;
        let msg = parse_any(&bytes, &options);
        if !msg.record_type.is_some_and(|t| types.contains(&t)) {
            continue;
        }
        let records: Vec<_> = msg.valid_records().cloned().collect();
        if records.is_empty() {
            continue;
        }
        let c = render(&records, target, &options)?;
        valid += usize::from(c.output_valid());
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        docs.push((
            format!("rendered-{name}"),
            c.output.replace("/2012/11/", "/2012/10/"),
        ));
    }
    assert!(
        valid > 0,
        "no rendered {case} document is valid by our own verdict"
    );
    Ok(docs)
}

#[test]
fn verdicts_equal_xmllint() -> Result<(), Box<dyn std::error::Error>> {
    let Some(dir) = corpus_area("usage-record")? else {
        return Ok(());
    };
    let Some(tool) = reference_tool("xmllint") else {
        return Ok(());
    };
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("usage-record-xmllint");
    let _ = std::fs::remove_dir_all(&work);
    let mut outcomes = Vec::new();
    let mut compared = 0usize;
    for case in CASES {
        let case_dir = work.join(case.name);
        std::fs::create_dir_all(&case_dir)?;
        let seed = std::fs::read_to_string(Path::new(SEEDS).join(case.seed))?;
        let mut docs = vec![("seed".to_owned(), seed.clone())];
        docs.extend(mutants(&seed));
        // The corpus documents of this schema's format, moved to the 2012/10 namespace.
        if case.name != "ur1" {
            let sub = if case.name == "car11" { "car" } else { "aur" };
            for f in std::fs::read_dir(dir.join("apel/xml").join(sub))? {
                let p = f?.path();
                let text = std::fs::read_to_string(&p)?.replace("/2012/11/", "/2012/10/");
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                docs.push((format!("corpus-{name}"), text));
            }
            if case.name == "car11" {
                let p = dir.join("ssm/car-com-prefix.xml");
                let text = std::fs::read_to_string(&p)?.replace("/2012/11/", "/2012/10/");
                docs.push(("corpus-ssm-car-com-prefix.xml".into(), text));
            }
        }
        docs.extend(rendered(&dir, case.name)?);
        let mut files = Vec::new();
        for (id, text) in &docs {
            let path = case_dir.join(format!("{id}.xml"));
            std::fs::write(&path, text)?;
            files.push(path);
        }
        let theirs = xmllint(&tool, &dir.join("schemas").join(case.schema), &files);
        for ((id, text), their) in docs.iter().zip(theirs) {
            let (mine, why) = ours(text.as_bytes());
            compared += 1;
            let id = format!("{}/{id}", case.name);
            outcomes.push(if mine == their {
                Outcome::pass(id)
            } else {
                Outcome::fail(
                    id,
                    format!("xmllint valid={their}, ours valid={mine} ({why})"),
                )
            });
        }
        assert!(
            ours(seed.as_bytes()).0,
            "{} seed: {}",
            case.name,
            ours(seed.as_bytes()).1
        );
    }
    println!("{compared} documents compared with xmllint");
    assert!(compared > 1000);
    ratchet("usage-record-xmllint", &outcomes)?;
    Ok(())
}
