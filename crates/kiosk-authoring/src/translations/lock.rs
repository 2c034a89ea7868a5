//! `translations.lock`: for each locale and place, the hash of the default-locale
//! text its translation was last confirmed against.
//!
//! ```toml
//! [ko]
//! "story/01-award.toml › scenes[new-york] › body" = "3f2a9c0d41e7b655"
//! ```
//!
//! A translation whose place holds another hash was made from an older text
//! (stale); one without an entry was never confirmed. The file is written only
//! when translations are confirmed, sorted, after a header that says how to
//! update it, so changes read well in a diff.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use kiosk_core::locale::LocaleTag;

use super::{PackTexts, TranslationsError};

/// The lock's file name in the author's folder.
pub const LOCK_FILE: &str = "translations.lock";

const HEADER: &str = "\
# Translations confirmed against the default-locale texts of this folder.
#
# For each locale, each place names a text (file › keys) and holds the first 16
# hex digits of the SHA-256 of the default-locale text as it was when that
# translation was last confirmed. When the default-locale text changes, the
# translation is stale until it is reviewed and confirmed again:
#
#   kioskctl translations check media
#   kioskctl translations confirm media --locale ko [--place PLACE]...
#
# Written by `kioskctl translations confirm`, sorted; do not edit by hand.
";

/// The confirmed hashes, by locale and place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TranslationLock {
    confirmed: BTreeMap<String, BTreeMap<String, String>>,
}

impl TranslationLock {
    /// Reads `translations.lock` from the author's folder; none there is an
    /// empty lock.
    pub fn read(media_dir: &Path) -> Result<Self, TranslationsError> {
        let path = media_dir.join(LOCK_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&text),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(TranslationsError::Read { path, source }),
        }
    }

    /// Parses the lock's text.
    pub fn parse(text: &str) -> Result<Self, TranslationsError> {
        let confirmed = toml::from_str(text)
            .map_err(|error| TranslationsError::Lock { message: error.to_string().trim_end().to_owned() })?;
        Ok(Self { confirmed })
    }

    /// The lock's text: the header, then one table per locale, places sorted.
    pub fn to_toml(&self) -> String {
        let body = toml::to_string(&self.confirmed).expect("a map of strings is TOML");
        if body.is_empty() { HEADER.to_owned() } else { format!("{HEADER}\n{body}") }
    }

    /// Writes the lock into the author's folder at once: a temporary file
    /// beside it, renamed over the old one.
    pub fn write(&self, media_dir: &Path) -> Result<(), TranslationsError> {
        let path = media_dir.join(LOCK_FILE);
        let write = || -> std::io::Result<()> {
            let mut builder = tempfile::Builder::new();
            // Readable like any file the author makes (the umask still applies).
            #[cfg(unix)]
            builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
            let mut temp = builder.prefix(".translations.lock.").tempfile_in(media_dir)?;
            temp.write_all(self.to_toml().as_bytes())?;
            temp.as_file().sync_all()?;
            temp.persist(&path)?;
            Ok(())
        };
        write().map_err(|source| TranslationsError::Write { path: path.clone(), source })
    }

    /// The hash `locale`'s translation at `place` was confirmed against.
    pub fn confirmed(&self, locale: &LocaleTag, place: &str) -> Option<&str> {
        self.confirmed.get(locale.as_str())?.get(place).map(String::as_str)
    }

    /// Records the current default-locale hashes of `locale`'s translations: of
    /// every one when `places` is empty, else of the places named. Then drops
    /// every entry whose place is gone or no longer translated. Returns how many
    /// translations were confirmed.
    pub fn confirm(
        &mut self,
        texts: &PackTexts,
        locale: &LocaleTag,
        places: &[String],
    ) -> Result<usize, TranslationsError> {
        if *locale == texts.default_locale {
            return Err(TranslationsError::SourceLocale { locale: locale.clone() });
        }
        if !texts.locales.iter().any(|target| target.tag == *locale) {
            return Err(TranslationsError::UnknownLocale {
                locale: locale.clone(),
                known: texts.locales.iter().map(|target| target.tag.to_string()).collect(),
            });
        }
        let chosen: Vec<_> = if places.is_empty() {
            texts.texts.iter().filter(|text| text.is_translated(locale)).collect()
        } else {
            places
                .iter()
                .map(|place| {
                    let text = texts
                        .texts
                        .iter()
                        .find(|text| text.place == *place)
                        .ok_or_else(|| TranslationsError::UnknownPlace { place: place.clone() })?;
                    if !text.is_translated(locale) {
                        return Err(TranslationsError::NotTranslated {
                            place: place.clone(),
                            locale: locale.clone(),
                        });
                    }
                    Ok(text)
                })
                .collect::<Result<_, _>>()?
        };
        let confirmed = self.confirmed.entry(locale.to_string()).or_default();
        for text in &chosen {
            confirmed.insert(text.place.clone(), text.source_hash.clone());
        }
        self.keep_present(texts);
        Ok(chosen.len())
    }

    /// Drops entries whose place no longer exists or has no text in that locale.
    fn keep_present(&mut self, texts: &PackTexts) {
        for (locale, places) in &mut self.confirmed {
            places.retain(|place, _| {
                texts.texts.iter().any(|text| {
                    text.place == *place && text.translated.iter().any(|tag| tag.as_str() == locale)
                })
            });
        }
        self.confirmed.retain(|_, places| !places.is_empty());
    }
}
