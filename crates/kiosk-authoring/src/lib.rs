//! Turns an author's content folder (such as `media/`) into a signed bundle.
//!
//! The folder's layout is documented in `media/README.md`; the bundle's in
//! `docs/bundle-format.md`. The command line (`kioskctl bundle build`) and the app's
//! build script (which makes the built-in default bundle) both call [`build_bundle`].
//!
//! # Layout
//! - [`source`]: reads and checks the author's TOML files.
//! - [`build`]: hashes and copies the files, writes and signs the manifest.
//! - [`keys`]: makes and reads signing key files.
//! - [`translations`]: which texts are missing or stale in each locale, against
//!   `translations.lock`.
//!
//! # Example
//! ```no_run
//! use kiosk_authoring::{build_bundle, BuildOptions, keys};
//!
//! let key = keys::read_secret_key("keys/content.key".as_ref())?;
//! let options = BuildOptions::new("wtc-booths", 7, jiff::Timestamp::now(), key);
//! let built = build_bundle("media".as_ref(), "out/bundle".as_ref(), &options, &mut |_| {})?;
//! println!("{} blobs", built.manifest.blobs.len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod build;
pub mod keys;
pub mod source;
pub mod translations;

pub use build::{BuildError, BuildOptions, Built, ProbeFilm, build_bundle};
