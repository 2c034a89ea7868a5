//! The admin and device APIs over real HTTP, end to end.

mod support;

use std::time::Duration;

use kiosk_core::blob::{BlobId, MediaType};
use kiosk_core::manifest::Manifest;
use kiosk_core::verify::{TrustPolicy, verify_manifest};
use reqwest::{Method, StatusCode};
use support::{ADMIN, next_event, sample, start};

#[tokio::test]
async fn first_start_makes_the_data_folder_and_keeps_its_key() {
    if support::embedded_only("the data folder's files") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let key = server.public_key().await;
    for name in ["server.sqlite", "blobs", "signing.key"] {
        assert!(dir.path().join(name).exists(), "{name}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("signing.key")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    server.create_channel("wtc-booths").await;
    let (manifest, blobs) = sample("restart");
    server.upload(&blobs).await;
    let (_, manifest_sha256) = server.publish("wtc-booths", &manifest).await;
    server.stop().await;

    let again = start(dir.path()).await;
    assert_eq!(again.public_key().await, key, "the key survives a restart");
    let response = again.admin(Method::GET, "/v1/channels/wtc-booths/manifest").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "the release survives a restart");
    assert_eq!(BlobId::of(&response.bytes().await.unwrap()).as_str(), manifest_sha256);
    let response = again
        .admin(Method::POST, "/v1/admin/channels")
        .json(&serde_json::json!({"name": "wtc-booths"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "the channel survives a restart");
    assert_eq!(response.json::<serde_json::Value>().await.unwrap()["created"], false);
    again.stop().await;
}

#[tokio::test]
async fn publishes_a_release_that_a_device_verifies_and_downloads() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let key = server.public_key().await;
    server.create_channel("wtc-booths").await;
    let (manifest, blobs) = sample("one");

    // Nothing uploaded yet: the server names the missing blob.
    let response = server
        .admin(Method::POST, "/v1/admin/channels/wtc-booths/releases")
        .json(&manifest)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "missing_blob");
    assert!(blobs.iter().any(|(id, _)| body["message"].as_str().unwrap().contains(id.as_str())), "{body}");

    server.upload(&blobs).await;
    let (version, manifest_sha256) = server.publish("wtc-booths", &manifest).await;
    assert_eq!(version, 1);
    let token = server.enrol("wtc-booths", "Booth 1").await;

    let response = server
        .client
        .get(server.url("/v1/channels/wtc-booths/manifest"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["etag"].to_str().unwrap(), format!("\"{manifest_sha256}\""));
    assert_eq!(headers["x-release-version"], "1");
    assert_eq!(headers["cache-control"], "no-cache");
    let signature = hex::decode(headers["x-manifest-signature"].to_str().unwrap()).unwrap();
    assert_eq!(signature.len(), 64);
    let bytes = response.bytes().await.unwrap();
    assert_eq!(BlobId::of(&bytes).as_str(), manifest_sha256);

    // Exactly what a device does with it.
    let keys = [key];
    let policy =
        TrustPolicy { keys: &keys, channel: "wtc-booths", trusted: None, now: jiff::Timestamp::now() };
    let verified = verify_manifest(&bytes, &signature, &policy).unwrap();
    assert_eq!(verified.manifest.version, 1);
    assert_eq!(verified.manifest.channel, "wtc-booths");
    assert_eq!(verified.manifest.content, manifest.content);
    assert_eq!(bytes, verified.manifest.encode(), "the manifest is stored in its canonical encoding");

    // Not modified.
    let response = server
        .client
        .get(server.url("/v1/channels/wtc-booths/manifest"))
        .bearer_auth(&token)
        .header("if-none-match", format!("\"{manifest_sha256}\""))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert!(response.bytes().await.unwrap().is_empty());

    // Blobs, whole and by range.
    let (film_id, film) = blobs.iter().find(|(_, bytes)| bytes.as_slice() == support::FILM).unwrap();
    let blob_url = server.url(&format!("/v1/blobs/{film_id}"));
    let response = server.client.get(&blob_url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "video/mp4");
    assert_eq!(headers["etag"].to_str().unwrap(), format!("\"{film_id}\""));
    assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(headers["accept-ranges"], "bytes");
    assert_eq!(response.bytes().await.unwrap().as_ref(), film.as_slice());

    let response =
        server.client.get(&blob_url).bearer_auth(&token).header("range", "bytes=1000-").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(response.bytes().await.unwrap().as_ref(), &film[1000..]);

    let response = server
        .client
        .get(&blob_url)
        .bearer_auth(&token)
        .header("range", "bytes=4000-")
        .header("if-range", format!("\"{film_id}\""))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT, "a matching If-Range keeps the range");
    assert_eq!(response.bytes().await.unwrap().as_ref(), &film[4000..]);

    let response = server
        .client
        .get(&blob_url)
        .bearer_auth(&token)
        .header("range", "bytes=4000-")
        .header("if-range", "\"something-else\"")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "a stale If-Range gets the whole blob");
    assert_eq!(response.bytes().await.unwrap().len(), film.len());

    // Uploaded but not listed by any release: not served.
    let stray = b"not listed".to_vec();
    server.upload(&[(BlobId::of(&stray), stray.clone())]).await;
    let response = server
        .client
        .get(server.url(&format!("/v1/blobs/{}", BlobId::of(&stray))))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.json::<serde_json::Value>().await.unwrap()["error"], "no_blob");

    // A second publish gets the next version.
    let (second, _) = sample("one");
    assert_eq!(server.publish("wtc-booths", &second).await.0, 2);

    // What the admin sees.
    let info: serde_json::Value = server
        .admin(Method::GET, &format!("/v1/admin/blobs/{film_id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info, serde_json::json!({"sha256": film_id.as_str(), "size": film.len()}));
    let absent =
        server.admin(Method::GET, &format!("/v1/admin/blobs/{}", BlobId::of(b"?"))).send().await.unwrap();
    assert_eq!(absent.status(), StatusCode::NOT_FOUND);
    server.create_channel("bulletin-boards").await;
    let channels: serde_json::Value =
        server.admin(Method::GET, "/v1/admin/channels").send().await.unwrap().json().await.unwrap();
    let channels = channels["channels"].as_array().unwrap();
    assert_eq!(channels.len(), 2);
    assert_eq!(
        (&channels[0]["name"], &channels[0]["version"]),
        (&"bulletin-boards".into(), &serde_json::Value::Null)
    );
    assert_eq!((&channels[1]["name"], &channels[1]["version"]), (&"wtc-booths".into(), &2.into()));
    server.stop().await;
}

#[tokio::test]
async fn a_device_token_reads_only_its_own_channel() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    for channel in ["wtc-booths", "bulletin-boards"] {
        server.create_channel(channel).await;
    }
    let (manifest, blobs) = sample("scope");
    server.upload(&blobs).await;
    server.publish("bulletin-boards", &manifest).await;
    let booth = server.enrol("wtc-booths", "Booth").await;

    let get = |path: &str, token: Option<&str>| {
        let mut request = server.client.get(server.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let error = |response: reqwest::Response| async move {
        let status = response.status();
        (status, response.json::<serde_json::Value>().await.unwrap()["error"].as_str().unwrap().to_owned())
    };
    let wrong = get("/v1/channels/bulletin-boards/manifest", Some(&booth)).await.unwrap();
    assert_eq!(error(wrong).await, (StatusCode::FORBIDDEN, "wrong_channel".into()));
    let events = get("/v1/channels/bulletin-boards/events", Some(&booth)).await.unwrap();
    assert_eq!(error(events).await, (StatusCode::FORBIDDEN, "wrong_channel".into()));
    let none = get("/v1/channels/wtc-booths/manifest", Some(&booth)).await.unwrap();
    assert_eq!(error(none).await, (StatusCode::NOT_FOUND, "no_release".into()));
    let blob = get(&format!("/v1/blobs/{}", blobs[0].0), Some(&booth)).await.unwrap();
    assert_eq!(
        error(blob).await,
        (StatusCode::NOT_FOUND, "no_blob".into()),
        "blobs of other channels stay hidden"
    );
    for token in [None, Some("not-a-token")] {
        let response = get("/v1/channels/wtc-booths/manifest", token).await.unwrap();
        assert_eq!(error(response).await, (StatusCode::UNAUTHORIZED, "unauthorized".into()));
    }
    let admin = get("/v1/channels/bulletin-boards/manifest", Some(ADMIN)).await.unwrap();
    assert_eq!(admin.status(), StatusCode::OK, "the admin reads every channel");

    // The admin API wants the admin token, not a device's.
    for token in [None, Some(booth.as_str())] {
        let response = get("/v1/admin/devices", token).await.unwrap();
        assert_eq!(error(response).await, (StatusCode::UNAUTHORIZED, "unauthorized".into()));
    }
    server.stop().await;
}

#[tokio::test]
async fn an_enrolment_code_works_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    server.create_channel("wtc-booths").await;
    let response =
        server.admin(Method::POST, "/v1/admin/channels/wtc-booths/enrolment-codes").send().await.unwrap();
    let code = response.json::<serde_json::Value>().await.unwrap()["code"].clone();
    let enrol = || {
        server
            .client
            .post(server.url("/v1/enrol"))
            .json(&serde_json::json!({"code": code, "name": "Hall A"}))
            .send()
    };
    assert_eq!(enrol().await.unwrap().status(), StatusCode::OK);
    let again = enrol().await.unwrap();
    assert_eq!(again.status(), StatusCode::FORBIDDEN);
    assert_eq!(again.json::<serde_json::Value>().await.unwrap()["error"], "used_code");

    let response =
        server.admin(Method::POST, "/v1/admin/channels/nowhere/enrolment-codes").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn announces_the_current_release_and_each_publish_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    server.create_channel("wtc-booths").await;
    server.create_channel("bulletin-boards").await;
    let (manifest, blobs) = sample("sse");
    server.upload(&blobs).await;
    let (_, first_sha) = server.publish("wtc-booths", &manifest).await;
    let token = server.enrol("wtc-booths", "Booth").await;

    let mut events = server.open_events("wtc-booths", &token).await;
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    let mut buffer = String::new();
    let current = next_event(&mut events, &mut buffer, "release").await;
    assert_eq!(current, serde_json::json!({"version": 1, "manifest_sha256": first_sha}));

    // A publish on another channel is not announced here; one on this channel is.
    server.publish("bulletin-boards", &manifest).await;
    let (_, second_sha) = server.publish("wtc-booths", &manifest).await;
    let announced =
        tokio::time::timeout(Duration::from_secs(1), next_event(&mut events, &mut buffer, "release"))
            .await
            .expect("announced within a second");
    assert_eq!(announced, serde_json::json!({"version": 2, "manifest_sha256": second_sha}));
    drop(events);
    server.stop().await;
}

#[tokio::test]
async fn keeps_event_streams_alive_with_comments_and_closes_them_at_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = kiosk_server::Settings::new(dir.path().to_owned(), ADMIN.into());
    settings.keep_alive = Duration::from_millis(100);
    let server = support::start_with(settings).await;
    server.create_channel("wtc-booths").await;
    let mut events = server.admin(Method::GET, "/v1/channels/wtc-booths/events").send().await.unwrap();
    let chunk = tokio::time::timeout(Duration::from_secs(2), events.chunk()).await.unwrap().unwrap().unwrap();
    assert!(String::from_utf8_lossy(&chunk).starts_with(":"), "a comment line: {chunk:?}");
    tokio::time::timeout(Duration::from_secs(5), server.stop())
        .await
        .expect("shutdown does not wait on streams");
}

