//! Brochure downloads over real HTTP on 127.0.0.1: stable URLs, nothing else
//! served, every download recorded.

use kiosk_device::brochure_server::serve_brochures;
use std::sync::Arc;

use kiosk_device::clock::DeviceClock;
use kiosk_device::current_release::CurrentRelease;
use kiosk_device::events::EventRecorder;
use kiosk_device::library::{Library, Trust};
use kiosk_device::store::Store;
use kiosk_tests::{build_test_bundle, key, now, tiny_pdf};

struct Booth {
    _work: tempfile::TempDir,
    base: String,
    store_path: std::path::PathBuf,
}

async fn booth() -> Booth {
    let work = tempfile::tempdir().unwrap();
    let bundle = build_test_bundle(work.path(), "b", "wtc-booths", 1, &key(1));
    let data = work.path().join("data");
    let library = Library::open(&data).unwrap();
    std::fs::rename(&bundle.dir, library.incoming_dir().join("b")).unwrap();
    let trust = Trust { keys: vec![key(1).verifying_key()], channel: "wtc-booths".into() };
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
    Booth { _work: work, base: format!("http://{addr}"), store_path }
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

    let downloads = Store::open(&booth.store_path).unwrap().brochure_downloads().unwrap();
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
