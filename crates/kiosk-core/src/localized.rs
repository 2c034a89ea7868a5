//! One language's view of a [`ContentPack`], with every fallback applied, so the
//! interface never has to choose between languages itself.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::blob::BlobId;
use crate::content::{Brochure, Chapter, ContentPack, Scene, Survey};
use crate::locale::{LocaleTag, Localized};
use crate::tour::{StopKind, StopScene, Tour};

/// The pack in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalizedPack {
    /// The language asked for if the pack offers it, otherwise the default.
    pub locale: LocaleTag,
    /// Brand title.
    pub title: String,
    /// Brand tagline.
    pub tagline: String,
    /// Attract headline.
    pub attract_headline: String,
    /// Chapters in order.
    pub chapters: Vec<LocalizedChapter>,
    /// Brochures in order; only those with a PDF in this language or the default.
    pub brochures: Vec<LocalizedBrochure>,
    /// Interface words: this language's, completed by the default's.
    pub ui: BTreeMap<String, String>,
    /// The tour, if the pack has one.
    pub tour: Option<LocalizedTour>,
}

/// The tour in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalizedTour {
    /// Title.
    pub title: String,
    /// Introduction.
    pub intro: String,
    /// The map.
    pub map: BlobId,
    /// How long each stop shows in guided mode.
    pub seconds_per_stop: u32,
    /// The stops, in guided order.
    pub stops: Vec<LocalizedTourStop>,
}

/// A stop of the tour in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalizedTourStop {
    /// Stable id.
    pub id: String,
    /// What kind of place it is.
    pub kind: StopKind,
    /// Thousandths of the map's width from its left edge.
    pub x_permille: u16,
    /// Thousandths of the map's height from its top edge.
    pub y_permille: u16,
    /// Name.
    pub name: String,
    /// Summary.
    pub summary: String,
    /// Its place or name is illustrative.
    pub sample: bool,
    /// The story scene it opens.
    pub scene: Option<StopScene>,
    /// Picture.
    pub image: Option<BlobId>,
}

/// A chapter in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalizedChapter {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Cover picture.
    pub cover: BlobId,
    /// Accent colour.
    pub accent: Option<String>,
    /// Scenes in order.
    pub scenes: Vec<LocalizedScene>,
}

/// A scene in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalizedScene {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Paragraphs.
    pub body: Vec<String>,
    /// Chips.
    pub highlights: Vec<String>,
    /// Picture.
    pub image: Option<BlobId>,
    /// Film.
    pub video: Option<BlobId>,
    /// The scene's survey.
    pub survey: Option<LocalizedSurvey>,
}

/// A survey in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalizedSurvey {
    /// Stable id.
    pub id: String,
    /// The question.
    pub question: String,
    /// The answers, in order.
    pub options: Vec<LocalizedSurveyOption>,
}

/// An answer of a survey in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalizedSurveyOption {
    /// Stable id.
    pub id: String,
    /// The words on its button.
    pub label: String,
}

/// A brochure in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalizedBrochure {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Cover picture.
    pub cover: Option<BlobId>,
    /// The locale of the PDF offered (the default's when this language has none).
    pub file_locale: LocaleTag,
    /// The PDF.
    pub blob: BlobId,
    /// Its file name.
    pub file_name: String,
}

impl ContentPack {
    /// Whether the pack offers this language.
    pub fn offers(&self, locale: &LocaleTag) -> bool {
        self.locales.iter().any(|l| &l.tag == locale)
    }

    /// The pack in `requested`, or in the default language when it is not offered.
    pub fn localize(&self, requested: &LocaleTag) -> LocalizedPack {
        let locale = if self.offers(requested) { requested.clone() } else { self.default_locale.clone() };
        let default = &self.default_locale;
        let text = |t: &Localized<String>| t.get(&locale, default).cloned().unwrap_or_default();

        let mut ui = self.ui.exact(default).cloned().unwrap_or_default();
        if let Some(own) = self.ui.exact(&locale) {
            ui.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
        }

        LocalizedPack {
            title: text(&self.brand.title),
            tagline: text(&self.brand.tagline),
            attract_headline: text(&self.attract.headline),
            chapters: self.chapters.iter().map(|c| localize_chapter(c, &locale, default)).collect(),
            brochures: self.brochures.iter().filter_map(|b| localize_brochure(b, &locale, default)).collect(),
            ui,
            tour: self.tour.as_ref().map(|t| localize_tour(t, &locale, default)),
            locale,
        }
    }
}

