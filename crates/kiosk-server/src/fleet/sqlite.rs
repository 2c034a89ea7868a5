//! [`FleetDb`] on the embedded SQLite database (its tables are migration 6 of
//! [`crate::sqlite::MIGRATIONS`]).

use rusqlite::{OptionalExtension, Row, params};

use super::db::{FleetAlert, FleetDb, Place, ScreenRow};
use crate::db::DbFuture;
use crate::sqlite::{SqliteDb, ctx};

const ALERT_SELECT: &str = "SELECT a.id, a.device, d.name, d.channel, a.kind, a.since, a.raised_at,
        a.cleared_at, a.notified_at
    FROM fleet_alerts a JOIN devices d ON d.id = a.device";

fn alert_row(row: &Row<'_>) -> rusqlite::Result<FleetAlert> {
    Ok(FleetAlert {
        id: row.get(0)?,
        device: row.get(1)?,
        device_name: row.get(2)?,
        channel: row.get(3)?,
        kind: row.get(4)?,
        since: row.get(5)?,
        raised_at: row.get(6)?,
        cleared_at: row.get(7)?,
        notified_at: row.get(8)?,
    })
}

impl FleetDb for SqliteDb {
    fn screens(&self) -> DbFuture<'_, Vec<ScreenRow>> {
        Box::pin(self.call(|c| {
            let mut stmt = c
                .prepare(
                    "SELECT id, name, channel, location, last_heartbeat_at, heartbeat, country, enrolled_at,
                            token_revoked_at
                         FROM devices ORDER BY name, id",
                )
                .map_err(ctx("list screens"))?;
            let rows = stmt
                .query_map([], |row| {
                    let heartbeat: Option<String> = row.get(5)?;
                    Ok(ScreenRow {
                        id: row.get(0)?,
                        name: row.get(1)?,
                        channel: row.get(2)?,
                        location: row.get(3)?,
                        country: row.get(6)?,
                        enrolled_at: row.get(7)?,
                        last_heartbeat_at: row.get(4)?,
                        heartbeat: heartbeat.and_then(|text| serde_json::from_str(&text).ok()),
                        token_revoked_at: row.get(8)?,
                    })
                })
                .map_err(ctx("list screens"))?;
            rows.collect::<Result<_, _>>().map_err(ctx("read screen"))
        }))
    }

    fn set_place(&self, device: String, place: Place) -> DbFuture<'_, bool> {
        Box::pin(self.call(move |c| {
            // A column not given is set to itself.
            let changed = c
                .execute(
                    "UPDATE devices SET location = CASE WHEN ?2 THEN ?3 ELSE location END,
                                        country = CASE WHEN ?4 THEN ?5 ELSE country END
                     WHERE id = ?1",
                    params![
                        device,
                        place.location.is_some(),
                        place.location.flatten(),
                        place.country.is_some(),
                        place.country.flatten()
                    ],
                )
                .map_err(ctx("set place"))?;
            Ok(changed == 1)
        }))
    }

    fn raise_alert(
        &self,
        device: String,
        since: Option<String>,
        at: String,
    ) -> DbFuture<'_, Option<FleetAlert>> {
        Box::pin(self.call(move |c| {
            let added = c
                .execute(
                    "INSERT OR IGNORE INTO fleet_alerts (device, kind, since, raised_at)
                         VALUES (?1, 'offline', ?2, ?3)",
                    params![device, since, at],
                )
                .map_err(ctx("raise alert"))?;
            if added == 0 {
                return Ok(None);
            }
            let id = c.last_insert_rowid();
            c.query_row(&format!("{ALERT_SELECT} WHERE a.id = ?1"), [id], alert_row)
                .optional()
                .map_err(ctx("read alert"))
        }))
    }

    fn clear_alerts(&self, device: String, at: String) -> DbFuture<'_, usize> {
        Box::pin(self.call(move |c| {
            c.execute(
                "UPDATE fleet_alerts SET cleared_at = ?2 WHERE device = ?1 AND cleared_at IS NULL",
                params![device, at],
            )
            .map_err(ctx("clear alerts"))
        }))
    }

    fn mark_notified(&self, id: i64, at: String) -> DbFuture<'_, ()> {
        Box::pin(self.call(move |c| {
            c.execute("UPDATE fleet_alerts SET notified_at = ?2 WHERE id = ?1", params![id, at])
                .map_err(ctx("mark alert notified"))?;
            Ok(())
        }))
    }

    fn alerts(&self, open_only: bool, limit: u32) -> DbFuture<'_, Vec<FleetAlert>> {
        Box::pin(self.call(move |c| {
            let filter = if open_only { "WHERE a.cleared_at IS NULL" } else { "" };
            let mut stmt = c
                .prepare(&format!("{ALERT_SELECT} {filter} ORDER BY a.id DESC LIMIT ?1"))
                .map_err(ctx("list alerts"))?;
            let rows = stmt.query_map([limit], alert_row).map_err(ctx("list alerts"))?;
            rows.collect::<Result<_, _>>().map_err(ctx("read alert"))
        }))
    }
}
