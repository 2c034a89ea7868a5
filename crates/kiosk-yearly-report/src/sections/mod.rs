//! The report's sections, each starting on a new page, and the cover with the
//! contents once every section has found its pages.

mod audience;
mod content;
mod cover;
mod key_figures;
mod monthly;
mod screens;
mod surveys;

use crate::error::RenderError;
use crate::flow::Flow;
use crate::layout::Page;
use crate::model::{Lang, YearlyReport};
use crate::text::Typesetter;
use crate::words::{fill, words};

/// The report's pages, cover first.
///
/// An empty year has the cover, the key-figures page saying nothing was
/// recorded, and the list of screens when there are any.
pub(crate) fn lay_out(report: &YearlyReport, lang: Lang, ts: &Typesetter) -> Result<Vec<Page>, RenderError> {
    let w = words(lang);
    let mut flow = Flow::new(ts);
    key_figures::add(&mut flow, report, lang);
    if !report.is_empty() {
        monthly::add(&mut flow, report, lang)?;
        audience::add(&mut flow, report, lang)?;
        content::add(&mut flow, report, lang)?;
    }
    if !report.screens.is_empty() {
        screens::add(&mut flow, report, lang);
    }
    if !report.is_empty() {
        surveys::add(&mut flow, report, lang);
    }
    let year = report.year.to_string();
    let title = fill(w.title, &[("year", &year)]);
    let page_of = |page: usize, pages: usize| {
        fill(w.page_of, &[("page", &page.to_string()), ("pages", &pages.to_string())])
    };
    let (mut pages, contents) = flow.finish(w.network, &title, w.footer, page_of);
    cover::draw(&mut pages[0], ts, report, lang, &contents);
    Ok(pages)
}

/// Up to `most` counts as (name, count) for a bar chart, largest first, zero
/// counts left out; beyond `most`, the smallest are added up as `others`.
fn bars(
    counts: &[crate::model::Count],
    most: usize,
    others: &str,
    name: impl Fn(&crate::model::Count) -> String,
) -> Vec<(String, u64)> {
    let mut bars: Vec<(String, u64)> =
        counts.iter().filter(|c| c.count > 0).map(|c| (name(c), c.count)).collect();
    bars.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
    if bars.len() > most {
        let rest = bars.split_off(most.saturating_sub(1)).iter().map(|(_, count)| count).sum();
        bars.push((others.to_owned(), rest));
    }
    bars
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::Fonts;
    use crate::layout::Op;
    use crate::style::{CONTENT_W, MARGIN_X, PAGE_H};

    #[test]
    fn no_text_leaves_the_margins() {
        let fonts = Fonts::from_system().unwrap_or_else(|err| panic!("{err}"));
        let ts = Typesetter::new(&fonts).expect("checked fonts");
        for lang in [Lang::Vi, Lang::En] {
            let pages = lay_out(&YearlyReport::sample_in(lang), lang, &ts).expect("lay out");
            for (index, page) in pages.iter().enumerate() {
                for op in &page.ops {
                    let Op::Text { x, y, size, bold, text, .. } = op else { continue };
                    let right = x + ts.width(text, *bold, *size);
                    let inside =
                        *x >= MARGIN_X - 0.01 && right <= MARGIN_X + CONTENT_W + 0.01 && *y < PAGE_H - 20.0;
                    assert!(inside, "{lang} page {}: {text:?} runs from {x} to {right} at {y}", index + 1);
                }
            }
        }
    }

    #[test]
    fn an_empty_year_has_the_cover_and_its_statement() {
        let fonts = Fonts::from_system().unwrap_or_else(|err| panic!("{err}"));
        let ts = Typesetter::new(&fonts).expect("checked fonts");
        let report = YearlyReport::empty(2026, "Asia/Ho_Chi_Minh", "2026-11-10T08:30:00+07:00");
        let pages = lay_out(&report, Lang::Vi, &ts).expect("lay out");
        assert_eq!(pages.len(), 2);
        assert!(
            pages[1].texts().iter().any(|t| t.contains("Không có dữ liệu nào được ghi nhận trong năm 2026."))
        );
    }
}
