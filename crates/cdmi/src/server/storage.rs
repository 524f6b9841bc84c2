//! What the server core keeps its objects in: a flat store of byte strings under `/`-separated
//! keys, with an in-memory implementation.
//!
//! The interface is the common part of local disks and object stores (S3 and the other
//! backends of the `object_store` crate): whole values by key, byte ranges of them, a create
//! that fails when the key exists (the one atomic step the core needs, so that two requests
//! creating the same name cannot both succeed), deletion, and the names below a prefix.
//! Partial writes are not part of it: object stores have none, so the core rewrites a value to
//! change a part of it.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::future::Future;
use std::ops::Range;
use std::sync::{Mutex, PoisonError};

/// A failure of the storage below the server (answered with 500, or 507 for `Full`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StorageError {
    /// The backend failed; its message.
    Backend(String),
    /// A key the backend cannot hold (too long for a file name, say); the key.
    Key(String),
    /// A stored record that does not read back; the key and what is wrong.
    Corrupt(String, String),
    /// The backend is out of space.
    Full,
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Backend(m) => write!(f, "storage: {m}"),
            Self::Key(k) => write!(f, "storage: the backend cannot hold the key {k:?}"),
            Self::Corrupt(k, why) => write!(f, "storage: the record {k:?} is corrupt: {why}"),
            Self::Full => f.write_str("storage: out of space"),
        }
    }
}

impl std::error::Error for StorageError {}

/// A flat key–value store of byte strings, the backend of a [`Server`](super::Server).
///
/// Keys are `/`-separated segments of the characters `A–Z a–z 0–9 . _ -`; no segment is `.` or
/// `..` (the core builds every key so). Every method may be called concurrently.
pub trait Storage: Send + Sync + 'static {
    /// The value of `key`, none if absent.
    fn get(&self, key: &str) -> impl Future<Output = Result<Option<Vec<u8>>, StorageError>> + Send;

    /// The bytes `range` of the value of `key` (clipped to its end), none if absent.
    fn get_range(
        &self,
        key: &str,
        range: Range<u64>,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, StorageError>> + Send;

    /// Sets `key` to `value`, atomically (a reader sees the old value or the new one).
    fn put(
        &self,
        key: &str,
        value: Vec<u8>,
    ) -> impl Future<Output = Result<(), StorageError>> + Send;

    /// Sets `key` to `value` if it is absent: `false` (and no change) if it exists.
    fn create(
        &self,
        key: &str,
        value: Vec<u8>,
    ) -> impl Future<Output = Result<bool, StorageError>> + Send;

    /// Removes `key`; removing an absent key is not an error.
    fn delete(&self, key: &str) -> impl Future<Output = Result<(), StorageError>> + Send;

    /// The last segments of the keys directly below `prefix` (`prefix/<segment>`), sorted.
    fn list(&self, prefix: &str) -> impl Future<Output = Result<Vec<String>, StorageError>> + Send;
}

/// One store shared by several servers (a 1.x and a 2.x root on the same objects, say).
impl<T: Storage> Storage for std::sync::Arc<T> {
    fn get(&self, key: &str) -> impl Future<Output = Result<Option<Vec<u8>>, StorageError>> + Send {
        T::get(self, key)
    }

    fn get_range(
        &self,
        key: &str,
        range: Range<u64>,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, StorageError>> + Send {
        T::get_range(self, key, range)
    }

    fn put(
        &self,
        key: &str,
        value: Vec<u8>,
    ) -> impl Future<Output = Result<(), StorageError>> + Send {
        T::put(self, key, value)
    }

    fn create(
        &self,
        key: &str,
        value: Vec<u8>,
    ) -> impl Future<Output = Result<bool, StorageError>> + Send {
        T::create(self, key, value)
    }

    fn delete(&self, key: &str) -> impl Future<Output = Result<(), StorageError>> + Send {
        T::delete(self, key)
    }

    fn list(&self, prefix: &str) -> impl Future<Output = Result<Vec<String>, StorageError>> + Send {
        T::list(self, prefix)
    }
}

/// A [`Storage`] in memory (tests, caches, a server whose objects need not outlive it).
#[derive(Debug, Default)]
pub struct MemoryStorage {
    map: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl MemoryStorage {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of keys held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no key is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Vec<u8>>> {
        // A panic while the map was held cannot leave it half-changed: every change is one
        // insert or remove.
        self.map.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Storage for MemoryStorage {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(self.lock().get(key).cloned())
    }

    async fn get_range(
        &self,
        key: &str,
        range: Range<u64>,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(self.lock().get(key).map(|v| clip(v, range).to_vec()))
    }

    async fn put(&self, key: &str, value: Vec<u8>) -> Result<(), StorageError> {
        self.lock().insert(key.to_owned(), value);
        Ok(())
    }

    async fn create(&self, key: &str, value: Vec<u8>) -> Result<bool, StorageError> {
        let mut map = self.lock();
        if map.contains_key(key) {
            return Ok(false);
        }
        map.insert(key.to_owned(), value);
        Ok(true)
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        self.lock().remove(key);
        Ok(())
    }

    async fn list(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        let start = format!("{prefix}/");
        let map = self.lock();
        Ok(map
            .range(start.clone()..)
            .take_while(|(k, _)| k.starts_with(&start))
            .filter_map(|(k, _)| k.get(start.len()..))
            .filter(|rest| !rest.contains('/'))
            .map(str::to_owned)
            .collect())
    }
}

/// The part `range` of `v`, clipped to its length.
pub(crate) fn clip(v: &[u8], range: Range<u64>) -> &[u8] {
    let len = v.len() as u64;
    let (a, z) = (
        range.start.min(len),
        range.end.min(len).max(range.start.min(len)),
    );
    usize::try_from(a)
        .ok()
        .zip(usize::try_from(z).ok())
        .and_then(|(a, z)| v.get(a..z))
        .unwrap_or_default()
}

/// A CDMI name as one key segment: bytes other than `A–Z a–z 0–9 _ -` as `.` and two
/// upper-case hex digits (so no segment is `.` or `..`, and every segment is a valid file
/// name and object-store path part).
pub(crate) fn encode_segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for &b in name.as_bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' {
            out.push(char::from(b));
        } else {
            let _ = write!(out, ".{b:02X}");
        }
    }
    out
}

/// The name [`encode_segment`] encoded, none if `s` is no such encoding.
pub(crate) fn decode_segment(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'.' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_round_trip_and_are_safe() {
        for name in ["a", "My File.txt", "..", ".", "dir/", "ünï", "a.b", "%41"] {
            let e = encode_segment(name);
            assert!(e != "." && e != "..", "{e}");
            assert!(
                e.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
            );
            assert_eq!(decode_segment(&e).as_deref(), Some(name));
        }
        assert_eq!(encode_segment("a b/"), "a.20b.2F");
        assert_eq!(decode_segment("a.2"), None);
        assert_eq!(decode_segment("a.ZZ"), None);
        assert_eq!(decode_segment(".FF"), None, "not UTF-8");
    }

    #[test]
    fn clip_stays_inside() {
        assert_eq!(clip(b"hello", 1..3), b"el");
        assert_eq!(clip(b"hello", 3..99), b"lo");
        assert_eq!(clip(b"hello", 9..12), b"");
        assert_eq!(clip(b"hello", Range { start: 4, end: 2 }), b"");
    }
}
