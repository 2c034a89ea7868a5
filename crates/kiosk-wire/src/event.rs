//! Proof-of-play and interaction events, as a screen records them in its outbox
//! and sends them in a report: `{"id", "kind", "at", "data"}`.
//!
//! Every event has a unique id from the moment it is recorded, so an upload that
//! is repeated after a cut connection is counted once.

use jiff::Timestamp;
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "wire/")]
pub enum EventKind {
    /// A playlist item began to show (`playlist`, `item`, `kind`, `blob`, `planned_ms`, `gap_ms`).
    ItemStart,
    /// A playlist item ended or was skipped (`actual_ms`, `skip_reason`, `dropped_frames`).
    ItemEnd,
    /// The schedule chose another playlist (`from`, `to`, `reason`).
    PlaylistChange,
    /// A touch on the screen (`screen`, `x`, `y`).
    Touch,
    /// A visitor chose a language (`locale`).
    LanguageChoice,
    /// A visitor opened a chapter (`chapter`, `locale`).
    ChapterView,
    /// A phone downloaded a brochure (`brochure`, `locale`).
    BrochureDownload,
    /// A visitor answered a survey ([`SurveyAnswer`]: `survey`, `option`,
    /// `chapter`, `scene`, `locale`); at most one per survey per visit.
    SurveyAnswer,
}

impl EventKind {
    /// Every kind, in the order above.
    pub const ALL: [Self; 8] = [
        Self::ItemStart,
        Self::ItemEnd,
        Self::PlaylistChange,
        Self::Touch,
        Self::LanguageChoice,
        Self::ChapterView,
        Self::BrochureDownload,
        Self::SurveyAnswer,
    ];

    /// The name stored and sent (`item_start`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ItemStart => "item_start",
            Self::ItemEnd => "item_end",
            Self::PlaylistChange => "playlist_change",
            Self::Touch => "touch",
            Self::LanguageChoice => "language_choice",
            Self::ChapterView => "chapter_view",
            Self::BrochureDownload => "brochure_download",
            Self::SurveyAnswer => "survey_answer",
        }
    }

    /// The kind named `name`; `None` for a name that is not one of them.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One recorded event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "wire/")]
pub struct Event {
    /// Unique: 32 hex digits, random ([`new_event_id`]).
    pub id: String,
    /// What happened.
    pub kind: EventKind,
    /// When, by the device's wall clock.
    #[ts(type = "string")]
    pub at: Timestamp,
    /// The details, a JSON object.
    #[ts(type = "Record<string, unknown>")]
    pub data: Map<String, Value>,
}

impl Event {
    /// A new event with a fresh id.
    pub fn new(kind: EventKind, at: Timestamp, data: Map<String, Value>) -> Self {
        Self { id: new_event_id(), kind, at, data }
    }
}

/// The `data` of a `survey_answer` event: which answer a visitor chose, on which
/// scene, in which language. Every field is an id from the release shown (the
/// survey's, the answer's, the chapter's and the scene's) or a locale tag;
/// counting by `survey` and `option` gives the results.
///
/// ```json
/// {"survey": "what-brings-you", "option": "research", "chapter": "invest",
///  "scene": "your-visit", "locale": "en"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "wire/")]
pub struct SurveyAnswer {
    /// The survey's id.
    pub survey: String,
    /// The id of the answer chosen.
    pub option: String,
    /// The chapter of the scene it was asked on.
    pub chapter: String,
    /// The scene it was asked on.
    pub scene: String,
    /// The language the visitor read it in.
    pub locale: String,
}

impl SurveyAnswer {
    /// The answer read from an event's `data` (fields beyond these five are
    /// ignored); `None` when one is missing or not a string.
    pub fn from_data(data: &Map<String, Value>) -> Option<Self> {
        serde_json::from_value(Value::Object(data.clone())).ok()
    }

    /// The answer as an event's `data`: exactly its five fields.
    pub fn to_data(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(data)) => data,
            _ => unreachable!("a struct of strings serializes to an object"),
        }
    }
}

/// 128 random bits as 32 lowercase hex digits.
pub fn new_event_id() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_named_as_serde_names_them() {
        for kind in EventKind::ALL {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, Value::String(kind.as_str().to_owned()));
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
            assert_eq!(serde_json::from_value::<EventKind>(json).unwrap(), kind);
        }
        assert_eq!(EventKind::parse("play"), None);
        assert_eq!(EventKind::parse("Touch"), None);
    }

    #[test]
    fn a_survey_answer_is_five_strings() {
        let data = serde_json::json!({
            "survey": "what-brings-you", "option": "study", "chapter": "invest",
            "scene": "your-visit", "locale": "en", "extra": 1,
        });
        let answer = SurveyAnswer::from_data(data.as_object().unwrap()).unwrap();
        assert_eq!(answer.option, "study");
        let data = answer.to_data();
        assert_eq!(data.keys().collect::<Vec<_>>(), ["chapter", "locale", "option", "scene", "survey"]);
        assert_eq!(SurveyAnswer::from_data(&data), Some(answer));
        let partial = serde_json::json!({"survey": "s", "option": 3});
        assert_eq!(SurveyAnswer::from_data(partial.as_object().unwrap()), None);
    }

    #[test]
    fn an_event_travels_as_id_kind_at_and_data() {
        let at: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        let data = serde_json::json!({"x": 10, "y": 20}).as_object().cloned().unwrap();
        let event = Event::new(EventKind::Touch, at, data);
        assert_eq!(event.id.len(), 32);
        assert!(event.id.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(event.id, new_event_id(), "ids are random");
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"id": event.id, "kind": "touch", "at": "2026-12-01T10:00:00Z", "data": {"x": 10, "y": 20}})
        );
        assert_eq!(serde_json::from_value::<Event>(json).unwrap(), event);
    }
}
