//! Interoperability of the object-ID codec with an independent CRC-16 implementation: Python
//! `crcmod` (Debian `python3-crcmod`, predefined `crc-16`, which is CRC-16/ARC) computes the
//! CRC of every object ID that appears in the CDMI corpus and of 2,000 IDs we generate, and
//! decides validity by the layout rules of 1.1.1 §5.11; `cdmi::objectid::inspect` must agree
//! on every one, and `ObjectId::from_str` must accept exactly the valid ones. Skips with a
//! notice when the tool is absent (fails instead under `FEDCLOUD_REQUIRE_TOOLS=1`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use cdmi::ObjectId;
use cdmi::objectid::inspect;
use fedcloud_conformance::{corpus_area, files_below};
use std::io::Write;
use std::process::{Command, Stdio};

const SCRIPT: &str = "import sys, crcmod.predefined as p\n\
crc = p.mkPredefinedCrcFun('crc-16')\n\
assert crc(b'123456789') == 0xBB3D\n\
for line in sys.stdin:\n\
\x20   b = bytearray.fromhex(line.strip())\n\
\x20   stored = int.from_bytes(b[6:8], 'big')\n\
\x20   z = bytearray(b); z[6:8] = b'\\0\\0'\n\
\x20   computed = crc(bytes(z))\n\
\x20   ok = 9 <= len(b) <= 40 and b[0] == 0 and b[4] == 0 and b[1:4] != b'\\0\\0\\0' and b[5] == len(b) and stored == computed\n\
\x20   print('%04X %s' % (computed, 'valid' if ok else 'invalid'))\n";

/// The candidates: every base16 run of the corpus that looks like an object ID (starts with a
/// zero byte, 18 to 80 digits), and generated IDs, some of them damaged.
fn candidates() -> Vec<String> {
    let mut out = Vec::new();
    if let Some(root) = corpus_area("cdmi").unwrap() {
        for path in files_below(&root, &|p| p.is_file()).unwrap() {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            for word in text.split(|c: char| !c.is_ascii_hexdigit()) {
                if (18..=80).contains(&word.len()) && word.len() % 2 == 0 && word.starts_with("00")
                {
                    out.push(word.to_owned());
                }
            }
        }
    }
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..2000u64 {
        let len = 1 + (next() % 32) as usize;
        let opaque: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let enterprise = 1 + (next() % 0x00FF_FFFF) as u32;
        let mut id = ObjectId::new(enterprise, &opaque).unwrap().to_string();
        if i % 3 == 0 {
            // Damage one digit.
            let at = (next() as usize) % id.len();
            let c = id.as_bytes()[at];
            let replacement = if c == b'0' { '1' } else { '0' };
            id.replace_range(at..=at, &replacement.to_string());
        }
        out.push(id);
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn crc_and_validity_agree_with_crcmod() {
    let python = std::path::Path::new("/usr/bin/python3");
    let present = Command::new(python)
        .args(["-c", "import crcmod"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        assert!(
            std::env::var_os("FEDCLOUD_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "python3-crcmod is not installed and FEDCLOUD_REQUIRE_TOOLS=1"
        );
        println!("skipped: python3-crcmod not installed");
        return;
    }
    let ids = candidates();
    let mut child = Command::new(python)
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut stdin = child.stdin.take().unwrap();
        for id in &ids {
            writeln!(stdin, "{id}").unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let verdicts = String::from_utf8(out.stdout).unwrap();
    let mut valid = 0;
    for (id, line) in ids.iter().zip(verdicts.lines()) {
        let (crc, verdict) = line.split_once(' ').unwrap();
        let i = inspect(id);
        assert_eq!(
            i.crc_expected.map(|c| format!("{c:04X}")).as_deref(),
            Some(crc),
            "{id}"
        );
        let ours = i.is_valid();
        assert_eq!(ours, verdict == "valid", "{id}: {:?}", i.problems);
        assert_eq!(id.parse::<ObjectId>().is_ok(), ours, "{id}");
        valid += usize::from(ours);
    }
    assert_eq!(verdicts.lines().count(), ids.len());
    println!("{} IDs, {valid} valid", ids.len());
    assert!(ids.len() > 2000 && valid > 1000);
}
