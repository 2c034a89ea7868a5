//! Emergency messages: a few words every screen of a channel shows at once, over
//! whatever it plays, until they expire or are withdrawn (an evacuation, a
//! closed hall, a storm warning).
//!
//! The server signs a message with a key of its own, not the one that signs
//! releases, and a screen pins emergency keys apart from content keys: a
//! stranger on the network, a mirror, or whoever holds a content key cannot
//! raise one. A message with no text withdraws the one before it. Screens keep
//! the newest they have verified and refuse an older one, so a recorded
//! message cannot be replayed once it was withdrawn.
//!
//! How long a screen shows a message does not rest on the screen's own clock:
//! its age is read on the server's clock when it arrives
//! ([`EmergencyMessage::showing_for`]), and the rest of its lifetime is
//! counted from then, so a screen whose clock is hours ahead still shows it, and
//! one whose clock is years behind takes it down in time.

use std::collections::BTreeMap;

use ed25519_dalek::{Signature, VerifyingKey};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::verify::Rejection;

/// The value of [`EmergencyMessage::kind`]; it keeps these bytes from ever
/// reading as a manifest, and a manifest from reading as one of these.
pub const KIND: &str = "emergency";

/// The longest a message may stay up, in minutes (one day; send it again to
/// keep it longer).
pub const MAX_MINUTES: u32 = 24 * 60;

/// The most characters of one language's text.
pub const MAX_TEXT_CHARS: usize = 280;

/// One emergency message, or the withdrawal of the one before (no text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmergencyMessage {
    /// Always [`KIND`].
    pub kind: String,
    /// The channel whose screens show it.
    pub channel: String,
    /// When the server issued it; a screen refuses one older than the newest it holds.
    pub issued_at: Timestamp,
    /// When screens take it down by themselves.
    pub expires_at: Timestamp,
    /// The words, by locale (`vi`, `en`, ...); empty to withdraw.
    pub text: BTreeMap<String, String>,
}

impl EmergencyMessage {
    /// The canonical bytes that are signed.
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a message always serializes")
    }

    /// Whether this withdraws the message before it.
    pub fn is_withdrawal(&self) -> bool {
        self.text.is_empty()
    }

    /// Whether a screen shows it at `now`.
    pub fn is_showing(&self, now: Timestamp) -> bool {
        !self.is_withdrawal() && now < self.expires_at
    }

    /// Its whole lifetime, from issue to expiry: never negative, never above
    /// [`MAX_MINUTES`], whatever the signed times say.
    pub fn lifetime(&self) -> SignedDuration {
        let max = SignedDuration::from_mins(i64::from(MAX_MINUTES));
        self.expires_at.duration_since(self.issued_at).clamp(SignedDuration::ZERO, max)
    }

    /// How long a screen shows it from the moment it arrived, when the server's
    /// clock read `server_now` (from the `Date` of the answer that brought it):
    /// the rest of its lifetime, between zero and [`Self::lifetime`]. A
    /// withdrawal shows for no time.
    pub fn showing_for(&self, server_now: Timestamp) -> SignedDuration {
        if self.is_withdrawal() {
            return SignedDuration::ZERO;
        }
        let age = server_now.duration_since(self.issued_at).max(SignedDuration::ZERO);
        (self.lifetime() - age.min(self.lifetime())).max(SignedDuration::ZERO)
    }

    /// Checks what an author asks for: known locales' texts of 1–280 printable
    /// characters, and a lifetime of 1 minute to [`MAX_MINUTES`].
    pub fn check_request(text: &BTreeMap<String, String>, minutes: u32) -> Result<(), String> {
        if !(1..=MAX_MINUTES).contains(&minutes) {
            return Err(format!("minutes must be 1–{MAX_MINUTES}, not {minutes}"));
        }
        for (locale, words) in text {
            if !crate::content::is_slug(locale) || locale.len() > 16 {
                return Err(format!("{locale:?} is not a locale code"));
            }
            let chars = words.trim().chars().count();
            if chars == 0 || chars > MAX_TEXT_CHARS || words.chars().any(|c| c.is_control() && c != '\n') {
                return Err(format!("the {locale} text must be 1–{MAX_TEXT_CHARS} printable characters"));
            }
        }
        Ok(())
    }
}

