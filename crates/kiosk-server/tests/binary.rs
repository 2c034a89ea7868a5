//! The `kiosk-server` binary: with a config file, and on first start without one.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the child when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn serves_with_a_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = dir.path().join("server.toml");
    let data = dir.path().join("data");
    std::fs::write(
        &config,
        format!("listen = \"127.0.0.1:{port}\"\ndata_dir = {:?}\nadmin_token = \"from-config\"\n", data),
    )
    .unwrap();
    let _server = Running(
        Command::new(env!("CARGO_BIN_EXE_kiosk-server"))
            .arg("--config")
            .arg(&config)
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let client = reqwest::blocking::Client::new();
    let url = |path: &str| format!("http://127.0.0.1:{port}{path}");
    let started = Instant::now();
    let key = loop {
        if let Ok(response) = client.get(url("/v1/public-key")).send() {
            break response.text().unwrap();
        }
        assert!(started.elapsed() < Duration::from_secs(20), "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(key.starts_with("ed25519-public "), "{key}");
    let devices = client.get(url("/v1/admin/devices")).bearer_auth("from-config").send().unwrap();
    assert_eq!(devices.status(), 200);
    let refused = client.get(url("/v1/admin/devices")).bearer_auth("wrong").send().unwrap();
    assert_eq!(refused.status(), 401);
    assert!(data.join("server.sqlite").exists() && data.join("signing.key").exists());
}

#[test]
fn refuses_a_config_file_with_unknown_keys() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("server.toml");
    std::fs::write(&config, "listen = \"127.0.0.1:1\"\ndata_dir = \"d\"\nadmin_token = \"t\"\nport = 2\n")
        .unwrap();
    let output =
        Command::new(env!("CARGO_BIN_EXE_kiosk-server")).arg("--config").arg(&config).output().unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown field"), "{output:?}");
}

#[test]
fn without_a_config_makes_and_prints_an_admin_token_once() {
    let xdg = tempfile::tempdir().unwrap();
    let token_file = xdg.path().join("binhduong-kiosk-server/admin.token");
    let start = |wait: Duration| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kiosk-server"))
            .env("XDG_DATA_HOME", xdg.path())
            .env("RUST_LOG", "off")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let running = Running(child);
        // The token line comes first; then the server runs (or, when port 8780 is
        // taken on this machine, stops: the token is made either way).
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let first = rx.recv_timeout(wait).ok();
        (running, first)
    };
    let (first_run, line) = start(Duration::from_secs(10));
    let line = line.expect("a token line on stderr");
    drop(first_run);
    let token = std::fs::read_to_string(&token_file).unwrap().trim().to_owned();
    assert_eq!(token.len(), 64);
    assert!(line.contains(&token), "{line}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&token_file).unwrap().permissions().mode() & 0o777, 0o600);
    }

    let (second_run, line) = start(Duration::from_secs(2));
    drop(second_run);
    assert!(line.as_ref().is_none_or(|l| !l.contains(&token)), "the token is printed only once: {line:?}");
    assert_eq!(std::fs::read_to_string(&token_file).unwrap().trim(), token, "and kept");
}

#[test]
fn an_empty_admin_token_file_is_replaced_whole_and_nothing_else_is_left() {
    let xdg = tempfile::tempdir().unwrap();
    let dir = xdg.path().join("binhduong-kiosk-server");
    std::fs::create_dir_all(&dir).unwrap();
    // What a start cut short between creating the file and writing it left.
    std::fs::write(dir.join("admin.token"), "").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kiosk-server"))
        .env("XDG_DATA_HOME", xdg.path())
        .env("RUST_LOG", "off")
        .args(["user", "add", "--admin", "someone"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let token = std::fs::read_to_string(dir.join("admin.token")).unwrap().trim().to_owned();
    assert_eq!(token.len(), 64, "a new token: {stderr}");
    assert!(stderr.contains(&token), "printed once: {stderr}");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("token"))
        .collect();
    assert_eq!(names, ["admin.token"], "no temporary file is left");
}

/// `kiosk-server user add` with the password on standard input.
fn add_user(config: &std::path::Path, args: &[&str], password: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kiosk-server"))
        .arg("--config")
        .arg(config)
        .args(["user", "add"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn the_first_admin_is_added_from_the_command_line_and_the_password_is_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = dir.path().join("server.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:{port}\"\ndata_dir = {:?}\nadmin_token = \"from-config\"\n",
            dir.path().join("data")
        ),
    )
    .unwrap();
    let password = "Bình Dương 2023 TOP 1";
    let added = add_user(&config, &["--admin", "lan"], password);
    let printed =
        format!("{}{}", String::from_utf8_lossy(&added.stdout), String::from_utf8_lossy(&added.stderr));
    assert!(added.status.success(), "{printed}");
    assert!(printed.contains("added lan") && !printed.contains(password), "{printed}");

    let again = add_user(&config, &["lan"], password);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("a user named \"lan\" exists already"));
    let weak = add_user(&config, &["--role", "booth=editor", "hoa"], "short");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("at least 10 characters"));
    let bad_role = add_user(&config, &["--role", "booth=owner", "hoa"], password);
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("not a role"));

    let _server = Running(
        Command::new(env!("CARGO_BIN_EXE_kiosk-server"))
            .arg("--config")
            .arg(&config)
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let client = reqwest::blocking::Client::new();
    let url = format!("http://127.0.0.1:{port}/v1/session");
    let started = Instant::now();
    let response = loop {
        if let Ok(response) =
            client.post(&url).json(&serde_json::json!({ "name": "lan", "password": password })).send()
        {
            break response;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(response.status(), 200);
    let me: serde_json::Value = response.json().unwrap();
    assert_eq!((me["name"].as_str(), me["is_admin"].as_bool()), (Some("lan"), Some(true)));
}
