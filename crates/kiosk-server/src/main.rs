//! `kiosk-server`: the central server of the kiosk fleet.
//!
//! `kiosk-server --config FILE` reads a TOML file (`listen`, `data_dir`,
//! `admin_token`, `[tls]` on an address other than loopback, and optional keys:
//! `kiosk_server::settings::ConfigFile`). Without one it listens on
//! `127.0.0.1:8780`, keeps its data under `$XDG_DATA_HOME/binhduong-kiosk-server`
//! and makes a random admin token on first start, printed once to stderr and kept
//! in the data folder (`admin.token`, readable by its owner only).
//!
//! `kiosk-server [--config FILE] user add [--admin] [--role CHANNEL=ROLE]... NAME`
//! adds a staff member of the console; the password is asked for (twice) on a
//! terminal, or read from the first line of standard input, and never printed.
//!
//! `kiosk-server tls self-signed --name HOST... --certificate FILE --private-key FILE`
//! makes a certificate and key for `[tls]`; screens pin the certificate.
//!
//! `kiosk-server --config FILE migrate --from sqlite:OLD_DATA_DIR [--to postgres://…]`
//! copies an embedded installation (its `server.sqlite` and `blobs/`) into the
//! shared storage the config's `[storage]` names; run again, it goes on where it
//! stopped; it verifies the copy (`kiosk_server::migrate`).
//!
//! `kiosk-server [--config FILE] report yearly --year 2026 --out FILE.pdf [--lang vi|en]`
//! writes the province's yearly report from the data folder (the server may be
//! running meanwhile).

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Parser;
use kiosk_server::Settings;
use kiosk_server::console::db::{AuditEntry, RoleGrant};
use kiosk_server::console::users::NewUser;
use kiosk_server::settings::ConfigFile;
use kiosk_yearly_report::Lang;
use std::io::IsTerminal;

/// The central server of the Bình Dương kiosk fleet.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// TOML config file with `listen`, `data_dir` and `admin_token`.
    #[arg(long, value_name = "FILE", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Staff of the console.
    #[command(subcommand)]
    User(UserCommand),
    /// Reports.
    #[command(subcommand)]
    Report(ReportCommand),
    /// TLS certificates.
    #[command(subcommand)]
    Tls(TlsCommand),
    /// Copies an embedded installation into shared storage (PostgreSQL, S3),
    /// resumable and verified.
    Migrate {
        /// The old data folder (`sqlite:/var/lib/binhduong-kiosk-server`, or its
        /// `server.sqlite`).
        #[arg(long, value_name = "sqlite:DIR")]
        from: String,
        /// The PostgreSQL database to copy into (default: the config's
        /// `[storage] postgres`); its password from the config's
        /// `postgres_password_file`, or the PGPASSWORD environment variable.
        #[arg(long, value_name = "postgres://…")]
        to: Option<String>,
    },
}

/// The data folder `--from` names.
fn old_data_dir(from: &str) -> PathBuf {
    let path = PathBuf::from(from.strip_prefix("sqlite:").unwrap_or(from));
    if path.file_name().is_some_and(|name| name == kiosk_server::state::DB_FILE) {
        path.parent().map(Path::to_owned).unwrap_or_default()
    } else {
        path
    }
}

async fn migrate(settings: &Settings, from: &str, to: Option<String>) -> anyhow::Result<()> {
    let mut storage = settings.storage.clone();
    if let Some(to) = to {
        let mut config: tokio_postgres::Config = to.parse().context("reading --to")?;
        if config.get_password().is_none()
            && let Some(password) = std::env::var_os("PGPASSWORD")
        {
            config.password(password.to_string_lossy().as_bytes());
        }
        storage.postgres = Some(kiosk_server::settings::PostgresAddress(config));
    }
    let Some(kiosk_server::settings::PostgresAddress(config)) = storage.postgres else {
        anyhow::bail!("name the PostgreSQL database: --to postgres://… or [storage] postgres in the config");
    };
    let from = old_data_dir(from);
    let target =
        kiosk_server::postgres::PgStore::open_config(config, settings.clock.clone(), settings.counting())
            .await
            .context("opening the target database")?;
    let blobs: Box<dyn kiosk_server::BlobStore> = match &storage.s3 {
        Some(s3) => {
            Box::new(kiosk_server::s3_blob_store::S3BlobStore::open(s3).await.map_err(anyhow::Error::msg)?)
        }
        None => Box::new(kiosk_server::FsBlobStore::open(&settings.data_dir.join("blobs"))?),
    };
    let migrated =
        kiosk_server::migrate::migrate(&from, &target, blobs.as_ref(), settings.counting()).await?;
    println!("{migrated}");
    eprintln!(
        "kiosk-server: {} is copied and verified; give every replica the keys of its data folder \
         (signing.key, emergency.key and their .pub)",
        from.display()
    );
    Ok(())
}