/// Verifies a signed message for a screen of `channel` that already holds one
/// issued at `newest_held` (if any): signature by a pinned key, the kind, the
/// channel, and not older than the one held. Expiry is not a refusal: an
/// expired message is simply not shown (a screen counts what is left of its
/// lifetime on arrival, [`EmergencyMessage::showing_for`]).
pub fn verify_emergency(
    bytes: &[u8],
    signature: &[u8],
    keys: &[VerifyingKey],
    channel: &str,
    newest_held: Option<Timestamp>,
) -> Result<EmergencyMessage, Rejection> {
    if keys.is_empty() {
        return Err(Rejection::NoTrustedKeys);
    }
    let signature: [u8; 64] =
        signature.try_into().map_err(|_| Rejection::SignatureMalformed(signature.len()))?;
    let signature = Signature::from_bytes(&signature);
    if !keys.iter().any(|key| key.verify_strict(bytes, &signature).is_ok()) {
        return Err(Rejection::BadSignature(keys.len()));
    }
    let message: EmergencyMessage =
        serde_json::from_slice(bytes).map_err(|e| Rejection::Malformed(format!("emergency message: {e}")))?;
    if message.kind != KIND {
        return Err(Rejection::Malformed(format!("kind {:?} is not an emergency message", message.kind)));
    }
    if message.channel != channel {
        return Err(Rejection::WrongChannel { expected: channel.to_owned(), found: message.channel });
    }
    if let Some(held) = newest_held
        && message.issued_at < held
    {
        return Err(Rejection::Invalid(format!(
            "emergency message issued at {} is older than the one held, issued at {held}",
            message.issued_at
        )));
    }
    Ok(message)
}

#[cfg(test)]
mod tests {
    use ed25519_dalek::{Signer, SigningKey};

    use super::*;

    fn message(channel: &str, issued_at: &str, text: &[(&str, &str)]) -> EmergencyMessage {
        let issued_at: Timestamp = issued_at.parse().unwrap();
        EmergencyMessage {
            kind: KIND.into(),
            channel: channel.into(),
            issued_at,
            expires_at: issued_at + jiff::SignedDuration::from_mins(30),
            text: text.iter().map(|(l, t)| ((*l).to_owned(), (*t).to_owned())).collect(),
        }
    }

    fn signed(key: &SigningKey, message: &EmergencyMessage) -> (Vec<u8>, Vec<u8>) {
        let bytes = message.encode();
        let signature = key.sign(&bytes).to_bytes().to_vec();
        (bytes, signature)
    }

