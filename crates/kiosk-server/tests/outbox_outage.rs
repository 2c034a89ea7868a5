//! A screen through a month without its server, and a report whose answer is
//! lost on the way back: the release keeps playing, the outbox stays within its
//! bound and drops what the bound says (the oldest uploaded events first, then the
//! oldest pending ones), and every event that leaves the outbox reaches the server
//! exactly once.
//!
//! Real HTTP on 127.0.0.1, the server's and the screen's real SQLite files.

mod support;

use std::collections::{BTreeSet, VecDeque};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use jiff::{SignedDuration, Timestamp};
use kiosk_device::clock::DeviceClock;
use kiosk_device::events::{Event, EventKind, EventRecorder};
use kiosk_device::library::{Library, Trust};
use kiosk_device::store::Store;
use kiosk_device::sync_client::{OUTBOX_KEEP_UPLOADED, SyncClient, SyncError, SyncOutcome, SyncSource};
use rusqlite::{Connection, OpenFlags};
use support::{TestServer, sample, start};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The outbox bound for the test (the app's is two million).
const MAX_EVENTS: usize = 5_000;
/// One sync round every two hours of the simulated clock...
const ROUND: SignedDuration = SignedDuration::from_hours(2);
/// ... for 31 days without the server.
const ROUNDS: usize = 31 * 12;
/// Events the screen records between two rounds.
const EVENTS_PER_ROUND: usize = 20;
/// Events recorded and uploaded before the server goes away.
const UPLOADED_BEFORE: usize = 1_000;

fn touch(n: usize, at: Timestamp) -> Event {
    let data = serde_json::json!({ "screen": "home", "x": n, "y": 1 });
    Event::new(EventKind::Touch, at, data.as_object().cloned().unwrap())
}

fn heartbeat() -> kiosk_wire::Heartbeat {
    serde_json::from_value(serde_json::json!({ "release_version": 1 })).unwrap()
}

/// What the screen's outbox should hold, in order, by the rules of
/// `Store::bound_outbox`: uploaded events leave after `keep`, then, over the
/// bound, the oldest uploaded ones, and only then the oldest pending ones.
#[derive(Default)]
struct ExpectedOutbox {
    rows: VecDeque<(String, Option<Timestamp>)>,
}

impl ExpectedOutbox {
    fn append(&mut self, events: &[Event]) {
        self.rows.extend(events.iter().map(|e| (e.id.clone(), None)));
    }

    fn mark_uploaded(&mut self, ids: &BTreeSet<String>, at: Timestamp) {
        for (id, uploaded) in &mut self.rows {
            if uploaded.is_none() && ids.contains(id) {
                *uploaded = Some(at);
            }
        }
    }

    /// Returns how many pending events were dropped.
    fn bound(&mut self, max: usize, keep: SignedDuration, now: Timestamp) -> usize {
        let cutoff = now - keep;
        self.rows.retain(|(_, uploaded)| uploaded.is_none_or(|at| at > cutoff));
        let mut excess = self.rows.len().saturating_sub(max);
        while excess > 0 {
            let Some(oldest) = self.rows.iter().position(|(_, uploaded)| uploaded.is_some()) else { break };
            self.rows.remove(oldest);
            excess -= 1;
        }
        self.rows.drain(..excess);
        excess
    }

    fn pending(&self) -> Vec<String> {
        self.rows.iter().filter(|(_, uploaded)| uploaded.is_none()).map(|(id, _)| id.clone()).collect()
    }
}

/// Rows in the screen's outbox, uploaded or not.
fn outbox_rows(store: &Path) -> usize {
    let conn = Connection::open_with_flags(store, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    conn.query_row("SELECT count(*) FROM events", [], |r| r.get::<_, i64>(0)).unwrap() as usize
}

/// The event ids the server holds for a device, one entry per stored row.
fn server_event_ids(server_dir: &Path, device_id: &str) -> Vec<String> {
    let path = server_dir.join(kiosk_server::state::DB_FILE);
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut stmt = conn.prepare("SELECT id FROM events WHERE device_id = ?1").unwrap();
    stmt.query_map([device_id], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

/// Asserts that the server holds exactly `expected`, each event once.
fn assert_server_holds(server_dir: &Path, device_id: &str, expected: &BTreeSet<String>, when: &str) {
    let stored = server_event_ids(server_dir, device_id);
    let distinct: BTreeSet<String> = stored.iter().cloned().collect();
    assert_eq!(stored.len(), distinct.len(), "{when}: an event is stored twice");
    assert_eq!(stored.len(), expected.len(), "{when}: events on the server");
    assert!(distinct == *expected, "{when}: the server holds other events than those sent");
}

async fn device_id(server: &TestServer, name: &str) -> String {
    let devices: serde_json::Value =
        server.admin(reqwest::Method::GET, "/v1/admin/devices").send().await.unwrap().json().await.unwrap();
    let device = devices["devices"].as_array().unwrap().iter().find(|d| d["name"] == name).unwrap();
    device["id"].as_str().unwrap().to_owned()
}

async fn trust(server: &TestServer) -> Trust {
    Trust::new(vec![server.public_key().await], "wtc-booths")
}

/// Uploads the screen's outbox to `base`; answers what `upload_outbox` answered
/// and the ids of the events it marked uploaded.
async fn upload(base: &str, token: &str, store: &Path) -> (Result<usize, SyncError>, BTreeSet<String>) {
    let (base, token, store) = (base.to_owned(), token.to_owned(), store.to_owned());
    tokio::task::spawn_blocking(move || {
        let before: BTreeSet<String> = pending(&store).into_iter().collect();
        let mut opened = Store::open(&store).unwrap();
        let client = SyncClient::new(SyncSource::plain(base, Some(token)));
        let result = client.upload_outbox(&mut opened, heartbeat(), Timestamp::now());
        let after: BTreeSet<String> = pending(&store).into_iter().collect();
        (result, before.difference(&after).cloned().collect())
    })
    .await
    .unwrap()
}

fn pending(store: &Path) -> Vec<String> {
    Store::open(store).unwrap().pending_events(1_000_000).unwrap().into_iter().map(|e| e.id).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_month_without_the_server_keeps_the_outbox_bounded_and_each_event_arrives_once() {
    let dir = tempfile::tempdir().unwrap();
    let server_dir = dir.path().join("server");
    let screen = dir.path().join("screen");
    let store_path = screen.join("kiosk.sqlite");
    let server = start(&server_dir).await;
    server.create_channel("wtc-booths").await;
    let (manifest, blobs) = sample("outage");
    server.upload(&blobs).await;
    server.publish("wtc-booths", &manifest).await;
    let token = server.enrol("wtc-booths", "Booth 1").await;
    let device = device_id(&server, "Booth 1").await;
    let trust = trust(&server).await;

    // Enrolled, synced, and a first thousand events reported.
    let (base, data, sync_trust, sync_token) =
        (server.base.clone(), screen.clone(), trust.clone(), token.clone());
    let synced = tokio::task::spawn_blocking(move || {
        let library = Library::open(&data).unwrap();
        SyncClient::new(SyncSource::plain(base, Some(sync_token))).sync_once(
            &library,
            &sync_trust,
            Timestamp::now(),
        )
    });
    assert!(matches!(synced.await.unwrap().unwrap(), SyncOutcome::Activated { .. }));

    let mut expected = ExpectedOutbox::default();
    let before: Vec<Event> = (0..UPLOADED_BEFORE).map(|n| touch(n, Timestamp::now())).collect();
    EventRecorder::new(Store::open(&store_path).unwrap(), DeviceClock::system()).append(&before).unwrap();
    expected.append(&before);
    let (sent, marked) = upload(&server.base, &token, &store_path).await;
    assert_eq!(sent.unwrap(), UPLOADED_BEFORE);
    // The simulated month starts now, after the upload stamped its events.
    let start_of_outage = Timestamp::now();
    expected.mark_uploaded(&marked, start_of_outage);
    let mut on_server: BTreeSet<String> = marked;
    assert_server_holds(&server_dir, &device, &on_server, "before the outage");

    // The server goes away for a month: its port is closed.
    let dead = server.base.clone();
    server.stop().await;

    let (outage_store, outage_screen, outage_trust, outage_token) =
        (store_path.clone(), screen.clone(), trust.clone(), token.clone());
    let (expected, dropped_total) = tokio::task::spawn_blocking(move || {
        let mut expected = expected;
        let client = SyncClient::new(SyncSource::plain(dead.clone(), Some(outage_token)));
        let mut store = Store::open(&outage_store).unwrap();
        let recorder = EventRecorder::new(Store::open(&outage_store).unwrap(), DeviceClock::system());
        let library = Library::open(&outage_screen).unwrap();
        let mut dropped_total = 0;
        for round in 1..=ROUNDS {
            let now = start_of_outage + ROUND * round as i32;
            let events: Vec<Event> = (0..EVENTS_PER_ROUND).map(|n| touch(n, now)).collect();
            recorder.append(&events).unwrap();
            expected.append(&events);

            // The round: no release, no upload, nothing lost.
            let synced = client.sync_once(&library, &outage_trust, now);
            assert!(matches!(synced, Err(SyncError::Network { .. })), "round {round}: {synced:?}");
            let waiting = store.pending_count().unwrap();
            let uploaded = client.upload_outbox(&mut store, heartbeat(), now);
            assert!(matches!(uploaded, Err(SyncError::Network { .. })), "round {round}: {uploaded:?}");
            assert_eq!(store.pending_count().unwrap(), waiting, "round {round}: a failed upload lost events");

            let dropped = store.bound_outbox(MAX_EVENTS, OUTBOX_KEEP_UPLOADED, now).unwrap();
            assert_eq!(dropped, expected.bound(MAX_EVENTS, OUTBOX_KEEP_UPLOADED, now), "round {round}");
            dropped_total += dropped;
            let rows = outbox_rows(&outage_store);
            assert!(rows <= MAX_EVENTS, "round {round}: {rows} events in the outbox");
            assert_eq!(rows, expected.rows.len(), "round {round}: events in the outbox");
            assert_eq!(store.pending_count().unwrap() as usize, expected.pending().len(), "round {round}");

            // What the screen would play after a restart is still the release.
            let shown = library.newest_valid(&outage_trust.keys, "wtc-booths", now);
            assert_eq!(shown.map(|r| r.manifest.version), Some(1), "round {round}");
        }
        assert_eq!(library.active_pointer(), Some(("wtc-booths".to_owned(), 1)));
        (expected, dropped_total)
    })
    .await
    .unwrap();

    // A month of events overflowed the bound: every uploaded event went first,
    // then the oldest pending ones; the newest pending ones are kept, in order.
    let recorded = ROUNDS * EVENTS_PER_ROUND;
    assert_eq!(dropped_total, recorded - MAX_EVENTS, "pending events dropped");
    let kept = pending(&store_path);
    assert_eq!(kept.len(), MAX_EVENTS);
    assert_eq!(kept, expected.pending(), "the outbox keeps the newest pending events");
    assert_eq!(outbox_rows(&store_path), MAX_EVENTS, "no uploaded event is left");

    // The server comes back on another port, with the same data.
    let server = start(&server_dir).await;
    let (sent, marked) = upload(&server.base, &token, &store_path).await;
    assert_eq!(sent.unwrap(), MAX_EVENTS);
    assert_eq!(marked, kept.iter().cloned().collect::<BTreeSet<_>>());
    assert_eq!(Store::open(&store_path).unwrap().pending_count().unwrap(), 0);
    on_server.extend(kept);
    assert_server_holds(&server_dir, &device, &on_server, "after the reconnection");

    let (again, marked) = upload(&server.base, &token, &store_path).await;
    assert_eq!(again.unwrap(), 0, "a second upload sends nothing");
    assert!(marked.is_empty());
    assert_server_holds(&server_dir, &device, &on_server, "after a second upload");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_whose_answer_is_lost_is_sent_again_and_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let server_dir = dir.path().join("server");
    let store_path = dir.path().join("screen/kiosk.sqlite");
    std::fs::create_dir_all(store_path.parent().unwrap()).unwrap();
    let server = start(&server_dir).await;
    server.create_channel("wtc-booths").await;
    let token = server.enrol("wtc-booths", "Board 1").await;
    let device = device_id(&server, "Board 1").await;

    // 1,200 events go in three reports of at most 500; the proxy forwards the
    // second report to the server but cuts the connection instead of passing on
    // the server's answer.
    let events: Vec<Event> = (0..1_200).map(|n| touch(n, Timestamp::now())).collect();
    EventRecorder::new(Store::open(&store_path).unwrap(), DeviceClock::system()).append(&events).unwrap();
    let upstream: SocketAddr = server.base.trim_start_matches("http://").parse().unwrap();
    let proxy = LossyProxy::start(upstream, 2).await;

    let (cut, marked) = upload(&proxy.base(), &token, &store_path).await;
    assert!(matches!(cut, Err(SyncError::Network { .. })), "{cut:?}");
    assert_eq!(proxy.answers(), 2, "the server answered two reports");
    assert_eq!(marked.len(), 500, "only the first report's events are marked uploaded");
    assert_eq!(Store::open(&store_path).unwrap().pending_count().unwrap(), 700);
    // The server holds the second report too: the screen does not know it.
    let first_two: BTreeSet<String> = events[..1_000].iter().map(|e| e.id.clone()).collect();
    assert_server_holds(&server_dir, &device, &first_two, "after the cut answer");

    // The same proxy now passes every answer: the 700 go again, 500 of them twice.
    let (sent, marked) = upload(&proxy.base(), &token, &store_path).await;
    assert_eq!(sent.unwrap(), 700);
    assert_eq!(marked, events[500..].iter().map(|e| e.id.clone()).collect::<BTreeSet<_>>());
    assert_eq!(Store::open(&store_path).unwrap().pending_count().unwrap(), 0);
    let all: BTreeSet<String> = events.iter().map(|e| e.id.clone()).collect();
    assert_server_holds(&server_dir, &device, &all, "after the repeated upload");

    // Directly, nothing more goes, and the server still counts each event once.
    let (again, _) = upload(&server.base, &token, &store_path).await;
    assert_eq!(again.unwrap(), 0);
    assert_server_holds(&server_dir, &device, &all, "after a direct upload");
    server.stop().await;
}

/// A TCP proxy on 127.0.0.1 in front of an HTTP/1.1 server: it forwards every
/// request, and every answer except the `cut`-th (counted over all connections
/// from 1), which it swallows, closing the connection to the client instead.
struct LossyProxy {
    addr: SocketAddr,
    answers: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl LossyProxy {
    async fn start(upstream: SocketAddr, cut: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let answers = Arc::new(AtomicUsize::new(0));
        let counted = answers.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else { return };
                let server = TcpStream::connect(upstream).await.unwrap();
                tokio::spawn(relay(client, server, counted.clone(), cut));
            }
        });
        Self { addr, answers, task }
    }

    fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Answers the server has given through the proxy, passed on or not.
    fn answers(&self) -> usize {
        self.answers.load(Ordering::SeqCst)
    }
}

impl Drop for LossyProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Relays one connection: requests as they come, answers one whole answer at a
/// time (headers and a `content-length` body).
async fn relay(client: TcpStream, server: TcpStream, answers: Arc<AtomicUsize>, cut: usize) {
    let (mut client_in, mut client_out) = client.into_split();
    let (mut server_in, mut server_out) = server.into_split();
    let requests = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut client_in, &mut server_out).await;
        let _ = server_out.shutdown().await;
    });
    let mut buffer = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        while let Some(length) = whole_answer(&buffer) {
            if answers.fetch_add(1, Ordering::SeqCst) + 1 == cut {
                // The server has answered, so the report is stored; the client
                // sees the connection close instead.
                requests.abort();
                return;
            }
            if client_out.write_all(&buffer[..length]).await.is_err() {
                requests.abort();
                return;
            }
            buffer.drain(..length);
        }
        match server_in.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
    let _ = client_out.write_all(&buffer).await;
    requests.abort();
}

/// The length of the first whole HTTP/1.1 answer in `buffer`, if it is all there.
fn whole_answer(buffer: &[u8]) -> Option<usize> {
    let end = buffer.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(&buffer[..end]).expect("answer headers are text");
    let length = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length").then(|| value.trim().parse::<usize>().unwrap())
        })
        .expect("the server's answers carry content-length");
    (buffer.len() >= end + length).then_some(end + length)
}
