//! The device's release library: every release it has trusted, their blobs in one
//! content-addressed pool, and which release is active (the folder layout is
//! [`DataDir`]'s).
//!
//! A release enters the library through one door, whether it comes from a
//! server, a booth mirror, a USB stick or the app's own bundle:
//! [`Library::stage`] → [`Staging::admit`] (or [`Staging::admit_copy`]) for each
//! blob → [`Staging::commit`] with the [`VerifiedManifest`], which carries the
//! exact bytes and signature that were verified. A blob enters the pool only
//! after its size and SHA-256 matched, synced, by one rename; a release folder
//! appears by one rename after its blobs are all in place. A crash at any point
//! leaves either the old state or the new one. Activation is one atomic rename.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use ed25519_dalek::VerifyingKey;
use jiff::Timestamp;
use kiosk_core::blob::{BlobHasher, BlobId, BlobRef};
use kiosk_core::manifest::Manifest;
use kiosk_core::verify::{Rejection, TrustPolicy, TrustedRelease, VerifiedManifest, check_blob};
use serde::{Deserialize, Serialize};

use crate::bundle_folder::{BundleError, BundlePaths, blob_facts, verify_blobs, verify_manifest_files};
use crate::data_dir::DataDir;
use crate::store::{Store, StoreError};
use crate::untrusted_file::{self, UntrustedFileError};

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

impl LibraryError {
    /// Why a release or blob was refused, when that is what failed.
    pub fn rejection(&self) -> Option<&Rejection> {
        match self {
            Self::Bundle(error) => error.rejection(),
            _ => None,
        }
    }
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

    fn of(verified: VerifiedManifest, blob_dir: PathBuf) -> Self {
        Self {
            manifest: verified.manifest,
            manifest_sha256: verified.manifest_sha256,
            key_id: verified.key_id,
            blob_dir,
        }
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
    /// Pinned public keys of content (releases).
    pub keys: Vec<VerifyingKey>,
    /// The device's channel.
    pub channel: String,
    /// Pinned public keys of emergency messages, a set of its own: a key that
    /// signs content cannot raise an evacuation notice. Empty: none is shown.
    pub emergency_keys: Vec<VerifyingKey>,
}

impl Trust {
    /// Trusts content signed by `keys` on `channel`, and no emergency message.
    pub fn new(keys: Vec<VerifyingKey>, channel: impl Into<String>) -> Self {
        Self { keys, channel: channel.into(), emergency_keys: Vec::new() }
    }

    /// Trusts emergency messages signed by `keys` as well.
    pub fn with_emergency_keys(self, keys: Vec<VerifyingKey>) -> Self {
        Self { emergency_keys: keys, ..self }
    }
}

/// The library in a data folder.
#[derive(Debug)]
pub struct Library {
    dir: DataDir,
    store: Store,
}

impl Library {
    /// Opens the library in the data folder at `data_dir`, creating its folders
    /// and store.
    pub fn open(data_dir: &Path) -> Result<Self, LibraryError> {
        Self::at(DataDir::new(data_dir))
    }

