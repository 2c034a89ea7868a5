//! The simulated screens. Each one enrols with its own one-time code, has its own
//! data folder, pins the server's key, and runs what a screen runs
//! (`kiosk_device::Screen` with its sync loop): a sync thread that polls every
//! hour and an announcement thread on the server's event stream, which wakes the
//! sync at once when a release is published. The screen tells of each release
//! it shows, and that moment is recorded.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result};
use kiosk_device::library::Trust;
use kiosk_device::sync_client::SyncSource;
use kiosk_device::{DataDir, Screen as RunningScreen, ScreenSetup};

use crate::admin::AdminApi;

/// How often a screen polls; announcements, not polls, bring releases here.
pub const POLL_EVERY: Duration = Duration::from_secs(3600);

/// One simulated screen.
#[derive(Debug, Clone)]
pub struct Screen {
    /// Its data folder.
    pub data_dir: PathBuf,
    /// Its device token.
    pub token: String,
}

/// A release that became active on a screen, as the sync loop told it.
#[derive(Debug, Clone, Copy)]
pub struct Activation {
    /// Which screen.
    pub screen: usize,
    /// The release's version.
    pub version: u64,
    /// When the callback ran.
    pub at: Instant,
}

/// The screens, their sync loops, and their activations as they come.
pub struct Fleet {
    /// Every screen, enrolled.
    pub screens: Vec<Screen>,
    running: Mutex<Vec<RunningScreen>>,
    sender: Sender<Activation>,
    activations: Receiver<Activation>,
}

impl Fleet {
    /// Enrols `count` screens on `channel`, `parallel` at a time, with data
    /// folders under `root`.
    pub fn enrol(
        admin: &AdminApi,
        channel: &str,
        count: usize,
        root: &Path,
        parallel: usize,
    ) -> Result<Self> {
        let tokens = admin.enrol_many(channel, "screen", count, parallel)?;
        let screens = tokens
            .into_iter()
            .enumerate()
            .map(|(i, token)| {
                let data_dir = root.join(format!("screen-{i:04}"));
                std::fs::create_dir_all(&data_dir)
                    .with_context(|| format!("creating {}", data_dir.display()))?;
                Ok(Screen { data_dir, token })
            })
            .collect::<Result<Vec<_>>>()?;
        let (sender, activations) = mpsc::channel();
        Ok(Self { screens, running: Mutex::new(Vec::new()), sender, activations })
    }

    /// Starts the sync loops of `range`'s screens against `base_url`.
    pub fn start(&self, range: Range<usize>, trust: &Trust, base_url: &str) -> Result<()> {
        for i in range {
            let screen = &self.screens[i];
            let sender = Mutex::new(self.sender.clone());
            let mut setup = ScreenSetup::new(DataDir::new(&screen.data_dir), trust.clone());
            setup.on_shown = Some(Box::new(move |release| {
                let at = Instant::now();
                let activation = Activation { screen: i, version: release.manifest.version, at };
                let _ = sender.lock().unwrap_or_else(|p| p.into_inner()).send(activation);
            }));
            let mut running =
                RunningScreen::open(setup).with_context(|| format!("opening screen {i}'s data folder"))?;
            let source = SyncSource::plain(base_url.to_owned(), Some(screen.token.clone()));
            running.start_sync(source, POLL_EVERY);
            if running.sync_status().is_none() {
                anyhow::bail!("the sync loop of screen {i} did not start (too many threads?)");
            }
            self.running.lock().unwrap_or_else(|p| p.into_inner()).push(running);
        }
        Ok(())
    }

    /// Waits until every screen of `screens` has activated `version` or until
    /// `patience` has passed; returns the activation moment of each screen that
    /// did (`None` for the others), in `screens`' order.
    pub fn wait_for(&self, version: u64, screens: Range<usize>, patience: Duration) -> Vec<Option<Instant>> {
        let deadline = Instant::now() + patience;
        let mut seen: Vec<Option<Instant>> = vec![None; screens.len()];
        let mut missing = screens.len();
        while missing > 0 {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else { break };
            let Ok(activation) = self.activations.recv_timeout(left) else { break };
            if activation.version != version || !screens.contains(&activation.screen) {
                continue;
            }
            let slot = &mut seen[activation.screen - screens.start];
            if slot.is_none() {
                *slot = Some(activation.at);
                missing -= 1;
            }
        }
        seen
    }

    /// When screen `i` last replaced its `active.json` (the activation's rename).
    pub fn activated_on_disk(&self, i: usize) -> Option<SystemTime> {
        std::fs::metadata(self.screens[i].data_dir.join("active.json")).ok()?.modified().ok()
    }

    /// Screens whose last sync round failed, with one of the reasons.
    pub fn failing(&self) -> (usize, Option<String>) {
        let running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        let failing: Vec<String> = running
            .iter()
            .filter_map(|screen| screen.sync_status())
            .filter_map(|s| (s.failures > 0).then_some(s.last_outcome))
            .collect();
        (failing.len(), failing.into_iter().next())
    }
}
