//! The embedded [`Database`]: one SQLite file in the data folder.
//!
//! WAL mode with `synchronous = FULL`, so whatever was committed survives a power
//! cut. The schema grows by appending to [`MIGRATIONS`], never by editing a
//! migration that has shipped; `PRAGMA user_version` counts those applied.
//! One connection behind a mutex, used from blocking threads ([`SqliteDb::call`]).

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, params};

use crate::clock::Clock;
use crate::db::*;
use crate::reports::Counting;
use crate::reports::sqlite::{count_event, credit_uptime, rebuild_if_needed};

/// The schema, one step per entry, applied in order. Append only.
pub const MIGRATIONS: &[&str] = &[
    // 1: channels, their releases, enrolment, devices and their reports.
    "CREATE TABLE channels (
        name TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
    );
    CREATE TABLE releases (
        channel TEXT NOT NULL REFERENCES channels (name),
        version INTEGER NOT NULL,
        manifest BLOB NOT NULL,
        signature BLOB NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (channel, version)
    );
    CREATE TABLE release_blobs (
        channel TEXT NOT NULL,
        version INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        media_type TEXT NOT NULL,
        PRIMARY KEY (channel, sha256, version)
    );
    CREATE TABLE enrolment_codes (
        code_sha256 TEXT PRIMARY KEY,
        channel TEXT NOT NULL REFERENCES channels (name),
        created_at TEXT NOT NULL,
        used_at TEXT
    );
    CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        channel TEXT NOT NULL REFERENCES channels (name),
        token_sha256 TEXT NOT NULL UNIQUE,
        enrolled_at TEXT NOT NULL,
        last_heartbeat_at TEXT,
        heartbeat TEXT
    );
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES devices (id),
        kind TEXT NOT NULL,
        at TEXT NOT NULL,
        data TEXT NOT NULL,
        received_at TEXT NOT NULL
    );
    CREATE INDEX events_by_device ON events (device_id, at);",
    // 2: signed emergency messages (and their withdrawals), newest last; events by time.
    "CREATE TABLE emergencies (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        channel TEXT NOT NULL REFERENCES channels (name),
        message BLOB NOT NULL,
        signature BLOB NOT NULL,
        issued_at TEXT NOT NULL
    );
    CREATE INDEX emergencies_by_channel ON emergencies (channel, seq);
    CREATE INDEX events_by_time ON events (at);",
    // 3: what probing a film or a sound found, per decoder version.
    "CREATE TABLE blob_probes (
        sha256 TEXT NOT NULL,
        decoder TEXT NOT NULL,
        probe TEXT,
        error TEXT,
        PRIMARY KEY (sha256, decoder)
    );",
    // 4: only probes that decoded are kept (a failure is tried again, with a
    // decoder installed since). Reads only the columns both shapes of version 3
    // have: the one above, and `probe TEXT NOT NULL` without `error`, which an
    // edited form of migration 3 made on some installs.
    "CREATE TABLE blob_probes_decoded (
        sha256 TEXT NOT NULL,
        decoder TEXT NOT NULL,
        probe TEXT NOT NULL,
        PRIMARY KEY (sha256, decoder)
    );
    INSERT INTO blob_probes_decoded (sha256, decoder, probe)
        SELECT sha256, decoder, probe FROM blob_probes WHERE probe IS NOT NULL;
    DROP TABLE blob_probes;
    ALTER TABLE blob_probes_decoded RENAME TO blob_probes;",
    // 5: the staff console: staff and their roles, sessions, the audit log
    // (append-only: the database itself refuses to change or delete a line),
    // the media library, uploads in progress and each channel's draft.
    "CREATE TABLE users (
        name TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        is_admin INTEGER NOT NULL,
        roles TEXT NOT NULL,
        created_at TEXT NOT NULL,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT
    );
    CREATE TABLE sessions (
        id_sha256 TEXT PRIMARY KEY,
        user TEXT NOT NULL REFERENCES users (name),
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        channel TEXT,
        detail TEXT NOT NULL,
        remote TEXT
    );
    CREATE INDEX audit_by_channel ON audit (channel, id);
    CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TABLE media (
        sha256 TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        media_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        width INTEGER,
        height INTEGER,
        duration_ms INTEGER,
        has_audio INTEGER NOT NULL,
        uploaded_by TEXT NOT NULL,
        uploaded_at TEXT NOT NULL,
        thumbnail BLOB
    );
    CREATE TABLE uploads (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        owner TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE drafts (
        channel TEXT PRIMARY KEY REFERENCES channels (name),
        revision INTEGER NOT NULL,
        base_version INTEGER NOT NULL,
        state TEXT NOT NULL,
        content TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        submitted_by TEXT,
        submitted_at TEXT,
        note TEXT,
        editors TEXT NOT NULL
    );
    CREATE TABLE api_tokens (
        name TEXT PRIMARY KEY,
        token_sha256 TEXT NOT NULL UNIQUE,
        roles TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
    );",
    // 6: the fleet view: where each screen stands, and screens that went quiet.
    "ALTER TABLE devices ADD COLUMN location TEXT;
    CREATE TABLE fleet_alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        device TEXT NOT NULL REFERENCES devices (id),
        kind TEXT NOT NULL,
        since TEXT,
        raised_at TEXT NOT NULL,
        cleared_at TEXT,
        notified_at TEXT
    );
    CREATE UNIQUE INDEX fleet_alerts_one_open ON fleet_alerts (device, kind) WHERE cleared_at IS NULL;",
    // 7: reports: when each event happened by the server's clock, the daily
    // counts per channel and per screen kept as events arrive, each screen's
    // up time per day, the zone days are counted in, and the country a screen
    // stands in. Per screen the counts are also kept per month, so a report
    // over months reads a row per screen and month rather than per day. The counts are filled from the events on the next start.
    "ALTER TABLE events ADD COLUMN counted_at TEXT;
    ALTER TABLE devices ADD COLUMN country TEXT;
    CREATE TABLE daily_counts (
        kind TEXT NOT NULL,
        day TEXT NOT NULL,
        channel TEXT NOT NULL,
        subject TEXT NOT NULL,
        variant TEXT NOT NULL,
        locale TEXT NOT NULL,
        count INTEGER NOT NULL,
        ms INTEGER NOT NULL,
        planned_ms INTEGER NOT NULL,
        PRIMARY KEY (kind, day, channel, subject, variant, locale)
    ) WITHOUT ROWID;
    CREATE TABLE daily_screen_counts (
        kind TEXT NOT NULL,
        day TEXT NOT NULL,
        device TEXT NOT NULL,
        subject TEXT NOT NULL,
        variant TEXT NOT NULL,
        count INTEGER NOT NULL,
        ms INTEGER NOT NULL,
        planned_ms INTEGER NOT NULL,
        PRIMARY KEY (kind, day, device, subject, variant)
    ) WITHOUT ROWID;
    CREATE TABLE monthly_screen_counts (
        kind TEXT NOT NULL,
        month TEXT NOT NULL,
        device TEXT NOT NULL,
        subject TEXT NOT NULL,
        variant TEXT NOT NULL,
        count INTEGER NOT NULL,
        ms INTEGER NOT NULL,
        planned_ms INTEGER NOT NULL,
        PRIMARY KEY (kind, month, device, subject, variant)
    ) WITHOUT ROWID;
    CREATE TABLE daily_uptime (
        device TEXT NOT NULL,
        day TEXT NOT NULL,
        online_s INTEGER NOT NULL,
        PRIMARY KEY (device, day)
    ) WITHOUT ROWID;
    CREATE TABLE report_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );",
    // 8: screenshots of screens: the requests staff made (answered once), and
    // each device's newest screenshots with their PNG (see `screenshots`).
    "CREATE TABLE screenshot_requests (
        id TEXT PRIMARY KEY,
        device TEXT NOT NULL REFERENCES devices (id),
        asked_by TEXT NOT NULL,
        asked_at TEXT NOT NULL,
        answered_at TEXT
    );
    CREATE INDEX screenshot_requests_by_device ON screenshot_requests (device);
    CREATE TABLE screenshots (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        device TEXT NOT NULL REFERENCES devices (id),
        request TEXT NOT NULL,
        taken_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        png BLOB NOT NULL
    );
    CREATE INDEX screenshots_by_device ON screenshots (device, id);",
    // 9: reports read less: each day's chart series per channel, and the
    // channel counts per month; per screen an item is played or skipped (the
    // reason stays in the channel counts). Everything is recounted from the
    // events at the next start.
    "CREATE TABLE daily_series (
        kind TEXT NOT NULL,
        day TEXT NOT NULL,
        channel TEXT NOT NULL,
        series TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (kind, day, channel, series)
    ) WITHOUT ROWID;
    CREATE TABLE monthly_counts (
        kind TEXT NOT NULL,
        month TEXT NOT NULL,
        channel TEXT NOT NULL,
        subject TEXT NOT NULL,
        variant TEXT NOT NULL,
        locale TEXT NOT NULL,
        count INTEGER NOT NULL,
        ms INTEGER NOT NULL,
        planned_ms INTEGER NOT NULL,
        PRIMARY KEY (kind, month, channel, subject, variant, locale)
    ) WITHOUT ROWID;
    DELETE FROM report_meta WHERE key = 'zone';",
    // 10: device tokens expire and can be revoked; a renewed token's
    // predecessor may only renew again, until the new one is first used;
    // enrolment codes expire (codes made before this have no expiry and count
    // as expired: an admin makes new ones); an event id is unique per device,
    // not across the fleet. Tokens made before this get their expiry when
    // first used.
    "ALTER TABLE devices ADD COLUMN token_expires_at TEXT;
    ALTER TABLE devices ADD COLUMN token_revoked_at TEXT;
    ALTER TABLE devices ADD COLUMN previous_token_sha256 TEXT;
    CREATE UNIQUE INDEX devices_by_previous_token ON devices (previous_token_sha256);
    ALTER TABLE enrolment_codes ADD COLUMN expires_at TEXT;
    CREATE TABLE events_per_device (
        device_id TEXT NOT NULL REFERENCES devices (id),
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        at TEXT NOT NULL,
        data TEXT NOT NULL,
        received_at TEXT NOT NULL,
        counted_at TEXT,
        PRIMARY KEY (device_id, id)
    );
    INSERT INTO events_per_device (device_id, id, kind, at, data, received_at, counted_at)
        SELECT device_id, id, kind, at, data, received_at, counted_at FROM events;
    DROP TABLE events;
    ALTER TABLE events_per_device RENAME TO events;
    CREATE INDEX events_by_device ON events (device_id, at);
    CREATE INDEX events_by_time ON events (at);",
];

