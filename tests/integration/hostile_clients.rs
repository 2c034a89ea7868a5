//! The booth servers under a hostile visitor, over real sockets on 127.0.0.1:
//! the visitor's connections come from 127.0.0.2 (Linux routes all of
//! 127.0.0.0/8 to loopback), so the well-behaved phone or screen on 127.0.0.1
//! is another client. Idle and slowloris connections do not keep brochures or
//! the mirror from others, and are closed once the request head timeout has
//! passed; a client over the request rate is answered `429`.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kiosk_device::DataDir;
use kiosk_device::brochure_server::{BROCHURE_LIMITS, serve_brochures_with_limits};
use kiosk_device::clock::DeviceClock;
use kiosk_device::current_release::CurrentRelease;
use kiosk_device::events::EventRecorder;
use kiosk_device::library::{Library, Trust};
use kiosk_device::mirror::{MIRROR_LIMITS, serve_mirror_with_limits};
use kiosk_device::store::Store;
use kiosk_listener::Limits;
use kiosk_tests::{build_test_bundle, key, now, tiny_pdf};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::task::JoinSet;

/// The visitor's address.
const VISITOR: [u8; 4] = [127, 0, 0, 2];
/// How long the servers under test wait for a request head.
const HEAD_TIMEOUT: Duration = Duration::from_millis(1500);
/// How long past the head timeout a connection may take to be closed.
const GRACE: Duration = Duration::from_secs(2);

/// A screen's release and its data folder, on loopback.
struct Screen {
    _work: tempfile::TempDir,
    data: std::path::PathBuf,
    release: CurrentRelease,
}

fn screen() -> Screen {
    let work = tempfile::tempdir().unwrap();
    let bundle = build_test_bundle(work.path(), "b", "wtc-booths", 1, &key(1));
    let data = work.path().join("data");
    let library = Library::open(&data).unwrap();
    std::fs::rename(&bundle.dir, library.incoming_dir().join("b")).unwrap();
    let trust = Trust::new(vec![key(1).verifying_key()], "wtc-booths");
    let release = CurrentRelease::new(library.start(&trust, None, now()).unwrap());
    Screen { _work: work, data, release }
}

async fn brochures(screen: &Screen, limits: Limits) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let events =
        EventRecorder::new(Store::open(&screen.data.join("kiosk.sqlite")).unwrap(), DeviceClock::system());
    serve_brochures_with_limits(
        listener,
        limits,
        screen.release.clone(),
        Arc::new(events),
        std::future::pending(),
    )
    .unwrap()
}

async fn mirror(screen: &Screen, limits: Limits) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    serve_mirror_with_limits(
        listener,
        limits,
        DataDir::new(&screen.data),
        screen.release.clone(),
        std::future::pending(),
    )
    .unwrap()
}

/// A TCP connection to `addr` from `from`.
async fn connect_from(from: [u8; 4], addr: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((from, 0))).unwrap();
    socket.connect(addr).await.unwrap()
}

/// The visitor's connections: `idle` that send nothing and `slow` that send a
/// request head one byte a second, for as long as the server keeps them.
struct Attack {
    opened: Instant,
    readers: Vec<tokio::net::tcp::OwnedReadHalf>,
    /// Kept open: dropping a write half would send the server an end of file.
    idle_writers: Vec<tokio::net::tcp::OwnedWriteHalf>,
}

