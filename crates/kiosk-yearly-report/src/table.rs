//! Tables that run across pages: cells wrap inside their column, a row never
//! splits, and the header row is repeated at the top of every page.

use crate::flow::Flow;
use crate::layout::{Align, baseline, line_height};
use crate::style::{BLUE, CONTENT_W, INK, MARGIN_X, RULE, TABLE_SIZE, TINT, WHITE};

/// Space between a cell's text and its left and right edges.
const PAD_X: f32 = 5.0;
/// Space above and below a row's text.
const PAD_Y: f32 = 3.5;
/// A table up to this tall is kept whole on one page; a taller one starts
/// wherever its header and first row fit.
const KEEP_WHOLE: f32 = (crate::style::BOTTOM - crate::style::TOP) * 0.45;

/// A column: its heading, its share of the table's width and how its cells align.
pub(crate) struct Column {
    /// The heading.
    pub title: String,
    /// Relative width; the widths of all columns are scaled to fill the content width.
    pub weight: f32,
    /// Numbers align right, words left.
    pub align: Align,
}

impl Column {
    /// A column of words.
    pub fn text(title: &str, weight: f32) -> Self {
        Column { title: title.to_owned(), weight, align: Align::Left }
    }

    /// A column of numbers.
    pub fn number(title: &str, weight: f32) -> Self {
        Column { title: title.to_owned(), weight, align: Align::Right }
    }
}

/// A table: columns, rows of cells, and an optional bold total row at the end.
pub(crate) struct Table {
    /// A heading kept on the page of the table's first rows.
    pub title: Option<String>,
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows, one cell per column.
    pub rows: Vec<Vec<String>>,
    /// A closing row set in bold, such as the year's totals.
    pub total: Option<Vec<String>>,
}

/// A row laid out: each cell's lines and the row's height.
struct Laid {
    cells: Vec<Vec<String>>,
    height: f32,
}

impl Flow<'_> {
    /// Lay out `table` from the cursor down, across as many pages as it needs.
    pub fn table(&mut self, table: &Table) {
        let widths = self.widths(table);
        let header = self.lay_row(&widths, &titles(table), true);
        let rows: Vec<Laid> = table.rows.iter().map(|row| self.lay_row(&widths, row, false)).collect();
        let total = table.total.as_ref().map(|row| self.lay_row(&widths, row, true));
        let keep = keep(&header, &rows, total.as_ref());
        match &table.title {
            Some(title) => self.heading(title, keep),
            None => self.ensure(keep),
        }
        self.draw_header(table, &widths, &header);
        for (index, row) in rows.iter().enumerate() {
            self.break_before(table, &widths, &header, row.height);
            if index % 2 == 1 {
                let y = self.y;
                self.page().rect(MARGIN_X, y, CONTENT_W, row.height, TINT);
            }
            self.draw_cells(table, &widths, row, false, INK);
            let y = self.y;
            self.page().hline(MARGIN_X, MARGIN_X + CONTENT_W, y, 0.4, RULE);
        }
        if let Some(total) = total {
            self.break_before(table, &widths, &header, total.height);
            let y = self.y;
            self.page().hline(MARGIN_X, MARGIN_X + CONTENT_W, y, 0.9, INK);
            self.draw_cells(table, &widths, &total, true, INK);
        }
        self.y += 16.0;
    }

    /// How much of `table` must fit below what comes before it: all of a short
    /// table, the header and first row of a long one.
    pub fn table_keep(&self, table: &Table) -> f32 {
        let widths = self.widths(table);
        let header = self.lay_row(&widths, &titles(table), true);
        let rows: Vec<Laid> = table.rows.iter().map(|row| self.lay_row(&widths, row, false)).collect();
        let total = table.total.as_ref().map(|row| self.lay_row(&widths, row, true));
        keep(&header, &rows, total.as_ref())
    }

    /// A new page with the header repeated when a row `height` tall does not fit.
    fn break_before(&mut self, table: &Table, widths: &[f32], header: &Laid, height: f32) {
        if self.y + height > crate::style::BOTTOM {
            self.new_page();
            self.draw_header(table, widths, header);
        }
    }

    fn draw_header(&mut self, table: &Table, widths: &[f32], header: &Laid) {
        let y = self.y;
        self.page().rect(MARGIN_X, y, CONTENT_W, header.height, BLUE);
        self.draw_cells(table, widths, header, true, WHITE);
    }

    /// Draw a row's cells at the cursor and move below the row.
    fn draw_cells(
        &mut self,
        table: &Table,
        widths: &[f32],
        row: &Laid,
        bold: bool,
        color: crate::style::Rgb,
    ) {
        let mut x = MARGIN_X;
        for ((column, width), lines) in table.columns.iter().zip(widths).zip(&row.cells) {
            let mut top = self.y + PAD_Y;
            for line in lines {
                let y = baseline(top, TABLE_SIZE);
                self.text_in(x + PAD_X, width - 2.0 * PAD_X, y, column.align, TABLE_SIZE, bold, color, line);
                top += line_height(TABLE_SIZE);
            }
            x += width;
        }
        self.y += row.height;
    }

    /// Break each cell into lines within its column.
    fn lay_row(&self, widths: &[f32], cells: &[String], bold: bool) -> Laid {
        let cells: Vec<Vec<String>> = widths
            .iter()
            .enumerate()
            .map(|(i, width)| {
                let text = cells.get(i).map_or("", String::as_str);
                self.ts.wrap(text, bold, TABLE_SIZE, width - 2.0 * PAD_X)
            })
            .collect();
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        Laid { cells, height: lines as f32 * line_height(TABLE_SIZE) + 2.0 * PAD_Y }
    }
}

