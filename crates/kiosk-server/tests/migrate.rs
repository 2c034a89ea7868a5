//! `kiosk-server migrate`: an embedded installation (SQLite and `blobs/`) moved
//! into PostgreSQL and an S3 bucket by the real binary; run again it copies
//! nothing, cut short it goes on, a copy that differs is named; and the
//! screens keep syncing from the new storage with the key they pinned.

mod support;

use std::path::Path;
use std::process::Command;

use kiosk_device::library::{Library, Trust};
use kiosk_device::sync_client::{SyncClient, SyncOutcome, SyncSource};
use kiosk_server::Settings;
use reqwest::Method;
use serde_json::json;
use support::{ADMIN, sample};

const BINARY: &str = env!("CARGO_BIN_EXE_kiosk-server");

fn migrate(config: &Path, from: &Path) -> (bool, String, String) {
    let output = Command::new(BINARY)
        .arg("--config")
        .arg(config)
        .arg("migrate")
        .arg("--from")
        .arg(format!("sqlite:{}", from.display()))
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `table`'s line of the migration's table: (rows, copied now).
fn line_of(stdout: &str, table: &str) -> (u64, u64) {
    let line = stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some(table))
        .unwrap_or_else(|| panic!("{stdout}"));
    let numbers: Vec<u64> =
        line.split_whitespace().filter_map(|w| w.trim_end_matches(',').parse().ok()).collect();
    (numbers[0], numbers[1])
}

