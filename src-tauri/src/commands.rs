//! The commands the interface calls; each is a few lines over `kiosk-device`.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use kiosk_core::blob::BlobId;
use kiosk_core::locale::LocaleTag;
use kiosk_device::clock::DeviceClock;
use kiosk_device::config::Mode;
use kiosk_device::current_release::CurrentRelease;
use kiosk_device::emergency::{CurrentEmergency, EmergencyView};
use kiosk_device::events::EventRecorder;
use kiosk_device::kiosk_view::{self, LocalizedContent, Session, Urls};
use kiosk_device::lan_address::brochure_base_url;
use kiosk_device::signage_view::{self, PlayerPlan, PlayerSettings};
use kiosk_device::staff_pin::{PinGuard, PinOutcome};
use serde::Deserialize;

/// Where phones reach the brochure server: the configured address, or else this
/// kiosk's LAN address, looked up again at every use (the network may come up
/// after the kiosk).
#[derive(Debug, Clone)]
pub struct BrochureAddress {
    /// `brochures.public_base_url`, if set.
    pub public_base_url: Option<String>,
    /// `brochures.listen`.
    pub listen: SocketAddr,
}

/// What the commands share.
pub struct AppState {
    /// What the screen is for.
    pub mode: Mode,
    /// The release on screen.
    pub release: CurrentRelease,
    /// Where the webview fetches blobs.
    pub media_base: String,
    /// Where phones fetch brochures.
    pub brochures: BrochureAddress,
    /// The language a new visitor starts in.
    pub start_locale: Option<LocaleTag>,
    /// Seconds without a touch before the attract loop.
    pub idle_timeout_secs: u32,
    /// The staff PIN's hash.
    pub pin_hash: String,
    /// The player's settings.
    pub player: PlayerSettings,
    /// Films this machine cannot decode, with the reason.
    pub undecodable: Arc<RwLock<BTreeMap<BlobId, String>>>,
    /// The device clock.
    pub clock: DeviceClock,
    /// Proof of play and interaction events.
    pub events: Arc<EventRecorder>,
    /// Touch sound and music bed.
    pub sound: crate::sound::AppSound,
    /// The emergency message received last (shown while it is up).
    pub emergency: CurrentEmergency,
    /// What the sync loop last did; `None` without `[sync]`.
    pub sync_status: Option<kiosk_device::sync_loop::SharedSyncStatus>,
    /// The data folder (the store is read for the staff screen).
    pub data_dir: std::path::PathBuf,
    /// Wrong PINs and the lock.
    pub pin_guard: Arc<Mutex<PinGuard>>,
    /// Whether the right PIN was entered.
    pub staff_unlocked: AtomicBool,
}

impl AppState {
    fn urls(&self) -> Urls {
        let brochure_base =
            brochure_base_url(self.brochures.public_base_url.as_deref(), self.brochures.listen);
        Urls { media_base: self.media_base.clone(), brochure_base }
    }
}

/// Mode, languages, idle timeout and release, once at start.
#[tauri::command]
pub fn session(state: tauri::State<'_, AppState>) -> Session {
    let mut session =
        kiosk_view::session(&state.release.get(), state.start_locale.as_ref(), state.idle_timeout_secs);
    session.mode = match state.mode {
        Mode::Kiosk => "kiosk",
        Mode::Signage => "signage",
    };
    session
}

/// The content in one language.
#[tauri::command]
pub fn content(state: tauri::State<'_, AppState>, locale: String) -> LocalizedContent {
    kiosk_view::localized_content(&state.release.get(), &locale, &state.urls())
}

/// What the player plays now: the scheduled playlist (`signage`) or the attract
/// loop (`attract`).
#[tauri::command]
pub fn player_plan(state: tauri::State<'_, AppState>, purpose: String) -> PlayerPlan {
    let (release, now, urls) = (state.release.get(), state.clock.now(), state.urls());
    let undecodable = state.undecodable.read().unwrap_or_else(|p| p.into_inner());
    let plan = if purpose == "attract" {
        signage_view::attract_plan(&release, now, &state.player, &urls, &undecodable)
    } else {
        signage_view::signage_plan(&release, now, &state.player, &urls, &undecodable)
    };
    tracing::info!(
        playlist = plan.playlist,
        items = plan.items.len(),
        next_change_ms = plan.next_change_ms,
        now = %plan.now,
        "player plan"
    );
    plan
}

/// The emergency message to show over everything now, if one is up: in the
/// screen's languages first, then the release's.
#[tauri::command]
pub fn emergency(state: tauri::State<'_, AppState>) -> Option<EmergencyView> {
    let now = state.clock.now();
    let message = state.emergency.showing(now)?;
    Some(kiosk_device::emergency::screen_view(&message, now, &state.player, &state.release.get()))
}

