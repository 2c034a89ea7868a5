//! Everything a kiosk screen does without a window: its config, its store, its
//! library of verified releases, its sync with a server or a booth mirror, its
//! sound, and the small HTTP servers (media for its own webview, brochures for
//! visitors' phones, the mirror for the booth's other screens).
//!
//! [`Screen`] is the door: one value that opens the data folder ([`DataDir`]),
//! shows the newest verified release and starts whatever the device config
//! asks for. The app (`src-tauri`), the command line (`kioskctl sync`,
//! `kioskctl mirror`) and the fleet benchmark are thin layers over it; the
//! rules of content themselves live in `kiosk-core`.
//!
//! # Layout
//! - [`screen`]: the screen, its setup, and the answers the interface asks for.
//! - [`data_dir`]: the data folder's layout, spelled in one place.
//! - [`config`]: the device's TOML config, checked with file, line and key.
//! - [`clock`]: wall time (shiftable for rehearsals) and monotonic time.
//! - [`store`]: SQLite (WAL, append-only migrations): trusted versions, downloads,
//!   the outbox of events, film checks.
//! - [`events`]: proof of play and interaction events, recorded before they are
//!   acknowledged; the only way into the outbox.
//! - [`bundle_folder`]: reading and verifying a bundle folder.
//! - [`untrusted_file`]: a file of a bundle folder opened without following
//!   links or blocking, refused unless regular, and read within a bound.
//! - [`library`]: releases on disk; staging, the one door a release comes in by;
//!   choosing and activating one.
//! - [`current_release`]: the release on screen, shared and swappable.
//! - [`emergency`]: the signed emergency message shown over everything, kept across restarts.
//! - [`media_server`]: blobs for the webview on loopback, with a per-launch secret.
//! - [`brochure_server`]: brochure PDFs for phones on the booth network.
//! - [`repeat_downloads`]: which completed brochure downloads count (one per
//!   phone, brochure and language per ten minutes).
//! - [`mirror`]: the verified release, served read-only to a booth's other screens.
//! - [`sync_client`]: fetching, verifying and activating a release from a server or a mirror.
//! - [`sync_loop`]: syncing for as long as the screen runs: announcements, emergency messages, heartbeats and the outbox.
//! - [`screenshots`]: screenshots of the window, asked by the server or on a
//!   schedule, captured through the shell's [`screenshots::Capture`] and uploaded.
//! - [`urls`]: the shapes of the URLs a screen serves (media, brochures).
//! - [`kiosk_view`]: the payloads the interface receives.
//! - [`check_in`]: the interface's check-in: the display's off hours and the
//!   last USB stick's outcome for staff.
//! - [`signage_view`]: the playlist the player plays now, as a payload.
//! - [`staff_pin`]: hashing and checking the staff PIN, and the staff lock.
//! - [`survey`]: which survey answers a screen records (one per survey per visit).
//! - private: bundles that appear in a watched folder such as a USB stick
//!   (`usb_watch`), the built-in bundle written out (`built_in`), the process
//!   environment without sound card or GPU (`environment`, `sound_output`,
//!   `rendering`), the screen's sound policy (`screen_sound`), films this
//!   machine cannot decode (`playability`), free disk space (`disk`), durable
//!   file replacement (`durable`), the address QR codes point at (`lan_address`).
//!
//! # Example
//! ```no_run
//! use kiosk_device::library::Trust;
//! use kiosk_device::{DataDir, Screen, ScreenSetup};
//!
//! let trust = Trust::new(vec![], "wtc-booths");
//! let screen = Screen::open(ScreenSetup::new(DataDir::new("/var/lib/binhduong-kiosk"), trust))?;
//! if let Some(release) = screen.release() {
//!     println!("showing version {}", release.manifest.version);
//! }
//! # Ok::<(), kiosk_device::ScreenError>(())
//! ```

pub mod brochure_server;
mod built_in;
pub mod bundle_folder;
pub mod check_in;
pub mod clock;
pub mod config;
pub mod current_release;
pub mod data_dir;
mod disk;
mod durable;
pub mod emergency;
mod environment;
pub mod events;
pub mod kiosk_view;
mod lan_address;
pub mod library;
mod lockstep;
pub mod media_server;
pub mod mirror;
mod playability;
mod rendering;
pub mod repeat_downloads;
pub mod screen;
mod screen_sound;
pub mod screenshots;
pub mod signage_view;
mod sound_output;
pub mod staff_pin;
pub mod store;
pub mod survey;
pub mod sync_client;
pub mod sync_loop;
pub mod untrusted_file;
pub mod urls;
mod usb_watch;

pub use data_dir::DataDir;
pub use environment::screen_environment;
pub use screen::{
    FilmCheck, InterfaceEvent, PlanPurpose, Presentation, Screen, ScreenError, ScreenParts, ScreenSetup,
    StaffStatus,
};
