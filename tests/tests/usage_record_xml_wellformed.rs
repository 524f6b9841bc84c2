//! Interoperability of the built-in XML tokenizer (`usage_record::xsd`) with the reference XML
//! parser: for each crafted document, `xmllint --noout` (Debian `libxml2-utils`) and our
//! validator agree on whether it is namespace-well-formed XML.
//!
//! The documents are a valid UR 1.0 record with one construct changed: the XML declaration,
//! byte-order mark, comments and processing instructions around the root, references, CDATA
//! sections, legal and illegal characters in text and attribute values, tag and attribute
//! syntax, namespace declarations and prefixes, and what may follow the root element.
//!
//! xmllint's verdict: well-formed when it exits with status 0 and prints nothing (libxml2
//! reports namespace errors on standard error but still exits 0). Ours: no `xml-syntax`
//! finding. Differences are listed with their reason in `expected/usage-record-xml-wellformed.txt`;
//! a new one, or a listed one that disappears, fails the suite. Skips with a notice when
//! xmllint is absent.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use fedcloud_conformance::{Outcome, ratchet, reference_tool};
use std::path::PathBuf;
use std::process::Command;
use usage_record::Code;
use usage_record::apel::Limits;
use usage_record::xsd::validate_document;

const UR: &str = "http://schema.ogf.org/urf/2003/09/urf";

/// A UR 1.0 document: `prolog`, the root's extra attributes, the record's `Status` element
/// (tags included), `epilog`.
fn doc(prolog: &str, root_attrs: &str, status: &str, epilog: &str) -> String {
    format!(
        "{prolog}<urf:UsageRecords xmlns:urf=\"{UR}\"{root_attrs}>\n<urf:UsageRecord>\
         <urf:RecordIdentity urf:recordId=\"r\"/>{status}</urf:UsageRecord>\n</urf:UsageRecords>{epilog}"
    )
}

/// The document with `text` as the content of `Status`.
fn text(content: &str) -> String {
    doc("", "", &format!("<urf:Status>{content}</urf:Status>"), "\n")
}

/// The document with `status` as the whole `Status` element.
fn element(status: &str) -> String {
    doc("", "", status, "\n")
}

