//! [`ReportsDb`] on PostgreSQL, and the counts kept in the transaction that
//! stores a report's events, as on SQLite ([`crate::reports::sqlite`]): per
//! channel by day and by month, the day chart's lines, per screen by day and by
//! month, up time by day, and `report_meta` naming the zone the days are in.
//! What an event adds is [`tally`]'s rule, up time [`uptime`]'s.
//!
//! The counts a transaction adds are summed in a [`Batch`] first and written
//! one statement per table, each table's rows in key order, so that replicas
//! counting reports at once always lock rows in the same order (no deadlock).
//! The start-up recount ([`rebuild_if_needed`]) runs on one replica at a time
//! and holds back new events while it counts the stored ones.

use std::collections::BTreeMap;

use deadpool_postgres::Transaction;
use jiff::Timestamp;
use tokio_postgres::types::ToSql;

use super::{PgStore, ctx};
use crate::db::{DbError, DbFuture};
use crate::reports::db::{CountQuery, DayCount, KeyCount, ReportsDb, ScreenCount};
use crate::reports::range::MonthSplit;
use crate::reports::tally::{self, Counted};
use crate::reports::{Counting, uptime};

/// The advisory lock key replicas recount under (`"kiosk-rec"` as bytes).
const RECOUNT_LOCK: i64 = 0x6b69_6f73_6b2d_7265;

/// Rows written per statement.
const ROWS_PER_STATEMENT: usize = 5_000;

/// Stored events read at a time while recounting.
const EVENTS_PER_READ: i32 = 10_000;

/// One counts table's rows to add: key columns → sums of the value columns.
#[derive(Debug)]
struct Table {
    name: &'static str,
    keys: &'static [&'static str],
    values: &'static [&'static str],
    rows: BTreeMap<Vec<String>, Vec<i64>>,
}

impl Table {
    fn new(name: &'static str, keys: &'static [&'static str], values: &'static [&'static str]) -> Self {
        Self { name, keys, values, rows: BTreeMap::new() }
    }

    fn add(&mut self, key: Vec<String>, values: &[i64]) {
        let sums = self.rows.entry(key).or_insert_with(|| vec![0; values.len()]);
        for (sum, value) in sums.iter_mut().zip(values) {
            *sum = sum.saturating_add(*value);
        }
    }

    /// Adds the rows to the table, in key order.
    async fn write(&self, tx: &Transaction<'_>) -> Result<(), DbError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let columns = self.keys.iter().chain(self.values).copied().collect::<Vec<_>>().join(", ");
        let arrays = (1..=self.keys.len() + self.values.len())
            .map(|n| format!("${n}::{}[]", if n <= self.keys.len() { "TEXT" } else { "BIGINT" }))
            .collect::<Vec<_>>()
            .join(", ");
        let sums = self
            .values
            .iter()
            .map(|v| format!("{v} = {table}.{v} + EXCLUDED.{v}", table = self.name))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO {table} ({columns}) SELECT * FROM UNNEST({arrays})
             ON CONFLICT ({keys}) DO UPDATE SET {sums}",
            table = self.name,
            keys = self.keys.join(", "),
        );
        let statement = tx.prepare_cached(&sql).await.map_err(ctx("count events"))?;
        let rows = self.rows.iter().collect::<Vec<_>>();
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let keys: Vec<Vec<&str>> =
                (0..self.keys.len()).map(|i| chunk.iter().map(|(k, _)| k[i].as_str()).collect()).collect();
            let values: Vec<Vec<i64>> =
                (0..self.values.len()).map(|i| chunk.iter().map(|(_, v)| v[i]).collect()).collect();
            let params: Vec<&(dyn ToSql + Sync)> = keys
                .iter()
                .map(|k| k as &(dyn ToSql + Sync))
                .chain(values.iter().map(|v| v as &(dyn ToSql + Sync)))
                .collect();
            tx.execute(&statement, &params).await.map_err(ctx("count events"))?;
        }
        Ok(())
    }
}

