//! Which playlist plays when: a schedule evaluated in the device's own time zone.
//!
//! A schedule is a list of entries, each naming a playlist and when it applies:
//! a date range, days of the week and a time-of-day window, all in local time. A
//! window whose end is not after its start crosses midnight and belongs to the day
//! it starts on (a Friday 22:00–06:00 window runs into Saturday morning). Among the
//! entries that apply at an instant, the highest priority wins, and the earlier
//! entry breaks a tie; when none applies, the fallback playlist plays.
//!
//! Window edges are turned into instants with the zone's rules, so a window keeps
//! its local hours across daylight-saving changes; a local time that does not exist
//! (the hour skipped in spring) starts at the first instant after the gap. `now`
//! and the zone are passed in: nothing here reads a clock.
//!
//! ```
//! use jiff::{civil::time, tz::TimeZone, Timestamp};
//! use kiosk_core::schedule::{Schedule, ScheduleEntry, TimeWindow};
//!
//! let evening = ScheduleEntry {
//!     window: Some(TimeWindow { start: time(18, 0, 0, 0), end: time(23, 0, 0, 0) }),
//!     ..ScheduleEntry::always("evening", 10)
//! };
//! let schedule = Schedule { fallback: "day".into(), entries: vec![evening] };
//! let tz = TimeZone::get("Asia/Ho_Chi_Minh")?;
//! let at_19h: Timestamp = "2026-11-26T12:00:00Z".parse()?; // 19:00 in Vietnam
//! assert_eq!(schedule.active(at_19h, &tz).playlist, "evening");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

/// How far ahead [`Schedule::next_change`] looks, in days.
pub const LOOKAHEAD_DAYS: i64 = 8;

/// When each playlist plays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct Schedule {
    /// The playlist when no entry applies.
    pub fallback: String,
    /// The entries, in order of preference among equal priorities.
    #[serde(default)]
    pub entries: Vec<ScheduleEntry>,
}

/// One rule of a schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct ScheduleEntry {
    /// The playlist it plays.
    pub playlist: String,
    /// Higher wins over lower.
    #[serde(default)]
    pub priority: i32,
    /// First local date it applies (inclusive).
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub from_date: Option<Date>,
    /// Last local date it applies (inclusive).
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub until_date: Option<Date>,
    /// Days of the week it applies; empty for every day.
    #[serde(default)]
    pub days: Vec<Day>,
    /// Time of day; `None` for the whole day.
    pub window: Option<TimeWindow>,
}

/// A day of the week, written `"monday"` … `"sunday"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub enum Day {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

impl From<Weekday> for Day {
    fn from(day: Weekday) -> Self {
        match day {
            Weekday::Monday => Self::Monday,
            Weekday::Tuesday => Self::Tuesday,
            Weekday::Wednesday => Self::Wednesday,
            Weekday::Thursday => Self::Thursday,
            Weekday::Friday => Self::Friday,
            Weekday::Saturday => Self::Saturday,
            Weekday::Sunday => Self::Sunday,
        }
    }
}

/// A time-of-day window in local time. `end` not after `start` means the window
/// crosses midnight; `start == end` is a whole day from `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct TimeWindow {
    /// When it opens.
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub start: Time,
    /// When it closes.
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub end: Time,
}

/// The playlist chosen for an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Active<'a> {
    /// The playlist to play.
    pub playlist: &'a str,
    /// The entry that chose it; `None` when it is the fallback.
    pub entry: Option<usize>,
}

/// One occurrence of an entry: the instants it opens and closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Occurrence {
    start: Timestamp,
    end: Timestamp,
}

impl TimeWindow {
    /// Whether `now` falls in this window on any day, in zone `tz` (quiet hours).
    pub fn contains(&self, now: Timestamp, tz: &TimeZone) -> bool {
        ScheduleEntry { window: Some(*self), ..ScheduleEntry::always("", 0) }.applies(now, tz)
    }
}

impl ScheduleEntry {
    /// An entry that always applies, for building others with `..`.
    pub fn always(playlist: &str, priority: i32) -> Self {
        Self {
            playlist: playlist.to_owned(),
            priority,
            from_date: None,
            until_date: None,
            days: Vec::new(),
            window: None,
        }
    }

    /// Whether the entry may start an occurrence on local date `day`.
    fn starts_on(&self, day: Date) -> bool {
        self.from_date.is_none_or(|from| day >= from)
            && self.until_date.is_none_or(|until| day <= until)
            && (self.days.is_empty() || self.days.contains(&Day::from(day.weekday())))
    }

