//! The device's config file (`kiosk --config FILE`), as in `kiosk-config/*.toml`.
//!
//! Every value is checked while the TOML is read, so a mistake is reported with the
//! file, line, column and key, and what would be right. Unknown keys are errors too:
//! a misspelt key must not silently fall back to a default.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use ed25519_dalek::VerifyingKey;
use kiosk_core::content::is_slug;
use kiosk_core::keys::parse_public_key;
use kiosk_core::locale::LocaleTag;
use serde::Deserialize;

/// A config that cannot be used; the message says exactly what to fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("{path}: cannot read the config: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// Bad TOML, an unknown key or a bad value (with line and column).
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The parser's message: line, column, key and the problem.
        message: String,
    },
    /// A trusted key that cannot be read.
    #[error("{path}: line {line}: content.{list}[{index}] = {value:?}: {problem}")]
    TrustedKey {
        /// The config file.
        path: PathBuf,
        /// `trusted_keys` or `emergency_keys`.
        list: &'static str,
        /// The line of the entry.
        line: usize,
        /// Position in the list.
        index: usize,
        /// As written.
        value: String,
        /// What is wrong.
        problem: String,
    },
    /// A release build pinning the development key without saying it is a demo.
    #[error(
        "{path}: the development key is pinned (content.trusted_keys or content.emergency_keys), and its \
         secret half is in the source repository, so anyone could sign content or emergency messages for \
         this screen. Pin your own keys (kioskctl keys generate; the server's signing.pub and \
         emergency.pub), or, for a demo only, set content.allow_development_key = true"
    )]
    DevelopmentKey {
        /// The config file.
        path: PathBuf,
    },
    /// `[sync]` would send the device token where anyone on the way reads it, or
    /// names a server certificate that cannot be used.
    #[error("{path}: [sync] {problem}")]
    Transport {
        /// The config file.
        path: PathBuf,
        /// What is wrong and how to mend it.
        problem: String,
    },
}

/// What the screen is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// A touch kiosk at a booth.
    Kiosk,
    /// An unattended screen looping scheduled playlists (a bulletin board).
    Signage,
}

/// The whole config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceConfig {
    /// What the screen is for.
    pub mode: Mode,
    /// Where the store, releases and blobs live (relative to the config file);
    /// default `$XDG_DATA_HOME/binhduong-kiosk`.
    pub data_dir: Option<PathBuf>,
    /// Content and trust.
    pub content: ContentConfig,
    /// Touch behaviour.
    #[serde(default)]
    pub kiosk: KioskConfig,
    /// The window.
    #[serde(default)]
    pub window: WindowConfig,
    /// Leaving kiosk mode.
    pub staff: StaffConfig,
    /// Brochure downloads on the booth network.
    #[serde(default)]
    pub brochures: BrochureConfig,
    /// The zone schedules run in, e.g. `"Asia/Ho_Chi_Minh"`; default: the system's.
    pub time_zone: Option<ZoneName>,
    /// The playlist player.
    #[serde(default)]
    pub signage: SignageConfig,
    /// Touch sound and background music.
    #[serde(default)]
    pub sound: SoundConfig,
    /// Where new releases come from; none: only USB sticks.
    pub sync: Option<SyncConfig>,
    /// Serving this screen's release to a booth's other screens; none: not served.
    pub mirror: Option<MirrorConfig>,
    /// Playing in step with the booth's other screens; none: on this screen's own.
    pub lockstep: Option<LockstepConfig>,
}

/// `[lockstep]`: the screens of one sync group start each item at the same
/// instant and keep their films on the same frame, over the booth LAN.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockstepConfig {
    /// The group's name, the same on every screen of it, e.g. `"wtc-hall-a"`.
    pub group: GroupName,
    /// This screen's id in the group; default: the machine's host name.
    pub member: Option<GroupName>,
    /// Address and UDP port to listen on, e.g. `"0.0.0.0:47470"`.
    pub listen: SocketAddr,
    /// Where this screen's greetings go: the booth LAN's broadcast address
    /// (`"192.168.1.255:47470"`), or each other screen of the group.
    pub peers: Vec<SocketAddr>,
}

