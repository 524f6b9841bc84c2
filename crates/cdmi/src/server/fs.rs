//! [`FsStorage`]: the server's keys as files below a directory (feature `server-fs`).
//!
//! Key `a/b/c` is the file `<dir>/a/b/c`. A write goes to a temporary file beside the target
//! and is renamed over it (atomic on POSIX file systems); a create is a hard link of the
//! temporary file to the target, which fails if the target exists. The I/O runs on tokio's
//! blocking pool.

use super::storage::{Storage, StorageError, clip};
use std::io::ErrorKind as Io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A [`Storage`] of files below a directory.
#[derive(Debug)]
pub struct FsStorage {
    dir: PathBuf,
    temp: AtomicU64,
}

/// The longest file name the backend writes (most file systems hold 255 bytes).
pub const MAX_FILE_NAME: usize = 255;

impl FsStorage {
    /// A store below `dir` (made if missing).
    ///
    /// # Errors
    /// `Backend` when the directory cannot be made.
    pub fn new(dir: impl Into<PathBuf>) -> Result<Self, StorageError> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir).map_err(|e| backend(&dir, &e))?;
        Ok(Self {
            dir,
            temp: AtomicU64::new(0),
        })
    }

    /// The directory.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, key: &str) -> Result<PathBuf, StorageError> {
        let mut p = self.dir.clone();
        for seg in key.split('/') {
            if seg.is_empty() || seg == "." || seg == ".." || seg.len() > MAX_FILE_NAME - 8 {
                return Err(StorageError::Key(key.to_owned()));
            }
            p.push(seg);
        }
        Ok(p)
    }

    fn temp_path(&self, target: &Path) -> PathBuf {
        let n = self.temp.fetch_add(1, Ordering::Relaxed);
        let mut name = target.file_name().map(|n| n.to_owned()).unwrap_or_default();
        name.push(format!(".~{n}"));
        target.with_file_name(name)
    }
}

fn backend(p: &Path, e: &std::io::Error) -> StorageError {
    if e.kind() == Io::StorageFull {
        return StorageError::Full;
    }
    StorageError::Backend(format!("{}: {e}", p.display()))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StorageError> + Send + 'static,
) -> Result<T, StorageError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StorageError::Backend(format!("the I/O task failed: {e}")))?
}

fn write_temp(temp: &Path, value: &[u8]) -> Result<(), StorageError> {
    if let Some(parent) = temp.parent() {
        std::fs::create_dir_all(parent).map_err(|e| backend(parent, &e))?;
    }
    std::fs::write(temp, value).map_err(|e| backend(temp, &e))
}

impl Storage for FsStorage {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        let p = self.path(key)?;
        blocking(move || match std::fs::read(&p) {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.kind() == Io::NotFound => Ok(None),
            Err(e) => Err(backend(&p, &e)),
        })
        .await
    }

    async fn get_range(
        &self,
        key: &str,
        range: Range<u64>,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        use std::io::{Read, Seek, SeekFrom};
        let p = self.path(key)?;
        blocking(move || {
            let mut f = match std::fs::File::open(&p) {
                Ok(f) => f,
                Err(e) if e.kind() == Io::NotFound => return Ok(None),
                Err(e) => return Err(backend(&p, &e)),
            };
            let len = f.metadata().map_err(|e| backend(&p, &e))?.len();
            let (a, z) = (range.start.min(len), range.end.min(len));
            if z <= a {
                return Ok(Some(Vec::new()));
            }
            f.seek(SeekFrom::Start(a)).map_err(|e| backend(&p, &e))?;
            let mut out = Vec::new();
            f.take(z - a)
                .read_to_end(&mut out)
                .map_err(|e| backend(&p, &e))?;
            Ok(Some(clip(&out, 0..z - a).to_vec()))
        })
        .await
    }

    async fn put(&self, key: &str, value: Vec<u8>) -> Result<(), StorageError> {
        let p = self.path(key)?;
        let temp = self.temp_path(&p);
        blocking(move || {
            write_temp(&temp, &value)?;
            std::fs::rename(&temp, &p).map_err(|e| {
                let _ = std::fs::remove_file(&temp);
                backend(&p, &e)
            })
        })
        .await
    }

    async fn create(&self, key: &str, value: Vec<u8>) -> Result<bool, StorageError> {
        let p = self.path(key)?;
        let temp = self.temp_path(&p);
        blocking(move || {
            write_temp(&temp, &value)?;
            let linked = std::fs::hard_link(&temp, &p);
            let _ = std::fs::remove_file(&temp);
            match linked {
                Ok(()) => Ok(true),
                Err(e) if e.kind() == Io::AlreadyExists => Ok(false),
                Err(e) => Err(backend(&p, &e)),
            }
        })
        .await
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        let p = self.path(key)?;
        blocking(move || match std::fs::remove_file(&p) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == Io::NotFound => Ok(()),
            Err(e) => Err(backend(&p, &e)),
        })
        .await
    }

    async fn list(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        let p = self.path(prefix)?;
        blocking(move || {
            let entries = match std::fs::read_dir(&p) {
                Ok(e) => e,
                Err(e) if e.kind() == Io::NotFound => return Ok(Vec::new()),
                Err(e) => return Err(backend(&p, &e)),
            };
            let mut out = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|e| backend(&p, &e))?;
                let is_file = entry.file_type().map_err(|e| backend(&p, &e))?.is_file();
                if let Some(name) = entry.file_name().to_str()
                    && is_file
                    && !name.contains(".~")
                {
                    out.push(name.to_owned());
                }
            }
            out.sort();
            Ok(out)
        })
        .await
    }
}
