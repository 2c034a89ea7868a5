//! Tokens reach kioskctl through its environment, never its command line,
//! where every user of the machine reads them in the process list and shells
//! keep them in their history.

use anyhow::{Result, bail};

/// The device token `kioskctl sync` presents.
pub const DEVICE_TOKEN: &str = "KIOSK_DEVICE_TOKEN";

/// The admin token `kioskctl publish` presents.
pub const ADMIN_TOKEN: &str = "KIOSK_ADMIN_TOKEN";

/// The device or admin token `kioskctl bundle export` presents to a server.
pub const EXPORT_TOKEN: &str = "KIOSK_TOKEN";

/// The token in `variable`, if it is set and not blank.
pub fn from_env(variable: &str) -> Option<String> {
    std::env::var(variable).ok().map(|token| token.trim().to_owned()).filter(|token| !token.is_empty())
}

/// The token in `variable`, or an error saying how to give it.
pub fn required(variable: &str, what: &str) -> Result<String> {
    match from_env(variable) {
        Some(token) => Ok(token),
        None => {
            bail!("set {variable} to {what}: tokens are taken from the environment, never the command line")
        }
    }
}
