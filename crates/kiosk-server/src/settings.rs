//! What the server needs to start, and the binary's TOML config file.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use jiff::tz::TimeZone;
use serde::Deserialize;

use crate::clock::Clock;
use crate::reports::Counting;

/// The largest blob accepted by default: 2 GiB.
pub const DEFAULT_MAX_BLOB_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// How long a screen may stay quiet before it is offline, by default: 10 minutes.
pub const DEFAULT_OFFLINE_AFTER_S: u64 = 600;

/// How long a device token works after enrolment or renewal, by default: 365 days.
pub const DEFAULT_DEVICE_TOKEN_DAYS: u64 = 365;

/// How long an enrolment code works, by default: 24 hours.
pub const DEFAULT_ENROLMENT_CODE_HOURS: u64 = 24;

/// How many times one address may try `POST /v1/enrol` a minute, by default.
pub const DEFAULT_ENROL_ATTEMPTS_PER_MINUTE: u32 = 10;

/// How many event streams one device may hold open at once, by default.
pub const DEFAULT_MAX_STREAMS_PER_DEVICE: usize = 4;

/// What the server allows its clients by default: thousands of screens hold an
/// event stream each, often many behind one address (a load balancer, a
/// venue's NAT), so connections are capped only in total and the request rate
/// per address is generous; a connection silent for 30 s before its request,
/// or an answer unread for 2 minutes, is closed.
pub const DEFAULT_LISTENER_LIMITS: kiosk_listener::Limits = kiosk_listener::Limits {
    max_connections: 20_000,
    max_connections_per_client: None,
    request_head_timeout: Duration::from_secs(30),
    write_stall_timeout: Some(Duration::from_secs(120)),
    request_rate: Some(DEFAULT_REQUEST_RATE),
    refusal_log_interval: Duration::from_secs(60),
};

/// Requests one address may make by default: 500 a second, 5000 at once (a
/// screen syncing a release asks for every blob in turn, and many screens may
/// sync through one address).
pub const DEFAULT_REQUEST_RATE: kiosk_listener::RequestRate = kiosk_listener::RequestRate::new(500, 5_000);

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
    /// A screen whose last heartbeat is older than this is offline and alerted.
    pub offline_after: Duration,
    /// Where new alerts are `POST`ed as JSON, if anywhere.
    pub alert_webhook: Option<String>,
    /// Who new alerts are e-mailed to, and through which SMTP server, if anyone.
    pub alert_email: Option<EmailAlerts>,
    /// The zone reports count days in (default `Asia/Ho_Chi_Minh`).
    pub report_zone: TimeZone,
    /// Connection caps, slow-client timeouts and the request rate per client
    /// ([`DEFAULT_LISTENER_LIMITS`]).
    pub listener_limits: kiosk_listener::Limits,
    /// How long a device token works after enrolment or renewal.
    pub device_token_lifetime: Duration,
    /// How long an enrolment code works after it is made.
    pub enrolment_code_lifetime: Duration,
    /// How many times one address may try `POST /v1/enrol` a minute.
    pub enrol_attempts_per_minute: u32,
    /// How many event streams one device may hold open at once.
    pub max_streams_per_device: usize,
    /// The certificate and key answers go out under; none: plain HTTP.
    pub tls: Option<kiosk_tls::ServerIdentity>,
    /// Where records and blobs are kept: in the data folder, or shared by replicas.
    pub storage: Storage,
}

/// Where the server keeps its records and blobs.
#[derive(Debug, Clone, Default)]
pub struct Storage {
    /// The records: `None` for `server.sqlite` in the data folder, or the
    /// address of a PostgreSQL database that several replicas share.
    pub postgres: Option<PostgresAddress>,
    /// The blobs: `None` for `blobs/` in the data folder, or an S3-compatible bucket.
    pub s3: Option<crate::s3_blob_store::S3Config>,
}

impl Storage {
    /// Whether several servers may share this storage (PostgreSQL and S3 both).
    pub fn is_shared(&self) -> bool {
        self.postgres.is_some() && self.s3.is_some()
    }
}

