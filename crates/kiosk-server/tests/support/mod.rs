//! Starting a server in-process on 127.0.0.1:0, and a small valid content pack.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::time::Duration;

use kiosk_core::blob::{BlobId, BlobRef, MediaType};
use kiosk_core::content::*;
use kiosk_core::locale::{LocaleTag, Localized};
use kiosk_core::manifest::{FORMAT, Manifest};
use kiosk_server::{ServerError, Settings};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const ADMIN: &str = "test-admin-token";

/// A real one-second film (96×54 H.264, made with GStreamer's test source),
/// since the server probes every film it publishes.
pub const FILM: &[u8] = include_bytes!("tiny-film.mp4");

/// A server running on the test's runtime; stopped when dropped.
pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub data_dir: std::path::PathBuf,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), ServerError>>>,
}

pub async fn start(data_dir: &std::path::Path) -> TestServer {
    start_with(Settings::new(data_dir.to_owned(), ADMIN.into())).await
}

pub async fn start_with(settings: Settings) -> TestServer {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
    serve_for(settings, "http", client).await
}

/// A server answering over TLS (its settings name the certificate), with a
/// client trusting only `pinned`.
pub async fn start_tls(settings: Settings, pinned: &kiosk_tls::PinnedServer) -> TestServer {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .tls_backend_preconfigured(pinned.client_config())
        .build()
        .unwrap();
    serve_for(settings, "https", client).await
}

