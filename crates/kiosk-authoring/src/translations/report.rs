//! What each locale lacks, and how it is told: a table for the command line and
//! one line per locale for a build's warnings.

use std::fmt::Write as _;

use kiosk_core::locale::LocaleTag;

use super::{PackTexts, TranslationLock};

/// One locale's state against the default locale's texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocaleReport {
    /// The locale.
    pub locale: LocaleTag,
    /// Whether `pack.toml`'s `[[locales]]` offers it.
    pub offered: bool,
    /// Texts in the default locale.
    pub texts: usize,
    /// Of those, the ones with a text in this locale.
    pub translated: usize,
    /// Places with no text in this locale, in file order.
    pub missing: Vec<String>,
    /// Places whose default-locale text changed since the translation was confirmed.
    pub stale: Vec<String>,
    /// Places translated but never confirmed in `translations.lock`.
    pub unconfirmed: Vec<String>,
}

/// Each locale other than the default, in the order of [`PackTexts::locales`].
pub fn check(texts: &PackTexts, lock: &TranslationLock) -> Vec<LocaleReport> {
    texts
        .locales
        .iter()
        .map(|target| {
            let locale = &target.tag;
            let mut report = LocaleReport {
                locale: locale.clone(),
                offered: target.offered,
                texts: texts.texts.len(),
                translated: 0,
                missing: Vec::new(),
                stale: Vec::new(),
                unconfirmed: Vec::new(),
            };
            for text in &texts.texts {
                let place = text.place.clone();
                if !text.is_translated(locale) {
                    report.missing.push(place);
                    continue;
                }
                report.translated += 1;
                match lock.confirmed(locale, &text.place) {
                    None => report.unconfirmed.push(place),
                    Some(hash) if hash != text.source_hash => report.stale.push(place),
                    Some(_) => {}
                }
            }
            report
        })
        .collect()
}

impl LocaleReport {
    /// Whether nothing is missing, stale or unconfirmed.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty() && self.stale.is_empty() && self.unconfirmed.is_empty()
    }

    /// The locale's tag, marked when `pack.toml` does not offer it yet.
    pub fn label(&self) -> String {
        if self.offered { self.locale.to_string() } else { format!("{} (not offered)", self.locale) }
    }

    /// Every place to look at, with what is wrong there: missing, then stale,
    /// then unconfirmed.
    pub fn problems(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.missing
            .iter()
            .map(|place| ("missing", place.as_str()))
            .chain(self.stale.iter().map(|place| ("stale", place.as_str())))
            .chain(self.unconfirmed.iter().map(|place| ("unconfirmed", place.as_str())))
    }

    /// One line: the counts and the first `places` places, such as
    /// `ko: 1 missing, 2 stale, 0 unconfirmed of 310 texts: pack.toml › ui › back; … and 2 more`.
    pub fn summary(&self, places: usize) -> String {
        let mut line = format!(
            "{}: {} missing, {} stale, {} unconfirmed of {} texts",
            self.label(),
            self.missing.len(),
            self.stale.len(),
            self.unconfirmed.len(),
            self.texts
        );
        let first: Vec<&str> = self.problems().take(places).map(|(_, place)| place).collect();
        if !first.is_empty() {
            let _ = write!(line, ": {}", first.join("; "));
        }
        let more = self.problems().count().saturating_sub(first.len());
        if more > 0 {
            let _ = write!(line, "; … and {more} more");
        }
        line
    }
}

/// A Markdown table, one row per locale, then each locale's places to look at
/// (at most `places_per_locale`, then how many more).
pub fn render(reports: &[LocaleReport], places_per_locale: usize) -> String {
    let mut out = String::from(
        "| locale | texts | translated | missing | stale | unconfirmed |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for report in reports {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            report.label(),
            report.texts,
            report.translated,
            report.missing.len(),
            report.stale.len(),
            report.unconfirmed.len()
        );
    }
    for report in reports.iter().filter(|report| !report.is_complete()) {
        let _ = writeln!(out, "\n{}:", report.label());
        for (kind, place) in report.problems().take(places_per_locale) {
            let _ = writeln!(out, "- {kind}: {place}");
        }
        let more = report.problems().count().saturating_sub(places_per_locale);
        if more > 0 {
            let _ = writeln!(out, "… and {more} more");
        }
    }
    out
}
