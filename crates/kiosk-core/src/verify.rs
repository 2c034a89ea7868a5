//! The checks a bundle must pass before a device trusts it.
//!
//! A device pins a set of Ed25519 public keys. Because every manifest is signed and
//! every blob is named by its SHA-256, a bundle may arrive over any path (a USB
//! stick, a mirror, a cache) without that path being trusted. The checks, in order:
//!
//! 1. the signature verifies (`verify_strict`) with one of the pinned keys, before a
//!    single byte of JSON is parsed;
//! 2. the manifest parses and its format is known;
//! 3. it is for the device's channel;
//! 4. its version is not below the highest already trusted on that channel, and the
//!    same version carries the same bytes, as long as the key that signed that
//!    release is still pinned ([`rollback_floor`]: a key rotation frees a
//!    channel whose versions a lost or misused key used up);
//! 5. it has not expired at `now`;
//! 6. it is well formed (blobs sorted and unique, at most
//!    [`MAX_TOTAL_BLOB_BYTES`] in all, content rules in
//!    [`ContentPack::check`](crate::content::ContentPack::check));
//! 7. every blob has the listed size and SHA-256 ([`check_blob`]).

use ed25519_dalek::{Signature, VerifyingKey};
use jiff::Timestamp;

use crate::blob::{BlobFacts, BlobId, BlobRef};
use crate::keys::key_id;
use crate::manifest::{FORMAT, Manifest};

/// The largest version a manifest may carry (2^53 − 1, exact in every JSON
/// reader and in SQLite), so that one signed release cannot use up a channel's
/// versions.
pub const MAX_VERSION: u64 = (1 << 53) - 1;

/// The most bytes a manifest's blobs may add up to (2^53 − 1, about 9 PB): every
/// size is then exact in every JSON reader, and no sum of sizes overflows.
pub const MAX_TOTAL_BLOB_BYTES: u64 = (1 << 53) - 1;

/// What the device trusts and knows when it checks a bundle.
#[derive(Debug, Clone)]
pub struct TrustPolicy<'a> {
    /// Pinned public keys; a manifest signed by any of them is authentic.
    pub keys: &'a [VerifyingKey],
    /// The channel the device belongs to.
    pub channel: &'a str,
    /// The newest release already trusted on this channel, if any.
    pub trusted: Option<&'a TrustedRelease>,
    /// The current time, read by the caller.
    pub now: Timestamp,
}

/// A release a device has trusted before: its version, the hash of its
/// manifest, and the key that signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedRelease {
    /// Its version.
    pub version: u64,
    /// SHA-256 of its `manifest.json`.
    pub manifest_sha256: BlobId,
    /// The id of the key that signed it ([`key_id`]); `None` when not
    /// recorded, which counts as a key still pinned.
    pub signed_by: Option<String>,
}

/// The trusted release a new one must not go below: `trusted`, unless the key
/// that signed it is no longer among `keys`. Once that key is unpinned, its
/// versions bind nothing, so a release at the top of the range (signed by a
/// key that was lost or misused) cannot freeze a device: pinning a new key and
/// removing the old one lets the new key's releases in again from any version.
pub fn rollback_floor<'a>(
    trusted: Option<&'a TrustedRelease>,
    keys: &[VerifyingKey],
) -> Option<&'a TrustedRelease> {
    trusted.filter(|release| match &release.signed_by {
        None => true,
        Some(signer) => keys.iter().any(|key| key_id(key) == *signer),
    })
}

/// A manifest that passed checks 1–6, with the exact bytes and signature it was
/// verified from, so that what is stored is what was verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedManifest {
    /// The manifest.
    pub manifest: Manifest,
    /// SHA-256 of its bytes.
    pub manifest_sha256: BlobId,
    /// Which pinned key signed it.
    pub key_id: String,
    /// `manifest.json` as verified.
    pub bytes: Vec<u8>,
    /// Its Ed25519 signature, as verified.
    pub signature: Vec<u8>,
}

