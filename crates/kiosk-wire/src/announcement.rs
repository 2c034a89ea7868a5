//! What a channel's event stream (`GET /v1/channels/{channel}/events`,
//! server-sent events) tells its screens, and the signed emergency message it
//! carries.
//!
//! | `event:` | `data:` |
//! |---|---|
//! | [`RELEASE_EVENT`] | [`ReleaseAnnounced`]: `{"version", "manifest_sha256"}` |
//! | [`EMERGENCY_EVENT`] | [`SignedEmergency`]: `{"message": "<signed JSON text>", "signature": "<hex>"}` |
//! | [`SCREENSHOT_EVENT`] | [`ScreenshotRequested`]: `{"device", "request"}`, on that device's stream only |
//!
//! A screen ignores an event name it does not know, so a server may announce
//! something new before every screen understands it.
//!
//! `GET /v1/channels/{channel}/emergency` carries the same signed message
//! differently: the exact signed bytes as its body and the signature in
//! [`MESSAGE_SIGNATURE_HEADER`](crate::headers::MESSAGE_SIGNATURE_HEADER);
//! [`SignedEmergency::new`] puts the two together.

use ed25519_dalek::VerifyingKey;
use jiff::Timestamp;
use kiosk_core::emergency::{EmergencyMessage, verify_emergency};
use kiosk_core::verify::Rejection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The `event:` name of a release announcement.
pub const RELEASE_EVENT: &str = "release";

/// The `event:` name of an emergency message or withdrawal.
pub const EMERGENCY_EVENT: &str = "emergency";

/// The `event:` name of a request for one screen's screenshot.
pub const SCREENSHOT_EVENT: &str = "screenshot";

/// A release just published (or current when the stream opened).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "wire/")]
pub struct ReleaseAnnounced {
    /// The release's version.
    #[ts(type = "number")]
    pub version: u64,
    /// SHA-256 of its `manifest.json`, hex.
    pub manifest_sha256: String,
}

/// A signed emergency message (or withdrawal) as it travels, and as a screen
/// keeps it (`<data_dir>/emergency.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "wire/")]
pub struct SignedEmergency {
    /// The signed JSON text (`kiosk_core::emergency::EmergencyMessage`).
    pub message: String,
    /// Its Ed25519 signature, hex.
    pub signature: String,
}

impl SignedEmergency {
    /// The message's exact signed bytes and their signature, as a server stores
    /// them or `GET /v1/channels/{channel}/emergency` answers them.
    pub fn new(message: &[u8], signature: &[u8]) -> Self {
        Self { message: String::from_utf8_lossy(message).into_owned(), signature: hex::encode(signature) }
    }

    /// Verifies it for a screen of `channel` pinning `keys` and holding a message
    /// issued at `newest_held` ([`verify_emergency`]).
    pub fn verify(
        &self,
        keys: &[VerifyingKey],
        channel: &str,
        newest_held: Option<Timestamp>,
    ) -> Result<EmergencyMessage, Rejection> {
        let signature = hex::decode(&self.signature).map_err(|_| Rejection::SignatureMalformed(0))?;
        verify_emergency(self.message.as_bytes(), &signature, keys, channel, newest_held)
    }
}

/// Staff asked one screen for a screenshot of what it shows: it captures its
/// window and uploads the PNG to [`crate::paths::screenshot`]`(request)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "wire/")]
pub struct ScreenshotRequested {
    /// The device asked (the stream of that device alone carries it).
    pub device: String,
    /// The request's id, which the upload names.
    pub request: String,
}

/// One message of the event stream: its `data:` is the variant's JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(untagged)]
#[ts(export, export_to = "wire/")]
pub enum Announcement {
    /// `event: release`.
    Release(ReleaseAnnounced),
    /// `event: emergency`.
    Emergency(SignedEmergency),
    /// `event: screenshot`, for one device.
    Screenshot(ScreenshotRequested),
}

