//! Built-in XML Schema validation of the record documents (no libxml2 at run time).
//!
//! The schemas of the record formats are written out in Rust (`src/xsd/schemas.rs`) as element
//! declarations with content-model particles, attribute declarations and simple types — the
//! subset of XML Schema 1.0 those schemas use: sequences and choices with `minOccurs` /
//! `maxOccurs` (nested, unbounded), element references, local elements, substitution groups with
//! abstract heads, `xsd:any` wildcards (`##any`, `##other`, lax processing), mixed content,
//! simple content with attributes, qualified and unqualified attributes, and the facets of
//! `src/xsd/simple.rs`.
//!
//! Each complex type's content model is compiled once into a Glushkov position automaton
//! (bounded repetitions unrolled, unbounded ones looped) and documents are checked in one pass
//! over the tokens of our own XML tokenizer (`src/xsd/lex.rs`, which also checks
//! well-formedness and namespaces): memory grows with nesting depth, not with document size.
//! Every violation is reported (the validator recovers by skipping the offending subtree), each
//! with its record index, line and column.

mod lex;
pub(crate) mod schemas;
mod simple;

use lex::{Lexer, StartTag, Token, same_name};

pub use schemas::Format;
pub(crate) use simple::SimpleType;

use crate::finding::{Code, Finding, Severity};
use fedcloud_core::LineIndex;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// What schema validation of one document found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SchemaReport {
    /// The format told by the root element's namespace (`None` when no built-in schema has
    /// that namespace, or the document could not be read).
    pub format: Option<Format>,
    /// How many records (`UsageRecord`, `JobUsageRecord`, `SummaryRecord`) the document holds.
    pub records: usize,
    /// How many of them no finding concerns.
    pub valid_records: usize,
    /// Every finding, in document order.
    pub findings: Vec<Finding>,
}

impl SchemaReport {
    /// Valid: a known format and no error.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.format.is_some() && !self.findings.iter().any(Finding::is_error)
    }
}

/// Validates an XML record document against the built-in schema of its format (told by the
/// root element's namespace; see [`Format`]), in one streaming pass.
///
/// Every violation is reported with its record index, line, column and the element or attribute
/// it concerns (code [`Code::XmlSchema`]); a document that is not well-formed gets
/// [`Code::XmlSyntax`] (or [`Code::LimitExceeded`] past `limits.max_depth` or
/// `limits.max_message_bytes`), a namespace without a built-in schema
/// [`Code::UnsupportedFormat`].
#[must_use]
pub fn validate_document(input: &[u8], limits: &crate::apel::Limits) -> SchemaReport {
    let mut report = SchemaReport {
        format: None,
        records: 0,
        valid_records: 0,
        findings: Vec::new(),
    };
    let text = match crate::apel::decode_input(input, limits, "document") {
        Ok(t) => t,
        Err(f) => {
            report.findings.push(f);
            return report;
        }
    };
    let message_finding = |code, offset: usize, message: String| {
        Finding::new(
            None,
            fedcloud_core::Position::at(input, offset),
            None,
            code,
            Severity::Error,
            message,
        )
    };
    let (root_ns, root_at) = match root_namespace(text) {
        Ok(x) => x,
        Err(e) => {
            report
                .findings
                .push(message_finding(Code::XmlSyntax, e.offset, e.message));
            return report;
        }
    };
    let Some(format) = schemas::detect(&root_ns) else {
        report.findings.push(message_finding(
            Code::UnsupportedFormat,
            root_at,
            format!(
                "no built-in schema for the root element's namespace {root_ns:?} (UR 1.0, CAR 1.1/1.2 and AUR 1.1/1.2 have one)"
            ),
        ));
        return report;
    };
    let schema = match compiled(format) {
        Ok(s) => s,
        Err(e) => {
            report.findings.push(message_finding(
                Code::UnsupportedFormat,
                root_at,
                format!("the built-in {} schema is defective: {e}", format.as_str()),
            ));
            return report;
        }
    };
    report.format = Some(format);
    let (outcome, broken) = match validate(text, schema, limits.max_depth) {
        Ok(o) => (o, None),
        Err((e, o)) => (o, Some(e)),
    };
    report.records = outcome.records;
    let mut bad: Vec<usize> = outcome.findings.iter().filter_map(|f| f.record).collect();
    bad.sort_unstable();
    bad.dedup();
    report.valid_records = outcome.records.saturating_sub(bad.len());
    report.findings = outcome.findings;
    if let Some(e) = broken {
        let code = if e.too_deep {
            Code::LimitExceeded
        } else {
            Code::XmlSyntax
        };
        report
            .findings
            .push(message_finding(code, e.offset, e.message));
        report.valid_records = 0;
    }
    report
}

