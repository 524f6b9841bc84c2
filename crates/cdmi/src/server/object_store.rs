//! [`ObjectStoreStorage`]: the server on any store of the `object_store` crate (feature
//! `server-object-store`): S3 and S3-compatible stores, Azure Blob, Google Cloud Storage,
//! WebDAV-like HTTP stores, local files, memory.
//!
//! A create is a put with `PutMode::Create` (conditional put: S3 with `If-None-Match`, Azure,
//! GCS and local files support it; a store that does not answers `NotImplemented`, reported
//! as a backend error). Listing is `list_with_delimiter` below the prefix.

use super::storage::{Storage, StorageError};
use object_store::path::Path;
use object_store::{
    Error as OsError, GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutMode, PutOptions,
    PutPayload,
};
use std::ops::Range;
use std::sync::Arc;

/// A [`Storage`] on an `object_store` store, keys below an optional prefix.
#[derive(Debug, Clone)]
pub struct ObjectStoreStorage {
    store: Arc<dyn ObjectStore>,
    prefix: String,
}

impl ObjectStoreStorage {
    /// The server's keys in `store`, below `prefix` (`""` for none; no leading or trailing
    /// `/`).
    #[must_use]
    pub fn new(store: Arc<dyn ObjectStore>, prefix: &str) -> Self {
        Self {
            store,
            prefix: prefix.trim_matches('/').to_owned(),
        }
    }

    fn path(&self, key: &str) -> Result<Path, StorageError> {
        let full = if self.prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{}/{key}", self.prefix)
        };
        Path::parse(&full).map_err(|_| StorageError::Key(key.to_owned()))
    }
}

fn backend(e: &OsError) -> StorageError {
    StorageError::Backend(e.to_string())
}

impl Storage for ObjectStoreStorage {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        let p = self.path(key)?;
        match self.store.get_opts(&p, GetOptions::default()).await {
            Ok(r) => Ok(Some(r.bytes().await.map_err(|e| backend(&e))?.to_vec())),
            Err(OsError::NotFound { .. }) => Ok(None),
            Err(e) => Err(backend(&e)),
        }
    }

    async fn get_range(
        &self,
        key: &str,
        range: Range<u64>,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        if range.end <= range.start {
            return Ok(self.get(key).await?.map(|_| Vec::new()));
        }
        let p = self.path(key)?;
        let options = GetOptions {
            range: Some(GetRange::Bounded(range)),
            ..GetOptions::default()
        };
        match self.store.get_opts(&p, options).await {
            Ok(r) => Ok(Some(r.bytes().await.map_err(|e| backend(&e))?.to_vec())),
            Err(OsError::NotFound { .. }) => Ok(None),
            // A range starting at or after the end.
            Err(OsError::Generic { .. }) => Ok(self.get(key).await?.map(|_| Vec::new())),
            Err(e) => Err(backend(&e)),
        }
    }

    async fn put(&self, key: &str, value: Vec<u8>) -> Result<(), StorageError> {
        let p = self.path(key)?;
        self.store
            .put_opts(&p, PutPayload::from(value), PutOptions::default())
            .await
            .map(|_| ())
            .map_err(|e| backend(&e))
    }

    async fn create(&self, key: &str, value: Vec<u8>) -> Result<bool, StorageError> {
        let p = self.path(key)?;
        let options = PutOptions {
            mode: PutMode::Create,
            ..PutOptions::default()
        };
        match self
            .store
            .put_opts(&p, PutPayload::from(value), options)
            .await
        {
            Ok(_) => Ok(true),
            Err(OsError::AlreadyExists { .. }) => Ok(false),
            Err(e) => Err(backend(&e)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        let p = self.path(key)?;
        match self.store.delete(&p).await {
            Ok(()) | Err(OsError::NotFound { .. }) => Ok(()),
            Err(e) => Err(backend(&e)),
        }
    }

    async fn list(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        let p = self.path(prefix)?;
        let listed = self
            .store
            .list_with_delimiter(Some(&p))
            .await
            .map_err(|e| backend(&e))?;
        let mut out: Vec<String> = listed
            .objects
            .iter()
            .filter_map(|o| o.location.filename().map(str::to_owned))
            .collect();
        out.sort();
        Ok(out)
    }
}
