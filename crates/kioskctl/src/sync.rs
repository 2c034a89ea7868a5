//! `kioskctl sync` and `kioskctl mirror`: a screen's sync without a window, and a
//! lead kiosk's mirror for the other screens of a booth.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use kiosk_authoring::keys::read_public_key;
use kiosk_device::library::Trust;
use kiosk_device::sync_client::{SyncOutcome, SyncSource};
use kiosk_device::{DataDir, Screen, ScreenSetup};

use crate::secret;

/// `kioskctl sync`
#[derive(Debug, Args)]
pub struct SyncArgs {
    #[command(flatten)]
    server: crate::server::ServerArgs,
    /// The device's data folder.
    #[arg(long)]
    data_dir: PathBuf,
    #[command(flatten)]
    trust: TrustArgs,
    /// One round, then exit; otherwise poll every `--every` seconds.
    #[arg(long)]
    once: bool,
    /// Seconds between rounds.
    #[arg(long, default_value_t = 30)]
    every: u64,
}

/// `kioskctl mirror`
#[derive(Debug, Args)]
pub struct MirrorArgs {
    /// The data folder whose verified release is served.
    #[arg(long)]
    data_dir: PathBuf,
    #[command(flatten)]
    trust: TrustArgs,
    /// Where to listen, e.g. `0.0.0.0:8090`.
    #[arg(long, default_value = "0.0.0.0:8090")]
    listen: SocketAddr,
}

/// What a screen trusts: its channel and the keys it pins.
#[derive(Debug, Args)]
pub struct TrustArgs {
    /// A public key releases must be signed with (repeat for several).
    #[arg(long = "public-key", required = true)]
    public_keys: Vec<PathBuf>,
    /// The channel.
    #[arg(long)]
    channel: String,
    /// A public key emergency messages must be signed with (repeat for
    /// several); without one, emergency messages are refused.
    #[arg(long = "emergency-key")]
    emergency_keys: Vec<PathBuf>,
}

impl TrustArgs {
    fn load(&self) -> Result<Trust> {
        let keys = self.public_keys.iter().map(|p| read_public_key(p)).collect::<Result<Vec<_>, _>>()?;
        let emergency_keys =
            self.emergency_keys.iter().map(|p| read_public_key(p)).collect::<Result<Vec<_>, _>>()?;
        Ok(Trust::new(keys, self.channel.clone()).with_emergency_keys(emergency_keys))
    }
}

/// Runs `kioskctl sync`.
pub fn sync(args: SyncArgs) -> Result<()> {
    let trust = args.trust.load()?;
    let channel = trust.channel.clone();
    let screen = Screen::open(ScreenSetup::new(DataDir::new(&args.data_dir), trust))?;
    let source = SyncSource {
        base_url: args.server.base().to_owned(),
        token: secret::from_env(secret::DEVICE_TOKEN),
        server_certificate: crate::server::pinned(
            &args.server.server,
            args.server.server_certificate.as_deref(),
        )?,
    };
    loop {
        match screen.sync_round(source.clone()) {
            Ok(SyncOutcome::Activated { release, fetched, bytes, transferred }) => println!(
                "activated {} version {}: {fetched} blobs, {bytes} bytes ({transferred} received)",
                release.manifest.channel, release.manifest.version
            ),
            Ok(SyncOutcome::UpToDate) => println!("up to date"),
            Ok(SyncOutcome::NothingPublished) => println!("nothing published on channel {channel}"),
            Err(error) if args.once => return Err(error.into()),
            Err(error) => eprintln!("kioskctl: sync failed, trying again in {} s: {error}", args.every),
        }
        if args.once {
            return Ok(());
        }
        std::thread::sleep(Duration::from_secs(args.every.max(1)));
    }
}

/// Runs `kioskctl mirror` until interrupted.
pub fn mirror(args: MirrorArgs) -> Result<()> {
    let trust = args.trust.load()?;
    let channel = trust.channel.clone();
    // Bundles dropped in `incoming/` (a USB stick) are imported first.
    let screen = Screen::open(ScreenSetup::new(DataDir::new(&args.data_dir), trust))?;
    let release = screen
        .release()
        .with_context(|| format!("{}: nothing of channel {channel:?} to mirror", args.data_dir.display()))?;
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let addr = screen.serve_mirror(args.listen).await?;
        println!("mirroring {channel} version {} on http://{addr}", release.manifest.version);
        use std::io::Write;
        let _ = std::io::stdout().flush();
        let _ = tokio::signal::ctrl_c().await;
        Ok(())
    })
}
