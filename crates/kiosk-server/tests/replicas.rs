//! Two `kiosk-server` processes (the real binary) sharing one PostgreSQL
//! database and one S3 bucket, behind HAProxy with the deployment's own
//! configuration (`installers/replicas/haproxy.cfg`): what one replica does,
//! the screens whose streams another holds hear within a second; a revoked
//! token stops working on both; a console session works on both; the fleet
//! view of each shows the screens streaming to the other; an upload made
//! with a token through HAProxy stays with the replica that keeps it; a replica
//! holding other keys refuses to start; and a replica killed during a fleet
//! sync loses nothing.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use kiosk_device::library::{Library, Trust};
use kiosk_device::sync_client::{SyncClient, SyncOutcome, SyncSource};
use kiosk_testbed::deployment::{Plan, copy_keys};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{ADMIN, TestServer, next_event, sample};

const BINARY: &str = env!("CARGO_BIN_EXE_kiosk-server");

/// The replicas, their shared storage and HAProxy (`kiosk_testbed::deployment`).
struct Deployment(kiosk_testbed::deployment::Deployment);

impl Deployment {
    /// `count` replicas, the first making the keys the others are given.
    async fn start(count: usize) -> Deployment {
        let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../installers/replicas/haproxy.cfg");
        let plan = Plan::new(Path::new(BINARY), &template, count, ADMIN);
        Deployment(
            tokio::task::spawn_blocking(move || kiosk_testbed::deployment::Deployment::start(plan))
                .await
                .unwrap(),
        )
    }

    /// Starts replica `index` and waits until it answers.
    async fn run(&mut self, index: usize) {
        tokio::task::block_in_place(|| self.0.run(index)).unwrap_or_else(|error| panic!("{error}"));
    }

    /// Kills replica `index` with SIGKILL.
    fn kill(&mut self, index: usize) {
        self.0.kill(index);
    }

    async fn replica_server(&self, index: usize) -> TestServer {
        TestServer::at(&self.0.replicas()[index].url()).await
    }

    async fn balanced(&self) -> TestServer {
        TestServer::at(&self.0.url()).await
    }
}

