//! Reading an image list: the JSON text to [`ImageList`], every problem with its JSON pointer
//! and position, under one of three profiles.

use crate::locate::{Step, locate, pointer};
use crate::model::{Count, Endorser, Form, Image, ImageList, count_of};
use crate::problem::{Code, Error, Problem, Severity};
use fedcloud_core::{Position, UtcTime};
use serde_json::{Map, Value};

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

const IMAGE_OPTIONAL: [&str; 4] = [
    "hv:format",
    "hv:core_minimum",
    "hv:ram_minimum",
    "dc:date:expires",
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
        text,
        profile: options.profile,
        problems: Vec::new(),
    };
    let list = r.document(&root, &limits);
    let failed = r.problems.iter().any(|p| p.severity == Severity::Error);
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

struct Reader<'t> {
    text: &'t str,
    profile: Profile,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn report(&mut self, code: Code, severity: Severity, path: &[Step<'_>], message: String) {
        self.problems.push(Problem {
            code,
            severity,
            pointer: pointer(path),
            position: locate(self.text, path),
            message,
        });
    }

    /// A deviation: an error under `Strict`, a warning otherwise.
    fn deviation(&mut self, code: Code, path: &[Step<'_>], message: String) {
        let severity = if self.profile == Profile::Strict {
            Severity::Error
        } else {
            Severity::Warning
        };
        self.report(code, severity, path, message);
    }

    fn document(&mut self, root: &Value, limits: &Limits) -> Option<ImageList> {
        let Some(object) = root.as_object() else {
            self.report(
                Code::NotAnImageList,
                Severity::Error,
                &[],
                "the document is not a JSON object".into(),
            );
            return None;
        };
        match object.get("hv:imagelist") {
            Some(Value::Object(list)) => {
                let path = [Step::Key("hv:imagelist")];
                if object.len() > 1 {
                    self.report(
                        Code::NotAnImageList,
                        Severity::Error,
                        &[],
                        "the document holds other keys beside hv:imagelist".into(),
                    );
                }
                self.list(list, &path, limits, Form::default())
            }
            Some(_) => {
                self.report(
                    Code::NotAnImageList,
                    Severity::Error,
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
                self.report(
                    Code::NotAnImageList,
                    Severity::Error,
                    &[],
                    "no hv:imagelist object".into(),
                );
                None
            }
        }
    }

    fn missing(&mut self, object: &Map<String, Value>, keys: &[&str], path: &[Step<'_>]) {
        for key in keys {
            if !object.contains_key(*key) {
                self.report(
                    Code::MissingKey,
                    Severity::Error,
                    path,
                    format!("the required key {key} is missing"),
                );
            }
        }
    }

    fn string(&mut self, object: &Map<String, Value>, key: &str, path: &[Step<'_>]) -> String {
        match object.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                let at = [path, &[Step::Key(key)]].concat();
                self.report(
                    Code::WrongType,
                    Severity::Error,
                    &at,
                    format!("{key} is not a string"),
                );
                String::new()
            }
            None => String::new(),
        }
    }

    fn count(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        path: &[Step<'_>],
    ) -> Option<Count> {
        let v = object.get(key)?;
        let at = [path, &[Step::Key(key)]].concat();
        let Some(value) = count_of(v) else {
            self.report(
                Code::BadNumber,
                Severity::Error,
                &at,
                format!("{key} is not a non-negative integer"),
            );
            return None;
        };
        let as_string = v.is_string();
        if as_string {
            self.deviation(
                Code::NumberAsString,
                &at,
                format!("{key} is a number written as a string"),
            );
        }
        Some(Count { value, as_string })
    }

    fn time(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        path: &[Step<'_>],
    ) -> Option<UtcTime> {
        let at = [path, &[Step::Key(key)]].concat();
        let s = match object.get(key)? {
            Value::String(s) => s,
            _ => {
                self.report(
                    Code::WrongType,
                    Severity::Error,
                    &at,
                    format!("{key} is not a string"),
                );
                return None;
            }
        };
        if let Some(t) = zulu(s) {
            return Some(t);
        }
        if self.profile == Profile::Tolerant
            && let Ok(t) = UtcTime::parse_lenient(s)
        {
            self.report(
                Code::TimestampNotZulu,
                Severity::Warning,
                &at,
                format!("{key} {s:?} is not YYYY-MM-DDThh:mm:ssZ; read as UTC, seconds kept"),
            );
            return UtcTime::from_epoch_seconds(t.epoch_seconds()).ok();
        }
        self.report(
            Code::BadTimestamp,
            Severity::Error,
            &at,
            format!("{key} {s:?} is not YYYY-MM-DDThh:mm:ssZ"),
        );
        None
    }

    fn extra(object: &Map<String, Value>, known: &[&[&str]]) -> Map<String, Value> {
        object
            .iter()
            .filter(|(k, _)| !known.iter().any(|set| set.contains(&k.as_str())))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    fn uuid_lint(&mut self, id: &str, path: &[Step<'_>]) {
        if !id.is_empty() && !is_uuid(id) {
            self.report(
                Code::IdentifierNotUuid,
                Severity::Warning,
                path,
                format!("dc:identifier {id:?} is not an RFC 4122 UUID (a recommendation)"),
            );
        }
    }

    fn list(
        &mut self,
        o: &Map<String, Value>,
        path: &[Step<'_>],
        limits: &Limits,
        mut form: Form,
    ) -> Option<ImageList> {
        self.missing(o, &LIST_KEYS, path);
        let created = self.time(o, "dc:date:created", path);
        let expires = self.time(o, "dc:date:expires", path);
        let identifier = self.string(o, "dc:identifier", path);
        self.uuid_lint(&identifier, &[path, &[Step::Key("dc:identifier")]].concat());
        let title = self.string(o, "dc:title", path);
        let description = self.string(o, "dc:description", path);
        let source = self.string(o, "dc:source", path);
        let version = self.string(o, "hv:version", path);
        let uri = self.string(o, "hv:uri", path);
        let endorsers = self.endorsers(o, path, &mut form);
        let images = self.images(o, path, limits);
        let list = ImageList {
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
            extra: Self::extra(o, &[&LIST_KEYS]),
            form,
        };
        Some(list)
    }

    fn endorsers(
        &mut self,
        o: &Map<String, Value>,
        path: &[Step<'_>],
        form: &mut Form,
    ) -> Option<Vec<Endorser>> {
        let at = [path, &[Step::Key("hv:endorser")]].concat();
        match o.get("hv:endorser")? {
            Value::Object(e) => Some(vec![self.endorser(e, &at)?]),
            Value::Array(items) if !items.is_empty() => {
                self.deviation(
                    Code::EndorserArray,
                    &at,
                    "hv:endorser is an array (vmcaster's form for several endorsers)".into(),
                );
                form.endorser_array = true;
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let here = [at.as_slice(), &[Step::Index(i)]].concat();
                    match item {
                        Value::Object(e) => out.push(self.endorser(e, &here)),
                        _ => {
                            self.report(
                                Code::WrongType,
                                Severity::Error,
                                &here,
                                "an hv:endorser item is not an object".into(),
                            );
                            out.push(None);
                        }
                    }
                }
                out.into_iter().collect()
            }
            _ => {
                self.report(
                    Code::WrongType,
                    Severity::Error,
                    &at,
                    "hv:endorser is not an object (or a non-empty array of them)".into(),
                );
                None
            }
        }
    }

    fn endorser(&mut self, e: &Map<String, Value>, path: &[Step<'_>]) -> Option<Endorser> {
        let at = [path, &[Step::Key("hv:x509")]].concat();
        let Some(x) = e.get("hv:x509") else {
            self.report(
                Code::MissingKey,
                Severity::Error,
                path,
                "the required key hv:x509 is missing".into(),
            );
            return None;
        };
        let Some(x) = x.as_object() else {
            self.report(
                Code::WrongType,
                Severity::Error,
                &at,
                "hv:x509 is not an object".into(),
            );
            return None;
        };
        self.missing(x, &ENDORSER_KEYS, &at);
        Some(Endorser {
            creator: self.string(x, "dc:creator", &at),
            ca: self.string(x, "hv:ca", &at),
            dn: self.string(x, "hv:dn", &at),
            email: self.string(x, "hv:email", &at),
            extra: Self::extra(x, &[&ENDORSER_KEYS]),
        })
    }

    fn images(
        &mut self,
        o: &Map<String, Value>,
        path: &[Step<'_>],
        limits: &Limits,
    ) -> Option<Vec<Image>> {
        let at = [path, &[Step::Key("hv:images")]].concat();
        let Value::Array(items) = o.get("hv:images")? else {
            self.report(
                Code::WrongType,
                Severity::Error,
                &at,
                "hv:images is not an array".into(),
            );
            return None;
        };
        if items.len() > limits.max_images {
            self.report(
                Code::LimitExceeded,
                Severity::Error,
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
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let here = [at.as_slice(), &[Step::Index(i)]].concat();
            let image = match item.as_object().map(|w| (w, w.get("hv:image"))) {
                Some((_, Some(Value::Object(im)))) => {
                    self.image(im, &[here.as_slice(), &[Step::Key("hv:image")]].concat())
                }
                _ => {
                    self.report(
                        Code::WrongType,
                        Severity::Error,
                        &here,
                        "an hv:images item is not {\"hv:image\": {…}}".into(),
                    );
                    None
                }
            };
            match image {
                Some(image) => {
                    let twin = out.iter().position(|o: &Image| {
                        o.identifier == image.identifier && o.version == image.version
                    });
                    if let Some(first) = twin {
                        self.report(
                            Code::DuplicateImage,
                            Severity::Error,
                            &[
                                here.as_slice(),
                                &[Step::Key("hv:image"), Step::Key("dc:identifier")],
                            ]
                            .concat(),
                            format!(
                                "image {:?} version {:?} is also image {first}",
                                image.identifier, image.version
                            ),
                        );
                    }
                    out.push(image);
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn image(&mut self, o: &Map<String, Value>, path: &[Step<'_>]) -> Option<Image> {
        self.missing(o, &IMAGE_KEYS, path);
        let size = self.count(o, "hv:size", path);
        let sha512 = self.string(o, "sl:checksum:sha512", path);
        if o.contains_key("sl:checksum:sha512")
            && (sha512.len() != 128 || !sha512.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            self.report(
                Code::BadChecksum,
                Severity::Error,
                &[path, &[Step::Key("sl:checksum:sha512")]].concat(),
                "sl:checksum:sha512 is not 128 hexadecimal digits".into(),
            );
        }
        let identifier = self.string(o, "dc:identifier", path);
        self.uuid_lint(&identifier, &[path, &[Step::Key("dc:identifier")]].concat());
        let format = o
            .get("hv:format")
            .map(|_| self.string(o, "hv:format", path));
        let expires = o
            .contains_key("dc:date:expires")
            .then(|| self.time(o, "dc:date:expires", path));
        let title = self.string(o, "dc:title", path);
        let description = self.string(o, "dc:description", path);
        let arch = self.string(o, "sl:arch", path);
        let uri = self.string(o, "hv:uri", path);
        let os = self.string(o, "sl:os", path);
        let os_version = self.string(o, "sl:osversion", path);
        let comments = self.string(o, "sl:comments", path);
        let hypervisor = self.string(o, "hv:hypervisor", path);
        let version = self.string(o, "hv:version", path);
        let core_minimum = self.count(o, "hv:core_minimum", path);
        let ram_minimum = self.count(o, "hv:ram_minimum", path);
        let image = Image {
            title,
            description,
            arch,
            uri,
            os,
            os_version,
            comments,
            hypervisor,
            version,
            core_minimum,
            ram_minimum,
            identifier,
            size: size?,
            sha512,
            format,
            expires: match expires {
                Some(t) => Some(t?),
                None => None,
            },
            extra: Self::extra(o, &[&IMAGE_KEYS, &IMAGE_OPTIONAL]),
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
