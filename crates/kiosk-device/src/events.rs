//! Proof of play and interaction events: what the screen showed and what visitors
//! did, kept in the device store as an outbox for the server to collect.
//!
//! Every event gets a unique id when it is recorded, so an upload that is repeated
//! after a cut connection is counted once. An event is committed to SQLite
//! (`synchronous = FULL`) before [`EventRecorder::record`] returns, so whatever the
//! interface was told is recorded survives a power cut or `kill -9`.
//!
//! For measurement the recorder can also append each event as one JSON line to a
//! file (`kiosk --event-log FILE`), with the monotonic milliseconds since start.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use serde_json::{Map, Value};

use crate::clock::DeviceClock;
use crate::store::{BROCHURE_DOWNLOADS_RETENTION, Store, StoreError};

/// The largest `data` an event may carry, as JSON.
pub const MAX_EVENT_DATA_BYTES: usize = 4096;

pub use kiosk_wire::{Event, EventKind, new_event_id};

/// How much an event is worth keeping when the outbox is full: the outbox
/// drops events not yet uploaded of the lowest priority first
/// ([`Store::bound_outbox`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeepPriority {
    /// Touches and brochure downloads: many, and a visitor can make more at will.
    Interaction,
    /// What a visit chose: a language, a chapter, a survey answer.
    Visit,
    /// What the screen showed and when (items' starts and ends, playlist
    /// changes): the proof of play owed to whoever's content it is.
    ProofOfPlay,
}

impl KeepPriority {
    /// Every priority, the first dropped first.
    pub const ALL: [Self; 3] = [Self::Interaction, Self::Visit, Self::ProofOfPlay];
    /// The priority dropped last.
    pub const HIGHEST: Self = Self::ProofOfPlay;

    /// How much an event of `kind` is worth keeping.
    pub fn of(kind: EventKind) -> Self {
        match kind {
            EventKind::Touch | EventKind::BrochureDownload => Self::Interaction,
            EventKind::LanguageChoice | EventKind::ChapterView | EventKind::SurveyAnswer => Self::Visit,
            EventKind::ItemStart | EventKind::ItemEnd | EventKind::PlaylistChange => Self::ProofOfPlay,
        }
    }

    /// The kinds of this priority.
    pub fn kinds(self) -> impl Iterator<Item = EventKind> {
        EventKind::ALL.into_iter().filter(move |kind| Self::of(*kind) == self)
    }
}

/// Why an event was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// The kind is not one of [`EventKind`].
    #[error("unknown event kind {0:?}")]
    UnknownKind(String),
    /// The data is too large.
    #[error("event data is {0} bytes; at most {MAX_EVENT_DATA_BYTES} are kept")]
    TooLarge(usize),
    /// The store refused it.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Records events in the store, and in the event log when there is one.
#[derive(Debug)]
pub struct EventRecorder {
    store: Mutex<Store>,
    log: Option<Mutex<File>>,
    clock: DeviceClock,
    now_playing: Mutex<Option<Value>>,
}

impl EventRecorder {
    /// Records through `store` (its own connection), stamping with `clock`.
    pub fn new(store: Store, clock: DeviceClock) -> Self {
        Self { store: Mutex::new(store), log: None, clock, now_playing: Mutex::new(None) }
    }