fn owned(key: &[&str]) -> Vec<String> {
    key.iter().map(|part| (*part).to_owned()).collect()
}

/// Counts to add to the counts tables, summed per row.
#[derive(Debug)]
pub(crate) struct Batch {
    tables: [Table; 5],
}

impl Default for Batch {
    fn default() -> Self {
        const SUMS: &[&str] = &["count", "ms", "planned_ms"];
        Self {
            tables: [
                Table::new("daily_counts", &["kind", "day", "channel", "subject", "variant", "locale"], SUMS),
                Table::new(
                    "monthly_counts",
                    &["kind", "month", "channel", "subject", "variant", "locale"],
                    SUMS,
                ),
                Table::new("daily_series", &["kind", "day", "channel", "series"], &["count"]),
                Table::new("daily_screen_counts", &["kind", "day", "device", "subject", "variant"], SUMS),
                Table::new("monthly_screen_counts", &["kind", "month", "device", "subject", "variant"], SUMS),
            ],
        }
    }
}

impl Batch {
    /// Adds `times` events like `counted` of `device` on `channel` (its `ms`
    /// and `planned_ms` being their sums).
    pub(crate) fn add(&mut self, device: &str, channel: &str, counted: &Counted, times: i64) {
        let [days, months, series, screen_days, screen_months] = &mut self.tables;
        let sums = [times, counted.ms, counted.planned_ms];
        let (kind, day, month) = (counted.kind, counted.day.as_str(), counted.month());
        let (subject, variant, locale) = (&*counted.subject, &*counted.variant, &*counted.locale);
        for (table, period) in [(days, day), (months, month)] {
            table.add(owned(&[kind, period, channel, subject, variant, locale]), &sums);
        }
        series.add(owned(&[kind, day, channel, &counted.series()]), &[times]);
        let screen = counted.per_screen();
        for (table, period) in [(screen_days, day), (screen_months, month)] {
            table.add(owned(&[kind, period, device, &screen.subject, &screen.variant]), &sums);
        }
    }

    /// Adds everything to the counts tables, one table after the other.
    pub(crate) async fn write(&self, tx: &Transaction<'_>) -> Result<(), DbError> {
        for table in &self.tables {
            table.write(tx).await?;
        }
        Ok(())
    }
}

/// Credits a screen's up time for the gap since its `previous` heartbeat.
pub(crate) async fn credit_uptime(
    tx: &Transaction<'_>,
    device: &str,
    previous: Option<Timestamp>,
    now: Timestamp,
    counting: &Counting,
) -> Result<(), DbError> {
    for (day, seconds) in uptime::credit(previous, now, counting.offline_after, &counting.zone) {
        tx.execute(
            "INSERT INTO daily_uptime (device, day, online_s) VALUES ($1, $2, $3)
             ON CONFLICT (device, day) DO UPDATE SET online_s = daily_uptime.online_s + EXCLUDED.online_s",
            &[&device, &day, &seconds],
        )
        .await
        .map_err(ctx("credit up time"))?;
    }
    Ok(())
}