/// A PostgreSQL connection address with its password in it; never printed whole.
#[derive(Clone)]
pub struct PostgresAddress(pub tokio_postgres::Config);

impl std::fmt::Debug for PostgresAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresAddress")
            .field("hosts", &self.0.get_hosts())
            .field("ports", &self.0.get_ports())
            .field("dbname", &self.0.get_dbname())
            .field("user", &self.0.get_user())
            .finish_non_exhaustive()
    }
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
            offline_after: Duration::from_secs(DEFAULT_OFFLINE_AFTER_S),
            alert_webhook: None,
            alert_email: None,
            report_zone: Counting::default().zone,
            listener_limits: DEFAULT_LISTENER_LIMITS,
            device_token_lifetime: Duration::from_secs(DEFAULT_DEVICE_TOKEN_DAYS * 24 * 3600),
            enrolment_code_lifetime: Duration::from_secs(DEFAULT_ENROLMENT_CODE_HOURS * 3600),
            enrol_attempts_per_minute: DEFAULT_ENROL_ATTEMPTS_PER_MINUTE,
            max_streams_per_device: DEFAULT_MAX_STREAMS_PER_DEVICE,
            tls: None,
            storage: Storage::default(),
        }
    }

    /// How events and heartbeats are counted for reports.
    pub fn counting(&self) -> Counting {
        Counting { zone: self.report_zone.clone(), offline_after: self.offline_after }
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
/// offline_after_s = 600   # optional: a quiet screen is offline after this
/// report_zone = "Asia/Ho_Chi_Minh"   # optional: reports count days in this zone
/// device_token_days = 365          # optional: a device token works this long (renewable)
/// enrolment_code_hours = 24        # optional: an enrolment code works this long
/// enrol_attempts_per_minute = 10   # optional: per address, then 429
/// max_streams_per_device = 4       # optional: open event streams per device token
/// # plain_http = true              # only behind a proxy that ends TLS
///
/// [tls]      # required on an address other than loopback, unless plain_http = true
/// certificate = "/etc/binhduong-kiosk-server/tls/server.crt"   # PEM, own certificate first
/// private_key = "/etc/binhduong-kiosk-server/tls/server.key"   # PEM
///
/// [storage]   # optional: records and blobs shared by several servers (replicas)
/// postgres = "postgres://kiosk@10.0.0.5:5432/kiosk"   # instead of server.sqlite
/// postgres_password_file = "/etc/binhduong-kiosk-server/postgres-password"   # optional
///
/// [storage.s3]   # optional: blobs in an S3-compatible bucket instead of blobs/
/// endpoint = "https://s3.example.vn"
/// bucket = "kiosk-blobs"
/// region = "us-east-1"
/// access_key_id = "kiosk-server"
/// secret_access_key_file = "/etc/binhduong-kiosk-server/s3-secret"
/// prefix = "blobs/"        # optional
/// allow_http = false       # optional: true only for a bucket on loopback or a closed network
///
/// [limits]   # optional: what clients may do (defaults: DEFAULT_LISTENER_LIMITS)
/// max_connections = 20000                # all clients together
/// max_connections_per_client = 0         # per address; 0: no cap (load balancer, NAT)
/// requests_per_second_per_client = 500   # sustained, then 429; 0: no limit
/// request_burst_per_client = 5000        # at once after a quiet spell
///
/// [alerts]   # optional
/// webhook = "http://10.0.0.5:9000/hooks/kiosk"   # new alerts are POSTed here
///
/// [alerts.email]   # optional: new alerts are e-mailed
/// server = "smtp.wtc-binhduong.vn"
/// security = "starttls"      # or "tls" (port 465), or "none" (a relay on the LAN, port 25)
/// port = 587                 # optional
/// user = "kiosk-alerts"      # optional, with password_file
/// password_file = "/etc/binhduong-kiosk-server/smtp-password"
/// from = "Kiosk Bình Dương <kiosk-alerts@wtc-binhduong.vn>"
/// to = ["booth-staff@wtc-binhduong.vn"]
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
    /// Seconds a screen may stay quiet before it is offline.
    #[serde(default)]
    pub offline_after_s: Option<u64>,
    /// The IANA time zone reports count days in.
    #[serde(default)]
    pub report_zone: Option<String>,
    /// Days a device token works after enrolment or renewal.
    #[serde(default)]
    pub device_token_days: Option<u64>,
    /// Hours an enrolment code works.
    #[serde(default)]
    pub enrolment_code_hours: Option<u64>,
    /// Tries of `POST /v1/enrol` one address may make a minute.
    #[serde(default)]
    pub enrol_attempts_per_minute: Option<u32>,
    /// Event streams one device may hold open at once.
    #[serde(default)]
    pub max_streams_per_device: Option<usize>,
    /// Where alerts go.
    #[serde(default)]
    pub alerts: AlertsConfig,
    /// What one client may do.
    #[serde(default)]
    pub limits: LimitsConfig,
    /// The certificate and key to answer over TLS with.
    #[serde(default)]
    pub tls: Option<TlsConfig>,
    /// Plain HTTP on an address other than loopback: for a server behind a
    /// proxy that ends TLS, or a closed network. Device tokens and staff
    /// passwords then cross the network readable.
    #[serde(default)]
    pub plain_http: bool,
    /// Where records and blobs are kept, when not in the data folder.
    #[serde(default)]
    pub storage: StorageConfig,
    /// `storage` with its secrets read, by [`ConfigFile::parse`].
    #[serde(skip)]
    resolved_storage: Storage,
}