#[tokio::test(flavor = "multi_thread")]
async fn an_embedded_installation_moves_to_postgres_and_s3_and_its_screens_keep_syncing() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    // The embedded server as it ran for months: a release, a screen, its reports, staff.
    let settings = Settings::new(old.clone(), ADMIN.into());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let embedded = tokio::spawn(kiosk_server::serve(settings, listener, async {
        let _ = stopped.await;
    }));
    let server = support::TestServer::at(&base).await;
    server.create_channel("hall").await;
    let (manifest, blobs) = sample("before the move");
    server.upload(&blobs).await;
    let (version, _) = server.publish("hall", &manifest).await;
    let token = server.enrol("hall", "Hall board").await;
    let pinned = server.public_key().await;
    let trust = Trust::new(vec![pinned], "hall");
    let screen = dir.path().join("screen");
    let sync = |base: String| {
        let (screen, trust, token) = (screen.clone(), trust.clone(), token.clone());
        tokio::task::spawn_blocking(move || {
            let library = Library::open(&screen).unwrap();
            SyncClient::new(SyncSource::plain(base, Some(token))).sync_once(
                &library,
                &trust,
                jiff::Timestamp::now(),
            )
        })
    };
    assert!(matches!(sync(base.clone()).await.unwrap().unwrap(), SyncOutcome::Activated { .. }));
    let report = json!({"events": [
        {"id": "a", "kind": "language_choice", "at": "2026-12-01T10:00:00Z", "data": {"locale": "ko"}},
        {"id": "b", "kind": "chapter_view", "at": "2026-12-01T10:01:00Z", "data": {"chapter": "icf", "locale": "ko"}},
    ]});
    let response =
        server.client.post(server.url("/v1/reports")).bearer_auth(&token).json(&report).send().await.unwrap();
    assert!(response.status().is_success());
    let password = "mật khẩu của Lan";
    let response = server
        .admin(Method::POST, "/v1/admin/users")
        .json(
            &json!({"name": "lan", "password": password, "roles": [{"channel": "hall", "role": "approver"}]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body = json!({"text": {"vi": "Đóng cửa lúc 17 giờ", "en": "Closing at 5 pm"}, "minutes": 60});
    let response =
        server.admin(Method::POST, "/v1/admin/channels/hall/emergency").json(&body).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let devices = support::get(&server, "/v1/admin/devices").await;
    let device = devices["devices"][0]["id"].as_str().unwrap().to_owned();
    for _ in 0..2 {
        let asked = server
            .admin(Method::POST, &format!("/v1/admin/devices/{device}/screenshot"))
            .send()
            .await
            .unwrap();
        assert_eq!(asked.status(), 202);
    }
    let _ = stop.send(());
    embedded.await.unwrap().unwrap();

    // The new storage, named in the config the replicas will use.
    let database = kiosk_testbed::postgres::fresh_database();
    let bucket = kiosk_testbed::s3::fresh_bucket();
    std::fs::write(dir.path().join("s3-secret"), kiosk_testbed::s3::SECRET_KEY).unwrap();
    let replica_dir = dir.path().join("replica");
    let port = kiosk_testbed::free_port();
    let config = dir.path().join("server.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:{port}\"\ndata_dir = {replica_dir:?}\nadmin_token = \"{ADMIN}\"\n\
             [storage]\npostgres = \"{}\"\n[storage.s3]\nendpoint = \"{}\"\nbucket = \"{}\"\n\
             access_key_id = \"{}\"\nsecret_access_key_file = {:?}\nallow_http = true\n",
            database.url,
            bucket.endpoint,
            bucket.bucket,
            kiosk_testbed::s3::ACCESS_KEY,
            dir.path().join("s3-secret"),
        ),
    )
    .unwrap();

    let (ok, stdout, stderr) = migrate(&config, &old);
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(line_of(&stdout, "releases"), (1, 1));
    assert_eq!(line_of(&stdout, "events"), (2, 2));
    assert_eq!(line_of(&stdout, "users"), (1, 1));
    assert_eq!(line_of(&stdout, "screenshot_requests"), (2, 2));
    let order = cluster_psql(
        &database.name,
        "SELECT string_agg(seq::text, ',' ORDER BY seq) FROM screenshot_requests",
    );
    assert_eq!(order, "1,2", "requests keep the order they came in");
    assert_eq!(line_of(&stdout, "blobs"), (blobs.len() as u64, blobs.len() as u64));
    assert!(stderr.contains("copied and verified"), "{stderr}");

    // Again: nothing left to copy.
    let (ok, stdout, stderr) = migrate(&config, &old);
    assert!(ok, "{stderr}");
    assert_eq!(line_of(&stdout, "events"), (2, 0));
    assert_eq!(line_of(&stdout, "blobs"), (blobs.len() as u64, 0));

    // Cut short: rows and a blob missing from the target are copied on the next run.
    let cluster = kiosk_testbed::postgres::Cluster::shared();
    cluster.psql(&database.name, "DELETE FROM events WHERE id = 'b'").unwrap();
    let film = blobs.iter().find(|(_, bytes)| bytes == support::FILM).unwrap().0.clone();
    std::fs::remove_file(bucket.folder.join("blobs").join(film.as_str())).unwrap();
    let (ok, stdout, stderr) = migrate(&config, &old);
    assert!(ok, "{stderr}");
    assert_eq!(line_of(&stdout, "events"), (2, 1));
    assert_eq!(line_of(&stdout, "blobs"), (blobs.len() as u64, 1));

    // A copy that differs from the source is named, and the command fails.
    cluster.psql(&database.name, "UPDATE releases SET manifest_sha256 = repeat('0', 64)").unwrap();
    let (ok, _, stderr) = migrate(&config, &old);
    assert!(!ok);
    assert!(stderr.contains("release 1 of hall"), "{stderr}");
    let sha = blobs_manifest_sha(&old);
    cluster.psql(&database.name, &format!("UPDATE releases SET manifest_sha256 = '{sha}'")).unwrap();

    // A replica on the new storage, given the old folder's keys, serves the same screens.
    std::fs::create_dir_all(&replica_dir).unwrap();
    for file in ["signing.key", "signing.pub", "emergency.key", "emergency.pub"] {
        std::fs::copy(old.join(file), replica_dir.join(file)).unwrap();
    }
    let log = dir.path().join("replica.log");
    let mut command = Command::new(BINARY);
    command.arg("--config").arg(&config);
    let _replica = kiosk_testbed::process::spawn(command, &log);
    let replica = support::TestServer::at(&format!("http://127.0.0.1:{port}")).await;
    assert_eq!(replica.public_key().await, pinned);
    assert!(matches!(sync(replica.base.clone()).await.unwrap().unwrap(), SyncOutcome::UpToDate));
    let (next, next_blobs) = sample("after the move");
    replica.upload(&next_blobs).await;
    let (next_version, _) = replica.publish("hall", &next).await;
    assert_eq!(next_version, version + 1, "versions go on from the old installation's");
    match sync(replica.base.clone()).await.unwrap().unwrap() {
        SyncOutcome::Activated { release, .. } => assert_eq!(release.manifest.version, next_version),
        other => panic!("expected the new release, got {other:?}"),
    }
    let events = support::get(&replica, "/v1/admin/events").await;
    assert_eq!(events["events"].as_array().unwrap().len(), 2, "{events}");
    let response = replica
        .client
        .post(replica.url("/v1/session"))
        .json(&json!({"name": "lan", "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "staff sign in with the password they had");
    let emergency = replica
        .client
        .get(replica.url("/v1/channels/hall/emergency"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(emergency.text().await.unwrap().contains("Closing at 5 pm"));
}

fn cluster_psql(database: &str, sql: &str) -> String {
    kiosk_testbed::postgres::Cluster::shared().psql(database, sql).unwrap()
}

/// The manifest hash of release 1 in the old installation's database.
fn blobs_manifest_sha(old: &Path) -> String {
    let conn = rusqlite::Connection::open(old.join("server.sqlite")).unwrap();
    conn.query_row("SELECT manifest_sha256 FROM releases WHERE version = 1", [], |r| r.get(0)).unwrap()
}
