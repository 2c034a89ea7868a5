//! The device's SQLite store: what it trusted and what visitors did.
//!
//! WAL mode, so a reader never blocks the writer and a crash loses nothing that
//! was committed. The schema grows by appending to [`MIGRATIONS`], never by
//! editing a migration that has shipped; `PRAGMA user_version` counts those applied.
//! At start a store this program cannot use (not SQLite, damaged, or newer) is
//! kept aside and a fresh one made ([`Store::set_aside_if_unusable`]): what it
//! held is lost to the screen, its content is not.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use kiosk_core::blob::BlobId;
use kiosk_core::verify::TrustedRelease;
use rusqlite::{Connection, OptionalExtension, params};

use crate::events::{Event, EventKind, KeepPriority};

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
    // 3: which key signed the release trusted per channel.
    "ALTER TABLE trusted_releases ADD COLUMN signed_by TEXT;",
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

/// How many brochure downloads the store keeps, and for how long: older ones,
/// and the oldest beyond the count, go as each new one is recorded (the
/// outbox carries each download to the server as an event of its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DownloadRetention {
    /// The most downloads kept.
    pub max_downloads: usize,
    /// How long a download is kept.
    pub keep: jiff::SignedDuration,
}

/// The brochure downloads a screen keeps: the last 90 days, at most 50,000.
pub const BROCHURE_DOWNLOADS_RETENTION: DownloadRetention =
    DownloadRetention { max_downloads: 50_000, keep: jiff::SignedDuration::from_hours(24 * 90) };

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

    /// Start-up: a store file this program cannot use (not an SQLite
    /// database, damaged, or from a newer program) is renamed aside as
    /// `<file>.broken-<time>` or `<file>.newer-<time>`, with its journal, and
    /// logged with both names and the reason, so that a fresh store is made
    /// and the screen plays on. Returns the name it was kept under. A store
    /// that is only busy, or that cannot be looked at, is left alone.
    pub fn set_aside_if_unusable(path: &Path, now: Timestamp) -> Option<PathBuf> {
        let unusable = unusable(path)?;
        let stamp = now.strftime("%Y%m%dT%H%M%SZ");
        let suffix = match unusable {
            Unusable::Newer { .. } => "newer",
            Unusable::Broken(_) => "broken",
        };
        let mut aside = path.as_os_str().to_owned();
        aside.push(format!(".{suffix}-{stamp}"));
        let aside = PathBuf::from(aside);
        let moved = std::fs::rename(path, &aside).and_then(|()| {
            for journal in ["-wal", "-shm"] {
                let (mut from, mut to) = (path.as_os_str().to_owned(), aside.as_os_str().to_owned());
                from.push(journal);
                to.push(journal);
                match std::fs::rename(&from, &to) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
            }
            crate::durable::sync_dir(path.parent().unwrap_or(Path::new(".")))
        });
        match moved {
            Ok(()) => {
                tracing::error!(
                    store = %path.display(),
                    kept_as = %aside.display(),
                    reason = %unusable,
                    "the store cannot be used; it is kept aside and a fresh one is made"
                );
                Some(aside)
            }
            Err(error) => {
                tracing::error!(store = %path.display(), reason = %unusable, %error, "the unusable store could not be set aside");
                None
            }
        }
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
                "SELECT version, manifest_sha256, signed_by FROM trusted_releases WHERE channel = ?1",
                [channel],
                |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, Option<String>>(2)?)),
            )
            .optional()
            .map_err(ctx("read trusted release"))
            .and_then(|found| {
                found
                    .map(|(version, sha, signed_by)| {
                        let manifest_sha256 = BlobId::parse(&sha).map_err(|_| StoreError {
                            context: "trusted release has a damaged manifest hash",
                            source: rusqlite::Error::InvalidQuery,
                        })?;
                        Ok(TrustedRelease { version: version as u64, manifest_sha256, signed_by })
                    })
                    .transpose()
            })
    }

    /// Records that `release` is trusted on `channel`, if it is newer than what
    /// is or signed by another key (one that passed the rollback rule only
    /// because the key of the release before is no longer pinned).
    pub fn trust_release(
        &self,
        channel: &str,
        release: &TrustedRelease,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO trusted_releases (channel, version, manifest_sha256, trusted_at, signed_by)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (channel) DO UPDATE SET version = excluded.version,
                   manifest_sha256 = excluded.manifest_sha256, trusted_at = excluded.trusted_at,
                   signed_by = excluded.signed_by
                 WHERE excluded.version > trusted_releases.version
                   OR trusted_releases.signed_by IS NOT excluded.signed_by",
                params![
                    channel,
                    release.version as i64,
                    release.manifest_sha256.as_str(),
                    at.to_string(),
                    release.signed_by
                ],
            )
            .map(|_| ())
            .map_err(ctx("record trusted release"))
    }

    /// Records a brochure download, and the event for the outbox, together;
    /// the downloads kept beyond `retention` go in the same transaction.
    pub(crate) fn record_brochure_download(
        &mut self,
        download: &BrochureDownload,
        retention: DownloadRetention,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction().map_err(ctx("record brochure download"))?;
        tx.execute(
            "INSERT INTO brochure_downloads (brochure_id, locale, downloaded_at) VALUES (?1, ?2, ?3)",
            params![download.brochure_id, download.locale, download.downloaded_at.to_string()],
        )
        .map_err(ctx("record brochure download"))?;
        let cutoff = download.downloaded_at.checked_sub(retention.keep).unwrap_or(Timestamp::UNIX_EPOCH);
        tx.execute("DELETE FROM brochure_downloads WHERE downloaded_at < ?1", [cutoff.to_string()])
            .map_err(ctx("prune brochure downloads"))?;
        tx.execute(
            "DELETE FROM brochure_downloads WHERE id <= (SELECT max(id) FROM brochure_downloads) - ?1",
            [retention.max_downloads as i64],
        )
        .map_err(ctx("prune brochure downloads"))?;
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
    /// screen offline for very long, events not yet uploaded, the least worth
    /// keeping first ([`KeepPriority`]: touches and brochure downloads, then
    /// visits, proof of play last), the oldest first within one priority.
    /// Returns how many not-yet-uploaded events were dropped.
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
        let mut excess = (count - max_events as i64).max(0) as usize;
        if excess > 0 {
            excess -= tx
                .execute(
                    "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE uploaded_at IS NOT NULL ORDER BY seq LIMIT ?1)",
                    [excess as i64],
                )
                .map_err(ctx("bound the outbox"))?;
        }
        // Pending events dropped, per priority, the least worth keeping first.
        let mut dropped = [0; KeepPriority::ALL.len()];
        for (priority, dropped) in KeepPriority::ALL.into_iter().zip(&mut dropped) {
            if excess == 0 {
                break;
            }
            *dropped = drop_oldest_pending(&tx, priority, excess)?;
            excess -= *dropped;
        }
        tx.commit().map_err(ctx("bound the outbox"))?;
        let [interactions, visits, proof_of_play] = dropped;
        let total = interactions + visits + proof_of_play;
        if total > 0 {
            tracing::warn!(
                interactions,
                visits,
                proof_of_play,
                max_events,
                "outbox full: events not yet uploaded were dropped, the least worth keeping first"
            );
        }
        Ok(total)
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

/// Why a store file cannot be used.
#[derive(Debug, thiserror::Error)]
enum Unusable {
    /// Not an SQLite database, or a damaged one.
    #[error("{0}")]
    Broken(String),
    /// Made by a newer program.
    #[error("its schema version {found} is newer than this program's {known}")]
    Newer { found: usize, known: usize },
}

/// Why the store file at `path` cannot be used, if it exists and cannot.
fn unusable(path: &Path) -> Option<Unusable> {
    use std::io::Read;
    // The header first, so that a file that is not SQLite is kept untouched.
    let mut header = Vec::new();
    match std::fs::File::open(path).and_then(|f| f.take(16).read_to_end(&mut header)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(error) => {
            tracing::warn!(store = %path.display(), %error, "the store cannot be checked");
            return None;
        }
        // An empty file is an empty database to SQLite.
        Ok(_) if header.is_empty() => return None,
        Ok(_) if header != b"SQLite format 3\0" => {
            return Some(Unusable::Broken("not an SQLite database".into()));
        }
        Ok(_) => {}
    }
    let broken = |error: &rusqlite::Error| match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            Some(Unusable::Broken(format!("not an SQLite database ({error})")))
        }
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => Some(Unusable::Broken(format!("damaged ({error})"))),
        _ => None,
    };
    let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
        .inspect_err(|error| tracing::warn!(store = %path.display(), %error, "the store cannot be checked"))
        .ok()?;
    conn.busy_timeout(std::time::Duration::from_secs(5)).ok()?;
    let check: Result<Vec<String>, rusqlite::Error> = conn
        .prepare("PRAGMA quick_check")
        .and_then(|mut stmt| stmt.query_map([], |row| row.get(0))?.collect());
    match check {
        Ok(lines) if lines == ["ok"] => {}
        Ok(lines) => {
            let first: Vec<&str> = lines.iter().take(3).map(String::as_str).collect();
            return Some(Unusable::Broken(format!("damaged: {}", first.join("; "))));
        }
        Err(error) => return broken(&error),
    }
    let found: usize = match conn.pragma_query_value(None, "user_version", |row| row.get(0)) {
        Ok(found) => found,
        Err(error) => return broken(&error),
    };
    (found > MIGRATIONS.len()).then_some(Unusable::Newer { found, known: MIGRATIONS.len() })
}