#[derive(Debug, clap::Subcommand)]
enum TlsCommand {
    /// Makes a self-signed certificate and its key for the names screens reach
    /// this server by; screens pin the certificate (`[sync] server_certificate`).
    SelfSigned {
        /// A host name or IP address of the server (repeat for each).
        #[arg(long = "name", value_name = "HOST", required = true)]
        names: Vec<String>,
        /// Where the certificate goes (PEM; give it to every screen).
        #[arg(long, value_name = "FILE.pem")]
        certificate: PathBuf,
        /// Where the private key goes (PEM, readable by its owner only).
        #[arg(long, value_name = "FILE.pem")]
        private_key: PathBuf,
        /// Replace files already there (screens pinning the old certificate
        /// stop trusting the server).
        #[arg(long)]
        replace: bool,
    },
}

/// Writes a self-signed certificate and its key, never half-written, the key
/// readable by its owner only; refuses to replace either unless `replace`.
fn self_signed(
    names: &[String],
    certificate: &Path,
    private_key: &Path,
    replace: bool,
) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if !replace && let Some(there) = [certificate, private_key].into_iter().find(|path| path.exists()) {
        anyhow::bail!("{} is already there; give --replace to make new ones", there.display());
    }
    let made = kiosk_tls::self_signed::generate(names)?;
    for (path, text, mode) in
        [(private_key, &made.private_key_pem, 0o600), (certificate, &made.certificate_pem, 0o644)]
    {
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut file = tempfile::NamedTempFile::new_in(folder)
            .with_context(|| format!("writing into {}", folder.display()))?;
        file.as_file().set_permissions(std::fs::Permissions::from_mode(mode))?;
        file.write_all(text.as_bytes())?;
        file.as_file().sync_all()?;
        file.persist(path).with_context(|| format!("writing {}", path.display()))?;
    }
    eprintln!(
        "kiosk-server: wrote a certificate for {} to {} (screens pin it) and its key to {}",
        names.join(", "),
        certificate.display(),
        private_key.display()
    );
    Ok(())
}

#[derive(Debug, clap::Subcommand)]
enum ReportCommand {
    /// Writes the yearly report for the province as a PDF.
    Yearly {
        /// The calendar year (days in the config's `report_zone`).
        #[arg(long)]
        year: i16,
        /// The PDF file to write (replaced whole, never half-written).
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Its language: vi or en.
        #[arg(long, default_value = "vi", value_parser = parse_lang)]
        lang: Lang,
        /// Only this channel (default: every channel).
        #[arg(long)]
        channel: Option<String>,
    },
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    text.parse::<Lang>().map_err(|e| e.to_string())
}

async fn yearly_report(
    settings: &Settings,
    year: i16,
    out: &Path,
    lang: Lang,
    channel: Option<String>,
) -> anyhow::Result<()> {
    let state = kiosk_server::state::AppState::open(settings).await?;
    if let Some(channel) = &channel {
        state.require_channel(channel).await.map_err(|e| anyhow::anyhow!(e.message))?;
    }
    let report = kiosk_server::reports::yearly::gather(&state, year, channel.map(|c| vec![c]), lang)
        .await
        .map_err(|e| anyhow::anyhow!(e.message))?;
    let empty = report.is_empty();
    let pdf = kiosk_server::reports::yearly::pdf(report, lang).await.map_err(anyhow::Error::msg)?;
    let folder = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(folder)
        .with_context(|| format!("writing into {}", folder.display()))?;
    file.write_all(&pdf)?;
    file.as_file().sync_all()?;
    file.persist(out).with_context(|| format!("writing {}", out.display()))?;
    if empty {
        eprintln!("kiosk-server: nothing was recorded in {year}; {} says so", out.display());
    } else {
        eprintln!("kiosk-server: wrote the yearly report for {year} to {}", out.display());
    }
    Ok(())
}

#[derive(Debug, clap::Subcommand)]
enum UserCommand {
    /// Adds a staff member (the first admin, for one).
    Add {
        /// They administer users, channels and devices (and hold every channel role).
        #[arg(long)]
        admin: bool,
        /// A role on a channel (`*` for every channel): viewer, editor or approver.
        #[arg(long = "role", value_name = "CHANNEL=ROLE", value_parser = parse_grant)]
        roles: Vec<RoleGrant>,
        /// The name they sign in with.
        name: String,
    },
}

