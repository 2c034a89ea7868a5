//! The content a release carries: the story, brochures, social cards, the words
//! of the interface, playlists ([`crate::signage`]) and the tour ([`crate::tour`]),
//! in any number of languages, with pictures, films, PDFs and sounds referred to
//! by [`BlobId`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::blob::{BlobId, BlobRef};
use crate::locale::{LocaleTag, Localized};

/// Everything a kiosk shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct ContentPack {
    /// The language every text must have, and the one others fall back to.
    pub default_locale: LocaleTag,
    /// The languages offered, in the order the switcher shows them.
    pub locales: Vec<LocaleInfo>,
    /// Title, tagline, badge and logo.
    pub brand: Brand,
    /// What plays while nobody touches the screen.
    pub attract: Attract,
    /// The story, in order.
    pub chapters: Vec<Chapter>,
    /// PDFs visitors take home by QR code.
    pub brochures: Vec<Brochure>,
    /// Hashtags and social channels.
    pub social: Social,
    /// Words of the interface per locale (`docs/ui-strings.md`).
    pub ui: Localized<BTreeMap<String, String>>,
    /// Playlists and schedule for unattended screens, if the pack has them.
    pub signage: Option<crate::signage::Signage>,
    /// The kiosk's sounds, if the pack has them. Left out of the manifest when
    /// absent, so a pack without sounds encodes as it did before sounds existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sound: Option<Sound>,
    /// The Innovation Zone tour, if the pack has one. Left out of the manifest
    /// when absent, so a pack without a tour encodes as it did before tours
    /// existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tour: Option<crate::tour::Tour>,
}

/// The sounds a kiosk plays itself (films carry their own sound).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct Sound {
    /// A short sound for each touch in kiosk mode.
    pub touch: Option<BlobId>,
    /// Background music or narration looped under signage playlists.
    pub bed: Option<BlobId>,
}

/// A language the pack offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct LocaleInfo {
    /// Its tag.
    pub tag: LocaleTag,
    /// Its name in itself ("Tiếng Việt").
    pub name: String,
}

/// The pack's identity on every screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct Brand {
    /// Title of the pack.
    pub title: Localized<String>,
    /// One line under the title.
    pub tagline: Localized<String>,
    /// The TOP 1 ICF badge, shown on every screen.
    pub badge: BlobId,
    /// The logo, if any.
    pub logo: Option<BlobId>,
}

/// The attract loop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct Attract {
    /// The invitation to touch.
    pub headline: Localized<String>,
    /// A film played muted in a loop.
    pub video: Option<BlobId>,
    /// Pictures shown when there is no film or it cannot play.
    pub images: Vec<BlobId>,
}

/// One chapter of the story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct Chapter {
    /// Stable id (`[a-z0-9-]`), used in logs and reports.
    pub id: String,
    /// Title.
    pub title: Localized<String>,
    /// One or two sentences for its card.
    pub summary: Localized<String>,
    /// Picture on its card.
    pub cover: BlobId,
    /// Colour as `#RRGGBB`.
    pub accent: Option<String>,
    /// Its scenes, in order.
    pub scenes: Vec<Scene>,
}

/// One screen within a chapter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct Scene {
    /// Stable id within its chapter.
    pub id: String,
    /// Title.
    pub title: Localized<String>,
    /// Paragraphs separated by a blank line.
    pub body: Localized<String>,
    /// Short facts shown as chips.
    pub highlights: Localized<Vec<String>>,
    /// A picture.
    pub image: Option<BlobId>,
    /// A film.
    pub video: Option<BlobId>,
    /// A short poll shown with the scene, if it has one. Left out of the manifest
    /// when absent, so a pack without surveys encodes as it did before surveys
    /// existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub survey: Option<Survey>,
}

/// The fewest answers a survey offers.
pub const SURVEY_MIN_OPTIONS: usize = 2;
/// The most answers a survey offers (more do not fit a touch screen as buttons).
pub const SURVEY_MAX_OPTIONS: usize = 6;

/// A short poll on a scene: one question and 2–6 answers to choose from. A kiosk
/// records a visitor's answer as a `survey_answer` event; the server counts them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct Survey {
    /// Stable id (`[a-z0-9-]`), unique in the pack: answers are counted by it.
    pub id: String,
    /// The question.
    pub question: Localized<String>,
    /// The answers offered, in the order shown.
    pub options: Vec<SurveyOption>,
}

