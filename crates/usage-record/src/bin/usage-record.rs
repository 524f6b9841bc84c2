//! `usage-record`: validate accounting data the way CI pipelines need it (APEL text and JSON
//! messages; CAR and StAR XML in the apel profile).
//!
//! ```text
//! usage-record validate [--profile apel|strict] [--output human|json|sarif] [--at RFC3339] [FILE...|-]
//! usage-record convert --to apel|car|aur|star|ur1|ur2|json [--output FILE] [--profile strict|apel] [--at RFC3339] FILE|-
//! usage-record summarise [--at RFC3339] [--output-dir DIR [--records-per-message N]] FILE...
//! ```
//!
//! Exit status: 0 when every input is valid, 1 when some input is invalid (for `convert`: also
//! when the output is not valid in the target format), 2 on a usage or I/O error (for
//! `convert`: also when the target cannot carry the records).

use clap::{Parser, Subcommand, ValueEnum};
use fedcloud_core::{Clock, FixedClock, SystemClock, UtcTime};
use serde_json::{Value as Json, json};
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::process::ExitCode;
use usage_record::apel::{Options, Profile, validate_reader};
use usage_record::{Code, Finding, Severity};

#[derive(Parser)]
#[command(
    name = "usage-record",
    version,
    about = "Validate EGI accounting records (APEL text messages)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate messages; every finding with its record, line, column and field.
    Validate {
        /// Which rules: apel 2.5.0's loader, or the published EGI record definitions.
        #[arg(long, value_enum, default_value = "apel")]
        profile: ProfileArg,
        /// Report format.
        #[arg(long, value_enum, default_value = "human")]
        output: Output,
        /// "Now" for the time checks (RFC 3339, e.g. 2026-11-21T00:00:00Z); default: the clock.
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
        /// Files to validate; `-` or none reads standard input.
        files: Vec<String>,
    },
    /// Convert a document to another format. Differences (values dropped, required values
    /// missing, values assumed) and the output's own findings go to standard error.
    Convert {
        /// The target format.
        #[arg(long, value_name = "FORMAT")]
        to: String,
        /// Where to write the result; default: standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<String>,
        /// The rules the input is read with (strict reads UR 1.0, AUR and UR 2.0, which apel
        /// does not load).
        #[arg(long, value_enum, default_value = "strict")]
        profile: ProfileArg,
        /// "Now" (RFC 3339): the time checks of the input and the createTime of generated
        /// record identities; default: the clock.
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
        /// The document; `-` reads standard input.
        file: String,
    },
    /// Build the cloud summary message (APEL-cloud-summary-message v0.4) from cloud record
    /// messages, as apel's server summarises them.
    Summarise {
        /// "Now" for validating the input (RFC 3339); default: the clock.
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
        /// Write the summaries as messages of at most --records-per-message records, as files
        /// `cloud-summary-00001.apel`, … in this directory (apel's unloader splits the same
        /// way), instead of one message on standard output.
        #[arg(long, value_name = "DIR")]
        output_dir: Option<String>,
        /// Records per message with --output-dir.
        #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
        records_per_message: u32,
        /// Cloud record messages, in the order they would be loaded; `-` or none reads standard
        /// input.
        files: Vec<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ProfileArg {
    Apel,
    Strict,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    Human,
    Json,
    Sarif,
}

/// The outcome of one input.
struct FileReport {
    path: String,
    format: &'static str,
    records: usize,
    valid_records: usize,
    valid: bool,
    findings: Vec<Finding>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Validate {
            profile,
            output,
            at,
            files,
        } => validate(profile, output, at.as_deref(), files),
        Command::Convert {
            to,
            output,
            profile,
            at,
            file,
        } => convert(&to, output.as_deref(), profile, at.as_deref(), &file),
        Command::Summarise {
            at,
            output_dir,
            records_per_message,
            files,
        } => summarise(
            at.as_deref(),
            output_dir.as_deref(),
            records_per_message,
            files,
        ),
    }
}

fn now_from(at: Option<&str>) -> Result<UtcTime, ExitCode> {
    match at {
        Some(text) => UtcTime::parse_lenient(text).map_err(|e| {
            eprintln!("usage-record: --at {text:?}: {e}");
            ExitCode::from(2)
        }),
        None => Ok(SystemClock.now()),
    }
}

