//! `POST /v1/reports`: a screen's heartbeat and a batch of its outbox, and the
//! server's answer once they are durable.
//!
//! A screen sends [`Report`] with the [`Event`]s it recorded; the server reads
//! the same body as `Report<ReportedEvent>`, whose events keep any kind name and
//! any details, so that what a newer screen reports is kept rather than refused.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::event::{Event, EventKind};

/// The body of `POST /v1/reports`:
/// `{"heartbeat": {...} or null, "events": [{"id", "kind", "at", "data"}]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "wire/")]
pub struct Report<E = Event> {
    /// The device's state now; the server keeps the last one per device.
    #[serde(default)]
    pub heartbeat: Option<Heartbeat>,
    /// Proof-of-play and interaction events.
    #[serde(default = "Vec::new")]
    pub events: Vec<E>,
}

/// What a screen says about itself after every sync round (also a failed one).
///
/// Every field is `null` when the screen does not know it (or is older than the
/// field); a screen sends every key. Fields a newer screen adds are kept in
/// [`Heartbeat::extra`] and travel, and are stored, as they came.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export, export_to = "wire/")]
pub struct Heartbeat {
    /// When, by the device's clock.
    #[ts(type = "string | null")]
    pub at: Option<Timestamp>,
    /// Seconds since the app started.
    #[ts(type = "number | null")]
    pub uptime_s: Option<u64>,
    /// The channel of the active release.
    pub release_channel: Option<String>,
    /// The version of the active release.
    #[ts(type = "number | null")]
    pub release_version: Option<u64>,
    /// Free space of the data folder's disk, in bytes.
    #[ts(type = "number | null")]
    pub free_disk_bytes: Option<u64>,
    /// Why the last sync round failed; `null` after a good one.
    pub last_error: Option<String>,
    /// Sync rounds failed in a row.
    pub failed_rounds: Option<u32>,
    /// The item on screen (`playlist`, `item`, `blob`, `since`), as the app tells it.
    #[ts(type = "unknown")]
    pub current_item: Option<Value>,
    /// The version of the kiosk software.
    pub app_version: Option<String>,
    /// Fields this version does not know, as sent.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Map<String, Value>,
}

/// One event of a report as the server receives it: any kind name (checked
/// only for length) and any JSON as details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "wire/")]
pub struct ReportedEvent {
    /// Unique id given by the device; a repeated id is stored once.
    pub id: String,
    /// What happened: an [`EventKind`] name from screens of this version.
    pub kind: String,
    /// When it happened.
    #[ts(type = "string")]
    pub at: Timestamp,
    /// Details.
    #[serde(default)]
    #[ts(type = "unknown")]
    pub data: Value,
}

impl ReportedEvent {
    /// Its kind, when it is one this version knows.
    pub fn known_kind(&self) -> Option<EventKind> {
        EventKind::parse(&self.kind)
    }
}

impl From<Event> for ReportedEvent {
    fn from(event: Event) -> Self {
        Self {
            id: event.id,
            kind: event.kind.as_str().to_owned(),
            at: event.at,
            data: Value::Object(event.data),
        }
    }
}

/// The answer to a report, sent once its events are durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "wire/")]
pub struct ReportAccepted {
    /// Events accepted (stored now, or before).
    pub accepted: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `kiosk_device::sync_loop::device_heartbeat` and the app's hook send.
    fn device_heartbeat() -> Value {
        serde_json::json!({
            "at": "2026-12-01T10:00:00Z",
            "uptime_s": 120,
            "release_channel": "wtc-booths",
            "release_version": 3,
            "free_disk_bytes": 1_000_000_000u64,
            "last_error": null,
            "failed_rounds": 0,
            "current_item": {"playlist": "day", "item": "film-1", "blob": "ab", "since": "2026-12-01T09:59:00Z"},
            "app_version": "0.1.0",
        })
    }

    #[test]
    fn a_device_s_heartbeat_travels_unchanged() {
        let sent = device_heartbeat();
        let heartbeat: Heartbeat = serde_json::from_value(sent.clone()).unwrap();
        assert_eq!(heartbeat.release_version, Some(3));
        assert_eq!(heartbeat.failed_rounds, Some(0));
        assert!(heartbeat.extra.is_empty());
        assert_eq!(serde_json::to_value(&heartbeat).unwrap(), sent);
    }

    #[test]
    fn a_heartbeat_keeps_fields_it_does_not_know_and_lacks_none() {
        let heartbeat: Heartbeat =
            serde_json::from_value(serde_json::json!({"release_version": 1, "screen_temp_c": 41.5})).unwrap();
        assert_eq!(heartbeat.extra["screen_temp_c"], 41.5);
        let again = serde_json::to_value(&heartbeat).unwrap();
        assert_eq!(again["screen_temp_c"], 41.5);
        assert_eq!(again["release_version"], 1);
        assert!(again.as_object().unwrap().contains_key("last_error"), "every known key, null when unknown");
        assert!(serde_json::from_value::<Heartbeat>(serde_json::json!([1, 2])).is_err());
        assert!(serde_json::from_value::<Heartbeat>(serde_json::json!({"uptime_s": "long"})).is_err());
    }

    #[test]
    fn a_screen_s_report_is_what_the_server_reads() {
        let at = "2026-12-01T10:00:00Z".parse().unwrap();
        let event = Event::new(
            EventKind::ChapterView,
            at,
            serde_json::json!({"chapter": "award"}).as_object().cloned().unwrap(),
        );
        let sent = Report {
            heartbeat: Some(serde_json::from_value(device_heartbeat()).unwrap()),
            events: vec![event.clone()],
        };
        let text = serde_json::to_string(&sent).unwrap();
        let read: Report<ReportedEvent> = serde_json::from_str(&text).unwrap();
        assert_eq!(read.heartbeat, sent.heartbeat);
        assert_eq!(read.events, vec![ReportedEvent::from(event)]);
        assert_eq!(read.events[0].known_kind(), Some(EventKind::ChapterView));
    }

    #[test]
    fn the_server_reads_any_kind_and_any_details_but_no_unknown_field() {
        let read: Report<ReportedEvent> = serde_json::from_str(
            r#"{"events": [{"id": "e-1", "kind": "play", "at": "2026-12-01T10:00:00Z"}]}"#,
        )
        .unwrap();
        assert_eq!(read.heartbeat, None);
        assert_eq!((read.events[0].kind.as_str(), &read.events[0].data), ("play", &Value::Null));
        assert_eq!(read.events[0].known_kind(), None);
        let empty: Report<ReportedEvent> = serde_json::from_str("{}").unwrap();
        assert!(empty.events.is_empty());
        assert!(serde_json::from_str::<Report<ReportedEvent>>(r#"{"events": [], "extra": 1}"#).is_err());
        let extra_in_event =
            r#"{"events": [{"id": "e", "kind": "k", "at": "2026-12-01T10:00:00Z", "x": 1}]}"#;
        assert!(serde_json::from_str::<Report<ReportedEvent>>(extra_in_event).is_err());
    }

    #[test]
    fn the_answer_says_how_many_were_accepted() {
        assert_eq!(
            serde_json::to_value(ReportAccepted { accepted: 2 }).unwrap(),
            serde_json::json!({"accepted": 2})
        );
    }
}
