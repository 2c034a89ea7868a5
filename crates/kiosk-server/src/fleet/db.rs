//! What the fleet view keeps, behind the [`FleetDb`] trait: each screen's place
//! and its alerts. [`SqliteDb`](crate::sqlite::SqliteDb) implements it
//! ([`super::sqlite`]).

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;

use super::status::{ScreenStatus, status};
use crate::db::DbFuture;

/// The fleet database every fleet handler and the watcher share.
pub type FleetStore = Arc<dyn FleetDb>;

/// A screen as the fleet view reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenRow {
    /// Its device id.
    pub id: String,
    /// The name it gave at enrolment.
    pub name: String,
    /// Its channel.
    pub channel: String,
    /// Where it stands, as staff wrote it.
    pub location: Option<String>,
    /// The country it stands in (ISO 3166 alpha-2).
    pub country: Option<String>,
    /// When it enrolled.
    pub enrolled_at: Option<String>,
    /// The server's time of its last heartbeat.
    pub last_heartbeat_at: Option<String>,
    /// That heartbeat, as sent.
    pub heartbeat: Option<serde_json::Value>,
    /// When staff revoked its token, if they did.
    pub token_revoked_at: Option<String>,
}

impl ScreenRow {
    /// Whether it is online at `now`, from its last heartbeat ([`status`]).
    pub fn status(&self, now: Timestamp, offline_after: Duration) -> ScreenStatus {
        status(self.last_heartbeat_at.as_deref().and_then(|t| t.parse().ok()), now, offline_after)
    }
}

/// Where a screen stands: each field `None` keeps what is stored, `Some(None)` forgets it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    /// The location text.
    pub location: Option<Option<String>>,
    /// The country (ISO 3166 alpha-2).
    pub country: Option<Option<String>>,
}

/// A screen that went quiet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct FleetAlert {
    /// Its number.
    #[ts(type = "number")]
    pub id: i64,
    /// The screen's device id.
    pub device: String,
    /// The screen's name.
    pub device_name: String,
    /// The screen's channel.
    pub channel: String,
    /// `offline`.
    pub kind: String,
    /// The last heartbeat before it went quiet.
    pub since: Option<String>,
    /// When the server noticed.
    pub raised_at: String,
    /// When the screen reported again.
    pub cleared_at: Option<String>,
    /// When the webhook took it.
    pub notified_at: Option<String>,
}

/// The records behind the fleet view; safe to call concurrently.
pub trait FleetDb: Send + Sync + 'static {
    /// Every screen, by name.
    fn screens(&self) -> DbFuture<'_, Vec<ScreenRow>>;

    /// Sets where a screen stands (what `place` gives); `false` when there is no such screen.
    fn set_place(&self, device: String, place: Place) -> DbFuture<'_, bool>;

    /// Opens an `offline` alert for a screen unless one is open; the new alert, if any.
    fn raise_alert(
        &self,
        device: String,
        since: Option<String>,
        at: String,
    ) -> DbFuture<'_, Option<FleetAlert>>;

    /// Closes the screen's open alerts; how many.
    fn clear_alerts(&self, device: String, at: String) -> DbFuture<'_, usize>;

    /// Records that the webhook took an alert.
    fn mark_notified(&self, id: i64, at: String) -> DbFuture<'_, ()>;

    /// Alerts, newest first: the open ones only, or the newest `limit` of all.
    fn alerts(&self, open_only: bool, limit: u32) -> DbFuture<'_, Vec<FleetAlert>>;
}
