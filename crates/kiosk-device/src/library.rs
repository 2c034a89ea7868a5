//! The device's release library: every release it has trusted, their blobs in one
//! content-addressed pool, and which release is active.
//!
//! ```text
//! <data_dir>/
//!   kiosk.sqlite                       the store (trusted versions, downloads)
//!   blobs/<sha256>                     every blob of every kept release, once
//!   releases/<channel>/<version>/      manifest.json + manifest.sig
//!   active.json                        {"channel": …, "version": …}, replaced atomically
//!   incoming/<any name>/               bundle folders to import at start
//! ```
//!
//! A release enters the library only after it verified completely, and every blob
//! is written to a temporary name, synced and renamed, so a crash at any point
//! leaves either the old state or the new one. Activation is one atomic rename.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use ed25519_dalek::VerifyingKey;
use jiff::Timestamp;
use kiosk_core::blob::{BlobHasher, BlobId, BlobRef};
use kiosk_core::manifest::Manifest;
use kiosk_core::verify::{Rejection, TrustPolicy, TrustedRelease, VerifiedManifest, check_blob};
use serde::{Deserialize, Serialize};

use crate::bundle_folder::{
    BundleError, BundlePaths, blob_facts, read_verified_manifest, verify_blobs, verify_manifest_files,
};
use crate::store::{Store, StoreError};

/// The channel of the content built into the app.
pub const BUILT_IN_CHANNEL: &str = "default";

