//! `kioskctl keys`.

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;
use kiosk_core::keys::key_id;

/// `kioskctl keys …`
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Writes a new Ed25519 key pair: NAME.key (owner-only) and NAME.pub.
    Generate {
        /// Folder for the two files (created if needed).
        #[arg(long)]
        out: PathBuf,
        /// File name without extension.
        #[arg(long, default_value = "content")]
        name: String,
    },
}

pub fn run(command: KeysCommand) -> Result<()> {
    match command {
        KeysCommand::Generate { out, name } => {
            let (files, public) = kiosk_authoring::keys::generate(&out, &name)?;
            println!("secret key: {} (keep it secret)", files.secret.display());
            println!("public key: {} (pin it on devices)", files.public.display());
            println!("key id:     {}", key_id(&public));
            Ok(())
        }
    }
}
