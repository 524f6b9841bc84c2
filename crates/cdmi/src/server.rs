//! A CDMI server core (feature `server`): the semantics of containers, data objects, queues,
//! object IDs, metadata, ACL checks, references and ranges over a [`Storage`] backend.
//!
//! [`Server::handle`] takes a request (an `http::Request` with its whole body) and the
//! [`Principal`] the front end authenticated, and returns the answer; an HTTP server (axum,
//! hyper, …) only moves bytes. Backends: [`MemoryStorage`]; [`fs::FsStorage`] (feature
//! `server-fs`), files below a directory; [`object_store::ObjectStoreStorage`] (feature
//! `server-object-store`), any store of the `object_store` crate (S3, Azure, GCS, local).
//!
//! What it does, by request (1.1.1 clauses 8–13, 2.0.0 likewise):
//!
//! | request | effect |
//! |---|---|
//! | GET, CDMI | the object, fields as selected (`?value:0-9;metadata:cdmi_` / `?value=0-9&…`); `children:a-b`; `values:a-b` of a queue |
//! | GET, plain | a data object's value, `Range` → 206/416 |
//! | PUT, CDMI | create, or update (value, `valuerange`, metadata, `cdmi_acl`, `cdmi_owner`, mimetype, exports); `copy`, `move`, `reference` |
//! | PUT, plain | create or replace a value (`Content-Range: bytes a-b/*` writes a part); `…/` without body creates a container |
//! | PATCH (2.x) | update, metadata merged (a `null` removes an item) |
//! | POST, CDMI or plain | to a container: a child named by its ID; to `cdmi_objectid/`: an object with no name; to a queue: enqueue. 201 + `Location` |
//! | DELETE | the object (a container with everything below it); `?values:a-b` dequeues |
//!
//! ACLs (`cdmi_acl`) are checked on every operation with [`Evaluator`]; the root container
//! gets [`Config::root_acl`], every new object the ACL its container passes on (or the
//! owner-only default); walking a path needs `TRAVERSE_CONTAINER` on each container passed
//! (switch it off with [`Config::check_traverse`]). Storage-system metadata (`cdmi_size`,
//! `cdmi_ctime`, `cdmi_mtime`, `cdmi_mcount`, `cdmi_owner`, `cdmi_acl`) is kept by the server;
//! `cdmi_atime` and `cdmi_acount` are not (each read would become a write).
//!
//! Consistency: each key is written atomically; a create binds its name with the backend's
//! create-if-absent, so two creates of one name cannot both succeed (409). Other updates are
//! read-modify-write of one record: of two concurrent updates of one object, the last wins.
//! A create writes the record before the name, a delete removes the name first: a crash leaves
//! at worst an unreachable record, never a name without its object.

#[cfg(feature = "server-fs")]
pub mod fs;
#[cfg(feature = "server-object-store")]
pub mod object_store;
mod record;
pub mod storage;
#[cfg(test)]
mod tests;

pub use storage::{MemoryStorage, Storage, StorageError};

use crate::acl::{Acl, Evaluator, Form, Mask, Requester, Target};
use crate::capabilities::{CAPABILITIES_SEGMENT, Capabilities};
use crate::http::{
    Address, Content, Endpoint, Head, Operation, Path, created_response, empty_response,
    error_response, object_response, redirect_response, value_response,
};
use crate::object::{
    Body, CompletionStatus, ContainerFields, DataObjectFields, Encoding, Id, Members, Mode, Object,
    Operation as DataOp, QueueFields, Value,
};
use crate::query::{Range, Selection, Selector};
use crate::time::Time;
use crate::{Error, ObjectId, ObjectType};
use ::http::{HeaderValue, Method, Request, Response, StatusCode, header};
use fedcloud_core::UtcTime;
use record::{Kind, QueueEntry, Record};
use serde_json::Value as Json;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Who sends a request, as the front end's authentication established it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Principal {
    /// The user name ACEs and `cdmi_owner` name.
    pub name: String,
    /// The groups of the user.
    pub groups: Vec<String>,
    /// Whether the request was authenticated.
    pub authenticated: bool,
    /// Administrative status (`ADMINISTRATOR@`).
    pub administrator: bool,
    /// Member of the administrative group (`ADMINUSERS@`).
    pub admin_user: bool,
}

impl Principal {
    /// An unauthenticated requester.
    #[must_use]
    pub fn anonymous() -> Self {
        Self {
            name: "anonymous".into(),
            ..Self::default()
        }
    }

    /// An authenticated user.
    #[must_use]
    pub fn user(name: &str) -> Self {
        Self {
            name: name.into(),
            authenticated: true,
            ..Self::default()
        }
    }
}

/// How a [`Server`] behaves, and its limits.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// The root, edition, mode and body limits of requests.
    pub endpoint: Endpoint,
    /// The IANA enterprise number of the IDs the server makes.
    pub enterprise: u32,
    /// The capabilities served below `cdmi_capabilities/`.
    pub capabilities: Capabilities,
    /// Whether ACLs are checked (default on).
    pub enforce_acls: bool,
    /// Whether walking a path needs `TRAVERSE_CONTAINER` on each container passed (default
    /// on).
    pub check_traverse: bool,
    /// The owner of the root container.
    pub root_owner: String,
    /// The ACL of the root container when the server makes it.
    pub root_acl: Acl,
    /// The largest value a data object may hold (default 64 MiB; more is 413).
    pub max_value_bytes: u64,
    /// The most children one answer lists (default 10,000; `childrenrange` says which).
    pub max_children: usize,
    /// The most objects one delete of a container removes (default 100,000; more is 400).
    pub max_tree_objects: usize,
    /// The most values a queue holds (default 100,000; more is 400).
    pub max_queue_values: usize,
    /// The most path segments a request walks and a parent chain holds (default 64).
    pub max_depth: usize,
    /// How `cdmi_acl` masks are written in answers.
    pub acl_form: Form,
    /// The clock (times of objects, ACE expiry).
    pub now: fn() -> Time,
}

impl Config {
    /// The defaults for `endpoint`, IDs of `enterprise` (the root owned by `administrator`
    /// with [`Acl::default_root`]).
    #[must_use]
    pub fn new(endpoint: Endpoint, enterprise: u32) -> Self {
        Self {
            endpoint,
            enterprise,
            capabilities: Capabilities::new(),
            enforce_acls: true,
            check_traverse: true,
            root_owner: "administrator".into(),
            root_acl: Acl::default_root(),
            max_value_bytes: 64 << 20,
            max_children: 10_000,
            max_tree_objects: 100_000,
            max_queue_values: 100_000,
            max_depth: 64,
            acl_form: Form::Hex,
            now: system_now,
        }
    }
}

/// The system clock as a CDMI [`Time`].
#[must_use]
pub fn system_now() -> Time {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
    Time::new(UtcTime::from_epoch(secs, d.subsec_nanos()).unwrap_or(UtcTime::UNIX_EPOCH))
}

/// Why a request failed.
enum Fail {
    /// Not a failure: an answer other than the usual one (a redirect).
    Answer(Box<Response<Vec<u8>>>),
    Cdmi(Error),
    Status(StatusCode, String),
    Storage(StorageError),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Self::Cdmi(e)
    }
}

impl From<StorageError> for Fail {
    fn from(e: StorageError) -> Self {
        Self::Storage(e)
    }
}

fn fail<T>(status: StatusCode, why: impl Into<String>) -> Result<T, Fail> {
    Err(Fail::Status(status, why.into()))
}

