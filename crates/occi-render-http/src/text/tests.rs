//! Table-driven tests of the text renderings: every leniency, every limit, positions, typing.

use crate::{
    ErrorKind, HeaderBudget, HeaderRendering, Leniency, Limits, Mode, OverBudget, Parser,
    render_headers, render_plain,
};
use occi_model::{AttributeValue, Model, OcciVersion};

const KIND: &str =
    "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"";

fn lenient(body: &str) -> crate::Parsed {
    Parser::new(Mode::Lenient).parse_plain(body).unwrap()
}

/// Each leniency: the input fails in both strict modes with `Strict(leniency)` at the given
/// line and column, and passes in lenient mode with exactly that warning there.
#[test]
fn every_text_leniency_only_in_lenient_mode() {
    let model = Model::infrastructure(OcciVersion::V1_2);
    let cases: &[(&str, Leniency, usize, usize)] = &[
        (
            "Category: compute; class=\"kind\"; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"",
            Leniency::ParameterOrder,
            1,
            34,
        ),
        (
            "Category: compute;scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"",
            Leniency::SeparatorSpacing,
            1,
            18,
        ),
        (
            "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\";",
            Leniency::TrailingSemicolon,
            1,
            86,
        ),
        (
            "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=kind",
            Leniency::UnquotedClass,
            1,
            80,
        ),
        (
            "category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"",
            Leniency::HeaderNameCase,
            1,
            1,
        ),
        (
            "X-OCCI-Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"",
            Leniency::PrefixedHeaderName,
            1,
            1,
        ),
        (
            "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"",
            Leniency::ClasslessCategory,
            1,
            11,
        ),
        (
            "X-OCCI-Attribute: occi.core.title=\"a\\nb\"",
            Leniency::LiteralBackslash,
            1,
            37,
        ),
        (
            "X-OCCI-Attribute: occi.compute.state=active",
            Leniency::BareToken,
            1,
            38,
        ),
        (
            "X-OCCI-Attribute: com.example.offset=-3",
            Leniency::NumberSyntax,
            1,
            38,
        ),
        (
            "X-OCCI-Attribute: a.b=\"1\"\nX-OCCI-Attribute: a.b=\"2\"",
            Leniency::DuplicateAttribute,
            2,
            19,
        ),
        (
            "Link: </n/1>; rel=\"http://schemas.ogf.org/occi/infrastructure#network\"; a.b=\"x\" c.d=\"y\"",
            Leniency::SpaceSeparatedLinkAttributes,
            1,
            81,
        ),
        (
            "  X-OCCI-Attribute: a.b=\"x\"",
            Leniency::IndentedLine,
            1,
            1,
        ),
        (
            "X-OCCI-Attribute: a.b=1\nX-OCCI-Attributes: a.c=2",
            Leniency::UnknownOcciHeader,
            2,
            1,
        ),
    ];
    for &(body, leniency, line, column) in cases {
        for mode in [Mode::Strict11, Mode::Strict12] {
            let err = Parser::new(mode).parse_plain(body).unwrap_err();
            // An unknown X-OCCI- header is named in the error, like any unknown header.
            if leniency == Leniency::UnknownOcciHeader {
                assert_eq!(
                    err.kind(),
                    &ErrorKind::UnknownHeader("X-OCCI-Attributes".into())
                );
            } else {
                assert_eq!(err.kind(), &ErrorKind::Strict(leniency), "{mode} {body}");
            }
            assert_eq!(
                (err.position().line, err.position().column),
                (line, column),
                "{mode} {body}"
            );
        }
        let parsed = Parser::new(Mode::Lenient)
            .with_model(&model)
            .parse_plain(body)
            .unwrap();
        assert_eq!(parsed.warnings.len(), 1, "{body}: {:?}", parsed.warnings);
        assert_eq!(parsed.warnings[0].leniency, leniency, "{body}");
        assert_eq!(
            (
                parsed.warnings[0].position.line,
                parsed.warnings[0].position.column
            ),
            (line, column),
            "{body}"
        );
    }
}

