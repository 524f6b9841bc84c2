//! One APEL record: its type and its field values, in canonical (database) order.

use super::schema::{Kind, RecordType};
use super::value::{Value, is_null, is_py_space};
use fedcloud_core::{Fqan, UtcTime};
use std::fmt::Write as _;

/// A record of an APEL text message. Values hold what the message said (a v0.4 benchmark
/// dictionary stays a dictionary; derived values such as the chosen benchmark are computed by
/// accessors).
#[derive(Debug, Clone, PartialEq)]
pub struct Record<'a> {
    record_type: RecordType,
    values: Vec<Option<Value<'a>>>,
}

/// Why a record cannot be rendered as APEL text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// A text value that would not read back: a line break, `%%`, surrounding white space, or a
    /// NULL spelling (`none`, `null`, empty).
    #[error("field {field}: text value {value:?} cannot be written in an APEL message")]
    UnrepresentableText {
        /// The field.
        field: &'static str,
        /// The value.
        value: String,
    },
    /// A record without any value: it would not survive as a record.
    #[error("a record without any value cannot be written")]
    EmptyRecord,
    /// Records of an APEL text type have no JSON message form.
    #[error("this record type is exchanged as APEL text only")]
    TextOnly,
    /// Records of a JSON or XML type (accelerator, public IP, storage) have no APEL text form.
    #[error("this record type has no APEL text form")]
    NotText,
    /// Records of different types in one message.
    #[error("a message holds records of one type only")]
    MixedTypes,
    /// A value of the wrong type for the field.
    #[error("field {field}: a value of the wrong type")]
    WrongType {
        /// The field.
        field: &'static str,
    },
}

/// A field name that the record type does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{record_type:?} records have no field {field}")]
pub struct UnknownField {
    /// The record type.
    pub record_type: RecordType,
    /// The name asked for.
    pub field: String,
}

impl<'a> Record<'a> {
    /// An empty record of the given type.
    #[must_use]
    pub fn new(record_type: RecordType) -> Self {
        Self {
            record_type,
            values: vec![None; record_type.fields().len()],
        }
    }

    /// A record without storage, standing in while the real one is lent out.
    pub(crate) fn placeholder(record_type: RecordType) -> Self {
        Self {
            record_type,
            values: Vec::new(),
        }
    }

    /// Empties the fields whose bit is set in `used` (the only ones that can hold a value),
    /// keeping the storage; makes the storage for a placeholder.
    pub(crate) fn clear(&mut self, mut used: u64) {
        let n = self.record_type.fields().len();
        if self.values.len() != n {
            self.values.clear();
            self.values.resize(n, None);
            return;
        }
        while used != 0 {
            let i = used.trailing_zeros() as usize;
            if let Some(v) = self.values.get_mut(i) {
                *v = None;
            }
            used &= used - 1;
        }
    }

    /// The record type.
    #[must_use]
    pub fn record_type(&self) -> RecordType {
        self.record_type
    }