/// One answer a survey offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct SurveyOption {
    /// Stable id (`[a-z0-9-]`), unique in its survey: answers are counted by it.
    pub id: String,
    /// The words on its button.
    pub label: Localized<String>,
}

impl Survey {
    /// The answer with this id.
    pub fn option(&self, id: &str) -> Option<&SurveyOption> {
        self.options.iter().find(|o| o.id == id)
    }
}

/// A PDF to take home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct Brochure {
    /// Stable id: part of its download URL.
    pub id: String,
    /// Title.
    pub title: Localized<String>,
    /// One or two sentences.
    pub summary: Localized<String>,
    /// Its front page as a picture.
    pub cover: Option<BlobId>,
    /// The PDF per language.
    pub file: Localized<BrochureFile>,
}

/// One language's PDF of a brochure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct BrochureFile {
    /// The PDF.
    pub blob: BlobId,
    /// The name a phone saves it under.
    pub file_name: String,
}

/// Hashtags and channels.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct Social {
    /// Hashtags, with their `#`.
    pub hashtags: Vec<String>,
    /// Channels, shown as QR cards.
    pub channels: Vec<SocialChannel>,
}

/// A social channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct SocialChannel {
    /// "Facebook", "LinkedIn", …
    pub name: String,
    /// The account's handle.
    pub handle: String,
    /// Its address (https).
    pub url: String,
}

/// What a pack uses a blob for, which decides the media types it may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobUse {
    /// Shown as a picture.
    Image,
    /// Played as a film.
    Video,
    /// Served as a PDF.
    Document,
    /// Played as a sound (WAV or Ogg Vorbis).
    Sound,
}

/// A pack that breaks a rule; the message names the place and the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place}: {problem}")]
pub struct ContentError {
    /// Where, e.g. `chapter "award" scene "new-york" title`.
    pub place: String,
    /// What is wrong and what would be right.
    pub problem: String,
}

impl ContentPack {
    /// Every blob the pack refers to, with where and what for.
    pub fn blob_uses(&self) -> Vec<(String, &BlobId, BlobUse)> {
        let mut uses = vec![("brand badge".to_owned(), &self.brand.badge, BlobUse::Image)];
        if let Some(logo) = &self.brand.logo {
            uses.push(("brand logo".into(), logo, BlobUse::Image));
        }
        if let Some(video) = &self.attract.video {
            uses.push(("attract video".into(), video, BlobUse::Video));
        }
        for (i, image) in self.attract.images.iter().enumerate() {
            uses.push((format!("attract image {}", i + 1), image, BlobUse::Image));
        }
        for chapter in &self.chapters {
            uses.push((format!("chapter {:?} cover", chapter.id), &chapter.cover, BlobUse::Image));
            for scene in &chapter.scenes {
                let place = format!("chapter {:?} scene {:?}", chapter.id, scene.id);
                if let Some(image) = &scene.image {
                    uses.push((format!("{place} image"), image, BlobUse::Image));
                }
                if let Some(video) = &scene.video {
                    uses.push((format!("{place} video"), video, BlobUse::Video));
                }
            }
        }
        for brochure in &self.brochures {
            if let Some(cover) = &brochure.cover {
                uses.push((format!("brochure {:?} cover", brochure.id), cover, BlobUse::Image));
            }
            for (locale, file) in brochure.file.iter() {
                uses.push((
                    format!("brochure {:?} file {locale}", brochure.id),
                    &file.blob,
                    BlobUse::Document,
                ));
            }
        }
        if let Some(signage) = &self.signage {
            for (place, blob, is_film) in signage.blobs() {
                uses.push((place, blob, if is_film { BlobUse::Video } else { BlobUse::Image }));
            }
        }
        if let Some(sound) = &self.sound {
            if let Some(touch) = &sound.touch {
                uses.push(("sound touch".into(), touch, BlobUse::Sound));
            }
            if let Some(bed) = &sound.bed {
                uses.push(("sound bed".into(), bed, BlobUse::Sound));
            }
        }
        if let Some(tour) = &self.tour {
            uses.extend(tour.blobs().into_iter().map(|(place, blob)| (place, blob, BlobUse::Image)));
        }
        uses
    }

