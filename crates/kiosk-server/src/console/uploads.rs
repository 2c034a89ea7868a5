//! Resumable uploads into the media library. An upload is begun with its name
//! and length, its bytes arrive in pieces at stated offsets (a piece cut off
//! in the middle is kept up to where it broke, and the next one continues from
//! there), and it is finished by checking the file: a film or sound must
//! decode here from its first to its last frame, a picture must decode, a PDF
//! must be one. Only then is it stored by its SHA-256 and listed in the library.
//! The bytes so far live in `uploads/<id>.part` in the data folder of the
//! server (the replica) that began it, which the answer names in `Upload-Id`.

use std::path::{Path, PathBuf};

use axum::Json;
use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use futures_util::{StreamExt, TryStreamExt};
use kiosk_core::blob::{BlobHasher, BlobId, MediaType};
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;

use super::audit;
use super::db::{MediaRow, Role, UploadRow};
use super::media::{MediaItem, media_item};
use super::principal::Principal;
use crate::admin::random_hex;
use crate::db::sortable_time;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::state::AppState;

/// The header a piece states its offset in.
pub const UPLOAD_OFFSET: &str = "upload-offset";

/// The header the answer that begins an upload names it in, besides its body:
/// HAProxy sends every later request of the upload to the replica that keeps
/// its bytes (`installers/replicas/haproxy.cfg`).
pub const UPLOAD_ID: &str = "upload-id";

/// The body of `POST /v1/admin/uploads`.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "console/src/generated/")]
pub struct NewUpload {
    /// The file's name; its extension says what it is.
    pub name: String,
    /// Its length in bytes.
    #[ts(type = "number")]
    pub size: u64,
}

/// An upload in progress.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct Upload {
    /// Its id.
    pub id: String,
    /// The file's name.
    pub name: String,
    /// Its full length.
    #[ts(type = "number")]
    pub size: u64,
    /// How many bytes have arrived; the next piece starts here.
    #[ts(type = "number")]
    pub received: u64,
}

fn part_path(state: &AppState, id: &str) -> PathBuf {
    state.settings.data_dir.join("uploads").join(format!("{id}.part"))
}

async fn received(path: &Path) -> u64 {
    tokio::fs::metadata(path).await.map(|m| m.len()).unwrap_or(0)
}

/// What a file name's extension says it is, or `400 unknown_type`.
pub fn media_type_of(name: &str) -> Result<MediaType, ApiError> {
    let extension = Path::new(name).extension().and_then(|e| e.to_str()).unwrap_or_default();
    MediaType::from_extension(extension).ok_or_else(|| {
        ApiError::bad_request(
            "unknown_type",
            format!(
                "{name:?} is not a file a kiosk shows: use a picture (png, jpg, webp, svg), a film (mp4, webm), a sound (wav, ogg) or a PDF"
            ),
        )
    })
}

async fn upload_of(state: &AppState, who: &Principal, id: &str) -> ApiResult<UploadRow> {
    let no_upload = || ApiError::not_found("no_upload", format!("there is no upload {id:?}; begin it again"));
    if id.len() != 32 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(no_upload());
    }
    let upload = state.staff.upload(id.to_owned()).await?.ok_or_else(no_upload)?;
    if upload.owner != who.name && !who.is_admin {
        return Err(no_upload());
    }
    Ok(upload)
}

/// `POST /v1/admin/uploads`: begins an upload.
pub async fn begin(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(body): ApiJson<NewUpload>,
) -> ApiResult<(StatusCode, [(&'static str, String); 1], Json<Upload>)> {
    who.require_somewhere(Role::Editor)?;
    media_type_of(&body.name)?;
    let name = body.name.trim();
    if name.is_empty() || name.len() > 255 || name.contains(['/', '\\']) || name.contains(char::is_control) {
        return Err(ApiError::bad_request("invalid_name", "a file name is 1–255 characters without slashes"));
    }
    let limit = state.settings.max_blob_bytes;
    if body.size == 0 || body.size > limit {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("files are 1 byte to {limit} bytes; this one says {}", body.size),
        ));
    }
    let upload = UploadRow {
        id: random_hex::<16>(),
        name: name.to_owned(),
        size: body.size,
        owner: who.name.clone(),
        created_at: sortable_time(state.clock.now()),
    };
    let path = part_path(&state, &upload.id);
    let dir = path.parent().expect("uploads/ has a parent").to_owned();
    let io = |e: std::io::Error| ApiError::internal(&format!("{}: {e}", path.display()));
    tokio::fs::create_dir_all(&dir).await.map_err(io)?;
    tokio::fs::File::create(&path).await.map_err(io)?;
    state.staff.insert_upload(upload.clone()).await?;
    Ok((
        StatusCode::CREATED,
        [(UPLOAD_ID, upload.id.clone())],
        Json(Upload { id: upload.id, name: upload.name, size: upload.size, received: 0 }),
    ))
}