/// A sync group's or member's name: 1–64 letters, digits, `-`, `_` or `.`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct GroupName(pub String);

impl TryFrom<String> for GroupName {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        let fine = (1..=64).contains(&value.len())
            && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if fine {
            Ok(Self(value))
        } else {
            Err(format!("{value:?} must be 1 to 64 letters, digits, '-', '_' or '.'"))
        }
    }
}

/// `[sync]`: fetching releases from the server or a lead kiosk's mirror.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncConfig {
    /// The server or mirror, e.g. `"https://kiosk.wtc-binhduong.vn:8780"` or
    /// `"http://192.168.1.20:8090"`.
    pub server: BaseUrl,
    /// The device token from enrolment (a mirror needs none).
    pub token: Option<String>,
    /// The server's certificate, or the CA that issues it (PEM; relative to
    /// the config file): an `https://` server is trusted only if it shows it.
    pub server_certificate: Option<PathBuf>,
    /// Plain `http://` to an address other than loopback: a booth mirror
    /// (everything it serves is signed), or a closed network.
    #[serde(default)]
    pub plain_http: bool,
    /// Seconds between rounds (5–3600).
    #[serde(default = "default_sync_every")]
    pub every_secs: SyncEvery,
    /// Minutes between screenshots sent to the server as proof of what the
    /// screen showed (5–1440); none: only when staff ask.
    pub screenshot_every_minutes: Option<ScreenshotEvery>,
}

fn default_sync_every() -> SyncEvery {
    SyncEvery(30)
}

/// Seconds between sync rounds, 5 to 3600.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "i64")]
pub struct SyncEvery(pub u32);

impl TryFrom<i64> for SyncEvery {
    type Error = String;
    fn try_from(value: i64) -> Result<Self, String> {
        if (5..=3600).contains(&value) {
            Ok(Self(value as u32))
        } else {
            Err(format!("every_secs = {value} must be between 5 and 3600 seconds"))
        }
    }
}

/// Minutes between scheduled screenshots, 5 to 1440 (a day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "i64")]
pub struct ScreenshotEvery(pub u32);

impl TryFrom<i64> for ScreenshotEvery {
    type Error = String;
    fn try_from(value: i64) -> Result<Self, String> {
        if (5..=1440).contains(&value) {
            Ok(Self(value as u32))
        } else {
            Err(format!("screenshot_every_minutes = {value} must be between 5 and 1440 minutes (a day)"))
        }
    }
}

/// `[mirror]`: this screen's verified release for the booth's other screens.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MirrorConfig {
    /// Address and port to serve on, e.g. `"0.0.0.0:8090"`.
    pub listen: SocketAddr,
}

/// `[signage]`: the playlist player (signage mode, and the attract loop).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignageConfig {
    /// Languages of the words on cards, first the large line; default: the
    /// content's default language, then the next one it offers.
    #[serde(default)]
    pub locales: Vec<LocaleTag>,
    /// Milliseconds of crossfade between items; 0 cuts (0–2000).
    #[serde(default = "default_crossfade")]
    pub crossfade_ms: Crossfade,
    /// The TOP 1 ICF badge in a corner of every item.
    #[serde(default = "yes")]
    pub brand_corner: bool,
}

impl Default for SignageConfig {
    fn default() -> Self {
        Self { locales: Vec::new(), crossfade_ms: default_crossfade(), brand_corner: true }
    }
}

fn default_crossfade() -> Crossfade {
    Crossfade(400)
}

/// Crossfade milliseconds, 0 to 2000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "i64")]
pub struct Crossfade(pub u32);

impl TryFrom<i64> for Crossfade {
    type Error = String;
    fn try_from(value: i64) -> Result<Self, String> {
        if (0..=2000).contains(&value) {
            Ok(Self(value as u32))
        } else {
            Err(format!("crossfade_ms = {value} must be between 0 (a cut) and 2000"))
        }
    }
}

