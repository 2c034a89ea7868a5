//! Section 4: what visitors took and watched: brochures taken home, the most
//! viewed chapters and the most played items.

use super::bars;
use crate::charts;
use crate::charts::bars_height;
use crate::error::RenderError;
use crate::flow::Flow;
use crate::model::{Count, Lang, YearlyReport};
use crate::numbers;
use crate::style::{CONTENT_W, GOLD};
use crate::table::{Column, Table};
use crate::words::words;

/// The most brochures the chart shows.
const MOST_BROCHURES: usize = 10;
/// The most rows of a top list.
const MOST_ROWS: usize = 15;

pub(super) fn add(flow: &mut Flow, report: &YearlyReport, lang: Lang) -> Result<(), RenderError> {
    let w = words(lang);
    flow.section(w.content);

    let brochures = bars(&report.brochures, MOST_BROCHURES, w.others, |c| c.name().to_owned());
    flow.heading(w.brochures_chart, bars_height(brochures.len().max(1)).min(120.0));
    if brochures.is_empty() {
        flow.note(w.nothing_recorded);
    } else {
        let height = bars_height(brochures.len());
        let svg =
            charts::horizontal_bars(flow.ts, &brochures, GOLD, lang, (CONTENT_W as u32, height as u32))?;
        flow.figure(svg, height);
    }

    let tops = [
        (w.top_chapters, w.chapter, w.views, &report.top_chapters, report.totals.chapter_views),
        (w.top_items, w.item, w.plays_short, &report.top_items, report.totals.plays),
    ];
    for (title, what, counted, list, whole) in tops {
        top_list(flow, title, list, what, counted, whole, lang);
    }
    Ok(())
}

/// A ranked table of counts with each one's share of `whole`.
fn top_list(flow: &mut Flow, title: &str, list: &[Count], what: &str, counted: &str, whole: u64, lang: Lang) {
    let w = words(lang);
    let mut list: Vec<&Count> = list.iter().filter(|c| c.count > 0).collect();
    if list.is_empty() {
        flow.heading(title, 20.0);
        flow.note(w.nothing_recorded);
        return;
    }
    list.sort_by_key(|c| std::cmp::Reverse(c.count));
    list.truncate(MOST_ROWS);
    let whole = whole.max(list.iter().map(|c| c.count).sum());
    flow.table(&Table {
        title: Some(title.to_owned()),
        columns: vec![
            Column::number("#", 0.35),
            Column::text(what, 4.0),
            Column::number(counted, 1.1),
            Column::number(w.share, 0.9),
        ],
        rows: list
            .iter()
            .enumerate()
            .map(|(i, c)| {
                vec![
                    (i + 1).to_string(),
                    c.name().to_owned(),
                    numbers::count(c.count, lang),
                    numbers::share(c.count, whole, lang),
                ]
            })
            .collect(),
        total: None,
    });
}
