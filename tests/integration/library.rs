//! The device library: import, refusal, fallback and activation.

use kiosk_device::library::{BUILT_IN_CHANNEL, Library, Trust};
use kiosk_tests::{build_test_bundle, key, now};

fn trust() -> Trust {
    Trust::new(vec![key(1).verifying_key()], "wtc-booths")
}

#[test]
fn starts_on_built_in_content_and_moves_to_a_newer_channel_release() {
    let work = tempfile::tempdir().unwrap();
    let built_in = build_test_bundle(work.path(), "built-in", BUILT_IN_CHANNEL, 1, &key(1));
    let library = Library::open(&work.path().join("data")).unwrap();

    let first = library.start(&trust(), Some(&built_in.dir), now()).unwrap();
    assert_eq!((first.manifest.channel.as_str(), first.manifest.version), ("default", 1));

    let release = build_test_bundle(work.path(), "v3", "wtc-booths", 3, &key(1));
    std::fs::rename(&release.dir, library.incoming_dir().join("stick")).unwrap();
    let second = library.start(&trust(), Some(&built_in.dir), now()).unwrap();
    assert_eq!((second.manifest.channel.as_str(), second.manifest.version), ("wtc-booths", 3));
    assert_eq!(library.active_pointer(), Some(("wtc-booths".into(), 3)));
    assert!(!library.incoming_dir().join("stick").exists(), "an imported bundle leaves incoming/");
}

#[test]
fn a_refused_bundle_changes_nothing_and_is_set_aside() {
    let work = tempfile::tempdir().unwrap();
    let library = Library::open(&work.path().join("data")).unwrap();
    let good = build_test_bundle(work.path(), "good", "wtc-booths", 5, &key(1));
    library.import(&good.dir, &trust().keys, "wtc-booths", now()).unwrap();

    type Damage = Box<dyn Fn(&std::path::Path)>;
    let cases: Vec<(&str, Damage)> = vec![
        ("signed-by-stranger", Box::new(|_| {})),
        (
            "corrupt-blob",
            Box::new(|dir| {
                let blob = std::fs::read_dir(dir.join("blobs")).unwrap().next().unwrap().unwrap().path();
                let mut bytes = std::fs::read(&blob).unwrap();
                bytes[0] ^= 1;
                std::fs::write(blob, bytes).unwrap();
            }),
        ),
        (
            "missing-blob",
            Box::new(|dir| {
                let blob = std::fs::read_dir(dir.join("blobs")).unwrap().next().unwrap().unwrap().path();
                std::fs::remove_file(blob).unwrap();
            }),
        ),
        ("garbage-manifest", Box::new(|dir| std::fs::write(dir.join("manifest.json"), b"{oops").unwrap())),
    ];
    for (i, (name, damage)) in cases.into_iter().enumerate() {
        let signer = if name == "signed-by-stranger" { key(9) } else { key(1) };
        let bad = build_test_bundle(work.path(), name, "wtc-booths", 10 + i as u64, &signer);
        damage(&bad.dir);
        std::fs::rename(&bad.dir, library.incoming_dir().join(name)).unwrap();
        let active = library.start(&trust(), None, now()).unwrap();
        assert_eq!(active.manifest.version, 5, "{name}: the last good release stays");
        assert!(library.incoming_dir().join(format!("{name}.rejected")).exists(), "{name} is set aside");
        assert_eq!(library.versions("wtc-booths"), vec![5], "{name}: nothing of it entered the library");
    }
}

#[test]
fn an_older_release_is_refused_after_a_newer_one() {
    let work = tempfile::tempdir().unwrap();
    let library = Library::open(&work.path().join("data")).unwrap();
    let v7 = build_test_bundle(work.path(), "v7", "wtc-booths", 7, &key(1));
    let v6 = build_test_bundle(work.path(), "v6", "wtc-booths", 6, &key(1));
    library.import(&v7.dir, &trust().keys, "wtc-booths", now()).unwrap();
    let err = library.import(&v6.dir, &trust().keys, "wtc-booths", now()).unwrap_err();
    assert!(err.to_string().contains("lower than version 7"), "{err}");
}