/// The format of an XML document, told by its root element's namespace alone (no validation);
/// `None` for a namespace without a built-in schema or a document whose root cannot be read.
#[must_use]
pub fn detect_format(input: &[u8]) -> Option<Format> {
    let text = std::str::from_utf8(input).ok()?;
    let (ns, _) = root_namespace(text).ok()?;
    schemas::detect(&ns)
}

/// The namespace of the root element and where it starts.
fn root_namespace(text: &str) -> Result<(String, usize), NotWellFormed> {
    let mut lexer = Lexer::new(text, &[], usize::MAX);
    loop {
        match lexer.next_token()? {
            Token::Start(tag) => return Ok((tag.ns.to_owned(), tag.at)),
            Token::Eof => {
                return Err(NotWellFormed {
                    offset: text.len(),
                    message: "no root element".into(),
                    too_deep: false,
                });
            }
            Token::End | Token::Text(..) => {}
        }
    }
}

/// The XML Schema instance namespace (`xsi:`).
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// An expanded name: namespace URI (empty for none) and local name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct QName {
    pub(crate) ns: &'static str,
    pub(crate) local: &'static str,
}

impl fmt::Display for QName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ns.is_empty() {
            f.write_str(self.local)
        } else {
            write!(f, "{{{}}}{}", self.ns, self.local)
        }
    }
}

/// An attribute declaration (`use="required"` or optional).
#[derive(Debug, Clone, Copy)]
pub(crate) struct AttrDecl {
    pub(crate) name: QName,
    pub(crate) ty: SimpleType,
    pub(crate) required: bool,
}

/// What an element may contain.
#[derive(Debug, Clone)]
pub(crate) enum Content {
    /// Text of a simple type (simple content), no child elements.
    Simple(SimpleType),
    /// Child elements by a content model; `mixed` allows text between them.
    Elements { particle: Particle, mixed: bool },
    /// Nothing but white space (a complex type with attributes only).
    Empty,
}

/// An element declaration, global or local.
#[derive(Debug, Clone)]
pub(crate) struct ElementDecl {
    pub(crate) name: QName,
    pub(crate) content: Content,
    pub(crate) attrs: Vec<AttrDecl>,
    pub(crate) is_abstract: bool,
    /// The head of the substitution group this global element belongs to.
    pub(crate) substitutes: Option<QName>,
}

/// A particle: a term with its occurrence bounds (`max` `None` = unbounded).
#[derive(Debug, Clone)]
pub(crate) struct Particle {
    pub(crate) term: Term,
    pub(crate) min: u32,
    pub(crate) max: Option<u32>,
}

#[derive(Debug, Clone)]
pub(crate) enum Term {
    /// `<xsd:element ref="…"/>`: a global element (and its substitution group).
    Ref(QName),
    /// A local element declaration.
    Local(Box<ElementDecl>),
    Seq(Vec<Particle>),
    Choice(Vec<Particle>),
    Any(Wildcard),
}

/// `<xsd:any namespace="…" processContents="lax"/>`: an element with a global declaration is
/// validated by it, any other is skipped with its subtree (the record schemas use no other
/// `processContents`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Wildcard {
    /// `None` for `##any`; `Some(tns)` for `##other` relative to the target namespace `tns`.
    pub(crate) other_than: Option<&'static str>,
}

/// The global declarations of a schema (with its imports) and which elements are records.
#[derive(Debug, Clone)]
pub(crate) struct SchemaDef {
    pub(crate) globals: Vec<ElementDecl>,
    /// Elements counted as records (the outermost one of these sets a finding's record index).
    pub(crate) records: &'static [QName],
}

/// A position set of an automaton (at most 128 positions per content model).
type Set = u128;

#[derive(Debug, Clone, Copy)]
enum Sym {
    Element(usize),
    Any(Wildcard),
}

#[derive(Debug, Clone)]
struct Automaton {
    syms: Vec<Sym>,
    first: Set,
    follow: Vec<Set>,
    last: Set,
    nullable: bool,
}

#[derive(Debug, Clone)]
enum CContent {
    Simple(SimpleType),
    Elements { auto: Automaton, mixed: bool },
    Empty,
}

#[derive(Debug, Clone)]
struct CElement {
    name: QName,
    content: CContent,
    attrs: Vec<AttrDecl>,
    is_abstract: bool,
}