fn parse_grant(text: &str) -> Result<RoleGrant, String> {
    let (channel, role) = text.split_once('=').ok_or("write CHANNEL=ROLE, e.g. booth=editor")?;
    let role = serde_json::from_value(serde_json::Value::String(role.to_owned()))
        .map_err(|_| format!("{role:?} is not a role: viewer, editor or approver"))?;
    Ok(RoleGrant { channel: channel.to_owned(), role })
}

/// The password, from a terminal (asked twice) or the first line of stdin.
fn read_password(name: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("password for {name}: "))?;
        let again = rpassword::prompt_password("the same again: ")?;
        anyhow::ensure!(first == again, "the two passwords differ; nothing was changed");
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn add_user(
    settings: &Settings,
    admin: bool,
    roles: Vec<RoleGrant>,
    name: String,
) -> anyhow::Result<()> {
    let password = read_password(&name)?;
    let staff = kiosk_server::state::Stores::open(settings).await?.staff;
    let new = NewUser { name, password, is_admin: admin, roles };
    let user = kiosk_server::console::users::add_user(&staff, &settings.clock, new).await?;
    let detail =
        format!("added {} from the command line{}", user.name, if admin { " as an admin" } else { "" });
    let at = kiosk_server::db::sortable_time(settings.clock.now());
    let entry = AuditEntry {
        id: 0,
        at,
        actor: "command-line".into(),
        action: "user.add".into(),
        channel: None,
        detail,
        remote: None,
    };
    staff.append_audit(entry).await?;
    eprintln!("kiosk-server: added {}", user.name);
    Ok(())
}

/// Where the console's built files are when the config does not say: the
/// installed package's folder, else the source tree's build.
fn default_console_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("KIOSK_CONSOLE_DIR").map(PathBuf::from),
        Some(PathBuf::from("/usr/share/binhduong-kiosk-server/console")),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/console/dist")),
    ];
    candidates.into_iter().flatten().find(|dir| dir.join("index.html").is_file())
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

/// The admin token kept in `dir`, or a new one made, kept and printed once.
/// The file is written whole or not at all: a temporary file, readable by its
/// owner only from its creation, synced, then linked in under its name and the
/// folder synced. An empty file (left by an older version cut short) is
/// replaced, as its token was never shown.
fn load_or_create_admin_token(dir: &Path) -> anyhow::Result<String> {
    let path = dir.join(TOKEN_FILE);
    match std::fs::read_to_string(&path) {
        Ok(token) if !token.trim().is_empty() => return Ok(token.trim().to_owned()),
        Ok(_) => {
            tracing::warn!(path = %path.display(), "the admin token file is empty; making a new token");
            std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let token = kiosk_server::admin::random_hex::<32>();
    // tempfile creates the file with mode 0600.
    let mut temp = tempfile::Builder::new()
        .prefix(".admin.token.")
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    temp.write_all(format!("{token}\n").as_bytes())?;
    temp.as_file().sync_all()?;
    temp.persist_noclobber(&path).with_context(|| format!("creating {}", path.display()))?;
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("syncing {}", dir.display()))?;
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
    if let Some(Command::Tls(TlsCommand::SelfSigned { names, certificate, private_key, replace })) =
        &cli.command
    {
        return self_signed(names, certificate, private_key, *replace);
    }
    let (listen, mut settings): (SocketAddr, Settings) = match &cli.config {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            let config = ConfigFile::parse(&text)
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("reading {}", path.display()))?;
            let mut settings = config.settings();
            settings.tls = config.tls_identity().with_context(|| format!("reading {}", path.display()))?;
            (config.listen, settings)
        }
        None => {
            let dir = default_data_dir()?;
            let token = load_or_create_admin_token(&dir)?;
            (DEFAULT_LISTEN.parse()?, Settings::new(dir, token))
        }
    };
    match cli.command {
        Some(Command::User(UserCommand::Add { admin, roles, name })) => {
            return add_user(&settings, admin, roles, name).await;
        }
        Some(Command::Report(ReportCommand::Yearly { year, out, lang, channel })) => {
            return yearly_report(&settings, year, &out, lang, channel).await;
        }
        Some(Command::Migrate { from, to }) => return migrate(&settings, &from, to).await,
        Some(Command::Tls(_)) | None => {}
    }
    if settings.console_dir.is_none() {
        settings.console_dir = default_console_dir();
    }
    match &settings.console_dir {
        Some(dir) => tracing::info!(dir = %dir.display(), "serving the staff console at /console/"),
        None => tracing::warn!(
            "no console files found (build ui/console or set console_dir); serving the API only"
        ),
    }
    let listener =
        tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    };
    kiosk_server::serve(settings, listener, shutdown).await?;
    Ok(())
}
