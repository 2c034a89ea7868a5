//! Why a sound or the output could not be had.

use std::path::PathBuf;

/// Why the output could not be opened or a sound file could not be played. Each
/// message names the file or device and the reason, in one line.
#[derive(Debug, thiserror::Error)]
pub enum SoundError {
    /// No audio output device could be opened.
    #[error("{reason}")]
    NoOutput {
        /// The audio system's reason, with its causes.
        reason: String,
    },
    /// The sound thread could not be started.
    #[error("cannot start the sound thread: {0}")]
    Thread(#[source] std::io::Error),
    /// A sound file could not be opened or read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The reason.
        #[source]
        source: std::io::Error,
    },
    /// A file that is not a sound this kiosk decodes (WAV or Ogg Vorbis).
    #[error("{path}: not a WAV or Ogg Vorbis sound: {reason}")]
    Decode {
        /// The file.
        path: PathBuf,
        /// The decoder's reason.
        reason: String,
    },
    /// A sound file that holds no samples.
    #[error("{path}: has no sound in it")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// A sound longer than is kept in memory (effects must be short).
    #[error("{path}: longer than {seconds} s")]
    TooLong {
        /// The file.
        path: PathBuf,
        /// The limit.
        seconds: u64,
    },
}

/// An error and its causes, joined into one line.
pub(crate) fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        let more = inner.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_file_and_the_reason() {
        let error = SoundError::Read {
            path: "/media/sounds/touch.wav".into(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory"),
        };
        assert_eq!(error.to_string(), "/media/sounds/touch.wav: No such file or directory");
        let nested = std::io::Error::other(SoundError::NoOutput { reason: "no card".into() });
        assert_eq!(with_causes(&nested), "no card");
    }
}
