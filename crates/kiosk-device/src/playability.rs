//! Which films of a release this machine cannot decode.
//!
//! A bundle records what its films were when it was built, on the author's
//! machine; a screen checks again with its own decoders before it shows a
//! release, so a film it cannot decode is left out with a reason instead of
//! becoming a black rectangle. A check costs a real decode, so each result is
//! remembered in the store per blob and per decoder version: a new GStreamer
//! checks again.
//!
//! The check itself is passed in (the app uses `kiosk-media`), so this crate
//! does not link GStreamer.

use std::collections::BTreeMap;
use std::path::Path;

use kiosk_core::blob::BlobId;

use crate::library::ActiveRelease;
use crate::store::{MediaCheck, Store};

/// The films of `release` that `decode` refuses, with its reasons. `decoder`
/// names the decoder's version; results for other versions are not reused.
/// New checks are stamped `now`.
pub fn undecodable_films(
    release: &ActiveRelease,
    store: &mut Store,
    decoder: &str,
    decode: &dyn Fn(&Path) -> Result<(), String>,
    now: jiff::Timestamp,
) -> BTreeMap<BlobId, String> {
    let mut refused = BTreeMap::new();
    for blob in &release.manifest.blobs {
        if !blob.media_type.is_video() {
            continue;
        }
        let remembered = store.media_check(&blob.sha256, decoder).unwrap_or_else(|error| {
            tracing::warn!(%error, "media checks: cannot read; checking again");
            None
        });
        let check = match remembered {
            Some(check) => check,
            None => {
                let Some((path, _)) = release.blob_path(&blob.sha256) else { continue };
                let started = std::time::Instant::now();
                let check = MediaCheck { refused: decode(&path).err() };
                tracing::info!(
                    blob = %blob.sha256,
                    ms = started.elapsed().as_millis() as u64,
                    decodable = check.refused.is_none(),
                    "film checked with this machine's decoders"
                );
                if let Err(error) = store.remember_media_check(&blob.sha256, decoder, &check, now) {
                    tracing::warn!(%error, "media checks: cannot remember");
                }
                check
            }
        };
        if let Some(reason) = check.refused {
            tracing::warn!(blob = %blob.sha256, reason, "film left out: this machine cannot decode it");
            refused.insert(blob.sha256.clone(), reason);
        }
    }
    refused
}
