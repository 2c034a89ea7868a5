//! Everything a kiosk screen does without a window: its config, its store, its
//! library of verified releases, and the two small HTTP servers (media for its own
//! webview, brochures for visitors' phones).
//!
//! The app (`src-tauri`) and the command line (`kioskctl`) are thin layers over
//! this crate; the rules themselves live in `kiosk-core`.
//!
//! # Layout
//! - [`config`]: the device's TOML config, checked with file, line and key.
//! - [`clock`]: wall time (shiftable for rehearsals) and monotonic time.
//! - [`store`]: SQLite (WAL, append-only migrations): trusted versions, downloads,
//!   the outbox of events.
//! - [`events`]: proof of play and interaction events, recorded before they are
//!   acknowledged.
//! - [`bundle_folder`]: reading and verifying a bundle folder.
//! - [`library`]: releases on disk, import, choosing and activating one.
//! - [`current_release`]: the release on screen, shared and swappable.
//! - [`emergency`]: the signed emergency message shown over everything, kept across restarts.
//! - [`media_server`]: blobs for the webview on loopback, with a per-launch secret.
//! - [`brochure_server`]: brochure PDFs for phones on the booth network.
//! - [`lan_address`]: the address QR codes point at.
//! - [`mirror`]: the verified release, served read-only to a booth's other screens.
//! - [`sync_client`]: fetching, verifying and activating a release from a server or a mirror.
//! - [`sync_loop`]: syncing for as long as the screen runs: announcements, emergency messages, heartbeats and the outbox.
//! - [`disk`]: free disk space, for heartbeats.
//! - [`durable`]: replacing a file so that a power cut leaves the old or the new bytes.
//! - [`usb_watch`]: bundles that appear in a watched folder (a USB stick) while the kiosk runs.
//! - [`kiosk_view`]: the payloads the interface receives.
//! - [`signage_view`]: the playlist the player plays now, as a payload.
//! - [`playability`]: which films of a release this machine cannot decode.
//! - [`staff_pin`]: hashing and checking the staff PIN.
//! - [`sound_output`]: detecting a sound card, and silence without one.
//! - [`rendering`]: whether the webview paints with the GPU or the CPU.
//!
//! # Example
//! ```no_run
//! use kiosk_device::library::{Library, Trust};
//!
//! let library = Library::open("/var/lib/binhduong-kiosk".as_ref())?;
//! let trust = Trust { keys: vec![], channel: "wtc-booths".into() };
//! let release = library.start(&trust, None, jiff::Timestamp::now())?;
//! println!("showing version {}", release.manifest.version);
//! # Ok::<(), kiosk_device::library::LibraryError>(())
//! ```

pub mod brochure_server;
pub mod bundle_folder;
pub mod clock;
pub mod config;
pub mod current_release;
pub mod disk;
pub mod durable;
pub mod emergency;
pub mod events;
pub mod kiosk_view;
pub mod lan_address;
pub mod library;
pub mod media_server;
pub mod mirror;
pub mod playability;
pub mod rendering;
pub mod signage_view;
pub mod sound_output;
pub mod staff_pin;
pub mod store;
pub mod sync_client;
pub mod sync_loop;
pub mod usb_watch;
