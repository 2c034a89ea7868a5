//! The admin API: blobs, channels, releases, enrolment codes, devices, and the
//! server's public key. Every route but the public key asks for
//! the admin token or a staff session with the role the route needs
//! (`docs/console-api.md`; `401 unauthorized`, `403 forbidden` otherwise).
//! Every change is written to the audit log.
//!
//! | route | answer |
//! |---|---|
//! | `GET /v1/public-key` | `ed25519-public <hex>` (`text/plain`), the key devices pin for releases; no token needed |
//! | `GET /v1/emergency-key` | `ed25519-public <hex>` (`text/plain`), the key devices pin for emergency messages (`content.emergency_keys`); no token needed |
//! | `PUT /v1/admin/blobs/{sha256}` | body = the blob's bytes; `200 {"sha256", "size"}`; `400 hash_mismatch`, `413 too_large` (limit [`Settings::max_blob_bytes`](crate::Settings::max_blob_bytes)) |
//! | `GET /v1/admin/blobs/{sha256}` | `200 {"sha256", "size"}` when stored (a publisher skips uploading it again); `404 no_blob` |
//! | `GET /v1/admin/channels` | `200 {"channels": [{"name", "version", "manifest_sha256", "published_at"}]}`, the newest release of each (`null`s before the first) |
//! | `POST /v1/admin/channels` `{"name"}` | `201 {"name", "created": true}`, or `200` with `false` when it exists; `400 invalid_channel` |
//! | `POST /v1/admin/channels/{channel}/releases` | body = a manifest; the server sets `channel`, `version` and `created_at`, signs and publishes it: `201 {"version", "manifest_sha256"}`; `400 missing_blob`, `blob_size`, `invalid_content`, `expired`, `unsupported_format`, `invalid_manifest`; `404 no_channel` |
//! | `GET /v1/admin/channels/{channel}/releases` | `200 {"releases": [{"version", "manifest_sha256", "published_at", "blobs"}]}`, newest first; `404 no_channel` |
//! | `POST /v1/admin/channels/{channel}/rollback` `{"to_version"}` | publishes the content of an earlier release again as a new version (screens never go back in version): `201 {"version", "manifest_sha256"}`; `404 no_release`; `400 expired` when that release has expired |
//! | `POST /v1/admin/channels/{channel}/enrolment-codes` | `201 {"code", "expires_at"}`, usable once until it expires; `404 no_channel` |
//! | `GET /v1/admin/devices` | `200 {"devices": [{"id", "name", "channel", "enrolled_at", "last_heartbeat_at", "heartbeat", "token_expires_at", "token_revoked_at"}]}` |
//! | `POST /v1/admin/devices/{id}/revoke` | `200 {"id", "name", "revoked_at"}`: the device's token stops working at once and its event streams end ([`crate::device_token`]); `404 no_device` |
//! | `GET /v1/admin/events?device=&kind=&since=&until=&limit=` | `200 {"events": [{"id", "device_id", "kind", "at", "data", "received_at"}]}`, oldest first, at most `limit` (≤ 10,000); `400 invalid_query` |
//!
//! Emergency messages have their own module, [`crate::emergency`].
//!
//! The admin token also reads every channel through the device API's read routes.

use axum::Json;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use futures_util::{StreamExt, TryStreamExt};
use kiosk_core::manifest::Manifest;
use serde::{Deserialize, Serialize};

use crate::auth::token_hash;
use crate::console::audit;
use crate::console::db::Role;
use crate::console::principal::Principal;
use crate::db::{ChannelRow, DeviceRow, EventQuery, ReleaseRow, StoredEvent, sortable_time};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, BlobName, ChannelName};
use crate::publish::{Published, publish};
use crate::state::AppState;

/// `GET /v1/public-key`: `ed25519-public <hex>`, the key devices pin.
pub async fn public_key(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))],
        kiosk_core::keys::public_key_text(&state.key.verifying_key()),
    )
}

/// `GET /v1/emergency-key`: `ed25519-public <hex>`, the key devices pin for
/// emergency messages.
pub async fn emergency_key(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))],
        kiosk_core::keys::public_key_text(&state.emergency_key.verifying_key()),
    )
}

