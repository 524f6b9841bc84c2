//! The parser: its mode, limits and model, and what it returns.

use crate::error::at;
use crate::media::MediaType;
use crate::message::Message;
use crate::urilist::parse_uri_list;
use crate::{Error, ErrorKind, Limits, Mode, Violation, Warning};
use occi_model::fedcloud_core::Position;
use occi_model::{Model, UnknownCategories};

/// What a parser returns: the message and every leniency used (empty in strict modes).
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Parsed {
    /// The content.
    pub message: Message,
    /// The leniencies used, in input order.
    pub warnings: Vec<Warning>,
    /// What the model's validation found (with [`Parser::with_model`]): every finding in
    /// lenient mode, the warnings and notices in strict modes (which refuse the errors with
    /// [`ErrorKind::Invalid`]).
    pub findings: Vec<Violation>,
}

/// A parser of every rendering, configured with a [`Mode`], [`Limits`] and optionally
/// the [`Model`] that types attribute values.
///
/// ```
/// use occi_model::{AttributeValue, Model, OcciVersion};
/// use occi_render_http::{Leniency, Mode, Parser};
///
/// let model = Model::infrastructure(OcciVersion::V1_2);
/// let body = "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\n\
///             X-OCCI-Attribute: occi.compute.cores=\"2\"\n";
/// // Strict: a quoted number for an integer attribute is an error ...
/// let err = Parser::new(Mode::Strict12).with_model(&model).parse_plain(body).unwrap_err();
/// assert_eq!(err.position().line, 2);
/// // ... lenient mode types it through the model and says so.
/// let parsed = Parser::new(Mode::Lenient).with_model(&model).parse_plain(body)?;
/// assert_eq!(parsed.message.attribute("occi.compute.cores"), Some(&AttributeValue::Integer(2)));
/// assert_eq!(parsed.warnings[0].leniency, Leniency::QuotedNumber);
/// # Ok::<(), occi_render_http::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Parser<'m> {
    pub(crate) mode: Mode,
    pub(crate) limits: Limits,
    pub(crate) model: Option<&'m Model>,
    pub(crate) unknown: UnknownCategories,
    pub(crate) validate: bool,
}

impl<'m> Parser<'m> {
    /// [`Limits::max_body_bytes`](crate::Limits::max_body_bytes), checked before any parse
    /// of a whole body (text/plain, a text/occi message, JSON).
    pub(crate) fn check_body_size(&self, len: usize) -> Result<(), Error> {
        if len > self.limits.max_body_bytes {
            return Err(at(
                ErrorKind::BodyTooLarge {
                    limit: self.limits.max_body_bytes,
                    actual: len,
                },
                Position::START,
            ));
        }
        Ok(())
    }

    /// A parser in `mode` with the default limits and no model (values keep the type their
    /// syntax gives them).
    #[must_use]
    pub fn new(mode: Mode) -> Self {
        Self {
            mode,
            limits: Limits::default(),
            model: None,
            unknown: UnknownCategories::Reject,
            validate: true,
        }
    }

    /// This parser with other limits.
    #[must_use]
    pub const fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// This parser typing attribute values through `model` and validating every entity and
    /// action invocation it reads against it (see [`Parsed::findings`] and
    /// [`ErrorKind::Invalid`]).
    ///
    /// ```
    /// use occi_model::{Model, OcciVersion};
    /// use occi_render_http::{ErrorKind, Mode, Parser};
    /// let model = Model::infrastructure(OcciVersion::V1_2);
    /// let body = "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\n\
    ///             X-OCCI-Attribute: occi.compute.architecture=\"arm64\"\n";
    /// let err = Parser::new(Mode::Strict12).with_model(&model).parse_plain(body).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::Invalid(v) if v[0].finding.code.as_str() == "not-in-enumeration"));
    /// assert_eq!((err.position().line, err.position().column), (2, 19));
    /// let lenient = Parser::new(Mode::Lenient).with_model(&model).parse_plain(body)?;
    /// assert_eq!(lenient.findings.len(), 1);
    /// # Ok::<(), occi_render_http::Error>(())
    /// ```
    #[must_use]
    pub const fn with_model(mut self, model: &'m Model) -> Self {
        self.model = Some(model);
        self
    }

    /// What validation makes of categories and attributes the model does not define
    /// (default [`UnknownCategories::Reject`]: the model is the server's whole registry).
    /// [`UnknownCategories::RejectReserved`] suits a model of the OCCI documents without
    /// the provider's extensions: unknowns in the documents' namespace stay errors, a
    /// provider's templates and attributes are notices.
    #[must_use]
    pub const fn with_unknown_categories(mut self, policy: UnknownCategories) -> Self {
        self.unknown = policy;
        self
    }

    /// Whether the entities read are validated against the model (default `true`); `false`
    /// keeps only the typing of values, for a caller that validates later itself (a server
    /// that validates a creation with `Operation::Create`) and wants to save the cost.
    #[must_use]
    pub const fn with_validation(mut self, validate: bool) -> Self {
        self.validate = validate;
        self
    }

    /// The mode.
    #[must_use]
    pub const fn mode(&self) -> Mode {
        self.mode
    }

    /// Parses a body in `media`. For text/occi the input is a message written out as text
    /// ([`Parser::parse_occi_message`]).
    ///
    /// # Errors
    /// `BodyTooLarge` (checked first, for every media type); as the parser of the media
    /// type; `NotUtf8`.
    pub fn parse(&self, media: MediaType, input: &[u8]) -> Result<Parsed, Error> {
        self.check_body_size(input.len())?;
        let text = utf8(input)?;
        match media {
            MediaType::TextPlain => self.parse_plain(text),
            MediaType::TextOcci => self.parse_occi_message(text),
            MediaType::Json => self.parse_json(text),
            MediaType::UriList => {
                let mut message = Message::new();
                message.locations = parse_uri_list(text, self.limits)?;
                Ok(Parsed {
                    message,
                    ..Parsed::default()
                })
            }
        }
    }
}

pub(crate) fn utf8(body: &[u8]) -> Result<&str, Error> {
    std::str::from_utf8(body)
        .map_err(|e| at(ErrorKind::NotUtf8, Position::at(body, e.valid_up_to())))
}