    /// The value of field `name`, `None` when absent or NULL (or not a field of this type).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Value<'a>> {
        self.record_type
            .field_index(name)
            .and_then(|i| self.values.get(i))
            .and_then(Option::as_ref)
    }

    /// Sets (or, with `None`, clears) field `name`.
    ///
    /// # Errors
    /// [`UnknownField`] when the record type has no such field.
    pub fn set(&mut self, name: &str, value: Option<Value<'a>>) -> Result<(), UnknownField> {
        let slot = self
            .record_type
            .field_index(name)
            .and_then(|i| self.values.get_mut(i))
            .ok_or_else(|| UnknownField {
                record_type: self.record_type,
                field: name.to_owned(),
            })?;
        *slot = value;
        Ok(())
    }

    /// The value of the field at `index` of the record type's fields.
    pub(crate) fn value(&self, index: usize) -> Option<&Value<'a>> {
        self.values.get(index).and_then(Option::as_ref)
    }

    /// The values, one per field of the record type.
    pub(crate) fn values_mut(&mut self) -> &mut Vec<Option<Value<'a>>> {
        &mut self.values
    }

    pub(crate) fn slot_mut(&mut self, index: usize) -> Option<&mut Option<Value<'a>>> {
        self.values.get_mut(index)
    }

    /// The fields that have a value, in canonical order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Value<'a>)> + '_ {
        self.record_type
            .fields()
            .iter()
            .zip(&self.values)
            .filter_map(|(f, v)| v.as_ref().map(|v| (f.name, v)))
    }

    /// Text field `name`.
    #[must_use]
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name)? {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    /// Integer field `name` (`None` also when it is outside 64 bits).
    #[must_use]
    pub fn int(&self, name: &str) -> Option<i64> {
        match self.get(name)? {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// Decimal field `name`.
    #[must_use]
    pub fn float(&self, name: &str) -> Option<f64> {
        match self.get(name)? {
            Value::Float(x) => Some(*x),
            _ => None,
        }
    }

    /// Time field `name`.
    #[must_use]
    pub fn time(&self, name: &str) -> Option<UtcTime> {
        match self.get(name)? {
            Value::Time(t) => Some(*t),
            _ => None,
        }
    }

    /// The benchmark of a v0.4 dictionary field (`ServiceLevel`, `NormalisedWallDuration`, …)
    /// as apel chooses it: hepscore23 before hepspec before si2k, keys compared case-insensitively
    /// (the last of several spellings wins). Returns the lower-case type and the value.
    #[must_use]
    pub fn benchmark(&self, name: &str) -> Option<(&'static str, f64)> {
        match self.get(name)? {
            Value::Benchmarks(b) => choose_benchmark(b.entries()),
            _ => None,
        }
    }

    /// The primary FQAN (the first of a `;`-separated list, as apel takes it), parsed with the
    /// lenient grammar. `None` when the record has no FQAN; `Some(Err(..))` when it does not
    /// parse.
    #[must_use]
    pub fn primary_fqan(&self) -> Option<Result<Fqan, fedcloud_core::Error>> {
        self.first_fqan().map(Fqan::parse_lenient)
    }

    /// The first of the `;`-separated FQANs of the `FQAN` field (the one apel uses).
    pub(crate) fn first_fqan(&self) -> Option<&str> {
        self.text("FQAN").map(first_of)
    }

    /// VO, VOGroup and VORole as apel derives them: for a cloud record always from the FQAN
    /// (none without one), for a job record from the FQAN when there is one, else as the record
    /// states them. apel's rules: only the first FQAN counts; an FQAN that does not start with
    /// `/` is the VO; the group runs to the first `Role=` component, which is the role (with its
    /// `Role=` prefix).
    #[must_use]
    pub fn vo_group_role(&self) -> (Option<String>, Option<String>, Option<String>) {
        match (self.record_type, self.text("FQAN")) {
            (RecordType::Job | RecordType::Job04 | RecordType::Cloud, Some(fqan)) => {
                apel_parse_fqan(fqan)
            }
            (RecordType::Cloud, None) => (None, None, None),
            _ => (
                self.text("VO").map(str::to_owned),
                self.text("VOGroup").map(str::to_owned),
                self.text("VORole").map(str::to_owned),
            ),
        }
    }

    /// Renders the record's lines (`Key: value`), in canonical order, without the `%%`.
    ///
    /// # Errors
    /// A text value that cannot be written (see [`RenderError`]).
    pub fn render_into(&self, out: &mut String) -> Result<(), RenderError> {
        for (field, value) in self.record_type.fields().iter().zip(&self.values) {
            let Some(value) = value else { continue };
            let type_ok = matches!(
                (field.kind, value),
                (Kind::Text(_), Value::Text(_))
                    | (Kind::Int32 | Kind::Int64, Value::Int(_) | Value::BigInt(_))
                    | (Kind::Float, Value::Float(_))
                    | (Kind::DateTime, Value::Time(_))
                    | (Kind::Benchmark { .. }, Value::Benchmarks(_))
            );
            if !type_ok {
                return Err(RenderError::WrongType { field: field.name });
            }
            if let Value::Text(t) = value {
                check_representable(field.name, t)?;
            }
            let _ = writeln!(out, "{}: {}", field.name, value);
        }
        Ok(())
    }

    /// The same record owning all its text.
    #[must_use]
    pub fn into_owned(self) -> Record<'static> {
        Record {
            record_type: self.record_type,
            values: self
                .values
                .into_iter()
                .map(|v| v.map(Value::into_owned))
                .collect(),
        }
    }
}

fn check_representable(field: &'static str, t: &str) -> Result<(), RenderError> {
    let bad = is_null(t)
        || t.contains(['\n', '\r'])
        || t.contains("%%")
        || t.starts_with(is_py_space)
        || t.ends_with(is_py_space);
    if bad {
        return Err(RenderError::UnrepresentableText {
            field,
            value: t.to_owned(),
        });
    }
    Ok(())
}

/// The first of `;`-separated FQANs (a plain scan: checked on every record in `strict`).
pub(crate) fn first_of(fqans: &str) -> &str {
    fqans
        .bytes()
        .position(|b| b == b';')
        .and_then(|i| fqans.get(..i))
        .unwrap_or(fqans)
}

/// apel's benchmark choice over a dictionary: hepscore23, else hepspec, else si2k, names
/// compared case-insensitively with the last spelling winning.
pub(crate) fn choose_benchmark<'e>(
    entries: impl Iterator<Item = (&'e str, f64)>,
) -> Option<(&'static str, f64)> {
    let mut choice = BenchmarkChoice::default();
    for (k, v) in entries {
        choice.note(k, v);
    }
    choice.chosen()
}

/// The running state of apel's choice: the last value given for each known benchmark.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct BenchmarkChoice {
    last: [Option<f64>; 3],
}