/// The answer to a blob upload.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct BlobStored {
    /// Its name.
    pub sha256: String,
    /// Its length.
    #[ts(type = "number")]
    pub size: u64,
}

/// `PUT /v1/admin/blobs/{sha256}`: the body's bytes, stored if they hash to the name.
pub async fn put_blob(
    State(state): State<AppState>,
    who: Principal,
    BlobName(id): BlobName,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<BlobStored>> {
    who.require_somewhere(Role::Editor)?;
    let limit = state.settings.max_blob_bytes;
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("blobs are limited to {limit} bytes"),
        ));
    }
    let stream = body.into_data_stream().map_err(std::io::Error::other).boxed();
    let size = state.blobs.put(&id, stream, limit).await?;
    tracing::info!(sha256 = %id, size, "stored a blob");
    Ok(Json(BlobStored { sha256: id.to_string(), size }))
}

/// `GET /v1/admin/blobs/{sha256}`: whether a blob is stored, and its size.
pub async fn blob_info(
    State(state): State<AppState>,
    who: Principal,
    BlobName(id): BlobName,
) -> ApiResult<Json<BlobStored>> {
    who.require_somewhere(Role::Viewer)?;
    match state.blobs.size(&id).await? {
        Some(size) => Ok(Json(BlobStored { sha256: id.to_string(), size })),
        None => Err(ApiError::not_found("no_blob", format!("blob {id} has not been uploaded"))),
    }
}

/// The answer of `GET /v1/admin/channels`.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct Channels {
    /// Every channel.
    pub channels: Vec<ChannelRow>,
}

/// `GET /v1/admin/channels`: every channel with its newest release.
pub async fn list_channels(State(state): State<AppState>, who: Principal) -> ApiResult<Json<Channels>> {
    let mut channels = state.db.channels().await?;
    if let Some(readable) = who.readable_channels() {
        channels.retain(|c| readable.contains(&c.name));
    }
    Ok(Json(Channels { channels }))
}

/// The body of `POST /v1/admin/channels`.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "console/src/generated/")]
pub struct NewChannel {
    /// Lowercase letters, digits and `-`.
    pub name: String,
}

/// The answer to a channel creation.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct ChannelCreated {
    /// Its name.
    pub name: String,
    /// `false` when it existed already.
    pub created: bool,
}

/// `POST /v1/admin/channels` `{"name"}`: creates a channel (idempotent).
pub async fn create_channel(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(body): ApiJson<NewChannel>,
) -> ApiResult<(StatusCode, Json<ChannelCreated>)> {
    who.require_admin()?;
    if !kiosk_core::content::is_slug(&body.name) {
        return Err(ApiError::bad_request(
            "invalid_channel",
            format!("{:?} is not a channel name: use 1–64 lowercase letters, digits and '-'", body.name),
        ));
    }
    let created = state.db.create_channel(body.name.clone()).await?;
    if created {
        audit::by(&state, &who, "channel.create", Some(&body.name), "created the channel").await?;
    }
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(ChannelCreated { name: body.name, created })))
}

/// `POST /v1/admin/channels/{channel}/releases` with a manifest: publishes it.
pub async fn publish_release(
    State(state): State<AppState>,
    who: Principal,
    ChannelName(channel): ChannelName,
    ApiJson(manifest): ApiJson<Manifest>,
) -> ApiResult<(StatusCode, Json<Published>)> {
    who.require(&channel, Role::Approver)?;
    let published = publish(&state, &channel, manifest).await?;
    let detail = format!("published version {} from an uploaded manifest", published.version);
    audit::by(&state, &who, "release.publish", Some(&channel), detail).await?;
    Ok((StatusCode::CREATED, Json(published)))
}

/// The answer of `GET /v1/admin/channels/{channel}/releases`.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct Releases {
    /// Newest first.
    pub releases: Vec<ReleaseRow>,
}

/// `GET /v1/admin/channels/{channel}/releases`: the channel's releases.
pub async fn list_releases(
    State(state): State<AppState>,
    who: Principal,
    ChannelName(channel): ChannelName,
) -> ApiResult<Json<Releases>> {
    who.require(&channel, Role::Viewer)?;
    state.require_channel(&channel).await?;
    Ok(Json(Releases { releases: state.db.releases(channel).await? }))
}

