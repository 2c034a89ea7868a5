//! Builds the default content bundle from `media/` (or `KIOSK_BUILT_IN_MEDIA`), signed with the development
//! key or `KIOSK_BUILT_IN_KEY` for production builds, for the app to embed,
//! warns of texts missing or stale in a locale (never failing the build), and
//! declares the app's commands for Tauri's permission system.

use std::path::{Path, PathBuf};

fn main() {
    build_default_bundle();
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "session",
            "content",
            "unlock_staff",
            "leave_kiosk",
            "report_media_error",
            "player_plan",
            "record_events",
            "new_visit",
            "sound_touch",
            "sound_duck",
            "staff_status",
            "emergency",
            "check_in",
            "group_clock",
            "log_frames",
        ]),
    ))
    .expect("tauri build step");
}

fn build_default_bundle() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("..");
    let media =
        std::env::var_os("KIOSK_BUILT_IN_MEDIA").map(PathBuf::from).unwrap_or_else(|| root.join("media"));
    let key = std::env::var_os("KIOSK_BUILT_IN_KEY")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("kiosk-config/dev-keys/content-dev.key"));
    println!("cargo:rerun-if-changed={}", media.display());
    println!("cargo:rerun-if-changed={}", key.display());
    println!("cargo:rerun-if-env-changed=KIOSK_BUILT_IN_KEY");
    println!("cargo:rerun-if-env-changed=KIOSK_BUILT_IN_MEDIA");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");

    // The version grows with every build, so a device that kept an older built-in
    // release accepts the new one; SOURCE_DATE_EPOCH makes a build reproducible.
    let created_at = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(seconds) => jiff_from(seconds.parse().expect("SOURCE_DATE_EPOCH is a number of seconds")),
        Err(_) => jiff::Timestamp::now(),
    };
    let version = created_at.as_second() as u64;
    let secret =
        kiosk_authoring::keys::read_secret_key(&key).unwrap_or_else(|e| panic!("built-in bundle key: {e}"));
    let options = kiosk_authoring::BuildOptions::new("default", version, created_at, secret);
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("default-bundle");
    if out.exists() {
        std::fs::remove_dir_all(&out).expect("remove the previous built-in bundle");
    }
    if let Err(error) = kiosk_authoring::build_bundle(&media, &out, &options, &mut |_| {}) {
        panic!("the default content in media/ does not build: {error}");
    }
    warn_of_translations(&media);
}

/// One warning per locale with texts missing, stale or unconfirmed. The build
/// goes on: on screen a missing text falls back to the default locale's.
fn warn_of_translations(media: &Path) {
    match kiosk_authoring::translations::check_folder(media) {
        Ok(reports) => {
            for report in reports.iter().filter(|report| !report.is_complete()) {
                println!(
                    "cargo:warning=translations {} (see `kioskctl translations check`)",
                    report.summary(3)
                );
            }
        }
        Err(error) => {
            println!("cargo:warning=translations not checked: {}", error.to_string().replace('\n', " "))
        }
    }
}

fn jiff_from(seconds: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(seconds).expect("SOURCE_DATE_EPOCH in range")
}
