//! Blobs: the files of a release, named by the SHA-256 of their bytes.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The name of a blob: the lowercase hex SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/", type = "string")
)]
pub struct BlobId(String);

/// A string that is not 64 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a blob name (expected 64 lowercase hex digits of a SHA-256)")]
pub struct BadBlobId(pub String);

impl BlobId {
    /// Checks and wraps a hex digest.
    pub fn parse(hex: &str) -> Result<Self, BadBlobId> {
        if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            Ok(Self(hex.to_owned()))
        } else {
            Err(BadBlobId(hex.to_owned()))
        }
    }

    /// The name of these bytes.
    pub fn of(bytes: &[u8]) -> Self {
        Self::from_digest(Sha256::digest(bytes).into())
    }

    /// The name for a finished SHA-256 digest, for callers that hash as they read.
    pub fn from_digest(digest: [u8; 32]) -> Self {
        Self(hex::encode(digest))
    }

    /// The hex digest, which is also the blob's file name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for BlobId {
    type Error = BadBlobId;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<BlobId> for String {
    fn from(id: BlobId) -> Self {
        id.0
    }
}

impl fmt::Display for BlobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The kinds of file a release may carry. Anything else is refused when a bundle is
/// built, so a device never serves a type it was not meant to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub enum MediaType {
    /// SVG picture.
    #[serde(rename = "image/svg+xml")]
    Svg,
    /// PNG picture.
    #[serde(rename = "image/png")]
    Png,
    /// JPEG picture.
    #[serde(rename = "image/jpeg")]
    Jpeg,
    /// WebP picture.
    #[serde(rename = "image/webp")]
    Webp,
    /// MP4 film.
    #[serde(rename = "video/mp4")]
    Mp4,
    /// WebM film.
    #[serde(rename = "video/webm")]
    Webm,
    /// PDF document.
    #[serde(rename = "application/pdf")]
    Pdf,
    /// WAV sound (PCM).
    #[serde(rename = "audio/wav")]
    Wav,
    /// Ogg Vorbis sound.
    #[serde(rename = "audio/ogg")]
    Ogg,
}

impl MediaType {
    /// The type for a file name's extension, if it is one a release may carry.
    pub fn from_extension(extension: &str) -> Option<Self> {
        Some(match extension.to_ascii_lowercase().as_str() {
            "svg" => Self::Svg,
            "png" => Self::Png,
            "jpg" | "jpeg" => Self::Jpeg,
            "webp" => Self::Webp,
            "mp4" | "m4v" => Self::Mp4,
            "webm" => Self::Webm,
            "pdf" => Self::Pdf,
            "wav" => Self::Wav,
            "ogg" | "oga" => Self::Ogg,
            _ => return None,
        })
    }

    /// The MIME type, as sent in `Content-Type`.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Svg => "image/svg+xml",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Webp => "image/webp",
            Self::Mp4 => "video/mp4",
            Self::Webm => "video/webm",
            Self::Pdf => "application/pdf",
            Self::Wav => "audio/wav",
            Self::Ogg => "audio/ogg",
        }
    }

    /// Whether this is a picture.
    pub fn is_image(self) -> bool {
        matches!(self, Self::Svg | Self::Png | Self::Jpeg | Self::Webp)
    }

    /// Whether this is a film.
    pub fn is_video(self) -> bool {
        matches!(self, Self::Mp4 | Self::Webm)
    }

    /// Whether this is a sound.
    pub fn is_audio(self) -> bool {
        matches!(self, Self::Wav | Self::Ogg)
    }
}

/// A blob as a manifest lists it: its name, size and type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct BlobRef {
    /// SHA-256 of the bytes.
    pub sha256: BlobId,
    /// Length in bytes.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub size: u64,
    /// What the bytes are.
    pub media_type: MediaType,
    /// What a probe of a film found when the bundle was built.
    pub probe: Option<MediaProbe>,
}

