//! `kioskctl publish`: builds a release from an author's folder and publishes it
//! on the central server, which signs it with its own key.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;
use kiosk_authoring::BuildOptions;
use reqwest::blocking::{Client, RequestBuilder, Response};

use crate::bundle::build_with_progress;

/// `kioskctl publish`
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The content folder (the layout of media/).
    source_dir: PathBuf,
    #[command(flatten)]
    server: crate::server::ServerArgs,
    /// The channel to publish on (created when missing).
    #[arg(long)]
    channel: String,
    /// Do not probe the films with GStreamer.
    #[arg(long)]
    no_probe: bool,
}

/// Runs `kioskctl publish`.
pub fn publish(args: PublishArgs) -> Result<()> {
    let work = tempfile::tempdir().context("creating a temporary folder")?;
    // The server signs what it publishes; the local signature only holds the
    // bundle together until then.
    let key = ed25519_dalek::SigningKey::generate(&mut rand_core::OsRng);
    let mut options = BuildOptions::new(&args.channel, 1, jiff::Timestamp::now(), key);
    options.probe = (!args.no_probe).then_some(kiosk_media::manifest_probe as kiosk_authoring::ProbeFilm);
    let built = build_with_progress(&args.source_dir, &work.path().join("bundle"), &options)?;

    let base = args.server.base();
    let http = args.server.client(Client::builder().timeout(None))?;
    let admin_token = crate::secret::required(crate::secret::ADMIN_TOKEN, "the server's admin token")?;
    let admin = |request: RequestBuilder| request.bearer_auth(&admin_token);
    let channel = serde_json::json!({ "name": args.channel }).to_string();
    let url = format!("{base}/v1/admin/channels");
    expect_ok(admin(http.post(&url)).header("content-type", "application/json").body(channel).send(), &url)?;

    let (mut uploaded, mut bytes) = (0, 0);
    for blob in &built.manifest.blobs {
        let url = format!("{base}/v1/admin/blobs/{}", blob.sha256);
        if admin(http.get(&url)).send().is_ok_and(|r| r.status().is_success()) {
            continue; // already on the server
        }
        let path = built.dir.join("blobs").join(blob.sha256.as_str());
        let file = std::fs::File::open(&path).with_context(|| format!("reading {}", path.display()))?;
        expect_ok(admin(http.put(&url)).body(file).send(), &url)?;
        uploaded += 1;
        bytes += blob.size;
    }

    let url = format!("{base}/v1/admin/channels/{}/releases", args.channel);
    let manifest = std::fs::read(built.dir.join("manifest.json"))?;
    let response = expect_ok(
        admin(http.post(&url)).header("content-type", "application/json").body(manifest).send(),
        &url,
    )?;
    let answer: serde_json::Value = serde_json::from_str(&response.text()?).unwrap_or_default();
    println!(
        "published {} version {} ({} blobs, {uploaded} uploaded, {:.1} MB)",
        args.channel,
        answer["version"],
        built.manifest.blobs.len(),
        bytes as f64 / 1e6
    );
    Ok(())
}

/// The response, or an error with the server's own words.
pub(crate) fn expect_ok(sent: reqwest::Result<Response>, url: &str) -> Result<Response> {
    let response = sent.with_context(|| format!("{url}: the server cannot be reached"))?;
    if response.status().is_success() {
        return Ok(response);
    }
    let status = response.status();
    let body: serde_json::Value =
        serde_json::from_str(&response.text().unwrap_or_default()).unwrap_or_default();
    match body["message"].as_str() {
        Some(message) => bail!("{url}: {status}: {message}"),
        None => bail!("{url}: {status}"),
    }
}
