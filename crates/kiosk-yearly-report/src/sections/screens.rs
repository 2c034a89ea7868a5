//! Section 5: every screen with its channel, place, uptime and counts; the
//! table runs on over as many pages as the network has screens.

use crate::flow::Flow;
use crate::model::{Lang, YearlyReport};
use crate::numbers;
use crate::table::{Column, Table};
use crate::words::{fill, words};

/// Shown in a cell that has nothing to show.
const NONE: &str = "—";

pub(super) fn add(flow: &mut Flow, report: &YearlyReport, lang: Lang) {
    let w = words(lang);
    let t = &report.totals;
    flow.section(w.screens_uptime);
    let uptime =
        t.uptime_percent.and_then(|p| numbers::percent(p, lang)).unwrap_or_else(|| w.not_reported.to_owned());
    let screens = t.screens.max(report.screens.len() as u64);
    flow.lead(&fill(
        w.screens_lead,
        &[
            ("screens", &numbers::count(screens, lang)),
            ("channels", &numbers::count(t.channels, lang)),
            ("uptime", &uptime),
        ],
    ));
    let count = |n| numbers::count(n, lang);
    let rows = report
        .screens
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                s.channel.clone(),
                s.location.clone().filter(|l| !l.trim().is_empty()).unwrap_or_else(|| NONE.to_owned()),
                w.country_name(s.country.as_deref()),
                s.uptime_percent.and_then(|p| numbers::percent(p, lang)).unwrap_or_else(|| NONE.to_owned()),
                count(s.plays),
                count(s.interactions),
            ]
        })
        .collect();
    let sum = |pick: fn(&crate::model::ScreenSummary) -> u64| count(report.screens.iter().map(pick).sum());
    flow.table(&Table {
        title: None,
        columns: vec![
            Column::text(w.screen, 1.2),
            Column::text(w.channel, 1.15),
            Column::text(w.location, 2.1),
            Column::text(w.country, 1.0),
            Column::number(w.uptime_short, 0.9),
            Column::number(w.plays_short, 0.95),
            Column::number(w.interactions, 0.95),
        ],
        rows,
        total: Some(vec![
            w.total.to_owned(),
            String::new(),
            String::new(),
            String::new(),
            uptime,
            sum(|s| s.plays),
            sum(|s| s.interactions),
        ]),
    });
}
