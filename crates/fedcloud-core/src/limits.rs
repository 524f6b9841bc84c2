//! Input limits shared by the small text parsers of this crate.

/// Limits on one piece of text handed to a parser of this crate ([`Dn`](crate::Dn),
/// [`Fqan`](crate::Fqan)).
///
/// The defaults are far above anything real (the longest DN in the IGTF distribution is under
/// 200 bytes) and low enough that hostile input cannot make a parser allocate much.
///
/// ```
/// use fedcloud_core::{Dn, TextLimits};
/// let tight = TextLimits::default().with_max_bytes(16);
/// assert!(Dn::parse_oneline_with("/C=DE/O=GermanGrid/CN=Jane Doe", &tight).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TextLimits {
    /// The longest accepted input, in bytes (default 16 KiB).
    pub max_bytes: usize,
    /// The most components: RDNs plus attribute values of a DN, groups of an FQAN
    /// (default 256).
    pub max_components: usize,
}

impl Default for TextLimits {
    fn default() -> Self {
        Self {
            max_bytes: 16 * 1024,
            max_components: 256,
        }
    }
}

impl TextLimits {
    /// These limits with `max_bytes` replaced.
    #[must_use]
    pub const fn with_max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// These limits with `max_components` replaced.
    #[must_use]
    pub const fn with_max_components(mut self, max_components: usize) -> Self {
        self.max_components = max_components;
        self
    }

    /// Checks the input size against `max_bytes`.
    pub(crate) fn check_len(&self, input: &str) -> Result<(), crate::Error> {
        if input.len() > self.max_bytes {
            return Err(crate::Error::new(
                crate::ErrorKind::TooLong {
                    limit: self.max_bytes,
                    actual: input.len(),
                },
                crate::Position::START,
            ));
        }
        Ok(())
    }
}
