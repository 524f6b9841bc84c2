//! CDMI object IDs (1.0.2 and 1.1.1 §5.11, 2.0.0 "CDMI object ID format"): the binary layout,
//! its base16 text, a strict codec, and a lenient reader that names what real servers get
//! wrong.
//!
//! ```text
//! byte  0      1  2  3      4      5        6  7      8 … length-1
//!       0      enterprise   0      length   CRC-16    opaque data
//!              number (BE)         (of the  (BE)      (unique per enterprise number)
//!                                  whole ID)
//! ```
//!
//! The CRC is CRC-16/ARC ([`crate::crc::crc16_arc`]) over the whole ID with the CRC field
//! set to zero. The text form is RFC 4648 base16, case-insensitive; this crate writes upper
//! case, as the specification's examples do. An ID has 9 to 40 bytes.

use crate::crc::{crc16_arc, crc16_sun};
use crate::{Error, ErrorKind};
use fedcloud_core::Position;
use std::fmt;
use std::str::FromStr;

/// The most bytes of an object ID.
pub const MAX_BYTES: usize = 40;
/// The fewest bytes of an object ID: the header and one opaque byte.
pub const MIN_BYTES: usize = 9;
/// The largest enterprise number (24 bits).
pub const MAX_ENTERPRISE: u32 = 0x00FF_FFFF;

/// A valid CDMI object ID, held inline (no allocation): every header rule and the CRC hold.
///
/// ```
/// use cdmi::ObjectId;
/// // The specification's example.
/// let id: ObjectId = "00006FFD001001CCE3B2B4F602032653".parse()?;
/// assert_eq!((id.enterprise(), id.len(), id.crc()), (28669, 16, 0x01CC));
/// assert_eq!(id.opaque(), [0xE3, 0xB2, 0xB4, 0xF6, 0x02, 0x03, 0x26, 0x53]);
/// assert_eq!(ObjectId::new(28669, id.opaque())?, id);
/// assert_eq!(id.to_string(), "00006FFD001001CCE3B2B4F602032653");
/// // A wrong CRC is refused, with what it should have been.
/// let err = "00006FFD001001CDE3B2B4F602032653".parse::<ObjectId>().unwrap_err();
/// assert_eq!(err.to_string(), "object ID: CRC 01CD, expected 01CC at line 1, column 13");
/// # Ok::<(), cdmi::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectId {
    len: u8,
    /// The ID in the first `len` bytes, zeros after them (so that the derived traits compare
    /// IDs alone).
    bytes: [u8; MAX_BYTES],
}

impl ObjectId {
    /// A new ID of `enterprise` (its IANA SNMP enterprise number) with `opaque` data: the
    /// header is filled in and the CRC computed.
    ///
    /// # Errors
    /// `ObjectIdEnterpriseZero`, `ObjectIdEnterpriseRange`; `ObjectIdLength` for opaque data
    /// of no byte or more than 32.
    pub fn new(enterprise: u32, opaque: &[u8]) -> Result<Self, Error> {
        if enterprise == 0 {
            return Err(Error::new(
                ErrorKind::ObjectIdEnterpriseZero,
                Position::START,
            ));
        }
        if enterprise > MAX_ENTERPRISE {
            return Err(Error::new(
                ErrorKind::ObjectIdEnterpriseRange(enterprise),
                Position::START,
            ));
        }
        let len = 8 + opaque.len();
        let Some(body) = (MIN_BYTES..=MAX_BYTES)
            .contains(&len)
            .then_some(())
            .and_then(|()| u8::try_from(len).ok())
        else {
            return Err(Error::new(ErrorKind::ObjectIdLength(len), Position::START));
        };
        let mut bytes = [0u8; MAX_BYTES];
        let [_, e1, e2, e3] = enterprise.to_be_bytes();
        bytes[1] = e1;
        bytes[2] = e2;
        bytes[3] = e3;
        bytes[5] = body;
        if let Some(slot) = bytes.get_mut(8..len) {
            slot.copy_from_slice(opaque);
        }
        let crc = crc16_arc(bytes.get(..len).unwrap_or_default());
        let [hi, lo] = crc.to_be_bytes();
        bytes[6] = hi;
        bytes[7] = lo;
        Ok(Self { len: body, bytes })
    }

