//! What reports read, behind the [`ReportsDb`] trait: the daily counts kept as
//! events arrive ([`super::tally`]) and each screen's up time
//! ([`super::uptime`]). [`SqliteDb`](crate::sqlite::SqliteDb) implements it
//! ([`super::sqlite`]).

use std::sync::Arc;

use crate::db::DbFuture;

/// The reports' database every handler shares.
pub type ReportsStore = Arc<dyn ReportsDb>;

/// Which counts to read: one kind, days `from..=to` (`YYYY-MM-DD` in the
/// report's zone), and the channels (`None`: all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountQuery {
    /// The event kind ([`super::tally::COUNTED_KINDS`]).
    pub kind: &'static str,
    /// The first day.
    pub from: String,
    /// The last day, included.
    pub to: String,
    /// Only these channels.
    pub channels: Option<Vec<String>>,
}

/// Counts of one day and chart line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCount {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// The chart line ([`super::tally::Counted::series`]).
    pub series: String,
    /// How many.
    pub count: u64,
}

/// Counts of one subject, variant and language over the range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCount {
    /// What it was about.
    pub subject: String,
    /// Which form it took.
    pub variant: String,
    /// In which language.
    pub locale: String,
    /// How many.
    pub count: u64,
    /// Milliseconds shown.
    pub ms: u64,
    /// Milliseconds planned.
    pub planned_ms: u64,
}

/// Counts of one screen over the range ([`super::tally::PerScreen`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenCount {
    /// The device id.
    pub device: String,
    /// The subject kept per screen.
    pub subject: String,
    /// The variant kept per screen.
    pub variant: String,
    /// How many.
    pub count: u64,
    /// Milliseconds shown.
    pub ms: u64,
    /// Milliseconds planned.
    pub planned_ms: u64,
}

/// The records behind reports; safe to call concurrently.
pub trait ReportsDb: Send + Sync + 'static {
    /// Counts per day and chart line.
    fn counts_by_day(&self, query: CountQuery) -> DbFuture<'_, Vec<DayCount>>;

    /// Counts per subject, variant and language.
    fn counts_by_key(&self, query: CountQuery) -> DbFuture<'_, Vec<KeyCount>>;

    /// Counts per screen, subject and variant (screens of the channels as they
    /// are now).
    fn counts_by_screen(&self, query: CountQuery) -> DbFuture<'_, Vec<ScreenCount>>;

    /// Seconds up per screen over days `from..=to`.
    fn uptime_by_screen(
        &self,
        from: String,
        to: String,
        channels: Option<Vec<String>>,
    ) -> DbFuture<'_, Vec<(String, u64)>>;
}
