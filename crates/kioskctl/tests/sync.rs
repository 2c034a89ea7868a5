//! `kioskctl mirror` on a lead kiosk's data folder and `kioskctl sync` on a
//! screen's: real processes over real HTTP on 127.0.0.1, including `kill -9` of a
//! sync at a hundred random moments (afterwards the screen has the old release or
//! the new one, each whole, never a mix, and the next sync completes).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kiosk_device::library::Library;
use kiosk_tests::{build_large_test_bundle, build_test_bundle, key, now};

const TRIALS: usize = 100;

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

    let (mirror, line) = mirror_said(&lead, &keys);
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

fn mirror(data: &Path, keys: &Path) -> (Running, String) {
    let (child, line) = mirror_said(data, keys);
    (child, line.trim().rsplit(' ').next().unwrap().to_owned())
}

/// Starts `kioskctl mirror` on a free port; returns it and the line it printed.
fn mirror_said(data: &Path, keys: &Path) -> (Running, String) {
    let mut child = Running(
        Command::new(env!("CARGO_BIN_EXE_kioskctl"))
            .args(["mirror", "--data-dir", s(data), "--public-key", s(keys), "--channel", "wtc-booths"])
            .args(["--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap()).read_line(&mut line).unwrap();
    (child, line)
}

fn sync(url: &str, screen: &Path, keys: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kioskctl"));
    command
        .args(["sync", "--server", url, "--data-dir", s(screen), "--public-key", s(keys)])
        .args(["--channel", "wtc-booths", "--once"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The version a screen shows after a restart: the newest release that verifies
/// completely (blobs included), as the app chooses.
fn shown(screen: &Path) -> Option<u64> {
    let keys = vec![key(1).verifying_key()];
    Library::open(screen).unwrap().newest_valid(&keys, "wtc-booths", now()).map(|r| r.manifest.version)
}

#[test]
fn kill_9_during_sync_leaves_the_old_or_the_new_release_never_a_mix() {
    let work = tempfile::tempdir().unwrap();
    let keys = work.path().join("content.pub");
    std::fs::write(&keys, kiosk_core::keys::public_key_text(&key(1).verifying_key())).unwrap();

    // Version 1 on the screen; version 2, with a 6 MB brochure, on the mirror.
    let old = build_test_bundle(work.path(), "old", "wtc-booths", 1, &key(1));
    let new = build_large_test_bundle(work.path(), "new", "wtc-booths", 2, &key(1), 6);

    let template = work.path().join("template");
    let old_lead = work.path().join("old-lead");
    std::fs::create_dir_all(old_lead.join("incoming")).unwrap();
    std::fs::rename(&old.dir, old_lead.join("incoming/stick")).unwrap();
    {
        let (_mirror, url) = mirror(&old_lead, &keys);
        assert!(sync(&url, &template, &keys).status().unwrap().success());
    }
    assert_eq!(shown(&template), Some(1));

    let new_lead = work.path().join("new-lead");
    std::fs::create_dir_all(new_lead.join("incoming")).unwrap();
    std::fs::rename(&new.dir, new_lead.join("incoming/stick")).unwrap();
    let (_mirror, url) = mirror(&new_lead, &keys);

    // How long a whole sync takes here, to spread the kills over it.
    let probe = work.path().join("probe");
    copy_dir(&template, &probe);
    let started = Instant::now();
    assert!(sync(&url, &probe, &keys).status().unwrap().success());
    let whole = started.elapsed().max(Duration::from_millis(20));
    assert_eq!(shown(&probe), Some(2));

    let mut seen = [0usize; 3];
    for trial in 0..TRIALS {
        let screen = work.path().join(format!("screen-{trial}"));
        copy_dir(&template, &screen);
        let mut child = sync(&url, &screen, &keys).spawn().unwrap();
        // Spread over the whole sync and a little past it.
        std::thread::sleep(whole.mul_f64((trial as f64 * 0.618_034).fract() * 1.2));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let version = shown(&screen);
        assert!(matches!(version, Some(1) | Some(2)), "trial {trial}: the screen shows {version:?}");
        seen[version.unwrap() as usize] += 1;
        if trial % 10 == 0 {
            assert!(
                sync(&url, &screen, &keys).status().unwrap().success(),
                "trial {trial}: the next sync fails"
            );
            assert_eq!(shown(&screen), Some(2), "trial {trial}");
        }
        std::fs::remove_dir_all(&screen).unwrap();
    }
    assert!(seen[1] > 0 && seen[2] > 0, "kills landed before and after activation: {seen:?}");
}
