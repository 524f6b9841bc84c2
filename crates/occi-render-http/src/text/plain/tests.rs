//! The streaming text/plain reader: items in order, limits, positions.

use crate::{ErrorKind, Item, Limits, Mode, Parser, PlainReader};
use std::io::{BufReader, Read};

/// A reader that produces `n` location lines without ever holding them all.
struct Locations {
    n: usize,
    i: usize,
    pending: Vec<u8>,
}

impl Read for Locations {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            if self.i == self.n {
                return Ok(0);
            }
            self.pending = format!("X-OCCI-Location: /compute/{}\n", self.i).into_bytes();
            self.i += 1;
        }
        let k = out.len().min(self.pending.len());
        out[..k].copy_from_slice(&self.pending[..k]);
        self.pending.drain(..k);
        Ok(k)
    }
}

#[test]
fn large_collection_streams() {
    let parser = Parser::new(Mode::Strict12).with_limits(
        Limits::default()
            .with_max_lines(1_000_000)
            .with_max_body_bytes(usize::MAX),
    );
    let reader = BufReader::new(Locations {
        n: 200_000,
        i: 0,
        pending: Vec::new(),
    });
    let mut count = 0;
    for item in PlainReader::new(&parser, reader) {
        match item.unwrap() {
            Item::Location(l) => assert_eq!(l, format!("/compute/{count}")),
            other => panic!("{other:?}"),
        }
        count += 1;
    }
    assert_eq!(count, 200_000);
}

#[test]
fn plain_reader_items_and_errors() {
    let body = "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\n\nX-OCCI-Attribute: a.b=1, a.c=\"x\"\nLink: <bad";
    let parser = Parser::new(Mode::Strict12);
    let items: Vec<_> = PlainReader::new(&parser, body.as_bytes()).collect();
    assert_eq!(items.len(), 4);
    assert!(matches!(items[0], Ok(Item::Category(_))));
    assert!(matches!(items[2], Ok(Item::Attribute(ref n, _)) if n == "a.c"));
    let e = items[3].as_ref().unwrap_err();
    assert_eq!((e.position().line, e.position().column), (4, 11));
    // Warnings are collected in lenient mode.
    let lenient = Parser::new(Mode::Lenient);
    let mut r = PlainReader::new(
        &lenient,
        "category: x; scheme=\"http://a/b#\"; class=kind\n".as_bytes(),
    );
    assert!(r.next().unwrap().is_ok());
    assert_eq!(r.warnings().len(), 2);
}

#[test]
fn streaming_limits() {
    let line = "X-OCCI-Location: /compute/1\n";
    let body = line.repeat(5);
    let run = |l: Limits| -> Result<Vec<Item>, crate::Error> {
        let p = Parser::new(Mode::Strict12).with_limits(l);
        PlainReader::new(&p, body.as_bytes()).collect()
    };
    assert_eq!(run(Limits::default()).unwrap().len(), 5);
    let e = run(Limits::default().with_max_lines(3)).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooManyLines { limit: 3 });
    assert_eq!(e.position().line, 4);
    let e = run(Limits::default().with_max_line_bytes(10)).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::LineTooLong { limit: 10, .. }));
    let e = run(Limits::default().with_max_body_bytes(60)).unwrap_err();
    assert!(matches!(
        e.kind(),
        ErrorKind::BodyTooLarge { limit: 60, .. }
    ));
    assert_eq!(e.position().line, 3);
}

/// Regression (found by the `occi_plain_stream` fuzz target): the streaming readers counted
/// one byte per line end, so after a CRLF line every offset was one short of the input's.
#[test]
fn crlf_offsets_are_the_input_offsets() {
    let body =
        "X-OCCI-Attribute: a.b=1\r\n\r\ncategory: x; scheme=\"http://a/b#\"; class=\"kind\"\r\n";
    let lenient = Parser::new(Mode::Lenient);
    let mut r = PlainReader::new(&lenient, body.as_bytes());
    assert_eq!(r.by_ref().count(), 2);
    let w = r.warnings()[0];
    assert_eq!(w.position.offset, body.find("category").unwrap());
    assert_eq!(
        w.position,
        lenient.parse_plain(body).unwrap().warnings[0].position
    );
    let uris = "/a\r\n/b\r\n/c d\r\n";
    let e = crate::UriListReader::new(uris.as_bytes(), Limits::default())
        .nth(2)
        .unwrap()
        .unwrap_err();
    assert_eq!(e.position().offset, uris.find(' ').unwrap());
}
