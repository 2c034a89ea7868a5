//! The default content, built from `media/` by the build script and embedded in
//! the binary, so a kiosk shows the story even with an empty data folder.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

static BUNDLE: Dir<'_> = include_dir!("$OUT_DIR/default-bundle");

/// Writes the embedded bundle to `<data_dir>/.built-in` (unless the copy there
/// already has the same manifest) and returns that folder. It is then imported and
/// verified like any other bundle.
pub fn write_built_in_bundle(data_dir: &Path) -> std::io::Result<PathBuf> {
    let dir = data_dir.join(".built-in");
    let manifest = BUNDLE.get_file("manifest.json").map(|f| f.contents()).unwrap_or_default();
    if std::fs::read(dir.join("manifest.json")).is_ok_and(|on_disk| on_disk == manifest) {
        return Ok(dir);
    }
    let partial = data_dir.join(".built-in.partial");
    if partial.exists() {
        std::fs::remove_dir_all(&partial)?;
    }
    std::fs::create_dir_all(&partial)?;
    BUNDLE.extract(&partial)?;
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::rename(&partial, &dir)?;
    Ok(dir)
}
