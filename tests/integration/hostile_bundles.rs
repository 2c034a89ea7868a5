//! Bundle folders that are not what they claim: a `manifest.json` or a blob
//! that is a link to `/dev/zero` (endless) or a FIFO (an open that never
//! returns). Each is refused in moments with the file and what it is, on a USB
//! stick in a watched folder and in `incoming/` at start, and the screen keeps
//! its content.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use kiosk_device::check_in::UsbNotice;
use kiosk_device::library::Trust;
use kiosk_device::{DataDir, Screen, ScreenSetup};
use kiosk_tests::{build_test_bundle, key};

const CHANNEL: &str = "wtc-booths";

fn trust() -> Trust {
    Trust::new(vec![key(1).verifying_key()], CHANNEL)
}

/// How a bundle is made hostile, and the end of the reason it must be refused with.
struct Hostility {
    name: &'static str,
    harm: fn(&Path),
    reason: &'static str,
}

fn mkfifo(path: &Path) {
    std::fs::remove_file(path).unwrap();
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

fn link_to_dev_zero(path: &Path) {
    std::fs::remove_file(path).unwrap();
    std::os::unix::fs::symlink("/dev/zero", path).unwrap();
}

fn first_blob(bundle: &Path) -> PathBuf {
    let mut blobs: Vec<PathBuf> =
        std::fs::read_dir(bundle.join("blobs")).unwrap().map(|e| e.unwrap().path()).collect();
    blobs.sort();
    blobs.remove(0)
}

fn hostilities() -> Vec<Hostility> {
    vec![
        Hostility {
            name: "manifest-links-to-dev-zero",
            harm: |dir| link_to_dev_zero(&dir.join("manifest.json")),
            reason: "manifest.json: a symbolic link, which is not followed",
        },
        Hostility {
            name: "manifest-is-a-fifo",
            harm: |dir| mkfifo(&dir.join("manifest.json")),
            reason: "manifest.json: a FIFO (named pipe), not a regular file",
        },
        Hostility {
            name: "blob-links-to-dev-zero",
            harm: |dir| link_to_dev_zero(&first_blob(dir)),
            reason: "a symbolic link, which is not followed",
        },
        Hostility {
            name: "blob-is-a-fifo",
            harm: |dir| mkfifo(&first_blob(dir)),
            reason: "a FIFO (named pipe), not a regular file",
        },
    ]
}

/// A screen showing version 1 of [`CHANNEL`].
fn screen_on_version_one(work: &Path) -> Screen {
    let data_dir = DataDir::new(work.join("data"));
    let first = build_test_bundle(work, "v1", CHANNEL, 1, &key(1));
    std::fs::create_dir_all(data_dir.incoming()).unwrap();
    std::fs::rename(&first.dir, data_dir.incoming().join("v1")).unwrap();
    let screen = Screen::open(ScreenSetup::new(data_dir, trust())).unwrap();
    assert_eq!(screen.release().unwrap().manifest.version, 1);
    screen
}

/// The first USB outcome the screen tells staff, within `limit`.
fn usb_notice_within(screen: &Screen, limit: Duration) -> Option<UsbNotice> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Some(notice) = screen.check_in().usb {
            return Some(notice);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn a_hostile_stick_is_refused_at_once_and_the_watch_goes_on() {
    for hostility in hostilities() {
        let work = tempfile::tempdir().unwrap();
        let screen = screen_on_version_one(work.path());
        let sticks = work.path().join("media");
        let stick = build_test_bundle(work.path(), hostility.name, CHANNEL, 2, &key(1));
        (hostility.harm)(&stick.dir);
        std::fs::create_dir_all(&sticks).unwrap();
        std::fs::rename(&stick.dir, sticks.join("sda1")).unwrap();

        let started = Instant::now();
        screen.watch_folders(std::slice::from_ref(&sticks));
        let notice = usb_notice_within(&screen, Duration::from_secs(2));
        let Some(UsbNotice::Refused { reason }) = notice else {
            panic!("{}: refused within two seconds, got {notice:?}", hostility.name);
        };
        assert!(started.elapsed() < Duration::from_secs(2), "{}", hostility.name);
        assert!(reason.ends_with(hostility.reason), "{}: {reason}", hostility.name);
        assert!(reason.contains("sda1"), "{}: the reason names the file: {reason}", hostility.name);
        assert_eq!(screen.release().unwrap().manifest.version, 1, "{}: version 1 stays", hostility.name);

        // The watch was not stuck on it: a good stick is still shown.
        let good = build_test_bundle(work.path(), "v3", CHANNEL, 3, &key(1));
        std::fs::rename(&good.dir, sticks.join("sdb1")).unwrap();
        let shown = Instant::now();
        while screen.release().unwrap().manifest.version != 3 {
            assert!(shown.elapsed() < Duration::from_secs(10), "{}: the good stick is shown", hostility.name);
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn hostile_bundles_in_incoming_are_refused_at_start_and_set_aside() {
    let work = tempfile::tempdir().unwrap();
    let data_dir = DataDir::new(work.path().join("data"));
    std::fs::create_dir_all(data_dir.incoming()).unwrap();
    let good = build_test_bundle(work.path(), "good", CHANNEL, 1, &key(1));
    std::fs::rename(&good.dir, data_dir.incoming().join("a-good")).unwrap();
    let names: Vec<&str> = hostilities().iter().map(|h| h.name).collect();
    for (i, hostility) in hostilities().into_iter().enumerate() {
        let bundle = build_test_bundle(work.path(), hostility.name, CHANNEL, 2 + i as u64, &key(1));
        (hostility.harm)(&bundle.dir);
        std::fs::rename(&bundle.dir, data_dir.incoming().join(hostility.name)).unwrap();
    }

    let (tx, rx) = std::sync::mpsc::channel();
    let opening = data_dir.clone();
    std::thread::spawn(move || {
        let screen = Screen::open(ScreenSetup::new(opening, trust()));
        let _ = tx.send(screen.map(|s| s.release().map(|r| r.manifest.version)));
    });
    let shown = rx.recv_timeout(Duration::from_secs(2)).expect("the screen opens within two seconds");
    assert_eq!(shown.unwrap(), Some(1), "the good bundle is shown, none of the hostile ones");
    for name in names {
        assert!(data_dir.incoming().join(format!("{name}.rejected")).exists(), "{name} is set aside");
    }
}

#[test]
fn an_import_names_the_file_and_what_it_is() {
    let work = tempfile::tempdir().unwrap();
    let library = kiosk_device::library::Library::open(&work.path().join("data")).unwrap();
    for hostility in hostilities() {
        let bundle = build_test_bundle(work.path(), hostility.name, CHANNEL, 2, &key(1));
        (hostility.harm)(&bundle.dir);
        let started = Instant::now();
        let error = library.import(&bundle.dir, &trust().keys, CHANNEL, kiosk_tests::now()).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(1), "{}", hostility.name);
        let message = error.to_string();
        assert!(message.starts_with(&bundle.dir.display().to_string()), "{message}");
        assert!(message.ends_with(hostility.reason), "{}: {message}", hostility.name);
        assert!(library.versions(CHANNEL).is_empty(), "{}: nothing entered the library", hostility.name);
    }
}