/// The `[storage]` table of the config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageConfig {
    /// A PostgreSQL address (`postgres://user@host:port/database`), without its password.
    #[serde(default)]
    pub postgres: Option<String>,
    /// A file holding the PostgreSQL password.
    #[serde(default)]
    pub postgres_password_file: Option<PathBuf>,
    /// An S3-compatible bucket for the blobs.
    #[serde(default)]
    pub s3: Option<S3TableConfig>,
}

/// The `[storage.s3]` table: a bucket, and a file holding its secret key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3TableConfig {
    /// The service's address, `https://…` (`http://` only with `allow_http`).
    pub endpoint: String,
    /// The bucket.
    pub bucket: String,
    /// The region requests are signed for.
    #[serde(default = "default_region")]
    pub region: String,
    /// The access key's id.
    pub access_key_id: String,
    /// A file holding the secret access key (never the key itself in the config).
    pub secret_access_key_file: PathBuf,
    /// The key prefix blobs are kept under.
    #[serde(default)]
    pub prefix: Option<String>,
    /// Plain HTTP to the bucket.
    #[serde(default)]
    pub allow_http: bool,
}

fn default_region() -> String {
    "us-east-1".into()
}

/// A secret read from a file, its final line break dropped.
fn read_secret(table: &str, key: &str, path: &std::path::Path) -> Result<String, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("[{table}] {key} {}: {e}", path.display()))?;
    let secret = text.trim_end_matches(['\r', '\n']).to_owned();
    if secret.is_empty() {
        return Err(format!("[{table}] {key} {}: the file is empty", path.display()));
    }
    Ok(secret)
}

