//! The screenshot routes: staff ask a screen for a screenshot, the screen
//! uploads it, staff list and look at a screen's screenshots
//! (`docs/console-api.md`, "Screenshots"; `docs/device-api.md`).

use axum::Json;
use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use kiosk_wire::headers::TAKEN_AT_HEADER;
use kiosk_wire::screenshot::{MAX_BYTES, PNG_MEDIA_TYPE, SCHEDULED, ScreenshotStored, is_request_id};
use kiosk_wire::{Announcement, ScreenshotRequested};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::body::read_capped;
use super::db::{DeviceRef, NewScreenshot, ScreenshotInfo, ScreenshotRequest};
use super::png_check::{PngRefusal, check_png};
use super::{KEEP_PER_DEVICE, KEEP_REQUESTS_PER_DEVICE};
use crate::auth::Device;
use crate::console::audit;
use crate::console::db::Role;
use crate::console::principal::Principal;
use crate::db::sortable_time;
use crate::error::{ApiError, ApiResult};
use crate::events::ChannelNews;
use crate::state::AppState;

/// The answer of `POST /v1/admin/devices/{id}/screenshot`.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct ScreenshotAsked {
    /// The request's id; the screenshot that answers it names it.
    pub request: String,
    /// Whether the screen holds its event stream now, and so hears the request
    /// at once (a screen without one does not hear it).
    pub streaming: bool,
}

/// The answer of `GET /v1/admin/devices/{id}/screenshots`.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct Screenshots {
    /// The device's id.
    pub device: String,
    /// Its name.
    pub name: String,
    /// Its channel.
    pub channel: String,
    /// Its screenshots, newest first (at most the newest 48).
    pub screenshots: Vec<ScreenshotInfo>,
}

fn no_device(id: &str) -> ApiError {
    ApiError::not_found("no_device", format!("there is no screen {id:?}"))
}

/// The device `id`, when `who` may view its channel.
async fn viewable(state: &AppState, who: &Principal, id: &str) -> ApiResult<DeviceRef> {
    who.require_somewhere(Role::Viewer)?;
    let device = state.screenshots.device(id.to_owned()).await?.ok_or_else(|| no_device(id))?;
    who.require(&device.channel, Role::Viewer)?;
    Ok(device)
}

