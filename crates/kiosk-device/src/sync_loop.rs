//! A screen's sync for as long as it runs: a round ([`SyncClient::sync_once`])
//! every so often and at once when the server announces a release on its event
//! stream; emergency messages and screenshot requests from that stream; after
//! each round a heartbeat and the outbox to the server; backoff with jitter
//! after failures. A stream event this version does not know is ignored.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use kiosk_core::emergency::EmergencyMessage;

use crate::clock::DeviceClock;
use crate::data_dir::DataDir;
use kiosk_wire::announcement::{EMERGENCY_EVENT, RELEASE_EVENT, SCREENSHOT_EVENT};
use kiosk_wire::{Heartbeat, ScreenshotRequested, SignedEmergency, paths};

use crate::emergency::Keeper;
use crate::library::{ActiveRelease, Library, Trust};
use crate::store::Store;
use crate::sync_client::{
    OUTBOX_KEEP_UPLOADED, OUTBOX_MAX_EVENTS, SyncClient, SyncError, SyncOutcome, SyncSource, server_ahead,
    server_date,
};

/// The wait after `failures` failed rounds in a row: `every` while all is well,
/// then doubling up to ten minutes, with up to a quarter of jitter (`jitter` in
/// 0..1) so that a fleet does not return all at once.
pub fn next_wait(every: Duration, failures: u32, jitter: f64) -> Duration {
    let base = if failures == 0 {
        every
    } else {
        every.saturating_mul(1 << failures.min(10)).min(Duration::from_secs(600)).max(every)
    };
    base.mul_f64(1.0 + 0.25 * jitter.clamp(0.0, 1.0))
}

/// How far the reports after an activation are spread.
pub const REPORT_SPREAD: Duration = Duration::from_secs(5);

/// A random number in 0..=1.
fn random_fraction() -> f64 {
    let mut byte = [0u8; 2];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut byte);
    f64::from(u16::from_le_bytes(byte)) / f64::from(u16::MAX)
}

/// What the last sync rounds did, for the staff screen.
#[derive(Debug, Clone, Default, serde::Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct SyncStatus {
    /// The server or mirror.
    pub server: String,
    /// When the last round ended (device clock).
    #[ts(type = "string | null")]
    pub last_round_at: Option<Timestamp>,
    /// What it did, in a few words (or why it failed).
    pub last_outcome: String,
    /// Failed rounds in a row.
    pub failures: u32,
}

/// The status a sync loop keeps up to date.
pub type SharedSyncStatus = std::sync::Arc<Mutex<SyncStatus>>;

/// What the sync loop tells the program that runs it, and asks of it.
pub struct SyncHooks {
    /// Called with each release that became active.
    pub activated: Box<dyn Fn(ActiveRelease) + Send>,
    /// Called with each emergency message (or withdrawal) verified, and how
    /// long from now it shows.
    pub emergency: Box<dyn Fn(EmergencyMessage, SignedDuration) + Send>,
    /// Adds what the program knows to each heartbeat (the screen adds the item
    /// on screen).
    pub heartbeat: Box<dyn Fn(&mut Heartbeat) + Send>,
    /// Called with the id of each screenshot request the server announces to
    /// this device.
    pub screenshot: Box<dyn Fn(String) + Send>,
}

impl Default for SyncHooks {
    fn default() -> Self {
        Self {
            activated: Box::new(|_| {}),
            emergency: Box::new(|_, _| {}),
            heartbeat: Box::new(|_| {}),
            screenshot: Box::new(|_| {}),
        }
    }
}