/// `GET /v1/admin/uploads/{id}`: how far an upload got.
pub async fn status(
    State(state): State<AppState>,
    who: Principal,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<Json<Upload>> {
    let upload = upload_of(&state, &who, &id).await?;
    let received = received(&part_path(&state, &id)).await;
    Ok(Json(Upload { id: upload.id, name: upload.name, size: upload.size, received }))
}

/// `PATCH /v1/admin/uploads/{id}` with `Upload-Offset`: appends a piece. What
/// arrived of a piece cut off in the middle is kept and synced.
pub async fn append(
    State(state): State<AppState>,
    who: Principal,
    UrlPath(id): UrlPath<String>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<Upload>> {
    let upload = upload_of(&state, &who, &id).await?;
    let path = part_path(&state, &id);
    let have = received(&path).await;
    let offset = headers.get(UPLOAD_OFFSET).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let answer =
        |received| Upload { id: upload.id.clone(), name: upload.name.clone(), size: upload.size, received };
    if offset != Some(have) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "offset_mismatch",
            format!("{have} bytes have arrived; send the next piece with Upload-Offset: {have}"),
        ));
    }
    let io = |e: std::io::Error| ApiError::internal(&format!("{}: {e}", path.display()));
    // Made here when missing: an upload whose first piece reaches another
    // replica than the one that began it starts over here.
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await.map_err(io)?;
    }
    let mut file = tokio::fs::OpenOptions::new().append(true).create(true).open(&path).await.map_err(io)?;
    let mut stream = body.into_data_stream().map_err(std::io::Error::other).boxed();
    let mut total = have;
    let mut cut = None;
    while let Some(piece) = stream.next().await {
        let piece = match piece {
            Ok(piece) => piece,
            Err(error) => {
                cut = Some(error);
                break;
            }
        };
        if total + piece.len() as u64 > upload.size {
            file.sync_all().await.map_err(io)?;
            return Err(ApiError::bad_request(
                "too_long",
                format!("the file was said to be {} bytes; more arrived", upload.size),
            ));
        }
        file.write_all(&piece).await.map_err(io)?;
        total += piece.len() as u64;
    }
    file.sync_all().await.map_err(io)?;
    if let Some(error) = cut {
        tracing::info!(upload = %id, received = total, %error, "an upload piece was cut off; kept what arrived");
        return Err(ApiError::bad_request(
            "cut_off",
            format!("the piece was cut off after {total} bytes: {error}"),
        ));
    }
    Ok(Json(answer(total)))
}

/// `POST /v1/admin/uploads/{id}/finish`: checks the file and adds it to the library.
pub async fn finish(
    State(state): State<AppState>,
    who: Principal,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<(StatusCode, Json<MediaItem>)> {
    let upload = upload_of(&state, &who, &id).await?;
    let path = part_path(&state, &id);
    let have = received(&path).await;
    if have != upload.size {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "incomplete",
            format!("{have} of {} bytes have arrived; send the rest first", upload.size),
        ));
    }
    let media_type = media_type_of(&upload.name)?;
    let checked = {
        let kept = path.clone();
        tokio::task::spawn_blocking(move || check_file(&kept, media_type))
            .await
            .map_err(|e| ApiError::internal(&e))?
            .map_err(|refusal| without_server_path(refusal, &path, &upload.name))
    };
    let facts = match checked {
        Ok(facts) => facts,
        Err(refusal) => {
            let _ = tokio::fs::remove_file(&path).await;
            state.staff.delete_upload(id.clone()).await?;
            audit::by(
                &state,
                &who,
                "media.refuse",
                None,
                format!("refused {}: {}", upload.name, refusal.message),
            )
            .await?;
            return Err(refusal);
        }
    };
    let sha256 = facts.sha256.clone();
    let bytes = tokio::fs::File::open(&path).await.map_err(|e| ApiError::internal(&e))?;
    let stream = crate::blob_store::reader_stream(bytes);
    state.blobs.put(&sha256, stream, state.settings.max_blob_bytes).await?;
    if let Some(probe) = &facts.probe_json {
        state.db.store_blob_probe(sha256.to_string(), kiosk_media::decoder_version(), probe.clone()).await?;
    }
    let row = MediaRow {
        sha256: sha256.to_string(),
        name: upload.name.clone(),
        media_type: media_type.mime().to_owned(),
        size: upload.size,
        width: facts.width,
        height: facts.height,
        duration_ms: facts.duration_ms,
        has_audio: facts.has_audio,
        uploaded_by: who.name.clone(),
        uploaded_at: sortable_time(state.clock.now()),
    };
    let added = state.staff.insert_media(row).await?;
    if let Some(png) = facts.thumbnail {
        state.staff.store_thumbnail(sha256.to_string(), png).await?;
    }
    let _ = tokio::fs::remove_file(&path).await;
    state.staff.delete_upload(id).await?;
    let detail = match added {
        true => format!("uploaded {} ({} bytes, {})", upload.name, upload.size, media_type.mime()),
        false => format!("uploaded {} again (already in the library)", upload.name),
    };
    audit::by(&state, &who, "media.upload", None, detail).await?;
    let item = media_item(&state, &sha256.to_string()).await?;
    Ok((StatusCode::CREATED, Json(item)))
}

