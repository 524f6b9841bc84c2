//! Converts distinguished names between the OpenSSL one-line form and RFC 4514, one per line of
//! standard input (or the arguments), and reports positioned errors.
//!
//! ```text
//! cargo run -p fedcloud-examples --example dn -- '/C=DE/O=GermanGrid/CN=Jane Doe'
//! oneline  /C=DE/O=GermanGrid/CN=Jane Doe
//! rfc4514  CN=Jane Doe,O=GermanGrid,C=DE
//! der      3041310b3009...
//! ```

use fedcloud_core::Dn;
use std::io::BufRead;
use std::process::ExitCode;

fn show(text: &str) -> bool {
    match Dn::parse(text) {
        Ok(dn) => {
            println!("oneline  {}", dn.to_oneline());
            println!("rfc4514  {}", dn.to_rfc4514());
            match dn.to_der() {
                Ok(der) => println!(
                    "der      {}",
                    der.iter().map(|b| format!("{b:02x}")).collect::<String>()
                ),
                Err(e) => println!("der      (none: {e})"),
            }
            true
        }
        Err(e) => {
            eprintln!("{text:?}: {e}");
            false
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut ok = true;
    if args.is_empty() {
        for line in std::io::stdin().lock().lines() {
            match line {
                Ok(line) if !line.trim().is_empty() => ok &= show(line.trim_end()),
                Ok(_) => {}
                Err(e) => {
                    eprintln!("stdin: {e}");
                    return ExitCode::from(2);
                }
            }
        }
    } else {
        for a in &args {
            ok &= show(a);
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
