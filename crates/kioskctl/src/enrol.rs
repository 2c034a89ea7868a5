//! `kioskctl enrol`: a screen's first boot. Trades a one-time code from an admin
//! for the screen's own device token and writes it, with the server and the
//! channel the server names, into the device config, in place.
//!
//! The config keeps its comments and order (`toml_edit`); it is replaced by one
//! rename, with the original's owner and permission bits, and only once the edited
//! text loads as a screen loads it. Everything that can be checked before the
//! one-time code is spent is checked first: the address, the file, that the edit
//! would load, and that a file with the same owner can be written beside it.

use std::fs::{File, Metadata, Permissions};
use std::io::{Seek, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail, ensure};
use clap::Args;
use kiosk_device::config::{BaseUrl, LoadedConfig};
use kiosk_wire::enrol::{EnrolRequest, Enrolled};
use reqwest::blocking::Client;
use tempfile::NamedTempFile;
use toml_edit::{DocumentMut, Item, Table, TableLike, Value};

use crate::publish::expect_ok;

/// Stands in for the channel and token while checking, before the code is spent,
/// that the edited config would load.
const CHANNEL_PLACEHOLDER: &str = "enrolling";
pub(crate) const TOKEN_PLACEHOLDER: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// `kioskctl enrol`
#[derive(Debug, Args)]
pub struct EnrolArgs {
    #[command(flatten)]
    server: crate::server::ServerArgs,
    /// The one-time enrolment code from an admin.
    #[arg(long)]
    code: String,
    /// The device config to write the server, token and channel into.
    #[arg(long)]
    config: PathBuf,
    /// The screen's name, for people; default: this machine's hostname.
    #[arg(long)]
    name: Option<String>,
}

/// Runs `kioskctl enrol`.
pub fn enrol(args: EnrolArgs) -> Result<()> {
    let server = server_address(&args.server.server)?;
    // Before anything else: an https:// server needs its certificate pinned.
    let http = args.server.client(
        Client::builder().connect_timeout(Duration::from_secs(10)).timeout(Duration::from_secs(30)),
    )?;
    // Written into the config as an absolute path: the screen reads it from anywhere.
    let certificate = match &args.server.server_certificate {
        Some(file) => Some(
            std::fs::canonicalize(file)
                .with_context(|| format!("--server-certificate {}: cannot read it", file.display()))?
                .to_string_lossy()
                .into_owned(),
        ),
        None => None,
    };
    let target = Target { server: &server, certificate: certificate.as_deref() };
    let name = match args.name {
        Some(name) => name,
        None => hostname()?,
    };
    let shown = args.config.display();

    let path =
        std::fs::canonicalize(&args.config).with_context(|| format!("{shown}: cannot read the config"))?;
    let metadata = std::fs::metadata(&path).with_context(|| format!("{shown}: cannot read the config"))?;
    if !metadata.is_file() {
        bail!("{shown}: the config is not a file");
    }
    let original =
        std::fs::read_to_string(&path).with_context(|| format!("{shown}: cannot read the config"))?;
    let document: DocumentMut = original.parse().map_err(|e: toml_edit::TomlError| {
        anyhow!("{shown}: not valid TOML: {}", e.to_string().trim_end().replace('\n', "\n    "))
    })?;

    // Before the one-time code is spent: the edit loads, and can be written.
    let mut staged =
        Staged::beside(&path, &metadata).with_context(|| format!("{shown}: cannot be replaced"))?;
    let trial = edited(&document, &target, CHANNEL_PLACEHOLDER, TOKEN_PLACEHOLDER)
        .with_context(|| format!("{shown}: cannot be edited"))?;
    staged
        .write_and_check(&trial, &args.config)
        .with_context(|| format!("{shown} would not load once enrolled, so the code was not used"))?;

    let enrolled = ask_server(&http, &server, &args.code, &name)
        .with_context(|| format!("enrolment failed; {shown} is left as it was"))?;
    let Enrolled { device_id, token, channel } = enrolled;
    let lost = || {
        format!(
            "the server enrolled device {device_id}, but {shown} was not changed; \
             remove that device and enrol again with a new code"
        )
    };
    let text = edited(&document, &target, &channel, &token).with_context(lost)?;
    staged
        .write_and_check(&text, &args.config)
        .map_err(|e| anyhow!("{}", format!("{e:#}").replace(&token, "<token>")))
        .with_context(lost)?;
    staged.replace(&path).with_context(lost)?;
    if metadata.permissions().mode() & 0o004 != 0 {
        eprintln!("kioskctl: warning: {shown} is readable by every user and now holds the device token");
    }
    println!("enrolled as device {device_id} on channel {channel}; {shown} now syncs from {server}");
    Ok(())
}