fn keep(header: &Laid, rows: &[Laid], total: Option<&Laid>) -> f32 {
    let whole = header.height + rows.iter().chain(total).map(|row| row.height).sum::<f32>();
    let first = rows.first().or(total).map_or(0.0, |row| row.height);
    if whole <= KEEP_WHOLE { whole } else { header.height + first }
}

fn titles(table: &Table) -> Vec<String> {
    table.columns.iter().map(|column| column.title.clone()).collect()
}

impl Flow<'_> {
    /// The columns' widths: by weight, but no narrower than a number column's
    /// heading and widest number, or a word column's longest heading word, so
    /// that numbers never break and headings break only between words.
    fn widths(&self, table: &Table) -> Vec<f32> {
        let sum: f32 = table.columns.iter().map(|column| column.weight).sum();
        let mut widths: Vec<f32> =
            table.columns.iter().map(|column| CONTENT_W * column.weight / sum).collect();
        let least: Vec<f32> =
            table.columns.iter().enumerate().map(|(i, column)| self.least_width(table, i, column)).collect();
        let short: f32 = widths.iter().zip(&least).map(|(w, l)| (l - w).max(0.0)).sum();
        let spare: f32 = widths.iter().zip(&least).map(|(w, l)| (w - l).max(0.0)).sum();
        if short <= 0.0 || short > spare {
            return widths;
        }
        for (width, least) in widths.iter_mut().zip(&least) {
            *width = if *width < *least { *least } else { *width - (*width - least) * short / spare };
        }
        widths
    }

    fn least_width(&self, table: &Table, index: usize, column: &Column) -> f32 {
        let widest = |texts: &mut dyn Iterator<Item = (&str, bool)>| {
            texts.map(|(text, bold)| self.ts.width(text, bold, TABLE_SIZE)).fold(0.0, f32::max)
        };
        let inner = match column.align {
            Align::Right => {
                let cells = table
                    .rows
                    .iter()
                    .map(|row| (row, false))
                    .chain(table.total.iter().map(|row| (row, true)));
                let mut texts = cells
                    .filter_map(|(row, bold)| row.get(index).map(|cell| (cell.as_str(), bold)))
                    .chain(std::iter::once((column.title.as_str(), true)));
                widest(&mut texts)
            }
            Align::Left => widest(&mut column.title.split_whitespace().map(|word| (word, true))),
        };
        inner + 2.0 * PAD_X + 0.5
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::Fonts;
    use crate::style::BOTTOM;
    use crate::text::Typesetter;

    #[test]
    fn a_long_table_repeats_its_header_on_every_page() {
        let fonts = Fonts::from_system().unwrap_or_else(|err| panic!("{err}"));
        let ts = Typesetter::new(&fonts).expect("checked fonts");
        let mut flow = Flow::new(&ts);
        flow.section("Screens");
        let rows: Vec<Vec<String>> =
            (1..=90).map(|i| vec![format!("screen-{i:03}"), i.to_string()]).collect();
        flow.table(&Table {
            title: None,
            columns: vec![Column::text("Screen", 3.0), Column::number("Plays", 1.0)],
            rows,
            total: Some(vec!["Total".to_owned(), "4095".to_owned()]),
        });
        let pages = &flow.pages[1..];
        assert!(pages.len() >= 3, "{} pages", pages.len());
        let mut seen = Vec::new();
        for page in pages {
            let texts = page.texts();
            assert!(texts.contains(&"Screen"), "header on every page: {texts:?}");
            seen.extend(texts.into_iter().filter(|t| t.starts_with("screen-")).map(str::to_owned));
            for op in &page.ops {
                if let crate::layout::Op::Text { y, .. } = op {
                    assert!(*y <= BOTTOM, "text below the bottom margin at {y}");
                }
            }
        }
        let expected: Vec<String> = (1..=90).map(|i| format!("screen-{i:03}")).collect();
        assert_eq!(seen, expected, "every row once, in order");
    }
}
