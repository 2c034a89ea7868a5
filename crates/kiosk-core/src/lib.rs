//! The pure domain of the Bình Dương kiosk.
//!
//! Everything here is a plain function of its inputs: no file, clock, network or
//! thread is touched, so every rule can be tested with a table and cannot fail for
//! reasons outside its arguments. The edges (the device crate, the app, the command
//! line) read files and clocks and hand the results in.
//!
//! # Layout
//! - [`locale`]: locale tags and texts in many languages, with fallback.
//! - [`blob`]: blobs named by their SHA-256, and the facts checked about them.
//! - [`content`]: the story, brochures and social cards a pack carries.
//! - [`diff`]: what changed between two packs, in words an approver reads.
//! - [`localized`]: one language's view of a pack, every fallback applied.
//! - [`manifest`]: the signed description of a release and its canonical encoding.
//! - [`keys`]: the text form of Ed25519 keys.
//! - [`verify`]: the checks a bundle must pass before a device trusts it.
//! - [`qr`]: QR codes as SVG.
//! - [`schedule`]: which playlist plays when, in the device's time zone.
//! - [`signage`]: playlists for unattended screens.
//! - [`tour`]: the Innovation Zone tour, a map with stops to visit.
//! - [`sync`]: what a device fetches for a new release, keeps and collects.
//!
//! # Example
//! ```
//! use kiosk_core::locale::{Localized, LocaleTag};
//!
//! let title = Localized::from_pairs([("vi", "Xin chào"), ("en", "Hello")]);
//! let ko = LocaleTag::new("ko").unwrap();
//! let vi = LocaleTag::new("vi").unwrap();
//! // Korean is missing, so the default language answers.
//! assert_eq!(title.get(&ko, &vi), Some(&"Xin chào"));
//! ```

pub mod blob;
pub mod content;
pub mod diff;
pub mod emergency;
pub mod keys;
pub mod locale;
pub mod localized;
pub mod manifest;
pub mod qr;
pub mod schedule;
pub mod signage;
pub mod sync;
pub mod tour;
pub mod verify;

#[cfg(test)]
mod fixtures;
