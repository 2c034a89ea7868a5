//! Pouring the report's content down pages: a cursor that starts a new page when
//! the next block does not fit, and the running header and footer once the
//! number of pages is known.

use crate::layout::{Align, Page, baseline, line_height};
use crate::style::{
    BLUE, BODY_SIZE, BOTTOM, CONTENT_W, FOOTER_Y, GOLD, HEADER_Y, HEADING_SIZE, INK, MARGIN_X, MUTED, RULE,
    Rgb, SECTION_SIZE, SMALL_SIZE, TOP,
};
use crate::text::Typesetter;

/// A section's entry in the contents: its title and the index of its first page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The section's title.
    pub title: String,
    /// The index of its first page (the cover is 0).
    pub page: usize,
}

/// The pages laid out so far and where the next block goes.
pub(crate) struct Flow<'a> {
    /// Measures text.
    pub ts: &'a Typesetter<'a>,
    /// Every page; page 0 is kept for the cover.
    pub pages: Vec<Page>,
    /// The top of the next block on the last page.
    pub y: f32,
    /// The sections started, in order.
    pub contents: Vec<Entry>,
}

impl<'a> Flow<'a> {
    /// A flow with only the (blank) cover page.
    pub fn new(ts: &'a Typesetter<'a>) -> Self {
        Flow { ts, pages: vec![Page::default()], y: TOP, contents: Vec::new() }
    }

    /// The page being filled.
    pub fn page(&mut self) -> &mut Page {
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Start a new page.
    pub fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = TOP;
    }

    /// Start a new page unless a block `height` tall fits on this one.
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > TOP {
            self.new_page();
        }
    }

    /// Move down by `height`.
    pub fn gap(&mut self, height: f32) {
        self.y += height;
    }

    /// A section on a new page: its title with a gold rule, listed in the contents.
    pub fn section(&mut self, title: &str) {
        self.new_page();
        self.contents.push(Entry { title: title.to_owned(), page: self.pages.len() - 1 });
        let lines = self.ts.wrap(title, true, SECTION_SIZE, CONTENT_W);
        for line in lines {
            let y = baseline(self.y, SECTION_SIZE);
            self.page().text(MARGIN_X, y, SECTION_SIZE, true, BLUE, line);
            self.y += line_height(SECTION_SIZE);
        }
        self.y += 6.0;
        let y = self.y;
        self.page().rect(MARGIN_X, y, 44.0, 3.0, GOLD);
        self.y += 16.0;
    }

    /// A paragraph of running text, broken into lines across the content width.
    pub fn paragraph(&mut self, text: &str, size: f32, bold: bool, color: Rgb) {
        for line in self.ts.wrap(text, bold, size, CONTENT_W) {
            self.ensure(line_height(size));
            let y = baseline(self.y, size);
            self.page().text(MARGIN_X, y, size, bold, color, line);
            self.y += line_height(size);
        }
    }

    /// A section's lead: muted running text with space after it.
    pub fn lead(&mut self, text: &str) {
        self.paragraph(text, BODY_SIZE + 0.5, false, MUTED);
        self.y += 10.0;
    }

    /// A heading kept on the same page as the `keep` points that follow it.
    pub fn heading(&mut self, text: &str, keep: f32) {
        let lines = self.ts.wrap(text, true, HEADING_SIZE, CONTENT_W);
        let height = lines.len() as f32 * line_height(HEADING_SIZE) + 6.0;
        self.ensure(height + keep);
        for line in lines {
            let y = baseline(self.y, HEADING_SIZE);
            self.page().text(MARGIN_X, y, HEADING_SIZE, true, INK, line);
            self.y += line_height(HEADING_SIZE);
        }
        self.y += 6.0;
    }

    /// A muted note that a list had nothing in it.
    pub fn note(&mut self, text: &str) {
        self.paragraph(text, BODY_SIZE, false, MUTED);
        self.y += 12.0;
    }

    /// A chart, `height` points tall across the content width.
    pub fn figure(&mut self, svg: String, height: f32) {
        self.ensure(height);
        let y = self.y;
        self.page().ops.push(crate::layout::Op::Svg { x: MARGIN_X, y, w: CONTENT_W, h: height, svg });
        self.y += height + 14.0;
    }

    /// Charts side by side across the content width, `gap` apart, `height` tall.
    pub fn figures(&mut self, svgs: Vec<String>, gap: f32, height: f32) {
        self.ensure(height);
        let n = svgs.len().max(1) as f32;
        let w = (CONTENT_W - gap * (n - 1.0)) / n;
        let y = self.y;
        for (i, svg) in svgs.into_iter().enumerate() {
            let x = MARGIN_X + i as f32 * (w + gap);
            self.page().ops.push(crate::layout::Op::Svg { x, y, w, h: height, svg });
        }
        self.y += height + 14.0;
    }

    /// Text in a box from `x` that is `w` wide, on the baseline `y`, aligned in it.
    #[allow(clippy::too_many_arguments)]
    pub fn text_in(
        &mut self,
        x: f32,
        w: f32,
        y: f32,
        align: Align,
        size: f32,
        bold: bool,
        color: Rgb,
        text: &str,
    ) {
        let x = match align {
            Align::Left => x,
            Align::Right => x + w - self.ts.width(text, bold, size),
        };
        self.page().text(x, y, size, bold, color, text);
    }

    /// The running header and the footer with "page n of m" on every page but the cover.
    pub fn finish(
        mut self,
        header_left: &str,
        header_right: &str,
        footer: &str,
        page_of: impl Fn(usize, usize) -> String,
    ) -> (Vec<Page>, Vec<Entry>) {
        let pages = self.pages.len();
        let right = MARGIN_X + CONTENT_W;
        for index in 1..pages {
            let number = page_of(index + 1, pages);
            let ts = self.ts;
            let page = &mut self.pages[index];
            let right_w = ts.width(header_right, true, SMALL_SIZE);
            let left = ts.fit(header_left, false, SMALL_SIZE, CONTENT_W - right_w - 24.0);
            page.text(MARGIN_X, HEADER_Y, SMALL_SIZE, false, MUTED, left);
            page.text(right - right_w, HEADER_Y, SMALL_SIZE, true, BLUE, header_right);
            page.hline(MARGIN_X, right, HEADER_Y + 9.0, 0.8, GOLD);
            page.hline(MARGIN_X, right, FOOTER_Y - 14.0, 0.5, RULE);
            page.text(MARGIN_X, FOOTER_Y, SMALL_SIZE, false, MUTED, footer);
            let number_w = ts.width(&number, false, SMALL_SIZE);
            page.text(right - number_w, FOOTER_Y, SMALL_SIZE, false, MUTED, number);
        }
        (self.pages, self.contents)
    }
}