    /// The ID of these bytes, checked strictly.
    ///
    /// # Errors
    /// `ObjectIdLength`, `ObjectIdReserved`, `ObjectIdEnterpriseZero`, `ObjectIdLengthByte`,
    /// `ObjectIdCrc`; positions are byte offsets into `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let at = |kind, offset: usize| Error::new(kind, Position::new(offset, 1, offset + 1));
        Self::checked(bytes, at)
    }

    fn checked(bytes: &[u8], at: impl Fn(ErrorKind, usize) -> Error) -> Result<Self, Error> {
        let len = bytes.len();
        if !(MIN_BYTES..=MAX_BYTES).contains(&len) {
            return Err(at(ErrorKind::ObjectIdLength(len), 0));
        }
        let mut out = [0u8; MAX_BYTES];
        if let Some(slot) = out.get_mut(..len) {
            slot.copy_from_slice(bytes);
        }
        if out[0] != 0 {
            return Err(at(ErrorKind::ObjectIdReserved(0), 0));
        }
        if out[4] != 0 {
            return Err(at(ErrorKind::ObjectIdReserved(4), 4));
        }
        if out[1] == 0 && out[2] == 0 && out[3] == 0 {
            return Err(at(ErrorKind::ObjectIdEnterpriseZero, 1));
        }
        if usize::from(out[5]) != len {
            return Err(at(
                ErrorKind::ObjectIdLengthByte {
                    stated: out[5],
                    actual: len,
                },
                5,
            ));
        }
        let stored = u16::from_be_bytes([out[6], out[7]]);
        out[6] = 0;
        out[7] = 0;
        let expected = crc16_arc(out.get(..len).unwrap_or_default());
        if stored != expected {
            return Err(at(ErrorKind::ObjectIdCrc { stored, expected }, 6));
        }
        [out[6], out[7]] = stored.to_be_bytes();
        Ok(Self {
            len: out[5],
            bytes: out,
        })
    }

    /// The IANA SNMP enterprise number of the ID's issuer.
    #[must_use]
    pub fn enterprise(&self) -> u32 {
        u32::from_be_bytes([0, self.bytes[1], self.bytes[2], self.bytes[3]])
    }

    /// The number of bytes (9 to 40).
    #[must_use]
    #[allow(clippy::len_without_is_empty)]
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// The CRC field.
    #[must_use]
    pub const fn crc(&self) -> u16 {
        u16::from_be_bytes([self.bytes[6], self.bytes[7]])
    }

    /// The opaque data.
    #[must_use]
    pub fn opaque(&self) -> &[u8] {
        self.bytes.get(8..self.len()).unwrap_or_default()
    }

    /// The whole ID.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len()).unwrap_or_default()
    }

    /// The base16 text, upper case, without allocating.
    #[must_use]
    pub fn to_hex(&self) -> HexId {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        let mut text = [0u8; 2 * MAX_BYTES];
        let digit = |v: u8| DIGITS.get(usize::from(v)).copied().unwrap_or(b'0');
        for (pair, &b) in text.chunks_exact_mut(2).zip(self.as_bytes()) {
            if let [hi, lo] = pair {
                *hi = digit(b >> 4);
                *lo = digit(b & 0xF);
            }
        }
        HexId {
            len: self.len,
            text,
        }
    }

    /// The URI path that reaches the object by ID (1.1.1 §5.11, mandatory): `/cdmi_objectid/ID`
    /// for a data object, queue or domain, `/cdmi_objectid/ID/` for a container.
    #[must_use]
    pub fn path(&self, container: bool) -> String {
        format!(
            "/cdmi_objectid/{}{}",
            self.to_hex(),
            if container { "/" } else { "" }
        )
    }
}

