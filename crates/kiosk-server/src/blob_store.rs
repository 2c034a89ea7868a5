//! Blobs by SHA-256, behind the [`BlobStore`] trait.
//!
//! A blob enters the store only after its bytes hashed to its name: they are
//! written to a temporary file, synced, checked, and renamed into place, so a
//! reader never sees a partial or wrong blob. [`FsBlobStore`] keeps them in a
//! folder as `blobs/<sha256>`; [`crate::s3_blob_store::S3BlobStore`] keeps
//! them in an S3-compatible bucket behind the same trait. Readers take a blob
//! as a stream of bytes (whole or one range, [`BlobStore::read`]) or, for a
//! decoder that needs a path, as a local file ([`BlobStore::local_copy`]).

use std::ops::Range;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use kiosk_core::blob::{BlobHasher, BlobId};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

/// The bytes of an upload or of a stored blob, chunk by chunk.
pub type ByteStream = BoxStream<'static, Result<Bytes, std::io::Error>>;

/// Why a blob could not be stored or read.
#[derive(Debug, thiserror::Error)]
pub enum BlobStoreError {
    /// The bytes do not hash to the name they were sent under.
    #[error("the bytes hash to {found}, not {expected}")]
    HashMismatch {
        /// The name given.
        expected: BlobId,
        /// The hash of the bytes received.
        found: BlobId,
    },
    /// More bytes than allowed.
    #[error("the blob is larger than {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// The upload broke off.
    #[error("reading the upload failed: {0}")]
    Body(String),
    /// The disk failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// The object store failed or refused.
    #[error("{operation} {key} in the object store: {source}")]
    ObjectStore {
        /// What was asked (`PUT`, `HEAD`, `GET`, `LIST`, a step of a multipart upload).
        operation: &'static str,
        /// The object's key (or the bucket's prefix).
        key: String,
        /// The reason.
        #[source]
        source: object_store::Error,
    },
}

/// A stored blob, ready to be served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredBlob {
    /// A local file, served with `Range` support.
    File {
        /// Where it is.
        path: PathBuf,
        /// Its length.
        size: u64,
    },
    /// An object in an object store, served by ranged reads
    /// ([`crate::blob_serve::serve_object`]).
    Object {
        /// Its length.
        size: u64,
    },
}

impl StoredBlob {
    /// Its length.
    pub fn size(&self) -> u64 {
        match self {
            Self::File { size, .. } | Self::Object { size } => *size,
        }
    }
}

/// A stored blob as a local file, for what needs a path (a decoder): the
/// store's own file, or a downloaded copy removed when this is dropped.
#[derive(Debug)]
pub struct LocalBlob {
    path: PathBuf,
    _temporary: Option<tempfile::TempPath>,
}

impl LocalBlob {
    /// A file the store keeps; left in place on drop.
    pub fn kept(path: PathBuf) -> Self {
        Self { path, _temporary: None }
    }

    /// A temporary copy; removed on drop.
    pub fn temporary(path: tempfile::TempPath) -> Self {
        Self { path: path.to_path_buf(), _temporary: Some(path) }
    }