/// A schema compiled for validation.
#[derive(Debug)]
pub(crate) struct Compiled {
    elems: Vec<CElement>,
    globals: HashMap<QName, usize>,
    /// The global declarations by local name (documents give names as borrowed strings).
    by_local: HashMap<&'static str, Vec<(&'static str, usize)>>,
    /// Every namespace the schema names (the lexer maps document namespaces onto these).
    namespaces: Vec<&'static str>,
    records: &'static [QName],
}

/// A schema that cannot be compiled (a defect of the tables in `schemas.rs`, caught by tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SchemaError(String);

/// A regular expression over positions, the intermediate form of a content model.
enum Re {
    Sym(usize),
    Seq(Vec<Re>),
    Alt(Vec<Re>),
    Star(Box<Re>),
    Opt(Box<Re>),
}

/// The largest bounded repetition unrolled (the record schemas use at most 2).
const MAX_UNROLL: u32 = 16;

impl Compiled {
    /// Compiles every global declaration and the local ones within them.
    pub(crate) fn new(def: &SchemaDef) -> Result<Self, SchemaError> {
        let mut c = Compiled {
            elems: Vec::new(),
            globals: HashMap::new(),
            by_local: HashMap::new(),
            namespaces: Vec::new(),
            records: def.records,
        };
        for g in &def.globals {
            if c.globals.insert(g.name, c.elems.len()).is_some() {
                return Err(SchemaError(format!("{} declared twice", g.name)));
            }
            c.by_local
                .entry(g.name.local)
                .or_default()
                .push((g.name.ns, c.elems.len()));
            c.elems.push(CElement {
                name: g.name,
                content: CContent::Empty,
                attrs: g.attrs.clone(),
                is_abstract: g.is_abstract,
            });
        }
        let mut members: HashMap<QName, Vec<usize>> = HashMap::new();
        for (i, g) in def.globals.iter().enumerate() {
            if let Some(head) = g.substitutes {
                if !c.globals.contains_key(&head) {
                    return Err(SchemaError(format!("{}: unknown head {head}", g.name)));
                }
                members.entry(head).or_default().push(i);
            }
        }
        for (i, g) in def.globals.iter().enumerate() {
            let content = c.compile_content(&g.content, &members)?;
            if let Some(e) = c.elems.get_mut(i) {
                e.content = content;
            }
        }
        let mut namespaces: Vec<&'static str> = c
            .elems
            .iter()
            .flat_map(|e| std::iter::once(e.name.ns).chain(e.attrs.iter().map(|a| a.name.ns)))
            .chain([XSI_NS])
            .collect();
        namespaces.sort_unstable();
        namespaces.dedup();
        // One pointer per namespace name, so that `same_ns` rarely needs to compare bytes.
        let canonical = |ns: &mut &'static str| {
            if let Some(n) = namespaces.iter().find(|n| **n == *ns) {
                *ns = n;
            }
        };
        for e in &mut c.elems {
            canonical(&mut e.name.ns);
            for a in &mut e.attrs {
                canonical(&mut a.name.ns);
            }
        }
        c.namespaces = namespaces;
        Ok(c)
    }

    fn compile_content(
        &mut self,
        content: &Content,
        members: &HashMap<QName, Vec<usize>>,
    ) -> Result<CContent, SchemaError> {
        Ok(match content {
            Content::Simple(t) => CContent::Simple(*t),
            Content::Empty => CContent::Empty,
            Content::Elements { particle, mixed } => {
                let mut syms = Vec::new();
                let re = self.particle_re(particle, members, &mut syms)?;
                if syms.len() > 128 {
                    return Err(SchemaError(format!(
                        "a content model with {} positions (at most 128)",
                        syms.len()
                    )));
                }
                let mut follow = vec![0; syms.len()];
                let (nullable, first, last) = glushkov(&re, &mut follow);
                CContent::Elements {
                    auto: Automaton {
                        syms,
                        first,
                        follow,
                        last,
                        nullable,
                    },
                    mixed: *mixed,
                }
            }
        })
    }

    fn particle_re(
        &mut self,
        p: &Particle,
        members: &HashMap<QName, Vec<usize>>,
        syms: &mut Vec<Sym>,
    ) -> Result<Re, SchemaError> {
        if p.min > MAX_UNROLL || p.max.is_some_and(|m| m > MAX_UNROLL || m < p.min) {
            return Err(SchemaError(format!(
                "occurrence bounds {}..{:?} not supported",
                p.min, p.max
            )));
        }
        let mut parts = Vec::new();
        for _ in 0..p.min {
            parts.push(self.term_re(&p.term, members, syms)?);
        }
        match p.max {
            None => parts.push(Re::Star(Box::new(self.term_re(&p.term, members, syms)?))),
            Some(max) => {
                for _ in p.min..max {
                    parts.push(Re::Opt(Box::new(self.term_re(&p.term, members, syms)?)));
                }
            }
        }
        Ok(Re::Seq(parts))
    }

    fn term_re(
        &mut self,
        t: &Term,
        members: &HashMap<QName, Vec<usize>>,
        syms: &mut Vec<Sym>,
    ) -> Result<Re, SchemaError> {
        let sym = |s: Sym, syms: &mut Vec<Sym>| {
            syms.push(s);
            Re::Sym(syms.len() - 1)
        };
        Ok(match t {
            Term::Ref(name) => {
                let Some(&idx) = self.globals.get(name) else {
                    return Err(SchemaError(format!("reference to undeclared {name}")));
                };
                let mut alts = Vec::new();
                let mut stack = vec![idx];
                // The element itself (unless abstract) and, transitively, its group members.
                while let Some(i) = stack.pop() {
                    if self.elems.get(i).is_some_and(|e| !e.is_abstract) {
                        alts.push(sym(Sym::Element(i), syms));
                    }
                    let name = self.elems.get(i).map(|e| e.name);
                    if let Some(ms) = name.and_then(|n| members.get(&n)) {
                        stack.extend(ms.iter().copied());
                    }
                }
                Re::Alt(alts)
            }
            Term::Local(decl) => {
                let idx = self.elems.len();
                self.elems.push(CElement {
                    name: decl.name,
                    content: CContent::Empty,
                    attrs: decl.attrs.clone(),
                    is_abstract: false,
                });
                let content = self.compile_content(&decl.content, members)?;
                if let Some(e) = self.elems.get_mut(idx) {
                    e.content = content;
                }
                sym(Sym::Element(idx), syms)
            }
            Term::Any(w) => sym(Sym::Any(*w), syms),
            Term::Seq(ps) => Re::Seq(
                ps.iter()
                    .map(|p| self.particle_re(p, members, syms))
                    .collect::<Result<_, _>>()?,
            ),
            Term::Choice(ps) => Re::Alt(
                ps.iter()
                    .map(|p| self.particle_re(p, members, syms))
                    .collect::<Result<_, _>>()?,
            ),
        })
    }
}

