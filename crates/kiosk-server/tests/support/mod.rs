//! Starting a server in-process on 127.0.0.1:0, and a small valid content pack.
//!
//! With `KIOSK_TEST_STORAGE=replicas` in the environment, every server a test
//! starts is two replicas sharing a fresh PostgreSQL database and S3 bucket,
//! behind HAProxy (the deployment's configuration), and the test talks to
//! HAProxy; a server started again on the same data folder finds the same
//! database and bucket.

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

/// A server running on the test's runtime (or its replicas and their load
/// balancer); stopped when dropped.
pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub data_dir: std::path::PathBuf,
    replicas: Vec<Replica>,
    _balancer: Option<kiosk_testbed::haproxy::LoadBalancer>,
}

/// Whether the tests run against replicas behind a load balancer.
pub fn replicated() -> bool {
    std::env::var("KIOSK_TEST_STORAGE").is_ok_and(|v| v == "replicas")
}

/// `true` (and says why on stderr) when the tests run against replicas and
/// this test checks what only one server on its data folder has: the test then
/// returns; the same behaviour of the shared storage is checked elsewhere.
pub fn embedded_only(why: &str) -> bool {
    let skip = replicated();
    if skip {
        eprintln!("not run against replicas: {why}");
    }
    skip
}

/// What replicas learn from one another arrives within a second: waits up to
/// a second for the answer of `ask` to be `wanted` (at once on one server).
pub async fn settles<T, F>(wanted: T, mut ask: impl FnMut() -> F) -> T
where
    T: PartialEq + std::fmt::Debug,
    F: std::future::Future<Output = T>,
{
    let deadline = std::time::Instant::now() + Duration::from_secs(1);
    loop {
        let answer = ask().await;
        if answer == wanted || !replicated() || std::time::Instant::now() > deadline {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The shared storage of the replicas started on `data_dir`: made on first
/// use, the same when started again.
fn shared_storage(data_dir: &std::path::Path) -> kiosk_server::settings::Storage {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static STORAGE: OnceLock<Mutex<HashMap<std::path::PathBuf, kiosk_server::settings::Storage>>> =
        OnceLock::new();
    let mut kept = STORAGE.get_or_init(Default::default).lock().unwrap();
    kept.entry(data_dir.to_owned())
        .or_insert_with(|| {
            let database = kiosk_testbed::postgres::fresh_database();
            let bucket = kiosk_testbed::s3::fresh_bucket();
            kiosk_server::settings::Storage {
                postgres: Some(kiosk_server::settings::PostgresAddress(database.url.parse().unwrap())),
                s3: Some(kiosk_server::s3_blob_store::S3Config {
                    endpoint: bucket.endpoint,
                    bucket: bucket.bucket,
                    region: kiosk_testbed::s3::REGION.into(),
                    access_key_id: kiosk_testbed::s3::ACCESS_KEY.into(),
                    secret_access_key: kiosk_testbed::s3::SECRET_KEY.into(),
                    prefix: "blobs/".into(),
                    allow_http: true,
                }),
            }
        })
        .clone()
}

/// The data folder of replica `n` (from 2) of the server on `data_dir`: the
/// same keys (copied), nothing else shared.
fn replica_dir(data_dir: &std::path::Path, n: usize) -> std::path::PathBuf {
    let dir =
        data_dir.with_file_name(format!("{}-replica{n}", data_dir.file_name().unwrap().to_string_lossy()));
    std::fs::create_dir_all(&dir).unwrap();
    for file in ["signing.key", "signing.pub", "emergency.key", "emergency.pub"] {
        std::fs::copy(data_dir.join(file), dir.join(file)).unwrap();
    }
    dir
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
    if replicated() && scheme == "http" {
        return serve_replicas(settings, client).await;
    }
    let data_dir = settings.data_dir.clone();
    let (base, replica) = serve_one(settings, scheme).await;
    let server = TestServer { base, client, data_dir, replicas: vec![replica], _balancer: None };
    server.wait_until_up().await;
    server
}

type Replica = (oneshot::Sender<()>, JoinHandle<Result<(), ServerError>>);

async fn serve_one(settings: Settings, scheme: &str) -> (String, Replica) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("{scheme}://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(kiosk_server::serve(settings, listener, async {
        let _ = stopped.await;
    }));
    (base, (stop, task))
}

/// Two replicas on shared storage, the second with the first's keys, behind HAProxy.
async fn serve_replicas(mut settings: Settings, client: reqwest::Client) -> TestServer {
    let data_dir = settings.data_dir.clone();
    settings.storage = shared_storage(&data_dir);
    let (first_base, first) = serve_one(settings.clone(), "http").await;
    let mut server = TestServer {
        base: first_base,
        client,
        data_dir: data_dir.clone(),
        replicas: vec![first],
        _balancer: None,
    };
    server.wait_until_up().await;
    let mut second = settings;
    second.data_dir = replica_dir(&data_dir, 2);
    let (second_base, replica) = serve_one(second, "http").await;
    server.replicas.push(replica);
    let ports: Vec<u16> = [&server.base, &second_base]
        .iter()
        .map(|base| base.rsplit(':').next().unwrap().parse().unwrap())
        .collect();
    let template =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../installers/replicas/haproxy.cfg");
    let balancer = kiosk_testbed::haproxy::LoadBalancer::start(&template, &ports);
    server.base = balancer.url();
    server._balancer = Some(balancer);
    for base in [&second_base, &server.base.clone()] {
        let probe = TestServer {
            base: base.to_string(),
            client: server.client.clone(),
            data_dir: data_dir.clone(),
            replicas: Vec::new(),
            _balancer: None,
        };
        probe.wait_until_up().await;
    }
    server
}

impl TestServer {
    /// A server started elsewhere (a process, a load balancer), answering at `base`.
    pub async fn at(base: &str) -> TestServer {
        let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
        let server = TestServer {
            base: base.to_owned(),
            client,
            data_dir: std::path::PathBuf::new(),
            replicas: Vec::new(),
            _balancer: None,
        };
        server.wait_until_up().await;
        server
    }

    async fn wait_until_up(&self) {
        for _ in 0..400 {
            if let Ok(response) = self.client.get(self.url("/v1/public-key")).send().await
                && response.status().is_success()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the server did not start at {}", self.base);
    }

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
        for (stop, task) in std::mem::take(&mut self.replicas) {
            let _ = stop.send(());
            task.await.unwrap().unwrap();
        }
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
        for (stop, _) in self.replicas.drain(..) {
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
