//! `kioskctl`: the command line for keys, bundles and device set-up.
//!
//! ```text
//! kioskctl keys generate --out DIR [--name NAME]
//! kioskctl bundle build SOURCE_DIR --channel NAME --version N --key SECRET_KEY --out DIR [--expires-in-days N]
//! kioskctl bundle export (--server URL [--server-certificate PEM] | --data-dir DIR) --channel NAME --out DIR   (token: $KIOSK_TOKEN)
//! kioskctl bundle verify DIR --public-key FILE [--public-key FILE …] [--channel NAME]
//! kioskctl pin hash [PIN]
//! kioskctl media probe FILE
//! kioskctl media thumbnail FILE --out PNG [--at-ms N] [--width N]
//! kioskctl sync --server URL [--server-certificate PEM] --data-dir DIR --public-key FILE --channel NAME [--once]   (token: $KIOSK_DEVICE_TOKEN)
//! kioskctl mirror --data-dir DIR --public-key FILE --channel NAME [--listen ADDR]
//! kioskctl publish SOURCE_DIR --server URL [--server-certificate PEM] --channel NAME   (token: $KIOSK_ADMIN_TOKEN)
//! kioskctl enrol --server URL [--server-certificate PEM] --code CODE --config FILE [--name NAME]
//! kioskctl renew --config FILE
//! kioskctl translations check [MEDIA_DIR]
//! kioskctl translations confirm [MEDIA_DIR] --locale TAG [--place PLACE …]
//! ```
//!
//! Each verb is a few lines over `kiosk-authoring` and `kiosk-device`. Tokens
//! come from the environment, never the command line (`secret`); an `https://`
//! server is trusted only with the certificate or CA pinned (`server`).

mod bundle;
mod enrol;
mod export;
mod keys;
mod media;
mod pin;
mod publish;
mod renew;
mod secret;
mod server;
mod sync;
mod translations;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Keys, bundles and device set-up for the Bình Dương kiosk.
#[derive(Debug, Parser)]
#[command(name = "kioskctl", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Signing keys.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Signed content bundles.
    #[command(subcommand)]
    Bundle(bundle::BundleCommand),
    /// The staff PIN.
    #[command(subcommand)]
    Pin(pin::PinCommand),
    /// Media files: facts and thumbnails.
    #[command(subcommand)]
    Media(media::MediaCommand),
    /// Fetch, verify and activate a channel's release from a server or a mirror,
    /// as a screen does, without a window.
    Sync(sync::SyncArgs),
    /// Serve a data folder's verified release to the other screens of a booth.
    Mirror(sync::MirrorArgs),
    /// Build a release from a content folder and publish it on the server.
    Publish(publish::PublishArgs),
    /// Enrol this screen with the central server: trade a one-time code for a
    /// device token and write it, the server and the channel into the config.
    Enrol(enrol::EnrolArgs),
    /// Trade this screen's device token, before it expires, for a fresh one and
    /// write it into the config.
    Renew(renew::RenewArgs),
    /// Texts missing or stale in each locale of a content folder.
    #[command(subcommand)]
    Translations(translations::TranslationsCommand),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Keys(command) => keys::run(command),
        Command::Bundle(command) => bundle::run(command),
        Command::Pin(command) => pin::run(command),
        Command::Media(command) => media::run(command),
        Command::Sync(args) => sync::sync(args),
        Command::Mirror(args) => sync::mirror(args),
        Command::Publish(args) => publish::publish(args),
        Command::Enrol(args) => enrol::enrol(args),
        Command::Renew(args) => renew::renew(args),
        Command::Translations(command) => translations::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kioskctl: {error:#}");
            ExitCode::FAILURE
        }
    }
}
