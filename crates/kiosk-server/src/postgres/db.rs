//! [`Database`] on PostgreSQL: the same records and answers as the embedded
//! SQLite backend ([`crate::sqlite`]), safe when several replicas write at once.
//!
//! Where SQLite relied on its single writer, a transaction takes a lock:
//! publishing locks the channel's row, so a version is stored only as the
//! channel's last + 1; enrolling locks the code's row, so a code is used once;
//! revoking and reporting lock the device's row. An event sent again (to any
//! replica) is stored once (`ON CONFLICT DO NOTHING`) and counted only when it
//! was stored. Every time stamped is by the store's [`Clock`](crate::clock::Clock),
//! not PostgreSQL's.

use std::collections::HashSet;

use tokio_postgres::Row;

use super::reports::{Batch, credit_uptime};
use super::{PgStore, ctx};
use crate::db::*;
use crate::reports::tally;

/// A failure that is not PostgreSQL's own: `reason` in words.
fn refused(context: &'static str, reason: String) -> DbError {
    DbError { context, source: reason.into() }
}

/// A version as stored (`BIGINT`).
fn stored_version(version: u64) -> Result<i64, DbError> {
    i64::try_from(version).map_err(|_| refused("store release", format!("version {version} is too large")))
}

/// A count or version read back (never negative when stored by this program).
fn unsigned(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

fn stored_event(row: &Row) -> StoredEvent {
    let data: String = row.get(4);
    StoredEvent {
        id: row.get(0),
        device_id: row.get(1),
        kind: row.get(2),
        at: row.get(3),
        data: serde_json::from_str(&data).unwrap_or(serde_json::Value::String(data)),
        received_at: row.get(5),
    }
}

impl Database for PgStore {
    fn create_channel(&self, name: String) -> DbFuture<'_, bool> {
        Box::pin(async move {
            let at = sortable_time(self.clock().now());
            let client = self.client().await?;
            let n = client
                .execute(
                    "INSERT INTO channels (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                    &[&name, &at],
                )
                .await
                .map_err(ctx("create channel"))?;
            Ok(n == 1)
        })
    }

    fn channel_exists(&self, name: String) -> DbFuture<'_, bool> {
        Box::pin(async move {
            let client = self.client().await?;
            let row = client
                .query_opt("SELECT 1 FROM channels WHERE name = $1", &[&name])
                .await
                .map_err(ctx("find channel"))?;
            Ok(row.is_some())
        })
    }

    fn channels(&self) -> DbFuture<'_, Vec<ChannelRow>> {
        Box::pin(async move {
            let client = self.client().await?;
            let rows = client
                .query(
                    "SELECT c.name, r.version, r.manifest_sha256, r.created_at FROM channels c
                         LEFT JOIN releases r ON r.channel = c.name
                           AND r.version = (SELECT MAX(version) FROM releases WHERE channel = c.name)
                         ORDER BY c.name COLLATE \"C\"",
                    &[],
                )
                .await
                .map_err(ctx("list channels"))?;
            Ok(rows
                .iter()
                .map(|row| ChannelRow {
                    name: row.get(0),
                    version: row.get::<_, Option<i64>>(1).map(unsigned),
                    manifest_sha256: row.get(2),
                    published_at: row.get(3),
                })
                .collect())
        })
    }

    fn latest_release(&self, channel: String) -> DbFuture<'_, Option<StoredRelease>> {
        Box::pin(async move {
            let client = self.client().await?;
            let row = client
                .query_opt(
                    "SELECT version, manifest, signature, manifest_sha256 FROM releases
                         WHERE channel = $1 ORDER BY version DESC LIMIT 1",
                    &[&channel],
                )
                .await
                .map_err(ctx("read latest release"))?;
            Ok(row.map(|row| StoredRelease {
                version: unsigned(row.get(0)),
                manifest: row.get(1),
                signature: row.get(2),
                manifest_sha256: row.get(3),
            }))
        })
    }

    fn releases(&self, channel: String) -> DbFuture<'_, Vec<ReleaseRow>> {
        Box::pin(async move {
            let client = self.client().await?;
            let rows = client
                .query(
                    "SELECT r.version, r.manifest_sha256, r.created_at,
                       (SELECT COUNT(*) FROM release_blobs b WHERE b.channel = r.channel AND b.version = r.version)
                     FROM releases r WHERE r.channel = $1 ORDER BY r.version DESC",
                    &[&channel],
                )
                .await
                .map_err(ctx("list releases"))?;
            Ok(rows
                .iter()
                .map(|row| ReleaseRow {
                    version: unsigned(row.get(0)),
                    manifest_sha256: row.get(1),
                    published_at: row.get(2),
                    blobs: unsigned(row.get(3)),
                })
                .collect())
        })
    }

    fn release_manifest(&self, channel: String, version: u64) -> DbFuture<'_, Option<Vec<u8>>> {
        Box::pin(async move {
            let Ok(version) = i64::try_from(version) else { return Ok(None) };
            let client = self.client().await?;
            let row = client
                .query_opt(
                    "SELECT manifest FROM releases WHERE channel = $1 AND version = $2",
                    &[&channel, &version],
                )
                .await
                .map_err(ctx("read release"))?;
            Ok(row.map(|row| row.get(0)))
        })
    }

    fn blob_probe(&self, sha256: String, decoder: String) -> DbFuture<'_, Option<String>> {
        Box::pin(async move {
            let client = self.client().await?;
            let row = client
                .query_opt(
                    "SELECT probe FROM blob_probes WHERE sha256 = $1 AND decoder = $2",
                    &[&sha256, &decoder],
                )
                .await
                .map_err(ctx("read blob probe"))?;
            Ok(row.map(|row| row.get(0)))
        })
    }

    fn store_blob_probe(&self, sha256: String, decoder: String, probe: String) -> DbFuture<'_, ()> {
        Box::pin(async move {
            let client = self.client().await?;
            client
                .execute(
                    "INSERT INTO blob_probes (sha256, decoder, probe) VALUES ($1, $2, $3)
                     ON CONFLICT (sha256, decoder) DO UPDATE SET probe = EXCLUDED.probe",
                    &[&sha256, &decoder, &probe],
                )
                .await
                .map_err(ctx("store blob probe"))?;
            Ok(())
        })
    }

    fn insert_emergency(
        &self,
        channel: String,
        emergency: StoredEmergency,
        issued_at: String,
    ) -> DbFuture<'_, ()> {
        Box::pin(async move {
            let client = self.client().await?;
            client
                .execute(
                    "INSERT INTO emergencies (channel, message, signature, issued_at) VALUES ($1, $2, $3, $4)",
                    &[&channel, &emergency.message, &emergency.signature, &issued_at],
                )
                .await
                .map_err(ctx("insert emergency message"))?;
            Ok(())
        })
    }

    fn latest_emergency(&self, channel: String) -> DbFuture<'_, Option<StoredEmergency>> {
        Box::pin(async move {
            let client = self.client().await?;
            let row = client
                .query_opt(
                    "SELECT message, signature FROM emergencies WHERE channel = $1 ORDER BY seq DESC LIMIT 1",
                    &[&channel],
                )
                .await
                .map_err(ctx("read emergency message"))?;
            Ok(row.map(|row| StoredEmergency { message: row.get(0), signature: row.get(1) }))
        })
    }

    fn events(&self, query: EventQuery) -> DbFuture<'_, Vec<StoredEvent>> {
        Box::pin(async move {
            let limit = i64::from(query.limit.unwrap_or(MAX_EVENTS_READ).min(MAX_EVENTS_READ));
            let since = query.since.map(sortable_time);
            let until = query.until.map(sortable_time);
            let client = self.client().await?;
            let rows = client
                .query(
                    "SELECT id, device_id, kind, at, data, received_at FROM events
                         WHERE ($1::TEXT IS NULL OR device_id = $1) AND ($2::TEXT IS NULL OR kind = $2)
                           AND ($3::TEXT IS NULL OR at >= $3) AND ($4::TEXT IS NULL OR at < $4)
                         ORDER BY at, id COLLATE \"C\" LIMIT $5",
                    &[&query.device, &query.kind, &since, &until, &limit],
                )
                .await
                .map_err(ctx("query events"))?;
            Ok(rows.iter().map(stored_event).collect())
        })
    }

    fn survey_counts(&self, channel: String) -> DbFuture<'_, Vec<SurveyCount>> {
        Box::pin(async move {
            let client = self.client().await?;
            let rows = client
                .query(
                    "SELECT subject, variant, locale, SUM(count)::BIGINT FROM daily_counts
                     WHERE channel = $1 AND kind = 'survey_answer' AND subject != '' AND variant != ''
                     GROUP BY 1, 2, 3
                     ORDER BY subject COLLATE \"C\", variant COLLATE \"C\", locale COLLATE \"C\"",
                    &[&channel],
                )
                .await
                .map_err(ctx("count survey answers"))?;
            Ok(rows
                .iter()
                .map(|row| SurveyCount {
                    survey: row.get(0),
                    option: row.get(1),
                    locale: row.get(2),
                    count: unsigned(row.get(3)),
                })
                .collect())
        })
    }

    fn insert_release(
        &self,
        channel: String,
        release: StoredRelease,
        created_at: String,
        blobs: Vec<(String, String)>,
    ) -> DbFuture<'_, ()> {
        Box::pin(async move {
            let version = stored_version(release.version)?;
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(ctx("begin release"))?;
            // Publishing replicas take turns per channel, so "last + 1" stays true until commit.
            tx.query_opt("SELECT 1 FROM channels WHERE name = $1 FOR NO KEY UPDATE", &[&channel])
                .await
                .map_err(ctx("lock channel"))?
                .ok_or_else(|| refused("insert release", format!("no channel {channel:?}")))?;
            let last: i64 = tx
                .query_one("SELECT COALESCE(MAX(version), 0) FROM releases WHERE channel = $1", &[&channel])
                .await
                .map_err(ctx("read last version"))?
                .get(0);
            if last.checked_add(1) != Some(version) {
                return Err(refused(
                    "insert release",
                    format!("version {version} does not follow {channel:?}'s last version {last}"),
                ));
            }
            tx.execute(
                "INSERT INTO releases (channel, version, manifest, signature, manifest_sha256, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    &channel,
                    &version,
                    &release.manifest,
                    &release.signature,
                    &release.manifest_sha256,
                    &created_at,
                ],
            )
            .await
            .map_err(ctx("insert release"))?;
            let insert_blob = tx
                .prepare(
                    "INSERT INTO release_blobs (channel, version, sha256, media_type) VALUES ($1, $2, $3, $4)",
                )
                .await
                .map_err(ctx("insert release blob"))?;
            for (sha256, media_type) in &blobs {
                tx.execute(&insert_blob, &[&channel, &version, sha256, media_type])
                    .await
                    .map_err(ctx("insert release blob"))?;
            }
            tx.commit().await.map_err(ctx("commit release"))
        })
    }

    fn listed_blob_type(&self, channel: Option<String>, sha256: String) -> DbFuture<'_, Option<String>> {
        Box::pin(async move {
            let client = self.client().await?;
            let row = client
                .query_opt(
                    "SELECT media_type FROM release_blobs WHERE ($1::TEXT IS NULL OR channel = $1) AND sha256 = $2
                     ORDER BY version DESC LIMIT 1",
                    &[&channel, &sha256],
                )
                .await
                .map_err(ctx("find blob"))?;
            Ok(row.map(|row| row.get(0)))
        })
    }

    fn insert_enrolment_code(
        &self,
        code_sha256: String,
        channel: String,
        expires_at: String,
    ) -> DbFuture<'_, ()> {
        Box::pin(async move {
            let at = sortable_time(self.clock().now());
            let client = self.client().await?;
            client
                .execute(
                    "INSERT INTO enrolment_codes (code_sha256, channel, created_at, expires_at)
                     VALUES ($1, $2, $3, $4)",
                    &[&code_sha256, &channel, &at, &expires_at],
                )
                .await
                .map_err(ctx("insert enrolment code"))?;
            Ok(())
        })
    }

    fn enrol(
        &self,
        code_sha256: String,
        device_id: String,
        name: String,
        token_sha256: String,
        token_expires_at: String,
    ) -> DbFuture<'_, Enrolment> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(ctx("begin enrolment"))?;
            // Whoever locks the code first uses it; the others then see it used.
            let code = tx
                .query_opt(
                    "SELECT channel, used_at, expires_at FROM enrolment_codes WHERE code_sha256 = $1 FOR UPDATE",
                    &[&code_sha256],
                )
                .await
                .map_err(ctx("find enrolment code"))?;
            let at = sortable_time(self.clock().now());
            let code: Option<(String, Option<String>, Option<String>)> =
                code.map(|row| (row.get(0), row.get(1), row.get(2)));
            let channel = match code {
                None => return Ok(Enrolment::UnknownCode),
                Some((_, Some(used_at), _)) => return Ok(Enrolment::UsedCode { used_at }),
                Some((_, None, expires_at)) if expires_at.as_ref().is_none_or(|e| *e <= at) => {
                    return Ok(Enrolment::ExpiredCode { expired_at: expires_at });
                }
                Some((channel, None, _)) => channel,
            };
            tx.execute(
                "UPDATE enrolment_codes SET used_at = $2 WHERE code_sha256 = $1",
                &[&code_sha256, &at],
            )
            .await
            .map_err(ctx("use enrolment code"))?;
            tx.execute(
                "INSERT INTO devices (id, name, channel, token_sha256, enrolled_at, token_expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[&device_id, &name, &channel, &token_sha256, &at, &token_expires_at],
            )
            .await
            .map_err(ctx("insert device"))?;
            tx.commit().await.map_err(ctx("commit enrolment"))?;
            Ok(Enrolment::Enrolled { channel })
        })
    }

    fn device_by_token(
        &self,
        token_sha256: String,
        expires_if_unset: String,
    ) -> DbFuture<'_, Option<DeviceToken>> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(ctx("begin token lookup"))?;
            let found = tx
                .query_opt(
                    "SELECT id, channel, token_expires_at, token_revoked_at, token_sha256 = $1,
                            previous_token_sha256 IS NOT NULL
                         FROM devices WHERE token_sha256 = $1 OR previous_token_sha256 = $1",
                    &[&token_sha256],
                )
                .await
                .map_err(ctx("find device by token"))?;
            let Some(row) = found else { return Ok(None) };
            let expires_at: Option<String> = row.get(2);
            let mut token = DeviceToken {
                id: row.get(0),
                channel: row.get(1),
                expires_at: expires_at.unwrap_or_default(),
                revoked_at: row.get(3),
                current: row.get(4),
            };
            let has_previous: bool = row.get(5);
            if token.expires_at.is_empty() {
                // Another replica may have given it one meanwhile: keep theirs.
                let row = tx
                    .query_one(
                        "UPDATE devices SET token_expires_at = COALESCE(token_expires_at, $2)
                             WHERE id = $1 RETURNING token_expires_at",
                        &[&token.id, &expires_if_unset],
                    )
                    .await
                    .map_err(ctx("give a token its expiry"))?;
                token.expires_at = row.get(0);
            }
            if token.current && has_previous {
                // Only while the token is still current: a renewal meanwhile keeps its predecessor.
                tx.execute(
                    "UPDATE devices SET previous_token_sha256 = NULL WHERE id = $1 AND token_sha256 = $2",
                    &[&token.id, &token_sha256],
                )
                .await
                .map_err(ctx("end a renewed token's predecessor"))?;
            }
            tx.commit().await.map_err(ctx("commit token lookup"))?;
            Ok(Some(token))
        })
    }

    fn renew_device_token(
        &self,
        device_id: String,
        old_token_sha256: String,
        new_token_sha256: String,
        expires_at: String,
    ) -> DbFuture<'_, bool> {
        Box::pin(async move {
            let client = self.client().await?;
            // One statement: the row is locked and its condition checked again
            // after any concurrent change. Renewing with the current token keeps
            // it as the predecessor; renewing again with the predecessor keeps that one.
            let changed = client
                .execute(
                    "UPDATE devices
                         SET previous_token_sha256 = CASE WHEN token_sha256 = $2
                                 THEN token_sha256 ELSE previous_token_sha256 END,
                             token_sha256 = $3, token_expires_at = $4
                         WHERE id = $1 AND token_revoked_at IS NULL
                           AND (token_sha256 = $2 OR previous_token_sha256 = $2)",
                    &[&device_id, &old_token_sha256, &new_token_sha256, &expires_at],
                )
                .await
                .map_err(ctx("renew device token"))?;
            Ok(changed == 1)
        })
    }

    fn revoke_device_token(&self, device_id: String) -> DbFuture<'_, Option<RevokedDevice>> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(ctx("begin revocation"))?;
            let before = tx
                .query_opt(
                    "SELECT token_revoked_at FROM devices WHERE id = $1 FOR NO KEY UPDATE",
                    &[&device_id],
                )
                .await
                .map_err(ctx("find device to revoke"))?;
            let Some(before) = before else { return Ok(None) };
            let before: Option<String> = before.get(0);
            let at = sortable_time(self.clock().now());
            let row = tx
                .query_one(
                    "UPDATE devices SET token_revoked_at = COALESCE(token_revoked_at, $2),
                             previous_token_sha256 = NULL
                         WHERE id = $1 RETURNING name, channel, token_revoked_at",
                    &[&device_id, &at],
                )
                .await
                .map_err(ctx("revoke device token"))?;
            tx.commit().await.map_err(ctx("commit revocation"))?;
            Ok(Some(RevokedDevice {
                name: row.get(0),
                channel: row.get(1),
                revoked_at: row.get(2),
                newly: before.is_none(),
            }))
        })
    }

    fn devices(&self) -> DbFuture<'_, Vec<DeviceRow>> {
        Box::pin(async move {
            let client = self.client().await?;
            let rows = client
                .query(
                    "SELECT id, name, channel, enrolled_at, last_heartbeat_at, heartbeat,
                            token_expires_at, token_revoked_at
                         FROM devices ORDER BY name COLLATE \"C\", id COLLATE \"C\"",
                    &[],
                )
                .await
                .map_err(ctx("list devices"))?;
            Ok(rows
                .iter()
                .map(|row| {
                    let heartbeat: Option<String> = row.get(5);
                    DeviceRow {
                        id: row.get(0),
                        name: row.get(1),
                        channel: row.get(2),
                        enrolled_at: row.get(3),
                        last_heartbeat_at: row.get(4),
                        heartbeat: heartbeat.and_then(|text| serde_json::from_str(&text).ok()),
                        token_expires_at: row.get(6),
                        token_revoked_at: row.get(7),
                    }
                })
                .collect())
        })
    }

    fn record_report(
        &self,
        device_id: String,
        heartbeat: Option<String>,
        events: Vec<EventRow>,
    ) -> DbFuture<'_, ()> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(ctx("begin report"))?;
            // Reports of one device take turns (on every replica): its up time
            // is credited from the heartbeat before, and its events are stored once.
            let device = tx
                .query_opt(
                    "SELECT channel, last_heartbeat_at FROM devices WHERE id = $1 FOR NO KEY UPDATE",
                    &[&device_id],
                )
                .await
                .map_err(ctx("read reporting device"))?
                .ok_or_else(|| refused("read reporting device", format!("no device {device_id:?}")))?;
            let channel: String = device.get(0);
            let previous: Option<String> = device.get(1);
            let server_now = self.clock().now();
            let at = sortable_time(server_now);
            if let Some(heartbeat) = heartbeat {
                let previous = previous.and_then(|p| p.parse().ok());
                credit_uptime(&tx, &device_id, previous, server_now, self.counting()).await?;
                tx.execute(
                    "UPDATE devices SET last_heartbeat_at = $2, heartbeat = $3 WHERE id = $1",
                    &[&device_id, &at, &heartbeat],
                )
                .await
                .map_err(ctx("store heartbeat"))?;
            }
            if !events.is_empty() {
                let column = |f: fn(&EventRow) -> String| events.iter().map(f).collect::<Vec<_>>();
                let ids = column(|e| e.id.clone());
                let kinds = column(|e| e.kind.clone());
                let ats = column(|e| e.at.clone());
                let data = column(|e| e.data.clone());
                let counted_ats = column(|e| sortable_time(e.counted_at));
                let stored = tx
                    .query(
                        "INSERT INTO events (device_id, id, kind, at, data, received_at, counted_at)
                         SELECT $1, e.id, e.kind, e.at, e.data, $2, e.counted_at
                             FROM UNNEST($3::TEXT[], $4::TEXT[], $5::TEXT[], $6::TEXT[], $7::TEXT[])
                                 WITH ORDINALITY AS e (id, kind, at, data, counted_at, n)
                             ORDER BY e.n
                         ON CONFLICT (device_id, id) DO NOTHING RETURNING id",
                        &[&device_id, &at, &ids, &kinds, &ats, &data, &counted_ats],
                    )
                    .await
                    .map_err(ctx("insert event"))?;
                // An event sent again is stored once, and counted once: only
                // the first of each id stored now is counted.
                let mut stored: HashSet<String> = stored.iter().map(|row| row.get(0)).collect();
                let mut batch = Batch::default();
                for event in &events {
                    if stored.remove(&event.id)
                        && let Some(counted) = tally::count_stored(
                            &event.kind,
                            event.counted_at,
                            &event.data,
                            &self.counting().zone,
                        )
                    {
                        batch.add(&device_id, &channel, &counted, 1);
                    }
                }
                batch.write(&tx).await?;
            }
            tx.commit().await.map_err(ctx("commit report"))
        })
    }
}
