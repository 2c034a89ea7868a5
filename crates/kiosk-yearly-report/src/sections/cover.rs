//! The cover: the title on deep blue with the TOP 1 ICF badge, when the report
//! was made and in which time zone, and the contents with their pages.

use crate::flow::Entry;
use crate::layout::{Page, baseline, line_height};
use crate::model::{Lang, YearlyReport};
use crate::numbers;
use crate::style::{
    BLUE, BODY_SIZE, CONTENT_W, GOLD, HEADING_SIZE, INK, MARGIN_X, MUTED, ON_BLUE, PAGE_W, RULE, WHITE,
};
use crate::text::Typesetter;
use crate::words::{fill, words};

/// The bottom of the blue band.
const BAND_H: f32 = 440.0;
/// The title's type size.
const TITLE_SIZE: f32 = 34.0;
/// The subtitle's type size.
const SUBTITLE_SIZE: f32 = 13.0;

pub(super) fn draw(page: &mut Page, ts: &Typesetter, report: &YearlyReport, lang: Lang, contents: &[Entry]) {
    let w = words(lang);
    let right = MARGIN_X + CONTENT_W;
    page.rect(0.0, 0.0, PAGE_W, BAND_H, BLUE);
    page.rect(0.0, BAND_H, PAGE_W, 5.0, GOLD);

    let mut y = 96.0;
    page.rect(MARGIN_X, y - 12.0, 36.0, 3.0, GOLD);
    for line in ts.wrap(w.network, true, BODY_SIZE + 1.0, CONTENT_W) {
        page.text(MARGIN_X, y + 10.0, BODY_SIZE + 1.0, true, GOLD, line);
        y += line_height(BODY_SIZE + 1.0);
    }
    y += 40.0;
    let title = fill(w.title, &[("year", &report.year.to_string())]);
    for line in ts.wrap(&title, true, TITLE_SIZE, CONTENT_W) {
        page.text(MARGIN_X, baseline(y, TITLE_SIZE), TITLE_SIZE, true, WHITE, line);
        y += line_height(TITLE_SIZE) * 0.95;
    }
    y += 16.0;
    for line in ts.wrap(w.subtitle, false, SUBTITLE_SIZE, CONTENT_W - 40.0) {
        page.text(MARGIN_X, baseline(y, SUBTITLE_SIZE), SUBTITLE_SIZE, false, ON_BLUE, line);
        y += line_height(SUBTITLE_SIZE);
    }

    // The badge sits at the bottom of the band: "TOP 1 ICF" on gold, its meaning beside it.
    let badge_size = HEADING_SIZE;
    let badge_w = ts.width(w.badge, true, badge_size) + 24.0;
    let badge_top = BAND_H - 74.0;
    page.rect(MARGIN_X, badge_top, badge_w, 30.0, GOLD);
    page.text(MARGIN_X + 12.0, badge_top + 19.5, badge_size, true, BLUE, w.badge);
    let detail = ts.fit(w.badge_detail, false, BODY_SIZE + 1.0, CONTENT_W - badge_w - 14.0);
    page.text(MARGIN_X + badge_w + 14.0, badge_top + 19.0, BODY_SIZE + 1.0, false, WHITE, detail);

    let mut y = BAND_H + 44.0;
    for line in ts.wrap(w.addressee, true, HEADING_SIZE, CONTENT_W) {
        page.text(MARGIN_X, baseline(y, HEADING_SIZE), HEADING_SIZE, true, INK, line);
        y += line_height(HEADING_SIZE);
    }
    y += 12.0;
    let facts =
        [(w.generated, numbers::date_time(&report.generated_at, lang)), (w.zone, report.zone.clone())];
    for (label, value) in facts {
        page.text(MARGIN_X, baseline(y, BODY_SIZE - 1.0), BODY_SIZE - 1.0, false, MUTED, label);
        y += line_height(BODY_SIZE - 1.0);
        let value = ts.fit(&value, false, BODY_SIZE + 1.0, CONTENT_W);
        page.text(MARGIN_X, baseline(y, BODY_SIZE + 1.0), BODY_SIZE + 1.0, false, INK, value);
        y += line_height(BODY_SIZE + 1.0) + 8.0;
    }

    y += 14.0;
    page.text(MARGIN_X, baseline(y, HEADING_SIZE), HEADING_SIZE, true, BLUE, w.contents);
    y += line_height(HEADING_SIZE) + 6.0;
    page.hline(MARGIN_X, right, y, 0.8, GOLD);
    for (number, entry) in contents.iter().enumerate() {
        let row_top = y + 4.0;
        let text_y = baseline(row_top, BODY_SIZE + 0.5);
        let label = format!("{}", number + 1);
        page.text(MARGIN_X, text_y, BODY_SIZE + 0.5, true, GOLD, label);
        let page_number = (entry.page + 1).to_string();
        let number_w = ts.width(&page_number, false, BODY_SIZE + 0.5);
        let title = ts.fit(&entry.title, false, BODY_SIZE + 0.5, CONTENT_W - 60.0);
        page.text(MARGIN_X + 22.0, text_y, BODY_SIZE + 0.5, false, INK, title);
        page.text(right - number_w, text_y, BODY_SIZE + 0.5, false, MUTED, page_number);
        y = row_top + line_height(BODY_SIZE + 0.5) + 4.0;
        page.hline(MARGIN_X, right, y, 0.4, RULE);
    }
}
