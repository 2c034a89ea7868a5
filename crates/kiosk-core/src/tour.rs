//! The Innovation Zone tour: a map and the stops marked on it.
//!
//! On a touch kiosk a visitor taps a stop to read about it (and may open the story
//! scene it links to); in guided mode, and on an unattended board through the
//! playlist item `Show::Tour`, each stop shows in turn for
//! [`Tour::seconds_per_stop`].
//!
//! A stop's position is kept in thousandths of the map's width and height (an
//! integer from 0 to [`MAP_PERMILLE`]), not as a float: the pack stays `Eq`, the
//! canonical JSON has no float formatting to agree on, and a thousandth of a
//! 1600-pixel map is finer than a finger.

use serde::{Deserialize, Serialize};

use crate::blob::BlobId;
use crate::content::{ContentError, ContentPack, check_ids, check_text};
use crate::locale::Localized;

/// A position at the right or bottom edge of the map: positions run from 0 to this.
pub const MAP_PERMILLE: u16 = 1000;
/// The most stops a tour has (more do not fit a map a finger can use).
pub const TOUR_MAX_STOPS: usize = 30;
/// The shortest time a stop shows in guided mode, in seconds.
pub const MIN_SECONDS_PER_STOP: u32 = 3;
/// The longest time a stop shows in guided mode, in seconds.
pub const MAX_SECONDS_PER_STOP: u32 = 60;
/// How long a stop shows when the author does not say, in seconds.
pub const DEFAULT_SECONDS_PER_STOP: u32 = 8;

/// A map of the Innovation Zone with stops to visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct Tour {
    /// Its title.
    pub title: Localized<String>,
    /// One or two sentences shown before the first stop.
    pub intro: Localized<String>,
    /// The map, a picture.
    pub map: BlobId,
    /// How long each stop shows in guided mode and on a board (3–60).
    pub seconds_per_stop: u32,
    /// The stops, in the order guided mode visits them (1–30).
    pub stops: Vec<TourStop>,
}

/// One place marked on the map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct TourStop {
    /// Stable id (`[a-z0-9-]`), unique in the tour.
    pub id: String,
    /// What kind of place it is, which decides its marker.
    pub kind: StopKind,
    /// Thousandths of the map's width from its left edge (0–1000).
    pub x_permille: u16,
    /// Thousandths of the map's height from its top edge (0–1000).
    pub y_permille: u16,
    /// Its name.
    pub name: Localized<String>,
    /// One or two sentences about it.
    pub summary: Localized<String>,
    /// Its place on the map or its name is illustrative, not an official fact;
    /// the screen says so beside it.
    pub sample: bool,
    /// The story scene it opens, if any.
    pub scene: Option<StopScene>,
    /// A picture of it, if any.
    pub image: Option<BlobId>,
}

/// What kind of place a stop is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub enum StopKind {
    /// An industrial park.
    IndustrialPark,
    /// A university.
    University,
    /// A research, development or innovation centre.
    Research,
    /// A city centre.
    CityCentre,
    /// A building or place people know the area by.
    Landmark,
}

/// A scene of the story, named by its chapter's id and its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct StopScene {
    /// The chapter's id.
    pub chapter: String,
    /// The scene's id within it.
    pub scene: String,
}

impl StopKind {
    /// Its name in JSON and TOML (`industrial_park`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::IndustrialPark => "industrial_park",
            Self::University => "university",
            Self::Research => "research",
            Self::CityCentre => "city_centre",
            Self::Landmark => "landmark",
        }
    }
}

impl Tour {
    /// How long the whole tour takes in guided mode: every stop once.
    pub fn length_ms(&self) -> u64 {
        self.stops.len() as u64 * u64::from(self.seconds_per_stop) * 1000
    }

    /// The map and the stops' pictures, with where.
    pub fn blobs(&self) -> Vec<(String, &BlobId)> {
        let mut out = vec![("tour map".to_owned(), &self.map)];
        for stop in &self.stops {
            if let Some(image) = &stop.image {
                out.push((format!("tour stop {:?} image", stop.id), image));
            }
        }
        out
    }

