//! Start-up, in order: logging, config, the process environment, the screen.

use anyhow::{Context, Result};

use kiosk_device::clock::DeviceClock;
use kiosk_device::config::LoadedConfig;
use kiosk_device::{DataDir, FilmCheck, Screen, ScreenParts};

use crate::Args;
use crate::window::WindowPlan;

/// What the window and the commands need.
pub struct Prepared {
    /// Shared with every command.
    pub screen: Screen,
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

/// Sets what `kiosk_device::screen_environment` decides (silence without a
/// sound card, CPU painting without a GPU). Must run before any thread starts.
pub fn set_environment(loaded: &LoadedConfig) {
    for (name, value) in kiosk_device::screen_environment(&DataDir::new(&loaded.data_dir)) {
        // SAFETY: called from `run` before the first thread is started, so no
        // other thread can read the environment concurrently.
        #[allow(unsafe_code)]
        unsafe {
            std::env::set_var(name, value);
        }
    }
}

/// Starts the screen as the config says, and plans the window.
pub fn prepare(loaded: LoadedConfig, args: &Args) -> Result<Prepared> {
    let clock = match args.clock_start {
        Some(start) => {
            tracing::warn!(%start, "the device clock is shifted for a rehearsal (--clock-start)");
            DeviceClock::starting_at(start)
        }
        None => DeviceClock::system(),
    };
    tracing::info!(config = %loaded.path.display(), data_dir = %loaded.data_dir.display(), "starting");
    let parts = ScreenParts {
        clock: Some(clock),
        built_in: Some(&crate::built_in::BUNDLE),
        film_check: Some(FilmCheck {
            decoder: kiosk_media::decoder_version(),
            decodes: Box::new(kiosk_media::check_decodes),
        }),
        event_log: args.event_log.clone(),
    };
    let screen = tauri::async_runtime::block_on(Screen::start(&loaded, parts))
        .with_context(|| format!("starting the screen of {}", loaded.path.display()))?;
    let window = &loaded.config.window;
    Ok(Prepared {
        screen,
        window: WindowPlan { fullscreen: window.fullscreen, width: window.width, height: window.height },
    })
}
