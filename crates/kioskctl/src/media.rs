//! `kioskctl media`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;

/// `kioskctl media …`
#[derive(Debug, Subcommand)]
pub enum MediaCommand {
    /// Prints what a media file is (duration, size, codecs, audio) and whether this
    /// machine decodes it, as JSON; a file that is not playable media is one line
    /// and a non-zero exit.
    Probe {
        /// The file.
        file: PathBuf,
    },
    /// Writes one frame of a film or picture as PNG.
    Thumbnail {
        /// The file.
        file: PathBuf,
        /// Where in the film, in milliseconds.
        #[arg(long, default_value_t = 1000)]
        at_ms: u64,
        /// Width of the PNG in pixels (the height follows).
        #[arg(long, default_value_t = 480)]
        width: u32,
        /// The PNG to write.
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(command: MediaCommand) -> Result<()> {
    match command {
        MediaCommand::Probe { file } => {
            let facts = kiosk_media::probe::probe(&file)?;
            println!("{}", serde_json::to_string_pretty(&facts)?);
            if let Some(reason) = facts.decode_error {
                anyhow::bail!("{}: not playable media: {reason}", file.display());
            }
            Ok(())
        }
        MediaCommand::Thumbnail { file, at_ms, width, out } => {
            let png = kiosk_media::thumbnail::thumbnail_png(&file, at_ms, width)?;
            std::fs::write(&out, png).with_context(|| format!("writing {}", out.display()))?;
            println!("{}", out.display());
            Ok(())
        }
    }
}
