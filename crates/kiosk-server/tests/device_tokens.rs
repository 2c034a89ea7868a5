//! A device token's life and the limits around it, over real HTTP on
//! 127.0.0.1: revocation (every device route refuses the token at once, its
//! event streams end), expiry by the server's clock and renewal, enrolment
//! codes that expire and work once, enrolment tries limited per address, event
//! ids that are each device's own, and the event streams one device may hold.

mod support;

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use kiosk_server::{Clock, Settings};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{ADMIN, TestServer, get, next_event, sample, start_with};

/// A server telling time by a fixed clock at `start`, with `tune` applied to its settings.
async fn server_at(
    dir: &std::path::Path,
    start: &str,
    tune: impl FnOnce(&mut Settings),
) -> (TestServer, Clock) {
    let clock = Clock::fixed(start.parse().unwrap());
    let mut settings = Settings::new(dir.to_owned(), ADMIN.into()).with_clock(clock.clone());
    tune(&mut settings);
    (start_with(settings).await, clock)
}

/// A channel with a published release; answers the manifest's blobs' names.
async fn channel_with_release(server: &TestServer, channel: &str) -> Vec<String> {
    server.create_channel(channel).await;
    let (manifest, blobs) = sample(channel);
    server.upload(&blobs).await;
    server.publish(channel, &manifest).await;
    blobs.iter().map(|(id, _)| id.to_string()).collect()
}