pub(crate) fn ctx(context: &'static str) -> impl FnOnce(rusqlite::Error) -> DbError {
    move |source| DbError { context, source: Box::new(source) }
}

/// The time now by `clock`, as stored.
fn now(clock: &Clock) -> String {
    sortable_time(clock.now())
}

/// The SQLite database, cheap to clone.
#[derive(Debug, Clone)]
pub struct SqliteDb {
    conn: Arc<Mutex<Connection>>,
    clock: Clock,
    counting: Counting,
}

impl SqliteDb {
    /// Opens (creating if needed) the database at `path` and migrates it; what
    /// it stamps (when a channel, code, device or report arrived) it stamps by `clock`.
    pub fn open(path: &Path, clock: Clock) -> Result<Self, DbError> {
        Self::open_counting(path, clock, Counting::default())
    }

    /// As [`SqliteDb::open`], counting events for reports as `counting` says; the
    /// daily counts are rebuilt from the events when they were counted in
    /// another zone.
    pub fn open_counting(path: &Path, clock: Clock, counting: Counting) -> Result<Self, DbError> {
        let mut conn = Connection::open(path).map_err(ctx("open"))?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(ctx("enable WAL"))?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(ctx("set synchronous"))?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(ctx("enable foreign keys"))?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(ctx("set busy timeout"))?;
        migrate(&mut conn)?;
        if let Some(events) = rebuild_if_needed(&mut conn, &counting)? {
            tracing::info!(events, zone = %counting.zone_name(), "counted the stored events into daily counts");
        }
        Ok(Self { conn: Arc::new(Mutex::new(conn)), clock, counting })
    }

