//! The device's SQLite store: what it trusted and what visitors did.
//!
//! WAL mode, so a reader never blocks the writer and a crash loses nothing that
//! was committed. The schema grows by appending to [`MIGRATIONS`], never by
//! editing a migration that has shipped; `PRAGMA user_version` counts those applied.

use std::path::Path;

use jiff::Timestamp;
use kiosk_core::blob::BlobId;
use kiosk_core::verify::TrustedRelease;
use rusqlite::{Connection, OptionalExtension, params};

use crate::events::{Event, EventKind};

/// The schema, one step per entry, applied in order. Append only.
pub const MIGRATIONS: &[&str] = &[
    // 1: releases trusted per channel, and brochure downloads.
    "CREATE TABLE trusted_releases (
        channel TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        trusted_at TEXT NOT NULL
    );
    CREATE TABLE brochure_downloads (
        id INTEGER PRIMARY KEY,
        brochure_id TEXT NOT NULL,
        locale TEXT NOT NULL,
        downloaded_at TEXT NOT NULL
    );",
    // 2: the outbox of proof-of-play and interaction events.
    "CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        at TEXT NOT NULL,
        data TEXT NOT NULL,
        uploaded_at TEXT
    );
    CREATE INDEX events_pending ON events (seq) WHERE uploaded_at IS NULL;
    CREATE TABLE media_checks (
        sha256 TEXT NOT NULL,
        decoder TEXT NOT NULL,
        refused TEXT,
        checked_at TEXT NOT NULL,
        PRIMARY KEY (sha256, decoder)
    );",
];

/// A failure of the store, naming the operation.
#[derive(Debug, thiserror::Error)]
#[error("device store: {context}: {source}")]
pub struct StoreError {
    context: &'static str,
    source: rusqlite::Error,
}

fn ctx(context: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |source| StoreError { context, source }
}

/// One recorded brochure download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrochureDownload {
    /// The brochure's id.
    pub brochure_id: String,
    /// The language of the PDF.
    pub locale: String,
    /// When.
    pub downloaded_at: Timestamp,
}

/// Whether this machine decodes a film: `refused` holds the reason when not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaCheck {
    /// Why it does not decode; `None` when it does.
    pub refused: Option<String>,
}

