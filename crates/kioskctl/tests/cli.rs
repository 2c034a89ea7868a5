//! `kioskctl` as an author and a technician use it: real processes, real files.

use std::path::Path;
use std::process::{Command, Output};

use kiosk_tests::write_content_folder;

fn kioskctl<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kioskctl")).args(args).output().expect("kioskctl runs")
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

struct Setup {
    work: tempfile::TempDir,
}

impl Setup {
    fn new() -> Self {
        let work = tempfile::tempdir().unwrap();
        let out = kioskctl(&["keys", "generate", "--out", s(&work.path().join("keys"))]);
        assert!(out.status.success(), "{}", text(&out));
        write_content_folder(&work.path().join("source"), "cli");
        Self { work }
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.work.path().join(name)
    }

    fn build(&self, name: &str, channel: &str, version: &str, extra: &[&str]) -> Output {
        let source = self.path("source");
        let key = self.path("keys/content.key");
        let out = self.path(name);
        let mut args = vec![
            "bundle",
            "build",
            s(&source),
            "--channel",
            channel,
            "--version",
            version,
            "--key",
            s(&key),
            "--out",
            s(&out),
        ];
        args.extend_from_slice(extra);
        kioskctl(&args)
    }

    fn verify(&self, name: &str, extra: &[&str]) -> Output {
        let dir = self.path(name);
        let key = self.path("keys/content.pub");
        let mut args = vec!["bundle", "verify", s(&dir), "--public-key", s(&key)];
        args.extend_from_slice(extra);
        kioskctl(&args)
    }
}

#[test]
fn builds_then_verifies_a_bundle() {
    let setup = Setup::new();
    let built = setup.build("bundle", "wtc-booths", "3", &[]);
    assert!(built.status.success(), "{}", text(&built));
    assert!(text(&built).contains("channel wtc-booths, version 3"), "{}", text(&built));
    let verified = setup.verify("bundle", &["--channel", "wtc-booths"]);
    assert!(verified.status.success(), "{}", text(&verified));
    assert!(text(&verified).starts_with("valid: channel wtc-booths, version 3"), "{}", text(&verified));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(setup.path("keys/content.key")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the secret key is readable by its owner only");
    }
}

