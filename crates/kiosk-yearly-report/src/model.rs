//! What the report shows: one year of the kiosk network, counted by the server.
//!
//! kiosk-server fills these types from its records; [`crate::render`] turns them
//! into the PDF. Nothing here is computed again: counts arrive as counted.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The language a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Vietnamese (`"vi"`).
    Vi,
    /// English (`"en"`).
    En,
}

impl Lang {
    /// The BCP 47 tag of the language: `"vi"` or `"en"`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A language tag the report is not written in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the yearly report is written in \"vi\" or \"en\", not {0:?}")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "vi" => Ok(Lang::Vi),
            "en" => Ok(Lang::En),
            _ => Err(UnknownLang(s.to_owned())),
        }
    }
}

/// One year of the kiosk network, as the province's yearly report shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearlyReport {
    /// The calendar year reported on, e.g. 2026.
    pub year: i32,
    /// The time zone the days of the year are counted in, e.g. `"Asia/Ho_Chi_Minh"`.
    pub zone: String,
    /// When the report was made, RFC 3339 (e.g. `"2026-11-10T08:30:00+07:00"`); shown on the cover.
    pub generated_at: String,
    /// The year's totals over the whole network.
    pub totals: Totals,
    /// The counts of each month: 12 entries, months 1 to 12.
    pub monthly: Vec<MonthCounts>,
    /// Language choices by locale tag (`"vi"`, `"en"`, `"ko"`, …), largest count first.
    pub languages: Vec<Count>,
    /// Screens and their interactions by the country the screens stood in.
    pub countries: Vec<CountryCount>,
    /// Brochures taken home: key = brochure id, label = its title in the report's language if known.
    pub brochures: Vec<Count>,
    /// The most viewed chapters of the story: key = chapter id, label = its title if known.
    pub top_chapters: Vec<Count>,
    /// The most played playlist items (films, pictures): key = item id, label = its title if known.
    pub top_items: Vec<Count>,
    /// Every screen of the network with its year.
    pub screens: Vec<ScreenSummary>,
    /// The answers to each survey question.
    pub surveys: Vec<SurveySummary>,
}

/// The year's totals over the whole network.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Playlist items played (films and pictures shown).
    pub plays: u64,
    /// Touches by visitors on kiosk screens.
    pub touches: u64,
    /// Times a visitor chose a language.
    pub language_choices: u64,
    /// Chapters of the story opened.
    pub chapter_views: u64,
    /// Brochures taken home by QR code.
    pub brochure_downloads: u64,
    /// Survey answers given.
    pub survey_answers: u64,
    /// Screens in the network.
    pub screens: u64,
    /// Channels (groups of screens sharing a playlist).
    pub channels: u64,
    /// Fleet-wide uptime in percent (0 to 100); `None` when no screen reported.
    pub uptime_percent: Option<f64>,
}

/// The counts of one month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthCounts {
    /// The month, 1 (January) to 12 (December).
    pub month: u8,
    /// Playlist items played in the month.
    pub plays: u64,
    /// Touches in the month.
    pub touches: u64,
    /// Chapters opened in the month.
    pub chapter_views: u64,
    /// Brochures taken home in the month.
    pub brochure_downloads: u64,
}

/// How often one thing was counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    /// What was counted: a locale tag, a brochure, chapter or item id, a survey answer key.
    pub key: String,
    /// Its name for people in the report's language, when known; the key is shown otherwise.
    pub label: Option<String>,
    /// How many times it was counted.
    pub count: u64,
}

impl Count {
    /// The name shown for this count: its label, or its key when it has none.
    pub fn name(&self) -> &str {
        self.label.as_deref().filter(|label| !label.trim().is_empty()).unwrap_or(&self.key)
    }
}

/// Screens and interactions in one country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryCount {
    /// ISO 3166-1 alpha-2 code (`"VN"`, `"JP"`, …); `None` when the screens' country is not set.
    pub country: Option<String>,
    /// Screens that stood in the country.
    pub screens: u64,
    /// Interactions (touches, language choices, chapter views, brochures, answers) there.
    pub interactions: u64,
}