/// A failure of the library, naming what failed.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    /// The bundle did not verify.
    #[error(transparent)]
    Bundle(#[from] BundleError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Disk I/O failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// Nothing valid to show.
    #[error("no valid release for channel {channel:?} nor built-in content in {data_dir}")]
    NoContent {
        /// The device's channel.
        channel: String,
        /// The data folder.
        data_dir: PathBuf,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> LibraryError + '_ {
    move |source| LibraryError::Io { path: path.to_owned(), source }
}

/// The release a device shows, verified completely.
#[derive(Debug, Clone)]
pub struct ActiveRelease {
    /// Its manifest.
    pub manifest: Manifest,
    /// SHA-256 of its `manifest.json`.
    pub manifest_sha256: BlobId,
    /// The pinned key that signed it.
    pub key_id: String,
    /// The pool its blobs live in.
    pub blob_dir: PathBuf,
}

impl ActiveRelease {
    /// The file of a blob this release lists; `None` for any other name.
    pub fn blob_path(&self, id: &BlobId) -> Option<(PathBuf, &BlobRef)> {
        self.manifest.blob(id).map(|blob| (self.blob_dir.join(id.as_str()), blob))
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct ActivePointer {
    channel: String,
    version: u64,
}

/// Held while the library is changed; see [`Library::lock`].
#[derive(Debug)]
pub struct LibraryLock {
    _file: File,
}

/// What [`Library::collect`] removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Collected {
    /// Releases dropped.
    pub releases: usize,
    /// Blobs deleted.
    pub blobs: usize,
}

/// What the device trusts: its keys and channel.
#[derive(Debug, Clone)]
pub struct Trust {
    /// Pinned public keys.
    pub keys: Vec<VerifyingKey>,
    /// The device's channel.
    pub channel: String,
}

/// The library in a data folder.
#[derive(Debug)]
pub struct Library {
    root: PathBuf,
    store: Store,
}

impl Library {
    /// Opens the library, creating its folders and store.
    pub fn open(data_dir: &Path) -> Result<Self, LibraryError> {
        for dir in [
            data_dir.to_owned(),
            data_dir.join("blobs"),
            data_dir.join("releases"),
            data_dir.join("incoming"),
        ] {
            std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        }
        let store = Store::open(&data_dir.join("kiosk.sqlite"))?;
        Ok(Self { root: data_dir.to_owned(), store })
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The data folder.
    pub fn data_dir(&self) -> &Path {
        &self.root
    }

    /// The folder where bundles to import are dropped.
    pub fn incoming_dir(&self) -> PathBuf {
        self.root.join("incoming")
    }

    fn blob_dir(&self) -> PathBuf {
        self.root.join("blobs")
    }

    /// The pool's file for a blob (it may be absent).
    pub fn pool_path(&self, id: &BlobId) -> PathBuf {
        self.blob_dir().join(id.as_str())
    }

    /// The blobs in the pool, by name (not checked: import checks what it uses).
    pub fn held_blobs(&self) -> std::collections::BTreeSet<BlobId> {
        std::fs::read_dir(self.blob_dir())
            .into_iter()
            .flatten()
            .filter_map(|entry| BlobId::parse(entry.ok()?.file_name().to_str()?).ok())
            .collect()
    }

    fn release_dir(&self, channel: &str, version: u64) -> PathBuf {
        self.root.join("releases").join(channel).join(version.to_string())
    }

    /// Verifies the bundle in `dir` completely and adds it to the library.
    /// Every blob is checked before any is copied, so nothing of a bundle that
    /// fails a check enters the library; a damaged copy already in the pool is
    /// replaced by the good one.
    pub fn import(
        &self,
        dir: &Path,
        keys: &[VerifyingKey],
        channel: &str,
        now: Timestamp,
    ) -> Result<VerifiedManifest, LibraryError> {
        let trusted = self.store.trusted_release(channel)?;
        let policy = TrustPolicy { keys, channel, trusted: trusted.as_ref(), now };
        let paths = BundlePaths::in_dir(dir);
        let files = read_verified_manifest(&paths, &policy)?;
        let manifest = &files.verified.manifest;
        verify_blobs(manifest, &paths.blobs)?;
        for blob in &manifest.blobs {
            self.copy_blob(&paths.blobs, blob)?;
        }
        self.commit_release(channel, &files.verified, &files.manifest_bytes, &files.signature_bytes, now)?;
        Ok(files.verified)
    }

    /// The last steps of adding a verified release whose blobs are all in the
    /// pool: the pool's names made durable, the release folder written, the
    /// release trusted.
    fn commit_release(
        &self,
        channel: &str,
        verified: &VerifiedManifest,
        manifest_bytes: &[u8],
        signature: &[u8],
        now: Timestamp,
    ) -> Result<(), LibraryError> {
        sync_dir(&self.blob_dir())?;
        self.store_release(channel, verified.manifest.version, manifest_bytes, signature)?;
        let release = TrustedRelease {
            version: verified.manifest.version,
            manifest_sha256: verified.manifest_sha256.clone(),
        };
        self.store.trust_release(channel, &release, now)?;
        Ok(())
    }

    /// Moves a blob into the pool by one rename from `checked`, a file on the
    /// same filesystem whose size and SHA-256 the caller has checked against
    /// `id` and synced to disk (the sync client's downloads).
    pub fn admit_checked_blob(&self, checked: &Path, id: &BlobId) -> Result<(), LibraryError> {
        let target = self.pool_path(id);
        std::fs::rename(checked, &target).map_err(io(&target))
    }

    /// The blobs of `manifest` already in the pool with their listed length
    /// (a blob with another length is fetched again). Names and lengths only:
    /// every pooled blob was checked when it entered the pool.
    pub fn pooled_blobs(&self, manifest: &Manifest) -> std::collections::BTreeSet<BlobId> {
        manifest
            .blobs
            .iter()
            .filter(|blob| {
                std::fs::metadata(self.pool_path(&blob.sha256)).is_ok_and(|m| m.len() == blob.size)
            })
            .map(|blob| blob.sha256.clone())
            .collect()
    }

    /// Adds a release whose blobs are all in the pool already, each checked as
    /// it entered ([`Library::admit_checked_blob`]), so none is hashed again.
    /// `verified` is what [`kiosk_core::verify::verify_manifest`] made of
    /// `manifest_bytes` and `signature` for this channel; it is checked once
    /// more against what is trusted now (a USB stick may have brought a newer
    /// release meanwhile), every listed blob's presence and length are checked,
    /// then the release is stored and trusted. Returns it, ready for
    /// [`Library::activate`].
    pub fn adopt(
        &self,
        verified: VerifiedManifest,
        manifest_bytes: &[u8],
        signature: &[u8],
        now: Timestamp,
    ) -> Result<ActiveRelease, LibraryError> {
        let channel = verified.manifest.channel.clone();
        let channel = channel.as_str();
        let trusted = self.store.trusted_release(channel)?;
        let place = self.root.join("releases").join(channel);
        let rejected =
            |rejection| LibraryError::Bundle(BundleError::Rejected { place: place.clone(), rejection });
        kiosk_core::verify::check_not_behind(
            verified.manifest.version,
            &verified.manifest_sha256,
            trusted.as_ref(),
        )
        .map_err(rejected)?;
        let pooled = self.pooled_blobs(&verified.manifest);
        if let Some(missing) = verified.manifest.blobs.iter().find(|b| !pooled.contains(&b.sha256)) {
            return Err(rejected(kiosk_core::verify::Rejection::BlobMissing(missing.sha256.clone())));
        }
        self.commit_release(channel, &verified, manifest_bytes, signature, now)?;
        Ok(ActiveRelease {
            manifest: verified.manifest,
            manifest_sha256: verified.manifest_sha256,
            key_id: verified.key_id,
            blob_dir: self.blob_dir(),
        })
    }

    /// Writes the verified manifest bytes as `releases/<channel>/<version>/`, by
    /// one rename; an existing folder with other bytes is replaced.
    fn store_release(
        &self,
        channel: &str,
        version: u64,
        manifest: &[u8],
        signature: &[u8],
    ) -> Result<(), LibraryError> {
        let target = self.release_dir(channel, version);
        if std::fs::read(target.join("manifest.json")).is_ok_and(|bytes| bytes == manifest)
            && std::fs::read(target.join("manifest.sig")).is_ok_and(|bytes| bytes == signature)
        {
            return Ok(());
        }
        let parent = target.parent().expect("release dirs have a parent");
        std::fs::create_dir_all(parent).map_err(io(parent))?;
        let partial = parent.join(format!(".{version}.partial"));
        let _ = std::fs::remove_dir_all(&partial);
        std::fs::create_dir_all(&partial).map_err(io(&partial))?;
        write_synced(&partial.join("manifest.json"), manifest)?;
        write_synced(&partial.join("manifest.sig"), signature)?;
        if target.exists() {
            std::fs::remove_dir_all(&target).map_err(io(&target))?;
        }
        std::fs::rename(&partial, &target).map_err(io(&target))?;
        sync_dir(parent)
    }

    /// Copies one blob into the pool through a temporary file, checking it on the
    /// way, unless the pool already holds a good copy.
    fn copy_blob(&self, from_dir: &Path, blob: &BlobRef) -> Result<(), LibraryError> {
        let source = from_dir.join(blob.sha256.as_str());
        let target = self.blob_dir().join(blob.sha256.as_str());
        if blob_facts(&target, blob.size)
            .ok()
            .flatten()
            .is_some_and(|facts| check_blob(blob, Some(&facts)).is_ok())
        {
            return Ok(());
        }
        let reject =
            |rejection| LibraryError::Bundle(BundleError::Rejected { place: source.clone(), rejection });
        let mut input = File::open(&source).map_err(io(&source))?.take(blob.size + 1);
        let temp = self.blob_dir().join(format!(".{}.incoming", blob.sha256));
        let mut output = File::create(&temp).map_err(io(&temp))?;
        let mut hasher = BlobHasher::new();
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = input.read(&mut buffer).map_err(io(&source))?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            output.write_all(&buffer[..n]).map_err(io(&temp))?;
        }
        if let Err(rejection) = check_blob(blob, Some(&hasher.finish())) {
            let _ = std::fs::remove_file(&temp);
            return Err(reject(rejection));
        }
        output.sync_all().map_err(io(&temp))?;
        std::fs::rename(&temp, &target).map_err(io(&target))
    }

    /// Drops all but the `keep` newest releases of `channel` (never `active`),
    /// then, when one was dropped, every pooled blob that no remaining release of
    /// any channel lists.
    /// When a remaining manifest cannot be read, no blob is deleted.
    pub fn collect(&self, channel: &str, active: u64, keep: usize) -> Result<Collected, LibraryError> {
        let (_, dropped) = kiosk_core::sync::releases_to_keep(&self.versions(channel), active, keep);
        if dropped.is_empty() {
            // No release left, so no blob lost its last user (blobs of a round that
            // failed wait for the next release that is dropped).
            return Ok(Collected { releases: 0, blobs: 0 });
        }
        for version in &dropped {
            let dir = self.release_dir(channel, *version);
            std::fs::remove_dir_all(&dir).map_err(io(&dir))?;
        }
        let mut kept = Vec::new();
        for channel_dir in std::fs::read_dir(self.root.join("releases")).into_iter().flatten().flatten() {
            for release_dir in std::fs::read_dir(channel_dir.path()).into_iter().flatten().flatten() {
                let path = release_dir.path().join("manifest.json");
                if release_dir.file_name().to_string_lossy().starts_with('.') {
                    continue;
                }
                match std::fs::read(&path).ok().and_then(|bytes| Manifest::decode(&bytes).ok()) {
                    Some(manifest) => kept.push(manifest),
                    None => {
                        tracing::warn!(path = %path.display(), "unreadable release: no blob collected");
                        return Ok(Collected { releases: dropped.len(), blobs: 0 });
                    }
                }
            }
        }
        let held = self.held_blobs();
        let unreferenced = kiosk_core::sync::unreferenced_blobs(&held, &kept.iter().collect::<Vec<_>>());
        for blob in &unreferenced {
            let path = self.pool_path(blob);
            std::fs::remove_file(&path).map_err(io(&path))?;
        }
        Ok(Collected { releases: dropped.len(), blobs: unreferenced.len() })
    }

    /// Versions of `channel` in the library, newest first.
    pub fn versions(&self, channel: &str) -> Vec<u64> {
        let mut versions: Vec<u64> = std::fs::read_dir(self.root.join("releases").join(channel))
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
            .collect();
        versions.sort_unstable_by(|a, b| b.cmp(a));
        versions
    }

    /// The newest release of `channel` that verifies completely now; each damaged
    /// one is logged with its reason and passed over. When the newest one has
    /// expired, none is given: the older ones were withdrawn before it.
    pub fn newest_valid(
        &self,
        keys: &[VerifyingKey],
        channel: &str,
        now: Timestamp,
    ) -> Option<ActiveRelease> {
        for version in self.versions(channel) {
            let paths = BundlePaths::in_dir(&self.release_dir(channel, version));
            let policy = TrustPolicy { keys, channel, trusted: None, now };
            let checked = verify_manifest_files(&paths, &policy)
                .and_then(|verified| verify_blobs(&verified.manifest, &self.blob_dir()).map(|()| verified));
            match checked {
                Ok(verified) if verified.manifest.version == version => {
                    return Some(ActiveRelease {
                        manifest: verified.manifest,
                        manifest_sha256: verified.manifest_sha256,
                        key_id: verified.key_id,
                        blob_dir: self.blob_dir(),
                    });
                }
                Ok(verified) => tracing::warn!(
                    channel,
                    version,
                    found = verified.manifest.version,
                    "stored release refused: its folder and manifest disagree on the version"
                ),
                Err(error) if error.rejection().is_some_and(|r| r.code() == "expired") => {
                    // Older releases of the channel were replaced before this one
                    // expired; showing them again would bring back withdrawn content.
                    tracing::warn!(channel, version, %error, "newest release expired; older ones are not shown");
                    return None;
                }
                Err(error) => {
                    if let Some(Rejection::BlobHash { id, .. } | Rejection::BlobSize { id, .. }) =
                        error.rejection()
                    {
                        // The pool is named by content: a file that does not match its
                        // name is garbage, and the next sync or import fetches it again.
                        tracing::warn!(blob = %id, "damaged blob removed from the pool");
                        let _ = std::fs::remove_file(self.pool_path(id));
                    }
                    tracing::warn!(channel, version, %error, "stored release refused")
                }
            }
        }
        None
    }

    /// Records `release` as the active one, atomically.
    pub fn activate(&self, release: &ActiveRelease) -> Result<(), LibraryError> {
        let pointer =
            ActivePointer { channel: release.manifest.channel.clone(), version: release.manifest.version };
        let path = self.root.join("active.json");
        crate::durable::replace_file(&path, &serde_json::to_vec(&pointer).expect("pointer serializes"))
            .map_err(io(&path))
    }

    /// Waits until no other thread or process of this data folder changes the
    /// library (a sync, a USB import), and holds it until the guard is dropped.
    pub fn lock(&self) -> Result<LibraryLock, LibraryError> {
        let path = self.root.join(".lock");
        let file = File::options().create(true).truncate(false).write(true).open(&path).map_err(io(&path))?;
        rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)
            .map_err(|e| LibraryError::Io { path: path.clone(), source: e.into() })?;
        Ok(LibraryLock { _file: file })
    }

    /// The active release as last recorded: `(channel, version)`.
    pub fn active_pointer(&self) -> Option<(String, u64)> {
        active_pointer_in(&self.root)
    }

    /// Start-up: imports bundles waiting in `incoming/` (removing those imported,
    /// renaming refused ones to `<name>.rejected` after logging why), imports the
    /// built-in bundle, then activates the newest valid release of the device's
    /// channel, or else the newest valid built-in content.
    pub fn start(
        &self,
        trust: &Trust,
        built_in: Option<&Path>,
        now: Timestamp,
    ) -> Result<ActiveRelease, LibraryError> {
        self.import_incoming(trust, now);
        if let Some(dir) = built_in
            && let Err(error) = self.import(dir, &trust.keys, BUILT_IN_CHANNEL, now)
        {
            tracing::error!(%error, "built-in content refused");
        }
        let release = self
            .newest_valid(&trust.keys, &trust.channel, now)
            .or_else(|| self.newest_valid(&trust.keys, BUILT_IN_CHANNEL, now))
            .ok_or_else(|| LibraryError::NoContent {
                channel: trust.channel.clone(),
                data_dir: self.root.clone(),
            })?;
        self.activate(&release)?;
        tracing::info!(
            channel = release.manifest.channel,
            version = release.manifest.version,
            key = release.key_id,
            blobs = release.manifest.blobs.len(),
            "content active"
        );
        Ok(release)
    }

    fn import_incoming(&self, trust: &Trust, now: Timestamp) {
        let incoming = self.incoming_dir();
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&incoming)
            .into_iter()
            .flatten()
            .filter_map(|entry| Some(entry.ok()?.path()))
            .filter(|path| {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or(".");
                path.is_dir() && !name.starts_with('.') && !name.ends_with(".rejected")
            })
            .collect();
        dirs.sort();
        for dir in dirs {
            match self.import(&dir, &trust.keys, &trust.channel, now) {
                Ok(verified) => {
                    tracing::info!(bundle = %dir.display(), version = verified.manifest.version, "bundle imported");
                    if let Err(error) = std::fs::remove_dir_all(&dir) {
                        tracing::warn!(bundle = %dir.display(), %error, "imported bundle could not be removed");
                    }
                }
                Err(error) => {
                    tracing::warn!(bundle = %dir.display(), %error, "bundle refused; the current content stays");
                    let mut rejected = dir.clone().into_os_string();
                    rejected.push(".rejected");
                    let _ = std::fs::rename(&dir, rejected);
                }
            }
        }
    }
}

/// The active release recorded in the data folder `data_dir`, read without
/// opening the library: `(channel, version)`.
pub fn active_pointer_in(data_dir: &Path) -> Option<(String, u64)> {
    let bytes = std::fs::read(data_dir.join("active.json")).ok()?;
    let pointer: ActivePointer = serde_json::from_slice(&bytes).ok()?;
    Some((pointer.channel, pointer.version))
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), LibraryError> {
    let mut file = File::create(path).map_err(io(path))?;
    file.write_all(bytes).map_err(io(path))?;
    file.sync_all().map_err(io(path))
}

fn sync_dir(dir: &Path) -> Result<(), LibraryError> {
    crate::durable::sync_dir(dir).map_err(io(dir))
}
