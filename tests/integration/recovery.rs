//! A screen comes back with its content after damage on its own disk: a store
//! that is not SQLite or comes from a newer program is kept aside and made
//! again, and a damaged copy of the built-in bundle is written out again.

use std::path::{Path, PathBuf};

use include_dir::{Dir, DirEntry, File};
use kiosk_device::library::{BUILT_IN_CHANNEL, Trust};
use kiosk_device::{DataDir, Screen, ScreenSetup};
use kiosk_tests::{build_test_bundle, key};

const CHANNEL: &str = "wtc-booths";

/// A screen of [`CHANNEL`] over `data_dir`, with `built_in` as the app's bundle.
fn open(data_dir: &DataDir, built_in: Option<&'static Dir<'static>>) -> Screen {
    let mut setup = ScreenSetup::new(data_dir.clone(), Trust::new(vec![key(1).verifying_key()], CHANNEL));
    setup.built_in = built_in;
    Screen::open(setup).expect("the screen opens")
}

/// Asserts the interface is answered with `version` of `channel`.
fn assert_shows(screen: &Screen, channel: &str, version: u64) {
    let session = screen.session().expect("the kiosk view answers");
    assert_eq!((session.release.channel.as_str(), session.release.version), (channel, version));
    let content = screen.content(&session.default_locale).unwrap();
    assert!(!content.chapters.is_empty(), "the content's chapters are shown");
}

/// The names in `dir` that start with `prefix`.
fn names_starting(dir: &Path, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(prefix))
        .collect();
    names.sort();
    names
}

/// A data folder that showed version 1 of [`CHANNEL`] once.
fn data_dir_with_content(work: &Path) -> DataDir {
    let data_dir = DataDir::new(work.join("data"));
    let release = build_test_bundle(work, "v1", CHANNEL, 1, &key(1));
    std::fs::create_dir_all(data_dir.incoming()).unwrap();
    std::fs::rename(&release.dir, data_dir.incoming().join("v1")).unwrap();
    assert_shows(&open(&data_dir, None), CHANNEL, 1);
    data_dir
}

#[test]
fn a_store_that_is_not_sqlite_is_kept_aside_and_the_content_plays() {
    let work = tempfile::tempdir().unwrap();
    let data_dir = data_dir_with_content(work.path());
    let garbage = b"not a database: a copy cut short, or another program's file".repeat(100);
    std::fs::write(data_dir.store_file(), &garbage).unwrap();

    let screen = open(&data_dir, None);
    assert_shows(&screen, CHANNEL, 1);
    let aside = names_starting(data_dir.root(), "kiosk.sqlite.broken-");
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(std::fs::read(data_dir.root().join(&aside[0])).unwrap(), garbage, "kept as it was");
    assert!(screen.record_events(vec![]).is_ok(), "a fresh store takes events");
    assert!(data_dir.open_store().unwrap().pending_count().is_ok());
}

#[test]
fn a_store_from_a_newer_program_is_kept_aside_and_the_content_plays() {
    let work = tempfile::tempdir().unwrap();
    let data_dir = data_dir_with_content(work.path());
    let store = rusqlite::Connection::open(data_dir.store_file()).unwrap();
    store.pragma_update(None, "user_version", 1000).unwrap();
    drop(store);

    let screen = open(&data_dir, None);
    assert_shows(&screen, CHANNEL, 1);
    let aside = names_starting(data_dir.root(), "kiosk.sqlite.newer-");
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(user_version(&data_dir.root().join(&aside[0])), 1000, "kept whole");
    assert!(user_version(&data_dir.store_file()) < 1000, "a fresh store of this program");
}

#[test]
fn a_damaged_built_in_bundle_is_written_again_and_shown() {
    let work = tempfile::tempdir().unwrap();
    let built = build_test_bundle(work.path(), "built-in", BUILT_IN_CHANNEL, 1, &key(1));
    let embedded = embed(&built.dir);
    let data_dir = DataDir::new(work.path().join("data"));
    assert_shows(&open(&data_dir, Some(embedded)), BUILT_IN_CHANNEL, 1);

    // Its blobs damaged on disk (the manifest unchanged), and nothing else held:
    // the release and the pool went with the same power cut.
    let on_disk = data_dir.root().join(".built-in");
    let blob = std::fs::read_dir(on_disk.join("blobs")).unwrap().next().unwrap().unwrap().path();
    let good = std::fs::read(&blob).unwrap();
    std::fs::write(&blob, vec![0u8; good.len()]).unwrap();
    std::fs::remove_dir_all(data_dir.releases()).unwrap();
    std::fs::remove_dir_all(data_dir.blobs()).unwrap();

    assert_shows(&open(&data_dir, Some(embedded)), BUILT_IN_CHANNEL, 1);
    assert_eq!(std::fs::read(&blob).unwrap(), good, "written again from the app");
}

/// The bundle folder at `dir` as the app embeds it.
fn embed(dir: &Path) -> &'static Dir<'static> {
    fn entries(root: &Path, dir: &Path) -> &'static [DirEntry<'static>] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        let leaked = paths.into_iter().map(|path| {
            let relative: &'static str =
                Box::leak(path.strip_prefix(root).unwrap().to_string_lossy().into_owned().into_boxed_str());
            if path.is_dir() {
                DirEntry::Dir(Dir::new(relative, entries(root, &path)))
            } else {
                DirEntry::File(File::new(
                    relative,
                    Box::leak(std::fs::read(&path).unwrap().into_boxed_slice()),
                ))
            }
        });
        Box::leak(leaked.collect::<Vec<_>>().into_boxed_slice())
    }
    Box::leak(Box::new(Dir::new("", entries(dir, dir))))
}

fn user_version(path: &Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap()
}
