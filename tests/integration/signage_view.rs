//! What the playlist player receives for the default content: the schedule's
//! playlist for the device's local time, cards in the screen's languages, and
//! never an empty playlist, whatever cannot play.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use kiosk_core::blob::BlobId;
use kiosk_core::locale::LocaleTag;
use kiosk_device::kiosk_view::Urls;
use kiosk_device::library::ActiveRelease;
use kiosk_device::signage_view::{PlanReason, PlayerSettings, attract_plan, signage_plan};
use kiosk_tests::default_bundle;

fn release() -> (tempfile::TempDir, ActiveRelease) {
    let (work, built) = default_bundle();
    let release = ActiveRelease {
        manifest: built.manifest,
        manifest_sha256: built.manifest_sha256,
        key_id: "test".into(),
        blob_dir: built.dir.join("blobs"),
    };
    (work, release)
}

fn settings(locales: &[&str]) -> PlayerSettings {
    PlayerSettings {
        locales: locales.iter().map(|l| LocaleTag::new(l).unwrap()).collect(),
        crossfade_ms: 400,
        brand_corner: true,
        time_zone: TimeZone::get("Asia/Ho_Chi_Minh").unwrap(),
        sound: true,
        quiet_hours: None,
    }
}

fn urls() -> Urls {
    Urls { media_base: "http://127.0.0.1:1/s".into(), brochure_base: "http://192.0.2.1:8088".into() }
}

/// Monday 7 December 2026 at `hh:mm` in Vietnam.
fn monday(hh: u8, mm: u8) -> Timestamp {
    format!("2026-12-07T{hh:02}:{mm:02}:00+07:00").parse().unwrap()
}

fn film(release: &ActiveRelease, name: &str) -> BlobId {
    let content = &release.manifest.content;
    let signage = content.signage.as_ref().unwrap();
    signage
        .playlists
        .iter()
        .flat_map(|p| &p.items)
        .find_map(|i| match &i.show {
            kiosk_core::signage::Show::Video { video } if i.id == name => Some(video.clone()),
            _ => None,
        })
        .unwrap()
}

#[test]
fn office_hours_play_the_invest_playlist_with_bilingual_cards() {
    let (_work, release) = release();
    let plan = signage_plan(&release, monday(10, 0), &settings(&[]), &urls(), &BTreeMap::new());
    assert_eq!(plan.playlist, "invest");
    assert_eq!(plan.chosen, PlanReason::Schedule { entry: 0 });
    // 17:30 is seven and a half hours away.
    assert_eq!(plan.next_change_ms, Some(7 * 3_600_000 + 1_800_000));
    assert_eq!(plan.items[0].kind, "video");
    assert!(plan.items[0].until_media_ends);
    assert!(plan.items[0].url.as_deref().unwrap().starts_with("http://127.0.0.1:1/s/blobs/"));

    let scene = plan.items.iter().find(|i| i.kind == "scene").unwrap();
    let langs: Vec<_> = scene.texts.iter().map(|t| t.locale.as_str()).collect();
    assert_eq!(langs, ["vi", "en"]);
    assert!(scene.texts.iter().all(|t| !t.title.is_empty() && !t.kicker.is_empty()));
    assert!(scene.image_url.is_some());

    let brochure = plan.items.iter().find(|i| i.kind == "brochure").unwrap();
    assert!(brochure.download_url.as_deref().unwrap().starts_with("http://192.0.2.1:8088/brochures/"));
    assert!(brochure.qr_svg.as_deref().unwrap().contains("<svg"));
    assert_eq!(brochure.texts[1].kicker, "Scan to download");
    assert!(plan.badge_url.is_some());
}

