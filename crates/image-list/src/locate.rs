//! Where the values named by paths sit in the JSON text: one pass of a skimmer that follows
//! the paths without building anything, so that problems found in the parsed value get
//! positions at a cost linear in the text, however many problems there are.

use fedcloud_core::{LineIndex, Position};

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

/// The positions of the values at `paths` in `text` (a JSON text serde_json accepted): for
/// each path its value, or the deepest value on the way that exists. The skim stops as soon
/// as every path is resolved, so for a member given twice it is the first one (serde_json
/// keeps the last).
pub(crate) fn locate_all(text: &str, paths: &[&[Step<'_>]]) -> Vec<Position> {
    let b = text.as_bytes();
    let mut trie = Node::default();
    for (i, path) in paths.iter().enumerate() {
        trie.insert(path, i);
    }
    trie.sort();
    let root = skip_ws(b, 0);
    let mut offsets = vec![root; paths.len()];
    trie.walk(b, root, &mut offsets);
    let index = LineIndex::new(b);
    offsets.into_iter().map(|o| index.position(b, o)).collect()
}

/// The paths asked for, merged by their common prefixes.
#[derive(Default)]
struct Node<'k> {
    /// The paths through this node (each gets this value's offset until a deeper one).
    here: Vec<usize>,
    keys: Vec<(&'k str, Node<'k>)>,
    items: Vec<(usize, Node<'k>)>,
}

impl<'k> Node<'k> {
    fn insert(&mut self, path: &[Step<'k>], id: usize) {
        self.here.push(id);
        let Some((first, rest)) = path.split_first() else {
            return;
        };
        let child = match *first {
            Step::Key(k) => if let Some(i) = self.keys.iter().position(|(n, _)| *n == k) {
                self.keys.get_mut(i)
            } else {
                self.keys.push((k, Node::default()));
                self.keys.last_mut()
            }
            .map(|(_, c)| c),
            Step::Index(n) => {
                // Paths come in document order: the index is nearly always the last one.
                let found = match self.items.last() {
                    Some((x, _)) if *x == n => Some(self.items.len() - 1),
                    _ => self.items.iter().position(|(x, _)| *x == n),
                };
                if let Some(i) = found {
                    self.items.get_mut(i)
                } else {
                    self.items.push((n, Node::default()));
                    self.items.last_mut()
                }
                .map(|(_, c)| c)
            }
        };
        if let Some(child) = child {
            child.insert(rest, id);
        }
    }

    /// Orders the array children by index, so that the walk takes them in one pass.
    fn sort(&mut self) {
        self.items.sort_by_key(|(n, _)| *n);
        for (_, c) in &mut self.keys {
            c.sort();
        }
        for (_, c) in &mut self.items {
            c.sort();
        }
    }

    /// Records `at` for every path through this node, then descends into the children the
    /// paths name (recursion as deep as the longest path, not as the document), leaving each
    /// container as soon as its children have been visited.
    fn walk(&self, b: &[u8], at: usize, offsets: &mut [usize]) {
        for &id in &self.here {
            if let Some(o) = offsets.get_mut(id) {
                *o = at;
            }
        }
        match b.get(at) {
            Some(b'{') if !self.keys.is_empty() => {
                let mut i = skip_ws(b, at + 1);
                let mut left = self.keys.len();
                let mut seen = vec![false; self.keys.len()];
                while b.get(i) == Some(&b'"') {
                    let Some(end) = skip_string(b, i) else { return };
                    let child = self.keys.iter().position(|(k, _)| key_is(b, i, end, k));
                    i = skip_ws(b, end);
                    if b.get(i) != Some(&b':') {
                        return;
                    }
                    i = skip_ws(b, i + 1);
                    if let Some(n) = child
                        && let (Some((_, c)), Some(was)) = (self.keys.get(n), seen.get_mut(n))
                        && !*was
                    {
                        *was = true;
                        c.walk(b, i, offsets);
                        left -= 1;
                        if left == 0 {
                            return;
                        }
                    }
                    let Some(next) = skip_value(b, i) else { return };
                    i = skip_ws(b, next);
                    if b.get(i) != Some(&b',') {
                        return;
                    }
                    i = skip_ws(b, i + 1);
                }
            }
            Some(b'[') if !self.items.is_empty() => {
                let mut wanted = self.items.iter().peekable();
                let mut i = skip_ws(b, at + 1);
                let mut n = 0;
                while let Some((next, c)) = wanted.peek() {
                    if b.get(i) == Some(&b']') {
                        return;
                    }
                    if *next == n {
                        c.walk(b, i, offsets);
                        wanted.next();
                    }
                    n += 1;
                    let Some(next) = skip_value(b, i) else { return };
                    i = skip_ws(b, next);
                    if b.get(i) != Some(&b',') {
                        return;
                    }
                    i = skip_ws(b, i + 1);
                }
            }
            _ => {}
        }
    }
}

/// Whether the member name `b[start..end]` (a JSON string, quotes included) is `key`.
fn key_is(b: &[u8], start: usize, end: usize, key: &str) -> bool {
    let name = b.get(start + 1..end - 1).unwrap_or_default();
    if name.contains(&b'\\') {
        std::str::from_utf8(b.get(start..end).unwrap_or_default())
            .ok()
            .and_then(|raw| serde_json::from_str::<String>(raw).ok())
            .is_some_and(|n| n == key)
    } else {
        name == key.as_bytes()
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
        j += memchr::memchr2(b'"', b'\\', b.get(j..)?)?;
        if b.get(j)? == &b'"' {
            return Some(j + 1);
        }
        j += 2;
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
        let paths: [&[Step<'_>]; 7] = [
            &[Step::Key("a"), Step::Index(1), Step::Key("b c")],
            &[Step::Key("a"), Step::Index(2)],
            // The first of two members of one name.
            &[Step::Key("d"), Step::Key("e")],
            // A missing member: the object that lacks it.
            &[Step::Key("d"), Step::Key("zz")],
            &[Step::Key("a"), Step::Index(9)],
            &[Step::Key("a"), Step::Index(1)],
            &[],
        ];
        let found: Vec<_> = locate_all(text, &paths)
            .into_iter()
            .map(|p| (p.line, p.column))
            .collect();
        assert_eq!(
            found,
            [(2, 25), (2, 31), (3, 14), (3, 8), (2, 8), (2, 12), (1, 1)]
        );
        assert_eq!(pointer(&[Step::Key("a/b~"), Step::Index(3)]), "/a~1b~0/3");
    }
}