#[tokio::test]
async fn reports_are_durable_and_idempotent_by_event_id() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    server.create_channel("wtc-booths").await;
    let token = server.enrol("wtc-booths", "Booth 7").await;
    let report = serde_json::json!({
        "heartbeat": {"release_version": 3, "uptime_s": 120},
        "events": [
            {"id": "e-1", "kind": "play", "at": "2026-12-01T10:00:00Z", "data": {"item": "film"}},
            {"id": "e-2", "kind": "touch", "at": "2026-12-01T10:00:01Z", "data": null},
        ],
    });
    for _ in 0..2 {
        let response = server
            .client
            .post(server.url("/v1/reports"))
            .bearer_auth(&token)
            .json(&report)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.json::<serde_json::Value>().await.unwrap(), serde_json::json!({"accepted": 2}));
    }
    // Committed before the answer: another connection sees them at once.
    let events = support::get(&server, "/v1/admin/events").await;
    assert_eq!(events["events"].as_array().unwrap().len(), 2, "a repeated report counts once");

    let devices: serde_json::Value =
        server.admin(Method::GET, "/v1/admin/devices").send().await.unwrap().json().await.unwrap();
    let device = &devices["devices"][0];
    assert_eq!(device["name"], "Booth 7");
    assert_eq!(device["channel"], "wtc-booths");
    assert_eq!(device["heartbeat"]["release_version"], 3);
    assert!(device["last_heartbeat_at"].is_string());
    if !support::embedded_only("the database file is read") {
        let conn = rusqlite::Connection::open(dir.path().join("server.sqlite")).unwrap();
        let stored: i64 = conn.query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0)).unwrap();
        assert_eq!(stored, 2, "a repeated report counts once");
        let token_hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(token.as_bytes()));
        let stored_hash: String =
            conn.query_row("SELECT token_sha256 FROM devices", [], |r| r.get(0)).unwrap();
        assert_eq!(stored_hash, token_hash, "only the token's hash is stored");
    }
    server.stop().await;
}

