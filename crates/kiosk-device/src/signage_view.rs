//! What the playlist player receives: the playlist to play now, each item with
//! its URL or its card's words in the screen's languages (the tour with its map
//! and every stop's words), and when to ask again.
//!
//! The choice itself is `kiosk_core::signage::Signage::plan`; this module only
//! turns it into a payload (its TypeScript type is generated into
//! `ui/kiosk/src/generated/`). It never
//! returns an empty playlist: a pack without playlists plays its attract loop,
//! and a pack with nothing playable shows its brand on a card — never black.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use kiosk_core::blob::BlobId;
use kiosk_core::locale::{LocaleTag, Localized};
use kiosk_core::qr::qr_svg;
use kiosk_core::schedule::TimeWindow;
use kiosk_core::signage::{Chosen, DEFAULT_STILL_SECONDS, PlaylistItem, Show};
use kiosk_core::tour::Tour;
use serde::Serialize;

use crate::kiosk_view::{ReleaseInfo, Urls};
use crate::library::ActiveRelease;

/// Id of the playlist made from the attract loop.
pub const ATTRACT_PLAYLIST: &str = "attract";

/// How long each attract picture shows, in milliseconds.
pub const ATTRACT_PICTURE_MS: u64 = 8000;

/// The player's settings, from the device config.
#[derive(Debug, Clone)]
pub struct PlayerSettings {
    /// Languages of the words on cards, the large line first; empty for the
    /// content's default and the next language it offers.
    pub locales: Vec<LocaleTag>,
    /// Crossfade between items; 0 cuts.
    pub crossfade_ms: u32,
    /// The TOP 1 ICF badge in a corner.
    pub brand_corner: bool,
    /// The zone schedules run in.
    pub time_zone: TimeZone,
    /// Films play their sound (the config's `sound.enabled`).
    pub sound: bool,
    /// Local hours without sound.
    pub quiet_hours: Option<TimeWindow>,
}

impl PlayerSettings {
    /// Whether films may play their sound at `now`.
    pub fn sound_at(&self, now: Timestamp) -> bool {
        self.sound && !self.quiet_hours.is_some_and(|q| q.contains(now, &self.time_zone))
    }
}

/// The playlist to play now.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct PlayerPlan {
    /// The playlist's id (`attract` for the attract loop).
    pub playlist: String,
    /// Why it plays.
    pub chosen: PlanReason,
    /// The device's time when this was planned.
    #[ts(type = "string")]
    pub now: Timestamp,
    /// Milliseconds until the schedule must be asked again; `None`: not soon.
    #[ts(type = "number | null")]
    pub next_change_ms: Option<u64>,
    /// The zone schedules run in.
    pub time_zone: String,
    /// Crossfade between items; 0 cuts.
    pub crossfade_ms: u32,
    /// The badge for the corner, when shown.
    pub badge_url: Option<String>,
    /// Films play their sound now (sound on, not in quiet hours).
    pub sound: bool,
    /// The items, in order; never empty.
    pub items: Vec<PlayerItem>,
    /// Items of the playlist left out, with the reason.
    pub dropped: Vec<DroppedItem>,
    /// The release they come from.
    pub release: ReleaseInfo,
}

/// Why a playlist plays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "by", rename_all = "snake_case")]
#[ts(export, export_to = "kiosk/src/generated/")]
pub enum PlanReason {
    /// A schedule entry applies (its index).
    Schedule {
        /// Index into the schedule's entries.
        #[ts(type = "number")]
        entry: usize,
    },
    /// No entry applies: the schedule's fallback.
    Fallback,
    /// The scheduled playlist has nothing playable: the fallback plays.
    FallbackForUnplayable {
        /// The playlist the schedule wanted.
        wanted: String,
    },
    /// The pack has no playlists (or none playable): the attract loop plays.
    AttractLoop,
    /// Nothing at all is playable: a card with the brand.
    BrandCard,
}

impl From<Chosen> for PlanReason {
    fn from(chosen: Chosen) -> Self {
        match chosen {
            Chosen::Schedule { entry } => Self::Schedule { entry },
            Chosen::Fallback => Self::Fallback,
            Chosen::FallbackForUnplayable { wanted } => Self::FallbackForUnplayable { wanted },
        }
    }
}