#[test]
fn a_damaged_stored_release_falls_back_to_the_previous_one() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let library = Library::open(&data).unwrap();
    let v1 = build_test_bundle(work.path(), "v1", "wtc-booths", 1, &key(1));
    let v2 = build_test_bundle(work.path(), "v2", "wtc-booths", 2, &key(1));
    library.import(&v1.dir, &trust().keys, "wtc-booths", now()).unwrap();
    library.import(&v2.dir, &trust().keys, "wtc-booths", now()).unwrap();
    // A blob only v2 has rots on disk.
    let v1_blobs: Vec<_> = v1.manifest.blobs.iter().map(|b| b.sha256.clone()).collect();
    let only_v2 = v2.manifest.blobs.iter().find(|b| !v1_blobs.contains(&b.sha256)).unwrap();
    std::fs::write(data.join("blobs").join(only_v2.sha256.as_str()), b"rotten").unwrap();

    let active = library.start(&trust(), None, now()).unwrap();
    assert_eq!(active.manifest.version, 1);
}

#[test]
fn with_nothing_valid_it_says_so() {
    let work = tempfile::tempdir().unwrap();
    let library = Library::open(&work.path().join("data")).unwrap();
    let err = library.start(&trust(), None, now()).unwrap_err().to_string();
    assert!(err.contains("no valid release for channel \"wtc-booths\""), "{err}");
}

#[test]
fn a_damaged_blob_in_the_pool_is_replaced_by_a_good_copy_on_import() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let library = Library::open(&data).unwrap();
    let bundle = build_test_bundle(work.path(), "b", "wtc-booths", 1, &key(1));
    library.import(&bundle.dir, &trust().keys, "wtc-booths", now()).unwrap();
    let badge = bundle.manifest.content.brand.badge.clone();
    std::fs::write(data.join("blobs").join(badge.as_str()), b"rotten").unwrap();
    assert!(library.newest_valid(&trust().keys, "wtc-booths", now()).is_none(), "the damage is seen");

    library.import(&bundle.dir, &trust().keys, "wtc-booths", now()).unwrap();
    assert!(library.newest_valid(&trust().keys, "wtc-booths", now()).is_some(), "the same bundle repairs it");
}

#[test]
fn a_refused_bundle_leaves_no_blob_in_the_pool() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let library = Library::open(&data).unwrap();
    let bad = build_test_bundle(work.path(), "bad", "wtc-booths", 1, &key(1));
    let film = bad.manifest.content.attract.video.clone().unwrap();
    std::fs::write(bad.dir.join("blobs").join(film.as_str()), b"not the film").unwrap();
    assert!(library.import(&bad.dir, &trust().keys, "wtc-booths", now()).is_err());
    let pool: Vec<_> = std::fs::read_dir(data.join("blobs")).unwrap().collect();
    assert!(pool.is_empty(), "no blob of a refused bundle enters the pool");
}

#[test]
fn an_expired_release_does_not_bring_back_the_one_it_replaced() {
    use kiosk_authoring::{BuildOptions, build_bundle};
    let work = tempfile::tempdir().unwrap();
    let library = Library::open(&work.path().join("data")).unwrap();
    let v1 = build_test_bundle(work.path(), "v1", "wtc-booths", 1, &key(1));
    library.import(&v1.dir, &trust().keys, "wtc-booths", now()).unwrap();
    let source = work.path().join("v1-source");
    let mut options = BuildOptions::new("wtc-booths", 2, now(), key(1));
    options.expires_at = Some(now().checked_add(jiff::SignedDuration::from_hours(24)).unwrap());
    let v2 = build_bundle(&source, &work.path().join("v2"), &options, &mut |_| {}).unwrap();
    library.import(&v2.dir, &trust().keys, "wtc-booths", now()).unwrap();

    let a_week_later = now().checked_add(jiff::SignedDuration::from_hours(24 * 7)).unwrap();
    assert!(library.newest_valid(&trust().keys, "wtc-booths", a_week_later).is_none());
    let built_in = build_test_bundle(work.path(), "built-in", BUILT_IN_CHANNEL, 1, &key(1));
    let shown = library.start(&trust(), Some(&built_in.dir), a_week_later).unwrap();
    assert_eq!(shown.manifest.channel, BUILT_IN_CHANNEL, "the built-in content, not withdrawn version 1");
}