impl FromStr for ObjectId {
    type Err = Error;

    /// Parses the base16 text strictly (either letter case).
    ///
    /// # Errors
    /// `ObjectIdNotHex`, `ObjectIdOddLength`, and as [`ObjectId::from_bytes`]; positions are
    /// character offsets into `s` (the first digit of the offending byte).
    fn from_str(s: &str) -> Result<Self, Error> {
        let text = s.as_bytes();
        let at = |kind, offset: usize| Error::at(kind, text, offset);
        if text.len() > 2 * MAX_BYTES {
            return Err(at(ErrorKind::ObjectIdLength(text.len().div_ceil(2)), 0));
        }
        if !text.len().is_multiple_of(2) {
            return Err(at(ErrorKind::ObjectIdOddLength, text.len()));
        }
        let mut bytes = [0u8; MAX_BYTES];
        let n = text.len() / 2;
        // Branch-free over the digits (a non-digit has the table's 0xFF); the offending
        // character is looked for only when there is one.
        let mut bad = 0u8;
        for (slot, pair) in bytes.iter_mut().zip(text.chunks_exact(2)) {
            let &[a, b] = pair else { continue };
            let (hi, lo) = (hex_value(a), hex_value(b));
            bad |= hi | lo;
            *slot = hi << 4 | lo;
        }
        if bad & 0xF0 != 0 {
            let at_char = text.iter().position(|&c| hex_value(c) == 0xFF).unwrap_or(0);
            let c = s
                .get(at_char..)
                .and_then(|r| r.chars().next())
                .unwrap_or('?');
            return Err(at(ErrorKind::ObjectIdNotHex(c), at_char));
        }
        Self::checked(bytes.get(..n).unwrap_or_default(), |kind, byte| {
            at(kind, 2 * byte)
        })
    }
}

/// The value of each ASCII hexadecimal digit, 0xFF for every other byte.
const HEX: [u8; 256] = hex_table();

fn hex_value(b: u8) -> u8 {
    HEX.get(usize::from(b)).copied().unwrap_or(0xFF)
}

// Indices stay within the table by the loop bounds (no `get` in a const fn).
#[allow(clippy::indexing_slicing)]
const fn hex_table() -> [u8; 256] {
    let mut t = [0xFFu8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.to_hex().as_str())
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectId({})", self.to_hex().as_str())
    }
}

/// The base16 text of an [`ObjectId`], on the stack.
#[derive(Clone, Copy)]
pub struct HexId {
    len: u8,
    text: [u8; 2 * MAX_BYTES],
}

impl HexId {
    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        let text = self
            .text
            .get(..2 * usize::from(self.len))
            .unwrap_or_default();
        std::str::from_utf8(text).unwrap_or_default()
    }
}

impl fmt::Display for HexId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// ---- the lenient reader ----------------------------------------------------------------------

/// The default most bytes [`inspect`] decodes: Onedata emits IDs of 90 to 96 bytes, and allows
/// 320 opaque bytes.
pub const DEFAULT_INSPECT_LIMIT: usize = 512;

