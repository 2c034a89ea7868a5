//! [`ReportsDb`] on the embedded SQLite database, and the counts kept in the
//! same transaction that stores a report's events (migrations 7 and 9): per
//! channel by day and by month (`daily_counts`, `monthly_counts`), the day
//! chart's lines (`daily_series`), per screen by day and by month
//! (`daily_screen_counts`, `monthly_screen_counts`), up time by day
//! (`daily_uptime`), and `report_meta` naming the zone the days are in. A
//! report over whole months reads the monthly rows and the daily ones only for
//! the days around them ([`MonthSplit`]).
//!
//! The counts are rebuilt from the raw events when the report zone changes
//! (and once on the first start after the migration); up time, which comes from
//! heartbeats that are not kept, keeps the days it was counted on.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::db::{CountQuery, DayCount, KeyCount, ReportsDb, ScreenCount};
use super::range::MonthSplit;
use super::tally::{self, Counted};
use super::{Counting, uptime};
use crate::db::DbError;
use crate::db::DbFuture;
use crate::sqlite::{SqliteDb, ctx};

/// Adds one newly stored event of `device` on `channel` to the daily counts.
pub(crate) fn count_event(
    tx: &Transaction<'_>,
    device: &str,
    channel: &str,
    kind: &str,
    counted_at: Timestamp,
    data: &str,
    counting: &Counting,
) -> Result<(), DbError> {
    let Some(counted) = tally::count_stored(kind, counted_at, data, &counting.zone) else { return Ok(()) };
    add(tx, device, channel, &counted, 1)
}

/// Adds `times` events like `counted` (its `ms` and `planned_ms` being their sums).
fn add(
    tx: &Transaction<'_>,
    device: &str,
    channel: &str,
    counted: &Counted,
    times: u64,
) -> Result<(), DbError> {
    let times = times as i64;
    let month = counted.month();
    for (table, period) in [("daily_counts", "day"), ("monthly_counts", "month")] {
        let when = if period == "day" { counted.day.as_str() } else { month };
        tx.prepare_cached(&format!(
            "INSERT INTO {table} (kind, {period}, channel, subject, variant, locale, count, ms, planned_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?9, ?7, ?8)
             ON CONFLICT DO UPDATE SET count = count + excluded.count, ms = ms + excluded.ms,
                 planned_ms = planned_ms + excluded.planned_ms"
        ))
        .and_then(|mut s| {
            s.execute(params![
                counted.kind,
                when,
                channel,
                counted.subject,
                counted.variant,
                counted.locale,
                counted.ms,
                counted.planned_ms,
                times
            ])
        })
        .map_err(ctx("count event"))?;
    }
    tx.prepare_cached(
        "INSERT INTO daily_series (kind, day, channel, series, count) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT DO UPDATE SET count = count + excluded.count",
    )
    .and_then(|mut s| s.execute(params![counted.kind, counted.day, channel, counted.series(), times]))
    .map_err(ctx("count event in its series"))?;
    let screen = counted.per_screen();
    for (table, period) in [("daily_screen_counts", "day"), ("monthly_screen_counts", "month")] {
        let when = if period == "day" { counted.day.as_str() } else { month };
        tx.prepare_cached(&format!(
            "INSERT INTO {table} (kind, {period}, device, subject, variant, count, ms, planned_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?8, ?6, ?7)
             ON CONFLICT DO UPDATE SET count = count + excluded.count, ms = ms + excluded.ms,
                 planned_ms = planned_ms + excluded.planned_ms"
        ))
        .and_then(|mut s| {
            s.execute(params![
                counted.kind,
                when,
                device,
                screen.subject,
                screen.variant,
                counted.ms,
                counted.planned_ms,
                times
            ])
        })
        .map_err(ctx("count event per screen"))?;
    }
    Ok(())
}

/// Counts already tallied for one screen: each [`Counted`] with how many events
/// it stands for (its `ms` and `planned_ms` their sums).
#[derive(Debug, Clone)]
pub struct Tallied {
    /// The device.
    pub device: String,
    /// Its channel.
    pub channel: String,
    /// What was counted.
    pub counted: Counted,
    /// How many events.
    pub times: u64,
}

impl SqliteDb {
    /// Adds counts tallied elsewhere by [`tally::count`], in one transaction:
    /// how an archive of events counted outside the server (and the reports
    /// benchmark's year of events) joins the daily counts without its raw
    /// events. A recount from the events (a new report zone) drops them.
    pub async fn import_counts(&self, rows: Vec<Tallied>) -> Result<(), DbError> {
        self.call(move |c| {
            let tx = c.transaction().map_err(ctx("begin import"))?;
            for row in &rows {
                add(&tx, &row.device, &row.channel, &row.counted, row.times)?;
            }
            tx.commit().map_err(ctx("commit import"))
        })
        .await
    }