/// `POST /v1/admin/devices/{id}/screenshot`: asks the screen for a screenshot
/// over its event stream; `202`.
pub async fn ask(
    State(state): State<AppState>,
    who: Principal,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<(StatusCode, Json<ScreenshotAsked>)> {
    let device = viewable(&state, &who, &id).await?;
    let request = crate::admin::random_hex::<16>();
    let asked = ScreenshotRequest {
        id: request.clone(),
        device: device.id.clone(),
        asked_by: who.name.clone(),
        asked_at: sortable_time(state.clock.now()),
        answered_at: None,
    };
    state.screenshots.add_request(asked, KEEP_REQUESTS_PER_DEVICE).await?;
    let detail = format!("asked screen {} for a screenshot ({request})", device.name);
    audit::by(&state, &who, "device.screenshot", Some(&device.channel), detail).await?;
    let news =
        Announcement::Screenshot(ScreenshotRequested { device: device.id.clone(), request: request.clone() });
    state.announcer.announce(ChannelNews { channel: device.channel, news });
    let streaming = state.streams.is_streaming(&device.id)
        || state.replicas.streaming_elsewhere().await.contains(&device.id);
    Ok((StatusCode::ACCEPTED, Json(ScreenshotAsked { request, streaming })))
}

fn no_request(request: &str) -> ApiError {
    ApiError::not_found(
        "no_request",
        format!(
            "no screenshot was asked as {request:?}; upload to a request announced to this screen, or to {SCHEDULED:?}"
        ),
    )
}

/// `PUT /v1/screenshots/{request}`: a screen's PNG, answering a request to it or
/// on its schedule; `201`.
pub async fn upload(
    State(state): State<AppState>,
    device: Device,
    UrlPath(request): UrlPath<String>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<ScreenshotStored>)> {
    if !is_request_id(&request) {
        return Err(no_request(&request));
    }
    if request != SCHEDULED {
        let asked = state.screenshots.request(request.clone()).await?.ok_or_else(|| no_request(&request))?;
        if asked.device != device.id {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "wrong_device",
                "that screenshot was asked of another screen",
            ));
        }
        if asked.answered_at.is_some() {
            return Err(already_answered(&request));
        }
    }
    let media_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if media_type.split(';').next().map(str::trim) != Some(PNG_MEDIA_TYPE) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("send the screenshot as Content-Type: {PNG_MEDIA_TYPE}"),
        ));
    }
    let taken_at = match headers.get(TAKEN_AT_HEADER) {
        None => None,
        Some(value) => {
            Some(value.to_str().ok().and_then(|v| v.parse::<Timestamp>().ok()).ok_or_else(|| {
                ApiError::bad_request(
                    "invalid_taken_at",
                    format!("{TAKEN_AT_HEADER} is a time like 2026-05-01T10:15:00+07:00"),
                )
            })?)
        }
    };
    let png = read_capped(&headers, body, MAX_BYTES).await?;
    let (png, checked) = tokio::task::spawn_blocking(move || {
        let checked = check_png(&png);
        (png, checked)
    })
    .await
    .map_err(|e| ApiError::internal(&e))?;
    let (width, height) = checked.map_err(|refusal| {
        let code = match refusal {
            PngRefusal::NotPng => "not_png",
            PngRefusal::TooManyPixels { .. } => "too_many_pixels",
            PngRefusal::Undecodable(_) => "undecodable_png",
        };
        ApiError::bad_request(code, refusal.to_string())
    })?;
    let received_at = state.clock.now();
    let shot = NewScreenshot {
        device: device.id.clone(),
        request: request.clone(),
        taken_at: sortable_time(taken_at.unwrap_or(received_at)),
        received_at: sortable_time(received_at),
        width,
        height,
        sha256: hex::encode(Sha256::digest(&png)),
        png,
    };
    let stored =
        state.screenshots.store(shot, KEEP_PER_DEVICE).await?.ok_or_else(|| already_answered(&request))?;
    tracing::info!(device = device.id, request, width, height, bytes = stored.bytes, "screenshot stored");
    Ok((
        StatusCode::CREATED,
        Json(ScreenshotStored {
            id: stored.id,
            request: stored.request,
            width: stored.width,
            height: stored.height,
            bytes: stored.bytes,
            sha256: stored.sha256,
        }),
    ))
}

fn already_answered(request: &str) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "already_answered",
        format!("screenshot request {request} was answered already"),
    )
}

/// `GET /v1/admin/devices/{id}/screenshots`: the screen's screenshots, newest first.
pub async fn list(
    State(state): State<AppState>,
    who: Principal,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<Json<Screenshots>> {
    let device = viewable(&state, &who, &id).await?;
    let screenshots = state.screenshots.list(device.id.clone()).await?;
    Ok(Json(Screenshots { device: device.id, name: device.name, channel: device.channel, screenshots }))
}

/// `GET /v1/admin/devices/{id}/screenshots/{n}.png`: one screenshot's PNG.
pub async fn picture(
    State(state): State<AppState>,
    who: Principal,
    UrlPath((id, file)): UrlPath<(String, String)>,
) -> ApiResult<Response> {
    let device = viewable(&state, &who, &id).await?;
    let none =
        || ApiError::not_found("no_screenshot", format!("screen {} has no screenshot {file:?}", device.name));
    let number = file.strip_suffix(".png").and_then(|n| n.parse::<i64>().ok()).ok_or_else(none)?;
    let png = state.screenshots.png(device.id.clone(), number).await?.ok_or_else(none)?;
    let mut response = ([(header::CONTENT_TYPE, PNG_MEDIA_TYPE)], png).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=86400, immutable"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(response)
}
