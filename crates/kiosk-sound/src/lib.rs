//! The kiosk's own sound: a short effect for each touch, a music bed looped under
//! signage playlists that ducks under films, and quiet hours. Played with rodio
//! (ALSA on Linux); the content pack names the files (`kiosk_core::content::Sound`).
//!
//! A screen without speakers must still work, so nothing here fails loudly: with
//! no output device [`SoundPlayer::open`] logs one line and returns a *silent*
//! player whose methods do nothing, and a sound file that cannot be played is
//! logged once, as a warning naming it and the reason, and stays silent. A screen
//! known to have no sound card should use [`SoundPlayer::silent`] rather than play
//! into ALSA's `null` device, which would keep a core busy.
//!
//! Fades (a new bed fading in, ducking, quiet hours) follow [`fade::ramp`], an
//! S-curve computed from the time elapsed: a thread of the player's own sets the
//! bed's volume from it every 20 ms while a fade runs, and sleeps otherwise.
//!
//! # Layout
//! - [`player`]: [`SoundPlayer`] and [`SoundSettings`]: the output, effects, the bed.
//! - [`fade`]: the pure ramp and fades, as functions of elapsed time.
//! - [`error`]: [`SoundError`], why an output or a file could not be played.
//! - `clip`: sound files decoded into memory, and the seamless loop.
//!
//! # Example
//! ```no_run
//! use std::path::Path;
//! use kiosk_sound::{SoundPlayer, SoundSettings};
//!
//! let sound = SoundPlayer::open(SoundSettings::default());
//! sound.set_bed(Some(Path::new("media/sounds/bed.ogg")));  // fades in over a second
//! sound.play_effect(Path::new("media/sounds/touch.wav"));  // a visitor touched
//! sound.set_ducked(true);                                   // a film with sound starts
//! sound.set_ducked(false);                                  // …and ends
//! sound.set_quiet(true);                                    // quiet hours begin
//! println!("bed at {:.2}, silent: {}", sound.bed_level(), sound.is_silent());
//! ```

mod clip;
pub mod error;
pub mod fade;
pub mod player;

pub use error::SoundError;
pub use player::{SoundPlayer, SoundSettings};
