//! `--frame-log FILE`: the frames the player presented, one JSON line each, for
//! measuring how closely the screens of a sync group agree. Without the flag
//! nothing is kept.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;

/// Where presented frames go, if anywhere.
pub struct FrameLog(Option<Mutex<BufWriter<File>>>);

impl FrameLog {
    /// Opens `path` for appending; a file that cannot be opened is logged and
    /// nothing is kept.
    pub fn open(path: Option<&Path>) -> Self {
        let file = path.and_then(|path| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .inspect_err(|error| tracing::error!(path = %path.display(), %error, "frame log unavailable"))
                .ok()
        });
        Self(file.map(|f| Mutex::new(BufWriter::new(f))))
    }

    /// Appends `frames`, one line each, and flushes; false when no log is kept.
    pub fn append(&self, frames: &[serde_json::Value]) -> bool {
        let Some(file) = &self.0 else { return false };
        let mut file = file.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let written = frames.iter().try_for_each(|frame| {
            serde_json::to_writer(&mut *file, frame)?;
            file.write_all(b"\n").map_err(serde_json::Error::io)
        });
        if let Err(error) = written.and_then(|()| file.flush().map_err(serde_json::Error::io)) {
            tracing::warn!(%error, "frame log: could not write");
        }
        true
    }
}
