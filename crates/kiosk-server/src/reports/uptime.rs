//! How long a screen was up, from its heartbeats.
//!
//! A screen sends a heartbeat after every sync round. The time between two
//! heartbeats counts as up when it is no longer than the fleet's offline
//! threshold (a screen quiet for longer was offline in between); it is split
//! at midnight in the report's time zone so each day gets its own share.

use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::tally::day_of;

/// The seconds of up time between heartbeats at `previous` and `now`, per day
/// (`YYYY-MM-DD`, oldest first); nothing when the gap is longer than
/// `offline_after`, negative, or there was no previous heartbeat.
pub fn credit(
    previous: Option<Timestamp>,
    now: Timestamp,
    offline_after: Duration,
    zone: &TimeZone,
) -> Vec<(String, i64)> {
    let Some(previous) = previous else { return Vec::new() };
    let gap = now.duration_since(previous);
    if gap.is_negative() || gap.is_zero() || gap.unsigned_abs() > offline_after {
        return Vec::new();
    }
    let mut shares = Vec::new();
    let mut from = previous;
    while from < now {
        let zoned = from.to_zoned_datetime(zone.clone());
        let next_midnight = zoned
            .date()
            .tomorrow()
            .ok()
            .and_then(|d| d.to_zoned_datetime(zone.clone()).ok())
            .map_or(now, |z| z.timestamp());
        let until = next_midnight.min(now);
        let seconds = until.duration_since(from).as_secs();
        if seconds > 0 {
            shares.push((day_of(from, zone), seconds));
        }
        from = until;
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn vietnam() -> TimeZone {
        TimeZone::get("Asia/Ho_Chi_Minh").unwrap()
    }

    const TEN_MINUTES: Duration = Duration::from_secs(600);

    #[test]
    fn a_gap_within_the_threshold_counts_as_up() {
        let credit =
            credit(Some(t("2026-03-01T03:00:00Z")), t("2026-03-01T03:05:00Z"), TEN_MINUTES, &vietnam());
        assert_eq!(credit, vec![("2026-03-01".to_owned(), 300)]);
    }

    #[test]
    fn a_longer_gap_was_offline() {
        assert!(
            credit(Some(t("2026-03-01T03:00:00Z")), t("2026-03-01T03:11:00Z"), TEN_MINUTES, &vietnam())
                .is_empty()
        );
        assert!(credit(None, t("2026-03-01T03:11:00Z"), TEN_MINUTES, &vietnam()).is_empty());
        assert!(
            credit(Some(t("2026-03-01T03:11:00Z")), t("2026-03-01T03:00:00Z"), TEN_MINUTES, &vietnam())
                .is_empty()
        );
    }

    #[test]
    fn midnight_in_the_report_s_zone_splits_the_credit() {
        // 16:58 → 17:03 UTC crosses midnight in Việt Nam (UTC+7).
        let credit =
            credit(Some(t("2026-03-01T16:58:00Z")), t("2026-03-01T17:03:00Z"), TEN_MINUTES, &vietnam());
        assert_eq!(credit, vec![("2026-03-01".to_owned(), 120), ("2026-03-02".to_owned(), 180)]);
    }
}