/// An event as the interface sends it.
#[derive(Debug, Deserialize)]
pub struct NewEvent {
    kind: String,
    #[serde(default)]
    data: serde_json::Map<String, serde_json::Value>,
}

/// Records a batch of events; they are committed before this returns.
#[tauri::command]
pub async fn record_events(
    state: tauri::State<'_, AppState>,
    events: Vec<NewEvent>,
) -> Result<usize, String> {
    let recorder = state.events.clone();
    let batch: Vec<_> = events.into_iter().map(|e| (e.kind, e.data)).collect();
    let recorded = tauri::async_runtime::spawn_blocking(move || recorder.record(batch))
        .await
        .map_err(|e| e.to_string())?;
    match recorded {
        Ok(ids) => Ok(ids.len()),
        Err(error) => {
            tracing::warn!(%error, "events refused");
            Err(error.to_string())
        }
    }
}

/// Checks the staff PIN (with a lock after repeated wrong ones); a right one
/// allows `leave_kiosk`.
#[tauri::command]
pub async fn unlock_staff(state: tauri::State<'_, AppState>, pin: String) -> Result<bool, ()> {
    let (hash, guard) = (state.pin_hash.clone(), state.pin_guard.clone());
    let outcome = tauri::async_runtime::spawn_blocking(move || {
        guard.lock().unwrap_or_else(|p| p.into_inner()).attempt(&pin, &hash, Instant::now())
    })
    .await
    .unwrap_or(PinOutcome::Refused);
    match outcome {
        PinOutcome::Accepted => tracing::info!("staff PIN accepted"),
        PinOutcome::Refused => tracing::warn!("wrong staff PIN"),
        PinOutcome::Locked { remaining } => {
            tracing::warn!(seconds = remaining.as_secs(), "staff PIN pad locked after repeated wrong PINs")
        }
    }
    let ok = outcome == PinOutcome::Accepted;
    state.staff_unlocked.store(ok, Ordering::SeqCst);
    Ok(ok)
}

/// Closes the app, only after a right PIN.
#[tauri::command]
pub fn leave_kiosk(app: tauri::AppHandle, state: tauri::State<'_, AppState>) {
    if state.staff_unlocked.load(Ordering::SeqCst) {
        tracing::info!("staff left kiosk mode");
        app.exit(0);
    } else {
        tracing::warn!("leave_kiosk refused: staff PIN not entered");
    }
}

/// Logs media the webview could not show, with the reason.
#[tauri::command]
pub fn report_media_error(url: String, reason: String) {
    let blob = url.rsplit('/').next().unwrap_or_default().to_owned();
    tracing::warn!(blob, reason, "media skipped: the webview could not play it");
}

/// A touch: its short sound (kiosk mode, outside quiet hours).
#[tauri::command]
pub fn sound_touch(state: tauri::State<'_, AppState>) {
    if let Some(touch) = &state.sound.touch {
        state.sound.player.play_effect(touch);
    }
}

/// A film with sound starts (`true`) or stops: the music bed steps back or returns.
#[tauri::command]
pub fn sound_duck(state: tauri::State<'_, AppState>, ducked: bool) {
    state.sound.player.set_ducked(ducked);
}

/// What the staff screen shows about sync.
#[derive(Debug, serde::Serialize)]
pub struct StaffStatus {
    /// The release shown now (it may be newer than when the interface started).
    release: kiosk_device::kiosk_view::ReleaseInfo,
    /// The last sync rounds; `None` when this screen does not sync.
    sync: Option<kiosk_device::sync_loop::SyncStatus>,
    /// Events waiting to be uploaded.
    pending_events: u64,
}

/// Sync status and the outbox, only after a right PIN.
#[tauri::command]
pub fn staff_status(state: tauri::State<'_, AppState>) -> Result<StaffStatus, String> {
    if !state.staff_unlocked.load(Ordering::SeqCst) {
        return Err("staff PIN not entered".into());
    }
    let sync = state.sync_status.as_ref().map(|s| s.lock().unwrap_or_else(|p| p.into_inner()).clone());
    let pending_events = kiosk_device::store::Store::open(&state.data_dir.join("kiosk.sqlite"))
        .and_then(|store| store.pending_count())
        .map_err(|e| e.to_string())?;
    let shown = state.release.get();
    let release = kiosk_device::kiosk_view::ReleaseInfo {
        channel: shown.manifest.channel.clone(),
        version: shown.manifest.version,
    };
    Ok(StaffStatus { release, sync, pending_events })
}
