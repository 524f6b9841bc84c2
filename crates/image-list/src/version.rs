//! Comparing `hv:version` strings as vmcatcher does: split on `-`, `,`, `.` and `/`, numeric
//! segments compared as integers, so that `1.0.10` comes after `1.0.9`.

use std::cmp::Ordering;

/// The order of two versions. Segments are compared in turn: two runs of digits by value
/// (any length; leading zeros do not count), otherwise as text (a number before a word); when
/// one version is a prefix of the other, the longer one is greater. Equal versions (by this
/// order) are vmcatcher's code 16 (a warning), a smaller one its 17.
///
/// ```
/// use image_list::compare_versions;
/// use std::cmp::Ordering;
/// assert_eq!(compare_versions("1.0.10", "1.0.9"), Ordering::Greater);
/// assert_eq!(compare_versions("3.3.0-1", "3.3.0-01"), Ordering::Equal);
/// assert_eq!(compare_versions("20150618211400", "20150618211399"), Ordering::Greater);
/// ```
#[must_use]
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    let split =
        |s: &str| -> Vec<String> { s.split(['-', ',', '.', '/']).map(str::to_owned).collect() };
    let (a, b) = (split(a), split(b));
    for (x, y) in a.iter().zip(&b) {
        let numeric = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
        let order = match (numeric(x), numeric(y)) {
            (true, true) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => x.cmp(y),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numeric_aware_order() {
        let sorted = [
            "0.9", "1", "1.0", "1.0.9", "1.0.10", "1.1-rc", "1.1-rc2", "2", "10", "10.a",
        ];
        for w in sorted.windows(2) {
            assert_eq!(compare_versions(w[0], w[1]), Ordering::Less, "{w:?}");
            assert_eq!(compare_versions(w[1], w[0]), Ordering::Greater, "{w:?}");
        }
        assert_eq!(compare_versions("007", "7"), Ordering::Equal);
        assert_eq!(
            compare_versions("99999999999999999999999", "1"),
            Ordering::Greater
        );
    }

    proptest! {
        #[test]
        fn a_total_order(a in "[0-9a.-]{0,8}", b in "[0-9a.-]{0,8}", c in "[0-9a.-]{0,8}") {
            prop_assert_eq!(compare_versions(&a, &b), compare_versions(&b, &a).reverse());
            if compare_versions(&a, &b) != Ordering::Greater && compare_versions(&b, &c) != Ordering::Greater {
                prop_assert_ne!(compare_versions(&a, &c), Ordering::Greater);
            }
        }
    }
}