/// Each kind of tampering is refused with its own one-line reason.
#[test]
fn refuses_each_kind_of_tampering_with_its_own_reason() {
    let setup = Setup::new();
    assert!(setup.build("good", "wtc-booths", "3", &[]).status.success());
    let copy = |name: &str| {
        let to = setup.path(name);
        std::fs::create_dir_all(to.join("blobs")).unwrap();
        for entry in ["manifest.json", "manifest.sig"] {
            std::fs::copy(setup.path("good").join(entry), to.join(entry)).unwrap();
        }
        for blob in std::fs::read_dir(setup.path("good/blobs")).unwrap() {
            let blob = blob.unwrap().path();
            std::fs::copy(&blob, to.join("blobs").join(blob.file_name().unwrap())).unwrap();
        }
        to
    };
    let first_blob = |dir: &Path| {
        let mut blobs: Vec<_> =
            std::fs::read_dir(dir.join("blobs")).unwrap().map(|e| e.unwrap().path()).collect();
        blobs.sort();
        blobs.remove(0)
    };

    let edited = copy("edited");
    let manifest = std::fs::read_to_string(edited.join("manifest.json")).unwrap();
    std::fs::write(edited.join("manifest.json"), manifest.replace("Bình Dương", "Somewhere Else")).unwrap();

    let corrupt = copy("corrupt");
    let blob = first_blob(&corrupt);
    let mut bytes = std::fs::read(&blob).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x20;
    std::fs::write(&blob, bytes).unwrap();

    let truncated = copy("truncated");
    let blob = first_blob(&truncated);
    let bytes = std::fs::read(&blob).unwrap();
    std::fs::write(&blob, &bytes[..bytes.len() / 2]).unwrap();

    let missing = copy("missing");
    std::fs::remove_file(first_blob(&missing)).unwrap();

    let no_sig = copy("no-sig");
    std::fs::remove_file(no_sig.join("manifest.sig")).unwrap();

    let short_sig = copy("short-sig");
    std::fs::write(short_sig.join("manifest.sig"), [0u8; 10]).unwrap();

    let garbage = copy("garbage");
    std::fs::write(garbage.join("manifest.json"), b"{\"channel\": \"wtc-booths\", oops").unwrap();

    let other_key = setup.path("other-keys");
    assert!(kioskctl(&["keys", "generate", "--out", s(&other_key)]).status.success());
    let foreign = kioskctl(&[
        "bundle",
        "build",
        s(&setup.path("source")),
        "--channel",
        "wtc-booths",
        "--version",
        "3",
        "--key",
        s(&other_key.join("content.key")),
        "--out",
        s(&setup.path("foreign")),
    ]);
    assert!(foreign.status.success());

    assert!(setup.build("expired", "wtc-booths", "3", &["--expires-in-days", "0"]).status.success());
    assert!(setup.build("boards", "bulletin-boards", "3", &[]).status.success());

    let cases: &[(&str, &[&str], &[&str])] = &[
        ("edited", &[], &["bad-signature", "manifest.json was altered"]),
        ("foreign", &[], &["bad-signature", "unknown key"]),
        ("corrupt", &[], &["blob-hash", "is corrupt"]),
        ("truncated", &[], &["blob-size", "bytes, the manifest says"]),
        ("missing", &[], &["blob-missing", "is missing"]),
        ("no-sig", &[], &["manifest.sig"]),
        ("short-sig", &[], &["signature-malformed", "10 bytes"]),
        ("garbage", &[], &["bad-signature"]),
        ("expired", &[], &["expired", "expired at"]),
        ("boards", &["--channel", "wtc-booths"], &["wrong-channel", "\"bulletin-boards\""]),
    ];
    for (name, extra, expected) in cases {
        let out = setup.verify(name, extra);
        let said = text(&out);
        assert!(!out.status.success(), "{name} must be refused");
        assert_eq!(said.trim_end().lines().count(), 1, "{name}: one line, got {said:?}");
        for needle in *expected {
            assert!(said.contains(needle), "{name}: {said:?} should contain {needle:?}");
        }
    }
    // A corrupt blob names the blob at fault.
    let said = text(&setup.verify("corrupt", &[]));
    let name = first_blob(&setup.path("corrupt")).file_name().unwrap().to_str().unwrap().to_owned();
    assert!(said.contains(&name), "{said}");
}

