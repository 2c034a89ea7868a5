//! The staff PIN that leaves kiosk mode, stored only as an Argon2 hash.

use argon2::Argon2;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// A PIN that is too short or not digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a staff PIN must be 4 to 12 digits")]
pub struct BadPin;

/// Hashes a PIN for the config's `staff.pin_hash`.
pub fn hash_pin(pin: &str) -> Result<String, BadPin> {
    if !(4..=12).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadPin);
    }
    let salt = SaltString::generate(&mut rand_core::OsRng);
    Ok(Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .expect("argon2 with default parameters")
        .to_string())
}

/// Whether `pin` matches `hash`. A hash that does not parse matches nothing.
pub fn pin_matches(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .is_ok_and(|parsed| Argon2::default().verify_password(pin.as_bytes(), &parsed).is_ok())
}

/// Wrong PINs allowed before the PIN pad locks.
pub const ATTEMPTS_BEFORE_LOCK: u32 = 5;
/// How long the PIN pad stays locked after too many wrong PINs.
pub const LOCK_FOR: Duration = Duration::from_secs(300);

/// Limits guessing at the kiosk: after [`ATTEMPTS_BEFORE_LOCK`] wrong PINs in a row,
/// every attempt fails for [`LOCK_FOR`], right PIN or not. Time is passed in.
#[derive(Debug, Default)]
pub struct PinGuard {
    failures: u32,
    locked_until: Option<Instant>,
}

impl PinGuard {
    /// Checks `pin` against `hash` at `now`, counting failures.
    pub fn attempt(&mut self, pin: &str, hash: &str, now: Instant) -> PinOutcome {
        if let Some(until) = self.locked_until {
            if now < until {
                return PinOutcome::Locked { remaining: until - now };
            }
            self.locked_until = None;
            self.failures = 0;
        }
        if pin_matches(pin, hash) {
            self.failures = 0;
            return PinOutcome::Accepted;
        }
        self.failures += 1;
        if self.failures >= ATTEMPTS_BEFORE_LOCK {
            self.locked_until = Some(now + LOCK_FOR);
            return PinOutcome::Locked { remaining: LOCK_FOR };
        }
        PinOutcome::Refused
    }
}

/// Whether staff may use the staff screen and leave kiosk mode: the PIN's
/// hash, the guard against guessing, and whether the right PIN was entered
/// last. Shared by the interface's commands.
#[derive(Debug)]
pub struct StaffLock {
    pin_hash: String,
    guard: Mutex<PinGuard>,
    unlocked: AtomicBool,
}

impl StaffLock {
    /// Locked, opened by the PIN whose hash is `pin_hash`.
    pub fn new(pin_hash: String) -> Self {
        Self { pin_hash, guard: Mutex::default(), unlocked: AtomicBool::new(false) }
    }

    /// Tries `pin` at `now` (slow on purpose: Argon2id); a wrong one locks
    /// again. Each outcome is logged.
    pub fn attempt(&self, pin: &str, now: Instant) -> PinOutcome {
        let outcome = self.guard.lock().unwrap_or_else(|p| p.into_inner()).attempt(pin, &self.pin_hash, now);
        match outcome {
            PinOutcome::Accepted => tracing::info!("staff PIN accepted"),
            PinOutcome::Refused => tracing::warn!("wrong staff PIN"),
            PinOutcome::Locked { remaining } => {
                tracing::warn!(
                    seconds = remaining.as_secs(),
                    "staff PIN pad locked after repeated wrong PINs"
                )
            }
        }
        self.unlocked.store(outcome == PinOutcome::Accepted, Ordering::SeqCst);
        outcome
    }

    /// Whether the right PIN was entered last.
    pub fn is_unlocked(&self) -> bool {
        self.unlocked.load(Ordering::SeqCst)
    }
}

/// What a PIN attempt gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinOutcome {
    /// The right PIN.
    Accepted,
    /// A wrong PIN.
    Refused,
    /// Too many wrong PINs: no attempt counts for `remaining`.
    Locked {
        /// Time left.
        remaining: Duration,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_repeated_wrong_pins_then_recovers() {
        let hash = hash_pin("2023").unwrap();
        let mut guard = PinGuard::default();
        let t0 = Instant::now();
        for _ in 1..ATTEMPTS_BEFORE_LOCK {
            assert_eq!(guard.attempt("0000", &hash, t0), PinOutcome::Refused);
        }
        assert_eq!(guard.attempt("0000", &hash, t0), PinOutcome::Locked { remaining: LOCK_FOR });
        let later = t0 + Duration::from_secs(10);
        assert!(
            matches!(guard.attempt("2023", &hash, later), PinOutcome::Locked { .. }),
            "even the right PIN waits"
        );
        assert_eq!(guard.attempt("2023", &hash, t0 + LOCK_FOR), PinOutcome::Accepted);
        assert_eq!(
            guard.attempt("0000", &hash, t0 + LOCK_FOR),
            PinOutcome::Refused,
            "the count starts again"
        );
    }

    #[test]
    fn a_hashed_pin_matches_only_itself() {
        let hash = hash_pin("2023").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(pin_matches("2023", &hash));
        assert!(!pin_matches("2024", &hash));
        assert!(!pin_matches("", &hash));
        assert!(!pin_matches("2023", "not a hash"));
    }

    #[test]
    fn refuses_pins_that_are_not_4_to_12_digits() {
        for bad in ["", "123", "abcd", "12 34", "1234567890123"] {
            assert_eq!(hash_pin(bad), Err(BadPin), "{bad:?}");
        }
    }
}