    /// Runs `f` with the connection on a blocking thread.
    pub async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, DbError> + Send + 'static,
    ) -> Result<T, DbError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut conn)
        })
        .await
        .map_err(|_| DbError {
            context: "database task panicked",
            source: Box::new(rusqlite::Error::InvalidQuery),
        })?
    }
}

impl Database for SqliteDb {
    fn survey_counts(&self, channel: String) -> DbFuture<'_, Vec<SurveyCount>> {
        Box::pin(self.call(move |c| {
            let mut stmt = c
                .prepare(
                    "SELECT subject, variant, locale, SUM(count) FROM daily_counts
                     WHERE channel = ?1 AND kind = 'survey_answer' AND subject != '' AND variant != ''
                     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
                )
                .map_err(ctx("count survey answers"))?;
            let rows = stmt
                .query_map([channel], |row| {
                    Ok(SurveyCount {
                        survey: row.get(0)?,
                        option: row.get(1)?,
                        locale: row.get(2)?,
                        count: row.get::<_, i64>(3)? as u64,
                    })
                })
                .map_err(ctx("count survey answers"))?;
            rows.collect::<Result<_, _>>().map_err(ctx("read survey count"))
        }))
    }

    fn create_channel(&self, name: String) -> DbFuture<'_, bool> {
        let clock = self.clock.clone();
        Box::pin(self.call(move |c| {
            let n = c
                .execute(
                    "INSERT OR IGNORE INTO channels (name, created_at) VALUES (?1, ?2)",
                    params![name, now(&clock)],
                )
                .map_err(ctx("create channel"))?;
            Ok(n == 1)
        }))
    }

    fn channel_exists(&self, name: String) -> DbFuture<'_, bool> {
        Box::pin(self.call(move |c| {
            c.query_row("SELECT 1 FROM channels WHERE name = ?1", [name], |_| Ok(()))
                .optional()
                .map(|row| row.is_some())
                .map_err(ctx("find channel"))
        }))
    }

    fn channels(&self) -> DbFuture<'_, Vec<ChannelRow>> {
        Box::pin(self.call(|c| {
            let mut stmt = c
                .prepare(
                    "SELECT c.name, r.version, r.manifest_sha256, r.created_at FROM channels c
                         LEFT JOIN releases r ON r.channel = c.name
                           AND r.version = (SELECT MAX(version) FROM releases WHERE channel = c.name)
                         ORDER BY c.name",
                )
                .map_err(ctx("list channels"))?;
            let rows = stmt
                .query_map([], |row| {
                    Ok(ChannelRow {
                        name: row.get(0)?,
                        version: row.get::<_, Option<i64>>(1)?.map(|v| v as u64),
                        manifest_sha256: row.get(2)?,
                        published_at: row.get(3)?,
                    })
                })
                .map_err(ctx("list channels"))?;
            rows.collect::<Result<_, _>>().map_err(ctx("read channel"))
        }))
    }

    fn latest_release(&self, channel: String) -> DbFuture<'_, Option<StoredRelease>> {
        Box::pin(self.call(move |c| {
            c.query_row(
                "SELECT version, manifest, signature, manifest_sha256 FROM releases
                     WHERE channel = ?1 ORDER BY version DESC LIMIT 1",
                [channel],
                |row| {
                    Ok(StoredRelease {
                        version: row.get::<_, i64>(0)? as u64,
                        manifest: row.get(1)?,
                        signature: row.get(2)?,
                        manifest_sha256: row.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(ctx("read latest release"))
        }))
    }

    fn releases(&self, channel: String) -> DbFuture<'_, Vec<ReleaseRow>> {
        Box::pin(
            self.call(move |c| {
                let mut stmt = c
                    .prepare(
                        "SELECT r.version, r.manifest_sha256, r.created_at,
                           (SELECT COUNT(*) FROM release_blobs b WHERE b.channel = r.channel AND b.version = r.version)
                         FROM releases r WHERE r.channel = ?1 ORDER BY r.version DESC",
                    )
                    .map_err(ctx("list releases"))?;
                let rows = stmt
                    .query_map([channel], |row| {
                        Ok(ReleaseRow {
                            version: row.get::<_, i64>(0)? as u64,
                            manifest_sha256: row.get(1)?,
                            published_at: row.get(2)?,
                            blobs: row.get::<_, i64>(3)? as u64,
                        })
                    })
                    .map_err(ctx("list releases"))?;
                rows.collect::<Result<_, _>>().map_err(ctx("read release"))
            })
        )
    }

    fn release_manifest(&self, channel: String, version: u64) -> DbFuture<'_, Option<Vec<u8>>> {
        Box::pin(self.call(move |c| {
            c.query_row(
                "SELECT manifest FROM releases WHERE channel = ?1 AND version = ?2",
                params![channel, version as i64],
                |row| row.get(0),
            )
            .optional()
            .map_err(ctx("read release"))
        }))
    }

    fn blob_probe(&self, sha256: String, decoder: String) -> DbFuture<'_, Option<String>> {
        Box::pin(self.call(move |c| {
            c.query_row(
                "SELECT probe FROM blob_probes WHERE sha256 = ?1 AND decoder = ?2",
                params![sha256, decoder],
                |row| row.get(0),
            )
            .optional()
            .map_err(ctx("read blob probe"))
        }))
    }

    fn store_blob_probe(&self, sha256: String, decoder: String, probe: String) -> DbFuture<'_, ()> {
        Box::pin(self.call(move |c| {
            c.execute(
                "INSERT OR REPLACE INTO blob_probes (sha256, decoder, probe) VALUES (?1, ?2, ?3)",
                params![sha256, decoder, probe],
            )
            .map_err(ctx("store blob probe"))?;
            Ok(())
        }))
    }

    fn insert_emergency(
        &self,
        channel: String,
        emergency: StoredEmergency,
        issued_at: String,
    ) -> DbFuture<'_, ()> {
        Box::pin(self.call(move |c| {
            c.execute(
                "INSERT INTO emergencies (channel, message, signature, issued_at) VALUES (?1, ?2, ?3, ?4)",
                params![channel, emergency.message, emergency.signature, issued_at],
            )
            .map_err(ctx("insert emergency message"))?;
            Ok(())
        }))
    }

    fn latest_emergency(&self, channel: String) -> DbFuture<'_, Option<StoredEmergency>> {
        Box::pin(self.call(move |c| {
            c.query_row(
                "SELECT message, signature FROM emergencies WHERE channel = ?1 ORDER BY seq DESC LIMIT 1",
                [channel],
                |row| Ok(StoredEmergency { message: row.get(0)?, signature: row.get(1)? }),
            )
            .optional()
            .map_err(ctx("read emergency message"))
        }))
    }

    fn events(&self, query: EventQuery) -> DbFuture<'_, Vec<StoredEvent>> {
        Box::pin(self.call(move |c| {
            let limit = query.limit.unwrap_or(MAX_EVENTS_READ).min(MAX_EVENTS_READ);
            let mut stmt = c
                .prepare(
                    "SELECT id, device_id, kind, at, data, received_at FROM events
                         WHERE (?1 IS NULL OR device_id = ?1) AND (?2 IS NULL OR kind = ?2)
                           AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at < ?4)
                         ORDER BY at, id LIMIT ?5",
                )
                .map_err(ctx("query events"))?;
            let since = query.since.map(sortable_time);
            let until = query.until.map(sortable_time);
            let rows = stmt
                .query_map(params![query.device, query.kind, since, until, limit], |row| {
                    let data: String = row.get(4)?;
                    Ok(StoredEvent {
                        id: row.get(0)?,
                        device_id: row.get(1)?,
                        kind: row.get(2)?,
                        at: row.get(3)?,
                        data: serde_json::from_str(&data).unwrap_or(serde_json::Value::String(data)),
                        received_at: row.get(5)?,
                    })
                })
                .map_err(ctx("query events"))?;
            rows.collect::<Result<_, _>>().map_err(ctx("read event"))
        }))
    }

    fn insert_release(
        &self,
        channel: String,
        release: StoredRelease,
        created_at: String,
        blobs: Vec<(String, String)>,
    ) -> DbFuture<'_, ()> {
        Box::pin(
            self.call(move |c| {
                let tx = c.transaction().map_err(ctx("begin release"))?;
                let version = release.version as i64;
                // A version is the channel's last + 1, never one stored before or a gap.
                let last: i64 = tx
                    .query_row(
                        "SELECT COALESCE(MAX(version), 0) FROM releases WHERE channel = ?1",
                        [&channel],
                        |row| row.get(0),
                    )
                    .map_err(ctx("read last version"))?;
                if last.checked_add(1) != Some(version) {
                    let reason = format!("version {version} does not follow {channel:?}'s last version {last}");
                    return Err(DbError { context: "insert release", source: reason.into() });
                }
                tx.execute(
                    "INSERT INTO releases (channel, version, manifest, signature, manifest_sha256, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![channel, version, release.manifest, release.signature, release.manifest_sha256, created_at],
                )
                .map_err(ctx("insert release"))?;
                for (sha256, media_type) in blobs {
                    tx.execute(
                        "INSERT INTO release_blobs (channel, version, sha256, media_type) VALUES (?1, ?2, ?3, ?4)",
                        params![channel, version, sha256, media_type],
                    )
                    .map_err(ctx("insert release blob"))?;
                }
                tx.commit().map_err(ctx("commit release"))
            })
        )
    }

    fn listed_blob_type(&self, channel: Option<String>, sha256: String) -> DbFuture<'_, Option<String>> {
        Box::pin(self.call(move |c| {
            c.query_row(
                "SELECT media_type FROM release_blobs WHERE (?1 IS NULL OR channel = ?1) AND sha256 = ?2
                     ORDER BY version DESC LIMIT 1",
                params![channel, sha256],
                |row| row.get(0),
            )
            .optional()
            .map_err(ctx("find blob"))
        }))
    }

    fn insert_enrolment_code(
        &self,
        code_sha256: String,
        channel: String,
        expires_at: String,
    ) -> DbFuture<'_, ()> {
        let clock = self.clock.clone();
        Box::pin(self.call(move |c| {
            c.execute(
                "INSERT INTO enrolment_codes (code_sha256, channel, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
                params![code_sha256, channel, now(&clock), expires_at],
            )
            .map_err(ctx("insert enrolment code"))?;
            Ok(())
        }))
    }

    fn enrol(
        &self,
        code_sha256: String,
        device_id: String,
        name: String,
        token_sha256: String,
        token_expires_at: String,
    ) -> DbFuture<'_, Enrolment> {
        let clock = self.clock.clone();
        Box::pin(self.call(move |c| {
            let tx = c.transaction().map_err(ctx("begin enrolment"))?;
            let at = now(&clock);
            let code: Option<(String, Option<String>, Option<String>)> = tx
                .query_row(
                    "SELECT channel, used_at, expires_at FROM enrolment_codes WHERE code_sha256 = ?1",
                    [&code_sha256],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                )
                .optional()
                .map_err(ctx("find enrolment code"))?;
            let channel = match code {
                None => return Ok(Enrolment::UnknownCode),
                Some((_, Some(used_at), _)) => return Ok(Enrolment::UsedCode { used_at }),
                Some((_, None, expires_at)) if expires_at.as_ref().is_none_or(|e| *e <= at) => {
                    return Ok(Enrolment::ExpiredCode { expired_at: expires_at });
                }
                Some((channel, None, _)) => channel,
            };
            tx.execute(
                "UPDATE enrolment_codes SET used_at = ?2 WHERE code_sha256 = ?1",
                params![code_sha256, at],
            )
            .map_err(ctx("use enrolment code"))?;
            tx.execute(
                "INSERT INTO devices (id, name, channel, token_sha256, enrolled_at, token_expires_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![device_id, name, channel, token_sha256, at, token_expires_at],
            )
            .map_err(ctx("insert device"))?;
            tx.commit().map_err(ctx("commit enrolment"))?;
            Ok(Enrolment::Enrolled { channel })
        }))
    }

    fn device_by_token(
        &self,
        token_sha256: String,
        expires_if_unset: String,
    ) -> DbFuture<'_, Option<DeviceToken>> {
        Box::pin(self.call(move |c| {
            let tx = c.transaction().map_err(ctx("begin token lookup"))?;
            let found = tx
                .query_row(
                    "SELECT id, channel, token_expires_at, token_revoked_at, token_sha256 = ?1,
                            previous_token_sha256 IS NOT NULL
                         FROM devices WHERE token_sha256 = ?1 OR previous_token_sha256 = ?1",
                    [&token_sha256],
                    |row| {
                        let expires_at: Option<String> = row.get(2)?;
                        let token = DeviceToken {
                            id: row.get(0)?,
                            channel: row.get(1)?,
                            expires_at: expires_at.unwrap_or_default(),
                            revoked_at: row.get(3)?,
                            current: row.get(4)?,
                        };
                        Ok((token, row.get::<_, bool>(5)?))
                    },
                )
                .optional()
                .map_err(ctx("find device by token"))?;
            let Some((mut token, has_previous)) = found else { return Ok(None) };
            if token.expires_at.is_empty() {
                tx.execute(
                    "UPDATE devices SET token_expires_at = ?2 WHERE id = ?1 AND token_expires_at IS NULL",
                    params![token.id, expires_if_unset],
                )
                .map_err(ctx("give a token its expiry"))?;
                token.expires_at = expires_if_unset;
            }
            if token.current && has_previous {
                tx.execute("UPDATE devices SET previous_token_sha256 = NULL WHERE id = ?1", [&token.id])
                    .map_err(ctx("end a renewed token's predecessor"))?;
            }
            tx.commit().map_err(ctx("commit token lookup"))?;
            Ok(Some(token))
        }))
    }

    fn renew_device_token(
        &self,
        device_id: String,
        old_token_sha256: String,
        new_token_sha256: String,
        expires_at: String,
    ) -> DbFuture<'_, bool> {
        Box::pin(self.call(move |c| {
            // Renewing with the current token keeps it as the predecessor;
            // renewing again with the predecessor keeps that one.
            let changed = c
                .execute(
                    "UPDATE devices
                         SET previous_token_sha256 = CASE WHEN token_sha256 = ?2
                                 THEN token_sha256 ELSE previous_token_sha256 END,
                             token_sha256 = ?3, token_expires_at = ?4
                         WHERE id = ?1 AND token_revoked_at IS NULL
                           AND (token_sha256 = ?2 OR previous_token_sha256 = ?2)",
                    params![device_id, old_token_sha256, new_token_sha256, expires_at],
                )
                .map_err(ctx("renew device token"))?;
            Ok(changed == 1)
        }))
    }

    fn revoke_device_token(&self, device_id: String) -> DbFuture<'_, Option<RevokedDevice>> {
        let clock = self.clock.clone();
        Box::pin(self.call(move |c| {
            let at = now(&clock);
            let tx = c.transaction().map_err(ctx("begin revocation"))?;
            let before: Option<Option<String>> = tx
                .query_row("SELECT token_revoked_at FROM devices WHERE id = ?1", [&device_id], |row| {
                    row.get(0)
                })
                .optional()
                .map_err(ctx("find device to revoke"))?;
            let Some(before) = before else { return Ok(None) };
            let (name, channel, revoked_at) = tx
                .query_row(
                    "UPDATE devices SET token_revoked_at = COALESCE(token_revoked_at, ?2),
                             previous_token_sha256 = NULL
                         WHERE id = ?1 RETURNING name, channel, token_revoked_at",
                    params![device_id, at],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                )
                .map_err(ctx("revoke device token"))?;
            tx.commit().map_err(ctx("commit revocation"))?;
            Ok(Some(RevokedDevice { name, channel, revoked_at, newly: before.is_none() }))
        }))
    }

    fn devices(&self) -> DbFuture<'_, Vec<DeviceRow>> {
        Box::pin(self.call(|c| {
            let mut stmt = c
                .prepare(
                    "SELECT id, name, channel, enrolled_at, last_heartbeat_at, heartbeat,
                            token_expires_at, token_revoked_at
                         FROM devices ORDER BY name, id",
                )
                .map_err(ctx("list devices"))?;
            let rows = stmt
                .query_map([], |row| {
                    let heartbeat: Option<String> = row.get(5)?;
                    Ok(DeviceRow {
                        id: row.get(0)?,
                        name: row.get(1)?,
                        channel: row.get(2)?,
                        enrolled_at: row.get(3)?,
                        last_heartbeat_at: row.get(4)?,
                        heartbeat: heartbeat.and_then(|text| serde_json::from_str(&text).ok()),
                        token_expires_at: row.get(6)?,
                        token_revoked_at: row.get(7)?,
                    })
                })
                .map_err(ctx("list devices"))?;
            rows.collect::<Result<_, _>>().map_err(ctx("read device"))
        }))
    }

    fn record_report(
        &self,
        device_id: String,
        heartbeat: Option<String>,
        events: Vec<EventRow>,
    ) -> DbFuture<'_, ()> {
        let clock = self.clock.clone();
        let counting = self.counting.clone();
        Box::pin(self.call(move |c| {
            let tx = c.transaction().map_err(ctx("begin report"))?;
            let server_now = clock.now();
            let at = sortable_time(server_now);
            let (channel, previous): (String, Option<String>) = tx
                .query_row(
                    "SELECT channel, last_heartbeat_at FROM devices WHERE id = ?1",
                    [&device_id],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .map_err(ctx("read reporting device"))?;
            if let Some(heartbeat) = heartbeat {
                let previous = previous.and_then(|p| p.parse().ok());
                credit_uptime(&tx, &device_id, previous, server_now, &counting)?;
                tx.execute(
                    "UPDATE devices SET last_heartbeat_at = ?2, heartbeat = ?3 WHERE id = ?1",
                    params![device_id, at, heartbeat],
                )
                .map_err(ctx("store heartbeat"))?;
            }
            {
                let mut insert = tx
                    .prepare(
                        "INSERT OR IGNORE INTO events (id, device_id, kind, at, data, received_at, counted_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    )
                    .map_err(ctx("prepare event insert"))?;
                for event in events {
                    let counted_at = sortable_time(event.counted_at);
                    let stored = insert
                        .execute(params![
                            event.id, device_id, event.kind, event.at, event.data, at, counted_at
                        ])
                        .map_err(ctx("insert event"))?;
                    // An event sent again is stored once, and counted once.
                    if stored == 1 {
                        count_event(
                            &tx,
                            &device_id,
                            &channel,
                            &event.kind,
                            event.counted_at,
                            &event.data,
                            &counting,
                        )?;
                    }
                }
            }
            tx.commit().map_err(ctx("commit report"))
        }))
    }
}