/// One item of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct PlayerItem {
    /// Stable id in its playlist (proof of play).
    pub id: String,
    /// `video`, `image`, `scene`, `brochure`, `message` or `tour`.
    #[ts(type = "\"video\" | \"image\" | \"scene\" | \"brochure\" | \"message\" | \"tour\"")]
    pub kind: &'static str,
    /// Planned milliseconds (a film's own length unless the playlist says).
    #[ts(type = "number")]
    pub planned_ms: u64,
    /// A film without `seconds`: it plays to its end, whatever `planned_ms` says.
    pub until_media_ends: bool,
    /// The blob shown, for proof of play.
    pub blob: Option<String>,
    /// The film or picture.
    pub url: Option<String>,
    /// Whether the film has sound.
    pub has_audio: bool,
    /// The card's words, one entry per language of the screen.
    pub texts: Vec<CardText>,
    /// The card's picture (a scene's image, a brochure's cover, the tour's map).
    pub image_url: Option<String>,
    /// A brochure's QR code (SVG) and its address.
    pub qr_svg: Option<String>,
    /// The address in the QR code.
    pub download_url: Option<String>,
    /// The tour's map and stops, for a `tour` item; left out otherwise. Its
    /// title and introduction are the item's `texts`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tour: Option<PlayerTour>,
}

/// The tour on a board: the map, then each stop in turn for `stop_ms`, from
/// the first, for the item's `planned_ms` (starting again after the last).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct PlayerTour {
    /// The map picture.
    pub map_url: String,
    /// How long each stop shows, in milliseconds.
    #[ts(type = "number")]
    pub stop_ms: u64,
    /// The stops, in order.
    pub stops: Vec<PlayerTourStop>,
}

/// A stop of the tour on a board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct PlayerTourStop {
    /// Its id.
    pub id: String,
    /// What kind of place it is, for its marker.
    #[ts(type = "\"industrial_park\" | \"university\" | \"research\" | \"city_centre\" | \"landmark\"")]
    pub kind: &'static str,
    /// Thousandths of the map's width from its left edge (0–1000).
    pub x_permille: u16,
    /// Thousandths of the map's height from its top edge (0–1000).
    pub y_permille: u16,
    /// Its place or name is illustrative: the board marks it as a sample.
    pub sample: bool,
    /// Its picture.
    pub image_url: Option<String>,
    /// Its name (`title`), summary (`body`) and, for a sample, the interface's
    /// word `tour_sample` (`kicker`), one entry per language of the screen.
    pub texts: Vec<CardText>,
}

/// A card's words in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct CardText {
    /// The language.
    pub locale: String,
    /// Large line.
    pub title: String,
    /// Small line above it (a chapter's title, "Scan to download").
    pub kicker: String,
    /// Paragraph under it.
    pub body: String,
    /// Chips.
    pub highlights: Vec<String>,
}

/// An item left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct DroppedItem {
    /// Its id.
    pub id: String,
    /// Why.
    pub reason: String,
}

/// The playlist for `now`: the schedule's choice without the films in
/// `unplayable` (blob → reason), else the attract loop, else a brand card.
pub fn signage_plan(
    release: &ActiveRelease,
    now: Timestamp,
    settings: &PlayerSettings,
    urls: &Urls,
    unplayable: &BTreeMap<BlobId, String>,
) -> PlayerPlan {
    let content = &release.manifest.content;
    let refuse = |blob: &BlobId| unplayable.get(blob).cloned();
    let planned = content.signage.as_ref().and_then(|s| s.plan(now, &settings.time_zone, &refuse));
    let Some(plan) = planned else {
        let mut attract = attract_plan(release, now, settings, urls, unplayable);
        attract.next_change_ms = content
            .signage
            .as_ref()
            .and_then(|s| s.schedule.next_change(now, &settings.time_zone))
            .map(|at| millis_until(now, at));
        return attract;
    };
    let view = View { release, settings, urls, locales: card_locales(release, settings) };
    PlayerPlan {
        playlist: plan.playlist.id.clone(),
        chosen: plan.chosen.into(),
        now,
        next_change_ms: plan.next_change.map(|at| millis_until(now, at)),
        items: plan.items.into_iter().map(|item| view.item(item)).collect(),
        dropped: plan
            .dropped
            .into_iter()
            .map(|(item, reason)| DroppedItem { id: item.id.clone(), reason })
            .collect(),
        ..view.empty_plan(now)
    }
}

