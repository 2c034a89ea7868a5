//! The emergency message a screen shows over everything, received from the
//! server's event stream (`kiosk_core::emergency` says what one is).
//!
//! A message is verified against the pinned emergency keys (never the content
//! keys: `Trust::emergency_keys`) and the device's channel, and refused when
//! older than the one held. It shows for the rest of its lifetime as the
//! server's clock counts it when it arrives ([`EmergencyMessage::showing_for`]),
//! measured on the screen's monotonic clock, so a screen clock hours ahead
//! neither hides it nor one years behind keeps it up.
//!
//! It is kept in `<data_dir>/emergency.json` (the event's own data,
//! `{"message": "<signed JSON text>", "signature": "<hex>"}`, with
//! `"received_at"` and `"showing_ms"`; replaced atomically), so that a screen
//! restarted during an evacuation shows it again at once, offline. A message
//! that cannot be written (a full disk) is shown all the same, from memory,
//! while the write is tried again ([`Keeper`]). [`CurrentEmergency`] shares
//! the message on screen with the app.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use kiosk_core::emergency::EmergencyMessage;
use kiosk_core::verify::Rejection;
use serde::{Deserialize, Serialize};

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

/// A verified message as a screen holds it: the signed text, when it arrived
/// (on the screen's clock) and for how long from then it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// What arrived, signed.
    pub signed: SignedEmergency,
    /// The message it verified as.
    pub message: EmergencyMessage,
    /// When it arrived, on the screen's clock.
    pub received_at: Timestamp,
    /// How long from its arrival it shows (zero for a withdrawal).
    pub showing_for: SignedDuration,
}

impl Held {
    /// How much of its showing time is left at `now` on the screen's clock: at
    /// most [`Self::showing_for`], however far the clock moved back.
    pub fn left_at(&self, now: Timestamp) -> SignedDuration {
        let end = self.received_at.checked_add(self.showing_for).unwrap_or(Timestamp::MAX);
        end.duration_since(now).clamp(SignedDuration::ZERO, self.showing_for)
    }
}

/// `emergency.json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeptFile {
    message: String,
    signature: String,
    /// Absent in files written before the screen counted from arrival.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    received_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    showing_ms: Option<i64>,
}

/// The message kept in `data_dir`, if it still verifies (a damaged or foreign
/// file is ignored with a log line). `now` is the screen's clock, for a file
/// that does not say when its message arrived.
pub fn load(data_dir: &DataDir, trust: &Trust, now: Timestamp) -> Option<Held> {
    let path = data_dir.emergency();
    let bytes = std::fs::read(&path).ok()?;
    let read = serde_json::from_slice::<KeptFile>(&bytes).map_err(|e| e.to_string()).and_then(|kept| {
        let signed = SignedEmergency { message: kept.message, signature: kept.signature };
        let message =
            signed.verify(&trust.emergency_keys, &trust.channel, None).map_err(|e| e.to_string())?;
        let (received_at, showing_for) = match (kept.received_at, kept.showing_ms) {
            (Some(at), Some(ms)) => {
                (at, SignedDuration::from_millis(ms).clamp(SignedDuration::ZERO, message.lifetime()))
            }
            _ => (now, message.showing_for(now)),
        };
        Ok(Held { signed, message, received_at, showing_for })
    });
    match read {
        Ok(held) => Some(held),
        Err(reason) => {
            tracing::warn!(path = %path.display(), reason, "kept emergency message ignored");
            None
        }
    }
}

/// Verifies `signed`, which arrived at `now` on the screen's clock while the
/// server's clock read `server_now`, against `held`; `None` when it is the one
/// held already (a stream that reconnects, a poll, repeat it).
pub fn verify(
    trust: &Trust,
    signed: &SignedEmergency,
    held: Option<&Held>,
    now: Timestamp,
    server_now: Timestamp,
) -> Result<Option<Held>, Rejection> {
    if held.is_some_and(|held| held.signed == *signed) {
        return Ok(None);
    }
    let message = signed.verify(&trust.emergency_keys, &trust.channel, held.map(|h| h.message.issued_at))?;
    let showing_for = message.showing_for(server_now);
    Ok(Some(Held { signed: signed.clone(), message, received_at: now, showing_for }))
}

