//! The JSON rendering (application/occi+json, OCCI 1.2, GFD.225) and the reader of the
//! pre-1.2 rOCCI dialect.

use occi_model::AttributeValue;
use serde_json::Value;

/// An attribute value from JSON (`null` has none).
pub(crate) fn value_from_json(v: &Value) -> Option<AttributeValue> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => AttributeValue::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => AttributeValue::Integer(i),
            None => AttributeValue::Number(n.as_f64()?),
        },
        Value::String(s) => AttributeValue::String(s.clone()),
        Value::Array(items) => {
            AttributeValue::Array(items.iter().filter_map(value_from_json).collect())
        }
        Value::Object(map) => AttributeValue::Object(
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), value_from_json(v)?)))
                .collect(),
        ),
    })
}

/// An attribute value as JSON (a non-finite number becomes `null`).
pub(crate) fn value_to_json(v: &AttributeValue) -> Value {
    match v {
        AttributeValue::Boolean(b) => Value::Bool(*b),
        AttributeValue::Integer(i) => Value::from(*i),
        AttributeValue::Number(f) => {
            serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
        }
        AttributeValue::String(s) => Value::String(s.clone()),
        AttributeValue::Array(items) => Value::Array(items.iter().map(value_to_json).collect()),
        AttributeValue::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), value_to_json(v)))
                .collect(),
        ),
        _ => Value::Null,
    }
}
