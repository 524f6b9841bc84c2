//! An async OCCI client on `reqwest` (feature `client`), speaking the same types as the
//! parsers, renderers and the [`protocol`](crate::protocol) router.

use crate::HeaderBudget;
use crate::protocol::{HttpError, PRODUCT_TOKEN, read_message};
use crate::{Limits, MediaType, Message, Mode, Parser, protocol::write_message};
use ::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use std::fmt;

/// What can go wrong talking to a server.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClientError {
    /// The request did not complete (connection, TLS, timeout, invalid URL).
    Transport(reqwest::Error),
    /// The server answered with an error status; the body's text.
    Status(HttpError),
    /// The answer could not be read as OCCI.
    Content(HttpError),
    /// The base URL, or a path or location resolved against it, is not a URL.
    InvalidUrl(String),
    /// The answer's body is larger than the client's
    /// [`Limits::max_body_bytes`](crate::Limits::max_body_bytes); reading stopped there.
    AnswerTooLarge {
        /// The limit.
        limit: usize,
    },
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transport(e) => write!(f, "transport: {e}"),
            Self::Status(e) => write!(f, "server answered {e}"),
            Self::Content(e) => write!(f, "unreadable answer: {e}"),
            Self::InvalidUrl(e) => write!(f, "invalid URL: {e}"),
            Self::AnswerTooLarge { limit } => {
                write!(f, "answer body larger than {limit} bytes")
            }
        }
    }
}

impl std::error::Error for ClientError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(e) => Some(e),
            Self::Status(e) | Self::Content(e) => Some(e),
            Self::InvalidUrl(_) | Self::AnswerTooLarge { .. } => None,
        }
    }
}

impl From<reqwest::Error> for ClientError {
    fn from(e: reqwest::Error) -> Self {
        Self::Transport(e)
    }
}

/// An OCCI client for one server: requests in one media type (text/plain by default),
/// answers read in whatever rendering the server chose, leniently by default.
///
/// ```no_run
/// # async fn demo() -> Result<(), occi_render_http::client::ClientError> {
/// use occi_render_http::client::Client;
/// let client = Client::new("http://localhost:3000");
/// let model = client.query_interface().await?;
/// let vms = client.list("/compute/").await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    media: MediaType,
    mode: Mode,
    limits: Limits,
    budget: HeaderBudget,
}

/// The answer to a create: the new entity's location.
pub type Location = String;

impl Client {
    /// A client for the server at `base` (`http://host:port`). Paths and locations given to
    /// the methods are URI references resolved against `base` as RFC 3986 §5 says: an
    /// absolute location (`http://example.com/compute/1`, as GFD.185's examples and RFC 7231
    /// `Location` allow) is used as it is, an absolute path (`/compute/`) replaces the path
    /// of `base`.
    #[must_use]
    pub fn new(base: impl Into<String>) -> Self {
        Self::with_client(reqwest::Client::new(), base)
    }

    /// A client using an existing `reqwest::Client` (TLS, proxies, timeouts configured there).
    #[must_use]
    pub fn with_client(http: reqwest::Client, base: impl Into<String>) -> Self {
        Self {
            http,
            base: base.into(),
            media: MediaType::TextPlain,
            mode: Mode::Lenient,
            limits: Limits::default(),
            budget: HeaderBudget::default(),
        }
    }

    /// This client sending (and asking for) `media`.
    #[must_use]
    pub const fn with_media_type(mut self, media: MediaType) -> Self {
        self.media = media;
        self
    }

    /// This client reading answers in `mode`.
    #[must_use]
    pub const fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// `path` (a path or a location from an answer) resolved against the base URL.
    fn url(&self, path: &str) -> Result<reqwest::Url, ClientError> {
        reqwest::Url::parse(&self.base)
            .and_then(|base| base.join(path))
            .map_err(|e| ClientError::InvalidUrl(format!("{path:?} against {:?}: {e}", self.base)))
    }

    /// This client reading answers within `limits`: the body is read up to
    /// `max_body_bytes` and no further, then parsed with the other bounds.
    #[must_use]
    pub const fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// This client keeping text/occi requests within `budget` (over it, the request goes
    /// as a text/plain body, see [`render_headers`](crate::render_headers)).
    #[must_use]
    pub const fn with_budget(mut self, budget: HeaderBudget) -> Self {
        self.budget = budget;
        self
    }