/// A new enrolment code for `channel`.
async fn code(server: &TestServer, channel: &str) -> Value {
    let path = format!("/v1/admin/channels/{channel}/enrolment-codes");
    let response = server.admin(Method::POST, &path).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

/// `POST /v1/enrol` with `code`: the status and the JSON answer.
async fn enrol_with(server: &TestServer, code: &str) -> (StatusCode, Value) {
    let body = json!({"code": code, "name": "Gian hàng Tokyo"});
    let response = server.client.post(server.url("/v1/enrol")).json(&body).send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

/// The status and error code of `request` sent with `token`.
async fn answer(request: reqwest::RequestBuilder, token: &str) -> (StatusCode, String) {
    let response = request.bearer_auth(token).send().await.unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    (status, body["error"].as_str().unwrap_or_default().to_owned())
}

/// Every device route, asked with `token`: `(route, status, error code)`.
async fn every_device_route(
    server: &TestServer,
    token: &str,
    blob: &str,
) -> Vec<(String, StatusCode, String)> {
    let c = &server.client;
    let report = json!({"events": []});
    let png = vec![0x89, b'P', b'N', b'G'];
    let requests = [
        ("manifest", c.get(server.url("/v1/channels/wtc-booths/manifest"))),
        ("blob", c.get(server.url(&format!("/v1/blobs/{blob}")))),
        ("events", c.get(server.url("/v1/channels/wtc-booths/events"))),
        ("emergency", c.get(server.url("/v1/channels/wtc-booths/emergency"))),
        ("reports", c.post(server.url("/v1/reports")).json(&report)),
        (
            "screenshot",
            c.put(server.url("/v1/screenshots/scheduled"))
                .header("content-type", "image/png")
                .header("x-taken-at", "2026-12-01T10:00:00Z")
                .body(png),
        ),
        ("renew", c.post(server.url("/v1/token/renew"))),
    ];
    let mut answers = Vec::new();
    for (route, request) in requests {
        let (status, code) = answer(request, token).await;
        answers.push((route.to_owned(), status, code));
    }
    answers
}

#[tokio::test]
async fn a_revoked_token_is_refused_everywhere_at_once_and_its_stream_ends() {
    let dir = tempfile::tempdir().unwrap();
    let server = support::start(dir.path()).await;
    let blobs = channel_with_release(&server, "wtc-booths").await;
    let token = server.enrol("wtc-booths", "Gian hàng Tokyo").await;
    let devices = get(&server, "/v1/admin/devices").await;
    let id = devices["devices"][0]["id"].as_str().unwrap().to_owned();

    // The token works, and is remembered by the server's memo.
    let manifest = || server.client.get(server.url("/v1/channels/wtc-booths/manifest"));
    assert_eq!(answer(manifest(), &token).await.0, StatusCode::OK);
    let mut stream = server.open_events("wtc-booths", &token).await;
    next_event(&mut stream, &mut String::new(), "release").await;

    // Only an admin revokes.
    let response = server
        .admin(Method::POST, "/v1/admin/tokens")
        .json(&json!({"name": "viewer", "roles": [{"channel": "*", "role": "approver"}]}))
        .send()
        .await
        .unwrap();
    let scoped: Value = response.json().await.unwrap();
    let path = format!("/v1/admin/devices/{id}/revoke");
    let refused = server.client.post(server.url(&path)).bearer_auth(scoped["secret"].as_str().unwrap());
    assert_eq!(refused.send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let missing = server.admin(Method::POST, "/v1/admin/devices/no-such-screen/revoke").send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    let response = server.admin(Method::POST, &path).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let revoked: Value = response.json().await.unwrap();
    assert_eq!(
        (revoked["id"].as_str(), revoked["name"].as_str()),
        (Some(id.as_str()), Some("Gian hàng Tokyo"))
    );

    // Its open stream ends.
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        while let Ok(Some(_)) = stream.chunk().await {}
    })
    .await;
    assert!(ended.is_ok(), "the revoked device's event stream is closed");

    // Every device route refuses it, though it was remembered.
    for (route, status, code) in every_device_route(&server, &token, &blobs[0]).await {
        assert_eq!((status, code.as_str()), (StatusCode::UNAUTHORIZED, "token_revoked"), "{route}");
    }

    // Asking again changes nothing; the console sees it, and the audit log says who.
    let again: Value = server.admin(Method::POST, &path).send().await.unwrap().json().await.unwrap();
    assert_eq!(again["revoked_at"], revoked["revoked_at"]);
    let fleet = get(&server, "/v1/admin/fleet").await;
    assert_eq!(fleet["screens"][0]["token_revoked_at"], revoked["revoked_at"]);
    let devices = get(&server, "/v1/admin/devices").await;
    assert_eq!(devices["devices"][0]["token_revoked_at"], revoked["revoked_at"]);
    let audit = get(&server, "/v1/admin/audit").await;
    let revocations: Vec<&Value> =
        audit["entries"].as_array().unwrap().iter().filter(|e| e["action"] == "device.revoke").collect();
    assert_eq!(revocations.len(), 1, "{audit}");
    assert_eq!(revocations[0]["actor"], "admin-token");
    assert_eq!(revocations[0]["channel"], "wtc-booths");
    assert!(revocations[0]["detail"].as_str().unwrap().contains("Gian hàng Tokyo"));

    // A new code gives the screen a new token that works.
    let new_token = server.enrol("wtc-booths", "Gian hàng Tokyo").await;
    assert_eq!(answer(manifest(), &new_token).await.0, StatusCode::OK);
    assert_eq!(answer(manifest(), &token).await.1, "token_revoked");
    server.stop().await;
}

#[tokio::test]
async fn tokens_expire_by_the_server_s_clock_and_renew_before_they_do() {
    let dir = tempfile::tempdir().unwrap();
    let (server, clock) = server_at(dir.path(), "2026-12-01T08:00:00Z", |_| {}).await;
    channel_with_release(&server, "wtc-booths").await;
    let first = server.enrol("wtc-booths", "Gian hàng Tokyo").await;
    let devices = get(&server, "/v1/admin/devices").await;
    assert_eq!(devices["devices"][0]["token_expires_at"], "2027-12-01T08:00:00.000000000Z", "365 days");
    let manifest = || server.client.get(server.url("/v1/channels/wtc-booths/manifest"));
    let renew = || server.client.post(server.url("/v1/token/renew"));

    // A day before it expires it still works, and renews.
    clock.advance(SignedDuration::from_hours(364 * 24));
    assert_eq!(answer(manifest(), &first).await.0, StatusCode::OK);
    let response = renew().bearer_auth(&first).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let renewed: Value = response.json().await.unwrap();
    let second = renewed["token"].as_str().unwrap().to_owned();
    let expires: Timestamp = renewed["expires_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(expires, clock.now() + SignedDuration::from_hours(365 * 24));
    assert_ne!(second, first);
    for file in ["server.sqlite", "server.sqlite-wal"] {
        let stored = std::fs::read(dir.path().join(file)).unwrap_or_default();
        assert!(!stored.windows(second.len()).any(|w| w == second.as_bytes()), "{file} keeps only its hash");
    }

    // The old token stops at once (within a second on other replicas); it may
    // only ask again (an answer lost on the way).
    let replaced = support::settles((StatusCode::UNAUTHORIZED, "token_replaced".to_owned()), || {
        answer(manifest(), &first)
    })
    .await;
    assert_eq!(replaced, (StatusCode::UNAUTHORIZED, "token_replaced".into()));
    let again: Value = renew().bearer_auth(&first).send().await.unwrap().json().await.unwrap();
    let third = again["token"].as_str().unwrap().to_owned();
    assert_eq!(answer(manifest(), &second).await.0, StatusCode::UNAUTHORIZED, "the lost answer's token");
    assert_eq!(answer(manifest(), &third).await.0, StatusCode::OK);
    assert_eq!(
        answer(renew(), &first).await,
        (StatusCode::UNAUTHORIZED, "unauthorized".into()),
        "once the new token is used, the old one is gone"
    );

    // Past its expiry, the token is refused with a message that says so; it no longer renews.
    clock.advance(SignedDuration::from_hours(365 * 24));
    let response = manifest().bearer_auth(&third).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let refusal: Value = response.json().await.unwrap();
    assert_eq!(refusal["error"], "token_expired");
    assert!(refusal["message"].as_str().unwrap().contains("expired at 2028-11-29T08:00:00"), "{refusal}");
    assert_eq!(answer(renew(), &third).await, (StatusCode::UNAUTHORIZED, "token_expired".into()));
    server.stop().await;
}

#[tokio::test]
async fn enrolment_codes_expire_and_work_once() {
    let dir = tempfile::tempdir().unwrap();
    let (server, clock) = server_at(dir.path(), "2026-12-01T08:00:00Z", |_| {}).await;
    server.create_channel("wtc-booths").await;
    let stale = code(&server, "wtc-booths").await;
    assert_eq!(stale["expires_at"], "2026-12-02T08:00:00.000000000Z", "24 hours");
    let fresh = code(&server, "wtc-booths").await;

    clock.advance(SignedDuration::from_hours(24));
    let (status, body) = enrol_with(&server, stale["code"].as_str().unwrap()).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::FORBIDDEN, Some("expired_code")));
    assert!(body["message"].as_str().unwrap().contains("ask an admin for a new one"), "{body}");

    clock.set("2026-12-01T20:00:00Z".parse().unwrap());
    let (status, body) = enrol_with(&server, fresh["code"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = enrol_with(&server, fresh["code"].as_str().unwrap()).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::FORBIDDEN, Some("used_code")));
    assert!(body["message"].as_str().unwrap().contains("was used at 2026-12-01T20:00:00"), "{body}");
    let (status, body) = enrol_with(&server, "0123456789abcdef0123").await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::FORBIDDEN, Some("invalid_code")));
    server.stop().await;
}

