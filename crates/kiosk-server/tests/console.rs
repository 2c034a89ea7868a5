//! The staff console's API over real HTTP: sign-in with sessions, CSRF and the
//! lock after wrong passwords; roles; drafts that two editors cannot silently
//! overwrite; approval by someone who did not change the draft, which publishes
//! a release a screen can fetch; resumable uploads checked before they join the
//! library; and an audit log that nobody can change.

mod support;

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use kiosk_server::{Clock, Settings};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{ADMIN, FILM, TestServer, sample, start_with};

const PASSWORD: &str = "mật khẩu đủ dài";

/// A browser of one staff member: the session cookie and the CSRF token.
struct Browser {
    cookie: String,
    csrf: String,
}

async fn server(dir: &std::path::Path) -> (TestServer, Clock) {
    let clock = Clock::fixed("2026-12-06T09:00:00Z".parse::<Timestamp>().unwrap());
    let settings = Settings::new(dir.to_owned(), ADMIN.into()).with_clock(clock.clone());
    (start_with(settings).await, clock)
}

async fn add_user(server: &TestServer, name: &str, roles: Value) {
    let response = server
        .admin(Method::POST, "/v1/admin/users")
        .json(&json!({ "name": name, "password": PASSWORD, "roles": roles }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{:?}", response.text().await);
}

async fn sign_in_as(server: &TestServer, name: &str, password: &str) -> reqwest::Response {
    server
        .client
        .post(server.url("/v1/session"))
        .json(&json!({ "name": name, "password": password }))
        .send()
        .await
        .unwrap()
}

async fn sign_in(server: &TestServer, name: &str) -> Browser {
    let response = sign_in_as(server, name, PASSWORD).await;
    assert_eq!(response.status(), 200);
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"] {
        assert!(set_cookie.contains(part), "{set_cookie}");
    }
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["name"], name);
    Browser { cookie, csrf: me["csrf_token"].as_str().unwrap().to_owned() }
}

impl Browser {
    fn request(&self, server: &TestServer, method: Method, path: &str) -> reqwest::RequestBuilder {
        server
            .client
            .request(method, server.url(path))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
    }

