//! The same checks over every blob store: [`FsBlobStore`] in a temporary
//! folder and [`S3BlobStore`] on a real S3-compatible server (`s3s-fs`, from
//! `kiosk-testbed`), each check one test per store (`fs_*`, `s3_*`). Then the
//! real server with its blobs in a bucket, answering a device's requests for
//! blobs exactly as the same server with its blobs on disk does.

mod support;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use kiosk_core::blob::BlobId;
use kiosk_server::blob_store::{BlobStore, BlobStoreError, ByteStream, StoredBlob};
use kiosk_server::s3_blob_store::{S3BlobStore, S3Config};
use kiosk_server::{FsBlobStore, Settings};
use reqwest::StatusCode;

/// Larger than two parts of a multipart upload.
const LARGE: usize = 20 * 1024 * 1024;

/// A store under test, with what it keeps on disk.
struct Backend {
    store: Arc<dyn BlobStore>,
    /// Where the objects or files lie (the bucket's folder, or the store's root).
    folder: PathBuf,
    is_s3: bool,
    _temp: tempfile::TempDir,
}

impl Backend {
    async fn fs() -> Self {
        let temp = tempfile::tempdir().unwrap();
        let folder = temp.path().join("blobs");
        let store = FsBlobStore::open(&folder).unwrap();
        Backend { store: Arc::new(store), folder, is_s3: false, _temp: temp }
    }

    async fn s3() -> Self {
        let bucket = kiosk_testbed::s3::fresh_bucket();
        let temp = tempfile::tempdir().unwrap();
        let store = S3BlobStore::open(&s3_config(&bucket)).await.unwrap().with_temp_dir(temp.path().into());
        Backend { store: Arc::new(store), folder: bucket.folder, is_s3: true, _temp: temp }
    }

    /// Every file the store holds (for S3, every object in the bucket; for
    /// the file store, its temporary files included).
    fn files(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() { walk(&path, found) } else { found.push(path) }
            }
        }
        let mut found = Vec::new();
        walk(&self.folder, &mut found);
        found
    }

    /// The store's temporary folder for downloaded copies (S3 only).
    fn temp_files(&self) -> usize {
        std::fs::read_dir(self._temp.path()).unwrap().count()
    }

    async fn read(&self, id: &BlobId, range: Option<Range<u64>>) -> Vec<u8> {
        let stream = self.store.read(id, range).await.unwrap().expect("stored");
        collect(stream).await.unwrap()
    }

    /// Checks that `id` is not stored and that nothing at all is.
    async fn holds_nothing(&self, id: &BlobId) {
        assert_eq!(self.store.size(id).await.unwrap(), None);
        assert!(self.store.open(id).await.unwrap().is_none());
        assert!(self.store.read(id, None).await.unwrap().is_none());
        assert_eq!(self.files(), Vec::<PathBuf>::new(), "no object or file appeared");
    }
}

fn s3_config(bucket: &kiosk_testbed::s3::TestBucket) -> S3Config {
    S3Config {
        endpoint: bucket.endpoint.clone(),
        bucket: bucket.bucket.clone(),
        region: kiosk_testbed::s3::REGION.into(),
        access_key_id: kiosk_testbed::s3::ACCESS_KEY.into(),
        secret_access_key: kiosk_testbed::s3::SECRET_KEY.into(),
        prefix: "blobs/".into(),
        allow_http: true,
    }
}

async fn collect(mut stream: ByteStream) -> std::io::Result<Vec<u8>> {
    let mut all = Vec::new();
    while let Some(chunk) = stream.next().await {
        all.extend_from_slice(&chunk?);
    }
    Ok(all)
}

/// `len` bytes that do not repeat (xorshift), different for each `seed`.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut bytes = Vec::with_capacity(len + 8);
    while bytes.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.extend_from_slice(&state.to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

/// `bytes` as a body of chunks of `chunk` bytes.
fn body(bytes: &[u8], chunk: usize) -> ByteStream {
    let chunks: Vec<_> = bytes.chunks(chunk).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    futures_util::stream::iter(chunks).boxed()
}

/// `bytes` as a body that breaks off after `after` bytes.
fn broken_body(bytes: &[u8], after: usize) -> ByteStream {
    let head = body(&bytes[..after], 64 * 1024);
    let broken = futures_util::stream::once(async {
        Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "the client went away"))
    });
    head.chain(broken).boxed()
}