/// Syncs every `every` in a thread of its own, for as long as the process runs,
/// and at once when the server announces a release (its event stream, see
/// [`watch_announcements`]). An emergency message on the stream is verified and
/// kept ([`crate::emergency::Keeper`]) and handed to `hooks.emergency` at once,
/// between rounds or during one; a screenshot request goes to
/// `hooks.screenshot`. With a token (the central server, not a mirror) every
/// round ends with a heartbeat and the outbox.
pub fn spawn_sync_loop(
    data_dir: DataDir,
    trust: Trust,
    source: SyncSource,
    every: Duration,
    clock: DeviceClock,
    hooks: SyncHooks,
) -> std::io::Result<SharedSyncStatus> {
    let status: SharedSyncStatus =
        Arc::new(Mutex::new(SyncStatus { server: source.base_url.clone(), ..SyncStatus::default() }));
    let (nudge, nudged) = std::sync::mpsc::channel();
    let (raise, raised) = std::sync::mpsc::channel();
    let listening = Arc::new(AtomicBool::new(false));
    let SyncHooks { activated, emergency, heartbeat, screenshot } = hooks;
    spawn_emergency_keeper(data_dir.clone(), trust.clone(), clock, raised, emergency)?;
    let shared = status.clone();
    std::thread::Builder::new().name("sync".into()).spawn(move || {
        // One HTTP client (and its thread) for the stream and the rounds, made
        // here, outside any async runtime the caller may be in.
        let http = source.http_client();
        let watching = watch_announcements(
            http.clone(),
            source.clone(),
            trust.channel.clone(),
            Announced { nudge, emergency: raise.clone(), screenshot },
            listening.clone(),
            clock,
        );
        if let Err(error) = watching {
            tracing::warn!(%error, "announcements not listened to; polling carries the sync");
        }
        let client = SyncClient::with_http(source.clone(), http);
        let mut failures = 0;
        // Kept open between rounds; opened again after a failed round.
        let mut library: Option<Library> = None;
        let mut store: Option<Store> = None;
        loop {
            let round = match library.take() {
                Some(open) => Ok(open),
                None => Library::at(data_dir.clone()).map_err(SyncError::from),
            }
            .and_then(|open| {
                let round = client.sync_once(&open, &trust, clock.trust_now());
                if round.is_ok() {
                    library = Some(open);
                }
                round
            });
            let outcome = match &round {
                Ok(SyncOutcome::Activated { release, .. }) => {
                    format!("version {} activated", release.manifest.version)
                }
                Ok(SyncOutcome::UpToDate) => "up to date".to_owned(),
                Ok(SyncOutcome::NothingPublished) => "nothing published".to_owned(),
                Err(error) => error.to_string(),
            };
            let announced_to_all = matches!(round, Ok(SyncOutcome::Activated { .. }));
            match round {
                Ok(SyncOutcome::Activated { release, .. }) => {
                    failures = 0;
                    activated(*release);
                }
                Ok(_) => failures = 0,
                Err(error) => {
                    failures += 1;
                    tracing::warn!(
                        server = source.base_url,
                        %error,
                        failures,
                        "sync failed; the screen keeps its release"
                    );
                }
            }
            {
                let mut status = shared.lock().unwrap_or_else(|p| p.into_inner());
                status.last_round_at = Some(clock.now());
                status.last_outcome = outcome.clone();
                status.failures = failures;
            }
            // Only the central server takes reports and keeps emergency messages;
            // a mirror has no token. While the event stream is down, a poll
            // catches the emergency message it would have brought.
            if source.token.is_some() {
                if announced_to_all {
                    // The whole fleet activated this release within the same
                    // seconds: spread the reports, so that they do not all land
                    // on the server (and its disk) at once.
                    std::thread::sleep(REPORT_SPREAD.mul_f64(random_fraction()));
                }
                let polled = match listening.load(Ordering::Relaxed) {
                    true => Ok(None),
                    false => client.fetch_emergency(&trust.channel),
                };
                match polled {
                    Ok(Some((signed, server_date))) => {
                        let server_ahead = server_ahead(server_date, &clock);
                        let _ = raise.send(Arrival { signed, server_ahead });
                    }
                    Ok(None) => {}
                    Err(error) => tracing::debug!(%error, "emergency message not polled"),
                }
                let last_error = (failures > 0).then_some(outcome.as_str());
                let mut beat = device_heartbeat(&data_dir, clock, last_error, failures);
                heartbeat(&mut beat);
                report(&client, &data_dir, &mut store, beat, clock);
            }
            let wait = next_wait(every, failures, random_fraction());
            // An announcement ends the wait early; several at once count as one.
            if nudged.recv_timeout(wait).is_ok() {
                while nudged.try_recv().is_ok() {}
            }
        }
    })?;
    Ok(status)
}