#[test]
fn typed_leniencies_need_the_model() {
    let model = Model::infrastructure(OcciVersion::V1_2);
    let cases: &[(&str, Leniency, &str, AttributeValue)] = &[
        (
            "X-OCCI-Attribute: occi.compute.cores=\"2\"",
            Leniency::QuotedNumber,
            "occi.compute.cores",
            AttributeValue::Integer(2),
        ),
        (
            "X-OCCI-Attribute: occi.compute.memory=\"1.5\"",
            Leniency::QuotedNumber,
            "occi.compute.memory",
            AttributeValue::Number(1.5),
        ),
        (
            "X-OCCI-Attribute: occi.compute.hostname=42",
            Leniency::UnquotedString,
            "occi.compute.hostname",
            AttributeValue::String("42".into()),
        ),
    ];
    for (line, leniency, name, value) in cases {
        let body = format!("{KIND}\n{line}\n");
        // Without a model the syntax decides, in every mode.
        let untyped = Parser::new(Mode::Strict12).parse_plain(&body).unwrap();
        assert_ne!(untyped.message.attribute(name), Some(value));
        let err = Parser::new(Mode::Strict12)
            .with_model(&model)
            .parse_plain(&body)
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::TypeMismatch { .. }),
            "{err}"
        );
        assert_eq!((err.position().line, err.position().column), (2, 19));
        let typed = Parser::new(Mode::Lenient)
            .with_model(&model)
            .parse_plain(&body)
            .unwrap();
        assert_eq!(typed.message.attribute(name), Some(value));
        assert_eq!(typed.warnings[0].leniency, *leniency);
    }
    // A bare integer for a float attribute is a float, in every mode, without a warning.
    let body = format!("{KIND}\nX-OCCI-Attribute: occi.compute.memory=2\n");
    let p = Parser::new(Mode::Strict12)
        .with_model(&model)
        .parse_plain(&body)
        .unwrap();
    assert_eq!(
        p.message.attribute("occi.compute.memory"),
        Some(&AttributeValue::Number(2.0))
    );
    // Quoted booleans, on a provider model with a boolean attribute.
    let mut m = Model::infrastructure(OcciVersion::V1_2);
    m.register_mixin(
        occi_model::Mixin::new("http://example.org/occi#flag".parse().unwrap())
            .with_attribute(occi_model::AttributeDefinition::new(
                "org.example.enabled".parse().unwrap(),
                occi_model::AttributeType::Boolean,
            ))
            .with_location("/flag/"),
    )
    .unwrap();
    let body = "Category: flag; scheme=\"http://example.org/occi#\"; class=\"mixin\"\nX-OCCI-Attribute: org.example.enabled=\"true\"\n";
    assert!(
        Parser::new(Mode::Strict12)
            .with_model(&m)
            .parse_plain(body)
            .is_err()
    );
    let p = Parser::new(Mode::Lenient)
        .with_model(&m)
        .parse_plain(body)
        .unwrap();
    assert_eq!(
        p.message.attribute("org.example.enabled"),
        Some(&AttributeValue::Boolean(true))
    );
    assert_eq!(p.warnings[0].leniency, Leniency::QuotedBoolean);
}

/// doyouspeakOCCI CTF 3.5: the escaped quote must not end the string.
#[test]
fn escaped_quote_vector() {
    let body = "X-OCCI-Attribute: occi.compute.memory=3.6\nX-OCCI-Attribute: occi.core.title=\"Quote escaping m'kay? \\\", occi.compute.memory=1.0\"\n";
    for mode in [Mode::Strict11, Mode::Strict12, Mode::Lenient] {
        let m = Parser::new(mode).parse_plain(body).unwrap().message;
        assert_eq!(
            m.attribute("occi.compute.memory"),
            Some(&AttributeValue::Number(3.6))
        );
        assert_eq!(
            m.attribute("occi.core.title").and_then(|v| v.as_str()),
            Some("Quote escaping m'kay? \", occi.compute.memory=1.0")
        );
    }
}

