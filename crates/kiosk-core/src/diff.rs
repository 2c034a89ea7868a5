//! What changed between two content packs, in words an approver can read.
//!
//! Each pack is first written out as a list of *facts*, one per place and
//! language (`chapter "award" › scene "new-york" › title [en]` = its text), in the
//! pack's own order; two lists are then compared place by place. Media are named
//! by a function the caller passes in (the file name the uploader gave), playlists
//! also get their order as a fact, so a reordering shows as one change.

use std::collections::HashMap;

use crate::blob::BlobId;
use crate::content::ContentPack;
use crate::locale::Localized;
use crate::signage::{Show, Signage};
use crate::tour::Tour;

/// One change between two packs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Where, e.g. `chapter "award" › scene "new-york" › body [vi]`.
    pub place: String,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// The old value, if there was one.
    pub before: Option<String>,
    /// The new value, if there is one.
    pub after: Option<String>,
}

/// How a place changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Only in the new pack.
    Added,
    /// Only in the old pack.
    Removed,
    /// In both, with another value.
    Changed,
}

/// Every change from `before` to `after` (`None`: an empty channel), the new
/// pack's places in its order first, then what was removed. `name` says how a
/// blob is shown.
pub fn content_changes(
    before: Option<&ContentPack>,
    after: &ContentPack,
    name: &dyn Fn(&BlobId) -> String,
) -> Vec<Change> {
    let old = before.map(|pack| facts(pack, name)).unwrap_or_default();
    let new = facts(after, name);
    let old_by_place: HashMap<&str, &str> = old.iter().map(|(p, v)| (p.as_str(), v.as_str())).collect();
    let new_by_place: HashMap<&str, &str> = new.iter().map(|(p, v)| (p.as_str(), v.as_str())).collect();
    let mut changes = Vec::new();
    for (place, value) in &new {
        match old_by_place.get(place.as_str()) {
            None => changes.push(Change {
                place: place.clone(),
                kind: ChangeKind::Added,
                before: None,
                after: Some(value.clone()),
            }),
            Some(old) if old != value => changes.push(Change {
                place: place.clone(),
                kind: ChangeKind::Changed,
                before: Some((*old).to_owned()),
                after: Some(value.clone()),
            }),
            Some(_) => {}
        }
    }
    for (place, value) in &old {
        if !new_by_place.contains_key(place.as_str()) {
            changes.push(Change {
                place: place.clone(),
                kind: ChangeKind::Removed,
                before: Some(value.clone()),
                after: None,
            });
        }
    }
    changes
}

/// The pack as `(place, value)` facts, in the pack's order.
fn facts(pack: &ContentPack, name: &dyn Fn(&BlobId) -> String) -> Vec<(String, String)> {
    let mut out = Facts { list: Vec::new(), name };
    out.push("languages", pack.locales.iter().map(|l| l.tag.as_str()).collect::<Vec<_>>().join(", "));
    out.text("brand › title", &pack.brand.title);
    out.text("brand › tagline", &pack.brand.tagline);
    out.blob("brand › badge", Some(&pack.brand.badge));
    out.blob("brand › logo", pack.brand.logo.as_ref());
    out.text("attract loop › headline", &pack.attract.headline);
    out.blob("attract loop › film", pack.attract.video.as_ref());
    for (i, image) in pack.attract.images.iter().enumerate() {
        out.blob(&format!("attract loop › picture {}", i + 1), Some(image));
    }
    out.push("story › chapters", pack.chapters.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(" → "));
    for chapter in &pack.chapters {
        let at = format!("chapter \"{}\"", chapter.id);
        out.text(&format!("{at} › title"), &chapter.title);
        out.text(&format!("{at} › summary"), &chapter.summary);
        out.blob(&format!("{at} › cover"), Some(&chapter.cover));
        if let Some(accent) = &chapter.accent {
            out.push(&format!("{at} › colour"), accent.clone());
        }
        out.push(
            &format!("{at} › scenes"),
            chapter.scenes.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(" → "),
        );
        for scene in &chapter.scenes {
            let at = format!("{at} › scene \"{}\"", scene.id);
            out.text(&format!("{at} › title"), &scene.title);
            out.text(&format!("{at} › body"), &scene.body);
            for (locale, highlights) in scene.highlights.iter() {
                out.push(&format!("{at} › highlights [{}]", locale.as_str()), highlights.join(" · "));
            }
            out.blob(&format!("{at} › picture"), scene.image.as_ref());
            out.blob(&format!("{at} › film"), scene.video.as_ref());
            if let Some(survey) = &scene.survey {
                let at = format!("{at} › survey \"{}\"", survey.id);
                out.text(&format!("{at} › question"), &survey.question);
                out.push(
                    &format!("{at} › answers"),
                    survey.options.iter().map(|o| o.id.as_str()).collect::<Vec<_>>().join(", "),
                );
                for option in &survey.options {
                    out.text(&format!("{at} › answer \"{}\"", option.id), &option.label);
                }
            }
        }
    }
    for brochure in &pack.brochures {
        let at = format!("brochure \"{}\"", brochure.id);
        out.text(&format!("{at} › title"), &brochure.title);
        out.text(&format!("{at} › summary"), &brochure.summary);
        out.blob(&format!("{at} › cover"), brochure.cover.as_ref());
        for (locale, file) in brochure.file.iter() {
            let at = format!("{at} › PDF [{}]", locale.as_str());
            out.push(&at, format!("{} ({})", (out.name)(&file.blob), file.file_name));
        }
    }
    out.push("social › hashtags", pack.social.hashtags.join(" "));
    for channel in &pack.social.channels {
        out.push(&format!("social › {}", channel.name), format!("{} {}", channel.handle, channel.url));
    }
    for (locale, words) in pack.ui.iter() {
        for (key, text) in words {
            out.push(&format!("interface › {key} [{}]", locale.as_str()), text.clone());
        }
    }
    if let Some(signage) = &pack.signage {
        signage_facts(&mut out, signage);
    }
    if let Some(sound) = &pack.sound {
        out.blob("sound › touch", sound.touch.as_ref());
        out.blob("sound › music bed", sound.bed.as_ref());
    }
    if let Some(tour) = &pack.tour {
        tour_facts(&mut out, tour);
    }
    out.list
}