/// Glushkov's construction: (nullable, first, last), filling `follow`.
fn glushkov(re: &Re, follow: &mut [Set]) -> (bool, Set, Set) {
    match re {
        Re::Sym(p) => (false, 1 << p, 1 << p),
        Re::Seq(items) => {
            let (mut nullable, mut first, mut last) = (true, 0, 0);
            for item in items {
                let (n, f, l) = glushkov(item, follow);
                for_each(last, |q| {
                    if let Some(x) = follow.get_mut(q) {
                        *x |= f;
                    }
                });
                if nullable {
                    first |= f;
                }
                last = if n { last | l } else { l };
                nullable &= n;
            }
            (nullable, first, last)
        }
        Re::Alt(items) => {
            let (mut nullable, mut first, mut last) = (items.is_empty(), 0, 0);
            for item in items {
                let (n, f, l) = glushkov(item, follow);
                nullable |= n;
                first |= f;
                last |= l;
            }
            (nullable, first, last)
        }
        Re::Star(inner) => {
            let (_, f, l) = glushkov(inner, follow);
            for_each(l, |q| {
                if let Some(x) = follow.get_mut(q) {
                    *x |= f;
                }
            });
            (true, f, l)
        }
        Re::Opt(inner) => {
            let (_, f, l) = glushkov(inner, follow);
            (true, f, l)
        }
    }
}

fn for_each(mut set: Set, mut f: impl FnMut(usize)) {
    while set != 0 {
        let p = set.trailing_zeros() as usize;
        f(p);
        set &= set - 1;
    }
}

/// Where a content model stands: before the first child, or after the children that matched
/// (the positions they may have matched).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    At(Set),
}

impl Automaton {
    fn candidates(&self, state: State) -> Set {
        match state {
            State::Start => self.first,
            State::At(set) => {
                let mut c = 0;
                for_each(set, |p| c |= self.follow.get(p).copied().unwrap_or(0));
                c
            }
        }
    }

    fn accepts(&self, state: State) -> bool {
        match state {
            State::Start => self.nullable,
            State::At(set) => set & self.last != 0,
        }
    }
}

/// What validating one document found.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub(crate) findings: Vec<Finding>,
    /// How many record elements the document holds.
    pub(crate) records: usize,
}

