//! `cdmi`: object IDs and bodies from the command line.
//!
//! ```text
//! cdmi objectid check [--lenient] [--output human|json] ID
//! cdmi objectid new --enterprise N [--opaque HEX]
//! cdmi parse --type MEDIA_TYPE [--lenient] FILE|-
//! ```
//!
//! Exit status: 0 when the input is valid (an ID `--lenient` tolerates counts as valid), 1
//! when it is not (with the problems or a positioned error), 2 on usage errors.

use cdmi::ObjectId;
use cdmi::media::parse_media_type;
use cdmi::object::{Mode, Object};
use cdmi::objectid::inspect;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{Read, Write};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "cdmi", version, about = "CDMI object IDs and bodies")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Object IDs.
    Objectid {
        #[command(subcommand)]
        command: IdCommand,
    },
    /// Parse a body of a CDMI media type; print it in canonical JSON.
    Parse {
        /// The media type (application/cdmi-object, -container, -capability, -domain,
        /// -queue, their +json forms; with --lenient also the 2010 draft names).
        #[arg(long = "type")]
        media: String,
        /// Accept what deployed servers send, with warnings on stderr.
        #[arg(long)]
        lenient: bool,
        /// The file, or - for standard input.
        file: String,
    },
}

#[derive(Subcommand)]
enum IdCommand {
    /// Check an object ID: its fields and every problem.
    Check {
        /// Accept the mistakes of deployed servers (Onedata, the reference implementation).
        #[arg(long)]
        lenient: bool,
        /// How to print the result.
        #[arg(long, value_enum, default_value = "human")]
        output: Output,
        /// The ID in base16.
        id: String,
    },
    /// Make an object ID.
    New {
        /// The IANA SNMP enterprise number (1 to 16777215).
        #[arg(long)]
        enterprise: u32,
        /// The opaque data in base16 (1 to 32 bytes); 16 random bytes when absent.
        #[arg(long)]
        opaque: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Output {
    Human,
    Json,
}

fn usage(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "cdmi: {message}");
    ExitCode::from(2)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn check(id: &str, lenient: bool, output: Output) -> ExitCode {
    let i = inspect(id.trim());
    let ok = i.is_valid() || (lenient && i.is_tolerated());
    let mut out = std::io::stdout();
    if output == Output::Json {
        let problems: Vec<serde_json::Value> = i
            .problems
            .iter()
            .map(|p| serde_json::json!({"code": p.code(), "message": p.to_string(), "tolerated": p.tolerated()}))
            .collect();
        let v = serde_json::json!({
            "valid": ok,
            "enterprise": i.enterprise,
            "length": i.length,
            "crc": i.crc.map(|c| format!("{c:04X}")),
            "crc_expected": i.crc_expected.map(|c| format!("{c:04X}")),
            "opaque": hex(i.opaque()),
            "problems": problems,
        });
        let _ = writeln!(out, "{v}");
    } else {
        let _ = writeln!(
            out,
            "{}: enterprise {}, length byte {}, {} bytes, CRC {} (expected {})",
            if ok { "valid" } else { "invalid" },
            i.enterprise.map_or_else(|| "-".into(), |e| e.to_string()),
            i.length.map_or_else(|| "-".into(), |e| e.to_string()),
            i.bytes.len(),
            i.crc.map_or_else(|| "-".into(), |c| format!("{c:04X}")),
            i.crc_expected
                .map_or_else(|| "-".into(), |c| format!("{c:04X}")),
        );
        for p in &i.problems {
            let _ = writeln!(
                out,
                "  {}: {p}{}",
                p.code(),
                if p.tolerated() {
                    " (tolerated with --lenient)"
                } else {
                    ""
                }
            );
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn new_id(enterprise: u32, opaque: Option<&str>) -> ExitCode {
    let bytes = match opaque {
        Some(h) => {
            let h = h.trim();
            let parsed: Option<Vec<u8>> = (h.len() % 2 == 0)
                .then(|| {
                    (0..h.len())
                        .step_by(2)
                        .map(|i| h.get(i..i + 2).and_then(|p| u8::from_str_radix(p, 16).ok()))
                        .collect()
                })
                .flatten();
            match parsed {
                Some(b) => b,
                None => return usage(&format!("--opaque {h:?} is not base16")),
            }
        }
        None => uuid::Uuid::new_v4().as_bytes().to_vec(),
    };
    match ObjectId::new(enterprise, &bytes) {
        Ok(id) => {
            let _ = writeln!(std::io::stdout(), "{id}");
            ExitCode::SUCCESS
        }
        Err(e) => usage(&e.kind().to_string()),
    }
}

fn parse(media: &str, lenient: bool, file: &str) -> ExitCode {
    let mode = if lenient { Mode::Lenient } else { Mode::Strict };
    let Ok((t, _)) = parse_media_type(media, lenient) else {
        return usage(&format!("{media:?} is not a CDMI media type"));
    };
    let mut input = Vec::new();
    let read = if file == "-" {
        std::io::stdin().read_to_end(&mut input).map(|_| ())
    } else {
        std::fs::read(file).map(|b| input = b)
    };
    if let Err(e) = read {
        return usage(&format!("cannot read {file}: {e}"));
    }
    let Ok(text) = String::from_utf8(input) else {
        let _ = writeln!(
            std::io::stderr(),
            "error: the body is not UTF-8 (RFC 8259 §8.1)"
        );
        return ExitCode::from(1);
    };
    match Object::parse(&text, t, mode) {
        Ok(p) => {
            for d in &p.deviations {
                let _ = writeln!(std::io::stderr(), "warning: {}: {:?}", d.member, d.kind);
            }
            let _ = writeln!(std::io::stdout(), "{}", p.object.to_json());
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e}");
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Objectid {
            command:
                IdCommand::Check {
                    lenient,
                    output,
                    id,
                },
        } => check(&id, lenient, output),
        Command::Objectid {
            command: IdCommand::New { enterprise, opaque },
        } => new_id(enterprise, opaque.as_deref()),
        Command::Parse {
            media,
            lenient,
            file,
        } => parse(&media, lenient, &file),
    }
}
