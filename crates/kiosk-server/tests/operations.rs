//! What WTC staff do once screens run: list and roll back releases, raise and
//! withdraw an emergency message, and read what screens reported. Real HTTP on
//! 127.0.0.1.

mod support;

use std::time::Duration;

use jiff::Timestamp;
use kiosk_core::emergency::verify_emergency;
use kiosk_core::manifest::Manifest;
use reqwest::{Method, StatusCode};
use support::{next_event, sample, start};

async fn json(request: reqwest::RequestBuilder) -> (StatusCode, serde_json::Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn a_rollback_publishes_the_old_content_as_the_newest_version() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    server.create_channel("wtc-booths").await;
    let (first, first_blobs) = sample("spring");
    let (second, second_blobs) = sample("autumn");
    server.upload(&first_blobs).await;
    server.upload(&second_blobs).await;
    server.publish("wtc-booths", &first).await;
    server.publish("wtc-booths", &second).await;

    let (status, body) = json(
        server
            .admin(Method::POST, "/v1/admin/channels/wtc-booths/rollback")
            .json(&serde_json::json!({"to_version": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["version"], 3);

    let manifest = server.admin(Method::GET, "/v1/channels/wtc-booths/manifest").send().await.unwrap();
    let current = Manifest::decode(&manifest.bytes().await.unwrap()).unwrap();
    assert_eq!(current.version, 3);
    assert_eq!(current.content, first.content, "version 3 shows what version 1 showed");

    let (status, listed) = json(server.admin(Method::GET, "/v1/admin/channels/wtc-booths/releases")).await;
    assert_eq!(status, StatusCode::OK);
    let versions: Vec<u64> =
        listed["releases"].as_array().unwrap().iter().map(|r| r["version"].as_u64().unwrap()).collect();
    assert_eq!(versions, [3, 2, 1]);
    assert_eq!(listed["releases"][0]["blobs"], 4);

    let (status, body) = json(
        server
            .admin(Method::POST, "/v1/admin/channels/wtc-booths/rollback")
            .json(&serde_json::json!({"to_version": 9})),
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::NOT_FOUND, Some("no_release")));
    let (status, body) = json(
        server
            .admin(Method::POST, "/v1/admin/channels/wtc-booths/rollback")
            .json(&serde_json::json!({"version": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = json(
        server
            .client
            .post(server.url("/v1/admin/channels/wtc-booths/rollback"))
            .json(&serde_json::json!({"to_version": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = json(server.admin(Method::GET, "/v1/admin/channels/nowhere/releases")).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::NOT_FOUND, Some("no_channel")));
    server.stop().await;
}

#[tokio::test]
async fn an_emergency_message_reaches_the_channel_s_streams_signed_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    server.create_channel("bulletin-boards").await;
    server.create_channel("wtc-booths").await;
    let key = server.emergency_key().await;
    let release_key = server.public_key().await;
    assert_ne!(key, release_key, "emergency messages have a key of their own");
    let token = server.enrol("bulletin-boards", "Hall A").await;
    let stream = |channel: &str| {
        server.client.get(server.url(&format!("/v1/channels/{channel}/events"))).bearer_auth(&token).send()
    };
    let mut events = stream("bulletin-boards").await.unwrap();
    let mut buffer = String::new();

    let raise = serde_json::json!({"text": {"vi": "Vui lòng rời hội trường", "en": "Please leave the hall"}, "minutes": 30});
    let (status, issued) =
        json(server.admin(Method::POST, "/v1/admin/channels/bulletin-boards/emergency").json(&raise)).await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    let announced =
        tokio::time::timeout(Duration::from_secs(1), next_event(&mut events, &mut buffer, "emergency"))
            .await
            .expect("announced within a second");
    let signature = hex::decode(announced["signature"].as_str().unwrap()).unwrap();
    let message = announced["message"].as_str().unwrap().as_bytes();
    let by_release_key = verify_emergency(message, &signature, &[release_key], "bulletin-boards", None);
    assert_eq!(by_release_key.unwrap_err().code(), "bad-signature", "not signed with the release key");
    let verified = verify_emergency(message, &signature, &[key], "bulletin-boards", None).unwrap();
    assert_eq!(verified.text["en"], "Please leave the hall");
    assert!(verified.is_showing(Timestamp::now()));
    assert_eq!(verified.expires_at.to_string(), issued["expires_at"].as_str().unwrap());

    // A screen that connects now is told at once; one that polls reads the same bytes.
    let mut late = stream("bulletin-boards").await.unwrap();
    let mut late_buffer = String::new();
    let told = next_event(&mut late, &mut late_buffer, "emergency").await;
    assert_eq!(told, announced);
    let polled = server
        .client
        .get(server.url("/v1/channels/bulletin-boards/emergency"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(polled.status(), StatusCode::OK);
    assert_eq!(polled.headers()["x-message-signature"].to_str().unwrap(), announced["signature"]);
    assert_eq!(polled.bytes().await.unwrap().as_ref(), message);

    // Withdrawn: a signed message without text, newer than the first.
    let (status, _) =
        json(server.admin(Method::DELETE, "/v1/admin/channels/bulletin-boards/emergency")).await;
    assert_eq!(status, StatusCode::OK);
    let withdrawn = next_event(&mut events, &mut buffer, "emergency").await;
    let signature = hex::decode(withdrawn["signature"].as_str().unwrap()).unwrap();
    let withdrawal = verify_emergency(
        withdrawn["message"].as_str().unwrap().as_bytes(),
        &signature,
        &[key],
        "bulletin-boards",
        Some(verified.issued_at),
    )
    .unwrap();
    assert!(withdrawal.is_withdrawal());
    assert!(withdrawal.issued_at > verified.issued_at);

    // A screen that was away when it was withdrawn learns it on reconnecting.
    let mut back = stream("bulletin-boards").await.unwrap();
    let mut back_buffer = String::new();
    assert_eq!(next_event(&mut back, &mut back_buffer, "emergency").await, withdrawn);

    // Bad requests, other channels, no token.
    for (body, why) in [
        (serde_json::json!({"text": {}, "minutes": 30}), "at least one language"),
        (serde_json::json!({"text": {"en": "x"}, "minutes": 0}), "minutes"),
        (serde_json::json!({"text": {"en": "x"}, "minutes": 30, "colour": "red"}), "unknown field"),
    ] {
        let (status, answer) =
            json(server.admin(Method::POST, "/v1/admin/channels/bulletin-boards/emergency").json(&body))
                .await;
        assert!(status.is_client_error(), "{status} {answer}");
        assert!(answer["message"].as_str().unwrap().contains(why), "{answer}");
    }
    let (status, _) = json(
        server
            .client
            .post(server.url("/v1/admin/channels/bulletin-boards/emergency"))
            .bearer_auth(&token)
            .json(&raise),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a device token raises nothing");
    let (status, body) =
        json(server.client.get(server.url("/v1/channels/wtc-booths/emergency")).bearer_auth(&token)).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::FORBIDDEN, Some("wrong_channel")));
    let (status, body) = json(server.admin(Method::GET, "/v1/channels/wtc-booths/emergency")).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::NOT_FOUND, Some("no_emergency")));
    drop((events, late, back));
    server.stop().await;
}

#[tokio::test]
async fn reported_events_can_be_queried_by_device_kind_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    server.create_channel("wtc-booths").await;
    let booth = server.enrol("wtc-booths", "Booth 1").await;
    let other = server.enrol("wtc-booths", "Booth 2").await;
    let report = |token: &str, events: serde_json::Value| {
        server
            .client
            .post(server.url("/v1/reports"))
            .bearer_auth(token)
            .json(&serde_json::json!({"events": events}))
            .send()
    };
    let event = |id: &str, kind: &str, at: &str| serde_json::json!({"id": id, "kind": kind, "at": at, "data": {"n": id}});
    report(
        &booth,
        serde_json::json!([
            event("a", "touch", "2026-12-01T09:59:59.900Z"),
            event("b", "touch", "2026-12-01T10:00:00Z"),
            event("c", "item_start", "2026-12-01T10:00:00.5Z"),
            event("d", "touch", "2026-12-01T17:00:01+07:00"),
        ]),
    )
    .await
    .unwrap();
    report(&other, serde_json::json!([event("e", "touch", "2026-12-01T10:00:02Z")])).await.unwrap();

    let ids = |body: &serde_json::Value| -> Vec<String> {
        body["events"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect()
    };
    let (status, all) = json(server.admin(Method::GET, "/v1/admin/events")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&all), ["a", "b", "c", "d", "e"], "oldest first, across time zones and precisions");
    assert_eq!(all["events"][0]["data"], serde_json::json!({"n": "a"}));

    let (_, body) =
        json(server.admin(Method::GET, "/v1/admin/events?kind=touch&since=2026-12-01T10:00:00Z&limit=2"))
            .await;
    assert_eq!(ids(&body), ["b", "d"]);
    let device = all["events"][4]["device_id"].as_str().unwrap().to_owned();
    let (_, body) = json(server.admin(Method::GET, &format!("/v1/admin/events?device={device}"))).await;
    assert_eq!(ids(&body), ["e"]);
    let (_, body) = json(server.admin(Method::GET, "/v1/admin/events?until=2026-12-01T10:00:00.5Z")).await;
    assert_eq!(ids(&body), ["a", "b"]);

    for query in ["since=yesterday", "limit=-1", "colour=red"] {
        let (status, body) = json(server.admin(Method::GET, &format!("/v1/admin/events?{query}"))).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_query")),
            "{query}"
        );
    }
    let (status, _) = json(server.client.get(server.url("/v1/admin/events")).bearer_auth(&booth)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    server.stop().await;
}