async fn attack(addr: SocketAddr, idle: usize, slow: usize) -> Attack {
    let opened = Instant::now();
    let mut readers = Vec::new();
    let (mut idle_writers, mut writers) = (Vec::new(), Vec::new());
    for n in 0..idle + slow {
        let (reader, writer) = connect_from(VISITOR, addr).await.into_split();
        readers.push(reader);
        if n < idle { idle_writers.push(writer) } else { writers.push(writer) }
    }
    tokio::spawn(async move {
        let head = b"GET /brochures/guide/en.pdf HTTP/1.1\r\nHost: kiosk\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaa";
        for byte in head {
            for writer in &mut writers {
                let _ = writer.write_all(&[*byte]).await;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
    Attack { opened, readers, idle_writers }
}

impl Attack {
    /// How many of the visitor's connections the server closed (EOF or reset)
    /// by `within` after they were opened.
    async fn closed_by(self, within: Duration) -> usize {
        let deadline = tokio::time::Instant::from_std(self.opened + within);
        let mut reads = JoinSet::new();
        for mut reader in self.readers {
            reads.spawn(async move {
                let mut buffer = [0u8; 1024];
                loop {
                    match tokio::time::timeout_at(deadline, reader.read(&mut buffer)).await {
                        Err(_) => return false,
                        Ok(Ok(0) | Err(_)) => return true,
                        Ok(Ok(_)) => continue,
                    }
                }
            });
        }
        let closed = reads.join_all().await.into_iter().filter(|&closed| closed).count();
        drop(self.idle_writers);
        closed
    }
}

fn client_from(ip: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::from(ip))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_visitor_holding_a_thousand_idle_and_hundreds_of_slow_connections_leaves_brochures_downloadable() {
    let screen = screen();
    let addr = brochures(&screen, Limits { request_head_timeout: HEAD_TIMEOUT, ..BROCHURE_LIMITS }).await;
    let attack = attack(addr, 1000, 300).await;

    let phone = client_from([127, 0, 0, 1]);
    for locale in ["en", "vi", "en"] {
        let started = Instant::now();
        let response = phone.get(format!("http://{addr}/brochures/guide/{locale}.pdf")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.bytes().await.unwrap(), tiny_pdf(&format!("{locale} b")));
        assert!(started.elapsed() < Duration::from_secs(1), "downloaded in {:?}", started.elapsed());
    }

    assert_eq!(attack.closed_by(HEAD_TIMEOUT + GRACE).await, 1300, "every visitor connection is closed");
}

#[tokio::test(flavor = "multi_thread")]
async fn idle_and_slow_connections_to_the_mirror_are_closed_after_the_head_timeout_and_screens_still_sync() {
    let lead = screen();
    // No cap per client here: the timeout alone must close them all.
    let limits = Limits {
        max_connections: 4096,
        max_connections_per_client: None,
        request_head_timeout: HEAD_TIMEOUT,
        ..MIRROR_LIMITS
    };
    let addr = mirror(&lead, limits).await;
    let attack = attack(addr, 1000, 300).await;

    let started = Instant::now();
    let response = client_from([127, 0, 0, 1])
        .get(format!("http://{addr}/v1/channels/wtc-booths/manifest"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(1), "answered in {:?}", started.elapsed());

    let follower = tempfile::tempdir().unwrap();
    let (base, data) = (format!("http://{addr}"), follower.path().to_owned());
    let synced = tokio::task::spawn_blocking(move || {
        let library = Library::open(&data).unwrap();
        let trust = Trust::new(vec![key(1).verifying_key()], "wtc-booths");
        kiosk_device::sync_client::SyncClient::new(kiosk_device::sync_client::SyncSource::plain(base, None))
            .sync_once(&library, &trust, now())
    });
    let outcome =
        tokio::time::timeout(Duration::from_secs(5), synced).await.expect("synced in time").unwrap();
    assert!(matches!(outcome, Ok(kiosk_device::sync_client::SyncOutcome::Activated { .. })), "{outcome:?}");

    let closed = attack.closed_by(HEAD_TIMEOUT + GRACE).await;
    assert_eq!(closed, 1300, "every visitor connection is closed once the timeout passed");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_visitor_over_the_request_rate_gets_429_with_retry_after_while_a_phone_is_served() {
    let screen = screen();
    let addr = brochures(&screen, BROCHURE_LIMITS).await;
    let url = format!("http://{addr}/brochures/guide/en.pdf");
    let visitor = client_from(VISITOR);
    let burst = BROCHURE_LIMITS.request_rate.unwrap().burst.get();
    let mut answers = Vec::new();
    for _ in 0..burst + 5 {
        answers.push(visitor.head(&url).send().await.unwrap());
    }
    assert!(answers[..burst as usize - 5].iter().all(|a| a.status() == 200));
    let refused = answers.last().unwrap();
    assert_eq!(refused.status(), 429);
    let retry_after: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");

    let phone = client_from([127, 0, 0, 1]).get(&url).send().await.unwrap();
    assert_eq!(phone.status(), 200, "another client is served");
    assert_eq!(phone.bytes().await.unwrap(), tiny_pdf("en b"));
}