#[test]
fn evenings_and_weekends_play_the_fallback_in_the_configured_languages() {
    let (_work, release) = release();
    let sunday: Timestamp = "2026-12-06T10:00:00+07:00".parse().unwrap();
    let plan = signage_plan(&release, sunday, &settings(&["en"]), &urls(), &BTreeMap::new());
    assert_eq!(plan.playlist, "welcome");
    assert_eq!(plan.chosen, PlanReason::Fallback);
    let message = plan.items.iter().find(|i| i.kind == "message").unwrap();
    assert_eq!(message.texts.len(), 1);
    assert_eq!(message.texts[0].locale, "en");
    assert!(message.texts[0].title.contains("Intelligent Community"));

    let evening = signage_plan(&release, monday(18, 0), &settings(&[]), &urls(), &BTreeMap::new());
    assert_eq!(evening.playlist, "welcome");
}

#[test]
fn a_film_this_machine_cannot_decode_is_left_out_with_its_reason() {
    let (_work, release) = release();
    let broken = film(&release, "film");
    let refused = BTreeMap::from([(broken.clone(), "no decoder for this codec".to_owned())]);
    let plan = signage_plan(&release, monday(10, 0), &settings(&[]), &urls(), &refused);
    assert_eq!(plan.playlist, "invest");
    assert!(plan.items.iter().all(|i| i.blob.as_deref() != Some(broken.as_str())));
    assert_eq!(plan.dropped.len(), 1);
    assert_eq!(plan.dropped[0].id, "film");
    assert_eq!(plan.dropped[0].reason, "no decoder for this codec");

    let attract = attract_plan(&release, monday(10, 0), &settings(&[]), &urls(), &refused);
    assert_eq!(attract.chosen, PlanReason::AttractLoop);
    assert!(attract.items.iter().all(|i| i.kind == "image"), "pictures carry the attract loop alone");
}

#[test]
fn with_nothing_playable_the_screen_shows_its_brand_never_black() {
    let (_work, mut release) = release();
    let content = &mut release.manifest.content;
    content.signage = None;
    content.attract.images.clear();
    let film = content.attract.video.clone().unwrap();
    let refused = BTreeMap::from([(film, "does not decode".to_owned())]);
    let plan = signage_plan(&release, monday(10, 0), &settings(&[]), &urls(), &refused);
    assert_eq!(plan.chosen, PlanReason::BrandCard);
    assert_eq!(plan.items.len(), 1);
    assert!(plan.items[0].texts[0].title.contains("Bình Dương"));
    assert_eq!(plan.next_change_ms, None);
}

#[test]
fn quiet_hours_mute_films() {
    let (_work, release) = release();
    let mut quiet = settings(&[]);
    quiet.quiet_hours = Some(kiosk_core::schedule::TimeWindow {
        start: jiff::civil::time(21, 0, 0, 0),
        end: jiff::civil::time(7, 0, 0, 0),
    });
    assert!(signage_plan(&release, monday(20, 59), &quiet, &urls(), &BTreeMap::new()).sound);
    assert!(!signage_plan(&release, monday(23, 0), &quiet, &urls(), &BTreeMap::new()).sound);
}

#[test]
fn a_clock_far_in_the_past_or_future_still_plays_the_schedule() {
    let (_work, release) = release();
    for at in ["1990-01-01T09:00:00+07:00", "2099-06-15T10:00:00+07:00", "2262-01-01T12:00:00+07:00"] {
        let plan = signage_plan(&release, at.parse().unwrap(), &settings(&[]), &urls(), &BTreeMap::new());
        assert!(!plan.items.is_empty(), "{at}: nothing to play");
        assert!(["invest", "welcome"].contains(&plan.playlist.as_str()), "{at}: {}", plan.playlist);
    }
}