fn cases() -> Vec<(&'static str, String)> {
    let s = |x: &str| x.to_owned();
    vec![
        ("plain", text("Completed")),
        // The XML declaration and the prolog.
        ("decl", doc("<?xml version=\"1.0\"?>", "", "", "")),
        (
            "decl-full",
            doc(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
                "",
                "",
                "",
            ),
        ),
        (
            "decl-single-quotes",
            doc("<?xml version='1.0' encoding='utf-8' ?>", "", "", ""),
        ),
        (
            "decl-order",
            doc("<?xml encoding=\"UTF-8\" version=\"1.0\"?>", "", "", ""),
        ),
        (
            "decl-no-version",
            doc("<?xml encoding=\"UTF-8\"?>", "", "", ""),
        ),
        ("decl-version-2", doc("<?xml version=\"2.0\"?>", "", "", "")),
        (
            "decl-standalone-maybe",
            doc("<?xml version=\"1.0\" standalone=\"maybe\"?>", "", "", ""),
        ),
        (
            "decl-not-first",
            doc(" <?xml version=\"1.0\"?>", "", "", ""),
        ),
        (
            "decl-twice",
            doc("<?xml version=\"1.0\"?><?xml version=\"1.0\"?>", "", "", ""),
        ),
        ("decl-upper", doc("<?XML version=\"1.0\"?>", "", "", "")),
        (
            "decl-no-space",
            doc("<?xml version=\"1.0\"standalone=\"no\"?>", "", "", ""),
        ),
        ("bom", doc("\u{FEFF}<?xml version=\"1.0\"?>", "", "", "")),
        ("bom-only", doc("\u{FEFF}", "", "", "")),
        (
            "prolog-comment-pi",
            doc("<!-- c --><?pi data?>\n", "", "", ""),
        ),
        (
            "prolog-xml-stylesheet",
            doc("<?xml-stylesheet href=\"a\"?>", "", "", ""),
        ),
        ("prolog-text", doc("x", "", "", "")),
        ("prolog-reference", doc("&#32;", "", "", "")),
        ("prolog-cdata", doc("<![CDATA[ ]]>", "", "", "")),
        // Character data and references.
        ("amp", text("a &amp; b &lt;&gt;&apos;&quot;")),
        ("char-refs", text("&#65;&#x42;&#x1F600;")),
        ("char-ref-zero", text("&#0;")),
        ("char-ref-control", text("&#x1;")),
        ("char-ref-tab", text("&#9;")),
        ("char-ref-surrogate", text("&#xD800;")),
        ("char-ref-fffe", text("&#xFFFE;")),
        ("char-ref-too-big", text("&#x110000;")),
        ("char-ref-empty", text("&#;")),
        ("char-ref-hex-upper-x", text("&#X41;")),
        ("undefined-entity", text("&nbsp;")),
        ("bare-ampersand", text("a & b")),
        ("unterminated-ref", text("&amp")),
        ("cdata-end-in-text", text("a]]>b")),
        ("brackets-in-text", text("a]]b]>")),
        ("gt-in-text", text("a > b")),
        ("cdata", text("<![CDATA[x<y&z]]>")),
        ("cdata-unclosed", text("<![CDATA[x]]")),
        ("comment", text("a<!-- c -->b")),
        ("comment-empty", text("<!---->")),
        ("comment-double-dash", text("<!-- a -- b -->")),
        ("comment-dash-end", text("<!-- a --->")),
        ("pi-in-text", text("a<?pi x?>b")),
        ("pi-no-space", text("<?pi?>")),
        ("pi-xml-inside", text("<?xml version=\"1.0\"?>")),
        ("control-char", text("a\u{1}b")),
        ("form-feed", text("a\u{c}b")),
        ("tab-cr-lf", text("a\tb\r\nc\rd")),
        ("fffe", text("a\u{FFFE}b")),
        ("fffd", text("a\u{FFFD}b")),
        ("non-ascii", text("Zürich 北京")),
        // Tags.
        ("space-in-tags", element("<urf:Status >x</urf:Status >")),
        ("empty-element", element("<urf:Status/>")),
        ("end-mismatch", element("<urf:Status>x</urf:status>")),
        ("end-other-prefix", element("<urf:Status>x</Status>")),
        ("name-digit", element("<1Status>x</1Status>")),
        ("name-non-ascii", element("<urf:Stätus>x</urf:Stätus>")),
        (
            "name-nbsp",
            element("<urf:Sta\u{A0}tus>x</urf:Sta\u{A0}tus>"),
        ),
        (
            "qname-two-colons",
            element("<urf:Status:x>x</urf:Status:x>"),
        ),
        ("qname-empty-local", element("<urf:>x</urf:>")),
        ("undeclared-prefix", element("<u:Status>x</u:Status>")),
        ("slash-space", element("<urf:Status / >")),
        ("unclosed-start", element("<urf:Status")),
        // Attributes.
        ("attr", element("<urf:Status a=\"1\" b='2'>x</urf:Status>")),
        (
            "attr-repeated",
            element("<urf:Status a=\"1\" a=\"2\">x</urf:Status>"),
        ),
        (
            "attr-no-space",
            element("<urf:Status a=\"1\"b=\"2\">x</urf:Status>"),
        ),
        ("attr-unquoted", element("<urf:Status a=1>x</urf:Status>")),
        ("attr-no-value", element("<urf:Status a>x</urf:Status>")),
        ("attr-lt", element("<urf:Status a=\"<\">x</urf:Status>")),
        (
            "attr-refs",
            element("<urf:Status a=\"&#60;&amp;&#10;\">x</urf:Status>"),
        ),
        (
            "attr-bare-amp",
            element("<urf:Status a=\"&\">x</urf:Status>"),
        ),
        (
            "attr-other-quote",
            element("<urf:Status a=\"'\" b='\"'>x</urf:Status>"),
        ),
        (
            "attr-control",
            element("<urf:Status a=\"\u{2}\">x</urf:Status>"),
        ),
        ("attr-unclosed", element("<urf:Status a=\"1>x</urf:Status>")),
        // Namespaces.
        (
            "ns-same-expanded-name",
            element(
                "<urf:Status xmlns:p=\"urn:x\" xmlns:q=\"urn:x\" p:a=\"1\" q:a=\"2\">x</urf:Status>",
            ),
        ),
        (
            "ns-different-expanded-name",
            element("<urf:Status xmlns:p=\"urn:x\" p:a=\"1\" a=\"2\">x</urf:Status>"),
        ),
        (
            "ns-undeclared-attr-prefix",
            element("<urf:Status b:x=\"1\">x</urf:Status>"),
        ),
        (
            "ns-undeclare-prefix",
            element("<urf:Status xmlns:p=\"\">x</urf:Status>"),
        ),
        (
            "ns-undeclare-default",
            element("<urf:Status xmlns=\"\">x</urf:Status>"),
        ),
        (
            "ns-xml-prefix",
            element("<urf:Status xml:lang=\"en\">x</urf:Status>"),
        ),
        (
            "ns-xml-declared-right",
            element(
                "<urf:Status xmlns:xml=\"http://www.w3.org/XML/1998/namespace\">x</urf:Status>",
            ),
        ),
        (
            "ns-xml-declared-wrong",
            element("<urf:Status xmlns:xml=\"urn:x\">x</urf:Status>"),
        ),
        (
            "ns-xmlns-declared",
            element("<urf:Status xmlns:xmlns=\"urn:x\">x</urf:Status>"),
        ),
        (
            "ns-bound-to-xmlns",
            element("<urf:Status xmlns:p=\"http://www.w3.org/2000/xmlns/\">x</urf:Status>"),
        ),
        (
            "ns-xmlns-prefixed-element",
            element("<xmlns:Status>x</xmlns:Status>"),
        ),
        (
            "ns-scope-ends",
            element("<urf:Status><p:x xmlns:p=\"urn:p\"/><p:y/></urf:Status>"),
        ),
        (
            "ns-redeclared-inside",
            doc(
                "",
                " xmlns:v=\"urn:v\"",
                &s("<urf:Status><v:x xmlns:v=\"urn:w\"/></urf:Status>"),
                "",
            ),
        ),
        // After the root element.
        ("epilog-comment-pi", doc("", "", "", "\n<!-- c --><?pi?>\n")),
        ("epilog-text", doc("", "", "", "x")),
        ("epilog-reference", doc("", "", "", "&#32;")),
        ("epilog-second-root", doc("", "", "", "<a/>")),
        ("epilog-end-tag", doc("", "", "", "</a>")),
        ("truncated", text("x").replace("</urf:UsageRecords>\n", "")),
        ("empty", String::new()),
        ("doctype", doc("<!DOCTYPE urf:UsageRecords>", "", "", "")),
        ("bang-other", doc("<!ELEMENT a ANY>", "", "", "")),
    ]
}

