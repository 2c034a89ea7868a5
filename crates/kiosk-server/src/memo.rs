//! Answers the hot routes give again and again, kept in memory so that a
//! fleet's polling does not queue on the database: which device holds a token,
//! which blobs a channel's releases list, where a stored blob is, each
//! channel's current release, and the bytes of small blobs (the picture a whole
//! fleet fetches after a publish).
//!
//! Only answers that cannot change are kept (releases are immutable, blobs are
//! named by their content), except the current release, which
//! [`crate::publish`] replaces as it publishes, and device tokens, which a
//! renewal or a revocation makes staff forget at once ([`DeviceTokens`]).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, RwLock};

use kiosk_core::blob::BlobId;

use crate::blob_store::{BlobStore, StoredBlob};
use crate::db::{DeviceToken, StoredRelease};

/// A map read by many requests at once.
#[derive(Debug)]
pub struct Memo<K, V> {
    kept: RwLock<HashMap<K, V>>,
    /// Answers being read, each awaited by every request that asks meanwhile.
    loading: std::sync::Mutex<HashMap<K, Arc<tokio::sync::OnceCell<Option<V>>>>>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self { kept: RwLock::new(HashMap::new()), loading: Default::default() }
    }
}

impl<K: Eq + Hash + Clone, V: Clone> Memo<K, V> {
    /// The answer kept for `key`.
    pub fn get(&self, key: &K) -> Option<V> {
        self.kept.read().unwrap_or_else(|p| p.into_inner()).get(key).cloned()
    }

    /// Keeps `value` for `key`.
    pub fn insert(&self, key: K, value: V) {
        self.kept.write().unwrap_or_else(|p| p.into_inner()).insert(key, value);
    }

    /// The answer kept for `key`, or else `load`'s, read once for all the
    /// requests that ask at the same moment (a fleet after a publish) and kept
    /// when there is one.
    pub async fn get_or_load<E, F>(&self, key: &K, load: impl FnOnce() -> F) -> Result<Option<V>, E>
    where
        F: std::future::Future<Output = Result<Option<V>, E>>,
    {
        if let Some(kept) = self.get(key) {
            return Ok(Some(kept));
        }
        let cell =
            self.loading.lock().unwrap_or_else(|p| p.into_inner()).entry(key.clone()).or_default().clone();
        let loaded = cell.get_or_try_init(load).await.cloned();
        if let Ok(Some(value)) = &loaded {
            self.insert(key.clone(), value.clone());
        }
        self.loading.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
        loaded
    }

    /// Keeps `value` for `key` unless the one kept is as new (`newer(kept, value)`
    /// is false): an answer read before a change never replaces one read after it.
    pub fn insert_newer(&self, key: K, value: V, newer: impl FnOnce(&V, &V) -> bool) {
        let mut kept = self.kept.write().unwrap_or_else(|p| p.into_inner());
        match kept.get(&key) {
            Some(old) if !newer(old, &value) => {}
            _ => {
                kept.insert(key, value);
            }
        }
    }
}

/// Whether `new` is a later release than `kept` (versions only grow).
pub fn later_release(kept: &Arc<StoredRelease>, new: &Arc<StoredRelease>) -> bool {
    new.version > kept.version
}

/// Token hash → the device token as last read. Forgetting a device's tokens
/// also refuses every answer read before it, so none read before a revocation
/// is kept after it.
#[derive(Debug, Default)]
pub struct DeviceTokens(RwLock<(u64, HashMap<String, DeviceToken>)>);

