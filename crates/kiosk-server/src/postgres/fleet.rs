//! [`FleetDb`] on PostgreSQL: the same records and answers as the SQLite
//! implementation ([`crate::fleet::sqlite`]). A screen has at most one open
//! alert (the partial unique index `fleet_alerts_one_open`); raising one is a
//! single insert that yields to the index, so when two replicas' watchers see
//! the same screen go quiet, one raises (and e-mails) the alert and the other
//! gets `None`.

use tokio_postgres::Row;

use super::{PgStore, ctx};
use crate::db::DbFuture;
use crate::fleet::db::{FleetAlert, FleetDb, Place, ScreenRow};

/// The columns of an alert with its screen's name and channel, from `a`
/// (alerts) joined to `d` (devices).
const ALERT_COLUMNS: &str =
    "a.id, a.device, d.name, d.channel, a.kind, a.since, a.raised_at, a.cleared_at, a.notified_at";

fn alert_row(row: &Row) -> Result<FleetAlert, tokio_postgres::Error> {
    Ok(FleetAlert {
        id: row.try_get(0)?,
        device: row.try_get(1)?,
        device_name: row.try_get(2)?,
        channel: row.try_get(3)?,
        kind: row.try_get(4)?,
        since: row.try_get(5)?,
        raised_at: row.try_get(6)?,
        cleared_at: row.try_get(7)?,
        notified_at: row.try_get(8)?,
    })
}

fn screen_row(row: &Row) -> Result<ScreenRow, tokio_postgres::Error> {
    let heartbeat: Option<String> = row.try_get(5)?;
    Ok(ScreenRow {
        id: row.try_get(0)?,
        name: row.try_get(1)?,
        channel: row.try_get(2)?,
        location: row.try_get(3)?,
        country: row.try_get(6)?,
        enrolled_at: row.try_get(7)?,
        last_heartbeat_at: row.try_get(4)?,
        heartbeat: heartbeat.and_then(|text| serde_json::from_str(&text).ok()),
        token_revoked_at: row.try_get(8)?,
    })
}

impl FleetDb for PgStore {
    fn screens(&self) -> DbFuture<'_, Vec<ScreenRow>> {
        Box::pin(async move {
            let client = self.client().await?;
            let rows = client
                .query(
                    "SELECT id, name, channel, location, last_heartbeat_at, heartbeat, country, enrolled_at,
                            token_revoked_at
                         FROM devices ORDER BY name COLLATE \"C\", id COLLATE \"C\"",
                    &[],
                )
                .await
                .map_err(ctx("list screens"))?;
            rows.iter().map(screen_row).collect::<Result<_, _>>().map_err(ctx("read screen"))
        })
    }

    fn set_place(&self, device: String, place: Place) -> DbFuture<'_, bool> {
        Box::pin(async move {
            let client = self.client().await?;
            // A column not given is set to itself.
            let changed = client
                .execute(
                    "UPDATE devices SET location = CASE WHEN $2::boolean THEN $3::text ELSE location END,
                                        country = CASE WHEN $4::boolean THEN $5::text ELSE country END
                     WHERE id = $1",
                    &[
                        &device,
                        &place.location.is_some(),
                        &place.location.flatten(),
                        &place.country.is_some(),
                        &place.country.flatten(),
                    ],
                )
                .await
                .map_err(ctx("set place"))?;
            Ok(changed == 1)
        })
    }

    fn raise_alert(
        &self,
        device: String,
        since: Option<String>,
        at: String,
    ) -> DbFuture<'_, Option<FleetAlert>> {
        Box::pin(async move {
            let client = self.client().await?;
            // A concurrent insert of the same open alert waits for this one to
            // commit, then inserts nothing.
            let row = client
                .query_opt(
                    &format!(
                        "WITH a AS (
                            INSERT INTO fleet_alerts (device, kind, since, raised_at)
                                VALUES ($1, 'offline', $2, $3)
                                ON CONFLICT (device, kind) WHERE cleared_at IS NULL DO NOTHING
                                RETURNING *
                         )
                         SELECT {ALERT_COLUMNS} FROM a JOIN devices d ON d.id = a.device"
                    ),
                    &[&device, &since, &at],
                )
                .await
                .map_err(ctx("raise alert"))?;
            row.as_ref().map(alert_row).transpose().map_err(ctx("read alert"))
        })
    }

    fn clear_alerts(&self, device: String, at: String) -> DbFuture<'_, usize> {
        Box::pin(async move {
            let client = self.client().await?;
            let n = client
                .execute(
                    "UPDATE fleet_alerts SET cleared_at = $2 WHERE device = $1 AND cleared_at IS NULL",
                    &[&device, &at],
                )
                .await
                .map_err(ctx("clear alerts"))?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        })
    }

    fn mark_notified(&self, id: i64, at: String) -> DbFuture<'_, ()> {
        Box::pin(async move {
            let client = self.client().await?;
            client
                .execute("UPDATE fleet_alerts SET notified_at = $2 WHERE id = $1", &[&id, &at])
                .await
                .map_err(ctx("mark alert notified"))?;
            Ok(())
        })
    }

    fn alerts(&self, open_only: bool, limit: u32) -> DbFuture<'_, Vec<FleetAlert>> {
        Box::pin(async move {
            let client = self.client().await?;
            let rows = client
                .query(
                    &format!(
                        "SELECT {ALERT_COLUMNS} FROM fleet_alerts a JOIN devices d ON d.id = a.device
                         WHERE NOT $1::boolean OR a.cleared_at IS NULL
                         ORDER BY a.id DESC LIMIT $2"
                    ),
                    &[&open_only, &i64::from(limit)],
                )
                .await
                .map_err(ctx("list alerts"))?;
            rows.iter().map(alert_row).collect::<Result<_, _>>().map_err(ctx("read alert"))
        })
    }
}
