//! `kioskctl enrol` as a technician runs it on a screen's first boot: the real
//! binary against the real server on 127.0.0.1, editing copies of the example
//! configs in `kiosk-config/`.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kiosk_device::config::LoadedConfig;
use kiosk_tests::repo_root;

const ADMIN: &str = "admin-secret";

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn enrol(server: &str, code: &str, config: &Path, name: Option<&str>) -> Output {
    enrol_pinning(server, None, code, config, name)
}

fn enrol_pinning(
    server: &str,
    pinned: Option<&Path>,
    code: &str,
    config: &Path,
    name: Option<&str>,
) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kioskctl"));
    command.args(["enrol", "--server", server, "--code", code, "--config", s(config)]);
    if let Some(pinned) = pinned {
        command.args(["--server-certificate", s(pinned)]);
    }
    if let Some(name) = name {
        command.args(["--name", name]);
    }
    command.output().unwrap()
}

fn said(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The real server on a free loopback port, with one channel.
struct Server {
    base: String,
    http: reqwest::blocking::Client,
    _runtime: tokio::runtime::Runtime,
}

impl Server {
    fn start(data: &Path, channel: &str) -> Self {
        Self::start_with(kiosk_server::Settings::new(data.to_owned(), ADMIN.into()), channel, None)
    }

    /// The server over TLS with a self-signed certificate for 127.0.0.1, written
    /// as `server.crt` beside `data`.
    fn start_tls(data: &Path, channel: &str) -> (Self, PathBuf) {
        let made = kiosk_tls::self_signed::generate(&["127.0.0.1".into()]).unwrap();
        let dir = data.parent().unwrap();
        std::fs::create_dir_all(dir).unwrap();
        let (certificate, key) = (dir.join("server.crt"), dir.join("server.key"));
        std::fs::write(&certificate, &made.certificate_pem).unwrap();
        std::fs::write(&key, &made.private_key_pem).unwrap();
        let mut settings = kiosk_server::Settings::new(data.to_owned(), ADMIN.into());
        settings.tls = Some(kiosk_tls::ServerIdentity::load(&certificate, &key).unwrap());
        let pinned = kiosk_tls::PinnedServer::load(&certificate).unwrap();
        (Self::start_with(settings, channel, Some(pinned)), certificate)
    }

    fn start_with(
        settings: kiosk_server::Settings,
        channel: &str,
        pinned: Option<kiosk_tls::PinnedServer>,
    ) -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let scheme = if pinned.is_some() { "https" } else { "http" };
        let base = format!("{scheme}://{}", listener.local_addr().unwrap());
        runtime.spawn(kiosk_server::serve(settings, listener, std::future::pending()));
        let mut http = reqwest::blocking::Client::builder();
        if let Some(pinned) = pinned {
            http = http.tls_backend_preconfigured(pinned.client_config());
        }
        let server = Self { base, http: http.build().unwrap(), _runtime: runtime };
        let created = server
            .http
            .post(format!("{}/v1/admin/channels", server.base))
            .bearer_auth(ADMIN)
            .header("content-type", "application/json")
            .body(serde_json::json!({ "name": channel }).to_string())
            .send()
            .unwrap();
        assert!(created.status().is_success(), "{}", created.text().unwrap());
        server
    }

    /// A one-time code through the admin API.
    fn code(&self, channel: &str) -> String {
        let response = self
            .http
            .post(format!("{}/v1/admin/channels/{channel}/enrolment-codes", self.base))
            .bearer_auth(ADMIN)
            .send()
            .unwrap();
        assert_eq!(response.status(), 201);
        let answer: serde_json::Value = serde_json::from_str(&response.text().unwrap()).unwrap();
        answer["code"].as_str().unwrap().to_owned()
    }

    fn devices(&self) -> Vec<serde_json::Value> {
        let text = self
            .http
            .get(format!("{}/v1/admin/devices", self.base))
            .bearer_auth(ADMIN)
            .send()
            .unwrap()
            .text();
        let answer: serde_json::Value = serde_json::from_str(&text.unwrap()).unwrap();
        answer["devices"].as_array().unwrap().clone()
    }

    /// The status of an empty report sent with `token`: a device API call that
    /// needs a device's bearer token.
    fn report_with(&self, token: &str) -> u16 {
        let response = self
            .http
            .post(format!("{}{}", self.base, kiosk_wire::paths::reports()))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(r#"{"events": []}"#)
            .send()
            .unwrap();
        response.status().as_u16()
    }
}

/// A copy of an example config (and the key it trusts) in `dir`, `root:kiosk
/// 0640`-like: mode 0640 and, when the tests run as root, another owner.
fn example_config(dir: &Path, example: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let examples = repo_root().join("kiosk-config");
    std::fs::create_dir_all(dir.join("dev-keys")).unwrap();
    std::fs::copy(examples.join("dev-keys/content-dev.pub"), dir.join("dev-keys/content-dev.pub")).unwrap();
    let path = dir.join(example);
    std::fs::write(&path, edit(std::fs::read_to_string(examples.join(example)).unwrap())).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    if running_as_root(dir) {
        std::os::unix::fs::chown(&path, Some(1234), Some(4321)).unwrap();
    }
    path
}

fn running_as_root(dir: &Path) -> bool {
    std::fs::metadata(dir).unwrap().uid() == 0
}

/// Every comment line of `before` is in `after`, in the same order.
fn assert_comments_kept(before: &str, after: &str) {
    let comments = |text: &str| {
        text.lines().map(str::trim).filter(|l| l.starts_with('#')).map(str::to_owned).collect::<Vec<_>>()
    };
    assert!(!comments(before).is_empty());
    assert_eq!(comments(before), comments(after), "comments kept, in order:\n{after}");
}

/// The files in `dir` (no temporary file left behind).
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_screen_enrols_and_its_config_keeps_everything_else() {
    let work = tempfile::tempdir().unwrap();
    let server = Server::start(&work.path().join("server"), "hall-a-boards");

    // A booth without [sync]: the table is added.
    let booth = example_config(&work.path().join("booth"), "booth.toml", |text| text);
    let before = std::fs::read_to_string(&booth).unwrap();
    let owner = std::fs::metadata(&booth).map(|m| (m.uid(), m.gid())).unwrap();
    let code = server.code("hall-a-boards");
    let output = enrol(&format!("{}/", server.base), &code, &booth, Some("Hall A, left"));
    let (stdout, stderr) = said(&output);
    assert!(output.status.success(), "{stdout}{stderr}");

    let after = std::fs::read_to_string(&booth).unwrap();
    assert_comments_kept(&before, &after);
    let loaded = LoadedConfig::load(&booth).unwrap();
    assert_eq!(loaded.config.content.channel.0, "hall-a-boards");
    let sync = loaded.config.sync.unwrap();
    assert_eq!(sync.server.0, server.base);
    let token = sync.token.unwrap();
    assert_eq!(token.len(), 64);
    assert!(!stdout.contains(&token) && !stderr.contains(&token), "the token is never printed");
    let devices = server.devices();
    let device = devices.iter().find(|d| d["name"] == "Hall A, left").unwrap();
    assert_eq!(device["channel"], "hall-a-boards");
    assert_eq!(
        stdout,
        format!(
            "enrolled as device {} on channel hall-a-boards; {} now syncs from {}\n",
            device["id"].as_str().unwrap(),
            booth.display(),
            server.base
        )
    );
    // Only the channel's line changed, and [sync] follows everything else.
    let expected = before.replace("channel = \"wtc-booths\"", "channel = \"hall-a-boards\"")
        + &format!("\n[sync]\nserver = \"{}\"\ntoken = \"{token}\"\n", server.base);
    assert_eq!(after, expected);

    let metadata = std::fs::metadata(&booth).unwrap();
    assert_eq!(metadata.permissions().mode() & 0o7777, 0o640);
    assert_eq!((metadata.uid(), metadata.gid()), owner);
    assert_eq!(files(booth.parent().unwrap()), ["booth.toml", "dev-keys"]);

    // The token is the device's: the device API takes it, and not another.
    assert_eq!(server.report_with(&token), 200);
    assert_eq!(server.report_with(&"f".repeat(64)), 401);
    let sync = Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .env("KIOSK_DEVICE_TOKEN", &token)
        .args(["sync", "--server", &server.base])
        .args(["--data-dir", s(&work.path().join("screen"))])
        .args(["--public-key", s(&booth.parent().unwrap().join("dev-keys/content-dev.pub"))])
        .args(["--channel", "hall-a-boards", "--once"])
        .output()
        .unwrap();
    let (stdout, stderr) = said(&sync);
    assert!(sync.status.success(), "{stdout}{stderr}");
    assert_eq!(stdout.trim(), "nothing published on channel hall-a-boards");

    // A bulletin board whose [sync] has other keys and comments: they stay; the
    // name defaults to the hostname.
    let board = example_config(&work.path().join("board"), "bulletin-board.toml", |text| {
        text.replace("# [sync]\n# server = \"https://192.168.1.20:8780\"\n", "[sync]\nserver = \"http://192.168.1.20:8780\"\n")
            .replace("# server_certificate = \"server.crt\"\n# token = \"the device token from enrolment\"\n# # A screenshot", "# A screenshot")
            .replace("# screenshot_every_minutes = 60", "screenshot_every_minutes = 60 # hourly")
    });
    let before = std::fs::read_to_string(&board).unwrap();
    assert!(before.contains("[sync]\nserver = \"http://192.168.1.20:8780\"\n# # The server's"), "{before}");
    assert!(before.contains("trusts.\n# A screenshot"), "{before}");
    let output = enrol(&server.base, &server.code("hall-a-boards"), &board, None);
    let (stdout, stderr) = said(&output);
    assert!(output.status.success(), "{stdout}{stderr}");
    let after = std::fs::read_to_string(&board).unwrap();
    assert_comments_kept(&before, &after);
    assert!(after.contains("screenshot_every_minutes = 60 # hourly\ntoken = \""), "{after}");
    let loaded = LoadedConfig::load(&board).unwrap();
    let sync = loaded.config.sync.unwrap();
    assert_eq!(sync.server.0, server.base);
    assert_eq!(sync.screenshot_every_minutes.map(|m| m.0), Some(60));
    assert_eq!(loaded.config.content.channel.0, "hall-a-boards");
    let token = sync.token.unwrap();
    assert!(!stdout.contains(&token) && !stderr.contains(&token));
    assert_eq!(server.report_with(&token), 200);
    let hostname = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    assert!(server.devices().iter().any(|d| d["name"] == hostname.trim()), "{:?}", server.devices());
}

#[test]
fn a_used_or_wrong_code_leaves_the_config_as_it_was() {
    let work = tempfile::tempdir().unwrap();
    let server = Server::start(&work.path().join("server"), "wtc-booths");
    let code = server.code("wtc-booths");
    let first = example_config(&work.path().join("first"), "booth.toml", |text| text);
    assert!(enrol(&server.base, &code, &first, Some("Booth 1")).status.success());

    let second = example_config(&work.path().join("second"), "booth.toml", |text| text);
    let before = std::fs::read(&second).unwrap();
    for (code, why) in
        [(code.as_str(), "the enrolment code was used at"), ("not-a-code", "the enrolment code is unknown")]
    {
        let output = enrol(&server.base, code, &second, Some("Booth 2"));
        let (stdout, stderr) = said(&output);
        assert!(!output.status.success(), "{stdout}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains(why), "{stderr}");
        assert!(stderr.contains("403"), "{stderr}");
        assert!(stderr.contains("left as it was"), "{stderr}");
        assert_eq!(std::fs::read(&second).unwrap(), before, "byte-identical");
        assert_eq!(files(second.parent().unwrap()), ["booth.toml", "dev-keys"]);
    }

    // A config that would not load is refused before the code is spent.
    let code = server.code("wtc-booths");
    let broken = example_config(&work.path().join("broken"), "booth.toml", |text| {
        text.replace("idle_timeout_secs = 90", "idle_timeout_secs = 5")
    });
    let before = std::fs::read(&broken).unwrap();
    let output = enrol(&server.base, &code, &broken, Some("Booth 3"));
    let (_, stderr) = said(&output);
    assert!(!output.status.success());
    assert!(stderr.contains("between 10 and 3600") && stderr.contains("the code was not used"), "{stderr}");
    assert!(
        stderr.contains(&broken.display().to_string()),
        "names the config, not a temporary file: {stderr}"
    );
    assert_eq!(std::fs::read(&broken).unwrap(), before);
    assert_eq!(files(broken.parent().unwrap()), ["booth.toml", "dev-keys"]);
    let fixed = example_config(&work.path().join("fixed"), "booth.toml", |text| text);
    let output = enrol(&server.base, &code, &fixed, Some("Booth 3"));
    assert!(output.status.success(), "the code still works: {:?}", said(&output));

    // Neither is a config that is not TOML, nor one that is missing.
    let code = server.code("wtc-booths");
    let not_toml = example_config(&work.path().join("not-toml"), "booth.toml", |text| text + "\n[staff\n");
    let before = std::fs::read(&not_toml).unwrap();
    let output = enrol(&server.base, &code, &not_toml, Some("Booth 4"));
    let (_, stderr) = said(&output);
    assert!(!output.status.success() && stderr.contains("not valid TOML"), "{stderr}");
    assert_eq!(std::fs::read(&not_toml).unwrap(), before);
    let missing = work.path().join("nowhere/booth.toml");
    let output = enrol(&server.base, &code, &missing, Some("Booth 4"));
    let (_, stderr) = said(&output);
    assert!(!output.status.success() && stderr.contains("cannot read the config"), "{stderr}");
    assert!(!missing.exists());
    assert!(server.devices().iter().all(|d| d["name"] != "Booth 4"), "the code was not spent");
}

#[test]
fn an_unreachable_server_or_a_malformed_address_leaves_the_config_as_it_was() {
    let work = tempfile::tempdir().unwrap();
    let config = example_config(work.path(), "booth.toml", |text| text);
    let before = std::fs::read(&config).unwrap();
    // A port that was free a moment ago and is closed now.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    for (server, expected) in [
        (format!("http://{closed}"), "the server cannot be reached"),
        ("127.0.0.1:8780".to_owned(), "must look like"),
        ("ftp://127.0.0.1".to_owned(), "must look like"),
        ("http://[::1".to_owned(), "is not an address"),
    ] {
        let output = enrol(&server, "0123456789abcdef0123", &config, Some("Booth"));
        let (stdout, stderr) = said(&output);
        assert!(!output.status.success(), "{server}: {stdout}");
        assert!(stdout.is_empty(), "{server}: {stdout}");
        assert!(stderr.starts_with("kioskctl: ") && stderr.contains(expected), "{server}: {stderr}");
        assert_eq!(std::fs::read(&config).unwrap(), before, "{server}: byte-identical");
        assert_eq!(files(work.path()), ["booth.toml", "dev-keys"], "{server}");
    }
}

#[test]
fn a_screen_renews_its_token_in_its_config_and_the_old_one_stops() {
    let work = tempfile::tempdir().unwrap();
    let server = Server::start(&work.path().join("server"), "wtc-booths");
    let booth = example_config(&work.path().join("booth"), "booth.toml", |text| text);
    assert!(enrol(&server.base, &server.code("wtc-booths"), &booth, Some("Booth 1")).status.success());
    let token = |config: &Path| LoadedConfig::load(config).unwrap().config.sync.unwrap().token.unwrap();
    let old = token(&booth);
    let before = std::fs::read_to_string(&booth).unwrap();
    let mode = std::fs::metadata(&booth).unwrap().permissions().mode() & 0o7777;

    let output =
        Command::new(env!("CARGO_BIN_EXE_kioskctl")).args(["renew", "--config", s(&booth)]).output().unwrap();
    let (stdout, stderr) = said(&output);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.starts_with(&format!("renewed the device token in {}; it works until 2", booth.display())),
        "{stdout}"
    );
    let new = token(&booth);
    assert_ne!(new, old);
    assert!(!stdout.contains(&new) && !stderr.contains(&new), "the token is never printed");
    assert_eq!(
        std::fs::read_to_string(&booth).unwrap(),
        before.replace(&old, &new),
        "only the token changed"
    );
    assert_eq!(std::fs::metadata(&booth).unwrap().permissions().mode() & 0o7777, mode);
    assert_eq!(files(booth.parent().unwrap()), ["booth.toml", "dev-keys"]);
    assert_eq!(server.report_with(&new), 200);
    assert_eq!(server.report_with(&old), 401, "the old token stops");

    // A config without a token is refused, unchanged.
    let unenrolled = example_config(&work.path().join("new"), "booth.toml", |text| text);
    let output = Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .args(["renew", "--config", s(&unenrolled)])
        .output()
        .unwrap();
    let (_, stderr) = said(&output);
    assert!(!output.status.success());
    assert!(stderr.contains("enrol the screen first"), "{stderr}");
}

