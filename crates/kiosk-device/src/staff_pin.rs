//! The staff PIN that leaves kiosk mode, stored only as an Argon2 hash.

use argon2::Argon2;
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

#[cfg(test)]
mod tests {
    use super::*;

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