/// rOCCI-core 5 cannot re-read its own compute rendering once headers are comma-joined.
#[test]
fn comma_joined_and_repeated_headers_agree() {
    let summary = "X-OCCI-Attribute";
    let joined = [
        (
            "Category",
            "compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\", small; scheme=\"http://example.org/tpl#\"; class=\"mixin\"",
        ),
        (
            summary,
            "occi.core.summary=\"Instantiated on Tue, 18 Apr 2017 16:55:12 +0200.\", occi.compute.cores=1",
        ),
        (
            "Link",
            "</network/1,2>; rel=\"http://schemas.ogf.org/occi/infrastructure#network\"; category=\"http://schemas.ogf.org/occi/infrastructure#networkinterface\", </c/1?action=stop>; rel=\"http://schemas.ogf.org/occi/infrastructure/compute/action#stop\"",
        ),
        ("Content-Type", "text/occi"),
    ];
    let repeated = [
        (
            "Category",
            "compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"",
        ),
        (
            "Category",
            "small; scheme=\"http://example.org/tpl#\"; class=\"mixin\"",
        ),
        (
            summary,
            "occi.core.summary=\"Instantiated on Tue, 18 Apr 2017 16:55:12 +0200.\"",
        ),
        (summary, "occi.compute.cores=1"),
        (
            "Link",
            "</network/1,2>; rel=\"http://schemas.ogf.org/occi/infrastructure#network\"; category=\"http://schemas.ogf.org/occi/infrastructure#networkinterface\"",
        ),
        (
            "Link",
            "</c/1?action=stop>; rel=\"http://schemas.ogf.org/occi/infrastructure/compute/action#stop\"",
        ),
    ];
    let p = Parser::new(Mode::Strict12);
    let a = p.parse_headers(joined).unwrap().message;
    let b = p.parse_headers(repeated).unwrap().message;
    assert_eq!(a, b);
    assert_eq!(a.categories.len(), 2);
    assert_eq!(a.links.len(), 2);
    assert_eq!(a.links[0].target, "/network/1,2");
    assert_eq!(
        a.attribute("occi.core.summary").and_then(|v| v.as_str()),
        Some("Instantiated on Tue, 18 Apr 2017 16:55:12 +0200.")
    );
    // Rendered as headers: one field per header, comma-joined, and read back equal.
    let HeaderRendering::Headers(fields) = render_headers(&a, &HeaderBudget::default()).unwrap()
    else {
        panic!("fits")
    };
    assert_eq!(fields.len(), 3);
    let back = p
        .parse_headers(fields.iter().map(|(n, v)| (*n, v.as_str())))
        .unwrap()
        .message;
    assert_eq!(back, a);
}

#[test]
fn header_budget_falls_back_with_reason() {
    let mut body = String::from(KIND);
    body.push('\n');
    for i in 0..40 {
        body.push_str(&format!(
            "X-OCCI-Attribute: org.example.a{i}=\"{}\"\n",
            "v".repeat(100)
        ));
    }
    let m = lenient(&body).message;
    // Fits a generous budget: values joined into fields below the per-line limit.
    let HeaderRendering::Headers(fields) =
        render_headers(&m, &HeaderBudget::new(1000, 100_000)).unwrap()
    else {
        panic!("fits")
    };
    assert!(fields.iter().all(|(n, v)| n.len() + 2 + v.len() <= 1000));
    assert!(fields.len() > 2 && fields.len() < 41);
    // Too much in total.
    match render_headers(&m, &HeaderBudget::new(1000, 2000)).unwrap() {
        HeaderRendering::Body {
            reason: OverBudget::Total { limit: 2000, .. },
            body: b,
        } => {
            assert_eq!(b, render_plain(&m).unwrap());
        }
        other => panic!("{other:?}"),
    }
    // One value alone longer than a line.
    match render_headers(&m, &HeaderBudget::new(100, 100_000)).unwrap() {
        HeaderRendering::Body {
            reason:
                OverBudget::Line {
                    header: "X-OCCI-Attribute",
                    limit: 100,
                    ..
                },
            ..
        } => {}
        other => panic!("{other:?}"),
    }
    // Too many fields.
    let mut budget = HeaderBudget::new(200, 100_000);
    budget.max_fields = 10;
    assert!(matches!(
        render_headers(&m, &budget).unwrap(),
        HeaderRendering::Body {
            reason: OverBudget::Fields { limit: 10, .. },
            ..
        }
    ));
}

