//! A booth screen syncs from the lead kiosk's mirror over real HTTP on 127.0.0.1:
//! only a release that verified completely becomes active; cut downloads resume;
//! a corrupt blob, a stranger's signature, a rollback, another channel, or a
//! tampered, expired or foreign manifest change nothing on the screen.

use std::path::{Path, PathBuf};

use kiosk_core::verify::Rejection;
use kiosk_device::DataDir;
use kiosk_device::current_release::CurrentRelease;
use kiosk_device::library::{Library, Trust};
use kiosk_device::mirror::serve_mirror_with_limits;
use kiosk_device::sync_client::{SyncClient, SyncError, SyncOutcome, SyncSource};
use kiosk_tests::{build_large_test_bundle, build_test_bundle, key, now};

fn trust() -> Trust {
    Trust::new(vec![key(1).verifying_key()], "wtc-booths")
}

/// A lead kiosk showing `version` of a bundle signed by `signer`, mirrored on loopback.
struct Lead {
    _work: tempfile::TempDir,
    data: PathBuf,
    base: String,
}

async fn lead(version: u64, signer: u8) -> Lead {
    lead_with(version, signer, 0).await
}

/// A lead kiosk whose release carries a brochure of `megabytes` MB (0: small).
async fn lead_with(version: u64, signer: u8, megabytes: usize) -> Lead {
    lead_within(version, signer, megabytes, kiosk_device::mirror::MIRROR_LIMITS).await
}

/// [`lead_with`], its mirror within `limits`.
async fn lead_within(version: u64, signer: u8, megabytes: usize, limits: kiosk_listener::Limits) -> Lead {
    let work = tempfile::tempdir().unwrap();
    let name = format!("v{version}");
    let bundle = match megabytes {
        0 => build_test_bundle(work.path(), &name, "wtc-booths", version, &key(signer)),
        mb => build_large_test_bundle(work.path(), &name, "wtc-booths", version, &key(signer), mb),
    };
    let data = work.path().join("lead");
    let library = Library::open(&data).unwrap();
    std::fs::rename(&bundle.dir, library.incoming_dir().join("stick")).unwrap();
    let lead_trust = Trust::new(vec![key(signer).verifying_key()], "wtc-booths");
    let release = library.start(&lead_trust, None, now()).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = serve_mirror_with_limits(
        listener,
        limits,
        DataDir::new(&data),
        CurrentRelease::new(release),
        std::future::pending(),
    )
    .unwrap();
    Lead { _work: work, data, base: format!("http://{addr}") }
}

/// One sync round of a screen whose data folder is `data`.
async fn sync(base: &str, data: &Path, trust: Trust) -> Result<SyncOutcome, SyncError> {
    let (base, data) = (base.to_owned(), data.to_owned());
    tokio::task::spawn_blocking(move || {
        let library = Library::open(&data).unwrap();
        SyncClient::new(SyncSource::plain(base, None)).sync_once(&library, &trust, now())
    })
    .await
    .unwrap()
}

