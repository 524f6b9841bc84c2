//! Where a value named by a path sits in the JSON text: a skimmer that follows the path
//! without building anything, so that problems found in the parsed value get positions.

use fedcloud_core::Position;

/// One step of a path: a member name or an array index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step<'k> {
    Key(&'k str),
    Index(usize),
}

/// The path as a JSON pointer (RFC 6901: `~` as `~0`, `/` as `~1`).
pub(crate) fn pointer(path: &[Step<'_>]) -> String {
    let mut s = String::new();
    for step in path {
        s.push('/');
        match step {
            Step::Key(k) => {
                for c in k.chars() {
                    match c {
                        '~' => s.push_str("~0"),
                        '/' => s.push_str("~1"),
                        c => s.push(c),
                    }
                }
            }
            Step::Index(i) => s.push_str(&i.to_string()),
        }
    }
    s
}

/// The position of the value at `path` in `text` (a JSON text serde_json accepted), or of the
/// deepest value on the way that exists. For a member given twice, the last one (the one
/// serde_json keeps).
pub(crate) fn locate(text: &str, path: &[Step<'_>]) -> Position {
    let b = text.as_bytes();
    let mut at = skip_ws(b, 0);
    for step in path {
        match find(b, at, *step) {
            Some(next) => at = next,
            None => break,
        }
    }
    Position::at(b, at)
}

/// The start of the value one step below the value at `at`.
fn find(b: &[u8], at: usize, step: Step<'_>) -> Option<usize> {
    match (b.get(at)?, step) {
        (b'{', Step::Key(key)) => {
            let mut i = skip_ws(b, at + 1);
            let mut found = None;
            while b.get(i) == Some(&b'"') {
                let end = skip_string(b, i)?;
                let name = b.get(i + 1..end - 1)?;
                let matches = if name.contains(&b'\\') {
                    std::str::from_utf8(b.get(i..end)?)
                        .ok()
                        .and_then(|raw| serde_json::from_str::<String>(raw).ok())
                        .is_some_and(|n| n == key)
                } else {
                    name == key.as_bytes()
                };
                i = skip_ws(b, end);
                if b.get(i) != Some(&b':') {
                    return found;
                }
                i = skip_ws(b, i + 1);
                if matches {
                    found = Some(i);
                }
                i = skip_ws(b, skip_value(b, i)?);
                if b.get(i) != Some(&b',') {
                    break;
                }
                i = skip_ws(b, i + 1);
            }
            found
        }
        (b'[', Step::Index(n)) => {
            let mut i = skip_ws(b, at + 1);
            for _ in 0..n {
                i = skip_ws(b, skip_value(b, i)?);
                if b.get(i) != Some(&b',') {
                    return None;
                }
                i = skip_ws(b, i + 1);
            }
            (b.get(i) != Some(&b']')).then_some(i)
        }
        _ => None,
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The end (after the closing quote) of the string starting at `i`.
fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        match b.get(j)? {
            b'"' => return Some(j + 1),
            b'\\' => j += 2,
            _ => j += 1,
        }
    }
}

/// The end of the value starting at `i` (nesting counted, not recursed).
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = i;
    loop {
        match b.get(j)? {
            b'"' => {
                j = skip_string(b, j)?;
                if depth == 0 {
                    return Some(j);
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                if depth == 0 {
                    return Some(j);
                }
                depth -= 1;
                if depth == 0 {
                    return Some(j + 1);
                }
            }
            b',' | b' ' | b'\t' | b'\n' | b'\r' | b':' if depth == 0 => return Some(j),
            _ => {}
        }
        j += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_members_and_items_and_stops_at_the_deepest_existing_value() {
        let text = "{\n  \"a\": [1, {\"b\\u0020c\": \"x\"}, 3],\n  \"d\": {\"e\": 5},\n  \"d\": {\"e\": 6}\n}";
        let p = locate(text, &[Step::Key("a"), Step::Index(1), Step::Key("b c")]);
        assert_eq!((p.line, p.column), (2, 25));
        let p = locate(text, &[Step::Key("a"), Step::Index(2)]);
        assert_eq!((p.line, p.column), (2, 31));
        // The last of two members of one name.
        let p = locate(text, &[Step::Key("d"), Step::Key("e")]);
        assert_eq!((p.line, p.column), (4, 14));
        // A missing member: the object that lacks it.
        let p = locate(text, &[Step::Key("d"), Step::Key("zz")]);
        assert_eq!((p.line, p.column), (4, 8));
        let p = locate(text, &[Step::Key("a"), Step::Index(9)]);
        assert_eq!((p.line, p.column), (2, 8));
        assert_eq!(pointer(&[Step::Key("a/b~"), Step::Index(3)]), "/a~1b~0/3");
    }
}