/// One open element during validation.
struct Frame<'i> {
    elem: usize,
    state: State,
    /// A content-model error was reported: later children are only type-checked.
    broken: bool,
    /// The element's text: borrowed from the input while it is one piece.
    text: Cow<'i, str>,
    /// Non-white-space text was already reported for this element.
    text_reported: bool,
    offset: usize,
    record: Option<usize>,
}

struct Run<'s, 'i> {
    schema: &'s Compiled,
    input: &'i [u8],
    index: Option<LineIndex>,
    out: Outcome,
    frames: Vec<Frame<'i>>,
    /// Depth of a subtree being skipped (0 = not skipping).
    skip: usize,
}

impl<'i> Run<'_, 'i> {
    fn finding(&mut self, record: Option<usize>, offset: usize, field: &str, message: String) {
        let index = self.index.get_or_insert_with(|| LineIndex::new(self.input));
        let position = index.position(self.input, offset);
        self.out.findings.push(Finding::new(
            record,
            position,
            Some(field),
            Code::XmlSchema,
            Severity::Error,
            message,
        ));
    }

    fn elem(&self, i: usize) -> Option<&CElement> {
        self.schema.elems.get(i)
    }

    fn expected(&self, auto: &Automaton, set: Set) -> String {
        let mut names = Vec::new();
        for_each(set, |p| match auto.syms.get(p) {
            Some(Sym::Element(i)) => {
                if let Some(e) = self.elem(*i) {
                    names.push(e.name.local.to_owned());
                }
            }
            Some(Sym::Any(w)) => names.push(match w.other_than {
                None => "any element".to_owned(),
                Some(_) => "an element of another namespace".to_owned(),
            }),
            None => {}
        });
        names.dedup();
        if names.is_empty() {
            "nothing".into()
        } else {
            names.join(", ")
        }
    }

    /// A start tag: match it against the parent's content model, then open its frame (or skip
    /// its subtree).
    fn start(&mut self, tag: &StartTag<'_, '_>) {
        let (ns, local, offset) = (tag.ns, tag.local, tag.at);
        if self.skip > 0 {
            self.skip += 1;
            return;
        }
        let decl = match self.frames.last() {
            None => match self.lookup(ns, local) {
                Some(i) if self.elem(i).is_some_and(|e| !e.is_abstract) => Some(i),
                Some(_) => {
                    self.finding(
                        None,
                        offset,
                        local,
                        format!("the root element {} is abstract", show(ns, local)),
                    );
                    None
                }
                None => {
                    self.finding(
                        None,
                        offset,
                        local,
                        format!(
                            "no global declaration for the root element {}",
                            show(ns, local)
                        ),
                    );
                    None
                }
            },
            Some(parent) if parent.broken => self.any_position(parent.elem, ns, local),
            Some(parent) => self.child(parent.elem, parent.state, ns, local, offset),
        };
        let record = self.frames.last().and_then(|f| f.record);
        let Some(idx) = decl else {
            self.skip = 1;
            return;
        };
        let schema = self.schema;
        let Some(elem) = schema.elems.get(idx) else {
            self.skip = 1;
            return;
        };
        let record = record.or_else(|| {
            self.schema.records.contains(&elem.name).then(|| {
                self.out.records += 1;
                self.out.records - 1
            })
        });
        self.check_attributes(idx, record, tag);
        self.frames.push(Frame {
            elem: idx,
            state: State::Start,
            broken: false,
            text: Cow::Borrowed(""),
            text_reported: false,
            offset,
            record,
        });
    }

    fn lookup(&self, ns: &str, local: &str) -> Option<usize> {
        self.schema
            .by_local
            .get(local)?
            .iter()
            .find(|(n, _)| same_name(n, ns))
            .map(|(_, i)| *i)
    }

    /// After a content-model error: the declaration of a child by name alone, wherever it may
    /// stand in the parent's model (so its own content and attributes are still checked).
    fn any_position(&self, parent: usize, ns: &str, local: &str) -> Option<usize> {
        let CContent::Elements { auto, .. } = &self.schema.elems.get(parent)?.content else {
            return None;
        };
        auto.syms.iter().find_map(|s| match s {
            Sym::Element(i) => self
                .elem(*i)
                .filter(|e| same_name(e.name.local, local) && same_name(e.name.ns, ns))
                .map(|_| *i),
            Sym::Any(_) => None,
        })
    }

    /// Steps the parent's automaton over a child; the declaration to validate it with, or
    /// `None` (after reporting, or for a skipped wildcard match).
    fn child(
        &mut self,
        parent: usize,
        state: State,
        ns: &str,
        local: &str,
        offset: usize,
    ) -> Option<usize> {
        let record = self.frames.last().and_then(|f| f.record);
        let schema = self.schema;
        let pe = schema.elems.get(parent)?;
        let pname = pe.name.local;
        let auto = match &pe.content {
            CContent::Elements { auto, .. } => auto,
            CContent::Simple(_) | CContent::Empty => {
                self.finding(
                    record,
                    offset,
                    local,
                    format!(
                        "element {} is not allowed: {pname} has no element content",
                        show(ns, local)
                    ),
                );
                return None;
            }
        };
        let candidates = auto.candidates(state);
        let mut matched: Set = 0;
        let mut target: Option<Sym> = None;
        for_each(candidates, |p| {
            let hit = match auto.syms.get(p) {
                Some(Sym::Element(i)) => schema
                    .elems
                    .get(*i)
                    .is_some_and(|e| same_name(e.name.local, local) && same_name(e.name.ns, ns)),
                Some(Sym::Any(w)) => match w.other_than {
                    None => true,
                    Some(tns) => !ns.is_empty() && !same_name(ns, tns),
                },
                None => false,
            };
            if hit {
                matched |= 1 << p;
                let prefer = matches!(auto.syms.get(p), Some(Sym::Element(_)));
                if target.is_none() || prefer {
                    target = auto.syms.get(p).copied();
                }
            }
        });
        if matched == 0 {
            if let Some(top) = self.frames.last_mut() {
                top.broken = true;
            }
            let expected = self.expected(auto, candidates);
            self.finding(
                record,
                offset,
                local,
                format!(
                    "element {} is not expected in {pname}; expected: {expected}",
                    show(ns, local)
                ),
            );
            return None;
        }
        if let Some(top) = self.frames.last_mut() {
            top.state = State::At(matched);
        }
        match target? {
            Sym::Element(i) => Some(i),
            Sym::Any(_) => self.lookup(ns, local),
        }
    }

    fn check_attributes(&mut self, idx: usize, record: Option<usize>, tag: &StartTag<'_, '_>) {
        let offset = tag.at;
        let schema = self.schema;
        let Some(elem) = schema.elems.get(idx) else {
            return;
        };
        let mut seen: u64 = 0;
        for (ans, alocal, value) in tag.attributes() {
            if ans == XSI_NS {
                match alocal {
                    "schemaLocation" | "noNamespaceSchemaLocation" => continue,
                    other => {
                        self.finding(
                            record,
                            offset,
                            alocal,
                            format!(
                                "attribute xsi:{other} on {} is not supported (no element is nillable and no type may be substituted)",
                                elem.name.local
                            ),
                        );
                        continue;
                    }
                }
            }
            let found = elem
                .attrs
                .iter()
                .enumerate()
                .find(|(_, a)| same_name(a.name.local, alocal) && same_name(a.name.ns, ans));
            match found {
                None => self.finding(
                    record,
                    offset,
                    alocal,
                    format!(
                        "attribute {} is not allowed on {}",
                        show(ans, alocal),
                        elem.name.local
                    ),
                ),
                Some((i, a)) => {
                    seen |= 1 << i.min(63);
                    if let Err(why) = a.ty.check(value) {
                        self.finding(
                            record,
                            offset,
                            alocal,
                            format!("attribute {}: {why}", show(ans, alocal)),
                        );
                    }
                }
            }
        }
        for (i, a) in elem.attrs.iter().enumerate() {
            if a.required && seen & (1 << i.min(63)) == 0 {
                self.finding(
                    record,
                    offset,
                    a.name.local,
                    format!("attribute {} is required on {}", a.name, elem.name.local),
                );
            }
        }
    }

    fn text(&mut self, content: Cow<'i, str>, offset: usize) {
        if self.skip > 0 {
            return;
        }
        let schema = self.schema;
        let Some(top) = self.frames.last_mut() else {
            return;
        };
        let Some(elem) = schema.elems.get(top.elem) else {
            return;
        };
        match &elem.content {
            CContent::Simple(_) => {
                if top.text.is_empty() {
                    top.text = content;
                } else {
                    top.text.to_mut().push_str(&content);
                }
            }
            CContent::Elements { mixed: true, .. } => {}
            CContent::Elements { mixed: false, .. } | CContent::Empty => {
                if !top.text_reported && !content.chars().all(is_xml_space) {
                    top.text_reported = true;
                    let record = top.record;
                    let name = elem.name.local;
                    self.finding(
                        record,
                        offset,
                        name,
                        format!("{name} may not contain text (element-only or empty content)"),
                    );
                }
            }
        }
    }

    fn end(&mut self) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let schema = self.schema;
        let Some(elem) = schema.elems.get(frame.elem) else {
            return;
        };
        let name = elem.name.local;
        match &elem.content {
            CContent::Simple(t) => {
                if let Err(why) = t.check(&frame.text) {
                    self.finding(frame.record, frame.offset, name, format!("{name}: {why}"));
                }
            }
            CContent::Elements { auto, .. } => {
                if !frame.broken && !auto.accepts(frame.state) {
                    let missing = self.expected(auto, auto.candidates(frame.state));
                    self.finding(
                        frame.record,
                        frame.offset,
                        name,
                        format!("{name} is incomplete; missing one of: {missing}"),
                    );
                }
            }
            CContent::Empty => {}
        }
    }
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn show(ns: &str, local: &str) -> String {
    if ns.is_empty() {
        local.to_owned()
    } else {
        format!("{{{ns}}}{local}")
    }
}