#[test]
fn over_tls_a_screen_enrols_only_with_the_server_it_pins_and_keeps_the_pin() {
    let work = tempfile::tempdir().unwrap();
    let (server, certificate) = Server::start_tls(&work.path().join("server/data"), "hall-b");
    let booth = example_config(&work.path().join("booth"), "booth.toml", |text| text);
    let before = std::fs::read_to_string(&booth).unwrap();
    let code = server.code("hall-b");

    let unpinned = enrol(&server.base, &code, &booth, Some("B1"));
    assert!(!unpinned.status.success());
    assert!(said(&unpinned).1.contains("needs --server-certificate"), "{}", said(&unpinned).1);

    // Another server's certificate: the handshake fails, the code is not spent.
    let other = work.path().join("other.crt");
    let impostor = kiosk_tls::self_signed::generate(&["127.0.0.1".into()]).unwrap();
    std::fs::write(&other, impostor.certificate_pem).unwrap();
    let refused = enrol_pinning(&server.base, Some(&other), &code, &booth, Some("B1"));
    assert!(!refused.status.success());
    assert!(said(&refused).1.contains("certificate"), "{}", said(&refused).1);
    assert_eq!(std::fs::read_to_string(&booth).unwrap(), before, "the config is left as it was");
    assert!(server.devices().is_empty(), "nothing was enrolled");

    let pinned = enrol_pinning(&server.base, Some(&certificate), &code, &booth, Some("B1"));
    let (stdout, stderr) = said(&pinned);
    assert!(pinned.status.success(), "{stdout}{stderr}");
    let loaded = LoadedConfig::load(&booth).unwrap();
    let sync = loaded.config.sync.as_ref().unwrap();
    assert_eq!(sync.server.0, server.base);
    assert_eq!(
        sync.server_certificate.as_deref(),
        Some(std::fs::canonicalize(&certificate).unwrap().as_path())
    );
    assert!(loaded.server_pin.is_some(), "the screen pins the server's certificate");

    // Renewal reads the pin from the config.
    let renewed =
        Command::new(env!("CARGO_BIN_EXE_kioskctl")).args(["renew", "--config", s(&booth)]).output().unwrap();
    assert!(renewed.status.success(), "{}{}", said(&renewed).0, said(&renewed).1);
}
