//! Fades as plain functions of time: no clock, no thread, no audio.
//!
//! The player's thread asks a [`Fade`] for its level every few milliseconds while
//! one is running, with the time elapsed since it began, and hands the level to the
//! audio mixer. Everything here can therefore be tested without a sound card.

use std::time::Duration;

/// The level `progress` of the way from `from` to `to`, along an S-curve
/// (smoothstep): the change starts and ends gently, so a fade has no audible corner.
///
/// `progress` is clamped to `0.0..=1.0`; a `progress` that is not a number counts as
/// finished.
pub fn ramp(from: f32, to: f32, progress: f32) -> f32 {
    let p = if progress.is_nan() { 1.0 } else { progress.clamp(0.0, 1.0) };
    if p >= 1.0 {
        return to;
    }
    let s = p * p * (3.0 - 2.0 * p);
    from + (to - from) * s
}

/// One fade from a level to another over a duration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fade {
    /// The level it starts from.
    pub from: f32,
    /// The level it ends at and then holds.
    pub to: f32,
    /// How long it takes.
    pub duration: Duration,
}

impl Fade {
    /// A fade from `from` to `to` over `duration`.
    pub fn new(from: f32, to: f32, duration: Duration) -> Self {
        Self { from, to, duration }
    }

    /// A level that holds: no fade at all.
    pub fn hold(level: f32) -> Self {
        Self::new(level, level, Duration::ZERO)
    }

    /// The level `elapsed` after the fade began.
    pub fn level(&self, elapsed: Duration) -> f32 {
        if self.is_done(elapsed) {
            return self.to;
        }
        ramp(self.from, self.to, elapsed.as_secs_f32() / self.duration.as_secs_f32())
    }

    /// Whether the fade has reached its end `elapsed` after it began.
    pub fn is_done(&self, elapsed: Duration) -> bool {
        elapsed >= self.duration
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    #[test]
    fn ramps_start_and_end_exactly_and_clamp_outside() {
        assert_eq!(ramp(0.2, 0.8, 0.0), 0.2);
        assert_eq!(ramp(0.2, 0.8, 1.0), 0.8);
        assert_eq!(ramp(0.2, 0.8, -3.0), 0.2);
        assert_eq!(ramp(0.2, 0.8, 7.0), 0.8);
        assert_eq!(ramp(0.2, 0.8, f32::NAN), 0.8);
        assert!((ramp(0.2, 0.8, 0.5) - 0.5).abs() < 1e-6, "half way is the middle");
    }

    #[test]
    fn ramps_move_steadily_in_one_direction_with_gentle_ends() {
        for (from, to) in [(0.0f32, 0.35f32), (0.35, 0.0875), (1.0, 0.0)] {
            let levels: Vec<f32> = (0..=100).map(|i| ramp(from, to, i as f32 / 100.0)).collect();
            for pair in levels.windows(2) {
                let step = pair[1] - pair[0];
                assert!(step * (to - from) >= 0.0, "{from}->{to}: never turns back");
            }
            let first_step = (levels[1] - levels[0]).abs();
            let middle_step = (levels[51] - levels[50]).abs();
            assert!(first_step < middle_step / 10.0, "{from}->{to}: starts gently");
        }
    }

    #[test]
    fn a_fade_follows_the_ramp_over_its_duration() {
        let fade = Fade::new(0.35, 0.0875, MS(300));
        assert_eq!(fade.level(Duration::ZERO), 0.35);
        assert!((fade.level(MS(150)) - (0.35 + 0.0875) / 2.0).abs() < 1e-6);
        assert!(!fade.is_done(MS(299)));
        assert!(fade.is_done(MS(300)));
        assert_eq!(fade.level(MS(300)), 0.0875);
        assert_eq!(fade.level(Duration::from_secs(60)), 0.0875);
    }

    #[test]
    fn a_held_level_is_done_at_once() {
        let hold = Fade::hold(0.25);
        assert!(hold.is_done(Duration::ZERO));
        assert_eq!(hold.level(Duration::ZERO), 0.25);
        let instant = Fade::new(0.0, 1.0, Duration::ZERO);
        assert_eq!(instant.level(Duration::ZERO), 1.0);
    }
}