/// What probing a film found when its bundle was built: players plan durations
/// with it, and a device knows the film's shape before decoding it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct MediaProbe {
    /// Length in milliseconds.
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub duration_ms: Option<u64>,
    /// Picture width in pixels.
    pub width: Option<u32>,
    /// Picture height in pixels.
    pub height: Option<u32>,
    /// Whether it has sound.
    pub has_audio: bool,
}

/// Hashes a blob as it is read or written, chunk by chunk.
#[derive(Debug, Clone, Default)]
pub struct BlobHasher {
    sha256: Sha256,
    size: u64,
}

impl BlobHasher {
    /// Starts with no bytes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the next chunk.
    pub fn update(&mut self, chunk: &[u8]) {
        self.sha256.update(chunk);
        self.size += chunk.len() as u64;
    }

    /// The facts of all bytes added.
    pub fn finish(self) -> BlobFacts {
        BlobFacts { size: self.size, sha256: BlobId::from_digest(self.sha256.finalize().into()) }
    }
}

/// Bytes written to a hasher are hashed, so `std::io::copy(&mut file, &mut hasher)`
/// hashes a whole file.
impl std::io::Write for BlobHasher {
    fn write(&mut self, chunk: &[u8]) -> std::io::Result<usize> {
        self.update(chunk);
        Ok(chunk.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What a reader observed about a blob's bytes, to be checked against its [`BlobRef`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobFacts {
    /// Bytes read.
    pub size: u64,
    /// SHA-256 of the bytes read.
    pub sha256: BlobId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_into_the_hasher_hashes_what_was_read() {
        let mut hasher = BlobHasher::new();
        let copied = std::io::copy(&mut &b"hello world"[..], &mut hasher).unwrap();
        assert_eq!(copied, 11);
        assert_eq!(hasher.finish(), BlobFacts { size: 11, sha256: BlobId::of(b"hello world") });
    }

    #[test]
    fn names_bytes_by_their_sha256() {
        assert_eq!(
            BlobId::of(b"abc").as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn hashing_in_chunks_equals_hashing_at_once() {
        let mut hasher = BlobHasher::new();
        hasher.update(b"a");
        hasher.update(b"bc");
        assert_eq!(hasher.finish(), BlobFacts { size: 3, sha256: BlobId::of(b"abc") });
    }

    #[test]
    fn refuses_names_that_are_not_a_lowercase_sha256() {
        for bad in ["", "abc", &"A".repeat(64), &"g".repeat(64), &"a".repeat(65), "../../etc/passwd"] {
            assert!(BlobId::parse(bad).is_err(), "{bad}");
        }
        assert!(BlobId::parse(&"0".repeat(64)).is_ok());
    }

    #[test]
    fn knows_the_media_a_release_may_carry() {
        assert_eq!(MediaType::from_extension("MP4"), Some(MediaType::Mp4));
        assert_eq!(MediaType::from_extension("exe"), None);
        assert!(MediaType::Svg.is_image() && !MediaType::Svg.is_video());
        let json = serde_json::to_string(&MediaType::Pdf).unwrap();
        assert_eq!(json, r#""application/pdf""#);
    }

    #[test]
    fn knows_the_sounds_a_release_may_carry() {
        assert_eq!(MediaType::from_extension("wav"), Some(MediaType::Wav));
        assert_eq!(MediaType::from_extension("OGG"), Some(MediaType::Ogg));
        assert_eq!(MediaType::from_extension("oga"), Some(MediaType::Ogg));
        assert_eq!(MediaType::from_extension("mp3"), None);
        for (media_type, mime) in [(MediaType::Wav, "audio/wav"), (MediaType::Ogg, "audio/ogg")] {
            assert_eq!(media_type.mime(), mime);
            assert!(media_type.is_audio() && !media_type.is_image() && !media_type.is_video());
            let json = serde_json::to_string(&media_type).unwrap();
            assert_eq!(json, format!("{mime:?}"));
            assert_eq!(serde_json::from_str::<MediaType>(&json).unwrap(), media_type);
        }
        assert!(!MediaType::Mp4.is_audio() && !MediaType::Pdf.is_audio());
    }
}