    /// Adds up time measured elsewhere: `(device, day, seconds)`.
    pub async fn import_uptime(&self, rows: Vec<(String, String, u64)>) -> Result<(), DbError> {
        self.call(move |c| {
            let tx = c.transaction().map_err(ctx("begin import"))?;
            for (device, day, seconds) in &rows {
                tx.prepare_cached(
                    "INSERT INTO daily_uptime (device, day, online_s) VALUES (?1, ?2, ?3)
                     ON CONFLICT DO UPDATE SET online_s = online_s + excluded.online_s",
                )
                .and_then(|mut s| s.execute(params![device, day, *seconds as i64]))
                .map_err(ctx("import up time"))?;
            }
            tx.commit().map_err(ctx("commit import"))
        })
        .await
    }
}

/// Credits a screen's up time for the gap since its `previous` heartbeat.
pub(crate) fn credit_uptime(
    tx: &Transaction<'_>,
    device: &str,
    previous: Option<Timestamp>,
    now: Timestamp,
    counting: &Counting,
) -> Result<(), DbError> {
    for (day, seconds) in uptime::credit(previous, now, counting.offline_after, &counting.zone) {
        tx.prepare_cached(
            "INSERT INTO daily_uptime (device, day, online_s) VALUES (?1, ?2, ?3)
             ON CONFLICT DO UPDATE SET online_s = online_s + excluded.online_s",
        )
        .and_then(|mut s| s.execute(params![device, day, seconds]))
        .map_err(ctx("credit up time"))?;
    }
    Ok(())
}

/// Rebuilds the daily counts from the raw events when they were counted in
/// another zone than `counting`'s (or never); how many events were counted.
pub(crate) fn rebuild_if_needed(conn: &mut Connection, counting: &Counting) -> Result<Option<u64>, DbError> {
    let zone = counting.zone_name();
    let counted_in: Option<String> = conn
        .query_row("SELECT value FROM report_meta WHERE key = 'zone'", [], |row| row.get(0))
        .optional()
        .map_err(ctx("read report zone"))?;
    if counted_in.as_deref() == Some(zone.as_str()) {
        return Ok(None);
    }
    let tx = conn.transaction().map_err(ctx("begin recount"))?;
    tx.execute_batch(
        "DELETE FROM daily_counts; DELETE FROM monthly_counts; DELETE FROM daily_series;
         DELETE FROM daily_screen_counts; DELETE FROM monthly_screen_counts;",
    )
    .map_err(ctx("clear daily counts"))?;
    let mut counted = 0;
    {
        let mut events = tx
            .prepare(
                "SELECT e.device_id, d.channel, e.kind, COALESCE(e.counted_at, e.at), e.data
                 FROM events e JOIN devices d ON d.id = e.device_id",
            )
            .map_err(ctx("read events to recount"))?;
        let mut rows = events.query([]).map_err(ctx("read events to recount"))?;
        while let Some(row) = rows.next().map_err(ctx("read event to recount"))? {
            let read =
                |row: &rusqlite::Row<'_>| -> rusqlite::Result<(String, String, String, String, String)> {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
                };
            let (device, channel, kind, at, data) = read(row).map_err(ctx("read event to recount"))?;
            let Ok(at) = at.parse::<Timestamp>() else { continue };
            count_event(&tx, &device, &channel, &kind, at, &data, counting)?;
            counted += 1;
        }
    }
    tx.execute(
        "INSERT INTO report_meta (key, value) VALUES ('zone', ?1)
         ON CONFLICT DO UPDATE SET value = excluded.value",
        [zone],
    )
    .map_err(ctx("record report zone"))?;
    tx.commit().map_err(ctx("commit recount"))?;
    Ok(Some(counted))
}

/// The parameters of a query over whole months and the days around them
/// ([`MonthSplit`]): `?1` the kind, `?2`–`?3` the days before, `?4` the
/// channels, `?5`–`?6` the days after, `?7`–`?8` the months.
fn split_params(query: &CountQuery) -> [Box<dyn rusqlite::ToSql>; 8] {
    let split = MonthSplit::of(&query.from, &query.to);
    [
        Box::new(query.kind),
        Box::new(split.head.0),
        Box::new(split.head.1),
        Box::new(channels_json(&query.channels)),
        Box::new(split.tail.0),
        Box::new(split.tail.1),
        Box::new(split.months.0),
        Box::new(split.months.1),
    ]
}

/// The channels filter as JSON text for `json_each`, or `NULL` for all.
fn channels_json(channels: &Option<Vec<String>>) -> Option<String> {
    channels.as_ref().map(|c| serde_json::to_string(c).expect("strings serialize"))
}

fn unsigned(value: i64) -> u64 {
    value.max(0) as u64
}