    /// Where the bytes are.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// How many bytes a read from a file hands on at a time.
const READ_CHUNK_BYTES: usize = 256 * 1024;

/// The bytes of `reader` as a stream, in chunks of at most [`READ_CHUNK_BYTES`].
pub fn reader_stream(reader: impl AsyncRead + Unpin + Send + 'static) -> ByteStream {
    futures_util::stream::try_unfold(reader, |mut reader| async move {
        let mut buffer = bytes::BytesMut::with_capacity(READ_CHUNK_BYTES);
        match reader.read_buf(&mut buffer).await? {
            0 => Ok(None),
            _ => Ok(Some((buffer.freeze(), reader))),
        }
    })
    .boxed()
}

/// Where blobs live. Every method is safe to call concurrently.
pub trait BlobStore: Send + Sync + 'static {
    /// Stores `body` as blob `id` if its bytes hash to `id` and are at most `limit`
    /// bytes; answers the size. Nothing is stored when a check fails.
    fn put<'a>(
        &'a self,
        id: &'a BlobId,
        body: ByteStream,
        limit: u64,
    ) -> BoxFuture<'a, Result<u64, BlobStoreError>>;

    /// The size of blob `id`, or `None` when it is not stored.
    fn size<'a>(&'a self, id: &'a BlobId) -> BoxFuture<'a, Result<Option<u64>, BlobStoreError>>;

    /// Blob `id` for reading, or `None` when it is not stored.
    fn open<'a>(&'a self, id: &'a BlobId) -> BoxFuture<'a, Result<Option<StoredBlob>, BlobStoreError>>;

    /// The bytes of blob `id`, all of them or those of `range` (clipped to its
    /// size), or `None` when it is not stored.
    fn read<'a>(
        &'a self,
        id: &'a BlobId,
        range: Option<Range<u64>>,
    ) -> BoxFuture<'a, Result<Option<ByteStream>, BlobStoreError>>;

    /// Blob `id` as a local file, or `None` when it is not stored.
    fn local_copy<'a>(&'a self, id: &'a BlobId) -> BoxFuture<'a, Result<Option<LocalBlob>, BlobStoreError>>;

    /// Stores bytes already in memory, as [`BlobStore::put`] does.
    fn put_bytes<'a>(&'a self, id: &'a BlobId, bytes: Bytes) -> BoxFuture<'a, Result<u64, BlobStoreError>> {
        let limit = bytes.len() as u64;
        self.put(id, futures_util::stream::once(async move { Ok(bytes) }).boxed(), limit)
    }
}

/// Blobs as files `<root>/<sha256>`, with temporary files in `<root>/tmp/`.
#[derive(Debug, Clone)]
pub struct FsBlobStore {
    root: PathBuf,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BlobStoreError + '_ {
    move |source| BlobStoreError::Io { path: path.to_owned(), source }
}

/// Removes a temporary file unless it was renamed into place.
struct TempFile(Option<PathBuf>);

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl FsBlobStore {
    /// Opens the store in `root`, creating it (and `root/tmp`, emptied) when needed.
    pub fn open(root: &Path) -> Result<Self, BlobStoreError> {
        let tmp = root.join("tmp");
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
        }
        std::fs::create_dir_all(&tmp).map_err(io(&tmp))?;
        Ok(Self { root: root.to_owned() })
    }

    fn path(&self, id: &BlobId) -> PathBuf {
        self.root.join(id.as_str())
    }

    async fn put_inner(&self, id: &BlobId, mut body: ByteStream, limit: u64) -> Result<u64, BlobStoreError> {
        let mut nonce = [0u8; 12];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut nonce);
        let tmp_path = self.root.join("tmp").join(format!("{id}.{}.partial", hex::encode(nonce)));
        let mut guard = TempFile(Some(tmp_path.clone()));
        let mut file = tokio::fs::File::create(&tmp_path).await.map_err(io(&tmp_path))?;
        let mut hasher = BlobHasher::new();
        let mut size = 0u64;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| BlobStoreError::Body(e.to_string()))?;
            size += chunk.len() as u64;
            if size > limit {
                return Err(BlobStoreError::TooLarge { limit });
            }
            hasher.update(&chunk);
            file.write_all(&chunk).await.map_err(io(&tmp_path))?;
        }
        file.sync_all().await.map_err(io(&tmp_path))?;
        drop(file);
        let facts = hasher.finish();
        if facts.sha256 != *id {
            return Err(BlobStoreError::HashMismatch { expected: id.clone(), found: facts.sha256 });
        }
        let path = self.path(id);
        tokio::fs::rename(&tmp_path, &path).await.map_err(io(&path))?;
        guard.0 = None;
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || std::fs::File::open(&root).and_then(|dir| dir.sync_all()))
            .await
            .map_err(|e| io(&self.root)(std::io::Error::other(e)))?
            .map_err(io(&self.root))?;
        Ok(size)
    }

    async fn size_inner(&self, id: &BlobId) -> Result<Option<u64>, BlobStoreError> {
        let path = self.path(id);
        match tokio::fs::metadata(&path).await {
            Ok(meta) if meta.is_file() => Ok(Some(meta.len())),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(&path)(e)),
        }
    }
}

