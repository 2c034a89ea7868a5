//! Reports on what the screens showed and what visitors did, from the events
//! screens report (`docs/console-api.md`, "Reports").
//!
//! Events are counted into daily totals in the same transaction that stores
//! them, so a report reads a few thousand rows however many events a year
//! brought, and an event sent twice is counted once (it is stored once).
//!
//! - [`skew`]: when an event happened by the server's clock, for a screen whose
//!   clock is off (pure).
//! - [`tally`]: what one event adds to the daily counts (pure).
//! - [`uptime`]: a screen's up time from the gaps between its heartbeats (pure).
//! - [`range`]: the days a report covers, from the request (pure).
//! - [`pages`]: a report's chart series and tables from the counts (pure).
//! - [`db`], [`sqlite`]: what reports read, and the counts kept on the embedded database.
//! - [`routes`]: reports as JSON and every table as CSV.
//! - [`yearly`]: the province's yearly report, as a PDF (`kiosk-yearly-report`).

use std::time::Duration;

use jiff::tz::TimeZone;

pub mod db;
pub mod pages;
pub mod range;
pub mod routes;
pub mod skew;
pub mod sqlite;
pub mod tally;
pub mod uptime;
pub mod yearly;

/// The zone days are counted in when the config names none.
pub const DEFAULT_REPORT_ZONE: &str = "Asia/Ho_Chi_Minh";

/// How events and heartbeats are counted: the zone days are in, and the gap
/// between heartbeats beyond which a screen was offline.
#[derive(Debug, Clone)]
pub struct Counting {
    /// Days begin at midnight here.
    pub zone: TimeZone,
    /// A longer gap between heartbeats is not up time.
    pub offline_after: Duration,
}

impl Default for Counting {
    fn default() -> Self {
        Self {
            zone: TimeZone::get(DEFAULT_REPORT_ZONE).unwrap_or(TimeZone::UTC),
            offline_after: Duration::from_secs(crate::settings::DEFAULT_OFFLINE_AFTER_S),
        }
    }
}

impl Counting {
    /// The zone's IANA name (`UTC` for a zone without one).
    pub fn zone_name(&self) -> String {
        self.zone.iana_name().unwrap_or("UTC").to_owned()
    }
}