/// Why a bundle was refused. [`Rejection::code`] gives a stable name for programs;
/// the message names what failed and the values involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// The device pins no key, so nothing can be trusted.
    #[error("no trusted public key is configured, so no bundle can be verified")]
    NoTrustedKeys,
    /// `manifest.sig` is not 64 bytes.
    #[error("manifest.sig is {0} bytes, not a 64-byte Ed25519 signature")]
    SignatureMalformed(usize),
    /// No pinned key verifies the signature: tampered or signed by an unknown key.
    #[error(
        "signature does not verify with any of the {0} trusted key(s): manifest.json was altered or signed by an unknown key"
    )]
    BadSignature(usize),
    /// Signed, but not a manifest.
    #[error("{0}")]
    Malformed(String),
    /// A format this device does not know.
    #[error("manifest format {found} is not supported (this device reads format {supported})")]
    UnsupportedFormat {
        /// Found in the manifest.
        found: u32,
        /// The one supported.
        supported: u32,
    },
    /// For another group of screens.
    #[error("manifest is for channel {found:?}, this device follows {expected:?}")]
    WrongChannel {
        /// The device's channel.
        expected: String,
        /// The manifest's.
        found: String,
    },
    /// Older than what the device already trusts: a replay or a rollback.
    #[error("manifest version {found} is lower than version {trusted} already trusted on this channel")]
    Rollback {
        /// Already trusted.
        trusted: u64,
        /// Offered.
        found: u64,
    },
    /// The version already trusted, with other bytes.
    #[error("manifest version {version} differs from the version {version} already trusted on this channel")]
    VersionConflict {
        /// The version.
        version: u64,
    },
    /// Past its expiry.
    #[error("manifest expired at {expires_at} (now {now})")]
    Expired {
        /// Its expiry.
        expires_at: Timestamp,
        /// The time of the check.
        now: Timestamp,
    },
    /// Signed and parsed, but breaks a rule.
    #[error("manifest is invalid: {0}")]
    Invalid(String),
    /// A listed blob is absent.
    #[error("blob {0} is missing")]
    BlobMissing(BlobId),
    /// A blob has the wrong length.
    #[error("blob {id} is {found} bytes, the manifest says {expected}")]
    BlobSize {
        /// The blob.
        id: BlobId,
        /// Listed size.
        expected: u64,
        /// Actual size.
        found: u64,
    },
    /// A blob's bytes do not hash to its name.
    #[error("blob {id} is corrupt: its SHA-256 is {found}")]
    BlobHash {
        /// The blob.
        id: BlobId,
        /// The actual hash.
        found: BlobId,
    },
}

impl Rejection {
    /// A stable name for programs and tests.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoTrustedKeys => "no-trusted-keys",
            Self::SignatureMalformed(_) => "signature-malformed",
            Self::BadSignature(_) => "bad-signature",
            Self::Malformed(_) => "malformed",
            Self::UnsupportedFormat { .. } => "unsupported-format",
            Self::WrongChannel { .. } => "wrong-channel",
            Self::Rollback { .. } => "rollback",
            Self::VersionConflict { .. } => "version-conflict",
            Self::Expired { .. } => "expired",
            Self::Invalid(_) => "invalid",
            Self::BlobMissing(_) => "blob-missing",
            Self::BlobSize { .. } => "blob-size",
            Self::BlobHash { .. } => "blob-hash",
        }
    }
}

/// The rollback rule alone: a release older than the trusted one, or the
/// trusted version with other bytes, is refused.
pub fn check_not_behind(
    version: u64,
    manifest_sha256: &BlobId,
    trusted: Option<&TrustedRelease>,
) -> Result<(), Rejection> {
    let Some(trusted) = trusted else { return Ok(()) };
    if version < trusted.version {
        return Err(Rejection::Rollback { trusted: trusted.version, found: version });
    }
    if version == trusted.version && *manifest_sha256 != trusted.manifest_sha256 {
        return Err(Rejection::VersionConflict { version });
    }
    Ok(())
}

