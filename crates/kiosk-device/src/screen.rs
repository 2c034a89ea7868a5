//! One screen: the value that starts and owns everything a kiosk or bulletin
//! board does without a window.
//!
//! [`Screen::open`] opens the data folder's library and store, imports waiting
//! and built-in bundles, shows the newest release that verifies (each film
//! checked with this machine's decoders first), bounds the outbox, and loads
//! the emergency message held. The rest starts on demand: the sync loop
//! ([`Screen::start_sync`]), the USB watch, the booth mirror, the media server
//! for the webview and the brochure server for phones. [`Screen::start`] does
//! all of that as a device config says. The interface's questions (the session,
//! one language's content, the player's plan, the emergency message, the staff
//! screen) and its reports (events, touches, films with sound) are methods, so
//! the app's commands are one line each. A visit (one visitor, until the idle
//! timeout brings back the attract loop) may answer each survey once. The shell
//! registers how its window is captured ([`Screen::set_capturer`]) for the
//! screenshots the server asks for or the config schedules ([`crate::screenshots`]).
//!
//! Every release that becomes active, from a sync round or a USB stick, goes
//! through the same gate ([`Screen`]'s `show`): films this machine cannot
//! decode are left out with their reason, then the release replaces the one
//! on screen for the servers and the player at once.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use kiosk_core::blob::BlobId;
use kiosk_core::locale::LocaleTag;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::check_in::{CheckIn, UsbNotices};
use crate::clock::DeviceClock;
use crate::config::{LoadedConfig, Mode};
use crate::current_release::CurrentRelease;
use crate::data_dir::DataDir;
use crate::emergency::{CurrentEmergency, EmergencyView};
use crate::events::{EventError, EventRecorder};
use crate::kiosk_view::{LocalizedContent, ReleaseInfo, Session, Urls};
use crate::lan_address::brochure_base_url;
use crate::library::{ActiveRelease, Library, LibraryError, Trust};
use crate::playability::undecodable_films;
use crate::screen_sound::ScreenSound;
use crate::screenshots::{
    Ask, Capture, CaptureSlot, ScreenshotAsks, ScreenshotTiming, spawn_screenshot_worker,
};
use crate::signage_view::{PlayerPlan, PlayerSettings};
use crate::staff_pin::{PinOutcome, StaffLock};
use crate::store::StoreError;
use crate::survey::{AnswersTaken, Visit, admit_answers};
use crate::sync_client::{
    OUTBOX_KEEP_UPLOADED, OUTBOX_MAX_EVENTS, SyncClient, SyncError, SyncOutcome, SyncSource,
};
use crate::sync_loop::{SharedSyncStatus, SyncHooks, SyncStatus, spawn_sync_loop};