async fn put_and_read(backend: Backend) {
    let bytes = noise(100_000, 1);
    let id = BlobId::of(&bytes);
    assert_eq!(backend.store.size(&id).await.unwrap(), None);
    assert_eq!(backend.store.put(&id, body(&bytes, 7_000), 100_000).await.unwrap(), 100_000);
    assert_eq!(backend.store.size(&id).await.unwrap(), Some(100_000));
    match backend.store.open(&id).await.unwrap().expect("stored") {
        StoredBlob::File { path, size } => {
            assert!(!backend.is_s3);
            assert_eq!((std::fs::read(path).unwrap(), size), (bytes.clone(), 100_000));
        }
        StoredBlob::Object { size } => {
            assert!(backend.is_s3);
            assert_eq!(size, 100_000);
        }
    }
    assert_eq!(backend.read(&id, None).await, bytes);
    assert_eq!(backend.files().len(), 1, "one object or file: {:?}", backend.files());
    let other = BlobId::of(b"never stored");
    assert!(backend.store.read(&other, None).await.unwrap().is_none());
    assert!(backend.store.read(&other, Some(0..1)).await.unwrap().is_none());
    assert!(backend.store.local_copy(&other).await.unwrap().is_none());
    assert!(backend.store.open(&other).await.unwrap().is_none());
}

async fn a_wrong_hash_stores_nothing(backend: Backend) {
    let id = BlobId::of(b"hello");
    let err = backend.store.put_bytes(&id, Bytes::from_static(b"hullo")).await.unwrap_err();
    assert!(matches!(err, BlobStoreError::HashMismatch { .. }), "{err}");
    backend.holds_nothing(&id).await;
}

async fn a_large_wrong_hash_stores_nothing(backend: Backend) {
    let bytes = noise(LARGE, 2);
    let id = BlobId::of(&noise(LARGE, 3));
    let err = backend.store.put(&id, body(&bytes, 1024 * 1024), LARGE as u64).await.unwrap_err();
    assert!(matches!(err, BlobStoreError::HashMismatch { .. }), "{err}");
    backend.holds_nothing(&id).await;
}

async fn over_the_limit_stores_nothing(backend: Backend) {
    let id = BlobId::of(b"hello");
    let err = backend.store.put(&id, body(b"hello", 2), 4).await.unwrap_err();
    assert!(matches!(err, BlobStoreError::TooLarge { limit: 4 }), "{err}");
    backend.holds_nothing(&id).await;

    // Past the first part of a multipart upload.
    let bytes = noise(LARGE, 4);
    let id = BlobId::of(&bytes);
    let limit = 12 * 1024 * 1024;
    let err = backend.store.put(&id, body(&bytes, 1024 * 1024), limit).await.unwrap_err();
    assert!(matches!(err, BlobStoreError::TooLarge { limit: l } if l == limit), "{err}");
    backend.holds_nothing(&id).await;
}

async fn a_body_that_breaks_off_stores_nothing(backend: Backend) {
    let bytes = noise(1000, 5);
    let id = BlobId::of(&bytes);
    let err = backend.store.put(&id, broken_body(&bytes, 500), 1000).await.unwrap_err();
    assert!(matches!(err, BlobStoreError::Body(_)), "{err}");
    backend.holds_nothing(&id).await;

    let bytes = noise(LARGE, 6);
    let id = BlobId::of(&bytes);
    let err = backend.store.put(&id, broken_body(&bytes, 17 * 1024 * 1024), LARGE as u64).await.unwrap_err();
    assert!(matches!(err, BlobStoreError::Body(_)), "{err}");
    backend.holds_nothing(&id).await;
}