/// Reads the cloud records of every input (invalid records are reported on standard error and
/// left out), and prints one cloud summary message.
fn summarise(
    at: Option<&str>,
    output_dir: Option<&str>,
    per_message: u32,
    files: Vec<String>,
) -> ExitCode {
    let now = match now_from(at) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let options = Options::new(Profile::Apel, &FixedClock(now));
    let files = if files.is_empty() {
        vec!["-".to_owned()]
    } else {
        files
    };
    let mut records = Vec::new();
    let mut invalid = false;
    for path in &files {
        let bytes = if path == "-" {
            let mut b = Vec::new();
            std::io::stdin().lock().read_to_end(&mut b).map(|_| b)
        } else {
            std::fs::read(path)
        };
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                eprintln!("usage-record: {path}: {e}");
                return ExitCode::from(2);
            }
        };
        let msg = usage_record::apel::parse_any(&bytes, &options);
        if msg.record_type != Some(usage_record::apel::RecordType::Cloud) {
            eprintln!("usage-record: {path}: not a cloud record message");
            return ExitCode::from(2);
        }
        for f in msg.findings.iter().filter(|f| f.is_error()) {
            eprintln!("{}", human_line(path, f));
            invalid = true;
        }
        records.extend(
            msg.records
                .into_iter()
                .filter(|e| e.valid)
                .map(|e| e.record.into_owned()),
        );
    }
    let summaries = usage_record::apel::summarise_cloud(&records);
    let written = match output_dir {
        None => usage_record::apel::render_message(&summaries)
            .map_err(|e| e.to_string())
            .map(|text| print!("{text}")),
        Some(dir) => write_messages(dir, &summaries, per_message),
    };
    if let Err(e) = written {
        eprintln!("usage-record: {e}");
        return ExitCode::from(2);
    }
    if invalid {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes `records` as messages of at most `per_message` records, one file each.
fn write_messages(
    dir: &str,
    records: &[usage_record::apel::Record<'_>],
    per_message: u32,
) -> Result<(), String> {
    let per_message = usize::try_from(per_message).unwrap_or(usize::MAX).max(1);
    std::fs::create_dir_all(dir).map_err(|e| format!("{dir}: {e}"))?;
    for (i, chunk) in records.chunks(per_message).enumerate() {
        let text = usage_record::apel::render_message(chunk).map_err(|e| e.to_string())?;
        let path = std::path::Path::new(dir).join(format!("cloud-summary-{:05}.apel", i + 1));
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

fn profile_of(p: ProfileArg) -> Profile {
    match p {
        ProfileArg::Apel => Profile::Apel,
        ProfileArg::Strict => Profile::Strict,
    }
}

/// `convert`: reads one document, writes it in the target format, reports differences.
fn convert(
    to: &str,
    output: Option<&str>,
    profile: ProfileArg,
    at: Option<&str>,
    path: &str,
) -> ExitCode {
    use usage_record::convert::{ConvertError, Target};
    let target: Target = match to.parse() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("usage-record: --to: {e}");
            return ExitCode::from(2);
        }
    };
    let now = match now_from(at) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let options = Options::new(profile_of(profile), &FixedClock(now));
    let bytes = if path == "-" {
        read_whole(std::io::stdin().lock(), &options)
    } else {
        std::fs::File::open(path)
            .map_err(|e| e.to_string())
            .and_then(|f| read_whole(f, &options))
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            eprintln!("usage-record: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let (msg, conversion) = match usage_record::convert::convert(&bytes, target, &options) {
        Ok(r) => r,
        Err(ConvertError::NothingToConvert) => {
            let msg = usage_record::convert::read(&bytes, &options);
            for f in &msg.findings {
                eprintln!("{}", human_line(path, f));
            }
            eprintln!("usage-record: {path}: no valid record to convert");
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!("usage-record: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    for f in &msg.findings {
        eprintln!("{}", human_line(path, f));
    }
    for l in &conversion.losses {
        let at = l
            .position
            .map(|p| format!("{path}:{}:{}: ", p.line, p.column))
            .unwrap_or_else(|| format!("{path}: "));
        eprintln!(
            "{at}{}[{}] record {} ({} record{}): {}",
            l.kind.as_str(),
            l.field,
            l.first_record,
            l.count,
            if l.count == 1 { "" } else { "s" },
            l.message
        );
    }
    let out_name = output.unwrap_or("(output)");
    for f in &conversion.output_findings {
        eprintln!("{}", human_line(out_name, f));
    }
    let written = match output {
        Some(file) => std::fs::write(file, &conversion.output).map_err(|e| format!("{file}: {e}")),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(conversion.output.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| e.to_string())
        }
    };
    if let Err(e) = written {
        eprintln!("usage-record: {e}");
        return ExitCode::from(2);
    }
    if msg.is_valid() && conversion.output_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn validate(profile: ProfileArg, output: Output, at: Option<&str>, files: Vec<String>) -> ExitCode {
    let now = match now_from(at) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let options = Options::new(profile_of(profile), &FixedClock(now));
    let files = if files.is_empty() {
        vec!["-".to_owned()]
    } else {
        files
    };
    let mut reports = Vec::new();
    let mut trouble = false;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in &files {
        match validate_one(path, &options, output, &mut out) {
            Ok(report) => reports.push(report),
            Err(message) => {
                eprintln!("usage-record: {path}: {message}");
                trouble = true;
            }
        }
    }
    let written = match output {
        Output::Human => Ok(()),
        Output::Json => writeln!(out, "{}", json_report(&reports)),
        Output::Sarif => writeln!(out, "{}", sarif_report(&reports)),
    };
    if let Err(e) = written.and_then(|()| out.flush()) {
        eprintln!("usage-record: writing the report: {e}");
        return ExitCode::from(2);
    }
    if trouble {
        ExitCode::from(2)
    } else if reports.iter().all(|r| r.valid) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn validate_one(
    path: &str,
    options: &Options,
    output: Output,
    out: &mut impl Write,
) -> Result<FileReport, String> {
    let reader: Box<dyn Read> = if path == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(path).map_err(|e| e.to_string())?)
    };
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let format = detect(&mut reader).map_err(|e| e.to_string())?;
    match format {
        "apel-json" => {
            return validate_whole(path, reader, options, output, out, format, |b, o| {
                usage_record::apel::parse_json_message(b, o)
            });
        }
        "xml" => return validate_xml(path, reader, options, output, out),
        _ => {}
    }
    let progress = std::io::stderr().is_terminal();
    let mut findings = Vec::new();
    let mut write_error = None;
    let mut seen = 0usize;
    let summary = validate_reader(&mut reader, options, |_, record_findings| {
        seen += 1;
        if progress && seen.is_multiple_of(100_000) {
            eprint!("\r{path}: {seen} records");
        }
        if output == Output::Human {
            for f in record_findings {
                if let Err(e) = writeln!(out, "{}", human_line(path, f)) {
                    write_error.get_or_insert(e);
                }
            }
        } else {
            findings.extend_from_slice(record_findings);
        }
    })
    .map_err(|e| e.to_string())?;
    if progress && seen >= 100_000 {
        eprintln!();
    }
    if let Some(e) = write_error {
        return Err(format!("writing the report: {e}"));
    }
    let valid = summary.is_valid();
    if output == Output::Human {
        for f in &summary.findings {
            writeln!(out, "{}", human_line(path, f)).map_err(|e| e.to_string())?;
        }
        writeln!(
            out,
            "{path}: {} ({} records, {} valid)",
            if valid { "valid" } else { "INVALID" },
            summary.records,
            summary.records - summary.invalid_records
        )
        .map_err(|e| e.to_string())?;
    }
    let mut all = summary.findings;
    all.extend(findings);
    all.sort_by_key(|f| f.position.offset);
    Ok(FileReport {
        path: path.to_owned(),
        format,
        records: summary.records,
        valid_records: summary.records - summary.invalid_records,
        valid,
        findings: all,
    })
}

/// Reads a whole input, up to the message size limit (plus one byte, so that the parser sees
/// the excess and reports the limit).
fn read_whole(reader: impl Read, options: &Options) -> Result<Vec<u8>, String> {
    let limit = options.limits.max_message_bytes;
    let mut bytes = Vec::new();
    reader
        .take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// XML documents: the format named by the root namespace. Under `strict`, UR 1.0 and AUR
/// documents (no APEL records are read from them) get the schema pass alone, which counts
/// their records; everything else goes through `parse_xml_message`.
fn validate_xml(
    path: &str,
    reader: impl Read,
    options: &Options,
    output: Output,
    out: &mut impl Write,
) -> Result<FileReport, String> {
    let bytes = read_whole(reader, options)?;
    let detected = usage_record::xsd::detect_format(&bytes);
    if options.profile == Profile::Strict && detected.is_some_and(|f| f.is_schema_only()) {
        let report = usage_record::xsd::validate_document(&bytes, &options.limits);
        let format = detected.map_or("xml", |f| f.as_str());
        let counts = (report.records, report.valid_records);
        return report_findings(path, report.findings, counts, output, out, format);
    }
    let msg = usage_record::apel::parse_xml_message(&bytes, options);
    let format = match (detected, msg.record_type) {
        (Some(f), _) => f.as_str(),
        (None, Some(usage_record::apel::RecordType::Storage)) => "star",
        _ => "xml",
    };
    let counts = (
        msg.records.len(),
        msg.records.iter().filter(|e| e.valid).count(),
    );
    report_findings(path, msg.findings, counts, output, out, format)
}

/// JSON messages (at most 1000 records) are read whole, up to the message size limit.
fn validate_whole(
    path: &str,
    reader: impl Read,
    options: &Options,
    output: Output,
    out: &mut impl Write,
    format: &'static str,
    parse: for<'a> fn(&'a [u8], &Options) -> usage_record::apel::Message<'a>,
) -> Result<FileReport, String> {
    let bytes = read_whole(reader, options)?;
    let msg = parse(&bytes, options);
    let counts = (
        msg.records.len(),
        msg.records.iter().filter(|e| e.valid).count(),
    );
    report_findings(path, msg.findings, counts, output, out, format)
}

/// The report of an input read whole: its findings and record counts; human lines written as
/// they are made. Valid when no finding is an error.
fn report_findings(
    path: &str,
    findings: Vec<Finding>,
    (records, valid_records): (usize, usize),
    output: Output,
    out: &mut impl Write,
    format: &'static str,
) -> Result<FileReport, String> {
    let valid = !findings.iter().any(Finding::is_error);
    if output == Output::Human {
        for f in &findings {
            writeln!(out, "{}", human_line(path, f)).map_err(|e| e.to_string())?;
        }
        writeln!(
            out,
            "{path}: {} ({records} records, {valid_records} valid)",
            if valid { "valid" } else { "INVALID" }
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(FileReport {
        path: path.to_owned(),
        format,
        records,
        valid_records,
        valid,
        findings,
    })
}

/// The format of an input from its first non-blank byte.
fn detect(reader: &mut impl BufRead) -> std::io::Result<&'static str> {
    let buf = reader.fill_buf()?;
    Ok(match buf.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<') => "xml",
        Some(b'{' | b'[') => "apel-json",
        _ => "apel-text",
    })
}

fn human_line(path: &str, f: &Finding) -> String {
    let mut s = format!(
        "{path}:{}:{}: {}[{}]",
        f.position.line,
        f.position.column,
        f.severity.as_str(),
        f.code
    );
    if let Some(r) = f.record {
        s.push_str(&format!(" record {r}"));
    }
    if let Some(field) = &f.field {
        s.push_str(&format!(" {field}"));
    }
    s.push_str(": ");
    s.push_str(&f.message);
    if let Some(apel) = &f.apel_message {
        s.push_str(&format!(" (apel: {apel})"));
    }
    s
}

fn finding_json(f: &Finding) -> Json {
    json!({
        "record": f.record,
        "line": f.position.line,
        "column": f.position.column,
        "field": f.field,
        "code": f.code.as_str(),
        "severity": f.severity.as_str(),
        "message": f.message,
        "apel_message": f.apel_message,
    })
}

fn json_report(reports: &[FileReport]) -> Json {
    json!({
        "files": reports.iter().map(|r| json!({
            "path": r.path,
            "format": r.format,
            "records": r.records,
            "valid_records": r.valid_records,
            "valid": r.valid,
            "findings": r.findings.iter().map(finding_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>()
    })
}

/// SARIF 2.1.0, as code-scanning services read it.
fn sarif_report(reports: &[FileReport]) -> Json {
    let rules: Vec<Json> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "shortDescription": { "text": c.as_str().replace('-', " ") },
            })
        })
        .collect();
    let results: Vec<Json> = reports
        .iter()
        .flat_map(|r| {
            r.findings.iter().map(move |f| {
                let rule_index = Code::ALL.iter().position(|c| *c == f.code);
                json!({
                    "ruleId": f.code.as_str(),
                    "ruleIndex": rule_index,
                    "level": match f.severity {
                        Severity::Error => "error",
                        _ => "warning",
                    },
                    "message": { "text": match (f.record, &f.field) {
                        (Some(i), Some(field)) => format!("record {i}, {field}: {}", f.message),
                        (Some(i), None) => format!("record {i}: {}", f.message),
                        _ => f.message.clone(),
                    }},
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": if r.path == "-" { "stdin" } else { r.path.as_str() } },
                            "region": { "startLine": f.position.line, "startColumn": f.position.column },
                        }
                    }],
                })
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "usage-record",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }]
    })
}
