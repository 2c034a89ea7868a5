//! Serves brochure PDFs to visitors' phones on the booth network.
//!
//! One stable URL per brochure and language, `/brochures/<id>/<locale>.pdf`, the
//! same across releases. Nothing else answers: no listing, no other file, only GET
//! and HEAD. A GET of a whole PDF is recorded in the store once its last byte
//! has been handed to the connection: a download cut with more left than the
//! socket buffers hold, a `HEAD` or a `Range` for part of the file records
//! nothing, and the same phone downloading the same
//! PDF again counts once per [`REPEAT_WINDOW`](crate::repeat_downloads::REPEAT_WINDOW).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::rejection::PathRejection;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kiosk_core::locale::LocaleTag;
use kiosk_listener::admission::client_of;
use kiosk_listener::{Limits, RequestRate};
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::current_release::CurrentRelease;
use crate::events::EventRecorder;
use crate::repeat_downloads::{Download, REPEAT_WINDOW, RepeatDownloads};

#[derive(Clone)]
struct BrochureState {
    release: CurrentRelease,
    events: Arc<EventRecorder>,
    repeats: Arc<Mutex<RepeatDownloads>>,
}

impl BrochureState {
    fn new(release: CurrentRelease, events: Arc<EventRecorder>) -> Self {
        Self { release, events, repeats: Arc::new(Mutex::new(RepeatDownloads::new(REPEAT_WINDOW))) }
    }

    /// A whole PDF has gone out: recorded, unless the same phone's download of
    /// it already counted within the window.
    fn downloaded(&self, download: Download, brochure: String, locale: LocaleTag) {
        let now = Duration::from_millis(self.events.clock().monotonic_ms());
        if !self.repeats.lock().unwrap_or_else(|p| p.into_inner()).counts(&download, now) {
            tracing::debug!(brochure, %locale, "a repeated download is not counted again");
            return;
        }
        let events = self.events.clone();
        tokio::task::spawn_blocking(move || {
            if let Err(error) = events.record_brochure_download(&brochure, locale.as_str()) {
                tracing::error!(%error, brochure, "brochure download not recorded");
            }
        });
    }
}

/// What the brochure server allows a booth's visitors: a phone opens a few
/// connections and asks for a few PDFs, so one address may hold 8 connections
/// and make 5 requests a second (30 at once); a connection silent for 10 s
/// before its request, or a download unread for a minute, is closed.
pub const BROCHURE_LIMITS: Limits = Limits {
    max_connections: 256,
    max_connections_per_client: Some(8),
    request_head_timeout: Duration::from_secs(10),
    write_stall_timeout: Some(Duration::from_secs(60)),
    request_rate: Some(RequestRate::new(5, 30)),
    refusal_log_interval: Duration::from_secs(60),
};

