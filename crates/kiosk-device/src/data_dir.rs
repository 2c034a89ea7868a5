//! The layout of a screen's data folder, in one place.
//!
//! ```text
//! <data_dir>/
//!   kiosk.sqlite                       the store (trusted versions, the outbox, film checks)
//!   kiosk.sqlite.broken-<time>         a store that could not be used at start, kept aside
//!   kiosk.sqlite.newer-<time>          a store made by a newer program, kept aside
//!   blobs/<sha256>                     every blob of every kept release, once
//!   releases/<channel>/<version>/      manifest.json + manifest.sig
//!   active.json                        {"channel": …, "version": …}, replaced atomically
//!   incoming/<any name>/               bundle folders to import at start
//!   incoming/.sync-<channel>/blobs/    blobs being staged for a release (resumable)
//!   emergency.json                     the emergency message held, signed
//!   .built-in/                         the app's embedded bundle, written out
//!   .lock                              held while the library changes
//!   alsa-silent.conf                   ALSA's silent default, on a machine without sound
//! ```
//!
//! Nothing else spells these names: the library, the store, the sync loop and
//! the screen ask a [`DataDir`].

use std::path::{Path, PathBuf};

use kiosk_core::blob::BlobId;

use crate::store::{Store, StoreError};

/// A screen's data folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// The data folder at `root` (nothing is created yet; see [`DataDir::create`]).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// Creates the folder and the library's folders in it, if missing.
    pub fn create(&self) -> std::io::Result<()> {
        for dir in [self.root.clone(), self.blobs(), self.releases(), self.incoming()] {
            std::fs::create_dir_all(&dir)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
        }
        Ok(())
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The SQLite store's file.
    pub fn store_file(&self) -> PathBuf {
        self.root.join("kiosk.sqlite")
    }

    /// Opens a connection to the store (creating and migrating it if needed).
    pub fn open_store(&self) -> Result<Store, StoreError> {
        Store::open(&self.store_file())
    }

    /// The pool of blobs, named by SHA-256.
    pub fn blobs(&self) -> PathBuf {
        self.root.join("blobs")
    }

    /// The pool's file for a blob (it may be absent).
    pub fn blob(&self, id: &BlobId) -> PathBuf {
        self.blobs().join(id.as_str())
    }

    /// The releases kept, one folder per channel.
    pub fn releases(&self) -> PathBuf {
        self.root.join("releases")
    }

    /// The releases kept of one channel.
    pub fn channel_releases(&self, channel: &str) -> PathBuf {
        self.releases().join(channel)
    }

    /// One release's folder (`manifest.json`, `manifest.sig`).
    pub fn release(&self, channel: &str, version: u64) -> PathBuf {
        self.channel_releases(channel).join(version.to_string())
    }

    /// The pointer to the active release.
    pub fn active_pointer(&self) -> PathBuf {
        self.root.join("active.json")
    }

    /// Where bundle folders wait to be imported at start.
    pub fn incoming(&self) -> PathBuf {
        self.root.join("incoming")
    }

    /// Where the blobs of a release of `channel` are staged before they enter
    /// the pool; partial downloads there resume.
    pub fn staging(&self, channel: &str) -> PathBuf {
        self.incoming().join(format!(".sync-{channel}"))
    }

    /// The emergency message held.
    pub fn emergency(&self) -> PathBuf {
        self.root.join("emergency.json")
    }

    /// The app's embedded bundle, written out to be verified and imported.
    pub fn built_in(&self) -> PathBuf {
        self.root.join(".built-in")
    }

    /// The lock file held while the library changes.
    pub fn lock_file(&self) -> PathBuf {
        self.root.join(".lock")
    }

    /// ALSA's silent configuration, on a machine without a sound card.
    pub fn silent_alsa_config(&self) -> PathBuf {
        self.root.join("alsa-silent.conf")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_every_place_under_its_root() {
        let dir = DataDir::new("/var/lib/binhduong-kiosk");
        let id = BlobId::of(b"film");
        assert_eq!(dir.store_file(), Path::new("/var/lib/binhduong-kiosk/kiosk.sqlite"));
        assert_eq!(dir.blob(&id), Path::new("/var/lib/binhduong-kiosk/blobs").join(id.as_str()));
        assert_eq!(dir.release("wtc-booths", 7), Path::new("/var/lib/binhduong-kiosk/releases/wtc-booths/7"));
        assert_eq!(
            dir.staging("wtc-booths"),
            Path::new("/var/lib/binhduong-kiosk/incoming/.sync-wtc-booths")
        );
        assert_eq!(dir.active_pointer(), Path::new("/var/lib/binhduong-kiosk/active.json"));
        assert_eq!(dir.emergency(), Path::new("/var/lib/binhduong-kiosk/emergency.json"));
    }

    #[test]
    fn creates_the_library_folders() {
        let temp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(temp.path().join("screen"));
        dir.create().unwrap();
        for place in [dir.blobs(), dir.releases(), dir.incoming()] {
            assert!(place.is_dir(), "{}", place.display());
        }
        dir.open_store().unwrap();
        assert!(dir.store_file().is_file());
    }
}