/// What checking an uploaded file found.
struct FileFacts {
    sha256: BlobId,
    width: Option<u32>,
    height: Option<u32>,
    duration_ms: Option<u64>,
    has_audio: bool,
    probe_json: Option<String>,
    thumbnail: Option<Vec<u8>>,
}

/// A refusal that speaks of the file by the name it was uploaded under, never by
/// where the server keeps it.
fn without_server_path(mut refusal: ApiError, path: &Path, name: &str) -> ApiError {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    for place in [absolute.display().to_string(), path.display().to_string()] {
        refusal.message = refusal.message.replace(&format!("file://{place}"), name).replace(&place, name);
    }
    refusal
}

/// Hashes the file and checks that it is what its name says.
fn check_file(path: &Path, media_type: MediaType) -> Result<FileFacts, ApiError> {
    let sha256 = hash_file(path).map_err(|e| ApiError::internal(&e))?;
    let mut facts = FileFacts {
        sha256,
        width: None,
        height: None,
        duration_ms: None,
        has_audio: false,
        probe_json: None,
        thumbnail: None,
    };
    let not_media = |what: &str, reason: String| {
        ApiError::bad_request("not_media", format!("this file is not {what}: {reason}"))
    };
    if media_type == MediaType::Pdf {
        let mut head = [0u8; 5];
        let ok =
            std::fs::File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head)).is_ok();
        if !ok || &head != b"%PDF-" {
            return Err(not_media("a PDF", "it does not begin with %PDF-".into()));
        }
    } else if media_type == MediaType::Svg {
        let text = std::fs::read(path).map_err(|e| ApiError::internal(&e))?;
        let text = String::from_utf8_lossy(&text[..text.len().min(4096)]).to_lowercase();
        if !text.contains("<svg") {
            return Err(not_media("an SVG picture", "no <svg> element at its start".into()));
        }
    } else if media_type.is_image() {
        let found = kiosk_media::probe::probe(path).map_err(|e| not_media("a picture", e.to_string()))?;
        if !found.decodable {
            return Err(not_media("a picture that decodes", found.decode_error.unwrap_or_default()));
        }
        facts.width = found.width;
        facts.height = found.height;
        facts.thumbnail = kiosk_media::thumbnail::thumbnail_png(path, 0, 320).ok();
    } else {
        let probe = kiosk_media::manifest_probe(path).map_err(|reason| {
            ApiError::bad_request(
                "undecodable_media",
                format!("this file does not play on the kiosks' decoder: {reason}"),
            )
        })?;
        facts.width = probe.width;
        facts.height = probe.height;
        facts.duration_ms = probe.duration_ms;
        facts.has_audio = probe.has_audio;
        facts.probe_json = Some(serde_json::to_string(&probe).expect("probe facts serialize"));
        if media_type.is_video() {
            let at = probe.duration_ms.map_or(0, |d| (d / 3).min(3000));
            facts.thumbnail = kiosk_media::thumbnail::thumbnail_png(path, at, 320).ok();
        }
    }
    Ok(facts)
}

fn hash_file(path: &Path) -> std::io::Result<BlobId> {
    let mut hasher = BlobHasher::new();
    std::io::copy(&mut std::fs::File::open(path)?, &mut hasher)?;
    Ok(hasher.finish().sha256)
}