fn migrate(conn: &mut Connection) -> Result<(), DbError> {
    let applied: usize = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(ctx("read schema version"))?;
    if applied > MIGRATIONS.len() {
        return Err(DbError {
            context: "schema is newer than this program; update the server",
            source: Box::new(rusqlite::Error::InvalidQuery),
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        let tx = conn.transaction().map_err(ctx("begin migration"))?;
        tx.execute_batch(sql).map_err(ctx("apply migration"))?;
        tx.pragma_update(None, "user_version", index + 1).map_err(ctx("record schema version"))?;
        tx.commit().map_err(ctx("commit migration"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.sqlite");
        drop(SqliteDb::open(&path, Clock::system()).unwrap());
        drop(SqliteDb::open(&path, Clock::system()).unwrap());
        let conn = Connection::open(&path).unwrap();
        let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, MIGRATIONS.len());
        let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(
            probe_columns(&conn),
            [("sha256".into(), true), ("decoder".into(), true), ("probe".into(), true)]
        );
    }

    /// Migration 3 as an edited form of it made version 3 on some installs:
    /// only probes that decoded, and no `error` column.
    const EDITED_MIGRATION_3: &str = "CREATE TABLE blob_probes (
        sha256 TEXT NOT NULL,
        decoder TEXT NOT NULL,
        probe TEXT NOT NULL,
        PRIMARY KEY (sha256, decoder)
    );";

    /// A database at version 3, made by migrations 1, 2 and `third`, holding `rows`
    /// of `blob_probes` (`sha256, decoder, probe` and, when `third` has it, `error`).
    fn version_3(path: &Path, third: &str, rows: &[&str]) {
        let conn = Connection::open(path).unwrap();
        for sql in [MIGRATIONS[0], MIGRATIONS[1], third] {
            conn.execute_batch(sql).unwrap();
        }
        for row in rows {
            conn.execute_batch(&format!("INSERT INTO blob_probes VALUES ({row});")).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
    }

    /// `(name, NOT NULL)` of every column of `blob_probes`.
    fn probe_columns(conn: &Connection) -> Vec<(String, bool)> {
        let mut stmt =
            conn.prepare("SELECT name, \"notnull\" FROM pragma_table_info('blob_probes')").unwrap();
        stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
    }

    #[tokio::test]
    async fn both_shapes_of_version_3_keep_only_the_probes_that_decoded() {
        let original =
            ["'film', 'gst-1', '{\"duration_ms\":1000}', NULL", "'fake', 'gst-1', NULL, 'no decoder'"];
        let edited = ["'film', 'gst-1', '{\"duration_ms\":1000}'"];
        for (third, rows) in [(MIGRATIONS[2], &original[..]), (EDITED_MIGRATION_3, &edited[..])] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("server.sqlite");
            version_3(&path, third, rows);
            let db = SqliteDb::open(&path, Clock::system()).unwrap();
            let probe = |sha256: &str| db.blob_probe(sha256.into(), "gst-1".into());
            assert_eq!(probe("film").await.unwrap().as_deref(), Some("{\"duration_ms\":1000}"), "{third}");
            assert_eq!(probe("fake").await.unwrap(), None, "a failure is tried again: {third}");
            db.store_blob_probe("fake".into(), "gst-2".into(), "{}".into()).await.unwrap();
            drop(db);

            let conn = Connection::open(&path).unwrap();
            let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
            assert_eq!(version, MIGRATIONS.len());
            assert_eq!(
                probe_columns(&conn),
                [("sha256".into(), true), ("decoder".into(), true), ("probe".into(), true)],
                "today's shape: {third}"
            );
            let rows: i64 = conn.query_row("SELECT COUNT(*) FROM blob_probes", [], |r| r.get(0)).unwrap();
            assert_eq!(rows, 2, "{third}");
        }
    }

    #[tokio::test]
    async fn an_enrolment_code_works_once() {
        let dir = tempfile::tempdir().unwrap();
        let db = SqliteDb::open(&dir.path().join("s.sqlite"), Clock::system()).unwrap();
        assert!(db.create_channel("wtc-booths".into()).await.unwrap());
        assert!(!db.create_channel("wtc-booths".into()).await.unwrap());
        let later = "2999-01-01T00:00:00.000000000Z".to_owned();
        db.insert_enrolment_code("c".into(), "wtc-booths".into(), later.clone()).await.unwrap();
        let enrol = |device: &str, token: &str| {
            db.enrol("c".into(), device.into(), "Booth".into(), token.into(), later.clone())
        };
        assert_eq!(enrol("d1", "t1").await.unwrap(), Enrolment::Enrolled { channel: "wtc-booths".into() });
        assert!(matches!(enrol("d2", "t2").await.unwrap(), Enrolment::UsedCode { .. }));
        let found = db.device_by_token("t1".into(), String::new()).await.unwrap().unwrap();
        assert_eq!((found.id.as_str(), found.channel.as_str(), found.current), ("d1", "wtc-booths", true));
        assert_eq!(found.expires_at, later);
        assert_eq!(db.device_by_token("t2".into(), String::new()).await.unwrap(), None);
    }
}