/// The open store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path).map_err(ctx("open"))?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(ctx("enable WAL"))?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(ctx("set synchronous"))?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(ctx("set busy timeout"))?;
        let mut store = Self { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let applied: usize = self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(ctx("read schema version"))?;
        if applied > MIGRATIONS.len() {
            return Err(StoreError {
                context: "schema is newer than this program; update the kiosk",
                source: rusqlite::Error::InvalidQuery,
            });
        }
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
            let tx = self.conn.transaction().map_err(ctx("begin migration"))?;
            tx.execute_batch(sql).map_err(ctx("apply migration"))?;
            tx.pragma_update(None, "user_version", index + 1).map_err(ctx("record schema version"))?;
            tx.commit().map_err(ctx("commit migration"))?;
        }
        Ok(())
    }

    /// The newest release trusted on `channel`.
    pub fn trusted_release(&self, channel: &str) -> Result<Option<TrustedRelease>, StoreError> {
        self.conn
            .query_row(
                "SELECT version, manifest_sha256 FROM trusted_releases WHERE channel = ?1",
                [channel],
                |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
            )
            .optional()
            .map_err(ctx("read trusted release"))
            .and_then(|found| {
                found
                    .map(|(version, sha)| {
                        let manifest_sha256 = BlobId::parse(&sha).map_err(|_| StoreError {
                            context: "trusted release has a damaged manifest hash",
                            source: rusqlite::Error::InvalidQuery,
                        })?;
                        Ok(TrustedRelease { version: version as u64, manifest_sha256 })
                    })
                    .transpose()
            })
    }

    /// Records that `release` is trusted on `channel`, if it is newer than what is.
    pub fn trust_release(
        &self,
        channel: &str,
        release: &TrustedRelease,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO trusted_releases (channel, version, manifest_sha256, trusted_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (channel) DO UPDATE SET version = excluded.version,
                   manifest_sha256 = excluded.manifest_sha256, trusted_at = excluded.trusted_at
                 WHERE excluded.version > trusted_releases.version",
                params![channel, release.version as i64, release.manifest_sha256.as_str(), at.to_string()],
            )
            .map(|_| ())
            .map_err(ctx("record trusted release"))
    }

    /// Records a brochure download, and the event for the outbox, together.
    pub(crate) fn record_brochure_download(&mut self, download: &BrochureDownload) -> Result<(), StoreError> {
        let tx = self.conn.transaction().map_err(ctx("record brochure download"))?;
        tx.execute(
            "INSERT INTO brochure_downloads (brochure_id, locale, downloaded_at) VALUES (?1, ?2, ?3)",
            params![download.brochure_id, download.locale, download.downloaded_at.to_string()],
        )
        .map_err(ctx("record brochure download"))?;
        let data = serde_json::json!({ "brochure": download.brochure_id, "locale": download.locale });
        let event = Event::new(
            EventKind::BrochureDownload,
            download.downloaded_at,
            data.as_object().cloned().unwrap_or_default(),
        );
        insert_event(&tx, &event)?;
        tx.commit().map_err(ctx("record brochure download"))
    }

    /// Appends events to the outbox in one transaction: all or none (only
    /// [`crate::events::EventRecorder`] writes to the outbox).
    pub(crate) fn append_events(&mut self, events: &[Event]) -> Result<(), StoreError> {
        let tx = self.conn.transaction().map_err(ctx("record events"))?;
        for event in events {
            insert_event(&tx, event)?;
        }
        tx.commit().map_err(ctx("record events"))
    }

    /// Up to `limit` events not yet uploaded, oldest first.
    pub fn pending_events(&self, limit: usize) -> Result<Vec<Event>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, kind, at, data FROM events WHERE uploaded_at IS NULL ORDER BY seq LIMIT ?1")
            .map_err(ctx("list pending events"))?;
        let rows = stmt
            .query_map([limit as i64], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })
            .map_err(ctx("list pending events"))?;
        let mut events = Vec::new();
        for row in rows {
            let (id, kind, at, data) = row.map_err(ctx("list pending events"))?;
            // A row this program cannot read (written by a newer one) stays for it.
            let (Some(kind), Ok(at), Ok(data)) =
                (EventKind::parse(&kind), at.parse(), serde_json::from_str(&data))
            else {
                tracing::warn!(id, kind, "outbox: an event this version cannot read is left for a newer one");
                continue;
            };
            events.push(Event { id, kind, at, data });
        }
        Ok(events)
    }

    /// Keeps the outbox within `max_events` rows: uploaded events go after
    /// `keep_uploaded` days, then the oldest uploaded ones, and only then, for a
    /// screen offline for very long, the oldest not yet uploaded. Returns how many
    /// not-yet-uploaded events were dropped.
    pub fn bound_outbox(
        &mut self,
        max_events: usize,
        keep_uploaded: jiff::SignedDuration,
        now: Timestamp,
    ) -> Result<usize, StoreError> {
        let tx = self.conn.transaction().map_err(ctx("bound the outbox"))?;
        let cutoff = now.checked_sub(keep_uploaded).unwrap_or(Timestamp::UNIX_EPOCH).to_string();
        tx.execute("DELETE FROM events WHERE uploaded_at IS NOT NULL AND uploaded_at < ?1", [cutoff])
            .map_err(ctx("bound the outbox"))?;
        let count: i64 =
            tx.query_row("SELECT count(*) FROM events", [], |r| r.get(0)).map_err(ctx("bound the outbox"))?;
        let excess = (count - max_events as i64).max(0);
        let mut dropped = 0;
        if excess > 0 {
            let uploaded = tx
                .execute(
                    "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE uploaded_at IS NOT NULL ORDER BY seq LIMIT ?1)",
                    [excess],
                )
                .map_err(ctx("bound the outbox"))? as i64;
            if excess > uploaded {
                dropped = tx
                    .execute(
                        "DELETE FROM events WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT ?1)",
                        [excess - uploaded],
                    )
                    .map_err(ctx("bound the outbox"))?;
            }
        }
        tx.commit().map_err(ctx("bound the outbox"))?;
        if dropped > 0 {
            tracing::warn!(
                dropped,
                max_events,
                "outbox full: the oldest events not yet uploaded were dropped"
            );
        }
        Ok(dropped)
    }

    /// How many events wait to be uploaded.
    pub fn pending_count(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM events WHERE uploaded_at IS NULL", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(ctx("count pending events"))
    }

    /// Marks events as uploaded (acknowledged by the server); unknown ids are ignored.
    pub fn mark_uploaded(&mut self, ids: &[String], at: Timestamp) -> Result<(), StoreError> {
        let tx = self.conn.transaction().map_err(ctx("mark events uploaded"))?;
        for id in ids {
            tx.execute(
                "UPDATE events SET uploaded_at = ?2 WHERE id = ?1 AND uploaded_at IS NULL",
                params![id, at.to_string()],
            )
            .map_err(ctx("mark events uploaded"))?;
        }
        tx.commit().map_err(ctx("mark events uploaded"))
    }

    /// All brochure downloads, oldest first.
    pub fn brochure_downloads(&self) -> Result<Vec<BrochureDownload>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT brochure_id, locale, downloaded_at FROM brochure_downloads ORDER BY id")
            .map_err(ctx("list brochure downloads"))?;
        let rows = stmt
            .query_map([], |row| {
                let at: String = row.get(2)?;
                Ok(BrochureDownload {
                    brochure_id: row.get(0)?,
                    locale: row.get(1)?,
                    downloaded_at: at.parse().unwrap_or(Timestamp::UNIX_EPOCH),
                })
            })
            .map_err(ctx("list brochure downloads"))?;
        rows.collect::<Result<_, _>>().map_err(ctx("list brochure downloads"))
    }
}

