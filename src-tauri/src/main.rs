//! `kiosk --config FILE`: the Bình Dương Smart City kiosk. See `kiosk_app::run`.
// No console window on Windows in release; the kiosk is a window, not a terminal.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    kiosk_app::run()
}
