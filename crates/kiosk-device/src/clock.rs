//! The device's clock: wall time for schedules and records, and a monotonic
//! count for measuring.
//!
//! Wall time is the system's, shifted when the device was started with a
//! rehearsal time (`kiosk --clock-start`): staff preview how a board will look on
//! a given date and hour, and tests cross a schedule edge without waiting for it.
//! The monotonic count never goes back, whatever the wall clock does.
//!
//! What is trusted never moves with a rehearsal: whether a release has expired
//! is read on the system's own time ([`DeviceClock::trust_now`]), so
//! `--clock-start` cannot bring an expired release back, nor refuse a valid one.

use std::time::Instant;

use jiff::{SignedDuration, Timestamp};

/// Wall time and a monotonic count since start.
#[derive(Debug, Clone, Copy)]
pub struct DeviceClock {
    offset: SignedDuration,
    started: Instant,
}

impl DeviceClock {
    /// The system's own time.
    pub fn system() -> Self {
        Self { offset: SignedDuration::ZERO, started: Instant::now() }
    }

    /// A clock that reads `start` now and runs on from there at the system's pace.
    pub fn starting_at(start: Timestamp) -> Self {
        Self { offset: start.duration_since(Timestamp::now()), started: Instant::now() }
    }

    /// The wall time now.
    pub fn now(&self) -> Timestamp {
        Timestamp::now().checked_add(self.offset).unwrap_or(Timestamp::MAX)
    }

    /// The system's own time, never shifted: what trust decisions (a
    /// release's expiry) are made on.
    pub fn trust_now(&self) -> Timestamp {
        Timestamp::now()
    }

    /// Milliseconds since this clock was made; never goes back.
    pub fn monotonic_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// Whether the wall time is shifted from the system's.
    pub fn is_shifted(&self) -> bool {
        !self.offset.is_zero()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_clock_starts_where_asked_and_runs_on() {
        let start: Timestamp = "2031-02-03T04:05:06Z".parse().unwrap();
        let clock = DeviceClock::starting_at(start);
        let read = clock.now();
        assert!(read >= start && read.duration_since(start) < SignedDuration::from_secs(5), "{read}");
        assert!(clock.is_shifted());
        let trusted = clock.trust_now();
        assert!(trusted < start && Timestamp::now().duration_since(trusted) < SignedDuration::from_secs(5));
        assert!(!DeviceClock::system().is_shifted());
        let (a, b) = (clock.monotonic_ms(), clock.monotonic_ms());
        assert!(b >= a);
    }
}
