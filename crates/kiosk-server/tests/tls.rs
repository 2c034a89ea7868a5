//! The server over TLS: a screen syncs from the server whose certificate it
//! pins and from no other; the binary makes its own certificate, refuses to
//! serve plain HTTP to the network unless told, and marks the console's
//! session cookie secure.

mod support;

use std::path::Path;
use std::process::Command;

use kiosk_device::library::{Library, Trust};
use kiosk_device::sync_client::{SyncClient, SyncError, SyncOutcome, SyncSource};
use kiosk_server::Settings;
use kiosk_tls::{PinnedServer, ServerIdentity, self_signed};
use support::{ADMIN, TestServer, sample, start_tls};

/// A server over TLS with a fresh self-signed certificate for 127.0.0.1; its
/// certificate as screens pin it.
async fn tls_server(dir: &Path) -> (TestServer, PinnedServer) {
    let made = self_signed::generate(&["127.0.0.1".into()]).unwrap();
    let (certificate, key) = (dir.join("server.crt"), dir.join("server.key"));
    std::fs::write(&certificate, &made.certificate_pem).unwrap();
    std::fs::write(&key, &made.private_key_pem).unwrap();
    let mut settings = Settings::new(dir.join("server"), ADMIN.into());
    settings.tls = Some(ServerIdentity::load(&certificate, &key).unwrap());
    let pinned = PinnedServer::load(&certificate).unwrap();
    (start_tls(settings, &pinned).await, pinned)
}

fn sync(
    base: String,
    token: String,
    pinned: PinnedServer,
    data: std::path::PathBuf,
    trust: Trust,
) -> tokio::task::JoinHandle<Result<SyncOutcome, SyncError>> {
    tokio::task::spawn_blocking(move || {
        let library = Library::open(&data).unwrap();
        let source = SyncSource { base_url: base, token: Some(token), server_certificate: Some(pinned) };
        SyncClient::new(source).sync_once(&library, &trust, jiff::Timestamp::now())
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_screen_syncs_over_tls_from_the_server_it_pins_and_no_other() {
    let dir = tempfile::tempdir().unwrap();
    let (server, pinned) = tls_server(dir.path()).await;
    assert!(server.base.starts_with("https://"));
    server.create_channel("wtc-booths").await;
    let (manifest, blobs) = sample("over tls");
    server.upload(&blobs).await;
    server.publish("wtc-booths", &manifest).await;
    let token = server.enrol("wtc-booths", "Booth 1").await;
    let trust = Trust::new(vec![server.public_key().await], "wtc-booths");

    // A screen pinning another certificate (a network attacker's server, or a
    // mistaken one) refuses the handshake: no token leaves, nothing changes.
    let other = self_signed::generate(&["127.0.0.1".into()]).unwrap();
    let wrong = PinnedServer::from_pem(other.certificate_pem.as_bytes(), Path::new("other.pem")).unwrap();
    let screen = dir.path().join("screen");
    let refused =
        sync(server.base.clone(), token.clone(), wrong, screen.clone(), trust.clone()).await.unwrap();
    let error = refused.expect_err("a server with another certificate is refused");
    assert!(format!("{error:?}").contains("certificate"), "{error:?}");
    assert_eq!(Library::open(&screen).unwrap().active_pointer(), None, "nothing changed");

    match sync(server.base.clone(), token, pinned, screen, trust).await.unwrap().unwrap() {
        SyncOutcome::Activated { release, fetched, .. } => {
            assert_eq!(release.manifest.version, 1);
            assert_eq!(fetched, blobs.len());
        }
        other => panic!("expected activation, got {other:?}"),
    }

    // Nothing is answered in plain HTTP on the TLS port.
    let plain = server.base.replace("https://", "http://");
    let answer = reqwest::Client::new().get(format!("{plain}/v1/public-key")).send().await;
    assert!(answer.is_err() || !answer.unwrap().status().is_success());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_console_session_cookie_is_sent_back_over_tls_only() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _) = tls_server(dir.path()).await;
    let user = kiosk_server::console::users::NewUser {
        name: "lan".into(),
        password: "a long enough password".into(),
        is_admin: true,
        roles: Vec::new(),
    };
    let clock = kiosk_server::Clock::system();
    let db =
        kiosk_server::sqlite::SqliteDb::open(&server.data_dir.join("server.sqlite"), clock.clone()).unwrap();
    let staff: kiosk_server::console::db::Staff = std::sync::Arc::new(db);
    kiosk_server::console::users::add_user(&staff, &clock, user).await.unwrap();
    let signed_in = server
        .client
        .post(server.url("/v1/session"))
        .json(&serde_json::json!({ "name": "lan", "password": "a long enough password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    let cookie = signed_in.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.ends_with("; Secure"), "{cookie}");
    server.stop().await;
}

fn kiosk_server(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kiosk-server")).args(args).output().unwrap()
}

#[test]
fn the_binary_makes_its_certificate_once_and_refuses_plain_http_to_the_network() {
    let dir = tempfile::tempdir().unwrap();
    let (certificate, key) = (dir.path().join("server.crt"), dir.path().join("server.key"));
    let (c, k) = (certificate.to_str().unwrap(), key.to_str().unwrap());
    let made = kiosk_server(&[
        "tls",
        "self-signed",
        "--name",
        "kiosk.example",
        "--name",
        "192.168.1.20",
        "--certificate",
        c,
        "--private-key",
        k,
    ]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    let first = std::fs::read(&certificate).unwrap();
    PinnedServer::load(&certificate).expect("a screen can pin it");

    let again = kiosk_server(&["tls", "self-signed", "--name", "x", "--certificate", c, "--private-key", k]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--replace"));
    assert_eq!(std::fs::read(&certificate).unwrap(), first, "the pinned certificate is kept");

    let config = dir.path().join("server.toml");
    let data = dir.path().join("data");
    let head = format!("listen = \"0.0.0.0:1\"\ndata_dir = {data:?}\nadmin_token = \"t\"\n");
    std::fs::write(&config, &head).unwrap();
    let refused = kiosk_server(&["--config", config.to_str().unwrap()]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("[tls]") && said.contains("plain_http = true"), "{said}");
    assert!(!data.exists(), "nothing was started");

    std::fs::write(&config, format!("{head}[tls]\ncertificate = {c:?}\nprivate_key = \"/nowhere.key\"\n"))
        .unwrap();
    let refused = kiosk_server(&["--config", config.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && said.contains("/nowhere.key"), "{said}");
}
