//! The benchmark's two releases. Release 1 is built from an author's folder (the
//! layout of `media/`) and published as `kioskctl publish` does: missing blobs
//! uploaded, then the manifest, which the server signs. Release 2 is release 1
//! with one new picture in the attract loop: one new blob, all others unchanged.

use std::path::Path;

use anyhow::{Context, Result};
use kiosk_authoring::{BuildOptions, Built, build_bundle};
use kiosk_core::blob::{BlobId, BlobRef, MediaType};
use kiosk_core::manifest::Manifest;

use crate::admin::{AdminApi, Published};

/// Builds release 1 from `source_dir` into `out_dir` (films are not probed: the
/// server does not need it and screens do not check it).
pub fn build(source_dir: &Path, out_dir: &Path, channel: &str) -> Result<Built> {
    // The server signs what it publishes; this key only holds the bundle together.
    let key = ed25519_dalek::SigningKey::generate(&mut rand_core::OsRng);
    let options = BuildOptions::new(channel, 1, jiff::Timestamp::now(), key);
    build_bundle(source_dir, out_dir, &options, &mut |_| {})
        .with_context(|| format!("building a release from {}", source_dir.display()))
}

/// Uploads the blobs the server lacks, then publishes the manifest.
pub fn publish(admin: &AdminApi, channel: &str, built: &Built) -> Result<Published> {
    for blob in &built.manifest.blobs {
        let path = built.dir.join("blobs").join(blob.sha256.as_str());
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        admin.upload_blob(&blob.sha256, bytes)?;
    }
    admin.publish(channel, built.manifest.encode())
}

/// `manifest` with one more picture (`png`'s bytes) shown in the attract loop.
pub fn with_new_picture(manifest: &Manifest, png: &[u8]) -> (Manifest, BlobRef) {
    let picture =
        BlobRef { sha256: BlobId::of(png), size: png.len() as u64, media_type: MediaType::Png, probe: None };
    let mut next = manifest.clone();
    next.content.attract.images.push(picture.sha256.clone());
    next.blobs.push(picture.clone());
    next.blobs.sort_by(|a, b| a.sha256.cmp(&b.sha256));
    (next, picture)
}
