//! Screenshots of what the screen shows, for staff and as proof: taken when
//! the server asks (`event: screenshot` on the event stream) or every so often
//! (`sync.screenshot_every_minutes`), and uploaded to the server
//! (`PUT /v1/screenshots/{request}`, `docs/device-api.md`).
//!
//! This crate has no window: the shell registers a [`Capture`] once its window
//! is up ([`crate::Screen::set_capturer`]). Until then, and whenever the capture
//! fails, nothing is uploaded (never a made-up picture); the failure is logged
//! in one line.
//!
//! One thread takes and uploads screenshots in turn
//! ([`spawn_screenshot_worker`]). An upload that cannot reach the server (or
//! that the server fails) is kept and tried again later, with a growing wait;
//! only the newest screenshot waits: a newer one replaces it, so an offline
//! screen holds at most one. One the server refuses (a request it no longer
//! knows, one answered already) is dropped.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use kiosk_wire::headers::TAKEN_AT_HEADER;
use kiosk_wire::paths;
use kiosk_wire::screenshot::{PNG_MEDIA_TYPE, SCHEDULED, ScreenshotStored};

use crate::clock::DeviceClock;
use crate::sync_client::SyncSource;

/// Takes a picture of what the window shows: the shell's side of screenshots.
pub trait Capture: Send + Sync {
    /// A PNG of the window's content now, or why there is none. Called from a
    /// thread of its own, never the window's; returns within seconds.
    fn capture(&self) -> Result<Vec<u8>, String>;
}

/// Why a screenshot is taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// Staff asked, with this request id.
    Requested(String),
    /// The schedule's turn came.
    Scheduled,
}

impl Ask {
    /// The request id its upload names.
    pub fn request(&self) -> &str {
        match self {
            Self::Requested(request) => request,
            Self::Scheduled => SCHEDULED,
        }
    }
}

/// The capturer the shell registered, if any; shared and swappable.
#[derive(Clone, Default)]
pub struct CaptureSlot(Arc<RwLock<Option<Arc<dyn Capture>>>>);

impl CaptureSlot {
    /// Registers the window's capturer (replacing one registered before).
    pub fn set(&self, capturer: Arc<dyn Capture>) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = Some(capturer);
    }

    fn get(&self) -> Option<Arc<dyn Capture>> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// Where the sync loop hands what the server asks: to the worker once it runs.
#[derive(Clone, Default)]
pub struct ScreenshotAsks(Arc<Mutex<Option<Sender<Ask>>>>);

impl ScreenshotAsks {
    /// Hands `ask` to the worker; logged and dropped when none runs.
    pub fn ask(&self, ask: Ask) {
        let worker = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let sent = worker.as_ref().is_some_and(|worker| worker.send(ask.clone()).is_ok());
        if !sent {
            tracing::warn!(
                request = ask.request(),
                "a screenshot was asked, but this screen does not upload screenshots"
            );
        }
    }

    fn connect(&self, worker: Sender<Ask>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(worker);
    }
}

/// How often and how patiently the worker works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScreenshotTiming {
    /// A screenshot every so often; `None`: only when asked.
    pub every: Option<Duration>,
    /// The wait after the first failed upload; it doubles after each further one.
    pub first_retry: Duration,
    /// The longest wait between tries.
    pub longest_retry: Duration,
}

impl ScreenshotTiming {
    /// Every `every` (or only when asked), retrying after 30 s up to 10 minutes.
    pub fn new(every: Option<Duration>) -> Self {
        Self { every, first_retry: Duration::from_secs(30), longest_retry: Duration::from_secs(600) }
    }

    /// The wait after `failures` failed uploads in a row.
    pub fn retry_after(&self, failures: u32) -> Duration {
        self.first_retry.saturating_mul(1u32 << failures.saturating_sub(1).min(16)).min(self.longest_retry)
    }
}

/// A screenshot taken and not yet uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shot {
    /// The request it answers, or `scheduled`.
    pub request: String,
    /// When it was taken, by the device clock.
    pub taken_at: Timestamp,
    /// The PNG.
    pub png: Vec<u8>,
}

/// How an upload went.
#[derive(Debug)]
pub enum Uploaded {
    /// The server keeps it.
    Stored(ScreenshotStored),
    /// The server refused it for good (a 4xx other than a timeout): dropped.
    Refused(String),
    /// The server was not reached, or failed: tried again later.
    Failed(String),
}