fn text_response(status: StatusCode, text: &str) -> Response<Vec<u8>> {
    let mut r = Response::new(format!("{text}\n").into_bytes());
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// Where a path led.
enum Walk {
    Found(Record),
    Missing { parent: Record, name: String },
    Redirect(String),
}

/// The CDMI server core over a storage backend.
#[derive(Debug)]
pub struct Server<S> {
    storage: S,
    config: Config,
    root: ObjectId,
    root_ready: AtomicBool,
    seed: u64,
    counter: AtomicU64,
}

impl<S: Storage> Server<S> {
    /// A server on `storage`. The root container is made on the first request if the
    /// storage has none.
    ///
    /// # Errors
    /// `ObjectIdEnterpriseZero` / `ObjectIdEnterpriseRange` for an enterprise number IDs
    /// cannot hold.
    pub fn new(storage: S, config: Config) -> Result<Self, Error> {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| {
                u64::try_from(d.as_nanos() & u128::from(u64::MAX)).unwrap_or(0)
            });
        let root = ObjectId::new(config.enterprise, b"cdmi-root")?;
        Ok(Self {
            storage,
            root,
            config,
            root_ready: AtomicBool::new(false),
            seed,
            counter: AtomicU64::new(0),
        })
    }

    /// The storage.
    pub const fn storage(&self) -> &S {
        &self.storage
    }

    /// The configuration.
    pub const fn config(&self) -> &Config {
        &self.config
    }

    /// The ID of the root container (the same for every server of one enterprise number).
    #[must_use]
    pub const fn root_id(&self) -> &ObjectId {
        &self.root
    }

    /// Answers one request of `who`.
    pub async fn handle(&self, who: &Principal, req: Request<Vec<u8>>) -> Response<Vec<u8>> {
        let (parts, body) = req.into_parts();
        let head = match self.config.endpoint.head(&parts) {
            Ok(h) => h,
            Err(e) => return error_response(&e),
        };
        let is_head = parts.method == Method::HEAD;
        let content_range = parts
            .headers
            .get(header::CONTENT_RANGE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let answer = match self.ensure_root().await {
            Ok(()) => {
                self.dispatch(who, &head, &body, content_range.as_deref())
                    .await
            }
            Err(e) => Err(e.into()),
        };
        let mut r = match answer {
            Ok(r) => r,
            Err(Fail::Answer(r)) => *r,
            Err(Fail::Cdmi(e)) => error_response(&e),
            Err(Fail::Status(s, why)) => text_response(s, &why),
            Err(Fail::Storage(e)) => {
                let status = if e == StorageError::Full {
                    StatusCode::INSUFFICIENT_STORAGE
                } else {
                    StatusCode::INTERNAL_SERVER_ERROR
                };
                text_response(status, &e.to_string())
            }
        };
        if is_head {
            let len = r.body().len();
            r.body_mut().clear();
            if let Ok(v) = HeaderValue::from_str(&len.to_string()) {
                r.headers_mut().insert(header::CONTENT_LENGTH, v);
            }
        }
        r
    }

    async fn ensure_root(&self) -> Result<(), StorageError> {
        if self.root_ready.load(Ordering::Acquire) {
            return Ok(());
        }
        let id = self.root.to_hex().as_str().to_owned();
        if record::load(&self.storage, &id).await?.is_none() {
            let now = self.now();
            let r = Record {
                id: id.clone(),
                kind: Kind::Container,
                name: None,
                parent: None,
                mimetype: None,
                encoding: None,
                size: 0,
                metadata: Vec::new(),
                acl: self
                    .config
                    .root_acl
                    .to_json(Form::Hex, crate::acl::Kind::Container),
                owner: self.config.root_owner.clone(),
                exports: None,
                reference: None,
                completion: "Complete".into(),
                ctime: now.clone(),
                mtime: now,
                mcount: 0,
                queue: Vec::new(),
                queue_next: 0,
            };
            // Another server on the same storage may have made it first: either is the root.
            self.storage
                .create(&record::record_key(&id), record::to_bytes(&r))
                .await?;
        }
        self.root_ready.store(true, Ordering::Release);
        Ok(())
    }

    fn now(&self) -> String {
        (self.config.now)().to_string()
    }

    fn new_id(&self) -> Result<String, Fail> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut opaque = [0u8; 16];
        opaque[..8].copy_from_slice(&self.seed.to_be_bytes());
        opaque[8..].copy_from_slice(&n.to_be_bytes());
        let id = ObjectId::new(self.config.enterprise, &opaque)?;
        Ok(id.to_hex().as_str().to_owned())
    }

    async fn dispatch(
        &self,
        who: &Principal,
        head: &Head,
        body: &[u8],
        content_range: Option<&str>,
    ) -> Result<Response<Vec<u8>>, Fail> {
        if let Address::Path(p) = &head.address
            && p.segments.first().map(String::as_str) == Some(CAPABILITIES_SEGMENT)
        {
            return self.capabilities(head, p);
        }
        let (operation, object) = match (&head.operation, &head.content) {
            (Operation::PutValue | Operation::PostValue, Some(Content::Other(ct)))
                if is_multipart(ct) =>
            {
                let o = self.multipart_object(who, head, body, ct).await?;
                let op = if head.operation == Operation::PutValue {
                    Operation::Put(ObjectType::DataObject)
                } else {
                    Operation::Post(ObjectType::DataObject)
                };
                (op, Some(o))
            }
            _ => (head.operation, head.read_body(body)?.map(|p| p.object)),
        };
        let wants_multipart = head.accept.other.iter().any(|t| t == "multipart/mixed");
        match operation {
            Operation::Read | Operation::ReadValue if wants_multipart => {
                let rec = self.find(who, &head.address).await?;
                if rec.kind != Kind::DataObject {
                    return fail(
                        StatusCode::NOT_ACCEPTABLE,
                        "multipart/mixed answers are for data objects",
                    );
                }
                self.read_multipart(who, head, &rec).await
            }
            Operation::Read => {
                let rec = self.find(who, &head.address).await?;
                self.read(who, head, &rec).await
            }
            Operation::ReadValue => {
                let rec = self.find(who, &head.address).await?;
                if rec.kind == Kind::DataObject {
                    self.read_value(who, head, &rec).await
                } else {
                    self.read(who, head, &rec).await
                }
            }
            Operation::Put(t) | Operation::Patch(t) => {
                let object = object.unwrap_or_else(|| Object::new(t));
                let merge = matches!(head.operation, Operation::Patch(_));
                let kind = stored_kind(t)?;
                match self.walk_address(who, &head.address).await? {
                    Walk::Redirect(to) => Ok(redirect_response(&to, head.version)),
                    Walk::Found(rec) if rec.kind != kind => fail(
                        StatusCode::CONFLICT,
                        format!("the object exists as a {}", rec.kind.object_type()),
                    ),
                    Walk::Found(rec) => self.update(who, head, rec, &object, merge).await,
                    Walk::Missing { .. } if merge => fail(
                        StatusCode::NOT_FOUND,
                        "PATCH of an object that does not exist",
                    ),
                    Walk::Missing { parent, name } => {
                        let made = self
                            .create(who, head, Some(&parent), Some(name), kind, &object, None)
                            .await?;
                        self.created(who, head, &made, false).await
                    }
                }
            }
            Operation::PutValue | Operation::PutContainer => {
                let kind = if head.operation == Operation::PutContainer {
                    Kind::Container
                } else {
                    Kind::DataObject
                };
                let mimetype = match &head.content {
                    Some(Content::Other(t)) => Some(t.clone()),
                    _ => None,
                };
                match self.walk_address(who, &head.address).await? {
                    Walk::Redirect(to) => Ok(redirect_response(&to, head.version)),
                    Walk::Found(rec) if rec.kind != kind => fail(
                        StatusCode::CONFLICT,
                        format!("the object exists as a {}", rec.kind.object_type()),
                    ),
                    Walk::Found(_) if kind == Kind::Container => {
                        Ok(empty_response(StatusCode::NO_CONTENT, head.version))
                    }
                    Walk::Found(rec) => {
                        self.put_value(who, head, rec, body, mimetype, content_range)
                            .await
                    }
                    Walk::Missing { parent, name } => {
                        let mut o = Object::new(kind.object_type());
                        if kind == Kind::DataObject {
                            o.body = plain_value(body, mimetype);
                        }
                        let made = self
                            .create(who, head, Some(&parent), Some(name), kind, &o, None)
                            .await?;
                        self.created(who, head, &made, false).await
                    }
                }
            }
            Operation::Post(t) => {
                let object = object.unwrap_or_else(|| Object::new(t));
                self.post(who, head, t, &object).await
            }
            Operation::PostValue => {
                let mimetype = match &head.content {
                    Some(Content::Other(t)) => Some(t.clone()),
                    _ => None,
                };
                let mut o = Object::new(ObjectType::DataObject);
                o.body = plain_value(body, mimetype);
                self.post(who, head, ObjectType::DataObject, &o).await
            }
            Operation::Delete { .. } => {
                let rec = self.find(who, &head.address).await?;
                self.delete(who, head, rec).await
            }
        }
    }

    /// A `multipart/mixed` PUT or POST as the data object body it stands for: the first
    /// part's object with the value the other parts make (placed into the present value when
    /// a PUT replaces parts of it; gaps are zeros).
    async fn multipart_object(
        &self,
        who: &Principal,
        head: &Head,
        body: &[u8],
        content_type: &str,
    ) -> Result<Object, Fail> {
        let endpoint = &self.config.endpoint;
        let m = crate::multipart::read(
            body,
            content_type,
            ObjectType::DataObject,
            endpoint.mode(),
            &endpoint.limits(),
        )?;
        let mut o = m.object.object;
        let mut next = 0;
        let contiguous = m.values.iter().all(|v| {
            let ok = v.range.first == next;
            next += v.bytes.len() as u64;
            ok
        });
        let mut value = Vec::new();
        if !contiguous
            && head.operation == Operation::PutValue
            && let Walk::Found(rec) = self.walk_address(who, &head.address).await?
            && rec.kind == Kind::DataObject
        {
            self.check(who, &rec, Mask::READ_OBJECT, "read it")?;
            value = self.value(&rec, 0..rec.size).await?;
        }
        for v in &m.values {
            if !v.bytes.is_empty() {
                splice(
                    &mut value,
                    Some(v.range),
                    &v.bytes,
                    self.config.max_value_bytes,
                )?;
            }
        }
        let Body::DataObject(d) = &mut o.body else {
            return fail(StatusCode::BAD_REQUEST, "the first part is no data object");
        };
        if d.value.is_some() {
            return fail(
                StatusCode::BAD_REQUEST,
                "the value is in the first part and in the others",
            );
        }
        if d.mimetype.is_none() {
            d.mimetype = m.values.first().and_then(|v| v.content_type.clone());
        }
        d.valuerange = None;
        d.valuetransferencoding = Some(Encoding::Base64);
        d.value = Some(Value::Text(base64_of(&value)));
        Ok(o)
    }

    /// A `multipart/mixed` answer: the object without its value, then the value (or the range
    /// `value:` selects) as binary.
    async fn read_multipart(
        &self,
        who: &Principal,
        head: &Head,
        rec: &Record,
    ) -> Result<Response<Vec<u8>>, Fail> {
        self.check(who, rec, Mask::READ_OBJECT, "read it")?;
        let mut o = self
            .object_of(who, rec, head.selection.as_ref(), false)
            .await?;
        let wanted = head.selection.as_ref().and_then(|s| {
            s.selectors.iter().find_map(|x| match x {
                Selector::Value(r) => Some(*r),
                _ => None,
            })
        });
        let range = match wanted {
            Some(r) => crate::value::clamp(r, rec.size),
            None if rec.size == 0 => None,
            None => Some(Range {
                first: 0,
                last: rec.size - 1,
            }),
        };
        let bytes = match range {
            Some(r) => self.value(rec, r.first..r.last + 1).await?,
            None => Vec::new(),
        };
        if let Body::DataObject(d) = &mut o.body {
            d.valuerange = range;
        }
        let part = crate::multipart::ValuePart {
            content_type: rec.mimetype.clone(),
            range: range.unwrap_or(Range { first: 0, last: 0 }),
            bytes,
        };
        let (content_type, body) =
            crate::multipart::write(&o, std::slice::from_ref(&part), rec.size, wanted.is_some());
        let mut r = Response::new(body);
        if let Ok(v) = HeaderValue::from_str(&content_type) {
            r.headers_mut().insert(header::CONTENT_TYPE, v);
        }
        if let Some(v) = head
            .version
            .filter(|v| !v.is_v2())
            .and_then(|v| HeaderValue::from_str(&v.to_string()).ok())
        {
            r.headers_mut().insert(crate::version::VERSION_HEADER, v);
        }
        Ok(r)
    }

    fn capabilities(&self, head: &Head, p: &Path) -> Result<Response<Vec<u8>>, Fail> {
        if head.operation != Operation::Read && head.operation != Operation::ReadValue {
            return fail(StatusCode::METHOD_NOT_ALLOWED, "capabilities are read-only");
        }
        let mut node = p.segments.get(1..).unwrap_or_default().join("/");
        if p.container && !node.is_empty() {
            node.push('/');
        }
        let root = self.config.endpoint.root();
        let Some(mut o) = self.config.capabilities.object(&node, root) else {
            return fail(StatusCode::NOT_FOUND, "no such capability object");
        };
        if let Some(sel) = &head.selection {
            select(&mut o, sel);
        }
        Ok(object_response(&o, head.version, StatusCode::OK))
    }

    // ----- finding objects -------------------------------------------------------------

    /// The object an address names (404 when it names none); a reference on the way is a
    /// redirect.
    async fn find(&self, who: &Principal, address: &Address) -> Result<Record, Fail> {
        match self.walk_address(who, address).await? {
            Walk::Found(r) => Ok(r),
            Walk::Redirect(to) => Err(Fail::Answer(Box::new(redirect_response(&to, None)))),
            Walk::Missing { parent, name } => {
                let other = match name.strip_suffix('/') {
                    Some(n) => n.to_owned(),
                    None => format!("{name}/"),
                };
                let hint = if self.lookup(&parent.id, &other).await?.is_some() {
                    format!("; {other:?} exists")
                } else {
                    String::new()
                };
                fail(StatusCode::NOT_FOUND, format!("no object {name:?}{hint}"))
            }
        }
    }

    async fn lookup(&self, parent: &str, name: &str) -> Result<Option<Record>, StorageError> {
        match self.storage.get(&record::name_key(parent, name)).await? {
            None => Ok(None),
            Some(id) => {
                let id = String::from_utf8_lossy(&id).into_owned();
                record::load(&self.storage, &id).await
            }
        }
    }

    async fn walk_address(&self, who: &Principal, address: &Address) -> Result<Walk, Fail> {
        let (start, path) = match address {
            Address::Path(p) => {
                let root = self.load_root().await?;
                (root, p.clone())
            }
            Address::Id { id, below } => {
                let Id::Valid(id) = id else {
                    return fail(StatusCode::NOT_FOUND, "no object has this malformed ID");
                };
                let Some(rec) = record::load(&self.storage, id.to_hex().as_str()).await? else {
                    return fail(StatusCode::NOT_FOUND, format!("no object has the ID {id}"));
                };
                (rec, below.clone())
            }
            Address::ObjectIds => {
                return fail(
                    StatusCode::FORBIDDEN,
                    "cdmi_objectid/ is not listed; POST to it creates an object",
                );
            }
        };
        self.walk(who, start, &path).await
    }

    async fn load_root(&self) -> Result<Record, Fail> {
        match record::load(&self.storage, self.root.to_hex().as_str()).await? {
            Some(r) => Ok(r),
            None => fail(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the root container is gone",
            ),
        }
    }

    async fn walk(&self, who: &Principal, start: Record, path: &Path) -> Result<Walk, Fail> {
        if path.segments.len() > self.config.max_depth {
            return fail(
                StatusCode::BAD_REQUEST,
                format!("the path is deeper than {} names", self.config.max_depth),
            );
        }
        let mut cur = start;
        let last = path.segments.len();
        for (i, seg) in path.segments.iter().enumerate() {
            if let Some(to) = &cur.reference {
                let rest = Path {
                    segments: path.segments.get(i..).unwrap_or_default().to_vec(),
                    container: path.container,
                };
                return Ok(Walk::Redirect(format!(
                    "{}/{rest}",
                    to.trim_end_matches('/')
                )));
            }
            if cur.kind != Kind::Container {
                return fail(
                    StatusCode::NOT_FOUND,
                    format!("{seg:?} is below a non-container"),
                );
            }
            if self.config.check_traverse {
                self.check(
                    who,
                    &cur,
                    Mask::TRAVERSE_CONTAINER,
                    "traverse this container",
                )?;
            }
            let name = if i + 1 < last || path.container {
                format!("{seg}/")
            } else {
                seg.clone()
            };
            match self.lookup(&cur.id, &name).await? {
                Some(next) => cur = next,
                None if i + 1 == last => return Ok(Walk::Missing { parent: cur, name }),
                None => return fail(StatusCode::NOT_FOUND, format!("no container {name:?}")),
            }
        }
        if let Some(to) = &cur.reference {
            return Ok(Walk::Redirect(to.clone()));
        }
        Ok(Walk::Found(cur))
    }

    /// The path of an object from the root, none when it or an ancestor has no name.
    async fn path_of(&self, rec: &Record) -> Result<Option<Path>, StorageError> {
        let mut segments = Vec::new();
        let container = rec.kind == Kind::Container;
        let mut cur = rec.clone();
        for _ in 0..=self.config.max_depth {
            let Some(parent) = cur.parent.clone() else {
                if cur.id == self.root.to_hex().as_str() {
                    segments.reverse();
                    return Ok(Some(Path {
                        segments,
                        container,
                    }));
                }
                return Ok(None);
            };
            let Some(name) = &cur.name else {
                return Ok(None);
            };
            segments.push(name.trim_end_matches('/').to_owned());
            match record::load(&self.storage, &parent).await? {
                Some(p) => cur = p,
                None => return Ok(None),
            }
        }
        Ok(None)
    }

    async fn uri_of(&self, rec: &Record) -> Result<String, StorageError> {
        let endpoint = &self.config.endpoint;
        Ok(match self.path_of(rec).await? {
            Some(p) => endpoint.uri(&Address::Path(p)),
            None => format!(
                "{}{}",
                endpoint.root(),
                id_of(rec).map_or_else(String::new, |id| id
                    .path(rec.kind == Kind::Container)
                    .trim_start_matches('/')
                    .to_owned())
            ),
        })
    }

    // ----- ACLs --------------------------------------------------------------------------

    fn allowed(&self, who: &Principal, rec: &Record, wanted: Mask) -> bool {
        if !self.config.enforce_acls {
            return true;
        }
        let acl = Acl::from_json(&rec.acl, Mode::Lenient).ok();
        let groups: Vec<&str> = who.groups.iter().map(String::as_str).collect();
        let requester = Requester {
            name: &who.name,
            groups: &groups,
            authenticated: who.authenticated,
            administrator: who.administrator,
            admin_user: who.admin_user,
        };
        let target = Target {
            owner: Some(&rec.owner),
            group: None,
            root_container: rec.parent.is_none() && rec.id == self.root.to_hex().as_str(),
        };
        let evaluator = Evaluator {
            now: Some((self.config.now)()),
            ..Evaluator::default()
        };
        evaluator
            .evaluate(acl.as_ref(), &requester, &target, wanted)
            .is_allowed()
    }

    fn check(&self, who: &Principal, rec: &Record, wanted: Mask, what: &str) -> Result<(), Fail> {
        if self.allowed(who, rec, wanted) {
            return Ok(());
        }
        let status = if who.authenticated {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::UNAUTHORIZED
        };
        let name = rec.name.as_deref().unwrap_or("the root container");
        fail(
            status,
            format!("the ACL of {name:?} does not let {:?} {what}", who.name),
        )
    }

    // ----- reading -----------------------------------------------------------------------

    async fn read(
        &self,
        who: &Principal,
        head: &Head,
        rec: &Record,
    ) -> Result<Response<Vec<u8>>, Fail> {
        let t = rec.kind.object_type();
        if !head.accept.allows(t) {
            return fail(
                StatusCode::NOT_ACCEPTABLE,
                format!("the object is a {t}, which Accept does not allow"),
            );
        }
        self.check(who, rec, Mask::READ_OBJECT, "read it")?;
        let o = self
            .object_of(who, rec, head.selection.as_ref(), true)
            .await?;
        Ok(object_response(&o, head.version, StatusCode::OK))
    }

    async fn read_value(
        &self,
        who: &Principal,
        head: &Head,
        rec: &Record,
    ) -> Result<Response<Vec<u8>>, Fail> {
        self.check(who, rec, Mask::READ_OBJECT, "read it")?;
        let bytes = self.value(rec, 0..rec.size).await?;
        let mimetype = rec
            .mimetype
            .as_deref()
            .unwrap_or("application/octet-stream");
        let mut r = value_response(&bytes, mimetype, head.range.as_ref());
        if let Some(v) = head
            .version
            .filter(|v| !v.is_v2())
            .and_then(|v| HeaderValue::from_str(&v.to_string()).ok())
        {
            r.headers_mut().insert(crate::version::VERSION_HEADER, v);
        }
        Ok(r)
    }

    async fn value(&self, rec: &Record, range: std::ops::Range<u64>) -> Result<Vec<u8>, Fail> {
        if range.end <= range.start {
            return Ok(Vec::new());
        }
        let key = record::value_key(&rec.id);
        let bytes = if range.start == 0 && range.end >= rec.size {
            self.storage.get(&key).await?
        } else {
            self.storage.get_range(&key, range).await?
        };
        Ok(bytes.unwrap_or_default())
    }

    /// The CDMI representation of a record, as `who` may see it, fields as selected.
    async fn object_of(
        &self,
        who: &Principal,
        rec: &Record,
        selection: Option<&Selection>,
        with_content: bool,
    ) -> Result<Object, Fail> {
        let t = rec.kind.object_type();
        let root = self.config.endpoint.root();
        let mut o = Object::new(t);
        o.declares_type = true;
        o.object_id = id_of(rec).map(Id::Valid);
        o.object_name.clone_from(&rec.name);
        if let Some(parent) = &rec.parent
            && let Some(p) = record::load(&self.storage, parent).await?
        {
            o.parent_uri = Some(self.uri_of(&p).await?);
            o.parent_id = id_of(&p).map(Id::Valid);
        }
        o.capabilities_uri = Some(Capabilities::uri_of(t, root));
        o.completion_status = Some(match rec.completion.as_str() {
            "Complete" => CompletionStatus::Complete,
            "Processing" => CompletionStatus::Processing,
            other => CompletionStatus::Error(other.to_owned()),
        });
        if self.allowed(who, rec, Mask::READ_METADATA) {
            let mut m = Members(rec.metadata.clone());
            if rec.kind == Kind::DataObject {
                m.insert("cdmi_size", rec.size.to_string());
            }
            m.insert("cdmi_ctime", rec.ctime.clone());
            m.insert("cdmi_mtime", rec.mtime.clone());
            m.insert("cdmi_mcount", rec.mcount.to_string());
            m.insert("cdmi_owner", rec.owner.clone());
            if self.allowed(who, rec, Mask::READ_ACL)
                && let Ok(acl) = Acl::from_json(&rec.acl, Mode::Lenient)
            {
                m.insert(
                    "cdmi_acl",
                    acl.to_json(self.config.acl_form, rec.kind.acl_kind()),
                );
            }
            if let Some(sel) = selection {
                let prefixes: Vec<&str> = sel
                    .selectors
                    .iter()
                    .filter_map(|s| match s {
                        Selector::Metadata(p) => Some(p.as_str()),
                        _ => None,
                    })
                    .collect();
                if !prefixes.is_empty() {
                    m.0.retain(|(n, _)| prefixes.iter().any(|p| n.starts_with(p)));
                }
            }
            o.metadata = Some(m);
        }
        let selected_range = |pick: fn(&Selector) -> Option<Range>| {
            selection.and_then(|s| s.selectors.iter().find_map(pick))
        };
        match rec.kind {
            Kind::DataObject => {
                let mut d = DataObjectFields {
                    mimetype: rec.mimetype.clone(),
                    ..DataObjectFields::default()
                };
                if with_content && selection.is_none_or(|s| s.selects("value")) {
                    let wanted = selected_range(|s| match s {
                        Selector::Value(r) => Some(*r),
                        _ => None,
                    });
                    let range = match wanted {
                        None if rec.size == 0 => None,
                        None => Some(Range {
                            first: 0,
                            last: rec.size - 1,
                        }),
                        Some(r) => crate::value::clamp(r, rec.size),
                    };
                    if rec.size > self.config.max_value_bytes {
                        return fail(
                            StatusCode::PAYLOAD_TOO_LARGE,
                            "the value is larger than a CDMI answer may hold; read it with plain HTTP",
                        );
                    }
                    let bytes = match range {
                        Some(r) => self.value(rec, r.first..r.last + 1).await?,
                        None => Vec::new(),
                    };
                    let (encoding, value) =
                        encode_value(&bytes, rec.encoding.as_deref(), wanted.is_some());
                    d.valuerange = range.or(Some(Range { first: 0, last: 0 }).filter(|_| false));
                    d.valuetransferencoding = Some(encoding);
                    d.value = Some(value);
                }
                o.body = Body::DataObject(d);
            }
            Kind::Container => {
                let mut c = ContainerFields {
                    exports: rec.exports.clone().map(Members),
                    ..ContainerFields::default()
                };
                if with_content && selection.is_none_or(|s| s.selects("children")) {
                    let names: Vec<String> = self
                        .storage
                        .list(&record::names_prefix(&rec.id))
                        .await?
                        .iter()
                        .filter_map(|s| storage::decode_segment(s))
                        .collect();
                    let count = names.len() as u64;
                    let wanted = selected_range(|s| match s {
                        Selector::Children(r) => Some(*r),
                        _ => None,
                    });
                    let mut range = match wanted {
                        None if count == 0 => None,
                        None => Some(Range {
                            first: 0,
                            last: count - 1,
                        }),
                        Some(r) => crate::value::clamp(r, count),
                    };
                    let max = self.config.max_children as u64;
                    if let Some(r) = &mut range
                        && r.count() > max
                    {
                        r.last = r.first + max.saturating_sub(1);
                    }
                    let children = match range {
                        Some(r) if max > 0 => names
                            .get(to_usize(r.first)..=to_usize(r.last))
                            .unwrap_or_default()
                            .to_vec(),
                        _ => Vec::new(),
                    };
                    c.childrenrange = range.filter(|_| max > 0);
                    c.children = Some(children);
                }
                o.body = Body::Container(c);
            }
            Kind::Queue => {
                let count = rec.queue.len() as u64;
                let mut q = QueueFields {
                    queue_values: (count > 0).then(|| Range {
                        first: 0,
                        last: count - 1,
                    }),
                    ..QueueFields::default()
                };
                let wanted = selected_range(|s| match s {
                    Selector::Values(r) => Some(*r),
                    _ => None,
                });
                if let Some(r) = wanted.and_then(|r| crate::value::clamp(r, count))
                    && with_content
                {
                    let entries = rec
                        .queue
                        .get(to_usize(r.first)..=to_usize(r.last))
                        .unwrap_or_default();
                    let (mut mts, mut ranges, mut encs, mut values) =
                        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
                    for e in entries {
                        let bytes = self
                            .storage
                            .get(&record::queue_key(&rec.id, e.n))
                            .await?
                            .unwrap_or_default();
                        let (enc, v) = encode_value(&bytes, e.encoding.as_deref(), false);
                        mts.push(e.mimetype.clone());
                        ranges.push(Range {
                            first: 0,
                            last: e.size.saturating_sub(1),
                        });
                        encs.push(enc);
                        values.push(v);
                    }
                    q.mimetype = Some(mts);
                    q.valuerange = Some(ranges);
                    q.valuetransferencoding = Some(encs);
                    q.value = Some(values);
                }
                o.body = Body::Queue(q);
            }
        }
        if let Some(sel) = selection {
            select(&mut o, sel);
        }
        Ok(o)
    }

    async fn created(
        &self,
        who: &Principal,
        head: &Head,
        rec: &Record,
        location: bool,
    ) -> Result<Response<Vec<u8>>, Fail> {
        let o = self.object_of(who, rec, None, false).await?;
        if location {
            let uri = self.uri_of(rec).await?;
            Ok(created_response(&o, &uri, head.version))
        } else {
            Ok(object_response(&o, head.version, StatusCode::CREATED))
        }
    }

    // ----- creating ------------------------------------------------------------------------

    // The parts of a create, each needed once; a struct for them would only be unpacked here.
    #[allow(clippy::too_many_arguments)]
    async fn create(
        &self,
        who: &Principal,
        head: &Head,
        parent: Option<&Record>,
        name: Option<String>,
        kind: Kind,
        body: &Object,
        preset_id: Option<String>,
    ) -> Result<Record, Fail> {
        let wanted = if kind == Kind::Container {
            Mask::ADD_SUBCONTAINER
        } else {
            Mask::ADD_OBJECT
        };
        let root;
        let guard = match parent {
            Some(p) => p,
            None => {
                root = self.load_root().await?;
                &root
            }
        };
        self.check(who, guard, wanted, "add to it")?;
        if let Some(n) = &name
            && n.ends_with('/') != (kind == Kind::Container)
        {
            return fail(
                StatusCode::BAD_REQUEST,
                format!(
                    "{n:?}: the URI of a container ends in /, that of a {} does not",
                    kind.object_type()
                ),
            );
        }
        if let (Some(p), Some(n)) = (parent, &name) {
            let other = match n.strip_suffix('/') {
                Some(plain) => plain.to_owned(),
                None => format!("{n}/"),
            };
            if self
                .storage
                .get(&record::name_key(&p.id, &other))
                .await?
                .is_some()
            {
                return fail(
                    StatusCode::CONFLICT,
                    format!("{other:?} exists beside the new {n:?}"),
                );
            }
        }
        if let Some((op, arg)) = &body.operation {
            match op {
                DataOp::Move => {
                    return self.move_into(who, head, parent, name, kind, arg).await;
                }
                DataOp::Copy | DataOp::Reference => {}
                _ => {
                    return fail(
                        StatusCode::NOT_IMPLEMENTED,
                        format!("{} is not supported by this server", op.member()),
                    );
                }
            }
        }
        let now = self.now();
        let inherited = Acl::from_json(&guard.acl, Mode::Lenient)
            .map(|a| a.inherited(kind.acl_kind()))
            .unwrap_or_default();
        let acl = if inherited.0.is_empty() {
            Acl::default_object()
        } else {
            inherited
        };
        let mut rec = Record {
            id: String::new(),
            kind,
            name: name.clone(),
            parent: parent.map(|p| p.id.clone()),
            mimetype: None,
            encoding: None,
            size: 0,
            metadata: Vec::new(),
            acl: acl.to_json(Form::Hex, kind.acl_kind()),
            owner: who.name.clone(),
            exports: None,
            reference: None,
            completion: if head.partial {
                "Processing"
            } else {
                "Complete"
            }
            .into(),
            ctime: now.clone(),
            mtime: now,
            mcount: 0,
            queue: Vec::new(),
            queue_next: 0,
        };
        let mut value: Option<Vec<u8>> = None;
        match &body.operation {
            Some((DataOp::Reference, uri)) => rec.reference = Some(uri.clone()),
            Some((DataOp::Copy, uri)) => {
                let source = self.source(who, uri).await?;
                if source.kind != kind {
                    return fail(
                        StatusCode::BAD_REQUEST,
                        format!(
                            "copy of a {} into a {}",
                            source.kind.object_type(),
                            kind.object_type()
                        ),
                    );
                }
                self.check(who, &source, Mask::READ_OBJECT, "copy it")?;
                if kind != Kind::DataObject {
                    return fail(
                        StatusCode::NOT_IMPLEMENTED,
                        "this server copies data objects only",
                    );
                }
                rec.mimetype.clone_from(&source.mimetype);
                rec.encoding.clone_from(&source.encoding);
                rec.metadata.clone_from(&source.metadata);
                value = Some(self.value(&source, 0..source.size).await?);
            }
            _ => {}
        }
        self.apply_metadata(who, &mut rec, body, false, true)?;
        match &body.body {
            Body::DataObject(d) if kind == Kind::DataObject => {
                if d.mimetype.is_some() {
                    rec.mimetype.clone_from(&d.mimetype);
                }
                if let Some(v) = &d.value {
                    let encoding = d.valuetransferencoding.unwrap_or(Encoding::Utf8);
                    let bytes = crate::value::decode(v, encoding)?;
                    let mut out = value.take().unwrap_or_default();
                    splice(&mut out, d.valuerange, &bytes, self.config.max_value_bytes)?;
                    rec.encoding = Some(encoding.as_str().to_owned());
                    value = Some(out);
                }
                if rec.mimetype.is_none() && rec.reference.is_none() {
                    rec.mimetype = Some("text/plain".into());
                }
            }
            Body::Container(c) if kind == Kind::Container => {
                rec.exports = c.exports.clone().map(|m| m.0);
            }
            _ => {}
        }
        if let Some(v) = &value {
            rec.size = v.len() as u64;
        }
        // The record first (under a fresh ID), the value, then the name.
        // An object named by its ID (a POST to a container) cannot retry under another ID.
        let named_by_id = preset_id.is_some();
        let mut preset_id = preset_id;
        for _ in 0..4 {
            rec.id = match preset_id.take() {
                Some(id) => id,
                None if named_by_id => {
                    return fail(
                        StatusCode::CONFLICT,
                        "the ID the object is named by is taken",
                    );
                }
                None => self.new_id()?,
            };
            if self
                .storage
                .create(&record::record_key(&rec.id), record::to_bytes(&rec))
                .await?
            {
                break;
            }
            rec.id.clear();
        }
        if rec.id.is_empty() {
            return fail(StatusCode::INTERNAL_SERVER_ERROR, "no fresh object ID");
        }
        if let Some(v) = value {
            self.storage.put(&record::value_key(&rec.id), v).await?;
        }
        if let (Some(p), Some(n)) = (parent, &name) {
            let bound = self
                .storage
                .create(&record::name_key(&p.id, n), rec.id.clone().into_bytes())
                .await?;
            if !bound {
                self.remove_object(&rec).await?;
                return fail(StatusCode::CONFLICT, format!("{n:?} exists"));
            }
        }
        Ok(rec)
    }

    /// The object a `copy`/`move` URI names (a path, or a full URL on this server).
    async fn source(&self, who: &Principal, uri: &str) -> Result<Record, Fail> {
        let path = match uri.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| rest.get(i..).unwrap_or("/")),
            None => uri,
        };
        let path = path.split('?').next().unwrap_or(path);
        let address = self.config.endpoint.address(path)?;
        match self.walk_address(who, &address).await? {
            Walk::Found(r) => Ok(r),
            _ => fail(
                StatusCode::BAD_REQUEST,
                format!("the source {uri:?} names no object"),
            ),
        }
    }

    async fn move_into(
        &self,
        who: &Principal,
        head: &Head,
        parent: Option<&Record>,
        name: Option<String>,
        kind: Kind,
        uri: &str,
    ) -> Result<Record, Fail> {
        let mut source = self.source(who, uri).await?;
        if source.kind != kind {
            return fail(
                StatusCode::BAD_REQUEST,
                "move of an object into another type",
            );
        }
        if source.id == self.root.to_hex().as_str() {
            return fail(StatusCode::BAD_REQUEST, "the root container cannot move");
        }
        self.check_delete(who, &source).await?;
        if let Some(p) = parent {
            // A container may not move below itself.
            let mut cur = Some(p.clone());
            for _ in 0..=self.config.max_depth {
                let Some(c) = cur else { break };
                if c.id == source.id {
                    return fail(
                        StatusCode::BAD_REQUEST,
                        "a container cannot move below itself",
                    );
                }
                cur = match &c.parent {
                    Some(pid) => record::load(&self.storage, pid).await?,
                    None => None,
                };
            }
        }
        if let (Some(p), Some(n)) = (parent, &name)
            && !self
                .storage
                .create(&record::name_key(&p.id, n), source.id.clone().into_bytes())
                .await?
        {
            return fail(StatusCode::CONFLICT, format!("{n:?} exists"));
        }
        if let (Some(old_parent), Some(old_name)) = (&source.parent, &source.name) {
            self.storage
                .delete(&record::name_key(old_parent, old_name))
                .await?;
        }
        source.parent = parent.map(|p| p.id.clone());
        source.name = name;
        source.mtime = self.now();
        source.completion = if head.partial {
            "Processing"
        } else {
            "Complete"
        }
        .into();
        record::store(&self.storage, &source).await?;
        Ok(source)
    }

    async fn post(
        &self,
        who: &Principal,
        head: &Head,
        t: ObjectType,
        body: &Object,
    ) -> Result<Response<Vec<u8>>, Fail> {
        if matches!(head.address, Address::ObjectIds) {
            let made = self
                .create(who, head, None, None, stored_kind(t)?, body, None)
                .await?;
            return self.created(who, head, &made, true).await;
        }
        let target = match self.walk_address(who, &head.address).await? {
            Walk::Found(r) => r,
            Walk::Redirect(to) => return Ok(redirect_response(&to, head.version)),
            Walk::Missing { name, .. } => {
                return fail(StatusCode::NOT_FOUND, format!("no object {name:?}"));
            }
        };
        match target.kind {
            Kind::Queue if t == ObjectType::DataObject => {
                self.enqueue(who, head, target, body).await
            }
            Kind::Container => {
                let kind = stored_kind(t)?;
                // The server names the new object: its ID (2.0.0 "create by POST").
                let id = self.new_id()?;
                let name = if kind == Kind::Container {
                    format!("{id}/")
                } else {
                    id.clone()
                };
                let made = self
                    .create(who, head, Some(&target), Some(name), kind, body, Some(id))
                    .await?;
                self.created(who, head, &made, true).await
            }
            _ => fail(
                StatusCode::BAD_REQUEST,
                "POST goes to a container, a queue or cdmi_objectid/",
            ),
        }
    }

    async fn enqueue(
        &self,
        who: &Principal,
        head: &Head,
        mut queue: Record,
        body: &Object,
    ) -> Result<Response<Vec<u8>>, Fail> {
        self.check(who, &queue, Mask::WRITE_OBJECT, "enqueue")?;
        let Body::DataObject(d) = &body.body else {
            return fail(StatusCode::BAD_REQUEST, "enqueue takes a data object body");
        };
        let mut items: Vec<(String, Encoding, &Value)> = Vec::new();
        if let Some(b) = &d.batch {
            let values = b.value.as_deref().unwrap_or_default();
            for (i, v) in values.iter().enumerate() {
                let mt = b
                    .mimetype
                    .as_ref()
                    .and_then(|m| m.get(i).cloned())
                    .unwrap_or_else(|| "text/plain".into());
                let enc = b
                    .valuetransferencoding
                    .as_ref()
                    .and_then(|e| e.get(i).copied())
                    .unwrap_or(Encoding::Utf8);
                items.push((mt, enc, v));
            }
        } else if let Some(v) = &d.value {
            items.push((
                d.mimetype.clone().unwrap_or_else(|| "text/plain".into()),
                d.valuetransferencoding.unwrap_or(Encoding::Utf8),
                v,
            ));
        }
        if queue.queue.len() + items.len() > self.config.max_queue_values {
            return fail(
                StatusCode::BAD_REQUEST,
                format!(
                    "the queue holds at most {} values",
                    self.config.max_queue_values
                ),
            );
        }
        for (mimetype, enc, v) in items {
            let bytes = crate::value::decode(v, enc)?;
            if bytes.len() as u64 > self.config.max_value_bytes {
                return fail(StatusCode::PAYLOAD_TOO_LARGE, "the value is too large");
            }
            let n = queue.queue_next;
            queue.queue_next += 1;
            queue.queue.push(QueueEntry {
                n,
                mimetype,
                size: bytes.len() as u64,
                encoding: (enc == Encoding::Json).then(|| "json".to_owned()),
            });
            self.storage
                .put(&record::queue_key(&queue.id, n), bytes)
                .await?;
        }
        queue.mtime = self.now();
        queue.mcount += 1;
        record::store(&self.storage, &queue).await?;
        Ok(empty_response(StatusCode::NO_CONTENT, head.version))
    }

    // ----- updating ----------------------------------------------------------------------

    /// Metadata of a body into a record: user and data-system items, `cdmi_acl` and
    /// `cdmi_owner`; the server's own items are ignored. `merge` (PATCH) keeps the other
    /// items and removes those set to `null`; otherwise the body's metadata replaces the
    /// record's.
    fn apply_metadata(
        &self,
        who: &Principal,
        rec: &mut Record,
        body: &Object,
        merge: bool,
        creating: bool,
    ) -> Result<bool, Fail> {
        let Some(m) = &body.metadata else {
            return Ok(false);
        };
        if !creating {
            self.check(who, rec, Mask::WRITE_METADATA, "change its metadata")?;
        }
        let mut user: Vec<(String, Json)> = if merge {
            rec.metadata.clone()
        } else {
            Vec::new()
        };
        for (name, value) in &m.0 {
            match name.as_str() {
                "cdmi_acl" => {
                    if !creating {
                        self.check(who, rec, Mask::WRITE_ACL, "change its ACL")?;
                    }
                    let acl = Acl::from_json(value, self.config.endpoint.mode())?;
                    rec.acl = acl.to_json(Form::Hex, rec.kind.acl_kind());
                }
                "cdmi_owner" => {
                    let Some(owner) = value.as_str() else {
                        return fail(StatusCode::BAD_REQUEST, "cdmi_owner is a string");
                    };
                    if owner != rec.owner {
                        self.check(who, rec, Mask::WRITE_OWNER, "change its owner")?;
                        rec.owner = owner.to_owned();
                    }
                }
                "cdmi_size" | "cdmi_ctime" | "cdmi_atime" | "cdmi_mtime" | "cdmi_acount"
                | "cdmi_mcount" => {}
                _ if value.is_null() && merge => user.retain(|(n, _)| n != name),
                _ => match user.iter_mut().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = value.clone(),
                    None => user.push((name.clone(), value.clone())),
                },
            }
        }
        rec.metadata = user;
        Ok(true)
    }

    async fn update(
        &self,
        who: &Principal,
        head: &Head,
        mut rec: Record,
        body: &Object,
        merge: bool,
    ) -> Result<Response<Vec<u8>>, Fail> {
        let mut new_value = None;
        match &body.operation {
            None => {}
            Some((DataOp::Copy, uri)) if rec.kind == Kind::DataObject => {
                let source = self.source(who, uri).await?;
                if source.kind != Kind::DataObject {
                    return fail(StatusCode::BAD_REQUEST, "copy of a non-data object");
                }
                self.check(who, &source, Mask::READ_OBJECT, "copy it")?;
                self.check(who, &rec, Mask::WRITE_OBJECT, "write it")?;
                rec.mimetype.clone_from(&source.mimetype);
                rec.encoding.clone_from(&source.encoding);
                if body.metadata.is_none() {
                    rec.metadata.clone_from(&source.metadata);
                }
                new_value = Some(self.value(&source, 0..source.size).await?);
            }
            Some((op, _)) => {
                return fail(
                    StatusCode::NOT_IMPLEMENTED,
                    format!(
                        "{} in an update is not supported by this server",
                        op.member()
                    ),
                );
            }
        }
        self.apply_metadata(who, &mut rec, body, merge, false)?;
        match &body.body {
            Body::DataObject(d) => {
                if let Some(v) = &d.value {
                    self.check(who, &rec, Mask::WRITE_OBJECT, "write it")?;
                    let encoding = d.valuetransferencoding.unwrap_or(Encoding::Utf8);
                    let bytes = crate::value::decode(v, encoding)?;
                    let selected = head.selection.as_ref().and_then(|s| {
                        s.selectors.iter().find_map(|x| match x {
                            Selector::Value(r) => Some(*r),
                            _ => None,
                        })
                    });
                    let range = d.valuerange.or(selected);
                    let mut out = match range {
                        Some(_) => self.value(&rec, 0..rec.size).await?,
                        None => Vec::new(),
                    };
                    splice(&mut out, range, &bytes, self.config.max_value_bytes)?;
                    rec.encoding = Some(encoding.as_str().to_owned());
                    new_value = Some(out);
                }
                if let Some(mt) = &d.mimetype {
                    self.check(who, &rec, Mask::WRITE_ATTRIBUTES, "change its mimetype")?;
                    rec.mimetype = Some(mt.clone());
                }
            }
            Body::Container(c) => {
                if let Some(e) = &c.exports {
                    self.check(who, &rec, Mask::WRITE_METADATA, "change its exports")?;
                    rec.exports = Some(e.0.clone());
                }
            }
            _ => {}
        }
        if let Some(v) = new_value {
            rec.size = v.len() as u64;
            self.storage.put(&record::value_key(&rec.id), v).await?;
        }
        rec.completion = if head.partial {
            "Processing"
        } else {
            "Complete"
        }
        .into();
        rec.mtime = self.now();
        rec.mcount += 1;
        record::store(&self.storage, &rec).await?;
        Ok(empty_response(StatusCode::NO_CONTENT, head.version))
    }

    async fn put_value(
        &self,
        who: &Principal,
        head: &Head,
        mut rec: Record,
        body: &[u8],
        mimetype: Option<String>,
        content_range: Option<&str>,
    ) -> Result<Response<Vec<u8>>, Fail> {
        self.check(who, &rec, Mask::WRITE_OBJECT, "write it")?;
        let range = match content_range {
            None => None,
            Some(cr) => Some(parse_content_range(cr, body.len())?),
        };
        let mut out = match range {
            Some(_) => self.value(&rec, 0..rec.size).await?,
            None => Vec::new(),
        };
        splice(&mut out, range, body, self.config.max_value_bytes)?;
        if mimetype.is_some() {
            rec.mimetype = mimetype;
        }
        rec.encoding = None;
        rec.size = out.len() as u64;
        self.storage.put(&record::value_key(&rec.id), out).await?;
        rec.completion = if head.partial {
            "Processing"
        } else {
            "Complete"
        }
        .into();
        rec.mtime = self.now();
        rec.mcount += 1;
        record::store(&self.storage, &rec).await?;
        Ok(empty_response(StatusCode::NO_CONTENT, head.version))
    }

    // ----- deleting ----------------------------------------------------------------------

    /// Deleting needs `DELETE` on the object or `DELETE_OBJECT` / `DELETE_SUBCONTAINER` on
    /// its container.
    async fn check_delete(&self, who: &Principal, rec: &Record) -> Result<(), Fail> {
        if self.allowed(who, rec, Mask::DELETE) {
            return Ok(());
        }
        if let Some(p) = &rec.parent
            && let Some(parent) = record::load(&self.storage, p).await?
            && self.allowed(who, &parent, Mask::DELETE_OBJECT)
        {
            return Ok(());
        }
        self.check(who, rec, Mask::DELETE, "delete it")
    }

    async fn delete(
        &self,
        who: &Principal,
        head: &Head,
        mut rec: Record,
    ) -> Result<Response<Vec<u8>>, Fail> {
        let dequeue = head.selection.as_ref().and_then(|s| {
            s.selectors.iter().find_map(|x| match x {
                Selector::Values(r) => Some(*r),
                _ => None,
            })
        });
        if let Some(r) = dequeue {
            if rec.kind != Kind::Queue {
                return fail(StatusCode::BAD_REQUEST, "values: selects values of a queue");
            }
            self.check(who, &rec, Mask::WRITE_OBJECT, "dequeue")?;
            let count = rec.queue.len() as u64;
            if let Some(r) = crate::value::clamp(r, count) {
                let gone: Vec<QueueEntry> = rec
                    .queue
                    .drain(to_usize(r.first)..=to_usize(r.last))
                    .collect();
                for e in gone {
                    self.storage
                        .delete(&record::queue_key(&rec.id, e.n))
                        .await?;
                }
                rec.mtime = self.now();
                rec.mcount += 1;
                record::store(&self.storage, &rec).await?;
            }
            return Ok(empty_response(StatusCode::NO_CONTENT, head.version));
        }
        if rec.id == self.root.to_hex().as_str() {
            return fail(
                StatusCode::FORBIDDEN,
                "the root container cannot be deleted",
            );
        }
        self.check_delete(who, &rec).await?;
        // Everything below a container, bounded, before anything is removed.
        let mut tree = vec![rec.clone()];
        let mut i = 0;
        while let Some(r) = tree.get(i).cloned() {
            i += 1;
            if r.kind != Kind::Container || r.reference.is_some() {
                continue;
            }
            for child in self.storage.list(&record::names_prefix(&r.id)).await? {
                if tree.len() >= self.config.max_tree_objects {
                    return fail(
                        StatusCode::BAD_REQUEST,
                        format!(
                            "the container holds more than {} objects to delete",
                            self.config.max_tree_objects
                        ),
                    );
                }
                if let Some(id) = self
                    .storage
                    .get(&format!("{}/{child}", record::names_prefix(&r.id)))
                    .await?
                    && let Some(c) =
                        record::load(&self.storage, &String::from_utf8_lossy(&id)).await?
                {
                    tree.push(c);
                }
            }
        }
        // The name first: the tree is unreachable at once.
        if let (Some(p), Some(n)) = (&rec.parent, &rec.name) {
            self.storage.delete(&record::name_key(p, n)).await?;
        }
        for r in tree.iter().rev() {
            if r.kind == Kind::Container {
                for child in self.storage.list(&record::names_prefix(&r.id)).await? {
                    self.storage
                        .delete(&format!("{}/{child}", record::names_prefix(&r.id)))
                        .await?;
                }
            }
            self.remove_object(r).await?;
        }
        Ok(empty_response(StatusCode::NO_CONTENT, head.version))
    }

    async fn remove_object(&self, r: &Record) -> Result<(), StorageError> {
        self.storage.delete(&record::value_key(&r.id)).await?;
        for e in &r.queue {
            self.storage.delete(&record::queue_key(&r.id, e.n)).await?;
        }
        self.storage.delete(&record::record_key(&r.id)).await
    }
}