#[tokio::test]
async fn enrolment_tries_are_limited_per_address() {
    if support::embedded_only("each replica counts its own tries; HAProxy limits them per client") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (server, clock) = server_at(dir.path(), "2026-12-01T08:00:00Z", |_| {}).await;
    server.create_channel("wtc-booths").await;
    let right = code(&server, "wtc-booths").await;
    for guess in 0..10 {
        let (status, _) = enrol_with(&server, &format!("guess-{guess}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "try {guess}");
    }
    clock.advance(SignedDuration::from_secs(15));
    let response = server
        .client
        .post(server.url("/v1/enrol"))
        .json(&json!({"code": right["code"], "name": "Gian hàng Tokyo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "45");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "too_many_attempts");
    assert!(body["message"].as_str().unwrap().contains("try again in 45 s"), "{body}");

    // Another address is not held up.
    let neighbour = reqwest::Client::builder().local_address("127.0.0.2".parse().ok()).build().unwrap();
    let response = neighbour
        .post(server.url("/v1/enrol"))
        .json(&json!({"code": "guess-from-elsewhere", "name": "Sảnh WTC"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "counted apart");

    // A minute after the first try, the right code works (it was not spent by the refusal).
    clock.advance(SignedDuration::from_secs(45));
    let (status, body) = enrol_with(&server, right["code"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    server.stop().await;
}

#[tokio::test]
async fn event_ids_are_each_device_s_own() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _) = server_at(dir.path(), "2026-03-10T06:00:00Z", |_| {}).await;
    server.create_channel("wtc-booths").await;
    let tokyo = server.enrol("wtc-booths", "Gian hàng Tokyo").await;
    let seoul = server.enrol("wtc-booths", "Gian hàng Seoul").await;
    let touch = json!({"events": [{"id": "e-1", "kind": "touch", "at": "2026-03-10T05:00:00Z", "data": {}}]});
    for token in [&tokyo, &seoul, &tokyo] {
        let response = server
            .client
            .post(server.url("/v1/reports"))
            .bearer_auth(token)
            .json(&touch)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    let events = get(&server, "/v1/admin/events?kind=touch").await;
    let mut senders: Vec<&str> =
        events["events"].as_array().unwrap().iter().map(|e| e["device_id"].as_str().unwrap()).collect();
    senders.sort();
    senders.dedup();
    assert_eq!(events["events"].as_array().unwrap().len(), 2, "one each, the repeat stored once: {events}");
    assert_eq!(senders.len(), 2, "{events}");
    let touches = get(&server, "/v1/admin/reports/touches?from=2026-03-10&to=2026-03-10").await;
    assert_eq!(touches["total"], 2, "{touches}");
    server.stop().await;
}

#[tokio::test]
async fn a_device_holds_at_most_four_event_streams_and_closing_one_frees_a_place() {
    if support::embedded_only("each replica counts the streams it holds") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (server, _) = server_at(dir.path(), "2026-12-01T08:00:00Z", |s| {
        s.keep_alive = Duration::from_millis(100);
    })
    .await;
    channel_with_release(&server, "wtc-booths").await;
    let token = server.enrol("wtc-booths", "Gian hàng Tokyo").await;
    let other = server.enrol("wtc-booths", "Gian hàng Seoul").await;
    let open = |token: &str| {
        server.client.get(server.url("/v1/channels/wtc-booths/events")).bearer_auth(token).send()
    };
    let mut streams = Vec::new();
    for n in 0..4 {
        let stream = open(&token).await.unwrap();
        assert_eq!(stream.status(), StatusCode::OK, "stream {n}");
        streams.push(stream);
    }
    let refused = open(&token).await.unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "too_many_streams");
    assert!(body["message"].as_str().unwrap().contains("holds 4 event streams open already"), "{body}");
    assert_eq!(open(&other).await.unwrap().status(), StatusCode::OK, "another device has its own");
    assert_eq!(
        server.admin(Method::GET, "/v1/channels/wtc-booths/events").send().await.unwrap().status(),
        StatusCode::OK,
        "the admin is not counted"
    );

    drop(streams.pop());
    let mut freed = false;
    for _ in 0..100 {
        let stream = open(&token).await.unwrap();
        if stream.status() == StatusCode::OK {
            freed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(freed, "closing a stream frees its place");
    server.stop().await;
}