/// The compiled schema of a format (compiled on first use, then shared).
///
/// # Errors
/// A defect in the schema tables (tests compile every format, so this does not happen in a
/// released build).
pub(crate) fn compiled(format: Format) -> Result<&'static Compiled, SchemaError> {
    const N: usize = Format::ALL.len();
    static CACHE: [OnceLock<Result<Compiled, SchemaError>>; N] = [const { OnceLock::new() }; N];
    let i = Format::ALL.iter().position(|f| *f == format).unwrap_or(0);
    let slot = CACHE
        .get(i)
        .ok_or_else(|| SchemaError("no cache slot".into()))?;
    slot.get_or_init(|| Compiled::new(&format.schema()))
        .as_ref()
        .map_err(Clone::clone)
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a document could not be read as XML, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotWellFormed {
    pub(crate) offset: usize,
    pub(crate) message: String,
    pub(crate) too_deep: bool,
}

/// Validates a document against a compiled schema in one streaming pass.
///
/// # Errors
/// A document that is not well-formed (or nests deeper than `max_depth`): validation stops
/// there; findings made before are kept in the error's outcome.
pub(crate) fn validate(
    text: &str,
    schema: &Compiled,
    max_depth: usize,
) -> Result<Outcome, (NotWellFormed, Outcome)> {
    let mut lexer = Lexer::new(text, &schema.namespaces, max_depth);
    let mut run = Run {
        schema,
        input: text.as_bytes(),
        index: None,
        out: Outcome::default(),
        frames: Vec::new(),
        skip: 0,
    };
    loop {
        match lexer.next_token() {
            Ok(Token::Start(tag)) => {
                run.start(&tag);
                if tag.empty {
                    run.end();
                }
            }
            Ok(Token::End) => run.end(),
            Ok(Token::Text(content, at)) => run.text(content, at),
            Ok(Token::Eof) => return Ok(run.out),
            Err(e) => return Err((e, run.out)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apel::Limits;

    fn check(doc: &str) -> SchemaReport {
        validate_document(doc.as_bytes(), &Limits::default())
    }

    const UR: &str = schemas::UR1_NS;

    fn ur(body: &str) -> String {
        format!(
            r#"<urf:UsageRecords xmlns:urf="{UR}" xmlns:ds="{}">{body}</urf:UsageRecords>"#,
            schemas::DS_NS
        )
    }

    const REC: &str = r#"<urf:UsageRecord><urf:RecordIdentity urf:recordId="r"/><urf:Status>Completed</urf:Status></urf:UsageRecord>"#;

    #[test]
    fn every_format_compiles() {
        for f in Format::ALL {
            let c = compiled(*f).unwrap();
            assert!(!c.globals.is_empty(), "{f:?}");
            for e in &c.elems {
                if let CContent::Elements { auto, .. } = &e.content {
                    assert!(auto.syms.len() <= 128);
                }
            }
        }
    }

    #[test]
    fn records_positions_and_all_findings() {
        let bad = REC.replace(
            "Completed",
            "Completed</urf:Status><urf:Memory>0</urf:Memory><urf:Status>x",
        );
        let doc = ur(&format!("{REC}\n{bad}\n{REC}"));
        let r = check(&doc);
        assert_eq!(r.format, Some(Format::Ur1));
        assert_eq!((r.records, r.valid_records), (3, 2));
        assert!(!r.is_valid());
        // Memory 0 (not a positiveInteger) and the second Status (out of place).
        assert_eq!(r.findings.len(), 2, "{:?}", r.findings);
        assert!(
            r.findings
                .iter()
                .all(|f| f.record == Some(1) && f.position.line == 2)
        );
        assert_eq!(r.findings[0].field.as_deref(), Some("Memory"));
        assert!(
            r.findings[1].message.contains("not expected"),
            "{}",
            r.findings[1].message
        );
    }

    /// Simple content is borrowed from the input while it is one piece of text; pieces joined
    /// by character references, CDATA sections and text with carriage returns take the other
    /// path and must be judged the same way.
    #[test]
    fn simple_content_in_pieces() {
        let with_status = |status: &str| {
            ur(&REC.replace(
                "<urf:Status>Completed</urf:Status>",
                &format!(
                    "<urf:Status>Completed</urf:Status><urf:Processors>{status}</urf:Processors>"
                ),
            ))
        };
        for (content, valid) in [
            ("12", true),
            ("1&#50;", true),
            ("&#49;2", true),
            ("1<![CDATA[2]]>", true),
            ("\r\n 12\r\n", true),
            ("1&#x20;2", false),
            ("1\r\n2", false),
            ("0", false),
            ("<!-- c -->12", true),
        ] {
            let r = check(&with_status(content));
            assert_eq!(r.is_valid(), valid, "{content:?}: {:?}", r.findings);
        }
    }

    #[test]
    fn attributes() {
        let cases = [
            (r#"urf:recordId="r""#, true),
            (r#"recordId="r""#, false),
            (
                r#"urf:recordId="r" urf:createTime="2020-02-30T00:00:00Z""#,
                false,
            ),
            (r#"urf:recordId="r" urf:other="x""#, false),
            (
                r#"urf:recordId="r" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="a b""#,
                true,
            ),
            (
                r#"urf:recordId="r" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="x""#,
                false,
            ),
            ("", false),
        ];
        for (attrs, ok) in cases {
            let doc = ur(&REC.replace(r#"urf:recordId="r""#, attrs));
            assert_eq!(check(&doc).is_valid(), ok, "{attrs}");
        }
    }

    #[test]
    fn key_info_wildcards_and_mixed_content() {
        let with = |key_info: &str| {
            ur(&REC.replace(
                r#"<urf:RecordIdentity urf:recordId="r"/>"#,
                &format!(r#"<urf:RecordIdentity urf:recordId="r">{key_info}</urf:RecordIdentity>"#),
            ))
        };
        let cases = [
            (
                "<ds:KeyInfo>text <ds:KeyName>k</ds:KeyName></ds:KeyInfo>",
                true,
            ),
            (
                r#"<ds:KeyInfo><x:Any xmlns:x="urn:x"><y/></x:Any></ds:KeyInfo>"#,
                true,
            ),
            ("<ds:KeyInfo/>", false),
            (
                "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>QUJD</ds:X509Certificate></ds:X509Data></ds:KeyInfo>",
                true,
            ),
            (
                "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>QUJ</ds:X509Certificate></ds:X509Data></ds:KeyInfo>",
                false,
            ),
            ("<ds:KeyInfo><ds:Foo/></ds:KeyInfo>", false),
            // A lax wildcard validates what it knows: a UR element inside KeyInfo.
            ("<ds:KeyInfo><urf:Memory>0</urf:Memory></ds:KeyInfo>", false),
            ("text", false),
        ];
        for (k, ok) in cases {
            assert_eq!(check(&with(k)).is_valid(), ok, "{k}");
        }
    }

    #[test]
    fn documents_that_are_not_records() {
        let unknown = check(r#"<a xmlns="urn:x"/>"#);
        assert_eq!(unknown.findings[0].code, Code::UnsupportedFormat);
        let abstract_root = check(&format!(r#"<urf:Usage xmlns:urf="{UR}"/>"#));
        assert!(abstract_root.findings[0].message.contains("abstract"));
        let doctype = check(&format!(
            "<!DOCTYPE x><urf:UsageRecords xmlns:urf=\"{UR}\"/>"
        ));
        assert_eq!(doctype.findings[0].code, Code::XmlSyntax);
        let broken = check(&ur("<urf:UsageRecord>"));
        assert_eq!(broken.findings.last().unwrap().code, Code::XmlSyntax);
        // Any global element is a valid root, as in XML Schema.
        assert!(check(&format!(r#"<urf:Status xmlns:urf="{UR}">x</urf:Status>"#)).is_valid());
    }

    #[test]
    fn depth_and_size_limits() {
        let deep = ur(&"<ds:KeyInfo>".repeat(100));
        let r = validate_document(deep.as_bytes(), &Limits::default().with_max_depth(50));
        assert_eq!(r.findings.last().unwrap().code, Code::LimitExceeded);
        let r = validate_document(
            ur(REC).as_bytes(),
            &Limits::default().with_max_message_bytes(10),
        );
        assert_eq!(r.findings[0].code, Code::LimitExceeded);
    }
}
