//! Every time the server stamps comes from the clock in its settings: set to a
//! known instant, it is what the admin API and the stored records show. Real
//! HTTP on 127.0.0.1.

mod support;

use jiff::{SignedDuration, Timestamp};
use kiosk_core::manifest::Manifest;
use kiosk_server::db::sortable_time;
use kiosk_server::{Clock, Settings};
use reqwest::{Method, StatusCode};
use support::{ADMIN, sample, start_with};

async fn json(request: reqwest::RequestBuilder) -> (StatusCode, serde_json::Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn releases_reports_and_emergency_messages_are_stamped_by_the_server_s_clock() {
    let start: Timestamp = "2031-05-06T07:08:09.123Z".parse().unwrap();
    let clock = Clock::fixed(start);
    let dir = tempfile::tempdir().unwrap();
    let server =
        start_with(Settings::new(dir.path().to_owned(), ADMIN.into()).with_clock(clock.clone())).await;
    server.create_channel("wtc-booths").await;
    let (manifest, blobs) = sample("clock");
    server.upload(&blobs).await;

    // A release: its manifest's `created_at` and the listing's `published_at`.
    server.publish("wtc-booths", &manifest).await;
    let (status, listed) = json(server.admin(Method::GET, "/v1/admin/channels/wtc-booths/releases")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed["releases"][0]["published_at"], sortable_time(start));
    let bytes = server.admin(Method::GET, "/v1/channels/wtc-booths/manifest").send().await.unwrap();
    assert_eq!(Manifest::decode(&bytes.bytes().await.unwrap()).unwrap().created_at, start);

    // A report a minute later: when the device enrolled, and when its heartbeat and events came.
    let token = server.enrol("wtc-booths", "Booth 1").await;
    clock.advance(SignedDuration::from_mins(1));
    let received = start + SignedDuration::from_mins(1);
    let report = serde_json::json!({
        "heartbeat": {"release_version": 1},
        "events": [{"id": "e-1", "kind": "touch", "at": "2026-12-01T10:00:00Z", "data": {}}],
    });
    let response =
        server.client.post(server.url("/v1/reports")).bearer_auth(&token).json(&report).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let (_, events) = json(server.admin(Method::GET, "/v1/admin/events")).await;
    assert_eq!(events["events"][0]["received_at"], sortable_time(received));
    assert_eq!(events["events"][0]["at"], "2026-12-01T10:00:00.000000000Z", "the device's own time");
    let (_, devices) = json(server.admin(Method::GET, "/v1/admin/devices")).await;
    assert_eq!(devices["devices"][0]["enrolled_at"], sortable_time(start));
    assert_eq!(devices["devices"][0]["last_heartbeat_at"], sortable_time(received));

    // An emergency message is issued now by this clock, and never before the last one.
    let raise = serde_json::json!({"text": {"en": "Please leave the hall"}, "minutes": 30});
    let path = "/v1/admin/channels/wtc-booths/emergency";
    let (status, issued) = json(server.admin(Method::POST, path).json(&raise)).await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    assert_eq!(issued["issued_at"], received.to_string());
    assert_eq!(issued["expires_at"], (received + SignedDuration::from_mins(30)).to_string());
    clock.set(start - SignedDuration::from_hours(1));
    let (_, withdrawn) = json(server.admin(Method::DELETE, path)).await;
    let after = received + SignedDuration::from_millis(1);
    assert_eq!(withdrawn["issued_at"], after.to_string(), "a clock that stepped back does not go back");
    server.stop().await;
}