/// Why a screen could not start, or could not answer.
#[derive(Debug, thiserror::Error)]
pub enum ScreenError {
    /// The library failed (or holds nothing to show, for [`Screen::start`]).
    #[error(transparent)]
    Library(#[from] LibraryError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The event log named on the command line cannot be opened.
    #[error("opening the event log {path}: {source}")]
    EventLog {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A server of the screen cannot start.
    #[error("starting the {server} on {addr}: {source}")]
    Listen {
        /// Which server.
        server: &'static str,
        /// Where it was to listen.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The screen holds no release yet (a fresh data folder before its first sync).
    #[error("no release is shown yet")]
    NothingShown,
    /// The staff PIN was not entered.
    #[error("staff PIN not entered")]
    StaffLocked,
}

/// `Err(reason)` when the film at this path does not decode here.
pub type Decodes = Box<dyn Fn(&Path) -> Result<(), String> + Send + Sync>;

/// Checks a film with this machine's decoders (the app passes GStreamer's
/// check from `kiosk-media`; this crate does not link GStreamer).
pub struct FilmCheck {
    /// The decoders' version: results are remembered per version.
    pub decoder: String,
    /// The check.
    pub decodes: Decodes,
}

impl std::fmt::Debug for FilmCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilmCheck").field("decoder", &self.decoder).finish_non_exhaustive()
    }
}

/// Called with each release shown after start (for measurement).
pub type ShownHook = Box<dyn Fn(&ActiveRelease) + Send + Sync>;

/// What a screen needs to open.
pub struct ScreenSetup {
    /// Its data folder.
    pub data_dir: DataDir,
    /// Its channel and pinned keys.
    pub trust: Trust,
    /// Its clock.
    pub clock: DeviceClock,
    /// The app's embedded bundle, written out and imported like any other.
    pub built_in: Option<&'static include_dir::Dir<'static>>,
    /// Films are checked with this before a release shows; `None`: not checked.
    pub film_check: Option<FilmCheck>,
    /// Also append every event to this file as JSON lines.
    pub event_log: Option<PathBuf>,
    /// Told of each release shown after start.
    pub on_shown: Option<ShownHook>,
    /// How the interface presents the content.
    pub presentation: Presentation,
}

impl ScreenSetup {
    /// A screen of `trust` in `data_dir` on the system clock, with nothing
    /// else: no built-in content, no film check, the default presentation.
    pub fn new(data_dir: DataDir, trust: Trust) -> Self {
        Self {
            data_dir,
            trust,
            clock: DeviceClock::system(),
            built_in: None,
            film_check: None,
            event_log: None,
            on_shown: None,
            presentation: Presentation::default(),
        }
    }
}

/// What the app adds to a device config to start a screen.
#[derive(Default)]
pub struct ScreenParts {
    /// The device clock (shifted for a rehearsal, or the system's).
    pub clock: Option<DeviceClock>,
    /// The app's embedded bundle.
    pub built_in: Option<&'static include_dir::Dir<'static>>,
    /// This machine's film decoders.
    pub film_check: Option<FilmCheck>,
    /// `kiosk --event-log FILE`.
    pub event_log: Option<PathBuf>,
}

/// How the interface presents the content, from the device config.
#[derive(Debug, Clone)]
pub struct Presentation {
    /// Touch kiosk or unattended board.
    pub mode: Mode,
    /// The language a new visitor starts in.
    pub start_locale: Option<LocaleTag>,
    /// Seconds without a touch before the attract loop.
    pub idle_timeout_secs: u32,
    /// The playlist player's settings.
    pub player: PlayerSettings,
    /// The staff PIN's hash; empty: the staff screen never opens.
    pub pin_hash: String,
    /// `brochures.public_base_url`, if set.
    pub brochure_base_url: Option<String>,
    /// Where the brochure server listens.
    pub brochure_listen: SocketAddr,
    /// `window.off_hours`: local hours the screen shows black.
    pub off_hours: Option<kiosk_core::schedule::TimeWindow>,
}

impl Default for Presentation {
    fn default() -> Self {
        Self {
            mode: Mode::Kiosk,
            start_locale: None,
            idle_timeout_secs: 90,
            player: PlayerSettings {
                locales: Vec::new(),
                crossfade_ms: 0,
                brand_corner: true,
                time_zone: jiff::tz::TimeZone::UTC,
                sound: false,
                quiet_hours: None,
            },
            pin_hash: String::new(),
            brochure_base_url: None,
            brochure_listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            off_hours: None,
        }
    }
}

impl Presentation {
    /// As the config says.
    pub fn from_config(loaded: &LoadedConfig) -> Self {
        let config = &loaded.config;
        Self {
            mode: config.mode,
            start_locale: config.kiosk.start_locale.clone(),
            idle_timeout_secs: config.kiosk.idle_timeout_secs.0,
            player: PlayerSettings {
                locales: config.signage.locales.clone(),
                crossfade_ms: config.signage.crossfade_ms.0,
                brand_corner: config.signage.brand_corner,
                time_zone: config.time_zone(),
                sound: config.sound.enabled,
                quiet_hours: config.sound.quiet_hours,
            },
            pin_hash: config.staff.pin_hash.0.clone(),
            brochure_base_url: config.brochures.public_base_url.as_ref().map(|u| u.0.clone()),
            brochure_listen: config.brochures.listen,
            off_hours: config.window.off_hours,
        }
    }
}

/// Which plan the player asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanPurpose {
    /// The scheduled playlists of an unattended screen.
    Signage,
    /// The attract loop of an idle kiosk.
    Attract,
}

/// What the staff screen shows about sync.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct StaffStatus {
    /// The release shown now (it may be newer than when the interface started).
    pub release: ReleaseInfo,
    /// The last sync rounds; `None` when this screen does not sync.
    pub sync: Option<SyncStatus>,
    /// Events waiting to be uploaded.
    #[ts(type = "number")]
    pub pending_events: u64,
}

