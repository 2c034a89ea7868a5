//! Reading and verifying a bundle folder: `manifest.json`, `manifest.sig` and
//! `blobs/<sha256>` (the layout in `docs/bundle-format.md`). Every file is
//! opened through [`crate::untrusted_file`]: a link, FIFO or device is refused
//! at once, and nothing is read past the length its kind allows.

use std::path::{Path, PathBuf};

use kiosk_core::blob::{BlobFacts, BlobHasher};
use kiosk_core::manifest::Manifest;
use kiosk_core::verify::{Rejection, TrustPolicy, VerifiedManifest, check_blob, verify_manifest};

use crate::untrusted_file::{self, UntrustedFileError};

/// Where the three parts of a bundle are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundlePaths {
    /// `manifest.json`.
    pub manifest: PathBuf,
    /// `manifest.sig`.
    pub signature: PathBuf,
    /// The folder of blobs, each named by its SHA-256.
    pub blobs: PathBuf,
}

impl BundlePaths {
    /// The standard layout inside `dir`.
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            manifest: dir.join("manifest.json"),
            signature: dir.join("manifest.sig"),
            blobs: dir.join("blobs"),
        }
    }
}

/// A bundle that cannot be trusted; the message names the folder and the reason.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// A file is missing, is not a regular file, is too long, or could not be read.
    #[error(transparent)]
    File(#[from] UntrustedFileError),
    /// A check failed.
    #[error("{place}: {rejection}")]
    Rejected {
        /// The bundle folder or manifest.
        place: PathBuf,
        /// Why.
        rejection: Rejection,
    },
}

impl BundleError {
    /// The verification failure, if it is one.
    pub fn rejection(&self) -> Option<&Rejection> {
        match self {
            Self::Rejected { rejection, .. } => Some(rejection),
            Self::File(_) => None,
        }
    }
}

/// The largest `manifest.json` read; anything bigger is refused unread.
pub const MAX_MANIFEST_BYTES: u64 = 8 * 1024 * 1024;

/// The length of `manifest.sig`: one Ed25519 signature.
pub const SIGNATURE_BYTES: u64 = 64;

/// Reads and verifies the manifest and its signature (checks 1–6); the result
/// carries the bytes it was verified from.
pub fn verify_manifest_files(
    paths: &BundlePaths,
    policy: &TrustPolicy<'_>,
) -> Result<VerifiedManifest, BundleError> {
    let manifest_bytes = untrusted_file::read(&paths.manifest, MAX_MANIFEST_BYTES)?;
    let signature_bytes = untrusted_file::read(&paths.signature, SIGNATURE_BYTES)?;
    verify_manifest(&manifest_bytes, &signature_bytes, policy)
        .map_err(|rejection| BundleError::Rejected { place: paths.manifest.clone(), rejection })
}

/// Checks every blob of `manifest` in `blob_dir` for size and SHA-256 (check 7).
pub fn verify_blobs(manifest: &Manifest, blob_dir: &Path) -> Result<(), BundleError> {
    for blob in &manifest.blobs {
        let path = blob_dir.join(blob.sha256.as_str());
        let facts = blob_facts(&path, blob.size)?;
        check_blob(blob, facts.as_ref())
            .map_err(|rejection| BundleError::Rejected { place: path, rejection })?;
    }
    Ok(())
}

/// Verifies a whole bundle folder.
pub fn verify_bundle(dir: &Path, policy: &TrustPolicy<'_>) -> Result<VerifiedManifest, BundleError> {
    let paths = BundlePaths::in_dir(dir);
    let verified = verify_manifest_files(&paths, policy)?;
    verify_blobs(&verified.manifest, &paths.blobs)?;
    Ok(verified)
}

/// The size and SHA-256 of a regular file expected to be `expected_size` bytes, or
/// `None` when there is no such file. A file of another length is not read at all
/// (its facts carry the length and the hash of nothing), so a huge or endless file
/// costs nothing; nor is one that is not a regular file (refused with what it is).
pub fn blob_facts(path: &Path, expected_size: u64) -> Result<Option<BlobFacts>, BundleError> {
    let file = match untrusted_file::open(path) {
        Ok(file) => file,
        Err(error) if error.is_missing() => return Ok(None),
        Err(error) => return Err(error.into()),
    };
    if file.len() != expected_size {
        return Ok(Some(BlobFacts { size: file.len(), sha256: BlobHasher::new().finish().sha256 }));
    }
    let mut hasher = BlobHasher::new();
    std::io::copy(&mut file.into_reader(expected_size)?, &mut hasher).map_err(|source| {
        UntrustedFileError { path: path.to_owned(), problem: untrusted_file::Problem::Io(source) }
    })?;
    Ok(Some(hasher.finish()))
}
