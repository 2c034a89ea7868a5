//! `PUT /v1/screenshots/{request}`: a screen uploads a PNG of what its window
//! shows, when staff asked for it (the request announced on its event stream,
//! [`crate::ScreenshotRequested`]) or on its own schedule ([`SCHEDULED`]).
//!
//! The body is the PNG itself (`Content-Type: image/png`), with the capture
//! time in [`TAKEN_AT_HEADER`](crate::headers::TAKEN_AT_HEADER); the answer is
//! [`ScreenshotStored`]. The server refuses a body over [`MAX_BYTES`] and a
//! picture larger than [`MAX_WIDTH`] × [`MAX_HEIGHT`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The request id of a screenshot a screen takes on its own schedule.
pub const SCHEDULED: &str = "scheduled";

/// The media type of an upload.
pub const PNG_MEDIA_TYPE: &str = "image/png";

/// The largest upload, in bytes (8 MiB).
pub const MAX_BYTES: u64 = 8 * 1024 * 1024;

/// The widest picture accepted (an 8K screen).
pub const MAX_WIDTH: u32 = 7680;

/// The tallest picture accepted (an 8K screen).
pub const MAX_HEIGHT: u32 = 4320;

/// The answer to an upload, `201`: what the server keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "wire/")]
pub struct ScreenshotStored {
    /// Its number among the device's screenshots.
    #[ts(type = "number")]
    pub id: i64,
    /// The request it answers, or [`SCHEDULED`].
    pub request: String,
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// Bytes of the PNG.
    #[ts(type = "number")]
    pub bytes: u64,
    /// SHA-256 of the PNG, hex.
    pub sha256: String,
}

/// Whether `request` can name a screenshot request: [`SCHEDULED`], or 32
/// lowercase hex digits as the server makes them.
pub fn is_request_id(request: &str) -> bool {
    request == SCHEDULED
        || (request.len() == 32 && request.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_hex_or_scheduled() {
        assert!(is_request_id("scheduled"));
        assert!(is_request_id(&"0a".repeat(16)));
        assert!(!is_request_id(&"0A".repeat(16)));
        assert!(!is_request_id("0a"));
        assert!(!is_request_id("../etc/passwd"));
        assert!(!is_request_id(""));
    }
}
