//! `kioskctl bundle export`: a release written as a bundle folder (a USB stick
//! for a fair abroad), from the central server or from a screen's data folder.
//! Nothing is verified here: the screens that import it verify everything.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use kiosk_core::manifest::Manifest;

/// Where the release comes from.
pub enum ExportSource<'a> {
    /// The server (or a mirror), with a token that may read the channel.
    Server {
        /// Its address.
        url: &'a str,
        /// A device or admin token.
        token: Option<&'a str>,
        /// The certificate or CA pinned for `https://`.
        certificate: Option<&'a Path>,
    },
    /// A screen's data folder.
    DataDir(&'a Path),
}

/// Writes the channel's current release from `source` into `out` (which must
/// not exist), through `<out>.partial` renamed at the end.
pub fn export(source: &ExportSource<'_>, channel: &str, out: &Path) -> Result<Manifest> {
    if out.exists() {
        bail!("{}: already exists; choose a new folder", out.display());
    }
    let partial = PathBuf::from(format!("{}.partial", out.display()));
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(partial.join("blobs"))
        .with_context(|| format!("creating {}", partial.display()))?;
    let manifest = match source {
        ExportSource::Server { url, token, certificate } => {
            let http =
                crate::server::client(url, *certificate, reqwest::blocking::Client::builder().timeout(None))?;
            from_server(&http, url, *token, channel, &partial)?
        }
        ExportSource::DataDir(dir) => from_data_dir(dir, channel, &partial)?,
    };
    std::fs::rename(&partial, out).with_context(|| format!("renaming to {}", out.display()))?;
    Ok(manifest)
}

fn from_server(
    http: &reqwest::blocking::Client,
    url: &str,
    token: Option<&str>,
    channel: &str,
    partial: &Path,
) -> Result<Manifest> {
    let get = |path: String| {
        let request = http.get(format!("{}{path}", url.trim_end_matches('/')));
        let request = match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        let response =
            request.send().with_context(|| format!("{url}{path}: the server cannot be reached"))?;
        if !response.status().is_success() {
            bail!("{url}{path}: {}", response.status());
        }
        Ok(response)
    };
    let response = get(format!("/v1/channels/{channel}/manifest"))?;
    let signature = response
        .headers()
        .get("x-manifest-signature")
        .and_then(|v| hex::decode(v.as_bytes()).ok())
        .context("the server sent no manifest signature")?;
    let bytes = response.bytes()?.to_vec();
    let manifest = Manifest::decode(&bytes).context("the server's manifest cannot be read")?;
    std::fs::write(partial.join("manifest.json"), &bytes)?;
    for blob in &manifest.blobs {
        let mut response = get(format!("/v1/blobs/{}", blob.sha256))?;
        let path = partial.join("blobs").join(blob.sha256.as_str());
        let mut file = std::fs::File::create(&path)?;
        std::io::copy(&mut (&mut response).take(blob.size + 1), &mut file)?;
        file.sync_all()?;
    }
    // The signature last: a bundle is complete when manifest.sig exists.
    std::fs::write(partial.join("manifest.sig"), signature)?;
    Ok(manifest)
}

fn from_data_dir(dir: &Path, channel: &str, partial: &Path) -> Result<Manifest> {
    let library = kiosk_device::library::Library::open(dir)?;
    let Some(version) = library.versions(channel).into_iter().next() else {
        bail!("{}: no release of channel {channel:?}", dir.display());
    };
    let release = dir.join("releases").join(channel).join(version.to_string());
    let bytes = std::fs::read(release.join("manifest.json"))?;
    let manifest = Manifest::decode(&bytes).context("the stored manifest cannot be read")?;
    std::fs::write(partial.join("manifest.json"), &bytes)?;
    for blob in &manifest.blobs {
        let from = library.pool_path(&blob.sha256);
        std::fs::copy(&from, partial.join("blobs").join(blob.sha256.as_str()))
            .with_context(|| format!("{}: missing from the pool", from.display()))?;
    }
    std::fs::copy(release.join("manifest.sig"), partial.join("manifest.sig"))?;
    Ok(manifest)
}
