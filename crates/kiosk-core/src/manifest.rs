//! The manifest: the signed description of one release.
//!
//! `manifest.json` is UTF-8 JSON written by [`Manifest::encode`]: fields in the order
//! declared here, maps in key order, no insignificant white space. The signature
//! covers the exact bytes, so a verifier never re-encodes; the canonical form only
//! makes builds reproducible (the same source gives the same bytes).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::blob::{BlobId, BlobRef};
use crate::content::ContentPack;

/// The manifest format this crate writes and reads.
pub const FORMAT: u32 = 1;

/// One release: which channel it is for, its version, its lifetime, its blobs and
/// its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Format number; readers refuse numbers they do not know.
    pub format: u32,
    /// The channel (group of screens) it is for, e.g. `wtc-booths`.
    pub channel: String,
    /// Grows with every release of the channel.
    pub version: u64,
    /// When it was built.
    pub created_at: Timestamp,
    /// After this instant devices refuse it; `None` for never.
    pub expires_at: Option<Timestamp>,
    /// Every file, sorted by name, each once.
    pub blobs: Vec<BlobRef>,
    /// What the screens show.
    pub content: ContentPack,
}

/// Bytes that are not a manifest this crate can read.
#[derive(Debug, thiserror::Error)]
#[error("manifest.json is not a valid manifest: {0}")]
pub struct DecodeError(#[from] serde_json::Error);

impl Manifest {
    /// The canonical bytes of `manifest.json`.
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a manifest always serializes")
    }

    /// Reads `manifest.json` bytes, refusing unknown fields.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        Ok(serde_json::from_slice(bytes)?)
    }

    /// The listed blob with this name.
    pub fn blob(&self, id: &BlobId) -> Option<&BlobRef> {
        self.blobs.binary_search_by(|b| b.sha256.cmp(id)).ok().map(|i| &self.blobs[i])
    }

    /// Bytes of all blobs together.
    pub fn total_blob_bytes(&self) -> u64 {
        self.blobs.iter().map(|b| b.size).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blob::MediaType;
    use crate::fixtures::sample_pack;
    use proptest::prelude::*;

    fn manifest(channel: String, version: u64, created: i64, expires: Option<i64>) -> Manifest {
        let (content, blobs) = sample_pack();
        Manifest {
            format: FORMAT,
            channel,
            version,
            created_at: Timestamp::from_second(created).unwrap(),
            expires_at: expires.map(|s| Timestamp::from_second(s).unwrap()),
            blobs,
            content,
        }
    }

    proptest! {
        #[test]
        fn decoding_an_encoding_gives_the_manifest_back(
            channel in "[a-z][a-z0-9-]{0,30}",
            version in any::<u64>(),
            created in 0i64..4_000_000_000,
            expires in proptest::option::of(0i64..4_000_000_000),
            title in "\\PC{0,40}",
            size in any::<u64>(),
        ) {
            let mut m = manifest(channel, version, created, expires);
            m.content.chapters[0].title.insert(crate::locale::LocaleTag::new("ko").unwrap(), title);
            m.blobs[0].size = size;
            let bytes = m.encode();
            let back = Manifest::decode(&bytes).unwrap();
            prop_assert_eq!(&back, &m);
            prop_assert_eq!(back.encode(), bytes, "encoding is canonical");
        }
    }

    #[test]
    fn refuses_unknown_fields_and_garbage() {
        let m = manifest("default".into(), 1, 0, None);
        let mut value: serde_json::Value = serde_json::from_slice(&m.encode()).unwrap();
        value["surprise"] = true.into();
        let err = Manifest::decode(&serde_json::to_vec(&value).unwrap()).unwrap_err();
        assert!(err.to_string().contains("unknown field `surprise`"), "{err}");
        assert!(Manifest::decode(b"{not json").is_err());
        assert!(Manifest::decode(b"").is_err());
    }

    /// The sample manifest's bytes as they were before surveys existed: a pack
    /// without surveys must keep encoding to exactly these bytes, so format 1 stays
    /// format 1. (Change the hash only together with the fixture.)
    #[test]
    fn a_pack_without_surveys_encodes_byte_for_byte_as_before() {
        let m = manifest("default".into(), 1, 0, None);
        let bytes = m.encode();
        assert!(!String::from_utf8_lossy(&bytes).contains("survey"));
        assert_eq!(
            BlobId::of(&bytes).as_str(),
            "7ebe6562f8670882d5a52d8a8da4137c25f1e853aa1be39b8769d66d68fa760c"
        );
    }

    #[test]
    fn finds_blobs_by_name() {
        let m = manifest("default".into(), 1, 0, None);
        let pdf = m.blobs.iter().find(|b| b.media_type == MediaType::Pdf).unwrap();
        assert_eq!(m.blob(&pdf.sha256), Some(pdf));
        assert_eq!(m.blob(&BlobId::of(b"absent")), None);
    }
}
