//! A report as the console shows it and CSV exports it: a series per day for
//! the chart and named tables, made from the counts (pure).
//!
//! Column names are stable keys (`planned`, `played`, `share`…); the console
//! words them in the reader's language, and CSV files carry them as headers.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::db::{DayCount, KeyCount, ScreenCount};
use super::range::DayRange;

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "console/src/generated/")]
pub enum ReportKind {
    /// Proof of play: each item planned, played and skipped, per screen.
    Play,
    /// Touches on the kiosks.
    Touches,
    /// Languages visitors chose, and where.
    Languages,
    /// Chapters opened.
    Chapters,
    /// Brochures taken home.
    Brochures,
    /// Survey answers.
    Surveys,
    /// How long each screen was up.
    Uptime,
}

impl ReportKind {
    /// Every report, in the console's order.
    pub const ALL: [Self; 7] = [
        Self::Play,
        Self::Touches,
        Self::Languages,
        Self::Chapters,
        Self::Brochures,
        Self::Surveys,
        Self::Uptime,
    ];

    /// Its name in URLs (`play`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Play => "play",
            Self::Touches => "touches",
            Self::Languages => "languages",
            Self::Chapters => "chapters",
            Self::Brochures => "brochures",
            Self::Surveys => "surveys",
            Self::Uptime => "uptime",
        }
    }

    /// The report named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The event kind it counts; `None` for up time, which comes from heartbeats.
    pub fn event_kind(self) -> Option<&'static str> {
        match self {
            Self::Play => Some("item_end"),
            Self::Touches => Some("touch"),
            Self::Languages => Some("language_choice"),
            Self::Chapters => Some("chapter_view"),
            Self::Brochures => Some("brochure_download"),
            Self::Surveys => Some("survey_answer"),
            Self::Uptime => None,
        }
    }
}

/// One cell of a table: text, a whole number, a fraction, or nothing.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(untagged)]
#[ts(export, export_to = "console/src/generated/")]
pub enum Cell {
    /// Text.
    Text(String),
    /// A count.
    Count(#[ts(type = "number")] u64),
    /// A fraction (a share, up time), 0 to 1.
    Fraction(f64),
    /// A measure with one decimal (hours).
    Decimal(f64),
    /// Not known.
    Missing,
}

impl Cell {
    /// The cell as a CSV field.
    pub fn to_field(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Count(n) => n.to_string(),
            Self::Fraction(f) => format!("{f:.4}"),
            Self::Decimal(d) => format!("{d:.1}"),
            Self::Missing => String::new(),
        }
    }
}

/// A named table.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct ReportTable {
    /// Its name, also the CSV file's (`items`, `screens`…).
    pub name: String,
    /// Column keys.
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

/// One day of the chart.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct DayPoint {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// One value per series of the report.
    #[ts(type = "number[]")]
    pub values: Vec<u64>,
}

/// The answer of `GET /v1/admin/reports/{report}`.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct ReportPage {
    /// Which report.
    pub report: ReportKind,
    /// The first day.
    pub from: String,
    /// The last day, included.
    pub to: String,
    /// The zone days are counted in.
    pub zone: String,
    /// The channels it covers (those asked for, or every one the reader may see).
    pub channels: Vec<String>,
    /// Everything counted in the range (events; seconds up for `uptime`); 0: nothing was recorded.
    #[ts(type = "number")]
    pub total: u64,
    /// The chart's series (`played`, `skipped`; languages; …); empty for up time.
    pub series: Vec<String>,
    /// Every day of the range, with one value per series.
    pub days: Vec<DayPoint>,
    /// The tables.
    pub tables: Vec<ReportTable>,
}

/// A screen as reports name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenInfo {
    /// Its device id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its channel.
    pub channel: String,
    /// Where it stands.
    pub location: Option<String>,
    /// The country it stands in (ISO 3166 alpha-2).
    pub country: Option<String>,
    /// When it enrolled.
    pub enrolled_at: Option<Timestamp>,
}

/// What a report is made from.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// Per day and chart line.
    pub by_day: Vec<DayCount>,
    /// Per subject, variant and language.
    pub by_key: Vec<KeyCount>,
    /// Per screen.
    pub by_screen: Vec<ScreenCount>,
    /// Seconds up per screen.
    pub uptime: Vec<(String, u64)>,
}

