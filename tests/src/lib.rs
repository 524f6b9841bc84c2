//! The conformance harness of the workspace.
//!
//! * [`corpus_area`] finds the third-party corpus (`../shared/conformance` beside the checkout,
//!   or `$FEDCLOUD_CONFORMANCE_DIR`). When it is absent a suite prints one
//!   `skipped: corpus not found at …` line and passes, unless `FEDCLOUD_REQUIRE_CONFORMANCE=1`
//!   asks for the corpus, in which case the absence is an error.
//! * [`ExpectedFailures`] is the ratchet: a file of `case-id reason` lines. A suite fails on a
//!   failure that is not listed, on a listed case that passes, and on a listed case that no
//!   longer exists, so the list can only shrink by someone fixing something on purpose.
//!
//! The suites themselves are the integration tests of this package (`tests/*.rs`); the corpus
//! is read in place and never copied into the repository.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// The environment variable that overrides the corpus location (an absolute path to the
/// `conformance/` directory).
pub const CORPUS_ENV: &str = "FEDCLOUD_CONFORMANCE_DIR";

/// The environment variable that turns a missing corpus into a failure (`1` or `true`).
pub const REQUIRE_ENV: &str = "FEDCLOUD_REQUIRE_CONFORMANCE";

/// The root of the workspace checkout.
#[must_use]
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// `$FEDCLOUD_CONFORMANCE_DIR` if set, else `<checkout root>/../shared/conformance`.
#[must_use]
pub fn corpus_dir() -> PathBuf {
    std::env::var_os(CORPUS_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/conformance"))
}

/// An error of the harness itself (as opposed to a conformance failure).
#[derive(Debug)]
pub struct HarnessError(String);

impl fmt::Display for HarnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HarnessError {}

/// The directory of one area of the corpus (`voms`, `usage-record`, …).
///
/// Returns `Ok(None)` after printing `skipped: corpus not found at …` when the corpus is
/// absent, so a suite can `return` early and pass.
///
/// # Errors
/// The corpus is absent and `FEDCLOUD_REQUIRE_CONFORMANCE` is set.
pub fn corpus_area(area: &str) -> Result<Option<PathBuf>, HarnessError> {
    let dir = corpus_dir().join(area);
    if dir.is_dir() {
        return Ok(Some(dir));
    }
    let message = format!("corpus not found at {}", dir.display());
    let required = std::env::var(REQUIRE_ENV).is_ok_and(|v| v == "1" || v == "true");
    if required {
        return Err(HarnessError(format!("{message} ({REQUIRE_ENV} is set)")));
    }
    println!("skipped: {message}");
    Ok(None)
}

/// The id of a corpus case: its path below `root`, with `/` separators on every platform (the
/// form the expected-failure lists use).
#[must_use]
pub fn case_id(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Every file below `dir` whose name satisfies `keep`, sorted, so suites run in a stable order.
///
/// # Errors
/// A directory that cannot be read.
pub fn files_below(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> Result<Vec<PathBuf>, HarnessError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d)
            .map_err(|e| HarnessError(format!("cannot read {}: {e}", d.display())))?;
        for entry in entries {
            let path = entry
                .map_err(|e| HarnessError(format!("cannot read {}: {e}", d.display())))?
                .path();
            if path.is_dir() {
                stack.push(path);
            } else if keep(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The outcome of one case of a suite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// A stable identifier (usually the corpus-relative path, plus `#n` for a case inside a
    /// file).
    pub id: String,
    /// `Ok` when the case passed, else why it failed.
    pub result: Result<(), String>,
}

impl Outcome {
    /// A passed case.
    #[must_use]
    pub fn pass(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            result: Ok(()),
        }
    }

    /// A failed case.
    #[must_use]
    pub fn fail(id: impl Into<String>, why: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            result: Err(why.into()),
        }
    }
}

/// The list of expected failures of one suite: `case-id reason…` per line, `#` comments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpectedFailures {
    entries: BTreeMap<String, String>,
}

