//! Where something is in an input: byte offset, 1-based line and column.
//!
//! Every parser of the workspace reports its errors with a [`Position`], so that a user sees
//! "at line 12, column 7" whatever the standard. Lines are separated by `\n` (a preceding `\r`
//! belongs to the line it ends). Columns count Unicode scalar values from the start of the line,
//! as editors do; in input that is not UTF-8 every byte that is not a UTF-8 continuation byte
//! counts as one column.

use std::fmt;

/// A place in an input.
///
/// `offset` is the byte offset from the start of the input (0-based); `line` and `column` are
/// 1-based. The default position is the start of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// Byte offset from the start of the input.
    pub offset: usize,
    /// Line number, starting at 1.
    pub line: usize,
    /// Column number in characters, starting at 1.
    pub column: usize,
}

impl Default for Position {
    fn default() -> Self {
        Self::START
    }
}

impl Position {
    /// The start of an input: offset 0, line 1, column 1.
    pub const START: Position = Position {
        offset: 0,
        line: 1,
        column: 1,
    };

    /// Builds a position from its three parts.
    #[must_use]
    pub const fn new(offset: usize, line: usize, column: usize) -> Self {
        Self {
            offset,
            line,
            column,
        }
    }

    /// Computes the position of byte `offset` in `input`.
    ///
    /// An offset past the end is clamped to the end of the input. The scan is linear in
    /// `offset` (a `memchr`-driven count of newlines); for many look-ups into the same input use
    /// [`LineIndex`].
    ///
    /// ```
    /// use fedcloud_core::Position;
    /// let p = Position::at(b"ab\ncd", 4);
    /// assert_eq!((p.line, p.column), (2, 2));
    /// ```
    #[must_use]
    pub fn at(input: &[u8], offset: usize) -> Self {
        let offset = offset.min(input.len());
        let before = input.get(..offset).unwrap_or_default();
        let line = memchr::memchr_iter(b'\n', before).count() + 1;
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        let column = count_columns(before.get(line_start..).unwrap_or_default()) + 1;
        Self {
            offset,
            line,
            column,
        }
    }

    /// Translates a position found inside a piece of text into the coordinates of the enclosing
    /// input, given where the piece starts (`base`).
    ///
    /// A parser that hands a field value to a sub-parser (a DN inside a record, an FQAN inside
    /// an attribute) uses this to report the sub-parser's error where it really is.
    ///
    /// ```
    /// use fedcloud_core::Position;
    /// let field_start = Position::new(100, 7, 12);
    /// let inner = Position::new(3, 1, 4);
    /// assert_eq!(inner.within(field_start), Position::new(103, 7, 15));
    /// ```
    #[must_use]
    pub const fn within(self, base: Position) -> Position {
        Position {
            offset: base.offset + self.offset,
            line: base.line + self.line - 1,
            column: if self.line == 1 {
                base.column + self.column - 1
            } else {
                self.column
            },
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// A half-open range of an input, `start` included and `end` excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// The first byte of the range.
    pub start: Position,
    /// The position just past the last byte of the range.
    pub end: Position,
}

impl Span {
    /// Builds a span from its two ends.
    #[must_use]
    pub const fn new(start: Position, end: Position) -> Self {
        Self { start, end }
    }

    /// The span of bytes `start..end` of `input`.
    #[must_use]
    pub fn of(input: &[u8], start: usize, end: usize) -> Self {
        let start_pos = Position::at(input, start);
        let end = end.max(start_pos.offset).min(input.len());
        let tail = input.get(start_pos.offset..end).unwrap_or_default();
        Self {
            start: start_pos,
            end: advance(start_pos, tail),
        }
    }

    /// The length of the span in bytes.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.end.offset.saturating_sub(self.start.offset)
    }

    /// Whether the span covers no byte.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.start)
    }
}

