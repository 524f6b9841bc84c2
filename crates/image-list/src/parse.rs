//! Reading an image list: the JSON text to [`ImageList`], every problem with its JSON pointer
//! and position, under one of three profiles.

use crate::locate::{Step, locate_all, pointer};
use crate::model::{Count, Endorser, Form, Image, ImageList, count_of};
use crate::problem::{Code, Error, Problem, Severity};
use fedcloud_core::{Position, UtcTime};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Which producers' habits are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Profile {
    /// The HEPiX format to the letter: the `hv:imagelist` wrapper, integers as JSON numbers,
    /// one endorser object, timestamps `YYYY-MM-DDThh:mm:ssZ`.
    Strict,
    /// What the subscribers in service read (vmcatcher, cloudkeeper): the legacy unwrapped
    /// list, counts as strings (AppDB), `hv:endorser` as an array (vmcaster), each with a
    /// warning; timestamps still strict (every subscriber but atrope uses `strptime`).
    #[default]
    Compatible,
    /// Compatible, and RFC 3339 timestamps with an offset or a fraction read as UTC (atrope,
    /// dateutil), with a warning.
    Tolerant,
}

/// Input limits, each checked before the memory it bounds is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The largest document, in bytes (default 64 MiB; AppDB's largest lists are a few MB).
    pub max_bytes: usize,
    /// The most images in one list (default 100 000).
    pub max_images: usize,
    /// The deepest JSON nesting (default 32; the format needs 5).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 64 << 20,
            max_images: 100_000,
            max_depth: 32,
        }
    }
}

impl Limits {
    /// These limits with `max_bytes` replaced.
    #[must_use]
    pub const fn with_max_bytes(mut self, n: usize) -> Self {
        self.max_bytes = n;
        self
    }

    /// These limits with `max_images` replaced.
    #[must_use]
    pub const fn with_max_images(mut self, n: usize) -> Self {
        self.max_images = n;
        self
    }

    /// These limits with `max_depth` replaced.
    #[must_use]
    pub const fn with_max_depth(mut self, n: usize) -> Self {
        self.max_depth = n;
        self
    }
}

/// How to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Options {
    /// The profile.
    pub profile: Profile,
    /// The limits.
    pub limits: Limits,
}

impl Options {
    /// Options with this profile and the default limits.
    #[must_use]
    pub fn new(profile: Profile) -> Self {
        Self {
            profile,
            limits: Limits::default(),
        }
    }

    /// These options with other limits.
    #[must_use]
    pub const fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}

/// A list that was read, with the warnings about it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Parsed {
    /// The list.
    pub list: ImageList,
    /// Deviations the profile read and lints (never errors), in document order.
    pub warnings: Vec<Problem>,
}

const LIST_KEYS: [&str; 10] = [
    "dc:date:created",
    "dc:date:expires",
    "dc:identifier",
    "dc:description",
    "dc:title",
    "dc:source",
    "hv:version",
    "hv:uri",
    "hv:endorser",
    "hv:images",
];

const ENDORSER_KEYS: [&str; 4] = ["dc:creator", "hv:ca", "hv:dn", "hv:email"];

const IMAGE_KEYS: [&str; 12] = [
    "dc:title",
    "dc:description",
    "hv:size",
    "sl:checksum:sha512",
    "sl:arch",
    "hv:uri",
    "dc:identifier",
    "sl:os",
    "sl:osversion",
    "sl:comments",
    "hv:hypervisor",
    "hv:version",
];