/// The attract loop as a playlist: its film, then its pictures; a brand card
/// when none of them can be shown.
pub fn attract_plan(
    release: &ActiveRelease,
    now: Timestamp,
    settings: &PlayerSettings,
    urls: &Urls,
    unplayable: &BTreeMap<BlobId, String>,
) -> PlayerPlan {
    let content = &release.manifest.content;
    let view = View { release, settings, urls, locales: card_locales(release, settings) };
    let mut items = Vec::new();
    let mut dropped = Vec::new();
    if let Some(film) = &content.attract.video {
        match unplayable.get(film) {
            Some(reason) => dropped.push(DroppedItem { id: "film".into(), reason: reason.clone() }),
            None => items.push(view.item(&PlaylistItem {
                id: "film".into(),
                show: Show::Video { video: film.clone() },
                seconds: None,
            })),
        }
    }
    for (index, image) in content.attract.images.iter().enumerate() {
        let seconds = Some((ATTRACT_PICTURE_MS / 1000) as u32);
        let item = PlaylistItem {
            id: format!("picture-{}", index + 1),
            show: Show::Image { image: image.clone() },
            seconds,
        };
        items.push(view.item(&item));
    }
    let mut chosen = PlanReason::AttractLoop;
    if items.is_empty() {
        chosen = PlanReason::BrandCard;
        items.push(view.brand_card());
    }
    PlayerPlan { playlist: ATTRACT_PLAYLIST.into(), chosen, items, dropped, ..view.empty_plan(now) }
}

fn millis_until(now: Timestamp, at: Timestamp) -> u64 {
    at.duration_since(now).as_millis().max(0) as u64
}

/// The languages of the words on cards.
fn card_locales(release: &ActiveRelease, settings: &PlayerSettings) -> Vec<LocaleTag> {
    let content = &release.manifest.content;
    let offered: Vec<LocaleTag> = settings.locales.iter().filter(|l| content.offers(l)).cloned().collect();
    if !offered.is_empty() {
        return offered;
    }
    let mut locales = vec![content.default_locale.clone()];
    if let Some(next) = content.locales.iter().map(|l| &l.tag).find(|t| **t != content.default_locale) {
        locales.push(next.clone());
    }
    locales
}

struct View<'a> {
    release: &'a ActiveRelease,
    settings: &'a PlayerSettings,
    urls: &'a Urls,
    locales: Vec<LocaleTag>,
}