/// An event as the interface reports it; the screen stamps and records it.
#[derive(Debug, Clone, serde::Deserialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct InterfaceEvent {
    /// What happened.
    pub kind: kiosk_wire::EventKind,
    /// The details.
    #[serde(default)]
    #[ts(type = "Record<string, unknown>")]
    pub data: Map<String, Value>,
}

/// What every thread that shows a release shares: the release on screen and
/// the films left out of it.
struct Shown {
    data_dir: DataDir,
    trust: Trust,
    clock: DeviceClock,
    release: CurrentRelease,
    undecodable: RwLock<BTreeMap<BlobId, String>>,
    film_check: Option<FilmCheck>,
    on_shown: Option<ShownHook>,
}

impl Shown {
    /// The gate every newly active release passes: its films are checked with
    /// this machine's decoders, then it is shown (the player switches at its
    /// next item).
    fn show(&self, release: ActiveRelease) {
        let refused = self.films_refused(&release);
        *self.undecodable.write().unwrap_or_else(|p| p.into_inner()) = refused;
        tracing::info!(version = release.manifest.version, "new release shown");
        if let Some(hook) = &self.on_shown {
            hook(&release);
        }
        self.release.set(release);
    }

    fn films_refused(&self, release: &ActiveRelease) -> BTreeMap<BlobId, String> {
        let Some(check) = &self.film_check else { return BTreeMap::new() };
        match self.data_dir.open_store() {
            Ok(mut store) => {
                undecodable_films(release, &mut store, &check.decoder, &check.decodes, self.clock.now())
            }
            Err(error) => {
                tracing::warn!(%error, "films not checked: the store does not open");
                BTreeMap::new()
            }
        }
    }
}

/// A screen, running.
pub struct Screen {
    shown: Arc<Shown>,
    events: Arc<EventRecorder>,
    emergency: CurrentEmergency,
    sync_status: Option<SharedSyncStatus>,
    sound: ScreenSound,
    staff: StaffLock,
    presentation: Presentation,
    media_base: Mutex<String>,
    visit: Mutex<Visit>,
    capture: CaptureSlot,
    screenshot_asks: ScreenshotAsks,
    usb_notices: Arc<UsbNotices>,
    lockstep: Option<kiosk_lockstep::Lockstep>,
}

impl Screen {
    /// Opens the screen's data folder and shows what it holds (see the module
    /// overview). A fresh folder without built-in content shows nothing yet.
    pub fn open(setup: ScreenSetup) -> Result<Self, ScreenError> {
        let ScreenSetup { data_dir, trust, clock, built_in, film_check, event_log, on_shown, presentation } =
            setup;
        tracing::info!(data_dir = %data_dir.root().display(), channel = trust.channel, "screen opening");
        // A damaged or newer store must not keep the content off the screen.
        crate::store::Store::set_aside_if_unusable(&data_dir.store_file(), clock.now());
        let library = Library::at(data_dir.clone())?;
        let built_in = built_in.and_then(|bundle| {
            crate::built_in::write_built_in_bundle(&data_dir, bundle)
                .inspect_err(|error| tracing::error!(%error, "built-in content could not be written"))
                .ok()
        });
        let release = match library.start(&trust, built_in.as_deref(), clock.trust_now()) {
            Ok(release) => CurrentRelease::new(release),
            Err(LibraryError::NoContent { .. }) => {
                tracing::info!("no release held yet");
                CurrentRelease::none()
            }
            Err(error) => return Err(error.into()),
        };
        drop(library);

        let mut store = data_dir.open_store()?;
        // A screen that stayed offline for very long keeps its newest events.
        if let Err(error) = store.bound_outbox(OUTBOX_MAX_EVENTS, OUTBOX_KEEP_UPLOADED, clock.now()) {
            tracing::warn!(%error, "outbox not bounded");
        }
        let mut events = EventRecorder::new(store, clock);
        if let Some(path) = &event_log {
            events = events
                .with_log_file(path)
                .map_err(|source| ScreenError::EventLog { path: path.clone(), source })?;
        }
        let held = crate::emergency::load(&data_dir, &trust, clock.now());
        let emergency = CurrentEmergency::new(held.as_ref(), clock.now());
        let shown = Arc::new(Shown {
            data_dir,
            trust,
            clock,
            release,
            undecodable: RwLock::default(),
            film_check,
            on_shown,
        });
        if let Some(release) = shown.release.get() {
            let refused = shown.films_refused(&release);
            *shown.undecodable.write().unwrap_or_else(|p| p.into_inner()) = refused;
        }
        Ok(Self {
            shown,
            events: Arc::new(events),
            emergency,
            sync_status: None,
            sound: ScreenSound::silent(),
            staff: StaffLock::new(presentation.pin_hash.clone()),
            presentation,
            media_base: Mutex::default(),
            visit: Mutex::default(),
            capture: CaptureSlot::default(),
            screenshot_asks: ScreenshotAsks::default(),
            usb_notices: Arc::default(),
            lockstep: None,
        })
    }

