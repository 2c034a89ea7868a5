//! Start-up, in order: logging, config, sound, content, servers.

use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use kiosk_core::blob::BlobId;
use kiosk_device::library::ActiveRelease;
use kiosk_device::sync_client::SyncSource;
use kiosk_device::sync_loop::{SharedSyncStatus, SyncHooks, spawn_sync_loop};
use kiosk_device::usb_watch::spawn_watch_loop;

use kiosk_device::clock::DeviceClock;
use kiosk_device::config::LoadedConfig;
use kiosk_device::current_release::CurrentRelease;
use kiosk_device::emergency::CurrentEmergency;
use kiosk_device::events::EventRecorder;
use kiosk_device::lan_address::brochure_base_url;
use kiosk_device::library::{Library, Trust};
use kiosk_device::playability::undecodable_films;
use kiosk_device::rendering::{CPU_RENDERING_VAR, has_render_node};
use kiosk_device::signage_view::PlayerSettings;
use kiosk_device::sound_output::{has_sound_card, silent_sink_ranks, write_silent_alsa_config};
use kiosk_device::store::Store;

use crate::Args;
use crate::commands::{AppState, BrochureAddress};
use crate::window::WindowPlan;

/// What the window and the commands need.
pub struct Prepared {
    /// Shared with every command.
    pub state: AppState,
    /// How to open the window.
    pub window: WindowPlan,
}

/// Logs to standard error; `RUST_LOG` narrows or widens (default `info`).
pub fn init_logging() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
}

/// Reads and checks the config file.
pub fn load_config(args: &Args) -> Result<LoadedConfig> {
    Ok(LoadedConfig::load(&args.config)?)
}

/// Without a sound card, points ALSA at a silent default device and takes the
/// audio sinks out of GStreamer's choice, so that films play silently and at
/// their own pace instead of stalling the webview or racing (see
/// `kiosk_device::sound_output`). Must run before any thread starts.
pub fn silence_without_sound_card(loaded: &LoadedConfig) {
    if has_sound_card() || std::env::var_os("ALSA_CONFIG_PATH").is_some() {
        return;
    }
    match write_silent_alsa_config(&loaded.data_dir) {
        Ok(path) => {
            tracing::info!(alsa_config = %path.display(), "no sound card: the kiosk runs silent");
            // SAFETY: called from `run` before the first thread is started, so no
            // other thread can read the environment concurrently.
            #[allow(unsafe_code)]
            unsafe {
                std::env::set_var("ALSA_CONFIG_PATH", path);
                let ranks = silent_sink_ranks(std::env::var("GST_PLUGIN_FEATURE_RANK").ok().as_deref());
                std::env::set_var("GST_PLUGIN_FEATURE_RANK", ranks);
            }
        }
        Err(error) => tracing::warn!(%error, "no sound card, and no silent audio configuration either"),
    }
}

/// Without a GPU, has the webview paint with the CPU, which is much faster than
/// OpenGL emulated in software (see `kiosk_device::rendering`). Must run before
/// any thread starts; a value already in the environment is kept.
pub fn paint_with_cpu_without_gpu() {
    if has_render_node() || std::env::var_os(CPU_RENDERING_VAR).is_some() {
        return;
    }
    tracing::info!("no GPU: the webview paints with the CPU");
    // SAFETY: called from `run` before the first thread is started, so no other
    // thread can read the environment concurrently.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var(CPU_RENDERING_VAR, "1");
    }
}

