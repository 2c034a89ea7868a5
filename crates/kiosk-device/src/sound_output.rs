//! Whether this machine has a sound card, and the silent fallback when it has none.
//!
//! A bulletin board without speakers, or a test machine, has no sound card. The
//! webview's media pipeline would then wait tens of seconds on ALSA each time a
//! film is torn down, freezing the screen. With no card, the app points ALSA at a
//! `null` default device instead: films play, silently, and the log says so once.
//!
//! The `null` device swallows sound as fast as it comes, so a media pipeline
//! whose clock is its audio sink would run films many times too fast. Without a
//! card the app therefore also takes the audio sinks out of GStreamer's choice
//! ([`silent_sink_ranks`]): the webview's pipeline then plays its sound into a
//! sink that keeps time with the clock, and films play at their own pace.

use std::path::{Path, PathBuf};

/// Where Linux lists its sound cards.
pub const CARDS_FILE: &str = "/proc/asound/cards";

/// Whether the text of `/proc/asound/cards` (or its absence) means a card exists.
pub fn lists_a_sound_card(cards: Option<&str>) -> bool {
    cards.is_some_and(|text| {
        let text = text.trim();
        !text.is_empty() && !text.contains("no soundcards")
    })
}

/// Whether this machine has a sound card.
pub fn has_sound_card() -> bool {
    lists_a_sound_card(std::fs::read_to_string(CARDS_FILE).ok().as_deref())
}

/// The ALSA configuration that keeps the system's and makes the default device a
/// `null` sink.
pub fn silent_alsa_config(system_config: &Path) -> String {
    format!("<{}>\npcm.!default {{ type null }}\n", system_config.display())
}

/// Writes the silent configuration to `path` (creating its folder) and returns
/// it, for `ALSA_CONFIG_PATH`.
pub fn write_silent_alsa_config(path: &Path) -> std::io::Result<PathBuf> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, silent_alsa_config(Path::new("/usr/share/alsa/alsa.conf")))?;
    Ok(path.to_owned())
}

/// The audio sinks GStreamer would otherwise choose from.
const AUDIO_SINKS: &[&str] =
    &["pulsesink", "pipewiresink", "alsasink", "osssink", "oss4sink", "jackaudiosink", "openalsink"];

/// `GST_PLUGIN_FEATURE_RANK` with every audio sink ranked `NONE`, after what
/// `existing` already says, so `autoaudiosink` falls back to a sink that plays in
/// time and makes no sound.
pub fn silent_sink_ranks(existing: Option<&str>) -> String {
    let silent = AUDIO_SINKS.iter().map(|sink| format!("{sink}:NONE")).collect::<Vec<_>>().join(",");
    match existing.filter(|e| !e.trim().is_empty()) {
        Some(existing) => format!("{existing},{silent}"),
        None => silent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_card_list() {
        assert!(lists_a_sound_card(Some(" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n")));
        assert!(!lists_a_sound_card(Some("--- no soundcards ---\n")));
        assert!(!lists_a_sound_card(Some("")));
        assert!(!lists_a_sound_card(None));
    }

    #[test]
    fn ranks_every_audio_sink_out_and_keeps_what_was_set() {
        let ranks = silent_sink_ranks(None);
        assert!(ranks.starts_with("pulsesink:NONE,") && ranks.contains("alsasink:NONE"), "{ranks}");
        assert!(silent_sink_ranks(Some("avdec_h264:MAX")).starts_with("avdec_h264:MAX,pulsesink:NONE"));
    }

    #[test]
    fn keeps_the_system_config_and_silences_the_default() {
        let text = silent_alsa_config(Path::new("/usr/share/alsa/alsa.conf"));
        assert_eq!(text, "</usr/share/alsa/alsa.conf>\npcm.!default { type null }\n");
    }
}
