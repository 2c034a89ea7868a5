//! A small valid pack for the tests of this crate.

use std::collections::BTreeMap;

use crate::blob::{BlobId, BlobRef, MediaType};
use crate::content::*;
use crate::locale::{LocaleTag, Localized};

pub(crate) fn blob(bytes: &[u8], media_type: MediaType) -> BlobRef {
    BlobRef { sha256: BlobId::of(bytes), size: bytes.len() as u64, media_type, probe: None }
}

pub(crate) fn sample_pack() -> (ContentPack, Vec<BlobRef>) {
    let badge = blob(b"<svg>badge</svg>", MediaType::Svg);
    let cover = blob(b"<svg>cover</svg>", MediaType::Svg);
    let film = blob(b"film", MediaType::Mp4);
    let pdf = blob(b"%PDF-1.7 guide", MediaType::Pdf);
    let ui = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    let pack = ContentPack {
        default_locale: LocaleTag::new("vi").unwrap(),
        locales: vec![
            LocaleInfo { tag: LocaleTag::new("vi").unwrap(), name: "Tiếng Việt".into() },
            LocaleInfo { tag: LocaleTag::new("en").unwrap(), name: "English".into() },
        ],
        brand: Brand {
            title: Localized::from_pairs([("vi", "Bình Dương".into()), ("en", "Binh Duong".into())]),
            tagline: Localized::from_pairs([("vi", "Thành phố thông minh".into())]),
            badge: badge.sha256.clone(),
            logo: None,
        },
        attract: Attract {
            headline: Localized::from_pairs([
                ("vi", "Chạm để khám phá".into()),
                ("en", "Touch to explore".into()),
            ]),
            video: Some(film.sha256.clone()),
            images: vec![cover.sha256.clone()],
        },
        chapters: vec![Chapter {
            id: "award".into(),
            title: Localized::from_pairs([("vi", "Giải thưởng".into()), ("en", "The award".into())]),
            summary: Localized::from_pairs([("vi", "TOP 1 ICF".into())]),
            cover: cover.sha256.clone(),
            accent: Some("#E8A317".into()),
            scenes: vec![Scene {
                id: "new-york".into(),
                title: Localized::from_pairs([("vi", "New York".into())]),
                body: Localized::from_pairs([("vi", "Đoạn một.\n\nĐoạn hai.".into())]),
                highlights: Localized::from_pairs([("vi", vec!["26/10/2023".into()])]),
                image: Some(cover.sha256.clone()),
                video: Some(film.sha256.clone()),
                survey: None,
            }],
        }],
        brochures: vec![Brochure {
            id: "invest-guide".into(),
            title: Localized::from_pairs([("vi", "Cẩm nang".into()), ("en", "Guide".into())]),
            summary: Localized::from_pairs([("vi", "Đầu tư".into())]),
            cover: Some(cover.sha256.clone()),
            file: Localized::from_pairs([(
                "vi",
                BrochureFile { blob: pdf.sha256.clone(), file_name: "invest-guide-vi.pdf".into() },
            )]),
        }],
        social: Social {
            hashtags: vec!["#BinhDuong2023".into()],
            channels: vec![SocialChannel {
                name: "Facebook".into(),
                handle: "@sample".into(),
                url: "https://example.com/binhduong".into(),
            }],
        },
        ui: Localized::from_pairs([
            ("vi", ui(&[("back", "Quay lại"), ("home", "Trang chủ")])),
            ("en", ui(&[("back", "Back")])),
        ]),
        signage: None,
        sound: None,
        tour: None,
    };
    let mut blobs = vec![badge, cover, film, pdf];
    blobs.sort_by(|a, b| a.sha256.cmp(&b.sha256));
    (pack, blobs)
}

/// A survey for the sample pack's scenes: "why-here" with three answers.
pub(crate) fn sample_survey() -> Survey {
    let option = |id: &str, vi: &str, en: &str| SurveyOption {
        id: id.into(),
        label: Localized::from_pairs([("vi", vi.into()), ("en", en.into())]),
    };
    Survey {
        id: "why-here".into(),
        question: Localized::from_pairs([
            ("vi", "Điều gì đưa bạn đến Bình Dương?".into()),
            ("en", "What brings you to Bình Dương?".into()),
        ]),
        options: vec![
            option("investment", "Đầu tư", "Investment"),
            option("study", "Học tập", "Study"),
            option("tourism", "Du lịch", "Tourism"),
        ],
    }
}

/// The sample pack with [`sample_survey`] on its first scene (in the place of
/// the scene's film).
pub(crate) fn sample_pack_with_survey() -> (ContentPack, Vec<BlobRef>) {
    let (mut pack, blobs) = sample_pack();
    pack.chapters[0].scenes[0].video = None;
    pack.chapters[0].scenes[0].survey = Some(sample_survey());
    (pack, blobs)
}

/// The sample pack with a tour of two stops: "vsip" (with a picture, opening
/// the award's scene) and "new-city" (sample, without either).
pub(crate) fn sample_pack_with_tour() -> (ContentPack, Vec<BlobRef>) {
    use crate::tour::{StopKind, StopScene, Tour, TourStop};
    let (mut pack, mut blobs) = sample_pack();
    let map = blob(b"<svg>map</svg>", MediaType::Svg);
    let photo = blob(b"<svg>vsip</svg>", MediaType::Svg);
    let text = |vi: &str, en: &str| Localized::from_pairs([("vi", vi.to_owned()), ("en", en.to_owned())]);
    pack.tour = Some(Tour {
        title: text("Chuyến tham quan", "The tour"),
        intro: text("Các điểm dọc Vùng đổi mới sáng tạo.", "Places along the Innovation Zone."),
        map: map.sha256.clone(),
        seconds_per_stop: 8,
        stops: vec![
            TourStop {
                id: "vsip".into(),
                kind: StopKind::IndustrialPark,
                x_permille: 520,
                y_permille: 340,
                name: text("VSIP", "VSIP"),
                summary: text("Khu công nghiệp.", "An industrial park."),
                sample: false,
                scene: Some(StopScene { chapter: "award".into(), scene: "new-york".into() }),
                image: Some(photo.sha256.clone()),
            },
            TourStop {
                id: "new-city".into(),
                kind: StopKind::CityCentre,
                x_permille: 540,
                y_permille: 480,
                name: Localized::from_pairs([("vi", "Thành phố mới".to_owned())]),
                summary: Localized::from_pairs([("vi", "Trung tâm đô thị mới.".to_owned())]),
                sample: true,
                scene: None,
                image: None,
            },
        ],
    });
    blobs.extend([map, photo]);
    blobs.sort_by(|a, b| a.sha256.cmp(&b.sha256));
    (pack, blobs)
}