    async fn json(
        &self,
        server: &TestServer,
        method: Method,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let response = self.request(server, method, path).json(&body).send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, server: &TestServer, path: &str) -> (StatusCode, Value) {
        let response = self.request(server, Method::GET, path).send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn sessions_need_the_right_password_and_csrf_token_and_lock_after_five_wrong_ones() {
    let dir = tempfile::tempdir().unwrap();
    let (server, clock) = server(dir.path()).await;
    server.create_channel("booth").await;
    add_user(&server, "lan", json!([{ "channel": "booth", "role": "viewer" }])).await;

    let unknown = sign_in_as(&server, "nobody", PASSWORD).await;
    let wrong = sign_in_as(&server, "lan", "not the password").await;
    assert_eq!((unknown.status(), wrong.status()), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
    let (unknown, wrong): (Value, Value) = (unknown.json().await.unwrap(), wrong.json().await.unwrap());
    assert_eq!(unknown, wrong, "an unknown name and a wrong password look the same");
    assert_eq!(wrong["error"], "bad_credentials");

    let browser = sign_in(&server, "lan").await;
    let (status, me) = browser.get(&server, "/v1/session").await;
    assert_eq!((status, me["roles"][0]["role"].as_str()), (StatusCode::OK, Some("viewer")));

    // A change needs the session's CSRF token: missing, or another one, is refused.
    let forged = server
        .client
        .delete(server.url("/v1/session"))
        .header("cookie", &browser.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(forged.json::<Value>().await.unwrap()["error"], "csrf");
    let forged = server
        .client
        .delete(server.url("/v1/session"))
        .header("cookie", &browser.cookie)
        .header("x-csrf-token", "0".repeat(32))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        browser.get(&server, "/v1/session").await.0,
        StatusCode::OK,
        "the forged sign-out did nothing"
    );

    // Five wrong passwords in a row lock the account, even against the right one.
    for _ in 0..4 {
        assert_eq!(sign_in_as(&server, "lan", "guess").await.status(), StatusCode::UNAUTHORIZED);
    }
    let locked = sign_in_as(&server, "lan", "guess").await;
    assert_eq!(locked.status(), StatusCode::LOCKED);
    let locked = sign_in_as(&server, "lan", PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::LOCKED);
    let body: Value = locked.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("locked until 2026-12-06 09:15 UTC"), "{body}");
    clock.advance(SignedDuration::from_mins(16));
    let later = sign_in(&server, "lan").await;

    // A session ends after eight hours; the console is told so.
    clock.advance(SignedDuration::from_hours(9));
    let (status, ended) = later.get(&server, "/v1/session").await;
    assert_eq!((status, ended["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("session_expired")));

    let log: Value = server.admin(Method::GET, "/v1/admin/audit").send().await.unwrap().json().await.unwrap();
    let actions: Vec<&str> =
        log["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "session.sign_in_failed").count(), 7, "{actions:?}");
    assert!(actions.contains(&"session.sign_in_refused") && actions.contains(&"user.add"));
    assert!(log["entries"][0]["remote"].as_str() == Some("127.0.0.1"), "{}", log["entries"][0]);
    server.stop().await;
}

#[tokio::test]
async fn editors_draft_and_submit_only_another_approver_publishes_and_nothing_is_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _clock) = server(dir.path()).await;
    server.create_channel("booth").await;
    let (manifest, blobs) = sample("v1");
    server.upload(&blobs).await;
    server.publish("booth", &manifest).await;
    let booth = |role: &str| json!([{ "channel": "booth", "role": role }]);
    add_user(&server, "hoa", booth("editor")).await;
    add_user(&server, "minh", booth("editor")).await;
    add_user(&server, "tuan", booth("approver")).await;
    add_user(&server, "mai", booth("approver")).await;
    add_user(&server, "khach", booth("viewer")).await;
    let [hoa, minh, tuan, mai, khach] = [
        sign_in(&server, "hoa").await,
        sign_in(&server, "minh").await,
        sign_in(&server, "tuan").await,
        sign_in(&server, "mai").await,
        sign_in(&server, "khach").await,
    ];

    // Both editors open revision 0; the first to save wins, the second is told.
    let (status, draft) = hoa.get(&server, "/v1/admin/channels/booth/draft").await;
    assert_eq!(
        (status, draft["revision"].as_u64(), draft["base_version"].as_u64()),
        (StatusCode::OK, Some(0), Some(1))
    );
    let mut content = draft["content"].clone();
    content["chapters"][0]["scenes"][0]["title"]["en"] = json!("New York, 26 October 2023");
    content["chapters"][0]["scenes"][0]["body"]["en"] = json!("The award was announced in New York.");
    let (status, saved) = hoa
        .json(
            &server,
            Method::PUT,
            "/v1/admin/channels/booth/draft",
            json!({ "revision": 0, "content": content }),
        )
        .await;
    assert_eq!((status, saved["revision"].as_u64()), (StatusCode::OK, Some(1)), "{saved}");
    let mut theirs = draft["content"].clone();
    theirs["brand"]["tagline"]["en"] = json!("Overwritten?");
    let (status, refused) = minh
        .json(
            &server,
            Method::PUT,
            "/v1/admin/channels/booth/draft",
            json!({ "revision": 0, "content": theirs }),
        )
        .await;
    assert_eq!((status, refused["error"].as_str()), (StatusCode::CONFLICT, Some("draft_conflict")));
    assert!(refused["message"].as_str().unwrap().starts_with("hoa saved this draft"), "{refused}");
    let (_, now) = tuan.get(&server, "/v1/admin/channels/booth/draft").await;
    assert_eq!(now["content"]["chapters"][0]["scenes"][0]["title"]["en"], "New York, 26 October 2023");
    assert!(now["content"]["brand"]["tagline"]["en"].is_null());

    // A viewer cannot change anything; nor can content that is not a pack be saved.
    let (status, body) = khach
        .json(
            &server,
            Method::PUT,
            "/v1/admin/channels/booth/draft",
            json!({ "revision": 1, "content": content }),
        )
        .await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
    assert_eq!(body["message"], "you are a viewer on channel \"booth\"; this needs an editor");
    let (status, body) = hoa
        .json(
            &server,
            Method::PUT,
            "/v1/admin/channels/booth/draft",
            json!({ "revision": 1, "content": { "x": 1 } }),
        )
        .await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_content")));

    let (status, submitted) = hoa
        .json(
            &server,
            Method::POST,
            "/v1/admin/channels/booth/draft/submit",
            json!({ "revision": 1, "note": "English for New York" }),
        )
        .await;
    assert_eq!((status, submitted["state"].as_str()), (StatusCode::OK, Some("in_review")), "{submitted}");
    let revision = submitted["revision"].as_u64().unwrap();

    // An editor cannot publish; an approver who did not change it can.
    let approve = json!({ "revision": revision });
    let (status, _) =
        hoa.json(&server, Method::POST, "/v1/admin/channels/booth/draft/approve", approve.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, review) = tuan.get(&server, "/v1/admin/channels/booth/review").await;
    let changes = review["changes"].as_array().unwrap();
    let title = changes
        .iter()
        .find(|c| c["place"] == "chapter \"award\" › scene \"new-york\" › title [en]")
        .unwrap_or_else(|| panic!("{review:#}"));
    assert_eq!(
        (title["kind"].as_str(), title["after"].as_str()),
        (Some("added"), Some("New York, 26 October 2023"))
    );
    assert_eq!(review["bytes_to_transfer"], 0);
    assert_eq!(review["submitted_by"], "hoa");

    // An approver who edited the draft may not approve it.
    let mut edited = now["content"].clone();
    edited["chapters"][0]["summary"]["en"] = json!("TOP 1 ICF 2023");
    let (status, saved) = mai
        .json(
            &server,
            Method::PUT,
            "/v1/admin/channels/booth/draft",
            json!({ "revision": revision, "content": edited }),
        )
        .await;
    assert_eq!(
        (status, saved["state"].as_str()),
        (StatusCode::OK, Some("editing")),
        "saving withdraws the submission"
    );
    let revision = saved["revision"].as_u64().unwrap();
    let (_, submitted) = hoa
        .json(&server, Method::POST, "/v1/admin/channels/booth/draft/submit", json!({ "revision": revision }))
        .await;
    let revision = submitted["revision"].as_u64().unwrap();
    let (status, own) = mai
        .json(
            &server,
            Method::POST,
            "/v1/admin/channels/booth/draft/approve",
            json!({ "revision": revision }),
        )
        .await;
    assert_eq!((status, own["error"].as_str()), (StatusCode::FORBIDDEN, Some("own_change")));
    let (status, published) = tuan
        .json(
            &server,
            Method::POST,
            "/v1/admin/channels/booth/draft/approve",
            json!({ "revision": revision }),
        )
        .await;
    assert_eq!((status, published["version"].as_u64()), (StatusCode::CREATED, Some(2)), "{published}");

    // A screen of the channel gets the approved content, signed (from another
    // replica within a second).
    let token = server.enrol("booth", "screen-1").await;
    let fetch = || async {
        let response = server
            .client
            .get(server.url("/v1/channels/booth/manifest"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json::<Value>().await.unwrap()
    };
    let version = support::settles(json!(2), || async { fetch().await["version"].clone() }).await;
    assert_eq!(version, 2);
    let manifest = fetch().await;
    assert_eq!(manifest["content"]["chapters"][0]["scenes"][0]["title"]["en"], "New York, 26 October 2023");
    assert_eq!(manifest["content"]["chapters"][0]["summary"]["en"], "TOP 1 ICF 2023");

    let (_, log) = khach.get(&server, "/v1/admin/audit?channel=booth").await;
    let steps: Vec<(String, String)> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|e| (e["actor"].as_str().unwrap().to_owned(), e["action"].as_str().unwrap().to_owned()))
        .collect();
    let expected = [
        ("hoa", "draft.save"),
        ("hoa", "draft.submit"),
        ("mai", "draft.save"),
        ("hoa", "draft.submit"),
        ("tuan", "draft.approve"),
    ];
    let found: Vec<(&str, &str)> = steps
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .filter(|(_, a)| a.starts_with("draft."))
        .collect();
    assert_eq!(found, expected);
    server.stop().await;

    // Nobody can change the audit log, not even with the database file in hand
    // (PostgreSQL's refusal: tests/staff_store_conformance.rs).
    if !support::embedded_only("the database file is changed by hand") {
        let db = rusqlite::Connection::open(dir.path().join("server.sqlite")).unwrap();
        let update = db.execute("UPDATE audit SET actor = 'someone else'", []);
        let delete = db.execute("DELETE FROM audit", []);
        for attempt in [update, delete] {
            assert!(attempt.unwrap_err().to_string().contains("append-only"));
        }
    }
}

#[tokio::test]
async fn uploads_resume_after_a_cut_and_only_real_media_join_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _clock) = server(dir.path()).await;
    server.create_channel("booth").await;
    add_user(&server, "hoa", json!([{ "channel": "booth", "role": "editor" }])).await;
    add_user(&server, "khach", json!([{ "channel": "booth", "role": "viewer" }])).await;
    let hoa = sign_in(&server, "hoa").await;
    let khach = sign_in(&server, "khach").await;

    let begin = |name: &str, size: usize| json!({ "name": name, "size": size });
    let (status, _) =
        khach.json(&server, Method::POST, "/v1/admin/uploads", begin("film.mp4", FILM.len())).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a viewer cannot upload");
    let (status, body) = hoa.json(&server, Method::POST, "/v1/admin/uploads", begin("notes.txt", 10)).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("unknown_type")));

    let (status, upload) =
        hoa.json(&server, Method::POST, "/v1/admin/uploads", begin("Phim ngắn.mp4", FILM.len())).await;
    assert_eq!(status, StatusCode::CREATED);
    let path = format!("/v1/admin/uploads/{}", upload["id"].as_str().unwrap());

    // The first piece is cut off in the middle: what arrived is kept.
    let half = FILM.len() / 2;
    let first = bytes::Bytes::copy_from_slice(&FILM[..half]);
    let pieces = futures_util::stream::unfold(0, move |step| {
        let first = first.clone();
        async move {
            match step {
                0 => Some((Ok(first), 1)),
                1 => {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    Some((Err(std::io::Error::other("cable pulled")), 2))
                }
                _ => None,
            }
        }
    });
    let cut = hoa
        .request(&server, Method::PATCH, &path)
        .header("upload-offset", "0")
        .body(reqwest::Body::wrap_stream(pieces))
        .send()
        .await;
    assert!(cut.is_err() || !cut.unwrap().status().is_success());
    let mut received = 0;
    for _ in 0..50 {
        received = hoa.get(&server, &path).await.1["received"].as_u64().unwrap();
        if received == half as u64 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(received, half as u64, "what arrived before the cut is kept");

    let (status, body) = hoa.json(&server, Method::POST, &format!("{path}/finish"), json!(null)).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::CONFLICT, Some("incomplete")));
    let wrong = hoa
        .request(&server, Method::PATCH, &path)
        .header("upload-offset", "0")
        .body(FILM.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::CONFLICT);
    let rest = hoa
        .request(&server, Method::PATCH, &path)
        .header("upload-offset", received.to_string())
        .body(FILM[half..].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.status(), StatusCode::OK);
    let (status, item) = hoa.json(&server, Method::POST, &format!("{path}/finish"), json!(null)).await;
    assert_eq!(status, StatusCode::CREATED, "{item}");
    assert_eq!((item["kind"].as_str(), item["name"].as_str()), (Some("video"), Some("Phim ngắn.mp4")));
    assert_eq!(item["sha256"], kiosk_core::blob::BlobId::of(FILM).to_string());
    assert!(item["duration_ms"].as_u64().unwrap() > 500, "{item}");
    assert_eq!(item["width"], 96);

