//! The state every request shares: the settings, the database, the blob store,
//! the open event streams, the signing key, the announcer, the memos and the
//! clock; opened from the data folder at start, and the lookups handlers make
//! through the memos.

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
use crate::postgres::PgStore;
use crate::rate_limit::AttemptLimit;
use crate::replicas::{Note, Replicas};
use crate::reports::db::ReportsStore;
use crate::s3_blob_store::S3BlobStore;
use crate::screenshots::db::ScreenshotStore;
use crate::settings::PostgresAddress;
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
    /// The other replicas sharing the storage, if any; publishing and
    /// emergency messages are made under their lock ([`Replicas::exclusive`]).
    pub replicas: Replicas,
    /// What time it is ([`Settings::clock`]); the database tells time by the same one.
    pub clock: Clock,
    /// Enrolment tries per address, so codes cannot be guessed.
    pub enrol_attempts: AttemptLimit,
}

impl AppState {
    /// Opens the data folder (creating on first start the signing keys, and,
    /// unless [`Settings::storage`] names shared storage, the database and `blobs/`).
    pub async fn open(settings: &Settings) -> Result<Self, ServerError> {
        let dir = settings.data_dir.clone();
        let data_err = |source| ServerError::DataDir { path: dir.clone(), source };
        std::fs::create_dir_all(&dir).map_err(data_err)?;
        let stores = Stores::open(settings).await?;
        let replicas = match &stores.postgres {
            Some(pg) => Replicas::sharing(pg.clone()),
            None => Replicas::alone(),
        };
        let blobs: Arc<dyn BlobStore> = match &settings.storage.s3 {
            None => Arc::new(FsBlobStore::open(&dir.join("blobs")).map_err(|e| ServerError::DataDir {
                path: dir.join("blobs"),
                source: std::io::Error::other(e.to_string()),
            })?),
            Some(config) => {
                let store =
                    S3BlobStore::open(config).await.map_err(|e| ServerError::Storage(e.to_string()))?;
                // Films copied out for probes and thumbnails go on the data disk, not a RAM /tmp.
                let temp = dir.join("tmp");
                std::fs::create_dir_all(&temp).map_err(data_err)?;
                Arc::new(store.with_temp_dir(temp))
            }
        };
        let (key, emergency_key) = {
            let dir = dir.clone();
            tokio::task::spawn_blocking(move || {
                Ok::<_, ServerError>((
                    signing::load_or_create(&dir)?,
                    signing::load_or_create_emergency(&dir)?,
                ))
            })
            .await
            .map_err(|e| data_err(std::io::Error::other(e)))??
        };
        if let Some(pg) = &stores.postgres {
            for (name, file, key) in [
                ("signing", signing::KEY_FILE, &key),
                ("emergency", signing::EMERGENCY_KEY_FILE, &emergency_key),
            ] {
                let mine = hex::encode(key.verifying_key().as_bytes());
                let fleet = pg.fleet_key(name, &mine).await?;
                if fleet != mine {
                    return Err(ServerError::Storage(format!(
                        "{} holds a different {name} key from the one the other replicas sign with \
                         (key id {} here, {} in the database): copy {file} and its .pub from the \
                         first replica's data folder into this one",
                        dir.join(file).display(),
                        kiosk_core::keys::key_id(&key.verifying_key()),
                        key_id_of_hex(&fleet),
                    )));
                }
            }
        }
        Ok(Self {
            clock: settings.clock.clone(),
            admin_token_sha256: Sha256::digest(settings.admin_token.as_bytes()).into(),
            settings: Arc::new(settings.clone()),
            db: stores.db,
            staff: stores.staff,
            fleet: stores.fleet,
            reports: stores.reports,
            screenshots: stores.screenshots,
            streams: Streams::default(),
            blobs,
            key: Arc::new(key),
            emergency_key: Arc::new(emergency_key),
            announcer: Announcer::new(replicas.clone()),
            replicas,
            memos: Memos::default(),
            enrol_attempts: AttemptLimit::default(),
        })
    }