fn active_version(data: &Path) -> Option<u64> {
    Library::open(data).unwrap().active_pointer().map(|(_, v)| v)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_screen_syncs_from_the_lead_kiosk_and_then_is_up_to_date() {
    let lead = lead(4, 1).await;
    let screen = tempfile::tempdir().unwrap();
    match sync(&lead.base, screen.path(), trust()).await.unwrap() {
        SyncOutcome::Activated { release, fetched, bytes, transferred } => {
            assert_eq!(release.manifest.version, 4);
            assert_eq!(fetched, release.manifest.blobs.len());
            assert_eq!(bytes, release.manifest.total_blob_bytes());
            assert_eq!(transferred, bytes, "every byte once");
        }
        other => panic!("expected activation, got {other:?}"),
    }
    assert_eq!(active_version(screen.path()), Some(4));
    assert!(!screen.path().join("incoming/.sync-wtc-booths").exists(), "staging is cleaned up");
    assert!(matches!(sync(&lead.base, screen.path(), trust()).await.unwrap(), SyncOutcome::UpToDate));

    // A round stopped after trusting the release but before activating it (what
    // a kill or a disk error leaves): the next round finishes it, fetching nothing.
    std::fs::write(screen.path().join("active.json"), br#"{"channel":"default","version":1}"#).unwrap();
    match sync(&lead.base, screen.path(), trust()).await.unwrap() {
        SyncOutcome::Activated { release, fetched, .. } => {
            assert_eq!((release.manifest.version, fetched), (4, 0));
        }
        other => panic!("expected the stopped round to be finished, got {other:?}"),
    }
    assert_eq!(active_version(screen.path()), Some(4));
    assert!(matches!(sync(&lead.base, screen.path(), trust()).await.unwrap(), SyncOutcome::UpToDate));

    // The manifest answers 304 to its ETag, and blobs resume with Range.
    let client = reqwest::Client::new();
    let manifest = client.get(format!("{}/v1/channels/wtc-booths/manifest", lead.base)).send().await.unwrap();
    let etag = manifest.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(manifest.headers()["x-release-version"], "4");
    assert_eq!(manifest.headers()["x-manifest-signature"].len(), 128);
    let again = client
        .get(format!("{}/v1/channels/wtc-booths/manifest", lead.base))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_blob_damaged_on_the_screen_s_disk_is_dropped_at_start_and_fetched_again() {
    let lead = lead(4, 1).await;
    let screen = tempfile::tempdir().unwrap();
    sync(&lead.base, screen.path(), trust()).await.unwrap();
    let library = Library::open(screen.path()).unwrap();
    let release = library.newest_valid(&trust().keys, "wtc-booths", now()).unwrap();
    let damaged = library.pool_path(&release.manifest.blobs[0].sha256);
    let mut bytes = std::fs::read(&damaged).unwrap();
    bytes[0] ^= 0xff;
    std::fs::write(&damaged, &bytes).unwrap();

    // At the next start the release is refused and the damaged file removed;
    // the screen shows its built-in content meanwhile.
    assert!(library.newest_valid(&trust().keys, "wtc-booths", now()).is_none());
    assert!(!damaged.exists(), "a file that does not match its name leaves the pool");
    std::fs::write(screen.path().join("active.json"), br#"{"channel":"default","version":1}"#).unwrap();
    drop(library);

    match sync(&lead.base, screen.path(), trust()).await.unwrap() {
        SyncOutcome::Activated { release, fetched, .. } => {
            assert_eq!((release.manifest.version, fetched), (4, 1))
        }
        other => panic!("expected the release to be repaired, got {other:?}"),
    }
    let library = Library::open(screen.path()).unwrap();
    assert!(library.newest_valid(&trust().keys, "wtc-booths", now()).is_some(), "whole again");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cut_download_resumes_where_it_stopped() {
    let lead = lead(2, 1).await;
    let screen = tempfile::tempdir().unwrap();
    // What a cut connection leaves: the first half of the largest blob.
    let pool = lead.data.join("blobs");
    let (name, bytes) = std::fs::read_dir(&pool)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_str().unwrap().to_owned(), std::fs::read(&p).unwrap()))
        .max_by_key(|(_, b)| b.len())
        .unwrap();
    let staging = screen.path().join("incoming/.sync-wtc-booths/blobs");
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(staging.join(format!(".{name}.partial")), &bytes[..bytes.len() / 2]).unwrap();

    match sync(&lead.base, screen.path(), trust()).await.unwrap() {
        SyncOutcome::Activated { bytes: total, transferred, .. } => {
            assert_eq!(transferred, total - (bytes.len() / 2) as u64, "the first half is not fetched again")
        }
        other => panic!("expected activation, got {other:?}"),
    }
    assert_eq!(std::fs::read(screen.path().join("blobs").join(&name)).unwrap(), bytes);

    // A range request answers the rest only.
    let rest = reqwest::Client::new()
        .get(format!("{}/v1/blobs/{name}", lead.base))
        .header("range", "bytes=10-")
        .header("if-range", format!("\"{name}\""))
        .send()
        .await
        .unwrap();
    assert_eq!(rest.status(), 206);
    assert_eq!(rest.bytes().await.unwrap().as_ref(), &bytes[10..]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_corrupt_blob_from_the_mirror_is_refused_then_fetched_again_once_repaired() {
    let lead = lead(3, 1).await;
    let screen = tempfile::tempdir().unwrap();
    let pool = lead.data.join("blobs");
    let victim = std::fs::read_dir(&pool).unwrap().next().unwrap().unwrap().path();
    let good = std::fs::read(&victim).unwrap();
    let mut bad = good.clone();
    bad[0] ^= 0xff;
    std::fs::write(&victim, &bad).unwrap();

    let error = sync(&lead.base, screen.path(), trust()).await.unwrap_err();
    assert!(matches!(error, SyncError::CorruptBlob { .. }), "{error}");
    assert!(error.to_string().contains("is corrupt"), "{error}");
    assert_eq!(active_version(screen.path()), None, "nothing of the release is active");
    assert!(!screen.path().join("releases/wtc-booths/3").exists());

    std::fs::write(&victim, &good).unwrap();
    assert!(matches!(sync(&lead.base, screen.path(), trust()).await.unwrap(), SyncOutcome::Activated { .. }));
    assert_eq!(active_version(screen.path()), Some(3));
}

#[tokio::test(flavor = "multi_thread")]
async fn strangers_rollbacks_and_other_channels_change_nothing() {
    let screen = tempfile::tempdir().unwrap();
    let current = lead(5, 1).await;
    sync(&current.base, screen.path(), trust()).await.unwrap();
    assert_eq!(active_version(screen.path()), Some(5));

    let stranger = lead(6, 9).await;
    let error = sync(&stranger.base, screen.path(), trust()).await.unwrap_err();
    assert!(matches!(error, SyncError::Refused { rejection: Rejection::BadSignature(_), .. }), "{error}");

    let older = lead(4, 1).await;
    let error = sync(&older.base, screen.path(), trust()).await.unwrap_err();
    assert!(matches!(error, SyncError::Refused { rejection: Rejection::Rollback { .. }, .. }), "{error}");

    let other = Trust { channel: "bulletin-boards".into(), ..trust() };
    assert!(matches!(
        sync(&current.base, screen.path(), other).await.unwrap(),
        SyncOutcome::NothingPublished
    ));
    assert_eq!(active_version(screen.path()), Some(5), "the screen keeps its release");

    // Nobody home: a clear network error, nothing changed.
    let error = sync("http://127.0.0.1:9", screen.path(), trust()).await.unwrap_err();
    assert!(matches!(error, SyncError::Network { .. }), "{error}");
    assert_eq!(active_version(screen.path()), Some(5));
}

/// A hostile source on loopback: answers every request with `manifest` and
/// `signature`, whatever the channel asked for.
fn hostile_source(manifest: Vec<u8>, signature: Vec<u8>) -> String {
    use std::io::{BufRead, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = std::io::BufReader::new(stream);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-manifest-signature: {}\r\nconnection: close\r\n\r\n",
                manifest.len(),
                signature.iter().map(|b| format!("{b:02x}")).collect::<String>()
            );
            let mut stream = reader.into_inner();
            let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&manifest));
        }
    });
    base
}

