//! Whether a screen is online, from the age of its last heartbeat: pure.

use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;

/// What the console shows of a screen's liveness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "console/src/generated/")]
pub enum ScreenStatus {
    /// Its last heartbeat is younger than half the threshold.
    Online,
    /// Younger than the threshold, older than half of it: a round or two missed.
    Late,
    /// Older than the threshold: the screen has an alert.
    Offline,
    /// It enrolled and never reported.
    Never,
}

/// The status of a screen last seen at `last_seen`, at `now`, when screens
/// quiet for `offline_after` count as offline. A heartbeat from the future
/// (a clock stepped back) counts as fresh.
pub fn status(last_seen: Option<Timestamp>, now: Timestamp, offline_after: Duration) -> ScreenStatus {
    let Some(last_seen) = last_seen else {
        return ScreenStatus::Never;
    };
    let age = now.duration_since(last_seen).unsigned_abs();
    if now < last_seen || age < offline_after / 2 {
        ScreenStatus::Online
    } else if age < offline_after {
        ScreenStatus::Late
    } else {
        ScreenStatus::Offline
    }
}

/// How often the watcher looks: a quarter of the threshold, at least every
/// 30 s, at most every second.
pub fn check_every(offline_after: Duration) -> Duration {
    (offline_after / 4).clamp(Duration::from_secs(1), Duration::from_secs(30))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_screen_is_online_then_late_then_offline_as_its_heartbeat_ages() {
        let seen: Timestamp = "2026-12-06T10:00:00Z".parse().unwrap();
        let after = |secs: i64| seen + jiff::SignedDuration::from_secs(secs);
        let threshold = Duration::from_secs(600);
        assert_eq!(status(None, seen, threshold), ScreenStatus::Never);
        assert_eq!(status(Some(seen), after(0), threshold), ScreenStatus::Online);
        assert_eq!(status(Some(seen), after(299), threshold), ScreenStatus::Online);
        assert_eq!(status(Some(seen), after(300), threshold), ScreenStatus::Late);
        assert_eq!(status(Some(seen), after(599), threshold), ScreenStatus::Late);
        assert_eq!(status(Some(seen), after(600), threshold), ScreenStatus::Offline);
        assert_eq!(status(Some(seen), after(-3600), threshold), ScreenStatus::Online, "a clock stepped back");
    }

    #[test]
    fn the_watcher_looks_often_enough_to_flag_within_a_quarter_of_the_threshold() {
        assert_eq!(check_every(Duration::from_secs(600)), Duration::from_secs(30));
        assert_eq!(check_every(Duration::from_secs(8)), Duration::from_secs(2));
        assert_eq!(check_every(Duration::from_secs(2)), Duration::from_secs(1));
    }
}