impl ExpectedFailures {
    /// Reads a list; a missing file is an empty list.
    ///
    /// # Errors
    /// An unreadable file, a line without a reason, or a case listed twice.
    pub fn load(path: &Path) -> Result<Self, HarnessError> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                Self::parse(&text).map_err(|e| HarnessError(format!("{}: {e}", path.display())))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(HarnessError(format!("cannot read {}: {e}", path.display()))),
        }
    }

    /// Parses the text of a list.
    ///
    /// # Errors
    /// A line without a reason, or a case listed twice.
    pub fn parse(text: &str) -> Result<Self, HarnessError> {
        let mut entries = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (id, reason) = line
                .split_once(char::is_whitespace)
                .map(|(i, r)| (i, r.trim()))
                .unwrap_or((line, ""));
            if reason.is_empty() {
                return Err(HarnessError(format!(
                    "line {}: expected failure {id} has no reason",
                    n + 1
                )));
            }
            if entries.insert(id.to_owned(), reason.to_owned()).is_some() {
                return Err(HarnessError(format!(
                    "line {}: {id} is listed twice",
                    n + 1
                )));
            }
        }
        Ok(Self { entries })
    }

    /// The number of listed cases.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is listed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Compares a suite's outcomes with the list.
    ///
    /// # Errors
    /// A [`RatchetViolation`] naming every new failure, unexpected pass and stale entry.
    pub fn check(&self, suite: &str, outcomes: &[Outcome]) -> Result<Report, RatchetViolation> {
        let mut violation = RatchetViolation {
            suite: suite.to_owned(),
            ..RatchetViolation::default()
        };
        let mut seen = BTreeSet::new();
        let mut report = Report {
            suite: suite.to_owned(),
            total: outcomes.len(),
            ..Report::default()
        };
        for o in outcomes {
            seen.insert(o.id.as_str());
            match (&o.result, self.entries.get(&o.id)) {
                (Ok(()), None) => report.passed += 1,
                (Ok(()), Some(reason)) => violation
                    .unexpected_passes
                    .push((o.id.clone(), reason.clone())),
                (Err(_), Some(_)) => report.expected_failures += 1,
                (Err(why), None) => violation.new_failures.push((o.id.clone(), why.clone())),
            }
        }
        violation.stale = self
            .entries
            .keys()
            .filter(|id| !seen.contains(id.as_str()))
            .cloned()
            .collect();
        if violation.new_failures.is_empty()
            && violation.unexpected_passes.is_empty()
            && violation.stale.is_empty()
        {
            Ok(report)
        } else {
            Err(violation)
        }
    }
}

/// What a suite run amounted to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The suite's name.
    pub suite: String,
    /// Cases run.
    pub total: usize,
    /// Cases passed.
    pub passed: usize,
    /// Cases failed as listed.
    pub expected_failures: usize,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "conformance {}: {}/{} passed, {} expected failures",
            self.suite, self.passed, self.total, self.expected_failures
        )
    }
}

/// How a suite's outcomes broke the ratchet.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RatchetViolation {
    /// The suite's name.
    pub suite: String,
    /// Failed cases that are not listed, with why they failed.
    pub new_failures: Vec<(String, String)>,
    /// Listed cases that passed, with the reason the list gave.
    pub unexpected_passes: Vec<(String, String)>,
    /// Listed cases the suite did not run.
    pub stale: Vec<String>,
}

impl fmt::Display for RatchetViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "conformance suite {} broke its expected-failures list:",
            self.suite
        )?;
        for (id, why) in &self.new_failures {
            writeln!(f, "  new failure     {id}: {why}")?;
        }
        for (id, reason) in &self.unexpected_passes {
            writeln!(f, "  unexpected pass {id} (listed: {reason})")?;
        }
        for id in &self.stale {
            writeln!(f, "  stale entry     {id} (no such case any more)")?;
        }
        Ok(())
    }
}

// A test returning `Err` prints it with `Debug`: make that the readable list.
impl fmt::Debug for RatchetViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for RatchetViolation {}

/// Runs the ratchet for a suite whose list lives at `tests/expected/<suite>.txt`, prints the
/// report line, and returns an error on a violation.
///
/// # Errors
/// The list cannot be read, or the outcomes break it.
pub fn ratchet(suite: &str, outcomes: &[Outcome]) -> Result<Report, Box<dyn std::error::Error>> {
    let list = ExpectedFailures::load(
        &workspace_root()
            .join("tests/expected")
            .join(format!("{suite}.txt")),
    )?;
    let report = list.check(suite, outcomes)?;
    println!("{report}");
    Ok(report)
}

