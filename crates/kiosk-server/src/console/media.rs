//! The media library: every file staff uploaded or a release carried, with
//! what it is, its thumbnail, and where each is used (in a channel's live
//! release or its draft); and QR codes as the kiosks draw them.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kiosk_core::blob::BlobRef;
use kiosk_core::content::ContentPack;
use kiosk_core::manifest::Manifest;
use serde::{Deserialize, Serialize};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::db::{MediaRow, Role};
use super::principal::Principal;
use crate::blob_serve;
use crate::blob_store::StoredBlob;
use crate::db::sortable_time;
use crate::error::{ApiError, ApiResult};
use crate::extract::BlobName;
use crate::state::AppState;

/// Where a file is used.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct MediaUse {
    /// The channel.
    pub channel: String,
    /// The place, as `chapter "award" scene "new-york" video`.
    pub place: String,
    /// `true` in the live release, `false` in the draft.
    pub live: bool,
}

/// A file of the library.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct MediaItem {
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// The name it was uploaded under.
    pub name: String,
    /// `image`, `video`, `sound` or `document`.
    pub kind: String,
    /// Its media type.
    pub media_type: String,
    /// Its length in bytes.
    #[ts(type = "number")]
    pub size: u64,
    /// Picture width.
    pub width: Option<u32>,
    /// Picture height.
    pub height: Option<u32>,
    /// Length of a film or sound.
    #[ts(type = "number | null")]
    pub duration_ms: Option<u64>,
    /// Whether a film has sound.
    pub has_audio: bool,
    /// Who uploaded it (`release` when it came with a published release).
    pub uploaded_by: String,
    /// When.
    pub uploaded_at: String,
    /// Whether `GET …/thumbnail` has a picture.
    pub has_thumbnail: bool,
    /// Where it is used.
    pub used_in: Vec<MediaUse>,
}

/// `image`, `video`, `sound` or `document` for a media type.
pub fn kind_of(media_type: &str) -> &'static str {
    match media_type.split('/').next() {
        Some("image") => "image",
        Some("video") => "video",
        Some("audio") => "sound",
        _ => "document",
    }
}

fn item(row: MediaRow, used_in: Vec<MediaUse>) -> MediaItem {
    let kind = kind_of(&row.media_type);
    MediaItem {
        kind: kind.to_owned(),
        has_thumbnail: matches!(kind, "image" | "video") && row.media_type != "image/svg+xml",
        sha256: row.sha256,
        name: row.name,
        media_type: row.media_type,
        size: row.size,
        width: row.width,
        height: row.height,
        duration_ms: row.duration_ms,
        has_audio: row.has_audio,
        uploaded_by: row.uploaded_by,
        uploaded_at: row.uploaded_at,
        used_in,
    }
}

/// Every use of every file: each channel's live release and draft.
async fn uses(state: &AppState) -> ApiResult<Vec<(String, MediaUse)>> {
    let mut found = Vec::new();
    for channel in state.db.channels().await? {
        let mut note = |pack: &ContentPack, live: bool| {
            for (place, blob, _) in pack.blob_uses() {
                found.push((blob.to_string(), MediaUse { channel: channel.name.clone(), place, live }));
            }
        };
        if let Some(release) = state.current_release(&channel.name).await?
            && let Ok(manifest) = Manifest::decode(&release.manifest)
        {
            note(&manifest.content, true);
        }
        if let Some(draft) = state.staff.draft(channel.name.clone()).await?
            && let Ok(pack) = serde_json::from_str::<ContentPack>(&draft.content)
        {
            note(&pack, false);
        }
    }
    Ok(found)
}

/// One file of the library with its uses; `404 no_media` when it is not there.
pub async fn media_item(state: &AppState, sha256: &str) -> ApiResult<MediaItem> {
    let row =
        state.staff.media_item(sha256.to_owned()).await?.ok_or_else(|| {
            ApiError::not_found("no_media", format!("{sha256} is not in the media library"))
        })?;
    let used = uses(state).await?.into_iter().filter(|(id, _)| id == sha256).map(|(_, u)| u).collect();
    Ok(item(row, used))
}

/// The query of `GET /v1/admin/media`.
#[derive(Debug, Default, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "console/src/generated/")]
pub struct MediaQuery {
    /// Words the name contains.
    #[ts(optional)]
    pub q: Option<String>,
    /// `image`, `video`, `sound` or `document`.
    #[ts(optional)]
    pub kind: Option<String>,
}

/// The answer of `GET /v1/admin/media`.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct MediaList {
    /// Newest first.
    pub media: Vec<MediaItem>,
}

