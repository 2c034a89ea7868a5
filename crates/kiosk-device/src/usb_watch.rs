//! Bundles that appear while the kiosk runs: a USB stick mounted in a watched
//! folder (`content.watch_dirs`) is imported with the same verification as any
//! bundle, and a newer release is shown without a restart.
//!
//! A watched folder may be a bundle itself or hold bundles one or two levels
//! down, so a folder where sticks are mounted can be watched (names starting
//! with `.` are skipped: copies in progress). The stick is only
//! read, and never trusted to hold regular files: links are not followed, and
//! a manifest or blob that is a FIFO, a device or endless is refused at once
//! ([`crate::untrusted_file`]). Each bundle is tried once per content (its
//! `manifest.json`'s SHA-256, or why it cannot be read), so a refused one is
//! logged once, not every few seconds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use kiosk_core::blob::BlobId;

use crate::bundle_folder::{BundlePaths, MAX_MANIFEST_BYTES};
use crate::check_in::UsbNotice;
use crate::clock::DeviceClock;
use crate::data_dir::DataDir;
use crate::library::{ActiveRelease, Library, Trust};
use crate::untrusted_file;

/// How often the folders are looked at.
pub const WATCH_EVERY: Duration = Duration::from_secs(3);

/// The bundle folders in `dir`: itself, or its visible subfolders, or theirs
/// (a folder of mounted sticks, each a bundle or holding bundles), each
/// holding a `manifest.sig` (a bundle is complete when its signature exists).
pub fn bundles_in(dir: &Path) -> Vec<PathBuf> {
    bundles_within(dir, 2)
}

fn bundles_within(dir: &Path, depth: u8) -> Vec<PathBuf> {
    // Whatever the signature is (a link, a FIFO), the bundle is tried, so that
    // staff hear why it is refused.
    if std::fs::symlink_metadata(dir.join("manifest.sig")).is_ok_and(|m| !m.is_dir()) {
        return vec![dir.to_owned()];
    }
    if depth == 0 {
        return Vec::new();
    }
    let mut children: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    children.sort();
    children.iter().flat_map(|child| bundles_within(child, depth - 1)).collect()
}

/// Watches `dirs` in a thread of its own; `outcome` hears what became of each
/// bundle tried, with the release to show when it is newer and verified
/// completely.
pub fn spawn_watch_loop(
    data_dir: DataDir,
    dirs: Vec<PathBuf>,
    trust: Trust,
    clock: DeviceClock,
    outcome: impl Fn(UsbNotice, Option<ActiveRelease>) + Send + 'static,
) -> std::io::Result<()> {
    std::thread::Builder::new().name("usb-watch".into()).spawn(move || {
        let mut tried: BTreeSet<Attempt> = BTreeSet::new();
        loop {
            for bundle in dirs.iter().flat_map(|d| bundles_in(d)) {
                // A stick still being written may lack its manifest yet.
                let Some(attempt) = Attempt::of(&bundle) else { continue };
                if !tried.insert(attempt) {
                    continue;
                }
                if let Some((notice, release)) = import(&data_dir, &bundle, &trust, clock) {
                    outcome(notice, release);
                }
            }
            std::thread::sleep(WATCH_EVERY);
        }
    })?;
    Ok(())
}

/// What makes a bundle worth trying again: another manifest, or another
/// reason its manifest cannot be read.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Attempt {
    /// The SHA-256 of its `manifest.json`.
    Manifest(BlobId),
    /// Why its `manifest.json` cannot be read (it names the file).
    Unreadable(String),
}

impl Attempt {
    /// Reads `bundle`'s manifest as the import will: never following a link,
    /// never blocking, never past the manifest's limit. `None` while there is
    /// no manifest.
    fn of(bundle: &Path) -> Option<Self> {
        match untrusted_file::read(&BundlePaths::in_dir(bundle).manifest, MAX_MANIFEST_BYTES) {
            Ok(bytes) => Some(Self::Manifest(BlobId::of(&bytes))),
            Err(error) if error.is_missing() => None,
            Err(error) => Some(Self::Unreadable(error.to_string())),
        }
    }
}

/// Imports one bundle: what became of it, and the release to show when it is
/// newer than the active one. `None` when the library itself failed (logged).
fn import(
    data_dir: &DataDir,
    bundle: &Path,
    trust: &Trust,
    clock: DeviceClock,
) -> Option<(UsbNotice, Option<ActiveRelease>)> {
    let library =
        Library::at(data_dir.clone()).inspect_err(|error| tracing::error!(%error, "library")).ok()?;
    let changing = library.lock().inspect_err(|error| tracing::error!(%error, "library lock")).ok()?;
    let before = library.active_pointer();
    let version = match library.import_held(bundle, &trust.keys, &trust.channel, clock.trust_now(), &changing)
    {
        Ok(verified) => {
            tracing::info!(bundle = %bundle.display(), version = verified.manifest.version, "bundle imported from a watched folder");
            verified.manifest.version
        }
        Err(error) => {
            tracing::warn!(bundle = %bundle.display(), %error, "bundle refused; the screen keeps its release");
            return Some((UsbNotice::Refused { reason: error.to_string() }, None));
        }
    };
    let release = library.newest_valid(&trust.keys, &trust.channel, clock.trust_now())?;
    let newer = before
        .is_none_or(|(channel, version)| channel != trust.channel || release.manifest.version > version);
    if !newer {
        let showing = release.manifest.version;
        return Some((UsbNotice::NotNewer { version, showing }, None));
    }
    library.activate(&release).inspect_err(|error| tracing::error!(%error, "activation failed")).ok()?;
    let notice = UsbNotice::Shown { channel: trust.channel.clone(), version: release.manifest.version };
    Some((notice, Some(release)))
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

    #[test]
    fn finds_the_bundles_of_each_stick_in_a_folder_of_mount_points() {
        let sticks = tempfile::tempdir().unwrap();
        let bundles = ["sda1", "sdb1/boards-v7", "sdb1/booths-v3", "sdc1/.copying/x", "sdc1/deep/er/x"];
        for name in bundles {
            std::fs::create_dir_all(sticks.path().join(name)).unwrap();
            std::fs::write(sticks.path().join(name).join("manifest.sig"), [0u8; 64]).unwrap();
        }
        let found: Vec<_> = bundles_in(sticks.path());
        let expected: Vec<_> =
            ["sda1", "sdb1/boards-v7", "sdb1/booths-v3"].map(|n| sticks.path().join(n)).into();
        assert_eq!(found, expected);
    }
}