impl StorageConfig {
    /// The storage this table names, with its secrets read.
    pub fn resolve(&self) -> Result<Storage, String> {
        let postgres = match &self.postgres {
            None if self.postgres_password_file.is_some() => {
                return Err("[storage] postgres_password_file without postgres: name the database".into());
            }
            None => None,
            Some(address) => {
                let mut config: tokio_postgres::Config = address
                    .parse()
                    .map_err(|e| format!("[storage] postgres is not a PostgreSQL address: {e}"))?;
                if config.get_password().is_some() {
                    return Err("[storage] postgres: keep the password out of the config; \
                                give postgres_password_file"
                        .into());
                }
                if config.get_dbname().is_none() {
                    return Err("[storage] postgres: name the database".into());
                }
                if self.s3.is_none() {
                    return Err("[storage] postgres without [storage.s3]: servers sharing one database \
                                must share their blobs too; give [storage.s3]"
                        .into());
                }
                if let Some(path) = &self.postgres_password_file {
                    config.password(read_secret("storage", "postgres_password_file", path)?);
                }
                Some(PostgresAddress(config))
            }
        };
        let s3 = match &self.s3 {
            None => None,
            Some(table) => {
                let plain = table.endpoint.starts_with("http://");
                if !plain && !table.endpoint.starts_with("https://") {
                    return Err(format!(
                        "[storage.s3] endpoint = {:?}: give an https:// address",
                        table.endpoint
                    ));
                }
                if plain && !table.allow_http {
                    return Err(format!(
                        "[storage.s3] endpoint = {:?} is plain HTTP: give https://, or allow_http = true \
                         for a bucket on loopback or a closed network",
                        table.endpoint
                    ));
                }
                Some(crate::s3_blob_store::S3Config {
                    endpoint: table.endpoint.clone(),
                    bucket: table.bucket.clone(),
                    region: table.region.clone(),
                    access_key_id: table.access_key_id.clone(),
                    secret_access_key: read_secret(
                        "storage.s3",
                        "secret_access_key_file",
                        &table.secret_access_key_file,
                    )?,
                    prefix: table.prefix.clone().unwrap_or_else(|| "blobs/".into()),
                    allow_http: table.allow_http,
                })
            }
        };
        Ok(Storage { postgres, s3 })
    }
}

/// The `[tls]` table of the config file (`kiosk-server tls self-signed` makes
/// both files for a new installation).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// The certificate chain, PEM, the server's own certificate first: what
    /// screens pin (or its CA).
    pub certificate: PathBuf,
    /// Its private key, PEM, readable by the server only.
    pub private_key: PathBuf,
}

/// The `[limits]` table of the config file: what clients may do; a key left
/// out keeps [`DEFAULT_LISTENER_LIMITS`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    /// Connections open at once, all clients together.
    #[serde(default)]
    pub max_connections: Option<usize>,
    /// Connections open at once from one address; 0 caps only the total.
    #[serde(default)]
    pub max_connections_per_client: Option<usize>,
    /// Requests a second one address may make, sustained; 0 for no limit.
    #[serde(default)]
    pub requests_per_second_per_client: Option<u32>,
    /// Requests one address may make at once after a quiet spell.
    #[serde(default)]
    pub request_burst_per_client: Option<u32>,
}

impl LimitsConfig {
    /// Refuses values that would keep every client out.
    fn check(&self) -> Result<(), String> {
        if let Some(max) = self.max_connections
            && !(16..=1_000_000).contains(&max)
        {
            return Err(format!("[limits] max_connections = {max}: give 16 to 1000000"));
        }
        if self.request_burst_per_client == Some(0) {
            return Err("[limits] request_burst_per_client = 0: give at least 1".into());
        }
        Ok(())
    }

    /// `limits` with this table's keys put in.
    pub fn applied_to(&self, mut limits: kiosk_listener::Limits) -> kiosk_listener::Limits {
        if let Some(max) = self.max_connections {
            limits.max_connections = max;
        }
        if let Some(max) = self.max_connections_per_client {
            limits.max_connections_per_client = (max > 0).then_some(max);
        }
        let per_second = self.requests_per_second_per_client.map(|n| (n > 0).then_some(n));
        limits.request_rate = match (per_second, self.request_burst_per_client) {
            (Some(None), _) => None,
            (None, None) => limits.request_rate,
            (per_second, burst) => Some(kiosk_listener::RequestRate::new(
                per_second.flatten().unwrap_or(DEFAULT_REQUEST_RATE.per_second.get()),
                burst.unwrap_or(DEFAULT_REQUEST_RATE.burst.get()),
            )),
        };
        limits
    }
}

/// The `[alerts]` table of the config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertsConfig {
    /// An `http://` URL that new alerts are `POST`ed to.
    #[serde(default)]
    pub webhook: Option<String>,
    /// E-mail through an SMTP server.
    #[serde(default)]
    pub email: Option<EmailConfig>,
}

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (port 587); refuses a server that cannot.
    #[default]
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption (port 25): a relay on the same machine or LAN.
    None,
}

