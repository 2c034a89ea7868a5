//! The payloads the kiosk interface receives: the active release in one
//! language, with blob names turned into URLs and brochure links into QR codes,
//! and the Innovation Zone tour's map and stops.
//! Their TypeScript types are generated into `ui/kiosk/src/generated/`.

use kiosk_core::locale::LocaleTag;
use kiosk_core::qr::qr_svg;
use serde::Serialize;

use crate::library::ActiveRelease;
pub use crate::urls::Urls;

/// What the interface needs once, at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct Session {
    /// `kiosk` (touch) or `signage` (an unattended screen).
    #[ts(type = "\"kiosk\" | \"signage\"")]
    pub mode: &'static str,
    /// Languages offered.
    pub locales: Vec<LocaleInfo>,
    /// The language a new visitor starts in.
    pub default_locale: String,
    /// Seconds without a touch before the attract loop.
    pub idle_timeout_secs: u32,
    /// The release shown.
    pub release: ReleaseInfo,
}

/// A language offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct LocaleInfo {
    /// Tag.
    pub tag: String,
    /// Name in itself.
    pub name: String,
}

/// Which release is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct ReleaseInfo {
    /// Channel.
    pub channel: String,
    /// Version.
    #[ts(type = "number")]
    pub version: u64,
}

/// The pack in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct LocalizedContent {
    /// The language given.
    pub locale: String,
    /// Brand.
    pub brand: Brand,
    /// Attract loop.
    pub attract: Attract,
    /// Chapters.
    pub chapters: Vec<Chapter>,
    /// Brochures.
    pub brochures: Vec<Brochure>,
    /// Social.
    pub social: Social,
    /// Interface words.
    #[ts(type = "Record<string, string>")]
    pub ui: std::collections::BTreeMap<String, String>,
    /// The Innovation Zone tour; left out when the pack has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tour: Option<Tour>,
}

/// The Innovation Zone tour: a map with stops to tap, or to visit in turn in
/// guided mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct Tour {
    /// Title.
    pub title: String,
    /// One or two sentences before the first stop.
    pub intro: String,
    /// The map picture; stops are placed on it by `x_permille` and `y_permille`.
    pub map_url: String,
    /// How long each stop shows in guided mode.
    pub seconds_per_stop: u32,
    /// The stops, in guided order.
    pub stops: Vec<TourStop>,
}

/// One place on the tour's map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct TourStop {
    /// Id, stable in the pack.
    pub id: String,
    /// What kind of place it is, for its marker.
    #[ts(type = "\"industrial_park\" | \"university\" | \"research\" | \"city_centre\" | \"landmark\"")]
    pub kind: &'static str,
    /// Thousandths of the map's width from its left edge (0–1000).
    pub x_permille: u16,
    /// Thousandths of the map's height from its top edge (0–1000).
    pub y_permille: u16,
    /// Name.
    pub name: String,
    /// One or two sentences.
    pub summary: String,
    /// Its place or name is illustrative: the screen marks it as a sample.
    pub sample: bool,
    /// The story scene it opens.
    pub scene: Option<SceneLink>,
    /// Its picture.
    pub image_url: Option<String>,
}

/// A scene of the story, by the ids of its chapter and itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct SceneLink {
    /// The chapter's id.
    pub chapter: String,
    /// The scene's id.
    pub scene: String,
}

/// Brand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct Brand {
    /// Title.
    pub title: String,
    /// Tagline.
    pub tagline: String,
    /// Badge picture.
    pub badge_url: String,
    /// Logo picture.
    pub logo_url: Option<String>,
}

/// Attract loop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct Attract {
    /// Headline.
    pub headline: String,
    /// Film.
    pub video_url: Option<String>,
    /// Pictures.
    pub image_urls: Vec<String>,
}

/// A chapter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct Chapter {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Cover picture.
    pub cover_url: String,
    /// Accent colour.
    pub accent: Option<String>,
    /// Scenes.
    pub scenes: Vec<Scene>,
}

/// A scene.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct Scene {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Paragraphs.
    pub body: Vec<String>,
    /// Chips.
    pub highlights: Vec<String>,
    /// Picture.
    pub image_url: Option<String>,
    /// Film.
    pub video_url: Option<String>,
    /// A survey asked on this scene.
    pub survey: Option<Survey>,
}

/// A survey in the visitor's language. An answer is recorded as a
/// `survey_answer` event with `{survey, option, chapter, scene, locale}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct Survey {
    /// Id (`survey` of the answer).
    pub id: String,
    /// The question.
    pub question: String,
    /// The answers to choose from, in order.
    pub options: Vec<SurveyOption>,
}

/// One answer of a survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct SurveyOption {
    /// Id (`option` of the answer).
    pub id: String,
    /// The words on its button.
    pub label: String,
}

