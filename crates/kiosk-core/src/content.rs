//! The content a release carries: the story, brochures, social cards and the words
//! of the interface, in any number of languages, with pictures, films, PDFs and
//! sounds referred to by [`BlobId`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::blob::{BlobId, BlobRef};
use crate::locale::{LocaleTag, Localized};

/// Everything a kiosk shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
}

/// The sounds a kiosk plays itself (films carry their own sound).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sound {
    /// A short sound for each touch in kiosk mode.
    pub touch: Option<BlobId>,
    /// Background music or narration looped under signage playlists.
    pub bed: Option<BlobId>,
}

/// A language the pack offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocaleInfo {
    /// Its tag.
    pub tag: LocaleTag,
    /// Its name in itself ("Tiếng Việt").
    pub name: String,
}

/// The pack's identity on every screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
}

/// A PDF to take home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
pub struct BrochureFile {
    /// The PDF.
    pub blob: BlobId,
    /// The name a phone saves it under.
    pub file_name: String,
}

/// Hashtags and channels.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Social {
    /// Hashtags, with their `#`.
    pub hashtags: Vec<String>,
    /// Channels, shown as QR cards.
    pub channels: Vec<SocialChannel>,
}

/// A social channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
        uses
    }

    /// Checks the rules a device relies on: the default locale is offered and every
    /// text has it, ids are well formed and unique, colours and addresses are well
    /// formed, and every blob the pack uses is listed with a fitting media type.
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
            }
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

fn check_ids<'a>(place: &str, ids: impl Iterator<Item = &'a str> + Clone) -> Result<(), ContentError> {
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
    use crate::fixtures::{blob, sample_pack};

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