#[tokio::test]
async fn accepts_blobs_larger_than_any_json_body() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let big: Vec<u8> = (0..9 * 1024 * 1024).map(|i: u32| (i % 251) as u8).collect();
    let id = BlobId::of(&big);
    server.upload(&[(id.clone(), big.clone())]).await;
    let info = support::get(&server, &format!("/v1/admin/blobs/{id}")).await;
    assert_eq!(info["size"], big.len());
    if !support::embedded_only("the blob's file is read") {
        assert_eq!(std::fs::read(dir.path().join("blobs").join(id.as_str())).unwrap(), big);
    }
    server.stop().await;
}

#[tokio::test]
async fn concurrent_publishes_get_distinct_versions() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    server.create_channel("wtc-booths").await;
    let (manifest, blobs) = sample("race");
    server.upload(&blobs).await;
    let publishes = (0..5).map(|_| server.publish("wtc-booths", &manifest));
    let mut versions: Vec<u64> =
        futures_util::future::join_all(publishes).await.into_iter().map(|(version, _)| version).collect();
    versions.sort();
    assert_eq!(versions, [1, 2, 3, 4, 5]);
    server.stop().await;
}

#[tokio::test]
async fn films_are_probed_before_publishing_and_an_undecodable_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    server.create_channel("wtc-booths").await;
    let (manifest, blobs) = sample("probe");
    server.upload(&blobs).await;
    server.publish("wtc-booths", &manifest).await;
    let published = server.admin(Method::GET, "/v1/channels/wtc-booths/manifest").send().await.unwrap();
    let published = Manifest::decode(&published.bytes().await.unwrap()).unwrap();
    let film = published.blobs.iter().find(|b| b.media_type == MediaType::Mp4).unwrap();
    let probe = film.probe.as_ref().expect("the server records what it probed");
    assert_eq!((probe.duration_ms, probe.width, probe.height), (Some(1000), Some(96), Some(54)));

    // Bytes that only claim to be a film.
    let fake: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let fake_id = BlobId::of(&fake);
    server.upload(&[(fake_id.clone(), fake.clone())]).await;
    let mut broken = manifest.clone();
    let slot = broken.blobs.iter_mut().find(|b| b.media_type == MediaType::Mp4).unwrap();
    let old_id = std::mem::replace(&mut slot.sha256, fake_id.clone());
    slot.size = fake.len() as u64;
    slot.probe = None;
    let text = serde_json::to_string(&broken.content).unwrap().replace(old_id.as_str(), fake_id.as_str());
    broken.content = serde_json::from_str(&text).unwrap();
    let response = server
        .admin(Method::POST, "/v1/admin/channels/wtc-booths/releases")
        .json(&broken)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "undecodable_media", "{body}");
    assert!(body["message"].as_str().unwrap().contains(fake_id.as_str()), "{body}");
    let channels: serde_json::Value =
        server.admin(Method::GET, "/v1/admin/channels").send().await.unwrap().json().await.unwrap();
    assert_eq!(channels["channels"][0]["version"], 1, "nothing was published");
    server.stop().await;
}