/// Waits for the stream's next `name` event, at most `within`.
async fn heard(stream: &mut reqwest::Response, buffer: &mut String, name: &str, within: Duration) -> Value {
    tokio::time::timeout(within, next_event(stream, buffer, name))
        .await
        .unwrap_or_else(|_| panic!("no {name} event within {within:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn what_one_replica_publishes_or_raises_the_screens_on_the_other_hear_within_a_second() {
    let deployment = Deployment::start(2).await;
    let (one, two, balanced) =
        (deployment.replica_server(0).await, deployment.replica_server(1).await, deployment.balanced().await);
    balanced.create_channel("hall").await;
    let token = balanced.enrol("hall", "Hall board").await;
    assert_eq!(one.public_key().await, two.public_key().await, "both replicas sign with one key");

    let mut stream = two.open_events("hall", &token).await;
    let mut buffer = String::new();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (manifest, blobs) = sample("replicas");
    one.upload(&blobs).await;
    let (version, manifest_sha256) = one.publish("hall", &manifest).await;
    let published = Instant::now();
    let release = heard(&mut stream, &mut buffer, "release", Duration::from_secs(1)).await;
    assert_eq!(
        (release["version"].as_u64(), release["manifest_sha256"].as_str()),
        (Some(version), Some(manifest_sha256.as_str()))
    );
    eprintln!("a release published on replica 1 reached a stream on replica 2 in {:?}", published.elapsed());
    // Replica 2 answers the new release at once (its memo of the current release was replaced).
    let response =
        two.client.get(two.url("/v1/channels/hall/manifest")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-release-version"].to_str().ok(), Some(version.to_string().as_str()));

    // An emergency message raised on replica 2 reaches a stream on replica 1.
    let mut other = one.open_events("hall", &token).await;
    let mut other_buffer = String::new();
    heard(&mut other, &mut other_buffer, "release", Duration::from_secs(1)).await;
    let raised = Instant::now();
    let body = json!({"text": {"vi": "Sơ tán khỏi sảnh", "en": "Leave the hall"}, "minutes": 10});
    let response =
        two.admin(Method::POST, "/v1/admin/channels/hall/emergency").json(&body).send().await.unwrap();
    assert_eq!(response.status(), 201, "{:?}", response.text().await);
    let emergency = heard(&mut other, &mut other_buffer, "emergency", Duration::from_secs(1)).await;
    assert!(emergency["message"].as_str().unwrap().contains("Leave the hall"));
    eprintln!("an emergency message raised on replica 2 reached replica 1 in {:?}", raised.elapsed());

    // Publishing on both at once: versions 2 and 3, never one twice.
    let (a, a_blobs) = sample("from one");
    let (b, b_blobs) = sample("from two");
    one.upload(&a_blobs).await;
    two.upload(&b_blobs).await;
    let (first, second) = tokio::join!(one.publish("hall", &a), two.publish("hall", &b));
    let mut versions = [first.0, second.0];
    versions.sort();
    assert_eq!(versions, [2, 3]);
}

/// Whether the fleet view of `server` shows screen `name` streaming.
async fn streaming_in_fleet_view(server: &TestServer, name: &str) -> bool {
    let fleet = support::get(server, "/v1/admin/fleet").await;
    let screen = fleet["screens"].as_array().unwrap().iter().find(|s| s["name"] == name).cloned();
    screen.unwrap_or_else(|| panic!("{name} is not in the fleet view: {fleet}"))["streaming"] == true
}

/// Waits up to `within` until the fleet view of `server` shows `name` as `streaming`.
async fn fleet_view_shows(server: &TestServer, name: &str, streaming: bool, within: Duration) -> Duration {
    let started = Instant::now();
    while streaming_in_fleet_view(server, name).await != streaming {
        assert!(started.elapsed() < within, "{name} streaming = {streaming} not shown within {within:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    started.elapsed()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_fleet_view_of_every_replica_shows_a_screen_streaming_to_another() {
    let deployment = Deployment::start(2).await;
    let (one, two) = (deployment.replica_server(0).await, deployment.replica_server(1).await);
    one.create_channel("hall").await;
    let token = one.enrol("hall", "Hall board").await;
    let (manifest, blobs) = sample("hall");
    one.upload(&blobs).await;
    one.publish("hall", &manifest).await;
    assert!(!streaming_in_fleet_view(&one, "Hall board").await);

    let mut stream = two.open_events("hall", &token).await;
    heard(&mut stream, &mut String::new(), "release", Duration::from_secs(1)).await;
    let shown = fleet_view_shows(&one, "Hall board", true, Duration::from_secs(5)).await;
    eprintln!("a stream to replica 2 showed in replica 1's fleet view after {shown:?}");
    assert!(streaming_in_fleet_view(&two, "Hall board").await, "and in replica 2's own");
    let asked = one
        .admin(
            Method::POST,
            "/v1/admin/devices/{id}/screenshot"
                .replace("{id}", &device_id(&one, "Hall board").await)
                .as_str(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 202);
    assert_eq!(
        asked.json::<Value>().await.unwrap()["streaming"],
        true,
        "the request is heard through replica 2"
    );

    // A closed stream is noticed at the next keep-alive comment at the latest (15 s).
    drop(stream);
    fleet_view_shows(&one, "Hall board", false, Duration::from_secs(20)).await;
}

/// The id of the screen called `name`.
async fn device_id(server: &TestServer, name: &str) -> String {
    let devices = support::get(server, "/v1/admin/devices").await;
    let device = devices["devices"].as_array().unwrap().iter().find(|d| d["name"] == name).cloned().unwrap();
    device["id"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_revoked_on_one_replica_stops_working_on_the_other_and_its_stream_ends() {
    let deployment = Deployment::start(2).await;
    let (one, two) = (deployment.replica_server(0).await, deployment.replica_server(1).await);
    one.create_channel("hall").await;
    let token = one.enrol("hall", "Hall board").await;
    // Replica 2 keeps the token it checked in memory.
    let manifest = |server: &TestServer| {
        server.client.get(server.url("/v1/channels/hall/manifest")).bearer_auth(&token).send()
    };
    assert_eq!(manifest(&two).await.unwrap().status(), StatusCode::NOT_FOUND, "nothing published yet");
    let mut stream = two.open_events("hall", &token).await;
    let devices = support::get(&one, "/v1/admin/devices").await;
    let id = devices["devices"][0]["id"].as_str().unwrap().to_owned();

    let response = one.admin(Method::POST, &format!("/v1/admin/devices/{id}/revoke")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let ended = tokio::time::timeout(Duration::from_secs(2), async {
        while let Ok(Some(_)) = stream.chunk().await {}
    })
    .await;
    assert!(ended.is_ok(), "the stream on replica 2 ended");
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        let status = manifest(&two).await.unwrap().status();
        if status == StatusCode::UNAUTHORIZED {
            break;
        }
        assert!(Instant::now() < deadline, "replica 2 still takes the revoked token ({status})");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_console_session_made_on_one_replica_works_on_the_other() {
    let deployment = Deployment::start(2).await;
    let (one, two) = (deployment.replica_server(0).await, deployment.replica_server(1).await);
    let password = "một mật khẩu đủ dài";
    let response = one
        .admin(Method::POST, "/v1/admin/users")
        .json(&json!({ "name": "lan", "password": password, "roles": [{"channel": "*", "role": "viewer"}] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{:?}", response.text().await);
    let response = one
        .client
        .post(one.url("/v1/session"))
        .json(&json!({ "name": "lan", "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let me = two.client.get(two.url("/v1/session")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(me.status(), 200, "the session made on replica 1 is known to replica 2");
    assert_eq!(me.json::<Value>().await.unwrap()["name"], "lan");

    // Through the load balancer, the browser stays with one replica, whichever it is.
    let balanced = deployment.balanced().await;
    let response = balanced
        .client
        .post(balanced.url("/v1/session"))
        .json(&json!({ "name": "lan", "password": password }))
        .send()
        .await
        .unwrap();
    let cookie = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    assert!(cookie.starts_with("kiosk_session=replica"), "HAProxy names the replica: {cookie}");
    for _ in 0..4 {
        let me =
            balanced.client.get(balanced.url("/v1/session")).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(me.status(), 200);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_upload_made_with_a_token_through_haproxy_goes_on_at_the_replica_that_began_it() {
    let deployment = Deployment::start(2).await;
    let balanced = deployment.balanced().await;
    // A program with a token and no cookie, each request on a new connection.
    let program = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let request = |method: Method, path: &str| program.request(method, balanced.url(path)).bearer_auth(ADMIN);
    let begun = request(Method::POST, "/v1/admin/uploads")
        .json(&json!({ "name": "Phim ngắn.mp4", "size": support::FILM.len() }))
        .send()
        .await
        .unwrap();
    assert_eq!(begun.status(), 201);
    let id = begun.headers()["upload-id"].to_str().unwrap().to_owned();
    assert_eq!(begun.json::<Value>().await.unwrap()["id"], id.as_str());
    let path = format!("/v1/admin/uploads/{id}");
    for (n, piece) in support::FILM.chunks(support::FILM.len().div_ceil(6)).enumerate() {
        let offset =
            support::FILM.chunks(support::FILM.len().div_ceil(6)).take(n).map(<[u8]>::len).sum::<usize>();
        let sent = request(Method::PATCH, &path)
            .header("upload-offset", offset.to_string())
            .body(piece.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 200, "piece {n}: {:?}", sent.text().await);
    }
    let finished = request(Method::POST, &format!("{path}/finish")).send().await.unwrap();
    assert_eq!(finished.status(), 201, "{:?}", finished.text().await);
    // Its bytes were kept by one replica only.
    let kept: Vec<bool> =
        deployment.0.replicas().iter().map(|r| r.data_dir.join("uploads").exists()).collect();
    assert_eq!(kept.iter().filter(|k| **k).count(), 1, "the upload lived on one replica: {kept:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replica_holding_other_keys_refuses_to_start_and_says_what_to_copy() {
    let mut deployment = Deployment::start(1).await;
    let stranger = deployment.0.configure(2);
    // Its own keys, as a fresh data folder makes them.
    let output = Command::new(BINARY).arg("--config").arg(&stranger.config).output().unwrap();
    assert!(!output.status.success(), "a replica with other keys must not start");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("different signing key") && said.contains("copy signing.key"), "{said}");
    // Given the first replica's keys, it starts.
    copy_keys(&deployment.0.replicas()[0].data_dir, &stranger.data_dir);
    let index = deployment.0.add(stranger);
    deployment.run(index).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replica_killed_during_a_fleet_sync_loses_nothing() {
    let mut deployment = Deployment::start(2).await;
    let balanced = deployment.balanced().await;
    balanced.create_channel("fleet").await;
    let (manifest, blobs) = sample("fleet");
    balanced.upload(&blobs).await;
    balanced.publish("fleet", &manifest).await;
    let trust = Trust::new(vec![balanced.public_key().await], "fleet");
    let screens = 12;
    // Enrolled at the replicas themselves: HAProxy lets one address try ten codes a minute.
    let replicas = [deployment.replica_server(0).await, deployment.replica_server(1).await];
    let mut tokens = Vec::new();
    for n in 0..screens {
        tokens.push(replicas[n % 2].enrol("fleet", &format!("Screen {n}")).await);
    }
    let dir = tempfile::tempdir().unwrap();
    let base = balanced.base.clone();
    // Every screen syncs through the balancer until it is active; replica 1
    // is killed while they do.
    let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let fleet: Vec<_> = tokens
        .iter()
        .enumerate()
        .map(|(n, token)| {
            let (base, token, trust, data, done) = (
                base.clone(),
                token.clone(),
                trust.clone(),
                dir.path().join(format!("screen{n}")),
                done.clone(),
            );
            tokio::task::spawn_blocking(move || {
                let library = Library::open(&data).unwrap();
                let client = SyncClient::new(SyncSource::plain(base, Some(token)));
                let deadline = Instant::now() + Duration::from_secs(60);
                loop {
                    let outcome = client.sync_once(&library, &trust, jiff::Timestamp::now());
                    if outcome.is_ok() {
                        done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                    match outcome {
                        Ok(SyncOutcome::Activated { release, .. }) => return release.manifest.version,
                        Ok(SyncOutcome::UpToDate) => return 1,
                        Ok(other) => panic!("screen {n}: {other:?}"),
                        Err(error) => {
                            assert!(Instant::now() < deadline, "screen {n} never synced: {error}");
                            std::thread::sleep(Duration::from_millis(200));
                        }
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(20)).await;
    deployment.kill(0);
    let before = done.load(std::sync::atomic::Ordering::SeqCst);
    eprintln!("{before} of {screens} screens had synced when replica 1 was killed");
    assert!(before < screens, "the kill came during the sync");
    for screen in fleet {
        assert_eq!(screen.await.unwrap(), 1, "every screen has the release");
    }
    // Reports sent through the balancer while replica 1 is down are all kept, once.
    for (n, token) in tokens.iter().enumerate() {
        let report = json!({
            "events": [{"id": format!("e-{n}"), "kind": "language_choice", "at": "2026-12-07T10:00:00Z", "data": {"locale": "ja"}}],
        });
        for _ in 0..2 {
            let response = balanced
                .client
                .post(balanced.url("/v1/reports"))
                .bearer_auth(token)
                .json(&report)
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success(), "{:?}", response.text().await);
        }
    }
    let events = support::get(&balanced, "/v1/admin/events?kind=language_choice").await;
    assert_eq!(events["events"].as_array().unwrap().len(), screens, "each event stored once: {events}");
    // Replica 1 comes back and answers from the same storage.
    deployment.run(0).await;
    let one = deployment.replica_server(0).await;
    assert_eq!(support::get(&one, "/v1/admin/devices").await["devices"].as_array().unwrap().len(), screens);
}