#[tokio::test(flavor = "multi_thread")]
async fn tampered_expired_and_foreign_manifests_are_refused_before_any_blob() {
    use ed25519_dalek::Signer;
    let screen = tempfile::tempdir().unwrap();
    let current = lead(5, 1).await;
    sync(&current.base, screen.path(), trust()).await.unwrap();
    let pool_before = std::fs::read_dir(screen.path().join("blobs")).unwrap().count();

    // A newer release, re-signed with the right key after each change.
    let bytes = std::fs::read(current.data.join("releases/wtc-booths/5/manifest.json")).unwrap();
    let mut newer = kiosk_core::manifest::Manifest::decode(&bytes).unwrap();
    newer.version = 6;
    let signed = |manifest: &kiosk_core::manifest::Manifest| {
        let bytes = manifest.encode();
        let signature = key(1).sign(&bytes).to_bytes().to_vec();
        (bytes, signature)
    };

    let mut expired = newer.clone();
    expired.expires_at = Some(now() - jiff::SignedDuration::from_hours(1));
    let mut foreign = newer.clone();
    foreign.channel = "bulletin-boards".into();
    let (good_bytes, good_signature) = signed(&newer);
    let mut tampered = good_bytes.clone();
    let at = tampered.windows(4).position(|w| w == b"\"vi\"").unwrap();
    tampered[at + 1] = b'V';
    let cases = [
        (signed(&expired), "expired"),
        (signed(&foreign), "wrong-channel"),
        ((tampered, good_signature.clone()), "bad-signature"),
        ((good_bytes.clone(), good_signature[..63].to_vec()), "signature-malformed"),
        ((b"not json at all".to_vec(), key(1).sign(b"not json at all").to_bytes().to_vec()), "malformed"),
    ];
    for ((manifest, signature), code) in cases {
        let base = hostile_source(manifest, signature);
        let error = sync(&base, screen.path(), trust()).await.unwrap_err();
        match &error {
            SyncError::Refused { rejection, .. } => assert_eq!(rejection.code(), code, "{error}"),
            other => panic!("{code}: expected a refusal, got {other}"),
        }
        assert_eq!(active_version(screen.path()), Some(5), "{code}: the screen keeps its release");
        let pool = std::fs::read_dir(screen.path().join("blobs")).unwrap().count();
        assert_eq!(pool, pool_before, "{code}: no blob was fetched");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_mirror_answers_tricks_with_a_json_404() {
    let lead = lead(1, 1).await;
    for path in [
        "/v1/blobs/..%2F..%2Fkiosk.sqlite",
        "/v1/blobs/../kiosk.sqlite",
        "/v1/blobs/ABCDEF",
        "/v1/channels/other/manifest",
        "/v1/admin",
        "/kiosk.sqlite",
    ] {
        let response = reqwest::get(format!("{}{path}", lead.base)).await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
        let body = response.text().await.unwrap();
        assert!(body.starts_with(r#"{"error":""#) && body.contains(r#""message":""#), "{path}: {body}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn old_releases_and_their_blobs_are_collected_keeping_the_newest_three() {
    let screen = tempfile::tempdir().unwrap();
    for version in 1..=5 {
        let lead = lead(version, 1).await;
        sync(&lead.base, screen.path(), trust()).await.unwrap();
    }
    let library = Library::open(screen.path()).unwrap();
    assert_eq!(library.versions("wtc-booths"), vec![5, 4, 3]);
    assert_eq!(library.active_pointer(), Some(("wtc-booths".into(), 5)));
    // The pool holds exactly the blobs of the kept releases.
    let mut listed = std::collections::BTreeSet::new();
    for version in [5, 4, 3] {
        let path = screen.path().join(format!("releases/wtc-booths/{version}/manifest.json"));
        let manifest = kiosk_core::manifest::Manifest::decode(&std::fs::read(path).unwrap()).unwrap();
        listed.extend(manifest.blobs.into_iter().map(|b| b.sha256));
    }
    assert_eq!(library.held_blobs(), listed);
    let held = library.held_blobs().len();
    library.collect("wtc-booths", 5, 3).unwrap();
    assert_eq!(library.held_blobs().len(), held, "collecting again removes nothing");
}

/// A small filesystem of its own, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(dir: &Path, size: &str) -> Option<Self> {
        std::fs::create_dir_all(dir).unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs", dir.to_str().unwrap()])
            .status()
            .is_ok_and(|s| s.success());
        mounted.then(|| Self(dir.to_owned()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_during_download_is_reported_and_the_screen_keeps_its_release() {
    let work = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(&work.path().join("disk"), "8m") else {
        // Mounting needs root, as on the kiosks' CI; elsewhere say so loudly.
        eprintln!("SKIPPED: cannot mount a small tmpfs here (not root?)");
        return;
    };
    let screen = disk.0.join("screen");
    let small = lead(1, 1).await;
    sync(&small.base, &screen, trust()).await.unwrap();
    let large = lead_with(2, 1, 12).await;
    let error = sync(&large.base, &screen, trust()).await.unwrap_err();
    assert!(error.to_string().contains("No space left on device"), "{error}");
    assert_eq!(active_version(&screen), Some(1));
    let keys = trust().keys;
    let shown = Library::open(&screen).unwrap().newest_valid(&keys, "wtc-booths", now()).unwrap();
    assert_eq!(shown.manifest.version, 1, "the screen still shows its release, whole");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_busy_mirror_that_asks_screens_to_wait_still_brings_the_release() {
    // Two requests a second with a burst of two: the screen is told `429` with
    // `Retry-After` for most blobs, waits and asks again.
    let busy = kiosk_listener::Limits {
        request_rate: Some(kiosk_listener::RequestRate::new(2, 2)),
        ..kiosk_device::mirror::MIRROR_LIMITS
    };
    let lead = lead_within(3, 1, 0, busy).await;
    let screen = tempfile::tempdir().unwrap();
    let outcome = sync(&lead.base, screen.path(), trust()).await;
    match outcome.unwrap() {
        SyncOutcome::Activated { release, fetched, .. } => {
            assert!(fetched > 3, "more blobs than the burst: {fetched}");
            assert_eq!(release.manifest.version, 3);
        }
        other => panic!("expected activation, got {other:?}"),
    }
    assert_eq!(active_version(screen.path()), Some(3));
}