/// What every heartbeat says about the device: the time, uptime, the active
/// release, free disk space of the data folder, and the last error.
pub fn device_heartbeat(
    data_dir: &DataDir,
    clock: DeviceClock,
    last_error: Option<&str>,
    failures: u32,
) -> Heartbeat {
    let release = crate::library::read_active_pointer(data_dir);
    Heartbeat {
        at: Some(clock.now()),
        uptime_s: Some(clock.monotonic_ms() / 1000),
        release_channel: release.as_ref().map(|(channel, _)| channel.clone()),
        release_version: release.as_ref().map(|(_, version)| *version),
        free_disk_bytes: crate::disk::free_bytes(data_dir.root()).ok(),
        last_error: last_error.map(str::to_owned),
        failed_rounds: Some(failures),
        app_version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        ..Heartbeat::default()
    }
}

/// Sends the heartbeat and the outbox, then bounds the outbox; a failure leaves
/// the events for the next round. `store` stays open for the next report.
fn report(
    client: &SyncClient,
    data_dir: &DataDir,
    store: &mut Option<Store>,
    heartbeat: Heartbeat,
    clock: DeviceClock,
) {
    if store.is_none() {
        match data_dir.open_store() {
            Ok(opened) => *store = Some(opened),
            Err(error) => {
                tracing::warn!(%error, "events not uploaded yet; the store does not open");
                return;
            }
        }
    }
    let Some(open) = store.as_mut() else { return };
    if let Err(error) = client.upload_outbox(open, heartbeat, clock.now()) {
        tracing::warn!(%error, "events not uploaded yet; they stay in the outbox");
    }
    if let Err(error) = open.bound_outbox(OUTBOX_MAX_EVENTS, OUTBOX_KEEP_UPLOADED, clock.now()) {
        tracing::warn!(%error, "outbox not bounded");
        *store = None;
    }
}

/// How often a message that could not be written to disk is tried again.
const KEEP_RETRY: Duration = Duration::from_secs(10);

/// An emergency message as it arrived, and how far the server's clock was
/// ahead of the screen's then (from the answer's `Date`), if it said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    /// The signed message.
    pub signed: SignedEmergency,
    /// The server's clock minus the screen's.
    pub server_ahead: Option<SignedDuration>,
}

