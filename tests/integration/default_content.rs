//! The default content in media/: complete, in both first languages, and within
//! the limits the kiosk relies on.

use std::collections::BTreeSet;

use kiosk_core::blob::MediaType;
use kiosk_core::locale::LocaleTag;
use kiosk_tests::{default_bundle, repo_root};

fn built() -> (tempfile::TempDir, kiosk_authoring::Built) {
    default_bundle()
}

fn ui_keys() -> Vec<String> {
    let doc = std::fs::read_to_string(repo_root().join("docs/ui-strings.md")).unwrap();
    doc.lines().filter_map(|line| line.strip_prefix("| `")?.split('`').next().map(str::to_owned)).collect()
}

#[test]
fn media_builds_into_a_complete_bilingual_pack() {
    let (_work, built) = built();
    let content = &built.manifest.content;
    let vi = LocaleTag::new("vi").unwrap();
    let en = LocaleTag::new("en").unwrap();
    assert_eq!(content.default_locale, vi);
    assert!(content.chapters.len() >= 7, "at least 7 chapters, found {}", content.chapters.len());

    for locale in [&vi, &en] {
        let pack = content.localize(locale);
        assert_eq!(&pack.locale, locale);
        for chapter in &content.chapters {
            assert!(
                chapter.title.has(locale) && chapter.summary.has(locale),
                "chapter {} in {locale}",
                chapter.id
            );
            for scene in &chapter.scenes {
                let place = format!("{}/{} in {locale}", chapter.id, scene.id);
                assert!(scene.title.has(locale) && scene.body.has(locale), "{place}");
            }
        }
        for key in ui_keys() {
            assert!(
                content.ui.exact(locale).is_some_and(|ui| ui.contains_key(&key)),
                "ui key {key} in {locale}"
            );
        }
        let pdfs: BTreeSet<_> =
            content.brochures.iter().filter(|b| b.file.has(locale)).map(|b| &b.id).collect();
        assert!(pdfs.len() >= 3, "at least 3 brochures in {locale}");
    }
}

#[test]
fn media_files_are_real_and_within_limits() {
    let (_work, built) = built();
    let blob_dir = built.dir.join("blobs");
    let videos: Vec<_> = built.manifest.blobs.iter().filter(|b| b.media_type.is_video()).collect();
    assert!(videos.len() >= 2, "at least two films");
    for video in videos {
        assert!(video.size <= 3 * 1024 * 1024, "film {} is {} bytes, over 3 MB", video.sha256, video.size);
        let bytes = std::fs::read(blob_dir.join(video.sha256.as_str())).unwrap();
        // MP4 with the index at the front: the moov box comes before mdat.
        let moov = bytes.windows(4).position(|w| w == b"moov").expect("a moov box");
        let mdat = bytes.windows(4).position(|w| w == b"mdat").expect("an mdat box");
        assert!(moov < mdat, "film {} must have its index at the front", video.sha256);
    }
    for pdf in built.manifest.blobs.iter().filter(|b| b.media_type == MediaType::Pdf) {
        let bytes = std::fs::read(blob_dir.join(pdf.sha256.as_str())).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "brochure {} is a PDF", pdf.sha256);
    }
}

#[test]
fn media_carries_playlists_and_a_schedule_for_unattended_screens() {
    let (_work, built) = built();
    let signage = built.manifest.content.signage.as_ref().expect("media/playlists.toml");
    assert!(signage.playlist(&signage.schedule.fallback).is_some());
    let hcm = jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh").unwrap();
    let at = |local: &str| hcm.to_timestamp(local.parse().unwrap()).unwrap();
    assert_eq!(
        signage.schedule.active(at("2026-11-26T10:00:00"), &hcm).playlist,
        "invest",
        "a Thursday morning"
    );
    assert_eq!(signage.schedule.active(at("2026-11-28T10:00:00"), &hcm).playlist, "welcome", "a Saturday");
}
