//! The shared state of every request, and the router.

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use ed25519_dalek::SigningKey;
use sha2::{Digest, Sha256};
use tower_http::trace::TraceLayer;

use crate::blob_store::{BlobStore, FsBlobStore, StoredBlob};
use crate::db::Db;
use crate::db::StoredRelease;
use crate::error::{ApiError, ServerError};
use crate::events::Announcer;
use crate::memo::Memos;
use crate::settings::{MAX_JSON_BYTES, Settings};
use crate::sqlite::SqliteDb;
use crate::{admin, device, emergency, events, signing};
use kiosk_core::blob::BlobId;

/// The database file's name in the data folder.
pub const DB_FILE: &str = "server.sqlite";

/// What every handler shares; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The settings it started with.
    pub settings: Arc<Settings>,
    /// The database.
    pub db: Db,
    /// Where blobs live.
    pub blobs: Arc<dyn BlobStore>,
    /// The key releases are signed with.
    pub key: Arc<SigningKey>,
    /// SHA-256 of the admin token.
    pub admin_token_sha256: [u8; 32],
    /// Tells event streams about new releases.
    pub announcer: Announcer,
    /// Answers of the hot routes, kept in memory.
    pub memos: Memos,
    /// Held while a release is published or an emergency message issued, so
    /// versions and issue times never race.
    pub publishing: Arc<tokio::sync::Mutex<()>>,
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

    /// The device `(id, channel)` holding the token with this hash.
    pub async fn device_by_token(&self, token_sha256: String) -> Result<Option<(String, String)>, ApiError> {
        if let Some(found) = self.memos.devices.get(&token_sha256) {
            return Ok(Some(found));
        }
        let found = self.db.device_by_token(token_sha256.clone()).await?;
        if let Some(found) = &found {
            self.memos.devices.insert(token_sha256, found.clone());
        }
        Ok(found)
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
        let db: Db = Arc::new(SqliteDb::open(&dir.join(DB_FILE))?);
        let blobs = FsBlobStore::open(&dir.join("blobs")).map_err(|e| ServerError::DataDir {
            path: dir.join("blobs"),
            source: std::io::Error::other(e.to_string()),
        })?;
        let key = signing::load_or_create(dir)?;
        Ok(Self {
            admin_token_sha256: Sha256::digest(settings.admin_token.as_bytes()).into(),
            settings: Arc::new(settings),
            db,
            blobs: Arc::new(blobs),
            key: Arc::new(key),
            announcer: Announcer::new(),
            publishing: Arc::default(),
            memos: Memos::default(),
        })
    }
}

async fn not_found() -> ApiError {
    ApiError::not_found("not_found", "no such route; see docs/device-api.md")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method",
    )
}

/// The OpenAPI document of every route (`GET /v1/openapi.json`); a test checks
/// that it names exactly the routes of [`router`].
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

async fn openapi() -> impl axum::response::IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], OPENAPI_JSON)
}

/// Every route of the server.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/openapi.json", get(openapi))
        .route("/v1/public-key", get(admin::public_key))
        .route("/v1/admin/blobs/{sha256}", put(admin::put_blob).get(admin::blob_info))
        .route("/v1/admin/channels", post(admin::create_channel).get(admin::list_channels))
        .route(
            "/v1/admin/channels/{channel}/releases",
            post(admin::publish_release).get(admin::list_releases),
        )
        .route("/v1/admin/channels/{channel}/rollback", post(admin::rollback))
        .route("/v1/admin/channels/{channel}/emergency", post(emergency::raise).delete(emergency::withdraw))
        .route("/v1/admin/channels/{channel}/enrolment-codes", post(admin::create_enrolment_code))
        .route("/v1/admin/devices", get(admin::list_devices))
        .route("/v1/admin/events", get(admin::query_events))
        .route("/v1/enrol", post(device::enrol))
        .route("/v1/reports", post(device::report))
        .route("/v1/channels/{channel}/manifest", get(device::manifest))
        .route("/v1/channels/{channel}/events", get(events::release_events))
        .route("/v1/channels/{channel}/emergency", get(emergency::current))
        .route("/v1/blobs/{sha256}", get(device::blob))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