/// Something wrong with an object ID, as [`inspect`] finds it. [`Problem::tolerated`] says
/// which ones real servers emit and a lenient reader accepts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Problem {
    /// A character that is not a hexadecimal digit, at this character offset.
    NotHex {
        /// Where.
        offset: usize,
    },
    /// An odd number of hexadecimal digits.
    OddLength,
    /// Fewer bytes than the 8-byte header and one opaque byte.
    TooShort {
        /// How many.
        bytes: usize,
    },
    /// More than the inspection limit: not decoded.
    OverLimit {
        /// The limit, in bytes.
        limit: usize,
    },
    /// More than 40 bytes (Onedata).
    OverLong {
        /// How many.
        bytes: usize,
    },
    /// Byte 0 or 4 is not zero.
    ReservedByte {
        /// Which.
        index: usize,
    },
    /// Enterprise number 0 (Onedata).
    EnterpriseZero,
    /// The length byte holds the length of the opaque data, not of the whole ID (jeastman/crime,
    /// Onedata).
    LengthIsOpaqueLength {
        /// The length byte.
        stated: u8,
    },
    /// The length byte is neither the ID's length nor its opaque length.
    LengthMismatch {
        /// The length byte.
        stated: u8,
        /// The number of bytes.
        actual: usize,
    },
    /// The CRC is `sun.misc.CRC16`'s (the SNIA reference implementation and its ports;
    /// examples of the 2.0.0 specification).
    SunCrc,
    /// The CRC is no known CRC of the ID.
    CrcMismatch {
        /// The CRC field.
        stored: u16,
        /// The CRC-16/ARC of the ID with the field zeroed.
        expected: u16,
    },
}

impl Problem {
    /// A stable kebab-case code (`length-is-opaque-length`).
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::NotHex { .. } => "not-hex",
            Self::OddLength => "odd-length",
            Self::TooShort { .. } => "too-short",
            Self::OverLimit { .. } => "over-limit",
            Self::OverLong { .. } => "over-long",
            Self::ReservedByte { .. } => "reserved-byte",
            Self::EnterpriseZero => "enterprise-zero",
            Self::LengthIsOpaqueLength { .. } => "length-is-opaque-length",
            Self::LengthMismatch { .. } => "length-mismatch",
            Self::SunCrc => "sun-crc",
            Self::CrcMismatch { .. } => "crc-mismatch",
        }
    }

    /// Whether a lenient reader accepts an ID with this problem: the mistakes of deployed
    /// servers (Onedata's over-long IDs, enterprise 0 and opaque length byte; the reference
    /// implementation's CRC). Text that is no ID at all, and CRCs that match nothing, are not.
    #[must_use]
    pub const fn tolerated(&self) -> bool {
        matches!(
            self,
            Self::OverLong { .. }
                | Self::EnterpriseZero
                | Self::LengthIsOpaqueLength { .. }
                | Self::SunCrc
        )
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotHex { offset } => write!(f, "not a hexadecimal digit at character {offset}"),
            Self::OddLength => f.write_str("an odd number of hexadecimal digits"),
            Self::TooShort { bytes } => write!(f, "{bytes} bytes, fewer than 9"),
            Self::OverLimit { limit } => write!(f, "more than {limit} bytes, not decoded"),
            Self::OverLong { bytes } => write!(f, "{bytes} bytes, more than 40"),
            Self::ReservedByte { index } => write!(f, "reserved byte {index} is not zero"),
            Self::EnterpriseZero => f.write_str("enterprise number 0 is reserved"),
            Self::LengthIsOpaqueLength { stated } => write!(
                f,
                "the length byte {stated} is the opaque length, not the ID's"
            ),
            Self::LengthMismatch { stated, actual } => {
                write!(
                    f,
                    "the length byte says {stated}, the ID has {actual} bytes"
                )
            }
            Self::SunCrc => f.write_str("the CRC is sun.misc.CRC16's (0x1021), not CRC-16/ARC's"),
            Self::CrcMismatch { stored, expected } => {
                write!(f, "CRC {stored:04X}, expected {expected:04X}")
            }
        }
    }
}

/// What [`inspect`] makes of the text of an object ID: its fields as far as they can be
/// read, and every problem.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Inspection {
    /// The decoded bytes (empty when the text is no base16).
    pub bytes: Vec<u8>,
    /// The enterprise number, when there are at least 4 bytes.
    pub enterprise: Option<u32>,
    /// The length byte.
    pub length: Option<u8>,
    /// The CRC field.
    pub crc: Option<u16>,
    /// The CRC-16/ARC the ID should carry (over the whole ID, field zeroed).
    pub crc_expected: Option<u16>,
    /// Every problem, in the order of the layout.
    pub problems: Vec<Problem>,
}