#[test]
fn limits_each_enforced() {
    let body = format!("{KIND}\nX-OCCI-Attribute: a.b=\"1\"\nX-OCCI-Attribute: a.c=\"2\"\n");
    let p = |l: Limits| {
        Parser::new(Mode::Strict12)
            .with_limits(l)
            .parse_plain(&body)
    };
    assert!(p(Limits::default()).is_ok());
    let e = p(Limits::default().with_max_line_bytes(40)).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::LineTooLong { limit: 40, .. }));
    assert_eq!(e.position().line, 1);
    let e = p(Limits::default().with_max_lines(2)).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooManyLines { limit: 2 });
    assert_eq!(e.position().line, 3);
    let e = p(Limits::default().with_max_attributes(1)).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooManyAttributes { limit: 1 });
    assert_eq!(e.position().line, 3);
    let e = p(Limits::default().with_max_body_bytes(10)).unwrap_err();
    assert!(matches!(
        e.kind(),
        ErrorKind::BodyTooLarge { limit: 10, .. }
    ));
    // Link attributes count too.
    let link =
        "Link: </n/1>; rel=\"http://schemas.ogf.org/occi/infrastructure#network\"; a.b=1; a.c=2";
    let e = Parser::new(Mode::Strict12)
        .with_limits(Limits::default().with_max_attributes(1))
        .parse_plain(link)
        .unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooManyAttributes { limit: 1 });
    // Header fields count as lines.
    let e = Parser::new(Mode::Strict12)
        .with_limits(Limits::default().with_max_lines(1))
        .parse_headers([
            ("Accept", "text/occi"),
            ("Category", "x; scheme=\"http://a/b#\"; class=\"kind\""),
        ])
        .unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooManyLines { limit: 1 });
}

#[test]
fn syntax_errors_are_positioned() {
    let cases: &[(&str, usize, usize, &str)] = &[
        ("Category compute", 1, 1, "expected 'Name: value'"),
        ("Foo: bar", 1, 1, "unknown OCCI header \"Foo\""),
        (
            "Category: compute; scheme=\"http://a/b#",
            1,
            27,
            "unterminated quoted-string",
        ),
        (
            "Category: compute; class=\"kind\"",
            1,
            32,
            "category without scheme",
        ),
        (
            "Category: compute; scheme=\"http://a/b#\"; class=\"thing\"",
            1,
            48,
            "unknown category class \"thing\"",
        ),
        (
            "Category: compute; scheme=\"http://a/b#\"; colour=\"red\"",
            1,
            42,
            "unknown category parameter \"colour\"",
        ),
        (
            "\n\nX-OCCI-Attribute: occi.core.title",
            3,
            34,
            "syntax error: expected '=' after the attribute name",
        ),
        (
            "X-OCCI-Attribute: occi.compute.cores=",
            1,
            38,
            "invalid attribute value",
        ),
        (
            "Link: /n/1; rel=\"http://a/b#c\"",
            1,
            7,
            "syntax error: expected '<' opening the link target",
        ),
        (
            "Link: </n/1>",
            1,
            7,
            "syntax error: expected rel=\"…\" in the link",
        ),
        (
            "X-OCCI-Location: /a b",
            1,
            20,
            "invalid identifier: character ' ' is not allowed in a URI",
        ),
        (
            "X-OCCI-Attribute: é.x=1",
            1,
            19,
            "invalid identifier: character 'é' is not allowed here in an OCCI 1.2 attribute name",
        ),
        (
            "X-OCCI-Attribute: a.b=\"x\ty\u{1}\"",
            1,
            27,
            "character '\\u{1}' is not allowed in a quoted-string",
        ),
    ];
    for &(body, line, column, message) in cases {
        let e = Parser::new(Mode::Lenient).parse_plain(body).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{message} at line {line}, column {column}"),
            "{body}"
        );
    }
    let e = Parser::new(Mode::Lenient)
        .parse_plain_bytes(b"Category: a\xff")
        .unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::NotUtf8);
    assert_eq!(e.position().column, 12);
}