/// A brochure with its download link as a QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct Brochure {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Cover picture.
    pub cover_url: Option<String>,
    /// Where phones download it.
    pub download_url: String,
    /// QR code of `download_url`.
    pub qr_svg: String,
    /// File name.
    pub file_name: String,
    /// Size in bytes.
    #[ts(type = "number")]
    pub size_bytes: u64,
}

/// Social.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct Social {
    /// Hashtags.
    pub hashtags: Vec<String>,
    /// Channels.
    pub channels: Vec<SocialChannel>,
}

/// A social channel with its QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct SocialChannel {
    /// Name.
    pub name: String,
    /// Handle.
    pub handle: String,
    /// Address.
    pub url: String,
    /// QR code of `url`.
    pub qr_svg: String,
}

/// The session for `release`; `start_locale` is used when the pack offers it.
pub fn session(release: &ActiveRelease, start_locale: Option<&LocaleTag>, idle_timeout_secs: u32) -> Session {
    let content = &release.manifest.content;
    let default_locale = start_locale.filter(|l| content.offers(l)).unwrap_or(&content.default_locale);
    Session {
        mode: "kiosk",
        locales: content
            .locales
            .iter()
            .map(|l| LocaleInfo { tag: l.tag.to_string(), name: l.name.clone() })
            .collect(),
        default_locale: default_locale.to_string(),
        idle_timeout_secs,
        release: ReleaseInfo { channel: release.manifest.channel.clone(), version: release.manifest.version },
    }
}

/// The release in `locale` (the default when not offered or not a tag).
pub fn localized_content(release: &ActiveRelease, locale: &str, urls: &Urls) -> LocalizedContent {
    let content = &release.manifest.content;
    let requested = LocaleTag::new(locale).unwrap_or_else(|_| content.default_locale.clone());
    let pack = content.localize(&requested);
    let qr = |text: &str| {
        qr_svg(text).unwrap_or_else(|error| {
            tracing::warn!(%error, url = text, "no QR code for this address");
            String::new()
        })
    };
    LocalizedContent {
        locale: pack.locale.to_string(),
        brand: Brand {
            title: pack.title,
            tagline: pack.tagline,
            badge_url: urls.blob(&content.brand.badge),
            logo_url: content.brand.logo.as_ref().map(|id| urls.blob(id)),
        },
        attract: Attract {
            headline: pack.attract_headline,
            video_url: content.attract.video.as_ref().map(|id| urls.blob(id)),
            image_urls: content.attract.images.iter().map(|id| urls.blob(id)).collect(),
        },
        chapters: pack
            .chapters
            .into_iter()
            .map(|c| Chapter {
                cover_url: urls.blob(&c.cover),
                id: c.id,
                title: c.title,
                summary: c.summary,
                accent: c.accent,
                scenes: c
                    .scenes
                    .into_iter()
                    .map(|s| Scene {
                        id: s.id,
                        title: s.title,
                        body: s.body,
                        highlights: s.highlights,
                        image_url: s.image.as_ref().map(|id| urls.blob(id)),
                        video_url: s.video.as_ref().map(|id| urls.blob(id)),
                        survey: s.survey.map(|survey| Survey {
                            id: survey.id,
                            question: survey.question,
                            options: survey
                                .options
                                .into_iter()
                                .map(|o| SurveyOption { id: o.id, label: o.label })
                                .collect(),
                        }),
                    })
                    .collect(),
            })
            .collect(),
        brochures: pack
            .brochures
            .into_iter()
            .map(|b| {
                let download_url = urls.brochure(&b.id, &b.file_locale);
                Brochure {
                    qr_svg: qr(&download_url),
                    size_bytes: release.manifest.blob(&b.blob).map_or(0, |blob| blob.size),
                    cover_url: b.cover.as_ref().map(|id| urls.blob(id)),
                    download_url,
                    id: b.id,
                    title: b.title,
                    summary: b.summary,
                    file_name: b.file_name,
                }
            })
            .collect(),
        social: Social {
            hashtags: content.social.hashtags.clone(),
            channels: content
                .social
                .channels
                .iter()
                .map(|c| SocialChannel {
                    name: c.name.clone(),
                    handle: c.handle.clone(),
                    url: c.url.clone(),
                    qr_svg: qr(&c.url),
                })
                .collect(),
        },
        ui: pack.ui,
        tour: pack.tour.map(|tour| Tour {
            title: tour.title,
            intro: tour.intro,
            map_url: urls.blob(&tour.map),
            seconds_per_stop: tour.seconds_per_stop,
            stops: tour
                .stops
                .into_iter()
                .map(|stop| TourStop {
                    kind: stop.kind.as_str(),
                    image_url: stop.image.as_ref().map(|id| urls.blob(id)),
                    scene: stop.scene.map(|s| SceneLink { chapter: s.chapter, scene: s.scene }),
                    id: stop.id,
                    x_permille: stop.x_permille,
                    y_permille: stop.y_permille,
                    name: stop.name,
                    summary: stop.summary,
                    sample: stop.sample,
                })
                .collect(),
        }),
    }
}