    /// Opens the library in `dir`, creating its folders and store.
    pub fn at(dir: DataDir) -> Result<Self, LibraryError> {
        dir.create().map_err(io(dir.root()))?;
        let store = dir.open_store()?;
        Ok(Self { dir, store })
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The data folder.
    pub fn data_dir(&self) -> &DataDir {
        &self.dir
    }

    /// The folder where bundles to import are dropped.
    pub fn incoming_dir(&self) -> PathBuf {
        self.dir.incoming()
    }

    /// The pool's file for a blob (it may be absent).
    pub fn pool_path(&self, id: &BlobId) -> PathBuf {
        self.dir.blob(id)
    }

    /// The blobs in the pool, by name (not checked: import checks what it uses).
    pub fn held_blobs(&self) -> BTreeSet<BlobId> {
        std::fs::read_dir(self.dir.blobs())
            .into_iter()
            .flatten()
            .filter_map(|entry| BlobId::parse(entry.ok()?.file_name().to_str()?).ok())
            .collect()
    }

    /// Opens the door for a release of `channel` from a server or a mirror:
    /// its blobs are staged in `incoming/.sync-<channel>/` (partial downloads
    /// left there by an earlier round resume) and admitted one by one.
    pub fn stage(&self, channel: &str) -> Result<Staging, LibraryError> {
        Staging::open(self, self.dir.staging(channel))
    }

    /// Verifies the bundle in `dir` completely and adds it to the library.
    /// Every blob is checked before any is copied, so nothing of a bundle that
    /// fails a check enters the library; a damaged copy already in the pool is
    /// replaced by the good one. Waits for, and holds, the library's lock.
    pub fn import(
        &self,
        dir: &Path,
        keys: &[VerifyingKey],
        channel: &str,
        now: Timestamp,
    ) -> Result<VerifiedManifest, LibraryError> {
        let held = self.lock()?;
        self.import_held(dir, keys, channel, now, &held)
    }

    /// [`Library::import`] for a caller that holds the lock already.
    pub fn import_held(
        &self,
        dir: &Path,
        keys: &[VerifyingKey],
        channel: &str,
        now: Timestamp,
        held: &LibraryLock,
    ) -> Result<VerifiedManifest, LibraryError> {
        let trusted = self.store.trusted_release(channel)?;
        let policy = TrustPolicy { keys, channel, trusted: trusted.as_ref(), now };
        let paths = BundlePaths::in_dir(dir);
        let verified = verify_manifest_files(&paths, &policy)?;
        verify_blobs(&verified.manifest, &paths.blobs)?;
        // A folder of its own: a sync of the same channel may be resuming its
        // downloads in the other one.
        let staging = Staging::open(self, self.dir.incoming().join(format!(".import-{channel}")))?;
        for blob in &verified.manifest.blobs {
            staging.admit_copy(&paths.blobs.join(blob.sha256.as_str()), blob)?;
        }
        staging.commit(self, verified.clone(), keys, now, held)?;
        Ok(verified)
    }

    /// Writes the verified manifest bytes as `releases/<channel>/<version>/`, by
    /// one rename; an existing folder with other bytes is replaced. Its files
    /// and the folder itself are synced before the rename and the channel's
    /// folder after, so a power cut leaves the old release or the whole new one.
    fn store_release(&self, verified: &VerifiedManifest) -> Result<(), LibraryError> {
        let (channel, version) = (&verified.manifest.channel, verified.manifest.version);
        let (manifest, signature) = (&verified.bytes, &verified.signature);
        let target = self.dir.release(channel, version);
        if std::fs::read(target.join("manifest.json")).is_ok_and(|bytes| &bytes == manifest)
            && std::fs::read(target.join("manifest.sig")).is_ok_and(|bytes| &bytes == signature)
        {
            return Ok(());
        }
        let parent = target.parent().expect("release dirs have a parent");
        std::fs::create_dir_all(parent).map_err(io(parent))?;
        sync_dir(&self.dir.releases())?;
        let partial = parent.join(format!(".{version}.partial"));
        let _ = std::fs::remove_dir_all(&partial);
        std::fs::create_dir_all(&partial).map_err(io(&partial))?;
        write_synced(&partial.join("manifest.json"), manifest)?;
        write_synced(&partial.join("manifest.sig"), signature)?;
        sync_dir(&partial)?;
        if target.exists() {
            std::fs::remove_dir_all(&target).map_err(io(&target))?;
        }
        std::fs::rename(&partial, &target).map_err(io(&target))?;
        sync_dir(parent)
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
            let dir = self.dir.release(channel, *version);
            std::fs::remove_dir_all(&dir).map_err(io(&dir))?;
        }
        let mut kept = Vec::new();
        for channel_dir in std::fs::read_dir(self.dir.releases()).into_iter().flatten().flatten() {
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
        let mut versions: Vec<u64> = std::fs::read_dir(self.dir.channel_releases(channel))
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
            let paths = BundlePaths::in_dir(&self.dir.release(channel, version));
            let policy = TrustPolicy { keys, channel, trusted: None, now };
            let checked = verify_manifest_files(&paths, &policy)
                .and_then(|verified| verify_blobs(&verified.manifest, &self.dir.blobs()).map(|()| verified));
            match checked {
                Ok(verified) if verified.manifest.version == version => {
                    return Some(ActiveRelease::of(verified, self.dir.blobs()));
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
        let path = self.dir.active_pointer();
        crate::durable::replace_file(&path, &serde_json::to_vec(&pointer).expect("pointer serializes"))
            .map_err(io(&path))
    }

    /// Waits until no other thread or process of this data folder changes the
    /// library (a sync, a USB import), and holds it until the guard is dropped.
    pub fn lock(&self) -> Result<LibraryLock, LibraryError> {
        let path = self.dir.lock_file();
        let file = File::options().create(true).truncate(false).write(true).open(&path).map_err(io(&path))?;
        rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)
            .map_err(|e| LibraryError::Io { path: path.clone(), source: e.into() })?;
        Ok(LibraryLock { _file: file })
    }

    /// The active release as last recorded: `(channel, version)`.
    pub fn active_pointer(&self) -> Option<(String, u64)> {
        read_active_pointer(&self.dir)
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
        let held = self.lock()?;
        self.import_incoming(trust, now, &held);
        if let Some(dir) = built_in
            && let Err(error) = self.import_held(dir, &trust.keys, BUILT_IN_CHANNEL, now, &held)
        {
            tracing::error!(%error, "built-in content refused");
        }
        let release = self
            .newest_valid(&trust.keys, &trust.channel, now)
            .or_else(|| self.newest_valid(&trust.keys, BUILT_IN_CHANNEL, now))
            .ok_or_else(|| LibraryError::NoContent {
                channel: trust.channel.clone(),
                data_dir: self.dir.root().to_owned(),
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

    fn import_incoming(&self, trust: &Trust, now: Timestamp, held: &LibraryLock) {
        let incoming = self.incoming_dir();
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&incoming)
            .into_iter()
            .flatten()
            .flatten()
            // A link to a folder elsewhere is not a bundle dropped here.
            .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
            .map(|entry| entry.path())
            .filter(|path| {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or(".");
                !name.starts_with('.') && !name.ends_with(".rejected")
            })
            .collect();
        dirs.sort();
        for dir in dirs {
            match self.import_held(&dir, &trust.keys, &trust.channel, now, held) {
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

/// The active release recorded in `data_dir`, read without opening the
/// library: `(channel, version)`.
pub fn read_active_pointer(data_dir: &DataDir) -> Option<(String, u64)> {
    let bytes = std::fs::read(data_dir.active_pointer()).ok()?;
    let pointer: ActivePointer = serde_json::from_slice(&bytes).ok()?;
    Some((pointer.channel, pointer.version))
}

/// The door through which a release's blobs enter the pool, and then the
/// release itself ([`Library::stage`]); shared by the threads that fetch a
/// release's blobs at once. Dropped without [`Staging::commit`],
/// it leaves what it admitted in the pool (listed by no release, collected
/// later) and its partial files for the next round.
#[derive(Debug)]
pub struct Staging {
    pool: DataDir,
    dir: PathBuf,
}

impl Staging {
    fn open(library: &Library, dir: PathBuf) -> Result<Self, LibraryError> {
        let blobs = dir.join("blobs");
        std::fs::create_dir_all(&blobs).map_err(io(&blobs))?;
        Ok(Self { pool: library.dir.clone(), dir })
    }

    /// The blobs of `manifest` already in the pool with their listed length
    /// (a blob with another length is fetched again). Names and lengths only:
    /// every pooled blob was checked when it was admitted.
    pub fn held(&self, manifest: &Manifest) -> BTreeSet<BlobId> {
        manifest
            .blobs
            .iter()
            .filter(|blob| {
                std::fs::metadata(self.pool.blob(&blob.sha256)).is_ok_and(|m| m.len() == blob.size)
            })
            .map(|blob| blob.sha256.clone())
            .collect()
    }

    /// Where a download of `blob` is kept until it is admitted; a partial one
    /// left by an earlier round is there to resume.
    pub fn partial_file(&self, blob: &BlobRef) -> PathBuf {
        self.dir.join("blobs").join(format!(".{}.partial", blob.sha256))
    }

    /// Admits `file` (a regular file on the data folder's filesystem, such as
    /// [`Staging::partial_file`]) as `blob`: its size and SHA-256 are checked,
    /// it is synced to disk and renamed into the pool. A file that does not
    /// match is left where it is and refused with the reason.
    pub fn admit(&self, file: &Path, blob: &BlobRef) -> Result<(), LibraryError> {
        let facts = blob_facts(file, blob.size)?;
        check_blob(blob, facts.as_ref()).map_err(|rejection| {
            LibraryError::Bundle(BundleError::Rejected { place: file.to_owned(), rejection })
        })?;
        File::open(file).and_then(|f| f.sync_all()).map_err(io(file))?;
        let target = self.pool.blob(&blob.sha256);
        std::fs::rename(file, &target).map_err(io(&target))
    }

    /// Copies `source` (a bundle's blob, on any filesystem) into the pool as
    /// `blob` through a temporary file, checking it on the way, unless the
    /// pool already holds a good copy (a damaged one is replaced).
    pub fn admit_copy(&self, source: &Path, blob: &BlobRef) -> Result<(), LibraryError> {
        let target = self.pool.blob(&blob.sha256);
        if blob_facts(&target, blob.size)
            .ok()
            .flatten()
            .is_some_and(|facts| check_blob(blob, Some(&facts)).is_ok())
        {
            return Ok(());
        }
        let reject =
            |rejection| LibraryError::Bundle(BundleError::Rejected { place: source.to_owned(), rejection });
        let untrusted = |error: UntrustedFileError| LibraryError::Bundle(error.into());
        let mut input =
            untrusted_file::open(source).and_then(|f| f.into_reader(blob.size)).map_err(untrusted)?;
        let temp = self.dir.join("blobs").join(format!(".{}.incoming", blob.sha256));
        let mut output = File::create(&temp).map_err(io(&temp))?;
        let mut hasher = BlobHasher::new();
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = input.read(&mut buffer).map_err(io(source))?;
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

    /// The last step, under the library's lock: `verified` (what
    /// [`kiosk_core::verify::verify_manifest`] made of its bytes for this
    /// device) is checked once more against what is trusted now with the pinned `keys` (a USB stick
    /// may have brought a newer release meanwhile), every blob it lists must be
    /// in the pool with its length, then the pool's names are made durable, the
    /// release folder written, the release trusted and the staging folder
    /// removed. Returns the release, ready for [`Library::activate`].
    pub fn commit(
        self,
        library: &Library,
        verified: VerifiedManifest,
        keys: &[VerifyingKey],
        now: Timestamp,
        _held: &LibraryLock,
    ) -> Result<ActiveRelease, LibraryError> {
        let channel = verified.manifest.channel.as_str();
        let trusted = library.store.trusted_release(channel)?;
        let floor = kiosk_core::verify::rollback_floor(trusted.as_ref(), keys);
        let place = library.dir.channel_releases(channel);
        let rejected =
            |rejection| LibraryError::Bundle(BundleError::Rejected { place: place.clone(), rejection });
        kiosk_core::verify::check_not_behind(verified.manifest.version, &verified.manifest_sha256, floor)
            .map_err(rejected)?;
        let held = self.held(&verified.manifest);
        if let Some(missing) = verified.manifest.blobs.iter().find(|b| !held.contains(&b.sha256)) {
            return Err(rejected(Rejection::BlobMissing(missing.sha256.clone())));
        }
        sync_dir(&library.dir.blobs())?;
        library.store_release(&verified)?;
        let release = TrustedRelease {
            version: verified.manifest.version,
            manifest_sha256: verified.manifest_sha256.clone(),
            signed_by: Some(verified.key_id.clone()),
        };
        library.store.trust_release(channel, &release, now)?;
        let _ = std::fs::remove_dir_all(&self.dir);
        Ok(ActiveRelease::of(verified, library.dir.blobs()))
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), LibraryError> {
    let mut file = File::create(path).map_err(io(path))?;
    file.write_all(bytes).map_err(io(path))?;
    file.sync_all().map_err(io(path))
}

fn sync_dir(dir: &Path) -> Result<(), LibraryError> {
    crate::durable::sync_dir(dir).map_err(io(dir))
}
