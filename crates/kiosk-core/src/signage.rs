//! The signage side of a pack: playlists for unattended screens, and the
//! [`Schedule`] that says which one plays when.
//!
//! An item shows a film, a picture, a story scene, a brochure's QR card, a
//! full-screen message or the pack's tour. A film lasts its own length and the
//! tour each of its stops in turn ([`Tour::length_ms`]) unless `seconds` says
//! otherwise; anything else lasts `seconds`, or [`DEFAULT_STILL_SECONDS`].

use serde::{Deserialize, Serialize};

use crate::blob::BlobId;
use crate::content::{ContentError, ContentPack, is_slug};
use crate::locale::Localized;
use crate::schedule::Schedule;
use crate::tour::Tour;
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// How long a still item shows when its playlist does not say.
pub const DEFAULT_STILL_SECONDS: u32 = 10;

/// Playlists and their schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct Signage {
    /// The playlists, each with a unique id.
    pub playlists: Vec<Playlist>,
    /// Which playlist plays when.
    pub schedule: Schedule,
}

/// A loop of items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct Playlist {
    /// Stable id (`[a-z0-9-]`), named by the schedule and in proof of play.
    pub id: String,
    /// The items, played in order and then again.
    pub items: Vec<PlaylistItem>,
}

/// One item of a playlist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct PlaylistItem {
    /// Stable id within its playlist, recorded in proof of play.
    pub id: String,
    /// What it shows.
    pub show: Show,
    /// How long it shows; `None` for a film's own length or the default.
    pub seconds: Option<u32>,
}

/// What an item shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub enum Show {
    /// A film.
    Video {
        /// The film.
        video: BlobId,
    },
    /// A picture.
    Image {
        /// The picture.
        image: BlobId,
    },
    /// A scene of the story.
    Scene {
        /// Its chapter's id.
        chapter: String,
        /// The scene's id.
        scene: String,
    },
    /// A brochure's QR card.
    Brochure {
        /// The brochure's id.
        brochure: String,
    },
    /// A full-screen message.
    Message {
        /// The words.
        text: Localized<String>,
    },
    /// The pack's tour: its map, and each stop in turn for the tour's
    /// `seconds_per_stop`.
    Tour,
}

impl PlaylistItem {
    /// How long the item shows: `seconds` when set, else the film's own length
    /// (`film_ms`, when known), else the whole `tour` (every stop once), else
    /// [`DEFAULT_STILL_SECONDS`].
    pub fn planned_ms(&self, film_ms: Option<u64>, tour: Option<&Tour>) -> u64 {
        let still = u64::from(DEFAULT_STILL_SECONDS) * 1000;
        match (self.seconds, &self.show) {
            (Some(seconds), _) => u64::from(seconds) * 1000,
            (None, Show::Video { .. }) => film_ms.unwrap_or(still),
            (None, Show::Tour) => tour.map_or(still, Tour::length_ms),
            (None, _) => still,
        }
    }
}

impl Signage {
    /// The playlist with this id.
    pub fn playlist(&self, id: &str) -> Option<&Playlist> {
        self.playlists.iter().find(|p| p.id == id)
    }

    /// Checks ids, references to the story, brochures and tour, and the
    /// schedule's playlists. Blob references are checked with the pack's other blobs.
    pub fn check(&self, pack: &ContentPack) -> Result<(), ContentError> {
        let fail = |place: String, problem: String| ContentError { place, problem };
        let mut seen = std::collections::BTreeSet::new();
        for playlist in &self.playlists {
            let place = format!("playlist {:?}", playlist.id);
            if !is_slug(&playlist.id) || !seen.insert(playlist.id.as_str()) {
                return Err(fail(place, "needs a unique id of lowercase letters, digits and '-'".into()));
            }
            if playlist.items.is_empty() {
                return Err(fail(place, "has no items".into()));
            }
            let mut item_ids = std::collections::BTreeSet::new();
            for item in &playlist.items {
                let place = format!("{place} item {:?}", item.id);
                if !is_slug(&item.id) || !item_ids.insert(item.id.as_str()) {
                    return Err(fail(place, "needs a unique id of lowercase letters, digits and '-'".into()));
                }
                if item.seconds == Some(0) {
                    return Err(fail(place, "seconds must be at least 1".into()));
                }
                match &item.show {
                    Show::Scene { chapter, scene } if !pack.has_scene(chapter, scene) => {
                        return Err(fail(
                            place,
                            format!("shows scene {chapter:?}/{scene:?}, which the story lacks"),
                        ));
                    }
                    Show::Brochure { brochure } if !pack.brochures.iter().any(|b| &b.id == brochure) => {
                        return Err(fail(
                            place,
                            format!("shows brochure {brochure:?}, which the pack lacks"),
                        ));
                    }
                    Show::Tour if pack.tour.is_none() => {
                        return Err(fail(place, "shows the tour, which the pack lacks".into()));
                    }
                    Show::Message { text } if !text.has(&pack.default_locale) => {
                        return Err(fail(
                            place,
                            format!("has no text in the default locale {:?}", pack.default_locale.as_str()),
                        ));
                    }
                    _ => {}
                }
            }
        }
        let named =
            std::iter::once(&self.schedule.fallback).chain(self.schedule.entries.iter().map(|e| &e.playlist));
        for name in named {
            if self.playlist(name).is_none() {
                return Err(fail(
                    "schedule".into(),
                    format!("names playlist {name:?}, which does not exist"),
                ));
            }
        }
        Ok(())
    }

