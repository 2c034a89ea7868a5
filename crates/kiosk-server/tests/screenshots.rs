//! Screenshots over real HTTP: staff ask a screen for one, only that screen's
//! event stream hears it, the screen's PNG is stored, listed and served as
//! sent; a body over the cap, bytes that are not a PNG, a PNG claiming a huge
//! picture, a request never made or made of another screen are refused; each
//! screen keeps its newest 48; a screen's own worker answers a request with
//! what its (here: fake) window shows; a database made by the migrations
//! before screenshots upgrades.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use kiosk_server::screenshots::KEEP_PER_DEVICE;
use kiosk_server::sqlite::MIGRATIONS;
use kiosk_server::state::DB_FILE;
use kiosk_wire::screenshot::MAX_BYTES;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{TestServer, sample, start};

/// A real PNG of `width`×`height` with a gradient (its first pixel's red is `tag`).
fn png(width: u32, height: u32, tag: u8) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgba);
    let mut writer = encoder.write_header().unwrap();
    let mut pixels = Vec::with_capacity((width * height * 4) as usize);
    for y in 0..height {
        for x in 0..width {
            pixels.extend_from_slice(&[(x as u8).wrapping_add(tag), y as u8, 0x80, 0xff]);
        }
    }
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    bytes
}

/// A server with channel `wtc-booths` and two enrolled screens: `(server, [(id, token)])`.
async fn fleet(dir: &std::path::Path) -> (TestServer, Vec<(String, String)>) {
    let server = start(dir).await;
    server.create_channel("wtc-booths").await;
    let mut screens = Vec::new();
    for name in ["Booth A", "Booth B"] {
        let token = server.enrol("wtc-booths", name).await;
        screens.push((String::new(), token));
    }
    let devices: Value =
        server.admin(Method::GET, "/v1/admin/devices").send().await.unwrap().json().await.unwrap();
    for (index, name) in ["Booth A", "Booth B"].into_iter().enumerate() {
        let device = devices["devices"].as_array().unwrap().iter().find(|d| d["name"] == name).unwrap();
        screens[index].0 = device["id"].as_str().unwrap().to_owned();
    }
    (server, screens)
}

async fn ask(server: &TestServer, device: &str) -> (StatusCode, Value) {
    let response =
        server.admin(Method::POST, &format!("/v1/admin/devices/{device}/screenshot")).send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

async fn put(server: &TestServer, token: &str, request: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let response = server
        .client
        .put(server.url(&format!("/v1/screenshots/{request}")))
        .bearer_auth(token)
        .header("content-type", "image/png")
        .header("x-taken-at", "2026-05-01T10:15:00+07:00")
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap_or(Value::Null))
}

