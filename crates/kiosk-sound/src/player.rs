//! The player: the output device, touch effects, the bed and its fades.
//!
//! A thread of its own (`kiosk-sound`) opens the output and keeps it for the
//! player's life, so the player itself is `Send + Sync` whatever the platform's
//! audio types are. Effects go straight to the output's mixer from the caller's
//! thread; the bed is the thread's: it decodes bed files, and while a fade runs it
//! wakes every [`TICK`] to set the bed's volume from [`Fade::level`] (rodio applies a
//! volume change within 5 ms). With no fade running it sleeps until told something.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rodio::buffer::SamplesBuffer;
use rodio::cpal::traits::HostTrait;
use rodio::mixer::Mixer;
use rodio::{DeviceSinkBuilder, DeviceTrait, MixerDeviceSink, Player, Source};
use serde::{Deserialize, Serialize};

use crate::clip::{Clip, stream_looped};
use crate::error::{SoundError, with_causes};
use crate::fade::Fade;

/// How often the bed's volume is set while a fade runs.
pub const TICK: Duration = Duration::from_millis(20);
/// How long a new bed takes to fade in, and an old one to fade out.
pub const BED_FADE: Duration = Duration::from_millis(1000);
/// How long ducking and its undoing take.
pub const DUCK_FADE: Duration = Duration::from_millis(300);
/// How long going quiet, or coming back, takes.
pub const QUIET_FADE: Duration = Duration::from_millis(1000);
/// Effects longer than this are refused: an effect is a short sound.
pub const MAX_EFFECT: Duration = Duration::from_secs(10);
/// Beds up to this long, and of at most [`MAX_BED_SAMPLES`] samples, are decoded
/// into memory and loop exactly; longer ones are streamed from their file.
pub const MAX_BED_IN_MEMORY: Duration = Duration::from_secs(300);
/// The most samples of a bed kept in memory (32 MiB; 5 min of 24 kHz mono).
pub const MAX_BED_SAMPLES: usize = 8 * 1024 * 1024;

/// Volumes, each `0.0..=1.0`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SoundSettings {
    /// Volume of touch effects.
    pub effects_volume: f32,
    /// Volume of the bed.
    pub bed_volume: f32,
    /// The bed's volume while ducked, as a fraction of `bed_volume`.
    pub duck_volume: f32,
}

impl Default for SoundSettings {
    fn default() -> Self {
        Self { effects_volume: 0.6, bed_volume: 0.35, duck_volume: 0.25 }
    }
}

impl SoundSettings {
    /// Each volume clamped to `0.0..=1.0`; one that is not a number takes its default.
    pub fn clamped(self) -> Self {
        let defaults = Self::default();
        let fix = |v: f32, default: f32| if v.is_nan() { default } else { v.clamp(0.0, 1.0) };
        Self {
            effects_volume: fix(self.effects_volume, defaults.effects_volume),
            bed_volume: fix(self.bed_volume, defaults.bed_volume),
            duck_volume: fix(self.duck_volume, defaults.duck_volume),
        }
    }
}

/// The kiosk's sound. Cheap to clone and to share between threads: clones play
/// through the same output, and the output closes when the last clone is dropped.
///
/// A player without an output (no sound card, or none that opens) is *silent*:
/// every method does nothing and [`SoundPlayer::bed_level`] is `0.0`.
#[derive(Clone)]
pub struct SoundPlayer {
    live: Option<Arc<Live>>,
}

impl std::fmt::Debug for SoundPlayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.live {
            None => f.write_str("SoundPlayer(silent)"),
            Some(live) => f
                .debug_struct("SoundPlayer")
                .field("settings", &live.settings)
                .field("quiet", &live.quiet.load(Ordering::Relaxed))
                .field("bed_level", &self.bed_level())
                .finish(),
        }
    }
}

impl Default for SoundPlayer {
    /// A silent player.
    fn default() -> Self {
        Self::silent()
    }
}

/// What the callers share: the output's mixer, the effect cache, and the thread.
struct Live {
    settings: SoundSettings,
    mixer: Mixer,
    quiet: AtomicBool,
    /// Decoded effects by path; `None` for a file that could not be played.
    effects: Mutex<HashMap<PathBuf, Option<SamplesBuffer>>>,
    bed_level: Arc<AtomicU32>,
    commands: Sender<Command>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Stop);
        if let Some(thread) = self.thread.get_mut().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = thread.join();
        }
    }
}

#[derive(Debug)]
enum Command {
    Bed(Option<PathBuf>),
    Ducked(bool),
    Quiet(bool),
    Stop,
}

