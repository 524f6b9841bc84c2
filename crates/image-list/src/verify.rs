//! Checking a downloaded image against its list entry as the bytes arrive: SHA-512 and size,
//! without holding or copying the image.

use crate::model::Image;
use sha2::{Digest, Sha512};

/// Why a downloaded image does not match its entry (vmcatcher refuses and expires it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Mismatch {
    /// More or fewer bytes than `hv:size`.
    #[error("the image has {actual} bytes where hv:size says {expected}")]
    Size {
        /// `hv:size`.
        expected: u64,
        /// Bytes received.
        actual: u64,
    },
    /// Another SHA-512 than `sl:checksum:sha512`.
    #[error("the image's SHA-512 is {actual} where sl:checksum:sha512 says {expected}")]
    Checksum {
        /// `sl:checksum:sha512`, in lower case.
        expected: String,
        /// What the bytes hash to.
        actual: String,
    },
    /// `sl:checksum:sha512` is not 128 hexadecimal digits, so nothing can match it.
    #[error("sl:checksum:sha512 is not 128 hexadecimal digits")]
    BadChecksum,
}

/// A running check of one image: feed it the bytes as they are downloaded, then `finish`.
///
/// ```
/// use image_list::ImageVerifier;
/// # let text = br#"{"hv:imagelist": {"dc:date:created": "2026-12-01T00:00:00Z",
/// #   "dc:date:expires": "2027-01-01T00:00:00Z", "dc:identifier": "x", "dc:title": "t",
/// #   "dc:description": "d", "dc:source": "s", "hv:version": "1", "hv:uri": "u",
/// #   "hv:endorser": {"hv:x509": {"dc:creator": "c", "hv:ca": "/CN=CA", "hv:dn": "/CN=me",
/// #   "hv:email": "e"}}, "hv:images": [{"hv:image": {"dc:identifier": "i", "dc:title": "t",
/// #   "dc:description": "d", "hv:size": 3, "sl:arch": "x86_64", "hv:uri": "u", "sl:os": "L",
/// #   "sl:osversion": "9", "sl:comments": "", "hv:hypervisor": "KVM", "hv:version": "1",
/// #   "sl:checksum:sha512": "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"}}]}}"#;
/// # let list = image_list::parse(text, &Default::default()).unwrap().list;
/// let image = &list.images[0];
/// let mut check = ImageVerifier::new(image);
/// check.update(b"ab");
/// check.update(b"c");
/// assert_eq!(check.finish(), Ok(()));
/// ```
#[derive(Debug, Clone)]
pub struct ImageVerifier {
    hash: Sha512,
    received: u64,
    size: u64,
    expected: Option<[u8; 64]>,
}

impl ImageVerifier {
    /// A check of `image`'s `hv:size` and `sl:checksum:sha512`.
    #[must_use]
    pub fn new(image: &Image) -> Self {
        Self {
            hash: Sha512::new(),
            received: 0,
            size: image.size.value,
            expected: image.sha512_bytes(),
        }
    }

    /// Takes the next bytes of the image.
    pub fn update(&mut self, bytes: &[u8]) {
        self.hash.update(bytes);
        self.received = self.received.saturating_add(bytes.len() as u64);
    }

    /// Bytes taken so far (a download can stop once this passes `hv:size`).
    #[must_use]
    pub const fn received(&self) -> u64 {
        self.received
    }

    /// Whether more bytes have arrived than `hv:size` allows.
    #[must_use]
    pub const fn too_long(&self) -> bool {
        self.received > self.size
    }

    /// The verdict: the size first, then the checksum.
    ///
    /// # Errors
    /// A [`Mismatch`] of the size or the checksum, or a checksum nothing can match.
    pub fn finish(self) -> Result<(), Mismatch> {
        if self.received != self.size {
            return Err(Mismatch::Size {
                expected: self.size,
                actual: self.received,
            });
        }
        let expected = self.expected.ok_or(Mismatch::BadChecksum)?;
        let actual: [u8; 64] = self.hash.finalize().into();
        if actual == expected {
            Ok(())
        } else {
            Err(Mismatch::Checksum {
                expected: hex(&expected),
                actual: hex(&actual),
            })
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Count;
    use proptest::prelude::*;

    /// FIPS 180-2 appendix C: SHA-512("abc").
    const ABC: &str = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

    fn image(size: u64, sha512: &str) -> Image {
        Image {
            identifier: "i".into(),
            title: String::new(),
            description: String::new(),
            size: Count::new(size),
            sha512: sha512.into(),
            arch: String::new(),
            uri: String::new(),
            os: String::new(),
            os_version: String::new(),
            comments: String::new(),
            hypervisor: String::new(),
            version: String::new(),
            format: None,
            core_minimum: None,
            ram_minimum: None,
            expires: None,
            extra: serde_json::Map::new(),
        }
    }

    #[test]
    fn size_and_checksum() {
        let run = |i: &Image, bytes: &[u8]| {
            let mut v = ImageVerifier::new(i);
            v.update(bytes);
            v.finish()
        };
        assert_eq!(run(&image(3, ABC), b"abc"), Ok(()));
        assert_eq!(run(&image(3, &ABC.to_ascii_uppercase()), b"abc"), Ok(()));
        assert_eq!(
            run(&image(4, ABC), b"abc"),
            Err(Mismatch::Size {
                expected: 4,
                actual: 3
            })
        );
        assert!(matches!(
            run(&image(3, ABC), b"abd"),
            Err(Mismatch::Checksum { .. })
        ));
        assert_eq!(run(&image(3, "abc"), b"abc"), Err(Mismatch::BadChecksum));
        let mut v = ImageVerifier::new(&image(2, ABC));
        v.update(b"abc");
        assert!(v.too_long());
        assert_eq!(v.received(), 3);
    }

    proptest! {
        #[test]
        fn any_split_of_the_bytes_gives_one_verdict(data in proptest::collection::vec(any::<u8>(), 0..600), cuts in proptest::collection::vec(0usize..600, 0..6)) {
            let sum = hex(&Sha512::digest(&data));
            let i = image(data.len() as u64, &sum);
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(data.len())).collect();
            cuts.sort_unstable();
            let mut v = ImageVerifier::new(&i);
            let mut from = 0;
            for c in cuts.into_iter().chain([data.len()]) {
                v.update(&data[from..c]);
                from = c;
            }
            prop_assert_eq!(v.finish(), Ok(()));
        }
    }
}
