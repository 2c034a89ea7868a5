//! A screen's own sound: a touch sound in kiosk mode, the music bed under
//! signage playlists (ducked while a film with sound plays), silence in quiet
//! hours.
//!
//! Playing is `kiosk-sound`; which sounds come from the content (`[sound]` in
//! the pack), and quiet hours are `kiosk_core::schedule::TimeWindow`. Without a
//! sound card the player stays silent: the films' own sound already goes to
//! ALSA's `null` device ([`crate::sound_output`]), and a player on that
//! device would only keep a processor core busy.

use std::path::PathBuf;
use std::time::Duration;

use crate::clock::DeviceClock;
use crate::config::{Mode, SoundConfig};
use crate::library::ActiveRelease;
use crate::sound_output::has_sound_card;
use kiosk_sound::{SoundPlayer, SoundSettings};

/// How often quiet hours are looked at.
const QUIET_CHECK: Duration = Duration::from_secs(15);

/// The sound of one screen.
#[derive(Debug, Clone)]
pub struct ScreenSound {
    /// The player (silent when there is no output, or sound is off).
    pub player: SoundPlayer,
    /// The touch sound's file, in kiosk mode.
    pub touch: Option<PathBuf>,
}

/// Opens the output, starts the bed in signage mode, and follows quiet hours.
pub fn start_sound(
    config: &SoundConfig,
    mode: Mode,
    release: &ActiveRelease,
    clock: DeviceClock,
    tz: jiff::tz::TimeZone,
) -> ScreenSound {
    let player = if !config.enabled {
        tracing::info!("sound is off in the config: the kiosk runs silent");
        SoundPlayer::silent()
    } else if !has_sound_card() {
        SoundPlayer::silent()
    } else {
        SoundPlayer::open(SoundSettings {
            effects_volume: config.effects_volume.0,
            bed_volume: config.bed_volume.0,
            duck_volume: config.duck_volume.0,
        })
    };
    let sounds = release.manifest.content.sound.as_ref();
    let file =
        |blob: Option<&kiosk_core::blob::BlobId>| blob.and_then(|b| release.blob_path(b)).map(|(p, _)| p);
    let touch = match mode {
        Mode::Kiosk => file(sounds.and_then(|s| s.touch.as_ref())),
        Mode::Signage => None,
    };
    if mode == Mode::Signage {
        player.set_bed(file(sounds.and_then(|s| s.bed.as_ref())).as_deref());
    }
    if let (Some(window), false) = (config.quiet_hours, player.is_silent()) {
        let quiet_player = player.clone();
        std::thread::Builder::new()
            .name("quiet-hours".into())
            .spawn(move || {
                let mut quiet = None;
                loop {
                    let now_quiet = window.contains(clock.now(), &tz);
                    if quiet != Some(now_quiet) {
                        tracing::info!(quiet = now_quiet, "quiet hours");
                        quiet_player.set_quiet(now_quiet);
                        quiet = Some(now_quiet);
                    }
                    std::thread::sleep(QUIET_CHECK);
                }
            })
            .map_err(|error| tracing::warn!(%error, "quiet hours are not followed"))
            .ok();
    }
    ScreenSound { player, touch }
}

impl ScreenSound {
    /// No sound at all (a screen started without a config, such as
    /// `kioskctl sync`).
    pub fn silent() -> Self {
        Self { player: SoundPlayer::silent(), touch: None }
    }

    /// A touch: its short sound (kiosk mode, outside quiet hours).
    pub fn touch(&self) {
        if let Some(touch) = &self.touch {
            self.player.play_effect(touch);
        }
    }

    /// A film with sound starts (`true`) or stops: the music bed steps back or returns.
    pub fn duck(&self, ducked: bool) {
        self.player.set_ducked(ducked);
    }
}