impl SoundPlayer {
    /// Opens the default output. With no audio device it logs one line
    /// (`tracing::info!`, "no audio output: the kiosk runs silent", with the reason)
    /// and returns a player whose methods do nothing.
    ///
    /// ALSA's `null` device opens like any other, but it takes samples as fast as
    /// they are made, so its output thread keeps a processor core busy: on a machine
    /// known to have no sound card (`kiosk_device::sound_output::has_sound_card`,
    /// which points ALSA at `null`), use [`SoundPlayer::silent`] instead.
    pub fn open(settings: SoundSettings) -> SoundPlayer {
        match Self::try_open(settings) {
            Ok(player) => player,
            Err(error) => {
                tracing::info!(reason = %error, "no audio output: the kiosk runs silent");
                Self::silent()
            }
        }
    }

    /// Opens the default output (or, failing that, another real one), or says why
    /// there is none.
    pub fn try_open(settings: SoundSettings) -> Result<SoundPlayer, SoundError> {
        let settings = settings.clamped();
        let (commands, inbox) = mpsc::channel();
        let (opened_tx, opened) = mpsc::sync_channel(1);
        let bed_level = Arc::new(AtomicU32::new(0f32.to_bits()));
        let level = bed_level.clone();
        let dispatch = tracing::dispatcher::get_default(|d| d.clone());
        let thread = std::thread::Builder::new()
            .name("kiosk-sound".into())
            .spawn(move || {
                tracing::dispatcher::with_default(&dispatch, || {
                    let output = match open_output() {
                        Ok(output) => output,
                        Err(error) => {
                            let _ = opened_tx.send(Err(error));
                            return;
                        }
                    };
                    let _ = opened_tx.send(Ok(output.mixer().clone()));
                    Bed::new(settings, output.mixer().clone(), level).run(&inbox);
                    drop(output);
                })
            })
            .map_err(SoundError::Thread)?;
        let mixer = match opened.recv() {
            Ok(Ok(mixer)) => mixer,
            Ok(Err(error)) => {
                let _ = thread.join();
                return Err(error);
            }
            Err(_) => {
                let _ = thread.join();
                return Err(SoundError::NoOutput { reason: "the sound thread ended while opening".into() });
            }
        };
        Ok(SoundPlayer {
            live: Some(Arc::new(Live {
                settings,
                mixer,
                quiet: AtomicBool::new(false),
                effects: Mutex::new(HashMap::new()),
                bed_level,
                commands,
                thread: Mutex::new(Some(thread)),
            })),
        })
    }

    /// A player without output, whose methods do nothing: for screens that are
    /// known to have no speakers.
    pub fn silent() -> SoundPlayer {
        SoundPlayer { live: None }
    }

    /// Whether this player has no output.
    pub fn is_silent(&self) -> bool {
        self.live.is_none()
    }

    /// Plays a short effect (decoded once and cached per path; overlapping plays
    /// allowed, at `settings.effects_volume`). Nothing plays while quiet. A file that
    /// cannot be played is logged once, as a warning naming it and the reason, and
    /// stays silent.
    pub fn play_effect(&self, path: &Path) {
        let Some(live) = &self.live else { return };
        if live.quiet.load(Ordering::Relaxed) {
            return;
        }
        let effect = {
            let mut effects = live.effects.lock().unwrap_or_else(|e| e.into_inner());
            effects
                .entry(path.to_owned())
                .or_insert_with(|| match Clip::decode(path, MAX_EFFECT, usize::MAX) {
                    Ok(clip) => Some(clip.once()),
                    Err(error) => {
                        tracing::warn!("sound effect not played: {error}");
                        None
                    }
                })
                .clone()
        };
        if let Some(effect) = effect {
            live.mixer.add(effect.amplify(live.settings.effects_volume));
        }
    }

    /// Starts (or replaces, or with `None` stops) the looping bed at
    /// `settings.bed_volume`, fading in over ~1 s; a bed it replaces fades out over
    /// the same second. Asking for the bed that plays already changes nothing. A
    /// file that cannot be played is logged once, as a warning naming it and the
    /// reason, and the bed stays silent.
    pub fn set_bed(&self, path: Option<&Path>) {
        self.send(Command::Bed(path.map(Path::to_owned)));
    }

    /// Ducks the bed to `settings.duck_volume` (fraction of bed volume) over
    /// ~300 ms, or restores it.
    pub fn set_ducked(&self, ducked: bool) {
        self.send(Command::Ducked(ducked));
    }