    // A file that only pretends to be a picture, and one that only pretends to be a film, are refused with the reason.
    for (name, bytes, code) in [
        ("poster.png", b"this is not a picture".to_vec(), "not_media"),
        ("broken.mp4", (0..=255u8).cycle().take(4096).collect(), "undecodable_media"),
    ] {
        let (_, upload) =
            hoa.json(&server, Method::POST, "/v1/admin/uploads", begin(name, bytes.len())).await;
        let path = format!("/v1/admin/uploads/{}", upload["id"].as_str().unwrap());
        let sent = hoa
            .request(&server, Method::PATCH, &path)
            .header("upload-offset", "0")
            .body(bytes)
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), StatusCode::OK);
        let (status, body) = hoa.json(&server, Method::POST, &format!("{path}/finish"), json!(null)).await;
        assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some(code)), "{name}: {body}");
        let message = body["message"].as_str().unwrap();
        assert!(message.len() > 30, "{body}");
        assert!(!message.contains("uploads/") && !message.contains(".part"), "no server path: {message}");
        assert_eq!(hoa.get(&server, &path).await.0, StatusCode::NOT_FOUND, "a refused upload is discarded");
    }

    let (_, library) = khach.get(&server, "/v1/admin/media?kind=video&q=phim").await;
    let names: Vec<&str> =
        library["media"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Phim ngắn.mp4"]);
    let thumbnail = khach
        .request(
            &server,
            Method::GET,
            &format!("/v1/admin/media/{}/thumbnail", item["sha256"].as_str().unwrap()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(thumbnail.status(), 200);
    assert_eq!(&thumbnail.bytes().await.unwrap()[..4], b"\x89PNG");
    server.stop().await;
}

#[tokio::test]
async fn survey_answers_reported_by_screens_are_counted_per_answer_and_language() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _clock) = server(dir.path()).await;
    server.create_channel("booth").await;
    let (mut manifest, blobs) = sample("survey");
    let survey: kiosk_core::content::Survey = serde_json::from_value(json!({
        "id": "why-here",
        "question": { "vi": "Điều gì đưa bạn đến Bình Dương?", "en": "What brings you to Bình Dương?" },
        "options": [
            { "id": "invest", "label": { "vi": "Đầu tư", "en": "Investment" } },
            { "id": "study", "label": { "vi": "Học tập", "en": "Study" } }
        ]
    }))
    .unwrap();
    let scene = &mut manifest.content.chapters[0].scenes[0];
    scene.video = None;
    scene.survey = Some(survey);
    server.upload(&blobs).await;
    server.publish("booth", &manifest).await;
    let answer = |id: &str, option: &str, locale: &str| {
        json!({ "id": id, "kind": "survey_answer", "at": "2026-12-06T09:00:00Z",
                "data": { "survey": "why-here", "option": option, "chapter": "award", "scene": "new-york", "locale": locale } })
    };
    for (screen, events) in [
        (
            "screen-1",
            vec![answer("a1", "invest", "en"), answer("a2", "invest", "vi"), answer("a3", "study", "en")],
        ),
        ("screen-2", vec![answer("b1", "invest", "en"), answer("b1", "invest", "en")]),
    ] {
        let token = server.enrol("booth", screen).await;
        for _ in 0..2 {
            // A report sent twice (its answer lost) counts once.
            let response = server
                .client
                .post(server.url("/v1/reports"))
                .bearer_auth(&token)
                .json(&json!({ "events": events }))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{:?}", response.text().await);
        }
    }
    add_user(&server, "khach", json!([{ "channel": "booth", "role": "viewer" }])).await;
    let khach = sign_in(&server, "khach").await;
    let (status, results) = khach.get(&server, "/v1/admin/channels/booth/surveys").await;
    assert_eq!(status, StatusCode::OK, "{results}");
    let survey = &results["surveys"][0];
    assert_eq!((survey["survey"].as_str(), survey["total"].as_u64()), (Some("why-here"), Some(4)));
    assert_eq!(survey["question"]["en"], "What brings you to Bình Dương?");
    assert_eq!(survey["answers"][0]["option"], "invest");
    assert_eq!(survey["answers"][0]["count"], 3);
    assert_eq!(survey["answers"][0]["by_locale"], json!({ "en": 2, "vi": 1 }));
    assert_eq!(
        (survey["answers"][1]["option"].as_str(), survey["answers"][1]["count"].as_u64()),
        (Some("study"), Some(1))
    );
    server.stop().await;
}