/// Uploads `shot` to `source` with its device token.
pub fn upload(http: &reqwest::blocking::Client, source: &SyncSource, shot: &Shot) -> Uploaded {
    let url = format!("{}{}", source.base_url, paths::screenshot(&shot.request));
    let mut request = http
        .put(&url)
        .header("content-type", PNG_MEDIA_TYPE)
        .header(TAKEN_AT_HEADER, shot.taken_at.to_string())
        .body(shot.png.clone());
    if let Some(token) = &source.token {
        request = request.bearer_auth(token);
    }
    let response = match request.send() {
        Ok(response) => response,
        Err(error) => return Uploaded::Failed(format!("{url}: {error}")),
    };
    let status = response.status();
    if status.is_success() {
        let answer = response.text().unwrap_or_default();
        return match serde_json::from_str::<ScreenshotStored>(&answer) {
            Ok(stored) => Uploaded::Stored(stored),
            Err(error) => Uploaded::Failed(format!("{url}: unreadable answer: {error}")),
        };
    }
    let mut body = response.text().unwrap_or_default();
    body.truncate(300);
    let said = format!("{url}: HTTP {}: {body}", status.as_u16());
    match status.as_u16() {
        408 | 429 => Uploaded::Failed(said),
        400..=499 => Uploaded::Refused(said),
        _ => Uploaded::Failed(said),
    }
}

/// Takes one screenshot with the registered capturer, or says why not.
pub fn take(slot: &CaptureSlot, clock: DeviceClock, ask: &Ask) -> Option<Shot> {
    let Some(capturer) = slot.get() else {
        tracing::warn!(request = ask.request(), "screenshot not taken: no window to capture yet");
        return None;
    };
    match capturer.capture() {
        Ok(png) => Some(Shot { request: ask.request().to_owned(), taken_at: clock.now(), png }),
        Err(reason) => {
            tracing::warn!(
                request = ask.request(),
                reason,
                "screenshot not taken: the window could not be captured"
            );
            None
        }
    }
}

/// What the worker holds between wakes: the screenshot waiting, the failures
/// in a row, and when it next tries or takes one.
#[derive(Debug)]
struct Desk {
    timing: ScreenshotTiming,
    waiting: Option<Shot>,
    failures: u32,
    retry_at: Option<Instant>,
    scheduled_at: Option<Instant>,
}

impl Desk {
    fn new(timing: ScreenshotTiming, now: Instant) -> Self {
        Self {
            timing,
            waiting: None,
            failures: 0,
            retry_at: None,
            scheduled_at: timing.every.map(|e| now + e),
        }
    }

