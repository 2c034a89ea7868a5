//! The kiosk window: full screen, undecorated, on top, and locked down.
//!
//! Lockdown, layer by layer: the capability file lets this window call only the
//! kiosk's own commands; the CSP (tauri.conf.json) admits scripts from the app
//! only and media from loopback only; navigation to any other origin is refused
//! here; the script below removes the context menu, text selection, pinch and
//! keyboard zoom, drag and drop and reload keys. The web inspector exists in
//! debug builds only (and in release builds made with the `devtools` feature).

use tauri::{AppHandle, Url, WebviewUrl, WebviewWindowBuilder};

/// Label of the kiosk window (the capability file names it).
pub const KIOSK_WINDOW: &str = "kiosk";

const LOCKDOWN_SCRIPT: &str = include_str!("lockdown.js");

/// How to open the window, from the config.
#[derive(Debug, Clone)]
pub struct WindowPlan {
    /// Full screen and locked (`false`: a normal window for preparing content).
    pub fullscreen: bool,
    /// Width when not full screen.
    pub width: u32,
    /// Height when not full screen.
    pub height: u32,
}

/// Opens the kiosk window.
pub fn open_kiosk_window(app: &AppHandle, plan: &WindowPlan) -> tauri::Result<()> {
    // A kiosk session may run without a window manager, which is what honours a
    // full-screen request, so a full-screen window is also made the monitor's size.
    // Wayland has no primary monitor: there the first one is the screen (cage
    // shows one output).
    let monitor = match app.primary_monitor()? {
        Some(monitor) => Some(monitor),
        None => app.available_monitors()?.into_iter().next(),
    };
    let (width, height) = match monitor {
        Some(monitor) if plan.fullscreen => {
            let size = monitor.size().to_logical::<f64>(monitor.scale_factor());
            (size.width, size.height)
        }
        _ => (f64::from(plan.width), f64::from(plan.height)),
    };
    tracing::info!(width, height, fullscreen = plan.fullscreen, "opening the kiosk window");
    let builder = WebviewWindowBuilder::new(app, KIOSK_WINDOW, WebviewUrl::App("index.html".into()));
    let builder = if plan.fullscreen { builder.position(0.0, 0.0) } else { builder.center() };
    builder
        .title("Bình Dương — Smart City")
        .fullscreen(plan.fullscreen)
        .decorations(!plan.fullscreen)
        .always_on_top(plan.fullscreen)
        .resizable(!plan.fullscreen)
        .inner_size(width, height)
        .zoom_hotkeys_enabled(false)
        .disable_drag_drop_handler()
        .initialization_script(LOCKDOWN_SCRIPT)
        .on_navigation(is_app_url)
        .build()?;
    Ok(())
}

/// Whether the webview may go to `url`: the app's own pages only.
fn is_app_url(url: &Url) -> bool {
    let allowed = match url.scheme() {
        // The app's own origin on Linux and macOS …
        "tauri" => url.host_str() == Some("localhost") && url.port().is_none(),
        // … and on Windows.
        "http" | "https" => url.host_str() == Some("tauri.localhost") && url.port().is_none(),
        "about" => url.as_str() == "about:blank",
        _ => false,
    };
    if !allowed {
        tracing::warn!(%url, "navigation blocked");
    }
    allowed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_app_itself_is_reachable() {
        let ok = |s: &str| is_app_url(&Url::parse(s).unwrap());
        assert!(ok("tauri://localhost/index.html"));
        assert!(ok("http://tauri.localhost/index.html"));
        assert!(!ok("https://example.com/"));
        assert!(!ok("http://127.0.0.1:8088/brochures/x/vi.pdf"));
        assert!(!ok("file:///etc/passwd"));
        assert!(!ok("tauri://evil/"));
        assert!(!ok("http://tauri.localhost:8088/"));
    }
}
