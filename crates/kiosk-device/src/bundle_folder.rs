//! Reading and verifying a bundle folder: `manifest.json`, `manifest.sig` and
//! `blobs/<sha256>` (the layout in `docs/bundle-format.md`).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use kiosk_core::blob::{BlobFacts, BlobHasher};
use kiosk_core::manifest::Manifest;
use kiosk_core::verify::{Rejection, TrustPolicy, VerifiedManifest, check_blob, verify_manifest};

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
    /// A file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
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
            Self::Read { .. } => None,
        }
    }
}

/// The largest `manifest.json` read; anything bigger is refused unread.
pub const MAX_MANIFEST_BYTES: u64 = 8 * 1024 * 1024;

fn io_error(path: &Path, kind: std::io::ErrorKind, message: String) -> BundleError {
    BundleError::Read { path: path.to_owned(), source: std::io::Error::new(kind, message) }
}

/// Opens a regular file (not a link, FIFO or device) and gives its length, or
/// `None` when there is no such file.
fn open_regular(path: &Path) -> Result<Option<(File, u64)>, BundleError> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(BundleError::Read { path: path.to_owned(), source }),
    };
    if !meta.file_type().is_file() {
        return Err(io_error(path, std::io::ErrorKind::InvalidData, "not a regular file".into()));
    }
    let file = File::open(path).map_err(|source| BundleError::Read { path: path.to_owned(), source })?;
    Ok(Some((file, meta.len())))
}

/// Reads a small file whole, refusing one longer than `limit` without reading it.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, BundleError> {
    let (file, len) = open_regular(path)?
        .ok_or_else(|| io_error(path, std::io::ErrorKind::NotFound, "no such file".into()))?;
    if len > limit {
        let message = format!("{len} bytes is more than the {limit} allowed");
        return Err(io_error(path, std::io::ErrorKind::InvalidData, message));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| BundleError::Read { path: path.to_owned(), source })?;
    Ok(bytes)
}

/// Reads and verifies the manifest and its signature (checks 1–6); the result
/// carries the bytes it was verified from.
pub fn verify_manifest_files(
    paths: &BundlePaths,
    policy: &TrustPolicy<'_>,
) -> Result<VerifiedManifest, BundleError> {
    let manifest_bytes = read_limited(&paths.manifest, MAX_MANIFEST_BYTES)?;
    let signature_bytes = read_limited(&paths.signature, 64)?;
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
/// costs nothing.
pub fn blob_facts(path: &Path, expected_size: u64) -> Result<Option<BlobFacts>, BundleError> {
    let Some((file, len)) = open_regular(path)? else { return Ok(None) };
    if len != expected_size {
        return Ok(Some(BlobFacts { size: len, sha256: BlobHasher::new().finish().sha256 }));
    }
    let mut hasher = BlobHasher::new();
    std::io::copy(&mut file.take(expected_size + 1), &mut hasher)
        .map_err(|source| BundleError::Read { path: path.to_owned(), source })?;
    Ok(Some(hasher.finish()))
}
