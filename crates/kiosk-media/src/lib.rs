//! Media facts from GStreamer: what a file is, whether this machine can decode it,
//! and thumbnails.
//!
//! Authoring records these facts in the manifest; a device checks decodability
//! again before it activates a release, so a film its GStreamer cannot decode is
//! dropped with a reason instead of becoming a black screen.
//!
//! # Layout
//! - [`probe`]: duration, size, container, codecs, audio, and a real decode of the
//!   first frame.
//! - [`thumbnail`]: one frame at a chosen time, as PNG.
//!
//! # Example
//! ```no_run
//! let facts = kiosk_media::probe::probe("media/videos/binh-duong-film.mp4".as_ref())?;
//! assert!(facts.decodable);
//! println!("{} ms, {}x{}", facts.duration_ms.unwrap_or(0), facts.width.unwrap_or(0), facts.height.unwrap_or(0));
//! # Ok::<(), kiosk_media::MediaError>(())
//! ```

pub mod probe;
pub mod thumbnail;

use std::path::{Path, PathBuf};

/// Why a file is not usable media; the message names the file and the reason.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// GStreamer itself could not start.
    #[error("GStreamer is not available: {0}")]
    Init(String),
    /// The file cannot be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// The file is empty.
    #[error("{0}: not playable media: the file is empty")]
    Empty(PathBuf),
    /// GStreamer does not recognise or cannot decode the file.
    #[error("{path}: not playable media: {reason}")]
    NotPlayable {
        /// The file.
        path: PathBuf,
        /// GStreamer's reason, in one line.
        reason: String,
    },
}

/// The GStreamer version this machine decodes with, e.g. `GStreamer 1.22.0`:
/// a decode check made with one version is not trusted for another.
pub fn decoder_version() -> String {
    gstreamer::version_string().to_string()
}

/// Whether this machine decodes the film at `path` (a real decode of its first
/// and last frames); the reason in one line when not.
pub fn check_decodes(path: &Path) -> Result<(), String> {
    let facts = probe::probe(path).map_err(|e| e.to_string())?;
    match (facts.decodable, facts.decode_error) {
        (true, _) => Ok(()),
        (false, reason) => Err(reason.unwrap_or_else(|| "does not decode".into())),
    }
}

/// The facts a manifest records of a film or a sound (length, size, sound),
/// once this machine decoded it from its first to its last frame; the reason in
/// one line when it did not.
pub fn manifest_probe(path: &Path) -> Result<kiosk_core::blob::MediaProbe, String> {
    let facts = probe::probe(path).map_err(|e| e.to_string())?;
    if let Some(reason) = facts.decode_error {
        return Err(reason);
    }
    Ok(kiosk_core::blob::MediaProbe {
        duration_ms: facts.duration_ms,
        width: facts.width,
        height: facts.height,
        has_audio: facts.has_audio,
    })
}

/// Starts GStreamer once.
pub(crate) fn init() -> Result<(), MediaError> {
    gstreamer::init().map_err(|e| MediaError::Init(e.to_string()))
}

/// A `file://` URI for `path`, which must exist and be non-empty.
pub(crate) fn file_uri(path: &Path) -> Result<String, MediaError> {
    let meta =
        std::fs::metadata(path).map_err(|source| MediaError::Read { path: path.to_owned(), source })?;
    if meta.len() == 0 {
        return Err(MediaError::Empty(path.to_owned()));
    }
    let absolute =
        std::fs::canonicalize(path).map_err(|source| MediaError::Read { path: path.to_owned(), source })?;
    gstreamer::glib::filename_to_uri(&absolute, None)
        .map(|uri| uri.to_string())
        .map_err(|e| MediaError::NotPlayable { path: path.to_owned(), reason: e.to_string() })
}

/// One line of a possibly multi-line message.
pub(crate) fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}
