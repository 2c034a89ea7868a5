//! `kioskctl bundle`.

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use jiff::{SignedDuration, Timestamp};
use kiosk_authoring::build::Progress;
use kiosk_authoring::keys::{read_public_key, read_secret_key};
use kiosk_authoring::{BuildOptions, build_bundle};
use kiosk_core::verify::TrustPolicy;
use kiosk_device::bundle_folder::{BundlePaths, MAX_MANIFEST_BYTES, verify_bundle};
use kiosk_device::untrusted_file;

/// `kioskctl bundle …`
#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Builds a signed bundle from an author's content folder (such as media/).
    Build {
        /// The content folder.
        source_dir: PathBuf,
        /// Channel the release is for.
        #[arg(long)]
        channel: String,
        /// Release version; must grow with every release of the channel.
        #[arg(long)]
        version: u64,
        /// Secret key file (from `kioskctl keys generate`).
        #[arg(long)]
        key: PathBuf,
        /// Output folder; must not exist.
        #[arg(long)]
        out: PathBuf,
        /// Devices refuse the release this many days after the build.
        #[arg(long)]
        expires_in_days: Option<u32>,
        /// Do not probe the films with GStreamer (their facts are then not recorded,
        /// and an unplayable film is not caught here).
        #[arg(long)]
        no_probe: bool,
    },
    /// Writes a channel's current release as a bundle folder (for a USB stick),
    /// from the server or from a screen's data folder.
    Export {
        /// The server (or a mirror), e.g. `http://127.0.0.1:8780`.
        #[arg(long, conflicts_with = "data_dir", required_unless_present = "data_dir")]
        server: Option<String>,
        /// The server's certificate or its CA (PEM), the only one trusted for
        /// an `https://` server.
        #[arg(long, value_name = "FILE.pem", requires = "server")]
        server_certificate: Option<PathBuf>,
        /// A screen's data folder, instead of a server.
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// The channel.
        #[arg(long)]
        channel: String,
        /// The folder to write; must not exist.
        #[arg(long)]
        out: PathBuf,
    },
    /// Verifies a bundle: exit 0 when valid, else one line naming what failed.
    Verify {
        /// The bundle folder.
        dir: PathBuf,
        /// A trusted public key file; repeat for several.
        #[arg(long = "public-key", required = true)]
        public_keys: Vec<PathBuf>,
        /// The channel it must be for; default: the one it names.
        #[arg(long)]
        channel: Option<String>,
    },
}

pub fn run(command: BundleCommand) -> Result<()> {
    match command {
        BundleCommand::Build { source_dir, channel, version, key, out, expires_in_days, no_probe } => {
            let now = Timestamp::now();
            let mut options = BuildOptions::new(&channel, version, now, read_secret_key(&key)?);
            options.probe = (!no_probe).then_some(kiosk_media::manifest_probe as kiosk_authoring::ProbeFilm);
            options.expires_at = expires_in_days
                .map(|days| now.checked_add(SignedDuration::from_hours(i64::from(days) * 24)))
                .transpose()?;
            let built = build_with_progress(&source_dir, &out, &options)?;
            crate::translations::print_summary(&source_dir);
            let m = &built.manifest;
            println!(
                "built {}: channel {}, version {}, {} blobs, {:.1} MB, manifest {}",
                built.dir.display(),
                m.channel,
                m.version,
                m.blobs.len(),
                m.total_blob_bytes() as f64 / 1e6,
                built.manifest_sha256
            );
            Ok(())
        }
        BundleCommand::Export { server, server_certificate, data_dir, channel, out } => {
            let token = crate::secret::from_env(crate::secret::EXPORT_TOKEN);
            let source = match (&server, &data_dir) {
                (Some(url), _) => crate::export::ExportSource::Server {
                    url,
                    token: token.as_deref(),
                    certificate: server_certificate.as_deref(),
                },
                (None, Some(dir)) => crate::export::ExportSource::DataDir(dir),
                (None, None) => bail!("give --server or --data-dir"),
            };
            let m = crate::export::export(&source, &channel, &out)?;
            println!(
                "exported {} version {} to {}: {} blobs, {:.1} MB",
                m.channel,
                m.version,
                out.display(),
                m.blobs.len(),
                m.total_blob_bytes() as f64 / 1e6
            );
            Ok(())
        }
        BundleCommand::Verify { dir, public_keys, channel } => {
            let keys = public_keys.iter().map(|p| read_public_key(p)).collect::<Result<Vec<_>, _>>()?;
            let channel = match channel {
                Some(channel) => channel,
                None => claimed_channel(&dir)?,
            };
            let policy = TrustPolicy { keys: &keys, channel: &channel, trusted: None, now: Timestamp::now() };
            match verify_bundle(&dir, &policy) {
                Ok(verified) => {
                    let m = &verified.manifest;
                    println!(
                        "valid: channel {}, version {}, {} blobs ({:.1} MB), signed by key {}",
                        m.channel,
                        m.version,
                        m.blobs.len(),
                        m.total_blob_bytes() as f64 / 1e6,
                        verified.key_id
                    );
                    Ok(())
                }
                Err(error) => match error.rejection() {
                    Some(rejection) => bail!("bundle refused ({}): {error}", rejection.code()),
                    None => bail!("bundle refused: {error}"),
                },
            }
        }
    }
}

/// Builds a bundle with a progress bar on standard error.
pub fn build_with_progress(
    source_dir: &std::path::Path,
    out: &std::path::Path,
    options: &BuildOptions,
) -> Result<kiosk_authoring::Built> {
    let bar = ProgressBar::hidden();
    let built = build_bundle(source_dir, out, options, &mut |progress| match progress {
        Progress::Planned { files, bytes } => {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.set_length(bytes);
            bar.set_style(
                ProgressStyle::with_template("hashing {msg} files: {bytes}/{total_bytes} {wide_bar}")
                    .expect("valid template"),
            );
            bar.set_message(files.to_string());
        }
        Progress::Copied(bytes) => bar.inc(bytes),
    })
    .with_context(|| format!("building a bundle from {}", source_dir.display()))?;
    bar.finish_and_clear();
    Ok(built)
}

/// The channel a manifest names, read before verification only to choose the
/// policy; the signature check that follows covers it.
fn claimed_channel(dir: &std::path::Path) -> Result<String> {
    let path = BundlePaths::in_dir(dir).manifest;
    let bytes = untrusted_file::read(&path, MAX_MANIFEST_BYTES)
        .map_err(|error| anyhow!("bundle refused: {error}"))?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    Ok(value.get("channel").and_then(|c| c.as_str()).unwrap_or_default().to_owned())
}