#[tokio::test]
async fn tokens_for_automation_act_only_within_their_roles_until_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _clock) = server(dir.path()).await;
    server.create_channel("booth").await;
    server.create_channel("hall").await;
    let response = server
        .admin(Method::POST, "/v1/admin/tokens")
        .json(&json!({ "name": "nightly", "roles": [{ "channel": "booth", "role": "viewer" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let made: Value = response.json().await.unwrap();
    let secret = made["secret"].as_str().unwrap().to_owned();
    let listed: Value =
        server.admin(Method::GET, "/v1/admin/tokens").send().await.unwrap().json().await.unwrap();
    assert!(!listed.to_string().contains(&secret), "the value is shown only once");

    let read = |path: &str| server.client.get(server.url(path)).bearer_auth(&secret).send();
    assert_eq!(read("/v1/admin/channels/booth/releases").await.unwrap().status(), 200);
    assert_eq!(read("/v1/admin/channels/hall/releases").await.unwrap().status(), 403);
    assert_eq!(read("/v1/admin/users").await.unwrap().status(), 403);
    let channels: Value = read("/v1/admin/channels").await.unwrap().json().await.unwrap();
    assert_eq!(channels["channels"].as_array().unwrap().len(), 1, "{channels}");

    let revoked = server.admin(Method::DELETE, "/v1/admin/tokens/nightly").send().await.unwrap();
    assert_eq!(revoked.status(), 204);
    assert_eq!(read("/v1/admin/channels/booth/releases").await.unwrap().status(), 401);
    let log: Value = server.admin(Method::GET, "/v1/admin/audit").send().await.unwrap().json().await.unwrap();
    let actions: Vec<&str> =
        log["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.starts_with(&["token.revoke", "token.create"]), "{actions:?}");
    server.stop().await;
}