fn tour_facts(out: &mut Facts<'_>, tour: &Tour) {
    out.text("tour › title", &tour.title);
    out.text("tour › intro", &tour.intro);
    out.blob("tour › map", Some(&tour.map));
    out.push("tour › seconds per stop", tour.seconds_per_stop.to_string());
    out.push("tour › stops", tour.stops.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(" → "));
    for stop in &tour.stops {
        let at = format!("tour › stop \"{}\"", stop.id);
        let sample = if stop.sample { ", sample" } else { "" };
        out.push(
            &format!("{at} › place"),
            format!("{} at {}‰, {}‰{sample}", stop.kind.as_str(), stop.x_permille, stop.y_permille),
        );
        out.text(&format!("{at} › name"), &stop.name);
        out.text(&format!("{at} › summary"), &stop.summary);
        if let Some(scene) = &stop.scene {
            out.push(&format!("{at} › opens"), format!("scene {}/{}", scene.chapter, scene.scene));
        }
        out.blob(&format!("{at} › picture"), stop.image.as_ref());
    }
}

fn signage_facts(out: &mut Facts<'_>, signage: &Signage) {
    for playlist in &signage.playlists {
        let at = format!("playlist \"{}\"", playlist.id);
        out.push(
            &format!("{at} › order"),
            playlist.items.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join(" → "),
        );
        for item in &playlist.items {
            let shows = match &item.show {
                Show::Video { video } => format!("film {}", (out.name)(video)),
                Show::Image { image } => format!("picture {}", (out.name)(image)),
                Show::Scene { chapter, scene } => format!("scene {chapter}/{scene}"),
                Show::Brochure { brochure } => format!("brochure {brochure}"),
                Show::Message { text } => {
                    format!(
                        "message \"{}\"",
                        text.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join(" / ")
                    )
                }
                Show::Tour => "the tour".to_owned(),
            };
            let length = item.seconds.map_or_else(|| "own length".to_owned(), |s| format!("{s} s"));
            out.push(&format!("{at} › item \"{}\"", item.id), format!("{shows}, {length}"));
        }
    }
    out.push("schedule › fallback", signage.schedule.fallback.clone());
    for (i, entry) in signage.schedule.entries.iter().enumerate() {
        let days = if entry.days.is_empty() {
            "every day".to_owned()
        } else {
            entry.days.iter().map(|d| format!("{d:?}")).collect::<Vec<_>>().join(", ")
        };
        let window = entry.window.map_or_else(
            || "all day".to_owned(),
            |w| format!("{}–{}", w.start.strftime("%H:%M"), w.end.strftime("%H:%M")),
        );
        let dates = match (entry.from_date, entry.until_date) {
            (None, None) => String::new(),
            (from, until) => format!(
                ", {} to {}",
                from.map_or_else(|| "…".to_owned(), |d| d.to_string()),
                until.map_or_else(|| "…".to_owned(), |d| d.to_string())
            ),
        };
        out.push(
            &format!("schedule › entry {}", i + 1),
            format!("{} on {days}, {window}{dates}, priority {}", entry.playlist, entry.priority),
        );
    }
}

struct Facts<'a> {
    list: Vec<(String, String)>,
    name: &'a dyn Fn(&BlobId) -> String,
}

