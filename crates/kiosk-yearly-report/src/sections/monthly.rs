//! Section 2: the months of the year as two charts and one table.

use crate::charts::{self, Series};
use crate::error::RenderError;
use crate::flow::Flow;
use crate::model::{Lang, MonthCounts, YearlyReport};
use crate::numbers;
use crate::style::{BLUE, BLUE_LIGHT, CONTENT_W, GOLD};
use crate::table::{Column, Table};
use crate::words::words;

/// The height of the plays-and-touches chart.
const BARS_H: f32 = 160.0;
/// The height of the chapters and brochures charts, side by side.
const LINES_H: f32 = 125.0;
/// The space between the charts side by side.
const BESIDE: f32 = 18.0;

pub(super) fn add(flow: &mut Flow, report: &YearlyReport, lang: Lang) -> Result<(), RenderError> {
    let w = words(lang);
    flow.section(w.monthly);
    let months = by_month(&report.monthly);
    let values = |pick: fn(&MonthCounts) -> u64| months.each_ref().map(pick);
    let size = |w: f32, h: f32| (w.round() as u32, h.round() as u32);

    flow.heading(w.monthly_chart_plays, BARS_H);
    let series = [
        Series { name: w.plays_short, color: BLUE, values: values(|m| m.plays) },
        Series { name: w.touches_short, color: GOLD, values: values(|m| m.touches) },
    ];
    let svg = charts::monthly_bars(flow.ts, &w.months_short, &series, lang, size(CONTENT_W, BARS_H))?;
    flow.figure(svg, BARS_H);

    // Chapter views outnumber brochures tenfold: each gets its own scale.
    flow.heading(w.monthly_chart_content, LINES_H);
    let half = (CONTENT_W - BESIDE) / 2.0;
    let mut svgs = Vec::new();
    for series in [
        Series { name: w.chapter_views_short, color: BLUE_LIGHT, values: values(|m| m.chapter_views) },
        Series { name: w.brochures_short, color: GOLD, values: values(|m| m.brochure_downloads) },
    ] {
        svgs.push(charts::monthly_lines(flow.ts, &w.months_short, &[series], lang, size(half, LINES_H))?);
    }
    flow.figures(svgs, BESIDE, LINES_H);

    let count = |n| numbers::count(n, lang);
    let row = |label: &str, m: &MonthCounts| {
        vec![
            label.to_owned(),
            count(m.plays),
            count(m.touches),
            count(m.chapter_views),
            count(m.brochure_downloads),
        ]
    };
    let sum = |pick: fn(&MonthCounts) -> u64| months.iter().map(pick).sum::<u64>();
    let year = MonthCounts {
        month: 0,
        plays: sum(|m| m.plays),
        touches: sum(|m| m.touches),
        chapter_views: sum(|m| m.chapter_views),
        brochure_downloads: sum(|m| m.brochure_downloads),
    };
    flow.table(&Table {
        title: None,
        columns: vec![
            Column::text(w.month, 1.3),
            Column::number(w.plays_short, 1.0),
            Column::number(w.touches_short, 1.0),
            Column::number(w.chapter_views_short, 1.0),
            Column::number(w.brochures_short, 1.0),
        ],
        rows: months.iter().zip(w.months_long).map(|(m, name)| row(&capitalized(name), m)).collect(),
        total: Some(row(w.whole_year, &year)),
    });
    Ok(())
}

/// The twelve months in order, whatever order and gaps they came in.
fn by_month(monthly: &[MonthCounts]) -> [MonthCounts; 12] {
    std::array::from_fn(|i| {
        let month = i as u8 + 1;
        monthly
            .iter()
            .find(|m| m.month == month)
            .cloned()
            .unwrap_or(MonthCounts { month, ..MonthCounts::default() })
    })
}

/// A month's name as a table row starts it: "Tháng 1", "January".
fn capitalized(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