/// Fetches new releases in the background when `[sync]` is set; each one that
/// verified completely is checked for films this machine cannot decode and then
/// shown (the player switches at its next item).
fn start_sync(
    loaded: &LoadedConfig,
    trust: Trust,
    clock: DeviceClock,
    release: &CurrentRelease,
    undecodable: &Arc<RwLock<BTreeMap<BlobId, String>>>,
    emergency: &CurrentEmergency,
    events: &Arc<EventRecorder>,
) -> Option<SharedSyncStatus> {
    let Some(sync) = &loaded.config.sync else { return None };
    let source = SyncSource { base_url: sync.server.0.clone(), token: sync.token.clone() };
    let every = Duration::from_secs(u64::from(sync.every_secs.0));
    tracing::info!(server = source.base_url, every_secs = sync.every_secs.0, "syncing releases");
    let (emergency, events) = (emergency.clone(), events.clone());
    let hooks = SyncHooks {
        activated: Box::new(shower(loaded, release, undecodable)),
        emergency: Box::new(move |message| emergency.set(message)),
        heartbeat: Box::new(move || {
            let mut extra = serde_json::Map::new();
            extra.insert("current_item".into(), events.now_playing().unwrap_or_default());
            extra
        }),
    };
    spawn_sync_loop(loaded.data_dir.clone(), trust, source, every, clock, hooks)
        .inspect_err(|error| tracing::error!(%error, "sync could not start"))
        .ok()
}

/// What to do with a new release that verified completely: check its films with
/// this machine's decoders, then show it (the player switches at its next item).
fn shower(
    loaded: &LoadedConfig,
    release: &CurrentRelease,
    undecodable: &Arc<RwLock<BTreeMap<BlobId, String>>>,
) -> impl Fn(ActiveRelease) + Send + 'static {
    let (data_dir, shown, refused) = (loaded.data_dir.clone(), release.clone(), undecodable.clone());
    move |new| {
        if let Ok(mut store) = Store::open(&data_dir.join("kiosk.sqlite")) {
            let films = undecodable_films(
                &new,
                &mut store,
                &kiosk_media::decoder_version(),
                &kiosk_media::check_decodes,
            );
            *refused.write().unwrap_or_else(|p| p.into_inner()) = films;
        }
        tracing::info!(version = new.manifest.version, "new release shown");
        shown.set(new);
    }
}

/// Watches `content.watch_dirs` (a USB stick's mount point) for bundles.
fn start_usb_watch(
    loaded: &LoadedConfig,
    trust: Trust,
    clock: DeviceClock,
    release: &CurrentRelease,
    undecodable: &Arc<RwLock<BTreeMap<BlobId, String>>>,
) {
    if loaded.watch_dirs.is_empty() {
        return;
    }
    tracing::info!(dirs = ?loaded.watch_dirs, "watching for bundles");
    let show = shower(loaded, release, undecodable);
    if let Err(error) =
        spawn_watch_loop(loaded.data_dir.clone(), loaded.watch_dirs.clone(), trust, clock, show)
    {
        tracing::error!(%error, "watching for bundles could not start");
    }
}

/// Serves the shown release to the booth's other screens when `[mirror]` is set.
fn start_mirror(loaded: &LoadedConfig, release: &CurrentRelease) {
    let Some(mirror) = &loaded.config.mirror else { return };
    let listen = mirror.listen;
    let (data_dir, release) = (loaded.data_dir.clone(), release.clone());
    let served = tauri::async_runtime::block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        kiosk_device::mirror::serve_mirror(listener, data_dir, release, std::future::pending())
    });
    match served {
        Ok(addr) => tracing::info!(%addr, "mirroring this screen's release to the booth"),
        Err(error) => tracing::error!(%listen, %error, "mirror unavailable: cannot listen"),
    }
}

/// The development key's public half; its secret half is in the repository.
const DEVELOPMENT_KEY: &str = include_str!("../../kiosk-config/dev-keys/content-dev.pub");

