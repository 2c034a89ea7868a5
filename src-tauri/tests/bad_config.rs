//! A bad config stops the kiosk before any window opens, with a message that names
//! the file, line and key and says what to fix.

use std::process::Command;

fn start_with(config: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.toml");
    std::fs::write(&path, config).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .arg("--config")
        .arg(&path)
        .env_remove("DISPLAY")
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

const GOOD: &str = r#"mode = "kiosk"
[content]
channel = "wtc-booths"
trusted_keys = ["ed25519-public 0000000000000000000000000000000000000000000000000000000000000000"]
[staff]
pin_hash = "$argon2id$v=19$m=19456,t=2,p=1$jYMqgX7xRoNMkm3NOlkj0Q$z4PU9aQcGgQhWIY9LYzEaczcp1paY38B8umKjzTlGRI"
"#;

#[test]
fn each_mistake_is_named_and_the_app_stops() {
    let cases = [
        (GOOD.replace("[staff]", "[staff]\npin = \"2023\""), "unknown field `pin`"),
        (format!("{GOOD}[kiosk]\nidle_timeout_secs = 1\n"), "between 10 and 3600"),
        (GOOD.replace("wtc-booths", "WTC booths"), "lowercase letters"),
        (GOOD.replace("mode = \"kiosk\"\n", ""), "missing field `mode`"),
        (GOOD.replace("ed25519-public 0000", "keys/absent.pub\"]\n#"), "cannot read it"),
        ("mode = kiosk".to_owned(), "line 1"),
    ];
    for (config, expected) in cases {
        let (code, stderr) = start_with(&config);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("kiosk.toml"), "names the file: {stderr}");
        assert!(stderr.contains(expected), "{stderr} should contain {expected:?}");
    }
}

#[test]
fn a_missing_config_file_is_named() {
    let out = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(["--config", "/nonexistent/booth.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("/nonexistent/booth.toml: cannot read the config"), "{stderr}");
}
