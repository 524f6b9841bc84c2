//! The CRC of CDMI object IDs, and the one some implementations compute instead.
//!
//! CDMI (1.1.1 §5.11, 2.0.0 "CDMI object ID format") names a 16-bit CRC; its parameters are
//! those of CRC-16/ARC: polynomial 0x8005, initial value 0, input and output reflected, no
//! final XOR (check value 0xBB3D over `123456789`). The SNIA reference implementation and its
//! ports use `sun.misc.CRC16` instead (polynomial 0x1021, message bits shifted into the
//! register without augmentation), whose values leaked into the 2.0.0 examples; the lenient
//! object-ID reader recognises them.

/// CRC-16/ARC by table, one step per byte (the reflected polynomial 0xA001).
const ARC_TABLE: [u16; 256] = arc_table();

// Indices stay below 256 by the loop bound (no `get` in a const fn that builds a table).
#[allow(clippy::indexing_slicing)]
const fn arc_table() -> [u16; 256] {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        #[allow(clippy::cast_possible_truncation)]
        let mut crc = i as u16;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xA001
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
}

/// The table that advances the register by a byte more than [`ARC_TABLE`] does, for two
/// bytes a step ("slicing by 2": half the dependent look-ups).
const ARC_TABLE2: [u16; 256] = arc_table2();

// Indices stay below 256 by the loop bound and the mask.
#[allow(clippy::indexing_slicing)]
const fn arc_table2() -> [u16; 256] {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let t = ARC_TABLE[i];
        table[i] = (t >> 8) ^ ARC_TABLE[(t & 0xFF) as usize];
        i += 1;
    }
    table
}

fn arc(i: u16) -> u16 {
    ARC_TABLE
        .get(usize::from(i & 0xFF))
        .copied()
        .unwrap_or_default()
}

const ARC_TABLE3: [u16; 256] = next_table(&ARC_TABLE2);
const ARC_TABLE4: [u16; 256] = next_table(&ARC_TABLE3);
const ARC_TABLE5: [u16; 256] = next_table(&ARC_TABLE4);
const ARC_TABLE6: [u16; 256] = next_table(&ARC_TABLE5);
const ARC_TABLE7: [u16; 256] = next_table(&ARC_TABLE6);
const ARC_TABLE8: [u16; 256] = next_table(&ARC_TABLE7);

/// The table of a byte followed by one more zero byte than `prev`'s.
#[allow(clippy::indexing_slicing)]
const fn next_table(prev: &[u16; 256]) -> [u16; 256] {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let t = prev[i];
        table[i] = (t >> 8) ^ ARC_TABLE[(t & 0xFF) as usize];
        i += 1;
    }
    table
}

fn lookup(table: &[u16; 256], i: u8) -> u16 {
    table.get(usize::from(i)).copied().unwrap_or_default()
}

/// CRC-16/ARC of `bytes`: eight bytes a step (slicing by eight: the register meets only the
/// first two, the other six are looked up independently), then the rest a byte a step.
#[must_use]
pub fn crc16_arc(bytes: &[u8]) -> u16 {
    let mut crc = 0u16;
    let mut octets = bytes.chunks_exact(8);
    for octet in octets.by_ref() {
        if let &[a, b, c, d, e, f, g, h] = octet {
            let [x0, x1] = (crc ^ u16::from_le_bytes([a, b])).to_le_bytes();
            crc = lookup(&ARC_TABLE8, x0)
                ^ lookup(&ARC_TABLE7, x1)
                ^ lookup(&ARC_TABLE6, c)
                ^ lookup(&ARC_TABLE5, d)
                ^ lookup(&ARC_TABLE4, e)
                ^ lookup(&ARC_TABLE3, f)
                ^ lookup(&ARC_TABLE2, g)
                ^ lookup(&ARC_TABLE, h);
        }
    }
    for &b in octets.remainder() {
        crc = (crc >> 8) ^ arc(crc ^ u16::from(b));
    }
    crc
}

/// What `sun.misc.CRC16` computes over `bytes`: the register starts at 0, and each message
/// bit, most significant first, is shifted in from the right while the polynomial 0x1021 is
/// applied when the bit shifted out was set.
#[must_use]
pub fn crc16_sun(bytes: &[u8]) -> u16 {
    let mut value: u32 = 0;
    for &b in bytes {
        let mut a = u32::from(b);
        for _ in 0..8 {
            a <<= 1;
            let bit = (a >> 8) & 1;
            value = if value & 0x8000 != 0 {
                ((value << 1) + bit) ^ 0x1021
            } else {
                (value << 1) + bit
            };
        }
        value &= 0xFFFF;
    }
    #[allow(clippy::cast_possible_truncation)]
    let out = value as u16;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn check_values() {
        assert_eq!(crc16_arc(b"123456789"), 0xBB3D);
        assert_eq!(crc16_arc(b""), 0);
    }

    proptest! {
        /// Against the `crc` crate's CRC-16/ARC, an independent implementation (odd and even
        /// lengths: the two-byte steps and the last byte).
        #[test]
        fn arc_matches_the_crc_crate(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            let reference = crc::Crc::<u16>::new(&crc::CRC_16_ARC);
            prop_assert_eq!(crc16_arc(&bytes), reference.checksum(&bytes));
        }
    }
}