/// Runs `check` (a fuzz target's property) over every file of `fuzz/corpus/<target>` and
/// `fuzz/artifacts/<target>`, so that what fuzzing found stays a test of `cargo test`; returns
/// how many files ran.
///
/// # Errors
/// A corpus file that cannot be read.
pub fn replay_fuzz_corpus(target: &str, check: fn(&[u8])) -> Result<usize, HarnessError> {
    let fuzz = workspace_root().join("fuzz");
    let mut count = 0;
    for kind in ["corpus", "artifacts"] {
        let dir = fuzz.join(kind).join(target);
        if !dir.is_dir() {
            continue;
        }
        for path in files_below(&dir, &|p| {
            p.file_name()
                .is_some_and(|n| !n.to_string_lossy().starts_with('.'))
        })? {
            let bytes = std::fs::read(&path)
                .map_err(|e| HarnessError(format!("cannot read {}: {e}", path.display())))?;
            check(&bytes);
            count += 1;
        }
    }
    Ok(count)
}

/// Where `tool` is on `PATH`, or `None` after printing `skipped: <tool> not installed` — the
/// notice interoperability tests give when a reference tool is absent.
///
/// # Panics
/// When the tool is absent and `FEDCLOUD_REQUIRE_TOOLS=1` (set by CI, which installs every
/// reference tool): there a skip would hide a missing install step.
#[must_use]
#[allow(clippy::panic, reason = "test harness: CI must fail, not skip")]
pub fn reference_tool(tool: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(tool))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        if std::env::var_os("FEDCLOUD_REQUIRE_TOOLS").is_some_and(|v| v == "1") {
            panic!("{tool} is not installed and FEDCLOUD_REQUIRE_TOOLS=1");
        }
        println!("skipped: {tool} not installed");
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(text: &str) -> ExpectedFailures {
        ExpectedFailures::parse(text).unwrap()
    }

    #[test]
    fn parse_list() {
        let l = list("# comment\n\na/b.rec  reason with spaces\nc\tother\n");
        assert_eq!(l.len(), 2);
        assert!(ExpectedFailures::parse("lonely-id\n").is_err());
        assert!(ExpectedFailures::parse("x r\nx r\n").is_err());
        assert!(ExpectedFailures::default().is_empty());
    }

    #[test]
    fn ratchet_passes_when_list_matches() {
        let l = list("bad known bug\n");
        let report = l
            .check("s", &[Outcome::pass("ok"), Outcome::fail("bad", "boom")])
            .unwrap();
        assert_eq!(
            (report.total, report.passed, report.expected_failures),
            (2, 1, 1)
        );
        assert_eq!(
            report.to_string(),
            "conformance s: 1/2 passed, 1 expected failures"
        );
    }

    #[test]
    fn ratchet_catches_new_failure_unexpected_pass_and_stale_entry() {
        let l = list("fixed was broken\ngone removed case\n");
        let v = l
            .check("s", &[Outcome::fail("new", "boom"), Outcome::pass("fixed")])
            .unwrap_err();
        assert_eq!(v.new_failures, [("new".to_owned(), "boom".to_owned())]);
        assert_eq!(
            v.unexpected_passes,
            [("fixed".to_owned(), "was broken".to_owned())]
        );
        assert_eq!(v.stale, ["gone".to_owned()]);
        let text = v.to_string();
        assert!(text.contains("new failure     new: boom"), "{text}");
        assert!(text.contains("unexpected pass fixed"), "{text}");
        assert!(text.contains("stale entry     gone"), "{text}");
    }

    #[test]
    fn missing_list_is_empty() {
        let l = ExpectedFailures::load(Path::new("/nonexistent/list.txt")).unwrap();
        assert!(l.is_empty());
    }

    #[test]
    fn corpus_dir_default_is_beside_the_checkout() {
        if std::env::var_os(CORPUS_ENV).is_none() {
            assert!(corpus_dir().ends_with("../shared/conformance"));
        }
    }
}
