//! The device API (`docs/device-api.md`): enrolment, the current manifest, blobs,
//! and reports. Bodies, answers and headers are [`kiosk_wire`]'s, the same types
//! screens send and read.

use axum::Json;
use axum::body::Body;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kiosk_wire::headers::{MANIFEST_SIGNATURE_HEADER, RELEASE_VERSION_HEADER};
use kiosk_wire::{EnrolRequest, Enrolled, Report, ReportAccepted, ReportedEvent};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::admin::random_hex;
use crate::auth::{Device, Reader, token_hash};
use crate::blob_serve;
use crate::blob_store::StoredBlob;
use crate::db::{Enrolment, EventRow, sortable_time};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, BlobName, ChannelName};
use crate::reports::skew;
use crate::state::AppState;

/// Blobs up to this size (pictures, brochures, short films) are read in one go
/// and kept in memory for the fleet that fetches them at once.
const SMALL_BLOB_BYTES: u64 = 8 * 1024 * 1024;

/// Larger blobs are sent in pieces of this size.
const PIECE_BYTES: usize = 256 * 1024;

/// The most events one report may carry.
pub const MAX_EVENTS_PER_REPORT: usize = 10_000;

/// The largest heartbeat, and the largest `data` of one event, as JSON text.
pub const MAX_REPORT_OBJECT_BYTES: usize = 64 * 1024;

/// `POST /v1/enrol` `{"code", "name"}`, at most
/// [`Settings::enrol_attempts_per_minute`](crate::Settings::enrol_attempts_per_minute)
/// times a minute from one address (`429 too_many_attempts` with `Retry-After`),
/// so codes cannot be guessed.
pub async fn enrol(
    State(state): State<AppState>,
    parts: Parts,
    ApiJson(body): ApiJson<EnrolRequest>,
) -> Result<Json<Enrolled>, Response> {
    let address = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(address)| address.ip());
    let limit = state.settings.enrol_attempts_per_minute;
    if let Err(wait_s) = state.enrol_attempts.attempt(address, state.clock.now(), limit) {
        tracing::warn!(?address, "enrolment attempts over the limit");
        let refusal = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!("at most {limit} enrolment attempts a minute from one address; try again in {wait_s} s"),
        );
        return Err(([(header::RETRY_AFTER, wait_s.to_string())], refusal).into_response());
    }
    enrol_with_code(&state, body).await.map_err(IntoResponse::into_response)
}

async fn enrol_with_code(state: &AppState, body: EnrolRequest) -> ApiResult<Json<Enrolled>> {
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ApiError::bad_request("invalid_name", "a device name is 1–100 printable characters"));
    }
    let device_id = random_hex::<16>();
    let token = random_hex::<32>();
    let enrolment = state
        .db
        .enrol(
            token_hash(body.code.trim()),
            device_id.clone(),
            name.to_owned(),
            token_hash(&token),
            state.new_token_expiry(),
        )
        .await?;
    let refused = |code, message: String| Err(ApiError::new(StatusCode::FORBIDDEN, code, message));
    let channel = match enrolment {
        Enrolment::Enrolled { channel } => channel,
        Enrolment::UnknownCode => {
            return refused(
                "invalid_code",
                "the enrolment code is unknown; check it, or ask an admin for a new one".into(),
            );
        }
        Enrolment::UsedCode { used_at } => {
            return refused(
                "used_code",
                format!(
                    "the enrolment code was used at {used_at} and works once; ask an admin for a new one"
                ),
            );
        }
        Enrolment::ExpiredCode { expired_at } => {
            let when = expired_at.map_or_else(String::new, |at| format!(" at {at}"));
            return refused(
                "expired_code",
                format!("the enrolment code expired{when}; ask an admin for a new one"),
            );
        }
    };
    tracing::info!(%device_id, name, %channel, "a device enrolled");
    Ok(Json(Enrolled { device_id, token, channel }))
}

/// Whether an `If-None-Match` (or `If-Range`) value names this entity tag.
fn matches_etag(value: Option<&HeaderValue>, etag: &str) -> bool {
    let Some(value) = value.and_then(|v| v.to_str().ok()) else { return false };
    value.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

/// `GET /v1/channels/{channel}/manifest`: the current release's exact bytes.
pub async fn manifest(
    State(state): State<AppState>,
    reader: Reader,
    ChannelName(channel): ChannelName,
    headers: HeaderMap,
) -> ApiResult<Response> {
    reader.may_read(&channel)?;
    let release = state.current_release(&channel).await?.ok_or_else(|| {
        ApiError::not_found("no_release", format!("channel {channel:?} has no release yet"))
    })?;
    let etag = format!("\"{}\"", release.manifest_sha256);
    let mut response = if matches_etag(headers.get(header::IF_NONE_MATCH), &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], release.manifest.clone())
            .into_response()
    };
    let out = response.headers_mut();
    let header_value =
        |text: String| HeaderValue::from_str(&text).expect("hex and digits are valid header values");
    out.insert(header::ETAG, header_value(etag));
    out.insert(MANIFEST_SIGNATURE_HEADER, header_value(hex::encode(&release.signature)));
    out.insert(RELEASE_VERSION_HEADER, header_value(release.version.to_string()));
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

