//! [`ScreenshotsDb`] on the embedded SQLite database (its tables are migration 8
//! of [`crate::sqlite::MIGRATIONS`]).

use rusqlite::{OptionalExtension, Row, params};

use super::db::{DeviceRef, NewScreenshot, ScreenshotInfo, ScreenshotRequest, ScreenshotsDb};
use crate::db::DbFuture;
use crate::sqlite::{SqliteDb, ctx};

const INFO_SELECT: &str =
    "SELECT id, request, taken_at, received_at, width, height, bytes, sha256 FROM screenshots";

fn info_row(row: &Row<'_>) -> rusqlite::Result<ScreenshotInfo> {
    Ok(ScreenshotInfo {
        id: row.get(0)?,
        request: row.get(1)?,
        taken_at: row.get(2)?,
        received_at: row.get(3)?,
        width: row.get(4)?,
        height: row.get(5)?,
        bytes: row.get::<_, i64>(6)?.max(0) as u64,
        sha256: row.get(7)?,
    })
}

impl ScreenshotsDb for SqliteDb {
    fn device(&self, id: String) -> DbFuture<'_, Option<DeviceRef>> {
        Box::pin(self.call(move |c| {
            c.query_row("SELECT id, name, channel FROM devices WHERE id = ?1", [id], |row| {
                Ok(DeviceRef { id: row.get(0)?, name: row.get(1)?, channel: row.get(2)? })
            })
            .optional()
            .map_err(ctx("read device"))
        }))
    }

    fn add_request(&self, request: ScreenshotRequest, keep: usize) -> DbFuture<'_, ()> {
        Box::pin(self.call(move |c| {
            let tx = c.transaction().map_err(ctx("begin screenshot request"))?;
            tx.execute(
                "INSERT INTO screenshot_requests (id, device, asked_by, asked_at, answered_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                params![request.id, request.device, request.asked_by, request.asked_at, request.answered_at],
            )
            .map_err(ctx("store screenshot request"))?;
            tx.execute(
                "DELETE FROM screenshot_requests WHERE device = ?1 AND rowid NOT IN
                     (SELECT rowid FROM screenshot_requests WHERE device = ?1 ORDER BY rowid DESC LIMIT ?2)",
                params![request.device, keep as i64],
            )
            .map_err(ctx("prune screenshot requests"))?;
            tx.commit().map_err(ctx("commit screenshot request"))
        }))
    }

    fn request(&self, id: String) -> DbFuture<'_, Option<ScreenshotRequest>> {
        Box::pin(self.call(move |c| {
            c.query_row(
                "SELECT id, device, asked_by, asked_at, answered_at FROM screenshot_requests WHERE id = ?1",
                [id],
                |row| {
                    Ok(ScreenshotRequest {
                        id: row.get(0)?,
                        device: row.get(1)?,
                        asked_by: row.get(2)?,
                        asked_at: row.get(3)?,
                        answered_at: row.get(4)?,
                    })
                },
            )
            .optional()
            .map_err(ctx("read screenshot request"))
        }))
    }

    fn store(&self, shot: NewScreenshot, keep: usize) -> DbFuture<'_, Option<ScreenshotInfo>> {
        Box::pin(self.call(move |c| {
            let tx = c.transaction().map_err(ctx("begin screenshot"))?;
            if shot.request != kiosk_wire::screenshot::SCHEDULED {
                let answered = tx
                    .execute(
                        "UPDATE screenshot_requests SET answered_at = ?3
                             WHERE id = ?1 AND device = ?2 AND answered_at IS NULL",
                        params![shot.request, shot.device, shot.received_at],
                    )
                    .map_err(ctx("answer screenshot request"))?;
                if answered == 0 {
                    return Ok(None);
                }
            }
            tx.execute(
                "INSERT INTO screenshots
                     (device, request, taken_at, received_at, width, height, bytes, sha256, png)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    shot.device,
                    shot.request,
                    shot.taken_at,
                    shot.received_at,
                    shot.width,
                    shot.height,
                    shot.png.len() as i64,
                    shot.sha256,
                    shot.png
                ],
            )
            .map_err(ctx("store screenshot"))?;
            let id = tx.last_insert_rowid();
            tx.execute(
                "DELETE FROM screenshots WHERE device = ?1 AND id NOT IN
                     (SELECT id FROM screenshots WHERE device = ?1 ORDER BY id DESC LIMIT ?2)",
                params![shot.device, keep as i64],
            )
            .map_err(ctx("prune screenshots"))?;
            let stored = tx
                .query_row(&format!("{INFO_SELECT} WHERE id = ?1"), [id], info_row)
                .map_err(ctx("read screenshot"))?;
            tx.commit().map_err(ctx("commit screenshot"))?;
            Ok(Some(stored))
        }))
    }

    fn list(&self, device: String) -> DbFuture<'_, Vec<ScreenshotInfo>> {
        Box::pin(self.call(move |c| {
            let mut stmt = c
                .prepare(&format!("{INFO_SELECT} WHERE device = ?1 ORDER BY id DESC"))
                .map_err(ctx("list screenshots"))?;
            let rows = stmt.query_map([device], info_row).map_err(ctx("list screenshots"))?;
            rows.collect::<Result<_, _>>().map_err(ctx("read screenshot"))
        }))
    }

    fn png(&self, device: String, id: i64) -> DbFuture<'_, Option<Vec<u8>>> {
        Box::pin(self.call(move |c| {
            c.query_row(
                "SELECT png FROM screenshots WHERE id = ?1 AND device = ?2",
                params![id, device],
                |row| row.get(0),
            )
            .optional()
            .map_err(ctx("read screenshot picture"))
        }))
    }
}
