//! `kioskctl mirror` on a lead kiosk's data folder and `kioskctl sync` on a
//! screen's: real processes over real HTTP on 127.0.0.1, including `kill -9` of a
//! sync at a hundred random moments, and at a hundred random moments of its
//! activation (afterwards the screen has the old release or the new one, each
//! whole, never a mix, and the next sync completes).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kiosk_authoring::{BuildOptions, Built, build_bundle};
use kiosk_core::blob::BlobId;
use kiosk_device::library::{Library, Trust};
use kiosk_tests::{build_large_test_bundle, build_test_bundle, key, now, write_content_folder};

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

/// A screen's data folder (`<work>/template`) that synced the bundle `old` from
/// a mirror, and a running mirror of the bundle `new`: the folder, the mirror and
/// its address.
fn old_screen_new_mirror(work: &Path, keys: &Path, old: &Path, new: &Path) -> (PathBuf, Running, String) {
    let lead = |name: &str, bundle: &Path| {
        let lead = work.join(name);
        std::fs::create_dir_all(lead.join("incoming")).unwrap();
        std::fs::rename(bundle, lead.join("incoming/stick")).unwrap();
        mirror(&lead, keys)
    };
    let template = work.join("template");
    {
        let (_mirror, url) = lead("old-lead", old);
        assert!(sync(&url, &template, keys).status().unwrap().success());
    }
    assert_eq!(shown(&template), Some(1));
    let (mirror, url) = lead("new-lead", new);
    (template, mirror, url)
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

    let (template, _mirror, url) = old_screen_new_mirror(work.path(), &keys, &old.dir, &new.dir);

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

/// What `kioskctl sync` logs at INFO once every blob of the new release is
/// fetched and checked, just before the release is stored and activated.
const ACTIVATING: &str = "blobs complete; activating";

/// Pictures added to the new release's attract loop: a release of many small
/// blobs, each listed, checked and present before activation.
const PICTURES: usize = 32;

/// Like [`build_test_bundle`], with `pictures` more small pictures in the
/// attract loop.
fn build_many_blobs_bundle(dir: &Path, name: &str, version: u64, pictures: usize) -> Built {
    let source = dir.join(format!("{name}-source"));
    write_content_folder(&source, name);
    let mut listed = vec!["\"images/cover.svg\"".to_owned()];
    for n in 0..pictures {
        let svg = format!("<svg xmlns='http://www.w3.org/2000/svg'><text>{name} {n}</text></svg>");
        std::fs::write(source.join(format!("images/picture-{n:03}.svg")), svg).unwrap();
        listed.push(format!("\"images/picture-{n:03}.svg\""));
    }
    let pack = std::fs::read_to_string(source.join("pack.toml")).unwrap();
    let pack = pack.replace("images = [\"images/cover.svg\"]", &format!("images = [{}]", listed.join(", ")));
    assert!(pack.contains("picture-000"), "the attract loop lists the pictures");
    std::fs::write(source.join("pack.toml"), pack).unwrap();
    let options = BuildOptions::new("wtc-booths", version, now(), key(1));
    build_bundle(&source, &dir.join(name), &options, &mut |_| {}).unwrap()
}

/// Starts `kioskctl sync --once` logging at INFO and returns once it has said
/// [`ACTIVATING`]; the rest of its log is read and thrown away.
fn sync_until_activating(url: &str, screen: &Path, keys: &Path) -> Running {
    let mut child = Running(
        sync(url, screen, keys)
            .env("RUST_LOG", "warn,kiosk_device::sync_client=info")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut log = BufReader::new(child.0.stderr.take().unwrap());
    let mut said = String::new();
    loop {
        let mut line = String::new();
        if log.read_line(&mut line).unwrap() == 0 {
            let status = child.0.wait().unwrap();
            panic!("the sync ended ({status}) without saying {ACTIVATING:?}:\n{said}");
        }
        said.push_str(&line);
        if line.contains(ACTIVATING) {
            break;
        }
    }
    std::thread::spawn(move || std::io::copy(&mut log, &mut std::io::sink()));
    child
}

/// xorshift64*: reproducible random delays from a printed seed.
struct Random(u64);

impl Random {
    fn below(&mut self, bound: Duration) -> Duration {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let unit = (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64;
        bound.mul_f64(unit)
    }
}

/// What a screen shows when it starts again on `screen`, checked blob by blob:
/// returns the version `active.json` named before the start, and the release
/// the start activated.
fn restart(screen: &Path) -> (Option<u64>, kiosk_device::library::ActiveRelease) {
    let library = Library::open(screen).unwrap();
    let recorded = library.active_pointer().map(|(channel, version)| {
        assert_eq!(channel, "wtc-booths");
        version
    });
    let trust = Trust::new(vec![key(1).verifying_key()], "wtc-booths");
    let release = library.start(&trust, None, now()).unwrap();
    for blob in &release.manifest.blobs {
        let path = release.blob_dir.join(blob.sha256.as_str());
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(bytes.len() as u64, blob.size, "{}", path.display());
        assert_eq!(BlobId::of(&bytes), blob.sha256, "{}", path.display());
    }
    assert_eq!(library.active_pointer().map(|(_, v)| v), Some(release.manifest.version));
    (recorded, release)
}

#[test]
fn kill_9_during_activation_leaves_the_old_or_the_new_release_never_a_mix() {
    let seed = std::env::var("KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::time::SystemTime::UNIX_EPOCH.elapsed().unwrap().as_nanos() as u64)
        | 1;
    // Shown with the output of a failing run; `KILL_SEED=<seed>` repeats its delays.
    println!("kill delays from KILL_SEED={seed}");
    let mut random = Random(seed);

    let work = tempfile::tempdir().unwrap();
    let keys = work.path().join("content.pub");
    std::fs::write(&keys, kiosk_core::keys::public_key_text(&key(1).verifying_key())).unwrap();

    // Version 1 on the screen; version 2, with many small blobs, on the mirror.
    let old = build_test_bundle(work.path(), "old", "wtc-booths", 1, &key(1));
    let new = build_many_blobs_bundle(work.path(), "new", 2, PICTURES);
    let (old_sha, new_sha) = (old.manifest_sha256.clone(), new.manifest_sha256.clone());

    let (template, _mirror, url) = old_screen_new_mirror(work.path(), &keys, &old.dir, &new.dir);

    // How long activation takes here, from the line to the end of the process
    // (the shortest of five: a busy machine only makes it longer).
    let window = (0..5)
        .map(|probe| {
            let probe = work.path().join(format!("probe-{probe}"));
            copy_dir(&template, &probe);
            let mut child = sync_until_activating(&url, &probe, &keys);
            let said = Instant::now();
            assert!(child.0.wait().unwrap().success());
            assert_eq!(shown(&probe), Some(2));
            said.elapsed()
        })
        .min()
        .unwrap();

    let mut seen = [0usize; 3];
    let mut recorded_old_shown_new = 0;
    let mut ended_before_the_kill = 0;
    for trial in 0..TRIALS {
        let screen = work.path().join(format!("screen-{trial}"));
        copy_dir(&template, &screen);
        let mut child = sync_until_activating(&url, &screen, &keys);
        std::thread::sleep(random.below(window));
        ended_before_the_kill += usize::from(child.0.try_wait().unwrap().is_some());
        let _ = child.0.kill(); // SIGKILL
        let _ = child.0.wait();

        let (recorded, release) = restart(&screen);
        let version = release.manifest.version;
        let whole = match version {
            1 => release.manifest_sha256 == old_sha,
            2 => release.manifest_sha256 == new_sha,
            _ => false,
        };
        assert!(whole, "trial {trial} (KILL_SEED={seed}): the screen shows version {version}");
        assert!(
            matches!(recorded, Some(v) if v == 1 || v == version),
            "trial {trial} (KILL_SEED={seed}): active.json named {recorded:?}, the newest whole release is {version}"
        );
        seen[version as usize] += 1;
        recorded_old_shown_new += usize::from(recorded == Some(1) && version == 2);

        let next = sync(&url, &screen, &keys).status().unwrap();
        assert!(next.success(), "trial {trial} (KILL_SEED={seed}): the next sync fails");
        assert_eq!(shown(&screen), Some(2), "trial {trial} (KILL_SEED={seed})");
        let active = Library::open(&screen).unwrap().active_pointer();
        assert_eq!(active, Some(("wtc-booths".to_owned(), 2)), "trial {trial} (KILL_SEED={seed})");
        std::fs::remove_dir_all(&screen).unwrap();
    }
    println!(
        "kills within {window:?} of activation: {} old, {} new ({recorded_old_shown_new} of them with \
         the old one still named in active.json, {ended_before_the_kill} after the sync had ended)",
        seen[1], seen[2]
    );
    assert!(
        seen[1] > 0 && seen[2] > 0,
        "kills landed before and after activation: {seen:?} (KILL_SEED={seed})"
    );
}