impl Inspection {
    /// Whether the ID is valid: no problem at all.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }

    /// Whether a lenient reader accepts it: every problem [`Problem::tolerated`].
    #[must_use]
    pub fn is_tolerated(&self) -> bool {
        self.problems.iter().all(Problem::tolerated)
    }

    /// The opaque data, when there is a header.
    #[must_use]
    pub fn opaque(&self) -> &[u8] {
        self.bytes.get(8..).unwrap_or_default()
    }

    /// The strictly valid ID, if it is one.
    #[must_use]
    pub fn id(&self) -> Option<ObjectId> {
        if self.is_valid() {
            ObjectId::from_bytes(&self.bytes).ok()
        } else {
            None
        }
    }
}

/// Reads the text of an object ID as far as it goes and reports every problem, decoding at
/// most [`DEFAULT_INSPECT_LIMIT`] bytes. Never fails: what cannot be read is a problem.
///
/// ```
/// use cdmi::objectid::{Problem, inspect};
/// // jeastman/crime and Onedata put the opaque length in the length byte.
/// let i = inspect("00006FFD0008A1B2E3B2B4F602032653");
/// assert_eq!(i.problems, [Problem::LengthIsOpaqueLength { stated: 8 }]);
/// assert!(!i.is_valid() && i.is_tolerated());
/// assert!(!inspect("00006FFD001001CDE3B2B4F602032653").is_tolerated());
/// ```
#[must_use]
pub fn inspect(text: &str) -> Inspection {
    inspect_with_limit(text, DEFAULT_INSPECT_LIMIT)
}