async fn a_large_blob_round_trips(backend: Backend) {
    let bytes = noise(LARGE, 7);
    let id = BlobId::of(&bytes);
    let size = backend.store.put(&id, body(&bytes, 100_003), LARGE as u64).await.unwrap();
    assert_eq!(size, LARGE as u64);
    assert_eq!(backend.store.size(&id).await.unwrap(), Some(LARGE as u64));
    assert!(backend.read(&id, None).await == bytes, "byte-exact");
    let at = 8 * 1024 * 1024 - 3;
    assert_eq!(backend.read(&id, Some(at as u64..at as u64 + 6)).await, &bytes[at..at + 6], "across a part");
    assert_eq!(backend.files().len(), 1, "{:?}", backend.files());
}

async fn ranged_reads(backend: Backend) {
    let bytes = noise(300_000, 8);
    let id = BlobId::of(&bytes);
    backend.store.put_bytes(&id, Bytes::from(bytes.clone())).await.unwrap();
    let size = bytes.len() as u64;
    assert_eq!(backend.read(&id, Some(0..1)).await, &bytes[..1], "the first byte");
    assert_eq!(backend.read(&id, Some(1000..201_000)).await, &bytes[1000..201_000], "the middle");
    assert_eq!(backend.read(&id, Some(size - 1..size)).await, &bytes[bytes.len() - 1..], "the last byte");
    assert_eq!(backend.read(&id, Some(123_456..size)).await, &bytes[123_456..], "to the end");
    assert_eq!(backend.read(&id, Some(5..5)).await, b"", "nothing");
}

async fn putting_twice_is_fine(backend: Backend) {
    let bytes = noise(50_000, 9);
    let id = BlobId::of(&bytes);
    assert_eq!(backend.store.put_bytes(&id, Bytes::from(bytes.clone())).await.unwrap(), 50_000);
    assert_eq!(backend.store.put(&id, body(&bytes, 999), 50_000).await.unwrap(), 50_000);
    // The body of a blob already stored is still checked.
    let err = backend.store.put_bytes(&id, Bytes::from(noise(50_000, 10))).await.unwrap_err();
    assert!(matches!(err, BlobStoreError::HashMismatch { .. }), "{err}");
    let err = backend.store.put(&id, body(&bytes, 999), 49_999).await.unwrap_err();
    assert!(matches!(err, BlobStoreError::TooLarge { .. }), "{err}");
    assert_eq!(backend.read(&id, None).await, bytes);
    assert_eq!(backend.files().len(), 1, "{:?}", backend.files());
}

async fn concurrent_puts_of_the_same_blob(backend: Backend) {
    let bytes = Arc::new(noise(10 * 1024 * 1024, 11));
    let id = BlobId::of(&bytes);
    let puts = (0..4).map(|_| {
        let (store, bytes, id) = (backend.store.clone(), bytes.clone(), id.clone());
        tokio::spawn(async move { store.put(&id, body(&bytes, 256 * 1024), bytes.len() as u64).await })
    });
    for put in futures_util::future::join_all(puts).await {
        assert_eq!(put.unwrap().unwrap(), bytes.len() as u64);
    }
    assert!(backend.read(&id, None).await == *bytes, "byte-exact");
    assert_eq!(backend.files().len(), 1, "{:?}", backend.files());
}

async fn a_local_copy_has_the_bytes(backend: Backend) {
    let bytes = noise(9 * 1024 * 1024, 12);
    let id = BlobId::of(&bytes);
    backend.store.put(&id, body(&bytes, 512 * 1024), bytes.len() as u64).await.unwrap();
    let copy = backend.store.local_copy(&id).await.unwrap().expect("stored");
    let path = copy.path().to_owned();
    assert!(std::fs::read(&path).unwrap() == bytes, "byte-exact");
    if backend.is_s3 {
        assert!(path.starts_with(backend._temp.path()), "{}", path.display());
        assert_eq!(backend.temp_files(), 1);
    }
    drop(copy);
    if backend.is_s3 {
        assert!(!path.exists(), "a downloaded copy is removed when dropped");
        assert_eq!(backend.temp_files(), 0);
    } else {
        assert!(path.exists(), "the store's own file stays");
    }
    assert_eq!(backend.read(&id, None).await.len(), bytes.len());
}