    /// Every survey with the ids of its chapter and scene, in story order.
    pub fn surveys(&self) -> impl Iterator<Item = (&str, &str, &Survey)> + Clone {
        self.chapters.iter().flat_map(|chapter| {
            chapter.scenes.iter().filter_map(move |scene| {
                Some((chapter.id.as_str(), scene.id.as_str(), scene.survey.as_ref()?))
            })
        })
    }

    /// Whether the story has scene `scene` in chapter `chapter`.
    pub fn has_scene(&self, chapter: &str, scene: &str) -> bool {
        self.chapters.iter().any(|c| c.id == chapter && c.scenes.iter().any(|s| s.id == scene))
    }

    /// The survey on scene `scene` of chapter `chapter`, if it has one.
    pub fn survey_at(&self, chapter: &str, scene: &str) -> Option<&Survey> {
        self.surveys().find(|(c, s, _)| *c == chapter && *s == scene).map(|(_, _, survey)| survey)
    }

    /// Checks the rules a device relies on: the default locale is offered and every
    /// text has it, ids are well formed and unique, colours and addresses are well
    /// formed, surveys offer 2–6 answers, playlists and the tour follow their
    /// rules, and every blob the pack uses is listed with a fitting media type.
    pub fn check(&self, blobs: &[BlobRef]) -> Result<(), ContentError> {
        let fail = |place: &str, problem: String| ContentError { place: place.to_owned(), problem };
        let tags: Vec<&LocaleTag> = self.locales.iter().map(|l| &l.tag).collect();
        if !tags.contains(&&self.default_locale) {
            return Err(fail(
                "default_locale",
                format!("{:?} is not among the locales offered", self.default_locale.as_str()),
            ));
        }
        if let Some(dup) = first_duplicate(tags.iter().map(|t| t.as_str())) {
            return Err(fail("locales", format!("{dup:?} is listed twice")));
        }
        if let Some(locale) = self.locales.iter().find(|l| l.name.trim().is_empty()) {
            return Err(fail("locales", format!("{:?} has no name", locale.tag.as_str())));
        }

        let default = &self.default_locale;
        let need = |place: String, has: bool| {
            if has {
                Ok(())
            } else {
                Err(fail(&place, format!("has no text in the default locale {:?}", default.as_str())))
            }
        };
        need("brand title".into(), self.brand.title.has(default))?;
        need("brand tagline".into(), self.brand.tagline.has(default))?;
        need("attract headline".into(), self.attract.headline.has(default))?;
        need("ui".into(), self.ui.has(default))?;

        check_ids("chapters", self.chapters.iter().map(|c| c.id.as_str()))?;
        for chapter in &self.chapters {
            let place = format!("chapter {:?}", chapter.id);
            need(format!("{place} title"), chapter.title.has(default))?;
            need(format!("{place} summary"), chapter.summary.has(default))?;
            if let Some(accent) = &chapter.accent
                && !is_hex_colour(accent)
            {
                return Err(fail(
                    &format!("{place} accent"),
                    format!("{accent:?} is not a colour like \"#1DA57A\""),
                ));
            }
            if chapter.scenes.is_empty() {
                return Err(fail(&place, "has no scenes".into()));
            }
            check_ids(&format!("{place} scenes"), chapter.scenes.iter().map(|s| s.id.as_str()))?;
            for scene in &chapter.scenes {
                let place = format!("{place} scene {:?}", scene.id);
                need(format!("{place} title"), scene.title.has(default))?;
                need(format!("{place} body"), scene.body.has(default))?;
                if let Some(survey) = &scene.survey {
                    check_survey(&format!("{place} survey"), survey, default)?;
                    if scene.video.is_some() {
                        return Err(fail(
                            &format!("{place} survey"),
                            "shares its scene with a film; a survey takes the film's place on screen, \
                             so give the film its own scene"
                                .into(),
                        ));
                    }
                }
            }
        }
        let survey_ids = self.surveys().map(|(_, _, survey)| survey.id.as_str());
        if let Some(dup) = first_duplicate(survey_ids) {
            return Err(fail(
                "surveys",
                format!("id {dup:?} is used by two scenes; answers are counted by it"),
            ));
        }

        check_ids("brochures", self.brochures.iter().map(|b| b.id.as_str()))?;
        for brochure in &self.brochures {
            let place = format!("brochure {:?}", brochure.id);
            need(format!("{place} title"), brochure.title.has(default))?;
            need(format!("{place} summary"), brochure.summary.has(default))?;
            need(format!("{place} file"), brochure.file.has(default))?;
            for (locale, file) in brochure.file.iter() {
                if !is_safe_file_name(&file.file_name) {
                    return Err(fail(
                        &format!("{place} file {locale}"),
                        format!("{:?} is not a plain file name ending in .pdf", file.file_name),
                    ));
                }
            }
        }

        for channel in &self.social.channels {
            if !channel.url.starts_with("https://") || channel.url.chars().any(char::is_whitespace) {
                return Err(fail(
                    &format!("social channel {:?}", channel.name),
                    format!("{:?} is not an https address", channel.url),
                ));
            }
        }

        if let Some(signage) = &self.signage {
            signage.check(self)?;
        }
        if let Some(tour) = &self.tour {
            tour.check(self)?;
        }

        let listed: BTreeMap<&BlobId, &BlobRef> = blobs.iter().map(|b| (&b.sha256, b)).collect();
        for (place, id, usage) in self.blob_uses() {
            let Some(blob) = listed.get(id) else {
                return Err(fail(&place, format!("refers to blob {id}, which the manifest does not list")));
            };
            let fits = match usage {
                BlobUse::Image => blob.media_type.is_image(),
                BlobUse::Video => blob.media_type.is_video(),
                BlobUse::Document => blob.media_type == crate::blob::MediaType::Pdf,
                BlobUse::Sound => blob.media_type.is_audio(),
            };
            if !fits {
                return Err(fail(
                    &place,
                    format!("expects {usage:?} but blob {id} is {}", blob.media_type.mime()),
                ));
            }
        }
        Ok(())
    }
}

