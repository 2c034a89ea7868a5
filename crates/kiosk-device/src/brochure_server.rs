//! Serves brochure PDFs to visitors' phones on the booth network.
//!
//! One stable URL per brochure and language, `/brochures/<id>/<locale>.pdf`, the
//! same across releases. Nothing else answers: no listing, no other file, only GET
//! and HEAD. Every GET of a whole PDF is recorded in the store.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kiosk_core::locale::LocaleTag;
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::current_release::CurrentRelease;
use crate::events::EventRecorder;

#[derive(Clone)]
struct BrochureState {
    release: CurrentRelease,
    events: Arc<EventRecorder>,
}

/// Serves brochures on `listener` in the background until `shutdown` completes.
/// Downloads are recorded through `events`, stamped by its clock.
pub fn serve_brochures(
    listener: TcpListener,
    release: CurrentRelease,
    events: Arc<EventRecorder>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<SocketAddr> {
    let addr = listener.local_addr()?;
    let app = Router::new()
        .route(crate::urls::BROCHURE_ROUTE, get(serve_brochure))
        .fallback(not_found)
        .with_state(BrochureState { release, events });
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
            tracing::error!(%error, "brochure server stopped");
        }
    });
    Ok(addr)
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "Not found\n")
        .into_response()
}

async fn serve_brochure(
    State(state): State<BrochureState>,
    path: Result<Path<(String, String)>, PathRejection>,
    request: Request,
) -> Response {
    let Ok(Path((id, file))) = path else { return not_found().await };
    let Some((path, file_name, locale)) = find_pdf(&state.release, &id, &file) else {
        return not_found().await;
    };
    let records = request.method() == Method::GET && reads_whole_file(request.headers().get(header::RANGE));
    let response = match ServeFile::new_with_mime(path, &mime::APPLICATION_PDF).oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    if !response.status().is_success() {
        return response;
    }
    if records {
        let events = state.events.clone();
        let recorded =
            tokio::task::spawn_blocking(move || events.record_brochure_download(&id, locale.as_str())).await;
        match recorded {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::error!(%error, "brochure download not recorded"),
            Err(error) => tracing::error!(%error, "brochure download not recorded"),
        }
    }
    let mut response = response;
    let headers = response.headers_mut();
    let disposition = format!("attachment; filename=\"{file_name}\"");
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).expect("file names are checked"),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The PDF for `/brochures/<id>/<locale>.pdf` in the active release.
fn find_pdf(release: &CurrentRelease, id: &str, file: &str) -> Option<(PathBuf, String, LocaleTag)> {
    let locale = crate::urls::brochure_locale(file)?;
    let release = release.get()?;
    let brochure = release.manifest.content.brochures.iter().find(|b| b.id == id)?;
    let pdf = brochure.file.exact(&locale)?;
    let (path, _) = release.blob_path(&pdf.blob)?;
    Some((path, pdf.file_name.clone(), locale))
}

/// Whether a request reads the whole file (no `Range`, or `bytes=0-`), so that a
/// phone probing the first bytes and then fetching the rest counts once.
fn reads_whole_file(range: Option<&HeaderValue>) -> bool {
    range.and_then(|r| r.to_str().ok()).is_none_or(|r| r.trim() == "bytes=0-")
}
