//! Which texts of an author's folder are missing or stale in each language.
//!
//! Every text an author writes is a table keyed by locale (`media/README.md`),
//! written first in the pack's `default_locale` and translated from it. For each
//! other locale, a text is
//!
//! - **missing** when the place has the default-locale text but none in this locale;
//! - **stale** when the default-locale text changed since this locale's translation
//!   was confirmed, that is when its hash differs from the one in
//!   `translations.lock` ([`TranslationLock`]);
//! - **unconfirmed** when it is translated but the lock has no entry for it.
//!
//! The locales checked are those `pack.toml` offers and any other that some text
//! is already translated into (a language being prepared before it is offered).
//! `kioskctl translations check` prints the [`report`]; `kioskctl translations
//! confirm` records the current hashes; the app's build and `kioskctl bundle build`
//! warn with one [`LocaleReport::summary`] per locale that needs work.
//!
//! # Layout
//! - [`places`]: finds the localized values of a TOML file and names their places.
//! - [`lock`]: reads, updates and writes `translations.lock`.
//! - [`report`]: compares the two, per locale, and tells the result.
//!
//! # Example
//! ```no_run
//! for report in kiosk_authoring::translations::check_folder("media".as_ref())? {
//!     if !report.is_complete() {
//!         eprintln!("{}", report.summary(3));
//!     }
//! }
//! # Ok::<(), kiosk_authoring::translations::TranslationsError>(())
//! ```

pub mod lock;
pub mod places;
pub mod report;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use kiosk_core::locale::LocaleTag;
use toml_edit::{DocumentMut, Item};

pub use lock::{LOCK_FILE, TranslationLock};
pub use places::{LocalizedText, PLACE_SEPARATOR};
pub use report::{LocaleReport, check, render};

/// The file that names the locales.
const PACK_FILE: &str = "pack.toml";
/// The folder of chapter files (`story/*.toml`), read after `pack.toml`.
const STORY_DIR: &str = "story";
/// The other files that hold texts, each optional, read after the chapters.
const OPTIONAL_FILES: [&str; 4] = ["brochures.toml", "social.toml", "playlists.toml", "tour.toml"];

/// Why the texts or the lock could not be read or written, naming the file, place
/// or locale at fault.
#[derive(Debug, thiserror::Error)]
pub enum TranslationsError {
    /// A file or folder could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// A file of the author's folder is not valid TOML.
    #[error("{file}: {message}")]
    Toml {
        /// The file, relative to the author's folder.
        file: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// `pack.toml` does not say which locale the texts are written in, or names
    /// a locale badly.
    #[error("pack.toml: {problem}")]
    Pack {
        /// What is wrong.
        problem: String,
    },
    /// Two texts of one file would have the same place.
    #[error("{place}: two texts have this place; give each element of the list its own `id`")]
    SamePlace {
        /// The place.
        place: String,
    },
    /// `translations.lock` is not valid.
    #[error("{LOCK_FILE}: {message}\n(fix it, or delete it and confirm each locale again)")]
    Lock {
        /// The parser's message.
        message: String,
    },
    /// `translations.lock` could not be written.
    #[error("writing {path}: {source}")]
    Write {
        /// The lock file.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// The default locale was asked to be confirmed.
    #[error("{locale} is the default locale: its texts are what the other locales are confirmed against")]
    SourceLocale {
        /// The locale.
        locale: LocaleTag,
    },
    /// A locale that `pack.toml` does not offer and no text is written in.
    #[error("{locale}: pack.toml does not offer it and no text is written in it (locales: {})", known.join(", "))]
    UnknownLocale {
        /// The locale.
        locale: LocaleTag,
        /// The locales checked.
        known: Vec<String>,
    },
    /// A place that names no text.
    #[error("{place:?} names no text (write places as `kioskctl translations check` prints them)")]
    UnknownPlace {
        /// The place as given.
        place: String,
    },
    /// A place without a text in the locale to confirm.
    #[error("{place}: has no {locale} text to confirm")]
    NotTranslated {
        /// The place.
        place: String,
        /// The locale.
        locale: LocaleTag,
    },
}

/// A locale the texts are checked in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetLocale {
    /// Its tag.
    pub tag: LocaleTag,
    /// Whether `pack.toml`'s `[[locales]]` offers it.
    pub offered: bool,
}

/// The localized values of an author's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackTexts {
    /// The locale every text is written in first (`pack.toml`'s `default_locale`).
    pub default_locale: LocaleTag,
    /// The other locales: those offered in `pack.toml`'s order, then those only
    /// some text is written in, in the order they first appear.
    pub locales: Vec<TargetLocale>,
    /// Every text, in file order: `pack.toml`, `story/*.toml` by name,
    /// `brochures.toml`, `social.toml`, `playlists.toml`, `tour.toml`.
    pub texts: Vec<LocalizedText>,
}