/// Drops up to `limit` pending events of `priority`, the oldest first, and
/// returns how many went. The highest priority also holds the kinds this
/// program does not know (written by a newer one), so nothing escapes the bound.
fn drop_oldest_pending(
    tx: &rusqlite::Transaction<'_>,
    priority: KeepPriority,
    limit: usize,
) -> Result<usize, StoreError> {
    let (operator, kinds): (&str, Vec<&str>) = if priority == KeepPriority::HIGHEST {
        let lower = EventKind::ALL.into_iter().filter(|kind| KeepPriority::of(*kind) < priority);
        ("NOT IN", lower.map(EventKind::as_str).collect())
    } else {
        ("IN", priority.kinds().map(EventKind::as_str).collect())
    };
    let placeholders = vec!["?"; kinds.len()].join(", ");
    let sql = format!(
        "DELETE FROM events WHERE seq IN (SELECT seq FROM events \
         WHERE uploaded_at IS NULL AND kind {operator} ({placeholders}) ORDER BY seq LIMIT {limit})"
    );
    tx.execute(&sql, rusqlite::params_from_iter(kinds)).map_err(ctx("bound the outbox"))
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
                .record_brochure_download(
                    &BrochureDownload {
                        brochure_id: "invest-guide".into(),
                        locale: "en".into(),
                        downloaded_at: at,
                    },
                    BROCHURE_DOWNLOADS_RETENTION,
                )
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

    fn ids(events: &[Event]) -> Vec<String> {
        events.iter().map(|e| e.id.clone()).collect()
    }

    fn events(kind: EventKind, n: usize, at: Timestamp) -> Vec<Event> {
        (0..n).map(|_| Event::new(kind, at, serde_json::Map::new())).collect()
    }

    #[test]
    fn a_flood_of_brochure_downloads_never_drops_proof_of_play_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.sqlite");
        let day = jiff::SignedDuration::from_hours(24);
        let now: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
        let mut store = Store::open(&path).unwrap();
        let uploaded = events(EventKind::Touch, 3, now);
        store.append_events(&uploaded).unwrap();
        store.mark_uploaded(&ids(&uploaded), now).unwrap();
        let plays: Vec<Event> = (0..10)
            .flat_map(|_| [EventKind::ItemStart, EventKind::ItemEnd])
            .map(|kind| Event::new(kind, now, serde_json::Map::new()))
            .collect();
        store.append_events(&plays).unwrap();
        let visits = events(EventKind::ChapterView, 5, now);
        store.append_events(&visits).unwrap();
        let flood = events(EventKind::BrochureDownload, 1_000, now);
        store.append_events(&flood).unwrap();
        for _ in 0..2 {
            let download =
                BrochureDownload { brochure_id: "guide".into(), locale: "en".into(), downloaded_at: now };
            store.record_brochure_download(&download, BROCHURE_DOWNLOADS_RETENTION).unwrap();
        }
        drop(store);

        // 1,030 events, 100 allowed: the uploaded ones go, then the oldest
        // brochure downloads; every proof of play and every visit stays.
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.bound_outbox(100, day * 30, now).unwrap(), 927);
        let kept = Store::open(&path).unwrap().pending_events(1_000).unwrap();
        assert_eq!(kept.len(), 100);
        assert_eq!(ids(&kept[..20]), ids(&plays), "proof of play survives the flood");
        assert_eq!(ids(&kept[20..25]), ids(&visits));
        assert_eq!(ids(&kept[25..98]), ids(&flood[927..]), "the newest downloads stay");
        assert!(kept[98..].iter().all(|e| e.kind == EventKind::BrochureDownload));

        // Tighter still: the downloads, then the visits, and only then the
        // oldest proof of play.
        assert_eq!(store.bound_outbox(10, day * 30, now).unwrap(), 90);
        assert_eq!(ids(&store.pending_events(1_000).unwrap()), ids(&plays[10..]));
    }

    #[test]
    fn kinds_unknown_to_this_program_are_bounded_with_proof_of_play() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
        let now: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
        for n in 0..3 {
            store
                .conn
                .execute(
                    "INSERT INTO events (id, kind, at, data) VALUES (?1, 'hologram_view', ?2, '{}')",
                    params![format!("future-{n}"), now.to_string()],
                )
                .unwrap();
        }
        let plays = events(EventKind::ItemStart, 2, now);
        store.append_events(&plays).unwrap();
        let touches = events(EventKind::Touch, 2, now);
        store.append_events(&touches).unwrap();
        assert_eq!(store.bound_outbox(2, jiff::SignedDuration::from_hours(24), now).unwrap(), 5);
        // The touches first, then the oldest of the rest, whatever their kind.
        let rows: i64 = store.conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap();
        assert_eq!(rows, 2);
        assert_eq!(ids(&store.pending_events(10).unwrap()), ids(&plays));
    }

    #[test]
    fn brochure_downloads_are_kept_within_their_retention() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
        let day = jiff::SignedDuration::from_hours(24);
        let now: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
        let retention = DownloadRetention { max_downloads: 3, keep: day * 90 };
        let record = |store: &mut Store, id: &str, at: Timestamp| {
            let download =
                BrochureDownload { brochure_id: id.into(), locale: "vi".into(), downloaded_at: at };
            store.record_brochure_download(&download, retention).unwrap();
        };
        let kept = |store: &Store| -> Vec<String> {
            store.brochure_downloads().unwrap().into_iter().map(|d| d.brochure_id).collect()
        };
        record(&mut store, "last-winter", now - day * 100);
        record(&mut store, "last-month", now - day * 30);
        assert_eq!(kept(&store), ["last-winter", "last-month"], "within 90 days of the newest");
        record(&mut store, "today", now);
        assert_eq!(kept(&store), ["last-month", "today"], "older than 90 days: gone");
        for n in 0..5 {
            record(&mut store, &format!("visitor-{n}"), now);
        }
        assert_eq!(kept(&store), ["visitor-2", "visitor-3", "visitor-4"], "at most 3, the newest");
        // Each download still went to the outbox.
        assert_eq!(store.pending_count().unwrap(), 8);
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
        let release = |version| TrustedRelease {
            version,
            manifest_sha256: BlobId::of(&[version as u8]),
            signed_by: Some("k1".into()),
        };
        assert_eq!(store.trusted_release("c").unwrap(), None);
        store.trust_release("c", &release(5), at).unwrap();
        store.trust_release("c", &release(3), at).unwrap();
        assert_eq!(store.trusted_release("c").unwrap(), Some(release(5)));
        store.trust_release("c", &release(7), at).unwrap();
        assert_eq!(store.trusted_release("c").unwrap(), Some(release(7)));
        assert_eq!(store.trusted_release("other").unwrap(), None);
        let rotated = TrustedRelease { signed_by: Some("k2".into()), ..release(1) };
        store.trust_release("c", &rotated, at).unwrap();
        assert_eq!(store.trusted_release("c").unwrap(), Some(rotated), "a new key's first release");
    }

    fn aside_files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.contains(".broken-") || name.contains(".newer-"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_store_that_is_not_sqlite_is_set_aside_and_made_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.sqlite");
        std::fs::write(&path, b"this is not a database, it is a much longer text than a header").unwrap();
        std::fs::write(dir.path().join("kiosk.sqlite-wal"), b"journal").unwrap();
        let at: Timestamp = "2026-12-07T04:30:00Z".parse().unwrap();
        let aside = Store::set_aside_if_unusable(&path, at).expect("set aside");
        assert_eq!(aside, dir.path().join("kiosk.sqlite.broken-20261207T043000Z"));
        assert_eq!(
            aside_files(dir.path()),
            ["kiosk.sqlite.broken-20261207T043000Z", "kiosk.sqlite.broken-20261207T043000Z-wal"]
        );
        assert!(std::fs::read(&aside).unwrap().starts_with(b"this is not a database"), "kept as it was");
        assert!(!path.exists());
        Store::open(&path).unwrap().pending_count().unwrap();
        assert_eq!(Store::set_aside_if_unusable(&path, at), None, "a good store stays");
    }

    #[test]
    fn a_damaged_store_is_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.sqlite");
        {
            let mut store = Store::open(&path).unwrap();
            let events: Vec<Event> = (0..500)
                .map(|_| Event::new(EventKind::Touch, Timestamp::UNIX_EPOCH, serde_json::Map::new()))
                .collect();
            store.append_events(&events).unwrap();
            store.conn.pragma_update(None, "wal_checkpoint", "TRUNCATE").unwrap();
        }
        // Garbage over every page but the first (the header and schema).
        let mut bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() > 3 * 4096, "several pages");
        for byte in &mut bytes[4096..] {
            *byte = 0x5a;
        }
        std::fs::write(&path, bytes).unwrap();
        let aside = Store::set_aside_if_unusable(&path, Timestamp::UNIX_EPOCH).expect("set aside");
        assert!(
            aside.to_string_lossy().ends_with("kiosk.sqlite.broken-19700101T000000Z"),
            "{}",
            aside.display()
        );
        assert_eq!(Store::open(&path).unwrap().pending_count().unwrap(), 0, "a fresh store");
    }

    #[test]
    fn a_store_from_a_newer_program_is_set_aside_as_newer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.sqlite");
        Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
        let aside = Store::set_aside_if_unusable(&path, Timestamp::UNIX_EPOCH).expect("set aside");
        assert_eq!(aside, dir.path().join("kiosk.sqlite.newer-19700101T000000Z"));
        let kept: usize =
            Connection::open(&aside).unwrap().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(kept, 99, "the newer program's store is kept whole");
        Store::open(&path).unwrap();
    }

    #[test]
    fn no_store_yet_is_nothing_to_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            Store::set_aside_if_unusable(&dir.path().join("kiosk.sqlite"), Timestamp::UNIX_EPOCH),
            None
        );
        assert!(aside_files(dir.path()).is_empty());
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