impl DeviceTokens {
    /// The token kept for `token_sha256`.
    pub fn get(&self, token_sha256: &str) -> Option<DeviceToken> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).1.get(token_sha256).cloned()
    }

    /// Which forgetting the answers read from now on come after; give it to
    /// [`DeviceTokens::insert`].
    pub fn generation(&self) -> u64 {
        self.0.read().unwrap_or_else(|p| p.into_inner()).0
    }

    /// Keeps `token`, read after [`DeviceTokens::generation`] said `generation`,
    /// unless a device's tokens were forgotten since.
    pub fn insert(&self, generation: u64, token_sha256: String, token: DeviceToken) {
        let mut kept = self.0.write().unwrap_or_else(|p| p.into_inner());
        if kept.0 == generation {
            kept.1.insert(token_sha256, token);
        }
    }

    /// Forgets every token, and refuses answers read before now.
    pub fn forget_all(&self) {
        let mut kept = self.0.write().unwrap_or_else(|p| p.into_inner());
        kept.0 += 1;
        kept.1.clear();
    }

    /// Forgets every token of `device`, and refuses answers read before now.
    pub fn forget_device(&self, device: &str) {
        let mut kept = self.0.write().unwrap_or_else(|p| p.into_inner());
        kept.0 += 1;
        kept.1.retain(|_, token| token.id != device);
    }
}

/// The bytes of small blobs, so that the picture a whole fleet fetches after a
/// publish is read from the blob store once. Starts over when it would outgrow its budget.
#[derive(Debug)]
pub struct SmallBlobs {
    budget: usize,
    kept: std::sync::Mutex<(HashMap<BlobId, bytes::Bytes>, usize)>,
    reading: std::sync::Mutex<HashMap<BlobId, Arc<tokio::sync::OnceCell<bytes::Bytes>>>>,
}

impl SmallBlobs {
    /// A cache of at most `budget` bytes.
    pub fn new(budget: usize) -> Self {
        Self { budget, kept: Default::default(), reading: Default::default() }
    }

    /// The bytes of blob `id`: kept ones, or else read from `store` once for
    /// all the requests that ask at the same moment (a fleet after a publish)
    /// and kept.
    pub async fn read(&self, id: &BlobId, store: &dyn BlobStore) -> std::io::Result<bytes::Bytes> {
        if let Some(bytes) = self.get(id) {
            return Ok(bytes);
        }
        let cell =
            self.reading.lock().unwrap_or_else(|p| p.into_inner()).entry(id.clone()).or_default().clone();
        let read = cell.get_or_try_init(|| read_whole(id, store)).await.cloned();
        if let Ok(bytes) = &read {
            self.insert(id.clone(), bytes.clone());
        }
        self.reading.lock().unwrap_or_else(|p| p.into_inner()).remove(id);
        read
    }

    /// The bytes kept for `id`.
    pub fn get(&self, id: &BlobId) -> Option<bytes::Bytes> {
        self.kept.lock().unwrap_or_else(|p| p.into_inner()).0.get(id).cloned()
    }

    /// Keeps `bytes` for `id` (nothing larger than the budget).
    pub fn insert(&self, id: BlobId, bytes: bytes::Bytes) {
        if bytes.len() > self.budget {
            return;
        }
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if kept.1 + bytes.len() > self.budget {
            *kept = Default::default();
        }
        kept.1 += bytes.len();
        kept.0.insert(id, bytes);
    }
}

/// Every byte of blob `id` from `store`.
async fn read_whole(id: &BlobId, store: &dyn BlobStore) -> std::io::Result<bytes::Bytes> {
    use futures_util::StreamExt;
    let stream = store.read(id, None).await.map_err(std::io::Error::other)?;
    let Some(mut stream) = stream else {
        return Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("blob {id} is not stored")));
    };
    let mut whole = bytes::BytesMut::new();
    while let Some(chunk) = stream.next().await {
        whole.extend_from_slice(&chunk?);
    }
    Ok(whole.freeze())
}

/// Every memo of the server; cheap to clone.
#[derive(Debug, Clone)]
pub struct Memos {
    /// Token hash → the device token.
    pub devices: Arc<DeviceTokens>,
    /// `(channel, or any for the admin; blob)` → the media type a release lists it with.
    pub listed: Arc<Memo<(Option<String>, String), String>>,
    /// Blob → where it is stored.
    pub stored: Arc<Memo<BlobId, StoredBlob>>,
    /// Channel → its current release.
    pub current: Arc<Memo<String, Arc<StoredRelease>>>,
    /// Small blobs' bytes.
    pub small_blobs: Arc<SmallBlobs>,
}

