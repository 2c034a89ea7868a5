//! `kiosk-server`: the central server of the kiosk fleet.
//!
//! `kiosk-server --config FILE` reads a TOML file (`listen`, `data_dir`,
//! `admin_token`, optional `max_blob_bytes`). Without one it listens on
//! `127.0.0.1:8780`, keeps its data under `$XDG_DATA_HOME/binhduong-kiosk-server`
//! and makes a random admin token on first start, printed once to stderr and kept
//! in the data folder (`admin.token`, readable by its owner only).

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Parser;
use kiosk_server::Settings;
use kiosk_server::settings::ConfigFile;

/// The central server of the Bình Dương kiosk fleet.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// TOML config file with `listen`, `data_dir` and `admin_token`.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

const DEFAULT_LISTEN: &str = "127.0.0.1:8780";
const TOKEN_FILE: &str = "admin.token";

fn default_data_dir() -> anyhow::Result<PathBuf> {
    let base = match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").context("neither XDG_DATA_HOME nor HOME is set")?)
            .join(".local/share"),
    };
    Ok(base.join("binhduong-kiosk-server"))
}

fn load_or_create_admin_token(dir: &Path) -> anyhow::Result<String> {
    let path = dir.join(TOKEN_FILE);
    if path.exists() {
        let token = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        return Ok(token.trim().to_owned());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let token = kiosk_server::admin::random_hex::<32>();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&path).with_context(|| format!("creating {}", path.display()))?;
    file.write_all(format!("{token}\n").as_bytes())?;
    file.sync_all()?;
    eprintln!("kiosk-server: new admin token (kept in {}): {token}", path.display());
    Ok(token)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let (listen, settings): (SocketAddr, Settings) = match &cli.config {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            let config = ConfigFile::parse(&text).with_context(|| format!("reading {}", path.display()))?;
            (config.listen, config.settings())
        }
        None => {
            let dir = default_data_dir()?;
            let token = load_or_create_admin_token(&dir)?;
            (DEFAULT_LISTEN.parse()?, Settings::new(dir, token))
        }
    };
    let listener =
        tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    };
    kiosk_server::serve(settings, listener, shutdown).await?;
    Ok(())
}