    /// Forgets the device's kept tokens here and on every replica, and ends its
    /// event streams when `end_streams` (a revocation).
    pub fn forget_device(&self, device: &str, end_streams: bool) {
        self.memos.devices.forget_device(device);
        if end_streams {
            self.streams.end(device);
        }
        self.replicas.tell(Note::ForgetDevice { device: device.to_owned(), end_streams });
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
        let read = || self.db.listed_blob_type(key.0.clone(), key.1.clone());
        Ok(self.memos.listed.get_or_load(&key, read).await?)
    }

    /// Where a blob is stored, if it is.
    pub async fn stored_blob(&self, id: &BlobId) -> Result<Option<StoredBlob>, ApiError> {
        Ok(self.memos.stored.get_or_load(id, || self.blobs.open(id)).await?)
    }

    /// The channel's current release.
    pub async fn current_release(&self, channel: &str) -> Result<Option<Arc<StoredRelease>>, ApiError> {
        if let Some(found) = self.memos.current.get(&channel.to_owned()) {
            return Ok(Some(found));
        }
        let found = self.db.latest_release(channel.to_owned()).await?.map(Arc::new);
        if let Some(found) = &found {
            self.memos.current.insert_newer(channel.to_owned(), found.clone(), crate::memo::later_release);
        }
        Ok(found)
    }
}

/// The key id of a public key given in hex (for messages; `?` when unreadable).
fn key_id_of_hex(public: &str) -> String {
    hex::decode(public)
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .and_then(|bytes| ed25519_dalek::VerifyingKey::from_bytes(&bytes).ok())
        .map_or_else(|| "?".into(), |key| kiosk_core::keys::key_id(&key).to_string())
}

/// The records, one backend seen through every store trait.
pub struct Stores {
    /// Channels, releases, devices and what they report.
    pub db: Db,
    /// The console's records.
    pub staff: Staff,
    /// The fleet view's records.
    pub fleet: FleetStore,
    /// What reports read.
    pub reports: ReportsStore,
    /// Screenshots and the requests for them.
    pub screenshots: ScreenshotStore,
    /// The PostgreSQL database, when the records are shared by replicas.
    pub postgres: Option<PgStore>,
}

impl Stores {
    /// Opens the records [`Settings::storage`] names: `server.sqlite` in the
    /// data folder (made when missing), or the PostgreSQL database.
    pub async fn open(settings: &Settings) -> Result<Stores, ServerError> {
        match &settings.storage.postgres {
            None => {
                let dir = settings.data_dir.clone();
                let data_err = |source| ServerError::DataDir { path: dir.clone(), source };
                std::fs::create_dir_all(&dir).map_err(data_err)?;
                let path = dir.join(DB_FILE);
                let (clock, counting) = (settings.clock.clone(), settings.counting());
                let sqlite =
                    tokio::task::spawn_blocking(move || SqliteDb::open_counting(&path, clock, counting))
                        .await
                        .map_err(|e| data_err(std::io::Error::other(e)))??;
                Ok(Stores::of(sqlite))
            }
            Some(PostgresAddress(config)) => {
                let pg =
                    PgStore::open_config(config.clone(), settings.clock.clone(), settings.counting()).await?;
                Ok(Stores::of(pg))
            }
        }
    }

    fn of<B>(backend: B) -> Self
    where
        B: crate::db::Database
            + crate::console::db::StaffDb
            + crate::fleet::db::FleetDb
            + crate::reports::db::ReportsDb
            + crate::screenshots::db::ScreenshotsDb
            + Clone
            + std::any::Any,
    {
        let postgres = (&backend as &dyn std::any::Any).downcast_ref::<PgStore>().cloned();
        Self {
            db: Arc::new(backend.clone()),
            staff: Arc::new(backend.clone()),
            fleet: Arc::new(backend.clone()),
            reports: Arc::new(backend.clone()),
            screenshots: Arc::new(backend),
            postgres,
        }
    }
}