/// The `[alerts.email]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailConfig {
    /// The SMTP server's host name.
    pub server: String,
    /// Its port (default by `security`: 587, 465 or 25).
    #[serde(default)]
    pub port: Option<u16>,
    /// How the connection is protected.
    #[serde(default)]
    pub security: SmtpSecurity,
    /// The user to sign in as.
    #[serde(default)]
    pub user: Option<String>,
    /// A file holding the password (never the password itself in the config).
    #[serde(default)]
    pub password_file: Option<PathBuf>,
    /// The sender, `Name <address>` or an address.
    pub from: String,
    /// The recipients.
    pub to: Vec<String>,
}

/// E-mail alerts as the server uses them: the config with its password read.
#[derive(Clone)]
pub struct EmailAlerts {
    /// The SMTP server's host name.
    pub server: String,
    /// Its port, if not the default for `security`.
    pub port: Option<u16>,
    /// How the connection is protected.
    pub security: SmtpSecurity,
    /// The user to sign in as.
    pub user: Option<String>,
    /// The password.
    pub password: Option<String>,
    /// The sender.
    pub from: String,
    /// The recipients.
    pub to: Vec<String>,
}

impl std::fmt::Debug for EmailAlerts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailAlerts")
            .field("server", &self.server)
            .field("port", &self.port())
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("from", &self.from)
            .field("to", &self.to)
            .finish()
    }
}

impl EmailAlerts {
    /// The port to connect to.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            SmtpSecurity::StartTls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        })
    }
}

impl EmailConfig {
    /// Checks the addresses and reads the password file.
    fn resolve(&self) -> Result<EmailAlerts, String> {
        let check = |text: &str| {
            text.parse::<lettre::message::Mailbox>()
                .map(|_| ())
                .map_err(|e| format!("[alerts.email] {text:?} is not an e-mail address ({e})"))
        };
        check(&self.from)?;
        if self.to.is_empty() {
            return Err("[alerts.email] to = []: name at least one recipient".into());
        }
        self.to.iter().try_for_each(|t| check(t))?;
        if self.server.trim().is_empty() {
            return Err("[alerts.email] server: name the SMTP server".into());
        }
        let password = match &self.password_file {
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .map_err(|e| format!("[alerts.email] password_file {}: {e}", path.display()))?
                    .trim_end_matches(['\r', '\n'])
                    .to_owned(),
            ),
            None => None,
        };
        if password.is_some() != self.user.is_some() {
            return Err("[alerts.email] give user and password_file together, or neither".into());
        }
        Ok(EmailAlerts {
            server: self.server.clone(),
            port: self.port,
            security: self.security,
            user: self.user.clone(),
            password,
            from: self.from.clone(),
            to: self.to.clone(),
        })
    }
}

