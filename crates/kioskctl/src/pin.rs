//! `kioskctl pin`.

use std::io::BufRead;

use anyhow::{Context, Result};
use clap::Subcommand;

/// `kioskctl pin …`
#[derive(Debug, Subcommand)]
pub enum PinCommand {
    /// Prints the hash of a staff PIN for `staff.pin_hash` in a device config.
    Hash {
        /// The PIN (4–12 digits); read from standard input when absent.
        pin: Option<String>,
    },
}

pub fn run(command: PinCommand) -> Result<()> {
    match command {
        PinCommand::Hash { pin } => {
            let pin = match pin {
                Some(pin) => pin,
                None => std::io::stdin()
                    .lock()
                    .lines()
                    .next()
                    .context("no PIN on standard input")?
                    .context("reading the PIN")?,
            };
            println!("{}", kiosk_device::staff_pin::hash_pin(pin.trim())?);
            Ok(())
        }
    }
}
