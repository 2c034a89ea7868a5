//! The commands the interface calls; each is a few lines over `kiosk-device`.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use kiosk_core::locale::LocaleTag;
use kiosk_device::current_release::CurrentRelease;
use kiosk_device::kiosk_view::{self, LocalizedContent, Session, Urls};
use kiosk_device::lan_address::brochure_base_url;
use kiosk_device::staff_pin::{PinGuard, PinOutcome};

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
    release: CurrentRelease,
    media_base: String,
    brochures: BrochureAddress,
    start_locale: Option<LocaleTag>,
    idle_timeout_secs: u32,
    pin_hash: String,
    pin_guard: Arc<Mutex<PinGuard>>,
    staff_unlocked: AtomicBool,
}

impl AppState {
    /// Gathers the state.
    pub fn new(
        release: CurrentRelease,
        media_base: String,
        brochures: BrochureAddress,
        start_locale: Option<LocaleTag>,
        idle_timeout_secs: u32,
        pin_hash: String,
    ) -> Self {
        Self {
            release,
            media_base,
            brochures,
            start_locale,
            idle_timeout_secs,
            pin_hash,
            pin_guard: Default::default(),
            staff_unlocked: AtomicBool::new(false),
        }
    }
}

/// Languages, idle timeout and release, once at start.
#[tauri::command]
pub fn session(state: tauri::State<'_, AppState>) -> Session {
    kiosk_view::session(&state.release.get(), state.start_locale.as_ref(), state.idle_timeout_secs)
}

/// The content in one language.
#[tauri::command]
pub fn content(state: tauri::State<'_, AppState>, locale: String) -> LocalizedContent {
    let brochure_base = brochure_base_url(state.brochures.public_base_url.as_deref(), state.brochures.listen);
    let urls = Urls { media_base: state.media_base.clone(), brochure_base };
    kiosk_view::localized_content(&state.release.get(), &locale, &urls)
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
