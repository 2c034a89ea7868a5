//! The release being shown, shared by the servers and the app, and replaceable in
//! one step when a newer release is activated.

use std::sync::{Arc, RwLock};

use crate::library::ActiveRelease;

/// A handle to the release on screen; clones share it.
#[derive(Debug, Clone)]
pub struct CurrentRelease(Arc<RwLock<Arc<ActiveRelease>>>);

impl CurrentRelease {
    /// Starts with `release`.
    pub fn new(release: ActiveRelease) -> Self {
        Self(Arc::new(RwLock::new(Arc::new(release))))
    }

    /// The release now.
    pub fn get(&self) -> Arc<ActiveRelease> {
        self.0.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Replaces the release for everyone at once.
    pub fn set(&self, release: ActiveRelease) {
        *self.0.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(release);
    }
}