/// `[sound]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoundConfig {
    /// Sound at all; `false` keeps the screen silent (films too).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Touch sounds in kiosk mode, 0.0–1.0.
    #[serde(default = "default_effects_volume")]
    pub effects_volume: Volume,
    /// The background music or narration bed in signage mode, 0.0–1.0.
    #[serde(default = "default_bed_volume")]
    pub bed_volume: Volume,
    /// The bed's level while a film with sound plays, as a fraction of its volume.
    #[serde(default = "default_duck_volume")]
    pub duck_volume: Volume,
    /// Local hours without any sound, e.g. `{ start = "21:00", end = "07:30" }`.
    pub quiet_hours: Option<kiosk_core::schedule::TimeWindow>,
}

impl Default for SoundConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            effects_volume: default_effects_volume(),
            bed_volume: default_bed_volume(),
            duck_volume: default_duck_volume(),
            quiet_hours: None,
        }
    }
}

fn default_effects_volume() -> Volume {
    Volume(0.6)
}
fn default_bed_volume() -> Volume {
    Volume(0.35)
}
fn default_duck_volume() -> Volume {
    Volume(0.25)
}

/// A volume from 0.0 (silent) to 1.0 (full).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(try_from = "f64")]
pub struct Volume(pub f32);

impl TryFrom<f64> for Volume {
    type Error = String;
    fn try_from(value: f64) -> Result<Self, String> {
        if (0.0..=1.0).contains(&value) {
            Ok(Self(value as f32))
        } else {
            Err(format!("volume {value} must be between 0.0 (silent) and 1.0 (full)"))
        }
    }
}

/// An IANA time zone name this system knows, e.g. `"Europe/Berlin"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "String")]
pub struct ZoneName(pub String);

impl TryFrom<String> for ZoneName {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        match jiff::tz::TimeZone::get(&value) {
            Ok(_) => Ok(Self(value)),
            Err(_) => Err(format!(
                "time_zone {value:?} is not a time zone this system knows; use a name like \"Asia/Ho_Chi_Minh\" or \"Europe/Berlin\""
            )),
        }
    }
}

impl DeviceConfig {
    /// The zone schedules run in: the configured one, else the system's.
    pub fn time_zone(&self) -> jiff::tz::TimeZone {
        self.time_zone
            .as_ref()
            .and_then(|z| jiff::tz::TimeZone::get(&z.0).ok())
            .unwrap_or_else(jiff::tz::TimeZone::system)
    }
}

/// `[content]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentConfig {
    /// The channel this screen follows, e.g. `wtc-booths`.
    pub channel: Channel,
    /// Public keys whose signatures this device trusts: paths to `.pub` files
    /// (relative to the config file) or inline `ed25519-public <hex>` lines.
    pub trusted_keys: Vec<toml::Spanned<String>>,
    /// Folders watched for bundles while the kiosk runs, e.g. where a USB stick
    /// is mounted (relative to the config file).
    #[serde(default)]
    pub watch_dirs: Vec<PathBuf>,
    /// Public keys whose signatures on emergency messages this device trusts
    /// (the server's `emergency.pub`), a set apart from `trusted_keys`; none:
    /// no emergency message is shown.
    #[serde(default)]
    pub emergency_keys: Vec<toml::Spanned<String>>,
    /// Lets a release build start with the development key pinned (its secret
    /// half is in the source repository), for a demo only.
    #[serde(default)]
    pub allow_development_key: bool,
}

/// `[kiosk]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskConfig {
    /// Seconds without a touch before the attract loop returns (10–3600).
    #[serde(default = "default_idle")]
    pub idle_timeout_secs: IdleTimeout,
    /// The language a new visitor starts in; default: the content's own default.
    pub start_locale: Option<LocaleTag>,
}

impl Default for KioskConfig {
    fn default() -> Self {
        Self { idle_timeout_secs: default_idle(), start_locale: None }
    }
}

fn default_idle() -> IdleTimeout {
    IdleTimeout(90)
}

