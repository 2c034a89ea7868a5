//! The service manager's watchdog (`Type=notify`, `WatchdogSec=` in the kiosk
//! session's unit): the app tells systemd it is ready when the interface first
//! checks in, and keeps it from restarting the session only while the
//! interface keeps checking in and its player keeps painting frames.
//!
//! The interface checks in every few seconds from the webview (`check_in`);
//! a frozen webview, a stopped process or a player that no longer paints
//! stops the notifications, and systemd restarts the session. Outside systemd
//! (no `NOTIFY_SOCKET`) nothing is sent.
//!
//! Under `cage` the compositor is the service's main process and the app its
//! child, so `WATCHDOG_PID` names the parent (the unit has `NotifyAccess=all`).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use sd_notify::NotifyState;

/// How long the interface may stay silent, or its player without a painted
/// frame while the display is on, before the watchdog is no longer fed.
pub const SILENCE_LIMIT: Duration = Duration::from_secs(20);

/// What the interface says at a check-in.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
pub struct Pulse {
    /// Animation frames painted since the last check-in.
    pub frames: u32,
    /// Whether the page is visible and the display is on (frames are expected).
    pub painting: bool,
}

/// The last signs of life, shared by the command and the notifier thread.
#[derive(Debug, Default)]
pub struct Liveness {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    checked_in: Option<Instant>,
    painted: Option<Instant>,
    ready_sent: bool,
}

impl Liveness {
    /// Records a check-in at `now`.
    pub fn check_in(&self, pulse: Pulse, now: Instant) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.checked_in = Some(now);
        if pulse.frames > 0 || !pulse.painting {
            state.painted = Some(now);
        }
    }

    /// Whether the watchdog may be fed at `now`.
    pub fn alive(&self, now: Instant) -> bool {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let recent =
            |at: Option<Instant>| at.is_some_and(|at| now.saturating_duration_since(at) <= SILENCE_LIMIT);
        recent(state.checked_in) && recent(state.painted)
    }

    /// `true` once, at the first check-in: time to send `READY=1`.
    fn take_ready(&self) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let first = state.checked_in.is_some() && !state.ready_sent;
        state.ready_sent |= first;
        first
    }
}

/// `WATCHDOG_USEC` when the watchdog is meant for this process or its parent
/// (the compositor it runs under).
pub fn watchdog_interval(usec: Option<&str>, pid: Option<&str>, me: u32, parent: u32) -> Option<Duration> {
    let usec: u64 = usec?.parse().ok().filter(|&u| u > 0)?;
    let meant_for_us = match pid.map(str::parse::<u32>) {
        None => true,
        Some(Ok(pid)) => pid == me || pid == parent,
        Some(Err(_)) => false,
    };
    meant_for_us.then(|| Duration::from_micros(usec))
}

/// Starts the notifier thread when systemd is listening: `READY=1` at the
/// first check-in, then `WATCHDOG=1` at half the interval while alive.
pub fn spawn_notifier(liveness: std::sync::Arc<Liveness>) {
    if std::env::var_os("NOTIFY_SOCKET").is_none() {
        return;
    }
    let interval = watchdog_interval(
        std::env::var("WATCHDOG_USEC").ok().as_deref(),
        std::env::var("WATCHDOG_PID").ok().as_deref(),
        std::process::id(),
        std::os::unix::process::parent_id(),
    );
    tracing::info!(watchdog = ?interval, "telling the service manager when the kiosk is ready and alive");
    let tick = interval.map_or(Duration::from_secs(1), |i| (i / 2).min(Duration::from_secs(5)));
    let spawned = std::thread::Builder::new().name("watchdog".into()).spawn(move || {
        let mut was_alive = false;
        loop {
            if liveness.take_ready() {
                notify(&[NotifyState::Ready, NotifyState::Status("showing the content")]);
            }
            if interval.is_some() {
                let alive = liveness.alive(Instant::now());
                if alive {
                    notify(&[NotifyState::Watchdog]);
                } else if was_alive {
                    tracing::error!(
                        "the interface stopped checking in or painting: no longer feeding the watchdog, \
                         the session will be restarted"
                    );
                }
                was_alive = alive;
            }
            std::thread::sleep(tick);
        }
    });
    if let Err(error) = spawned {
        tracing::error!(%error, "the watchdog notifier could not start");
    }
}

fn notify(states: &[NotifyState]) {
    if let Err(error) = sd_notify::notify(states) {
        tracing::warn!(%error, "the service manager could not be told");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAINTED: Pulse = Pulse { frames: 30, painting: true };

    #[test]
    fn alive_only_while_the_interface_checks_in_and_paints() {
        let liveness = Liveness::default();
        let t0 = Instant::now();
        assert!(!liveness.alive(t0), "nothing heard yet");
        liveness.check_in(PAINTED, t0);
        assert!(liveness.alive(t0 + SILENCE_LIMIT));
        assert!(!liveness.alive(t0 + SILENCE_LIMIT + Duration::from_secs(1)), "the webview went silent");

        // Checking in without painting a frame while the display is on: the
        // player is stuck.
        let t1 = t0 + Duration::from_secs(10);
        liveness.check_in(Pulse { frames: 0, painting: true }, t1);
        liveness.check_in(Pulse { frames: 0, painting: true }, t1 + SILENCE_LIMIT);
        assert!(!liveness.alive(t1 + SILENCE_LIMIT));

        // In the off hours nothing is painted, and that is fine.
        liveness.check_in(Pulse { frames: 0, painting: false }, t1 + SILENCE_LIMIT);
        assert!(liveness.alive(t1 + SILENCE_LIMIT));
    }

    #[test]
    fn ready_is_sent_once_after_the_first_check_in() {
        let liveness = Liveness::default();
        assert!(!liveness.take_ready());
        liveness.check_in(PAINTED, Instant::now());
        assert!(liveness.take_ready());
        assert!(!liveness.take_ready());
    }

    #[test]
    fn the_watchdog_is_ours_when_it_names_us_or_the_compositor_we_run_under() {
        let second = Some(Duration::from_secs(30));
        assert_eq!(watchdog_interval(Some("30000000"), None, 10, 1), second);
        assert_eq!(watchdog_interval(Some("30000000"), Some("10"), 10, 1), second);
        assert_eq!(watchdog_interval(Some("30000000"), Some("1"), 10, 1), second);
        assert_eq!(watchdog_interval(Some("30000000"), Some("77"), 10, 1), None);
        assert_eq!(watchdog_interval(Some("0"), None, 10, 1), None);
        assert_eq!(watchdog_interval(Some("soon"), None, 10, 1), None);
        assert_eq!(watchdog_interval(None, Some("10"), 10, 1), None);
    }
}
