//! The emergency message a screen shows over everything, received from the
//! server's event stream (`kiosk_core::emergency` says what one is).
//!
//! A message is verified against the pinned keys and the device's channel, and
//! refused when older than the one held, then kept in `<data_dir>/emergency.json`
//! (`{"message": "<signed JSON text>", "signature": "<hex>"}`, the event's own
//! data, replaced atomically), so that a screen restarted during an evacuation
//! shows it again at once, offline. [`CurrentEmergency`] shares it with the app.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use jiff::Timestamp;
use kiosk_core::emergency::EmergencyMessage;
use kiosk_core::verify::Rejection;
use serde::Serialize;

use crate::data_dir::DataDir;
use crate::library::Trust;

pub use kiosk_wire::SignedEmergency;

/// Why a message was not taken.
#[derive(Debug, thiserror::Error)]
pub enum EmergencyError {
    /// It did not verify, or is older than the one held.
    #[error("emergency message refused: {0}")]
    Refused(#[from] Rejection),
    /// It could not be kept.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// The message kept in `data_dir`, if it still verifies (a damaged or foreign
/// file is ignored with a log line).
pub fn load(data_dir: &DataDir, trust: &Trust) -> Option<EmergencyMessage> {
    let path = data_dir.emergency();
    let bytes = std::fs::read(&path).ok()?;
    let verified = serde_json::from_slice::<SignedEmergency>(&bytes)
        .map_err(|e| e.to_string())
        .and_then(|signed| signed.verify(&trust.keys, &trust.channel, None).map_err(|e| e.to_string()));
    match verified {
        Ok(message) => Some(message),
        Err(reason) => {
            tracing::warn!(path = %path.display(), reason, "kept emergency message ignored");
            None
        }
    }
}

/// Verifies `signed` against the one kept in `data_dir` and keeps it instead,
/// durably; `None` when it is the one already kept (a stream that reconnects,
/// a poll, repeat it).
pub fn accept(
    data_dir: &DataDir,
    trust: &Trust,
    signed: &SignedEmergency,
) -> Result<Option<EmergencyMessage>, EmergencyError> {
    let path = data_dir.emergency();
    let bytes = serde_json::to_vec(signed).expect("a signed message serializes");
    if std::fs::read(&path).is_ok_and(|kept| kept == bytes) {
        return Ok(None);
    }
    let held = load(data_dir, trust).map(|m| m.issued_at);
    let message = signed.verify(&trust.keys, &trust.channel, held)?;
    crate::durable::replace_file(&path, &bytes).map_err(|source| EmergencyError::Io { path, source })?;
    Ok(Some(message))
}

/// The message on screen now, shared by the sync loop and the app; clones share it.
#[derive(Debug, Clone, Default)]
pub struct CurrentEmergency(Arc<RwLock<Option<EmergencyMessage>>>);

impl CurrentEmergency {
    /// Starts with `message` (the kept one, at start).
    pub fn new(message: Option<EmergencyMessage>) -> Self {
        Self(Arc::new(RwLock::new(message)))
    }

    /// Replaces it.
    pub fn set(&self, message: EmergencyMessage) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = Some(message);
    }

    /// The message to show at `now`: not withdrawn, not expired.
    pub fn showing(&self, now: Timestamp) -> Option<EmergencyMessage> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone().filter(|m| m.is_showing(now))
    }
}

/// One language's words of a message on screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct EmergencyLine {
    /// Its locale.
    pub locale: String,
    /// The words.
    pub text: String,
}

/// A message as the interface shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct EmergencyView {
    /// The words, in `locales`' order first (the screen's languages), then the rest.
    pub lines: Vec<EmergencyLine>,
    /// When it was issued.
    #[ts(type = "string")]
    pub issued_at: Timestamp,
    /// That time of day on the screen's clock, `HH:MM`.
    pub issued_time: String,
    /// Milliseconds until it comes down by itself.
    #[ts(type = "number")]
    pub remaining_ms: i64,
}

/// What a screen shows of `message` at `now`: in its time zone, its own
/// languages first, then the release's default and other languages.
pub fn screen_view(
    message: &EmergencyMessage,
    now: Timestamp,
    settings: &crate::signage_view::PlayerSettings,
    release: &crate::library::ActiveRelease,
) -> EmergencyView {
    let content = &release.manifest.content;
    let locales: Vec<&str> = settings
        .locales
        .iter()
        .chain(std::iter::once(&content.default_locale))
        .chain(content.locales.iter().map(|l| &l.tag))
        .map(|l| l.as_str())
        .collect();
    view(message, now, &settings.time_zone, &locales)
}

