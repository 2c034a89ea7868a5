//! The province's yearly report (TOP 1 ICF communication results): the year's
//! counts gathered from the daily counts, named in the report's language from
//! the channels' live content, and rendered as a PDF by `kiosk-yearly-report`.
//! `GET /v1/admin/yearly-report?year=2026&lang=vi` and
//! `kiosk-server report yearly --year 2026 --out FILE.pdf` both come here.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use kiosk_core::content::ContentPack;
use kiosk_core::locale::{LocaleTag, Localized};
use kiosk_core::manifest::Manifest;
use kiosk_yearly_report::{
    Count, CountryCount, Fonts, Lang, MonthCounts, ScreenSummary, SurveySummary, Totals, YearlyReport,
};

use super::pages::{Counts, ReportKind, ScreenInfo, Span, owed_seconds};
use super::range::DayRange;
use super::routes::{counts, screens};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// How many chapters and items the report names as top content.
const TOP: usize = 10;

/// Titles of what the channels' live content holds, in one language.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// Chapter titles by id.
    pub chapters: HashMap<String, String>,
    /// Brochure titles by id.
    pub brochures: HashMap<String, String>,
    /// Survey questions by id.
    pub questions: HashMap<String, String>,
    /// Survey answers by survey and answer id.
    pub answers: HashMap<(String, String), String>,
}

impl Labels {
    /// Adds the titles of `content` in `lang` (its default language where a text
    /// has no translation); titles already known are kept.
    pub fn add(&mut self, content: &ContentPack, lang: Lang) {
        let tag = LocaleTag::new(lang.tag()).unwrap_or_else(|_| content.default_locale.clone());
        let word = |text: &Localized<String>| text.get(&tag, &content.default_locale).cloned();
        for chapter in &content.chapters {
            if let Some(title) = word(&chapter.title) {
                self.chapters.entry(chapter.id.clone()).or_insert(title);
            }
            for survey in chapter.scenes.iter().filter_map(|s| s.survey.as_ref()) {
                if let Some(question) = word(&survey.question) {
                    self.questions.entry(survey.id.clone()).or_insert(question);
                }
                for option in &survey.options {
                    if let Some(label) = word(&option.label) {
                        self.answers.entry((survey.id.clone(), option.id.clone())).or_insert(label);
                    }
                }
            }
        }
        for brochure in &content.brochures {
            if let Some(title) = word(&brochure.title) {
                self.brochures.entry(brochure.id.clone()).or_insert(title);
            }
        }
    }
}

/// Everything the year counted, per report.
pub type YearCounts = HashMap<ReportKind, Counts>;

fn sum_where(counts: &Counts, played_only: bool) -> u64 {
    counts.by_key.iter().filter(|k| !played_only || k.variant.is_empty()).map(|k| k.count).sum()
}

fn ranked(mut sums: BTreeMap<String, u64>, label: impl Fn(&str) -> Option<String>) -> Vec<Count> {
    sums.retain(|_, n| *n > 0);
    let mut ranked: Vec<Count> =
        sums.into_iter().map(|(key, count)| Count { label: label(&key), key, count }).collect();
    ranked.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    ranked
}

fn by_subject(counts: &Counts, played_only: bool) -> BTreeMap<String, u64> {
    let mut sums = BTreeMap::new();
    for k in counts.by_key.iter().filter(|k| !played_only || k.variant.is_empty()) {
        *sums.entry(k.subject.clone()).or_default() += k.count;
    }
    sums
}

/// The interactions (everything a visitor did) kinds.
const INTERACTIONS: [ReportKind; 5] = [
    ReportKind::Touches,
    ReportKind::Languages,
    ReportKind::Chapters,
    ReportKind::Brochures,
    ReportKind::Surveys,
];

