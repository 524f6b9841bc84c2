//! How the server core stores an object: one JSON record per object ID, the value beside it,
//! one key per name in a container.
//!
//! | key | holds |
//! |---|---|
//! | `records/<ID>` | the [`Record`] (JSON) |
//! | `values/<ID>` | a data object's value |
//! | `queues/<ID>/<n>` | value `n` of a queue (20 digits, so keys sort in order) |
//! | `names/<parent ID>/<name>` | the ID of the child `name` (a container's ends in `/`) |

use super::storage::{Storage, StorageError, encode_segment};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

/// The object types the core stores (capabilities are served from the configuration; domains
/// are not kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    DataObject,
    Container,
    Queue,
}

impl Kind {
    pub(crate) const fn object_type(self) -> crate::ObjectType {
        match self {
            Self::DataObject => crate::ObjectType::DataObject,
            Self::Container => crate::ObjectType::Container,
            Self::Queue => crate::ObjectType::Queue,
        }
    }

    pub(crate) const fn acl_kind(self) -> crate::acl::Kind {
        match self {
            Self::Container => crate::acl::Kind::Container,
            _ => crate::acl::Kind::Object,
        }
    }
}

/// One value of a queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct QueueEntry {
    /// Its number (the key `queues/<ID>/<n>`).
    pub(crate) n: u64,
    pub(crate) mimetype: String,
    pub(crate) size: u64,
    /// `json` when it was enqueued as a JSON object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) encoding: Option<String>,
}

/// An object as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Record {
    /// The ID, base16.
    pub(crate) id: String,
    pub(crate) kind: Kind,
    /// `objectName` (a container's ends in `/`); none for objects made by ID only and the
    /// root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    /// The parent container's ID; none for the root and objects made by ID only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) parent: Option<String>,
    /// A data object's `mimetype`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) mimetype: Option<String>,
    /// A data object's `valuetransferencoding` as the client wrote it (`json` is kept so the
    /// value reads back as an object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) encoding: Option<String>,
    /// A data object's value size.
    #[serde(default)]
    pub(crate) size: u64,
    /// User and data-system metadata, in the client's order (`cdmi_acl` and the
    /// storage-system names are kept in their own fields).
    #[serde(default)]
    pub(crate) metadata: Vec<(String, Json)>,
    /// The ACL as JSON (`cdmi_acl`, hex form).
    pub(crate) acl: Json,
    pub(crate) owner: String,
    /// A container's `exports`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) exports: Option<Vec<(String, Json)>>,
    /// The URI a reference points to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) reference: Option<String>,
    /// `completionStatus` (`Processing` while `X-CDMI-Partial` updates go on).
    pub(crate) completion: String,
    pub(crate) ctime: String,
    pub(crate) mtime: String,
    #[serde(default)]
    pub(crate) mcount: u64,
    /// A queue's values, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) queue: Vec<QueueEntry>,
    /// The number the next enqueued value gets.
    #[serde(default)]
    pub(crate) queue_next: u64,
}

pub(crate) fn record_key(id: &str) -> String {
    format!("records/{id}")
}

pub(crate) fn value_key(id: &str) -> String {
    format!("values/{id}")
}

pub(crate) fn queue_key(id: &str, n: u64) -> String {
    format!("queues/{id}/{n:020}")
}

pub(crate) fn names_prefix(parent: &str) -> String {
    format!("names/{parent}")
}

pub(crate) fn name_key(parent: &str, name: &str) -> String {
    format!("names/{parent}/{}", encode_segment(name))
}

/// Reads the record of `id`.
pub(crate) async fn load<S: Storage>(s: &S, id: &str) -> Result<Option<Record>, StorageError> {
    let key = record_key(id);
    match s.get(&key).await? {
        None => Ok(None),
        Some(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| StorageError::Corrupt(key, e.to_string())),
    }
}

pub(crate) fn to_bytes(r: &Record) -> Vec<u8> {
    // A record is plain data: serialising it cannot fail.
    serde_json::to_vec(r).unwrap_or_default()
}

/// Writes the record (replacing it).
pub(crate) async fn store<S: Storage>(s: &S, r: &Record) -> Result<(), StorageError> {
    s.put(&record_key(&r.id), to_bytes(r)).await
}