/// Reads an image list (the JSON text: the content of a signed message once verified, or an
/// unsigned list).
///
/// ```
/// use image_list::{Options, Profile, parse};
/// let text = br#"{"hv:imagelist": {"dc:identifier": "x"}}"#;
/// let err = parse(text, &Options::new(Profile::Strict)).unwrap_err();
/// assert_eq!(err.problems[0].code.as_str(), "missing-key");
/// assert_eq!(err.problems[0].pointer, "/hv:imagelist");
/// assert_eq!(err.vmcatcher_code(), 38);
/// ```
///
/// # Errors
/// Every error found, with the warnings: not UTF-8 or not JSON (`NotJson`, vmcatcher 37), no
/// `hv:imagelist` object (`NotAnImageList`, 38), a required key missing, a value of the wrong
/// type, a bad timestamp, count or checksum, two images of one identifier and version, or a
/// limit.
pub fn parse(bytes: &[u8], options: &Options) -> Result<Parsed, Error> {
    let limits = options.limits;
    let fatal = |code, position, message: String| Error {
        problems: vec![Problem {
            code,
            severity: Severity::Error,
            pointer: String::new(),
            position,
            message,
        }],
    };
    if bytes.len() > limits.max_bytes {
        return Err(fatal(
            Code::LimitExceeded,
            Position::START,
            format!(
                "the document of {} bytes is over the limit of {} bytes",
                bytes.len(),
                limits.max_bytes
            ),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        fatal(
            Code::NotJson,
            Position::at(bytes, e.valid_up_to()),
            "the document is not UTF-8".into(),
        )
    })?;
    if let Some(at) = too_deep(bytes, limits.max_depth) {
        return Err(fatal(
            Code::LimitExceeded,
            Position::at(bytes, at),
            format!("nesting deeper than the limit of {}", limits.max_depth),
        ));
    }
    let root: Value = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        fatal(
            Code::NotJson,
            position_of(text, e.line(), e.column()),
            format!("not JSON: {message}"),
        )
    })?;
    let mut r = Reader {
        profile: options.profile,
        problems: Vec::new(),
        paths: Vec::new(),
        strings: 0,
    };
    let list = r.document(root, &limits);
    if r.strings > 1
        && let Some(p) = r
            .problems
            .iter_mut()
            .find(|p| p.code == Code::NumberAsString)
    {
        let more = r.strings - 1;
        p.message.push_str(&format!(
            ", and so {more} more count{} of the list",
            if more == 1 { "" } else { "s" }
        ));
    }
    let failed = r.problems.iter().any(|p| p.severity == Severity::Error);
    let paths: Vec<&[Step<'static>]> = r.paths.iter().map(Vec::as_slice).collect();
    for (p, at) in r.problems.iter_mut().zip(locate_all(text, &paths)) {
        p.position = at;
    }
    r.problems.sort_by_key(|p| p.position.offset);
    match list {
        Some(list) if !failed => Ok(Parsed {
            list,
            warnings: r.problems,
        }),
        _ => Err(Error {
            problems: r.problems,
        }),
    }
}

