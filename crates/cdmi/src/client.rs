//! An async CDMI client on `reqwest` (feature `client`; needs a tokio runtime), speaking the
//! crate's types: [`Object`] bodies, [`Selection`]s, [`Version`]s.
//!
//! Paths are relative to the root and percent-encoded (`MyContainer/My%20File.txt`;
//! containers end in `/`; `cdmi_objectid/<ID>` for access by ID). Redirects are not followed:
//! a reference answers [`ClientError::Redirect`] with its target.

use crate::http::PARTIAL_HEADER;
use crate::object::{Mode, Object};
use crate::query::{Dialect, Selection};
use crate::version::VERSION_HEADER;
use crate::{Error, ObjectType, Version};
use ::http::{Method, StatusCode, header};
use std::fmt;

/// What can go wrong talking to a server.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClientError {
    /// The request did not complete (connection, TLS, timeout).
    Transport(reqwest::Error),
    /// The server answered an error status, with the answer's text.
    Status {
        /// The status.
        status: StatusCode,
        /// The body, as text.
        text: String,
    },
    /// A 302: the object is a reference to this URI.
    Redirect(String),
    /// The answer is not the CDMI body it should be.
    Content(Error),
    /// A 201 without `Location`.
    NoLocation,
    /// The answer's body is larger than [`Client::with_max_answer_bytes`]; reading stopped.
    AnswerTooLarge {
        /// The limit.
        limit: usize,
    },
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transport(e) => write!(f, "transport: {e}"),
            Self::Status { status, text } => write!(f, "server answered {status}: {}", text.trim()),
            Self::Redirect(to) => write!(f, "a reference to {to}"),
            Self::Content(e) => write!(f, "unreadable answer: {e}"),
            Self::NoLocation => f.write_str("a 201 answer without Location"),
            Self::AnswerTooLarge { limit } => write!(f, "answer larger than {limit} bytes"),
        }
    }
}

impl std::error::Error for ClientError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(e) => Some(e),
            Self::Content(e) => Some(e),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for ClientError {
    fn from(e: reqwest::Error) -> Self {
        Self::Transport(e)
    }
}

/// A plain-HTTP read of a value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValueAnswer {
    /// 200, or 206 for a range.
    pub status: StatusCode,
    /// `Content-Type` (the object's `mimetype`).
    pub mimetype: Option<String>,
    /// `Content-Range` of a 206.
    pub content_range: Option<String>,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// A CDMI client for one root.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    version: Version,
    mode: Mode,
    max_answer_bytes: usize,
    partial: bool,
}