#[test]
fn strict_11_and_12_grammars() {
    // Neither grammar: a leading underscore (rOCCI accepted it); only lenient mode keeps it.
    let odd = "Category: _tpl; scheme=\"http://example.org/x#\"; class=\"mixin\"";
    for mode in [Mode::Strict11, Mode::Strict12] {
        let e = Parser::new(mode).parse_plain(odd).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Identifier(_)), "{e}");
        assert_eq!(e.position().column, 11);
    }
    let p = lenient(odd);
    assert_eq!(p.message.categories[0].term, "_tpl");
    assert_eq!(p.warnings[0].leniency, Leniency::IdentifierGrammar);
    assert_eq!(p.warnings[0].position.column, 11);
    let body = "Category: m1.small; scheme=\"http://example.org/tpl#\"; class=\"mixin\"";
    assert!(Parser::new(Mode::Strict12).parse_plain(body).is_ok());
    assert_eq!(
        Parser::new(Mode::Strict11)
            .parse_plain(body)
            .unwrap_err()
            .kind(),
        &ErrorKind::Strict(Leniency::IdentifierGrammar)
    );
    let attr = "X-OCCI-Attribute: org.Example.x=1";
    assert!(Parser::new(Mode::Strict12).parse_plain(attr).is_ok());
    assert!(Parser::new(Mode::Strict11).parse_plain(attr).is_err());
}

#[test]
fn text_occi_message_with_status_line_and_body() {
    let text = "HTTP/1.1 200 OK\r\nContent-Type: text/occi\r\nCategory: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\r\nX-OCCI-Attribute: occi.compute.cores=2, occi.core.title=\"a, b\"\r\n\r\nOK\r\n";
    let m = Parser::new(Mode::Strict12)
        .parse_occi_message(text)
        .unwrap()
        .message;
    assert_eq!(m.categories.len(), 1);
    assert_eq!(m.attributes.len(), 2);
    let e = Parser::new(Mode::Strict12)
        .parse_occi_message(
            "Category: x; scheme=\"http://a/b#\"; class=\"kind\"\nX-OCCI-Attribute: a.b=\"\n",
        )
        .unwrap_err();
    assert_eq!((e.position().line, e.position().column), (2, 23));
}

#[test]
fn category_definitions_round_trip() {
    let body = "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"; title=\"Compute Resource\"; rel=\"http://schemas.ogf.org/occi/core#resource\"; location=\"/compute/\"; attributes=\"occi.compute.cores occi.compute.state{immutable required} occi.core.id{immutable}\"; actions=\"http://schemas.ogf.org/occi/infrastructure/compute/action#start http://schemas.ogf.org/occi/infrastructure/compute/action#stop\"\n";
    let m = Parser::new(Mode::Strict11)
        .parse_plain(body)
        .unwrap()
        .message;
    let c = &m.categories[0];
    assert_eq!(c.attributes.len(), 3);
    assert!(c.attributes[1].immutable && c.attributes[1].required);
    assert_eq!(c.actions.len(), 2);
    assert_eq!(render_plain(&m).unwrap(), body);
}