/// `GET /v1/blobs/{sha256}`: a blob listed by a release the caller may read, with
/// `Range` and `If-Range` support and immutable caching.
pub async fn blob(
    State(state): State<AppState>,
    reader: Reader,
    BlobName(id): BlobName,
    mut request: Request,
) -> ApiResult<Response> {
    let no_blob = || ApiError::not_found("no_blob", format!("{id} is not a blob of a release you may read"));
    let media_type = state
        .listed_blob_type(reader.channel().map(str::to_owned), id.to_string())
        .await?
        .ok_or_else(no_blob)?;
    let Some(stored) = state.stored_blob(&id).await? else {
        tracing::warn!(sha256 = %id, "a listed blob is missing from the blob store");
        return Err(no_blob());
    };
    let etag = format!("\"{id}\"");
    let headers = request.headers_mut();
    if headers.contains_key(header::IF_RANGE) && !matches_etag(headers.get(header::IF_RANGE), &etag) {
        headers.remove(header::RANGE);
    }
    headers.remove(header::IF_RANGE);
    let not_modified = matches_etag(headers.get(header::IF_NONE_MATCH), &etag);
    let mime: mime::Mime = media_type.parse().unwrap_or(mime::APPLICATION_OCTET_STREAM);
    let whole =
        !not_modified && stored.size() <= SMALL_BLOB_BYTES && !request.headers().contains_key(header::RANGE);
    let small = match whole {
        true => Some(state.memos.small_blobs.read(&id, &*state.blobs).await),
        false => None,
    };
    let mut response = match (not_modified, small) {
        (true, _) => StatusCode::NOT_MODIFIED.into_response(),
        // A small blob (pictures, brochures, short films) is read in one go and kept in memory for
        // the rest of the fleet, not opened, measured and read piece by piece.
        (false, Some(Ok(bytes))) => {
            let content_type =
                HeaderValue::from_str(mime.as_ref()).expect("a MIME type is a valid header value");
            ([(header::CONTENT_TYPE, content_type)], bytes).into_response()
        }
        (false, Some(Err(error))) => {
            tracing::warn!(sha256 = %id, %error, "a stored blob could not be read");
            return Err(no_blob());
        }
        (false, None) => match stored {
            StoredBlob::File { path, .. } => {
                let file = ServeFile::new_with_mime(&path, &mime).with_buf_chunk_size(PIECE_BYTES);
                match file.oneshot(request).await {
                    Ok(response) => response.map(Body::new),
                    Err(never) => match never {},
                }
            }
            StoredBlob::Object { size } => {
                let served =
                    blob_serve::serve_object(&*state.blobs, &id, size, &mime, request.headers()).await?;
                served.ok_or_else(|| {
                    tracing::warn!(sha256 = %id, "a listed blob is missing from the blob store");
                    no_blob()
                })?
            }
        },
    };
    let out = response.headers_mut();
    out.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let out = response.headers_mut();
        out.insert(header::ETAG, HeaderValue::from_str(&etag).expect("hex is a valid header value"));
        out.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
        out.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
        out.remove(header::LAST_MODIFIED);
    }
    Ok(response)
}

/// `POST /v1/reports`: answers once the heartbeat and events are committed.
/// Events of any kind name are kept (a newer screen's too), and the heartbeat
/// is stored as it came, fields this version does not know included.
pub async fn report(
    State(state): State<AppState>,
    device: Device,
    ApiJson(report): ApiJson<Report<ReportedEvent>>,
) -> ApiResult<Json<ReportAccepted>> {
    if report.events.len() > MAX_EVENTS_PER_REPORT {
        return Err(ApiError::bad_request(
            "too_many_events",
            format!("send at most {MAX_EVENTS_PER_REPORT} events per report"),
        ));
    }
    let server_now = state.clock.now();
    let offset = skew::offset(report.heartbeat.as_ref().and_then(|h| h.at), server_now);
    let events = report
        .events
        .into_iter()
        .map(|event| {
            let fits = |text: &str, max: usize| {
                !text.is_empty() && text.len() <= max && !text.contains(char::is_control)
            };
            if !fits(&event.id, 128) || !fits(&event.kind, 64) {
                return Err(ApiError::bad_request(
                    "invalid_event",
                    format!(
                        "event {:?}: id (≤ 128) and kind (≤ 64) must be non-empty printable text",
                        event.id
                    ),
                ));
            }
            let data = event.data.to_string();
            if data.len() > MAX_REPORT_OBJECT_BYTES {
                return Err(ApiError::bad_request(
                    "invalid_event",
                    format!(
                        "event {:?}: data is limited to {MAX_REPORT_OBJECT_BYTES} bytes of JSON",
                        event.id
                    ),
                ));
            }
            let counted_at = skew::counted_at(event.at, offset, server_now);
            Ok(EventRow { id: event.id, kind: event.kind, at: sortable_time(event.at), counted_at, data })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let accepted = events.len();
    let heartbeat = report.heartbeat.map(|h| serde_json::to_string(&h).expect("a heartbeat serializes"));
    if heartbeat.as_ref().is_some_and(|h| h.len() > MAX_REPORT_OBJECT_BYTES) {
        return Err(ApiError::bad_request(
            "invalid_heartbeat",
            format!("a heartbeat is limited to {MAX_REPORT_OBJECT_BYTES} bytes of JSON"),
        ));
    }
    state.db.record_report(device.id, heartbeat, events).await?;
    Ok(Json(ReportAccepted { accepted }))
}