/// `[window]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowConfig {
    /// Full screen and locked down (the normal case); `false` opens a normal
    /// window, for staff preparing content.
    #[serde(default = "yes")]
    pub fullscreen: bool,
    /// Size of the window when not full screen.
    #[serde(default = "default_width")]
    pub width: u32,
    /// Size of the window when not full screen.
    #[serde(default = "default_height")]
    pub height: u32,
    /// Local hours the screen shows black and plays nothing, e.g.
    /// `{ start = "22:00", end = "06:00" }` for a hall that closes at night.
    pub off_hours: Option<kiosk_core::schedule::TimeWindow>,
}

impl Default for WindowConfig {
    fn default() -> Self {
        Self { fullscreen: true, width: default_width(), height: default_height(), off_hours: None }
    }
}

fn yes() -> bool {
    true
}
fn default_width() -> u32 {
    1920
}
fn default_height() -> u32 {
    1080
}

/// `[staff]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffConfig {
    /// The staff PIN, hashed with `kioskctl pin hash`.
    pub pin_hash: PinHash,
}

/// `[brochures]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrochureConfig {
    /// Address and port phones download from, e.g. `0.0.0.0:8088`.
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// The address put in QR codes, e.g. `http://kiosk.local:8088`; default: this
    /// kiosk's LAN address and the port above.
    pub public_base_url: Option<BaseUrl>,
}

impl Default for BrochureConfig {
    fn default() -> Self {
        Self { listen: default_listen(), public_base_url: None }
    }
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([0, 0, 0, 0], 8088))
}

/// A channel name: lowercase letters, digits and `-`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Channel(pub String);

impl TryFrom<String> for Channel {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        if is_slug(&value) {
            Ok(Self(value))
        } else {
            Err(format!("channel {value:?} must be lowercase letters, digits and '-', like \"wtc-booths\""))
        }
    }
}

/// Seconds of idleness, 10 to 3600.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "i64")]
pub struct IdleTimeout(pub u32);

impl TryFrom<i64> for IdleTimeout {
    type Error = String;
    fn try_from(value: i64) -> Result<Self, String> {
        if (10..=3600).contains(&value) {
            Ok(Self(value as u32))
        } else {
            Err(format!("idle_timeout_secs = {value} must be between 10 and 3600 seconds"))
        }
    }
}

/// An Argon2 PHC string, as `kioskctl pin hash` prints.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct PinHash(pub String);

impl TryFrom<String> for PinHash {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        match argon2::PasswordHash::new(&value) {
            Ok(hash) if hash.algorithm.as_str().starts_with("argon2") => Ok(Self(value)),
            _ => Err("pin_hash must be an Argon2 hash: run `kioskctl pin hash` and paste its output".into()),
        }
    }
}

/// An `http://` or `https://` base address without a trailing `/`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct BaseUrl(pub String);

impl TryFrom<String> for BaseUrl {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        let trimmed = value.trim_end_matches('/');
        let rest = trimmed.strip_prefix("http://").or_else(|| trimmed.strip_prefix("https://"));
        match rest {
            Some(host) if !host.is_empty() && !host.contains(['?', '#', ' ']) => Ok(Self(trimmed.to_owned())),
            _ => Err(format!("address {value:?} must look like \"http://192.168.1.20:8088\"")),
        }
    }
}

impl BaseUrl {
    /// Whether it is `https://`.
    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }

    /// Whether its host is this machine (`localhost`, `127.0.0.0/8`, `[::1]`).
    pub fn is_loopback(&self) -> bool {
        let rest = self.0.split_once("://").map_or(self.0.as_str(), |(_, rest)| rest);
        let authority = rest.split('/').next().unwrap_or_default();
        let host = match authority.strip_prefix('[') {
            Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
            None => authority.rsplit_once(':').map_or(authority, |(host, _)| host),
        };
        host.eq_ignore_ascii_case("localhost")
            || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }
}