impl PackTexts {
    /// Reads the TOML files of the author's folder.
    pub fn read(media_dir: &Path) -> Result<Self, TranslationsError> {
        let read = |name: &str| {
            let path = media_dir.join(name);
            std::fs::read_to_string(&path)
                .map(|text| (name.to_owned(), text))
                .map_err(|source| TranslationsError::Read { path, source })
        };
        let mut files = vec![read(PACK_FILE)?];
        let story_dir = media_dir.join(STORY_DIR);
        if story_dir.is_dir() {
            let mut chapters: Vec<String> = std::fs::read_dir(&story_dir)
                .map_err(|source| TranslationsError::Read { path: story_dir.clone(), source })?
                .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
                .filter(|name| name.ends_with(".toml"))
                .collect();
            chapters.sort();
            for chapter in chapters {
                files.push(read(&format!("{STORY_DIR}/{chapter}"))?);
            }
        }
        for name in OPTIONAL_FILES {
            if media_dir.join(name).exists() {
                files.push(read(name)?);
            }
        }
        Self::from_files(&files)
    }

    /// Finds the texts of `(name, contents)` pairs, names relative to the author's
    /// folder; `pack.toml` must be among them.
    pub fn from_files(files: &[(String, String)]) -> Result<Self, TranslationsError> {
        let documents = files
            .iter()
            .map(|(name, text)| {
                let document = text.parse::<DocumentMut>().map_err(|error| TranslationsError::Toml {
                    file: name.clone(),
                    message: error.to_string().trim_end().to_owned(),
                })?;
                Ok((name.as_str(), document))
            })
            .collect::<Result<Vec<_>, TranslationsError>>()?;
        let pack = documents
            .iter()
            .find(|(name, _)| *name == PACK_FILE)
            .map(|(_, document)| document)
            .ok_or_else(|| TranslationsError::Pack { problem: "missing from the folder".into() })?;
        let default_locale = pack_locale(pack.get("default_locale"), "default_locale")?;
        let offered = match pack.get("locales").and_then(Item::as_array_of_tables) {
            Some(locales) => locales
                .iter()
                .map(|locale| pack_locale(locale.get("tag"), "[[locales]] tag"))
                .collect::<Result<Vec<_>, _>>()?,
            None => Vec::new(),
        };

        let mut texts = Vec::new();
        let mut seen = HashSet::new();
        for (name, document) in &documents {
            for text in places::find_texts(name, document, &default_locale) {
                if !seen.insert(text.place.clone()) {
                    return Err(TranslationsError::SamePlace { place: text.place });
                }
                texts.push(text);
            }
        }

        let mut locales: Vec<TargetLocale> = Vec::new();
        let written = texts.iter().flat_map(|text: &LocalizedText| text.translated.iter().cloned());
        for (tag, offered) in
            offered.into_iter().map(|tag| (tag, true)).chain(written.map(|tag| (tag, false)))
        {
            if tag != default_locale && !locales.iter().any(|known| known.tag == tag) {
                locales.push(TargetLocale { tag, offered });
            }
        }
        Ok(Self { default_locale, locales, texts })
    }
}

