//! Section 1: the year's totals as large numbers, a few highlights, or for an
//! empty year the plain statement that nothing was recorded.

use crate::flow::Flow;
use crate::layout::{baseline, line_height};
use crate::model::{Lang, YearlyReport};
use crate::numbers;
use crate::style::{BLUE, BODY_SIZE, CONTENT_W, GOLD, HEADING_SIZE, INK, MARGIN_X, MUTED, TINT};
use crate::words::{Words, fill, words};

/// Cards per row.
const COLUMNS: usize = 3;
/// Space between cards.
const GAP: f32 = 12.0;
/// A card's height.
const CARD_H: f32 = 76.0;
/// The largest type size of a card's number.
const NUMBER_SIZE: f32 = 23.0;
/// The type size of a card's label.
const LABEL_SIZE: f32 = 9.0;

pub(super) fn add(flow: &mut Flow, report: &YearlyReport, lang: Lang) {
    let w = words(lang);
    let year = report.year.to_string();
    flow.section(w.key_figures);
    flow.lead(&fill(w.key_figures_lead, &[("year", &year), ("zone", &report.zone)]));
    if report.is_empty() {
        nothing_recorded(flow, w, &year);
        return;
    }
    let t = &report.totals;
    let uptime =
        t.uptime_percent.and_then(|p| numbers::percent(p, lang)).unwrap_or_else(|| w.not_reported.to_owned());
    let count = |n| numbers::count(n, lang);
    let figures = [
        (count(t.plays), w.plays),
        (count(t.touches), w.touches),
        (count(t.language_choices), w.language_choices),
        (count(t.chapter_views), w.chapter_views),
        (count(t.brochure_downloads), w.brochures_taken),
        (count(t.survey_answers), w.survey_answers),
        (count(t.screens), w.screens),
        (count(t.channels), w.channels),
        (uptime, w.uptime),
    ];
    for row in figures.chunks(COLUMNS) {
        flow.ensure(CARD_H);
        for (i, (number, label)) in row.iter().enumerate() {
            card(flow, i, number, label);
        }
        flow.gap(CARD_H + GAP);
    }
    highlights(flow, report, lang);
}

fn card(flow: &mut Flow, column: usize, number: &str, label: &str) {
    let card_w = (CONTENT_W - GAP * (COLUMNS - 1) as f32) / COLUMNS as f32;
    let x = MARGIN_X + column as f32 * (card_w + GAP);
    let top = flow.y;
    let inner = card_w - 26.0;
    let mut size = NUMBER_SIZE;
    while size > 10.0 && flow.ts.width(number, true, size) > inner {
        size -= 1.0;
    }
    let lines = flow.ts.wrap(label, false, LABEL_SIZE, inner);
    let page = flow.page();
    page.rect(x, top, card_w, CARD_H, TINT);
    page.rect(x, top, 3.0, CARD_H, GOLD);
    page.text(x + 14.0, top + 37.0, size, true, BLUE, number);
    for (i, line) in lines.iter().take(2).enumerate() {
        page.text(
            x + 14.0,
            top + 56.0 + i as f32 * line_height(LABEL_SIZE),
            LABEL_SIZE,
            false,
            MUTED,
            line.as_str(),
        );
    }
}

/// The busiest month, the most chosen foreign language and the most taken brochure.
fn highlights(flow: &mut Flow, report: &YearlyReport, lang: Lang) {
    let w = words(lang);
    let count = |n| numbers::count(n, lang);
    let mut lines = Vec::new();
    if let Some(m) = report
        .monthly
        .iter()
        .filter(|m| m.touches > 0 && (1..=12).contains(&m.month))
        .max_by_key(|m| m.touches)
    {
        let month = w.months_long[usize::from(m.month) - 1];
        lines.push(fill(w.busiest_month, &[("month", month), ("count", &count(m.touches))]));
    }
    let foreign =
        report.languages.iter().filter(|l| l.count > 0 && !l.key.to_ascii_lowercase().starts_with("vi"));
    if let Some(l) = foreign.max_by_key(|l| l.count) {
        let name = w.language_name(&l.key);
        lines.push(fill(w.top_foreign_language, &[("language", &name), ("count", &count(l.count))]));
    }
    if let Some(b) = report.brochures.iter().filter(|b| b.count > 0).max_by_key(|b| b.count) {
        lines.push(fill(w.top_brochure, &[("brochure", b.name()), ("count", &count(b.count))]));
    }
    if lines.is_empty() {
        return;
    }
    flow.gap(8.0);
    flow.heading(w.highlights, 40.0);
    for line in lines {
        let wrapped = flow.ts.wrap(&line, false, BODY_SIZE + 0.5, CONTENT_W - 16.0);
        flow.ensure(wrapped.len() as f32 * line_height(BODY_SIZE + 0.5));
        let bullet_y = flow.y + line_height(BODY_SIZE + 0.5) / 2.0 - 2.0;
        flow.page().rect(MARGIN_X + 2.0, bullet_y, 4.5, 4.5, GOLD);
        for text in wrapped {
            let y = baseline(flow.y, BODY_SIZE + 0.5);
            flow.page().text(MARGIN_X + 16.0, y, BODY_SIZE + 0.5, false, INK, text);
            flow.y += line_height(BODY_SIZE + 0.5);
        }
        flow.gap(5.0);
    }
}

/// The statement that nothing was recorded, in a tinted box with a gold edge.
fn nothing_recorded(flow: &mut Flow, w: &Words, year: &str) {
    let statement = fill(w.empty_year, &[("year", year)]);
    let size = HEADING_SIZE + 3.5;
    let inner = CONTENT_W - 44.0;
    let lines = flow.ts.wrap(&statement, true, size, inner);
    let detail = flow.ts.wrap(w.empty_year_detail, false, BODY_SIZE, inner);
    let height = lines.len() as f32 * line_height(size) + detail.len() as f32 * line_height(BODY_SIZE) + 48.0;
    let top = flow.y + 10.0;
    let page = flow.page();
    page.rect(MARGIN_X, top, CONTENT_W, height, TINT);
    page.rect(MARGIN_X, top, 4.0, height, GOLD);
    let mut y = top + 20.0;
    for line in lines {
        page.text(MARGIN_X + 24.0, baseline(y, size), size, true, BLUE, line);
        y += line_height(size);
    }
    y += 8.0;
    for line in detail {
        page.text(MARGIN_X + 24.0, baseline(y, BODY_SIZE), BODY_SIZE, false, MUTED, line);
        y += line_height(BODY_SIZE);
    }
    flow.y = top + height + 16.0;
}