/// Activates the newest valid content and starts the servers.
pub fn prepare(loaded: LoadedConfig, args: &Args) -> Result<Prepared> {
    let config = &loaded.config;
    let clock = match args.clock_start {
        Some(start) => {
            tracing::warn!(%start, "the device clock is shifted for a rehearsal (--clock-start)");
            DeviceClock::starting_at(start)
        }
        None => DeviceClock::system(),
    };
    if let Ok(dev) = kiosk_core::keys::parse_public_key(DEVELOPMENT_KEY)
        && loaded.trusted_keys.contains(&dev)
    {
        tracing::warn!(
            "the development key is trusted: anyone with this repository can sign content for this kiosk; \
             pin your own key in content.trusted_keys before it stands in public"
        );
    }
    tracing::info!(config = %loaded.path.display(), data_dir = %loaded.data_dir.display(), "starting");

    let library = Library::open(&loaded.data_dir)?;
    let built_in = crate::built_in::write_built_in_bundle(&loaded.data_dir)
        .inspect_err(|error| tracing::error!(%error, "built-in content could not be written"))
        .ok();
    let trust = Trust { keys: loaded.trusted_keys.clone(), channel: config.content.channel.0.clone() };
    let release = library.start(&trust, built_in.as_deref(), clock.now())?;
    let mut store = Store::open(&library.data_dir().join("kiosk.sqlite"))?;
    let undecodable = Arc::new(RwLock::new(undecodable_films(
        &release,
        &mut store,
        &kiosk_media::decoder_version(),
        &kiosk_media::check_decodes,
    )));
    let sound = crate::sound::start_sound(&config.sound, config.mode, &release, clock, config.time_zone());
    let release = CurrentRelease::new(release);
    start_usb_watch(&loaded, trust.clone(), clock, &release, &undecodable);

    // A screen that stayed offline for very long keeps its newest events.
    if let Err(error) = store.bound_outbox(
        kiosk_device::sync_client::OUTBOX_MAX_EVENTS,
        kiosk_device::sync_client::OUTBOX_KEEP_UPLOADED,
        clock.now(),
    ) {
        tracing::warn!(%error, "outbox not bounded");
    }
    let mut events = EventRecorder::new(store, clock);
    if let Some(path) = &args.event_log {
        events = events
            .with_log_file(path)
            .with_context(|| format!("opening the event log {}", path.display()))?;
    }
    let events = Arc::new(events);
    let emergency = CurrentEmergency::new(kiosk_device::emergency::load(&loaded.data_dir, &trust));
    let sync_status = start_sync(&loaded, trust, clock, &release, &undecodable, &emergency, &events);
    start_mirror(&loaded, &release);

    let media = tauri::async_runtime::block_on(kiosk_device::media_server::start_media_server(
        release.clone(),
        std::future::pending(),
    ))
    .context("starting the media server on 127.0.0.1")?;

    let listen = config.brochures.listen;
    let brochure_base =
        brochure_base_url(config.brochures.public_base_url.as_ref().map(|u| u.0.as_str()), listen);
    let store = Store::open(&library.data_dir().join("kiosk.sqlite"))?;
    let served = tauri::async_runtime::block_on(async {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        kiosk_device::brochure_server::serve_brochures(
            listener,
            release.clone(),
            store,
            std::future::pending(),
        )
    });
    match served {
        Ok(addr) => tracing::info!(%addr, qr_base = brochure_base, "brochure downloads served"),
        Err(error) => tracing::error!(%listen, %error, "brochure downloads unavailable: cannot listen"),
    }

    let player = PlayerSettings {
        locales: config.signage.locales.clone(),
        crossfade_ms: config.signage.crossfade_ms.0,
        brand_corner: config.signage.brand_corner,
        time_zone: config.time_zone(),
        sound: config.sound.enabled,
        quiet_hours: config.sound.quiet_hours,
    };
    tracing::info!(
        mode = ?config.mode,
        time_zone = player.time_zone.iana_name().unwrap_or("system"),
        now = %clock.now(),
        "device ready"
    );
    Ok(Prepared {
        state: AppState {
            mode: config.mode,
            release,
            media_base: media.base_url,
            brochures: BrochureAddress {
                public_base_url: config.brochures.public_base_url.as_ref().map(|u| u.0.clone()),
                listen,
            },
            start_locale: config.kiosk.start_locale.clone(),
            idle_timeout_secs: config.kiosk.idle_timeout_secs.0,
            pin_hash: config.staff.pin_hash.0.clone(),
            player,
            undecodable,
            clock,
            events,
            sound,
            emergency,
            sync_status,
            data_dir: loaded.data_dir.clone(),
            pin_guard: Default::default(),
            staff_unlocked: AtomicBool::new(false),
        },
        window: WindowPlan {
            fullscreen: config.window.fullscreen,
            width: config.window.width,
            height: config.window.height,
        },
    })
}