/// Where the report stands in time: its days, their zone, and now.
#[derive(Debug, Clone)]
pub struct Span<'a> {
    /// The days.
    pub range: DayRange,
    /// Their zone.
    pub zone: &'a TimeZone,
    /// The time of the answer (up time is not owed for the future).
    pub now: Timestamp,
}

fn table(name: &str, columns: &[&str], rows: Vec<Vec<Cell>>) -> ReportTable {
    ReportTable { name: name.to_owned(), columns: columns.iter().map(|c| (*c).to_owned()).collect(), rows }
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

fn share(part: u64, whole: u64) -> Cell {
    if whole == 0 { Cell::Missing } else { Cell::Fraction(part as f64 / whole as f64) }
}

fn optional(text: &Option<String>) -> Cell {
    text.as_deref().map_or(Cell::Missing, |t| Cell::Text(t.to_owned()))
}

/// Sums `count` of `rows` per key, biggest first (ties by key).
fn totals<T>(rows: &[T], key: impl Fn(&T) -> String, count: impl Fn(&T) -> u64) -> Vec<(String, u64)> {
    let mut sums: BTreeMap<String, u64> = BTreeMap::new();
    for row in rows {
        *sums.entry(key(row)).or_default() += count(row);
    }
    let mut sums: Vec<_> = sums.into_iter().collect();
    sums.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sums
}

/// The chart: every day of the range, one value per series; `series_of` names
/// the series a day's count belongs to.
fn days(
    span: &Span<'_>,
    series: &[String],
    by_day: &[DayCount],
    series_of: impl Fn(&DayCount) -> String,
) -> Vec<DayPoint> {
    let index: HashMap<&str, usize> = series.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
    let mut values: HashMap<String, Vec<u64>> = HashMap::new();
    for row in by_day {
        if let Some(&i) = index.get(series_of(row).as_str()) {
            values.entry(row.day.clone()).or_insert_with(|| vec![0; series.len()])[i] += row.count;
        }
    }
    span.range
        .each_day()
        .map(|day| {
            let day = day.to_string();
            let values = values.remove(&day).unwrap_or_else(|| vec![0; series.len()]);
            DayPoint { day, values }
        })
        .collect()
}

/// The report `kind` over `span`, for `channels`, from `counts`.
pub fn page(
    kind: ReportKind,
    span: &Span<'_>,
    channels: Vec<String>,
    counts: &Counts,
    screens: &[ScreenInfo],
) -> ReportPage {
    let screen_of: HashMap<&str, &ScreenInfo> = screens.iter().map(|s| (s.id.as_str(), s)).collect();
    let (total, series, days, tables) = match kind {
        ReportKind::Play => play(span, counts, &screen_of),
        ReportKind::Touches => touches(span, counts, &screen_of),
        ReportKind::Languages => languages(span, counts, &screen_of),
        ReportKind::Chapters => by_subject(span, counts, "views", "chapters", "chapter", "chapter_languages"),
        ReportKind::Brochures => {
            by_subject(span, counts, "downloads", "brochures", "brochure", "brochure_languages")
        }
        ReportKind::Surveys => surveys(span, counts),
        ReportKind::Uptime => uptime(span, counts, screens),
    };
    let (from, to) = span.range.bounds();
    ReportPage {
        report: kind,
        from,
        to,
        zone: span.zone.iana_name().unwrap_or("UTC").to_owned(),
        channels,
        total,
        series,
        days,
        tables,
    }
}

type Shape = (u64, Vec<String>, Vec<DayPoint>, Vec<ReportTable>);

fn screen_cells(screen_of: &HashMap<&str, &ScreenInfo>, device: &str) -> [Cell; 2] {
    match screen_of.get(device) {
        Some(s) => [text(&s.name), text(&s.channel)],
        None => [text(device), Cell::Missing],
    }
}

fn play(span: &Span<'_>, counts: &Counts, screen_of: &HashMap<&str, &ScreenInfo>) -> Shape {
    let series = vec!["played".to_owned(), "skipped".to_owned()];
    let days = days(span, &series, &counts.by_day, |d| d.series.clone());
    #[derive(Default)]
    struct Item {
        planned: u64,
        played: u64,
        reasons: BTreeMap<String, u64>,
        planned_ms: u64,
        played_ms: u64,
    }
    let mut items: BTreeMap<String, Item> = BTreeMap::new();
    for row in &counts.by_key {
        let item = items.entry(row.subject.clone()).or_default();
        item.planned += row.count;
        item.planned_ms += row.planned_ms;
        item.played_ms += row.ms;
        if row.variant.is_empty() {
            item.played += row.count;
        } else {
            *item.reasons.entry(row.variant.clone()).or_default() += row.count;
        }
    }
    let total = items.values().map(|i| i.planned).sum();
    let mut item_rows: Vec<_> = items.into_iter().collect();
    item_rows.sort_by(|a, b| b.1.planned.cmp(&a.1.planned).then_with(|| a.0.cmp(&b.0)));
    let item_rows = item_rows
        .into_iter()
        .map(|(id, i)| {
            let reasons = i.reasons.iter().map(|(r, n)| format!("{r} × {n}")).collect::<Vec<_>>().join("; ");
            vec![
                text(&id),
                Cell::Count(i.planned),
                Cell::Count(i.played),
                Cell::Count(i.planned - i.played),
                Cell::Text(reasons),
                Cell::Count(i.planned_ms / 1000),
                Cell::Count(i.played_ms / 1000),
            ]
        })
        .collect();
    let mut per_screen: BTreeMap<(String, String), (u64, u64, u64)> = BTreeMap::new();
    for row in &counts.by_screen {
        let entry = per_screen.entry((row.device.clone(), row.subject.clone())).or_default();
        entry.0 += row.count;
        if row.variant.is_empty() {
            entry.1 += row.count;
        }
        entry.2 += row.ms;
    }
    let mut screen_rows: Vec<_> = per_screen
        .into_iter()
        .map(|((device, item), (planned, played, ms))| {
            let [name, channel] = screen_cells(screen_of, &device);
            vec![
                name,
                channel,
                text(&item),
                Cell::Count(planned),
                Cell::Count(played),
                Cell::Count(planned - played),
                Cell::Count(ms / 1000),
            ]
        })
        .collect();
    screen_rows
        .sort_by(|a, b| a[0].to_field().cmp(&b[0].to_field()).then(a[2].to_field().cmp(&b[2].to_field())));
    let tables = vec![
        table(
            "items",
            &["item", "planned", "played", "skipped", "skip_reasons", "planned_s", "played_s"],
            item_rows,
        ),
        table(
            "screens",
            &["screen", "channel", "item", "planned", "played", "skipped", "played_s"],
            screen_rows,
        ),
    ];
    (total, series, days, tables)
}

fn touches(span: &Span<'_>, counts: &Counts, screen_of: &HashMap<&str, &ScreenInfo>) -> Shape {
    let series = vec!["touches".to_owned()];
    let days = days(span, &series, &counts.by_day, |_| "touches".to_owned());
    let total = counts.by_key.iter().map(|k| k.count).sum();
    let screens = totals(&counts.by_screen, |s| s.device.clone(), |s| s.count)
        .into_iter()
        .map(|(device, n)| {
            let [name, channel] = screen_cells(screen_of, &device);
            let location = screen_of.get(device.as_str()).map_or(Cell::Missing, |s| optional(&s.location));
            vec![name, channel, location, Cell::Count(n)]
        })
        .collect();
    let parts = totals(&counts.by_key, |k| k.subject.clone(), |k| k.count)
        .into_iter()
        .map(|(part, n)| vec![text(&part), Cell::Count(n), share(n, total)])
        .collect();
    let tables = vec![
        table("screens", &["screen", "channel", "location", "touches"], screens),
        table("parts", &["part", "touches", "share"], parts),
    ];
    (total, series, days, tables)
}

fn languages(span: &Span<'_>, counts: &Counts, screen_of: &HashMap<&str, &ScreenInfo>) -> Shape {
    let by_locale = totals(&counts.by_key, |k| k.locale.clone(), |k| k.count);
    let total = by_locale.iter().map(|(_, n)| n).sum();
    let series: Vec<String> = by_locale.iter().map(|(l, _)| l.clone()).collect();
    let days = days(span, &series, &counts.by_day, |d| d.series.clone());
    let languages =
        by_locale.iter().map(|(locale, n)| vec![text(locale), Cell::Count(*n), share(*n, total)]).collect();
    let country_of = |device: &str| screen_of.get(device).and_then(|s| s.country.clone()).unwrap_or_default();
    let countries =
        totals(&counts.by_screen, |s| format!("{}\u{1f}{}", country_of(&s.device), s.subject), |s| s.count)
            .into_iter()
            .map(|(key, n)| {
                let (country, locale) = key.split_once('\u{1f}').unwrap_or((&key, ""));
                let country = if country.is_empty() { Cell::Missing } else { text(country) };
                vec![country, text(locale), Cell::Count(n)]
            })
            .collect();
    let tables = vec![
        table("languages", &["locale", "choices", "share"], languages),
        table("countries", &["country", "locale", "choices"], countries),
    ];
    (total, series, days, tables)
}

fn by_subject(
    span: &Span<'_>,
    counts: &Counts,
    measure: &str,
    name: &str,
    subject: &str,
    per_language: &str,
) -> Shape {
    let series = vec![measure.to_owned()];
    let days = days(span, &series, &counts.by_day, |_| measure.to_owned());
    let subjects = totals(&counts.by_key, |k| k.subject.clone(), |k| k.count);
    let total = subjects.iter().map(|(_, n)| n).sum();
    let rows = subjects.iter().map(|(s, n)| vec![text(s), Cell::Count(*n), share(*n, total)]).collect();
    let languages = totals(&counts.by_key, |k| format!("{}\u{1f}{}", k.subject, k.locale), |k| k.count)
        .into_iter()
        .map(|(key, n)| {
            let (s, locale) = key.split_once('\u{1f}').unwrap_or((&key, ""));
            vec![text(s), text(locale), Cell::Count(n)]
        })
        .collect();
    let tables = vec![
        table(name, &[subject, measure, "share"], rows),
        table(per_language, &[subject, "locale", measure], languages),
    ];
    (total, series, days, tables)
}

fn surveys(span: &Span<'_>, counts: &Counts) -> Shape {
    let series = vec!["answers".to_owned()];
    let days = days(span, &series, &counts.by_day, |_| "answers".to_owned());
    let per_survey: HashMap<String, u64> =
        totals(&counts.by_key, |k| k.subject.clone(), |k| k.count).into_iter().collect();
    let total = per_survey.values().sum();
    let mut answers = totals(&counts.by_key, |k| format!("{}\u{1f}{}", k.subject, k.variant), |k| k.count);
    answers.sort_by(|a, b| a.0.cmp(&b.0));
    let answers = answers
        .into_iter()
        .map(|(key, n)| {
            let (survey, option) = key.split_once('\u{1f}').unwrap_or((&key, ""));
            vec![
                text(survey),
                text(option),
                Cell::Count(n),
                share(n, per_survey.get(survey).copied().unwrap_or(0)),
            ]
        })
        .collect();
    let mut rows: Vec<_> = counts.by_key.iter().collect();
    rows.sort_by(|a, b| (&a.subject, &a.variant, &a.locale).cmp(&(&b.subject, &b.variant, &b.locale)));
    let languages = rows
        .into_iter()
        .map(|k| vec![text(&k.subject), text(&k.variant), text(&k.locale), Cell::Count(k.count)])
        .collect();
    let tables = vec![
        table("answers", &["survey", "answer", "answers", "share"], answers),
        table("answer_languages", &["survey", "answer", "locale", "answers"], languages),
    ];
    (total, series, days, tables)
}

/// Seconds of the range a screen enrolled at `enrolled_at` could have been up by `now`.
pub(crate) fn owed_seconds(span: &Span<'_>, enrolled_at: Option<Timestamp>) -> i64 {
    let (begin, end) = span.range.instants(span.zone);
    let begin = enrolled_at.map_or(begin, |e| e.max(begin));
    let end = end.min(span.now);
    if end <= begin { 0 } else { end.duration_since(begin).as_secs() }
}

fn uptime(span: &Span<'_>, counts: &Counts, screens: &[ScreenInfo]) -> Shape {
    let up: HashMap<&str, u64> = counts.uptime.iter().map(|(d, s)| (d.as_str(), *s)).collect();
    let total = up.values().sum();
    let rows = screens
        .iter()
        .map(|s| {
            let online = up.get(s.id.as_str()).copied().unwrap_or(0);
            let owed = owed_seconds(span, s.enrolled_at).max(0) as u64;
            let fraction = if owed == 0 {
                Cell::Missing
            } else {
                Cell::Fraction((online as f64 / owed as f64).min(1.0))
            };
            vec![
                text(&s.name),
                text(&s.channel),
                optional(&s.location),
                optional(&s.country),
                Cell::Decimal((online as f64 / 360.0).round() / 10.0),
                fraction,
            ]
        })
        .collect();
    let tables =
        vec![table("screens", &["screen", "channel", "location", "country", "online_h", "uptime"], rows)];
    (total, Vec::new(), Vec::new(), tables)
}