/// Verifies and keeps each emergency message from the stream, then hands it
/// on; one that cannot be written is handed on all the same and its write
/// tried again.
fn spawn_emergency_keeper(
    data_dir: DataDir,
    trust: Trust,
    clock: DeviceClock,
    raised: Receiver<Arrival>,
    emergency: Box<dyn Fn(EmergencyMessage, SignedDuration) + Send>,
) -> std::io::Result<()> {
    std::thread::Builder::new().name("emergency".into()).spawn(move || {
        let mut keeper = Keeper::new(data_dir, trust, clock.now());
        loop {
            let arrival = match raised.recv_timeout(KEEP_RETRY) {
                Ok(arrival) => arrival,
                Err(RecvTimeoutError::Timeout) => {
                    keeper.retry();
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            };
            let now = clock.now();
            let server_now = arrival.server_ahead.map_or(now, |ahead| now.checked_add(ahead).unwrap_or(now));
            match keeper.receive(&arrival.signed, now, server_now) {
                Ok(Some(held)) => {
                    tracing::warn!(
                        withdrawn = held.message.is_withdrawal(),
                        showing_s = held.showing_for.as_secs(),
                        "emergency message received"
                    );
                    if let Some(ahead) = arrival.server_ahead
                        && ahead.abs() > SignedDuration::from_mins(5)
                    {
                        tracing::warn!(
                            server_ahead_s = ahead.as_secs(),
                            "this device's clock differs from the server's; emergency messages are timed from their arrival"
                        );
                    }
                    emergency(held.message, held.showing_for);
                }
                Ok(None) => {}
                Err(error) => tracing::warn!(%error, "emergency message not shown"),
            }
        }
    })?;
    Ok(())
}

/// Where the announcements of the event stream go.
pub struct Announced {
    /// A nudge for each release.
    pub nudge: Sender<()>,
    /// Each emergency message as it came, for the caller to verify.
    pub emergency: Sender<Arrival>,
    /// The id of each screenshot request.
    pub screenshot: Box<dyn Fn(String) + Send>,
}

/// Listens to the source's announcements (`GET /v1/channels/{channel}/events`,
/// server-sent events) in a thread of its own: a nudge for each release,
/// each emergency message as it came (for the caller to verify), and each
/// screenshot request (`announced`); reconnects
/// after a pause when the stream breaks. A source without announcements (a
/// mirror) is asked again only every ten minutes: polling carries the sync there.
pub fn watch_announcements(
    http: reqwest::blocking::Client,
    source: SyncSource,
    channel: String,
    announced: Announced,
    listening: Arc<AtomicBool>,
    clock: DeviceClock,
) -> std::io::Result<()> {
    std::thread::Builder::new().name("announcements".into()).spawn(move || {
        let url = format!("{}{}", source.base_url, paths::channel_events(&channel));
        loop {
            // The client's timeout bounds each read, not the stream: a read
            // that waits longer than four keep-alive periods (60 s) means the
            // connection died without closing (a NAT, a Wi-Fi drop), and the
            // stream is opened again. A timeout on the request itself would
            // cut a healthy stream too.
            let mut request = http.get(&url).header("accept", "text/event-stream");
            if let Some(token) = &source.token {
                request = request.bearer_auth(token);
            }
            let pause = match request.send() {
                Ok(response) if response.status().is_success() => {
                    listening.store(true, Ordering::Relaxed);
                    let server_ahead = server_ahead(server_date(response.headers()), &clock);
                    let mut reader = std::io::BufReader::new(response);
                    let lines = std::iter::from_fn(|| capped_line(&mut reader));
                    let relayed = relay(lines, &announced, server_ahead);
                    listening.store(false, Ordering::Relaxed);
                    if !relayed {
                        return; // the sync loop is gone
                    }
                    Duration::from_secs(5)
                }
                Ok(response) if response.status().as_u16() == 404 => Duration::from_secs(600),
                _ => Duration::from_secs(30),
            };
            std::thread::sleep(pause);
        }
    })?;
    Ok(())
}

/// The longest line of an event stream read; a longer one ends the stream.
const MAX_LINE_BYTES: u64 = 64 * 1024;

/// The next line of `reader` without its end, or `None` at the end, on an
/// error, or when a line is longer than [`MAX_LINE_BYTES`] (an untrusted
/// source must not fill the memory).
fn capped_line(reader: &mut impl std::io::BufRead) -> Option<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let read =
        std::io::BufRead::read_until(&mut reader.by_ref().take(MAX_LINE_BYTES), b'\n', &mut bytes).ok()?;
    if read == 0 || !bytes.ends_with(b"\n") {
        return None;
    }
    bytes.pop();
    if bytes.ends_with(b"\r") {
        bytes.pop();
    }
    String::from_utf8(bytes).ok()
}

