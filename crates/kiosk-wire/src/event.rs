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
}

impl EventKind {
    /// Every kind, in the order above.
    pub const ALL: [Self; 7] = [
        Self::ItemStart,
        Self::ItemEnd,
        Self::PlaylistChange,
        Self::Touch,
        Self::LanguageChoice,
        Self::ChapterView,
        Self::BrochureDownload,
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
