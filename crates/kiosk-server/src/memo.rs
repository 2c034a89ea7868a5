//! Answers the hot routes give again and again, kept in memory so that a
//! fleet's polling does not queue on the database: which device holds a token,
//! which blobs a channel's releases list, where a stored blob is, and each
//! channel's current release.
//!
//! Only answers that cannot change are kept (tokens are never reissued, releases
//! are immutable, blobs are named by their content), except the current
//! release, which [`crate::publish`] replaces as it publishes.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, RwLock};

use kiosk_core::blob::BlobId;

use crate::blob_store::StoredBlob;
use crate::db::StoredRelease;

/// A map read by many requests at once.
#[derive(Debug)]
pub struct Memo<K, V>(RwLock<HashMap<K, V>>);

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self(RwLock::new(HashMap::new()))
    }
}

impl<K: Eq + Hash, V: Clone> Memo<K, V> {
    /// The answer kept for `key`.
    pub fn get(&self, key: &K) -> Option<V> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).get(key).cloned()
    }

    /// Keeps `value` for `key`.
    pub fn insert(&self, key: K, value: V) {
        self.0.write().unwrap_or_else(|p| p.into_inner()).insert(key, value);
    }
}

/// Every memo of the server; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Memos {
    /// Token hash → `(device id, channel)`.
    pub devices: Arc<Memo<String, (String, String)>>,
    /// `(channel, or any for the admin; blob)` → the media type a release lists it with.
    pub listed: Arc<Memo<(Option<String>, String), String>>,
    /// Blob → where it is stored.
    pub stored: Arc<Memo<BlobId, StoredBlob>>,
    /// Channel → its current release.
    pub current: Arc<Memo<String, Arc<StoredRelease>>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_and_replaces_answers() {
        let memo: Memo<String, u32> = Memo::default();
        assert_eq!(memo.get(&"a".into()), None);
        memo.insert("a".into(), 1);
        memo.insert("a".into(), 2);
        assert_eq!(memo.get(&"a".into()), Some(2));
    }
}
