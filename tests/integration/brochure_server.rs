//! Brochure downloads over real HTTP on 127.0.0.1: stable URLs, nothing else
//! served, a download recorded once its whole PDF went out, once per phone
//! within the repeat window.

use kiosk_device::brochure_server::serve_brochures;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kiosk_device::clock::DeviceClock;
use kiosk_device::current_release::CurrentRelease;
use kiosk_device::events::{EventKind, EventRecorder};
use kiosk_device::library::{Library, Trust};
use kiosk_device::store::{BrochureDownload, Store};
use kiosk_tests::{build_large_test_bundle, build_test_bundle, key, now, tiny_pdf};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpSocket;

struct Booth {
    _work: tempfile::TempDir,
    base: String,
    addr: SocketAddr,
    store_path: std::path::PathBuf,
}

/// A booth whose English brochure is `megabytes` MB (0: a few bytes).
async fn booth_with(megabytes: usize) -> Booth {
    let work = tempfile::tempdir().unwrap();
    let bundle = match megabytes {
        0 => build_test_bundle(work.path(), "b", "wtc-booths", 1, &key(1)),
        mb => build_large_test_bundle(work.path(), "b", "wtc-booths", 1, &key(1), mb),
    };
    let data = work.path().join("data");
    let library = Library::open(&data).unwrap();
    std::fs::rename(&bundle.dir, library.incoming_dir().join("b")).unwrap();
    let trust = Trust::new(vec![key(1).verifying_key()], "wtc-booths");
    let release = library.start(&trust, None, now()).unwrap();
    let store_path = data.join("kiosk.sqlite");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = serve_brochures(
        listener,
        CurrentRelease::new(release),
        Arc::new(EventRecorder::new(Store::open(&store_path).unwrap(), DeviceClock::system())),
        std::future::pending(),
    )
    .unwrap();
    Booth { _work: work, base: format!("http://{addr}"), addr, store_path }
}

async fn booth() -> Booth {
    booth_with(0).await
}

/// The downloads recorded once `expected` are (or after 10 s), and after a
/// moment more for any that should not be: a download is recorded just after
/// its last byte leaves.
async fn recorded_downloads(store: &Path, expected: usize) -> Vec<BrochureDownload> {
    let read = || Store::open(store).unwrap().brochure_downloads().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while read().len() < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    read()
}