fn is_multipart(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|e| e.trim().eq_ignore_ascii_case("multipart/mixed"))
}

fn id_of(rec: &Record) -> Option<ObjectId> {
    rec.id.parse().ok()
}

fn to_usize(v: u64) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

fn stored_kind(t: ObjectType) -> Result<Kind, Fail> {
    match t {
        ObjectType::DataObject => Ok(Kind::DataObject),
        ObjectType::Container => Ok(Kind::Container),
        ObjectType::Queue => Ok(Kind::Queue),
        ObjectType::Capability => fail(
            StatusCode::BAD_REQUEST,
            "capability objects are the server's; clients do not create them",
        ),
        ObjectType::Domain => fail(
            StatusCode::NOT_IMPLEMENTED,
            "domains are not supported by this server",
        ),
    }
}

/// A plain-HTTP value as a data object body.
fn plain_value(bytes: &[u8], mimetype: Option<String>) -> Body {
    Body::DataObject(DataObjectFields {
        mimetype: Some(mimetype.unwrap_or_else(|| "application/octet-stream".into())),
        valuetransferencoding: Some(Encoding::Base64),
        value: Some(Value::Text(base64_of(bytes))),
        ..DataObjectFields::default()
    })
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// How a stored value is sent: as JSON for the `json` encoding (when it still is an object),
/// as text when it is UTF-8 and was not written as base64 … unless only a part is sent, which
/// may cut a character; base64 otherwise.
fn encode_value(bytes: &[u8], stored: Option<&str>, part: bool) -> (Encoding, Value) {
    if stored == Some("json")
        && !part
        && let Ok(Json::Object(o)) = serde_json::from_slice(bytes)
    {
        return (Encoding::Json, Value::Json(o));
    }
    if stored != Some("base64")
        && let Ok(s) = std::str::from_utf8(bytes)
    {
        return (Encoding::Utf8, Value::Text(s.to_owned()));
    }
    (Encoding::Base64, Value::Text(base64_of(bytes)))
}

/// Writes `bytes` into `value` at `range` (the whole value when none): the range must hold
/// exactly the bytes; writing past the end grows the value, a gap is filled with zeros.
fn splice(value: &mut Vec<u8>, range: Option<Range>, bytes: &[u8], max: u64) -> Result<(), Fail> {
    let Some(r) = range else {
        if bytes.len() as u64 > max {
            return fail(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("values hold at most {max} bytes"),
            );
        }
        value.clear();
        value.extend_from_slice(bytes);
        return Ok(());
    };
    if r.count() != bytes.len() as u64 {
        return fail(
            StatusCode::BAD_REQUEST,
            format!(
                "valuerange {r} holds {} bytes, the value {}",
                r.count(),
                bytes.len()
            ),
        );
    }
    if r.last >= max {
        return fail(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("values hold at most {max} bytes"),
        );
    }
    let (a, z) = (to_usize(r.first), to_usize(r.last) + 1);
    if value.len() < z {
        value.resize(z, 0);
    }
    if let Some(dst) = value.get_mut(a..z) {
        dst.copy_from_slice(bytes);
    }
    Ok(())
}

/// `Content-Range: bytes a-b/len` or `bytes a-b/*` of a plain PUT.
fn parse_content_range(s: &str, body: usize) -> Result<Range, Fail> {
    let bad = || {
        fail(
            StatusCode::BAD_REQUEST,
            "Content-Range is not bytes first-last/length or bytes first-last/*",
        )
    };
    let Some(rest) = s.trim().strip_prefix("bytes ") else {
        return bad();
    };
    let Some((span, _len)) = rest.split_once('/') else {
        return bad();
    };
    let Ok(r) = Range::parse(span.trim(), false) else {
        return bad();
    };
    if r.count() != body as u64 {
        return fail(
            StatusCode::BAD_REQUEST,
            format!(
                "Content-Range {r} holds {} bytes, the body {body}",
                r.count()
            ),
        );
    }
    Ok(r)
}

/// Removes the fields a selection does not name.
fn select(o: &mut Object, sel: &Selection) {
    let keep = |n: &str| sel.selects(n);
    o.declares_type = keep("objectType");
    if !keep("objectID") {
        o.object_id = None;
    }
    if !keep("objectName") {
        o.object_name = None;
    }
    if !keep("parentURI") {
        o.parent_uri = None;
    }
    if !keep("parentID") {
        o.parent_id = None;
    }
    if !keep("domainURI") {
        o.domain_uri = None;
    }
    if !keep("capabilitiesURI") {
        o.capabilities_uri = None;
    }
    if !keep("completionStatus") {
        o.completion_status = None;
    }
    if !keep("percentComplete") {
        o.percent_complete = None;
    }
    if !keep("metadata") {
        o.metadata = None;
    }
    match &mut o.body {
        Body::DataObject(d) => {
            if !keep("mimetype") {
                d.mimetype = None;
            }
            if !keep("valuerange") && !keep("value") {
                d.valuerange = None;
            }
            if !keep("valuetransferencoding") && !keep("value") {
                d.valuetransferencoding = None;
            }
            if !keep("value") {
                d.value = None;
            }
        }
        Body::Container(c) => {
            if !keep("exports") {
                c.exports = None;
            }
            if !keep("childrenrange") && !keep("children") {
                c.childrenrange = None;
            }
            if !keep("children") {
                c.children = None;
            }
        }
        Body::Capability(c) => {
            if !keep("capabilities") {
                c.capabilities = None;
            }
            if !keep("childrenrange") && !keep("children") {
                c.childrenrange = None;
            }
            if !keep("children") {
                c.children = None;
            }
        }
        Body::Queue(q) => {
            if !keep("queueValues") {
                q.queue_values = None;
            }
        }
        Body::Domain(_) => {}
    }
}
