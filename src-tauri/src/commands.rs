//! The commands the interface calls; each is a line or two over
//! `kiosk_device::Screen`, which holds every rule.

use kiosk_device::check_in::CheckIn;
use kiosk_device::emergency::EmergencyView;
use kiosk_device::kiosk_view::{LocalizedContent, Session};
use kiosk_device::signage_view::PlayerPlan;
use kiosk_device::{InterfaceEvent, PlanPurpose, Screen, StaffStatus};

use crate::watchdog::{Liveness, Pulse};

/// A command's failure, as the interface receives it.
type Answer<T> = Result<T, String>;

fn answer<T>(result: Result<T, impl std::fmt::Display>) -> Answer<T> {
    result.map_err(|error| error.to_string())
}

/// Mode, languages, idle timeout and release, once at start.
#[tauri::command]
pub fn session(screen: tauri::State<'_, Screen>) -> Answer<Session> {
    answer(screen.session())
}

/// The content in one language.
#[tauri::command]
pub fn content(screen: tauri::State<'_, Screen>, locale: String) -> Answer<LocalizedContent> {
    answer(screen.content(&locale))
}

/// What the player plays now: the scheduled playlist (`signage`) or the attract
/// loop (`attract`).
#[tauri::command]
pub fn player_plan(screen: tauri::State<'_, Screen>, purpose: String) -> Answer<PlayerPlan> {
    let purpose = if purpose == "attract" { PlanPurpose::Attract } else { PlanPurpose::Signage };
    answer(screen.player_plan(purpose))
}

/// The interface's check-in every few seconds: it is alive (which feeds the
/// service manager's watchdog), and learns the display's off hours and the
/// last USB stick's outcome.
#[tauri::command]
pub fn check_in(
    screen: tauri::State<'_, Screen>,
    liveness: tauri::State<'_, std::sync::Arc<Liveness>>,
    pulse: Pulse,
) -> CheckIn {
    liveness.check_in(pulse, std::time::Instant::now());
    screen.check_in()
}

/// The emergency message to show over everything now, if one is up.
#[tauri::command]
pub fn emergency(screen: tauri::State<'_, Screen>) -> Option<EmergencyView> {
    screen.emergency()
}

/// The sync group's clock, for the player to keep in step; none without
/// `[lockstep]` in the config.
#[tauri::command]
pub fn group_clock(screen: tauri::State<'_, Screen>) -> Option<kiosk_lockstep::GroupClockView> {
    screen.group_clock()
}

/// Appends the player's presented frames to `--frame-log`; false without one,
/// and the player stops sending them. Off the main thread, which paints.
#[tauri::command]
pub async fn log_frames(
    log: tauri::State<'_, crate::frame_log::FrameLog>,
    frames: Vec<serde_json::Value>,
) -> Result<bool, ()> {
    Ok(log.append(&frames))
}

/// Records a batch of events; they are committed before this returns.
#[tauri::command]
pub async fn record_events(app: tauri::AppHandle, events: Vec<InterfaceEvent>) -> Answer<usize> {
    use tauri::Manager;
    let recorded =
        tauri::async_runtime::spawn_blocking(move || answer(app.state::<Screen>().record_events(events)));
    answer(recorded.await)?
}

/// A new visitor (the attract loop is back after the idle timeout): every
/// survey may be answered again.
#[tauri::command]
pub fn new_visit(screen: tauri::State<'_, Screen>) {
    screen.new_visit();
}

/// Checks the staff PIN (with a lock after repeated wrong ones); a right one
/// allows `leave_kiosk` and `staff_status`.
#[tauri::command]
pub async fn unlock_staff(app: tauri::AppHandle, pin: String) -> Result<bool, ()> {
    use tauri::Manager;
    tauri::async_runtime::spawn_blocking(move || app.state::<Screen>().unlock_staff(&pin))
        .await
        .map_err(|_| ())
}

/// Closes the app, only after a right PIN.
#[tauri::command]
pub fn leave_kiosk(app: tauri::AppHandle, screen: tauri::State<'_, Screen>) {
    if screen.may_leave() {
        app.exit(0);
    }
}

/// Logs media the webview could not show, with the reason.
#[tauri::command]
pub fn report_media_error(screen: tauri::State<'_, Screen>, url: String, reason: String) {
    screen.report_media_error(&url, &reason);
}

/// A touch: its short sound (kiosk mode, outside quiet hours).
#[tauri::command]
pub fn sound_touch(screen: tauri::State<'_, Screen>) {
    screen.touch_sound();
}

/// A film with sound starts (`true`) or stops: the music bed steps back or returns.
#[tauri::command]
pub fn sound_duck(screen: tauri::State<'_, Screen>, ducked: bool) {
    screen.duck_sound(ducked);
}

/// Sync status and the outbox, only after a right PIN.
#[tauri::command]
pub fn staff_status(screen: tauri::State<'_, Screen>) -> Answer<StaffStatus> {
    answer(screen.staff_status())
}
