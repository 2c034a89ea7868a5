//! Bundles that appear while the kiosk runs: a USB stick mounted in a watched
//! folder (`content.watch_dirs`) is imported with the same verification as any
//! bundle, and a newer release is shown without a restart.
//!
//! A watched folder may be a bundle itself or hold bundles one level down
//! (names starting with `.` are skipped: copies in progress). The stick is only
//! read. Each bundle is tried once per content (its `manifest.json`'s SHA-256),
//! so a refused one is logged once, not every few seconds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use kiosk_core::blob::BlobId;

use crate::clock::DeviceClock;
use crate::data_dir::DataDir;
use crate::library::{ActiveRelease, Library, Trust};

/// How often the folders are looked at.
pub const WATCH_EVERY: Duration = Duration::from_secs(3);

/// The bundle folders in `dir`: itself, or its visible subfolders, holding a
/// `manifest.sig` (a bundle is complete when its signature exists).
pub fn bundles_in(dir: &Path) -> Vec<PathBuf> {
    if dir.join("manifest.sig").is_file() {
        return vec![dir.to_owned()];
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .filter(|p| p.join("manifest.sig").is_file())
        .collect();
    found.sort();
    found
}

/// Watches `dirs` in a thread of its own; `activated` gets each newer release
/// that verified completely.
pub fn spawn_watch_loop(
    data_dir: DataDir,
    dirs: Vec<PathBuf>,
    trust: Trust,
    clock: DeviceClock,
    activated: impl Fn(ActiveRelease) + Send + 'static,
) -> std::io::Result<()> {
    std::thread::Builder::new().name("usb-watch".into()).spawn(move || {
        let mut tried: BTreeSet<BlobId> = BTreeSet::new();
        loop {
            for bundle in dirs.iter().flat_map(|d| bundles_in(d)) {
                let Ok(bytes) = std::fs::read(bundle.join("manifest.json")) else { continue };
                if !tried.insert(BlobId::of(&bytes)) {
                    continue;
                }
                if let Some(release) = import(&data_dir, &bundle, &trust, clock) {
                    activated(release);
                }
            }
            std::thread::sleep(WATCH_EVERY);
        }
    })?;
    Ok(())
}

/// Imports one bundle; the release to show when it is newer than the active one.
fn import(data_dir: &DataDir, bundle: &Path, trust: &Trust, clock: DeviceClock) -> Option<ActiveRelease> {
    let library =
        Library::at(data_dir.clone()).inspect_err(|error| tracing::error!(%error, "library")).ok()?;
    let changing = library.lock().inspect_err(|error| tracing::error!(%error, "library lock")).ok()?;
    let before = library.active_pointer();
    match library.import_held(bundle, &trust.keys, &trust.channel, clock.now(), &changing) {
        Ok(verified) => {
            tracing::info!(bundle = %bundle.display(), version = verified.manifest.version, "bundle imported from a watched folder")
        }
        Err(error) => {
            tracing::warn!(bundle = %bundle.display(), %error, "bundle refused; the screen keeps its release");
            return None;
        }
    }
    let release = library.newest_valid(&trust.keys, &trust.channel, clock.now())?;
    let newer = before
        .is_none_or(|(channel, version)| channel != trust.channel || release.manifest.version > version);
    if !newer {
        return None;
    }
    library.activate(&release).inspect_err(|error| tracing::error!(%error, "activation failed")).ok()?;
    Some(release)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_bundle_or_the_bundles_one_level_down() {
        let dir = tempfile::tempdir().unwrap();
        assert!(bundles_in(dir.path()).is_empty());
        for name in ["b", "a", ".copying", "no-signature"] {
            std::fs::create_dir_all(dir.path().join(name)).unwrap();
            if name != "no-signature" {
                std::fs::write(dir.path().join(name).join("manifest.sig"), [0u8; 64]).unwrap();
            }
        }
        assert_eq!(bundles_in(dir.path()), vec![dir.path().join("a"), dir.path().join("b")]);
        assert_eq!(bundles_in(&dir.path().join("a")), vec![dir.path().join("a")]);
        assert!(bundles_in(&dir.path().join("missing")).is_empty());
    }
}
