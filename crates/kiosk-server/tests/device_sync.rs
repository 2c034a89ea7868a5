//! A screen's own sync client (`kiosk_device::sync_client`) fetches, verifies and
//! activates a release from this server, pinning the key `GET /v1/public-key` answers.

mod support;

use kiosk_device::library::{Library, Trust};
use kiosk_device::sync_client::{SyncClient, SyncOutcome, SyncSource};
use support::{sample, start};

#[tokio::test(flavor = "multi_thread")]
async fn a_screen_syncs_a_published_release_with_its_device_token() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("server")).await;
    server.create_channel("wtc-booths").await;
    let (manifest, blobs) = sample("device");
    server.upload(&blobs).await;
    server.publish("wtc-booths", &manifest).await;
    let token = server.enrol("wtc-booths", "Booth 1").await;
    let trust = Trust::new(vec![server.public_key().await], "wtc-booths");

    let sync = |token: Option<String>| {
        let (base, data, trust) = (server.base.clone(), dir.path().join("screen"), trust.clone());
        tokio::task::spawn_blocking(move || {
            let library = Library::open(&data).unwrap();
            SyncClient::new(SyncSource::plain(base, token)).sync_once(
                &library,
                &trust,
                jiff::Timestamp::now(),
            )
        })
    };
    assert!(sync(None).await.unwrap().is_err(), "no token, no release");
    match sync(Some(token.clone())).await.unwrap().unwrap() {
        SyncOutcome::Activated { release, fetched, .. } => {
            assert_eq!(release.manifest.version, 1);
            assert_eq!(fetched, blobs.len());
        }
        other => panic!("expected activation, got {other:?}"),
    }
    assert!(matches!(sync(Some(token.clone())).await.unwrap().unwrap(), SyncOutcome::UpToDate));

    let (second, second_blobs) = sample("device, second");
    server.upload(&second_blobs).await;
    server.publish("wtc-booths", &second).await;
    match sync(Some(token)).await.unwrap().unwrap() {
        SyncOutcome::Activated { release, fetched, .. } => {
            assert_eq!(release.manifest.version, 2);
            assert_eq!(fetched, 1, "only the changed blob is fetched");
        }
        other => panic!("expected activation, got {other:?}"),
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_publish_reaches_a_screen_within_seconds_though_it_polls_hourly() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("server")).await;
    server.create_channel("wtc-booths").await;
    let token = server.enrol("wtc-booths", "Board 1").await;
    let trust = Trust::new(vec![server.public_key().await], "wtc-booths")
        .with_emergency_keys(vec![server.emergency_key().await]);
    let (activated, arrivals) = std::sync::mpsc::channel();
    let (raised, emergencies) = std::sync::mpsc::channel();
    let hooks = kiosk_device::sync_loop::SyncHooks {
        activated: Box::new(move |release| activated.send(release.manifest.version).unwrap()),
        emergency: Box::new(move |message, showing_for| raised.send((message, showing_for)).unwrap()),
        heartbeat: Box::new(|beat| beat.current_item = Some("test".into())),
        ..Default::default()
    };
    kiosk_device::sync_loop::spawn_sync_loop(
        kiosk_device::DataDir::new(dir.path().join("screen")),
        trust.clone(),
        SyncSource::plain(server.base.clone(), Some(token)),
        std::time::Duration::from_secs(3600),
        kiosk_device::clock::DeviceClock::system(),
        hooks,
    )
    .unwrap();
    // Let the screen connect and find nothing published.
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;

    let (manifest, blobs) = sample("announced");
    server.upload(&blobs).await;
    let published = std::time::Instant::now();
    server.publish("wtc-booths", &manifest).await;
    let version =
        tokio::task::spawn_blocking(move || arrivals.recv_timeout(std::time::Duration::from_secs(5)))
            .await
            .unwrap()
            .expect("the announced release is active within seconds");
    assert_eq!(version, 1);
    let took = published.elapsed();
    assert!(took < std::time::Duration::from_secs(3), "activation took {took:?}");

    // An emergency message is on the screen within a second, and kept for a restart.
    let raised_at = std::time::Instant::now();
    let body = serde_json::json!({"text": {"vi": "Đóng cửa sớm", "en": "Closing early"}, "minutes": 10});
    let response = server
        .admin(reqwest::Method::POST, "/v1/admin/channels/wtc-booths/emergency")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let (message, showing_for) =
        tokio::task::spawn_blocking(move || emergencies.recv_timeout(std::time::Duration::from_secs(2)))
            .await
            .unwrap()
            .expect("the emergency message reaches the screen");
    assert!(raised_at.elapsed() < std::time::Duration::from_secs(1), "took {:?}", raised_at.elapsed());
    assert_eq!(message.text["en"], "Closing early");
    let ten_minutes = jiff::SignedDuration::from_mins(10);
    assert!(showing_for <= ten_minutes && showing_for > ten_minutes - jiff::SignedDuration::from_secs(3));
    let now = jiff::Timestamp::now();
    let screen = kiosk_device::DataDir::new(dir.path().join("screen"));
    let kept = kiosk_device::emergency::load(&screen, &trust, now).expect("kept on disk");
    assert_eq!(kept.message, message);

    // After the round, the heartbeat tells the console what the screen is doing.
    let mut heartbeat = serde_json::Value::Null;
    for _ in 0..100 {
        let devices: serde_json::Value = server
            .admin(reqwest::Method::GET, "/v1/admin/devices")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        heartbeat = devices["devices"][0]["heartbeat"].clone();
        if heartbeat["release_version"] == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(heartbeat["release_version"], 1, "{heartbeat}");
    assert_eq!(heartbeat["release_channel"], "wtc-booths");
    assert_eq!(heartbeat["current_item"], "test", "the app's own fields");
    assert!(heartbeat["free_disk_bytes"].as_u64().unwrap() > 0, "{heartbeat}");
    assert!(heartbeat["last_error"].is_null());
    assert!(heartbeat["uptime_s"].is_u64());
    server.stop().await;
}
