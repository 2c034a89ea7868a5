//! What the process's environment must say before the webview and GStreamer
//! start: without a sound card, ALSA's default device is a silent one and
//! GStreamer's audio sinks step aside (films then play silently and at their
//! own pace, see [`crate::sound_output`]); without a GPU, the webview paints
//! with the CPU (see [`crate::rendering`]). Values already set are kept.
//!
//! Only the decision lives here; the app sets the variables, once, before its
//! first thread starts.

use std::ffi::OsString;

use crate::data_dir::DataDir;
use crate::rendering::{CPU_RENDERING_VAR, has_render_node};
use crate::sound_output::{has_sound_card, silent_sink_ranks, write_silent_alsa_config};

/// The variables to set for a screen whose data folder is `data_dir`, each
/// decision logged once.
pub fn screen_environment(data_dir: &DataDir) -> Vec<(&'static str, OsString)> {
    let mut set = Vec::new();
    if !has_sound_card() && std::env::var_os("ALSA_CONFIG_PATH").is_none() {
        match write_silent_alsa_config(&data_dir.silent_alsa_config()) {
            Ok(path) => {
                tracing::info!(alsa_config = %path.display(), "no sound card: the kiosk runs silent");
                set.push(("ALSA_CONFIG_PATH", path.into_os_string()));
                let ranks = silent_sink_ranks(std::env::var("GST_PLUGIN_FEATURE_RANK").ok().as_deref());
                set.push(("GST_PLUGIN_FEATURE_RANK", ranks.into()));
            }
            Err(error) => tracing::warn!(%error, "no sound card, and no silent audio configuration either"),
        }
    }
    if !has_render_node() && std::env::var_os(CPU_RENDERING_VAR).is_none() {
        tracing::info!("no GPU: the webview paints with the CPU");
        set.push((CPU_RENDERING_VAR, "1".into()));
    }
    set
}
