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

#[test]
fn media_carries_the_innovation_zone_tour_in_every_language() {
    let (_work, built) = built();
    let content = &built.manifest.content;
    let tour = content.tour.as_ref().expect("media/tour.toml");
    assert_eq!(built.manifest.blob(&tour.map).unwrap().media_type, MediaType::Svg, "the map is an SVG");
    assert!((8..=10).contains(&tour.stops.len()), "8 to 10 stops, found {}", tour.stops.len());
    assert_eq!(tour.seconds_per_stop, 8);

    let locales: Vec<LocaleTag> = content.locales.iter().map(|l| l.tag.clone()).collect();
    assert_eq!(locales.len(), 6, "vi, en, ko, ja, zh-Hans, zh-Hant");
    for locale in &locales {
        assert!(tour.title.has(locale) && tour.intro.has(locale), "the tour's title and intro in {locale}");
        for stop in &tour.stops {
            assert!(stop.name.has(locale) && stop.summary.has(locale), "stop {} in {locale}", stop.id);
        }
    }

    let kinds: BTreeSet<&str> = tour.stops.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(
        kinds,
        BTreeSet::from(["city_centre", "industrial_park", "landmark", "research", "university"])
    );
    let named = |id: &str| tour.stops.iter().find(|s| s.id == id).unwrap_or_else(|| panic!("stop {id}"));
    assert!(
        !named("vsip").sample && !named("wtc-binh-duong").sample,
        "the plan names VSIP and WTC Bình Dương"
    );
    assert!(named("my-phuoc").sample, "the plan does not name Mỹ Phước: a sample stop");
    let en = LocaleTag::new("en").unwrap();
    assert_eq!(
        named("binh-duong-new-city").name.exact(&en).unwrap(),
        "Bình Dương New City",
        "the glossary's name"
    );
    for stop in &tour.stops {
        if let Some(scene) = &stop.scene {
            let chapter = content.chapters.iter().find(|c| c.id == scene.chapter).unwrap();
            assert!(
                chapter.scenes.iter().any(|s| s.id == scene.scene),
                "stop {} opens a real scene",
                stop.id
            );
        }
    }

    let welcome = content.signage.as_ref().unwrap().playlist("welcome").unwrap();
    let item = welcome.items.iter().find(|i| i.show == kiosk_core::signage::Show::Tour).expect("a tour item");
    assert_eq!(item.planned_ms(None, Some(tour)), tour.stops.len() as u64 * 8_000, "every stop once");
}

#[test]
fn the_kiosk_receives_the_tour_in_the_visitors_language() {
    let (_work, built) = built();
    let release = kiosk_device::library::ActiveRelease {
        manifest: built.manifest,
        manifest_sha256: built.manifest_sha256,
        key_id: "test".into(),
        blob_dir: built.dir.join("blobs"),
    };
    let urls = kiosk_device::kiosk_view::Urls {
        media_base: "http://127.0.0.1:1/s".into(),
        brochure_base: "http://192.0.2.1:8088".into(),
    };
    let content = kiosk_device::kiosk_view::localized_content(&release, "ko", &urls);
    let tour = content.tour.expect("the tour");
    assert_eq!(tour.title, "혁신지구 둘러보기");
    assert!(tour.map_url.starts_with("http://127.0.0.1:1/s/blobs/"), "{}", tour.map_url);
    let vsip = tour.stops.iter().find(|s| s.id == "vsip").unwrap();
    assert_eq!(vsip.name, "베트남-싱가포르 산업단지(VSIP)");
    assert_eq!(vsip.kind, "industrial_park");
    assert_eq!((vsip.x_permille, vsip.y_permille), (500, 350));
    let scene = vsip.scene.as_ref().unwrap();
    assert_eq!((scene.chapter.as_str(), scene.scene.as_str()), ("location", "partners"));

    let json = serde_json::to_value(&tour.stops[0]).unwrap();
    let keys: BTreeSet<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "id",
            "kind",
            "x_permille",
            "y_permille",
            "name",
            "summary",
            "sample",
            "scene",
            "image_url"
        ]),
        "the shape the interface reads"
    );
}