/// One `#[tokio::test]` per check and store.
macro_rules! conformance {
    ($($check:ident: $fs:ident, $s3:ident;)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $fs() {
            $check(Backend::fs().await).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $s3() {
            $check(Backend::s3().await).await;
        }
    )*};
}

conformance! {
    put_and_read: fs_put_and_read, s3_put_and_read;
    a_wrong_hash_stores_nothing: fs_a_wrong_hash_stores_nothing, s3_a_wrong_hash_stores_nothing;
    a_large_wrong_hash_stores_nothing: fs_a_large_wrong_hash_stores_nothing, s3_a_large_wrong_hash_stores_nothing;
    over_the_limit_stores_nothing: fs_over_the_limit_stores_nothing, s3_over_the_limit_stores_nothing;
    a_body_that_breaks_off_stores_nothing:
        fs_a_body_that_breaks_off_stores_nothing, s3_a_body_that_breaks_off_stores_nothing;
    a_large_blob_round_trips: fs_a_large_blob_round_trips, s3_a_large_blob_round_trips;
    ranged_reads: fs_ranged_reads, s3_ranged_reads;
    putting_twice_is_fine: fs_putting_twice_is_fine, s3_putting_twice_is_fine;
    concurrent_puts_of_the_same_blob: fs_concurrent_puts_of_the_same_blob, s3_concurrent_puts_of_the_same_blob;
    a_local_copy_has_the_bytes: fs_a_local_copy_has_the_bytes, s3_a_local_copy_has_the_bytes;
}

#[tokio::test]
async fn s3_a_bucket_that_does_not_answer_is_named() {
    let mut bucket = kiosk_testbed::s3::fresh_bucket();
    bucket.bucket.push_str("-missing");
    let err = S3BlobStore::open(&s3_config(&bucket)).await.unwrap_err().to_string();
    assert!(err.contains(&bucket.bucket) && err.contains(&bucket.endpoint), "{err}");

    let mut config = s3_config(&kiosk_testbed::s3::fresh_bucket());
    config.secret_access_key = "a-wrong-secret-key-0123456789abc".into();
    let err = S3BlobStore::open(&config).await.unwrap_err().to_string();
    assert!(err.contains(&config.bucket) && !err.contains("a-wrong-secret"), "{err}");
}