    /// Quiet: effects and bed silent (the bed fades out over ~1 s and pauses), e.g.
    /// during quiet hours. Leaving quiet fades the bed back in where it paused.
    pub fn set_quiet(&self, quiet: bool) {
        if let Some(live) = &self.live {
            live.quiet.store(quiet, Ordering::Relaxed);
        }
        self.send(Command::Quiet(quiet));
    }

    /// The volume the bed is playing at now (0.0–1.0, after ducking/quiet), for
    /// status screens and tests; `0.0` with no bed.
    pub fn bed_level(&self) -> f32 {
        self.live.as_ref().map_or(0.0, |live| f32::from_bits(live.bed_level.load(Ordering::Relaxed)))
    }

    fn send(&self, command: Command) {
        if let Some(live) = &self.live {
            let _ = live.commands.send(command);
        }
    }
}

/// Opens the default output with its default configuration or another it
/// supports; failing that, the first other output that is not a `null` device.
fn open_output() -> Result<MixerDeviceSink, SoundError> {
    let open = |builder: DeviceSinkBuilder| {
        builder.with_error_callback(log_stream_error as fn(rodio::CpalError)).open_sink_or_fallback()
    };
    let mut output = DeviceSinkBuilder::from_default_device().and_then(open).or_else(|first| {
        let others = rodio::cpal::default_host()
            .output_devices()
            .map_err(|_| SoundError::NoOutput { reason: with_causes(&first) })?;
        others
            .filter(|device| {
                device.description().is_ok_and(|d| d.driver().is_some_and(|driver| driver != "null"))
            })
            .find_map(|device| DeviceSinkBuilder::from_device(device).and_then(open).ok())
            .ok_or_else(|| SoundError::NoOutput { reason: with_causes(&first) })
    })?;
    output.log_on_drop(false);
    Ok(output)
}

/// Logs errors of a running output: the first few, then only at powers of two, so
/// a device that keeps failing cannot flood the log.
fn log_stream_error(error: rodio::CpalError) {
    static SEEN: AtomicU64 = AtomicU64::new(0);
    let count = SEEN.fetch_add(1, Ordering::Relaxed) + 1;
    if count <= 3 || count.is_power_of_two() {
        tracing::warn!(count, "audio output error: {}", with_causes(&error));
    }
}

/// The bed's side of the sound thread.
struct Bed {
    settings: SoundSettings,
    mixer: Mixer,
    level: Arc<AtomicU32>,
    ducked: bool,
    quiet: bool,
    current: Option<Playing>,
    /// Beds that were replaced or stopped, fading out.
    leaving: Vec<Playing>,
    /// The last bed decoded into memory, to start again without decoding.
    decoded: Option<(PathBuf, Clip)>,
    /// Files already found unplayable (and logged).
    refused: HashSet<PathBuf>,
}

/// A bed that plays, and the fade it follows.
struct Playing {
    path: PathBuf,
    player: Player,
    fade: Fade,
    since: Instant,
}

impl Playing {
    fn level(&self, now: Instant) -> f32 {
        self.fade.level(now.duration_since(self.since))
    }

    fn is_still(&self, now: Instant) -> bool {
        self.fade.is_done(now.duration_since(self.since))
    }

    /// Fades from wherever it is now to `to`.
    fn fade_to(&mut self, to: f32, duration: Duration, now: Instant) {
        let from = self.level(now);
        if to > 0.0 && self.player.is_paused() {
            self.player.play();
        }
        self.fade = Fade::new(from, to, duration);
        self.since = now;
    }
}

impl Bed {
    fn new(settings: SoundSettings, mixer: Mixer, level: Arc<AtomicU32>) -> Self {
        Self {
            settings,
            mixer,
            level,
            ducked: false,
            quiet: false,
            current: None,
            leaving: Vec::new(),
            decoded: None,
            refused: HashSet::new(),
        }
    }

    /// The level the bed should reach now.
    fn target(&self) -> f32 {
        if self.quiet {
            0.0
        } else if self.ducked {
            self.settings.bed_volume * self.settings.duck_volume
        } else {
            self.settings.bed_volume
        }
    }

