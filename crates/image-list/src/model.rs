//! The image list as typed data: every key of the HEPiX format as a field, the AppDB `ad:*`
//! keys and any other key kept in `extra`, and how numbers and the endorser were written.

use fedcloud_core::UtcTime;
use serde_json::{Map, Value};

/// An image list (`hv:imagelist`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImageList {
    /// `dc:date:created`.
    pub created: UtcTime,
    /// `dc:date:expires`.
    pub expires: UtcTime,
    /// `dc:identifier`: the subscription key (opaque; a UUID by recommendation only).
    pub identifier: String,
    /// `dc:title`.
    pub title: String,
    /// `dc:description`.
    pub description: String,
    /// `dc:source`.
    pub source: String,
    /// `hv:version`: a free string, compared by [`crate::compare_versions`].
    pub version: String,
    /// `hv:uri`: where the list is published.
    pub uri: String,
    /// `hv:endorser`: one or more `hv:x509` endorsers.
    pub endorsers: Vec<Endorser>,
    /// `hv:images`, in document order (may be empty).
    pub images: Vec<Image>,
    /// Every other key of the list object (`ad:vo`, `ad:swid`, …), as written.
    pub extra: Map<String, Value>,
    /// How the list was written, so that rendering writes it back the same way.
    pub form: Form,
}

/// How a list was written where the format allows more than one way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Form {
    /// Without the `hv:imagelist` wrapper (the 2011-03 form; rendering writes it so again —
    /// clear this to write the current form).
    pub unwrapped: bool,
    /// `hv:endorser` as an array (rendering writes an array when this is set or when there is
    /// more than one endorser).
    pub endorser_array: bool,
}

/// An endorser (`hv:x509`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Endorser {
    /// `dc:creator`: who endorses.
    pub creator: String,
    /// `hv:ca`: the issuer of the signing certificate, as an OpenSSL oneline DN.
    pub ca: String,
    /// `hv:dn`: the subject of the signing certificate, as an OpenSSL oneline DN.
    pub dn: String,
    /// `hv:email`.
    pub email: String,
    /// Every other key.
    pub extra: Map<String, Value>,
}

impl Endorser {
    /// An endorser with these four keys.
    #[must_use]
    pub fn new(creator: &str, ca: &str, dn: &str, email: &str) -> Self {
        Self {
            creator: creator.to_owned(),
            ca: ca.to_owned(),
            dn: dn.to_owned(),
            email: email.to_owned(),
            extra: Map::new(),
        }
    }
}

/// A non-negative integer as a list writes it: a JSON number, or (AppDB) a JSON string of
/// digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Count {
    /// The value.
    pub value: u64,
    /// Written as a JSON string.
    pub as_string: bool,
}

impl Count {
    /// A count written as a JSON number.
    #[must_use]
    pub const fn new(value: u64) -> Self {
        Self {
            value,
            as_string: false,
        }
    }

    pub(crate) fn to_json(self) -> Value {
        if self.as_string {
            Value::String(self.value.to_string())
        } else {
            Value::from(self.value)
        }
    }
}

/// An image (`hv:image`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Image {
    /// `dc:identifier`: the image key (with `hv:version`); opaque.
    pub identifier: String,
    /// `dc:title`.
    pub title: String,
    /// `dc:description`.
    pub description: String,
    /// `hv:size`: bytes of the image.
    pub size: Count,
    /// `sl:checksum:sha512`: 128 hexadecimal digits, as written.
    pub sha512: String,
    /// `sl:arch`.
    pub arch: String,
    /// `hv:uri`: where to download it.
    pub uri: String,
    /// `sl:os`.
    pub os: String,
    /// `sl:osversion`.
    pub os_version: String,
    /// `sl:comments`.
    pub comments: String,
    /// `hv:hypervisor`.
    pub hypervisor: String,
    /// `hv:version`.
    pub version: String,
    /// `hv:format` (an open set: `QCOW2`, `OVA`, `raw.gz`, …).
    pub format: Option<String>,
    /// `hv:core_minimum`.
    pub core_minimum: Option<Count>,
    /// `hv:ram_minimum` (MiB).
    pub ram_minimum: Option<Count>,
    /// `dc:date:expires` of the image (AppDB; cloudkeeper requires it).
    pub expires: Option<UtcTime>,
    /// Every other key (`ad:mpuri`, `ad:group`, `sl:osname`, …), as written.
    pub extra: Map<String, Value>,
}

impl Image {
    /// The checksum as 64 bytes.
    #[must_use]
    pub fn sha512_bytes(&self) -> Option<[u8; 64]> {
        let digits = self.sha512.as_bytes();
        if digits.len() != 128 {
            return None;
        }
        let mut out = [0u8; 64];
        for (o, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
            let hi = hex(*pair.first()?)?;
            let lo = hex(*pair.get(1)?)?;
            *o = hi << 4 | lo;
        }
        Some(out)
    }

    /// A text key of `extra` (`ad:mpuri`, `sl:osname`, `ad:group`, …).
    #[must_use]
    pub fn text(&self, key: &str) -> Option<&str> {
        self.extra.get(key).and_then(Value::as_str)
    }

    /// A count key of `extra` written as a number or a string of digits
    /// (`ad:ram_recommended`, `ad:core_recommended`).
    #[must_use]
    pub fn count(&self, key: &str) -> Option<u64> {
        count_of(self.extra.get(key)?)
    }

    /// `ad:mpuri`: the AppDB marketplace URI of the image.
    #[must_use]
    pub fn mpuri(&self) -> Option<&str> {
        self.text("ad:mpuri")
    }
}

impl ImageList {
    /// A text key of `extra` (`ad:vo`, `ad:swid`, …).
    #[must_use]
    pub fn text(&self, key: &str) -> Option<&str> {
        self.extra.get(key).and_then(Value::as_str)
    }

    /// `ad:vo`: the VO of a VO-wide AppDB list.
    #[must_use]
    pub fn vo(&self) -> Option<&str> {
        self.text("ad:vo")
    }

    /// Whether `now` lies within `created ..= expires`: `Err(33)` (created in the future) or
    /// `Err(34)` (expired), vmcatcher's codes.
    ///
    /// # Errors
    /// The vmcatcher code of the window `now` is outside of.
    pub fn check_validity(&self, now: UtcTime) -> Result<(), u8> {
        if now < self.created {
            Err(33)
        } else if now > self.expires {
            Err(34)
        } else {
            Ok(())
        }
    }
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// A non-negative integer written as a JSON number or a string of ASCII digits.
pub(crate) fn count_of(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        _ => None,
    }
}