    /// The occurrence starting on local date `day`, if the entry applies that day.
    fn occurrence(&self, day: Date, tz: &TimeZone) -> Option<Occurrence> {
        if !self.starts_on(day) {
            return None;
        }
        let (start, end) = match self.window {
            None => (day.at(0, 0, 0, 0), day.tomorrow().ok()?.at(0, 0, 0, 0)),
            Some(TimeWindow { start, end }) => {
                let end_day = if end > start { day } else { day.tomorrow().ok()? };
                (day.to_datetime(start), end_day.to_datetime(end))
            }
        };
        Some(Occurrence { start: tz.to_timestamp(start).ok()?, end: tz.to_timestamp(end).ok()? })
    }

    /// Whether the entry applies at `now`.
    fn applies(&self, now: Timestamp, tz: &TimeZone) -> bool {
        let today = tz.to_datetime(now).date();
        let candidates = [today.yesterday().ok(), Some(today)];
        candidates
            .into_iter()
            .flatten()
            .filter_map(|day| self.occurrence(day, tz))
            .any(|o| o.start <= now && now < o.end)
    }
}

impl Schedule {
    /// The playlist that plays at `now` in zone `tz`.
    pub fn active(&self, now: Timestamp, tz: &TimeZone) -> Active<'_> {
        let mut best: Option<(usize, &ScheduleEntry)> = None;
        for (index, entry) in self.entries.iter().enumerate() {
            if entry.applies(now, tz) && best.is_none_or(|(_, b)| entry.priority > b.priority) {
                best = Some((index, entry));
            }
        }
        match best {
            Some((index, entry)) => Active { playlist: &entry.playlist, entry: Some(index) },
            None => Active { playlist: &self.fallback, entry: None },
        }
    }

    /// The first instant after `now`, within [`LOOKAHEAD_DAYS`], at which an entry
    /// opens or closes: the moment to evaluate the schedule again. `None` when
    /// nothing changes within that horizon (evaluate again at its end).
    pub fn next_change(&self, now: Timestamp, tz: &TimeZone) -> Option<Timestamp> {
        let today = tz.to_datetime(now).date();
        let mut next: Option<Timestamp> = None;
        for entry in &self.entries {
            for offset in -1..=LOOKAHEAD_DAYS {
                let Ok(day) = today.checked_add(offset.days()) else { continue };
                let Some(occurrence) = entry.occurrence(day, tz) else { continue };
                for edge in [occurrence.start, occurrence.end] {
                    if edge > now && next.is_none_or(|n| edge < n) {
                        next = Some(edge);
                    }
                }
            }
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn tz(name: &str) -> TimeZone {
        TimeZone::get(name).unwrap()
    }

    fn at(local: &str, zone: &TimeZone) -> Timestamp {
        zone.to_timestamp(local.parse().unwrap()).unwrap()
    }

    fn window(start: (i8, i8), end: (i8, i8)) -> Option<TimeWindow> {
        Some(TimeWindow { start: time(start.0, start.1, 0, 0), end: time(end.0, end.1, 0, 0) })
    }

    /// A bulletin board: business hours on weekdays, a night loop across midnight,
    /// a fair week at high priority, and the welcome loop otherwise.
    fn board() -> Schedule {
        Schedule {
            fallback: "welcome".into(),
            entries: vec![
                ScheduleEntry {
                    days: vec![Day::Monday, Day::Tuesday, Day::Wednesday, Day::Thursday, Day::Friday],
                    window: window((8, 0), (17, 30)),
                    ..ScheduleEntry::always("business", 10)
                },
                ScheduleEntry { window: window((22, 0), (6, 0)), ..ScheduleEntry::always("night", 5) },
                ScheduleEntry {
                    from_date: Some(date(2026, 12, 1)),
                    until_date: Some(date(2026, 12, 3)),
                    window: window((9, 0), (18, 0)),
                    ..ScheduleEntry::always("fair", 50)
                },
            ],
        }
    }

    #[test]
    fn chooses_by_window_day_date_and_priority_in_vietnam() {
        let hcm = tz("Asia/Ho_Chi_Minh");
        let cases = [
            ("2026-11-26T07:59:59", "welcome"), // Thursday, before opening
            ("2026-11-26T08:00:00", "business"),
            ("2026-11-26T17:29:59", "business"),
            ("2026-11-26T17:30:00", "welcome"), // the end is exclusive
            ("2026-11-26T22:00:00", "night"),
            ("2026-11-27T03:00:00", "night"), // Thursday's night runs into Friday
            ("2026-11-27T06:00:00", "welcome"),
            ("2026-11-28T10:00:00", "welcome"), // Saturday: no business hours
            ("2026-11-29T23:30:00", "night"),   // Sunday night
            ("2026-12-02T10:00:00", "fair"),    // fair week beats business hours
            ("2026-12-02T08:30:00", "business"),
            ("2026-12-04T10:00:00", "business"), // the fair is over
        ];
        for (local, expected) in cases {
            assert_eq!(board().active(at(local, &hcm), &hcm).playlist, expected, "at {local}");
        }
    }

    #[test]
    fn equal_priorities_go_to_the_earlier_entry_and_nothing_active_falls_back() {
        let utc = TimeZone::UTC;
        let schedule = Schedule {
            fallback: "fallback".into(),
            entries: vec![
                ScheduleEntry { window: window((9, 0), (12, 0)), ..ScheduleEntry::always("first", 1) },
                ScheduleEntry { window: window((10, 0), (13, 0)), ..ScheduleEntry::always("second", 1) },
            ],
        };
        let active = |local| schedule.active(at(local, &utc), &utc);
        assert_eq!(active("2026-05-05T10:30:00").playlist, "first");
        assert_eq!(active("2026-05-05T10:30:00").entry, Some(0));
        assert_eq!(active("2026-05-05T12:30:00").playlist, "second");
        assert_eq!(active("2026-05-05T14:00:00"), Active { playlist: "fallback", entry: None });
        let empty = Schedule { fallback: "only".into(), entries: vec![] };
        assert_eq!(empty.active(at("2026-05-05T14:00:00", &utc), &utc).playlist, "only");
    }

    #[test]
    fn windows_keep_their_local_hours_across_daylight_saving_in_berlin() {
        let berlin = tz("Europe/Berlin");
        let schedule = Schedule {
            fallback: "day".into(),
            entries: vec![ScheduleEntry {
                window: window((1, 0), (3, 0)),
                ..ScheduleEntry::always("early", 1)
            }],
        };
        let active = |instant: &str| schedule.active(instant.parse().unwrap(), &berlin).playlist;
        // 29 March 2026: clocks jump from 02:00 to 03:00, so the window lasts one hour.
        assert_eq!(active("2026-03-29T00:30:00Z"), "early"); // 01:30 CET
        assert_eq!(active("2026-03-29T01:00:00Z"), "day"); // 03:00 CEST: closed
        // 25 October 2026: 02:00–03:00 happens twice, so the window lasts three hours.
        assert_eq!(active("2026-10-24T23:30:00Z"), "early"); // 01:30 CEST
        assert_eq!(active("2026-10-25T01:30:00Z"), "early"); // 02:30 CET, the second time
        assert_eq!(active("2026-10-25T02:00:00Z"), "day"); // 03:00 CET
    }

    #[test]
    fn a_window_opening_in_the_skipped_hour_opens_after_the_gap() {
        let berlin = tz("Europe/Berlin");
        let schedule = Schedule {
            fallback: "day".into(),
            entries: vec![ScheduleEntry { window: window((2, 30), (4, 0)), ..ScheduleEntry::always("x", 1) }],
        };
        let change = schedule.next_change("2026-03-29T00:00:00Z".parse().unwrap(), &berlin).unwrap();
        assert_eq!(
            change.to_string(),
            "2026-03-29T01:30:00Z",
            "02:30 does not exist; it opens at 03:30 CEST"
        );
    }

    #[test]
    fn tells_when_to_look_again() {
        let hcm = tz("Asia/Ho_Chi_Minh");
        let cases = [
            ("2026-11-26T07:00:00", Some("2026-11-26T08:00:00")),
            ("2026-11-26T08:00:00", Some("2026-11-26T17:30:00")),
            ("2026-11-26T17:30:00", Some("2026-11-26T22:00:00")),
            ("2026-11-26T23:00:00", Some("2026-11-27T06:00:00")),
            ("2026-11-28T07:00:00", Some("2026-11-28T22:00:00")), // Saturday
        ];
        for (local, expected) in cases {
            let got = board().next_change(at(local, &hcm), &hcm);
            assert_eq!(got, expected.map(|e| at(e, &hcm)), "after {local}");
        }
        let quiet = Schedule { fallback: "x".into(), entries: vec![] };
        assert_eq!(quiet.next_change(at("2026-11-26T07:00:00", &hcm), &hcm), None);
    }

    #[test]
    fn a_clock_far_in_the_past_or_future_still_gives_a_playlist() {
        let hcm = tz("Asia/Ho_Chi_Minh");
        for instant in ["1970-01-01T00:00:00Z", "2099-12-31T23:59:59Z"] {
            let now: Timestamp = instant.parse().unwrap();
            assert!(!board().active(now, &hcm).playlist.is_empty());
        }
    }

    #[test]
    fn quiet_hours_cross_midnight_in_local_time() {
        use jiff::civil::time;
        let night = TimeWindow { start: time(21, 0, 0, 0), end: time(7, 0, 0, 0) };
        let tz = TimeZone::get("Asia/Ho_Chi_Minh").unwrap();
        for (utc, quiet) in [
            ("2026-12-07T13:59:00Z", false), // 20:59
            ("2026-12-07T14:00:00Z", true),  // 21:00
            ("2026-12-07T19:00:00Z", true),  // 02:00 the next day
            ("2026-12-07T23:59:00Z", true),  // 06:59
            ("2026-12-08T00:00:00Z", false), // 07:00
        ] {
            assert_eq!(night.contains(utc.parse().unwrap(), &tz), quiet, "{utc}");
        }
    }
}