/// Precomputed line starts of an input, for many position look-ups in `O(log lines)` each.
///
/// ```
/// use fedcloud_core::{LineIndex, Position};
/// let text = b"Key: a\nOther: b\n";
/// let index = LineIndex::new(text);
/// assert_eq!(index.position(text, 9), Position::new(9, 2, 3));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `input` (one `memchr` pass).
    #[must_use]
    pub fn new(input: &[u8]) -> Self {
        let mut line_starts = Vec::with_capacity(input.len() / 64 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', input).map(|i| i + 1));
        Self { line_starts }
    }

    /// The number of lines (an input without a newline has one).
    #[must_use]
    pub fn lines(&self) -> usize {
        self.line_starts.len()
    }

    /// The 1-based line of byte `offset` and the byte offset where that line starts.
    #[must_use]
    pub fn line_of(&self, offset: usize) -> (usize, usize) {
        let line_idx = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        (
            line_idx + 1,
            self.line_starts.get(line_idx).copied().unwrap_or(0),
        )
    }

    /// The position of byte `offset`; `input` must be the input the index was built from.
    /// An offset past the end is clamped to the end.
    #[must_use]
    pub fn position(&self, input: &[u8], offset: usize) -> Position {
        let offset = offset.min(input.len());
        let (line, line_start) = self.line_of(offset);
        let column = count_columns(input.get(line_start..offset).unwrap_or_default()) + 1;
        Position {
            offset,
            line,
            column,
        }
    }
}

/// Characters in `bytes`: every byte that is not a UTF-8 continuation byte starts one.
fn count_columns(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// The position after reading `bytes` from `from`.
fn advance(from: Position, bytes: &[u8]) -> Position {
    match memchr::memrchr(b'\n', bytes) {
        None => Position {
            offset: from.offset + bytes.len(),
            line: from.line,
            column: from.column + count_columns(bytes),
        },
        Some(last_nl) => Position {
            offset: from.offset + bytes.len(),
            line: from.line + memchr::memchr_iter(b'\n', bytes).count(),
            column: count_columns(bytes.get(last_nl + 1..).unwrap_or_default()) + 1,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table() {
        let cases: &[(&[u8], usize, (usize, usize))] = &[
            (b"", 0, (1, 1)),
            (b"abc", 0, (1, 1)),
            (b"abc", 3, (1, 4)),
            (b"abc", 99, (1, 4)),
            (b"a\nb", 1, (1, 2)),
            (b"a\nb", 2, (2, 1)),
            (b"a\r\nb", 3, (2, 1)),
            (b"a\r\nb", 2, (1, 3)),
            ("é=x".as_bytes(), 2, (1, 2)),
            ("\n\nJiří".as_bytes(), 8, (3, 5)),
            (b"\xff\xfe", 2, (1, 3)),
        ];
        for &(input, offset, (line, column)) in cases {
            let p = Position::at(input, offset);
            assert_eq!((p.line, p.column), (line, column), "{input:?} @ {offset}");
            let index = LineIndex::new(input);
            assert_eq!(index.position(input, offset), p, "{input:?} @ {offset}");
            let (l, start) = index.line_of(p.offset);
            assert_eq!(l, line);
            assert!(start <= p.offset);
        }
    }

    #[test]
    fn display() {
        assert_eq!(Position::new(5, 2, 3).to_string(), "line 2, column 3");
    }

    #[test]
    fn within_multiline() {
        let inner = Position::new(10, 3, 2);
        assert_eq!(
            inner.within(Position::new(5, 2, 9)),
            Position::new(15, 4, 2)
        );
    }

    #[test]
    fn span_of() {
        let text = b"ab\ncd";
        let span = Span::of(text, 1, 4);
        assert_eq!(span.start, Position::new(1, 1, 2));
        assert_eq!(span.end, Position::new(4, 2, 2));
        assert_eq!(span.len(), 3);
        assert!(Span::of(text, 3, 1).is_empty());
    }

    proptest! {
        #[test]
        fn index_agrees_with_scan(input in proptest::collection::vec(any::<u8>(), 0..200), offset in 0usize..220) {
            let index = LineIndex::new(&input);
            prop_assert_eq!(index.position(&input, offset), Position::at(&input, offset));
        }

        #[test]
        fn within_composes(prefix in "[a-z\n]{0,20}", inner in "[a-z\n]{0,20}", offset in 0usize..25) {
            let whole = format!("{prefix}{inner}");
            let offset = offset.min(inner.len());
            let base = Position::at(whole.as_bytes(), prefix.len());
            let inner_pos = Position::at(inner.as_bytes(), offset);
            prop_assert_eq!(inner_pos.within(base), Position::at(whole.as_bytes(), prefix.len() + offset));
        }

        #[test]
        fn span_end_agrees(input in "[a-zé\n]{0,30}", a in 0usize..40, b in 0usize..40) {
            let bytes = input.as_bytes();
            let (a, b) = (a.min(b).min(bytes.len()), a.max(b).min(bytes.len()));
            let span = Span::of(bytes, a, b);
            prop_assert_eq!(span.end, Position::at(bytes, b));
        }
    }
}