/// The rules of one survey: a slug id, a question and 2–6 answers with unique
/// slug ids, every text in the default locale and none of them blank.
fn check_survey(place: &str, survey: &Survey, default: &LocaleTag) -> Result<(), ContentError> {
    let fail = |at: String, problem: String| Err(ContentError { place: at, problem });
    if !is_slug(&survey.id) {
        return fail(
            place.to_owned(),
            format!("id {:?} must be lowercase letters, digits and '-'", survey.id),
        );
    }
    check_text(&format!("{place} question"), &survey.question, default)?;
    let count = survey.options.len();
    if !(SURVEY_MIN_OPTIONS..=SURVEY_MAX_OPTIONS).contains(&count) {
        return fail(
            format!("{place} options"),
            format!("has {count}; a survey offers {SURVEY_MIN_OPTIONS} to {SURVEY_MAX_OPTIONS} answers"),
        );
    }
    check_ids(&format!("{place} options"), survey.options.iter().map(|o| o.id.as_str()))?;
    for option in &survey.options {
        check_text(&format!("{place} option {:?} label", option.id), &option.label, default)?;
    }
    Ok(())
}

/// A text has the default locale, and no translation of it is blank.
pub(crate) fn check_text(
    place: &str,
    text: &Localized<String>,
    default: &LocaleTag,
) -> Result<(), ContentError> {
    let fail = |at: String, problem: String| Err(ContentError { place: at, problem });
    if !text.has(default) {
        return fail(place.to_owned(), format!("has no text in the default locale {:?}", default.as_str()));
    }
    match text.iter().find(|(_, words)| words.trim().is_empty()) {
        Some((locale, _)) => fail(format!("{place} {locale}"), "is empty".into()),
        None => Ok(()),
    }
}

/// Ids are slugs, each once; `place` names the list.
pub(crate) fn check_ids<'a>(
    place: &str,
    ids: impl Iterator<Item = &'a str> + Clone,
) -> Result<(), ContentError> {
    if let Some(bad) = ids.clone().find(|id| !is_slug(id)) {
        return Err(ContentError {
            place: place.to_owned(),
            problem: format!("id {bad:?} must be lowercase letters, digits and '-'"),
        });
    }
    if let Some(dup) = first_duplicate(ids) {
        return Err(ContentError { place: place.to_owned(), problem: format!("id {dup:?} is used twice") });
    }
    Ok(())
}

