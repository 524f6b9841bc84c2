//! What the streaming readers share: the items they hand out, the line reader and the
//! queue-and-step iterator. The readers are [`crate::PlainReader`] (text/plain),
//! [`crate::UriListReader`] (text/uri-list) and [`crate::JsonCollectionReader`] (JSON
//! collections).
//!
//! Memory stays bounded by one line ([`Limits::max_line_bytes`](crate::Limits::max_line_bytes))
//! or one JSON member plus the items read from it, whatever the size of the body, so a model
//! listing or a collection of millions of locations is read without buffering the body.

use crate::error::at;
use crate::message::{CategoryRendering, LinkRendering, Message};
use crate::{Error, ErrorKind};
use occi_model::AttributeValue;
use occi_model::fedcloud_core::Position;
use std::collections::VecDeque;
use std::io::{BufRead, Read};

/// One item of a text/plain body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Item {
    /// A `Category` (one element of the line).
    Category(CategoryRendering),
    /// A `Link`.
    Link(LinkRendering),
    /// An `X-OCCI-Attribute` (typed by its syntax only: typing needs the whole entity).
    Attribute(String, AttributeValue),
    /// An `X-OCCI-Location` (or a string of a JSON location array).
    Location(String),
    /// A whole entity of a JSON collection ([`JsonCollectionReader`](crate::JsonCollectionReader)),
    /// typed through the model.
    Entity(Message),
}

/// Reads one line of at most `limit` bytes (plus the newline) into `buf`, without its line
/// end; the number of bytes it took from `reader` (line end included), `Ok(None)` at the end
/// of input.
pub(crate) fn next_line<R: BufRead>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    limit: usize,
    pos: Position,
) -> Result<Option<usize>, Error> {
    buf.clear();
    let n = reader
        .by_ref()
        .take(limit as u64 + 2)
        .read_until(b'\n', buf)
        .map_err(|_| at(ErrorKind::Syntax("readable input"), pos))?;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    }
    if buf.len() > limit {
        return Err(at(
            ErrorKind::LineTooLong {
                limit,
                actual: buf.len(),
            },
            pos,
        ));
    }
    Ok(Some(n))
}

/// A reader that reads its input a step at a time into a queue of items.
pub(crate) trait Steps {
    /// The items read and not yet handed out, and whether the reader has finished.
    fn queue(&mut self) -> (&mut VecDeque<Item>, &mut bool);
    /// Reads until an item is queued (`Ok(true)`) or the input ends (`Ok(false)`).
    fn step(&mut self) -> Result<bool, Error>;
}

/// The next item of `reader`: from its queue, else after another step; nothing after the
/// end or the first error.
pub(crate) fn next_item<S: Steps>(reader: &mut S) -> Option<Result<Item, Error>> {
    loop {
        let (pending, done) = reader.queue();
        if let Some(item) = pending.pop_front() {
            return Some(Ok(item));
        }
        if *done {
            return None;
        }
        let r = reader.step();
        if !matches!(r, Ok(true)) {
            *reader.queue().1 = true;
        }
        if let Err(e) = r {
            return Some(Err(e));
        }
    }
}
