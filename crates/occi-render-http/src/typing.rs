//! Typing attribute values through the model registry.
//!
//! The text grammar gives a value one of four syntactic types (quoted-string, int, float,
//! bool) and JSON gives it a JSON type; only the model knows that `occi.compute.cores` is an
//! integer and `occi.compute.state` an enumeration. Strict modes refuse a value whose syntax
//! disagrees with its definition (a quoted `"2"` for an integer); lenient mode converts it and
//! reports the [`Leniency`]. Attributes the model does not define keep their syntactic type.

use crate::error::at;
use crate::message::{CategoryRendering, Message};
use crate::options::lenient;
use crate::{Error, ErrorKind, Leniency, Mode, Warning};
use occi_model::fedcloud_core::Position;
use occi_model::{AttributeDefinition, AttributeType, AttributeValue, CategoryClass, Model};

/// Where in the input the parts of a message were read, for the errors and findings of
/// typing and validation (JSON readers keep offsets, with line 0, until one is needed).
#[derive(Debug, Default)]
pub(crate) struct Positions {
    /// The entity (its first category line, its JSON object).
    pub(crate) start: Position,
    /// Each of `Message::categories`.
    pub(crate) categories: Vec<Position>,
    /// Each of `Message::attributes`.
    pub(crate) attributes: Vec<Position>,
    /// The attributes of each of `Message::links`.
    pub(crate) links: Vec<Vec<Position>>,
    /// Each of `Message::links`.
    pub(crate) link_starts: Vec<Position>,
}

/// Types every attribute of `msg` (and of its links) through `model`.
pub(crate) fn type_message(
    model: &Model,
    mode: Mode,
    msg: &mut Message,
    pos: &Positions,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    let ids: Vec<String> = msg
        .categories
        .iter()
        .map(CategoryRendering::type_id)
        .collect();
    let classes: Vec<Option<CategoryClass>> = msg.categories.iter().map(|c| c.class).collect();
    let scope = Scope::new(model, &ids, &classes);
    for (i, (name, value)) in msg.attributes.iter_mut().enumerate() {
        if let Some(def) = scope.definition(name) {
            let p = pos.attributes.get(i).copied().unwrap_or(Position::START);
            coerce(def, name, value, mode, p, warnings)?;
        }
    }
    for (li, link) in msg.links.iter_mut().enumerate() {
        let classes: Vec<Option<CategoryClass>> = link
            .categories
            .iter()
            .enumerate()
            .map(|(i, _)| {
                Some(if i == 0 {
                    CategoryClass::Kind
                } else {
                    CategoryClass::Mixin
                })
            })
            .collect();
        let scope = Scope::new(model, &link.categories, &classes);
        for (i, (name, value)) in link.attributes.iter_mut().enumerate() {
            if let Some(def) = scope.definition(name) {
                let p = pos
                    .links
                    .get(li)
                    .and_then(|v| v.get(i))
                    .copied()
                    .unwrap_or(Position::START);
                coerce(def, name, value, mode, p, warnings)?;
            }
        }
    }
    Ok(())
}

/// The attribute definitions that apply to one entity or action invocation, collected once.
struct Scope<'m> {
    definitions: Vec<&'m AttributeDefinition>,
}

impl<'m> Scope<'m> {
    fn new(model: &'m Model, ids: &[String], classes: &[Option<CategoryClass>]) -> Self {
        let mut kind = None;
        let mut mixins: Vec<&str> = Vec::new();
        for (id, class) in ids.iter().zip(classes) {
            match (class, model.category(id)) {
                (Some(CategoryClass::Kind) | None, Some(occi_model::Category::Kind(k))) => {
                    kind = Some(k.id.as_str());
                }
                (Some(CategoryClass::Mixin) | None, Some(occi_model::Category::Mixin(m))) => {
                    mixins.push(m.id.as_str());
                }
                (Some(CategoryClass::Action) | None, Some(occi_model::Category::Action(a))) => {
                    return Scope {
                        definitions: a.attributes.iter().collect(),
                    };
                }
                _ => {}
            }
        }
        let definitions = match kind {
            Some(k) => model
                .effective_attributes(k, &mixins)
                .into_iter()
                .map(|e| e.definition)
                .collect(),
            None => model
                .mixin_closure(mixins.iter().copied())
                .into_iter()
                .flat_map(|m| m.attributes.iter())
                .collect(),
        };
        Scope { definitions }
    }

    fn definition(&self, name: &str) -> Option<&'m AttributeDefinition> {
        self.definitions.iter().find(|d| d.name == *name).copied()
    }
}

/// Converts `value` to the type of `def` where the syntax disagrees.
pub(crate) fn coerce(
    def: &AttributeDefinition,
    name: &str,
    value: &mut AttributeValue,
    mode: Mode,
    pos: Position,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    use AttributeType as T;
    use AttributeValue as V;
    let mismatch = || {
        at(
            ErrorKind::TypeMismatch {
                name: name.to_owned(),
                expected: def.attr_type.json_type(),
            },
            pos,
        )
    };
    let new = match (&def.attr_type, &*value) {
        (T::Integer, V::String(s)) => {
            let Ok(i) = s.trim().parse::<i64>() else {
                return Err(mismatch());
            };
            strict_or(mode, warnings, Leniency::QuotedNumber, pos, mismatch)?;
            V::Integer(i)
        }
        (T::Number, V::String(s)) => {
            let f = match s.trim().parse::<f64>() {
                Ok(f) if f.is_finite() => f,
                _ => return Err(mismatch()),
            };
            strict_or(mode, warnings, Leniency::QuotedNumber, pos, mismatch)?;
            V::Number(f)
        }
        #[allow(clippy::cast_precision_loss)]
        (T::Number, V::Integer(i)) => V::Number(*i as f64),
        (T::Integer, V::Number(f)) => {
            // `2.0` for an integer: the text grammar's float, exactly integral.
            #[allow(clippy::cast_possible_truncation)]
            let i = *f as i64;
            #[allow(clippy::cast_precision_loss)]
            let exact = f.fract() == 0.0 && (i as f64) == *f;
            if !exact {
                return Err(mismatch());
            }
            V::Integer(i)
        }
        (T::Boolean, V::String(s)) => {
            let b = match s.as_str() {
                "true" => true,
                "false" => false,
                _ => return Err(mismatch()),
            };
            strict_or(mode, warnings, Leniency::QuotedBoolean, pos, mismatch)?;
            V::Boolean(b)
        }
        (
            T::String | T::Enum(_) | T::Uri | T::IpAddress | T::Cidr,
            V::Integer(_) | V::Number(_) | V::Boolean(_),
        ) => {
            strict_or(mode, warnings, Leniency::UnquotedString, pos, mismatch)?;
            V::String(value.to_string())
        }
        (T::Array | T::Object, V::String(s)) => {
            // Text cannot carry arrays and objects; they travel as JSON in a quoted-string.
            match serde_json::from_str::<serde_json::Value>(s) {
                Ok(j) => match crate::json::value_from_json(&j) {
                    Some(v) if v.json_type() == def.attr_type.json_type() => v,
                    _ => return Ok(()),
                },
                Err(_) => return Ok(()),
            }
        }
        _ => return Ok(()),
    };
    *value = new;
    Ok(())
}

fn strict_or(
    mode: Mode,
    warnings: &mut Vec<Warning>,
    leniency: Leniency,
    pos: Position,
    mismatch: impl Fn() -> Error,
) -> Result<(), Error> {
    lenient(mode, warnings, leniency, pos).map_err(|_| mismatch())
}