/// Rebuilds the counts from the stored events when they were counted in
/// another zone than the store's (or never); how many events were counted.
/// One replica recounts at a time, and new events wait until it is done.
pub(crate) async fn rebuild_if_needed(store: &PgStore) -> Result<Option<u64>, DbError> {
    let counting = store.counting();
    let zone = counting.zone_name();
    let mut client = store.client().await?;
    let tx = client.transaction().await.map_err(ctx("begin recount"))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&RECOUNT_LOCK])
        .await
        .map_err(ctx("wait for other replicas' recount"))?;
    let counted_in: Option<String> = tx
        .query_opt("SELECT value FROM report_meta WHERE key = 'zone'", &[])
        .await
        .map_err(ctx("read report zone"))?
        .map(|row| row.get(0));
    if counted_in.as_deref() == Some(zone.as_str()) {
        return Ok(None);
    }
    tx.batch_execute(
        "LOCK TABLE events IN SHARE MODE;
         DELETE FROM daily_counts; DELETE FROM monthly_counts; DELETE FROM daily_series;
         DELETE FROM daily_screen_counts; DELETE FROM monthly_screen_counts;",
    )
    .await
    .map_err(ctx("clear daily counts"))?;
    let portal = tx
        .bind(
            "SELECT e.device_id, d.channel, e.kind, COALESCE(e.counted_at, e.at), e.data
             FROM events e JOIN devices d ON d.id = e.device_id",
            &[],
        )
        .await
        .map_err(ctx("read events to recount"))?;
    let mut batch = Batch::default();
    let mut counted = 0;
    loop {
        let rows = tx.query_portal(&portal, EVENTS_PER_READ).await.map_err(ctx("read events to recount"))?;
        for row in &rows {
            let at: String = row.get(3);
            let Ok(at) = at.parse::<Timestamp>() else { continue };
            let (device, channel, kind, data): (&str, &str, &str, &str) =
                (row.get(0), row.get(1), row.get(2), row.get(4));
            if let Some(event) = tally::count_stored(kind, at, data, &counting.zone) {
                batch.add(device, channel, &event, 1);
            }
            counted += 1;
        }
        if rows.len() < usize::try_from(EVENTS_PER_READ).unwrap_or(usize::MAX) {
            break;
        }
    }
    batch.write(&tx).await?;
    tx.execute(
        "INSERT INTO report_meta (key, value) VALUES ('zone', $1)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        &[&zone],
    )
    .await
    .map_err(ctx("record report zone"))?;
    tx.commit().await.map_err(ctx("commit recount"))?;
    Ok(Some(counted))
}