/// What web servers and frameworks add to a text/occi response, in every mode: ignored.
#[test]
fn text_occi_ignores_http_headers_in_every_mode() {
    let text = "HTTP/1.1 200 OK\r\nX-Runtime: 0.012\r\nX-XSS-Protection: 1; mode=block\r\nSet-Cookie: a=b; Path=/\r\n\tHttpOnly\r\nServer: Apache/2.4 OCCI/1.2\r\nCategory: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\r\nX-OCCI-Attribute: occi.compute.cores=2\r\n\r\nOK\r\n";
    for mode in [Mode::Strict11, Mode::Strict12, Mode::Lenient] {
        let p = Parser::new(mode).parse_occi_message(text).unwrap();
        assert_eq!(p.message.categories.len(), 1, "{mode}");
        assert_eq!(p.message.attributes.len(), 1, "{mode}");
        assert!(p.warnings.is_empty(), "{mode}: {:?}", p.warnings);
        let fields = [
            ("X-Runtime", "0.012"),
            (
                "Category",
                "compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"",
            ),
            ("X-Powered-By", "Phusion Passenger"),
        ];
        let h = Parser::new(mode).parse_headers(fields).unwrap();
        assert_eq!(h.message.categories.len(), 1, "{mode}");
    }
    // A name in the X-OCCI- namespace is OCCI's: refused in strict modes, ignored with a
    // warning in lenient mode.
    let typo = [("X-OCCI-Attributes", "occi.compute.cores=2")];
    let e = Parser::new(Mode::Strict12).parse_headers(typo).unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::UnknownHeader("X-OCCI-Attributes".into())
    );
    let l = Parser::new(Mode::Lenient).parse_headers(typo).unwrap();
    assert_eq!(l.warnings[0].leniency, Leniency::UnknownOcciHeader);
}

/// Leading blank lines, indented lines and a rendering in the body: read with a warning in
/// lenient mode, refused at their position in strict modes; never an empty document.
#[test]
fn text_occi_producer_mistakes() {
    let cat =
        "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"";
    // (input, leniency, line of the warning and of the strict error)
    let cases: Vec<(String, Leniency, usize)> = vec![
        (format!("\n\n{cat}\n"), Leniency::LeadingBlankLine, 1),
        (
            format!("HTTP/1.1 200 OK\n\n{cat}\n"),
            Leniency::LeadingBlankLine,
            2,
        ),
        (
            format!("HTTP/1.1 200 OK\n  {cat}\n  X-Runtime: 1\n"),
            Leniency::IndentedLine,
            2,
        ),
        (
            format!("HTTP/1.1 200 OK\nContent-Type: text/occi\n\n{cat}\n"),
            Leniency::BodyRendering,
            4,
        ),
    ];
    for (text, leniency, line) in &cases {
        for mode in [Mode::Strict11, Mode::Strict12] {
            let e = Parser::new(mode).parse_occi_message(text).unwrap_err();
            assert_eq!(e.kind(), &ErrorKind::Strict(*leniency), "{mode} {text:?}");
            assert_eq!(
                (e.position().line, e.position().column),
                (*line, 1),
                "{text:?}"
            );
        }
        let p = Parser::new(Mode::Lenient).parse_occi_message(text).unwrap();
        assert_eq!(p.message.categories.len(), 1, "{text:?}");
        assert_eq!(p.warnings[0].leniency, *leniency, "{text:?}");
        assert_eq!(p.warnings[0].position.line, *line, "{text:?}");
    }
    // The header fields win over a rendering in the body, which is ignored with a warning.
    let both = format!(
        "{cat}\nX-OCCI-Attribute: occi.compute.cores=2\n\nX-OCCI-Attribute: occi.compute.cores=4\n"
    );
    let p = Parser::new(Mode::Lenient)
        .parse_occi_message(&both)
        .unwrap();
    assert_eq!(
        p.message.attribute("occi.compute.cores"),
        Some(&AttributeValue::Integer(2))
    );
    assert_eq!(p.warnings[0].leniency, Leniency::BodyRendering);
    assert_eq!(p.warnings[0].position.line, 4);
    // A body that is no rendering is ignored in every mode; an empty message stays valid.
    for mode in [Mode::Strict12, Mode::Lenient] {
        let p = Parser::new(mode)
            .parse_occi_message(&format!("{cat}\n\n<html>Created</html>\n"))
            .unwrap();
        assert!(p.warnings.is_empty());
        let empty = Parser::new(mode)
            .parse_occi_message("HTTP/1.1 200 OK\n\nOK\n")
            .unwrap();
        assert_eq!(empty.message, crate::Message::new());
    }
    // An obs-fold continuation of an OCCI field is refused in every mode (unfolding would
    // move every later position); one of another field goes with that field.
    for mode in [Mode::Strict12, Mode::Lenient] {
        let folded = format!("{cat}\nX-OCCI-Attribute: a.b=1,\n  a.c=2\n");
        let e = Parser::new(mode).parse_occi_message(&folded).unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::FoldedLine);
        assert_eq!(e.position().line, 3);
    }
    // Lines that are no header field.
    let e = Parser::new(Mode::Lenient)
        .parse_occi_message("Bad line\n")
        .unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::MissingColon);
    let e = Parser::new(Mode::Lenient)
        .parse_occi_message("a b: c\n")
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Syntax(_)));
}

