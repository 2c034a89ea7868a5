//! A data folder made by an older server starts on this one: both shapes of
//! schema version 3 (migration 3 as it landed, and the edited form some installs
//! ran) upgrade to today's, and the probes that decoded are served from it.

mod support;

use kiosk_core::blob::{BlobId, MediaProbe, MediaType};
use kiosk_core::manifest::Manifest;
use kiosk_server::sqlite::MIGRATIONS;
use kiosk_server::state::DB_FILE;
use reqwest::Method;
use rusqlite::{Connection, params};
use support::{FILM, sample, start};

/// Migration 3 as an edited form of it made version 3 on some installs.
const EDITED_MIGRATION_3: &str = "CREATE TABLE blob_probes (
    sha256 TEXT NOT NULL,
    decoder TEXT NOT NULL,
    probe TEXT NOT NULL,
    PRIMARY KEY (sha256, decoder)
);";

/// What the cache says of the test film: not what probing it finds (1000 ms), so
/// that a manifest showing it was served from the cache.
fn cached_probe() -> MediaProbe {
    MediaProbe { duration_ms: Some(4321), width: Some(96), height: Some(54), has_audio: false }
}

/// A data folder whose database is at version 3, made by migrations 1, 2 and
/// `third`, holding a probe of the test film that decoded and, when `third` keeps
/// failures, a failure.
fn version_3(dir: &std::path::Path, third: &str) {
    let conn = Connection::open(dir.join(DB_FILE)).unwrap();
    for sql in [MIGRATIONS[0], MIGRATIONS[1], third] {
        conn.execute_batch(sql).unwrap();
    }
    let decoder = kiosk_media::decoder_version();
    let probe = serde_json::to_string(&cached_probe()).unwrap();
    let film = BlobId::of(FILM).to_string();
    if third.contains("error TEXT") {
        let insert = "INSERT INTO blob_probes (sha256, decoder, probe, error) VALUES (?1, ?2, ?3, ?4)";
        conn.execute(insert, params![film, decoder, probe, None::<String>]).unwrap();
        let failed = BlobId::of(b"a film no decoder plays").to_string();
        conn.execute(insert, params![failed, decoder, None::<String>, "no decoder"]).unwrap();
    } else {
        let insert = "INSERT INTO blob_probes (sha256, decoder, probe) VALUES (?1, ?2, ?3)";
        conn.execute(insert, params![film, decoder, probe]).unwrap();
    }
    conn.pragma_update(None, "user_version", 3).unwrap();
}

#[tokio::test]
async fn both_shapes_of_version_3_upgrade_and_serve_their_decoded_probes() {
    assert!(MIGRATIONS[2].contains("error TEXT"), "migration 3 is as it landed");
    for third in [MIGRATIONS[2], EDITED_MIGRATION_3] {
        let dir = tempfile::tempdir().unwrap();
        version_3(dir.path(), third);
        let server = start(dir.path()).await;
        server.create_channel("wtc-booths").await;
        let (manifest, blobs) = sample("migrated");
        server.upload(&blobs).await;
        server.publish("wtc-booths", &manifest).await;
        let published = server.admin(Method::GET, "/v1/channels/wtc-booths/manifest").send().await.unwrap();
        let published = Manifest::decode(&published.bytes().await.unwrap()).unwrap();
        let film = published.blobs.iter().find(|b| b.media_type == MediaType::Mp4).unwrap();
        assert_eq!(film.probe, Some(cached_probe()), "served from the migrated cache: {third}");
        server.stop().await;

        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, MIGRATIONS.len());
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info('blob_probes')")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(columns, ["sha256", "decoder", "probe"], "{third}");
        let probes: Vec<String> = conn
            .prepare("SELECT sha256 FROM blob_probes")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(probes, [BlobId::of(FILM).to_string()], "only the probe that decoded is kept: {third}");
    }
}

/// A database at version 9 holding a device, its event and an unused enrolment
/// code, made by migrations 1 to 9.
fn version_9(dir: &std::path::Path) {
    let conn = Connection::open(dir.join(DB_FILE)).unwrap();
    for sql in &MIGRATIONS[..9] {
        conn.execute_batch(sql).unwrap();
    }
    let at = "2026-11-01T08:00:00.000000000Z";
    conn.execute("INSERT INTO channels (name, created_at) VALUES ('wtc-booths', ?1)", [at]).unwrap();
    conn.execute(
        "INSERT INTO devices (id, name, channel, token_sha256, enrolled_at) VALUES ('old', 'Booth 1', 'wtc-booths', ?1, ?2)",
        params![kiosk_server::auth::token_hash("old-token"), at],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO events (id, device_id, kind, at, data, received_at, counted_at)
             VALUES ('e-1', 'old', 'touch', ?1, '{}', ?1, ?1)",
        [at],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO enrolment_codes (code_sha256, channel, created_at) VALUES (?1, 'wtc-booths', ?2)",
        params![kiosk_server::auth::token_hash("old-code"), at],
    )
    .unwrap();
    conn.pragma_update(None, "user_version", 9).unwrap();
}

#[tokio::test]
async fn version_9_upgrades_to_tokens_that_expire_and_event_ids_per_device() {
    let dir = tempfile::tempdir().unwrap();
    version_9(dir.path());
    let clock = kiosk_server::Clock::fixed("2026-12-01T08:00:00Z".parse().unwrap());
    let settings =
        kiosk_server::Settings::new(dir.path().to_owned(), support::ADMIN.into()).with_clock(clock);
    let server = support::start_with(settings).await;

    // The old token works, and expires a year after it is first seen.
    let touch = serde_json::json!({"events": [{"id": "e-1", "kind": "touch", "at": "2026-12-01T07:00:00Z", "data": {}}]});
    let report =
        |token: &str| server.client.post(server.url("/v1/reports")).bearer_auth(token).json(&touch).send();
    assert_eq!(report("old-token").await.unwrap().status(), 200);
    let devices = support::get(&server, "/v1/admin/devices").await;
    assert_eq!(devices["devices"][0]["token_expires_at"], "2027-12-01T08:00:00.000000000Z");

    // The old event is kept, the old device's repeat is not stored again, and
    // a new device's event of the same id is its own.
    let code =
        server.admin(Method::POST, "/v1/admin/channels/wtc-booths/enrolment-codes").send().await.unwrap();
    let code: serde_json::Value = code.json().await.unwrap();
    let enrolled: serde_json::Value = server
        .client
        .post(server.url("/v1/enrol"))
        .json(&serde_json::json!({"code": code["code"], "name": "Booth 2"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(report(enrolled["token"].as_str().unwrap()).await.unwrap().status(), 200);
    let events = support::get(&server, "/v1/admin/events").await;
    let events = events["events"].as_array().unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0]["at"], "2026-11-01T08:00:00.000000000Z", "the old event, kept");
    assert!(events.iter().all(|e| e["id"] == "e-1"));

    // A code made before codes expired is refused as expired.
    let old = server
        .client
        .post(server.url("/v1/enrol"))
        .json(&serde_json::json!({"code": "old-code", "name": "Booth 3"}))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 403);
    assert_eq!(old.json::<serde_json::Value>().await.unwrap()["error"], "expired_code");
    server.stop().await;
}