/// The offset of the first bracket deeper than `max` (strings skipped).
fn too_deep(b: &[u8], max: usize) -> Option<usize> {
    if b.iter().filter(|&&c| c == b'{' || c == b'[').count() <= max {
        return None;
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &c) in b.iter().enumerate() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The position serde_json reports (1-based line, column of the byte it stopped at).
fn position_of(text: &str, line: usize, column: usize) -> Position {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    Position::at(
        text.as_bytes(),
        (start + column.saturating_sub(1)).min(text.len()),
    )
}

/// Problems are collected with their paths; their positions are found in one pass at the end.
struct Reader {
    profile: Profile,
    problems: Vec<Problem>,
    paths: Vec<Vec<Step<'static>>>,
    /// Counts written as strings.
    strings: usize,
}

type Path<'p> = &'p [Step<'static>];

/// The path of member `key` of the value at `path`.
fn key_of(path: Path<'_>, key: &'static str) -> Vec<Step<'static>> {
    [path, &[Step::Key(key)]].concat()
}

/// The path of item `i` of the array at `path`.
fn item_of(path: Path<'_>, i: usize) -> Vec<Step<'static>> {
    [path, &[Step::Index(i)]].concat()
}

impl Reader {
    fn report(&mut self, code: Code, severity: Severity, path: Path<'_>, message: String) {
        self.problems.push(Problem {
            code,
            severity,
            pointer: pointer(path),
            position: Position::START,
            message,
        });
        self.paths.push(path.to_vec());
    }

    fn error(&mut self, code: Code, path: Path<'_>, message: String) {
        self.report(code, Severity::Error, path, message);
    }

    /// A deviation: an error under `Strict`, a warning otherwise.
    fn deviation(&mut self, code: Code, path: Path<'_>, message: String) {
        let severity = if self.profile == Profile::Strict {
            Severity::Error
        } else {
            Severity::Warning
        };
        self.report(code, severity, path, message);
    }

    fn document(&mut self, root: Value, limits: &Limits) -> Option<ImageList> {
        let Value::Object(mut object) = root else {
            self.error(
                Code::NotAnImageList,
                &[],
                "the document is not a JSON object".into(),
            );
            return None;
        };
        match object.remove("hv:imagelist") {
            Some(Value::Object(list)) => {
                if !object.is_empty() {
                    self.error(
                        Code::NotAnImageList,
                        &[],
                        "the document holds other keys beside hv:imagelist".into(),
                    );
                }
                self.list(list, &[Step::Key("hv:imagelist")], limits, Form::default())
            }
            Some(_) => {
                self.error(
                    Code::NotAnImageList,
                    &[Step::Key("hv:imagelist")],
                    "hv:imagelist is not a JSON object".into(),
                );
                None
            }
            None if object.contains_key("hv:images") && object.contains_key("dc:identifier") => {
                self.deviation(
                    Code::LegacyUnwrapped,
                    &[],
                    "a list without its hv:imagelist wrapper (the 2011-03 form)".into(),
                );
                let form = Form {
                    unwrapped: true,
                    ..Form::default()
                };
                self.list(object, &[], limits, form)
            }
            None => {
                self.error(Code::NotAnImageList, &[], "no hv:imagelist object".into());
                None
            }
        }
    }

    fn missing(&mut self, object: &Map<String, Value>, keys: &[&'static str], path: Path<'_>) {
        for key in keys {
            if !object.contains_key(*key) {
                self.error(
                    Code::MissingKey,
                    path,
                    format!("the required key {key} is missing"),
                );
            }
        }
    }

    /// Takes the text member `key` out of `o` (empty when absent, which `missing` reports).
    fn string(&mut self, o: &mut Map<String, Value>, key: &'static str, path: Path<'_>) -> String {
        match o.remove(key) {
            Some(Value::String(s)) => s,
            Some(_) => {
                self.error(
                    Code::WrongType,
                    &key_of(path, key),
                    format!("{key} is not a string"),
                );
                String::new()
            }
            None => String::new(),
        }
    }

    fn count(
        &mut self,
        o: &mut Map<String, Value>,
        key: &'static str,
        path: Path<'_>,
    ) -> Option<Count> {
        let v = o.remove(key)?;
        let Some(value) = count_of(&v) else {
            self.error(
                Code::BadNumber,
                &key_of(path, key),
                format!("{key} is not a non-negative integer"),
            );
            return None;
        };
        let as_string = v.is_string();
        if as_string {
            // AppDB writes every count so: one problem for the first, counting the others.
            self.strings += 1;
            if self.strings == 1 {
                self.deviation(
                    Code::NumberAsString,
                    &key_of(path, key),
                    format!("{key} is a number written as a string"),
                );
            }
        }
        Some(Count { value, as_string })
    }

    fn time(
        &mut self,
        o: &mut Map<String, Value>,
        key: &'static str,
        path: Path<'_>,
    ) -> Option<UtcTime> {
        let v = o.remove(key)?;
        let at = || key_of(path, key);
        let Value::String(s) = v else {
            self.error(Code::WrongType, &at(), format!("{key} is not a string"));
            return None;
        };
        if let Some(t) = zulu(&s) {
            return Some(t);
        }
        if self.profile == Profile::Tolerant
            && let Ok(t) = UtcTime::parse_lenient(&s)
        {
            self.report(
                Code::TimestampNotZulu,
                Severity::Warning,
                &at(),
                format!("{key} {s:?} is not YYYY-MM-DDThh:mm:ssZ; read as UTC, seconds kept"),
            );
            return UtcTime::from_epoch_seconds(t.epoch_seconds()).ok();
        }
        self.error(
            Code::BadTimestamp,
            &at(),
            format!("{key} {s:?} is not YYYY-MM-DDThh:mm:ssZ"),
        );
        None
    }

    fn uuid_lint(&mut self, id: &str, path: Path<'_>) {
        if !id.is_empty() && !is_uuid(id) {
            self.report(
                Code::IdentifierNotUuid,
                Severity::Warning,
                &key_of(path, "dc:identifier"),
                format!("dc:identifier {id:?} is not an RFC 4122 UUID (a recommendation)"),
            );
        }
    }

    /// The one member `key` of a wrapper object (`{"hv:image": {…}}`), refusing others (they
    /// would be lost).
    fn unwrap(
        &mut self,
        item: Value,
        key: &'static str,
        path: Path<'_>,
    ) -> Option<Map<String, Value>> {
        let Value::Object(mut wrapper) = item else {
            self.error(
                Code::WrongType,
                path,
                format!("not an object {{\"{key}\": {{…}}}}"),
            );
            return None;
        };
        let inner = wrapper.remove(key);
        if !wrapper.is_empty() {
            self.error(
                Code::WrongType,
                path,
                format!("keys beside {key} in its wrapper object"),
            );
        }
        match inner {
            Some(Value::Object(o)) => Some(o),
            Some(_) => {
                self.error(
                    Code::WrongType,
                    &key_of(path, key),
                    format!("{key} is not an object"),
                );
                None
            }
            None => {
                self.error(
                    Code::MissingKey,
                    path,
                    format!("the required key {key} is missing"),
                );
                None
            }
        }
    }

    fn list(
        &mut self,
        mut o: Map<String, Value>,
        path: Path<'_>,
        limits: &Limits,
        mut form: Form,
    ) -> Option<ImageList> {
        self.missing(&o, &LIST_KEYS, path);
        let created = self.time(&mut o, "dc:date:created", path);
        let expires = self.time(&mut o, "dc:date:expires", path);
        let identifier = self.string(&mut o, "dc:identifier", path);
        self.uuid_lint(&identifier, path);
        let title = self.string(&mut o, "dc:title", path);
        let description = self.string(&mut o, "dc:description", path);
        let source = self.string(&mut o, "dc:source", path);
        let version = self.string(&mut o, "hv:version", path);
        let uri = self.string(&mut o, "hv:uri", path);
        let endorsers = o
            .remove("hv:endorser")
            .and_then(|e| self.endorsers(e, path, &mut form));
        let images = o
            .remove("hv:images")
            .and_then(|i| self.images(i, path, limits));
        Some(ImageList {
            created: created?,
            expires: expires?,
            title,
            description,
            source,
            version,
            uri,
            identifier,
            endorsers: endorsers?,
            images: images?,
            extra: o,
            form,
        })
    }

    fn endorsers(&mut self, e: Value, path: Path<'_>, form: &mut Form) -> Option<Vec<Endorser>> {
        let at = key_of(path, "hv:endorser");
        match e {
            e @ Value::Object(_) => Some(vec![self.endorser(e, &at)?]),
            Value::Array(items) if !items.is_empty() => {
                self.deviation(
                    Code::EndorserArray,
                    &at,
                    "hv:endorser is an array (vmcaster's form for several endorsers)".into(),
                );
                form.endorser_array = true;
                let out: Vec<Option<Endorser>> = items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| self.endorser(item, &item_of(&at, i)))
                    .collect();
                out.into_iter().collect()
            }
            _ => {
                self.error(
                    Code::WrongType,
                    &at,
                    "hv:endorser is not an object (or a non-empty array of them)".into(),
                );
                None
            }
        }
    }

    fn endorser(&mut self, e: Value, path: Path<'_>) -> Option<Endorser> {
        let mut x = self.unwrap(e, "hv:x509", path)?;
        let at = key_of(path, "hv:x509");
        self.missing(&x, &ENDORSER_KEYS, &at);
        Some(Endorser {
            creator: self.string(&mut x, "dc:creator", &at),
            ca: self.string(&mut x, "hv:ca", &at),
            dn: self.string(&mut x, "hv:dn", &at),
            email: self.string(&mut x, "hv:email", &at),
            extra: x,
        })
    }

    fn images(&mut self, v: Value, path: Path<'_>, limits: &Limits) -> Option<Vec<Image>> {
        let at = key_of(path, "hv:images");
        let Value::Array(items) = v else {
            self.error(Code::WrongType, &at, "hv:images is not an array".into());
            return None;
        };
        if items.len() > limits.max_images {
            self.error(
                Code::LimitExceeded,
                &at,
                format!(
                    "{} images, over the limit of {}",
                    items.len(),
                    limits.max_images
                ),
            );
            return None;
        }
        let mut out = Vec::with_capacity(items.len());
        let mut seen: HashMap<(String, String), usize> = HashMap::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.into_iter().enumerate() {
            let here = item_of(&at, i);
            let image = self
                .unwrap(item, "hv:image", &here)
                .and_then(|im| self.image(im, &key_of(&here, "hv:image")));
            let Some(image) = image else {
                ok = false;
                continue;
            };
            let key = (image.identifier.clone(), image.version.clone());
            if let Some(first) = seen.insert(key, i) {
                self.error(
                    Code::DuplicateImage,
                    &key_of(&key_of(&here, "hv:image"), "dc:identifier"),
                    format!(
                        "image {:?} version {:?} is also image {first}",
                        image.identifier, image.version
                    ),
                );
            }
            out.push(image);
        }
        ok.then_some(out)
    }

    fn image(&mut self, mut o: Map<String, Value>, path: Path<'_>) -> Option<Image> {
        self.missing(&o, &IMAGE_KEYS, path);
        let size = self.count(&mut o, "hv:size", path);
        let has_sum = o.contains_key("sl:checksum:sha512");
        let sha512 = self.string(&mut o, "sl:checksum:sha512", path);
        if has_sum && (sha512.len() != 128 || !sha512.bytes().all(|b| b.is_ascii_hexdigit())) {
            self.error(
                Code::BadChecksum,
                &key_of(path, "sl:checksum:sha512"),
                "sl:checksum:sha512 is not 128 hexadecimal digits".into(),
            );
        }
        let identifier = self.string(&mut o, "dc:identifier", path);
        self.uuid_lint(&identifier, path);
        let format = o
            .contains_key("hv:format")
            .then(|| self.string(&mut o, "hv:format", path));
        let expires = o
            .contains_key("dc:date:expires")
            .then(|| self.time(&mut o, "dc:date:expires", path));
        let image = Image {
            title: self.string(&mut o, "dc:title", path),
            description: self.string(&mut o, "dc:description", path),
            arch: self.string(&mut o, "sl:arch", path),
            uri: self.string(&mut o, "hv:uri", path),
            os: self.string(&mut o, "sl:os", path),
            os_version: self.string(&mut o, "sl:osversion", path),
            comments: self.string(&mut o, "sl:comments", path),
            hypervisor: self.string(&mut o, "hv:hypervisor", path),
            version: self.string(&mut o, "hv:version", path),
            core_minimum: self.count(&mut o, "hv:core_minimum", path),
            ram_minimum: self.count(&mut o, "hv:ram_minimum", path),
            identifier,
            size: size?,
            sha512,
            format,
            expires: match expires {
                Some(t) => Some(t?),
                None => None,
            },
            extra: o,
        };
        Some(image)
    }
}

/// `YYYY-MM-DDThh:mm:ssZ` exactly.
fn zulu(s: &str) -> Option<UtcTime> {
    let b = s.as_bytes();
    let shape = b.len() == 20
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if shape {
        UtcTime::parse_strict(s).ok()
    } else {
        None
    }
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hexadecimal digits.
fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}