/// The server's base address, as a config's `sync.server` takes it.
fn server_address(given: &str) -> Result<String> {
    let BaseUrl(base) = BaseUrl::try_from(given.to_owned()).map_err(|e| anyhow!("--server: {e}"))?;
    reqwest::Url::parse(&base).map_err(|e| anyhow!("--server: {given:?} is not an address: {e}"))?;
    Ok(base)
}

/// This machine's hostname.
fn hostname() -> Result<String> {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .into_iter()
        .filter_map(|file| std::fs::read_to_string(file).ok())
        .map(|text| text.trim().to_owned())
        .find(|name| !name.is_empty())
        .context("cannot tell this machine's hostname; name the screen with --name")
}

/// `POST /v1/enrol`: the device id, token and channel for a code.
fn ask_server(http: &Client, server: &str, code: &str, name: &str) -> Result<Enrolled> {
    let url = format!("{server}{}", kiosk_wire::paths::enrol());
    let request = EnrolRequest { code: code.trim().to_owned(), name: name.trim().to_owned() };
    let response = expect_ok(
        http.post(&url)
            .header("content-type", "application/json")
            .body(serde_json::to_string(&request)?)
            .send(),
        &url,
    )?;
    let answer = response.text().with_context(|| format!("{url}: the answer was cut off"))?;
    let enrolled: Enrolled =
        serde_json::from_str(&answer).with_context(|| format!("{url}: the answer is not an enrolment"))?;
    ensure!(!enrolled.token.is_empty(), "{url}: the answer has no token");
    Ok(enrolled)
}

/// The server a screen is enrolled with, as its config names it.
struct Target<'a> {
    /// `sync.server`.
    server: &'a str,
    /// `sync.server_certificate`, an absolute path; none for `http://`.
    certificate: Option<&'a str>,
}

/// The config text with `content.channel`, `sync.server`,
/// `sync.server_certificate` and `sync.token` set; everything else, comments
/// included, as it was.
fn edited(document: &DocumentMut, target: &Target<'_>, channel: &str, token: &str) -> Result<String> {
    let mut document = document.clone();
    let content = document
        .get_mut("content")
        .and_then(Item::as_table_like_mut)
        .context("it has no [content] table (start from kiosk-config/booth.toml)")?;
    set(content, "channel", channel);
    match document.get_mut("sync") {
        None => {
            // Comments after the last key of the file stay where they are, above
            // the new table rather than inside it.
            let trailing = document.trailing().as_str().unwrap_or_default().trim_end().to_owned();
            document.set_trailing("");
            let mut sync = Table::new();
            sync.decor_mut().set_prefix(if trailing.is_empty() {
                "\n".into()
            } else {
                format!("{trailing}\n\n")
            });
            document.insert("sync", Item::Table(sync));
        }
        // `sync = { server = "…" }`: the space before `}` is the last value's;
        // a key added after it takes it along.
        Some(Item::Value(Value::InlineTable(inline)))
            if !(inline.contains_key("server") && inline.contains_key("token")) =>
        {
            if let Some((_, last)) = inline.iter_mut().last()
                && last.decor().suffix().and_then(|s| s.as_str()).is_some_and(|s| s.trim().is_empty())
            {
                last.decor_mut().set_suffix("");
            }
        }
        Some(_) => {}
    }
    let sync = document.get_mut("sync").and_then(Item::as_table_like_mut).context("`sync` is not a table")?;
    set(sync, "server", target.server);
    match target.certificate {
        Some(certificate) => set(sync, "server_certificate", certificate),
        None => drop(sync.remove("server_certificate")),
    }
    set(sync, "token", token);
    Ok(document.to_string())
}

/// Sets a string, keeping a value's comment on its line.
pub(crate) fn set(table: &mut dyn TableLike, key: &str, text: &str) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            let decor = old.decor().clone();
            *old = Value::from(text);
            *old.decor_mut() = decor;
        }
        _ => {
            table.insert(key, toml_edit::value(text));
        }
    }
}

/// The new config, in a temporary file beside the old one with its owner and
/// permission bits; dropped unless it replaces the old one.
pub(crate) struct Staged(NamedTempFile);