/// The report of `span`'s year from its counts (pure).
pub fn assemble(
    span: &Span<'_>,
    generated_at: Timestamp,
    channels: usize,
    counts: &YearCounts,
    screens: &[ScreenInfo],
    labels: &Labels,
) -> YearlyReport {
    let empty = Counts::default();
    let of = |kind: ReportKind| counts.get(&kind).unwrap_or(&empty);
    let play = of(ReportKind::Play);
    let totals_of = |kind| sum_where(of(kind), false);

    let mut monthly: Vec<MonthCounts> = (1..=12)
        .map(|month| MonthCounts { month, plays: 0, touches: 0, chapter_views: 0, brochure_downloads: 0 })
        .collect();
    for (kind, counts) in counts {
        for day in &counts.by_day {
            let Some(month) =
                day.day.get(5..7).and_then(|m| m.parse::<usize>().ok()).filter(|m| (1..=12).contains(m))
            else {
                continue;
            };
            let row = &mut monthly[month - 1];
            match kind {
                ReportKind::Play if day.series == "played" => row.plays += day.count,
                ReportKind::Touches => row.touches += day.count,
                ReportKind::Chapters => row.chapter_views += day.count,
                ReportKind::Brochures => row.brochure_downloads += day.count,
                _ => {}
            }
        }
    }

    let mut languages = BTreeMap::new();
    for k in &of(ReportKind::Languages).by_key {
        *languages.entry(k.locale.clone()).or_default() += k.count;
    }

    let mut plays_of: HashMap<&str, u64> = HashMap::new();
    for s in play.by_screen.iter().filter(|s| s.variant.is_empty()) {
        *plays_of.entry(s.device.as_str()).or_default() += s.count;
    }
    let mut interactions_of: HashMap<&str, u64> = HashMap::new();
    for kind in INTERACTIONS {
        for s in &of(kind).by_screen {
            *interactions_of.entry(s.device.as_str()).or_default() += s.count;
        }
    }
    let up: HashMap<&str, u64> =
        of(ReportKind::Uptime).uptime.iter().map(|(d, s)| (d.as_str(), *s)).collect();
    let (mut online, mut owed) = (0u64, 0u64);
    let mut countries: BTreeMap<Option<String>, (u64, u64)> = BTreeMap::new();
    let screen_rows = screens
        .iter()
        .map(|s| {
            let owed_here = owed_seconds(span, s.enrolled_at).max(0) as u64;
            let online_here = up.get(s.id.as_str()).copied().unwrap_or(0).min(owed_here);
            online += online_here;
            owed += owed_here;
            let interactions = interactions_of.get(s.id.as_str()).copied().unwrap_or(0);
            let country = countries.entry(s.country.clone()).or_default();
            country.0 += 1;
            country.1 += interactions;
            ScreenSummary {
                name: s.name.clone(),
                channel: s.channel.clone(),
                location: s.location.clone(),
                country: s.country.clone(),
                uptime_percent: (owed_here > 0).then(|| 100.0 * online_here as f64 / owed_here as f64),
                plays: plays_of.get(s.id.as_str()).copied().unwrap_or(0),
                interactions,
            }
        })
        .collect();
    let mut countries: Vec<CountryCount> = countries
        .into_iter()
        .map(|(country, (screens, interactions))| CountryCount { country, screens, interactions })
        .collect();
    countries.sort_by(|a, b| b.interactions.cmp(&a.interactions).then_with(|| a.country.cmp(&b.country)));

    let mut surveys: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for k in &of(ReportKind::Surveys).by_key {
        *surveys.entry(k.subject.clone()).or_default().entry(k.variant.clone()).or_default() += k.count;
    }
    let surveys = surveys
        .into_iter()
        .map(|(survey, answers)| {
            let total = answers.values().sum();
            let answers =
                ranked(answers, |option| labels.answers.get(&(survey.clone(), option.to_owned())).cloned());
            SurveySummary { question: labels.questions.get(&survey).cloned(), survey, answers, total }
        })
        .collect();

    let mut top_chapters =
        ranked(by_subject(of(ReportKind::Chapters), false), |id| labels.chapters.get(id).cloned());
    top_chapters.truncate(TOP);
    let mut top_items = ranked(by_subject(play, true), |_| None);
    top_items.truncate(TOP);

    YearlyReport {
        year: i32::from(span.range.from.year()),
        zone: span.zone.iana_name().unwrap_or("UTC").to_owned(),
        generated_at: generated_at.to_string(),
        totals: Totals {
            plays: sum_where(play, true),
            touches: totals_of(ReportKind::Touches),
            language_choices: totals_of(ReportKind::Languages),
            chapter_views: totals_of(ReportKind::Chapters),
            brochure_downloads: totals_of(ReportKind::Brochures),
            survey_answers: totals_of(ReportKind::Surveys),
            screens: screens.len() as u64,
            channels: channels as u64,
            uptime_percent: (owed > 0 && online > 0).then(|| 100.0 * online as f64 / owed as f64),
        },
        monthly,
        languages: ranked(languages, |_| None),
        countries,
        brochures: ranked(by_subject(of(ReportKind::Brochures), false), |id| {
            labels.brochures.get(id).cloned()
        }),
        top_chapters,
        top_items,
        screens: screen_rows,
        surveys,
    }
}

/// Gathers the year's report for `channels` (`None`: all) from the database.
pub async fn gather(
    state: &AppState,
    year: i16,
    channels: Option<Vec<String>>,
    lang: Lang,
) -> ApiResult<YearlyReport> {
    let range = DayRange::year(year).map_err(|e| ApiError::bad_request("invalid_year", e.0))?;
    let zone = &state.settings.report_zone;
    let now = state.clock.now();
    let span = Span { range, zone, now };
    let mut year_counts = YearCounts::new();
    for kind in ReportKind::ALL {
        year_counts.insert(kind, counts(state, kind, &range, &channels).await?);
    }
    let screens = screens(state, &channels).await?;
    let covered: Vec<String> = match &channels {
        Some(c) => c.clone(),
        None => state.db.channels().await?.into_iter().map(|c| c.name).collect(),
    };
    let mut labels = Labels::default();
    for channel in &covered {
        if let Some(release) = state.current_release(channel).await?
            && let Ok(manifest) = Manifest::decode(&release.manifest)
        {
            labels.add(&manifest.content, lang);
        }
    }
    Ok(assemble(&span, now, covered.len(), &year_counts, &screens, &labels))
}

/// The report as a PDF, with Debian's Noto Sans.
pub async fn pdf(report: YearlyReport, lang: Lang) -> Result<Vec<u8>, String> {
    tokio::task::spawn_blocking(move || {
        let fonts = Fonts::from_system().map_err(|e| e.to_string())?;
        kiosk_yearly_report::render(&report, lang, &fonts).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}