impl BenchmarkChoice {
    const NAMES: [&'static str; 3] = ["si2k", "hepspec", "hepscore23"];

    pub(crate) fn note(&mut self, name: &str, value: f64) {
        if let Some(i) = Self::NAMES
            .iter()
            .position(|n| super::value::py_lower_eq(name, n))
            && let Some(slot) = self.last.get_mut(i)
        {
            *slot = Some(value);
        }
    }

    pub(crate) fn chosen(&self) -> Option<(&'static str, f64)> {
        Self::NAMES
            .iter()
            .zip(self.last)
            .rev()
            .find_map(|(name, v)| v.map(|v| (*name, v)))
    }
}

/// apel's `parse_fqan` (common/parsing_utils.py).
pub(crate) fn apel_parse_fqan(fqan: &str) -> (Option<String>, Option<String>, Option<String>) {
    let first = fqan.split(';').next().unwrap_or(fqan);
    if !first.starts_with('/') {
        return (Some(first.to_owned()), None, None);
    }
    let vo = first.split('/').nth(1).unwrap_or_default().to_owned();
    let mut group = String::new();
    let mut role = None;
    for piece in first.split('/').filter(|p| !p.is_empty()) {
        if piece
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("role="))
        {
            role = Some(piece.to_owned());
            break;
        }
        group.push('/');
        group.push_str(piece);
    }
    (Some(vo), Some(group), role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fqan_split_like_apel() {
        let cases = [
            (
                "/atlas/uk/Role=production/Capability=NULL",
                ("atlas", "/atlas/uk", Some("Role=production")),
            ),
            ("/atlas", ("atlas", "/atlas", None)),
            (
                "/atlas/a/b/role=lower/x;/cms",
                ("atlas", "/atlas/a/b", Some("role=lower")),
            ),
            ("/Role=x/atlas", ("Role=x", "", Some("Role=x"))),
            ("/", ("", "", None)),
            (
                "/atlas/Capability=NULL",
                ("atlas", "/atlas/Capability=NULL", None),
            ),
        ];
        for (fqan, (vo, group, role)) in cases {
            let (v, g, r) = apel_parse_fqan(fqan);
            assert_eq!(
                (v.as_deref(), g.as_deref(), r.as_deref()),
                (Some(vo), Some(group), role),
                "{fqan}"
            );
        }
        assert_eq!(apel_parse_fqan("atlas"), (Some("atlas".into()), None, None));
    }

    #[test]
    fn set_get_render() {
        let mut r = Record::new(RecordType::Cloud);
        r.set("VMUUID", Some(Value::Text("vm-1".into()))).unwrap();
        r.set("SiteName", Some(Value::Text("SITE".into()))).unwrap();
        r.set("Memory", Some(Value::Int(512))).unwrap();
        r.set("CpuCount", Some(Value::Float(2.0))).unwrap();
        assert!(r.set("Nope", None).is_err());
        assert_eq!(r.text("VMUUID"), Some("vm-1"));
        assert_eq!(r.int("Memory"), Some(512));
        let mut out = String::new();
        r.render_into(&mut out).unwrap();
        assert_eq!(
            out,
            "VMUUID: vm-1\nSiteName: SITE\nCpuCount: 2.0\nMemory: 512\n"
        );
        r.set("Status", Some(Value::Text("NULL".into()))).unwrap();
        assert!(matches!(
            r.render_into(&mut String::new()),
            Err(RenderError::UnrepresentableText {
                field: "Status",
                ..
            })
        ));
        r.set("Status", Some(Value::Int(1))).unwrap();
        assert_eq!(
            r.render_into(&mut String::new()),
            Err(RenderError::WrongType { field: "Status" })
        );
    }

    #[test]
    fn benchmark_choice() {
        let e = [("hepspec", 1.0), ("HEPscore23", 2.0)];
        assert_eq!(choose_benchmark(e.into_iter()), Some(("hepscore23", 2.0)));
        let e = [("HEPSPEC", 1.0), ("hepspec", 2.0), ("HepSpec", 3.0)];
        assert_eq!(choose_benchmark(e.into_iter()), Some(("hepspec", 3.0)));
        assert_eq!(choose_benchmark([("foo", 1.0)].into_iter()), None);
    }
}
