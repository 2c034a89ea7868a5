//! The app's embedded default bundle, written out to the data folder so that it
//! is verified and imported like any other bundle: a kiosk shows the story even
//! with an empty data folder, and embedded content gets no trust of its own.
//!
//! The copy on disk is used only when every file of it holds the embedded
//! bytes; a damaged one (a power cut, a bad sector) is written again rather
//! than refused at import, which would leave the screen without its default
//! content. A new copy appears by one rename after its files, its folders and
//! their entries are synced, and after it was read back whole.

use std::fs::File;
use std::path::{Path, PathBuf};

use include_dir::Dir;

use crate::data_dir::DataDir;

/// Writes `bundle` to [`DataDir::built_in`] (unless the copy there already
/// holds exactly its bytes), by one rename, and returns that folder.
pub fn write_built_in_bundle(data_dir: &DataDir, bundle: &Dir<'_>) -> std::io::Result<PathBuf> {
    let dir = data_dir.built_in();
    if holds(&dir, bundle) {
        return Ok(dir);
    }
    if dir.exists() {
        tracing::warn!(dir = %dir.display(), "the built-in content on disk differs from the app's; writing it again");
    }
    let mut partial = dir.clone().into_os_string();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    if partial.exists() {
        std::fs::remove_dir_all(&partial)?;
    }
    std::fs::create_dir_all(&partial)?;
    bundle.extract(&partial)?;
    sync_tree(&partial, bundle)?;
    if !holds(&partial, bundle) {
        let message =
            format!("{}: the built-in content reads back different from what was written", partial.display());
        return Err(std::io::Error::other(message));
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::rename(&partial, &dir)?;
    crate::durable::sync_dir(data_dir.root())?;
    Ok(dir)
}

/// Whether every file of `bundle` is in `dir` with the same bytes.
fn holds(dir: &Path, bundle: &Dir<'_>) -> bool {
    bundle
        .files()
        .all(|file| std::fs::read(dir.join(file.path())).is_ok_and(|bytes| bytes == file.contents()))
        && bundle.dirs().all(|sub| holds(dir, sub))
}

/// Syncs every file of `bundle` written under `dir`, then each folder, so
/// that the rename that follows never shows a folder with missing bytes.
fn sync_tree(dir: &Path, bundle: &Dir<'_>) -> std::io::Result<()> {
    for file in bundle.files() {
        File::open(dir.join(file.path()))?.sync_all()?;
    }
    for sub in bundle.dirs() {
        sync_tree(dir, sub)?;
    }
    crate::durable::sync_dir(&dir.join(bundle.path()))
}

#[cfg(test)]
mod tests {
    use include_dir::{DirEntry, File};

    use super::*;

    static BLOBS: [DirEntry<'static>; 1] = [DirEntry::File(File::new("blobs/aa", b"film bytes"))];
    static BUNDLE: Dir<'static> = Dir::new(
        "",
        &[
            DirEntry::File(File::new("manifest.json", b"{}")),
            DirEntry::File(File::new("manifest.sig", &[7; 64])),
            DirEntry::Dir(Dir::new("blobs", &BLOBS)),
        ],
    );

    #[test]
    fn writes_the_bundle_once_and_again_when_damaged() {
        let data = tempfile::tempdir().unwrap();
        let data_dir = DataDir::new(data.path());
        let dir = write_built_in_bundle(&data_dir, &BUNDLE).unwrap();
        assert_eq!(std::fs::read(dir.join("blobs/aa")).unwrap(), b"film bytes");
        assert!(!data.path().join(".built-in.partial").exists());

        // The same manifest but a damaged blob: written again.
        std::fs::write(dir.join("blobs/aa"), b"film bytez").unwrap();
        write_built_in_bundle(&data_dir, &BUNDLE).unwrap();
        assert_eq!(std::fs::read(dir.join("blobs/aa")).unwrap(), b"film bytes");

        // A missing signature: written again too.
        std::fs::remove_file(dir.join("manifest.sig")).unwrap();
        write_built_in_bundle(&data_dir, &BUNDLE).unwrap();
        assert_eq!(std::fs::read(dir.join("manifest.sig")).unwrap(), [7; 64]);
    }
}
