//! What time it is for the server: every time it stamps (a release's
//! `created_at`, an emergency message's issue time, when a channel, a device, a
//! heartbeat or an event arrived) comes from the [`Clock`] in
//! [`Settings`](crate::Settings), never from the system clock directly, so tests
//! can set the time.

use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};

/// The server's clock: the system's by default, or a fixed one that only moves
/// when told ([`Clock::set`], [`Clock::advance`]). Clones share the time.
#[derive(Debug, Clone, Default)]
pub struct Clock(Source);

#[derive(Debug, Clone, Default)]
enum Source {
    #[default]
    System,
    Fixed(Arc<Mutex<Timestamp>>),
}

impl Clock {
    /// The system's clock.
    pub fn system() -> Self {
        Self(Source::System)
    }

    /// A clock standing at `at` until it is set or advanced.
    pub fn fixed(at: Timestamp) -> Self {
        Self(Source::Fixed(Arc::new(Mutex::new(at))))
    }

    /// The time now.
    pub fn now(&self) -> Timestamp {
        match &self.0 {
            Source::System => Timestamp::now(),
            Source::Fixed(at) => *at.lock().unwrap_or_else(|p| p.into_inner()),
        }
    }

    /// Moves a fixed clock to `at`, for every clone.
    ///
    /// # Panics
    /// On the system clock, which is not this program's to set.
    pub fn set(&self, at: Timestamp) {
        *self.fixed_time() = at;
    }

    /// Moves a fixed clock on by `by` (back when negative), for every clone.
    ///
    /// # Panics
    /// On the system clock, or when the time would leave jiff's range.
    pub fn advance(&self, by: SignedDuration) {
        let mut at = self.fixed_time();
        *at = at.checked_add(by).expect("the clock stays within jiff's range");
    }

    fn fixed_time(&self) -> std::sync::MutexGuard<'_, Timestamp> {
        match &self.0 {
            Source::System => panic!("the system clock cannot be set; use Clock::fixed"),
            Source::Fixed(at) => at.lock().unwrap_or_else(|p| p.into_inner()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_moves_only_when_told_and_for_every_clone() {
        let start: Timestamp = "2031-05-06T07:08:09Z".parse().unwrap();
        let clock = Clock::fixed(start);
        let shared = clock.clone();
        assert_eq!(clock.now(), start);
        clock.advance(SignedDuration::from_secs(90));
        assert_eq!(shared.now(), start + SignedDuration::from_secs(90));
        shared.set(start);
        assert_eq!(clock.now(), start);
    }

    #[test]
    fn the_system_clock_is_the_default_and_follows_the_system() {
        let before = Timestamp::now();
        let now = Clock::default().now();
        assert!(before <= now && now <= Timestamp::now());
    }

    #[test]
    #[should_panic(expected = "cannot be set")]
    fn the_system_clock_cannot_be_set() {
        Clock::system().set(Timestamp::UNIX_EPOCH);
    }
}