impl ReportsDb for SqliteDb {
    fn counts_by_day(&self, query: CountQuery) -> DbFuture<'_, Vec<DayCount>> {
        Box::pin(self.call(move |c| {
            let mut stmt = c
                .prepare_cached(
                    "SELECT day, series, SUM(count) FROM daily_series
                     WHERE kind = ?1 AND day BETWEEN ?2 AND ?3
                       AND (?4 IS NULL OR channel IN (SELECT value FROM json_each(?4)))
                     GROUP BY day, series ORDER BY day, series",
                )
                .map_err(ctx("count by day"))?;
            let rows = stmt
                .query_map(params![query.kind, query.from, query.to, channels_json(&query.channels)], |row| {
                    Ok(DayCount { day: row.get(0)?, series: row.get(1)?, count: unsigned(row.get(2)?) })
                })
                .map_err(ctx("count by day"))?;
            rows.collect::<Result<_, _>>().map_err(ctx("read day count"))
        }))
    }

    fn counts_by_key(&self, query: CountQuery) -> DbFuture<'_, Vec<KeyCount>> {
        Box::pin(self.call(move |c| {
            let mut stmt = c
                .prepare_cached(
                    "WITH chosen AS (SELECT value FROM json_each(?4))
                     SELECT subject, variant, locale, SUM(count), SUM(ms), SUM(planned_ms) FROM (
                         SELECT subject, variant, locale, count, ms, planned_ms, channel FROM daily_counts
                         WHERE kind = ?1 AND day BETWEEN ?2 AND ?3
                         UNION ALL
                         SELECT subject, variant, locale, count, ms, planned_ms, channel FROM daily_counts
                         WHERE kind = ?1 AND day BETWEEN ?5 AND ?6
                         UNION ALL
                         SELECT subject, variant, locale, count, ms, planned_ms, channel FROM monthly_counts
                         WHERE kind = ?1 AND month BETWEEN ?7 AND ?8)
                     WHERE ?4 IS NULL OR channel IN chosen
                     GROUP BY subject, variant, locale ORDER BY subject, variant, locale",
                )
                .map_err(ctx("count by key"))?;
            let params = rusqlite::params_from_iter(split_params(&query));
            let rows = stmt
                .query_map(params, |row| {
                    Ok(KeyCount {
                        subject: row.get(0)?,
                        variant: row.get(1)?,
                        locale: row.get(2)?,
                        count: unsigned(row.get(3)?),
                        ms: unsigned(row.get(4)?),
                        planned_ms: unsigned(row.get(5)?),
                    })
                })
                .map_err(ctx("count by key"))?;
            rows.collect::<Result<_, _>>().map_err(ctx("read key count"))
        }))
    }

    fn counts_by_screen(&self, query: CountQuery) -> DbFuture<'_, Vec<ScreenCount>> {
        Box::pin(self.call(move |c| {
            let mut stmt = c
                .prepare_cached(
                    "WITH screens AS (SELECT id FROM devices
                          WHERE ?4 IS NULL OR channel IN (SELECT value FROM json_each(?4)))
                     SELECT device, subject, variant, SUM(count), SUM(ms), SUM(planned_ms) FROM (
                         SELECT device, subject, variant, count, ms, planned_ms FROM daily_screen_counts
                         WHERE kind = ?1 AND day BETWEEN ?2 AND ?3 AND device IN screens
                         UNION ALL
                         SELECT device, subject, variant, count, ms, planned_ms FROM daily_screen_counts
                         WHERE kind = ?1 AND day BETWEEN ?5 AND ?6 AND device IN screens
                         UNION ALL
                         SELECT device, subject, variant, count, ms, planned_ms FROM monthly_screen_counts
                         WHERE kind = ?1 AND month BETWEEN ?7 AND ?8 AND device IN screens)
                     GROUP BY device, subject, variant ORDER BY device, subject, variant",
                )
                .map_err(ctx("count by screen"))?;
            let params = rusqlite::params_from_iter(split_params(&query));
            let rows = stmt
                .query_map(params, |row| {
                    Ok(ScreenCount {
                        device: row.get(0)?,
                        subject: row.get(1)?,
                        variant: row.get(2)?,
                        count: unsigned(row.get(3)?),
                        ms: unsigned(row.get(4)?),
                        planned_ms: unsigned(row.get(5)?),
                    })
                })
                .map_err(ctx("count by screen"))?;
            rows.collect::<Result<_, _>>().map_err(ctx("read screen count"))
        }))
    }

    fn uptime_by_screen(
        &self,
        from: String,
        to: String,
        channels: Option<Vec<String>>,
    ) -> DbFuture<'_, Vec<(String, u64)>> {
        Box::pin(self.call(move |c| {
            let mut stmt = c
                .prepare_cached(
                    "SELECT device, SUM(online_s) FROM daily_uptime
                     WHERE day BETWEEN ?1 AND ?2
                       AND (?3 IS NULL OR device IN (SELECT id FROM devices
                            WHERE channel IN (SELECT value FROM json_each(?3))))
                     GROUP BY device ORDER BY device",
                )
                .map_err(ctx("up time by screen"))?;
            let rows = stmt
                .query_map(params![from, to, channels_json(&channels)], |row| {
                    Ok((row.get(0)?, unsigned(row.get(1)?)))
                })
                .map_err(ctx("up time by screen"))?;
            rows.collect::<Result<_, _>>().map_err(ctx("read up time"))
        }))
    }
}