/// What a device is answered, to compare two servers.
#[derive(Debug, PartialEq, Eq)]
struct Answer {
    status: StatusCode,
    headers: Vec<(&'static str, Option<String>)>,
    body: Bytes,
}

/// `GET path` with `token` and `headers`; the answer.
async fn ask_at(server: &support::TestServer, path: &str, token: &str, headers: &[(&str, String)]) -> Answer {
    let mut request = server.client.get(server.url(path)).bearer_auth(token);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.unwrap();
    let names = [
        "content-type",
        "content-length",
        "content-range",
        "accept-ranges",
        "etag",
        "cache-control",
        "x-content-type-options",
        "content-security-policy",
    ];
    let headers = names
        .into_iter()
        .map(|name| (name, response.headers().get(name).map(|v| v.to_str().unwrap().to_owned())))
        .collect();
    Answer { status: response.status(), headers, body: response.bytes().await.unwrap() }
}

/// A device's `GET /v1/blobs/{id}`.
async fn ask(server: &support::TestServer, token: &str, id: &BlobId, headers: &[(&str, String)]) -> Answer {
    ask_at(server, &format!("/v1/blobs/{id}"), token, headers).await
}

/// Forgets the ETag of answers whose file-served twin carries `ServeFile`'s own.
fn without_etag(mut answer: Answer) -> Answer {
    answer.headers.retain(|(name, _)| *name != "etag");
    answer
}

/// A server with its blobs in a bucket answers a device's requests for blobs
/// (whole, ranged, conditional) byte for byte and header for header as the
/// same server with its blobs in its data folder does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_the_server_serves_blobs_from_a_bucket_as_from_its_folder() {
    let bucket = kiosk_testbed::s3::fresh_bucket();
    let (fs_dir, s3_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut settings = Settings::new(s3_dir.path().into(), support::ADMIN.into());
    settings.storage.s3 = Some(s3_config(&bucket));
    let servers = [support::start(fs_dir.path()).await, support::start_with(settings).await];
    let (manifest, blobs) = support::sample("s3");
    let mut tokens = Vec::new();
    for server in &servers {
        server.create_channel("booths").await;
        server.upload(&blobs).await;
        server.publish("booths", &manifest).await;
        tokens.push(server.enrol("booths", "booth 1").await);
    }
    let held: Vec<_> = std::fs::read_dir(bucket.folder.join("blobs")).unwrap().collect();
    assert_eq!(held.len(), blobs.len(), "every blob is in the bucket");
    let on_disk = s3_dir.path().join("blobs");
    assert!(!on_disk.exists() || std::fs::read_dir(&on_disk).unwrap().all(|e| e.unwrap().path().is_dir()));

    let (film, bytes) = blobs.iter().find(|(_, bytes)| bytes.as_slice() == support::FILM).unwrap();
    let size = bytes.len();
    let etag = format!("\"{film}\"");
    let range = |text: &str| ("range", text.to_owned());
    let asks: Vec<Vec<(&str, String)>> = vec![
        vec![],
        vec![range("bytes=0-0")],
        vec![range("bytes=100-4099")],
        vec![range(&format!("bytes={}-{}", size - 1, size - 1))],
        vec![range("bytes=-1")],
        vec![range("bytes=1000-")],
        vec![range("bytes=16000-99999999")],
        vec![range(&format!("bytes={size}-"))],
        vec![range("bytes=0-1,5-9")],
        vec![range("bytes=x-y")],
        vec![range("bytes=4000-"), ("if-range", etag.clone())],
        vec![range("bytes=4000-"), ("if-range", "\"something-else\"".into())],
        vec![("if-none-match", etag.clone())],
    ];
    for headers in &asks {
        let mut fs = ask(&servers[0], &tokens[0], film, headers).await;
        let mut s3 = ask(&servers[1], &tokens[1], film, headers).await;
        if fs.status == StatusCode::RANGE_NOT_SATISFIABLE {
            // `ServeFile` adds its own ETag (from the file's time) to a refusal.
            fs.headers.retain(|(name, _)| *name != "etag");
            s3.headers.retain(|(name, _)| *name != "etag");
        }
        assert_eq!(s3, fs, "{headers:?}");
        let expected = match headers.first().map(|(_, v)| v.as_str()) {
            None => StatusCode::OK,
            Some(v) if v == etag => StatusCode::NOT_MODIFIED,
            Some(_) if headers.len() == 2 && headers[1].1 != etag => StatusCode::OK,
            Some(v) if v.contains(',') || v.contains('x') || v == format!("bytes={size}-") => {
                StatusCode::RANGE_NOT_SATISFIABLE
            }
            Some(_) => StatusCode::PARTIAL_CONTENT,
        };
        assert_eq!(s3.status, expected, "{headers:?}");
    }

    // The console's media library: the file by range, and a thumbnail made
    // from a downloaded copy of the film.
    let file = format!("/v1/admin/media/{film}/file");
    for headers in &asks[..10] {
        let fs = ask_at(&servers[0], &file, support::ADMIN, headers).await;
        let s3 = ask_at(&servers[1], &file, support::ADMIN, headers).await;
        assert_eq!(without_etag(s3), without_etag(fs), "{headers:?}");
    }
    let s3 = ask_at(&servers[1], &file, support::ADMIN, &[("if-none-match", etag.clone())]).await;
    assert_eq!(s3.status, StatusCode::NOT_MODIFIED);
    let thumbnail = format!("/v1/admin/media/{film}/thumbnail");
    let made = ask_at(&servers[1], &thumbnail, support::ADMIN, &[]).await;
    assert_eq!(made.status, StatusCode::OK);
    assert_eq!(&made.body[..4], b"\x89PNG");

    let whole = ask(&servers[1], &tokens[1], film, &[]).await;
    assert_eq!(whole.body.as_ref(), bytes.as_slice());
    let last = ask(&servers[1], &tokens[1], film, &[range("bytes=-1")]).await;
    assert_eq!(last.body.as_ref(), &bytes[size - 1..]);
}
