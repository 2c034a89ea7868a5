//! Section 3: who used the screens: the languages chosen, and the countries
//! where the screens stood.

use super::bars;
use crate::charts;
use crate::charts::bars_height;
use crate::error::RenderError;
use crate::flow::Flow;
use crate::model::{Lang, YearlyReport};
use crate::numbers;
use crate::style::{BLUE, CONTENT_W};
use crate::table::{Column, Table};
use crate::words::words;

/// The most languages one chart shows.
const MOST_LANGUAGES: usize = 12;

pub(super) fn add(flow: &mut Flow, report: &YearlyReport, lang: Lang) -> Result<(), RenderError> {
    let w = words(lang);
    flow.section(w.languages_countries);

    let languages = bars(&report.languages, MOST_LANGUAGES, w.others, |c| w.language_name(&c.key));
    flow.heading(w.by_language, bars_height(languages.len().max(1)).min(120.0));
    if languages.is_empty() {
        flow.note(w.nothing_recorded);
    } else {
        let height = bars_height(languages.len());
        let svg =
            charts::horizontal_bars(flow.ts, &languages, BLUE, lang, (CONTENT_W as u32, height as u32))?;
        flow.figure(svg, height);
    }

    let mut countries: Vec<_> =
        report.countries.iter().filter(|c| c.screens > 0 || c.interactions > 0).collect();
    if countries.is_empty() {
        flow.heading(w.by_country, 20.0);
        flow.note(w.nothing_recorded);
        return Ok(());
    }
    countries.sort_by(|a, b| b.interactions.cmp(&a.interactions).then(b.screens.cmp(&a.screens)));
    let all: u64 = countries.iter().map(|c| c.interactions).sum();
    let screens: u64 = countries.iter().map(|c| c.screens).sum();
    let count = |n| numbers::count(n, lang);
    flow.table(&Table {
        title: Some(w.by_country.to_owned()),
        columns: vec![
            Column::text(w.country, 2.2),
            Column::number(w.screens, 1.0),
            Column::number(w.interactions, 1.2),
            Column::number(w.share, 1.0),
        ],
        rows: countries
            .iter()
            .map(|c| {
                let share = numbers::share(c.interactions, all, lang);
                vec![w.country_name(c.country.as_deref()), count(c.screens), count(c.interactions), share]
            })
            .collect(),
        total: Some(vec![w.total.to_owned(), count(screens), count(all), numbers::share(all, all, lang)]),
    });
    Ok(())
}
