//! The kiosk app: a full-screen, locked-down window over the kiosk crates.
//!
//! This crate holds no business logic. It reads the config, starts the screen
//! (`kiosk_device::Screen`, where every rule of what a screen does lives),
//! opens the locked-down window and answers the interface's few commands.
//!
//! # Layout
//! - [`startup`]: logging, config, the process environment, the screen, in order.
//! - [`built_in`]: the default bundle embedded at build time.
//! - [`window`]: the kiosk window and its lockdown.
//! - [`commands`]: the commands the interface calls, one line each.
//! - [`capture`]: the window's snapshot, for the screen's screenshots.
//! - [`watchdog`]: ready and alive, told to systemd in the kiosk session.
//! - [`frame_log`]: the frames the player presented, for measurement.

pub mod built_in;
pub mod capture;
pub mod commands;
pub mod frame_log;
pub mod startup;
pub mod watchdog;
pub mod window;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// `kiosk --config FILE`
#[derive(Debug, Parser)]
#[command(name = "kiosk", version, about = "The Bình Dương Smart City kiosk")]
pub struct Args {
    /// The device config (see kiosk-config/).
    #[arg(long)]
    pub config: PathBuf,
    /// Also append every proof-of-play and interaction event to FILE, as JSON
    /// lines with monotonic milliseconds (for measurement).
    #[arg(long, value_name = "FILE")]
    pub event_log: Option<PathBuf>,
    /// Also append each film frame the player presented, and each item's first
    /// frame, to FILE as JSON lines with the wall-clock time they appeared (for
    /// measuring how closely the screens of a sync group agree).
    #[arg(long, value_name = "FILE")]
    pub frame_log: Option<PathBuf>,
    /// Run the device clock from this instant, e.g. `2026-12-07T17:29:50+07:00`:
    /// rehearse how the schedule plays on another date and hour.
    #[arg(long, value_name = "TIMESTAMP")]
    pub clock_start: Option<jiff::Timestamp>,
}

/// Runs the app until the window closes or staff leave kiosk mode.
pub fn run() -> ExitCode {
    let args = Args::parse();
    startup::init_logging();
    let prepared = match startup::load_config(&args).and_then(|loaded| {
        startup::set_environment(&loaded);
        startup::prepare(loaded, &args)
    }) {
        Ok(prepared) => prepared,
        Err(error) => {
            eprintln!("kiosk: {error:#}");
            return ExitCode::from(2);
        }
    };
    let liveness = std::sync::Arc::new(watchdog::Liveness::default());
    watchdog::spawn_notifier(liveness.clone());
    let app = tauri::Builder::default()
        .manage(prepared.screen)
        .manage(liveness)
        .manage(frame_log::FrameLog::open(args.frame_log.as_deref()))
        .invoke_handler(tauri::generate_handler![
            commands::session,
            commands::content,
            commands::unlock_staff,
            commands::leave_kiosk,
            commands::report_media_error,
            commands::player_plan,
            commands::record_events,
            commands::new_visit,
            commands::sound_touch,
            commands::sound_duck,
            commands::staff_status,
            commands::emergency,
            commands::check_in,
            commands::group_clock,
            commands::log_frames,
        ])
        .setup(move |app| {
            window::open_kiosk_window(app.handle(), &prepared.window)?;
            let capture = capture::WindowCapture::new(app.handle().clone());
            tauri::Manager::state::<kiosk_device::Screen>(app).set_capturer(std::sync::Arc::new(capture));
            Ok(())
        })
        .run(tauri::generate_context!());
    match app {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kiosk: {error}");
            ExitCode::FAILURE
        }
    }
}
