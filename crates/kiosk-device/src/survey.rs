//! Visitor surveys on a kiosk: which `survey_answer` events a screen records.
//!
//! An answer is recorded when it names a survey of the release shown, on the
//! scene that carries it, with one of that survey's answers, in a language the
//! release offers, and when the visitor has not answered that survey in this
//! visit yet. A visit ends when the interface goes back to its attract loop
//! after the idle timeout ([`crate::Screen::new_visit`]); the next visitor may
//! answer again. Unattended screens record no answers: nobody touches them.
//!
//! An answer is stored in one shape whatever the interface sent,
//! [`kiosk_wire::SurveyAnswer`]: `{survey, option, chapter, scene, locale}`.
//! A refused answer is logged and left out of its batch; the rest of the batch
//! is recorded.

use std::collections::BTreeSet;

use kiosk_core::content::ContentPack;
use kiosk_core::locale::LocaleTag;
use kiosk_wire::EventKind;
pub use kiosk_wire::SurveyAnswer;
use serde_json::{Map, Value};

/// Why an answer is not recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerRefused {
    /// The data is not five strings.
    #[error("a survey answer needs the strings survey, option, chapter, scene and locale")]
    Malformed,
    /// No release is shown, or this is an unattended screen.
    #[error("this screen takes no survey answers ({0})")]
    NotAsked(&'static str),
    /// The scene named has no such survey in the release shown.
    #[error("scene {chapter:?}/{scene:?} of the release shown has no survey {survey:?}")]
    UnknownSurvey {
        /// The survey named.
        survey: String,
        /// The chapter named.
        chapter: String,
        /// The scene named.
        scene: String,
    },
    /// The survey has no such answer.
    #[error("survey {survey:?} has no answer {option:?}")]
    UnknownOption {
        /// The survey.
        survey: String,
        /// The answer named.
        option: String,
    },
    /// The release shown does not offer the language named.
    #[error("the release shown does not offer the language {0:?}")]
    UnknownLocale(String),
    /// This visitor has answered this survey already.
    #[error("survey {0:?} was answered already in this visit")]
    AlreadyAnswered(String),
}

/// The surveys answered in the current visit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visit {
    answered: BTreeSet<String>,
}

impl Visit {
    /// Checks one answer (a `survey_answer` event's data) against the content
    /// shown, and remembers it for this visit; returns it in its one shape.
    pub fn answer(
        &mut self,
        content: &ContentPack,
        data: &Map<String, Value>,
    ) -> Result<SurveyAnswer, AnswerRefused> {
        let answer = SurveyAnswer::from_data(data).ok_or(AnswerRefused::Malformed)?;
        let survey = content
            .survey_at(&answer.chapter, &answer.scene)
            .filter(|survey| survey.id == answer.survey)
            .ok_or_else(|| AnswerRefused::UnknownSurvey {
                survey: answer.survey.clone(),
                chapter: answer.chapter.clone(),
                scene: answer.scene.clone(),
            })?;
        if survey.option(&answer.option).is_none() {
            return Err(AnswerRefused::UnknownOption {
                survey: answer.survey.clone(),
                option: answer.option.clone(),
            });
        }
        if !LocaleTag::new(&answer.locale).is_ok_and(|tag| content.offers(&tag)) {
            return Err(AnswerRefused::UnknownLocale(answer.locale.clone()));
        }
        if !self.answered.insert(answer.survey.clone()) {
            return Err(AnswerRefused::AlreadyAnswered(answer.survey.clone()));
        }
        Ok(answer)
    }

    /// Whether survey `id` was answered in this visit.
    pub fn has_answered(&self, id: &str) -> bool {
        self.answered.contains(id)
    }
}