    /// Starts the whole screen as the device config says: content, sound,
    /// sync, the USB watch, the mirror, and the media and brochure servers. A
    /// mirror or brochure server that cannot listen is logged and left out
    /// (the screen plays on); one with nothing at all to show, or without its
    /// media server, does not start. Runs inside a Tokio runtime.
    pub async fn start(loaded: &LoadedConfig, parts: ScreenParts) -> Result<Self, ScreenError> {
        let config = &loaded.config;
        let trust = Trust::new(loaded.trusted_keys.clone(), config.content.channel.0.clone())
            .with_emergency_keys(loaded.emergency_keys.clone());
        let clock = parts.clock.unwrap_or_else(DeviceClock::system);
        if loaded.trusts_development_key() {
            tracing::warn!(
                "the development key is trusted: anyone with this repository can sign content for this kiosk; \
                 pin your own key in content.trusted_keys before it stands in public"
            );
        }
        let setup = ScreenSetup {
            data_dir: DataDir::new(&loaded.data_dir),
            trust,
            clock,
            built_in: parts.built_in,
            film_check: parts.film_check,
            event_log: parts.event_log,
            on_shown: None,
            presentation: Presentation::from_config(loaded),
        };
        let mut screen = Self::open(setup)?;
        let Some(release) = screen.release() else {
            return Err(LibraryError::NoContent {
                channel: config.content.channel.0.clone(),
                data_dir: loaded.data_dir.clone(),
            }
            .into());
        };
        screen.sound =
            crate::screen_sound::start_sound(&config.sound, config.mode, &release, clock, config.time_zone());
        screen.watch_folders(&loaded.watch_dirs);
        if let Some(sync) = &config.sync {
            let source = SyncSource {
                base_url: sync.server.0.clone(),
                token: sync.token.clone(),
                server_certificate: loaded.server_pin.clone(),
            };
            screen.start_sync(source.clone(), Duration::from_secs(u64::from(sync.every_secs.0)));
            let every = sync.screenshot_every_minutes.map(|m| Duration::from_secs(u64::from(m.0) * 60));
            if source.token.is_some() {
                screen.start_screenshots(source, ScreenshotTiming::new(every));
            } else if every.is_some() {
                tracing::warn!(
                    "sync.screenshot_every_minutes needs sync.token: only the central server takes screenshots"
                );
            }
        }
        if let Some(mirror) = &config.mirror {
            match screen.serve_mirror(mirror.listen).await {
                Ok(addr) => tracing::info!(%addr, "mirroring this screen's release to the booth"),
                Err(error) => tracing::error!(%error, "mirror unavailable"),
            }
        }
        if let Some(lockstep) = &config.lockstep {
            screen.lockstep = crate::lockstep::join(lockstep, clock).await;
        }
        screen.serve_media().await?;
        match screen.serve_brochures().await {
            Ok(addr) => {
                tracing::info!(%addr, qr_base = screen.urls().brochure_base, "brochure downloads served")
            }
            Err(error) => tracing::error!(%error, "brochure downloads unavailable"),
        }
        tracing::info!(
            mode = ?config.mode,
            time_zone = screen.presentation.player.time_zone.iana_name().unwrap_or("system"),
            now = %clock.now(),
            "device ready"
        );
        Ok(screen)
    }