impl Staged {
    pub(crate) fn beside(path: &Path, original: &Metadata) -> Result<Self> {
        let dir = path.parent().context("the config has no folder")?;
        let file_name = path.file_name().context("the config has no file name")?.to_string_lossy();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{file_name}."))
            .suffix(".enrol")
            .tempfile_in(dir)
            .with_context(|| format!("cannot write a file in {}", dir.display()))?;
        // The owner first: a change of owner may clear bits set before it.
        let file = temp.as_file();
        let made = file.metadata()?;
        if (made.uid(), made.gid()) != (original.uid(), original.gid()) {
            std::os::unix::fs::fchown(file, Some(original.uid()), Some(original.gid())).with_context(
                || {
                    format!(
                        "cannot give the new file the owner {}:{} of the old one (run as root)",
                        original.uid(),
                        original.gid()
                    )
                },
            )?;
        }
        file.set_permissions(Permissions::from_mode(original.permissions().mode() & 0o7777))?;
        Ok(Self(temp))
    }

    /// Writes `text`, syncs it, and loads it as a screen would.
    pub(crate) fn write_and_check(&mut self, text: &str, path: &Path) -> Result<()> {
        let file = self.0.as_file_mut();
        file.set_len(0)?;
        file.rewind()?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        LoadedConfig::load(self.0.path()).map_err(|e| {
            let message =
                e.to_string().replace(&self.0.path().display().to_string(), &path.display().to_string());
            anyhow!("{message}")
        })?;
        Ok(())
    }

    /// Renames the new file over the old one and syncs the folder.
    pub(crate) fn replace(self, path: &Path) -> Result<()> {
        self.0.persist(path)?;
        if let Some(dir) = path.parent() {
            File::open(dir)?.sync_all()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(server: &str) -> Target<'_> {
        Target { server, certificate: None }
    }

    const CONFIG: &str = "# A booth.\nmode = \"kiosk\"\n\n[content]\n# Which group.\nchannel = \"old\" # set by enrol\ntrusted_keys = [\"k.pub\"]\n\n[staff]\npin_hash = \"x\"\n";

    #[test]
    fn sets_channel_server_and_token_keeping_comments() {
        let document: DocumentMut = CONFIG.parse().unwrap();
        let text = edited(&document, &plain("http://s:8780"), "hall-a", "t0k").unwrap();
        assert_eq!(
            text,
            CONFIG.replace("\"old\"", "\"hall-a\"")
                + "\n[sync]\nserver = \"http://s:8780\"\ntoken = \"t0k\"\n"
        );
    }

    #[test]
    fn a_new_sync_table_comes_after_the_last_comments() {
        let text = format!("{CONFIG}# Later, maybe:\n# [mirror]\n\n");
        let edited = edited(&text.parse().unwrap(), &plain("http://s"), "c", "t").unwrap();
        assert!(
            edited
                .ends_with("\n# Later, maybe:\n# [mirror]\n\n[sync]\nserver = \"http://s\"\ntoken = \"t\"\n"),
            "{edited}"
        );
        let unended = CONFIG.trim_end();
        let edited = super::edited(&unended.parse().unwrap(), &plain("http://s"), "c", "t").unwrap();
        assert!(
            edited.ends_with("pin_hash = \"x\"\n\n[sync]\nserver = \"http://s\"\ntoken = \"t\"\n"),
            "{edited}"
        );
    }

    #[test]
    fn keeps_the_other_keys_of_sync() {
        let config = format!("{CONFIG}\n[sync]\n# Where from.\nserver = \"http://old\"\nevery_secs = 60\n");
        let text = edited(&config.parse().unwrap(), &plain("https://new"), "c", "t").unwrap();
        assert!(
            text.ends_with(
                "[sync]\n# Where from.\nserver = \"https://new\"\nevery_secs = 60\ntoken = \"t\"\n"
            ),
            "{text}"
        );
        let inline = format!("sync = {{ server = \"http://old\", every_secs = 60 }}\n{CONFIG}");
        let text = edited(&inline.parse().unwrap(), &plain("http://n"), "c", "t").unwrap();
        assert!(
            text.starts_with("sync = { server = \"http://n\", every_secs = 60, token = \"t\" }\n"),
            "{text}"
        );
        let bad = format!("sync = 3\n{CONFIG}");
        assert!(edited(&bad.parse().unwrap(), &plain("http://n"), "c", "t").is_err());
        let none = "mode = \"kiosk\"\n";
        assert!(edited(&none.parse().unwrap(), &plain("http://n"), "c", "t").is_err());
    }

    #[test]
    fn a_server_address_is_a_config_s_address() {
        assert_eq!(server_address("http://127.0.0.1:8780/").unwrap(), "http://127.0.0.1:8780");
        for bad in ["127.0.0.1:8780", "ftp://x", "http://", "http://a b", "http://[::1"] {
            assert!(server_address(bad).is_err(), "{bad}");
        }
    }
}