    /// When the worker must wake without being asked.
    fn next_wake(&self) -> Option<Instant> {
        match (self.retry_at, self.scheduled_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The schedule's turn, if it came (the next one is set).
    fn scheduled_turn(&mut self, now: Instant) -> Option<Ask> {
        self.scheduled_at.filter(|at| *at <= now)?;
        self.scheduled_at = self.timing.every.map(|every| now + every);
        Some(Ask::Scheduled)
    }

    /// Keeps `shot` to upload now; the one waiting before it is dropped.
    fn keep(&mut self, shot: Shot) {
        if let Some(older) = self.waiting.replace(shot) {
            tracing::info!(
                request = older.request,
                "an older screenshot not yet uploaded is dropped for a newer one"
            );
        }
        self.retry_at = None;
    }

    /// The screenshot to upload now, if one waits and its wait is over.
    fn due(&self, now: Instant) -> Option<&Shot> {
        self.waiting.as_ref().filter(|_| self.retry_at.is_none_or(|at| at <= now))
    }

    fn record(&mut self, outcome: Uploaded, now: Instant) {
        match outcome {
            Uploaded::Stored(stored) => {
                tracing::info!(
                    request = stored.request,
                    id = stored.id,
                    bytes = stored.bytes,
                    "screenshot uploaded"
                );
                (self.waiting, self.failures, self.retry_at) = (None, 0, None);
            }
            Uploaded::Refused(reason) => {
                tracing::warn!(reason, "screenshot refused by the server; dropped");
                (self.waiting, self.retry_at) = (None, None);
            }
            Uploaded::Failed(reason) => {
                self.failures += 1;
                let wait = self.timing.retry_after(self.failures);
                tracing::warn!(
                    reason,
                    failures = self.failures,
                    retry_s = wait.as_secs(),
                    "screenshot not uploaded yet"
                );
                self.retry_at = Some(now + wait);
            }
        }
    }
}

/// Takes and uploads screenshots in a thread of its own, for as long as the
/// process runs: when `asks` hands one over and as `timing` says; connects
/// `asks` to it.
pub fn spawn_screenshot_worker(
    source: SyncSource,
    clock: DeviceClock,
    slot: CaptureSlot,
    timing: ScreenshotTiming,
    asks: &ScreenshotAsks,
) -> std::io::Result<()> {
    let (worker, asked) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("screenshots".into())
        .spawn(move || work(&source, clock, &slot, timing, &asked))?;
    asks.connect(worker);
    Ok(())
}

fn work(
    source: &SyncSource,
    clock: DeviceClock,
    slot: &CaptureSlot,
    timing: ScreenshotTiming,
    asked: &Receiver<Ask>,
) {
    // Made here, outside any async runtime the caller may be in.
    let http = source.http_client();
    let mut desk = Desk::new(timing, Instant::now());
    loop {
        let ask = match desk.next_wake() {
            Some(at) => match asked.recv_timeout(at.saturating_duration_since(Instant::now())) {
                Ok(ask) => Some(ask),
                Err(RecvTimeoutError::Timeout) => desk.scheduled_turn(Instant::now()),
                Err(RecvTimeoutError::Disconnected) => return,
            },
            None => match asked.recv() {
                Ok(ask) => Some(ask),
                Err(_) => return,
            },
        };
        if let Some(shot) = ask.and_then(|ask| take(slot, clock, &ask)) {
            desk.keep(shot);
        }
        if let Some(shot) = desk.due(Instant::now()) {
            let outcome = upload(&http, source, shot);
            desk.record(outcome, Instant::now());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::http::{HeaderMap, StatusCode};

    use super::*;

    /// A capturer that hands out numbered fake pictures (or fails).
    struct FakeWindow {
        taken: AtomicUsize,
        fails: bool,
    }

    impl Capture for FakeWindow {
        fn capture(&self) -> Result<Vec<u8>, String> {
            if self.fails {
                return Err("the window is gone".into());
            }
            let n = self.taken.fetch_add(1, Ordering::SeqCst);
            Ok(format!("picture {n}").into_bytes())
        }
    }

    #[derive(Debug, Clone, PartialEq)]
    struct Received {
        request: String,
        body: String,
        taken_at: bool,
        token: String,
    }

    /// A server that fails the first `failing` uploads with 503, then keeps
    /// them; its base URL and what it kept.
    async fn server(failing: usize) -> (String, Arc<Mutex<Vec<Received>>>) {
        let kept: Arc<Mutex<Vec<Received>>> = Arc::default();
        let seen = Arc::new(AtomicUsize::new(0));
        let app = axum::Router::new().route(
            kiosk_wire::paths::SCREENSHOT_ROUTE,
            axum::routing::put({
                let kept = kept.clone();
                move |axum::extract::Path(request): axum::extract::Path<String>,
                      headers: HeaderMap,
                      body: String| async move {
                    if seen.fetch_add(1, Ordering::SeqCst) < failing {
                        return Err(StatusCode::SERVICE_UNAVAILABLE);
                    }
                    let token =
                        headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                    let taken_at = headers.get(TAKEN_AT_HEADER).is_some();
                    kept.lock().unwrap().push(Received {
                        request: request.clone(),
                        body: body.clone(),
                        taken_at,
                        token,
                    });
                    let stored = ScreenshotStored {
                        id: 1,
                        request,
                        width: 1,
                        height: 1,
                        bytes: body.len() as u64,
                        sha256: String::new(),
                    };
                    Ok((StatusCode::CREATED, serde_json::to_string(&stored).unwrap()))
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (base, kept)
    }

    fn source(base: String) -> SyncSource {
        SyncSource::plain(base, Some("device-token".into()))
    }

    async fn wait_for(kept: &Arc<Mutex<Vec<Received>>>, n: usize) -> Vec<Received> {
        for _ in 0..200 {
            if kept.lock().unwrap().len() >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        kept.lock().unwrap().clone()
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_request_is_captured_and_uploaded_with_the_device_token() {
        let (base, kept) = server(0).await;
        let (slot, asks) = (CaptureSlot::default(), ScreenshotAsks::default());
        slot.set(Arc::new(FakeWindow { taken: AtomicUsize::new(0), fails: false }));
        let timing = ScreenshotTiming::new(None);
        spawn_screenshot_worker(source(base), DeviceClock::system(), slot, timing, &asks).unwrap();
        asks.ask(Ask::Requested("ab".repeat(16)));
        let received = wait_for(&kept, 1).await;
        assert_eq!(
            received,
            [Received {
                request: "ab".repeat(16),
                body: "picture 0".into(),
                taken_at: true,
                token: "Bearer device-token".into()
            }]
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn an_offline_screen_keeps_only_its_newest_screenshot_and_sends_it_later() {
        let (base, kept) = server(2).await;
        let (slot, asks) = (CaptureSlot::default(), ScreenshotAsks::default());
        slot.set(Arc::new(FakeWindow { taken: AtomicUsize::new(0), fails: false }));
        let timing = ScreenshotTiming {
            every: None,
            first_retry: Duration::from_millis(300),
            longest_retry: Duration::from_secs(1),
        };
        spawn_screenshot_worker(source(base), DeviceClock::system(), slot, timing, &asks).unwrap();
        asks.ask(Ask::Requested("01".repeat(16))); // fails: waits 300 ms
        tokio::time::sleep(Duration::from_millis(100)).await;
        asks.ask(Ask::Requested("02".repeat(16))); // replaces it, fails again: waits 600 ms
        let received = wait_for(&kept, 1).await;
        assert_eq!(received.len(), 1, "{received:?}");
        assert_eq!(
            (received[0].request.as_str(), received[0].body.as_str()),
            ("02".repeat(16).as_str(), "picture 1")
        );
        tokio::time::sleep(Duration::from_millis(700)).await;
        assert_eq!(kept.lock().unwrap().len(), 1, "the dropped one is never sent");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_schedule_takes_one_every_so_often_and_a_failed_capture_sends_nothing() {
        let (base, kept) = server(0).await;
        let (slot, asks) = (CaptureSlot::default(), ScreenshotAsks::default());
        let timing =
            ScreenshotTiming { every: Some(Duration::from_millis(150)), ..ScreenshotTiming::new(None) };
        spawn_screenshot_worker(source(base.clone()), DeviceClock::system(), slot.clone(), timing, &asks)
            .unwrap();
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(kept.lock().unwrap().is_empty(), "no window yet: nothing");
        slot.set(Arc::new(FakeWindow { taken: AtomicUsize::new(0), fails: true }));
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(kept.lock().unwrap().is_empty(), "a failed capture: nothing");
        slot.set(Arc::new(FakeWindow { taken: AtomicUsize::new(0), fails: false }));
        let received = wait_for(&kept, 2).await;
        assert!(received.len() >= 2, "{received:?}");
        assert!(received.iter().all(|r| r.request == "scheduled"));
        assert_eq!((received[0].body.as_str(), received[1].body.as_str()), ("picture 0", "picture 1"));
    }

    #[test]
    fn waits_longer_after_each_failed_upload_up_to_the_longest() {
        let timing = ScreenshotTiming::new(None);
        assert_eq!(timing.retry_after(1), Duration::from_secs(30));
        assert_eq!(timing.retry_after(2), Duration::from_secs(60));
        assert_eq!(timing.retry_after(4), Duration::from_secs(240));
        assert_eq!(timing.retry_after(9), Duration::from_secs(600));
        assert_eq!(timing.retry_after(u32::MAX), Duration::from_secs(600));
    }

    #[test]
    fn a_refused_upload_is_dropped_and_a_failed_one_waits() {
        let now = Instant::now();
        let mut desk = Desk::new(ScreenshotTiming::new(None), now);
        let shot = Shot { request: "scheduled".into(), taken_at: Timestamp::UNIX_EPOCH, png: vec![1] };
        desk.keep(shot.clone());
        assert_eq!(desk.due(now), Some(&shot));
        desk.record(Uploaded::Failed("offline".into()), now);
        assert_eq!(desk.due(now), None, "it waits");
        assert_eq!(desk.next_wake(), Some(now + Duration::from_secs(30)));
        assert_eq!(desk.due(now + Duration::from_secs(30)), Some(&shot));
        desk.record(Uploaded::Refused("no_request".into()), now);
        assert_eq!((desk.due(now + Duration::from_secs(3600)), desk.next_wake()), (None, None));
    }
}