    /// The sync group's clock and this screen's place in the group; none
    /// without `[lockstep]`.
    pub fn group_clock(&self) -> Option<kiosk_lockstep::GroupClockView> {
        self.lockstep.as_ref().map(kiosk_lockstep::Lockstep::view)
    }

    /// The release shown now, if any.
    pub fn release(&self) -> Option<Arc<ActiveRelease>> {
        self.shown.release.get()
    }

    /// The data folder.
    pub fn data_dir(&self) -> &DataDir {
        &self.shown.data_dir
    }

    /// The device clock.
    pub fn clock(&self) -> DeviceClock {
        self.shown.clock
    }

    /// Syncs with `source` in the background for as long as the process runs
    /// (announcements, emergency messages, heartbeats with the item on screen,
    /// the outbox); each release that verified completely is shown.
    pub fn start_sync(&mut self, source: SyncSource, every: Duration) {
        tracing::info!(server = source.base_url, every_secs = every.as_secs(), "syncing releases");
        let (shown, emergency, events) = (self.shown.clone(), self.emergency.clone(), self.events.clone());
        let asks = self.screenshot_asks.clone();
        let hooks = SyncHooks {
            activated: Box::new(move |release| shown.show(release)),
            emergency: Box::new(move |message, showing_for| emergency.set(message, showing_for)),
            heartbeat: Box::new(move |beat| {
                beat.current_item = Some(events.now_playing().unwrap_or_default())
            }),
            screenshot: Box::new(move |request| asks.ask(Ask::Requested(request))),
        };
        let shown = &self.shown;
        self.sync_status =
            spawn_sync_loop(shown.data_dir.clone(), shown.trust.clone(), source, every, shown.clock, hooks)
                .inspect_err(|error| tracing::error!(%error, "sync could not start"))
                .ok();
    }

    /// Takes screenshots of the window when the server asks (over the sync
    /// loop's event stream) and as `timing` schedules, and uploads them to
    /// `source`, the central server, with the device token. Nothing is taken
    /// before the shell registers its window ([`Screen::set_capturer`]).
    pub fn start_screenshots(&self, source: SyncSource, timing: ScreenshotTiming) {
        tracing::info!(
            every_min = timing.every.map(|every| every.as_secs() / 60),
            "screenshots uploaded when asked{}",
            if timing.every.is_some() { " and on schedule" } else { "" }
        );
        let (capture, clock) = (self.capture.clone(), self.shown.clock);
        if let Err(error) = spawn_screenshot_worker(source, clock, capture, timing, &self.screenshot_asks) {
            tracing::error!(%error, "screenshots could not start");
        }
    }

    /// Registers how the shell captures its window, for screenshots.
    pub fn set_capturer(&self, capturer: Arc<dyn Capture>) {
        self.capture.set(capturer);
    }

    /// One sync round with `source`, now; a release that became active is shown.
    pub fn sync_round(&self, source: SyncSource) -> Result<SyncOutcome, SyncError> {
        let library = Library::at(self.shown.data_dir.clone())?;
        let outcome =
            SyncClient::new(source).sync_once(&library, &self.shown.trust, self.shown.clock.trust_now())?;
        if let SyncOutcome::Activated { release, .. } = &outcome {
            self.shown.show((**release).clone());
        }
        Ok(outcome)
    }

    /// What the sync loop last did; `None` before [`Screen::start_sync`].
    pub fn sync_status(&self) -> Option<SyncStatus> {
        self.sync_status.as_ref().map(|s| s.lock().unwrap_or_else(|p| p.into_inner()).clone())
    }

    /// Watches `dirs` (where USB sticks are mounted) for bundles; a newer
    /// release that verified completely is shown, and each outcome is told to
    /// the staff at the next check-in.
    pub fn watch_folders(&self, dirs: &[PathBuf]) {
        if dirs.is_empty() {
            return;
        }
        tracing::info!(?dirs, "watching for bundles");
        let shown = self.shown.clone();
        let notices = self.usb_notices.clone();
        let (data_dir, trust, clock) = (shown.data_dir.clone(), shown.trust.clone(), shown.clock);
        let outcome = move |notice, release: Option<ActiveRelease>| {
            if let Some(release) = release {
                shown.show(release);
            }
            notices.record(clock.now(), notice);
        };
        if let Err(error) = crate::usb_watch::spawn_watch_loop(data_dir, dirs.to_vec(), trust, clock, outcome)
        {
            tracing::error!(%error, "watching for bundles could not start");
        }
    }