async fn list(server: &TestServer, device: &str) -> Value {
    let response =
        server.admin(Method::GET, &format!("/v1/admin/devices/{device}/screenshots")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn events(server: &TestServer, token: &str) -> reqwest::Response {
    server.open_events("wtc-booths", token).await
}

/// What the server answers to a request `head` sent alone on a connection
/// (the body it announces never follows), up to the end of its JSON body.
async fn answer_to_head(server: &TestServer, head: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut tcp = tokio::net::TcpStream::connect(server.base.trim_start_matches("http://")).await.unwrap();
    tcp.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    while !answer.ends_with(b"}") {
        let read = tokio::time::timeout(Duration::from_secs(5), tcp.read(&mut buffer))
            .await
            .expect("the server answers without waiting for the body")
            .unwrap();
        if read == 0 {
            break;
        }
        answer.extend_from_slice(&buffer[..read]);
    }
    String::from_utf8_lossy(&answer).into_owned()
}

/// The name of the next `event:` block of a stream (comments skipped).
async fn next_event_name(response: &mut reqwest::Response, buffer: &mut String) -> String {
    loop {
        if let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            if let Some(name) = block.lines().find_map(|l| l.strip_prefix("event: ")) {
                return name.to_owned();
            }
            continue;
        }
        let chunk = response.chunk().await.unwrap().expect("the stream stays open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_requested_screenshot_reaches_only_its_screen_and_is_stored_listed_and_served_as_sent() {
    let dir = tempfile::tempdir().unwrap();
    let (server, screens) = fleet(dir.path()).await;
    let [(a, a_token), (_, b_token)] = [screens[0].clone(), screens[1].clone()];
    let (mut a_stream, mut b_stream) = (events(&server, &a_token).await, events(&server, &b_token).await);

    let (status, asked) = ask(&server, &a).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{asked}");
    assert_eq!(asked["streaming"], true);
    let request = asked["request"].as_str().unwrap().to_owned();
    assert!(request.len() == 32 && request.bytes().all(|b| b.is_ascii_hexdigit()), "{request}");

    let mut buffer = String::new();
    let heard = tokio::time::timeout(
        Duration::from_secs(5),
        support::next_event(&mut a_stream, &mut buffer, "screenshot"),
    )
    .await
    .expect("screen A hears the request");
    assert_eq!(heard, json!({ "device": a, "request": request }));
    // Screen B hears the next release, never A's request.
    let (manifest, blobs) = sample("after the request");
    server.upload(&blobs).await;
    server.publish("wtc-booths", &manifest).await;
    let mut b_buffer = String::new();
    assert_eq!(next_event_name(&mut b_stream, &mut b_buffer).await, "release");

    let picture = png(320, 180, 1);
    let (status, stored) = put(&server, &a_token, &request, picture.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{stored}");
    assert_eq!((stored["width"].as_u64(), stored["height"].as_u64()), (Some(320), Some(180)));
    assert_eq!(stored["bytes"].as_u64(), Some(picture.len() as u64));
    assert_eq!(stored["request"], request.as_str());
    let (status, again) = put(&server, &a_token, &request, picture.clone()).await;
    assert_eq!((status, again["error"].as_str()), (StatusCode::CONFLICT, Some("already_answered")));

    let listed = list(&server, &a).await;
    assert_eq!((listed["device"].as_str(), listed["name"].as_str()), (Some(a.as_str()), Some("Booth A")));
    let shots = listed["screenshots"].as_array().unwrap();
    assert_eq!(shots.len(), 1);
    let shot = &shots[0];
    assert_eq!(shot["id"], stored["id"]);
    assert_eq!(shot["taken_at"], "2026-05-01T03:15:00.000000000Z", "the screen's time, as it said");
    assert!(shot["received_at"].as_str().unwrap() > "2026", "{shot}");
    assert_eq!(shot["sha256"], hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&picture)));

    let served = server
        .admin(Method::GET, &format!("/v1/admin/devices/{a}/screenshots/{}.png", shot["id"]))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.bytes().await.unwrap().to_vec(), picture, "byte for byte");
    let missing =
        server.admin(Method::GET, &format!("/v1/admin/devices/{a}/screenshots/999.png")).send().await;
    assert_eq!(missing.unwrap().status(), StatusCode::NOT_FOUND);

    // The audit log names who asked; a viewer of another channel may neither ask nor look.
    let audit: Value =
        server.admin(Method::GET, "/v1/admin/audit").send().await.unwrap().json().await.unwrap();
    assert!(
        audit["entries"].as_array().unwrap().iter().any(|e| e["action"] == "device.screenshot"),
        "{audit}"
    );
    server.create_channel("bulletin-boards").await;
    let response = server
        .admin(Method::POST, "/v1/admin/tokens")
        .json(&json!({ "name": "boards", "roles": [{ "channel": "bulletin-boards", "role": "viewer" }] }))
        .send()
        .await
        .unwrap();
    let other = response.json::<Value>().await.unwrap()["secret"].as_str().unwrap().to_owned();
    for (method, path) in [
        (Method::POST, format!("/v1/admin/devices/{a}/screenshot")),
        (Method::GET, format!("/v1/admin/devices/{a}/screenshots")),
    ] {
        let refused =
            server.client.request(method, server.url(&path)).bearer_auth(&other).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let (status, _) = ask(&server, "no-such-screen").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn what_is_not_a_screenshot_asked_of_this_screen_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (server, screens) = fleet(dir.path()).await;
    let [(a, a_token), (_, b_token)] = [screens[0].clone(), screens[1].clone()];
    let request = ask(&server, &a).await.1["request"].as_str().unwrap().to_owned();
    let code = |answer: &(StatusCode, Value)| (answer.0, answer.1["error"].as_str().unwrap_or("").to_owned());

    // Never asked, asked of another screen, no token.
    let unknown = put(&server, &a_token, &"0f".repeat(16), png(8, 8, 0)).await;
    assert_eq!(code(&unknown), (StatusCode::NOT_FOUND, "no_request".into()));
    let malformed = put(&server, &a_token, "latest", png(8, 8, 0)).await;
    assert_eq!(code(&malformed), (StatusCode::NOT_FOUND, "no_request".into()));
    let stolen = put(&server, &b_token, &request, png(8, 8, 0)).await;
    assert_eq!(code(&stolen), (StatusCode::FORBIDDEN, "wrong_device".into()));
    let anonymous = server.client.put(server.url(&format!("/v1/screenshots/{request}"))).body(png(8, 8, 0));
    assert_eq!(anonymous.send().await.unwrap().status(), StatusCode::UNAUTHORIZED);

    // Not a PNG, a PNG header claiming 100000×100000, a PNG cut short, not sent as a PNG.
    let text = put(&server, &a_token, &request, b"<html>not a picture</html>".to_vec()).await;
    assert_eq!(code(&text), (StatusCode::BAD_REQUEST, "not_png".into()));
    let mut huge = Vec::new();
    png::Encoder::new(&mut huge, 100_000, 100_000).write_header().unwrap();
    let huge = put(&server, &a_token, &request, huge).await;
    assert_eq!(code(&huge), (StatusCode::BAD_REQUEST, "too_many_pixels".into()));
    assert!(huge.1["message"].as_str().unwrap().contains("100000×100000"), "{}", huge.1);
    let whole = png(64, 64, 0);
    let cut = put(&server, &a_token, &request, whole[..whole.len() / 2].to_vec()).await;
    assert_eq!(code(&cut), (StatusCode::BAD_REQUEST, "undecodable_png".into()));
    let as_jpeg = server
        .client
        .put(server.url(&format!("/v1/screenshots/{request}")))
        .bearer_auth(&a_token)
        .header("content-type", "image/jpeg")
        .body(png(8, 8, 0))
        .send()
        .await
        .unwrap();
    assert_eq!(as_jpeg.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // A body said to be over the cap is refused before it is read: the answer
    // comes though not a byte of the body was sent.
    let declared = answer_to_head(
        &server,
        &format!(
            "PUT /v1/screenshots/{request} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {a_token}\r\n\
             Content-Type: image/png\r\nContent-Length: {}\r\n\r\n",
            MAX_BYTES + 1
        ),
    )
    .await;
    assert!(declared.starts_with("HTTP/1.1 413 "), "{declared}");
    assert!(declared.contains("\"too_large\""), "{declared}");
    // One that does not say its length is refused once the cap is crossed: of
    // 64 MiB offered, the server takes little more than the cap (and what the
    // connection's buffers hold).
    let offered = 64 * 1024 * 1024u64;
    let pulled = Arc::new(AtomicU64::new(0));
    let counter = pulled.clone();
    let mut start = png(8, 8, 0);
    start.truncate(33);
    let chunks = futures_util::stream::iter(0..offered / 65_536).map(move |i| {
        counter.fetch_add(65_536, Ordering::SeqCst);
        let mut chunk = vec![0u8; 65_536];
        if i == 0 {
            chunk[..start.len()].copy_from_slice(&start);
        }
        Ok::<_, std::io::Error>(chunk)
    });
    let streamed = server
        .client
        .put(server.url(&format!("/v1/screenshots/{request}")))
        .bearer_auth(&a_token)
        .header("content-type", "image/png")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await;
    let sent = pulled.load(Ordering::SeqCst);
    // Through HAProxy, its buffers take more bytes before the refusal comes back.
    let bound = if support::replicated() { 8 * MAX_BYTES } else { 2 * MAX_BYTES };
    assert!(sent <= bound, "the client was made to send {sent} of {offered} bytes");
    match streamed {
        Ok(response) => {
            assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"], "too_large");
        }
        // The server answered and closed the connection while the body was
        // still being sent: the client may see the close first.
        Err(error) => assert!(error.is_request() || error.is_body(), "{error:?}"),
    }

    // None of it was kept, and the request can still be answered.
    assert!(list(&server, &a).await["screenshots"].as_array().unwrap().is_empty());
    let (status, _) = put(&server, &a_token, &request, png(16, 9, 0)).await;
    assert_eq!(status, StatusCode::CREATED);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn each_screen_keeps_its_newest_screenshots() {
    let dir = tempfile::tempdir().unwrap();
    let (server, screens) = fleet(dir.path()).await;
    let [(a, a_token), (b, b_token)] = [screens[0].clone(), screens[1].clone()];
    let (status, of_b) = put(&server, &b_token, "scheduled", png(8, 8, 200)).await;
    assert_eq!(status, StatusCode::CREATED);
    let mut ids = Vec::new();
    for n in 0..KEEP_PER_DEVICE + 2 {
        let (status, stored) = put(&server, &a_token, "scheduled", png(8, 8, n as u8)).await;
        assert_eq!(status, StatusCode::CREATED, "{stored}");
        ids.push(stored["id"].as_i64().unwrap());
    }
    let kept: Vec<i64> = list(&server, &a).await["screenshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    let newest: Vec<i64> = ids.iter().rev().take(KEEP_PER_DEVICE).copied().collect();
    assert_eq!(kept, newest, "the newest {KEEP_PER_DEVICE}, newest first");
    let dropped =
        server.admin(Method::GET, &format!("/v1/admin/devices/{a}/screenshots/{}.png", ids[0])).send();
    assert_eq!(dropped.await.unwrap().status(), StatusCode::NOT_FOUND);
    let b_kept = list(&server, &b).await;
    assert_eq!(b_kept["screenshots"][0]["id"], of_b["id"], "another screen's are its own");
    server.stop().await;
}

/// A window that shows one fixed picture.
struct FakeWindow(Vec<u8>);

impl kiosk_device::screenshots::Capture for FakeWindow {
    fn capture(&self) -> Result<Vec<u8>, String> {
        Ok(self.0.clone())
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_screen_answers_a_request_with_what_its_window_shows() {
    let dir = tempfile::tempdir().unwrap();
    let (server, screens) = fleet(&dir.path().join("server")).await;
    let (a, a_token) = screens[0].clone();
    let trust = kiosk_device::library::Trust::new(vec![server.public_key().await], "wtc-booths");
    let setup = kiosk_device::ScreenSetup::new(kiosk_device::DataDir::new(dir.path().join("screen")), trust);
    let mut screen = kiosk_device::Screen::open(setup).unwrap();
    let source = kiosk_device::sync_client::SyncSource::plain(server.base.clone(), Some(a_token));
    screen.start_sync(source.clone(), Duration::from_secs(3600));
    screen.start_screenshots(source, kiosk_device::screenshots::ScreenshotTiming::new(None));
    let window = png(96, 54, 7);
    screen.set_capturer(Arc::new(FakeWindow(window.clone())));
    // Once the screen streams to the server (to any replica: they record
    // theirs within two seconds), the request says it will be heard.
    for _ in 0..100 {
        let fleet: Value =
            server.admin(Method::GET, "/v1/admin/fleet").send().await.unwrap().json().await.unwrap();
        if fleet["screens"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == a.as_str() && s["streaming"] == true)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, asked) = ask(&server, &a).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(asked["streaming"], true);
    let mut shots = Value::Null;
    for _ in 0..100 {
        shots = list(&server, &a).await["screenshots"].clone();
        if !shots.as_array().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(shots[0]["request"], asked["request"], "{shots}");
    let served =
        server.admin(Method::GET, &format!("/v1/admin/devices/{a}/screenshots/{}.png", shots[0]["id"]));
    assert_eq!(served.send().await.unwrap().bytes().await.unwrap().to_vec(), window);
    drop(screen);
    server.stop().await;
}

#[tokio::test]
async fn a_database_made_before_screenshots_upgrades_and_takes_them() {
    if support::embedded_only("an old SQLite file is upgraded") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let token = "a-token-from-before";
    {
        let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
        for sql in &MIGRATIONS[..7] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(&format!(
            "INSERT INTO channels (name, created_at) VALUES ('wtc-booths', '2026-01-01T00:00:00.000000000Z');
             INSERT INTO devices (id, name, channel, token_sha256, enrolled_at)
                 VALUES ('old-screen', 'Booth 1', 'wtc-booths', '{}', '2026-01-01T00:00:00.000000000Z');",
            kiosk_server::auth::token_hash(token)
        ))
        .unwrap();
        conn.pragma_update(None, "user_version", 7).unwrap();
    }
    let server = start(dir.path()).await;
    let (status, stored) = put(&server, token, "scheduled", png(16, 9, 0)).await;
    assert_eq!(status, StatusCode::CREATED, "{stored}");
    let (status, _) = ask(&server, "old-screen").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(list(&server, "old-screen").await["screenshots"].as_array().unwrap().len(), 1);
    server.stop().await;
}
