//! Bad input is refused with a 4xx and `{"error", "message"}`, never a 500.

mod support;

use kiosk_core::blob::BlobId;
use reqwest::{Method, StatusCode};
use support::{ADMIN, TestServer, sample, start};

/// Asserts the status and error code of a refusal, and that it carries a message.
async fn refused(response: reqwest::Response, status: StatusCode, code: &str) {
    refused_as(response, status, &[code]).await;
}

/// As [`refused`], with any of `codes`.
async fn refused_as(response: reqwest::Response, status: StatusCode, codes: &[&str]) {
    let got = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    let body: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON error body: {text}"));
    assert!(codes.iter().any(|code| body["error"] == *code), "{text}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{text}");
}

async fn with_channel() -> (tempfile::TempDir, TestServer) {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    server.create_channel("wtc-booths").await;
    (dir, server)
}

#[tokio::test]
async fn refuses_malformed_json_unknown_fields_and_wrong_content_types() {
    let (_dir, server) = with_channel().await;
    let post = |path: &str, content_type: &str, body: &str| {
        server.admin(Method::POST, path).header("content-type", content_type).body(body.to_owned()).send()
    };
    let channels = "/v1/admin/channels";
    refused(
        post(channels, "application/json", "{\"name\":").await.unwrap(),
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    refused(
        post(channels, "application/json", r#"{"name":"x","colour":"red"}"#).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_json",
    )
    .await;
    refused(
        post(channels, "application/json", "[]").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_json",
    )
    .await;
    refused(
        post(channels, "text/plain", r#"{"name":"x"}"#).await.unwrap(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    refused(
        post(channels, "application/json", r#"{"name":"../etc"}"#).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "invalid_channel",
    )
    .await;

    let (manifest, _) = sample("x");
    let mut value = serde_json::to_value(&manifest).unwrap();
    value["content"]["surprise"] = true.into();
    let releases = "/v1/admin/channels/wtc-booths/releases";
    refused(
        post(releases, "application/json", &value.to_string()).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_json",
    )
    .await;

    let enrol = |body: &str| {
        server
            .client
            .post(server.url("/v1/enrol"))
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
    };
    refused(enrol(r#"{"code":"c"}"#).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_json").await;
    refused(enrol(r#"{"code":"c","name":"  "}"#).await.unwrap(), StatusCode::BAD_REQUEST, "invalid_name")
        .await;
    refused(
        enrol(r#"{"code":"c","name":"Booth","extra":1}"#).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_json",
    )
    .await;
    refused(
        enrol(r#"{"code":"never-issued","name":"Booth"}"#).await.unwrap(),
        StatusCode::FORBIDDEN,
        "invalid_code",
    )
    .await;
    server.stop().await;
}

#[tokio::test]
async fn refuses_manifests_the_devices_would_refuse() {
    let (_dir, server) = with_channel().await;
    let (manifest, blobs) = sample("checks");
    server.upload(&blobs).await;
    let publish = |m: &kiosk_core::manifest::Manifest, channel: &str| {
        server.admin(Method::POST, &format!("/v1/admin/channels/{channel}/releases")).json(m).send()
    };

    let mut dangling = manifest.clone();
    dangling.content.chapters[0].cover = BlobId::of(b"nowhere");
    refused(publish(&dangling, "wtc-booths").await.unwrap(), StatusCode::BAD_REQUEST, "invalid_content")
        .await;

    let mut expired = manifest.clone();
    expired.expires_at = Some(jiff::Timestamp::UNIX_EPOCH);
    refused(publish(&expired, "wtc-booths").await.unwrap(), StatusCode::BAD_REQUEST, "expired").await;

    let mut future = manifest.clone();
    future.format = 2;
    refused(publish(&future, "wtc-booths").await.unwrap(), StatusCode::BAD_REQUEST, "unsupported_format")
        .await;

    let mut twice = manifest.clone();
    twice.blobs.push(twice.blobs[0].clone());
    refused(publish(&twice, "wtc-booths").await.unwrap(), StatusCode::BAD_REQUEST, "invalid_manifest").await;

    let mut wrong_size = manifest.clone();
    wrong_size.blobs[0].size += 1;
    refused(publish(&wrong_size, "wtc-booths").await.unwrap(), StatusCode::BAD_REQUEST, "blob_size").await;

    refused(publish(&manifest, "no-such-channel").await.unwrap(), StatusCode::NOT_FOUND, "no_channel").await;

    // Nothing was published by the refusals: the next good one is version 1.
    assert_eq!(server.publish("wtc-booths", &manifest).await.0, 1);
    server.stop().await;
}

#[tokio::test]
async fn refuses_blobs_that_do_not_hash_to_their_name_or_are_too_large() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = kiosk_server::Settings::new(dir.path().to_owned(), ADMIN.into());
    settings.max_blob_bytes = 1024;
    let server = support::start_with(settings).await;
    let put = |name: String, body: Vec<u8>| {
        server.admin(Method::PUT, &format!("/v1/admin/blobs/{name}")).body(body).send()
    };

    let id = BlobId::of(b"hello");
    refused(put(id.to_string(), b"hullo".to_vec()).await.unwrap(), StatusCode::BAD_REQUEST, "hash_mismatch")
        .await;
    let big = vec![7u8; 2048];
    refused(
        put(BlobId::of(&big).to_string(), big).await.unwrap(),
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
    )
    .await;
    // A streamed body without a length is cut off at the limit too.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(vec![1u8; 700]), Ok(vec![2u8; 700])];
    let streamed = server
        .admin(Method::PUT, &format!("/v1/admin/blobs/{}", BlobId::of(b"x")))
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
        .send()
        .await
        .unwrap();
    refused(streamed, StatusCode::PAYLOAD_TOO_LARGE, "too_large").await;
    assert!(std::fs::read_dir(dir.path().join("blobs")).unwrap().all(|e| e.unwrap().file_name() == "tmp"));

    let response =
        server.client.put(server.url(&format!("/v1/admin/blobs/{id}"))).body("hello").send().await.unwrap();
    refused(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    server.stop().await;
}

#[tokio::test]
async fn refuses_path_tricks_in_blob_and_channel_names() {
    let (dir, server) = with_channel().await;
    std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    let upper = "A".repeat(64);
    // A client may resolve `%2e%2e` itself, which then asks for another route.
    let not_found = ["no_blob", "not_found"];
    for name in [
        "..%2Fserver.sqlite",
        "..%2F..%2Fsecret.txt",
        "%2e%2e",
        "tmp",
        upper.as_str(),
        &format!("{}%2F", "a".repeat(64)),
        &"a".repeat(65),
    ] {
        let response = server.admin(Method::GET, &format!("/v1/blobs/{name}")).send().await.unwrap();
        refused_as(response, StatusCode::NOT_FOUND, &not_found).await;
        let response =
            server.admin(Method::PUT, &format!("/v1/admin/blobs/{name}")).body("x").send().await.unwrap();
        refused_as(response, StatusCode::NOT_FOUND, &not_found).await;
    }
    for name in ["..%2Fwtc-booths", "WTC", "%2e%2e", "a%2Fb"] {
        let response =
            server.admin(Method::GET, &format!("/v1/channels/{name}/manifest")).send().await.unwrap();
        refused_as(response, StatusCode::NOT_FOUND, &["no_channel", "not_found"]).await;
    }
    server.stop().await;
}

#[tokio::test]
async fn refuses_bad_reports_and_oversized_bodies() {
    let (_dir, server) = with_channel().await;
    let token = server.enrol("wtc-booths", "Booth").await;
    let report = |body: String| {
        server
            .client
            .post(server.url("/v1/reports"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let event =
        |id: &str| serde_json::json!({"id": id, "kind": "play", "at": "2026-12-01T10:00:00Z", "data": {}});
    let body = serde_json::json!({"events": [event("")]}).to_string();
    refused(report(body).await.unwrap(), StatusCode::BAD_REQUEST, "invalid_event").await;
    let body = serde_json::json!({"events": [{"id": "e", "kind": "play", "at": "yesterday", "data": {}}]})
        .to_string();
    refused(report(body).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_json").await;
    let body = serde_json::json!({"events": [], "extra": 1}).to_string();
    refused(report(body).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_json").await;
    let body = serde_json::json!({"heartbeat": [1, 2]}).to_string();
    refused(report(body).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_json").await;
    refused(report("{".into()).await.unwrap(), StatusCode::BAD_REQUEST, "malformed_json").await;
    let padded = format!(r#"{{"heartbeat": {{"pad": "{}"}}}}"#, "x".repeat(70 * 1024));
    refused(report(padded).await.unwrap(), StatusCode::BAD_REQUEST, "invalid_heartbeat").await;
    let big_data = serde_json::json!({"events": [{"id": "e", "kind": "play", "at": "2026-12-01T10:00:00Z", "data": "x".repeat(70 * 1024)}]});
    refused(report(big_data.to_string()).await.unwrap(), StatusCode::BAD_REQUEST, "invalid_event").await;
    let huge = format!(r#"{{"heartbeat": {{"pad": "{}"}}}}"#, "x".repeat(9 * 1024 * 1024));
    refused(report(huge).await.unwrap(), StatusCode::PAYLOAD_TOO_LARGE, "too_large").await;
    let empty = report("{}".into()).await.unwrap();
    assert_eq!(empty.json::<serde_json::Value>().await.unwrap(), serde_json::json!({"accepted": 0}));

    let as_admin = server
        .admin(Method::POST, "/v1/reports")
        .json(&serde_json::json!({"events": []}))
        .send()
        .await
        .unwrap();
    refused(as_admin, StatusCode::UNAUTHORIZED, "unauthorized").await;
    server.stop().await;
}

#[tokio::test]
async fn answers_unknown_routes_and_methods_with_json() {
    let (_dir, server) = with_channel().await;
    refused(
        server.admin(Method::GET, "/v1/nothing").send().await.unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    refused(server.admin(Method::GET, "/").send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    refused(
        server.admin(Method::DELETE, "/v1/admin/channels").send().await.unwrap(),
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
    server.stop().await;
}