/// Where survey answers may be recorded: the content shown on a touch kiosk.
#[derive(Debug, Clone, Copy)]
pub enum AnswersTaken<'a> {
    /// A kiosk showing this content.
    Kiosk(&'a ContentPack),
    /// An unattended screen, or nothing shown yet.
    Not(&'static str),
}

/// A batch of the interface's events as it is recorded: each survey answer
/// checked with [`Visit::answer`] and written in its one shape, a refused one
/// left out and logged; every other event as it came.
pub fn admit_answers(
    batch: Vec<(EventKind, Map<String, Value>)>,
    taken: AnswersTaken<'_>,
    visit: &mut Visit,
) -> Vec<(EventKind, Map<String, Value>)> {
    batch
        .into_iter()
        .filter_map(|(kind, data)| {
            if kind != EventKind::SurveyAnswer {
                return Some((kind, data));
            }
            let admitted = match taken {
                AnswersTaken::Kiosk(content) => visit.answer(content, &data),
                AnswersTaken::Not(why) => Err(AnswerRefused::NotAsked(why)),
            };
            match admitted {
                Ok(answer) => {
                    tracing::info!(survey = answer.survey, option = answer.option, "survey answered");
                    Some((kind, answer.to_data()))
                }
                Err(error) => {
                    tracing::warn!(%error, "survey answer not recorded");
                    None
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BLOB: &str = "0000000000000000000000000000000000000000000000000000000000000000";

    /// A pack with one survey, "what-brings-you", on invest/your-visit.
    fn pack() -> ContentPack {
        let text = |s: &str| json!({ "vi": s });
        serde_json::from_value(json!({
            "default_locale": "vi",
            "locales": [{"tag": "vi", "name": "Tiếng Việt"}, {"tag": "en", "name": "English"}],
            "brand": {"title": text("B"), "tagline": text("T"), "badge": BLOB, "logo": null},
            "attract": {"headline": text("H"), "video": null, "images": []},
            "chapters": [{
                "id": "invest", "title": text("I"), "summary": text("S"), "cover": BLOB, "accent": null,
                "scenes": [
                    {"id": "why-now", "title": text("W"), "body": text("B"), "highlights": {},
                     "image": null, "video": null},
                    {"id": "your-visit", "title": text("V"), "body": text("B"), "highlights": {},
                     "image": null, "video": null,
                     "survey": {"id": "what-brings-you", "question": text("Q"), "options": [
                         {"id": "study", "label": text("Học tập")},
                         {"id": "tourism", "label": text("Du lịch")},
                     ]}},
                ],
            }],
            "brochures": [],
            "social": {"hashtags": [], "channels": []},
            "ui": {"vi": {}},
            "signage": null,
        }))
        .unwrap()
    }

    fn answer(pairs: &[(&str, &str)]) -> Map<String, Value> {
        let mut data: Map<String, Value> = [
            ("survey", "what-brings-you"),
            ("option", "study"),
            ("chapter", "invest"),
            ("scene", "your-visit"),
            ("locale", "en"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::from(v)))
        .collect();
        for (k, v) in pairs {
            data.insert((*k).to_owned(), Value::from(*v));
        }
        data
    }

    #[test]
    fn which_answers_are_taken() {
        let pack = pack();
        let unknown_survey = |survey: &str, scene: &str| AnswerRefused::UnknownSurvey {
            survey: survey.into(),
            chapter: "invest".into(),
            scene: scene.into(),
        };
        type Case = (&'static str, Map<String, Value>, Result<&'static str, AnswerRefused>);
        let cases: Vec<Case> = vec![
            ("a good answer", answer(&[]), Ok("study")),
            ("in the default language", answer(&[("locale", "vi")]), Ok("study")),
            ("another answer", answer(&[("option", "tourism")]), Ok("tourism")),
            (
                "an answer the survey lacks",
                answer(&[("option", "golf")]),
                Err(AnswerRefused::UnknownOption { survey: "what-brings-you".into(), option: "golf".into() }),
            ),
            ("another survey", answer(&[("survey", "other")]), Err(unknown_survey("other", "your-visit"))),
            (
                "a scene without a survey",
                answer(&[("scene", "why-now")]),
                Err(unknown_survey("what-brings-you", "why-now")),
            ),
            (
                "a language not offered",
                answer(&[("locale", "ko")]),
                Err(AnswerRefused::UnknownLocale("ko".into())),
            ),
            (
                "not a language",
                answer(&[("locale", "../x")]),
                Err(AnswerRefused::UnknownLocale("../x".into())),
            ),
            (
                "a field missing",
                {
                    let mut d = answer(&[]);
                    d.remove("scene");
                    d
                },
                Err(AnswerRefused::Malformed),
            ),
            (
                "a number for a string",
                {
                    let mut d = answer(&[]);
                    d.insert("option".into(), 2.into());
                    d
                },
                Err(AnswerRefused::Malformed),
            ),
        ];
        for (case, data, expected) in cases {
            let got = Visit::default().answer(&pack, &data).map(|a| a.option);
            assert_eq!(got, expected.map(str::to_owned), "{case}");
        }
    }

    #[test]
    fn one_answer_per_survey_per_visit() {
        let pack = pack();
        let mut visit = Visit::default();
        assert!(!visit.has_answered("what-brings-you"));
        assert!(visit.answer(&pack, &answer(&[])).is_ok());
        assert!(visit.has_answered("what-brings-you"));
        assert_eq!(
            visit.answer(&pack, &answer(&[("option", "tourism")])),
            Err(AnswerRefused::AlreadyAnswered("what-brings-you".into()))
        );
        let mut next_visitor = Visit::default();
        assert!(next_visitor.answer(&pack, &answer(&[("option", "tourism")])).is_ok());
    }

    #[test]
    fn a_batch_keeps_its_other_events_and_answers_in_one_shape() {
        let pack = pack();
        let mut visit = Visit::default();
        let touch = json!({"x": 1}).as_object().cloned().unwrap();
        let batch = vec![
            (EventKind::Touch, touch.clone()),
            (EventKind::SurveyAnswer, answer(&[("extra", "dropped")])),
            (EventKind::SurveyAnswer, answer(&[("option", "tourism")])),
            (EventKind::ChapterView, Map::new()),
        ];
        let kept = admit_answers(batch.clone(), AnswersTaken::Kiosk(&pack), &mut visit);
        assert_eq!(
            kept,
            vec![
                (EventKind::Touch, touch.clone()),
                (EventKind::SurveyAnswer, answer(&[])),
                (EventKind::ChapterView, Map::new())
            ],
            "the second answer in the visit is left out, the extra field too"
        );

        let kept = admit_answers(batch, AnswersTaken::Not("unattended screen"), &mut Visit::default());
        assert_eq!(kept, vec![(EventKind::Touch, touch), (EventKind::ChapterView, Map::new())]);
    }
}
