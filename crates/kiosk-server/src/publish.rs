//! Turning an uploaded manifest into a signed, published release.
//!
//! The admin sends a manifest; the server sets its `channel`, its `version` (the
//! channel's last plus one) and `created_at`, checks that every blob it lists was
//! uploaded with its listed size and that the content passes
//! [`ContentPack::check`](kiosk_core::content::ContentPack::check), encodes it
//! canonically ([`Manifest::encode`]), signs the bytes, and verifies the result
//! as a device would ([`kiosk_core::verify::verify_manifest`]) before storing it.
//! Every film and sound must decode on the server's GStreamer from its first to
//! its last frame ([`kiosk_media::manifest_probe`], remembered per blob and
//! decoder version); what the probe found is recorded in the manifest when the
//! author's tool did not record it. A release is published as soon as it is
//! stored, and announced to event streams.

use axum::http::StatusCode;
use ed25519_dalek::Signer;
use kiosk_core::blob::{BlobId, MediaProbe};
use kiosk_core::manifest::{FORMAT, Manifest};
use kiosk_core::verify::{MAX_VERSION, TrustPolicy, verify_manifest};
use kiosk_wire::{Announcement, ReleaseAnnounced};
use serde::Serialize;

use crate::db::StoredRelease;
use crate::error::{ApiError, ApiResult};
use crate::events::ChannelNews;
use crate::state::AppState;

/// The answer to a publish (or a rollback).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct Published {
    /// The new release's version.
    #[ts(type = "number")]
    pub version: u64,
    /// SHA-256 of its `manifest.json`.
    pub manifest_sha256: String,
}

/// Publishes `manifest` on `channel`.
pub async fn publish(state: &AppState, channel: &str, mut manifest: Manifest) -> ApiResult<Published> {
    state.require_channel(channel).await?;
    if manifest.format != FORMAT {
        return Err(ApiError::bad_request(
            "unsupported_format",
            format!(
                "manifest format {} is not supported; this server writes format {FORMAT}",
                manifest.format
            ),
        ));
    }
    manifest.blobs.sort_by(|a, b| a.sha256.cmp(&b.sha256));
    if let Some(pair) = manifest.blobs.windows(2).find(|w| w[0].sha256 == w[1].sha256) {
        return Err(ApiError::bad_request(
            "invalid_manifest",
            format!("blob {} is listed twice", pair[0].sha256),
        ));
    }
    for blob in &manifest.blobs {
        match state.blobs.size(&blob.sha256).await? {
            None => {
                return Err(ApiError::bad_request(
                    "missing_blob",
                    format!("blob {} is listed but was not uploaded (PUT /v1/admin/blobs/{0})", blob.sha256),
                ));
            }
            Some(size) if size != blob.size => {
                return Err(ApiError::bad_request(
                    "blob_size",
                    format!(
                        "blob {} is listed as {} bytes but the uploaded one is {size}",
                        blob.sha256, blob.size
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    for blob in manifest.blobs.iter_mut().filter(|b| b.media_type.is_video() || b.media_type.is_audio()) {
        let probe = probe_blob(state, &blob.sha256).await?;
        blob.probe.get_or_insert(probe);
    }
    manifest
        .content
        .check(&manifest.blobs)
        .map_err(|e| ApiError::bad_request("invalid_content", e.to_string()))?;

    let now = state.clock.now();
    if let Some(expires_at) = manifest.expires_at
        && expires_at <= now
    {
        return Err(ApiError::bad_request(
            "expired",
            format!("expires_at {expires_at} is not in the future"),
        ));
    }
    let _publishing = state.replicas.exclusive().await?;
    let last = state.db.latest_release(channel.to_owned()).await?;
    let version = last.map_or(1, |r| r.version + 1);
    if version > MAX_VERSION {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "versions_exhausted",
            "the channel has used every version",
        ));
    }
    manifest.channel = channel.to_owned();
    manifest.version = version;
    manifest.created_at = now;

    let bytes = manifest.encode();
    let signature = state.key.sign(&bytes).to_bytes().to_vec();
    let keys = [state.key.verifying_key()];
    let policy = TrustPolicy { keys: &keys, channel, trusted: None, now };
    verify_manifest(&bytes, &signature, &policy)
        .map_err(|rejection| ApiError::bad_request("invalid_manifest", rejection.to_string()))?;

    let manifest_sha256 = BlobId::of(&bytes).to_string();
    let blobs =
        manifest.blobs.iter().map(|b| (b.sha256.to_string(), b.media_type.mime().to_owned())).collect();
    let release =
        StoredRelease { version, manifest: bytes, signature, manifest_sha256: manifest_sha256.clone() };
    state
        .db
        .insert_release(channel.to_owned(), release.clone(), crate::db::sortable_time(now), blobs)
        .await?;
    state.memos.current.insert_newer(
        channel.to_owned(),
        std::sync::Arc::new(release),
        crate::memo::later_release,
    );
    crate::console::media::register_release(state, &manifest).await?;
    tracing::info!(channel, version, %manifest_sha256, "published a release");
    state.announcer.announce(ChannelNews {
        channel: channel.to_owned(),
        news: Announcement::Release(ReleaseAnnounced { version, manifest_sha256: manifest_sha256.clone() }),
    });
    Ok(Published { version, manifest_sha256 })
}

/// What the server's GStreamer finds in a stored film or sound; a film that
/// decoded is remembered per blob and decoder version (a failure is not, so a
/// decoder installed later is tried). `400 undecodable_media` when it does not decode.
async fn probe_blob(state: &AppState, id: &BlobId) -> ApiResult<MediaProbe> {
    let decoder = kiosk_media::decoder_version();
    if let Some(probe) = state.db.blob_probe(id.to_string(), decoder.clone()).await?
        && let Ok(probe) = serde_json::from_str(&probe)
    {
        return Ok(probe);
    }
    let Some(local) = state.blobs.local_copy(id).await? else {
        return Err(ApiError::bad_request("missing_blob", format!("blob {id} cannot be read to probe it")));
    };
    let undecodable = |reason: String| {
        ApiError::bad_request(
            "undecodable_media",
            format!("blob {id} does not play on this server's decoder: {reason}"),
        )
    };
    let probe = tokio::task::spawn_blocking(move || kiosk_media::manifest_probe(local.path()))
        .await
        .map_err(|e| undecodable(e.to_string()))?
        .map_err(undecodable)?;
    let text = serde_json::to_string(&probe).expect("probe facts serialize");
    state.db.store_blob_probe(id.to_string(), decoder, text).await?;
    Ok(probe)
}
