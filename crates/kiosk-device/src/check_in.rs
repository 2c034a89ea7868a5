//! The interface's check-in: every few seconds the window tells the app it is
//! alive and learns what to show besides the content: whether the screen is
//! in its off hours (`window.off_hours`), and the last USB stick's outcome for
//! the staff who plugged it in.

use std::sync::Mutex;

use jiff::Timestamp;
use kiosk_core::schedule::TimeWindow;
use serde::Serialize;

/// How long a stick's outcome stays on screen.
pub const USB_NOTICE_SECS: i64 = 20;

/// What the interface learns at each check-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct CheckIn {
    /// `false` in the config's off hours: the screen shows black and plays
    /// nothing (and no sound) until they end.
    pub display_on: bool,
    /// The last USB bundle's outcome, for [`USB_NOTICE_SECS`] after it.
    pub usb: Option<UsbNotice>,
}

/// What became of a bundle on a USB stick, for the staff who plugged it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum UsbNotice {
    /// It verified and is shown now.
    Shown {
        /// Its channel.
        channel: String,
        /// Its version.
        #[ts(type = "number")]
        version: u64,
    },
    /// It verified but is not newer than what the screen shows.
    NotNewer {
        /// Its version.
        #[ts(type = "number")]
        version: u64,
        /// The version shown.
        #[ts(type = "number")]
        showing: u64,
    },
    /// It did not verify; the screen keeps its release.
    Refused {
        /// Why, in the words of the check that failed.
        reason: String,
    },
}

/// Whether the screen is on at `now`: always, unless inside `off_hours`.
pub fn display_on(off_hours: Option<&TimeWindow>, now: Timestamp, tz: &jiff::tz::TimeZone) -> bool {
    off_hours.is_none_or(|window| !window.contains(now, tz))
}

/// The newest USB outcome and when it happened.
#[derive(Debug, Default)]
pub struct UsbNotices {
    last: Mutex<Option<(Timestamp, UsbNotice)>>,
}

impl UsbNotices {
    /// Keeps `notice` as the newest, seen at `at`.
    pub fn record(&self, at: Timestamp, notice: UsbNotice) {
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some((at, notice));
    }

    /// The newest outcome if it is at most [`USB_NOTICE_SECS`] old at `now`.
    pub fn current(&self, now: Timestamp) -> Option<UsbNotice> {
        let last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        let (at, notice) = last.as_ref()?;
        let age = now.as_second() - at.as_second();
        (0..=USB_NOTICE_SECS).contains(&age).then(|| notice.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::time;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn the_display_is_off_only_inside_the_off_hours_of_the_screen_zone() {
        let tz = jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh").unwrap();
        let night = TimeWindow { start: time(22, 0, 0, 0), end: time(6, 0, 0, 0) };
        // 23:30 and 05:59 in Bình Dương are off; 06:00 and noon are on.
        assert!(!display_on(Some(&night), at("2026-12-07T16:30:00Z"), &tz));
        assert!(!display_on(Some(&night), at("2026-12-07T22:59:00Z"), &tz));
        assert!(display_on(Some(&night), at("2026-12-07T23:00:00Z"), &tz));
        assert!(display_on(Some(&night), at("2026-12-07T05:00:00Z"), &tz));
        assert!(display_on(None, at("2026-12-07T16:30:00Z"), &tz));
    }

    #[test]
    fn a_usb_notice_shows_for_twenty_seconds_and_the_newest_wins() {
        let notices = UsbNotices::default();
        let t0 = at("2026-12-07T08:00:00Z");
        assert_eq!(notices.current(t0), None);
        notices.record(t0, UsbNotice::Refused { reason: "signature".into() });
        let shown = UsbNotice::Shown { channel: "bulletin-boards".into(), version: 7 };
        notices.record(t0, shown.clone());
        assert_eq!(notices.current(t0), Some(shown.clone()));
        assert_eq!(notices.current(at("2026-12-07T08:00:20Z")), Some(shown));
        assert_eq!(notices.current(at("2026-12-07T08:00:21Z")), None);
    }

    #[test]
    fn a_notice_travels_tagged_by_its_outcome() {
        let json = serde_json::to_value(UsbNotice::NotNewer { version: 3, showing: 5 }).unwrap();
        assert_eq!(json, serde_json::json!({"outcome": "not_newer", "version": 3, "showing": 5}));
    }
}