/// A sum read back (never negative when stored by this program).
fn unsigned(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// Reads rows of a query over whole months and the days around them
/// ([`MonthSplit`]): `$1` the kind, `$2`–`$3` the days before, `$4` the
/// channels (`NULL`: all), `$5`–`$6` the days after, `$7`–`$8` the months.
async fn query_split(
    store: &PgStore,
    sql: &str,
    query: &CountQuery,
    context: &'static str,
) -> Result<Vec<tokio_postgres::Row>, DbError> {
    let split = MonthSplit::of(&query.from, &query.to);
    let client = store.client().await?;
    let statement = client.prepare_cached(sql).await.map_err(ctx(context))?;
    client
        .query(
            &statement,
            &[
                &query.kind,
                &split.head.0,
                &split.head.1,
                &query.channels,
                &split.tail.0,
                &split.tail.1,
                &split.months.0,
                &split.months.1,
            ],
        )
        .await
        .map_err(ctx(context))
}

impl ReportsDb for PgStore {
    fn counts_by_day(&self, query: CountQuery) -> DbFuture<'_, Vec<DayCount>> {
        Box::pin(async move {
            let client = self.client().await?;
            let statement = client
                .prepare_cached(
                    "SELECT day, series, SUM(count)::BIGINT FROM daily_series
                     WHERE kind = $1 AND day BETWEEN $2 AND $3
                       AND ($4::TEXT[] IS NULL OR channel = ANY($4))
                     GROUP BY day, series ORDER BY day COLLATE \"C\", series COLLATE \"C\"",
                )
                .await
                .map_err(ctx("count by day"))?;
            let rows = client
                .query(&statement, &[&query.kind, &query.from, &query.to, &query.channels])
                .await
                .map_err(ctx("count by day"))?;
            Ok(rows
                .iter()
                .map(|row| DayCount { day: row.get(0), series: row.get(1), count: unsigned(row.get(2)) })
                .collect())
        })
    }

    fn counts_by_key(&self, query: CountQuery) -> DbFuture<'_, Vec<KeyCount>> {
        Box::pin(async move {
            let rows = query_split(
                self,
                "SELECT subject, variant, locale, SUM(count)::BIGINT, SUM(ms)::BIGINT, SUM(planned_ms)::BIGINT
                 FROM (
                     SELECT subject, variant, locale, count, ms, planned_ms, channel FROM daily_counts
                     WHERE kind = $1 AND day BETWEEN $2 AND $3
                     UNION ALL
                     SELECT subject, variant, locale, count, ms, planned_ms, channel FROM daily_counts
                     WHERE kind = $1 AND day BETWEEN $5 AND $6
                     UNION ALL
                     SELECT subject, variant, locale, count, ms, planned_ms, channel FROM monthly_counts
                     WHERE kind = $1 AND month BETWEEN $7 AND $8) AS counted
                 WHERE $4::TEXT[] IS NULL OR channel = ANY($4)
                 GROUP BY subject, variant, locale
                 ORDER BY subject COLLATE \"C\", variant COLLATE \"C\", locale COLLATE \"C\"",
                &query,
                "count by key",
            )
            .await?;
            Ok(rows
                .iter()
                .map(|row| KeyCount {
                    subject: row.get(0),
                    variant: row.get(1),
                    locale: row.get(2),
                    count: unsigned(row.get(3)),
                    ms: unsigned(row.get(4)),
                    planned_ms: unsigned(row.get(5)),
                })
                .collect())
        })
    }

    fn counts_by_screen(&self, query: CountQuery) -> DbFuture<'_, Vec<ScreenCount>> {
        Box::pin(async move {
            let rows = query_split(
                self,
                "WITH screens AS (SELECT id FROM devices WHERE $4::TEXT[] IS NULL OR channel = ANY($4))
                 SELECT device, subject, variant, SUM(count)::BIGINT, SUM(ms)::BIGINT, SUM(planned_ms)::BIGINT
                 FROM (
                     SELECT device, subject, variant, count, ms, planned_ms FROM daily_screen_counts
                     WHERE kind = $1 AND day BETWEEN $2 AND $3 AND device IN (SELECT id FROM screens)
                     UNION ALL
                     SELECT device, subject, variant, count, ms, planned_ms FROM daily_screen_counts
                     WHERE kind = $1 AND day BETWEEN $5 AND $6 AND device IN (SELECT id FROM screens)
                     UNION ALL
                     SELECT device, subject, variant, count, ms, planned_ms FROM monthly_screen_counts
                     WHERE kind = $1 AND month BETWEEN $7 AND $8 AND device IN (SELECT id FROM screens)
                 ) AS counted
                 GROUP BY device, subject, variant
                 ORDER BY device COLLATE \"C\", subject COLLATE \"C\", variant COLLATE \"C\"",
                &query,
                "count by screen",
            )
            .await?;
            Ok(rows
                .iter()
                .map(|row| ScreenCount {
                    device: row.get(0),
                    subject: row.get(1),
                    variant: row.get(2),
                    count: unsigned(row.get(3)),
                    ms: unsigned(row.get(4)),
                    planned_ms: unsigned(row.get(5)),
                })
                .collect())
        })
    }

    fn uptime_by_screen(
        &self,
        from: String,
        to: String,
        channels: Option<Vec<String>>,
    ) -> DbFuture<'_, Vec<(String, u64)>> {
        Box::pin(async move {
            let client = self.client().await?;
            let statement = client
                .prepare_cached(
                    "SELECT device, SUM(online_s)::BIGINT FROM daily_uptime
                     WHERE day BETWEEN $1 AND $2
                       AND ($3::TEXT[] IS NULL OR device IN (SELECT id FROM devices WHERE channel = ANY($3)))
                     GROUP BY device ORDER BY device COLLATE \"C\"",
                )
                .await
                .map_err(ctx("up time by screen"))?;
            let rows =
                client.query(&statement, &[&from, &to, &channels]).await.map_err(ctx("up time by screen"))?;
            Ok(rows.iter().map(|row| (row.get(0), unsigned(row.get(1)))).collect())
        })
    }
}