mod never_empty {
    //! Lenient mode never returns an empty document for an input that holds a Category,
    //! Link, Location or attribute line: it reads it, or it fails with a position.

    use crate::text::{field_name, header_of};
    use crate::{Mode, Parser};
    use proptest::prelude::*;

    const OCCI: [&str; 7] = [
        "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"",
        "category: storage; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=kind;",
        "Link: </network/1>; rel=\"http://schemas.ogf.org/occi/infrastructure#network\"; category=\"http://schemas.ogf.org/occi/infrastructure#networkinterface\"",
        "X-OCCI-Attribute: occi.core.title=\"a, b\"",
        "x-occi-attribute: occi.compute.cores=2",
        "X-OCCI-Location: /compute/1, /compute/2",
        "X-OCCI-Category: os; scheme=\"http://example.org/tpl#\"; class=\"mixin\"",
    ];
    const HTTP: [&str; 6] = [
        "X-Runtime: 0.012",
        "X-XSS-Protection: 1; mode=block",
        "Server: Apache/2.4 (Debian) OCCI/1.2",
        "Content-Type: text/occi; charset=utf-8",
        "Set-Cookie: session=abc; Path=/; HttpOnly",
        "X-Powered-By: Phusion Passenger 5.0",
    ];

    /// Whether `text` holds an OCCI header line with something in its value.
    fn holds_occi(text: &str) -> bool {
        text.lines().any(|l| {
            field_name(l).is_some_and(|n| header_of(n).is_some())
                && l.split_once(':')
                    .is_some_and(|(_, v)| v.chars().any(|c| !matches!(c, ' ' | '\t' | ',')))
        })
    }

    fn empty(p: &crate::Parsed) -> bool {
        let m = &p.message;
        m.categories.is_empty()
            && m.links.is_empty()
            && m.attributes.is_empty()
            && m.locations.is_empty()
    }

    /// A header line of either kind, maybe indented.
    fn field() -> impl Strategy<Value = String> {
        (
            prop_oneof![
                prop::sample::select(&OCCI[..]),
                prop::sample::select(&HTTP[..])
            ],
            prop::sample::select(&["", "", "", " ", "  ", "\t"][..]),
        )
            .prop_map(|(l, indent)| format!("{indent}{l}"))
    }

    /// A text/occi message as producers write it: an optional status line, stray blank
    /// lines, header fields of OCCI and of HTTP, maybe indented, and a body that is `OK`,
    /// another document or a rendering.
    fn message() -> impl Strategy<Value = String> {
        (
            any::<bool>(),
            0..3usize,
            prop::collection::vec(field(), 0..6),
            prop::option::of(prop::collection::vec(
                prop_oneof![
                    Just("OK".to_owned()),
                    Just("<html>Created</html>".to_owned()),
                    prop::sample::select(&OCCI[..]).prop_map(str::to_owned),
                ],
                0..4,
            )),
            prop::sample::select(&["\n", "\r\n"][..]),
        )
            .prop_map(|(status, blanks, fields, body, eol)| {
                let mut lines = Vec::new();
                if status {
                    lines.push("HTTP/1.1 200 OK".to_owned());
                }
                lines.extend(std::iter::repeat_n(String::new(), blanks));
                lines.extend(fields);
                if let Some(body) = body {
                    lines.push(String::new());
                    lines.extend(body);
                }
                let mut text = lines.join(eol);
                text.push_str(eol);
                text
            })
    }