/// Runs checks 1–6 on the bytes of `manifest.json` and `manifest.sig`.
pub fn verify_manifest(
    manifest_json: &[u8],
    signature: &[u8],
    policy: &TrustPolicy<'_>,
) -> Result<VerifiedManifest, Rejection> {
    if policy.keys.is_empty() {
        return Err(Rejection::NoTrustedKeys);
    }
    let signature_bytes = signature;
    let signature: [u8; 64] =
        signature.try_into().map_err(|_| Rejection::SignatureMalformed(signature.len()))?;
    let signature = Signature::from_bytes(&signature);
    let signer = policy
        .keys
        .iter()
        .find(|key| key.verify_strict(manifest_json, &signature).is_ok())
        .ok_or(Rejection::BadSignature(policy.keys.len()))?;

    let manifest = Manifest::decode(manifest_json).map_err(|e| Rejection::Malformed(e.to_string()))?;
    if manifest.format != FORMAT {
        return Err(Rejection::UnsupportedFormat { found: manifest.format, supported: FORMAT });
    }
    if manifest.version > MAX_VERSION {
        return Err(Rejection::Invalid(format!(
            "version {} is above the largest allowed, {MAX_VERSION}",
            manifest.version
        )));
    }
    if manifest.channel != policy.channel {
        return Err(Rejection::WrongChannel { expected: policy.channel.to_owned(), found: manifest.channel });
    }
    let manifest_sha256 = BlobId::of(manifest_json);
    check_not_behind(manifest.version, &manifest_sha256, rollback_floor(policy.trusted, policy.keys))?;
    if let Some(expires_at) = manifest.expires_at
        && expires_at <= policy.now
    {
        return Err(Rejection::Expired { expires_at, now: policy.now });
    }
    if let Some(pair) = manifest.blobs.windows(2).find(|w| w[0].sha256 >= w[1].sha256) {
        return Err(Rejection::Invalid(format!("blobs are not sorted and unique at {}", pair[1].sha256)));
    }
    let total_bytes = manifest.blobs.iter().try_fold(0u64, |total, blob| total.checked_add(blob.size));
    if total_bytes.is_none_or(|total| total > MAX_TOTAL_BLOB_BYTES) {
        return Err(Rejection::Invalid(format!(
            "its blobs add up to more than the largest total allowed, {MAX_TOTAL_BLOB_BYTES} bytes"
        )));
    }
    manifest.content.check(&manifest.blobs).map_err(|e| Rejection::Invalid(e.to_string()))?;

    Ok(VerifiedManifest {
        manifest,
        manifest_sha256,
        key_id: key_id(signer),
        bytes: manifest_json.to_vec(),
        signature: signature_bytes.to_vec(),
    })
}

