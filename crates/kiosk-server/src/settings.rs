//! What the server needs to start, and the binary's TOML config file.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use crate::clock::Clock;

/// The largest blob accepted by default: 2 GiB.
pub const DEFAULT_MAX_BLOB_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// The largest JSON body accepted (a manifest, a report): 8 MiB, as for `manifest.json`.
pub const MAX_JSON_BYTES: usize = 8 * 1024 * 1024;

/// Where the server keeps its state and who may administer it.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Holds `server.sqlite`, `blobs/` and `signing.key`; created when missing.
    pub data_dir: PathBuf,
    /// The bearer token of the admin API.
    pub admin_token: String,
    /// The largest blob `PUT /v1/admin/blobs/{sha256}` accepts.
    pub max_blob_bytes: u64,
    /// How often an event stream sends a keep-alive comment.
    pub keep_alive: Duration,
    /// Where every time the server stamps comes from.
    pub clock: Clock,
    /// The staff console's built files (`ui/console/dist`), served at `/console/`;
    /// `None` serves no console.
    pub console_dir: Option<PathBuf>,
}

impl Settings {
    /// Settings with the defaults: 2 GiB blobs, a keep-alive every 15 s, the
    /// system clock.
    pub fn new(data_dir: PathBuf, admin_token: String) -> Self {
        Self {
            data_dir,
            admin_token,
            max_blob_bytes: DEFAULT_MAX_BLOB_BYTES,
            keep_alive: Duration::from_secs(15),
            clock: Clock::system(),
            console_dir: None,
        }
    }

    /// The same settings, telling the time by `clock`.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
}

/// The binary's config file (`kiosk-server --config FILE`), TOML.
///
/// ```toml
/// listen = "0.0.0.0:8780"
/// data_dir = "/var/lib/kiosk-server"
/// admin_token = "a long random string"
/// max_blob_bytes = 2147483648   # optional
/// console_dir = "/usr/share/binhduong-kiosk-server/console"   # optional
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The address to listen on.
    pub listen: SocketAddr,
    /// The data folder.
    pub data_dir: PathBuf,
    /// The admin API's bearer token.
    pub admin_token: String,
    /// The largest blob accepted, in bytes.
    #[serde(default)]
    pub max_blob_bytes: Option<u64>,
    /// The staff console's built files.
    #[serde(default)]
    pub console_dir: Option<PathBuf>,
}

impl ConfigFile {
    /// Parses the TOML text of a config file.
    pub fn parse(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }

    /// The settings this file describes.
    pub fn settings(&self) -> Settings {
        let mut settings = Settings::new(self.data_dir.clone(), self.admin_token.clone());
        if let Some(max) = self.max_blob_bytes {
            settings.max_blob_bytes = max;
        }
        settings.console_dir = self.console_dir.clone();
        settings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_config_file_and_refuses_unknown_keys() {
        let config = ConfigFile::parse(
            "listen = \"127.0.0.1:9000\"\ndata_dir = \"/tmp/x\"\nadmin_token = \"t\"\nmax_blob_bytes = 10\n",
        )
        .unwrap();
        assert_eq!(config.listen.port(), 9000);
        assert_eq!(config.settings().max_blob_bytes, 10);
        let err =
            ConfigFile::parse("listen = \"127.0.0.1:1\"\ndata_dir = \"x\"\nadmin_token = \"t\"\nport = 1\n");
        assert!(err.unwrap_err().to_string().contains("unknown field"));
    }
}
