//! `kioskctl renew`: a screen's device token traded, before it expires, for a
//! fresh one (`POST /v1/token/renew`) and written into the device config in
//! place, as `kioskctl enrol` writes it: comments and order kept, one rename
//! with the original's owner and permission bits, and only once the edited text
//! loads as a screen loads it. If the new token cannot be written, running it
//! again works: the old token may renew until the new one is first used.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail, ensure};
use clap::Args;
use kiosk_device::config::{BaseUrl, LoadedConfig};
use kiosk_wire::TokenRenewed;
use reqwest::blocking::Client;
use toml_edit::{DocumentMut, Item};

use crate::enrol::{Staged, TOKEN_PLACEHOLDER, set};
use crate::publish::expect_ok;

/// `kioskctl renew`
#[derive(Debug, Args)]
pub struct RenewArgs {
    /// The device config holding the server and the token to renew.
    #[arg(long)]
    config: PathBuf,
}

/// Runs `kioskctl renew`.
pub fn renew(args: RenewArgs) -> Result<()> {
    let shown = args.config.display();
    let loaded = LoadedConfig::load(&args.config).map_err(|e| anyhow!("{e}"))?;
    let Some(sync) = loaded.config.sync else {
        bail!("{shown} has no [sync] table: enrol the screen first (kioskctl enrol)");
    };
    let Some(token) = sync.token else {
        bail!("{shown} has no sync.token: enrol the screen first (kioskctl enrol)");
    };
    let BaseUrl(server) = sync.server;
    let pinned = loaded.server_pin;

    let path = loaded.path;
    let metadata = std::fs::metadata(&path).with_context(|| format!("{shown}: cannot read the config"))?;
    let original =
        std::fs::read_to_string(&path).with_context(|| format!("{shown}: cannot read the config"))?;
    let document: DocumentMut = original.parse().map_err(|e| anyhow!("{shown}: not valid TOML: {e}"))?;

    // Before the old token is spent: the edit loads, and can be written.
    let mut staged =
        Staged::beside(&path, &metadata).with_context(|| format!("{shown}: cannot be replaced"))?;
    staged
        .write_and_check(&with_token(&document, TOKEN_PLACEHOLDER)?, &args.config)
        .with_context(|| format!("{shown} would not load once renewed, so the token was not renewed"))?;

    let renewed = ask_server(&server, pinned, &token)
        .with_context(|| format!("renewal failed; {shown} is left as it was"))?;
    let lost =
        || format!("the server renewed the token, but {shown} was not changed; run kioskctl renew again");
    let text = with_token(&document, &renewed.token).with_context(lost)?;
    staged
        .write_and_check(&text, &args.config)
        .map_err(|e| anyhow!("{}", format!("{e:#}").replace(&renewed.token, "<token>")))
        .with_context(lost)?;
    staged.replace(&path).with_context(lost)?;
    println!("renewed the device token in {shown}; it works until {}", renewed.expires_at);
    Ok(())
}

/// `POST /v1/token/renew` with `token`: the new token and its expiry.
fn ask_server(server: &str, pinned: Option<kiosk_tls::PinnedServer>, token: &str) -> Result<TokenRenewed> {
    let mut http =
        Client::builder().connect_timeout(Duration::from_secs(10)).timeout(Duration::from_secs(30));
    if let Some(pinned) = pinned {
        http = http.tls_backend_preconfigured(pinned.client_config());
    }
    let http = http.build()?;
    let url = format!("{server}{}", kiosk_wire::paths::token_renew());
    let response = expect_ok(http.post(&url).bearer_auth(token).send(), &url)?;
    let answer = response.text().with_context(|| format!("{url}: the answer was cut off"))?;
    let renewed: TokenRenewed =
        serde_json::from_str(&answer).with_context(|| format!("{url}: the answer is not a renewed token"))?;
    ensure!(!renewed.token.is_empty(), "{url}: the answer has no token");
    Ok(renewed)
}

/// The config text with `sync.token` set; everything else as it was.
fn with_token(document: &DocumentMut, token: &str) -> Result<String> {
    let mut document = document.clone();
    let sync = document.get_mut("sync").and_then(Item::as_table_like_mut).context("`sync` is not a table")?;
    set(sync, "token", token);
    Ok(document.to_string())
}