impl Default for Memos {
    fn default() -> Self {
        Self {
            devices: Arc::default(),
            listed: Arc::default(),
            stored: Arc::default(),
            current: Arc::default(),
            small_blobs: Arc::new(SmallBlobs::new(SMALL_BLOBS_BUDGET)),
        }
    }
}

/// What the small blobs' cache may hold.
pub const SMALL_BLOBS_BUDGET: usize = 64 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_blobs_stay_within_their_budget() {
        let cache = SmallBlobs::new(10);
        let (a, b, c) = (BlobId::of(b"a"), BlobId::of(b"b"), BlobId::of(b"c"));
        cache.insert(a.clone(), bytes::Bytes::from_static(b"123456"));
        cache.insert(b.clone(), bytes::Bytes::from_static(b"7890"));
        assert!(cache.get(&a).is_some() && cache.get(&b).is_some());
        cache.insert(c.clone(), bytes::Bytes::from_static(b"x"));
        assert!(cache.get(&a).is_none(), "over budget: it starts over");
        assert_eq!(cache.get(&c).as_deref(), Some(&b"x"[..]));
        cache.insert(a.clone(), bytes::Bytes::from(vec![0; 11]));
        assert!(cache.get(&a).is_none(), "larger than the budget: never kept");
    }

    #[test]
    fn a_forgotten_device_s_tokens_are_gone_and_answers_read_before_are_not_kept() {
        let tokens = DeviceTokens::default();
        let token = |id: &str| DeviceToken {
            id: id.into(),
            channel: "c".into(),
            expires_at: String::new(),
            revoked_at: None,
            current: true,
        };
        tokens.insert(tokens.generation(), "a1".into(), token("a"));
        tokens.insert(tokens.generation(), "b1".into(), token("b"));
        let read_before = tokens.generation();
        tokens.forget_device("a");
        assert_eq!(tokens.get("a1"), None);
        assert_eq!(tokens.get("b1"), Some(token("b")));
        tokens.insert(read_before, "a1".into(), token("a"));
        assert_eq!(tokens.get("a1"), None, "read before the revocation: not kept");
        tokens.insert(tokens.generation(), "a2".into(), token("a"));
        assert!(tokens.get("a2").is_some());
    }

    #[test]
    fn keeps_and_replaces_answers() {
        let memo: Memo<String, u32> = Memo::default();
        assert_eq!(memo.get(&"a".into()), None);
        memo.insert("a".into(), 1);
        memo.insert("a".into(), 2);
        assert_eq!(memo.get(&"a".into()), Some(2));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn requests_asking_at_once_read_an_answer_once_and_a_missing_one_is_read_again() {
        let memo: Arc<Memo<String, u32>> = Arc::default();
        let reads = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let asking: Vec<_> = (0..50)
            .map(|_| {
                let (memo, reads) = (memo.clone(), reads.clone());
                tokio::spawn(async move {
                    let load = || async {
                        reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        Ok::<_, std::io::Error>(Some(7))
                    };
                    memo.get_or_load(&"picture".to_owned(), load).await.unwrap()
                })
            })
            .collect();
        for asked in asking {
            assert_eq!(asked.await.unwrap(), Some(7));
        }
        assert_eq!(reads.load(std::sync::atomic::Ordering::SeqCst), 1, "read once for all");
        assert_eq!(memo.get(&"picture".to_owned()), Some(7));

        let missing = || async { Ok::<_, std::io::Error>(None) };
        assert_eq!(memo.get_or_load(&"gone".to_owned(), missing).await.unwrap(), None);
        let found = || async { Ok::<_, std::io::Error>(Some(1)) };
        assert_eq!(
            memo.get_or_load(&"gone".to_owned(), found).await.unwrap(),
            Some(1),
            "not found is not kept"
        );
        let failing = || async { Err::<Option<u32>, _>(std::io::Error::other("down")) };
        assert!(memo.get_or_load(&"other".to_owned(), failing).await.is_err());
        let back = || async { Ok::<_, std::io::Error>(Some(2)) };
        assert_eq!(
            memo.get_or_load(&"other".to_owned(), back).await.unwrap(),
            Some(2),
            "an error is not kept"
        );
    }
}