/// Keeps `held` in `data_dir`, durably.
pub fn keep(data_dir: &DataDir, held: &Held) -> Result<(), EmergencyError> {
    let path = data_dir.emergency();
    let kept = KeptFile {
        message: held.signed.message.clone(),
        signature: held.signed.signature.clone(),
        received_at: Some(held.received_at),
        showing_ms: Some(held.showing_for.as_millis() as i64),
    };
    let bytes = serde_json::to_vec(&kept).expect("a kept message serializes");
    crate::durable::replace_file(&path, &bytes).map_err(|source| EmergencyError::Io { path, source })
}

/// The emergency messages of one screen as they arrive: verified against the
/// one held, shown at once, and kept on disk, where a failed write (a full
/// disk) is retried by [`Keeper::retry`] without holding the message back.
#[derive(Debug)]
pub struct Keeper {
    data_dir: DataDir,
    trust: Trust,
    held: Option<Held>,
    unwritten: bool,
}

impl Keeper {
    /// Starts from what `data_dir` keeps.
    pub fn new(data_dir: DataDir, trust: Trust, now: Timestamp) -> Self {
        let held = load(&data_dir, &trust, now);
        Self { data_dir, trust, held, unwritten: false }
    }

    /// The message held.
    pub fn held(&self) -> Option<&Held> {
        self.held.as_ref()
    }

    /// Takes `signed` if it verifies and is new; `Ok(None)` when it is the one
    /// held. A write that fails is logged and tried again later: the message
    /// is taken all the same.
    pub fn receive(
        &mut self,
        signed: &SignedEmergency,
        now: Timestamp,
        server_now: Timestamp,
    ) -> Result<Option<Held>, Rejection> {
        let Some(new) = verify(&self.trust, signed, self.held.as_ref(), now, server_now)? else {
            return Ok(None);
        };
        self.held = Some(new.clone());
        self.unwritten = true;
        self.retry();
        Ok(Some(new))
    }

    /// Writes the message held if its last write failed; whether it is on disk.
    pub fn retry(&mut self) -> bool {
        let Some(held) = self.held.as_ref().filter(|_| self.unwritten) else { return true };
        match keep(&self.data_dir, held) {
            Ok(()) => {
                self.unwritten = false;
                true
            }
            Err(error) => {
                tracing::error!(%error, "emergency message shown but not kept on disk yet; trying again");
                false
            }
        }
    }
}

/// The message on screen now and until when, shared by the sync loop and the
/// app; clones share it.
#[derive(Debug, Clone, Default)]
pub struct CurrentEmergency(Arc<RwLock<Option<(EmergencyMessage, Instant)>>>);

impl CurrentEmergency {
    /// Starts with `held` (the kept one, at start; `now` on the screen's clock).
    pub fn new(held: Option<&Held>, now: Timestamp) -> Self {
        let current = Self::default();
        if let Some(held) = held {
            current.set(held.message.clone(), held.left_at(now));
        }
        current
    }

    /// Shows `message` for `showing_for` from now (a withdrawal takes the one
    /// before down).
    pub fn set(&self, message: EmergencyMessage, showing_for: SignedDuration) {
        let until = Instant::now() + Duration::try_from(showing_for).unwrap_or_default();
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = Some((message, until));
    }