    /// Also appends every event to `path` as JSON lines (the file is created or
    /// appended to).
    pub fn with_log_file(mut self, path: &Path) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        self.log = Some(Mutex::new(file));
        Ok(self)
    }

    /// Records a batch in one transaction; returns their ids in order. Nothing of
    /// the batch is kept when any event is refused.
    pub fn record(&self, batch: Vec<(String, Map<String, Value>)>) -> Result<Vec<String>, EventError> {
        let at = self.clock.now();
        let monotonic_ms = self.clock.monotonic_ms();
        let events = batch
            .into_iter()
            .map(|(kind, data)| {
                let kind = EventKind::parse(&kind).ok_or(EventError::UnknownKind(kind))?;
                let size = serde_json::to_vec(&data).map_or(usize::MAX, |b| b.len());
                if size > MAX_EVENT_DATA_BYTES {
                    return Err(EventError::TooLarge(size));
                }
                Ok(Event::new(kind, at, data))
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.store.lock().unwrap_or_else(|p| p.into_inner()).append_events(&events)?;
        self.log_lines(&events, monotonic_ms);
        if let Some(start) = events.iter().rev().find(|e| e.kind == EventKind::ItemStart) {
            let fields = ["playlist", "item", "blob"]
                .map(|k| (k.to_owned(), start.data.get(k).cloned().unwrap_or_default()));
            let item = Value::Object(
                fields.into_iter().chain([("since".to_owned(), serde_json::json!(start.at))]).collect(),
            );
            *self.now_playing.lock().unwrap_or_else(|p| p.into_inner()) = Some(item);
        }
        Ok(events.into_iter().map(|e| e.id).collect())
    }

    /// Appends events already made and stamped (kept elsewhere, or made for a
    /// rehearsal) to the outbox, in one transaction: all or none.
    pub fn append(&self, events: &[Event]) -> Result<(), EventError> {
        self.store.lock().unwrap_or_else(|p| p.into_inner()).append_events(events)?;
        Ok(())
    }

    /// Records that a phone downloaded brochure `brochure_id` in `locale`: the
    /// download and its event for the outbox, together; the store keeps its
    /// downloads within [`BROCHURE_DOWNLOADS_RETENTION`].
    pub fn record_brochure_download(&self, brochure_id: &str, locale: &str) -> Result<(), EventError> {
        let download = crate::store::BrochureDownload {
            brochure_id: brochure_id.to_owned(),
            locale: locale.to_owned(),
            downloaded_at: self.clock.now(),
        };
        self.store
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .record_brochure_download(&download, BROCHURE_DOWNLOADS_RETENTION)?;
        Ok(())
    }

    /// The clock events are stamped by.
    pub fn clock(&self) -> DeviceClock {
        self.clock
    }

    /// The item the player started last (`playlist`, `item`, `blob`, `since`),
    /// for heartbeats.
    pub fn now_playing(&self) -> Option<Value> {
        self.now_playing.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn log_lines(&self, events: &[Event], monotonic_ms: u64) {
        let Some(log) = &self.log else { return };
        let mut text = String::new();
        for event in events {
            let line = serde_json::json!({
                "id": event.id, "kind": event.kind, "at": event.at,
                "monotonic_ms": monotonic_ms, "data": event.data,
            });
            text.push_str(&line.to_string());
            text.push('\n');
        }
        let mut file = log.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(error) = file.write_all(text.as_bytes()).and_then(|()| file.flush()) {
            tracing::warn!(%error, "event log: cannot append");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(pairs: &[(&str, Value)]) -> Map<String, Value> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
    }

    #[test]
    fn records_in_the_store_and_the_log_with_unique_ids() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
        let log = dir.path().join("events.jsonl");
        let recorder = EventRecorder::new(store, DeviceClock::system()).with_log_file(&log).unwrap();
        let ids = recorder
            .record(vec![
                ("item_start".into(), data(&[("item", "film".into())])),
                ("touch".into(), data(&[("x", 10.into())])),
            ])
            .unwrap();
        assert_eq!(ids.len(), 2);
        assert_ne!(ids[0], ids[1]);
        assert_eq!(ids[0].len(), 32);

        let stored = Store::open(&dir.path().join("s.sqlite")).unwrap().pending_events(10).unwrap();
        assert_eq!(stored.iter().map(|e| e.id.clone()).collect::<Vec<_>>(), ids);
        assert_eq!(stored[0].kind, EventKind::ItemStart);
        assert_eq!(stored[0].data["item"], "film");

        let lines = std::fs::read_to_string(&log).unwrap();
        let first: Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
        assert_eq!(first["kind"], "item_start");
        assert!(first["monotonic_ms"].is_u64());
    }

    #[test]
    fn a_bad_event_keeps_nothing_of_its_batch() {
        let dir = tempfile::tempdir().unwrap();
        let recorder =
            EventRecorder::new(Store::open(&dir.path().join("s.sqlite")).unwrap(), DeviceClock::system());
        let err =
            recorder.record(vec![("touch".into(), Map::new()), ("teleport".into(), Map::new())]).unwrap_err();
        assert_eq!(err.to_string(), "unknown event kind \"teleport\"");
        let big = data(&[("x", "y".repeat(MAX_EVENT_DATA_BYTES).into())]);
        assert!(recorder.record(vec![("touch".into(), big)]).unwrap_err().to_string().contains("at most"));
        let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
        assert!(store.pending_events(10).unwrap().is_empty());
    }
}
