//! How the webview paints: with the GPU when there is one, else with the CPU.
//!
//! WebKitGTK paints with Skia on the GPU by default. A machine without a GPU
//! (no DRM render node: a small PC without graphics drivers, a virtual machine, a
//! test machine) still offers OpenGL, emulated in software, and painting through
//! it is several times slower than Skia's own CPU painter: frames that take
//! hundreds of milliseconds instead of a few. Without a render node the app
//! therefore asks WebKit to paint with the CPU.

use std::path::Path;

/// Where Linux lists DRM devices.
pub const DRI_DIR: &str = "/dev/dri";

/// The environment variable that makes WebKit paint with Skia on the CPU.
pub const CPU_RENDERING_VAR: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// Whether the names in `/dev/dri` include a render node (`renderD128`, …).
pub fn lists_a_render_node<'a>(names: impl IntoIterator<Item = &'a str>) -> bool {
    names.into_iter().any(|name| name.starts_with("renderD"))
}

/// Whether this machine has a GPU the webview can render with.
pub fn has_render_node() -> bool {
    std::fs::read_dir(Path::new(DRI_DIR)).is_ok_and(|entries| {
        let names: Vec<String> =
            entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        lists_a_render_node(names.iter().map(String::as_str))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_node_means_a_gpu() {
        assert!(lists_a_render_node(["card0", "renderD128"]));
        assert!(!lists_a_render_node(["card0"]));
        assert!(!lists_a_render_node([]));
    }
}
