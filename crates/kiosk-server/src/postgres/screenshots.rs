//! [`ScreenshotsDb`] on PostgreSQL: the same records and answers as the SQLite
//! implementation ([`crate::screenshots::sqlite`]). Writes for one device take
//! that device's advisory lock for their transaction, so that replicas storing
//! at once still keep exactly its newest requests and screenshots; a request
//! is marked answered by a conditional update, so of two replicas receiving
//! the same answer one stores it and the other gets `None`.

use tokio_postgres::Row;

use super::{PgStore, ctx};
use crate::db::{DbError, DbFuture};
use crate::screenshots::db::{DeviceRef, NewScreenshot, ScreenshotInfo, ScreenshotRequest, ScreenshotsDb};

const INFO_COLUMNS: &str = "id, request, taken_at, received_at, width, height, bytes, sha256";

/// Takes, until the transaction ends, the lock that orders one device's
/// screenshot writes (an advisory lock keyed by the device's id).
const LOCK_DEVICE: &str = "SELECT pg_advisory_xact_lock(hashtextextended('screenshots:' || $1::text, 0))";

fn info_row(row: &Row) -> Result<ScreenshotInfo, tokio_postgres::Error> {
    Ok(ScreenshotInfo {
        id: row.try_get(0)?,
        request: row.try_get(1)?,
        taken_at: row.try_get(2)?,
        received_at: row.try_get(3)?,
        width: pixels(row.try_get(4)?),
        height: pixels(row.try_get(5)?),
        bytes: u64::try_from(row.try_get::<_, i64>(6)?).unwrap_or(0),
        sha256: row.try_get(7)?,
    })
}

fn pixels(value: i64) -> u32 {
    u32::try_from(value.max(0)).unwrap_or(u32::MAX)
}

/// How many rows to keep, as PostgreSQL's `LIMIT` takes it.
fn limit(keep: usize) -> i64 {
    i64::try_from(keep).unwrap_or(i64::MAX)
}

impl ScreenshotsDb for PgStore {
    fn device(&self, id: String) -> DbFuture<'_, Option<DeviceRef>> {
        Box::pin(async move {
            let client = self.client().await?;
            let row = client
                .query_opt("SELECT id, name, channel FROM devices WHERE id = $1", &[&id])
                .await
                .map_err(ctx("read device"))?;
            row.map(|row| {
                Ok(DeviceRef { id: row.try_get(0)?, name: row.try_get(1)?, channel: row.try_get(2)? })
            })
            .transpose()
            .map_err(ctx("read device"))
        })
    }

    fn add_request(&self, request: ScreenshotRequest, keep: usize) -> DbFuture<'_, ()> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(ctx("begin screenshot request"))?;
            tx.execute(LOCK_DEVICE, &[&request.device]).await.map_err(ctx("lock device's screenshots"))?;
            tx.execute(
                "INSERT INTO screenshot_requests (id, device, asked_by, asked_at, answered_at)
                     VALUES ($1, $2, $3, $4, $5)",
                &[&request.id, &request.device, &request.asked_by, &request.asked_at, &request.answered_at],
            )
            .await
            .map_err(ctx("store screenshot request"))?;
            tx.execute(
                "DELETE FROM screenshot_requests WHERE device = $1 AND seq NOT IN
                     (SELECT seq FROM screenshot_requests WHERE device = $1 ORDER BY seq DESC LIMIT $2)",
                &[&request.device, &limit(keep)],
            )
            .await
            .map_err(ctx("prune screenshot requests"))?;
            tx.commit().await.map_err(ctx("commit screenshot request"))
        })
    }

    fn request(&self, id: String) -> DbFuture<'_, Option<ScreenshotRequest>> {
        Box::pin(async move {
            let client = self.client().await?;
            let row = client
                .query_opt(
                    "SELECT id, device, asked_by, asked_at, answered_at FROM screenshot_requests WHERE id = $1",
                    &[&id],
                )
                .await
                .map_err(ctx("read screenshot request"))?;
            row.map(|row| {
                Ok(ScreenshotRequest {
                    id: row.try_get(0)?,
                    device: row.try_get(1)?,
                    asked_by: row.try_get(2)?,
                    asked_at: row.try_get(3)?,
                    answered_at: row.try_get(4)?,
                })
            })
            .transpose()
            .map_err(ctx("read screenshot request"))
        })
    }

    fn store(&self, shot: NewScreenshot, keep: usize) -> DbFuture<'_, Option<ScreenshotInfo>> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(ctx("begin screenshot"))?;
            tx.execute(LOCK_DEVICE, &[&shot.device]).await.map_err(ctx("lock device's screenshots"))?;
            if shot.request != kiosk_wire::screenshot::SCHEDULED {
                // A replica answering the same request at once waits for this
                // row, then finds it answered and changes nothing.
                let answered = tx
                    .execute(
                        "UPDATE screenshot_requests SET answered_at = $3
                             WHERE id = $1 AND device = $2 AND answered_at IS NULL",
                        &[&shot.request, &shot.device, &shot.received_at],
                    )
                    .await
                    .map_err(ctx("answer screenshot request"))?;
                if answered == 0 {
                    return Ok(None);
                }
            }
            let bytes = i64::try_from(shot.png.len())
                .map_err(|e| DbError { context: "store screenshot", source: Box::new(e) })?;
            let id: i64 = tx
                .query_one(
                    "INSERT INTO screenshots
                         (device, request, taken_at, received_at, width, height, bytes, sha256, png)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                    &[
                        &shot.device,
                        &shot.request,
                        &shot.taken_at,
                        &shot.received_at,
                        &i64::from(shot.width),
                        &i64::from(shot.height),
                        &bytes,
                        &shot.sha256,
                        &shot.png,
                    ],
                )
                .await
                .map_err(ctx("store screenshot"))?
                .try_get(0)
                .map_err(ctx("store screenshot"))?;
            tx.execute(
                "DELETE FROM screenshots WHERE device = $1 AND id NOT IN
                     (SELECT id FROM screenshots WHERE device = $1 ORDER BY id DESC LIMIT $2)",
                &[&shot.device, &limit(keep)],
            )
            .await
            .map_err(ctx("prune screenshots"))?;
            let stored = tx
                .query_one(&format!("SELECT {INFO_COLUMNS} FROM screenshots WHERE id = $1"), &[&id])
                .await
                .map_err(ctx("read screenshot"))?;
            let stored = info_row(&stored).map_err(ctx("read screenshot"))?;
            tx.commit().await.map_err(ctx("commit screenshot"))?;
            Ok(Some(stored))
        })
    }

    fn list(&self, device: String) -> DbFuture<'_, Vec<ScreenshotInfo>> {
        Box::pin(async move {
            let client = self.client().await?;
            let rows = client
                .query(
                    &format!("SELECT {INFO_COLUMNS} FROM screenshots WHERE device = $1 ORDER BY id DESC"),
                    &[&device],
                )
                .await
                .map_err(ctx("list screenshots"))?;
            rows.iter().map(info_row).collect::<Result<_, _>>().map_err(ctx("read screenshot"))
        })
    }

    fn png(&self, device: String, id: i64) -> DbFuture<'_, Option<Vec<u8>>> {
        Box::pin(async move {
            let client = self.client().await?;
            let row = client
                .query_opt("SELECT png FROM screenshots WHERE id = $1 AND device = $2", &[&id, &device])
                .await
                .map_err(ctx("read screenshot picture"))?;
            row.map(|row| row.try_get(0)).transpose().map_err(ctx("read screenshot picture"))
        })
    }
}
