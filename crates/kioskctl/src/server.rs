//! The server a verb talks to: plain `http://`, or `https://` trusting only the
//! certificate or CA the operator pins with `--server-certificate`, as a
//! screen trusts only the one its config pins.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use clap::Args;
use kiosk_tls::PinnedServer;
use reqwest::blocking::{Client, ClientBuilder};

/// `--server` and `--server-certificate`.
#[derive(Debug, Args)]
pub struct ServerArgs {
    /// The central server, e.g. `https://kiosk.wtc-binhduong.vn:8780`.
    #[arg(long)]
    pub server: String,
    /// The server's certificate or its CA (PEM), the only one trusted for an
    /// `https://` server.
    #[arg(long, value_name = "FILE.pem")]
    pub server_certificate: Option<PathBuf>,
}

impl ServerArgs {
    /// The address without a trailing `/`.
    pub fn base(&self) -> &str {
        self.server.trim_end_matches('/')
    }

    /// `builder` made into a client for this server.
    pub fn client(&self, builder: ClientBuilder) -> Result<Client> {
        client(&self.server, self.server_certificate.as_deref(), builder)
    }
}

/// The certificate pinned for `server`: required for `https://`, refused for
/// `http://`.
pub fn pinned(server: &str, certificate: Option<&Path>) -> Result<Option<PinnedServer>> {
    match (server.starts_with("https://"), certificate) {
        (true, Some(file)) => {
            Ok(Some(PinnedServer::load(file).map_err(|e| anyhow!("--server-certificate: {e}"))?))
        }
        (true, None) => bail!(
            "--server {server} needs --server-certificate: the server's certificate or its CA (PEM), \
             the only one trusted"
        ),
        (false, Some(_)) => bail!("--server-certificate is for an https:// server, and --server is {server}"),
        (false, None) => Ok(None),
    }
}

/// `builder` made into a client for `server`, trusting only `certificate` over TLS.
pub fn client(server: &str, certificate: Option<&Path>, builder: ClientBuilder) -> Result<Client> {
    let builder = match pinned(server, certificate)? {
        Some(pinned) => builder.tls_backend_preconfigured(pinned.client_config()),
        None => builder,
    };
    Ok(builder.build()?)
}
