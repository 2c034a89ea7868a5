//! `kioskctl mirror` on a lead kiosk's data folder and `kioskctl sync` on a
//! screen's: real processes over real HTTP on 127.0.0.1.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use kiosk_tests::{build_test_bundle, key};

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_screen_syncs_from_a_mirrored_usb_bundle() {
    let work = tempfile::tempdir().unwrap();
    let keys = work.path().join("content.pub");
    std::fs::write(&keys, kiosk_core::keys::public_key_text(&key(1).verifying_key())).unwrap();
    let bundle = build_test_bundle(work.path(), "stick", "wtc-booths", 7, &key(1));
    let lead = work.path().join("lead");
    std::fs::create_dir_all(lead.join("incoming")).unwrap();
    std::fs::rename(&bundle.dir, lead.join("incoming/stick")).unwrap();

    let mut mirror = Running(
        Command::new(env!("CARGO_BIN_EXE_kioskctl"))
            .args(["mirror", "--data-dir", s(&lead), "--public-key", s(&keys), "--channel", "wtc-booths"])
            .args(["--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(mirror.0.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.starts_with("mirroring wtc-booths version 7 on http://127.0.0.1:"), "{line}");
    let url = line.trim().rsplit(' ').next().unwrap().to_owned();

    let screen = work.path().join("screen");
    let sync = |channel: &str| {
        Command::new(env!("CARGO_BIN_EXE_kioskctl"))
            .args(["sync", "--server", &url, "--data-dir", s(&screen), "--public-key", s(&keys)])
            .args(["--channel", channel, "--once"])
            .output()
            .unwrap()
    };
    let first = sync("wtc-booths");
    let said = String::from_utf8_lossy(&first.stdout);
    assert!(first.status.success(), "{said}{}", String::from_utf8_lossy(&first.stderr));
    assert!(said.starts_with("activated wtc-booths version 7:"), "{said}");
    assert!(screen.join("releases/wtc-booths/7/manifest.sig").exists());

    let second = sync("wtc-booths");
    assert_eq!(String::from_utf8_lossy(&second.stdout).trim(), "up to date");
    let other = sync("bulletin-boards");
    assert_eq!(String::from_utf8_lossy(&other.stdout).trim(), "nothing published on channel bulletin-boards");

    drop(mirror);
    let gone = sync("wtc-booths");
    assert!(!gone.status.success());
    let said = String::from_utf8_lossy(&gone.stderr);
    assert!(said.starts_with("kioskctl: http://127.0.0.1:"), "{said}");
}
