//! `kioskctl translations`: which texts of a content folder are missing or stale
//! in each locale, and confirming reviewed translations in `translations.lock`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use kiosk_authoring::translations::{self, LOCK_FILE};
use kiosk_core::locale::LocaleTag;

/// How many places `check` lists under each locale.
const PLACES_PER_LOCALE: usize = 20;
/// How many places a build's summary line names.
const PLACES_PER_SUMMARY: usize = 3;

/// `kioskctl translations …`
#[derive(Debug, Subcommand)]
pub enum TranslationsCommand {
    /// Prints, per locale, the texts missing, stale (the default-locale text changed
    /// since the translation was confirmed) or unconfirmed; exit 1 if there are any.
    Check {
        /// The content folder.
        #[arg(default_value = "media")]
        media_dir: PathBuf,
    },
    /// Records in translations.lock that a locale's translations (all, or those at
    /// the places named) match the default-locale texts as they are now.
    Confirm {
        /// The content folder.
        #[arg(default_value = "media")]
        media_dir: PathBuf,
        /// The locale, such as `ko`.
        #[arg(long)]
        locale: String,
        /// A place as `check` prints it; repeat for several. Default: every
        /// translated text of the locale.
        #[arg(long = "place")]
        places: Vec<String>,
    },
}

pub fn run(command: TranslationsCommand) -> Result<()> {
    match command {
        TranslationsCommand::Check { media_dir } => {
            let reports = translations::check_folder(&media_dir)
                .with_context(|| format!("checking the translations of {}", media_dir.display()))?;
            print!("{}", translations::render(&reports, PLACES_PER_LOCALE));
            let incomplete = reports.iter().filter(|report| !report.is_complete()).count();
            if incomplete > 0 {
                bail!(
                    "{incomplete} locale(s) with missing, stale or unconfirmed texts; once a translation \
                     is reviewed: kioskctl translations confirm {} --locale TAG [--place PLACE]…",
                    media_dir.display()
                );
            }
            Ok(())
        }
        TranslationsCommand::Confirm { media_dir, locale, places } => {
            let locale = LocaleTag::new(&locale)?;
            let confirmed = translations::confirm_folder(&media_dir, &locale, &places)
                .with_context(|| format!("confirming {locale} in {}", media_dir.display()))?;
            println!("confirmed {confirmed} {locale} text(s) in {}", media_dir.join(LOCK_FILE).display());
            Ok(())
        }
    }
}

/// Tells on standard error, one line per locale, what a content folder lacks;
/// never fails (a build goes on with the default-locale text as fallback).
pub fn print_summary(media_dir: &Path) {
    match translations::check_folder(media_dir) {
        Ok(reports) => {
            for report in reports.iter().filter(|report| !report.is_complete()) {
                eprintln!("translations {}", report.summary(PLACES_PER_SUMMARY));
            }
        }
        Err(error) => eprintln!("translations not checked: {error}"),
    }
}
