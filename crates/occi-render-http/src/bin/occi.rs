//! `occi`: parse and convert OCCI renderings from the command line.
//!
//! ```text
//! occi parse --type MEDIA_TYPE [--mode strict-1.1|strict-1.2|lenient] [--model FILE]
//!            [--output json|text] FILE|-
//! occi convert --from MEDIA_TYPE --to MEDIA_TYPE [--mode …] [--model FILE] FILE|-
//! ```
//!
//! Entities and action invocations are validated against a registry: by default OCCI Core
//! and Infrastructure of the mode's version with the CRTP templates and the EGI extensions,
//! where an unknown category or `occi.` attribute in the documents' namespace is an error
//! and a provider's is a notice; with `--model`, the server's own query-interface rendering
//! (text/plain, a text/occi message or JSON), where everything unknown is an error. Strict
//! modes refuse what the registry forbids; lenient mode reports it as warnings.
//!
//! Exit status: 0 when the input is valid in the mode, 1 with a positioned error when it is
//! not, 2 on usage errors (including a `--model` file that is no registry).

use clap::{Parser as ClapParser, Subcommand, ValueEnum};
use occi_render_http::occi_model::{Model, OcciVersion, Severity, UnknownCategories};
use occi_render_http::protocol::model_from_query_interface;
use occi_render_http::{Error, ErrorKind, MediaType, Mode, Parser, losses, render};
use std::io::{Read, Write};
use std::process::ExitCode;

#[derive(ClapParser)]
#[command(name = "occi", version, about = "Parse and convert OCCI renderings")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse a rendering; print it as OCCI 1.2 JSON (or canonical text/plain).
    Parse {
        /// The media type of the input (text/plain, text/occi, text/uri-list,
        /// application/occi+json).
        #[arg(long = "type")]
        media: String,
        /// strict-1.1, strict-1.2 or lenient.
        #[arg(long, default_value = "strict-1.2")]
        mode: String,
        /// A server's query-interface rendering to validate against instead of the built-in
        /// registry.
        #[arg(long)]
        model: Option<String>,
        /// How to print the content and errors.
        #[arg(long, value_enum, default_value = "json")]
        output: Output,
        /// The input file, or - for standard input.
        file: String,
    },
    /// Parse a rendering and render it in another media type.
    Convert {
        /// The media type of the input.
        #[arg(long)]
        from: String,
        /// The media type of the output.
        #[arg(long)]
        to: String,
        /// strict-1.1, strict-1.2 or lenient.
        #[arg(long, default_value = "strict-1.2")]
        mode: String,
        /// A server's query-interface rendering to validate against instead of the built-in
        /// registry.
        #[arg(long)]
        model: Option<String>,
        /// The input file, or - for standard input.
        file: String,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Output {
    Json,
    Text,
}

fn usage(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "occi: {message}");
    ExitCode::from(2)
}

fn read_input(file: &str) -> std::io::Result<Vec<u8>> {
    if file == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        Ok(buf)
    } else {
        std::fs::read(file)
    }
}

fn report(e: &Error, output: Output) -> ExitCode {
    let p = e.position();
    let violations = match e.kind() {
        ErrorKind::Invalid(v) => v.as_slice(),
        _ => &[],
    };
    if output == Output::Json {
        let mut error = serde_json::json!({
            "line": p.line, "column": p.column, "offset": p.offset, "message": e.kind().to_string()
        });
        if let Some(o) = error.as_object_mut()
            && !violations.is_empty()
        {
            let list = violations
                .iter()
                .map(|v| {
                    serde_json::json!({
                        "code": v.finding.code.as_str(),
                        "line": v.position.line,
                        "column": v.position.column,
                        "offset": v.position.offset,
                        "attribute": v.finding.attribute.as_ref().map(ToString::to_string),
                        "category": v.finding.category.as_ref().map(ToString::to_string),
                        "message": v.finding.to_string(),
                    })
                })
                .collect();
            o.insert("violations".into(), list);
        }
        let _ = writeln!(
            std::io::stdout(),
            "{}",
            serde_json::json!({ "error": error })
        );
    } else if violations.is_empty() {
        let _ = writeln!(std::io::stderr(), "error: {e}");
    } else {
        for v in violations {
            let _ = writeln!(std::io::stderr(), "error: {v}");
        }
    }
    ExitCode::from(1)
}

/// The registry to validate against: the server's listing in `file`, or the built-in one.
fn registry(
    file: Option<&str>,
    version: OcciVersion,
) -> Result<(Model, UnknownCategories), String> {
    let Some(file) = file else {
        let model = Model::infrastructure(version)
            .with_crtp()
            .with_egi_extensions();
        return Ok((model, UnknownCategories::RejectReserved));
    };
    let bytes = read_input(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let text = String::from_utf8_lossy(&bytes);
    let start = text.trim_start();
    let media = if start.starts_with('{') {
        MediaType::Json
    } else if start.starts_with("HTTP/") {
        MediaType::TextOcci
    } else {
        MediaType::TextPlain
    };
    let listing = Parser::new(Mode::Lenient)
        .parse(media, &bytes)
        .map_err(|e| format!("--model {file}: {e}"))?;
    let model = model_from_query_interface(&listing.message, version)
        .map_err(|e| format!("--model {file}: {}", e.kind()))?;
    Ok((model, UnknownCategories::Reject))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (media, to, mode, model_file, output, file) = match cli.command {
        Command::Parse {
            media,
            mode,
            model,
            output,
            file,
        } => (
            media,
            if output == Output::Json {
                "application/occi+json".to_owned()
            } else {
                "text/plain".to_owned()
            },
            mode,
            model,
            output,
            file,
        ),
        Command::Convert {
            from,
            to,
            mode,
            model,
            file,
        } => (from, to, mode, model, Output::Text, file),
    };
    let Ok(from) = media.parse::<MediaType>() else {
        return usage(&format!("unsupported media type {media:?}"));
    };
    let Ok(to) = to.parse::<MediaType>() else {
        return usage(&format!("unsupported media type {to:?}"));
    };
    let mode: Mode = match mode.parse() {
        Ok(m) => m,
        Err(e) => return usage(&e),
    };
    let input = match read_input(&file) {
        Ok(i) => i,
        Err(e) => return usage(&format!("cannot read {file}: {e}")),
    };
    let version = if mode == Mode::Strict11 {
        OcciVersion::V1_1
    } else {
        OcciVersion::V1_2
    };
    let (model, unknown) = match registry(model_file.as_deref(), version) {
        Ok(r) => r,
        Err(e) => return usage(&e),
    };
    let parser = Parser::new(mode)
        .with_model(&model)
        .with_unknown_categories(unknown);
    let parsed = match parser.parse(from, &input) {
        Ok(p) => p,
        Err(e) => return report(&e, output),
    };
    let mut stderr = std::io::stderr();
    for w in &parsed.warnings {
        let _ = writeln!(stderr, "warning: {w}");
    }
    for v in &parsed.findings {
        let level = if v.finding.severity == Severity::Notice {
            "notice"
        } else {
            "warning"
        };
        let _ = writeln!(stderr, "{level}: {v}");
    }
    for loss in losses(to, &parsed.message, Some(&model)) {
        let _ = writeln!(stderr, "warning: {to} cannot carry {loss}");
    }
    match render(to, &parsed.message, Some(&model)) {
        Ok(text) => {
            let mut out = std::io::stdout();
            let _ = out.write_all(text.as_bytes());
            if !text.ends_with('\n') {
                let _ = out.write_all(b"\n");
            }
            ExitCode::SUCCESS
        }
        Err(e) => report(&e, output),
    }
}
