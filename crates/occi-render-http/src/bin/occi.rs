//! `occi`: parse and convert OCCI renderings from the command line.
//!
//! ```text
//! occi parse --type MEDIA_TYPE [--mode strict-1.1|strict-1.2|lenient] [--output json|text] FILE|-
//! occi convert --from MEDIA_TYPE --to MEDIA_TYPE [--mode …] FILE|-
//! ```
//!
//! Exit status: 0 when the input is valid in the mode, 1 with a positioned error when it is
//! not, 2 on usage errors.

use clap::{Parser as ClapParser, Subcommand, ValueEnum};
use occi_render_http::occi_model::{Model, OcciVersion};
use occi_render_http::{Error, MediaType, Mode, Parser, render};
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
    if output == Output::Json {
        let v = serde_json::json!({
            "error": { "line": p.line, "column": p.column, "offset": p.offset, "message": e.kind().to_string() }
        });
        let _ = writeln!(std::io::stdout(), "{v}");
    } else {
        let _ = writeln!(std::io::stderr(), "error: {e}");
    }
    ExitCode::from(1)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (media, to, mode, output, file) = match cli.command {
        Command::Parse {
            media,
            mode,
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
            output,
            file,
        ),
        Command::Convert {
            from,
            to,
            mode,
            file,
        } => (from, to, mode, Output::Text, file),
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
    let model = Model::infrastructure(version)
        .with_crtp()
        .with_egi_extensions();
    let parsed = match Parser::new(mode).with_model(&model).parse(from, &input) {
        Ok(p) => p,
        Err(e) => return report(&e, output),
    };
    for w in &parsed.warnings {
        let _ = writeln!(std::io::stderr(), "warning: {w}");
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
