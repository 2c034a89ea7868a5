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

fn read(path: &Path) -> Result<Vec<u8>, BundleError> {
    std::fs::read(path).map_err(|source| BundleError::Read { path: path.to_owned(), source })
}

/// Reads and verifies the manifest and its signature (checks 1–6).
pub fn verify_manifest_files(
    paths: &BundlePaths,
    policy: &TrustPolicy<'_>,
) -> Result<VerifiedManifest, BundleError> {
    let manifest = read(&paths.manifest)?;
    let signature = read(&paths.signature)?;
    verify_manifest(&manifest, &signature, policy)
        .map_err(|rejection| BundleError::Rejected { place: paths.manifest.clone(), rejection })
}

/// Checks every blob of `manifest` in `blob_dir` for size and SHA-256 (check 7).
pub fn verify_blobs(manifest: &Manifest, blob_dir: &Path) -> Result<(), BundleError> {
    for blob in &manifest.blobs {
        let path = blob_dir.join(blob.sha256.as_str());
        let facts = hash_file(&path)?;
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

/// The size and SHA-256 of a file, or `None` when there is no such file.
pub fn hash_file(path: &Path) -> Result<Option<BlobFacts>, BundleError> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(BundleError::Read { path: path.to_owned(), source }),
    };
    let mut hasher = BlobHasher::new();
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let n =
            file.read(&mut buffer).map_err(|source| BundleError::Read { path: path.to_owned(), source })?;
        if n == 0 {
            return Ok(Some(hasher.finish()));
        }
        hasher.update(&buffer[..n]);
    }
}