#[test]
fn a_survey_scene_on_a_board_asks_its_question_and_says_where_to_answer() {
    let (_work, mut release) = release();
    let signage = release.manifest.content.signage.as_mut().unwrap();
    let invest = signage.playlists.iter_mut().find(|p| p.id == "invest").unwrap();
    invest.items.insert(
        0,
        kiosk_core::signage::PlaylistItem {
            id: "survey".into(),
            show: kiosk_core::signage::Show::Scene { chapter: "invest".into(), scene: "your-visit".into() },
            seconds: None,
        },
    );
    let plan = signage_plan(&release, monday(10, 0), &settings(&[]), &urls(), &BTreeMap::new());
    let card = plan.items.iter().find(|i| i.id == "survey").unwrap();
    assert_eq!(card.kind, "scene");
    let en = card.texts.iter().find(|t| t.locale == "en").unwrap();
    assert_eq!(en.title, "What brings you to Bình Dương?");
    assert_eq!(en.body, "Answer this question at a Bình Dương touch kiosk");
    assert!(en.highlights.is_empty() && card.qr_svg.is_none(), "nothing to touch or scan");
}

#[test]
fn the_welcome_loop_plays_the_tour_stop_by_stop_in_the_screens_languages() {
    let (_work, release) = release();
    let sunday: Timestamp = "2026-12-06T10:00:00+07:00".parse().unwrap();
    let plan = signage_plan(&release, sunday, &settings(&["ja", "en"]), &urls(), &BTreeMap::new());
    assert_eq!(plan.playlist, "welcome");
    let item = plan.items.iter().find(|i| i.kind == "tour").expect("the tour item");
    let tour = item.tour.as_ref().expect("the tour's map and stops");
    let stops = release.manifest.content.tour.as_ref().unwrap().stops.len() as u64;
    assert_eq!(tour.stop_ms, 8_000);
    assert_eq!(item.planned_ms, stops * 8_000, "every stop once, eight seconds each");
    assert!(!item.until_media_ends);

    assert!(tour.map_url.starts_with("http://127.0.0.1:1/s/blobs/"), "{}", tour.map_url);
    assert_eq!(item.image_url.as_ref(), Some(&tour.map_url), "a player without a tour screen shows the map");
    assert_eq!(item.blob.as_deref(), Some(&tour.map_url["http://127.0.0.1:1/s/blobs/".len()..]));
    let titles: Vec<_> = item.texts.iter().map(|t| (t.locale.as_str(), t.title.as_str())).collect();
    assert_eq!(titles, [("ja", "イノベーションゾーンを巡る"), ("en", "A tour of the Innovation Zone")]);

    assert_eq!(tour.stops.len() as u64, stops);
    let wtc = tour.stops.iter().find(|s| s.id == "wtc-binh-duong").unwrap();
    assert_eq!((wtc.kind, wtc.sample), ("landmark", false));
    let names: Vec<_> = wtc.texts.iter().map(|t| (t.locale.as_str(), t.title.as_str())).collect();
    assert_eq!(names, [("ja", "WTC Bình Dương"), ("en", "WTC Bình Dương")]);
    assert!(wtc.texts.iter().all(|t| !t.body.is_empty()), "a summary in each language");
    assert!(tour.stops.iter().any(|s| s.sample), "sample stops say so");
    assert!(wtc.texts.iter().all(|t| t.kicker.is_empty()), "a named place has no sample mark");
    let sample = tour.stops.iter().find(|s| s.sample).unwrap();
    let marks: Vec<_> = sample.texts.iter().map(|t| (t.locale.as_str(), t.kicker.as_str())).collect();
    assert_eq!(
        marks,
        [("ja", "サンプル：イメージとしての場所"), ("en", "Sample: an illustrative place")],
        "in the screen's languages"
    );
    assert!(tour.stops.iter().any(|s| s.image_url.is_some()));

    let json = serde_json::to_value(item).unwrap();
    assert_eq!(json["tour"]["stops"][0]["texts"][0]["locale"], "ja");
    let film = plan.items.iter().find(|i| i.kind == "video").unwrap();
    assert!(serde_json::to_value(film).unwrap().get("tour").is_none(), "no \"tour\" key on other items");
}