fn localize_chapter(chapter: &Chapter, locale: &LocaleTag, default: &LocaleTag) -> LocalizedChapter {
    let text = |t: &Localized<String>| t.get(locale, default).cloned().unwrap_or_default();
    LocalizedChapter {
        id: chapter.id.clone(),
        title: text(&chapter.title),
        summary: text(&chapter.summary),
        cover: chapter.cover.clone(),
        accent: chapter.accent.clone(),
        scenes: chapter.scenes.iter().map(|s| localize_scene(s, locale, default)).collect(),
    }
}

fn localize_scene(scene: &Scene, locale: &LocaleTag, default: &LocaleTag) -> LocalizedScene {
    let body = scene.body.get(locale, default).map(String::as_str).unwrap_or_default();
    LocalizedScene {
        id: scene.id.clone(),
        title: scene.title.get(locale, default).cloned().unwrap_or_default(),
        body: paragraphs(body),
        highlights: scene.highlights.get(locale, default).cloned().unwrap_or_default(),
        image: scene.image.clone(),
        video: scene.video.clone(),
        survey: scene.survey.as_ref().map(|survey| localize_survey(survey, locale, default)),
    }
}

fn localize_survey(survey: &Survey, locale: &LocaleTag, default: &LocaleTag) -> LocalizedSurvey {
    let text = |t: &Localized<String>| t.get(locale, default).cloned().unwrap_or_default();
    LocalizedSurvey {
        id: survey.id.clone(),
        question: text(&survey.question),
        options: survey
            .options
            .iter()
            .map(|o| LocalizedSurveyOption { id: o.id.clone(), label: text(&o.label) })
            .collect(),
    }
}

fn localize_tour(tour: &Tour, locale: &LocaleTag, default: &LocaleTag) -> LocalizedTour {
    let text = |t: &Localized<String>| t.get(locale, default).cloned().unwrap_or_default();
    LocalizedTour {
        title: text(&tour.title),
        intro: text(&tour.intro),
        map: tour.map.clone(),
        seconds_per_stop: tour.seconds_per_stop,
        stops: tour
            .stops
            .iter()
            .map(|stop| LocalizedTourStop {
                id: stop.id.clone(),
                kind: stop.kind,
                x_permille: stop.x_permille,
                y_permille: stop.y_permille,
                name: text(&stop.name),
                summary: text(&stop.summary),
                sample: stop.sample,
                scene: stop.scene.clone(),
                image: stop.image.clone(),
            })
            .collect(),
    }
}

fn localize_brochure(
    brochure: &Brochure,
    locale: &LocaleTag,
    default: &LocaleTag,
) -> Option<LocalizedBrochure> {
    let file_locale = if brochure.file.has(locale) { locale } else { default };
    let file = brochure.file.exact(file_locale)?;
    Some(LocalizedBrochure {
        id: brochure.id.clone(),
        title: brochure.title.get(locale, default).cloned().unwrap_or_default(),
        summary: brochure.summary.get(locale, default).cloned().unwrap_or_default(),
        cover: brochure.cover.clone(),
        file_locale: file_locale.clone(),
        blob: file.blob.clone(),
        file_name: file.file_name.clone(),
    })
}