/// `kioskctl bundle verify` with `args`, killed and failed when it takes two
/// seconds or more (a FIFO opened for reading would wait for ever).
fn verify_within_two_seconds(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .args(["bundle", "verify"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kioskctl runs");
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(2) {
            child.kill().unwrap();
            panic!("kioskctl bundle verify {args:?} still runs after two seconds");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

/// A manifest or blob that is a link to `/dev/zero` or a FIFO is refused at
/// once, naming the file and what it is, with or without `--channel`.
#[test]
fn refuses_a_manifest_or_blob_that_is_a_link_or_a_fifo_at_once() {
    let setup = Setup::new();
    let cases = [
        ("manifest.json", "dev-zero", "manifest.json: a symbolic link, which is not followed"),
        ("manifest.json", "fifo", "manifest.json: a FIFO (named pipe), not a regular file"),
        ("blobs", "dev-zero", "a symbolic link, which is not followed"),
        ("blobs", "fifo", "a FIFO (named pipe), not a regular file"),
    ];
    for (i, (file, kind, reason)) in cases.into_iter().enumerate() {
        let name = format!("hostile-{i}");
        assert!(setup.build(&name, "wtc-booths", "3", &[]).status.success());
        let target = match file {
            "blobs" => {
                let mut blobs: Vec<_> = std::fs::read_dir(setup.path(&name).join("blobs"))
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .collect();
                blobs.sort();
                blobs.remove(0)
            }
            file => setup.path(&name).join(file),
        };
        std::fs::remove_file(&target).unwrap();
        if kind == "fifo" {
            assert!(Command::new("mkfifo").arg(&target).status().unwrap().success());
        } else {
            std::os::unix::fs::symlink("/dev/zero", &target).unwrap();
        }
        let key = setup.path("keys/content.pub");
        let dir = setup.path(&name);
        for channel in [&["--channel", "wtc-booths"][..], &[]] {
            let mut args = vec![s(&dir), "--public-key", s(&key)];
            args.extend_from_slice(channel);
            let out = verify_within_two_seconds(&args);
            let said = text(&out);
            assert_eq!(out.status.code(), Some(1), "{file} {kind} {channel:?}: {said}");
            assert!(said.contains("bundle refused"), "{said}");
            assert!(said.contains(&format!("{}: ", target.display())), "names the file: {said}");
            assert!(said.trim_end().ends_with(reason), "{file} {kind} {channel:?}: {said}");
        }
    }
}

#[test]
fn a_bad_content_folder_is_named_with_file_and_line() {
    let setup = Setup::new();
    let story = setup.path("source/story/01-award.toml");
    let text_before = std::fs::read_to_string(&story).unwrap();
    std::fs::write(&story, text_before.replace("accent = ", "acent = ")).unwrap();
    let out = setup.build("b1", "wtc-booths", "1", &[]);
    let said = text(&out);
    assert!(!out.status.success());
    assert!(said.contains("01-award.toml") && said.contains("line 3") && said.contains("acent"), "{said}");

    std::fs::write(&story, text_before.replace("images/cover.svg", "../../etc/passwd")).unwrap();
    let said = text(&setup.build("b2", "wtc-booths", "1", &[]));
    assert!(said.contains("image = \"../../etc/passwd\"") && said.contains("without '..'"), "{said}");

    std::fs::write(&story, text_before.replace("images/cover.svg", "images/absent.svg")).unwrap();
    let said = text(&setup.build("b3", "wtc-booths", "1", &[]));
    assert!(said.contains("no such file in the content folder"), "{said}");
    std::fs::write(&story, &text_before).unwrap();

    let playlists = setup.path("source/playlists.toml");
    let item = "[schedule]\nfallback = \"loop\"\n[[playlists]]\nid = \"loop\"\n[[playlists.items]]\nid = \"film\"\nkind = \"video\"\n";
    std::fs::write(&playlists, item).unwrap();
    let said = text(&setup.build("b4", "wtc-booths", "1", &[]));
    assert!(said.contains("kind \"video\" needs playlists[loop].items[film].video"), "{said}");

    std::fs::write(
        &playlists,
        item.replace("fallback = \"loop\"", "fallback = \"night\"")
            .replace("kind = \"video\"\n", "kind = \"video\"\nvideo = \"videos/film.mp4\"\n"),
    )
    .unwrap();
    let said = text(&setup.build("b5", "wtc-booths", "1", &[]));
    assert!(said.contains("schedule: names playlist \"night\", which does not exist"), "{said}");
}

#[test]
fn records_probe_facts_and_refuses_an_unplayable_film() {
    let setup = Setup::new();
    let built = setup.build("probed", "wtc-booths", "1", &[]);
    assert!(built.status.success(), "{}", text(&built));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(setup.path("probed/manifest.json")).unwrap()).unwrap();
    let film = manifest["blobs"].as_array().unwrap().iter().find(|b| b["media_type"] == "video/mp4").unwrap();
    let ms = film["probe"]["duration_ms"].as_u64().unwrap();
    assert!((21_000..23_000).contains(&ms), "the film's length is recorded: {film}");
    assert_eq!(film["probe"]["width"], 1280);

    std::fs::write(setup.path("source/videos/film.mp4"), "a text file, not a film\n".repeat(20)).unwrap();
    let refused = setup.build("unplayable", "wtc-booths", "1", &[]);
    let said = text(&refused);
    assert!(!refused.status.success());
    assert!(said.contains("film.mp4: not playable media"), "{said}");
    let unprobed = setup.build("unprobed", "wtc-booths", "1", &["--no-probe"]);
    assert!(unprobed.status.success(), "{}", text(&unprobed));
}

#[test]
fn hashes_a_staff_pin() {
    let out = kioskctl(&["pin", "hash", "2023"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("$argon2id$"));
    let out = kioskctl(&["pin", "hash", "12"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("4 to 12 digits"));
}