impl Announcement {
    /// Its `event:` name.
    pub fn event_name(&self) -> &'static str {
        match self {
            Self::Release(_) => RELEASE_EVENT,
            Self::Emergency(_) => EMERGENCY_EVENT,
            Self::Screenshot(_) => SCREENSHOT_EVENT,
        }
    }

    /// The one device it is for; `None` when it is for every screen of the channel.
    pub fn addressed_to(&self) -> Option<&str> {
        match self {
            Self::Screenshot(asked) => Some(&asked.device),
            Self::Release(_) | Self::Emergency(_) => None,
        }
    }

    /// The announcement of a stream message named `event_name` with this `data`;
    /// `Ok(None)` for a name this version does not know (a newer server's).
    pub fn parse(event_name: &str, data: &str) -> Result<Option<Self>, serde_json::Error> {
        match event_name {
            RELEASE_EVENT => serde_json::from_str(data).map(|r| Some(Self::Release(r))),
            EMERGENCY_EVENT => serde_json::from_str(data).map(|e| Some(Self::Emergency(e))),
            SCREENSHOT_EVENT => serde_json::from_str(data).map(|s| Some(Self::Screenshot(s))),
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use ed25519_dalek::{Signer, SigningKey};
    use kiosk_core::emergency::KIND;

    use super::*;

    #[test]
    fn announcements_travel_as_their_data_under_their_names() {
        let release =
            Announcement::Release(ReleaseAnnounced { version: 2, manifest_sha256: "ab".repeat(32) });
        let data = serde_json::to_string(&release).unwrap();
        assert_eq!(data, format!(r#"{{"version":2,"manifest_sha256":"{}"}}"#, "ab".repeat(32)));
        assert_eq!(release.event_name(), "release");
        assert_eq!(Announcement::parse("release", &data).unwrap(), Some(release));

        let emergency = Announcement::Emergency(SignedEmergency::new(b"{\"kind\":\"emergency\"}", &[1, 255]));
        let data = serde_json::to_string(&emergency).unwrap();
        assert_eq!(data, r#"{"message":"{\"kind\":\"emergency\"}","signature":"01ff"}"#);
        assert_eq!(emergency.event_name(), "emergency");
        assert_eq!(Announcement::parse("emergency", &data).unwrap(), Some(emergency));

        let screenshot =
            Announcement::Screenshot(ScreenshotRequested { device: "d1".into(), request: "ab12".into() });
        let data = serde_json::to_string(&screenshot).unwrap();
        assert_eq!(data, r#"{"device":"d1","request":"ab12"}"#);
        assert_eq!(screenshot.event_name(), "screenshot");
        assert_eq!(screenshot.addressed_to(), Some("d1"));
        assert_eq!(
            Announcement::Emergency(SignedEmergency::new(b"{}", &[0])).addressed_to(),
            None,
            "every screen's"
        );
        assert_eq!(Announcement::parse("screenshot", &data).unwrap(), Some(screenshot));

        assert_eq!(Announcement::parse("weather", "{}").unwrap(), None);
        assert!(Announcement::parse("emergency", r#"{"message":"m","signature":"s","x":1}"#).is_err());
    }

    #[test]
    fn a_signed_message_verifies_against_the_pinned_key() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let issued_at: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        let message = EmergencyMessage {
            kind: KIND.into(),
            channel: "wtc-booths".into(),
            issued_at,
            expires_at: issued_at + jiff::SignedDuration::from_mins(30),
            text: BTreeMap::from([("en".into(), "Please leave the hall".into())]),
        };
        let bytes = message.encode();
        let signed = SignedEmergency::new(&bytes, &key.sign(&bytes).to_bytes());
        let keys = [key.verifying_key()];
        assert_eq!(signed.verify(&keys, "wtc-booths", None).unwrap(), message);
        assert!(signed.verify(&keys, "bulletin-boards", None).is_err());
        let forged = SignedEmergency { signature: "zz".into(), ..signed.clone() };
        assert!(matches!(forged.verify(&keys, "wtc-booths", None), Err(Rejection::SignatureMalformed(_))));
    }
}
