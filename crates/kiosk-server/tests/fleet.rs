//! The fleet view over real HTTP: screens are online while they report, late,
//! then offline; a quiet screen opens one alert, which a webhook on loopback is
//! sent until it takes it, and which closes when the screen reports again;
//! which screens hold an event stream; where screens stand; and what a
//! channel's emergency message is, as staff read it.

mod support;

use std::time::Duration;

use axum::http::StatusCode as AxumStatus;
use jiff::{SignedDuration, Timestamp};
use kiosk_server::settings::{EmailAlerts, SmtpSecurity};
use kiosk_server::{Clock, Settings};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{ADMIN, TestServer, get, sample, start_with};
use tokio::sync::mpsc;

/// A webhook receiver on loopback: answers `503` to the first call, then `200`;
/// every body it is sent comes out of the channel.
async fn webhook() -> (String, mpsc::UnboundedReceiver<(u16, Value)>) {
    let (sent, received) = mpsc::unbounded_channel();
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: axum::body::Bytes| {
            let sent = sent.clone();
            let calls = calls.clone();
            async move {
                let first = calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0;
                let status = if first { AxumStatus::SERVICE_UNAVAILABLE } else { AxumStatus::OK };
                let _ = sent.send((status.as_u16(), serde_json::from_slice(&body).unwrap_or(Value::Null)));
                status
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

async fn server(dir: &std::path::Path, webhook: Option<String>) -> (TestServer, Clock) {
    let clock = Clock::fixed("2026-12-06T09:00:00Z".parse::<Timestamp>().unwrap());
    let mut settings = Settings::new(dir.to_owned(), ADMIN.into()).with_clock(clock.clone());
    settings.offline_after = Duration::from_secs(10);
    settings.alert_webhook = webhook;
    // A stream closed behind HAProxy is noticed when a keep-alive comment
    // finds HAProxy's side closed, and the next one finds the replica's.
    settings.keep_alive = Duration::from_secs(2);
    let server = start_with(settings).await;
    server.create_channel("booth").await;
    let (manifest, blobs) = sample("fleet");
    server.upload(&blobs).await;
    server.publish("booth", &manifest).await;
    (server, clock)
}

async fn report(server: &TestServer, token: &str, heartbeat: Value) {
    let response = server
        .client
        .post(server.url("/v1/reports"))
        .bearer_auth(token)
        .json(&json!({ "heartbeat": heartbeat, "events": [] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
}

fn screen<'a>(fleet: &'a Value, name: &str) -> &'a Value {
    fleet["screens"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap()
}

/// Polls `GET path` (real time) until `check` holds, for up to 15 s.
async fn until(server: &TestServer, path: &str, what: &str, check: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..150 {
        let answer = get(server, path).await;
        if check(&answer) {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: {}", get(server, path).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiet_screen_is_flagged_alerted_once_through_the_webhook_and_cleared_when_it_reports() {
    let dir = tempfile::tempdir().unwrap();
    let (hook, mut calls) = webhook().await;
    let (server, clock) = server(dir.path(), Some(hook)).await;
    let hall = server.enrol("booth", "Sảnh A").await;
    let lobby = server.enrol("booth", "Sảnh B").await;
    server.enrol("booth", "Kho").await;
    let beat = |version: u64| {
        json!({ "at": "2026-12-06T09:00:00Z", "uptime_s": 60, "release_channel": "booth",
                "release_version": version, "free_disk_bytes": 5_000_000_000u64, "last_error": null,
                "failed_rounds": 0, "app_version": "0.1.0",
                "current_item": { "playlist": "day", "item": "film", "blob": "ab", "since": "2026-12-06T08:59:00Z" } })
    };
    report(&server, &hall, beat(1)).await;
    report(&server, &lobby, beat(1)).await;

    let fleet = get(&server, "/v1/admin/fleet").await;
    assert_eq!(fleet["offline_after_s"], 10);
    let a = screen(&fleet, "Sảnh A");
    assert_eq!((a["status"].as_str(), a["live_version"].as_u64()), (Some("online"), Some(1)));
    assert_eq!(a["heartbeat"]["current_item"]["item"], "film");
    assert_eq!(a["heartbeat"]["app_version"], "0.1.0");
    assert_eq!(a["last_seen"].as_str().unwrap().get(..19), Some("2026-12-06T09:00:00"));
    assert_eq!(screen(&fleet, "Kho")["status"], "never");
    assert_eq!(fleet["alerts"], json!([]));

    // Six seconds of quiet: late, not yet alerted.
    clock.advance(SignedDuration::from_secs(6));
    report(&server, &lobby, beat(1)).await;
    let fleet = get(&server, "/v1/admin/fleet").await;
    assert_eq!(screen(&fleet, "Sảnh A")["status"], "late");
    assert_eq!(screen(&fleet, "Sảnh B")["status"], "online");

    // Past the threshold: offline, and the watcher (every 2.5 s here) opens one alert.
    clock.advance(SignedDuration::from_secs(5));
    report(&server, &lobby, beat(1)).await;
    let fleet = until(&server, "/v1/admin/fleet", "no alert for the quiet screen", |f| {
        f["alerts"].as_array().is_some_and(|a| !a.is_empty())
    })
    .await;
    assert_eq!(screen(&fleet, "Sảnh A")["status"], "offline");
    assert_eq!(screen(&fleet, "Sảnh B")["status"], "online");
    let alerts = fleet["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 1, "{fleet}");
    assert_eq!(
        (alerts[0]["device_name"].as_str(), alerts[0]["kind"].as_str()),
        (Some("Sảnh A"), Some("offline"))
    );
    assert_eq!(alerts[0]["since"], screen(&fleet, "Sảnh A")["last_seen"]);
    assert_eq!(alerts[0]["channel"], "booth");

    // The webhook refuses the first call; the watcher tries again and it takes it.
    let (status, first) = tokio::time::timeout(Duration::from_secs(10), calls.recv()).await.unwrap().unwrap();
    assert_eq!((status, first["device_name"].as_str()), (503, Some("Sảnh A")));
    let (status, second) =
        tokio::time::timeout(Duration::from_secs(20), calls.recv()).await.unwrap().unwrap();
    assert_eq!((status, &second), (200, &first));
    let fleet = until(&server, "/v1/admin/fleet", "the delivery is not recorded", |f| {
        f["alerts"][0]["notified_at"].is_string()
    })
    .await;
    assert_eq!(fleet["alerts"].as_array().unwrap().len(), 1, "still one alert: {fleet}");

    // The screen reports again: the alert closes and stays in the history.
    report(&server, &hall, beat(1)).await;
    until(&server, "/v1/admin/fleet", "the alert did not close", |f| f["alerts"] == json!([])).await;
    let history = get(&server, "/v1/admin/alerts").await;
    let closed = &history["alerts"][0];
    assert_eq!(closed["device_name"], "Sảnh A");
    assert!(closed["cleared_at"].is_string() && closed["notified_at"].is_string(), "{history}");
    assert!(
        tokio::time::timeout(Duration::from_secs(4), calls.recv()).await.is_err(),
        "one alert, one delivery"
    );
    server.stop().await;
}

#[tokio::test]
async fn screens_holding_an_event_stream_show_as_streaming_and_staff_see_only_their_channels() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _clock) = server(dir.path(), None).await;
    server.create_channel("hall").await;
    let booth = server.enrol("booth", "Quầy 1").await;
    server.enrol("hall", "Bảng tin").await;

    let mut stream =
        server.client.get(server.url("/v1/channels/booth/events")).bearer_auth(&booth).send().await.unwrap();
    let mut buffer = String::new();
    support::next_event(&mut stream, &mut buffer, "release").await;
    // Replicas record which screens stream to them within two seconds.
    until(&server, "/v1/admin/fleet", "the open stream does not count", |f| {
        screen(f, "Quầy 1")["streaming"] == true
    })
    .await;
    drop(stream);
    until(&server, "/v1/admin/fleet", "the closed stream still counts", |f| {
        screen(f, "Quầy 1")["streaming"] == false
    })
    .await;

    // A viewer of the booth sees the booth's screens only, and may not move them.
    let response = server
        .admin(Method::POST, "/v1/admin/tokens")
        .json(&json!({ "name": "watcher", "roles": [{ "channel": "booth", "role": "viewer" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let viewer = response.json::<Value>().await.unwrap()["secret"].as_str().unwrap().to_owned();
    let fleet: Value = server
        .client
        .get(server.url("/v1/admin/fleet"))
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> =
        fleet["screens"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Quầy 1"]);
    let id = fleet["screens"][0]["id"].as_str().unwrap().to_owned();
    let moved = server
        .client
        .put(server.url(&format!("/v1/admin/devices/{id}")))
        .bearer_auth(&viewer)
        .json(&json!({ "location": "Tầng 2" }))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), StatusCode::FORBIDDEN);
    server.stop().await;
}

#[tokio::test]
async fn an_admin_sets_where_a_screen_stands_and_odd_places_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _clock) = server(dir.path(), None).await;
    server.enrol("booth", "Quầy 1").await;
    let id = get(&server, "/v1/admin/fleet").await["screens"][0]["id"].as_str().unwrap().to_owned();
    let put = |body: Value, to: &str| {
        server.admin(Method::PUT, &format!("/v1/admin/devices/{to}")).json(&body).send()
    };

    let answer = put(json!({ "location": "  WTC Bình Dương, tầng 1, quầy B3  " }), &id).await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.json::<Value>().await.unwrap()["location"], "WTC Bình Dương, tầng 1, quầy B3");
    assert_eq!(
        get(&server, "/v1/admin/fleet").await["screens"][0]["location"],
        "WTC Bình Dương, tầng 1, quầy B3"
    );

    for (body, status, code) in [
        (json!({ "location": "x".repeat(121) }), 400, "invalid_location"),
        (json!({ "location": "a\nb" }), 400, "invalid_location"),
        (json!({ "place": "here" }), 422, "invalid_json"),
    ] {
        let answer = put(body.clone(), &id).await.unwrap();
        assert_eq!(answer.status(), status, "{body}");
        assert_eq!(answer.json::<Value>().await.unwrap()["error"], code, "{body}");
    }
    let missing = put(json!({ "location": "x" }), "no-such-screen").await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(
        get(&server, "/v1/admin/fleet").await["screens"][0]["location"],
        "WTC Bình Dương, tầng 1, quầy B3"
    );

    let answer = put(json!({ "location": null }), &id).await.unwrap();
    assert_eq!(answer.json::<Value>().await.unwrap()["location"], Value::Null);
    let audit = get(&server, "/v1/admin/audit").await;
    assert_eq!(audit["entries"][0]["action"], "device.location");
    server.stop().await;
}

#[tokio::test]
async fn staff_read_a_channel_s_emergency_message_and_its_withdrawal() {
    let dir = tempfile::tempdir().unwrap();
    let (server, clock) = server(dir.path(), None).await;
    let now = get(&server, "/v1/admin/channels/booth/emergency").await;
    assert_eq!(now, json!({ "channel": "booth", "active": false, "message": null }));

    let raised = server
        .admin(Method::POST, "/v1/admin/channels/booth/emergency")
        .json(&json!({ "text": { "vi": "Vui lòng rời khỏi sảnh", "en": "Please leave the hall" }, "minutes": 15 }))
        .send()
        .await
        .unwrap();
    assert_eq!(raised.status(), 201);
    let now = get(&server, "/v1/admin/channels/booth/emergency").await;
    assert_eq!(now["active"], true);
    assert_eq!(now["message"]["text"]["en"], "Please leave the hall");
    assert_eq!(now["message"]["withdrawn"], false);
    assert_eq!(now["message"]["expires_at"], "2026-12-06T09:15:00Z");

    clock.advance(SignedDuration::from_mins(16));
    assert_eq!(get(&server, "/v1/admin/channels/booth/emergency").await["active"], false, "expired");

    let withdrawn = server.admin(Method::DELETE, "/v1/admin/channels/booth/emergency").send().await.unwrap();
    assert_eq!(withdrawn.status(), 200);
    let now = get(&server, "/v1/admin/channels/booth/emergency").await;
    assert_eq!((now["active"].as_bool(), now["message"]["withdrawn"].as_bool()), (Some(false), Some(true)));
    let missing = server.admin(Method::GET, "/v1/admin/channels/nowhere/emergency").send().await.unwrap();
    assert_eq!(missing.status(), 404);
    server.stop().await;
}

/// Debian's `aiosmtpd` on loopback, delivering into a maildir; stopped on drop.
struct SmtpServer {
    child: std::process::Child,
}

impl SmtpServer {
    fn start(port: u16, maildir: &std::path::Path) -> Self {
        let child = std::process::Command::new("/usr/bin/python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(maildir)
            .spawn()
            .expect("python3-aiosmtpd (Debian) runs");
        Self { child }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The subject and text of each mail in a maildir, decoded by Python's `email`.
fn mails(maildir: &std::path::Path) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else { return Vec::new() };
    entries
        .map(|entry| {
            let path = entry.unwrap().path();
            let out = std::process::Command::new("/usr/bin/python3")
                .args([
                    "-c",
                    "import email, email.policy, sys\n\
                     m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)\n\
                     print(m['subject']); print(m['to']); print(m.get_content())",
                ])
                .arg(&path)
                .output()
                .unwrap();
            let text = String::from_utf8(out.stdout).unwrap();
            let (subject, rest) = text.split_once('\n').unwrap_or((&text, ""));
            (subject.to_owned(), rest.to_owned())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiet_screen_is_e_mailed_to_staff_through_a_real_smtp_server_once_it_answers() {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("mail");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let clock = Clock::fixed("2026-12-06T09:00:00Z".parse::<Timestamp>().unwrap());
    let mut settings = Settings::new(dir.path().join("server"), ADMIN.into()).with_clock(clock.clone());
    settings.offline_after = Duration::from_secs(10);
    settings.alert_email = Some(EmailAlerts {
        server: "127.0.0.1".into(),
        port: Some(port),
        security: SmtpSecurity::None,
        user: None,
        password: None,
        from: "Kiosk Bình Dương <kiosk@wtc.example.vn>".into(),
        to: vec!["Trực gian hàng <booth-staff@wtc.example.vn>".into()],
    });
    let server = start_with(settings).await;
    server.create_channel("booth").await;
    let hall = server.enrol("booth", "Sảnh A").await;
    report(&server, &hall, json!({ "at": "2026-12-06T09:00:00Z" })).await;

    // Quiet past the threshold while the mail server is down: the alert waits.
    clock.advance(SignedDuration::from_secs(11));
    let fleet = until(&server, "/v1/admin/fleet", "no alert", |f| {
        f["alerts"].as_array().is_some_and(|a| !a.is_empty())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(mails(&maildir).is_empty());
    assert_eq!(get(&server, "/v1/admin/alerts").await["alerts"][0]["notified_at"], Value::Null, "{fleet}");

    // The mail server comes up: the watcher tries again and the staff get one mail.
    let _smtp = SmtpServer::start(port, &maildir);
    let mut got = Vec::new();
    for _ in 0..300 {
        got = mails(&maildir);
        if !got.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(got.len(), 1, "one mail: {got:?}");
    let (subject, text) = &got[0];
    assert!(
        subject.contains("Màn hình \"Sảnh A\" mất kết nối") && subject.contains("went offline"),
        "{subject}"
    );
    for said in [
        "booth-staff@wtc.example.vn",
        "Lần báo cuối: 2026-12-06T09:00:00",
        "Last heard from: 2026-12-06T09:00:00",
    ] {
        assert!(text.contains(said), "{said:?} in {text}");
    }
    until(&server, "/v1/admin/alerts", "the mail is not recorded", |a| {
        a["alerts"][0]["notified_at"].is_string()
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(mails(&maildir).len(), 1, "one alert, one mail");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_emergency_message_reaches_a_group_of_channels_or_none_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _clock) = server(dir.path(), None).await;
    server.create_channel("hall").await;
    server.create_channel("fair-tokyo").await;
    let booth = server.enrol("booth", "Quầy 1").await;
    let hall = server.enrol("hall", "Bảng tin").await;
    let listen = |token: &str| {
        server
            .client
            .get(
                server.url(&format!("/v1/channels/{}/events", if token == booth { "booth" } else { "hall" })),
            )
            .bearer_auth(token.to_owned())
            .send()
    };
    let (mut booth_stream, mut hall_stream) = (listen(&booth).await.unwrap(), listen(&hall).await.unwrap());
    let text = json!({ "vi": "Xin di chuyển ra cửa Đông.", "en": "Please walk to the East exit." });

    // An approver of the booth only may not raise it on the hall: nothing is raised.
    let response = server
        .admin(Method::POST, "/v1/admin/tokens")
        .json(&json!({ "name": "booth-approver", "roles": [{ "channel": "booth", "role": "approver" }] }))
        .send()
        .await
        .unwrap();
    let approver = response.json::<Value>().await.unwrap()["secret"].as_str().unwrap().to_owned();
    let refused = server
        .client
        .post(server.url("/v1/admin/emergency"))
        .bearer_auth(&approver)
        .json(&json!({ "channels": ["booth", "hall"], "text": text, "minutes": 30 }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(get(&server, "/v1/admin/channels/booth/emergency").await["message"], Value::Null);
    for (body, status, says) in [
        (
            json!({ "channels": [], "text": text, "minutes": 30 }),
            StatusCode::BAD_REQUEST,
            "at least one channel",
        ),
        (
            json!({ "channels": ["booth", "nowhere"], "text": text, "minutes": 30 }),
            StatusCode::NOT_FOUND,
            "nowhere",
        ),
        (
            json!({ "channels": ["booth"], "text": {}, "minutes": 30 }),
            StatusCode::BAD_REQUEST,
            "at least one language",
        ),
    ] {
        let response = server.admin(Method::POST, "/v1/admin/emergency").json(&body).send().await.unwrap();
        assert_eq!(response.status(), status, "{body}");
        assert!(response.text().await.unwrap().contains(says), "{body}");
    }
    assert_eq!(get(&server, "/v1/admin/channels/booth/emergency").await["message"], Value::Null);

    // The admin raises it on both: both channels' screens hear it at once, and the third stays calm.
    let raised = server
        .admin(Method::POST, "/v1/admin/emergency")
        .json(&json!({ "channels": ["booth", "hall", "booth"], "text": text, "minutes": 30 }))
        .send()
        .await
        .unwrap();
    assert_eq!(raised.status(), StatusCode::CREATED);
    let issued = raised.json::<Value>().await.unwrap();
    assert_eq!(issued["issued"].as_object().unwrap().keys().collect::<Vec<_>>(), ["booth", "hall"]);
    let (mut a, mut b) = (String::new(), String::new());
    for (stream, buffer) in [(&mut booth_stream, &mut a), (&mut hall_stream, &mut b)] {
        let heard = support::next_event(stream, buffer, "emergency").await;
        assert!(heard["message"].as_str().unwrap().contains("East exit"), "{heard}");
    }
    for channel in ["booth", "hall"] {
        let now = get(&server, &format!("/v1/admin/channels/{channel}/emergency")).await;
        assert_eq!(
            (now["active"].as_bool(), now["message"]["text"]["en"].as_str()),
            (Some(true), Some("Please walk to the East exit."))
        );
    }
    assert_eq!(get(&server, "/v1/admin/channels/fair-tokyo/emergency").await["message"], Value::Null);

    // Withdrawn on both, and the audit log names each channel.
    let withdrawn = server
        .admin(Method::POST, "/v1/admin/emergency/withdraw")
        .json(&json!({ "channels": ["booth", "hall"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(withdrawn.status(), StatusCode::OK);
    for channel in ["booth", "hall"] {
        let now = get(&server, &format!("/v1/admin/channels/{channel}/emergency")).await;
        assert_eq!(
            (now["active"].as_bool(), now["message"]["withdrawn"].as_bool()),
            (Some(false), Some(true))
        );
    }
    let audit = get(&server, "/v1/admin/audit").await.to_string();
    for said in ["emergency.raise", "emergency.withdraw", "on the group booth, hall"] {
        assert!(audit.contains(said), "{said}");
    }
    server.stop().await;
}
