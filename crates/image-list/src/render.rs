//! Writing an image list: keys sorted, four spaces of indentation (the layout of hepixvmitrust
//! and vmcaster, `sort_keys=True, indent=4`), counts, the endorser and the wrapper as they
//! were read.

use crate::model::{Endorser, Image, ImageList};
use fedcloud_core::UtcTime;
use serde::Serialize;
use serde_json::{Map, Value};

impl ImageList {
    /// The list as a JSON value: `{"hv:imagelist": {…}}` (the bare list object when it was
    /// read from the legacy unwrapped form, [`Form::unwrapped`]). Keys in `extra` that name a
    /// standard key are overwritten by the field.
    ///
    /// [`Form::unwrapped`]: crate::Form
    #[must_use]
    pub fn to_value(&self) -> Value {
        let mut m = self.extra.clone();
        let s = |v: &str| Value::String(v.to_owned());
        m.insert("dc:date:created".into(), time(self.created));
        m.insert("dc:date:expires".into(), time(self.expires));
        m.insert("dc:identifier".into(), s(&self.identifier));
        m.insert("dc:title".into(), s(&self.title));
        m.insert("dc:description".into(), s(&self.description));
        m.insert("dc:source".into(), s(&self.source));
        m.insert("hv:version".into(), s(&self.version));
        m.insert("hv:uri".into(), s(&self.uri));
        let endorsers: Vec<Value> = self.endorsers.iter().map(endorser).collect();
        let endorser = match endorsers.as_slice() {
            [one] if !self.form.endorser_array => one.clone(),
            _ => Value::Array(endorsers),
        };
        m.insert("hv:endorser".into(), endorser);
        m.insert(
            "hv:images".into(),
            Value::Array(self.images.iter().map(image).collect()),
        );
        if self.form.unwrapped {
            return Value::Object(m);
        }
        let mut root = Map::new();
        root.insert("hv:imagelist".into(), Value::Object(m));
        Value::Object(root)
    }

    /// The list as JSON text: keys sorted, indented by four spaces, a final line break. The
    /// bytes to sign; a verifier must use the bytes it received, never these.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
        let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
        // Serialising a `Value` to memory cannot fail.
        let _ = self.to_value().serialize(&mut ser);
        out.push(b'\n');
        String::from_utf8(out).unwrap_or_default()
    }
}

/// `YYYY-MM-DDThh:mm:ssZ` (a fraction is not written).
fn time(t: UtcTime) -> Value {
    let p = t.parts();
    Value::String(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        p.year, p.month, p.day, p.hour, p.minute, p.second
    ))
}

fn endorser(e: &Endorser) -> Value {
    let mut x = e.extra.clone();
    let s = |v: &str| Value::String(v.to_owned());
    x.insert("dc:creator".into(), s(&e.creator));
    x.insert("hv:ca".into(), s(&e.ca));
    x.insert("hv:dn".into(), s(&e.dn));
    x.insert("hv:email".into(), s(&e.email));
    let mut m = Map::new();
    m.insert("hv:x509".into(), Value::Object(x));
    Value::Object(m)
}

fn image(i: &Image) -> Value {
    let mut m = i.extra.clone();
    let s = |v: &str| Value::String(v.to_owned());
    m.insert("dc:identifier".into(), s(&i.identifier));
    m.insert("dc:title".into(), s(&i.title));
    m.insert("dc:description".into(), s(&i.description));
    m.insert("hv:size".into(), i.size.to_json());
    m.insert("sl:checksum:sha512".into(), s(&i.sha512));
    m.insert("sl:arch".into(), s(&i.arch));
    m.insert("hv:uri".into(), s(&i.uri));
    m.insert("sl:os".into(), s(&i.os));
    m.insert("sl:osversion".into(), s(&i.os_version));
    m.insert("sl:comments".into(), s(&i.comments));
    m.insert("hv:hypervisor".into(), s(&i.hypervisor));
    m.insert("hv:version".into(), s(&i.version));
    if let Some(f) = &i.format {
        m.insert("hv:format".into(), s(f));
    }
    if let Some(c) = i.core_minimum {
        m.insert("hv:core_minimum".into(), c.to_json());
    }
    if let Some(c) = i.ram_minimum {
        m.insert("hv:ram_minimum".into(), c.to_json());
    }
    if let Some(t) = i.expires {
        m.insert("dc:date:expires".into(), time(t));
    }
    let mut w = Map::new();
    w.insert("hv:image".into(), Value::Object(m));
    Value::Object(w)
}
