//! What the fuzz targets share: a fixed signing key that the screen under test
//! pins, and the channel and moment it checks at.
//!
//! A target signs every input with the test key ([`sign`]) before handing it to the
//! verifier, so the fuzzer gets past the signature check and reaches the JSON,
//! format, channel, version, expiry and content rules behind it. The seeds in
//! `corpus/` are for [`CHANNEL`], so they pass the channel check too.

use std::sync::LazyLock;

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use jiff::Timestamp;

/// The channel the screen under test follows (the seeds' channel).
pub const CHANNEL: &str = "default";

/// The key that signs every input; public in the repository, trusted nowhere else.
static TEST_KEY: LazyLock<SigningKey> = LazyLock::new(|| SigningKey::from_bytes(&[1; 32]));

/// The keys the screen under test pins: the test key's public half.
pub fn pinned_keys() -> [VerifyingKey; 1] {
    [TEST_KEY.verifying_key()]
}

/// The Ed25519 signature of `bytes` by the test key.
pub fn sign(bytes: &[u8]) -> [u8; 64] {
    TEST_KEY.sign(bytes).to_bytes()
}

/// The moment the screen under test checks at (expiry, emergency messages held).
pub fn now() -> Timestamp {
    Timestamp::from_second(1_796_000_000).expect("a moment in 2026")
}
