//! How often one address may try something (enrolment codes cannot be guessed
//! at speed): at most `limit` tries in a minute from the first, counted per
//! address by the server's [`Clock`](crate::Clock). Pure apart from the lock;
//! the time is passed in.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};

/// The window tries are counted in.
pub const WINDOW: SignedDuration = SignedDuration::from_secs(60);

/// Addresses kept before the ones whose window ended are dropped.
const TIDY_AFTER: usize = 10_000;

/// When an address's window began, and how many tries it made in it.
type Window = (Timestamp, u32);

/// Tries per address; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct AttemptLimit(Arc<Mutex<HashMap<Option<IpAddr>, Window>>>);

impl AttemptLimit {
    /// Counts a try from `from` (`None`: an address the server could not tell)
    /// at `now`; `Err(seconds)` to wait when it is over `limit` in the window.
    pub fn attempt(&self, from: Option<IpAddr>, now: Timestamp, limit: u32) -> Result<(), u64> {
        let mut tries = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if tries.len() >= TIDY_AFTER {
            tries.retain(|_, (start, _)| now < *start + WINDOW);
        }
        let (start, count) = tries.entry(from).or_insert((now, 0));
        if now >= *start + WINDOW || now < *start {
            (*start, *count) = (now, 0);
        }
        if *count >= limit {
            let left = (*start + WINDOW).duration_since(now);
            return Err(left.as_secs().max(0) as u64 + u64::from(left.subsec_nanos() > 0));
        }
        *count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_limit_a_minute_and_others_are_not_held_up() {
        let limit = AttemptLimit::default();
        let start: Timestamp = "2031-05-06T07:08:09Z".parse().unwrap();
        let (a, b) = (Some("10.0.0.1".parse().unwrap()), Some("10.0.0.2".parse().unwrap()));
        for _ in 0..3 {
            assert_eq!(limit.attempt(a, start, 3), Ok(()));
        }
        assert_eq!(limit.attempt(a, start + SignedDuration::from_secs(20), 3), Err(40));
        assert_eq!(limit.attempt(a, start + SignedDuration::from_millis(59_500), 3), Err(1));
        assert_eq!(limit.attempt(b, start, 3), Ok(()), "another address");
        assert_eq!(limit.attempt(a, start + WINDOW, 3), Ok(()), "a new minute");
    }
}
