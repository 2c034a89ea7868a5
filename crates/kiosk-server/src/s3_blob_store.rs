//! Blobs in an S3-compatible bucket, so that several servers share them.
//!
//! Each blob is the object `<prefix><sha256>`. An upload is hashed as it
//! streams and becomes visible only once its bytes hashed to its name and
//! stayed within the limit: a body of up to one part ([`PART_BYTES`]) is
//! buffered, checked, and stored with one `PUT`; a larger one goes up as a
//! multipart upload to its final key, completed only when the checks pass and
//! aborted otherwise (an uncompleted upload is never visible). A blob already
//! in the bucket is not uploaded again, though its body is still read and
//! checked.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use kiosk_core::blob::{BlobHasher, BlobId};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{
    ClientOptions, GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayloadMut, RetryConfig,
    WriteMultipart,
};
use serde::Deserialize;
use tokio::io::AsyncWriteExt;

use crate::blob_store::{BlobStore, BlobStoreError, ByteStream, LocalBlob, StoredBlob};

/// A body up to this size is stored with one `PUT`; a larger one is sent in
/// parts of this size (S3 wants at least 5 MiB for all but the last).
pub const PART_BYTES: usize = 8 * 1024 * 1024;

/// How many parts of one upload are sent at the same time.
const PARTS_IN_FLIGHT: usize = 2;

fn default_prefix() -> String {
    "blobs/".into()
}

/// Where the bucket is and how to sign for it (`[storage.s3]` of the config).
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Config {
    /// The server's address, `https://…` (or `http://…` with `allow_http`).
    pub endpoint: String,
    /// The bucket.
    pub bucket: String,
    /// The region requests are signed for.
    pub region: String,
    /// The access key.
    pub access_key_id: String,
    /// Its secret; never printed.
    pub secret_access_key: String,
    /// What every blob's key starts with (`blobs/` unless given).
    #[serde(default = "default_prefix")]
    pub prefix: String,
    /// Whether plain HTTP is allowed (for a bucket on loopback or a closed network).
    #[serde(default)]
    pub allow_http: bool,
}

impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"(hidden)")
            .field("prefix", &self.prefix)
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

/// Why the bucket could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum S3OpenError {
    /// The settings do not make a client.
    #[error("bucket {bucket} at {endpoint}: {source}")]
    Config {
        /// The server's address.
        endpoint: String,
        /// The bucket.
        bucket: String,
        /// The reason.
        source: object_store::Error,
    },
    /// The bucket did not answer a listing.
    #[error(
        "bucket {bucket} at {endpoint} does not answer (are the address, bucket and keys right?): {source}"
    )]
    Unreachable {
        /// The server's address.
        endpoint: String,
        /// The bucket.
        bucket: String,
        /// The reason.
        source: object_store::Error,
    },
}

/// Blobs as objects `<prefix><sha256>` of one bucket.
#[derive(Debug, Clone)]
pub struct S3BlobStore {
    store: Arc<AmazonS3>,
    prefix: String,
    temp_dir: PathBuf,
}

fn failed(operation: &'static str, key: &ObjectPath) -> impl FnOnce(object_store::Error) -> BlobStoreError {
    let key = key.to_string();
    move |source| BlobStoreError::ObjectStore { operation, key, source }
}

/// A multipart upload that is aborted unless it was finished.
struct Upload(Option<WriteMultipart>);

impl Upload {
    async fn abort(&mut self) {
        if let Some(upload) = self.0.take()
            && let Err(error) = upload.abort().await
        {
            tracing::warn!(%error, "a refused upload could not be aborted; the bucket's lifecycle rule removes its parts");
        }
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        if let Some(upload) = self.0.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(async move {
                let _ = upload.abort().await;
            });
        }
    }
}