    proptest! {
        #[test]
        fn text_occi_messages_are_read(text in message()) {
            let p = Parser::new(Mode::Lenient).parse_occi_message(&text);
            let p = p.map_err(|e| TestCaseError::fail(format!("{e}: {text:?}")))?;
            prop_assert_eq!(empty(&p), !holds_occi(&text), "{:?}", text);
        }

        #[test]
        fn text_plain_bodies_are_read(
            lines in prop::collection::vec(
                prop_oneof![
                    field().prop_filter("OCCI lines", |l| holds_occi(l)),
                    Just(String::new()),
                ],
                0..8,
            )
        ) {
            let text = lines.join("\n");
            let p = Parser::new(Mode::Lenient).parse_plain(&text);
            let p = p.map_err(|e| TestCaseError::fail(format!("{e}: {text:?}")))?;
            prop_assert_eq!(empty(&p), !holds_occi(&text), "{:?}", text);
        }

        /// Any mix of those lines and arbitrary ones: whatever parses is not empty when it
        /// holds an OCCI line.
        #[test]
        fn anything_that_parses_keeps_its_occi_lines(
            lines in prop::collection::vec(
                prop_oneof![field(), Just(String::new()), "[ -~]{0,24}"],
                0..8,
            )
        ) {
            let text = lines.join("\n");
            for p in [
                Parser::new(Mode::Lenient).parse_occi_message(&text),
                Parser::new(Mode::Lenient).parse_plain(&text),
            ]
            .into_iter()
            .flatten()
            {
                prop_assert!(!(holds_occi(&text) && empty(&p)), "{:?}", text);
            }
        }
    }
}

/// A backend's location with a `,` (or a byte no URI has) cannot split or break a listing:
/// the renderings percent-encode it, and what they write reads back as one location each.
#[test]
fn locations_render_safely() {
    let mut m = crate::Message::new();
    m.locations = vec![
        "/storage/a,b".into(),
        "/storage/c d".into(),
        "/storage/e\r\nX-OCCI-Location: /injected".into(),
        "/storage/%2C".into(),
        "/storage/50%".into(),
        "/storage/é".into(),
    ];
    let want = [
        "/storage/a%2Cb",
        "/storage/c%20d",
        "/storage/e%0D%0AX-OCCI-Location:%20/injected",
        "/storage/%2C",
        "/storage/50%25",
        "/storage/%C3%A9",
    ];
    let plain = render_plain(&m).unwrap();
    assert_eq!(plain.lines().count(), want.len());
    let back = Parser::new(Mode::Strict12)
        .parse_plain(&plain)
        .unwrap()
        .message;
    assert_eq!(back.locations, want);
    let HeaderRendering::Headers(fields) = render_headers(&m, &HeaderBudget::default()).unwrap()
    else {
        panic!("fits");
    };
    assert_eq!(fields.len(), 1, "comma-joined into one field");
    let back = Parser::new(Mode::Strict12)
        .parse_headers(fields.iter().map(|(n, v)| (*n, v.as_str())))
        .unwrap()
        .message;
    assert_eq!(back.locations, want);
    let uris = crate::render_uri_list(&m.locations).unwrap();
    assert_eq!(
        crate::parse_uri_list(&uris, Limits::default())
            .unwrap()
            .len(),
        want.len()
    );
    // A location that needs nothing is written as it is, commas included in uri-list.
    assert_eq!(crate::render_uri_list(&["/a,b"]).unwrap(), "/a,b\r\n");
    // The empty location has no rendering.
    m.locations = vec![String::new()];
    assert!(matches!(
        render_plain(&m).unwrap_err().kind(),
        ErrorKind::Unrepresentable(_)
    ));
    assert!(crate::render_uri_list(&[""]).is_err());
}