/// [`inspect`] with another limit on the bytes decoded.
#[must_use]
pub fn inspect_with_limit(text: &str, limit: usize) -> Inspection {
    let mut i = Inspection {
        bytes: Vec::new(),
        enterprise: None,
        length: None,
        crc: None,
        crc_expected: None,
        problems: Vec::new(),
    };
    if text.len() > limit.saturating_mul(2) {
        i.problems.push(Problem::OverLimit { limit });
        return i;
    }
    if let Some(offset) = text.bytes().position(|b| !b.is_ascii_hexdigit()) {
        i.problems.push(Problem::NotHex { offset });
        return i;
    }
    if !text.len().is_multiple_of(2) {
        i.problems.push(Problem::OddLength);
        return i;
    }
    i.bytes = text
        .as_bytes()
        .chunks_exact(2)
        .map(|p| match p {
            &[a, b] => hex_value(a) << 4 | hex_value(b),
            _ => 0,
        })
        .collect();
    let n = i.bytes.len();
    let byte = |k: usize| i.bytes.get(k).copied();
    if let (Some(e1), Some(e2), Some(e3)) = (byte(1), byte(2), byte(3)) {
        i.enterprise = Some(u32::from_be_bytes([0, e1, e2, e3]));
    }
    i.length = byte(5);
    if let (Some(hi), Some(lo)) = (byte(6), byte(7)) {
        i.crc = Some(u16::from_be_bytes([hi, lo]));
    }
    if n < MIN_BYTES {
        i.problems.push(Problem::TooShort { bytes: n });
        return i;
    }
    let b = &i.bytes;
    if n > MAX_BYTES {
        i.problems.push(Problem::OverLong { bytes: n });
    }
    for index in [0, 4] {
        if b.get(index).is_some_and(|&x| x != 0) {
            i.problems.push(Problem::ReservedByte { index });
        }
    }
    if i.enterprise == Some(0) {
        i.problems.push(Problem::EnterpriseZero);
    }
    let stated = i.length.unwrap_or_default();
    if usize::from(stated) != n {
        if usize::from(stated) + 8 == n {
            i.problems.push(Problem::LengthIsOpaqueLength { stated });
        } else {
            i.problems
                .push(Problem::LengthMismatch { stated, actual: n });
        }
    }
    let mut zeroed = b.clone();
    if let Some(field) = zeroed.get_mut(6..8) {
        field.fill(0);
    }
    let expected = crc16_arc(&zeroed);
    i.crc_expected = Some(expected);
    let stored = i.crc.unwrap_or_default();
    // A shorter length byte names the bytes the CRC covers (1.1.1 §5.11).
    let covered = zeroed.get(..usize::from(stated).max(8)).unwrap_or(&zeroed);
    if stored != expected && stored != crc16_arc(covered) {
        if stored == crc16_sun(&zeroed) || stored == crc16_sun(covered) {
            i.problems.push(Problem::SunCrc);
        } else {
            i.problems.push(Problem::CrcMismatch { stored, expected });
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn strict_errors_are_positioned() {
        // (text, error text)
        let cases = [
            (
                "00006FFD001001CCE3B2B4F60203265",
                "object ID: an odd number of hexadecimal digits at line 1, column 32",
            ),
            (
                "00006FFD001001CCE3B2B4F60203265G",
                "object ID: 'G' is not a hexadecimal digit at line 1, column 32",
            ),
            (
                "00006FFD0008",
                "object ID: 6 bytes (an object ID has 9 to 40) at line 1, column 1",
            ),
            (
                "01006FFD001001CCE3B2B4F602032653",
                "object ID: reserved byte 0 is not zero at line 1, column 1",
            ),
            (
                "00006FFD011001CCE3B2B4F602032653",
                "object ID: reserved byte 4 is not zero at line 1, column 9",
            ),
            (
                "00000000001001CCE3B2B4F602032653",
                "object ID: enterprise number 0 is reserved at line 1, column 3",
            ),
            (
                "00006FFD001101CCE3B2B4F602032653",
                "object ID: the length byte says 17, the ID has 16 bytes at line 1, column 11",
            ),
            (
                "00006FFD001001CDE3B2B4F602032653",
                "object ID: CRC 01CD, expected 01CC at line 1, column 13",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(
                text.parse::<ObjectId>().unwrap_err().to_string(),
                want,
                "{text}"
            );
        }
        let long = "00".repeat(41);
        assert!(matches!(
            long.parse::<ObjectId>().unwrap_err().kind(),
            ErrorKind::ObjectIdLength(41)
        ));
        // Lower case reads the same.
        let id: ObjectId = "00006ffd001001cce3b2b4f602032653".parse().unwrap();
        assert_eq!(id.to_string(), "00006FFD001001CCE3B2B4F602032653");
        // Non-ASCII text is refused, not split inside a character.
        assert!(matches!(
            "00006FFD001001CCE3B2B4F6020326é"
                .parse::<ObjectId>()
                .unwrap_err()
                .kind(),
            ErrorKind::ObjectIdNotHex(_)
        ));
    }

    #[test]
    fn construction_limits() {
        assert!(matches!(
            ObjectId::new(0, b"x").unwrap_err().kind(),
            ErrorKind::ObjectIdEnterpriseZero
        ));
        assert!(matches!(
            ObjectId::new(1 << 24, b"x").unwrap_err().kind(),
            ErrorKind::ObjectIdEnterpriseRange(_)
        ));
        assert!(matches!(
            ObjectId::new(1, b"").unwrap_err().kind(),
            ErrorKind::ObjectIdLength(8)
        ));
        assert!(matches!(
            ObjectId::new(1, &[7; 33]).unwrap_err().kind(),
            ErrorKind::ObjectIdLength(41)
        ));
        let max = ObjectId::new(MAX_ENTERPRISE, &[0xAB; 32]).unwrap();
        assert_eq!((max.len(), max.enterprise()), (40, MAX_ENTERPRISE));
        assert_eq!(max.path(true), format!("/cdmi_objectid/{max}/"));
    }

    #[test]
    fn inspection_names_each_producer_mistake() {
        let onedata_long = {
            // 90 bytes, enterprise 0, opaque length in the length byte.
            let mut b = vec![0u8; 90];
            b[5] = 82;
            b[8..].fill(0x41);
            let crc = crc16_arc(&b);
            [b[6], b[7]] = crc.to_be_bytes();
            b.iter().map(|x| format!("{x:02X}")).collect::<String>()
        };
        let i = inspect(&onedata_long);
        assert_eq!(
            i.problems,
            [
                Problem::OverLong { bytes: 90 },
                Problem::EnterpriseZero,
                Problem::LengthIsOpaqueLength { stated: 82 }
            ]
        );
        assert!(i.is_tolerated());
        assert!(!inspect("zz").is_tolerated());
        assert_eq!(inspect("0g").problems, [Problem::NotHex { offset: 1 }]);
        assert_eq!(inspect("000").problems, [Problem::OddLength]);
        assert_eq!(inspect("0000").problems, [Problem::TooShort { bytes: 2 }]);
        assert_eq!(
            inspect_with_limit(&"00".repeat(11), 10).problems,
            [Problem::OverLimit { limit: 10 }]
        );
        let valid = inspect("00006FFD001001CCE3B2B4F602032653");
        assert!(valid.is_valid());
        assert_eq!(valid.id().unwrap().enterprise(), 28669);
        assert_eq!(valid.opaque(), valid.id().unwrap().opaque());
        // A CRC computed by sun.misc.CRC16 instead.
        let mut b = ObjectId::new(8, b"0123456789abcdef")
            .unwrap()
            .as_bytes()
            .to_vec();
        b[6] = 0;
        b[7] = 0;
        let sun = crc16_sun(&b);
        [b[6], b[7]] = sun.to_be_bytes();
        let text: String = b.iter().map(|x| format!("{x:02X}")).collect();
        assert_eq!(inspect(&text).problems, [Problem::SunCrc]);
        assert!(text.parse::<ObjectId>().is_err());
    }

    proptest! {
        /// new → text → parse is the identity, in either case; inspection agrees.
        #[test]
        fn round_trip(enterprise in 1u32..=MAX_ENTERPRISE, opaque in prop::collection::vec(any::<u8>(), 1..=32), lower in any::<bool>()) {
            let id = ObjectId::new(enterprise, &opaque).unwrap();
            let text = if lower { id.to_string().to_lowercase() } else { id.to_string() };
            prop_assert_eq!(text.parse::<ObjectId>().unwrap(), id);
            prop_assert_eq!(ObjectId::from_bytes(id.as_bytes()).unwrap(), id);
            let i = inspect(&text);
            prop_assert!(i.is_valid());
            prop_assert_eq!(i.crc_expected, Some(id.crc()));
        }

        /// Any single-bit change of a valid ID is refused strictly (the CRC or a header rule
        /// catches it).
        #[test]
        fn bit_flips_are_caught(opaque in prop::collection::vec(any::<u8>(), 1..=32), bit in 0usize..320) {
            let id = ObjectId::new(28669, &opaque).unwrap();
            let mut b = id.as_bytes().to_vec();
            let bit = bit % (8 * b.len());
            b[bit / 8] ^= 1 << (bit % 8);
            prop_assert!(ObjectId::from_bytes(&b).is_err());
        }

        /// Arbitrary text never panics and strict parsing agrees with inspection.
        #[test]
        fn strict_agrees_with_inspection(text in "[0-9A-Fa-f]{0,90}|.{0,40}") {
            let strict = text.parse::<ObjectId>();
            let i = inspect(&text);
            prop_assert_eq!(strict.is_ok(), i.is_valid(), "{}", text);
        }
    }
}
