//! RFC 7230 quoted-strings and quote-aware list splitting.
//!
//! ```text
//! quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE          ; RFC 7230 §3.2.6
//! qdtext        = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
//! quoted-pair   = "\" ( HTAB / SP / VCHAR / obs-text )
//! #rule         = [ ( "," / element ) *( OWS "," [ OWS element ] ) ] ; RFC 7230 §7
//! ```

use crate::ErrorKind;

/// Whether `c` may appear in a quoted-string (unescaped or after `\`): anything but the
/// controls other than HTAB.
pub(crate) const fn quotable(c: char) -> bool {
    c == '\t' || !(c.is_ascii_control())
}

/// Appends `value` as a quoted-string: `"` and `\` escaped, everything else as it is.
///
/// # Errors
/// `Unrepresentable` for a control character other than HTAB, which no quoted-string can
/// carry.
pub(crate) fn push_quoted(out: &mut String, value: &str) -> Result<(), ErrorKind> {
    out.push('"');
    let bytes = value.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' | b'\\' => {
                out.push_str(value.get(start..i).unwrap_or_default());
                out.push('\\');
                start = i;
            }
            b'\t' => {}
            0..=0x1f | 0x7f => {
                return Err(ErrorKind::Unrepresentable(
                    "a control character in a quoted-string",
                ));
            }
            _ => {}
        }
    }
    out.push_str(value.get(start..).unwrap_or_default());
    out.push('"');
    Ok(())
}

/// Splits a header value at the commas that are outside quoted-strings and `<…>`; returns
/// each element's byte range with surrounding white space trimmed; empty elements are
/// dropped (RFC 7230 §7).
pub(crate) fn split_commas(value: &str) -> Vec<(usize, usize)> {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    // Most lines hold one element: no comma at all.
    if memchr::memchr(b',', bytes).is_none() {
        push_trimmed(&mut out, value, 0, bytes.len());
        return out;
    }
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Outside quotes and angle brackets only these bytes matter.
        let Some(j) = memchr::memchr3(b'"', b'<', b',', bytes.get(i..).unwrap_or_default()) else {
            break;
        };
        i += j;
        match bytes.get(i) {
            Some(b'"') => {
                // Skip the quoted-string, escapes included.
                i += 1;
                loop {
                    let Some(k) = memchr::memchr2(b'"', b'\\', bytes.get(i..).unwrap_or_default())
                    else {
                        i = bytes.len();
                        break;
                    };
                    i += k;
                    if bytes.get(i) == Some(&b'\\') {
                        i += 2;
                    } else {
                        i += 1;
                        break;
                    }
                }
            }
            Some(b'<') => {
                i = memchr::memchr(b'>', bytes.get(i..).unwrap_or_default())
                    .map_or(bytes.len(), |k| i + k + 1);
            }
            _ => {
                push_trimmed(&mut out, value, start, i);
                i += 1;
                start = i;
            }
        }
    }
    push_trimmed(&mut out, value, start.min(bytes.len()), bytes.len());
    out
}

fn push_trimmed(out: &mut Vec<(usize, usize)>, value: &str, start: usize, end: usize) {
    let piece = value.get(start..end).unwrap_or_default();
    let lead = piece.len() - piece.trim_start_matches([' ', '\t']).len();
    let trimmed = piece.trim_matches([' ', '\t']);
    if !trimmed.is_empty() {
        out.push((start + lead, start + lead + trimmed.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        let mut s = String::new();
        push_quoted(&mut s, r#"a "b" \c;,<>é"#).unwrap();
        assert_eq!(s, r#""a \"b\" \\c;,<>é""#);
        assert!(push_quoted(&mut String::new(), "line\nbreak").is_err());
    }

    #[test]
    fn splitting() {
        let v = r#"a; t="x, y", <http://h/a,b>; rel="r" , ,c="\"," "#;
        let parts: Vec<&str> = split_commas(v).into_iter().map(|(s, e)| &v[s..e]).collect();
        assert_eq!(
            parts,
            [r#"a; t="x, y""#, r#"<http://h/a,b>; rel="r""#, r#"c="\",""#]
        );
    }
}