    /// The message to show now and how long it still shows: not withdrawn, not
    /// expired.
    pub fn showing(&self) -> Option<(EmergencyMessage, SignedDuration)> {
        let current = self.0.read().unwrap_or_else(|p| p.into_inner());
        let (message, until) = current.as_ref().filter(|(m, _)| !m.is_withdrawal())?;
        let left = until.checked_duration_since(Instant::now()).filter(|left| !left.is_zero())?;
        Some((message.clone(), SignedDuration::try_from(left).unwrap_or(SignedDuration::ZERO)))
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

/// What a screen shows of `message`, with `left` before it comes down: in its
/// time zone, its own languages first, then the release's default and other
/// languages.
pub fn screen_view(
    message: &EmergencyMessage,
    left: SignedDuration,
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
    view(message, left, &settings.time_zone, &locales)
}

/// What the interface shows of `message`, with `left` before it comes down, in
/// `time_zone`, lines ordered by `locales`.
pub fn view(
    message: &EmergencyMessage,
    left: SignedDuration,
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
    let remaining_ms = left.as_millis().max(0) as i64;
    let issued_time = time_zone.to_datetime(message.issued_at).strftime("%H:%M").to_string();
    EmergencyView { lines, issued_at: message.issued_at, issued_time, remaining_ms }
}

#[cfg(test)]
mod tests {
    use ed25519_dalek::{Signer, SigningKey};
    use kiosk_core::emergency::KIND;

    use super::*;

    fn at(t: &str) -> Timestamp {
        t.parse().unwrap()
    }

    fn signed(key: &SigningKey, issued_at: &str, text: &[(&str, &str)]) -> SignedEmergency {
        let issued_at = at(issued_at);
        let message = EmergencyMessage {
            kind: KIND.into(),
            channel: "bulletin-boards".into(),
            issued_at,
            expires_at: issued_at + SignedDuration::from_mins(30),
            text: text.iter().map(|(l, t)| ((*l).to_owned(), (*t).to_owned())).collect(),
        };
        let bytes = message.encode();
        SignedEmergency {
            signature: hex::encode(key.sign(&bytes).to_bytes()),
            message: String::from_utf8(bytes).unwrap(),
        }
    }

    fn trust(emergency_key: &SigningKey) -> Trust {
        Trust::new(vec![SigningKey::from_bytes(&[9; 32]).verifying_key()], "bulletin-boards")
            .with_emergency_keys(vec![emergency_key.verifying_key()])
    }

    #[test]
    fn a_message_is_kept_shown_withdrawn_and_never_replaced_by_an_older_one() {
        let temp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(temp.path());
        let key = SigningKey::from_bytes(&[3; 32]);
        let trust = trust(&key);
        let first = signed(&key, "2026-12-01T10:00:00Z", &[("vi", "Sơ tán"), ("en", "Evacuate")]);
        let now = at("2026-12-01T10:00:01Z");
        let mut keeper = Keeper::new(dir.clone(), trust.clone(), now);
        let taken = keeper.receive(&first, now, now).unwrap().expect("new");
        assert_eq!(taken.showing_for, SignedDuration::from_secs(30 * 60 - 1));
        assert_eq!(keeper.receive(&first, now, now).unwrap(), None, "the same message again changes nothing");
        let kept = load(&dir, &trust, at("2026-12-01T10:10:01Z")).expect("kept across a restart");
        assert_eq!(kept, taken);
        assert_eq!(kept.left_at(at("2026-12-01T10:10:01Z")), SignedDuration::from_secs(20 * 60 - 1));
        let current = CurrentEmergency::new(Some(&kept), at("2026-12-01T10:10:01Z"));
        let (shown, left) = current.showing().expect("showing after the restart");
        assert_eq!(shown, taken.message);
        assert!(left <= SignedDuration::from_mins(20) && left > SignedDuration::from_mins(19), "{left}");

        let withdrawal = signed(&key, "2026-12-01T10:05:00Z", &[]);
        let withdrawn = keeper.receive(&withdrawal, now, now).unwrap().expect("new");
        current.set(withdrawn.message, withdrawn.showing_for);
        assert!(current.showing().is_none(), "withdrawn");

        let replayed = keeper.receive(&first, now, now).unwrap_err();
        assert!(replayed.to_string().contains("older than the one held"), "{replayed}");
        let stranger =
            signed(&SigningKey::from_bytes(&[4; 32]), "2026-12-01T11:00:00Z", &[("en", "Free tickets")]);
        assert!(keeper.receive(&stranger, now, now).is_err());
        assert!(load(&dir, &trust, now).unwrap().message.is_withdrawal(), "refusals change nothing");

        std::fs::write(dir.emergency(), b"{not json").unwrap();
        assert_eq!(load(&dir, &trust, now), None, "a damaged file is ignored");
    }

    #[test]
    fn a_content_key_cannot_raise_an_emergency_message() {
        let temp = tempfile::tempdir().unwrap();
        let content_key = SigningKey::from_bytes(&[9; 32]);
        let trust = trust(&SigningKey::from_bytes(&[3; 32]));
        assert!(trust.keys.contains(&content_key.verifying_key()), "the key signs this screen's content");
        let forged = signed(&content_key, "2026-12-01T10:00:00Z", &[("en", "Evacuate now")]);
        let now = at("2026-12-01T10:00:00Z");
        let mut keeper = Keeper::new(DataDir::new(temp.path()), trust, now);
        let refused = keeper.receive(&forged, now, now).unwrap_err();
        assert_eq!(refused.code(), "bad-signature", "{refused}");
        assert!(!DataDir::new(temp.path()).emergency().exists());

        let no_emergency_keys = Trust::new(vec![content_key.verifying_key()], "bulletin-boards");
        let refused = verify(&no_emergency_keys, &forged, None, now, now).unwrap_err();
        assert_eq!(refused.code(), "no-trusted-keys", "{refused}");
    }

    #[test]
    fn a_wrong_screen_clock_neither_hides_a_message_nor_keeps_it_up() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let trust = trust(&key);
        let message = signed(&key, "2026-12-01T10:00:00Z", &[("en", "Evacuate")]);
        let server_now = at("2026-12-01T10:00:02Z");

        let hours_ahead = at("2026-12-01T16:00:00Z");
        let held = verify(&trust, &message, None, hours_ahead, server_now).unwrap().unwrap();
        assert_eq!(held.left_at(hours_ahead), SignedDuration::from_secs(30 * 60 - 2), "shown in full");
        let current = CurrentEmergency::new(Some(&held), hours_ahead);
        assert!(current.showing().is_some(), "a clock hours ahead does not hide it");

        let years_behind = at("2019-12-01T10:00:00Z");
        let held = verify(&trust, &message, None, years_behind, server_now).unwrap().unwrap();
        assert_eq!(held.left_at(at("2019-12-01T10:40:00Z")), SignedDuration::ZERO, "down after its lifetime");
        assert!(
            held.left_at(at("2001-01-01T00:00:00Z")) <= held.showing_for,
            "a clock moved back never adds time"
        );
    }

    #[test]
    fn a_message_that_cannot_be_written_is_shown_and_written_later() {
        let temp = tempfile::tempdir().unwrap();
        let blocked = temp.path().join("data");
        std::fs::write(&blocked, b"a file where the data folder should be").unwrap();
        let key = SigningKey::from_bytes(&[3; 32]);
        let now = at("2026-12-01T10:00:00Z");
        let mut keeper = Keeper::new(DataDir::new(&blocked), trust(&key), now);
        let message = signed(&key, "2026-12-01T10:00:00Z", &[("en", "Evacuate")]);
        let taken = keeper.receive(&message, now, now).unwrap().expect("taken although not written");
        assert!(taken.showing_for > SignedDuration::ZERO);
        assert_eq!(keeper.held(), Some(&taken));
        assert!(!keeper.retry(), "still not on disk");

        std::fs::remove_file(&blocked).unwrap();
        std::fs::create_dir(&blocked).unwrap();
        assert!(keeper.retry(), "written once there is room");
        assert_eq!(load(&DataDir::new(&blocked), &trust(&key), now), Some(taken));
    }

    #[test]
    fn the_view_puts_the_screen_s_languages_first_in_its_time_of_day() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let message = signed(&key, "2026-12-01T10:00:00Z", &[("vi", "Sơ tán"), ("en", "Evacuate")]);
        let message = message.verify(&[key.verifying_key()], "bulletin-boards", None).unwrap();
        let saigon = jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh").unwrap();
        let shown = view(&message, SignedDuration::from_mins(1), &saigon, &["vi", "en"]);
        assert_eq!(shown.issued_time, "17:00", "the screen's own time of day");
        let order: Vec<&str> = shown.lines.iter().map(|l| l.locale.as_str()).collect();
        assert_eq!(order, ["vi", "en"], "the screen's languages first");
        assert_eq!(shown.remaining_ms, 60_000);
    }
}