/// Check 7 for one blob: `observed` is what the caller read (`None` when absent).
pub fn check_blob(expected: &BlobRef, observed: Option<&BlobFacts>) -> Result<(), Rejection> {
    let Some(facts) = observed else {
        return Err(Rejection::BlobMissing(expected.sha256.clone()));
    };
    if facts.size != expected.size {
        return Err(Rejection::BlobSize {
            id: expected.sha256.clone(),
            expected: expected.size,
            found: facts.size,
        });
    }
    if facts.sha256 != expected.sha256 {
        return Err(Rejection::BlobHash { id: expected.sha256.clone(), found: facts.sha256.clone() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::sample_pack;
    use ed25519_dalek::{Signer, SigningKey};

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(second).unwrap()
    }

    fn manifest() -> Manifest {
        let (content, blobs) = sample_pack();
        Manifest {
            format: FORMAT,
            channel: "wtc-booths".into(),
            version: 5,
            created_at: at(1_700_000_000),
            expires_at: Some(at(1_800_000_000)),
            blobs,
            content,
        }
    }

    fn signed(m: &Manifest, signer: &SigningKey) -> (Vec<u8>, Vec<u8>) {
        let bytes = m.encode();
        let sig = signer.sign(&bytes).to_bytes().to_vec();
        (bytes, sig)
    }

    fn check(m: &[u8], sig: &[u8], trusted: Option<&TrustedRelease>) -> Result<VerifiedManifest, Rejection> {
        let keys = [key(1).verifying_key(), key(2).verifying_key()];
        let policy = TrustPolicy { keys: &keys, channel: "wtc-booths", trusted, now: at(1_750_000_000) };
        verify_manifest(m, sig, &policy)
    }

    #[test]
    fn accepts_a_manifest_signed_by_any_pinned_key() {
        for signer in [key(1), key(2)] {
            let (m, sig) = signed(&manifest(), &signer);
            let verified = check(&m, &sig, None).unwrap();
            assert_eq!(verified.manifest, manifest());
            assert_eq!(verified.key_id, key_id(&signer.verifying_key()));
        }
    }

    #[test]
    fn refuses_each_kind_of_bad_manifest_with_its_own_reason() {
        let good = manifest();
        let (bytes, sig) = signed(&good, &key(1));
        let with = |change: fn(&mut Manifest)| {
            let mut m = good.clone();
            change(&mut m);
            signed(&m, &key(1))
        };
        let mut tampered = bytes.clone();
        let at_version = tampered.windows(11).position(|w| w == b"\"version\":5").unwrap();
        tampered[at_version + 10] = b'9';
        let trusted = |version, bytes: &[u8]| TrustedRelease {
            version,
            manifest_sha256: BlobId::of(bytes),
            signed_by: Some(key_id(&key(1).verifying_key())),
        };
        let trusted_6 = trusted(6, b"other");
        let trusted_5_other = trusted(5, b"other");
        let trusted_5_same = trusted(5, &bytes);

        let (foreign, foreign_sig) = signed(&good, &key(3));
        let (wrong_channel, wrong_channel_sig) = with(|m| m.channel = "bulletin-boards".into());
        let (expired, expired_sig) = with(|m| m.expires_at = Some(at(1_700_000_001)));
        let (future_format, future_format_sig) = with(|m| m.format = 2);
        let (unsorted, unsorted_sig) = with(|m| m.blobs.reverse());
        let (huge, huge_sig) = with(|m| m.version = u64::MAX);
        let (dangling, dangling_sig) = with(|m| m.content.chapters[0].cover = BlobId::of(b"nowhere"));
        let garbage = b"{\"format\":1,".to_vec();
        let garbage_sig = key(1).sign(&garbage).to_bytes().to_vec();

        type Case<'a> = (&'a str, Vec<u8>, Vec<u8>, Option<&'a TrustedRelease>);
        let cases: Vec<Case<'_>> = vec![
            ("bad-signature", tampered, sig.clone(), None),
            ("bad-signature", foreign, foreign_sig, None),
            ("signature-malformed", bytes.clone(), sig[..63].to_vec(), None),
            ("signature-malformed", bytes.clone(), Vec::new(), None),
            ("malformed", garbage, garbage_sig, None),
            ("unsupported-format", future_format, future_format_sig, None),
            ("wrong-channel", wrong_channel, wrong_channel_sig, None),
            ("rollback", bytes.clone(), sig.clone(), Some(&trusted_6)),
            ("version-conflict", bytes.clone(), sig.clone(), Some(&trusted_5_other)),
            ("expired", expired, expired_sig, None),
            ("invalid", unsorted, unsorted_sig, None),
            ("invalid", huge, huge_sig, None),
            ("invalid", dangling, dangling_sig, None),
        ];
        for (code, m, s, trusted) in cases {
            let err = check(&m, &s, trusted).expect_err(code);
            assert_eq!(err.code(), code, "{err}");
        }
        assert!(check(&bytes, &sig, Some(&trusted_5_same)).is_ok(), "the same release again is fine");
    }

    /// Blob sizes that added up past `u64::MAX` used to verify, and planning the
    /// download (`sync::plan_fetch`) then overflowed.
    #[test]
    fn refuses_blobs_that_add_up_past_the_largest_total() {
        let with_first_size = |size: fn(u64) -> u64| {
            let mut m = manifest();
            let others: u64 = m.blobs[1..].iter().map(|b| b.size).sum();
            m.blobs[0].size = size(others);
            signed(&m, &key(1))
        };
        let (largest, largest_sig) = with_first_size(|others| MAX_TOTAL_BLOB_BYTES - others);
        let verified = check(&largest, &largest_sig, None).unwrap();
        assert_eq!(verified.manifest.total_blob_bytes(), MAX_TOTAL_BLOB_BYTES);

        for size in [|others| MAX_TOTAL_BLOB_BYTES - others + 1, |_| u64::MAX] {
            let (m, sig) = with_first_size(size);
            let err = check(&m, &sig, None).unwrap_err();
            assert_eq!(err.code(), "invalid", "{err}");
            assert!(err.to_string().contains("blobs add up to more than"), "{err}");
        }
    }

    #[test]
    fn a_version_at_the_top_of_the_range_binds_only_while_its_key_is_pinned() {
        let old = key(1);
        let top = Manifest { version: MAX_VERSION, ..manifest() };
        let (top_bytes, top_sig) = signed(&top, &old);
        let frozen = TrustedRelease {
            version: MAX_VERSION,
            manifest_sha256: BlobId::of(&top_bytes),
            signed_by: Some(key_id(&old.verifying_key())),
        };
        let fresh = Manifest { version: 1, ..manifest() };
        let new = key(2);
        let (bytes, sig) = signed(&fresh, &new);
        let verify = |keys: &[VerifyingKey], bytes: &[u8], sig: &[u8]| {
            let policy =
                TrustPolicy { keys, channel: "wtc-booths", trusted: Some(&frozen), now: at(1_750_000_000) };
            verify_manifest(bytes, sig, &policy)
        };
        let both = [old.verifying_key(), new.verifying_key()];
        assert_eq!(verify(&both, &bytes, &sig).unwrap_err().code(), "rollback", "the old key still pinned");
        let rotated = [new.verifying_key()];
        let recovered = verify(&rotated, &bytes, &sig).expect("the new key's releases start afresh");
        assert_eq!(recovered.key_id, key_id(&new.verifying_key()));
        assert_eq!(verify(&rotated, &top_bytes, &top_sig).unwrap_err().code(), "bad-signature");

        let unrecorded = TrustedRelease { signed_by: None, ..frozen.clone() };
        assert_eq!(rollback_floor(Some(&unrecorded), &rotated), Some(&unrecorded), "unknown signer binds");
        assert_eq!(rollback_floor(Some(&frozen), &rotated), None);
    }

    #[test]
    fn refuses_everything_without_pinned_keys() {
        let (m, sig) = signed(&manifest(), &key(1));
        let policy = TrustPolicy { keys: &[], channel: "wtc-booths", trusted: None, now: at(0) };
        assert_eq!(verify_manifest(&m, &sig, &policy).unwrap_err(), Rejection::NoTrustedKeys);
    }

    #[test]
    fn checks_each_blob_for_presence_size_and_hash() {
        let blob = BlobRef {
            sha256: BlobId::of(b"pdf"),
            size: 3,
            media_type: crate::blob::MediaType::Pdf,
            probe: None,
        };
        let facts = |bytes: &[u8]| BlobFacts { size: bytes.len() as u64, sha256: BlobId::of(bytes) };
        assert!(check_blob(&blob, Some(&facts(b"pdf"))).is_ok());
        assert_eq!(check_blob(&blob, None).unwrap_err().code(), "blob-missing");
        assert_eq!(check_blob(&blob, Some(&facts(b"pdf!"))).unwrap_err().code(), "blob-size");
        assert_eq!(check_blob(&blob, Some(&facts(b"PDF"))).unwrap_err().code(), "blob-hash");
    }
}
