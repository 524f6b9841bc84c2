//! APEL text messages: a header line `<Type>: v<version>`, then records of `Key: Value` lines
//! separated by `%%` lines.
//!
//! ```text
//! APEL-cloud-message: v0.4
//! VMUUID: 2013-11-14 19:15:21+00:00 CESNET vm-1
//! SiteName: CESNET
//! %%
//! ```

mod message;
mod record;
mod schema;
mod value;

pub use message::{Entry, Limits, Message, Options, Profile, parse_message};
pub use record::{Record, RenderError, UnknownField};
pub use schema::RecordType;
pub use value::Value;

/// Renders records as one APEL text message: the canonical header of their type, each record's
/// fields in canonical order, `%%` after each record.
///
/// # Errors
/// A record whose type differs from the first one's, or a value that cannot be written (see
/// [`RenderError`]).
pub fn render_message(records: &[Record<'_>]) -> Result<String, RenderError> {
    let mut out = String::with_capacity(records.len() * 512 + 64);
    let Some(first) = records.first() else {
        return Ok(out);
    };
    out.push_str(first.record_type().header());
    out.push('\n');
    for r in records {
        if r.record_type() != first.record_type() {
            return Err(RenderError::MixedTypes);
        }
        r.render_into(&mut out)?;
        out.push_str("%%\n");
    }
    Ok(out)
}