/// The body of `POST /v1/admin/channels/{channel}/rollback`.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "console/src/generated/")]
pub struct Rollback {
    /// The release whose content comes back.
    #[ts(type = "number")]
    pub to_version: u64,
}

/// `POST /v1/admin/channels/{channel}/rollback`: the content of an earlier
/// release, published again as the newest version, so that screens (which
/// refuse a lower version than they trust) take it like any release.
pub async fn rollback(
    State(state): State<AppState>,
    who: Principal,
    ChannelName(channel): ChannelName,
    ApiJson(body): ApiJson<Rollback>,
) -> ApiResult<(StatusCode, Json<Published>)> {
    who.require(&channel, Role::Approver)?;
    let bytes = state.db.release_manifest(channel.clone(), body.to_version).await?.ok_or_else(|| {
        ApiError::not_found("no_release", format!("channel {channel:?} has no version {}", body.to_version))
    })?;
    let manifest = Manifest::decode(&bytes).map_err(|e| {
        ApiError::new(StatusCode::CONFLICT, "unreadable_release", format!("version {}: {e}", body.to_version))
    })?;
    let published = publish(&state, &channel, manifest).await?;
    tracing::info!(channel, from = body.to_version, version = published.version, "rolled back");
    let detail =
        format!("rolled back to the content of version {} as version {}", body.to_version, published.version);
    audit::by(&state, &who, "release.rollback", Some(&channel), detail).await?;
    Ok((StatusCode::CREATED, Json(published)))
}

/// The answer of `GET /v1/admin/events`.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct Events {
    /// Oldest first.
    pub events: Vec<StoredEvent>,
}

/// `GET /v1/admin/events`: reported events, filtered by the query string.
pub async fn query_events(
    State(state): State<AppState>,
    who: Principal,
    query: Result<Query<EventQuery>, QueryRejection>,
) -> ApiResult<Json<Events>> {
    who.require_somewhere(Role::Viewer)?;
    let Query(query) = query.map_err(|e| ApiError::bad_request("invalid_query", e.body_text()))?;
    Ok(Json(Events { events: state.db.events(query).await? }))
}

/// The answer to an enrolment-code request.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct EnrolmentCode {
    /// Works once, for the channel it was made for.
    pub code: String,
    /// Until when it works ([`Settings::enrolment_code_lifetime`](crate::Settings::enrolment_code_lifetime) from now).
    pub expires_at: String,
}

/// `POST /v1/admin/channels/{channel}/enrolment-codes`: a new one-time code.
pub async fn create_enrolment_code(
    State(state): State<AppState>,
    who: Principal,
    ChannelName(channel): ChannelName,
) -> ApiResult<(StatusCode, Json<EnrolmentCode>)> {
    who.require_admin()?;
    state.require_channel(&channel).await?;
    let code = random_hex::<10>();
    let expires_at = sortable_time(state.expiry_after(state.settings.enrolment_code_lifetime));
    state.db.insert_enrolment_code(token_hash(&code), channel.clone(), expires_at.clone()).await?;
    let detail = format!("made a one-time enrolment code, good until {expires_at}");
    audit::by(&state, &who, "device.enrolment_code", Some(&channel), detail).await?;
    Ok((StatusCode::CREATED, Json(EnrolmentCode { code, expires_at })))
}

/// The answer of `GET /v1/admin/devices`.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct Devices {
    /// Every enrolled device.
    pub devices: Vec<DeviceRow>,
}

/// `GET /v1/admin/devices`: every device with its last heartbeat.
pub async fn list_devices(State(state): State<AppState>, who: Principal) -> ApiResult<Json<Devices>> {
    who.require_somewhere(Role::Viewer)?;
    let mut devices = state.db.devices().await?;
    if let Some(readable) = who.readable_channels() {
        devices.retain(|d| readable.contains(&d.channel));
    }
    Ok(Json(Devices { devices }))
}

/// `N` random bytes as hex.
pub fn random_hex<const N: usize>() -> String {
    let mut bytes = [0u8; N];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut bytes);
    hex::encode(bytes)
}
