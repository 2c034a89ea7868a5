//! Staff passwords: Argon2id hashes (PHC strings with their own salt), the
//! rule for a new password, and the lock after repeated wrong ones.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use jiff::{SignedDuration, Timestamp};

/// Wrong passwords in a row that lock an account.
pub const MAX_FAILED_LOGINS: u32 = 5;

/// How long a locked account stays locked.
pub const LOCK_FOR: SignedDuration = SignedDuration::from_mins(15);

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// The Argon2id hash of `password`, with a fresh random salt.
pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2id hashes any password")
        .to_string()
}

/// Whether `password` matches `stored` (a PHC string); `false` for a damaged hash.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Spends the time of one verification, so that an unknown name answers as
/// slowly as a known one with a wrong password.
pub fn verify_nothing(password: &str) {
    const DUMMY: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$n3+vJ1Ov0JYcBc8pgQtBGoJ5J8DWqgC3CYcN7Q0h8vI";
    let _ = verify(password, DUMMY);
}

/// Why a new password is refused, if it is.
pub fn weakness(password: &str) -> Option<String> {
    (password.chars().count() < MIN_PASSWORD_CHARS)
        .then(|| format!("a password needs at least {MIN_PASSWORD_CHARS} characters"))
}

/// After one more wrong password: the new count and, when it reaches the limit,
/// the end of the lock (the count starts again after a lock).
pub fn after_failure(failed_logins: u32, now: Timestamp) -> (u32, Option<Timestamp>) {
    let failed = failed_logins + 1;
    if failed >= MAX_FAILED_LOGINS { (0, Some(now + LOCK_FOR)) } else { (failed, None) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &stored));
        assert!(!verify("correct horse batterY", &stored));
        assert!(!verify("anything", "not a hash"));
        assert_ne!(hash("same"), hash("same"), "each hash has its own salt");
    }

    #[test]
    fn the_fifth_wrong_password_locks_for_a_while() {
        let now: Timestamp = "2026-12-06T10:00:00Z".parse().unwrap();
        let mut failed = 0;
        for _ in 1..MAX_FAILED_LOGINS {
            let (next, lock) = after_failure(failed, now);
            assert_eq!(lock, None);
            failed = next;
        }
        assert_eq!(after_failure(failed, now), (0, Some(now + LOCK_FOR)));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(weakness("short").is_some());
        assert!(weakness("mười ký tự đủ rồi").is_none());
    }
}