impl SyncConfig {
    /// The pinned server certificate, read (relative paths from `base`); none
    /// for `http://`. Refuses `https://` without one, and plain `http://` to
    /// another machine unless `plain_http = true`.
    fn pinned_server(
        &self,
        base: &Path,
        path: &Path,
    ) -> Result<Option<kiosk_tls::PinnedServer>, ConfigError> {
        let fail = |problem: String| ConfigError::Transport { path: path.to_owned(), problem };
        let server = &self.server.0;
        match (&self.server_certificate, self.server.is_https()) {
            (Some(file), true) => kiosk_tls::PinnedServer::load(&base.join(file))
                .map(Some)
                .map_err(|e| fail(format!("server_certificate = {:?}: {e}", file.display().to_string()))),
            (None, true) => Err(fail(format!(
                "server = {server:?} needs server_certificate: the server's certificate or its CA \
                 (PEM), the only one this screen trusts"
            ))),
            (Some(_), false) => {
                Err(fail(format!("server_certificate is for an https:// server, and server = {server:?}")))
            }
            (None, false) if !self.plain_http && !self.server.is_loopback() => Err(fail(format!(
                "server = {server:?} is plain HTTP to another machine, where anyone on the network \
                 reads the device token: use https:// with server_certificate, or set \
                 plain_http = true for a booth mirror or a closed network"
            ))),
            (None, false) => Ok(None),
        }
    }
}

/// The development key's public half; its secret half is in the repository.
pub const DEVELOPMENT_KEY: &str = include_str!("../../../kiosk-config/dev-keys/content-dev.pub");

/// A config read from a file, with its keys loaded and paths resolved.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    /// The file it came from.
    pub path: PathBuf,
    /// Its values.
    pub config: DeviceConfig,
    /// The data folder, absolute.
    pub data_dir: PathBuf,
    /// The trusted keys, parsed.
    pub trusted_keys: Vec<VerifyingKey>,
    /// The emergency keys, parsed.
    pub emergency_keys: Vec<VerifyingKey>,
    /// `content.watch_dirs`, absolute.
    pub watch_dirs: Vec<PathBuf>,
    /// The server certificate or CA `[sync]` pins, read.
    pub server_pin: Option<kiosk_tls::PinnedServer>,
}

impl DeviceConfig {
    /// Parses config text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Invalid {
            path: path.to_owned(),
            message: e.to_string().trim_end().replace('\n', "\n    "),
        })
    }
}

impl LoadedConfig {
    /// Whether the development key is among the trusted or emergency keys.
    pub fn trusts_development_key(&self) -> bool {
        kiosk_core::keys::parse_public_key(DEVELOPMENT_KEY)
            .is_ok_and(|dev| self.trusted_keys.contains(&dev) || self.emergency_keys.contains(&dev))
    }

    /// Refuses a config that pins the development key in a `release` build,
    /// unless it says `content.allow_development_key = true` (a demo).
    pub fn refuse_development_key(&self, release: bool) -> Result<(), ConfigError> {
        if release && self.trusts_development_key() && !self.config.content.allow_development_key {
            return Err(ConfigError::DevelopmentKey { path: self.path.clone() });
        }
        Ok(())
    }

    /// Reads, checks and resolves a config file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
        let config = DeviceConfig::parse(&text, path)?;
        let base = path.parent().unwrap_or(Path::new("."));
        let data_dir = match &config.data_dir {
            Some(dir) => base.join(dir),
            None => default_data_dir(),
        };
        let trusted_keys = load_keys("trusted_keys", true, &config.content.trusted_keys, &text, base, path)?;
        let emergency_keys =
            load_keys("emergency_keys", false, &config.content.emergency_keys, &text, base, path)?;
        let watch_dirs = config.content.watch_dirs.iter().map(|dir| base.join(dir)).collect();
        let server_pin = match &config.sync {
            Some(sync) => sync.pinned_server(base, path)?,
            None => None,
        };
        let loaded = Self {
            path: path.to_owned(),
            config,
            data_dir,
            trusted_keys,
            emergency_keys,
            watch_dirs,
            server_pin,
        };
        loaded.refuse_development_key(!cfg!(debug_assertions))?;
        Ok(loaded)
    }
}