/// A locale tag written in `pack.toml` under `key`.
fn pack_locale(item: Option<&Item>, key: &str) -> Result<LocaleTag, TranslationsError> {
    let text = item.and_then(Item::as_str).ok_or_else(|| TranslationsError::Pack {
        problem: format!("{key}: missing; write a locale tag such as \"vi\""),
    })?;
    LocaleTag::new(text).map_err(|error| TranslationsError::Pack { problem: format!("{key}: {error}") })
}

/// Checks the author's folder against its `translations.lock`: one report per
/// locale other than the default.
pub fn check_folder(media_dir: &Path) -> Result<Vec<LocaleReport>, TranslationsError> {
    let texts = PackTexts::read(media_dir)?;
    let lock = TranslationLock::read(media_dir)?;
    Ok(check(&texts, &lock))
}

/// Records in the folder's `translations.lock` that `locale`'s translations (all
/// of them, or those at `places`) match the default-locale texts as they are now.
/// Returns how many were confirmed.
pub fn confirm_folder(
    media_dir: &Path,
    locale: &LocaleTag,
    places: &[String],
) -> Result<usize, TranslationsError> {
    let texts = PackTexts::read(media_dir)?;
    let mut lock = TranslationLock::read(media_dir)?;
    let confirmed = lock.confirm(&texts, locale, places)?;
    lock.write(media_dir)?;
    Ok(confirmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACK: &str = r#"
default_locale = "vi"

[[locales]]
tag = "vi"
name = "Tiếng Việt"

[[locales]]
tag = "en"
name = "English"

[brand.title]
vi = "Thành phố thông minh"
en = "Smart City"
ko = "스마트시티"

[ui.vi]
back = "Quay lại"
staff_pin = "Mã PIN nhân viên"

[ui.en]
back = "Back"
staff_pin = "Staff PIN"

[ui.ko]
back = "뒤로"
staff_pin = "직원 PIN"
"#;

    const CHAPTER: &str = r#"
id = "award"
cover = "images/award.svg"

[title]
vi = "Giải thưởng"
en = "The award"
ko = "수상"

[[scenes]]
id = "new-york"

[scenes.body]
vi = "Ngày 26/10/2023 tại New York."
en = "On 26 October 2023 in New York."
ko = "2023년 10월 26일 뉴욕에서."

[scenes.highlights]
vi = ["26/10/2023", "New York"]
en = ["26 Oct 2023", "New York"]
ko = ["2023년 10월 26일", "뉴욕"]

[[scenes]]
id = "meaning"

[scenes.title]
vi = "Ý nghĩa"
en = "What it means"
"#;

    fn pack_texts(pack: &str, chapter: &str) -> PackTexts {
        PackTexts::from_files(&[
            ("pack.toml".into(), pack.into()),
            ("story/01-award.toml".into(), chapter.into()),
        ])
        .unwrap()
    }

    fn tag(tag: &str) -> LocaleTag {
        LocaleTag::new(tag).unwrap()
    }

    fn report<'a>(reports: &'a [LocaleReport], locale: &str) -> &'a LocaleReport {
        reports.iter().find(|report| report.locale.as_str() == locale).unwrap()
    }

    fn confirmed_all(texts: &PackTexts) -> TranslationLock {
        let mut lock = TranslationLock::default();
        for locale in ["en", "ko"] {
            lock.confirm(texts, &tag(locale), &[]).unwrap();
        }
        lock
    }

    #[test]
    fn names_every_place_a_person_can_find() {
        let texts = pack_texts(PACK, CHAPTER);
        let places: Vec<&str> = texts.texts.iter().map(|text| text.place.as_str()).collect();
        assert_eq!(
            places,
            [
                "pack.toml › brand › title",
                "pack.toml › ui › back",
                "pack.toml › ui › staff_pin",
                "story/01-award.toml › title",
                "story/01-award.toml › scenes[new-york] › body",
                "story/01-award.toml › scenes[new-york] › highlights",
                "story/01-award.toml › scenes[meaning] › title",
            ]
        );
    }

    #[test]
    fn checks_the_offered_locales_and_those_being_translated() {
        let texts = pack_texts(PACK, CHAPTER);
        assert_eq!(texts.default_locale, tag("vi"));
        assert_eq!(
            texts.locales,
            [TargetLocale { tag: tag("en"), offered: true }, TargetLocale { tag: tag("ko"), offered: false }]
        );
    }

    #[test]
    fn reports_a_missing_translation() {
        let texts = pack_texts(PACK, CHAPTER);
        let reports = check(&texts, &confirmed_all(&texts));
        let en = report(&reports, "en");
        assert!(en.is_complete(), "{en:?}");
        assert_eq!((en.texts, en.translated), (7, 7));
        let ko = report(&reports, "ko");
        assert_eq!((ko.texts, ko.translated), (7, 6));
        assert_eq!(ko.missing, ["story/01-award.toml › scenes[meaning] › title"]);
        assert!(ko.stale.is_empty() && ko.unconfirmed.is_empty(), "{ko:?}");
    }

    #[test]
    fn a_changed_source_text_is_stale_in_every_locale_until_confirmed() {
        let texts = pack_texts(PACK, CHAPTER);
        let mut lock = confirmed_all(&texts);
        let changed = pack_texts(PACK, &CHAPTER.replace("tại New York.", "tại Thành phố New York."));
        let body = "story/01-award.toml › scenes[new-york] › body";
        for locale in ["en", "ko"] {
            assert_eq!(report(&check(&changed, &lock), locale).stale, [body], "{locale}");
        }

        assert_eq!(lock.confirm(&changed, &tag("ko"), &[body.to_owned()]).unwrap(), 1);
        let reports = check(&changed, &lock);
        assert!(report(&reports, "ko").stale.is_empty());
        assert_eq!(report(&reports, "en").stale, [body], "confirming ko leaves en stale");

        lock.confirm(&changed, &tag("en"), &[]).unwrap();
        assert!(report(&check(&changed, &lock), "en").is_complete());
    }

    #[test]
    fn a_list_is_one_text_and_stale_when_any_item_changes() {
        let texts = pack_texts(PACK, CHAPTER);
        let lock = confirmed_all(&texts);
        let changed = pack_texts(
            PACK,
            &CHAPTER
                .replace(r#"vi = ["26/10/2023", "New York"]"#, r#"vi = ["26/10/2023", "New York", "TOP 1"]"#),
        );
        assert_eq!(
            report(&check(&changed, &lock), "en").stale,
            ["story/01-award.toml › scenes[new-york] › highlights"]
        );
    }

    #[test]
    fn interface_words_are_checked_word_by_word() {
        let texts = pack_texts(PACK, CHAPTER);
        let lock = confirmed_all(&texts);
        let changed =
            pack_texts(&PACK.replace("staff_pin = \"Mã PIN nhân viên\"", "staff_pin = \"Mã PIN\""), CHAPTER);
        assert_eq!(report(&check(&changed, &lock), "ko").stale, ["pack.toml › ui › staff_pin"]);
        let without_word = pack_texts(&PACK.replace("back = \"뒤로\"\n", ""), CHAPTER);
        assert_eq!(
            report(&check(&without_word, &lock), "ko").missing,
            ["pack.toml › ui › back", "story/01-award.toml › scenes[meaning] › title"]
        );
    }

    #[test]
    fn a_translation_never_confirmed_is_unconfirmed() {
        let texts = pack_texts(PACK, CHAPTER);
        let mut lock = TranslationLock::default();
        lock.confirm(&texts, &tag("en"), &["pack.toml › ui › back".into()]).unwrap();
        let en = &check(&texts, &lock)[0];
        assert_eq!(en.unconfirmed.len(), 6);
        assert!(!en.unconfirmed.contains(&"pack.toml › ui › back".to_owned()));
    }

    #[test]
    fn places_gone_from_the_files_are_dropped_from_the_lock() {
        let texts = pack_texts(PACK, CHAPTER);
        let mut lock = confirmed_all(&texts);
        let body = "story/01-award.toml › scenes[new-york] › body";
        assert!(lock.confirmed(&tag("en"), body).is_some());

        let without_scene = CHAPTER.split("[[scenes]]\nid = \"meaning\"").next().unwrap();
        let ko_untranslated = without_scene.replace("ko = \"2023년 10월 26일 뉴욕에서.\"\n", "");
        let fewer = pack_texts(PACK, &ko_untranslated);
        lock.confirm(&fewer, &tag("en"), &[]).unwrap();
        let meaning = "story/01-award.toml › scenes[meaning] › title";
        assert_eq!(lock.confirmed(&tag("en"), meaning), None, "a removed place is dropped");
        assert_eq!(lock.confirmed(&tag("ko"), body), None, "a removed translation is dropped");
        assert!(lock.confirmed(&tag("en"), body).is_some());
        assert!(!lock.to_toml().contains("scenes[meaning]"));
    }

    #[test]
    fn refuses_to_confirm_what_is_not_there() {
        let texts = pack_texts(PACK, CHAPTER);
        let mut lock = TranslationLock::default();
        let said = |error: TranslationsError| error.to_string();
        let unknown =
            lock.confirm(&texts, &tag("ko"), &["story/01-award.toml › scenes[paris] › body".into()]);
        assert_eq!(
            said(unknown.unwrap_err()),
            "\"story/01-award.toml › scenes[paris] › body\" names no text \
             (write places as `kioskctl translations check` prints them)"
        );
        let missing =
            lock.confirm(&texts, &tag("ko"), &["story/01-award.toml › scenes[meaning] › title".into()]);
        assert_eq!(
            said(missing.unwrap_err()),
            "story/01-award.toml › scenes[meaning] › title: has no ko text to confirm"
        );
        assert!(
            said(lock.confirm(&texts, &tag("vi"), &[]).unwrap_err()).starts_with("vi is the default locale")
        );
        assert_eq!(
            said(lock.confirm(&texts, &tag("fr"), &[]).unwrap_err()),
            "fr: pack.toml does not offer it and no text is written in it (locales: en, ko)"
        );
        assert_eq!(lock, TranslationLock::default(), "nothing recorded after a refusal");
    }

    #[test]
    fn a_broken_file_is_named() {
        let error = PackTexts::from_files(&[
            ("pack.toml".into(), PACK.into()),
            ("story/03-location.toml".into(), "[title\nvi = \"Vị trí\"".into()),
        ])
        .unwrap_err();
        let said = error.to_string();
        assert!(said.starts_with("story/03-location.toml: TOML parse error at line 1"), "{said}");

        let no_default = PackTexts::from_files(&[("pack.toml".into(), "[[locales]]\ntag = \"vi\"".into())]);
        assert_eq!(
            no_default.unwrap_err().to_string(),
            "pack.toml: default_locale: missing; write a locale tag such as \"vi\""
        );
        let broken_lock = TranslationLock::parse("[ko]\n\"pack.toml › ui › back\" = ");
        assert!(broken_lock.unwrap_err().to_string().starts_with("translations.lock: TOML parse error"));
    }

    #[test]
    fn two_elements_with_one_id_are_refused() {
        let twice =
            CHAPTER.replace("id = \"meaning\"\n\n[scenes.title]", "id = \"new-york\"\n\n[scenes.body]");
        let error = PackTexts::from_files(&[
            ("pack.toml".into(), PACK.into()),
            ("story/01-award.toml".into(), twice),
        ])
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "story/01-award.toml › scenes[new-york] › body: two texts have this place; \
             give each element of the list its own `id`"
        );
    }

    #[test]
    fn the_lock_is_sorted_with_a_header_and_reads_back() {
        let texts = pack_texts(PACK, CHAPTER);
        let lock = confirmed_all(&texts);
        let written = lock.to_toml();
        assert!(
            written.starts_with("# Translations confirmed against the default-locale texts"),
            "{written}"
        );
        assert!(written.contains("kioskctl translations confirm media --locale ko"), "{written}");
        let en = written.find("\n[en]\n").unwrap();
        let ko = written.find("\n[ko]\n").unwrap();
        assert!(en < ko, "{written}");
        let hash = &texts.texts[0].source_hash;
        assert!(written.contains(&format!("\"pack.toml › brand › title\" = \"{hash}\"")), "{written}");
        let brand = written.find("pack.toml › brand › title").unwrap();
        let story = written.find("story/01-award.toml › scenes[new-york] › body").unwrap();
        assert!(brand < story, "places sorted: {written}");
        assert_eq!(TranslationLock::parse(&written).unwrap(), lock);
    }

    #[test]
    fn confirms_and_checks_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("story")).unwrap();
        std::fs::write(dir.path().join("pack.toml"), PACK).unwrap();
        std::fs::write(dir.path().join("story/01-award.toml"), CHAPTER).unwrap();
        std::fs::write(dir.path().join("story/notes.txt"), "not a chapter").unwrap();

        let before = check_folder(dir.path()).unwrap();
        assert_eq!(report(&before, "en").unconfirmed.len(), 7, "no lock yet: all unconfirmed");
        assert_eq!(confirm_folder(dir.path(), &tag("en"), &[]).unwrap(), 7);
        assert_eq!(confirm_folder(dir.path(), &tag("ko"), &[]).unwrap(), 6);
        let after = check_folder(dir.path()).unwrap();
        assert!(report(&after, "en").is_complete());
        assert_eq!(report(&after, "ko").missing.len(), 1);
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(files.len(), 3, "no temporary file left behind: {files:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(LOCK_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o044, 0o044, "the lock is readable by all like other files: {mode:o}");
        }

        std::fs::write(dir.path().join("story/02-broken.toml"), "id = ").unwrap();
        let said = check_folder(dir.path()).unwrap_err().to_string();
        assert!(said.starts_with("story/02-broken.toml: "), "{said}");
    }

    #[test]
    fn tells_each_locale_in_a_table_and_a_line() {
        let texts = pack_texts(PACK, CHAPTER);
        let mut lock = confirmed_all(&texts);
        lock.confirm(&texts, &tag("en"), &[]).unwrap();
        let changed = pack_texts(&PACK.replace("Quay lại", "Trở lại"), CHAPTER);
        let reports = check(&changed, &lock);
        assert_eq!(
            render(&reports, 20),
            "| locale | texts | translated | missing | stale | unconfirmed |\n\
             |---|---:|---:|---:|---:|---:|\n\
             | en | 7 | 7 | 0 | 1 | 0 |\n\
             | ko (not offered) | 7 | 6 | 1 | 1 | 0 |\n\
             \n\
             en:\n\
             - stale: pack.toml › ui › back\n\
             \n\
             ko (not offered):\n\
             - missing: story/01-award.toml › scenes[meaning] › title\n\
             - stale: pack.toml › ui › back\n"
        );
        assert!(
            render(&reports, 1)
                .ends_with("- missing: story/01-award.toml › scenes[meaning] › title\n… and 1 more\n")
        );
        assert_eq!(
            report(&reports, "ko").summary(1),
            "ko (not offered): 1 missing, 1 stale, 0 unconfirmed of 7 texts: \
             story/01-award.toml › scenes[meaning] › title; … and 1 more"
        );
    }
}