    /// The body of `response`, refused once it exceeds `max_body_bytes` (announced by
    /// `Content-Length` or while reading).
    async fn body(&self, mut response: reqwest::Response) -> Result<Vec<u8>, ClientError> {
        let limit = self.limits.max_body_bytes;
        let too_large = ClientError::AnswerTooLarge { limit };
        if response
            .content_length()
            .is_some_and(|n| usize::try_from(n).map_or(true, |n| n > limit))
        {
            return Err(too_large);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            if body.len().saturating_add(chunk.len()) > limit {
                return Err(too_large);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        content: Option<&Message>,
        accept: MediaType,
    ) -> Result<(StatusCode, HeaderMap, Message), ClientError> {
        let mut headers = HeaderMap::new();
        let mut body = Vec::new();
        if let Some(m) = content {
            body = write_message(&mut headers, self.media, m, None, &self.budget)
                .map_err(ClientError::Content)?;
        }
        headers.insert(header::ACCEPT, HeaderValue::from_static(accept.as_str()));
        headers.insert(
            header::USER_AGENT,
            HeaderValue::from_str(&format!(
                "occi-render-http/{} {PRODUCT_TOKEN}",
                env!("CARGO_PKG_VERSION")
            ))
            .unwrap_or(HeaderValue::from_static(PRODUCT_TOKEN)),
        );
        let url = self.url(path)?;
        let response = self
            .http
            .request(method, url)
            .headers(headers)
            .body(body)
            .send()
            .await?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = self.body(response).await?;
        if !status.is_success() {
            let text = String::from_utf8_lossy(&bytes).trim().to_owned();
            return Err(ClientError::Status(HttpError::new(status, text)));
        }
        let parser = Parser::new(self.mode).with_limits(self.limits);
        let message = read_message(&parser, &headers, &bytes)
            .map_err(ClientError::Content)?
            .message;
        Ok((status, headers, message))
    }

    /// The query interface (`GET /-/`): every kind, mixin and action of the server.
    ///
    /// # Errors
    /// [`ClientError`].
    pub async fn query_interface(&self) -> Result<Message, ClientError> {
        Ok(self.send(Method::GET, "/-/", None, self.media).await?.2)
    }

    /// The locations in a collection (`GET /compute/`).
    ///
    /// # Errors
    /// [`ClientError`].
    pub async fn list(&self, collection: &str) -> Result<Vec<String>, ClientError> {
        let accept = if self.media == MediaType::TextOcci {
            MediaType::TextOcci
        } else {
            MediaType::UriList
        };
        Ok(self
            .send(Method::GET, collection, None, accept)
            .await?
            .2
            .locations)
    }

    /// The entity at `path`.
    ///
    /// # Errors
    /// [`ClientError`].
    pub async fn get(&self, path: &str) -> Result<Message, ClientError> {
        Ok(self.send(Method::GET, path, None, self.media).await?.2)
    }

    /// Creates `entity` in `collection` (POST); returns its location, from `Location` or
    /// else from the rendering (older servers put it in `X-OCCI-Location` or the body).
    ///
    /// # Errors
    /// [`ClientError`]; `Content` when the answer names no location.
    pub async fn create(
        &self,
        collection: &str,
        entity: &Message,
    ) -> Result<Location, ClientError> {
        let (_, headers, message) = self
            .send(Method::POST, collection, Some(entity), self.media)
            .await?;
        if let Some(l) = headers.get(header::LOCATION).and_then(|v| v.to_str().ok()) {
            return Ok(l.to_owned());
        }
        message.locations.into_iter().next().ok_or_else(|| {
            ClientError::Content(HttpError::new(StatusCode::OK, "no location in the answer"))
        })
    }

    /// Updates the entity at `path` with `partial` (POST); returns the new state.
    ///
    /// # Errors
    /// [`ClientError`].
    pub async fn update(&self, path: &str, partial: &Message) -> Result<Message, ClientError> {
        Ok(self
            .send(Method::POST, path, Some(partial), self.media)
            .await?
            .2)
    }

    /// Creates or replaces the entity at `path` (PUT).
    ///
    /// # Errors
    /// [`ClientError`].
    pub async fn put(&self, path: &str, entity: &Message) -> Result<StatusCode, ClientError> {
        Ok(self
            .send(Method::PUT, path, Some(entity), self.media)
            .await?
            .0)
    }

    /// Triggers the action of `invocation` on the entity or collection at `path`
    /// (`POST path?action=term`).
    ///
    /// # Errors
    /// [`ClientError`]; `Content` when `invocation` is not an action invocation.
    pub async fn trigger(&self, path: &str, invocation: &Message) -> Result<(), ClientError> {
        let term = invocation
            .categories
            .first()
            .map(|c| c.term.clone())
            .ok_or_else(|| {
                ClientError::Content(HttpError::new(StatusCode::BAD_REQUEST, "no action"))
            })?;
        let sep = if path.contains('?') { '&' } else { '?' };
        self.send(
            Method::POST,
            &format!("{path}{sep}action={term}"),
            Some(invocation),
            self.media,
        )
        .await?;
        Ok(())
    }

    /// Deletes the entity (or the collection's members) at `path`.
    ///
    /// # Errors
    /// [`ClientError`].
    pub async fn delete(&self, path: &str) -> Result<(), ClientError> {
        self.send(Method::DELETE, path, None, self.media).await?;
        Ok(())
    }

    /// Adds user mixins (POST on the query interface); `mixins` holds their categories.
    ///
    /// # Errors
    /// [`ClientError`].
    pub async fn add_mixins(&self, mixins: &Message) -> Result<(), ClientError> {
        self.send(Method::POST, "/-/", Some(mixins), self.media)
            .await?;
        Ok(())
    }
}