impl Client {
    /// A client of the root at `base` (a URL, e.g. `http://host/cdmi/2.0.0/`) speaking
    /// `version`: a 1.x version sends it in `X-CDMI-Specification-Version` and updates with
    /// PUT; 2.x sends no header and updates with PATCH. Redirects are not followed.
    ///
    /// # Errors
    /// `Transport` when reqwest cannot build its client.
    pub fn new(base: &str, version: Version) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self::with_client(http, base, version))
    }

    /// As [`Client::new`] on a configured reqwest client (TLS roots, timeouts, identity).
    #[must_use]
    pub fn with_client(http: reqwest::Client, base: &str, version: Version) -> Self {
        let mut base = base.to_owned();
        if !base.ends_with('/') {
            base.push('/');
        }
        Self {
            http,
            base,
            version,
            mode: Mode::Strict,
            max_answer_bytes: 64 << 20,
            partial: false,
        }
    }

    /// Reads answers in `mode` (lenient for servers that bend the specification).
    #[must_use]
    pub const fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Stops reading an answer at `limit` bytes (default 64 MiB).
    #[must_use]
    pub const fn with_max_answer_bytes(mut self, limit: usize) -> Self {
        self.max_answer_bytes = limit;
        self
    }

    /// Sends `X-CDMI-Partial: true` with creates and updates (more updates follow).
    #[must_use]
    pub const fn with_partial(mut self, partial: bool) -> Self {
        self.partial = partial;
        self
    }

    /// The URL of `path` below the root.
    #[must_use]
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path.trim_start_matches('/'))
    }

    fn dialect(&self) -> Dialect {
        if self.version.is_v2() {
            Dialect::V2
        } else {
            Dialect::V1
        }
    }

    fn request(&self, method: Method, url: &str) -> reqwest::RequestBuilder {
        let mut r = self.http.request(method, url);
        if !self.version.is_v2() {
            r = r.header(VERSION_HEADER, self.version.to_string());
        }
        r
    }

    async fn send(
        &self,
        r: reqwest::RequestBuilder,
    ) -> Result<(StatusCode, header::HeaderMap, Vec<u8>), ClientError> {
        let mut answer = r.send().await?;
        let status = answer.status();
        let headers = answer.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = answer.chunk().await? {
            if body.len() + chunk.len() > self.max_answer_bytes {
                return Err(ClientError::AnswerTooLarge {
                    limit: self.max_answer_bytes,
                });
            }
            body.extend_from_slice(&chunk);
        }
        if status == StatusCode::FOUND {
            let to = headers
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            return Err(ClientError::Redirect(to.to_owned()));
        }
        if !status.is_success() {
            return Err(ClientError::Status {
                status,
                text: String::from_utf8_lossy(&body).into_owned(),
            });
        }
        Ok((status, headers, body))
    }

    fn object(&self, body: &[u8], t: ObjectType) -> Result<Object, ClientError> {
        let text = std::str::from_utf8(body).map_err(|e| {
            ClientError::Content(Error::at(
                crate::ErrorKind::Http(crate::http::HttpProblem::BodyNotUtf8),
                body,
                e.valid_up_to(),
            ))
        })?;
        Object::parse(text, t, self.mode)
            .map(|p| p.object)
            .map_err(ClientError::Content)
    }

    fn body_of(&self, r: reqwest::RequestBuilder, o: &Object) -> reqwest::RequestBuilder {
        let mut r = r
            .header(header::CONTENT_TYPE, o.object_type.media_type())
            .header(header::ACCEPT, o.object_type.media_type())
            .body(o.to_json());
        if self.partial {
            r = r.header(PARTIAL_HEADER, "true");
        }
        r
    }

    /// Reads the CDMI representation of the object of type `t` at `path`, fields as
    /// `selection` selects (all when none).
    ///
    /// # Errors
    /// `Status` for an error answer, `Redirect` for a reference, `Content` for a body that
    /// is not a `t`, `Transport`.
    pub async fn read(
        &self,
        path: &str,
        t: ObjectType,
        selection: Option<&Selection>,
    ) -> Result<Object, ClientError> {
        let mut url = self.url(path);
        if let Some(s) = selection.filter(|s| !s.selectors.is_empty()) {
            url.push('?');
            url.push_str(&s.render(self.dialect()));
        }
        let r = self
            .request(Method::GET, &url)
            .header(header::ACCEPT, t.media_type());
        let (_, _, body) = self.send(r).await?;
        self.object(&body, t)
    }

    /// Creates (or, on 1.x, updates) the object `o` at `path` with PUT; the server's answer
    /// (the new object without its value) — `None` when it updated (204).
    ///
    /// # Errors
    /// As [`Client::read`].
    pub async fn put(&self, path: &str, o: &Object) -> Result<Option<Object>, ClientError> {
        let r = self.body_of(self.request(Method::PUT, &self.url(path)), o);
        let (status, _, body) = self.send(r).await?;
        if status == StatusCode::NO_CONTENT || body.is_empty() {
            return Ok(None);
        }
        self.object(&body, o.object_type).map(Some)
    }

    /// Updates the object at `path` with the fields of `o`: PATCH on 2.x, PUT on 1.x, the
    /// query `selection` sent along (e.g. `value:10-19` for a part of the value).
    ///
    /// # Errors
    /// As [`Client::read`].
    pub async fn update(
        &self,
        path: &str,
        o: &Object,
        selection: Option<&Selection>,
    ) -> Result<(), ClientError> {
        let method = if self.version.is_v2() {
            Method::PATCH
        } else {
            Method::PUT
        };
        let mut url = self.url(path);
        if let Some(s) = selection.filter(|s| !s.selectors.is_empty()) {
            url.push('?');
            url.push_str(&s.render(self.dialect()));
        }
        let r = self.body_of(self.request(method, &url), o);
        self.send(r).await.map(|_| ())
    }

    /// POSTs `o` to `path` (a container: a child the server names; `cdmi_objectid/`: an
    /// object without a name): the `Location` and the new object.
    ///
    /// # Errors
    /// As [`Client::read`]; `NoLocation` when the answer has no `Location`.
    pub async fn post(&self, path: &str, o: &Object) -> Result<(String, Object), ClientError> {
        let r = self.body_of(self.request(Method::POST, &self.url(path)), o);
        let (_, headers, body) = self.send(r).await?;
        let location = location(&headers)?;
        Ok((location, self.object(&body, o.object_type)?))
    }

    /// Enqueues the values of the data object body `o` to the queue at `path`.
    ///
    /// # Errors
    /// As [`Client::read`].
    pub async fn enqueue(&self, path: &str, o: &Object) -> Result<(), ClientError> {
        let r = self.body_of(self.request(Method::POST, &self.url(path)), o);
        self.send(r).await.map(|_| ())
    }

    /// Removes the values `first..=last` of the queue at `path`.
    ///
    /// # Errors
    /// As [`Client::read`].
    pub async fn dequeue(&self, path: &str, first: u64, last: u64) -> Result<(), ClientError> {
        let sep = self.dialect().assign();
        let url = format!("{}?values{sep}{first}-{last}", self.url(path));
        self.send(self.request(Method::DELETE, &url))
            .await
            .map(|_| ())
    }

    /// Deletes the object at `path` (a container with everything below it).
    ///
    /// # Errors
    /// As [`Client::read`].
    pub async fn delete(&self, path: &str) -> Result<(), ClientError> {
        self.send(self.request(Method::DELETE, &self.url(path)))
            .await
            .map(|_| ())
    }

    /// Writes a value with plain HTTP PUT: the whole value, or with `range` (first, last)
    /// the bytes at that place (`Content-Range`); the answer's status (201 created, 204
    /// replaced).
    ///
    /// # Errors
    /// As [`Client::read`].
    pub async fn put_value(
        &self,
        path: &str,
        bytes: Vec<u8>,
        mimetype: &str,
        range: Option<(u64, u64)>,
    ) -> Result<StatusCode, ClientError> {
        let mut r = self
            .http
            .put(self.url(path))
            .header(header::CONTENT_TYPE, mimetype);
        if let Some((a, z)) = range {
            r = r.header(header::CONTENT_RANGE, format!("bytes {a}-{z}/*"));
        }
        self.send(r.body(bytes)).await.map(|(s, _, _)| s)
    }

    /// POSTs plain bytes to a container (a data object the server names) or a queue: the
    /// `Location` (none for a queue).
    ///
    /// # Errors
    /// As [`Client::read`].
    pub async fn post_value(
        &self,
        path: &str,
        bytes: Vec<u8>,
        mimetype: &str,
    ) -> Result<Option<String>, ClientError> {
        let r = self
            .http
            .post(self.url(path))
            .header(header::CONTENT_TYPE, mimetype)
            .body(bytes);
        let (_, headers, _) = self.send(r).await?;
        Ok(location(&headers).ok())
    }

    /// Reads a value with plain HTTP GET, the bytes `first..=last` with `range`.
    ///
    /// # Errors
    /// As [`Client::read`] (416 is a `Status` error).
    pub async fn get_value(
        &self,
        path: &str,
        range: Option<(u64, u64)>,
    ) -> Result<ValueAnswer, ClientError> {
        let mut r = self.http.get(self.url(path));
        if let Some((a, z)) = range {
            r = r.header(header::RANGE, format!("bytes={a}-{z}"));
        }
        let (status, headers, bytes) = self.send(r).await?;
        let text = |h| {
            headers
                .get(h)
                .and_then(|v: &header::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        Ok(ValueAnswer {
            status,
            mimetype: text(header::CONTENT_TYPE),
            content_range: text(header::CONTENT_RANGE),
            bytes,
        })
    }

    /// Creates or updates the data object at `path` with a `multipart/mixed` PUT: `o` in the
    /// first part (without a value), `values` as binary parts (with `Content-Range` when
    /// `with_ranges`, of a value of `total` bytes).
    ///
    /// # Errors
    /// As [`Client::read`].
    pub async fn put_multipart(
        &self,
        path: &str,
        o: &Object,
        values: &[crate::multipart::ValuePart],
        total: u64,
        with_ranges: bool,
    ) -> Result<StatusCode, ClientError> {
        let (content_type, body) = crate::multipart::write(o, values, total, with_ranges);
        let mut r = self
            .request(Method::PUT, &self.url(path))
            .header(header::CONTENT_TYPE, content_type)
            .header(header::ACCEPT, o.object_type.media_type())
            .body(body);
        if self.partial {
            r = r.header(PARTIAL_HEADER, "true");
        }
        self.send(r).await.map(|(s, _, _)| s)
    }

    /// Reads the data object at `path` as `multipart/mixed`: the object, then its value (or
    /// the part `selection` selects) in binary.
    ///
    /// # Errors
    /// As [`Client::read`]; `Content` for an answer that is not such a body.
    pub async fn read_multipart(
        &self,
        path: &str,
        selection: Option<&Selection>,
    ) -> Result<crate::multipart::Multipart, ClientError> {
        let mut url = self.url(path);
        if let Some(s) = selection.filter(|s| !s.selectors.is_empty()) {
            url.push('?');
            url.push_str(&s.render(self.dialect()));
        }
        let r = self
            .request(Method::GET, &url)
            .header(header::ACCEPT, "multipart/mixed");
        let (_, headers, body) = self.send(r).await?;
        let ct = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        crate::multipart::read(
            &body,
            ct,
            ObjectType::DataObject,
            self.mode,
            &crate::object::Limits::default().with_max_body_bytes(self.max_answer_bytes),
        )
        .map_err(ClientError::Content)
    }

    /// Makes a container at `path` (ending in `/`) with plain HTTP (PUT without a body).
    ///
    /// # Errors
    /// As [`Client::read`].
    pub async fn make_container(&self, path: &str) -> Result<StatusCode, ClientError> {
        self.send(self.http.put(self.url(path)))
            .await
            .map(|(s, _, _)| s)
    }
}

fn location(h: &header::HeaderMap) -> Result<String, ClientError> {
    h.get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .ok_or(ClientError::NoLocation)
}