fn first_duplicate<'a>(items: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = BTreeSet::new();
    items.into_iter().find(|item| !seen.insert(*item))
}

/// Whether `id` is a slug: 1–64 of `[a-z0-9-]`, not starting or ending with `-`.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

fn is_hex_colour(colour: &str) -> bool {
    colour.len() == 7 && colour.starts_with('#') && colour[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_safe_file_name(name: &str) -> bool {
    name.len() <= 120
        && name.to_ascii_lowercase().ends_with(".pdf")
        && name.len() > 4
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blob::MediaType;
    use crate::fixtures::{blob, sample_pack, sample_pack_with_survey};

    fn problem(change: impl FnOnce(&mut ContentPack, &mut Vec<BlobRef>)) -> String {
        let (mut pack, mut blobs) = sample_pack();
        change(&mut pack, &mut blobs);
        pack.check(&blobs).expect_err("should be refused").to_string()
    }

    #[test]
    fn the_sample_pack_is_valid() {
        let (pack, blobs) = sample_pack();
        pack.check(&blobs).unwrap();
    }

    #[test]
    fn each_broken_rule_is_named_with_its_place() {
        let cases: Vec<(String, &str)> = vec![
            (problem(|p, _| p.default_locale = LocaleTag::new("ko").unwrap()), "default_locale"),
            (
                problem(|p, _| p.chapters[0].title = Localized::from_pairs([("en", "x".into())])),
                "chapter \"award\" title: has no text in the default locale",
            ),
            (problem(|p, _| p.chapters[0].id = "Award!".into()), "id \"Award!\" must be"),
            (problem(|p, _| p.chapters.push(p.chapters[0].clone())), "id \"award\" is used twice"),
            (problem(|p, _| p.chapters[0].accent = Some("gold".into())), "\"gold\" is not a colour"),
            (problem(|p, _| p.chapters[0].scenes.clear()), "has no scenes"),
            (
                problem(|p, b| {
                    b.retain(|x| x.media_type != MediaType::Pdf);
                    let _ = p;
                }),
                "brochure \"invest-guide\" file vi: refers to blob",
            ),
            (
                problem(|p, b| {
                    let png = blob(b"png", MediaType::Png);
                    p.chapters[0].scenes[0].video = Some(png.sha256.clone());
                    b.push(png);
                }),
                "expects Video but blob",
            ),
            (
                problem(|p, b| {
                    let png = blob(b"png", MediaType::Png);
                    p.sound = Some(Sound { touch: Some(png.sha256.clone()), bed: None });
                    b.push(png);
                }),
                "sound touch: expects Sound but blob",
            ),
            (
                problem(|p, b| {
                    let film = b.iter().find(|x| x.media_type == MediaType::Mp4).unwrap().sha256.clone();
                    p.sound = Some(Sound { touch: None, bed: Some(film) });
                }),
                "sound bed: expects Sound but blob",
            ),
            (
                problem(|p, _| {
                    p.sound = Some(Sound { touch: None, bed: Some(BlobId::of(b"absent")) });
                }),
                "sound bed: refers to blob",
            ),
            (
                problem(|p, b| {
                    let wav = blob(b"RIFF wav", MediaType::Wav);
                    p.brand.badge = wav.sha256.clone();
                    b.push(wav);
                }),
                "brand badge: expects Image but blob",
            ),
            (
                problem(|p, b| {
                    let ogg = blob(b"OggS", MediaType::Ogg);
                    p.attract.video = Some(ogg.sha256.clone());
                    b.push(ogg);
                }),
                "attract video: expects Video but blob",
            ),
            (
                problem(|p, b| {
                    let ogg = blob(b"OggS", MediaType::Ogg);
                    let vi = LocaleTag::new("vi").unwrap();
                    let mut f = p.brochures[0].file.exact(&vi).unwrap().clone();
                    f.blob = ogg.sha256.clone();
                    p.brochures[0].file.insert(vi, f);
                    b.push(ogg);
                }),
                "brochure \"invest-guide\" file vi: expects Document but blob",
            ),
            (
                problem(|p, _| p.social.channels[0].url = "javascript:alert(1)".into()),
                "is not an https address",
            ),
            (
                problem(|p, _| {
                    let mut f = p.brochures[0].file.exact(&LocaleTag::new("vi").unwrap()).unwrap().clone();
                    f.file_name = "../x.pdf".into();
                    p.brochures[0].file.insert(LocaleTag::new("vi").unwrap(), f);
                }),
                "not a plain file name",
            ),
        ];
        for (message, expected) in cases {
            assert!(message.contains(expected), "{message:?} should contain {expected:?}");
        }
    }

    /// The sample pack with a survey, changed by `change`: `None` when it is
    /// valid, else the refusal.
    fn survey_problem(change: impl FnOnce(&mut Survey, &mut ContentPack)) -> Option<String> {
        let (mut pack, blobs) = sample_pack_with_survey();
        let mut survey = pack.chapters[0].scenes[0].survey.take().unwrap();
        change(&mut survey, &mut pack);
        pack.chapters[0].scenes[0].survey = Some(survey);
        pack.check(&blobs).err().map(|e| e.to_string())
    }

    fn label(vi: &str) -> Localized<String> {
        Localized::from_pairs([("vi", vi.to_owned())])
    }

    #[test]
    fn survey_rules() {
        let place = "chapter \"award\" scene \"new-york\" survey";
        let option = |id: &str| SurveyOption { id: id.into(), label: label(id) };
        let cases: Vec<(&str, Option<String>, Option<String>)> = vec![
            ("the sample survey", survey_problem(|_, _| {}), None),
            (
                "a survey beside a film",
                survey_problem(|_, p| p.chapters[0].scenes[0].video = p.attract.video.clone()),
                Some(format!(
                    "{place}: shares its scene with a film; a survey takes the film's place on screen, \
                     so give the film its own scene"
                )),
            ),
            (
                "only the default locale",
                survey_problem(|s, _| {
                    s.question = label("Vì sao?");
                    for o in &mut s.options {
                        o.label = label(&o.id.clone());
                    }
                }),
                None,
            ),
            ("two answers", survey_problem(|s, _| s.options.truncate(2)), None),
            ("six answers", survey_problem(|s, _| s.options.extend(["a", "b", "c"].map(option))), None),
            (
                "one answer",
                survey_problem(|s, _| s.options.truncate(1)),
                Some(format!("{place} options: has 1; a survey offers 2 to 6 answers")),
            ),
            (
                "seven answers",
                survey_problem(|s, _| s.options.extend(["a", "b", "c", "d"].map(option))),
                Some(format!("{place} options: has 7; a survey offers 2 to 6 answers")),
            ),
            (
                "a survey id that is not a slug",
                survey_problem(|s, _| s.id = "Why here?".into()),
                Some(format!("{place}: id \"Why here?\" must be lowercase letters, digits and '-'")),
            ),
            (
                "an answer id that is not a slug",
                survey_problem(|s, _| s.options[1].id = "study_abroad".into()),
                Some(format!(
                    "{place} options: id \"study_abroad\" must be lowercase letters, digits and '-'"
                )),
            ),
            (
                "two answers with one id",
                survey_problem(|s, _| s.options[2].id = "study".into()),
                Some(format!("{place} options: id \"study\" is used twice")),
            ),
            (
                "a question without the default locale",
                survey_problem(|s, _| s.question = Localized::from_pairs([("en", "Why?".into())])),
                Some(format!("{place} question: has no text in the default locale \"vi\"")),
            ),
            (
                "an answer without the default locale",
                survey_problem(|s, _| s.options[0].label = Localized::from_pairs([("en", "Invest".into())])),
                Some(format!(
                    "{place} option \"investment\" label: has no text in the default locale \"vi\""
                )),
            ),
            (
                "a blank translation of the question",
                survey_problem(|s, _| s.question.insert(LocaleTag::new("en").unwrap(), "  ".into())),
                Some(format!("{place} question en: is empty")),
            ),
            (
                "a blank answer",
                survey_problem(|s, _| s.options[1].label = label("")),
                Some(format!("{place} option \"study\" label vi: is empty")),
            ),
            (
                "one survey id on two scenes",
                survey_problem(|s, p| {
                    let mut scene = p.chapters[0].scenes[0].clone();
                    scene.id = "again".into();
                    scene.survey = Some(s.clone());
                    p.chapters[0].scenes.push(scene);
                }),
                Some("surveys: id \"why-here\" is used by two scenes; answers are counted by it".into()),
            ),
        ];
        for (case, got, expected) in cases {
            assert_eq!(got, expected, "{case}");
        }
    }

    #[test]
    fn surveys_are_found_by_their_scene() {
        let (pack, _) = sample_pack_with_survey();
        let found: Vec<_> = pack.surveys().map(|(c, s, survey)| (c, s, survey.id.as_str())).collect();
        assert_eq!(found, vec![("award", "new-york", "why-here")]);
        let survey = pack.survey_at("award", "new-york").unwrap();
        assert_eq!(survey.option("study").map(|o| o.id.as_str()), Some("study"));
        assert!(survey.option("golf").is_none());
        assert!(pack.survey_at("award", "elsewhere").is_none());
        assert!(sample_pack().0.survey_at("award", "new-york").is_none());
    }

    #[test]
    fn a_scene_without_a_survey_encodes_without_the_field() {
        let (pack, _) = sample_pack();
        let json = serde_json::to_value(&pack).unwrap();
        assert!(json["chapters"][0]["scenes"][0].get("survey").is_none(), "no \"survey\" key");

        let (pack, _) = sample_pack_with_survey();
        let json = serde_json::to_value(&pack).unwrap();
        let survey = &json["chapters"][0]["scenes"][0]["survey"];
        assert_eq!(survey["id"], "why-here");
        assert_eq!(survey["question"]["en"], "What brings you to Bình Dương?");
        assert_eq!(
            survey["options"][1],
            serde_json::json!({"id": "study", "label": {"en": "Study", "vi": "Học tập"}})
        );
        assert_eq!(serde_json::from_value::<ContentPack>(json.clone()).unwrap(), pack);

        let mut unknown = json;
        unknown["chapters"][0]["scenes"][0]["survey"]["multiple"] = true.into();
        let err = serde_json::from_value::<ContentPack>(unknown).unwrap_err();
        assert!(err.to_string().contains("unknown field `multiple`"), "{err}");
    }

    fn with_sounds() -> (ContentPack, Vec<BlobRef>) {
        let (mut pack, mut blobs) = sample_pack();
        let touch = blob(b"RIFF touch", MediaType::Wav);
        let bed = blob(b"OggS bed", MediaType::Ogg);
        pack.sound = Some(Sound { touch: Some(touch.sha256.clone()), bed: Some(bed.sha256.clone()) });
        blobs.extend([touch, bed]);
        blobs.sort_by(|a, b| a.sha256.cmp(&b.sha256));
        (pack, blobs)
    }

    #[test]
    fn sounds_are_used_as_sounds_and_checked() {
        let (pack, blobs) = with_sounds();
        pack.check(&blobs).unwrap();
        let sounds: Vec<(String, BlobUse)> = pack
            .blob_uses()
            .into_iter()
            .filter(|(_, _, usage)| *usage == BlobUse::Sound)
            .map(|(place, _, usage)| (place, usage))
            .collect();
        assert_eq!(
            sounds,
            vec![("sound touch".to_owned(), BlobUse::Sound), ("sound bed".to_owned(), BlobUse::Sound)]
        );

        let (mut pack, blobs) = with_sounds();
        pack.sound = Some(Sound::default());
        pack.check(&blobs).unwrap();
    }

    #[test]
    fn a_pack_without_sounds_encodes_without_the_field() {
        let (pack, _) = sample_pack();
        let json = serde_json::to_value(&pack).unwrap();
        assert!(json.get("sound").is_none(), "no \"sound\" key when there are none");
        let back: ContentPack = serde_json::from_value(json).unwrap();
        assert_eq!(back, pack);

        let (pack, _) = with_sounds();
        let json = serde_json::to_value(&pack).unwrap();
        assert!(json["sound"]["touch"].is_string() && json["sound"]["bed"].is_string());
        assert_eq!(serde_json::from_value::<ContentPack>(json.clone()).unwrap(), pack);

        let mut unknown = json;
        unknown["sound"]["chime"] = serde_json::Value::Null;
        let err = serde_json::from_value::<ContentPack>(unknown).unwrap_err();
        assert!(err.to_string().contains("unknown field `chime`"), "{err}");
    }
}