impl Store {
    /// The remembered check of `blob` with `decoder`, if any.
    pub fn media_check(&self, blob: &BlobId, decoder: &str) -> Result<Option<MediaCheck>, StoreError> {
        self.conn
            .query_row(
                "SELECT refused FROM media_checks WHERE sha256 = ?1 AND decoder = ?2",
                params![blob.as_str(), decoder],
                |row| Ok(MediaCheck { refused: row.get(0)? }),
            )
            .optional()
            .map_err(ctx("read media check"))
    }

    /// Remembers the check of `blob` with `decoder`, made at `at`.
    pub fn remember_media_check(
        &self,
        blob: &BlobId,
        decoder: &str,
        check: &MediaCheck,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO media_checks (sha256, decoder, refused, checked_at) VALUES (?1, ?2, ?3, ?4)",
                params![blob.as_str(), decoder, check.refused, at.to_string()],
            )
            .map(|_| ())
            .map_err(ctx("remember media check"))
    }
}

fn insert_event(tx: &rusqlite::Transaction<'_>, event: &Event) -> Result<(), StoreError> {
    let data = serde_json::Value::Object(event.data.clone()).to_string();
    tx.execute(
        "INSERT INTO events (id, kind, at, data) VALUES (?1, ?2, ?3, ?4)",
        params![event.id, event.kind.as_str(), event.at.to_string(), data],
    )
    .map(|_| ())
    .map_err(ctx("record event"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_keeps_data_across_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.sqlite");
        let at = Timestamp::from_second(1_700_000_000).unwrap();
        {
            let mut store = Store::open(&path).unwrap();
            store
                .record_brochure_download(&BrochureDownload {
                    brochure_id: "invest-guide".into(),
                    locale: "en".into(),
                    downloaded_at: at,
                })
                .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let version: usize = store.conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, MIGRATIONS.len());
        let mode: String = store.conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(store.brochure_downloads().unwrap()[0].downloaded_at, at);
        let events = store.pending_events(10).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, EventKind::BrochureDownload);
        assert_eq!(events[0].data["brochure"], "invest-guide");
    }

    #[test]
    fn the_outbox_stays_bounded_dropping_uploaded_events_first() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
        let day = jiff::SignedDuration::from_hours(24);
        let now: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
        let events: Vec<Event> =
            (0..10).map(|_| Event::new(EventKind::Touch, now, serde_json::Map::new())).collect();
        store.append_events(&events).unwrap();
        let old: Vec<String> = events[..3].iter().map(|e| e.id.clone()).collect();
        store.mark_uploaded(&old, now.checked_sub(day * 40).unwrap()).unwrap();
        store.mark_uploaded(&[events[3].id.clone()], now).unwrap();

        // Uploaded 40 days ago: gone; within bounds otherwise.
        assert_eq!(store.bound_outbox(100, day * 30, now).unwrap(), 0);
        let count =
            |s: &Store| s.conn.query_row("SELECT count(*) FROM events", [], |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(count(&store), 7);
        // Over the bound: the uploaded one goes first, then the oldest pending.
        assert_eq!(store.bound_outbox(5, day * 30, now).unwrap(), 1);
        let pending: Vec<String> = store.pending_events(10).unwrap().into_iter().map(|e| e.id).collect();
        assert_eq!(pending, events[5..].iter().map(|e| e.id.clone()).collect::<Vec<_>>());
    }

    #[test]
    fn uploaded_events_leave_the_outbox_and_ids_stay_unique() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
        let at = Timestamp::UNIX_EPOCH;
        let events: Vec<Event> =
            (0..3).map(|_| Event::new(EventKind::Touch, at, serde_json::Map::new())).collect();
        store.append_events(&events).unwrap();
        assert_eq!(store.pending_events(2).unwrap(), events[..2].to_vec());
        store.mark_uploaded(&[events[0].id.clone(), "unknown".into()], at).unwrap();
        assert_eq!(store.pending_events(10).unwrap(), events[1..].to_vec());
        // The same event twice is refused, and the whole batch with it.
        let again = vec![Event::new(EventKind::Touch, at, serde_json::Map::new()), events[1].clone()];
        assert!(store.append_events(&again).is_err());
        assert_eq!(store.pending_events(10).unwrap().len(), 2);
    }

    #[test]
    fn trust_only_moves_forward() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
        let at = Timestamp::UNIX_EPOCH;
        let release = |version| TrustedRelease { version, manifest_sha256: BlobId::of(&[version as u8]) };
        assert_eq!(store.trusted_release("c").unwrap(), None);
        store.trust_release("c", &release(5), at).unwrap();
        store.trust_release("c", &release(3), at).unwrap();
        assert_eq!(store.trusted_release("c").unwrap(), Some(release(5)));
        store.trust_release("c", &release(7), at).unwrap();
        assert_eq!(store.trusted_release("c").unwrap(), Some(release(7)));
        assert_eq!(store.trusted_release("other").unwrap(), None);
    }

    #[test]
    fn refuses_a_store_from_a_newer_program() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
        let err = Store::open(&path).unwrap_err().to_string();
        assert!(err.contains("newer than this program"), "{err}");
    }
}
