//! Screenshots of the kiosk window as it is shown: on Linux, WebKitGTK's own
//! snapshot of the webview's visible area, taken on the GTK main thread and
//! written as a PNG. The screen ([`kiosk_device::Screen`]) asks for one when
//! the server requests it or its schedule says so; when the snapshot fails,
//! it gets the reason and uploads nothing.

use std::sync::mpsc;
use std::time::Duration;

use kiosk_device::screenshots::Capture;
use tauri::{AppHandle, Manager};

use crate::window::KIOSK_WINDOW;

/// The longest wait for the window to answer.
const SNAPSHOT_TIMEOUT: Duration = Duration::from_secs(10);

/// Captures the kiosk window of this app.
pub struct WindowCapture {
    app: AppHandle,
}

impl WindowCapture {
    /// A capturer of `app`'s kiosk window.
    pub fn new(app: AppHandle) -> Self {
        Self { app }
    }
}

impl Capture for WindowCapture {
    fn capture(&self) -> Result<Vec<u8>, String> {
        let window = self.app.get_webview_window(KIOSK_WINDOW).ok_or("the kiosk window is not open")?;
        let (done, result) = mpsc::channel();
        window
            .with_webview(move |webview| snapshot(webview, done))
            .map_err(|error| format!("the window cannot be reached: {error}"))?;
        result
            .recv_timeout(SNAPSHOT_TIMEOUT)
            .map_err(|_| format!("the window did not answer within {} s", SNAPSHOT_TIMEOUT.as_secs()))?
    }
}

/// Takes the snapshot of the webview's visible area (on the main thread) and
/// sends its PNG, or why there is none, to `done`.
#[cfg(target_os = "linux")]
fn snapshot(webview: tauri::webview::PlatformWebview, done: mpsc::Sender<Result<Vec<u8>, String>>) {
    use webkit2gtk::{SnapshotOptions, SnapshotRegion, WebViewExt};
    let cancellable: Option<&webkit2gtk::gio::Cancellable> = None;
    webview.inner().snapshot(SnapshotRegion::Visible, SnapshotOptions::NONE, cancellable, move |taken| {
        let png = taken.map_err(|error| format!("WebKit's snapshot failed: {error}")).and_then(|surface| {
            let mut png = Vec::new();
            surface.write_to_png(&mut png).map_err(|error| format!("the snapshot is not a PNG: {error}"))?;
            Ok(png)
        });
        let _ = done.send(png);
    });
}

/// No snapshot outside Linux yet.
#[cfg(not(target_os = "linux"))]
fn snapshot(_webview: tauri::webview::PlatformWebview, done: mpsc::Sender<Result<Vec<u8>, String>>) {
    let _ = done.send(Err("window snapshots are made on Linux only".into()));
}
