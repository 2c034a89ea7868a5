//! The release being shown, shared by the servers and the app, and replaceable in
//! one step when a newer release is activated. A screen that has never held a
//! release (a fresh data folder waiting for its first sync) shows none.

use std::sync::{Arc, RwLock};

use crate::library::ActiveRelease;

/// A handle to the release on screen; clones share it.
#[derive(Debug, Clone, Default)]
pub struct CurrentRelease(Arc<RwLock<Option<Arc<ActiveRelease>>>>);

impl CurrentRelease {
    /// Starts with `release`.
    pub fn new(release: ActiveRelease) -> Self {
        Self(Arc::new(RwLock::new(Some(Arc::new(release)))))
    }

    /// Starts with no release.
    pub fn none() -> Self {
        Self::default()
    }

    /// The release now, if there is one.
    pub fn get(&self) -> Option<Arc<ActiveRelease>> {
        self.0.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Replaces the release for everyone at once.
    pub fn set(&self, release: ActiveRelease) {
        *self.0.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Arc::new(release));
    }
}
