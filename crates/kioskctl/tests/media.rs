//! `kioskctl media probe` on real films and on files that are not playable media.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kioskctl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kioskctl")).args(args).output().expect("kioskctl runs")
}

fn film() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../media/videos/binh-duong-film.mp4")
}

#[test]
fn probes_a_real_film() {
    let out = kioskctl(&["media", "probe", film().to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let facts: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(facts["kind"], "video");
    assert_eq!(facts["width"], 1280);
    assert_eq!(facts["height"], 720);
    assert_eq!(facts["has_audio"], true);
    assert_eq!(facts["decodable"], true);
    let ms = facts["duration_ms"].as_u64().unwrap();
    assert!((35_000..37_000).contains(&ms), "about 36 s, got {ms}");
    assert!(facts["video_codec"].as_str().unwrap().contains("H.264"), "{facts}");
}

#[test]
fn each_bad_file_gets_one_clear_line_and_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let film_bytes = std::fs::read(film()).unwrap();
    let files: [(&str, &[u8], &str); 4] = [
        ("empty.mp4", b"", "the file is empty"),
        ("notes.mp4", b"This is a text file that someone renamed.\n", "not playable media"),
        ("truncated.mp4", &film_bytes[..film_bytes.len() / 50], "not playable media"),
        ("missing.mp4", b"", "No such file"),
    ];
    for (name, bytes, expected) in files {
        let path = dir.path().join(name);
        if name != "missing.mp4" {
            std::fs::write(&path, bytes).unwrap();
        }
        let out = kioskctl(&["media", "probe", path.to_str().unwrap()]);
        let said =
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(!out.status.success(), "{name} must fail: {said}");
        let last = said.trim_end().lines().last().unwrap_or_default();
        assert!(last.contains(name), "{name}: the line names the file: {said}");
        assert!(said.contains(expected), "{name}: {said:?} should contain {expected:?}");
    }
}

#[test]
fn a_film_with_a_picture_extension_is_still_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("film.png");
    std::fs::copy(film(), &path).unwrap();
    let out = kioskctl(&["media", "probe", path.to_str().unwrap()]);
    assert!(out.status.success());
    let facts: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(facts["kind"], "video", "the content decides, not the name");
}

#[test]
fn writes_a_thumbnail() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("thumb.png");
    let out = kioskctl(&[
        "media",
        "thumbnail",
        film().to_str().unwrap(),
        "--at-ms",
        "5000",
        "--width",
        "320",
        "--out",
        out_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let png = std::fs::read(&out_path).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (320, 180));
}