    /// Serves the shown release read-only to the booth's other screens.
    pub async fn serve_mirror(&self, listen: SocketAddr) -> Result<SocketAddr, ScreenError> {
        let listen_error = |source| ScreenError::Listen { server: "mirror", addr: listen, source };
        let listener = tokio::net::TcpListener::bind(listen).await.map_err(listen_error)?;
        crate::mirror::serve_mirror(
            listener,
            self.shown.data_dir.clone(),
            self.shown.release.clone(),
            std::future::pending(),
        )
        .map_err(listen_error)
    }

    /// Serves the shown release's blobs to this machine's webview on loopback,
    /// behind a per-launch secret; returns the base URL.
    pub async fn serve_media(&self) -> Result<String, ScreenError> {
        let addr = SocketAddr::from(([127, 0, 0, 1], 0));
        let media =
            crate::media_server::start_media_server(self.shown.release.clone(), std::future::pending())
                .await
                .map_err(|source| ScreenError::Listen { server: "media server", addr, source })?;
        *self.media_base.lock().unwrap_or_else(|p| p.into_inner()) = media.base_url.clone();
        Ok(media.base_url)
    }

    /// Serves brochure PDFs to visitors' phones where the config says; each
    /// whole download is recorded.
    pub async fn serve_brochures(&self) -> Result<SocketAddr, ScreenError> {
        let listen = self.presentation.brochure_listen;
        let listen_error = |source| ScreenError::Listen { server: "brochure server", addr: listen, source };
        let listener = tokio::net::TcpListener::bind(listen).await.map_err(listen_error)?;
        crate::brochure_server::serve_brochures(
            listener,
            self.shown.release.clone(),
            self.events.clone(),
            std::future::pending(),
        )
        .map_err(listen_error)
    }

    /// Where the webview fetches blobs and phones fetch brochures (the LAN
    /// address is looked up again each time: the network may come up late).
    pub fn urls(&self) -> Urls {
        let brochure_base = brochure_base_url(
            self.presentation.brochure_base_url.as_deref(),
            self.presentation.brochure_listen,
        );
        Urls { media_base: self.media_base.lock().unwrap_or_else(|p| p.into_inner()).clone(), brochure_base }
    }

    fn showing(&self) -> Result<Arc<ActiveRelease>, ScreenError> {
        self.release().ok_or(ScreenError::NothingShown)
    }

    /// The interface's check-in (`check_in`): the display's off hours and the
    /// last USB stick's outcome.
    pub fn check_in(&self) -> CheckIn {
        let now = self.shown.clock.now();
        let tz = &self.presentation.player.time_zone;
        CheckIn {
            display_on: crate::check_in::display_on(self.presentation.off_hours.as_ref(), now, tz),
            usb: self.usb_notices.current(now),
        }
    }

    /// Mode, languages, idle timeout and release, for the interface at start.
    pub fn session(&self) -> Result<Session, ScreenError> {
        let presentation = &self.presentation;
        let mut session = crate::kiosk_view::session(
            &*self.showing()?,
            presentation.start_locale.as_ref(),
            presentation.idle_timeout_secs,
        );
        session.mode = match presentation.mode {
            Mode::Kiosk => "kiosk",
            Mode::Signage => "signage",
        };
        Ok(session)
    }

    /// The content in one language, every fallback applied.
    pub fn content(&self, locale: &str) -> Result<LocalizedContent, ScreenError> {
        Ok(crate::kiosk_view::localized_content(&*self.showing()?, locale, &self.urls()))
    }

    /// What the player plays now, without the films this machine cannot decode.
    pub fn player_plan(&self, purpose: PlanPurpose) -> Result<PlayerPlan, ScreenError> {
        let (release, now, urls) = (self.showing()?, self.shown.clock.now(), self.urls());
        let undecodable = self.shown.undecodable.read().unwrap_or_else(|p| p.into_inner());
        let settings = &self.presentation.player;
        let plan = match purpose {
            PlanPurpose::Attract => {
                crate::signage_view::attract_plan(&release, now, settings, &urls, &undecodable)
            }
            PlanPurpose::Signage => {
                crate::signage_view::signage_plan(&release, now, settings, &urls, &undecodable)
            }
        };
        tracing::info!(
            playlist = plan.playlist,
            items = plan.items.len(),
            next_change_ms = plan.next_change_ms,
            now = %plan.now,
            "player plan"
        );
        Ok(plan)
    }

