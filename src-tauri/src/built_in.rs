//! The default content, built from `media/` by the build script and embedded in
//! the binary; the screen writes it out and verifies it like any other bundle
//! (`kiosk_device::ScreenSetup::built_in`).

use include_dir::{Dir, include_dir};

/// The embedded bundle.
pub static BUNDLE: Dir<'static> = include_dir!("$OUT_DIR/default-bundle");