    fn run(mut self, inbox: &Receiver<Command>) {
        loop {
            let now = Instant::now();
            let fading = self.current.iter().chain(&self.leaving).any(|p| !p.is_still(now));
            let command = if fading {
                match inbox.recv_timeout(TICK) {
                    Ok(command) => Some(command),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            } else {
                match inbox.recv() {
                    Ok(command) => Some(command),
                    Err(_) => return,
                }
            };
            match command {
                Some(Command::Stop) => return,
                Some(command) => self.obey(command),
                None => {}
            }
            self.apply(Instant::now());
        }
    }

    fn obey(&mut self, command: Command) {
        let now = Instant::now();
        match command {
            Command::Bed(path) => {
                if self.current.as_ref().map(|p| &p.path) == path.as_ref() {
                    return;
                }
                if let Some(mut old) = self.current.take() {
                    old.fade_to(0.0, BED_FADE, now);
                    self.leaving.push(old);
                }
                self.current = path.and_then(|path| self.start(path));
            }
            Command::Ducked(ducked) if ducked != self.ducked => {
                self.ducked = ducked;
                let target = self.target();
                if let Some(bed) = &mut self.current {
                    bed.fade_to(target, DUCK_FADE, now);
                }
            }
            Command::Quiet(quiet) if quiet != self.quiet => {
                self.quiet = quiet;
                let target = self.target();
                if let Some(bed) = &mut self.current {
                    bed.fade_to(target, QUIET_FADE, now);
                }
            }
            Command::Ducked(_) | Command::Quiet(_) | Command::Stop => {}
        }
    }

    /// Starts `path` silent and fading in; `None` (logged once) if it cannot play.
    fn start(&mut self, path: PathBuf) -> Option<Playing> {
        if self.refused.contains(&path) {
            return None;
        }
        let source: Box<dyn Source + Send> = match self.decoded.as_ref().filter(|(p, _)| *p == path) {
            Some((_, clip)) => Box::new(clip.looped()),
            None => match Clip::decode(&path, MAX_BED_IN_MEMORY, MAX_BED_SAMPLES) {
                Ok(clip) => {
                    let looped = clip.looped();
                    self.decoded = Some((path.clone(), clip));
                    Box::new(looped)
                }
                Err(SoundError::TooLong { .. }) => match stream_looped(&path) {
                    Ok(stream) => Box::new(stream),
                    Err(error) => return self.refuse(path, error),
                },
                Err(error) => return self.refuse(path, error),
            },
        };
        let player = Player::connect_new(&self.mixer);
        player.set_volume(0.0);
        if self.quiet {
            player.pause();
        }
        player.append(source);
        let now = Instant::now();
        Some(Playing { path, player, fade: Fade::new(0.0, self.target(), BED_FADE), since: now })
    }

    fn refuse(&mut self, path: PathBuf, error: SoundError) -> Option<Playing> {
        tracing::warn!("sound bed not played: {error}");
        self.refused.insert(path);
        None
    }

    /// Sets every bed's volume for `now`, pauses a bed faded to silence, and lets
    /// go of beds that have faded out.
    fn apply(&mut self, now: Instant) {
        for bed in self.current.iter().chain(&self.leaving) {
            let level = bed.level(now);
            bed.player.set_volume(level);
            if level == 0.0 && bed.is_still(now) && !bed.player.is_paused() {
                bed.player.pause();
            }
        }
        self.leaving.retain(|bed| !bed.is_still(now));
        let level = self.current.as_ref().map_or(0.0, |bed| bed.level(now));
        self.level.store(level.to_bits(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_player_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync + Clone + 'static>() {}
        shareable::<SoundPlayer>();
    }

    #[test]
    fn a_silent_player_does_nothing_and_never_panics() {
        let player = SoundPlayer::silent();
        assert!(player.is_silent());
        player.play_effect(Path::new("/nonexistent/touch.wav"));
        player.set_bed(Some(Path::new("/nonexistent/bed.ogg")));
        player.set_ducked(true);
        player.set_quiet(true);
        player.set_bed(None);
        assert_eq!(player.bed_level(), 0.0);
        assert_eq!(format!("{player:?}"), "SoundPlayer(silent)");
        assert!(SoundPlayer::default().is_silent());
    }

    #[test]
    fn settings_default_and_clamp() {
        let defaults = SoundSettings::default();
        assert_eq!((defaults.effects_volume, defaults.bed_volume, defaults.duck_volume), (0.6, 0.35, 0.25));
        let odd = SoundSettings { effects_volume: 1.5, bed_volume: -0.2, duck_volume: f32::NAN }.clamped();
        assert_eq!((odd.effects_volume, odd.bed_volume, odd.duck_volume), (1.0, 0.0, 0.25));
        let partial: SoundSettings = serde_json::from_str(r#"{"bed_volume": 0.5}"#).unwrap();
        assert_eq!(partial, SoundSettings { bed_volume: 0.5, ..defaults });
    }
}
