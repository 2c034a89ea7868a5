//! The state every request shares: the settings, the database, the blob store,
//! the open event streams, the signing key, the announcer, the memos and the
//! clock; opened from the data folder at start, and the lookups handlers make
//! through the memos.

use std::path::Path;
use std::sync::Arc;

use ed25519_dalek::SigningKey;
use kiosk_core::blob::BlobId;
use sha2::{Digest, Sha256};

use crate::blob_store::{BlobStore, FsBlobStore, StoredBlob};
use crate::clock::Clock;
use crate::console::db::Staff;
use crate::db::{Db, DeviceToken, StoredRelease, sortable_time};
use crate::error::{ApiError, ServerError};
use crate::events::Announcer;
use crate::fleet::db::FleetStore;
use crate::fleet::streams::Streams;
use crate::memo::Memos;
use crate::rate_limit::AttemptLimit;
use crate::reports::db::ReportsStore;
use crate::screenshots::db::ScreenshotStore;
use crate::settings::Settings;
use crate::signing;
use crate::sqlite::SqliteDb;

/// The database file's name in the data folder.
pub const DB_FILE: &str = "server.sqlite";

/// What every handler shares; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The settings it started with.
    pub settings: Arc<Settings>,
    /// The database.
    pub db: Db,
    /// The console's records (the same database).
    pub staff: Staff,
    /// The fleet view's records (the same database).
    pub fleet: FleetStore,
    /// What reports read (the same database).
    pub reports: ReportsStore,
    /// Screenshots of screens and the requests for them (the same database).
    pub screenshots: ScreenshotStore,
    /// Which screens hold an event stream now.
    pub streams: Streams,
    /// Where blobs live.
    pub blobs: Arc<dyn BlobStore>,
    /// The key releases are signed with.
    pub key: Arc<SigningKey>,
    /// The key emergency messages are signed with, never releases.
    pub emergency_key: Arc<SigningKey>,
    /// SHA-256 of the admin token.
    pub admin_token_sha256: [u8; 32],
    /// Tells event streams about new releases.
    pub announcer: Announcer,
    /// Answers of the hot routes, kept in memory.
    pub memos: Memos,
    /// Held while a release is published or an emergency message issued, so
    /// versions and issue times never race.
    pub publishing: Arc<tokio::sync::Mutex<()>>,
    /// What time it is ([`Settings::clock`]); the database tells time by the same one.
    pub clock: Clock,
    /// Enrolment tries per address, so codes cannot be guessed.
    pub enrol_attempts: AttemptLimit,
}

impl AppState {
    /// Opens the data folder, creating on first start the database, `blobs/` and
    /// the signing key.
    pub async fn open(settings: &Settings) -> Result<Self, ServerError> {
        let path = settings.data_dir.clone();
        let settings = settings.clone();
        tokio::task::spawn_blocking(move || Self::open_blocking(settings))
            .await
            .map_err(|e| ServerError::DataDir { path, source: std::io::Error::other(e) })?
    }

    /// `404 no_channel` unless `channel` exists.
    pub async fn require_channel(&self, channel: &str) -> Result<(), ApiError> {
        if self.db.channel_exists(channel.to_owned()).await? {
            Ok(())
        } else {
            Err(ApiError::not_found(
                "no_channel",
                format!("channel {channel:?} does not exist; create it first"),
            ))
        }
    }

    /// The device holding the token with this hash (see
    /// [`Database::device_by_token`](crate::db::Database::device_by_token)).
    pub async fn device_by_token(&self, token_sha256: String) -> Result<Option<DeviceToken>, ApiError> {
        if let Some(found) = self.memos.devices.get(&token_sha256) {
            return Ok(Some(found));
        }
        let generation = self.memos.devices.generation();
        let found = self.db.device_by_token(token_sha256.clone(), self.new_token_expiry()).await?;
        if let Some(found) = &found {
            self.memos.devices.insert(generation, token_sha256, found.clone());
        }
        Ok(found)
    }

    /// When something made now with `lifetime` expires, on the server's clock.
    pub fn expiry_after(&self, lifetime: std::time::Duration) -> jiff::Timestamp {
        self.clock.now().checked_add(lifetime).unwrap_or(jiff::Timestamp::MAX)
    }

    /// When a device token made now expires ([`Settings::device_token_lifetime`]).
    pub fn new_token_expiry(&self) -> String {
        sortable_time(self.expiry_after(self.settings.device_token_lifetime))
    }

    /// The media type of a blob listed by some release of `channel` (of any
    /// channel when `None`).
    pub async fn listed_blob_type(
        &self,
        channel: Option<String>,
        sha256: String,
    ) -> Result<Option<String>, ApiError> {
        let key = (channel, sha256);
        if let Some(found) = self.memos.listed.get(&key) {
            return Ok(Some(found));
        }
        let found = self.db.listed_blob_type(key.0.clone(), key.1.clone()).await?;
        if let Some(found) = &found {
            self.memos.listed.insert(key, found.clone());
        }
        Ok(found)
    }

    /// Where a blob is stored, if it is.
    pub async fn stored_blob(&self, id: &BlobId) -> Result<Option<StoredBlob>, ApiError> {
        if let Some(found) = self.memos.stored.get(id) {
            return Ok(Some(found));
        }
        let found = self.blobs.open(id).await?;
        if let Some(found) = &found {
            self.memos.stored.insert(id.clone(), found.clone());
        }
        Ok(found)
    }

    /// The channel's current release.
    pub async fn current_release(&self, channel: &str) -> Result<Option<Arc<StoredRelease>>, ApiError> {
        if let Some(found) = self.memos.current.get(&channel.to_owned()) {
            return Ok(Some(found));
        }
        let found = self.db.latest_release(channel.to_owned()).await?.map(Arc::new);
        if let Some(found) = &found {
            self.memos.current.insert(channel.to_owned(), found.clone());
        }
        Ok(found)
    }

    fn open_blocking(settings: Settings) -> Result<Self, ServerError> {
        let dir: &Path = &settings.data_dir;
        let data_err = |source| ServerError::DataDir { path: dir.to_owned(), source };
        std::fs::create_dir_all(dir).map_err(data_err)?;
        let sqlite =
            SqliteDb::open_counting(&dir.join(DB_FILE), settings.clock.clone(), settings.counting())?;
        let staff: Staff = Arc::new(sqlite.clone());
        let fleet: FleetStore = Arc::new(sqlite.clone());
        let reports: ReportsStore = Arc::new(sqlite.clone());
        let screenshots: ScreenshotStore = Arc::new(sqlite.clone());
        let db: Db = Arc::new(sqlite);
        let blobs = FsBlobStore::open(&dir.join("blobs")).map_err(|e| ServerError::DataDir {
            path: dir.join("blobs"),
            source: std::io::Error::other(e.to_string()),
        })?;
        let key = signing::load_or_create(dir)?;
        let emergency_key = signing::load_or_create_emergency(dir)?;
        Ok(Self {
            clock: settings.clock.clone(),
            admin_token_sha256: Sha256::digest(settings.admin_token.as_bytes()).into(),
            settings: Arc::new(settings),
            db,
            staff,
            fleet,
            reports,
            screenshots,
            streams: Streams::default(),
            blobs: Arc::new(blobs),
            key: Arc::new(key),
            emergency_key: Arc::new(emergency_key),
            announcer: Announcer::new(),
            publishing: Arc::default(),
            memos: Memos::default(),
            enrol_attempts: AttemptLimit::default(),
        })
    }
}