impl Facts<'_> {
    fn push(&mut self, place: &str, value: String) {
        self.list.push((place.to_owned(), value));
    }

    fn text(&mut self, place: &str, text: &Localized<String>) {
        for (locale, value) in text.iter() {
            self.push(&format!("{place} [{}]", locale.as_str()), value.clone());
        }
    }

    fn blob(&mut self, place: &str, blob: Option<&BlobId>) {
        if let Some(blob) = blob {
            let named = (self.name)(blob);
            self.push(place, named);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::LocaleTag;
    use crate::schedule::Schedule;
    use crate::signage::{Playlist, PlaylistItem};

    fn pack() -> ContentPack {
        crate::fixtures::sample_pack().0
    }

    fn short(id: &BlobId) -> String {
        id.as_str()[..8].to_owned()
    }

    fn find<'a>(changes: &'a [Change], place: &str) -> &'a Change {
        changes
            .iter()
            .find(|c| c.place == place)
            .unwrap_or_else(|| panic!("no change at {place}: {changes:#?}"))
    }

    #[test]
    fn the_same_pack_has_no_changes() {
        assert!(content_changes(Some(&pack()), &pack(), &short).is_empty());
    }

    #[test]
    fn a_new_translation_a_changed_text_and_a_removed_scene_are_named() {
        let before = pack();
        let mut after = pack();
        let chapter = &mut after.chapters[0];
        chapter.title.insert(LocaleTag::new("ja").unwrap(), "受賞".into());
        chapter.summary.insert(LocaleTag::new("vi").unwrap(), "TOP 1 ICF 2023".into());
        chapter.scenes.clear();
        let changes = content_changes(Some(&before), &after, &short);

        let added = find(&changes, "chapter \"award\" › title [ja]");
        assert_eq!((added.kind, added.after.as_deref()), (ChangeKind::Added, Some("受賞")));
        let changed = find(&changes, "chapter \"award\" › summary [vi]");
        assert_eq!(
            (changed.kind, changed.before.as_deref(), changed.after.as_deref()),
            (ChangeKind::Changed, Some("TOP 1 ICF"), Some("TOP 1 ICF 2023"))
        );
        let gone = find(&changes, "chapter \"award\" › scene \"new-york\" › body [vi]");
        assert_eq!((gone.kind, gone.after.as_deref()), (ChangeKind::Removed, None));
        let media = find(&changes, "chapter \"award\" › scene \"new-york\" › film");
        assert_eq!(media.before.as_deref(), Some(short(&before.attract.video.clone().unwrap()).as_str()));
    }

    #[test]
    fn everything_is_added_to_an_empty_channel() {
        let changes = content_changes(None, &pack(), &short);
        assert!(changes.len() > 20, "{}", changes.len());
        assert!(changes.iter().all(|c| c.kind == ChangeKind::Added && c.before.is_none()));
    }

    #[test]
    fn a_reordered_playlist_is_one_change_and_a_new_length_another() {
        let item = |id: &str, seconds| PlaylistItem {
            id: id.into(),
            show: Show::Scene { chapter: "award".into(), scene: "new-york".into() },
            seconds,
        };
        let mut before = pack();
        before.signage = Some(Signage {
            playlists: vec![Playlist {
                id: "welcome".into(),
                items: vec![item("a", Some(10)), item("b", None)],
            }],
            schedule: Schedule { fallback: "welcome".into(), entries: vec![] },
        });
        let mut after = before.clone();
        after.signage.as_mut().unwrap().playlists[0].items.reverse();
        let changes = content_changes(Some(&before), &after, &short);
        assert_eq!(changes.len(), 1, "{changes:#?}");
        assert_eq!(changes[0].after.as_deref(), Some("b → a"));

        after.signage.as_mut().unwrap().playlists[0].items[0].seconds = Some(20);
        let changes = content_changes(Some(&before), &after, &short);
        let length = find(&changes, "playlist \"welcome\" › item \"b\"");
        assert_eq!(length.after.as_deref(), Some("scene award/new-york, 20 s"));
    }

    #[test]
    fn a_moved_stop_and_a_new_tour_are_named() {
        let (before, _) = crate::fixtures::sample_pack_with_tour();
        let mut after = before.clone();
        let stop = &mut after.tour.as_mut().unwrap().stops[1];
        stop.x_permille = 600;
        stop.name.insert(LocaleTag::new("en").unwrap(), "New City".into());
        let changes = content_changes(Some(&before), &after, &short);
        assert_eq!(changes.len(), 2, "{changes:#?}");
        let moved = find(&changes, "tour › stop \"new-city\" › place");
        assert_eq!(
            (moved.before.as_deref(), moved.after.as_deref()),
            (Some("city_centre at 540‰, 480‰, sample"), Some("city_centre at 600‰, 480‰, sample"))
        );
        let named = find(&changes, "tour › stop \"new-city\" › name [en]");
        assert_eq!((named.kind, named.after.as_deref()), (ChangeKind::Added, Some("New City")));

        let added = content_changes(Some(&pack()), &before, &short);
        assert_eq!(find(&added, "tour › stops").after.as_deref(), Some("vsip → new-city"));
        assert_eq!(
            find(&added, "tour › stop \"vsip\" › opens").after.as_deref(),
            Some("scene award/new-york")
        );
        assert!(added.iter().all(|c| c.kind == ChangeKind::Added && c.place.starts_with("tour ›")));
    }
}
