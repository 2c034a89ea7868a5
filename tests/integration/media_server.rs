//! The loopback media server: secret URLs, listed blobs only, Range requests.

use kiosk_device::current_release::CurrentRelease;
use kiosk_device::library::{Library, Trust};
use kiosk_device::media_server::start_media_server;
use kiosk_tests::{build_test_bundle, key, now};

#[tokio::test(flavor = "multi_thread")]
async fn serves_listed_blobs_with_ranges_behind_the_secret() {
    let work = tempfile::tempdir().unwrap();
    let bundle = build_test_bundle(work.path(), "b", "wtc-booths", 1, &key(1));
    let library = Library::open(&work.path().join("data")).unwrap();
    std::fs::rename(&bundle.dir, library.incoming_dir().join("b")).unwrap();
    let trust = Trust::new(vec![key(1).verifying_key()], "wtc-booths");
    let release = library.start(&trust, None, now()).unwrap();
    let film = release.manifest.content.attract.video.clone().unwrap();
    let film_bytes = std::fs::read(release.blob_dir.join(film.as_str())).unwrap();

    let server = start_media_server(CurrentRelease::new(release), std::future::pending()).await.unwrap();
    assert!(server.base_url.starts_with("http://127.0.0.1:"));
    let client = reqwest::Client::new();

    let whole = client.get(server.blob_url(&film)).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["content-type"], "video/mp4");
    assert_eq!(whole.bytes().await.unwrap(), film_bytes);

    let part = client.get(server.blob_url(&film)).header("Range", "bytes=4-9").send().await.unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.bytes().await.unwrap(), film_bytes[4..10]);

    let wrong_secret = server
        .blob_url(&film)
        .replace(&server.base_url, &format!("http://{}/{}", server.addr, "0".repeat(48)));
    assert_eq!(client.get(wrong_secret).send().await.unwrap().status(), 404);
    let unlisted = server.blob_url(&kiosk_core::blob::BlobId::of(b"not in the release"));
    assert_eq!(client.get(unlisted).send().await.unwrap().status(), 404);
    let traversal = format!("{}/blobs/..%2F..%2Fkiosk.sqlite", server.base_url);
    assert_eq!(client.get(traversal).send().await.unwrap().status(), 404);
}
