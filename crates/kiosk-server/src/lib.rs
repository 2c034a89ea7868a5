//! The central server of the Bình Dương kiosk fleet.
//!
//! WTC staff upload blobs and publish releases through the admin API; screens enrol
//! with a one-time code and then fetch signed releases through the device API
//! (`docs/device-api.md`), hear about new ones over server-sent events, and report
//! heartbeats and proof-of-play events back. The server signs every manifest it
//! publishes with its own Ed25519 key (`signing.key` in the data folder); devices
//! pin the public half (`GET /v1/public-key`), so a mirror or cache in between
//! never has to be trusted.
//!
//! # Layout
//! - [`settings`]: what the server needs to start, and the binary's TOML config.
//! - [`clock`]: what time it is, for everything the server stamps.
//! - [`error`]: start-up errors and the JSON error answers of the API.
//! - [`db`]: what the server keeps, behind the [`db::Database`] trait.
//! - [`sqlite`]: the embedded SQLite database and its append-only migrations.
//! - [`postgres`]: the same records in PostgreSQL, shared by several replicas.
//! - [`replicas`]: what replicas sharing one database tell each other, and the
//!   lock they publish under.
//! - [`blob_store`]: blobs by SHA-256 behind the [`BlobStore`] trait, on the filesystem.
//! - [`s3_blob_store`]: the same blobs in an S3-compatible bucket, shared by replicas.
//! - [`blob_serve`]: serving a blob kept as an object with `Range` and `If-Range`.
//! - [`signing`]: the server's signing key, made on first start.
//! - [`publish`]: turning an uploaded manifest into a signed, published release.
//! - [`extract`]: request extractors that refuse bad input with JSON errors.
//! - [`auth`]: admin and device bearer tokens.
//! - [`device_token`]: a device token renewed by its screen, or revoked by an admin.
//! - [`rate_limit`]: how often one address may try to enrol.
//! - [`console`]: the staff console: users, roles and sessions, the media
//!   library, drafts, review and approval, the audit log, the console's files.
//! - [`fleet`]: every screen's liveness and place, and alerts for screens that
//!   went quiet (a watcher task, a webhook).
//! - [`screenshots`]: screenshots of screens, asked by staff or sent on a
//!   schedule, kept per device (the newest few) and shown in the console.
//! - [`memo`]: the hot routes' answers kept in memory.
//! - [`admin`]: the admin API (`/v1/admin/...`, `/v1/public-key`).
//! - [`device`]: the device API (enrol, manifest, blobs, reports); its payloads,
//!   paths and headers are `kiosk_wire`'s, shared with the screens.
//! - [`emergency`]: signed emergency messages, raised and withdrawn by an approver.
//! - [`events`]: release announcements and emergency messages over server-sent events.
//! - [`state`]: what every request shares, opened from the data folder.
//! - [`app`]: the router, and the answers for unknown routes and methods.
//!
//! The admin API's bodies and answers, like the device API's, describe
//! themselves to TypeScript (`ts-rs`): `cargo test` writes them to
//! `ui/console/src/generated/`.
//!
//! # Example
//! ```no_run
//! # async fn run() -> Result<(), kiosk_server::ServerError> {
//! let settings = kiosk_server::Settings::new("/var/lib/kiosk-server".into(), "secret-admin-token".into());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8780").await.unwrap();
//! kiosk_server::serve(settings, listener, async { let _ = tokio::signal::ctrl_c().await; }).await
//! # }
//! ```

pub mod admin;
pub mod app;
pub mod auth;
pub mod blob_serve;
pub mod blob_store;
pub mod clock;
pub mod console;
pub mod db;
pub mod device;
pub mod device_token;
pub mod emergency;
pub mod error;
pub mod events;
pub mod extract;
pub mod fleet;
pub mod memo;
pub mod migrate;
pub mod postgres;
pub mod publish;
pub mod rate_limit;
pub mod replicas;
pub mod reports;
pub mod s3_blob_store;
pub mod screenshots;
pub mod settings;
pub mod signing;
pub mod sqlite;
pub mod state;

use std::future::Future;

pub use blob_store::{BlobStore, FsBlobStore};
pub use clock::Clock;
pub use error::{ApiError, ServerError};
pub use settings::Settings;

/// Opens (creating on first start) the data folder, then answers on `listener`
/// until `shutdown` completes. Open event streams are closed at shutdown.
pub async fn serve(
    settings: Settings,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let state = state::AppState::open(&settings).await?;
    let router = app::router(state.clone());
    let watcher = tokio::spawn(replicas::watch_fleet(state.clone()));
    let hearing = tokio::spawn(replicas::hear(state.clone()));
    let sharing = tokio::spawn(replicas::share_streams(state.clone()));
    let closing = state.announcer.clone();
    let shutdown = async move {
        shutdown.await;
        closing.close();
    };
    if let Ok(addr) = listener.local_addr() {
        let scheme = if settings.tls.is_some() { "https" } else { "http" };
        tracing::info!(%addr, scheme, data_dir = %settings.data_dir.display(), "kiosk server listening");
    }
    let limits = settings.listener_limits;
    let served = match settings.tls.clone() {
        Some(identity) => kiosk_listener::serve_with(listener, router, limits, identity, shutdown).await,
        None => kiosk_listener::serve(listener, router, limits, shutdown).await,
    };
    watcher.abort();
    hearing.abort();
    sharing.abort();
    served.map_err(ServerError::Serve)
}
