//! The app's embedded default bundle, written out to the data folder so that it
//! is verified and imported like any other bundle: a kiosk shows the story even
//! with an empty data folder, and embedded content gets no trust of its own.

use std::path::PathBuf;

use include_dir::Dir;

use crate::data_dir::DataDir;

/// Writes `bundle` to [`DataDir::built_in`] (unless the copy there already has
/// the same manifest), by one rename, and returns that folder.
pub fn write_built_in_bundle(data_dir: &DataDir, bundle: &Dir<'_>) -> std::io::Result<PathBuf> {
    let dir = data_dir.built_in();
    let manifest = bundle.get_file("manifest.json").map(|f| f.contents()).unwrap_or_default();
    if std::fs::read(dir.join("manifest.json")).is_ok_and(|on_disk| on_disk == manifest) {
        return Ok(dir);
    }
    let mut partial = dir.clone().into_os_string();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    if partial.exists() {
        std::fs::remove_dir_all(&partial)?;
    }
    std::fs::create_dir_all(&partial)?;
    bundle.extract(&partial)?;
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::rename(&partial, &dir)?;
    Ok(dir)
}
