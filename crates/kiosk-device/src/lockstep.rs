//! Joining the booth's sync group as the config's `[lockstep]` says; the group
//! itself is `kiosk_lockstep`.

use kiosk_lockstep::{Lockstep, Settings};

use crate::clock::DeviceClock;
use crate::config::LockstepConfig;

/// Joins the group, starting from the device clock's time until it hears a
/// leader; a screen that cannot listen plays on its own clock, logged.
pub async fn join(config: &LockstepConfig, clock: DeviceClock) -> Option<Lockstep> {
    let member = config.member.as_ref().map_or_else(host_name, |m| m.0.clone());
    let mut settings = Settings::new(config.group.0.clone(), member, config.listen, config.peers.clone());
    settings.initial_clock_ms = clock.now().as_millisecond() as f64;
    Lockstep::start(settings)
        .await
        .inspect_err(|error| {
            tracing::error!(listen = %config.listen, %error, "sync group unavailable; playing on this screen's own clock")
        })
        .ok()
}

/// The machine's host name, this screen's id in its group unless the config names one.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "screen".to_owned())
}