/// Well-formed by xmllint: status 0 and nothing printed.
fn xmllint_well_formed(tool: &std::path::Path, file: &std::path::Path) -> bool {
    let out = Command::new(tool)
        .args(["--noout", "--nonet"])
        .arg(file)
        .output()
        .unwrap();
    out.status.success() && out.stderr.is_empty()
}

#[test]
fn well_formedness_equals_xmllint() -> Result<(), Box<dyn std::error::Error>> {
    let Some(tool) = reference_tool("xmllint") else {
        return Ok(());
    };
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("usage-record-xml-wellformed");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let mut outcomes = Vec::new();
    let cases = cases();
    for (id, text) in &cases {
        let path = work.join(format!("{id}.xml"));
        std::fs::write(&path, text)?;
        let theirs = xmllint_well_formed(&tool, &path);
        let report = validate_document(text.as_bytes(), &Limits::default());
        let syntax = report.findings.iter().find(|f| f.code == Code::XmlSyntax);
        let ours = syntax.is_none();
        outcomes.push(if ours == theirs {
            Outcome::pass(*id)
        } else {
            Outcome::fail(
                *id,
                format!(
                    "xmllint well-formed={theirs}, ours={ours} ({})",
                    syntax.map_or("", |f| f.message.as_str())
                ),
            )
        });
    }
    assert!(
        validate_document(text("Completed").as_bytes(), &Limits::default()).is_valid(),
        "the base document must be valid"
    );
    println!("{} documents compared with xmllint", cases.len());
    ratchet("usage-record-xml-wellformed", &outcomes)?;
    Ok(())
}