/// One screen's year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenSummary {
    /// The screen's name as staff gave it.
    pub name: String,
    /// The channel the screen belongs to.
    pub channel: String,
    /// Where the screen stands, when known (a hall, a booth, a fair).
    pub location: Option<String>,
    /// ISO 3166-1 alpha-2 code of the country it stands in, when set.
    pub country: Option<String>,
    /// The screen's uptime in percent (0 to 100); `None` when it never reported.
    pub uptime_percent: Option<f64>,
    /// Playlist items it played.
    pub plays: u64,
    /// Interactions visitors had with it.
    pub interactions: u64,
}

/// The answers to one survey question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveySummary {
    /// The survey's name (or id when it has no name).
    pub survey: String,
    /// The question asked, in the report's language when known.
    pub question: Option<String>,
    /// Each answer (key = answer id, label = its text) with how often it was chosen.
    pub answers: Vec<Count>,
    /// All answers given to the question.
    pub total: u64,
}

impl YearlyReport {
    /// Whether nothing at all was counted in the year: no plays, touches, language
    /// choices, chapter views, brochures, survey answers or interactions anywhere.
    ///
    /// Screens that merely existed (and their uptime) do not count as activity.
    pub fn is_empty(&self) -> bool {
        let t = &self.totals;
        let totals =
            [t.plays, t.touches, t.language_choices, t.chapter_views, t.brochure_downloads, t.survey_answers];
        let monthly =
            self.monthly.iter().flat_map(|m| [m.plays, m.touches, m.chapter_views, m.brochure_downloads]);
        let counts = [&self.languages, &self.brochures, &self.top_chapters, &self.top_items]
            .into_iter()
            .flatten()
            .map(|c| c.count);
        let countries = self.countries.iter().map(|c| c.interactions);
        let screens = self.screens.iter().flat_map(|s| [s.plays, s.interactions]);
        let surveys = self
            .surveys
            .iter()
            .map(|s| s.total)
            .chain(self.surveys.iter().flat_map(|s| s.answers.iter().map(|a| a.count)));
        totals
            .into_iter()
            .chain(monthly)
            .chain(counts)
            .chain(countries)
            .chain(screens)
            .chain(surveys)
            .all(|n| n == 0)
    }

    /// A year with nothing counted: 12 empty months and no lists, for when the
    /// server has no records of the year.
    pub fn empty(year: i32, zone: impl Into<String>, generated_at: impl Into<String>) -> Self {
        YearlyReport {
            year,
            zone: zone.into(),
            generated_at: generated_at.into(),
            totals: Totals::default(),
            monthly: (1..=12).map(|month| MonthCounts { month, ..MonthCounts::default() }).collect(),
            languages: Vec::new(),
            countries: Vec::new(),
            brochures: Vec::new(),
            top_chapters: Vec::new(),
            top_items: Vec::new(),
            screens: Vec::new(),
            surveys: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_parses_from_its_tag() {
        assert_eq!("vi".parse::<Lang>(), Ok(Lang::Vi));
        assert_eq!(" EN ".parse::<Lang>(), Ok(Lang::En));
        assert!("ko".parse::<Lang>().is_err());
        assert_eq!(Lang::Vi.to_string(), "vi");
    }

    #[test]
    fn an_empty_year_is_empty_until_something_is_counted() {
        let mut report = YearlyReport::empty(2026, "Asia/Ho_Chi_Minh", "2026-11-10T08:30:00+07:00");
        assert!(report.is_empty());
        report.totals.screens = 3;
        report.totals.uptime_percent = Some(99.0);
        assert!(report.is_empty(), "screens that only existed are not activity");
        report.monthly[4].touches = 1;
        assert!(!report.is_empty());
    }

    #[test]
    fn a_count_without_a_label_shows_its_key() {
        let count = Count { key: "brochure-invest".into(), label: None, count: 3 };
        assert_eq!(count.name(), "brochure-invest");
        let count = Count { label: Some("Đầu tư".into()), ..count };
        assert_eq!(count.name(), "Đầu tư");
    }
}
