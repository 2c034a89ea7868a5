//! Screenshots of screens: staff ask a screen for one, the screen captures its
//! window and uploads the PNG, and the console shows it with its time; screens
//! may also send one on a schedule, as proof of what they showed
//! (`docs/console-api.md`, "Screenshots"; `docs/device-api.md`).
//!
//! A request is stored, then announced on the device's own event stream
//! (`event: screenshot`, [`kiosk_wire::ScreenshotRequested`]); the screen
//! answers with `PUT /v1/screenshots/{request}`, once. A body is refused while
//! it is read, at [`kiosk_wire::screenshot::MAX_BYTES`], and kept only when it
//! is a whole PNG of at most 7680 × 4320 pixels ([`png_check`]).
//!
//! **The PNGs live in a BLOB column of their own table**, not in the
//! [`BlobStore`](crate::BlobStore): a screenshot is short-lived (each device
//! keeps only its newest [`KEEP_PER_DEVICE`]), and the blob store is a pool of
//! content named by SHA-256 that releases and the media library list and that
//! has no way to remove one. In the database, storing the newest, marking its
//! request answered and dropping the oldest are one transaction: nothing is
//! ever left half-pruned or orphaned, and SQLite reuses the freed pages. The
//! bound is `KEEP_PER_DEVICE` × 8 MiB per screen at most (a kiosk's 1080p PNG
//! is a few hundred kilobytes to two megabytes).
//!
//! - [`db`]: what is kept, behind the [`db::ScreenshotsDb`] trait; [`sqlite`]
//!   implements it on the embedded database.
//! - [`png_check`]: whether bytes are a whole PNG within the size bounds (pure).
//! - [`body`]: reading an upload up to a limit, never further.
//! - [`routes`]: asking, uploading, listing and serving over HTTP.

pub mod body;
pub mod db;
pub mod png_check;
pub mod routes;
pub mod sqlite;

/// The screenshots kept per device: the newest; older ones are dropped as new
/// ones arrive (two days of hourly proof).
pub const KEEP_PER_DEVICE: usize = 48;

/// The requests kept per device, answered or not: the newest.
pub const KEEP_REQUESTS_PER_DEVICE: usize = 100;