impl S3BlobStore {
    /// Connects to the bucket and checks that it answers (one listing of the
    /// prefix). Downloaded copies ([`BlobStore::local_copy`]) go to the
    /// system's temporary folder unless [`S3BlobStore::with_temp_dir`] says otherwise.
    pub async fn open(config: &S3Config) -> Result<Self, S3OpenError> {
        let options = ClientOptions::new()
            .with_allow_http(config.allow_http)
            .with_timeout_disabled()
            .with_connect_timeout(Duration::from_secs(10))
            .with_read_timeout(Duration::from_secs(60));
        let retry =
            RetryConfig { max_retries: 3, retry_timeout: Duration::from_secs(30), ..Default::default() };
        let store = AmazonS3Builder::new()
            .with_endpoint(&config.endpoint)
            .with_bucket_name(&config.bucket)
            .with_region(&config.region)
            .with_access_key_id(&config.access_key_id)
            .with_secret_access_key(&config.secret_access_key)
            .with_virtual_hosted_style_request(false)
            .with_client_options(options)
            .with_retry(retry)
            .build()
            .map_err(|source| S3OpenError::Config {
                endpoint: config.endpoint.clone(),
                bucket: config.bucket.clone(),
                source,
            })?;
        let this =
            Self { store: Arc::new(store), prefix: config.prefix.clone(), temp_dir: std::env::temp_dir() };
        let prefix = ObjectPath::from(config.prefix.as_str());
        if let Some(Err(source)) = this.store.list(Some(&prefix)).next().await {
            return Err(S3OpenError::Unreachable {
                endpoint: config.endpoint.clone(),
                bucket: config.bucket.clone(),
                source,
            });
        }
        Ok(this)
    }

    /// Keeps downloaded copies in `dir` (which must exist).
    pub fn with_temp_dir(mut self, dir: PathBuf) -> Self {
        self.temp_dir = dir;
        self
    }

    /// The object's key of blob `id`.
    pub fn key(&self, id: &BlobId) -> ObjectPath {
        ObjectPath::from(format!("{}{id}", self.prefix))
    }

    async fn size_inner(&self, key: &ObjectPath) -> Result<Option<u64>, BlobStoreError> {
        match self.store.head(key).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(failed("HEAD", key)(e)),
        }
    }

    async fn put_inner(&self, id: &BlobId, mut body: ByteStream, limit: u64) -> Result<u64, BlobStoreError> {
        let key = self.key(id);
        let present = self.size_inner(&key).await?;
        let mut hasher = BlobHasher::new();
        let mut size = 0u64;
        let mut buffered = PutPayloadMut::new();
        let mut upload = Upload(None);
        while let Some(chunk) = body.next().await {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(e) => {
                    upload.abort().await;
                    return Err(BlobStoreError::Body(e.to_string()));
                }
            };
            size += chunk.len() as u64;
            if size > limit {
                upload.abort().await;
                return Err(BlobStoreError::TooLarge { limit });
            }
            hasher.update(&chunk);
            if present.is_some() {
                continue;
            }
            if let Some(parts) = &mut upload.0 {
                parts.put(chunk);
                if let Err(e) = parts.wait_for_capacity(PARTS_IN_FLIGHT).await {
                    upload.abort().await;
                    return Err(failed("upload a part of", &key)(e));
                }
                continue;
            }
            buffered.push(chunk);
            if buffered.content_length() > PART_BYTES {
                let started = self
                    .store
                    .put_multipart(&key)
                    .await
                    .map_err(failed("start a multipart upload of", &key))?;
                let mut parts = WriteMultipart::new_with_chunk_size(started, PART_BYTES);
                for piece in std::mem::take(&mut buffered).freeze() {
                    parts.put(piece);
                }
                upload.0 = Some(parts);
            }
        }
        let found = hasher.finish().sha256;
        if found != *id {
            upload.abort().await;
            return Err(BlobStoreError::HashMismatch { expected: id.clone(), found });
        }
        if let Some(known) = present {
            return Ok(known);
        }
        match upload.0.take() {
            Some(parts) => {
                parts.finish().await.map_err(failed("complete the multipart upload of", &key))?;
            }
            None => {
                self.store.put(&key, buffered.freeze()).await.map_err(failed("PUT", &key))?;
            }
        }
        Ok(size)
    }

    async fn read_inner(
        &self,
        id: &BlobId,
        range: Option<Range<u64>>,
    ) -> Result<Option<ByteStream>, BlobStoreError> {
        let key = self.key(id);
        let range = match range {
            Some(range) if range.start >= range.end => {
                return Ok(self.size_inner(&key).await?.map(|_| futures_util::stream::empty().boxed()));
            }
            Some(range) => Some(GetRange::Bounded(range)),
            None => None,
        };
        let options = GetOptions { range, ..Default::default() };
        match self.store.get_opts(&key, options).await {
            Ok(got) => {
                let stream = got.into_stream().map(|chunk| chunk.map_err(std::io::Error::from));
                Ok(Some(stream.boxed()))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(failed("GET", &key)(e)),
        }
    }

    async fn local_copy_inner(&self, id: &BlobId) -> Result<Option<LocalBlob>, BlobStoreError> {
        let Some(mut stream) = self.read_inner(id, None).await? else { return Ok(None) };
        let dir = self.temp_dir.clone();
        let io = |source| BlobStoreError::Io { path: dir.clone(), source };
        let temp = tempfile::Builder::new().prefix("kiosk-blob-").tempfile_in(&dir).map_err(io)?;
        let (file, path) = temp.into_parts();
        let copy = LocalBlob::temporary(path);
        let io = |source| BlobStoreError::Io { path: copy.path().to_owned(), source };
        let mut file = tokio::fs::File::from_std(file);
        let mut hasher = BlobHasher::new();
        while let Some(chunk) = stream.next().await {
            let chunk: Bytes = chunk.map_err(io)?;
            hasher.update(&chunk);
            file.write_all(&chunk).await.map_err(io)?;
        }
        file.flush().await.map_err(io)?;
        let found = hasher.finish().sha256;
        if found != *id {
            return Err(BlobStoreError::HashMismatch { expected: id.clone(), found });
        }
        Ok(Some(copy))
    }
}