    /// The blobs items show, with where: `(place, blob, is_film)`.
    pub fn blobs(&self) -> Vec<(String, &BlobId, bool)> {
        let mut out = Vec::new();
        for playlist in &self.playlists {
            for item in &playlist.items {
                let place = format!("playlist {:?} item {:?}", playlist.id, item.id);
                match &item.show {
                    Show::Video { video } => out.push((place, video, true)),
                    Show::Image { image } => out.push((place, image, false)),
                    _ => {}
                }
            }
        }
        out
    }
}

/// Why the player plays what it plays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Chosen {
    /// A schedule entry applies (its index).
    Schedule {
        /// Index into `schedule.entries`.
        entry: usize,
    },
    /// No entry applies.
    Fallback,
    /// The scheduled playlist has nothing playable, so the fallback plays.
    FallbackForUnplayable {
        /// The playlist the schedule wanted.
        wanted: String,
    },
}

/// What to play now: a playlist with only the items this screen can show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlayPlan<'a> {
    /// The playlist.
    pub playlist: &'a Playlist,
    /// Why.
    pub chosen: Chosen,
    /// Its items that can be shown, in order; never empty.
    pub items: Vec<&'a PlaylistItem>,
    /// Its items left out, with the reason.
    pub dropped: Vec<(&'a PlaylistItem, String)>,
    /// When to ask again (a window opens or closes); `None`: not within the
    /// schedule's look-ahead.
    pub next_change: Option<Timestamp>,
}