    #[test]
    fn a_pinned_key_s_message_for_the_channel_verifies() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let sent =
            message("bulletin-boards", "2026-12-01T10:00:00Z", &[("vi", "Sơ tán"), ("en", "Evacuate")]);
        let (bytes, signature) = signed(&key, &sent);
        let got =
            verify_emergency(&bytes, &signature, &[key.verifying_key()], "bulletin-boards", None).unwrap();
        assert_eq!(got, sent);
        assert!(got.is_showing("2026-12-01T10:29:59Z".parse().unwrap()));
        assert!(!got.is_showing("2026-12-01T10:30:00Z".parse().unwrap()));
    }

    #[test]
    fn strangers_other_channels_replays_and_manifests_are_refused() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let stranger = SigningKey::from_bytes(&[8; 32]);
        let keys = [key.verifying_key()];
        let sent = message("bulletin-boards", "2026-12-01T10:00:00Z", &[("en", "Evacuate")]);

        let (bytes, signature) = signed(&stranger, &sent);
        let refused = verify_emergency(&bytes, &signature, &keys, "bulletin-boards", None).unwrap_err();
        assert_eq!(refused.code(), "bad-signature");

        let (bytes, signature) = signed(&key, &sent);
        let refused = verify_emergency(&bytes, &signature, &keys, "wtc-booths", None).unwrap_err();
        assert_eq!(refused.code(), "wrong-channel");

        let later = "2026-12-01T11:00:00Z".parse().unwrap();
        let refused =
            verify_emergency(&bytes, &signature, &keys, "bulletin-boards", Some(later)).unwrap_err();
        assert!(refused.to_string().contains("older than the one held"), "{refused}");

        let mut tampered = bytes.clone();
        let at = tampered.windows(8).position(|w| w == b"Evacuate").unwrap();
        tampered[at] = b'e';
        let refused = verify_emergency(&tampered, &signature, &keys, "bulletin-boards", None).unwrap_err();
        assert_eq!(refused.code(), "bad-signature");

        let manifest = br#"{"format":1}"#;
        let signature = key.sign(manifest).to_bytes();
        let refused = verify_emergency(manifest, &signature, &keys, "bulletin-boards", None).unwrap_err();
        assert_eq!(refused.code(), "malformed");
    }

    #[test]
    fn what_is_left_of_its_lifetime_is_read_on_the_server_s_clock() {
        let sent = message("bulletin-boards", "2026-12-01T10:00:00Z", &[("en", "Evacuate")]);
        let at = |t: &str| t.parse::<Timestamp>().unwrap();
        let mins = SignedDuration::from_mins;
        assert_eq!(sent.lifetime(), mins(30));
        assert_eq!(sent.showing_for(at("2026-12-01T10:00:00Z")), mins(30), "fresh from the stream");
        assert_eq!(sent.showing_for(at("2026-12-01T10:20:00Z")), mins(10), "fetched late");
        assert_eq!(sent.showing_for(at("2026-12-01T11:00:00Z")), SignedDuration::ZERO, "expired");
        assert_eq!(
            sent.showing_for(at("2026-12-01T09:00:00Z")),
            mins(30),
            "a server clock behind never adds"
        );
        let withdrawal = message("bulletin-boards", "2026-12-01T10:05:00Z", &[]);
        assert_eq!(withdrawal.showing_for(at("2026-12-01T10:05:00Z")), SignedDuration::ZERO);
        let forever = EmergencyMessage { expires_at: at("2126-12-01T10:00:00Z"), ..sent.clone() };
        assert_eq!(forever.lifetime(), mins(i64::from(MAX_MINUTES)), "a century is cut to a day");
        let backwards = EmergencyMessage { expires_at: at("2026-12-01T09:00:00Z"), ..sent };
        assert_eq!(backwards.lifetime(), SignedDuration::ZERO);
    }

    #[test]
    fn a_message_without_text_withdraws() {
        let withdrawal = message("bulletin-boards", "2026-12-01T10:05:00Z", &[]);
        assert!(withdrawal.is_withdrawal());
        assert!(!withdrawal.is_showing("2026-12-01T10:06:00Z".parse().unwrap()));
    }

    #[test]
    fn requests_are_checked() {
        let text = |t: &str| [("vi".to_owned(), t.to_owned())].into_iter().collect::<BTreeMap<_, _>>();
        assert!(EmergencyMessage::check_request(&text("Sơ tán khỏi hội trường"), 30).is_ok());
        assert!(EmergencyMessage::check_request(&text("x"), 0).is_err());
        assert!(EmergencyMessage::check_request(&text("x"), MAX_MINUTES + 1).is_err());
        assert!(EmergencyMessage::check_request(&text("  "), 30).is_err());
        assert!(EmergencyMessage::check_request(&text(&"x".repeat(281)), 30).is_err());
        assert!(EmergencyMessage::check_request(&text("a\u{7}b"), 30).is_err());
        let bad_locale = [("VI!".to_owned(), "x".to_owned())].into_iter().collect();
        assert!(EmergencyMessage::check_request(&bad_locale, 30).is_err());
    }
}