impl BlobStore for FsBlobStore {
    fn put<'a>(
        &'a self,
        id: &'a BlobId,
        body: ByteStream,
        limit: u64,
    ) -> BoxFuture<'a, Result<u64, BlobStoreError>> {
        Box::pin(self.put_inner(id, body, limit))
    }

    fn size<'a>(&'a self, id: &'a BlobId) -> BoxFuture<'a, Result<Option<u64>, BlobStoreError>> {
        Box::pin(self.size_inner(id))
    }

    fn open<'a>(&'a self, id: &'a BlobId) -> BoxFuture<'a, Result<Option<StoredBlob>, BlobStoreError>> {
        Box::pin(async move {
            Ok(self.size_inner(id).await?.map(|size| StoredBlob::File { path: self.path(id), size }))
        })
    }

    fn read<'a>(
        &'a self,
        id: &'a BlobId,
        range: Option<Range<u64>>,
    ) -> BoxFuture<'a, Result<Option<ByteStream>, BlobStoreError>> {
        Box::pin(async move {
            let path = self.path(id);
            let mut file = match tokio::fs::File::open(&path).await {
                Ok(file) => file,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(io(&path)(e)),
            };
            Ok(Some(match range {
                None => reader_stream(file),
                Some(range) => {
                    file.seek(std::io::SeekFrom::Start(range.start)).await.map_err(io(&path))?;
                    reader_stream(file.take(range.end.saturating_sub(range.start)))
                }
            }))
        })
    }

    fn local_copy<'a>(&'a self, id: &'a BlobId) -> BoxFuture<'a, Result<Option<LocalBlob>, BlobStoreError>> {
        Box::pin(async move { Ok(self.size_inner(id).await?.map(|_| LocalBlob::kept(self.path(id)))) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stores_only_bytes_that_hash_to_their_name() {
        let dir = tempfile::tempdir().unwrap();
        let store = FsBlobStore::open(dir.path()).unwrap();
        let id = BlobId::of(b"hello");
        assert_eq!(store.size(&id).await.unwrap(), None);
        let err = store.put_bytes(&id, Bytes::from_static(b"hullo")).await.unwrap_err();
        assert!(matches!(err, BlobStoreError::HashMismatch { .. }), "{err}");
        assert_eq!(store.size(&id).await.unwrap(), None);
        let chunks =
            futures_util::stream::iter([Ok(Bytes::from_static(b"he")), Ok(Bytes::from_static(b"llo"))]);
        assert_eq!(store.put(&id, chunks.boxed(), 5).await.unwrap(), 5);
        assert_eq!(store.size(&id).await.unwrap(), Some(5));
        let Some(StoredBlob::File { path, size }) = store.open(&id).await.unwrap() else { panic!("stored") };
        assert_eq!((std::fs::read(path).unwrap(), size), (b"hello".to_vec(), 5));
        assert_eq!(std::fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0, "no temporary file left");
    }

    #[tokio::test]
    async fn refuses_a_blob_over_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let store = FsBlobStore::open(dir.path()).unwrap();
        let id = BlobId::of(b"hello");
        let body = futures_util::stream::once(async { Ok(Bytes::from_static(b"hello")) }).boxed();
        let err = store.put(&id, body, 4).await.unwrap_err();
        assert!(matches!(err, BlobStoreError::TooLarge { limit: 4 }), "{err}");
        assert_eq!(std::fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
    }
}