impl Signage {
    /// The playlist for `now` in `tz`, without the items whose media `unplayable`
    /// refuses (it returns the reason). When the scheduled playlist has nothing
    /// left, the fallback plays; `None` when that has nothing either.
    pub fn plan(
        &self,
        now: Timestamp,
        tz: &TimeZone,
        unplayable: &dyn Fn(&BlobId) -> Option<String>,
    ) -> Option<PlayPlan<'_>> {
        let active = self.schedule.active(now, tz);
        let next_change = self.schedule.next_change(now, tz);
        let chosen = match active.entry {
            Some(entry) => Chosen::Schedule { entry },
            None => Chosen::Fallback,
        };
        let mut candidates = vec![(active.playlist, chosen)];
        if active.playlist != self.schedule.fallback {
            let wanted = active.playlist.to_owned();
            candidates.push((&self.schedule.fallback, Chosen::FallbackForUnplayable { wanted }));
        }
        candidates.into_iter().find_map(|(id, chosen)| {
            let playlist = self.playlist(id)?;
            let (mut items, mut dropped) = (Vec::new(), Vec::new());
            for item in &playlist.items {
                let blob = match &item.show {
                    Show::Video { video } => Some(video),
                    Show::Image { image } => Some(image),
                    _ => None,
                };
                match blob.and_then(unplayable) {
                    Some(reason) => dropped.push((item, reason)),
                    None => items.push(item),
                }
            }
            (!items.is_empty()).then_some(PlayPlan { playlist, chosen, items, dropped, next_change })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::sample_pack;
    use crate::schedule::ScheduleEntry;

    fn signage() -> Signage {
        let (pack, _) = sample_pack();
        let film = pack.attract.video.clone().unwrap();
        Signage {
            playlists: vec![Playlist {
                id: "welcome".into(),
                items: vec![
                    PlaylistItem { id: "film".into(), show: Show::Video { video: film }, seconds: None },
                    PlaylistItem {
                        id: "scene".into(),
                        show: Show::Scene { chapter: "award".into(), scene: "new-york".into() },
                        seconds: Some(12),
                    },
                    PlaylistItem {
                        id: "guide".into(),
                        show: Show::Brochure { brochure: "invest-guide".into() },
                        seconds: None,
                    },
                ],
            }],
            schedule: Schedule { fallback: "welcome".into(), entries: vec![] },
        }
    }

    #[test]
    fn a_valid_signage_passes_and_round_trips() {
        let (pack, _) = sample_pack();
        let s = signage();
        s.check(&pack).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains(r#""kind":"scene""#), "{json}");
        assert_eq!(serde_json::from_str::<Signage>(&json).unwrap(), s);
    }

    #[test]
    fn durations_default_to_the_film_or_ten_seconds() {
        let s = signage();
        let items = &s.playlists[0].items;
        assert_eq!(items[0].planned_ms(Some(36_000), None), 36_000);
        assert_eq!(items[1].planned_ms(None, None), 12_000);
        assert_eq!(items[2].planned_ms(None, None), 10_000);
    }

    #[test]
    fn the_tour_lasts_its_stops_times_their_seconds_unless_the_playlist_says() {
        let (pack, _) = crate::fixtures::sample_pack_with_tour();
        let tour = pack.tour.as_ref().unwrap();
        let item = PlaylistItem { id: "tour".into(), show: Show::Tour, seconds: None };
        assert_eq!(item.planned_ms(None, Some(tour)), 2 * 8 * 1000, "two stops of eight seconds");
        let timed = PlaylistItem { seconds: Some(30), ..item.clone() };
        assert_eq!(timed.planned_ms(None, Some(tour)), 30_000);
        assert_eq!(item.planned_ms(None, None), 10_000, "without a tour, a still's length");
    }

    #[test]
    fn a_tour_item_needs_the_packs_tour() {
        let mut s = signage();
        s.playlists[0].items.push(PlaylistItem { id: "tour".into(), show: Show::Tour, seconds: None });
        let json = serde_json::to_value(&s.playlists[0].items[3]).unwrap();
        assert_eq!(json, serde_json::json!({"id": "tour", "show": {"kind": "tour"}, "seconds": null}));
        assert_eq!(serde_json::from_value::<PlaylistItem>(json).unwrap(), s.playlists[0].items[3]);

        let (with_tour, _) = crate::fixtures::sample_pack_with_tour();
        s.check(&with_tour).unwrap();
        let (without, _) = sample_pack();
        assert_eq!(
            s.check(&without).unwrap_err().to_string(),
            "playlist \"welcome\" item \"tour\": shows the tour, which the pack lacks"
        );
    }

    #[test]
    fn plans_drop_unplayable_items_and_fall_back_when_nothing_is_left() {
        use crate::schedule::TimeWindow;
        let mut s = signage();
        let film = match &s.playlists[0].items[0].show {
            Show::Video { video } => video.clone(),
            _ => unreachable!(),
        };
        s.playlists.push(Playlist {
            id: "evening".into(),
            items: vec![PlaylistItem {
                id: "film".into(),
                show: Show::Video { video: film.clone() },
                seconds: None,
            }],
        });
        s.schedule.entries.push(ScheduleEntry {
            window: Some(TimeWindow {
                start: jiff::civil::time(18, 0, 0, 0),
                end: jiff::civil::time(22, 0, 0, 0),
            }),
            ..ScheduleEntry::always("evening", 5)
        });
        let tz = TimeZone::get("Asia/Ho_Chi_Minh").unwrap();
        let at_19h: Timestamp = "2026-11-26T12:00:00Z".parse().unwrap();
        let at_10h: Timestamp = "2026-11-26T03:00:00Z".parse().unwrap();
        let all_play = |_: &BlobId| None;
        let film_broken = |b: &BlobId| (b == &film).then(|| "does not decode here".to_owned());

        let plan = s.plan(at_19h, &tz, &all_play).unwrap();
        assert_eq!((plan.playlist.id.as_str(), &plan.chosen), ("evening", &Chosen::Schedule { entry: 0 }));
        assert_eq!(plan.next_change, Some("2026-11-26T15:00:00Z".parse().unwrap()));

        let plan = s.plan(at_19h, &tz, &film_broken).unwrap();
        assert_eq!(plan.playlist.id, "welcome");
        assert_eq!(plan.chosen, Chosen::FallbackForUnplayable { wanted: "evening".into() });
        let ids: Vec<_> = plan.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["scene", "guide"]);
        assert_eq!(plan.dropped[0].0.id, "film");
        assert_eq!(plan.dropped[0].1, "does not decode here");

        let plan = s.plan(at_10h, &tz, &all_play).unwrap();
        assert_eq!((plan.playlist.id.as_str(), &plan.chosen), ("welcome", &Chosen::Fallback));

        s.playlists[0].items.retain(|i| matches!(i.show, Show::Video { .. }));
        assert_eq!(s.plan(at_10h, &tz, &film_broken), None);
    }

    #[test]
    fn each_broken_reference_is_named() {
        let (pack, _) = sample_pack();
        let broken = |change: fn(&mut Signage)| {
            let mut s = signage();
            change(&mut s);
            s.check(&pack).unwrap_err().to_string()
        };
        let cases = [
            (
                broken(|s| {
                    s.playlists[0].items[1].show = Show::Scene { chapter: "award".into(), scene: "x".into() }
                }),
                "which the story lacks",
            ),
            (
                broken(|s| s.playlists[0].items[2].show = Show::Brochure { brochure: "x".into() }),
                "which the pack lacks",
            ),
            (broken(|s| s.schedule.fallback = "night".into()), "names playlist \"night\""),
            (
                broken(|s| s.schedule.entries.push(ScheduleEntry::always("gone", 1))),
                "names playlist \"gone\"",
            ),
            (broken(|s| s.playlists.push(s.playlists[0].clone())), "unique id"),
            (broken(|s| s.playlists[0].items[0].seconds = Some(0)), "at least 1"),
            (broken(|s| s.playlists[0].items.clear()), "has no items"),
        ];
        for (message, expected) in cases {
            assert!(message.contains(expected), "{message:?} should contain {expected:?}");
        }
    }
}
