//! A lead kiosk's mirror: its verified release, served read-only to the other
//! screens of a booth with the routes of the device API (`docs/device-api.md`).
//!
//! At an overseas fair the central server may be out of reach; the booth's
//! screens then sync from the lead kiosk over the booth network. The mirror
//! needs no token and is trusted by nobody: every screen verifies the manifest's
//! signature against its own pinned keys and every blob against its SHA-256.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kiosk_core::blob::BlobId;
use kiosk_listener::{Limits, RequestRate};
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use kiosk_wire::headers::{MANIFEST_SIGNATURE_HEADER, RELEASE_VERSION_HEADER};
use kiosk_wire::paths;

use crate::current_release::CurrentRelease;
use crate::data_dir::DataDir;

#[derive(Clone)]
struct MirrorState {
    data_dir: DataDir,
    release: CurrentRelease,
}

/// What the mirror allows the booth's screens: each syncs over a few
/// connections, asking for a manifest and then every blob in turn, so one
/// address may hold 8 connections and make 200 requests a second (2000 at
/// once); a connection silent for 10 s before its request, or a blob unread
/// for a minute, is closed.
pub const MIRROR_LIMITS: Limits = Limits {
    max_connections: 128,
    max_connections_per_client: Some(8),
    request_head_timeout: Duration::from_secs(10),
    write_stall_timeout: Some(Duration::from_secs(60)),
    request_rate: Some(RequestRate::new(200, 2_000)),
    refusal_log_interval: Duration::from_secs(60),
};

/// Serves `release` (whose manifest files are kept in `data_dir`) on
/// `listener` in the background until `shutdown` completes.
pub fn serve_mirror(
    listener: TcpListener,
    data_dir: DataDir,
    release: CurrentRelease,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<SocketAddr> {
    serve_mirror_with_limits(listener, MIRROR_LIMITS, data_dir, release, shutdown)
}

/// [`serve_mirror`] within other `limits` than [`MIRROR_LIMITS`].
pub fn serve_mirror_with_limits(
    listener: TcpListener,
    limits: Limits,
    data_dir: DataDir,
    release: CurrentRelease,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<SocketAddr> {
    let addr = listener.local_addr()?;
    let app = Router::new()
        .route(paths::MANIFEST_ROUTE, get(serve_manifest))
        .route(paths::BLOB_ROUTE, get(serve_blob))
        .fallback(|| async { problem(StatusCode::NOT_FOUND, "not_found", "no such route") })
        .with_state(MirrorState { data_dir, release });
    tokio::spawn(async move {
        if let Err(error) = kiosk_listener::serve(listener, app, limits, shutdown).await {
            tracing::error!(%error, "mirror stopped");
        }
    });
    Ok(addr)
}

/// A JSON error as the device API words it.
fn problem(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({ "error": code, "message": message });
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

async fn serve_manifest(
    State(state): State<MirrorState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    let no_release =
        || problem(StatusCode::NOT_FOUND, "no_release", "this mirror has no release of that channel");
    let Ok(Path(channel)) = path else { return no_release() };
    let Some(release) = state.release.get() else { return no_release() };
    let manifest = &release.manifest;
    if manifest.channel != channel {
        return no_release();
    }
    let dir = state.data_dir.release(&manifest.channel, manifest.version);
    let (Ok(bytes), Ok(signature)) =
        (std::fs::read(dir.join("manifest.json")), std::fs::read(dir.join("manifest.sig")))
    else {
        return no_release();
    };
    let etag = format!("\"{}\"", release.manifest_sha256);
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    let mut response = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], bytes).into_response()
    };
    let out = response.headers_mut();
    out.insert(header::ETAG, HeaderValue::from_str(&etag).expect("hex is a valid header"));
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    out.insert(MANIFEST_SIGNATURE_HEADER, HeaderValue::from_str(&hex::encode(signature)).expect("hex"));
    out.insert(RELEASE_VERSION_HEADER, HeaderValue::from(manifest.version));
    response
}

async fn serve_blob(
    State(state): State<MirrorState>,
    path: Result<Path<String>, PathRejection>,
    request: Request,
) -> Response {
    let no_blob = || problem(StatusCode::NOT_FOUND, "no_blob", "this mirror's release lists no such blob");
    let Ok(Path(sha)) = path else { return no_blob() };
    let Some(release) = state.release.get() else { return no_blob() };
    let Some((path, blob)) = BlobId::parse(&sha).ok().and_then(|id| release.blob_path(&id)) else {
        return no_blob();
    };
    let mime: mime::Mime = blob.media_type.mime().parse().expect("media types are valid MIME");
    let etag = format!("\"{}\"", blob.sha256);
    // If-Range with our ETag is the same as no condition: blob names never change meaning.
    let mut request = request;
    if request.headers().get(header::IF_RANGE).is_some_and(|v| v.as_bytes() == etag.as_bytes()) {
        request.headers_mut().remove(header::IF_RANGE);
    }
    let response = match ServeFile::new_with_mime(path, &mime).oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    let mut response = response;
    if response.status().is_success() {
        let headers = response.headers_mut();
        headers.insert(header::ETAG, HeaderValue::from_str(&etag).expect("hex is a valid header"));
        headers
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    }
    response
}
