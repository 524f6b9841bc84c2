//! Attribute definitions (the 1.2 `Attribute` model type) and typed attribute values.

use crate::{AttributeName, Error, ErrorKind};
use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// The type of an attribute: the JSON type set of OCCI 1.2, plus the refinements the
/// Infrastructure tables use (enumeration, URI, IP address, CIDR range).
///
/// ```text
/// type = "string" / "number" / "boolean" / "array" / "object"   ; GFD.225 §3 (AttrDesc.type)
///      + "integer" (JSON Schema)                                ; Infrastructure "Integer"
/// ```
///
/// GFD.221 table 2 lists `{Object, List, Hash}`; the JSON rendering refines it into the set
/// above, which is what is modelled. [`AttributeType::json_type`] gives the JSON type of each.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "lowercase")
)]
#[non_exhaustive]
pub enum AttributeType {
    /// Any string (the JSON rendering's default type).
    #[default]
    String,
    /// A number (`Float` in the Infrastructure tables); integers are numbers too.
    Number,
    /// An integer.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// A string from a fixed set (`Enum {…}` in the Infrastructure tables).
    Enum(Vec<String>),
    /// A JSON array (`List`).
    Array,
    /// A JSON object (`Hash`).
    Object,
    /// A string holding an RFC 3986 URI reference.
    Uri,
    /// A string holding an IPv4 or IPv6 address.
    IpAddress,
    /// A string holding an IPv4 or IPv6 address with an optional `/prefix` (CIDR notation).
    Cidr,
    /// Any value: the type is not known, as for an attribute declared in a text rendering
    /// (GFD.229 §4.3 gives a declaration its name and properties only). JSON has no such
    /// type; it is rendered as its default, `string`.
    Any,
}

impl AttributeType {
    /// The JSON type that carries values of this type (`string`, `number`, `integer`,
    /// `boolean`, `array` or `object`).
    #[must_use]
    pub const fn json_type(&self) -> &'static str {
        match self {
            Self::String | Self::Enum(_) | Self::Uri | Self::IpAddress | Self::Cidr | Self::Any => {
                "string"
            }
            Self::Number => "number",
            Self::Integer => "integer",
            Self::Boolean => "boolean",
            Self::Array => "array",
            Self::Object => "object",
        }
    }

    /// A convenience for [`AttributeType::Enum`].
    #[must_use]
    pub fn enumeration(values: &[&str]) -> Self {
        Self::Enum(values.iter().map(|v| (*v).to_owned()).collect())
    }
}

/// A typed attribute value: a JSON value without `null` (an absent attribute is not a value).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(untagged)
)]
#[non_exhaustive]
pub enum AttributeValue {
    /// `true` or `false`.
    Boolean(bool),
    /// An integer.
    Integer(i64),
    /// A number with a fraction or exponent (never NaN or infinite when built by this crate's
    /// constructors; [`AttributeDefinition::check`] rejects non-finite numbers).
    Number(f64),
    /// A string (also enumeration values, URIs and addresses).
    String(String),
    /// An array.
    Array(Vec<AttributeValue>),
    /// An object.
    Object(BTreeMap<String, AttributeValue>),
}

impl AttributeValue {
    /// The JSON type of the value (`integer` for integers).
    #[must_use]
    pub const fn json_type(&self) -> &'static str {
        match self {
            Self::Boolean(_) => "boolean",
            Self::Integer(_) => "integer",
            Self::Number(_) => "number",
            Self::String(_) => "string",
            Self::Array(_) => "array",
            Self::Object(_) => "object",
        }
    }

    /// The string, if the value is one.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value as a float, if it is a number or an integer.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub const fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(n) => Some(*n),
            Self::Integer(i) => Some(*i as f64),
            _ => None,
        }
    }

    /// The integer, if the value is one.
    #[must_use]
    pub const fn as_i64(&self) -> Option<i64> {
        match self {
            Self::Integer(i) => Some(*i),
            _ => None,
        }
    }

    /// The boolean, if the value is one.
    #[must_use]
    pub const fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Boolean(b) => Some(*b),
            _ => None,
        }
    }
}