async fn serve_for(settings: Settings, scheme: &str, client: reqwest::Client) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("{scheme}://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    let data_dir = settings.data_dir.clone();
    let task = tokio::spawn(kiosk_server::serve(settings, listener, async {
        let _ = stopped.await;
    }));
    let server = TestServer { base, client, data_dir, stop: Some(stop), task: Some(task) };
    for _ in 0..200 {
        if server.client.get(server.url("/v1/public-key")).send().await.is_ok() {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the server did not start");
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn admin(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(path)).bearer_auth(ADMIN)
    }

    /// Stops the server and waits until it has.
    /// The key the server signs with, as a device pins it.
    pub async fn public_key(&self) -> ed25519_dalek::VerifyingKey {
        let text = self.client.get(self.url("/v1/public-key")).send().await.unwrap().text().await.unwrap();
        kiosk_core::keys::parse_public_key(&text).unwrap()
    }

    /// The key the server signs emergency messages with, as a device pins it.
    pub async fn emergency_key(&self) -> ed25519_dalek::VerifyingKey {
        let text = self.client.get(self.url("/v1/emergency-key")).send().await.unwrap().text().await.unwrap();
        kiosk_core::keys::parse_public_key(&text).unwrap()
    }

    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.task.take().unwrap().await.unwrap().unwrap();
    }

    pub async fn create_channel(&self, name: &str) {
        let response = self
            .admin(reqwest::Method::POST, "/v1/admin/channels")
            .json(&serde_json::json!({ "name": name }))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{:?}", response.text().await);
    }

    pub async fn upload(&self, blobs: &[(BlobId, Vec<u8>)]) {
        for (id, bytes) in blobs {
            let response = self
                .admin(reqwest::Method::PUT, &format!("/v1/admin/blobs/{id}"))
                .body(bytes.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{:?}", response.text().await);
        }
    }

    /// Publishes; answers `(version, manifest_sha256)`.
    pub async fn publish(&self, channel: &str, manifest: &Manifest) -> (u64, String) {
        let response = self
            .admin(reqwest::Method::POST, &format!("/v1/admin/channels/{channel}/releases"))
            .header("content-type", "application/json")
            .body(manifest.encode())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{:?}", response.text().await);
        let body: serde_json::Value = response.json().await.unwrap();
        (body["version"].as_u64().unwrap(), body["manifest_sha256"].as_str().unwrap().to_owned())
    }

    /// Opens `channel`'s event stream with `token`; it must be answered `200`.
    pub async fn open_events(&self, channel: &str, token: &str) -> reqwest::Response {
        let response = self
            .client
            .get(self.url(&format!("/v1/channels/{channel}/events")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::OK, "the event stream of {channel}");
        response
    }

    /// Makes an enrolment code and enrols with it; answers the device's token.
    pub async fn enrol(&self, channel: &str, name: &str) -> String {
        let response = self
            .admin(reqwest::Method::POST, &format!("/v1/admin/channels/{channel}/enrolment-codes"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let code: serde_json::Value = response.json().await.unwrap();
        let response = self
            .client
            .post(self.url("/v1/enrol"))
            .json(&serde_json::json!({ "code": code["code"], "name": name }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let enrolled: serde_json::Value = response.json().await.unwrap();
        assert_eq!(enrolled["channel"], channel);
        enrolled["token"].as_str().unwrap().to_owned()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn blob(bytes: &[u8], media_type: MediaType) -> BlobRef {
    BlobRef { sha256: BlobId::of(bytes), size: bytes.len() as u64, media_type, probe: None }
}

/// `GET path` with the admin token, which must answer `200`; its JSON.
pub async fn get(server: &TestServer, path: &str) -> serde_json::Value {
    let response = server.admin(reqwest::Method::GET, path).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}: {:?}", response.text().await);
    response.json().await.unwrap()
}

/// A small valid manifest (its channel, version and time are set by the server)
/// and its blobs' bytes; `tag` makes the badge, and so the release, distinct.
pub fn sample(tag: &str) -> (Manifest, Vec<(BlobId, Vec<u8>)>) {
    let files: Vec<(Vec<u8>, MediaType)> = vec![
        (format!("<svg>badge {tag}</svg>").into_bytes(), MediaType::Svg),
        (b"<svg>cover</svg>".to_vec(), MediaType::Svg),
        (FILM.to_vec(), MediaType::Mp4),
        (b"%PDF-1.7 guide".to_vec(), MediaType::Pdf),
    ];
    let refs: Vec<BlobRef> = files.iter().map(|(bytes, kind)| blob(bytes, *kind)).collect();
    let [badge, cover, film, pdf] = [&refs[0], &refs[1], &refs[2], &refs[3]].map(|r| r.sha256.clone());
    let ui = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    let content = ContentPack {
        default_locale: LocaleTag::new("vi").unwrap(),
        locales: vec![
            LocaleInfo { tag: LocaleTag::new("vi").unwrap(), name: "Tiếng Việt".into() },
            LocaleInfo { tag: LocaleTag::new("en").unwrap(), name: "English".into() },
        ],
        brand: Brand {
            title: Localized::from_pairs([("vi", "Bình Dương".into()), ("en", "Binh Duong".into())]),
            tagline: Localized::from_pairs([("vi", "Thành phố thông minh".into())]),
            badge,
            logo: None,
        },
        attract: Attract {
            headline: Localized::from_pairs([("vi", "Chạm để khám phá".into())]),
            video: Some(film.clone()),
            images: vec![cover.clone()],
        },
        chapters: vec![Chapter {
            id: "award".into(),
            title: Localized::from_pairs([("vi", "Giải thưởng".into())]),
            summary: Localized::from_pairs([("vi", "TOP 1 ICF".into())]),
            cover: cover.clone(),
            accent: Some("#E8A317".into()),
            scenes: vec![Scene {
                id: "new-york".into(),
                title: Localized::from_pairs([("vi", "New York".into())]),
                body: Localized::from_pairs([("vi", "Đoạn một.".into())]),
                highlights: Localized::from_pairs([("vi", vec!["26/10/2023".into()])]),
                image: Some(cover.clone()),
                video: Some(film),
                survey: None,
            }],
        }],
        brochures: vec![Brochure {
            id: "invest-guide".into(),
            title: Localized::from_pairs([("vi", "Cẩm nang".into())]),
            summary: Localized::from_pairs([("vi", "Đầu tư".into())]),
            cover: Some(cover),
            file: Localized::from_pairs([(
                "vi",
                BrochureFile { blob: pdf, file_name: "invest-guide-vi.pdf".into() },
            )]),
        }],
        social: Social {
            hashtags: vec!["#BinhDuong2023".into()],
            channels: vec![SocialChannel {
                name: "Facebook".into(),
                handle: "@sample".into(),
                url: "https://example.com/binhduong".into(),
            }],
        },
        ui: Localized::from_pairs([("vi", ui(&[("back", "Quay lại")]))]),
        signage: None,
        sound: None,
        tour: None,
    };
    let mut blobs = refs;
    blobs.sort_by(|a, b| a.sha256.cmp(&b.sha256));
    let manifest = Manifest {
        format: FORMAT,
        channel: "set-by-the-server".into(),
        version: 0,
        created_at: jiff::Timestamp::UNIX_EPOCH,
        expires_at: None,
        blobs,
        content,
    };
    let bytes = files.into_iter().map(|(bytes, _)| (BlobId::of(&bytes), bytes)).collect();
    (manifest, bytes)
}

/// The next `event: <name>` block's data from an event stream.
pub async fn next_event(
    response: &mut reqwest::Response,
    buffer: &mut String,
    name: &str,
) -> serde_json::Value {
    loop {
        if let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            if block.lines().any(|l| l == format!("event: {name}")) {
                let data = block.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
                return serde_json::from_str(data).unwrap();
            }
            continue;
        }
        let chunk = response.chunk().await.unwrap().expect("the stream stays open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
    }
}