impl BlobStore for S3BlobStore {
    fn put<'a>(
        &'a self,
        id: &'a BlobId,
        body: ByteStream,
        limit: u64,
    ) -> BoxFuture<'a, Result<u64, BlobStoreError>> {
        Box::pin(self.put_inner(id, body, limit))
    }

    fn size<'a>(&'a self, id: &'a BlobId) -> BoxFuture<'a, Result<Option<u64>, BlobStoreError>> {
        Box::pin(async move { self.size_inner(&self.key(id)).await })
    }

    fn open<'a>(&'a self, id: &'a BlobId) -> BoxFuture<'a, Result<Option<StoredBlob>, BlobStoreError>> {
        Box::pin(
            async move { Ok(self.size_inner(&self.key(id)).await?.map(|size| StoredBlob::Object { size })) },
        )
    }

    fn read<'a>(
        &'a self,
        id: &'a BlobId,
        range: Option<Range<u64>>,
    ) -> BoxFuture<'a, Result<Option<ByteStream>, BlobStoreError>> {
        Box::pin(self.read_inner(id, range))
    }

    fn local_copy<'a>(&'a self, id: &'a BlobId) -> BoxFuture<'a, Result<Option<LocalBlob>, BlobStoreError>> {
        Box::pin(self.local_copy_inner(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_is_never_printed() {
        let config: S3Config = toml::from_str(
            r#"
            endpoint = "https://s3.example.vn"
            bucket = "kiosk"
            region = "vn-south-1"
            access_key_id = "AKIA"
            secret_access_key = "very-secret-words"
            "#,
        )
        .unwrap();
        assert_eq!(config.prefix, "blobs/");
        assert!(!config.allow_http);
        let printed = format!("{config:?}");
        assert!(!printed.contains("very-secret-words"), "{printed}");
        assert!(printed.contains("s3.example.vn"), "{printed}");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let refused = toml::from_str::<S3Config>(
            r#"
            endpoint = "https://s3.example.vn"
            bucket = "kiosk"
            region = "vn-south-1"
            access_key_id = "AKIA"
            secret_access_key = "s"
            sekret = "typo"
            "#,
        );
        assert!(refused.is_err());
    }
}