/// The keys of `content.<list>`; a `required` list must name at least one.
fn load_keys(
    list: &'static str,
    required: bool,
    entries: &[toml::Spanned<String>],
    text: &str,
    base: &Path,
    path: &Path,
) -> Result<Vec<VerifyingKey>, ConfigError> {
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let fail = |line: usize, index: usize, value: &str, problem: String| ConfigError::TrustedKey {
        path: path.to_owned(),
        list,
        line,
        index,
        value: value.to_owned(),
        problem,
    };
    if entries.is_empty() && required {
        let line = text.find("trusted_keys").map_or(1, line_of);
        let problem = "list at least one public key (a .pub file made by `kioskctl keys generate`)";
        return Err(fail(line, 0, "", problem.into()));
    }
    entries
        .iter()
        .enumerate()
        .map(|(index, spanned)| {
            let (entry, line) = (spanned.get_ref(), line_of(spanned.span().start));
            let key_text = if entry.starts_with("ed25519-") {
                entry.clone()
            } else {
                std::fs::read_to_string(base.join(entry))
                    .map_err(|e| fail(line, index, entry, format!("cannot read it: {e}")))?
            };
            parse_public_key(&key_text).map_err(|e| fail(line, index, entry, e.to_string()))
        })
        .collect()
}

/// `$XDG_DATA_HOME/binhduong-kiosk`, or `~/.local/share/binhduong-kiosk`.
pub fn default_data_dir() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("binhduong-kiosk")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIN: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$n3+vJ1Ov0JYcBc8pgQtBGoJ5J8DWqgC3CYcN7Q0h8vI";

    fn config(extra: &str) -> String {
        format!(
            "mode = \"kiosk\"\n[content]\nchannel = \"wtc-booths\"\ntrusted_keys = [\"ed25519-public {}\"]\n[staff]\npin_hash = \"{PIN}\"\n{extra}",
            "d".repeat(64)
        )
    }

    fn error(text: &str) -> String {
        DeviceConfig::parse(text, Path::new("booth.toml")).unwrap_err().to_string()
    }

    #[test]
    fn reads_a_minimal_config_with_defaults() {
        let c = DeviceConfig::parse(&config(""), Path::new("booth.toml")).unwrap();
        assert_eq!(c.kiosk.idle_timeout_secs, IdleTimeout(90));
        assert_eq!(c.brochures.listen.port(), 8088);
        assert!(c.window.fullscreen);
        assert_eq!(c.signage.crossfade_ms, Crossfade(400));
        assert!(c.sound.enabled && c.sound.quiet_hours.is_none());
        let synced =
            DeviceConfig::parse(&config("[sync]\nserver = \"http://x\"\n"), Path::new("b.toml")).unwrap();
        assert_eq!(synced.sync.unwrap().screenshot_every_minutes, None, "screenshots only when asked");
        let hourly = config("[sync]\nserver = \"http://x\"\nscreenshot_every_minutes = 60\n");
        let hourly = DeviceConfig::parse(&hourly, Path::new("b.toml")).unwrap();
        assert_eq!(hourly.sync.unwrap().screenshot_every_minutes, Some(ScreenshotEvery(60)));
    }

    #[test]
    fn reads_a_bulletin_board() {
        let text = format!(
            "time_zone = \"Europe/Berlin\"\n{}",
            config("[signage]\nlocales = [\"en\", \"vi\"]\ncrossfade_ms = 0\n[sound]\nquiet_hours = { start = \"21:00\", end = \"07:30\" }\n")
                .replace("\"kiosk\"", "\"signage\"")
        );
        let c = DeviceConfig::parse(&text, Path::new("board.toml")).unwrap();
        assert_eq!(c.mode, Mode::Signage);
        assert_eq!(c.time_zone().iana_name(), Some("Europe/Berlin"));
        assert_eq!(c.signage.locales.len(), 2);
        assert_eq!(c.sound.quiet_hours.unwrap().start, jiff::civil::time(21, 0, 0, 0));
    }

    #[test]
    fn names_file_line_and_key_of_each_mistake() {
        let cases = [
            (config("[kiosk]\nidle_timout_secs = 5\n"), "unknown field `idle_timout_secs`"),
            (config("[kiosk]\nidle_timeout_secs = 5\n"), "between 10 and 3600"),
            (config("[brochures]\nlisten = \"everywhere\"\n"), "listen"),
            (config("[brochures]\npublic_base_url = \"ftp://x\"\n"), "must look like"),
            (config("").replace("wtc-booths", "WTC Booths"), "channel \"WTC Booths\""),
            (config("").replace(PIN, "1234"), "kioskctl pin hash"),
            (config("").replace("\"kiosk\"", "\"tv\""), "unknown variant `tv`"),
            (format!("time_zone = \"Mars/Olympus\"\n{}", config("")), "not a time zone"),
            (config("[signage]\ncrossfade_ms = 5000\n"), "between 0 (a cut) and 2000"),
            (config("[sound]\nbed_volume = 1.5\n"), "between 0.0 (silent) and 1.0"),
            (config("[sync]\nserver = \"192.168.1.20\"\n"), "must look like"),
            (config("[sync]\nserver = \"http://x\"\nevery_secs = 1\n"), "between 5 and 3600"),
            (config("[sync]\nserver = \"http://x\"\nscreenshot_every_minutes = 0\n"), "between 5 and 1440"),
            (config("[mirror]\nlisten = \"lan\"\n"), "listen"),
            (
                config("[lockstep]\ngroup = \"hall a\"\nlisten = \"0.0.0.0:1\"\npeers = []\n"),
                "must be 1 to 64",
            ),
            (config("[lockstep]\ngroup = \"a\"\nlisten = \"0.0.0.0:1\"\npeers = [\"lan\"]\n"), "peers"),
            (config("[lockstep]\ngroup = \"a\"\nlisten = \"0.0.0.0:1\"\n"), "missing field `peers`"),
            (config("[sound]\nquiet_hours = { start = \"25:00\", end = \"07:00\" }\n"), "quiet_hours"),
        ];
        for (text, expected) in cases {
            let message = error(&text);
            assert!(message.starts_with("booth.toml: "), "{message}");
            assert!(message.contains("line "), "{message}");
            assert!(message.contains(expected), "{message} should mention {expected}");
        }
    }

    #[test]
    fn resolves_key_files_next_to_the_config() {
        let dir = tempfile::tempdir().unwrap();
        let key = ed25519_dalek::SigningKey::from_bytes(&[3; 32]).verifying_key();
        std::fs::write(dir.path().join("dev.pub"), kiosk_core::keys::public_key_text(&key)).unwrap();
        let path = dir.path().join("booth.toml");
        let text = config("").replace(&format!("ed25519-public {}", "d".repeat(64)), "dev.pub");
        std::fs::write(&path, text.replace("mode =", "data_dir = \"data\"\nmode =")).unwrap();
        let loaded = LoadedConfig::load(&path).unwrap();
        assert_eq!(loaded.trusted_keys, vec![key]);
        assert_eq!(loaded.data_dir, dir.path().join("data"));

        std::fs::write(
            &path,
            config("").replace(&format!("ed25519-public {}", "d".repeat(64)), "missing.pub"),
        )
        .unwrap();
        let err = LoadedConfig::load(&path).unwrap_err().to_string();
        assert!(err.contains("line 4: content.trusted_keys[0] = \"missing.pub\": cannot read it"), "{err}");
    }

    #[test]
    fn emergency_keys_are_a_list_of_their_own_and_may_be_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("booth.toml");
        std::fs::write(&path, valid_config()).unwrap();
        assert!(LoadedConfig::load(&path).unwrap().emergency_keys.is_empty());
        let emergency = key_text(4);
        let with_key = valid_config()
            .replace("[staff]", &format!("emergency_keys = [\"{emergency}\", \"gone.pub\"]\n[staff]"));
        std::fs::write(&path, with_key).unwrap();
        let err = LoadedConfig::load(&path).unwrap_err().to_string();
        assert!(err.contains("line 5: content.emergency_keys[1] = \"gone.pub\": cannot read it"), "{err}");
    }

    #[test]
    fn a_release_build_refuses_the_development_key_unless_it_is_a_demo() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("booth.toml");
        let dev = DEVELOPMENT_KEY.trim();
        let pinned = valid_config().replace(&key_text(3), dev);
        std::fs::write(&path, &pinned).unwrap();
        let loaded = LoadedConfig::load(&path).expect("a development build starts with it");
        assert!(loaded.trusts_development_key());
        let refused = loaded.refuse_development_key(true).unwrap_err().to_string();
        assert!(refused.contains("the development key is pinned"), "{refused}");
        assert!(refused.contains("content.allow_development_key = true"), "{refused}");
        assert!(loaded.refuse_development_key(false).is_ok());

        let as_emergency_key =
            valid_config().replace("[staff]", &format!("emergency_keys = [\"{dev}\"]\n[staff]"));
        std::fs::write(&path, as_emergency_key).unwrap();
        let loaded = LoadedConfig::load(&path).unwrap();
        assert!(loaded.refuse_development_key(true).is_err(), "nor as an emergency key");

        let demo = pinned.replace("[staff]", "allow_development_key = true\n[staff]");
        std::fs::write(&path, demo).unwrap();
        assert!(LoadedConfig::load(&path).unwrap().refuse_development_key(true).is_ok(), "a demo says so");
        let own = valid_config();
        std::fs::write(&path, own).unwrap();
        assert!(LoadedConfig::load(&path).unwrap().refuse_development_key(true).is_ok());
    }

    fn key_text(seed: u8) -> String {
        let key = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]).verifying_key();
        kiosk_core::keys::public_key_text(&key).trim().to_owned()
    }

    #[test]
    fn sync_speaks_tls_to_the_pinned_server_and_plain_http_only_where_said() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("booth.toml");
        let made = kiosk_tls::self_signed::generate(&["kiosk.example".into()]).unwrap();
        std::fs::write(dir.path().join("server.pem"), &made.certificate_pem).unwrap();
        let load = |sync: &str| {
            std::fs::write(&path, format!("{}[sync]\n{sync}", valid_config())).unwrap();
            LoadedConfig::load(&path).map_err(|e| e.to_string())
        };
        let pinned = load("server = \"https://kiosk.example:8780\"\nserver_certificate = \"server.pem\"\n");
        assert!(pinned.unwrap().server_pin.is_some(), "the certificate beside the config is pinned");
        for loopback in ["http://127.0.0.1:8780", "http://localhost:8780", "http://[::1]:8780/"] {
            assert!(load(&format!("server = \"{loopback}\"\n")).unwrap().server_pin.is_none(), "{loopback}");
        }
        let mirror = load("server = \"http://192.168.1.20:8090\"\nplain_http = true\n");
        assert!(mirror.is_ok(), "a booth mirror, said plainly: {mirror:?}");
        for (sync, expected) in [
            ("server = \"http://192.168.1.20:8780\"\n", "plain_http = true"),
            ("server = \"http://127.0.0.1.evil:8780\"\n", "plain_http = true"),
            ("server = \"https://kiosk.example\"\n", "needs server_certificate"),
            ("server = \"https://kiosk.example\"\nserver_certificate = \"none.pem\"\n", "none.pem"),
            (
                "server = \"https://kiosk.example\"\nserver_certificate = \"booth.toml\"\n",
                "holds no certificate",
            ),
            ("server = \"http://127.0.0.1\"\nserver_certificate = \"server.pem\"\n", "is for an https://"),
        ] {
            let error = load(sync).unwrap_err();
            assert!(error.contains("[sync]") && error.contains(expected), "{sync}: {error}");
        }
    }

    /// [`config`] with a real key pinned.
    fn valid_config() -> String {
        config("").replace(&format!("ed25519-public {}", "d".repeat(64)), &key_text(3))
    }
}
