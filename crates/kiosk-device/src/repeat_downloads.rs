//! Which completed brochure downloads count: a phone that downloads the same
//! PDF again and again counts once per [`REPEAT_WINDOW`], so a script on the
//! booth network cannot inflate the reports.
//!
//! A download is known by the client's address (as the listener counts
//! clients: an IPv6 address by its /64), the brochure and the language. Time is
//! the device's monotonic count, passed in, so a wall clock set back or forward
//! neither blocks nor doubles a count.
//!
//! ```
//! use std::time::Duration;
//! use kiosk_device::repeat_downloads::{Download, RepeatDownloads, REPEAT_WINDOW};
//!
//! let mut repeats = RepeatDownloads::new(REPEAT_WINDOW);
//! let phone = Download::new(Some([192, 168, 1, 20].into()), "guide", "en");
//! assert!(repeats.counts(&phone, Duration::from_secs(0)));
//! assert!(!repeats.counts(&phone, Duration::from_secs(60)));
//! assert!(repeats.counts(&phone, Duration::from_secs(601)));
//! ```

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

/// How long after a counted download the same client's download of the same
/// PDF does not count again.
pub const REPEAT_WINDOW: Duration = Duration::from_secs(10 * 60);

/// One completed download: who, which brochure, which language.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Download {
    client: Option<IpAddr>,
    brochure: String,
    locale: String,
}

impl Download {
    /// A download of `brochure` in `locale` by `client` (`None` when the
    /// address is not known: all such downloads are one client).
    pub fn new(client: Option<IpAddr>, brochure: &str, locale: &str) -> Self {
        Self { client, brochure: brochure.to_owned(), locale: locale.to_owned() }
    }
}

/// The downloads counted within the last window.
#[derive(Debug)]
pub struct RepeatDownloads {
    window: Duration,
    counted_at: HashMap<Download, Duration>,
}

impl RepeatDownloads {
    /// Counts a download once per `window` per client, brochure and language.
    pub fn new(window: Duration) -> Self {
        Self { window, counted_at: HashMap::new() }
    }

    /// Whether `download`, completed at `now` (monotonic, never going back),
    /// counts; one that counts starts a new window. Downloads whose window has
    /// passed are forgotten, so what is kept stays within one window's worth.
    pub fn counts(&mut self, download: &Download, now: Duration) -> bool {
        let window = self.window;
        self.counted_at.retain(|_, at| now.saturating_sub(*at) < window);
        if self.counted_at.contains_key(download) {
            return false;
        }
        self.counted_at.insert(download.clone(), now);
        true
    }

    /// How many downloads are remembered.
    pub fn remembered(&self) -> usize {
        self.counted_at.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> Duration {
        Duration::from_secs(secs)
    }

    #[test]
    fn one_client_counts_once_per_window_per_brochure_and_language() {
        let phone: Option<IpAddr> = Some([192, 168, 1, 20].into());
        let other: Option<IpAddr> = Some([192, 168, 1, 21].into());
        let mut repeats = RepeatDownloads::new(REPEAT_WINDOW);
        // (what, when, whether it counts), in the order they complete
        let table = [
            (Download::new(phone, "guide", "en"), 0, true),
            (Download::new(phone, "guide", "en"), 1, false),
            (Download::new(phone, "guide", "en"), 599, false),
            (Download::new(phone, "guide", "vi"), 10, true),
            (Download::new(phone, "invest", "en"), 20, true),
            (Download::new(other, "guide", "en"), 30, true),
            (Download::new(None, "guide", "en"), 40, true),
            (Download::new(None, "guide", "en"), 41, false),
            (Download::new(phone, "guide", "en"), 600, true),
            (Download::new(phone, "guide", "vi"), 609, false),
            (Download::new(phone, "guide", "vi"), 610, true),
            (Download::new(phone, "guide", "en"), 1_199, false),
        ];
        for (download, secs, counts) in table {
            assert_eq!(repeats.counts(&download, at(secs)), counts, "{download:?} at {secs} s");
        }
    }

    #[test]
    fn a_flood_of_repeats_counts_once() {
        let mut repeats = RepeatDownloads::new(REPEAT_WINDOW);
        let script = Download::new(Some([10, 0, 0, 9].into()), "guide", "en");
        let counted = (0..10_000).filter(|n| repeats.counts(&script, Duration::from_millis(*n))).count();
        assert_eq!(counted, 1);
        assert_eq!(repeats.remembered(), 1);
    }

    #[test]
    fn downloads_past_their_window_are_forgotten() {
        let mut repeats = RepeatDownloads::new(REPEAT_WINDOW);
        for n in 0..100u8 {
            assert!(repeats.counts(&Download::new(Some([10, 0, 1, n].into()), "guide", "en"), at(0)));
        }
        assert_eq!(repeats.remembered(), 100);
        assert!(repeats.counts(&Download::new(Some([10, 0, 2, 1].into()), "guide", "en"), at(600)));
        assert_eq!(repeats.remembered(), 1, "only the newest window is kept");
    }
}