impl fmt::Display for AttributeValue {
    /// Strings as they are; other values as compact JSON-like text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Boolean(b) => write!(f, "{b}"),
            Self::Integer(i) => write!(f, "{i}"),
            Self::Number(n) => write!(f, "{n:?}"),
            Self::String(s) => f.write_str(s),
            Self::Array(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Self::Object(map) => {
                f.write_str("{")?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{k:?}:{v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

impl From<&str> for AttributeValue {
    fn from(v: &str) -> Self {
        Self::String(v.to_owned())
    }
}

impl From<String> for AttributeValue {
    fn from(v: String) -> Self {
        Self::String(v)
    }
}

impl From<i64> for AttributeValue {
    fn from(v: i64) -> Self {
        Self::Integer(v)
    }
}

impl From<i32> for AttributeValue {
    fn from(v: i32) -> Self {
        Self::Integer(i64::from(v))
    }
}

impl From<f64> for AttributeValue {
    fn from(v: f64) -> Self {
        Self::Number(v)
    }
}

impl From<bool> for AttributeValue {
    fn from(v: bool) -> Self {
        Self::Boolean(v)
    }
}

/// A regular expression that string values of an attribute must match.
///
/// The text rendering gives POSIX ERE, the JSON rendering a JSON Schema `pattern` (ECMA 262);
/// both are evaluated with the `regex` crate, which reads the common subset (including POSIX
/// classes such as `[[:alnum:]]`). As in JSON Schema, the pattern is not implicitly anchored.
/// Equality compares the source text.
#[derive(Clone)]
pub struct Pattern {
    source: String,
    regex: regex::Regex,
}

impl Pattern {
    /// The pattern as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether `value` matches.
    #[must_use]
    pub fn is_match(&self, value: &str) -> bool {
        self.regex.is_match(value)
    }
}

impl FromStr for Pattern {
    type Err = Error;

    /// # Errors
    /// The text is not a regular expression (`InvalidPattern`, positioned at its start).
    fn from_str(s: &str) -> Result<Self, Error> {
        // Bounded so that a hostile model cannot make the registry build a huge automaton.
        let regex = regex::RegexBuilder::new(s)
            .size_limit(1 << 20)
            .build()
            .map_err(|e| {
                let text = e.to_string();
                let first = text.lines().last().unwrap_or_default().trim().to_owned();
                Error::in_text(ErrorKind::InvalidPattern(first), s, 0)
            })?;
        Ok(Self {
            source: s.to_owned(),
            regex,
        })
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for Pattern {}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Pattern {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Pattern {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The definition of one attribute of a kind, mixin or action (GFD.221 §4.2.2, table 2).
///
/// ```text
/// Attribute: name String 1; type 1; mutable Boolean 1; required Boolean 1;
///            pattern Object 0..1; default 0..1; description String 0..1   ; GFD.221 table 2
/// AttrDesc = { "mutable": false, "required": false, "type": "string",
///              "pattern": …, "default": …, "description": … }           ; GFD.225 §3
/// ```
///
/// `minimum`/`maximum` are not part of the rendered definition: they carry the value ranges of
/// the Infrastructure tables (`occi.network.vlan`: Integer 0–4095).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct AttributeDefinition {
    /// The attribute name.
    pub name: AttributeName,
    /// The value type.
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub attr_type: AttributeType,
    /// Whether a client may set or change it (GFD.221 §4.1: immutable attributes are managed
    /// by the server exclusively).
    pub mutable: bool,
    /// Whether a client must supply it at creation time.
    pub required: bool,
    /// A pattern string values must match.
    pub pattern: Option<Pattern>,
    /// The value used when a client gives none; a mixin's default overrides its kind's
    /// (GFD.221 §4.3, templates).
    pub default: Option<AttributeValue>,
    /// A human-readable description.
    pub description: Option<String>,
    /// The smallest accepted number.
    pub minimum: Option<f64>,
    /// The largest accepted number.
    pub maximum: Option<f64>,
}

/// Why a value does not satisfy an [`AttributeDefinition`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValueProblem {
    /// The value has the wrong type (expected JSON type given).
    Type(&'static str),
    /// The string is not one of the enumeration's values.
    NotInEnumeration,
    /// The string does not match the pattern.
    Pattern,
    /// The number lies outside `minimum`..=`maximum`, or is not finite.
    Range,
    /// The string is not a URI reference, an IP address or a CIDR range, as the type requires.
    Format(&'static str),
}

impl fmt::Display for ValueProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Type(t) => write!(f, "expected a value of type {t}"),
            Self::NotInEnumeration => f.write_str("value is not in the enumeration"),
            Self::Pattern => f.write_str("value does not match the pattern"),
            Self::Range => f.write_str("number out of range"),
            Self::Format(what) => write!(f, "value is not {what}"),
        }
    }
}

impl AttributeDefinition {
    /// A definition with the JSON rendering's defaults: immutable, optional, no pattern,
    /// default or description.
    #[must_use]
    pub fn new(name: AttributeName, attr_type: AttributeType) -> Self {
        Self {
            name,
            attr_type,
            mutable: false,
            required: false,
            pattern: None,
            default: None,
            description: None,
            minimum: None,
            maximum: None,
        }
    }

    /// Sets `mutable`.
    #[must_use]
    pub fn with_mutable(mut self, mutable: bool) -> Self {
        self.mutable = mutable;
        self
    }

    /// Sets `required`.
    #[must_use]
    pub fn with_required(mut self, required: bool) -> Self {
        self.required = required;
        self
    }

    /// Sets the pattern.
    #[must_use]
    pub fn with_pattern(mut self, pattern: Pattern) -> Self {
        self.pattern = Some(pattern);
        self
    }

    /// Sets the default value.
    #[must_use]
    pub fn with_default(mut self, default: impl Into<AttributeValue>) -> Self {
        self.default = Some(default.into());
        self
    }

    /// Sets the description.
    #[must_use]
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the accepted numeric range.
    #[must_use]
    pub fn with_range(mut self, minimum: f64, maximum: f64) -> Self {
        self.minimum = Some(minimum);
        self.maximum = Some(maximum);
        self
    }

    /// Checks a value against the type, enumeration, pattern and range.
    ///
    /// # Errors
    /// The first [`ValueProblem`] found.
    pub fn check(&self, value: &AttributeValue) -> Result<(), ValueProblem> {
        use AttributeType as T;
        use AttributeValue as V;
        let expected = Err(ValueProblem::Type(self.attr_type.json_type()));
        match (&self.attr_type, value) {
            (T::Any, _) => return Ok(()),
            (T::String, V::String(_)) => {}
            (T::Enum(values), V::String(s)) => {
                if !values.iter().any(|v| v == s) {
                    return Err(ValueProblem::NotInEnumeration);
                }
            }
            (T::Uri, V::String(s)) => {
                if !crate::EntityId::is_valid(s) {
                    return Err(ValueProblem::Format("a URI reference"));
                }
            }
            (T::IpAddress, V::String(s)) => {
                if s.parse::<IpAddr>().is_err() {
                    return Err(ValueProblem::Format("an IP address"));
                }
            }
            (T::Cidr, V::String(s)) => {
                if !is_cidr(s) {
                    return Err(ValueProblem::Format("an IP address or CIDR range"));
                }
            }
            (T::Number, V::Number(n)) => {
                if !n.is_finite() {
                    return Err(ValueProblem::Range);
                }
            }
            (T::Number | T::Integer, V::Integer(_))
            | (T::Boolean, V::Boolean(_))
            | (T::Array, V::Array(_))
            | (T::Object, V::Object(_)) => {}
            _ => return expected,
        }
        if let (Some(p), V::String(s)) = (&self.pattern, value)
            && !p.is_match(s)
        {
            return Err(ValueProblem::Pattern);
        }
        if let Some(n) = value.as_f64()
            && (self.minimum.is_some_and(|m| n < m) || self.maximum.is_some_and(|m| n > m))
        {
            return Err(ValueProblem::Range);
        }
        Ok(())
    }
}

/// `address [ "/" prefix ]` with the prefix within the address family's width.
fn is_cidr(s: &str) -> bool {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let Ok(ip) = addr.parse::<IpAddr>() else {
        return false;
    };
    let width = if ip.is_ipv4() { 32 } else { 128 };
    match prefix {
        None => true,
        Some(p) => {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u8>().is_ok_and(|n| n <= width)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(t: AttributeType) -> AttributeDefinition {
        AttributeDefinition::new("x".parse().unwrap(), t)
    }

    #[test]
    fn typing_table() {
        use AttributeType as T;
        use AttributeValue as V;
        let s = |x: &str| V::String(x.to_owned());
        // (type, value, accepted)
        let cases = [
            (T::String, s("a"), true),
            (T::String, V::Integer(1), false),
            (T::Number, V::Number(1.5), true),
            (T::Number, V::Integer(2), true),
            (T::Number, V::Number(f64::NAN), false),
            (T::Number, s("1.5"), false),
            (T::Integer, V::Integer(2), true),
            (T::Integer, V::Number(2.0), false),
            (T::Boolean, V::Boolean(true), true),
            (T::Boolean, s("true"), false),
            (T::enumeration(&["x86", "x64"]), s("x64"), true),
            (T::enumeration(&["x86", "x64"]), s("arm"), false),
            (T::Array, V::Array(vec![]), true),
            (T::Object, V::Object(BTreeMap::new()), true),
            (T::Object, V::Array(vec![]), false),
            (T::Uri, s("/compute/1"), true),
            (T::Uri, s("a b"), false),
            (T::IpAddress, s("192.168.0.1"), true),
            (T::IpAddress, s("fc00::1"), true),
            (T::IpAddress, s("192.168.0.1/24"), false),
            (T::Cidr, s("192.168.0.0/24"), true),
            (T::Cidr, s("fc00::/7"), true),
            (T::Cidr, s("10.0.0.1"), true),
            (T::Cidr, s("10.0.0.0/33"), false),
            (T::Cidr, s("10.0.0.0/"), false),
            (T::Cidr, s("host/24"), false),
        ];
        for (t, v, ok) in cases {
            assert_eq!(def(t.clone()).check(&v).is_ok(), ok, "{t:?} {v:?}");
        }
    }

    #[test]
    fn patterns_and_ranges() {
        let mac = def(AttributeType::String)
            .with_pattern("^([0-9a-fA-F]{2}[:-]){5}([0-9a-fA-F]{2})$".parse().unwrap());
        assert!(mac.check(&"00:1A:2b:3c:4d:5e".into()).is_ok());
        assert_eq!(mac.check(&"00:1A:2b".into()), Err(ValueProblem::Pattern));
        // POSIX classes as rOCCI writes them.
        let id = def(AttributeType::String)
            .with_pattern("^[[:alnum:]]([[:alnum:]]|-|_)*$".parse().unwrap());
        assert!(id.check(&"a-1_b".into()).is_ok());
        assert!(id.check(&"-a".into()).is_err());
        let vlan = def(AttributeType::Integer).with_range(0.0, 4095.0);
        assert!(vlan.check(&4095.into()).is_ok());
        assert_eq!(vlan.check(&4096.into()), Err(ValueProblem::Range));
        assert_eq!(vlan.check(&(-1).into()), Err(ValueProblem::Range));
        let e = "(".parse::<Pattern>().unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::InvalidPattern(_)), "{e}");
        assert_eq!("a+".parse::<Pattern>().unwrap().to_string(), "a+");
    }

    #[test]
    fn display_of_values() {
        let v = AttributeValue::Array(vec![1.into(), 1.5.into(), "a".into(), true.into()]);
        assert_eq!(v.to_string(), "[1,1.5,a,true]");
        let mut m = BTreeMap::new();
        m.insert("k".to_owned(), AttributeValue::Integer(1));
        assert_eq!(AttributeValue::Object(m).to_string(), "{\"k\":1}");
        assert_eq!(AttributeValue::Number(2.0).to_string(), "2.0");
    }
}
