//! What the screenshots keep, behind the [`ScreenshotsDb`] trait: the requests
//! staff made, and each device's newest screenshots with their PNG.
//! [`SqliteDb`](crate::sqlite::SqliteDb) implements it ([`super::sqlite`]).

use std::sync::Arc;

use serde::Serialize;

use crate::db::DbFuture;

/// The screenshots database every screenshot handler shares.
pub type ScreenshotStore = Arc<dyn ScreenshotsDb>;

/// A device, as a screenshot route needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRef {
    /// Its id.
    pub id: String,
    /// The name it gave at enrolment.
    pub name: String,
    /// Its channel.
    pub channel: String,
}

/// A request for a screenshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenshotRequest {
    /// Its id (32 hex digits).
    pub id: String,
    /// The device asked.
    pub device: String,
    /// Who asked.
    pub asked_by: String,
    /// When (server time).
    pub asked_at: String,
    /// When the screen's screenshot arrived; `None` while it has not.
    pub answered_at: Option<String>,
}

/// A screenshot to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewScreenshot {
    /// The device that took it.
    pub device: String,
    /// The request it answers, or `scheduled`.
    pub request: String,
    /// When the device took it, by its clock.
    pub taken_at: String,
    /// When it arrived (server time).
    pub received_at: String,
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// SHA-256 of the PNG, hex.
    pub sha256: String,
    /// The PNG.
    pub png: Vec<u8>,
}

/// A stored screenshot, without its PNG.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct ScreenshotInfo {
    /// Its number; the picture is `GET /v1/admin/devices/{id}/screenshots/{n}.png`.
    #[ts(type = "number")]
    pub id: i64,
    /// The request it answers, or `scheduled`.
    pub request: String,
    /// When the screen took it, by the screen's clock.
    pub taken_at: String,
    /// When it arrived, by the server's clock.
    pub received_at: String,
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// Bytes of the PNG.
    #[ts(type = "number")]
    pub bytes: u64,
    /// SHA-256 of the PNG, hex.
    pub sha256: String,
}

/// The records behind screenshots; safe to call concurrently.
pub trait ScreenshotsDb: Send + Sync + 'static {
    /// The device with this id.
    fn device(&self, id: String) -> DbFuture<'_, Option<DeviceRef>>;

    /// Stores a new request, keeping the device's newest `keep` requests.
    fn add_request(&self, request: ScreenshotRequest, keep: usize) -> DbFuture<'_, ()>;

    /// The request with this id.
    fn request(&self, id: String) -> DbFuture<'_, Option<ScreenshotRequest>>;

    /// Stores a screenshot, marks the request it answers answered, and drops
    /// the device's screenshots beyond its newest `keep`, in one transaction;
    /// `None` when its request was answered in between (nothing is stored).
    fn store(&self, shot: NewScreenshot, keep: usize) -> DbFuture<'_, Option<ScreenshotInfo>>;

    /// A device's screenshots, newest first.
    fn list(&self, device: String) -> DbFuture<'_, Vec<ScreenshotInfo>>;

    /// The PNG of a device's screenshot `id`.
    fn png(&self, device: String, id: i64) -> DbFuture<'_, Option<Vec<u8>>>;
}