/// What the interface shows of `message` at `now` in `time_zone`, lines ordered
/// by `locales`.
pub fn view(
    message: &EmergencyMessage,
    now: Timestamp,
    time_zone: &jiff::tz::TimeZone,
    locales: &[&str],
) -> EmergencyView {
    let rank = |locale: &str| locales.iter().position(|l| *l == locale).unwrap_or(locales.len());
    let mut lines: Vec<EmergencyLine> = message
        .text
        .iter()
        .map(|(locale, text)| EmergencyLine { locale: locale.clone(), text: text.clone() })
        .collect();
    lines.sort_by_key(|line| rank(&line.locale));
    let remaining_ms = message.expires_at.duration_since(now).as_millis().max(0) as i64;
    let issued_time = time_zone.to_datetime(message.issued_at).strftime("%H:%M").to_string();
    EmergencyView { lines, issued_at: message.issued_at, issued_time, remaining_ms }
}

#[cfg(test)]
mod tests {
    use ed25519_dalek::{Signer, SigningKey};
    use kiosk_core::emergency::KIND;

    use super::*;

    fn signed(key: &SigningKey, issued_at: &str, text: &[(&str, &str)]) -> SignedEmergency {
        let issued_at: Timestamp = issued_at.parse().unwrap();
        let message = EmergencyMessage {
            kind: KIND.into(),
            channel: "bulletin-boards".into(),
            issued_at,
            expires_at: issued_at + jiff::SignedDuration::from_mins(30),
            text: text.iter().map(|(l, t)| ((*l).to_owned(), (*t).to_owned())).collect(),
        };
        let bytes = message.encode();
        SignedEmergency {
            signature: hex::encode(key.sign(&bytes).to_bytes()),
            message: String::from_utf8(bytes).unwrap(),
        }
    }

    #[test]
    fn a_message_is_kept_shown_withdrawn_and_never_replaced_by_an_older_one() {
        let temp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(temp.path());
        let key = SigningKey::from_bytes(&[3; 32]);
        let trust = Trust { keys: vec![key.verifying_key()], channel: "bulletin-boards".into() };
        let first = signed(&key, "2026-12-01T10:00:00Z", &[("vi", "Sơ tán"), ("en", "Evacuate")]);
        let taken = accept(&dir, &trust, &first).unwrap().expect("new");
        assert_eq!(accept(&dir, &trust, &first).unwrap(), None, "the same message again changes nothing");
        assert_eq!(load(&dir, &trust), Some(taken.clone()), "kept across a restart");
        let current = CurrentEmergency::new(load(&dir, &trust));
        assert!(current.showing("2026-12-01T10:10:00Z".parse().unwrap()).is_some());
        assert!(current.showing("2026-12-01T10:30:00Z".parse().unwrap()).is_none(), "expired");

        let withdrawal = signed(&key, "2026-12-01T10:05:00Z", &[]);
        current.set(accept(&dir, &trust, &withdrawal).unwrap().expect("new"));
        assert!(current.showing("2026-12-01T10:06:00Z".parse().unwrap()).is_none(), "withdrawn");

        let replayed = accept(&dir, &trust, &first).unwrap_err();
        assert!(replayed.to_string().contains("older than the one held"), "{replayed}");
        let stranger =
            signed(&SigningKey::from_bytes(&[4; 32]), "2026-12-01T11:00:00Z", &[("en", "Free tickets")]);
        assert!(accept(&dir, &trust, &stranger).is_err());
        assert!(load(&dir, &trust).unwrap().is_withdrawal(), "refusals change nothing");

        let saigon = jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh").unwrap();
        let shown = view(&taken, "2026-12-01T10:29:00Z".parse().unwrap(), &saigon, &["vi", "en"]);
        assert_eq!(shown.issued_time, "17:00", "the screen's own time of day");
        let order: Vec<&str> = shown.lines.iter().map(|l| l.locale.as_str()).collect();
        assert_eq!(order, ["vi", "en"], "the screen's languages first");
        assert_eq!(shown.remaining_ms, 60_000);

        std::fs::write(dir.emergency(), b"{not json").unwrap();
        assert_eq!(load(&dir, &trust), None, "a damaged file is ignored");
    }
}