/// Passes on what an event stream's lines announce, emergency messages with how
/// far the server's clock is ahead; `false` once nobody listens.
fn relay(
    lines: impl Iterator<Item = String>,
    announced: &Announced,
    server_ahead: Option<SignedDuration>,
) -> bool {
    let Announced { nudge, emergency, screenshot } = announced;
    let field = |line: &str, name: &str| {
        let value = line.strip_prefix(name)?.strip_prefix(':')?;
        Some(value.strip_prefix(' ').unwrap_or(value).to_owned())
    };
    let mut event = String::new();
    for line in lines {
        if let Some(name) = field(&line, "event") {
            event = name;
        } else if let Some(data) = field(&line, "data") {
            let listening = match event.as_str() {
                RELEASE_EVENT => nudge.send(()).is_ok(),
                EMERGENCY_EVENT => match serde_json::from_str(&data) {
                    Ok(signed) => emergency.send(Arrival { signed, server_ahead }).is_ok(),
                    Err(error) => {
                        tracing::warn!(%error, "unreadable emergency announcement");
                        true
                    }
                },
                SCREENSHOT_EVENT => {
                    match serde_json::from_str::<ScreenshotRequested>(&data) {
                        Ok(asked) => screenshot(asked.request),
                        Err(error) => tracing::warn!(%error, "unreadable screenshot request"),
                    }
                    true
                }
                _ => true,
            };
            if !listening {
                return false;
            }
        } else if line.is_empty() {
            event.clear();
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_longer_after_failures_up_to_ten_minutes() {
        let every = Duration::from_secs(30);
        assert_eq!(next_wait(every, 0, 0.0), every);
        assert_eq!(next_wait(every, 1, 0.0), Duration::from_secs(60));
        assert_eq!(next_wait(every, 3, 0.0), Duration::from_secs(240));
        assert_eq!(next_wait(every, 30, 0.0), Duration::from_secs(600));
        assert_eq!(next_wait(every, 0, 1.0), Duration::from_millis(37_500));
        assert_eq!(next_wait(Duration::from_secs(3600), 2, 0.0), Duration::from_secs(3600));
    }

    #[test]
    fn reads_lines_up_to_a_limit() {
        let mut stream = std::io::Cursor::new(b"event: release\r\ndata: {}\n".to_vec());
        assert_eq!(capped_line(&mut stream).as_deref(), Some("event: release"));
        assert_eq!(capped_line(&mut stream).as_deref(), Some("data: {}"));
        assert_eq!(capped_line(&mut stream), None);
        let endless = vec![b'x'; MAX_LINE_BYTES as usize + 10];
        assert_eq!(capped_line(&mut std::io::Cursor::new(endless)), None, "an endless line ends the stream");
    }

    #[test]
    fn relays_releases_emergency_messages_and_screenshot_requests_from_the_stream() {
        let (nudge, nudged) = std::sync::mpsc::channel();
        let (raise, raised) = std::sync::mpsc::channel();
        let (ask, asked) = std::sync::mpsc::channel();
        let announced = Announced {
            nudge,
            emergency: raise,
            screenshot: Box::new(move |request| ask.send(request).unwrap()),
        };
        let stream = [
            ": keep-alive",
            "event: release",
            "data: {\"version\":3,\"manifest_sha256\":\"ab\"}",
            "",
            "event: emergency",
            "data: {\"message\":\"{}\",\"signature\":\"00\"}",
            "",
            "event: emergency",
            "data: not json",
            "",
            "data: {\"message\":\"{}\",\"signature\":\"11\"}",
            "",
            "event: screenshot",
            "data: {\"device\":\"d1\",\"request\":\"ab12\"}",
            "",
            "event: weather",
            "data: {\"sunny\":true}",
            "",
        ];
        let ahead = Some(SignedDuration::from_secs(7));
        assert!(relay(stream.iter().map(|l| (*l).to_owned()), &announced, ahead));
        assert!(relay(["event:release".into(), "data:{}".into()].into_iter(), &announced, None), "no space");
        assert_eq!(nudged.try_iter().count(), 2);
        let raised: Vec<_> = raised.try_iter().collect();
        let signed = SignedEmergency { message: "{}".into(), signature: "00".into() };
        assert_eq!(raised, [Arrival { signed, server_ahead: ahead }], "with the server's clock");
        assert_eq!(asked.try_iter().collect::<Vec<_>>(), ["ab12"], "an unknown event is ignored");
        drop(nudged);
        assert!(!relay(["event: release".into(), "data: {}".into()].into_iter(), &announced, None));
    }

    #[test]
    fn a_stream_outlives_the_clients_timeout_while_keep_alives_come() {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counting = accepted.clone();
        std::thread::spawn(move || {
            for connection in listener.incoming() {
                let mut connection = connection.unwrap();
                counting.fetch_add(1, Ordering::SeqCst);
                let mut request = [0u8; 1024];
                let _ = connection.read(&mut request);
                let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n";
                connection.write_all(head.as_bytes()).unwrap();
                // Three times the client's timeout, a keep-alive comment every 300 ms.
                for _ in 0..10 {
                    std::thread::sleep(Duration::from_millis(300));
                    connection.write_all(b": keep-alive\n\n").unwrap();
                }
                connection.write_all(b"event: release\ndata: {}\n\n").unwrap();
                std::thread::sleep(Duration::from_secs(60));
            }
        });
        let http = reqwest::blocking::Client::builder().timeout(Duration::from_secs(1)).build().unwrap();
        let (nudge, nudged) = std::sync::mpsc::channel();
        let (emergency, _raised) = std::sync::mpsc::channel();
        let announced = Announced { nudge, emergency, screenshot: Box::new(|_| {}) };
        let source = SyncSource::plain(format!("http://127.0.0.1:{port}"), None);
        let listening = Arc::new(AtomicBool::new(false));
        watch_announcements(http, source, "hall".into(), announced, listening, DeviceClock::system())
            .unwrap();
        nudged.recv_timeout(Duration::from_secs(10)).expect("the release at the end of the stream");
        assert_eq!(accepted.load(Ordering::SeqCst), 1, "one stream, never cut and opened again");
    }
}