/// Downloads the large English brochure whole, from `from`.
async fn download_whole(booth: &Booth, from: [u8; 4]) -> usize {
    let client = reqwest::Client::builder().local_address(IpAddr::from(from)).build().unwrap();
    let response = client.get(format!("{}/brochures/guide/en.pdf", booth.base)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap().len()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_phone_downloads_a_brochure_and_the_download_is_recorded() {
    let booth = booth().await;
    let response = reqwest::get(format!("{}/brochures/guide/en.pdf", booth.base)).await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["content-disposition"], "attachment; filename=\"guide-en.pdf\"");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let body = response.bytes().await.unwrap();
    assert_eq!(body, tiny_pdf("en b"));

    let head =
        reqwest::Client::new().head(format!("{}/brochures/guide/vi.pdf", booth.base)).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-length"], tiny_pdf("vi b").len().to_string());

    let probe = reqwest::Client::new()
        .get(format!("{}/brochures/guide/en.pdf", booth.base))
        .header("Range", "bytes=0-1")
        .send()
        .await
        .unwrap();
    assert_eq!(probe.status(), 206);
    assert_eq!(probe.bytes().await.unwrap(), &b"%P"[..]);

    let downloads = recorded_downloads(&booth.store_path, 1).await;
    assert_eq!(downloads.len(), 1, "the GET counts, the HEAD and the probe do not");
    assert_eq!((downloads[0].brochure_id.as_str(), downloads[0].locale.as_str()), ("guide", "en"));
}

#[tokio::test(flavor = "multi_thread")]
async fn anything_else_gets_404_and_reveals_nothing() {
    let booth = booth().await;
    let client = reqwest::Client::new();
    for path in [
        "/",
        "/brochures",
        "/brochures/",
        "/brochures/guide",
        "/brochures/guide/",
        "/brochures/guide/ko.pdf",
        "/brochures/guide/en.txt",
        "/brochures/nothing/en.pdf",
        "/brochures/guide/..%2F..%2Fkiosk.sqlite",
        "/brochures/..%2Fblobs/en.pdf",
        "/blobs",
        "/kiosk.sqlite",
        "/brochures/guide/en.pdf/",
        "/brochures/%FF/en.pdf",
        "/brochures/guide/%FF.pdf",
    ] {
        let response = client.get(format!("{}{path}", booth.base)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(response.text().await.unwrap(), "Not found\n", "{path}");
    }
    let post = client.post(format!("{}/brochures/guide/en.pdf", booth.base)).send().await.unwrap();
    assert_eq!(post.status(), 405);
    let downloads = Store::open(&booth.store_path).unwrap().brochure_downloads().unwrap();
    assert!(downloads.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn only_whole_downloads_count_and_a_phone_counts_once() {
    const MEGABYTES: usize = 16;
    let booth = booth_with(MEGABYTES).await;
    let size = tiny_pdf("b").len() + MEGABYTES * 1024 * 1024;

    // A phone starts the download and goes away after a few KB: the server
    // cannot have sent the rest (16 MB is more than every buffer between them).
    for _ in 0..3 {
        let socket = TcpSocket::new_v4().unwrap();
        socket.set_recv_buffer_size(4096).unwrap();
        let mut stream = socket.connect(booth.addr).await.unwrap();
        stream.write_all(b"GET /brochures/guide/en.pdf HTTP/1.1\r\nHost: booth\r\n\r\n").await.unwrap();
        let mut received = vec![0; 8 * 1024];
        stream.read_exact(&mut received).await.unwrap();
        assert!(received.starts_with(b"HTTP/1.1 200 OK\r\n"), "{}", String::from_utf8_lossy(&received[..64]));
        drop(stream);
    }
    // A HEAD, a probe of the first bytes and a range to the end but not from
    // the start send no whole PDF.
    let client = reqwest::Client::new();
    let url = format!("{}/brochures/guide/en.pdf", booth.base);
    let head = client.head(&url).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-length"], size.to_string());
    for (range, length) in [("bytes=0-1023", 1024), ("bytes=1024-", size - 1024)] {
        let partial = client.get(&url).header("Range", range).send().await.unwrap();
        assert_eq!(partial.status(), 206, "{range}");
        assert_eq!(partial.bytes().await.unwrap().len(), length, "{range}");
    }
    assert_eq!(recorded_downloads(&booth.store_path, 0).await, [], "nothing whole went out");

    // The whole PDF: one download.
    assert_eq!(download_whole(&booth, [127, 0, 0, 1]).await, size);
    let downloads = recorded_downloads(&booth.store_path, 1).await;
    assert_eq!(downloads.len(), 1);
    assert_eq!((downloads[0].brochure_id.as_str(), downloads[0].locale.as_str()), ("guide", "en"));

    // The same phone again, within the window: not counted again.
    assert_eq!(download_whole(&booth, [127, 0, 0, 1]).await, size);
    assert_eq!(recorded_downloads(&booth.store_path, 1).await.len(), 1, "a repeat counts once");

    // Another phone: counted (and the repeat, recorded before it if at all, was not).
    assert_eq!(download_whole(&booth, [127, 0, 0, 2]).await, size);
    assert_eq!(recorded_downloads(&booth.store_path, 2).await.len(), 2, "another phone counts");

    // And what goes to the server is one event per counted download.
    let events = Store::open(&booth.store_path).unwrap().pending_events(100).unwrap();
    assert_eq!(events.iter().filter(|e| e.kind == EventKind::BrochureDownload).count(), 2);
}