    /// Checks the tour's rules: 1–30 stops with unique slug ids, 3–60 seconds a
    /// stop, positions on the map, every text in the default locale and none
    /// blank, and scenes the story has. Blob types are checked with the pack's
    /// other blobs.
    pub fn check(&self, pack: &ContentPack) -> Result<(), ContentError> {
        let fail = |place: String, problem: String| Err(ContentError { place, problem });
        let default = &pack.default_locale;
        check_text("tour title", &self.title, default)?;
        check_text("tour intro", &self.intro, default)?;
        if !(MIN_SECONDS_PER_STOP..=MAX_SECONDS_PER_STOP).contains(&self.seconds_per_stop) {
            return fail(
                "tour seconds_per_stop".into(),
                format!(
                    "is {}; a stop shows for {MIN_SECONDS_PER_STOP} to {MAX_SECONDS_PER_STOP} seconds",
                    self.seconds_per_stop
                ),
            );
        }
        let count = self.stops.len();
        if !(1..=TOUR_MAX_STOPS).contains(&count) {
            return fail("tour stops".into(), format!("has {count}; a tour has 1 to {TOUR_MAX_STOPS} stops"));
        }
        check_ids("tour stops", self.stops.iter().map(|s| s.id.as_str()))?;
        for stop in &self.stops {
            let place = format!("tour stop {:?}", stop.id);
            for (axis, value) in [("x_permille", stop.x_permille), ("y_permille", stop.y_permille)] {
                if value > MAP_PERMILLE {
                    return fail(
                        format!("{place} {axis}"),
                        format!("{value} is off the map; positions run from 0 to {MAP_PERMILLE}"),
                    );
                }
            }
            check_text(&format!("{place} name"), &stop.name, default)?;
            check_text(&format!("{place} summary"), &stop.summary, default)?;
            if let Some(StopScene { chapter, scene }) = &stop.scene
                && !pack.has_scene(chapter, scene)
            {
                return fail(
                    format!("{place} scene"),
                    format!("{chapter:?}/{scene:?} is not a scene of the story"),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blob::{BlobRef, MediaType};
    use crate::fixtures::{blob, sample_pack_with_tour};
    use crate::locale::LocaleTag;

    /// The sample pack with its tour changed by `change`: `None` when it is
    /// valid, else the refusal.
    fn tour_problem(change: impl FnOnce(&mut Tour, &mut Vec<BlobRef>)) -> Option<String> {
        let (mut pack, mut blobs) = sample_pack_with_tour();
        let mut tour = pack.tour.take().unwrap();
        change(&mut tour, &mut blobs);
        pack.tour = Some(tour);
        pack.check(&blobs).err().map(|e| e.to_string())
    }

    fn text(vi: &str) -> Localized<String> {
        Localized::from_pairs([("vi", vi.to_owned())])
    }

    #[test]
    fn tour_rules() {
        let stop = |id: &str| {
            let (pack, _) = sample_pack_with_tour();
            let mut stop = pack.tour.unwrap().stops[0].clone();
            stop.id = id.into();
            stop
        };
        let cases: Vec<(&str, Option<String>, Option<String>)> = vec![
            ("the sample tour", tour_problem(|_, _| {}), None),
            ("three seconds a stop", tour_problem(|t, _| t.seconds_per_stop = 3), None),
            ("a minute a stop", tour_problem(|t, _| t.seconds_per_stop = 60), None),
            (
                "two seconds a stop",
                tour_problem(|t, _| t.seconds_per_stop = 2),
                Some("tour seconds_per_stop: is 2; a stop shows for 3 to 60 seconds".into()),
            ),
            (
                "61 seconds a stop",
                tour_problem(|t, _| t.seconds_per_stop = 61),
                Some("tour seconds_per_stop: is 61; a stop shows for 3 to 60 seconds".into()),
            ),
            (
                "no stops",
                tour_problem(|t, _| t.stops.clear()),
                Some("tour stops: has 0; a tour has 1 to 30 stops".into()),
            ),
            (
                "thirty stops",
                tour_problem(|t, _| t.stops.extend((2..=29).map(|i| stop(&format!("stop-{i}"))))),
                None,
            ),
            (
                "31 stops",
                tour_problem(|t, _| t.stops.extend((2..=30).map(|i| stop(&format!("stop-{i}"))))),
                Some("tour stops: has 31; a tour has 1 to 30 stops".into()),
            ),
            (
                "an id that is not a slug",
                tour_problem(|t, _| t.stops[0].id = "New City".into()),
                Some("tour stops: id \"New City\" must be lowercase letters, digits and '-'".into()),
            ),
            (
                "two stops with one id",
                tour_problem(|t, _| t.stops[1].id = "vsip".into()),
                Some("tour stops: id \"vsip\" is used twice".into()),
            ),
            (
                "the map's corner",
                tour_problem(|t, _| (t.stops[0].x_permille, t.stops[0].y_permille) = (1000, 0)),
                None,
            ),
            (
                "off the map's right edge",
                tour_problem(|t, _| t.stops[0].x_permille = 1001),
                Some(
                    "tour stop \"vsip\" x_permille: 1001 is off the map; positions run from 0 to 1000".into(),
                ),
            ),
            (
                "below the map",
                tour_problem(|t, _| t.stops[1].y_permille = 2000),
                Some(
                    "tour stop \"new-city\" y_permille: 2000 is off the map; positions run from 0 to 1000"
                        .into(),
                ),
            ),
            (
                "a title without the default locale",
                tour_problem(|t, _| t.title = Localized::from_pairs([("en", "Tour".into())])),
                Some("tour title: has no text in the default locale \"vi\"".into()),
            ),
            (
                "a blank intro",
                tour_problem(|t, _| t.intro.insert(LocaleTag::new("en").unwrap(), " ".into())),
                Some("tour intro en: is empty".into()),
            ),
            (
                "a name without the default locale",
                tour_problem(|t, _| t.stops[0].name = Localized::from_pairs([("en", "VSIP".into())])),
                Some("tour stop \"vsip\" name: has no text in the default locale \"vi\"".into()),
            ),
            (
                "a blank summary",
                tour_problem(|t, _| t.stops[1].summary = text("")),
                Some("tour stop \"new-city\" summary vi: is empty".into()),
            ),
            (
                "a scene the story lacks",
                tour_problem(|t, _| {
                    t.stops[0].scene = Some(StopScene { chapter: "award".into(), scene: "paris".into() })
                }),
                Some("tour stop \"vsip\" scene: \"award\"/\"paris\" is not a scene of the story".into()),
            ),
            (
                "a chapter the story lacks",
                tour_problem(|t, _| {
                    t.stops[0].scene = Some(StopScene { chapter: "moon".into(), scene: "new-york".into() })
                }),
                Some("tour stop \"vsip\" scene: \"moon\"/\"new-york\" is not a scene of the story".into()),
            ),
            (
                "a film for a map",
                tour_problem(|t, b| {
                    t.map = b.iter().find(|x| x.media_type == MediaType::Mp4).unwrap().sha256.clone()
                }),
                Some("tour map: expects Image but blob".into()),
            ),
            (
                "a stop's picture that is a PDF",
                tour_problem(|t, b| {
                    let pdf = blob(b"%PDF-1.7 stop", MediaType::Pdf);
                    t.stops[1].image = Some(pdf.sha256.clone());
                    b.push(pdf);
                }),
                Some("tour stop \"new-city\" image: expects Image but blob".into()),
            ),
            (
                "a map the manifest does not list",
                tour_problem(|t, _| t.map = BlobId::of(b"absent")),
                Some("tour map: refers to blob".into()),
            ),
        ];
        for (case, got, expected) in cases {
            match (&got, &expected) {
                (Some(got), Some(expected)) => {
                    assert!(
                        got.starts_with(expected.as_str()),
                        "{case}: {got:?} should start with {expected:?}"
                    )
                }
                _ => assert_eq!(got, expected, "{case}"),
            }
        }
    }

    #[test]
    fn a_tour_lasts_its_stops_times_their_seconds() {
        let tour = sample_pack_with_tour().0.tour.unwrap();
        assert_eq!((tour.stops.len(), tour.seconds_per_stop), (2, 8));
        assert_eq!(tour.length_ms(), 16_000);
    }

    #[test]
    fn its_map_and_pictures_are_used_as_pictures() {
        let (pack, _) = sample_pack_with_tour();
        let tour_blobs: Vec<_> = pack
            .blob_uses()
            .into_iter()
            .filter(|(place, _, _)| place.starts_with("tour"))
            .map(|(place, _, usage)| (place, usage))
            .collect();
        assert_eq!(
            tour_blobs,
            vec![
                ("tour map".to_owned(), crate::content::BlobUse::Image),
                ("tour stop \"vsip\" image".to_owned(), crate::content::BlobUse::Image),
            ]
        );
    }

    #[test]
    fn a_pack_without_a_tour_encodes_without_the_field() {
        let (pack, _) = crate::fixtures::sample_pack();
        let json = serde_json::to_value(&pack).unwrap();
        assert!(json.get("tour").is_none(), "no \"tour\" key when there is none");
        assert_eq!(serde_json::from_value::<ContentPack>(json).unwrap(), pack);

        let (pack, _) = sample_pack_with_tour();
        let json = serde_json::to_value(&pack).unwrap();
        let stop = &json["tour"]["stops"][0];
        assert_eq!(stop["kind"], "industrial_park");
        assert_eq!((stop["x_permille"].as_u64(), stop["y_permille"].as_u64()), (Some(520), Some(340)));
        assert_eq!(stop["scene"], serde_json::json!({"chapter": "award", "scene": "new-york"}));
        assert_eq!(json["tour"]["stops"][1]["sample"], true);
        assert_eq!(serde_json::from_value::<ContentPack>(json.clone()).unwrap(), pack);

        let mut unknown = json.clone();
        unknown["tour"]["stops"][0]["colour"] = "red".into();
        let err = serde_json::from_value::<ContentPack>(unknown).unwrap_err();
        assert!(err.to_string().contains("unknown field `colour`"), "{err}");

        let mut unknown_kind = json;
        unknown_kind["tour"]["stops"][0]["kind"] = "harbour".into();
        let err = serde_json::from_value::<ContentPack>(unknown_kind).unwrap_err();
        assert!(err.to_string().contains("unknown variant `harbour`"), "{err}");
    }

    #[test]
    fn kinds_are_named_as_in_json() {
        for kind in [
            StopKind::IndustrialPark,
            StopKind::University,
            StopKind::Research,
            StopKind::CityCentre,
            StopKind::Landmark,
        ] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}
