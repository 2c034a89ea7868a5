//! When a screen's events happened by the server's clock.
//!
//! A screen stamps events by its own clock, which may be hours or years off
//! (a board whose battery died, a booth kiosk still on its home time). A
//! report carries the screen's clock at sending (`heartbeat.at`); the server
//! compares it with its own and moves the report's events by the difference,
//! unless the two agree within [`TOLERANCE`] (the time a report takes to
//! travel, or a clock that is merely a little off). Nothing counted happens
//! after the server received it.

use jiff::{SignedDuration, Timestamp};

/// Clocks that differ by at most this much are taken to agree.
pub const TOLERANCE: SignedDuration = SignedDuration::from_secs(120);

/// How far the server's clock is ahead of the screen's (`server_now − device_now`),
/// when the screen said what time it was and the two disagree beyond [`TOLERANCE`].
pub fn offset(device_now: Option<Timestamp>, server_now: Timestamp) -> Option<SignedDuration> {
    let difference = server_now.duration_since(device_now?);
    (difference.abs() > TOLERANCE).then_some(difference)
}

/// When an event stamped `at` by the screen happened by the server's clock.
pub fn counted_at(at: Timestamp, offset: Option<SignedDuration>, server_now: Timestamp) -> Timestamp {
    let moved = match offset {
        Some(offset) => at.checked_add(offset).unwrap_or(server_now),
        None => at,
    };
    moved.min(server_now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn a_screen_hours_behind_has_its_events_moved_forward() {
        let server = t("2026-06-02T01:00:00Z");
        // The screen thinks it is still 1 June, 20:00.
        let offset = offset(Some(t("2026-06-01T20:00:00Z")), server);
        assert_eq!(offset, Some(SignedDuration::from_hours(5)));
        assert_eq!(counted_at(t("2026-06-01T19:30:00Z"), offset, server), t("2026-06-02T00:30:00Z"));
    }

    #[test]
    fn a_screen_years_ahead_has_its_events_moved_back() {
        let server = t("2026-06-02T01:00:00Z");
        let offset = offset(Some(t("2036-06-02T01:00:00Z")), server);
        assert_eq!(counted_at(t("2036-06-02T00:00:00Z"), offset, server), t("2026-06-02T00:00:00Z"));
    }

    #[test]
    fn clocks_within_the_tolerance_are_left_alone() {
        let server = t("2026-06-02T01:00:00Z");
        assert_eq!(offset(Some(t("2026-06-02T01:01:30Z")), server), None);
        assert_eq!(offset(None, server), None);
        assert_eq!(counted_at(t("2026-06-02T00:59:00Z"), None, server), t("2026-06-02T00:59:00Z"));
    }

    #[test]
    fn nothing_is_counted_after_it_arrived() {
        let server = t("2026-06-02T01:00:00Z");
        assert_eq!(counted_at(t("2026-06-02T01:01:00Z"), None, server), server);
        assert_eq!(counted_at(Timestamp::MAX, Some(SignedDuration::from_hours(1)), server), server);
    }
}
