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
