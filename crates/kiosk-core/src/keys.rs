//! The text form of Ed25519 keys, as `kioskctl keys generate` writes them.
//!
//! A key file holds one line, `ed25519-public <64 hex>` or `ed25519-secret <64 hex>`;
//! lines starting with `#` are comments. The prefix keeps a secret key from being
//! pinned, or a public key from being used to sign, by mistake.

use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

const PUBLIC: &str = "ed25519-public";
const SECRET: &str = "ed25519-secret";

/// Text that is not the key it should be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyTextError {
    /// The line does not start with the expected prefix.
    #[error("expected a line \"{expected} <64 hex digits>\"{hint}")]
    WrongKind {
        /// The prefix looked for.
        expected: &'static str,
        /// A hint when the other kind of key was given.
        hint: &'static str,
    },
    /// The hex is not 32 bytes.
    #[error("the key is not 64 hex digits")]
    BadHex,
    /// The bytes are not a valid Ed25519 public key.
    #[error("the key is not a valid Ed25519 public key")]
    BadPoint,
    /// A small-order key, which any signature could match.
    #[error("the key is a weak (small-order) Ed25519 key and would trust anything")]
    Weak,
}

/// Writes a public key file's text.
pub fn public_key_text(key: &VerifyingKey) -> String {
    format!("{PUBLIC} {}\n", hex::encode(key.as_bytes()))
}

/// Writes a secret key file's text.
pub fn secret_key_text(key: &SigningKey) -> String {
    format!("# Keep this file secret: it signs kiosk content.\n{SECRET} {}\n", hex::encode(key.to_bytes()))
}

/// Reads a public key file's text.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, KeyTextError> {
    let bytes = parse_line(text, PUBLIC, SECRET)?;
    let key = VerifyingKey::from_bytes(&bytes).map_err(|_| KeyTextError::BadPoint)?;
    if key.is_weak() {
        return Err(KeyTextError::Weak);
    }
    Ok(key)
}

/// Reads a secret key file's text.
pub fn parse_secret_key(text: &str) -> Result<SigningKey, KeyTextError> {
    Ok(SigningKey::from_bytes(&parse_line(text, SECRET, PUBLIC)?))
}

/// A short name for a public key (first 16 hex digits of its SHA-256), for logs.
pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..8])
}

fn parse_line(text: &str, expected: &'static str, other: &'static str) -> Result<[u8; 32], KeyTextError> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')).unwrap_or("");
    let (kind, value) = line.split_once(' ').unwrap_or((line, ""));
    if kind != expected {
        let hint = if kind == other {
            if expected == PUBLIC { " (this is a secret key)" } else { " (this is a public key)" }
        } else {
            ""
        };
        return Err(KeyTextError::WrongKind { expected, hint });
    }
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(value.trim(), &mut bytes).map_err(|_| KeyTextError::BadHex)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_their_text() {
        let secret = SigningKey::from_bytes(&[7; 32]);
        let public = secret.verifying_key();
        assert_eq!(parse_secret_key(&secret_key_text(&secret)).unwrap().to_bytes(), secret.to_bytes());
        assert_eq!(parse_public_key(&public_key_text(&public)).unwrap(), public);
        assert_eq!(key_id(&public).len(), 16);
    }

    #[test]
    fn refuses_the_wrong_kind_of_key_with_a_hint() {
        let secret = SigningKey::from_bytes(&[7; 32]);
        let err = parse_public_key(&secret_key_text(&secret)).unwrap_err();
        assert!(err.to_string().contains("this is a secret key"), "{err}");
        assert_eq!(parse_public_key("ed25519-public abc"), Err(KeyTextError::BadHex));
        let identity = format!("ed25519-public 01{}", "0".repeat(62));
        assert_eq!(parse_public_key(&identity), Err(KeyTextError::Weak));
        assert!(parse_secret_key("").is_err());
    }
}