/// `GET /v1/admin/media?q=&kind=`.
pub async fn list(
    State(state): State<AppState>,
    who: Principal,
    query: Result<Query<MediaQuery>, QueryRejection>,
) -> ApiResult<Json<MediaList>> {
    who.require_somewhere(Role::Viewer)?;
    let Query(query) = query.map_err(|e| ApiError::bad_request("invalid_query", e.body_text()))?;
    let words: Vec<String> =
        query.q.unwrap_or_default().to_lowercase().split_whitespace().map(str::to_owned).collect();
    let uses = uses(&state).await?;
    let media = state
        .staff
        .media()
        .await?
        .into_iter()
        .filter(|row| query.kind.as_deref().is_none_or(|kind| kind_of(&row.media_type) == kind))
        .filter(|row| {
            let name = row.name.to_lowercase();
            words.iter().all(|w| name.contains(w.as_str()))
        })
        .map(|row| {
            let used = uses.iter().filter(|(id, _)| *id == row.sha256).map(|(_, u)| u.clone()).collect();
            item(row, used)
        })
        .collect();
    Ok(Json(MediaList { media }))
}

/// `GET /v1/admin/media/{sha256}/thumbnail`: a PNG, made on first ask for
/// files that came with a release.
pub async fn thumbnail(
    State(state): State<AppState>,
    who: Principal,
    BlobName(id): BlobName,
) -> ApiResult<Response> {
    who.require_somewhere(Role::Viewer)?;
    let none = || ApiError::not_found("no_thumbnail", format!("{id} has no thumbnail"));
    let png = match state.staff.thumbnail(id.to_string()).await? {
        Some(png) => png,
        None => {
            let row = state.staff.media_item(id.to_string()).await?.ok_or_else(none)?;
            let kind = kind_of(&row.media_type);
            if !matches!(kind, "image" | "video") || row.media_type == "image/svg+xml" {
                return Err(none());
            }
            let Some(local) = state.blobs.local_copy(&id).await? else {
                return Err(none());
            };
            let at = row.duration_ms.map_or(0, |d| (d / 3).min(3000));
            let png = tokio::task::spawn_blocking(move || {
                kiosk_media::thumbnail::thumbnail_png(local.path(), at, 320)
            })
            .await
            .map_err(|e| ApiError::internal(&e))?
            .map_err(|_| none())?;
            state.staff.store_thumbnail(id.to_string(), png.clone()).await?;
            png
        }
    };
    Ok(([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "private, max-age=86400")], png)
        .into_response())
}

/// `GET /v1/admin/media/{sha256}/file`: the file, with `Range`, shown in the
/// console; sandboxed so that an SVG cannot run scripts.
pub async fn file(
    State(state): State<AppState>,
    who: Principal,
    BlobName(id): BlobName,
    request: Request,
) -> ApiResult<Response> {
    who.require_somewhere(Role::Viewer)?;
    let none = || ApiError::not_found("no_media", format!("{id} is not in the media library"));
    let row = state.staff.media_item(id.to_string()).await?.ok_or_else(none)?;
    let stored = state.stored_blob(&id).await?.ok_or_else(none)?;
    let mime: mime::Mime = row.media_type.parse().unwrap_or(mime::APPLICATION_OCTET_STREAM);
    let mut response = match stored {
        StoredBlob::File { path, .. } => {
            match ServeFile::new_with_mime(&path, &mime).oneshot(request).await {
                Ok(response) => response.map(axum::body::Body::new),
                Err(never) => match never {},
            }
        }
        StoredBlob::Object { size } => {
            blob_serve::serve_object(&*state.blobs, &id, size, &mime, request.headers())
                .await?
                .ok_or_else(none)?
        }
    };
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'; style-src 'unsafe-inline'"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=86400, immutable"));
    Ok(response)
}

/// The query of `GET /v1/admin/qr.svg`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QrQuery {
    /// What the code says.
    pub text: String,
}

/// `GET /v1/admin/qr.svg?text=`: the QR code a kiosk would draw for `text`.
pub async fn qr(who: Principal, query: Result<Query<QrQuery>, QueryRejection>) -> ApiResult<Response> {
    who.require_somewhere(Role::Viewer)?;
    let Query(query) = query.map_err(|e| ApiError::bad_request("invalid_query", e.body_text()))?;
    let svg = kiosk_core::qr::qr_svg(&query.text)
        .map_err(|e| ApiError::bad_request("too_long", format!("no QR code holds this much text: {e}")))?;
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

/// Lists the files of a published release in the library (those not uploaded
/// through the console are named by where the release uses them).
pub async fn register_release(state: &AppState, manifest: &Manifest) -> ApiResult<()> {
    let places = manifest.content.blob_uses();
    let at = sortable_time(state.clock.now());
    for BlobRef { sha256, size, media_type, probe } in &manifest.blobs {
        let place = places.iter().find(|(_, id, _)| *id == sha256).map(|(place, _, _)| place.clone());
        let name = place.unwrap_or_else(|| format!("{}…", &sha256.as_str()[..12]));
        let row = MediaRow {
            sha256: sha256.to_string(),
            name,
            media_type: media_type.mime().to_owned(),
            size: *size,
            width: probe.as_ref().and_then(|p| p.width),
            height: probe.as_ref().and_then(|p| p.height),
            duration_ms: probe.as_ref().and_then(|p| p.duration_ms),
            has_audio: probe.as_ref().is_some_and(|p| p.has_audio),
            uploaded_by: "release".into(),
            uploaded_at: at.clone(),
        };
        state.staff.insert_media(row).await?;
    }
    Ok(())
}