/// Splits a text into paragraphs at blank lines, joining the lines within each.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::sample_pack;

    fn tag(s: &str) -> LocaleTag {
        LocaleTag::new(s).unwrap()
    }

    #[test]
    fn gives_the_requested_language() {
        let (pack, _) = sample_pack();
        let en = pack.localize(&tag("en"));
        assert_eq!(en.locale, tag("en"));
        assert_eq!(en.chapters[0].title, "The award");
        assert_eq!(en.ui["back"], "Back");
    }

    #[test]
    fn falls_back_to_the_default_for_missing_texts_and_languages() {
        let (pack, _) = sample_pack();
        let ja = pack.localize(&tag("ja"));
        assert_eq!(ja.locale, tag("vi"), "a language the pack does not offer gives the default");
        let en = pack.localize(&tag("en"));
        assert_eq!(en.chapters[0].scenes[0].highlights, vec!["26/10/2023".to_owned()], "no English chips");
        assert_eq!(en.ui["home"], "Trang chủ", "a missing interface word comes from the default");
    }

    #[test]
    fn offers_the_default_pdf_when_a_language_has_none() {
        let (pack, _) = sample_pack();
        let en = pack.localize(&tag("en"));
        assert_eq!(en.brochures[0].file_locale, tag("vi"));
    }

    #[test]
    fn a_survey_comes_in_the_visitors_language_with_fallback() {
        let (mut pack, _) = crate::fixtures::sample_pack_with_survey();
        let survey = pack.chapters[0].scenes[0].survey.as_mut().unwrap();
        survey.options[2].label = Localized::from_pairs([("vi", "Du lịch".into())]);
        let en = pack.localize(&tag("en")).chapters[0].scenes[0].survey.clone().unwrap();
        assert_eq!(en.id, "why-here");
        assert_eq!(en.question, "What brings you to Bình Dương?");
        let labels: Vec<_> = en.options.iter().map(|o| (o.id.as_str(), o.label.as_str())).collect();
        assert_eq!(
            labels,
            vec![("investment", "Investment"), ("study", "Study"), ("tourism", "Du lịch")],
            "an answer without English falls back to Vietnamese"
        );
        assert_eq!(
            pack.localize(&tag("vi")).chapters[0].scenes[0].survey.as_ref().unwrap().options[0].label,
            "Đầu tư"
        );
        assert!(crate::fixtures::sample_pack().0.localize(&tag("en")).chapters[0].scenes[0].survey.is_none());
    }

    #[test]
    fn the_tour_comes_in_the_visitors_language_with_fallback() {
        let (pack, _) = crate::fixtures::sample_pack_with_tour();
        let en = pack.localize(&tag("en")).tour.unwrap();
        assert_eq!((en.title.as_str(), en.intro.as_str()), ("The tour", "Places along the Innovation Zone."));
        assert_eq!(en.map, pack.tour.as_ref().unwrap().map);
        assert_eq!(en.seconds_per_stop, 8);
        let stops: Vec<_> =
            en.stops.iter().map(|s| (s.id.as_str(), s.name.as_str(), s.summary.as_str())).collect();
        assert_eq!(
            stops,
            vec![
                ("vsip", "VSIP", "An industrial park."),
                ("new-city", "Thành phố mới", "Trung tâm đô thị mới."),
            ],
            "a stop without English falls back to Vietnamese"
        );
        let vsip = &en.stops[0];
        assert_eq!(
            (vsip.kind, vsip.x_permille, vsip.y_permille, vsip.sample),
            (StopKind::IndustrialPark, 520, 340, false)
        );
        assert_eq!(vsip.scene, Some(StopScene { chapter: "award".into(), scene: "new-york".into() }));
        assert!(vsip.image.is_some() && en.stops[1].image.is_none() && en.stops[1].sample);

        assert_eq!(pack.localize(&tag("vi")).tour.unwrap().title, "Chuyến tham quan");
        assert!(sample_pack().0.localize(&tag("en")).tour.is_none(), "a pack without a tour has none");
    }

    #[test]
    fn splits_paragraphs_at_blank_lines() {
        assert_eq!(paragraphs("a\nb\n\n\n c \n"), vec!["a b".to_owned(), "c".to_owned()]);
        assert!(paragraphs("  \n").is_empty());
    }
}