impl ConfigFile {
    /// Parses the TOML text of a config file and checks its values.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut config: Self = toml::from_str(text).map_err(|e| e.to_string())?;
        if let Some(secs) = config.offline_after_s
            && !(10..=7 * 24 * 3600).contains(&secs)
        {
            return Err(format!("offline_after_s = {secs}: give 10 seconds to 7 days (604800)"));
        }
        for (key, given, range) in [
            ("device_token_days", config.device_token_days, 1..=3650),
            ("enrolment_code_hours", config.enrolment_code_hours, 1..=24 * 30),
            ("enrol_attempts_per_minute", config.enrol_attempts_per_minute.map(u64::from), 1..=10_000),
            ("max_streams_per_device", config.max_streams_per_device.map(|n| n as u64), 1..=100),
        ] {
            if let Some(value) = given
                && !range.contains(&value)
            {
                return Err(format!("{key} = {value}: give {} to {}", range.start(), range.end()));
            }
        }
        if let Some(url) = &config.alerts.webhook
            && !url.starts_with("http://")
        {
            return Err(format!(
                "[alerts] webhook = {url:?}: give an http:// URL (alerts are posted over plain \
                 HTTP; put a relay on the same machine or network for https)"
            ));
        }
        if let Some(email) = &config.alerts.email {
            email.resolve()?;
        }
        config.check_transport()?;
        if let Some(zone) = &config.report_zone
            && TimeZone::get(zone).is_err()
        {
            return Err(format!(
                "report_zone = {zone:?}: give an IANA time zone such as \"Asia/Ho_Chi_Minh\" \
                 (the tzdata package lists them)"
            ));
        }
        config.limits.check()?;
        config.resolved_storage = config.storage.resolve()?;
        Ok(config)
    }

    /// Refuses plain HTTP on an address other than loopback unless the config
    /// says `plain_http = true`.
    fn check_transport(&self) -> Result<(), String> {
        match (&self.tls, self.plain_http) {
            (Some(_), true) => Err("give either [tls] or plain_http = true, not both".into()),
            (None, false) if !self.listen.ip().is_loopback() => Err(format!(
                "listen = \"{}\" is reachable from the network, so the server answers over TLS: \
                 give [tls] certificate and private_key (`kiosk-server tls self-signed` makes them), \
                 or plain_http = true behind a proxy that ends TLS",
                self.listen
            )),
            _ => Ok(()),
        }
    }

    /// The certificate and key of `[tls]`, read; none without `[tls]`.
    pub fn tls_identity(&self) -> Result<Option<kiosk_tls::ServerIdentity>, kiosk_tls::TlsError> {
        self.tls
            .as_ref()
            .map(|tls| kiosk_tls::ServerIdentity::load(&tls.certificate, &tls.private_key))
            .transpose()
    }

    /// The settings this config gives, apart from `[tls]` ([`Self::tls_identity`]).
    pub fn settings(&self) -> Settings {
        let mut settings = Settings::new(self.data_dir.clone(), self.admin_token.clone());
        if let Some(max) = self.max_blob_bytes {
            settings.max_blob_bytes = max;
        }
        settings.console_dir = self.console_dir.clone();
        if let Some(secs) = self.offline_after_s {
            settings.offline_after = Duration::from_secs(secs);
        }
        settings.alert_webhook = self.alerts.webhook.clone();
        // Checked by `parse`; a password file that went away since is left out.
        settings.alert_email = self.alerts.email.as_ref().and_then(|e| e.resolve().ok());
        if let Some(zone) = self.report_zone.as_deref().and_then(|z| TimeZone::get(z).ok()) {
            settings.report_zone = zone;
        }
        if let Some(days) = self.device_token_days {
            settings.device_token_lifetime = Duration::from_secs(days * 24 * 3600);
        }
        if let Some(hours) = self.enrolment_code_hours {
            settings.enrolment_code_lifetime = Duration::from_secs(hours * 3600);
        }
        if let Some(attempts) = self.enrol_attempts_per_minute {
            settings.enrol_attempts_per_minute = attempts;
        }
        if let Some(streams) = self.max_streams_per_device {
            settings.max_streams_per_device = streams;
        }
        settings.listener_limits = self.limits.applied_to(settings.listener_limits);
        settings.storage = self.resolved_storage.clone();
        settings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_storage_reads_its_secrets_from_files_and_refuses_half_a_setup() {
        let dir = tempfile::tempdir().unwrap();
        let (pg_secret, s3_secret) = (dir.path().join("pg"), dir.path().join("s3"));
        std::fs::write(&pg_secret, "mật-khẩu\n").unwrap();
        std::fs::write(&s3_secret, "s3-secret\n").unwrap();
        let head = "listen = \"127.0.0.1:1\"\ndata_dir = \"x\"\nadmin_token = \"t\"\n";
        let s3 = format!(
            "[storage.s3]\nendpoint = \"https://s3.example.vn\"\nbucket = \"b\"\naccess_key_id = \"k\"\n\
             secret_access_key_file = {s3_secret:?}\n"
        );
        let postgres = format!(
            "[storage]\npostgres = \"postgres://kiosk@10.0.0.5/kiosk\"\npostgres_password_file = {pg_secret:?}\n"
        );
        let storage = ConfigFile::parse(&format!("{head}{postgres}{s3}")).unwrap().settings().storage;
        let address = storage.postgres.as_ref().unwrap();
        assert_eq!(address.0.get_password(), Some("mật-khẩu".as_bytes()));
        assert!(!format!("{address:?}").contains("mật-khẩu"), "the password is never printed");
        let bucket = storage.s3.as_ref().unwrap();
        assert_eq!((bucket.secret_access_key.as_str(), bucket.prefix.as_str()), ("s3-secret", "blobs/"));
        assert!(!format!("{storage:?}").contains("s3-secret"));
        assert!(storage.is_shared());

        let refused = |text: String| ConfigFile::parse(&format!("{head}{text}")).unwrap_err();
        assert!(refused(postgres.clone()).contains("without [storage.s3]"));
        let in_url = "[storage]\npostgres = \"postgres://kiosk:hunter2@h/kiosk\"\n".to_owned();
        assert!(refused(format!("{in_url}{s3}")).contains("keep the password out of the config"));
        assert!(
            !refused("[storage]\npostgres = \"postgres://kiosk:hunter2@h:x/k\"\n".into()).contains("hunter2")
        );
        let plain = s3.replace("https://", "http://");
        assert!(refused(format!("{postgres}{plain}")).contains("allow_http"));
        let gone = format!("{postgres}{s3}").replace(&format!("{s3_secret:?}"), "\"/nonexistent\"");
        assert!(refused(gone).contains("secret_access_key_file"));
    }

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
        assert!(err.unwrap_err().contains("unknown field"));
    }

    #[test]
    fn reads_the_fleet_threshold_and_the_alert_webhook_and_refuses_odd_ones() {
        let head = "listen = \"127.0.0.1:1\"\ndata_dir = \"x\"\nadmin_token = \"t\"\n";
        let config = ConfigFile::parse(&format!(
            "{head}offline_after_s = 120\n[alerts]\nwebhook = \"http://127.0.0.1:9/h\"\n"
        ))
        .unwrap();
        let settings = config.settings();
        assert_eq!(settings.offline_after, Duration::from_secs(120));
        assert_eq!(settings.alert_webhook.as_deref(), Some("http://127.0.0.1:9/h"));
        assert_eq!(ConfigFile::parse(head).unwrap().settings().offline_after, Duration::from_secs(600));
        let mail = ConfigFile::parse(&format!(
            "{head}[alerts.email]\nserver = \"smtp.example.vn\"\nfrom = \"Kiosk <k@example.vn>\"\nto = [\"staff@example.vn\"]\n"
        ))
        .unwrap()
        .settings();
        let mail = mail.alert_email.unwrap();
        assert_eq!((mail.port(), mail.security), (587, SmtpSecurity::StartTls));
        let tokyo = ConfigFile::parse(&format!("{head}report_zone = \"Asia/Tokyo\"\n")).unwrap().settings();
        assert_eq!(tokyo.counting().zone.iana_name(), Some("Asia/Tokyo"));
        assert_eq!(tokyo.counting().offline_after, Duration::from_secs(600));
        let devices = ConfigFile::parse(&format!(
            "{head}device_token_days = 30\nenrolment_code_hours = 2\nenrol_attempts_per_minute = 3\nmax_streams_per_device = 2\n"
        ))
        .unwrap()
        .settings();
        assert_eq!(devices.device_token_lifetime, Duration::from_secs(30 * 24 * 3600));
        assert_eq!(devices.enrolment_code_lifetime, Duration::from_secs(2 * 3600));
        assert_eq!((devices.enrol_attempts_per_minute, devices.max_streams_per_device), (3, 2));
        assert_eq!(tokyo.device_token_lifetime, Duration::from_secs(365 * 24 * 3600), "the default");
        for (text, says) in [
            ("offline_after_s = 3\n", "10 seconds to 7 days"),
            ("[alerts]\nwebhook = \"ftp://x\"\n", "give an http:// URL"),
            ("[alerts]\nmail = \"a@b\"\n", "unknown field"),
            ("report_zone = \"Mars/Olympus\"\n", "give an IANA time zone"),
            ("device_token_days = 0\n", "device_token_days = 0: give 1 to 3650"),
            ("max_streams_per_device = 1000\n", "give 1 to 100"),
            (
                "[alerts.email]\nserver = \"s\"\nfrom = \"not an address\"\nto = [\"a@b.vn\"]\n",
                "is not an e-mail address",
            ),
            ("[alerts.email]\nserver = \"s\"\nfrom = \"a@b.vn\"\nto = []\n", "at least one recipient"),
            (
                "[alerts.email]\nserver = \"s\"\nfrom = \"a@b.vn\"\nto = [\"c@d.vn\"]\nsecurity = \"ssl\"\n",
                "unknown variant",
            ),
            (
                "[alerts.email]\nserver = \"s\"\nfrom = \"a@b.vn\"\nto = [\"c@d.vn\"]\nuser = \"u\"\n",
                "together",
            ),
            (
                "[alerts.email]\nserver = \"s\"\nfrom = \"a@b.vn\"\nto = [\"c@d.vn\"]\nuser = \"u\"\npassword_file = \"/nonexistent/p\"\n",
                "password_file /nonexistent/p",
            ),
        ] {
            let err = ConfigFile::parse(&format!("{head}{text}")).unwrap_err();
            assert!(err.contains(says), "{text}: {err}");
        }
    }

    #[test]
    fn the_network_gets_tls_unless_the_config_says_plain_http() {
        let on = |listen: &str, rest: &str| {
            ConfigFile::parse(&format!(
                "listen = \"{listen}\"\ndata_dir = \"x\"\nadmin_token = \"t\"\n{rest}"
            ))
        };
        let tls = "[tls]\ncertificate = \"c.pem\"\nprivate_key = \"k.pem\"\n";
        assert!(on("127.0.0.1:8780", "").is_ok(), "loopback may be plain");
        assert!(on("[::1]:8780", "").is_ok());
        assert!(on("0.0.0.0:8780", tls).unwrap().tls.is_some());
        assert!(on("192.168.1.20:8780", "plain_http = true\n").is_ok(), "said plainly");
        let refused = on("0.0.0.0:8780", "").unwrap_err();
        assert!(refused.contains("[tls]") && refused.contains("plain_http = true"), "{refused}");
        let both = on("0.0.0.0:8780", &format!("plain_http = true\n{tls}")).unwrap_err();
        assert!(both.contains("not both"), "{both}");
        let missing = on("0.0.0.0:8780", tls).unwrap().tls_identity().unwrap_err().to_string();
        assert!(missing.contains("c.pem"), "{missing}");
    }

    #[test]
    fn reads_the_limits_table_and_refuses_limits_that_keep_everyone_out() {
        let head = "listen = \"127.0.0.1:1\"\ndata_dir = \"x\"\nadmin_token = \"t\"\n";
        let limits = |table: &str| {
            ConfigFile::parse(&format!("{head}[limits]\n{table}")).map(|c| c.settings().listener_limits)
        };
        assert_eq!(ConfigFile::parse(head).unwrap().settings().listener_limits, DEFAULT_LISTENER_LIMITS);
        let set = limits(
            "max_connections = 500\nmax_connections_per_client = 20\nrequests_per_second_per_client = 7\n",
        )
        .unwrap();
        assert_eq!((set.max_connections, set.max_connections_per_client), (500, Some(20)));
        assert_eq!(
            set.request_rate,
            Some(kiosk_listener::RequestRate::new(7, DEFAULT_REQUEST_RATE.burst.get()))
        );
        let open = limits("max_connections_per_client = 0\nrequests_per_second_per_client = 0\n").unwrap();
        assert_eq!((open.max_connections_per_client, open.request_rate), (None, None));
        let burst = limits("request_burst_per_client = 50\n").unwrap();
        let per_second = DEFAULT_REQUEST_RATE.per_second.get();
        assert_eq!(burst.request_rate, Some(kiosk_listener::RequestRate::new(per_second, 50)));
        for (table, says) in [
            ("max_connections = 0\n", "max_connections = 0: give 16 to 1000000"),
            ("request_burst_per_client = 0\n", "give at least 1"),
            ("max_conns = 5\n", "unknown field"),
        ] {
            let err = limits(table).unwrap_err();
            assert!(err.contains(says), "{table}: {err}");
        }
    }
}