impl View<'_> {
    fn empty_plan(&self, now: Timestamp) -> PlayerPlan {
        let manifest = &self.release.manifest;
        PlayerPlan {
            playlist: String::new(),
            chosen: PlanReason::BrandCard,
            now,
            next_change_ms: None,
            time_zone: self.settings.time_zone.iana_name().unwrap_or("system").to_owned(),
            crossfade_ms: self.settings.crossfade_ms,
            badge_url: self.settings.brand_corner.then(|| self.urls.blob(&manifest.content.brand.badge)),
            sound: self.settings.sound_at(now),
            items: Vec::new(),
            dropped: Vec::new(),
            release: ReleaseInfo { channel: manifest.channel.clone(), version: manifest.version },
        }
    }

    fn item(&self, item: &PlaylistItem) -> PlayerItem {
        let manifest = &self.release.manifest;
        let content = &manifest.content;
        let film_ms =
            |video: &BlobId| manifest.blob(video).and_then(|b| b.probe.as_ref()).and_then(|p| p.duration_ms);
        let mut out = PlayerItem {
            id: item.id.clone(),
            kind: "message",
            planned_ms: item.planned_ms(None, content.tour.as_ref()),
            until_media_ends: false,
            blob: None,
            url: None,
            has_audio: false,
            texts: Vec::new(),
            image_url: None,
            qr_svg: None,
            download_url: None,
            tour: None,
        };
        match &item.show {
            Show::Video { video } => {
                out.kind = "video";
                out.planned_ms = item.planned_ms(film_ms(video), None);
                out.until_media_ends = item.seconds.is_none();
                out.blob = Some(video.to_string());
                out.url = Some(self.urls.blob(video));
                out.has_audio =
                    manifest.blob(video).and_then(|b| b.probe.as_ref()).is_some_and(|p| p.has_audio);
            }
            Show::Image { image } => {
                out.kind = "image";
                out.blob = Some(image.to_string());
                out.url = Some(self.urls.blob(image));
            }
            Show::Scene { chapter, scene } => {
                out.kind = "scene";
                for locale in &self.locales {
                    let pack = content.localize(locale);
                    let Some(c) = pack.chapters.iter().find(|c| &c.id == chapter) else { continue };
                    let Some(s) = c.scenes.iter().find(|s| &s.id == scene) else { continue };
                    out.image_url = s.image.as_ref().map(|id| self.urls.blob(id));
                    out.texts.push(match &s.survey {
                        // Nobody touches a board: it asks the question and says
                        // where to answer it.
                        Some(survey) => CardText {
                            locale: locale.to_string(),
                            title: survey.question.clone(),
                            kicker: c.title.clone(),
                            body: pack.ui.get("survey_on_board").cloned().unwrap_or_default(),
                            highlights: Vec::new(),
                        },
                        None => CardText {
                            locale: locale.to_string(),
                            title: s.title.clone(),
                            kicker: c.title.clone(),
                            body: s.body.first().cloned().unwrap_or_default(),
                            highlights: s.highlights.clone(),
                        },
                    });
                }
            }
            Show::Brochure { brochure } => {
                out.kind = "brochure";
                for locale in &self.locales {
                    let pack = content.localize(locale);
                    let Some(b) = pack.brochures.iter().find(|b| &b.id == brochure) else { continue };
                    if out.download_url.is_none() {
                        let url = self.urls.brochure(&b.id, &b.file_locale);
                        out.qr_svg = qr_svg(&url).ok();
                        out.download_url = Some(url);
                        out.image_url = b.cover.as_ref().map(|id| self.urls.blob(id));
                    }
                    out.texts.push(CardText {
                        locale: locale.to_string(),
                        title: b.title.clone(),
                        kicker: pack.ui.get("scan_to_download").cloned().unwrap_or_default(),
                        body: b.summary.clone(),
                        highlights: Vec::new(),
                    });
                }
            }
            Show::Message { text } => {
                for locale in &self.locales {
                    if let Some(words) = text.get(locale, &content.default_locale) {
                        out.texts.push(CardText {
                            locale: locale.to_string(),
                            title: words.clone(),
                            kicker: String::new(),
                            body: String::new(),
                            highlights: Vec::new(),
                        });
                    }
                }
                out.texts.dedup_by(|a, b| a.title == b.title);
            }
            Show::Tour => {
                out.kind = "tour";
                if let Some(tour) = &content.tour {
                    out.blob = Some(tour.map.to_string());
                    out.image_url = Some(self.urls.blob(&tour.map));
                    out.texts = self.card_texts(&tour.title, &tour.intro);
                    out.tour = Some(self.tour(tour));
                }
            }
        }
        out
    }

    /// The tour's map and its stops, each with its name and summary in every
    /// language of the screen.
    fn tour(&self, tour: &Tour) -> PlayerTour {
        // A sample stop says so above its name, in each language of the screen.
        let sample_words: Vec<String> = self.locales.iter().map(|l| self.ui_word(l, "tour_sample")).collect();
        PlayerTour {
            map_url: self.urls.blob(&tour.map),
            stop_ms: u64::from(tour.seconds_per_stop) * 1000,
            stops: tour
                .stops
                .iter()
                .map(|stop| PlayerTourStop {
                    id: stop.id.clone(),
                    kind: stop.kind.as_str(),
                    x_permille: stop.x_permille,
                    y_permille: stop.y_permille,
                    sample: stop.sample,
                    image_url: stop.image.as_ref().map(|id| self.urls.blob(id)),
                    texts: {
                        let mut texts = self.card_texts(&stop.name, &stop.summary);
                        if stop.sample {
                            for (text, word) in texts.iter_mut().zip(&sample_words) {
                                text.kicker.clone_from(word);
                            }
                        }
                        texts
                    },
                })
                .collect(),
        }
    }

    /// One interface word in `locale`, else in the pack's default language.
    fn ui_word(&self, locale: &LocaleTag, key: &str) -> String {
        let content = &self.release.manifest.content;
        [locale, &content.default_locale]
            .into_iter()
            .find_map(|l| content.ui.exact(l).and_then(|words| words.get(key)))
            .cloned()
            .unwrap_or_default()
    }

    /// A title and a body in each language of the screen, falling back to the
    /// pack's default language.
    fn card_texts(&self, title: &Localized<String>, body: &Localized<String>) -> Vec<CardText> {
        let default = &self.release.manifest.content.default_locale;
        let text = |words: &Localized<String>, locale: &LocaleTag| {
            words.get(locale, default).cloned().unwrap_or_default()
        };
        self.locales
            .iter()
            .map(|locale| CardText {
                locale: locale.to_string(),
                title: text(title, locale),
                kicker: String::new(),
                body: text(body, locale),
                highlights: Vec::new(),
            })
            .collect()
    }

    fn brand_card(&self) -> PlayerItem {
        let content = &self.release.manifest.content;
        let texts = self
            .locales
            .iter()
            .map(|locale| {
                let pack = content.localize(locale);
                CardText {
                    locale: locale.to_string(),
                    title: pack.title,
                    kicker: String::new(),
                    body: pack.tagline,
                    highlights: Vec::new(),
                }
            })
            .collect();
        PlayerItem {
            id: "brand".into(),
            kind: "message",
            planned_ms: u64::from(DEFAULT_STILL_SECONDS) * 1000,
            until_media_ends: false,
            blob: None,
            url: None,
            has_audio: false,
            texts,
            image_url: None,
            qr_svg: None,
            download_url: None,
            tour: None,
        }
    }
}