    /// The emergency message to show over everything now, if one is up: in the
    /// screen's languages first, then the release's.
    pub fn emergency(&self) -> Option<EmergencyView> {
        let (message, left) = self.emergency.showing()?;
        let release = self.release()?;
        Some(crate::emergency::screen_view(&message, left, &self.presentation.player, &release))
    }

    /// Records a batch of the interface's events; they are committed before
    /// this returns. Survey answers are checked first (`survey`): one per
    /// survey per visit, on a kiosk, naming a survey of the release shown; a
    /// refused answer is left out. Returns how many were recorded. Blocks on
    /// the disk.
    pub fn record_events(&self, batch: Vec<InterfaceEvent>) -> Result<usize, EventError> {
        let release = self.release();
        let taken = match (&release, self.presentation.mode) {
            (_, Mode::Signage) => AnswersTaken::Not("an unattended screen"),
            (None, Mode::Kiosk) => AnswersTaken::Not("nothing is shown"),
            (Some(release), Mode::Kiosk) => AnswersTaken::Kiosk(&release.manifest.content),
        };
        let mut visit = self.visit.lock().unwrap_or_else(|p| p.into_inner());
        // The visit remembers this batch's answers only once they are stored, so
        // a batch the interface sends again after a failure is not refused.
        let mut after = visit.clone();
        let batch = admit_answers(batch.into_iter().map(|e| (e.kind, e.data)).collect(), taken, &mut after);
        let batch = batch.into_iter().map(|(kind, data)| (kind.as_str().to_owned(), data)).collect();
        let recorded = self.events.record(batch).map(|ids| ids.len());
        match &recorded {
            Ok(_) => *visit = after,
            Err(error) => tracing::warn!(%error, "events refused"),
        }
        recorded
    }

    /// A new visitor: the interface went back to its attract loop after the idle
    /// timeout, so every survey may be answered again.
    pub fn new_visit(&self) {
        *self.visit.lock().unwrap_or_else(|p| p.into_inner()) = Visit::default();
        tracing::debug!("a new visit begins");
    }

    /// The events recorder, shared.
    pub fn events(&self) -> Arc<EventRecorder> {
        self.events.clone()
    }

    /// Checks the staff PIN, with a lock after repeated wrong ones. Slow on
    /// purpose (Argon2id).
    pub fn unlock_staff(&self, pin: &str) -> bool {
        self.staff.attempt(pin, Instant::now()) == PinOutcome::Accepted
    }

    /// Whether staff may leave kiosk mode now (the right PIN was entered last).
    pub fn may_leave(&self) -> bool {
        let may = self.staff.is_unlocked();
        match may {
            true => tracing::info!("staff left kiosk mode"),
            false => tracing::warn!("leaving kiosk mode refused: staff PIN not entered"),
        }
        may
    }

    /// Sync status and the outbox, only after the right PIN.
    pub fn staff_status(&self) -> Result<StaffStatus, ScreenError> {
        if !self.staff.is_unlocked() {
            return Err(ScreenError::StaffLocked);
        }
        let shown = self.showing()?;
        Ok(StaffStatus {
            release: ReleaseInfo { channel: shown.manifest.channel.clone(), version: shown.manifest.version },
            sync: self.sync_status(),
            pending_events: self.shown.data_dir.open_store()?.pending_count()?,
        })
    }

    /// Logs media the webview could not show, with the reason.
    pub fn report_media_error(&self, url: &str, reason: &str) {
        let blob = url.rsplit('/').next().unwrap_or_default();
        tracing::warn!(blob, reason, "media skipped: the webview could not play it");
    }

    /// A touch: its short sound (kiosk mode, outside quiet hours).
    pub fn touch_sound(&self) {
        self.sound.touch();
    }

    /// A film with sound starts (`true`) or stops: the music bed steps back or returns.
    pub fn duck_sound(&self, ducked: bool) {
        self.sound.duck(ducked);
    }
}