/// Serves brochures on `listener` in the background until `shutdown` completes.
/// Downloads are recorded through `events`, stamped by its clock.
pub fn serve_brochures(
    listener: TcpListener,
    release: CurrentRelease,
    events: Arc<EventRecorder>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<SocketAddr> {
    serve_brochures_with_limits(listener, BROCHURE_LIMITS, release, events, shutdown)
}

/// [`serve_brochures`] within other `limits` than [`BROCHURE_LIMITS`].
pub fn serve_brochures_with_limits(
    listener: TcpListener,
    limits: Limits,
    release: CurrentRelease,
    events: Arc<EventRecorder>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<SocketAddr> {
    let addr = listener.local_addr()?;
    let app = Router::new()
        .route(crate::urls::BROCHURE_ROUTE, get(serve_brochure))
        .fallback(not_found)
        .with_state(BrochureState::new(release, events));
    tokio::spawn(async move {
        if let Err(error) = kiosk_listener::serve(listener, app, limits, shutdown).await {
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
    let whole = request.method() == Method::GET && reads_whole_file(request.headers().get(header::RANGE));
    let client =
        request.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(peer)| client_of(*peer));
    let response = match ServeFile::new_with_mime(path, &mime::APPLICATION_PDF).oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    if !response.status().is_success() {
        return response;
    }
    let mut response = if whole {
        let length =
            response.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse().ok());
        let download = Download::new(client, &id, locale.as_str());
        response.map(|body| {
            Body::new(OnLastByte::new(body, length, move || state.downloaded(download, id, locale)))
        })
    } else {
        response
    };
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

/// A response body that calls `then` once its last byte has been taken out to
/// be sent: after `length` bytes when the length is known (the server stops
/// asking for more then), at its end otherwise. Dropped before, or failing,
/// it calls nothing.
struct OnLastByte<F: FnOnce()> {
    body: Body,
    left: Option<u64>,
    then: Option<F>,
}

impl<F: FnOnce()> OnLastByte<F> {
    fn new(body: Body, length: Option<u64>, then: F) -> Self {
        Self { body, left: length, then: Some(then) }
    }

    fn complete(&mut self) {
        if let Some(then) = self.then.take() {
            then();
        }
    }
}

impl<F: FnOnce() + Unpin> HttpBody for OnLastByte<F> {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.body).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                let sent = frame.data_ref().map_or(0, |data| data.len() as u64);
                if let Some(left) = &mut self.left {
                    *left = left.saturating_sub(sent);
                    if *left == 0 {
                        self.complete();
                    }
                }
            }
            Poll::Ready(None) if self.left.is_none_or(|left| left == 0) => self.complete(),
            Poll::Ready(Some(Err(_))) => self.then = None,
            Poll::Ready(None) | Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// Whether a request asks for the whole file (no `Range`, or `bytes=0-`): a
/// probe of the first bytes, or any other part, is not a download.
fn reads_whole_file(range: Option<&HeaderValue>) -> bool {
    range.and_then(|r| r.to_str().ok()).is_none_or(|r| r.trim() == "bytes=0-")
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use http_body::Frame;

    use super::*;

    /// A body that yields its chunks, then, if asked, fails.
    struct Chunks {
        chunks: VecDeque<&'static [u8]>,
        fail_at_end: bool,
    }

    impl HttpBody for Chunks {
        type Data = Bytes;
        type Error = std::io::Error;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
            Poll::Ready(match self.chunks.pop_front() {
                Some(chunk) => Some(Ok(Frame::data(Bytes::from_static(chunk)))),
                None if self.fail_at_end => Some(Err(std::io::Error::other("the file shrank"))),
                None => None,
            })
        }
    }

    /// The body of `chunks`, wrapped, and how many times its completion ran.
    fn watched(
        chunks: &[&'static [u8]],
        length: Option<u64>,
        fail: bool,
    ) -> (impl HttpBody, Arc<AtomicUsize>) {
        let completed = Arc::new(AtomicUsize::new(0));
        let counter = completed.clone();
        let body = Body::new(Chunks { chunks: chunks.iter().copied().collect(), fail_at_end: fail });
        let body = OnLastByte::new(body, length, move || {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        (body, completed)
    }

    async fn next<B: HttpBody + Unpin>(body: &mut B) -> Option<Result<Frame<B::Data>, B::Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *body).poll_frame(cx)).await
    }

    #[tokio::test]
    async fn completes_when_the_last_byte_of_a_known_length_is_taken() {
        let (body, completed) = watched(&[b"%PDF", b"-1.7", b"\n"], Some(9), false);
        let mut body = Box::pin(body);
        assert!(next(&mut body).await.is_some());
        assert!(next(&mut body).await.is_some());
        assert_eq!(completed.load(Ordering::SeqCst), 0, "two chunks of three");
        assert!(next(&mut body).await.is_some());
        assert_eq!(completed.load(Ordering::SeqCst), 1, "the server asks no further");
        assert!(next(&mut body).await.is_none());
        assert_eq!(completed.load(Ordering::SeqCst), 1, "once");
    }

    #[tokio::test]
    async fn a_body_dropped_or_failing_midway_completes_nothing() {
        let (body, dropped) = watched(&[b"%PDF", b"-1.7"], Some(8), false);
        let mut body = Box::pin(body);
        assert!(next(&mut body).await.is_some());
        drop(body);
        assert_eq!(dropped.load(Ordering::SeqCst), 0);

        let (body, failed) = watched(&[b"%PDF"], Some(8), true);
        let mut body = Box::pin(body);
        assert!(next(&mut body).await.unwrap().is_ok());
        assert!(next(&mut body).await.unwrap().is_err());
        assert_eq!(failed.load(Ordering::SeqCst), 0);

        let (body, short) = watched(&[b"%PDF"], Some(8), false);
        let mut body = Box::pin(body);
        while next(&mut body).await.is_some() {}
        assert_eq!(short.load(Ordering::SeqCst), 0, "four bytes of eight");
    }

    #[tokio::test]
    async fn without_a_length_the_end_completes() {
        let (body, completed) = watched(&[b"%PDF", b"-1.7"], None, false);
        let mut body = Box::pin(body);
        assert!(next(&mut body).await.is_some());
        assert!(next(&mut body).await.is_some());
        assert_eq!(completed.load(Ordering::SeqCst), 0);
        assert!(next(&mut body).await.is_none());
        assert_eq!(completed.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn only_a_range_from_the_first_byte_to_the_end_reads_the_whole_file() {
        for (range, whole) in
            [(None, true), (Some("bytes=0-"), true), (Some("bytes=0-1"), false), (Some("bytes=100-"), false)]
        {
            assert_eq!(reads_whole_file(range.map(HeaderValue::from_static).as_ref()), whole, "{range:?}");
        }
    }
}
