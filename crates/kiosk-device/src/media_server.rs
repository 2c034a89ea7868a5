//! Serves the active release's blobs to the kiosk's own webview, on loopback only.
//!
//! URLs look like `http://127.0.0.1:<port>/<secret>/blobs/<sha256>`. The secret is
//! new at every launch, so no other program on the machine can guess a URL, and
//! only blobs listed in the active manifest are served. `Range` requests are
//! answered (WebKitGTK seeks video with them).

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kiosk_core::blob::BlobId;
use kiosk_listener::Limits;
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::current_release::CurrentRelease;

#[derive(Clone)]
struct MediaState {
    secret: String,
    release: CurrentRelease,
}

/// What the media server allows: only the kiosk's own webview reaches it, on
/// loopback, seeking films with many `Range` requests and pausing them for as
/// long as it likes, so only the total is capped and no request rate or write
/// stall applies; a connection silent for a minute before its request is closed.
pub const MEDIA_LIMITS: Limits = Limits {
    max_connections: 256,
    max_connections_per_client: None,
    request_head_timeout: Duration::from_secs(60),
    write_stall_timeout: None,
    request_rate: None,
    refusal_log_interval: Duration::from_secs(60),
};

/// A running media server.
#[derive(Debug, Clone)]
pub struct MediaServer {
    /// `http://127.0.0.1:<port>/<secret>`; a blob's URL is this plus `/blobs/<sha256>`.
    pub base_url: String,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl MediaServer {
    /// The URL of a blob.
    pub fn blob_url(&self, id: &BlobId) -> String {
        crate::urls::media_url(&self.base_url, id)
    }
}

/// Binds `127.0.0.1` on a free port and serves in the background on the current
/// Tokio runtime until `shutdown` completes.
pub async fn start_media_server(
    release: CurrentRelease,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<MediaServer> {
    let mut secret = [0u8; 24];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut secret);
    let secret = hex::encode(secret);
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let app = Router::new()
        .route(crate::urls::MEDIA_ROUTE, get(serve_blob))
        .fallback(|| async { StatusCode::NOT_FOUND })
        .with_state(MediaState { secret: secret.clone(), release });
    tokio::spawn(async move {
        if let Err(error) = kiosk_listener::serve(listener, app, MEDIA_LIMITS, shutdown).await {
            tracing::error!(%error, "media server stopped");
        }
    });
    Ok(MediaServer { base_url: format!("http://{addr}/{secret}"), addr })
}

async fn serve_blob(
    State(state): State<MediaState>,
    path: Result<Path<(String, String)>, PathRejection>,
    request: Request,
) -> Response {
    let Ok(Path((secret, sha))) = path else { return StatusCode::NOT_FOUND.into_response() };
    if secret != state.secret {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Some(release) = state.release.get() else { return StatusCode::NOT_FOUND.into_response() };
    let Some((path, blob)) = BlobId::parse(&sha).ok().and_then(|id| release.blob_path(&id)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mime: mime::Mime = blob.media_type.mime().parse().expect("media types are valid MIME");
    match ServeFile::new_with_mime(path, &mime).oneshot(request).await {
        Ok(response) => {
            let mut response = response.map(Body::new);
            let success = response.status().is_success();
            let headers = response.headers_mut();
            headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            if !success {
                return response;
            }
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=31536000, immutable"),
            );
            response
        }
        Err(never) => match never {},
    }
}
